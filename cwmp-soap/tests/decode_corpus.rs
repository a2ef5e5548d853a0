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
use cwmp_soap::decode::{DecodeError, Decoder};

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
