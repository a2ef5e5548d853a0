//! The BBF data-model XML loader (cwmp-datamodel) on arbitrary documents, with limits: inputs
//! are at most `-max_len` bytes (64 KiB in CI) and must load within libFuzzer's `-timeout`.
//!
//! Imports resolve through a `MemoryLoader` holding a small hand-written base document
//! (`base.xml`) and the input itself (`self.xml`, to reach import cycles).
//!
//! Properties: no panic, bounded time; every definition of a loaded schema is found again by
//! `lookup` of its own path (and by `get`), the children listed for an object are found too, and
//! validating values against it does not panic and answers only CWMP fault codes 9005–9008.
#![no_main]

use cwmp_core::value::Value;
use cwmp_datamodel::{Definition, MemoryLoader, Resolution, Schema};
use libfuzzer_sys::fuzz_target;

const BASE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:example-com:base">
  <dataType name="Alias"><string><size maxLength="64"/></string></dataType>
  <dataType name="IPAddress"><string><size maxLength="45"/><pattern value="[0-9a-fA-F.:]*"/></string></dataType>
  <dataType name="Order" base="Alias"><size maxLength="8"/></dataType>
  <component name="Info">
    <parameter name="Enable" access="readWrite"><syntax><boolean/><default type="object" value="false"/></syntax></parameter>
    <parameter name="Count" access="readOnly"><syntax><unsignedInt><range minInclusive="1" maxInclusive="9"/></unsignedInt></syntax></parameter>
  </component>
  <model name="Device:2.1">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>
    <object name="Device.Base.{i}." access="readWrite" minEntries="0" maxEntries="unbounded">
      <parameter name="Alias" access="readWrite"><syntax><dataType ref="Alias"/></syntax></parameter>
      <parameter name="Time" access="readWrite"><syntax><dateTime/></syntax></parameter>
      <parameter name="List" access="readWrite"><syntax><list maxItems="3"/><int><range minInclusive="-5" maxInclusive="5"/></int></syntax></parameter>
    </object>
  </model>
</document>
"#;

const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "true",
    "x",
    "4294967296",
    "2024-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "1,2,3",
    "AAAA",
    "a\u{0}b",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut loader = MemoryLoader::new();
    loader.insert("base.xml", BASE);
    loader.insert("self.xml", text);
    let Ok(schema) = Schema::from_str("fuzz.xml", text, &loader) else {
        return;
    };
    assert_eq!(schema.len(), schema.iter().count());
    let len = schema.len();
    assert_eq!(schema.is_empty(), len == 0);
    for (n, def) in schema.iter().enumerate() {
        let path = def.path();
        let found = schema
            .lookup(path.as_str())
            .unwrap_or_else(|e| panic!("{path:?} is defined but lookup fails: {e}"));
        assert_eq!(found.path(), path);
        assert_eq!(schema.get(path.as_str()).map(|d| d.path()), Some(path));
        assert!(matches!(
            schema.classify(path.as_str()),
            Resolution::Defined(_)
        ));
        if let Definition::Object(_) = def
            && let Ok(children) = schema.children(path.as_str())
        {
            for c in children.take(64) {
                assert!(schema.get(c.path().as_str()).is_some(), "{c:?}");
            }
        }
        if n < 64
            && let Definition::Parameter(param) = def
        {
            for v in VALUES {
                let _ = param.syntax.validate(v);
                let typed = Value::new(param.syntax.base_type.clone(), *v);
                if let Err(f) = schema.check_set(path.as_str(), &typed) {
                    assert!((9005..=9008).contains(&f.code.get()), "{f:?}");
                }
            }
            let _ = schema.check_set(path.as_str(), &Value::string("x"));
        }
    }
});
