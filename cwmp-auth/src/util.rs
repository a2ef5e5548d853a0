//! Small helpers: hex, constant-time comparison, percent-encoding, secrets.

use subtle::ConstantTimeEq;

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    fn digit(n: u8) -> char {
        char::from_digit(u32::from(n & 0x0f), 16).unwrap_or('0')
    }
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(*b));
    }
    out
}

/// Constant-time comparison of two ASCII strings, ignoring ASCII case.
///
/// The lengths are not secret (a hex digest has a fixed length per algorithm).
pub(crate) fn ct_eq_ignore_case(a: &str, b: &str) -> bool {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    bool::from(a.as_slice().ct_eq(b.as_slice()))
}

/// Constant-time comparison of two byte strings.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

fn is_attr_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&c)
}

/// RFC 5987 / RFC 8187 `ext-value` with charset UTF-8 and no language.
pub(crate) fn ext_value_encode(s: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in s.bytes() {
        if is_attr_char(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push_str(&hex(&[b]).to_ascii_uppercase());
        }
    }
    out
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes; `None` on a bad escape or non-UTF-8 result.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hi = hex_val(it.next()?)?;
            let lo = hex_val(it.next()?)?;
            out.push(hi << 4 | lo);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push_str(&hex(&[b]).to_ascii_uppercase());
        }
    }
    out
}

/// RFC 5987 `ext-value` decoding: `charset'lang'pct-encoded`, charset UTF-8 (or ISO-8859-1).
pub(crate) fn ext_value_decode(s: &str) -> Option<String> {
    let mut parts = s.splitn(3, '\'');
    let charset = parts.next()?;
    let _lang = parts.next()?;
    let value = parts.next()?;
    if charset.eq_ignore_ascii_case("UTF-8") {
        percent_decode(value)
    } else if charset.eq_ignore_ascii_case("ISO-8859-1") {
        // Latin-1 bytes map one to one onto the first 256 code points.
        let mut bytes = Vec::new();
        let mut it = value.bytes();
        while let Some(b) = it.next() {
            if b == b'%' {
                let hi = hex_val(it.next()?)?;
                let lo = hex_val(it.next()?)?;
                bytes.push(hi << 4 | lo);
            } else {
                bytes.push(b);
            }
        }
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

/// Appends `"value"` with `"` and `\` escaped.
pub(crate) fn push_quoted(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// Turns a built header string into a `HeaderValue`.
pub(crate) fn header_value(s: String) -> Result<http::HeaderValue, crate::Error> {
    http::HeaderValue::try_from(s)
        .map_err(|_| crate::Error::InvalidValue("control or non-ASCII character"))
}

/// A password or key that never shows in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Key bytes that never show in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretBytes(pub(crate) Vec<u8>);

impl core::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_value_round_trip() {
        let enc = ext_value_encode("J\u{e4}s\u{f8}n Doe");
        assert_eq!(enc, "UTF-8''J%C3%A4s%C3%B8n%20Doe");
        assert_eq!(
            ext_value_decode(&enc).as_deref(),
            Some("J\u{e4}s\u{f8}n Doe")
        );
        assert_eq!(
            ext_value_decode("iso-8859-1'en'%A3%20rates").as_deref(),
            Some("\u{a3} rates")
        );
        assert_eq!(ext_value_decode("UTF-8''%ZZ"), None);
        assert_eq!(ext_value_decode("nonsense"), None);
    }

    #[test]
    fn ct_compare() {
        assert!(ct_eq_ignore_case("ABCdef", "abcDEF"));
        assert!(!ct_eq_ignore_case("abc", "abd"));
        assert!(!ct_eq_ignore_case("abc", "abcd"));
    }
}
