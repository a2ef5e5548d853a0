//! UDP connection request parsing and verification (cwmp-auth, TR-069 Annex G) on arbitrary
//! datagrams.
//!
//! The literal `sig=@SIG` in the datagram is replaced by the correct signature for the parsed
//! fields under the fixed password, so that the accepting path is reachable.
//!
//! Properties: no panic; a parsed request re-serialises (`to_datagram`) into a datagram that
//! parses to the same request; an accepted request has the configured user name and a signature
//! that verifies; the same datagram is refused the second time (replay).
#![no_main]

use cwmp_auth::Error;
use cwmp_auth::udp::{MAX_DATAGRAM, UdpConnectionRequest, UdpVerifier, signature};
use libfuzzer_sys::fuzz_target;

const USER: &str = "cr-user";
const PASSWORD: &str = "cr-pass";

fuzz_target!(|data: &[u8]| {
    let mut datagram = data.to_vec();
    if let Some(pos) = find(data, b"sig=@SIG")
        && let Ok(req) = UdpConnectionRequest::parse(data)
    {
        let ts = req.ts().map(|t| t.to_string());
        let id = req.id().map(|t| t.to_string());
        if let (Some(ts), Some(id)) = (ts, id) {
            let sig = signature(PASSWORD, &ts, &id, req.username(), req.cnonce());
            datagram.splice(pos + 4..pos + 8, sig.into_bytes());
        }
    }
    let datagram = datagram.as_slice();

    let parsed = UdpConnectionRequest::parse(datagram);
    if datagram.len() > MAX_DATAGRAM {
        assert!(parsed.is_err());
    }
    if let Ok(req) = &parsed {
        // re-encode → re-decode
        let again = req.to_datagram();
        assert_eq!(
            req.request_line().as_bytes(),
            &again[..req.request_line().len()]
        );
        {
            let req2 = UdpConnectionRequest::parse(&again).unwrap_or_else(|e| {
                panic!(
                    "{req:?} re-serialised as {:?} does not parse: {e}",
                    String::from_utf8_lossy(&again)
                )
            });
            assert_eq!(req, &req2, "{:?}", String::from_utf8_lossy(&again));
        }
    }

    let mut verifier = UdpVerifier::new(USER, PASSWORD);
    match verifier.verify(datagram) {
        Ok(req) => {
            assert_eq!(req.username(), USER);
            assert!(req.verify_signature(PASSWORD));
            assert!(!req.verify_signature("another password"));
            assert_eq!(Some(&req), parsed.as_ref().ok());
            let second = verifier.verify(datagram);
            assert!(matches!(second, Err(Error::Replay)), "{second:?}");
        }
        Err(_) => {
            if let Ok(req) = &parsed {
                // Refused although it parsed: then something about it must be wrong.
                assert!(
                    req.username() != USER
                        || !req.verify_signature(PASSWORD)
                        || req.ts().is_none()
                        || req.id().is_none(),
                    "{req:?} refused"
                );
            }
        }
    }
});

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
