//! Encode throughput from the same model: cwmp-soap, a quick-xml `Writer` building the same
//! document, and the `cwmp` crate 0.2.2's generate of the same data.
//!
//! `cargo bench -p cwmp-benches --bench encode`

use std::hint::black_box;
use std::sync::LazyLock;

use cwmp_benches::messages::{self, Generated};
use cwmp_benches::{peer, qx, wire};
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

static GENERATED: LazyLock<Vec<Generated>> = LazyLock::new(messages::all);

fn message(name: &str) -> &'static Generated {
    GENERATED
        .iter()
        .find(|g| g.name == name)
        .or_else(|| GENERATED.first())
        .unwrap_or_else(|| unreachable!("the generator makes messages"))
}

#[divan::bench(args = NAMES)]
fn cwmp_soap_encode(bencher: Bencher, name: &str) {
    let g = message(name);
    let options = wire::options();
    let len = options.to_vec(&g.envelope).len();
    bencher
        .counter(BytesCount::new(len))
        .with_inputs(|| Vec::with_capacity(len))
        .bench_local_refs(|out| options.encode(black_box(&g.envelope), out));
}

#[divan::bench(args = NAMES)]
fn quick_xml_writer(bencher: Bencher, name: &str) {
    let g = message(name);
    let mut probe = Vec::new();
    let _ = qx::write_envelope(&g.envelope, &mut probe);
    let len = probe.len();
    bencher
        .counter(BytesCount::new(len))
        .with_inputs(|| Vec::with_capacity(len))
        .bench_local_refs(|out| qx::write_envelope(black_box(&g.envelope), out).is_ok());
}

#[divan::bench(args = NAMES, sample_count = 20)]
fn cwmp_0_2_2_generate(bencher: Bencher, name: &str) {
    let g = message(name);
    let Ok((value, _)) = peer::convert(&g.envelope) else {
        return;
    };
    let len = peer::generate(&value).map(|s| s.len()).unwrap_or(0);
    bencher
        .counter(BytesCount::new(len))
        .bench(|| peer::generate(black_box(&value)).is_ok());
}

fn main() {
    divan::main();
}
