//! HTTP/1.1 plumbing over tokio and hyper 1: URLs, bounded bodies, one client connection,
//! envelope encode/decode, cookies, and the clock.

use std::time::Duration;

use bytes::Bytes;
use cwmp_core::{CwmpVersion, Envelope};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The body type of every request and response we send.
pub type Body = Full<Bytes>;

/// Largest HTTP body read from a peer (a 10,000-parameter GPV response is ~1 MB).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// How long to wait for a TCP connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// An `http://host:port/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// Host as written (IPv6 literals keep their brackets).
    pub host: String,
    /// Port (80 when absent).
    pub port: u16,
    /// Path and query, at least `/`.
    pub path: String,
}

impl HttpUrl {
    /// Parses an `http://` URL. `https` is not supported by these examples.
    pub fn parse(url: &str) -> Result<HttpUrl, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("{url:?}: only http:// URLs are supported"))?;
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("/")),
            None => (rest, "/"),
        };
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let end = v6
                .find(']')
                .ok_or_else(|| format!("{url:?}: bad IPv6 host"))?;
            let host = format!("[{}]", v6.get(..end).unwrap_or(""));
            let port = v6.get(end + 1..).unwrap_or("");
            (host, port.strip_prefix(':').unwrap_or(""))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), p),
                None => (authority.to_owned(), ""),
            }
        };
        if host.is_empty() || host == "[]" {
            return Err(format!("{url:?}: no host"));
        }
        let port = if port.is_empty() {
            80
        } else {
            port.parse()
                .map_err(|_| format!("{url:?}: bad port {port:?}"))?
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        Ok(HttpUrl { host, port, path })
    }

    /// `host:port` for the Host header and for connecting.
    pub fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// Resolves a `Location` header against this URL (absolute `http://` or absolute path).
    pub fn join(&self, location: &str) -> Result<HttpUrl, String> {
        if location.starts_with("http://") {
            HttpUrl::parse(location)
        } else if location.starts_with('/') {
            Ok(HttpUrl {
                path: location.to_owned(),
                ..self.clone()
            })
        } else {
            Err(format!("unsupported redirect target {location:?}"))
        }
    }
}

impl std::fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "http://{}:{}{}", self.host, self.port, self.path)
    }
}

/// Reads a whole body, refusing more than `limit` bytes.
pub async fn read_body<B>(body: B, limit: usize) -> Result<Bytes, String>
where
    B: hyper::body::Body,
    B::Error: std::fmt::Display + Send + Sync + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    Limited::new(body, limit)
        .collect()
        .await
        .map(|c| c.to_bytes())
        .map_err(|e| format!("reading body: {e}"))
}

/// A response with a status, headers and a body.
pub fn response(
    status: StatusCode,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            http::header::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
    r
}

/// A JSON response.
pub fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    response(
        status,
        &[("content-type", "application/json")],
        value.to_string(),
    )
}

/// One HTTP/1.1 client connection (keep-alive; requests go one at a time).
pub struct Client {
    sender: SendRequest<Body>,
    task: tokio::task::JoinHandle<()>,
}

impl Client {
    /// Connects to `url`'s host and port.
    pub async fn connect(url: &HttpUrl) -> Result<Client, String> {
        let addr = url.authority();
        let host = url.host.trim_start_matches('[').trim_end_matches(']');
        let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((host, url.port)))
            .await
            .map_err(|_| format!("connect to {addr}: timed out"))?
            .map_err(|e| format!("connect to {addr}: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake with {addr}: {e}"))?;
        let task = tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Client { sender, task })
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&mut self, req: Request<Body>) -> Result<Response<Bytes>, String> {
        self.sender
            .ready()
            .await
            .map_err(|e| format!("connection closed: {e}"))?;
        let resp = self
            .sender
            .send_request(req)
            .await
            .map_err(|e| format!("HTTP request failed: {e}"))?;
        let (parts, body) = resp.into_parts();
        let body = read_body(body, MAX_BODY).await?;
        Ok(Response::from_parts(parts, body))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Encodes an envelope with cwmp-soap in the given CWMP version (the one the session engine
/// says: [`Reply::version`](cwmp_core::session::acs::Reply::version) or
/// [`Transmit::version`](cwmp_core::session::cpe::Transmit)).
pub fn encode(envelope: &Envelope<'_>, version: CwmpVersion) -> Bytes {
    let mut out = Vec::with_capacity(1024);
    cwmp_soap::EncodeOptions::for_version(version).encode(envelope, &mut out);
    Bytes::from(out)
}

/// Decodes a body with cwmp-soap (lenient), borrowing from it; `None` for an empty body.
/// The result keeps the inferred version and the decoder's warnings.
pub fn decode(body: &[u8]) -> Result<Option<cwmp_soap::Decoded<'_>>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    cwmp_soap::Decoder::new()
        .decode(body)
        .map(Some)
        .map_err(|e| format!("undecodable envelope: {e}"))
}

/// What the session engines take: the decoded message and its version.
pub fn incoming(decoded: cwmp_soap::Decoded<'_>) -> cwmp_core::session::Incoming<'_> {
    cwmp_core::session::Incoming::new(decoded.envelope, decoded.version)
}

pub fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    let _ = cwmp_auth::RandomSource::fill(&mut cwmp_auth::OsRandom, &mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Resolves on Ctrl-C, or after `max_runtime_secs` (0: never), so that servers stop by
/// themselves.
pub async fn shutdown_signal(max_runtime_secs: u64, who: &str) {
    let limit = async {
        if max_runtime_secs == 0 {
            std::future::pending::<()>().await
        } else {
            tokio::time::sleep(Duration::from_secs(max_runtime_secs)).await
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = limit => crate::log::info(who, "max runtime reached, stopping"),
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    cwmp_auth::unix_now()
}

/// The session cookies a client keeps for one CWMP session (SES-05, QUIRKS 33): every
/// `Set-Cookie` name=value, attributes ignored, sent back on each later request.
#[derive(Debug, Default, Clone)]
pub struct CookieJar {
    cookies: Vec<(String, String)>,
}

/// Most cookies kept per session.
const MAX_COOKIES: usize = 32;

impl CookieJar {
    /// Stores the cookies of a response.
    pub fn store(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(http::header::SET_COOKIE) {
            let Ok(v) = v.to_str() else { continue };
            let pair = v.split(';').next().unwrap_or("").trim();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() {
                continue;
            }
            self.cookies.retain(|(n, _)| n != name);
            if self.cookies.len() < MAX_COOKIES {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    /// The `Cookie` header value, if any cookie is kept.
    pub fn header(&self) -> Option<HeaderValue> {
        if self.cookies.is_empty() {
            return None;
        }
        let s: Vec<String> = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        HeaderValue::from_str(&s.join("; ")).ok()
    }

    /// Forgets every cookie (at the end of a session).
    pub fn clear(&mut self) {
        self.cookies.clear();
    }
}

/// The value of cookie `name` in a request's `Cookie` headers (separated by `;` or `,`,
/// QUIRKS 33); empty values count as absent.
pub fn request_cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split([';', ',']))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| k.trim() == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = HttpUrl::parse("http://127.0.0.1:7547/acs?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", 7547, "/acs?x=1")
        );
        let u = HttpUrl::parse("http://[::1]:80").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("[::1]", 80, "/")
        );
        assert_eq!(u.authority(), "[::1]:80");
        assert!(HttpUrl::parse("https://x/").is_err());
        assert!(HttpUrl::parse("http://:80/").is_err());
        assert!(HttpUrl::parse("http://h:99999/").is_err());
        let j = u.join("/other").unwrap();
        assert_eq!(j.path, "/other");
    }

    #[test]
    fn cookies() {
        let mut h = HeaderMap::new();
        h.append(
            "set-cookie",
            HeaderValue::from_static("session=abc; Path=/"),
        );
        h.append("set-cookie", HeaderValue::from_static("x=1"));
        let mut jar = CookieJar::default();
        jar.store(&h);
        assert_eq!(jar.header().unwrap(), "session=abc; x=1");
        let mut req = HeaderMap::new();
        req.append("cookie", HeaderValue::from_static("a=1, session=s1"));
        assert_eq!(request_cookie(&req, "session"), Some("s1"));
        let mut empty = HeaderMap::new();
        empty.append("cookie", HeaderValue::from_static("session="));
        assert_eq!(request_cookie(&empty, "session"), None);
        jar.clear();
        assert!(jar.header().is_none());
    }
}
