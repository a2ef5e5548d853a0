//! Data model and authentication: TR-181 2.17 load vs quick-xml's bare loop over the same file,
//! path lookup vs a `HashMap<String, _>` lookup of the same string, SetParameterValues
//! validation of 50 parameters, and digest verification.
//!
//! `cargo bench -p cwmp-benches --bench datamodel` (needs `../shared/corpus` or
//! `$CWMP_SHARED`; without it the TR-181 benches measure nothing and say so).

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::LazyLock;

use cwmp_auth::Algorithm;
use cwmp_benches::{corpus, messages, qx, wire};
use cwmp_core::Body;
use cwmp_datamodel::{NoImports, Schema};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

const FILE: &str = "tr-181-2-17-0-cwmp-full.xml";

static TEXT: LazyLock<Option<String>> = LazyLock::new(|| {
    let text = corpus::tr181_full().and_then(|f| std::fs::read_to_string(f).ok());
    if text.is_none() {
        eprintln!(
            "TR-181 2.17 not found under {}",
            corpus::shared_dir().display()
        );
    }
    text
});

static SCHEMA: LazyLock<Option<Schema>> =
    LazyLock::new(|| Schema::from_str(FILE, TEXT.as_deref()?, &NoImports).ok());

/// The generated 10,000 names that TR-181 2.17 defines.
static PATHS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let Some(schema) = SCHEMA.as_ref() else {
        return Vec::new();
    };
    match messages::get_parameter_values_response(10_000).body {
        Body::GetParameterValuesResponse(m) => m
            .parameters
            .into_iter()
            .map(|p| p.name.into_owned())
            .filter(|n| schema.lookup(n).is_ok())
            .collect(),
        _ => Vec::new(),
    }
});

#[divan::bench(sample_count = 10)]
fn tr181_load_schema(bencher: Bencher) {
    let Some(text) = TEXT.as_deref() else { return };
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| Schema::from_str(FILE, black_box(text), &NoImports).is_ok());
}

#[divan::bench(sample_count = 10)]
fn tr181_quick_xml_reader_loop(bencher: Bencher) {
    let Some(text) = TEXT.as_deref() else { return };
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| qx::bare_loop(black_box(text.as_bytes())).is_ok());
}

#[divan::bench]
fn lookup_schema(bencher: Bencher) {
    let Some(schema) = SCHEMA.as_ref() else {
        return;
    };
    let paths = &*PATHS;
    bencher.counter(ItemsCount::new(paths.len())).bench(|| {
        for p in paths {
            black_box(schema.lookup(black_box(p)).is_ok());
        }
    });
}

#[divan::bench]
fn lookup_hashmap(bencher: Bencher) {
    let paths = &*PATHS;
    let map: HashMap<String, usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), i))
        .collect();
    bencher.counter(ItemsCount::new(paths.len())).bench(|| {
        for p in paths {
            black_box(map.get(black_box(p.as_str())));
        }
    });
}

#[divan::bench]
fn validate_spv_50(bencher: Bencher) {
    let Some(schema) = SCHEMA.as_ref() else {
        return;
    };
    let Body::SetParameterValues(spv) = messages::set_parameter_values(50).body else {
        return;
    };
    let params = spv.parameters.as_slice();
    bencher
        .counter(ItemsCount::new(params.len()))
        .bench(|| schema.check_parameter_values(black_box(params)).is_ok());
}

#[divan::bench(args = ["MD5", "SHA-256"], sample_count = 20)]
fn digest_verify_1000(bencher: Bencher, algorithm: &str) {
    let algorithm = if algorithm == "MD5" {
        Algorithm::Md5
    } else {
        Algorithm::Sha256
    };
    let Ok(fixture) = wire::digest_requests(algorithm, 1_000) else {
        return;
    };
    bencher
        .counter(ItemsCount::new(fixture.len()))
        .bench(|| fixture.verify_all());
}

fn main() {
    divan::main();
}
