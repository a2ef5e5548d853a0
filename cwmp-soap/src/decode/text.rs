//! Byte-level helpers: control-character scan, entity and CDATA unescaping, numbers.

use std::borrow::Cow;

/// Whether `b` is a C0 control character that XML 1.0 forbids (tab, LF, CR allowed).
#[inline]
pub(crate) const fn is_control(b: u8) -> bool {
    b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r'
}

/// Whether `c` is a character XML 1.0 cannot carry that the control-character policy covers:
/// a forbidden C0 control, U+FFFE or U+FFFF (the noncharacters the encoder replaces too).
#[inline]
pub(crate) fn is_forbidden_char(c: char) -> bool {
    (c.is_ascii() && is_control(c as u8)) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `input` holds U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`) at `i`.
#[inline]
fn is_nonchar_at(input: &[u8], i: usize) -> bool {
    matches!(input.get(i..i + 3), Some([0xEF, 0xBF, 0xBE | 0xBF]))
}

/// Offset of the first forbidden control character (or NUL), U+FFFE or U+FFFF in `input`.
///
/// Scans 64-byte blocks without branches so the common case (none) stays fast: a block with a
/// control character other than `\n` or a byte above 0x7F is then checked for control
/// characters and `0xEF` (the lead byte of U+F000 to U+FFFF), and only a block with one of
/// those is looked at closely.
pub(crate) fn find_control(input: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut chunks = input.chunks_exact(BLOCK);
    let mut base = 0usize;
    for chunk in &mut chunks {
        if suspect_block(chunk) {
            if let Some(i) = find_forbidden(input, base, base + BLOCK) {
                return Some(i);
            }
        }
        base += BLOCK;
    }
    // The last partial block, padded with spaces (which pass every test) to a whole one, so
    // that it too is tested in vector registers rather than a byte at a time.
    let rest = chunks.remainder();
    let mut last = [b' '; BLOCK];
    if let Some(head) = last.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    if suspect_block(&last) {
        find_forbidden(input, base, input.len())
    } else {
        None
    }
}

/// Whether `block` may hold a forbidden control character or `0xEF`, in bit operations only
/// so that it is computed in vector registers. First the cheapest test that clears most blocks
/// of real messages, compact or indented with spaces and line feeds: no control character
/// other than `\n` and no byte above 0x7F. Only a block that fails it (a tab, a carriage
/// return, text beyond ASCII) is tested exactly.
#[inline(always)]
fn suspect_block(block: &[u8]) -> bool {
    // Read as signed, the bytes below 0x20 and those above 0x7F are below 0x20.
    let low_or_high = |b: u8| u8::from((b as i8) < 0x20);
    let quick = block
        .iter()
        .fold(0, |acc, &b| acc | (low_or_high(b) & u8::from(b != b'\n')));
    if quick == 0 {
        return false;
    }
    // The whitespace bytes XML allows, all below 0x20: 0x09 and 0x0D are the bytes that are
    // 0x0D once bit 2 is set.
    let ws = |b: u8| u8::from(b | 4 == b'\r') | u8::from(b == b'\n');
    block.iter().fold(0, |acc, &b| {
        acc | (u8::from(b < 0x20) ^ ws(b)) | u8::from(b == 0xEF)
    }) != 0
}

/// [`find_control`] byte by byte over `input[from..to]`.
#[cold]
fn find_forbidden(input: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| match input.get(i) {
        Some(&b) if is_control(b) => true,
        Some(0xEF) => is_nonchar_at(input, i),
        _ => false,
    })
}

/// Whether every byte is XML whitespace.
#[inline]
pub(crate) fn is_ws(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// Trims XML whitespace (what xs:int, xs:boolean ... collapse).
#[inline]
pub(crate) fn trim_xml(s: &str) -> &str {
    let ws = |b: Option<&u8>| b.is_some_and(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    let b = s.as_bytes();
    // Usually there is nothing to trim: said without a call.
    if !ws(b.first()) && !ws(b.last()) {
        return s;
    }
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Why raw element content could not be unescaped.
pub(crate) enum UnescapeError {
    /// An entity other than the predefined five, or a bad character reference; offset of `&`.
    Entity(String, usize),
    /// Markup that is not CDATA, a comment or a processing instruction; offset of `<`.
    Markup(usize),
}

/// Unescapes raw element content: the five predefined entities, character references,
/// CDATA sections (kept verbatim), comments and processing instructions (dropped).
pub(crate) fn unescape(raw: &str) -> Result<String, UnescapeError> {
    let mut out = String::with_capacity(raw.len());
    unescape_into(raw, &mut out)?;
    Ok(out)
}

/// [`unescape`], appending to `out` (a scratch buffer reused from one text to the next).
pub(crate) fn unescape_into(raw: &str, out: &mut String) -> Result<(), UnescapeError> {
    out.reserve(raw.len());
    let mut rest = raw;
    let mut base = 0usize;
    while let Some(i) = rest.find(['&', '<']) {
        let (plain, tail) = rest.split_at(i);
        out.push_str(plain);
        let at = base + i;
        let consumed = if let Some(after) = tail.strip_prefix('&') {
            let end = after
                .find(';')
                .ok_or_else(|| UnescapeError::Entity(clip(after), at))?;
            let name = after.get(..end).unwrap_or_default();
            out.push(resolve_entity(name).ok_or_else(|| UnescapeError::Entity(clip(name), at))?);
            end + 2
        } else if let Some(after) = tail.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").ok_or(UnescapeError::Markup(at))?;
            out.push_str(after.get(..end).unwrap_or_default());
            9 + end + 3
        } else if let Some(after) = tail.strip_prefix("<!--") {
            let end = after.find("-->").ok_or(UnescapeError::Markup(at))?;
            4 + end + 3
        } else if let Some(after) = tail.strip_prefix("<?") {
            let end = after.find("?>").ok_or(UnescapeError::Markup(at))?;
            2 + end + 2
        } else {
            return Err(UnescapeError::Markup(at));
        };
        rest = tail.get(consumed..).unwrap_or_default();
        base = at + consumed;
    }
    out.push_str(rest);
    Ok(())
}

fn clip(s: &str) -> String {
    s.chars().take(32).collect()
}

/// The character an entity or character reference name (without `&` and `;`) stands for.
pub(crate) fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = if let Some(hex) = num.strip_prefix('x') {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                num.parse::<u32>().ok()?
            };
            let c = char::from_u32(code)?;
            // XML 1.0 Char production: no NUL, no other C0 controls but tab, LF, CR, no
            // U+FFFE or U+FFFF (surrogates are no `char`).
            (!is_forbidden_char(c) && c != '\0').then_some(c)
        }
    }
}

/// Replaces every forbidden control character, U+FFFE and U+FFFF with U+FFFD.
pub(crate) fn replace_controls(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.chars().any(is_forbidden_char) {
        return text;
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_forbidden_char(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// Truncates text for an error message.
pub(crate) fn excerpt(s: &str) -> String {
    let mut end = s.len().min(64);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_entities_cdata_comments() {
        assert_eq!(unescape(" a &amp; b ").ok().as_deref(), Some(" a & b "));
        assert_eq!(
            unescape("x<![CDATA[<&>]]>y<!-- c -->&#65;&#x42;")
                .ok()
                .as_deref(),
            Some("x<&>yAB")
        );
        assert!(matches!(
            unescape("&foo;"),
            Err(UnescapeError::Entity(_, 0))
        ));
        assert!(matches!(
            unescape("a&#0;"),
            Err(UnescapeError::Entity(_, 1))
        ));
        assert!(matches!(unescape("a<b/>"), Err(UnescapeError::Markup(1))));
    }

    #[test]
    fn finds_controls() {
        let mut v = vec![b'a'; 100];
        assert_eq!(find_control(&v), None);
        v[70] = 2;
        assert_eq!(find_control(&v), Some(70));
        assert_eq!(find_control(b"ab\x00"), Some(2));
        assert_eq!(find_control(b"a\tb\r\n"), None);
        assert_eq!(replace_controls(Cow::Borrowed("a\u{2}b")), "a\u{FFFD}b");
        let mut w = vec![b'a'; 100];
        w[31..34].copy_from_slice("\u{FFFE}".as_bytes());
        assert_eq!(find_control(&w), Some(31));
        w[31..34].copy_from_slice("\u{FF21}".as_bytes());
        assert_eq!(find_control(&w), None);
        w[98..100].copy_from_slice(&[0xEF, 0xBF]);
        assert_eq!(find_control(&w), None);
        assert_eq!(find_control("ab\u{FFFF}".as_bytes()), Some(2));
        assert_eq!(
            replace_controls(Cow::Borrowed("\u{FFFE}x\u{FFFF}\u{FFFD}")),
            "\u{FFFD}x\u{FFFD}\u{FFFD}"
        );
        assert!(resolve_entity("#xFFFE").is_none());
        assert!(resolve_entity("#65535").is_none());
        assert_eq!(resolve_entity("#xFFFD"), Some('\u{FFFD}'));
    }

    /// `find_control` block by block against a byte-by-byte search, for every byte value at
    /// every position of a block and around block edges, in ASCII, indented (line feeds only,
    /// which the first block test lets through), whitespace and non-ASCII surroundings (the
    /// block test takes those a second, exact look).
    #[test]
    fn finds_controls_like_a_byte_search() {
        fn naive(input: &[u8]) -> Option<usize> {
            (0..input.len()).find(|&i| match input.get(i) {
                Some(&b) if is_control(b) => true,
                Some(0xEF) => is_nonchar_at(input, i),
                _ => false,
            })
        }
        let fills: [&[u8]; 5] = [
            b"abc",
            b"a  \n",
            b" \t\r\n",
            "\u{e9}\u{FF21}x".as_bytes(),
            b"\xEF\xBF",
        ];
        for fill in fills {
            for len in [0usize, 1, 63, 64, 65, 130] {
                let base: Vec<u8> = fill.iter().copied().cycle().take(len).collect();
                assert_eq!(find_control(&base), naive(&base), "{fill:?} {len}");
                for at in [0usize, 1, 31, 62, 63, 64, 65, 127, 128, 129] {
                    if at >= len {
                        continue;
                    }
                    for byte in 0..=255u8 {
                        let mut v = base.clone();
                        v[at] = byte;
                        assert_eq!(find_control(&v), naive(&v), "{fill:?} {len} {at} {byte}");
                    }
                    for nonchar in ["\u{FFFE}", "\u{FFFF}", "\u{FFFD}"] {
                        let mut v = base.clone();
                        let end = (at + 3).min(len);
                        v[at..end].copy_from_slice(&nonchar.as_bytes()[..end - at]);
                        assert_eq!(find_control(&v), naive(&v), "{fill:?} {len} {at} {nonchar}");
                    }
                }
            }
        }
    }
}
