//! The reference ACS's JSON admin API over its store. Every answer is JSON; every mistake of
//! the client gets a 4xx status and `{"error": {"code": "...", "message": "..."}}`, never a 500
//! (500 is kept for the store failing).
//!
//! | Method and path | Does |
//! | --- | --- |
//! | `GET /admin/devices?after=ID&limit=N` | devices in id order, `next` for the next page |
//! | `GET /admin/devices/{id}` | one device |
//! | `GET /admin/devices/{id}/history?after=N&limit=N` | its history, oldest first |
//! | `GET /admin/devices/{id}/parameters` | the parameter values seen |
//! | `GET /admin/devices/{id}/queue` | its queued and in-flight RPCs |
//! | `POST /admin/devices/{id}/queue` | queue RPCs: a cwmp-core `Body`, a list, or short forms |
//! | `DELETE /admin/devices/{id}/queue/{rpc}` | cancel a queued RPC |
//! | `GET /admin/devices/{id}/results?after=N&limit=N` | its finished RPCs |
//! | `GET /admin/rpcs/{rpc}` | one RPC |
//! | `PUT /admin/devices/{id}/connection-request-credentials` | `{"username","password"}` or `null` |
//! | `PUT /admin/devices/{id}/auth-policy` | `{"policy": "digest"\|"basic"\|"none"\|null}` |
//! | `POST /admin/devices/{id}/connection-request` | send a Connection Request now |

use std::future::Future;

use cwmp_core::Body;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::acs_store::{AcsStore, AuthPolicy, CrCredentials, StoreError};

/// What the admin API answers.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminReply {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: Value,
}

/// A client mistake or a failure, with its status and code.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code (`malformed_json`, `unknown_device` …).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl AdminError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AdminError {
        AdminError {
            status,
            code,
            message: message.into(),
        }
    }

    /// The reply carrying this error.
    pub fn reply(&self) -> AdminReply {
        AdminReply {
            status: self.status,
            body: json!({ "error": { "code": self.code, "message": self.message } }),
        }
    }
}

impl From<StoreError> for AdminError {
    fn from(e: StoreError) -> AdminError {
        let (status, code) = match &e {
            StoreError::UnknownDevice(_) => (StatusCode::NOT_FOUND, "unknown_device"),
            StoreError::UnknownRpc(_) => (StatusCode::NOT_FOUND, "unknown_rpc"),
            StoreError::QueueFull { .. } => (StatusCode::CONFLICT, "queue_full"),
            StoreError::NotQueued { .. } => (StatusCode::CONFLICT, "not_queued"),
            StoreError::NotInFlight { .. } => (StatusCode::CONFLICT, "not_in_flight"),
            StoreError::NotAnAcsRequest(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "not_an_acs_request")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "store_error"),
        };
        AdminError::new(status, code, e.to_string())
    }
}

/// What the admin API needs from the running ACS besides the store.
pub trait AdminHooks: Send + Sync {
    /// Sends a Connection Request to a device; `Ok("accepted" | "busy")`.
    fn connection_request(
        &self,
        device: &str,
    ) -> impl Future<Output = Result<&'static str, AdminError>> + Send;

    /// RPCs were queued for a device (a session in progress may take them at once).
    fn queued(&self, device: &str);
}

/// Parses the body of `POST …/queue`: one cwmp-core serde `Body`, a list of them, or `--queue`
/// short forms as strings. Malformed JSON and JSON that is not a request are told apart.
pub fn parse_queue_body(bytes: &[u8]) -> Result<Vec<Body<'static>>, AdminError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        AdminError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("malformed JSON: {e}"),
        )
    })?;
    let items = match v {
        Value::Array(items) => items,
        one => vec![one],
    };
    if items.is_empty() {
        return Err(AdminError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
            "no RPC to queue",
        ));
    }
    items
        .into_iter()
        .map(|item| {
            match item {
                Value::String(s) => crate::rpcs::parse_short(&s),
                other => serde_json::from_value::<Body<'static>>(other)
                    .map_err(|e| format!("not a cwmp-core RPC: {e}")),
            }
            .map_err(|m| AdminError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_rpc_form", m))
        })
        .collect()
}

fn query_param<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn limit(query: Option<&str>) -> Result<u32, AdminError> {
    match query_param(query, "limit") {
        None => Ok(100),
        Some(v) => v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            AdminError::new(
                StatusCode::BAD_REQUEST,
                "bad_query",
                format!("limit must be a positive integer, not {v:?}"),
            )
        }),
    }
}

fn after_id(query: Option<&str>) -> Result<Option<i64>, AdminError> {
    match query_param(query, "after") {
        None | Some("") => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
            AdminError::new(
                StatusCode::BAD_REQUEST,
                "bad_query",
                format!("after must be an id, not {v:?}"),
            )
        }),
    }
}

fn rpc_id(text: &str) -> Result<i64, AdminError> {
    text.parse().map_err(|_| {
        AdminError::new(
            StatusCode::NOT_FOUND,
            "unknown_rpc",
            format!("no RPC {text:?}"),
        )
    })
}

fn ok(body: Value) -> Result<AdminReply, AdminError> {
    Ok(AdminReply {
        status: StatusCode::OK,
        body,
    })
}

fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, AdminError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        AdminError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("malformed JSON: {e}"),
        )
    })?;
    serde_json::from_value(v).map_err(|e| {
        AdminError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_body",
            format!("unexpected JSON: {e}"),
        )
    })
}

async fn must_exist<S: AcsStore>(store: &S, device: &str) -> Result<(), AdminError> {
    match store.device(device).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::UnknownDevice(device.to_owned()).into()),
    }
}

/// Answers one admin request (`path` without the query).
pub async fn handle<S: AcsStore, H: AdminHooks>(
    store: &S,
    hooks: &H,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> AdminReply {
    match route(store, hooks, method, path, query, body).await {
        Ok(r) => r,
        Err(e) => e.reply(),
    }
}

async fn route<S: AcsStore, H: AdminHooks>(
    store: &S,
    hooks: &H,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Result<AdminReply, AdminError> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, parts.as_slice()) {
        (&Method::GET, ["admin", "devices"]) => {
            let after = query_param(query, "after").filter(|a| !a.is_empty());
            let page = store.devices(after, limit(query)?).await?;
            ok(json!(page))
        }
        (&Method::GET, ["admin", "devices", id]) => match store.device(id).await? {
            Some(d) => ok(json!(d)),
            None => Err(StoreError::UnknownDevice((*id).to_owned()).into()),
        },
        (&Method::GET, ["admin", "devices", id, "history"]) => {
            let page = store.history(id, after_id(query)?, limit(query)?).await?;
            ok(json!(page))
        }
        (&Method::GET, ["admin", "devices", id, "parameters"]) => {
            must_exist(store, id).await?;
            ok(json!(store.parameters(id).await?))
        }
        (&Method::GET, ["admin", "devices", id, "queue"]) => {
            must_exist(store, id).await?;
            ok(json!(store.pending(id).await?))
        }
        (&Method::POST, ["admin", "devices", id, "queue"]) => {
            let bodies = parse_queue_body(body)?;
            let ids = store.enqueue(id, &bodies).await?;
            hooks.queued(id);
            ok(json!({ "queued": ids }))
        }
        (&Method::DELETE, ["admin", "devices", id, "queue", rpc]) => {
            let record = store.cancel(id, rpc_id(rpc)?).await?;
            ok(json!(record))
        }
        (&Method::GET, ["admin", "devices", id, "results"]) => {
            must_exist(store, id).await?;
            let after = after_id(query)?;
            ok(json!(store.finished(id, after, limit(query)?).await?))
        }
        (&Method::GET, ["admin", "rpcs", rpc]) => match store.rpc(rpc_id(rpc)?).await? {
            Some(r) => ok(json!(r)),
            None => Err(StoreError::UnknownRpc(rpc_id(rpc)?).into()),
        },
        (&Method::PUT, ["admin", "devices", id, "connection-request-credentials"]) => {
            let creds: Option<CrCredentials> = json_body(body)?;
            store.set_cr_credentials(id, creds).await?;
            ok(json!({ "ok": true }))
        }
        (&Method::PUT, ["admin", "devices", id, "auth-policy"]) => {
            #[derive(serde::Deserialize)]
            struct Policy {
                policy: Option<AuthPolicy>,
            }
            let p: Policy = json_body(body)?;
            store.set_auth_policy(id, p.policy).await?;
            ok(json!({ "ok": true }))
        }
        (&Method::POST, ["admin", "devices", id, "connection-request"]) => {
            let result = hooks.connection_request(id).await?;
            ok(json!({ "result": result }))
        }
        (_, ["admin", "devices"])
        | (_, ["admin", "devices", _])
        | (
            _,
            [
                "admin",
                "devices",
                _,
                "history" | "parameters" | "results" | "queue",
            ],
        )
        | (_, ["admin", "devices", _, "queue", _])
        | (_, ["admin", "rpcs", _])
        | (
            _,
            [
                "admin",
                "devices",
                _,
                "connection-request-credentials" | "auth-policy",
            ],
        )
        | (_, ["admin", "devices", _, "connection-request"]) => Err(AdminError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{method} is not allowed on {path}"),
        )),
        _ => Err(AdminError::new(
            StatusCode::NOT_FOUND,
            "no_endpoint",
            format!("no admin endpoint {path}"),
        )),
    }
}
