//! HTTP Basic authentication (RFC 7617), both sides.
//!
//! **Warning:** Basic sends the password in clear (base64 is an encoding, not protection).
//! Use it only inside TLS; over plain HTTP use [`crate::digest`]. TR-069 allows Basic only
//! over TLS.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderValue;

use crate::Error;
use crate::header::{Limits, parse_credentials};
use crate::util::{Secret, ct_eq, header_value, push_quoted};

/// The `Authorization` value `Basic base64(user:password)` (UTF-8). Only over TLS.
///
/// Fails if the user name contains `:` (RFC 7617 §2) or a control character.
pub fn authorization(username: &str, password: &str) -> Result<HeaderValue, Error> {
    if username.contains(':') {
        return Err(Error::InvalidValue("':' in a Basic user name"));
    }
    if username
        .chars()
        .chain(password.chars())
        .any(char::is_control)
    {
        return Err(Error::InvalidValue(
            "control character in Basic credentials",
        ));
    }
    let mut v = HeaderValue::try_from(format!(
        "Basic {}",
        STANDARD.encode(format!("{username}:{password}"))
    ))
    .map_err(|_| Error::InvalidValue("Basic credentials"))?;
    v.set_sensitive(true);
    Ok(v)
}

/// The `WWW-Authenticate` value `Basic realm="...", charset="UTF-8"`.
pub fn challenge(realm: &str) -> Result<HeaderValue, Error> {
    let mut s = String::from("Basic realm=");
    push_quoted(&mut s, realm);
    s.push_str(", charset=\"UTF-8\"");
    header_value(s)
}

/// Credentials decoded from a `Basic` `Authorization` value.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    username: String,
    password: Secret,
}

impl core::fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl BasicCredentials {
    /// Parses an `Authorization: Basic ...` value (scheme case-insensitive).
    pub fn parse(value: &HeaderValue) -> Result<Self, Error> {
        let cred = parse_credentials(value.as_bytes(), &Limits::default())?;
        if !cred.is("Basic") {
            return Err(Error::WrongScheme);
        }
        let token = cred.token68.ok_or(Error::MissingParam("token68"))?;
        let raw = STANDARD
            .decode(token)
            .map_err(|_| Error::InvalidParam("token68"))?;
        let text = String::from_utf8(raw).map_err(|_| Error::InvalidParam("token68"))?;
        let (u, p) = text.split_once(':').ok_or(Error::InvalidParam("token68"))?;
        Ok(BasicCredentials {
            username: u.to_owned(),
            password: Secret(p.to_owned()),
        })
    }

    /// The user name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password (handle with care).
    pub fn password(&self) -> &str {
        &self.password.0
    }

    /// Whether these are `username`/`password`; the password comparison is constant-time.
    pub fn verify(&self, username: &str, password: &str) -> bool {
        let user_ok = self.username == username;
        let pass_ok = ct_eq(self.password.0.as_bytes(), password.as_bytes());
        user_ok & pass_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7617_example() {
        // RFC 7617 §2: Aladdin / open sesame.
        let v = authorization("Aladdin", "open sesame").unwrap();
        assert_eq!(v.to_str().unwrap(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        let c = BasicCredentials::parse(&v).unwrap();
        assert!(c.verify("Aladdin", "open sesame"));
        assert!(!c.verify("Aladdin", "open sesamE"));
        assert!(!format!("{c:?}").contains("sesame"));
        assert!(authorization("a:b", "x").is_err());
        let lower = HeaderValue::from_static("basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(
            BasicCredentials::parse(&lower).unwrap().username(),
            "Aladdin"
        );
        assert_eq!(
            challenge("WallyWorld").unwrap().to_str().unwrap(),
            "Basic realm=\"WallyWorld\", charset=\"UTF-8\""
        );
    }
}
