//! Allocation counts are exact, so the session target is asserted: a whole boot session
//! through decode → engine → encode costs each side at most twice the allocations of
//! decoding and encoding its messages alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::alloc::System;

use cwmp_benches::session::{self, Meter, Side};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[derive(Default)]
struct Counter {
    cpe: u64,
    acs: u64,
}

impl Meter for Counter {
    fn on<T>(&mut self, side: Side, op: impl FnOnce() -> T) -> T {
        let region = Region::new(GLOBAL);
        let out = op();
        let c = region.change();
        let n = (c.allocations + c.reallocations) as u64;
        match side {
            Side::Cpe => self.cpe += n,
            Side::Acs => self.acs += n,
        }
        out
    }
}

#[test]
fn a_boot_session_costs_each_side_at_most_twice_its_codec_allocations() {
    let fixture = session::fixture();
    // One warm-up run, then the counted one (the same each time: nothing is cached).
    let mut buffers = session::Buffers::default();
    let _ = session::run(
        &fixture,
        fixture.script(),
        &mut buffers,
        &mut session::NoMeter,
    );
    let script = fixture.script();
    let mut whole = Counter::default();
    let trace = session::run(&fixture, script, &mut buffers, &mut whole);
    assert_eq!(trace, session::expected_trace());

    let baseline = session::baseline(&fixture);
    let mut alone = Counter::default();
    assert_eq!(
        session::run_baseline(&baseline, &mut buffers, &mut alone),
        6
    );
    println!(
        "boot session allocations: CPE {} (codec alone {}), ACS {} (codec alone {})",
        whole.cpe, alone.cpe, whole.acs, alone.acs
    );
    assert!(
        whole.cpe <= 2 * alone.cpe,
        "CPE: {} allocations, codec alone {}",
        whole.cpe,
        alone.cpe
    );
    assert!(
        whole.acs <= 2 * alone.acs,
        "ACS: {} allocations, codec alone {}",
        whole.acs,
        alone.acs
    );
}
