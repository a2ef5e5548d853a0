//! The message shapes the bench report times (an Inform of about 20 parameters, a
//! GetParameterValuesResponse of 1,000 and 10,000 parameters with mixed xsi:types and about 1%
//! of the values escaped, a GetParameterNamesResponse of 10,000 entries, a SetParameterValues of
//! 50, a Fault with 3 SetParameterValuesFaults), written here as text by hand: each decodes
//! without a warning, strict mode accepts it, both modes give the same model, and the model
//! holds what the text says. Speed is measured by `cwmp-benches`' report, not here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt::Write as _;

use cwmp_core::Body;
use cwmp_soap::decode::Decoder;

const ENVELOPE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID></soap-env:Header><soap-env:Body>"#;
const END: &str = "</soap-env:Body></soap-env:Envelope>";

/// A value of parameter `i`: mixed types, about 1% of the strings escaped.
fn value(i: usize) -> (&'static str, String) {
    match i % 5 {
        0 if i % 100 == 0 => ("xsd:string", "Tom &amp; Jerry&apos;s &lt;5G&gt;".to_owned()),
        0 => ("xsd:string", format!("host-{i}.example")),
        1 => ("xsd:unsignedInt", (i * 7).to_string()),
        2 => (
            "xsd:boolean",
            if i % 2 == 0 { "true" } else { "0" }.to_owned(),
        ),
        3 => ("xsd:int", format!("-{i}")),
        _ => ("xsd:dateTime", "2026-03-01T10:00:07Z".to_owned()),
    }
}

fn name(i: usize) -> String {
    format!("Device.Hosts.Host.{}.X_ACME_Leaf{}", i / 9 + 1, i % 9)
}

fn parameter_list(n: usize) -> String {
    let mut s = format!(r#"<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[{n}]">"#);
    for i in 0..n {
        let (ty, v) = value(i);
        write!(
            s,
            r#"<ParameterValueStruct><Name>{}</Name><Value xsi:type="{ty}">{v}</Value></ParameterValueStruct>"#,
            name(i)
        )
        .unwrap();
    }
    s.push_str("</ParameterList>");
    s
}

fn inform() -> String {
    format!(
        "{ENVELOPE}<cwmp:Inform><DeviceId><Manufacturer>Acme Networks</Manufacturer><OUI>00256D</OUI><ProductClass>HGW-3000</ProductClass><SerialNumber>ACME3000A1B2C3</SerialNumber></DeviceId><Event soap-enc:arrayType=\"cwmp:EventStruct[2]\"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct><EventStruct><EventCode>M Reboot</EventCode><CommandKey>reboot-7</CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-11-21T10:00:07+01:00</CurrentTime><RetryCount>0</RetryCount>{}</cwmp:Inform>{END}",
        parameter_list(21)
    )
}

fn gpv_response(n: usize) -> String {
    format!(
        "{ENVELOPE}<cwmp:GetParameterValuesResponse>{}</cwmp:GetParameterValuesResponse>{END}",
        parameter_list(n)
    )
}

fn gpn_response(n: usize) -> String {
    let mut s = format!(
        r#"{ENVELOPE}<cwmp:GetParameterNamesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterInfoStruct[{n}]">"#
    );
    for i in 0..n {
        write!(
            s,
            "<ParameterInfoStruct><Name>{}</Name><Writable>{}</Writable></ParameterInfoStruct>",
            name(i),
            i % 3 == 0
        )
        .unwrap();
    }
    s.push_str("</ParameterList></cwmp:GetParameterNamesResponse>");
    s.push_str(END);
    s
}

fn set_parameter_values(n: usize) -> String {
    format!(
        "{ENVELOPE}<cwmp:SetParameterValues>{}<ParameterKey>spv-7</ParameterKey></cwmp:SetParameterValues>{END}",
        parameter_list(n)
    )
}

fn fault() -> String {
    let mut s = format!(
        "{ENVELOPE}<soap-env:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>"
    );
    for (n, code, text) in [
        (
            "Device.WiFi.SSID.1.SSID",
            9007,
            "SSID longer than 32 characters",
        ),
        (
            "Device.DeviceInfo.SerialNumber",
            9008,
            "Attempt to set a non-writable parameter",
        ),
        ("Device.WiFi.X_Foo.Bar", 9005, "Invalid parameter name"),
    ] {
        write!(
            s,
            "<SetParameterValuesFault><ParameterName>{n}</ParameterName><FaultCode>{code}</FaultCode><FaultString>{text}</FaultString></SetParameterValuesFault>"
        )
        .unwrap();
    }
    s.push_str("</cwmp:Fault></detail></soap-env:Fault>");
    s.push_str(END);
    s
}

#[test]
fn bench_shapes_decode_cleanly_in_both_modes() {
    let messages = [
        ("inform-21", inform(), 21),
        ("spv-50", set_parameter_values(50), 50),
        ("fault-3", fault(), 3),
        ("gpv-1000", gpv_response(1_000), 1_000),
        ("gpv-10000", gpv_response(10_000), 10_000),
        ("gpn-10000", gpn_response(10_000), 10_000),
    ];
    let lenient = Decoder::new();
    let strict = Decoder::strict();
    for (name, xml, entries) in &messages {
        let input = xml.as_bytes();
        let decoded = lenient.decode(input).unwrap();
        assert!(
            decoded.warnings.is_empty(),
            "{name}: {:?}",
            decoded.warnings
        );
        let strict_decoded = strict.decode(input).unwrap();
        assert_eq!(strict_decoded.envelope, decoded.envelope, "{name}");
        let count = match &decoded.envelope.body {
            Body::Inform(m) => m.parameters.len(),
            Body::SetParameterValues(m) => m.parameters.len(),
            Body::Fault(f) => f.set_parameter_values_faults.len(),
            Body::GetParameterValuesResponse(m) => m.parameters.len(),
            Body::GetParameterNamesResponse(m) => m.parameters.len(),
            other => panic!("{name}: {}", other.name()),
        };
        assert_eq!(count, *entries, "{name}");
    }
}
