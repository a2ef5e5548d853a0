//! ChangeDUState, DUStateChangeComplete, AutonomousDUStateChangeComplete, in both wire shapes
//! seen in the field: the XSD form (repeated `Operations xsi:type=...` / repeated `Results`) and
//! the deployed wrapper form (`Operations/InstallOpStruct`, `Results soap-enc:arrayType`).

use std::borrow::Cow;

use cwmp_core::rpc::*;

use crate::decode::envelope::fault_code;
use crate::decode::error::{DecodeError, WarningKind};
use crate::decode::reader::{Elem, Fields, Parser};

fn is_op_struct(name: &str) -> bool {
    matches!(
        name,
        "InstallOpStruct" | "UpdateOpStruct" | "UninstallOpStruct"
    )
}

pub(super) fn change_du_state<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<ChangeDuState<'a>, DecodeError> {
    let mut m = ChangeDuState::default();
    let mut seen_key = false;
    let mut seen_ops = false;
    let mut warned_wrapper = false;
    while let Some(c) = p.child(e)? {
        match c.local {
            "Operations" => {
                if seen_key {
                    p.warn(WarningKind::OutOfOrder, c.offset)?;
                }
                seen_ops = true;
                match p.xsi_type(&c).map(|t| t.local).filter(|t| is_op_struct(t)) {
                    Some(ty) => m.operations.push(operation(p, &c, ty)?),
                    None => {
                        if !warned_wrapper {
                            p.warn(WarningKind::DuWrapperForm, c.offset)?;
                            warned_wrapper = true;
                        }
                        while let Some(s) = p.child(&c)? {
                            if is_op_struct(s.local) {
                                m.operations.push(operation(p, &s, s.local)?);
                            } else {
                                p.warn(WarningKind::UnknownOperationType, s.offset)?;
                                p.skip(&s)?;
                            }
                        }
                    }
                }
            }
            "CommandKey" => {
                if seen_key {
                    p.warn(WarningKind::DuplicateElement, c.offset)?;
                }
                seen_key = true;
                m.command_key = Some(p.text(&c)?);
            }
            _ => {
                p.warn(WarningKind::UnexpectedElement, c.offset)?;
                p.skip(&c)?;
            }
        }
    }
    if !seen_ops {
        p.warn(WarningKind::MissingElement, e.offset)?;
    }
    Ok(m)
}

fn operation<'a>(p: &mut Parser<'a>, e: &Elem<'a>, ty: &str) -> Result<Operation<'a>, DecodeError> {
    Ok(match ty {
        "InstallOpStruct" => {
            let mut op = InstallOp::default();
            const NAMES: &[&str] = &["URL", "UUID", "Username", "Password", "ExecutionEnvRef"];
            p.fields(e, NAMES, 0b1, |p, i, c| {
                let t = p.text(&c)?;
                match i {
                    0 => op.url = t,
                    1 => op.uuid = Some(t),
                    2 => op.username = Some(t),
                    3 => op.password = Some(t),
                    _ => op.execution_env_ref = Some(t),
                }
                Ok(())
            })?;
            Operation::Install(op)
        }
        "UpdateOpStruct" => {
            let mut op = UpdateOp::default();
            const NAMES: &[&str] = &["UUID", "Version", "URL", "Username", "Password"];
            p.fields(e, NAMES, 0, |p, i, c| {
                let t = Some(p.text(&c)?);
                match i {
                    0 => op.uuid = t,
                    1 => op.version = t,
                    2 => op.url = t,
                    3 => op.username = t,
                    _ => op.password = t,
                }
                Ok(())
            })?;
            Operation::Update(op)
        }
        _ => {
            let mut op = UninstallOp::default();
            const NAMES: &[&str] = &["UUID", "Version", "ExecutionEnvRef"];
            p.fields(e, NAMES, 0b1, |p, i, c| {
                let t = p.text(&c)?;
                match i {
                    0 => op.uuid = t,
                    1 => op.version = Some(t),
                    _ => op.execution_env_ref = Some(t),
                }
                Ok(())
            })?;
            Operation::Uninstall(op)
        }
    })
}

const RESULT_FIELDS: &[&str] = &[
    "UUID",
    "DeploymentUnitRef",
    "Version",
    "CurrentState",
    "Resolved",
    "ExecutionUnitRefList",
    "StartTime",
    "CompleteTime",
    "Fault",
    "OperationPerformed",
];

/// An OpResultStruct or AutonOpResultStruct being decoded.
type Partial<'a> = (OpResult<'a>, Cow<'a, str>);

fn result_field<'a>(
    p: &mut Parser<'a>,
    r: &mut Partial<'a>,
    i: usize,
    c: Elem<'a>,
) -> Result<(), DecodeError> {
    let res = &mut r.0;
    match i {
        0 => res.uuid = p.text(&c)?,
        1 => res.deployment_unit_ref = p.text(&c)?,
        2 => res.version = p.text(&c)?,
        3 => res.current_state = p.text(&c)?,
        4 => res.resolved = p.bool(&c)?,
        5 => res.execution_unit_ref_list = p.text(&c)?,
        6 => res.start_time = p.datetime(&c)?,
        7 => res.complete_time = p.datetime(&c)?,
        8 => res.fault = du_fault(p, &c)?,
        _ => r.1 = p.text(&c)?,
    }
    Ok(())
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
                    f.code = fault_code(p, &c)?;
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

fn required(auton: bool) -> u32 {
    if auton { 0b11_1111_1111 } else { 0b1_1111_1111 }
}

/// One `Results` element in either form, appending every result it holds.
fn results<'a>(
    p: &mut Parser<'a>,
    c: &Elem<'a>,
    auton: bool,
    warned: &mut bool,
    out: &mut Vec<Partial<'a>>,
) -> Result<(), DecodeError> {
    let member = if auton {
        "AutonOpResultStruct"
    } else {
        "OpResultStruct"
    };
    let mut wrapper = |p: &mut Parser<'a>, at: usize| -> Result<(), DecodeError> {
        if !*warned {
            *warned = true;
            p.warn(WarningKind::DuWrapperForm, at)?;
        }
        Ok(())
    };
    if p.array_type(c).is_some() || p.xsi_type(c).is_some_and(|t| t.local == "Array") {
        wrapper(p, c.offset)?;
        return p.array(c, member, |p, s| {
            let mut r: Partial<'a> = Default::default();
            p.fields(&s, RESULT_FIELDS, required(auton), |p, i, f| {
                result_field(p, &mut r, i, f)
            })?;
            out.push(r);
            Ok(())
        });
    }
    // XSD form (the Results element is the struct), or a wrapper without arrayType.
    let mut own: Option<(Partial<'a>, Fields)> = None;
    while let Some(s) = p.child(c)? {
        if matches!(s.local, "OpResultStruct" | "AutonOpResultStruct") {
            wrapper(p, s.offset)?;
            let mut r: Partial<'a> = Default::default();
            p.fields(&s, RESULT_FIELDS, required(auton), |p, i, f| {
                result_field(p, &mut r, i, f)
            })?;
            out.push(r);
            continue;
        }
        match RESULT_FIELDS.iter().position(|n| *n == s.local) {
            Some(i) if auton || i < 9 => {
                let (r, track) = own.get_or_insert_with(Default::default);
                track.see(p, i, &s)?;
                result_field(p, r, i, s)?;
            }
            _ => {
                p.warn(WarningKind::UnexpectedElement, s.offset)?;
                p.skip(&s)?;
            }
        }
    }
    if let Some((r, track)) = own {
        track.finish(p, c, required(auton))?;
        out.push(r);
    }
    Ok(())
}

/// The Results and CommandKey children shared by both completion messages.
fn completion<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
    auton: bool,
) -> Result<(Vec<Partial<'a>>, Option<Cow<'a, str>>), DecodeError> {
    let mut out = Vec::new();
    let mut key = None;
    let mut warned = false;
    let mut seen_results = false;
    while let Some(c) = p.child(e)? {
        match c.local {
            "Results" => {
                if key.is_some() {
                    p.warn(WarningKind::OutOfOrder, c.offset)?;
                }
                seen_results = true;
                results(p, &c, auton, &mut warned, &mut out)?;
            }
            "CommandKey" if !auton => {
                if key.is_some() {
                    p.warn(WarningKind::DuplicateElement, c.offset)?;
                }
                key = Some(p.text(&c)?);
            }
            _ => {
                p.warn(WarningKind::UnexpectedElement, c.offset)?;
                p.skip(&c)?;
            }
        }
    }
    if !seen_results {
        p.warn(WarningKind::MissingElement, e.offset)?;
    }
    Ok((out, key))
}

pub(super) fn du_state_change_complete<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<DuStateChangeComplete<'a>, DecodeError> {
    let (results, command_key) = completion(p, e, false)?;
    Ok(DuStateChangeComplete {
        results: results.into_iter().map(|(r, _)| r).collect(),
        command_key,
    })
}

pub(super) fn autonomous_du_state_change_complete<'a>(
    p: &mut Parser<'a>,
    e: &Elem<'a>,
) -> Result<AutonomousDuStateChangeComplete<'a>, DecodeError> {
    let (results, _) = completion(p, e, true)?;
    Ok(AutonomousDuStateChangeComplete {
        results: results
            .into_iter()
            .map(|(result, operation_performed)| AutonOpResult {
                result,
                operation_performed,
            })
            .collect(),
    })
}
