//! The decoder's fast paths and its general path give the same result on every vector the
//! project owns and every message of the shared corpus (the `fast_general` fuzz target checks
//! the same on arbitrary bytes).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use cwmp_soap::Decoder;

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            xml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

#[test]
fn fast_and_general_paths_agree() {
    let mut files = Vec::new();
    xml_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors")),
        &mut files,
    );
    let owned = files.len();
    let shared = match std::env::var_os("CWMP_SHARED") {
        Some(s) => PathBuf::from(s),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")),
    };
    xml_files(&shared.join("corpus/messages"), &mut files);
    if std::env::var("CI").as_deref() == Ok("true") {
        assert!(files.len() > owned, "no corpus messages under CI=true");
    }
    assert!(owned > 90, "{owned} vectors");
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let fast = Decoder::new().decode(&bytes);
        let general = Decoder::new().with_fast_paths(false).decode(&bytes);
        assert_eq!(fast, general, "{}", path.display());
        let fast = Decoder::strict().decode(&bytes);
        let general = Decoder::strict().with_fast_paths(false).decode(&bytes);
        assert_eq!(fast, general, "{}", path.display());
    }
}
