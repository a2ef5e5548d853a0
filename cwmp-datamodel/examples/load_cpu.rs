//! CPU time (not wall time) of loading a data-model file versus quick-xml's bare `Reader` loop
//! over the same bytes, alternating the two so that both see the same machine load.
//!
//! `cargo run --release -p cwmp-datamodel --example load_cpu [FILE]` (default: TR-181 2.17
//! full from the shared corpus). Linux only (reads the thread's CPU clock from /proc).
//!
//! With `LOAD_CPU_PROFILE=N` set it only loads the file N times (no bare loop, no timing):
//! a steady workload for `valgrind --tool=callgrind`. `LOAD_CPU_BARE=N` runs only the bare
//! loop N times, the baseline of the same measure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cwmp_datamodel::{NoImports, Schema};
use quick_xml::Reader;
use quick_xml::events::Event;

/// This thread's CPU time in clock ticks (utime + stime of /proc/thread-self/stat).
fn cpu_ticks() -> u64 {
    let s = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = s.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
}

/// One load of `text` (the schema dropped, as a user's would be).
fn load(text: &str) {
    std::hint::black_box(Schema::from_str("model.xml", text, &NoImports).expect("loads"));
}

/// The baseline: quick-xml's `Reader` over `text`, every event read and dropped.
fn bare_loop(text: &str) {
    let mut r = Reader::from_str(text);
    loop {
        match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => drop(std::hint::black_box(e)),
        }
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/datamodels/tr-181-2-17-0-cwmp-full.xml"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(&path).expect("model file");
    let count = |var: &str| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
    };
    if let Some(n) = count("LOAD_CPU_PROFILE") {
        (0..n).for_each(|_| load(&text));
        return;
    }
    if let Some(n) = count("LOAD_CPU_BARE") {
        (0..n).for_each(|_| bare_loop(&text));
        return;
    }
    let rounds = 20;
    let (mut bare, mut ours) = (0u64, 0u64);
    for _ in 0..rounds {
        let t = cpu_ticks();
        (0..5).for_each(|_| bare_loop(&text));
        bare += cpu_ticks() - t;
        let t = cpu_ticks();
        (0..5).for_each(|_| load(&text));
        ours += cpu_ticks() - t;
    }
    println!(
        "CPU ticks: bare loop {bare}, Schema::from_str {ours}: ratio (ours speed / bare speed) {:.2}",
        bare as f64 / ours as f64
    );
}
