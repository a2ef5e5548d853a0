#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The hand-written vectors under `tests/vectors/`, and loader robustness.

mod common;

use cwmp_datamodel::{Access, DirLoader, Error, MemoryLoader, Schema, SchemaBuilder, ValueType};
use proptest::prelude::*;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");

fn standalone() -> Schema {
    Schema::from_file(format!("{VECTORS}/standalone-mini-device.xml")).unwrap()
}

#[test]
fn standalone_components_and_type_chain() {
    let s = standalone();
    let p = s
        .lookup("Device.ManagementServer.PeriodicInformInterval")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert_eq!(p.syntax.base_type, ValueType::UnsignedInt);
    assert_eq!(p.syntax.units(), Some("seconds"));
    let name = s
        .lookup("Device.IP.Interface.[lan].Name")
        .unwrap()
        .as_parameter()
        .unwrap();
    let chain: Vec<&str> = name.syntax.type_chain.iter().map(|t| &**t).collect();
    assert_eq!(chain, ["ShortName", "Name64"]);
    assert_eq!(name.syntax.max_length(), Some(8));
    assert!(
        common::check_set(&s, "Device.IP.Interface.1.Name", Some("xsd:string"), "eth0").is_ok()
    );
    assert_eq!(
        common::check_set(&s, "Device.IP.Interface.1.Name", None, "eth0-long-name")
            .unwrap_err()
            .code
            .get(),
        9007
    );
    assert_eq!(
        common::check_set(&s, "Device.IP.Interface.1.Status", None, "Up")
            .unwrap_err()
            .code
            .get(),
        9008
    );
    let t = s
        .lookup("Device.IP.Interface.")
        .unwrap()
        .as_object()
        .unwrap();
    assert!(t.is_table());
    assert_eq!(t.max_entries, None);
}

fn vendor() -> Option<Schema> {
    let dm = common::datamodel("")?;
    let text =
        std::fs::read_to_string(format!("{VECTORS}/vendor-x-example-com-device-2-17.xml")).unwrap();
    let mut b = SchemaBuilder::new();
    b.add_document(
        "vendor-x-example-com-device-2-17.xml",
        &text,
        &DirLoader::new(dm),
    )
    .unwrap();
    Some(b.build().unwrap())
}

#[test]
fn vendor_extension_over_tr181() {
    let Some(s) = vendor() else { return };
    assert_eq!(s.models()[0].name, "X_EXAMPLE-COM_Device:2.17");
    // the base model is there
    assert!(s.lookup("Device.IP.Interface.3.Name").is_ok());
    assert!(s.lookup("Device.ManagementServer.URL").is_ok());
    // added to a standard object
    let tok = s
        .lookup("Device.ManagementServer.X_EXAMPLE-COM_Token")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert!(tok.syntax.secured);
    assert_eq!(
        common::check_set(
            &s,
            "Device.ManagementServer.X_EXAMPLE-COM_Token",
            None,
            "short"
        )
        .unwrap_err()
        .code
        .get(),
        9007
    );
    // a base parameter modified: ProvisioningCode stays forcedInform, gets a new size
    let pc = s
        .lookup("Device.DeviceInfo.ProvisioningCode")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert!(pc.forced_inform);
    assert_eq!(pc.syntax.max_length(), Some(16));
    // new objects
    let ok = |p: &str, v: &str| {
        common::check_set(&s, p, None, v)
            .map(|_| ())
            .map_err(|f| f.code.get())
    };
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Bar", "abc-def"), Ok(()));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Bar", "abc--def"), Err(9007));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Mode", "Eco"), Ok(()));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Mode", "Broken"), Err(9007));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Mode", "Fast"), Err(9007));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Level", "-5"), Ok(()));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Level", "7"), Err(9007));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Level", "x"), Err(9006));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Blob", "AAECAw=="), Ok(()));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Blob", "AAECAwQ="), Err(9007));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Blob", "***"), Err(9006));
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Ports", "80, 443"), Ok(()));
    assert_eq!(
        ok("Device.X_EXAMPLE-COM_Foo.Ports", "80,443,8080,8443"),
        Err(9007)
    );
    assert_eq!(ok("Device.X_EXAMPLE-COM_Foo.Ports", "0"), Err(9007));
    assert_eq!(
        ok("Device.X_EXAMPLE-COM_Foo.RuleNumberOfEntries", "1"),
        Err(9008)
    );
    let rule = s
        .lookup("Device.X_EXAMPLE-COM_Foo.Rule.[r1].")
        .unwrap()
        .as_object()
        .unwrap();
    assert_eq!(rule.access, Access::ReadWrite);
    assert_eq!(rule.max_entries, Some(8));
    assert_eq!(rule.enable_parameter.as_deref(), Some("Enable"));
    assert!(!rule.unique_keys[0].functional);
    // component parameters, with a named type from the imported document
    let mac = s
        .lookup("Device.X_EXAMPLE-COM_Foo.Rule.2.MACAddress")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert_eq!(mac.syntax.data_type.as_deref(), Some("MACAddress"));
    assert_eq!(
        ok(
            "Device.X_EXAMPLE-COM_Foo.Rule.2.MACAddress",
            "00:11:22:aa:bb:cc"
        ),
        Ok(())
    );
    assert_eq!(
        ok(
            "Device.X_EXAMPLE-COM_Foo.Rule.2.MACAddress",
            "00:11:22:aa:bb"
        ),
        Err(9007)
    );
    let en = s
        .lookup("Device.X_EXAMPLE-COM_Foo.Rule.2.Enable")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert_eq!(&*en.syntax.default.as_ref().unwrap().value, "false");
}

#[test]
fn import_missing_is_an_error() {
    let text =
        std::fs::read_to_string(format!("{VECTORS}/vendor-x-example-com-device-2-17.xml")).unwrap();
    let e = Schema::from_str("v.xml", &text, &MemoryLoader::new()).unwrap_err();
    assert!(
        matches!(e, Error::Load { ref file, .. } if file == "tr-181-2-17-0-cwmp-full.xml"),
        "{e}"
    );
}

#[test]
fn hostile_documents_are_refused() {
    let l = MemoryLoader::new();
    assert!(matches!(
        Schema::from_str("x", "<html/>", &l),
        Err(Error::NotDataModel { .. })
    ));
    assert!(matches!(
        Schema::from_str("x", "", &l),
        Err(Error::NotDataModel { .. })
    ));
    let deep = format!(
        "<document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'><model name='M'>{}{}</model></document>",
        "<object name='A.'>".repeat(200),
        "</object>".repeat(200)
    );
    assert!(matches!(
        Schema::from_str("x", &deep, &l),
        Err(Error::Limit { .. })
    ));
    // an entity declared in the DTD is honoured, an external one is not fetched
    let ent = r#"<!DOCTYPE d [<!ENTITY n "Device."><!ENTITY ext SYSTEM "file:///etc/passwd">]>
      <document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'><model name='M'><object name='&n;'/>
      <object name='Device.A.'><parameter name='P' access='readWrite'><syntax><string><pattern value='&ext;'/></string></syntax></parameter></object>
      </model></document>"#;
    assert!(matches!(
        Schema::from_str("x", ent, &l),
        Err(Error::Xml { .. })
    ));
    // entity expansion is bounded: 300k references to a 1 KiB entity are refused, not expanded
    let big = format!(
        "<!DOCTYPE d [<!ENTITY a \"{}\">]><document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'><model name='M'><object name='Device.'><parameter name='P'><syntax><string><pattern value='{}'/></string></syntax></parameter></object></model></document>",
        "x".repeat(1000),
        "&a;".repeat(300_000)
    );
    assert!(matches!(
        Schema::from_str("x", &big, &l),
        Err(Error::Xml { .. })
    ));
    let cyc = r#"<document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'>
      <component name='A'><component ref='B'/></component><component name='B'><component ref='A'/></component>
      <model name='M'><object name='Device.'/><component ref='A' path='Device.'/></model></document>"#;
    assert!(matches!(
        Schema::from_str("x", cyc, &l),
        Err(Error::Limit { .. })
    ));
    let dt = r#"<document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'>
      <dataType name='A' base='B'/><dataType name='B' base='A'/>
      <model name='M'><object name='Device.'><parameter name='P'><syntax><dataType ref='A'/></syntax></parameter></object></model></document>"#;
    assert!(matches!(
        Schema::from_str("x", dt, &l),
        Err(Error::Limit { .. })
    ));
    let bad = r#"<document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'><model name='M'><object name='Device..X.'/></model></document>"#;
    assert!(matches!(
        Schema::from_str("x", bad, &l),
        Err(Error::BadName { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Schema::from_str("fuzz.xml", &text, &MemoryLoader::new());
    }

    #[test]
    fn mutated_documents_never_panic_the_loader(cut in 0usize..2000, junk in "[<>/=\"'a-zA-Z{}.&;! ]{0,20}") {
        let base = std::fs::read_to_string(format!("{VECTORS}/standalone-mini-device.xml")).unwrap();
        let at = base.char_indices().map(|(i, _)| i).nth(cut % base.len()).unwrap_or(0);
        let mut text = base.clone();
        text.insert_str(at, &junk);
        if let Ok(s) = Schema::from_str("fuzz.xml", &text, &MemoryLoader::new()) {
            for d in s.iter() {
                let _ = s.lookup(d.path().as_str());
            }
        }
        let _ = Schema::from_str("fuzz.xml", base.get(..at).unwrap_or(""), &MemoryLoader::new());
    }

    #[test]
    fn arbitrary_values_never_panic_validation(v in ".{0,80}", ty in prop::option::of("xsd:[a-zA-Z]{0,12}")) {
        let s = standalone();
        for p in ["Device.ManagementServer.PeriodicInformInterval", "Device.IP.Interface.1.Name", "Device.ManagementServer.Password"] {
            let _ = common::check_set(&s, p, ty.as_deref(), &v);
        }
    }
}

#[test]
fn adapter_over_cwmp_core_parameter_values() {
    use cwmp_core::rpc::ParameterValue;
    use cwmp_core::value::{Value, ValueType};
    use std::borrow::Cow;
    let s = standalone();
    let pv = |name: &'static str, ty: ValueType<'static>, text: &'static str| ParameterValue {
        name: Cow::Borrowed(name),
        value: Value {
            ty,
            text: Cow::Borrowed(text),
        },
    };
    let ok = [pv(
        "Device.ManagementServer.PeriodicInformInterval",
        ValueType::UnsignedInt,
        "30",
    )];
    assert!(s.check_parameter_values(&ok).is_ok());
    let bad = [
        pv(
            "Device.ManagementServer.PeriodicInformInterval",
            ValueType::UnsignedInt,
            "0",
        ),
        pv(
            "Device.ManagementServer.ParameterKey",
            ValueType::String,
            "k",
        ),
        pv("Device.IP.Interface.1.Name", ValueType::Int, "3"),
    ];
    let f = s.check_parameter_values(&bad).unwrap_err();
    let codes: Vec<u32> = f
        .set_parameter_values_faults
        .iter()
        .map(|e| e.code.get())
        .collect();
    assert_eq!((f.code.get(), codes), (9003, vec![9007, 9008, 9006]));
}

#[test]
fn schema_is_send_and_sync_and_child_errors() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Schema>();
    assert_send_sync::<cwmp_datamodel::Path>();
    use cwmp_datamodel::path::{Path, PathErrorKind};
    let p = Path::parse("Device.IP.").unwrap();
    assert_eq!(
        p.child("A.B").unwrap_err().kind,
        PathErrorKind::NotOneSegment
    );
    assert_eq!(
        Path::parse("Device.X")
            .unwrap()
            .child("Y")
            .unwrap_err()
            .kind,
        PathErrorKind::NotAnObject
    );
    assert_eq!(p.child("[wan].").unwrap().as_str(), "Device.IP.[wan].");
}

#[test]
fn every_definition_is_found_by_its_own_path() {
    let xml = r#"<document xmlns='urn:broadband-forum-org:cwmp:datamodel-1-14'><model name='M'>
      <object name='Device.'/><object name='Device.A.1.' maxEntries='unbounded'><parameter name='P'/></object>
      <object name='Device.B.[x].C.*.'/></model></document>"#;
    let s = Schema::from_str("x", xml, &MemoryLoader::new()).unwrap();
    for d in s.iter() {
        assert_eq!(s.lookup(d.path().as_str()).unwrap().path(), d.path());
    }
    assert_eq!(
        s.lookup("Device.A.7.P").unwrap().path().as_str(),
        "Device.A.{i}.P"
    );
    assert!(s.get("Device.B.{i}.C.{i}.").is_some());
    let std = standalone();
    for d in std.iter() {
        assert_eq!(std.lookup(d.path().as_str()).unwrap().path(), d.path());
        if let Some(o) = d.as_object() {
            for c in std.children(o.path.as_str()).unwrap() {
                assert!(std.get(c.path().as_str()).is_some());
            }
        }
    }
}
