//! The codecs of the RPC families whose wire form needs more than the descriptions' plain
//! elements and arrays (`crate::rpc` describes every message; `decode/rpc/` mirrors this
//! directory).

mod du;
mod inform;
mod parameters;
