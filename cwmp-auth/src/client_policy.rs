//! How a CPE authenticates towards its ACS: digest, or Basic only where the configuration
//! allows it and only over TLS.

use http::{HeaderValue, Method};

use crate::digest::DigestClient;
use crate::{Error, RandomSource};

/// When Basic may answer a Basic-only challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BasicPolicy {
    /// Never: digest only.
    #[default]
    Never,
    /// Only on a TLS connection (TR-069 allows Basic inside TLS).
    OverTls,
    /// Also over plain HTTP: sends the password in clear. Only for test ACSs that offer
    /// nothing else (an explicit, insecure opt-in).
    EvenWithoutTls,
}

#[derive(Debug)]
enum State {
    /// No challenge seen yet: send no credentials.
    None,
    Digest(Box<DigestClient>),
    Basic,
}

/// The CPE's credentials towards the ACS (`ManagementServer.Username` / `Password`) and the
/// scheme negotiated in the current session.
///
/// ```
/// use cwmp_auth::client_policy::{AcsCredentials, BasicPolicy};
/// use cwmp_auth::http::{HeaderValue, Method};
/// use cwmp_auth::{Error, OsRandom};
///
/// let basic_only = [HeaderValue::from_static("Basic realm=\"acs\"")];
/// let mut plain = AcsCredentials::new("cpe", "pw").basic(BasicPolicy::OverTls);
/// // over plain HTTP Basic is refused, whatever the configuration
/// assert_eq!(plain.on_unauthorized(&basic_only, false, false), Err(Error::BasicNotAllowed));
/// // over TLS, when configured, it is used
/// plain.on_unauthorized(&basic_only, false, true)?;
/// let v = plain.authorization(&Method::POST, "/acs", b"", &mut OsRandom)?.unwrap();
/// assert!(v.to_str().unwrap().starts_with("Basic "));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug)]
pub struct AcsCredentials {
    username: String,
    password: String,
    basic: BasicPolicy,
    state: State,
}

impl AcsCredentials {
    /// Digest with these credentials; Basic is not used.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        AcsCredentials {
            username: username.into(),
            password: password.into(),
            basic: BasicPolicy::Never,
            state: State::None,
        }
    }

    /// Sets the Basic policy.
    pub fn basic(mut self, policy: BasicPolicy) -> Self {
        self.basic = policy;
        self
    }

    /// Forgets the negotiated scheme (a new session starts from scratch).
    pub fn reset(&mut self) {
        self.state = State::None;
    }

    /// The scheme in use: `None` before the first challenge, else `"digest"` or `"basic"`.
    pub fn scheme(&self) -> Option<&'static str> {
        match self.state {
            State::None => None,
            State::Digest(_) => Some("digest"),
            State::Basic => Some("basic"),
        }
    }

    /// The `Authorization` value for a request, once a challenge was answered (`None`
    /// before).
    pub fn authorization(
        &mut self,
        method: &Method,
        uri: &str,
        body: &[u8],
        rng: &mut impl RandomSource,
    ) -> Result<Option<HeaderValue>, Error> {
        match &mut self.state {
            State::None => Ok(None),
            State::Digest(d) => d.authorization(method, uri, body, rng).map(Some),
            State::Basic => crate::basic::authorization(&self.username, &self.password).map(Some),
        }
    }

    /// A 401 arrived with these `WWW-Authenticate` values. `sent_credentials`: the refused
    /// request carried our credentials; `over_tls`: the connection is TLS. `Ok` means "send
    /// the request again with [`authorization`](Self::authorization)".
    ///
    /// Errors: [`Error::BadCredentials`] when our credentials were refused (a digest
    /// challenge with `stale=true` is a retry, not a refusal); [`Error::BasicNotAllowed`] for
    /// a Basic-only challenge the policy or the transport does not allow;
    /// [`Error::NoSupportedChallenge`] when nothing can be answered.
    pub fn on_unauthorized<'h, I>(
        &mut self,
        www_authenticate: I,
        sent_credentials: bool,
        over_tls: bool,
    ) -> Result<(), Error>
    where
        I: IntoIterator<Item = &'h HeaderValue>,
    {
        let values: Vec<&HeaderValue> = www_authenticate.into_iter().collect();
        if sent_credentials && matches!(self.state, State::Basic) {
            return Err(Error::BadCredentials);
        }
        let mut client = match std::mem::replace(&mut self.state, State::None) {
            State::Digest(d) => d,
            _ => Box::new(DigestClient::new(&self.username, &self.password)),
        };
        match client.handle_unauthorized(values.iter().copied(), sent_credentials) {
            Ok(()) => {
                self.state = State::Digest(client);
                Ok(())
            }
            Err(Error::NoSupportedChallenge) if offers_basic(&values) => {
                let allowed = match self.basic {
                    BasicPolicy::Never => false,
                    BasicPolicy::OverTls => over_tls,
                    BasicPolicy::EvenWithoutTls => true,
                };
                if allowed && !sent_credentials {
                    self.state = State::Basic;
                    Ok(())
                } else {
                    Err(Error::BasicNotAllowed)
                }
            }
            Err(e) => Err(e),
        }
    }
}

fn offers_basic(values: &[&HeaderValue]) -> bool {
    values.iter().any(|v| {
        v.to_str().is_ok_and(|s| {
            s.split(',').any(|part| {
                part.trim_start()
                    .get(..5)
                    .is_some_and(|w| w.eq_ignore_ascii_case("basic"))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_then_refused() {
        let ch = [HeaderValue::from_static(
            "Digest realm=\"acs\", nonce=\"abc\", qop=\"auth\", algorithm=MD5",
        )];
        let mut c = AcsCredentials::new("u", "p");
        assert_eq!(c.scheme(), None);
        c.on_unauthorized(&ch, false, false).unwrap();
        assert_eq!(c.scheme(), Some("digest"));
        let v = c
            .authorization(&Method::POST, "/acs", b"", &mut crate::OsRandom)
            .unwrap()
            .unwrap();
        assert!(v.to_str().unwrap().starts_with("Digest "));
        assert_eq!(
            c.on_unauthorized(&ch, true, false),
            Err(Error::BadCredentials)
        );
    }

    #[test]
    fn basic_needs_policy_and_tls() {
        let ch = [HeaderValue::from_static("Basic realm=\"x\"")];
        let mut never = AcsCredentials::new("u", "p");
        assert_eq!(
            never.on_unauthorized(&ch, false, true),
            Err(Error::BasicNotAllowed)
        );
        let mut tls = AcsCredentials::new("u", "p").basic(BasicPolicy::OverTls);
        assert_eq!(
            tls.on_unauthorized(&ch, false, false),
            Err(Error::BasicNotAllowed)
        );
        tls.on_unauthorized(&ch, false, true).unwrap();
        let v = tls
            .authorization(&Method::POST, "/", b"", &mut crate::OsRandom)
            .unwrap()
            .unwrap();
        assert_eq!(v, "Basic dTpw");
        assert_eq!(
            tls.on_unauthorized(&ch, true, true),
            Err(Error::BadCredentials)
        );
    }
}
