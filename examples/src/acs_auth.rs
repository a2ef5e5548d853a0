//! How the reference ACS authenticates CPEs: a policy per device or global (digest by default,
//! Basic only over TLS unless explicitly allowed in clear, none only when explicitly allowed),
//! digest challenges offering MD5 first by default (libcurl before 7.57 reads only the first
//! challenge and has no SHA-256), and nonces keyed by a secret every ACS instance shares, so a
//! nonce issued by one instance is accepted by another.

use std::sync::Mutex;

use cwmp_auth::basic::{self, BasicCredentials};
use cwmp_auth::digest::{
    CredentialStore, DigestServer, MemoryNonceCounter, Password, Request, Users,
};
use cwmp_auth::{Algorithm, Error, OsRandom};
use http::{HeaderMap, HeaderValue, Method};

use crate::acs_store::AuthPolicy;

/// Settings of CPE authentication.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Realm of the challenges.
    pub realm: String,
    /// CPE credentials (the devices' ManagementServer.Username / Password).
    pub users: Users,
    /// The policy of devices without their own (default digest).
    pub policy: AuthPolicy,
    /// Accept Basic on plain HTTP (default `false`: Basic only over TLS).
    pub allow_basic_in_clear: bool,
    /// Honour the `none` policy (default `false`: a device or global `none` is treated as
    /// digest). Lab simulators only.
    pub allow_none: bool,
    /// Digest algorithms offered, one challenge each, in this order (default MD5, SHA-256).
    pub algorithms: Vec<Algorithm>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            realm: "cwmp-rs".into(),
            users: Users::new(),
            policy: AuthPolicy::Digest,
            allow_basic_in_clear: false,
            allow_none: false,
            algorithms: vec![Algorithm::Md5, Algorithm::Sha256],
        }
    }
}

/// The outcome of checking a request.
#[derive(Debug)]
pub enum Verdict {
    /// Authenticated (or not required): the user name (`""` under the `none` policy) and the
    /// scheme used (`digest`, `basic`, `none`).
    Ok {
        /// The user.
        user: String,
        /// `digest`, `basic` or `none`.
        scheme: &'static str,
    },
    /// Answer 401 with these `WWW-Authenticate` values; the error says why (`None`: no
    /// credentials were sent).
    Challenge(Vec<HeaderValue>, Option<Error>),
}

/// The ACS's CPE authenticator.
pub struct AcsAuth {
    config: AuthConfig,
    server: DigestServer,
    counter: Mutex<MemoryNonceCounter>,
}

impl std::fmt::Debug for AcsAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcsAuth")
            .field("realm", &self.config.realm)
            .field("policy", &self.config.policy)
            .finish_non_exhaustive()
    }
}

impl AcsAuth {
    /// An authenticator whose nonces are keyed by `secret` (share it between instances).
    pub fn new(config: AuthConfig, secret: &[u8]) -> AcsAuth {
        let algorithms = if config.algorithms.is_empty() {
            AuthConfig::default().algorithms
        } else {
            config.algorithms.clone()
        };
        AcsAuth {
            server: DigestServer::new(config.realm.clone(), secret).algorithms(&algorithms),
            config,
            counter: Mutex::new(MemoryNonceCounter::new(8192)),
        }
    }

    /// The settings.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// The policy in force for a device whose own policy is `device` (`None`: the global one),
    /// with `none` downgraded to digest unless allowed.
    pub fn effective(&self, device: Option<AuthPolicy>) -> AuthPolicy {
        match device.unwrap_or(self.config.policy) {
            AuthPolicy::None if !self.config.allow_none => AuthPolicy::Digest,
            p => p,
        }
    }

    /// Checks a CPE request under `policy` (from [`AcsAuth::effective`]); `tls` says whether it
    /// came over TLS. `now` is Unix seconds.
    pub fn check(
        &self,
        policy: AuthPolicy,
        tls: bool,
        request: &Request<'_>,
        headers: &HeaderMap,
        now: u64,
    ) -> Verdict {
        if policy == AuthPolicy::None {
            return Verdict::Ok {
                user: String::new(),
                scheme: "none",
            };
        }
        let basic_ok = policy == AuthPolicy::Basic && (tls || self.config.allow_basic_in_clear);
        let Some(auth) = headers.get(http::header::AUTHORIZATION) else {
            return Verdict::Challenge(self.challenges(now, false, basic_ok), None);
        };
        let is_basic = auth
            .as_bytes()
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"basic "));
        if is_basic {
            if !basic_ok {
                return Verdict::Challenge(
                    self.challenges(now, false, false),
                    Some(Error::WrongScheme),
                );
            }
            return match BasicCredentials::parse(auth) {
                Ok(c) => match self.config.users.password(
                    c.username(),
                    &self.config.realm,
                    Algorithm::Md5,
                ) {
                    Some(Password::Plain(p)) if c.verify(c.username(), &p) => Verdict::Ok {
                        user: c.username().to_owned(),
                        scheme: "basic",
                    },
                    _ => Verdict::Challenge(
                        self.challenges(now, false, true),
                        Some(Error::BadCredentials),
                    ),
                },
                Err(e) => Verdict::Challenge(self.challenges(now, false, true), Some(e)),
            };
        }
        let verdict = {
            let mut counter = match self.counter.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            self.server
                .verify(request, auth, now, &self.config.users, &mut *counter)
        };
        match verdict {
            Ok(v) => Verdict::Ok {
                user: v.username,
                scheme: "digest",
            },
            Err(e) => {
                let stale = matches!(e, Error::Stale);
                Verdict::Challenge(self.challenges(now, stale, basic_ok), Some(e))
            }
        }
    }

    fn challenges(&self, now: u64, stale: bool, basic: bool) -> Vec<HeaderValue> {
        let mut out = self
            .server
            .challenges(now, &mut OsRandom, stale)
            .unwrap_or_default();
        if basic {
            if let Ok(b) = basic::challenge(&self.config.realm) {
                out.push(b);
            }
        }
        out
    }
}

/// The `Request` the digest verifier needs.
pub fn request<'a>(method: &'a Method, uri: &'a str, body: &'a [u8]) -> Request<'a> {
    Request { method, uri, body }
}
