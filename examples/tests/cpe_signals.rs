//! The reference CPE stops the same way on SIGINT (Ctrl-C) and SIGTERM (systemd, docker
//! stop): the summary line, then exit.
#![cfg(unix)]

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn stop_with(signal: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpe"))
        // nothing listens on port 9 of loopback: sessions fail and are retried later
        .args([
            "--acs-url",
            "http://127.0.0.1:9/acs",
            "--periodic-interval",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cpe");
    let mut err = child.stderr.take().expect("stderr");
    // wait until it has started (its first line names the device)
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains("connection requests at") {
        assert!(Instant::now() < deadline, "cpe did not start");
        match err.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(buf.get(..n).unwrap_or(&[])),
        }
    }
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut rest = String::new();
    let _ = err.read_to_string(&mut rest);
    let _ = child.wait();
    format!("{}{rest}", String::from_utf8_lossy(&seen))
}

#[test]
fn sigterm_prints_the_same_summary_as_sigint() {
    let int = stop_with("-INT");
    let term = stop_with("-TERM");
    for out in [&int, &term] {
        assert!(
            out.contains("[cpe] stopped: 0 session(s) completed"),
            "no summary in:\n{out}"
        );
    }
    assert!(term.contains("SIGTERM, stopping"), "{term}");
}
