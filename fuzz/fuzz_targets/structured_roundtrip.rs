//! Arbitrary model value → encode → decode == original (cwmp-soap), for every RPC of CWMP
//! 1.0–1.4, a Fault or an unknown method, with arbitrary wire options.
//!
//! The values are built by `cwmp_fuzz::model`, restricted to what XML can carry; the
//! restriction is documented there point by point. The encoder options vary only in what must
//! not change the model: XML declaration, boolean form (with `BoolFormat::Digits` the expected
//! model has its boolean parameter values as `1`/`0`, as documented), ChangeDUState shape.
#![no_main]

use arbitrary::Unstructured;
use cwmp_core::CwmpVersion;
use cwmp_soap::{BoolFormat, Decoder, DuShape, EncodeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(envelope) = cwmp_fuzz::model::envelope(&mut u) else {
        return;
    };
    let Ok(flags) = u.arbitrary::<u8>() else {
        return;
    };
    let options = EncodeOptions::for_version(CwmpVersion::V1_4)
        .with_xml_declaration(flags & 1 != 0)
        .with_booleans(if flags & 2 != 0 {
            BoolFormat::Digits
        } else {
            BoolFormat::Words
        })
        .with_du_shape(if flags & 4 != 0 {
            DuShape::Wrapper
        } else {
            DuShape::Xsd
        });
    let mut bytes = Vec::new();
    options.encode(&envelope, &mut bytes);
    let decoded = Decoder::new().decode(&bytes).unwrap_or_else(|e| {
        panic!(
            "our own output does not decode: {e}\nmodel: {envelope:?}\nencoded: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    let mut expected = envelope.clone();
    if options.booleans == BoolFormat::Digits {
        cwmp_fuzz::model::booleans_as_digits(&mut expected);
    }
    assert_eq!(
        expected,
        decoded.envelope,
        "encoded: {}",
        String::from_utf8_lossy(&bytes)
    );
});
