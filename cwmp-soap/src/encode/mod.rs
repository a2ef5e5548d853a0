//! Encoding: a [`cwmp_core::Envelope`] to the SOAP 1.1 envelope the BBF schemas accept.
//!
//! [`encode`] writes a message with the default [`EncodeOptions`]; build options to choose the
//! CWMP version and the wire forms peers need (XML declaration, `1`/`0` booleans, dateTime
//! fractions, the ChangeDUState shape). The encoder writes straight into a `Vec<u8>` (or a
//! [`BytesMut`]): no intermediate tree, no XML library, one pass over the model.
//!
//! ```
//! use cwmp_core::{Envelope, CwmpVersion};
//! use cwmp_core::rpc::{Download, GetParameterValues};
//! use cwmp_soap::{encode, EncodeOptions, BoolFormat};
//!
//! let gpv = Envelope::request("1", GetParameterValues::new(["Device.DeviceInfo."]));
//! let mut out = Vec::new();
//! encode(&gpv, &mut out);
//! let xml = String::from_utf8(out).unwrap();
//! assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
//! assert!(xml.contains(r#"xmlns:cwmp="urn:dslforum-org:cwmp-1-2""#));
//! assert!(xml.contains(r#"<cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID>"#));
//! assert!(xml.contains(
//!     r#"<ParameterNames soap-enc:arrayType="xsd:string[1]"><string>Device.DeviceInfo.</string></ParameterNames>"#
//! ));
//!
//! // Every text is escaped; the version picks the namespace.
//! let download = Envelope::request("2", Download {
//!     url: "http://h/f?a=1&b=2".into(),
//!     ..Download::default()
//! });
//! let options = EncodeOptions::for_version(CwmpVersion::V1_0)
//!     .with_xml_declaration(false)
//!     .with_booleans(BoolFormat::Digits);
//! let mut out = Vec::new();
//! options.encode(&download, &mut out);
//! let xml = String::from_utf8(out).unwrap();
//! assert!(xml.starts_with("<soap-env:Envelope"));
//! assert!(xml.contains(r#"xmlns:cwmp="urn:dslforum-org:cwmp-1-0""#));
//! assert!(xml.contains("<URL>http://h/f?a=1&amp;b=2</URL>"));
//! ```
//!
//! # What is written
//!
//! - The root `soap-env:Envelope` declares the prefixes `soap-env`, `soap-enc`, `xsd`, `xsi` and
//!   `cwmp`. The cwmp namespace is that of [`EncodeOptions::version`]
//!   ([`CwmpVersion::namespace`]), except when the body's RPC is newer than that version
//!   ([`Body::since`]): then the RPC's own version is used so that the output stays schema-valid
//!   (ChangeDUState is always written in `cwmp-1-2`, GetAllQueuedTransfers at least in
//!   `cwmp-1-1`). That version is the *effective version* below.
//! - Header elements with `soap-env:mustUnderstand` (`1` on ID, HoldRequests and
//!   UseCWMPVersion, `0` on SessionTimeout and SupportedCWMPVersions). An element is written only
//!   when it is set and the schema of the effective version declares it: SessionTimeout needs
//!   1.3, SupportedCWMPVersions and UseCWMPVersion need 1.4; set at an older version they are
//!   dropped (cwmp-1-0/1-1/1-2.xsd do not declare them). NoMoreRequests is never written (no
//!   schema declares it). Without any element to write, the Header is omitted.
//! - Arrays are `soap-enc:Array`s with `soap-enc:arrayType` giving the true count, `cwmp:` for
//!   struct members and `xsd:` for `string` and `base64` members (as SOAP 1.1 encoding asks). An empty array
//!   is written with count 0, even where the schema asks for at least one member (that content
//!   is the caller's to fix; the encoder does not invent members).
//! - Every parameter `Value` carries `xsi:type="xsd:…"` ([`ValueType::xsd_name`]); a type the
//!   model keeps as `Other(name)` is written `xsd:name` as received.
//! - A [`Fault`] body is a `soap-env:Fault` with `faultcode` (`Client`/`Server`, unprefixed as in
//!   TR-069's examples), `faultstring`, and `detail/cwmp:Fault` with FaultCode, FaultString and
//!   one SetParameterValuesFault per entry.
//! - A [`Body::SoapFault`] (a SOAP Fault without CWMP detail) is written as it came: its text,
//!   then whichever of `faultcode`, `faultstring` and `faultactor` it has, and no `detail`.
//! - [`Body::Unknown`] is written with its name and prefix, the namespace declarations it
//!   recorded (and its own namespace's, when none of them gives it), and its content as it is
//!   (raw XML). A name that is not an XML name has its offending characters replaced by `_`.
//!   Such a message is not schema-valid, but it is well-formed when the content is.
//! - Optional elements (ChangeDUState and DUStateChangeComplete CommandKey, the optional fields
//!   of the operation structs, OptionStruct ExpirationDate) are written when `Some`. FaultString
//!   elements, which the model keeps as possibly empty text, are always written.
//!
//! # Text
//!
//! Every text field and attribute is escaped (`&`, `<`, `>`; in attributes also `"`, tab and
//! line feed). A carriage return is written `&#13;` so that the reader's end-of-line
//! normalisation does not turn it into a line feed. Characters XML 1.0 cannot carry at all (C0
//! controls other than tab, line feed and carriage return; U+FFFE; U+FFFF) cannot be written in
//! any form: they are replaced by U+FFFD, so the encoder never produces ill-formed XML and never
//! fails.
//!
//! [`BytesMut`]: bytes::BytesMut
//! [`Body::since`]: cwmp_core::Body::since
//! [`Body::Unknown`]: cwmp_core::Body::Unknown
//! [`Body::SoapFault`]: cwmp_core::Body::SoapFault
//! [`ValueType::xsd_name`]: cwmp_core::value::ValueType::xsd_name
//! [`Fault`]: cwmp_core::fault::Fault

use cwmp_core::envelope::UnknownMethod;
use cwmp_core::limits::Violation;
use cwmp_core::{Body, CwmpVersion, Envelope, Header};
use field::WriteStruct;

mod fault;
pub(crate) mod field;
mod rpc;
mod validate;
pub(crate) mod xml;

use xml::Xml;

/// How booleans are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BoolFormat {
    /// `true` / `false` (the default).
    #[default]
    Words,
    /// `1` / `0`, for peers that refuse the words. Also applied to parameter values of type
    /// `xsd:boolean` whose text is a valid boolean.
    Digits,
}

/// What to do with the fractional seconds of dateTime fields and of parameter values of type
/// `xsd:dateTime`. Only text that parses as a dateTime is rewritten; anything else
/// is written unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DateTimeFraction {
    /// Write the text as it is (the default).
    #[default]
    AsIs,
    /// Drop the fraction (`.000`), for peers that refuse fractional seconds.
    Strip,
    /// Exactly three fractional digits (milliseconds, truncated).
    Millis,
}

/// The wire shape of ChangeDUState `Operations` and (Autonomous)DUStateChangeComplete `Results`
///.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DuShape {
    /// The form of the BBF schema (the default): one `<Operations xsi:type="cwmp:InstallOpStruct">`
    /// element per operation and one `<Results>` element per result.
    #[default]
    Xsd,
    /// The form of deployed code (icwmp, jdalberg/cwmp): a single `<Operations>` wrapping
    /// `<InstallOpStruct>`, `<UpdateOpStruct>` and `<UninstallOpStruct>` children, and a single
    /// `<Results soap-enc:arrayType="cwmp:OpResultStruct[n]">` wrapping `<OpResultStruct>` (or
    /// `AutonOpResultStruct`) children. The schema rejects it; use it only for peers that need it.
    Wrapper,
}

/// How an envelope is written.
///
/// ```
/// use cwmp_soap::{EncodeOptions, DuShape};
/// use cwmp_core::CwmpVersion;
/// let o = EncodeOptions::default();
/// assert_eq!(o.version, CwmpVersion::V1_4);
/// assert!(o.xml_declaration);
/// assert_eq!(o.du_shape, DuShape::Xsd);
/// let legacy = EncodeOptions::for_version(CwmpVersion::V1_0);
/// assert_eq!(legacy.version, CwmpVersion::V1_0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EncodeOptions {
    /// The CWMP version of the session (default [`CwmpVersion::V1_4`], the newest, written in
    /// the `cwmp-1-2` namespace). Set the negotiated version when talking to an older peer: it
    /// selects the namespace and which header elements may be written (see the
    /// [module docs](self)).
    pub version: CwmpVersion,
    /// Write `<?xml version="1.0" encoding="UTF-8"?>` first (default `true`: some CPEs refuse
    /// envelopes without it).
    pub xml_declaration: bool,
    /// How booleans are written (default `true`/`false`).
    pub booleans: BoolFormat,
    /// What to do with fractional seconds (default: as they are).
    pub datetime_fraction: DateTimeFraction,
    /// The ChangeDUState / DUStateChangeComplete shape (default: the schema's).
    pub du_shape: DuShape,
    /// Whether [`EncodeOptions::encode_checked`] checks the message against the schema's
    /// facets and types first (default: no).
    pub validation: Validation,
}

/// What [`EncodeOptions::encode_checked`] does with values that break the schema's facets or
/// types (a lower-case OUI, dateTime text that is no dateTime, a State of 0, a parameter value
/// that is no instance of its `xsi:type` ...).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Validation {
    /// Do not check (the default): the message is written as it is.
    #[default]
    Off,
    /// Write the message as it is and return each violation as a warning.
    Warn,
    /// Write nothing when there is a violation; return them all as the error.
    Refuse,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            version: CwmpVersion::V1_4,
            xml_declaration: true,
            booleans: BoolFormat::Words,
            datetime_fraction: DateTimeFraction::AsIs,
            du_shape: DuShape::Xsd,
            validation: Validation::Off,
        }
    }
}

// The namespaces as macros too, so that `concat!` can build the envelope's opening tag.
macro_rules! soap_env_ns {
    () => {
        "http://schemas.xmlsoap.org/soap/envelope/"
    };
}
macro_rules! soap_enc_ns {
    () => {
        "http://schemas.xmlsoap.org/soap/encoding/"
    };
}
macro_rules! xsd_ns {
    () => {
        "http://www.w3.org/2001/XMLSchema"
    };
}
macro_rules! xsi_ns {
    () => {
        "http://www.w3.org/2001/XMLSchema-instance"
    };
}

/// The SOAP envelope namespace.
pub const SOAP_ENV_NS: &str = soap_env_ns!();
/// The SOAP encoding namespace.
pub const SOAP_ENC_NS: &str = soap_enc_ns!();
/// The XML Schema namespace (prefix `xsd`).
pub const XSD_NS: &str = xsd_ns!();
/// The XML Schema instance namespace (prefix `xsi`).
pub const XSI_NS: &str = xsi_ns!();

/// The XML declaration and its line feed.
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The envelope's opening tag up to the cwmp namespace.
const ENVELOPE_OPEN: &str = concat!(
    r#"<soap-env:Envelope xmlns:soap-env=""#,
    soap_env_ns!(),
    r#"" xmlns:soap-enc=""#,
    soap_enc_ns!(),
    r#"" xmlns:xsd=""#,
    xsd_ns!(),
    r#"" xmlns:xsi=""#,
    xsi_ns!(),
    r#"" xmlns:cwmp=""#,
);

impl EncodeOptions {
    /// The default options with the given version.
    pub fn for_version(version: CwmpVersion) -> Self {
        EncodeOptions {
            version,
            ..EncodeOptions::default()
        }
    }

    /// These options with another CWMP version.
    pub fn with_version(mut self, version: CwmpVersion) -> Self {
        self.version = version;
        self
    }

    /// These options with or without the XML declaration.
    pub fn with_xml_declaration(mut self, on: bool) -> Self {
        self.xml_declaration = on;
        self
    }

    /// These options with another boolean form.
    pub fn with_booleans(mut self, booleans: BoolFormat) -> Self {
        self.booleans = booleans;
        self
    }

    /// These options with another treatment of fractional seconds.
    pub fn with_datetime_fraction(mut self, fraction: DateTimeFraction) -> Self {
        self.datetime_fraction = fraction;
        self
    }

    /// These options with another deployment-unit shape.
    pub fn with_du_shape(mut self, shape: DuShape) -> Self {
        self.du_shape = shape;
        self
    }

    /// These options with another validation on encode.
    pub fn with_validation(mut self, validation: Validation) -> Self {
        self.validation = validation;
        self
    }

    /// The version a body is actually written in: the options' version, or the newest version
    /// the body needs when that is newer: the RPC's own ([`Body::since`]) and that of its
    /// version-dependent values, such as event codes ([`Body::content_since`]), so that what
    /// is written exists in the namespace written.
    ///
    /// ```
    /// use cwmp_core::{Body, CwmpVersion, rpc::{ChangeDuState, Reboot}};
    /// use cwmp_soap::EncodeOptions;
    /// let o = EncodeOptions::for_version(CwmpVersion::V1_0);
    /// assert_eq!(o.effective_version(&Body::from(ChangeDuState::default())), CwmpVersion::V1_2);
    /// assert_eq!(o.effective_version(&Body::from(Reboot::default())), CwmpVersion::V1_0);
    /// ```
    pub fn effective_version(&self, body: &Body<'_>) -> CwmpVersion {
        self.version.max(body.since()).max(body.content_since())
    }

    /// Appends the envelope to `out` after checking it as [`EncodeOptions::validation`]
    /// says: every value that breaks the schema's facets or types
    /// ([`cwmp_core::limits::Validate`], and parameter values that are no instance of their
    /// `xsi:type`) is returned as a warning (`Ok`, the message written as it is), or refused
    /// (`Err`, nothing written). With [`Validation::Off`] it is [`EncodeOptions::encode`].
    ///
    /// ```
    /// use cwmp_core::{Envelope, rpc::{DeviceId, Inform}};
    /// use cwmp_core::datetime::DateTimeText;
    /// use cwmp_soap::{EncodeOptions, Validation};
    /// let inform = Inform {
    ///     device_id: DeviceId { oui: "00a0c9".into(), ..DeviceId::default() },
    ///     current_time: DateTimeText::new("2024-05-01T12:00:00Z"),
    ///     ..Inform::default()
    /// };
    /// let env = Envelope::request("1", inform);
    /// let mut out = Vec::new();
    /// let warn = EncodeOptions::default().with_validation(Validation::Warn);
    /// let warnings = warn.encode_checked(&env, &mut out).unwrap();
    /// assert_eq!(warnings[0].field, "OUI");
    /// assert!(!out.is_empty());
    /// let refuse = EncodeOptions::default().with_validation(Validation::Refuse);
    /// let mut none = Vec::new();
    /// assert!(refuse.encode_checked(&env, &mut none).is_err());
    /// assert!(none.is_empty());
    /// ```
    pub fn encode_checked(
        &self,
        envelope: &Envelope<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Vec<Violation>, Vec<Violation>> {
        let violations = match self.validation {
            Validation::Off => Vec::new(),
            Validation::Warn | Validation::Refuse => validate::violations(&envelope.body),
        };
        if self.validation == Validation::Refuse && !violations.is_empty() {
            return Err(violations);
        }
        self.encode(envelope, out);
        Ok(violations)
    }

    /// Appends the envelope to `out`.
    pub fn encode(&self, envelope: &Envelope<'_>, out: &mut Vec<u8>) {
        out.reserve(estimate(&envelope.body));
        let mut x = Xml { out, opts: self };
        write_envelope(&mut x, envelope, self.effective_version(&envelope.body));
    }

    /// Appends the envelope to a [`BytesMut`](bytes::BytesMut).
    ///
    /// The writer appends to the `BytesMut`'s own buffer, taken as a `Vec` and handed back
    /// (both conversions keep the allocation; the way back through `Bytes` makes one small
    /// bookkeeping allocation): the message is not written elsewhere and copied. A buffer
    /// shared with other handles is copied once first, as growing it would.
    pub fn encode_bytes(&self, envelope: &Envelope<'_>, out: &mut bytes::BytesMut) {
        let mut buf = Vec::from(std::mem::take(out));
        self.encode(envelope, &mut buf);
        *out = bytes::BytesMut::from(bytes::Bytes::from(buf));
    }

    /// Encodes into a new `Vec`.
    pub fn to_vec(&self, envelope: &Envelope<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(envelope, &mut out);
        out
    }
}

/// Appends the envelope to `out` with the default [`EncodeOptions`] (CWMP 1.4, XML declaration,
/// `true`/`false`, dateTimes as they are, the schema's DU shape).
pub fn encode(envelope: &Envelope<'_>, out: &mut Vec<u8>) {
    EncodeOptions::default().encode(envelope, out);
}

/// Appends the envelope to a [`BytesMut`](bytes::BytesMut) with the default [`EncodeOptions`].
pub fn encode_bytes(envelope: &Envelope<'_>, out: &mut bytes::BytesMut) {
    EncodeOptions::default().encode_bytes(envelope, out);
}

/// A capacity guess: a fixed part plus the text of the lists with their markup, and a sixteenth
/// more for escapes, so that a message is written without growing the buffer on the way.
fn estimate(body: &Body<'_>) -> usize {
    use cwmp_core::rpc::ParameterValue;
    // The markup of a ParameterValueStruct is 89 bytes plus the type name (at most 12 for the
    // types with a fixed name).
    fn values(list: &[ParameterValue<'_>]) -> usize {
        list.iter()
            .map(|p| p.name.len() + p.value.text.len() + 104)
            .sum()
    }
    let lists = match body {
        Body::GetParameterValuesResponse(m) => values(&m.parameters),
        Body::SetParameterValues(m) => values(&m.parameters),
        Body::Inform(m) => values(&m.parameters) + m.events.len() * 96 + 512,
        Body::GetParameterNamesResponse(m) => m.parameters.iter().map(|p| p.name.len() + 96).sum(),
        Body::GetParameterAttributesResponse(m) => {
            m.parameters.iter().map(|p| p.name.len() + 160).sum()
        }
        Body::GetParameterValues(m) => m.parameter_names.iter().map(|n| n.len() + 20).sum(),
        Body::Fault(f) => {
            f.fault_string.len()
                + f.message.len()
                + 256
                + f.set_parameter_values_faults
                    .iter()
                    .map(|s| s.parameter_name.len() + s.message.len() + 128)
                    .sum::<usize>()
        }
        _ => 0,
    };
    640 + lists + lists / 16
}

fn write_envelope(x: &mut Xml<'_>, env: &Envelope<'_>, version: CwmpVersion) {
    if x.opts.xml_declaration {
        x.raw(XML_DECLARATION);
    }
    x.raw(ENVELOPE_OPEN);
    x.raw(version.namespace());
    x.raw(r#"">"#);
    write_header(x, &env.header, version);
    x.raw("<soap-env:Body>");
    write_body(x, &env.body);
    x.raw("</soap-env:Body></soap-env:Envelope>");
}

fn header_element(
    x: &mut Xml<'_>,
    name: &str,
    must_understand: bool,
    write: impl FnOnce(&mut Xml<'_>),
) {
    x.raw("<cwmp:");
    x.raw(name);
    x.raw(if must_understand {
        r#" soap-env:mustUnderstand="1">"#
    } else {
        r#" soap-env:mustUnderstand="0">"#
    });
    write(x);
    x.raw("</cwmp:");
    x.raw(name);
    x.out.push(b'>');
}

/// Whether a header element may be written at the effective version, and its mustUnderstand.
fn header_allowed(element: cwmp_core::header::HeaderElement, version: CwmpVersion) -> Option<bool> {
    if element.since() <= version {
        element.must_understand()
    } else {
        None
    }
}

fn write_header(x: &mut Xml<'_>, h: &Header<'_>, version: CwmpVersion) {
    use cwmp_core::header::HeaderElement as E;
    let start = x.out.len();
    x.raw("<soap-env:Header>");
    let after_open = x.out.len();
    if let (Some(id), Some(mu)) = (&h.id, header_allowed(E::Id, version)) {
        header_element(x, E::Id.name(), mu, |x| x.text(id));
    }
    if let (Some(hold), Some(mu)) = (h.hold_requests, header_allowed(E::HoldRequests, version)) {
        header_element(x, E::HoldRequests.name(), mu, |x| {
            let t = x.bool_text(hold);
            x.raw(t);
        });
    }
    if let (Some(t), Some(mu)) = (
        h.session_timeout,
        header_allowed(E::SessionTimeout, version),
    ) {
        header_element(x, E::SessionTimeout.name(), mu, |x| {
            xml::push_u64(x.out, u64::from(t));
        });
    }
    if let (Some(list), Some(mu)) = (
        &h.supported_cwmp_versions,
        header_allowed(E::SupportedCwmpVersions, version),
    ) {
        header_element(x, E::SupportedCwmpVersions.name(), mu, |x| x.text(list));
    }
    if let (Some(v), Some(mu)) = (
        h.use_cwmp_version,
        header_allowed(E::UseCwmpVersion, version),
    ) {
        header_element(x, E::UseCwmpVersion.name(), mu, |x| x.raw(v.as_str()));
    }
    if x.out.len() == after_open {
        x.out.truncate(start);
    } else {
        x.raw("</soap-env:Header>");
    }
}

fn write_unknown(x: &mut Xml<'_>, m: &UnknownMethod<'_>) {
    x.out.push(b'<');
    let prefixed = !m.prefix.is_empty();
    if prefixed {
        xml::push_ncname(x.out, &m.prefix);
        x.out.push(b':');
    }
    xml::push_ncname(x.out, &m.name);
    for b in &m.namespaces {
        namespace_declaration(x, &b.prefix, &b.uri);
    }
    // The element's own namespace, when no declaration above gives it.
    let declared = m.namespaces.iter().any(|b| b.prefix == m.prefix);
    let canonical = matches!(
        (&*m.prefix, &*m.namespace),
        ("soap-env", SOAP_ENV_NS) | ("soap-enc", SOAP_ENC_NS) | ("xsd", XSD_NS) | ("xsi", XSI_NS)
    );
    if !declared && !canonical && (prefixed || !m.namespace.is_empty()) {
        namespace_declaration(x, &m.prefix, &m.namespace);
    }
    if m.content.is_empty() {
        x.raw("/>");
        return;
    }
    x.out.push(b'>');
    xml::push_content(x.out, &m.content);
    x.raw("</");
    if prefixed {
        xml::push_ncname(x.out, &m.prefix);
        x.out.push(b':');
    }
    xml::push_ncname(x.out, &m.name);
    x.out.push(b'>');
}

/// ` xmlns="uri"` or ` xmlns:prefix="uri"`.
fn namespace_declaration(x: &mut Xml<'_>, prefix: &str, uri: &str) {
    if prefix.is_empty() {
        x.raw(" xmlns=\"");
    } else {
        x.raw(" xmlns:");
        xml::push_ncname(x.out, prefix);
        x.raw("=\"");
    }
    x.attr_value(uri);
    x.out.push(b'"');
}

/// Writes `<cwmp:Name>children</cwmp:Name>`, or `<cwmp:Name/>` when there are none.
fn write_rpc(x: &mut Xml<'_>, name: &str, children: impl FnOnce(&mut Xml<'_>)) {
    x.raw("<cwmp:");
    x.raw(name);
    x.out.push(b'>');
    let after_open = x.out.len();
    children(x);
    if x.out.len() == after_open {
        x.out.truncate(after_open - 1);
        x.raw("/>");
    } else {
        x.raw("</cwmp:");
        x.raw(name);
        x.out.push(b'>');
    }
}

fn write_body(x: &mut Xml<'_>, body: &Body<'_>) {
    let name = body.name();
    match body {
        Body::Fault(f) => fault::fault(x, f),
        Body::SoapFault(f) => fault::soap_fault(x, f),
        Body::Unknown(m) => write_unknown(x, m),
        _ => write_rpc(x, name, |x| write_children(x, body)),
    }
}

/// The dispatch on the body's variant, built from cwmp-core's list of RPCs: an RPC in the
/// model without a description does not compile (it is never written as an
/// empty element).
macro_rules! dispatch {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $wire:literal, $since:ident, $side:ident, $response:literal;)*) => {
        /// The children of an RPC element.
        fn write_children(x: &mut Xml<'_>, body: &Body<'_>) {
            match body {
                $(Body::$variant(m) => m.write_fields(x),)*
                // Written by `write_body`; `Body` is non-exhaustive, but every RPC it holds is
                // listed above.
                _ => {}
            }
        }
    };
}

cwmp_core::with_rpcs!(dispatch);
