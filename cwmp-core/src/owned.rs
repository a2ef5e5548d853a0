//! `into_owned` for every message type: the [`IntoStatic`] conversion and the macro that
//! declares message structs with it.

use std::borrow::Cow;

/// Converts a value that may borrow from an input buffer into one that owns its data.
///
/// Every message type implements it; their inherent `into_owned` methods call it.
pub trait IntoStatic {
    /// The owned type.
    type Static: 'static;
    /// Converts, copying borrowed text.
    fn into_static(self) -> Self::Static;
}

impl IntoStatic for Cow<'_, str> {
    type Static = Cow<'static, str>;
    fn into_static(self) -> Self::Static {
        Cow::Owned(self.into_owned())
    }
}

impl<T: IntoStatic> IntoStatic for Vec<T> {
    type Static = Vec<T::Static>;
    fn into_static(self) -> Self::Static {
        self.into_iter().map(IntoStatic::into_static).collect()
    }
}

impl<T: IntoStatic> IntoStatic for Option<T> {
    type Static = Option<T::Static>;
    fn into_static(self) -> Self::Static {
        self.map(IntoStatic::into_static)
    }
}

macro_rules! copy_is_static {
    ($($t:ty),*) => {$(
        impl IntoStatic for $t {
            type Static = $t;
            fn into_static(self) -> Self::Static { self }
        }
    )*};
}

copy_is_static!(
    bool,
    u8,
    u32,
    i32,
    u64,
    i64,
    crate::fault::FaultCode,
    crate::fault::FaultType,
    crate::filetype::Notification,
    crate::CwmpVersion
);

macro_rules! static_via_into_owned {
    ($($t:ident),*) => {$(
        impl IntoStatic for $t<'_> {
            type Static = $t<'static>;
            fn into_static(self) -> Self::Static { self.into_owned() }
        }
    )*};
}

use crate::datetime::DateTimeText;
use crate::event::{EventCode, EventStruct};
use crate::fault::{Fault, SetParameterValuesFault};
use crate::filetype::{FileType, TimeWindowMode};
use crate::value::{Value, ValueType};

static_via_into_owned!(
    DateTimeText,
    EventCode,
    EventStruct,
    Fault,
    SetParameterValuesFault,
    FileType,
    TimeWindowMode,
    Value,
    ValueType
);

/// Declares a message struct whose string fields borrow, with `Debug`, `Clone`, `PartialEq`,
/// `Eq`, `Default`, optional serde, and `into_owned`.
macro_rules! message {
    ($(#[$m:meta])* pub struct $name:ident<'a> { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name<'a> { $($(#[$fm])* pub $f: $t,)* }

        impl $name<'_> {
            /// Converts every borrowed string into an owned one.
            pub fn into_owned(self) -> $name<'static> {
                $name { $($f: $crate::owned::IntoStatic::into_static(self.$f),)* }
            }
        }

        impl $crate::owned::IntoStatic for $name<'_> {
            type Static = $name<'static>;
            fn into_static(self) -> Self::Static { self.into_owned() }
        }
    };
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name { $($(#[$fm])* pub $f: $t,)* }

        impl $name {
            /// Returns the value itself: it borrows nothing.
            pub fn into_owned(self) -> $name { self }
        }

        impl $crate::owned::IntoStatic for $name {
            type Static = $name;
            fn into_static(self) -> Self::Static { self }
        }
    };
}

pub(crate) use message;
