//! decode → encode → decode (cwmp-soap), after hickory-dns's `message` target.
//!
//! Properties, for every message the lenient decoder accepts:
//! - decode(encode(m)) == m on the model (the identity DESIGN.md promises), and
//! - encode(decode(encode(m))) == encode(m) byte for byte (the encoder is deterministic and
//!   the second pass has nothing left to normalise).
//!
//! Normalisations applied to the first model before comparing, each a documented property of
//! the encoder, not of the input:
//! - control characters are replaced by U+FFFD at decode (`ControlCharPolicy::Replace`),
//!   because the encoder must replace what XML 1.0 cannot carry;
//! - `Header::no_more_requests` is cleared: no CWMP schema declares NoMoreRequests, so the
//!   encoder never writes it;
//! - the message is encoded at CWMP 1.4, where every header element exists.
#![no_main]

use cwmp_core::value::ValueType;
use cwmp_core::{Body, CwmpVersion};
use cwmp_soap::{ControlCharPolicy, Decoder, EncodeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoder = Decoder::new().with_control_chars(ControlCharPolicy::Replace);
    let Ok(first) = decoder.decode(data) else {
        return;
    };
    let mut m1 = first.envelope.into_owned();
    m1.header.no_more_requests = None;
    // KNOWN OPEN (cwmp-soap/tests/fuzz_regressions.rs,
    // `xsi_type_in_a_foreign_namespace_round_trips`): a type in a foreign namespace whose local
    // name is a known xsd type decodes as `Other(name)` and is written back as `xsd:name`.
    // Normalised here so that the target keeps looking for other bugs; remove once fixed.
    cwmp_fuzz::model::for_each_value_mut(&mut m1, |v| {
        let known = match &v.ty {
            ValueType::Other(name) => ValueType::from_xsd_name(name).into_owned(),
            _ => return,
        };
        if !matches!(known, ValueType::Other(_)) {
            v.ty = known;
        }
    });

    // KNOWN OPEN (cwmp-soap/tests/fuzz_regressions.rs,
    // `xsi_type_with_an_entity_reference_round_trips`): an `xsi:type` value is kept with entity
    // references unresolved (and a raw `<` accepted). Tolerated in exactly that form.
    let mut odd_type = false;
    cwmp_fuzz::model::for_each_value_mut(&mut m1, |v| {
        if let ValueType::Other(name) = &v.ty {
            odd_type |= name.contains(['&', '<']);
        }
    });
    if odd_type {
        return;
    }
    let options = EncodeOptions::for_version(CwmpVersion::V1_4);
    let mut bytes1 = Vec::new();
    options.encode(&m1, &mut bytes1);
    let second = decoder.decode(&bytes1).unwrap_or_else(|e| {
        panic!(
            "re-decode failed: {e}\nmodel: {m1:?}\nencoded: {}",
            String::from_utf8_lossy(&bytes1)
        )
    });
    // KNOWN OPEN (cwmp-soap/tests/fuzz_regressions.rs,
    // `unknown_method_name_that_is_not_an_xml_name`): the lenient decoder keeps a body element
    // name that is not an XML name; the encoder rewrites it. Tolerated in exactly that form.
    if let (Body::Unknown(a), Body::Unknown(b)) = (&m1.body, &second.envelope.body)
        && a.name != b.name
        && a.namespace == b.namespace
        && m1.header == second.envelope.header
    {
        return;
    }
    assert_eq!(
        m1,
        second.envelope,
        "decode(encode(m)) != m\nencoded: {}",
        String::from_utf8_lossy(&bytes1)
    );
    let mut bytes2 = Vec::new();
    options.encode(&second.envelope, &mut bytes2);
    assert!(
        bytes1 == bytes2,
        "encode is not stable:\n{}\n{}",
        String::from_utf8_lossy(&bytes1),
        String::from_utf8_lossy(&bytes2)
    );
});
