//! The device's real data, as the parameter tree sees it: the [`Backend`] trait a vendor
//! implements over its own storage (ubus, D-Bus, a database, an in-memory map).

use std::future::Future;

use cwmp_core::fault::Fault;
use cwmp_core::value::Value;

/// What a path names in the device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Node {
    /// A leaf parameter with its current value (type and text).
    Parameter {
        /// The current value, with its declared type.
        value: Value<'static>,
        /// Whether the ACS may set it.
        writable: bool,
    },
    /// An object (a path ending with `.`).
    Object {
        /// For a table: the ACS may AddObject. For an instance (`X.Y.3.`): the ACS may
        /// DeleteObject. Otherwise unused.
        writable: bool,
        /// Whether it is a multi-instance object (a table whose children are instances).
        table: bool,
    },
}

impl Node {
    /// A parameter node.
    pub fn parameter(value: Value<'static>, writable: bool) -> Node {
        Node::Parameter { value, writable }
    }

    /// An object node.
    pub fn object(writable: bool, table: bool) -> Node {
        Node::Object { writable, table }
    }
}

/// The device's data, read and written by the parameter tree.
///
/// Every method returns a future, so an implementation may do its own I/O (an IPC call, a
/// database query) without blocking the session; an in-memory implementation returns ready
/// futures ([`std::future::ready`]). The tree never holds a lock or a clock; it only awaits
/// these futures.
///
/// Why a trait of futures rather than request/response values the application fulfils: a
/// single RPC may need several dependent reads (a partial path is walked object by object,
/// AddObject reads the table before it writes), and a trait lets the tree express that
/// sequence directly while the application's I/O stays in the application. The CPE session
/// engine already hands each ACS request to the application as an event and takes the answer
/// later, so the whole RPC can run on the application's executor.
///
/// Faults returned by the backend (9001 request denied, 9002 internal error, 9004 resources
/// exceeded ...) are passed to the ACS as they are.
pub trait Backend {
    /// The root object of the data model, `Device.` or `InternetGatewayDevice.`.
    fn root(&self) -> &str;

    /// The node at `path` (a parameter name, or an object path ending with `.`), `None` when
    /// the device has no such node.
    fn node(&self, path: &str)
    -> impl Future<Output = Result<Option<Node>, Fault<'static>>> + Send;

    /// The direct children of the object `object` (ending with `.`) with their full names
    /// (objects end with `.`), in a stable order. `""` lists the root object(s).
    fn children(
        &self,
        object: &str,
    ) -> impl Future<Output = Result<Vec<(String, Node)>, Fault<'static>>> + Send;

    /// Writes several parameter values at once, all or nothing. The tree calls it only with
    /// existing parameters whose values it has validated; each value keeps the parameter's
    /// declared type.
    fn set(
        &mut self,
        values: &[(String, Value<'static>)],
    ) -> impl Future<Output = Result<(), Fault<'static>>> + Send;

    /// Creates instance `number` of the table `table` (ending with `.`), with its parameters
    /// at their default values. The tree chooses the number (never reused while the device
    /// lives) and checks that `table` is a writable table first.
    fn add_instance(
        &mut self,
        table: &str,
        number: u32,
    ) -> impl Future<Output = Result<(), Fault<'static>>> + Send;

    /// Deletes the instance `instance` (`X.Y.3.`) and everything below it.
    fn delete_instance(
        &mut self,
        instance: &str,
    ) -> impl Future<Output = Result<(), Fault<'static>>> + Send;
}
