//! Regressions found by the fuzz targets in `fuzz/` (one test per finding, named for it).
//! Each input is the minimised crash; the comment names the target that found it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_auth::digest::DigestClient;
use cwmp_auth::header::{Limits, parse_credentials};
use cwmp_auth::http::{HeaderValue, Method};
use cwmp_auth::udp::{MAX_DATAGRAM, UdpConnectionRequest};

/// `auth_www_authenticate`: a challenge within the header limit (8192 bytes) with a nonce of
/// ~8000 bytes is accepted, and the client then answers with an `Authorization` of more than
/// 8192 bytes (the nonce is echoed, plus username, realm, uri, response ...), which our own
/// parser (`parse_credentials` with the same default `Limits`, used by `DigestServer::verify`)
/// refuses. The client should refuse such a challenge or fail to build the header, not send
/// credentials its own server side cannot read.
#[test]
#[ignore = "open finding, reported to the cwmp-auth owner"]
fn authorization_for_a_huge_nonce_stays_within_the_header_limit() {
    let limits = Limits::default();
    let nonce = "d".repeat(8100);
    let challenge = format!(r#"Digest realm="y", nonce="{nonce}", algorithm=SHA-512-256"#);
    assert!(challenge.len() <= limits.max_len);
    let value = HeaderValue::from_str(&challenge).unwrap();
    let mut client = DigestClient::new("cpe-user", "s3cret");
    if client.handle_unauthorized([&value], false).is_err() {
        return; // refusing the challenge is a fix
    }
    let Ok(auth) = client.authorization_with_cnonce(&Method::POST, "/cwmp", b"", "0a4f113b") else {
        return; // refusing to build the header is a fix too
    };
    parse_credentials(auth.as_bytes(), &limits).unwrap();
}

/// `udp_connection_request`: `UdpConnectionRequest::parse` accepts raw bytes (here NULs) in a
/// query value of a datagram within `MAX_DATAGRAM`; `to_datagram` percent-encodes each of them
/// into three bytes, so the re-serialised request is longer than `MAX_DATAGRAM` and `parse`
/// refuses it. Either refuse unencoded control bytes when parsing (`sig` must be hex anyway) or
/// keep what `to_datagram` writes within the limit.
#[test]
#[ignore = "open finding, reported to the cwmp-auth owner"]
fn udp_request_reserialises_within_the_datagram_limit() {
    let mut d = b"GET http://h?ts=5&id=6&un=cr-user&cn=&sig=".to_vec();
    d.extend(std::iter::repeat_n(0u8, 700));
    d.extend_from_slice(b" HTTP/1.1\r\n\r\n");
    assert!(d.len() <= MAX_DATAGRAM);
    let Ok(req) = UdpConnectionRequest::parse(&d) else {
        return; // refusing raw control bytes is a fix
    };
    let again = req.to_datagram();
    assert_eq!(UdpConnectionRequest::parse(&again).unwrap(), req);
}
