//! Shared code of the reference programs (ACS, CPE, demo) and the `cwmp` tool.
//!
//! - [`store`]: the CPE's in-memory data model (device dumps, the built-in model, optional BBF
//!   schema validation) answering the parameter RPCs with CWMP faults.
//! - [`net`]: HTTP/1.1 over tokio and hyper 1 (URLs, bounded bodies, a client connection,
//!   cookies) and envelope encode/decode with cwmp-soap.
//! - [`auth`]: digest guard (server side) and CPE client authentication over cwmp-auth.
//! - [`rpcs`]: ACS requests written as `--queue` short forms or JSON, and one-line summaries.
//! - [`tls`]: HTTPS with rustls: server and client configs, client-certificate device binding,
//!   readable handshake failures, the lab PKI.
//! - [`log`]: the programs' log lines and the demo's transcript.
pub mod acs;
pub mod acs_admin;
pub mod acs_auth;
pub mod acs_store;
pub mod auth;
pub mod cpe;
pub mod log;
pub mod net;
pub mod rpcs;
pub mod store;
pub mod tls;
pub mod transport;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
