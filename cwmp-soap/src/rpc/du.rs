//! ChangeDUState, DUStateChangeComplete, AutonomousDUStateChangeComplete. Their operations and
//! results come in two wire shapes (the XSD's repeated `Operations xsi:type=...` / `Results`
//! elements, and a deployed wrapper form), handled by the `Operations`, `Results` and
//! `DuFaults` codecs.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::fault::FaultCode;
use cwmp_core::rpc::*;

use crate::describe::{Occurs, Opt, describe};
use crate::generate::{GenField, GenStruct, Generator};

/// The `Operations` of ChangeDUState in either shape: one operation per `Operations` element
/// typed by `xsi:type`, or one `Operations` wrapper holding `InstallOpStruct`, ... elements.
pub(crate) struct Operations;

impl Occurs for Operations {
    const REPEATABLE: bool = true;
}

impl<'a> GenField<'a, Vec<Operation<'a>>> for Operations {
    fn generate(g: &mut Generator<'_>) -> Vec<Operation<'a>> {
        g.vec(|g| match g.below(3) {
            0 => Operation::Install(InstallOp::generate(g)),
            1 => Operation::Update(UpdateOp::generate(g)),
            _ => Operation::Uninstall(UninstallOp::generate(g)),
        })
    }
}

/// The `Results` of the DU completions in either shape: one result per `Results` element, or
/// one `Results` array of `OpResultStruct` / `AutonOpResultStruct`.
pub(crate) struct Results;

impl Occurs for Results {
    const REPEATABLE: bool = true;
}

impl<'a> GenField<'a, Vec<OpResult<'a>>> for Results {
    fn generate(g: &mut Generator<'_>) -> Vec<OpResult<'a>> {
        g.vec(OpResult::generate)
    }
}

impl<'a> GenField<'a, Vec<AutonOpResult<'a>>> for Results {
    fn generate(g: &mut Generator<'_>) -> Vec<AutonOpResult<'a>> {
        g.vec(|g| AutonOpResult {
            result: OpResult::generate(g),
            operation_performed: g.text(),
        })
    }
}

/// The `Fault` of an operation result: FaultCode and FaultString, also accepted wrapped in a
/// `FaultStruct` as some devices send it.
pub(crate) struct DuFaults;

impl Occurs for DuFaults {}

impl<'a> GenField<'a, DuFault<'a>> for DuFaults {
    fn generate(g: &mut Generator<'_>) -> DuFault<'a> {
        DuFault::generate(g)
    }
}

/// The children of an `AutonOpResultStruct`: those of an `OpResultStruct`, then
/// `OperationPerformed`.
pub(crate) const AUTON_RESULT_FIELDS: &[&str] = &[
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

describe! {
    /// `InstallOpStruct`.
    InstallOp<'a> = "InstallOpStruct" {
        "URL" url: Cow<'a, str>,
        "UUID" uuid: Option<Cow<'a, str>> as Opt,
        "Username" username: Option<Cow<'a, str>> as Opt,
        "Password" password: Option<Cow<'a, str>> as Opt,
        "ExecutionEnvRef" execution_env_ref: Option<Cow<'a, str>> as Opt,
    }
    /// `UpdateOpStruct`.
    UpdateOp<'a> = "UpdateOpStruct" {
        "UUID" uuid: Option<Cow<'a, str>> as Opt,
        "Version" version: Option<Cow<'a, str>> as Opt,
        "URL" url: Option<Cow<'a, str>> as Opt,
        "Username" username: Option<Cow<'a, str>> as Opt,
        "Password" password: Option<Cow<'a, str>> as Opt,
    }
    /// `UninstallOpStruct`.
    UninstallOp<'a> = "UninstallOpStruct" {
        "UUID" uuid: Cow<'a, str>,
        "Version" version: Option<Cow<'a, str>> as Opt,
        "ExecutionEnvRef" execution_env_ref: Option<Cow<'a, str>> as Opt,
    }
    ChangeDuState<'a> {
        "Operations" operations: Vec<Operation<'a>> as Operations,
        "CommandKey" command_key: Option<Cow<'a, str>> as Opt,
    }
    ChangeDuStateResponse {}
    /// The `Fault` of an `OpResultStruct`.
    DuFault<'a> {
        "FaultCode" code: FaultCode,
        "FaultString" message: Cow<'a, str>,
    }
    /// `OpResultStruct`.
    OpResult<'a> = "OpResultStruct" {
        "UUID" uuid: Cow<'a, str>,
        "DeploymentUnitRef" deployment_unit_ref: Cow<'a, str>,
        "Version" version: Cow<'a, str>,
        "CurrentState" current_state: Cow<'a, str>,
        "Resolved" resolved: bool,
        "ExecutionUnitRefList" execution_unit_ref_list: Cow<'a, str>,
        "StartTime" start_time: DateTimeText<'a>,
        "CompleteTime" complete_time: DateTimeText<'a>,
        "Fault" fault: DuFault<'a> as DuFaults,
    }
    DuStateChangeComplete<'a> {
        "Results" results: Vec<OpResult<'a>> as Results,
        "CommandKey" command_key: Option<Cow<'a, str>> as Opt,
    }
    DuStateChangeCompleteResponse {}
    AutonomousDuStateChangeComplete<'a> {
        "Results" results: Vec<AutonOpResult<'a>> as Results,
    }
    AutonomousDuStateChangeCompleteResponse {}
}

#[cfg(test)]
mod tests {
    use crate::decode::field::ReadStruct;

    #[test]
    fn auton_result_fields_extend_op_result_fields() {
        let (last, first) = super::AUTON_RESULT_FIELDS.split_last().unwrap();
        assert_eq!(first, <super::OpResult<'_> as ReadStruct<'_>>::FIELDS);
        assert_eq!(*last, "OperationPerformed");
    }
}
