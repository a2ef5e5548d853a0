//! Shared by the encoder's integration tests: where `../shared` is, and one realistic,
//! schema-valid instance of every message (all fields filled, arrays non-empty, optional fields
//! present).
#![allow(dead_code)]

use std::path::PathBuf;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::envelope::METHODS;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, FaultType, SetParameterValuesFault};
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion, Envelope, Header};

/// `../shared` beside the workspace (or `$CWMP_SHARED`). `None` (after printing a note) when it
/// is missing outside CI; a panic when it is missing with `CI=true`.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CWMP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing; CI needs the shared corpus", dir.display());
    }
    eprintln!("note: {} is missing; skipping", dir.display());
    None
}

/// Whether xmllint is installed; prints a note when not (a panic with `CI=true`).
pub fn have_xmllint() -> bool {
    let ok = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("xmllint is missing (apt-get install -y libxml2-utils); CI needs it");
        }
        eprintln!("note: xmllint is missing (apt-get install -y libxml2-utils); skipping");
    }
    ok
}

/// Runs `validate-xsd` on the files in one call; returns its output lines.
pub fn validate_xsd(shared: &std::path::Path, files: &[PathBuf]) -> Vec<String> {
    let out = std::process::Command::new(shared.join("tools/validate-xsd"))
        .args(files)
        .output()
        .expect("run validate-xsd");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "validate-xsd failed to run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A fresh, unique directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "cwmp-soap-{tag}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

const UUID: &str = "3f2a5b1c-0d4e-4f6a-8b7c-9d0e1f2a3b4c";

fn pv(name: &'static str, ty: ValueType<'static>, text: &'static str) -> ParameterValue<'static> {
    ParameterValue::new(name, Value::new(ty, text))
}

fn values() -> Vec<ParameterValue<'static>> {
    vec![
        pv(
            "Device.DeviceInfo.Manufacturer",
            ValueType::String,
            "ACME & Sons <Networks>",
        ),
        pv("Device.DeviceInfo.UpTime", ValueType::UnsignedInt, "86400"),
        pv(
            "Device.ManagementServer.PeriodicInformEnable",
            ValueType::Boolean,
            "true",
        ),
        pv(
            "Device.Time.CurrentLocalTime",
            ValueType::DateTime,
            "2024-05-06T07:08:09.123Z",
        ),
        pv("Device.X_ACME.Offset", ValueType::Int, "-42"),
        pv("Device.X_ACME.Blob", ValueType::Base64, "AAECAwQ="),
        pv("Device.X_ACME.Hex", ValueType::HexBinary, "00ff10"),
        pv(
            "Device.Ethernet.Interface.1.Stats.BytesSent",
            ValueType::UnsignedLong,
            "18446744073709551615",
        ),
        pv(
            "Device.X_ACME.Signed",
            ValueType::Long,
            "-9223372036854775808",
        ),
        pv("Device.X_ACME.Ratio", ValueType::Decimal, "3.25"),
    ]
}

fn time(s: &'static str) -> DateTimeText<'static> {
    DateTimeText::new(s)
}

fn op_result() -> OpResult<'static> {
    OpResult {
        uuid: UUID.into(),
        deployment_unit_ref: "Device.SoftwareModules.DeploymentUnit.1.".into(),
        version: "2.1.0".into(),
        current_state: "Installed".into(),
        resolved: true,
        execution_unit_ref_list:
            "Device.SoftwareModules.ExecutionUnit.1.,Device.SoftwareModules.ExecutionUnit.2.".into(),
        start_time: time("2024-05-06T07:08:09Z"),
        complete_time: time("2024-05-06T07:09:10Z"),
        fault: DuFault {
            code: FaultCode::new(0),
            message: "".into(),
        },
    }
}

/// The body of a sample message, by element name.
pub fn sample_body(name: &str) -> Body<'static> {
    match name {
        "GetRPCMethods" => GetRpcMethods {}.into(),
        "GetRPCMethodsResponse" => GetRpcMethodsResponse {
            methods: vec![
                "GetRPCMethods".into(),
                "Inform".into(),
                "TransferComplete".into(),
            ],
        }
        .into(),
        "SetParameterValues" => SetParameterValues {
            parameters: values(),
            parameter_key: "key-&-1".into(),
        }
        .into(),
        "SetParameterValuesResponse" => SetParameterValuesResponse { status: 1 }.into(),
        "GetParameterValues" => {
            GetParameterValues::new(["Device.DeviceInfo.", "Device.ManagementServer.URL"]).into()
        }
        "GetParameterValuesResponse" => GetParameterValuesResponse {
            parameters: values(),
        }
        .into(),
        "GetParameterNames" => GetParameterNames {
            parameter_path: "Device.LAN.".into(),
            next_level: true,
        }
        .into(),
        "GetParameterNamesResponse" => GetParameterNamesResponse {
            parameters: vec![
                ParameterInfo {
                    name: "Device.LAN.IPAddress".into(),
                    writable: true,
                },
                ParameterInfo {
                    name: "Device.LAN.MACAddress".into(),
                    writable: false,
                },
            ],
        }
        .into(),
        "SetParameterAttributes" => SetParameterAttributes {
            parameters: vec![SetParameterAttribute {
                name: "Device.DeviceInfo.SoftwareVersion".into(),
                notification_change: true,
                notification: Notification::ACTIVE,
                access_list_change: true,
                access_list: vec!["Subscriber".into()],
            }],
        }
        .into(),
        "SetParameterAttributesResponse" => SetParameterAttributesResponse {}.into(),
        "GetParameterAttributes" => GetParameterAttributes {
            parameter_names: vec!["Device.DeviceInfo.".into()],
        }
        .into(),
        "GetParameterAttributesResponse" => GetParameterAttributesResponse {
            parameters: vec![
                ParameterAttribute {
                    name: "Device.DeviceInfo.SoftwareVersion".into(),
                    notification: Notification::PASSIVE,
                    access_list: vec!["Subscriber".into()],
                },
                ParameterAttribute {
                    name: "Device.DeviceInfo.UpTime".into(),
                    notification: Notification::OFF,
                    access_list: vec![],
                },
            ],
        }
        .into(),
        "AddObject" => AddObject {
            object_name: "Device.IP.Interface.".into(),
            parameter_key: "add-1".into(),
        }
        .into(),
        "AddObjectResponse" => AddObjectResponse {
            instance_number: 4,
            status: 0,
        }
        .into(),
        "DeleteObject" => DeleteObject {
            object_name: "Device.IP.Interface.3.".into(),
            parameter_key: "del-1".into(),
        }
        .into(),
        "DeleteObjectResponse" => DeleteObjectResponse { status: 0 }.into(),
        "Reboot" => Reboot {
            command_key: "reboot-1".into(),
        }
        .into(),
        "RebootResponse" => RebootResponse {}.into(),
        "Download" => Download {
            command_key: "dl-1".into(),
            file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
            url: "http://h/f?a=1&b=2".into(),
            username: "user".into(),
            password: "p<a>ss".into(),
            file_size: 1_048_576,
            target_file_name: "fw.bin".into(),
            delay_seconds: 5,
            success_url: "http://acs.example/ok?x=1&y=2".into(),
            failure_url: "http://acs.example/fail".into(),
        }
        .into(),
        "DownloadResponse" => DownloadResponse {
            status: 1,
            start_time: DateTimeText::UNKNOWN,
            complete_time: DateTimeText::UNKNOWN,
        }
        .into(),
        "Upload" => Upload {
            command_key: "ul-1".into(),
            file_type: FileType::VENDOR_LOG_FILE,
            url: "http://h/upload?id=1&t=2".into(),
            username: "user".into(),
            password: "pass".into(),
            delay_seconds: 0,
        }
        .into(),
        "UploadResponse" => UploadResponse {
            status: 0,
            start_time: time("2024-05-06T07:08:09Z"),
            complete_time: time("2024-05-06T07:08:19+02:00"),
        }
        .into(),
        "FactoryReset" => FactoryReset {}.into(),
        "FactoryResetResponse" => FactoryResetResponse {}.into(),
        "GetQueuedTransfers" => GetQueuedTransfers {}.into(),
        "GetQueuedTransfersResponse" => GetQueuedTransfersResponse {
            transfers: vec![
                QueuedTransfer {
                    command_key: "dl-1".into(),
                    state: 1,
                },
                QueuedTransfer {
                    command_key: "dl-2".into(),
                    state: 2,
                },
            ],
        }
        .into(),
        "GetAllQueuedTransfers" => GetAllQueuedTransfers {}.into(),
        "GetAllQueuedTransfersResponse" => GetAllQueuedTransfersResponse {
            transfers: vec![AllQueuedTransfer {
                command_key: "dl-1".into(),
                state: 3,
                is_download: true,
                file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
                file_size: 1234,
                target_file_name: "fw.bin".into(),
            }],
        }
        .into(),
        "ScheduleInform" => ScheduleInform {
            delay_seconds: 60,
            command_key: "si-1".into(),
        }
        .into(),
        "ScheduleInformResponse" => ScheduleInformResponse {}.into(),
        "SetVouchers" => SetVouchers {
            vouchers: vec!["PHZvdWNoZXIvPg==".into(), "AAAA".into()],
        }
        .into(),
        "SetVouchersResponse" => SetVouchersResponse {}.into(),
        "GetOptions" => GetOptions {
            option_name: "X_ACME_Option".into(),
        }
        .into(),
        "GetOptionsResponse" => GetOptionsResponse {
            options: vec![OptionInfo {
                option_name: "X_ACME_Option".into(),
                voucher_sn: 17,
                state: 1,
                mode: 1,
                start_date: time("2024-01-01T00:00:00Z"),
                expiration_date: Some(time("2025-01-01T00:00:00Z")),
                is_transferable: 1,
            }],
        }
        .into(),
        "CancelTransfer" => CancelTransfer {
            command_key: "dl-2".into(),
        }
        .into(),
        "CancelTransferResponse" => CancelTransferResponse {}.into(),
        "ChangeDUState" => ChangeDuState {
            operations: vec![
                Operation::Install(InstallOp {
                    url: "http://h/du.ipk?v=1&arch=mips".into(),
                    uuid: Some(UUID.into()),
                    username: Some("user".into()),
                    password: Some("pass".into()),
                    execution_env_ref: Some("Device.SoftwareModules.ExecEnv.1.".into()),
                }),
                Operation::Update(UpdateOp {
                    uuid: Some(UUID.into()),
                    version: Some("2.1.0".into()),
                    url: Some("http://h/du2.ipk".into()),
                    username: Some("user".into()),
                    password: Some("pass".into()),
                }),
                Operation::Uninstall(UninstallOp {
                    uuid: UUID.into(),
                    version: Some("1.0".into()),
                    execution_env_ref: Some("Device.SoftwareModules.ExecEnv.1.".into()),
                }),
            ],
            command_key: Some("du-1".into()),
        }
        .into(),
        "ChangeDUStateResponse" => ChangeDuStateResponse {}.into(),
        "ScheduleDownload" => ScheduleDownload {
            command_key: "sd-1".into(),
            file_type: FileType::WEB_CONTENT,
            url: "http://h/web.tgz?a=b&c=d".into(),
            username: "user".into(),
            password: "pass".into(),
            file_size: 99,
            target_file_name: "web.tgz".into(),
            time_windows: vec![
                TimeWindow {
                    window_start: 0,
                    window_end: 3600,
                    window_mode: TimeWindowMode::AT_ANY_TIME,
                    user_message: "".into(),
                    max_retries: -1,
                },
                TimeWindow {
                    window_start: 7200,
                    window_end: 10800,
                    window_mode: TimeWindowMode::CONFIRMATION_NEEDED,
                    user_message: "Update <now>?".into(),
                    max_retries: 3,
                },
            ],
        }
        .into(),
        "ScheduleDownloadResponse" => ScheduleDownloadResponse {}.into(),
        "Inform" => Inform {
            device_id: DeviceId {
                manufacturer: "ACME & Co".into(),
                oui: "00A0C9".into(),
                product_class: "Router<X>".into(),
                serial_number: "SN0001".into(),
            },
            events: vec![
                EventStruct::new(EventCode::new("1 BOOT")),
                EventStruct::with_command_key(EventCode::new("M Reboot"), "reboot-1"),
            ],
            max_envelopes: 1,
            current_time: time("2024-05-06T07:08:09.5+01:00"),
            retry_count: 0,
            parameters: values(),
        }
        .into(),
        "InformResponse" => InformResponse { max_envelopes: 1 }.into(),
        "TransferComplete" => TransferComplete {
            command_key: "dl-1".into(),
            fault: TransferFault {
                code: FaultCode::new(9010),
                message: "Download failed: 404 & gone".into(),
            },
            start_time: time("2024-05-06T07:08:09Z"),
            complete_time: time("2024-05-06T07:08:10Z"),
        }
        .into(),
        "TransferCompleteResponse" => TransferCompleteResponse {}.into(),
        "AutonomousTransferComplete" => AutonomousTransferComplete {
            announce_url: "http://h/announce".into(),
            transfer_url: "http://h/file?x=1&y=2".into(),
            is_download: true,
            file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
            file_size: 5,
            target_file_name: "fw.bin".into(),
            fault: TransferFault {
                code: FaultCode::new(0),
                message: "".into(),
            },
            start_time: time("2024-05-06T07:08:09Z"),
            complete_time: time("2024-05-06T07:08:10Z"),
        }
        .into(),
        "AutonomousTransferCompleteResponse" => AutonomousTransferCompleteResponse {}.into(),
        "RequestDownload" => RequestDownload {
            file_type: FileType::DOWNLOAD_VENDOR_CONFIGURATION_FILE,
            args: vec![
                Arg {
                    name: "Version".into(),
                    value: "1 & 2".into(),
                },
                Arg {
                    name: "Profile".into(),
                    value: "default".into(),
                },
            ],
        }
        .into(),
        "RequestDownloadResponse" => RequestDownloadResponse {}.into(),
        "Kicked" => Kicked {
            command: "login".into(),
            referer: "http://portal/".into(),
            arg: "a=1&b=2".into(),
            next: "http://portal/next?x=<y>".into(),
        }
        .into(),
        "KickedResponse" => KickedResponse {
            next_url: "http://portal/done?a=1&b=2".into(),
        }
        .into(),
        "DUStateChangeComplete" => DuStateChangeComplete {
            results: vec![
                op_result(),
                OpResult {
                    current_state: "Failed".into(),
                    resolved: false,
                    fault: DuFault {
                        code: FaultCode::new(9023),
                        message: "Unknown Execution Environment".into(),
                    },
                    ..op_result()
                },
            ],
            command_key: Some("du-1".into()),
        }
        .into(),
        "DUStateChangeCompleteResponse" => DuStateChangeCompleteResponse {}.into(),
        "AutonomousDUStateChangeComplete" => AutonomousDuStateChangeComplete {
            results: vec![AutonOpResult {
                result: op_result(),
                operation_performed: "Install".into(),
            }],
        }
        .into(),
        "AutonomousDUStateChangeCompleteResponse" => {
            AutonomousDuStateChangeCompleteResponse {}.into()
        }
        "Fault" => Fault {
            fault_type: FaultType::Client,
            fault_string: "CWMP fault".into(),
            code: FaultCode::INVALID_ARGUMENTS,
            message: "Invalid arguments".into(),
            set_parameter_values_faults: vec![
                SetParameterValuesFault {
                    parameter_name: "Device.X_ACME.Offset".into(),
                    code: FaultCode::INVALID_PARAMETER_VALUE,
                    message: "out of range <0..10>".into(),
                },
                SetParameterValuesFault::new(
                    "Device.DeviceInfo.UpTime",
                    FaultCode::NON_WRITABLE_PARAMETER,
                ),
            ],
        }
        .into(),
        other => panic!("no sample for {other}"),
    }
}

/// The header a sample message carries: ID everywhere, the Inform's SessionTimeout and
/// SupportedCWMPVersions, the InformResponse's UseCWMPVersion, HoldRequests on CPE methods.
pub fn sample_header(name: &str) -> Header<'static> {
    let mut h = Header::with_id(format!("id-{name}-&-1"));
    match name {
        "Inform" => {
            h.session_timeout = Some(60);
            h.supported_cwmp_versions = Some("1.0,1.1,1.2,1.3,1.4".into());
            h.no_more_requests = Some(true);
        }
        "InformResponse" => h.use_cwmp_version = Some(CwmpVersion::V1_4),
        "Reboot" | "Download" => h.hold_requests = Some(false),
        _ => {}
    }
    h
}

/// Every message name (the 54 RPCs and Fault) with the version that introduced it.
pub fn all_names() -> Vec<(&'static str, CwmpVersion)> {
    let mut names: Vec<_> = METHODS.iter().map(|m| (m.0, m.1)).collect();
    names.push(("Fault", CwmpVersion::V1_0));
    names
}

/// The sample envelope of a message.
pub fn sample(name: &str) -> Envelope<'static> {
    Envelope {
        header: sample_header(name),
        body: sample_body(name),
    }
}
