//! Loading documents (with their imports) and assembling models into a [`Schema`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use cwmp_core::value::ValueType;

use crate::error::Error;
use crate::hash::FastMap;
use crate::index::{Index, Resume};
use crate::intern::Interner;
use crate::path::Path;
use crate::schema::{ModelInfo, Schema};
use crate::types::{
    DefaultValue, Facets, ListFacet, Node, ObjectDef, ParameterDef, Status, Syntax,
};
use crate::xml::{
    ImportKind, Item, RawDataType, RawDoc, RawObject, RawParameter, RawSyntax, Span,
    parse_document, span_str,
};

/// Most documents (including imports) one builder loads.
pub const MAX_DOCUMENTS: usize = 64;
/// Deepest chain of imports, component references, model bases or data-type bases followed.
pub const MAX_NESTING: usize = 32;
/// Most definitions one schema holds.
pub const MAX_DEFINITIONS: usize = 2_000_000;

/// Supplies the text of documents named by `<import file="...">`.
pub trait Loader {
    /// The text of the document `file` (a name as written in the import).
    fn load(&self, file: &str) -> std::io::Result<String>;
}

/// Loads imports from files in one directory.
#[derive(Debug, Clone)]
pub struct DirLoader {
    dir: PathBuf,
}

impl DirLoader {
    /// A loader resolving names relative to `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirLoader { dir: dir.into() }
    }
}

impl Loader for DirLoader {
    fn load(&self, file: &str) -> std::io::Result<String> {
        // only plain relative names: no absolute paths, no `..`
        let p = std::path::Path::new(file);
        if p.is_absolute()
            || p.components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "import outside the directory",
            ));
        }
        std::fs::read_to_string(self.dir.join(p))
    }
}

/// Loads imports from an in-memory map of name to text.
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    files: HashMap<String, String>,
}

impl MemoryLoader {
    /// An empty loader.
    pub fn new() -> Self {
        MemoryLoader::default()
    }

    /// Adds (or replaces) a document.
    pub fn insert(&mut self, file: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.files.insert(file.into(), text.into());
        self
    }
}

impl Loader for MemoryLoader {
    fn load(&self, file: &str) -> std::io::Result<String> {
        self.files
            .get(file)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such document"))
    }
}

/// A loader that has no documents: every import fails.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoImports;

impl Loader for NoImports {
    fn load(&self, _file: &str) -> std::io::Result<String> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "imports are not available",
        ))
    }
}

struct Doc<'t> {
    file: String,
    text: Cow<'t, str>,
    raw: RawDoc,
    top_level: bool,
    /// import file attribute -> doc index
    imports: Vec<Option<usize>>,
    data_types: FastMap<Arc<str>, usize>,
    components: FastMap<String, usize>,
    models: FastMap<String, usize>,
}

impl Doc<'_> {
    fn str(&self, span: Span) -> &str {
        span_str(&self.text, &self.raw.extra, span)
    }
}

/// The documents of a build, borrowed (`Schema::from_str`) or owned ([`SchemaBuilder`]),
/// with the strings and facets interned while parsing them.
#[derive(Default)]
pub(crate) struct Docs<'t> {
    docs: Vec<Doc<'t>>,
    by_file: HashMap<String, usize>,
    interner: Interner,
}

/// Collects documents, then [`build`](SchemaBuilder::build)s a [`Schema`] from the models of
/// the documents added directly (imported documents only supply what is referenced).
///
/// ```no_run
/// use cwmp_datamodel::SchemaBuilder;
/// let schema = SchemaBuilder::new()
///     .add_file("tr-181-2-17-0-cwmp-full.xml")?
///     .add_file("tr-098-1-8-0-full.xml")?
///     .build()?;
/// # Ok::<(), cwmp_datamodel::Error>(())
/// ```
#[derive(Default)]
pub struct SchemaBuilder {
    docs: Docs<'static>,
}

impl std::fmt::Debug for SchemaBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaBuilder")
            .field("documents", &self.docs.by_file.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

impl SchemaBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        SchemaBuilder::default()
    }

    /// Reads the file at `path`; its imports resolve relative to its directory.
    pub fn add_file(&mut self, path: impl AsRef<std::path::Path>) -> Result<&mut Self, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Load {
            file: name.clone(),
            message: e.to_string(),
        })?;
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        self.docs
            .add(base_name(&name), Cow::Owned(text), &DirLoader::new(dir))?;
        Ok(self)
    }

    /// Adds the document `text` named `file`; its imports are fetched from `loader`.
    pub fn add_document(
        &mut self,
        file: &str,
        text: &str,
        loader: &dyn Loader,
    ) -> Result<&mut Self, Error> {
        self.docs.add(file, Cow::Owned(text.to_owned()), loader)?;
        Ok(self)
    }

    /// Assembles every model of the documents added directly.
    pub fn build(&self) -> Result<Schema, Error> {
        self.docs.build()
    }
}

impl<'t> Docs<'t> {
    /// Adds a top-level document.
    pub(crate) fn add(
        &mut self,
        file: &str,
        text: Cow<'t, str>,
        loader: &dyn Loader,
    ) -> Result<(), Error> {
        let idx = self.load_doc(file, Some(text), loader, 0)?;
        if let Some(d) = self.docs.get_mut(idx) {
            d.top_level = true;
        }
        Ok(())
    }

    fn load_doc(
        &mut self,
        file: &str,
        text: Option<Cow<'t, str>>,
        loader: &dyn Loader,
        depth: usize,
    ) -> Result<usize, Error> {
        let key = base_name(file).to_owned();
        if let Some(&i) = self.by_file.get(&key) {
            return Ok(i);
        }
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: key,
                what: "import depth",
            });
        }
        if self.docs.len() >= MAX_DOCUMENTS {
            return Err(Error::Limit {
                file: key,
                what: "number of documents",
            });
        }
        let text = match text {
            Some(t) => t,
            None => Cow::Owned(loader.load(file).map_err(|e| Error::Load {
                file: file.to_owned(),
                message: e.to_string(),
            })?),
        };
        let raw = parse_document(&key, &text, &mut self.interner)?;
        let mut doc = Doc {
            file: key.clone(),
            text,
            raw,
            top_level: false,
            imports: Vec::new(),
            data_types: FastMap::default(),
            components: FastMap::default(),
            models: FastMap::default(),
        };
        doc.data_types.reserve(doc.raw.data_types.len());
        for (i, d) in doc.raw.data_types.iter().enumerate() {
            doc.data_types.entry(Arc::clone(&d.name)).or_insert(i);
        }
        for (i, c) in doc.raw.components.iter().enumerate() {
            doc.components.insert(c.name.clone(), i);
        }
        for (i, m) in doc.raw.models.iter().enumerate() {
            doc.models.insert(m.name.clone(), i);
        }
        let idx = self.docs.len();
        self.by_file.insert(key, idx);
        let wanted: Vec<(String, bool)> = doc
            .raw
            .imports
            .iter()
            .map(|imp| (imp.file.clone(), !imp.items.is_empty()))
            .collect();
        self.docs.push(doc);
        let mut imports = Vec::with_capacity(wanted.len());
        for (file, needed) in wanted {
            if !needed {
                // bibliography-only imports carry nothing a schema uses
                imports.push(None);
                continue;
            }
            imports.push(Some(self.load_doc(&file, None, loader, depth + 1)?));
        }
        if let Some(d) = self.docs.get_mut(idx) {
            d.imports = imports;
        }
        Ok(idx)
    }

    /// Resolves `name` of `kind` as seen from document `doc`: its own definitions, then its
    /// imports (with renaming), then any loaded document.
    fn find(
        &self,
        doc: usize,
        kind: ImportKind,
        name: &str,
        depth: usize,
    ) -> Option<(usize, usize)> {
        if let Some(found) = self.find_own(doc, kind, name) {
            return Some(found);
        }
        let d = self.docs.get(doc)?;
        if depth < MAX_NESTING {
            for (imp, target) in d.raw.imports.iter().zip(&d.imports) {
                let Some(target) = target else { continue };
                for (k, local, remote) in &imp.items {
                    if *k == kind && local == name {
                        if let Some(found) = self.find(*target, kind, remote, depth + 1) {
                            return Some(found);
                        }
                    }
                }
            }
            if depth == 0 {
                for i in 0..self.docs.len() {
                    if i != doc {
                        if let Some(found) = self.find_own(i, kind, name) {
                            return Some(found);
                        }
                    }
                }
            }
        }
        None
    }

    fn find_own(&self, doc: usize, kind: ImportKind, name: &str) -> Option<(usize, usize)> {
        let d = self.docs.get(doc)?;
        let own = match kind {
            ImportKind::DataType => d.data_types.get(name),
            ImportKind::Component => d.components.get(name),
            ImportKind::Model => d.models.get(name),
        };
        own.map(|&i| (doc, i))
    }

    /// Assembles every model of the documents added directly.
    pub(crate) fn build(&self) -> Result<Schema, Error> {
        let top = || self.docs.iter().filter(|d| d.top_level);
        // the items are the objects, the parameters and the component references
        let defs = top()
            .map(|d| d.raw.items.len())
            .sum::<usize>()
            .min(MAX_DEFINITIONS);
        let objects = top().map(|d| d.raw.objects.len()).sum::<usize>().min(defs);
        let params = defs - objects;
        let syntaxes: usize = top().map(|d| d.raw.syntaxes.len()).sum();
        let mut asm = Assembler {
            b: self,
            objects: Vec::with_capacity(objects),
            params: Vec::with_capacity(params),
            nodes: Vec::with_capacity(defs),
            // a key per definition and one per table (tables are among the objects);
            // TR-181 definition paths are about 60 bytes on average
            index: Index::with_capacity(defs + objects, defs * 64),
            dt_cache: FastMap::default(),
            syntaxes: FastMap::with_capacity_and_hasher(syntaxes, Default::default()),
            no_syntax: None,
            key: String::new(),
            norm: vec![0; Index::NORMAL_BUF],
            norm_key: None,
            resume: None,
            norms: Vec::with_capacity(objects * 64),
            paths: String::with_capacity(defs * 64),
            parents: Vec::with_capacity(defs),
            object_paths: Vec::with_capacity(objects),
            param_paths: Vec::with_capacity(params),
            text: Arc::new(OnceLock::new()),
        };
        let mut models = Vec::new();
        let mut services = Vec::new();
        for (di, d) in self.docs.iter().enumerate() {
            if !d.top_level {
                continue;
            }
            for (mi, m) in d.raw.models.iter().enumerate() {
                if m.is_service {
                    services.push((di, mi));
                    continue;
                }
                let before = asm.nodes.len();
                asm.model(di, mi, None, 0)?;
                let root = asm.root_since(before);
                models.push(ModelInfo {
                    name: m.name.clone(),
                    root,
                    is_service: false,
                    file: d.file.clone(),
                });
            }
        }
        let mounts: Vec<&str> = ["Device.", "InternetGatewayDevice."]
            .into_iter()
            .filter(|r| models.iter().any(|m| m.root == *r))
            .collect();
        for (di, mi) in services {
            let (Some(d), Some(m)) = (
                self.docs.get(di),
                self.docs.get(di).and_then(|d| d.raw.models.get(mi)),
            ) else {
                continue;
            };
            let before = asm.nodes.len();
            asm.model(di, mi, None, 0)?;
            let root = asm.root_since(before);
            for mount in &mounts {
                let at = asm.base_path(di, &format!("{mount}Services."))?;
                let prefix = Base {
                    at,
                    node: NO_NODE,
                    norm: None,
                };
                asm.model(di, mi, Some(prefix), 0)?;
            }
            models.push(ModelInfo {
                name: m.name.clone(),
                root,
                is_service: true,
                file: d.file.clone(),
            });
        }
        if models.is_empty() {
            return Err(Error::NoModel);
        }
        asm.set_paths();
        Ok(Schema::assemble(
            asm.objects,
            asm.params,
            asm.nodes,
            asm.parents,
            asm.index,
            models,
        ))
    }
}

/// Whether `tail`, appended to a key, continues its normal form byte for byte (see
/// [`Index::normal_after`]): it starts with an ASCII letter or `_` and has no `.` but
/// perhaps a last one, so it starts no instance segment (the bytes that do are those right
/// after a dot: digits and other punctuation, `[` and `{`). What else it holds is left
/// to the validation of the path.
fn continues_normal_form(tail: &[u8]) -> bool {
    let Some((&first, rest)) = tail.split_first() else {
        return false;
    };
    let body = rest.strip_suffix(b".").unwrap_or(rest);
    (first.is_ascii_alphabetic() || first == b'_') && memchr::memchr(b'.', body).is_none()
}

fn needs_definition_form(full: &str) -> bool {
    full.as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b'.', b'0'..=b'9' | b'[' | b'*']))
}

/// Whether `rel`, appended to a path in definition form, makes a path that is not.
fn rel_needs_definition_form(rel: &str) -> bool {
    let b = rel.as_bytes();
    if matches!(b.first(), Some(b'0'..=b'9' | b'[' | b'*')) {
        return true;
    }
    // most are one name: a dot is rare, and only a dot can start an instance segment
    match b.iter().position(|&c| c == b'.') {
        Some(dot) => needs_definition_form(rel.get(dot..).unwrap_or(rel)),
        None => false,
    }
}

/// Definitions name instances `{i}`; a definition written with an instance number, alias or
/// `*` is stored in that form, so that lookups (which rewrite instances to `{i}`) find it.
fn definition_form(full: String) -> String {
    if !needs_definition_form(&full) {
        return full;
    }
    match crate::path::PathRef::parse(&full) {
        Ok(p) => p.definition_key().as_str().to_owned(),
        Err(_) => full, // reported by make_path
    }
}

fn first_segment(path: &str) -> String {
    match path.find('.') {
        Some(i) => path.get(..=i).unwrap_or(path).to_owned(),
        None => path.to_owned(),
    }
}

/// A named data type, resolved: what every parameter of that type shares.
#[derive(Debug, Clone)]
struct Named {
    base_type: ValueType<'static>,
    /// The type and its bases, most derived first.
    chain: Arc<[Arc<str>]>,
    /// The non-empty facets of the type and its bases, most derived first.
    levels: Arc<[Arc<Facets>]>,
    list: Option<Arc<ListFacet>>,
    default: Option<DefaultValue>,
}

struct Assembler<'b, 't> {
    b: &'b Docs<'t>,
    objects: Vec<ObjectDef>,
    params: Vec<ParameterDef>,
    nodes: Vec<Node>,
    /// The definitions so far, by path (no table keys yet: see [`Schema::assemble`]).
    index: Index,
    dt_cache: FastMap<(usize, usize), Named>,
    /// The resolved syntaxes by document and raw syntax index: every parameter of the same
    /// syntax shares one.
    syntaxes: FastMap<(usize, u32), Arc<Syntax>>,
    /// The syntax of the parameters that have none.
    no_syntax: Option<Arc<Syntax>>,
    /// Scratch buffer for definition paths.
    key: String,
    /// The normal form of `self.key` for the index (see [`Index::normal`]), from
    /// [`Assembler::find_key`] ...
    norm: Vec<u8>,
    /// ... its length and hash (`None`: not a path of the index) ...
    norm_key: Option<(usize, u64)>,
    /// ... and where its normalisation was before the last word.
    resume: Option<Resume>,
    /// The normal forms of the objects that definitions are placed below, one after the
    /// other (see [`Base::norm`]).
    norms: Vec<u8>,
    /// The text of every definition path (and of the paths components and service models
    /// are placed at), one after the other: the definitions' paths become slices of one
    /// shared text at the end ([`Assembler::set_paths`]), not an allocation each.
    paths: String,
    /// The node index of the parent of each node, where [`Assembler::key_path`] knows
    /// it ([`NO_NODE`]: found by its path in [`Schema::assemble`]).
    parents: Vec<u32>,
    /// Where the path of each object, and of each parameter, is in `paths`.
    object_paths: Vec<TextAt>,
    param_paths: Vec<TextAt>,
    /// What `paths` becomes at the end ([`Assembler::set_paths`]): the definitions' paths
    /// share it from their creation on.
    text: Arc<OnceLock<String>>,
}

/// What [`Assembler::full_key`] knows of the key it made: how many of its leading bytes
/// are known to be a valid path, and whether those are the whole base (a partial path) and
/// the rest one plain ASCII name, with at most a last `.` ([`crate::path::is_plain_name`]).
#[derive(Debug, Clone, Copy)]
struct KeyMade {
    valid: usize,
    plain: bool,
}

/// Where a text is in [`Assembler::paths`]: its start and end.
type TextAt = (u32, u32);

/// What definitions are placed below: a path in [`Assembler::paths`], and the node index
/// of the object definition it is ([`NO_NODE`] for a component's or a service model's
/// place that is not known to be one).
#[derive(Debug, Clone, Copy)]
struct Base {
    at: TextAt,
    node: u32,
    /// Where the normal form of the path is in [`Assembler::norms`], and where its
    /// normalisation was before the last word: the key of a name below it is normalised
    /// from there ([`Index::normal_after`]), not from its start. `None` if not known.
    norm: Option<(TextAt, Resume)>,
}

/// No node index.
const NO_NODE: u32 = u32::MAX;

impl Assembler<'_, '_> {
    fn path_of(&self, n: Node) -> Option<&str> {
        let at = match n {
            Node::Object(i) => self.object_paths.get(i as usize),
            Node::Parameter(i) => self.param_paths.get(i as usize),
        };
        at.map(|&at| self.text(at))
    }

    /// The text at `at` of [`Assembler::paths`].
    fn text(&self, at: TextAt) -> &str {
        self.paths.get(at.0 as usize..at.1 as usize).unwrap_or("")
    }

    /// Appends `self.key` to `self.paths`; where it is there.
    fn store_key(&mut self, doc: usize) -> Result<TextAt, Error> {
        let start = self.paths.len();
        let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(start + self.key.len())) else {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "definition path text",
            });
        };
        self.paths.push_str(&self.key);
        Ok((s, e))
    }

    /// The base that the object at `at`, node index `node`, is for its children: only a
    /// partial path is known to be their parent. [`Assembler::find_key`] has just
    /// normalised the object's key: that normal form (the same as the one of the text at
    /// `at`), if there is one, is kept for the keys of the children.
    fn object_base(&mut self, at: TextAt, node: u32) -> Base {
        let partial = self.text(at).ends_with('.');
        Base {
            at,
            node: if partial { node } else { NO_NODE },
            norm: if partial { self.keep_norm() } else { None },
        }
    }

    /// Copies the normal form of `self.key` to [`Assembler::norms`]; where it is there
    /// and where its normalisation was before the last word.
    fn keep_norm(&mut self) -> Option<(TextAt, Resume)> {
        let ((n, _), resume) = (self.norm_key?, self.resume?);
        let start = u32::try_from(self.norms.len()).ok()?;
        let end = u32::try_from(self.norms.len() + n).ok()?;
        self.norms.extend_from_slice(self.norm.get(..n)?);
        Some(((start, end), resume))
    }

    /// Validates `name` as a path to place definitions below; where it is in `self.paths`.
    fn base_path(&mut self, doc: usize, name: &str) -> Result<TextAt, Error> {
        crate::path::validate(name).map_err(|error| Error::BadName {
            file: self.file(doc),
            name: name.to_owned(),
            error,
        })?;
        self.key.clear();
        self.key.push_str(name);
        self.store_key(doc)
    }

    /// Sets the text the definitions' paths are slices of.
    fn set_paths(&mut self) {
        // set only here: never set before
        let _ = self.text.set(std::mem::take(&mut self.paths));
    }

    /// The root object of the definitions added since `before`.
    fn root_since(&self, before: usize) -> String {
        self.nodes
            .get(before..)
            .unwrap_or(&[])
            .iter()
            .find(|n| matches!(n, Node::Object(_)))
            .and_then(|&n| self.path_of(n))
            .map(first_segment)
            .unwrap_or_default()
    }

    fn file(&self, doc: usize) -> String {
        self.b
            .docs
            .get(doc)
            .map(|d| d.file.clone())
            .unwrap_or_default()
    }

    fn model(
        &mut self,
        doc: usize,
        mi: usize,
        prefix: Option<Base>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "model base depth",
            });
        }
        let b = self.b;
        let Some(m) = b.docs.get(doc).and_then(|d| d.raw.models.get(mi)) else {
            return Ok(());
        };
        if let Some(base) = &m.base {
            let Some((bd, bm)) = b.find(doc, ImportKind::Model, base, 0) else {
                return Err(Error::Unresolved {
                    file: self.file(doc),
                    kind: "model",
                    name: base.clone(),
                });
            };
            self.model(bd, bm, prefix, depth + 1)?;
        }
        self.items(doc, m.items.clone(), prefix, depth)
    }

    /// Records the items in `range` of document `doc` below `base` (`None`: at the top).
    fn items(
        &mut self,
        doc: usize,
        range: Range<u32>,
        base: Option<Base>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "component nesting",
            });
        }
        let b = self.b;
        let Some(d) = b.docs.get(doc) else {
            return Ok(());
        };
        let mut i = range.start;
        while i < range.end {
            let Some(item) = d.raw.items.get(i as usize) else {
                break;
            };
            match item {
                &Item::Object(oi) => {
                    let Some(o) = d.raw.objects.get(oi as usize) else {
                        i += 1;
                        continue;
                    };
                    let end = o.end.clamp(i + 1, range.end);
                    if let Some(full) = self.object_def(doc, o, base)? {
                        self.items(doc, i + 1..end, Some(full), depth + 1)?;
                    }
                    i = end;
                }
                Item::Parameter(p) => {
                    self.parameter(doc, p, base)?;
                    i += 1;
                }
                Item::Component { name, path } => {
                    let Some((cd, ci)) = b.find(doc, ImportKind::Component, name, 0) else {
                        return Err(Error::Unresolved {
                            file: self.file(doc),
                            kind: "component",
                            name: name.clone(),
                        });
                    };
                    if let Some(c) = b.docs.get(cd).and_then(|d| d.raw.components.get(ci)) {
                        let base = base.map(|b| self.text(b.at)).unwrap_or_default();
                        let inner = format!("{base}{path}");
                        if inner.is_empty() {
                            self.items(cd, c.items.clone(), None, depth + 1)?;
                        } else {
                            let at = self.base_path(doc, &inner)?;
                            let inner = Base {
                                at,
                                node: NO_NODE,
                                norm: None,
                            };
                            self.items(cd, c.items.clone(), Some(inner), depth + 1)?;
                        }
                    }
                    i += 1;
                }
            }
        }
        Ok(())
    }

    /// The definition path of `rel` below `base` (instances in `{i}` form), in `self.key`;
    /// returns how many leading bytes of it are known to be a valid path.
    fn full_key(&mut self, base: Option<TextAt>, rel: &str) -> KeyMade {
        self.key.clear();
        let base = base
            .and_then(|at| self.paths.get(at.0 as usize..at.1 as usize))
            .unwrap_or_default();
        let rel = rel.trim();
        self.key.push_str(base);
        self.key.push_str(rel);
        // the common case: one name below a partial path, checked once for all that
        // follows (it is in definition form, and continues the base's normal form)
        if base.ends_with('.') && crate::path::is_plain_name(rel.as_bytes()) {
            return KeyMade {
                valid: base.len(),
                plain: true,
            };
        }
        // a base is in definition form already
        let check = if base.is_empty() {
            needs_definition_form(&self.key)
        } else {
            rel_needs_definition_form(rel)
        };
        let valid = if check {
            self.key = definition_form(std::mem::take(&mut self.key));
            0
        } else {
            base.len()
        };
        KeyMade {
            valid,
            plain: false,
        }
    }

    /// Validates `self.key` (only what follows its first `valid` bytes) and stores it in
    /// `self.paths`. Gives also the node index of its parent if `base` is its parent
    /// (when its own part is one plain name below a partial path), else [`NO_NODE`].
    fn key_path(
        &mut self,
        doc: usize,
        made: KeyMade,
        base: Option<Base>,
    ) -> Result<(TextAt, u32), Error> {
        let valid = made.valid;
        let checked = if made.plain {
            // what `validate_after_one` finds of a plain name after a valid partial path
            crate::path::validate_len(&self.key).map(|()| true)
        } else {
            crate::path::validate_after_one(&self.key, valid)
        };
        let one = checked.map_err(|error| Error::BadName {
            file: self.file(doc),
            name: self.key.clone(),
            error,
        })?;
        // `valid` is the length of the base when what follows was appended as written
        let parent = match base {
            Some(b) if one && valid == b.at.1.saturating_sub(b.at.0) as usize => b.node,
            _ => NO_NODE,
        };
        Ok((self.store_key(doc)?, parent))
    }

    /// The node index and node of the definition of `self.key`, if there is one.
    /// Leaves the normal form of `self.key` in `self.norm` for [`Assembler::insert`].
    /// `self.key` is the path of `base` followed by a text from byte `made.valid` on (as
    /// given by [`Assembler::full_key`]): when that is the whole path of `base` and the text
    /// starts no instance segment ([`continues_normal_form`]), the normalisation continues
    /// from that of `base`.
    fn find_key(&mut self, base: Option<Base>, made: KeyMade) -> Option<(u32, Node)> {
        let key = self.key.as_bytes();
        let valid = made.valid;
        let after = match base {
            Some(Base {
                at,
                norm: Some((norm, resume)),
                ..
            }) if valid == at.1.saturating_sub(at.0) as usize => key
                .get(valid..)
                .filter(|tail| made.plain || continues_normal_form(tail))
                .and_then(|tail| {
                    let norm = self.norms.get(norm.0 as usize..norm.1 as usize)?;
                    Some(Index::normal_after(
                        norm,
                        resume,
                        tail,
                        key.len(),
                        &mut self.norm,
                    ))
                }),
            _ => None,
        };
        let normal = match after {
            Some(n) => n,
            None => Index::normal_resumable(key, &mut self.norm),
        };
        debug_assert_eq!(
            normal.map(|(n, h, _)| (n, h)),
            Index::normal(key, &mut vec![0; Index::NORMAL_BUF]),
            "resumed normalisation of {}",
            self.key
        );
        self.norm_key = normal.map(|(n, h, _)| (n, h));
        self.resume = normal.and_then(|(_, _, r)| r);
        let (n, hash) = self.norm_key?;
        let i = self.index.find_normal(self.norm.get(..n)?, hash)?;
        Some((i, *self.nodes.get(i as usize)?))
    }

    /// Records the object definition `o`; returns its definition path (`None` when it has
    /// no name).
    fn object_def(
        &mut self,
        doc: usize,
        o: &RawObject,
        base: Option<Base>,
    ) -> Result<Option<Base>, Error> {
        let Some(d) = self.b.docs.get(doc) else {
            return Ok(None);
        };
        let Some(rel) = o.name.or(o.base) else {
            return Ok(None);
        };
        let made = self.full_key(base.map(|b| b.at), d.str(rel));
        let existing = self.find_key(base, made);
        if let Some((node, Node::Object(i))) = existing {
            let Some(def) = self.objects.get_mut(i as usize) else {
                return Ok(None);
            };
            if let Some(a) = o.access {
                def.access = a;
            }
            if let Some(m) = o.min_entries {
                def.min_entries = m;
            }
            if let Some(m) = o.max_entries {
                def.max_entries = m;
            }
            if o.num_entries_parameter.is_some() {
                def.num_entries_parameter
                    .clone_from(&o.num_entries_parameter);
            }
            if o.enable_parameter.is_some() {
                def.enable_parameter.clone_from(&o.enable_parameter);
            }
            if !o.unique_keys.is_empty() {
                def.unique_keys.clone_from(&o.unique_keys);
            }
            if let Some(s) = o.status {
                def.status = s;
            }
            return Ok(self
                .object_paths
                .get(i as usize)
                .copied()
                .map(|at| self.object_base(at, node)));
        }
        let (path, hint) = self.key_path(doc, made, base)?;
        let def = ObjectDef {
            path: Path::shared(&self.text, path.0..path.1),
            access: o.access.unwrap_or_default(),
            min_entries: o.min_entries.unwrap_or(1),
            max_entries: o.max_entries.unwrap_or(Some(1)),
            num_entries_parameter: o.num_entries_parameter.clone(),
            enable_parameter: o.enable_parameter.clone(),
            unique_keys: o.unique_keys.clone(),
            status: o.status.unwrap_or(Status::Current),
            version: o.version.clone(),
        };
        let at = self.objects.len() as u32;
        let node = existing.map_or(self.nodes.len() as u32, |e| e.0);
        self.insert(doc, Node::Object(at), existing.map(|e| e.0), hint)?;
        self.objects.push(def);
        self.object_paths.push(path);
        Ok(Some(self.object_base(path, node)))
    }

    /// Adds `node` under the path in `self.key` (just probed by [`Assembler::find_key`]);
    /// with `existing`, the node index of a definition of the same path (a parameter
    /// replaced by an object, or the other way round), it takes that one's place. `parent`
    /// is the node index of its parent if known, else [`NO_NODE`].
    fn insert(
        &mut self,
        doc: usize,
        node: Node,
        existing: Option<u32>,
        parent: u32,
    ) -> Result<(), Error> {
        if let Some(i) = existing {
            if let Some(slot) = self.nodes.get_mut(i as usize) {
                *slot = node;
            }
            self.index.replace(self.key.as_bytes(), node);
            return Ok(());
        }
        if self.nodes.len() >= MAX_DEFINITIONS {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "number of definitions",
            });
        }
        let i = self.nodes.len() as u32;
        self.nodes.push(node);
        self.parents.push(parent);
        match self
            .norm_key
            .and_then(|(n, h)| Some((self.norm.get(..n)?, h)))
        {
            Some((norm, hash)) => self.index.add_normal(norm, hash, i as usize, node),
            None => self.index.add(self.key.as_bytes(), i as usize, node),
        }
        Ok(())
    }

    /// Records the parameter definition `p`.
    fn parameter(&mut self, doc: usize, p: &RawParameter, base: Option<Base>) -> Result<(), Error> {
        let b = self.b;
        let Some(d) = b.docs.get(doc) else {
            return Ok(());
        };
        let Some(rel) = p.name.or(p.base) else {
            return Ok(());
        };
        let made = self.full_key(base.map(|b| b.at), d.str(rel));
        let syntax = match p.syntax {
            Some(si) => self.shared_syntax(doc, si)?,
            None => None,
        };
        let existing = self.find_key(base, made);
        if let Some((_, Node::Parameter(i))) = existing {
            if let Some(def) = self.params.get_mut(i as usize) {
                if let Some(a) = p.access {
                    def.access = a;
                }
                if let Some(a) = p.active_notify {
                    def.active_notify = a;
                }
                if let Some(f) = p.forced_inform {
                    def.forced_inform = f;
                }
                if let Some(s) = p.status {
                    def.status = s;
                }
                if let Some(s) = syntax {
                    def.syntax = s;
                }
            }
            return Ok(());
        }
        let (path, hint) = self.key_path(doc, made, base)?;
        let syntax = match syntax {
            Some(s) => s,
            None => {
                let i = &b.interner;
                let none = self.no_syntax.get_or_insert_with(|| {
                    Arc::new(Syntax {
                        facets: i.no_facets(),
                        type_chain: i.no_chain(),
                        inherited: i.no_levels(),
                        ..Syntax::default()
                    })
                });
                Arc::clone(none)
            }
        };
        let def = ParameterDef {
            path: Path::shared(&self.text, path.0..path.1),
            access: p.access.unwrap_or_default(),
            syntax,
            active_notify: p.active_notify.unwrap_or_default(),
            forced_inform: p.forced_inform.unwrap_or(false),
            status: p.status.unwrap_or_default(),
            version: p.version.clone(),
        };
        let at = self.params.len() as u32;
        self.insert(doc, Node::Parameter(at), existing.map(|e| e.0), hint)?;
        self.params.push(def);
        self.param_paths.push(path);
        Ok(())
    }

    /// The raw syntax `si` of document `doc`, resolved (once: shared by every parameter
    /// that uses it); `None` if there is no such syntax.
    fn shared_syntax(&mut self, doc: usize, si: u32) -> Result<Option<Arc<Syntax>>, Error> {
        if let Some(s) = self.syntaxes.get(&(doc, si)) {
            return Ok(Some(Arc::clone(s)));
        }
        let b = self.b;
        let Some(raw) = b
            .docs
            .get(doc)
            .and_then(|d| d.raw.syntaxes.get(si as usize))
        else {
            return Ok(None);
        };
        let s = Arc::new(self.resolve_syntax(doc, raw)?);
        self.syntaxes.insert((doc, si), Arc::clone(&s));
        Ok(Some(s))
    }

    /// The syntax of a parameter, with its named type resolved.
    fn resolve_syntax(&mut self, doc: usize, raw: &RawSyntax) -> Result<Syntax, Error> {
        let list = || {
            raw.list
                .and_then(|l| self.b.docs.get(doc)?.raw.lists.get(l as usize))
                .cloned()
        };
        let i = &self.b.interner;
        let facets = match &raw.facets {
            Some(f) => Arc::clone(f),
            None => i.no_facets(),
        };
        let Some(name) = &raw.data_type else {
            return Ok(Syntax {
                base_type: raw.base_type.clone().unwrap_or_default(),
                data_type: None,
                type_chain: i.no_chain(),
                list: list(),
                facets,
                inherited: i.no_levels(),
                hidden: raw.hidden,
                secured: raw.secured,
                command: raw.command,
                default: raw.default.clone(),
            });
        };
        let list = list();
        // the named type's shared parts move into the syntax (no count taken and dropped)
        let named = self.named_type(doc, name, 0)?;
        Ok(Syntax {
            base_type: match &raw.base_type {
                Some(t) => t.clone(),
                None => named.base_type,
            },
            data_type: Some(Arc::clone(name)),
            type_chain: named.chain,
            list: list.or(named.list),
            facets,
            inherited: named.levels,
            hidden: raw.hidden,
            secured: raw.secured,
            command: raw.command,
            default: raw.default.clone().or(named.default),
        })
    }

    /// The named type `name` as seen from `doc`, resolved (cached).
    fn named_type(&mut self, doc: usize, name: &str, depth: usize) -> Result<Named, Error> {
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "data type base depth",
            });
        }
        let unresolved = || Error::Unresolved {
            file: self.file(doc),
            kind: "dataType",
            name: name.to_owned(),
        };
        let Some((dd, di)) = self.b.find(doc, ImportKind::DataType, name, 0) else {
            return Err(unresolved());
        };
        if let Some(s) = self.dt_cache.get(&(dd, di)) {
            return Ok(s.clone());
        }
        let b = self.b;
        let Some(dt): Option<&RawDataType> = b.docs.get(dd).and_then(|d| d.raw.data_types.get(di))
        else {
            return Err(unresolved());
        };
        let mut chain = vec![Arc::clone(&dt.name)];
        let mut levels = Vec::new();
        if let Some(f) = &dt.syntax.facets {
            levels.push(Arc::clone(f));
        }
        let mut named = Named {
            base_type: dt.syntax.base_type.clone().unwrap_or_default(),
            chain: b.interner.no_chain(),
            levels: b.interner.no_levels(),
            list: dt
                .syntax
                .list
                .and_then(|l| b.docs.get(dd)?.raw.lists.get(l as usize))
                .cloned(),
            default: dt.syntax.default.clone(),
        };
        let parent = dt.syntax.data_type.as_ref().or(dt.base.as_ref());
        if let Some(parent) = parent.filter(|p| *p != &dt.name) {
            let up = self.named_type(dd, parent, depth + 1)?;
            chain.extend(up.chain.iter().cloned());
            levels.extend(up.levels.iter().cloned());
            if dt.syntax.base_type.is_none() {
                named.base_type = up.base_type;
            }
            if named.list.is_none() {
                named.list = up.list;
            }
            if named.default.is_none() {
                named.default = up.default;
            }
        }
        named.chain = chain.into();
        if !levels.is_empty() {
            named.levels = levels.into();
        }
        self.dt_cache.insert((dd, di), named.clone());
        Ok(named)
    }
}
