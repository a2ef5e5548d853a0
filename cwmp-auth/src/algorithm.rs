//! Digest algorithms (RFC 7616 §3.3 and §6.1) and the hash computations of §3.4.

use digest::Digest;

use crate::Error;
use crate::util::hex;

/// A digest `algorithm` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `MD5` (the default when a challenge names none).
    Md5,
    /// `MD5-sess`.
    Md5Sess,
    /// `SHA-256`.
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
    /// `SHA-512-256`.
    Sha512_256,
    /// `SHA-512-256-sess`.
    Sha512_256Sess,
}

impl Algorithm {
    /// Every algorithm, strongest first.
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Sha512_256,
        Algorithm::Sha512_256Sess,
        Algorithm::Sha256,
        Algorithm::Sha256Sess,
        Algorithm::Md5,
        Algorithm::Md5Sess,
    ];

    /// The name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
            Algorithm::Sha512_256 => "SHA-512-256",
            Algorithm::Sha512_256Sess => "SHA-512-256-sess",
        }
    }

    /// Parses a wire name, ignoring ASCII case.
    pub fn parse(name: &str) -> Result<Algorithm, Error> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::UnknownAlgorithm(crate::error::excerpt(name)))
    }

    /// Whether this is a `-sess` variant (HA1 bound to nonce and cnonce).
    pub fn is_session(self) -> bool {
        matches!(
            self,
            Algorithm::Md5Sess | Algorithm::Sha256Sess | Algorithm::Sha512_256Sess
        )
    }

    /// Preference rank: higher is stronger. Used to choose among several challenges.
    pub fn strength(self) -> u8 {
        match self {
            Algorithm::Md5Sess => 1,
            Algorithm::Md5 => 2,
            Algorithm::Sha256Sess => 3,
            Algorithm::Sha256 => 4,
            Algorithm::Sha512_256Sess => 5,
            Algorithm::Sha512_256 => 6,
        }
    }

    /// Length of a hex digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => 32,
            _ => 64,
        }
    }

    /// Lower-case hex of the hash of `parts` joined by `:`.
    pub fn hash_joined(self, parts: &[&[u8]]) -> String {
        fn run<D: Digest>(parts: &[&[u8]]) -> String {
            let mut d = D::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    d.update(b":");
                }
                d.update(p);
            }
            hex(&d.finalize())
        }
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => run::<md5::Md5>(parts),
            Algorithm::Sha256 | Algorithm::Sha256Sess => run::<sha2::Sha256>(parts),
            Algorithm::Sha512_256 | Algorithm::Sha512_256Sess => run::<sha2::Sha512_256>(parts),
        }
    }

    /// `H(username ":" realm ":" password)`: the HA1 a server may store instead of the
    /// password. The same value serves the `-sess` variant of the same hash.
    pub fn ha1(self, username: &str, realm: &str, password: &str) -> String {
        self.hash_joined(&[username.as_bytes(), realm.as_bytes(), password.as_bytes()])
    }

    /// `H(username ":" realm)`: the user name sent when the challenge has `userhash=true`.
    pub fn userhash(self, username: &str, realm: &str) -> String {
        self.hash_joined(&[username.as_bytes(), realm.as_bytes()])
    }
}

impl core::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Quality of protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qop {
    /// `auth`: authentication only.
    Auth,
    /// `auth-int`: authentication with a hash of the message body.
    AuthInt,
}

impl Qop {
    /// The name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
            Qop::AuthInt => "auth-int",
        }
    }

    /// Parses a wire name, ignoring ASCII case.
    pub fn parse(s: &str) -> Option<Qop> {
        if s.eq_ignore_ascii_case("auth") {
            Some(Qop::Auth)
        } else if s.eq_ignore_ascii_case("auth-int") {
            Some(Qop::AuthInt)
        } else {
            None
        }
    }
}

/// The inputs of one digest `response` computation (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1).
pub(crate) struct ResponseInput<'a> {
    pub algorithm: Algorithm,
    /// `H(user:realm:password)` in hex (the non-session HA1).
    pub ha1: &'a str,
    pub nonce: &'a str,
    /// `None` selects the RFC 2069 form; then `nc` and `cnonce` are ignored.
    pub qop: Option<Qop>,
    pub nc: &'a str,
    pub cnonce: &'a str,
    /// Method as sent (empty for `rspauth`).
    pub method: &'a str,
    pub uri: &'a str,
    /// Entity body, for `auth-int`.
    pub body: &'a [u8],
}

impl ResponseInput<'_> {
    /// The effective HA1 (session form for `-sess`).
    fn effective_ha1(&self) -> String {
        if self.algorithm.is_session() {
            self.algorithm.hash_joined(&[
                self.ha1.as_bytes(),
                self.nonce.as_bytes(),
                self.cnonce.as_bytes(),
            ])
        } else {
            self.ha1.to_owned()
        }
    }

    /// The `response` (or `rspauth`) value in lower-case hex.
    pub fn compute(&self) -> String {
        let a = self.algorithm;
        let ha2 = match self.qop {
            Some(Qop::AuthInt) => {
                let body = a.hash_joined(&[self.body]);
                a.hash_joined(&[self.method.as_bytes(), self.uri.as_bytes(), body.as_bytes()])
            }
            _ => a.hash_joined(&[self.method.as_bytes(), self.uri.as_bytes()]),
        };
        let ha1 = self.effective_ha1();
        match self.qop {
            None => a.hash_joined(&[ha1.as_bytes(), self.nonce.as_bytes(), ha2.as_bytes()]),
            Some(q) => a.hash_joined(&[
                ha1.as_bytes(),
                self.nonce.as_bytes(),
                self.nc.as_bytes(),
                self.cnonce.as_bytes(),
                q.as_str().as_bytes(),
                ha2.as_bytes(),
            ]),
        }
    }
}
