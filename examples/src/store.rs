//! The CPE's device data: a dump (the CSV of `../shared/corpus/devicemodels`: `Parameter,
//! Object, Writable, Value, Value type`, or the genieacs-sim JSON `{"name": [writable, value,
//! type]}`) or the small built-in model, loaded into `cwmp_datamodel::tree::MemoryBackend`.
//! The RPC semantics live in `cwmp_datamodel::tree::ParameterTree`.

use std::sync::Arc;

use cwmp_core::rpc::DeviceId;
use cwmp_core::value::{Value, ValueType};
use cwmp_datamodel::tree::{MemoryBackend, ParameterTree};
use cwmp_datamodel::{MemoryLoader, Schema};

/// A small TR-181 `Device:2` model, used when no dump is given (a fresh clone needs nothing
/// else).
pub const BUILTIN_MODEL: &str = include_str!("builtin_model.csv");
/// The forced-inform parameters of Device:2, as a data-model document (used without
/// `--schema`).
pub const BUILTIN_FORCED_INFORM: &str = include_str!("builtin_forced_inform.xml");
/// The same for InternetGatewayDevice:1.
pub const BUILTIN_FORCED_INFORM_IGD: &str = include_str!("builtin_forced_inform_igd.xml");

/// Most rows a dump may have (the largest corpus dump has ~6,400).
pub const MAX_ROWS: usize = 200_000;

/// A dump that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LoadError {
    /// 1-based line number (1 for JSON documents).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> LoadError {
    LoadError {
        line,
        message: message.into(),
    }
}

/// The data of one simulated CPE, before it is handed to the parameter tree.
#[derive(Debug, Clone)]
pub struct DataModel {
    backend: MemoryBackend,
    schema: Option<Arc<Schema>>,
    /// `DeviceID.*` rows of GenieACS dumps (not part of the CWMP model).
    dump_device_id: Vec<(String, String)>,
}

/// Splits one CSV record (RFC 4180 quoting: a quoted value keeps its commas, doubled quotes
/// and line breaks, `\r\n` included). `None` on an unterminated quote.
fn split_csv(record: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = record.chars().peekable();
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

/// Cuts the text into CSV records: a line break inside a quoted value belongs to the value
/// (kept byte for byte); the `\r\n` or `\n` ending a record is dropped.
fn records(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut rest = text;
    let mut line = 1;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let start_line = line;
        let mut quoted = false;
        let mut end = rest.len();
        let mut next = rest.len();
        for (i, b) in rest.bytes().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b'\n' => {
                    line += 1;
                    if !quoted {
                        end = if i > 0 && rest.as_bytes().get(i - 1) == Some(&b'\r') {
                            i - 1
                        } else {
                            i
                        };
                        next = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let rec = rest.get(..end).unwrap_or("");
        rest = rest.get(next..).unwrap_or("");
        Some((start_line, rec))
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

impl Default for DataModel {
    /// An empty `Device.` model.
    fn default() -> DataModel {
        DataModel::empty()
    }
}

impl DataModel {
    fn empty() -> DataModel {
        DataModel {
            backend: MemoryBackend::new("Device."),
            schema: None,
            dump_device_id: Vec::new(),
        }
    }

    /// Adds one dump row; `line` for errors. Rows outside `Device.`/`InternetGatewayDevice.`
    /// are skipped, `DeviceID.*` kept for the identity.
    fn row(
        &mut self,
        name: &str,
        object: bool,
        writable: bool,
        value: &str,
        ty: &str,
        seen: &mut bool,
    ) {
        let name = name.trim();
        if let Some(field) = name.strip_prefix("DeviceID.") {
            self.dump_device_id
                .push((field.to_owned(), value.to_owned()));
            return;
        }
        let root = name.split('.').next().unwrap_or("");
        if root != "Device" && root != "InternetGatewayDevice" {
            return;
        }
        if !*seen {
            self.backend = MemoryBackend::new(root);
            *seen = true;
        }
        if object || name.ends_with('.') {
            self.backend.insert_object(name, writable);
        } else {
            self.backend
                .insert(name, Value::new(value_type(ty), value.to_owned()), writable);
        }
    }

    /// Loads a CSV dump.
    pub fn from_csv(text: &str) -> Result<DataModel, LoadError> {
        let mut recs = records(text);
        let (_, header) = recs.next().ok_or_else(|| err(1, "empty file"))?;
        let header = split_csv(header).unwrap_or_default();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| err(1, format!("no {name:?} column")))
        };
        let cols = [
            col("Parameter")?,
            col("Object")?,
            col("Writable")?,
            col("Value")?,
            col("Value type")?,
        ];
        let mut dm = DataModel::empty();
        let mut seen = false;
        for (count, (line, rec)) in recs.enumerate() {
            if count >= MAX_ROWS {
                return Err(err(line, format!("more than {MAX_ROWS} rows")));
            }
            if rec.trim().is_empty() {
                continue;
            }
            let cells = split_csv(rec).ok_or_else(|| err(line, "unterminated quote"))?;
            let [p, o, w, v, t] = cols.map(|i| cells.get(i).map(String::as_str).unwrap_or(""));
            dm.row(p, parse_bool_cell(o), parse_bool_cell(w), v, t, &mut seen);
        }
        if !seen {
            return Err(err(1, "no Device. or InternetGatewayDevice. rows"));
        }
        Ok(dm)
    }

    /// Loads a genieacs-sim JSON dump: `{"Name": [writable, value, "xsd:type"], "Obj.": [writable]}`.
    pub fn from_json(text: &str) -> Result<DataModel, LoadError> {
        let doc: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).map_err(|e| err(e.line(), e.to_string()))?;
        if doc.len() > MAX_ROWS {
            return Err(err(1, format!("more than {MAX_ROWS} entries")));
        }
        let mut dm = DataModel::empty();
        let mut seen = false;
        for (name, entry) in &doc {
            let cell = |i: usize| entry.get(i);
            let writable = cell(0)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false);
            let value = match cell(1) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let ty = cell(2).and_then(serde_json::Value::as_str).unwrap_or("");
            dm.row(name, name.ends_with('.'), writable, &value, ty, &mut seen);
        }
        if !seen {
            return Err(err(1, "no Device. or InternetGatewayDevice. entries"));
        }
        Ok(dm)
    }

    /// Loads a dump from a file (`.json`: JSON, anything else: CSV); errors name the file.
    pub fn from_file(path: &std::path::Path) -> Result<DataModel, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let json = path.extension().and_then(|e| e.to_str()) == Some("json");
        let dm = if json {
            DataModel::from_json(&text)
        } else {
            DataModel::from_csv(&text)
        };
        dm.map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The built-in model.
    pub fn builtin() -> DataModel {
        // The built-in text is part of this crate and tested; an empty model is the only
        // sane fallback.
        DataModel::from_csv(BUILTIN_MODEL).unwrap_or_else(|_| DataModel::empty())
    }

    /// Validates every later SetParameterValues against `schema`, and takes the forced-inform
    /// parameters from it.
    pub fn set_schema(&mut self, schema: Schema) {
        self.schema = Some(Arc::new(schema));
    }

    /// The root object, `Device.` or `InternetGatewayDevice.`.
    pub fn root(&self) -> &str {
        cwmp_datamodel::tree::Backend::root(&self.backend)
    }

    /// Number of leaf parameters.
    pub fn len(&self) -> usize {
        self.backend.len()
    }

    /// Whether there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.backend.is_empty()
    }

    /// The text of a parameter, if it exists.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.backend.value(name).map(|v| v.text.as_ref())
    }

    /// Sets a parameter's text locally (the device's own change), keeping its type; creates it
    /// as a read-only string when missing.
    pub fn set_local(&mut self, name: &str, text: &str) {
        if !self.backend.set_text(name, text) {
            self.backend
                .insert(name, Value::new(ValueType::String, text.to_owned()), false);
        }
    }

    /// `<root>` + relative name, e.g. `ms("URL")` = `Device.ManagementServer.URL`.
    pub fn ms(&self, leaf: &str) -> String {
        format!("{}ManagementServer.{leaf}", self.root())
    }

    /// Overrides the serial number of a dump's `DeviceID.*` rows.
    pub fn set_dump_serial(&mut self, serial: &str) {
        for (k, v) in &mut self.dump_device_id {
            if k == "SerialNumber" {
                serial.clone_into(v);
            }
        }
    }

    /// The device identity: the dump's `DeviceID.*` rows, else `DeviceInfo`.
    pub fn device_id(&self) -> DeviceId<'static> {
        let pick = |dump: &str, info: &str| -> String {
            self.dump_device_id
                .iter()
                .find(|(k, _)| k == dump)
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    self.text(&format!("{}DeviceInfo.{info}", self.root()))
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

    /// The device data as a backend (the factory state for FactoryReset).
    pub fn backend(&self) -> &MemoryBackend {
        &self.backend
    }

    /// The parameter tree over this data: the given schema, or the built-in forced-inform
    /// document of the model's root.
    pub fn into_tree(self) -> ParameterTree<MemoryBackend> {
        let igd = self.backend_root_is_igd();
        let schema = self.schema.or_else(|| {
            let (file, text) = if igd {
                ("builtin_forced_inform_igd.xml", BUILTIN_FORCED_INFORM_IGD)
            } else {
                ("builtin_forced_inform.xml", BUILTIN_FORCED_INFORM)
            };
            Schema::from_str(file, text, &MemoryLoader::new())
                .ok()
                .map(Arc::new)
        });
        let tree = ParameterTree::new(self.backend);
        match schema {
            Some(s) => tree.with_schema(s),
            None => tree,
        }
    }

    fn backend_root_is_igd(&self) -> bool {
        self.root() == "InternetGatewayDevice."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cwmp_datamodel::tree::poll_ready;

    #[test]
    fn csv_quoting_keeps_commas_quotes_and_crlf() {
        assert_eq!(
            split_csv(r#"a,"b, c","d ""q""",,"#).unwrap(),
            vec!["a", "b, c", "d \"q\"", "", ""]
        );
        assert!(split_csv(r#"a,"b"#).is_none());
        let text = "Parameter,Object,Writable,Value,Value type\r\n\
                    Device.X_Banner,false,true,\"line1\r\nline2\",xsd:string\r\n\
                    Device.X_Plain,false,true,v,xsd:string\r\n";
        let dm = DataModel::from_csv(text).unwrap();
        assert_eq!(dm.text("Device.X_Banner"), Some("line1\r\nline2"));
        assert_eq!(dm.text("Device.X_Plain"), Some("v"));
    }

    #[test]
    fn builtin_identity_and_forced_inform_from_the_schema_document() {
        let dm = DataModel::builtin();
        assert_eq!(dm.root(), "Device.");
        assert!(dm.len() > 20);
        let id = dm.device_id();
        assert_eq!(id.oui, "00256D");
        let tree = dm.into_tree();
        let inform = poll_ready(tree.inform_parameters()).unwrap().unwrap();
        let names: Vec<_> = inform
            .parameters
            .iter()
            .map(|p| p.name.to_string())
            .collect();
        assert!(names.contains(&"Device.ManagementServer.ParameterKey".to_owned()));
        assert!(names.contains(&"Device.DeviceInfo.SoftwareVersion".to_owned()));
    }

    fn corpus(dir: &str) -> Option<std::path::PathBuf> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus/devicemodels")
            .join(dir);
        if p.is_dir() {
            return Some(p);
        }
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "corpus missing in CI"
        );
        None
    }

    #[test]
    fn corpus_csv_and_json_dumps_load_the_same_device() {
        let Some(dir) = corpus("genieacs-sim") else {
            return;
        };
        let csv = DataModel::from_file(&dir.join("data_model_202BC1-BM632w-8KA8WA1151100043.csv"))
            .unwrap();
        let json =
            DataModel::from_file(&dir.join("data_model_202BC1-BM632w-8KA8WA1151100043.json"))
                .unwrap();
        for dm in [&csv, &json] {
            assert_eq!(dm.root(), "InternetGatewayDevice.");
            assert_eq!(dm.device_id().oui, "202BC1");
            assert!(dm.len() > 500);
        }
        assert_eq!(
            csv.text("InternetGatewayDevice.DeviceInfo.SoftwareVersion"),
            json.text("InternetGatewayDevice.DeviceInfo.SoftwareVersion")
        );
        let tree = json.into_tree();
        let inform = poll_ready(tree.inform_parameters()).unwrap().unwrap();
        assert!(
            inform
                .parameters
                .iter()
                .any(|p| p.name == "InternetGatewayDevice.DeviceSummary")
        );
    }
}
