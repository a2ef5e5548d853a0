//! Load time of a data-model file versus quick-xml's bare `Reader` loop over the same bytes.
//!
//! `cargo run --release -p cwmp-datamodel --example load_speed [FILE]` (default: TR-181 2.17
//! full from the shared corpus).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use cwmp_datamodel::{NoImports, Schema};
use quick_xml::Reader;
use quick_xml::events::Event;

fn best<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Best time of `runs` calls of `f`; the value produced is dropped outside the timed region.
fn best_keep<T, F: FnMut() -> T>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let v = f();
            let d = t.elapsed();
            drop(v);
            d
        })
        .min()
        .unwrap_or_default()
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
    let mb = text.len() as f64 / 1e6;
    if std::env::var_os("BARE_ONLY").is_some() {
        for _ in 0..20 {
            let mut r = Reader::from_str(&text);
            loop {
                match r.read_event() {
                    Ok(Event::Eof) | Err(_) => break,
                    Ok(e) => drop(std::hint::black_box(e)),
                }
            }
        }
        return;
    }
    if std::env::var_os("FULL_ONLY").is_some() {
        for _ in 0..20 {
            std::hint::black_box(Schema::from_str("model.xml", &text, &NoImports).expect("loads"));
        }
        return;
    }
    if std::env::var_os("PARSE_ONLY").is_some() {
        for _ in 0..20 {
            let mut b = cwmp_datamodel::SchemaBuilder::new();
            b.add_document("model.xml", &text, &NoImports)
                .expect("parses");
            std::hint::black_box(&b);
        }
        return;
    }
    if std::env::var_os("BUILD_ONLY").is_some() {
        let mut b = cwmp_datamodel::SchemaBuilder::new();
        b.add_document("model.xml", &text, &NoImports)
            .expect("parses");
        for _ in 0..20 {
            std::hint::black_box(b.build().expect("builds"));
        }
        return;
    }
    let bare = best(10, || {
        let mut r = Reader::from_str(&text);
        let mut n = 0usize;
        loop {
            match r.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => n += 1,
            }
        }
        std::hint::black_box(n);
    });
    let mut defs = 0;
    let ours = best_keep(10, || {
        let s = Schema::from_str("model.xml", &text, &NoImports).expect("loads");
        defs = s.len();
        s
    });
    let parse = best(10, || {
        let mut b = cwmp_datamodel::SchemaBuilder::new();
        b.add_document("model.xml", &text, &NoImports)
            .expect("parses");
        std::hint::black_box(&b);
    });
    println!("{path}: {mb:.2} MB, {defs} definitions");
    println!("of which parsing the document (without assembly): {parse:?}");
    println!(
        "quick-xml bare Reader loop: {bare:?} ({:.0} MB/s)",
        mb / bare.as_secs_f64()
    );
    println!(
        "Schema::from_str:          {ours:?} ({:.0} MB/s)",
        mb / ours.as_secs_f64()
    );
    println!(
        "throughput ratio (ours / bare): {:.2}",
        bare.as_secs_f64() / ours.as_secs_f64()
    );

    if std::env::var_os("LOAD_ONLY").is_some() {
        return;
    }
    let s = Schema::from_str("model.xml", &text, &NoImports).expect("loads");
    let paths = [
        "Device.IP.Interface.3.Name",
        "Device.ManagementServer.URL",
        "Device.WiFi.AccessPoint.[ap1].Security.KeyPassphrase",
    ];
    let n = 1_000_000;
    let t = Instant::now();
    for i in 0..n {
        std::hint::black_box(s.get(paths[i % 3]));
    }
    let per = t.elapsed() / n as u32;
    let map: std::collections::HashMap<String, usize> = s
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path().to_string(), i))
        .collect();
    let keys = [
        "Device.IP.Interface.{i}.Name",
        "Device.ManagementServer.URL",
        "Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase",
    ];
    let t = Instant::now();
    for i in 0..n {
        std::hint::black_box(map.get(keys[i % 3]));
    }
    let per_map = t.elapsed() / n as u32;
    println!(
        "lookup of an instance path: {per:?}; HashMap<String,_> get of the definition key: {per_map:?}"
    );
}
