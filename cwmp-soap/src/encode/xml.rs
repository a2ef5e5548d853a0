//! The low-level writer: escaping, numbers, leaves and array openings, straight into a `Vec<u8>`.

use std::borrow::Cow;
use std::io::Write as _;

use cwmp_core::datetime::{DateTime, DateTimeText};
use cwmp_core::value::{Value, ValueType, parse_bool};

use super::{BoolFormat, DateTimeFraction, EncodeOptions};
use crate::name::{is_name_char, is_name_start, is_ncname};

/// U+FFFD REPLACEMENT CHARACTER in UTF-8: what a character XML 1.0 cannot carry becomes.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// An element name known at compile time with its tags, so that each tag is one copy: made by
/// [`tag!`].
#[derive(Clone, Copy)]
pub(crate) struct Tag {
    /// The name.
    pub(crate) name: &'static str,
    /// `<name>`.
    pub(crate) open: &'static str,
    /// `</name>`.
    pub(crate) close: &'static str,
}

/// The [`Tag`] of a literal element name.
macro_rules! tag {
    ($name:literal) => {
        $crate::encode::xml::Tag {
            name: $name,
            open: concat!("<", $name, ">"),
            close: concat!("</", $name, ">"),
        }
    };
}
pub(crate) use tag;

/// Whether a byte of element text needs attention: markup characters, the carriage return
/// (written `&#13;` so that end-of-line normalisation does not turn it into a line feed), the
/// C0 controls XML 1.0 forbids, and 0xEF, the lead byte of the non-characters U+FFFE/U+FFFF.
#[cfg(test)]
const fn special_in_text(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'\r' | 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0xEF)
}

/// As [`special_in_text`], plus `"` and the tab and line feed (attribute-value normalisation
/// would turn them into spaces).
#[cfg(test)]
const fn special_in_attr(b: u8) -> bool {
    special_in_text(b) || matches!(b, b'"' | b'\t' | b'\n')
}

/// Whether a byte may need attention in element text (`ATTR == false`) or an attribute value: a
/// superset of [`special_in_text`] / [`special_in_attr`] that is cheap to test on many bytes at
/// once (every C0 control, tab and line feed included, goes to the exact check).
#[inline(always)]
const fn flagged<const ATTR: bool>(b: u8) -> bool {
    // `b | 2 == b'>'` is `<` (0x3C) or `>` (0x3E).
    (b < 0x20) | (b == b'&') | (b | 2 == b'>') | (b == 0xEF) | (ATTR & (b == b'"'))
}

/// Bytes tested together by [`clean_prefix_len`] (two SSE2 vectors: at this width the
/// compiler turns [`block_flagged`] into a handful of vector compares, at 16 it does not).
const BLOCK: usize = 32;

/// Whether any byte of `block` is [`flagged`]. Written without early exit so that the compiler
/// vectorises it.
#[inline(always)]
fn block_flagged<const ATTR: bool>(block: &[u8; BLOCK]) -> bool {
    block.iter().fold(false, |acc, &b| acc | flagged::<ATTR>(b))
}

/// `0x01` in every byte of a word.
const LO: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x80` in every byte of a word.
const HI: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of each zero byte of `y` is set (others may be too, above a zero byte: the
/// result tells whether there is one, not where).
#[inline(always)]
const fn zero_bytes(y: u64) -> u64 {
    y.wrapping_sub(LO) & !y
}

/// Whether any of the eight bytes of `w` is [`flagged`], a word at a time.
#[inline(always)]
const fn word_flagged<const ATTR: bool>(w: u64) -> bool {
    let below_space = w.wrapping_sub(LO * 0x20) & !w;
    let amp = zero_bytes(w ^ (LO * b'&' as u64));
    // `<` (0x3C) and `>` (0x3E) both become `>`.
    let angle = zero_bytes((w | (LO * 2)) ^ (LO * b'>' as u64));
    let ef = zero_bytes(w ^ (LO * 0xEF));
    let quote = if ATTR {
        zero_bytes(w ^ (LO * b'"' as u64))
    } else {
        0
    };
    (below_space | amp | angle | ef | quote) & HI != 0
}

/// [`word_flagged`] on eight bytes.
#[inline(always)]
fn word_bytes_flagged<const ATTR: bool>(bytes: &[u8; 8]) -> bool {
    word_flagged::<ATTR>(u64::from_le_bytes(*bytes))
}

/// The length of the longest prefix of `bytes` without a [`flagged`] byte.
#[inline(always)]
fn clean_prefix_len<const ATTR: bool>(bytes: &[u8]) -> usize {
    // Skip whole blocks (or words, for short text) known to be clean; then the first flagged
    // byte, if any, is within the next block, found a byte at a time. The remainder shorter than
    // a block is cleared at once by the last block of the text, which overlaps bytes already
    // checked. Text shorter than a word is tested as one word.
    let mut clean = 0;
    if bytes.len() >= BLOCK {
        for block in bytes.chunks_exact(BLOCK) {
            match <&[u8; BLOCK]>::try_from(block) {
                Ok(block) if !block_flagged::<ATTR>(block) => clean += BLOCK,
                _ => break,
            }
        }
        if bytes.len() - clean < BLOCK
            && bytes
                .last_chunk::<BLOCK>()
                .is_some_and(|last| !block_flagged::<ATTR>(last))
        {
            return bytes.len();
        }
    } else if bytes.len() >= 8 {
        for word in bytes.chunks_exact(8) {
            match <&[u8; 8]>::try_from(word) {
                Ok(word) if !word_bytes_flagged::<ATTR>(word) => clean += 8,
                _ => break,
            }
        }
        if bytes.len() - clean < 8
            && bytes
                .last_chunk::<8>()
                .is_some_and(|last| !word_bytes_flagged::<ATTR>(last))
        {
            return bytes.len();
        }
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        // 4 to 7 bytes: the first four and the last four (overlapping) make one word.
        let w =
            u64::from(u32::from_le_bytes(*first)) | (u64::from(u32::from_le_bytes(*last)) << 32);
        if !word_flagged::<ATTR>(w) {
            return bytes.len();
        }
    } else if let (Some(&a), Some(&z)) = (bytes.first(), bytes.last()) {
        // 1 to 3 bytes: the first, middle and last byte (all of them) padded with clean bytes.
        let m = bytes.get(bytes.len() / 2).copied().unwrap_or(a);
        if !word_flagged::<ATTR>(u64::from_le_bytes([a, m, z, b'a', b'a', b'a', b'a', b'a'])) {
            return bytes.len();
        }
    }
    let rest = bytes.get(clean..).unwrap_or_default();
    clean
        + rest
            .iter()
            .position(|&b| flagged::<ATTR>(b))
            .unwrap_or(rest.len())
}

/// Appends `s` escaped for element text (`attr == false`) or a double-quoted attribute value.
///
/// Runs of ordinary bytes are copied in one go. Characters that XML 1.0 cannot represent at all
/// (C0 controls other than tab, line feed and carriage return; U+FFFE; U+FFFF) are replaced by
/// U+FFFD, so the output is always well-formed.
#[inline]
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str, attr: bool) {
    if attr {
        escape::<true>(out, s.as_bytes());
    } else {
        escape::<false>(out, s.as_bytes());
    }
}

#[inline(never)]
fn escape<const ATTR: bool>(out: &mut Vec<u8>, bytes: &[u8]) {
    let clean = clean_prefix_len::<ATTR>(bytes);
    match bytes.split_at_checked(clean) {
        Some((run, rest)) if !rest.is_empty() => {
            out.extend_from_slice(run);
            escape_rest::<ATTR>(out, rest);
        }
        _ => out.extend_from_slice(bytes),
    }
}

/// The rare part of [`escape`]: `bytes` starts with a [`flagged`] byte.
#[cold]
#[inline(never)]
fn escape_rest<const ATTR: bool>(out: &mut Vec<u8>, mut bytes: &[u8]) {
    while let Some((&b, after)) = bytes.split_first() {
        let (replacement, rest): (&[u8], &[u8]) = match b {
            b'&' => (b"&amp;", after),
            b'<' => (b"&lt;", after),
            b'>' => (b"&gt;", after),
            b'"' if ATTR => (b"&quot;", after),
            b'\r' => (b"&#13;", after),
            b'\n' if ATTR => (b"&#10;", after),
            b'\t' if ATTR => (b"&#9;", after),
            b'\t' | b'\n' => (bytes.get(..1).unwrap_or_default(), after),
            0xEF => match after {
                [0xBF, 0xBE | 0xBF, rest @ ..] => (REPLACEMENT, rest),
                _ => (bytes.get(..1).unwrap_or_default(), after),
            },
            0x00..=0x1F => (REPLACEMENT, after),
            _ => (bytes.get(..1).unwrap_or_default(), after),
        };
        out.extend_from_slice(replacement);
        let clean = clean_prefix_len::<ATTR>(rest);
        let (run, next) = rest.split_at_checked(clean).unwrap_or((rest, &[]));
        out.extend_from_slice(run);
        bytes = next;
    }
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
            is_name_start(c)
        } else {
            is_name_char(c)
        };
        if ok {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            out.push(b'_');
        }
    }
}

/// Appends raw XML content as it is, but for the characters XML 1.0 cannot carry at all,
/// which become U+FFFD as in text.
pub(crate) fn push_content(out: &mut Vec<u8>, content: &str) {
    if !content.chars().any(|c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    }) {
        out.extend_from_slice(content.as_bytes());
        return;
    }
    for c in content.chars() {
        let c = if (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
        {
            '\u{FFFD}'
        } else {
            c
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
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
    #[inline(always)]
    pub(crate) fn leaf(&mut self, tag: Tag, text: &str) {
        self.raw(tag.open);
        self.text(text);
        self.raw(tag.close);
    }

    /// `<name>n</name>` for an unsigned number.
    #[inline(always)]
    pub(crate) fn leaf_u64(&mut self, tag: Tag, v: u64) {
        self.raw(tag.open);
        push_u64(self.out, v);
        self.raw(tag.close);
    }

    /// `<name>n</name>` for a signed number.
    #[inline(always)]
    pub(crate) fn leaf_i64(&mut self, tag: Tag, v: i64) {
        self.raw(tag.open);
        push_i64(self.out, v);
        self.raw(tag.close);
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
    #[inline(always)]
    pub(crate) fn leaf_bool(&mut self, tag: Tag, v: bool) {
        let text = self.bool_text(v);
        self.raw(tag.open);
        self.raw(text);
        self.raw(tag.close);
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
    pub(crate) fn leaf_datetime(&mut self, tag: Tag, t: &DateTimeText<'_>) {
        self.raw(tag.open);
        self.datetime_text(t.as_str());
        self.raw(tag.close);
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
    pub(crate) fn string_array(&mut self, name: &str, member: Tag, items: &[Cow<'_, str>]) {
        self.array_open(name, "xsd", member.name, items.len());
        for item in items {
            self.leaf(member, item);
        }
        self.close(name);
    }

    /// `</Name><Value xsi:type="xsd:…">text` (the end of a parameter's name and its value,
    /// without the closing tag), booleans and dateTimes adjusted per the options when their text
    /// is valid. The markup before the text is one string for the types with a fixed name.
    #[inline]
    pub(crate) fn name_end_and_value(&mut self, v: &Value<'_>) {
        match value_open(&v.ty) {
            Some(open) => self.raw(open),
            None => {
                self.raw("</Name><Value xsi:type=\"xsd:");
                self.attr_value(v.ty.xsd_name());
                self.raw("\">");
            }
        }
        self.value_text(v);
    }

    /// A value's text, booleans and dateTimes adjusted per the options when their text is
    /// valid.
    #[inline]
    pub(crate) fn value_text(&mut self, v: &Value<'_>) {
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
    }
}

/// `</Name>` and the opening `Value` tag of a type with a fixed name, as one string; `None` for
/// [`ValueType::Other`] (whose name must be escaped).
#[inline]
fn value_open(ty: &ValueType<'_>) -> Option<&'static str> {
    macro_rules! open {
        ($($variant:ident => $name:literal,)*) => {
            match ty {
                $(
                    ValueType::$variant => {
                        Some(concat!("</Name><Value xsi:type=\"xsd:", $name, "\">"))
                    }
                )*
                ValueType::Other(_) => None,
            }
        };
    }
    open! {
        String => "string",
        Int => "int",
        UnsignedInt => "unsignedInt",
        Long => "long",
        UnsignedLong => "unsignedLong",
        Boolean => "boolean",
        DateTime => "dateTime",
        Base64 => "base64Binary",
        HexBinary => "hexBinary",
        Decimal => "decimal",
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

    /// The byte-at-a-time escaper the fast one replaced: the reference it must agree with.
    fn esc_reference(s: &str, attr: bool) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
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
            out.extend_from_slice(&bytes[run..i]);
            out.extend_from_slice(replacement);
            i += width;
            run = i;
        }
        out.extend_from_slice(&bytes[run..]);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn flagged_covers_every_special_byte() {
        for b in 0..=u8::MAX {
            assert!(!special_in_text(b) || flagged::<false>(b), "{b:#x}");
            assert!(!special_in_attr(b) || flagged::<true>(b), "{b:#x}");
        }
    }

    #[test]
    fn agrees_with_the_byte_at_a_time_escaper() {
        // Every special character at every offset of strings around the block size, alone,
        // next to another, and at the end.
        let specials = [
            "&", "<", ">", "\"", "'", "\r", "\n", "\t", "\u{0}", "\u{1f}", "\u{b}", "\u{FFFE}",
            "\u{FFFF}", "\u{FFFD}", "\u{FEFF}", "\u{F000}", "é", "€", "\u{7f}",
        ];
        let mut checked = 0;
        for len in [0usize, 1, 7, 15, 16, 17, 31, 32, 33, 47, 64] {
            let base: String = "abcdefghijklmnopqrstuvwxyz0123456789"
                .chars()
                .cycle()
                .take(len)
                .collect();
            for at in 0..=len {
                for sp in specials {
                    for sp2 in ["", "&", "\t", "\u{FFFF}"] {
                        let s = format!("{}{sp}{sp2}{}", &base[..at], &base[at..]);
                        for attr in [false, true] {
                            assert_eq!(esc(&s, attr), esc_reference(&s, attr), "{s:?} {attr}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn agrees_with_the_byte_at_a_time_escaper_on_random_text() {
        // Texts of 0 to 99 characters drawn mostly from plain ones, with specials and
        // multi-byte characters mixed in at random.
        let alphabet = [
            "a",
            "b",
            "Z",
            "0",
            ".",
            " ",
            "&",
            "<",
            ">",
            "\"",
            "\r",
            "\n",
            "\t",
            "\u{0}",
            "\u{1f}",
            "\u{7f}",
            "é",
            "€",
            "\u{FFFD}",
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{EFFF}",
            "\u{1F600}",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 100) as usize;
            let special_per_64 = next() % 8;
            let s: String = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 64 < special_per_64 {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    } else {
                        alphabet[(r >> 8) as usize % 6]
                    }
                })
                .collect();
            for attr in [false, true] {
                assert_eq!(esc(&s, attr), esc_reference(&s, attr), "{s:?} {attr}");
            }
        }
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
