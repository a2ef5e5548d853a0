//! Locating the shared corpus (`../shared/corpus` from the workspace root, or `$CWMP_SHARED`).
#![allow(dead_code)]

use std::path::PathBuf;

/// The corpus directory, or `None` (with a printed note) when it is absent outside CI.
/// Under `CI=true` a missing corpus is a failure.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("CWMP_SHARED") {
        Some(s) => PathBuf::from(s).join("corpus"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")),
    };
    if dir.join("datamodels").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "corpus not found at {} (CI=true: a missing corpus is a failure)",
            dir.display()
        );
    }
    eprintln!("note: corpus not found at {}; skipping", dir.display());
    None
}

pub fn datamodel(name: &str) -> Option<PathBuf> {
    corpus().map(|c| c.join("datamodels").join(name))
}
