//! Message generators and measurement helpers shared by the benches and the report.
//!
//! - [`messages`]: deterministic, realistic CWMP messages as `cwmp_core` models.
//! - [`qx`]: the quick-xml baselines (bare `Reader` loop, `NsReader` loop, `Writer`).
//! - [`peer`]: the `cwmp` crate 0.2.2 on the same bytes and data.
//! - [`corpus`]: the shared corpus of real messages and data models, read at run time.
//! - [`measure`]: time-boxed measurement (repeat until a minimum time, best of N rounds).
//! - [`session`]: a whole boot session through both engines, and the same messages alone.
//! - [`wire`]: the bytes we measure (our encoder's output) and the digest fixture.

pub mod corpus;
pub mod measure;
pub mod messages;
pub mod peer;
pub mod qx;
pub mod session;
pub mod wire;
