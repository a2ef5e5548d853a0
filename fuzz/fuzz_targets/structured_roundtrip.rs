//! Generated model value → encode → decode == original (cwmp-soap), for every RPC of CWMP
//! 1.0–1.4, a Fault, a SOAP Fault or an unknown method, with arbitrary wire options.
//!
//! The values come from `cwmp_soap::generate` (made from the RPC descriptions the codec is built
//! from), restricted to what XML can carry as documented there. The first byte picks the
//! encoder options, which vary only in what must not change the model: XML declaration, boolean
//! form (with `BoolFormat::Digits` the expected model has its boolean parameter values as
//! `1`/`0`, as documented), ChangeDUState shape.
#![no_main]

use cwmp_core::CwmpVersion;
use cwmp_soap::generate::{Generator, booleans_as_digits};
use cwmp_soap::{BoolFormat, Decoder, DuShape, EncodeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let envelope = Generator::new(rest).envelope();
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
        booleans_as_digits(&mut expected);
    }
    assert_eq!(
        expected,
        decoded.envelope,
        "encoded: {}",
        String::from_utf8_lossy(&bytes)
    );
});
