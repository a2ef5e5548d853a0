//! [`TreeState`]: what a device persists across reboots (attributes, the last values the ACS
//! saw, ParameterKey, instance counters).

use std::collections::BTreeMap;

use cwmp_core::filetype::Notification;

/// The attributes of one parameter (TR-069 A.3.2.4 / A.3.2.5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Attributes {
    /// Notification 0–6 (0 off, 1 passive, 2 active, 3–6 lightweight forms of CWMP 1.4).
    pub notification: Notification,
    /// Entities besides the ACS allowed to write the parameter (`Subscriber`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub access_list: Vec<String>,
}

/// The state of a [`ParameterTree`](super::ParameterTree) a device keeps across reboots.
///
/// With the `serde` feature it serializes to a small document (JSON, CBOR ...). Pending value
/// changes are deliberately not part of it: a `4 VALUE CHANGE` event is not kept across a
/// reboot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct TreeState {
    /// `ManagementServer.ParameterKey`: the key of the last successful SetParameterValues,
    /// AddObject or DeleteObject.
    pub parameter_key: String,
    /// Attributes different from the default, by parameter name.
    pub attributes: BTreeMap<String, Attributes>,
    /// The last value the ACS saw of each parameter with notification on (the reference a
    /// local change is compared with).
    pub reported: BTreeMap<String, String>,
    /// The next instance number of each table (`Device.IP.Interface.` → 4): numbers are never
    /// reused while the device lives.
    pub next_instance: BTreeMap<String, u32>,
}
