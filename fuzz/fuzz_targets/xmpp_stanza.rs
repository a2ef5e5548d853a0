//! XMPP connection-request stanza parsing (cwmp-auth, TR-069 Annex K) on arbitrary input.
//!
//! Properties: no panic; an accepted IQ encodes (`to_xml`) and parses back to the same IQ
//! (parse → encode → parse identity on the model) whose only possible warning is the one the
//! model keeps (a connection request of type `set`); the CPE's check gives an answer that
//! itself encodes and parses; an answer never carries the request's credentials.
#![no_main]

use cwmp_auth::xmpp::{AllowedJids, ConnReqPolicy, Iq, Payload, Warning};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    let Ok(iq) = Iq::parse_with_warnings(data, &mut warnings) else {
        return;
    };
    let xml = iq
        .to_xml()
        .unwrap_or_else(|e| panic!("{iq:?} parsed but does not encode: {e}"));
    let mut warnings2 = Vec::new();
    let again = Iq::parse_with_warnings(xml.as_bytes(), &mut warnings2)
        .unwrap_or_else(|e| panic!("{iq:?} encoded as {xml:?} does not parse: {e}"));
    assert_eq!(iq, again, "{xml}");
    assert!(
        warnings2
            .iter()
            .all(|w| *w == Warning::ConnectionRequestAsSet),
        "{xml}: {warnings2:?}"
    );

    let policy = match AllowedJids::parse("acs@example.com") {
        Ok(allowed) => ConnReqPolicy::new(allowed, "cr-user", "cr-pass"),
        Err(_) => return,
    };
    for busy in [false, true] {
        let verdict = policy.check(&iq, busy);
        if let Some(answer) = verdict.answer(&iq) {
            let text = answer
                .to_xml()
                .unwrap_or_else(|e| panic!("answer {answer:?} does not encode: {e}"));
            assert_eq!(Iq::parse(text.as_bytes()).ok().as_ref(), Some(&answer));
            assert!(!matches!(answer.payload, Payload::ConnectionRequest { .. }));
        }
    }
});
