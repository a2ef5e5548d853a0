#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Definitions written twice: a later one of the same kind updates the first, one of the
//! other kind takes its place (in document order and in lookups).

use cwmp_datamodel::{Access, MemoryLoader, Schema};

const DOC: &str = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14">
  <model name="Device:2.17">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>
    <object name="Device.A." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="X" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
    <object name="Device.T.{i}." access="readOnly" minEntries="0" maxEntries="unbounded"/>
    <object name="Device.">
      <parameter name="A." access="readWrite"><syntax><boolean/></syntax></parameter>
    </object>
    <object name="Device.B." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="Y" access="readOnly"><syntax><string/></syntax></parameter>
      <parameter name="Y" access="readWrite"/>
    </object>
    <object name="Device.T.{i}." access="readWrite"/>
    <object name="Device.C." access="readOnly" minEntries="1" maxEntries="1"/>
  </model>
</document>"#;

#[test]
fn later_definitions_update_or_replace() {
    let s = Schema::from_str("m.xml", DOC, &MemoryLoader::new()).unwrap();
    let paths: Vec<&str> = s.iter().map(|d| d.path().as_str()).collect();
    assert_eq!(
        paths,
        [
            "Device.",
            "Device.A.",
            "Device.A.X",
            "Device.T.{i}.",
            "Device.B.",
            "Device.B.Y",
            "Device.C."
        ]
    );
    let a = s.lookup("Device.A.").unwrap().as_parameter().unwrap();
    assert_eq!(a.access, Access::ReadWrite);
    let x = s.lookup("Device.A.X").unwrap().as_parameter().unwrap();
    assert_eq!(x.access, Access::ReadOnly);
    let y = s.lookup("Device.B.Y").unwrap().as_parameter().unwrap();
    assert_eq!(y.access, Access::ReadWrite);
    assert_eq!(y.syntax.base_type, cwmp_datamodel::ValueType::String);
    let t = s.lookup("Device.T.").unwrap().as_object().unwrap();
    assert_eq!(t.access, Access::ReadWrite);
    assert_eq!(
        s.lookup("Device.T.3.").unwrap().path().as_str(),
        "Device.T.{i}."
    );
    assert!(s.lookup("Device.C.").unwrap().as_object().is_some());
    let children: Vec<&str> = s
        .children("Device.")
        .unwrap()
        .map(|d| d.path().as_str())
        .collect();
    assert_eq!(
        children,
        ["Device.A.", "Device.T.{i}.", "Device.B.", "Device.C."]
    );
}

/// Many definitions (more than the first estimate of the index's size when components are
/// used many times): every one is found.
#[test]
fn many_definitions_from_one_component() {
    let mut doc = String::from(
        r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14">
  <component name="C">"#,
    );
    for i in 0..40 {
        doc.push_str(&format!(
            r#"<parameter name="P{i}" access="readOnly"><syntax><int/></syntax></parameter>"#
        ));
    }
    doc.push_str(r#"</component><model name="Device:2.17"><object name="Device."/>"#);
    for j in 0..60 {
        doc.push_str(&format!(
            r#"<object name="Device.O{j}.{{i}}." minEntries="0" maxEntries="unbounded"><component ref="C"/></object>"#
        ));
    }
    doc.push_str("</model></document>");
    let s = Schema::from_str("m.xml", &doc, &MemoryLoader::new()).unwrap();
    assert_eq!(s.len(), 1 + 60 * 41);
    for j in 0..60 {
        assert!(s.get(&format!("Device.O{j}.")).is_some());
        for i in 0..40 {
            let p = format!("Device.O{j}.{}.P{i}", j + 1);
            let d = s.get(&p).unwrap();
            assert_eq!(d.path().as_str(), format!("Device.O{j}.{{i}}.P{i}"));
        }
    }
}

/// Children of objects written in odd ways: a name without its dot (its children's names
/// are appended to it as written), a relative name with several segments.
#[test]
fn children_of_odd_names() {
    let doc = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14">
  <model name="Device:2.17">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="P" access="readOnly"><syntax><int/></syntax></parameter>
    </object>
    <object name="Device.A" access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="X" access="readOnly"><syntax><int/></syntax></parameter>
    </object>
    <object name="Device.B." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="C.Y" access="readOnly"><syntax><int/></syntax></parameter>
      <parameter name="Z" access="readOnly"><syntax><int/></syntax></parameter>
    </object>
    <object name="Device.B.C." access="readOnly" minEntries="1" maxEntries="1"/>
  </model>
</document>"#;
    let s = Schema::from_str("m.xml", doc, &MemoryLoader::new()).unwrap();
    let children = |p: &str| -> Vec<String> {
        s.children(p)
            .unwrap()
            .map(|d| d.path().as_str().to_owned())
            .collect()
    };
    assert_eq!(
        children("Device."),
        ["Device.P", "Device.A", "Device.AX", "Device.B."]
    );
    assert_eq!(children("Device.B."), ["Device.B.Z", "Device.B.C."]);
    assert_eq!(children("Device.B.C."), ["Device.B.C.Y"]);
}
