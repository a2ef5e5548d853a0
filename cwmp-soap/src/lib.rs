//! Zero-copy SOAP decode and schema-valid encode of every CWMP message.
//!
//! `cwmp-soap` is the only crate of the family that knows SOAP. It turns the bytes of an HTTP
//! body into a [`cwmp_core::Envelope`] that borrows from those bytes, and an envelope back into
//! bytes, for every RPC of CWMP 1.0–1.4 in both directions.
//!
//! - [`decode()`] and [`Decoder`]: lenient by default, accepting what real devices send (missing
//!   headers, odd prefixes, missing or wrong `arrayType`, missing `xsi:type`, CDATA, both
//!   deployment-unit shapes, every dateTime variant ...) and reporting each deviation from the
//!   schema as a typed [`Warning`] with its byte offset; [`Decoder::strict`] turns deviations and
//!   schema-limit violations into a [`DecodeError`]. Namespaces are matched by URI, never by
//!   prefix. [`Limits`] bound size, depth, element count, array members, attributes and text
//!   length; DTDs and entities other than the predefined five are refused.
//! - [`encode()`] and [`EncodeOptions`]: a direct writer that emits only what the BBF schemas
//!   accept (`arrayType` with the true count, `xsi:type` on every value, `mustUnderstand` per
//!   header, the namespace of the chosen version), with options for picky peers (XML
//!   declaration, booleans as `1`/`0`, dateTime fractions, deployment-unit shape).
//!
//! - [`generate`]: model values of every message made from bytes, for fuzzing and property
//!   tests of an application (or of a peer's stack), built from the same per-RPC descriptions
//!   as the decoder and the encoder.
//!
//! It does no HTTP: the application reads and writes the bodies, sets `Content-Type: text/xml;
//! charset="utf-8"` and an empty `SOAPAction` on envelope POSTs, and answers an empty HTTP body
//! (the CPE's empty POST, the ACS's 204) itself.
//!
//! ```
//! use cwmp_core::{Body, rpc::GetParameterNames};
//!
//! let xml = br#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
//!     xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
//!   <soap:Header><cwmp:ID soap:mustUnderstand="1">7</cwmp:ID></soap:Header>
//!   <soap:Body><cwmp:GetParameterNames>
//!     <ParameterPath>Device.</ParameterPath><NextLevel>1</NextLevel>
//!   </cwmp:GetParameterNames></soap:Body>
//! </soap:Envelope>"#;
//! let decoded = cwmp_soap::Decoder::new().decode(xml).unwrap();
//! assert_eq!(decoded.version, cwmp_core::CwmpVersion::V1_0);
//! assert_eq!(decoded.envelope.header.id.as_deref(), Some("7"));
//! let Body::GetParameterNames(gpn) = &decoded.envelope.body else { panic!() };
//! assert_eq!(gpn, &GetParameterNames { parameter_path: "Device.".into(), next_level: true });
//!
//! // Re-encode for a CWMP 1.0 peer; the output validates against cwmp-1-0.xsd.
//! let options = cwmp_soap::EncodeOptions::for_version(cwmp_core::CwmpVersion::V1_0);
//! let mut out = Vec::new();
//! options.encode(&decoded.envelope, &mut out);
//! assert_eq!(cwmp_soap::decode(&out).unwrap(), decoded.envelope);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod decode;
mod describe;
pub mod encode;
pub mod generate;
mod name;
mod rpc;
pub use decode::{
    Arena, ControlCharPolicy, DecodeError, Decoded, Decoder, Limits, Warning, WarningKind, decode,
    decode_in,
};
pub use encode::{
    BoolFormat, DateTimeFraction, DuShape, EncodeOptions, Validation, encode, encode_bytes,
};
