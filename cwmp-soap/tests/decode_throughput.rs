//! A quick speed check, run by hand:
//! `cargo test -p cwmp-soap --release --test decode_throughput -- --ignored --nocapture`.
//! Typed decode (lenient and strict) vs quick-xml's bare `Reader` event loop over the same
//! bytes, for the message shapes of issue 8: an Inform of about 20 parameters, a
//! GetParameterValuesResponse of 1,000 and 10,000 parameters (mixed xsi:types, about 1% of
//! the values escaped), a GetParameterNamesResponse of 10,000 entries, a SetParameterValues
//! of 50 and a Fault with 3 SetParameterValuesFaults. Measured interleaved in one process,
//! best of several rounds (shared machines are noisy); figures are printed, not asserted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt::Write as _;
use std::time::Instant;

use cwmp_soap::decode::Decoder;
use quick_xml::Reader;
use quick_xml::events::Event;

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

fn bare_loop(input: &[u8]) -> usize {
    let mut reader = Reader::from_reader(input);
    let mut n = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            _ => n += 1,
        }
    }
    n
}

/// Seconds for `iters` runs of `op`.
fn time(iters: usize, mut op: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..iters {
        op();
    }
    t.elapsed().as_secs_f64()
}

#[test]
#[ignore]
fn throughput_vs_bare_quick_xml() {
    let messages = [
        ("inform-21", inform()),
        ("spv-50", set_parameter_values(50)),
        ("fault-3", fault()),
        ("gpv-1000", gpv_response(1_000)),
        ("gpv-10000", gpv_response(10_000)),
        ("gpn-10000", gpn_response(10_000)),
    ];
    let lenient = Decoder::new();
    let strict = Decoder::strict();
    for (name, xml) in &messages {
        let input = xml.as_bytes();
        let decoded = lenient.decode(input).unwrap();
        assert!(
            decoded.warnings.is_empty(),
            "{name}: {:?}",
            decoded.warnings
        );
        strict.decode(input).unwrap();
        assert!(bare_loop(input) > 0);
        // Rounds of about 5 ms each.
        let once = time(1, || {
            std::hint::black_box(bare_loop(std::hint::black_box(input)));
        });
        let iters = ((0.005 / once.max(1e-7)) as usize).clamp(1, 100_000);
        let (mut bare, mut ours, mut ours_strict) = (f64::MAX, f64::MAX, f64::MAX);
        for _ in 0..20 {
            bare = bare.min(time(iters, || {
                std::hint::black_box(bare_loop(std::hint::black_box(input)));
            }));
            ours = ours.min(time(iters, || {
                std::hint::black_box(lenient.decode(std::hint::black_box(input)).unwrap());
            }));
            ours_strict = ours_strict.min(time(iters, || {
                std::hint::black_box(strict.decode(std::hint::black_box(input)).unwrap());
            }));
        }
        let mbps = |secs: f64| (input.len() * iters) as f64 / secs / 1e6;
        eprintln!(
            "{name:>10} {:>8} bytes: bare quick-xml Reader {:5.0} MB/s, lenient {:5.0} MB/s ({:.2}x), strict {:5.0} MB/s ({:.2}x)",
            input.len(),
            mbps(bare),
            mbps(ours),
            bare / ours,
            mbps(ours_strict),
            bare / ours_strict,
        );
    }
}
