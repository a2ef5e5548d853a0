//! One decoder per RPC, grouped by family like `cwmp_core::rpc`, and the dispatch on the
//! Body element's local name.

mod du;
mod inform;
mod misc;
mod parameters;
mod transfer;

use std::borrow::Cow;

use cwmp_core::Body;
use cwmp_core::rpc::*;

use super::error::DecodeError;
use super::reader::{Elem, Parser};

/// A message type's decoder: reads the children of its element.
pub(crate) trait ReadRpc<'a>: Sized {
    /// Decodes the message element `e` (open) to its end.
    fn read(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Self, DecodeError>;
}

/// Implements [`ReadRpc`] for each message type with the function that decodes it.
macro_rules! readers {
    ($($ty:ty => $f:expr,)*) => {$(
        impl<'a> ReadRpc<'a> for $ty {
            #[inline]
            fn read(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Self, DecodeError> {
                $f(p, e)
            }
        }
    )*};
}

readers! {
    GetRpcMethods => no_arguments,
    GetRpcMethodsResponse<'a> => misc::get_rpc_methods_response,
    SetParameterValues<'a> => parameters::set_parameter_values,
    SetParameterValuesResponse => parameters::set_parameter_values_response,
    GetParameterValues<'a> => parameters::get_parameter_values,
    GetParameterValuesResponse<'a> => parameters::get_parameter_values_response,
    GetParameterNames<'a> => parameters::get_parameter_names,
    GetParameterNamesResponse<'a> => parameters::get_parameter_names_response,
    SetParameterAttributes<'a> => parameters::set_parameter_attributes,
    SetParameterAttributesResponse => no_arguments,
    GetParameterAttributes<'a> => parameters::get_parameter_attributes,
    GetParameterAttributesResponse<'a> => parameters::get_parameter_attributes_response,
    AddObject<'a> => parameters::add_object,
    AddObjectResponse => parameters::add_object_response,
    DeleteObject<'a> => parameters::delete_object,
    DeleteObjectResponse => parameters::delete_object_response,
    Reboot<'a> => misc::reboot,
    RebootResponse => no_arguments,
    Download<'a> => transfer::download,
    DownloadResponse<'a> => transfer::download_response,
    Upload<'a> => transfer::upload,
    UploadResponse<'a> => transfer::upload_response,
    FactoryReset => no_arguments,
    FactoryResetResponse => no_arguments,
    GetQueuedTransfers => no_arguments,
    GetQueuedTransfersResponse<'a> => transfer::get_queued_transfers_response,
    GetAllQueuedTransfers => no_arguments,
    GetAllQueuedTransfersResponse<'a> => transfer::get_all_queued_transfers_response,
    ScheduleInform<'a> => misc::schedule_inform,
    ScheduleInformResponse => no_arguments,
    SetVouchers<'a> => misc::set_vouchers,
    SetVouchersResponse => no_arguments,
    GetOptions<'a> => misc::get_options,
    GetOptionsResponse<'a> => misc::get_options_response,
    CancelTransfer<'a> => transfer::cancel_transfer,
    CancelTransferResponse => no_arguments,
    ChangeDuState<'a> => du::change_du_state,
    ChangeDuStateResponse => no_arguments,
    ScheduleDownload<'a> => transfer::schedule_download,
    ScheduleDownloadResponse => no_arguments,
    Inform<'a> => inform::inform,
    InformResponse => inform::inform_response,
    TransferComplete<'a> => transfer::transfer_complete,
    TransferCompleteResponse => no_arguments,
    AutonomousTransferComplete<'a> => transfer::autonomous_transfer_complete,
    AutonomousTransferCompleteResponse => no_arguments,
    RequestDownload<'a> => transfer::request_download,
    RequestDownloadResponse => no_arguments,
    Kicked<'a> => misc::kicked,
    KickedResponse<'a> => misc::kicked_response,
    DuStateChangeComplete<'a> => du::du_state_change_complete,
    DuStateChangeCompleteResponse => no_arguments,
    AutonomousDuStateChangeComplete<'a> => du::autonomous_du_state_change_complete,
    AutonomousDuStateChangeCompleteResponse => no_arguments,
}

/// The dispatch on the Body element's local name, built from cwmp-core's list of RPCs: an RPC
/// in the model without a [`ReadRpc`] implementation does not compile.
macro_rules! dispatch {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $wire:literal, $since:ident, $side:ident, $response:literal;)*) => {
        /// Decodes a known method by local name, or `None` for an unknown one (left
        /// unconsumed).
        pub(crate) fn method<'a>(
            p: &mut Parser<'a>,
            e: &Elem<'a>,
        ) -> Result<Option<Body<'a>>, DecodeError> {
            Ok(Some(match e.local {
                $($wire => Body::$variant(ReadRpc::read(p, e)?),)*
                _ => return Ok(None),
            }))
        }
    };
}

cwmp_core::with_rpcs!(dispatch);

/// A message without arguments.
fn no_arguments<'a, T: Default>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<T, DecodeError> {
    empty(p, e)?;
    Ok(T::default())
}

/// A message without arguments: any child is unexpected.
fn empty<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
    p.fields(e, &[], 0, |p, _, c| p.skip(&c))
}

/// An array of strings (`ParameterNames`, `MethodList`, `AccessList`, `VoucherList`).
fn strings<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
    member: &str,
) -> Result<Vec<Cow<'a, str>>, DecodeError> {
    let mut out = Vec::new();
    p.array(e, member, |p, c| {
        out.push(p.text(&c)?);
        Ok(())
    })?;
    Ok(out)
}
