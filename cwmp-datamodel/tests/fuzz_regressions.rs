//! Regressions found by the fuzz targets in `fuzz/` (one test per finding, named for it).
//! Each input is the minimised crash; the comment names the target that found it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_datamodel::path::{MAX_PATH_LEN, Path};

/// `path_parse`: `Path::definition_key` replaces every instance number by `{i}` and builds the
/// new `Path` without validating it, so the key of a valid instance path near the length limit
/// is longer than MAX_PATH_LEN: a `Path` value that `Path::parse` refuses (the type promises
/// every `Path` is valid). `A` + 64 × `.1` is 129 characters; its key `A` + 64 × `.{i}` is 257.
/// Resolved: `{i}` counts as one character toward the limit (the shortest instance it stands
/// for), so the key of every valid instance path is itself valid.
#[test]
fn definition_key_of_a_long_instance_path_is_a_valid_path() {
    let text = format!("A{}", ".1".repeat(64));
    let p = Path::parse(&text).unwrap();
    let key = p.definition_key();
    assert_eq!(key.as_str().len(), MAX_PATH_LEN + 1);
    assert_eq!(Path::parse(key.as_str()), Ok(key));
}
