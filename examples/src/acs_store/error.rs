//! The store's error type.

use super::types::{RpcId, RpcState};

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No device with this id has informed.
    #[error("unknown device {0:?}")]
    UnknownDevice(String),
    /// No RPC with this id (for this device).
    #[error("unknown RPC {0}")]
    UnknownRpc(RpcId),
    /// The device's queue holds `limit` RPCs already.
    #[error("the queue of {device:?} is full ({limit} RPCs)")]
    QueueFull {
        /// The device.
        device: String,
        /// The limit.
        limit: u32,
    },
    /// The RPC is not queued (it is in flight or finished), so it cannot be cancelled.
    #[error("RPC {id} is {state}, not queued")]
    NotQueued {
        /// The RPC.
        id: RpcId,
        /// Where it is.
        state: RpcState,
    },
    /// This claim of the RPC is no longer in flight (already completed, put back, or claimed
    /// again since).
    #[error("RPC {id} attempt {attempt} is not in flight (it is {state})")]
    NotInFlight {
        /// The RPC.
        id: RpcId,
        /// The claim.
        attempt: u32,
        /// Where the RPC is.
        state: RpcState,
    },
    /// A request that is not one an ACS sends was given to enqueue.
    #[error("{0} is not a request an ACS sends")]
    NotAnAcsRequest(String),
    /// A stored value could not be read back.
    #[error("corrupt store: {what}")]
    Corrupt {
        /// What could not be read.
        what: String,
    },
    /// JSON encoding or decoding of a stored message.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// SQLite.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// The PostgreSQL connection pool.
    #[error("PostgreSQL pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// The PostgreSQL pool could not be built.
    #[error("PostgreSQL pool settings: {0}")]
    PoolBuild(#[from] deadpool_postgres::BuildError),
    /// A PostgreSQL schema name that is not a plain lower-case identifier.
    #[error("invalid PostgreSQL schema name {0:?} (use [a-z_][a-z0-9_]*)")]
    InvalidSchema(String),
    /// The store's worker thread is gone.
    #[error("the store is closed")]
    Closed,
}

impl StoreError {
    /// Whether the caller is at fault (unknown device or RPC, full queue, wrong state), as
    /// opposed to the store failing.
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            StoreError::UnknownDevice(_)
                | StoreError::UnknownRpc(_)
                | StoreError::QueueFull { .. }
                | StoreError::NotQueued { .. }
                | StoreError::NotInFlight { .. }
                | StoreError::NotAnAcsRequest(_)
        )
    }
}
