//! Tests of the parameter tree, named after the TR-069 sections they check.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cwmp_core::Body;
use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::filetype::Notification;
use cwmp_core::rpc::{
    AddObject, DeleteObject, ParameterValue, SetParameterAttribute, SetParameterValues,
};
use cwmp_core::value::{Value, ValueType};
use proptest::prelude::*;

use super::*;
use crate::{MemoryLoader, Schema};

fn model() -> MemoryBackend {
    let mut dm = MemoryBackend::new("Device.");
    dm.insert(
        "Device.DeviceInfo.SoftwareVersion",
        Value::string("1.0"),
        false,
    );
    dm.insert(
        "Device.DeviceInfo.HardwareVersion",
        Value::string("hw1"),
        false,
    );
    dm.insert(
        "Device.ManagementServer.ParameterKey",
        Value::string(""),
        false,
    );
    dm.insert(
        "Device.ManagementServer.PeriodicInformInterval",
        Value::unsigned_int(300),
        true,
    );
    dm.insert(
        "Device.ManagementServer.PeriodicInformEnable",
        Value::boolean(true),
        true,
    );
    dm.insert(
        "Device.ManagementServer.Password",
        Value::string("s3cret"),
        true,
    );
    dm.insert(
        "Device.ManagementServer.ConnectionRequestPassword",
        Value::string("cr"),
        true,
    );
    dm.insert("Device.X_Vendor.UsePassword", Value::boolean(true), true);
    dm.insert("Device.X_Vendor.MaxPassword", Value::unsigned_int(8), true);
    dm.insert_object("Device.IP.Interface.", true);
    dm.insert_object("Device.IP.Interface.1.", true);
    dm.insert("Device.IP.Interface.1.Enable", Value::boolean(true), true);
    dm.insert("Device.IP.Interface.1.Name", Value::string("wan"), true);
    dm.insert(
        "Device.IP.Interface.1.Stats.BytesSent",
        Value::unsigned_long(10),
        false,
    );
    dm.insert_object("Device.Fixed.", false);
    dm.insert_object("Device.Fixed.1.", false);
    dm.insert("Device.Fixed.1.Value", Value::string("x"), false);
    dm
}

fn tree() -> ParameterTree<MemoryBackend> {
    ParameterTree::new(model())
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    poll_ready(f).expect("the in-memory backend is always ready")
}

fn names(v: &[Cow<'static, str>]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn spa(name: &str, n: i32) -> SetParameterAttribute<'static> {
    SetParameterAttribute {
        name: name.to_owned().into(),
        notification_change: true,
        notification: Notification::new(n),
        access_list_change: false,
        access_list: vec![],
    }
}

const SCHEMA: &str = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14">
  <model name="Device:2.17">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1"/>
    <object name="Device.DeviceInfo." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="SoftwareVersion" access="readOnly" forcedInform="true" activeNotify="forceEnabled"><syntax><string/></syntax></parameter>
      <parameter name="HardwareVersion" access="readOnly" forcedInform="true"><syntax><string/></syntax></parameter>
    </object>
    <object name="Device.ManagementServer." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="ParameterKey" access="readOnly" forcedInform="true"><syntax><string><size maxLength="32"/></string></syntax></parameter>
      <parameter name="PeriodicInformInterval" access="readWrite"><syntax><unsignedInt><range minInclusive="1"/></unsignedInt></syntax></parameter>
      <parameter name="PeriodicInformEnable" access="readWrite"><syntax><boolean/></syntax></parameter>
      <parameter name="Password" access="readWrite"><syntax hidden="true"><string/></syntax></parameter>
      <parameter name="ConnectionRequestPassword" access="readWrite"><syntax hidden="true"><string/></syntax></parameter>
    </object>
    <object name="Device.IP." access="readOnly" minEntries="1" maxEntries="1"/>
    <object name="Device.IP.Interface.{i}." access="readWrite" minEntries="0" maxEntries="3">
      <parameter name="Enable" access="readWrite"><syntax><boolean/></syntax></parameter>
      <parameter name="Name" access="readWrite"><syntax><string><size maxLength="4"/></string></syntax></parameter>
    </object>
    <object name="Device.IP.Interface.{i}.Stats." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="BytesSent" access="readOnly" activeNotify="canDeny"><syntax><unsignedLong/></syntax></parameter>
    </object>
  </model>
</document>"#;

fn schema() -> Arc<Schema> {
    Arc::new(Schema::from_str("mini.xml", SCHEMA, &MemoryLoader::new()).unwrap())
}

// --- A.3.2.2 GetParameterValues ---------------------------------------------------------

#[test]
fn a3_2_2_gpv_full_names_partial_paths_and_9005() {
    let t = tree();
    let v = run(t.get_parameter_values(&["Device.DeviceInfo.SoftwareVersion".into()])).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].value, Value::string("1.0"));

    let v = run(t.get_parameter_values(&["Device.IP.Interface.1.".into()])).unwrap();
    let got: Vec<_> = v.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(
        got,
        [
            "Device.IP.Interface.1.Enable",
            "Device.IP.Interface.1.Name",
            "Device.IP.Interface.1.Stats.BytesSent"
        ]
    );
    assert_eq!(v[2].value.ty, ValueType::UnsignedLong);

    let all = run(t.get_parameter_values(&["".into()])).unwrap();
    assert_eq!(all.len(), t.backend().len());

    for bad in [
        "Device.Nope",
        "Device.Nope.",
        "Device.DeviceInfo",
        "Device.IP.Interface.7.",
    ] {
        let f = run(t.get_parameter_values(&[bad.into()])).unwrap_err();
        assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME, "{bad}");
    }
}

#[test]
fn a3_2_2_gpv_password_masked_only_when_a_string() {
    let t = tree();
    let v = run(t.get_parameter_values(&[
        "Device.ManagementServer.Password".into(),
        "Device.X_Vendor.".into(),
    ]))
    .unwrap();
    assert_eq!(v[0].value, Value::string(""));
    // a boolean and an unsignedInt named ...Password keep their value and type
    assert_eq!(v[1].value, Value::unsigned_int(8));
    assert_eq!(v[2].value, Value::boolean(true));
}

// --- A.3.2.3 GetParameterNames ----------------------------------------------------------

#[test]
fn a3_2_3_gpn_next_level_partial_path_and_root() {
    let t = tree();
    let top = run(t.get_parameter_names("", true)).unwrap();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].name, "Device.");

    let everything = run(t.get_parameter_names("", false)).unwrap();
    assert_eq!(everything[0].name, "Device.");
    assert!(
        everything
            .iter()
            .any(|p| p.name == "Device.IP.Interface.1.Stats.BytesSent")
    );

    let lvl = run(t.get_parameter_names("Device.IP.Interface.", true)).unwrap();
    assert_eq!(lvl.len(), 1);
    assert_eq!(lvl[0].name, "Device.IP.Interface.1.");
    assert!(lvl[0].writable, "an instance the ACS may delete");

    let lvl = run(t.get_parameter_names("Device.IP.Interface.1.", true)).unwrap();
    let got: Vec<_> = lvl
        .iter()
        .map(|p| (p.name.to_string(), p.writable))
        .collect();
    assert_eq!(
        got,
        [
            ("Device.IP.Interface.1.Enable".into(), true),
            ("Device.IP.Interface.1.Name".into(), true),
            ("Device.IP.Interface.1.Stats.".into(), false),
        ]
    );

    let sub = run(t.get_parameter_names("Device.IP.Interface.1.", false)).unwrap();
    assert_eq!(
        sub[0].name, "Device.IP.Interface.1.",
        "the object itself comes first"
    );
    assert_eq!(sub.len(), 5);

    let one = run(t.get_parameter_names("Device.IP.Interface.1.Name", false)).unwrap();
    assert_eq!(one.len(), 1);
    let f = run(t.get_parameter_names("Device.IP.Interface.1.Name", true)).unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
    let f = run(t.get_parameter_names("Device.Nope.", true)).unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME);
}

// --- A.3.2.1 SetParameterValues ---------------------------------------------------------

fn spv_codes(f: &Fault<'_>) -> Vec<(String, u32)> {
    f.set_parameter_values_faults
        .iter()
        .map(|e| (e.parameter_name.to_string(), e.code.get()))
        .collect()
}

#[test]
fn a3_2_1_spv_all_or_nothing_with_one_fault_per_parameter() {
    let mut t = tree();
    let before = t.backend().clone();
    let f = run(t.set_parameter_values(&[
        ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 60u32),
        ParameterValue::new("Device.DeviceInfo.SoftwareVersion", "2.0"),
        ParameterValue::new("Device.Nope", "x"),
        ParameterValue::new("Device.IP.", "x"),
        ParameterValue::new("Device.ManagementServer.PeriodicInformEnable", "yes"),
        ParameterValue::new(
            "Device.IP.Interface.1.Enable",
            Value::new(ValueType::Boolean, "maybe"),
        ),
        ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 70u32),
    ]))
    .unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
    assert_eq!(
        spv_codes(&f),
        [
            ("Device.DeviceInfo.SoftwareVersion".into(), 9008),
            ("Device.Nope".into(), 9005),
            ("Device.IP.".into(), 9005),
            ("Device.ManagementServer.PeriodicInformEnable".into(), 9006),
            ("Device.IP.Interface.1.Enable".into(), 9007),
            (
                "Device.ManagementServer.PeriodicInformInterval".into(),
                9003
            ),
        ]
    );
    assert_eq!(
        t.backend(),
        &before,
        "nothing applied when one parameter fails"
    );

    run(t.set_parameter_values(&[
        ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 60u32),
        ParameterValue::new("Device.IP.Interface.1.Enable", false),
    ]))
    .unwrap();
    assert_eq!(
        t.backend()
            .value("Device.ManagementServer.PeriodicInformInterval"),
        Some(&Value::unsigned_int(60))
    );
}

#[test]
fn a3_2_1_spv_validates_type_and_facets_against_the_schema() {
    let mut t = tree().with_schema(schema());
    let f = run(t.set_parameter_values(&[
        ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 0u32),
        ParameterValue::new("Device.IP.Interface.1.Name", "toolong"),
        ParameterValue::new("Device.IP.Interface.1.Enable", "true"),
        // not in the schema: the backend's type decides
        ParameterValue::new(
            "Device.X_Vendor.MaxPassword",
            Value::new(ValueType::UnsignedInt, "-3"),
        ),
    ]))
    .unwrap_err();
    assert_eq!(
        spv_codes(&f),
        [
            (
                "Device.ManagementServer.PeriodicInformInterval".into(),
                9007
            ),
            ("Device.IP.Interface.1.Name".into(), 9007),
            ("Device.IP.Interface.1.Enable".into(), 9006),
            ("Device.X_Vendor.MaxPassword".into(), 9007),
        ]
    );
    run(t.set_parameter_values(&[ParameterValue::new("Device.IP.Interface.1.Name", "lan")]))
        .unwrap();
}

// --- ParameterKey (A.3.2.1, A.3.2.6, A.3.2.7) -------------------------------------------

#[test]
fn parameter_key_set_only_when_spv_add_delete_succeed() {
    let mut t = tree();
    let bad: Body<'_> = SetParameterValues {
        parameters: vec![ParameterValue::new("Device.Nope", "x")],
        parameter_key: "k-bad".into(),
    }
    .into();
    assert!(run(t.handle(&bad)).unwrap().is_err());
    assert_eq!(t.state().parameter_key, "");

    let add: Body<'_> = AddObject {
        object_name: "Device.IP.Interface.".into(),
        parameter_key: "k-add".into(),
    }
    .into();
    assert!(run(t.handle(&add)).unwrap().is_ok());
    assert_eq!(t.state().parameter_key, "k-add");
    assert_eq!(
        t.backend().value("Device.ManagementServer.ParameterKey"),
        Some(&Value::string("k-add"))
    );

    let del_bad: Body<'_> = DeleteObject {
        object_name: "Device.IP.Interface.9.".into(),
        parameter_key: "k-nope".into(),
    }
    .into();
    assert!(run(t.handle(&del_bad)).unwrap().is_err());
    assert_eq!(t.state().parameter_key, "k-add");

    let del: Body<'_> = DeleteObject {
        object_name: "Device.IP.Interface.2.".into(),
        parameter_key: "k-del".into(),
    }
    .into();
    assert!(run(t.handle(&del)).unwrap().is_ok());
    assert_eq!(t.state().parameter_key, "k-del");
    let gpv =
        run(t.get_parameter_values(&["Device.ManagementServer.ParameterKey".into()])).unwrap();
    assert_eq!(gpv[0].value.text, "k-del");

    let other: Body<'_> = cwmp_core::rpc::Reboot {
        command_key: "r".into(),
    }
    .into();
    assert!(run(t.handle(&other)).is_none(), "not a parameter RPC");
}

// --- A.3.2.6 / A.3.2.7 AddObject, DeleteObject ------------------------------------------

#[test]
fn a3_2_6_instance_numbers_are_never_reused() {
    let mut t = tree();
    assert_eq!(run(t.add_object("Device.IP.Interface.")).unwrap(), 2);
    assert_eq!(run(t.add_object("Device.IP.Interface.")).unwrap(), 3);
    assert_eq!(
        t.backend().value("Device.IP.Interface.3.Enable"),
        Some(&Value::boolean(false)),
        "a new row starts from defaults"
    );
    run(t.delete_object("Device.IP.Interface.3.")).unwrap();
    run(t.delete_object("Device.IP.Interface.2.")).unwrap();
    run(t.delete_object("Device.IP.Interface.1.")).unwrap();
    assert_eq!(run(t.add_object("Device.IP.Interface.")).unwrap(), 4);
    assert!(
        t.backend().value("Device.IP.Interface.4.Name").is_some(),
        "row shape remembered"
    );

    // the counters survive a reboot through the persisted state
    let state = t.state().clone();
    let mut rebooted = ParameterTree::new(t.backend().clone()).with_state(state);
    run(rebooted.delete_object("Device.IP.Interface.4.")).unwrap();
    assert_eq!(run(rebooted.add_object("Device.IP.Interface.")).unwrap(), 5);
}

#[test]
fn a3_2_6_add_object_faults() {
    let mut t = tree().with_schema(schema());
    for not_table in [
        "Device.DeviceInfo.",
        "Device.IP.Interface.1.",
        "Device.IP.Interface",
        "Device.Nope.",
    ] {
        let f = run(t.add_object(not_table)).unwrap_err();
        assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME, "{not_table}");
    }
    let f = run(t.add_object("Device.Fixed.")).unwrap_err();
    assert_eq!(f.code, FaultCode::REQUEST_DENIED);
    run(t.add_object("Device.IP.Interface.")).unwrap();
    run(t.add_object("Device.IP.Interface.")).unwrap();
    let f = run(t.add_object("Device.IP.Interface.")).unwrap_err();
    assert_eq!(f.code, FaultCode::RESOURCES_EXCEEDED, "maxEntries=3");
}

#[test]
fn a3_2_7_delete_object_faults() {
    let mut t = tree();
    for bad in [
        "Device.IP.Interface.",
        "Device.IP.Interface.9.",
        "Device.IP.Interface.1.Name",
        "Device.Fixed.1.",
        "Device.DeviceInfo.",
    ] {
        let f = run(t.delete_object(bad)).unwrap_err();
        assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME, "{bad}");
    }
}

// --- A.3.2.4 / A.3.2.5 attributes -------------------------------------------------------

#[test]
fn a3_2_4_spa_rules_and_a3_2_5_gpa() {
    let mut t = tree().with_schema(schema());
    // defaults: forceEnabled is active
    let a = run(t.get_parameter_attributes(&["Device.DeviceInfo.".into()])).unwrap();
    assert_eq!(a[0].name, "Device.DeviceInfo.HardwareVersion");
    assert_eq!(a[0].notification, Notification::OFF);
    assert_eq!(a[1].notification, Notification::ACTIVE);

    let f = run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Name", 7)])).unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
    let f = run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.", 2)])).unwrap_err();
    assert_eq!(
        f.code,
        FaultCode::NOTIFICATION_REQUEST_REJECTED,
        "BytesSent is canDeny"
    );
    let f = run(t.set_parameter_attributes(&[spa("Device.DeviceInfo.SoftwareVersion", 0)]))
        .unwrap_err();
    assert_eq!(
        f.code,
        FaultCode::NOTIFICATION_REQUEST_REJECTED,
        "forceEnabled"
    );
    let f = run(t.set_parameter_attributes(&[spa("Device.Nope", 1)])).unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME);
    // all or nothing: the valid first entry was not applied either
    let f =
        run(t.set_parameter_attributes(&[
            spa("Device.IP.Interface.1.Name", 1),
            spa("Device.Nope", 1),
        ]))
        .unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME);
    assert_eq!(
        t.attributes("Device.IP.Interface.1.Name").notification,
        Notification::OFF
    );

    // passive on the counter is fine; the access list is Subscriber only
    run(t.set_parameter_attributes(&[
        spa("Device.IP.Interface.1.", 1),
        SetParameterAttribute {
            access_list_change: true,
            access_list: vec![SUBSCRIBER.into()],
            ..spa("Device.IP.Interface.1.Name", 2)
        },
    ]))
    .unwrap();
    let a = run(t.get_parameter_attributes(&["Device.IP.Interface.1.".into()])).unwrap();
    let got: Vec<_> = a
        .iter()
        .map(|p| {
            (
                p.name.to_string(),
                p.notification.get(),
                names(&p.access_list),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Device.IP.Interface.1.Enable".into(), 1, vec![]),
            (
                "Device.IP.Interface.1.Name".into(),
                2,
                vec!["Subscriber".to_owned()]
            ),
            ("Device.IP.Interface.1.Stats.BytesSent".into(), 1, vec![]),
        ]
    );
    let f = run(t.set_parameter_attributes(&[SetParameterAttribute {
        access_list_change: true,
        access_list: vec!["Everyone".into()],
        notification_change: false,
        ..spa("Device.IP.Interface.1.Name", 0)
    }]))
    .unwrap_err();
    assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
}

#[test]
fn a3_2_4_application_can_refuse_active_notification() {
    let mut t = tree().deny_active_notification("Device.IP.Interface.1.Stats.");
    let f = run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Stats.BytesSent", 2)]))
        .unwrap_err();
    assert_eq!(f.code, FaultCode::NOTIFICATION_REQUEST_REJECTED);
    run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Stats.BytesSent", 1)])).unwrap();
}

// --- 3.2.1 notifications ----------------------------------------------------------------

#[test]
fn notification_3_2_1_passive_goes_into_the_next_inform_without_a_session() {
    let mut t = tree().with_forced_inform(["Device.DeviceInfo.SoftwareVersion"]);
    run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Name", 1)])).unwrap();
    let now = Instant::now();
    t.backend_mut()
        .set_text("Device.IP.Interface.1.Name", "lan");
    assert!(t.changed("Device.IP.Interface.1.Name", Value::string("lan"), now));
    assert_eq!(t.session_due(), None, "passive opens no session");
    let inform = run(t.inform_parameters()).unwrap();
    assert!(inform.value_change);
    assert_eq!(inform.changed, ["Device.IP.Interface.1.Name"]);
    assert_eq!(inform.parameters.len(), 2);
    assert_eq!(
        inform.parameters[0].name,
        "Device.DeviceInfo.SoftwareVersion"
    );
    assert_eq!(
        inform.parameters[1],
        ParameterValue::new("Device.IP.Interface.1.Name", "lan")
    );
    // the Inform failed: the change stays for the retry
    let again = run(t.inform_parameters()).unwrap();
    assert_eq!(again, inform);
    t.inform_acknowledged(&inform.parameters);
    let after = run(t.inform_parameters()).unwrap();
    assert!(!after.value_change);
    assert_eq!(after.parameters.len(), 1);
}

#[test]
fn notification_3_2_1_active_makes_a_session_due_respecting_the_throttle() {
    let mut t = tree();
    run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Enable", 2)])).unwrap();
    let t0 = Instant::now();
    t.set_active_notification_throttle(Duration::from_secs(30));
    t.session_ended(t0);
    let t1 = t0 + Duration::from_secs(5);
    assert!(t.changed("Device.IP.Interface.1.Enable", Value::boolean(false), t1));
    assert_eq!(t.session_due(), Some(t0 + Duration::from_secs(30)));
    let t2 = t0 + Duration::from_secs(100);
    t.session_ended(t0 - Duration::from_secs(100));
    assert_eq!(
        t.session_due(),
        Some(t1),
        "throttle already passed: due at once"
    );
    let inform = run(t.inform_parameters()).unwrap();
    assert!(inform.value_change);
    assert_eq!(
        inform.parameters[0],
        ParameterValue::new("Device.IP.Interface.1.Enable", false)
    );
    t.inform_acknowledged(&inform.parameters);
    assert_eq!(t.session_due(), None);
    // the same value again is no change
    assert!(!t.changed("Device.IP.Interface.1.Enable", Value::boolean(false), t2));
}

#[test]
fn notification_3_2_1_a_change_by_the_acs_never_notifies() {
    let mut t = tree();
    run(t.set_parameter_attributes(&[spa("Device.ManagementServer.PeriodicInformInterval", 2)]))
        .unwrap();
    let spv: Body<'_> = SetParameterValues {
        parameters: vec![ParameterValue::new(
            "Device.ManagementServer.PeriodicInformInterval",
            60u32,
        )],
        parameter_key: "k".into(),
    }
    .into();
    assert!(run(t.handle(&spv)).unwrap().is_ok());
    // a device reporting every write it sees (its own hook) must not turn this into a
    // notification, and comparing on poll finds nothing either
    assert!(!t.changed(
        "Device.ManagementServer.PeriodicInformInterval",
        Value::unsigned_int(60),
        Instant::now()
    ));
    assert!(run(t.poll_changes(Instant::now())).unwrap().is_empty());
    assert_eq!(t.session_due(), None);
    assert!(!run(t.inform_parameters()).unwrap().value_change);
}

#[test]
fn notification_3_2_1_acs_set_clears_a_pending_local_change() {
    let mut t = tree();
    run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Name", 1)])).unwrap();
    assert!(t.changed(
        "Device.IP.Interface.1.Name",
        Value::string("lan"),
        Instant::now()
    ));
    run(t.set_parameter_values(&[ParameterValue::new("Device.IP.Interface.1.Name", "dmz")]))
        .unwrap();
    assert!(!t.has_pending_changes());
}

#[test]
fn notification_3_2_1_compare_on_poll_and_change_back() {
    let mut t = tree();
    run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.", 1)])).unwrap();
    let now = Instant::now();
    assert!(run(t.poll_changes(now)).unwrap().is_empty());
    t.backend_mut()
        .set_text("Device.IP.Interface.1.Stats.BytesSent", "99");
    assert_eq!(
        run(t.poll_changes(now)).unwrap(),
        ["Device.IP.Interface.1.Stats.BytesSent"]
    );
    assert!(
        run(t.poll_changes(now)).unwrap().is_empty(),
        "reported once"
    );
    // changed back before any Inform: nothing to report
    t.backend_mut()
        .set_text("Device.IP.Interface.1.Stats.BytesSent", "10");
    assert!(!t.changed(
        "Device.IP.Interface.1.Stats.BytesSent",
        Value::unsigned_long(10),
        now
    ));
    assert!(!t.has_pending_changes());
}

#[test]
fn notification_off_and_lightweight_do_not_enter_the_inform() {
    let mut t = tree();
    let now = Instant::now();
    assert!(!t.changed("Device.IP.Interface.1.Name", Value::string("a"), now));
    run(t.set_parameter_attributes(&[spa("Device.IP.Interface.1.Name", 5)])).unwrap();
    assert!(t.changed("Device.IP.Interface.1.Name", Value::string("b"), now));
    assert!(!t.has_pending_changes());
    assert_eq!(t.take_lightweight().len(), 1);
}

#[test]
fn forced_inform_parameters_come_from_the_schema() {
    let mut t = tree().with_schema(schema());
    let mut forced = t.forced_inform().to_vec();
    forced.sort();
    assert_eq!(
        forced,
        [
            "Device.DeviceInfo.HardwareVersion",
            "Device.DeviceInfo.SoftwareVersion",
            "Device.ManagementServer.ParameterKey"
        ]
    );
    let add: Body<'_> = AddObject {
        object_name: "Device.IP.Interface.".into(),
        parameter_key: "pk".into(),
    }
    .into();
    assert!(run(t.handle(&add)).unwrap().is_ok());
    let inform = run(t.inform_parameters()).unwrap();
    let key = inform
        .parameters
        .iter()
        .find(|p| p.name == "Device.ManagementServer.ParameterKey")
        .unwrap();
    assert_eq!(key.value.text, "pk");
}

// --- serde state ------------------------------------------------------------------------

#[cfg(feature = "serde")]
#[test]
fn state_survives_a_serde_round_trip() {
    let mut t = tree();
    run(t.set_parameter_attributes(&[
        spa("Device.IP.Interface.1.Name", 2),
        SetParameterAttribute {
            notification_change: false,
            access_list_change: true,
            access_list: vec![SUBSCRIBER.into()],
            ..spa("Device.IP.Interface.1.Enable", 0)
        },
    ]))
    .unwrap();
    let add: Body<'_> = AddObject {
        object_name: "Device.IP.Interface.".into(),
        parameter_key: "pk".into(),
    }
    .into();
    assert!(run(t.handle(&add)).unwrap().is_ok());
    let json = serde_json::to_string(t.state()).unwrap();
    let back: TreeState = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, t.state());
    assert_eq!(
        back.attributes["Device.IP.Interface.1.Name"].notification,
        Notification::ACTIVE
    );
    assert_eq!(
        back.attributes["Device.IP.Interface.1.Enable"].access_list,
        ["Subscriber"]
    );
    assert_eq!(back.next_instance["Device.IP.Interface."], 3);
    assert_eq!(back.parameter_key, "pk");
    // the restored tree notifies the same way
    let mut restored = ParameterTree::new(t.backend().clone()).with_state(back);
    assert!(restored.changed(
        "Device.IP.Interface.1.Name",
        Value::string("x"),
        Instant::now()
    ));
    assert!(restored.session_due().is_some());
}

// --- an asynchronous backend --------------------------------------------------------------

/// A backend whose every call needs one more poll, as an IPC call would.
#[derive(Debug)]
struct Slow(MemoryBackend);

struct YieldOnce<T>(Option<T>, bool);
impl<T: Unpin> std::future::Future for YieldOnce<T> {
    type Output = T;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<T> {
        if !self.1 {
            self.1 = true;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        std::task::Poll::Ready(self.0.take().unwrap())
    }
}

impl Backend for Slow {
    fn root(&self) -> &str {
        self.0.root()
    }
    fn node(
        &self,
        path: &str,
    ) -> impl std::future::Future<Output = Result<Option<Node>, Fault<'static>>> + Send {
        YieldOnce(Some(poll_ready(self.0.node(path)).unwrap()), false)
    }
    fn children(
        &self,
        object: &str,
    ) -> impl std::future::Future<Output = Result<Vec<(String, Node)>, Fault<'static>>> + Send {
        YieldOnce(Some(poll_ready(self.0.children(object)).unwrap()), false)
    }
    fn set(
        &mut self,
        values: &[(String, Value<'static>)],
    ) -> impl std::future::Future<Output = Result<(), Fault<'static>>> + Send {
        YieldOnce(Some(poll_ready(self.0.set(values)).unwrap()), false)
    }
    fn add_instance(
        &mut self,
        table: &str,
        number: u32,
    ) -> impl std::future::Future<Output = Result<(), Fault<'static>>> + Send {
        YieldOnce(
            Some(poll_ready(self.0.add_instance(table, number)).unwrap()),
            false,
        )
    }
    fn delete_instance(
        &mut self,
        instance: &str,
    ) -> impl std::future::Future<Output = Result<(), Fault<'static>>> + Send {
        YieldOnce(
            Some(poll_ready(self.0.delete_instance(instance)).unwrap()),
            false,
        )
    }
}

#[test]
fn an_asynchronous_backend_is_awaited_not_blocked_on() {
    let mut t = ParameterTree::new(Slow(model()));
    let spv: Body<'_> = SetParameterValues {
        parameters: vec![ParameterValue::new("Device.IP.Interface.1.Name", "lan")],
        parameter_key: "k".into(),
    }
    .into();
    assert!(
        poll_ready(t.handle(&spv)).is_none(),
        "pending on the backend"
    );
    let mut fut = std::pin::pin!(t.handle(&spv));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut polls = 0;
    let out = loop {
        polls += 1;
        if let std::task::Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            break v;
        }
    };
    assert!(out.unwrap().is_ok());
    assert!(polls > 2);
}

// --- properties -------------------------------------------------------------------------

proptest! {
    /// A.3.2.6: whatever sequence of AddObject and DeleteObject, no number comes back.
    #[test]
    fn a3_2_6_prop_no_instance_number_reused(ops in proptest::collection::vec(any::<(bool, u8)>(), 1..40)) {
        let mut t = tree();
        let mut given = vec![1u32];
        for (add, pick) in ops {
            if add {
                let n = run(t.add_object("Device.IP.Interface.")).unwrap();
                prop_assert!(!given.contains(&n), "{n} reused");
                given.push(n);
            } else {
                let victim = given[pick as usize % given.len()];
                let _ = run(t.delete_object(&format!("Device.IP.Interface.{victim}.")));
            }
        }
    }

    /// A.3.2.1: one bad entry anywhere in the list and nothing at all is applied.
    #[test]
    fn a3_2_1_prop_spv_atomic(values in proptest::collection::vec(0u32..1000, 1..5), bad_at in 0usize..5) {
        let mut t = tree();
        let before = t.backend().clone();
        let goods = [
            "Device.ManagementServer.PeriodicInformInterval",
            "Device.IP.Interface.1.Name",
            "Device.X_Vendor.MaxPassword",
            "Device.ManagementServer.Password",
            "Device.ManagementServer.ConnectionRequestPassword",
        ];
        let mut list: Vec<ParameterValue<'static>> = values
            .iter()
            .zip(goods)
            .map(|(v, n)| {
                if n.ends_with("Name") || n.ends_with("Password") && !n.contains("Max") {
                    ParameterValue::new(n, v.to_string())
                } else {
                    ParameterValue::new(n, *v)
                }
            })
            .collect();
        let at = bad_at % (list.len() + 1);
        list.insert(at, ParameterValue::new("Device.DeviceInfo.SoftwareVersion", "x"));
        let f = run(t.set_parameter_values(&list)).unwrap_err();
        prop_assert_eq!(f.set_parameter_values_faults.len(), 1);
        prop_assert_eq!(t.backend(), &before);
    }
}
