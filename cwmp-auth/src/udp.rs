//! UDP Connection Request (TR-069 Annex G, TR-111).
//!
//! The ACS sends a datagram holding an HTTP-like request line whose query carries a
//! timestamp, a message id, the connection-request user name, a cnonce and
//! `sig = hex(HMAC-SHA1(key = password, text = ts ‖ id ‖ un ‖ cn))`. The CPE checks it with
//! [`UdpVerifier`] and, on success, opens a session with event "6 CONNECTION REQUEST". No
//! reply is sent.
//!
//! The signature text is the plain concatenation of `ts` and `id` exactly as sent and of the
//! decoded `un` and `cn`. Values are percent-encoded in the query when needed.

use hmac::{Hmac, Mac};

use crate::Error;
use crate::util::{Secret, ct_eq_ignore_case, hex, percent_decode, percent_encode};

type HmacSha1 = Hmac<sha1::Sha1>;

/// Largest datagram [`UdpConnectionRequest::parse`] accepts.
pub const MAX_DATAGRAM: usize = 2048;

/// `hex(HMAC-SHA1(password, ts ‖ id ‖ un ‖ cn))`, lower case.
pub fn signature(password: &str, ts: &str, id: &str, username: &str, cnonce: &str) -> String {
    match HmacSha1::new_from_slice(password.as_bytes()) {
        Ok(mut m) => {
            m.update(ts.as_bytes());
            m.update(id.as_bytes());
            m.update(username.as_bytes());
            m.update(cnonce.as_bytes());
            hex(&m.finalize().into_bytes())
        }
        // HMAC accepts keys of any length; this arm is unreachable in practice.
        Err(_) => String::new(),
    }
}

/// A UDP connection request, built by the ACS or parsed by the CPE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpConnectionRequest {
    host: String,
    ts: String,
    id: String,
    username: String,
    cnonce: String,
    sig: String,
}

impl UdpConnectionRequest {
    /// A signed request for `host` (with `:port` appended when `port` is given; IPv6 literals
    /// are bracketed), Unix time `ts` in seconds, message id `id`.
    pub fn new_signed(
        host: &str,
        port: Option<u16>,
        ts: u64,
        id: u64,
        username: &str,
        cnonce: &str,
        password: &str,
    ) -> Self {
        let h = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let host = match port {
            Some(p) => format!("{h}:{p}"),
            None => h,
        };
        let ts = ts.to_string();
        let id = id.to_string();
        let sig = signature(password, &ts, &id, username, cnonce);
        UdpConnectionRequest {
            host,
            ts,
            id,
            username: username.to_owned(),
            cnonce: cnonce.to_owned(),
            sig,
        }
    }

    /// The request line, without line end:
    /// `GET http://host:port?ts=..&id=..&un=..&cn=..&sig=.. HTTP/1.1`.
    pub fn request_line(&self) -> String {
        format!(
            "GET http://{}?ts={}&id={}&un={}&cn={}&sig={} HTTP/1.1",
            self.host,
            percent_encode(&self.ts),
            percent_encode(&self.id),
            percent_encode(&self.username),
            percent_encode(&self.cnonce),
            percent_encode(&self.sig),
        )
    }

    /// The whole datagram: request line, `Host` header and the empty line.
    pub fn to_datagram(&self) -> Vec<u8> {
        format!("{}\r\nHost: {}\r\n\r\n", self.request_line(), self.host).into_bytes()
    }

    /// Parses a received datagram (lenient: `http://host:port/?...` and bare `\n` accepted).
    pub fn parse(datagram: &[u8]) -> Result<Self, Error> {
        if datagram.len() > MAX_DATAGRAM {
            return Err(Error::UdpMalformed("datagram too long"));
        }
        let text = std::str::from_utf8(datagram).map_err(|_| Error::UdpMalformed("not UTF-8"))?;
        let line = text.lines().next().unwrap_or("").trim();
        // A request line is printable ASCII (RFC 9112, RFC 3986); raw control or non-ASCII bytes
        // in it are malformed, not something to percent-encode on our side.
        if line
            .bytes()
            .any(|b| !(b == b' ' || b == b'\t' || b.is_ascii_graphic()))
        {
            return Err(Error::UdpMalformed(
                "control or non-ASCII byte in the request line",
            ));
        }
        let mut words = line.split_ascii_whitespace();
        let method = words
            .next()
            .ok_or(Error::UdpMalformed("empty request line"))?;
        if !method.eq_ignore_ascii_case("GET") {
            return Err(Error::UdpMalformed("method is not GET"));
        }
        let target = words
            .next()
            .ok_or(Error::UdpMalformed("no request target"))?;
        let (before, query) = target
            .split_once('?')
            .ok_or(Error::UdpMalformed("no query"))?;
        let authority = before
            .strip_prefix("http://")
            .or_else(|| before.strip_prefix("HTTP://"))
            .unwrap_or(before);
        let host = authority.split('/').next().unwrap_or("").to_owned();
        let (mut ts, mut id, mut un, mut cn, mut sig) = (None, None, None, None, None);
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode(v).ok_or(Error::UdpMalformed("bad percent-encoding"))?;
            let slot = match k {
                "ts" => &mut ts,
                "id" => &mut id,
                "un" => &mut un,
                "cn" => &mut cn,
                "sig" => &mut sig,
                _ => continue,
            };
            if slot.is_some() {
                return Err(Error::UdpMalformed("repeated query parameter"));
            }
            *slot = Some(v);
        }
        let ts = ts.ok_or(Error::UdpMalformed("no ts"))?;
        let id = id.ok_or(Error::UdpMalformed("no id"))?;
        if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::UdpMalformed("ts is not a decimal number"));
        }
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::UdpMalformed("id is not a decimal number"));
        }
        let request = UdpConnectionRequest {
            host,
            ts,
            id,
            username: un.ok_or(Error::UdpMalformed("no un"))?,
            cnonce: cn.ok_or(Error::UdpMalformed("no cn"))?,
            sig: sig.ok_or(Error::UdpMalformed("no sig"))?,
        };
        // What we accept we must be able to send again: a value written raw but percent-encoded
        // by `to_datagram` (e.g. `<`) grows threefold, so check the canonical form's length.
        if request.to_datagram().len() > MAX_DATAGRAM {
            return Err(Error::UdpMalformed(
                "datagram too long once percent-encoded",
            ));
        }
        Ok(request)
    }

    /// `host[:port]` as written in the request.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The timestamp (Unix seconds), or `None` if it does not fit in a `u64`.
    pub fn ts(&self) -> Option<u64> {
        self.ts.parse().ok()
    }

    /// The message id, or `None` if it does not fit in a `u64`.
    pub fn id(&self) -> Option<u64> {
        self.id.parse().ok()
    }

    /// The user name `un`.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The cnonce `cn`.
    pub fn cnonce(&self) -> &str {
        &self.cnonce
    }

    /// The signature `sig` as received or built.
    pub fn signature(&self) -> &str {
        &self.sig
    }

    /// Whether `sig` is right for `password` (constant-time, case-insensitive).
    pub fn verify_signature(&self, password: &str) -> bool {
        let expected = signature(password, &self.ts, &self.id, &self.username, &self.cnonce);
        ct_eq_ignore_case(&expected, &self.sig)
    }
}

/// The CPE's check of UDP connection requests (the rules of TR-069 Annex G: signature, timestamp, message ID).
///
/// Accepts a datagram when `un` is the configured user name, the signature verifies, the id
/// differs from the last accepted id and the timestamp is greater than the last accepted one.
/// Copies of an accepted request (same id) are therefore refused as [`Error::Replay`]. It does
/// not compare `ts` with the local clock: CPEs often have none at boot.
#[derive(Clone)]
pub struct UdpVerifier {
    username: String,
    password: Secret,
    last_ts: Option<u64>,
    last_id: Option<u64>,
}

impl core::fmt::Debug for UdpVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UdpVerifier")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("last_ts", &self.last_ts)
            .field("last_id", &self.last_id)
            .finish()
    }
}

impl UdpVerifier {
    /// A verifier for `ConnectionRequestUsername` / `ConnectionRequestPassword`.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        UdpVerifier {
            username: username.into(),
            password: Secret(password.into()),
            last_ts: None,
            last_id: None,
        }
    }

    /// Parses and checks a datagram; on success remembers its ts and id.
    pub fn verify(&mut self, datagram: &[u8]) -> Result<UdpConnectionRequest, Error> {
        let req = UdpConnectionRequest::parse(datagram)?;
        let ts = req.ts().ok_or(Error::UdpMalformed("ts out of range"))?;
        let id = req.id().ok_or(Error::UdpMalformed("id out of range"))?;
        let user_ok = req.username == self.username;
        let sig_ok = req.verify_signature(&self.password.0);
        if !(user_ok & sig_ok) {
            return Err(Error::BadCredentials);
        }
        if self.last_id == Some(id) || self.last_ts.is_some_and(|t| ts <= t) {
            return Err(Error::Replay);
        }
        self.last_ts = Some(ts);
        self.last_id = Some(id);
        Ok(req)
    }
}
