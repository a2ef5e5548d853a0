#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Acceptance over the real BBF data models of the shared corpus.

mod common;

use std::sync::OnceLock;

use cwmp_datamodel::path::Root;
use cwmp_datamodel::{Access, Definition, Schema, ValueType};

fn tr181() -> Option<&'static Schema> {
    static S: OnceLock<Option<Schema>> = OnceLock::new();
    S.get_or_init(|| {
        let p = common::datamodel("tr-181-2-17-0-cwmp-full.xml")?;
        Some(Schema::from_file(p).unwrap())
    })
    .as_ref()
}

fn tr098() -> Option<&'static Schema> {
    static S: OnceLock<Option<Schema>> = OnceLock::new();
    S.get_or_init(|| {
        let p = common::datamodel("tr-098-1-8-0-full.xml")?;
        Some(Schema::from_file(p).unwrap())
    })
    .as_ref()
}

#[test]
fn models_load() {
    let Some(s) = tr181() else { return };
    assert_eq!(s.models()[0].name, "Device:2.17");
    assert_eq!(s.models()[0].root, "Device.");
    println!("Device:2.17: {} definitions", s.len());
    assert!(s.len() > 7_000, "{}", s.len());
    let Some(s) = tr098() else { return };
    assert_eq!(s.models()[0].name, "InternetGatewayDevice:1.14");
    println!("InternetGatewayDevice:1.14: {} definitions", s.len());
}

#[test]
fn periodic_inform_interval() {
    let Some(s) = tr181() else { return };
    let p = s
        .lookup("Device.ManagementServer.PeriodicInformInterval")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert_eq!(p.syntax.base_type, ValueType::UnsignedInt);
    assert_eq!(p.access, Access::ReadWrite);
    let r: Vec<_> = p.syntax.ranges().collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].min_inclusive.as_deref(), Some("1"));
    assert_eq!(p.syntax.units(), Some("seconds"));
    assert!(
        common::check_set(
            s,
            "Device.ManagementServer.PeriodicInformInterval",
            Some("xsd:unsignedInt"),
            "300"
        )
        .is_ok()
    );
    assert_eq!(
        common::check_set(
            s,
            "Device.ManagementServer.PeriodicInformInterval",
            None,
            "0"
        )
        .unwrap_err()
        .code
        .get(),
        9007
    );
    assert_eq!(
        common::check_set(
            s,
            "Device.ManagementServer.PeriodicInformInterval",
            None,
            "soon"
        )
        .unwrap_err()
        .code
        .get(),
        9006
    );
    assert_eq!(
        common::check_set(
            s,
            "Device.ManagementServer.PeriodicInformInterval",
            Some("xsd:string"),
            "30"
        )
        .unwrap_err()
        .code
        .get(),
        9006
    );
}

#[test]
fn password_hidden_string256() {
    let Some(s) = tr181() else { return };
    let p = s
        .lookup("Device.ManagementServer.Password")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert_eq!(p.syntax.base_type, ValueType::String);
    assert_eq!(p.syntax.max_length(), Some(256));
    assert_eq!(p.access, Access::ReadWrite);
    assert!(p.syntax.hidden);
    assert_eq!(
        common::check_set(
            s,
            "Device.ManagementServer.Password",
            None,
            &"x".repeat(257)
        )
        .unwrap_err()
        .code
        .get(),
        9007
    );
    assert!(
        common::check_set(
            s,
            "Device.ManagementServer.Password",
            None,
            &"x".repeat(256)
        )
        .is_ok()
    );
}

#[test]
fn serial_number_read_only_and_faults() {
    let Some(s) = tr181() else { return };
    let f = common::check_set(s, "Device.DeviceInfo.SerialNumber", Some("xsd:string"), "X")
        .unwrap_err();
    assert_eq!(f.code.get(), 9008);
    assert_eq!(
        common::check_set(s, "Device.DeviceInfo.NoSuchThing", None, "X")
            .unwrap_err()
            .code
            .get(),
        9005
    );
    assert_eq!(
        common::check_set(s, "Device.DeviceInfo.", None, "X")
            .unwrap_err()
            .code
            .get(),
        9005
    );
    assert_eq!(
        common::check_set(s, "Device..X", None, "X")
            .unwrap_err()
            .code
            .get(),
        9005
    );
    // enumeration
    let e = common::check_set(
        s,
        "Device.ManagementServer.CWMPRetryMinimumWaitInterval",
        None,
        "0",
    );
    assert_eq!(e.unwrap_err().code.get(), 9007);
    let p = s
        .lookup("Device.IP.Interface.1.Type")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert!(!p.syntax.enumerations().is_empty());
    let f =
        common::check_set(s, "Device.Ethernet.Interface.1.DuplexMode", None, "Triple").unwrap_err();
    assert_eq!(f.code.get(), 9007, "{f}");
    assert!(common::check_set(s, "Device.Ethernet.Interface.1.DuplexMode", None, "Full").is_ok());
    // boolean
    assert!(common::check_set(s, "Device.IP.Interface.1.Enable", Some("xsd:boolean"), "1").is_ok());
    assert!(common::check_set(s, "Device.IP.Interface.1.Enable", None, "false").is_ok());
    assert_eq!(
        common::check_set(s, "Device.IP.Interface.1.Enable", None, "on")
            .unwrap_err()
            .code
            .get(),
        9006
    );
    // named type: IPv4Address pattern
    assert!(
        common::check_set(
            s,
            "Device.IP.Interface.1.IPv4Address.1.IPAddress",
            None,
            "192.168.1.1"
        )
        .is_ok()
    );
    assert_eq!(
        common::check_set(
            s,
            "Device.IP.Interface.1.IPv4Address.1.IPAddress",
            None,
            "300.1.1.1"
        )
        .unwrap_err()
        .code
        .get(),
        9007
    );
    // readOnly enumeration value of DiagnosticsState
    let d = common::check_set(
        s,
        "Device.IP.Diagnostics.IPPing.DiagnosticsState",
        None,
        "Complete",
    );
    assert_eq!(d.unwrap_err().code.get(), 9007);
    assert!(
        common::check_set(
            s,
            "Device.IP.Diagnostics.IPPing.DiagnosticsState",
            None,
            "Requested"
        )
        .is_ok()
    );
}

#[test]
fn whole_spv() {
    let Some(s) = tr181() else { return };
    assert!(
        common::check_spv(
            s,
            [
                (
                    "Device.ManagementServer.PeriodicInformInterval",
                    Some("xsd:unsignedInt"),
                    "60"
                ),
                (
                    "Device.ManagementServer.PeriodicInformEnable",
                    Some("xsd:boolean"),
                    "true"
                ),
            ]
        )
        .is_ok()
    );
    let f = common::check_spv(
        s,
        [
            (
                "Device.ManagementServer.PeriodicInformInterval",
                Some("xsd:unsignedInt"),
                "0",
            ),
            ("Device.DeviceInfo.SerialNumber", Some("xsd:string"), "x"),
            ("Device.Bogus", Some("xsd:string"), "x"),
            (
                "Device.ManagementServer.PeriodicInformEnable",
                Some("xsd:boolean"),
                "maybe",
            ),
            (
                "Device.ManagementServer.URL",
                Some("xsd:string"),
                "http://acs",
            ),
        ],
    )
    .unwrap_err();
    assert_eq!(f.code.get(), 9003);
    let codes: Vec<u32> = f
        .set_parameter_values_faults
        .iter()
        .map(|e| e.code.get())
        .collect();
    assert_eq!(codes, [9007, 9008, 9005, 9006]);
    let dup = common::check_spv(
        s,
        [
            ("Device.ManagementServer.URL", None, "http://a"),
            ("Device.ManagementServer.URL", None, "http://b"),
        ],
    )
    .unwrap_err();
    assert_eq!(dup.code.get(), 9003);
    assert_eq!(
        dup.set_parameter_values_faults[0].parameter_name,
        "Device.ManagementServer.URL"
    );
}

#[test]
fn instance_number_and_alias_resolve() {
    let Some(s) = tr181() else { return };
    for p in [
        "Device.IP.Interface.3.Name",
        "Device.IP.Interface.[wan].Name",
        "Device.IP.Interface.*.Name",
        "Device.IP.Interface.{i}.Name",
    ] {
        let d = s.lookup(p).unwrap();
        assert_eq!(d.path().as_str(), "Device.IP.Interface.{i}.Name", "{p}");
    }
    let row = s
        .lookup("Device.IP.Interface.[wan].")
        .unwrap()
        .as_object()
        .unwrap();
    assert!(row.is_table());
    assert_eq!(
        row.num_entries_parameter.as_deref(),
        Some("InterfaceNumberOfEntries")
    );
    assert_eq!(row.access, Access::ReadWrite);
    assert!(!row.unique_keys.is_empty());
    let kids: Vec<String> = s
        .children("Device.IP.Interface.2.")
        .unwrap()
        .map(|d| d.path().to_string())
        .collect();
    assert!(kids.contains(&"Device.IP.Interface.{i}.Enable".to_owned()));
    assert!(kids.contains(&"Device.IP.Interface.{i}.IPv4Address.{i}.".to_owned()));
    assert!(kids.contains(&"Device.IP.Interface.{i}.Stats.".to_owned()));
    let top: Vec<String> = s
        .children("Device.")
        .unwrap()
        .map(|d| d.path().to_string())
        .collect();
    assert!(
        top.contains(&"Device.ManagementServer.".to_owned()),
        "{top:?}"
    );
    assert!(matches!(
        s.lookup("Device.IP.Interface.1.Nope"),
        Err(cwmp_datamodel::LookupError::NotFound(_))
    ));
}

#[test]
fn forced_inform_device2() {
    let Some(s) = tr181() else { return };
    let mut got: Vec<String> = s
        .forced_inform_parameters(Root::Device)
        .iter()
        .map(|p| p.path.to_string())
        .collect();
    got.sort();
    println!("forced inform: {got:?}");
    for want in [
        "Device.DeviceInfo.HardwareVersion",
        "Device.DeviceInfo.SoftwareVersion",
        "Device.DeviceInfo.ProvisioningCode",
        "Device.ManagementServer.ParameterKey",
        "Device.ManagementServer.ConnectionRequestURL",
        "Device.ManagementServer.AliasBasedAddressing",
    ] {
        assert!(
            got.contains(&want.to_owned()),
            "{want} missing from {got:?}"
        );
    }
    // the 2.17 file also marks the root data model version (2.4) as forced
    assert!(got.contains(&"Device.RootDataModelVersion".to_owned()));
    assert_eq!(got.len(), 7, "{got:?}");
}

#[test]
fn forced_inform_igd1() {
    let Some(s) = tr098() else { return };
    let mut got: Vec<String> = s
        .forced_inform_parameters(Root::InternetGatewayDevice)
        .iter()
        .map(|p| p.path.to_string())
        .collect();
    got.sort();
    println!("forced inform IGD: {got:?}");
    for want in [
        "InternetGatewayDevice.DeviceSummary",
        "InternetGatewayDevice.DeviceInfo.HardwareVersion",
        "InternetGatewayDevice.DeviceInfo.SoftwareVersion",
        "InternetGatewayDevice.DeviceInfo.SpecVersion",
        "InternetGatewayDevice.DeviceInfo.ProvisioningCode",
        "InternetGatewayDevice.ManagementServer.ParameterKey",
        "InternetGatewayDevice.ManagementServer.ConnectionRequestURL",
    ] {
        assert!(
            got.contains(&want.to_owned()),
            "{want} missing from {got:?}"
        );
    }
}

#[test]
fn tr098_lookups() {
    let Some(s) = tr098() else { return };
    let d = s.lookup("InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANIPConnection.[wan].ExternalIPAddress").unwrap();
    assert!(matches!(d, Definition::Parameter(_)));
    let p = s
        .lookup("InternetGatewayDevice.ManagementServer.PeriodicInformInterval")
        .unwrap()
        .as_parameter()
        .unwrap();
    assert_eq!(p.syntax.base_type, ValueType::UnsignedInt);
    assert_eq!(
        common::check_set(
            s,
            "InternetGatewayDevice.DeviceInfo.SerialNumber",
            None,
            "x"
        )
        .unwrap_err()
        .code
        .get(),
        9008
    );
}

#[test]
fn tr104_service_model_and_both_roots() {
    let Some(dir) = common::corpus() else { return };
    let dm = dir.join("datamodels");
    let t = std::time::Instant::now();
    let s = Schema::builder()
        .add_file(dm.join("tr-181-2-17-0-cwmp-full.xml"))
        .unwrap()
        .add_file(dm.join("tr-098-1-8-0-full.xml"))
        .unwrap()
        .add_file(dm.join("tr-104-2-0-2-cwmp-full.xml"))
        .unwrap()
        .build()
        .unwrap();
    println!("three models in {:?}: {:?}", t.elapsed(), s.models());
    assert!(
        s.models()
            .iter()
            .any(|m| m.is_service && m.name.starts_with("VoiceService:2"))
    );
    assert!(s.lookup("VoiceService.1.SIP.Client.2.AuthUserName").is_ok());
    assert!(
        s.lookup("Device.Services.VoiceService.1.SIP.Client.2.AuthUserName")
            .is_ok()
    );
    assert!(
        s.lookup("InternetGatewayDevice.Services.VoiceService.1.SIP.Client.2.AuthUserName")
            .is_ok()
    );
    assert!(s.lookup("Device.ManagementServer.URL").is_ok());
    assert!(
        s.lookup("InternetGatewayDevice.ManagementServer.URL")
            .is_ok()
    );
}

#[test]
fn other_corpus_documents_load() {
    let Some(dir) = common::corpus() else { return };
    let dm = dir.join("datamodels");
    // the TR-069 Amendment 0 model and the type library (no model: NoModel)
    let s = Schema::from_file(dm.join("tr-069-1-0-0-full.xml")).unwrap();
    assert_eq!(s.models()[0].name, "InternetGatewayDevice:1.0");
    assert!(matches!(
        Schema::from_file(dm.join("tr-106-types.xml")),
        Err(cwmp_datamodel::Error::NoModel)
    ));
    // 2.19.1 is not a full file: its imports are not in the corpus, and that is reported
    let e = Schema::from_file(dm.join("tr-181-2-19-1-cwmp.xml")).unwrap_err();
    assert!(matches!(e, cwmp_datamodel::Error::Load { .. }), "{e}");
}
