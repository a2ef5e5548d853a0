//! The transfer RPCs: Download, Upload, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers,
//! TransferComplete, AutonomousTransferComplete, RequestDownload.

use cwmp_core::datetime::DateTimeText;
use cwmp_core::rpc::{
    AutonomousTransferComplete, Download, GetAllQueuedTransfersResponse,
    GetQueuedTransfersResponse, RequestDownload, ScheduleDownload, TransferComplete, TransferFault,
    Upload,
};

use super::xml::Xml;

pub(super) fn download(x: &mut Xml<'_>, m: &Download<'_>) {
    x.leaf("CommandKey", &m.command_key);
    x.leaf("FileType", m.file_type.as_str());
    x.leaf("URL", &m.url);
    x.leaf("Username", &m.username);
    x.leaf("Password", &m.password);
    x.leaf_u64("FileSize", m.file_size.into());
    x.leaf("TargetFileName", &m.target_file_name);
    x.leaf_u64("DelaySeconds", m.delay_seconds.into());
    x.leaf("SuccessURL", &m.success_url);
    x.leaf("FailureURL", &m.failure_url);
}

pub(super) fn upload(x: &mut Xml<'_>, m: &Upload<'_>) {
    x.leaf("CommandKey", &m.command_key);
    x.leaf("FileType", m.file_type.as_str());
    x.leaf("URL", &m.url);
    x.leaf("Username", &m.username);
    x.leaf("Password", &m.password);
    x.leaf_u64("DelaySeconds", m.delay_seconds.into());
}

/// DownloadResponse and UploadResponse.
pub(super) fn status_times(
    x: &mut Xml<'_>,
    status: i32,
    start: &DateTimeText<'_>,
    complete: &DateTimeText<'_>,
) {
    x.leaf_i64("Status", status.into());
    x.leaf_datetime("StartTime", start);
    x.leaf_datetime("CompleteTime", complete);
}

pub(super) fn queued(x: &mut Xml<'_>, m: &GetQueuedTransfersResponse<'_>) {
    x.array_open(
        "TransferList",
        "cwmp",
        "QueuedTransferStruct",
        m.transfers.len(),
    );
    for t in &m.transfers {
        x.raw("<QueuedTransferStruct>");
        x.leaf("CommandKey", &t.command_key);
        x.leaf_i64("State", t.state.into());
        x.raw("</QueuedTransferStruct>");
    }
    x.close("TransferList");
}

pub(super) fn all_queued(x: &mut Xml<'_>, m: &GetAllQueuedTransfersResponse<'_>) {
    x.array_open(
        "TransferList",
        "cwmp",
        "AllQueuedTransferStruct",
        m.transfers.len(),
    );
    for t in &m.transfers {
        x.raw("<AllQueuedTransferStruct>");
        x.leaf("CommandKey", &t.command_key);
        x.leaf_i64("State", t.state.into());
        x.leaf_bool("IsDownload", t.is_download);
        x.leaf("FileType", t.file_type.as_str());
        x.leaf_u64("FileSize", t.file_size.into());
        x.leaf("TargetFileName", &t.target_file_name);
        x.raw("</AllQueuedTransferStruct>");
    }
    x.close("TransferList");
}

pub(super) fn schedule_download(x: &mut Xml<'_>, m: &ScheduleDownload<'_>) {
    x.leaf("CommandKey", &m.command_key);
    x.leaf("FileType", m.file_type.as_str());
    x.leaf("URL", &m.url);
    x.leaf("Username", &m.username);
    x.leaf("Password", &m.password);
    x.leaf_u64("FileSize", m.file_size.into());
    x.leaf("TargetFileName", &m.target_file_name);
    x.array_open(
        "TimeWindowList",
        "cwmp",
        "TimeWindowStruct",
        m.time_windows.len(),
    );
    for w in &m.time_windows {
        x.raw("<TimeWindowStruct>");
        x.leaf_u64("WindowStart", w.window_start.into());
        x.leaf_u64("WindowEnd", w.window_end.into());
        x.leaf("WindowMode", w.window_mode.as_str());
        x.leaf("UserMessage", &w.user_message);
        x.leaf_i64("MaxRetries", w.max_retries.into());
        x.raw("</TimeWindowStruct>");
    }
    x.close("TimeWindowList");
}

fn fault_struct(x: &mut Xml<'_>, f: &TransferFault<'_>) {
    x.raw("<FaultStruct>");
    x.leaf_u64("FaultCode", f.code.get().into());
    x.leaf("FaultString", &f.message);
    x.raw("</FaultStruct>");
}

pub(super) fn transfer_complete(x: &mut Xml<'_>, m: &TransferComplete<'_>) {
    x.leaf("CommandKey", &m.command_key);
    fault_struct(x, &m.fault);
    x.leaf_datetime("StartTime", &m.start_time);
    x.leaf_datetime("CompleteTime", &m.complete_time);
}

pub(super) fn autonomous_transfer_complete(x: &mut Xml<'_>, m: &AutonomousTransferComplete<'_>) {
    x.leaf("AnnounceURL", &m.announce_url);
    x.leaf("TransferURL", &m.transfer_url);
    x.leaf_bool("IsDownload", m.is_download);
    x.leaf("FileType", m.file_type.as_str());
    x.leaf_u64("FileSize", m.file_size.into());
    x.leaf("TargetFileName", &m.target_file_name);
    fault_struct(x, &m.fault);
    x.leaf_datetime("StartTime", &m.start_time);
    x.leaf_datetime("CompleteTime", &m.complete_time);
}

pub(super) fn request_download(x: &mut Xml<'_>, m: &RequestDownload<'_>) {
    x.leaf("FileType", m.file_type.as_str());
    x.array_open("FileTypeArg", "cwmp", "ArgStruct", m.args.len());
    for a in &m.args {
        x.raw("<ArgStruct>");
        x.leaf("Name", &a.name);
        x.leaf("Value", &a.value);
        x.raw("</ArgStruct>");
    }
    x.close("FileTypeArg");
}
