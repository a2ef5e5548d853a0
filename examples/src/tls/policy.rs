//! When HTTP Basic may be used: only inside TLS, unless explicitly allowed for testing
//! (Basic sends the password itself, readable by anyone on the path of a plain connection).

use cwmp_auth::Algorithm;
use cwmp_auth::basic::BasicCredentials;
use cwmp_auth::digest::{CredentialStore, Password};
use http::{HeaderMap, HeaderValue};

/// The connection a request came on, or a client will send on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Plain TCP (`http://`).
    Plain,
    /// TLS (`https://`).
    Tls,
}

/// The client side: may Basic credentials answer a Basic challenge? Only over TLS, or when the
/// user explicitly allowed Basic over plain HTTP (a lab ACS offering nothing else).
pub fn client_may_send_basic(transport: Transport, allow_over_plain_http: bool) -> bool {
    transport == Transport::Tls || allow_over_plain_http
}

/// The server side's Basic policy.
#[derive(Debug, Clone)]
pub struct BasicPolicy {
    /// Realm of the challenge.
    pub realm: String,
    /// Accept Basic over plain HTTP too (testing only).
    pub allow_over_plain_http: bool,
}

/// The verdict on a request under a [`BasicPolicy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasicVerdict {
    /// Authenticated as this user.
    Accepted(String),
    /// Answer 401 with this `WWW-Authenticate` value (`bad_credentials`: credentials were
    /// sent and are wrong or unreadable).
    Challenge {
        /// The challenge.
        challenge: HeaderValue,
        /// Whether wrong credentials were sent.
        bad_credentials: bool,
    },
    /// Basic is not allowed on this transport: answer 403 and offer no Basic challenge
    /// (`credentials_sent`: the client already exposed a password in clear).
    InsecureTransport {
        /// Whether the refused request carried Basic credentials.
        credentials_sent: bool,
    },
}

impl BasicPolicy {
    /// Whether Basic is offered at all on `transport`.
    pub fn allowed(&self, transport: Transport) -> bool {
        transport == Transport::Tls || self.allow_over_plain_http
    }

    /// Checks a request's `Authorization: Basic` against `users`.
    pub fn check(
        &self,
        transport: Transport,
        headers: &HeaderMap,
        users: &impl CredentialStore,
    ) -> BasicVerdict {
        let auth = headers.get(http::header::AUTHORIZATION);
        if !self.allowed(transport) {
            return BasicVerdict::InsecureTransport {
                credentials_sent: auth.is_some(),
            };
        }
        let challenge = cwmp_auth::basic::challenge(&self.realm)
            .unwrap_or_else(|_| HeaderValue::from_static("Basic realm=\"cwmp\""));
        let Some(auth) = auth else {
            return BasicVerdict::Challenge {
                challenge,
                bad_credentials: false,
            };
        };
        let ok = BasicCredentials::parse(auth).ok().and_then(|c| {
            match users.password(c.username(), &self.realm, Algorithm::Md5) {
                Some(Password::Plain(p)) if c.verify(c.username(), &p) => {
                    Some(c.username().to_owned())
                }
                _ => None,
            }
        });
        match ok {
            Some(user) => BasicVerdict::Accepted(user),
            None => BasicVerdict::Challenge {
                challenge,
                bad_credentials: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cwmp_auth::digest::Users;

    fn headers(auth: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(a) = auth {
            h.insert(
                http::header::AUTHORIZATION,
                HeaderValue::from_str(a).unwrap(),
            );
        }
        h
    }

    #[test]
    fn basic_only_inside_tls() {
        let users = Users::new().with("cpe", "pw");
        let policy = BasicPolicy {
            realm: "cwmp".into(),
            allow_over_plain_http: false,
        };
        let good = cwmp_auth::basic::authorization("cpe", "pw").unwrap();
        let good = good.to_str().unwrap();
        assert_eq!(
            policy.check(Transport::Plain, &headers(Some(good)), &users),
            BasicVerdict::InsecureTransport {
                credentials_sent: true
            }
        );
        assert_eq!(
            policy.check(Transport::Tls, &headers(Some(good)), &users),
            BasicVerdict::Accepted("cpe".into())
        );
        let bad = cwmp_auth::basic::authorization("cpe", "nope").unwrap();
        assert!(matches!(
            policy.check(
                Transport::Tls,
                &headers(Some(bad.to_str().unwrap())),
                &users
            ),
            BasicVerdict::Challenge {
                bad_credentials: true,
                ..
            }
        ));
        assert!(matches!(
            policy.check(Transport::Tls, &headers(None), &users),
            BasicVerdict::Challenge {
                bad_credentials: false,
                ..
            }
        ));
        let lab = BasicPolicy {
            allow_over_plain_http: true,
            ..policy
        };
        assert_eq!(
            lab.check(Transport::Plain, &headers(Some(good)), &users),
            BasicVerdict::Accepted("cpe".into())
        );
        assert!(client_may_send_basic(Transport::Tls, false));
        assert!(!client_may_send_basic(Transport::Plain, false));
        assert!(client_may_send_basic(Transport::Plain, true));
    }
}
