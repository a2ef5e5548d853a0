//! The allocation count of a decode does not grow with the number of parameters, nor, with an
//! arena (`decode_in`), with the number of values that need unescaping.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

//!
//! Counting is done by `stats_alloc` (the workspace forbids `unsafe`, which a hand-written
//! `GlobalAlloc` needs). The counter sees every thread of the process, so all measurements are
//! made in one test.

use std::alloc::System;

use cwmp_core::Body;
use cwmp_soap::decode::{Arena, Decoder};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn gpv_response(n: usize) -> String {
    gpv_response_escaping(n, 0)
}

/// A response of `n` parameters where every `every`th value (none when 0) holds an entity.
fn gpv_response_escaping(n: usize, every: usize) -> String {
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
            _ if every > 0 && i % every == 0 => ("xsd:string", format!("Tom &amp; Jerry {i}")),
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

/// Every measurement of this binary, one after the other (see the crate docs above).
#[test]
fn allocation_counts() {
    allocations_do_not_grow_with_parameters();
    allocations_with_escaped_values();
}

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

/// Allocations of a lenient decode of `input` (with a fresh arena made inside the count when
/// `arena`), and how many of its values are borrowed.
fn count_escaped(input: &[u8], n: usize, arena: bool) -> (u64, usize) {
    let decoder = Decoder::new();
    let region = Region::new(GLOBAL);
    let (allocs, borrowed) = {
        let a = Arena::new();
        let decoded = if arena {
            decoder.decode_in(&a, input).unwrap()
        } else {
            decoder.decode(input).unwrap()
        };
        let Body::GetParameterValuesResponse(r) = &decoded.envelope.body else {
            panic!()
        };
        assert_eq!(r.parameters.len(), n);
        assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
        let stats = region.change();
        let borrowed = r
            .parameters
            .iter()
            .filter(|p| matches!(p.value.text, std::borrow::Cow::Borrowed(_)))
            .count();
        (stats.allocations + stats.reallocations, borrowed)
    };
    (allocs as u64, borrowed)
}

fn allocations_with_escaped_values() {
    // 1 % and 2 % of 10,000 values hold `&amp;`.
    let one = gpv_response_escaping(10_000, 100);
    let two = gpv_response_escaping(10_000, 50);
    let plain = gpv_response(10_000);
    let (base, _) = count_escaped(plain.as_bytes(), 10_000, false);
    let (owned_one, borrowed) = count_escaped(one.as_bytes(), 10_000, false);
    // Without an arena, each escaped value is a String of its own.
    assert_eq!(borrowed, 10_000 - 100);
    assert_eq!(
        owned_one,
        base + 100,
        "plain {base}, 1 % escaped {owned_one}"
    );
    let (arena_one, borrowed) = count_escaped(one.as_bytes(), 10_000, true);
    let (arena_two, _) = count_escaped(two.as_bytes(), 10_000, true);
    eprintln!(
        "allocations, 10,000 parameters: plain {base}; 1 % escaped {owned_one} (arena {arena_one}); 2 % escaped, arena {arena_two}"
    );
    assert_eq!(
        borrowed, 10_000,
        "every value borrows, from the input or the arena"
    );
    assert!(arena_one <= 64, "{arena_one}");
    // The arena's blocks (doubling) and the scratch buffer: a handful, not one per value.
    assert!(arena_one <= base + 8, "plain {base}, arena {arena_one}");
    assert_eq!(
        arena_two, arena_one,
        "twice the escaped values, the same allocations"
    );
}
