//! `encode_bytes` writes into the `BytesMut` itself: it allocates what `encode` into a `Vec`
//! allocates (nothing when the buffer has room), with no temporary copy of the message, and
//! appends correctly to buffers that share their allocation with other handles.
//!
//! The counting allocator sees every thread of the process: all measurements are in one test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::alloc::System;

use bytes::BytesMut;
use cwmp_core::Envelope;
use cwmp_core::rpc::{ParameterValue, SetParameterValues};
use cwmp_soap::{encode, encode_bytes};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn allocs(op: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    op();
    let s = region.change();
    s.allocations + s.reallocations
}

/// The fewest allocations of `op` on a fresh `setup()` over three runs. The counter also sees
/// libtest's main thread, which can allocate when it first blocks waiting for the test thread
/// (its channel's waiting context): on a busy machine that may fall inside a measurement, and
/// it can only add to the count. Seen once as a failure of the exact counts below.
fn fewest<S>(mut setup: impl FnMut() -> S, mut op: impl FnMut(&mut S)) -> usize {
    (0..3)
        .map(|_| {
            let mut s = setup();
            allocs(|| op(&mut s))
        })
        .min()
        .unwrap()
}

#[test]
fn encode_bytes_allocations_and_sharing() {
    let params: Vec<ParameterValue<'static>> = (0..2_000)
        .map(|i| ParameterValue::new(format!("Device.Test.{i}.Name"), format!("v{i} & w")))
        .collect();
    let env = Envelope::request(
        "spv-1",
        SetParameterValues {
            parameters: params,
            parameter_key: "key".into(),
        },
    );
    let mut expected = Vec::new();
    encode(&env, &mut expected);

    // Into an empty buffer: the buffer a Vec would get, plus the small header `bytes` makes
    // to hand a Vec back as a BytesMut; no second buffer for the message.
    let vec_allocs = fewest(Vec::new, |v| encode(&env, v));
    let bytes_allocs = fewest(BytesMut::new, |b| encode_bytes(&env, b));
    let mut bytes = BytesMut::new();
    encode_bytes(&env, &mut bytes);
    assert_eq!(&bytes[..], &expected[..]);
    assert_eq!(vec_allocs, 1);
    assert_eq!(bytes_allocs, vec_allocs + 1);

    // Into a buffer with room: written in place (same memory), only the small header.
    let room = || BytesMut::with_capacity(expected.len() * 2);
    assert_eq!(fewest(room, |b| encode_bytes(&env, b)), 1);
    let mut roomy = room();
    let at = roomy.as_ptr();
    encode_bytes(&env, &mut roomy);
    assert_eq!(&roomy[..], &expected[..]);
    assert_eq!(
        roomy.as_ptr(),
        at,
        "the message was written into the buffer itself"
    );
    // And once more after clearing: the capacity is still there.
    roomy.clear();
    encode_bytes(&env, &mut roomy);
    assert_eq!(roomy.as_ptr(), at);

    // After a split the rest of the allocation is shared with the part split off; after
    // `advance`-like splits the offset is not zero: both still append to what is there.
    let mut shared = BytesMut::with_capacity(64);
    shared.extend_from_slice(b"head|tail");
    let head = shared.split_to(5);
    encode_bytes(&env, &mut shared);
    assert_eq!(&head[..], b"head|");
    assert!(shared.starts_with(b"tail"));
    assert_eq!(&shared[4..], &expected[..]);
    let frozen = shared.clone().freeze();
    encode_bytes(&env, &mut shared);
    assert_eq!(shared.len(), 4 + 2 * expected.len());
    assert_eq!(&frozen[4..], &expected[..]);
}
