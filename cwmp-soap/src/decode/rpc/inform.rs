//! Inform and InformResponse.

use std::borrow::Cow;

use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::rpc::*;

use super::parameters::parameter_values;
use crate::decode::error::{DecodeError, WarningKind};
use crate::decode::reader::{Elem, Parser};

pub(super) fn inform<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Inform<'a>, DecodeError> {
    let mut m = Inform::default();
    const NAMES: &[&str] = &[
        "DeviceId",
        "Event",
        "MaxEnvelopes",
        "CurrentTime",
        "RetryCount",
        "ParameterList",
    ];
    // Arrays written without their wrapper come as repeated elements: every one is kept.
    p.fields_repeated(e, NAMES, 0b11_1111, 0b10_0010, |p, i, c| {
        match i {
            0 => m.device_id = device_id(p, &c)?,
            1 => {
                let mut parts: Vec<EventParts<'a>> = Vec::new();
                const EVENT: &[&str] = &["EventCode", "CommandKey"];
                let shape = (0b11, 0b01);
                p.struct_array(
                    &c,
                    "EventStruct",
                    EVENT,
                    shape,
                    &mut parts,
                    |p, ev, i, f| {
                        match i {
                            0 => match ev.code {
                                None => ev.code = Some(p.text(&f)?),
                                Some(_) => {
                                    p.warn(WarningKind::RepeatedEventCode, f.offset)?;
                                    ev.more_codes.push(p.text(&f)?);
                                }
                            },
                            _ => ev.command_key = p.text(&f)?,
                        }
                        Ok(())
                    },
                )?;
                m.events.reserve(parts.len());
                for ev in parts {
                    let code = EventCode(ev.code.unwrap_or_default());
                    if ev.more_codes.is_empty() {
                        m.events.push(EventStruct {
                            code,
                            command_key: ev.command_key,
                        });
                        continue;
                    }
                    m.events.push(EventStruct {
                        code,
                        command_key: ev.command_key.clone(),
                    });
                    for code in ev.more_codes {
                        m.events.push(EventStruct {
                            code: EventCode(code),
                            command_key: ev.command_key.clone(),
                        });
                    }
                }
            }
            2 => m.max_envelopes = p.u32(&c)?,
            3 => m.current_time = p.datetime(&c)?,
            4 => m.retry_count = p.u32(&c)?,
            _ => parameter_values(p, &c, &mut m.parameters)?,
        }
        Ok(())
    })?;
    Ok(m)
}

/// An `EventStruct` as read: every `EventCode` it holds (one event each) and its CommandKey.
#[derive(Default)]
struct EventParts<'a> {
    code: Option<Cow<'a, str>>,
    /// Codes after the first (none in a schema-valid message: no allocation).
    more_codes: Vec<Cow<'a, str>>,
    command_key: Cow<'a, str>,
}

fn device_id<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<DeviceId<'a>, DecodeError> {
    let mut d = DeviceId::default();
    const NAMES: &[&str] = &["Manufacturer", "OUI", "ProductClass", "SerialNumber"];
    p.fields(e, NAMES, 0b1111, |p, i, c| {
        let t = p.text(&c)?;
        match i {
            0 => d.manufacturer = t,
            1 => d.oui = t,
            2 => d.product_class = t,
            _ => d.serial_number = t,
        }
        Ok(())
    })?;
    Ok(d)
}

pub(super) fn inform_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<InformResponse, DecodeError> {
    let mut m = InformResponse::default();
    p.fields(e, &["MaxEnvelopes"], 0b1, |p, _, c| {
        m.max_envelopes = p.u32(&c)?;
        Ok(())
    })?;
    Ok(m)
}
