//! Runs the demo binary as a user would (`cargo run -p cwmp-examples --bin demo`) and checks its
//! transcript and exit code.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn demo_runs_two_sessions_and_exits_zero() {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(["--timeout", "30"])
        .output()
        .expect("run demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed:\n{stdout}\n{stderr}");
    assert!(start.elapsed() < Duration::from_secs(30));
    for needle in [
        "[cpe] → POST Inform 00256D-HGW-1-ACME0001 events [0 BOOTSTRAP, 1 BOOT]",
        "→ 401 digest challenge",
        "[cpe] ← 401, answering the digest challenge",
        "→ 200 InformResponse",
        "→ 200 GetParameterValues Device.DeviceInfo.SoftwareVersion",
        "[cpe] → POST GetParameterValuesResponse 2 values: Device.DeviceInfo.SoftwareVersion=\"1.0.0\"",
        "[cpe] → POST SetParameterValuesResponse status 0",
        "[cpe] → POST GetParameterNamesResponse",
        "[cpe] → POST AddObjectResponse instance 2 status 0",
        "→ 204 No Content",
        "[cpe] ← connection request from",
        "[cpe] ← connection request (digest user \"acs-demo\") → 200, session due",
        "[cpe] → POST Inform 00256D-HGW-1-ACME0001 events [6 CONNECTION REQUEST]",
        "[cpe] → POST Fault 9003 Invalid arguments; Device.ManagementServer.PeriodicInformInterval 9007",
        // issue 12: active notification, a Download and its TransferComplete
        "[cpe] → POST SetParameterAttributesResponse",
        "[files] ← GET firmware → 200",
        "[cpe] → POST Inform 00256D-HGW-1-ACME0001 events [7 TRANSFER COMPLETE, M Download]",
        "[cpe] → POST TransferComplete key \"download\" fault 0",
        "[cpe] local change: Device.DeviceInfo.ProvisioningCode = \"changed-on-the-device\" (active notification: session due)",
        "[cpe] 4 VALUE CHANGE: Device.DeviceInfo.ProvisioningCode = \"changed-on-the-device\"",
        "[cpe] → POST Inform 00256D-HGW-1-ACME0001 events [4 VALUE CHANGE]",
        "[demo] demo passed",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in:\n{stdout}");
    }
    assert_eq!(stdout.matches("[cpe] session ").count(), 4, "{stdout}");
    assert!(!stdout.contains("error"), "{stdout}");
    assert!(stderr.trim().is_empty(), "stderr: {stderr}");
}

#[test]
fn demo_times_out_with_an_error_line() {
    // A zero budget cannot be met: the demo must give up with one error line and exit 1.
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(["--timeout", "0"])
        .output()
        .expect("run demo");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: demo timed out after 0 s"),
        "{stderr}"
    );
}
