//! The encoder side of the RPC descriptions (`crate::describe`): a described struct writes
//! its children in schema order, each with its codec.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::EventCode;
use cwmp_core::fault::FaultCode;
use cwmp_core::filetype::{FileType, Notification, TimeWindowMode};

use super::xml::{Tag, Xml};
use crate::describe::{Base64s, Each, Nested, Omissible, Opt, Plain, Strings, Structs};

/// A described struct (or message): writes its children.
pub(crate) trait WriteStruct<'a> {
    /// The element name of the struct as an array member (empty for a message).
    const NAME: &'static str = "";
    /// `<Name>` of the struct as an array member (empty for a message).
    const OPEN: &'static str = "";
    /// `</Name>` of the struct as an array member (empty for a message).
    const CLOSE: &'static str = "";
    /// Writes the children, in schema order.
    fn write_fields(&self, x: &mut Xml<'_>);
}

/// How a codec writes a field of type `T` as the element `tag`.
pub(crate) trait WriteField<T: ?Sized> {
    /// Writes `v` as the element `tag` (nothing for an absent optional value).
    fn write(x: &mut Xml<'_>, tag: Tag, v: &T);
}

/// A leaf value written as an element's text.
pub(crate) trait Leaf {
    /// Writes `<tag>text</tag>`.
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag);
}

impl Leaf for Cow<'_, str> {
    #[inline(always)]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf(tag, self);
    }
}

impl Leaf for bool {
    #[inline(always)]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf_bool(tag, *self);
    }
}

impl Leaf for u32 {
    #[inline(always)]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf_u64(tag, (*self).into());
    }
}

impl Leaf for i32 {
    #[inline(always)]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf_i64(tag, (*self).into());
    }
}

impl Leaf for DateTimeText<'_> {
    #[inline]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf_datetime(tag, self);
    }
}

impl Leaf for FileType<'_> {
    #[inline]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf(tag, self.as_str());
    }
}

impl Leaf for TimeWindowMode<'_> {
    #[inline]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf(tag, &self.0);
    }
}

impl Leaf for EventCode<'_> {
    #[inline]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf(tag, self.as_str());
    }
}

impl Leaf for Notification {
    #[inline]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf_i64(tag, self.get().into());
    }
}

impl Leaf for FaultCode {
    #[inline]
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        x.leaf_u64(tag, self.get().into());
    }
}

impl<T: Leaf> WriteField<T> for Plain {
    #[inline(always)]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &T) {
        v.leaf(x, tag);
    }
}

/// Written like [`Plain`] (always).
impl<T: Leaf> WriteField<T> for Omissible {
    #[inline(always)]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &T) {
        <Plain as WriteField<T>>::write(x, tag, v);
    }
}

impl<T: Leaf> WriteField<Option<T>> for Opt {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Option<T>) {
        if let Some(v) = v {
            v.leaf(x, tag);
        }
    }
}

impl<'a, T: WriteStruct<'a>> WriteField<T> for Nested {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &T) {
        x.raw(tag.open);
        v.write_fields(x);
        x.raw(tag.close);
    }
}

impl<'a, T: WriteStruct<'a>> WriteField<Vec<T>> for Each {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<T>) {
        for item in v {
            x.raw(tag.open);
            item.write_fields(x);
            x.raw(tag.close);
        }
    }
}

/// `<tag soap-enc:arrayType="cwmp:Member[n]">` and the members, each with its children.
pub(crate) fn struct_array<'a, T: WriteStruct<'a>>(
    x: &mut Xml<'_>,
    tag: Tag,
    member: &str,
    items: &[T],
) {
    x.array_open(tag.name, "cwmp", member, items.len());
    for item in items {
        x.raw(T::OPEN);
        item.write_fields(x);
        x.raw(T::CLOSE);
    }
    x.raw(tag.close);
}

impl<'a, T: WriteStruct<'a>> WriteField<Vec<T>> for Structs {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<T>) {
        struct_array(x, tag, T::NAME, v);
    }
}

impl WriteField<Vec<Cow<'_, str>>> for Strings {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<Cow<'_, str>>) {
        x.string_array(tag.name, crate::encode::xml::tag!("string"), v);
    }
}

impl WriteField<Vec<Cow<'_, str>>> for Base64s {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<Cow<'_, str>>) {
        x.string_array(tag.name, crate::encode::xml::tag!("base64"), v);
    }
}
