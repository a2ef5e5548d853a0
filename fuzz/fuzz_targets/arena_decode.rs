//! Decoding into an arena against decoding without one, on the same bytes.
//!
//! `Decoder::decode_in` puts unescaped text into an `Arena` instead of owned strings. Property:
//! in lenient and in strict mode both give the same message, version, namespace, warnings and
//! violations, or both refuse the input; and what `decode_in` returns borrows every string
//! (from the input or the arena), none owned.
#![no_main]

use std::borrow::Cow;

use cwmp_core::{Body, Envelope};
use cwmp_soap::{Arena, Decoder};
use libfuzzer_sys::fuzz_target;

/// Whether every string of the parameter values (the bulk of a message's text) is borrowed.
fn values_borrowed(envelope: &Envelope<'_>) -> bool {
    let params = match &envelope.body {
        Body::SetParameterValues(m) => &m.parameters,
        Body::GetParameterValuesResponse(m) => &m.parameters,
        Body::Inform(m) => &m.parameters,
        _ => return true,
    };
    params
        .iter()
        .all(|p| matches!(p.name, Cow::Borrowed(_)) && matches!(p.value.text, Cow::Borrowed(_)))
}

fuzz_target!(|data: &[u8]| {
    for decoder in [Decoder::new(), Decoder::strict()] {
        let arena = Arena::new();
        let plain = decoder.decode(data);
        let in_arena = decoder.decode_in(&arena, data);
        match (&plain, &in_arena) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "decode and decode_in disagree");
                assert!(values_borrowed(&b.envelope), "decode_in left a value owned");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("decode and decode_in disagree: {plain:?} / {in_arena:?}"),
        }
    }
});
