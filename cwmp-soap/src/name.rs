//! XML 1.0 (fifth edition) name rules, shared by the decoder (which refuses element names and
//! `xsi:type` values that are not names) and the encoder (which writes only names), so that
//! whatever one accepts the other writes back unchanged.

/// Whether `c` is a `NameStartChar` other than `:`.
pub(crate) fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '_'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// Whether `c` is a `NameChar` other than `:`.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an `NCName` (a name without `:`).
pub(crate) fn is_ncname(s: &str) -> bool {
    match ascii_name(s.as_bytes(), false) {
        Some(ok) => ok,
        None => is_ncname_chars(s),
    }
}

/// [`is_ncname`] character by character (for names that are not all ASCII).
fn is_ncname_chars(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// An ASCII byte that may start a name (`START`) or continue one (`NAME`).
const START: u8 = 1;
const NAME: u8 = 2;

/// What the ASCII byte `c` may be in a name (`:` is neither: callers split at it); `None`
/// above ASCII.
#[inline]
fn ascii_class(c: u8) -> Option<u8> {
    Some(match c {
        b'a'..=b'z' | b'A'..=b'Z' | b'_' => START | NAME,
        b'0'..=b'9' | b'-' | b'.' => NAME,
        0..=127 => 0,
        _ => return None,
    })
}

/// Whether the ASCII `b` is an `NCName` (or, with `qualified`, a `QName`); `None` when `b`
/// holds a byte above ASCII, which the character rules decide.
#[inline]
fn ascii_name(b: &[u8], qualified: bool) -> Option<bool> {
    let mut at_start = true;
    let mut colon = false;
    for &c in b {
        let class = ascii_class(c)?;
        if c == b':' {
            if !qualified || colon || at_start {
                return Some(false);
            }
            colon = true;
            at_start = true;
            continue;
        }
        let want = if at_start { START } else { NAME };
        if class & want == 0 {
            return Some(false);
        }
        at_start = false;
    }
    Some(!at_start)
}

/// Whether `s` is a `QName`: an `NCName`, or two joined by one `:`.
pub(crate) fn is_qname(s: &str) -> bool {
    if let Some(ok) = ascii_name(s.as_bytes(), true) {
        return ok;
    }
    match s.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_xml_1_0() {
        for ok in ["X_ACME_Frobnicate", "_a", "a-b.c", "X_Ünï-1.a", "a·b", "Ω"] {
            assert!(is_ncname(ok), "{ok}");
        }
        for bad in [
            "", "1a", "-a", "a b", "a:b", "ª²", "²", "Ⓐ", "a$b", "a\u{19}",
        ] {
            // `ª`, `²` and `Ⓐ` are letters or digits to Unicode but not XML name characters.
            assert!(!is_ncname(bad), "{bad}");
        }
        assert!(is_qname("xsd:string"));
        assert!(!is_qname("a:b:c"));
        assert!(!is_qname(":a"));
    }

    /// The ASCII table agrees with the character rules on every ASCII string of up to three
    /// bytes (all the ways a byte can start, continue, follow or precede a colon).
    #[test]
    fn ascii_path_matches_character_rules() {
        let qname_chars = |s: &str| match s.split_once(':') {
            Some((p, l)) => is_ncname_chars(p) && is_ncname_chars(l),
            None => is_ncname_chars(s),
        };
        let mut buf = String::new();
        for a in 0u8..128 {
            for b in 0u8..128 {
                for c in [None, Some(b'x'), Some(b'1'), Some(b':'), Some(b'-')] {
                    buf.clear();
                    buf.push(char::from(a));
                    buf.push(char::from(b));
                    if let Some(c) = c {
                        buf.push(char::from(c));
                    }
                    assert_eq!(is_ncname(&buf), is_ncname_chars(&buf), "{buf:?}");
                    assert_eq!(is_qname(&buf), qname_chars(&buf), "{buf:?}");
                }
            }
        }
        assert!(!is_qname("a:"));
        assert!(is_qname("a:b") && !is_ncname("a:b"));
    }
}
