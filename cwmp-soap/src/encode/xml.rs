//! The low-level writer: escaping, numbers, leaves and array openings, straight into a `Vec<u8>`.

use std::borrow::Cow;
use std::io::Write as _;

use cwmp_core::datetime::{DateTime, DateTimeText};
use cwmp_core::value::{Value, ValueType, parse_bool};

use super::{BoolFormat, DateTimeFraction, EncodeOptions};

/// U+FFFD REPLACEMENT CHARACTER in UTF-8: what a character XML 1.0 cannot carry becomes.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Whether a byte of element text needs attention: markup characters, the carriage return
/// (written `&#13;` so that end-of-line normalisation does not turn it into a line feed), the
/// C0 controls XML 1.0 forbids, and 0xEF, the lead byte of the non-characters U+FFFE/U+FFFF.
#[inline(always)]
const fn special_in_text(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'\r' | 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0xEF)
}

/// As [`special_in_text`], plus `"` and the tab and line feed (attribute-value normalisation
/// would turn them into spaces).
#[inline(always)]
const fn special_in_attr(b: u8) -> bool {
    special_in_text(b) || matches!(b, b'"' | b'\t' | b'\n')
}

/// Appends `s` escaped for element text (`attr == false`) or a double-quoted attribute value.
///
/// Runs of ordinary bytes are copied in one go. Characters that XML 1.0 cannot represent at all
/// (C0 controls other than tab, line feed and carriage return; U+FFFE; U+FFFF) are replaced by
/// U+FFFD, so the output is always well-formed.
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str, attr: bool) {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let special = if attr {
            special_in_attr(b)
        } else {
            special_in_text(b)
        };
        if !special {
            i += 1;
            continue;
        }
        let (replacement, width): (&[u8], usize) = match b {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'"' => (b"&quot;", 1),
            b'\r' => (b"&#13;", 1),
            b'\n' => (b"&#10;", 1),
            b'\t' => (b"&#9;", 1),
            0xEF => {
                if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) {
                    (REPLACEMENT, 3)
                } else {
                    i += 1;
                    continue;
                }
            }
            _ => (REPLACEMENT, 1),
        };
        out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
        out.extend_from_slice(replacement);
        i += width;
        run = i;
    }
    out.extend_from_slice(bytes.get(run..).unwrap_or_default());
}

/// Appends the decimal digits of `v`.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(buf.get(i..).unwrap_or_default());
}

/// Appends the decimal digits of `v`, with a `-` when negative.
#[inline]
pub(crate) fn push_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(out, v.unsigned_abs());
}

/// Whether `name` is an XML NCName (a name without a colon), checked conservatively: ASCII
/// letters, `_` and non-ASCII letters to start; also digits, `-` and `.` after.
pub(crate) fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Appends `name` made into an NCName: every character that cannot appear in one becomes `_`
/// (an empty name becomes `_`).
pub(crate) fn push_ncname(out: &mut Vec<u8>, name: &str) {
    if is_ncname(name) {
        out.extend_from_slice(name.as_bytes());
        return;
    }
    if name.is_empty() {
        out.push(b'_');
        return;
    }
    for (i, c) in name.chars().enumerate() {
        let ok = if i == 0 {
            c.is_alphabetic() || c == '_'
        } else {
            c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
        };
        if ok {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            out.push(b'_');
        }
    }
}

/// The writer the message encoders use: the output buffer and the options.
pub(crate) struct Xml<'o> {
    pub(crate) out: &'o mut Vec<u8>,
    pub(crate) opts: &'o EncodeOptions,
}

impl Xml<'_> {
    /// Appends markup as is.
    #[inline]
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// Appends escaped element text.
    #[inline]
    pub(crate) fn text(&mut self, s: &str) {
        escape_into(self.out, s, false);
    }

    /// Appends an escaped attribute value (without the quotes).
    #[inline]
    pub(crate) fn attr_value(&mut self, s: &str) {
        escape_into(self.out, s, true);
    }

    /// `<name>`.
    #[inline]
    pub(crate) fn open(&mut self, name: &str) {
        self.out.push(b'<');
        self.raw(name);
        self.out.push(b'>');
    }

    /// `</name>`.
    #[inline]
    pub(crate) fn close(&mut self, name: &str) {
        self.raw("</");
        self.raw(name);
        self.out.push(b'>');
    }

    /// `<name>text</name>`, the text escaped.
    #[inline]
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.open(name);
        self.text(text);
        self.close(name);
    }

    /// A leaf that is written only when present.
    pub(crate) fn opt_leaf(&mut self, name: &str, text: Option<&Cow<'_, str>>) {
        if let Some(text) = text {
            self.leaf(name, text);
        }
    }

    /// `<name>n</name>` for an unsigned number.
    pub(crate) fn leaf_u64(&mut self, name: &str, v: u64) {
        self.open(name);
        push_u64(self.out, v);
        self.close(name);
    }

    /// `<name>n</name>` for a signed number.
    pub(crate) fn leaf_i64(&mut self, name: &str, v: i64) {
        self.open(name);
        push_i64(self.out, v);
        self.close(name);
    }

    /// The text of a boolean in the configured form.
    pub(crate) fn bool_text(&self, v: bool) -> &'static str {
        match (self.opts.booleans, v) {
            (BoolFormat::Words, true) => "true",
            (BoolFormat::Words, false) => "false",
            (BoolFormat::Digits, true) => "1",
            (BoolFormat::Digits, false) => "0",
        }
    }

    /// `<name>true</name>` (or `1`, per the options).
    pub(crate) fn leaf_bool(&mut self, name: &str, v: bool) {
        let text = self.bool_text(v);
        self.leaf(name, text);
    }

    /// Appends dateTime text, its fraction adjusted per the options when it parses.
    pub(crate) fn datetime_text(&mut self, text: &str) {
        let digits = match self.opts.datetime_fraction {
            DateTimeFraction::AsIs => None,
            DateTimeFraction::Strip => Some(0),
            DateTimeFraction::Millis => Some(3),
        };
        match digits.map(|d| (d, text.parse::<DateTime>())) {
            Some((d, Ok(t))) => {
                // Writing into a Vec cannot fail.
                let _ = write!(self.out, "{}", t.with_fraction_digits(d));
            }
            _ => self.text(text),
        }
    }

    /// `<name>dateTime</name>`.
    pub(crate) fn leaf_datetime(&mut self, name: &str, t: &DateTimeText<'_>) {
        self.open(name);
        self.datetime_text(t.as_str());
        self.close(name);
    }

    /// `<name soap-enc:arrayType="prefix:ty[n]">`.
    pub(crate) fn array_open(&mut self, name: &str, prefix: &str, ty: &str, n: usize) {
        self.out.push(b'<');
        self.raw(name);
        self.raw(" soap-enc:arrayType=\"");
        self.raw(prefix);
        self.out.push(b':');
        self.raw(ty);
        self.out.push(b'[');
        push_u64(self.out, n as u64);
        self.raw("]\">");
    }

    /// An array of simple strings: `<name soap-enc:arrayType="xsd:member[n]"><member>…</member>…</name>`.
    pub(crate) fn string_array(&mut self, name: &str, member: &str, items: &[Cow<'_, str>]) {
        self.array_open(name, "xsd", member, items.len());
        for item in items {
            self.leaf(member, item);
        }
        self.close(name);
    }

    /// `<Value xsi:type="xsd:…">text</Value>`, booleans and dateTimes adjusted per the options
    /// when their text is valid.
    pub(crate) fn value(&mut self, v: &Value<'_>) {
        self.raw("<Value xsi:type=\"xsd:");
        self.attr_value(v.ty.xsd_name());
        self.raw("\">");
        match v.ty {
            ValueType::Boolean if self.opts.booleans == BoolFormat::Digits => {
                match parse_bool(&v.text) {
                    Some(b) => {
                        let t = self.bool_text(b);
                        self.raw(t);
                    }
                    None => self.text(&v.text),
                }
            }
            ValueType::DateTime => self.datetime_text(&v.text),
            _ => self.text(&v.text),
        }
        self.raw("</Value>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, attr: bool) -> String {
        let mut out = Vec::new();
        escape_into(&mut out, s, attr);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_markup_and_keeps_the_rest() {
        assert_eq!(esc("http://h/f?a=1&b=2", false), "http://h/f?a=1&amp;b=2");
        assert_eq!(esc("<a> \"q\" 'x'", false), "&lt;a&gt; \"q\" 'x'");
        assert_eq!(esc("<a> \"q\"", true), "&lt;a&gt; &quot;q&quot;");
        assert_eq!(esc("plain ümlaut €", false), "plain ümlaut €");
        assert_eq!(esc("", false), "");
    }

    #[test]
    fn whitespace_survives_normalisation() {
        assert_eq!(esc("a\r\nb\tc", false), "a&#13;\nb\tc");
        assert_eq!(esc("a\r\nb\tc", true), "a&#13;&#10;b&#9;c");
    }

    #[test]
    fn characters_xml_cannot_carry_become_replacement() {
        assert_eq!(
            esc("a\u{0}b\u{1b}c\u{7}", false),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(esc("x\u{FFFE}y\u{FFFF}z", false), "x\u{FFFD}y\u{FFFD}z");
        // Other characters starting with 0xEF are kept.
        assert_eq!(
            esc("\u{FFFD}\u{F000}\u{FEFF}", false),
            "\u{FFFD}\u{F000}\u{FEFF}"
        );
    }

    #[test]
    fn numbers() {
        let mut out = Vec::new();
        push_u64(&mut out, 0);
        out.push(b' ');
        push_u64(&mut out, u64::MAX);
        out.push(b' ');
        push_i64(&mut out, i64::MIN);
        out.push(b' ');
        push_i64(&mut out, 42);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 18446744073709551615 -9223372036854775808 42"
        );
    }

    #[test]
    fn ncnames() {
        assert!(is_ncname("X_ACME_Frobnicate"));
        assert!(!is_ncname("a b"));
        let mut out = Vec::new();
        push_ncname(&mut out, "1a<b");
        assert_eq!(out, b"_a_b");
    }
}
