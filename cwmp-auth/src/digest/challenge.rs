//! The `Digest` challenge: parsed from `WWW-Authenticate`, or built by a server.

use std::borrow::Cow;

use http::HeaderValue;

use crate::header::{Challenge, Limits, Param, parse_challenges};
use crate::util::{header_value, push_quoted};
use crate::{Algorithm, Error, Qop};

/// The qop values a challenge offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QopSet {
    /// `auth` is offered.
    pub auth: bool,
    /// `auth-int` is offered.
    pub auth_int: bool,
}

impl QopSet {
    /// No qop at all: the RFC 2069 form.
    pub const NONE: QopSet = QopSet {
        auth: false,
        auth_int: false,
    };
    /// `auth` only.
    pub const AUTH: QopSet = QopSet {
        auth: true,
        auth_int: false,
    };
    /// `auth-int` only.
    pub const AUTH_INT: QopSet = QopSet {
        auth: false,
        auth_int: true,
    };
    /// Both `auth` and `auth-int`.
    pub const BOTH: QopSet = QopSet {
        auth: true,
        auth_int: true,
    };

    /// Whether no qop is offered (RFC 2069 compatibility).
    pub fn is_empty(self) -> bool {
        !self.auth && !self.auth_int
    }

    /// Whether `qop` is offered.
    pub fn contains(self, qop: Qop) -> bool {
        match qop {
            Qop::Auth => self.auth,
            Qop::AuthInt => self.auth_int,
        }
    }

    fn wire(self) -> &'static str {
        match (self.auth, self.auth_int) {
            (true, true) => "auth, auth-int",
            (true, false) => "auth",
            (false, true) => "auth-int",
            (false, false) => "",
        }
    }
}

/// A parsed or to-be-sent `Digest` challenge. Text borrows from the header when parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestChallenge<'a> {
    /// `realm`.
    pub realm: Cow<'a, str>,
    /// `nonce`.
    pub nonce: Cow<'a, str>,
    /// `opaque`, echoed back unchanged when present (and never invented when absent).
    pub opaque: Option<Cow<'a, str>>,
    /// `domain`, if given.
    pub domain: Option<Cow<'a, str>>,
    /// `algorithm` (MD5 when absent).
    pub algorithm: Algorithm,
    /// Whether the challenge named the algorithm explicitly (then the response repeats it).
    pub algorithm_explicit: bool,
    /// Offered qop values; empty means the RFC 2069 form.
    pub qop: QopSet,
    /// `stale=true`: the previous nonce expired, the credentials were right.
    pub stale: bool,
    /// `userhash=true`: send `H(user:realm)` as the user name.
    pub userhash: bool,
    /// `charset=UTF-8` was given.
    pub charset_utf8: bool,
}

fn take<'a>(params: &mut Vec<Param<'a>>, name: &str) -> Option<Cow<'a, str>> {
    let i = params
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(name))?;
    Some(params.remove(i).value)
}

fn flag(v: Option<Cow<'_, str>>) -> bool {
    v.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

impl<'a> DigestChallenge<'a> {
    /// Interprets a generic challenge as a Digest challenge.
    ///
    /// Lenient: unknown qop values (like `undefined`) are ignored, unknown parameters too.
    /// Fails for another scheme, a missing realm or nonce, or an unknown algorithm.
    pub fn from_challenge(ch: Challenge<'a>) -> Result<Self, Error> {
        if !ch.is("Digest") {
            return Err(Error::WrongScheme);
        }
        let mut params = ch.params;
        let realm = take(&mut params, "realm").ok_or(Error::MissingParam("realm"))?;
        let nonce = take(&mut params, "nonce").ok_or(Error::MissingParam("nonce"))?;
        let (algorithm, algorithm_explicit) = match take(&mut params, "algorithm") {
            Some(a) => (Algorithm::parse(a.trim())?, true),
            None => (Algorithm::Md5, false),
        };
        let mut qop = QopSet::NONE;
        if let Some(q) = take(&mut params, "qop") {
            for item in q.split(',') {
                match Qop::parse(item.trim()) {
                    Some(Qop::Auth) => qop.auth = true,
                    Some(Qop::AuthInt) => qop.auth_int = true,
                    None => {}
                }
            }
        }
        Ok(DigestChallenge {
            realm,
            nonce,
            opaque: take(&mut params, "opaque"),
            domain: take(&mut params, "domain"),
            algorithm,
            algorithm_explicit,
            qop,
            stale: flag(take(&mut params, "stale")),
            userhash: flag(take(&mut params, "userhash")),
            charset_utf8: take(&mut params, "charset")
                .is_some_and(|c| c.trim().eq_ignore_ascii_case("UTF-8")),
        })
    }

    /// Copies borrowed text so the challenge can be kept.
    pub fn into_owned(self) -> DigestChallenge<'static> {
        DigestChallenge {
            realm: Cow::Owned(self.realm.into_owned()),
            nonce: Cow::Owned(self.nonce.into_owned()),
            opaque: self.opaque.map(|o| Cow::Owned(o.into_owned())),
            domain: self.domain.map(|o| Cow::Owned(o.into_owned())),
            algorithm: self.algorithm,
            algorithm_explicit: self.algorithm_explicit,
            qop: self.qop,
            stale: self.stale,
            userhash: self.userhash,
            charset_utf8: self.charset_utf8,
        }
    }

    /// The `WWW-Authenticate` value for this challenge.
    pub fn to_header_value(&self) -> Result<HeaderValue, Error> {
        let mut s = String::from("Digest realm=");
        push_quoted(&mut s, &self.realm);
        if !self.qop.is_empty() {
            s.push_str(", qop=\"");
            s.push_str(self.qop.wire());
            s.push('"');
        }
        if self.algorithm_explicit || self.algorithm != Algorithm::Md5 {
            s.push_str(", algorithm=");
            s.push_str(self.algorithm.as_str());
        }
        s.push_str(", nonce=");
        push_quoted(&mut s, &self.nonce);
        if let Some(o) = &self.opaque {
            s.push_str(", opaque=");
            push_quoted(&mut s, o);
        }
        if let Some(d) = &self.domain {
            s.push_str(", domain=");
            push_quoted(&mut s, d);
        }
        if self.stale {
            s.push_str(", stale=true");
        }
        if self.charset_utf8 {
            s.push_str(", charset=UTF-8");
        }
        if self.userhash {
            s.push_str(", userhash=true");
        }
        header_value(s)
    }
}

/// The challenge chosen from a 401 response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Chosen<'a> {
    /// The strongest Digest challenge with an algorithm we implement.
    Digest(DigestChallenge<'a>),
    /// Only Basic was offered (send it only over TLS).
    Basic {
        /// The Basic realm.
        realm: Option<Cow<'a, str>>,
    },
}

/// Parses every `WWW-Authenticate` value of a response and picks the strongest challenge we
/// can answer: Digest by algorithm strength (qop offered beats none at equal strength), Basic
/// last. Digest challenges with unknown algorithms are skipped.
pub fn choose_challenge<'a, I>(values: I, limits: &Limits) -> Result<Chosen<'a>, Error>
where
    I: IntoIterator<Item = &'a HeaderValue>,
{
    let mut best: Option<DigestChallenge<'a>> = None;
    let mut basic: Option<Chosen<'a>> = None;
    let mut first_err: Option<Error> = None;
    let mut total = 0usize;
    for v in values {
        let list = parse_challenges(v.as_bytes(), limits)?;
        total = total.saturating_add(list.len());
        if total > limits.max_challenges {
            return Err(Error::TooMany {
                what: "challenges",
                limit: limits.max_challenges,
            });
        }
        for ch in list {
            if ch.is("Basic") {
                if basic.is_none() {
                    let mut params = ch.params;
                    basic = Some(Chosen::Basic {
                        realm: take(&mut params, "realm"),
                    });
                }
            } else if ch.is("Digest") {
                match DigestChallenge::from_challenge(ch) {
                    Ok(d) => {
                        let rank =
                            |c: &DigestChallenge<'_>| (c.algorithm.strength(), !c.qop.is_empty());
                        if best.as_ref().is_none_or(|b| rank(&d) > rank(b)) {
                            best = Some(d);
                        }
                    }
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
        }
    }
    if let Some(d) = best {
        return Ok(Chosen::Digest(d));
    }
    if let Some(b) = basic {
        return Ok(b);
    }
    Err(first_err.unwrap_or(Error::NoSupportedChallenge))
}
