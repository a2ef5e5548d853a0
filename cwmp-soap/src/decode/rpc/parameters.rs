//! Get/SetParameterValues, GetParameterNames, Get/SetParameterAttributes, AddObject,
//! DeleteObject, and the ParameterValueStruct / Value shared with Inform.

use std::borrow::Cow;

use cwmp_core::filetype::Notification;
use cwmp_core::rpc::*;
use cwmp_core::value::{Value, ValueType};

use super::strings;
use crate::decode::error::{DecodeError, WarningKind};
use crate::decode::reader::{Elem, MALFORMED_QNAME, Parser, QRef, SOAP_ENC, XSD, XSD_1999};

/// A `ParameterList` of `ParameterValueStruct`, appended to `out`.
pub(super) fn parameter_values<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
    out: &mut Vec<ParameterValue<'a>>,
) -> Result<(), DecodeError> {
    // `<ParameterValueStruct/>` is 23 bytes.
    out.reserve(p.array_capacity(e, 23));
    p.array_into(
        e,
        "ParameterValueStruct",
        &["Name", "Value"],
        (0b11, 0),
        out,
        |p| {
            let Some(f) = p.fast_pvs() else {
                return Ok(None);
            };
            let ty = value_type(p, f.xsi_type, f.value_offset)?;
            if !ty.accepts(f.value) {
                p.warn(WarningKind::InvalidValueText, f.value_offset)?;
            }
            Ok(Some(ParameterValue {
                name: Cow::Borrowed(f.name),
                value: Value {
                    ty,
                    text: Cow::Borrowed(f.value),
                },
            }))
        },
        |p, pv, i, c| {
            match i {
                0 => pv.name = p.text(&c)?,
                _ => pv.value = value(p, &c)?,
            }
            Ok(())
        },
    )
}

/// A `Value` with its `xsi:type` (see [`value_type`]).
#[inline(always)]
fn value<'a>(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Value<'a>, DecodeError> {
    let ty = value_type(p, p.xsi_type(c), c.offset)?;
    let text = p.text(c)?;
    if !ty.accepts(&text) {
        p.warn(WarningKind::InvalidValueText, c.offset)?;
    }
    Ok(Value { ty, text })
}

/// The value type named by a `Value`'s resolved `xsi:type` (at `offset`, for warnings):
/// missing, a string; a known name, that type; an unknown one, `Other` (see
/// [`foreign_value_type`] for other namespaces and malformed names).
#[inline(always)]
fn value_type<'a>(
    p: &mut Parser<'a>,
    xsi_type: Option<QRef<'a>>,
    offset: usize,
) -> Result<ValueType<'a>, DecodeError> {
    Ok(match xsi_type {
        None => {
            p.warn(WarningKind::MissingValueType, offset)?;
            ValueType::String
        }
        Some(q) if matches!(q.ns, XSD | XSD_1999 | SOAP_ENC | "") => {
            let ty = ValueType::from_xsd_name(q.local);
            if matches!(ty, ValueType::Other(_)) {
                p.warn(WarningKind::UnknownValueType, offset)?;
            }
            ty
        }
        Some(q) => foreign_value_type(p, q, offset)?,
    })
}

/// [`value_type`] for an `xsi:type` outside the XML Schema and SOAP encoding namespaces, or
/// that is not a `QName` at all. Whatever the model keeps must come back from the encoder's
/// `xsd:<name>`: a known name is that type, an unknown one `Other`, a malformed one a string.
#[cold]
#[inline(never)]
fn foreign_value_type<'a>(
    p: &mut Parser<'a>,
    q: QRef<'a>,
    offset: usize,
) -> Result<ValueType<'a>, DecodeError> {
    if q.ns == MALFORMED_QNAME {
        p.warn(WarningKind::MalformedValueType, offset)?;
        return Ok(ValueType::String);
    }
    let ty = ValueType::from_xsd_name(q.local);
    if matches!(ty, ValueType::Other(_)) {
        p.warn(WarningKind::UnknownValueType, offset)?;
    } else {
        p.warn(WarningKind::ForeignValueType, offset)?;
    }
    Ok(ty)
}

pub(super) fn set_parameter_values<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<SetParameterValues<'a>, DecodeError> {
    let mut m = SetParameterValues::default();
    p.fields_repeated(
        e,
        &["ParameterList", "ParameterKey"],
        0b11,
        0b01,
        |p, i, c| {
            match i {
                0 => parameter_values(p, &c, &mut m.parameters)?,
                _ => m.parameter_key = p.text(&c)?,
            }
            Ok(())
        },
    )?;
    Ok(m)
}

pub(super) fn set_parameter_values_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<SetParameterValuesResponse, DecodeError> {
    let mut m = SetParameterValuesResponse::default();
    p.fields(e, &["Status"], 0b1, |p, _, c| {
        m.status = p.i32(&c)?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_parameter_values<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetParameterValues<'a>, DecodeError> {
    let mut m = GetParameterValues::default();
    p.fields(e, &["ParameterNames"], 0b1, |p, _, c| {
        m.parameter_names = strings(p, &c, "string")?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_parameter_values_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetParameterValuesResponse<'a>, DecodeError> {
    let mut m = GetParameterValuesResponse::default();
    p.fields_repeated(e, &["ParameterList"], 0b1, 0b1, |p, _, c| {
        parameter_values(p, &c, &mut m.parameters)
    })?;
    Ok(m)
}

pub(super) fn get_parameter_names<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetParameterNames<'a>, DecodeError> {
    let mut m = GetParameterNames::default();
    p.fields(e, &["ParameterPath", "NextLevel"], 0b11, |p, i, c| {
        match i {
            0 => m.parameter_path = p.text(&c)?,
            _ => m.next_level = p.bool(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_parameter_names_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetParameterNamesResponse<'a>, DecodeError> {
    let mut m = GetParameterNamesResponse::default();
    p.fields_repeated(e, &["ParameterList"], 0b1, 0b1, |p, _, c| {
        // `<ParameterInfoStruct/>` is 22 bytes.
        m.parameters.reserve(p.array_capacity(&c, 22));
        const NAMES: &[&str] = &["Name", "Writable"];
        p.struct_array(
            &c,
            "ParameterInfoStruct",
            NAMES,
            (0b11, 0),
            &mut m.parameters,
            |p, info, i, f| {
                match i {
                    0 => info.name = p.text(&f)?,
                    _ => info.writable = p.bool(&f)?,
                }
                Ok(())
            },
        )
    })?;
    Ok(m)
}

fn notification<'a>(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Notification, DecodeError> {
    p.i32(c).map(Notification::new)
}

pub(super) fn set_parameter_attributes<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<SetParameterAttributes<'a>, DecodeError> {
    let mut m = SetParameterAttributes::default();
    p.fields_repeated(e, &["ParameterList"], 0b1, 0b1, |p, _, c| {
        const NAMES: &[&str] = &[
            "Name",
            "NotificationChange",
            "Notification",
            "AccessListChange",
            "AccessList",
        ];
        let out = &mut m.parameters;
        p.struct_array(
            &c,
            "SetParameterAttributesStruct",
            NAMES,
            (0b11111, 0),
            out,
            |p, a, i, f| {
                match i {
                    0 => a.name = p.text(&f)?,
                    1 => a.notification_change = p.bool(&f)?,
                    2 => a.notification = notification(p, &f)?,
                    3 => a.access_list_change = p.bool(&f)?,
                    _ => a.access_list = strings(p, &f, "string")?,
                }
                Ok(())
            },
        )
    })?;
    Ok(m)
}

pub(super) fn get_parameter_attributes<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetParameterAttributes<'a>, DecodeError> {
    let mut m = GetParameterAttributes::default();
    p.fields(e, &["ParameterNames"], 0b1, |p, _, c| {
        m.parameter_names = strings(p, &c, "string")?;
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn get_parameter_attributes_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<GetParameterAttributesResponse<'a>, DecodeError> {
    let mut m = GetParameterAttributesResponse::default();
    p.fields_repeated(e, &["ParameterList"], 0b1, 0b1, |p, _, c| {
        const NAMES: &[&str] = &["Name", "Notification", "AccessList"];
        let out = &mut m.parameters;
        p.struct_array(
            &c,
            "ParameterAttributeStruct",
            NAMES,
            (0b111, 0),
            out,
            |p, a, i, f| {
                match i {
                    0 => a.name = p.text(&f)?,
                    1 => a.notification = notification(p, &f)?,
                    _ => a.access_list = strings(p, &f, "string")?,
                }
                Ok(())
            },
        )
    })?;
    Ok(m)
}

pub(super) fn add_object<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<AddObject<'a>, DecodeError> {
    let mut m = AddObject::default();
    p.fields(e, &["ObjectName", "ParameterKey"], 0b11, |p, i, c| {
        match i {
            0 => m.object_name = p.text(&c)?,
            _ => m.parameter_key = p.text(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn add_object_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<AddObjectResponse, DecodeError> {
    let mut m = AddObjectResponse::default();
    p.fields(e, &["InstanceNumber", "Status"], 0b11, |p, i, c| {
        match i {
            0 => m.instance_number = p.u32(&c)?,
            _ => m.status = p.i32(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn delete_object<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<DeleteObject<'a>, DecodeError> {
    let mut m = DeleteObject::default();
    p.fields(e, &["ObjectName", "ParameterKey"], 0b11, |p, i, c| {
        match i {
            0 => m.object_name = p.text(&c)?,
            _ => m.parameter_key = p.text(&c)?,
        }
        Ok(())
    })?;
    Ok(m)
}

pub(super) fn delete_object_response<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<DeleteObjectResponse, DecodeError> {
    let mut m = DeleteObjectResponse::default();
    p.fields(e, &["Status"], 0b1, |p, _, c| {
        m.status = p.i32(&c)?;
        Ok(())
    })?;
    Ok(m)
}
