//! One table of throughput, allocations and ratios: our SOAP decode and encode side by side
//! with quick-xml's bare loop, `NsReader` and `Writer` and with the `cwmp` crate 0.2.2, on the
//! same bytes and data in the same process; data-model load, lookup and validation; digest
//! verification.
//!
//! `cargo run --release -p cwmp-benches --bin report [-- --quick] [--readme README.md]`
//!
//! With `--readme FILE` the report (dated, with the load average) also replaces what stands
//! between the `<!-- report:begin -->` and `<!-- report:end -->` markers of FILE: the README's
//! performance section is regenerated from the run, never typed in by hand.
//!
//! Figures are reported, not asserted: a missed target prints `MISS` and the exit code stays 0.
//! A failed correctness check (our decode of a generated message differs from the model it was
//! generated from) exits with 1, since the figures would then measure the wrong thing.

use std::alloc::System;
use std::collections::HashMap;
use std::hint::black_box;
use std::process::ExitCode;

use cwmp_benches::measure::{Budget, batch, mb_per_s, seconds_per_iter, seconds_per_iter_each};
use cwmp_benches::messages::{self, Generated};
use cwmp_benches::{corpus, peer, qx, wire};
use cwmp_core::{Body, Envelope};
use cwmp_soap::Decoder;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocator calls (allocations plus reallocations) made by one run of `op`.
fn allocs<T>(op: impl FnOnce() -> T) -> u64 {
    let region = Region::new(GLOBAL);
    let out = op();
    let stats = region.change();
    drop(black_box(out));
    (stats.allocations + stats.reallocations) as u64
}

/// How a row's throughput is expressed.
#[derive(Clone, Copy)]
enum Unit {
    /// Bytes per operation: MB/s.
    Bytes(usize),
    /// Named items per operation: items/s.
    Items(usize, &'static str),
}

struct Row {
    workload: &'static str,
    input: String,
    imp: &'static str,
    unit: Unit,
    secs: f64,
    allocs: Option<u64>,
    /// `(label, factor)`: how many times faster ours is than this row (or, for lookups, how
    /// many times slower).
    ratio: Option<(String, f64)>,
}

fn throughput(unit: Unit, secs: f64) -> String {
    match unit {
        Unit::Bytes(n) => format!("{:.1} MB/s", mb_per_s(n, secs)),
        Unit::Items(n, what) => {
            let per_s = n as f64 / secs;
            if per_s >= 1e6 {
                format!("{:.2} M {what}/s", per_s / 1e6)
            } else if per_s >= 1e3 {
                format!("{:.1} k {what}/s", per_s / 1e3)
            } else {
                format!("{per_s:.1} {what}/s")
            }
        }
    }
}

fn duration(secs: f64) -> String {
    if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else if secs >= 1e-6 {
        format!("{:.2} µs", secs * 1e6)
    } else {
        format!("{:.1} ns", secs * 1e9)
    }
}

struct Report {
    budget: Budget,
    rows: Vec<Row>,
    targets: Vec<(bool, String)>,
    checks_failed: Vec<String>,
    notes: Vec<String>,
}

impl Report {
    fn time(&self, op: impl FnMut()) -> f64 {
        seconds_per_iter(self.budget, op)
    }

    fn row(
        &mut self,
        workload: &'static str,
        input: &str,
        imp: &'static str,
        unit: Unit,
        secs: f64,
        allocs: Option<u64>,
    ) {
        self.rows.push(Row {
            workload,
            input: input.to_owned(),
            imp,
            unit,
            secs,
            allocs,
            ratio: None,
        });
    }

    /// Sets the ratio of the last row: ours is `ours_secs` where this row took its time.
    fn ratio_faster(&mut self, ours_secs: f64) -> f64 {
        let Some(last) = self.rows.last_mut() else {
            return 0.0;
        };
        let factor = last.secs / ours_secs;
        last.ratio = Some(("ours is".to_owned(), factor));
        factor
    }

    fn target(&mut self, met: bool, text: String) {
        self.targets.push((met, text));
    }

    fn check(&mut self, ok: bool, what: String) {
        if !ok {
            self.checks_failed.push(what);
        }
    }
}

/// The first difference between two models, for check failures.
fn first_difference(a: &Envelope<'_>, b: &Envelope<'_>) -> String {
    fn params(e: &Envelope<'_>) -> Option<Vec<String>> {
        match &e.body {
            Body::GetParameterValuesResponse(m) => {
                Some(m.parameters.iter().map(|p| format!("{p:?}")).collect())
            }
            Body::SetParameterValues(m) => {
                Some(m.parameters.iter().map(|p| format!("{p:?}")).collect())
            }
            Body::Inform(m) => Some(m.parameters.iter().map(|p| format!("{p:?}")).collect()),
            Body::GetParameterNamesResponse(m) => {
                Some(m.parameters.iter().map(|p| format!("{p:?}")).collect())
            }
            _ => None,
        }
    }
    if a.header != b.header {
        return format!("header {:?} != {:?}", a.header, b.header);
    }
    if let (Some(pa), Some(pb)) = (params(a), params(b)) {
        if pa.len() != pb.len() {
            return format!("{} parameters != {}", pa.len(), pb.len());
        }
        if let Some((x, y)) = pa.iter().zip(&pb).find(|(x, y)| x != y) {
            return format!("{x} != {y}");
        }
    }
    let (da, db) = (format!("{:?}", a.body), format!("{:?}", b.body));
    let at = da
        .bytes()
        .zip(db.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(da.len().min(db.len()));
    let from = at.saturating_sub(60);
    format!(
        "…{} != …{}",
        da.get(from..(at + 60).min(da.len())).unwrap_or(""),
        db.get(from..(at + 60).min(db.len())).unwrap_or("")
    )
}

struct Input {
    name: String,
    bytes: Vec<u8>,
    model: Option<Generated>,
}

fn decode_section(r: &mut Report, inputs: &[Input]) {
    let lenient = Decoder::new();
    let strict = Decoder::strict();
    for input in inputs {
        let bytes = input.bytes.as_slice();
        let unit = Unit::Bytes(bytes.len());
        let name = input.name.as_str();

        // Ours and the baselines in interleaved rounds (see `seconds_per_iter_each`).
        let mut arena = cwmp_soap::Arena::new();
        let times = seconds_per_iter_each(
            r.budget,
            [
                &mut batch(|| {
                    black_box(lenient.decode(black_box(bytes)).ok());
                }),
                // The same decode with an arena for unescaped text, reset between decodes (how
                // a server would use it).
                &mut batch(|| {
                    arena.reset();
                    black_box(lenient.decode_in(&arena, black_box(bytes)).ok());
                }),
                &mut batch(|| {
                    black_box(strict.decode(black_box(bytes)).ok());
                }),
                &mut batch(|| {
                    black_box(qx::bare_loop(black_box(bytes)).ok());
                }),
                &mut batch(|| {
                    black_box(qx::ns_loop(black_box(bytes)).ok());
                }),
                &mut batch(|| {
                    black_box(peer::parse(black_box(bytes)).ok());
                }),
            ],
        );
        let [ours, ours_arena, ours_strict, bare, ns, cwmp] = times;
        let ours_allocs = allocs(|| lenient.decode(bytes).ok());
        r.row(
            "decode",
            name,
            "cwmp-soap lenient",
            unit,
            ours,
            Some(ours_allocs),
        );

        // Counted with a fresh arena (its blocks included).
        let arena_allocs = allocs(|| {
            let arena = cwmp_soap::Arena::new();
            lenient.decode_in(&arena, bytes).is_ok()
        });
        r.row(
            "decode",
            name,
            "cwmp-soap lenient, arena",
            unit,
            ours_arena,
            Some(arena_allocs),
        );

        let strict_allocs = allocs(|| strict.decode(bytes).ok());
        r.row(
            "decode",
            name,
            "cwmp-soap strict",
            unit,
            ours_strict,
            Some(strict_allocs),
        );

        let bare_allocs = allocs(|| qx::bare_loop(bytes).ok());
        r.row(
            "decode",
            name,
            "quick-xml Reader loop",
            unit,
            bare,
            Some(bare_allocs),
        );
        let vs_bare = bare / ours;
        r.rows
            .last_mut()
            .into_iter()
            .for_each(|l| l.ratio = Some(("ours/this speed".to_owned(), vs_bare)));

        let ns_allocs = allocs(|| qx::ns_loop(bytes).ok());
        r.row(
            "decode",
            name,
            "quick-xml NsReader loop",
            unit,
            ns,
            Some(ns_allocs),
        );
        let vs_ns = ns / ours;
        r.rows
            .last_mut()
            .into_iter()
            .for_each(|l| l.ratio = Some(("ours/this speed".to_owned(), vs_ns)));

        let cwmp_allocs = allocs(|| peer::parse(bytes).ok());
        r.row(
            "decode",
            name,
            "cwmp 0.2.2 parse",
            unit,
            cwmp,
            Some(cwmp_allocs),
        );
        let vs_cwmp = r.ratio_faster(ours);

        if let Some(g) = &input.model {
            r.target(
                vs_bare >= 1.0,
                format!(
                    "decode {name}: {vs_bare:.2}x the quick-xml bare loop (target >= 1.0x; strict {:.2}x)",
                    bare / ours_strict
                ),
            );
            r.target(
                ours_strict <= ours * 1.1,
                format!(
                    "decode {name}: strict takes {:.2}x the time of lenient (target <= 1.1x)",
                    ours_strict / ours
                ),
            );
            r.target(
                vs_cwmp >= 10.0,
                format!("decode {name}: {vs_cwmp:.1}x the cwmp crate (target >= 10x)"),
            );
            if g.name == "gpv-10000" {
                let escaped = messages::escaped_values(&g.envelope);
                r.target(
                    arena_allocs <= 64,
                    format!(
                        "decode gpv-10000: {arena_allocs} allocations with an arena, {ours_allocs} without (target <= 64; {escaped} values need unescaping; cwmp crate: {cwmp_allocs}, {:.0} per parameter)",
                        cwmp_allocs as f64 / g.parameters as f64
                    ),
                );
                // The same response without escaped values: what the decode costs when nothing
                // has to be copied (allocations must not grow with the parameter count).
                let plain = wire::encode(&messages::get_parameter_values_response_with(10_000, 0));
                let plain_allocs = allocs(|| lenient.decode(&plain).ok());
                let plain_1k =
                    wire::encode(&messages::get_parameter_values_response_with(1_000, 0));
                let plain_1k_allocs = allocs(|| lenient.decode(&plain_1k).ok());
                r.target(
                    plain_allocs < 64,
                    format!(
                        "decode gpv-10000 without escaped values: {plain_allocs} allocations (1,000 parameters: {plain_1k_allocs}) (target < 64)"
                    ),
                );
            }
        }
    }
}

fn encode_section(r: &mut Report, generated: &[Generated]) {
    let options = wire::options();
    for g in generated {
        let mut out = Vec::with_capacity(1 << 20);
        options.encode(&g.envelope, &mut out);
        let ours_len = out.len();
        let ours = r.time(|| {
            out.clear();
            options.encode(black_box(&g.envelope), &mut out);
            black_box(out.len());
        });
        let ours_allocs = allocs(|| {
            let mut v = Vec::new();
            options.encode(&g.envelope, &mut v);
            v
        });
        r.row(
            "encode",
            g.name,
            "cwmp-soap encode",
            Unit::Bytes(ours_len),
            ours,
            Some(ours_allocs),
        );

        out.clear();
        let qx_ok = qx::write_envelope(&g.envelope, &mut out).is_ok();
        let qx_len = out.len();
        let qxw = r.time(|| {
            out.clear();
            black_box(qx::write_envelope(black_box(&g.envelope), &mut out).is_ok());
        });
        let qx_allocs = allocs(|| {
            let mut v = Vec::new();
            qx::write_envelope(&g.envelope, &mut v).ok();
            v
        });
        r.row(
            "encode",
            g.name,
            "quick-xml Writer",
            Unit::Bytes(qx_len),
            qxw,
            Some(qx_allocs),
        );
        let vs_qx = r.ratio_faster(ours);
        if !qx_ok {
            r.notes
                .push(format!("quick-xml Writer failed on {}", g.name));
        }

        match peer::convert(&g.envelope) {
            Ok((value, inexact)) => {
                let len = peer::generate(&value).map(|s| s.len()).unwrap_or(0);
                let cw = r.time(|| {
                    black_box(peer::generate(black_box(&value)).ok());
                });
                let cw_allocs = allocs(|| peer::generate(&value).ok());
                r.row(
                    "encode",
                    g.name,
                    "cwmp 0.2.2 generate",
                    Unit::Bytes(len),
                    cw,
                    Some(cw_allocs),
                );
                let vs_cwmp = r.ratio_faster(ours);
                if let Some(peer::Inexact(why)) = inexact {
                    r.notes.push(format!("{}: {why}", g.name));
                }
                if g.name == "gpv-10000" {
                    r.target(
                        vs_qx >= 5.0,
                        format!(
                            "encode gpv-10000: {vs_qx:.1}x the quick-xml Writer (target >= 5x)"
                        ),
                    );
                    r.target(
                        vs_cwmp >= 15.0,
                        format!("encode gpv-10000: {vs_cwmp:.1}x cwmp generate (target >= 15x)"),
                    );
                }
            }
            Err(e) => r.notes.push(format!("{}: cwmp crate: {e}", g.name)),
        }
    }
}

/// Every RPC once (generated from the RPC descriptions): encode and decode of the whole set,
/// against the bare quick-xml loop over the same bytes.
fn every_rpc_section(r: &mut Report) {
    // CWMP 1.4, where every header element the generator sets is written.
    let options = cwmp_soap::EncodeOptions::for_version(cwmp_core::CwmpVersion::V1_4);
    let messages = messages::every_rpc();
    let name = format!("every RPC ({} messages)", messages.len());
    let encoded: Vec<Vec<u8>> = messages.iter().map(|(_, e)| options.to_vec(e)).collect();
    let total: usize = encoded.iter().map(Vec::len).sum();
    let decoder = Decoder::new();
    let round_trips = messages
        .iter()
        .zip(&encoded)
        .all(|((_, e), b)| decoder.decode(b).ok().map(|d| d.envelope).as_ref() == Some(e));
    r.check(
        round_trips,
        format!("{name}: every message decodes back to itself"),
    );
    let mut out = Vec::with_capacity(1 << 16);
    let enc = r.time(|| {
        for (_, e) in &messages {
            out.clear();
            options.encode(black_box(e), &mut out);
        }
        black_box(out.len());
    });
    r.row(
        "encode",
        &name,
        "cwmp-soap encode",
        Unit::Bytes(total),
        enc,
        None,
    );
    let dec = r.time(|| {
        for b in &encoded {
            black_box(decoder.decode(black_box(b)).ok());
        }
    });
    let dec_allocs = allocs(|| encoded.iter().filter(|b| decoder.decode(b).is_ok()).count());
    r.row(
        "decode",
        &name,
        "cwmp-soap lenient",
        Unit::Bytes(total),
        dec,
        Some(dec_allocs),
    );
    // The generated text is escape-heavy: with an arena the unescaped text costs no allocation
    // per value.
    let mut arena = cwmp_soap::Arena::new();
    let dec_arena = r.time(|| {
        for b in &encoded {
            arena.reset();
            black_box(decoder.decode_in(&arena, black_box(b)).ok());
        }
    });
    let arena_allocs = allocs(|| {
        let mut arena = cwmp_soap::Arena::new();
        encoded
            .iter()
            .filter(|b| {
                arena.reset();
                decoder.decode_in(&arena, b).is_ok()
            })
            .count()
    });
    r.row(
        "decode",
        &name,
        "cwmp-soap lenient, arena",
        Unit::Bytes(total),
        dec_arena,
        Some(arena_allocs),
    );
    let bare = r.time(|| {
        for b in &encoded {
            black_box(qx::bare_loop(black_box(b)).ok());
        }
    });
    r.row(
        "decode",
        &name,
        "quick-xml Reader loop",
        Unit::Bytes(total),
        bare,
        None,
    );
    let vs_bare = bare / dec;
    let vs_bare_arena = bare / dec_arena;
    r.rows.last_mut().into_iter().for_each(|l| {
        l.ratio = Some((
            format!("ours/this speed (arena {vs_bare_arena:.2}x)"),
            vs_bare,
        ))
    });
}

/// Seconds per call of `a` and of `b`, measured in alternating rounds (best round of each),
/// so that a ratio of the two is not skewed by a change of machine load between them.
fn paired(budget: Budget, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    let one = Budget {
        min_round: budget.min_round,
        rounds: 1,
    };
    let (mut best_a, mut best_b) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..budget.rounds.max(1) {
        best_a = best_a.min(seconds_per_iter(one, &mut a));
        best_b = best_b.min(seconds_per_iter(one, &mut b));
    }
    (best_a, best_b)
}

fn datamodel_section(r: &mut Report, gpv: &Envelope<'_>, spv: &Envelope<'_>) {
    let Some(file) = corpus::tr181_full() else {
        r.notes
            .push("data model: corpus absent, TR-181 rows skipped".to_owned());
        return;
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        r.notes
            .push(format!("data model: cannot read {}", file.display()));
        return;
    };
    let name = "tr-181-2-17-0-cwmp-full.xml";
    let loader = cwmp_datamodel::NoImports;
    let schema = match cwmp_datamodel::Schema::from_str(name, &text, &loader) {
        Ok(s) => s,
        Err(e) => {
            r.check(false, format!("TR-181 2.17 does not load: {e}"));
            return;
        }
    };
    let unit = Unit::Bytes(text.len());
    // alternating rounds: the load and the bare loop see the same machine load
    let (load, bare) = paired(
        r.budget,
        || {
            black_box(cwmp_datamodel::Schema::from_str(name, black_box(&text), &loader).ok());
        },
        || {
            black_box(qx::bare_loop(black_box(text.as_bytes())).ok());
        },
    );
    let load_allocs = allocs(|| cwmp_datamodel::Schema::from_str(name, &text, &loader).ok());
    r.row(
        "dm load",
        name,
        "cwmp-datamodel Schema",
        unit,
        load,
        Some(load_allocs),
    );
    r.row("dm load", name, "quick-xml Reader loop", unit, bare, None);
    let vs_bare = bare / load;
    if let Some(l) = r.rows.last_mut() {
        l.ratio = Some(("ours/this speed".to_owned(), vs_bare));
    }
    r.target(
        vs_bare >= 0.5,
        format!(
            "DM load: {vs_bare:.2}x the quick-xml bare loop (target >= 0.5x; {} definitions)",
            schema.len()
        ),
    );
    r.target(
        load_allocs <= 20_000,
        format!("DM load: {load_allocs} allocations (target <= 20,000)"),
    );

    // Lookup: every parameter name of the 10,000-parameter response that the model defines.
    let names: Vec<&str> = match &gpv.body {
        Body::GetParameterValuesResponse(m) => {
            m.parameters.iter().map(|p| p.name.as_ref()).collect()
        }
        _ => Vec::new(),
    };
    let known: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| schema.lookup(n).is_ok())
        .collect();
    r.notes.push(format!(
        "lookup: {} of {} generated names are TR-181 2.17 parameters (X_ACME_ vendor names are not); the known ones are looked up",
        known.len(),
        names.len()
    ));
    if known.is_empty() {
        r.check(
            false,
            "no generated name resolves in TR-181 2.17".to_owned(),
        );
        return;
    }
    let n = known.len();
    let map: HashMap<String, usize> = known
        .iter()
        .enumerate()
        .map(|(i, k)| ((*k).to_owned(), i))
        .collect();
    // alternating rounds: both lookups see the same machine load
    let (ours, hm) = paired(
        r.budget,
        || {
            for k in &known {
                black_box(schema.lookup(black_box(k)).is_ok());
            }
        },
        || {
            for k in &known {
                black_box(map.get(black_box(*k)));
            }
        },
    );
    let ours_allocs = allocs(|| known.iter().filter(|k| schema.lookup(k).is_ok()).count());
    r.row(
        "dm lookup",
        &format!("{n} paths"),
        "Schema::lookup",
        Unit::Items(n, "lookups"),
        ours,
        Some(ours_allocs),
    );
    r.row(
        "dm lookup",
        &format!("{n} paths"),
        "HashMap<String,_>::get",
        Unit::Items(n, "lookups"),
        hm,
        Some(0),
    );
    let slower = ours / hm;
    if let Some(l) = r.rows.last_mut() {
        l.ratio = Some(("ours is slower by".to_owned(), slower));
    }
    r.target(
        slower <= 1.0,
        format!("path lookup: {slower:.2}x the time of a HashMap<String, _> lookup of the same string, instance numbers normalised on the fly (target <= 1.0x)"),
    );

    if let Body::SetParameterValues(m) = &spv.body {
        let params = m.parameters.as_slice();
        match schema.check_parameter_values(params) {
            Ok(()) => {}
            Err(f) => r.notes.push(format!(
                "SPV validation: {} of {} parameters refused (fault {}): first {:?}",
                f.set_parameter_values_faults.len(),
                params.len(),
                f.code.get(),
                f.set_parameter_values_faults.first().map(|x| (
                    &x.parameter_name,
                    x.code.get(),
                    &x.message
                ))
            )),
        }
        let v = r.time(|| {
            black_box(schema.check_parameter_values(black_box(params)).is_ok());
        });
        let v_allocs = allocs(|| schema.check_parameter_values(params).is_ok());
        r.row(
            "dm validate",
            &format!("spv-{}", params.len()),
            "check_parameter_values",
            Unit::Items(params.len(), "params"),
            v,
            Some(v_allocs),
        );
    }
}

fn digest_section(r: &mut Report) {
    use cwmp_auth::Algorithm;
    for (algorithm, label) in [
        (Algorithm::Md5, "MD5, qop=auth"),
        (Algorithm::Sha256, "SHA-256, qop=auth"),
    ] {
        match wire::digest_requests(algorithm, 1_000) {
            Ok(bench) => {
                let n = bench.len();
                let ok = bench.verify_all();
                r.check(ok == n, format!("digest {label}: {ok} of {n} verified"));
                let secs = r.time(|| {
                    black_box(bench.verify_all());
                });
                let a = allocs(|| bench.verify_all());
                r.row(
                    "digest verify",
                    label,
                    "cwmp-auth DigestServer",
                    Unit::Items(n, "verifies"),
                    secs,
                    Some(a / n as u64),
                );
            }
            Err(e) => r.notes.push(format!("digest {label}: {e}")),
        }
    }
}

/// The report as Markdown: the table, the load line, notes, targets and checks.
fn render(r: &Report, load: &str) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\n| workload | input | implementation | throughput | time/op | allocs/op | ratio |"
    );
    let _ = writeln!(o, "|---|---|---|---:|---:|---:|---|");
    for row in &r.rows {
        let per_op = match row.unit {
            Unit::Bytes(_) => row.secs,
            Unit::Items(n, _) => row.secs / n as f64,
        };
        let allocs = match (row.allocs, row.unit) {
            (Some(a), Unit::Items(n, _)) if row.workload == "dm lookup" => {
                format!("{:.2}", a as f64 / n as f64)
            }
            (Some(a), _) => a.to_string(),
            (None, _) => "-".to_owned(),
        };
        let ratio = match &row.ratio {
            Some((label, f)) => format!("{label} {f:.2}x"),
            None => String::new(),
        };
        let input = match row.unit {
            Unit::Bytes(n) if row.workload == "decode" || row.workload == "dm load" => {
                format!("{} ({:.1} kB)", row.input, n as f64 / 1e3)
            }
            Unit::Bytes(n) => format!("{} (out {:.1} kB)", row.input, n as f64 / 1e3),
            Unit::Items(..) => row.input.clone(),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.workload,
            input,
            row.imp,
            throughput(row.unit, row.secs),
            duration(per_op),
            allocs,
            ratio
        );
    }
    let _ = writeln!(
        o,
        "\nallocs/op = allocator calls (allocations + reallocations) of one operation, counted by a global counting allocator; per lookup for 'dm lookup', per verify for digest. Ratios for baselines: how many times ours is faster (speed over speed); for lookup, how many times slower than the HashMap.\n\n{load}\n"
    );
    for note in &r.notes {
        let _ = writeln!(o, "- note: {note}");
    }
    let _ = writeln!(o);
    for (met, text) in &r.targets {
        let _ = writeln!(o, "- {} {text}", if *met { "PASS" } else { "MISS" });
    }
    let met = r.targets.iter().filter(|t| t.0).count();
    let _ = writeln!(o, "\ntargets: {met} of {} met", r.targets.len());
    if r.checks_failed.is_empty() {
        let _ = writeln!(o, "correctness checks: all passed");
    } else {
        for c in &r.checks_failed {
            let _ = writeln!(o, "- CHECK FAILED: {c}");
        }
    }
    o
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| {
            let f: Vec<&str> = s.split_whitespace().take(3).collect();
            format!("load average (1/5/15 min): {}", f.join(" "))
        })
        .unwrap_or_else(|_| "load average: unknown".to_owned())
}

fn main() -> ExitCode {
    let quick = std::env::args().any(|a| a == "--quick");
    // `--only-datamodel`: the data-model rows alone (for work on that crate)
    let only_dm = std::env::args().any(|a| a == "--only-datamodel");
    let mut r = Report {
        budget: if quick { Budget::QUICK } else { Budget::FULL },
        rows: Vec::new(),
        targets: Vec::new(),
        checks_failed: Vec::new(),
        notes: Vec::new(),
    };
    let load_before = load_average();
    let generated = messages::all();

    // Correctness, once: our decode of every generated message (lenient and strict) equals
    // the generated model, and so does the quick-xml Writer's document.
    let mut inputs = Vec::new();
    for g in &generated {
        let bytes = wire::encode(&g.envelope);
        for (mode, decoder) in [("lenient", Decoder::new()), ("strict", Decoder::strict())] {
            match decoder.decode(&bytes) {
                Ok(d) => {
                    let same = d.envelope == g.envelope;
                    let detail = if same {
                        String::new()
                    } else {
                        first_difference(&d.envelope, &g.envelope)
                    };
                    r.check(
                        same,
                        format!("{} {mode} decode differs from the model: {detail}", g.name),
                    );
                }
                Err(e) => r.check(false, format!("{} {mode} decode failed: {e}", g.name)),
            }
        }
        let mut qx_doc = Vec::new();
        match qx::write_envelope(&g.envelope, &mut qx_doc) {
            Ok(()) => match cwmp_soap::decode(&qx_doc) {
                Ok(e) => {
                    let same = e == g.envelope;
                    let detail = if same {
                        String::new()
                    } else {
                        first_difference(&e, &g.envelope)
                    };
                    r.check(
                        same,
                        format!(
                            "{}: quick-xml Writer document decodes differently: {detail}",
                            g.name
                        ),
                    );
                }
                Err(e) => r.check(
                    false,
                    format!("{}: quick-xml Writer document does not decode: {e}", g.name),
                ),
            },
            Err(e) => r.check(false, format!("{}: quick-xml Writer: {e}", g.name)),
        }
        if let Ok((value, None)) = peer::convert(&g.envelope) {
            if peer::parse(&bytes).ok() != Some(value) {
                r.notes.push(format!(
                    "{}: the cwmp crate's parse of our bytes differs from the same data built with its types (its loss, shown for information)",
                    g.name
                ));
            }
        }
        inputs.push(Input {
            name: g.name.to_owned(),
            bytes,
            model: Some(g.clone()),
        });
    }
    if !only_dm {
        decode_section(&mut r, &inputs);
        corpus_section(&mut r);
        encode_section(&mut r, &generated);
        every_rpc_section(&mut r);
    }
    let find = |name: &str| {
        generated
            .iter()
            .find(|g| g.name == name)
            .map(|g| &g.envelope)
    };
    if let (Some(gpv), Some(spv)) = (find("gpv-10000"), find("spv-50")) {
        datamodel_section(&mut r, gpv, spv);
    }
    if !only_dm {
        digest_section(&mut r);
        session_section(&mut r);
    }
    finish(&r, quick, &load_before);
    if r.checks_failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The real and synthetic messages of the shared corpus as one input: each implementation
/// goes through every file (that our lenient decoder accepts) per operation.
fn corpus_section(r: &mut Report) {
    let files = corpus::messages();
    if files.is_empty() {
        r.notes
            .push("corpus messages absent: real-message row skipped".to_owned());
        return;
    }
    let total_files = files.len();
    // The cwmp crate println!s "characters for … is so far unhandled" for every parse of
    // these bodies when they contain whitespace: that would measure terminal output and flood
    // the report, so they are left out for every implementation alike.
    let chatty = |e: &Envelope<'_>| {
        matches!(
            e.body,
            Body::GetRpcMethods(_)
                | Body::TransferCompleteResponse(_)
                | Body::AutonomousTransferCompleteResponse(_)
        )
    };
    let mut left_out = 0usize;
    let files: Vec<Vec<u8>> = files
        .into_iter()
        .filter(|(_, b)| match cwmp_soap::decode(b) {
            Ok(e) if chatty(&e) => {
                left_out += 1;
                false
            }
            Ok(_) => true,
            Err(_) => false,
        })
        .map(|(_, b)| b)
        .collect();
    r.notes.push(format!(
        "corpus: {} of {total_files} message files of ../shared/corpus/messages measured, one after the other per operation ({} do not decode leniently; {left_out} GetRPCMethods / TransferCompleteResponse / AutonomousTransferCompleteResponse left out because cwmp 0.2.2 prints to stdout on each parse of them)",
        files.len(),
        total_files - files.len() - left_out
    ));
    let corpus_name = format!("corpus-{}", files.len());
    let total: usize = files.iter().map(Vec::len).sum();
    let unit = Unit::Bytes(total);
    let lenient = Decoder::new();
    let strict = Decoder::strict();
    let ours = r.time(|| {
        for f in &files {
            black_box(lenient.decode(black_box(f)).ok());
        }
    });
    let a = allocs(|| files.iter().filter(|f| lenient.decode(f).is_ok()).count());
    r.row(
        "decode",
        &corpus_name,
        "cwmp-soap lenient",
        unit,
        ours,
        Some(a),
    );
    let s = r.time(|| {
        for f in &files {
            black_box(strict.decode(black_box(f)).ok());
        }
    });
    r.row("decode", &corpus_name, "cwmp-soap strict", unit, s, None);
    let bare = r.time(|| {
        for f in &files {
            black_box(qx::bare_loop(black_box(f)).ok());
        }
    });
    r.row(
        "decode",
        &corpus_name,
        "quick-xml Reader loop",
        unit,
        bare,
        None,
    );
    if let Some(l) = r.rows.last_mut() {
        l.ratio = Some(("ours/this speed".to_owned(), bare / ours));
    }
    let ns = r.time(|| {
        for f in &files {
            black_box(qx::ns_loop(black_box(f)).ok());
        }
    });
    r.row(
        "decode",
        &corpus_name,
        "quick-xml NsReader loop",
        unit,
        ns,
        None,
    );
    if let Some(l) = r.rows.last_mut() {
        l.ratio = Some(("ours/this speed".to_owned(), ns / ours));
    }
    let cw = r.time(|| {
        for f in &files {
            black_box(peer::parse(black_box(f)).ok());
        }
    });
    let ca = allocs(|| files.iter().filter(|f| peer::parse(f).is_ok()).count());
    r.row(
        "decode",
        &corpus_name,
        "cwmp 0.2.2 parse",
        unit,
        cw,
        Some(ca),
    );
    r.ratio_faster(ours);
}

/// Counts each side's allocator calls.
#[derive(Default)]
struct SideAllocs {
    cpe: u64,
    acs: u64,
}

impl cwmp_benches::session::Meter for SideAllocs {
    fn on<T>(&mut self, side: cwmp_benches::session::Side, op: impl FnOnce() -> T) -> T {
        let region = Region::new(GLOBAL);
        let out = op();
        let c = region.change();
        let n = (c.allocations + c.reallocations) as u64;
        match side {
            cwmp_benches::session::Side::Cpe => self.cpe += n,
            cwmp_benches::session::Side::Acs => self.acs += n,
        }
        out
    }
}

/// A whole boot session (Inform of 20, GPV of 1,000, SPV of 50, empty POST, 204) through
/// decode → engine → encode on both sides, against the same messages encoded and decoded
/// alone, in the same run.
fn session_section(r: &mut Report) {
    use cwmp_benches::session::{self, NoMeter};
    let fixture = session::fixture();
    let mut buffers = session::Buffers::default();
    let trace = session::run(&fixture, fixture.script(), &mut buffers, &mut NoMeter);
    r.check(
        trace == session::expected_trace(),
        format!("boot session ran differently: {trace:?}"),
    );
    let baseline = session::baseline(&fixture);
    // Each session needs fresh inputs (the applications' bodies are moved into the engines);
    // the baseline clones and drops the same inputs, so both closures pay for the clone.
    let whole_secs = r.time(|| {
        black_box(session::run(
            &fixture,
            fixture.script(),
            &mut buffers,
            &mut NoMeter,
        ));
    });
    let alone_secs = r.time(|| {
        black_box(fixture.script());
        black_box(session::run_baseline(&baseline, &mut buffers, &mut NoMeter));
    });
    let mut whole = SideAllocs::default();
    session::run(&fixture, fixture.script(), &mut buffers, &mut whole);
    let mut alone = SideAllocs::default();
    session::run_baseline(&baseline, &mut buffers, &mut alone);
    let input = "boot: Inform 20, GPV 1,000, SPV 50, empty POST, 204";
    r.row(
        "session",
        input,
        "messages encoded + decoded alone",
        Unit::Items(1, "sessions"),
        alone_secs,
        Some(alone.cpe + alone.acs),
    );
    r.row(
        "session",
        input,
        "cwmp-core engines + cwmp-soap, both sides",
        Unit::Items(1, "sessions"),
        whole_secs,
        Some(whole.cpe + whole.acs),
    );
    let time_ratio = whole_secs / alone_secs;
    if let Some(last) = r.rows.last_mut() {
        last.ratio = Some(("time vs codec alone".to_owned(), time_ratio));
    }
    r.notes.push(format!(
        "boot session allocations: CPE side {} (codec alone {}), ACS side {} (codec alone {})",
        whole.cpe, alone.cpe, whole.acs, alone.acs
    ));
    r.target(
        whole.cpe <= 2 * alone.cpe && whole.acs <= 2 * alone.acs,
        format!(
            "boot session allocations <= 2x the codec alone on each side: CPE {:.2}x, ACS {:.2}x",
            whole.cpe as f64 / alone.cpe.max(1) as f64,
            whole.acs as f64 / alone.acs.max(1) as f64
        ),
    );
    r.target(
        time_ratio <= 1.3,
        format!("boot session time <= 1.3x the codec alone: {time_ratio:.2}x"),
    );
}

fn finish(r: &Report, quick: bool, load_before: &str) {
    let load = format!(
        "{} run; {load_before} at start, {} at end",
        if quick {
            "--quick (20 ms rounds, best of 2: smoke figures only)"
        } else {
            "full (rounds >= 0.3 s, best of 5)"
        },
        load_average().trim_start_matches("load average (1/5/15 min): ")
    );
    let text = render(r, &load);
    println!("{text}");
    if let Some(path) = readme_path() {
        match splice_readme(&path, &text) {
            Ok(()) => println!("wrote the report into {path}"),
            Err(e) => eprintln!("report: cannot update {path}: {e}"),
        }
    }
}

/// The file named by `--readme FILE`, if any.
fn readme_path() -> Option<String> {
    let mut args = std::env::args().skip_while(|a| a != "--readme");
    args.next()?;
    args.next()
}

const BEGIN: &str = "<!-- report:begin -->";
const END: &str = "<!-- report:end -->";

/// Replaces what stands between the report markers of the file at `path` with `report`, dated.
fn splice_readme(path: &str, report: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!("no {BEGIN} ... {END} markers"));
    };
    if end < begin {
        return Err("the markers are out of order".to_owned());
    }
    let (head, _) = text.split_at(begin + BEGIN.len());
    let (_, tail) = text.split_at(end);
    let date = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .and_then(|s| cwmp_core::datetime::DateTime::from_unix(s, 0))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let body = format!(
        "\n<details><summary>Full report of {date} (`cargo run --release -p cwmp-benches --bin report`)</summary>\n{report}\n</details>\n"
    );
    std::fs::write(path, format!("{head}{body}{tail}")).map_err(|e| e.to_string())
}
