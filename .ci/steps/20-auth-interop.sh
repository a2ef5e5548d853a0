#!/usr/bin/env bash
# cwmp-auth interop, run from the repository root (or anywhere: it cds there):
#  1. `curl --digest` (MD5, MD5 without qop, MD5-sess, SHA-256, SHA-256-sess) against a small
#     std::net HTTP server that uses our verifier (cwmp-auth/tests/interop_curl.rs);
#  2. our digest client against Apache httpd mod_auth_digest (MD5, qop=auth), configured in a
#     temporary directory on 127.0.0.1 and a free high port (cwmp-auth/tests/interop_apache.rs).
# Right and wrong passwords in both. Installs curl and apache2 when missing (root only).
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)

need=()
command -v curl >/dev/null || need+=(curl)
[ -x /usr/sbin/apache2 ] || need+=(apache2)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: need ${need[*]} and cannot install them (not root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
curl --version | sed -n 1p
/usr/sbin/apache2 -v | sed -n 1p

echo "--- curl --digest against our verifier"
CI=true cargo test -q -p cwmp-auth --test interop_curl -- --nocapture 2>&1 | grep -E '^curl |test result|panicked|error' || true
CI=true cargo test -q -p cwmp-auth --test interop_curl >/dev/null

echo "--- our client against Apache mod_auth_digest"
dir=$(mktemp -d)
chmod 755 "$dir"
cleanup() {
  if [ -f "$dir/httpd.pid" ]; then kill "$(cat "$dir/httpd.pid")" 2>/dev/null || true; fi
  sleep 0.5
  rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
realm="cwmp-interop"
password="apache s3cret"
# htdigest line user:realm:MD5(user:realm:password), computed with coreutils (not our code).
printf 'cpe:%s:%s\n' "$realm" "$(printf '%s' "cpe:$realm:$password" | md5sum | cut -d' ' -f1)" > "$dir/htdigest"
mkdir -p "$dir/www/protected"
echo "protected ok" > "$dir/www/protected/index.html"
chmod -R a+rX "$dir"
mods=/usr/lib/apache2/modules
run_as=""
if [ "$(id -u)" = 0 ]; then run_as=$'User nobody\nGroup nogroup'; fi
cat > "$dir/httpd.conf" <<CONF
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error.log"
LogLevel warn auth_digest:debug
Mutex file:$dir default
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authn_core_module $mods/mod_authn_core.so
LoadModule authn_file_module $mods/mod_authn_file.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_user_module $mods/mod_authz_user.so
LoadModule auth_digest_module $mods/mod_auth_digest.so
LoadModule dir_module $mods/mod_dir.so
$run_as
DocumentRoot "$dir/www"
DirectoryIndex index.html
<Directory "$dir/www/protected">
  AuthType Digest
  AuthName "$realm"
  AuthDigestDomain /protected/
  AuthDigestProvider file
  AuthUserFile "$dir/htdigest"
  Require valid-user
</Directory>
CONF
/usr/sbin/apache2 -f "$dir/httpd.conf" -k start
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
CWMP_AUTH_APACHE_URL="http://127.0.0.1:$port/protected/" CWMP_AUTH_APACHE_PASSWORD="$password" \
  CI=true cargo test -q -p cwmp-auth --test interop_apache -- --ignored --nocapture 2>&1 | tee "$dir/test.log" | grep -vE '^\s*$' || true
if ! grep -q 'test result: ok. 1 passed' "$dir/test.log"; then
  echo "error: Apache interop failed; Apache error log:" >&2
  cat "$dir/error.log" >&2 || true
  exit 1
fi
/usr/sbin/apache2 -f "$dir/httpd.conf" -k stop || true
echo "auth interop passed in $(( $(date +%s) - t0 )) s"
