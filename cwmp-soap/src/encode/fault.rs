//! The SOAP Fault carrying a CWMP fault (SPEC SOAP-15).

use cwmp_core::fault::Fault;

use super::xml::{Xml, tag};

pub(super) fn fault(x: &mut Xml<'_>, f: &Fault<'_>) {
    x.raw("<soap-env:Fault><faultcode>");
    x.raw(f.fault_type.as_str());
    x.raw("</faultcode>");
    x.leaf(tag!("faultstring"), &f.fault_string);
    x.raw("<detail><cwmp:Fault>");
    x.leaf_u64(tag!("FaultCode"), f.code.get().into());
    x.leaf(tag!("FaultString"), &f.message);
    for s in &f.set_parameter_values_faults {
        x.raw("<SetParameterValuesFault>");
        x.leaf(tag!("ParameterName"), &s.parameter_name);
        x.leaf_u64(tag!("FaultCode"), s.code.get().into());
        x.leaf(tag!("FaultString"), &s.message);
        x.raw("</SetParameterValuesFault>");
    }
    x.raw("</cwmp:Fault></detail></soap-env:Fault>");
}
