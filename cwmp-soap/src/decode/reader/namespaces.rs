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
        if !is_qname(value) {
            return Ok(QRef {
                ns: MALFORMED_QNAME,
                local: value,
            });
        }
        let (prefix, local) = split_qname(value);
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
