#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Property tests of the path parser.

use cwmp_datamodel::path::{Path, PathRef, Segment};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Seg {
    Name(String),
    Instance(u32),
    Alias(String),
    Placeholder,
    Wildcard,
}

fn seg() -> impl Strategy<Value = Seg> {
    prop_oneof![
        4 => "[A-Za-z_][A-Za-z0-9_-]{0,12}".prop_map(Seg::Name),
        2 => (1u32..).prop_map(Seg::Instance),
        1 => "[a-zA-Z][a-zA-Z0-9_:-]{0,20}".prop_map(Seg::Alias),
        1 => Just(Seg::Placeholder),
        1 => Just(Seg::Wildcard),
    ]
}

fn render(root: &str, segs: &[Seg], partial: bool) -> String {
    let mut s = root.to_owned();
    for g in segs {
        s.push('.');
        match g {
            Seg::Name(n) => s.push_str(n),
            Seg::Instance(i) => s.push_str(&i.to_string()),
            Seg::Alias(a) => {
                s.push('[');
                s.push_str(a);
                s.push(']');
            }
            Seg::Placeholder => s.push_str("{i}"),
            Seg::Wildcard => s.push('*'),
        }
    }
    if partial {
        s.push('.');
    }
    s
}

proptest! {
    #[test]
    fn display_parse_round_trip(root in "Device|InternetGatewayDevice|[A-Z][A-Za-z]{0,8}",
                                segs in prop::collection::vec(seg(), 0..10),
                                partial in any::<bool>()) {
        let text = render(&root, &segs, partial);
        let p = Path::parse(&text).unwrap();
        prop_assert_eq!(p.to_string(), text.clone());
        prop_assert_eq!(p.is_partial(), partial);
        let again: Path = p.to_string().parse().unwrap();
        prop_assert_eq!(&again, &p);
        let got: Vec<Segment<'_>> = p.segments().collect();
        prop_assert_eq!(got.len(), segs.len() + 1);
        for (g, want) in got[1..].iter().zip(&segs) {
            let ok = match (g, want) {
                (Segment::Name(a), Seg::Name(b)) => a == b,
                (Segment::Instance(a), Seg::Instance(b)) => a == b,
                (Segment::Alias(a), Seg::Alias(b)) => a == b,
                (Segment::Placeholder, Seg::Placeholder) | (Segment::Wildcard, Seg::Wildcard) => true,
                _ => false,
            };
            prop_assert!(ok, "{:?} vs {:?}", g, want);
        }
        // an instance path matches its own definition form
        prop_assert!(p.matches(&p.definition_key()));
        if let Some(parent) = p.parent() {
            prop_assert!(parent.is_partial());
            prop_assert!(p.starts_with(&parent));
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,300}") {
        if let Ok(p) = PathRef::parse(&s) {
            prop_assert_eq!(p.as_str(), s.as_str());
            let _ = p.segments().count();
            let _ = p.parent();
            let _ = p.definition_key();
        }
    }

    #[test]
    fn path_like_strings_never_panic(s in "[A-Za-z0-9_.\\[\\]{}*-]{0,40}") {
        if let Ok(p) = Path::parse(&s) {
            prop_assert_eq!(p.to_string(), s);
        }
    }
}

proptest! {
    #[test]
    fn definition_key_of_any_valid_path_is_valid(segs in prop::collection::vec(
        prop_oneof![Just("1".to_owned()), "[a-z]{1,20}", Just("[al]".to_owned()), Just("*".to_owned())], 0..130)) {
        let text = format!("A.{}", segs.iter().map(|s| if s.starts_with(|c: char| c.is_ascii_lowercase()) { format!("[{s}]") } else { s.clone() }).collect::<Vec<_>>().join("."));
        let text = text.trim_end_matches('.').to_owned();
        if let Ok(p) = Path::parse(&text) {
            let key = p.definition_key();
            prop_assert_eq!(Path::parse(key.as_str()), Ok(key.clone()));
            prop_assert!(p.matches(&key));
        }
    }
}

/// A schema whose names cross 8-byte word boundaries at every offset and whose tables nest
/// deeper than the lookup records instance segments for.
fn lookup_schema() -> &'static cwmp_datamodel::Schema {
    use std::sync::OnceLock;
    static S: OnceLock<cwmp_datamodel::Schema> = OnceLock::new();
    S.get_or_init(|| {
        let mut xml = String::from(
            r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14"><model name="Device:2.17">
            <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>"#,
        );
        let mut table = String::from("Device.");
        for (depth, name) in ["A", "Bb", "Ccccccc", "Dddddddd", "E", "Ff", "G", "H"]
            .iter()
            .enumerate()
        {
            table.push_str(name);
            table.push_str(".{i}.");
            xml.push_str(&format!(
                r#"<object name="{table}" access="readWrite" minEntries="0" maxEntries="unbounded">
                <parameter name="P{depth}" access="readWrite"><syntax><string/></syntax></parameter>
                <parameter name="Name-{}" access="readOnly"><syntax><string/></syntax></parameter>
                </object>"#,
                "x".repeat(depth * 3)
            ));
        }
        xml.push_str("</model></document>");
        cwmp_datamodel::Schema::from_str("lookup.xml", &xml, &cwmp_datamodel::NoImports).unwrap()
    })
}

/// The oracle: parse, take the definition form, search every definition linearly (or the
/// table named without its `{i}.`).
fn oracle<'s>(s: &'s cwmp_datamodel::Schema, text: &str) -> Option<cwmp_datamodel::Definition<'s>> {
    let p = PathRef::parse(text).ok()?;
    let key = p.definition_key();
    let k = key.as_str();
    s.iter().find(|d| d.path().as_str() == k).or_else(|| {
        s.iter()
            .find(|d| d.path().as_str().strip_suffix("{i}.") == Some(k))
    })
}

fn instance() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (1u32..).prop_map(|i| i.to_string()),
        1 => Just("0".to_owned()),
        1 => Just("01".to_owned()),
        1 => Just("4294967296".to_owned()),
        1 => "[a-z][a-z0-9]{0,6}".prop_map(|a| format!("[{a}]")),
        1 => Just("*".to_owned()),
        1 => Just("{i}".to_owned()),
        1 => Just("".to_owned()),
        1 => "[-.{}\\[\\]*0-9a-z]{1,4}",
    ]
}

proptest! {
    /// The one-pass lookup (hash of the definition form computed on the fly, instance
    /// segments validated in place) agrees with parsing and a linear search.
    #[test]
    fn lookup_agrees_with_parse_and_linear_search(
        depth in 0usize..9,
        instances in prop::collection::vec(instance(), 9),
        tail in prop_oneof![
            Just(String::new()),
            Just(".".to_owned()),
            (0usize..9).prop_map(|d| format!(".P{d}")),
            (0usize..9).prop_map(|d| format!(".Name-{}", "x".repeat(d * 3))),
            "\\.[A-Za-z.-]{0,12}",
        ],
    ) {
        let s = lookup_schema();
        let names = ["A", "Bb", "Ccccccc", "Dddddddd", "E", "Ff", "G", "H"];
        let mut text = String::from("Device");
        for (name, inst) in names.iter().zip(&instances).take(depth) {
            text.push('.');
            text.push_str(name);
            text.push('.');
            text.push_str(inst);
        }
        text.push_str(&tail);
        let want = oracle(s, &text);
        prop_assert_eq!(s.get(&text), want, "{}", text);
        prop_assert_eq!(s.lookup(&text).ok(), want, "{}", text);
    }
}
