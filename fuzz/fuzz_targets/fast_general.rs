//! The decoder's fast paths against its general path, on the same bytes.
//!
//! The decoder reads plain start tags, text-only elements and ParameterValueStructs with its
//! own scanner and everything else through quick-xml's events; `with_fast_paths(false)` sends
//! every byte through the events. Property: both give the same message, version, namespace,
//! warnings and violations, or both refuse the input.
#![no_main]

use cwmp_soap::Decoder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fast = Decoder::new().decode(data);
    let general = Decoder::new().with_fast_paths(false).decode(data);
    match (&fast, &general) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "fast and general paths disagree"),
        (Err(_), Err(_)) => {}
        _ => panic!("fast and general paths disagree: {fast:?} / {general:?}"),
    }
});
