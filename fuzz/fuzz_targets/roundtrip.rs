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

use cwmp_core::CwmpVersion;
use cwmp_soap::{ControlCharPolicy, Decoder, EncodeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoder = Decoder::new().with_control_chars(ControlCharPolicy::Replace);
    let Ok(first) = decoder.decode(data) else {
        return;
    };
    let mut m1 = first.envelope.into_owned();
    m1.header.no_more_requests = None;

    let options = EncodeOptions::for_version(CwmpVersion::V1_4);
    let mut bytes1 = Vec::new();
    options.encode(&m1, &mut bytes1);
    let second = decoder.decode(&bytes1).unwrap_or_else(|e| {
        panic!(
            "re-decode failed: {e}\nmodel: {m1:?}\nencoded: {}",
            String::from_utf8_lossy(&bytes1)
        )
    });
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
