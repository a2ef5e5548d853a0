//! The embedded store: SQLite through rusqlite (bundled SQLite), one connection owned by a
//! dedicated thread that runs each operation as a transaction; async callers wait on a oneshot
//! channel, so the tokio runtime never blocks on the database.
//!
//! Files are opened in WAL mode with `synchronous=NORMAL`: a committed transaction survives the
//! ACS process being killed (it is in the WAL before `COMMIT` returns); only a power loss may
//! lose the last transactions.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;

use cwmp_core::Body;
use cwmp_core::rpc::{Inform, ParameterValue};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::error::StoreError;
use super::rows::{self, DEVICE_COLUMNS, DeviceRow, InformRow, RPC_COLUMNS, RpcRow};
use super::types::{
    AbandonReason, AuthPolicy, ClaimedRpc, CrCredentials, CrTarget, Device, DevicePage,
    HistoryEvent, HistoryPage, Outcome, RecordedInform, RequeueOutcome, RpcId, RpcRecord, RpcState,
    SessionRef,
};
use super::{AcsStore, StoreOptions, clamp_limit, now_ms};

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// The embedded SQLite store (cheap to clone; clones share the connection).
#[derive(Clone)]
pub struct SqliteStore {
    jobs: mpsc::Sender<Job>,
    options: Arc<StoreOptions>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS acs_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS acs_devices (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    last_inform TEXT NOT NULL,
    last_events TEXT NOT NULL,
    cr_url TEXT,
    cr_username TEXT,
    cr_password TEXT,
    auth_policy TEXT,
    first_seen_ms INTEGER NOT NULL,
    last_inform_ms INTEGER NOT NULL,
    sessions INTEGER NOT NULL DEFAULT 0,
    sessions_completed INTEGER NOT NULL DEFAULT 0,
    sessions_failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS acs_parameters (
    device TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (device, name)
);
CREATE TABLE IF NOT EXISTS acs_rpcs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    device TEXT NOT NULL,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    instance TEXT,
    session INTEGER,
    response TEXT,
    fault TEXT,
    queued_ms INTEGER NOT NULL,
    finished_ms INTEGER
);
CREATE INDEX IF NOT EXISTS acs_rpcs_queue ON acs_rpcs (device, state, id);
CREATE INDEX IF NOT EXISTS acs_rpcs_holder ON acs_rpcs (state, instance);
CREATE TABLE IF NOT EXISTS acs_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    device TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    session INTEGER,
    rpc INTEGER,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_history_device ON acs_history (device, id);
CREATE TABLE IF NOT EXISTS acs_instances (id TEXT PRIMARY KEY, heartbeat_ms INTEGER NOT NULL);
";

impl SqliteStore {
    /// Opens (creating when missing) the SQLite file at `path`.
    pub fn open(path: impl AsRef<Path>, options: StoreOptions) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::start(conn, options)
    }

    /// A store in memory, lost when the last clone is dropped (for tests).
    pub fn in_memory(options: StoreOptions) -> Result<SqliteStore, StoreError> {
        Self::start(Connection::open_in_memory()?, options)
    }

    fn start(conn: Connection, options: StoreOptions) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.execute_batch(SCHEMA)?;
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("acs-store-sqlite".into())
            .spawn(move || {
                let mut conn = conn;
                while let Ok(job) = rx.recv() {
                    job(&mut conn);
                }
            })
            .map_err(|e| StoreError::Corrupt {
                what: format!("cannot start the SQLite thread: {e}"),
            })?;
        Ok(SqliteStore {
            jobs,
            options: Arc::new(options),
        })
    }

    /// Runs `f` in a transaction on the store's thread.
    async fn tx<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Transaction<'_>, &StoreOptions) -> Result<R, StoreError> + Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let options = self.options.clone();
        let job: Job = Box::new(move |conn: &mut Connection| {
            let run = || -> Result<R, StoreError> {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let r = f(&tx, &options)?;
                tx.commit()?;
                Ok(r)
            };
            let _ = done.send(run());
        });
        self.jobs.send(job).map_err(|_| StoreError::Closed)?;
        result.await.map_err(|_| StoreError::Closed)?
    }
}

fn history(
    tx: &Transaction<'_>,
    device: &str,
    session: Option<i64>,
    rpc: Option<RpcId>,
    kind: &str,
    detail: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO acs_history (device, at_ms, session, rpc, kind, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![device, now_ms(), session, rpc, kind, detail],
    )?;
    Ok(())
}

fn history_event(
    tx: &Transaction<'_>,
    device: &str,
    session: Option<i64>,
    rpc: Option<RpcId>,
    event: &HistoryEvent,
) -> Result<(), StoreError> {
    history(
        tx,
        device,
        session,
        rpc,
        event.kind(),
        &serde_json::to_string(event)?,
    )
}

fn device_exists(tx: &Transaction<'_>, device: &str) -> Result<bool, StoreError> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM acs_devices WHERE id = ?1",
            params![device],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn rpc_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RpcRow> {
    Ok(RpcRow {
        id: row.get(0)?,
        device: row.get(1)?,
        state: row.get(2)?,
        request: row.get(3)?,
        attempts: row.get(4)?,
        instance: row.get(5)?,
        session: row.get(6)?,
        response: row.get(7)?,
        fault: row.get(8)?,
        queued_ms: row.get(9)?,
        finished_ms: row.get(10)?,
    })
}

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: row.get(0)?,
        device_id: row.get(1)?,
        last_inform: row.get(2)?,
        last_events: row.get(3)?,
        cr_url: row.get(4)?,
        has_cr_credentials: row.get(5)?,
        auth_policy: row.get(6)?,
        first_seen_ms: row.get(7)?,
        last_inform_ms: row.get(8)?,
        sessions: row.get(9)?,
        sessions_completed: row.get(10)?,
        sessions_failed: row.get(11)?,
        pending: row.get(12)?,
    })
}

fn get_rpc(tx: &Transaction<'_>, id: RpcId) -> Result<Option<RpcRow>, StoreError> {
    Ok(tx
        .query_row(
            &format!("SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE id = ?1"),
            params![id],
            rpc_row,
        )
        .optional()?)
}

/// Puts back or gives up one in-flight RPC (the caller checked it is in flight).
fn requeue_row(
    tx: &Transaction<'_>,
    options: &StoreOptions,
    row: &RpcRow,
    reason: AbandonReason,
) -> Result<RequeueOutcome, StoreError> {
    let attempts = rows::attempts(row.attempts);
    let (state, outcome, event) = if attempts >= options.max_attempts {
        (
            RpcState::Failed,
            RequeueOutcome::GaveUp { attempts },
            HistoryEvent::GaveUp { reason, attempts },
        )
    } else {
        (
            RpcState::Queued,
            RequeueOutcome::Requeued { attempts },
            HistoryEvent::Requeued { reason, attempts },
        )
    };
    let finished = (state == RpcState::Failed).then(now_ms);
    // The row keeps its id, so it is back where it was: ahead of everything queued after it.
    tx.execute(
        "UPDATE acs_rpcs SET state = ?2, finished_ms = ?3 WHERE id = ?1",
        params![row.id, state.as_str(), finished],
    )?;
    history_event(tx, &row.device, row.session, Some(row.id), &event)?;
    Ok(outcome)
}

fn requeue_where(
    tx: &Transaction<'_>,
    options: &StoreOptions,
    condition: &str,
    arg: &dyn rusqlite::ToSql,
    reason: AbandonReason,
) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
    let held: Vec<RpcRow> = {
        let mut stmt = tx.prepare(&format!(
            "SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE state = 'in_flight' AND {condition} \
             ORDER BY id"
        ))?;
        stmt.query_map([arg], rpc_row)?.collect::<Result<_, _>>()?
    };
    held.iter()
        .map(|row| Ok((row.id, requeue_row(tx, options, row, reason)?)))
        .collect()
}

impl AcsStore for SqliteStore {
    async fn record_inform(
        &self,
        device: &str,
        inform: &Inform<'_>,
        _instance: &str,
    ) -> Result<RecordedInform, StoreError> {
        let row = InformRow::new(inform)?;
        let kind = if inform.events.is_empty() {
            "inform_without_event"
        } else {
            "inform"
        };
        let device = device.to_owned();
        self.tx(move |tx, _| {
            let now = now_ms();
            let new_device = !device_exists(tx, &device)?;
            if new_device {
                tx.execute(
                    "INSERT INTO acs_devices (id, device_id, last_inform, last_events, cr_url, \
                     first_seen_ms, last_inform_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                    params![
                        device,
                        row.device_id,
                        row.last_inform,
                        row.last_events,
                        row.cr_url,
                        now
                    ],
                )?;
            }
            tx.execute(
                "UPDATE acs_devices SET device_id = ?2, last_inform = ?3, last_events = ?4, \
                 cr_url = COALESCE(?5, cr_url), last_inform_ms = ?6, sessions = sessions + 1 \
                 WHERE id = ?1",
                params![
                    device,
                    row.device_id,
                    row.last_inform,
                    row.last_events,
                    row.cr_url,
                    now
                ],
            )?;
            let session: i64 = tx.query_row(
                "SELECT sessions FROM acs_devices WHERE id = ?1",
                params![device],
                |r| r.get(0),
            )?;
            upsert_parameters(tx, &device, &row.parameters, now)?;
            history(tx, &device, Some(session), None, kind, &row.event)?;
            Ok(RecordedInform {
                session,
                new_device,
            })
        })
        .await
    }

    async fn record_parameters(
        &self,
        device: &str,
        parameters: &[ParameterValue<'_>],
    ) -> Result<(), StoreError> {
        let params = rows::parameter_rows(parameters);
        let device = device.to_owned();
        self.tx(move |tx, _| {
            if !device_exists(tx, &device)? {
                return Err(StoreError::UnknownDevice(device));
            }
            upsert_parameters(tx, &device, &params, now_ms())
        })
        .await
    }

    async fn parameters(&self, device: &str) -> Result<Vec<ParameterValue<'static>>, StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            let mut stmt = tx.prepare(
                "SELECT name, type, value FROM acs_parameters WHERE device = ?1 ORDER BY name",
            )?;
            let rows = stmt.query_map(params![device], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (name, ty, value) = row?;
                out.push(rows::parameter(name, &ty, value));
            }
            Ok(out)
        })
        .await
    }

    async fn device(&self, device: &str) -> Result<Option<Device>, StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            tx.query_row(
                &format!("SELECT {DEVICE_COLUMNS} FROM acs_devices d WHERE d.id = ?1"),
                params![device],
                device_row,
            )
            .optional()?
            .map(DeviceRow::into_device)
            .transpose()
        })
        .await
    }

    async fn devices(&self, after: Option<&str>, limit: u32) -> Result<DevicePage, StoreError> {
        let after = after.map(str::to_owned);
        let limit = clamp_limit(limit);
        self.tx(move |tx, _| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {DEVICE_COLUMNS} FROM acs_devices d WHERE ?1 IS NULL OR d.id > ?1 \
                 ORDER BY d.id LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![after, i64::from(limit) + 1], device_row)?;
            let mut devices = Vec::new();
            for row in rows {
                devices.push(row?.into_device()?);
            }
            let next = if devices.len() > limit as usize {
                devices.truncate(limit as usize);
                devices.last().map(|d| d.id.clone())
            } else {
                None
            };
            Ok(DevicePage { devices, next })
        })
        .await
    }

    async fn set_cr_credentials(
        &self,
        device: &str,
        credentials: Option<CrCredentials>,
    ) -> Result<(), StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            let (u, p) = match credentials {
                Some(c) => (Some(c.username), Some(c.password)),
                None => (None, None),
            };
            let n = tx.execute(
                "UPDATE acs_devices SET cr_username = ?2, cr_password = ?3 WHERE id = ?1",
                params![device, u, p],
            )?;
            if n == 0 {
                return Err(StoreError::UnknownDevice(device));
            }
            Ok(())
        })
        .await
    }

    async fn cr_target(&self, device: &str) -> Result<Option<CrTarget>, StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            let row = tx
                .query_row(
                    "SELECT cr_url, cr_username, cr_password FROM acs_devices WHERE id = ?1",
                    params![device],
                    |r| {
                        Ok((
                            r.get::<_, Option<String>>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, Option<String>>(2)?,
                        ))
                    },
                )
                .optional()?;
            let Some((url, u, p)) = row else {
                return Err(StoreError::UnknownDevice(device));
            };
            Ok(url.map(|url| CrTarget {
                url,
                credentials: match (u, p) {
                    (Some(username), Some(password)) => Some(CrCredentials { username, password }),
                    _ => None,
                },
            }))
        })
        .await
    }

    async fn set_auth_policy(
        &self,
        device: &str,
        policy: Option<AuthPolicy>,
    ) -> Result<(), StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            let n = tx.execute(
                "UPDATE acs_devices SET auth_policy = ?2 WHERE id = ?1",
                params![device, policy.map(AuthPolicy::as_str)],
            )?;
            if n == 0 {
                return Err(StoreError::UnknownDevice(device));
            }
            Ok(())
        })
        .await
    }

    async fn enqueue(&self, device: &str, requests: &[Body<'_>]) -> Result<Vec<RpcId>, StoreError> {
        let encoded = requests
            .iter()
            .map(rows::queued_request)
            .collect::<Result<Vec<_>, _>>()?;
        let device = device.to_owned();
        self.tx(move |tx, options| {
            if !device_exists(tx, &device)? {
                return Err(StoreError::UnknownDevice(device));
            }
            let pending: i64 = tx.query_row(
                "SELECT COUNT(*) FROM acs_rpcs WHERE device = ?1 \
                 AND state IN ('queued', 'in_flight')",
                params![device],
                |r| r.get(0),
            )?;
            let count = i64::try_from(encoded.len()).unwrap_or(i64::MAX);
            if pending.saturating_add(count) > i64::from(options.queue_limit) {
                return Err(StoreError::QueueFull {
                    device,
                    limit: options.queue_limit,
                });
            }
            let now = now_ms();
            let mut ids = Vec::with_capacity(encoded.len());
            for (request, event) in &encoded {
                tx.execute(
                    "INSERT INTO acs_rpcs (device, state, request, queued_ms) \
                     VALUES (?1, 'queued', ?2, ?3)",
                    params![device, request, now],
                )?;
                let id = tx.last_insert_rowid();
                history(tx, &device, None, Some(id), "queued", event)?;
                ids.push(id);
            }
            Ok(ids)
        })
        .await
    }

    async fn claim_next(
        &self,
        device: &str,
        session: &SessionRef,
    ) -> Result<Option<ClaimedRpc>, StoreError> {
        let device = device.to_owned();
        let session = session.clone();
        self.tx(move |tx, _| {
            let head = tx
                .query_row(
                    "SELECT id, attempts, request FROM acs_rpcs \
                     WHERE device = ?1 AND state = 'queued' ORDER BY id LIMIT 1",
                    params![device],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    },
                )
                .optional()?;
            let Some((id, attempts, request)) = head else {
                return Ok(None);
            };
            let attempt = rows::attempts(attempts).saturating_add(1);
            tx.execute(
                "UPDATE acs_rpcs SET state = 'in_flight', attempts = ?2, instance = ?3, \
                 session = ?4 WHERE id = ?1",
                params![id, attempt, session.instance, session.session],
            )?;
            let request: Body<'static> = serde_json::from_str(&request)?;
            let event = HistoryEvent::Sent {
                method: request.name().to_owned(),
                attempt,
            };
            history_event(tx, &device, Some(session.session), Some(id), &event)?;
            Ok(Some(ClaimedRpc {
                id,
                attempt,
                request,
            }))
        })
        .await
    }

    async fn complete(
        &self,
        id: RpcId,
        attempt: u32,
        outcome: &Outcome<'_>,
    ) -> Result<(), StoreError> {
        let (new_state, response, fault) = rows::outcome_columns(outcome)?;
        let summary = rows::OutcomeSummary::new(outcome);
        self.tx(move |tx, _| {
            let Some(row) = get_rpc(tx, id)? else {
                return Err(StoreError::UnknownRpc(id));
            };
            let state = rows::parse_state(id, &row.state)?;
            if state != RpcState::InFlight || rows::attempts(row.attempts) != attempt {
                return Err(StoreError::NotInFlight { id, attempt, state });
            }
            tx.execute(
                "UPDATE acs_rpcs SET state = ?2, response = ?3, fault = ?4, finished_ms = ?5 \
                 WHERE id = ?1",
                params![id, new_state.as_str(), response, fault, now_ms()],
            )?;
            let event = summary.event(&row.request)?;
            history_event(tx, &row.device, row.session, Some(id), &event)
        })
        .await
    }

    async fn requeue(
        &self,
        id: RpcId,
        attempt: u32,
        reason: AbandonReason,
    ) -> Result<RequeueOutcome, StoreError> {
        self.tx(move |tx, options| {
            let Some(row) = get_rpc(tx, id)? else {
                return Err(StoreError::UnknownRpc(id));
            };
            let state = rows::parse_state(id, &row.state)?;
            if state != RpcState::InFlight || rows::attempts(row.attempts) != attempt {
                return Err(StoreError::NotInFlight { id, attempt, state });
            }
            requeue_row(tx, options, &row, reason)
        })
        .await
    }

    async fn recover_instance(
        &self,
        instance: &str,
    ) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
        let instance = instance.to_owned();
        self.tx(move |tx, options| {
            requeue_where(
                tx,
                options,
                "instance = ?1",
                &instance,
                AbandonReason::InstanceRestarted,
            )
        })
        .await
    }

    async fn heartbeat(&self, instance: &str, now_ms: i64) -> Result<(), StoreError> {
        let instance = instance.to_owned();
        self.tx(move |tx, _| {
            tx.execute(
                "INSERT INTO acs_instances (id, heartbeat_ms) VALUES (?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms",
                params![instance, now_ms],
            )?;
            Ok(())
        })
        .await
    }

    async fn recover_stale(
        &self,
        stale_before_ms: i64,
    ) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
        self.tx(move |tx, options| {
            requeue_where(
                tx,
                options,
                "instance IN (SELECT id FROM acs_instances WHERE heartbeat_ms < ?1)",
                &stale_before_ms,
                AbandonReason::InstanceLost,
            )
        })
        .await
    }

    async fn cancel(&self, device: &str, id: RpcId) -> Result<RpcRecord, StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            if !device_exists(tx, &device)? {
                return Err(StoreError::UnknownDevice(device));
            }
            let row = match get_rpc(tx, id)? {
                Some(row) if row.device == device => row,
                _ => return Err(StoreError::UnknownRpc(id)),
            };
            let state = rows::parse_state(id, &row.state)?;
            if state != RpcState::Queued {
                return Err(StoreError::NotQueued { id, state });
            }
            tx.execute(
                "UPDATE acs_rpcs SET state = 'cancelled', finished_ms = ?2 WHERE id = ?1",
                params![id, now_ms()],
            )?;
            let mut record = row.into_record()?;
            let event = HistoryEvent::Cancelled {
                method: record.request.name().to_owned(),
            };
            history_event(tx, &device, None, Some(id), &event)?;
            record.state = RpcState::Cancelled;
            Ok(record)
        })
        .await
    }

    async fn rpc(&self, id: RpcId) -> Result<Option<RpcRecord>, StoreError> {
        self.tx(move |tx, _| get_rpc(tx, id)?.map(RpcRow::into_record).transpose())
            .await
    }

    async fn pending(&self, device: &str) -> Result<Vec<RpcRecord>, StoreError> {
        let device = device.to_owned();
        self.tx(move |tx, _| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE device = ?1 \
                 AND state IN ('queued', 'in_flight') ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![device], rpc_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(row?.into_record()?);
            }
            Ok(out)
        })
        .await
    }

    async fn finished(
        &self,
        device: &str,
        after: Option<RpcId>,
        limit: u32,
    ) -> Result<Vec<RpcRecord>, StoreError> {
        let device = device.to_owned();
        let limit = clamp_limit(limit);
        self.tx(move |tx, _| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE device = ?1 \
                 AND state NOT IN ('queued', 'in_flight') AND id > ?2 ORDER BY id LIMIT ?3"
            ))?;
            let rows = stmt.query_map(
                params![device, after.unwrap_or(0), i64::from(limit)],
                rpc_row,
            )?;
            let mut out = Vec::new();
            for row in rows {
                out.push(row?.into_record()?);
            }
            Ok(out)
        })
        .await
    }

    async fn add_history(
        &self,
        device: &str,
        session: Option<i64>,
        rpc: Option<RpcId>,
        event: &HistoryEvent,
    ) -> Result<(), StoreError> {
        let device = device.to_owned();
        let kind = event.kind();
        let detail = serde_json::to_string(event)?;
        self.tx(move |tx, _| {
            if !device_exists(tx, &device)? {
                return Err(StoreError::UnknownDevice(device));
            }
            history(tx, &device, session, rpc, kind, &detail)
        })
        .await
    }

    async fn history(
        &self,
        device: &str,
        after: Option<i64>,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        let device = device.to_owned();
        let limit = clamp_limit(limit);
        self.tx(move |tx, _| {
            if !device_exists(tx, &device)? {
                return Err(StoreError::UnknownDevice(device));
            }
            let mut stmt = tx.prepare(
                "SELECT id, at_ms, session, rpc, detail FROM acs_history \
                 WHERE device = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
            )?;
            let rows = stmt.query_map(
                params![device, after.unwrap_or(0), i64::from(limit) + 1],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )?;
            let mut entries = Vec::new();
            for row in rows {
                let (id, at, session, rpc, detail) = row?;
                entries.push(rows::history_entry(id, at, session, rpc, &detail)?);
            }
            let next = if entries.len() > limit as usize {
                entries.truncate(limit as usize);
                entries.last().map(|e| e.id)
            } else {
                None
            };
            Ok(HistoryPage { entries, next })
        })
        .await
    }

    async fn record_session_end(
        &self,
        device: &str,
        session: i64,
        failure: Option<&str>,
    ) -> Result<(), StoreError> {
        let device = device.to_owned();
        let failure = failure.map(str::to_owned);
        self.tx(move |tx, _| {
            let column = if failure.is_some() {
                "sessions_failed"
            } else {
                "sessions_completed"
            };
            let n = tx.execute(
                &format!("UPDATE acs_devices SET {column} = {column} + 1 WHERE id = ?1"),
                params![device],
            )?;
            if n == 0 {
                return Err(StoreError::UnknownDevice(device));
            }
            history_event(
                tx,
                &device,
                Some(session),
                None,
                &HistoryEvent::SessionEnded { failure },
            )
        })
        .await
    }

    async fn shared_secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = format!("secret:{name}");
        let candidate = candidate.to_vec();
        self.tx(move |tx, _| {
            tx.execute(
                "INSERT INTO acs_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                params![key, candidate],
            )?;
            Ok(tx.query_row(
                "SELECT value FROM acs_meta WHERE key = ?1",
                params![key],
                |r| r.get::<_, Vec<u8>>(0),
            )?)
        })
        .await
    }
}

fn upsert_parameters(
    tx: &Transaction<'_>,
    device: &str,
    parameters: &[(String, String, String)],
    now: i64,
) -> Result<(), StoreError> {
    if parameters.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO acs_parameters (device, name, type, value, updated_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device, name) DO UPDATE SET \
         type = excluded.type, value = excluded.value, updated_ms = excluded.updated_ms",
    )?;
    for (name, ty, value) in parameters {
        stmt.execute(params![device, name, ty, value, now])?;
    }
    Ok(())
}
