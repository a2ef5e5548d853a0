//! The connection-request listener checks (TR-069 section 3.2.2) driven by the ACS-side
//! client of this crate: right and wrong credentials, stale nonce, wrong path and method,
//! 503 during a session and over the rate limit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::TestRng;
use cwmp_auth::Error;
use cwmp_auth::connreq::{ConnectionRequestClient, Next};
use cwmp_auth::crserver::{Answer, ConnectionRequestServer, Incoming, Verdict};
use cwmp_auth::digest::Users;
use http::{HeaderValue, Method, StatusCode};

const PATH: &str = "/cr/8f3e77";
const T0: u64 = 1_700_000_000;

fn server() -> ConnectionRequestServer {
    ConnectionRequestServer::new("cpe-0001", b"cr secret 0123456789abcdef012345", PATH)
        .rate_limit(3, 60)
}

fn creds() -> Users {
    Users::new().with("acs", "cr pass")
}

/// One connection request as an ACS makes it: GET, 401, GET with credentials.
fn attempt(
    srv: &ConnectionRequestServer,
    password: &str,
    target: &str,
    session_active: bool,
    now: u64,
    rng: &mut TestRng,
) -> Answer {
    let mut acs = ConnectionRequestClient::new("acs", password);
    let get = Incoming {
        method: &Method::GET,
        target,
        authorization: None,
    };
    let first = srv.handle(&get, session_active, now, rng, &creds());
    if first.status != StatusCode::UNAUTHORIZED {
        return first;
    }
    let ch: Vec<HeaderValue> = first
        .headers
        .get_all("www-authenticate")
        .iter()
        .cloned()
        .collect();
    assert!(
        ch[0].to_str().unwrap().contains("algorithm=MD5"),
        "MD5 first"
    );
    let Ok(Next::SendWithAuthorization(auth)) = acs.on_response(first.status, &ch, target, rng)
    else {
        panic!("the client answers the challenge")
    };
    let again = Incoming {
        authorization: Some(&auth),
        ..get
    };
    srv.handle(&again, session_active, now, rng, &creds())
}

#[test]
fn right_credentials_are_accepted_and_a_session_is_due() {
    let mut rng = TestRng(1);
    let a = attempt(&server(), "cr pass", PATH, false, T0, &mut rng);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.verdict,
        Verdict::Accepted {
            username: "acs".into()
        }
    );
    assert!(a.session_due());
}

#[test]
fn wrong_credentials_get_a_fresh_challenge() {
    let mut rng = TestRng(2);
    let a = attempt(&server(), "guess", PATH, false, T0, &mut rng);
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.verdict,
        Verdict::Challenged {
            reason: Some(Error::BadCredentials),
            stale: false
        }
    );
    assert!(!a.session_due());
    // the ACS-side client reports it as bad credentials, no endless retry
    let mut acs = ConnectionRequestClient::new("acs", "guess");
    let ch: Vec<_> = a
        .headers
        .get_all("www-authenticate")
        .iter()
        .cloned()
        .collect();
    acs.on_response(a.status, &ch, PATH, &mut rng).unwrap();
    assert_eq!(
        acs.on_response(a.status, &ch, PATH, &mut rng),
        Err(Error::BadCredentials)
    );
}

#[test]
fn stale_nonce_is_answered_stale_and_the_retry_succeeds() {
    let mut rng = TestRng(3);
    let srv = server().nonce_lifetime(30);
    let get = Incoming {
        method: &Method::GET,
        target: PATH,
        authorization: None,
    };
    let first = srv.handle(&get, false, T0, &mut rng, &creds());
    let ch: Vec<_> = first
        .headers
        .get_all("www-authenticate")
        .iter()
        .cloned()
        .collect();
    let mut acs = ConnectionRequestClient::new("acs", "cr pass");
    let Ok(Next::SendWithAuthorization(auth)) = acs.on_response(first.status, &ch, PATH, &mut rng)
    else {
        panic!()
    };
    // the ACS answers after the nonce expired
    let late = srv.handle(
        &Incoming {
            authorization: Some(&auth),
            ..get
        },
        false,
        T0 + 120,
        &mut rng,
        &creds(),
    );
    assert_eq!(late.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        late.verdict,
        Verdict::Challenged {
            reason: Some(Error::Stale),
            stale: true
        }
    );
    let ch: Vec<_> = late
        .headers
        .get_all("www-authenticate")
        .iter()
        .cloned()
        .collect();
    assert!(
        ch.iter()
            .all(|c| c.to_str().unwrap().contains("stale=true"))
    );
    let Ok(Next::SendWithAuthorization(auth)) = acs.on_response(late.status, &ch, PATH, &mut rng)
    else {
        panic!("stale is a retry, not bad credentials")
    };
    let ok = srv.handle(
        &Incoming {
            authorization: Some(&auth),
            ..get
        },
        false,
        T0 + 121,
        &mut rng,
        &creds(),
    );
    assert_eq!(ok.status, StatusCode::OK);
}

#[test]
fn wrong_path_and_method() {
    let mut rng = TestRng(4);
    let srv = server();
    let a = attempt(&srv, "cr pass", "/cr/other", false, T0, &mut rng);
    assert_eq!(
        (a.status, a.verdict),
        (StatusCode::NOT_FOUND, Verdict::WrongPath)
    );
    let a = srv.handle(
        &Incoming {
            method: &Method::POST,
            target: PATH,
            authorization: None,
        },
        false,
        T0,
        &mut rng,
        &creds(),
    );
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.headers.get("allow").unwrap(), "GET");
    // a query string on the right path is fine
    let a = attempt(
        &srv,
        "cr pass",
        &format!("{PATH}?ts=1"),
        false,
        T0,
        &mut rng,
    );
    assert_eq!(a.status, StatusCode::OK);
}

#[test]
fn during_a_session_503_without_retry_after() {
    let mut rng = TestRng(5);
    let a = attempt(&server(), "cr pass", PATH, true, T0, &mut rng);
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.verdict, Verdict::SessionActive);
    assert!(a.headers.get("retry-after").is_none());
    // credentials are still checked first: a stranger gets no hint about sessions
    let a = attempt(&server(), "guess", PATH, true, T0, &mut rng);
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn over_the_rate_limit_503_then_the_window_moves_on() {
    let mut rng = TestRng(6);
    let srv = server();
    for i in 0..3 {
        assert_eq!(
            attempt(&srv, "cr pass", PATH, false, T0 + i, &mut rng).status,
            StatusCode::OK
        );
    }
    let a = attempt(&srv, "cr pass", PATH, false, T0 + 10, &mut rng);
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.verdict, Verdict::RateLimited);
    assert!(a.headers.get("retry-after").is_none());
    // refused requests do not count; a minute after the first, one slot is free again
    assert_eq!(
        attempt(&srv, "cr pass", PATH, false, T0 + 60, &mut rng).status,
        StatusCode::OK
    );
    assert_eq!(
        attempt(&srv, "cr pass", PATH, false, T0 + 60, &mut rng).status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}
