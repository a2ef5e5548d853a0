//! The CPE side of the parameter RPCs: a [`ParameterTree`] answering GetParameterValues,
//! GetParameterNames, SetParameterValues, Get/SetParameterAttributes, AddObject and
//! DeleteObject over a [`Backend`] holding the device's real data, with ParameterKey,
//! instance numbering, forced-inform parameters and value-change notifications.
//!
//! - [`Backend`]: the trait a vendor implements over its own storage (futures, so it can do
//!   its own I/O); [`MemoryBackend`] keeps everything in memory.
//! - [`ParameterTree`]: the RPC semantics of TR-069 A.3.2 in one place, with the faults a
//!   CPE answers; [`ParameterTree::handle`] takes the ACS's request as the CPE session engine
//!   emits it and gives the `Result<Body, Fault>` it takes back.
//! - Notifications: [`ParameterTree::changed`] / [`ParameterTree::poll_changes`] for local
//!   changes, [`ParameterTree::inform_parameters`] for the next Inform,
//!   [`ParameterTree::session_due`] for active notification.
//! - [`TreeState`]: what a device persists (serde with the `serde` feature).
//!
//! A full round: the ACS turns on active notification, the device changes the value, a
//! session becomes due and its Inform carries `4 VALUE CHANGE` with the new value.
//!
//! ```
//! use std::time::Instant;
//! use cwmp_core::Body;
//! use cwmp_core::filetype::Notification;
//! use cwmp_core::rpc::{SetParameterAttribute, SetParameterAttributes};
//! use cwmp_core::value::Value;
//! use cwmp_datamodel::tree::{MemoryBackend, ParameterTree, poll_ready};
//!
//! let mut dm = MemoryBackend::new("Device.");
//! dm.insert("Device.DeviceInfo.SoftwareVersion", Value::string("1.0"), false);
//! dm.insert("Device.WiFi.SSID.1.SSID", Value::string("home"), true);
//! let mut tree = ParameterTree::new(dm).with_forced_inform(["Device.DeviceInfo.SoftwareVersion"]);
//!
//! let spa: Body<'_> = SetParameterAttributes {
//!     parameters: vec![SetParameterAttribute {
//!         name: "Device.WiFi.SSID.1.SSID".into(),
//!         notification_change: true,
//!         notification: Notification::ACTIVE,
//!         access_list_change: false,
//!         access_list: vec![],
//!     }],
//! }
//! .into();
//! assert!(poll_ready(tree.handle(&spa)).flatten().unwrap().is_ok());
//!
//! let now = Instant::now();
//! tree.backend_mut().set_text("Device.WiFi.SSID.1.SSID", "garden");
//! assert!(tree.changed("Device.WiFi.SSID.1.SSID", Value::string("garden"), now));
//! assert_eq!(tree.session_due(), Some(now));
//!
//! let inform = poll_ready(tree.inform_parameters()).unwrap()?;
//! assert!(inform.value_change);
//! assert_eq!(inform.parameters[1].value.text, "garden");
//! tree.inform_acknowledged(&inform.parameters);
//! assert_eq!(tree.session_due(), None);
//! # Ok::<(), cwmp_core::fault::Fault<'static>>(())
//! ```

mod attributes;
mod backend;
mod memory;
mod names;
mod notify;
mod objects;
mod parameter_tree;
mod ready;
mod schema_adapter;
mod state;
mod values;

#[cfg(test)]
mod tests;

pub use attributes::SUBSCRIBER;
pub use backend::{Backend, Node};
pub use memory::MemoryBackend;
pub use notify::InformParameters;
pub use parameter_tree::ParameterTree;
pub use ready::poll_ready;
pub use state::{Attributes, TreeState};
