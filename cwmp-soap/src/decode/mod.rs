//! Decoding: SOAP 1.1 envelopes of every CWMP 1.0–1.4 message into the borrowed
//! [`cwmp_core::Envelope`].
//!
//! - Zero-copy: strings borrow from the input and are unescaped (copied) only when they hold
//!   entities, character references or CDATA. The allocation count does not grow with the
//!   number of parameters (apart from the vectors that hold them).
//! - Namespaces are matched by URI, never by prefix, with a small stack of declarations
//!   (QName attribute values such as `xsi:type` and `soap-enc:arrayType` are resolved against
//!   it too). All five cwmp namespaces are read; the version is inferred from the namespace and the version headers.
//! - Lenient by default: every deviation real devices are known to send that concerns message content is
//!   accepted and reported as a typed [`Warning`]. Lenient decoding never alters data: text is
//!   kept exactly as sent (numbers and booleans are trimmed before parsing).
//! - [`Decoder::strict`] turns every warning into an error and checks the decoded message
//!   against the schema limits ([`cwmp_core::limits::Validate`]).
//! - What the decoder keeps, the encoder writes back unchanged (decode → encode → decode is the
//!   identity on the model, with [`ControlCharPolicy::Replace`] for text holding control
//!   characters, which the encoder cannot write). So for the few names and attribute values it
//!   keeps:
//!   - an `xsi:type` naming one of CWMP's value types in a namespace other than XML Schema or
//!     SOAP encoding (`x:string`, `x` bound to `urn:other`) is read as that type with
//!     [`WarningKind::ForeignValueType`]; an unknown local name in any namespace is kept as
//!     `ValueType::Other(local)` with [`WarningKind::UnknownValueType`];
//!   - an `xsi:type` that is not a `QName` (after trimming whitespace: control characters,
//!     characters that are not XML name characters, character or entity references, an empty
//!     part, a second `:`) is read as a string with [`WarningKind::MalformedValueType`], under
//!     every control-character policy; an `arrayType` whose type is not a `QName` is
//!     [`WarningKind::MalformedArrayType`];
//!   - an unknown method whose element name is not an XML `QName` is refused with
//!     [`DecodeError::InvalidName`] (the encoder writes back every XML name unchanged);
//!   - a namespace declaration written with references (`urn:dslforum-org&#58;cwmp-1-0`)
//!     that stands for a namespace the decoder knows is that namespace; the namespace of an
//!     unknown method is kept unescaped, its control characters handled like text's.
//! - Bounded and hostile-input safe: no DTD processing (a `<!DOCTYPE` is refused), only the
//!   five predefined entities and character references, size / depth / element / array /
//!   attribute / text limits ([`Limits`]), no recursion on input depth.
//!
//! ```
//! use cwmp_soap::decode::{Decoder, WarningKind};
//! use cwmp_core::{Body, CwmpVersion};
//!
//! let xml = br#"<soap_env:Envelope xmlns:soap_env="http://schemas.xmlsoap.org/soap/envelope/"
//!     xmlns:soap_enc="http://schemas.xmlsoap.org/soap/encoding/"
//!     xmlns:xsd="http://www.w3.org/2001/XMLSchema"
//!     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
//!     xmlns:cwmp="urn:dslforum-org:cwmp-1-2">
//!   <soap_env:Header><cwmp:ID soap_env:mustUnderstand="1">42</cwmp:ID></soap_env:Header>
//!   <soap_env:Body><cwmp:GetParameterValuesResponse>
//!     <ParameterList soap_enc:arrayType="cwmp:ParameterValueStruct[01]">
//!       <ParameterValueStruct>
//!         <Name>Device.DeviceInfo.UpTime</Name><Value xsi:type="xsd:unsignedInt">17</Value>
//!       </ParameterValueStruct>
//!     </ParameterList>
//!   </cwmp:GetParameterValuesResponse></soap_env:Body>
//! </soap_env:Envelope>"#;
//!
//! let decoded = Decoder::new().decode(xml)?;
//! assert_eq!(decoded.version, CwmpVersion::V1_2);
//! assert_eq!(decoded.envelope.header.id.as_deref(), Some("42"));
//! let Body::GetParameterValuesResponse(r) = &decoded.envelope.body else { panic!() };
//! assert_eq!(r.parameters[0].value.as_u32(), Ok(17));
//! // `[01]` is a tolerated deviation:
//! assert_eq!(decoded.warnings[0].kind, WarningKind::ZeroPaddedArrayCount);
//! assert!(Decoder::strict().decode(xml).is_err());
//! # Ok::<(), cwmp_soap::decode::DecodeError>(())
//! ```

mod envelope;
mod error;
pub(crate) mod field;
pub(crate) mod reader;
mod rpc;
mod text;

use cwmp_core::limits::{Validate, Violation};
use cwmp_core::{CwmpVersion, Envelope};

pub use error::{DecodeError, Warning, WarningKind};

/// Decodes a message with the lenient defaults ([`Decoder::new`]), dropping the warnings.
///
/// ```
/// let env = cwmp_soap::decode::decode(br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
///   xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Body><cwmp:Reboot><CommandKey>k</CommandKey>
///   </cwmp:Reboot></s:Body></s:Envelope>"#).unwrap();
/// assert_eq!(env.body.name(), "Reboot");
/// ```
pub fn decode(input: &[u8]) -> Result<Envelope<'_>, DecodeError> {
    Decoder::new().decode(input).map(|d| d.envelope)
}

/// Decodes a message with the lenient defaults, like [`decode`], putting the text that had to
/// be unescaped (entities, character references, CDATA) into `arena` instead of a `String`
/// each: every string of the message then borrows, from the input or from the arena, and the
/// decode makes the same few allocations however many values needed unescaping (an arena
/// reused with [`Arena::reset`] makes none of its own once it has grown).
///
/// ```
/// use std::borrow::Cow;
/// use cwmp_soap::decode::{Arena, decode_in};
///
/// let xml = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
///   xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Body><cwmp:Reboot>
///   <CommandKey>a &amp; b</CommandKey></cwmp:Reboot></s:Body></s:Envelope>"#;
/// let arena = Arena::new();
/// let env = decode_in(&arena, xml)?;
/// let cwmp_core::Body::Reboot(r) = &env.body else { panic!() };
/// assert_eq!(r.command_key, "a & b");
/// assert!(matches!(r.command_key, Cow::Borrowed(_)));
/// # Ok::<(), cwmp_soap::decode::DecodeError>(())
/// ```
pub fn decode_in<'a>(arena: &'a Arena, input: &'a [u8]) -> Result<Envelope<'a>, DecodeError> {
    Decoder::new().decode_in(arena, input).map(|d| d.envelope)
}

/// Memory for the text a decode has to unescape (see [`Decoder::decode_in`]): a bump arena
/// that grows in a few large blocks and frees them all at once, when it is dropped or
/// [`reset`](Arena::reset).
#[derive(Debug, Default)]
pub struct Arena(bumpalo::Bump);

impl Arena {
    /// An empty arena (it allocates on first use).
    pub fn new() -> Self {
        Arena::default()
    }

    /// An arena with room for `bytes` bytes of text before it has to grow.
    pub fn with_capacity(bytes: usize) -> Self {
        Arena(bumpalo::Bump::with_capacity(bytes))
    }

    /// Forgets everything allocated (the messages that borrowed from it are gone: the borrow
    /// checker sees to that) and keeps the largest block for the next decode.
    pub fn reset(&mut self) {
        self.0.reset();
    }

    /// Bytes taken from the system for the arena's blocks.
    pub fn allocated_bytes(&self) -> usize {
        self.0.allocated_bytes()
    }
}

/// What to do with C0 control characters, which XML 1.0 forbids in documents but some devices
/// send, and with U+FFFE and U+FFFF, which it forbids too (the encoder replaces
/// all of them by U+FFFD, so only [`ControlCharPolicy::Replace`] keeps decode → encode →
/// decode the identity for such text). NUL is always refused, and so are character references
/// to any of them (`&#1;`, `&#xFFFE;`: [`DecodeError::UnknownEntity`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ControlCharPolicy {
    /// Keep them in the text, with a [`WarningKind::ControlCharacter`] warning.
    #[default]
    Keep,
    /// Replace each with U+FFFD, with a warning.
    Replace,
    /// Refuse the message with [`DecodeError::ControlCharacter`].
    Error,
}

/// Resource limits; each has its own [`DecodeError`] variant.
///
/// Start from [`Limits::default`] (or [`Limits::new`]) and change what you need:
///
/// ```
/// use cwmp_soap::Limits;
/// let tight = Limits::new().with_max_size(64 * 1024).with_max_depth(16);
/// assert_eq!(tight.max_depth, 16);
/// assert_eq!(tight.max_elements, Limits::default().max_elements);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Input size in bytes (default 32 MiB) → [`DecodeError::TooLarge`].
    pub max_size: usize,
    /// Element nesting depth (default 64) → [`DecodeError::TooDeep`].
    pub max_depth: usize,
    /// Elements in the document (default 1,000,000) → [`DecodeError::TooManyElements`].
    pub max_elements: usize,
    /// Members of one array (default 200,000) → [`DecodeError::TooManyArrayMembers`].
    pub max_array_members: usize,
    /// Attributes of one element, namespace declarations included (default 64) →
    /// [`DecodeError::TooManyAttributes`].
    pub max_attributes: usize,
    /// Bytes of one element's raw text (default 4 MiB) → [`DecodeError::TextTooLong`].
    pub max_text_len: usize,
}

macro_rules! limit_setters {
    ($($(#[$doc:meta])* $setter:ident => $field:ident,)*) => {
        impl Limits {
            /// The default limits.
            pub fn new() -> Self {
                Limits::default()
            }

            $(
                $(#[$doc])*
                pub fn $setter(mut self, limit: usize) -> Self {
                    self.$field = limit;
                    self
                }
            )*
        }
    };
}

limit_setters! {
    /// These limits with another input size limit.
    with_max_size => max_size,
    /// These limits with another depth limit.
    with_max_depth => max_depth,
    /// These limits with another element-count limit.
    with_max_elements => max_elements,
    /// These limits with another array-member limit.
    with_max_array_members => max_array_members,
    /// These limits with another attribute-count limit.
    with_max_attributes => max_attributes,
    /// These limits with another text-length limit.
    with_max_text_len => max_text_len,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_size: 32 * 1024 * 1024,
            max_depth: 64,
            max_elements: 1_000_000,
            max_array_members: 200_000,
            max_attributes: 64,
            max_text_len: 4 * 1024 * 1024,
        }
    }
}

/// Decoder options: lenient or strict, limits, control-character policy.
#[derive(Clone, Debug, Default)]
pub struct Decoder {
    strict: bool,
    limits: Limits,
    control_chars: ControlCharPolicy,
    general_only: bool,
}

/// A decoded message with what the decoder learnt about it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decoded<'a> {
    /// The message.
    pub envelope: Envelope<'a>,
    /// The CWMP version inferred from the namespace and the SessionTimeout
    /// and SupportedCWMPVersions headers (1.0 when the message has no cwmp namespace).
    pub version: CwmpVersion,
    /// The cwmp namespace URI the message used (the Body element's, else a header's, else the
    /// one declared), `None` when there was none.
    pub namespace: Option<&'static str>,
    /// Every tolerated deviation, in document order (always empty after a strict decode),
    /// then one [`WarningKind::SchemaViolation`] per entry of `violations`.
    pub warnings: Vec<Warning>,
    /// Every value that breaks a facet of the schema (length, pattern, range: a lower-case
    /// OUI, a dateTime field that is no dateTime, a State of 0 ...), as
    /// [`cwmp_core::limits::Validate`] finds them; the message is kept as it came.
    pub violations: Vec<Violation>,
}

impl Decoder {
    /// A lenient decoder with the default limits.
    pub fn new() -> Self {
        Decoder::default()
    }

    /// A strict decoder: every warning is an error, and the decoded message must pass
    /// [`cwmp_core::limits::Validate`]. Both are reported together, each deviation and each
    /// violation, in one [`DecodeError::Strict`].
    pub fn strict() -> Self {
        Decoder {
            strict: true,
            ..Decoder::default()
        }
    }

    /// Replaces the limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the control-character policy (default [`ControlCharPolicy::Keep`]).
    pub fn with_control_chars(mut self, policy: ControlCharPolicy) -> Self {
        self.control_chars = policy;
        self
    }

    /// Turns the fast paths off (`false`) or on (the default). The decoder reads the common
    /// plain forms (start tags, text-only elements, ParameterValueStructs) with its own
    /// scanner and everything else through the XML reader's events; with the fast paths off
    /// everything goes through the events. The result is the same either way (a fuzz target
    /// checks it): this exists to check that, and costs speed.
    pub fn with_fast_paths(mut self, on: bool) -> Self {
        self.general_only = !on;
        self
    }

    /// Whether the decoder is strict.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Decodes one SOAP envelope.
    pub fn decode<'a>(&self, input: &'a [u8]) -> Result<Decoded<'a>, DecodeError> {
        self.decode_with(None, input)
    }

    /// Decodes one SOAP envelope, putting the text that had to be unescaped into `arena`
    /// (see [`decode_in`]): the result is the same as [`Decoder::decode`]'s, but every string
    /// in it is borrowed, from `input` or from `arena`.
    pub fn decode_in<'a>(
        &self,
        arena: &'a Arena,
        input: &'a [u8],
    ) -> Result<Decoded<'a>, DecodeError> {
        self.decode_with(Some(&arena.0), input)
    }

    fn decode_with<'a>(
        &self,
        arena: Option<&'a bumpalo::Bump>,
        input: &'a [u8],
    ) -> Result<Decoded<'a>, DecodeError> {
        if input.len() > self.limits.max_size {
            return Err(DecodeError::TooLarge {
                size: input.len(),
                limit: self.limits.max_size,
                offset: 0,
            });
        }
        let (body, shift) = match input.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (rest, 3),
            None => (input, 0),
        };
        // The SIMD check says only whether the input is UTF-8; the standard one says where not.
        let src = match simdutf8::basic::from_utf8(body) {
            Ok(src) => src,
            Err(_) => std::str::from_utf8(body).map_err(|e| DecodeError::InvalidUtf8 {
                offset: e.valid_up_to() + shift,
            })?,
        };
        let mut controls = None;
        let mut control_at = None;
        if let Some(at) = text::find_control(body) {
            let byte = body.get(at).copied().unwrap_or_default();
            let offset = at + shift;
            if byte == 0 {
                return Err(DecodeError::NulByte { offset });
            }
            // NUL is refused under every policy, wherever it is.
            if let Some(nul) = body.iter().skip(at).position(|&b| b == 0) {
                return Err(DecodeError::NulByte {
                    offset: at + nul + shift,
                });
            }
            if self.control_chars == ControlCharPolicy::Error {
                return Err(DecodeError::ControlCharacter { byte, offset });
            }
            controls = Some(self.control_chars);
            control_at = Some(at);
        }
        let mut p = reader::Parser::new(src, shift, self.limits, controls);
        p.general_only = self.general_only;
        p.arena = arena;
        if let Some(at) = control_at {
            p.warn(WarningKind::ControlCharacter, at)?;
        }
        let parsed = match envelope::document(&mut p) {
            Ok(parsed) => parsed,
            Err(_) if p.restart_general && !self.general_only => {
                let general = Decoder {
                    general_only: true,
                    ..self.clone()
                };
                return general.decode_with(arena, input);
            }
            Err(e) => return Err(e),
        };
        let header = &parsed.envelope.header;
        let namespace = parsed.cwmp_ns.and_then(|ns| {
            cwmp_core::version::NAMESPACES
                .iter()
                .find(|(uri, _)| *uri == ns)
                .map(|(uri, _)| *uri)
        });
        let version = match namespace {
            Some(ns) => CwmpVersion::infer(
                ns,
                header.session_timeout.is_some(),
                header.supported_cwmp_versions.as_deref(),
            )
            .unwrap_or(CwmpVersion::V1_0),
            None => {
                p.warn(WarningKind::NoCwmpNamespace, parsed.body_offset)?;
                CwmpVersion::V1_0
            }
        };
        let violations = parsed.envelope.violations();
        if self.strict && (!violations.is_empty() || !p.warnings.is_empty()) {
            let offset = p
                .warnings
                .first()
                .map_or_else(|| p.at(parsed.body_offset), |w| w.offset);
            return Err(DecodeError::Strict {
                deviations: p.warnings,
                violations,
                offset,
            });
        }
        for _ in &violations {
            p.warn(WarningKind::SchemaViolation, parsed.body_offset)?;
        }
        Ok(Decoded {
            envelope: parsed.envelope,
            version,
            namespace,
            warnings: p.warnings,
            violations,
        })
    }
}
