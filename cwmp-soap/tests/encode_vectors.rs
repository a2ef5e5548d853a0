//! Hand-written expected envelopes (from SPEC SOAP-10…16 and CORE-10), compared byte for byte,
//! plus escaping vectors (QUIRKS 40) and every option.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_core::datetime::DateTimeText;
use cwmp_core::envelope::UnknownMethod;
use cwmp_core::fault::{Fault, FaultCode, FaultType, SetParameterValuesFault};
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion, Envelope, Header};
use cwmp_soap::{BoolFormat, DateTimeFraction, DuShape, EncodeOptions, encode, encode_bytes};

const ROOT_12: &str = r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">"#;
const ROOT_10: &str = r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">"#;
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const END: &str = "</soap-env:Body></soap-env:Envelope>";

fn with(opts: &EncodeOptions, env: &Envelope<'_>) -> String {
    String::from_utf8(opts.to_vec(env)).unwrap()
}

fn no_decl(version: CwmpVersion) -> EncodeOptions {
    EncodeOptions::for_version(version).with_xml_declaration(false)
}

fn id_header(id: &str) -> String {
    format!(
        r#"<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">{id}</cwmp:ID></soap-env:Header><soap-env:Body>"#
    )
}

#[test]
fn get_parameter_values_with_the_default_options() {
    let env = Envelope::request(
        "1",
        GetParameterValues::new(["Device.DeviceInfo.", "Device.ManagementServer.URL"]),
    );
    let mut out = Vec::new();
    encode(&env, &mut out);
    let expected = format!(
        "{DECL}{ROOT_12}{}<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[2]\"><string>Device.DeviceInfo.</string><string>Device.ManagementServer.URL</string></ParameterNames></cwmp:GetParameterValues>{END}",
        id_header("1")
    );
    assert_eq!(String::from_utf8(out).unwrap(), expected);

    let mut bytes = bytes::BytesMut::new();
    encode_bytes(&env, &mut bytes);
    assert_eq!(&bytes[..], expected.as_bytes());
}

#[test]
fn inform_in_cwmp_1_0() {
    let env = Envelope {
        header: Header {
            id: Some("SAGEM_ID_7589".into()),
            session_timeout: Some(30),
            no_more_requests: Some(false),
            ..Header::default()
        },
        body: Inform {
            device_id: DeviceId {
                manufacturer: "ZyXEL".into(),
                oui: "00A0C5".into(),
                product_class: "VMG8924-B10A".into(),
                serial_number: "S100Z".into(),
            },
            events: vec![cwmp_core::event::EventStruct::new("1 BOOT".into())],
            max_envelopes: 1,
            current_time: DateTimeText::new("2015-01-19T23:08:24"),
            retry_count: 2,
            parameters: vec![ParameterValue::new(
                "InternetGatewayDevice.DeviceInfo.HardwareVersion",
                Value::string("1.0"),
            )],
        }
        .into(),
    };
    let expected = format!(
        "{ROOT_10}{}<cwmp:Inform><DeviceId><Manufacturer>ZyXEL</Manufacturer><OUI>00A0C5</OUI><ProductClass>VMG8924-B10A</ProductClass><SerialNumber>S100Z</SerialNumber></DeviceId><Event soap-enc:arrayType=\"cwmp:EventStruct[1]\"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2015-01-19T23:08:24</CurrentTime><RetryCount>2</RetryCount><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\"><ParameterValueStruct><Name>InternetGatewayDevice.DeviceInfo.HardwareVersion</Name><Value xsi:type=\"xsd:string\">1.0</Value></ParameterValueStruct></ParameterList></cwmp:Inform>{END}",
        id_header("SAGEM_ID_7589")
    );
    assert_eq!(with(&no_decl(CwmpVersion::V1_0), &env), expected);
}

#[test]
fn fault_with_set_parameter_values_faults() {
    let env = Envelope::request(
        "7",
        Fault {
            fault_type: FaultType::Client,
            fault_string: "CWMP fault".into(),
            code: FaultCode::INVALID_ARGUMENTS,
            message: "Invalid arguments".into(),
            set_parameter_values_faults: vec![SetParameterValuesFault {
                parameter_name: "Device.Time.NTPServer1".into(),
                code: FaultCode::INVALID_PARAMETER_VALUE,
                message: "a < b".into(),
            }],
        },
    );
    let expected = format!(
        "{ROOT_12}{}<soap-env:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString><SetParameterValuesFault><ParameterName>Device.Time.NTPServer1</ParameterName><FaultCode>9007</FaultCode><FaultString>a &lt; b</FaultString></SetParameterValuesFault></cwmp:Fault></detail></soap-env:Fault>{END}",
        id_header("7")
    );
    assert_eq!(with(&no_decl(CwmpVersion::V1_4), &env), expected);
}

#[test]
fn empty_responses_are_self_closing_and_the_header_is_omitted_when_empty() {
    let env = Envelope {
        header: Header {
            no_more_requests: Some(true),
            ..Header::default()
        },
        body: RebootResponse {}.into(),
    };
    assert_eq!(
        with(&no_decl(CwmpVersion::V1_2), &env),
        format!("{ROOT_12}<soap-env:Body><cwmp:RebootResponse/>{END}")
    );
}

#[test]
fn every_text_field_is_escaped() {
    // QUIRKS 40: a Download URL with a query string.
    let env = Envelope::request(
        "a&b",
        Download {
            command_key: "<k>".into(),
            file_type: "X 00A0C5 a&b".into(),
            url: "http://h/f?a=1&b=2".into(),
            username: "u\"'".into(),
            password: "p>".into(),
            file_size: 0,
            target_file_name: "t&t".into(),
            delay_seconds: 0,
            success_url: "http://s/?x=1&y=2".into(),
            failure_url: "".into(),
        },
    );
    let expected = format!(
        "{ROOT_12}{}<cwmp:Download><CommandKey>&lt;k&gt;</CommandKey><FileType>X 00A0C5 a&amp;b</FileType><URL>http://h/f?a=1&amp;b=2</URL><Username>u\"'</Username><Password>p&gt;</Password><FileSize>0</FileSize><TargetFileName>t&amp;t</TargetFileName><DelaySeconds>0</DelaySeconds><SuccessURL>http://s/?x=1&amp;y=2</SuccessURL><FailureURL></FailureURL></cwmp:Download>{END}",
        id_header("a&amp;b")
    );
    assert_eq!(with(&no_decl(CwmpVersion::V1_4), &env), expected);

    // Names in arrays, ObjectName, ParameterKey, values, the xsi:type of an unknown type.
    let env = Envelope {
        header: Header::default(),
        body: SetParameterValues {
            parameters: vec![ParameterValue::new(
                "A.<B>&",
                Value::new(ValueType::Other("x\"y".into()), "1 & 2\r\n"),
            )],
            parameter_key: "k&".into(),
        }
        .into(),
    };
    let xml = with(&no_decl(CwmpVersion::V1_4), &env);
    assert!(
        xml.contains(
            "<Name>A.&lt;B&gt;&amp;</Name><Value xsi:type=\"xsd:x&quot;y\">1 &amp; 2&#13;\n</Value>"
        ),
        "{xml}"
    );
    assert!(xml.contains("<ParameterKey>k&amp;</ParameterKey>"));
    let env = Envelope {
        header: Header::default(),
        body: GetParameterAttributes {
            parameter_names: vec!["a&b".into()],
        }
        .into(),
    };
    assert!(with(&no_decl(CwmpVersion::V1_4), &env).contains("<string>a&amp;b</string>"));
}

#[test]
fn characters_xml_cannot_carry_are_replaced() {
    let env = Envelope {
        header: Header::with_id("\u{1}"),
        body: Reboot {
            command_key: "a\u{0}b\u{1b}[0m\u{FFFF}".into(),
        }
        .into(),
    };
    let xml = with(&no_decl(CwmpVersion::V1_4), &env);
    assert!(xml.contains(">\u{FFFD}</cwmp:ID>"));
    assert!(xml.contains("<CommandKey>a\u{FFFD}b\u{FFFD}[0m\u{FFFD}</CommandKey>"));
}

#[test]
fn xml_declaration_on_and_off() {
    let env = Envelope::request("1", FactoryReset {});
    let on = with(&EncodeOptions::default(), &env);
    let off = with(&no_decl(CwmpVersion::V1_4), &env);
    assert_eq!(on, format!("{DECL}{off}"));
    assert_eq!(
        off,
        format!("{ROOT_12}{}<cwmp:FactoryReset/>{END}", id_header("1"))
    );
}

#[test]
fn booleans_as_digits() {
    let env = Envelope {
        header: Header {
            id: Some("1".into()),
            hold_requests: Some(true),
            ..Header::default()
        },
        body: SetParameterValues {
            parameters: vec![
                ParameterValue::new("A.Enable", Value::boolean(true)),
                ParameterValue::new("A.Other", Value::new(ValueType::Boolean, "FALSE")),
                ParameterValue::new("A.Bad", Value::new(ValueType::Boolean, "maybe")),
                ParameterValue::new("A.Str", Value::string("true")),
            ],
            parameter_key: "".into(),
        }
        .into(),
    };
    let digits = no_decl(CwmpVersion::V1_4).with_booleans(BoolFormat::Digits);
    let expected = format!(
        "{ROOT_12}<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">1</cwmp:ID><cwmp:HoldRequests soap-env:mustUnderstand=\"1\">1</cwmp:HoldRequests></soap-env:Header><soap-env:Body><cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[4]\"><ParameterValueStruct><Name>A.Enable</Name><Value xsi:type=\"xsd:boolean\">1</Value></ParameterValueStruct><ParameterValueStruct><Name>A.Other</Name><Value xsi:type=\"xsd:boolean\">0</Value></ParameterValueStruct><ParameterValueStruct><Name>A.Bad</Name><Value xsi:type=\"xsd:boolean\">maybe</Value></ParameterValueStruct><ParameterValueStruct><Name>A.Str</Name><Value xsi:type=\"xsd:string\">true</Value></ParameterValueStruct></ParameterList><ParameterKey></ParameterKey></cwmp:SetParameterValues>{END}"
    );
    assert_eq!(with(&digits, &env), expected);
    // Words keep the value text as it is.
    let words = with(&no_decl(CwmpVersion::V1_4), &env);
    assert!(
        words.contains("<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">true</cwmp:HoldRequests>")
    );
    assert!(words.contains(">FALSE</Value>"));

    let gpn = Envelope {
        header: Header::default(),
        body: GetParameterNames {
            parameter_path: "Device.".into(),
            next_level: false,
        }
        .into(),
    };
    assert!(with(&digits, &gpn).contains("<NextLevel>0</NextLevel>"));
    assert!(with(&no_decl(CwmpVersion::V1_4), &gpn).contains("<NextLevel>false</NextLevel>"));
}

#[test]
fn datetime_fractions() {
    let env = Envelope {
        header: Header::default(),
        body: TransferComplete {
            command_key: "k".into(),
            fault: TransferFault {
                code: FaultCode::new(0),
                message: "".into(),
            },
            start_time: DateTimeText::new("2015-01-19T23:08:24.123456+01:00"),
            complete_time: DateTimeText::new("2019-03-05T11:54::14"),
        }
        .into(),
    };
    let opts = |f| no_decl(CwmpVersion::V1_4).with_datetime_fraction(f);
    let as_is = with(&opts(DateTimeFraction::AsIs), &env);
    assert!(as_is.contains("<StartTime>2015-01-19T23:08:24.123456+01:00</StartTime>"));
    let strip = with(&opts(DateTimeFraction::Strip), &env);
    assert_eq!(
        strip,
        format!(
            "{ROOT_12}<soap-env:Body><cwmp:TransferComplete><CommandKey>k</CommandKey><FaultStruct><FaultCode>0</FaultCode><FaultString></FaultString></FaultStruct><StartTime>2015-01-19T23:08:24+01:00</StartTime><CompleteTime>2019-03-05T11:54::14</CompleteTime></cwmp:TransferComplete>{END}"
        )
    );
    let millis = with(&opts(DateTimeFraction::Millis), &env);
    assert!(millis.contains("<StartTime>2015-01-19T23:08:24.123+01:00</StartTime>"));
    // Malformed text passes through unchanged in every mode.
    assert!(millis.contains("<CompleteTime>2019-03-05T11:54::14</CompleteTime>"));

    // Values of type dateTime follow the option; strings that look like one do not.
    let gpv = Envelope {
        header: Header::default(),
        body: GetParameterValuesResponse {
            parameters: vec![
                ParameterValue::new(
                    "A.T",
                    Value::new(ValueType::DateTime, "0001-01-01T00:00:00Z"),
                ),
                ParameterValue::new("A.S", Value::string("2020-01-01T00:00:00.5Z")),
            ],
        }
        .into(),
    };
    let millis = with(&opts(DateTimeFraction::Millis), &gpv);
    assert!(millis.contains(">0001-01-01T00:00:00.000Z</Value>"));
    assert!(millis.contains(">2020-01-01T00:00:00.5Z</Value>"));
}

fn du_env() -> Envelope<'static> {
    Envelope::request(
        "9",
        ChangeDuState {
            operations: vec![
                Operation::Install(InstallOp {
                    url: "http://h/a?b=1&c=2".into(),
                    uuid: None,
                    username: None,
                    password: None,
                    execution_env_ref: Some("Device.SoftwareModules.ExecEnv.1.".into()),
                }),
                Operation::Uninstall(UninstallOp {
                    uuid: "3f2a5b1c-0d4e-4f6a-8b7c-9d0e1f2a3b4c".into(),
                    version: None,
                    execution_env_ref: None,
                }),
            ],
            command_key: Some("du".into()),
        },
    )
}

#[test]
fn change_du_state_in_both_shapes() {
    // Asked for 1.0, written in cwmp-1-2, the namespace that declares ChangeDUState.
    let xsd = with(&no_decl(CwmpVersion::V1_0), &du_env());
    assert_eq!(
        xsd,
        format!(
            "{ROOT_12}{}<cwmp:ChangeDUState><Operations xsi:type=\"cwmp:InstallOpStruct\"><URL>http://h/a?b=1&amp;c=2</URL><ExecutionEnvRef>Device.SoftwareModules.ExecEnv.1.</ExecutionEnvRef></Operations><Operations xsi:type=\"cwmp:UninstallOpStruct\"><UUID>3f2a5b1c-0d4e-4f6a-8b7c-9d0e1f2a3b4c</UUID></Operations><CommandKey>du</CommandKey></cwmp:ChangeDUState>{END}",
            id_header("9")
        )
    );
    let wrapper = no_decl(CwmpVersion::V1_4).with_du_shape(DuShape::Wrapper);
    assert_eq!(
        with(&wrapper, &du_env()),
        format!(
            "{ROOT_12}{}<cwmp:ChangeDUState><Operations><InstallOpStruct><URL>http://h/a?b=1&amp;c=2</URL><ExecutionEnvRef>Device.SoftwareModules.ExecEnv.1.</ExecutionEnvRef></InstallOpStruct><UninstallOpStruct><UUID>3f2a5b1c-0d4e-4f6a-8b7c-9d0e1f2a3b4c</UUID></UninstallOpStruct></Operations><CommandKey>du</CommandKey></cwmp:ChangeDUState>{END}",
            id_header("9")
        )
    );
}

#[test]
fn du_results_in_both_shapes() {
    let result = OpResult {
        uuid: "3f2a5b1c-0d4e-4f6a-8b7c-9d0e1f2a3b4c".into(),
        deployment_unit_ref: "Device.SoftwareModules.DeploymentUnit.1.".into(),
        version: "1".into(),
        current_state: "Installed".into(),
        resolved: true,
        execution_unit_ref_list: "".into(),
        start_time: DateTimeText::UNKNOWN,
        complete_time: DateTimeText::UNKNOWN,
        fault: DuFault::default(),
    };
    let fields = "<UUID>3f2a5b1c-0d4e-4f6a-8b7c-9d0e1f2a3b4c</UUID><DeploymentUnitRef>Device.SoftwareModules.DeploymentUnit.1.</DeploymentUnitRef><Version>1</Version><CurrentState>Installed</CurrentState><Resolved>true</Resolved><ExecutionUnitRefList></ExecutionUnitRefList><StartTime>0001-01-01T00:00:00Z</StartTime><CompleteTime>0001-01-01T00:00:00Z</CompleteTime><Fault><FaultCode>0</FaultCode><FaultString></FaultString></Fault>";
    let env = Envelope {
        header: Header::default(),
        body: AutonomousDuStateChangeComplete {
            results: vec![AutonOpResult {
                result: result.clone(),
                operation_performed: "Install".into(),
            }],
        }
        .into(),
    };
    assert_eq!(
        with(&no_decl(CwmpVersion::V1_2), &env),
        format!(
            "{ROOT_12}<soap-env:Body><cwmp:AutonomousDUStateChangeComplete><Results>{fields}<OperationPerformed>Install</OperationPerformed></Results></cwmp:AutonomousDUStateChangeComplete>{END}"
        )
    );
    let env = Envelope {
        header: Header::default(),
        body: DuStateChangeComplete {
            results: vec![result],
            command_key: None,
        }
        .into(),
    };
    let wrapper = no_decl(CwmpVersion::V1_2).with_du_shape(DuShape::Wrapper);
    assert_eq!(
        with(&wrapper, &env),
        format!(
            "{ROOT_12}<soap-env:Body><cwmp:DUStateChangeComplete><Results soap-enc:arrayType=\"cwmp:OpResultStruct[1]\"><OpResultStruct>{fields}</OpResultStruct></Results></cwmp:DUStateChangeComplete>{END}"
        )
    );
}

#[test]
fn header_elements_and_must_understand() {
    let env = Envelope {
        header: Header {
            id: Some("".into()),
            hold_requests: None,
            no_more_requests: Some(true),
            session_timeout: None,
            supported_cwmp_versions: None,
            use_cwmp_version: Some(CwmpVersion::V1_2),
        },
        body: InformResponse { max_envelopes: 1 }.into(),
    };
    assert_eq!(
        with(&no_decl(CwmpVersion::V1_4), &env),
        format!(
            "{ROOT_12}<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\"></cwmp:ID><cwmp:UseCWMPVersion soap-env:mustUnderstand=\"1\">1.2</cwmp:UseCWMPVersion></soap-env:Header><soap-env:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>{END}"
        )
    );
    // UseCWMPVersion is not declared before 1.4: dropped.
    assert!(!with(&no_decl(CwmpVersion::V1_3), &env).contains("UseCWMPVersion"));
}

#[test]
fn arrays_carry_the_true_count_and_member_names() {
    let env = Envelope {
        header: Header::default(),
        body: SetVouchers {
            vouchers: vec!["AAAA".into(), "BBBB".into(), "CCCC".into()],
        }
        .into(),
    };
    assert!(with(&no_decl(CwmpVersion::V1_0), &env).contains("<VoucherList soap-enc:arrayType=\"xsd:base64[3]\"><base64>AAAA</base64><base64>BBBB</base64><base64>CCCC</base64></VoucherList>"));
    let env = Envelope {
        header: Header::default(),
        body: GetRpcMethodsResponse { methods: vec![] }.into(),
    };
    assert!(with(&no_decl(CwmpVersion::V1_0), &env).contains("<cwmp:GetRPCMethodsResponse><MethodList soap-enc:arrayType=\"xsd:string[0]\"></MethodList></cwmp:GetRPCMethodsResponse>"));
    let env = Envelope {
        header: Header::default(),
        body: GetQueuedTransfersResponse {
            transfers: vec![QueuedTransfer {
                command_key: "k".into(),
                state: 2,
            }],
        }
        .into(),
    };
    assert!(with(&no_decl(CwmpVersion::V1_0), &env).contains("<TransferList soap-enc:arrayType=\"cwmp:QueuedTransferStruct[1]\"><QueuedTransferStruct><CommandKey>k</CommandKey><State>2</State></QueuedTransferStruct></TransferList>"));
}

#[test]
fn unknown_methods_without_content_are_empty_elements_in_their_namespace() {
    let env = Envelope {
        header: Header::with_id("1"),
        body: Body::Unknown(UnknownMethod {
            name: "X_ACME_Frobnicate".into(),
            namespace: "urn:acme:x&y".into(),
            ..UnknownMethod::default()
        }),
    };
    assert_eq!(
        with(&no_decl(CwmpVersion::V1_4), &env),
        format!(
            "{ROOT_12}{}<X_ACME_Frobnicate xmlns=\"urn:acme:x&amp;y\"/>{END}",
            id_header("1")
        )
    );
    let env = Envelope {
        header: Header::default(),
        body: Body::Unknown(UnknownMethod {
            name: "bad name<".into(),
            ..UnknownMethod::default()
        }),
    };
    assert_eq!(
        with(&no_decl(CwmpVersion::V1_4), &env),
        format!("{ROOT_12}<soap-env:Body><bad_name_/>{END}")
    );
}

#[test]
fn encoding_appends_to_what_is_in_the_buffer() {
    let env = Envelope::request("1", FactoryResetResponse {});
    let mut out = b"prefix".to_vec();
    no_decl(CwmpVersion::V1_4).encode(&env, &mut out);
    assert!(out.starts_with(b"prefix<soap-env:Envelope"));
    assert!(out.ends_with(b"<cwmp:FactoryResetResponse/></soap-env:Body></soap-env:Envelope>"));
}

#[test]
fn encode_bytes_appends_and_reuses_capacity() {
    let env = Envelope::request(
        "7",
        GetParameterValues::new(["Device.DeviceInfo.", "Device.ManagementServer.URL"]),
    );
    let mut expected = b"prefix".to_vec();
    encode(&env, &mut expected);

    // Appended after what the buffer holds.
    let mut bytes = bytes::BytesMut::from(&b"prefix"[..]);
    encode_bytes(&env, &mut bytes);
    assert_eq!(&bytes[..], &expected[..]);

    // Into an empty buffer, with or without room for the message.
    for capacity in [0, 16, 1 << 16] {
        let mut bytes = bytes::BytesMut::with_capacity(capacity);
        encode_bytes(&env, &mut bytes);
        assert_eq!(&bytes[..], &expected[6..], "{capacity}");
    }
}

#[test]
fn version_dependent_values_bump_the_namespace() {
    use cwmp_core::event::{EventCode, EventStruct};
    let inform = |code: EventCode<'static>| {
        Envelope::request(
            "1",
            Inform {
                events: vec![EventStruct::new(code)],
                ..Inform::default()
            },
        )
    };
    let cases = [
        (EventCode::PERIODIC, "urn:dslforum-org:cwmp-1-0"),
        (
            EventCode::AUTONOMOUS_TRANSFER_COMPLETE,
            "urn:dslforum-org:cwmp-1-1",
        ),
        (
            EventCode::DU_STATE_CHANGE_COMPLETE,
            "urn:dslforum-org:cwmp-1-2",
        ),
        (
            EventCode::new("M ChangeDUState"),
            "urn:dslforum-org:cwmp-1-2",
        ),
    ];
    for (code, ns) in cases {
        let xml = with(&no_decl(CwmpVersion::V1_0), &inform(code.clone()));
        assert!(
            xml.contains(&format!("xmlns:cwmp=\"{ns}\"")),
            "{code:?}: {xml}"
        );
    }
    // A lightweight notification (1.4) in SetParameterAttributes.
    let spa = Envelope::request(
        "2",
        SetParameterAttributes {
            parameters: vec![SetParameterAttribute {
                name: "Device.X".into(),
                notification_change: true,
                notification: cwmp_core::filetype::Notification::new(3),
                ..SetParameterAttribute::default()
            }],
        },
    );
    let o = no_decl(CwmpVersion::V1_0);
    assert_eq!(o.effective_version(&spa.body), CwmpVersion::V1_4);
    assert!(with(&o, &spa).contains("urn:dslforum-org:cwmp-1-2"));
}

#[test]
fn validation_on_encode_is_opt_in() {
    use cwmp_core::limits::{Violation, ViolationKind};
    use cwmp_soap::Validation;
    let env = Envelope::request(
        "1",
        GetQueuedTransfersResponse {
            transfers: vec![QueuedTransfer {
                command_key: "k".into(),
                state: 0,
            }],
        },
    );
    // Off (the default): written as it is, nothing reported.
    let mut out = Vec::new();
    assert_eq!(
        no_decl(CwmpVersion::V1_0).encode_checked(&env, &mut out),
        Ok(vec![])
    );
    assert!(String::from_utf8(out).unwrap().contains("<State>0</State>"));
    let state = Violation {
        field: "State",
        kind: ViolationKind::OutOfRange(0),
    };
    let warn = no_decl(CwmpVersion::V1_0).with_validation(Validation::Warn);
    let mut out = Vec::new();
    assert_eq!(warn.encode_checked(&env, &mut out), Ok(vec![state.clone()]));
    assert!(!out.is_empty());
    let refuse = no_decl(CwmpVersion::V1_0).with_validation(Validation::Refuse);
    let mut out = Vec::new();
    assert_eq!(refuse.encode_checked(&env, &mut out), Err(vec![state]));
    assert!(out.is_empty());
    // A parameter value that is no instance of its type.
    let spv = Envelope::request(
        "2",
        SetParameterValues {
            parameters: vec![ParameterValue::new(
                "Device.X",
                cwmp_core::value::Value::new(cwmp_core::value::ValueType::Int, "ten"),
            )],
            parameter_key: "".into(),
        },
    );
    let got = warn.encode_checked(&spv, &mut Vec::new()).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].field, "Value");
}
