//! The records the store keeps and hands back.

use cwmp_core::Body;
use cwmp_core::fault::Fault;
use cwmp_core::rpc::{DeviceId, Inform};
use serde::{Deserialize, Serialize};

/// The id of a queued RPC (unique in the store, increasing in queueing order).
pub type RpcId = i64;

/// Where an RPC is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RpcState {
    /// Waiting for the device's next session.
    Queued,
    /// Sent in a session, not answered yet.
    InFlight,
    /// Answered with a response.
    Done,
    /// Answered with a CWMP fault.
    Faulted,
    /// Given up after too many attempts.
    Failed,
    /// Cancelled by an operator while queued.
    Cancelled,
}

impl RpcState {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RpcState::Queued => "queued",
            RpcState::InFlight => "in_flight",
            RpcState::Done => "done",
            RpcState::Faulted => "faulted",
            RpcState::Failed => "failed",
            RpcState::Cancelled => "cancelled",
        }
    }

    /// The state stored under `name`.
    pub fn parse(name: &str) -> Option<RpcState> {
        Some(match name {
            "queued" => RpcState::Queued,
            "in_flight" => RpcState::InFlight,
            "done" => RpcState::Done,
            "faulted" => RpcState::Faulted,
            "failed" => RpcState::Failed,
            "cancelled" => RpcState::Cancelled,
            _ => return None,
        })
    }
}

impl std::fmt::Display for RpcState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the ACS authenticates a device's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthPolicy {
    /// HTTP digest (the default).
    Digest,
    /// HTTP Basic (only over TLS unless the operator explicitly allows it in clear).
    Basic,
    /// No authentication (lab simulators only).
    None,
}

impl AuthPolicy {
    /// The name stored in the database and used on command lines.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthPolicy::Digest => "digest",
            AuthPolicy::Basic => "basic",
            AuthPolicy::None => "none",
        }
    }

    /// The policy named `name`.
    pub fn parse(name: &str) -> Option<AuthPolicy> {
        Some(match name {
            "digest" => AuthPolicy::Digest,
            "basic" => AuthPolicy::Basic,
            "none" => AuthPolicy::None,
            _ => return None,
        })
    }
}

/// Who holds an RPC in flight: an ACS instance and the device's session number there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRef {
    /// The ACS instance (stable across its restarts, unique among instances sharing a store).
    pub instance: String,
    /// The device's session number (from [`RecordedInform::session`]).
    pub session: i64,
}

/// What [`AcsStore::record_inform`](super::AcsStore::record_inform) returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedInform {
    /// The device's session number this Inform opened (from 1).
    pub session: i64,
    /// Whether the device was seen for the first time.
    pub new_device: bool,
}

/// What the ACS knows about a device.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    /// The ACS's key (`OUI-ProductClass-SerialNumber`).
    pub id: String,
    /// From its last Inform.
    pub device_id: DeviceId<'static>,
    /// Its last Inform, whole.
    pub last_inform: Inform<'static>,
    /// Event codes of its last Inform (empty: an Inform without events).
    pub last_events: Vec<String>,
    /// Its ConnectionRequestURL, from its last Inform that carried one.
    pub connection_request_url: Option<String>,
    /// Whether Connection Request credentials are set for it (they are never listed).
    pub has_cr_credentials: bool,
    /// Its own auth policy (`None`: the ACS's global one).
    pub auth_policy: Option<AuthPolicy>,
    /// When it was first seen (ms since the Unix epoch).
    pub first_seen_ms: i64,
    /// When it last informed (ms since the Unix epoch).
    pub last_inform_ms: i64,
    /// Sessions opened (the last session number).
    pub sessions: i64,
    /// Sessions that ended normally.
    pub sessions_completed: i64,
    /// Sessions that failed.
    pub sessions_failed: i64,
    /// RPCs queued or in flight.
    pub pending: i64,
}

/// A page of [`Device`]s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DevicePage {
    /// The devices, in id order.
    pub devices: Vec<Device>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// Credentials for Connection Requests to one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrCredentials {
    /// The device's ConnectionRequestUsername.
    pub username: String,
    /// The device's ConnectionRequestPassword.
    pub password: String,
}

/// Where and how to send a Connection Request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrTarget {
    /// The device's ConnectionRequestURL.
    pub url: String,
    /// Its own credentials, when set (else the ACS's global ones).
    pub credentials: Option<CrCredentials>,
}

/// An RPC claimed for a session.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedRpc {
    /// Its id.
    pub id: RpcId,
    /// How many times it has been sent, this time included (from 1): the claim's token for
    /// [`complete`](super::AcsStore::complete) and [`requeue`](super::AcsStore::requeue).
    pub attempt: u32,
    /// The request.
    pub request: Body<'static>,
}

/// The CPE's answer to an RPC.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'a> {
    /// A response.
    Response(Body<'a>),
    /// A CWMP fault.
    Fault(Fault<'a>),
}

/// Why an in-flight RPC was put back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbandonReason {
    /// The CPE did not send its next request in time.
    Timeout,
    /// The connection closed before the session ended.
    ConnectionClosed,
    /// The CPE sent something the session could not go on with (a new Inform, a bad message).
    ProtocolError,
    /// The ACS instance holding it restarted (it was in flight when the ACS died).
    InstanceRestarted,
    /// The ACS instance holding it stopped sending heartbeats.
    InstanceLost,
    /// The ACS was shut down during the session.
    Shutdown,
}

/// What [`requeue`](super::AcsStore::requeue) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum RequeueOutcome {
    /// Back at the head of the queue; it was sent `attempts` times so far.
    Requeued {
        /// Times sent so far.
        attempts: u32,
    },
    /// Given up: it was sent `attempts` times.
    GaveUp {
        /// Times sent.
        attempts: u32,
    },
}

/// One RPC as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RpcRecord {
    /// Its id.
    pub id: RpcId,
    /// The device it is for.
    pub device: String,
    /// Where it is.
    pub state: RpcState,
    /// The request.
    pub request: Body<'static>,
    /// Times sent.
    pub attempts: u32,
    /// The session that holds it (in flight) or held it last.
    pub session: Option<SessionRef>,
    /// The response, once answered.
    pub response: Option<Body<'static>>,
    /// The fault, once answered with one.
    pub fault: Option<Fault<'static>>,
    /// When it was queued (ms since the Unix epoch).
    pub queued_ms: i64,
    /// When it finished (ms since the Unix epoch).
    pub finished_ms: Option<i64>,
}

/// What happened, in a device's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum HistoryEvent {
    /// An Inform opened a session.
    Inform {
        /// Its event codes.
        events: Vec<String>,
    },
    /// An Inform with no event at all opened a session (some agents send one after every
    /// configuration reload).
    InformWithoutEvent,
    /// A request was queued.
    Queued {
        /// Its method.
        method: String,
    },
    /// A request was sent.
    Sent {
        /// Its method.
        method: String,
        /// Times sent, this one included.
        attempt: u32,
    },
    /// The CPE answered with a response.
    Answered {
        /// The response's method.
        method: String,
    },
    /// The CPE answered with a fault.
    Faulted {
        /// The request's method.
        method: String,
        /// The CWMP fault code.
        code: u32,
        /// The fault string.
        message: String,
    },
    /// An in-flight RPC was put back at the head of the queue.
    Requeued {
        /// Why.
        reason: AbandonReason,
        /// Times sent so far.
        attempts: u32,
    },
    /// An in-flight RPC was given up.
    GaveUp {
        /// Why its last attempt failed.
        reason: AbandonReason,
        /// Times sent.
        attempts: u32,
    },
    /// An operator cancelled a queued RPC.
    Cancelled {
        /// Its method.
        method: String,
    },
    /// The CPE sent a request (TransferComplete …).
    CpeRequest {
        /// Its method.
        method: String,
        /// The request as it came (its CommandKey, fault, times …).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request: Option<Body<'static>>,
    },
    /// A session ended.
    SessionEnded {
        /// Why it failed (`None`: it ended normally).
        failure: Option<String>,
    },
    /// A Connection Request was sent.
    ConnectionRequest {
        /// `accepted`, `busy` or the error.
        result: String,
    },
}

impl HistoryEvent {
    /// The `kind` name stored in its own column.
    pub fn kind(&self) -> &'static str {
        match self {
            HistoryEvent::Inform { .. } => "inform",
            HistoryEvent::InformWithoutEvent => "inform_without_event",
            HistoryEvent::Queued { .. } => "queued",
            HistoryEvent::Sent { .. } => "sent",
            HistoryEvent::Answered { .. } => "answered",
            HistoryEvent::Faulted { .. } => "faulted",
            HistoryEvent::Requeued { .. } => "requeued",
            HistoryEvent::GaveUp { .. } => "gave_up",
            HistoryEvent::Cancelled { .. } => "cancelled",
            HistoryEvent::CpeRequest { .. } => "cpe_request",
            HistoryEvent::SessionEnded { .. } => "session_ended",
            HistoryEvent::ConnectionRequest { .. } => "connection_request",
        }
    }
}

/// One entry of a device's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// Increasing id (store-wide).
    pub id: i64,
    /// When (ms since the Unix epoch).
    pub at_ms: i64,
    /// The device's session number, when it happened in a session.
    pub session: Option<i64>,
    /// The RPC concerned.
    pub rpc: Option<RpcId>,
    /// What happened.
    pub event: HistoryEvent,
}

/// A page of a device's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryPage {
    /// The entries, oldest first.
    pub entries: Vec<HistoryEntry>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<i64>,
}
