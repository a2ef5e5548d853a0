//! The server side: issue challenges, verify `Authorization`, build `Authentication-Info`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use http::{HeaderValue, Method};

use super::challenge::{DigestChallenge, QopSet};
use crate::algorithm::ResponseInput;
use crate::header::{Limits, parse_credentials};
use crate::source::RandomSource;
use crate::util::{
    Secret, SecretBytes, ct_eq, ct_eq_ignore_case, ext_value_decode, header_value, push_quoted,
};
use crate::{Algorithm, Error, Qop};

type HmacSha256 = Hmac<sha2::Sha256>;

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

/// Verdict of a [`NonceCounter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NcVerdict {
    /// The count is higher than any seen for this nonce: accept.
    Fresh,
    /// The count was seen before (or a lower one): refuse as a replay.
    Replay,
    /// The counter no longer knows this nonce (evicted under memory pressure): treat the
    /// nonce as stale so the client fetches a new one.
    Forgotten,
}

/// Replay protection: remembers the highest nonce count used per nonce.
pub trait NonceCounter {
    /// Records `nc` for `nonce` (issued at `issued_at`, valid until `expires_at`, Unix
    /// seconds) and says whether it is fresh.
    fn check(
        &mut self,
        nonce: &str,
        issued_at: u64,
        expires_at: u64,
        nc: u32,
        now: u64,
    ) -> NcVerdict;
}

#[derive(Debug, Clone, Copy)]
struct NcEntry {
    issued_at: u64,
    expires_at: u64,
    max_nc: u32,
}

/// An in-memory [`NonceCounter`] with a fixed capacity.
///
/// Expired entries are pruned when the table is full. If it is still full, the entry of the
/// oldest nonce is evicted and every nonce issued at or before that time that is not in the
/// table is then answered [`NcVerdict::Forgotten`]: memory stays bounded and a forgotten nonce
/// can never be replayed.
#[derive(Debug, Clone)]
pub struct MemoryNonceCounter {
    map: HashMap<String, NcEntry>,
    capacity: usize,
    forgotten_up_to: Option<u64>,
}

impl MemoryNonceCounter {
    /// A counter remembering at most `capacity` nonces (at least 1).
    pub fn new(capacity: usize) -> Self {
        MemoryNonceCounter {
            map: HashMap::new(),
            capacity: capacity.max(1),
            forgotten_up_to: None,
        }
    }

    /// Number of nonces remembered.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl Default for MemoryNonceCounter {
    fn default() -> Self {
        MemoryNonceCounter::new(4096)
    }
}

impl NonceCounter for MemoryNonceCounter {
    fn check(
        &mut self,
        nonce: &str,
        issued_at: u64,
        expires_at: u64,
        nc: u32,
        now: u64,
    ) -> NcVerdict {
        if let Some(e) = self.map.get_mut(nonce) {
            if nc > e.max_nc {
                e.max_nc = nc;
                return NcVerdict::Fresh;
            }
            return NcVerdict::Replay;
        }
        if self.forgotten_up_to.is_some_and(|f| issued_at <= f) {
            return NcVerdict::Forgotten;
        }
        if self.map.len() >= self.capacity {
            self.map.retain(|_, e| e.expires_at >= now);
        }
        while self.map.len() >= self.capacity {
            let oldest = self
                .map
                .iter()
                .min_by_key(|(_, e)| e.issued_at)
                .map(|(k, e)| (k.clone(), e.issued_at));
            let Some((k, t)) = oldest else { break };
            self.map.remove(&k);
            self.forgotten_up_to = Some(self.forgotten_up_to.map_or(t, |f| f.max(t)));
            if issued_at <= t {
                return NcVerdict::Forgotten;
            }
        }
        self.map.insert(
            nonce.to_owned(),
            NcEntry {
                issued_at,
                expires_at,
                max_nc: nc,
            },
        );
        NcVerdict::Fresh
    }
}

/// The request being authenticated.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The request method.
    pub method: &'a Method,
    /// The request target as received on the request line.
    pub uri: &'a str,
    /// The entity body (needed for `auth-int`; `&[]` otherwise).
    pub body: &'a [u8],
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
/// Fritzbox reconnects after the 401, QUIRKS 34), with no per-socket state. Expiry yields
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
    /// Defaults: algorithms SHA-256 then MD5, qop `auth` and `auth-int`, nonce lifetime
    /// 300 s, no opaque, no userhash.
    pub fn new(realm: impl Into<String>, secret: &[u8]) -> Self {
        DigestServer {
            realm: realm.into(),
            key: SecretBytes(secret.to_vec()),
            algorithms: vec![Algorithm::Sha256, Algorithm::Md5],
            qop: QopSet::BOTH,
            lifetime: 300,
            opaque: None,
            userhash: false,
            limits: Limits::default(),
        }
    }

    /// The algorithms offered, in preference order (one challenge each).
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

    /// Verifies an `Authorization` value for `request` at time `now` (Unix seconds).
    ///
    /// Errors to answer with a fresh challenge: [`Error::Stale`] (with `stale=true`),
    /// [`Error::BadCredentials`], [`Error::Replay`], [`Error::InvalidNonce`], and every parse
    /// or parameter error.
    pub fn verify(
        &self,
        request: &Request<'_>,
        authorization: &HeaderValue,
        now: u64,
        store: &impl CredentialStore,
        counter: &mut impl NonceCounter,
    ) -> Result<Verified, Error> {
        let cred = parse_credentials(authorization.as_bytes(), &self.limits)?;
        if !cred.is("Digest") {
            return Err(Error::WrongScheme);
        }
        let get = |n: &str| cred.param(n);
        let realm = get("realm").ok_or(Error::MissingParam("realm"))?;
        let nonce = get("nonce").ok_or(Error::MissingParam("nonce"))?;
        let uri = get("uri").ok_or(Error::MissingParam("uri"))?;
        let response = get("response").ok_or(Error::MissingParam("response"))?;
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
        let (nc, nc_num, cnonce) = match qop {
            Some(_) => {
                let nc = get("nc").ok_or(Error::MissingParam("nc"))?.trim();
                if nc.len() != 8 {
                    return Err(Error::InvalidParam("nc"));
                }
                let n = u32::from_str_radix(nc, 16).map_err(|_| Error::InvalidParam("nc"))?;
                let cnonce = get("cnonce").ok_or(Error::MissingParam("cnonce"))?;
                (nc, n, cnonce)
            }
            None => ("", 0, ""),
        };
        if algorithm.is_session() && qop.is_none() {
            return Err(Error::InvalidParam("algorithm"));
        }
        if !uri_matches(uri, request.uri) {
            return Err(Error::UriMismatch);
        }
        let issued = self.nonce_time(nonce)?;

        let userhash = get("userhash").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let username = match (get("username"), get("username*")) {
            (Some(_), Some(_)) => return Err(Error::InvalidParam("username")),
            (Some(u), None) if userhash => store
                .user_by_hash(u, &self.realm, algorithm)
                .ok_or(Error::BadCredentials)?,
            (Some(u), None) => u.to_owned(),
            (None, Some(u)) => ext_value_decode(u).ok_or(Error::InvalidParam("username*"))?,
            (None, None) => return Err(Error::MissingParam("username")),
        };
        let ha1 = match store.password(&username, &self.realm, algorithm) {
            Some(Password::Plain(p)) => algorithm.ha1(&username, &self.realm, &p),
            Some(Password::Ha1(h)) => h.to_ascii_lowercase(),
            None => return Err(Error::BadCredentials),
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
        if !ct_eq_ignore_case(&expected, response.trim()) {
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
