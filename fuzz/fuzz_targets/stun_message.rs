//! STUN message parsing (cwmp-auth, TR-111) on arbitrary datagrams.
//!
//! Properties: no panic; an accepted message re-encodes and parses back to the same message
//! (parse → encode → parse identity on the model); the integrity and fingerprint checks and
//! the binding client never panic; MESSAGE-INTEGRITY and FINGERPRINT computed by the encoder
//! verify.
#![no_main]

use std::time::Duration;

use cwmp_auth::stun::message::{
    Integrity, MAX_MESSAGE, Message, is_stun, short_term_key, verify_fingerprint, verify_integrity,
};
use cwmp_auth::stun::{BindingClient, BindingConfig, KeepAlive};
use cwmp_auth::{Error, RandomSource};
use libfuzzer_sys::fuzz_target;

struct Fixed;
impl RandomSource for Fixed {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        buf.fill(0x5A);
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let parsed = Message::parse(data);
    if data.len() > MAX_MESSAGE {
        assert!(parsed.is_err());
    }
    let _ = verify_integrity(data, b"key");
    let _ = verify_fingerprint(data);
    if let Ok(m) = &parsed {
        assert!(is_stun(data));
        let mut out = Vec::new();
        m.encode(&mut out)
            .unwrap_or_else(|e| panic!("{m:?} parsed but does not encode: {e}"));
        let again = Message::parse(&out)
            .unwrap_or_else(|e| panic!("{m:?} encoded as {out:02x?} does not parse: {e}"));
        assert_eq!(m, &again);

        let key = short_term_key("fuzz");
        let mut signed = Vec::new();
        if m.encode_with_integrity(&key, true, &mut signed).is_ok() {
            assert_eq!(verify_integrity(&signed, &key).ok(), Some(Integrity::Valid));
            assert_eq!(verify_fingerprint(&signed).ok(), Some(Some(true)));
        }
    }

    // The binding client with an outstanding request: any datagram is handled without panic.
    let Ok(keep_alive) = KeepAlive::new(30, None) else {
        return;
    };
    let mut client = BindingClient::new(BindingConfig::new(keep_alive).with_credentials("u", "p"));
    if client.handle_timeout(Duration::ZERO, &mut Fixed).is_ok() {
        let _ = client.poll_transmit();
        let _ = client.handle_datagram(Duration::from_millis(1), data, &mut Fixed);
        while client.poll_event().is_some() {}
        while client.poll_transmit().is_some() {}
    }
});
