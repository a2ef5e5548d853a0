//! The definitions a [`Schema`](crate::Schema) holds: objects, parameters, syntax and facets
//! (SPEC DM-05).

use std::fmt;
use std::sync::OnceLock;

use crate::path::Path;

/// The TR-106 primitive data types (SPEC VAL-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum BaseType {
    /// `string`.
    #[default]
    String,
    /// `int` (32-bit signed).
    Int,
    /// `unsignedInt` (32-bit unsigned).
    UnsignedInt,
    /// `long` (64-bit signed).
    Long,
    /// `unsignedLong` (64-bit unsigned).
    UnsignedLong,
    /// `boolean`.
    Boolean,
    /// `dateTime`.
    DateTime,
    /// `base64`.
    Base64,
    /// `hexBinary`.
    HexBinary,
    /// `decimal`.
    Decimal,
}

impl BaseType {
    /// Every primitive type.
    pub const ALL: [BaseType; 10] = [
        BaseType::String,
        BaseType::Int,
        BaseType::UnsignedInt,
        BaseType::Long,
        BaseType::UnsignedLong,
        BaseType::Boolean,
        BaseType::DateTime,
        BaseType::Base64,
        BaseType::HexBinary,
        BaseType::Decimal,
    ];

    /// The data-model element name (`unsignedInt`); the xsd type is `xsd:` plus this.
    pub const fn name(self) -> &'static str {
        match self {
            BaseType::String => "string",
            BaseType::Int => "int",
            BaseType::UnsignedInt => "unsignedInt",
            BaseType::Long => "long",
            BaseType::UnsignedLong => "unsignedLong",
            BaseType::Boolean => "boolean",
            BaseType::DateTime => "dateTime",
            BaseType::Base64 => "base64",
            BaseType::HexBinary => "hexBinary",
            BaseType::Decimal => "decimal",
        }
    }

    /// The type for a data-model element name or an xsd type name with any prefix
    /// (`unsignedInt`, `xsd:unsignedInt`, `xs:base64Binary`, `soap-enc:base64`).
    ///
    /// ```
    /// use cwmp_datamodel::BaseType;
    /// assert_eq!(BaseType::from_name("xsd:unsignedInt"), Some(BaseType::UnsignedInt));
    /// assert_eq!(BaseType::from_name("xsd:base64Binary"), Some(BaseType::Base64));
    /// assert_eq!(BaseType::from_name("xsd:float"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<BaseType> {
        let local = name.rsplit(':').next().unwrap_or(name);
        Some(match local {
            "string" => BaseType::String,
            "int" => BaseType::Int,
            "unsignedInt" => BaseType::UnsignedInt,
            "long" => BaseType::Long,
            "unsignedLong" => BaseType::UnsignedLong,
            "boolean" => BaseType::Boolean,
            "dateTime" => BaseType::DateTime,
            "base64" | "base64Binary" => BaseType::Base64,
            "hexBinary" => BaseType::HexBinary,
            "decimal" => BaseType::Decimal,
            _ => return None,
        })
    }
}

impl fmt::Display for BaseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RangeFacet {
    /// `minInclusive`.
    pub min_inclusive: Option<String>,
    /// `maxInclusive`.
    pub max_inclusive: Option<String>,
    /// `step` (counted from `minInclusive`, or from 0 without one).
    pub step: Option<String>,
}

/// One `enumeration` value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EnumerationFacet {
    /// The value.
    pub value: String,
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
    pub value: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    compiled: OnceLock<Option<regex::Regex>>,
}

impl PartialEq for PatternFacet {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PatternFacet {
    /// A pattern facet for `value`.
    pub fn new(value: impl Into<String>) -> Self {
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct PathRefFacet {
    /// `refType`: `strong` or `weak`.
    pub ref_type: Option<String>,
    /// `targetParent`: where the target must be.
    pub target_parent: Option<String>,
    /// `targetType`: `any`, `parameter`, `object`, `single`, `table`, `row`.
    pub target_type: Option<String>,
    /// `targetDataType`.
    pub target_data_type: Option<String>,
}

/// An `instanceRef` facet: the value is an instance number of a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct InstanceRefFacet {
    /// `refType`: `strong` or `weak`.
    pub ref_type: Option<String>,
    /// `targetParent`: the table.
    pub target_parent: Option<String>,
}

/// An `enumerationRef` facet: the allowed values are those of another parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EnumerationRefFacet {
    /// `targetParam`.
    pub target_param: Option<String>,
    /// `nullValue`.
    pub null_value: Option<String>,
}

/// The `list` facet: the value is a comma-separated list (SPEC VAL-03) whose items carry the
/// other facets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ListFacet {
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `nestedBrackets`: `legal`, `required` or `illegal`.
    pub nested_brackets: Option<String>,
    /// `size` facets of the whole list string.
    pub sizes: Vec<SizeFacet>,
}

/// The facets declared at one level of a type derivation (a parameter's syntax, or one named
/// data type). Within a level, several `size`s or `range`s are alternatives, and the
/// enumerations and patterns together list the allowed values; levels all apply.
#[derive(Debug, Clone, PartialEq, Default)]
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
    pub units: Option<String>,
}

impl Facets {
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
    pub kind: String,
    /// `value`.
    pub value: String,
}

/// The syntax of a parameter, with the named data types it uses already resolved.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Syntax {
    /// The primitive type, after following named types and their `base` chain.
    pub base_type: BaseType,
    /// The named data type used (`IPAddress`, `Alias`...), if any.
    pub data_type: Option<String>,
    /// The named types of the `base` chain, most derived first (starting with `data_type`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub type_chain: Vec<String>,
    /// The `list` facet, when the value is a comma-separated list.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub list: Option<ListFacet>,
    /// The facets written on the parameter itself.
    pub facets: Facets,
    /// The facets of the named data types, most derived first.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub inherited: Vec<Facets>,
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
        std::iter::once(&self.facets).chain(self.inherited.iter())
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
    pub num_entries_parameter: Option<String>,
    /// `enableParameter`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub enable_parameter: Option<String>,
    /// `uniqueKey`s.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub unique_keys: Vec<UniqueKey>,
    /// `status`.
    pub status: Status,
    /// `version` (the model version that added it).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub version: Option<String>,
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
    pub parameters: Vec<String>,
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
    /// The value syntax.
    pub syntax: Syntax,
    /// `activeNotify`.
    pub active_notify: ActiveNotify,
    /// `forcedInform`: the parameter is in every Inform (SPEC EVT-06).
    pub forced_inform: bool,
    /// `status`.
    pub status: Status,
    /// `version`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub version: Option<String>,
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

/// A stored definition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Object(ObjectDef),
    Parameter(Box<ParameterDef>),
}

impl Node {
    pub(crate) fn path(&self) -> &Path {
        match self {
            Node::Object(o) => &o.path,
            Node::Parameter(p) => &p.path,
        }
    }

    pub(crate) fn as_definition(&self) -> Definition<'_> {
        match self {
            Node::Object(o) => Definition::Object(o),
            Node::Parameter(p) => Definition::Parameter(p),
        }
    }
}
