//! Every length and count limit of SPEC.md §3: accepted at the limit, refused one past it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::borrow::Cow;

use cwmp_core::Body;
use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::filetype::{FileType, TimeWindowMode};
use cwmp_core::limits::{Validate, ViolationKind};
use cwmp_core::rpc::*;

type Build = fn(String) -> Body<'static>;
type BuildCount<'f> = &'f dyn Fn(usize) -> Body<'static>;

fn s(text: String) -> Cow<'static, str> {
    Cow::Owned(text)
}

fn download(f: impl FnOnce(&mut Download<'static>)) -> Body<'static> {
    let mut d = Download {
        file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
        ..Download::default()
    };
    f(&mut d);
    d.into()
}

fn inform(f: impl FnOnce(&mut Inform<'static>)) -> Body<'static> {
    let mut i = Inform {
        device_id: DeviceId {
            oui: "00A0C9".into(),
            ..DeviceId::default()
        },
        current_time: DateTimeText::UNKNOWN,
        ..Inform::default()
    };
    f(&mut i);
    i.into()
}

fn autonomous(f: impl FnOnce(&mut AutonomousTransferComplete<'static>)) -> Body<'static> {
    let mut a = AutonomousTransferComplete {
        file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
        fault: TransferFault::success(),
        start_time: DateTimeText::UNKNOWN,
        complete_time: DateTimeText::UNKNOWN,
        ..AutonomousTransferComplete::default()
    };
    f(&mut a);
    a.into()
}

/// (field, maximum length, message builder putting a string of the given text into the field)
const LENGTHS: &[(&str, usize, Build)] = &[
    ("CommandKey", 32, |t| download(|d| d.command_key = s(t))),
    ("URL", 256, |t| download(|d| d.url = s(t))),
    ("Username", 256, |t| download(|d| d.username = s(t))),
    ("Password", 256, |t| download(|d| d.password = s(t))),
    ("TargetFileName", 256, |t| {
        download(|d| d.target_file_name = s(t))
    }),
    ("SuccessURL", 256, |t| download(|d| d.success_url = s(t))),
    ("FailureURL", 256, |t| download(|d| d.failure_url = s(t))),
    ("ParameterKey", 32, |t| {
        SetParameterValues {
            parameters: vec![],
            parameter_key: s(t),
        }
        .into()
    }),
    ("Name", 256, |t| {
        SetParameterValues {
            parameters: vec![ParameterValue::new(t, "v")],
            parameter_key: "".into(),
        }
        .into()
    }),
    ("ParameterNames", 256, |t| {
        GetParameterValues::new([t]).into()
    }),
    ("ParameterPath", 256, |t| {
        GetParameterNames {
            parameter_path: s(t),
            next_level: false,
        }
        .into()
    }),
    ("ObjectName", 256, |t| {
        AddObject {
            object_name: s(format!("{}.", &t[1..])),
            parameter_key: "".into(),
        }
        .into()
    }),
    ("ObjectName", 256, |t| {
        DeleteObject {
            object_name: s(format!("{}.", &t[1..])),
            parameter_key: "".into(),
        }
        .into()
    }),
    ("Manufacturer", 64, |t| {
        inform(|i| i.device_id.manufacturer = s(t))
    }),
    ("ProductClass", 64, |t| {
        inform(|i| i.device_id.product_class = s(t))
    }),
    ("SerialNumber", 64, |t| {
        inform(|i| i.device_id.serial_number = s(t))
    }),
    ("EventCode", 64, |t| {
        inform(|i| {
            i.events = vec![EventStruct::new(EventCode::new(format!(
                "X 00A0C9 {}",
                &t[9..]
            )))]
        })
    }),
    ("CommandKey", 32, |t| {
        inform(|i| i.events = vec![EventStruct::with_command_key(EventCode::M_REBOOT, t)])
    }),
    ("MethodList", 64, |t| {
        GetRpcMethodsResponse {
            methods: vec![s(t)],
        }
        .into()
    }),
    ("AccessList", 64, |t| {
        GetParameterAttributesResponse {
            parameters: vec![ParameterAttribute {
                name: "a".into(),
                access_list: vec![s(t)],
                ..ParameterAttribute::default()
            }],
        }
        .into()
    }),
    ("AnnounceURL", 1024, |t| {
        autonomous(|a| a.announce_url = s(t))
    }),
    ("TransferURL", 1024, |t| {
        autonomous(|a| a.transfer_url = s(t))
    }),
    ("FaultString", 256, |t| {
        autonomous(|a| a.fault.message = s(t))
    }),
    ("Command", 32, |t| {
        Kicked {
            command: s(t),
            ..Kicked::default()
        }
        .into()
    }),
    ("Referer", 64, |t| {
        Kicked {
            referer: s(t),
            ..Kicked::default()
        }
        .into()
    }),
    ("Arg", 256, |t| {
        Kicked {
            arg: s(t),
            ..Kicked::default()
        }
        .into()
    }),
    ("Next", 1024, |t| {
        Kicked {
            next: s(t),
            ..Kicked::default()
        }
        .into()
    }),
    ("NextURL", 1024, |t| {
        KickedResponse { next_url: s(t) }.into()
    }),
    ("OptionName", 64, |t| {
        GetOptions { option_name: s(t) }.into()
    }),
    ("Name", 64, |t| {
        RequestDownload {
            file_type: FileType::WEB_CONTENT,
            args: vec![Arg {
                name: s(t),
                value: "".into(),
            }],
        }
        .into()
    }),
    ("Value", 256, |t| {
        RequestDownload {
            file_type: FileType::WEB_CONTENT,
            args: vec![Arg {
                name: "".into(),
                value: s(t),
            }],
        }
        .into()
    }),
    ("UserMessage", 256, |t| {
        ScheduleDownload {
            file_type: FileType::WEB_CONTENT,
            time_windows: vec![TimeWindow {
                window_mode: TimeWindowMode::AT_ANY_TIME,
                user_message: s(t),
                ..TimeWindow::default()
            }],
            ..ScheduleDownload::default()
        }
        .into()
    }),
    ("Version", 32, |t| {
        ChangeDuState {
            operations: vec![Operation::Update(UpdateOp {
                version: Some(s(t)),
                ..UpdateOp::default()
            })],
            command_key: None,
        }
        .into()
    }),
    ("URL", 1024, |t| {
        ChangeDuState {
            operations: vec![Operation::Install(InstallOp {
                url: s(t),
                ..InstallOp::default()
            })],
            command_key: None,
        }
        .into()
    }),
    ("ExecutionEnvRef", 256, |t| {
        ChangeDuState {
            operations: vec![Operation::Install(InstallOp {
                execution_env_ref: Some(s(t)),
                ..InstallOp::default()
            })],
            command_key: None,
        }
        .into()
    }),
];

#[test]
fn every_length_limit_accepts_the_limit_and_refuses_one_past() {
    for &(field, max, build) in LENGTHS {
        let at = build("x".repeat(max));
        assert!(
            at.is_valid(),
            "{field} ({}) at {max}: {:?}",
            at.name(),
            at.violations()
        );
        let past = build("x".repeat(max + 1));
        let v = past.violations();
        assert_eq!(
            v.len(),
            1,
            "{field} ({}) at {}: {v:?}",
            past.name(),
            max + 1
        );
        assert_eq!(v[0].field, field);
        assert_eq!(v[0].kind, ViolationKind::TooLong { max, len: max + 1 });
    }
}

#[test]
fn every_count_limit_accepts_the_limit_and_refuses_one_past() {
    let events = |n: usize| inform(|i| i.events = vec![EventStruct::new(EventCode::PERIODIC); n]);
    let queued = |n: usize| -> Body<'static> {
        GetQueuedTransfersResponse {
            transfers: vec![
                QueuedTransfer {
                    command_key: "".into(),
                    state: 1
                };
                n
            ],
        }
        .into()
    };
    let all_queued = |n: usize| -> Body<'static> {
        GetAllQueuedTransfersResponse {
            transfers: vec![
                AllQueuedTransfer {
                    state: 2,
                    file_type: FileType::TONE_FILE,
                    ..AllQueuedTransfer::default()
                };
                n
            ],
        }
        .into()
    };
    let args = |n: usize| -> Body<'static> {
        RequestDownload {
            file_type: FileType::WEB_CONTENT,
            args: vec![Arg::default(); n],
        }
        .into()
    };
    let windows = |n: usize| -> Body<'static> {
        ScheduleDownload {
            file_type: FileType::WEB_CONTENT,
            time_windows: vec![
                TimeWindow {
                    window_mode: TimeWindowMode::IMMEDIATELY,
                    ..TimeWindow::default()
                };
                n
            ],
            ..ScheduleDownload::default()
        }
        .into()
    };
    let cases: [(&str, usize, BuildCount<'_>); 5] = [
        ("Event", 64, &events),
        ("TransferList", 16, &queued),
        ("TransferList", 16, &all_queued),
        ("FileTypeArg", 16, &args),
        ("TimeWindowList", 2, &windows),
    ];
    for (field, max, build) in cases {
        assert!(build(max).is_valid(), "{field} at {max}");
        let v = build(max + 1).violations();
        assert_eq!(v[0].field, field);
        assert_eq!(v[0].kind, ViolationKind::TooMany { max, len: max + 1 });
    }
    assert_eq!(
        windows(0).violations()[0].kind,
        ViolationKind::TooFew { min: 1 }
    );
    assert_eq!(
        SetVouchers::default().violations()[0].kind,
        ViolationKind::TooFew { min: 1 }
    );
    assert_eq!(
        ChangeDuState::default().violations()[0].kind,
        ViolationKind::TooFew { min: 1 }
    );
}

#[test]
fn patterns_of_spec_section_3() {
    let oui = |o: &'static str| inform(|i| i.device_id.oui = o.into());
    assert!(oui("00A0C9").is_valid());
    for bad in ["00a0c9", "00A0", "00A0C9F", "GGGGGG"] {
        assert_eq!(oui(bad).violations()[0].field, "OUI", "{bad}");
    }
    let add: Body<'_> = AddObject {
        object_name: "Device.IP.Interface".into(),
        parameter_key: "".into(),
    }
    .into();
    assert_eq!(add.violations()[0].kind, ViolationKind::Pattern(r".*\."));
    let bad_type = download(|d| d.file_type = FileType::new("9 Nothing"));
    assert_eq!(bad_type.violations()[0].field, "FileType");
    let bad_event = inform(|i| i.events = vec![EventStruct::new(EventCode::new("M Foo Bar"))]);
    assert_eq!(bad_event.violations()[0].field, "EventCode");
    let status: Body<'_> = SetParameterValuesResponse { status: 2 }.into();
    assert_eq!(status.violations()[0].kind, ViolationKind::OutOfRange(2));
}
