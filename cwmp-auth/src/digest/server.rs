//! The server side: issue challenges, verify `Authorization`, build `Authentication-Info`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use http::{HeaderValue, Method, StatusCode};

use super::challenge::{DigestChallenge, QopSet};
use super::nonce_counter::{NcVerdict, NonceCounter};
use crate::algorithm::ResponseInput;
use crate::header::{Challenge, Limits, parse_credentials};
use crate::source::RandomSource;
use crate::util::{
    Secret, SecretBytes, ct_eq, ct_eq_ignore_case, ext_value_decode, header_value, push_quoted,
};
use crate::{Algorithm, Error, Qop};

type HmacSha256 = Hmac<sha2::Sha256>;

/// The default challenge order: MD5 first, then SHA-256.
///
/// Many deployed HTTP clients read only the first `Digest` challenge of a 401: libcurl before
/// 7.57 (the HTTP stack of a large share of CPE firmware, and of many ACS-side connection
/// request tools) takes the first one and cannot compute SHA-256 at all, so a SHA-256 challenge
/// first makes them fail although an MD5 challenge follows. Clients that understand several
/// challenges pick the strongest whatever the order (this crate's
/// [`DigestClient`](super::DigestClient) does), so they still use SHA-256.
pub const DEFAULT_ALGORITHMS: &[Algorithm] = &[Algorithm::Md5, Algorithm::Sha256];

const NONCE_RAND: usize = 12;
const NONCE_MAC: usize = 16;
const NONCE_LEN: usize = 8 + NONCE_RAND + NONCE_MAC;

/// A stored password: in clear, or as the HA1 `H(user:realm:password)` of the requested
/// algorithm's hash (the same HA1 serves `X` and `X-sess`).
#[derive(Clone, PartialEq, Eq)]
pub enum Password {
    /// The password itself.
    Plain(String),
    /// Lower-case or upper-case hex of `H(user:realm:password)`.
    Ha1(String),
}

impl core::fmt::Debug for Password {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Password::Plain(_) => f.write_str("Plain(<redacted>)"),
            Password::Ha1(_) => f.write_str("Ha1(<redacted>)"),
        }
    }
}

/// Where the server finds passwords.
pub trait CredentialStore {
    /// The password of `username` in `realm`, for `algorithm` (return the HA1 of that
    /// algorithm's hash when storing HA1s). `None` for an unknown user.
    fn password(&self, username: &str, realm: &str, algorithm: Algorithm) -> Option<Password>;

    /// The user whose `H(user:realm)` is `userhash` (for `userhash=true`). The default finds
    /// nobody; [`Users`] implements it by scanning.
    fn user_by_hash(&self, userhash: &str, realm: &str, algorithm: Algorithm) -> Option<String> {
        let _ = (userhash, realm, algorithm);
        None
    }
}

/// A simple in-memory credential store of plain-text passwords.
#[derive(Clone, Default)]
pub struct Users {
    users: BTreeMap<String, Secret>,
}

impl core::fmt::Debug for Users {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Users")
            .field("usernames", &self.users.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Users {
    /// An empty store.
    pub fn new() -> Self {
        Users::default()
    }

    /// Adds or replaces a user.
    pub fn with(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.users.insert(username.into(), Secret(password.into()));
        self
    }
}

impl CredentialStore for Users {
    fn password(&self, username: &str, _realm: &str, _algorithm: Algorithm) -> Option<Password> {
        self.users
            .get(username)
            .map(|p| Password::Plain(p.0.clone()))
    }

    fn user_by_hash(&self, userhash: &str, realm: &str, algorithm: Algorithm) -> Option<String> {
        self.users
            .keys()
            .find(|u| ct_eq_ignore_case(&algorithm.userhash(u, realm), userhash))
            .cloned()
    }
}

/// The request being authenticated.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The request method.
    pub method: &'a Method,
    /// The request target exactly as received on the request line (origin form
    /// `/acs?x=1`, or absolute form), the URI the client hashed.
    ///
    /// When a framework nests routes (axum `Router::nest`, actix `scope`, a reverse proxy
    /// that strips a prefix), the URI the handler sees may lack the prefix: pass the
    /// original one (axum `OriginalUri`, actix `HttpRequest::uri()` before rewriting, the
    /// proxy's `X-Forwarded-Prefix` put back), else every digest fails with
    /// [`Error::UriMismatch`].
    pub uri: &'a str,
    /// The entity body (needed for `auth-int`; `&[]` otherwise).
    pub body: &'a [u8],
}

/// The user a [`Claim`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserRef<'c> {
    /// A user name (from `username`, or `username*` decoded).
    Name(&'c str),
    /// `H(user:realm)` (`userhash=true`): find the user whose hash this is.
    Hash(&'c str),
}

#[derive(Debug, Clone)]
enum ClaimedUser {
    Name(String),
    Hash(String),
}

/// Credentials parsed and checked except for the password (see [`DigestServer::claim`]).
#[derive(Clone)]
pub struct Claim<'h> {
    cred: Challenge<'h>,
    /// The digest algorithm the client used (the password store may keep one HA1 per
    /// algorithm).
    pub algorithm: Algorithm,
    qop: Option<Qop>,
    nc_num: u32,
    user: ClaimedUser,
}

impl core::fmt::Debug for Claim<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Claim")
            .field("user", &self.user)
            .field("algorithm", &self.algorithm)
            .field("qop", &self.qop)
            .finish_non_exhaustive()
    }
}

impl Claim<'_> {
    /// Which user to look up.
    pub fn user(&self) -> UserRef<'_> {
        match &self.user {
            ClaimedUser::Name(n) => UserRef::Name(n),
            ClaimedUser::Hash(h) => UserRef::Hash(h),
        }
    }
}

/// The 401 to send for a request that did not authenticate.
#[derive(Debug, Clone)]
pub struct Unauthorized {
    /// The `WWW-Authenticate` values, one per offered algorithm, in order.
    pub www_authenticate: Vec<HeaderValue>,
    /// Whether the challenges say `stale=true` (the credentials were right, the nonce not).
    pub stale: bool,
    /// Why (`None`: the request carried no credentials).
    pub reason: Option<Error>,
}

impl Unauthorized {
    /// `401 Unauthorized` (`500` in the rare case the challenges could not be built).
    pub fn status(&self) -> StatusCode {
        if self.www_authenticate.is_empty() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::UNAUTHORIZED
        }
    }

    /// The headers to send: `WWW-Authenticate` once per challenge.
    pub fn headers(&self) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for v in &self.www_authenticate {
            h.append(http::header::WWW_AUTHENTICATE, v.clone());
        }
        h
    }
}

/// A successfully verified request.
#[derive(Clone)]
pub struct Verified {
    /// The authenticated user (resolved from `userhash` or `username*` if used).
    pub username: String,
    /// The algorithm used.
    pub algorithm: Algorithm,
    /// The qop used (`None`: RFC 2069 form).
    pub qop: Option<Qop>,
    nonce: String,
    nc: String,
    cnonce: String,
    uri: String,
    ha1: Secret,
}

impl core::fmt::Debug for Verified {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verified")
            .field("username", &self.username)
            .field("algorithm", &self.algorithm)
            .field("qop", &self.qop)
            .field("nc", &self.nc)
            .finish_non_exhaustive()
    }
}

/// A stateless digest verifier for one realm.
///
/// Nonces carry their issue time and a random part, authenticated by an HMAC-SHA-256 under the
/// server secret: any server holding the secret accepts them, on any TCP connection (AVM
/// Fritzbox reconnects after the 401), with no per-socket state. Expiry yields
/// [`Error::Stale`] when the response was otherwise right; replays are caught by a
/// [`NonceCounter`].
///
/// Without qop (RFC 2069 form, only when the server offers no qop) there is no nonce count,
/// so replay protection is limited to the nonce lifetime.
pub struct DigestServer {
    realm: String,
    key: SecretBytes,
    algorithms: Vec<Algorithm>,
    qop: QopSet,
    lifetime: u64,
    opaque: Option<String>,
    userhash: bool,
    limits: Limits,
}

impl core::fmt::Debug for DigestServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DigestServer")
            .field("realm", &self.realm)
            .field("key", &self.key)
            .field("algorithms", &self.algorithms)
            .field("qop", &self.qop)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

impl DigestServer {
    /// A verifier for `realm` with nonces keyed by `secret` (at least 32 random bytes
    /// recommended; share it between servers that must accept each other's nonces).
    ///
    /// Defaults: algorithms MD5 then SHA-256 ([`DEFAULT_ALGORITHMS`]), qop `auth` and
    /// `auth-int`, nonce lifetime 300 s, no opaque, no userhash.
    ///
    /// Restarts: nonces are checked with `secret`, so a server that keeps its secret (stored
    /// with its configuration) accepts the nonces it issued before a restart. With a new
    /// secret, a client answering an old nonce with the right password is told
    /// `stale=true` and retries without reporting bad credentials.
    pub fn new(realm: impl Into<String>, secret: &[u8]) -> Self {
        DigestServer {
            realm: realm.into(),
            key: SecretBytes(secret.to_vec()),
            algorithms: DEFAULT_ALGORITHMS.to_vec(),
            qop: QopSet::BOTH,
            lifetime: 300,
            opaque: None,
            userhash: false,
            limits: Limits::default(),
        }
    }

    /// The algorithms offered, in the order of the `WWW-Authenticate` values (one challenge
    /// each). See [`DEFAULT_ALGORITHMS`] before putting SHA-256 first.
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    /// The qop values offered; [`QopSet::NONE`] selects the RFC 2069 form.
    pub fn qop(mut self, qop: QopSet) -> Self {
        self.qop = qop;
        self
    }

    /// How long a nonce stays valid, in seconds.
    pub fn nonce_lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = seconds;
        self
    }

    /// An `opaque` value to send, and to require back.
    pub fn opaque(mut self, opaque: impl Into<String>) -> Self {
        self.opaque = Some(opaque.into());
        self
    }

    /// Whether to ask clients for `userhash=true`.
    pub fn userhash(mut self, on: bool) -> Self {
        self.userhash = on;
        self
    }

    /// Header parsing limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The realm.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    fn mac(&self, ts: &[u8], rand: &[u8]) -> Result<[u8; NONCE_MAC], Error> {
        let mut m =
            HmacSha256::new_from_slice(&self.key.0).map_err(|_| Error::InvalidValue("key"))?;
        m.update(b"cwmp-auth nonce v1\0");
        m.update(self.realm.as_bytes());
        m.update(b"\0");
        m.update(ts);
        m.update(rand);
        let full = m.finalize().into_bytes();
        let mut out = [0u8; NONCE_MAC];
        for (o, b) in out.iter_mut().zip(full.iter()) {
            *o = *b;
        }
        Ok(out)
    }

    /// A new nonce issued at `now` (Unix seconds).
    pub fn new_nonce(&self, now: u64, rng: &mut impl RandomSource) -> Result<String, Error> {
        let mut rand = [0u8; NONCE_RAND];
        rng.fill(&mut rand)?;
        let ts = now.to_be_bytes();
        let mac = self.mac(&ts, &rand)?;
        let mut raw = Vec::with_capacity(NONCE_LEN);
        raw.extend_from_slice(&ts);
        raw.extend_from_slice(&rand);
        raw.extend_from_slice(&mac);
        Ok(URL_SAFE_NO_PAD.encode(raw))
    }

    /// Checks a nonce's MAC and returns its issue time.
    fn nonce_time(&self, nonce: &str) -> Result<u64, Error> {
        if nonce.len() > 2 * NONCE_LEN {
            return Err(Error::InvalidNonce);
        }
        let raw = URL_SAFE_NO_PAD
            .decode(nonce)
            .map_err(|_| Error::InvalidNonce)?;
        if raw.len() != NONCE_LEN {
            return Err(Error::InvalidNonce);
        }
        let (ts, rest) = raw.split_at(8);
        let (rand, mac) = rest.split_at(NONCE_RAND);
        let expected = self.mac(ts, rand)?;
        if !ct_eq(&expected, mac) {
            return Err(Error::InvalidNonce);
        }
        let mut t = [0u8; 8];
        t.copy_from_slice(ts);
        Ok(u64::from_be_bytes(t))
    }

    /// The challenge for one algorithm with a fresh nonce.
    pub fn challenge(
        &self,
        algorithm: Algorithm,
        now: u64,
        rng: &mut impl RandomSource,
        stale: bool,
    ) -> Result<HeaderValue, Error> {
        let nonce = self.new_nonce(now, rng)?;
        DigestChallenge {
            realm: Cow::Borrowed(&self.realm),
            nonce: Cow::Owned(nonce),
            opaque: self.opaque.as_deref().map(Cow::Borrowed),
            domain: None,
            algorithm,
            algorithm_explicit: true,
            qop: self.qop,
            stale,
            userhash: self.userhash,
            charset_utf8: true,
        }
        .to_header_value()
    }

    /// One `WWW-Authenticate` value per configured algorithm, in preference order, each with
    /// its own nonce. Pass `stale = true` after [`Error::Stale`].
    pub fn challenges(
        &self,
        now: u64,
        rng: &mut impl RandomSource,
        stale: bool,
    ) -> Result<Vec<HeaderValue>, Error> {
        self.algorithms
            .iter()
            .map(|a| self.challenge(*a, now, &mut *rng, stale))
            .collect()
    }

    /// Verifies an `Authorization` value for `request` at time `now` (Unix seconds), with
    /// passwords from `store`.
    ///
    /// Errors to answer with a fresh challenge: [`Error::Stale`] (with `stale=true`),
    /// [`Error::BadCredentials`], [`Error::Replay`], [`Error::InvalidNonce`], and every parse
    /// or parameter error. [`authenticate`](Self::authenticate) does this and builds the 401;
    /// [`claim`](Self::claim) and [`finish`](Self::finish) split it for an asynchronous
    /// user database.
    pub fn verify(
        &self,
        request: &Request<'_>,
        authorization: &HeaderValue,
        now: u64,
        store: &impl CredentialStore,
        counter: impl NonceCounter,
    ) -> Result<Verified, Error> {
        let claim = self.claim(request, authorization)?;
        let username = match claim.user() {
            UserRef::Name(u) => Some(u.to_owned()),
            UserRef::Hash(h) => store.user_by_hash(h, &self.realm, claim.algorithm),
        };
        let password = username.and_then(|u| {
            let p = store.password(&u, &self.realm, claim.algorithm)?;
            Some((u, p))
        });
        self.finish(request, claim, password, now, &counter)
    }

    /// Verifies a request, or gives the 401 to send.
    ///
    /// `authorization` is the request's `Authorization` value (`None` when absent). On
    /// failure the [`Unauthorized`] carries the status, the `WWW-Authenticate` values (with
    /// `stale=true` exactly when the credentials were right but the nonce was not current)
    /// and the reason.
    ///
    /// ```
    /// use cwmp_auth::digest::{DigestClient, DigestServer, MemoryNonceCounter, Request, Users};
    /// use cwmp_auth::http::{Method, StatusCode};
    /// use cwmp_auth::OsRandom;
    ///
    /// let server = DigestServer::new("acs", b"a persisted secret of 32 bytes..");
    /// let users = Users::new().with("cpe", "pw");
    /// let counter = MemoryNonceCounter::default();
    /// let req = Request { method: &Method::POST, uri: "/acs", body: b"" };
    ///
    /// let first = server.authenticate(&req, None, 1000, &mut OsRandom, &users, &counter).unwrap_err();
    /// assert_eq!(first.status(), StatusCode::UNAUTHORIZED);
    /// assert!(!first.stale);
    ///
    /// let mut client = DigestClient::new("cpe", "pw");
    /// client.handle_unauthorized(&first.www_authenticate, false).unwrap();
    /// let auth = client.authorization(&Method::POST, "/acs", b"", &mut OsRandom).unwrap();
    /// let ok = server.authenticate(&req, Some(&auth), 1001, &mut OsRandom, &users, &counter).unwrap();
    /// assert_eq!(ok.username, "cpe");
    /// ```
    pub fn authenticate(
        &self,
        request: &Request<'_>,
        authorization: Option<&HeaderValue>,
        now: u64,
        rng: &mut impl RandomSource,
        store: &impl CredentialStore,
        counter: impl NonceCounter,
    ) -> Result<Verified, Unauthorized> {
        let result = match authorization {
            None => return Err(self.unauthorized(None, now, rng)),
            Some(a) => self.verify(request, a, now, store, &counter),
        };
        result.map_err(|e| self.unauthorized(Some(e), now, rng))
    }

    /// The 401 answering a failed verification (`reason`; `None` when the request carried no
    /// credentials): `stale=true` exactly when `reason` is [`Error::Stale`].
    ///
    /// If the random source fails, the answer has no challenge and the reason becomes
    /// [`Error::Random`] (answer 500 instead).
    pub fn unauthorized(
        &self,
        reason: Option<Error>,
        now: u64,
        rng: &mut impl RandomSource,
    ) -> Unauthorized {
        let stale = matches!(reason, Some(Error::Stale));
        match self.challenges(now, rng, stale) {
            Ok(www_authenticate) => Unauthorized {
                www_authenticate,
                stale,
                reason,
            },
            Err(e) => Unauthorized {
                www_authenticate: Vec::new(),
                stale: false,
                reason: Some(e),
            },
        }
    }

    /// First half of a verification for a user database that answers asynchronously: parses
    /// and checks everything that needs no password (scheme, realm, algorithm, qop, opaque,
    /// request target) and says which user to look up ([`Claim::user`]). Then call
    /// [`finish`](Self::finish) with what the database returned.
    ///
    /// ```
    /// use cwmp_auth::digest::{DigestClient, DigestServer, MemoryNonceCounter, Password, Request, UserRef};
    /// use cwmp_auth::http::Method;
    /// use cwmp_auth::OsRandom;
    ///
    /// # fn main() -> Result<(), cwmp_auth::Error> {
    /// let server = DigestServer::new("acs", b"a persisted secret of 32 bytes..");
    /// let mut client = DigestClient::new("cpe-7", "pw");
    /// client.handle_unauthorized(&server.challenges(50, &mut OsRandom, false)?, false)?;
    /// let auth = client.authorization(&Method::GET, "/x", b"", &mut OsRandom)?;
    ///
    /// let req = Request { method: &Method::GET, uri: "/x", body: b"" };
    /// let claim = server.claim(&req, &auth)?;
    /// let UserRef::Name(name) = claim.user() else { unreachable!() };
    /// let name = name.to_owned();
    /// // ... `let password = db.password_of(&name).await;` ...
    /// let password = Some((name, Password::Plain("pw".into())));
    /// let verified = server.finish(&req, claim, password, 51, &MemoryNonceCounter::default())?;
    /// assert_eq!(verified.username, "cpe-7");
    /// # Ok(())
    /// # }
    /// ```
    pub fn claim<'h>(
        &self,
        request: &Request<'_>,
        authorization: &'h HeaderValue,
    ) -> Result<Claim<'h>, Error> {
        let cred = parse_credentials(authorization.as_bytes(), &self.limits)?;
        if !cred.is("Digest") {
            return Err(Error::WrongScheme);
        }
        let get = |n: &str| cred.param(n);
        let realm = get("realm").ok_or(Error::MissingParam("realm"))?;
        get("nonce").ok_or(Error::MissingParam("nonce"))?;
        let uri = get("uri").ok_or(Error::MissingParam("uri"))?;
        get("response").ok_or(Error::MissingParam("response"))?;
        let algorithm = match get("algorithm") {
            Some(a) => Algorithm::parse(a.trim())?,
            None => Algorithm::Md5,
        };
        if !self.algorithms.contains(&algorithm) {
            return Err(Error::UnknownAlgorithm(algorithm.as_str().to_owned()));
        }
        if realm != self.realm {
            return Err(Error::RealmMismatch);
        }
        if let Some(o) = &self.opaque {
            if get("opaque") != Some(o.as_str()) {
                return Err(Error::InvalidParam("opaque"));
            }
        }
        let qop = match get("qop") {
            Some(q) => {
                let q = Qop::parse(q.trim())
                    .ok_or_else(|| Error::UnsupportedQop(crate::error::excerpt(q)))?;
                if !self.qop.contains(q) {
                    return Err(Error::UnsupportedQop(q.as_str().to_owned()));
                }
                Some(q)
            }
            None if self.qop.is_empty() => None,
            None => return Err(Error::MissingParam("qop")),
        };
        let nc_num = match qop {
            Some(_) => {
                let nc = get("nc").ok_or(Error::MissingParam("nc"))?.trim();
                if nc.len() != 8 {
                    return Err(Error::InvalidParam("nc"));
                }
                get("cnonce").ok_or(Error::MissingParam("cnonce"))?;
                u32::from_str_radix(nc, 16).map_err(|_| Error::InvalidParam("nc"))?
            }
            None => 0,
        };
        if algorithm.is_session() && qop.is_none() {
            return Err(Error::InvalidParam("algorithm"));
        }
        if !uri_matches(uri, request.uri) {
            return Err(Error::UriMismatch);
        }
        let userhash = get("userhash").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let user = match (get("username"), get("username*")) {
            (Some(_), Some(_)) => return Err(Error::InvalidParam("username")),
            (Some(u), None) if userhash => ClaimedUser::Hash(u.to_owned()),
            (Some(u), None) => ClaimedUser::Name(u.to_owned()),
            (None, Some(u)) => {
                ClaimedUser::Name(ext_value_decode(u).ok_or(Error::InvalidParam("username*"))?)
            }
            (None, None) => return Err(Error::MissingParam("username")),
        };
        Ok(Claim {
            cred,
            algorithm,
            qop,
            nc_num,
            user,
        })
    }

    /// Second half of a verification: `user` is the user name and the password the
    /// database found for [`Claim::user`] (`None`: no such user).
    ///
    /// A nonce this server did not issue (another secret: a restart with a new one) is
    /// answered [`Error::Stale`] when the response computed over it is right, so the client
    /// retries with a new nonce instead of reporting bad credentials (RFC 7616 section 3.3),
    /// and [`Error::InvalidNonce`] otherwise.
    pub fn finish(
        &self,
        request: &Request<'_>,
        claim: Claim<'_>,
        user: Option<(String, Password)>,
        now: u64,
        counter: impl NonceCounter,
    ) -> Result<Verified, Error> {
        let Claim {
            cred,
            algorithm,
            qop,
            nc_num,
            ..
        } = claim;
        let get = |n: &str| cred.param(n).unwrap_or("");
        let (nonce, uri, response) = (get("nonce"), get("uri"), get("response"));
        let (nc, cnonce) = match qop {
            Some(_) => (get("nc").trim(), get("cnonce")),
            None => ("", ""),
        };
        let issued = self.nonce_time(nonce);
        let Some((username, password)) = user else {
            return Err(match issued {
                Err(e) => e,
                Ok(_) => Error::BadCredentials,
            });
        };
        let ha1 = match password {
            Password::Plain(p) => algorithm.ha1(&username, &self.realm, &p),
            Password::Ha1(h) => h.to_ascii_lowercase(),
        };
        let expected = ResponseInput {
            algorithm,
            ha1: &ha1,
            nonce,
            qop,
            nc,
            cnonce,
            method: request.method.as_str(),
            uri,
            body: request.body,
        }
        .compute();
        let right = ct_eq_ignore_case(&expected, response.trim());
        let issued = match issued {
            Ok(t) => t,
            Err(_) if right => return Err(Error::Stale),
            Err(e) => return Err(e),
        };
        if !right {
            return Err(Error::BadCredentials);
        }
        let expires = issued.saturating_add(self.lifetime);
        if now > expires {
            return Err(Error::Stale);
        }
        if qop.is_some() {
            match counter.check(nonce, issued, expires, nc_num, now) {
                NcVerdict::Fresh => {}
                NcVerdict::Replay => return Err(Error::Replay),
                NcVerdict::Forgotten => return Err(Error::Stale),
            }
        }
        Ok(Verified {
            username,
            algorithm,
            qop,
            nonce: nonce.to_owned(),
            nc: nc.to_owned(),
            cnonce: cnonce.to_owned(),
            uri: uri.to_owned(),
            ha1: Secret(ha1),
        })
    }

    /// The `Authentication-Info` value for a verified request: `rspauth` (proof that the
    /// server knows the password; `body` is the response body, used for `auth-int`) and,
    /// when given, `nextnonce`. Without qop only `nextnonce` can be sent.
    pub fn authentication_info(
        &self,
        verified: &Verified,
        body: &[u8],
        next_nonce: Option<&str>,
    ) -> Result<HeaderValue, Error> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(n) = next_nonce {
            let mut s = String::from("nextnonce=");
            push_quoted(&mut s, n);
            parts.push(s);
        }
        if let Some(q) = verified.qop {
            let rspauth = ResponseInput {
                algorithm: verified.algorithm,
                ha1: &verified.ha1.0,
                nonce: &verified.nonce,
                qop: Some(q),
                nc: &verified.nc,
                cnonce: &verified.cnonce,
                method: "",
                uri: &verified.uri,
                body,
            }
            .compute();
            parts.push(format!("qop={}", q.as_str()));
            parts.push(format!("rspauth=\"{rspauth}\""));
            let mut s = String::from("cnonce=");
            push_quoted(&mut s, &verified.cnonce);
            parts.push(s);
            parts.push(format!("nc={}", verified.nc));
        }
        header_value(parts.join(", "))
    }
}

/// Whether the digest `uri` names the request target: equal, or the same path and query when
/// one of them is in absolute form.
fn uri_matches(digest_uri: &str, request_uri: &str) -> bool {
    if digest_uri == request_uri {
        return true;
    }
    match (
        digest_uri.parse::<http::Uri>(),
        request_uri.parse::<http::Uri>(),
    ) {
        (Ok(a), Ok(b)) => {
            let pa = a.path_and_query().map(|p| p.as_str());
            let pb = b.path_and_query().map(|p| p.as_str());
            pa.is_some()
                && pa == pb
                && (a.authority().is_none()
                    || b.authority().is_none()
                    || a.authority() == b.authority())
        }
        _ => false,
    }
}
