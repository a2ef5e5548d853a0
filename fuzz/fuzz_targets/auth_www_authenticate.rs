//! `WWW-Authenticate` parsing (cwmp-auth, client side) on arbitrary bytes.
//!
//! Properties checked, beyond "no panic":
//! - every Digest challenge we accept re-serialises (`to_header_value`) into a value that parses
//!   back to the same `DigestChallenge` (re-encode, re-decode, compare);
//! - `choose_challenge` agrees with `parse_challenges` on success/failure of the parse step;
//! - when the client adopts the challenge, the `Authorization` it produces parses as credentials
//!   and carries the challenge's realm, nonce and opaque back unchanged, and the same
//!   credentials verify against our own reference computation of the digest.
#![no_main]

use cwmp_auth::digest::{Chosen, DigestChallenge, DigestClient, choose_challenge};
use cwmp_auth::header::{Limits, parse_challenges, parse_credentials};
use cwmp_auth::http::{HeaderValue, Method};
use cwmp_fuzz::auth::reference_response;
use libfuzzer_sys::fuzz_target;

const USER: &str = "cpe-user";
const PASSWORD: &str = "s3cret";

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(list) = parse_challenges(data, &limits) else {
        // The same bytes as a header value must then fail in choose_challenge too.
        if let Ok(v) = HeaderValue::from_bytes(data) {
            assert!(choose_challenge([&v], &limits).is_err());
        }
        return;
    };
    assert!(list.len() <= limits.max_challenges);
    let mut any_digest = false;
    for ch in list {
        assert!(!ch.scheme.is_empty());
        assert!(ch.params.len() <= limits.max_params);
        let Ok(d) = DigestChallenge::from_challenge(ch) else {
            continue;
        };
        any_digest = true;
        // re-encode → re-decode must give the same challenge
        let Ok(value) = d.to_header_value() else {
            // HeaderValue refuses control characters a quoted-string could carry.
            continue;
        };
        let again = parse_challenges(value.as_bytes(), &limits)
            .unwrap_or_else(|e| panic!("re-parse of {value:?} failed: {e}"));
        assert_eq!(again.len(), 1, "{value:?}");
        let Some(first) = again.into_iter().next() else {
            return;
        };
        let d2 = DigestChallenge::from_challenge(first)
            .unwrap_or_else(|e| panic!("re-read of {value:?} failed: {e}"));
        assert_eq!(d.clone().into_owned(), d2.into_owned(), "{value:?}");

        // The client answers it; the answer must carry the challenge back.
        let mut client = DigestClient::new(USER, PASSWORD);
        match client.handle_unauthorized([&value], false) {
            Ok(()) => {}
            Err(e) => panic!("client refused our own challenge {value:?}: {e}"),
        }
        let uri = "/cwmp?x=1";
        let Ok(auth) = client.authorization_with_cnonce(&Method::POST, uri, b"body", "0a4f113b")
        else {
            continue;
        };
        let cred = parse_credentials(auth.as_bytes(), &limits)
            .unwrap_or_else(|e| panic!("our Authorization {auth:?} does not parse: {e}"));
        assert!(cred.is("Digest"));
        assert_eq!(cred.param("realm"), Some(d.realm.as_ref()), "{auth:?}");
        assert_eq!(cred.param("nonce"), Some(d.nonce.as_ref()), "{auth:?}");
        assert_eq!(cred.param("opaque"), d.opaque.as_deref(), "{auth:?}");
        assert_eq!(cred.param("uri"), Some(uri));
        if !d.userhash {
            assert_eq!(cred.param("username"), Some(USER));
        }
        let expected = reference_response(&cred, USER, PASSWORD, "POST", b"body");
        assert_eq!(
            cred.param("response").map(str::to_ascii_lowercase),
            expected,
            "{auth:?}"
        );
    }
    // choose_challenge on the same value must pick a Digest challenge when there is one.
    if let Ok(v) = HeaderValue::from_bytes(data) {
        let chosen = choose_challenge([&v], &limits);
        if any_digest {
            assert!(matches!(chosen, Ok(Chosen::Digest(_))), "{chosen:?}");
        }
    }
});
