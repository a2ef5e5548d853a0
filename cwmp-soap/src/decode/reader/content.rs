//! Content the decoder keeps rather than models: an unknown method's arguments as raw XML with
//! the namespace declarations they rely on, and text mixed with elements (a SOAP Fault that
//! holds only text).

use std::borrow::Cow;

use cwmp_core::envelope::NamespaceBinding;
use quick_xml::events::Event;

use super::{Attrs, Elem, Parser, SOAP_ENC, SOAP_ENV, XSD, XSI, split_qname};
use crate::decode::ControlCharPolicy;
use crate::decode::error::DecodeError;
use crate::decode::text::{self, UnescapeError};

/// The bindings the encoder declares on every envelope: content that relies on them needs no
/// declaration of its own.
const ENCODER_BINDINGS: &[(&str, &str)] = &[
    ("soap-env", SOAP_ENV),
    ("soap-enc", SOAP_ENC),
    ("xsd", XSD),
    ("xsi", XSI),
];

/// An element's content kept as raw XML.
pub(crate) struct RawContent<'a> {
    /// The content between the start and the end tag, as it came.
    pub content: Cow<'a, str>,
    /// The declarations from the element's start tag or above that the element's name and
    /// its content use (see [`Parser::raw_content`]).
    pub namespaces: Vec<NamespaceBinding<'a>>,
}

impl<'a> Parser<'a> {
    /// The URI a prefix is bound to where the parser is.
    pub fn lookup_prefix(&self, prefix: &str) -> Option<&'a str> {
        self.lookup(prefix)
    }

    /// Reads element `e` (open, as [`Parser::child`] gave it) to its end and returns its
    /// content as raw XML, with the namespace declarations made on `e` or above that its own
    /// prefix, the element and attribute names inside and the prefixes of attribute values
    /// (`xsi:type="xsd:string"`) rely on, in order of first use, except those the encoder
    /// declares itself with the same URI.
    ///
    /// An element or attribute name inside whose prefix is bound nowhere is refused with
    /// [`DecodeError::UndeclaredPrefix`]: written elsewhere it could not mean what it meant.
    pub fn raw_content(&mut self, e: &Elem<'a>) -> Result<RawContent<'a>, DecodeError> {
        let outer = e.depth();
        let mut namespaces = Vec::new();
        let own = match self.path.last() {
            Some((local, name)) if same_str(local, e.local) => split_qname(name).0,
            _ => "",
        };
        self.record(own, outer, &mut namespaces);
        if e.empty() {
            self.close();
            return Ok(RawContent {
                content: Cow::Borrowed(""),
                namespaces,
            });
        }
        if let Some(leaf) = e.leaf {
            self.close();
            return Ok(RawContent {
                content: self.policed(Cow::Borrowed(leaf)),
                namespaces,
            });
        }
        let start = e.content_start;
        let end = loop {
            let (pos, ev) = self.read()?;
            let (c, empty) = match ev {
                Event::Start(c) => (c, false),
                Event::Empty(c) => (c, true),
                Event::End(_) => {
                    let depth = self.path.len();
                    self.close();
                    if depth <= outer {
                        break pos;
                    }
                    continue;
                }
                Event::Eof => return Err(self.eof(pos)),
                Event::DocType(_) => {
                    return Err(DecodeError::Dtd {
                        offset: self.at(pos),
                    });
                }
                _ => continue,
            };
            let name = self.reborrow(c.name().as_ref()).unwrap_or_default();
            let attrs = self.reborrow(c.attributes_raw()).unwrap_or_default();
            self.open(&c, empty, pos)?;
            let (prefix, _) = split_qname(name);
            self.require(prefix, pos)?;
            self.record(prefix, outer, &mut namespaces);
            let mut scan = Attrs { s: attrs, i: 0 };
            while let Some(Ok((aname, value))) = scan.next_attr() {
                let (aprefix, _) = split_qname(aname);
                if aname == "xmlns" || aprefix == "xmlns" {
                    continue;
                }
                if !aprefix.is_empty() {
                    self.require(aprefix, pos)?;
                    self.record(aprefix, outer, &mut namespaces);
                }
                let value = text::trim_xml(value);
                if let Some((vprefix, _)) = value.split_once(':') {
                    if crate::name::is_ncname(vprefix) && self.lookup(vprefix).is_some() {
                        self.record(vprefix, outer, &mut namespaces);
                    }
                }
            }
            if empty {
                self.close();
            }
        };
        let raw = self.src.get(start..end).unwrap_or_default();
        Ok(RawContent {
            content: self.policed(Cow::Borrowed(raw)),
            namespaces,
        })
    }

    /// Refuses a prefix that no declaration in scope binds.
    fn require(&self, prefix: &str, offset: usize) -> Result<(), DecodeError> {
        if prefix.is_empty() || self.lookup(prefix).is_some() {
            return Ok(());
        }
        Err(DecodeError::UndeclaredPrefix {
            prefix: text::excerpt(prefix),
            offset: self.at(offset),
            path: self.path(),
        })
    }

    /// Records the binding of `prefix` when it was made at depth `outer` or above and is not
    /// one of the encoder's own.
    fn record(&self, prefix: &str, outer: usize, out: &mut Vec<NamespaceBinding<'a>>) {
        if prefix == "xml" || out.iter().any(|b| b.prefix == prefix) {
            return;
        }
        if prefix.is_empty() && self.default_bindings == 0 {
            return;
        }
        let Some(b) = self
            .bindings
            .iter()
            .rev()
            .find(|b| same_str(b.prefix, prefix))
        else {
            return;
        };
        if b.depth > outer {
            return;
        }
        let uri = self.attr_text(b.uri);
        if ENCODER_BINDINGS.contains(&(b.prefix, &*uri)) {
            return;
        }
        out.push(NamespaceBinding {
            prefix: Cow::Borrowed(b.prefix),
            uri,
        });
    }

    /// Text with the control-character policy applied.
    fn policed(&self, t: Cow<'a, str>) -> Cow<'a, str> {
        if self.controls == Some(ControlCharPolicy::Replace) {
            text::replace_controls(t)
        } else {
            t
        }
    }

    /// The children of element `e` handed to `f` in order, and the text between them (trimmed;
    /// entities, character references and CDATA resolved), `None` when there is none but
    /// whitespace. The offset is that of the first text.
    ///
    /// `names` are the children expected, in their usual order: each is first looked for as a
    /// literal start tag after the one found before (see [`Parser::fast_field`]).
    pub fn mixed_children(
        &mut self,
        e: &Elem<'a>,
        names: &[&'static str],
        mut f: impl FnMut(&mut Self, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<Option<(usize, Cow<'a, str>)>, DecodeError> {
        if e.empty() {
            self.close();
            return Ok(None);
        }
        if let Some(leaf) = e.leaf {
            self.close();
            let t = text::trim_xml(leaf);
            return Ok((!t.is_empty()).then(|| (e.content_start, self.policed(Cow::Borrowed(t)))));
        }
        let mut raw = String::new();
        let mut first = None;
        // Whether quick-xml is between events in text, where the fast path may read the next
        // tag (not after a text event, and not once there is text: the fast path skips the
        // whitespace before a tag, which would then be part of the text).
        let mut fast = true;
        let mut last = None;
        loop {
            if fast && raw.is_empty() {
                if e.fast() && self.fast_end() {
                    self.close();
                    break;
                }
                if let Some((i, tag)) = self.fast_field(names, last) {
                    last = Some(i);
                    let child = self.open_tag(tag)?;
                    f(self, child)?;
                    continue;
                }
                if let Some(tag) = self.fast_tag() {
                    let child = self.open_tag(tag)?;
                    f(self, child)?;
                    continue;
                }
            }
            let (pos, ev) = self.read()?;
            fast = !matches!(ev, Event::Text(_) | Event::CData(_) | Event::GeneralRef(_));
            match ev {
                Event::Start(c) => {
                    let tag = self.tag_of(&c, false, pos)?;
                    let child = self.open_tag(tag)?;
                    f(self, child)?;
                }
                Event::Empty(c) => {
                    let tag = self.tag_of(&c, true, pos)?;
                    let child = self.open_tag(tag)?;
                    f(self, child)?;
                }
                Event::End(_) => {
                    self.close();
                    break;
                }
                Event::Text(t) if raw.is_empty() && text::is_ws(&t) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    // Whitespace before the first text is trimmed anyway: it costs nothing.
                    first.get_or_insert(pos);
                    raw.push_str(self.src.get(pos..self.pos()).unwrap_or_default());
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Decl(_) | Event::DocType(_) => return Err(self.declaration_inside(pos)),
                Event::Eof => return Err(self.eof(pos)),
            }
        }
        let Some(at) = first else {
            return Ok(None);
        };
        let unescaped = match text::unescape(&raw) {
            Ok(s) => s,
            Err(UnescapeError::Entity(entity, _)) => {
                return Err(DecodeError::UnknownEntity {
                    entity,
                    offset: self.at(at),
                    path: self.path(),
                });
            }
            Err(UnescapeError::Markup(_)) => {
                return Err(DecodeError::Xml {
                    message: "unexpected markup in text".into(),
                    offset: self.at(at),
                    path: self.path(),
                });
            }
        };
        let t = text::trim_xml(&unescaped);
        if t.is_empty() {
            return Ok(None);
        }
        let t = self.policed(Cow::Owned(t.to_owned()));
        Ok(Some((at, self.settle(t))))
    }
}

fn same_str(a: &str, b: &str) -> bool {
    super::same(a, b)
}
