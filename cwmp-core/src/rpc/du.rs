//! Deployment-unit RPCs (1.2): ChangeDUState, DUStateChangeComplete,
//! AutonomousDUStateChangeComplete.

use std::borrow::Cow;

use crate::datetime::DateTimeText;
use crate::fault::FaultCode;
use crate::limits::{self, Validate, Violation, ViolationKind};
use crate::owned::{IntoStatic, message};
use crate::rpc::transfer::nothing_to_validate;

message! {
    /// `InstallOpStruct`.
    pub struct InstallOp<'a> {
        /// `URL` (1024), required.
        pub url: Cow<'a, str>,
        /// `UUID`.
        pub uuid: Option<Cow<'a, str>>,
        /// `Username` (256).
        pub username: Option<Cow<'a, str>>,
        /// `Password` (256).
        pub password: Option<Cow<'a, str>>,
        /// `ExecutionEnvRef` (256).
        pub execution_env_ref: Option<Cow<'a, str>>,
    }
}

message! {
    /// `UpdateOpStruct`: targets the UUID, else the URL; neither means every DU.
    pub struct UpdateOp<'a> {
        /// `UUID`.
        pub uuid: Option<Cow<'a, str>>,
        /// `Version` (32).
        pub version: Option<Cow<'a, str>>,
        /// `URL` (1024).
        pub url: Option<Cow<'a, str>>,
        /// `Username` (256).
        pub username: Option<Cow<'a, str>>,
        /// `Password` (256).
        pub password: Option<Cow<'a, str>>,
    }
}

message! {
    /// `UninstallOpStruct`.
    pub struct UninstallOp<'a> {
        /// `UUID`, required.
        pub uuid: Cow<'a, str>,
        /// `Version` (32): absent means every version.
        pub version: Option<Cow<'a, str>>,
        /// `ExecutionEnvRef` (256).
        pub execution_env_ref: Option<Cow<'a, str>>,
    }
}

/// One operation of a ChangeDUState.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Operation<'a> {
    /// Install a deployment unit.
    Install(InstallOp<'a>),
    /// Update one or every deployment unit.
    Update(UpdateOp<'a>),
    /// Uninstall a deployment unit.
    Uninstall(UninstallOp<'a>),
}

impl Operation<'_> {
    /// The struct's type name: `InstallOpStruct`, `UpdateOpStruct` or `UninstallOpStruct`.
    pub const fn struct_name(&self) -> &'static str {
        match self {
            Operation::Install(_) => "InstallOpStruct",
            Operation::Update(_) => "UpdateOpStruct",
            Operation::Uninstall(_) => "UninstallOpStruct",
        }
    }

    /// Converts every borrowed string into an owned one.
    pub fn into_owned(self) -> Operation<'static> {
        match self {
            Operation::Install(op) => Operation::Install(op.into_owned()),
            Operation::Update(op) => Operation::Update(op.into_owned()),
            Operation::Uninstall(op) => Operation::Uninstall(op.into_owned()),
        }
    }
}

impl IntoStatic for Operation<'_> {
    type Static = Operation<'static>;
    fn into_static(self) -> Self::Static {
        self.into_owned()
    }
}

message! {
    /// `ChangeDUState`.
    pub struct ChangeDuState<'a> {
        /// `Operations`: one or more, in order.
        pub operations: Vec<Operation<'a>>,
        /// `CommandKey` (32); optional in the schema.
        pub command_key: Option<Cow<'a, str>>,
    }
}

message! {
    /// `ChangeDUStateResponse` (empty).
    pub struct ChangeDuStateResponse {}
}

message! {
    /// `DeploymentUnitFaultStruct`: code 0 on success.
    pub struct DuFault<'a> {
        /// `FaultCode`: 0 or one of the DU subset.
        pub code: FaultCode,
        /// `FaultString`, optional in the schema (empty when absent).
        pub message: Cow<'a, str>,
    }
}

message! {
    /// `OpResultStruct`: the outcome of one operation.
    pub struct OpResult<'a> {
        /// `UUID`.
        pub uuid: Cow<'a, str>,
        /// `DeploymentUnitRef`.
        pub deployment_unit_ref: Cow<'a, str>,
        /// `Version` (32).
        pub version: Cow<'a, str>,
        /// `CurrentState`: `Installed`, `Uninstalled` or `Failed`.
        pub current_state: Cow<'a, str>,
        /// `Resolved`.
        pub resolved: bool,
        /// `ExecutionUnitRefList`: comma-separated.
        pub execution_unit_ref_list: Cow<'a, str>,
        /// `StartTime`.
        pub start_time: DateTimeText<'a>,
        /// `CompleteTime`.
        pub complete_time: DateTimeText<'a>,
        /// `Fault`.
        pub fault: DuFault<'a>,
    }
}

message! {
    /// `AutonOpResultStruct`: an [`OpResult`] plus the operation performed.
    pub struct AutonOpResult<'a> {
        /// The fields shared with `OpResultStruct`.
        pub result: OpResult<'a>,
        /// `OperationPerformed`: `Install`, `Update`, `Uninstall` or a vendor string.
        pub operation_performed: Cow<'a, str>,
    }
}

message! {
    /// `DUStateChangeComplete`.
    pub struct DuStateChangeComplete<'a> {
        /// `Results`, in the order of the ChangeDUState operations.
        pub results: Vec<OpResult<'a>>,
        /// `CommandKey` of the ChangeDUState; optional in the schema.
        pub command_key: Option<Cow<'a, str>>,
    }
}

message! {
    /// `DUStateChangeCompleteResponse` (empty).
    pub struct DuStateChangeCompleteResponse {}
}

message! {
    /// `AutonomousDUStateChangeComplete`.
    pub struct AutonomousDuStateChangeComplete<'a> {
        /// `Results`.
        pub results: Vec<AutonOpResult<'a>>,
    }
}

message! {
    /// `AutonomousDUStateChangeCompleteResponse` (empty).
    pub struct AutonomousDuStateChangeCompleteResponse {}
}

fn check_opt(
    out: &mut Vec<Violation>,
    field: &'static str,
    value: &Option<Cow<'_, str>>,
    max: usize,
) {
    if let Some(v) = value {
        limits::check_len(out, field, v, max);
    }
}

fn check_uuid(out: &mut Vec<Violation>, uuid: &str) {
    limits::check_pattern(
        out,
        "UUID",
        uuid.is_empty() || limits::is_uuid(uuid),
        "DeploymentUnitUUID",
    );
}

impl Validate for Operation<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        match self {
            Operation::Install(op) => {
                limits::check_len(out, "URL", &op.url, limits::LONG_URL);
                if let Some(u) = &op.uuid {
                    check_uuid(out, u);
                }
                check_opt(out, "Username", &op.username, limits::TEXT_256);
                check_opt(out, "Password", &op.password, limits::TEXT_256);
                check_opt(
                    out,
                    "ExecutionEnvRef",
                    &op.execution_env_ref,
                    limits::TEXT_256,
                );
            }
            Operation::Update(op) => {
                if let Some(u) = &op.uuid {
                    check_uuid(out, u);
                }
                check_opt(out, "Version", &op.version, limits::DU_VERSION);
                check_opt(out, "URL", &op.url, limits::LONG_URL);
                check_opt(out, "Username", &op.username, limits::TEXT_256);
                check_opt(out, "Password", &op.password, limits::TEXT_256);
            }
            Operation::Uninstall(op) => {
                check_uuid(out, &op.uuid);
                check_opt(out, "Version", &op.version, limits::DU_VERSION);
                check_opt(
                    out,
                    "ExecutionEnvRef",
                    &op.execution_env_ref,
                    limits::TEXT_256,
                );
            }
        }
    }
}

impl Validate for ChangeDuState<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_count(out, "Operations", self.operations.len(), 1, usize::MAX);
        self.operations.validate(out);
        check_opt(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
    }
}

impl Validate for OpResult<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        check_uuid(out, &self.uuid);
        limits::check_len(out, "Version", &self.version, limits::DU_VERSION);
        limits::check_pattern(
            out,
            "CurrentState",
            matches!(&*self.current_state, "Installed" | "Uninstalled" | "Failed"),
            "Installed|Uninstalled|Failed",
        );
        limits::check_pattern(
            out,
            "StartTime",
            self.start_time.parse().is_ok(),
            "xs:dateTime",
        );
        limits::check_pattern(
            out,
            "CompleteTime",
            self.complete_time.parse().is_ok(),
            "xs:dateTime",
        );
        if !self.fault.code.allowed_in_du_fault() {
            out.push(Violation {
                field: "FaultCode",
                kind: ViolationKind::FaultCodeNotAllowed(self.fault.code),
            });
        }
    }
}

impl Validate for AutonOpResult<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        self.result.validate(out);
        let op = &*self.operation_performed;
        limits::check_pattern(
            out,
            "OperationPerformed",
            matches!(op, "Install" | "Update" | "Uninstall") || op.starts_with("X "),
            "Install|Update|Uninstall|X ...",
        );
    }
}

impl Validate for DuStateChangeComplete<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_count(out, "Results", self.results.len(), 1, usize::MAX);
        self.results.validate(out);
        check_opt(out, "CommandKey", &self.command_key, limits::COMMAND_KEY);
    }
}

impl Validate for AutonomousDuStateChangeComplete<'_> {
    fn validate(&self, out: &mut Vec<Violation>) {
        limits::check_count(out, "Results", self.results.len(), 1, usize::MAX);
        self.results.validate(out);
    }
}

nothing_to_validate!(
    ChangeDuStateResponse,
    DuStateChangeCompleteResponse,
    AutonomousDuStateChangeCompleteResponse
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_and_results() {
        let change = ChangeDuState {
            operations: vec![
                Operation::Install(InstallOp {
                    url: "http://x/du.tar".into(),
                    ..InstallOp::default()
                }),
                Operation::Uninstall(UninstallOp {
                    uuid: "not-a-uuid".into(),
                    ..UninstallOp::default()
                }),
            ],
            command_key: Some("ck".into()),
        };
        assert_eq!(change.violations()[0].field, "UUID");
        assert_eq!(change.operations[1].struct_name(), "UninstallOpStruct");
        let owned = change.clone().into_owned();
        assert_eq!(owned, change);

        let result = OpResult {
            uuid: "6ba7b810-9dad-11d1-80b4-00c04fd430c8".into(),
            current_state: "Installed".into(),
            start_time: DateTimeText::UNKNOWN,
            complete_time: DateTimeText::UNKNOWN,
            fault: DuFault {
                code: FaultCode::new(9010),
                message: "".into(),
            },
            ..OpResult::default()
        };
        assert_eq!(
            result.violations()[0].kind,
            ViolationKind::FaultCodeNotAllowed(FaultCode::new(9010))
        );
    }
}
