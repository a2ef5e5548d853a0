//! Driving a backend whose futures are ready at once without an executor.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Polls `future` once: its output when it completed at once, `None` when it is waiting for
/// something.
///
/// Every call of [`ParameterTree`](super::ParameterTree) over a backend whose futures are
/// ready (such as [`MemoryBackend`](super::MemoryBackend)) completes in one poll, so a
/// synchronous program needs no async runtime:
///
/// ```
/// use cwmp_datamodel::tree::poll_ready;
/// assert_eq!(poll_ready(async { 1 + 1 }), Some(2));
/// ```
pub fn poll_ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}
