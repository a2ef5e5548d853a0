//! Shapes seen in real captures that must neither invent nor lose data, one hand-written
//! vector each under tests/vectors/shape-*.xml: the decoded values, the warnings, what strict
//! decoding does, and what the encoder writes back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::borrow::Cow;

use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::SoapFault;
use cwmp_core::limits::{Violation, ViolationKind};
use cwmp_core::rpc::QueuedTransfer;
use cwmp_core::{Body, CwmpVersion, Envelope};
use cwmp_soap::decode::{DecodeError, Decoded, Decoder, WarningKind};
use cwmp_soap::{EncodeOptions, encode};

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

/// Strict decoding refuses the vector, reporting exactly these deviations.
fn strict_refuses(name: &str, expected: &[WarningKind]) {
    match Decoder::strict().decode(bytes(name)) {
        Err(DecodeError::Strict { deviations, .. }) => {
            let got: Vec<_> = deviations.iter().map(|w| w.kind).collect();
            assert_eq!(got, expected, "{name}");
        }
        other => panic!("{name}: strict gave {other:?}"),
    }
}

/// Encodes at `version`, decodes the output again, and returns both.
fn reencode(env: &Envelope<'_>, version: CwmpVersion) -> (String, Decoded<'static>) {
    let mut out = Vec::new();
    EncodeOptions::for_version(version).encode(env, &mut out);
    let text = String::from_utf8(out).unwrap();
    let leaked: &'static [u8] = Box::leak(text.clone().into_bytes().into_boxed_slice());
    let again = Decoder::new()
        .decode(leaked)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    (text, again)
}

#[test]
fn soap_fault_without_cwmp_detail_is_kept_as_a_soap_fault() {
    let d = lenient("shape-soap-fault-without-detail.xml");
    let Body::SoapFault(f) = &d.envelope.body else {
        panic!("{:?}", d.envelope.body)
    };
    assert_eq!(
        f,
        &SoapFault {
            code: Some("Server".into()),
            code_namespace: "http://schemas.xmlsoap.org/soap/envelope/".into(),
            string: Some("Service Temporarily Unavailable".into()),
            actor: Some("http://proxy.example.net/".into()),
            text: None,
        }
    );
    assert!(d.envelope.body.is_fault() && !d.envelope.body.is_request());
    assert_eq!(d.envelope.body.name(), "Fault");
    assert_eq!(kinds(&d), vec![WarningKind::NoCwmpFault]);
    strict_refuses(
        "shape-soap-fault-without-detail.xml",
        &[WarningKind::NoCwmpFault],
    );

    let (xml, again) = reencode(&d.envelope, CwmpVersion::V1_0);
    assert!(
        xml.contains(
            "<soap-env:Fault><faultcode>soap-env:Server</faultcode><faultstring>Service Temporarily Unavailable</faultstring><faultactor>http://proxy.example.net/</faultactor></soap-env:Fault>"
        ),
        "{xml}"
    );
    assert!(
        !xml.contains("detail") && !xml.contains("FaultCode"),
        "{xml}"
    );
    assert_eq!(again.envelope, d.envelope);
}

#[test]
fn soap_fault_with_only_text_keeps_the_text() {
    let d = lenient("shape-soap-fault-text-only.xml");
    let Body::SoapFault(f) = &d.envelope.body else {
        panic!("{:?}", d.envelope.body)
    };
    assert_eq!(
        f,
        &SoapFault {
            text: Some("Internal error & no detail".into()),
            ..SoapFault::default()
        }
    );
    assert_eq!(
        kinds(&d),
        vec![WarningKind::NoCwmpFault, WarningKind::FaultText]
    );
    strict_refuses(
        "shape-soap-fault-text-only.xml",
        &[WarningKind::NoCwmpFault, WarningKind::FaultText],
    );
    let (xml, again) = reencode(&d.envelope, CwmpVersion::V1_2);
    assert!(
        xml.contains("<soap-env:Fault>Internal error &amp; no detail</soap-env:Fault>"),
        "{xml}"
    );
    assert_eq!(again.envelope, d.envelope);
}

#[test]
fn vendor_rpc_keeps_its_arguments_and_writes_them_back() {
    let d = lenient("shape-vendor-rpc-arguments.xml");
    let Body::Unknown(m) = &d.envelope.body else {
        panic!("{:?}", d.envelope.body)
    };
    assert_eq!(m.name, "X_ACME_Frobnicate");
    assert_eq!(m.namespace, "urn:dslforum-org:cwmp-1-0");
    assert_eq!(m.prefix, "cwmp");
    assert_eq!(
        m.content,
        r#"<Target>Device.WiFi.Radio.1.</Target><Level xsi:type="xs:unsignedInt">3</Level><Options soapenc:arrayType="xs:string[2]"><string>fast</string><string>a &amp; b</string></Options><acme:Note>kept</acme:Note>"#
    );
    // Borrowed from the input, not copied.
    assert!(matches!(m.content, Cow::Borrowed(_)));
    let bindings: Vec<(&str, &str)> = m.namespaces.iter().map(|b| (&*b.prefix, &*b.uri)).collect();
    assert_eq!(
        bindings,
        vec![
            ("cwmp", "urn:dslforum-org:cwmp-1-0"),
            ("xs", "http://www.w3.org/2001/XMLSchema"),
            ("soapenc", "http://schemas.xmlsoap.org/soap/encoding/"),
            ("acme", "urn:acme-com:cwmp-ext"),
        ]
    );
    // An unknown method is no deviation of the message's form: it is answered 8000/9000.
    assert_eq!(kinds(&d), vec![]);
    assert!(
        Decoder::strict()
            .decode(bytes("shape-vendor-rpc-arguments.xml"))
            .is_ok()
    );

    let (xml, again) = reencode(&d.envelope, CwmpVersion::V1_2);
    assert!(
        xml.contains(concat!(
            r#"<cwmp:X_ACME_Frobnicate xmlns:cwmp="urn:dslforum-org:cwmp-1-0" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:acme="urn:acme-com:cwmp-ext">"#,
            r#"<Target>Device.WiFi.Radio.1.</Target><Level xsi:type="xs:unsignedInt">3</Level>"#
        )),
        "{xml}"
    );
    assert_eq!(again.envelope, d.envelope);
}

#[test]
fn vendor_rpc_with_an_undeclared_prefix_inside_is_refused_by_name() {
    let xml = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><X_Foo><q:Arg>1</q:Arg></X_Foo></s:Body></s:Envelope>"#;
    match Decoder::new().decode(xml) {
        Err(e @ DecodeError::UndeclaredPrefix { .. }) => {
            assert!(e.to_string().contains("\"q\""), "{e}");
            assert_eq!(e.offset(), 79);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn repeated_event_code_gives_one_event_per_code() {
    let d = lenient("shape-event-code-repeated.xml");
    let Body::Inform(inform) = &d.envelope.body else {
        panic!()
    };
    assert_eq!(
        inform.events,
        vec![
            EventStruct {
                code: EventCode::BOOT,
                command_key: "reboot-7".into()
            },
            EventStruct {
                code: EventCode::M_REBOOT,
                command_key: "reboot-7".into()
            },
            EventStruct {
                code: EventCode::VALUE_CHANGE,
                command_key: "".into()
            },
        ]
    );
    assert_eq!(kinds(&d), vec![WarningKind::RepeatedEventCode]);
    let second = bytes("shape-event-code-repeated.xml")
        .windows(19)
        .position(|w| w == b"<EventCode>M Reboot")
        .unwrap();
    assert_eq!(d.warnings[0].offset, second);
    strict_refuses(
        "shape-event-code-repeated.xml",
        &[WarningKind::RepeatedEventCode],
    );
    let (xml, again) = reencode(&d.envelope, CwmpVersion::V1_0);
    assert!(xml.contains(r#"<Event soap-enc:arrayType="cwmp:EventStruct[3]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey>reboot-7</CommandKey></EventStruct><EventStruct><EventCode>M Reboot</EventCode><CommandKey>reboot-7</CommandKey></EventStruct>"#), "{xml}");
    assert_eq!(again.envelope, d.envelope);
    assert_eq!(kinds(&again), vec![]);
}

#[test]
fn struct_array_without_wrapper_gives_one_member_per_element() {
    let d = lenient("shape-array-without-wrapper.xml");
    let Body::GetQueuedTransfersResponse(r) = &d.envelope.body else {
        panic!()
    };
    assert_eq!(
        r.transfers,
        vec![
            QueuedTransfer {
                command_key: "fw-1".into(),
                state: 2
            },
            QueuedTransfer {
                command_key: "cfg-9".into(),
                state: 1
            },
        ]
    );
    let expected = [
        WarningKind::MissingArrayType,
        WarningKind::ArrayWithoutWrapper,
        WarningKind::MissingArrayType,
        WarningKind::ArrayWithoutWrapper,
    ];
    assert_eq!(kinds(&d), expected);
    strict_refuses("shape-array-without-wrapper.xml", &expected);
    let (xml, again) = reencode(&d.envelope, CwmpVersion::V1_0);
    assert!(xml.contains(r#"<TransferList soap-enc:arrayType="cwmp:QueuedTransferStruct[2]"><QueuedTransferStruct><CommandKey>fw-1</CommandKey><State>2</State></QueuedTransferStruct><QueuedTransferStruct><CommandKey>cfg-9</CommandKey><State>1</State></QueuedTransferStruct></TransferList>"#), "{xml}");
    assert_eq!(again.envelope, d.envelope);
    assert_eq!(kinds(&again), vec![]);
}

#[test]
fn facet_violations_are_warnings_in_lenient_mode() {
    let d = lenient("shape-facet-violations.xml");
    let Body::Inform(inform) = &d.envelope.body else {
        panic!()
    };
    // Kept as it came.
    assert_eq!(inform.device_id.oui, "00a0c9");
    assert_eq!(kinds(&d), vec![WarningKind::SchemaViolation]);
    assert_eq!(
        d.violations,
        vec![Violation {
            field: "OUI",
            kind: ViolationKind::Pattern("[0-9A-F]{6}")
        }]
    );
    match Decoder::strict().decode(bytes("shape-facet-violations.xml")) {
        Err(DecodeError::Strict {
            deviations,
            violations,
            ..
        }) => {
            assert!(deviations.is_empty());
            assert_eq!(violations, d.violations);
        }
        other => panic!("{other:?}"),
    }
    // The encoder writes the value as it is.
    let mut out = Vec::new();
    encode(&d.envelope, &mut out);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("<OUI>00a0c9</OUI>")
    );
}

/// Fuzz finding (structured_roundtrip): a faultcode in a namespace of its own must read back
/// in that namespace.
#[test]
fn soap_fault_code_in_a_foreign_namespace_round_trips() {
    let env = Envelope {
        header: cwmp_core::Header::default(),
        body: Body::SoapFault(SoapFault {
            code: Some("Client".into()),
            code_namespace: "urn:x&y".into(),
            string: Some("aaaaaaaaaa".into()),
            ..SoapFault::default()
        }),
    };
    let (xml, again) = reencode(&env, CwmpVersion::V1_4);
    assert!(
        xml.contains(r#"<soap-env:Fault xmlns:fc="urn:x&amp;y"><faultcode>fc:Client</faultcode>"#),
        "{xml}"
    );
    assert_eq!(again.envelope, env);
}
