//! Client → server round trips with a fake clock.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::TestRng;
use cwmp_auth::digest::{
    DigestClient, DigestServer, MemoryNonceCounter, Password, QopSet, Request, Users,
};
use cwmp_auth::{Algorithm, Error, Qop};
use http::{HeaderValue, Method};

const T0: u64 = 1_700_000_000;

fn server(alg: Algorithm, qop: QopSet) -> DigestServer {
    DigestServer::new("cwmp@example.org", b"0123456789abcdef0123456789abcdef")
        .algorithms(&[alg])
        .qop(qop)
        .opaque("op4que")
}

fn users() -> Users {
    Users::new()
        .with("cpe", "s3cret")
        .with("J\u{e4}s\u{f8}n", "p\u{e4}ss")
}

fn req<'a>(m: &'a Method, uri: &'a str, body: &'a [u8]) -> Request<'a> {
    Request {
        method: m,
        uri,
        body,
    }
}

#[test]
fn every_algorithm_and_qop_round_trips() {
    let qops = [
        (QopSet::NONE, None),
        (QopSet::AUTH, Some(Qop::Auth)),
        (QopSet::AUTH_INT, Some(Qop::AuthInt)),
    ];
    let mut rng = TestRng(7);
    for alg in Algorithm::ALL {
        for (set, expect) in qops {
            let srv = server(alg, set);
            let mut counter = MemoryNonceCounter::new(16);
            let challenges = srv.challenges(T0, &mut rng, false).unwrap();
            let mut cl = DigestClient::new("cpe", "s3cret");
            cl.handle_unauthorized(&challenges, false).unwrap();
            let body = b"<soap:Envelope/>";
            let m = Method::POST;
            if set.is_empty() && alg.is_session() {
                // A -sess HA1 needs a cnonce, sent only with a qop: refused on both sides.
                assert_eq!(
                    cl.authorization(&m, "/acs", body, &mut rng).unwrap_err(),
                    Error::InvalidParam("algorithm")
                );
                continue;
            }
            let auth = cl.authorization(&m, "/acs", body, &mut rng).unwrap();
            let text = auth.to_str().unwrap();
            if set.is_empty() {
                // QUIRKS 35: no qop, nc or cnonce when the challenge had no qop.
                assert!(
                    !text.contains("qop") && !text.contains("nc=") && !text.contains("cnonce"),
                    "{text}"
                );
            }
            let v = srv
                .verify(
                    &req(&m, "/acs", body),
                    &auth,
                    T0 + 1,
                    &users(),
                    &mut counter,
                )
                .unwrap_or_else(|e| panic!("{alg} {set:?}: {e} for {text}"));
            assert_eq!(v.username, "cpe");
            assert_eq!(v.algorithm, alg);
            assert_eq!(v.qop, expect);
            // Authentication-Info built by the server is accepted by the client.
            let info = srv.authentication_info(&v, b"response body", None).unwrap();
            cl.check_authentication_info(&info, b"response body")
                .unwrap();
            // A second request on the same nonce (nc 2) is accepted too.
            let auth2 = cl.authorization(&m, "/acs", body, &mut rng).unwrap();
            srv.verify(
                &req(&m, "/acs", body),
                &auth2,
                T0 + 2,
                &users(),
                &mut counter,
            )
            .unwrap();
            // Wrong password refused.
            let mut bad = DigestClient::new("cpe", "wrong");
            bad.handle_unauthorized(&challenges, false).unwrap();
            let a = bad.authorization(&m, "/acs", body, &mut rng).unwrap();
            assert_eq!(
                srv.verify(&req(&m, "/acs", body), &a, T0 + 1, &users(), &mut counter)
                    .unwrap_err(),
                Error::BadCredentials
            );
            // auth-int protects the body.
            if expect == Some(Qop::AuthInt) {
                let a = cl.authorization(&m, "/acs", body, &mut rng).unwrap();
                assert_eq!(
                    srv.verify(
                        &req(&m, "/acs", b"tampered"),
                        &a,
                        T0 + 1,
                        &users(),
                        &mut counter
                    )
                    .unwrap_err(),
                    Error::BadCredentials
                );
            }
        }
    }
}

#[test]
fn nonce_survives_a_new_connection_and_another_server_instance() {
    let mut rng = TestRng(11);
    let srv1 = server(Algorithm::Md5, QopSet::AUTH);
    let ch = srv1.challenges(T0, &mut rng, false).unwrap();
    // "Connection" 1 ends after the 401; the Fritzbox reconnects. No state was kept except the
    // secret: a fresh server value with the same secret accepts the nonce.
    drop(srv1);
    let srv2 = server(Algorithm::Md5, QopSet::AUTH);
    let mut cl = DigestClient::new("cpe", "s3cret");
    cl.handle_unauthorized(&ch, false).unwrap();
    let a = cl
        .authorization(&Method::POST, "/acs", b"", &mut rng)
        .unwrap();
    let mut counter = MemoryNonceCounter::default();
    assert!(
        srv2.verify(
            &req(&Method::POST, "/acs", b""),
            &a,
            T0 + 5,
            &users(),
            &mut counter
        )
        .is_ok()
    );
    // A server with another secret (restarted without persisting it) does not accept the
    // nonce, but the response over it is right: stale=true, so the client retries with a
    // new nonce instead of reporting bad credentials (RFC 7616 section 3.3).
    let other = DigestServer::new("cwmp@example.org", b"another secret")
        .algorithms(&[Algorithm::Md5])
        .opaque("op4que");
    assert_eq!(
        other
            .verify(
                &req(&Method::POST, "/acs", b""),
                &a,
                T0 + 5,
                &users(),
                MemoryNonceCounter::default()
            )
            .unwrap_err(),
        Error::Stale
    );
    // With a wrong password the old nonce is simply not ours.
    let wrong = Users::new().with("cpe", "not the password");
    assert_eq!(
        other
            .verify(
                &req(&Method::POST, "/acs", b""),
                &a,
                T0 + 5,
                &wrong,
                MemoryNonceCounter::default()
            )
            .unwrap_err(),
        Error::InvalidNonce
    );
}

#[test]
fn replayed_nc_is_refused() {
    let mut rng = TestRng(3);
    let srv = server(Algorithm::Sha256, QopSet::AUTH);
    let mut counter = MemoryNonceCounter::new(8);
    let mut cl = DigestClient::new("cpe", "s3cret");
    cl.handle_unauthorized(&srv.challenges(T0, &mut rng, false).unwrap(), false)
        .unwrap();
    let a1 = cl
        .authorization(&Method::POST, "/acs", b"", &mut rng)
        .unwrap();
    let a2 = cl
        .authorization(&Method::POST, "/acs", b"", &mut rng)
        .unwrap();
    let r = req(&Method::POST, "/acs", b"");
    srv.verify(&r, &a2, T0, &users(), &mut counter).unwrap();
    // Same request again, and a lower nc: both replays.
    assert_eq!(
        srv.verify(&r, &a2, T0, &users(), &mut counter).unwrap_err(),
        Error::Replay
    );
    assert_eq!(
        srv.verify(&r, &a1, T0, &users(), &mut counter).unwrap_err(),
        Error::Replay
    );
}

#[test]
fn expired_nonce_gives_stale_and_client_retries_without_new_credentials() {
    let mut rng = TestRng(5);
    let srv = server(Algorithm::Sha512_256, QopSet::AUTH).nonce_lifetime(60);
    let mut counter = MemoryNonceCounter::new(8);
    let mut cl = DigestClient::new("cpe", "s3cret");
    cl.handle_unauthorized(&srv.challenges(T0, &mut rng, false).unwrap(), false)
        .unwrap();
    let r = req(&Method::POST, "/acs", b"");
    let a = cl
        .authorization(&Method::POST, "/acs", b"", &mut rng)
        .unwrap();
    assert_eq!(
        srv.verify(&r, &a, T0 + 61, &users(), &mut counter)
            .unwrap_err(),
        Error::Stale
    );
    // The server challenges again with stale=true; the client retries on its own.
    let again = srv.challenges(T0 + 61, &mut rng, true).unwrap();
    assert!(again[0].to_str().unwrap().contains("stale=true"));
    cl.handle_unauthorized(&again, true).unwrap();
    let a = cl
        .authorization(&Method::POST, "/acs", b"", &mut rng)
        .unwrap();
    assert!(a.to_str().unwrap().contains("nc=00000001"));
    assert!(srv.verify(&r, &a, T0 + 62, &users(), &mut counter).is_ok());
    // Whereas a plain 401 after credentials means they are wrong.
    let plain = srv.challenges(T0 + 62, &mut rng, false).unwrap();
    assert_eq!(
        cl.handle_unauthorized(&plain, true).unwrap_err(),
        Error::BadCredentials
    );
    // An expired nonce with a wrong password is not "stale" but wrong.
    let mut bad = DigestClient::new("cpe", "nope");
    bad.handle_unauthorized(&srv.challenges(T0, &mut rng, false).unwrap(), false)
        .unwrap();
    let a = bad
        .authorization(&Method::POST, "/acs", b"", &mut rng)
        .unwrap();
    assert_eq!(
        srv.verify(&r, &a, T0 + 100, &users(), &mut counter)
            .unwrap_err(),
        Error::BadCredentials
    );
}

#[test]
fn ha1_password_userhash_and_username_star() {
    let mut rng = TestRng(9);
    struct Ha1Store;
    impl cwmp_auth::digest::CredentialStore for Ha1Store {
        fn password(&self, user: &str, realm: &str, alg: Algorithm) -> Option<Password> {
            (user == "cpe").then(|| Password::Ha1(alg.ha1("cpe", realm, "s3cret").to_uppercase()))
        }
    }
    for alg in [Algorithm::Md5Sess, Algorithm::Sha256] {
        let srv = server(alg, QopSet::AUTH);
        let mut cl = DigestClient::new("cpe", "s3cret");
        cl.handle_unauthorized(&srv.challenges(T0, &mut rng, false).unwrap(), false)
            .unwrap();
        let a = cl.authorization(&Method::GET, "/", b"", &mut rng).unwrap();
        let v = srv.verify(
            &req(&Method::GET, "/", b""),
            &a,
            T0,
            &Ha1Store,
            MemoryNonceCounter::default(),
        );
        assert_eq!(v.unwrap().username, "cpe");
    }
    // userhash
    let srv = server(Algorithm::Sha256, QopSet::AUTH).userhash(true);
    let mut cl = DigestClient::new("cpe", "s3cret");
    cl.handle_unauthorized(&srv.challenges(T0, &mut rng, false).unwrap(), false)
        .unwrap();
    let a = cl.authorization(&Method::GET, "/", b"", &mut rng).unwrap();
    let text = a.to_str().unwrap();
    assert!(
        text.contains(&Algorithm::Sha256.userhash("cpe", "cwmp@example.org"))
            && text.contains("userhash=true")
    );
    let v = srv
        .verify(
            &req(&Method::GET, "/", b""),
            &a,
            T0,
            &users(),
            MemoryNonceCounter::default(),
        )
        .unwrap();
    assert_eq!(v.username, "cpe");
    // username* for a non-ASCII name
    let srv = server(Algorithm::Sha256, QopSet::AUTH);
    let mut cl = DigestClient::new("J\u{e4}s\u{f8}n", "p\u{e4}ss");
    cl.handle_unauthorized(&srv.challenges(T0, &mut rng, false).unwrap(), false)
        .unwrap();
    let a = cl.authorization(&Method::GET, "/", b"", &mut rng).unwrap();
    assert!(
        a.to_str()
            .unwrap()
            .contains("username*=UTF-8''J%C3%A4s%C3%B8n")
    );
    let v = srv
        .verify(
            &req(&Method::GET, "/", b""),
            &a,
            T0,
            &users(),
            MemoryNonceCounter::default(),
        )
        .unwrap();
    assert_eq!(v.username, "J\u{e4}s\u{f8}n");
}

#[test]
fn server_refuses_downgrades_and_mismatches() {
    let mut rng = TestRng(13);
    let srv = server(Algorithm::Sha256, QopSet::AUTH);
    let r = req(&Method::GET, "/x", b"");
    let mut cl = DigestClient::new("cpe", "s3cret");
    let ch = srv.challenges(T0, &mut rng, false).unwrap();
    cl.handle_unauthorized(&ch, false).unwrap();
    let good = cl.authorization(&Method::GET, "/x", b"", &mut rng).unwrap();
    let good = good.to_str().unwrap().to_owned();
    let verify = |s: &str| {
        let v = HeaderValue::from_str(s).unwrap();
        srv.verify(&r, &v, T0, &users(), MemoryNonceCounter::default())
            .map(|v| v.username)
    };
    assert!(verify(&good).is_ok());
    assert!(matches!(
        verify(&good.replace("SHA-256", "MD5")),
        Err(Error::UnknownAlgorithm(_))
    ));
    assert_eq!(
        verify(&good.replace("cwmp@example.org", "other")),
        Err(Error::RealmMismatch)
    );
    assert_eq!(
        verify(&good.replace("uri=\"/x\"", "uri=\"/y\"")),
        Err(Error::UriMismatch)
    );
    assert_eq!(
        verify(&good.replace("op4que", "other")),
        Err(Error::InvalidParam("opaque"))
    );
    assert_eq!(
        verify(&good.replace("username=\"cpe\"", "username=\"nobody\"")),
        Err(Error::BadCredentials)
    );
    assert!(verify(&good.replace("Digest", "Basic")).is_err());
    let no_qop = good.split(", qop=").next().unwrap().to_owned();
    assert_eq!(verify(&no_qop), Err(Error::MissingParam("qop")));
    // A forged nonce is refused.
    let nonce = cl.challenge().unwrap().nonce.to_string();
    let mut forged = nonce.clone().into_bytes();
    forged[2] = if forged[2] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    assert_eq!(
        verify(&good.replace(&nonce, &forged)),
        Err(Error::InvalidNonce)
    );
    // Absolute-form uri with the same path is accepted.
    let mut cl2 = DigestClient::new("cpe", "s3cret");
    cl2.handle_unauthorized(&ch, false).unwrap();
    let abs = cl2
        .authorization(&Method::GET, "http://acs.example/x", b"", &mut rng)
        .unwrap();
    assert!(
        srv.verify(&r, &abs, T0, &users(), MemoryNonceCounter::default())
            .is_ok()
    );
}

#[test]
fn memory_counter_is_bounded_and_never_forgets_into_a_replay() {
    let c = MemoryNonceCounter::new(4);
    use cwmp_auth::digest::{NcVerdict, NonceCounter};
    for i in 0..4u64 {
        assert_eq!(
            c.check(&format!("n{i}"), T0 + i, T0 + i + 300, 1, T0 + i),
            NcVerdict::Fresh
        );
    }
    assert_eq!(c.len(), 4);
    // Full, nothing expired: the oldest is evicted and its nonce is then "forgotten".
    assert_eq!(c.check("n4", T0 + 4, T0 + 304, 1, T0 + 4), NcVerdict::Fresh);
    assert_eq!(c.len(), 4);
    assert_eq!(c.check("n0", T0, T0 + 300, 2, T0 + 5), NcVerdict::Forgotten);
    assert_eq!(
        c.check("n4", T0 + 4, T0 + 304, 1, T0 + 5),
        NcVerdict::Replay
    );
    // Later, everything expired: pruned.
    assert_eq!(
        c.check("n9", T0 + 1000, T0 + 1300, 1, T0 + 1000),
        NcVerdict::Fresh
    );
    assert_eq!(c.len(), 1);
}

#[test]
fn debug_output_has_no_secrets() {
    let srv = DigestServer::new("r", b"supersecretkey");
    let cl = DigestClient::new("u", "hunter2");
    let all = format!(
        "{srv:?} {cl:?} {:?} {:?}",
        Password::Plain("hunter2".into()),
        Users::new().with("u", "hunter2")
    );
    assert!(
        !all.contains("hunter2") && !all.contains("supersecretkey"),
        "{all}"
    );
}
