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
pub fn seconds_per_iter(budget: Budget, op: impl FnMut()) -> f64 {
    let [best] = seconds_per_iter_each(budget, [&mut batch(op)]);
    best
}

/// An operation as [`seconds_per_iter_each`] runs it: `n` calls of `op` in a row, the loop
/// inside, so that `op` is inlined into it and only the batch is called through `dyn`.
pub fn batch(mut op: impl FnMut()) -> impl FnMut(u64) {
    move |n| {
        for _ in 0..n {
            op();
        }
    }
}

/// Seconds per call of each of `ops` (each one's best round), measured within `budget` per
/// operation with their rounds interleaved: every operation runs once in each pass over them,
/// so that a change of load or clock during the measurement reaches them all alike and the
/// ratios between them stay fair.
pub fn seconds_per_iter_each<const N: usize>(
    budget: Budget,
    mut ops: [&mut dyn FnMut(u64); N],
) -> [f64; N] {
    let mut iters = [1u64; N];
    for (op, iters) in ops.iter_mut().zip(iters.iter_mut()) {
        *iters = calls_per_round(budget, op);
    }
    let mut best = [f64::INFINITY; N];
    for _ in 0..budget.rounds.max(1) {
        for ((op, &n), best) in ops.iter_mut().zip(&iters).zip(best.iter_mut()) {
            let start = Instant::now();
            op(n);
            *best = best.min(start.elapsed().as_secs_f64() / n as f64);
        }
    }
    best
}

/// How many calls of `op` (which makes as many as it is given) last a round of `budget`:
/// after a warm-up that doubles the batch until it lasts a tenth of a round.
fn calls_per_round(budget: Budget, op: &mut dyn FnMut(u64)) -> u64 {
    let mut n = 1u64;
    let per_iter = loop {
        let start = Instant::now();
        op(n);
        let took = start.elapsed();
        if took >= budget.min_round / 10 || n >= 1 << 30 {
            break took.as_secs_f64() / n as f64;
        }
        n *= 2;
    };
    ((budget.min_round.as_secs_f64() / per_iter.max(1e-9)).ceil() as u64).max(1)
}

/// Megabytes (10^6 bytes) per second for `bytes` processed in `seconds`.
pub fn mb_per_s(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / seconds / 1e6
}
