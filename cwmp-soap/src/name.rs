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
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Whether `s` is a `QName`: an `NCName`, or two joined by one `:`.
pub(crate) fn is_qname(s: &str) -> bool {
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
}
