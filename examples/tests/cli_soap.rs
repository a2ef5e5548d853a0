//! `cwmp decode`, `cwmp encode` and `cwmp reencode` as a user runs them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("CWMP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing; CI needs the shared corpus", dir.display());
    }
    eprintln!("note: {} is missing; skipping", dir.display());
    None
}

fn cwmp(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cwmp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tool may exit (on a bad argument) before reading its input: a broken pipe here is
    // the tool's choice, not a test failure; the exit status and stderr tell what happened.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Exit status 1 and exactly one stderr line, starting `error:`.
fn assert_error(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_owned()
}

const INFORM: &str = "corpus/messages/real/zyxel/VMG8924-B10A_Inform.xml";

#[test]
fn decode_an_inform_to_json_and_encode_it_back() {
    let Some(shared) = shared() else { return };
    let path = shared.join(INFORM);
    let out = cwmp(&["decode", path.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    for line in stderr(&out).lines() {
        assert!(line.starts_with("warning: byte "), "{line}");
    }
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], "1.0");
    assert_eq!(doc["namespace"], "urn:dslforum-org:cwmp-1-0");
    assert_eq!(
        doc["warnings"].as_array().unwrap().len(),
        stderr(&out).lines().count()
    );
    let inform = &doc["envelope"]["body"]["Inform"];
    assert_eq!(inform["device_id"]["manufacturer"], "ZyXEL");
    assert_eq!(inform["device_id"]["oui"], "4C9EFF");
    assert_eq!(inform["events"][0]["code"], "6 CONNECTION REQUEST");
    assert_eq!(inform["current_time"], "2016-01-30T13:20:27+01:00");
    assert!(inform["parameters"].as_array().unwrap().len() > 5);

    // JSON -> XML, reading standard input.
    let xml = cwmp(&["encode", "-"], &out.stdout);
    assert!(xml.status.success(), "{}", stderr(&xml));
    let text = String::from_utf8(xml.stdout.clone()).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(text.contains("xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\""));
    assert!(text.contains("<Manufacturer>ZyXEL</Manufacturer>"));

    // ... which decodes to the same envelope, without warnings.
    let again = cwmp(&["decode"], &xml.stdout);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stderr(&again), "");
    let doc2: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(doc2["envelope"], doc["envelope"]);
    assert_eq!(doc2["warnings"], serde_json::json!([]));

    // A bare envelope is accepted too; options apply.
    let bare = serde_json::to_vec(&doc["envelope"]).unwrap();
    let xml = cwmp(
        &[
            "encode",
            "--cwmp-version",
            "1.4",
            "--no-xml-declaration",
            "--bool-digits",
        ],
        &bare,
    );
    assert!(xml.status.success(), "{}", stderr(&xml));
    let text = String::from_utf8(xml.stdout).unwrap();
    assert!(text.starts_with("<soap-env:Envelope"));
    assert!(text.contains("urn:dslforum-org:cwmp-1-2"));
}

#[test]
fn reencode_picks_the_decoded_version_or_the_one_asked_for() {
    let Some(shared) = shared() else { return };
    let path = shared.join(INFORM);
    let same = cwmp(&["reencode", path.to_str().unwrap()], b"");
    assert!(same.status.success(), "{}", stderr(&same));
    assert!(
        String::from_utf8(same.stdout)
            .unwrap()
            .contains("urn:dslforum-org:cwmp-1-0")
    );
    let newer = cwmp(
        &["reencode", "--cwmp-version", "1.2", path.to_str().unwrap()],
        b"",
    );
    assert!(newer.status.success(), "{}", stderr(&newer));
    assert!(
        String::from_utf8(newer.stdout)
            .unwrap()
            .contains("urn:dslforum-org:cwmp-1-2")
    );
}

#[test]
fn failures_are_one_error_line_and_status_1() {
    // Malformed XML: the byte offset is in the message.
    let line = assert_error(&cwmp(
        &["decode"],
        b"<soap:Envelope xmlns:soap=\"x\"><a></b>",
    ));
    assert!(line.contains("at byte "), "{line}");
    // Once.
    assert_eq!(line.matches("byte").count(), 1, "{line}");
    let line = assert_error(&cwmp(&["decode", "-"], b""));
    assert!(line.contains("at byte "), "{line}");
    let line = assert_error(&cwmp(&["reencode"], b"\xff\xfe garbage"));
    assert!(line.contains("at byte "), "{line}");
    // Strict mode refuses what lenient mode warns about.
    let lenient = b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><s:Body><cwmp:GetParameterValues><ParameterNames><string>A.</string></ParameterNames></cwmp:GetParameterValues></s:Body></s:Envelope>";
    let ok = cwmp(&["decode"], lenient);
    assert!(ok.status.success());
    assert!(stderr(&ok).lines().all(|l| l.starts_with("warning: ")));
    assert!(!stderr(&ok).is_empty());
    let line = assert_error(&cwmp(&["decode", "--strict"], lenient));
    assert!(line.contains("at byte "), "{line}");

    assert_error(&cwmp(&["encode"], b"{ not json"));
    assert_error(&cwmp(&["encode"], b"{\"header\": 1}"));
    assert_error(&cwmp(&["encode", "--cwmp-version", "2.0"], b"{}"));
    assert_error(&cwmp(&["decode", "/nonexistent/file.xml"], b""));
    assert_error(&cwmp(&["decode", "--bogus"], b""));
}

#[test]
fn reencode_prints_the_encode_warnings_and_strict_encode_refuses() {
    // A lower-case OUI: kept and written as it came, reported as it is written.
    let vector = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cwmp-soap/tests/vectors/shape-facet-violations.xml"
    );
    let o = cwmp(&["reencode", vector], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: encode: OUI"), "{err}");
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("<OUI>00a0c9</OUI>")
    );
    let o = cwmp(&["reencode", "--strict-encode", vector], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("error: refused to encode: OUI"),
        "{}",
        stderr(&o)
    );
}
