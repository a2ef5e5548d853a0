//! The client side: answer a challenge with an `Authorization` value.

use http::{HeaderValue, Method};

use super::challenge::{Chosen, DigestChallenge, choose_challenge};
use crate::algorithm::ResponseInput;
use crate::header::{Limits, parse_params};
use crate::source::{RandomSource, cnonce as new_cnonce};
use crate::util::{Secret, ct_eq_ignore_case, ext_value_encode, header_value, push_quoted};
use crate::{Error, Qop};

/// What the client remembers of its last request, to check `rspauth`.
#[derive(Debug, Clone)]
struct LastRequest {
    nonce: String,
    nc: String,
    cnonce: String,
    qop: Option<Qop>,
    uri: String,
}

/// A digest client for one set of credentials.
///
/// Feed it the `WWW-Authenticate` values of each 401 with [`handle_unauthorized`], then ask
/// for the `Authorization` value of each request with [`authorization`]. It keeps the nonce
/// count per nonce (later requests may reuse the nonce without a new 401), retries on
/// `stale=true` without new credentials, and reports a plain 401 to a request that carried
/// credentials as [`Error::BadCredentials`].
///
/// [`handle_unauthorized`]: DigestClient::handle_unauthorized
/// [`authorization`]: DigestClient::authorization
pub struct DigestClient {
    username: String,
    password: Secret,
    challenge: Option<DigestChallenge<'static>>,
    nc: u32,
    prefer: Qop,
    limits: Limits,
    last: Option<LastRequest>,
}

impl core::fmt::Debug for DigestClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DigestClient")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("challenge", &self.challenge)
            .field("nc", &self.nc)
            .finish_non_exhaustive()
    }
}

impl DigestClient {
    /// A client with these credentials and no challenge yet.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        DigestClient {
            username: username.into(),
            password: Secret(password.into()),
            challenge: None,
            nc: 0,
            prefer: Qop::Auth,
            limits: Limits::default(),
            last: None,
        }
    }

    /// Which qop to use when the challenge offers both (default `auth`).
    pub fn prefer_qop(mut self, qop: Qop) -> Self {
        self.prefer = qop;
        self
    }

    /// Header parsing limits (default [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The challenge currently answered, if any.
    pub fn challenge(&self) -> Option<&DigestChallenge<'static>> {
        self.challenge.as_ref()
    }

    /// Handles the `WWW-Authenticate` values of a 401 response.
    ///
    /// `request_had_authorization` says whether the refused request carried an
    /// `Authorization` from this client. Picks the strongest Digest challenge. If the request
    /// carried credentials and the new challenge is not `stale=true`, the server refused them:
    /// [`Error::BadCredentials`]. A Basic-only response yields [`Error::NoSupportedChallenge`]
    /// (use [`crate::basic`] explicitly, and only over TLS).
    pub fn handle_unauthorized<'h, I>(
        &mut self,
        www_authenticate: I,
        request_had_authorization: bool,
    ) -> Result<(), Error>
    where
        I: IntoIterator<Item = &'h HeaderValue>,
    {
        let chosen = choose_challenge(www_authenticate, &self.limits)?;
        let Chosen::Digest(d) = chosen else {
            return Err(Error::NoSupportedChallenge);
        };
        if request_had_authorization && !d.stale {
            return Err(Error::BadCredentials);
        }
        self.set_challenge(d);
        Ok(())
    }

    /// Adopts a challenge directly (for example one cached from an earlier connection).
    pub fn set_challenge(&mut self, challenge: DigestChallenge<'_>) {
        self.challenge = Some(challenge.into_owned());
        self.nc = 0;
    }

    /// Sets the nonce count the next request will use (normally it counts up from 1).
    pub fn set_next_nc(&mut self, nc: u32) {
        self.nc = nc.saturating_sub(1);
    }

    /// The `Authorization` value for a request, with a fresh random cnonce.
    ///
    /// `uri` is the request target exactly as sent on the request line; `body` is the entity
    /// body (used only for `auth-int`; pass `&[]` otherwise).
    pub fn authorization(
        &mut self,
        method: &Method,
        uri: &str,
        body: &[u8],
        rng: &mut impl RandomSource,
    ) -> Result<HeaderValue, Error> {
        let c = new_cnonce(rng)?;
        self.authorization_with_cnonce(method, uri, body, &c)
    }

    /// Like [`authorization`](Self::authorization) with a caller-chosen cnonce (tests,
    /// reproducible tools). The cnonce must be unpredictable in production.
    ///
    /// A `-sess` algorithm in a challenge without qop cannot be answered (the session HA1
    /// needs a cnonce, which is sent only with a qop): [`Error::InvalidParam`].
    pub fn authorization_with_cnonce(
        &mut self,
        method: &Method,
        uri: &str,
        body: &[u8],
        cnonce: &str,
    ) -> Result<HeaderValue, Error> {
        let ch = self.challenge.as_ref().ok_or(Error::NoChallenge)?;
        let qop = if ch.qop.contains(self.prefer) {
            Some(self.prefer)
        } else if ch.qop.auth {
            Some(Qop::Auth)
        } else if ch.qop.auth_int {
            Some(Qop::AuthInt)
        } else {
            None
        };
        if qop.is_none() && ch.algorithm.is_session() {
            // A -sess HA1 needs a cnonce, which exists only with a qop (RFC 2617 §3.2.2.2).
            return Err(Error::InvalidParam("algorithm"));
        }
        let nc_num = self
            .nc
            .checked_add(1)
            .ok_or(Error::InvalidValue("nonce count overflow"))?;
        let nc = format!("{nc_num:08x}");
        let alg = ch.algorithm;
        let ha1 = alg.ha1(&self.username, &ch.realm, &self.password.0);
        let response = ResponseInput {
            algorithm: alg,
            ha1: &ha1,
            nonce: &ch.nonce,
            qop,
            nc: &nc,
            cnonce,
            method: method.as_str(),
            uri,
            body,
        }
        .compute();

        let mut s = String::from("Digest ");
        if ch.userhash {
            s.push_str("username=\"");
            s.push_str(&alg.userhash(&self.username, &ch.realm));
            s.push('"');
        } else if self.username.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            s.push_str("username=");
            push_quoted(&mut s, &self.username);
        } else {
            s.push_str("username*=");
            s.push_str(&ext_value_encode(&self.username));
        }
        s.push_str(", realm=");
        push_quoted(&mut s, &ch.realm);
        s.push_str(", nonce=");
        push_quoted(&mut s, &ch.nonce);
        s.push_str(", uri=");
        push_quoted(&mut s, uri);
        if ch.algorithm_explicit || alg != crate::Algorithm::Md5 {
            s.push_str(", algorithm=");
            s.push_str(alg.as_str());
        }
        s.push_str(", response=\"");
        s.push_str(&response);
        s.push('"');
        if let Some(o) = &ch.opaque {
            s.push_str(", opaque=");
            push_quoted(&mut s, o);
        }
        // Some servers send no qop (RFC 2069 style): qop, nc and cnonce only when the
        // challenge offered a qop.
        if let Some(q) = qop {
            s.push_str(", qop=");
            s.push_str(q.as_str());
            s.push_str(", nc=");
            s.push_str(&nc);
            s.push_str(", cnonce=");
            push_quoted(&mut s, cnonce);
        }
        if ch.userhash {
            s.push_str(", userhash=true");
        }
        // Never send credentials that a server with default limits (ours included) cannot read:
        // a huge nonce, realm or opaque echoed back would push the header past them.
        let limit = crate::header::Limits::default().max_len;
        if s.len() > limit {
            return Err(Error::TooLong {
                len: s.len(),
                limit,
            });
        }
        let value = header_value(s)?;
        self.nc = nc_num;
        self.last = Some(LastRequest {
            nonce: ch.nonce.to_string(),
            nc,
            cnonce: cnonce.to_owned(),
            qop,
            uri: uri.to_owned(),
        });
        Ok(value)
    }

    /// Checks an `Authentication-Info` value from the server's response to our last request.
    ///
    /// Verifies `rspauth` when present ([`Error::ServerAuthFailed`] if it does not match;
    /// `body` is the response body, used for `auth-int`) and adopts `nextnonce`.
    pub fn check_authentication_info(
        &mut self,
        value: &HeaderValue,
        body: &[u8],
    ) -> Result<(), Error> {
        let params = parse_params(value.as_bytes(), &self.limits)?;
        let get = |n: &str| {
            params
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(n))
                .map(|p| p.value.as_ref())
        };
        if let Some(rspauth) = get("rspauth") {
            let ch = self.challenge.as_ref().ok_or(Error::NoChallenge)?;
            let last = self.last.as_ref().ok_or(Error::NoChallenge)?;
            let ha1 = ch
                .algorithm
                .ha1(&self.username, &ch.realm, &self.password.0);
            let expected = ResponseInput {
                algorithm: ch.algorithm,
                ha1: &ha1,
                nonce: &last.nonce,
                qop: last.qop,
                nc: &last.nc,
                cnonce: &last.cnonce,
                method: "",
                uri: &last.uri,
                body,
            }
            .compute();
            if let Some(cn) = get("cnonce") {
                if cn != last.cnonce {
                    return Err(Error::ServerAuthFailed);
                }
            }
            if !ct_eq_ignore_case(&expected, rspauth.trim()) {
                return Err(Error::ServerAuthFailed);
            }
        }
        if let Some(next) = get("nextnonce") {
            if let Some(ch) = self.challenge.as_mut() {
                if ch.nonce != next {
                    ch.nonce = std::borrow::Cow::Owned(next.to_owned());
                    ch.stale = false;
                    self.nc = 0;
                }
            }
        }
        Ok(())
    }
}
