//! The reference ACS's store: everything the ACS must not lose, behind one async trait with two
//! backends.
//!
//! - [`SqliteStore`]: the embedded default, a SQLite file (or memory, for tests) through
//!   rusqlite's bundled SQLite on a dedicated thread; no setup.
//! - [`PgStore`]: PostgreSQL through tokio-postgres, for several ACS instances sharing one
//!   database.
//! - [`Store`]: either of them, chosen by a URL ([`Store::open`]).
//!
//! What is kept: devices (their last Inform, the parameters seen, connection-request URL and
//! credentials, auth policy), the per-device queue of RPCs with attempt counts, the RPCs in
//! flight and which instance holds them, results and faults, a per-device history, and shared
//! secrets (the digest nonce key every instance must agree on).
//!
//! Queued requests are stored as cwmp-core's serde JSON of the request `Body`, not as encoded
//! SOAP: the CWMP version (namespace) of the envelope is only known once the device's session
//! has negotiated it, the JSON is the admin API's own shape and readable in the database, and
//! cwmp-core tests that every message survives the JSON round trip.
//!
//! The operations that several instances may race on are single transactions: claiming the
//! next queued RPC of a device, completing an RPC (exactly once: a second completion of the
//! same claim is refused), putting an in-flight RPC back at the head of its queue with its
//! attempt count and a history entry (or giving up after [`StoreOptions::max_attempts`]), and
//! enqueueing under [`StoreOptions::queue_limit`].

mod error;
mod postgres;
mod rows;
mod sqlite;
mod types;

use std::future::Future;

use cwmp_core::Body;
use cwmp_core::rpc::{Inform, ParameterValue};

pub use error::StoreError;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use types::{
    AbandonReason, AuthPolicy, ClaimedRpc, CrCredentials, CrTarget, Device, DevicePage,
    HistoryEntry, HistoryEvent, HistoryPage, Outcome, RecordedInform, RequeueOutcome, RpcId,
    RpcRecord, RpcState, SessionRef,
};

/// Settings shared by both backends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Most RPCs queued or in flight per device (enqueueing more fails with
    /// [`StoreError::QueueFull`]). Default 1000.
    pub queue_limit: u32,
    /// An RPC whose session died is put back at the head of its queue until it has been sent
    /// this many times; then it is given up ([`RpcState::Failed`]). Default 3.
    pub max_attempts: u32,
    /// PostgreSQL only: the schema holding the tables (created when missing); `None` uses the
    /// connection's default (`public`).
    pub pg_schema: Option<String>,
    /// PostgreSQL only: connections in the pool. Default 8.
    pub pg_pool_size: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            queue_limit: 1000,
            max_attempts: 3,
            pg_schema: None,
            pg_pool_size: 8,
        }
    }
}

/// The ACS's durable state. Every method is one transaction of the backend.
///
/// Implemented by [`SqliteStore`], [`PgStore`] and [`Store`]; `tests/acs_store_suite.rs` is the
/// behaviour every implementation must show.
pub trait AcsStore: Clone + Send + Sync + 'static {
    /// Records an Inform of device `device` (its key) in a new session: creates or updates the
    /// device (last Inform, events, ConnectionRequestURL, the parameters of the ParameterList),
    /// counts the session and adds a history entry (an Inform without events is recorded as
    /// [`HistoryEvent::InformWithoutEvent`]). Returns the session number.
    fn record_inform(
        &self,
        device: &str,
        inform: &Inform<'_>,
        instance: &str,
    ) -> impl Future<Output = Result<RecordedInform, StoreError>> + Send;

    /// Records parameter values seen (a GetParameterValuesResponse), newest value wins.
    fn record_parameters(
        &self,
        device: &str,
        parameters: &[ParameterValue<'_>],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The parameters seen of a device, by name.
    fn parameters(
        &self,
        device: &str,
    ) -> impl Future<Output = Result<Vec<ParameterValue<'static>>, StoreError>> + Send;

    /// One device.
    fn device(
        &self,
        device: &str,
    ) -> impl Future<Output = Result<Option<Device>, StoreError>> + Send;

    /// Devices in id order, `limit` (at most 1000) after the id `after`.
    fn devices(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> impl Future<Output = Result<DevicePage, StoreError>> + Send;

    /// Sets (or with `None` clears) the credentials for Connection Requests to a device.
    fn set_cr_credentials(
        &self,
        device: &str,
        credentials: Option<CrCredentials>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Where and how to send a Connection Request to a device (URL from its last Inform).
    fn cr_target(
        &self,
        device: &str,
    ) -> impl Future<Output = Result<Option<CrTarget>, StoreError>> + Send;

    /// Sets (or with `None` clears) a device's own auth policy.
    fn set_auth_policy(
        &self,
        device: &str,
        policy: Option<AuthPolicy>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Queues requests at the tail of a device's queue, all or none. Fails with
    /// [`StoreError::UnknownDevice`] or [`StoreError::QueueFull`].
    fn enqueue(
        &self,
        device: &str,
        requests: &[Body<'_>],
    ) -> impl Future<Output = Result<Vec<RpcId>, StoreError>> + Send;

    /// Claims the head of a device's queue for a session: the RPC becomes in flight, held by
    /// `session`, with its attempt count raised. `None` when nothing is queued.
    fn claim_next(
        &self,
        device: &str,
        session: &SessionRef,
    ) -> impl Future<Output = Result<Option<ClaimedRpc>, StoreError>> + Send;

    /// Completes a claimed RPC with the CPE's answer, exactly once: fails with
    /// [`StoreError::NotInFlight`] when this claim (`id`, `attempt`) is no longer in flight.
    fn complete(
        &self,
        id: RpcId,
        attempt: u32,
        outcome: &Outcome<'_>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Puts an in-flight RPC whose session died back at the head of its queue, or gives it up
    /// once it was sent [`StoreOptions::max_attempts`] times; records why in the history.
    fn requeue(
        &self,
        id: RpcId,
        attempt: u32,
        reason: AbandonReason,
    ) -> impl Future<Output = Result<RequeueOutcome, StoreError>> + Send;

    /// Puts back every RPC an earlier run of `instance` left in flight (call at start-up).
    fn recover_instance(
        &self,
        instance: &str,
    ) -> impl Future<Output = Result<Vec<(RpcId, RequeueOutcome)>, StoreError>> + Send;

    /// Records that `instance` is alive at `now_ms` (milliseconds since the Unix epoch).
    fn heartbeat(
        &self,
        instance: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Puts back every RPC held by an instance whose last heartbeat is older than
    /// `stale_before_ms` (an instance that died and did not come back).
    fn recover_stale(
        &self,
        stale_before_ms: i64,
    ) -> impl Future<Output = Result<Vec<(RpcId, RequeueOutcome)>, StoreError>> + Send;

    /// Cancels a queued RPC of a device. Fails with [`StoreError::UnknownRpc`] or
    /// [`StoreError::NotQueued`] (in flight or finished).
    fn cancel(
        &self,
        device: &str,
        id: RpcId,
    ) -> impl Future<Output = Result<RpcRecord, StoreError>> + Send;

    /// One RPC.
    fn rpc(&self, id: RpcId) -> impl Future<Output = Result<Option<RpcRecord>, StoreError>> + Send;

    /// A device's queued and in-flight RPCs, head first.
    fn pending(
        &self,
        device: &str,
    ) -> impl Future<Output = Result<Vec<RpcRecord>, StoreError>> + Send;

    /// A device's finished RPCs (answered, faulted, given up, cancelled), oldest first, `limit`
    /// after the id `after`.
    fn finished(
        &self,
        device: &str,
        after: Option<RpcId>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<RpcRecord>, StoreError>> + Send;

    /// Adds an entry to a device's history.
    fn add_history(
        &self,
        device: &str,
        session: Option<i64>,
        rpc: Option<RpcId>,
        event: &HistoryEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A device's history, oldest first, `limit` (at most 1000) entries after the id `after`.
    fn history(
        &self,
        device: &str,
        after: Option<i64>,
        limit: u32,
    ) -> impl Future<Output = Result<HistoryPage, StoreError>> + Send;

    /// Records the end of a device's session (counts it as completed or failed, and a history
    /// entry).
    fn record_session_end(
        &self,
        device: &str,
        session: i64,
        failure: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The secret stored under `name`, storing `candidate` first if there is none: every
    /// instance gets the value of the first one that asked.
    fn shared_secret(
        &self,
        name: &str,
        candidate: &[u8],
    ) -> impl Future<Output = Result<Vec<u8>, StoreError>> + Send;
}

/// Either backend, chosen by [`Store::open`].
#[derive(Clone, Debug)]
pub enum Store {
    /// The embedded SQLite store.
    Sqlite(SqliteStore),
    /// The PostgreSQL store.
    Postgres(PgStore),
}

impl Store {
    /// Opens the store named by `location`:
    ///
    /// - `postgres://…` or `postgresql://…`: PostgreSQL (libpq URL syntax);
    /// - `sqlite::memory:` or `:memory:`: an in-memory SQLite database (lost at exit);
    /// - `sqlite://PATH` or any other text: a SQLite file at that path (created when missing).
    pub async fn open(location: &str, options: StoreOptions) -> Result<Store, StoreError> {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            Ok(Store::Postgres(PgStore::connect(location, options).await?))
        } else if location == ":memory:" || location == "sqlite::memory:" {
            Ok(Store::Sqlite(SqliteStore::in_memory(options)?))
        } else {
            let path = location.strip_prefix("sqlite://").unwrap_or(location);
            Ok(Store::Sqlite(SqliteStore::open(path, options)?))
        }
    }

    /// `"sqlite"` or `"postgres"`, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }
}

macro_rules! both {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Store::Sqlite($s) => $e.await,
            Store::Postgres($s) => $e.await,
        }
    };
}

impl AcsStore for Store {
    async fn record_inform(
        &self,
        device: &str,
        inform: &Inform<'_>,
        instance: &str,
    ) -> Result<RecordedInform, StoreError> {
        both!(self, s => s.record_inform(device, inform, instance))
    }
    async fn record_parameters(
        &self,
        device: &str,
        parameters: &[ParameterValue<'_>],
    ) -> Result<(), StoreError> {
        both!(self, s => s.record_parameters(device, parameters))
    }
    async fn parameters(&self, device: &str) -> Result<Vec<ParameterValue<'static>>, StoreError> {
        both!(self, s => s.parameters(device))
    }
    async fn device(&self, device: &str) -> Result<Option<Device>, StoreError> {
        both!(self, s => s.device(device))
    }
    async fn devices(&self, after: Option<&str>, limit: u32) -> Result<DevicePage, StoreError> {
        both!(self, s => s.devices(after, limit))
    }
    async fn set_cr_credentials(
        &self,
        device: &str,
        credentials: Option<CrCredentials>,
    ) -> Result<(), StoreError> {
        both!(self, s => s.set_cr_credentials(device, credentials))
    }
    async fn cr_target(&self, device: &str) -> Result<Option<CrTarget>, StoreError> {
        both!(self, s => s.cr_target(device))
    }
    async fn set_auth_policy(
        &self,
        device: &str,
        policy: Option<AuthPolicy>,
    ) -> Result<(), StoreError> {
        both!(self, s => s.set_auth_policy(device, policy))
    }
    async fn enqueue(&self, device: &str, requests: &[Body<'_>]) -> Result<Vec<RpcId>, StoreError> {
        both!(self, s => s.enqueue(device, requests))
    }
    async fn claim_next(
        &self,
        device: &str,
        session: &SessionRef,
    ) -> Result<Option<ClaimedRpc>, StoreError> {
        both!(self, s => s.claim_next(device, session))
    }
    async fn complete(
        &self,
        id: RpcId,
        attempt: u32,
        outcome: &Outcome<'_>,
    ) -> Result<(), StoreError> {
        both!(self, s => s.complete(id, attempt, outcome))
    }
    async fn requeue(
        &self,
        id: RpcId,
        attempt: u32,
        reason: AbandonReason,
    ) -> Result<RequeueOutcome, StoreError> {
        both!(self, s => s.requeue(id, attempt, reason))
    }
    async fn recover_instance(
        &self,
        instance: &str,
    ) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
        both!(self, s => s.recover_instance(instance))
    }
    async fn heartbeat(&self, instance: &str, now_ms: i64) -> Result<(), StoreError> {
        both!(self, s => s.heartbeat(instance, now_ms))
    }
    async fn recover_stale(
        &self,
        stale_before_ms: i64,
    ) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
        both!(self, s => s.recover_stale(stale_before_ms))
    }
    async fn cancel(&self, device: &str, id: RpcId) -> Result<RpcRecord, StoreError> {
        both!(self, s => s.cancel(device, id))
    }
    async fn rpc(&self, id: RpcId) -> Result<Option<RpcRecord>, StoreError> {
        both!(self, s => s.rpc(id))
    }
    async fn pending(&self, device: &str) -> Result<Vec<RpcRecord>, StoreError> {
        both!(self, s => s.pending(device))
    }
    async fn finished(
        &self,
        device: &str,
        after: Option<RpcId>,
        limit: u32,
    ) -> Result<Vec<RpcRecord>, StoreError> {
        both!(self, s => s.finished(device, after, limit))
    }
    async fn add_history(
        &self,
        device: &str,
        session: Option<i64>,
        rpc: Option<RpcId>,
        event: &HistoryEvent,
    ) -> Result<(), StoreError> {
        both!(self, s => s.add_history(device, session, rpc, event))
    }
    async fn history(
        &self,
        device: &str,
        after: Option<i64>,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        both!(self, s => s.history(device, after, limit))
    }
    async fn record_session_end(
        &self,
        device: &str,
        session: i64,
        failure: Option<&str>,
    ) -> Result<(), StoreError> {
        both!(self, s => s.record_session_end(device, session, failure))
    }
    async fn shared_secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        both!(self, s => s.shared_secret(name, candidate))
    }
}

/// Milliseconds since the Unix epoch (the store's timestamps).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The largest page any listing returns.
pub const MAX_PAGE: u32 = 1000;

fn clamp_limit(limit: u32) -> u32 {
    limit.clamp(1, MAX_PAGE)
}
