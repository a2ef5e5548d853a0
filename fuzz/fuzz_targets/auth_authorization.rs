//! Server-side `Authorization` parsing and digest verification (cwmp-auth) with a fixed secret.
//!
//! Input: one configuration byte, then the header value. In the header value the fuzzer can
//! use placeholders the target fills in, so that the accepting paths are reachable:
//! `@N` a valid nonce of this server (issued at a time chosen by the configuration byte),
//! `@H` the userhash of the known user, `@R` the correct response for the parsed credentials
//! (computed by an independent reference implementation).
//!
//! Properties: no panic; the server never accepts a response that differs from the reference
//! computation, nor a user other than the one in its store, nor an algorithm or qop it did not
//! offer; an accepted request with a qop is refused as a replay the second time; the
//! `Authentication-Info` for an accepted request parses.
#![no_main]

use cwmp_auth::digest::{DigestServer, MemoryNonceCounter, QopSet, Request, Users};
use cwmp_auth::header::{Limits, parse_credentials, parse_params};
use cwmp_auth::http::{HeaderValue, Method};
use cwmp_auth::{Algorithm, Error, RandomSource};
use cwmp_fuzz::auth::reference_response;
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"fuzz-secret-0123456789abcdef0123";
const REALM: &str = "cwmp";
const USER: &str = "acs-user";
const PASSWORD: &str = "pa:ss\"word";
const NOW: u64 = 1_700_000_000;
const URI: &str = "/cwmp/acs";
const BODY: &[u8] = b"<soap-env:Envelope/>";

struct FixedRandom(u8);

impl RandomSource for FixedRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        for b in buf.iter_mut() {
            *b = self.0;
            self.0 = self.0.wrapping_mul(31).wrapping_add(7);
        }
        Ok(())
    }
}

const ALL_ALGORITHMS: [Algorithm; 6] = [
    Algorithm::Md5,
    Algorithm::Md5Sess,
    Algorithm::Sha256,
    Algorithm::Sha256Sess,
    Algorithm::Sha512_256,
    Algorithm::Sha512_256Sess,
];

fuzz_target!(|data: &[u8]| {
    let Some((&config, header)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(header) else {
        // Non-UTF-8 values must be refused, never accepted.
        if let Ok(v) = HeaderValue::from_bytes(header) {
            let server = DigestServer::new(REALM, SECRET);
            let mut counter = MemoryNonceCounter::new(4);
            let users = Users::new().with(USER, PASSWORD);
            let req = Request {
                method: &Method::POST,
                uri: URI,
                body: BODY,
            };
            assert!(server.verify(&req, &v, NOW, &users, &mut counter).is_err());
        }
        return;
    };

    let qop = match config & 3 {
        0 => QopSet::NONE,
        1 => QopSet::AUTH,
        2 => QopSet::AUTH_INT,
        _ => QopSet::BOTH,
    };
    let algorithms: Vec<Algorithm> = if config & 4 == 0 {
        vec![Algorithm::Sha256, Algorithm::Md5]
    } else {
        ALL_ALGORITHMS.to_vec()
    };
    let mut server = DigestServer::new(REALM, SECRET)
        .qop(qop)
        .algorithms(&algorithms)
        .userhash(config & 8 != 0)
        .nonce_lifetime(300);
    if config & 16 != 0 {
        server = server.opaque("op\\aque");
    }
    // Nonce age: 0 s, 100 s, 299 s or 301 s (stale).
    let age = [0u64, 100, 299, 301][usize::from((config >> 5) & 3)];
    let method = if config & 128 == 0 {
        Method::POST
    } else {
        Method::GET
    };

    let nonce = server
        .new_nonce(NOW - age, &mut FixedRandom(config))
        .unwrap_or_default();
    let mut text = text.replace("@N", &nonce);
    let limits = Limits::default();
    if text.contains("@H") {
        let alg = parse_credentials(text.as_bytes(), &limits)
            .ok()
            .and_then(|c| c.param("algorithm").map(|a| Algorithm::parse(a.trim())))
            .and_then(Result::ok)
            .unwrap_or(Algorithm::Md5);
        text = text.replace("@H", &alg.userhash(USER, REALM));
    }
    if text.contains("@R") {
        let r = parse_credentials(text.as_bytes(), &limits)
            .ok()
            .and_then(|c| reference_response(&c, USER, PASSWORD, method.as_str(), BODY));
        if let Some(r) = r {
            text = text.replace("@R", &r);
        }
    }
    let Ok(value) = HeaderValue::from_str(&text) else {
        return;
    };

    let users = Users::new().with(USER, PASSWORD);
    let mut counter = MemoryNonceCounter::new(4);
    let req = Request {
        method: &method,
        uri: URI,
        body: BODY,
    };
    let Ok(verified) = server.verify(&req, &value, NOW, &users, &mut counter) else {
        return;
    };

    // Accepted: it must be right by the reference computation.
    let cred = parse_credentials(value.as_bytes(), &limits)
        .unwrap_or_else(|e| panic!("accepted {text:?} but it does not parse: {e}"));
    assert_eq!(verified.username, USER, "{text:?}");
    assert!(algorithms.contains(&verified.algorithm), "{text:?}");
    match verified.qop {
        Some(q) => assert!(qop.contains(q), "{text:?}"),
        None => assert!(qop.is_empty(), "{text:?}"),
    }
    let expected = reference_response(&cred, USER, PASSWORD, method.as_str(), BODY)
        .unwrap_or_else(|| panic!("accepted {text:?}, which the reference cannot compute"));
    let sent = cred
        .param("response")
        .map(|r| r.trim().to_ascii_lowercase());
    assert_eq!(sent.as_deref(), Some(expected.as_str()), "{text:?}");
    assert!(age <= 300, "accepted a stale nonce: {text:?}");

    // A second use of the same nonce count is a replay.
    let again = server.verify(&req, &value, NOW, &users, &mut counter);
    if verified.qop.is_some() {
        assert!(
            matches!(again, Err(Error::Replay)),
            "{again:?} for {text:?}"
        );
    }

    let info = server
        .authentication_info(&verified, b"response body", Some("next-nonce"))
        .unwrap_or_else(|e| panic!("no Authentication-Info for {text:?}: {e}"));
    let params = parse_params(info.as_bytes(), &limits)
        .unwrap_or_else(|e| panic!("Authentication-Info {info:?} does not parse: {e}"));
    assert!(params.iter().any(|p| p.name == "nextnonce"));
});
