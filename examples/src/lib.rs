//! Shared code of the reference programs (ACS, CPE, demo) and the `cwmp` tool.
//!
//! - [`store`]: the CPE's in-memory data model (device dumps, the built-in model, optional BBF
//!   schema validation) answering the parameter RPCs with CWMP faults.
pub mod store;
