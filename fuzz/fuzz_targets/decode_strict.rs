//! The strict SOAP decoder (cwmp-soap) on arbitrary bytes.
//!
//! Properties: no panic; strict mode never reports warnings; whatever strict mode accepts, the
//! lenient decoder accepts too, with the same model, version and namespace (strict is a subset
//! of lenient).
#![no_main]

use cwmp_soap::Decoder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let strict = Decoder::strict();
    assert!(strict.is_strict());
    match strict.decode(data) {
        Err(e) => {
            assert!(
                e.offset() <= data.len(),
                "error offset {} > {}: {e}",
                e.offset(),
                data.len()
            );
        }
        Ok(s) => {
            assert!(
                s.warnings.is_empty(),
                "strict mode warned: {:?}",
                s.warnings
            );
            let lenient = Decoder::new()
                .decode(data)
                .unwrap_or_else(|e| panic!("strict accepted what lenient refuses: {e}"));
            assert_eq!(s.envelope, lenient.envelope);
            assert_eq!(s.version, lenient.version);
            assert_eq!(s.namespace, lenient.namespace);
        }
    }
});
