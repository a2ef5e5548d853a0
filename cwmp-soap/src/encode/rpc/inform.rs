//! The Inform's `Event` array: written as an array of `EventStruct`, one per event.

use cwmp_core::event::EventStruct;

use crate::describe::Structs;
use crate::encode::field::WriteField;
use crate::encode::xml::{Tag, Xml};
use crate::rpc::inform::Events;

impl WriteField<Vec<EventStruct<'_>>> for Events {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<EventStruct<'_>>) {
        <Structs as WriteField<Vec<EventStruct<'_>>>>::write(x, tag, v);
    }
}
