//! Time-boxed measurement: repeat an operation until a round lasts at least a minimum time,
//! take the best round of several (the least disturbed by other processes on a shared machine).

use std::time::{Duration, Instant};

/// How long to measure each operation.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Minimum duration of one round.
    pub min_round: Duration,
    /// Rounds; the fastest counts.
    pub rounds: u32,
}

impl Budget {
    /// The full report: rounds of at least 0.3 s, best of 5.
    pub const FULL: Budget = Budget {
        min_round: Duration::from_millis(300),
        rounds: 5,
    };
    /// A smoke run: rounds of 20 ms, best of 2.
    pub const QUICK: Budget = Budget {
        min_round: Duration::from_millis(20),
        rounds: 2,
    };
}

/// Seconds per call of `op` (best round), measured within `budget`.
pub fn seconds_per_iter(budget: Budget, mut op: impl FnMut()) -> f64 {
    // Warm up and calibrate: double the batch until it lasts a tenth of a round.
    let mut batch = 1u64;
    let per_iter = loop {
        let start = Instant::now();
        for _ in 0..batch {
            op();
        }
        let took = start.elapsed();
        if took >= budget.min_round / 10 || batch >= 1 << 30 {
            break took.as_secs_f64() / batch as f64;
        }
        batch *= 2;
    };
    let target = budget.min_round.as_secs_f64();
    let iters = ((target / per_iter.max(1e-9)).ceil() as u64).max(1);
    let mut best = f64::INFINITY;
    for _ in 0..budget.rounds.max(1) {
        let start = Instant::now();
        for _ in 0..iters {
            op();
        }
        best = best.min(start.elapsed().as_secs_f64() / iters as f64);
    }
    best
}

/// Megabytes (10^6 bytes) per second for `bytes` processed in `seconds`.
pub fn mb_per_s(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / seconds / 1e6
}
