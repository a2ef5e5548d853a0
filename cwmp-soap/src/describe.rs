//! The one description of every RPC's wire shape, and what follows from it.
//!
//! Each message and each struct it carries is described once, in `crate::rpc`, with
//! [`describe!`]: its element name (for a struct that is an array member), then its child
//! elements in schema order, each with the model field it fills, that field's type and how the
//! element is coded (a [codec](self#codecs)). From that one description the macro derives
//!
//! - the decoder (`crate::decode::field::ReadStruct`): children are matched by name, order,
//!   repetition and required children are checked with warnings, unknown children skipped;
//! - the encoder (`crate::encode::field::WriteStruct`): the children in schema order;
//! - the generator (`crate::generate`), which fuzzing, property tests and benches use to make
//!   model values of every message.
//!
//! A type in `cwmp_core`'s list of RPCs without a description has no decoder, encoder or
//! generator, and the dispatch over that list does not compile.
//!
//! # Codecs
//!
//! The codec after `as` says how one child element is coded; without one it is [`Plain`].
//!
//! | codec | field type | element |
//! |---|---|---|
//! | [`Plain`] | text, number, boolean, dateTime and the other leaf values | required, once |
//! | [`Opt`] | `Option` of a leaf value | optional, written when `Some` |
//! | [`Omissible`] | a leaf value | optional (its default when absent), always written |
//! | [`Nested`] | a described struct | required, once |
//! | [`Structs`] | `Vec` of a described struct | a `soap-enc` array; may repeat (arrays written without wrapper) |
//! | [`Each`] | `Vec` of a described struct | the struct element itself, repeated (none or more) |
//! | [`Strings`], [`Base64s`] | `Vec` of text | an array of `string` / `base64` members |
//!
//! A family whose wire form needs more (the fast parameter-value path, events with repeated
//! codes, the two deployment-unit shapes) names its own codec, implemented at the same path in
//! `decode/rpc/` and `encode/rpc/`.

/// How often a child element occurs, per codec: required (a warning when missing), and
/// repeatable (no warning when it comes more than once).
pub(crate) trait Occurs {
    /// The element must be present.
    const REQUIRED: bool = true;
    /// The element may come more than once (each occurrence adds to the field).
    const REPEATABLE: bool = false;
}

/// A leaf value, required and single.
pub(crate) struct Plain;
/// An optional leaf value.
pub(crate) struct Opt;
/// A leaf value the schema lets a sender leave out (`minOccurs="0"`) but the model keeps as a
/// plain value: read when present, its default when not (no warning), always written.
pub(crate) struct Omissible;
/// A described struct, required and single.
pub(crate) struct Nested;
/// A `soap-enc` array of described structs.
pub(crate) struct Structs;
/// A described struct repeated as sibling elements, without an array wrapper (the CWMP
/// Fault's `SetParameterValuesFault` entries).
pub(crate) struct Each;
/// A `soap-enc` array of `string`.
pub(crate) struct Strings;
/// A `soap-enc` array of `base64`.
pub(crate) struct Base64s;

impl Occurs for Plain {}
impl Occurs for Nested {}
impl Occurs for Strings {}
impl Occurs for Base64s {}
impl Occurs for Opt {
    const REQUIRED: bool = false;
}
impl Occurs for Omissible {
    const REQUIRED: bool = false;
}
impl Occurs for Structs {
    const REPEATABLE: bool = true;
}
impl Occurs for Each {
    const REQUIRED: bool = false;
    const REPEATABLE: bool = true;
}

/// The codec of a field: the one named, or [`Plain`].
macro_rules! codec {
    () => {
        $crate::describe::Plain
    };
    ($codec:ty) => {
        $codec
    };
}
pub(crate) use codec;

/// Describes messages and structs (see the [module docs](self)):
///
/// ```text
/// describe! {
///     /// Doc of the description.
///     ParameterValue<'a> = "ParameterValueStruct" {
///         "Name" name: Cow<'a, str>,
///         "Value" value: Value<'a>,
///     }
///     SetParameterValues<'a> {
///         "ParameterList" parameters: Vec<ParameterValue<'a>> as Values,
///         "ParameterKey" parameter_key: Cow<'a, str>,
///     }
/// }
/// ```
///
/// The element name after `=` is the struct's member name in arrays; a message's own element
/// name comes from `cwmp_core`'s list of RPCs.
macro_rules! describe {
    ($(
        $(#[$doc:meta])*
        $name:ident $(<$lt:lifetime>)? $(= $wire:literal)? {
            $($child:literal $field:ident : $ty:ty $(as $codec:ty)?),* $(,)?
        }
    )*) => {$(
        $(#[$doc])*
        impl<'a> $crate::decode::field::ReadStruct<'a> for $name $(<$lt>)? {
            $(const NAME: &'static str = $wire;)?
            const FIELDS: &'static [&'static str] = &[$($child),*];
            const REQUIRED: u32 = {
                #[allow(non_camel_case_types, dead_code)]
                enum F { $($field),* }
                0 $(| ((<$crate::describe::codec!($($codec)?) as $crate::describe::Occurs>::REQUIRED as u32) << (F::$field as u32)))*
            };
            const REPEATABLE: u32 = {
                #[allow(non_camel_case_types, dead_code)]
                enum F { $($field),* }
                0 $(| ((<$crate::describe::codec!($($codec)?) as $crate::describe::Occurs>::REPEATABLE as u32) << (F::$field as u32)))*
            };
            #[inline]
            #[allow(unused_variables)]
            fn read_field(
                &mut self,
                p: &mut $crate::decode::reader::Parser<'a>,
                i: usize,
                c: $crate::decode::reader::Elem<'a>,
            ) -> Result<(), $crate::decode::DecodeError> {
                #[allow(non_camel_case_types)]
                #[derive(Clone, Copy)]
                enum F { $($field),* }
                const ORDER: &[F] = &[$(F::$field),*];
                #[allow(unreachable_patterns)]
                match ORDER.get(i) {
                    $(Some(F::$field) => <$crate::describe::codec!($($codec)?) as $crate::decode::field::ReadField<'a, $ty>>::read(p, c, &mut self.$field),)*
                    _ => Ok(()),
                }
            }
        }

        impl<'a> $crate::encode::field::WriteStruct<'a> for $name $(<$lt>)? {
            $(
                const NAME: &'static str = $wire;
                const OPEN: &'static str = concat!("<", $wire, ">");
                const CLOSE: &'static str = concat!("</", $wire, ">");
            )?
            #[inline]
            #[allow(unused_variables)]
            fn write_fields(&self, x: &mut $crate::encode::xml::Xml<'_>) {
                $(<$crate::describe::codec!($($codec)?) as $crate::encode::field::WriteField<$ty>>::write(
                    x,
                    $crate::encode::xml::tag!($child),
                    &self.$field,
                );)*
            }
        }

        impl<'a> $crate::generate::GenStruct<'a> for $name $(<$lt>)? {
            #[allow(unused_variables)]
            fn generate(g: &mut $crate::generate::Generator<'_>) -> Self {
                #[allow(unused_mut)]
                let mut m = Self::default();
                $(m.$field = <$crate::describe::codec!($($codec)?) as $crate::generate::GenField<'a, $ty>>::generate(g);)*
                m
            }
        }
    )*};
}
pub(crate) use describe;
