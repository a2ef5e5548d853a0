//! The decoder's dispatch on the Body element's local name, and the codecs of the RPC families
//! whose wire form needs more than the descriptions' plain elements and arrays (`crate::rpc`
//! describes every message; `encode/rpc/` mirrors this directory).

mod du;
mod inform;
mod parameters;

use cwmp_core::Body;

use super::error::DecodeError;
use super::field::read_struct;
use super::reader::{Elem, Parser};

/// The dispatch on the Body element's local name, built from cwmp-core's list of RPCs: an RPC
/// in the model without a description does not compile.
macro_rules! dispatch {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $wire:literal, $since:ident, $side:ident, $response:literal;)*) => {
        /// Decodes a known method by local name, or `None` for an unknown one (left
        /// unconsumed).
        pub(crate) fn method<'a>(
            p: &mut Parser<'a>,
            e: &Elem<'a>,
        ) -> Result<Option<Body<'a>>, DecodeError> {
            Ok(Some(match e.local {
                $($wire => Body::$variant(read_struct(p, e)?),)*
                _ => return Ok(None),
            }))
        }
    };
}

cwmp_core::with_rpcs!(dispatch);
