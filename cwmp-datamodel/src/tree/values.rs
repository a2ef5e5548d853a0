//! GetParameterValues, GetParameterNames and SetParameterValues (TR-069 A.3.2.1–A.3.2.3).

use std::borrow::Cow;
use std::collections::BTreeSet;

use cwmp_core::fault::{Fault, FaultCode, SetParameterValuesFault};
use cwmp_core::rpc::{ParameterInfo, ParameterValue};
use cwmp_core::value::{Value, ValueType};

use super::backend::{Backend, Node};
use super::names::is_object;
use super::parameter_tree::{ParameterTree, fault};
use super::schema_adapter;

/// A name ending in one of these reads back empty when it is a string and no schema says
/// otherwise.
const SECRET_SUFFIXES: &[&str] = &["Password", "Passphrase", "PreSharedKey", "KeyPassphrase"];

impl<B: Backend> ParameterTree<B> {
    /// Every node at and below `path`, in depth-first order (the object itself first). `""`
    /// walks from the root(s).
    pub(crate) async fn walk(&self, path: &str) -> Result<Vec<(String, Node)>, Fault<'static>> {
        let mut out = Vec::new();
        let mut stack: Vec<(String, Node)> = Vec::new();
        if path.is_empty() {
            let mut roots = self.backend.children("").await?;
            roots.reverse();
            stack.extend(roots);
        } else {
            match self.backend.node(path).await? {
                Some(n) => stack.push((path.to_owned(), n)),
                None => {
                    return Err(fault(
                        FaultCode::INVALID_PARAMETER_NAME,
                        format!("no {path}"),
                    ));
                }
            }
        }
        while let Some((name, node)) = stack.pop() {
            if let Node::Object { .. } = node {
                let mut kids = self.backend.children(&name).await?;
                kids.reverse();
                stack.extend(kids);
            }
            out.push((name, node));
        }
        Ok(out)
    }

    /// The parameters a GetParameterValues / GetParameterAttributes name stands for: the
    /// parameter itself, or every parameter below a partial path (`""`: all). 9005 when the
    /// name is unknown (TR-069 A.3.2.2).
    pub(crate) async fn expand(
        &self,
        name: &str,
    ) -> Result<Vec<(String, Value<'static>, bool)>, Fault<'static>> {
        if !name.is_empty() && !is_object(name) {
            return match self.backend.node(name).await? {
                Some(Node::Parameter { value, writable }) => {
                    Ok(vec![(name.to_owned(), value, writable)])
                }
                _ => Err(fault(
                    FaultCode::INVALID_PARAMETER_NAME,
                    format!("no parameter {name}"),
                )),
            };
        }
        Ok(self
            .walk(name)
            .await?
            .into_iter()
            .filter_map(|(n, node)| match node {
                Node::Parameter { value, writable } => Some((n, value, writable)),
                Node::Object { .. } => None,
            })
            .collect())
    }

    fn is_hidden(&self, name: &str, value: &Value<'_>) -> bool {
        if let Some(h) = self
            .schema
            .as_deref()
            .and_then(|s| schema_adapter::hidden(s, name))
        {
            return h;
        }
        value.ty == ValueType::String && SECRET_SUFFIXES.iter().any(|s| name.ends_with(s))
    }

    /// The value the ACS reads: hidden parameters (passwords) read back as an empty string
    /// of their type.
    pub(crate) fn read_value(&self, name: &str, value: Value<'static>) -> Value<'static> {
        if name == self.parameter_key_name() {
            return Value::new(value.ty, self.state.parameter_key.clone());
        }
        if self.is_hidden(name, &value) {
            Value::new(value.ty, String::new())
        } else {
            value
        }
    }

    /// GetParameterValues (TR-069 A.3.2.2): each name is a parameter or a partial path (every
    /// parameter below it; `""` is the whole tree). 9005 when a name names nothing.
    pub async fn get_parameter_values(
        &self,
        names: &[Cow<'_, str>],
    ) -> Result<Vec<ParameterValue<'static>>, Fault<'static>> {
        let mut out = Vec::new();
        for name in names {
            for (n, value, _) in self.expand(name).await? {
                let value = self.read_value(&n, value);
                out.push(ParameterValue {
                    name: n.into(),
                    value,
                });
            }
        }
        Ok(out)
    }

    /// GetParameterNames (TR-069 A.3.2.3).
    ///
    /// - `""` with `next_level` → the root object; `""` without → everything.
    /// - A partial path with `next_level` → its direct children (not itself); without → the
    ///   object itself and everything below.
    /// - A parameter name without `next_level` → that parameter; with `next_level` → 9003.
    /// - Unknown → 9005.
    pub async fn get_parameter_names(
        &self,
        path: &str,
        next_level: bool,
    ) -> Result<Vec<ParameterInfo<'static>>, Fault<'static>> {
        let info = |name: String, node: &Node| {
            let writable = match node {
                Node::Parameter { writable, .. } | Node::Object { writable, .. } => *writable,
            };
            ParameterInfo {
                name: name.into(),
                writable,
            }
        };
        if !path.is_empty() && !is_object(path) {
            return match self.backend.node(path).await? {
                Some(node @ Node::Parameter { .. }) if !next_level => {
                    Ok(vec![info(path.to_owned(), &node)])
                }
                Some(Node::Parameter { .. }) => Err(fault(
                    FaultCode::INVALID_ARGUMENTS,
                    format!("{path} is a parameter: NextLevel must be false"),
                )),
                _ => Err(fault(
                    FaultCode::INVALID_PARAMETER_NAME,
                    format!("no parameter {path}"),
                )),
            };
        }
        if next_level {
            if !path.is_empty() {
                match self.backend.node(path).await? {
                    Some(Node::Object { .. }) => {}
                    _ => {
                        return Err(fault(
                            FaultCode::INVALID_PARAMETER_NAME,
                            format!("no object {path}"),
                        ));
                    }
                }
            }
            let kids = self.backend.children(path).await?;
            return Ok(kids.into_iter().map(|(n, node)| info(n, &node)).collect());
        }
        Ok(self
            .walk(path)
            .await?
            .into_iter()
            .map(|(n, node)| info(n, &node))
            .collect())
    }

    /// Checks one SetParameterValues entry: 9005 unknown or an object, 9008 read-only, 9006
    /// wrong type, 9007 wrong value (TR-069 A.3.2.1). On success, the value to store (with the
    /// parameter's declared type).
    async fn check_set(
        &self,
        pv: &ParameterValue<'_>,
    ) -> Result<Value<'static>, SetParameterValuesFault<'static>> {
        let name = pv.name.as_ref();
        let spv_fault = |code: FaultCode, message: String| SetParameterValuesFault {
            parameter_name: Cow::Owned(name.to_owned()),
            code,
            message: message.into(),
        };
        let node = if is_object(name) || name.is_empty() {
            None
        } else {
            self.backend
                .node(name)
                .await
                .map_err(|f| spv_fault(f.code, f.message.into_owned()))?
        };
        let (declared, writable) = match node {
            Some(Node::Parameter { value, writable }) => (value.ty, writable),
            _ => {
                return Err(spv_fault(
                    FaultCode::INVALID_PARAMETER_NAME,
                    format!("no parameter {name}"),
                ));
            }
        };
        if !writable {
            return Err(spv_fault(
                FaultCode::NON_WRITABLE_PARAMETER,
                format!("{name} is read-only"),
            ));
        }
        let by_schema = self
            .schema
            .as_deref()
            .and_then(|s| schema_adapter::check_set(s, name, &pv.value));
        match by_schema {
            Some(Err(f)) => return Err(f.to_spv_fault(name.to_owned())),
            Some(Ok(())) => {}
            None => {
                if pv.value.ty != declared && !matches!(declared, ValueType::Other(_)) {
                    return Err(spv_fault(
                        FaultCode::INVALID_PARAMETER_TYPE,
                        format!(
                            "{name} is xsd:{}, not xsd:{}",
                            declared.xsd_name(),
                            pv.value.ty.xsd_name()
                        ),
                    ));
                }
                if !declared.accepts(&pv.value.text) {
                    return Err(spv_fault(
                        FaultCode::INVALID_PARAMETER_VALUE,
                        format!("not a valid xsd:{}", declared.xsd_name()),
                    ));
                }
            }
        }
        Ok(Value::new(declared, pv.value.text.clone().into_owned()))
    }

    /// SetParameterValues (TR-069 A.3.2.1): all or nothing. When any entry is refused nothing
    /// is applied and the answer is 9003 with one `SetParameterValuesFault` per refused
    /// parameter (9005/9006/9007/9008; a name given twice: 9003). A change made this way is
    /// the ACS's own and never causes a value-change notification.
    ///
    /// ParameterKey is not touched here: [`handle`](Self::handle) applies it.
    pub async fn set_parameter_values(
        &mut self,
        params: &[ParameterValue<'_>],
    ) -> Result<(), Fault<'static>> {
        let mut faults = Vec::new();
        let mut batch = Vec::with_capacity(params.len());
        let mut seen = BTreeSet::new();
        for pv in params {
            if !seen.insert(pv.name.as_ref()) {
                faults.push(SetParameterValuesFault {
                    parameter_name: Cow::Owned(pv.name.to_string()),
                    code: FaultCode::INVALID_ARGUMENTS,
                    message: "the same parameter twice".into(),
                });
                continue;
            }
            match self.check_set(pv).await {
                Ok(v) => batch.push((pv.name.to_string(), v)),
                Err(f) => faults.push(f),
            }
        }
        if !faults.is_empty() {
            return Err(Fault::set_parameter_values(faults));
        }
        self.backend.set(&batch).await?;
        for (name, value) in &batch {
            self.acs_saw(name, &value.text);
        }
        Ok(())
    }
}
