//! A quick look at the decode of the report's messages, ours against quick-xml's bare loop in
//! alternating rounds (so that both see the same load), and a loop for instruction profiles.
//!
//! `cargo run --release -p cwmp-benches --bin decode_small [-- time [NAME|FILE...]]`: ratios.
//! `... --bin decode_small -- loop NAME lenient|strict|bare N`: decodes NAME N times (for
//! `valgrind --tool=callgrind`, whose instruction counts are steadier than time).

use std::hint::black_box;
use std::time::Instant;

use cwmp_benches::{messages, qx, wire};
use cwmp_soap::Decoder;

/// Seconds per call of `op` over `iters` calls.
fn best(iters: u32, op: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        op();
    }
    start.elapsed().as_secs_f64() / f64::from(iters)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let generated = messages::all();
    let inputs: Vec<(&str, Vec<u8>)> = generated
        .iter()
        .map(|g| (g.name, wire::encode(&g.envelope)))
        .collect();
    let lenient = Decoder::new();
    let strict = Decoder::strict();
    match args.first().map(String::as_str) {
        Some("dump") => {
            let name = args.get(1).map_or("inform-20", String::as_str);
            if let Some((_, bytes)) = inputs.iter().find(|(n, _)| *n == name) {
                println!("{}", String::from_utf8_lossy(bytes));
            }
        }
        Some("loop") => {
            let name = args.get(1).map_or("inform-20", String::as_str);
            let mode = args.get(2).map_or("lenient", String::as_str);
            let n: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000);
            let file = std::fs::read(name).ok();
            let Some(bytes) = file
                .as_ref()
                .or_else(|| inputs.iter().find(|(n, _)| *n == name).map(|(_, b)| b))
            else {
                eprintln!("no message or file {name}");
                return;
            };
            for _ in 0..n {
                match mode {
                    "strict" => drop(black_box(strict.decode(black_box(bytes)).ok())),
                    "bare" => drop(black_box(qx::bare_loop(black_box(bytes)).ok())),
                    _ => drop(black_box(lenient.decode(black_box(bytes)).ok())),
                }
            }
        }
        _ => {
            let wanted: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
            // Files named on the command line are timed too (variants of a message).
            let files: Vec<(&str, Vec<u8>)> = wanted
                .iter()
                .filter_map(|w| std::fs::read(w).ok().map(|b| (*w, b)))
                .collect();
            for (name, bytes) in inputs.iter().chain(&files) {
                if !wanted.is_empty() && !wanted.contains(name) {
                    continue;
                }
                let bytes = bytes.as_slice();
                let iters = (20_000_000 / bytes.len()).clamp(3, 20_000) as u32;
                let (mut l, mut s, mut b) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
                for _ in 0..15 {
                    l = l.min(best(iters, &mut || {
                        black_box(lenient.decode(black_box(bytes)).ok());
                    }));
                    s = s.min(best(iters, &mut || {
                        black_box(strict.decode(black_box(bytes)).ok());
                    }));
                    b = b.min(best(iters, &mut || {
                        black_box(qx::bare_loop(black_box(bytes)).ok());
                    }));
                }
                println!(
                    "{name:>10}: lenient {:>9.2} µs ({:.2}x bare), strict {:>9.2} µs ({:.2}x bare), bare loop {:>9.2} µs",
                    l * 1e6,
                    b / l,
                    s * 1e6,
                    b / s,
                    b * 1e6
                );
            }
        }
    }
}
