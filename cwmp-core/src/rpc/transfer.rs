//! File-transfer RPCs: Download, Upload, ScheduleDownload, CancelTransfer,
//! GetQueuedTransfers, GetAllQueuedTransfers, TransferComplete, AutonomousTransferComplete,
//! RequestDownload.

use std::borrow::Cow;

use crate::datetime::DateTimeText;
use crate::fault::FaultCode;
use crate::filetype::{FileType, TimeWindowMode};
use crate::limits::{self, Validate, Violation, ViolationKind};
use crate::owned::message;

message! {
    /// `Download`.
    ///
    /// ```
    /// use cwmp_core::rpc::Download;
    /// use cwmp_core::filetype::FileType;
    /// let d = Download {
    ///     command_key: "fw-7".into(),
    ///     file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
    ///     url: "http://files.example/fw.bin?a=1&b=2".into(),
    ///     file_size: 1024,
    ///     ..Download::default()
    /// };
    /// # use cwmp_core::limits::Validate;
    /// assert!(d.is_valid());
    /// ```
    pub struct Download<'a> {
        /// `CommandKey` (32).
        pub command_key: Cow<'a, str>,
        /// `FileType` (DownloadFileType).
        pub file_type: FileType<'a>,
        /// `URL` (256), without userinfo.
        pub url: Cow<'a, str>,
        /// `Username` (256).
        pub username: Cow<'a, str>,
        /// `Password` (256).
        pub password: Cow<'a, str>,
        /// `FileSize` in bytes; 0 = unknown.
        pub file_size: u32,
        /// `TargetFileName` (256).
        pub target_file_name: Cow<'a, str>,
        /// `DelaySeconds`.
        pub delay_seconds: u32,
        /// `SuccessURL` (256).
        pub success_url: Cow<'a, str>,
        /// `FailureURL` (256).
        pub failure_url: Cow<'a, str>,
    }
}

message! {
    /// `DownloadResponse`.
    pub struct DownloadResponse<'a> {
        /// `Status`: 0 completed and applied, 1 not yet (a TransferComplete follows).
        pub status: i32,
        /// `StartTime` (Unknown Time when status is 1).
        pub start_time: DateTimeText<'a>,
        /// `CompleteTime` (Unknown Time when status is 1).
        pub complete_time: DateTimeText<'a>,
    }
}

message! {
    /// `Upload`.
    pub struct Upload<'a> {
        /// `CommandKey` (32).
        pub command_key: Cow<'a, str>,
        /// `FileType` (UploadFileType).
        pub file_type: FileType<'a>,
        /// `URL` (256).
        pub url: Cow<'a, str>,
        /// `Username` (256).
        pub username: Cow<'a, str>,
        /// `Password` (256).
        pub password: Cow<'a, str>,
        /// `DelaySeconds`.
        pub delay_seconds: u32,
    }
}

message! {
    /// `UploadResponse`.
    pub struct UploadResponse<'a> {
        /// `Status`: 0 completed, 1 not yet.
        pub status: i32,
        /// `StartTime`.
        pub start_time: DateTimeText<'a>,
        /// `CompleteTime`.
        pub complete_time: DateTimeText<'a>,
    }
}

message! {
    /// `TimeWindowStruct` of a ScheduleDownload.
    pub struct TimeWindow<'a> {
        /// `WindowStart`: seconds from the request.
        pub window_start: u32,
        /// `WindowEnd`: seconds from the request.
        pub window_end: u32,
        /// `WindowMode`.
        pub window_mode: TimeWindowMode<'a>,
        /// `UserMessage` (256).
        pub user_message: Cow<'a, str>,
        /// `MaxRetries` (-1 = CPE's choice).
        pub max_retries: i32,
    }
}

message! {
    /// `ScheduleDownload` (1.2).
    pub struct ScheduleDownload<'a> {
        /// `CommandKey` (32).
        pub command_key: Cow<'a, str>,
        /// `FileType` (DownloadFileType).
        pub file_type: FileType<'a>,
        /// `URL` (256).
        pub url: Cow<'a, str>,
        /// `Username` (256).
        pub username: Cow<'a, str>,
        /// `Password` (256).
        pub password: Cow<'a, str>,
        /// `FileSize`.
        pub file_size: u32,
        /// `TargetFileName` (256).
        pub target_file_name: Cow<'a, str>,
        /// `TimeWindowList`: one or two windows.
        pub time_windows: Vec<TimeWindow<'a>>,
    }
}

message! {
    /// `ScheduleDownloadResponse` (empty).
    pub struct ScheduleDownloadResponse {}
}

message! {
    /// `CancelTransfer` (1.2).
    pub struct CancelTransfer<'a> {
        /// `CommandKey` of the transfer to cancel.
        pub command_key: Cow<'a, str>,
    }
}

message! {
    /// `CancelTransferResponse` (empty).
    pub struct CancelTransferResponse {}
}

message! {
    /// `GetQueuedTransfers` (empty request).
    pub struct GetQueuedTransfers {}
}

message! {
    /// `QueuedTransferStruct`.
    pub struct QueuedTransfer<'a> {
        /// `CommandKey`.
        pub command_key: Cow<'a, str>,
        /// `State`: 1 not yet started, 2 in progress, 3 completed.
        pub state: i32,
    }
}

message! {
    /// `GetQueuedTransfersResponse`.
    pub struct GetQueuedTransfersResponse<'a> {
        /// `TransferList`: at most 16.
        pub transfers: Vec<QueuedTransfer<'a>>,
    }
}

message! {
    /// `GetAllQueuedTransfers` (1.1, empty request).
    pub struct GetAllQueuedTransfers {}
}

message! {
    /// `AllQueuedTransferStruct`.
    pub struct AllQueuedTransfer<'a> {
        /// `CommandKey`.
        pub command_key: Cow<'a, str>,
        /// `State`: 1 not yet started, 2 in progress, 3 completed.
        pub state: i32,
        /// `IsDownload`.
        pub is_download: bool,
        /// `FileType` (TransferFileType).
        pub file_type: FileType<'a>,
        /// `FileSize`.
        pub file_size: u32,
        /// `TargetFileName` (256).
        pub target_file_name: Cow<'a, str>,
    }
}

message! {
    /// `GetAllQueuedTransfersResponse`.
    pub struct GetAllQueuedTransfersResponse<'a> {
        /// `TransferList`: at most 16.
        pub transfers: Vec<AllQueuedTransfer<'a>>,
    }
}

message! {
    /// The `FaultStruct` of TransferComplete and AutonomousTransferComplete: code 0 on success.
    pub struct TransferFault<'a> {
        /// `FaultCode`: 0 or one of the TransferComplete subset.
        pub code: FaultCode,
        /// `FaultString` (256).
        pub message: Cow<'a, str>,
    }
}

impl TransferFault<'_> {
    /// The success value: code 0, empty string.
    pub fn success() -> TransferFault<'static> {
        TransferFault {
            code: FaultCode::new(0),
            message: Cow::Borrowed(""),
        }
    }

    /// Whether the transfer succeeded (code 0).
    pub fn is_success(&self) -> bool {
        self.code.get() == 0
    }
}

message! {
    /// `TransferComplete`: the CPE reports a transfer the ACS requested.
    pub struct TransferComplete<'a> {
        /// `CommandKey` of the request.
        pub command_key: Cow<'a, str>,
        /// `FaultStruct`.
        pub fault: TransferFault<'a>,
        /// `StartTime` (may be the Unknown Time).
        pub start_time: DateTimeText<'a>,
        /// `CompleteTime` (may be the Unknown Time).
        pub complete_time: DateTimeText<'a>,
    }
}

message! {
    /// `TransferCompleteResponse` (empty).
    pub struct TransferCompleteResponse {}
}

message! {
    /// `AutonomousTransferComplete` (1.1): a transfer the ACS did not request.
    pub struct AutonomousTransferComplete<'a> {
        /// `AnnounceURL` (1024).
        pub announce_url: Cow<'a, str>,
        /// `TransferURL` (1024).
        pub transfer_url: Cow<'a, str>,
        /// `IsDownload`.
        pub is_download: bool,
        /// `FileType` (TransferFileType).
        pub file_type: FileType<'a>,
        /// `FileSize`.
        pub file_size: u32,
        /// `TargetFileName` (256).
        pub target_file_name: Cow<'a, str>,
        /// `FaultStruct`.
        pub fault: TransferFault<'a>,
        /// `StartTime`.
        pub start_time: DateTimeText<'a>,
        /// `CompleteTime`.
        pub complete_time: DateTimeText<'a>,
    }
}

message! {
    /// `AutonomousTransferCompleteResponse` (empty).
    pub struct AutonomousTransferCompleteResponse {}
}

message! {
    /// `ArgStruct` of a RequestDownload.
    pub struct Arg<'a> {
        /// `Name` (64).
        pub name: Cow<'a, str>,
        /// `Value` (256).
        pub value: Cow<'a, str>,
    }
}

message! {
    /// `RequestDownload`: the CPE asks the ACS for a file.
    pub struct RequestDownload<'a> {
        /// `FileType` (DownloadFileType).
        pub file_type: FileType<'a>,
        /// `FileTypeArg`: at most 16.
        pub args: Vec<Arg<'a>>,
    }
}

message! {
    /// `RequestDownloadResponse` (empty).
    pub struct RequestDownloadResponse {}
}

fn check_transfer_status(
    out: &mut Vec<Violation>,
    field: &'static str,
    status: i32,
    range: std::ops::RangeInclusive<i32>,
) {
    if !range.contains(&status) {
        out.push(Violation {
            field,
            kind: ViolationKind::OutOfRange(i64::from(status)),
        });
    }
}

fn check_time(out: &mut Vec<Violation>, field: &'static str, t: &DateTimeText<'_>) {
    limits::check_pattern(out, field, t.parse().is_ok(), "xs:dateTime");
}

impl Validate for Download<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
        limits::check_pattern(
            out,
            "FileType",
            self.file_type.is_valid_download(),
            "DownloadFileType",
        );
        limits::check_len(out, "URL", &self.url, limits::URL);
        limits::check_len(out, "Username", &self.username, limits::TEXT_256);
        limits::check_len(out, "Password", &self.password, limits::TEXT_256);
        limits::check_len(
            out,
            "TargetFileName",
            &self.target_file_name,
            limits::TEXT_256,
        );
        limits::check_len(out, "SuccessURL", &self.success_url, limits::URL);
        limits::check_len(out, "FailureURL", &self.failure_url, limits::URL);
    }
}

impl Validate for DownloadResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_transfer_status(out, "Status", self.status, 0..=1);
        check_time(out, "StartTime", &self.start_time);
        check_time(out, "CompleteTime", &self.complete_time);
    }
}

impl Validate for Upload<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
        limits::check_pattern(
            out,
            "FileType",
            self.file_type.is_valid_upload(),
            "UploadFileType",
        );
        limits::check_len(out, "URL", &self.url, limits::URL);
        limits::check_len(out, "Username", &self.username, limits::TEXT_256);
        limits::check_len(out, "Password", &self.password, limits::TEXT_256);
    }
}

impl Validate for UploadResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_transfer_status(out, "Status", self.status, 0..=1);
        check_time(out, "StartTime", &self.start_time);
        check_time(out, "CompleteTime", &self.complete_time);
    }
}

impl Validate for TimeWindow<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_pattern(
            out,
            "WindowMode",
            self.window_mode.is_valid(),
            "TimeWindowMode",
        );
        limits::check_len(out, "UserMessage", &self.user_message, limits::TEXT_256);
    }
}

impl Validate for ScheduleDownload<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
        limits::check_pattern(
            out,
            "FileType",
            self.file_type.is_valid_download(),
            "DownloadFileType",
        );
        limits::check_len(out, "URL", &self.url, limits::URL);
        limits::check_len(out, "Username", &self.username, limits::TEXT_256);
        limits::check_len(out, "Password", &self.password, limits::TEXT_256);
        limits::check_len(
            out,
            "TargetFileName",
            &self.target_file_name,
            limits::TEXT_256,
        );
        limits::check_count(
            out,
            "TimeWindowList",
            self.time_windows.len(),
            1,
            limits::MAX_TIME_WINDOWS,
        );
        self.time_windows.validate(out);
    }
}

impl Validate for CancelTransfer<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
    }
}

impl Validate for QueuedTransfer<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
        check_transfer_status(out, "State", self.state, 1..=3);
    }
}

impl Validate for GetQueuedTransfersResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_count(
            out,
            "TransferList",
            self.transfers.len(),
            0,
            limits::MAX_QUEUED_TRANSFERS,
        );
        self.transfers.validate(out);
    }
}

impl Validate for AllQueuedTransfer<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
        check_transfer_status(out, "State", self.state, 1..=3);
        limits::check_pattern(
            out,
            "FileType",
            self.file_type.is_valid_transfer(),
            "TransferFileType",
        );
        limits::check_len(
            out,
            "TargetFileName",
            &self.target_file_name,
            limits::TEXT_256,
        );
    }
}

impl Validate for GetAllQueuedTransfersResponse<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_count(
            out,
            "TransferList",
            self.transfers.len(),
            0,
            limits::MAX_QUEUED_TRANSFERS,
        );
        self.transfers.validate(out);
    }
}

impl Validate for TransferFault<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        if !self.code.allowed_in_transfer_complete() {
            out.push(Violation {
                field: "FaultCode",
                kind: ViolationKind::FaultCodeNotAllowed(self.code),
            });
        }
        limits::check_len(
            out,
            "FaultString",
            &self.message,
            limits::TRANSFER_FAULT_STRING,
        );
    }
}

impl Validate for TransferComplete<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
        self.fault.validate(out);
        check_time(out, "StartTime", &self.start_time);
        check_time(out, "CompleteTime", &self.complete_time);
    }
}

impl Validate for AutonomousTransferComplete<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "AnnounceURL", &self.announce_url, limits::LONG_URL);
        limits::check_len(out, "TransferURL", &self.transfer_url, limits::LONG_URL);
        limits::check_pattern(
            out,
            "FileType",
            self.file_type.is_valid_transfer(),
            "TransferFileType",
        );
        limits::check_len(
            out,
            "TargetFileName",
            &self.target_file_name,
            limits::TEXT_256,
        );
        self.fault.validate(out);
        check_time(out, "StartTime", &self.start_time);
        check_time(out, "CompleteTime", &self.complete_time);
    }
}

impl Validate for Arg<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_len(out, "Name", &self.name, limits::ARG_NAME);
        limits::check_len(out, "Value", &self.value, limits::ARG_VALUE);
    }
}

impl Validate for RequestDownload<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_pattern(
            out,
            "FileType",
            self.file_type.is_valid_download(),
            "DownloadFileType",
        );
        limits::check_count(out, "FileTypeArg", self.args.len(), 0, limits::MAX_ARGS);
        self.args.validate(out);
    }
}

macro_rules! nothing_to_validate {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate(&self, _: &mut Vec<Violation>) {}
        }
    )*};
}

nothing_to_validate!(
    ScheduleDownloadResponse,
    CancelTransferResponse,
    GetQueuedTransfers,
    GetAllQueuedTransfers,
    TransferCompleteResponse,
    AutonomousTransferCompleteResponse,
    RequestDownloadResponse
);

pub(crate) use nothing_to_validate;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_complete_with_9005_is_refused() {
        let tc = TransferComplete {
            command_key: "k".into(),
            fault: TransferFault {
                code: FaultCode::INVALID_PARAMETER_NAME,
                message: "".into(),
            },
            start_time: DateTimeText::UNKNOWN,
            complete_time: DateTimeText::UNKNOWN,
        };
        assert_eq!(
            tc.violations(),
            vec![Violation {
                field: "FaultCode",
                kind: ViolationKind::FaultCodeNotAllowed(FaultCode::new(9005))
            }]
        );
        let ok = TransferComplete {
            fault: TransferFault::success(),
            ..tc
        };
        assert!(ok.is_valid());
    }

    #[test]
    fn command_key_33_is_refused_and_url_limits_differ() {
        let d = Download {
            command_key: "k".repeat(33).into(),
            file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
            url: "u".repeat(256).into(),
            ..Download::default()
        };
        assert_eq!(d.violations().len(), 1);
        let atc = AutonomousTransferComplete {
            announce_url: "u".repeat(1024).into(),
            transfer_url: "u".repeat(1025).into(),
            file_type: FileType::new("2 Vendor Log File"),
            fault: TransferFault::success(),
            start_time: DateTimeText::UNKNOWN,
            complete_time: DateTimeText::UNKNOWN,
            ..AutonomousTransferComplete::default()
        };
        assert_eq!(atc.violations()[0].field, "TransferURL");
    }

    #[test]
    fn schedule_download_needs_one_or_two_windows() {
        let mut sd = ScheduleDownload {
            file_type: FileType::WEB_CONTENT,
            ..ScheduleDownload::default()
        };
        assert_eq!(sd.violations()[0].kind, ViolationKind::TooFew { min: 1 });
        sd.time_windows = vec![
            TimeWindow {
                window_mode: TimeWindowMode::AT_ANY_TIME,
                ..TimeWindow::default()
            };
            3
        ];
        assert_eq!(
            sd.violations()[0].kind,
            ViolationKind::TooMany { max: 2, len: 3 }
        );
        sd.time_windows.truncate(2);
        assert!(sd.is_valid());
    }
}
