//! The wire shape of every CWMP message, described once with `crate::describe::describe!`
//! and grouped by family like `cwmp_core::rpc`: the decoder, the encoder and the generator
//! follow from these descriptions. A family's own codecs (where its wire form needs more than a
//! plain element or array) are declared here and implemented at the same path under
//! `decode/rpc/` and `encode/rpc/`.

pub(crate) mod du;
pub(crate) mod fault;
pub(crate) mod inform;
mod misc;
pub(crate) mod parameters;
mod transfer;
