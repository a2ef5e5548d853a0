//! Property: every message the generator makes (every RPC of CWMP 1.0–1.4, a CWMP Fault, a SOAP
//! Fault, an unknown method; each from the same descriptions the codec is built from) encodes
//! to XML that decodes back to the same value, in both DU shapes, with and without the XML
//! declaration, and with booleans as words or digits.
//!
//! The generator's restrictions (what XML can carry) are documented in
//! `cwmp_soap::generate`. Booleans as digits rewrite boolean parameter values by design; the
//! expected value is rewritten the same way.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_core::envelope::METHODS;
use cwmp_core::{Body, CwmpVersion, Envelope};
use cwmp_soap::decode::Decoder;
use cwmp_soap::generate::{Generator, booleans_as_digits};
use cwmp_soap::{BoolFormat, DuShape, EncodeOptions};
use proptest::prelude::*;

fn round_trip(env: &Envelope<'_>, options: &EncodeOptions) -> Result<(), TestCaseError> {
    let xml = options.to_vec(env);
    let decoded = Decoder::new().decode(&xml);
    prop_assert!(
        decoded.is_ok(),
        "{:?}\n{}",
        decoded.err(),
        String::from_utf8_lossy(&xml)
    );
    let mut expected = env.clone();
    if options.booleans == BoolFormat::Digits {
        booleans_as_digits(&mut expected);
    }
    prop_assert_eq!(
        &decoded.unwrap().envelope,
        &expected,
        "{}",
        String::from_utf8_lossy(&xml)
    );
    Ok(())
}

fn options(flags: u8) -> EncodeOptions {
    EncodeOptions::for_version(CwmpVersion::V1_4)
        .with_xml_declaration(flags & 1 != 0)
        .with_du_shape(if flags & 2 != 0 {
            DuShape::Wrapper
        } else {
            DuShape::Xsd
        })
        .with_booleans(if flags & 4 != 0 {
            BoolFormat::Digits
        } else {
            BoolFormat::Words
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Every RPC by name, each case: no message type depends on the luck of the draw.
    #[test]
    fn every_rpc_round_trips(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        flags in any::<u8>(),
    ) {
        let options = options(flags);
        // A generator of its own per message, so that each gets all the bytes.
        for (name, ..) in METHODS {
            let env = Generator::new(&bytes).message(name).unwrap();
            prop_assert_eq!(env.body.name(), *name);
            round_trip(&env, &options)?;
        }
        let mut g = Generator::new(&bytes);
        round_trip(&Envelope { header: g.header(), body: Body::Fault(g.fault()) }, &options)?;
        round_trip(&Envelope { header: g.header(), body: Body::SoapFault(g.soap_fault()) }, &options)?;
        round_trip(&Envelope { header: g.header(), body: Body::Unknown(g.unknown()) }, &options)?;
    }

    /// Any envelope the generator makes.
    #[test]
    fn any_envelope_round_trips(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        flags in any::<u8>(),
    ) {
        let env = Generator::new(&bytes).envelope();
        round_trip(&env, &options(flags))?;
    }
}

/// The generator reaches every message: over a few thousand seeds each body kind comes out.
#[test]
fn the_generator_makes_every_message() {
    let mut seen = std::collections::BTreeSet::new();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..4000 {
        let bytes: Vec<u8> = (0..64)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect();
        let body = Generator::new(&bytes).body();
        seen.insert(match &body {
            Body::Unknown(_) => "an unknown method".to_string(),
            Body::SoapFault(_) => "a SOAP Fault".to_string(),
            _ => body.name().to_string(),
        });
    }
    for (name, ..) in METHODS {
        assert!(seen.contains(*name), "{name} never generated");
    }
    for kind in ["Fault", "a SOAP Fault", "an unknown method"] {
        assert!(seen.contains(kind), "{kind} never generated");
    }
}
