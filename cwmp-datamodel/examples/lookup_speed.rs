//! `Schema::lookup` of instance paths versus a `HashMap<String, _>` get of the same strings.
//!
//! `cargo run --release -p cwmp-datamodel --example lookup_speed [FILE]` (default: TR-181 2.17
//! full from the shared corpus). Interleaved rounds, best of each.
//!
//! Five cases: every parameter once with small instance numbers; every parameter once with
//! a first instance number in the hundreds; a GetParameterValues-like list of about 10,000
//! names over a few tables with growing instance numbers (the shape of the project report's
//! workload: few definitions, many distinct names); every parameter with its first instance
//! an `[alias]`; and every parameter's definition path (with `{i}`).
//!
//! `ONLY=ours` or `ONLY=map` runs just one side (for `valgrind --tool=callgrind`, whose
//! per-function counts then give the instructions of one lookup); `CASE=1` to `CASE=5` one case.
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
    // every parameter, its instance segments numbered 1 to 7; then again with the first
    // instance number of each name in the hundreds, as in a large table
    let small = names(&s, |i, n| (i + n) % 7 + 1);
    let large = names(&s, |i, n| {
        if n == 1 {
            (i * 37) % 400 + 1
        } else {
            (i + n) % 4 + 1
        }
    });
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let rows = table_rows(&s, 10_000);
    // the first instance of each name as an alias, and the definition paths themselves
    let aliases: Vec<String> = names(&s, |i, _| i % 7 + 1)
        .into_iter()
        .zip(s.parameters())
        .map(|(n, p)| match p.path.as_str().split_once("{i}") {
            Some((head, _)) => format!("{head}[a{}]{}", n.len(), &n[head.len() + 1..]),
            None => n,
        })
        .collect();
    assert!(aliases.iter().all(|n| s.lookup(n).is_ok()));
    let definitions: Vec<String> = s.parameters().map(|p| p.path.to_string()).collect();
    let only = std::env::var("ONLY").ok();
    let case = std::env::var("CASE").ok();
    for (i, (what, names)) in [
        ("numbers 1-7", small),
        ("numbers to 400", large),
        ("table rows", rows),
        ("first instance an alias", aliases),
        ("definition paths", definitions),
    ]
    .into_iter()
    .enumerate()
    {
        if case.as_deref().is_some_and(|c| c != (i + 1).to_string()) {
            continue;
        }
        match only.as_deref() {
            Some("ours") => run_ours(&s, &names, rounds),
            Some("map") => {
                let map: HashMap<String, usize> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.clone(), i))
                    .collect();
                run_map(&map, &names, rounds);
            }
            _ => compare(&s, what, &names, rounds),
        }
    }
}

/// About `count` names of a few TR-181 tables (the leaves the project report generates),
/// row after row with growing instance numbers; only the names the model defines.
fn table_rows(s: &Schema, count: usize) -> Vec<String> {
    const TABLES: &[(&str, &[&str])] = &[
        (
            "Device.Hosts.Host.{i}.",
            &[
                "PhysAddress",
                "IPAddress",
                "AddressSource",
                "DHCPClient",
                "LeaseTimeRemaining",
                "Layer1Interface",
                "HostName",
                "Active",
                "ActiveLastChange",
            ],
        ),
        (
            "Device.IP.Interface.{i}.",
            &[
                "Enable",
                "Status",
                "Name",
                "LastChange",
                "LowerLayers",
                "MaxMTUSize",
                "Stats.BytesSent",
                "Stats.BytesReceived",
                "Stats.PacketsSent",
                "Stats.PacketsReceived",
                "Stats.ErrorsSent",
            ],
        ),
        (
            "Device.WiFi.SSID.{i}.",
            &[
                "Enable",
                "Status",
                "SSID",
                "BSSID",
                "MACAddress",
                "LowerLayers",
                "Stats.BytesSent",
                "Stats.ErrorsReceived",
            ],
        ),
        (
            "Device.WiFi.AccessPoint.{i}.AssociatedDevice.{i}.",
            &[
                "MACAddress",
                "AuthenticationState",
                "OperatingStandard",
                "LastDataDownlinkRate",
                "SignalStrength",
                "Retransmissions",
            ],
        ),
        (
            "Device.Ethernet.Interface.{i}.",
            &[
                "Enable",
                "Status",
                "MaxBitRate",
                "CurrentBitRate",
                "DuplexMode",
                "MACAddress",
            ],
        ),
        (
            "Device.NAT.PortMapping.{i}.",
            &[
                "Enable",
                "Description",
                "ExternalPort",
                "InternalPort",
                "Protocol",
                "InternalClient",
                "LeaseDuration",
            ],
        ),
        (
            "Device.DeviceInfo.ProcessStatus.Process.{i}.",
            &["PID", "Command", "Size", "Priority", "CPUTime", "State"],
        ),
        (
            "Device.Security.Certificate.{i}.",
            &["Enable", "SerialNumber", "Issuer", "NotBefore", "NotAfter"],
        ),
    ];
    let mut out = Vec::with_capacity(count);
    let mut row = 1usize;
    while out.len() < count {
        for (t, (object, leaves)) in TABLES.iter().enumerate() {
            let object = object
                .replacen("{i}", &row.to_string(), 1)
                .replace("{i}", &((row + t) % 4 + 1).to_string());
            for leaf in *leaves {
                if out.len() < count {
                    out.push(format!("{object}{leaf}"));
                }
            }
        }
        row += 1;
    }
    out.retain(|n| s.lookup(n).is_ok());
    out
}

#[inline(never)]
fn run_ours(s: &Schema, names: &[String], rounds: usize) {
    for _ in 0..rounds {
        for n in names {
            black_box(s.lookup(black_box(n)).is_ok());
        }
    }
}

#[inline(never)]
fn run_map(map: &HashMap<String, usize>, names: &[String], rounds: usize) {
    for _ in 0..rounds {
        for n in names {
            black_box(map.get(black_box(n.as_str())));
        }
    }
}

/// Every parameter of `s`, the `n`-th instance segment of the `i`-th numbered `number(i, n)`.
fn names(s: &Schema, number: impl Fn(usize, usize) -> usize) -> Vec<String> {
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
                        acc.push_str(&number(i, n).to_string());
                    }
                    n += 1;
                    acc.push_str(part);
                    acc
                })
        })
        .collect();
    assert!(names.iter().all(|n| s.lookup(n).is_ok()));
    names
}

/// Times `Schema::lookup` and a `HashMap<String, _>` get of `names` in alternating rounds.
fn compare(s: &Schema, what: &str, names: &[String], rounds: usize) {
    let map: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    let (mut ours, mut hm) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        for n in names {
            black_box(s.lookup(black_box(n)).is_ok());
        }
        ours = ours.min(t.elapsed());
        let t = Instant::now();
        for n in names {
            black_box(map.get(black_box(n.as_str())));
        }
        hm = hm.min(t.elapsed());
    }
    let per = |d: Duration| d.as_secs_f64() * 1e9 / names.len() as f64;
    println!(
        "{what}: {} paths: Schema::lookup {:.1} ns, HashMap<String,_>::get {:.1} ns, ratio {:.2}x",
        names.len(),
        per(ours),
        per(hm),
        per(ours) / per(hm)
    );
}
