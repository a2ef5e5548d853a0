//! UDP connection request (SPEC CR-10).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_auth::Error;
use cwmp_auth::udp::{UdpConnectionRequest, UdpVerifier, signature};

#[test]
fn spec_cr10_vector() {
    assert_eq!(
        signature("pw", "1700000000", "123", "user", "abcd"),
        "41995b0c8a8f51affcb3965038397631b3522b76"
    );
    let r = UdpConnectionRequest::new_signed(
        "10.0.0.1",
        Some(7547),
        1_700_000_000,
        123,
        "user",
        "abcd",
        "pw",
    );
    assert_eq!(
        r.request_line(),
        "GET http://10.0.0.1:7547?ts=1700000000&id=123&un=user&cn=abcd&sig=41995b0c8a8f51affcb3965038397631b3522b76 HTTP/1.1"
    );
    assert_eq!(
        String::from_utf8(r.to_datagram()).unwrap(),
        format!("{}\r\nHost: 10.0.0.1:7547\r\n\r\n", r.request_line())
    );
}

#[test]
fn verifier_accepts_once_and_rules() {
    let mut v = UdpVerifier::new("user", "pw");
    let d =
        UdpConnectionRequest::new_signed("h", Some(7547), 1_700_000_000, 123, "user", "abcd", "pw")
            .to_datagram();
    let got = v.verify(&d).unwrap();
    assert_eq!(got.ts(), Some(1_700_000_000));
    assert_eq!(got.id(), Some(123));
    // Copies of the same request (GenieACS sends 3) are refused.
    assert_eq!(v.verify(&d), Err(Error::Replay));
    // New id but a timestamp not increasing: refused.
    let older =
        UdpConnectionRequest::new_signed("h", Some(7547), 1_700_000_000, 124, "user", "x", "pw")
            .to_datagram();
    assert_eq!(v.verify(&older), Err(Error::Replay));
    // Later timestamp, new id: accepted.
    let next =
        UdpConnectionRequest::new_signed("h", Some(7547), 1_700_000_005, 124, "user", "x", "pw")
            .to_datagram();
    assert!(v.verify(&next).is_ok());
    // Wrong password, wrong user.
    let bad = UdpConnectionRequest::new_signed("h", None, 1_700_000_009, 125, "user", "x", "nope")
        .to_datagram();
    assert_eq!(v.verify(&bad), Err(Error::BadCredentials));
    let other = UdpConnectionRequest::new_signed("h", None, 1_700_000_009, 125, "eve", "x", "pw")
        .to_datagram();
    assert_eq!(v.verify(&other), Err(Error::BadCredentials));
}

#[test]
fn signature_compared_case_insensitively_and_lenient_forms() {
    let mut v = UdpVerifier::new("user", "pw");
    let d = b"GET http://[2001:db8::1]:7547/?ts=1700000000&id=123&un=user&cn=abcd&sig=41995B0C8A8F51AFFCB3965038397631B3522B76 HTTP/1.1\nHost: x\n\n";
    let r = v.verify(d).unwrap();
    assert_eq!(r.host(), "[2001:db8::1]:7547");
}

#[test]
fn malformed_datagrams() {
    let mut v = UdpVerifier::new("user", "pw");
    for d in [
        &b""[..],
        b"POST http://h?ts=1&id=1&un=user&cn=a&sig=00 HTTP/1.1",
        b"GET http://h HTTP/1.1",
        b"GET http://h?id=1&un=user&cn=a&sig=00 HTTP/1.1",
        b"GET http://h?ts=x&id=1&un=user&cn=a&sig=00 HTTP/1.1",
        b"GET http://h?ts=1&ts=2&id=1&un=user&cn=a&sig=00 HTTP/1.1",
        b"GET http://h?ts=1&id=1&un=%zz&cn=a&sig=00 HTTP/1.1",
        b"GET http://h?ts=99999999999999999999999&id=1&un=user&cn=a&sig=00 HTTP/1.1",
        b"\xff\xfe",
    ] {
        assert!(matches!(v.verify(d), Err(Error::UdpMalformed(_))), "{d:?}");
    }
    assert!(v.verify(&vec![b'G'; 5000]).is_err());
}

#[test]
fn special_characters_round_trip() {
    let r = UdpConnectionRequest::new_signed("h", None, 1, 2, "us er&=", "c/n?", "p");
    let line = String::from_utf8(r.to_datagram()).unwrap();
    assert!(line.contains("un=us%20er%26%3D"), "{line}");
    let mut v = UdpVerifier::new("us er&=", "p");
    assert_eq!(v.verify(line.as_bytes()).unwrap().cnonce(), "c/n?");
}

#[test]
fn debug_redacts_password() {
    let v = UdpVerifier::new("user", "topsecret");
    assert!(!format!("{v:?}").contains("topsecret"));
}
