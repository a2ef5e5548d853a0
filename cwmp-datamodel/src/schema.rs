//! A loaded data model: lookup of instance paths to their definitions.

use std::borrow::Cow;

use crate::build::{Docs, SchemaBuilder};
use crate::error::Error;
use crate::index::Index;
use crate::path::{PathError, PathRef, Root};
use crate::types::{Definition, Node, ObjectDef, ParameterDef};

/// One model a schema was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ModelInfo {
    /// The model name and version, e.g. `Device:2.17`.
    pub name: String,
    /// The root object, e.g. `Device.` (for a service model, its own root such as
    /// `VoiceService.`; it is also mounted under `Device.Services.` and
    /// `InternetGatewayDevice.Services.` when those roots are loaded).
    pub root: String,
    /// Whether it is a service model.
    pub is_service: bool,
    /// The document that defined it.
    pub file: String,
}

/// Why a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    /// The text is not a valid path.
    #[error(transparent)]
    InvalidPath(#[from] PathError),
    /// The path is valid but the schema has no such definition.
    #[error("no definition for {0}")]
    NotFound(String),
}

/// How a path relates to a schema (see [`Schema::classify`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolution<'s> {
    /// The path has a definition.
    Defined(Definition<'s>),
    /// No definition, and the path has a vendor-specific (`X_...`) segment.
    VendorSpecific,
    /// No definition, and its root is not one of the loaded models.
    OtherRoot,
    /// No definition although the path is standard and its root is loaded.
    Undefined,
    /// Not a valid path.
    Invalid,
}

/// A data model loaded from BBF data-model XML: every object and parameter definition, indexed
/// by its definition path (`Device.IP.Interface.{i}.Name`).
///
/// Lookups take instance paths with numbers, `[alias]`es, `*` or `{i}` and cost one pass
/// over the text plus one probe of the index: the hash of the definition form is computed
/// on the fly (each instance segment is validated where it stands and hashes as `{i}`),
/// nothing is rewritten or allocated. Only a text that finds nothing is parsed, to tell an
/// invalid path from an unknown one.
///
/// ```
/// use cwmp_datamodel::{Schema, MemoryLoader};
/// let xml = r#"<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="x">
///   <model name="Device:2.17">
///     <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>
///     <object name="Device.IP.Interface.{i}." access="readWrite" minEntries="0" maxEntries="unbounded">
///       <parameter name="Name" access="readOnly"><syntax><string><size maxLength="64"/></string></syntax></parameter>
///     </object>
///   </model>
/// </dm:document>"#;
/// let schema = Schema::from_str("mini.xml", xml, &MemoryLoader::new())?;
/// let def = schema.lookup("Device.IP.Interface.[wan].Name").unwrap();
/// assert_eq!(def.path().as_str(), "Device.IP.Interface.{i}.Name");
/// assert_eq!(def.as_parameter().unwrap().syntax.max_length(), Some(64));
/// # Ok::<(), cwmp_datamodel::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Schema {
    objects: Vec<ObjectDef>,
    params: Vec<ParameterDef>,
    /// Every definition in document order.
    nodes: Vec<Node>,
    index: Index,
    /// The children of node `n` are `child_ids[child_start[n]..child_start[n + 1]]`.
    child_start: Vec<u32>,
    child_ids: Vec<u32>,
    models: Vec<ModelInfo>,
}

/// The definition key of `parent`-less paths: the enclosing object's definition path.
fn definition_parent(path: &str) -> Option<&str> {
    // the last segment is short: a plain backward scan beats the word-wise `rfind`
    let last_dot = |s: &str| s.bytes().rposition(|b| b == b'.');
    let body = path.strip_suffix('.').unwrap_or(path);
    let dot = last_dot(body)?;
    let head = body.get(..dot)?;
    if head.ends_with("{i}") && !path.ends_with("{i}.") {
        // a parameter or object right below a row: the row is the parent
        return path.get(..=dot);
    }
    if body.ends_with(".{i}") {
        // a table row object: the parent is the object holding the table
        let table = body.get(..dot)?; // "A.B" of "A.B.{i}"
        let d2 = last_dot(table)?;
        return path.get(..=d2);
    }
    path.get(..=dot)
}

impl Schema {
    /// A builder for loading several documents.
    pub fn builder() -> SchemaBuilder {
        SchemaBuilder::new()
    }

    /// Loads the file at `path` (imports relative to its directory).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Schema, Error> {
        let mut b = SchemaBuilder::new();
        b.add_file(path)?;
        b.build()
    }

    /// Loads one document from memory, its imports from `loader`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(file: &str, text: &str, loader: &dyn crate::Loader) -> Result<Schema, Error> {
        let mut docs = Docs::default();
        docs.add(file, Cow::Borrowed(text), loader)?;
        docs.build()
    }

    pub(crate) fn assemble(
        objects: Vec<ObjectDef>,
        params: Vec<ParameterDef>,
        nodes: Vec<Node>,
        mut parents: Vec<u32>,
        index: Index,
        models: Vec<ModelInfo>,
    ) -> Schema {
        let mut s = Schema {
            objects,
            params,
            nodes,
            index,
            child_start: Vec::new(),
            child_ids: Vec::new(),
            models,
        };
        // `index` has every definition; the tables whose `X.` is no definition get theirs
        let mut index = std::mem::take(&mut s.index);
        index.add_tables(
            s.nodes
                .iter()
                .filter_map(|&n| s.node(n).map(|d| (d.path(), n))),
        );
        s.index = index;
        // the parent of each node (those `parents` does not know found by their path),
        // then the children grouped by parent (counting sort)
        let n = s.nodes.len();
        parents.resize(n, u32::MAX);
        // the parameters of an object come one after the other: the parent found last is
        // reused while the parent path stays the same
        let mut last: Option<(&str, u32)> = None;
        for (i, parent) in parents.iter_mut().enumerate() {
            if *parent != u32::MAX {
                continue;
            }
            let Some(p) = s.node_path(i).and_then(definition_parent) else {
                continue;
            };
            if let Some((lp, li)) = last {
                if lp == p {
                    *parent = li;
                    continue;
                }
            }
            let found = s.index.find_definition(p.as_bytes()).unwrap_or(u32::MAX);
            last = Some((p, found));
            *parent = found;
        }
        let mut start = vec![0u32; n + 1];
        for &p in &parents {
            if let Some(c) = start.get_mut(p as usize + 1) {
                *c += 1;
            }
        }
        for i in 0..n {
            let before = start.get(i).copied().unwrap_or(0);
            if let Some(c) = start.get_mut(i + 1) {
                *c += before;
            }
        }
        let mut fill = start.clone();
        let mut ids = vec![0u32; start.get(n).copied().unwrap_or(0) as usize];
        for (i, &p) in parents.iter().enumerate() {
            if let Some(at) = fill.get_mut(p as usize) {
                if let Some(slot) = ids.get_mut(*at as usize) {
                    *slot = i as u32;
                }
                *at += 1;
            }
        }
        s.child_start = start;
        s.child_ids = ids;
        s
    }

    fn node_path(&self, i: usize) -> Option<&str> {
        self.node(*self.nodes.get(i)?).map(|d| d.path().as_str())
    }

    fn node(&self, n: Node) -> Option<Definition<'_>> {
        match n {
            Node::Object(i) => self.objects.get(i as usize).map(Definition::Object),
            Node::Parameter(i) => self.params.get(i as usize).map(Definition::Parameter),
        }
    }

    /// The models this schema was built from.
    pub fn models(&self) -> &[ModelInfo] {
        &self.models
    }

    /// The number of definitions (objects and parameters).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the schema has no definitions.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every definition, in document order.
    pub fn iter(&self) -> impl Iterator<Item = Definition<'_>> {
        self.nodes.iter().filter_map(|&n| self.node(n))
    }

    /// Every parameter definition.
    pub fn parameters(&self) -> impl Iterator<Item = &ParameterDef> {
        self.iter().filter_map(|d| d.as_parameter())
    }

    /// Finds the definition of `text` in one pass without validating the names: a name that
    /// is not a valid path name cannot be part of a key of the index, so only the instance
    /// segments (which hash and compare as `{i}`) and the length are checked. Every key of
    /// the index is a valid path, so a text this finds is a valid path too.
    fn find_index(&self, text: &str) -> Option<u32> {
        if crate::path::is_too_long(text) {
            return None;
        }
        self.index.find(text.as_bytes())
    }

    /// The definition of an instance path, partial path or definition path.
    ///
    /// `Device.IP.Interface.3.Name`, `Device.IP.Interface.[wan].Name`,
    /// `Device.IP.Interface.*.Name` and `Device.IP.Interface.{i}.Name` all resolve to the same
    /// parameter; `Device.IP.Interface.` and `Device.IP.Interface.1.` to the table object.
    pub fn lookup(&self, path: &str) -> Result<Definition<'_>, LookupError> {
        // one pass: a text the index knows is a valid path (see `find_index`); only a miss
        // is parsed, to tell an invalid path from an unknown one
        if let Some(d) = self.get(path) {
            return Ok(d);
        }
        let p = PathRef::parse(path)?;
        self.lookup_path(p)
            .ok_or_else(|| LookupError::NotFound(path.to_owned()))
    }

    /// Like [`Schema::lookup`] for an already validated path.
    pub fn lookup_path(&self, path: PathRef<'_>) -> Option<Definition<'_>> {
        self.get(path.as_str())
    }

    /// Shorthand: the definition or `None` (also for invalid paths).
    pub fn get(&self, path: &str) -> Option<Definition<'_>> {
        if crate::path::is_too_long(path) {
            return None;
        }
        self.node(self.index.find_node(path.as_bytes())?)
    }

    /// The definitions directly below the object named by `path` (partial path, any instance
    /// form): its parameters, its single objects and its tables.
    ///
    /// ```
    /// # use cwmp_datamodel::{Schema, MemoryLoader};
    /// # let xml = r#"<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14">
    /// #  <model name="Device:2.17"><object name="Device."/>
    /// #  <object name="Device.IP." ><parameter name="Enable" access="readWrite"><syntax><boolean/></syntax></parameter></object>
    /// #  <object name="Device.IP.Interface.{i}." minEntries="0" maxEntries="unbounded"/></model></dm:document>"#;
    /// # let schema = Schema::from_str("m.xml", xml, &MemoryLoader::new())?;
    /// let names: Vec<_> = schema.children("Device.IP.")?.map(|d| d.path().as_str()).collect();
    /// assert_eq!(names, ["Device.IP.Enable", "Device.IP.Interface.{i}."]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn children(
        &self,
        path: &str,
    ) -> Result<impl Iterator<Item = Definition<'_>>, LookupError> {
        let p = PathRef::parse(path)?;
        let i = self
            .find_index(p.as_str())
            .ok_or_else(|| LookupError::NotFound(path.to_owned()))?;
        let i = i as usize;
        let from = self.child_start.get(i).copied().unwrap_or(0) as usize;
        let to = self.child_start.get(i + 1).copied().unwrap_or(0) as usize;
        let ids = self.child_ids.get(from..to).unwrap_or(&[]);
        Ok(ids
            .iter()
            .filter_map(|&c| self.nodes.get(c as usize))
            .filter_map(|&n| self.node(n)))
    }

    /// The parameters with `forcedInform="true"` below `root` (those sent in every Inform).
    pub fn forced_inform_parameters(&self, root: Root<'_>) -> Vec<&ParameterDef> {
        self.parameters()
            .filter(|p| p.forced_inform && p.path.root() == root)
            .collect()
    }

    /// Classifies a path as defined, vendor-specific, under another root, or undefined.
    pub fn classify(&self, path: &str) -> Resolution<'_> {
        let Ok(p) = PathRef::parse(path) else {
            return Resolution::Invalid;
        };
        if let Some(d) = self.lookup_path(p) {
            return Resolution::Defined(d);
        }
        if p.is_vendor_specific() {
            return Resolution::VendorSpecific;
        }
        let root = match p.segments().next() {
            Some(crate::path::Segment::Name(n)) => n,
            _ => "",
        };
        let loaded = self
            .models
            .iter()
            .any(|m| m.root.strip_suffix('.') == Some(root));
        if loaded {
            Resolution::Undefined
        } else {
            Resolution::OtherRoot
        }
    }
}

#[cfg(test)]
mod tests {
    use super::definition_parent;

    /// `lookup` finds in one pass, and still reports invalid paths as such: its answer
    /// equals parsing first and then looking up.
    #[test]
    fn one_pass_lookup_agrees_with_parse_then_find() {
        let xml = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14">
          <model name="Device:2.17">
            <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>
            <object name="Device.IP.Interface.{i}." access="readWrite" minEntries="0" maxEntries="unbounded">
              <parameter name="Name" access="readOnly"><syntax><string/></syntax></parameter>
            </object>
            <object name="Device.IP.Interface.{i}.Addr.{i}." access="readWrite" minEntries="0" maxEntries="unbounded">
              <parameter name="IP" access="readWrite"><syntax><string/></syntax></parameter>
            </object>
          </model>
        </document>"#;
        let s = crate::Schema::from_str("m.xml", xml, &crate::NoImports).unwrap();
        let long = format!("Device.IP.Interface.{}.Name", "9".repeat(300));
        let cases = [
            "Device.",
            "Device",
            "Device.IP.Interface.",
            "Device.IP.Interface.3.",
            "Device.IP.Interface.3",
            "Device.IP.Interface.3.Name",
            "Device.IP.Interface.[wan].Name",
            "Device.IP.Interface.*.Name",
            "Device.IP.Interface.{i}.Name",
            "Device.IP.Interface.0.Name",
            "Device.IP.Interface.01.Name",
            "Device.IP.Interface.4294967296.Name",
            "Device.IP.Interface.[].Name",
            "Device.IP.Interface.[1].Name",
            "Device.IP.Interface.**.Name",
            "Device.IP.Interface.3a.Name",
            "Device.IP.Interface.{j}.Name",
            "Device.IP.Interface.1.Addr.[a].IP",
            "Device.IP.Interface.1.Addr.2.",
            "Device.IP.Interface.1.Addr.2..",
            "Device.IP.Interface..Name",
            "Device.IP.Interface.1.Addr..IP",
            ".Device.",
            "",
            ".",
            "1.IP.",
            &long,
        ];
        for c in cases {
            let slow = crate::PathRef::parse(c)
                .map_err(super::LookupError::from)
                .and_then(|p| {
                    s.lookup_path(p)
                        .ok_or_else(|| super::LookupError::NotFound(c.to_owned()))
                });
            assert_eq!(s.lookup(c), slow, "{c}");
            // oracle: the definition whose path is the definition form of `c` (or, for a
            // table named without `{i}.`, the table), found by a linear search
            let oracle = crate::PathRef::parse(c).ok().and_then(|p| {
                let key = p.definition_key();
                let k = key.as_str();
                s.iter().find(|d| d.path().as_str() == k).or_else(|| {
                    s.iter()
                        .find(|d| d.path().as_str().strip_suffix("{i}.") == Some(k))
                })
            });
            assert_eq!(s.get(c), oracle, "{c}");
        }
    }

    #[test]
    fn parents_of_definitions() {
        assert_eq!(
            definition_parent("Device.IP.Interface.{i}.Name"),
            Some("Device.IP.Interface.{i}.")
        );
        assert_eq!(
            definition_parent("Device.IP.Interface.{i}."),
            Some("Device.IP.")
        );
        assert_eq!(
            definition_parent("Device.IP.Interface.{i}.Stats."),
            Some("Device.IP.Interface.{i}.")
        );
        assert_eq!(definition_parent("Device.IP."), Some("Device."));
        assert_eq!(definition_parent("Device.X"), Some("Device."));
        assert_eq!(definition_parent("Device."), None);
        assert_eq!(definition_parent("A.{i}.B.{i}."), Some("A.{i}."));
    }
}
