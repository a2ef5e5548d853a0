//! Inform and InformResponse.

use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::rpc::*;

use super::parameters::parameter_values;
use crate::decode::error::DecodeError;
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
    p.fields(e, NAMES, 0b111111, |p, i, c| {
        match i {
            0 => m.device_id = device_id(p, &c)?,
            1 => {
                p.array(&c, "EventStruct", |p, s| {
                    let mut ev = EventStruct::default();
                    p.fields(&s, &["EventCode", "CommandKey"], 0b11, |p, i, f| {
                        match i {
                            0 => ev.code = EventCode(p.text(&f)?),
                            _ => ev.command_key = p.text(&f)?,
                        }
                        Ok(())
                    })?;
                    m.events.push(ev);
                    Ok(())
                })?;
            }
            2 => m.max_envelopes = p.u32(&c)?,
            3 => m.current_time = p.datetime(&c)?,
            4 => m.retry_count = p.u32(&c)?,
            _ => m.parameters = parameter_values(p, &c)?,
        }
        Ok(())
    })?;
    Ok(m)
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
