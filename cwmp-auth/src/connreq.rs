//! HTTP Connection Request client (ACS → CPE, TR-069 §3.2.2), without I/O.
//!
//! The ACS sends `GET ConnectionRequestURL`. Feed every response to
//! [`ConnectionRequestClient::on_response`]; it answers what to do next.
//!
//! ```
//! use cwmp_auth::connreq::{ConnectionRequestClient, Next};
//! use http::{HeaderValue, StatusCode};
//!
//! let mut cr = ConnectionRequestClient::new("cpe-user", "cpe-pass");
//! // First GET without credentials; the CPE answers 401 with a challenge.
//! let challenge = HeaderValue::from_static(r#"Digest realm="cpe", nonce="abc", qop="auth""#);
//! let mut rng = cwmp_auth::OsRandom;
//! let next = cr.on_response(StatusCode::UNAUTHORIZED, [&challenge], "/cr", &mut rng).unwrap();
//! let Next::SendWithAuthorization(auth) = next else { panic!() };
//! assert!(auth.to_str().unwrap().starts_with("Digest username=\"cpe-user\""));
//! // Second GET with `Authorization: auth`; the CPE answers 204.
//! assert_eq!(cr.on_response(StatusCode::NO_CONTENT, [], "/cr", &mut rng).unwrap(), Next::Done);
//! ```

use http::{HeaderValue, Method, StatusCode};

use crate::digest::DigestClient;
use crate::{Error, RandomSource};

/// What to do after a response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Next {
    /// 200 or 204: the CPE accepted; it will open a session with "6 CONNECTION REQUEST".
    Done,
    /// 503: a session is in progress or the CPE rate-limits; try again later.
    Busy,
    /// Repeat the GET with this `Authorization` value.
    SendWithAuthorization(HeaderValue),
}

/// The state of one connection request attempt.
#[derive(Debug)]
pub struct ConnectionRequestClient {
    digest: DigestClient,
    sent_credentials: bool,
}

impl ConnectionRequestClient {
    /// An attempt with `ConnectionRequestUsername` / `ConnectionRequestPassword`.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        ConnectionRequestClient {
            digest: DigestClient::new(username, password),
            sent_credentials: false,
        }
    }

    /// Maps a response to the next step.
    ///
    /// 200/204 → [`Next::Done`]; 503 → [`Next::Busy`]; 401 to a request without credentials
    /// (or with a stale nonce) → [`Next::SendWithAuthorization`]; 401 after credentials →
    /// [`Error::BadCredentials`]; any other status → [`Error::UnexpectedStatus`]. `uri` is the
    /// request target (path and query) of the GET.
    pub fn on_response<'h, I>(
        &mut self,
        status: StatusCode,
        www_authenticate: I,
        uri: &str,
        rng: &mut impl RandomSource,
    ) -> Result<Next, Error>
    where
        I: IntoIterator<Item = &'h HeaderValue>,
    {
        match status.as_u16() {
            200 | 204 => Ok(Next::Done),
            503 => Ok(Next::Busy),
            401 => {
                self.digest
                    .handle_unauthorized(www_authenticate, self.sent_credentials)?;
                let v = self.digest.authorization(&Method::GET, uri, b"", rng)?;
                self.sent_credentials = true;
                Ok(Next::SendWithAuthorization(v))
            }
            other => Err(Error::UnexpectedStatus(other)),
        }
    }
}
