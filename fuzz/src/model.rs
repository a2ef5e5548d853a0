//! Arbitrary `cwmp-core` model values, built by hand from an [`Unstructured`].
//!
//! `cwmp-core` does not depend on `arbitrary`; this module builds every RPC of CWMP 1.0–1.4
//! directly. It generates only values XML (and so the SOAP encoding) can carry — the
//! *restriction* of the structured round trip, each point a documented property of the
//! encoder or of XML itself, not a shortcut:
//!
//! 1. Text holds only characters XML 1.0 can carry: no C0 controls other than tab, line feed
//!    and carriage return, no U+FFFE / U+FFFF (the encoder replaces those by U+FFFD by design).
//! 2. `Header::no_more_requests` is `None`: no CWMP schema declares NoMoreRequests, so the
//!    encoder never writes it.
//! 3. Messages are encoded at CWMP 1.4 (`EncodeOptions::for_version(V1_4)`), so that every
//!    header element is written (older versions drop SessionTimeout etc. by design).
//! 4. `Body::Unknown` names are XML names that are not a known method (an unknown element
//!    named like a known method *is* that method), in a non-cwmp namespace or none; their
//!    content is well-formed XML, and they record the default-namespace declaration they are
//!    written with (the encoder writes content as it is, the decoder records the declarations
//!    it relies on). `Body::SoapFault` has a code namespace only with a code, and text
//!    without surrounding whitespace (the decoder trims it).
//! 5. `ValueType::Other(name)` names are XML names that are not one of the known xsd types
//!    (`Other("string")` is written `xsd:string` and reads back as `ValueType::String`).
//!
//! Anything else that fails to round-trip is a finding.

use std::borrow::Cow;

use arbitrary::{Result, Unstructured};
use cwmp_core::datetime::DateTimeText;
use cwmp_core::envelope::{METHODS, NamespaceBinding, UnknownMethod};
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, FaultType, SetParameterValuesFault, SoapFault};
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion, Envelope, Header};

/// Characters the generator favours: XML specials, whitespace, non-ASCII, CDATA ends.
const POOL: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    ".",
    "_",
    "-",
    ":",
    "/",
    "?",
    "=",
    " ",
    "&",
    "<",
    ">",
    "\"",
    "'",
    ";",
    "#",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "é",
    "中",
    "😀",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "]]>",
    "&amp;",
    "<![CDATA[",
    "&#13;",
    "Device.",
    "1",
    "{i}",
];

/// A character XML 1.0 can carry (restriction 1).
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// Arbitrary text, restricted to characters XML can carry.
pub fn text(u: &mut Unstructured<'_>) -> Result<Cow<'static, str>> {
    let n = u.int_in_range(0..=12u8)?;
    let mut s = String::new();
    for _ in 0..n {
        if u.ratio(3u8, 4u8)? {
            s.push_str(u.choose(POOL)?);
        } else {
            let c: char = u.arbitrary()?;
            s.push(if xml_char(c) { c } else { 'x' });
        }
    }
    Ok(Cow::Owned(s))
}

fn opt_text(u: &mut Unstructured<'_>) -> Result<Option<Cow<'static, str>>> {
    Ok(if u.arbitrary()? { Some(text(u)?) } else { None })
}

fn vec_of<T>(
    u: &mut Unstructured<'_>,
    mut f: impl FnMut(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=4u8)?;
    (0..n).map(|_| f(u)).collect()
}

/// An XML NCName (letters, digits, `_`, `-`, `.`, not starting with a digit, `-` or `.`).
fn ncname(u: &mut Unstructured<'_>) -> Result<String> {
    const START: &[char] = &['a', 'B', 'x', 'X', '_', 'é', 'Ω'];
    const REST: &[char] = &['a', 'B', 'x', '_', '-', '.', '0', '7', 'é'];
    let mut s = String::new();
    s.push(*u.choose(START)?);
    for _ in 0..u.int_in_range(0..=8u8)? {
        s.push(*u.choose(REST)?);
    }
    Ok(s)
}

fn datetime(u: &mut Unstructured<'_>) -> Result<DateTimeText<'static>> {
    const FORMS: &[&str] = &[
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2024-02-29T12:34:56.789+05:30",
        "2024-02-29T12:34:56",
        "1970-01-01T00:00:00.000000001-12:00",
        "0000-00-00T00:00:00",
    ];
    Ok(if u.ratio(3u8, 4u8)? {
        DateTimeText(Cow::Borrowed(u.choose(FORMS)?))
    } else {
        DateTimeText(text(u)?)
    })
}

fn fault_code(u: &mut Unstructured<'_>) -> Result<FaultCode> {
    const CODES: &[u32] = &[
        8000, 8005, 9000, 9001, 9002, 9003, 9005, 9007, 9010, 9019, 9800, 9899, 0, 1,
    ];
    Ok(FaultCode::new(if u.arbitrary()? {
        *u.choose(CODES)?
    } else {
        u.arbitrary()?
    }))
}

fn file_type(u: &mut Unstructured<'_>) -> Result<FileType<'static>> {
    const TYPES: &[&str] = &[
        "1 Firmware Upgrade Image",
        "3 Vendor Configuration File",
        "X 00256D Vendor Thing",
        "4 Tone File",
    ];
    Ok(if u.arbitrary()? {
        FileType(Cow::Borrowed(u.choose(TYPES)?))
    } else {
        FileType(text(u)?)
    })
}

fn event(u: &mut Unstructured<'_>) -> Result<EventStruct<'static>> {
    const CODES: &[&str] = &[
        "0 BOOTSTRAP",
        "1 BOOT",
        "2 PERIODIC",
        "6 CONNECTION REQUEST",
        "M Reboot",
        "X 00256D Thing",
    ];
    let code = if u.arbitrary()? {
        EventCode(Cow::Borrowed(u.choose(CODES)?))
    } else {
        EventCode(text(u)?)
    };
    Ok(EventStruct {
        code,
        command_key: text(u)?,
    })
}

fn value(u: &mut Unstructured<'_>) -> Result<Value<'static>> {
    let ty = match u.int_in_range(0..=10u8)? {
        0 => ValueType::String,
        1 => ValueType::Int,
        2 => ValueType::UnsignedInt,
        3 => ValueType::Long,
        4 => ValueType::UnsignedLong,
        5 => ValueType::Boolean,
        6 => ValueType::DateTime,
        7 => ValueType::Base64,
        8 => ValueType::HexBinary,
        9 => ValueType::Decimal,
        _ => {
            // restriction 5
            let name = ncname(u)?;
            if ValueType::from_xsd_name(&name) != ValueType::Other(Cow::Borrowed(name.as_str())) {
                ValueType::String
            } else {
                ValueType::Other(Cow::Owned(name))
            }
        }
    };
    const TEXTS: &[&str] = &[
        "0",
        "-1",
        "4294967295",
        "true",
        "false",
        "1",
        "AAAA",
        "00ff",
        "1.5",
        "2024-01-01T00:00:00Z",
    ];
    let text = if u.arbitrary()? {
        Cow::Borrowed(*u.choose(TEXTS)?)
    } else {
        text(u)?
    };
    Ok(Value { ty, text })
}

fn parameter_value(u: &mut Unstructured<'_>) -> Result<ParameterValue<'static>> {
    Ok(ParameterValue {
        name: text(u)?,
        value: value(u)?,
    })
}

fn transfer_fault(u: &mut Unstructured<'_>) -> Result<TransferFault<'static>> {
    Ok(TransferFault {
        code: fault_code(u)?,
        message: text(u)?,
    })
}

fn op_result(u: &mut Unstructured<'_>) -> Result<OpResult<'static>> {
    Ok(OpResult {
        uuid: text(u)?,
        deployment_unit_ref: text(u)?,
        version: text(u)?,
        current_state: text(u)?,
        resolved: u.arbitrary()?,
        execution_unit_ref_list: text(u)?,
        start_time: datetime(u)?,
        complete_time: datetime(u)?,
        fault: DuFault {
            code: fault_code(u)?,
            message: text(u)?,
        },
    })
}

fn operation(u: &mut Unstructured<'_>) -> Result<Operation<'static>> {
    Ok(match u.int_in_range(0..=2u8)? {
        0 => Operation::Install(InstallOp {
            url: text(u)?,
            uuid: opt_text(u)?,
            username: opt_text(u)?,
            password: opt_text(u)?,
            execution_env_ref: opt_text(u)?,
        }),
        1 => Operation::Update(UpdateOp {
            uuid: opt_text(u)?,
            version: opt_text(u)?,
            url: opt_text(u)?,
            username: opt_text(u)?,
            password: opt_text(u)?,
        }),
        _ => Operation::Uninstall(UninstallOp {
            uuid: text(u)?,
            version: opt_text(u)?,
            execution_env_ref: opt_text(u)?,
        }),
    })
}

fn version(u: &mut Unstructured<'_>) -> Result<CwmpVersion> {
    Ok(*u.choose(&CwmpVersion::ALL)?)
}

/// An arbitrary header (restriction 2: no NoMoreRequests).
pub fn header(u: &mut Unstructured<'_>) -> Result<Header<'static>> {
    Ok(Header {
        id: opt_text(u)?,
        hold_requests: u.arbitrary()?,
        no_more_requests: None,
        session_timeout: u.arbitrary()?,
        supported_cwmp_versions: if u.arbitrary()? {
            Some(if u.arbitrary()? {
                Cow::Borrowed("1.0,1.1,1.2,1.3,1.4")
            } else {
                text(u)?
            })
        } else {
            None
        },
        use_cwmp_version: if u.arbitrary()? {
            Some(version(u)?)
        } else {
            None
        },
    })
}

fn unknown(u: &mut Unstructured<'_>) -> Result<UnknownMethod<'static>> {
    // restriction 4
    let mut name = ncname(u)?;
    if name == "Fault" || METHODS.iter().any(|m| m.0 == name) {
        name.push_str("_X");
    }
    const NAMESPACES: &[&str] = &[
        "",
        "urn:example-com:vendor",
        "http://example.com/x?a=1&b=<2>",
    ];
    // Arguments as raw content; unprefixed, so in the method's namespace when it has one
    // (declared as the default namespace, which the decoder records).
    const CONTENT: &[&str] = &[
        "",
        "<Arg>1</Arg>",
        "<List><string>a &amp; b</string><string/></List>",
        "<a:B xmlns:a=\"urn:x\" a:c=\"q\">t<![CDATA[<&>]]></a:B>",
    ];
    let namespace = *u.choose(NAMESPACES)?;
    let namespaces = if namespace.is_empty() {
        Vec::new()
    } else {
        vec![NamespaceBinding {
            prefix: Cow::Borrowed(""),
            uri: Cow::Borrowed(namespace),
        }]
    };
    Ok(UnknownMethod {
        name: Cow::Owned(name),
        namespace: Cow::Borrowed(namespace),
        prefix: Cow::Borrowed(""),
        namespaces,
        content: Cow::Borrowed(u.choose(CONTENT)?),
    })
}

/// An arbitrary body: every RPC request and response of CWMP 1.0–1.4, a Fault, or Unknown.
pub fn body(u: &mut Unstructured<'_>) -> Result<Body<'static>> {
    let b: Body<'static> = match u.int_in_range(0..=56u8)? {
        0 => GetRpcMethods {}.into(),
        1 => GetRpcMethodsResponse {
            methods: vec_of(u, text)?,
        }
        .into(),
        2 => SetParameterValues {
            parameters: vec_of(u, parameter_value)?,
            parameter_key: text(u)?,
        }
        .into(),
        3 => SetParameterValuesResponse {
            status: u.arbitrary()?,
        }
        .into(),
        4 => GetParameterValues {
            parameter_names: vec_of(u, text)?,
        }
        .into(),
        5 => GetParameterValuesResponse {
            parameters: vec_of(u, parameter_value)?,
        }
        .into(),
        6 => GetParameterNames {
            parameter_path: text(u)?,
            next_level: u.arbitrary()?,
        }
        .into(),
        7 => GetParameterNamesResponse {
            parameters: vec_of(u, |u| {
                Ok(ParameterInfo {
                    name: text(u)?,
                    writable: u.arbitrary()?,
                })
            })?,
        }
        .into(),
        8 => SetParameterAttributes {
            parameters: vec_of(u, |u| {
                Ok(SetParameterAttribute {
                    name: text(u)?,
                    notification_change: u.arbitrary()?,
                    notification: Notification::new(u.arbitrary()?),
                    access_list_change: u.arbitrary()?,
                    access_list: vec_of(u, text)?,
                })
            })?,
        }
        .into(),
        9 => SetParameterAttributesResponse {}.into(),
        10 => GetParameterAttributes {
            parameter_names: vec_of(u, text)?,
        }
        .into(),
        11 => GetParameterAttributesResponse {
            parameters: vec_of(u, |u| {
                Ok(ParameterAttribute {
                    name: text(u)?,
                    notification: Notification::new(u.arbitrary()?),
                    access_list: vec_of(u, text)?,
                })
            })?,
        }
        .into(),
        12 => AddObject {
            object_name: text(u)?,
            parameter_key: text(u)?,
        }
        .into(),
        13 => AddObjectResponse {
            instance_number: u.arbitrary()?,
            status: u.arbitrary()?,
        }
        .into(),
        14 => DeleteObject {
            object_name: text(u)?,
            parameter_key: text(u)?,
        }
        .into(),
        15 => DeleteObjectResponse {
            status: u.arbitrary()?,
        }
        .into(),
        16 => Reboot {
            command_key: text(u)?,
        }
        .into(),
        17 => RebootResponse {}.into(),
        18 => Download {
            command_key: text(u)?,
            file_type: file_type(u)?,
            url: text(u)?,
            username: text(u)?,
            password: text(u)?,
            file_size: u.arbitrary()?,
            target_file_name: text(u)?,
            delay_seconds: u.arbitrary()?,
            success_url: text(u)?,
            failure_url: text(u)?,
        }
        .into(),
        19 => DownloadResponse {
            status: u.arbitrary()?,
            start_time: datetime(u)?,
            complete_time: datetime(u)?,
        }
        .into(),
        20 => Upload {
            command_key: text(u)?,
            file_type: file_type(u)?,
            url: text(u)?,
            username: text(u)?,
            password: text(u)?,
            delay_seconds: u.arbitrary()?,
        }
        .into(),
        21 => UploadResponse {
            status: u.arbitrary()?,
            start_time: datetime(u)?,
            complete_time: datetime(u)?,
        }
        .into(),
        22 => FactoryReset {}.into(),
        23 => FactoryResetResponse {}.into(),
        24 => GetQueuedTransfers {}.into(),
        25 => GetQueuedTransfersResponse {
            transfers: vec_of(u, |u| {
                Ok(QueuedTransfer {
                    command_key: text(u)?,
                    state: u.arbitrary()?,
                })
            })?,
        }
        .into(),
        26 => GetAllQueuedTransfers {}.into(),
        27 => GetAllQueuedTransfersResponse {
            transfers: vec_of(u, |u| {
                Ok(AllQueuedTransfer {
                    command_key: text(u)?,
                    state: u.arbitrary()?,
                    is_download: u.arbitrary()?,
                    file_type: file_type(u)?,
                    file_size: u.arbitrary()?,
                    target_file_name: text(u)?,
                })
            })?,
        }
        .into(),
        28 => ScheduleInform {
            delay_seconds: u.arbitrary()?,
            command_key: text(u)?,
        }
        .into(),
        29 => ScheduleInformResponse {}.into(),
        30 => SetVouchers {
            vouchers: vec_of(u, text)?,
        }
        .into(),
        31 => SetVouchersResponse {}.into(),
        32 => GetOptions {
            option_name: text(u)?,
        }
        .into(),
        33 => GetOptionsResponse {
            options: vec_of(u, |u| {
                Ok(OptionInfo {
                    option_name: text(u)?,
                    voucher_sn: u.arbitrary()?,
                    state: u.arbitrary()?,
                    mode: u.arbitrary()?,
                    start_date: datetime(u)?,
                    expiration_date: if u.arbitrary()? {
                        Some(datetime(u)?)
                    } else {
                        None
                    },
                    is_transferable: u.arbitrary()?,
                })
            })?,
        }
        .into(),
        34 => CancelTransfer {
            command_key: text(u)?,
        }
        .into(),
        35 => CancelTransferResponse {}.into(),
        36 => ChangeDuState {
            operations: vec_of(u, operation)?,
            command_key: opt_text(u)?,
        }
        .into(),
        37 => ChangeDuStateResponse {}.into(),
        38 => ScheduleDownload {
            command_key: text(u)?,
            file_type: file_type(u)?,
            url: text(u)?,
            username: text(u)?,
            password: text(u)?,
            file_size: u.arbitrary()?,
            target_file_name: text(u)?,
            time_windows: vec_of(u, |u| {
                Ok(TimeWindow {
                    window_start: u.arbitrary()?,
                    window_end: u.arbitrary()?,
                    window_mode: if u.arbitrary()? {
                        TimeWindowMode(Cow::Borrowed("1 At Any Time"))
                    } else {
                        TimeWindowMode(text(u)?)
                    },
                    user_message: text(u)?,
                    max_retries: u.arbitrary()?,
                })
            })?,
        }
        .into(),
        39 => ScheduleDownloadResponse {}.into(),
        40 => Inform {
            device_id: DeviceId {
                manufacturer: text(u)?,
                oui: text(u)?,
                product_class: text(u)?,
                serial_number: text(u)?,
            },
            events: vec_of(u, event)?,
            max_envelopes: u.arbitrary()?,
            current_time: datetime(u)?,
            retry_count: u.arbitrary()?,
            parameters: vec_of(u, parameter_value)?,
        }
        .into(),
        41 => InformResponse {
            max_envelopes: u.arbitrary()?,
        }
        .into(),
        42 => TransferComplete {
            command_key: text(u)?,
            fault: transfer_fault(u)?,
            start_time: datetime(u)?,
            complete_time: datetime(u)?,
        }
        .into(),
        43 => TransferCompleteResponse {}.into(),
        44 => AutonomousTransferComplete {
            announce_url: text(u)?,
            transfer_url: text(u)?,
            is_download: u.arbitrary()?,
            file_type: file_type(u)?,
            file_size: u.arbitrary()?,
            target_file_name: text(u)?,
            fault: transfer_fault(u)?,
            start_time: datetime(u)?,
            complete_time: datetime(u)?,
        }
        .into(),
        45 => AutonomousTransferCompleteResponse {}.into(),
        46 => RequestDownload {
            file_type: file_type(u)?,
            args: vec_of(u, |u| {
                Ok(Arg {
                    name: text(u)?,
                    value: text(u)?,
                })
            })?,
        }
        .into(),
        47 => RequestDownloadResponse {}.into(),
        48 => Kicked {
            command: text(u)?,
            referer: text(u)?,
            arg: text(u)?,
            next: text(u)?,
        }
        .into(),
        49 => KickedResponse { next_url: text(u)? }.into(),
        50 => DuStateChangeComplete {
            results: vec_of(u, op_result)?,
            command_key: opt_text(u)?,
        }
        .into(),
        51 => DuStateChangeCompleteResponse {}.into(),
        52 => AutonomousDuStateChangeComplete {
            results: vec_of(u, |u| {
                Ok(AutonOpResult {
                    result: op_result(u)?,
                    operation_performed: text(u)?,
                })
            })?,
        }
        .into(),
        53 => AutonomousDuStateChangeCompleteResponse {}.into(),
        54 => Body::Fault(Fault {
            fault_type: if u.arbitrary()? {
                FaultType::Client
            } else {
                FaultType::Server
            },
            fault_string: text(u)?,
            code: fault_code(u)?,
            message: text(u)?,
            set_parameter_values_faults: vec_of(u, |u| {
                Ok(SetParameterValuesFault {
                    parameter_name: text(u)?,
                    code: fault_code(u)?,
                    message: text(u)?,
                })
            })?,
        }),
        55 => {
            let code: Option<&'static str> = if u.arbitrary()? {
                Some(*u.choose(&["Client", "Server", "Server.Busy"])?)
            } else {
                None
            };
            // A namespace only with a code: without one nothing carries it.
            let code_namespace = match code {
                Some(_) => {
                    *u.choose(&["", "http://schemas.xmlsoap.org/soap/envelope/", "urn:x&y"])?
                }
                None => "",
            };
            Body::SoapFault(SoapFault {
                code: code.map(Cow::Borrowed),
                code_namespace: Cow::Borrowed(code_namespace),
                string: opt_text(u)?,
                actor: opt_text(u)?,
                // The decoder trims it and reads only whitespace as none.
                text: if u.arbitrary()? {
                    Some(Cow::Borrowed(*u.choose(&["Internal error", "a & <b>"])?))
                } else {
                    None
                },
            })
        }
        _ => Body::Unknown(unknown(u)?),
    };
    Ok(b)
}

/// An arbitrary envelope within the restrictions above.
pub fn envelope(u: &mut Unstructured<'_>) -> Result<Envelope<'static>> {
    Ok(Envelope {
        header: header(u)?,
        body: body(u)?,
    })
}

/// Calls `f` on every parameter value of the message (SetParameterValues,
/// GetParameterValuesResponse, Inform).
pub fn for_each_value_mut(envelope: &mut Envelope<'_>, mut f: impl FnMut(&mut Value<'_>)) {
    let params: &mut [ParameterValue<'_>] = match &mut envelope.body {
        Body::SetParameterValues(m) => &mut m.parameters,
        Body::GetParameterValuesResponse(m) => &mut m.parameters,
        Body::Inform(m) => &mut m.parameters,
        _ => return,
    };
    for p in params {
        f(&mut p.value);
    }
}

/// What `BoolFormat::Digits` does to a model, by design: parameter values of type
/// `xsd:boolean` whose text is a valid boolean are written `1` / `0`.
pub fn booleans_as_digits(envelope: &mut Envelope<'_>) {
    for_each_value_mut(envelope, |v| {
        if v.ty == ValueType::Boolean
            && let Some(b) = cwmp_core::value::parse_bool(&v.text)
        {
            v.text = Cow::Borrowed(if b { "1" } else { "0" });
        }
    });
}
