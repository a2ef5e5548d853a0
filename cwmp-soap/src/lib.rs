//! Zero-copy SOAP decode and schema-valid encode of every CWMP message.
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
pub mod encode;
pub use decode::{
    ControlCharPolicy, DecodeError, Decoded, Decoder, Limits, Warning, WarningKind, decode,
};
pub use encode::{BoolFormat, DateTimeFraction, DuShape, EncodeOptions, encode, encode_bytes};
