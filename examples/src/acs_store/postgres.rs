//! The PostgreSQL store, for several ACS instances sharing one database: tokio-postgres over a
//! deadpool connection pool. Each operation is one transaction; claiming the head of a queue
//! uses `FOR UPDATE SKIP LOCKED` so two instances never claim the same RPC, and enqueueing
//! locks the device's row so the queue limit holds across instances.

use std::sync::Arc;

use cwmp_core::Body;
use cwmp_core::rpc::{Inform, ParameterValue};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use tokio_postgres::NoTls;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::error::StoreError;
use super::rows::{self, DEVICE_COLUMNS, DeviceRow, InformRow, RPC_COLUMNS, RpcRow};
use super::types::{
    AbandonReason, AuthPolicy, ClaimedRpc, CrCredentials, CrTarget, Device, DevicePage,
    HistoryEvent, HistoryPage, Outcome, RecordedInform, RequeueOutcome, RpcId, RpcRecord, RpcState,
    SessionRef,
};
use super::{AcsStore, StoreOptions, clamp_limit, now_ms};

/// The PostgreSQL store (cheap to clone; clones share the pool).
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    options: Arc<StoreOptions>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS acs_meta (key TEXT PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS acs_devices (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    last_inform TEXT NOT NULL,
    last_events TEXT NOT NULL,
    cr_url TEXT,
    cr_username TEXT,
    cr_password TEXT,
    auth_policy TEXT,
    first_seen_ms BIGINT NOT NULL,
    last_inform_ms BIGINT NOT NULL,
    sessions BIGINT NOT NULL DEFAULT 0,
    sessions_completed BIGINT NOT NULL DEFAULT 0,
    sessions_failed BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS acs_parameters (
    device TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (device, name)
);
CREATE TABLE IF NOT EXISTS acs_rpcs (
    id BIGSERIAL PRIMARY KEY,
    device TEXT NOT NULL,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    instance TEXT,
    session BIGINT,
    response TEXT,
    fault TEXT,
    queued_ms BIGINT NOT NULL,
    finished_ms BIGINT
);
CREATE INDEX IF NOT EXISTS acs_rpcs_queue ON acs_rpcs (device, state, id);
CREATE INDEX IF NOT EXISTS acs_rpcs_holder ON acs_rpcs (state, instance);
CREATE TABLE IF NOT EXISTS acs_history (
    id BIGSERIAL PRIMARY KEY,
    device TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    session BIGINT,
    rpc BIGINT,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_history_device ON acs_history (device, id);
CREATE TABLE IF NOT EXISTS acs_instances (id TEXT PRIMARY KEY, heartbeat_ms BIGINT NOT NULL);
";

/// An arbitrary constant: the advisory lock that serialises schema creation between instances
/// starting at the same time.
const SCHEMA_LOCK: i64 = 0x6377_6d70_6163_7331;

fn valid_schema(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

impl PgStore {
    /// Connects to the database at `url` (libpq URL or key=value syntax) and creates the
    /// tables when missing.
    pub async fn connect(url: &str, options: StoreOptions) -> Result<PgStore, StoreError> {
        let mut config: tokio_postgres::Config = url.parse()?;
        if let Some(schema) = &options.pg_schema {
            if !valid_schema(schema) {
                return Err(StoreError::InvalidSchema(schema.clone()));
            }
            config.options(format!("-c search_path={schema}"));
        }
        if config.get_application_name().is_none() {
            config.application_name("cwmp-acs");
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pg_pool_size.max(1))
            .build()?;
        let store = PgStore {
            pool,
            options: Arc::new(options),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
            .await?;
        if let Some(schema) = &self.options.pg_schema {
            // Checked by `valid_schema`: a plain identifier.
            tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .await?;
        }
        tx.batch_execute(SCHEMA).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn query(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, StoreError> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query(&stmt, params).await?)
}

async fn query_opt(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>, StoreError> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&stmt, params).await?)
}

async fn execute(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64, StoreError> {
    let stmt = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&stmt, params).await?)
}

async fn history(
    tx: &Transaction<'_>,
    device: &str,
    session: Option<i64>,
    rpc: Option<RpcId>,
    event: &HistoryEvent,
) -> Result<(), StoreError> {
    let detail = serde_json::to_string(event)?;
    execute(
        tx,
        "INSERT INTO acs_history (device, at_ms, session, rpc, kind, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&device, &now_ms(), &session, &rpc, &event.kind(), &detail],
    )
    .await?;
    Ok(())
}

async fn device_exists(tx: &Transaction<'_>, device: &str, lock: bool) -> Result<bool, StoreError> {
    let sql = if lock {
        "SELECT 1 FROM acs_devices WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT 1 FROM acs_devices WHERE id = $1"
    };
    Ok(query_opt(tx, sql, &[&device]).await?.is_some())
}

fn rpc_row(row: &Row) -> Result<RpcRow, StoreError> {
    Ok(RpcRow {
        id: row.try_get(0)?,
        device: row.try_get(1)?,
        state: row.try_get(2)?,
        request: row.try_get(3)?,
        attempts: row.try_get(4)?,
        instance: row.try_get(5)?,
        session: row.try_get(6)?,
        response: row.try_get(7)?,
        fault: row.try_get(8)?,
        queued_ms: row.try_get(9)?,
        finished_ms: row.try_get(10)?,
    })
}

fn device_row(row: &Row) -> Result<DeviceRow, StoreError> {
    Ok(DeviceRow {
        id: row.try_get(0)?,
        device_id: row.try_get(1)?,
        last_inform: row.try_get(2)?,
        last_events: row.try_get(3)?,
        cr_url: row.try_get(4)?,
        has_cr_credentials: row.try_get(5)?,
        auth_policy: row.try_get(6)?,
        first_seen_ms: row.try_get(7)?,
        last_inform_ms: row.try_get(8)?,
        sessions: row.try_get(9)?,
        sessions_completed: row.try_get(10)?,
        sessions_failed: row.try_get(11)?,
        pending: row.try_get(12)?,
    })
}

async fn get_rpc(
    tx: &Transaction<'_>,
    id: RpcId,
    lock: bool,
) -> Result<Option<RpcRow>, StoreError> {
    let sql = if lock {
        format!("SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE id = $1 FOR UPDATE")
    } else {
        format!("SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE id = $1")
    };
    query_opt(tx, &sql, &[&id])
        .await?
        .map(|r| rpc_row(&r))
        .transpose()
}

async fn requeue_row(
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
    execute(
        tx,
        "UPDATE acs_rpcs SET state = $2, finished_ms = $3 WHERE id = $1",
        &[&row.id, &state.as_str(), &finished],
    )
    .await?;
    history(tx, &row.device, row.session, Some(row.id), &event).await?;
    Ok(outcome)
}

async fn requeue_where(
    tx: &Transaction<'_>,
    options: &StoreOptions,
    condition: &str,
    arg: &(dyn ToSql + Sync),
    reason: AbandonReason,
) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
    let held = query(
        tx,
        &format!(
            "SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE state = 'in_flight' AND {condition} \
             ORDER BY id FOR UPDATE SKIP LOCKED"
        ),
        &[arg],
    )
    .await?;
    let mut out = Vec::with_capacity(held.len());
    for row in &held {
        let row = rpc_row(row)?;
        out.push((row.id, requeue_row(tx, options, &row, reason).await?));
    }
    Ok(out)
}

async fn upsert_parameters(
    tx: &Transaction<'_>,
    device: &str,
    parameters: Vec<(String, String, String)>,
    now: i64,
) -> Result<(), StoreError> {
    if parameters.is_empty() {
        return Ok(());
    }
    let mut names = Vec::with_capacity(parameters.len());
    let mut types = Vec::with_capacity(parameters.len());
    let mut values = Vec::with_capacity(parameters.len());
    for (n, t, v) in parameters {
        names.push(n);
        types.push(t);
        values.push(v);
    }
    // One statement for the whole list; a name given twice keeps its last value.
    execute(
        tx,
        "INSERT INTO acs_parameters (device, name, type, value, updated_ms) \
         SELECT DISTINCT ON (p.name) $1, p.name, p.type, p.value, $5 \
         FROM UNNEST($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS p(name, type, value, n) \
         ORDER BY p.name, p.n DESC \
         ON CONFLICT (device, name) DO UPDATE SET type = excluded.type, \
         value = excluded.value, updated_ms = excluded.updated_ms",
        &[&device, &names, &types, &values, &now],
    )
    .await?;
    Ok(())
}

impl AcsStore for PgStore {
    async fn record_inform(
        &self,
        device: &str,
        inform: &Inform<'_>,
        _instance: &str,
    ) -> Result<RecordedInform, StoreError> {
        let row = InformRow::new(inform)?;
        let event = if inform.events.is_empty() {
            HistoryEvent::InformWithoutEvent
        } else {
            HistoryEvent::Inform {
                events: inform
                    .events
                    .iter()
                    .map(|e| e.code.as_str().to_owned())
                    .collect(),
            }
        };
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let now = now_ms();
        let inserted = query_opt(
            &tx,
            "INSERT INTO acs_devices (id, device_id, last_inform, last_events, cr_url, \
             first_seen_ms, last_inform_ms) VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            &[
                &device,
                &row.device_id,
                &row.last_inform,
                &row.last_events,
                &row.cr_url,
                &now,
            ],
        )
        .await?;
        let session_row = query_opt(
            &tx,
            "UPDATE acs_devices SET device_id = $2, last_inform = $3, last_events = $4, \
             cr_url = COALESCE($5, cr_url), last_inform_ms = $6, sessions = sessions + 1 \
             WHERE id = $1 RETURNING sessions",
            &[
                &device,
                &row.device_id,
                &row.last_inform,
                &row.last_events,
                &row.cr_url,
                &now,
            ],
        )
        .await?
        .ok_or_else(|| StoreError::UnknownDevice(device.to_owned()))?;
        let session: i64 = session_row.try_get(0)?;
        upsert_parameters(&tx, device, row.parameters, now).await?;
        history(&tx, device, Some(session), None, &event).await?;
        tx.commit().await?;
        Ok(RecordedInform {
            session,
            new_device: inserted.is_some(),
        })
    }

    async fn record_parameters(
        &self,
        device: &str,
        parameters: &[ParameterValue<'_>],
    ) -> Result<(), StoreError> {
        let params = rows::parameter_rows(parameters);
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !device_exists(&tx, device, false).await? {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        upsert_parameters(&tx, device, params, now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn parameters(&self, device: &str) -> Result<Vec<ParameterValue<'static>>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let rows = query(
            &tx,
            "SELECT name, type, value FROM acs_parameters WHERE device = $1 ORDER BY name",
            &[&device],
        )
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(rows::parameter(
                    r.try_get(0)?,
                    r.try_get::<_, &str>(1)?,
                    r.try_get(2)?,
                ))
            })
            .collect()
    }

    async fn device(&self, device: &str) -> Result<Option<Device>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let row = query_opt(
            &tx,
            &format!("SELECT {DEVICE_COLUMNS} FROM acs_devices d WHERE d.id = $1"),
            &[&device],
        )
        .await?;
        tx.commit().await?;
        row.map(|r| device_row(&r)?.into_device()).transpose()
    }

    async fn devices(&self, after: Option<&str>, limit: u32) -> Result<DevicePage, StoreError> {
        let limit = clamp_limit(limit);
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let rows = query(
            &tx,
            &format!(
                "SELECT {DEVICE_COLUMNS} FROM acs_devices d \
                 WHERE $1::text IS NULL OR d.id > $1 ORDER BY d.id LIMIT $2"
            ),
            &[&after, &(i64::from(limit) + 1)],
        )
        .await?;
        tx.commit().await?;
        let mut devices = rows
            .iter()
            .map(|r| device_row(r)?.into_device())
            .collect::<Result<Vec<_>, _>>()?;
        let next = if devices.len() > limit as usize {
            devices.truncate(limit as usize);
            devices.last().map(|d| d.id.clone())
        } else {
            None
        };
        Ok(DevicePage { devices, next })
    }

    async fn set_cr_credentials(
        &self,
        device: &str,
        credentials: Option<CrCredentials>,
    ) -> Result<(), StoreError> {
        let (u, p) = match credentials {
            Some(c) => (Some(c.username), Some(c.password)),
            None => (None, None),
        };
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let n = execute(
            &tx,
            "UPDATE acs_devices SET cr_username = $2, cr_password = $3 WHERE id = $1",
            &[&device, &u, &p],
        )
        .await?;
        if n == 0 {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn cr_target(&self, device: &str) -> Result<Option<CrTarget>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let row = query_opt(
            &tx,
            "SELECT cr_url, cr_username, cr_password FROM acs_devices WHERE id = $1",
            &[&device],
        )
        .await?;
        tx.commit().await?;
        let Some(row) = row else {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        };
        let url: Option<String> = row.try_get(0)?;
        let u: Option<String> = row.try_get(1)?;
        let p: Option<String> = row.try_get(2)?;
        Ok(url.map(|url| CrTarget {
            url,
            credentials: match (u, p) {
                (Some(username), Some(password)) => Some(CrCredentials { username, password }),
                _ => None,
            },
        }))
    }

    async fn set_auth_policy(
        &self,
        device: &str,
        policy: Option<AuthPolicy>,
    ) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let n = execute(
            &tx,
            "UPDATE acs_devices SET auth_policy = $2 WHERE id = $1",
            &[&device, &policy.map(AuthPolicy::as_str)],
        )
        .await?;
        if n == 0 {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn enqueue(&self, device: &str, requests: &[Body<'_>]) -> Result<Vec<RpcId>, StoreError> {
        let encoded = requests
            .iter()
            .map(rows::queued_request)
            .collect::<Result<Vec<_>, _>>()?;
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // Locking the device's row serialises enqueues of one device across instances.
        if !device_exists(&tx, device, true).await? {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        let pending: i64 = query_opt(
            &tx,
            "SELECT COUNT(*) FROM acs_rpcs WHERE device = $1 AND state IN ('queued', 'in_flight')",
            &[&device],
        )
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or(0);
        let count = i64::try_from(encoded.len()).unwrap_or(i64::MAX);
        if pending.saturating_add(count) > i64::from(self.options.queue_limit) {
            return Err(StoreError::QueueFull {
                device: device.to_owned(),
                limit: self.options.queue_limit,
            });
        }
        let now = now_ms();
        let mut ids = Vec::with_capacity(encoded.len());
        for (request, event) in &encoded {
            let row = query_opt(
                &tx,
                "INSERT INTO acs_rpcs (device, state, request, queued_ms) \
                 VALUES ($1, 'queued', $2, $3) RETURNING id",
                &[&device, request, &now],
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                what: "INSERT … RETURNING returned no row".into(),
            })?;
            let id: i64 = row.try_get(0)?;
            execute(
                &tx,
                "INSERT INTO acs_history (device, at_ms, session, rpc, kind, detail) \
                 VALUES ($1, $2, NULL, $3, 'queued', $4)",
                &[&device, &now, &id, event],
            )
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn claim_next(
        &self,
        device: &str,
        session: &SessionRef,
    ) -> Result<Option<ClaimedRpc>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let row = query_opt(
            &tx,
            "UPDATE acs_rpcs SET state = 'in_flight', attempts = attempts + 1, instance = $2, \
             session = $3 WHERE id = (SELECT id FROM acs_rpcs WHERE device = $1 \
             AND state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, attempts, request",
            &[&device, &session.instance, &session.session],
        )
        .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        let id: i64 = row.try_get(0)?;
        let attempt = rows::attempts(row.try_get(1)?);
        let request: Body<'static> = serde_json::from_str(row.try_get::<_, &str>(2)?)?;
        let event = HistoryEvent::Sent {
            method: request.name().to_owned(),
            attempt,
        };
        history(&tx, device, Some(session.session), Some(id), &event).await?;
        tx.commit().await?;
        Ok(Some(ClaimedRpc {
            id,
            attempt,
            request,
        }))
    }

    async fn complete(
        &self,
        id: RpcId,
        attempt: u32,
        outcome: &Outcome<'_>,
    ) -> Result<(), StoreError> {
        let (new_state, response, fault) = rows::outcome_columns(outcome)?;
        let summary = rows::OutcomeSummary::new(outcome);
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let Some(row) = get_rpc(&tx, id, true).await? else {
            return Err(StoreError::UnknownRpc(id));
        };
        let state = rows::parse_state(id, &row.state)?;
        if state != RpcState::InFlight || rows::attempts(row.attempts) != attempt {
            return Err(StoreError::NotInFlight { id, attempt, state });
        }
        execute(
            &tx,
            "UPDATE acs_rpcs SET state = $2, response = $3, fault = $4, finished_ms = $5 \
             WHERE id = $1",
            &[&id, &new_state.as_str(), &response, &fault, &now_ms()],
        )
        .await?;
        let event = summary.event(&row.request)?;
        history(&tx, &row.device, row.session, Some(id), &event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn requeue(
        &self,
        id: RpcId,
        attempt: u32,
        reason: AbandonReason,
    ) -> Result<RequeueOutcome, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let Some(row) = get_rpc(&tx, id, true).await? else {
            return Err(StoreError::UnknownRpc(id));
        };
        let state = rows::parse_state(id, &row.state)?;
        if state != RpcState::InFlight || rows::attempts(row.attempts) != attempt {
            return Err(StoreError::NotInFlight { id, attempt, state });
        }
        let outcome = requeue_row(&tx, &self.options, &row, reason).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn recover_instance(
        &self,
        instance: &str,
    ) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let out = requeue_where(
            &tx,
            &self.options,
            "instance = $1",
            &instance,
            AbandonReason::InstanceRestarted,
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn heartbeat(&self, instance: &str, now_ms: i64) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        execute(
            &tx,
            "INSERT INTO acs_instances (id, heartbeat_ms) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms",
            &[&instance, &now_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn recover_stale(
        &self,
        stale_before_ms: i64,
    ) -> Result<Vec<(RpcId, RequeueOutcome)>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let out = requeue_where(
            &tx,
            &self.options,
            "instance IN (SELECT id FROM acs_instances WHERE heartbeat_ms < $1)",
            &stale_before_ms,
            AbandonReason::InstanceLost,
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn cancel(&self, device: &str, id: RpcId) -> Result<RpcRecord, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !device_exists(&tx, device, false).await? {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        let row = match get_rpc(&tx, id, true).await? {
            Some(row) if row.device == device => row,
            _ => return Err(StoreError::UnknownRpc(id)),
        };
        let state = rows::parse_state(id, &row.state)?;
        if state != RpcState::Queued {
            return Err(StoreError::NotQueued { id, state });
        }
        execute(
            &tx,
            "UPDATE acs_rpcs SET state = 'cancelled', finished_ms = $2 WHERE id = $1",
            &[&id, &now_ms()],
        )
        .await?;
        let mut record = row.into_record()?;
        let event = HistoryEvent::Cancelled {
            method: record.request.name().to_owned(),
        };
        history(&tx, device, None, Some(id), &event).await?;
        tx.commit().await?;
        record.state = RpcState::Cancelled;
        Ok(record)
    }

    async fn rpc(&self, id: RpcId) -> Result<Option<RpcRecord>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let row = get_rpc(&tx, id, false).await?;
        tx.commit().await?;
        row.map(RpcRow::into_record).transpose()
    }

    async fn pending(&self, device: &str) -> Result<Vec<RpcRecord>, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let rows = query(
            &tx,
            &format!(
                "SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE device = $1 \
                 AND state IN ('queued', 'in_flight') ORDER BY id"
            ),
            &[&device],
        )
        .await?;
        tx.commit().await?;
        rows.iter().map(|r| rpc_row(r)?.into_record()).collect()
    }

    async fn finished(
        &self,
        device: &str,
        after: Option<RpcId>,
        limit: u32,
    ) -> Result<Vec<RpcRecord>, StoreError> {
        let limit = clamp_limit(limit);
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let rows = query(
            &tx,
            &format!(
                "SELECT {RPC_COLUMNS} FROM acs_rpcs WHERE device = $1 \
                 AND state NOT IN ('queued', 'in_flight') AND id > $2 ORDER BY id LIMIT $3"
            ),
            &[&device, &after.unwrap_or(0), &i64::from(limit)],
        )
        .await?;
        tx.commit().await?;
        rows.iter().map(|r| rpc_row(r)?.into_record()).collect()
    }

    async fn add_history(
        &self,
        device: &str,
        session: Option<i64>,
        rpc: Option<RpcId>,
        event: &HistoryEvent,
    ) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !device_exists(&tx, device, false).await? {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        history(&tx, device, session, rpc, event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn history(
        &self,
        device: &str,
        after: Option<i64>,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        let limit = clamp_limit(limit);
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !device_exists(&tx, device, false).await? {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        let rows = query(
            &tx,
            "SELECT id, at_ms, session, rpc, detail FROM acs_history \
             WHERE device = $1 AND id > $2 ORDER BY id LIMIT $3",
            &[&device, &after.unwrap_or(0), &(i64::from(limit) + 1)],
        )
        .await?;
        tx.commit().await?;
        let mut entries = rows
            .iter()
            .map(|r| {
                rows::history_entry(
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get::<_, &str>(4)?,
                )
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let next = if entries.len() > limit as usize {
            entries.truncate(limit as usize);
            entries.last().map(|e| e.id)
        } else {
            None
        };
        Ok(HistoryPage { entries, next })
    }

    async fn record_session_end(
        &self,
        device: &str,
        session: i64,
        failure: Option<&str>,
    ) -> Result<(), StoreError> {
        let sql = if failure.is_some() {
            "UPDATE acs_devices SET sessions_failed = sessions_failed + 1 WHERE id = $1"
        } else {
            "UPDATE acs_devices SET sessions_completed = sessions_completed + 1 WHERE id = $1"
        };
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if execute(&tx, sql, &[&device]).await? == 0 {
            return Err(StoreError::UnknownDevice(device.to_owned()));
        }
        let event = HistoryEvent::SessionEnded {
            failure: failure.map(str::to_owned),
        };
        history(&tx, device, Some(session), None, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn shared_secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = format!("secret:{name}");
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        execute(
            &tx,
            "INSERT INTO acs_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &[&key, &candidate],
        )
        .await?;
        let row = query_opt(&tx, "SELECT value FROM acs_meta WHERE key = $1", &[&key])
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                what: format!("secret {name:?} vanished"),
            })?;
        tx.commit().await?;
        Ok(row.try_get(0)?)
    }
}
