//! The opt-in check before encoding: the schema's facets and types.

use cwmp_core::Body;
use cwmp_core::limits::{Validate, Violation, ViolationKind};
use cwmp_core::rpc::ParameterValue;

/// Every violation of the schema's facets ([`Validate`]) in `body`, then every parameter value
/// whose text is no instance of its type.
pub(super) fn violations(body: &Body<'_>) -> Vec<Violation> {
    let mut out = body.violations();
    let values: &[ParameterValue<'_>] = match body {
        Body::GetParameterValuesResponse(m) => &m.parameters,
        Body::SetParameterValues(m) => &m.parameters,
        Body::Inform(m) => &m.parameters,
        _ => &[],
    };
    for p in values {
        if !p.value.ty.accepts(&p.value.text) {
            out.push(Violation {
                field: "Value",
                kind: ViolationKind::Pattern("an instance of its xsi:type"),
            });
        }
    }
    out
}
