//! The shared corpus (`../shared/corpus` beside the workspace, or `$CWMP_SHARED/corpus`), read at
//! run time and never copied into the repository.

use std::path::{Path, PathBuf};

/// The shared directory: `$CWMP_SHARED`, else `../shared` relative to the workspace root.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("CWMP_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

/// `corpus/` inside the shared directory, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = shared_dir().join("corpus");
    dir.is_dir().then_some(dir)
}

/// The TR-181 2.17 full data model, if the corpus is present.
pub fn tr181_full() -> Option<PathBuf> {
    let file = corpus_dir()?.join("datamodels/tr-181-2-17-0-cwmp-full.xml");
    file.is_file().then_some(file)
}

/// Every `*.xml` under `corpus/messages` (relative name, bytes), sorted by name; empty when the
/// corpus is absent.
pub fn messages() -> Vec<(String, Vec<u8>)> {
    let Some(root) = corpus_dir().map(|c| c.join("messages")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                if let Ok(bytes) = std::fs::read(&path) {
                    let name = path
                        .strip_prefix(&root)
                        .unwrap_or(&path)
                        .display()
                        .to_string();
                    out.push((name, bytes));
                }
            }
        }
    }
    out.sort();
    out
}
