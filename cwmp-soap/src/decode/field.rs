//! The decoder side of the RPC descriptions (`crate::describe`): a described struct reads
//! its children by name, each with its codec.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::EventCode;
use cwmp_core::fault::FaultCode;
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};

use super::error::DecodeError;
use super::reader::{Elem, Parser};
use crate::describe::{Base64s, Each, Nested, Omissible, Opt, Plain, Strings, Structs};

/// A described struct (or message): its children in schema order and what reads each one.
pub(crate) trait ReadStruct<'a>: Default {
    /// The element name of the struct as an array member (empty for a message).
    const NAME: &'static str = "";
    /// The child element names, in schema order.
    const FIELDS: &'static [&'static str];
    /// Bit `i` set: `FIELDS[i]` is required.
    const REQUIRED: u32;
    /// Bit `i` set: `FIELDS[i]` may come more than once.
    const REPEATABLE: u32;
    /// Reads child `c`, named `FIELDS[i]`, into its field.
    fn read_field(&mut self, p: &mut Parser<'a>, i: usize, c: Elem<'a>) -> Result<(), DecodeError>;
}

/// Decodes the described struct or message `e` (open) to its end.
pub(crate) fn read_struct<'a, T: ReadStruct<'a>>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<T, DecodeError> {
    let mut t = T::default();
    p.fields_once(
        e,
        T::FIELDS,
        (T::REQUIRED, T::REPEATABLE),
        &mut |p, i, c| t.read_field(p, i, c),
    )?;
    Ok(t)
}

/// How a codec reads one child element into a field of type `T`. A repeatable element adds
/// to what earlier ones read; any other replaces it (after the duplicate warning).
pub(crate) trait ReadField<'a, T> {
    /// Reads the open element `c` to its end into `into`.
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut T) -> Result<(), DecodeError>;
}

/// A leaf value decoded from an element's text.
pub(crate) trait Leaf<'a>: Sized {
    /// Decodes the text of the open element `c`.
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError>;
}

impl<'a> Leaf<'a> for Cow<'a, str> {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.text(c)
    }
}

impl<'a> Leaf<'a> for bool {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.bool(c)
    }
}

impl<'a> Leaf<'a> for u32 {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.u32(c)
    }
}

impl<'a> Leaf<'a> for i32 {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.i32(c)
    }
}

impl<'a> Leaf<'a> for DateTimeText<'a> {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.datetime(c)
    }
}

impl<'a> Leaf<'a> for FileType<'a> {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.text(c).map(FileType)
    }
}

impl<'a> Leaf<'a> for TimeWindowMode<'a> {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.text(c).map(TimeWindowMode)
    }
}

impl<'a> Leaf<'a> for EventCode<'a> {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.text(c).map(EventCode)
    }
}

impl<'a> Leaf<'a> for Notification {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.i32(c).map(Notification::new)
    }
}

impl<'a> Leaf<'a> for FaultCode {
    #[inline]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        p.u32(c).map(FaultCode::new)
    }
}

impl<'a, T: Leaf<'a>> ReadField<'a, T> for Plain {
    #[inline]
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut T) -> Result<(), DecodeError> {
        *into = T::leaf(p, &c)?;
        Ok(())
    }
}

/// Read like [`Plain`]; only its [`Occurs`](crate::describe::Occurs) differs.
impl<'a, T: Leaf<'a>> ReadField<'a, T> for Omissible {
    #[inline]
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut T) -> Result<(), DecodeError> {
        <Plain as ReadField<'a, T>>::read(p, c, into)
    }
}

impl<'a, T: Leaf<'a>> ReadField<'a, Option<T>> for Opt {
    #[inline]
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut Option<T>) -> Result<(), DecodeError> {
        *into = Some(T::leaf(p, &c)?);
        Ok(())
    }
}

impl<'a, T: ReadStruct<'a>> ReadField<'a, T> for Nested {
    #[inline]
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut T) -> Result<(), DecodeError> {
        *into = read_struct(p, &c)?;
        Ok(())
    }
}

impl<'a, T: ReadStruct<'a>> ReadField<'a, Vec<T>> for Structs {
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut Vec<T>) -> Result<(), DecodeError> {
        // A member is at least `<Name/>`.
        into.reserve(p.array_capacity(&c, T::NAME.len() + 3));
        p.struct_array(
            &c,
            T::NAME,
            T::FIELDS,
            (T::REQUIRED, T::REPEATABLE),
            into,
            |p, t, i, f| t.read_field(p, i, f),
        )
    }
}

impl<'a, T: ReadStruct<'a>> ReadField<'a, Vec<T>> for Each {
    #[inline]
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut Vec<T>) -> Result<(), DecodeError> {
        into.push(read_struct(p, &c)?);
        Ok(())
    }
}

/// Reads an array of text members named `member` into `into`.
fn texts<'a>(
    p: &mut Parser<'a>,
    c: &Elem<'a>,
    member: &str,
    into: &mut Vec<Cow<'a, str>>,
) -> Result<(), DecodeError> {
    p.array(c, member, |p, m| {
        into.push(p.text(&m)?);
        Ok(())
    })
}

impl<'a> ReadField<'a, Vec<Cow<'a, str>>> for Strings {
    fn read(
        p: &mut Parser<'a>,
        c: Elem<'a>,
        into: &mut Vec<Cow<'a, str>>,
    ) -> Result<(), DecodeError> {
        texts(p, &c, "string", into)
    }
}

impl<'a> ReadField<'a, Vec<Cow<'a, str>>> for Base64s {
    fn read(
        p: &mut Parser<'a>,
        c: Elem<'a>,
        into: &mut Vec<Cow<'a, str>>,
    ) -> Result<(), DecodeError> {
        texts(p, &c, "base64", into)
    }
}
