//! The digest server's one-call API, the split API for asynchronous user databases, the
//! stale answer after a restart (RFC 7616 section 3.3) and the shared nonce counter.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::sync::Arc;

use common::TestRng;
use cwmp_auth::digest::{
    DEFAULT_ALGORITHMS, DigestClient, DigestServer, MemoryNonceCounter, Password, Request, UserRef,
    Users,
};
use cwmp_auth::{Algorithm, Error};
use http::{HeaderValue, Method, StatusCode};

const SECRET: &[u8] = b"persisted secret 0123456789abcdef";
const T0: u64 = 1_700_000_000;

fn req() -> Request<'static> {
    Request {
        method: &Method::POST,
        uri: "/acs",
        body: b"<x/>",
    }
}

fn answer(challenges: &[HeaderValue], user: &str, pass: &str, rng: &mut TestRng) -> HeaderValue {
    let mut c = DigestClient::new(user, pass);
    c.handle_unauthorized(challenges, false).unwrap();
    c.authorization(&Method::POST, "/acs", b"<x/>", rng)
        .unwrap()
}

#[test]
fn md5_is_offered_first_by_default() {
    assert_eq!(DEFAULT_ALGORITHMS, [Algorithm::Md5, Algorithm::Sha256]);
    let server = DigestServer::new("acs", SECRET);
    let ch = server.challenges(T0, &mut TestRng(1), false).unwrap();
    assert!(ch[0].to_str().unwrap().contains("algorithm=MD5"));
    assert!(ch[1].to_str().unwrap().contains("algorithm=SHA-256"));
    // a client that reads every challenge still picks the strongest
    let a = answer(&ch, "u", "p", &mut TestRng(2));
    assert!(a.to_str().unwrap().contains("algorithm=SHA-256"));
}

#[test]
fn authenticate_gives_the_401_or_the_user() {
    let mut rng = TestRng(3);
    let server = DigestServer::new("acs", SECRET);
    let users = Users::new().with("cpe", "pw");
    let counter = MemoryNonceCounter::default();

    let none = server
        .authenticate(&req(), None, T0, &mut rng, &users, &counter)
        .unwrap_err();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.www_authenticate.len(), 2);
    assert_eq!(none.headers().get_all("www-authenticate").iter().count(), 2);
    assert!(!none.stale);
    assert_eq!(none.reason, None);

    let wrong = answer(&none.www_authenticate, "cpe", "nope", &mut rng);
    let refused = server
        .authenticate(&req(), Some(&wrong), T0, &mut rng, &users, &counter)
        .unwrap_err();
    assert_eq!(refused.reason, Some(Error::BadCredentials));
    assert!(!refused.stale);

    let right = answer(&none.www_authenticate, "cpe", "pw", &mut rng);
    let ok = server
        .authenticate(&req(), Some(&right), T0 + 1, &mut rng, &users, &counter)
        .unwrap();
    assert_eq!(ok.username, "cpe");

    // the same header again is a replay; much later the nonce is stale
    let replay = server
        .authenticate(&req(), Some(&right), T0 + 2, &mut rng, &users, &counter)
        .unwrap_err();
    assert_eq!(replay.reason, Some(Error::Replay));
    let late = answer(&none.www_authenticate, "cpe", "pw", &mut rng);
    let stale = server
        .authenticate(&req(), Some(&late), T0 + 10_000, &mut rng, &users, &counter)
        .unwrap_err();
    assert!(stale.stale);
    assert!(
        stale.www_authenticate[0]
            .to_str()
            .unwrap()
            .contains("stale=true")
    );
}

#[test]
fn restart_with_a_new_secret_is_stale_with_a_persisted_secret_valid() {
    let mut rng = TestRng(4);
    let users = Users::new().with("cpe", "pw");
    let before = DigestServer::new("acs", SECRET);
    let ch = before.challenges(T0, &mut rng, false).unwrap();
    let right = answer(&ch, "cpe", "pw", &mut rng);
    let wrong = answer(&ch, "cpe", "bad", &mut rng);

    // restarted with a fresh secret: right password over the old nonce → stale=true
    let fresh = DigestServer::new("acs", b"a brand new secret after restart!");
    let counter = MemoryNonceCounter::default();
    let u = fresh
        .authenticate(&req(), Some(&right), T0 + 1, &mut rng, &users, &counter)
        .unwrap_err();
    assert_eq!(u.reason, Some(Error::Stale));
    assert!(u.stale);
    assert!(
        u.www_authenticate[0]
            .to_str()
            .unwrap()
            .contains("stale=true")
    );
    // and the client retries without reporting bad credentials
    let mut client = DigestClient::new("cpe", "pw");
    client.handle_unauthorized(&ch, false).unwrap();
    client
        .handle_unauthorized(&u.www_authenticate, true)
        .unwrap();
    // wrong password over the old nonce → not stale
    let u = fresh
        .authenticate(&req(), Some(&wrong), T0 + 1, &mut rng, &users, &counter)
        .unwrap_err();
    assert_eq!(u.reason, Some(Error::InvalidNonce));
    assert!(!u.stale);

    // restarted with the persisted secret: the old nonce is still good
    let persisted = DigestServer::new("acs", SECRET);
    let ok = persisted
        .authenticate(&req(), Some(&right), T0 + 1, &mut rng, &users, &counter)
        .unwrap();
    assert_eq!(ok.username, "cpe");
}

#[test]
fn user_looked_up_first_verified_after() {
    let mut rng = TestRng(5);
    let server = DigestServer::new("acs", SECRET).userhash(true);
    let ch = server.challenges(T0, &mut rng, false).unwrap();
    let auth = answer(&ch, "cpe-42", "pw", &mut rng);
    let claim = server.claim(&req(), &auth).unwrap();
    assert_eq!(claim.algorithm, Algorithm::Sha256);
    // the database is asked by hash (userhash=true); here it finds the user by scanning
    let UserRef::Hash(h) = claim.user() else {
        panic!("userhash expected")
    };
    let found = ["cpe-1", "cpe-42"]
        .into_iter()
        .find(|u| claim.algorithm.userhash(u, "acs") == h)
        .unwrap();
    let counter = MemoryNonceCounter::default();
    let v = server
        .finish(
            &req(),
            claim.clone(),
            Some((found.to_owned(), Password::Plain("pw".into()))),
            T0 + 1,
            &counter,
        )
        .unwrap();
    assert_eq!(v.username, "cpe-42");
    // unknown user
    assert_eq!(
        server
            .finish(&req(), claim, None, T0 + 1, &counter)
            .unwrap_err(),
        Error::BadCredentials
    );
}

#[test]
fn one_counter_shared_by_threads() {
    let server = Arc::new(DigestServer::new("acs", SECRET));
    let users = Arc::new(Users::new().with("cpe", "pw"));
    let counter = Arc::new(MemoryNonceCounter::default());
    let handles: Vec<_> = (0..4u64)
        .map(|i| {
            let (server, users, counter) = (server.clone(), users.clone(), counter.clone());
            std::thread::spawn(move || {
                let mut rng = TestRng(10 + i);
                let ch = server.challenges(T0, &mut rng, false).unwrap();
                let a = answer(&ch, "cpe", "pw", &mut rng);
                let first = server.verify(&req(), &a, T0 + 1, &*users, &counter).is_ok();
                let replay = server.verify(&req(), &a, T0 + 1, &*users, &counter);
                (first, replay)
            })
        })
        .collect();
    for h in handles {
        let (first, replay) = h.join().unwrap();
        assert!(first);
        assert_eq!(replay.unwrap_err(), Error::Replay);
    }
    assert_eq!(counter.len(), 4);
}
