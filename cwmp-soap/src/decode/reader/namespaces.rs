//! Namespaces: the URIs the decoder matches on, the binding stack and QName resolution.

use super::{DecodeError, Parser, QRef, WarningKind, find_byte, is_qname, same, text};

/// SOAP 1.1 envelope namespace.
pub(crate) const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace (refused).
pub(crate) const SOAP12_ENV: &str = "http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 encoding namespace.
pub(crate) const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// XML Schema.
pub(crate) const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// XML Schema 1999 draft (old SOAP stacks).
pub(crate) const XSD_1999: &str = "http://www.w3.org/1999/XMLSchema";
/// XML Schema instance.
pub(crate) const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema instance, 1999 draft.
pub(crate) const XSI_1999: &str = "http://www.w3.org/1999/XMLSchema-instance";

/// The namespace of a [`QRef`] resolved from an attribute value that is not a QName (see
/// [`Parser::resolve_value`]); its `local` is then the whole trimmed value. No namespace
/// declaration can bind it: the input never holds a NUL.
pub(crate) const MALFORMED_QNAME: &str = "\0malformed QName";

pub(super) struct Binding<'a> {
    pub(super) depth: usize,
    pub(super) prefix: &'a str,
    pub(super) uri: &'a str,
}

impl<'a> Parser<'a> {
    pub(super) fn lookup(&self, prefix: &str) -> Option<&'a str> {
        if prefix == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        if prefix.is_empty() && self.default_bindings == 0 {
            return None;
        }
        self.bindings
            .iter()
            .rev()
            .find(|b| same(b.prefix, prefix))
            .map(|b| b.uri)
    }

    /// Resolves a QName-valued attribute (`xsd:string`) against the bindings in scope.
    ///
    /// A value that is not a QName after trimming (a name character other than those of XML
    /// 1.0, a control character, a character reference, an empty part, a second `:`) resolves
    /// to the namespace [`MALFORMED_QNAME`] with the whole value as its local name, without a
    /// warning here: what it means is the caller's to say (see `rpc::parameters::value_type`).
    pub(super) fn resolve_value(
        &mut self,
        value: &'a str,
        offset: usize,
    ) -> Result<QRef<'a>, DecodeError> {
        let value = text::trim_xml(value);
        let split = match ascii_qname(value.as_bytes()) {
            Some(colon) => colon.map(|colon| match colon {
                Some(i) => (value.get(..i), value.get(i + 1..)),
                None => (Some(""), Some(value)),
            }),
            None => is_qname(value).then(|| {
                let (prefix, local) = split_qname(value);
                (Some(prefix), Some(local))
            }),
        };
        let Some((Some(prefix), Some(local))) = split else {
            return Ok(QRef {
                ns: MALFORMED_QNAME,
                local: value,
            });
        };
        let ns = match self.lookup(prefix) {
            Some(ns) => ns,
            None if prefix.is_empty() => "",
            None => {
                self.warn(WarningKind::UndeclaredPrefix, offset)?;
                ""
            }
        };
        Ok(QRef { ns, local })
    }
}

/// What an ASCII byte may be in a QName, for [`ascii_qname`]: start a part, continue one,
/// separate the parts, or nothing (0); or a byte above ASCII, which the character rules of
/// [`is_qname`] decide.
const Q_START: u8 = 1;
const Q_NAME: u8 = 2;
const Q_COLON: u8 = 4;
const Q_HIGH: u8 = 8;

/// [`Q_START`] and the rest for every byte.
static Q_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut rest: &mut [u8] = &mut t;
    let mut c = 0u8;
    while let [slot, tail @ ..] = rest {
        *slot = match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => Q_START | Q_NAME,
            b'0'..=b'9' | b'-' | b'.' => Q_NAME,
            b':' => Q_COLON,
            0..=127 => 0,
            _ => Q_HIGH,
        };
        rest = tail;
        c = c.wrapping_add(1);
    }
    t
};

/// [`is_qname`] of an ASCII name by a table, a byte at a time, and with it where the `:` is:
/// `Some(Some(colon))` a QName (`colon`: the offset of its `:`, if any), `Some(None)` not a
/// QName, `None` a byte above ASCII came first (the character rules decide). What
/// [`is_qname`]'s own ASCII path answers, as both stop at the first byte that decides.
#[inline]
fn ascii_qname(b: &[u8]) -> Option<Option<Option<usize>>> {
    let mut want = Q_START;
    let mut colon = None;
    for (i, &c) in b.iter().enumerate() {
        let class = Q_CLASS.get(usize::from(c)).copied().unwrap_or(Q_HIGH);
        if class & want != 0 {
            want = Q_NAME;
            continue;
        }
        if class & Q_HIGH != 0 {
            return None;
        }
        if class & Q_COLON == 0 || want == Q_START || colon.is_some() {
            return Some(None);
        }
        colon = Some(i);
        want = Q_START;
    }
    Some((want == Q_NAME).then_some(colon))
}

/// The namespace constant that `raw` (an attribute value holding references) stands for once
/// unescaped, when it is one the decoder matches on.
#[cold]
pub(super) fn known_namespace(raw: &str) -> Option<&'static str> {
    let uri = text::unescape(raw).ok()?;
    [SOAP_ENV, SOAP12_ENV, SOAP_ENC, XSD, XSD_1999, XSI, XSI_1999]
        .into_iter()
        .chain(cwmp_core::version::NAMESPACES.iter().map(|(ns, _)| *ns))
        .find(|ns| *ns == uri)
}

/// Splits `prefix:local`.
pub(crate) fn split_qname(name: &str) -> (&str, &str) {
    match find_byte(name.as_bytes(), b':') {
        Some(i) => (
            name.get(..i).unwrap_or_default(),
            name.get(i + 1..).unwrap_or_default(),
        ),
        None => ("", name),
    }
}

#[cfg(test)]
mod tests {
    use super::{ascii_qname, is_qname, split_qname};

    /// `ascii_qname` answers what `is_qname` and `split_qname` do, on every string of up to
    /// three bytes over the bytes that matter (name starts, name characters, `:`, other ASCII,
    /// a byte above ASCII) and on a few longer ones.
    #[test]
    fn ascii_qname_is_is_qname() {
        let pieces = [
            "a", "Z", "_", "1", "-", ".", ":", " ", "$", "\u{e9}", "\u{b7}",
        ];
        let mut all: Vec<String> = vec![String::new()];
        for a in pieces {
            all.push(a.to_owned());
            for b in pieces {
                all.push(format!("{a}{b}"));
                for c in pieces {
                    all.push(format!("{a}{b}{c}"));
                }
            }
        }
        all.extend(
            [
                "xsd:string",
                "cwmp:ParameterValueStruct",
                "a:b:c",
                ":a",
                "a:",
                "x\u{e9}:y",
                "x:1",
            ]
            .map(str::to_owned),
        );
        for s in &all {
            match ascii_qname(s.as_bytes()) {
                Some(Some(colon)) => {
                    assert!(is_qname(s), "{s:?}");
                    let (prefix, _) = split_qname(s);
                    let expected = (!prefix.is_empty()).then_some(prefix.len());
                    assert_eq!(colon, expected, "{s:?}");
                }
                Some(None) => assert!(!is_qname(s), "{s:?}"),
                None => assert!(!s.is_ascii(), "{s:?}"),
            }
        }
    }
}
