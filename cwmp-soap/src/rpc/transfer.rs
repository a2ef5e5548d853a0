//! Download, Upload, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfers,
//! TransferComplete, AutonomousTransferComplete, RequestDownload.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::fault::FaultCode;
use cwmp_core::filetype::{FileType, TimeWindowMode};
use cwmp_core::rpc::*;

use crate::describe::{Nested, Structs, describe};

describe! {
    Download<'a> {
        "CommandKey" command_key: Cow<'a, str>,
        "FileType" file_type: FileType<'a>,
        "URL" url: Cow<'a, str>,
        "Username" username: Cow<'a, str>,
        "Password" password: Cow<'a, str>,
        "FileSize" file_size: u32,
        "TargetFileName" target_file_name: Cow<'a, str>,
        "DelaySeconds" delay_seconds: u32,
        "SuccessURL" success_url: Cow<'a, str>,
        "FailureURL" failure_url: Cow<'a, str>,
    }
    DownloadResponse<'a> {
        "Status" status: i32,
        "StartTime" start_time: DateTimeText<'a>,
        "CompleteTime" complete_time: DateTimeText<'a>,
    }
    Upload<'a> {
        "CommandKey" command_key: Cow<'a, str>,
        "FileType" file_type: FileType<'a>,
        "URL" url: Cow<'a, str>,
        "Username" username: Cow<'a, str>,
        "Password" password: Cow<'a, str>,
        "DelaySeconds" delay_seconds: u32,
    }
    UploadResponse<'a> {
        "Status" status: i32,
        "StartTime" start_time: DateTimeText<'a>,
        "CompleteTime" complete_time: DateTimeText<'a>,
    }
    GetQueuedTransfers {}
    /// `QueuedTransferStruct`.
    QueuedTransfer<'a> = "QueuedTransferStruct" {
        "CommandKey" command_key: Cow<'a, str>,
        "State" state: i32,
    }
    GetQueuedTransfersResponse<'a> {
        "TransferList" transfers: Vec<QueuedTransfer<'a>> as Structs,
    }
    GetAllQueuedTransfers {}
    /// `AllQueuedTransferStruct`.
    AllQueuedTransfer<'a> = "AllQueuedTransferStruct" {
        "CommandKey" command_key: Cow<'a, str>,
        "State" state: i32,
        "IsDownload" is_download: bool,
        "FileType" file_type: FileType<'a>,
        "FileSize" file_size: u32,
        "TargetFileName" target_file_name: Cow<'a, str>,
    }
    GetAllQueuedTransfersResponse<'a> {
        "TransferList" transfers: Vec<AllQueuedTransfer<'a>> as Structs,
    }
    CancelTransfer<'a> {
        "CommandKey" command_key: Cow<'a, str>,
    }
    CancelTransferResponse {}
    /// `TimeWindowStruct`.
    TimeWindow<'a> = "TimeWindowStruct" {
        "WindowStart" window_start: u32,
        "WindowEnd" window_end: u32,
        "WindowMode" window_mode: TimeWindowMode<'a>,
        "UserMessage" user_message: Cow<'a, str>,
        "MaxRetries" max_retries: i32,
    }
    ScheduleDownload<'a> {
        "CommandKey" command_key: Cow<'a, str>,
        "FileType" file_type: FileType<'a>,
        "URL" url: Cow<'a, str>,
        "Username" username: Cow<'a, str>,
        "Password" password: Cow<'a, str>,
        "FileSize" file_size: u32,
        "TargetFileName" target_file_name: Cow<'a, str>,
        "TimeWindowList" time_windows: Vec<TimeWindow<'a>> as Structs,
    }
    ScheduleDownloadResponse {}
    /// `FaultStruct` of the transfer completions.
    TransferFault<'a> = "FaultStruct" {
        "FaultCode" code: FaultCode,
        "FaultString" message: Cow<'a, str>,
    }
    TransferComplete<'a> {
        "CommandKey" command_key: Cow<'a, str>,
        "FaultStruct" fault: TransferFault<'a> as Nested,
        "StartTime" start_time: DateTimeText<'a>,
        "CompleteTime" complete_time: DateTimeText<'a>,
    }
    TransferCompleteResponse {}
    AutonomousTransferComplete<'a> {
        "AnnounceURL" announce_url: Cow<'a, str>,
        "TransferURL" transfer_url: Cow<'a, str>,
        "IsDownload" is_download: bool,
        "FileType" file_type: FileType<'a>,
        "FileSize" file_size: u32,
        "TargetFileName" target_file_name: Cow<'a, str>,
        "FaultStruct" fault: TransferFault<'a> as Nested,
        "StartTime" start_time: DateTimeText<'a>,
        "CompleteTime" complete_time: DateTimeText<'a>,
    }
    AutonomousTransferCompleteResponse {}
    /// `ArgStruct` of RequestDownload.
    Arg<'a> = "ArgStruct" {
        "Name" name: Cow<'a, str>,
        "Value" value: Cow<'a, str>,
    }
    RequestDownload<'a> {
        "FileType" file_type: FileType<'a>,
        "FileTypeArg" args: Vec<Arg<'a>> as Structs,
    }
    RequestDownloadResponse {}
}
