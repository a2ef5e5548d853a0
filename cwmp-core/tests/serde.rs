//! The `serde` feature: every message survives a JSON round trip, and the shape is stable.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cwmp_core::datetime::{DateTime, DateTimeText};
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, SetParameterValuesFault};
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};
use cwmp_core::{Body, CwmpVersion, Envelope, Header};

fn round_trip(env: &Envelope<'_>) {
    let json = serde_json::to_string(env).unwrap();
    let back: Envelope<'static> = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, env, "{json}");
}

#[test]
fn messages_round_trip_through_json() {
    let inform = Envelope {
        header: Header {
            id: Some("1".into()),
            session_timeout: Some(30),
            supported_cwmp_versions: Some("1.0,1.4".into()),
            ..Header::default()
        },
        body: Inform {
            device_id: DeviceId {
                manufacturer: "Acme".into(),
                oui: "00256D".into(),
                product_class: "R".into(),
                serial_number: "1".into(),
            },
            events: vec![
                EventStruct::new(EventCode::BOOTSTRAP),
                EventStruct::with_command_key(EventCode::M_REBOOT, "k"),
            ],
            max_envelopes: 1,
            current_time: DateTimeText::new("2015-01-19T23:08:24"),
            retry_count: 2,
            parameters: vec![
                ParameterValue::new(
                    "Device.A",
                    Value::new(ValueType::Other("json".into()), "{}"),
                ),
                ParameterValue::new("Device.B", Value::date_time(DateTime::UNKNOWN)),
            ],
        }
        .into(),
    };
    round_trip(&inform);
    let fault = Envelope::request(
        "2",
        Fault::set_parameter_values(vec![SetParameterValuesFault::new(
            "Device.X",
            FaultCode::new(9850),
        )]),
    );
    round_trip(&fault);
    let du = Envelope::request(
        "3",
        ChangeDuState {
            operations: vec![Operation::Uninstall(UninstallOp {
                uuid: "u".into(),
                ..UninstallOp::default()
            })],
            command_key: None,
        },
    );
    round_trip(&du);
    let response = Envelope {
        header: Header {
            use_cwmp_version: Some(CwmpVersion::V1_4),
            ..Header::default()
        },
        body: Body::InformResponse(InformResponse { max_envelopes: 1 }),
    };
    round_trip(&response);
}

#[test]
fn json_shape_uses_plain_values() {
    let env = Envelope::request("7", GetParameterValues::new(["Device."]));
    let json: serde_json::Value = serde_json::to_value(&env).unwrap();
    assert_eq!(json["header"]["id"], "7");
    assert_eq!(
        json["body"]["GetParameterValues"]["parameter_names"][0],
        "Device."
    );
    let v = serde_json::to_value(Value::unsigned_int(5)).unwrap();
    assert_eq!(v, serde_json::json!({"type": "unsignedInt", "text": "5"}));
    let h = serde_json::to_value(Header {
        use_cwmp_version: Some(CwmpVersion::V1_2),
        ..Header::default()
    })
    .unwrap();
    assert_eq!(h["use_cwmp_version"], "1.2");
    assert_eq!(serde_json::to_value(FaultCode::new(9003)).unwrap(), 9003);
}
