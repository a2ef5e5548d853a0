//! Rows as both backends read them, turned into the store's records.

use std::borrow::Cow;

use cwmp_core::Body;
use cwmp_core::fault::Fault;
use cwmp_core::rpc::{DeviceId, Inform, ParameterValue};
use cwmp_core::value::{Value, ValueType};

use super::error::StoreError;
use super::types::{
    AuthPolicy, Device, HistoryEntry, HistoryEvent, Outcome, RpcId, RpcRecord, RpcState, SessionRef,
};

/// The columns of a device row, in `DEVICE_COLUMNS` order.
pub(super) struct DeviceRow {
    pub id: String,
    pub device_id: String,
    pub last_inform: String,
    pub last_events: String,
    pub cr_url: Option<String>,
    pub has_cr_credentials: bool,
    pub auth_policy: Option<String>,
    pub first_seen_ms: i64,
    pub last_inform_ms: i64,
    pub sessions: i64,
    pub sessions_completed: i64,
    pub sessions_failed: i64,
    pub pending: i64,
}

/// The columns of a device row (`d` is `acs_devices`).
pub(super) const DEVICE_COLUMNS: &str = "d.id, d.device_id, d.last_inform, d.last_events, \
    d.cr_url, d.cr_username IS NOT NULL, d.auth_policy, d.first_seen_ms, d.last_inform_ms, \
    d.sessions, d.sessions_completed, d.sessions_failed, \
    (SELECT COUNT(*) FROM acs_rpcs r WHERE r.device = d.id AND r.state IN ('queued', 'in_flight'))";

impl DeviceRow {
    pub fn into_device(self) -> Result<Device, StoreError> {
        let device_id: DeviceId<'static> = serde_json::from_str(&self.device_id)?;
        let last_inform: Inform<'static> = serde_json::from_str(&self.last_inform)?;
        let last_events: Vec<String> = serde_json::from_str(&self.last_events)?;
        let auth_policy = match self.auth_policy.as_deref() {
            None => None,
            Some(p) => Some(AuthPolicy::parse(p).ok_or_else(|| StoreError::Corrupt {
                what: format!("auth policy {p:?} of device {:?}", self.id),
            })?),
        };
        Ok(Device {
            id: self.id,
            device_id,
            last_inform,
            last_events,
            connection_request_url: self.cr_url,
            has_cr_credentials: self.has_cr_credentials,
            auth_policy,
            first_seen_ms: self.first_seen_ms,
            last_inform_ms: self.last_inform_ms,
            sessions: self.sessions,
            sessions_completed: self.sessions_completed,
            sessions_failed: self.sessions_failed,
            pending: self.pending,
        })
    }
}

/// The columns of an RPC row, in `RPC_COLUMNS` order.
pub(super) struct RpcRow {
    pub id: i64,
    pub device: String,
    pub state: String,
    pub request: String,
    pub attempts: i64,
    pub instance: Option<String>,
    pub session: Option<i64>,
    pub response: Option<String>,
    pub fault: Option<String>,
    pub queued_ms: i64,
    pub finished_ms: Option<i64>,
}

/// The columns of an RPC row.
pub(super) const RPC_COLUMNS: &str = "id, device, state, request, attempts, instance, session, response, fault, queued_ms, \
     finished_ms";

impl RpcRow {
    pub fn into_record(self) -> Result<RpcRecord, StoreError> {
        let state = parse_state(self.id, &self.state)?;
        let request: Body<'static> = serde_json::from_str(&self.request)?;
        let response: Option<Body<'static>> = match &self.response {
            Some(r) => Some(serde_json::from_str(r)?),
            None => None,
        };
        let fault: Option<Fault<'static>> = match &self.fault {
            Some(f) => Some(serde_json::from_str(f)?),
            None => None,
        };
        let session = match (self.instance, self.session) {
            (Some(instance), Some(session)) => Some(SessionRef { instance, session }),
            _ => None,
        };
        Ok(RpcRecord {
            id: self.id,
            device: self.device,
            state,
            request,
            attempts: attempts(self.attempts),
            session,
            response,
            fault,
            queued_ms: self.queued_ms,
            finished_ms: self.finished_ms,
        })
    }
}

/// An RPC state read from the database.
pub(super) fn parse_state(id: RpcId, state: &str) -> Result<RpcState, StoreError> {
    RpcState::parse(state).ok_or_else(|| StoreError::Corrupt {
        what: format!("state {state:?} of RPC {id}"),
    })
}

/// An attempt count read from the database.
pub(super) fn attempts(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// A history row: id, at_ms, session, rpc, detail (JSON of the event).
pub(super) fn history_entry(
    id: i64,
    at_ms: i64,
    session: Option<i64>,
    rpc: Option<i64>,
    detail: &str,
) -> Result<HistoryEntry, StoreError> {
    Ok(HistoryEntry {
        id,
        at_ms,
        session,
        rpc,
        event: serde_json::from_str::<HistoryEvent>(detail)?,
    })
}

/// A parameter row: name, xsd type name, value.
pub(super) fn parameter(name: String, ty: &str, value: String) -> ParameterValue<'static> {
    ParameterValue {
        name: Cow::Owned(name),
        value: Value::new(ValueType::from_xsd_name(ty).into_owned(), value),
    }
}

/// What the backends store for an Inform, prepared before the transaction.
pub(super) struct InformRow {
    pub device_id: String,
    pub last_inform: String,
    pub last_events: String,
    pub cr_url: Option<String>,
    pub event: String,
    pub parameters: Vec<(String, String, String)>,
}

impl InformRow {
    pub fn new(inform: &Inform<'_>) -> Result<InformRow, StoreError> {
        let events: Vec<String> = inform
            .events
            .iter()
            .map(|e| e.code.as_str().to_owned())
            .collect();
        let event = if events.is_empty() {
            HistoryEvent::InformWithoutEvent
        } else {
            HistoryEvent::Inform {
                events: events.clone(),
            }
        };
        let cr_url = inform
            .parameters
            .iter()
            .find(|p| p.name.ends_with("ManagementServer.ConnectionRequestURL"))
            .map(|p| p.value.text.to_string())
            .filter(|u| !u.is_empty());
        Ok(InformRow {
            device_id: serde_json::to_string(&inform.device_id)?,
            last_inform: serde_json::to_string(inform)?,
            last_events: serde_json::to_string(&events)?,
            cr_url,
            event: serde_json::to_string(&event)?,
            parameters: parameter_rows(&inform.parameters),
        })
    }
}

/// Parameters as (name, xsd type, value) rows.
pub(super) fn parameter_rows(parameters: &[ParameterValue<'_>]) -> Vec<(String, String, String)> {
    parameters
        .iter()
        .map(|p| {
            (
                p.name.to_string(),
                p.value.ty.xsd_name().to_owned(),
                p.value.text.to_string(),
            )
        })
        .collect()
}

/// A request checked and encoded for the queue: (JSON, history event JSON).
pub(super) fn queued_request(body: &Body<'_>) -> Result<(String, String), StoreError> {
    if !body.is_request() || body.side() == Some(cwmp_core::envelope::Side::Acs) {
        return Err(StoreError::NotAnAcsRequest(body.name().to_owned()));
    }
    let event = HistoryEvent::Queued {
        method: body.name().to_owned(),
    };
    Ok((serde_json::to_string(body)?, serde_json::to_string(&event)?))
}

/// The stored JSON of an outcome: (state, response, fault).
pub(super) fn outcome_columns(
    outcome: &Outcome<'_>,
) -> Result<(RpcState, Option<String>, Option<String>), StoreError> {
    Ok(match outcome {
        Outcome::Response(body) => (RpcState::Done, Some(serde_json::to_string(body)?), None),
        Outcome::Fault(fault) => (RpcState::Faulted, None, Some(serde_json::to_string(fault)?)),
    })
}

/// What the history says of an outcome, taken before the transaction.
pub(super) enum OutcomeSummary {
    /// Answered with this response method.
    Answered(String),
    /// Faulted with this code and message.
    Faulted(u32, String),
}

impl OutcomeSummary {
    pub fn new(outcome: &Outcome<'_>) -> OutcomeSummary {
        match outcome {
            Outcome::Response(body) => OutcomeSummary::Answered(body.name().to_owned()),
            Outcome::Fault(f) => OutcomeSummary::Faulted(f.code.get(), f.message.to_string()),
        }
    }

    /// The history event, for a request whose stored JSON is `request`.
    pub fn event(self, request: &str) -> Result<HistoryEvent, StoreError> {
        Ok(match self {
            OutcomeSummary::Answered(method) => HistoryEvent::Answered { method },
            OutcomeSummary::Faulted(code, message) => {
                let request: Body<'static> = serde_json::from_str(request)?;
                HistoryEvent::Faulted {
                    method: request.name().to_owned(),
                    code,
                    message,
                }
            }
        })
    }
}
