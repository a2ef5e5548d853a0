//! A loaded data model: lookup of instance paths to their definitions.

use crate::hash::FastMap;

use crate::build::SchemaBuilder;
use crate::error::Error;
use crate::path::{PathError, PathRef, Root};
use crate::types::{Definition, Node, ParameterDef};

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
/// Lookups take instance paths with numbers, `[alias]`es, `*` or `{i}` and cost one path
/// validation plus one hash-map probe (instance segments are rewritten to `{i}` in a stack
/// buffer; no allocation).
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
    nodes: Vec<Node>,
    index: FastMap<Box<[u8]>, u32>,
    children: Vec<Vec<u32>>,
    models: Vec<ModelInfo>,
}

/// The definition key of `parent`-less paths: the enclosing object's definition path.
fn definition_parent(path: &str) -> Option<&str> {
    let body = path.strip_suffix('.').unwrap_or(path);
    let dot = body.rfind('.')?;
    let head = body.get(..dot)?;
    if head.ends_with("{i}") && !path.ends_with("{i}.") {
        // a parameter or object right below a row: the row is the parent
        return path.get(..=dot);
    }
    if body.ends_with(".{i}") {
        // a table row object: the parent is the object holding the table
        let table = body.get(..dot)?; // "A.B" of "A.B.{i}"
        let d2 = table.rfind('.')?;
        return path.get(..=d2);
    }
    path.get(..=dot)
}

const KEY_BUF: usize = 512;

impl Schema {
    /// A builder for loading several documents.
    pub fn builder() -> SchemaBuilder {
        SchemaBuilder::new()
    }

    /// Loads the file at `path` (imports relative to its directory).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Schema, Error> {
        SchemaBuilder::new().add_file(path)?.build()
    }

    /// Loads one document from memory, its imports from `loader`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(file: &str, text: &str, loader: &dyn crate::Loader) -> Result<Schema, Error> {
        SchemaBuilder::new()
            .add_document(file, text, loader)?
            .build()
    }

    pub(crate) fn assemble(
        nodes: Vec<Node>,
        index: FastMap<Box<[u8]>, u32>,
        models: Vec<ModelInfo>,
    ) -> Schema {
        let mut idx = index;
        let mut children = vec![Vec::new(); nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            if let Some(parent) = definition_parent(n.path().as_str()) {
                if let Some(&p) = idx.get(parent.as_bytes()) {
                    if let Some(c) = children.get_mut(p as usize) {
                        c.push(i as u32);
                    }
                }
            }
        }
        // `Device.IP.Interface.` names the table `Device.IP.Interface.{i}.` too
        let mut extra = Vec::new();
        for (k, &v) in &idx {
            if let Some(table) = k.strip_suffix(b"{i}.") {
                if !idx.contains_key(table) {
                    extra.push((Box::<[u8]>::from(table), v));
                }
            }
        }
        idx.extend(extra);
        Schema {
            nodes,
            index: idx,
            children,
            models,
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
        self.nodes.iter().map(Node::as_definition)
    }

    /// Every parameter definition.
    pub fn parameters(&self) -> impl Iterator<Item = &ParameterDef> {
        self.iter().filter_map(|d| d.as_parameter())
    }

    /// Finds the definition of `text` without validating the names: a name that is not a
    /// valid path name cannot be part of a key of the index, so only the instance segments
    /// (which are rewritten to `{i}`) and the length are checked.
    fn find_index(&self, text: &str) -> Option<u32> {
        if crate::path::is_too_long(text) {
            return None;
        }
        let bytes = text.as_bytes();
        let needs = bytes
            .windows(2)
            .any(|w| matches!(w, [b'.', b'0'..=b'9' | b'[' | b'*']));
        if !needs {
            return self.index.get(bytes).copied();
        }
        // rewrite instance segments to `{i}` in a stack buffer
        let mut buf = [0u8; KEY_BUF];
        let mut len = 0usize;
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() {
            let end = rest.bytes().position(|b| b == b'.').unwrap_or(rest.len());
            let (seg, tail) = rest.split_at(end);
            let out: &[u8] =
                if !first && matches!(seg.as_bytes().first(), Some(b'0'..=b'9' | b'[' | b'*')) {
                    if !crate::path::is_valid_instance_segment(seg) {
                        return None;
                    }
                    b"{i}"
                } else {
                    seg.as_bytes()
                };
            let dot = usize::from(!tail.is_empty());
            let (a, b) = buf
                .get_mut(len..len + out.len() + dot)?
                .split_at_mut(out.len());
            a.copy_from_slice(out);
            if let Some(d) = b.first_mut() {
                *d = b'.';
            }
            len += out.len() + dot;
            rest = tail.get(1..).unwrap_or("");
            first = false;
        }
        self.index.get(buf.get(..len)?).copied()
    }

    /// The definition of an instance path, partial path or definition path.
    ///
    /// `Device.IP.Interface.3.Name`, `Device.IP.Interface.[wan].Name`,
    /// `Device.IP.Interface.*.Name` and `Device.IP.Interface.{i}.Name` all resolve to the same
    /// parameter; `Device.IP.Interface.` and `Device.IP.Interface.1.` to the table object.
    pub fn lookup(&self, path: &str) -> Result<Definition<'_>, LookupError> {
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
        let i = self.find_index(path)?;
        self.nodes.get(i as usize).map(Node::as_definition)
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
        let ids = self
            .children
            .get(i as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Ok(ids
            .iter()
            .filter_map(|&c| self.nodes.get(c as usize))
            .map(Node::as_definition))
    }

    /// The parameters with `forcedInform="true"` below `root` (SPEC EVT-06).
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
