//! [`MemoryBackend`]: a device data model kept in memory (simulators, tests, small agents).

use std::collections::BTreeMap;
use std::future::{Future, ready};

use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::value::{Value, ValueType};

use super::backend::{Backend, Node};
use super::names::{direct_child, instance_number, is_object, is_under, parent};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Param {
        value: Value<'static>,
        writable: bool,
    },
    Object {
        writable: bool,
    },
}

/// The shape of one row of a table, remembered so that AddObject can create a row even after
/// every row was deleted: parameter names relative to the row, their types and writability.
type Template = Vec<(String, ValueType<'static>, bool)>;

/// An in-memory [`Backend`]: parameters and objects in ordered maps.
///
/// Objects are created implicitly for every parameter inserted. An object is a table when it
/// is not an instance and either was inserted writable (the ACS may add rows) or has instance
/// children. A new row (AddObject) copies the parameters of an existing row of the same table,
/// or of the last row deleted, with empty / zero values.
///
/// ```
/// use cwmp_core::value::Value;
/// use cwmp_datamodel::tree::{Backend, MemoryBackend, Node, poll_ready};
///
/// let mut dm = MemoryBackend::new("Device.");
/// dm.insert("Device.DeviceInfo.SoftwareVersion", Value::string("1.0"), false);
/// dm.insert_object("Device.IP.Interface.", true);
/// dm.insert("Device.IP.Interface.1.Enable", Value::boolean(true), true);
///
/// let node = poll_ready(dm.node("Device.IP.Interface.")).unwrap()?;
/// assert_eq!(node, Some(Node::object(true, true)));
/// let kids = poll_ready(dm.children("Device.IP.Interface.1.")).unwrap()?;
/// assert_eq!(kids[0].0, "Device.IP.Interface.1.Enable");
/// # Ok::<(), cwmp_core::fault::Fault<'static>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryBackend {
    root: String,
    entries: BTreeMap<String, Entry>,
    templates: BTreeMap<String, Template>,
}

fn no_such(path: &str) -> Fault<'static> {
    Fault::new(FaultCode::INVALID_PARAMETER_NAME).with_message(format!("no {path}"))
}

/// The value a new row's parameter starts with.
pub(crate) fn default_text(ty: &ValueType<'_>) -> &'static str {
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

impl MemoryBackend {
    /// An empty model under `root` (`Device.` or `InternetGatewayDevice.`; a missing final
    /// dot is added).
    pub fn new(root: &str) -> MemoryBackend {
        let root = if root.ends_with('.') {
            root.to_owned()
        } else {
            format!("{root}.")
        };
        let mut m = MemoryBackend {
            root: String::new(),
            entries: BTreeMap::new(),
            templates: BTreeMap::new(),
        };
        m.entries
            .insert(root.clone(), Entry::Object { writable: false });
        m.root = root;
        m
    }

    fn ensure_parents(&mut self, path: &str) {
        let mut p = parent(path);
        while let Some(obj) = p {
            if self.entries.contains_key(obj) {
                break;
            }
            self.entries
                .insert(obj.to_owned(), Entry::Object { writable: false });
            p = parent(obj);
        }
    }

    /// Adds or replaces a parameter; its objects are created as needed (read-only).
    pub fn insert(&mut self, name: &str, value: Value<'static>, writable: bool) {
        self.ensure_parents(name);
        self.entries
            .insert(name.to_owned(), Entry::Param { value, writable });
    }

    /// Adds an object (`path` ends with `.`; one is added otherwise). For a table `writable`
    /// means AddObject is allowed; for an instance, DeleteObject.
    pub fn insert_object(&mut self, path: &str, writable: bool) {
        let path = if path.ends_with('.') {
            path.to_owned()
        } else {
            format!("{path}.")
        };
        self.ensure_parents(&path);
        self.entries.insert(path, Entry::Object { writable });
    }

    /// A parameter's value, if it exists.
    pub fn value(&self, name: &str) -> Option<&Value<'static>> {
        match self.entries.get(name) {
            Some(Entry::Param { value, .. }) => Some(value),
            _ => None,
        }
    }

    /// Changes a parameter's text locally, keeping its type (no checks: this is the device's
    /// own change, not an ACS operation). Returns `false` when there is no such parameter.
    pub fn set_text(&mut self, name: &str, text: &str) -> bool {
        match self.entries.get_mut(name) {
            Some(Entry::Param { value, .. }) => {
                value.text = text.to_owned().into();
                true
            }
            _ => false,
        }
    }

    /// Number of leaf parameters.
    pub fn len(&self) -> usize {
        self.entries
            .values()
            .filter(|e| matches!(e, Entry::Param { .. }))
            .count()
    }

    /// Whether there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every parameter with its value, in name order.
    pub fn parameters(&self) -> impl Iterator<Item = (&str, &Value<'static>)> {
        self.entries.iter().filter_map(|(k, e)| match e {
            Entry::Param { value, .. } => Some((k.as_str(), value)),
            Entry::Object { .. } => None,
        })
    }

    fn has_instances(&self, object: &str) -> bool {
        // Digits sort before letters, so when `object` has an instance row, the first entry
        // after it is that row (`X.Y.1.` comes before `X.Y.Alias`): one lookup, no scan.
        self.below(object)
            .next()
            .is_some_and(|(k, _)| direct_child(k, object).is_some() && instance_number(k).is_some())
    }

    fn node_of(&self, path: &str, e: &Entry) -> Node {
        match e {
            Entry::Param { value, writable } => Node::parameter(value.clone(), *writable),
            Entry::Object { writable } => {
                let table = instance_number(path).is_none()
                    && path != self.root
                    && (*writable || self.has_instances(path));
                Node::object(*writable, table)
            }
        }
    }

    fn below<'s>(&'s self, object: &'s str) -> impl Iterator<Item = (&'s String, &'s Entry)> {
        self.entries
            .range::<str, _>((
                std::ops::Bound::Excluded(object),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| is_under(k, object))
    }

    fn row_template(&self, row: &str) -> Template {
        self.below(row)
            .filter_map(|(k, e)| match e {
                Entry::Param { value, writable } => Some((
                    k.get(row.len()..).unwrap_or("").to_owned(),
                    value.ty.clone(),
                    *writable,
                )),
                Entry::Object { .. } => None,
            })
            .collect()
    }

    fn do_add(&mut self, table: &str, number: u32) -> Result<(), Fault<'static>> {
        match self.entries.get(table) {
            Some(Entry::Object { .. }) => {}
            _ => return Err(no_such(table)),
        }
        let row = format!("{table}{number}.");
        if self.entries.contains_key(&row) {
            return Err(
                Fault::new(FaultCode::INTERNAL_ERROR).with_message(format!("{row} exists already"))
            );
        }
        let existing = self
            .below(table)
            .find(|(k, _)| direct_child(k, table).is_some() && instance_number(k).is_some())
            .map(|(k, _)| k.clone());
        let template = match existing {
            Some(r) => self.row_template(&r),
            None => self.templates.get(table).cloned().unwrap_or_default(),
        };
        self.entries
            .insert(row.clone(), Entry::Object { writable: true });
        for (rel, ty, writable) in template {
            let name = format!("{row}{rel}");
            let text = default_text(&ty);
            self.insert(&name, Value::new(ty, text), writable);
        }
        Ok(())
    }

    fn do_delete(&mut self, instance: &str) -> Result<(), Fault<'static>> {
        if instance_number(instance).is_none() || !self.entries.contains_key(instance) {
            return Err(no_such(instance));
        }
        if let Some(table) = parent(instance) {
            let t = self.row_template(instance);
            if !t.is_empty() {
                self.templates.insert(table.to_owned(), t);
            }
        }
        self.entries.retain(|k, _| !is_under(k, instance));
        Ok(())
    }

    fn do_set(&mut self, values: &[(String, Value<'static>)]) -> Result<(), Fault<'static>> {
        for (name, _) in values {
            if !matches!(self.entries.get(name), Some(Entry::Param { .. })) {
                return Err(no_such(name));
            }
        }
        for (name, v) in values {
            if let Some(Entry::Param { value, .. }) = self.entries.get_mut(name) {
                value.text = v.text.clone();
            }
        }
        Ok(())
    }
}

impl Backend for MemoryBackend {
    fn root(&self) -> &str {
        &self.root
    }

    fn node(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<Option<Node>, Fault<'static>>> + Send {
        ready(Ok(self.entries.get(path).map(|e| self.node_of(path, e))))
    }

    fn children(
        &self,
        object: &str,
    ) -> impl Future<Output = Result<Vec<(String, Node)>, Fault<'static>>> + Send {
        let out = if object.is_empty() {
            match self.entries.get(&self.root) {
                Some(e) => Ok(vec![(self.root.clone(), self.node_of(&self.root, e))]),
                None => Ok(Vec::new()),
            }
        } else if !is_object(object) || !self.entries.contains_key(object) {
            Err(no_such(object))
        } else {
            Ok(self
                .below(object)
                .filter(|(k, _)| direct_child(k, object).is_some())
                .map(|(k, e)| (k.clone(), self.node_of(k, e)))
                .collect())
        };
        ready(out)
    }

    fn set(
        &mut self,
        values: &[(String, Value<'static>)],
    ) -> impl Future<Output = Result<(), Fault<'static>>> + Send {
        ready(self.do_set(values))
    }

    fn add_instance(
        &mut self,
        table: &str,
        number: u32,
    ) -> impl Future<Output = Result<(), Fault<'static>>> + Send {
        ready(self.do_add(table, number))
    }

    fn delete_instance(
        &mut self,
        instance: &str,
    ) -> impl Future<Output = Result<(), Fault<'static>>> + Send {
        ready(self.do_delete(instance))
    }
}
