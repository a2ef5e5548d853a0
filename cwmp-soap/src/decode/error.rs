//! The decoder's error and warning types.

use cwmp_core::limits::Violation;

/// Why a message could not be decoded.
///
/// Every variant carries the byte offset in the input where the problem was found
/// ([`DecodeError::offset`]) and, where an element was open, the element path
/// (`Envelope/Body/Inform/DeviceId/OUI`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is larger than [`Limits::max_size`](super::Limits::max_size).
    #[error("input of {size} bytes is larger than the limit of {limit} bytes")]
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
        /// Always 0.
        offset: usize,
    },
    /// Elements are nested deeper than [`Limits::max_depth`](super::Limits::max_depth).
    #[error("elements nested deeper than {limit} at byte {offset} ({path})")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// More elements than [`Limits::max_elements`](super::Limits::max_elements).
    #[error("more than {limit} elements at byte {offset} ({path})")]
    TooManyElements {
        /// The limit.
        limit: usize,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// An array with more members than
    /// [`Limits::max_array_members`](super::Limits::max_array_members).
    #[error("array with more than {limit} members at byte {offset} ({path})")]
    TooManyArrayMembers {
        /// The limit.
        limit: usize,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// An element with more attributes than
    /// [`Limits::max_attributes`](super::Limits::max_attributes).
    #[error("element with more than {limit} attributes at byte {offset} ({path})")]
    TooManyAttributes {
        /// The limit.
        limit: usize,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// Element text longer than [`Limits::max_text_len`](super::Limits::max_text_len).
    #[error("text of {len} bytes is longer than the limit of {limit} at byte {offset} ({path})")]
    TextTooLong {
        /// The limit.
        limit: usize,
        /// The text length in bytes.
        len: usize,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// The input is not UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// A NUL byte, which no XML document may contain.
    #[error("NUL byte at byte {offset}")]
    NulByte {
        /// Byte offset.
        offset: usize,
    },
    /// A control character (invalid in XML 1.0), or U+FFFE / U+FFFF, while the policy is
    /// [`ControlCharPolicy::Error`](super::ControlCharPolicy::Error). For U+FFFE / U+FFFF,
    /// `byte` is the first byte of its UTF-8 form, `0xEF`.
    #[error("control character 0x{byte:02X} at byte {offset}")]
    ControlCharacter {
        /// The byte.
        byte: u8,
        /// Byte offset.
        offset: usize,
    },
    /// A document type declaration or entity declaration: DTDs are never processed.
    #[error("DTD or entity declaration at byte {offset}: refused, DTDs are not processed")]
    Dtd {
        /// Byte offset.
        offset: usize,
    },
    /// An entity reference other than the five predefined ones and character references.
    #[error("unknown entity reference &{entity}; at byte {offset} ({path})")]
    UnknownEntity {
        /// The entity name (truncated).
        entity: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// The input is not well-formed XML.
    #[error("malformed XML at byte {offset} ({path}): {message}")]
    Xml {
        /// What the XML reader reported.
        message: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// The input ended before the envelope was complete.
    #[error("input ends before the envelope is complete at byte {offset} ({path})")]
    UnexpectedEof {
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// The document has no root element.
    #[error("no root element before the end of the input at byte {offset}")]
    NoRoot {
        /// Byte offset (end of input).
        offset: usize,
    },
    /// The root element is not a SOAP 1.1 `Envelope`.
    #[error(
        "root element {name:?} in namespace {namespace:?} at byte {offset} is not a SOAP 1.1 Envelope"
    )]
    NotAnEnvelope {
        /// Local name of the root.
        name: String,
        /// Its namespace URI.
        namespace: String,
        /// Byte offset.
        offset: usize,
    },
    /// A SOAP 1.2 envelope: CWMP uses SOAP 1.1 only.
    #[error("SOAP 1.2 envelope at byte {offset}: CWMP uses SOAP 1.1")]
    Soap12 {
        /// Byte offset.
        offset: usize,
    },
    /// The envelope has no Body.
    #[error("envelope without a Body at byte {offset}")]
    MissingBody {
        /// Byte offset.
        offset: usize,
    },
    /// The Body holds no message.
    #[error("empty Body at byte {offset}")]
    EmptyBody {
        /// Byte offset.
        offset: usize,
    },
    /// A second Body element.
    #[error("second Body at byte {offset}")]
    DuplicateBody {
        /// Byte offset.
        offset: usize,
    },
    /// A second element inside the Body.
    #[error("second message {name:?} in the Body at byte {offset} ({path})")]
    MultipleMessages {
        /// Local name of the second element.
        name: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// A second Header element, or a CWMP header element given twice.
    #[error("duplicate header {name:?} at byte {offset} ({path})")]
    DuplicateHeader {
        /// The header's local name.
        name: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// A header this decoder does not know, with `mustUnderstand="1"` (SOAP 1.1 §4.2.3: the
    /// receiver answers with a MustUnderstand fault).
    #[error("header {name:?} in namespace {namespace:?} must be understood, at byte {offset}")]
    MustUnderstand {
        /// The header's local name.
        name: String,
        /// Its namespace URI.
        namespace: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// Text that is not a valid number, boolean or version where one is required.
    #[error("{text:?} is not a valid {expected} at byte {offset} ({path})")]
    InvalidValue {
        /// What was expected (`unsignedInt`, `boolean` ...).
        expected: &'static str,
        /// The text (truncated to 64 bytes).
        text: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// An element where only text may appear.
    #[error("element {name:?} inside a text-only element at byte {offset} ({path})")]
    UnexpectedElement {
        /// Local name of the element.
        name: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// A namespace prefix that no declaration in scope binds, in a name the decoder keeps
    /// (inside an unknown method's arguments).
    #[error("namespace prefix {prefix:?} is not declared, at byte {offset} ({path})")]
    UndeclaredPrefix {
        /// The prefix (truncated to 64 bytes).
        prefix: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// A malformed attribute list.
    #[error("malformed attributes at byte {offset} ({path}): {reason}")]
    MalformedAttribute {
        /// What is wrong, e.g. `an attribute value not in quotes`.
        reason: &'static str,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// An element name the decoder would keep (an unknown method's) that is not an XML
    /// `QName`, so the document is not well-formed, or that the encoder cannot write back
    /// unchanged (see the [module docs](super)).
    #[error(
        "element name {name:?} is not an XML name the encoder can write, at byte {offset} ({path})"
    )]
    InvalidName {
        /// The qualified name (truncated to 64 bytes).
        name: String,
        /// Byte offset.
        offset: usize,
        /// Element path.
        path: String,
    },
    /// Content after the end of the Envelope.
    #[error("content after the Envelope at byte {offset}")]
    TrailingContent {
        /// Byte offset.
        offset: usize,
    },
    /// Strict mode: the message deviates from the schema. Holds every deviation that lenient
    /// mode would have tolerated (as warnings) and every violation of the schema's length,
    /// pattern and range limits (`cwmp_core::limits::Validate`).
    #[error("strict mode: {} deviation(s){}, {} schema violation(s){}", deviations.len(), first_deviation(deviations), violations.len(), display_violations(violations))]
    Strict {
        /// Every tolerated deviation, in document order.
        deviations: Vec<Warning>,
        /// Every schema-limit violation of the decoded message.
        violations: Vec<Violation>,
        /// Offset of the first deviation, else of the message element in the Body.
        offset: usize,
    },
}

fn display_violations(v: &[Violation]) -> String {
    if v.is_empty() {
        return String::new();
    }
    let list: Vec<String> = v.iter().map(ToString::to_string).collect();
    format!(": {}", list.join("; "))
}

fn first_deviation(d: &[Warning]) -> String {
    d.first()
        .map(|w| format!(" (first: {} at byte {})", w.kind, w.offset))
        .unwrap_or_default()
}

impl DecodeError {
    /// The byte offset in the input where the problem was found.
    pub fn offset(&self) -> usize {
        match self {
            DecodeError::TooLarge { offset, .. }
            | DecodeError::TooDeep { offset, .. }
            | DecodeError::TooManyElements { offset, .. }
            | DecodeError::TooManyArrayMembers { offset, .. }
            | DecodeError::TooManyAttributes { offset, .. }
            | DecodeError::TextTooLong { offset, .. }
            | DecodeError::InvalidUtf8 { offset }
            | DecodeError::NulByte { offset }
            | DecodeError::ControlCharacter { offset, .. }
            | DecodeError::Dtd { offset }
            | DecodeError::UnknownEntity { offset, .. }
            | DecodeError::Xml { offset, .. }
            | DecodeError::UnexpectedEof { offset, .. }
            | DecodeError::NoRoot { offset }
            | DecodeError::NotAnEnvelope { offset, .. }
            | DecodeError::Soap12 { offset }
            | DecodeError::MissingBody { offset }
            | DecodeError::EmptyBody { offset }
            | DecodeError::DuplicateBody { offset }
            | DecodeError::MultipleMessages { offset, .. }
            | DecodeError::DuplicateHeader { offset, .. }
            | DecodeError::MustUnderstand { offset, .. }
            | DecodeError::InvalidValue { offset, .. }
            | DecodeError::UnexpectedElement { offset, .. }
            | DecodeError::MalformedAttribute { offset, .. }
            | DecodeError::UndeclaredPrefix { offset, .. }
            | DecodeError::InvalidName { offset, .. }
            | DecodeError::TrailingContent { offset }
            | DecodeError::Strict { offset, .. } => *offset,
        }
    }

    /// The element path where the problem was found, when an element was open.
    pub fn path(&self) -> Option<&str> {
        match self {
            DecodeError::TooDeep { path, .. }
            | DecodeError::TooManyElements { path, .. }
            | DecodeError::TooManyArrayMembers { path, .. }
            | DecodeError::TooManyAttributes { path, .. }
            | DecodeError::TextTooLong { path, .. }
            | DecodeError::UnknownEntity { path, .. }
            | DecodeError::Xml { path, .. }
            | DecodeError::UnexpectedEof { path, .. }
            | DecodeError::MultipleMessages { path, .. }
            | DecodeError::DuplicateHeader { path, .. }
            | DecodeError::MustUnderstand { path, .. }
            | DecodeError::InvalidValue { path, .. }
            | DecodeError::UnexpectedElement { path, .. }
            | DecodeError::MalformedAttribute { path, .. }
            | DecodeError::UndeclaredPrefix { path, .. }
            | DecodeError::InvalidName { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// A deviation from the CWMP schemas that lenient decoding tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What deviated.
    pub kind: WarningKind,
    /// Byte offset in the input.
    pub offset: usize,
}

/// The kinds of tolerated deviation; strict decoding refuses each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum WarningKind {
    /// Whitespace before the XML declaration.
    #[error("whitespace before the XML declaration")]
    LeadingWhitespace,
    /// A prefix used in an element name or QName attribute value is not declared.
    #[error("undeclared namespace prefix")]
    UndeclaredPrefix,
    /// A cwmp namespace that no BBF schema defines: `cwmp-1-3` or `cwmp-1-4`.
    #[error("cwmp namespace not defined by any BBF schema")]
    NonSchemaNamespace,
    /// Header and Body use different cwmp namespaces.
    #[error("different cwmp namespaces in one message")]
    MixedCwmpNamespaces,
    /// No cwmp namespace anywhere in the message: the version defaults to 1.0.
    #[error("no cwmp namespace in the message")]
    NoCwmpNamespace,
    /// The message element in the Body has no namespace.
    #[error("message element without namespace")]
    UnqualifiedMethod,
    /// A header this decoder does not know (without mustUnderstand=1), skipped.
    #[error("unknown header, ignored")]
    UnknownHeader,
    /// `mustUnderstand` written as `true`/`false`, which SOAP 1.1 does not allow.
    #[error("mustUnderstand is not 0 or 1")]
    NonStandardMustUnderstand,
    /// The `NoMoreRequests` header, which no CWMP schema defines.
    #[error("NoMoreRequests header (TR-069 2004, in no schema)")]
    DeprecatedHeader,
    /// `HoldRequest` for `HoldRequests` (clj.tr069's sample Inform), read as HoldRequests.
    #[error("misspelled header HoldRequest, read as HoldRequests")]
    MisspelledHeader,
    /// A header from a later version than the message's cwmp namespace.
    #[error("header newer than the message's cwmp namespace")]
    HeaderNotInVersion,
    /// `xsi:type="SOAP-ENC:Array"` on an array.
    #[error("xsi:type soapenc:Array on an array")]
    ArrayXsiType,
    /// An array without `soapenc:arrayType`.
    #[error("array without arrayType")]
    MissingArrayType,
    /// An arrayType that cannot be parsed.
    #[error("malformed arrayType")]
    MalformedArrayType,
    /// A zero-padded arrayType count such as `[0008]`.
    #[error("zero-padded arrayType count")]
    ZeroPaddedArrayCount,
    /// An arrayType count that differs from the number of members.
    #[error("arrayType count differs from the number of members")]
    ArrayCountMismatch,
    /// An arrayType naming a different member type.
    #[error("arrayType names another member type")]
    ArrayTypeMismatch,
    /// A struct array written without its wrapper: the array element holds one struct's
    /// fields directly (and is repeated once per struct); read as one member per element.
    #[error("struct array without member wrapper, one member per array element")]
    ArrayWithoutWrapper,
    /// A child repeated inside a struct whose every value is kept: an `EventStruct` with
    /// several `EventCode`s becomes one event per code, sharing the CommandKey.
    #[error("repeated EventCode, one event per code")]
    RepeatedEventCode,
    /// A value that breaks a facet of the schema (length, pattern, range: a lower-case OUI,
    /// a State of 0 ...); the message's [`violations`](crate::decode::Decoded::violations)
    /// say which.
    #[error("value breaks a schema facet")]
    SchemaViolation,
    /// An array member whose element name is not the member type.
    #[error("unexpected array member element")]
    UnexpectedArrayMember,
    /// A `Value` without `xsi:type`, read as a string.
    #[error("Value without xsi:type, read as string")]
    MissingValueType,
    /// A value type CWMP does not define, kept as `ValueType::Other`.
    #[error("value type not defined by CWMP")]
    UnknownValueType,
    /// An `xsi:type` naming one of CWMP's value types (`string`, `int` ...) in a namespace
    /// other than XML Schema or SOAP encoding (`x:string` with `x` bound to `urn:other`): read
    /// as that type, which is how the encoder writes it back (`xsd:string`).
    #[error("xsi:type names a CWMP value type in a foreign namespace, read as that type")]
    ForeignValueType,
    /// An `xsi:type` whose value is not a `QName` (control characters, characters that are
    /// not name characters, character references, a second `:` ...): no type can be written
    /// back from it, so the value is read as a string, as without `xsi:type`.
    #[error("xsi:type is not a QName, value read as string")]
    MalformedValueType,
    /// A value whose text is not a valid instance of its declared type (kept as is).
    #[error("value text does not match its xsi:type")]
    InvalidValueText,
    /// A required element is missing; its field has its default.
    #[error("required element missing")]
    MissingElement,
    /// An element the schema does not allow here, skipped.
    #[error("unexpected element, skipped")]
    UnexpectedElement,
    /// The same element twice; the last one is kept.
    #[error("element repeated")]
    DuplicateElement,
    /// Child elements out of the schema's order.
    #[error("elements out of schema order")]
    OutOfOrder,
    /// Text where only elements may appear, ignored.
    #[error("text between elements, ignored")]
    UnexpectedText,
    /// A control character that XML 1.0 forbids, or the noncharacter U+FFFE or
    /// U+FFFF, which it forbids too; kept or replaced by policy.
    #[error("control character in text")]
    ControlCharacter,
    /// A boolean written other than `0`, `1`, `true`, `false` (e.g. `TRUE`).
    #[error("boolean not in xs:boolean's lexical space")]
    NonCanonicalBoolean,
    /// An empty element where a number is required, read as 0.
    #[error("empty number, read as 0")]
    EmptyNumber,
    /// A dateTime field whose text is not an xs:dateTime, kept verbatim.
    #[error("dateTime text is not an xs:dateTime")]
    InvalidDateTime,
    /// A SOAP faultcode other than Client or Server.
    #[error("faultcode is neither Client nor Server")]
    UnknownFaultCode,
    /// ChangeDUState Operations or DU Results in the deployed wrapper form.
    #[error("deployment-unit wrapper form (not the XSD form)")]
    DuWrapperForm,
    /// A deployment-unit Fault wrapped in a FaultStruct element.
    #[error("FaultStruct wrapper inside a deployment-unit Fault")]
    DuFaultWrapper,
    /// A SOAP Fault without a CWMP fault in its detail: kept as a SOAP-level fault.
    #[error("SOAP Fault without a CWMP fault")]
    NoCwmpFault,
    /// Text inside a SOAP Fault element, next to or instead of its elements: kept.
    #[error("text inside a SOAP Fault")]
    FaultText,
    /// An `Operations` element without a recognisable operation type, skipped.
    #[error("operation without a known type, skipped")]
    UnknownOperationType,
}
