//! [`ParameterTree`]: the CPE side of the parameter RPCs over a [`Backend`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use cwmp_core::Body;
use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::rpc::{
    AddObjectResponse, DeleteObjectResponse, GetParameterAttributesResponse,
    GetParameterNamesResponse, GetParameterValuesResponse, SetParameterAttributesResponse,
    SetParameterValuesResponse,
};
use cwmp_core::session::ParameterKey;
use cwmp_core::value::Value;

use super::backend::{Backend, Node};
use super::notify::Notifier;
use super::schema_adapter;
use super::state::TreeState;
use crate::Schema;

pub(crate) fn fault(code: FaultCode, message: impl Into<String>) -> Fault<'static> {
    Fault::new(code).with_message(message.into())
}

/// The parameter RPCs of TR-069 A.3.2 on a device's data, with the faults a CPE answers,
/// ParameterKey, instance numbering, attributes and value-change notifications.
///
/// The tree owns the [`Backend`] (the device's real data) and a [`TreeState`] (what the
/// device persists). A loaded [`Schema`] adds type and facet validation, hidden values,
/// `activeNotify` rules, `maxEntries` and the forced-inform parameters.
///
/// ```
/// use cwmp_core::Body;
/// use cwmp_core::rpc::{ParameterValue, SetParameterValues, GetParameterValues};
/// use cwmp_core::value::Value;
/// use cwmp_datamodel::tree::{MemoryBackend, ParameterTree, poll_ready};
///
/// let mut dm = MemoryBackend::new("Device.");
/// dm.insert("Device.ManagementServer.PeriodicInformInterval", Value::unsigned_int(300), true);
/// dm.insert("Device.ManagementServer.ParameterKey", Value::string(""), false);
/// let mut tree = ParameterTree::new(dm);
///
/// // The CPE session engine hands over the ACS's request; the tree answers it.
/// let spv: Body<'_> = SetParameterValues {
///     parameters: vec![ParameterValue::new("Device.ManagementServer.PeriodicInformInterval", 60u32)],
///     parameter_key: "k1".into(),
/// }
/// .into();
/// let answer = poll_ready(tree.handle(&spv)).flatten().expect("a parameter RPC");
/// assert!(answer.is_ok());
/// assert_eq!(tree.state().parameter_key, "k1");
///
/// let gpv: Body<'_> = GetParameterValues { parameter_names: vec!["Device.ManagementServer.".into()] }.into();
/// let Ok(Body::GetParameterValuesResponse(r)) = poll_ready(tree.handle(&gpv)).flatten().unwrap() else { panic!() };
/// assert_eq!(r.parameters.len(), 2);
/// assert_eq!(r.parameters[0].value.text, "k1");
/// ```
#[derive(Debug)]
pub struct ParameterTree<B> {
    pub(crate) backend: B,
    pub(crate) schema: Option<Arc<Schema>>,
    pub(crate) state: TreeState,
    pub(crate) notifier: Notifier,
    pub(crate) forced: Vec<String>,
    pub(crate) deny_active: Vec<String>,
}

impl<B: Backend> ParameterTree<B> {
    /// A tree over `backend`, with an empty state.
    pub fn new(backend: B) -> Self {
        ParameterTree {
            backend,
            schema: None,
            state: TreeState::default(),
            notifier: Notifier::default(),
            forced: Vec::new(),
            deny_active: Vec::new(),
        }
    }

    /// Validates values against `schema` and takes its forced-inform parameters.
    pub fn with_schema(mut self, schema: Arc<Schema>) -> Self {
        self.forced = schema_adapter::forced_inform(&schema, self.backend.root());
        self.schema = Some(schema);
        self
    }

    /// Restores a persisted state.
    pub fn with_state(mut self, state: TreeState) -> Self {
        self.state = state;
        self
    }

    /// Sets the forced-inform parameter names (replacing the schema's), for a device that
    /// loads no schema.
    pub fn with_forced_inform<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.forced = names.into_iter().map(Into::into).collect();
        self
    }

    /// Refuses active notification (9009) for `name`, or for everything below it when it ends
    /// with `.`, besides what the schema's `activeNotify="canDeny"` refuses (counters and
    /// other fast-changing values).
    pub fn deny_active_notification(mut self, name: impl Into<String>) -> Self {
        self.deny_active.push(name.into());
        self
    }

    /// The minimum time between the end of a session and a session opened only for an
    /// active notification (`ManagementServer.DefaultActiveNotificationThrottle`).
    pub fn set_active_notification_throttle(&mut self, throttle: Duration) {
        self.notifier.throttle = throttle;
    }

    /// The state to persist.
    pub fn state(&self) -> &TreeState {
        &self.state
    }

    /// The device's data.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The device's data, mutably. A local change made here must be reported with
    /// [`changed`](Self::changed) (or found by [`poll_changes`](Self::poll_changes)) to
    /// notify the ACS.
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// The loaded schema.
    pub fn schema(&self) -> Option<&Schema> {
        self.schema.as_deref()
    }

    /// The forced-inform parameter names.
    pub fn forced_inform(&self) -> &[String] {
        &self.forced
    }

    /// `<root>ManagementServer.ParameterKey`.
    pub(crate) fn parameter_key_name(&self) -> String {
        format!("{}ManagementServer.ParameterKey", self.backend.root())
    }

    /// Answers a parameter RPC (GetParameterValues, GetParameterNames, SetParameterValues,
    /// GetParameterAttributes, SetParameterAttributes, AddObject, DeleteObject); `None` for
    /// any other request (the application answers Reboot, Download ...).
    ///
    /// ParameterKey is updated here, for the three RPCs that carry one, if and only if the
    /// answer is not a fault (TR-069 A.3.2.1, A.3.2.6, A.3.2.7).
    pub async fn handle(
        &mut self,
        request: &Body<'_>,
    ) -> Option<Result<Body<'static>, Fault<'static>>> {
        let outcome: Result<Body<'static>, Fault<'static>> = match request {
            Body::GetParameterValues(r) => self
                .get_parameter_values(&r.parameter_names)
                .await
                .map(|parameters| GetParameterValuesResponse { parameters }.into()),
            Body::GetParameterNames(r) => self
                .get_parameter_names(&r.parameter_path, r.next_level)
                .await
                .map(|parameters| GetParameterNamesResponse { parameters }.into()),
            Body::SetParameterValues(r) => self
                .set_parameter_values(&r.parameters)
                .await
                .map(|()| SetParameterValuesResponse { status: 0 }.into()),
            Body::GetParameterAttributes(r) => self
                .get_parameter_attributes(&r.parameter_names)
                .await
                .map(|parameters| GetParameterAttributesResponse { parameters }.into()),
            Body::SetParameterAttributes(r) => self
                .set_parameter_attributes(&r.parameters)
                .await
                .map(|()| SetParameterAttributesResponse {}.into()),
            Body::AddObject(r) => self
                .add_object(&r.object_name)
                .await
                .map(|instance_number| {
                    AddObjectResponse {
                        instance_number,
                        status: 0,
                    }
                    .into()
                }),
            Body::DeleteObject(r) => self
                .delete_object(&r.object_name)
                .await
                .map(|()| DeleteObjectResponse { status: 0 }.into()),
            _ => return None,
        };
        self.apply_parameter_key(request, &outcome).await;
        Some(outcome)
    }

    async fn apply_parameter_key(
        &mut self,
        request: &Body<'_>,
        outcome: &Result<Body<'static>, Fault<'static>>,
    ) {
        let mut key = ParameterKey::new(std::mem::take(&mut self.state.parameter_key));
        let changed = key.apply(request, outcome);
        self.state.parameter_key = key.as_str().to_owned();
        if changed {
            let name = self.parameter_key_name();
            if let Ok(Some(Node::Parameter { value, .. })) = self.backend.node(&name).await {
                let v = Value::new(value.ty, self.state.parameter_key.clone());
                // The key is authoritative in the state (and in the Inform); a backend that
                // refuses to store it only loses its own copy.
                let _ = self.backend.set(&[(name, v)]).await;
            }
        }
    }

    /// Factory reset of the tree's state: attributes, counters and pending notifications
    /// are forgotten and ParameterKey becomes empty. (The backend resets its own data.)
    pub fn factory_reset(&mut self) {
        let mut key = ParameterKey::new(std::mem::take(&mut self.state.parameter_key));
        key.factory_reset();
        self.state = TreeState {
            parameter_key: key.as_str().to_owned(),
            ..TreeState::default()
        };
        let throttle = self.notifier.throttle;
        self.notifier = Notifier::default();
        self.notifier.throttle = throttle;
    }

    /// The time of the last session's end, for the active-notification throttle.
    pub fn session_ended(&mut self, now: Instant) {
        self.notifier.last_session_end = Some(now);
    }
}
