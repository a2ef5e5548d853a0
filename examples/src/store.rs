//! The CPE's in-memory data model: parameters and objects loaded from a device dump (the CSV
//! format of `../shared/corpus/devicemodels`: `Parameter, Object, Writable, Value, Value type`)
//! or from the small built-in model, optionally checked against a BBF schema
//! (`cwmp-datamodel`), answering the parameter RPCs with the CWMP faults.

use std::borrow::Cow;
use std::collections::BTreeMap;

use cwmp_core::fault::{Fault, FaultCode, SetParameterValuesFault};
use cwmp_core::filetype::Notification;
use cwmp_core::rpc::{
    DeviceId, ParameterAttribute, ParameterInfo, ParameterValue, SetParameterAttribute,
};
use cwmp_core::value::{Value, ValueType};
use cwmp_datamodel::Schema;

/// A small TR-181 `Device:2` model, used when no dump is given (a fresh clone needs nothing
/// else).
pub const BUILTIN_MODEL: &str = include_str!("builtin_model.csv");

/// Most rows a dump may have (the largest corpus dump has ~6,400).
pub const MAX_ROWS: usize = 200_000;

/// One leaf parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its type and value.
    pub value: Value<'static>,
    /// Whether the ACS may set it.
    pub writable: bool,
    /// Notification attribute (0 off, 1 passive, 2 active ...).
    pub notification: Notification,
    /// Access list attribute.
    pub access_list: Vec<String>,
}

/// A dump that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LoadError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The data model of one CPE.
#[derive(Debug, Default)]
pub struct DataModel {
    params: BTreeMap<String, Param>,
    /// Object paths (ending with `.`) and whether they are writable (tables: AddObject allowed;
    /// instances: DeleteObject allowed).
    objects: BTreeMap<String, bool>,
    schema: Option<Schema>,
    root: String,
    /// `DeviceID.*` rows of GenieACS dumps (not part of the CWMP model).
    dump_device_id: BTreeMap<String, String>,
}

fn fault(code: FaultCode, message: impl Into<String>) -> Fault<'static> {
    Fault::new(code).with_message(Cow::Owned(message.into()))
}

/// Splits one CSV record (RFC 4180 quoting). `None` on an unterminated quote.
fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if cur.is_empty() => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut cur)),
            (_, c) => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(cur);
    Some(out)
}

/// Joins physical lines into CSV records (a quoted value may contain newlines).
fn records(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let mut lines = text.lines().enumerate();
    std::iter::from_fn(move || {
        let (n, first) = lines.next()?;
        let mut rec = first.to_owned();
        while rec.matches('"').count() % 2 == 1 {
            match lines.next() {
                Some((_, more)) => {
                    rec.push('\n');
                    rec.push_str(more);
                }
                None => break,
            }
        }
        Some((n + 1, rec))
    })
}

fn parse_bool_cell(s: &str) -> bool {
    matches!(s.trim(), "true" | "TRUE" | "True" | "1")
}

fn value_type(name: &str) -> ValueType<'static> {
    let local = name.trim().rsplit(':').next().unwrap_or("");
    if local.is_empty() {
        return ValueType::String;
    }
    ValueType::from_xsd_name(local).into_owned()
}

/// Whether `path` is an instance of a table (its last segment is a number): `X.Y.3.`.
fn is_instance(path: &str) -> bool {
    path.strip_suffix('.')
        .and_then(|p| p.rsplit('.').next())
        .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

/// The parent object of a parameter or object path (`A.B.C` → `A.B.`, `A.B.` → `A.`).
fn parent(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('.').unwrap_or(path);
    trimmed.rfind('.').and_then(|i| path.get(..=i))
}

impl DataModel {
    /// Loads a dump. Rows outside the CWMP root (`Device.` or `InternetGatewayDevice.`) are
    /// kept only for the device identity (`DeviceID.*`).
    pub fn from_csv(text: &str) -> Result<DataModel, LoadError> {
        let mut recs = records(text);
        let (_, header) = recs.next().ok_or(LoadError {
            line: 1,
            message: "empty file".into(),
        })?;
        let header = split_csv(&header).unwrap_or_default();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| LoadError {
                    line: 1,
                    message: format!("no {name:?} column"),
                })
        };
        let (c_param, c_obj, c_writable, c_value, c_type) = (
            col("Parameter")?,
            col("Object")?,
            col("Writable")?,
            col("Value")?,
            col("Value type")?,
        );
        let mut dm = DataModel::default();
        for (count, (line, rec)) in recs.enumerate() {
            if count >= MAX_ROWS {
                return Err(LoadError {
                    line,
                    message: format!("more than {MAX_ROWS} rows"),
                });
            }
            if rec.trim().is_empty() {
                continue;
            }
            let cells = split_csv(&rec).ok_or_else(|| LoadError {
                line,
                message: "unterminated quote".into(),
            })?;
            let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
            let name = cell(c_param).trim();
            if let Some(field) = name.strip_prefix("DeviceID.") {
                dm.dump_device_id
                    .insert(field.to_owned(), cell(c_value).to_owned());
                continue;
            }
            if !(name.starts_with("Device") || name.starts_with("InternetGatewayDevice")) {
                continue;
            }
            let root = name.split('.').next().unwrap_or("");
            if root != "Device" && root != "InternetGatewayDevice" {
                continue;
            }
            if dm.root.is_empty() {
                dm.root = format!("{root}.");
            }
            let writable = parse_bool_cell(cell(c_writable));
            if parse_bool_cell(cell(c_obj)) {
                let path = if name.ends_with('.') {
                    name.to_owned()
                } else {
                    format!("{name}.")
                };
                dm.add_object_path(&path, writable);
            } else {
                let value = Value::new(value_type(cell(c_type)), cell(c_value).to_owned());
                dm.insert(name, value, writable);
            }
        }
        if dm.root.is_empty() {
            return Err(LoadError {
                line: 1,
                message: "no Device. or InternetGatewayDevice. rows".into(),
            });
        }
        Ok(dm)
    }

    /// Loads a dump from a file; errors name the file.
    pub fn from_file(path: &std::path::Path) -> Result<DataModel, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        DataModel::from_csv(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The built-in model.
    pub fn builtin() -> DataModel {
        // The built-in text is part of this crate and tested; an empty model is the only
        // sane fallback.
        DataModel::from_csv(BUILTIN_MODEL).unwrap_or_default()
    }

    /// Validates every later SetParameterValues against `schema` as well.
    pub fn set_schema(&mut self, schema: Schema) {
        self.schema = Some(schema);
    }

    /// The root object, `Device.` or `InternetGatewayDevice.`.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Number of leaf parameters.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Whether there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    fn add_object_path(&mut self, path: &str, writable: bool) {
        let mut p = parent(path);
        while let Some(anc) = p {
            self.objects.entry(anc.to_owned()).or_insert(false);
            p = parent(anc);
        }
        self.objects.insert(path.to_owned(), writable);
    }

    /// Adds or replaces a parameter (its objects are created as needed).
    pub fn insert(&mut self, name: &str, value: Value<'static>, writable: bool) {
        if let Some(obj) = parent(name) {
            if !self.objects.contains_key(obj) {
                self.add_object_path(obj, false);
            }
        }
        let notification = self
            .params
            .get(name)
            .map(|p| p.notification)
            .unwrap_or(Notification::OFF);
        self.params.insert(
            name.to_owned(),
            Param {
                value,
                writable,
                notification,
                access_list: Vec::new(),
            },
        );
    }

    /// A parameter, if it exists.
    pub fn get(&self, name: &str) -> Option<&Param> {
        self.params.get(name)
    }

    /// The text of a parameter, if it exists.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(|p| p.value.text.as_ref())
    }

    /// Sets a parameter's text locally (not an ACS operation: no checks), keeping its type.
    /// Creates it as a read-only string when missing.
    pub fn set_local(&mut self, name: &str, text: &str) {
        match self.params.get_mut(name) {
            Some(p) => p.value.text = Cow::Owned(text.to_owned()),
            None => self.insert(name, Value::new(ValueType::String, text.to_owned()), false),
        }
    }

    /// `<root>` + relative name, e.g. `ms("URL")` = `Device.ManagementServer.URL`.
    pub fn ms(&self, leaf: &str) -> String {
        format!("{}ManagementServer.{leaf}", self.root)
    }

    /// Overrides the serial number of a dump's `DeviceID.*` rows.
    pub fn set_dump_serial(&mut self, serial: &str) {
        if self.dump_device_id.contains_key("SerialNumber") {
            self.dump_device_id
                .insert("SerialNumber".into(), serial.to_owned());
        }
    }

    /// The device identity: the dump's `DeviceID.*` rows, else `DeviceInfo`.
    pub fn device_id(&self) -> DeviceId<'static> {
        let pick = |dump: &str, info: &str| -> String {
            self.dump_device_id
                .get(dump)
                .cloned()
                .or_else(|| {
                    self.text(&format!("{}DeviceInfo.{info}", self.root))
                        .map(str::to_owned)
                })
                .unwrap_or_default()
        };
        DeviceId {
            manufacturer: pick("Manufacturer", "Manufacturer").into(),
            oui: pick("OUI", "ManufacturerOUI").into(),
            product_class: pick("ProductClass", "ProductClass").into(),
            serial_number: pick("SerialNumber", "SerialNumber").into(),
        }
    }

    /// The forced-inform parameters present in the model (SPEC EVT-06).
    pub fn inform_parameters(&self) -> Vec<ParameterValue<'static>> {
        let r = &self.root;
        let mut names = vec![
            format!("{r}DeviceInfo.HardwareVersion"),
            format!("{r}DeviceInfo.SoftwareVersion"),
            format!("{r}DeviceInfo.ProvisioningCode"),
            format!("{r}ManagementServer.ParameterKey"),
            format!("{r}ManagementServer.ConnectionRequestURL"),
        ];
        if r == "InternetGatewayDevice." {
            names.insert(0, format!("{r}DeviceSummary"));
            names.push(format!("{r}DeviceInfo.SpecVersion"));
        } else {
            names.push(format!("{r}RootDataModelVersion"));
        }
        names
            .into_iter()
            .filter_map(|n| {
                let p = self.params.get(&n)?;
                Some(ParameterValue {
                    name: n.into(),
                    value: p.value.clone(),
                })
            })
            .collect()
    }

    fn is_secret(name: &str) -> bool {
        name.ends_with("Password")
            || name.ends_with("Passphrase")
            || name.ends_with("Key") && name.contains("PreSharedKey")
    }

    fn read_value(name: &str, p: &Param) -> Value<'static> {
        if Self::is_secret(name) {
            // TR-069: reading a password returns an empty string.
            Value::new(p.value.ty.clone(), String::new())
        } else {
            p.value.clone()
        }
    }

    /// Names (parameters) matching a GPV/GPA name: the parameter itself, or everything under a
    /// partial path. `Err(9005)` when nothing is there.
    fn expand(&self, name: &str) -> Result<Vec<&String>, Fault<'static>> {
        if name.is_empty() {
            return Ok(self.params.keys().collect());
        }
        if name.ends_with('.') {
            if !self.objects.contains_key(name) {
                return Err(fault(
                    FaultCode::INVALID_PARAMETER_NAME,
                    format!("no object {name}"),
                ));
            }
            return Ok(self
                .params
                .range(name.to_owned()..)
                .take_while(|(k, _)| k.starts_with(name))
                .map(|(k, _)| k)
                .collect());
        }
        match self.params.get_key_value(name) {
            Some((k, _)) => Ok(vec![k]),
            None => Err(fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("no parameter {name}"),
            )),
        }
    }

    /// GetParameterValues.
    pub fn get_values(
        &self,
        names: &[Cow<'_, str>],
    ) -> Result<Vec<ParameterValue<'static>>, Fault<'static>> {
        let mut out = Vec::new();
        for name in names {
            for k in self.expand(name)? {
                if let Some(p) = self.params.get(k) {
                    out.push(ParameterValue {
                        name: Cow::Owned(k.clone()),
                        value: Self::read_value(k, p),
                    });
                }
            }
        }
        Ok(out)
    }

    /// GetParameterNames.
    pub fn get_names(
        &self,
        path: &str,
        next_level: bool,
    ) -> Result<Vec<ParameterInfo<'static>>, Fault<'static>> {
        let info = |name: &str, writable: bool| ParameterInfo {
            name: Cow::Owned(name.to_owned()),
            writable,
        };
        if path.is_empty() {
            if next_level {
                return Ok(vec![info(&self.root, false)]);
            }
            return self.get_names(&self.root.clone(), false);
        }
        if !path.ends_with('.') {
            return match self.params.get(path) {
                Some(_) if next_level => Err(fault(
                    FaultCode::INVALID_ARGUMENTS,
                    "NextLevel true with a parameter name",
                )),
                Some(p) => Ok(vec![info(path, p.writable)]),
                None => Err(fault(
                    FaultCode::INVALID_PARAMETER_NAME,
                    format!("no parameter {path}"),
                )),
            };
        }
        let Some(&obj_writable) = self.objects.get(path) else {
            return Err(fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("no object {path}"),
            ));
        };
        let mut all: Vec<(&str, bool)> = self
            .objects
            .range(path.to_owned()..)
            .take_while(|(k, _)| k.starts_with(path))
            .filter(|(k, _)| k.as_str() != path)
            .map(|(k, w)| (k.as_str(), *w))
            .chain(
                self.params
                    .range(path.to_owned()..)
                    .take_while(|(k, _)| k.starts_with(path))
                    .map(|(k, p)| (k.as_str(), p.writable)),
            )
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::new();
        if !next_level {
            out.push(info(path, obj_writable));
        }
        for (name, writable) in all {
            let rest = name.get(path.len()..).unwrap_or("");
            let depth = rest.trim_end_matches('.').matches('.').count();
            if !next_level || depth == 0 {
                out.push(info(name, writable));
            }
        }
        Ok(out)
    }

    /// Checks one SetParameterValues entry: the per-parameter fault, if any.
    fn check_set(&self, pv: &ParameterValue<'_>) -> Option<SetParameterValuesFault<'static>> {
        let name = pv.name.as_ref();
        let spv_fault = |code: FaultCode, msg: String| {
            Some(SetParameterValuesFault {
                parameter_name: Cow::Owned(name.to_owned()),
                code,
                message: Cow::Owned(msg),
            })
        };
        let Some(p) = self.params.get(name) else {
            return spv_fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("no parameter {name}"),
            );
        };
        if !p.writable {
            return spv_fault(
                FaultCode::NON_WRITABLE_PARAMETER,
                format!("{name} is read-only"),
            );
        }
        if let Some(schema) = &self.schema {
            if let Err(f) = schema.check_set(name, &pv.value) {
                return Some(f.to_spv_fault(name.to_owned()));
            }
        }
        let declared = &p.value.ty;
        if &pv.value.ty != declared && !matches!(declared, ValueType::Other(_)) {
            return spv_fault(
                FaultCode::INVALID_PARAMETER_TYPE,
                format!(
                    "{name} is xsd:{}, not xsd:{}",
                    declared.xsd_name(),
                    pv.value.ty.xsd_name()
                ),
            );
        }
        if !declared.accepts(&pv.value.text) {
            return spv_fault(
                FaultCode::INVALID_PARAMETER_VALUE,
                format!(
                    "{:?} is not a valid xsd:{}",
                    pv.value.text,
                    declared.xsd_name()
                ),
            );
        }
        None
    }

    /// SetParameterValues: all or nothing; 9003 with one entry per refused parameter.
    /// On success the ParameterKey is set (SPEC SES-20); returns the status (0).
    pub fn set_values(
        &mut self,
        params: &[ParameterValue<'_>],
        parameter_key: &str,
    ) -> Result<i32, Fault<'static>> {
        let mut faults: Vec<SetParameterValuesFault<'static>> =
            params.iter().filter_map(|pv| self.check_set(pv)).collect();
        for (i, pv) in params.iter().enumerate() {
            if params.iter().take(i).any(|o| o.name == pv.name) {
                faults.push(SetParameterValuesFault {
                    parameter_name: Cow::Owned(pv.name.to_string()),
                    code: FaultCode::INVALID_ARGUMENTS,
                    message: "the same parameter twice".into(),
                });
            }
        }
        if !faults.is_empty() {
            return Err(Fault::set_parameter_values(faults));
        }
        for pv in params {
            if let Some(p) = self.params.get_mut(pv.name.as_ref()) {
                p.value.text = Cow::Owned(pv.value.text.to_string());
            }
        }
        self.set_parameter_key(parameter_key);
        Ok(0)
    }

    fn set_parameter_key(&mut self, key: &str) {
        let name = self.ms("ParameterKey");
        self.set_local(&name, key);
    }

    /// GetParameterAttributes.
    pub fn get_attributes(
        &self,
        names: &[Cow<'_, str>],
    ) -> Result<Vec<ParameterAttribute<'static>>, Fault<'static>> {
        let mut out = Vec::new();
        for name in names {
            for k in self.expand(name)? {
                if let Some(p) = self.params.get(k) {
                    out.push(ParameterAttribute {
                        name: Cow::Owned(k.clone()),
                        notification: p.notification,
                        access_list: p.access_list.iter().cloned().map(Cow::Owned).collect(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// SetParameterAttributes: all or nothing.
    pub fn set_attributes(
        &mut self,
        list: &[SetParameterAttribute<'_>],
    ) -> Result<(), Fault<'static>> {
        let mut targets = Vec::new();
        for a in list {
            if !a.notification.is_defined() {
                return Err(fault(
                    FaultCode::INVALID_ARGUMENTS,
                    format!("notification {}", a.notification.get()),
                ));
            }
            let names: Vec<String> = self.expand(&a.name)?.into_iter().cloned().collect();
            targets.push((names, a));
        }
        for (names, a) in targets {
            for n in names {
                if let Some(p) = self.params.get_mut(&n) {
                    if a.notification_change {
                        p.notification = a.notification;
                    }
                    if a.access_list_change {
                        p.access_list = a.access_list.iter().map(|s| s.to_string()).collect();
                    }
                }
            }
        }
        Ok(())
    }

    /// AddObject: a new instance of the table `object_name` (ending with `.`), with the
    /// parameters of an existing instance (reset to empty/zero values) as its template.
    pub fn add_object(
        &mut self,
        object_name: &str,
        parameter_key: &str,
    ) -> Result<u32, Fault<'static>> {
        if !object_name.ends_with('.') || is_instance(object_name) {
            return Err(fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("{object_name} is not a table"),
            ));
        }
        let Some(&writable) = self.objects.get(object_name) else {
            return Err(fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("no object {object_name}"),
            ));
        };
        let instances: Vec<u32> = self
            .objects
            .range(object_name.to_owned()..)
            .take_while(|(k, _)| k.starts_with(object_name))
            .filter_map(|(k, _)| {
                let rest = k.get(object_name.len()..)?.strip_suffix('.')?;
                rest.parse::<u32>().ok()
            })
            .collect();
        if !writable {
            return Err(fault(
                FaultCode::REQUEST_DENIED,
                format!("{object_name} does not accept AddObject"),
            ));
        }
        let n = instances
            .iter()
            .max()
            .copied()
            .unwrap_or(0)
            .saturating_add(1);
        let new_prefix = format!("{object_name}{n}.");
        let template: Vec<(String, Param)> = match instances.first() {
            Some(t) => {
                let tp = format!("{object_name}{t}.");
                self.params
                    .range(tp.clone()..)
                    .take_while(|(k, _)| k.starts_with(&tp))
                    .map(|(k, p)| {
                        let rest = k.get(tp.len()..).unwrap_or("");
                        let mut p = p.clone();
                        p.value.text = Cow::Owned(default_text(&p.value.ty).to_owned());
                        (format!("{new_prefix}{rest}"), p)
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        self.add_object_path(&new_prefix, true);
        for (k, p) in template {
            if let Some(obj) = parent(&k) {
                if !self.objects.contains_key(obj) {
                    self.add_object_path(obj, false);
                }
            }
            self.params.insert(k, p);
        }
        self.set_parameter_key(parameter_key);
        Ok(n)
    }

    /// DeleteObject of an instance (`X.Y.3.`).
    pub fn delete_object(
        &mut self,
        object_name: &str,
        parameter_key: &str,
    ) -> Result<(), Fault<'static>> {
        if !is_instance(object_name) || !self.objects.contains_key(object_name) {
            return Err(fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("no instance {object_name}"),
            ));
        }
        self.objects.retain(|k, _| !k.starts_with(object_name));
        self.params.retain(|k, _| !k.starts_with(object_name));
        self.set_parameter_key(parameter_key);
        Ok(())
    }

    /// FactoryReset: back to `initial`, with an empty ParameterKey.
    pub fn reset_to(&mut self, initial: &DataModel) {
        self.params = initial.params.clone();
        self.objects = initial.objects.clone();
        self.set_parameter_key("");
    }

    /// A copy of the instance data (not the schema).
    pub fn snapshot(&self) -> DataModel {
        DataModel {
            params: self.params.clone(),
            objects: self.objects.clone(),
            schema: None,
            root: self.root.clone(),
            dump_device_id: self.dump_device_id.clone(),
        }
    }
}

fn default_text(ty: &ValueType<'_>) -> &'static str {
    match ty {
        ValueType::Int
        | ValueType::UnsignedInt
        | ValueType::Long
        | ValueType::UnsignedLong
        | ValueType::Decimal => "0",
        ValueType::Boolean => "false",
        ValueType::DateTime => "0001-01-01T00:00:00Z",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dm() -> DataModel {
        let dm = DataModel::builtin();
        assert!(dm.len() > 20, "built-in model loads");
        dm
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(
            split_csv(r#"a,"b, c","d ""q""",,"#).unwrap(),
            vec!["a", "b, c", "d \"q\"", "", ""]
        );
        assert!(split_csv(r#"a,"b"#).is_none());
    }

    #[test]
    fn builtin_identity_and_inform_parameters() {
        let dm = dm();
        assert_eq!(dm.root(), "Device.");
        let id = dm.device_id();
        assert_eq!(id.oui, "00256D");
        assert!(!id.serial_number.is_empty());
        let names: Vec<_> = dm.inform_parameters().into_iter().map(|p| p.name).collect();
        assert!(
            names
                .iter()
                .any(|n| n == "Device.ManagementServer.ParameterKey")
        );
        assert!(
            names
                .iter()
                .any(|n| n == "Device.DeviceInfo.SoftwareVersion")
        );
    }

    #[test]
    fn gpv_partial_paths_and_9005() {
        let dm = dm();
        let v = dm.get_values(&["Device.DeviceInfo.".into()]).unwrap();
        assert!(
            v.iter()
                .any(|p| p.name == "Device.DeviceInfo.SoftwareVersion")
        );
        assert!(v.iter().all(|p| p.name.starts_with("Device.DeviceInfo.")));
        let f = dm.get_values(&["Device.Nope.".into()]).unwrap_err();
        assert_eq!(f.code, FaultCode::INVALID_PARAMETER_NAME);
        let pw = dm
            .get_values(&["Device.ManagementServer.ConnectionRequestPassword".into()])
            .unwrap();
        assert_eq!(pw[0].value.text, "", "passwords read back empty");
    }

    #[test]
    fn gpn_next_level() {
        let dm = dm();
        let top = dm.get_names("", true).unwrap();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].name, "Device.");
        let lvl = dm.get_names("Device.", true).unwrap();
        assert!(lvl.iter().any(|p| p.name == "Device.DeviceInfo."));
        assert!(
            lvl.iter()
                .all(|p| !p.name.contains("DeviceInfo.Manufacturer"))
        );
        let all = dm.get_names("Device.DeviceInfo.", false).unwrap();
        assert_eq!(all[0].name, "Device.DeviceInfo.");
        assert!(all.len() > 3);
        let f = dm
            .get_names("Device.DeviceInfo.SoftwareVersion", true)
            .unwrap_err();
        assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
    }

    #[test]
    fn spv_faults_9003_with_each_parameter() {
        let mut dm = dm();
        let f = dm
            .set_values(
                &[
                    ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 60u32),
                    ParameterValue::new("Device.DeviceInfo.SoftwareVersion", "2.0"),
                    ParameterValue::new("Device.Nope", "x"),
                    ParameterValue::new("Device.ManagementServer.PeriodicInformEnable", "maybe"),
                    ParameterValue::new(
                        "Device.ManagementServer.PeriodicInformInterval",
                        Value::new(ValueType::UnsignedInt, "-1"),
                    ),
                ],
                "k1",
            )
            .unwrap_err();
        assert_eq!(f.code, FaultCode::INVALID_ARGUMENTS);
        let codes: Vec<(String, u32)> = f
            .set_parameter_values_faults
            .iter()
            .map(|e| (e.parameter_name.to_string(), e.code.get()))
            .collect();
        assert!(codes.contains(&("Device.DeviceInfo.SoftwareVersion".into(), 9008)));
        assert!(codes.contains(&("Device.Nope".into(), 9005)));
        assert!(codes.contains(&("Device.ManagementServer.PeriodicInformEnable".into(), 9006)));
        assert!(codes.contains(&(
            "Device.ManagementServer.PeriodicInformInterval".into(),
            9007
        )));
        assert_eq!(
            dm.text("Device.ManagementServer.PeriodicInformInterval"),
            Some("300"),
            "nothing applied"
        );
        assert_eq!(dm.text("Device.ManagementServer.ParameterKey"), Some(""));
        dm.set_values(
            &[ParameterValue::new(
                "Device.ManagementServer.PeriodicInformInterval",
                60u32,
            )],
            "k2",
        )
        .unwrap();
        assert_eq!(
            dm.text("Device.ManagementServer.PeriodicInformInterval"),
            Some("60")
        );
        assert_eq!(dm.text("Device.ManagementServer.ParameterKey"), Some("k2"));
    }

    #[test]
    fn add_and_delete_objects() {
        let mut dm = dm();
        let n = dm.add_object("Device.IP.Interface.", "a1").unwrap();
        assert_eq!(n, 2);
        let p = format!("Device.IP.Interface.{n}.Enable");
        assert_eq!(dm.text(&p), Some("false"));
        assert_eq!(dm.get(&p).map(|p| p.writable), Some(true));
        assert!(
            dm.get_names(&format!("Device.IP.Interface.{n}."), true)
                .is_ok()
        );
        dm.delete_object(&format!("Device.IP.Interface.{n}."), "d1")
            .unwrap();
        assert!(dm.text(&p).is_none());
        assert_eq!(dm.text("Device.ManagementServer.ParameterKey"), Some("d1"));
        assert_eq!(
            dm.add_object("Device.DeviceInfo.", "x").unwrap_err().code,
            FaultCode::REQUEST_DENIED
        );
        assert_eq!(
            dm.delete_object("Device.IP.Interface.9.", "x")
                .unwrap_err()
                .code,
            FaultCode::INVALID_PARAMETER_NAME
        );
    }

    #[test]
    fn corpus_dumps_load() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus/devicemodels/genieacs-sim");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "corpus missing in CI"
            );
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().and_then(|e| e.to_str()) != Some("csv") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let dm = DataModel::from_csv(&text).unwrap();
            assert_eq!(dm.root(), "InternetGatewayDevice.");
            assert_eq!(dm.device_id().oui, "202BC1");
            assert!(dm.len() > 500);
            assert!(!dm.inform_parameters().is_empty());
        }
    }
}
