//! The definitions a [`Schema`](crate::Schema) holds: objects, parameters, syntax and facets.
//!
//! Every text of a definition is an `Arc<str>`: a schema interns the strings it loads (the
//! same unit, version, enumeration value or data-type name is stored once and shared), and
//! the facets of a named data type, or identical facets written on many parameters, are one
//! shared [`Facets`] behind an `Arc`; a parameter's whole [`Syntax`] is shared with every
//! parameter written with the same syntax, and a definition's path is a slice of the
//! schema's one text of paths. Cloning a definition never copies text.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

pub use cwmp_core::value::ValueType;

use crate::path::Path;

/// Object or parameter access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum Access {
    /// `readOnly`: a parameter the ACS cannot set; a table the ACS cannot add to or delete from.
    #[default]
    ReadOnly,
    /// `readWrite`.
    ReadWrite,
    /// `writeOnceReadOnly` (CWMP treats it as `readWrite`).
    WriteOnceReadOnly,
}

impl Access {
    pub(crate) fn parse(s: &str) -> Option<Access> {
        match s {
            "readOnly" => Some(Access::ReadOnly),
            "readWrite" | "present" | "create" | "delete" | "createDelete" => {
                Some(Access::ReadWrite)
            }
            "writeOnceReadOnly" => Some(Access::WriteOnceReadOnly),
            _ => None,
        }
    }

    /// Whether a SetParameterValues may write it (CWMP: `readWrite` and `writeOnceReadOnly`).
    pub fn is_writable(self) -> bool {
        !matches!(self, Access::ReadOnly)
    }

    /// The data-model spelling.
    pub const fn name(self) -> &'static str {
        match self {
            Access::ReadOnly => "readOnly",
            Access::ReadWrite => "readWrite",
            Access::WriteOnceReadOnly => "writeOnceReadOnly",
        }
    }
}

/// A parameter's `activeNotify` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum ActiveNotify {
    /// `normal`.
    #[default]
    Normal,
    /// `forceEnabled`.
    ForceEnabled,
    /// `forceDefaultEnabled`.
    ForceDefaultEnabled,
    /// `canDeny`: the CPE may reject a request to turn active notification on.
    CanDeny,
}

impl ActiveNotify {
    pub(crate) fn parse(s: &str) -> Option<ActiveNotify> {
        match s {
            "normal" => Some(ActiveNotify::Normal),
            "forceEnabled" => Some(ActiveNotify::ForceEnabled),
            "forceDefaultEnabled" => Some(ActiveNotify::ForceDefaultEnabled),
            "canDeny" => Some(ActiveNotify::CanDeny),
            _ => None,
        }
    }
}

/// The `status` of a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum Status {
    /// `current`.
    #[default]
    Current,
    /// `deprecated`.
    Deprecated,
    /// `obsoleted`.
    Obsoleted,
    /// `deleted`.
    Deleted,
}

impl Status {
    pub(crate) fn parse(s: &str) -> Option<Status> {
        match s {
            "current" => Some(Status::Current),
            "deprecated" => Some(Status::Deprecated),
            "obsoleted" => Some(Status::Obsoleted),
            "deleted" => Some(Status::Deleted),
            _ => None,
        }
    }
}

/// A `size` facet: string length in characters, or decoded length in bytes for `base64` and
/// `hexBinary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct SizeFacet {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
}

impl SizeFacet {
    /// Whether `len` is within the bounds.
    pub fn contains(&self, len: u64) -> bool {
        self.min_length.is_none_or(|m| len >= m) && self.max_length.is_none_or(|m| len <= m)
    }
}

/// A `range` facet, with the bounds as written (integers or decimals).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RangeFacet {
    /// `minInclusive`.
    pub min_inclusive: Option<Arc<str>>,
    /// `maxInclusive`.
    pub max_inclusive: Option<Arc<str>>,
    /// `step` (counted from `minInclusive`, or from 0 without one).
    pub step: Option<Arc<str>>,
}

/// One `enumeration` value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EnumerationFacet {
    /// The value.
    pub value: Arc<str>,
    /// `access="readOnly"`: the CPE may report it but the ACS cannot set it.
    pub read_only: bool,
    /// `optional="true"`: the CPE need not support it.
    pub optional: bool,
}

/// A `pattern` facet (an XSD regular expression, anchored at both ends).
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PatternFacet {
    /// The expression as written.
    pub value: Arc<str>,
    #[cfg_attr(feature = "serde", serde(skip))]
    compiled: OnceLock<Option<regex::Regex>>,
}

impl PartialEq for PatternFacet {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for PatternFacet {}

impl Hash for PatternFacet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PatternFacet {
    /// A pattern facet for `value`.
    pub fn new(value: impl Into<Arc<str>>) -> Self {
        PatternFacet {
            value: value.into(),
            compiled: OnceLock::new(),
        }
    }

    /// Whether `text` matches the whole pattern; `None` when the expression is not one this
    /// crate's regular-expression engine accepts (it is then not enforced).
    pub fn is_match(&self, text: &str) -> Option<bool> {
        let re = self.compiled.get_or_init(|| {
            let anchored = format!("^(?:{})$", self.value);
            regex::RegexBuilder::new(&anchored)
                .size_limit(1 << 20)
                .build()
                .ok()
        });
        re.as_ref().map(|re| re.is_match(text))
    }
}

/// A `pathRef` facet: the value is a path (or list of paths) to another object or parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct PathRefFacet {
    /// `refType`: `strong` or `weak`.
    pub ref_type: Option<Arc<str>>,
    /// `targetParent`: where the target must be.
    pub target_parent: Option<Arc<str>>,
    /// `targetType`: `any`, `parameter`, `object`, `single`, `table`, `row`.
    pub target_type: Option<Arc<str>>,
    /// `targetDataType`.
    pub target_data_type: Option<Arc<str>>,
}

/// An `instanceRef` facet: the value is an instance number of a table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct InstanceRefFacet {
    /// `refType`: `strong` or `weak`.
    pub ref_type: Option<Arc<str>>,
    /// `targetParent`: the table.
    pub target_parent: Option<Arc<str>>,
}

/// An `enumerationRef` facet: the allowed values are those of another parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EnumerationRefFacet {
    /// `targetParam`.
    pub target_param: Option<Arc<str>>,
    /// `nullValue`.
    pub null_value: Option<Arc<str>>,
}

/// The `list` facet: the value is a comma-separated list whose items carry the
/// other facets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ListFacet {
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `nestedBrackets`: `legal`, `required` or `illegal`.
    pub nested_brackets: Option<Arc<str>>,
    /// `size` facets of the whole list string.
    pub sizes: Vec<SizeFacet>,
}

/// The facets declared at one level of a type derivation (a parameter's syntax, or one named
/// data type). Within a level, several `size`s or `range`s are alternatives, and the
/// enumerations and patterns together list the allowed values; levels all apply.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Facets {
    /// `size` facets.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub sizes: Vec<SizeFacet>,
    /// `range` facets.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub ranges: Vec<RangeFacet>,
    /// `enumeration` facets.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub enumerations: Vec<EnumerationFacet>,
    /// `pattern` facets.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub patterns: Vec<PatternFacet>,
    /// `pathRef`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub path_ref: Option<PathRefFacet>,
    /// `instanceRef`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub instance_ref: Option<InstanceRefFacet>,
    /// `enumerationRef`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub enumeration_ref: Option<EnumerationRefFacet>,
    /// `units`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub units: Option<Arc<str>>,
}

impl Facets {
    /// Empties every facet list, keeping the lists' capacity.
    pub(crate) fn clear(&mut self) {
        self.sizes.clear();
        self.ranges.clear();
        self.enumerations.clear();
        self.patterns.clear();
        self.path_ref = None;
        self.instance_ref = None;
        self.enumeration_ref = None;
        self.units = None;
    }

    /// Whether no facet is set.
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
            && self.ranges.is_empty()
            && self.enumerations.is_empty()
            && self.patterns.is_empty()
            && self.path_ref.is_none()
            && self.instance_ref.is_none()
            && self.enumeration_ref.is_none()
            && self.units.is_none()
    }
}

/// A `default` element.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct DefaultValue {
    /// `type`: `object`, `factory`, `implementation` or `parameter`.
    pub kind: Arc<str>,
    /// `value`.
    pub value: Arc<str>,
}

/// The syntax of a parameter, with the named data types it uses already resolved.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Syntax {
    /// The primitive type, after following named types and their `base` chain.
    pub base_type: ValueType<'static>,
    /// The named data type used (`IPAddress`, `Alias`...), if any.
    pub data_type: Option<Arc<str>>,
    /// The named types of the `base` chain, most derived first (starting with `data_type`);
    /// shared by every parameter of that type.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "<[_]>::is_empty"))]
    pub type_chain: Arc<[Arc<str>]>,
    /// The `list` facet, when the value is a comma-separated list; shared by every parameter
    /// whose syntax or named type writes it (an `Arc` like the other facets: lists are few,
    /// and each parameter's syntax stays small).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub list: Option<Arc<ListFacet>>,
    /// The facets written on the parameter itself (shared with every parameter that writes
    /// the same facets).
    pub facets: Arc<Facets>,
    /// The facets of the named data types, most derived first; shared by every parameter of
    /// that type.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "<[_]>::is_empty"))]
    pub inherited: Arc<[Arc<Facets>]>,
    /// `hidden`: the value reads back as empty.
    pub hidden: bool,
    /// `secured`: like `hidden` in CWMP.
    pub secured: bool,
    /// `command`: setting it triggers an action.
    pub command: bool,
    /// The default value.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub default: Option<DefaultValue>,
}

impl Syntax {
    /// Every facet level that applies, the parameter's own first.
    pub fn levels(&self) -> impl Iterator<Item = &Facets> {
        std::iter::once(&*self.facets).chain(self.inherited.iter().map(|f| &**f))
    }

    /// The effective maximum length: the tightest `maxLength` over all levels.
    pub fn max_length(&self) -> Option<u64> {
        self.levels()
            .filter_map(|f| {
                if f.sizes.is_empty() {
                    return None;
                }
                // alternatives within a level: the loosest of them
                f.sizes
                    .iter()
                    .map(|s| s.max_length)
                    .try_fold(0u64, |acc, m| m.map(|m| acc.max(m)))
            })
            .min()
    }

    /// The effective enumeration values (the most derived level that has any).
    pub fn enumerations(&self) -> &[EnumerationFacet] {
        self.levels()
            .map(|f| f.enumerations.as_slice())
            .find(|e| !e.is_empty())
            .unwrap_or(&[])
    }

    /// Every range facet over all levels.
    pub fn ranges(&self) -> impl Iterator<Item = &RangeFacet> {
        self.levels().flat_map(|f| f.ranges.iter())
    }

    /// The units, from the most derived level that has them.
    pub fn units(&self) -> Option<&str> {
        self.levels().find_map(|f| f.units.as_deref())
    }
}

/// An object definition.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ObjectDef {
    /// The definition path (`Device.IP.Interface.{i}.`).
    pub path: Path,
    /// `access`: `readWrite` means the ACS may add and delete instances.
    pub access: Access,
    /// `minEntries`.
    pub min_entries: u32,
    /// `maxEntries`; `None` is `unbounded`.
    pub max_entries: Option<u32>,
    /// `numEntriesParameter`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub num_entries_parameter: Option<Arc<str>>,
    /// `enableParameter`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub enable_parameter: Option<Arc<str>>,
    /// `uniqueKey`s.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub unique_keys: Vec<UniqueKey>,
    /// `status`.
    pub status: Status,
    /// `version` (the model version that added it).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub version: Option<Arc<str>>,
}

impl ObjectDef {
    /// Whether this is a multi-instance object (a table).
    pub fn is_table(&self) -> bool {
        self.path.as_str().ends_with(".{i}.") || self.max_entries != Some(1)
    }
}

/// A `uniqueKey` of a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct UniqueKey {
    /// `functional` (default true).
    pub functional: bool,
    /// The key parameters (names relative to the row).
    pub parameters: Vec<Arc<str>>,
}

/// A parameter definition.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ParameterDef {
    /// The definition path (`Device.IP.Interface.{i}.Name`).
    pub path: Path,
    /// `access`.
    pub access: Access,
    /// The value syntax, shared by every parameter written with the same syntax (a data
    /// model writes the same few syntaxes on many parameters: TR-181 2.17 has 1,223 for
    /// 6,483 parameters). Read it through the `Arc` (`p.syntax.base_type`,
    /// `p.syntax.max_length()`); make one with `Arc::new(syntax)`.
    pub syntax: Arc<Syntax>,
    /// `activeNotify`.
    pub active_notify: ActiveNotify,
    /// `forcedInform`: the parameter is in every Inform (it is sent in every Inform).
    pub forced_inform: bool,
    /// `status`.
    pub status: Status,
    /// `version`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub version: Option<Arc<str>>,
}

/// What a path resolves to.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "camelCase"))]
pub enum Definition<'s> {
    /// An object.
    Object(&'s ObjectDef),
    /// A parameter.
    Parameter(&'s ParameterDef),
}

impl<'s> Definition<'s> {
    /// The definition path.
    pub fn path(&self) -> &'s Path {
        match self {
            Definition::Object(o) => &o.path,
            Definition::Parameter(p) => &p.path,
        }
    }

    /// The parameter, if it is one.
    pub fn as_parameter(&self) -> Option<&'s ParameterDef> {
        match self {
            Definition::Parameter(p) => Some(p),
            Definition::Object(_) => None,
        }
    }

    /// The object, if it is one.
    pub fn as_object(&self) -> Option<&'s ObjectDef> {
        match self {
            Definition::Object(o) => Some(o),
            Definition::Parameter(_) => None,
        }
    }
}

/// Where a stored definition is: an index into the objects or into the parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    Object(u32),
    Parameter(u32),
}
