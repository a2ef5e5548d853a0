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

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/datamodels/tr-181-2-17-0-cwmp-full.xml"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(&path).expect("model file");
    if let Some(n) = std::env::var("LOAD_CPU_PROFILE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        for _ in 0..n {
            std::hint::black_box(Schema::from_str("model.xml", &text, &NoImports).expect("loads"));
        }
        return;
    }
    if let Some(n) = std::env::var("LOAD_CPU_BARE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        for _ in 0..n {
            let mut r = Reader::from_str(&text);
            while let Ok(e) = r.read_event() {
                if matches!(e, Event::Eof) {
                    break;
                }
                drop(std::hint::black_box(e));
            }
        }
        return;
    }
    let rounds = 20;
    let (mut bare, mut ours) = (0u64, 0u64);
    for _ in 0..rounds {
        let t = cpu_ticks();
        for _ in 0..5 {
            let mut r = Reader::from_str(&text);
            loop {
                match r.read_event() {
                    Ok(Event::Eof) | Err(_) => break,
                    Ok(e) => drop(std::hint::black_box(e)),
                }
            }
        }
        bare += cpu_ticks() - t;
        let t = cpu_ticks();
        for _ in 0..5 {
            std::hint::black_box(Schema::from_str("model.xml", &text, &NoImports).expect("loads"));
        }
        ours += cpu_ticks() - t;
    }
    println!(
        "CPU ticks: bare loop {bare}, Schema::from_str {ours}: ratio (ours speed / bare speed) {:.2}",
        bare as f64 / ours as f64
    );
}
