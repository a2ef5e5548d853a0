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

/// Decodes a known method by local name, or `None` for an unknown one (left unconsumed).
pub(crate) fn method<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<Option<Body<'a>>, DecodeError> {
    let body = match e.local {
        "GetRPCMethods" => {
            empty(p, e)?;
            Body::GetRpcMethods(GetRpcMethods {})
        }
        "GetRPCMethodsResponse" => {
            Body::GetRpcMethodsResponse(misc::get_rpc_methods_response(p, e)?)
        }
        "SetParameterValues" => Body::SetParameterValues(parameters::set_parameter_values(p, e)?),
        "SetParameterValuesResponse" => {
            Body::SetParameterValuesResponse(parameters::set_parameter_values_response(p, e)?)
        }
        "GetParameterValues" => Body::GetParameterValues(parameters::get_parameter_values(p, e)?),
        "GetParameterValuesResponse" => {
            Body::GetParameterValuesResponse(parameters::get_parameter_values_response(p, e)?)
        }
        "GetParameterNames" => Body::GetParameterNames(parameters::get_parameter_names(p, e)?),
        "GetParameterNamesResponse" => {
            Body::GetParameterNamesResponse(parameters::get_parameter_names_response(p, e)?)
        }
        "SetParameterAttributes" => {
            Body::SetParameterAttributes(parameters::set_parameter_attributes(p, e)?)
        }
        "SetParameterAttributesResponse" => {
            empty(p, e)?;
            Body::SetParameterAttributesResponse(SetParameterAttributesResponse {})
        }
        "GetParameterAttributes" => {
            Body::GetParameterAttributes(parameters::get_parameter_attributes(p, e)?)
        }
        "GetParameterAttributesResponse" => Body::GetParameterAttributesResponse(
            parameters::get_parameter_attributes_response(p, e)?,
        ),
        "AddObject" => Body::AddObject(parameters::add_object(p, e)?),
        "AddObjectResponse" => Body::AddObjectResponse(parameters::add_object_response(p, e)?),
        "DeleteObject" => Body::DeleteObject(parameters::delete_object(p, e)?),
        "DeleteObjectResponse" => {
            Body::DeleteObjectResponse(parameters::delete_object_response(p, e)?)
        }
        "Reboot" => Body::Reboot(misc::reboot(p, e)?),
        "RebootResponse" => {
            empty(p, e)?;
            Body::RebootResponse(RebootResponse {})
        }
        "Download" => Body::Download(transfer::download(p, e)?),
        "DownloadResponse" => Body::DownloadResponse(transfer::download_response(p, e)?),
        "Upload" => Body::Upload(transfer::upload(p, e)?),
        "UploadResponse" => Body::UploadResponse(transfer::upload_response(p, e)?),
        "FactoryReset" => {
            empty(p, e)?;
            Body::FactoryReset(FactoryReset {})
        }
        "FactoryResetResponse" => {
            empty(p, e)?;
            Body::FactoryResetResponse(FactoryResetResponse {})
        }
        "GetQueuedTransfers" => {
            empty(p, e)?;
            Body::GetQueuedTransfers(GetQueuedTransfers {})
        }
        "GetQueuedTransfersResponse" => {
            Body::GetQueuedTransfersResponse(transfer::get_queued_transfers_response(p, e)?)
        }
        "GetAllQueuedTransfers" => {
            empty(p, e)?;
            Body::GetAllQueuedTransfers(GetAllQueuedTransfers {})
        }
        "GetAllQueuedTransfersResponse" => {
            Body::GetAllQueuedTransfersResponse(transfer::get_all_queued_transfers_response(p, e)?)
        }
        "ScheduleInform" => Body::ScheduleInform(misc::schedule_inform(p, e)?),
        "ScheduleInformResponse" => {
            empty(p, e)?;
            Body::ScheduleInformResponse(ScheduleInformResponse {})
        }
        "SetVouchers" => Body::SetVouchers(misc::set_vouchers(p, e)?),
        "SetVouchersResponse" => {
            empty(p, e)?;
            Body::SetVouchersResponse(SetVouchersResponse {})
        }
        "GetOptions" => Body::GetOptions(misc::get_options(p, e)?),
        "GetOptionsResponse" => Body::GetOptionsResponse(misc::get_options_response(p, e)?),
        "CancelTransfer" => Body::CancelTransfer(transfer::cancel_transfer(p, e)?),
        "CancelTransferResponse" => {
            empty(p, e)?;
            Body::CancelTransferResponse(CancelTransferResponse {})
        }
        "ChangeDUState" => Body::ChangeDuState(du::change_du_state(p, e)?),
        "ChangeDUStateResponse" => {
            empty(p, e)?;
            Body::ChangeDuStateResponse(ChangeDuStateResponse {})
        }
        "ScheduleDownload" => Body::ScheduleDownload(transfer::schedule_download(p, e)?),
        "ScheduleDownloadResponse" => {
            empty(p, e)?;
            Body::ScheduleDownloadResponse(ScheduleDownloadResponse {})
        }
        "Inform" => Body::Inform(inform::inform(p, e)?),
        "InformResponse" => Body::InformResponse(inform::inform_response(p, e)?),
        "TransferComplete" => Body::TransferComplete(transfer::transfer_complete(p, e)?),
        "TransferCompleteResponse" => {
            empty(p, e)?;
            Body::TransferCompleteResponse(TransferCompleteResponse {})
        }
        "AutonomousTransferComplete" => {
            Body::AutonomousTransferComplete(transfer::autonomous_transfer_complete(p, e)?)
        }
        "AutonomousTransferCompleteResponse" => {
            empty(p, e)?;
            Body::AutonomousTransferCompleteResponse(AutonomousTransferCompleteResponse {})
        }
        "RequestDownload" => Body::RequestDownload(transfer::request_download(p, e)?),
        "RequestDownloadResponse" => {
            empty(p, e)?;
            Body::RequestDownloadResponse(RequestDownloadResponse {})
        }
        "Kicked" => Body::Kicked(misc::kicked(p, e)?),
        "KickedResponse" => Body::KickedResponse(misc::kicked_response(p, e)?),
        "DUStateChangeComplete" => Body::DuStateChangeComplete(du::du_state_change_complete(p, e)?),
        "DUStateChangeCompleteResponse" => {
            empty(p, e)?;
            Body::DuStateChangeCompleteResponse(DuStateChangeCompleteResponse {})
        }
        "AutonomousDUStateChangeComplete" => {
            Body::AutonomousDuStateChangeComplete(du::autonomous_du_state_change_complete(p, e)?)
        }
        "AutonomousDUStateChangeCompleteResponse" => {
            empty(p, e)?;
            Body::AutonomousDuStateChangeCompleteResponse(
                AutonomousDuStateChangeCompleteResponse {},
            )
        }
        _ => return Ok(None),
    };
    Ok(Some(body))
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
