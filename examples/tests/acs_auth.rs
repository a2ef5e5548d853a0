//! The ACS's CPE authentication policy: digest by default with MD5 offered first, Basic only
//! over TLS unless allowed in clear, `none` only when allowed, nonces shared between instances
//! through the secret.

use cwmp_auth::digest::{DigestClient, Users};
use cwmp_auth::{Algorithm, Error, OsRandom};
use cwmp_examples::acs_auth::{AcsAuth, AuthConfig, Verdict, request};
use cwmp_examples::acs_store::AuthPolicy;
use http::{HeaderMap, HeaderValue, Method};

const NOW: u64 = 1_800_000_000;

fn config() -> AuthConfig {
    AuthConfig {
        users: Users::new().with("cpe", "s3cret"),
        ..AuthConfig::default()
    }
}

fn with_auth(value: HeaderValue) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(http::header::AUTHORIZATION, value);
    h
}

fn challenges(v: Verdict) -> Vec<String> {
    match v {
        Verdict::Challenge(c, _) => c.iter().map(|h| h.to_str().unwrap().to_owned()).collect(),
        Verdict::Ok { .. } => panic!("expected a challenge"),
    }
}

#[test]
fn digest_by_default_offers_md5_first() {
    let auth = AcsAuth::new(config(), &[1; 32]);
    let p = auth.effective(None);
    assert_eq!(p, AuthPolicy::Digest);
    let m = Method::POST;
    let c = challenges(auth.check(p, false, &request(&m, "/acs", b""), &HeaderMap::new(), NOW));
    assert_eq!(c.len(), 2);
    assert!(
        c[0].starts_with("Digest ") && c[0].contains("algorithm=MD5"),
        "{c:?}"
    );
    assert!(c[1].contains("algorithm=SHA-256"), "{c:?}");
    assert!(c.iter().all(|c| !c.starts_with("Basic")));
    // Configurable order.
    let auth = AcsAuth::new(
        AuthConfig {
            algorithms: vec![Algorithm::Sha256, Algorithm::Md5],
            ..config()
        },
        &[1; 32],
    );
    let c = challenges(auth.check(p, false, &request(&m, "/acs", b""), &HeaderMap::new(), NOW));
    assert!(c[0].contains("algorithm=SHA-256"), "{c:?}");
}

#[test]
fn a_nonce_from_one_instance_is_accepted_by_another_with_the_same_secret() {
    let secret = [42u8; 32];
    let a = AcsAuth::new(config(), &secret);
    let b = AcsAuth::new(config(), &secret);
    let other = AcsAuth::new(config(), &[7u8; 32]);
    let m = Method::POST;
    let Verdict::Challenge(ch, None) = a.check(
        AuthPolicy::Digest,
        false,
        &request(&m, "/acs", b"x"),
        &HeaderMap::new(),
        NOW,
    ) else {
        panic!("expected a challenge")
    };
    let mut client = DigestClient::new("cpe", "s3cret");
    client.handle_unauthorized(ch.iter(), false).unwrap();
    let value = client
        .authorization(&m, "/acs", b"x", &mut OsRandom)
        .unwrap();
    let h = with_auth(value);
    assert!(matches!(
        b.check(AuthPolicy::Digest, false, &request(&m, "/acs", b"x"), &h, NOW + 1),
        Verdict::Ok { ref user, scheme: "digest" } if user == "cpe"
    ));
    assert!(matches!(
        other.check(
            AuthPolicy::Digest,
            false,
            &request(&m, "/acs", b"x"),
            &h,
            NOW + 1
        ),
        Verdict::Challenge(_, Some(_))
    ));
}

#[test]
fn basic_only_over_tls_unless_allowed_in_clear() {
    let m = Method::POST;
    let good = with_auth(cwmp_auth::basic::authorization("cpe", "s3cret").unwrap());
    let bad = with_auth(cwmp_auth::basic::authorization("cpe", "wrong").unwrap());
    let auth = AcsAuth::new(config(), &[1; 32]);
    // Under the digest policy, pre-emptive Basic is refused with a digest challenge.
    let v = auth.check(AuthPolicy::Digest, true, &request(&m, "/", b""), &good, NOW);
    assert!(matches!(v, Verdict::Challenge(_, Some(Error::WrongScheme))));
    // Under the Basic policy: accepted over TLS, refused in clear.
    assert!(matches!(
        auth.check(AuthPolicy::Basic, true, &request(&m, "/", b""), &good, NOW),
        Verdict::Ok {
            scheme: "basic",
            ..
        }
    ));
    let v = auth.check(AuthPolicy::Basic, false, &request(&m, "/", b""), &good, NOW);
    let c = challenges(v);
    assert!(c.iter().all(|c| c.starts_with("Digest ")), "{c:?}");
    // Allowed in clear by the operator: a simulator sending Basic pre-emptively gets in.
    let clear = AcsAuth::new(
        AuthConfig {
            allow_basic_in_clear: true,
            ..config()
        },
        &[1; 32],
    );
    assert!(matches!(
        clear.check(AuthPolicy::Basic, false, &request(&m, "/", b""), &good, NOW),
        Verdict::Ok { ref user, scheme: "basic" } if user == "cpe"
    ));
    let v = clear.check(AuthPolicy::Basic, false, &request(&m, "/", b""), &bad, NOW);
    assert!(matches!(
        v,
        Verdict::Challenge(_, Some(Error::BadCredentials))
    ));
    let c = challenges(clear.check(
        AuthPolicy::Basic,
        false,
        &request(&m, "/", b""),
        &HeaderMap::new(),
        NOW,
    ));
    assert!(c.last().unwrap().starts_with("Basic realm="), "{c:?}");
}

#[test]
fn none_only_when_allowed() {
    let m = Method::POST;
    let auth = AcsAuth::new(
        AuthConfig {
            policy: AuthPolicy::None,
            ..config()
        },
        &[1; 32],
    );
    assert_eq!(auth.effective(None), AuthPolicy::Digest);
    assert_eq!(auth.effective(Some(AuthPolicy::None)), AuthPolicy::Digest);
    let lab = AcsAuth::new(
        AuthConfig {
            allow_none: true,
            ..config()
        },
        &[1; 32],
    );
    assert_eq!(lab.effective(None), AuthPolicy::Digest);
    assert_eq!(lab.effective(Some(AuthPolicy::None)), AuthPolicy::None);
    assert!(matches!(
        lab.check(
            AuthPolicy::None,
            false,
            &request(&m, "/", b""),
            &HeaderMap::new(),
            NOW
        ),
        Verdict::Ok { scheme: "none", .. }
    ));
}
