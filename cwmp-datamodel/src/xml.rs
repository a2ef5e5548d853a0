//! Reading one BBF data-model XML document into its raw parts (imports, data types,
//! components, models). Assembly into a [`Schema`](crate::Schema) is in `build.rs`.
//!
//! Bounded and panic-free: the input size is limited, unknown elements (and every
//! `description`) are skipped without being interpreted, the only DTD content honoured is
//! internal `<!ENTITY name "text">` declarations (at most [`MAX_ENTITIES`], no nesting, no
//! external entities), so there is no entity expansion blow-up.

use std::collections::HashMap;

use std::ops::Range;
use std::sync::Arc;

use cwmp_core::value::ValueType;

use crate::build::MAX_DEFINITIONS;
use crate::error::Error;
use crate::hash::FastMap;
use crate::intern::Interner;
use crate::lex::{LexError, Lexer, Tag, Token};
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
    /// `None` when it has none (the common case: no shared empty set to count references on).
    pub facets: Option<Arc<Facets>>,
    pub hidden: bool,
    pub secured: bool,
    pub command: bool,
    pub default: Option<DefaultValue>,
}

impl RawSyntax {
    fn new() -> Self {
        RawSyntax {
            base_type: None,
            data_type: None,
            list: None,
            facets: None,
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
    lex: Lexer<'a>,
    /// The document text the lexer reads.
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
    scratch: Option<Box<Facets>>,
    /// The syntaxes parsed so far by their attribute flags and the text of their content.
    syntax_texts: FastMap<SyntaxText<'a>, u32>,
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
    // TR-181 2.17 (4.1 MB) has 2,151 distinct strings, 877 sets of facets and 1,208
    // distinct syntax texts: room for a little more, so that the tables never grow
    interner.reserve(text.len() / 1600, text.len() / 4000);
    let mut p = Parser {
        lex: Lexer::new(text),
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
            // the names of the objects and parameters (see `Parser::keep`): TR-181 2.17
            // has 119 kB of them
            extra: String::with_capacity(text.len() / 32),
            ..RawDoc::default()
        },
        attrs: Vec::new(),
        scratch: None,
        syntax_texts: FastMap::with_capacity_and_hasher(text.len() / 3000, Default::default()),
    };
    p.document().map_err(|e| *e)?;
    Ok(p.doc)
}

/// Appends `raw` to `out` with its references replaced: the five predefined entities,
/// character references, and the internal entities of the DOCTYPE (their expansion counted in
/// `expanded`, bounded by [`MAX_ENTITY_EXPANSION`]).
fn unescape_into(
    raw: &str,
    entities: &HashMap<String, String>,
    expanded: &mut usize,
    out: &mut String,
) -> Result<(), String> {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let after = rest.get(amp + 1..).unwrap_or("");
        let Some(semi) = after.find(';') else {
            return Err("a reference without ';'".to_owned());
        };
        let name = after.get(..semi).unwrap_or("");
        rest = after.get(semi + 1..).unwrap_or("");
        let predefined = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        };
        if let Some(c) = predefined {
            out.push(c);
        } else if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix('x') {
                Some(hex) if hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()
                }
                None if num.bytes().all(|b| b.is_ascii_digit()) => num.parse::<u32>().ok(),
                _ => None,
            };
            match code.and_then(char::from_u32).filter(|&c| c != '\0') {
                Some(c) => out.push(c),
                None => return Err(format!("a bad character reference &{name};")),
            }
        } else if let Some(text) = entities.get(name) {
            *expanded += text.len();
            if *expanded > MAX_ENTITY_EXPANSION {
                return Err("too much entity text".to_owned());
            }
            out.push_str(text);
        } else {
            return Err(format!("an unknown entity &{name};"));
        }
    }
    out.push_str(rest);
    Ok(())
}

/// A syntax's attribute flags and the text of its content, compared in full but hashed
/// by their length and the ends of the text (its first and last 32 bytes): syntax texts
/// are a few hundred bytes, and those that share both ends and the length are rare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SyntaxText<'a>(u8, &'a [u8]);

impl std::hash::Hash for SyntaxText<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let t = self.1;
        state.write_u8(self.0);
        state.write_usize(t.len());
        state.write(t.get(..32).unwrap_or(t));
        state.write(t.get(t.len().saturating_sub(32)..).unwrap_or(t));
    }
}

fn parse_bool(s: &str) -> bool {
    matches!(s, "true" | "1")
}

impl<'a> Parser<'a, '_> {
    fn err(&self, message: impl Into<String>) -> Box<Error> {
        Box::new(Error::Xml {
            file: self.file.to_owned(),
            offset: self.lex.position() as u64,
            message: message.into(),
        })
    }

    fn lex_err(&self, e: LexError) -> Box<Error> {
        Box::new(if e.limit {
            Error::Limit {
                file: self.file.to_owned(),
                what: "element depth",
            }
        } else {
            Error::Xml {
                file: self.file.to_owned(),
                offset: e.at as u64,
                message: e.what.to_owned(),
            }
        })
    }

    fn next(&mut self) -> PResult<Token<'a>> {
        self.lex.next().map_err(|e| self.lex_err(e))
    }

    /// Skips the content of an element whose start tag was just read.
    fn skip(&mut self) -> PResult<()> {
        self.lex.skip().map_err(|e| self.lex_err(e))
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

    /// The span of a copy of the text of `span` in the side buffer: object and parameter
    /// names are read again when the models are assembled, long after the parser has left
    /// them, and the side buffer holds them one after the other instead of scattered
    /// through the whole document.
    fn keep(&mut self, span: Span) -> Span {
        if span.extra {
            return span;
        }
        let t = span_str(self.src, "", span);
        let start = self.doc.extra.len();
        self.doc.extra.push_str(t);
        Span {
            start: start as u32,
            end: self.doc.extra.len() as u32,
            extra: true,
        }
    }

    /// A number attribute.
    fn number<T: std::str::FromStr>(&self, span: Span) -> Option<T> {
        self.text(span).trim().parse().ok()
    }

    /// Reads the attributes of the last tag into `self.attrs` (local names, namespace
    /// declarations left out); values with references are unescaped into the side buffer.
    fn read_attrs(&mut self) -> PResult<()> {
        self.attrs.clear();
        let src = self.src;
        let mut amp = false;
        for a in self.lex.attrs() {
            if a.xmlns {
                continue;
            }
            amp |= a.amp;
            let name = src.as_bytes().get(a.local..a.key.end).unwrap_or(&[]);
            self.attrs.push((
                name,
                Span {
                    start: a.value.start as u32,
                    end: a.value.end as u32,
                    extra: false,
                },
            ));
        }
        if amp {
            self.unescape_attrs()?;
        }
        Ok(())
    }

    /// Unescapes the attribute values of the last tag that hold references into the side
    /// buffer, and points their spans there.
    fn unescape_attrs(&mut self) -> PResult<()> {
        let src = self.src;
        let mut at = 0;
        let mut i = 0;
        while let Some(a) = self.lex.attrs().get(i) {
            i += 1;
            if a.xmlns {
                continue;
            }
            at += 1;
            if !a.amp {
                continue;
            }
            let raw = src.get(a.value.clone()).unwrap_or("");
            let start = self.doc.extra.len();
            unescape_into(raw, &self.entities, &mut self.expanded, &mut self.doc.extra)
                .map_err(|what| self.err(format!("bad attribute value: {what}")))?;
            if let Some(slot) = self.attrs.get_mut(at - 1) {
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
                Token::DocType(t) => self.doctype(t),
                Token::Start(e) => {
                    if e.local() != b"document" || !self.is_dm_namespace(e) {
                        return Err(Box::new(Error::NotDataModel {
                            file: self.file.to_owned(),
                        }));
                    }
                    return self.document_body();
                }
                Token::Empty(e) => {
                    if e.local() != b"document" || !self.is_dm_namespace(e) {
                        return Err(Box::new(Error::NotDataModel {
                            file: self.file.to_owned(),
                        }));
                    }
                    return Ok(());
                }
                Token::Eof => {
                    return Err(Box::new(Error::NotDataModel {
                        file: self.file.to_owned(),
                    }));
                }
                Token::Text(t) if t.iter().any(|b| !b.is_ascii_whitespace()) => {
                    return Err(self.err("text outside the root element"));
                }
                _ => {}
            }
        }
    }

    fn is_dm_namespace(&self, e: Tag<'a>) -> bool {
        let src = self.src.as_bytes();
        let prefix = e.prefix();
        for a in self.lex.attrs().iter().filter(|a| a.xmlns) {
            let key = src.get(a.key.clone()).unwrap_or(&[]);
            let matches = match prefix {
                Some(p) => key.strip_prefix(b"xmlns:") == Some(p),
                None => key == b"xmlns",
            };
            if matches {
                let value = src.get(a.value.clone()).unwrap_or(&[]);
                return value.starts_with(NS_PREFIX.as_bytes());
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
            let (e, has_body) = match ev {
                Token::Start(e) => (e, true),
                Token::Empty(e) => (e, false),
                Token::End => return Ok(()),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if has_body {
                self.enter()?;
            }
            match e.local() {
                b"import" => {
                    let imp = self.import(has_body)?;
                    self.doc.imports.push(imp);
                }
                b"dataType" => {
                    let dt = self.data_type(has_body)?;
                    self.doc.data_types.push(dt);
                }
                b"component" => {
                    let c = self.component(has_body)?;
                    self.doc.components.push(c);
                }
                b"model" => {
                    let m = self.model(has_body)?;
                    self.doc.models.push(m);
                }
                _ => {
                    if has_body {
                        self.skip()?;
                    }
                }
            }
            if has_body {
                self.depth -= 1;
            }
        }
    }

    fn import(&mut self, has_body: bool) -> PResult<RawImport> {
        let mut imp = RawImport::default();
        self.read_attrs()?;
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
            let (c, c_body) = match ev {
                Token::Start(c) => (c, true),
                Token::Empty(c) => (c, false),
                Token::End => return Ok(imp),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            let kind = match c.local() {
                b"dataType" => Some(ImportKind::DataType),
                b"component" => Some(ImportKind::Component),
                b"model" => Some(ImportKind::Model),
                _ => None,
            };
            if let Some(kind) = kind {
                self.read_attrs()?;
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
                self.skip()?;
            }
        }
    }

    fn data_type(&mut self, has_body: bool) -> PResult<RawDataType> {
        self.read_attrs()?;
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
        let mut syntax = RawSyntax::new();
        if has_body {
            self.syntax_body(&mut syntax)?;
        }
        Ok(RawDataType {
            name: name.unwrap_or_else(|| self.interner.str("")),
            base,
            syntax,
        })
    }

    /// The content of the `<syntax>` element just started (whose attributes made
    /// `syn`), through its end tag: the index of its syntax in [`RawDoc::syntaxes`].
    ///
    /// Parameters often have syntaxes written byte for byte the same (TR-181 2.17: 6,483
    /// syntaxes, 1,208 distinct texts): a text seen before, with the same attributes, is the
    /// syntax parsed then. Only texts that were parsed whole are remembered, so a text that
    /// matches one ends where that one ended (the first `</syntax>` after the start tag is
    /// the real end tag of any well-formed text that could match).
    fn syntax_element(&mut self, mut syn: RawSyntax) -> PResult<u32> {
        let flags = u8::from(syn.hidden) | u8::from(syn.secured) << 1 | u8::from(syn.command) << 2;
        let content = self.lex.raw_content();
        if let Some((text, after)) = content {
            if let Some(&at) = self.syntax_texts.get(&SyntaxText(flags, text)) {
                self.lex.close_at(after);
                return Ok(at);
            }
        }
        self.syntax_body(&mut syn)?;
        let at = self.doc.syntaxes.len() as u32;
        self.doc.syntaxes.push(syn);
        if let Some((text, after)) = content {
            if self.lex.position() == after {
                self.syntax_texts.insert(SyntaxText(flags, text), at);
            }
        }
        Ok(at)
    }

    /// Content of `<syntax>` or `<dataType>`: a primitive element, `list`, `dataType ref`,
    /// `default`, or (in a derived data type) bare facets.
    fn syntax_body(&mut self, syn: &mut RawSyntax) -> PResult<()> {
        // the scratch facets move as a pointer (a nested syntax, if any, gets its own)
        let mut facets = self.scratch.take().unwrap_or_default();
        facets.clear();
        let r = self.syntax_children(syn, &mut facets);
        syn.facets = (!facets.is_empty()).then(|| self.interner.facets(&facets));
        self.scratch = Some(facets);
        r
    }

    fn syntax_children(&mut self, syn: &mut RawSyntax, facets: &mut Facets) -> PResult<()> {
        loop {
            let ev = self.next()?;
            let (e, has_body) = match ev {
                Token::Start(e) => (e, true),
                Token::Empty(e) => (e, false),
                Token::End => return Ok(()),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            let lname = e.local();
            if has_body {
                self.enter()?;
            }
            if let Some(bt) = primitive(lname) {
                syn.base_type = Some(bt);
                self.type_facets(has_body, facets)?;
            } else if lname == b"dataType" {
                self.read_attrs()?;
                let attrs = std::mem::take(&mut self.attrs);
                for &(k, v) in &attrs {
                    if k == b"ref" || k == b"base" {
                        syn.data_type = Some(self.intern(v));
                    }
                }
                self.attrs = attrs;
                self.type_facets(has_body, facets)?;
            } else if lname == b"list" {
                let mut list = ListFacet::default();
                self.read_attrs()?;
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
                self.read_attrs()?;
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
                    self.skip()?;
                }
            } else if self.facet(e, facets)? {
                if has_body {
                    self.skip()?;
                }
            } else if has_body {
                self.skip()?;
            }
            if has_body {
                self.depth -= 1;
            }
        }
    }

    /// Attributes and facet children of a primitive-type or `dataType ref` element.
    fn type_facets(&mut self, has_body: bool, facets: &mut Facets) -> PResult<()> {
        // shorthand attributes sometimes used on primitive elements
        let mut size = SizeFacet::default();
        self.read_attrs()?;
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
                Token::Start(e) => {
                    self.facet(e, facets)?;
                    self.skip()?;
                }
                Token::Empty(e) => {
                    self.facet(e, facets)?;
                }
                Token::End => return Ok(()),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => {}
            }
        }
    }

    /// Records a facet element; returns whether it was one.
    fn facet(&mut self, e: Tag<'a>, facets: &mut Facets) -> PResult<bool> {
        let lname = e.local();
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
        self.read_attrs()?;
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

    fn component(&mut self, has_body: bool) -> PResult<RawComponent> {
        let mut c = RawComponent::default();
        self.read_attrs()?;
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

    fn model(&mut self, has_body: bool) -> PResult<RawModel> {
        let mut m = RawModel::default();
        self.read_attrs()?;
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
            let (e, has_body) = match ev {
                Token::Start(e) => (e, true),
                Token::Empty(e) => (e, false),
                Token::End => return Ok(()),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if has_body {
                self.enter()?;
            }
            match e.local() {
                b"object" => self.object(has_body)?,
                b"parameter" => {
                    let p = self.parameter(has_body)?;
                    self.push(Item::Parameter(p))?;
                }
                b"component" => {
                    let mut name = String::new();
                    let mut path = String::new();
                    self.read_attrs()?;
                    for &(k, v) in &self.attrs {
                        match k {
                            b"ref" => name = self.text(v).to_owned(),
                            b"path" => path = self.text(v).to_owned(),
                            _ => {}
                        }
                    }
                    self.push(Item::Component { name, path })?;
                    if has_body {
                        self.skip()?;
                    }
                }
                b"uniqueKey" if owner.is_some() => {
                    let mut key = UniqueKey {
                        functional: true,
                        parameters: Vec::new(),
                    };
                    self.read_attrs()?;
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
                        self.skip()?;
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

    fn object(&mut self, has_body: bool) -> PResult<()> {
        let mut o = RawObject::default();
        self.read_attrs()?;
        let attrs = std::mem::take(&mut self.attrs);
        for &(k, v) in &attrs {
            match k {
                b"name" => o.name = Some(self.keep(v)),
                b"base" => o.base = Some(self.keep(v)),
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
            let (c, c_body) = match ev {
                Token::Start(c) => (c, true),
                Token::Empty(c) => (c, false),
                Token::End => return Ok(()),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if c.local() == b"parameter" {
                self.read_attrs()?;
                let attrs = std::mem::take(&mut self.attrs);
                for &(k, v) in &attrs {
                    if k == b"ref" {
                        key.parameters.push(self.intern(v));
                    }
                }
                self.attrs = attrs;
            }
            if c_body {
                self.skip()?;
            }
        }
    }

    fn parameter(&mut self, has_body: bool) -> PResult<RawParameter> {
        let mut p = RawParameter::default();
        self.read_attrs()?;
        let attrs = std::mem::take(&mut self.attrs);
        for &(k, v) in &attrs {
            match k {
                b"name" => p.name = Some(self.keep(v)),
                b"base" => p.base = Some(self.keep(v)),
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
            let (c, c_body) = match ev {
                Token::Start(c) => (c, true),
                Token::Empty(c) => (c, false),
                Token::End => return Ok(p),
                Token::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if c.local() == b"syntax" {
                let mut syn = RawSyntax::new();
                self.read_attrs()?;
                for &(k, v) in &self.attrs {
                    match k {
                        b"hidden" => syn.hidden = parse_bool(self.text(v)),
                        b"secured" => syn.secured = parse_bool(self.text(v)),
                        b"command" => syn.command = parse_bool(self.text(v)),
                        _ => {}
                    }
                }
                if !c_body {
                    p.syntax = Some(self.doc.syntaxes.len() as u32);
                    self.doc.syntaxes.push(syn);
                    continue;
                }
                self.enter()?;
                p.syntax = Some(self.syntax_element(syn)?);
                self.depth -= 1;
            } else if c_body {
                self.skip()?;
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

    #[test]
    fn markup_the_reader_passes_over() {
        // a byte-order mark, a declaration, comments and instructions, a description with
        // nested markup and CDATA holding what looks like an end tag, an unknown element
        let text = "\u{feff}<?xml version=\"1.0\"?><!-- head -->\n\
            <dm:document xmlns:dm=\"urn:broadband-forum-org:cwmp:datamodel-1-14\">\
            <model name=\"Device:2.17\"><?pi x?><object name=\"Device.\" access=\"readOnly\">\
            <description>a <b>bold</b> <![CDATA[</object>]]> &amp; {{param}}</description>\
            <!-- <parameter name=\"No\"/> --><x-vendor a='1'><y/></x-vendor>\
            <parameter name=\"T\" access=\"readWrite\"><syntax><string><size maxLength='9'/>\
            </string></syntax></parameter></object></model></dm:document>\n";
        let s = Schema::from_str("a.xml", text, &NoImports).unwrap();
        let names: Vec<_> = s.iter().map(|d| d.path().as_str().to_owned()).collect();
        assert_eq!(names, ["Device.", "Device.T"]);
        let p = s.lookup("Device.T").unwrap().as_parameter().unwrap();
        assert_eq!(p.syntax.max_length(), Some(9));
        // the same document with an end tag that does not match its start tag
        let bad = text.replace("</x-vendor>", "</x-vendr>");
        let e = Schema::from_str("a.xml", &bad, &NoImports).unwrap_err();
        let at = bad.find("</x-vendr>").unwrap() as u64;
        assert!(
            matches!(&e, Error::Xml { offset, .. } if *offset == at),
            "{e:?}"
        );
    }

    #[test]
    fn repeated_syntax_texts_parse_the_same() {
        // the same syntax text three times (the second and third are the first's), once
        // with other attributes, and a text whose comment holds what looks like its end tag
        let text = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14"><model name="Device:2.17">
<object name="Device." access="readOnly">
<parameter name="A" access="readWrite"><syntax><string><size maxLength="8"/></string></syntax></parameter>
<parameter name="B" access="readWrite"><syntax><string><size maxLength="8"/></string></syntax></parameter>
<parameter name="C" access="readWrite"><syntax hidden="true"><string><size maxLength="8"/></string></syntax></parameter>
<parameter name="D" access="readWrite"><syntax><string><size maxLength="8"/></string><!-- </syntax> --><default type="object" value="x"/></syntax></parameter>
<parameter name="E" access="readWrite"><syntax><string><size maxLength="8"/></string><!-- </syntax> --><default type="object" value="x"/></syntax></parameter>
<parameter name="F" access="readWrite"><syntax><string><size maxLength="8"/></string></syntax></parameter>
</object></model></document>"#;
        let s = Schema::from_str("a.xml", text, &NoImports).unwrap();
        let p = |n: &str| s.lookup(n).unwrap().as_parameter().unwrap().clone();
        for n in ["Device.A", "Device.B", "Device.F"] {
            let syn = p(n).syntax;
            assert_eq!(syn.max_length(), Some(8), "{n}");
            assert!(!syn.hidden && syn.default.is_none(), "{n}");
        }
        assert!(p("Device.C").syntax.hidden);
        for n in ["Device.D", "Device.E"] {
            let syn = p(n).syntax;
            assert_eq!(syn.max_length(), Some(8), "{n}");
            assert_eq!(syn.default.as_ref().map(|d| &*d.value), Some("x"), "{n}");
        }
    }
}
