//! The project's own vectors (tests/vectors): one per RPC request and response, the Fault,
//! the DU wrapper forms, and one per QUIRKS.md item 1–27, each with asserted field values and,
//! for quirks, the asserted warning kinds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::envelope::METHODS;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{FaultCode, FaultType, SetParameterValuesFault};
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion};
use cwmp_soap::decode::{ControlCharPolicy, DecodeError, Decoded, Decoder, WarningKind};

fn bytes(name: &str) -> &'static [u8] {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Box::leak(data.into_boxed_slice())
}

fn lenient(name: &str) -> Decoded<'static> {
    Decoder::new()
        .decode(bytes(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn kinds(d: &Decoded<'_>) -> Vec<WarningKind> {
    d.warnings.iter().map(|w| w.kind).collect()
}

fn pv(name: &'static str, ty: ValueType<'static>, text: &'static str) -> ParameterValue<'static> {
    ParameterValue::new(name, Value::new(ty, text))
}

fn dt(s: &'static str) -> DateTimeText<'static> {
    DateTimeText::new(s)
}

/// An RPC vector: schema-valid, so lenient gives no warning and strict accepts it.
fn rpc(name: &str, version: CwmpVersion) -> Body<'static> {
    let file = format!("rpc-{name}.xml");
    let d = lenient(&file);
    assert_eq!(kinds(&d), vec![], "{file}");
    assert_eq!(
        d.envelope.header.id.as_deref(),
        Some(format!("id-{name}").as_str())
    );
    assert_eq!(d.version, version, "{file}");
    assert_eq!(d.envelope.body.name(), name);
    let strict = Decoder::strict().decode(bytes(&file));
    assert!(strict.is_ok(), "{file}: {strict:?}");
    d.envelope.body
}

#[test]
fn every_method_has_a_vector_that_decodes_to_it() {
    for &(name, ..) in METHODS {
        let d = lenient(&format!("rpc-{name}.xml"));
        assert_eq!(d.envelope.body.name(), name);
        assert!(!matches!(d.envelope.body, Body::Unknown(_)));
    }
    assert_eq!(METHODS.len(), 54);
}

#[test]
fn empty_messages() {
    use CwmpVersion::*;
    assert_eq!(
        rpc("GetRPCMethods", V1_2),
        Body::GetRpcMethods(GetRpcMethods {})
    );
    for (name, v) in [
        ("SetParameterAttributesResponse", V1_2),
        ("RebootResponse", V1_2),
        ("FactoryReset", V1_2),
        ("FactoryResetResponse", V1_2),
        ("GetQueuedTransfers", V1_0),
        ("GetAllQueuedTransfers", V1_1),
        ("ScheduleInformResponse", V1_2),
        ("SetVouchersResponse", V1_0),
        ("CancelTransferResponse", V1_2),
        ("ChangeDUStateResponse", V1_2),
        ("ScheduleDownloadResponse", V1_2),
        ("TransferCompleteResponse", V1_2),
        ("AutonomousTransferCompleteResponse", V1_1),
        ("RequestDownloadResponse", V1_0),
        ("DUStateChangeCompleteResponse", V1_2),
        ("AutonomousDUStateChangeCompleteResponse", V1_2),
    ] {
        let body = rpc(name, v);
        assert!(body.is_request() || body.is_response(), "{name}");
    }
}

#[test]
fn parameter_rpcs() {
    use CwmpVersion::V1_2;
    assert_eq!(
        rpc("GetRPCMethodsResponse", V1_2),
        Body::GetRpcMethodsResponse(GetRpcMethodsResponse {
            methods: vec![
                "GetRPCMethods".into(),
                "Inform".into(),
                "TransferComplete".into()
            ]
        })
    );
    assert_eq!(
        rpc("SetParameterValues", V1_2),
        Body::SetParameterValues(SetParameterValues {
            parameters: vec![
                pv(
                    "Device.ManagementServer.PeriodicInformInterval",
                    ValueType::UnsignedInt,
                    "300"
                ),
                pv(
                    "Device.ManagementServer.PeriodicInformEnable",
                    ValueType::Boolean,
                    "true"
                ),
            ],
            parameter_key: "change-42".into(),
        })
    );
    assert_eq!(
        rpc("SetParameterValuesResponse", V1_2),
        Body::SetParameterValuesResponse(SetParameterValuesResponse { status: 1 })
    );
    assert_eq!(
        rpc("GetParameterValues", V1_2),
        Body::GetParameterValues(GetParameterValues::new([
            "Device.DeviceInfo.",
            "Device.ManagementServer.URL"
        ]))
    );
    let Body::GetParameterValuesResponse(r) = rpc("GetParameterValuesResponse", V1_2) else {
        panic!()
    };
    assert_eq!(
        r.parameters,
        vec![
            pv("Device.DeviceInfo.UpTime", ValueType::UnsignedInt, "3600"),
            pv("Device.DeviceInfo.Temperature", ValueType::Int, "-5"),
            pv(
                "Device.Time.CurrentLocalTime",
                ValueType::DateTime,
                "2024-05-01T12:00:00Z"
            ),
        ]
    );
    assert_eq!(r.parameters[1].value.as_i32(), Ok(-5));
    assert_eq!(
        rpc("GetParameterNames", V1_2),
        Body::GetParameterNames(GetParameterNames {
            parameter_path: "Device.WiFi.".into(),
            next_level: true
        })
    );
    assert_eq!(
        rpc("GetParameterNamesResponse", V1_2),
        Body::GetParameterNamesResponse(GetParameterNamesResponse {
            parameters: vec![
                ParameterInfo {
                    name: "Device.WiFi.Radio.".into(),
                    writable: false
                },
                ParameterInfo {
                    name: "Device.WiFi.SSIDNumberOfEntries".into(),
                    writable: false
                },
            ]
        })
    );
    assert_eq!(
        rpc("SetParameterAttributes", V1_2),
        Body::SetParameterAttributes(SetParameterAttributes {
            parameters: vec![SetParameterAttribute {
                name: "Device.DeviceInfo.SoftwareVersion".into(),
                notification_change: true,
                notification: Notification::ACTIVE,
                access_list_change: true,
                access_list: vec!["Subscriber".into()],
            }]
        })
    );
    assert_eq!(
        rpc("GetParameterAttributes", V1_2),
        Body::GetParameterAttributes(GetParameterAttributes {
            parameter_names: vec!["Device.DeviceInfo.".into()]
        })
    );
    assert_eq!(
        rpc("GetParameterAttributesResponse", V1_2),
        Body::GetParameterAttributesResponse(GetParameterAttributesResponse {
            parameters: vec![ParameterAttribute {
                name: "Device.DeviceInfo.SoftwareVersion".into(),
                notification: Notification::new(6),
                access_list: vec![],
            }]
        })
    );
    assert_eq!(
        rpc("AddObject", V1_2),
        Body::AddObject(AddObject {
            object_name: "Device.IP.Interface.".into(),
            parameter_key: "k1".into()
        })
    );
    assert_eq!(
        rpc("AddObjectResponse", V1_2),
        Body::AddObjectResponse(AddObjectResponse {
            instance_number: 7,
            status: 0
        })
    );
    assert_eq!(
        rpc("DeleteObject", V1_2),
        Body::DeleteObject(DeleteObject {
            object_name: "Device.IP.Interface.3.".into(),
            parameter_key: "k2".into()
        })
    );
    assert_eq!(
        rpc("DeleteObjectResponse", V1_2),
        Body::DeleteObjectResponse(DeleteObjectResponse { status: 1 })
    );
}

#[test]
fn transfer_rpcs() {
    use CwmpVersion::*;
    let Body::Download(d) = rpc("Download", V1_2) else {
        panic!()
    };
    assert_eq!(
        d,
        Download {
            command_key: "fw-1".into(),
            file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
            url: "http://acs.example/fw.bin?a=1&b=2".into(),
            username: "u".into(),
            password: "p".into(),
            file_size: 1_048_576,
            target_file_name: "fw.bin".into(),
            delay_seconds: 0,
            success_url: "".into(),
            failure_url: "".into(),
        }
    );
    // Unescaped only where needed: the URL held `&amp;`.
    assert!(matches!(d.url, Cow::Owned(_)));
    assert!(matches!(d.command_key, Cow::Borrowed(_)));
    assert_eq!(
        rpc("DownloadResponse", V1_2),
        Body::DownloadResponse(DownloadResponse {
            status: 1,
            start_time: DateTimeText::UNKNOWN,
            complete_time: DateTimeText::UNKNOWN,
        })
    );
    assert_eq!(
        rpc("Upload", V1_2),
        Body::Upload(Upload {
            command_key: "up-1".into(),
            file_type: FileType::VENDOR_LOG_FILE,
            url: "http://acs.example/upload".into(),
            username: "".into(),
            password: "".into(),
            delay_seconds: 5,
        })
    );
    assert_eq!(
        rpc("UploadResponse", V1_2),
        Body::UploadResponse(UploadResponse {
            status: 0,
            start_time: dt("2024-05-01T12:00:00Z"),
            complete_time: dt("2024-05-01T12:00:05Z"),
        })
    );
    assert_eq!(
        rpc("GetQueuedTransfersResponse", V1_0),
        Body::GetQueuedTransfersResponse(GetQueuedTransfersResponse {
            transfers: vec![
                QueuedTransfer {
                    command_key: "fw-1".into(),
                    state: 2
                },
                QueuedTransfer {
                    command_key: "cfg-2".into(),
                    state: 1
                },
            ]
        })
    );
    assert_eq!(
        rpc("GetAllQueuedTransfersResponse", V1_1),
        Body::GetAllQueuedTransfersResponse(GetAllQueuedTransfersResponse {
            transfers: vec![AllQueuedTransfer {
                command_key: "fw-1".into(),
                state: 3,
                is_download: true,
                file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
                file_size: 2048,
                target_file_name: "fw.bin".into(),
            }]
        })
    );
    assert_eq!(
        rpc("CancelTransfer", V1_2),
        Body::CancelTransfer(CancelTransfer {
            command_key: "fw-1".into()
        })
    );
    assert_eq!(
        rpc("ScheduleDownload", V1_2),
        Body::ScheduleDownload(ScheduleDownload {
            command_key: "sd-1".into(),
            file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
            url: "http://acs.example/fw.bin".into(),
            username: "".into(),
            password: "".into(),
            file_size: 0,
            target_file_name: "".into(),
            time_windows: vec![TimeWindow {
                window_start: 0,
                window_end: 3600,
                window_mode: TimeWindowMode::AT_ANY_TIME,
                user_message: "".into(),
                max_retries: -1,
            }],
        })
    );
    assert_eq!(
        rpc("TransferComplete", V1_2),
        Body::TransferComplete(TransferComplete {
            command_key: "fw-1".into(),
            fault: TransferFault {
                code: FaultCode::FILE_TRANSFER_FAILURE,
                message: "Download failure".into()
            },
            start_time: dt("2024-05-01T12:00:00Z"),
            complete_time: dt("2024-05-01T12:01:00Z"),
        })
    );
    assert_eq!(
        rpc("AutonomousTransferComplete", V1_1),
        Body::AutonomousTransferComplete(AutonomousTransferComplete {
            announce_url: "http://mc.example/".into(),
            transfer_url: "http://files.example/fw".into(),
            is_download: true,
            file_type: FileType::FIRMWARE_UPGRADE_IMAGE,
            file_size: 4096,
            target_file_name: "fw".into(),
            fault: TransferFault {
                code: FaultCode::new(0),
                message: "".into()
            },
            start_time: dt("2024-05-01T12:00:00Z"),
            complete_time: dt("2024-05-01T12:00:30Z"),
        })
    );
    assert_eq!(
        rpc("RequestDownload", V1_0),
        Body::RequestDownload(RequestDownload {
            file_type: FileType::new("3 Vendor Configuration File"),
            args: vec![Arg {
                name: "Version".into(),
                value: "7".into()
            }],
        })
    );
}

#[test]
fn misc_and_acs_rpcs() {
    use CwmpVersion::*;
    assert_eq!(
        rpc("Reboot", V1_2),
        Body::Reboot(Reboot {
            command_key: "reboot-1".into()
        })
    );
    assert_eq!(
        rpc("ScheduleInform", V1_2),
        Body::ScheduleInform(ScheduleInform {
            delay_seconds: 60,
            command_key: "sched".into()
        })
    );
    assert_eq!(
        rpc("SetVouchers", V1_0),
        Body::SetVouchers(SetVouchers {
            vouchers: vec!["AAEC".into(), "AwQF".into()]
        })
    );
    assert_eq!(
        rpc("GetOptions", V1_0),
        Body::GetOptions(GetOptions {
            option_name: "X_Option".into()
        })
    );
    assert_eq!(
        rpc("GetOptionsResponse", V1_0),
        Body::GetOptionsResponse(GetOptionsResponse {
            options: vec![OptionInfo {
                option_name: "X_Option".into(),
                voucher_sn: 12,
                state: 1,
                mode: 2,
                start_date: dt("2024-01-01T00:00:00Z"),
                expiration_date: None,
                is_transferable: 0,
            }]
        })
    );
    assert_eq!(
        rpc("Inform", V1_2),
        Body::Inform(Inform {
            device_id: DeviceId {
                manufacturer: "Acme".into(),
                oui: "00A0C9".into(),
                product_class: "HGW".into(),
                serial_number: "SN0001".into(),
            },
            events: vec![
                EventStruct::new(EventCode::BOOT),
                EventStruct::with_command_key(EventCode::new("M Reboot"), "reboot-1"),
            ],
            max_envelopes: 1,
            current_time: dt("2024-05-01T12:00:00+02:00"),
            retry_count: 0,
            parameters: vec![pv(
                "Device.DeviceInfo.SoftwareVersion",
                ValueType::String,
                "1.2.3"
            )],
        })
    );
    assert_eq!(
        rpc("InformResponse", V1_2),
        Body::InformResponse(InformResponse { max_envelopes: 1 })
    );
    assert_eq!(
        rpc("Kicked", V1_0),
        Body::Kicked(Kicked {
            command: "start".into(),
            referer: "http://portal.example/".into(),
            arg: "x=1".into(),
            next: "http://portal.example/next".into(),
        })
    );
    assert_eq!(
        rpc("KickedResponse", V1_0),
        Body::KickedResponse(KickedResponse {
            next_url: "http://portal.example/done".into()
        })
    );
}

fn expected_change_du_state() -> ChangeDuState<'static> {
    ChangeDuState {
        operations: vec![
            Operation::Install(InstallOp {
                url: "http://du.example/app.ipk".into(),
                uuid: Some("6ba7b810-9dad-11d1-80b4-00c04fd430c8".into()),
                username: None,
                password: None,
                execution_env_ref: Some("Device.SoftwareModules.ExecEnv.1.".into()),
            }),
            Operation::Update(UpdateOp {
                uuid: Some("6ba7b811-9dad-11d1-80b4-00c04fd430c8".into()),
                version: Some("2.0".into()),
                ..UpdateOp::default()
            }),
            Operation::Uninstall(UninstallOp {
                uuid: "6ba7b812-9dad-11d1-80b4-00c04fd430c8".into(),
                version: None,
                execution_env_ref: None,
            }),
        ],
        command_key: Some("du-1".into()),
    }
}

fn expected_result() -> OpResult<'static> {
    OpResult {
        uuid: "6ba7b810-9dad-11d1-80b4-00c04fd430c8".into(),
        deployment_unit_ref: "Device.SoftwareModules.DeploymentUnit.1.".into(),
        version: "1.0".into(),
        current_state: "Installed".into(),
        resolved: true,
        execution_unit_ref_list: "Device.SoftwareModules.ExecutionUnit.1.".into(),
        start_time: dt("2024-05-01T12:00:00Z"),
        complete_time: dt("2024-05-01T12:00:10Z"),
        fault: DuFault {
            code: FaultCode::new(0),
            message: "".into(),
        },
    }
}

#[test]
fn du_rpcs_in_both_wire_shapes_give_the_same_value() {
    use CwmpVersion::V1_2;
    let xsd = rpc("ChangeDUState", V1_2);
    assert_eq!(xsd, Body::ChangeDuState(expected_change_du_state()));
    let wrapper = lenient("du-ChangeDUState-wrapper.xml");
    assert_eq!(kinds(&wrapper), vec![WarningKind::DuWrapperForm]);
    assert_eq!(wrapper.envelope.body, xsd);

    let xsd = rpc("DUStateChangeComplete", V1_2);
    assert_eq!(
        xsd,
        Body::DuStateChangeComplete(DuStateChangeComplete {
            results: vec![expected_result()],
            command_key: Some("du-1".into()),
        })
    );
    let wrapper = lenient("du-DUStateChangeComplete-wrapper.xml");
    assert_eq!(kinds(&wrapper), vec![WarningKind::DuWrapperForm]);
    assert_eq!(wrapper.envelope.body, xsd);

    let xsd = rpc("AutonomousDUStateChangeComplete", V1_2);
    assert_eq!(
        xsd,
        Body::AutonomousDuStateChangeComplete(AutonomousDuStateChangeComplete {
            results: vec![AutonOpResult {
                result: expected_result(),
                operation_performed: "Install".into()
            }],
        })
    );
    let wrapper = lenient("du-AutonomousDUStateChangeComplete-wrapper.xml");
    assert_eq!(kinds(&wrapper), vec![WarningKind::DuWrapperForm]);
    assert_eq!(wrapper.envelope.body, xsd);
    assert!(
        Decoder::strict()
            .decode(bytes("du-ChangeDUState-wrapper.xml"))
            .is_err()
    );
}

#[test]
fn fault_with_set_parameter_values_faults() {
    let d = lenient("rpc-Fault.xml");
    assert_eq!(kinds(&d), vec![]);
    assert_eq!(d.envelope.header.id.as_deref(), Some("id-Fault"));
    let Body::Fault(f) = d.envelope.body else {
        panic!()
    };
    assert_eq!(f.fault_type, FaultType::Client);
    assert_eq!(f.fault_string, "CWMP fault");
    assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
    assert_eq!(f.message, "Invalid arguments");
    assert_eq!(
        f.set_parameter_values_faults,
        vec![
            SetParameterValuesFault {
                parameter_name: "Device.A".into(),
                code: FaultCode::INVALID_PARAMETER_VALUE,
                message: "Invalid parameter value".into(),
            },
            SetParameterValuesFault {
                parameter_name: "Device.B".into(),
                code: FaultCode::NON_WRITABLE_PARAMETER,
                message: "".into(),
            },
        ]
    );
    assert!(Decoder::strict().decode(bytes("rpc-Fault.xml")).is_ok());
}

/// A quirk vector: decodes leniently with exactly `warnings` (then one `SchemaViolation` per
/// entry of `Decoded::violations`); strict refuses it when any, reporting `warnings` as its
/// deviations.
fn quirk(name: &str, warnings: &[WarningKind]) -> Decoded<'static> {
    let d = lenient(name);
    let mut expected = warnings.to_vec();
    expected.extend(d.violations.iter().map(|_| WarningKind::SchemaViolation));
    assert_eq!(kinds(&d), expected, "{name}");
    let strict = Decoder::strict().decode(bytes(name));
    if expected.is_empty() {
        assert!(strict.is_ok(), "{name}: {strict:?}");
    } else {
        match strict {
            Err(DecodeError::Strict { deviations, .. }) => {
                let k: Vec<_> = deviations.iter().map(|w| w.kind).collect();
                assert_eq!(k, warnings, "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    d
}

fn inform_of(d: &Decoded<'static>) -> Inform<'static> {
    match &d.envelope.body {
        Body::Inform(i) => i.clone(),
        other => panic!("{other:?}"),
    }
}

fn gpvr_of(d: &Decoded<'static>) -> Vec<ParameterValue<'static>> {
    match &d.envelope.body {
        Body::GetParameterValuesResponse(r) => r.parameters.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn quirks_envelope_namespace_prefix() {
    use WarningKind::*;
    // 1: no Header at all.
    let d = quirk("quirk-01-no-header.xml", &[]);
    assert_eq!(d.envelope.header, cwmp_core::Header::default());
    assert_eq!(
        inform_of(&d).events,
        vec![EventStruct::new(EventCode::PERIODIC)]
    );
    // 2: empty Header, no ID.
    let d = quirk("quirk-02-empty-header.xml", &[]);
    assert_eq!(d.envelope.header.id, None);
    assert_eq!(inform_of(&d).device_id.oui, "00A0C9");
    // 3: soapenv + `soap` bound to the encoding namespace; soap_env/soap_enc.
    for name in [
        "quirk-03-unusual-prefixes.xml",
        "quirk-03b-underscore-prefixes.xml",
    ] {
        let d = quirk(name, &[]);
        assert_eq!(d.envelope.header.id.as_deref(), Some("q"));
        assert_eq!(gpvr_of(&d), vec![pv("Device.X", ValueType::Int, "5")]);
    }
    // 4: single-quoted attributes.
    let d = quirk("quirk-04-single-quoted-attributes.xml", &[]);
    assert_eq!(d.envelope.header.id.as_deref(), Some("q"));
    assert_eq!(
        inform_of(&d).parameters,
        vec![pv(
            "Device.DeviceInfo.SoftwareVersion",
            ValueType::String,
            "1.0"
        )]
    );
    // 5: QName values resolved against Envelope-level (and element-level) declarations.
    let d = quirk("quirk-05-envelope-level-qnames.xml", &[]);
    assert_eq!(d.namespace, Some("urn:dslforum-org:cwmp-1-0"));
    let i = inform_of(&d);
    assert_eq!(i.events, vec![EventStruct::new(EventCode::BOOT)]);
    assert_eq!(
        i.parameters,
        vec![
            pv("Device.A", ValueType::UnsignedInt, "1"),
            pv("Device.B", ValueType::Boolean, "true")
        ]
    );
    // 6: xsi:type="SOAP-ENC:Array" on Event and ParameterList.
    let d = quirk("quirk-06-array-xsi-type.xml", &[ArrayXsiType, ArrayXsiType]);
    assert_eq!(inform_of(&d).parameters.len(), 1);
    // 7: a wrong count on Event, a zero-padded one on ParameterList.
    let d = quirk(
        "quirk-07-zero-padded-arraytype.xml",
        &[ArrayCountMismatch, ZeroPaddedArrayCount],
    );
    let i = inform_of(&d);
    assert_eq!(i.events.len(), 1);
    assert_eq!(
        i.parameters,
        vec![
            pv("Device.A", ValueType::String, "a"),
            pv("Device.B", ValueType::String, "b")
        ]
    );
    let offsets: Vec<usize> = d.warnings.iter().map(|w| w.offset).collect();
    let text = std::str::from_utf8(bytes("quirk-07-zero-padded-arraytype.xml")).unwrap();
    assert_eq!(offsets[0], text.find("<Event ").unwrap());
    assert_eq!(offsets[1], text.find("<ParameterList ").unwrap());
    // 8: the cwmp-1-3 namespace, read as 1.4.
    let d = quirk("quirk-08-cwmp-1-3-namespace.xml", &[NonSchemaNamespace]);
    assert_eq!(d.version, CwmpVersion::V1_4);
    assert_eq!(d.namespace, Some("urn:dslforum-org:cwmp-1-3"));
    // 9: soapenv:Fault carrying an encodingStyle attribute, unprefixed faultcode.
    let d = quirk("quirk-09-fault-prefix-encodingstyle.xml", &[]);
    let Body::Fault(f) = &d.envelope.body else {
        panic!()
    };
    assert_eq!(f.fault_type, FaultType::Client);
    assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME);
    assert_eq!(f.message, "Invalid parameter name");
    assert_eq!(d.envelope.header.id.as_deref(), Some("77"));
    // 10: XML declaration.
    let d = quirk("quirk-10-xml-declaration.xml", &[]);
    assert_eq!(
        d.envelope.body,
        Body::InformResponse(InformResponse { max_envelopes: 1 })
    );
    // 11: whitespace before the declaration, standalone="no"; and a BOM.
    let d = quirk(
        "quirk-11-leading-whitespace-standalone.xml",
        &[LeadingWhitespace],
    );
    assert_eq!(inform_of(&d).device_id.serial_number, "SN1");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(bytes("quirk-10-xml-declaration.xml"));
    let d = Decoder::strict().decode(&bom).unwrap();
    assert_eq!(d.envelope.body.name(), "InformResponse");
}

#[test]
fn quirks_header_content() {
    use WarningKind::*;
    // 12: odd IDs are kept verbatim (and empty, `inform`, `0`).
    let d = quirk("quirk-12-odd-id.xml", &[]);
    assert_eq!(d.envelope.header.id.as_deref(), Some("SAGEM_ID_7589"));
    let text = std::str::from_utf8(bytes("quirk-12-odd-id.xml")).unwrap();
    for id in ["", "inform", "0", " spaced "] {
        let xml = text.replace("SAGEM_ID_7589", id);
        let d = Decoder::new().decode(xml.as_bytes()).unwrap();
        assert_eq!(d.envelope.header.id.as_deref(), Some(id));
        assert!(d.warnings.is_empty());
    }
    // 13: SessionTimeout with the cwmp-1-0 namespace.
    let d = quirk(
        "quirk-13-session-timeout-cwmp-1-0.xml",
        &[HeaderNotInVersion],
    );
    assert_eq!(d.envelope.header.session_timeout, Some(40));
    assert_eq!(d.version, CwmpVersion::V1_0);
    // 14: HoldRequests/NoMoreRequests as true/false, mustUnderstand="true".
    let d = quirk(
        "quirk-14-holdrequests-true-false.xml",
        &[NonStandardMustUnderstand, DeprecatedHeader],
    );
    assert_eq!(d.envelope.header.hold_requests, Some(true));
    assert_eq!(d.envelope.header.no_more_requests, Some(false));
}

#[test]
fn quirks_values_and_types() {
    use WarningKind::*;
    // 15: Value without xsi:type → string.
    let d = quirk("quirk-15-value-without-xsi-type.xml", &[MissingValueType]);
    assert_eq!(
        gpvr_of(&d),
        vec![pv(
            "Device.FaultMgmt.CurrentAlarmNumberOfEntries",
            ValueType::String,
            "3"
        )]
    );
    // 16: Value element missing → empty string.
    let d = quirk("quirk-16-missing-value-element.xml", &[MissingElement]);
    assert_eq!(
        gpvr_of(&d),
        vec![
            pv("Device.DeviceInfo.DeviceLog", ValueType::String, ""),
            pv("Device.DeviceInfo.UpTime", ValueType::UnsignedInt, "9")
        ]
    );
    // 17: xsi:type on Name (schema-valid: Name is xs:string).
    let d = quirk("quirk-17-xsi-type-on-name.xml", &[]);
    assert_eq!(
        gpvr_of(&d),
        vec![pv(
            "Device.DeviceInfo.Manufacturer",
            ValueType::String,
            "Yeacomm"
        )]
    );
    // 18: xsd:json → ValueType::Other("json"), text kept.
    let d = quirk("quirk-18-unknown-xsd-type.xml", &[UnknownValueType]);
    assert_eq!(
        gpvr_of(&d),
        vec![pv(
            "Device.X_UBNT_Config",
            ValueType::Other("json".into()),
            "{\"a\":1}"
        )]
    );
    // 19: a 0x02 control character: kept, replaced, or refused by policy.
    let name = "quirk-19-control-characters.xml";
    let d = quirk(name, &[ControlCharacter]);
    assert_eq!(gpvr_of(&d)[0].value.text, "A\u{2}B");
    let text = std::str::from_utf8(bytes(name)).unwrap();
    assert_eq!(d.warnings[0].offset, text.find('\u{2}').unwrap());
    let r = Decoder::new()
        .with_control_chars(ControlCharPolicy::Replace)
        .decode(bytes(name))
        .unwrap();
    let Body::GetParameterValuesResponse(g) = &r.envelope.body else {
        panic!()
    };
    assert_eq!(g.parameters[0].value.text, "A\u{FFFD}B");
    let err = Decoder::new()
        .with_control_chars(ControlCharPolicy::Error)
        .decode(bytes(name))
        .unwrap_err();
    assert!(
        matches!(err, DecodeError::ControlCharacter { byte: 2, .. }),
        "{err:?}"
    );
    // 20: empty and self-closing elements.
    let d = quirk("quirk-20-empty-and-self-closing.xml", &[]);
    let i = inform_of(&d);
    assert_eq!(i.device_id.manufacturer, "");
    assert_eq!(i.device_id.product_class, "");
    assert_eq!(
        i.events,
        vec![
            EventStruct::new(EventCode::BOOT),
            EventStruct::new(EventCode::new("M Reboot"))
        ]
    );
    // 21: booleans 0/1/true and, with warnings, FALSE / " True ".
    let d = quirk(
        "quirk-21-boolean-forms.xml",
        &[NonCanonicalBoolean, NonCanonicalBoolean],
    );
    let Body::GetParameterNamesResponse(r) = &d.envelope.body else {
        panic!()
    };
    let w: Vec<bool> = r.parameters.iter().map(|p| p.writable).collect();
    assert_eq!(w, vec![false, true, true, false, true]);
    // 22: dateTime variants kept verbatim; only the malformed one warns.
    let d = quirk("quirk-22-datetime-variants.xml", &[InvalidDateTime]);
    let Body::GetOptionsResponse(r) = &d.envelope.body else {
        panic!()
    };
    let got: Vec<&str> = r
        .options
        .iter()
        .flat_map(|o| {
            [
                o.start_date.as_str(),
                o.expiration_date.as_ref().unwrap().as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "2015-01-19T23:08:24",
            "2016-01-30T13:20:27-05:00",
            "2016-01-30T13:20:27+01:00",
            "2019-03-05T11:54::14",
            "0001-01-01T00:00:00Z",
            "0001-01-04T14:14:00"
        ]
    );
    assert!(r.options[2].start_date.parse().is_ok());
    // 23: whitespace around entities is kept exactly.
    let d = quirk("quirk-23-whitespace-and-entities.xml", &[]);
    let Body::SetParameterValues(s) = &d.envelope.body else {
        panic!()
    };
    assert_eq!(s.parameters[0].value.text, " a & b ");
    assert_eq!(s.parameter_key, " k ");
    // 24: CDATA kept verbatim (no entity decoding inside it).
    let d = quirk("quirk-24-cdata.xml", &[]);
    assert_eq!(gpvr_of(&d)[0].value.text, "<b>&amp;</b> tail");
}

#[test]
fn quirks_rpc_semantics() {
    // 25: empty ParameterPath.
    let d = quirk("quirk-25-empty-parameter-path.xml", &[]);
    assert_eq!(
        d.envelope.body,
        Body::GetParameterNames(GetParameterNames {
            parameter_path: "".into(),
            next_level: true
        })
    );
    // 26: Inform with zero events.
    let d = quirk("quirk-26-inform-zero-events.xml", &[]);
    assert_eq!(inform_of(&d).events, vec![]);
    // 27: empty GetParameterValues request.
    let d = quirk("quirk-27-empty-gpv-request.xml", &[]);
    assert_eq!(
        d.envelope.body,
        Body::GetParameterValues(GetParameterValues::default())
    );
}

#[test]
fn every_quirk_1_to_27_has_a_vector() {
    let dir = format!("{}/tests/vectors", env!("CARGO_MANIFEST_DIR"));
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for n in 1..=27 {
        let prefix = format!("quirk-{n:02}-");
        assert!(
            names.iter().any(|f| f.starts_with(&prefix)),
            "no vector for quirk {n}"
        );
    }
}

#[test]
fn namespaces_versions_and_unknown_methods() {
    let text = std::str::from_utf8(bytes("rpc-Inform.xml")).unwrap();
    for (ns, v) in [
        ("cwmp-1-0", CwmpVersion::V1_0),
        ("cwmp-1-1", CwmpVersion::V1_1),
        ("cwmp-1-2", CwmpVersion::V1_2),
        ("cwmp-1-3", CwmpVersion::V1_4),
        ("cwmp-1-4", CwmpVersion::V1_4),
    ] {
        let xml = text.replace("cwmp-1-2", ns);
        let d = Decoder::new().decode(xml.as_bytes()).unwrap();
        assert_eq!(d.version, v, "{ns}");
        assert_eq!(
            d.namespace,
            Some(format!("urn:dslforum-org:{ns}").as_str()).map(|s| {
                cwmp_core::version::NAMESPACES
                    .iter()
                    .find(|(u, _)| *u == s)
                    .unwrap()
                    .0
            })
        );
    }
    // SessionTimeout → 1.3; SupportedCWMPVersions → 1.4.
    let xml = text.replace(
        "</soap-env:Header>",
        "<cwmp:SessionTimeout soap-env:mustUnderstand=\"0\">30</cwmp:SessionTimeout></soap-env:Header>",
    );
    assert_eq!(
        Decoder::new().decode(xml.as_bytes()).unwrap().version,
        CwmpVersion::V1_3
    );
    let xml = text.replace(
        "</soap-env:Header>",
        "<cwmp:SupportedCWMPVersions soap-env:mustUnderstand=\"0\">1.0,1.4</cwmp:SupportedCWMPVersions></soap-env:Header>",
    );
    let d = Decoder::new().decode(xml.as_bytes()).unwrap();
    assert_eq!(d.version, CwmpVersion::V1_4);
    assert_eq!(
        d.envelope.header.supported_cwmp_versions.as_deref(),
        Some("1.0,1.4")
    );
    // UseCWMPVersion.
    let resp = std::str::from_utf8(bytes("rpc-InformResponse.xml")).unwrap().replace(
        "</soap-env:Header>",
        "<cwmp:UseCWMPVersion soap-env:mustUnderstand=\"1\">1.4</cwmp:UseCWMPVersion></soap-env:Header>",
    );
    let d = Decoder::strict().decode(resp.as_bytes()).unwrap();
    assert_eq!(d.envelope.header.use_cwmp_version, Some(CwmpVersion::V1_4));
    // Unknown methods, in a cwmp namespace or any other, keep name, namespace and ID.
    let reboot = std::str::from_utf8(bytes("rpc-Reboot.xml")).unwrap();
    let xml = reboot.replace("cwmp:Reboot", "cwmp:X_ACME_Frobnicate");
    let d = Decoder::new().decode(xml.as_bytes()).unwrap();
    assert_eq!(
        d.envelope.body,
        Body::Unknown(cwmp_core::envelope::UnknownMethod {
            name: "X_ACME_Frobnicate".into(),
            namespace: "urn:dslforum-org:cwmp-1-2".into(),
            prefix: "cwmp".into(),
            namespaces: vec![cwmp_core::envelope::NamespaceBinding {
                prefix: "cwmp".into(),
                uri: "urn:dslforum-org:cwmp-1-2".into(),
            }],
            content: "<CommandKey>reboot-1</CommandKey>".into(),
        })
    );
    assert_eq!(d.envelope.header.id.as_deref(), Some("id-Reboot"));
    let xml = reboot
        .replace("<cwmp:Reboot>", "<v:Reboot xmlns:v=\"urn:vendor\">")
        .replace("</cwmp:Reboot>", "</v:Reboot>");
    let d = Decoder::new().decode(xml.as_bytes()).unwrap();
    assert!(
        matches!(&d.envelope.body, Body::Unknown(m) if m.name == "Reboot" && m.namespace == "urn:vendor")
    );
}

#[test]
fn wrong_child_order_is_tolerated_with_a_warning() {
    let text = std::str::from_utf8(bytes("rpc-AddObject.xml")).unwrap();
    let xml = text.replace(
        "<ObjectName>Device.IP.Interface.</ObjectName><ParameterKey>k1</ParameterKey>",
        "<ParameterKey>k1</ParameterKey><X_Extra>1</X_Extra><ObjectName>Device.IP.Interface.</ObjectName>",
    );
    let d = Decoder::new().decode(xml.as_bytes()).unwrap();
    assert_eq!(
        kinds(&d),
        vec![WarningKind::UnexpectedElement, WarningKind::OutOfOrder]
    );
    assert_eq!(
        d.envelope.body,
        Body::AddObject(AddObject {
            object_name: "Device.IP.Interface.".into(),
            parameter_key: "k1".into()
        })
    );
}

#[test]
fn strict_mode_runs_validate() {
    let text = std::str::from_utf8(bytes("rpc-Reboot.xml")).unwrap();
    let xml = text.replace("reboot-1", &"k".repeat(33));
    let err = Decoder::strict().decode(xml.as_bytes()).unwrap_err();
    match err {
        DecodeError::Strict {
            deviations,
            violations,
            ..
        } => {
            assert!(deviations.is_empty());
            assert_eq!(violations.len(), 1);
            assert_eq!(violations[0].field, "CommandKey");
        }
        other => panic!("{other:?}"),
    }
    assert!(Decoder::new().decode(xml.as_bytes()).is_ok());
}
