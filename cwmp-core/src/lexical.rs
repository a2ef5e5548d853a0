//! The one lexical checker for the xsd types CWMP uses: whether a text is a valid value of a
//! [`ValueType`], and the part of its value that facets (ranges, lengths) need.
//!
//! The rules are those of the TR-069 and TR-106 value types, read leniently where devices
//! differ harmlessly: surrounding whitespace is ignored for every type but `string`; a
//! boolean is `0`, `1`, `true` or `false` in any case; an unsigned number may carry a `+`;
//! whitespace inside base64 is ignored; a dateTime is any form [`DateTime`] parses (absolute,
//! relative or without a zone).
//!
//! ```
//! use cwmp_core::lexical::{self, Lexical};
//! use cwmp_core::value::ValueType;
//! assert_eq!(lexical::check(&ValueType::UnsignedInt, " 300 "), Ok(Lexical::Integer(300)));
//! assert_eq!(lexical::check(&ValueType::Base64, "AAEC"), Ok(Lexical::Binary { len: 3 }));
//! assert_eq!(lexical::check(&ValueType::String, "día"), Ok(Lexical::String { chars: 3 }));
//! let e = lexical::check(&ValueType::Int, "2147483648").unwrap_err();
//! assert_eq!(e.expected, "int");
//! ```

use crate::datetime::DateTime;
use crate::value::{ValueError, ValueType};

/// What a lexically valid text is, as far as facets need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lexical {
    /// A `string` (or a type CWMP does not define), with its length in characters.
    String {
        /// Length in characters (Unicode scalar values).
        chars: u64,
    },
    /// An `int`, `unsignedInt`, `long` or `unsignedLong`.
    Integer(i128),
    /// A `decimal`.
    Decimal(f64),
    /// A `boolean`.
    Boolean(bool),
    /// A `dateTime`.
    DateTime(DateTime),
    /// A `base64` or `hexBinary`, with its decoded length in bytes.
    Binary {
        /// Decoded length in bytes.
        len: u64,
    },
}

/// Checks `text` as a value of `ty`: `Ok` with what facets need, or the error a typed
/// accessor of [`Value`](crate::value::Value) gives for the same text.
pub fn check(ty: &ValueType<'_>, text: &str) -> Result<Lexical, ValueError> {
    lex(ty, text).ok_or_else(|| error(expected(ty), text))
}

/// The type name an error gives (the types with a fixed name; the others never fail).
fn expected(ty: &ValueType<'_>) -> &'static str {
    match ty {
        ValueType::Int => "int",
        ValueType::UnsignedInt => "unsignedInt",
        ValueType::Long => "long",
        ValueType::UnsignedLong => "unsignedLong",
        ValueType::Boolean => "boolean",
        ValueType::DateTime => "dateTime",
        ValueType::Base64 => "base64",
        ValueType::HexBinary => "hexBinary",
        ValueType::Decimal => "decimal",
        ValueType::String | ValueType::Other(_) => "string",
    }
}

/// Whether `text` is a valid value of `ty` (see [`check`]), without building an error.
#[inline]
pub fn accepts(ty: &ValueType<'_>, text: &str) -> bool {
    match ty {
        ValueType::String | ValueType::Other(_) => true,
        _ => lex(ty, text).is_some(),
    }
}

/// The lexical value of `text` as a `ty`, or `None`.
fn lex(ty: &ValueType<'_>, text: &str) -> Option<Lexical> {
    let t = text.trim();
    Some(match ty {
        ValueType::String | ValueType::Other(_) => Lexical::String {
            chars: text.chars().count() as u64,
        },
        ValueType::Int => Lexical::Integer(i128::from(t.parse::<i32>().ok()?)),
        ValueType::UnsignedInt => {
            Lexical::Integer(i128::from(unsigned(t).and_then(|v| u32::try_from(v).ok())?))
        }
        ValueType::Long => Lexical::Integer(i128::from(t.parse::<i64>().ok()?)),
        ValueType::UnsignedLong => Lexical::Integer(i128::from(unsigned(t)?)),
        ValueType::Boolean => Lexical::Boolean(boolean(t)?),
        ValueType::DateTime => Lexical::DateTime(t.parse::<DateTime>().ok()?),
        ValueType::Base64 => Lexical::Binary {
            len: base64_len(text)?,
        },
        ValueType::HexBinary => Lexical::Binary { len: hex_len(t)? },
        ValueType::Decimal => {
            if !is_decimal(t) {
                return None;
            }
            Lexical::Decimal(t.parse::<f64>().ok()?)
        }
    })
}

/// The error for `text`, truncated to 64 bytes like the accessors' errors.
fn error(expected: &'static str, text: &str) -> ValueError {
    let mut end = text.len().min(64);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    ValueError {
        expected,
        text: text.get(..end).unwrap_or_default().to_owned(),
    }
}

/// A boolean: `0`, `1`, `true`, `false` in any case (the text already trimmed).
fn boolean(t: &str) -> Option<bool> {
    if t == "1" || t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t == "0" || t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An unsigned number with an optional `+` (the text already trimmed).
fn unsigned(t: &str) -> Option<u64> {
    t.strip_prefix('+').unwrap_or(t).parse::<u64>().ok()
}

/// An xsd decimal: optional sign, digits, optional fraction; at least one digit.
fn is_decimal(t: &str) -> bool {
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The decoded length of canonical-alphabet base64 (whitespace ignored, `=` padding only at
/// the end, length a multiple of four), checked without allocating.
fn base64_len(text: &str) -> Option<u64> {
    let mut len = 0u64;
    let mut padding = 0u64;
    for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        match b {
            b'=' => padding += 1,
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if padding == 0 => {}
            _ => return None,
        }
        len += 1;
    }
    (len % 4 == 0 && padding <= 2).then(|| len / 4 * 3 - padding)
}

/// The decoded length of hexBinary (an even number of hex digits; the text already trimmed).
fn hex_len(t: &str) -> Option<u64> {
    (t.len() % 2 == 0 && t.bytes().all(|b| b.is_ascii_hexdigit())).then_some(t.len() as u64 / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(
            check(&ValueType::Int, "-2147483648"),
            Ok(Lexical::Integer(-2_147_483_648))
        );
        assert!(check(&ValueType::Int, "2147483648").is_err());
        assert_eq!(
            check(&ValueType::UnsignedInt, "+7"),
            Ok(Lexical::Integer(7))
        );
        assert!(check(&ValueType::UnsignedInt, "-0").is_err());
        assert!(check(&ValueType::UnsignedInt, "4294967296").is_err());
        assert_eq!(
            check(&ValueType::UnsignedLong, "18446744073709551615"),
            Ok(Lexical::Integer(18_446_744_073_709_551_615))
        );
        assert!(check(&ValueType::Long, "1.0").is_err());
    }

    #[test]
    fn others() {
        assert_eq!(
            check(&ValueType::Boolean, " TRUE "),
            Ok(Lexical::Boolean(true))
        );
        assert!(check(&ValueType::Boolean, "yes").is_err());
        assert_eq!(
            check(&ValueType::Decimal, "-1.5"),
            Ok(Lexical::Decimal(-1.5))
        );
        for bad in ["1e5", ".", "", "+", "1.2.3"] {
            assert!(check(&ValueType::Decimal, bad).is_err(), "{bad}");
        }
        assert_eq!(
            check(&ValueType::Base64, "AA=="),
            Ok(Lexical::Binary { len: 1 })
        );
        assert!(check(&ValueType::Base64, "A=AA").is_err());
        assert_eq!(
            check(&ValueType::HexBinary, "00ff"),
            Ok(Lexical::Binary { len: 2 })
        );
        assert!(check(&ValueType::HexBinary, "0g").is_err());
        assert!(check(&ValueType::DateTime, "2024-02-29T12:00:00.123+01:00").is_ok());
        assert!(check(&ValueType::DateTime, "0001-01-03T03:04:05").is_ok());
        for bad in [
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-01-01 00:00:00",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:00:00+1:00",
            "2023-01-01T00:00:00.",
        ] {
            assert!(check(&ValueType::DateTime, bad).is_err(), "{bad}");
        }
        assert!(accepts(&ValueType::Other("json".into()), "{"));
    }

    /// The checker agrees with the typed accessors of `Value` on every type they cover.
    #[test]
    fn agrees_with_value_accessors() {
        use crate::value::Value;
        for text in [
            "0",
            "1",
            "-1",
            "+1",
            " 42 ",
            "4294967295",
            "4294967296",
            "true",
            "FALSE",
            "x",
            "",
            "AAEC",
            "00ff",
            "2024-01-01T00:00:00Z",
        ] {
            let v = |ty| Value::new(ty, text);
            assert_eq!(
                check(&ValueType::Int, text).is_ok(),
                v(ValueType::Int).as_i32().is_ok()
            );
            assert_eq!(
                check(&ValueType::UnsignedInt, text).is_ok(),
                v(ValueType::UnsignedInt).as_u32().is_ok()
            );
            assert_eq!(
                check(&ValueType::Long, text).is_ok(),
                v(ValueType::Long).as_i64().is_ok()
            );
            assert_eq!(
                check(&ValueType::Boolean, text).is_ok(),
                v(ValueType::Boolean).as_bool().is_ok()
            );
            assert_eq!(
                check(&ValueType::DateTime, text).is_ok(),
                v(ValueType::DateTime).as_datetime().is_ok()
            );
            assert_eq!(
                check(&ValueType::Base64, text).is_ok(),
                v(ValueType::Base64).as_base64().is_ok(),
                "{text}"
            );
            assert_eq!(
                check(&ValueType::HexBinary, text).is_ok(),
                v(ValueType::HexBinary).as_hex_binary().is_ok()
            );
        }
    }
}
