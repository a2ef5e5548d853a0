//! The parameter family's codecs: the `ParameterValueStruct` array (with its fast path) and
//! the typed `Value`.

use std::borrow::Cow;

use cwmp_core::rpc::{ParameterInfo, ParameterValue};
use cwmp_core::value::{Value, ValueType};

use crate::decode::error::{DecodeError, WarningKind};
use crate::decode::field::{Leaf, ReadField, ReadStruct};
use crate::decode::reader::{Elem, MALFORMED_QNAME, Parser, QRef, SOAP_ENC, XSD, XSD_1999};
use crate::describe::Structs;
use crate::rpc::parameters::{Infos, Values};

impl<'a> ReadField<'a, Vec<ParameterValue<'a>>> for Values {
    #[inline]
    fn read(
        p: &mut Parser<'a>,
        c: Elem<'a>,
        out: &mut Vec<ParameterValue<'a>>,
    ) -> Result<(), DecodeError> {
        parameter_values(p, &c, out)
    }
}

/// A `ParameterList` of `ParameterValueStruct`, appended to `out`: each member read whole by
/// the fast path when it can, else field by field as described.
fn parameter_values<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
    out: &mut Vec<ParameterValue<'a>>,
) -> Result<(), DecodeError> {
    // `<ParameterValueStruct/>` is 23 bytes.
    out.reserve(p.array_capacity(e, 23));
    p.array_into(
        e,
        ParameterValue::NAME,
        ParameterValue::FIELDS,
        (ParameterValue::REQUIRED, ParameterValue::REPEATABLE),
        out,
        Some(|p: &mut Parser<'a>| {
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
        }),
        |p, pv, i, c| pv.read_field(p, i, c),
    )
}

/// A `Value` with its `xsi:type` (see [`value_type`]).
impl<'a> Leaf<'a> for Value<'a> {
    #[inline(always)]
    fn leaf(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Self, DecodeError> {
        let ty = value_type(p, p.xsi_type(c), c.offset)?;
        let text = p.text(c)?;
        if !ty.accepts(&text) {
            p.warn(WarningKind::InvalidValueText, c.offset)?;
        }
        Ok(Value { ty, text })
    }
}

impl<'a> ReadField<'a, Vec<ParameterInfo<'a>>> for Infos {
    #[inline]
    fn read(
        p: &mut Parser<'a>,
        c: Elem<'a>,
        out: &mut Vec<ParameterInfo<'a>>,
    ) -> Result<(), DecodeError> {
        <Structs as ReadField<'a, Vec<ParameterInfo<'a>>>>::read(p, c, out)
    }
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
