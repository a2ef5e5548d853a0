//! Every message of the shared corpus decodes in lenient mode (except the one truncated file),
//! and strict mode reports the schema-facet breakers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use cwmp_core::Body;
use cwmp_core::limits::ViolationKind;
use cwmp_soap::decode::{DecodeError, Decoder, WarningKind};

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("CWMP_SHARED") {
        Some(d) => PathBuf::from(d).join("corpus"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    if dir.join("messages").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("corpus not found at {} (CI=true)", dir.display());
    }
    eprintln!("note: corpus not found at {}, skipping", dir.display());
    None
}

fn messages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("messages")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn rel(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir.join("messages"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_corpus_message_decodes_leniently() {
    let Some(dir) = corpus() else { return };
    let files = messages(&dir);
    assert!(files.len() >= 100, "{} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = rel(&dir, path);
        let bytes = std::fs::read(path).unwrap();
        let result = Decoder::new().decode(&bytes);
        if name == "synthetic/jdalberg-cwmp/bogus_inform_1.xml" {
            assert!(
                matches!(result, Err(DecodeError::UnexpectedEof { .. })),
                "{name}: {result:?}"
            );
            continue;
        }
        match result {
            Ok(d) => {
                assert!(
                    !matches!(d.envelope.body, Body::Unknown(_)),
                    "{name} decoded as an unknown method: {:?}",
                    d.envelope.body
                );
                eprintln!(
                    "{name}: {} {:?}",
                    d.envelope.body.name(),
                    d.warnings.iter().map(|w| w.kind).collect::<Vec<_>>()
                );
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The strict error of a corpus file: (deviation kinds, violated fields with their kind).
fn strict(dir: &Path, name: &str) -> (Vec<WarningKind>, Vec<(&'static str, ViolationKind)>) {
    let bytes = std::fs::read(dir.join("messages").join(name)).unwrap();
    assert!(
        Decoder::new().decode(&bytes).is_ok(),
        "{name} decodes leniently"
    );
    match Decoder::strict().decode(&bytes) {
        Err(DecodeError::Strict {
            deviations,
            violations,
            ..
        }) => (
            deviations.iter().map(|w| w.kind).collect(),
            violations.into_iter().map(|v| (v.field, v.kind)).collect(),
        ),
        other => panic!("{name}: expected a strict error, got {other:?}"),
    }
}

#[test]
fn strict_mode_reports_the_schema_facet_breakers() {
    use ViolationKind::*;
    let Some(dir) = corpus() else { return };
    let oui = || ("OUI", Pattern("[0-9A-F]{6}"));
    // Lower-case OUI (and a malformed CurrentTime `2019-03-05T11:54::14`).
    let (dev, vio) = strict(&dir, "real/cytco/BCM_Serials_Inform.xml");
    assert_eq!(dev, vec![WarningKind::InvalidDateTime]);
    assert_eq!(vio, vec![oui(), ("CurrentTime", Pattern("xs:dateTime"))]);
    // Five-digit OUI, no Header.
    let (dev, vio) = strict(&dir, "anonymised/acs_ex/inform_noheader1.xml");
    assert_eq!(dev, vec![]);
    assert_eq!(vio, vec![oui()]);
    // Four-character OUI, and the misspelled HoldRequest header.
    let (dev, vio) = strict(&dir, "synthetic/clj-tr069/Inform.xml");
    assert_eq!(dev, vec![WarningKind::MisspelledHeader]);
    assert_eq!(vio, vec![oui()]);
    // A 34-character CommandKey.
    let (_, vio) = strict(&dir, "anonymised/freeacs-ont/Inform.xml");
    assert_eq!(vio, vec![("CommandKey", TooLong { max: 32, len: 34 })]);
    // ObjectName without its trailing dot.
    for name in [
        "synthetic/clj-tr069/AddObject.xml",
        "synthetic/clj-tr069/DeleteObject.xml",
        "synthetic/jdalberg-cwmp/add_object_2.xml",
    ] {
        assert_eq!(
            strict(&dir, name),
            (vec![], vec![("ObjectName", Pattern(".*\\."))]),
            "{name}"
        );
    }
    // Status 2.
    for name in [
        "synthetic/clj-tr069/DeleteObjectResponse.xml",
        "synthetic/clj-tr069/DownloadResponse.xml",
        "synthetic/clj-tr069/SetParameterValuesResponse.xml",
    ] {
        assert_eq!(
            strict(&dir, name),
            (vec![], vec![("Status", OutOfRange(2))]),
            "{name}"
        );
    }
    // FileType outside the patterns.
    assert_eq!(
        strict(&dir, "synthetic/clj-tr069/Download.xml"),
        (vec![], vec![("FileType", Pattern("DownloadFileType"))])
    );
    assert_eq!(
        strict(&dir, "synthetic/jdalberg-cwmp/upload_1.xml"),
        (vec![], vec![("FileType", Pattern("UploadFileType"))])
    );
    let (_, vio) = strict(&dir, "synthetic/clj-tr069/AutonomousTransferComplete.xml");
    assert_eq!(
        vio,
        vec![
            ("FileType", Pattern("TransferFileType")),
            (
                "FaultCode",
                FaultCodeNotAllowed(cwmp_core::fault::FaultCode::new(9999))
            )
        ]
    );
}

#[test]
fn strict_mode_accepts_schema_valid_corpus_messages() {
    let Some(dir) = corpus() else { return };
    for name in [
        "real/zyxel/P-2601HN-F1_Inform.xml",
        "synthetic/clj-tr069/GetParameterValuesResponse.xml",
        "synthetic/jdalberg-cwmp/fault_1.xml",
        "synthetic/jdalberg-cwmp/schedule_download_1.xml",
    ] {
        let bytes = std::fs::read(dir.join("messages").join(name)).unwrap();
        let d = Decoder::strict().decode(&bytes);
        assert!(d.is_ok(), "{name}: {d:?}");
    }
}

/// Strict decoding refuses exactly what lenient decoding tolerates: for every corpus message
/// lenient decoding accepts, strict decoding accepts it when there was nothing to warn about,
/// and otherwise refuses it with the same deviations (the lenient warnings but those that
/// stand for schema violations) and the same violations; never with another error.
#[test]
fn strict_refuses_exactly_what_lenient_tolerates() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for path in messages(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(lenient) = Decoder::new().decode(&bytes) else {
            continue;
        };
        checked += 1;
        let deviations: Vec<_> = lenient
            .warnings
            .iter()
            .filter(|w| w.kind != cwmp_soap::decode::WarningKind::SchemaViolation)
            .cloned()
            .collect();
        match Decoder::strict().decode(&bytes) {
            Ok(strict) => {
                assert!(lenient.warnings.is_empty(), "{}", rel(&dir, &path));
                assert_eq!(strict.envelope, lenient.envelope, "{}", rel(&dir, &path));
            }
            Err(DecodeError::Strict {
                deviations: d,
                violations: v,
                ..
            }) => {
                assert_eq!(d, deviations, "{}", rel(&dir, &path));
                assert_eq!(v, lenient.violations, "{}", rel(&dir, &path));
            }
            Err(e) => panic!("{}: strict failed otherwise: {e}", rel(&dir, &path)),
        }
    }
    assert!(checked > 50, "only {checked} corpus messages decoded");
}
