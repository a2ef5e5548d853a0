//! HTTP authentication of the programs, over cwmp-auth: a digest guard for servers (the ACS
//! towards CPEs, the CPE's connection-request listener towards the ACS) and the CPE's client
//! side (digest, or Basic when allowed).

use std::sync::Mutex;

use cwmp_auth::digest::{DigestClient, DigestServer, MemoryNonceCounter, Request, Users};
use cwmp_auth::{Error, OsRandom};
use http::{HeaderMap, HeaderValue, Method};

/// The outcome of checking a request.
#[derive(Debug)]
pub enum Check {
    /// Authenticated as this user.
    Ok(String),
    /// Answer 401 with these `WWW-Authenticate` values; the error says why (`None`: no
    /// credentials were sent).
    Challenge(Vec<HeaderValue>, Option<Error>),
}

/// A digest verifier with stateless nonces (a client that reconnects after the 401 is accepted,
/// QUIRKS 34) and replay protection.
pub struct DigestGuard {
    server: DigestServer,
    users: Mutex<Users>,
    counter: Mutex<MemoryNonceCounter>,
}

impl std::fmt::Debug for DigestGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestGuard")
            .field("realm", &self.server.realm())
            .finish_non_exhaustive()
    }
}

impl DigestGuard {
    /// A guard for `realm` with a fresh random secret.
    pub fn new(realm: &str, users: Users) -> Result<DigestGuard, Error> {
        let mut secret = [0u8; 32];
        cwmp_auth::RandomSource::fill(&mut OsRandom, &mut secret)?;
        Ok(DigestGuard {
            server: DigestServer::new(realm, &secret),
            users: Mutex::new(users),
            counter: Mutex::new(MemoryNonceCounter::new(4096)),
        })
    }

    /// Replaces the accepted users (the CPE's connection-request credentials change when the
    /// ACS sets them).
    pub fn set_users(&self, users: Users) {
        if let Ok(mut u) = self.users.lock() {
            *u = users;
        }
    }

    /// Checks a request's `Authorization`.
    pub fn check(&self, method: &Method, uri: &str, body: &[u8], headers: &HeaderMap) -> Check {
        let now = crate::net::unix_now();
        let verdict = match headers.get(http::header::AUTHORIZATION) {
            None => None,
            Some(auth) => {
                let users = match self.users.lock() {
                    Ok(u) => u.clone(),
                    Err(_) => Users::new(),
                };
                let mut counter = match self.counter.lock() {
                    Ok(c) => c,
                    Err(poisoned) => poisoned.into_inner(),
                };
                let req = Request { method, uri, body };
                Some(self.server.verify(&req, auth, now, &users, &mut *counter))
            }
        };
        match verdict {
            Some(Ok(v)) => Check::Ok(v.username),
            Some(Err(e)) => {
                let stale = matches!(e, Error::Stale);
                Check::Challenge(self.challenges(now, stale), Some(e))
            }
            None => Check::Challenge(self.challenges(now, false), None),
        }
    }

    fn challenges(&self, now: u64, stale: bool) -> Vec<HeaderValue> {
        self.server
            .challenges(now, &mut OsRandom, stale)
            .unwrap_or_default()
    }
}

/// How the CPE authenticates towards the ACS.
#[derive(Debug)]
pub struct ClientAuth {
    username: String,
    password: String,
    allow_basic: bool,
    state: ClientState,
}

#[derive(Debug)]
enum ClientState {
    /// No challenge seen yet: send no credentials.
    None,
    Digest(Box<DigestClient>),
    Basic,
}

impl ClientAuth {
    /// Credentials `ManagementServer.Username` / `Password`. Basic is used only when
    /// `allow_basic` (AUTH-01 allows it over TLS; these examples speak plain HTTP, so it is an
    /// explicit opt-in for ACSs that offer nothing else).
    pub fn new(username: &str, password: &str, allow_basic: bool) -> ClientAuth {
        ClientAuth {
            username: username.to_owned(),
            password: password.to_owned(),
            allow_basic,
            state: ClientState::None,
        }
    }

    /// Forgets the challenge (a new session starts from scratch).
    pub fn reset(&mut self) {
        self.state = ClientState::None;
    }

    /// The scheme in use, for logs.
    pub fn scheme(&self) -> &'static str {
        match self.state {
            ClientState::None => "none",
            ClientState::Digest(_) => "digest",
            ClientState::Basic => "basic",
        }
    }

    /// The `Authorization` value for a request, once a challenge was answered.
    pub fn authorization(
        &mut self,
        method: &Method,
        uri: &str,
        body: &[u8],
    ) -> Result<Option<HeaderValue>, Error> {
        match &mut self.state {
            ClientState::None => Ok(None),
            ClientState::Digest(d) => d.authorization(method, uri, body, &mut OsRandom).map(Some),
            ClientState::Basic => {
                cwmp_auth::basic::authorization(&self.username, &self.password).map(Some)
            }
        }
    }

    /// A 401 arrived; `sent` says whether the refused request carried credentials. `Ok` means
    /// "send it again with [`authorization`](Self::authorization)".
    pub fn on_unauthorized(&mut self, headers: &HeaderMap, sent: bool) -> Result<(), Error> {
        let values = headers.get_all(http::header::WWW_AUTHENTICATE);
        let mut client = match std::mem::replace(&mut self.state, ClientState::None) {
            ClientState::Digest(d) => d,
            _ => Box::new(DigestClient::new(&self.username, &self.password)),
        };
        match client.handle_unauthorized(values.iter(), sent) {
            Ok(()) => {
                self.state = ClientState::Digest(client);
                Ok(())
            }
            Err(Error::NoSupportedChallenge) if self.allow_basic && !sent => {
                self.state = ClientState::Basic;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(guard: &DigestGuard, user: &str, pass: &str) -> Check {
        let mut headers = HeaderMap::new();
        let Check::Challenge(ch, None) = guard.check(&Method::POST, "/acs", b"x", &headers) else {
            panic!("first request must be challenged");
        };
        let mut resp = HeaderMap::new();
        for c in ch {
            resp.append(http::header::WWW_AUTHENTICATE, c);
        }
        let mut client = ClientAuth::new(user, pass, false);
        client.on_unauthorized(&resp, false).unwrap();
        let auth = client
            .authorization(&Method::POST, "/acs", b"x")
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

    #[test]
    fn basic_only_when_allowed() {
        let mut resp = HeaderMap::new();
        resp.append(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"x\""),
        );
        let mut strict = ClientAuth::new("u", "p", false);
        assert!(strict.on_unauthorized(&resp, false).is_err());
        let mut lax = ClientAuth::new("u", "p", true);
        lax.on_unauthorized(&resp, false).unwrap();
        assert_eq!(lax.scheme(), "basic");
        let v = lax.authorization(&Method::POST, "/", b"").unwrap().unwrap();
        assert_eq!(v, "Basic dTpw");
    }
}
