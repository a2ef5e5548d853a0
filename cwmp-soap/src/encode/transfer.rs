//! The transfer RPCs: Download, Upload, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers,
//! TransferComplete, AutonomousTransferComplete, RequestDownload.

use cwmp_core::datetime::DateTimeText;
use cwmp_core::rpc::{
    AutonomousTransferComplete, Download, GetAllQueuedTransfersResponse,
    GetQueuedTransfersResponse, RequestDownload, ScheduleDownload, TransferComplete, TransferFault,
    Upload,
};

use super::xml::{Xml, tag};

pub(super) fn download(x: &mut Xml<'_>, m: &Download<'_>) {
    x.leaf(tag!("CommandKey"), &m.command_key);
    x.leaf(tag!("FileType"), m.file_type.as_str());
    x.leaf(tag!("URL"), &m.url);
    x.leaf(tag!("Username"), &m.username);
    x.leaf(tag!("Password"), &m.password);
    x.leaf_u64(tag!("FileSize"), m.file_size.into());
    x.leaf(tag!("TargetFileName"), &m.target_file_name);
    x.leaf_u64(tag!("DelaySeconds"), m.delay_seconds.into());
    x.leaf(tag!("SuccessURL"), &m.success_url);
    x.leaf(tag!("FailureURL"), &m.failure_url);
}

pub(super) fn upload(x: &mut Xml<'_>, m: &Upload<'_>) {
    x.leaf(tag!("CommandKey"), &m.command_key);
    x.leaf(tag!("FileType"), m.file_type.as_str());
    x.leaf(tag!("URL"), &m.url);
    x.leaf(tag!("Username"), &m.username);
    x.leaf(tag!("Password"), &m.password);
    x.leaf_u64(tag!("DelaySeconds"), m.delay_seconds.into());
}

/// DownloadResponse and UploadResponse.
pub(super) fn status_times(
    x: &mut Xml<'_>,
    status: i32,
    start: &DateTimeText<'_>,
    complete: &DateTimeText<'_>,
) {
    x.leaf_i64(tag!("Status"), status.into());
    x.leaf_datetime(tag!("StartTime"), start);
    x.leaf_datetime(tag!("CompleteTime"), complete);
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
        x.leaf(tag!("CommandKey"), &t.command_key);
        x.leaf_i64(tag!("State"), t.state.into());
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
        x.leaf(tag!("CommandKey"), &t.command_key);
        x.leaf_i64(tag!("State"), t.state.into());
        x.leaf_bool(tag!("IsDownload"), t.is_download);
        x.leaf(tag!("FileType"), t.file_type.as_str());
        x.leaf_u64(tag!("FileSize"), t.file_size.into());
        x.leaf(tag!("TargetFileName"), &t.target_file_name);
        x.raw("</AllQueuedTransferStruct>");
    }
    x.close("TransferList");
}

pub(super) fn schedule_download(x: &mut Xml<'_>, m: &ScheduleDownload<'_>) {
    x.leaf(tag!("CommandKey"), &m.command_key);
    x.leaf(tag!("FileType"), m.file_type.as_str());
    x.leaf(tag!("URL"), &m.url);
    x.leaf(tag!("Username"), &m.username);
    x.leaf(tag!("Password"), &m.password);
    x.leaf_u64(tag!("FileSize"), m.file_size.into());
    x.leaf(tag!("TargetFileName"), &m.target_file_name);
    x.array_open(
        "TimeWindowList",
        "cwmp",
        "TimeWindowStruct",
        m.time_windows.len(),
    );
    for w in &m.time_windows {
        x.raw("<TimeWindowStruct>");
        x.leaf_u64(tag!("WindowStart"), w.window_start.into());
        x.leaf_u64(tag!("WindowEnd"), w.window_end.into());
        x.leaf(tag!("WindowMode"), w.window_mode.as_str());
        x.leaf(tag!("UserMessage"), &w.user_message);
        x.leaf_i64(tag!("MaxRetries"), w.max_retries.into());
        x.raw("</TimeWindowStruct>");
    }
    x.close("TimeWindowList");
}

fn fault_struct(x: &mut Xml<'_>, f: &TransferFault<'_>) {
    x.raw("<FaultStruct>");
    x.leaf_u64(tag!("FaultCode"), f.code.get().into());
    x.leaf(tag!("FaultString"), &f.message);
    x.raw("</FaultStruct>");
}

pub(super) fn transfer_complete(x: &mut Xml<'_>, m: &TransferComplete<'_>) {
    x.leaf(tag!("CommandKey"), &m.command_key);
    fault_struct(x, &m.fault);
    x.leaf_datetime(tag!("StartTime"), &m.start_time);
    x.leaf_datetime(tag!("CompleteTime"), &m.complete_time);
}

pub(super) fn autonomous_transfer_complete(x: &mut Xml<'_>, m: &AutonomousTransferComplete<'_>) {
    x.leaf(tag!("AnnounceURL"), &m.announce_url);
    x.leaf(tag!("TransferURL"), &m.transfer_url);
    x.leaf_bool(tag!("IsDownload"), m.is_download);
    x.leaf(tag!("FileType"), m.file_type.as_str());
    x.leaf_u64(tag!("FileSize"), m.file_size.into());
    x.leaf(tag!("TargetFileName"), &m.target_file_name);
    fault_struct(x, &m.fault);
    x.leaf_datetime(tag!("StartTime"), &m.start_time);
    x.leaf_datetime(tag!("CompleteTime"), &m.complete_time);
}

pub(super) fn request_download(x: &mut Xml<'_>, m: &RequestDownload<'_>) {
    x.leaf(tag!("FileType"), m.file_type.as_str());
    x.array_open("FileTypeArg", "cwmp", "ArgStruct", m.args.len());
    for a in &m.args {
        x.raw("<ArgStruct>");
        x.leaf(tag!("Name"), &a.name);
        x.leaf(tag!("Value"), &a.value);
        x.raw("</ArgStruct>");
    }
    x.close("FileTypeArg");
}
