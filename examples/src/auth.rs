//! A digest guard for the programs' HTTP servers, over `cwmp_auth::digest::DigestServer`'s
//! one-call `authenticate` (the CPE's connection-request listener uses
//! `cwmp_auth::crserver`; its side towards the ACS, `cwmp_auth::client_policy`).

use std::sync::RwLock;

use cwmp_auth::digest::{DigestServer, MemoryNonceCounter, Request, Users};
use cwmp_auth::{Error, OsRandom};
use http::{HeaderMap, HeaderValue, Method};

/// The outcome of checking a request.
#[derive(Debug)]
pub enum Check {
    /// Authenticated as this user.
    Ok(String),
    /// Answer 401 with these `WWW-Authenticate` values (`stale=true` set when the
    /// credentials were right but the nonce was not current); the error says why (`None`: no
    /// credentials were sent).
    Challenge(Vec<HeaderValue>, Option<Error>),
}

/// A digest verifier with stateless nonces (a client that reconnects after the 401 is
/// accepted, QUIRKS 34) and replay protection, shareable between connections.
pub struct DigestGuard {
    server: DigestServer,
    users: RwLock<Users>,
    counter: MemoryNonceCounter,
}

impl std::fmt::Debug for DigestGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestGuard")
            .field("realm", &self.server.realm())
            .finish_non_exhaustive()
    }
}

impl DigestGuard {
    /// A guard for `realm` with a fresh random secret (nonces issued before a restart are
    /// then answered `stale=true`, so clients retry).
    pub fn new(realm: &str, users: Users) -> Result<DigestGuard, Error> {
        let mut secret = [0u8; 32];
        cwmp_auth::RandomSource::fill(&mut OsRandom, &mut secret)?;
        Ok(DigestGuard {
            server: DigestServer::new(realm, &secret),
            users: RwLock::new(users),
            counter: MemoryNonceCounter::new(4096),
        })
    }

    /// Replaces the accepted users.
    pub fn set_users(&self, users: Users) {
        match self.users.write() {
            Ok(mut u) => *u = users,
            Err(p) => *p.into_inner() = users,
        }
    }

    /// Checks a request's `Authorization`: the user, or the 401 to send.
    pub fn check(&self, method: &Method, uri: &str, body: &[u8], headers: &HeaderMap) -> Check {
        let users = match self.users.read() {
            Ok(u) => u.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let request = Request { method, uri, body };
        self.server
            .authenticate(
                &request,
                headers.get(http::header::AUTHORIZATION),
                crate::net::unix_now(),
                &mut OsRandom,
                &users,
                &self.counter,
            )
            .map_or_else(
                |u| Check::Challenge(u.www_authenticate, u.reason),
                |v| Check::Ok(v.username),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cwmp_auth::client_policy::AcsCredentials;

    fn round(guard: &DigestGuard, user: &str, pass: &str) -> Check {
        let mut headers = HeaderMap::new();
        let Check::Challenge(first, None) = guard.check(&Method::POST, "/acs", b"x", &headers)
        else {
            panic!("first request must be challenged");
        };
        let mut client = AcsCredentials::new(user, pass);
        client.on_unauthorized(&first, false, false).unwrap();
        let auth = client
            .authorization(&Method::POST, "/acs", b"x", &mut OsRandom)
            .unwrap()
            .unwrap();
        headers.insert(http::header::AUTHORIZATION, auth);
        guard.check(&Method::POST, "/acs", b"x", &headers)
    }

    #[test]
    fn digest_right_and_wrong_password() {
        let guard = DigestGuard::new("cwmp", Users::new().with("cpe", "secret")).unwrap();
        assert!(matches!(round(&guard, "cpe", "secret"), Check::Ok(u) if u == "cpe"));
        assert!(matches!(
            round(&guard, "cpe", "wrong"),
            Check::Challenge(_, Some(Error::BadCredentials))
        ));
    }
}
