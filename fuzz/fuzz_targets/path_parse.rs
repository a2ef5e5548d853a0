//! Parameter path parsing (cwmp-datamodel) on arbitrary text.
//!
//! Properties: no panic; `Path` and `PathRef` agree; parse → display → parse is the identity;
//! the path rebuilt from its segments' `Display` is the same path; the parent is a valid path
//! the original starts with, and `parent.child(last)` gives the original back; the definition
//! key is itself a valid path that the original matches.
#![no_main]

use cwmp_datamodel::path::{MAX_PATH_LEN, Path, PathRef, Segment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let owned = Path::parse(text);
    let borrowed = PathRef::parse(text);
    assert_eq!(owned.as_ref().err(), borrowed.as_ref().err(), "{text:?}");
    let (Ok(p), Ok(r)) = (owned, borrowed) else {
        return;
    };
    // `{i}` counts as one character toward the limit (the shortest instance it stands for).
    assert!(
        text.replace("{i}", "i").chars().count() <= MAX_PATH_LEN,
        "{text:?}"
    );

    // parse → display → parse
    let shown = p.to_string();
    assert_eq!(shown, text);
    assert_eq!(r.to_string(), text);
    let p2: Path = shown.parse().unwrap_or_else(|e| panic!("{shown:?}: {e}"));
    assert_eq!(p, p2);
    assert_eq!(p.as_path_ref(), r);

    // rebuilt from the segments
    let segs: Vec<Segment<'_>> = p.segments().collect();
    assert_eq!(segs.len(), p.depth());
    assert!(matches!(segs.first(), Some(Segment::Name(_))), "{text:?}");
    let mut rebuilt = segs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".");
    if p.is_partial() {
        rebuilt.push('.');
    }
    assert_eq!(rebuilt, text);
    assert_eq!(Some(&p.last()), segs.last());
    assert_eq!(
        p.is_pattern(),
        segs.iter()
            .any(|s| matches!(s, Segment::Placeholder | Segment::Wildcard))
    );

    // parent / child
    match p.parent() {
        Some(parent) => {
            assert!(parent.is_partial());
            assert_eq!(parent.depth() + 1, p.depth());
            assert!(p.starts_with(&parent));
            let again = Path::parse(parent.as_str())
                .unwrap_or_else(|e| panic!("parent {parent:?} of {text:?} is invalid: {e}"));
            assert_eq!(again, parent);
            let mut last = p.last().to_string();
            if p.is_partial() {
                last.push('.');
            }
            let child = parent
                .child(&last)
                .unwrap_or_else(|e| panic!("{parent:?}.child({last:?}) failed: {e}"));
            assert_eq!(child, p);
        }
        None => assert_eq!(p.depth(), 1),
    }

    // definition key
    let key = p.definition_key();
    assert!(p.matches(&key), "{text:?} does not match its key {key:?}");
    assert_eq!(key.is_partial(), p.is_partial());
    assert_eq!(key.depth(), p.depth());
    let reparsed = Path::parse(key.as_str());
    assert_eq!(
        reparsed.as_ref().ok(),
        Some(&key),
        "definition key {key:?} of {text:?} is not a valid path: {reparsed:?}"
    );
    assert_eq!(key.definition_key(), key);
});
