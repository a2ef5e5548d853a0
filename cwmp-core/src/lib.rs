//! Typed, XML-free model of every CWMP (TR-069) 1.0–1.4 message.
//!
//! `cwmp-core` is the vocabulary the other crates of the family speak:
//!
//! - [`Envelope`], [`Header`] and [`Body`]: one variant per RPC request and response of CWMP
//!   1.0–1.4 (all CPE and ACS methods), the [`Fault`](fault::Fault), and an
//!   [`Unknown`](Body::Unknown) variant that keeps a method's name so it can be answered with
//!   8000/9000.
//! - [`rpc`]: one struct per message, grouped by family.
//! - Open codes that never lose an unknown value: [`FaultCode`](fault::FaultCode),
//!   [`EventCode`](event::EventCode), [`FileType`](filetype::FileType),
//!   [`TimeWindowMode`](filetype::TimeWindowMode), [`Notification`](filetype::Notification).
//! - Values: [`Value`](value::Value) keeps its xsd type and text; [`DateTime`](datetime::DateTime)
//!   covers TR-106's absolute, relative, Unknown and Infinite forms.
//! - [`CwmpVersion`] with namespaces and negotiation; [`limits`] with the schema's length,
//!   pattern and count limits behind the [`Validate`](limits::Validate) trait.
//! - [`session`]: sans-IO session engines for the CPE and the ACS side (feed with `handle_*`,
//!   drain with `poll_*`, time passed in).
//!
//! It does not read or write XML (that is `cwmp-soap`) and performs no I/O.
//!
//! Strings borrow (`Cow<'a, str>`) from the buffer a message was decoded from; every type has
//! `into_owned()` to keep it beyond that buffer. With the `serde` feature every type is
//! `Serialize` and `Deserialize`.
//!
//! ```
//! use cwmp_core::{Envelope, Body, rpc::{GetParameterValues, ParameterValue, SetParameterValues}};
//! use cwmp_core::limits::Validate;
//!
//! let gpv = Envelope::request("1", GetParameterValues::new(["Device.DeviceInfo.SoftwareVersion"]));
//! let spv = Envelope::request("2", SetParameterValues {
//!     parameters: vec![ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 300u32)],
//!     parameter_key: "change-42".into(),
//! });
//! assert!(gpv.is_valid() && spv.is_valid());
//! assert!(matches!(spv.body, Body::SetParameterValues(_)));
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

pub mod datetime;
pub mod envelope;
pub mod event;
pub mod fault;
pub mod filetype;
pub mod header;
pub mod lexical;
pub mod limits;
mod owned;
pub mod rpc;
pub mod session;
pub mod value;
pub mod version;

pub use envelope::{Body, Envelope};
pub use header::Header;
pub use owned::IntoStatic;
pub use version::CwmpVersion;
