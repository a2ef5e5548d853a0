//! `Schema::lookup` of instance paths versus a `HashMap<String, _>` get of the same strings.
//!
//! `cargo run --release -p cwmp-datamodel --example lookup_speed [FILE]` (default: TR-181 2.17
//! full from the shared corpus). Interleaved rounds, best of each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use cwmp_datamodel::{NoImports, Schema};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/datamodels/tr-181-2-17-0-cwmp-full.xml"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(&path).expect("model file");
    let s = Schema::from_str("model.xml", &text, &NoImports).expect("loads");
    // every parameter, its instance segments numbered 1, 2, 3...
    let names: Vec<String> = s
        .parameters()
        .enumerate()
        .map(|(i, p)| {
            let mut n = 0;
            p.path
                .as_str()
                .split("{i}")
                .fold(String::new(), |mut acc, part| {
                    if n > 0 {
                        acc.push_str(&((i + n) % 7 + 1).to_string());
                    }
                    n += 1;
                    acc.push_str(part);
                    acc
                })
        })
        .collect();
    assert!(names.iter().all(|n| s.lookup(n).is_ok()));
    let map: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let (mut ours, mut hm) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        for n in &names {
            black_box(s.lookup(black_box(n)).is_ok());
        }
        ours = ours.min(t.elapsed());
        let t = Instant::now();
        for n in &names {
            black_box(map.get(black_box(n.as_str())));
        }
        hm = hm.min(t.elapsed());
    }
    let per = |d: Duration| d.as_secs_f64() * 1e9 / names.len() as f64;
    println!(
        "{} paths: Schema::lookup {:.1} ns, HashMap<String,_>::get {:.1} ns, ratio {:.2}x",
        names.len(),
        per(ours),
        per(hm),
        per(ours) / per(hm)
    );
}
