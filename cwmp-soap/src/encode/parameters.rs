//! The parameter RPCs: Get/SetParameterValues, GetParameterNames, Get/SetParameterAttributes,
//! AddObject, DeleteObject.

use std::borrow::Cow;

use cwmp_core::rpc::{
    GetParameterAttributesResponse, GetParameterNames, GetParameterNamesResponse, ParameterValue,
    SetParameterAttributes, SetParameterValues,
};

use super::BoolFormat;
use super::xml::{Xml, push_i64, tag};

/// `<name soap-enc:arrayType="cwmp:ParameterValueStruct[n]">` with one struct per parameter.
pub(super) fn value_list(x: &mut Xml<'_>, name: &str, list: &[ParameterValue<'_>]) {
    x.array_open(name, "cwmp", "ParameterValueStruct", list.len());
    for p in list {
        x.raw("<ParameterValueStruct><Name>");
        x.text(&p.name);
        x.name_end_and_value(&p.value);
        x.raw("</Value></ParameterValueStruct>");
    }
    x.close(name);
}

pub(super) fn set_parameter_values(x: &mut Xml<'_>, m: &SetParameterValues<'_>) {
    value_list(x, "ParameterList", &m.parameters);
    x.leaf(tag!("ParameterKey"), &m.parameter_key);
}

pub(super) fn get_parameter_names(x: &mut Xml<'_>, m: &GetParameterNames<'_>) {
    x.leaf(tag!("ParameterPath"), &m.parameter_path);
    x.leaf_bool(tag!("NextLevel"), m.next_level);
}

pub(super) fn get_parameter_names_response(x: &mut Xml<'_>, m: &GetParameterNamesResponse<'_>) {
    x.array_open(
        "ParameterList",
        "cwmp",
        "ParameterInfoStruct",
        m.parameters.len(),
    );
    // The markup after a name is one string (the boolean in the configured form).
    let booleans = x.opts.booleans;
    let tail = |writable: bool| match (booleans, writable) {
        (BoolFormat::Words, true) => "</Name><Writable>true</Writable></ParameterInfoStruct>",
        (BoolFormat::Words, false) => "</Name><Writable>false</Writable></ParameterInfoStruct>",
        (BoolFormat::Digits, true) => "</Name><Writable>1</Writable></ParameterInfoStruct>",
        (BoolFormat::Digits, false) => "</Name><Writable>0</Writable></ParameterInfoStruct>",
    };
    for p in &m.parameters {
        x.raw("<ParameterInfoStruct><Name>");
        x.text(&p.name);
        let t = tail(p.writable);
        x.raw(t);
    }
    x.close("ParameterList");
}

fn notification(x: &mut Xml<'_>, n: cwmp_core::filetype::Notification) {
    x.raw("<Notification>");
    push_i64(x.out, n.get().into());
    x.raw("</Notification>");
}

fn access_list(x: &mut Xml<'_>, list: &[Cow<'_, str>]) {
    x.string_array("AccessList", tag!("string"), list);
}

pub(super) fn set_parameter_attributes(x: &mut Xml<'_>, m: &SetParameterAttributes<'_>) {
    x.array_open(
        "ParameterList",
        "cwmp",
        "SetParameterAttributesStruct",
        m.parameters.len(),
    );
    for p in &m.parameters {
        x.raw("<SetParameterAttributesStruct>");
        x.leaf(tag!("Name"), &p.name);
        x.leaf_bool(tag!("NotificationChange"), p.notification_change);
        notification(x, p.notification);
        x.leaf_bool(tag!("AccessListChange"), p.access_list_change);
        access_list(x, &p.access_list);
        x.raw("</SetParameterAttributesStruct>");
    }
    x.close("ParameterList");
}

pub(super) fn get_parameter_attributes_response(
    x: &mut Xml<'_>,
    m: &GetParameterAttributesResponse<'_>,
) {
    x.array_open(
        "ParameterList",
        "cwmp",
        "ParameterAttributeStruct",
        m.parameters.len(),
    );
    for p in &m.parameters {
        x.raw("<ParameterAttributeStruct>");
        x.leaf(tag!("Name"), &p.name);
        notification(x, p.notification);
        access_list(x, &p.access_list);
        x.raw("</ParameterAttributeStruct>");
    }
    x.close("ParameterList");
}

/// AddObject and DeleteObject.
pub(super) fn object(x: &mut Xml<'_>, object_name: &str, parameter_key: &str) {
    x.leaf(tag!("ObjectName"), object_name);
    x.leaf(tag!("ParameterKey"), parameter_key);
}
