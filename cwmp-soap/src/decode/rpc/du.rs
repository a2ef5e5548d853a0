//! The deployment-unit codecs, in both wire shapes seen in the field: the XSD form (repeated
//! `Operations xsi:type=...` / repeated `Results`) and the deployed wrapper form
//! (`Operations/InstallOpStruct`, `Results soap-enc:arrayType`).

use cwmp_core::fault::FaultCode;
use cwmp_core::rpc::*;

use crate::decode::error::{DecodeError, WarningKind};
use crate::decode::field::{Leaf, ReadField, ReadStruct, read_struct};
use crate::decode::reader::{Elem, Fields, Parser};
use crate::rpc::du::{AUTON_RESULT_FIELDS, DuFaults, Operations, Results};

fn is_op_struct(name: &str) -> bool {
    matches!(
        name,
        "InstallOpStruct" | "UpdateOpStruct" | "UninstallOpStruct"
    )
}

impl<'a> ReadField<'a, Vec<Operation<'a>>> for Operations {
    /// One `Operations` element: an operation typed by its `xsi:type`, or a wrapper of
    /// operation structs (with [`WarningKind::DuWrapperForm`]).
    fn read(
        p: &mut Parser<'a>,
        c: Elem<'a>,
        out: &mut Vec<Operation<'a>>,
    ) -> Result<(), DecodeError> {
        match p.xsi_type(&c).map(|t| t.local).filter(|t| is_op_struct(t)) {
            Some(ty) => out.push(operation(p, &c, ty)?),
            None => {
                p.warn(WarningKind::DuWrapperForm, c.offset)?;
                while let Some(s) = p.child(&c)? {
                    if is_op_struct(s.local) {
                        out.push(operation(p, &s, s.local)?);
                    } else {
                        p.warn(WarningKind::UnknownOperationType, s.offset)?;
                        p.skip(&s)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn operation<'a>(p: &mut Parser<'a>, e: &Elem<'a>, ty: &str) -> Result<Operation<'a>, DecodeError> {
    Ok(match ty {
        "InstallOpStruct" => Operation::Install(read_struct(p, e)?),
        "UpdateOpStruct" => Operation::Update(read_struct(p, e)?),
        _ => Operation::Uninstall(read_struct(p, e)?),
    })
}

/// A result struct of either completion message, as the `Results` codec reads it.
trait DuResult<'a>: Default {
    /// The member name in the wrapper form.
    const MEMBER: &'static str;
    /// The children, in schema order.
    const FIELDS: &'static [&'static str];
    /// Bit `i` set: `FIELDS[i]` is required.
    const REQUIRED: u32;
    /// Reads child `c`, named `FIELDS[i]`.
    fn read_field(&mut self, p: &mut Parser<'a>, i: usize, c: Elem<'a>) -> Result<(), DecodeError>;
}

impl<'a> DuResult<'a> for OpResult<'a> {
    const MEMBER: &'static str = <OpResult<'a> as ReadStruct<'a>>::NAME;
    const FIELDS: &'static [&'static str] = <OpResult<'a> as ReadStruct<'a>>::FIELDS;
    const REQUIRED: u32 = <OpResult<'a> as ReadStruct<'a>>::REQUIRED;
    fn read_field(&mut self, p: &mut Parser<'a>, i: usize, c: Elem<'a>) -> Result<(), DecodeError> {
        ReadStruct::read_field(self, p, i, c)
    }
}

impl<'a> DuResult<'a> for AutonOpResult<'a> {
    const MEMBER: &'static str = "AutonOpResultStruct";
    const FIELDS: &'static [&'static str] = AUTON_RESULT_FIELDS;
    const REQUIRED: u32 = <OpResult<'a> as ReadStruct<'a>>::REQUIRED
        | 1 << <OpResult<'a> as ReadStruct<'a>>::FIELDS.len();
    fn read_field(&mut self, p: &mut Parser<'a>, i: usize, c: Elem<'a>) -> Result<(), DecodeError> {
        if i < <OpResult<'a> as ReadStruct<'a>>::FIELDS.len() {
            ReadStruct::read_field(&mut self.result, p, i, c)
        } else {
            self.operation_performed = p.text(&c)?;
            Ok(())
        }
    }
}

/// Reads the struct `s` of a result.
fn result<'a, T: DuResult<'a>>(p: &mut Parser<'a>, s: &Elem<'a>) -> Result<T, DecodeError> {
    let mut r = T::default();
    p.fields(s, T::FIELDS, T::REQUIRED, |p, i, f| r.read_field(p, i, f))?;
    Ok(r)
}

impl<'a> ReadField<'a, DuFault<'a>> for DuFaults {
    fn read(p: &mut Parser<'a>, c: Elem<'a>, into: &mut DuFault<'a>) -> Result<(), DecodeError> {
        *into = du_fault(p, &c)?;
        Ok(())
    }
}

fn du_fault<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<DuFault<'a>, DecodeError> {
    let mut f = DuFault::default();
    let mut got_code = false;
    p.fields(
        e,
        &["FaultCode", "FaultString", "FaultStruct"],
        0,
        |p, i, c| {
            match i {
                0 => {
                    got_code = true;
                    f.code = FaultCode::leaf(p, &c)?;
                }
                1 => f.message = p.text(&c)?,
                _ => {
                    p.warn(WarningKind::DuFaultWrapper, c.offset)?;
                    got_code = true;
                    f = du_fault(p, &c)?;
                }
            }
            Ok(())
        },
    )?;
    if !got_code {
        p.warn(WarningKind::MissingElement, e.offset)?;
    }
    Ok(f)
}

impl<'a, T: DuResult<'a>> ReadField<'a, Vec<T>> for Results {
    /// One `Results` element in either form, appending every result it holds.
    fn read(p: &mut Parser<'a>, c: Elem<'a>, out: &mut Vec<T>) -> Result<(), DecodeError> {
        let mut warned = false;
        let mut wrapper = |p: &mut Parser<'a>, at: usize| -> Result<(), DecodeError> {
            if !warned {
                warned = true;
                p.warn(WarningKind::DuWrapperForm, at)?;
            }
            Ok(())
        };
        if p.array_type(&c).is_some() || p.xsi_type(&c).is_some_and(|t| t.local == "Array") {
            wrapper(p, c.offset)?;
            return p.array(&c, T::MEMBER, |p, s| {
                out.push(result(p, &s)?);
                Ok(())
            });
        }
        // XSD form (the Results element is the struct), or a wrapper without arrayType.
        let mut own: Option<(T, Fields)> = None;
        while let Some(s) = p.child(&c)? {
            if matches!(s.local, "OpResultStruct" | "AutonOpResultStruct") {
                wrapper(p, s.offset)?;
                out.push(result(p, &s)?);
                continue;
            }
            match T::FIELDS.iter().position(|n| *n == s.local) {
                Some(i) => {
                    let (r, track) = own.get_or_insert_with(Default::default);
                    track.see(p, i, &s)?;
                    r.read_field(p, i, s)?;
                }
                None => {
                    p.warn(WarningKind::UnexpectedElement, s.offset)?;
                    p.skip(&s)?;
                }
            }
        }
        if let Some((r, track)) = own {
            track.finish(p, &c, T::REQUIRED)?;
            out.push(r);
        }
        Ok(())
    }
}
