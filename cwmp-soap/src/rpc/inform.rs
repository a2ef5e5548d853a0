//! Inform and InformResponse.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::rpc::*;

use super::parameters::Values;
use crate::describe::{Nested, Occurs, Structs, describe};
use crate::generate::{GenField, Generator};

/// The `Event` array: an array of `EventStruct`, where a struct holding more than one
/// `EventCode` is read as one event per code.
pub(crate) struct Events;

impl Occurs for Events {
    const REPEATABLE: bool = true;
}

impl<'a> GenField<'a, Vec<EventStruct<'a>>> for Events {
    fn generate(g: &mut Generator<'_>) -> Vec<EventStruct<'a>> {
        <Structs as GenField<'a, Vec<EventStruct<'a>>>>::generate(g)
    }
}

describe! {
    /// `DeviceIdStruct`.
    DeviceId<'a> = "DeviceIdStruct" {
        "Manufacturer" manufacturer: Cow<'a, str>,
        "OUI" oui: Cow<'a, str>,
        "ProductClass" product_class: Cow<'a, str>,
        "SerialNumber" serial_number: Cow<'a, str>,
    }
    /// `EventStruct`.
    EventStruct<'a> = "EventStruct" {
        "EventCode" code: EventCode<'a>,
        "CommandKey" command_key: Cow<'a, str>,
    }
    Inform<'a> {
        "DeviceId" device_id: DeviceId<'a> as Nested,
        "Event" events: Vec<EventStruct<'a>> as Events,
        "MaxEnvelopes" max_envelopes: u32,
        "CurrentTime" current_time: DateTimeText<'a>,
        "RetryCount" retry_count: u32,
        "ParameterList" parameters: Vec<ParameterValue<'a>> as Values,
    }
    InformResponse {
        "MaxEnvelopes" max_envelopes: u32,
    }
}
