//! Property: for every message type (every `Body` variant but `Unknown`), an arbitrary model
//! value encodes to XML that decodes back to the same value, in both DU shapes, with and
//! without the XML declaration.
//!
//! Restrictions of the generators (what XML can carry, and what the model normalises):
//! - Text holds no character XML 1.0 forbids (C0 controls other than tab, CR, LF; U+FFFE/FFFF):
//!   the encoder replaces those with U+FFFD, so they cannot round-trip. Leading and trailing
//!   whitespace, `\r`, `\r\n`, tabs and markup characters are generated (the encoder writes CR as
//!   `&#13;`).
//! - `ValueType::Other` names are `x_…` NCNames: a type written `xsd:base64` or `xsd:string`
//!   decodes to the named variant, and the name is written in an attribute QName.
//! - The header has no NoMoreRequests (never written) and is encoded at 1.4, where every other
//!   header element exists.
//! - Booleans are written as words and dateTimes as they are (the `Digits`, `Strip` and `Millis`
//!   options rewrite values by design).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, FaultType, SetParameterValuesFault};
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion, Envelope, Header};
use cwmp_soap::decode::Decoder;
use cwmp_soap::{DuShape, EncodeOptions};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};

type S = Cow<'static, str>;

fn text() -> BoxedStrategy<S> {
    "[a-zA-Z0-9 .:/_&<>\"'=?%#;\\-\\t\\r\\n\u{e9}\u{20ac}\u{1F600}\u{FFFD}]{0,16}"
        .prop_map(Cow::Owned)
        .boxed()
}

fn opt_text() -> BoxedStrategy<Option<S>> {
    proptest::option::of(text()).boxed()
}

fn texts() -> BoxedStrategy<Vec<S>> {
    proptest::collection::vec(text(), 0..4).boxed()
}

fn datetime() -> BoxedStrategy<DateTimeText<'static>> {
    prop_oneof![
        (
            1u16..=9999,
            1u8..=12,
            1u8..=28,
            0u8..24,
            0u8..60,
            0u8..60,
            proptest::option::of(0u32..1000)
        )
            .prop_map(|(y, mo, d, h, mi, s, frac)| {
                let f = frac.map(|f| format!(".{f:03}")).unwrap_or_default();
                DateTimeText::new(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}Z"))
            }),
        Just(DateTimeText::UNKNOWN),
        text().prop_map(DateTimeText),
    ]
    .boxed()
}

fn value_type() -> BoxedStrategy<ValueType<'static>> {
    prop_oneof![
        Just(ValueType::String),
        Just(ValueType::Int),
        Just(ValueType::UnsignedInt),
        Just(ValueType::Long),
        Just(ValueType::UnsignedLong),
        Just(ValueType::Boolean),
        Just(ValueType::DateTime),
        Just(ValueType::Base64),
        Just(ValueType::HexBinary),
        Just(ValueType::Decimal),
        "x_[a-zA-Z0-9]{0,6}".prop_map(|n| ValueType::Other(Cow::Owned(n))),
    ]
    .boxed()
}

fn pvs() -> BoxedStrategy<Vec<ParameterValue<'static>>> {
    proptest::collection::vec(
        (text(), value_type(), text()).prop_map(|(name, ty, t)| ParameterValue {
            name,
            value: Value { ty, text: t },
        }),
        0..4,
    )
    .boxed()
}

fn code() -> BoxedStrategy<FaultCode> {
    any::<u32>().prop_map(FaultCode::new).boxed()
}

fn file_type() -> BoxedStrategy<FileType<'static>> {
    text().prop_map(FileType).boxed()
}

fn op_result() -> BoxedStrategy<OpResult<'static>> {
    (
        (text(), text(), text(), text(), any::<bool>(), text()),
        (datetime(), datetime(), code(), text()),
    )
        .prop_map(
            |((uuid, r, v, cs, resolved, eu), (st, ct, c, m))| OpResult {
                uuid,
                deployment_unit_ref: r,
                version: v,
                current_state: cs,
                resolved,
                execution_unit_ref_list: eu,
                start_time: st,
                complete_time: ct,
                fault: DuFault {
                    code: c,
                    message: m,
                },
            },
        )
        .boxed()
}

fn operation() -> BoxedStrategy<Operation<'static>> {
    prop_oneof![
        (text(), opt_text(), opt_text(), opt_text(), opt_text()).prop_map(
            |(url, uuid, u, p, e)| {
                Operation::Install(InstallOp {
                    url,
                    uuid,
                    username: u,
                    password: p,
                    execution_env_ref: e,
                })
            }
        ),
        (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()).prop_map(
            |(uuid, v, url, u, p)| {
                Operation::Update(UpdateOp {
                    uuid,
                    version: v,
                    url,
                    username: u,
                    password: p,
                })
            }
        ),
        (text(), opt_text(), opt_text()).prop_map(|(uuid, v, e)| {
            Operation::Uninstall(UninstallOp {
                uuid,
                version: v,
                execution_env_ref: e,
            })
        }),
    ]
    .boxed()
}

fn transfer_fault() -> BoxedStrategy<TransferFault<'static>> {
    (code(), text())
        .prop_map(|(code, message)| TransferFault { code, message })
        .boxed()
}

fn vec_of<T: std::fmt::Debug + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<Vec<T>> {
    proptest::collection::vec(s, 0..4).boxed()
}

fn b<T: Into<Body<'static>> + std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Body<'static>> {
    s.prop_map(Into::into).boxed()
}

fn body() -> BoxedStrategy<Body<'static>> {
    let arms: Vec<BoxedStrategy<Body<'static>>> = vec![
        b(Just(GetRpcMethods {})),
        b(texts().prop_map(|methods| GetRpcMethodsResponse { methods })),
        b(
            (pvs(), text()).prop_map(|(parameters, parameter_key)| SetParameterValues {
                parameters,
                parameter_key,
            }),
        ),
        b(any::<i32>().prop_map(|status| SetParameterValuesResponse { status })),
        b(texts().prop_map(|parameter_names| GetParameterValues { parameter_names })),
        b(pvs().prop_map(|parameters| GetParameterValuesResponse { parameters })),
        b(
            (text(), any::<bool>()).prop_map(|(parameter_path, next_level)| GetParameterNames {
                parameter_path,
                next_level,
            }),
        ),
        b(vec_of(
            (text(), any::<bool>())
                .prop_map(|(name, writable)| ParameterInfo { name, writable })
                .boxed(),
        )
        .prop_map(|parameters| GetParameterNamesResponse { parameters })),
        b(vec_of(
            (text(), any::<bool>(), any::<i32>(), any::<bool>(), texts())
                .prop_map(|(name, nc, n, ac, access_list)| SetParameterAttribute {
                    name,
                    notification_change: nc,
                    notification: Notification::new(n),
                    access_list_change: ac,
                    access_list,
                })
                .boxed(),
        )
        .prop_map(|parameters| SetParameterAttributes { parameters })),
        b(Just(SetParameterAttributesResponse {})),
        b(texts().prop_map(|parameter_names| GetParameterAttributes { parameter_names })),
        b(vec_of(
            (text(), any::<i32>(), texts())
                .prop_map(|(name, n, access_list)| ParameterAttribute {
                    name,
                    notification: Notification::new(n),
                    access_list,
                })
                .boxed(),
        )
        .prop_map(|parameters| GetParameterAttributesResponse { parameters })),
        b(
            (text(), text()).prop_map(|(object_name, parameter_key)| AddObject {
                object_name,
                parameter_key,
            }),
        ),
        b(
            (any::<u32>(), any::<i32>()).prop_map(|(instance_number, status)| AddObjectResponse {
                instance_number,
                status,
            }),
        ),
        b(
            (text(), text()).prop_map(|(object_name, parameter_key)| DeleteObject {
                object_name,
                parameter_key,
            }),
        ),
        b(any::<i32>().prop_map(|status| DeleteObjectResponse { status })),
        b(text().prop_map(|command_key| Reboot { command_key })),
        b(Just(RebootResponse {})),
        b((
            (text(), file_type(), text(), text(), text()),
            (any::<u32>(), text(), any::<u32>(), text(), text()),
        )
            .prop_map(
                |(
                    (command_key, file_type, url, username, password),
                    (file_size, target_file_name, delay_seconds, success_url, failure_url),
                )| {
                    Download {
                        command_key,
                        file_type,
                        url,
                        username,
                        password,
                        file_size,
                        target_file_name,
                        delay_seconds,
                        success_url,
                        failure_url,
                    }
                },
            )),
        b((any::<i32>(), datetime(), datetime()).prop_map(
            |(status, start_time, complete_time)| DownloadResponse {
                status,
                start_time,
                complete_time,
            },
        )),
        b(
            (text(), file_type(), text(), text(), text(), any::<u32>()).prop_map(
                |(command_key, file_type, url, username, password, delay_seconds)| Upload {
                    command_key,
                    file_type,
                    url,
                    username,
                    password,
                    delay_seconds,
                },
            ),
        ),
        b((any::<i32>(), datetime(), datetime()).prop_map(
            |(status, start_time, complete_time)| UploadResponse {
                status,
                start_time,
                complete_time,
            },
        )),
        b(Just(FactoryReset {})),
        b(Just(FactoryResetResponse {})),
        b(Just(GetQueuedTransfers {})),
        b(vec_of(
            (text(), any::<i32>())
                .prop_map(|(command_key, state)| QueuedTransfer { command_key, state })
                .boxed(),
        )
        .prop_map(|transfers| GetQueuedTransfersResponse { transfers })),
        b(Just(GetAllQueuedTransfers {})),
        b(vec_of(
            (
                text(),
                any::<i32>(),
                any::<bool>(),
                file_type(),
                any::<u32>(),
                text(),
            )
                .prop_map(
                    |(command_key, state, is_download, file_type, file_size, target_file_name)| {
                        AllQueuedTransfer {
                            command_key,
                            state,
                            is_download,
                            file_type,
                            file_size,
                            target_file_name,
                        }
                    },
                )
                .boxed(),
        )
        .prop_map(|transfers| GetAllQueuedTransfersResponse { transfers })),
        b(
            (any::<u32>(), text()).prop_map(|(delay_seconds, command_key)| ScheduleInform {
                delay_seconds,
                command_key,
            }),
        ),
        b(Just(ScheduleInformResponse {})),
        b(texts().prop_map(|vouchers| SetVouchers { vouchers })),
        b(Just(SetVouchersResponse {})),
        b(text().prop_map(|option_name| GetOptions { option_name })),
        b(vec_of(
            (
                text(),
                any::<u32>(),
                any::<u32>(),
                any::<i32>(),
                datetime(),
                proptest::option::of(datetime()),
                any::<i32>(),
            )
                .prop_map(
                    |(
                        option_name,
                        voucher_sn,
                        state,
                        mode,
                        start_date,
                        expiration_date,
                        is_transferable,
                    )| OptionInfo {
                        option_name,
                        voucher_sn,
                        state,
                        mode,
                        start_date,
                        expiration_date,
                        is_transferable,
                    },
                )
                .boxed(),
        )
        .prop_map(|options| GetOptionsResponse { options })),
        b(text().prop_map(|command_key| CancelTransfer { command_key })),
        b(Just(CancelTransferResponse {})),
        b(
            (vec_of(operation()), opt_text()).prop_map(|(operations, command_key)| ChangeDuState {
                operations,
                command_key,
            }),
        ),
        b(Just(ChangeDuStateResponse {})),
        b((
            (text(), file_type(), text(), text(), text()),
            (
                any::<u32>(),
                text(),
                vec_of(
                    (any::<u32>(), any::<u32>(), text(), text(), any::<i32>())
                        .prop_map(
                            |(window_start, window_end, mode, user_message, max_retries)| {
                                TimeWindow {
                                    window_start,
                                    window_end,
                                    window_mode: TimeWindowMode(mode),
                                    user_message,
                                    max_retries,
                                }
                            },
                        )
                        .boxed(),
                ),
            ),
        )
            .prop_map(
                |(
                    (command_key, file_type, url, username, password),
                    (file_size, target_file_name, time_windows),
                )| ScheduleDownload {
                    command_key,
                    file_type,
                    url,
                    username,
                    password,
                    file_size,
                    target_file_name,
                    time_windows,
                },
            )),
        b(Just(ScheduleDownloadResponse {})),
        b((
            (text(), text(), text(), text()),
            vec_of(
                (text(), text())
                    .prop_map(|(c, k)| EventStruct {
                        code: EventCode(c),
                        command_key: k,
                    })
                    .boxed(),
            ),
            (any::<u32>(), datetime(), any::<u32>(), pvs()),
        )
            .prop_map(
                |(
                    (manufacturer, oui, product_class, serial_number),
                    events,
                    (max_envelopes, current_time, retry_count, parameters),
                )| Inform {
                    device_id: DeviceId {
                        manufacturer,
                        oui,
                        product_class,
                        serial_number,
                    },
                    events,
                    max_envelopes,
                    current_time,
                    retry_count,
                    parameters,
                },
            )),
        b(any::<u32>().prop_map(|max_envelopes| InformResponse { max_envelopes })),
        b((text(), transfer_fault(), datetime(), datetime()).prop_map(
            |(command_key, fault, start_time, complete_time)| TransferComplete {
                command_key,
                fault,
                start_time,
                complete_time,
            },
        )),
        b(Just(TransferCompleteResponse {})),
        b((
            (text(), text(), any::<bool>(), file_type(), any::<u32>()),
            (text(), transfer_fault(), datetime(), datetime()),
        )
            .prop_map(
                |(
                    (announce_url, transfer_url, is_download, file_type, file_size),
                    (target_file_name, fault, start_time, complete_time),
                )| AutonomousTransferComplete {
                    announce_url,
                    transfer_url,
                    is_download,
                    file_type,
                    file_size,
                    target_file_name,
                    fault,
                    start_time,
                    complete_time,
                },
            )),
        b(Just(AutonomousTransferCompleteResponse {})),
        b((
            file_type(),
            vec_of(
                (text(), text())
                    .prop_map(|(name, value)| Arg { name, value })
                    .boxed(),
            ),
        )
            .prop_map(|(file_type, args)| RequestDownload { file_type, args })),
        b(Just(RequestDownloadResponse {})),
        b(
            (text(), text(), text(), text()).prop_map(|(command, referer, arg, next)| Kicked {
                command,
                referer,
                arg,
                next,
            }),
        ),
        b(text().prop_map(|next_url| KickedResponse { next_url })),
        b(
            (vec_of(op_result()), opt_text()).prop_map(|(results, command_key)| {
                DuStateChangeComplete {
                    results,
                    command_key,
                }
            }),
        ),
        b(Just(DuStateChangeCompleteResponse {})),
        b(vec_of(
            (op_result(), text())
                .prop_map(|(result, operation_performed)| AutonOpResult {
                    result,
                    operation_performed,
                })
                .boxed(),
        )
        .prop_map(|results| AutonomousDuStateChangeComplete { results })),
        b(Just(AutonomousDuStateChangeCompleteResponse {})),
        (
            prop_oneof![Just(FaultType::Client), Just(FaultType::Server)],
            text(),
            code(),
            text(),
            vec_of(
                (text(), code(), text())
                    .prop_map(|(parameter_name, code, message)| SetParameterValuesFault {
                        parameter_name,
                        code,
                        message,
                    })
                    .boxed(),
            ),
        )
            .prop_map(
                |(fault_type, fault_string, code, message, set_parameter_values_faults)| {
                    Body::Fault(Fault {
                        fault_type,
                        fault_string,
                        code,
                        message,
                        set_parameter_values_faults,
                    })
                },
            )
            .boxed(),
    ];
    assert_eq!(arms.len(), cwmp_core::envelope::METHODS.len() + 1);
    Union::new(arms).boxed()
}

fn header() -> BoxedStrategy<Header<'static>> {
    (
        opt_text(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<u32>()),
        opt_text(),
        proptest::option::of(proptest::sample::select(CwmpVersion::ALL.to_vec())),
    )
        .prop_map(
            |(id, hold_requests, session_timeout, supported_cwmp_versions, use_cwmp_version)| {
                Header {
                    id,
                    hold_requests,
                    no_more_requests: None,
                    session_timeout,
                    supported_cwmp_versions,
                    use_cwmp_version,
                }
            },
        )
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn encode_then_decode_is_the_identity(
        header in header(),
        body in body(),
        wrapper in any::<bool>(),
        declaration in any::<bool>(),
    ) {
        let env = Envelope { header, body };
        let options = EncodeOptions::for_version(CwmpVersion::V1_4)
            .with_xml_declaration(declaration)
            .with_du_shape(if wrapper { DuShape::Wrapper } else { DuShape::Xsd });
        let xml = options.to_vec(&env);
        let decoded = Decoder::new().decode(&xml);
        prop_assert!(decoded.is_ok(), "{:?}\n{}", decoded.err(), String::from_utf8_lossy(&xml));
        let decoded = decoded.unwrap();
        prop_assert_eq!(&decoded.envelope, &env, "{}", String::from_utf8_lossy(&xml));
    }
}
