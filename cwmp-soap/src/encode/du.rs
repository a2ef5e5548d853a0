//! The deployment-unit RPCs: ChangeDUState, DUStateChangeComplete,
//! AutonomousDUStateChangeComplete, in either [`DuShape`].

use cwmp_core::rpc::{
    AutonomousDuStateChangeComplete, ChangeDuState, DuStateChangeComplete, OpResult, Operation,
};

use super::DuShape;
use super::xml::{Xml, tag};

fn operation_fields(x: &mut Xml<'_>, op: &Operation<'_>) {
    match op {
        Operation::Install(o) => {
            x.leaf(tag!("URL"), &o.url);
            x.opt_leaf(tag!("UUID"), o.uuid.as_ref());
            x.opt_leaf(tag!("Username"), o.username.as_ref());
            x.opt_leaf(tag!("Password"), o.password.as_ref());
            x.opt_leaf(tag!("ExecutionEnvRef"), o.execution_env_ref.as_ref());
        }
        Operation::Update(o) => {
            x.opt_leaf(tag!("UUID"), o.uuid.as_ref());
            x.opt_leaf(tag!("Version"), o.version.as_ref());
            x.opt_leaf(tag!("URL"), o.url.as_ref());
            x.opt_leaf(tag!("Username"), o.username.as_ref());
            x.opt_leaf(tag!("Password"), o.password.as_ref());
        }
        Operation::Uninstall(o) => {
            x.leaf(tag!("UUID"), &o.uuid);
            x.opt_leaf(tag!("Version"), o.version.as_ref());
            x.opt_leaf(tag!("ExecutionEnvRef"), o.execution_env_ref.as_ref());
        }
    }
}

pub(super) fn change_du_state(x: &mut Xml<'_>, m: &ChangeDuState<'_>) {
    match x.opts.du_shape {
        DuShape::Xsd => {
            for op in &m.operations {
                x.raw("<Operations xsi:type=\"cwmp:");
                x.raw(op.struct_name());
                x.raw("\">");
                operation_fields(x, op);
                x.raw("</Operations>");
            }
        }
        DuShape::Wrapper => {
            x.raw("<Operations>");
            for op in &m.operations {
                x.open(op.struct_name());
                operation_fields(x, op);
                x.close(op.struct_name());
            }
            x.raw("</Operations>");
        }
    }
    x.opt_leaf(tag!("CommandKey"), m.command_key.as_ref());
}

fn result_fields(x: &mut Xml<'_>, r: &OpResult<'_>) {
    x.leaf(tag!("UUID"), &r.uuid);
    x.leaf(tag!("DeploymentUnitRef"), &r.deployment_unit_ref);
    x.leaf(tag!("Version"), &r.version);
    x.leaf(tag!("CurrentState"), &r.current_state);
    x.leaf_bool(tag!("Resolved"), r.resolved);
    x.leaf(tag!("ExecutionUnitRefList"), &r.execution_unit_ref_list);
    x.leaf_datetime(tag!("StartTime"), &r.start_time);
    x.leaf_datetime(tag!("CompleteTime"), &r.complete_time);
    x.raw("<Fault>");
    x.leaf_u64(tag!("FaultCode"), r.fault.code.get().into());
    x.leaf(tag!("FaultString"), &r.fault.message);
    x.raw("</Fault>");
}

/// Writes the Results in the configured shape; `fields` writes the children of one result.
fn results<T>(x: &mut Xml<'_>, member: &str, items: &[T], fields: impl Fn(&mut Xml<'_>, &T)) {
    match x.opts.du_shape {
        DuShape::Xsd => {
            for item in items {
                x.raw("<Results>");
                fields(x, item);
                x.raw("</Results>");
            }
        }
        DuShape::Wrapper => {
            x.array_open("Results", "cwmp", member, items.len());
            for item in items {
                x.open(member);
                fields(x, item);
                x.close(member);
            }
            x.close("Results");
        }
    }
}

pub(super) fn du_state_change_complete(x: &mut Xml<'_>, m: &DuStateChangeComplete<'_>) {
    results(x, "OpResultStruct", &m.results, |x, r| result_fields(x, r));
    x.opt_leaf(tag!("CommandKey"), m.command_key.as_ref());
}

pub(super) fn autonomous_du_state_change_complete(
    x: &mut Xml<'_>,
    m: &AutonomousDuStateChangeComplete<'_>,
) {
    results(x, "AutonOpResultStruct", &m.results, |x, r| {
        result_fields(x, &r.result);
        x.leaf(tag!("OperationPerformed"), &r.operation_performed);
    });
}
