//! The `cwmp` crate 0.2.2 (xml-rs based) from the Rust package registry, measured on the same
//! bytes and the same data.

use chrono::{DateTime, Utc};
use cwmp::protocol as p;
use cwmp_core::rpc::ParameterValue;
use cwmp_core::{Body, Envelope};

/// Parses `bytes` with the `cwmp` crate.
pub fn parse(bytes: &[u8]) -> Result<p::Envelope, String> {
    cwmp::parse_bytes(bytes).map_err(|e| e.to_string())
}

/// Generates the `cwmp` crate's XML for `envelope`.
pub fn generate(envelope: &p::Envelope) -> Result<String, String> {
    cwmp::generate(envelope).map_err(|e| e.to_string())
}

fn parameters(list: &[ParameterValue<'_>]) -> Vec<p::ParameterValue> {
    list.iter()
        .map(|pv| {
            p::ParameterValue::new(
                pv.name.to_string(),
                format!("xsd:{}", pv.value.ty.xsd_name()),
                pv.value.text.to_string(),
            )
        })
        .collect()
}

/// Why a message cannot be built for the `cwmp` crate the same as ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inexact(pub &'static str);

/// The `cwmp` crate's value for the same data as `envelope`: exact, or the closest the crate
/// can represent together with what it leaves out.
pub fn convert(envelope: &Envelope<'_>) -> Result<(p::Envelope, Option<Inexact>), String> {
    let header = match &envelope.header.id {
        Some(id) => vec![p::HeaderElement::ID(p::ID::new(true, id.to_string()))],
        None => Vec::new(),
    };
    let mut inexact = None;
    let body = match &envelope.body {
        Body::Inform(m) => {
            let time = m
                .current_time
                .as_str()
                .parse::<DateTime<chrono::FixedOffset>>()
                .map_err(|e| format!("CurrentTime: {e}"))?
                .with_timezone(&Utc);
            p::BodyElement::Inform(p::Inform::new(
                p::DeviceId::new(
                    m.device_id.manufacturer.to_string(),
                    m.device_id.oui.to_string(),
                    m.device_id.product_class.to_string(),
                    m.device_id.serial_number.to_string(),
                ),
                m.events
                    .iter()
                    .map(|e| {
                        p::EventStruct::new(e.code.as_str().to_owned(), e.command_key.to_string())
                    })
                    .collect(),
                m.max_envelopes,
                time,
                m.retry_count,
                parameters(&m.parameters),
            ))
        }
        Body::GetParameterValuesResponse(m) => p::BodyElement::GetParameterValuesResponse(
            p::GetParameterValuesResponse::new(parameters(&m.parameters)),
        ),
        Body::SetParameterValues(m) => {
            p::BodyElement::SetParameterValues(p::SetParameterValues::new(
                Some(m.parameter_key.to_string()),
                parameters(&m.parameters),
            ))
        }
        Body::GetParameterNamesResponse(m) => {
            p::BodyElement::GetParameterNamesResponse(p::GetParameterNamesResponse::new(
                m.parameters
                    .iter()
                    .map(|i| p::ParameterInfoStruct::new(i.name.to_string(), u8::from(i.writable)))
                    .collect(),
            ))
        }
        Body::Fault(f) => {
            if !f.set_parameter_values_faults.is_empty() {
                inexact = Some(Inexact(
                    "cwmp 0.2.2 has no SetParameterValuesFault: generated without them",
                ));
            }
            p::BodyElement::Fault(p::Fault::new(
                f.fault_type.as_str().to_owned(),
                f.fault_string.to_string(),
                f.code.get(),
                f.message.to_string(),
            ))
        }
        other => return Err(format!("no conversion for {}", other.name())),
    };
    Ok((
        p::Envelope::new(Some(p::CwmpVersion::new(1, 0)), header, vec![body]),
        inexact,
    ))
}
