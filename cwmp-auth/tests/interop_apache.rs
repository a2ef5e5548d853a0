//! Interop: our digest client against Apache httpd's mod_auth_digest (an independent server).
//!
//! Runs only when `CWMP_AUTH_APACHE_URL` names a digest-protected URL on 127.0.0.1 (user
//! `cpe`, password from `CWMP_AUTH_APACHE_PASSWORD`); `.ci/steps/20-auth-interop.sh` starts
//! Apache and sets both.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use cwmp_auth::digest::DigestClient;
use cwmp_auth::{Error, OsRandom};
use http::{HeaderValue, Method};

struct Response {
    status: u16,
    headers: Vec<(String, HeaderValue)>,
    body: Vec<u8>,
}

impl Response {
    fn all(&self, name: &str) -> Vec<&HeaderValue> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .collect()
    }
}

fn get(authority: &str, path: &str, authorization: Option<&HeaderValue>) -> Response {
    let mut s = TcpStream::connect(authority).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    if let Some(a) = authorization {
        req.push_str(&format!("Authorization: {}\r\n", a.to_str().unwrap()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| {
            (
                n.trim().to_owned(),
                HeaderValue::from_str(v.trim()).unwrap(),
            )
        })
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Needs the Apache httpd that `.ci/steps/20-auth-interop.sh` starts (it runs this test with
/// `--ignored` and the URL set); without the URL it fails under `CI=true`.
#[test]
#[ignore = "needs Apache httpd: run by .ci/steps/20-auth-interop.sh"]
fn our_client_against_apache_mod_auth_digest() {
    let Ok(url) = std::env::var("CWMP_AUTH_APACHE_URL") else {
        // Under CI the step script starts Apache and sets the variable: its absence is a
        // failure there, never a silent pass.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CWMP_AUTH_APACHE_URL not set under CI=true (run .ci/steps/20-auth-interop.sh)"
        );
        eprintln!("CWMP_AUTH_APACHE_URL not set: skipped (run .ci/steps/20-auth-interop.sh)");
        return;
    };
    let password = std::env::var("CWMP_AUTH_APACHE_PASSWORD").unwrap();
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut rng = OsRandom;

    // Right password: 401, then 200 with a verified rspauth, then a second request on the same
    // nonce (nc=00000002) on a new connection.
    let mut client = DigestClient::new("cpe", password.clone());
    let first = get(authority, path, None);
    assert_eq!(first.status, 401);
    eprintln!("apache challenge: {:?}", first.all("www-authenticate"));
    client
        .handle_unauthorized(first.all("www-authenticate"), false)
        .unwrap();
    for round in 1..=3 {
        let auth = client
            .authorization(&Method::GET, path, b"", &mut rng)
            .unwrap();
        let r = get(authority, path, Some(&auth));
        assert_eq!(r.status, 200, "round {round}: {auth:?}");
        let info = r.all("authentication-info");
        eprintln!("round {round}: 200, Authentication-Info {info:?}");
        if let Some(info) = info.first() {
            client.check_authentication_info(info, &r.body).unwrap();
        }
    }

    // Wrong password: 401, then 401 again, which the client reports as bad credentials.
    let mut wrong = DigestClient::new("cpe", "not the password");
    let first = get(authority, path, None);
    wrong
        .handle_unauthorized(first.all("www-authenticate"), false)
        .unwrap();
    let auth = wrong
        .authorization(&Method::GET, path, b"", &mut rng)
        .unwrap();
    let r = get(authority, path, Some(&auth));
    assert_eq!(r.status, 401);
    assert_eq!(
        wrong.handle_unauthorized(r.all("www-authenticate"), true),
        Err(Error::BadCredentials)
    );
    eprintln!("wrong password: 401 then BadCredentials");
}
