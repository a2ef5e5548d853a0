//! A decode with an arena (`decode_in`) gives the same result as one without, on every vector
//! the project owns, in lenient and strict mode and under each control-character policy, and
//! its unescaped text borrows from the arena.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use cwmp_core::Body;
use cwmp_soap::decode::{Arena, ControlCharPolicy, Decoder, decode_in};

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            xml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

#[test]
fn same_result_as_without_arena() {
    let mut files = Vec::new();
    xml_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors")),
        &mut files,
    );
    assert!(files.len() > 90, "{} vectors", files.len());
    let mut arena = Arena::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for decoder in [
            Decoder::new(),
            Decoder::strict(),
            Decoder::new().with_control_chars(ControlCharPolicy::Replace),
            Decoder::new().with_control_chars(ControlCharPolicy::Error),
        ] {
            arena.reset();
            let plain = decoder.decode(&bytes);
            let in_arena = decoder.decode_in(&arena, &bytes);
            assert_eq!(plain, in_arena, "{}", path.display());
        }
    }
}

#[test]
fn unescaped_text_borrows_from_the_arena() {
    let xml = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
        xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Body><cwmp:SetParameterValues>
        <ParameterList><ParameterValueStruct><Name>A.&#66;</Name>
        <Value>x &lt; y <![CDATA[<z>]]></Value></ParameterValueStruct></ParameterList>
        <ParameterKey>k</ParameterKey></cwmp:SetParameterValues></s:Body></s:Envelope>"#;
    let arena = Arena::new();
    let env = decode_in(&arena, xml).unwrap();
    let Body::SetParameterValues(m) = &env.body else {
        panic!("{:?}", env.body)
    };
    let p = &m.parameters[0];
    assert_eq!(p.name, "A.B");
    assert_eq!(p.value.text, "x < y <z>");
    assert!(matches!(p.name, Cow::Borrowed(_)));
    assert!(matches!(p.value.text, Cow::Borrowed(_)));
    assert!(arena.allocated_bytes() > 0);
    // Without an arena the same text is owned.
    let env = cwmp_soap::decode(xml).unwrap();
    let Body::SetParameterValues(m) = &env.body else {
        panic!()
    };
    assert!(matches!(m.parameters[0].value.text, Cow::Owned(_)));
}
