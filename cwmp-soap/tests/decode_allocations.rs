//! The allocation count of a decode does not grow with the number of parameters.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

//!
//! Counting is done by `stats_alloc` (the workspace forbids `unsafe`, which a hand-written
//! `GlobalAlloc` needs).

use std::alloc::System;

use cwmp_core::Body;
use cwmp_soap::decode::Decoder;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn gpv_response(n: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">
<soap:Header><cwmp:ID soap:mustUnderstand="1">gpv-1</cwmp:ID></soap:Header>
<soap:Body><cwmp:GetParameterValuesResponse>
"#,
    );
    s.push_str(&format!(
        "<ParameterList soapenc:arrayType=\"cwmp:ParameterValueStruct[{n}]\">\n"
    ));
    for i in 0..n {
        let (ty, v) = match i % 3 {
            0 => ("xsd:string", format!("value {i}")),
            1 => ("xsd:unsignedInt", i.to_string()),
            _ => ("xsd:boolean", "true".to_string()),
        };
        s.push_str(&format!(
            "  <ParameterValueStruct><Name>Device.Test.Object.{i}.Param</Name><Value xsi:type=\"{ty}\">{v}</Value></ParameterValueStruct>\n"
        ));
    }
    s.push_str(
        "</ParameterList>\n</cwmp:GetParameterValuesResponse></soap:Body></soap:Envelope>\n",
    );
    s
}

fn count(input: &[u8], n: usize) -> usize {
    let decoder = Decoder::new();
    let region = Region::new(GLOBAL);
    let decoded = decoder.decode(input).unwrap();
    let stats = region.change();
    let Body::GetParameterValuesResponse(r) = &decoded.envelope.body else {
        panic!()
    };
    assert_eq!(r.parameters.len(), n);
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    assert!(
        r.parameters
            .iter()
            .all(|p| matches!(p.name, std::borrow::Cow::Borrowed(_))
                && matches!(p.value.text, std::borrow::Cow::Borrowed(_)))
    );
    stats.allocations + stats.reallocations
}

#[test]
fn allocations_do_not_grow_with_parameters() {
    let small = gpv_response(1_000);
    let large = gpv_response(10_000);
    let a = count(small.as_bytes(), 1_000);
    let b = count(large.as_bytes(), 10_000);
    eprintln!("allocations: 1,000 parameters: {a}; 10,000 parameters: {b}");
    assert!(b < 64, "{b} allocations for 10,000 parameters");
    // Only the doubling of the parameter vector may add allocations (log2(10) ≈ 3.3).
    assert!(b <= a + 5, "1,000: {a}, 10,000: {b}");
}
