#!/usr/bin/env bash
# Generates the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (git-ignored).
#
# Sources: our own test vectors (cwmp-soap/tests/vectors/*.xml, cwmp-datamodel/tests/vectors),
# the string literals of the cwmp-auth and cwmp-datamodel tests (challenges, credentials,
# datagrams, paths), a few hand-written seeds below, and, at run time only, the external
# corpus in ../shared/corpus (messages and small data models), which is copied into the
# ignored directory and never committed. Seeds are named by content hash, so re-running is
# idempotent. Usage: fuzz/seed.sh  (from anywhere; CWMP_SHARED overrides ../shared).
set -euo pipefail
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$fuzz_dir/.." && pwd)"
shared="${CWMP_SHARED:-$(cd "$root/.." && pwd)/shared}"
corpus="$fuzz_dir/corpus"
max_xml=$((64 * 1024))

python3 - "$root" "$shared" "$corpus" "$max_xml" <<'PY'
import hashlib, os, re, sys, glob

root, shared, corpus, max_xml = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
counts = {}

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    p = os.path.join(d, name)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

def files(pattern, limit=None):
    for p in sorted(glob.glob(pattern, recursive=True)):
        if os.path.isfile(p) and (limit is None or os.path.getsize(p) <= limit):
            with open(p, "rb") as f:
                yield f.read()

def rust_strings(paths):
    """String literals of Rust sources: r#"..."# raw strings and plain "..." strings."""
    out = []
    for p in paths:
        src = open(p, encoding="utf-8").read()
        out += re.findall(r'r#"(.*?)"#', src, re.S)
        for s in re.findall(r'(?:(?<![r#\w])|(?<=\bb))"((?:[^"\\\n]|\\.)*)"', src):
            try:
                out.append(s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
            except Exception:
                pass
    return out

# --- SOAP messages: decode_lenient, decode_strict, roundtrip (and as raw bytes for the
# structured target, whose input is interpreted by `arbitrary`)
xml = list(files(f"{root}/cwmp-soap/tests/vectors/**/*.xml", max_xml))
xml += list(files(f"{shared}/corpus/messages/**/*.xml", max_xml))
for x in xml:
    for t in ("decode_lenient", "decode_strict", "roundtrip", "fast_general", "arena_decode"):
        put(t, x)
    put("structured_roundtrip", x[:4096])
put("decode_lenient", b"")
# Random-looking inputs for the structured target (deterministic).
for i in range(32):
    put("structured_roundtrip", hashlib.sha512(b"cwmp-fuzz-%d" % i).digest() * (1 + i % 4))

# --- auth: WWW-Authenticate values
auth_src = sorted(glob.glob(f"{root}/cwmp-auth/tests/**/*.rs", recursive=True))
auth_src += sorted(glob.glob(f"{root}/cwmp-auth/src/**/*.rs", recursive=True))
strings = rust_strings(auth_src)
for s in strings:
    if re.match(r"\s*(Digest|Basic|digest|DIGEST|Negotiate|NTLM|Newauth|,)", s) or "realm" in s:
        put("auth_www_authenticate", s)
for s in [
    'Digest realm="cwmp", qop="auth,auth-int", algorithm=SHA-256, nonce="abc", opaque="o", charset=UTF-8, userhash=true',
    'Digest realm="r", nonce="n", algorithm=MD5-sess, qop="auth", stale=true',
    'Digest realm="a\\"b", nonce=n, domain="/cwmp /x"',
    'Basic realm="x", Digest realm="y", nonce="z", algorithm=SHA-512-256',
]:
    put("auth_www_authenticate", s)

# --- auth: Authorization values for the server (first byte = configuration, see the target)
for s in strings:
    if re.match(r"\s*(Digest|Basic|digest)", s) and ("username" in s or "response" in s):
        put("auth_authorization", b"\x01" + s.encode())
base = 'Digest username="acs-user", realm="cwmp", nonce="@N", uri="/cwmp/acs", response="@R"'
put("auth_authorization", b"\x00" + base.encode())
put("auth_authorization", b"\x00" + (base + ", algorithm=SHA-256").encode())
put("auth_authorization", b"\x01" + (base + ", qop=auth, nc=00000001, cnonce=\"c1\"").encode())
put("auth_authorization", b"\x02" + (base + ", qop=auth-int, nc=00000002, cnonce=\"c2\", algorithm=MD5").encode())
put("auth_authorization", b"\x07" + (base + ", qop=auth, nc=0000000a, cnonce=\"c3\", algorithm=SHA-512-256-sess").encode())
put("auth_authorization", b"\x0d" + 'Digest username="@H", userhash=true, realm="cwmp", nonce="@N", uri="/cwmp/acs", response="@R", qop=auth, nc=00000001, cnonce="x", algorithm=SHA-256'.encode())
put("auth_authorization", b"\x11" + (base + ', opaque="op\\\\aque", qop=auth, nc=00000001, cnonce="o"').encode())
put("auth_authorization", b"\x01" + "Digest username*=UTF-8''acs-user, realm=\"cwmp\", nonce=\"@N\", uri=\"/cwmp/acs\", response=\"@R\", qop=auth, nc=00000001, cnonce=\"u\"".encode())
put("auth_authorization", b"\x61" + (base + ", qop=auth, nc=00000001, cnonce=\"stale\"").encode())
put("auth_authorization", b"\x81" + 'Digest username="acs-user", realm="cwmp", nonce="@N", uri="http://acs.example.com/cwmp/acs", response="@R", qop=auth, nc=00000001, cnonce="abs"'.encode())

# --- UDP connection requests
for s in strings:
    if re.match(r"(GET|get|POST) ", s) and "{" not in s:
        put("udp_connection_request", s)
        if "sig=" in s:
            put("udp_connection_request", re.sub(r"sig=[^ &]*", "sig=@SIG", s))
for s in [
    "GET http://10.0.0.1:7547?ts=1700000000&id=1&un=cr-user&cn=XTGU&sig=@SIG HTTP/1.1\r\nHost: 10.0.0.1:7547\r\n\r\n",
    "GET http://[2001:db8::1]:7547/?ts=1700000001&id=2&un=cr%2Duser&cn=%41b&sig=@SIG HTTP/1.1\n\n",
    "get HTTP://h?un=cr-user&cn=&ts=5&id=6&sig=@SIG&x=y HTTP/1.0",
]:
    put("udp_connection_request", s)

# --- XMPP connection-request stanzas: the IQs in the cwmp-auth sources and tests
for s in strings:
    if re.match(r"\s*<(iq|x:iq|message|!DOCTYPE)", s):
        put("xmpp_stanza", s)
put("xmpp_stanza", '<iq type="get" id="cr1" from="acs@example.com/acs" to="cpe@example.com/cwmp"><connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0"><username>cr-user</username><password>cr-pass</password></connectionRequest></iq>')
put("xmpp_stanza", "<iq type='error' id='cr1'><error type='auth'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no</text></error></iq>")

# --- STUN messages: RFC 5389 Binding Request with the TR-111 attributes, a response with
# (XOR-)MAPPED-ADDRESS, a 401 with REALM/NONCE, a classic RFC 3489 response
def stun(msg_type, attrs, tid=b"\x21\x12\xa4\x42" + bytes(range(12))):
    body = b""
    for t, v in attrs:
        body += t.to_bytes(2, "big") + len(v).to_bytes(2, "big") + v + b"\0" * (-len(v) % 4)
    return msg_type.to_bytes(2, "big") + len(body).to_bytes(2, "big") + tid + body
put("stun_message", stun(0x0001, [(0xC001, b"dslforum.org/TR-111 "), (0xC002, b"")]))
put("stun_message", stun(0x0101, [(0x0020, b"\x00\x01\xa1\x47\xe1\x12\xa6\x43"), (0x0001, b"\x00\x01\x1f\x90\x7f\x00\x00\x01"), (0x8022, b"coturn")]))
put("stun_message", stun(0x0111, [(0x0009, b"\x00\x00\x04\x01Unauthorized"), (0x0014, b"example.org"), (0x0015, b"nonce-1"), (0x000A, b"\x00\x03\xc0\x03")]))
put("stun_message", stun(0x0101, [(0x0001, b"\x00\x01\x1f\x90\x0a\x00\x00\x07")], tid=b"\xab" * 16))
put("stun_message", stun(0x0001, [(0x0006, b"cpe"), (0x0008, b"\x01" * 20), (0x8028, b"\x00\x00\x00\x00")]))

# --- paths
dm_src = sorted(glob.glob(f"{root}/cwmp-datamodel/**/*.rs", recursive=True))
for s in rust_strings(dm_src):
    if re.match(r"[A-Za-z_][^\s]*\.", s) and len(s) <= 300:
        put("path_parse", s)
for s in [
    "Device.", "Device.IP.Interface.{i}.IPv4Address.*.IPAddress", "Device.IP.Interface.[wan].Name",
    "InternetGatewayDevice.LANDevice.1.WLANConfiguration.4294967295.SSID",
    "Device.X_EXAMPLE-COM_Foo.Bar", "Ünïcödé.Ω.[Åλιας].1.", "Device..X", "Device.01.", "Device.[].",
    "A." + "1." * 120, "A." + "B" * 250,
]:
    put("path_parse", s)

# --- data models
for x in files(f"{root}/cwmp-datamodel/tests/vectors/**/*.xml", max_xml):
    put("datamodel_load", x)
for x in files(f"{shared}/corpus/datamodels/*.xml", max_xml):
    put("datamodel_load", x)
put("datamodel_load", """<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:x:s">
  <import file="base.xml" spec="urn:example-com:base"><dataType name="Alias"/><component name="Info"/><model name="Device:2.1"/></import>
  <import file="self.xml"/>
  <model name="Device:2.2" base="Device:2.1">
    <object base="Device.Base.{i}." access="readWrite" minEntries="0" maxEntries="unbounded">
      <component ref="Info"/>
      <parameter name="Extra" access="readWrite"><syntax><dataType ref="Alias"/></syntax></parameter>
    </object>
  </model>
</document>""")
put("datamodel_load", """<!DOCTYPE document [<!ENTITY e "entity text">]>
<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:x:t">
  <model name="Device:2.17"><object name="Device." access="readOnly" minEntries="1" maxEntries="1">
    <parameter name="P" access="readWrite"><description>&e;</description>
      <syntax><string><enumeration value="&e;"/></string></syntax></parameter>
  </object></model>
</document>""")

for t in sorted(os.listdir(corpus)):
    n = len(os.listdir(os.path.join(corpus, t)))
    print(f"seed: {t}: {n} files ({counts.get(t, 0)} new)")
PY
