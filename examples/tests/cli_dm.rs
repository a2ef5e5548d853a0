//! `cwmp dm` commands.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::{Command, Output};

const MINI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../cwmp-datamodel/tests/vectors/standalone-mini-device.xml"
);
const VENDOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../cwmp-datamodel/tests/vectors/vendor-x-example-com-device-2-17.xml"
);

fn cwmp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cwmp"))
        .arg("dm")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The corpus directory, or `None` (with a note) outside CI when it is absent.
fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("CWMP_SHARED") {
        Some(s) => PathBuf::from(s).join("corpus"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")),
    };
    if dir.join("datamodels").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("corpus not found at {} (CI=true)", dir.display());
    }
    eprintln!("note: corpus not found at {}; skipping", dir.display());
    None
}

#[test]
fn lookup_prints_json() {
    let o = cwmp(&[
        "lookup",
        "--model",
        MINI,
        "Device.ManagementServer.PeriodicInformInterval",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["kind"], "parameter");
    assert_eq!(v["type"], "unsignedInt");
    assert_eq!(v["access"], "readWrite");
    assert_eq!(v["facets"]["range"][0]["minInclusive"], "1");
    assert_eq!(v["facets"]["units"], "seconds");

    let o = cwmp(&["lookup", "--model", MINI, "Device.IP.Interface.[wan]."]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["kind"], "object");
    assert_eq!(v["path"], "Device.IP.Interface.{i}.");
    assert_eq!(v["maxEntries"], "unbounded");
    assert_eq!(v["table"], true);

    let o = cwmp(&["lookup", "--model", MINI, "Device.IP.Interface.2.Name"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["dataType"], "ShortName");
    assert_eq!(v["maxLength"], 8);
}

#[test]
fn lookup_unknown_path_fails() {
    let o = cwmp(&["lookup", "--model", MINI, "Device.Nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
    let o = cwmp(&["lookup", "--model", MINI, "Device..X"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: "));
}

#[test]
fn check_ok_and_faults() {
    let o = cwmp(&[
        "check",
        "--model",
        MINI,
        "Device.ManagementServer.PeriodicInformInterval",
        "60",
    ]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), "ok");
    for (path, value, code) in [
        (
            "Device.ManagementServer.PeriodicInformInterval",
            "0",
            "9007",
        ),
        (
            "Device.ManagementServer.PeriodicInformInterval",
            "abc",
            "9006",
        ),
        ("Device.ManagementServer.ParameterKey", "k", "9008"),
        ("Device.Bogus", "1", "9005"),
    ] {
        let o = cwmp(&["check", "--model", MINI, path, value]);
        assert_eq!(o.status.code(), Some(1), "{path}");
        let out = stdout(&o);
        assert!(out.starts_with(&format!("fault {code} ")), "{path}: {out}");
    }
    let o = cwmp(&[
        "check",
        "--model",
        MINI,
        "--type",
        "xsd:string",
        "Device.ManagementServer.PeriodicInformInterval",
        "60",
    ]);
    assert!(stdout(&o).starts_with("fault 9006 "));
}

#[test]
fn children_lists_definitions() {
    let o = cwmp(&["children", "--model", MINI, "Device."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"Device.ManagementServer."), "{paths:?}");
}

#[test]
fn bad_invocations_never_panic() {
    for args in [
        &["lookup"][..],
        &["check", "--model", MINI, "Device.X"],
        &["lookup", "--model", "/nonexistent/model.xml", "Device."],
        &["lookup", "--model", env!("CARGO_MANIFEST_DIR"), "Device."],
        &["frobnicate"],
        &[],
    ] {
        let o = cwmp(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = stderr(&o);
        assert!(e.starts_with("error: "), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{args:?}: {e}");
    }
    let o = cwmp(&["--help"]);
    assert!(o.status.success());
}

#[test]
fn real_models_and_vendor_import() {
    let Some(c) = corpus() else { return };
    let tr181 = c.join("datamodels/tr-181-2-17-0-cwmp-full.xml");
    let tr181 = tr181.to_str().unwrap();
    let o = cwmp(&[
        "lookup",
        "--model",
        tr181,
        "Device.ManagementServer.Password",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["type"], "string");
    assert_eq!(v["maxLength"], 256);
    assert_eq!(v["hidden"], true);
    assert_eq!(v["access"], "readWrite");
    let o = cwmp(&[
        "check",
        "--model",
        tr181,
        "Device.DeviceInfo.SerialNumber",
        "x",
    ]);
    assert!(stdout(&o).starts_with("fault 9008 "));

    // the vendor vector imports tr-181-2-17-0-cwmp-full.xml relative to its own directory,
    // which does not hold it: a clean error
    let o = cwmp(&["lookup", "--model", VENDOR, "Device.X_EXAMPLE-COM_Foo.Bar"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: cannot load tr-181-2-17-0-cwmp-full.xml"),
        "{}",
        stderr(&o)
    );

    let tr098 = c.join("datamodels/tr-098-1-8-0-full.xml");
    let o = cwmp(&[
        "lookup",
        "--model",
        tr181,
        "--model",
        tr098.to_str().unwrap(),
        "InternetGatewayDevice.LANDevice.1.WLANConfiguration.[ssid1].SSID",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn values_starting_with_a_hyphen_are_values() {
    // PeriodicInformInterval is an unsignedInt with a minimum of 1: `-1` is a value that
    // fails the check (9007 or 9006), never an unknown option.
    let o = cwmp(&[
        "check",
        "--model",
        MINI,
        "Device.ManagementServer.PeriodicInformInterval",
        "-1",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("fault 9007 ") || out.starts_with("fault 9006 "),
        "{out}"
    );
}

#[test]
fn help_works_at_every_level() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["help", "dm"],
        &["help", "dm", "check"],
        &["dm", "--help"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_cwmp"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("Usage"), "{args:?}: {}", stdout(&o));
    }
    let o = Command::new(env!("CARGO_BIN_EXE_cwmp"))
        .args(["help", "dm", "check"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("--model"));
}
