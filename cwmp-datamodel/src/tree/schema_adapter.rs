//! Every question the parameter tree asks a loaded [`Schema`], in one place.

use cwmp_core::filetype::Notification;
use cwmp_core::value::Value;

use crate::Schema;
use crate::path::PathRef;
use crate::types::{ActiveNotify, Definition};
use crate::validate::ValueFault;

/// Validates a value the ACS wants to set (type, facets, access). `None` when the schema does
/// not define `name` (a vendor or device-specific parameter: the backend's type decides).
pub(crate) fn check_set(
    schema: &Schema,
    name: &str,
    value: &Value<'_>,
) -> Option<Result<(), ValueFault>> {
    schema.lookup(name).ok()?;
    Some(schema.check_set(name, value).map(|_| ()))
}

/// Whether the definition says the value reads back empty (`hidden` or `secured`). `None`
/// when the schema does not define `name`.
pub(crate) fn hidden(schema: &Schema, name: &str) -> Option<bool> {
    match schema.lookup(name).ok()? {
        Definition::Parameter(p) => Some(p.syntax.hidden || p.syntax.secured),
        _ => None,
    }
}

/// The parameter's `activeNotify` attribute (`normal` when not defined).
pub(crate) fn active_notify(schema: &Schema, name: &str) -> ActiveNotify {
    match schema.lookup(name) {
        Ok(Definition::Parameter(p)) => p.active_notify,
        _ => ActiveNotify::Normal,
    }
}

/// The notification a parameter has before the ACS sets one.
pub(crate) fn default_notification(schema: &Schema, name: &str) -> Notification {
    match active_notify(schema, name) {
        ActiveNotify::ForceEnabled | ActiveNotify::ForceDefaultEnabled => Notification::ACTIVE,
        _ => Notification::OFF,
    }
}

/// A table's `maxEntries` (`None`: unbounded or not defined).
pub(crate) fn max_entries(schema: &Schema, table: &str) -> Option<u32> {
    match schema.lookup(table).ok()? {
        Definition::Object(o) => o.max_entries,
        _ => None,
    }
}

/// The forced-inform parameters below `root` (`Device.`), as names. Definitions inside a
/// table (`{i}`) are left out: they name no single parameter.
pub(crate) fn forced_inform(schema: &Schema, root: &str) -> Vec<String> {
    let Ok(root_path) = PathRef::parse(root) else {
        return Vec::new();
    };
    schema
        .forced_inform_parameters(root_path.root())
        .into_iter()
        .map(|p| p.path.as_str())
        .filter(|n| !n.contains("{i}"))
        .map(str::to_owned)
        .collect()
}
