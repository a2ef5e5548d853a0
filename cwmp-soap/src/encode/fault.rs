//! The SOAP Fault, carrying a CWMP fault or not.

use cwmp_core::fault::{Fault, SetParameterValuesFault, SoapFault};

use super::field::WriteField;
use super::xml::{Xml, tag};
use crate::describe::Each;

pub(super) fn fault(x: &mut Xml<'_>, f: &Fault<'_>) {
    x.raw("<soap-env:Fault><faultcode>");
    x.raw(f.fault_type.as_str());
    x.raw("</faultcode>");
    x.leaf(tag!("faultstring"), &f.fault_string);
    x.raw("<detail><cwmp:Fault>");
    x.leaf_u64(tag!("FaultCode"), f.code.get().into());
    x.leaf(tag!("FaultString"), &f.message);
    // One element per entry, as described in `rpc/fault.rs`.
    <Each as WriteField<Vec<SetParameterValuesFault<'_>>>>::write(
        x,
        tag!("SetParameterValuesFault"),
        &f.set_parameter_values_faults,
    );
    x.raw("</cwmp:Fault></detail></soap-env:Fault>");
}

/// A SOAP Fault without a CWMP fault, written as it came: its text, then the `faultcode`
/// (prefixed `soap-env:` in the SOAP envelope namespace, unprefixed without one, else with a
/// prefix declared on the Fault element), `faultstring` and `faultactor` that are present.
pub(super) fn soap_fault(x: &mut Xml<'_>, f: &SoapFault<'_>) {
    // A foreign namespace's prefix is declared on the Fault element, where a reader still has
    // it in scope after the faultcode element closes.
    let foreign = f.code.is_some() && !matches!(&*f.code_namespace, "" | super::SOAP_ENV_NS);
    if foreign {
        x.raw("<soap-env:Fault xmlns:fc=\"");
        x.attr_value(&f.code_namespace);
        x.raw("\">");
    } else {
        x.raw("<soap-env:Fault>");
    }
    if let Some(t) = &f.text {
        x.text(t);
    }
    if let Some(code) = &f.code {
        match &*f.code_namespace {
            "" => x.leaf(tag!("faultcode"), code),
            super::SOAP_ENV_NS => {
                x.raw("<faultcode>soap-env:");
                x.text(code);
                x.raw("</faultcode>");
            }
            _ => {
                x.raw("<faultcode>fc:");
                x.text(code);
                x.raw("</faultcode>");
            }
        }
    }
    if let Some(s) = &f.string {
        x.leaf(tag!("faultstring"), s);
    }
    if let Some(a) = &f.actor {
        x.leaf(tag!("faultactor"), a);
    }
    x.raw("</soap-env:Fault>");
}
