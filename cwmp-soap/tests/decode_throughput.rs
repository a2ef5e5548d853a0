//! A quick speed check, run by hand:
//! `cargo test -p cwmp-soap --release --test decode_throughput -- --ignored --nocapture`.
//! Typed decode vs quick-xml's bare `Reader` event loop over the same bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use cwmp_soap::decode::Decoder;
use quick_xml::Reader;
use quick_xml::events::Event;

fn gpv_response(n: usize) -> String {
    let mut s = String::from(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap:Header><cwmp:ID soap:mustUnderstand="1">1</cwmp:ID></soap:Header><soap:Body><cwmp:GetParameterValuesResponse>"#,
    );
    s.push_str(&format!(
        "<ParameterList soapenc:arrayType=\"cwmp:ParameterValueStruct[{n}]\">\n"
    ));
    for i in 0..n {
        let (ty, v) = match i % 3 {
            0 => ("xsd:string", format!("some value {i}")),
            1 => ("xsd:unsignedInt", i.to_string()),
            _ => ("xsd:boolean", "true".to_string()),
        };
        s.push_str(&format!(
            "    <ParameterValueStruct>\n      <Name>Device.Services.VoiceService.1.VoiceProfile.{i}.Line.1.Enable</Name>\n      <Value xsi:type=\"{ty}\">{v}</Value>\n    </ParameterValueStruct>\n"
        ));
    }
    s.push_str("</ParameterList></cwmp:GetParameterValuesResponse></soap:Body></soap:Envelope>");
    s
}

fn bare_loop(input: &[u8]) -> usize {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().trim_text(false);
    let mut n = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            _ => n += 1,
        }
    }
    n
}

fn mbps(bytes: usize, iters: usize, secs: f64) -> f64 {
    (bytes * iters) as f64 / secs / 1e6
}

#[test]
#[ignore]
fn throughput_vs_bare_quick_xml() {
    let xml = gpv_response(10_000);
    let input = xml.as_bytes();
    let iters = 50;
    let decoder = Decoder::new();
    for _ in 0..3 {
        assert!(bare_loop(input) > 0);
        assert!(decoder.decode(input).is_ok());
    }
    let mut best_bare = f64::MAX;
    let mut best_typed = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..iters {
            std::hint::black_box(bare_loop(std::hint::black_box(input)));
        }
        best_bare = best_bare.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for _ in 0..iters {
            std::hint::black_box(decoder.decode(std::hint::black_box(input)).unwrap());
        }
        best_typed = best_typed.min(t.elapsed().as_secs_f64());
    }
    let bare = mbps(input.len(), iters, best_bare);
    let typed = mbps(input.len(), iters, best_typed);
    eprintln!(
        "{} bytes: bare quick-xml Reader {bare:.0} MB/s, typed decode {typed:.0} MB/s, ratio {:.2}",
        input.len(),
        typed / bare
    );
}
