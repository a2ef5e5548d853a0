//! The allocation count of loading TR-181 2.17 (deterministic; timing is never asserted).
//!
//! The load parses straight into interned definitions: its allocations must stay at most
//! 20,000 for the 4 MB model (7,273 definitions), whatever the machine.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::alloc::System;

use cwmp_datamodel::{NoImports, Schema};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocator calls (allocations and reallocations) of `op`, its result dropped outside.
fn allocations<T>(op: impl FnOnce() -> T) -> (usize, T) {
    let region = Region::new(GLOBAL);
    let out = op();
    let stats = region.change();
    (stats.allocations + stats.reallocations, out)
}

// The counting allocator sees every thread of the process, and libtest runs tests in
// parallel: both measurements live in this one test so that nothing else runs beside them.
#[test]
fn tr181_load_and_lookup_allocations() {
    tr181_load_stays_under_20000_allocations();
    lookups_do_not_allocate();
}

fn tr181_load_stays_under_20000_allocations() {
    let Some(file) = common::datamodel("tr-181-2-17-0-cwmp-full.xml") else {
        return;
    };
    let text = std::fs::read_to_string(&file).unwrap();
    // once to warm up anything lazily initialised by the standard library
    let warm = Schema::from_str("tr-181-2-17-0-cwmp-full.xml", &text, &NoImports).unwrap();
    let (count, schema) =
        allocations(|| Schema::from_str("tr-181-2-17-0-cwmp-full.xml", &text, &NoImports));
    let schema = schema.unwrap();
    assert_eq!(schema.len(), warm.len());
    assert!(schema.len() > 7_000, "{} definitions", schema.len());
    println!(
        "TR-181 2.17 load: {count} allocations, {} definitions",
        schema.len()
    );
    assert!(
        count <= 20_000,
        "loading TR-181 2.17 made {count} allocations (limit 20,000)"
    );
}

fn lookups_do_not_allocate() {
    let Some(file) = common::datamodel("tr-181-2-17-0-cwmp-full.xml") else {
        return;
    };
    let text = std::fs::read_to_string(&file).unwrap();
    let schema = Schema::from_str("tr-181-2-17-0-cwmp-full.xml", &text, &NoImports).unwrap();
    let names = [
        "Device.IP.Interface.3.IPv4Address.2.IPAddress",
        "Device.IP.Interface.[wan].Name",
        "Device.WiFi.AccessPoint.*.Security.KeyPassphrase",
        "Device.ManagementServer.URL",
        "Device.IP.Interface.",
    ];
    let (count, found) = allocations(|| names.iter().filter(|n| schema.get(n).is_some()).count());
    assert_eq!(found, names.len());
    assert_eq!(count, 0);
}
