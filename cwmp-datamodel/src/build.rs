//! Loading documents (with their imports) and assembling models into a [`Schema`].

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::Error;
use crate::hash::FastMap;
use crate::path::Path;
use crate::schema::{ModelInfo, Schema};
use crate::types::{Node, ObjectDef, ParameterDef, Status, Syntax};
use crate::xml::{
    ImportKind, Item, RawDataType, RawDoc, RawObject, RawParameter, RawSyntax, parse_document,
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

struct Doc {
    file: String,
    raw: RawDoc,
    top_level: bool,
    /// import file attribute -> doc index
    imports: Vec<Option<usize>>,
    data_types: HashMap<String, usize>,
    components: HashMap<String, usize>,
    models: HashMap<String, usize>,
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
    docs: Vec<Doc>,
    by_file: HashMap<String, usize>,
}

impl std::fmt::Debug for SchemaBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaBuilder")
            .field("documents", &self.by_file.keys().collect::<Vec<_>>())
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
        self.add_document(base_name(&name), &text, &DirLoader::new(dir))
    }

    /// Adds the document `text` named `file`; its imports are fetched from `loader`.
    pub fn add_document(
        &mut self,
        file: &str,
        text: &str,
        loader: &dyn Loader,
    ) -> Result<&mut Self, Error> {
        let idx = self.load_doc(file, Some(text), loader, 0)?;
        if let Some(d) = self.docs.get_mut(idx) {
            d.top_level = true;
        }
        Ok(self)
    }

    fn load_doc(
        &mut self,
        file: &str,
        text: Option<&str>,
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
        let owned;
        let text = match text {
            Some(t) => t,
            None => {
                owned = loader.load(file).map_err(|e| Error::Load {
                    file: file.to_owned(),
                    message: e.to_string(),
                })?;
                &owned
            }
        };
        let raw = parse_document(&key, text)?;
        let mut doc = Doc {
            file: key.clone(),
            raw,
            top_level: false,
            imports: Vec::new(),
            data_types: HashMap::new(),
            components: HashMap::new(),
            models: HashMap::new(),
        };
        for (i, d) in doc.raw.data_types.iter().enumerate() {
            doc.data_types.entry(d.name.clone()).or_insert(i);
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
        let d = self.docs.get(doc)?;
        let own = match kind {
            ImportKind::DataType => d.data_types.get(name),
            ImportKind::Component => d.components.get(name),
            ImportKind::Model => d.models.get(name),
        };
        if let Some(&i) = own {
            return Some((doc, i));
        }
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
    pub fn build(&self) -> Result<Schema, Error> {
        self.build_with(Vec::new())
    }

    /// Like [`SchemaBuilder::build`], for a builder that is not used again: the items of the
    /// models that are assembled exactly once (top-level, not a service model, and no model
    /// has a base) are moved into the schema instead of being copied.
    pub(crate) fn build_once(mut self) -> Result<Schema, Error> {
        let any_base = self
            .docs
            .iter()
            .any(|d| d.raw.models.iter().any(|m| m.base.is_some()));
        let mut owned = Vec::new();
        if !any_base {
            for (di, d) in self.docs.iter_mut().enumerate() {
                if !d.top_level {
                    continue;
                }
                for (mi, m) in d.raw.models.iter_mut().enumerate() {
                    if !m.is_service {
                        owned.push(((di, mi), std::mem::take(&mut m.items)));
                    }
                }
            }
        }
        self.build_with(owned)
    }

    fn build_with(&self, owned: Vec<((usize, usize), Vec<Item>)>) -> Result<Schema, Error> {
        let mut asm = Assembler {
            b: self,
            nodes: Vec::new(),
            index: FastMap::default(),
            dt_cache: HashMap::new(),
            owned,
            key: String::new(),
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
                asm.model(di, mi, "", 0)?;
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
            asm.model(di, mi, "", 0)?;
            let root = asm.root_since(before);
            for mount in &mounts {
                let prefix = format!("{mount}Services.");
                asm.model(di, mi, &prefix, 0)?;
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
        Ok(Schema::assemble(asm.nodes, asm.index, models))
    }
}

/// A key of the definition index: the definition's own path (no second copy of the text),
/// hashed and compared as bytes so that lookups can probe with a `&[u8]` buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key(pub(crate) Path);

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_str().as_bytes().hash(state);
    }
}

impl std::borrow::Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.0.as_str().as_bytes()
    }
}

fn needs_definition_form(full: &str) -> bool {
    full.as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b'.', b'0'..=b'9' | b'[' | b'*']))
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

struct Assembler<'b> {
    b: &'b SchemaBuilder,
    nodes: Vec<Node>,
    index: FastMap<Key, u32>,
    dt_cache: HashMap<(usize, usize), Syntax>,
    /// Items moved out of models that are assembled once (see `SchemaBuilder::build_once`).
    owned: Vec<((usize, usize), Vec<Item>)>,
    /// Scratch buffer for definition paths.
    key: String,
}

impl Assembler<'_> {
    /// The root object of the definitions added since `before`.
    fn root_since(&self, before: usize) -> String {
        self.nodes
            .get(before..)
            .unwrap_or(&[])
            .iter()
            .find(|n| matches!(n, Node::Object(_)))
            .map(|n| first_segment(n.path().as_str()))
            .unwrap_or_default()
    }

    fn file(&self, doc: usize) -> String {
        self.b
            .docs
            .get(doc)
            .map(|d| d.file.clone())
            .unwrap_or_default()
    }

    fn model(&mut self, doc: usize, mi: usize, prefix: &str, depth: usize) -> Result<(), Error> {
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
        if let Some(at) = self.owned.iter().position(|(k, _)| *k == (doc, mi)) {
            let (_, items) = self.owned.swap_remove(at);
            return self.items_owned(doc, items, prefix, depth);
        }
        self.items(doc, &m.items, prefix, depth)
    }

    /// Like `items`, moving the syntax and strings of the definitions instead of copying.
    fn items_owned(
        &mut self,
        doc: usize,
        items: Vec<Item>,
        base: &str,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "component nesting",
            });
        }
        for item in items {
            match item {
                Item::Object(mut o) => {
                    let children = std::mem::take(&mut o.items);
                    if let Some(full) = self.object_def(doc, &o, base)? {
                        self.items_owned(doc, children, &full, depth + 1)?;
                    }
                }
                Item::Parameter(mut p) => {
                    let syntax = p.syntax.take();
                    let version = p.version.take();
                    self.parameter(doc, &p, syntax, version, base)?;
                }
                c @ Item::Component { .. } => {
                    self.items(doc, std::slice::from_ref(&c), base, depth)?;
                }
            }
        }
        Ok(())
    }

    fn items(&mut self, doc: usize, items: &[Item], base: &str, depth: usize) -> Result<(), Error> {
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "component nesting",
            });
        }
        for item in items {
            match item {
                Item::Object(o) => {
                    if let Some(full) = self.object_def(doc, o, base)? {
                        self.items(doc, &o.items, &full, depth + 1)?;
                    }
                }
                Item::Parameter(p) => {
                    self.parameter(doc, p, p.syntax.clone(), p.version.clone(), base)?
                }
                Item::Component { name, path } => {
                    let Some((cd, ci)) = self.b.find(doc, ImportKind::Component, name, 0) else {
                        return Err(Error::Unresolved {
                            file: self.file(doc),
                            kind: "component",
                            name: name.clone(),
                        });
                    };
                    let b = self.b;
                    let Some(c) = b.docs.get(cd).and_then(|d| d.raw.components.get(ci)) else {
                        continue;
                    };
                    let inner = format!("{base}{path}");
                    self.items(cd, &c.items, &inner, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    fn make_path(&self, doc: usize, name: &str) -> Result<Path, Error> {
        Path::parse(name).map_err(|error| Error::BadName {
            file: self.file(doc),
            name: name.to_owned(),
            error,
        })
    }

    /// The definition path of `rel` below `base` (instances in `{i}` form), in `self.key`.
    fn full_key(&mut self, base: &str, rel: &str) {
        self.key.clear();
        self.key.push_str(base);
        self.key.push_str(rel.trim());
        if needs_definition_form(&self.key) {
            self.key = definition_form(std::mem::take(&mut self.key));
        }
    }

    /// Records the object definition `o`; returns its definition path (`None` when it has
    /// no name).
    fn object_def(
        &mut self,
        doc: usize,
        o: &RawObject,
        base: &str,
    ) -> Result<Option<String>, Error> {
        let Some(rel) = o.name.as_ref().or(o.base.as_ref()) else {
            return Ok(None);
        };
        self.full_key(base, rel);
        let full = self.key.clone();
        let existing = self.index.get(full.as_bytes()).map(|&i| i as usize);
        match existing.and_then(|i| self.nodes.get_mut(i)) {
            Some(Node::Object(def)) => {
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
            }
            _ => {
                let path = self.make_path(doc, &full)?;
                let def = ObjectDef {
                    path,
                    access: o.access.unwrap_or_default(),
                    min_entries: o.min_entries.unwrap_or(1),
                    max_entries: o.max_entries.unwrap_or(Some(1)),
                    num_entries_parameter: o.num_entries_parameter.clone(),
                    enable_parameter: o.enable_parameter.clone(),
                    unique_keys: o.unique_keys.clone(),
                    status: o.status.unwrap_or(Status::Current),
                    version: o.version.clone(),
                };
                self.insert(doc, Node::Object(def))?;
            }
        }
        Ok(Some(full))
    }

    fn insert(&mut self, doc: usize, node: Node) -> Result<usize, Error> {
        if let Some(&i) = self.index.get(node.path().as_str().as_bytes()) {
            let i = i as usize;
            if let Some(slot) = self.nodes.get_mut(i) {
                *slot = node;
            }
            return Ok(i);
        }
        if self.nodes.len() >= MAX_DEFINITIONS {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "number of definitions",
            });
        }
        let i = self.nodes.len();
        let key = Key(node.path().clone());
        self.nodes.push(node);
        self.index.insert(key, i as u32);
        Ok(i)
    }

    /// Records the parameter definition `p`, with its `syntax` and `version` (taken out of
    /// it or copied by the caller).
    fn parameter(
        &mut self,
        doc: usize,
        p: &RawParameter,
        syntax: Option<RawSyntax>,
        version: Option<String>,
        base: &str,
    ) -> Result<(), Error> {
        let Some(rel) = p.name.as_ref().or(p.base.as_ref()) else {
            return Ok(());
        };
        self.full_key(base, rel);
        let syntax = match syntax {
            Some(s) => Some(self.resolve_syntax(doc, s)?),
            None => None,
        };
        if let Some(Node::Parameter(def)) = self
            .index
            .get(self.key.as_bytes())
            .and_then(|&i| self.nodes.get_mut(i as usize))
        {
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
            return Ok(());
        }
        let path = self.make_path(doc, &self.key)?;
        let def = ParameterDef {
            path,
            access: p.access.unwrap_or_default(),
            syntax: syntax.unwrap_or_default(),
            active_notify: p.active_notify.unwrap_or_default(),
            forced_inform: p.forced_inform.unwrap_or(false),
            status: p.status.unwrap_or_default(),
            version,
        };
        self.insert(doc, Node::Parameter(Box::new(def)))?;
        Ok(())
    }

    /// Follows the named-type chain of a syntax.
    fn resolve_syntax(&mut self, doc: usize, raw: RawSyntax) -> Result<Syntax, Error> {
        let has_base_type = raw.base_type.is_some();
        let mut syn = raw.into_syntax();
        let Some(name) = &syn.data_type else {
            return Ok(syn);
        };
        let key = self.named_type_key(doc, name, 0)?;
        let Some(named) = self.dt_cache.get(&key) else {
            return Ok(syn);
        };
        syn.type_chain.clone_from(&named.type_chain);
        let levels = usize::from(!named.facets.is_empty()) + named.inherited.len();
        syn.inherited.reserve_exact(levels);
        if !named.facets.is_empty() {
            syn.inherited.push(named.facets.clone());
        }
        syn.inherited.extend(named.inherited.iter().cloned());
        if !has_base_type {
            syn.base_type = named.base_type;
        }
        if syn.list.is_none() {
            syn.list.clone_from(&named.list);
        }
        if syn.default.is_none() {
            syn.default.clone_from(&named.default);
        }
        Ok(syn)
    }

    /// The `dt_cache` key of the named type `name` as seen from `doc`, resolved first.
    fn named_type_key(
        &mut self,
        doc: usize,
        name: &str,
        depth: usize,
    ) -> Result<(usize, usize), Error> {
        let Some(found) = self.b.find(doc, ImportKind::DataType, name, 0) else {
            return Err(Error::Unresolved {
                file: self.file(doc),
                kind: "dataType",
                name: name.to_owned(),
            });
        };
        if !self.dt_cache.contains_key(&found) {
            self.named_type(doc, name, depth)?;
        }
        Ok(found)
    }

    /// The resolved syntax of the named type `name` as seen from `doc` (its own facets in
    /// `facets`, those of its bases in `inherited`).
    fn named_type(&mut self, doc: usize, name: &str, depth: usize) -> Result<Syntax, Error> {
        if depth > MAX_NESTING {
            return Err(Error::Limit {
                file: self.file(doc),
                what: "data type base depth",
            });
        }
        let Some((dd, di)) = self.b.find(doc, ImportKind::DataType, name, 0) else {
            return Err(Error::Unresolved {
                file: self.file(doc),
                kind: "dataType",
                name: name.to_owned(),
            });
        };
        if let Some(s) = self.dt_cache.get(&(dd, di)) {
            return Ok(s.clone());
        }
        let b = self.b;
        let Some(dt): Option<&RawDataType> = b.docs.get(dd).and_then(|d| d.raw.data_types.get(di))
        else {
            return Err(Error::Unresolved {
                file: self.file(doc),
                kind: "dataType",
                name: name.to_owned(),
            });
        };
        let mut syn = dt.syntax.clone().into_syntax();
        syn.type_chain = vec![dt.name.clone()];
        let parent = dt.syntax.data_type.as_ref().or(dt.base.as_ref());
        if let Some(parent) = parent.filter(|p| *p != &dt.name) {
            let up = self.named_type(dd, parent, depth + 1)?;
            syn.type_chain.extend(up.type_chain);
            if !up.facets.is_empty() {
                syn.inherited.push(up.facets);
            }
            syn.inherited.extend(up.inherited);
            if dt.syntax.base_type.is_none() {
                syn.base_type = up.base_type;
            }
            if syn.list.is_none() {
                syn.list = up.list;
            }
            if syn.default.is_none() {
                syn.default = up.default;
            }
        }
        self.dt_cache.insert((dd, di), syn.clone());
        Ok(syn)
    }
}
