//! Get/SetParameterValues, GetParameterNames, Get/SetParameterAttributes, AddObject,
//! DeleteObject, and the ParameterValueStruct shared with Inform.

use std::borrow::Cow;

use cwmp_core::filetype::Notification;
use cwmp_core::rpc::*;
use cwmp_core::value::Value;

use crate::describe::{Occurs, Strings, Structs, describe};
use crate::generate::{GenField, GenStruct, Generator};

/// A `ParameterList` of `ParameterValueStruct`: an array of structs, with a fast decode path
/// for members in the plainest form and one string for the markup between name and value.
pub(crate) struct Values;

impl Occurs for Values {
    const REPEATABLE: bool = true;
}

impl<'a> GenField<'a, Vec<ParameterValue<'a>>> for Values {
    fn generate(g: &mut Generator<'_>) -> Vec<ParameterValue<'a>> {
        <Structs as GenField<'a, Vec<ParameterValue<'a>>>>::generate(g)
    }
}

/// A `ParameterList` of `ParameterInfoStruct`: an array of structs, written with the markup
/// after each name as one string.
pub(crate) struct Infos;

impl Occurs for Infos {
    const REPEATABLE: bool = true;
}

impl<'a> GenField<'a, Vec<ParameterInfo<'a>>> for Infos {
    fn generate(g: &mut Generator<'_>) -> Vec<ParameterInfo<'a>> {
        g.vec(ParameterInfo::generate)
    }
}

describe! {
    /// `ParameterValueStruct`: a parameter's name and typed value.
    ParameterValue<'a> = "ParameterValueStruct" {
        "Name" name: Cow<'a, str>,
        "Value" value: Value<'a>,
    }
    /// `ParameterInfoStruct`.
    ParameterInfo<'a> = "ParameterInfoStruct" {
        "Name" name: Cow<'a, str>,
        "Writable" writable: bool,
    }
    /// `SetParameterAttributesStruct`.
    SetParameterAttribute<'a> = "SetParameterAttributesStruct" {
        "Name" name: Cow<'a, str>,
        "NotificationChange" notification_change: bool,
        "Notification" notification: Notification,
        "AccessListChange" access_list_change: bool,
        "AccessList" access_list: Vec<Cow<'a, str>> as Strings,
    }
    /// `ParameterAttributeStruct`.
    ParameterAttribute<'a> = "ParameterAttributeStruct" {
        "Name" name: Cow<'a, str>,
        "Notification" notification: Notification,
        "AccessList" access_list: Vec<Cow<'a, str>> as Strings,
    }
    SetParameterValues<'a> {
        "ParameterList" parameters: Vec<ParameterValue<'a>> as Values,
        "ParameterKey" parameter_key: Cow<'a, str>,
    }
    SetParameterValuesResponse {
        "Status" status: i32,
    }
    GetParameterValues<'a> {
        "ParameterNames" parameter_names: Vec<Cow<'a, str>> as Strings,
    }
    GetParameterValuesResponse<'a> {
        "ParameterList" parameters: Vec<ParameterValue<'a>> as Values,
    }
    GetParameterNames<'a> {
        "ParameterPath" parameter_path: Cow<'a, str>,
        "NextLevel" next_level: bool,
    }
    GetParameterNamesResponse<'a> {
        "ParameterList" parameters: Vec<ParameterInfo<'a>> as Infos,
    }
    SetParameterAttributes<'a> {
        "ParameterList" parameters: Vec<SetParameterAttribute<'a>> as Structs,
    }
    SetParameterAttributesResponse {}
    GetParameterAttributes<'a> {
        "ParameterNames" parameter_names: Vec<Cow<'a, str>> as Strings,
    }
    GetParameterAttributesResponse<'a> {
        "ParameterList" parameters: Vec<ParameterAttribute<'a>> as Structs,
    }
    AddObject<'a> {
        "ObjectName" object_name: Cow<'a, str>,
        "ParameterKey" parameter_key: Cow<'a, str>,
    }
    AddObjectResponse {
        "InstanceNumber" instance_number: u32,
        "Status" status: i32,
    }
    DeleteObject<'a> {
        "ObjectName" object_name: Cow<'a, str>,
        "ParameterKey" parameter_key: Cow<'a, str>,
    }
    DeleteObjectResponse {
        "Status" status: i32,
    }
}
