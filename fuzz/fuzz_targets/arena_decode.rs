//! Decoding into an arena against decoding without one, on the same bytes.
//!
//! `Decoder::decode_in` puts unescaped text into an `Arena` instead of owned strings. Property:
//! in lenient and in strict mode both give the same message, version, namespace, warnings and
//! violations, or both refuse the input; and no parameter name or value that `decode_in`
//! returns holds a heap string (each borrows from the input or the arena, or is the empty
//! default of a missing element).
#![no_main]

use std::borrow::Cow;

use cwmp_core::{Body, Envelope};
use cwmp_soap::{Arena, Decoder};
use libfuzzer_sys::fuzz_target;

/// Whether a string holds no heap memory of its own.
#[allow(clippy::ptr_arg)] // the variant is what is checked
fn no_heap(s: &Cow<'_, str>) -> bool {
    match s {
        Cow::Borrowed(_) => true,
        Cow::Owned(o) => o.capacity() == 0,
    }
}

/// Whether no string of the parameter values (the bulk of a message's text) is on the heap.
fn values_borrowed(envelope: &Envelope<'_>) -> bool {
    let params = match &envelope.body {
        Body::SetParameterValues(m) => &m.parameters,
        Body::GetParameterValuesResponse(m) => &m.parameters,
        Body::Inform(m) => &m.parameters,
        _ => return true,
    };
    params
        .iter()
        .all(|p| no_heap(&p.name) && no_heap(&p.value.text))
}

fuzz_target!(|data: &[u8]| {
    for decoder in [Decoder::new(), Decoder::strict()] {
        let arena = Arena::new();
        let plain = decoder.decode(data);
        let in_arena = decoder.decode_in(&arena, data);
        match (&plain, &in_arena) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "decode and decode_in disagree");
                assert!(
                    values_borrowed(&b.envelope),
                    "decode_in left a value on the heap"
                );
            }
            (Err(_), Err(_)) => {}
            _ => panic!("decode and decode_in disagree: {plain:?} / {in_arena:?}"),
        }
    }
});
