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
fn authorization_for_a_huge_nonce_stays_within_the_header_limit() {
    let limits = Limits::default();
    let nonce = "d".repeat(8100);
    let challenge = format!(r#"Digest realm="y", nonce="{nonce}", algorithm=SHA-512-256"#);
    assert!(challenge.len() <= limits.max_len);
    let value = HeaderValue::from_str(&challenge).unwrap();
    let mut client = DigestClient::new("cpe-user", "s3cret");
    client.handle_unauthorized([&value], false).unwrap();
    // Fixed: the client refuses to build credentials past the limit instead of sending them.
    let err = client
        .authorization_with_cnonce(&Method::POST, "/cwmp", b"", "0a4f113b")
        .unwrap_err();
    assert!(
        matches!(err, cwmp_auth::Error::TooLong { limit: 8192, .. }),
        "{err:?}"
    );
    // A nonce that leaves room still works, and our own parser reads the result.
    let fits = HeaderValue::from_str(&format!(
        r#"Digest realm="y", nonce="{}""#,
        "d".repeat(7000)
    ))
    .unwrap();
    client.handle_unauthorized([&fits], false).unwrap();
    let auth = client
        .authorization_with_cnonce(&Method::POST, "/cwmp", b"", "0a4f113b")
        .unwrap();
    parse_credentials(auth.as_bytes(), &limits).unwrap();
}

/// `udp_connection_request`: `UdpConnectionRequest::parse` accepts raw bytes (here NULs) in a
/// query value of a datagram within `MAX_DATAGRAM`; `to_datagram` percent-encodes each of them
/// into three bytes, so the re-serialised request is longer than `MAX_DATAGRAM` and `parse`
/// refuses it. Either refuse unencoded control bytes when parsing (`sig` must be hex anyway) or
/// keep what `to_datagram` writes within the limit.
#[test]
fn udp_request_reserialises_within_the_datagram_limit() {
    let mut d = b"GET http://h?ts=5&id=6&un=cr-user&cn=&sig=".to_vec();
    d.extend(std::iter::repeat_n(0u8, 700));
    d.extend_from_slice(b" HTTP/1.1\r\n\r\n");
    assert!(d.len() <= MAX_DATAGRAM);
    // Fixed: raw control bytes in the request line are refused.
    assert!(UdpConnectionRequest::parse(&d).is_err());
    // Printable bytes that `to_datagram` percent-encodes are accepted only while the
    // re-serialised request stays within the limit, and then it parses back to the same value.
    let raw = |n: usize| {
        let mut d = b"GET http://h?ts=5&id=6&un=cr-user&cn=".to_vec();
        d.extend(std::iter::repeat_n(b'<', n));
        d.extend_from_slice(b"&sig=ab HTTP/1.1\r\n\r\n");
        d
    };
    assert!(UdpConnectionRequest::parse(&raw(700)).is_err());
    let req = UdpConnectionRequest::parse(&raw(100)).unwrap();
    let again = req.to_datagram();
    assert!(again.len() <= MAX_DATAGRAM);
    assert_eq!(UdpConnectionRequest::parse(&again).unwrap(), req);
}
