//! The Inform's `Event` array, where a struct holding more than one `EventCode` is read as one
//! event per code (with a warning), never as the last code alone.

use std::borrow::Cow;

use cwmp_core::event::{EventCode, EventStruct};

use crate::decode::error::{DecodeError, WarningKind};
use crate::decode::field::{ReadField, ReadStruct};
use crate::decode::reader::{Elem, Parser};
use crate::rpc::inform::Events;

/// An `EventStruct` as read: every `EventCode` it holds (one event each) and its CommandKey.
#[derive(Default)]
struct EventParts<'a> {
    code: Option<Cow<'a, str>>,
    /// Codes after the first (none in a schema-valid message: no allocation).
    more_codes: Vec<Cow<'a, str>>,
    command_key: Cow<'a, str>,
}

impl<'a> ReadField<'a, Vec<EventStruct<'a>>> for Events {
    fn read(
        p: &mut Parser<'a>,
        c: Elem<'a>,
        out: &mut Vec<EventStruct<'a>>,
    ) -> Result<(), DecodeError> {
        let mut parts: Vec<EventParts<'a>> = Vec::new();
        // The EventCode element may repeat inside a struct: every code is kept.
        let repeatable = EventStruct::REPEATABLE | 1;
        p.struct_array(
            &c,
            EventStruct::NAME,
            EventStruct::FIELDS,
            (EventStruct::REQUIRED, repeatable),
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
        out.reserve(parts.len());
        for ev in parts {
            let code = EventCode(ev.code.unwrap_or_default());
            if ev.more_codes.is_empty() {
                out.push(EventStruct {
                    code,
                    command_key: ev.command_key,
                });
                continue;
            }
            out.push(EventStruct {
                code,
                command_key: ev.command_key.clone(),
            });
            for code in ev.more_codes {
                out.push(EventStruct {
                    code: EventCode(code),
                    command_key: ev.command_key.clone(),
                });
            }
        }
        Ok(())
    }
}
