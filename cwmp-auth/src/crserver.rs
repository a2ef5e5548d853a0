//! The CPE's HTTP Connection Request listener (ACS → CPE, TR-069 section 3.2.2), without I/O:
//! what to answer to each incoming request.
//!
//! The checks, in order: the method is `GET` (else 405), the path is the configured one
//! (else 404), digest credentials with `ConnectionRequestUsername`/`Password` (else 401 with
//! challenges; `stale=true` when the credentials were right but the nonce was not current),
//! no session in progress (else 503, no `Retry-After`), and at most a configured number of
//! accepted requests per time window (else 503, no `Retry-After`). An accepted request is
//! answered 200 and the CPE opens a session with `6 CONNECTION REQUEST`.
//!
//! Nonces are stateless (HMAC under the server secret, see
//! [`DigestServer`]), so the ACS may come back on a new TCP connection after
//! the 401. The challenge order defaults to MD5 first ([`DEFAULT_ALGORITHMS`]): many ACS-side
//! HTTP clients read only the first challenge.
//!
//! ```
//! use cwmp_auth::connreq::{ConnectionRequestClient, Next};
//! use cwmp_auth::crserver::{ConnectionRequestServer, Incoming, Verdict};
//! use cwmp_auth::digest::Users;
//! use cwmp_auth::http::{Method, StatusCode};
//! use cwmp_auth::OsRandom;
//!
//! let server = ConnectionRequestServer::new("cpe", b"random secret, 32 bytes or more.", "/cr/8f3e");
//! let creds = Users::new().with("acs", "cr-password");
//! let mut acs = ConnectionRequestClient::new("acs", "cr-password");
//! let now = 1_000;
//!
//! // The ACS's first GET has no credentials.
//! let get = Incoming { method: &Method::GET, target: "/cr/8f3e", authorization: None };
//! let answer = server.handle(&get, false, now, &mut OsRandom, &creds);
//! assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
//!
//! let challenges: Vec<_> = answer.headers.get_all("www-authenticate").iter().cloned().collect();
//! let Ok(Next::SendWithAuthorization(auth)) =
//!     acs.on_response(answer.status, &challenges, "/cr/8f3e", &mut OsRandom) else { panic!() };
//! let get = Incoming { authorization: Some(&auth), ..get };
//! let answer = server.handle(&get, false, now, &mut OsRandom, &creds);
//! assert_eq!(answer.status, StatusCode::OK);
//! assert!(matches!(answer.verdict, Verdict::Accepted { .. }));
//! assert!(answer.session_due());
//! ```

use std::collections::VecDeque;
use std::sync::Mutex;

use http::{HeaderMap, HeaderValue, Method, StatusCode};

use crate::digest::{
    CredentialStore, DEFAULT_ALGORITHMS, DigestServer, MemoryNonceCounter, Request,
};
use crate::{Algorithm, Error, RandomSource};

/// Accepted connection requests per window before answering 503, by default.
pub const DEFAULT_RATE_LIMIT: usize = 30;
/// The default rate-limit window, in seconds.
pub const DEFAULT_RATE_WINDOW: u64 = 60;

/// An incoming HTTP request, as far as the checks need it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The method.
    pub method: &'a Method,
    /// The request target exactly as on the request line (`/cr/8f3e`, with any query). When
    /// a framework nests routes, pass the original target, not the one below the prefix.
    pub target: &'a str,
    /// The `Authorization` value, if any.
    pub authorization: Option<&'a HeaderValue>,
}

/// Why the request got its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Authenticated and accepted: open a session with `6 CONNECTION REQUEST`.
    Accepted {
        /// The authenticated user.
        username: String,
    },
    /// 401: no credentials, or credentials refused (`reason`).
    Challenged {
        /// Why (`None`: the request carried no credentials).
        reason: Option<Error>,
        /// Whether the challenge says `stale=true`.
        stale: bool,
    },
    /// 503: a session is in progress (TR-069: do not end it early; no `Retry-After`).
    SessionActive,
    /// 503: more accepted requests in the window than the limit (no `Retry-After`).
    RateLimited,
    /// 404: not the connection-request path.
    WrongPath,
    /// 405: not a GET.
    WrongMethod,
    /// 500: the random source failed while building a challenge.
    Internal,
}

/// The answer to send: status and headers (the body is empty).
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers (`WWW-Authenticate` for a 401, `Allow` for a 405).
    pub headers: HeaderMap,
    /// Why.
    pub verdict: Verdict,
}

impl Answer {
    fn plain(status: StatusCode, verdict: Verdict) -> Answer {
        Answer {
            status,
            headers: HeaderMap::new(),
            verdict,
        }
    }

    /// Whether the CPE should now open a session (`6 CONNECTION REQUEST`).
    pub fn session_due(&self) -> bool {
        matches!(self.verdict, Verdict::Accepted { .. })
    }
}

/// The connection-request checks of one CPE. Shareable between threads (`&self`; the nonce
/// counter and the rate-limit window use interior locks).
#[derive(Debug)]
pub struct ConnectionRequestServer {
    digest: DigestServer,
    path: String,
    counter: MemoryNonceCounter,
    limit: usize,
    window: u64,
    accepted: Mutex<VecDeque<u64>>,
}

fn path_of(target: &str) -> &str {
    let no_scheme = match target.find("://") {
        Some(i) => {
            let rest = target.get(i + 3..).unwrap_or("");
            rest.find('/').and_then(|j| rest.get(j..)).unwrap_or("/")
        }
        None => target,
    };
    no_scheme.split('?').next().unwrap_or(no_scheme)
}

impl ConnectionRequestServer {
    /// Checks for `realm`, nonces keyed by `secret` (keep it across restarts to keep issued
    /// nonces valid), and the path of `ConnectionRequestURL` (`/cr/8f3e`).
    ///
    /// Defaults: challenges MD5 then SHA-256, qop `auth`, at most
    /// [`DEFAULT_RATE_LIMIT`] accepted requests per [`DEFAULT_RATE_WINDOW`] seconds.
    pub fn new(realm: impl Into<String>, secret: &[u8], path: impl Into<String>) -> Self {
        ConnectionRequestServer {
            digest: DigestServer::new(realm, secret)
                .algorithms(DEFAULT_ALGORITHMS)
                .qop(crate::digest::QopSet::AUTH),
            path: path.into(),
            counter: MemoryNonceCounter::new(1024),
            limit: DEFAULT_RATE_LIMIT,
            window: DEFAULT_RATE_WINDOW,
            accepted: Mutex::new(VecDeque::new()),
        }
    }

    /// The challenge algorithms, in the order sent.
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.digest = self.digest.algorithms(algorithms);
        self
    }

    /// At most `max` accepted requests per `window_seconds` (`max` 0: no limit).
    pub fn rate_limit(mut self, max: usize, window_seconds: u64) -> Self {
        self.limit = max;
        self.window = window_seconds;
        self
    }

    /// How long a nonce stays valid, in seconds.
    pub fn nonce_lifetime(mut self, seconds: u64) -> Self {
        self.digest = self.digest.nonce_lifetime(seconds);
        self
    }

    /// The path checked.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The digest verifier used.
    pub fn digest(&self) -> &DigestServer {
        &self.digest
    }

    /// The answer to `request` at `now` (Unix seconds). `session_active`: a session is in
    /// progress or being set up. `credentials` holds `ConnectionRequestUsername` and
    /// `ConnectionRequestPassword` (they may change with every SetParameterValues).
    pub fn handle(
        &self,
        request: &Incoming<'_>,
        session_active: bool,
        now: u64,
        rng: &mut impl RandomSource,
        credentials: &impl CredentialStore,
    ) -> Answer {
        if request.method != Method::GET {
            let mut a = Answer::plain(StatusCode::METHOD_NOT_ALLOWED, Verdict::WrongMethod);
            a.headers
                .insert(http::header::ALLOW, HeaderValue::from_static("GET"));
            return a;
        }
        if path_of(request.target) != path_of(&self.path) {
            return Answer::plain(StatusCode::NOT_FOUND, Verdict::WrongPath);
        }
        let req = Request {
            method: request.method,
            uri: request.target,
            body: b"",
        };
        let verified = match self.digest.authenticate(
            &req,
            request.authorization,
            now,
            rng,
            credentials,
            &self.counter,
        ) {
            Ok(v) => v,
            Err(u) => {
                if u.www_authenticate.is_empty() {
                    return Answer::plain(StatusCode::INTERNAL_SERVER_ERROR, Verdict::Internal);
                }
                return Answer {
                    status: StatusCode::UNAUTHORIZED,
                    headers: u.headers(),
                    verdict: Verdict::Challenged {
                        reason: u.reason,
                        stale: u.stale,
                    },
                };
            }
        };
        if session_active {
            return Answer::plain(StatusCode::SERVICE_UNAVAILABLE, Verdict::SessionActive);
        }
        if self.limit > 0 {
            let mut q = self
                .accepted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            while q
                .front()
                .is_some_and(|t| now.saturating_sub(*t) >= self.window)
            {
                q.pop_front();
            }
            if q.len() >= self.limit {
                return Answer::plain(StatusCode::SERVICE_UNAVAILABLE, Verdict::RateLimited);
            }
            q.push_back(now);
        }
        Answer::plain(
            StatusCode::OK,
            Verdict::Accepted {
                username: verified.username,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(path_of("/cr?x=1"), "/cr");
        assert_eq!(path_of("http://10.0.0.1:7547/cr"), "/cr");
        assert_eq!(path_of("http://10.0.0.1:7547"), "/");
    }
}
