//! One struct per RPC request and response, grouped by family:
//!
//! - [`inform`]: Inform, InformResponse, DeviceId.
//! - [`parameters`]: Get/SetParameterValues, GetParameterNames, Get/SetParameterAttributes,
//!   AddObject, DeleteObject.
//! - [`transfer`]: Download, Upload, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers,
//!   TransferComplete, AutonomousTransferComplete, RequestDownload.
//! - [`du`]: ChangeDUState, DUStateChangeComplete, AutonomousDUStateChangeComplete.
//! - [`misc`]: GetRPCMethods, Reboot, FactoryReset, ScheduleInform, SetVouchers, GetOptions,
//!   Kicked.
//!
//! Field names are the wire element names in snake case; string fields are `Cow<'a, str>` that
//! borrow from the decoded buffer, and every type has `into_owned`. Every type implements
//! [`Validate`](crate::limits::Validate) against the schema's limits.

pub mod du;
pub mod inform;
pub mod misc;
pub mod parameters;
pub mod transfer;

pub use du::*;
pub use inform::*;
pub use misc::*;
pub use parameters::*;
pub use transfer::*;
