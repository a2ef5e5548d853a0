//! Reading one BBF data-model XML document into its raw parts (imports, data types,
//! components, models). Assembly into a [`Schema`](crate::Schema) is in `build.rs`.
//!
//! Bounded and panic-free: the input size is limited, unknown elements (and every
//! `description`) are skipped without being interpreted, the only DTD content honoured is
//! internal `<!ENTITY name "text">` declarations (at most [`MAX_ENTITIES`], no nesting, no
//! external entities), so there is no entity expansion blow-up.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::Error;
use crate::types::{
    Access, ActiveNotify, BaseType, DefaultValue, EnumerationFacet, EnumerationRefFacet, Facets,
    InstanceRefFacet, ListFacet, PathRefFacet, PatternFacet, RangeFacet, SizeFacet, Status, Syntax,
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

#[derive(Debug, Default)]
pub(crate) struct RawDoc {
    pub imports: Vec<RawImport>,
    pub data_types: Vec<RawDataType>,
    pub components: Vec<RawComponent>,
    pub models: Vec<RawModel>,
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

#[derive(Debug, Default)]
pub(crate) struct RawDataType {
    pub name: String,
    pub base: Option<String>,
    pub syntax: RawSyntax,
}

#[derive(Debug, Default)]
pub(crate) struct RawComponent {
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Default)]
pub(crate) struct RawModel {
    pub name: String,
    pub base: Option<String>,
    pub is_service: bool,
    pub items: Vec<Item>,
}

#[derive(Debug)]
pub(crate) enum Item {
    Object(RawObject),
    Parameter(Box<RawParameter>),
    Component { name: String, path: String },
}

#[derive(Debug, Default)]
pub(crate) struct RawObject {
    pub name: Option<String>,
    pub base: Option<String>,
    pub access: Option<Access>,
    pub min_entries: Option<u32>,
    /// `Some(None)` = unbounded
    pub max_entries: Option<Option<u32>>,
    pub num_entries_parameter: Option<String>,
    pub enable_parameter: Option<String>,
    pub unique_keys: Vec<UniqueKey>,
    pub status: Option<Status>,
    pub version: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Debug, Default)]
pub(crate) struct RawParameter {
    pub name: Option<String>,
    pub base: Option<String>,
    pub access: Option<Access>,
    pub active_notify: Option<ActiveNotify>,
    pub forced_inform: Option<bool>,
    pub status: Option<Status>,
    pub version: Option<String>,
    pub syntax: Option<RawSyntax>,
}

/// A syntax as written: a primitive type or a reference to a named type, plus facets.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawSyntax {
    pub base_type: Option<BaseType>,
    pub data_type: Option<String>,
    pub list: Option<ListFacet>,
    pub facets: Facets,
    pub hidden: bool,
    pub secured: bool,
    pub command: bool,
    pub default: Option<DefaultValue>,
}

impl RawSyntax {
    pub(crate) fn into_syntax(self) -> Syntax {
        Syntax {
            base_type: self.base_type.unwrap_or_default(),
            data_type: self.data_type,
            type_chain: Vec::new(),
            list: self.list,
            facets: self.facets,
            inherited: Vec::new(),
            hidden: self.hidden,
            secured: self.secured,
            command: self.command,
            default: self.default,
        }
    }
}

struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    /// The document text the reader reads.
    src: &'a str,
    file: &'a str,
    entities: HashMap<String, String>,
    /// Bytes of entity text expanded so far (bounded by [`MAX_ENTITY_EXPANSION`]).
    expanded: std::cell::Cell<usize>,
    depth: usize,
}

/// Parses one document.
pub(crate) fn parse_document(file: &str, text: &str) -> Result<RawDoc, Error> {
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
        expanded: std::cell::Cell::new(0),
        depth: 0,
    };
    p.document()
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

impl<'a> Parser<'a> {
    fn err(&self, message: impl Into<String>) -> Error {
        Error::Xml {
            file: self.file.to_owned(),
            offset: self.reader.buffer_position(),
            message: message.into(),
        }
    }

    fn xml_err(&self, e: quick_xml::Error) -> Error {
        Error::Xml {
            file: self.file.to_owned(),
            offset: self.reader.error_position(),
            message: e.to_string(),
        }
    }

    fn next(&mut self) -> Result<Event<'a>, Error> {
        self.reader.read_event().map_err(|e| self.xml_err(e))
    }

    /// Skips the content of an element whose Start event was just read.
    fn skip(&mut self, start: &BytesStart<'_>) -> Result<(), Error> {
        match self.reader.read_to_end(start.name()) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.xml_err(e)),
        }
    }

    /// Calls `f` with the local name and unescaped value of each attribute of `e` (no
    /// allocation unless a value holds an entity reference).
    fn each_attr(
        &self,
        e: &BytesStart<'_>,
        mut f: impl FnMut(&[u8], Cow<'_, str>),
    ) -> Result<(), Error> {
        let mut attrs = e.attributes();
        // duplicate attributes are harmless here (the last one wins): skip the O(n²) check
        attrs.with_checks(false);
        for a in attrs {
            let a = a.map_err(|err| self.err(format!("bad attribute: {err}")))?;
            let key = a.key.as_ref();
            if key.starts_with(b"xmlns") {
                continue;
            }
            // a value without references is a slice of the (valid UTF-8) text: borrow it
            // without decoding it again
            let plain = match &a.value {
                Cow::Borrowed(raw) if !raw.contains(&b'&') => self.source_slice(raw),
                _ => None,
            };
            if let Some(v) = plain {
                f(local(key), Cow::Borrowed(v));
                continue;
            }
            let value = a
                .unescape_value_with(|name| {
                    quick_xml::escape::resolve_predefined_entity(name).or_else(|| {
                        let v = self.entities.get(name)?;
                        let total = self.expanded.get() + v.len();
                        self.expanded.set(total);
                        (total <= MAX_ENTITY_EXPANSION).then_some(v.as_str())
                    })
                })
                .map_err(|err| self.err(format!("bad attribute value: {err}")))?;
            f(local(key), value);
        }
        Ok(())
    }

    /// `raw` as the `&str` it is within the document text, if it is a slice of it.
    fn source_slice(&self, raw: &[u8]) -> Option<&'a str> {
        let start = (raw.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let s = self.src.get(start..start.checked_add(raw.len())?)?;
        (s.as_ptr() == raw.as_ptr()).then_some(s)
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::Limit {
                file: self.file.to_owned(),
                what: "element depth",
            });
        }
        Ok(())
    }

    fn document(&mut self) -> Result<RawDoc, Error> {
        loop {
            match self.next()? {
                Event::DocType(t) => self.doctype(&t),
                Event::Start(e) => {
                    if local(e.name().as_ref()) != b"document" || !self.is_dm_namespace(&e) {
                        return Err(Error::NotDataModel {
                            file: self.file.to_owned(),
                        });
                    }
                    let mut doc = RawDoc::default();
                    self.document_body(&mut doc)?;
                    return Ok(doc);
                }
                Event::Empty(e) => {
                    if local(e.name().as_ref()) != b"document" || !self.is_dm_namespace(&e) {
                        return Err(Error::NotDataModel {
                            file: self.file.to_owned(),
                        });
                    }
                    return Ok(RawDoc::default());
                }
                Event::Eof => {
                    return Err(Error::NotDataModel {
                        file: self.file.to_owned(),
                    });
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

    fn document_body(&mut self, doc: &mut RawDoc) -> Result<(), Error> {
        loop {
            match self.next()? {
                Event::Start(e) => {
                    self.enter()?;
                    match local(e.name().as_ref()) {
                        b"import" => {
                            let imp = self.import(&e, true)?;
                            doc.imports.push(imp);
                        }
                        b"dataType" => {
                            let dt = self.data_type(&e, true)?;
                            doc.data_types.push(dt);
                        }
                        b"component" => {
                            let c = self.component(&e, true)?;
                            doc.components.push(c);
                        }
                        b"model" => {
                            let m = self.model(&e, true)?;
                            doc.models.push(m);
                        }
                        _ => self.skip(&e)?,
                    }
                    self.depth -= 1;
                }
                Event::Empty(e) => match local(e.name().as_ref()) {
                    b"import" => {
                        let imp = self.import(&e, false)?;
                        doc.imports.push(imp);
                    }
                    b"dataType" => {
                        let dt = self.data_type(&e, false)?;
                        doc.data_types.push(dt);
                    }
                    b"component" => {
                        let c = self.component(&e, false)?;
                        doc.components.push(c);
                    }
                    b"model" => {
                        let m = self.model(&e, false)?;
                        doc.models.push(m);
                    }
                    _ => {}
                },
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => {}
            }
        }
    }

    fn import(&mut self, e: &BytesStart<'_>, has_body: bool) -> Result<RawImport, Error> {
        let mut imp = RawImport::default();
        self.each_attr(e, |k, v| {
            if k == b"file" {
                imp.file = v.into_owned();
            }
        })?;
        if !has_body {
            return Ok(imp);
        }
        loop {
            match self.next()? {
                ev @ (Event::Start(_) | Event::Empty(_)) => {
                    let (Event::Start(c) | Event::Empty(c)) = &ev else {
                        continue;
                    };
                    let kind = match local(c.name().as_ref()) {
                        b"dataType" => Some(ImportKind::DataType),
                        b"component" => Some(ImportKind::Component),
                        b"model" => Some(ImportKind::Model),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        let mut name = String::new();
                        let mut reference = None;
                        self.each_attr(c, |k, v| match k {
                            b"name" => name = v.into_owned(),
                            b"ref" => reference = Some(v.into_owned()),
                            _ => {}
                        })?;
                        let remote = reference.unwrap_or_else(|| name.clone());
                        imp.items.push((kind, name, remote));
                    }
                    if let Event::Start(c) = &ev {
                        self.skip(c)?;
                    }
                }
                Event::End(_) => return Ok(imp),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => {}
            }
        }
    }

    fn data_type(&mut self, e: &BytesStart<'_>, has_body: bool) -> Result<RawDataType, Error> {
        let mut dt = RawDataType::default();
        self.each_attr(e, |k, v| match k {
            b"name" => dt.name = v.into_owned(),
            b"base" => dt.base = Some(v.into_owned()),
            _ => {}
        })?;
        if has_body {
            self.syntax_body(&mut dt.syntax)?;
        }
        Ok(dt)
    }

    /// Content of `<syntax>` or `<dataType>`: a primitive element, `list`, `dataType ref`,
    /// `default`, or (in a derived data type) bare facets.
    fn syntax_body(&mut self, syn: &mut RawSyntax) -> Result<(), Error> {
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
            if let Some(bt) = BaseType::from_name(std::str::from_utf8(lname).unwrap_or("")) {
                syn.base_type = Some(bt);
                self.type_facets(e, has_body, &mut syn.facets)?;
            } else if lname == b"dataType" {
                self.each_attr(e, |k, v| {
                    if k == b"ref" || k == b"base" {
                        syn.data_type = Some(v.into_owned());
                    }
                })?;
                self.type_facets(e, has_body, &mut syn.facets)?;
            } else if lname == b"list" {
                let mut list = ListFacet::default();
                self.each_attr(e, |k, v| match k {
                    b"minItems" => list.min_items = v.trim().parse().ok(),
                    b"maxItems" => list.max_items = v.trim().parse().ok(),
                    b"nestedBrackets" => list.nested_brackets = Some(v.into_owned()),
                    _ => {}
                })?;
                if has_body {
                    let mut f = Facets::default();
                    self.facet_children(&mut f)?;
                    list.sizes = f.sizes;
                }
                syn.list = Some(list);
            } else if lname == b"default" {
                let mut kind = String::new();
                let mut value = None;
                self.each_attr(e, |k, v| match k {
                    b"type" => kind = v.into_owned(),
                    b"value" => value = Some(v.into_owned()),
                    _ => {}
                })?;
                if let Some(value) = value {
                    syn.default = Some(DefaultValue { kind, value });
                }
                if has_body {
                    self.skip(e)?;
                }
            } else if self.facet(e, &mut syn.facets)? {
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
    ) -> Result<(), Error> {
        // shorthand attributes sometimes used on primitive elements
        let mut size = SizeFacet::default();
        self.each_attr(e, |k, v| match k {
            b"minLength" => size.min_length = v.trim().parse().ok(),
            b"maxLength" => size.max_length = v.trim().parse().ok(),
            _ => {}
        })?;
        if size != SizeFacet::default() {
            facets.sizes.push(size);
        }
        if has_body {
            self.facet_children(facets)?;
        }
        Ok(())
    }

    fn facet_children(&mut self, facets: &mut Facets) -> Result<(), Error> {
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
    fn facet(&mut self, e: &BytesStart<'_>, facets: &mut Facets) -> Result<bool, Error> {
        match local(e.name().as_ref()) {
            b"size" => {
                let mut s = SizeFacet::default();
                self.each_attr(e, |k, v| match k {
                    b"minLength" => s.min_length = v.trim().parse().ok(),
                    b"maxLength" => s.max_length = v.trim().parse().ok(),
                    _ => {}
                })?;
                facets.sizes.push(s);
            }
            b"range" => {
                let mut r = RangeFacet::default();
                self.each_attr(e, |k, v| match k {
                    b"minInclusive" => r.min_inclusive = Some(v.trim().to_owned()),
                    b"maxInclusive" => r.max_inclusive = Some(v.trim().to_owned()),
                    b"step" => r.step = Some(v.trim().to_owned()),
                    _ => {}
                })?;
                facets.ranges.push(r);
            }
            b"enumeration" => {
                let mut en = EnumerationFacet {
                    value: String::new(),
                    read_only: false,
                    optional: false,
                };
                self.each_attr(e, |k, v| match k {
                    b"value" => en.value = v.into_owned(),
                    b"access" => en.read_only = v == "readOnly",
                    b"optional" => en.optional = parse_bool(&v),
                    _ => {}
                })?;
                facets.enumerations.push(en);
            }
            b"pattern" => {
                self.each_attr(e, |k, v| {
                    if k == b"value" {
                        facets.patterns.push(PatternFacet::new(v.into_owned()));
                    }
                })?;
            }
            b"units" => {
                self.each_attr(e, |k, v| {
                    if k == b"value" {
                        facets.units = Some(v.into_owned());
                    }
                })?;
            }
            b"pathRef" => {
                let mut r = PathRefFacet::default();
                self.each_attr(e, |k, v| match k {
                    b"refType" => r.ref_type = Some(v.into_owned()),
                    b"targetParent" => r.target_parent = Some(v.into_owned()),
                    b"targetType" => r.target_type = Some(v.into_owned()),
                    b"targetDataType" => r.target_data_type = Some(v.into_owned()),
                    _ => {}
                })?;
                facets.path_ref = Some(r);
            }
            b"instanceRef" => {
                let mut r = InstanceRefFacet::default();
                self.each_attr(e, |k, v| match k {
                    b"refType" => r.ref_type = Some(v.into_owned()),
                    b"targetParent" => r.target_parent = Some(v.into_owned()),
                    _ => {}
                })?;
                facets.instance_ref = Some(r);
            }
            b"enumerationRef" => {
                let mut r = EnumerationRefFacet::default();
                self.each_attr(e, |k, v| match k {
                    b"targetParam" => r.target_param = Some(v.into_owned()),
                    b"nullValue" => r.null_value = Some(v.into_owned()),
                    _ => {}
                })?;
                facets.enumeration_ref = Some(r);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn component(&mut self, e: &BytesStart<'_>, has_body: bool) -> Result<RawComponent, Error> {
        let mut c = RawComponent::default();
        self.each_attr(e, |k, v| {
            if k == b"name" {
                c.name = v.into_owned();
            }
        })?;
        if has_body {
            c.items = self.items()?;
        }
        Ok(c)
    }

    fn model(&mut self, e: &BytesStart<'_>, has_body: bool) -> Result<RawModel, Error> {
        let mut m = RawModel::default();
        self.each_attr(e, |k, v| match k {
            b"name" => m.name = v.into_owned(),
            b"base" => m.base = Some(v.into_owned()),
            b"isService" => m.is_service = parse_bool(&v),
            _ => {}
        })?;
        if has_body {
            m.items = self.items()?;
        }
        Ok(m)
    }

    /// Children of a model, component or object: objects, parameters, component references.
    fn items(&mut self) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        loop {
            let ev = self.next()?;
            let (e, has_body) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => return Ok(items),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if has_body {
                self.enter()?;
            }
            match local(e.name().as_ref()) {
                b"object" => items.push(Item::Object(self.object(e, has_body)?)),
                b"parameter" => items.push(Item::Parameter(self.parameter(e, has_body)?)),
                b"component" => {
                    let mut name = String::new();
                    let mut path = String::new();
                    self.each_attr(e, |k, v| match k {
                        b"ref" => name = v.into_owned(),
                        b"path" => path = v.into_owned(),
                        _ => {}
                    })?;
                    items.push(Item::Component { name, path });
                    if has_body {
                        self.skip(e)?;
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

    fn object(&mut self, e: &BytesStart<'_>, has_body: bool) -> Result<RawObject, Error> {
        let mut o = RawObject::default();
        self.each_attr(e, |k, v| match k {
            b"name" => o.name = Some(v.into_owned()),
            b"base" => o.base = Some(v.into_owned()),
            b"access" => o.access = Access::parse(&v),
            b"minEntries" => o.min_entries = v.trim().parse().ok(),
            b"maxEntries" => {
                o.max_entries = Some(if v == "unbounded" {
                    None
                } else {
                    v.trim().parse().ok()
                })
            }
            b"numEntriesParameter" => o.num_entries_parameter = Some(v.into_owned()),
            b"enableParameter" => o.enable_parameter = Some(v.into_owned()),
            b"status" => o.status = Status::parse(&v),
            b"version" => o.version = Some(v.into_owned()),
            _ => {}
        })?;
        if !has_body {
            return Ok(o);
        }
        loop {
            let ev = self.next()?;
            let (c, c_body) = match &ev {
                Event::Start(c) => (c, true),
                Event::Empty(c) => (c, false),
                Event::End(_) => return Ok(o),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => continue,
            };
            if c_body {
                self.enter()?;
            }
            match local(c.name().as_ref()) {
                b"parameter" => o.items.push(Item::Parameter(self.parameter(c, c_body)?)),
                b"object" => o.items.push(Item::Object(self.object(c, c_body)?)),
                b"component" => {
                    let mut name = String::new();
                    let mut path = String::new();
                    self.each_attr(c, |k, v| match k {
                        b"ref" => name = v.into_owned(),
                        b"path" => path = v.into_owned(),
                        _ => {}
                    })?;
                    o.items.push(Item::Component { name, path });
                    if c_body {
                        self.skip(c)?;
                    }
                }
                b"uniqueKey" => {
                    let mut key = UniqueKey {
                        functional: true,
                        parameters: Vec::new(),
                    };
                    self.each_attr(c, |k, v| {
                        if k == b"functional" {
                            key.functional = parse_bool(&v);
                        }
                    })?;
                    if c_body {
                        self.unique_key_params(&mut key)?;
                    }
                    o.unique_keys.push(key);
                }
                _ => {
                    if c_body {
                        self.skip(c)?;
                    }
                }
            }
            if c_body {
                self.depth -= 1;
            }
        }
    }

    fn unique_key_params(&mut self, key: &mut UniqueKey) -> Result<(), Error> {
        loop {
            match self.next()? {
                ev @ (Event::Start(_) | Event::Empty(_)) => {
                    let (Event::Start(c) | Event::Empty(c)) = &ev else {
                        continue;
                    };
                    if local(c.name().as_ref()) == b"parameter" {
                        self.each_attr(c, |k, v| {
                            if k == b"ref" {
                                key.parameters.push(v.into_owned());
                            }
                        })?;
                    }
                    if let Event::Start(c) = &ev {
                        self.skip(c)?;
                    }
                }
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.err("unexpected end of document")),
                _ => {}
            }
        }
    }

    fn parameter(
        &mut self,
        e: &BytesStart<'_>,
        has_body: bool,
    ) -> Result<Box<RawParameter>, Error> {
        let mut p = Box::<RawParameter>::default();
        self.each_attr(e, |k, v| match k {
            b"name" => p.name = Some(v.into_owned()),
            b"base" => p.base = Some(v.into_owned()),
            b"access" => p.access = Access::parse(&v),
            b"activeNotify" => p.active_notify = ActiveNotify::parse(&v),
            b"forcedInform" => p.forced_inform = Some(parse_bool(&v)),
            b"status" => p.status = Status::parse(&v),
            b"version" => p.version = Some(v.into_owned()),
            _ => {}
        })?;
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
                let syn = p.syntax.insert(RawSyntax::default());
                self.each_attr(c, |k, v| match k {
                    b"hidden" => syn.hidden = parse_bool(&v),
                    b"secured" => syn.secured = parse_bool(&v),
                    b"command" => syn.command = parse_bool(&v),
                    _ => {}
                })?;
                if c_body {
                    self.enter()?;
                    self.syntax_body(syn)?;
                    self.depth -= 1;
                }
            } else if c_body {
                self.skip(c)?;
            }
        }
    }
}
