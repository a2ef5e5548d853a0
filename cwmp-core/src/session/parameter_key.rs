//! `ManagementServer.ParameterKey` bookkeeping.

use crate::Body;
use crate::fault::Fault;

/// The value of `ManagementServer.ParameterKey`: the ParameterKey of the most recent
/// SetParameterValues, AddObject or DeleteObject that completed without a fault.
///
/// The CPE engine keeps one and applies every answered request to it; an application that
/// answers requests elsewhere can use it on its own.
///
/// ```
/// use cwmp_core::{Body, fault::{Fault, FaultCode}, rpc::{SetParameterValues, SetParameterValuesResponse}};
/// use cwmp_core::session::ParameterKey;
/// let mut key = ParameterKey::new("boot");
/// let spv: Body<'_> = SetParameterValues { parameters: vec![], parameter_key: "k1".into() }.into();
/// let failed: Result<Body<'_>, Fault<'_>> = Err(Fault::new(FaultCode::INVALID_ARGUMENTS));
/// assert!(!key.apply(&spv, &failed));
/// assert_eq!(key.as_str(), "boot");
/// let ok: Result<Body<'_>, Fault<'_>> = Ok(SetParameterValuesResponse { status: 0 }.into());
/// assert!(key.apply(&spv, &ok));
/// assert_eq!(key.as_str(), "k1");
/// key.factory_reset();
/// assert_eq!(key.as_str(), "");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct ParameterKey(String);

impl ParameterKey {
    /// A key with a stored value (e.g. restored from persistent storage).
    pub fn new(value: impl Into<String>) -> Self {
        ParameterKey(value.into())
    }

    /// The current value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ParameterKey a request would set, if it is one of the three that set it.
    pub fn carried_by<'b>(request: &'b Body<'_>) -> Option<&'b str> {
        match request {
            Body::SetParameterValues(m) => Some(&m.parameter_key),
            Body::AddObject(m) => Some(&m.parameter_key),
            Body::DeleteObject(m) => Some(&m.parameter_key),
            _ => None,
        }
    }

    /// Applies the outcome of answering `request`: the key takes the request's ParameterKey if
    /// and only if the request is a SetParameterValues, AddObject or DeleteObject and the
    /// outcome is a response rather than a fault. Returns whether the value changed.
    pub fn apply(&mut self, request: &Body<'_>, outcome: &Result<Body<'_>, Fault<'_>>) -> bool {
        if outcome.is_err() {
            return false;
        }
        match ParameterKey::carried_by(request) {
            Some(new) if new != self.0 => {
                new.clone_into(&mut self.0);
                true
            }
            _ => false,
        }
    }

    /// A factory reset empties the key.
    pub fn factory_reset(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault::FaultCode;
    use crate::rpc::{AddObject, AddObjectResponse, DeleteObject, GetParameterValues, Reboot};

    #[test]
    fn only_successful_spv_add_delete_set_it() {
        let mut key = ParameterKey::default();
        let add: Body<'_> = AddObject {
            object_name: "Device.X.".into(),
            parameter_key: "a".into(),
        }
        .into();
        let ok: Result<Body<'_>, Fault<'_>> = Ok(AddObjectResponse {
            instance_number: 1,
            status: 0,
        }
        .into());
        assert!(key.apply(&add, &ok));
        assert_eq!(key.as_str(), "a");
        assert!(!key.apply(&add, &ok), "same value is no change");
        let del: Body<'_> = DeleteObject {
            object_name: "Device.X.1.".into(),
            parameter_key: "d".into(),
        }
        .into();
        let err: Result<Body<'_>, Fault<'_>> = Err(Fault::new(FaultCode::INVALID_PARAMETER_NAME));
        assert!(!key.apply(&del, &err));
        assert_eq!(key.as_str(), "a");
        let gpv: Body<'_> = GetParameterValues::new(["Device."]).into();
        assert!(!key.apply(&gpv, &ok));
        let reboot: Body<'_> = Reboot {
            command_key: "r".into(),
        }
        .into();
        assert!(!key.apply(&reboot, &ok));
        assert_eq!(key.as_str(), "a");
    }
}
