//! Replay protection for digest nonces: the highest nonce count seen per nonce.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Verdict of a [`NonceCounter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NcVerdict {
    /// The count is higher than any seen for this nonce: accept.
    Fresh,
    /// The count was seen before (or a lower one): refuse as a replay.
    Replay,
    /// The counter no longer knows this nonce (evicted under memory pressure): treat the
    /// nonce as stale so the client fetches a new one.
    Forgotten,
}

/// Replay protection: remembers the highest nonce count used per nonce.
///
/// Takes `&self`, so one counter can sit in shared state (an `Arc`, an axum `State`) and
/// serve concurrent requests without a caller-side lock: implementations use interior
/// mutability (a lock, a concurrent map, a database row).
pub trait NonceCounter {
    /// Records `nc` for `nonce` (issued at `issued_at`, valid until `expires_at`, Unix
    /// seconds) and says whether it is fresh.
    fn check(&self, nonce: &str, issued_at: u64, expires_at: u64, nc: u32, now: u64) -> NcVerdict;
}

macro_rules! forward {
    ($($ty:ty),*) => {$(
        impl<T: NonceCounter + ?Sized> NonceCounter for $ty {
            fn check(
                &self,
                nonce: &str,
                issued_at: u64,
                expires_at: u64,
                nc: u32,
                now: u64,
            ) -> NcVerdict {
                (**self).check(nonce, issued_at, expires_at, nc, now)
            }
        }
    )*};
}

// A counter can be passed as `&c`, `&mut c` (older callers), `Arc<C>` or `Box<C>`.
forward!(&T, &mut T, std::sync::Arc<T>, Box<T>);

#[derive(Debug, Clone, Copy)]
struct NcEntry {
    issued_at: u64,
    expires_at: u64,
    max_nc: u32,
}

#[derive(Debug, Clone, Default)]
struct Table {
    map: HashMap<String, NcEntry>,
    forgotten_up_to: Option<u64>,
}

/// An in-memory [`NonceCounter`] with a fixed capacity, safe to share between threads
/// (`&self`, an internal lock held only for the map update).
///
/// Expired entries are pruned when the table is full. If it is still full, the entry of the
/// oldest nonce is evicted and every nonce issued at or before that time that is not in the
/// table is then answered [`NcVerdict::Forgotten`]: memory stays bounded and a forgotten nonce
/// can never be replayed.
///
/// ```
/// use std::sync::Arc;
/// use cwmp_auth::digest::{MemoryNonceCounter, NcVerdict, NonceCounter};
/// let counter = Arc::new(MemoryNonceCounter::new(1024));
/// let shared = counter.clone(); // e.g. in every request handler
/// assert_eq!(shared.check("n1", 100, 400, 1, 100), NcVerdict::Fresh);
/// assert_eq!(counter.check("n1", 100, 400, 1, 101), NcVerdict::Replay);
/// ```
#[derive(Debug)]
pub struct MemoryNonceCounter {
    table: Mutex<Table>,
    capacity: usize,
}

impl Clone for MemoryNonceCounter {
    fn clone(&self) -> Self {
        MemoryNonceCounter {
            table: Mutex::new(self.lock().clone()),
            capacity: self.capacity,
        }
    }
}

impl MemoryNonceCounter {
    /// A counter remembering at most `capacity` nonces (at least 1).
    pub fn new(capacity: usize) -> Self {
        MemoryNonceCounter {
            table: Mutex::new(Table::default()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // A panic while the lock was held cannot leave the table inconsistent (each update is
        // a single insert or remove), so a poisoned lock is used as it is.
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Number of nonces remembered.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.lock().map.is_empty()
    }
}

impl Default for MemoryNonceCounter {
    fn default() -> Self {
        MemoryNonceCounter::new(4096)
    }
}

impl NonceCounter for MemoryNonceCounter {
    fn check(&self, nonce: &str, issued_at: u64, expires_at: u64, nc: u32, now: u64) -> NcVerdict {
        let mut t = self.lock();
        if let Some(e) = t.map.get_mut(nonce) {
            if nc > e.max_nc {
                e.max_nc = nc;
                return NcVerdict::Fresh;
            }
            return NcVerdict::Replay;
        }
        if t.forgotten_up_to.is_some_and(|f| issued_at <= f) {
            return NcVerdict::Forgotten;
        }
        if t.map.len() >= self.capacity {
            t.map.retain(|_, e| e.expires_at >= now);
        }
        while t.map.len() >= self.capacity {
            let oldest = t
                .map
                .iter()
                .min_by_key(|(_, e)| e.issued_at)
                .map(|(k, e)| (k.clone(), e.issued_at));
            let Some((k, at)) = oldest else { break };
            t.map.remove(&k);
            t.forgotten_up_to = Some(t.forgotten_up_to.map_or(at, |f| f.max(at)));
            if issued_at <= at {
                return NcVerdict::Forgotten;
            }
        }
        t.map.insert(
            nonce.to_owned(),
            NcEntry {
                issued_at,
                expires_at,
                max_nc: nc,
            },
        );
        NcVerdict::Fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_between_threads_without_a_caller_lock() {
        let counter = std::sync::Arc::new(MemoryNonceCounter::new(64));
        let handles: Vec<_> = (0..4u32)
            .map(|i| {
                let c = counter.clone();
                std::thread::spawn(move || {
                    let nonce = format!("n{i}");
                    let fresh = (1..=50u32)
                        .filter(|nc| c.check(&nonce, 10, 1000, *nc, 10) == NcVerdict::Fresh)
                        .count();
                    (fresh, c.check(&nonce, 10, 1000, 7, 10))
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), (50, NcVerdict::Replay));
        }
        assert_eq!(counter.len(), 4);
    }

    #[test]
    fn bounded_and_forgotten_nonces_are_stale() {
        let c = MemoryNonceCounter::new(2);
        assert_eq!(c.check("a", 1, 1000, 1, 5), NcVerdict::Fresh);
        assert_eq!(c.check("b", 2, 1000, 1, 5), NcVerdict::Fresh);
        assert_eq!(c.check("c", 3, 1000, 1, 5), NcVerdict::Fresh);
        assert_eq!(c.len(), 2);
        assert_eq!(c.check("a", 1, 1000, 2, 5), NcVerdict::Forgotten);
    }
}
