//! Decode throughput on the same bytes: cwmp-soap (lenient, strict), quick-xml's bare `Reader`
//! loop and `NsReader` loop, and the `cwmp` crate 0.2.2.
//!
//! `cargo bench -p cwmp-benches --bench decode`

use std::hint::black_box;
use std::sync::LazyLock;

use cwmp_benches::{messages, peer, qx, wire};
use cwmp_soap::Decoder;
use divan::Bencher;
use divan::counter::BytesCount;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

const NAMES: &[&str] = &[
    "inform-20",
    "spv-50",
    "fault-3",
    "gpv-1000",
    "gpv-10000",
    "gpn-10000",
];

static WIRE: LazyLock<Vec<(&'static str, Vec<u8>)>> = LazyLock::new(|| {
    messages::all()
        .into_iter()
        .map(|g| (g.name, wire::encode(&g.envelope)))
        .collect()
});

fn bytes(name: &str) -> &'static [u8] {
    WIRE.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_default()
}

fn run<T>(bencher: Bencher, name: &str, op: impl Fn(&'static [u8]) -> T + Sync) {
    let input = bytes(name);
    bencher
        .counter(BytesCount::new(input.len()))
        .bench(|| op(black_box(input)));
}

#[divan::bench(args = NAMES)]
fn cwmp_soap_lenient(bencher: Bencher, name: &str) {
    let decoder = Decoder::new();
    run(bencher, name, |b| decoder.decode(b).is_ok());
}

#[divan::bench(args = NAMES)]
fn cwmp_soap_strict(bencher: Bencher, name: &str) {
    let decoder = Decoder::strict();
    run(bencher, name, |b| decoder.decode(b).is_ok());
}

#[divan::bench(args = NAMES)]
fn quick_xml_reader_loop(bencher: Bencher, name: &str) {
    run(bencher, name, qx::bare_loop);
}

#[divan::bench(args = NAMES)]
fn quick_xml_ns_reader_loop(bencher: Bencher, name: &str) {
    run(bencher, name, qx::ns_loop);
}

#[divan::bench(args = NAMES, sample_count = 20)]
fn cwmp_0_2_2_parse(bencher: Bencher, name: &str) {
    run(bencher, name, |b| peer::parse(b).is_ok());
}

fn main() {
    divan::main();
}
