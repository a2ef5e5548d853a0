//! Download, Upload, ScheduleDownload, CancelTransfer, Get(All)QueuedTransfersResponse,
//! TransferComplete, AutonomousTransferComplete, RequestDownload.

use cwmp_core::filetype::{FileType, TimeWindowMode};
use cwmp_core::rpc::*;

use crate::decode::envelope::fault_code;
use crate::decode::error::DecodeError;
use crate::decode::reader::{Elem, Parser};

pub(super) fn download<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Download<'a>, DecodeError> {
    let mut m = Download::default();
    const NAMES: &[&str] = &[
        "CommandKey",
        "FileType",
        "URL",
        "Username",
        "Password",
        "FileSize",
        "TargetFileName",
        "DelaySeconds",
        "SuccessURL",
        "FailureURL",
    ];
    p.fields(e, NAMES, 0b11_1111_1111, |p, i, c| {
        match i {
            0 => m.command_key = p.text(&c)?,
            1 => m.file_type = FileType(p.text(&c)?),
            2 => m.url = p.text(&c)?,
            3 => m.username = p.text(&c)?,
            4 => m.password = p.text(&c)?,
            5 => m.file_size = p.u32(&c)?,
            6 => m.target_file_name = p.text(&c)?,
            7 => m.delay_seconds = p.u32(&c)?,
            8 => m.success_url = p.text(&c)?,
            _ => m.failure_url = p.text(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

fn status_times<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<DownloadResponse<'a>, DecodeError> {
    let mut m = DownloadResponse::default();
    p.fields(
        e,
        &["Status", "StartTime", "CompleteTime"],
        0b111,
        |p, i, c| {
            match i {
                0 => m.status = p.i32(&c)?,
                1 => m.start_time = p.datetime(&c)?,
                _ => m.complete_time = p.datetime(&c)?,
            }
            Ok(())
        },
    )?;
    Ok(m)
}

pub(super) fn download_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<DownloadResponse<'a>, DecodeError> {
    status_times(p, e)
}

pub(super) fn upload_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<UploadResponse<'a>, DecodeError> {
    let r = status_times(p, e)?;
    Ok(UploadResponse {
        status: r.status,
        start_time: r.start_time,
        complete_time: r.complete_time,
    })
}

pub(super) fn upload<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Upload<'a>, DecodeError> {
    let mut m = Upload::default();
    const NAMES: &[&str] = &[
        "CommandKey",
        "FileType",
        "URL",
        "Username",
        "Password",
        "DelaySeconds",
    ];
    p.fields(e, NAMES, 0b11_1111, |p, i, c| {
        match i {
            0 => m.command_key = p.text(&c)?,
            1 => m.file_type = FileType(p.text(&c)?),
            2 => m.url = p.text(&c)?,
            3 => m.username = p.text(&c)?,
            4 => m.password = p.text(&c)?,
            _ => m.delay_seconds = p.u32(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn schedule_download<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<ScheduleDownload<'a>, DecodeError> {
    let mut m = ScheduleDownload::default();
    const NAMES: &[&str] = &[
        "CommandKey",
        "FileType",
        "URL",
        "Username",
        "Password",
        "FileSize",
        "TargetFileName",
        "TimeWindowList",
    ];
    p.fields_repeated(e, NAMES, 0b1111_1111, 0b1000_0000, |p, i, c| {
        match i {
            0 => m.command_key = p.text(&c)?,
            1 => m.file_type = FileType(p.text(&c)?),
            2 => m.url = p.text(&c)?,
            3 => m.username = p.text(&c)?,
            4 => m.password = p.text(&c)?,
            5 => m.file_size = p.u32(&c)?,
            6 => m.target_file_name = p.text(&c)?,
            _ => {
                const TW: &[&str] = &[
                    "WindowStart",
                    "WindowEnd",
                    "WindowMode",
                    "UserMessage",
                    "MaxRetries",
                ];
                let out = &mut m.time_windows;
                p.struct_array(
                    &c,
                    "TimeWindowStruct",
                    TW,
                    (0b11111, 0),
                    out,
                    |p, w, i, f| {
                        match i {
                            0 => w.window_start = p.u32(&f)?,
                            1 => w.window_end = p.u32(&f)?,
                            2 => w.window_mode = TimeWindowMode(p.text(&f)?),
                            3 => w.user_message = p.text(&f)?,
                            _ => w.max_retries = p.i32(&f)?,
                        }
                        Ok(())
                    },
                )?;
            }
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn cancel_transfer<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<CancelTransfer<'a>, DecodeError> {
    let mut m = CancelTransfer::default();
    p.fields(e, &["CommandKey"], 0b1, |p, _, c| {
        m.command_key = p.text(&c)?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_queued_transfers_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetQueuedTransfersResponse<'a>, DecodeError> {
    let mut m = GetQueuedTransfersResponse::default();
    p.fields_repeated(e, &["TransferList"], 0b1, 0b1, |p, _, c| {
        const NAMES: &[&str] = &["CommandKey", "State"];
        let out = &mut m.transfers;
        p.struct_array(
            &c,
            "QueuedTransferStruct",
            NAMES,
            (0b11, 0),
            out,
            |p, t, i, f| {
                match i {
                    0 => t.command_key = p.text(&f)?,
                    _ => t.state = p.i32(&f)?,
                }
                Ok(())
            },
        )
    })?;
    Ok(m)
}

pub(super) fn get_all_queued_transfers_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetAllQueuedTransfersResponse<'a>, DecodeError> {
    let mut m = GetAllQueuedTransfersResponse::default();
    p.fields_repeated(e, &["TransferList"], 0b1, 0b1, |p, _, c| {
        const NAMES: &[&str] = &[
            "CommandKey",
            "State",
            "IsDownload",
            "FileType",
            "FileSize",
            "TargetFileName",
        ];
        let out = &mut m.transfers;
        p.struct_array(
            &c,
            "AllQueuedTransferStruct",
            NAMES,
            (0b11_1111, 0),
            out,
            |p, t, i, f| {
                match i {
                    0 => t.command_key = p.text(&f)?,
                    1 => t.state = p.i32(&f)?,
                    2 => t.is_download = p.bool(&f)?,
                    3 => t.file_type = FileType(p.text(&f)?),
                    4 => t.file_size = p.u32(&f)?,
                    _ => t.target_file_name = p.text(&f)?,
                }
                Ok(())
            },
        )
    })?;
    Ok(m)
}

fn transfer_fault<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<TransferFault<'a>, DecodeError> {
    let mut f = TransferFault::default();
    p.fields(e, &["FaultCode", "FaultString"], 0b11, |p, i, c| {
        match i {
            0 => f.code = fault_code(p, &c)?,
            _ => f.message = p.text(&c)?,
        }
        Ok(())
    })?;
    Ok(f)
}

pub(super) fn transfer_complete<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<TransferComplete<'a>, DecodeError> {
    let mut m = TransferComplete::default();
    const NAMES: &[&str] = &["CommandKey", "FaultStruct", "StartTime", "CompleteTime"];
    p.fields(e, NAMES, 0b1111, |p, i, c| {
        match i {
            0 => m.command_key = p.text(&c)?,
            1 => m.fault = transfer_fault(p, &c)?,
            2 => m.start_time = p.datetime(&c)?,
            _ => m.complete_time = p.datetime(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn autonomous_transfer_complete<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<AutonomousTransferComplete<'a>, DecodeError> {
    let mut m = AutonomousTransferComplete::default();
    const NAMES: &[&str] = &[
        "AnnounceURL",
        "TransferURL",
        "IsDownload",
        "FileType",
        "FileSize",
        "TargetFileName",
        "FaultStruct",
        "StartTime",
        "CompleteTime",
    ];
    p.fields(e, NAMES, 0b1_1111_1111, |p, i, c| {
        match i {
            0 => m.announce_url = p.text(&c)?,
            1 => m.transfer_url = p.text(&c)?,
            2 => m.is_download = p.bool(&c)?,
            3 => m.file_type = FileType(p.text(&c)?),
            4 => m.file_size = p.u32(&c)?,
            5 => m.target_file_name = p.text(&c)?,
            6 => m.fault = transfer_fault(p, &c)?,
            7 => m.start_time = p.datetime(&c)?,
            _ => m.complete_time = p.datetime(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn request_download<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<RequestDownload<'a>, DecodeError> {
    let mut m = RequestDownload::default();
    p.fields_repeated(e, &["FileType", "FileTypeArg"], 0b11, 0b10, |p, i, c| {
        match i {
            0 => m.file_type = FileType(p.text(&c)?),
            _ => {
                let out = &mut m.args;
                p.struct_array(
                    &c,
                    "ArgStruct",
                    &["Name", "Value"],
                    (0b11, 0),
                    out,
                    |p, a, i, f| {
                        match i {
                            0 => a.name = p.text(&f)?,
                            _ => a.value = p.text(&f)?,
                        }
                        Ok(())
                    },
                )?;
            }
        }
        Ok(())
    })?;
    Ok(m)
}
