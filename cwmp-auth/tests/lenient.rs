//! Lenient parsing of real-world headers (QUIRKS 35, 36), limits, and a no-panic property.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::TestRng;
use cwmp_auth::connreq::{ConnectionRequestClient, Next};
use cwmp_auth::digest::{
    Chosen, DigestChallenge, DigestClient, DigestServer, MemoryNonceCounter, QopSet, Request,
    Users, choose_challenge,
};
use cwmp_auth::header::{Limits, parse_challenges, parse_credentials, parse_params};
use cwmp_auth::{Algorithm, Error, Qop};
use http::{HeaderValue, Method, StatusCode};
use proptest::prelude::*;

fn digest(s: &'static str) -> DigestChallenge<'static> {
    match choose_challenge([&HeaderValue::from_static(s)], &Limits::default()).unwrap() {
        Chosen::Digest(d) => d.into_owned(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn odd_but_real_challenges() {
    // Fritzbox TR-064 style: no spaces, token algorithm, quoted qop.
    let d =
        digest(r#"Digest realm="HTTPS Access",nonce="A647EDD42CF1AEE3",algorithm=MD5,qop="auth""#);
    assert_eq!(d.realm, "HTTPS Access");
    assert_eq!(d.nonce, "A647EDD42CF1AEE3");
    assert_eq!(d.qop, QopSet::AUTH);
    // easycwmp: no algorithm, opaque; names in any case; spaces around '='.
    let d = digest(r#"DIGEST Realm = "realm@easycwmp" ,QOP="auth",NONCE="d45048",Opaque="3284""#);
    assert_eq!(
        (d.realm.as_ref(), d.nonce.as_ref(), d.opaque.as_deref()),
        ("realm@easycwmp", "d45048", Some("3284"))
    );
    assert_eq!(d.algorithm, Algorithm::Md5);
    // Token values, stale in capitals, escaped quote in the realm, empty list elements.
    let d = digest(r#"Digest ,, realm="a \"b\" c", nonce=abc123, stale=TRUE, qop=auth-int,, "#);
    assert_eq!(d.realm, r#"a "b" c"#);
    assert!(d.stale);
    assert_eq!(d.qop, QopSet::AUTH_INT);
    // qop=undefined (QUIRKS 35) is no qop at all.
    let d = digest(r#"Digest realm="r", nonce="n", qop="undefined""#);
    assert!(d.qop.is_empty());
}

#[test]
fn several_schemes_in_one_header_and_in_several() {
    let one = HeaderValue::from_static(
        r#"Basic realm="b", Negotiate, NTLM abc==, Digest realm="d", nonce="1", algorithm=MD5, qop="auth", Digest realm="d", nonce="2", algorithm=SHA-256, qop="auth", Newauth realm="apps", type=1, title="Login to \"apps\"""#,
    );
    let list = parse_challenges(one.as_bytes(), &Limits::default()).unwrap();
    let schemes: Vec<_> = list.iter().map(|c| c.scheme).collect();
    assert_eq!(
        schemes,
        ["Basic", "Negotiate", "NTLM", "Digest", "Digest", "Newauth"]
    );
    assert_eq!(list[2].token68, Some("abc=="));
    assert_eq!(list[5].param("title"), Some(r#"Login to "apps""#));
    match choose_challenge([&one], &Limits::default()).unwrap() {
        Chosen::Digest(d) => assert_eq!((d.algorithm, d.nonce.as_ref()), (Algorithm::Sha256, "2")),
        other => panic!("{other:?}"),
    }
    // Unknown algorithm skipped when another is usable; an error when alone.
    let a = HeaderValue::from_static(r#"Digest realm="d", nonce="1", algorithm=SHA3-512"#);
    let b = HeaderValue::from_static(r#"Basic realm="b""#);
    assert!(matches!(
        choose_challenge([&a, &b], &Limits::default()).unwrap(),
        Chosen::Basic { .. }
    ));
    assert!(matches!(
        choose_challenge([&a], &Limits::default()),
        Err(Error::UnknownAlgorithm(_))
    ));
    // Basic only: the digest client declines.
    let mut cl = DigestClient::new("u", "p");
    assert_eq!(
        cl.handle_unauthorized([&b], false),
        Err(Error::NoSupportedChallenge)
    );
}

#[test]
fn quirk35_no_qop_means_no_nc_cnonce_or_invented_opaque() {
    let mut cl = DigestClient::new("acs", "pw");
    cl.handle_unauthorized(
        [&HeaderValue::from_static(
            r#"Digest realm="cpe", nonce="xyz""#,
        )],
        false,
    )
    .unwrap();
    let v = cl
        .authorization(&Method::GET, "/cr", b"", &mut TestRng(1))
        .unwrap();
    let s = v.to_str().unwrap();
    for absent in ["qop", "nc=", "cnonce", "opaque", "undefined", "algorithm"] {
        assert!(!s.contains(absent), "{absent} in {s}");
    }
    // RFC 2069 response: MD5(HA1:nonce:HA2)
    let ha1 = Algorithm::Md5.ha1("acs", "cpe", "pw");
    let ha2 = Algorithm::Md5.hash_joined(&[b"GET", b"/cr"]);
    let expect = Algorithm::Md5.hash_joined(&[ha1.as_bytes(), b"xyz", ha2.as_bytes()]);
    assert!(s.contains(&format!("response=\"{expect}\"")), "{s}");
}

#[test]
fn quirk36_fritzbox_authorization_is_accepted_by_the_server() {
    // FreeACS#350: Fritzbox OS 7.12 sends unquoted qop/nc/algorithm, algorithm last, ',' + space.
    let mut rng = TestRng(21);
    let srv = DigestServer::new("xaps", b"k")
        .algorithms(&[Algorithm::Md5])
        .qop(QopSet::AUTH);
    let ch = srv.challenges(1000, &mut rng, false).unwrap();
    let nonce = digest_nonce(&ch[0]);
    let ha1 = Algorithm::Md5.ha1("00040E-444E6DC3FC8B", "xaps", "pw");
    let ha2 = Algorithm::Md5.hash_joined(&[b"POST", b"/tr069/"]);
    let resp = Algorithm::Md5.hash_joined(&[
        ha1.as_bytes(),
        nonce.as_bytes(),
        b"00000001",
        b"9cb0e325e8eb",
        b"auth",
        ha2.as_bytes(),
    ]);
    let header = format!(
        "Digest username=\"00040E-444E6DC3FC8B\", \trealm=\"xaps\", nonce=\"{nonce}\", uri=\"/tr069/\", qop=auth, nc=00000001, cnonce=\"9cb0e325e8eb\", response=\"{}\", algorithm=MD5",
        resp.to_uppercase()
    );
    let users = Users::new().with("00040E-444E6DC3FC8B", "pw");
    let r = Request {
        method: &Method::POST,
        uri: "/tr069/",
        body: b"",
    };
    let v = srv
        .verify(
            &r,
            &HeaderValue::from_str(&header).unwrap(),
            1001,
            &users,
            MemoryNonceCounter::default(),
        )
        .unwrap();
    assert_eq!(v.qop, Some(Qop::Auth));
    // The same header with no spaces at all and lower-case scheme.
    let squeezed = header
        .replace(", ", ",")
        .replace(" \t", "")
        .replace("Digest", "digest")
        .replace("nc=00000001", "nc=00000002");
    srv.verify(
        &r,
        &HeaderValue::from_str(&squeezed).unwrap(),
        1001,
        &users,
        MemoryNonceCounter::default(),
    )
    .unwrap_err(); // response was computed for nc 1: refused, but parsed (no syntax error)
    let parsed = parse_credentials(squeezed.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(parsed.param("NC"), Some("00000002"));
}

fn digest_nonce(v: &HeaderValue) -> String {
    let list = parse_challenges(v.as_bytes(), &Limits::default()).unwrap();
    list[0].param("nonce").unwrap().to_owned()
}

#[test]
fn syntax_errors_carry_offsets_and_limits_hold() {
    let e = parse_challenges(br#"Digest realm="unterminated"#, &Limits::default()).unwrap_err();
    assert_eq!(
        e,
        Error::Syntax {
            offset: 13,
            reason: "unterminated quoted string"
        }
    );
    assert!(matches!(
        parse_credentials(b"Digest a=1 , ;", &Limits::default()),
        Err(Error::Syntax { .. })
    ));
    assert!(matches!(
        parse_challenges(b"Digest realm=\xff", &Limits::default()),
        Err(Error::Syntax { offset: 13, .. })
    ));
    let tight = Limits {
        max_len: 64,
        max_params: 3,
        max_challenges: 2,
    };
    assert!(matches!(
        parse_challenges(&[b'a'; 65], &tight),
        Err(Error::TooLong { len: 65, limit: 64 })
    ));
    assert!(matches!(
        parse_challenges(b"Digest a=1, b=2, c=3, d=4", &tight),
        Err(Error::TooMany { .. })
    ));
    assert!(matches!(
        parse_challenges(b"A, B, C", &tight),
        Err(Error::TooMany { .. })
    ));
    assert!(parse_params(br#"nextnonce="x", rspauth="y""#, &Limits::default()).is_ok());
}

#[test]
fn authentication_info_nextnonce_and_bad_rspauth() {
    let mut rng = TestRng(2);
    let srv = DigestServer::new("r", b"k")
        .algorithms(&[Algorithm::Sha256])
        .qop(QopSet::AUTH);
    let mut cl = DigestClient::new("u", "p");
    cl.handle_unauthorized(&srv.challenges(0, &mut rng, false).unwrap(), false)
        .unwrap();
    let a = cl.authorization(&Method::GET, "/", b"", &mut rng).unwrap();
    let mut counter = MemoryNonceCounter::default();
    let users = Users::new().with("u", "p");
    let r = Request {
        method: &Method::GET,
        uri: "/",
        body: b"",
    };
    let v = srv.verify(&r, &a, 1, &users, &mut counter).unwrap();
    let next = srv.new_nonce(1, &mut rng).unwrap();
    let info = srv.authentication_info(&v, b"", Some(&next)).unwrap();
    cl.check_authentication_info(&info, b"").unwrap();
    assert_eq!(cl.challenge().unwrap().nonce, next);
    let a2 = cl.authorization(&Method::GET, "/", b"", &mut rng).unwrap();
    assert!(a2.to_str().unwrap().contains("nc=00000001"));
    assert!(srv.verify(&r, &a2, 2, &users, &mut counter).is_ok());
    let forged = HeaderValue::from_static(r#"qop=auth, rspauth="0000", nc=00000001"#);
    assert_eq!(
        cl.check_authentication_info(&forged, b""),
        Err(Error::ServerAuthFailed)
    );
}

#[test]
fn connection_request_client_states() {
    let mut rng = TestRng(4);
    let ch = HeaderValue::from_static(r#"Digest realm="cpe", nonce="n1", qop="auth""#);
    let mut cr = ConnectionRequestClient::new("acs", "pw");
    let Next::SendWithAuthorization(_) = cr
        .on_response(StatusCode::UNAUTHORIZED, [&ch], "/cr", &mut rng)
        .unwrap()
    else {
        panic!()
    };
    // 401 again after credentials: bad credentials.
    assert_eq!(
        cr.on_response(StatusCode::UNAUTHORIZED, [&ch], "/cr", &mut rng),
        Err(Error::BadCredentials)
    );
    // stale=true after credentials: retry.
    let mut cr = ConnectionRequestClient::new("acs", "pw");
    cr.on_response(StatusCode::UNAUTHORIZED, [&ch], "/cr", &mut rng)
        .unwrap();
    let stale =
        HeaderValue::from_static(r#"Digest realm="cpe", nonce="n2", qop="auth", stale=true"#);
    assert!(matches!(
        cr.on_response(StatusCode::UNAUTHORIZED, [&stale], "/cr", &mut rng),
        Ok(Next::SendWithAuthorization(_))
    ));
    assert_eq!(
        cr.on_response(StatusCode::OK, [], "/cr", &mut rng),
        Ok(Next::Done)
    );
    assert_eq!(
        cr.on_response(StatusCode::NO_CONTENT, [], "/cr", &mut rng),
        Ok(Next::Done)
    );
    assert_eq!(
        cr.on_response(StatusCode::SERVICE_UNAVAILABLE, [], "/cr", &mut rng),
        Ok(Next::Busy)
    );
    assert_eq!(
        cr.on_response(StatusCode::NOT_FOUND, [], "/cr", &mut rng),
        Err(Error::UnexpectedStatus(404))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_headers_never_panic(s in "\\PC{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let limits = Limits::default();
        for input in [s.as_bytes(), bytes.as_slice()] {
            let _ = parse_challenges(input, &limits);
            let _ = parse_credentials(input, &limits);
            let _ = parse_params(input, &limits);
            if let Ok(v) = HeaderValue::from_bytes(input) {
                let _ = choose_challenge([&v], &limits);
                let _ = DigestClient::new("u", "p").handle_unauthorized([&v], false);
                let _ = cwmp_auth::basic::BasicCredentials::parse(&v);
                let srv = DigestServer::new("r", b"k");
                let r = Request { method: &Method::GET, uri: "/", body: b"" };
                let _ = srv.verify(&r, &v, 0, &Users::new().with("u", "p"), MemoryNonceCounter::new(2));
            }
            let _ = cwmp_auth::udp::UdpVerifier::new("u", "p").verify(input);
        }
    }

    #[test]
    fn digest_like_headers_never_panic(
        parts in proptest::collection::vec(("[a-zA-Z*-]{0,8}", "[ \t]{0,2}", "(\"[^\"]{0,10}\"?|[a-z0-9=,\\\\]{0,6})"), 0..12)
    ) {
        let mut s = String::from("Digest ");
        for (n, ws, v) in &parts {
            s.push_str(n); s.push_str(ws); s.push('='); s.push_str(v); s.push(',');
        }
        let _ = parse_challenges(s.as_bytes(), &Limits::default());
        let _ = parse_credentials(s.as_bytes(), &Limits::default());
    }
}
