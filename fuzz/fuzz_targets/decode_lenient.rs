//! The lenient SOAP decoder (cwmp-soap) on arbitrary bytes.
//!
//! Properties: no panic, bounded time and memory (libFuzzer's `-rss_limit_mb`/`-timeout`);
//! `decode` and `Decoder::new().decode` agree; every warning and error offset lies inside the
//! input; a decoded message survives `into_owned` unchanged and encodes without panicking.
#![no_main]

use cwmp_core::limits::Validate;
use cwmp_soap::{Decoder, EncodeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let plain = cwmp_soap::decode(data);
    let full = Decoder::new().decode(data);
    match (&plain, &full) {
        (Ok(a), Ok(b)) => assert_eq!(a, &b.envelope),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("decode and Decoder::new().decode disagree: {plain:?} / {full:?}"),
    }
    match full {
        Err(e) => {
            assert!(
                e.offset() <= data.len(),
                "error offset {} > {}: {e}",
                e.offset(),
                data.len()
            );
        }
        Ok(d) => {
            for w in &d.warnings {
                assert!(w.offset <= data.len(), "warning offset out of range: {w:?}");
            }
            let owned = d.envelope.clone().into_owned();
            assert_eq!(owned, d.envelope);
            let _ = d.envelope.is_valid();
            let _ = d.envelope.body.name();
            let mut out = Vec::new();
            EncodeOptions::for_version(d.version).encode(&d.envelope, &mut out);
            assert!(!out.is_empty());
        }
    }
});
