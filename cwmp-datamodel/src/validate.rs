//! Validation of values against definitions, answering with the CWMP fault a CPE returns:
//! 9005 invalid name, 9006 invalid type, 9007 invalid value, 9008 not writable, and 9003 with
//! one `SetParameterValuesFault` per bad parameter for a whole SetParameterValues.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use cwmp_core::fault::{Fault, FaultCode, SetParameterValuesFault};
use cwmp_core::lexical::{self, Lexical};
use cwmp_core::rpc::ParameterValue;
use cwmp_core::value::{Value, ValueType};

use crate::path::PathRef;
use crate::schema::Schema;
use crate::types::{Facets, ParameterDef, RangeFacet, Syntax};

/// A value or parameter refused, with the CWMP fault code to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueFault {
    /// 9005, 9006, 9007 or 9008.
    pub code: FaultCode,
    /// Why, for people.
    pub message: String,
}

impl ValueFault {
    fn new(code: FaultCode, message: impl Into<String>) -> Self {
        ValueFault {
            code,
            message: message.into(),
        }
    }
    fn ty(message: impl Into<String>) -> Self {
        ValueFault::new(FaultCode::INVALID_PARAMETER_TYPE, message)
    }
    fn value(message: impl Into<String>) -> Self {
        ValueFault::new(FaultCode::INVALID_PARAMETER_VALUE, message)
    }

    /// The fault as a `SetParameterValuesFault` entry for `name`.
    pub fn to_spv_fault<'a>(&self, name: impl Into<Cow<'a, str>>) -> SetParameterValuesFault<'a> {
        SetParameterValuesFault {
            parameter_name: name.into(),
            code: self.code,
            message: Cow::Owned(self.message.clone()),
        }
    }
}

impl fmt::Display for ValueFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code.get(), self.message)
    }
}

impl std::error::Error for ValueFault {}

/// A lexically valid value, as far as the facets need it.
enum Parsed {
    Int(i128),
    Dec(f64),
    /// length in characters (string) or decoded bytes (base64, hexBinary)
    Len(u64),
    Other,
}

/// Checks the lexical form of `text` for `ty` with cwmp-core's checker.
fn parse_lexical(ty: &ValueType<'_>, text: &str) -> Result<Parsed, ValueFault> {
    match lexical::check(ty, text) {
        Ok(Lexical::String { chars }) => Ok(Parsed::Len(chars)),
        Ok(Lexical::Binary { len }) => Ok(Parsed::Len(len)),
        Ok(Lexical::Integer(v)) => Ok(Parsed::Int(v)),
        Ok(Lexical::Decimal(v)) => Ok(Parsed::Dec(v)),
        Ok(Lexical::Boolean(_) | Lexical::DateTime(_)) => Ok(Parsed::Other),
        Err(_) => Err(ValueFault::ty(format!("{text:?} is not a valid {ty}"))),
    }
}

fn in_range(r: &RangeFacet, v: &Parsed) -> bool {
    match v {
        Parsed::Int(v) => {
            let p =
                |s: &Option<std::sync::Arc<str>>| s.as_deref().and_then(|s| s.parse::<i128>().ok());
            let (min, max, step) = (p(&r.min_inclusive), p(&r.max_inclusive), p(&r.step));
            min.is_none_or(|m| *v >= m)
                && max.is_none_or(|m| *v <= m)
                && step
                    .filter(|s| *s > 0)
                    .is_none_or(|s| (*v - min.unwrap_or(0)).rem_euclid(s) == 0)
        }
        Parsed::Dec(v) => {
            let p =
                |s: &Option<std::sync::Arc<str>>| s.as_deref().and_then(|s| s.parse::<f64>().ok());
            p(&r.min_inclusive).is_none_or(|m| *v >= m)
                && p(&r.max_inclusive).is_none_or(|m| *v <= m)
        }
        _ => true,
    }
}

fn describe_range(r: &RangeFacet) -> String {
    let mut s = String::from("[");
    s.push_str(r.min_inclusive.as_deref().unwrap_or(""));
    s.push_str("..");
    s.push_str(r.max_inclusive.as_deref().unwrap_or(""));
    if let Some(step) = &r.step {
        s.push_str(" step ");
        s.push_str(step);
    }
    s.push(']');
    s
}

fn check_level(
    f: &Facets,
    text: &str,
    parsed: &Parsed,
    for_set: bool,
    values: bool,
) -> Result<(), ValueFault> {
    if let Parsed::Len(len) = parsed {
        if !f.sizes.is_empty() && !f.sizes.iter().any(|s| s.contains(*len)) {
            let allowed: Vec<String> = f
                .sizes
                .iter()
                .map(|s| {
                    format!(
                        "{}..{}",
                        s.min_length.unwrap_or(0),
                        s.max_length.map(|m| m.to_string()).unwrap_or_default()
                    )
                })
                .collect();
            return Err(ValueFault::value(format!(
                "length {len} is outside {}",
                allowed.join(" or ")
            )));
        }
    }
    if !f.ranges.is_empty() && !f.ranges.iter().any(|r| in_range(r, parsed)) {
        let allowed: Vec<String> = f.ranges.iter().map(describe_range).collect();
        return Err(ValueFault::value(format!(
            "{text} is outside the range {}",
            allowed.join(" or ")
        )));
    }
    if !values || (f.enumerations.is_empty() && f.patterns.is_empty()) {
        return Ok(());
    }
    if let Some(e) = f.enumerations.iter().find(|e| &*e.value == text) {
        if for_set && e.read_only {
            return Err(ValueFault::value(format!(
                "{text:?} may be reported by the CPE but not set"
            )));
        }
        return Ok(());
    }
    if f.patterns.iter().any(|p| p.is_match(text).unwrap_or(true)) {
        return Ok(());
    }
    let mut allowed: Vec<String> = f
        .enumerations
        .iter()
        .map(|e| format!("{:?}", e.value))
        .collect();
    allowed.extend(f.patterns.iter().map(|p| format!("/{}/", p.value)));
    if allowed.len() > 12 {
        allowed.truncate(12);
        allowed.push("...".to_owned());
    }
    Err(ValueFault::value(format!(
        "{text:?} is not one of {}",
        allowed.join(", ")
    )))
}

fn check_item(syn: &Syntax, text: &str, for_set: bool) -> Result<(), ValueFault> {
    let parsed = parse_lexical(&syn.base_type, text)?;
    // sizes and ranges of every level apply; the allowed values (enumerations and patterns)
    // are those of the most derived level that lists any (a parameter's own enumeration
    // replaces that of its named type, e.g. the specific values of a DiagnosticsState)
    let mut values_done = false;
    for level in syn.levels() {
        let lists_values = !level.enumerations.is_empty() || !level.patterns.is_empty();
        check_level(level, text, &parsed, for_set, lists_values && !values_done)?;
        values_done |= lists_values;
    }
    Ok(())
}

impl Syntax {
    /// Checks `text` against the type and every facet: `Err` with 9006 for a lexical error,
    /// 9007 for a facet violation.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use cwmp_datamodel::{Syntax, ValueType, types::{Facets, RangeFacet}};
    /// let mut facets = Facets::default();
    /// facets.ranges.push(RangeFacet { min_inclusive: Some("1".into()), ..RangeFacet::default() });
    /// let syn = Syntax { base_type: ValueType::UnsignedInt, facets: Arc::new(facets), ..Syntax::default() };
    /// assert!(syn.validate("300").is_ok());
    /// assert_eq!(syn.validate("0").unwrap_err().code.get(), 9007);
    /// assert_eq!(syn.validate("-1").unwrap_err().code.get(), 9006);
    /// ```
    pub fn validate(&self, text: &str) -> Result<(), ValueFault> {
        self.validate_inner(text, false)
    }

    /// Like [`Syntax::validate`], and also refuses enumeration values marked
    /// `access="readOnly"` (which the CPE may report but the ACS may not set).
    pub fn validate_for_set(&self, text: &str) -> Result<(), ValueFault> {
        self.validate_inner(text, true)
    }

    fn validate_inner(&self, text: &str, for_set: bool) -> Result<(), ValueFault> {
        let Some(list) = &self.list else {
            return check_item(self, text, for_set);
        };
        let len = text.chars().count() as u64;
        if !list.sizes.is_empty() && !list.sizes.iter().any(|s| s.contains(len)) {
            return Err(ValueFault::value(format!(
                "list length {len} exceeds the allowed size"
            )));
        }
        let items: Vec<&str> = if text.trim().is_empty() {
            Vec::new()
        } else {
            text.split(',').map(str::trim).collect()
        };
        let n = items.len() as u64;
        if list.min_items.is_some_and(|m| n < m) || list.max_items.is_some_and(|m| n > m) {
            return Err(ValueFault::value(format!(
                "{n} items; the list takes {}..{}",
                list.min_items.unwrap_or(0),
                list.max_items.map(|m| m.to_string()).unwrap_or_default()
            )));
        }
        for item in items {
            check_item(self, item, for_set).map_err(|e| ValueFault {
                message: format!("item {item:?}: {}", e.message),
                ..e
            })?;
        }
        Ok(())
    }
}

impl Schema {
    /// Validates one SetParameterValues entry: the parameter `name` and the typed `value` it
    /// is to be set to (its `xsi:type` and text).
    ///
    /// Order of checks: 9005 (not a valid path, a partial path, unknown or an object), 9008
    /// (read-only), 9006 (the value's type differs from the definition's, or its text is not
    /// a valid value of that type), 9007 (facets). A list parameter takes an `xsd:string`
    /// (the list as text) or a value of its item type.
    ///
    /// ```
    /// # use cwmp_datamodel::{MemoryLoader, Schema};
    /// use cwmp_core::value::{Value, ValueType};
    /// # let xml = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14"><model name="Device:2.17">
    /// #   <object name="Device.ManagementServer."><parameter name="PeriodicInformInterval" access="readWrite">
    /// #     <syntax><unsignedInt><range minInclusive="1"/></unsignedInt></syntax></parameter></object>
    /// # </model></document>"#;
    /// # let schema = Schema::from_str("m.xml", xml, &MemoryLoader::new())?;
    /// let name = "Device.ManagementServer.PeriodicInformInterval";
    /// assert!(schema.check_set(name, &Value::unsigned_int(60)).is_ok());
    /// assert_eq!(schema.check_set(name, &Value::string("60")).unwrap_err().code.get(), 9006);
    /// assert_eq!(schema.check_set(name, &Value::new(ValueType::UnsignedInt, "x")).unwrap_err().code.get(), 9006);
    /// assert_eq!(schema.check_set(name, &Value::unsigned_int(0)).unwrap_err().code.get(), 9007);
    /// # Ok::<(), cwmp_datamodel::Error>(())
    /// ```
    pub fn check_set(&self, name: &str, value: &Value<'_>) -> Result<&ParameterDef, ValueFault> {
        let name_fault = |why: &str| {
            ValueFault::new(FaultCode::INVALID_PARAMETER_NAME, format!("{name}: {why}"))
        };
        let path = PathRef::parse(name).map_err(|e| name_fault(&e.to_string()))?;
        if path.is_partial() {
            return Err(name_fault(
                "a partial path names an object, not a parameter",
            ));
        }
        if path.is_pattern() {
            return Err(name_fault("a pattern cannot be set"));
        }
        let def = self
            .lookup_path(path)
            .ok_or_else(|| name_fault("no such parameter"))?;
        let param = def
            .as_parameter()
            .ok_or_else(|| name_fault("names an object"))?;
        if !param.access.is_writable() {
            return Err(ValueFault::new(
                FaultCode::NON_WRITABLE_PARAMETER,
                format!("{name} is read-only"),
            ));
        }
        let declared = &value.ty;
        // a list travels as a string whatever its item type
        let ok = *declared == param.syntax.base_type
            || (param.syntax.list.is_some() && *declared == ValueType::String);
        if !ok {
            return Err(ValueFault::ty(format!(
                "{name} is xsd:{}, not xsd:{declared}",
                param.syntax.base_type
            )));
        }
        param
            .syntax
            .validate_for_set(&value.text)
            .map_err(|e| ValueFault {
                message: format!("{name}: {}", e.message),
                ..e
            })?;
        Ok(param)
    }

    /// Validates a whole SetParameterValues `(name, value)` list the way the CPE answers it:
    /// `Ok` when every entry is acceptable, else a 9003 [`Fault`] with one
    /// `SetParameterValuesFault` per bad parameter. A name given more than once is itself a
    /// 9003 fault (each repeated name listed with code 9003).
    ///
    /// ```
    /// # use cwmp_datamodel::{MemoryLoader, Schema};
    /// use cwmp_core::value::Value;
    /// # let xml = r#"<document xmlns="urn:broadband-forum-org:cwmp:datamodel-1-14"><model name="Device:2.17">
    /// #   <object name="Device.DeviceInfo."><parameter name="SerialNumber" access="readOnly"><syntax><string/></syntax></parameter></object>
    /// #   <object name="Device.ManagementServer."><parameter name="PeriodicInformInterval" access="readWrite">
    /// #     <syntax><unsignedInt><range minInclusive="1"/></unsignedInt></syntax></parameter></object>
    /// # </model></document>"#;
    /// # let schema = Schema::from_str("m.xml", xml, &MemoryLoader::new())?;
    /// let (zero, x) = (Value::unsigned_int(0), Value::string("x"));
    /// let fault = schema
    ///     .check_set_parameter_values([
    ///         ("Device.ManagementServer.PeriodicInformInterval", &zero),
    ///         ("Device.DeviceInfo.SerialNumber", &x),
    ///     ])
    ///     .unwrap_err();
    /// assert_eq!(fault.code.get(), 9003);
    /// assert_eq!(fault.set_parameter_values_faults.len(), 2);
    /// assert_eq!(fault.set_parameter_values_faults[0].code.get(), 9007);
    /// assert_eq!(fault.set_parameter_values_faults[1].code.get(), 9008);
    /// # Ok::<(), cwmp_datamodel::Error>(())
    /// ```
    pub fn check_set_parameter_values<'a, 'v, I>(&self, params: I) -> Result<(), Fault<'a>>
    where
        I: IntoIterator<Item = (&'a str, &'v Value<'v>)>,
    {
        let mut faults = Vec::new();
        let mut seen = HashSet::new();
        let mut dups = Vec::new();
        for (name, value) in params {
            if !seen.insert(name) {
                if !dups.contains(&name) {
                    dups.push(name);
                }
                continue;
            }
            if let Err(f) = self.check_set(name, value) {
                faults.push(f.to_spv_fault(name));
            }
        }
        if !dups.is_empty() {
            let entries = dups
                .iter()
                .map(|n| SetParameterValuesFault {
                    parameter_name: Cow::Borrowed(*n),
                    code: FaultCode::INVALID_ARGUMENTS,
                    message: Cow::Borrowed("parameter appears more than once"),
                })
                .collect();
            let mut f = Fault::set_parameter_values(entries);
            f.message = Cow::Owned(format!("duplicate parameter names: {}", dups.join(", ")));
            return Err(f);
        }
        if faults.is_empty() {
            Ok(())
        } else {
            Err(Fault::set_parameter_values(faults))
        }
    }

    /// [`Schema::check_set_parameter_values`] over the `ParameterList` of a decoded
    /// `SetParameterValues` (note that `cwmp-core` reads a value without `xsi:type` as
    /// `xsd:string`).
    pub fn check_parameter_values<'a>(
        &self,
        params: &'a [ParameterValue<'a>],
    ) -> Result<(), Fault<'a>> {
        self.check_set_parameter_values(params.iter().map(|p| (p.name.as_ref(), &p.value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical() {
        assert!(parse_lexical(&ValueType::Boolean, "TRUE").is_ok());
        assert!(parse_lexical(&ValueType::Boolean, "yes").is_err());
        assert!(matches!(
            parse_lexical(&ValueType::Base64, "AA=="),
            Ok(Parsed::Len(1))
        ));
        assert!(matches!(
            parse_lexical(&ValueType::String, "día"),
            Ok(Parsed::Len(3))
        ));
        assert!(matches!(
            parse_lexical(&ValueType::Int, "-5"),
            Ok(Parsed::Int(-5))
        ));
    }

    #[test]
    fn step_and_list() {
        let mut facets = Facets::default();
        facets.ranges.push(RangeFacet {
            min_inclusive: Some("-10".into()),
            max_inclusive: Some("10".into()),
            step: Some("5".into()),
        });
        let mut syn = Syntax {
            base_type: ValueType::Int,
            facets: std::sync::Arc::new(facets),
            ..Syntax::default()
        };
        assert!(syn.validate("5").is_ok());
        assert!(syn.validate("-10").is_ok());
        assert_eq!(
            syn.validate("3").unwrap_err().code,
            FaultCode::INVALID_PARAMETER_VALUE
        );
        syn.list = Some(std::sync::Arc::new(crate::types::ListFacet {
            min_items: Some(1),
            max_items: Some(2),
            ..Default::default()
        }));
        assert!(syn.validate("5, 10").is_ok());
        assert_eq!(
            syn.validate("5,10,0").unwrap_err().code,
            FaultCode::INVALID_PARAMETER_VALUE
        );
        assert_eq!(
            syn.validate("").unwrap_err().code,
            FaultCode::INVALID_PARAMETER_VALUE
        );
        assert_eq!(
            syn.validate("5,x").unwrap_err().code,
            FaultCode::INVALID_PARAMETER_TYPE
        );
    }
}
