//! The event cursor under every decoder: quick-xml's borrowing `Reader`, a cheap namespace
//! binding stack, the element path, limits, warnings, and text extraction that borrows from the
//! input unless the text holds entities, CDATA or comments.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use quick_xml::Reader;
use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesStart, Event};

use super::error::{DecodeError, Warning, WarningKind};
use super::text::{self, UnescapeError};
use super::{ControlCharPolicy, Limits};
use crate::name::is_qname;

mod content;

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

/// A resolved qualified name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QRef<'a> {
    pub ns: &'a str,
    pub local: &'a str,
}

/// An opened element. The attributes the decoders care about are resolved when it opens and
/// kept by the parser (see [`Parser::xsi_type`]), so that this stays small to move around.
///
/// Every `Elem` handed out must be consumed exactly once by [`Parser::text`],
/// [`Parser::skip`] or a [`Parser::child`] loop that runs until `None`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Elem<'a> {
    pub local: &'a str,
    pub ns: &'a str,
    pub offset: usize,
    content_start: usize,
    /// The raw text of a leaf element read whole by [`Parser::child`]'s fast path (start tag,
    /// text without markup or references, end tag); quick-xml never saw its events.
    leaf: Option<&'a str>,
    /// The depth (low 32 bits) and the `EMPTY`, `FAST` and `HAS_ATTRS` flags, in one word so
    /// that the element is written and copied in whole words.
    meta: u64,
}

/// An empty-element tag.
const EMPTY: u64 = 1 << 32;
/// The start tag was read by the fast path (not a leaf): its end tag may be too.
const FAST: u64 = 1 << 33;
/// It had an `xsi:type`, `arrayType` or `mustUnderstand` attribute.
const HAS_ATTRS: u64 = 1 << 34;

impl Elem<'_> {
    /// Whether it is an empty-element tag (`<a/>`).
    pub fn empty(&self) -> bool {
        self.meta & EMPTY != 0
    }

    fn fast(&self) -> bool {
        self.meta & FAST != 0
    }

    fn has_attrs(&self) -> bool {
        self.meta & HAS_ATTRS != 0
    }

    fn depth(&self) -> usize {
        (self.meta & u64::from(u32::MAX)) as usize
    }
}

/// The resolved attributes of an open element, kept per depth.
#[derive(Clone, Copy, Debug, Default)]
struct ElemAttrs<'a> {
    xsi_type: Option<QRef<'a>>,
    array_type: Option<(QRef<'a>, &'a str)>,
    array_type_malformed: bool,
    must_understand: Option<&'a str>,
}

/// A `ParameterValueStruct` read whole by [`Parser::fast_pvs`].
pub(crate) struct FastPvs<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// Offset of the `Value` element (for its warnings).
    pub value_offset: usize,
    pub xsi_type: Option<QRef<'a>>,
}

/// A start tag read but not opened yet (see [`Parser::open_tag`]).
#[derive(Clone, Copy)]
struct Tag<'a> {
    name: &'a str,
    attrs: &'a str,
    /// The text of a leaf read whole.
    leaf: Option<&'a str>,
    offset: usize,
    content_start: usize,
    empty: bool,
    /// Read by the fast path (and not a leaf).
    fast: bool,
}

/// What a start tag's attributes say before resolution (see [`Parser::scan_attrs`]).
#[derive(Clone, Copy, Default)]
struct RawAttrs<'a> {
    ty: Option<(&'a str, &'a str)>,
    array: Option<(&'a str, &'a str)>,
    must: Option<(&'a str, &'a str)>,
    /// Whether it declared namespaces.
    binds: bool,
}

/// Entries of the attribute cache (more than the xsd types a Value may name, so that a cycle
/// through all of them still hits): most documents repeat a few attribute texts
/// (`xsi:type="xsd:string"`) under the same bindings.
const ATTR_CACHE: usize = 16;

#[derive(Clone, Copy)]
struct AttrCacheEntry<'a> {
    raw: &'a str,
    generation: u64,
    attrs: ElemAttrs<'a>,
}

struct Binding<'a> {
    depth: usize,
    prefix: &'a str,
    uri: &'a str,
}

pub(crate) struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    src: &'a str,
    shift: usize,
    /// Bytes consumed by the leaf fast path, which quick-xml's positions do not count.
    skipped: usize,
    bindings: Vec<Binding<'a>>,
    /// The resolved attributes of the open elements that have some, by depth.
    attrs: Vec<ElemAttrs<'a>>,
    /// Bumped whenever a namespace binding comes or goes (keys the attribute cache).
    generation: u64,
    attr_cache: [Option<AttrCacheEntry<'a>>; ATTR_CACHE],
    attr_cache_next: usize,
    /// How many bindings of the default namespace are in scope (usually none).
    default_bindings: usize,
    /// The open elements: local name (for paths) and qualified name (to check end tags).
    path: Vec<(&'a str, &'a str)>,
    elements: usize,
    limits: Limits,
    controls: Option<ControlCharPolicy>,
    pub warnings: Vec<Warning>,
    /// Whether the fast paths (start tags, leaves and ParameterValueStructs read without
    /// quick-xml) are off, so that every byte goes through the general event path.
    pub general_only: bool,
    /// The first cwmp namespace declared anywhere (fallback for the version).
    pub cwmp_declared: Option<&'a str>,
}

impl<'a> Parser<'a> {
    /// A parser over `src`, whose offsets are reported `shift` bytes later (a stripped BOM).
    pub fn new(
        src: &'a str,
        shift: usize,
        limits: Limits,
        controls: Option<ControlCharPolicy>,
    ) -> Self {
        let mut reader = Reader::from_str(src);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        // End tags are checked against `path` (the fast path reads some tags itself).
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        Parser {
            reader,
            src,
            shift,
            skipped: 0,
            bindings: Vec::with_capacity(16),
            attrs: Vec::new(),
            generation: 0,
            attr_cache: [None; ATTR_CACHE],
            attr_cache_next: 0,
            default_bindings: 0,
            path: Vec::with_capacity(16),
            elements: 0,
            limits,
            controls,
            warnings: Vec::new(),
            general_only: false,
            cwmp_declared: None,
        }
    }

    /// The current element path, `Envelope/Body/...`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for (i, (local, _)) in self.path.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(local);
        }
        out
    }

    fn path_with(&self, local: &str) -> String {
        if self.path.last().is_some_and(|(l, _)| *l == local) {
            self.path()
        } else {
            let mut p = self.path();
            if !p.is_empty() {
                p.push('/');
            }
            p.push_str(local);
            p
        }
    }

    fn pos(&self) -> usize {
        usize::try_from(self.reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(self.skipped)
    }

    /// An offset in the caller's input.
    pub fn at(&self, offset: usize) -> usize {
        offset.saturating_add(self.shift)
    }

    /// Records a tolerated deviation (strict mode reports them all at the end).
    ///
    /// Fallible so that a fail-fast policy can be added without touching the decoders.
    pub fn warn(&mut self, kind: WarningKind, offset: usize) -> Result<(), DecodeError> {
        let offset = self.at(offset);
        self.warnings.push(Warning { kind, offset });
        Ok(())
    }

    /// A value error for element `e` (already closed) with its text.
    pub fn invalid(&self, e: &Elem<'a>, expected: &'static str, text: &str) -> DecodeError {
        DecodeError::InvalidValue {
            expected,
            text: text::excerpt(text),
            offset: self.at(e.offset),
            path: self.path_with(e.local),
        }
    }

    fn xml_error(&self, err: quick_xml::Error) -> DecodeError {
        let offset = usize::try_from(self.reader.error_position())
            .unwrap_or(usize::MAX)
            .saturating_add(self.skipped);
        let rest = self.src.get(offset..).unwrap_or_default();
        if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!ENTITY") {
            return DecodeError::Dtd {
                offset: self.at(offset),
            };
        }
        match err {
            quick_xml::Error::Syntax(_)
            | quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_)) => {
                DecodeError::UnexpectedEof {
                    offset: self.at(offset),
                    path: self.path(),
                }
            }
            other => DecodeError::Xml {
                message: other.to_string(),
                offset: self.at(offset),
                path: self.path(),
            },
        }
    }

    fn eof(&self, pos: usize) -> DecodeError {
        DecodeError::UnexpectedEof {
            offset: self.at(pos),
            path: self.path(),
        }
    }

    /// Reads the next raw event with the offset where it starts.
    pub fn read(&mut self) -> Result<(usize, Event<'a>), DecodeError> {
        let pos = self.pos();
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(DecodeError::Dtd {
                offset: self.at(pos),
            }),
            Ok(Event::End(e)) => {
                let found = e.name();
                match self.path.last().map(|(_, q)| q) {
                    Some(open) if open.as_bytes() == found.as_ref() => Ok((pos, Event::End(e))),
                    // What quick-xml's own check reports, at the `<` of the end tag.
                    open => {
                        let found = String::from_utf8_lossy(found.as_ref()).into_owned();
                        let err = match open {
                            Some(open) => IllFormedError::MismatchedEndTag {
                                expected: (*open).to_owned(),
                                found,
                            },
                            None => IllFormedError::UnmatchedEndTag(found),
                        };
                        Err(DecodeError::Xml {
                            message: quick_xml::Error::IllFormed(err).to_string(),
                            offset: self.at(pos),
                            path: self.path(),
                        })
                    }
                }
            }
            Ok(ev) => Ok((pos, ev)),
            Err(e) => Err(self.xml_error(e)),
        }
    }

    /// Maps a slice of the current event back to the input's lifetime.
    fn reborrow(&self, s: &[u8]) -> Option<&'a str> {
        if s.is_empty() {
            return Some("");
        }
        let start = (s.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let end = start.checked_add(s.len())?;
        self.src.get(start..end)
    }

    fn lookup(&self, prefix: &str) -> Option<&'a str> {
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
    fn resolve_value(&mut self, value: &'a str, offset: usize) -> Result<QRef<'a>, DecodeError> {
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

    /// Opens a start or empty element: limits, namespace bindings, path, attributes.
    pub fn open(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        offset: usize,
    ) -> Result<Elem<'a>, DecodeError> {
        let name = self
            .reborrow(e.name().as_ref())
            .ok_or_else(|| DecodeError::Xml {
                message: "element name outside the input".into(),
                offset: self.at(offset),
                path: self.path(),
            })?;
        let raw = self.reborrow(e.attributes_raw()).unwrap_or_default();
        let content_start = self.pos();
        self.open_raw(name, raw, empty, offset, content_start)
    }

    /// [`Parser::open`] without opening (yet): the tag of a start or empty event.
    fn tag_of(
        &self,
        e: &BytesStart<'_>,
        empty: bool,
        offset: usize,
    ) -> Result<Tag<'a>, DecodeError> {
        let name = self
            .reborrow(e.name().as_ref())
            .ok_or_else(|| DecodeError::Xml {
                message: "element name outside the input".into(),
                offset: self.at(offset),
                path: self.path(),
            })?;
        let attrs = self.reborrow(e.attributes_raw()).unwrap_or_default();
        Ok(Tag {
            name,
            attrs,
            leaf: None,
            offset,
            content_start: self.pos(),
            empty,
            fast: false,
        })
    }

    /// Opens the element of `tag`.
    #[inline(always)]
    fn open_tag(&mut self, tag: Tag<'a>) -> Result<Elem<'a>, DecodeError> {
        let mut e = self.open_raw(
            tag.name,
            tag.attrs,
            tag.empty,
            tag.offset,
            tag.content_start,
        )?;
        e.leaf = tag.leaf;
        if tag.fast {
            e.meta |= FAST;
        }
        Ok(e)
    }

    /// [`Parser::open`] over the tag's name and raw attribute text.
    ///
    /// Inlined with [`Parser::child`]'s fast path; the attribute work is out of line.
    #[inline(always)]
    fn open_raw(
        &mut self,
        name: &'a str,
        raw: &'a str,
        empty: bool,
        offset: usize,
        content_start: usize,
    ) -> Result<Elem<'a>, DecodeError> {
        let depth = self.path.len() + 1;
        let (prefix, local) = split_qname(name);
        if depth > self.limits.max_depth || self.elements >= self.limits.max_elements {
            return Err(self.limit_error(depth, offset));
        }
        self.elements += 1;
        self.path.push((local, name));
        let mut has_attrs = false;
        let mut found = None;
        if !raw.is_empty() {
            match self.cached_attrs(raw) {
                Some(attrs) => has_attrs = self.keep_attrs(depth, attrs),
                None => found = Some(self.scan_attrs(raw, depth, offset)?),
            }
        }
        let ns = match self.lookup(prefix) {
            Some(ns) => ns,
            None if prefix.is_empty() => "",
            None => {
                self.warn(WarningKind::UndeclaredPrefix, offset)?;
                ""
            }
        };
        if let Some(found) = found {
            has_attrs = self.resolve_attrs(raw, found, depth, offset)?;
        }
        Ok(Elem {
            local,
            ns,
            offset,
            content_start,
            leaf: None,
            meta: u64::from(u32::try_from(depth).unwrap_or(u32::MAX))
                | if empty { EMPTY } else { 0 }
                | if has_attrs { HAS_ATTRS } else { 0 },
        })
    }

    /// The depth or element-count error of an element opening at `depth`.
    #[cold]
    fn limit_error(&self, depth: usize, offset: usize) -> DecodeError {
        if depth > self.limits.max_depth {
            DecodeError::TooDeep {
                limit: self.limits.max_depth,
                offset: self.at(offset),
                path: self.path(),
            }
        } else {
            DecodeError::TooManyElements {
                limit: self.limits.max_elements,
                offset: self.at(offset),
                path: self.path(),
            }
        }
    }

    /// The resolved attributes of an earlier element with the very same attribute text, if
    /// the namespace bindings have not changed since and resolving them warned of nothing.
    #[inline]
    fn cached_attrs(&self, raw: &str) -> Option<ElemAttrs<'a>> {
        self.attr_cache
            .iter()
            .flatten()
            .find(|c| c.generation == self.generation && same(c.raw, raw))
            .map(|c| c.attrs)
    }

    /// Keeps the resolved attributes of the element opening at `depth`; whether it has any.
    fn keep_attrs(&mut self, depth: usize, attrs: ElemAttrs<'a>) -> bool {
        let any = attrs.xsi_type.is_some()
            || attrs.array_type.is_some()
            || attrs.array_type_malformed
            || attrs.must_understand.is_some();
        if any {
            if self.attrs.len() <= depth {
                self.attrs.resize(depth + 1, ElemAttrs::default());
            }
            if let Some(slot) = self.attrs.get_mut(depth) {
                *slot = attrs;
            }
        }
        any
    }

    /// Reads a start tag's attributes: limits, namespace declarations (bound at `depth`), and
    /// the raw `xsi:type`, `arrayType` and `mustUnderstand` values.
    #[inline(never)]
    fn scan_attrs(
        &mut self,
        raw: &'a str,
        depth: usize,
        offset: usize,
    ) -> Result<RawAttrs<'a>, DecodeError> {
        let mut found = RawAttrs::default();
        let mut attrs = Attrs { s: raw, i: 0 };
        let mut count = 0usize;
        while let Some(attr) = attrs.next_attr() {
            let (aname, value) = match attr {
                Ok(attr) => attr,
                Err(reason) => {
                    return Err(DecodeError::MalformedAttribute {
                        reason,
                        offset: self.at(offset),
                        path: self.path(),
                    });
                }
            };
            count += 1;
            if count > self.limits.max_attributes {
                return Err(DecodeError::TooManyAttributes {
                    limit: self.limits.max_attributes,
                    offset: self.at(offset),
                    path: self.path(),
                });
            }
            if let Some(rest) = aname.strip_prefix("xmlns") {
                let prefix = if rest.is_empty() {
                    Some("")
                } else {
                    rest.strip_prefix(':')
                };
                if let Some(prefix) = prefix {
                    // A known namespace written with references (`&#58;`) is that namespace.
                    let value = if value.contains('&') {
                        known_namespace(value).unwrap_or(value)
                    } else {
                        value
                    };
                    if self.cwmp_declared.is_none()
                        && cwmp_core::CwmpVersion::from_namespace(value).is_some()
                    {
                        self.cwmp_declared = Some(value);
                    }
                    if prefix.is_empty() {
                        self.default_bindings += 1;
                    }
                    self.bindings.push(Binding {
                        depth,
                        prefix,
                        uri: value,
                    });
                    self.generation += 1;
                    found.binds = true;
                    continue;
                }
            }
            let (ap, al) = split_qname(aname);
            match al {
                "type" if !ap.is_empty() => found.ty = Some((ap, value)),
                "arrayType" => found.array = Some((ap, value)),
                "mustUnderstand" => found.must = Some((ap, value)),
                _ => {}
            }
        }
        Ok(found)
    }

    /// Resolves what [`Parser::scan_attrs`] found and keeps it for the element at `depth`
    /// (and in the cache when nothing depended on the element itself); whether it has any.
    #[inline(never)]
    fn resolve_attrs(
        &mut self,
        raw: &'a str,
        found: RawAttrs<'a>,
        depth: usize,
        offset: usize,
    ) -> Result<bool, DecodeError> {
        let warnings = self.warnings.len();
        let mut xsi_type = None;
        if let Some((ap, value)) = found.ty {
            if matches!(self.lookup(ap), Some(XSI | XSI_1999)) {
                xsi_type = Some(self.resolve_value(value, offset)?);
            }
        }
        let mut array_type = None;
        let mut array_type_malformed = false;
        if let Some((_, value)) = found.array {
            let value = text::trim_xml(value);
            match value
                .strip_suffix(']')
                .and_then(|v| v.rsplit_once('['))
                .filter(|(t, _)| !t.is_empty())
            {
                Some((ty, count)) => {
                    let q = self.resolve_value(ty, offset)?;
                    if q.ns == MALFORMED_QNAME {
                        array_type_malformed = true;
                    } else {
                        array_type = Some((q, count));
                    }
                }
                None => array_type_malformed = true,
            }
        }
        let must_understand = match found.must {
            Some((ap, v)) if ap.is_empty() || self.lookup(ap) == Some(SOAP_ENV) => Some(v),
            _ => None,
        };
        let attrs = ElemAttrs {
            xsi_type,
            array_type,
            array_type_malformed,
            must_understand,
        };
        if !found.binds && self.warnings.len() == warnings {
            let slot = self.attr_cache_next % ATTR_CACHE;
            self.attr_cache_next = self.attr_cache_next.wrapping_add(1);
            let entry = AttrCacheEntry {
                raw,
                generation: self.generation,
                attrs,
            };
            if let Some(e) = self.attr_cache.get_mut(slot) {
                *e = Some(entry);
            }
        }
        Ok(self.keep_attrs(depth, attrs))
    }

    /// The attributes of open element `e`.
    fn attrs_of(&self, e: &Elem<'a>) -> Option<&ElemAttrs<'a>> {
        if !e.has_attrs() {
            return None;
        }
        self.attrs.get(e.depth())
    }

    /// Refuses open element `e` (the innermost) when its qualified name is not an XML `QName`:
    /// the decoder keeps that local name (an unknown method's), and the encoder writes back
    /// exactly the names XML allows (`crate::name`), so it survives encode → decode.
    pub fn check_name(&self, e: &Elem<'a>) -> Result<(), DecodeError> {
        let name = match self.path.last() {
            Some((local, name)) if same(local, e.local) => *name,
            _ => e.local,
        };
        if is_qname(name) {
            return Ok(());
        }
        Err(DecodeError::InvalidName {
            name: text::excerpt(name),
            offset: self.at(e.offset),
            path: self.path(),
        })
    }

    /// The qualified name (`prefix:local`) of element `e`, while it is the innermost open one.
    pub fn qname_of(&self, e: &Elem<'a>) -> &'a str {
        match self.path.last() {
            Some((local, name)) if same(local, e.local) => name,
            _ => e.local,
        }
    }

    /// The `xsi:type` of open element `e`, resolved.
    pub fn xsi_type(&self, e: &Elem<'a>) -> Option<QRef<'a>> {
        self.attrs_of(e).and_then(|a| a.xsi_type)
    }

    /// The `soap-enc:arrayType` of open element `e`: member type and count text.
    pub fn array_type(&self, e: &Elem<'a>) -> Option<(QRef<'a>, &'a str)> {
        self.attrs_of(e).and_then(|a| a.array_type)
    }

    /// The raw `mustUnderstand` of open element `e` (unprefixed or in the SOAP namespace).
    pub fn must_understand(&self, e: &Elem<'a>) -> Option<&'a str> {
        self.attrs_of(e).and_then(|a| a.must_understand)
    }

    /// The fast path of [`Parser::child`]: a start tag (after optional whitespace) read
    /// straight from the input without quick-xml's events, and with it the rest of a leaf
    /// element (`<Name>text</Name>`) when its text holds no `<` or `&` and the end tag follows.
    /// Tags are split exactly as quick-xml splits them (see [`scan_start`]); anything else
    /// (comments, references, CDATA, processing instructions, end tags, EOF) consumes nothing
    /// and returns `None`, and the event loop reads it. Both produce the same elements, text
    /// and offsets.
    ///
    /// Must only be called where quick-xml is between events in text (after a start or end tag).
    #[inline(always)]
    fn fast_tag(&mut self) -> Option<Tag<'a>> {
        if self.general_only {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let tag = scan_start(rest)?;
        let at = (rest.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let slice = |(from, to): (usize, usize)| self.src.get(at + from..at + to);
        let (name, attrs) = (slice(tag.name)?, slice(tag.attrs)?);
        let mut len = tag.len;
        let mut leaf = None;
        if !tag.empty {
            if let Some((text_end, end_len)) = rest
                .get(len..)
                .and_then(|content| leaf_text(content, name.as_bytes()))
            {
                leaf = slice((len, len + text_end));
                len += text_end + end_len;
            }
        }
        let base = self.pos();
        let offset = base + tag.lt;
        let content_start = base + tag.len;
        *self.reader.get_mut() = rest.get(len..).unwrap_or_default();
        self.skipped += len;
        Some(Tag {
            name,
            attrs,
            leaf,
            offset,
            content_start,
            empty: tag.empty,
            fast: !tag.empty && leaf.is_none(),
        })
    }

    /// The next element if its start tag can be read directly (see [`Parser::child`]).
    ///
    /// Must only be called where quick-xml is between events in text.
    pub fn fast_open(&mut self) -> Result<Option<Elem<'a>>, DecodeError> {
        match self.fast_tag() {
            Some(tag) => self.open_tag(tag).map(Some),
            None => Ok(None),
        }
    }

    /// The fast path for the end tag of an element whose start tag the fast path read:
    /// consumes `ws* </name ws*>` if that is what follows.
    fn fast_end(&mut self) -> bool {
        let rest: &'a [u8] = self.reader.get_ref();
        let i = if rest.first() == Some(&b'<') {
            0
        } else {
            ws_len(rest)
        };
        if rest.get(i..i + 2) != Some(b"</") {
            return false;
        }
        let Some((_, name)) = self.path.last() else {
            return false;
        };
        let Some(len) = rest.get(i..).and_then(|r| end_tag_len(r, name.as_bytes())) else {
            return false;
        };
        *self.reader.get_mut() = rest.get(i + len..).unwrap_or_default();
        self.skipped += i + len;
        true
    }

    /// Closes the innermost element: pops its bindings and its path entry.
    fn close(&mut self) {
        let depth = self.path.len();
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.generation += 1;
            if self.bindings.pop().is_some_and(|b| b.prefix.is_empty()) {
                self.default_bindings -= 1;
            }
        }
        self.path.pop();
    }

    /// The next child element of `parent`, or `None` at its end (which closes it).
    ///
    /// Inlined so that the element is built where the caller keeps it (moving it through
    /// memory costs more than building it).
    #[inline(always)]
    pub fn child(&mut self, parent: &Elem<'a>) -> Result<Option<Elem<'a>>, DecodeError> {
        if parent.empty() || parent.leaf.is_some() {
            return self.end_of_leaf(parent).map(|()| None);
        }
        if parent.fast() && self.fast_end() {
            self.close();
            return Ok(None);
        }
        // Both paths meet before the element is built, so it is built once, in registers.
        let tag = match self.fast_tag() {
            Some(tag) => tag,
            None => match self.child_events()? {
                Some(tag) => tag,
                None => return Ok(None),
            },
        };
        self.open_tag(tag).map(Some)
    }

    /// [`Parser::child`] at the end of an empty or leaf element.
    fn end_of_leaf(&mut self, parent: &Elem<'a>) -> Result<(), DecodeError> {
        if let Some(t) = parent.leaf {
            // What the event loop makes of a text-only element's Text and End events.
            if !text::is_ws(t.as_bytes()) {
                self.warn(WarningKind::UnexpectedText, parent.content_start)?;
            }
        }
        self.close();
        Ok(())
    }

    /// [`Parser::child`] through quick-xml's events.
    #[inline(never)]
    /// The next child's tag, or `None` at the end (which closes the parent).
    fn child_events(&mut self) -> Result<Option<Tag<'a>>, DecodeError> {
        loop {
            let (pos, ev) = self.read()?;
            match ev {
                Event::Start(e) => return self.tag_of(&e, false, pos).map(Some),
                Event::Empty(e) => return self.tag_of(&e, true, pos).map(Some),
                Event::End(_) => {
                    self.close();
                    return Ok(None);
                }
                Event::Text(t) => {
                    if !text::is_ws(&t) {
                        self.warn(WarningKind::UnexpectedText, pos)?;
                    }
                }
                Event::CData(_) | Event::GeneralRef(_) => {
                    self.warn(WarningKind::UnexpectedText, pos)?;
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Decl(_) => {
                    return Err(DecodeError::Xml {
                        message: "XML declaration inside the document".into(),
                        offset: self.at(pos),
                        path: self.path(),
                    });
                }
                Event::DocType(_) => {
                    return Err(DecodeError::Dtd {
                        offset: self.at(pos),
                    });
                }
                Event::Eof => return Err(self.eof(pos)),
            }
        }
    }

    /// Skips `e` and everything inside it (limits still apply).
    pub fn skip(&mut self, e: &Elem<'a>) -> Result<(), DecodeError> {
        if e.empty() || e.leaf.is_some() {
            self.close();
            return Ok(());
        }
        loop {
            let (pos, ev) = self.read()?;
            match ev {
                Event::Start(c) => {
                    self.open(&c, false, pos)?;
                }
                Event::Empty(c) => {
                    self.open(&c, true, pos)?;
                    self.close();
                }
                Event::End(_) => {
                    let depth = self.path.len();
                    self.close();
                    if depth <= e.depth() {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.eof(pos)),
                _ => {}
            }
        }
    }

    /// The text of a text-only element, borrowed unless it had to be unescaped.
    #[inline(always)]
    pub fn text(&mut self, e: &Elem<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if e.empty() {
            self.close();
            return Ok(Cow::Borrowed(""));
        }
        match e.leaf {
            Some(raw) if raw.len() <= self.limits.max_text_len && self.controls.is_none() => {
                self.close();
                Ok(Cow::Borrowed(raw))
            }
            _ => self.text_slow(e),
        }
    }

    /// [`Parser::text`] of a leaf under a limit or a control policy, or through quick-xml's
    /// events.
    #[inline(never)]
    fn text_slow(&mut self, e: &Elem<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if let Some(raw) = e.leaf {
            if raw.len() > self.limits.max_text_len {
                return Err(DecodeError::TextTooLong {
                    limit: self.limits.max_text_len,
                    len: raw.len(),
                    offset: self.at(e.content_start),
                    path: self.path(),
                });
            }
            let mut out = Cow::Borrowed(raw);
            if self.controls == Some(ControlCharPolicy::Replace) {
                out = text::replace_controls(out);
            }
            self.close();
            return Ok(out);
        }
        let mut complex = false;
        let end = loop {
            let (pos, ev) = self.read()?;
            match ev {
                Event::Text(_) => {}
                Event::GeneralRef(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_) => {
                    complex = true;
                }
                Event::End(_) => break pos,
                Event::Start(c) | Event::Empty(c) => {
                    let name = String::from_utf8_lossy(c.name().as_ref()).into_owned();
                    return Err(DecodeError::UnexpectedElement {
                        name,
                        offset: self.at(pos),
                        path: self.path(),
                    });
                }
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(DecodeError::Xml {
                        message: "markup declaration inside an element".into(),
                        offset: self.at(pos),
                        path: self.path(),
                    });
                }
                Event::Eof => return Err(self.eof(pos)),
            }
        };
        let start = e.content_start;
        let len = end.saturating_sub(start);
        if len > self.limits.max_text_len {
            return Err(DecodeError::TextTooLong {
                limit: self.limits.max_text_len,
                len,
                offset: self.at(start),
                path: self.path(),
            });
        }
        let raw = self.src.get(start..end).unwrap_or_default();
        let mut out = if complex {
            match text::unescape(raw) {
                Ok(s) => Cow::Owned(s),
                Err(UnescapeError::Entity(entity, at)) => {
                    return Err(DecodeError::UnknownEntity {
                        entity,
                        offset: self.at(start + at),
                        path: self.path(),
                    });
                }
                Err(UnescapeError::Markup(at)) => {
                    return Err(DecodeError::Xml {
                        message: "unexpected markup in text".into(),
                        offset: self.at(start + at),
                        path: self.path(),
                    });
                }
            }
        } else {
            Cow::Borrowed(raw)
        };
        if self.controls == Some(ControlCharPolicy::Replace) {
            out = text::replace_controls(out);
        }
        self.close();
        Ok(out)
    }

    /// An attribute value (such as a namespace URI) as text: entities and character
    /// references unescaped, control characters replaced when the policy says so.
    pub fn attr_text(&self, raw: &'a str) -> Cow<'a, str> {
        let mut out = if raw.contains('&') {
            text::unescape(raw).map_or(Cow::Borrowed(raw), Cow::Owned)
        } else {
            Cow::Borrowed(raw)
        };
        if self.controls == Some(ControlCharPolicy::Replace) {
            out = text::replace_controls(out);
        }
        out
    }

    /// A `u32` element (surrounding whitespace and a `+` sign allowed; empty reads as 0).
    pub fn u32(&mut self, e: &Elem<'a>) -> Result<u32, DecodeError> {
        self.number(e, "unsignedInt")
    }

    /// An `i32` element (surrounding whitespace and a `+` sign allowed; empty reads as 0).
    pub fn i32(&mut self, e: &Elem<'a>) -> Result<i32, DecodeError> {
        self.number(e, "int")
    }

    /// A numeric element of xsd type `xsd_type`: trimmed, an optional `+`, empty reads as 0
    /// with [`WarningKind::EmptyNumber`].
    fn number<T: std::str::FromStr + Default>(
        &mut self,
        e: &Elem<'a>,
        xsd_type: &'static str,
    ) -> Result<T, DecodeError> {
        let t = self.text(e)?;
        let s = text::trim_xml(&t);
        if s.is_empty() {
            self.warn(WarningKind::EmptyNumber, e.offset)?;
            return Ok(T::default());
        }
        s.strip_prefix('+')
            .unwrap_or(s)
            .parse()
            .map_err(|_| self.invalid(e, xsd_type, &t))
    }

    /// A boolean element: `0`, `1`, `true`, `false`; other cases warn.
    pub fn bool(&mut self, e: &Elem<'a>) -> Result<bool, DecodeError> {
        let t = self.text(e)?;
        self.bool_text(e, &t)
    }

    /// Reads boolean text for element `e`.
    pub fn bool_text(&mut self, e: &Elem<'a>, t: &str) -> Result<bool, DecodeError> {
        let s = text::trim_xml(t);
        match s {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => match cwmp_core::value::parse_bool(s) {
                Some(b) => {
                    self.warn(WarningKind::NonCanonicalBoolean, e.offset)?;
                    Ok(b)
                }
                None if s.is_empty() => {
                    self.warn(WarningKind::EmptyNumber, e.offset)?;
                    Ok(false)
                }
                None => Err(self.invalid(e, "boolean", t)),
            },
        }
    }

    /// A dateTime element, kept verbatim; text that is no xs:dateTime warns.
    pub fn datetime(&mut self, e: &Elem<'a>) -> Result<DateTimeText<'a>, DecodeError> {
        let t = DateTimeText(self.text(e)?);
        if t.parse().is_err() {
            self.warn(WarningKind::InvalidDateTime, e.offset)?;
        }
        Ok(t)
    }

    /// Decodes the children of a struct element `e` whose schema sequence is `names`:
    /// unknown children are skipped, and order, repetition and required children
    /// (`required` bit mask over `names`) are checked with warnings.
    pub fn fields(
        &mut self,
        e: &Elem<'a>,
        names: &[&'static str],
        required: u32,
        f: impl FnMut(&mut Self, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.fields_repeated(e, names, required, 0, f)
    }

    /// [`Parser::fields`] where the names in the `repeatable` bit mask may occur many times.
    pub fn fields_repeated(
        &mut self,
        e: &Elem<'a>,
        names: &[&'static str],
        required: u32,
        repeatable: u32,
        mut f: impl FnMut(&mut Self, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let mut track = Fields {
            repeatable,
            ..Fields::default()
        };
        while let Some(c) = self.child(e)? {
            match names.iter().position(|n| same(n, c.local)) {
                Some(i) => {
                    track.see(self, i, &c)?;
                    f(self, i, c)?;
                }
                None => {
                    self.warn(WarningKind::UnexpectedElement, c.offset)?;
                    self.skip(&c)?;
                }
            }
        }
        track.finish(self, e, required)
    }

    /// Decodes the members of an array element `e` whose members are `member` elements of
    /// type `ty`, checking its arrayType leniently.
    pub fn array(
        &mut self,
        e: &Elem<'a>,
        member: &str,
        mut f: impl FnMut(&mut Self, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let declared = self.array_header(e, member)?;
        let mut n = 0usize;
        while let Some(c) = self.child(e)? {
            n += 1;
            if n > self.limits.max_array_members {
                return Err(DecodeError::TooManyArrayMembers {
                    limit: self.limits.max_array_members,
                    offset: self.at(c.offset),
                    path: self.path(),
                });
            }
            if !same(c.local, member) {
                self.warn(WarningKind::UnexpectedArrayMember, c.offset)?;
            }
            f(self, c)?;
        }
        if declared.is_some_and(|d| d != n) {
            self.warn(WarningKind::ArrayCountMismatch, e.offset)?;
        }
        Ok(())
    }

    /// How many members to reserve room for in array `e`: its declared count, bounded by the
    /// array limit and by what the rest of the input could hold (`min_member` bytes each).
    pub fn array_capacity(&self, e: &Elem<'a>, min_member: usize) -> usize {
        let Some((_, count)) = self.array_type(e) else {
            return 0;
        };
        let declared = text::trim_xml(count).parse::<usize>().unwrap_or(0);
        let room = self.src.len().saturating_sub(self.pos()) / min_member.max(1);
        declared.min(room).min(self.limits.max_array_members)
    }

    /// An array of structs into `out`: each member element is a struct whose schema sequence
    /// is `names` (`required` and `repeatable` bit masks over it, as in
    /// [`Parser::fields_repeated`]), its children handed to `set` by position.
    ///
    /// The array element may also be the struct itself, holding the fields directly (a
    /// struct array written without its wrapper, the array element repeated once per
    /// member): its fields then make one member, with [`WarningKind::ArrayWithoutWrapper`],
    /// never a member per field.
    pub fn struct_array<T: Default>(
        &mut self,
        e: &Elem<'a>,
        member: &str,
        names: &[&'static str],
        (required, repeatable): (u32, u32),
        out: &mut Vec<T>,
        set: impl FnMut(&mut Self, &mut T, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.array_into(
            e,
            member,
            names,
            (required, repeatable),
            out,
            |_| Ok(None),
            set,
        )
    }

    /// [`Parser::struct_array`], trying `fast` before each member (it reads a member whole, or
    /// returns `None` having consumed nothing) and the field-by-field decode on the members it
    /// leaves.
    #[allow(clippy::too_many_arguments)]
    pub fn array_into<T: Default>(
        &mut self,
        e: &Elem<'a>,
        member: &str,
        names: &[&'static str],
        (required, repeatable): (u32, u32),
        out: &mut Vec<T>,
        mut fast: impl FnMut(&mut Self) -> Result<Option<T>, DecodeError>,
        mut set: impl FnMut(&mut Self, &mut T, usize, Elem<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let declared = self.array_header(e, member)?;
        let open = !e.empty() && e.leaf.is_none();
        let mut n = 0usize;
        // The struct the array element itself is, in the form without wrapper.
        let mut own: Option<(T, Fields)> = None;
        loop {
            if open && n < self.limits.max_array_members && own.is_none() {
                if let Some(item) = fast(self)? {
                    n += 1;
                    out.push(item);
                    continue;
                }
            }
            let Some(c) = self.child(e)? else {
                break;
            };
            if !same(c.local, member) {
                if let Some(i) = names.iter().position(|n| same(n, c.local)) {
                    if own.is_none() {
                        self.warn(WarningKind::ArrayWithoutWrapper, e.offset)?;
                    }
                    let (t, track) = own.get_or_insert_with(|| {
                        (
                            T::default(),
                            Fields {
                                repeatable,
                                ..Fields::default()
                            },
                        )
                    });
                    track.see(self, i, &c)?;
                    set(self, t, i, c)?;
                    continue;
                }
            }
            n += 1;
            if n > self.limits.max_array_members {
                return Err(DecodeError::TooManyArrayMembers {
                    limit: self.limits.max_array_members,
                    offset: self.at(c.offset),
                    path: self.path(),
                });
            }
            if !same(c.local, member) {
                self.warn(WarningKind::UnexpectedArrayMember, c.offset)?;
            }
            let mut t = T::default();
            self.fields_repeated(&c, names, required, repeatable, |p, i, f| {
                set(p, &mut t, i, f)
            })?;
            out.push(t);
        }
        match own {
            Some((t, track)) => {
                track.finish(self, e, required)?;
                out.push(t);
            }
            None if declared.is_some_and(|d| d != n) => {
                self.warn(WarningKind::ArrayCountMismatch, e.offset)?;
            }
            None => {}
        }
        Ok(())
    }

    /// A whole `ParameterValueStruct` member read at once, when it is in the plainest form:
    /// `<ParameterValueStruct><Name>text</Name><Value attrs>text</Value></ParameterValueStruct>`
    /// (whitespace between the tags allowed), no attributes but on `Value`, whose attribute
    /// text was resolved before without warnings (attribute cache), texts without `<` or `&`,
    /// within the limits and with no control-character policy in force. What it returns and
    /// counts is what [`Parser::child`], [`Parser::fields`] and [`Parser::text`] make of the
    /// same bytes, none of which warn on that form. `None`: nothing consumed.
    pub fn fast_pvs(&mut self) -> Option<FastPvs<'a>> {
        if self.controls.is_some()
            || self.general_only
            || self.path.len() + 2 > self.limits.max_depth
            || self.elements.saturating_add(3) > self.limits.max_elements
        {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let at = (rest.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let plain_start = |from: usize, name: &[u8]| -> Option<StartTag> {
            let t = scan_start(rest.get(from..)?)?;
            let ok = !t.empty && same_bytes(rest.get(from + t.name.0..from + t.name.1)?, name);
            ok.then_some(t)
        };
        let no_attrs = |from: usize, t: &StartTag| {
            rest.get(from + t.attrs.0..from + t.attrs.1)
                .is_some_and(|a| a.iter().all(|&c| is_xml_ws(c)))
        };
        let s = plain_start(0, b"ParameterValueStruct")?;
        if !no_attrs(0, &s) {
            return None;
        }
        let mut pos = s.len;
        let n = plain_start(pos, b"Name")?;
        if !no_attrs(pos, &n) {
            return None;
        }
        let name_start = pos + n.len;
        let (name_len, end) = leaf_text(rest.get(name_start..)?, b"Name")?;
        pos = name_start + name_len + end;
        let v = plain_start(pos, b"Value")?;
        let value_lt = pos + v.lt;
        let value_attrs = self.src.get(at + pos + v.attrs.0..at + pos + v.attrs.1)?;
        let xsi_type = if value_attrs.is_empty() {
            None
        } else {
            self.cached_attrs(value_attrs)?.xsi_type
        };
        let value_start = pos + v.len;
        let (value_len, end) = leaf_text(rest.get(value_start..)?, b"Value")?;
        pos = value_start + value_len + end;
        pos += ws_len(rest.get(pos..)?);
        pos += end_tag_len(rest.get(pos..)?, b"ParameterValueStruct")?;
        if name_len > self.limits.max_text_len || value_len > self.limits.max_text_len {
            return None;
        }
        let name = self.src.get(at + name_start..at + name_start + name_len)?;
        let value = self
            .src
            .get(at + value_start..at + value_start + value_len)?;
        let value_offset = self.pos() + value_lt;
        *self.reader.get_mut() = rest.get(pos..).unwrap_or_default();
        self.skipped += pos;
        self.elements += 3;
        Some(FastPvs {
            name,
            value,
            value_offset,
            xsi_type,
        })
    }

    /// Checks an array's xsi:type and arrayType; returns the declared count.
    pub fn array_header(
        &mut self,
        e: &Elem<'a>,
        member: &str,
    ) -> Result<Option<usize>, DecodeError> {
        let attrs = self.attrs_of(e).copied().unwrap_or_default();
        if let Some(t) = attrs.xsi_type {
            if t.local == "Array" && (t.ns == SOAP_ENC || t.ns.is_empty()) {
                self.warn(WarningKind::ArrayXsiType, e.offset)?;
            }
        }
        if attrs.array_type_malformed {
            self.warn(WarningKind::MalformedArrayType, e.offset)?;
            return Ok(None);
        }
        let Some((ty, count)) = attrs.array_type else {
            self.warn(WarningKind::MissingArrayType, e.offset)?;
            return Ok(None);
        };
        let member_ok = ty.local == member
            || (member == "base64" && ty.local == "base64Binary")
            || (member == "string" && ty.local == "anyType");
        if !member_ok {
            self.warn(WarningKind::ArrayTypeMismatch, e.offset)?;
        }
        let count = text::trim_xml(count);
        if count.len() > 1 && count.starts_with('0') {
            self.warn(WarningKind::ZeroPaddedArrayCount, e.offset)?;
        }
        match count.parse::<usize>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => {
                self.warn(WarningKind::MalformedArrayType, e.offset)?;
                Ok(None)
            }
        }
    }
}

/// Order, repetition and presence tracking for a struct's children.
#[derive(Default)]
pub(crate) struct Fields {
    seen: u32,
    last: usize,
    repeatable: u32,
}

impl Fields {
    /// Records child `c`, the `i`th name of the schema sequence.
    pub fn see<'a>(
        &mut self,
        p: &mut Parser<'a>,
        i: usize,
        c: &Elem<'a>,
    ) -> Result<(), DecodeError> {
        let bit = 1u32
            .checked_shl(u32::try_from(i).unwrap_or(31))
            .unwrap_or(0);
        if self.seen & bit & !self.repeatable != 0 {
            p.warn(WarningKind::DuplicateElement, c.offset)?;
        } else if i < self.last {
            p.warn(WarningKind::OutOfOrder, c.offset)?;
        }
        self.seen |= bit;
        self.last = self.last.max(i);
        Ok(())
    }

    /// Warns once for required children that never came.
    pub fn finish<'a>(
        &self,
        p: &mut Parser<'a>,
        e: &Elem<'a>,
        required: u32,
    ) -> Result<(), DecodeError> {
        if required & !self.seen != 0 {
            p.warn(WarningKind::MissingElement, e.offset)?;
        }
        Ok(())
    }
}

/// Where the parts of a start tag are, relative to the start of the scanned bytes.
struct StartTag {
    /// Offset of `<`.
    lt: usize,
    name: (usize, usize),
    attrs: (usize, usize),
    empty: bool,
    /// Bytes up to and including `>` (whitespace before the tag included).
    len: usize,
}

#[inline]
fn is_xml_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Recognises `ws* <name attrs>` or `ws* <name attrs/>` at the start of `b` exactly as quick-xml
/// tokenizes a start tag: the tag ends at the first `>` outside quotes, a `/` before it makes
/// the element empty, and the name ends at the first whitespace. Not taken (`None`): `<!`,
/// `</`, `<?`, an empty name, a quote in the name, no `>`.
fn scan_start(b: &[u8]) -> Option<StartTag> {
    let mut i = 0usize;
    while b.get(i).copied().is_some_and(is_xml_ws) {
        i += 1;
    }
    let lt = i;
    if b.get(lt) != Some(&b'<') || matches!(b.get(lt + 1), None | Some(b'!' | b'/' | b'?')) {
        return None;
    }
    let start = lt + 1;
    let tag = b.get(start..)?;
    let stop = name_stop(tag)?;
    let gt = match tag.get(stop) {
        Some(b'>') => start + stop,
        Some(&c) if class(c) == WS => {
            let mut k = stop;
            loop {
                k += tag
                    .get(k..)?
                    .iter()
                    .position(|&c| matches!(class(c), QUOTE | GT))?;
                let q = *tag.get(k)?;
                if q == b'>' {
                    break start + k;
                }
                k += 1;
                k += find_byte(tag.get(k..)?, q)? + 1;
            }
        }
        _ => return None,
    };
    let empty = gt > start && b.get(gt - 1) == Some(&b'/');
    let tag_end = if empty { gt - 1 } else { gt };
    let name_end = start + stop.min(tag_end - start);
    if name_end == start {
        return None;
    }
    Some(StartTag {
        lt,
        name: (start, name_end),
        attrs: (name_end, tag_end),
        empty,
        len: gt + 1,
    })
}

/// The first byte of `b` that is not [`PLAIN`] to the start-tag scanner. Bytes above `>` are
/// all plain, so eight at a time are skipped while none is at or below it.
#[inline]
fn name_stop(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0usize;
    loop {
        let Some(chunk) = b.get(i..i + 8) else {
            return b
                .get(i..)?
                .iter()
                .position(|&c| class(c) != PLAIN)
                .map(|k| i + k);
        };
        let x = word(chunk);
        // The lowest byte below 0x3f (`>` + 1) is flagged exactly.
        let low = x.wrapping_sub(ONES * 0x3f) & !x & HIGH;
        if low == 0 {
            i += 8;
            continue;
        }
        let k = i + (low.trailing_zeros() / 8) as usize;
        if class(*b.get(k)?) != PLAIN {
            return Some(k);
        }
        i = k + 1;
    }
}

/// For the content `b` of element `name`: the length of its text and of the end tag that
/// follows, when the text holds no `<` or `&` and the end tag is `</name ws*>`.
#[inline]
fn leaf_text(b: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let text_end = find_lt_amp(b)?;
    let end = end_tag_len(b.get(text_end..)?, name)?;
    Some((text_end, end))
}

/// The length of `</name ws*>` at the start of `b` (quick-xml trims whitespace there).
#[inline]
fn end_tag_len(b: &[u8], name: &[u8]) -> Option<usize> {
    let n = name.len();
    if b.get(..2) != Some(b"</") || !b.get(2..2 + n).is_some_and(|t| same_bytes(t, name)) {
        return None;
    }
    let mut k = 2 + n;
    while b.get(k).copied().is_some_and(is_xml_ws) {
        k += 1;
    }
    (b.get(k) == Some(&b'>')).then_some(k + 1)
}

const PLAIN: u8 = 0;
const WS: u8 = 1;
const QUOTE: u8 = 2;
const GT: u8 = 3;

/// What a byte is to the start-tag scanner.
#[inline]
fn class(c: u8) -> u8 {
    match c {
        b' ' | b'\t' | b'\n' | b'\r' => WS,
        b'"' | b'\'' => QUOTE,
        b'>' => GT,
        _ => PLAIN,
    }
}

/// Offset of the first `c` in `b`, eight bytes at a time.
#[inline]
fn find_byte(b: &[u8], c: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut base = 0usize;
    for chunk in &mut chunks {
        let x = word(chunk) ^ (ONES * u64::from(c));
        // Zero bytes of `x` (matches) have their high bit set (exact for the lowest one).
        let hits = x.wrapping_sub(ONES) & !x & HIGH;
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&x| x == c)
        .map(|i| base + i)
}

/// Offset of the first `<` or `&` in `b`, eight bytes at a time.
#[inline]
fn find_lt_amp(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes of `x` that are zero have their high bit set (exact for the lowest one).
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = b.chunks_exact(8);
    let mut base = 0usize;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let hits = zeros(x ^ (ONES * u64::from(b'<'))) | zeros(x ^ (ONES * u64::from(b'&')));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b'<' || c == b'&')
        .map(|i| base + i)
}

/// The namespace constant that `raw` (an attribute value holding references) stands for once
/// unescaped, when it is one the decoder matches on.
#[cold]
fn known_namespace(raw: &str) -> Option<&'static str> {
    let uri = text::unescape(raw).ok()?;
    [SOAP_ENV, SOAP12_ENV, SOAP_ENC, XSD, XSD_1999, XSI, XSI_1999]
        .into_iter()
        .chain(cwmp_core::version::NAMESPACES.iter().map(|(ns, _)| *ns))
        .find(|ns| *ns == uri)
}

/// Splits `prefix:local`.
pub(crate) fn split_qname(name: &str) -> (&str, &str) {
    match name.bytes().position(|b| b == b':') {
        Some(i) => (
            name.get(..i).unwrap_or_default(),
            name.get(i + 1..).unwrap_or_default(),
        ),
        None => ("", name),
    }
}

/// String equality for short names, inlined instead of a `memcmp` call.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// Byte-string equality, eight bytes at a time, inlined instead of a `memcmp` call.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        if word(p) != word(q) {
            return false;
        }
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// Eight bytes as a word (zero when `b` is shorter).
#[inline]
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))
}

/// A minimal attribute scanner over a start tag's attribute text.
struct Attrs<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Attrs<'a> {
    /// `None` at the end; `Some(Err(reason))` when malformed.
    fn next_attr(&mut self) -> Option<Result<(&'a str, &'a str), &'static str>> {
        let bytes = self.s.as_bytes();
        let rest = bytes.get(self.i..).unwrap_or_default();
        let start = self.i + rest.iter().position(|&b| !is_xml_ws(b))?;
        // A self-closing tag's trailing '/' may be part of the raw attribute text.
        if bytes.get(start..) == Some(b"/") {
            return None;
        }
        let after = bytes.get(start..).unwrap_or_default();
        let name_len = after
            .iter()
            .position(|&b| b == b'=' || is_xml_ws(b))
            .unwrap_or(after.len());
        let name = self.s.get(start..start + name_len)?;
        let mut i = start + name_len;
        i += ws_len(bytes.get(i..).unwrap_or_default());
        if name.is_empty() {
            self.i = bytes.len();
            return Some(Err("an attribute without a name"));
        }
        if bytes.get(i) != Some(&b'=') {
            self.i = bytes.len();
            return Some(Err("an attribute without `=` and a value"));
        }
        i += 1;
        i += ws_len(bytes.get(i..).unwrap_or_default());
        let quote = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                self.i = bytes.len();
                return Some(Err("an attribute value not in quotes"));
            }
        };
        let vstart = i + 1;
        let Some(vlen) = bytes.get(vstart..).and_then(|v| find_byte(v, quote)) else {
            self.i = bytes.len();
            return Some(Err("an attribute value without its closing quote"));
        };
        let value = self.s.get(vstart..vstart + vlen)?;
        self.i = vstart + vlen + 1;
        Some(Ok((name, value)))
    }
}

/// How many XML whitespace bytes `b` starts with.
#[inline]
fn ws_len(b: &[u8]) -> usize {
    b.iter().position(|&c| !is_xml_ws(c)).unwrap_or(b.len())
}
