//! The CWMP Fault: the `detail/cwmp:Fault` element and its `SetParameterValuesFault` entries
//! (the SOAP Fault around it, `faultcode` and `faultstring`, is envelope level:
//! `decode/envelope.rs`, `encode/fault.rs`).

use std::borrow::Cow;

use cwmp_core::fault::{FaultCode, SetParameterValuesFault};

use crate::describe::{Each, Omissible, Opt, describe};

/// The `cwmp:Fault` element of a SOAP Fault's `detail`, as read: its code stays `None` when
/// the element has none (the decoder then warns and uses the default).
#[derive(Debug, Default)]
pub(crate) struct CwmpDetail<'a> {
    pub(crate) code: Option<FaultCode>,
    pub(crate) message: Cow<'a, str>,
    pub(crate) set_parameter_values_faults: Vec<SetParameterValuesFault<'a>>,
}

describe! {
    /// `SetParameterValuesFault`: one parameter's fault (its FaultString may be left out).
    SetParameterValuesFault<'a> = "SetParameterValuesFault" {
        "ParameterName" parameter_name: Cow<'a, str>,
        "FaultCode" code: FaultCode,
        "FaultString" message: Cow<'a, str> as Omissible,
    }
    /// The `cwmp:Fault` element (FaultString may be left out; the decoder warns when FaultCode
    /// is).
    CwmpDetail<'a> {
        "FaultCode" code: Option<FaultCode> as Opt,
        "FaultString" message: Cow<'a, str> as Omissible,
        "SetParameterValuesFault" set_parameter_values_faults: Vec<SetParameterValuesFault<'a>> as Each,
    }
}
