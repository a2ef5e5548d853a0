//! `cwmp auth` commands.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::{Command, Output};

fn cwmp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cwmp"))
        .arg("auth")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const CHALLENGE: &str = r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;

#[test]
fn respond_reproduces_rfc2617() {
    let o = cwmp(&[
        "respond",
        "--www-authenticate",
        CHALLENGE,
        "--username",
        "Mufasa",
        "--password",
        "Circle Of Life",
        "--method",
        "GET",
        "--uri",
        "/dir/index.html",
        "--cnonce",
        "0a4f113b",
        "--nc",
        "1",
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        stdout(&o),
        "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001, cnonce=\"0a4f113b\"\n"
    );
}

#[test]
fn respond_with_nc_body_and_random_cnonce() {
    let o = cwmp(&[
        "respond",
        "--www-authenticate",
        r#"Digest realm="r", nonce="n", qop="auth-int", algorithm=SHA-256"#,
        "--username",
        "u",
        "--password",
        "p",
        "--method",
        "POST",
        "--uri",
        "/acs",
        "--nc",
        "10",
        "--body",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli_auth.rs"),
    ]);
    assert!(o.status.success(), "{o:?}");
    let s = stdout(&o);
    assert!(
        s.contains("nc=0000000a") && s.contains("qop=auth-int") && s.contains("algorithm=SHA-256"),
        "{s}"
    );
    assert!(s.contains("cnonce=\""), "{s}");
}

#[test]
fn udp_request_reproduces_spec_cr10() {
    let o = cwmp(&[
        "udp-request",
        "--host",
        "10.0.0.1",
        "--port",
        "7547",
        "--username",
        "user",
        "--password",
        "pw",
        "--ts",
        "1700000000",
        "--id",
        "123",
        "--cnonce",
        "abcd",
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        stdout(&o),
        "GET http://10.0.0.1:7547?ts=1700000000&id=123&un=user&cn=abcd&sig=41995b0c8a8f51affcb3965038397631b3522b76 HTTP/1.1\r\nHost: 10.0.0.1:7547\r\n\r\n"
    );
}

#[test]
fn failures_are_one_error_line_and_status_1() {
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate"],
        &["respond", "--username", "u"],
        &[
            "respond",
            "--www-authenticate",
            "Basic realm=\"x\"",
            "--username",
            "u",
            "--password",
            "p",
            "--method",
            "GET",
            "--uri",
            "/",
        ],
        &[
            "respond",
            "--www-authenticate",
            "Digest realm=\"x\", nonce=\"n\", algorithm=SHA3",
            "--username",
            "u",
            "--password",
            "p",
            "--method",
            "GET",
            "--uri",
            "/",
        ],
        &[
            "respond",
            "--www-authenticate",
            "Digest realm=\"unterminated",
            "--username",
            "u",
            "--password",
            "p",
            "--method",
            "GET",
            "--uri",
            "/",
        ],
        &[
            "respond",
            "--www-authenticate",
            CHALLENGE,
            "--username",
            "u",
            "--password",
            "p",
            "--method",
            "G E T",
            "--uri",
            "/",
        ],
        &[
            "respond",
            "--www-authenticate",
            CHALLENGE,
            "--username",
            "u",
            "--password",
            "p",
            "--method",
            "GET",
            "--uri",
            "/",
            "--body",
            "/nonexistent/file",
        ],
        &[
            "respond",
            "--www-authenticate",
            CHALLENGE,
            "--username",
            "u",
            "--password",
            "p",
            "--method",
            "GET",
            "--uri",
            "/",
            "--nc",
            "0",
        ],
        &[
            "udp-request",
            "--host",
            "h",
            "--port",
            "99999",
            "--username",
            "u",
            "--password",
            "p",
            "--ts",
            "1",
            "--id",
            "1",
            "--cnonce",
            "c",
        ],
        &[
            "udp-request",
            "--host",
            "h",
            "--port",
            "1",
            "--username",
            "u",
            "--password",
            "p",
            "--ts",
            "-1",
            "--id",
            "1",
            "--cnonce",
            "c",
        ],
    ];
    for args in cases {
        let o = cwmp(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {o:?}");
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(
            err.starts_with("error:") && err.trim_end().lines().count() == 1,
            "{args:?}: {err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}
