//! `Schema::from_str` parses the caller's text in place, `SchemaBuilder` keeps its own copy
//! and can build more than once, `Schema::from_file` reads the file: all must give the same
//! schema.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use cwmp_datamodel::{DirLoader, Schema, SchemaBuilder};

fn same(a: &Schema, b: &Schema) {
    assert_eq!(a.len(), b.len());
    assert_eq!(a.models(), b.models());
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(x, y);
    }
    for d in a.iter() {
        let p = d.path().as_str();
        assert_eq!(a.lookup(p), b.lookup(p), "{p}");
        if p.ends_with('.') {
            let ca: Vec<_> = a.children(p).unwrap().collect();
            let cb: Vec<_> = b.children(p).unwrap().collect();
            assert_eq!(ca, cb, "{p}");
        }
    }
}

#[test]
fn borrowed_owned_and_file_builds_agree() {
    let Some(dir) = common::corpus() else { return };
    let dir = dir.join("datamodels");
    for name in [
        "tr-181-2-17-0-cwmp-full.xml",
        "tr-098-1-8-0-full.xml",
        "tr-104-2-0-2-cwmp-full.xml",
    ] {
        let file = dir.join(name);
        // The corpus holds all three: a missing one is a failure, never a silent pass.
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let loader = DirLoader::new(&dir);
        let moved = Schema::from_str(name, &text, &loader).unwrap();
        let mut b = SchemaBuilder::new();
        b.add_document(name, &text, &loader).unwrap();
        let copied = b.build().unwrap();
        same(&moved, &copied);
        // a builder can still be built twice
        same(&b.build().unwrap(), &copied);
        same(&Schema::from_file(&file).unwrap(), &copied);
    }
}
