//! Reading one BBF data-model XML document into its raw parts (imports, data types,
//! components, models). Assembly into a [`Schema`](crate::Schema) is in `build.rs`.
//!
//! Bounded and panic-free: the input size is limited, unknown elements (and every
//! `description`) are skipped without being interpreted, the only DTD content honoured is
//! internal `<!ENTITY name "text">` declarations (at most [`MAX_ENTITIES`], no nesting, no
//! external entities), so there is no entity expansion blow-up.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use std::ops::Range;
use std::sync::Arc;

use cwmp_core::value::ValueType;

use crate::build::MAX_DEFINITIONS;
use crate::error::Error;
use crate::intern::Interner;
use crate::types::{
    Access, ActiveNotify, DefaultValue, EnumerationFacet, EnumerationRefFacet, Facets,
    InstanceRefFacet, ListFacet, PathRefFacet, PatternFacet, RangeFacet, SizeFacet, Status,
    UniqueKey,
};

/// Largest document accepted, in bytes.
pub const MAX_DOCUMENT_SIZE: usize = 64 << 20;
/// Most internal entities honoured in a DOCTYPE.
pub const MAX_ENTITIES: usize = 256;
/// Most bytes of internal-entity text expanded in one document (beyond it, entity
/// references are errors).
pub const MAX_ENTITY_EXPANSION: usize = 1 << 20;
/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 64;

const NS_PREFIX: &str = "urn:broadband-forum-org:cwmp:datamodel-";

/// A text of a document: a byte range of the document, or of the side buffer that holds
/// attribute values which needed unescaping. Names of objects and parameters stay spans
/// (no copy); what definitions keep is interned instead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    end: u32,
    extra: bool,
}

/// The text of `span` in a document `text` whose side buffer is `extra`.
pub(crate) fn span_str<'s>(text: &'s str, extra: &'s str, span: Span) -> &'s str {
    let from = if span.extra { extra } else { text };
    from.get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

#[derive(Debug, Default)]
pub(crate) struct RawDoc {
    pub imports: Vec<RawImport>,
    pub data_types: Vec<RawDataType>,
    pub components: Vec<RawComponent>,
    pub models: Vec<RawModel>,
    /// The objects, parameters and component references of every model and component, in
    /// document order; an object's children follow it up to its `end`.
    pub items: Vec<Item>,
    /// The syntaxes of the parameters.
    pub syntaxes: Vec<RawSyntax>,
    /// The objects the items refer to.
    pub objects: Vec<RawObject>,
    /// The list facets the syntaxes refer to.
    pub lists: Vec<Arc<ListFacet>>,
    /// Attribute values that needed unescaping.
    pub extra: String,
}

#[derive(Debug, Default)]
pub(crate) struct RawImport {
    pub file: String,
    /// (kind, local name, remote name)
    pub items: Vec<(ImportKind, String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ImportKind {
    DataType,
    Component,
    Model,
}

#[derive(Debug)]
pub(crate) struct RawDataType {
    pub name: Arc<str>,
    pub base: Option<Arc<str>>,
    pub syntax: RawSyntax,
}

#[derive(Debug, Default)]
pub(crate) struct RawComponent {
    pub name: String,
    pub items: Range<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct RawModel {
    pub name: String,
    pub base: Option<String>,
    pub is_service: bool,
    pub items: Range<u32>,
}

#[derive(Debug)]
pub(crate) enum Item {
    /// Index into [`RawDoc::objects`] (objects are few and large: the item list, one per
    /// definition, stays half the size).
    Object(u32),
    Parameter(RawParameter),
    Component {
        name: String,
        path: String,
    },
}

#[derive(Debug, Default)]
pub(crate) struct RawObject {
    pub name: Option<Span>,
    pub base: Option<Span>,
    pub access: Option<Access>,
    pub min_entries: Option<u32>,
    /// `Some(None)` = unbounded
    pub max_entries: Option<Option<u32>>,
    pub num_entries_parameter: Option<Arc<str>>,
    pub enable_parameter: Option<Arc<str>>,
    pub unique_keys: Vec<UniqueKey>,
    pub status: Option<Status>,
    pub version: Option<Arc<str>>,
    /// The index after its last descendant item.
    pub end: u32,
}

#[derive(Debug, Default)]
pub(crate) struct RawParameter {
    pub name: Option<Span>,
    pub base: Option<Span>,
    pub access: Option<Access>,
    pub active_notify: Option<ActiveNotify>,
    pub forced_inform: Option<bool>,
    pub status: Option<Status>,
    pub version: Option<Arc<str>>,
    /// Index into [`RawDoc::syntaxes`].
    pub syntax: Option<u32>,
}

/// A syntax as written: a primitive type or a reference to a named type, plus facets
/// (already interned).
#[derive(Debug, Clone)]
pub(crate) struct RawSyntax {
    pub base_type: Option<ValueType<'static>>,
    pub data_type: Option<Arc<str>>,
    /// Index into [`RawDoc::lists`] (lists are few and large, syntaxes many).
    pub list: Option<u32>,
    pub facets: Arc<Facets>,
    pub hidden: bool,
    pub secured: bool,
    pub command: bool,
    pub default: Option<DefaultValue>,
}

impl RawSyntax {
    fn new(interner: &Interner) -> Self {
        RawSyntax {
            base_type: None,
            data_type: None,
            list: None,
            facets: interner.no_facets(),
            hidden: false,
            secured: false,
            command: false,
            default: None,
        }
    }
}

/// What the parser's steps return: the error boxed, so that the `Result` of every event
/// and step stays as small as its value (an [`Error`] is several words; errors are rare).
type PResult<T> = Result<T, Box<Error>>;

/// One attribute: its local name (a slice of the document) and its value.
type Attr<'a> = (&'a [u8], Span);

struct Parser<'a, 'i> {
    reader: Reader<&'a [u8]>,
    /// The document text the reader reads.
    src: &'a str,
    file: &'a str,
    entities: HashMap<String, String>,
    /// Bytes of entity text expanded so far (bounded by [`MAX_ENTITY_EXPANSION`]).
    expanded: usize,
    depth: usize,
    interner: &'i mut Interner,
    doc: RawDoc,
    /// The attributes of the element at hand (reused).
    attrs: Vec<Attr<'a>>,
    /// Facets being collected (reused; interned when complete).
    scratch: Facets,
}

/// Parses one document, interning what definitions keep into `interner`.
pub(crate) fn parse_document(
    file: &str,
    text: &str,
    interner: &mut Interner,
) -> Result<RawDoc, Error> {
    if text.len() > MAX_DOCUMENT_SIZE {
        return Err(Error::Limit {
            file: file.to_owned(),
            what: "document size",
        });
    }
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    config.expand_empty_elements = false;
    let mut p = Parser {
        reader,
        src: text,
        file,
        entities: HashMap::new(),
        expanded: 0,
        depth: 0,
        interner,
        doc: RawDoc {
            // about one definition per 570 bytes of a full BBF model (TR-181 2.17), one
            // syntax per 640: a little more, so that the vectors never grow by doubling
            // (a copy of a megabyte, and twice the pages)
            items: Vec::with_capacity(text.len() / 480),
            syntaxes: Vec::with_capacity(text.len() / 560),
            objects: Vec::with_capacity(text.len() / 4800),
            ..RawDoc::default()
        },
        attrs: Vec::new(),
        scratch: Facets::default(),
    };
    p.document().map_err(|e| *e)?;
    Ok(p.doc)
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => name.get(i + 1..).unwrap_or(name),
        None => name,
    }
}

fn parse_bool(s: &str) -> bool {
    matches!(s, "true" | "1")
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// One attribute as found in a start tag: byte ranges of the local name and of the raw
/// value, and whether the value holds a reference.
struct RawAttr {
    name: Range<usize>,
    value: Range<usize>,
    xmlns: bool,
    amp: bool,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is zero (exact up to the lowest zero byte; any bit
/// above a zero byte may be a false one).
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// Where the first `quote` of `b` is, and whether an `&` comes before it: eight bytes per
/// step (the bytes of one `u64`), the last few one at a time.
#[inline]
fn find_quote(b: &[u8], quote: u8) -> Option<(usize, bool)> {
    let q = ONES.wrapping_mul(u64::from(quote));
    let a = ONES.wrapping_mul(u64::from(b'&'));
    let mut amp = false;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0usize;
    for chunk in chunks.by_ref() {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let quotes = zero_bytes(w ^ q);
        let amps = zero_bytes(w ^ a);
        if quotes != 0 {
            // the lowest set bit is exact; `&`s below it are exact too
            let bit = quotes.trailing_zeros();
            let below = (1u64 << bit) - 1;
            return Some((at + (bit / 8) as usize, amp || amps & below != 0));
        }
        amp |= amps != 0;
        at += 8;
    }
    for &c in chunks.remainder() {
        if c == quote {
            return Some((at, amp));
        }
        amp |= c == b'&';
        at += 1;
    }
    None
}

/// Splits the attribute text of a start tag (`b`, at byte `base` of the document) into
/// attributes, in one pass over the bytes; `Err` names what is malformed.
fn scan_attrs(b: &[u8], base: usize, mut f: impl FnMut(RawAttr)) -> Result<(), &'static str> {
    let at = |i: usize| b.get(i).copied();
    let mut i = 0usize;
    loop {
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        let Some(first) = at(i) else { return Ok(()) };
        if first == b'=' || first == b'"' || first == b'\'' {
            return Err("an attribute without a name");
        }
        let ks = i;
        let mut local = i;
        while let Some(c) = at(i) {
            if is_space(c) || c == b'=' {
                break;
            }
            if c == b':' {
                local = i + 1;
            }
            i += 1;
        }
        let ke = i;
        let xmlns = b.get(ks..ke).is_some_and(|k| k.starts_with(b"xmlns"));
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        if at(i) != Some(b'=') {
            return Err("an attribute without a value");
        }
        i += 1;
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        let quote = match at(i) {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err("an attribute value without quotes"),
        };
        i += 1;
        let vs = i;
        let Some((len, amp)) = find_quote(b.get(vs..).unwrap_or(&[]), quote) else {
            return Err("an unterminated attribute value");
        };
        i = vs + len;
        f(RawAttr {
            name: base + local..base + ke,
            value: base + vs..base + i,
            xmlns,
            amp,
        });
        i += 1;
        if at(i).is_some_and(|c| !is_space(c)) {
            return Err("no space between attributes");
        }
    }
}

impl<'a> Parser<'a, '_> {
    fn err(&self, message: impl Into<String>) -> Box<Error> {
        Box::new(Error::Xml {
            file: self.file.to_owned(),
            offset: self.reader.buffer_position(),
            message: message.into(),
        })
    }

    fn xml_err(&self, e: quick_xml::Error) -> Box<Error> {
        Box::new(Error::Xml {
            file: self.file.to_owned(),
            offset: self.reader.error_position(),
            message: e.to_string(),
        })
    }

    fn next(&mut self) -> PResult<Event<'a>> {
        self.reader.read_event().map_err(|e| self.xml_err(e))
    }

    /// Skips the content of an element whose Start event was just read.
    fn skip(&mut self, start: &BytesStart<'_>) -> PResult<()> {
        match self.reader.read_to_end(start.name()) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.xml_err(e)),
        }
    }

    /// `raw` as the `&str` it is within the document text, if it is a slice of it, with its
    /// offset.
    fn source_slice(&self, raw: &[u8]) -> Option<(&'a str, usize)> {
        let start = (raw.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let s = self.src.get(start..start.checked_add(raw.len())?)?;
        (s.as_ptr() == raw.as_ptr()).then_some((s, start))
    }

    /// The text of `span`.
    fn text(&self, span: Span) -> &str {
        span_str(self.src, &self.doc.extra, span)
    }

    /// The interned copy of the text of `span`.
    fn intern(&mut self, span: Span) -> Arc<str> {
        let t = span_str(self.src, &self.doc.extra, span);
        self.interner.str(t)
    }

    /// The interned copy of the text of `span`, without surrounding whitespace.
    fn intern_trim(&mut self, span: Span) -> Arc<str> {
        let t = span_str(self.src, &self.doc.extra, span).trim();
        self.interner.str(t)
    }

    /// A number attribute.
    fn number<T: std::str::FromStr>(&self, span: Span) -> Option<T> {
        self.text(span).trim().parse().ok()
    }

    /// Reads the attributes of `e` into `self.attrs` (local names, namespace declarations
    /// left out); values with references are unescaped into the side buffer.
    fn read_attrs(&mut self, e: &BytesStart<'_>) -> PResult<()> {
        self.attrs.clear();
        let raw = e.attributes_raw();
        let Some((region, base)) = self.source_slice(raw) else {
            // events of a slice reader borrow the document: not reached
            return Err(self.err("attributes outside the document"));
        };
        let src = self.src;
        let mut found: Vec<(Range<usize>, usize)> = Vec::new();
        let attrs = &mut self.attrs;
        let scanned = scan_attrs(region.as_bytes(), base, |a| {
            if a.xmlns {
                return;
            }
            let name = src.as_bytes().get(a.name).unwrap_or(&[]);
            if a.amp {
                found.push((a.value.clone(), attrs.len()));
            }
            attrs.push((
                name,
                Span {
                    start: a.value.start as u32,
                    end: a.value.end as u32,
                    extra: false,
                },
            ));
        });
        if let Err(what) = scanned {
            return Err(self.err(format!("bad attribute: {what}")));
        }
        // values with references: unescape into the side buffer
        for (v, at) in found {
            let raw = src.get(v).unwrap_or("");
            let entities = &self.entities;
            let mut expanded = self.expanded;
            let value = quick_xml::escape::unescape_with(raw, |name| {
                quick_xml::escape::resolve_predefined_entity(name).or_else(|| {
                    let v = entities.get(name)?;
                    expanded += v.len();
                    (expanded <= MAX_ENTITY_EXPANSION).then_some(v.as_str())
                })
            });
            self.expanded = expanded;
            let value = value.map_err(|err| self.err(format!("bad attribute value: {err}")))?;
            let start = self.doc.extra.len();
            self.doc.extra.push_str(&value);
            if let Some(slot) = self.attrs.get_mut(at) {
                slot.1 = Span {
                    start: start as u32,
                    end: self.doc.extra.len() as u32,
                    extra: true,
                };
            }
        }
        Ok(())
    }

    /// The object of item `at`, if it is one.
    fn object_at(&mut self, at: Option<usize>) -> Option<&mut RawObject> {
        match self.doc.items.get(at?)? {
            &Item::Object(oi) => self.doc.objects.get_mut(oi as usize),
            _ => None,
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Box::new(Error::Limit {
                file: self.file.to_owned(),
                what: "element depth",
            }));
        }
        Ok(())
    }

    fn document(&mut self) -> PResult<()> {
        loop {
            match self.next()? {
                Event::DocType(t) => self.doctype(&t),
                Event::Start(e) => {
                    if local(e.name().as_ref()) != b"document" || !self.is_dm_namespace(&e) {
                        return Err(Box::new(Error::NotDataModel {
                            file: self.file.to_owned(),
                        }));
                    }
                    return self.document_body();
                }
                Event::Empty(e) => {
                    if local(e.name().as_ref()) != b"document" || !self.is_dm_namespace(&e) {
                        return Err(Box::new(Error::NotDataModel {
                            file: self.file.to_owned(),
                        }));
                    }
                    return Ok(());
                }
                Event::Eof => {
                    return Err(Box::new(Error::NotDataModel {
                        file: self.file.to_owned(),
                    }));
                }
                Event::Text(t) if t.iter().any(|b| !b.is_ascii_whitespace()) => {
                    return Err(self.err("text outside the root element"));
                }
                _ => {}
            }
        }
    }

    fn is_dm_namespace(&self, e: &BytesStart<'_>) -> bool {
        let name = e.name();
        let prefix = name.prefix().map(|p| p.as_ref().to_vec());
        for a in e.attributes().flatten() {
            let key = a.key.as_ref();
            let matches = match &prefix {
                Some(p) => key.strip_prefix(b"xmlns:") == Some(p.as_slice()),
                None => key == b"xmlns",
            };
            if matches {
                return a.value.starts_with(NS_PREFIX.as_bytes());
            }
        }
        false
    }

    /// Honours `<!ENTITY name "text">` declarations of an internal subset; ignores the rest.
    fn doctype(&mut self, t: &[u8]) {
        let text = String::from_utf8_lossy(t);
        let mut rest: &str = &text;
        while let Some(i) = rest.find("<!ENTITY") {
            rest = rest.get(i + 8..).unwrap_or("");
            let decl = rest.trim_start();
            if decl.starts_with('%') {
                continue; // parameter entity: ignored
            }
            let name_end = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
            let name = decl.get(..name_end).unwrap_or("");
            let after = decl.get(name_end..).unwrap_or("").trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue; // external (SYSTEM/PUBLIC) entity: ignored
            };
            let body = after.get(1..).unwrap_or("");
            let Some(end) = body.find(q) else { break };
            let value = body.get(..end).unwrap_or("");
            if name.is_empty() || value.contains('&') || value.contains('%') || value.len() > 1024 {
                continue; // no nested references
            }
            if self.entities.len() < MAX_ENTITIES {
                self.entities.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    fn document_body(&mut self) -> PResult<()> {
        loop {
            let ev = self.next()?;
            let (e, has_body) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if has_body {
                self.enter()?;
            }
            match local(e.name().as_ref()) {
                b"import" => {
                    let imp = self.import(e, has_body)?;
                    self.doc.imports.push(imp);
                }
                b"dataType" => {
                    let dt = self.data_type(e, has_body)?;
                    self.doc.data_types.push(dt);
                }
                b"component" => {
                    let c = self.component(e, has_body)?;
                    self.doc.components.push(c);
                }
                b"model" => {
                    let m = self.model(e, has_body)?;
                    self.doc.models.push(m);
                }
                _ => {
                    if has_body {
                        self.skip(e)?;
                    }
                }
            }
            if has_body {
                self.depth -= 1;
            }
        }
    }

    fn import(&mut self, e: &BytesStart<'_>, has_body: bool) -> PResult<RawImport> {
        let mut imp = RawImport::default();
        self.read_attrs(e)?;
        for &(k, v) in &self.attrs {
            if k == b"file" {
                imp.file = self.text(v).to_owned();
            }
        }
        if !has_body {
            return Ok(imp);
        }
        loop {
            let ev = self.next()?;
            let (c, c_body) = match &ev {
                Event::Start(c) => (c, true),
                Event::Empty(c) => (c, false),
                Event::End(_) => return Ok(imp),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            let kind = match local(c.name().as_ref()) {
                b"dataType" => Some(ImportKind::DataType),
                b"component" => Some(ImportKind::Component),
                b"model" => Some(ImportKind::Model),
                _ => None,
            };
            if let Some(kind) = kind {
                self.read_attrs(c)?;
                let mut name = String::new();
                let mut reference = None;
                for &(k, v) in &self.attrs {
                    match k {
                        b"name" => name = self.text(v).to_owned(),
                        b"ref" => reference = Some(self.text(v).to_owned()),
                        _ => {}
                    }
                }
                let remote = reference.unwrap_or_else(|| name.clone());
                imp.items.push((kind, name, remote));
            }
            if c_body {
                self.skip(c)?;
            }
        }
    }

    fn data_type(&mut self, e: &BytesStart<'_>, has_body: bool) -> PResult<RawDataType> {
        self.read_attrs(e)?;
        let mut name = None;
        let mut base = None;
        let attrs = std::mem::take(&mut self.attrs);
        for &(k, v) in &attrs {
            match k {
                b"name" => name = Some(self.intern(v)),
                b"base" => base = Some(self.intern(v)),
                _ => {}
            }
        }
        self.attrs = attrs;
        let mut syntax = RawSyntax::new(self.interner);
        if has_body {
            self.syntax_body(&mut syntax)?;
        }
        Ok(RawDataType {
            name: name.unwrap_or_else(|| self.interner.str("")),
            base,
            syntax,
        })
    }

    /// Content of `<syntax>` or `<dataType>`: a primitive element, `list`, `dataType ref`,
    /// `default`, or (in a derived data type) bare facets.
    fn syntax_body(&mut self, syn: &mut RawSyntax) -> PResult<()> {
        let mut facets = std::mem::take(&mut self.scratch);
        facets.clear();
        let r = self.syntax_children(syn, &mut facets);
        syn.facets = self.interner.facets(&facets);
        facets.clear();
        self.scratch = facets;
        r
    }

    fn syntax_children(&mut self, syn: &mut RawSyntax, facets: &mut Facets) -> PResult<()> {
        loop {
            let ev = self.next()?;
            let (e, has_body) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            let qname = e.name();
            let lname = local(qname.as_ref());
            if has_body {
                self.enter()?;
            }
            if let Some(bt) = primitive(lname) {
                syn.base_type = Some(bt);
                self.type_facets(e, has_body, facets)?;
            } else if lname == b"dataType" {
                self.read_attrs(e)?;
                let attrs = std::mem::take(&mut self.attrs);
                for &(k, v) in &attrs {
                    if k == b"ref" || k == b"base" {
                        syn.data_type = Some(self.intern(v));
                    }
                }
                self.attrs = attrs;
                self.type_facets(e, has_body, facets)?;
            } else if lname == b"list" {
                let mut list = ListFacet::default();
                self.read_attrs(e)?;
                let attrs = std::mem::take(&mut self.attrs);
                for &(k, v) in &attrs {
                    match k {
                        b"minItems" => list.min_items = self.number(v),
                        b"maxItems" => list.max_items = self.number(v),
                        b"nestedBrackets" => list.nested_brackets = Some(self.intern(v)),
                        _ => {}
                    }
                }
                self.attrs = attrs;
                if has_body {
                    let mut f = Facets::default();
                    self.facet_children(&mut f)?;
                    list.sizes = f.sizes;
                }
                syn.list = Some(self.doc.lists.len() as u32);
                self.doc.lists.push(Arc::new(list));
            } else if lname == b"default" {
                self.read_attrs(e)?;
                let mut kind = None;
                let mut value = None;
                let attrs = std::mem::take(&mut self.attrs);
                for &(k, v) in &attrs {
                    match k {
                        b"type" => kind = Some(self.intern(v)),
                        b"value" => value = Some(self.intern(v)),
                        _ => {}
                    }
                }
                self.attrs = attrs;
                if let Some(value) = value {
                    let kind = kind.unwrap_or_else(|| self.interner.str(""));
                    syn.default = Some(DefaultValue { kind, value });
                }
                if has_body {
                    self.skip(e)?;
                }
            } else if self.facet(e, facets)? {
                if has_body {
                    self.skip(e)?;
                }
            } else if has_body {
                self.skip(e)?;
            }
            if has_body {
                self.depth -= 1;
            }
        }
    }

    /// Attributes and facet children of a primitive-type or `dataType ref` element.
    fn type_facets(
        &mut self,
        e: &BytesStart<'_>,
        has_body: bool,
        facets: &mut Facets,
    ) -> PResult<()> {
        // shorthand attributes sometimes used on primitive elements
        let mut size = SizeFacet::default();
        self.read_attrs(e)?;
        for &(k, v) in &self.attrs {
            match k {
                b"minLength" => size.min_length = self.number(v),
                b"maxLength" => size.max_length = self.number(v),
                _ => {}
            }
        }
        if size != SizeFacet::default() {
            facets.sizes.push(size);
        }
        if has_body {
            self.facet_children(facets)?;
        }
        Ok(())
    }

    fn facet_children(&mut self, facets: &mut Facets) -> PResult<()> {
        loop {
            match self.next()? {
                Event::Start(e) => {
                    self.facet(&e, facets)?;
                    self.skip(&e)?;
                }
                Event::Empty(e) => {
                    self.facet(&e, facets)?;
                }
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => {}
            }
        }
    }

    /// Records a facet element; returns whether it was one.
    fn facet(&mut self, e: &BytesStart<'_>, facets: &mut Facets) -> PResult<bool> {
        let name = e.name();
        let lname = local(name.as_ref());
        if !matches!(
            lname,
            b"size"
                | b"range"
                | b"enumeration"
                | b"pattern"
                | b"units"
                | b"pathRef"
                | b"instanceRef"
                | b"enumerationRef"
        ) {
            return Ok(false);
        }
        self.read_attrs(e)?;
        let attrs = std::mem::take(&mut self.attrs);
        match lname {
            b"size" => {
                let mut s = SizeFacet::default();
                for &(k, v) in &attrs {
                    match k {
                        b"minLength" => s.min_length = self.number(v),
                        b"maxLength" => s.max_length = self.number(v),
                        _ => {}
                    }
                }
                facets.sizes.push(s);
            }
            b"range" => {
                let mut r = RangeFacet::default();
                for &(k, v) in &attrs {
                    match k {
                        b"minInclusive" => r.min_inclusive = Some(self.intern_trim(v)),
                        b"maxInclusive" => r.max_inclusive = Some(self.intern_trim(v)),
                        b"step" => r.step = Some(self.intern_trim(v)),
                        _ => {}
                    }
                }
                facets.ranges.push(r);
            }
            b"enumeration" => {
                let mut value = None;
                let mut read_only = false;
                let mut optional = false;
                for &(k, v) in &attrs {
                    match k {
                        b"value" => value = Some(self.intern(v)),
                        b"access" => read_only = self.text(v) == "readOnly",
                        b"optional" => optional = parse_bool(self.text(v)),
                        _ => {}
                    }
                }
                facets.enumerations.push(EnumerationFacet {
                    value: value.unwrap_or_else(|| self.interner.str("")),
                    read_only,
                    optional,
                });
            }
            b"pattern" => {
                for &(k, v) in &attrs {
                    if k == b"value" {
                        let value = self.intern(v);
                        facets.patterns.push(PatternFacet::new(value));
                    }
                }
            }
            b"units" => {
                for &(k, v) in &attrs {
                    if k == b"value" {
                        facets.units = Some(self.intern(v));
                    }
                }
            }
            b"pathRef" => {
                let mut r = PathRefFacet::default();
                for &(k, v) in &attrs {
                    match k {
                        b"refType" => r.ref_type = Some(self.intern(v)),
                        b"targetParent" => r.target_parent = Some(self.intern(v)),
                        b"targetType" => r.target_type = Some(self.intern(v)),
                        b"targetDataType" => r.target_data_type = Some(self.intern(v)),
                        _ => {}
                    }
                }
                facets.path_ref = Some(r);
            }
            b"instanceRef" => {
                let mut r = InstanceRefFacet::default();
                for &(k, v) in &attrs {
                    match k {
                        b"refType" => r.ref_type = Some(self.intern(v)),
                        b"targetParent" => r.target_parent = Some(self.intern(v)),
                        _ => {}
                    }
                }
                facets.instance_ref = Some(r);
            }
            _ => {
                let mut r = EnumerationRefFacet::default();
                for &(k, v) in &attrs {
                    match k {
                        b"targetParam" => r.target_param = Some(self.intern(v)),
                        b"nullValue" => r.null_value = Some(self.intern(v)),
                        _ => {}
                    }
                }
                facets.enumeration_ref = Some(r);
            }
        }
        self.attrs = attrs;
        Ok(true)
    }

    fn component(&mut self, e: &BytesStart<'_>, has_body: bool) -> PResult<RawComponent> {
        let mut c = RawComponent::default();
        self.read_attrs(e)?;
        for &(k, v) in &self.attrs {
            if k == b"name" {
                c.name = self.text(v).to_owned();
            }
        }
        if has_body {
            c.items = self.items()?;
        }
        Ok(c)
    }

    fn model(&mut self, e: &BytesStart<'_>, has_body: bool) -> PResult<RawModel> {
        let mut m = RawModel::default();
        self.read_attrs(e)?;
        for &(k, v) in &self.attrs {
            match k {
                b"name" => m.name = self.text(v).to_owned(),
                b"base" => m.base = Some(self.text(v).to_owned()),
                b"isService" => m.is_service = parse_bool(self.text(v)),
                _ => {}
            }
        }
        if has_body {
            m.items = self.items()?;
        }
        Ok(m)
    }

    /// Children of a model, component or object (objects, parameters, component references
    /// and, for objects, unique keys), appended to the flat item list; returns their range.
    fn items(&mut self) -> PResult<Range<u32>> {
        let start = self.doc.items.len() as u32;
        self.children(None)?;
        Ok(start..self.doc.items.len() as u32)
    }

    /// Reads children until the end of the enclosing element; unique keys go to the object
    /// at `owner`.
    fn children(&mut self, owner: Option<usize>) -> PResult<()> {
        loop {
            let ev = self.next()?;
            let (e, has_body) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if has_body {
                self.enter()?;
            }
            match local(e.name().as_ref()) {
                b"object" => self.object(e, has_body)?,
                b"parameter" => {
                    let p = self.parameter(e, has_body)?;
                    self.push(Item::Parameter(p))?;
                }
                b"component" => {
                    let mut name = String::new();
                    let mut path = String::new();
                    self.read_attrs(e)?;
                    for &(k, v) in &self.attrs {
                        match k {
                            b"ref" => name = self.text(v).to_owned(),
                            b"path" => path = self.text(v).to_owned(),
                            _ => {}
                        }
                    }
                    self.push(Item::Component { name, path })?;
                    if has_body {
                        self.skip(e)?;
                    }
                }
                b"uniqueKey" if owner.is_some() => {
                    let mut key = UniqueKey {
                        functional: true,
                        parameters: Vec::new(),
                    };
                    self.read_attrs(e)?;
                    for &(k, v) in &self.attrs {
                        if k == b"functional" {
                            key.functional = parse_bool(self.text(v));
                        }
                    }
                    if has_body {
                        self.unique_key_params(&mut key)?;
                    }
                    if let Some(o) = self.object_at(owner) {
                        o.unique_keys.push(key);
                    }
                }
                _ => {
                    if has_body {
                        self.skip(e)?;
                    }
                }
            }
            if has_body {
                self.depth -= 1;
            }
        }
    }

    fn push(&mut self, item: Item) -> PResult<()> {
        if self.doc.items.len() >= MAX_DEFINITIONS {
            return Err(Box::new(Error::Limit {
                file: self.file.to_owned(),
                what: "number of definitions",
            }));
        }
        self.doc.items.push(item);
        Ok(())
    }

    fn object(&mut self, e: &BytesStart<'_>, has_body: bool) -> PResult<()> {
        let mut o = RawObject::default();
        self.read_attrs(e)?;
        let attrs = std::mem::take(&mut self.attrs);
        for &(k, v) in &attrs {
            match k {
                b"name" => o.name = Some(v),
                b"base" => o.base = Some(v),
                b"access" => o.access = Access::parse(self.text(v)),
                b"minEntries" => o.min_entries = self.number(v),
                b"maxEntries" => {
                    o.max_entries = Some(if self.text(v) == "unbounded" {
                        None
                    } else {
                        self.number(v)
                    })
                }
                b"numEntriesParameter" => o.num_entries_parameter = Some(self.intern(v)),
                b"enableParameter" => o.enable_parameter = Some(self.intern(v)),
                b"status" => o.status = Status::parse(self.text(v)),
                b"version" => o.version = Some(self.intern(v)),
                _ => {}
            }
        }
        self.attrs = attrs;
        let at = self.doc.items.len();
        let oi = self.doc.objects.len() as u32;
        self.doc.objects.push(o);
        self.push(Item::Object(oi))?;
        if has_body {
            self.children(Some(at))?;
        }
        let end = self.doc.items.len() as u32;
        if let Some(o) = self.object_at(Some(at)) {
            o.end = end;
        }
        Ok(())
    }

    fn unique_key_params(&mut self, key: &mut UniqueKey) -> PResult<()> {
        loop {
            let ev = self.next()?;
            let (c, c_body) = match &ev {
                Event::Start(c) => (c, true),
                Event::Empty(c) => (c, false),
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if local(c.name().as_ref()) == b"parameter" {
                self.read_attrs(c)?;
                let attrs = std::mem::take(&mut self.attrs);
                for &(k, v) in &attrs {
                    if k == b"ref" {
                        key.parameters.push(self.intern(v));
                    }
                }
                self.attrs = attrs;
            }
            if c_body {
                self.skip(c)?;
            }
        }
    }

    fn parameter(&mut self, e: &BytesStart<'_>, has_body: bool) -> PResult<RawParameter> {
        let mut p = RawParameter::default();
        self.read_attrs(e)?;
        let attrs = std::mem::take(&mut self.attrs);
        for &(k, v) in &attrs {
            match k {
                b"name" => p.name = Some(v),
                b"base" => p.base = Some(v),
                b"access" => p.access = Access::parse(self.text(v)),
                b"activeNotify" => p.active_notify = ActiveNotify::parse(self.text(v)),
                b"forcedInform" => p.forced_inform = Some(parse_bool(self.text(v))),
                b"status" => p.status = Status::parse(self.text(v)),
                b"version" => p.version = Some(self.intern(v)),
                _ => {}
            }
        }
        self.attrs = attrs;
        if !has_body {
            return Ok(p);
        }
        loop {
            let ev = self.next()?;
            let (c, c_body) = match &ev {
                Event::Start(c) => (c, true),
                Event::Empty(c) => (c, false),
                Event::End(_) => return Ok(p),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if local(c.name().as_ref()) == b"syntax" {
                let mut syn = RawSyntax::new(self.interner);
                self.read_attrs(c)?;
                for &(k, v) in &self.attrs {
                    match k {
                        b"hidden" => syn.hidden = parse_bool(self.text(v)),
                        b"secured" => syn.secured = parse_bool(self.text(v)),
                        b"command" => syn.command = parse_bool(self.text(v)),
                        _ => {}
                    }
                }
                if c_body {
                    self.enter()?;
                    self.syntax_body(&mut syn)?;
                    self.depth -= 1;
                }
                let at = self.doc.syntaxes.len() as u32;
                self.doc.syntaxes.push(syn);
                p.syntax = Some(at);
            } else if c_body {
                self.skip(c)?;
            }
        }
    }
}

/// The primitive type named by a data-model element (`unsignedInt`, `base64` ...).
fn primitive(lname: &[u8]) -> Option<ValueType<'static>> {
    Some(match lname {
        b"string" => ValueType::String,
        b"int" => ValueType::Int,
        b"unsignedInt" => ValueType::UnsignedInt,
        b"long" => ValueType::Long,
        b"unsignedLong" => ValueType::UnsignedLong,
        b"boolean" => ValueType::Boolean,
        b"dateTime" => ValueType::DateTime,
        b"base64" | b"base64Binary" => ValueType::Base64,
        b"hexBinary" => ValueType::HexBinary,
        b"decimal" => ValueType::Decimal,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The byte-at-a-time meaning of [`super::find_quote`].
    fn find_quote_simple(b: &[u8], quote: u8) -> Option<(usize, bool)> {
        let at = b.iter().position(|&c| c == quote)?;
        Some((at, b.get(..at)?.contains(&b'&')))
    }

    proptest! {
        #[test]
        fn find_quote_is_a_byte_search(
            b in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\''), Just(b'&'), Just(b'a'), Just(0u8),
                    Just(0x80u8), Just(0xffu8), Just(b'&' ^ 0x80), Just(b'"' + 1), any::<u8>()],
                0..40,
            ),
        ) {
            for q in [b'"', b'\''] {
                prop_assert_eq!(super::find_quote(&b, q), find_quote_simple(&b, q));
            }
        }
    }

    use crate::{Error, NoImports, Schema};

    fn doc(param_attrs: &str) -> String {
        format!(
            r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14"><model name="Device:2.17">
<object name="Device." access="readOnly"/>
<parameter {param_attrs}><syntax><unsignedInt/></syntax></parameter></model></document>"#
        )
    }

    #[test]
    fn attributes_in_every_legal_form() {
        let s = Schema::from_str(
            "a.xml",
            &doc("name = 'A&amp;B' access=\"readWrite\"\n\tversion='2.1'"),
            &NoImports,
        );
        // `A&B` is not a valid name: the unescaped text is what is validated
        assert!(matches!(s, Err(Error::BadName { name, .. }) if name == "A&B"));
        let s = Schema::from_str(
            "a.xml",
            &doc("dm:name='X' access=\"readWrite\""),
            &NoImports,
        )
        .unwrap();
        let p = s.lookup("X").unwrap().as_parameter().unwrap();
        assert!(p.access.is_writable());
    }

    #[test]
    fn malformed_attributes_are_located_errors() {
        for bad in [
            "name=X",
            "name=\"X",
            "name",
            "=\"X\"",
            "name=\"X\"access=\"readOnly\"",
        ] {
            let e = Schema::from_str("a.xml", &doc(bad), &NoImports).unwrap_err();
            assert!(
                matches!(&e, Error::Xml { offset, .. } if *offset > 0),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn internal_entities_expand_in_values() {
        let text = r#"<!DOCTYPE document [<!ENTITY u "seconds">]>
<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14"><model name="Device:2.17">
<object name="Device." access="readOnly"><parameter name="T" access="readWrite">
<syntax><unsignedInt><units value="&u;"/></unsignedInt></syntax></parameter></object></model></document>"#;
        let s = Schema::from_str("a.xml", text, &NoImports).unwrap();
        let p = s.lookup("Device.T").unwrap().as_parameter().unwrap();
        assert_eq!(p.syntax.units(), Some("seconds"));
    }
}
