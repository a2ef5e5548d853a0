//! HTTP authentication for TR-069 / CWMP, without I/O.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod algorithm;
pub mod basic;
pub mod connreq;
pub mod digest;
mod error;
pub mod header;
mod source;
pub mod udp;
mod util;

pub use algorithm::{Algorithm, Qop};
pub use error::Error;
pub use source::RandomSource;
#[cfg(feature = "std-rand")]
pub use source::{OsRandom, unix_now};
