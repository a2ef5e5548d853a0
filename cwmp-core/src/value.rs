//! Parameter values: the xsd type a value was sent with, and its text.
//!
//! A [`Value`] never loses what was on the wire: it keeps the declared type (including types
//! CWMP does not define, such as `xsd:json`) and the text as received. Typed accessors parse on
//! access; constructors write the canonical lexical form.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;

use crate::datetime::{DateTime, DateTimeError};

/// The `xsi:type` of a parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum ValueType<'a> {
    /// `xsd:string` (also what a value without `xsi:type` is read as).
    #[default]
    String,
    /// `xsd:int`, 32-bit signed.
    Int,
    /// `xsd:unsignedInt`, 32-bit unsigned.
    UnsignedInt,
    /// `xsd:long`, 64-bit signed.
    Long,
    /// `xsd:unsignedLong`, 64-bit unsigned.
    UnsignedLong,
    /// `xsd:boolean`.
    Boolean,
    /// `xsd:dateTime`.
    DateTime,
    /// `xsd:base64Binary` (TR-069 calls it `base64`; both spellings are read).
    Base64,
    /// `xsd:hexBinary`.
    HexBinary,
    /// `xsd:decimal`.
    Decimal,
    /// Any other type name, kept as its local name (e.g. `json` from `xsd:json`).
    Other(Cow<'a, str>),
}

impl<'a> ValueType<'a> {
    /// The type named by the local part of an `xsi:type` in the XML Schema namespace.
    pub fn from_xsd_name(name: &'a str) -> ValueType<'a> {
        match name {
            "string" => ValueType::String,
            "int" => ValueType::Int,
            "unsignedInt" => ValueType::UnsignedInt,
            "long" => ValueType::Long,
            "unsignedLong" => ValueType::UnsignedLong,
            "boolean" => ValueType::Boolean,
            "dateTime" => ValueType::DateTime,
            "base64Binary" | "base64" => ValueType::Base64,
            "hexBinary" => ValueType::HexBinary,
            "decimal" => ValueType::Decimal,
            other => ValueType::Other(Cow::Borrowed(other)),
        }
    }

    /// The local name written after `xsd:`.
    pub fn xsd_name(&self) -> &str {
        match self {
            ValueType::String => "string",
            ValueType::Int => "int",
            ValueType::UnsignedInt => "unsignedInt",
            ValueType::Long => "long",
            ValueType::UnsignedLong => "unsignedLong",
            ValueType::Boolean => "boolean",
            ValueType::DateTime => "dateTime",
            ValueType::Base64 => "base64Binary",
            ValueType::HexBinary => "hexBinary",
            ValueType::Decimal => "decimal",
            ValueType::Other(name) => name,
        }
    }

    /// Whether `text` is a valid lexical form of this type (always true for string and for
    /// types CWMP does not define).
    pub fn accepts(&self, text: &str) -> bool {
        crate::lexical::accepts(self, text)
    }

    /// Converts a borrowed type name into an owned one.
    pub fn into_owned(self) -> ValueType<'static> {
        match self {
            ValueType::String => ValueType::String,
            ValueType::Int => ValueType::Int,
            ValueType::UnsignedInt => ValueType::UnsignedInt,
            ValueType::Long => ValueType::Long,
            ValueType::UnsignedLong => ValueType::UnsignedLong,
            ValueType::Boolean => ValueType::Boolean,
            ValueType::DateTime => ValueType::DateTime,
            ValueType::Base64 => ValueType::Base64,
            ValueType::HexBinary => ValueType::HexBinary,
            ValueType::Decimal => ValueType::Decimal,
            ValueType::Other(name) => ValueType::Other(Cow::Owned(name.into_owned())),
        }
    }
}

impl fmt::Display for ValueType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.xsd_name())
    }
}

/// A parameter value: its declared type and its text.
///
/// ```
/// use cwmp_core::value::{Value, ValueType};
/// let v = Value::unsigned_int(300);
/// assert_eq!(v.ty, ValueType::UnsignedInt);
/// assert_eq!(v.text, "300");
/// assert_eq!(v.as_u32(), Ok(300));
/// assert_eq!(Value::new(ValueType::Boolean, "TRUE").as_bool(), Ok(true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Value<'a> {
    /// The declared `xsi:type`.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub ty: ValueType<'a>,
    /// The text, unescaped.
    pub text: Cow<'a, str>,
}

/// A value's text is not a valid instance of the type asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a valid {expected}")]
pub struct ValueError {
    /// The type the accessor expected.
    pub expected: &'static str,
    /// The text (truncated to 64 bytes).
    pub text: String,
}

impl ValueError {
    fn new(expected: &'static str, text: &str) -> Self {
        let mut end = text.len().min(64);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        ValueError {
            expected,
            text: text.get(..end).unwrap_or_default().to_owned(),
        }
    }
}

/// Reads an xs:boolean leniently: `0`, `1`, `true`, `false` in any case, surrounding spaces
/// ignored.
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    if t == "1" || t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t == "0" || t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_unsigned(text: &str) -> Option<u64> {
    let t = text.trim();
    t.strip_prefix('+').unwrap_or(t).parse::<u64>().ok()
}

fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let t = text.trim().as_bytes();
    if t.len() % 2 != 0 {
        return None;
    }
    t.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some((hex_digit(*hi)? << 4) | hex_digit(*lo)?),
            _ => None,
        })
        .collect()
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Value<'a> {
    /// A value of the given type and text, unchecked.
    pub fn new(ty: ValueType<'a>, text: impl Into<Cow<'a, str>>) -> Self {
        Value {
            ty,
            text: text.into(),
        }
    }

    /// An `xsd:string`.
    pub fn string(text: impl Into<Cow<'a, str>>) -> Self {
        Value::new(ValueType::String, text)
    }

    /// An `xsd:int`.
    pub fn int(v: i32) -> Self {
        Value::new(ValueType::Int, v.to_string())
    }

    /// An `xsd:unsignedInt`.
    pub fn unsigned_int(v: u32) -> Self {
        Value::new(ValueType::UnsignedInt, v.to_string())
    }

    /// An `xsd:long`.
    pub fn long(v: i64) -> Self {
        Value::new(ValueType::Long, v.to_string())
    }

    /// An `xsd:unsignedLong`.
    pub fn unsigned_long(v: u64) -> Self {
        Value::new(ValueType::UnsignedLong, v.to_string())
    }

    /// An `xsd:boolean`, written `true` or `false` (an encoder option can write 1/0).
    pub fn boolean(v: bool) -> Self {
        Value::new(ValueType::Boolean, if v { "true" } else { "false" })
    }

    /// An `xsd:dateTime`.
    pub fn date_time(v: DateTime) -> Self {
        Value::new(ValueType::DateTime, v.to_string())
    }

    /// An `xsd:base64Binary` of the given bytes.
    pub fn base64(bytes: &[u8]) -> Self {
        Value::new(
            ValueType::Base64,
            base64::engine::general_purpose::STANDARD.encode(bytes),
        )
    }

    /// An `xsd:hexBinary` of the given bytes (lower-case digits).
    pub fn hex_binary(bytes: &[u8]) -> Self {
        let mut s = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            for nibble in [b >> 4, b & 15] {
                s.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
            }
        }
        Value::new(ValueType::HexBinary, s)
    }

    /// The text as a boolean (0/1/true/false, any case).
    pub fn as_bool(&self) -> Result<bool, ValueError> {
        parse_bool(&self.text).ok_or_else(|| ValueError::new("boolean", &self.text))
    }

    /// The text as an `int`.
    pub fn as_i32(&self) -> Result<i32, ValueError> {
        self.text
            .trim()
            .parse()
            .map_err(|_| ValueError::new("int", &self.text))
    }

    /// The text as an `unsignedInt`.
    pub fn as_u32(&self) -> Result<u32, ValueError> {
        parse_unsigned(&self.text)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| ValueError::new("unsignedInt", &self.text))
    }

    /// The text as a `long`.
    pub fn as_i64(&self) -> Result<i64, ValueError> {
        self.text
            .trim()
            .parse()
            .map_err(|_| ValueError::new("long", &self.text))
    }

    /// The text as an `unsignedLong`.
    pub fn as_u64(&self) -> Result<u64, ValueError> {
        parse_unsigned(&self.text).ok_or_else(|| ValueError::new("unsignedLong", &self.text))
    }

    /// The text as a dateTime.
    pub fn as_datetime(&self) -> Result<DateTime, DateTimeError> {
        self.text.trim().parse()
    }

    /// The text decoded as base64 (whitespace ignored).
    pub fn as_base64(&self) -> Result<Vec<u8>, ValueError> {
        decode_base64(&self.text).map_err(|_| ValueError::new("base64", &self.text))
    }

    /// The text decoded as hexBinary.
    pub fn as_hex_binary(&self) -> Result<Vec<u8>, ValueError> {
        decode_hex(&self.text).ok_or_else(|| ValueError::new("hexBinary", &self.text))
    }

    /// Whether the text is a valid lexical form of the declared type.
    pub fn is_well_typed(&self) -> bool {
        self.ty.accepts(&self.text)
    }

    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> Value<'static> {
        Value {
            ty: self.ty.into_owned(),
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::string(s)
    }
}

impl From<String> for Value<'static> {
    fn from(s: String) -> Self {
        Value::string(s)
    }
}

impl From<bool> for Value<'static> {
    fn from(v: bool) -> Self {
        Value::boolean(v)
    }
}

impl From<u32> for Value<'static> {
    fn from(v: u32) -> Self {
        Value::unsigned_int(v)
    }
}

impl From<i32> for Value<'static> {
    fn from(v: i32) -> Self {
        Value::int(v)
    }
}

impl From<u64> for Value<'static> {
    fn from(v: u64) -> Self {
        Value::unsigned_long(v)
    }
}

impl From<i64> for Value<'static> {
    fn from(v: i64) -> Self {
        Value::long(v)
    }
}

impl From<DateTime> for Value<'static> {
    fn from(v: DateTime) -> Self {
        Value::date_time(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip() {
        for name in [
            "string",
            "int",
            "unsignedInt",
            "long",
            "unsignedLong",
            "boolean",
            "dateTime",
            "base64Binary",
            "hexBinary",
            "decimal",
            "json",
        ] {
            assert_eq!(ValueType::from_xsd_name(name).xsd_name(), name);
        }
        assert_eq!(ValueType::from_xsd_name("base64"), ValueType::Base64);
        assert_eq!(
            ValueType::from_xsd_name("json"),
            ValueType::Other(Cow::Borrowed("json"))
        );
    }

    #[test]
    fn booleans_in_every_spelling() {
        for t in ["1", "true", "TRUE", "True", " true "] {
            assert_eq!(Value::new(ValueType::Boolean, t).as_bool(), Ok(true), "{t}");
        }
        for t in ["0", "false", "FALSE", "False"] {
            assert_eq!(
                Value::new(ValueType::Boolean, t).as_bool(),
                Ok(false),
                "{t}"
            );
        }
        assert!(Value::new(ValueType::Boolean, "yes").as_bool().is_err());
        assert!(Value::new(ValueType::Boolean, "2").as_bool().is_err());
    }

    #[test]
    fn numbers_at_their_limits() {
        assert_eq!(
            Value::new(ValueType::Int, "-2147483648").as_i32(),
            Ok(i32::MIN)
        );
        assert!(Value::new(ValueType::Int, "2147483648").as_i32().is_err());
        assert_eq!(
            Value::new(ValueType::UnsignedInt, "4294967295").as_u32(),
            Ok(u32::MAX)
        );
        assert!(
            Value::new(ValueType::UnsignedInt, "4294967296")
                .as_u32()
                .is_err()
        );
        assert!(Value::new(ValueType::UnsignedInt, "-1").as_u32().is_err());
        assert_eq!(
            Value::new(ValueType::UnsignedLong, "18446744073709551615").as_u64(),
            Ok(u64::MAX)
        );
        assert_eq!(
            Value::new(ValueType::Long, "-9223372036854775808").as_i64(),
            Ok(i64::MIN)
        );
        assert!(ValueType::UnsignedInt.accepts("+5"));
        assert!(!ValueType::Int.accepts("abc"));
        assert!(ValueType::Decimal.accepts("-1.5"));
        assert!(!ValueType::Decimal.accepts("1.5.2"));
    }

    #[test]
    fn binary_types() {
        let v = Value::base64(b"hello");
        assert_eq!(v.text, "aGVsbG8=");
        assert_eq!(v.as_base64().unwrap(), b"hello");
        let h = Value::hex_binary(&[0xde, 0xad, 0x01]);
        assert_eq!(h.text, "dead01");
        assert_eq!(
            Value::new(ValueType::HexBinary, "DEAD01")
                .as_hex_binary()
                .unwrap(),
            vec![0xde, 0xad, 1]
        );
        assert!(
            Value::new(ValueType::HexBinary, "abc")
                .as_hex_binary()
                .is_err()
        );
        assert!(Value::new(ValueType::Base64, "***").as_base64().is_err());
    }

    #[test]
    fn lexical_checks_agree_with_decoding() {
        for text in [
            "",
            "aGVsbG8=",
            "aGVsbA==",
            "aGVs bG8=",
            "AAAA",
            "aGVsbG8",
            "aGV=sbG8",
            "a===",
            "***",
            "aGVsbG8==",
        ] {
            assert_eq!(
                crate::lexical::accepts(&ValueType::Base64, text),
                decode_base64(text).is_ok(),
                "{text:?}"
            );
        }
        for text in ["", "dead01", "DEAD01", " ab ", "abc", "zz", "0x01"] {
            assert_eq!(
                crate::lexical::accepts(&ValueType::HexBinary, text),
                decode_hex(text).is_some(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn constructors_are_well_typed() {
        let values = [
            Value::int(-5),
            Value::unsigned_int(5),
            Value::long(-5),
            Value::unsigned_long(5),
            Value::boolean(true),
            Value::date_time(DateTime::UNKNOWN),
            Value::base64(&[1, 2, 3]),
            Value::hex_binary(&[1, 2, 3]),
            Value::string("x"),
        ];
        for v in values {
            assert!(v.is_well_typed(), "{v:?}");
        }
        assert_eq!(
            Value::new(ValueType::Int, "x")
                .as_i32()
                .unwrap_err()
                .expected,
            "int"
        );
    }
}
