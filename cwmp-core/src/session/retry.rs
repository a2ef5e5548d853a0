//! The wait before retrying a failed session (TR-069 §3.2.1.1).

use std::time::Duration;

/// Default `CWMPRetryMinimumWaitInterval`, in seconds.
pub const DEFAULT_MIN_WAIT: u32 = 5;
/// Default `CWMPRetryIntervalMultiplier`, in thousandths.
pub const DEFAULT_MULTIPLIER: u32 = 2000;
/// The retry count at which the window stops growing.
pub const MAX_RETRY_EXPONENT: u32 = 10;

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// The window of the `n`-th retry: `[m·(k/1000)^(n−1), m·(k/1000)^n]` seconds, with `m` the
/// `CWMPRetryMinimumWaitInterval` (seconds) and `k` the `CWMPRetryIntervalMultiplier`
/// (thousandths).
///
/// Inputs are brought into their data-model ranges rather than refused: `n` is counted from 1
/// (0 is treated as 1) and capped at 10, `m` is clamped to 1..=65535 and `k` to 1000..=65535.
/// The arithmetic is integer, in nanoseconds, so the defaults give the table of TR-069 §3.2.1.1 exactly.
///
/// ```
/// use std::time::Duration;
/// use cwmp_core::session::retry_window;
/// assert_eq!(retry_window(1, 5, 2000), (Duration::from_secs(5), Duration::from_secs(10)));
/// assert_eq!(retry_window(10, 5, 2000), (Duration::from_secs(2560), Duration::from_secs(5120)));
/// assert_eq!(retry_window(14, 5, 2000), retry_window(10, 5, 2000));
/// assert_eq!(retry_window(1, 10, 1500), (Duration::from_secs(10), Duration::from_secs(15)));
/// ```
pub fn retry_window(n: u32, m: u32, k: u32) -> (Duration, Duration) {
    let n = n.clamp(1, MAX_RETRY_EXPONENT);
    let m = u128::from(m.clamp(1, 65535));
    let k = u128::from(k.clamp(1000, 65535));
    let mut low = m * NANOS_PER_SEC;
    for _ in 1..n {
        low = low.saturating_mul(k) / 1000;
    }
    let high = low.saturating_mul(k) / 1000;
    (nanos(low), nanos(high))
}

/// A wait drawn uniformly (up to a negligible modulo bias) inside [`retry_window`] from a
/// random `u64` the caller supplies; the crate has no random number generator of its own.
///
/// ```
/// use std::time::Duration;
/// use cwmp_core::session::retry_wait;
/// assert_eq!(retry_wait(1, 5, 2000, 0), Duration::from_secs(5));
/// assert_eq!(retry_wait(1, 5, 2000, 5_000_000_000), Duration::from_secs(10));
/// let w = retry_wait(3, 5, 2000, 0xDEAD_BEEF_CAFE);
/// assert!(w >= Duration::from_secs(20) && w <= Duration::from_secs(40));
/// ```
pub fn retry_wait(n: u32, m: u32, k: u32, random: u64) -> Duration {
    let (low, high) = retry_window(n, m, k);
    let span = high.saturating_sub(low).as_nanos();
    let offset = u128::from(random) % span.saturating_add(1);
    low.saturating_add(nanos(offset))
}

fn nanos(n: u128) -> Duration {
    let secs = n / NANOS_PER_SEC;
    let sub = n % NANOS_PER_SEC;
    match (u64::try_from(secs), u32::try_from(sub)) {
        (Ok(s), Ok(ns)) => Duration::new(s, ns),
        _ => Duration::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_ses_10() {
        let table = [
            (1, 5, 10),
            (2, 10, 20),
            (3, 20, 40),
            (4, 40, 80),
            (5, 80, 160),
            (6, 160, 320),
            (7, 320, 640),
            (8, 640, 1280),
            (9, 1280, 2560),
            (10, 2560, 5120),
            (11, 2560, 5120),
            (100, 2560, 5120),
        ];
        for (n, lo, hi) in table {
            assert_eq!(
                retry_window(n, DEFAULT_MIN_WAIT, DEFAULT_MULTIPLIER),
                (Duration::from_secs(lo), Duration::from_secs(hi)),
                "n={n}"
            );
        }
        assert_eq!(
            retry_window(1, 10, 1500),
            (Duration::from_secs(10), Duration::from_secs(15))
        );
        assert_eq!(
            retry_window(2, 10, 1500),
            (Duration::from_millis(15_000), Duration::from_millis(22_500))
        );
    }

    #[test]
    fn extremes_do_not_overflow() {
        let (lo, hi) = retry_window(10, 65535, 65535);
        assert!(lo <= hi);
        assert!(hi > Duration::from_secs(1 << 40));
        let w = retry_wait(10, 65535, 65535, u64::MAX);
        assert!(w >= lo && w <= hi);
        assert_eq!(retry_window(0, 0, 0), retry_window(1, 1, 1000));
        assert_eq!(retry_wait(1, 1, 1000, u64::MAX), Duration::from_secs(1));
    }

    #[test]
    fn draws_stay_inside_the_bounds() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for n in 1..=12 {
            for _ in 0..200 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let (lo, hi) = retry_window(n, 5, 2000);
                let w = retry_wait(n, 5, 2000, x);
                assert!(lo <= w && w <= hi, "n={n} w={w:?}");
            }
        }
    }
}
