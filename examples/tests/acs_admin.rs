//! The admin API over a real (in-memory SQLite) store: each client mistake gets its 4xx status
//! and JSON error code, never a 500.

#[path = "support/store_suite.rs"]
mod suite;

use std::sync::Mutex;

use cwmp_examples::acs_admin::{AdminError, AdminHooks, AdminReply, handle};
use cwmp_examples::acs_store::{AcsStore, SqliteStore, StoreOptions};
use http::{Method, StatusCode};
use serde_json::json;

#[derive(Default)]
struct Hooks {
    queued: Mutex<Vec<String>>,
}

impl AdminHooks for Hooks {
    async fn connection_request(&self, device: &str) -> Result<&'static str, AdminError> {
        Err(AdminError {
            status: StatusCode::CONFLICT,
            code: "no_connection_request_url",
            message: format!("{device} reported no URL"),
        })
    }
    fn queued(&self, device: &str) {
        self.queued.lock().unwrap().push(device.to_owned());
    }
}

async fn setup() -> (SqliteStore, Hooks) {
    let store = SqliteStore::in_memory(StoreOptions {
        queue_limit: 2,
        ..StoreOptions::default()
    })
    .unwrap();
    for i in 0..3 {
        store
            .record_inform(
                &format!("dev-{i}"),
                &suite::inform(&format!("S{i}"), &["1 BOOT"], &[]),
                "a",
            )
            .await
            .unwrap();
    }
    (store, Hooks::default())
}

async fn call(
    s: &SqliteStore,
    h: &Hooks,
    method: Method,
    path_and_query: &str,
    body: &str,
) -> AdminReply {
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    handle(s, h, &method, path, query, body.as_bytes()).await
}

fn code(r: &AdminReply) -> &str {
    r.body["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn client_mistakes_get_4xx_json_errors() {
    let (s, h) = setup().await;
    let cases: &[(Method, &str, &str, StatusCode, &str)] = &[
        (
            Method::POST,
            "/admin/devices/dev-0/queue",
            "{\"Get",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            Method::POST,
            "/admin/devices/dev-0/queue",
            "{\"NoSuchRpc\":{}}",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_rpc_form",
        ),
        (
            Method::POST,
            "/admin/devices/dev-0/queue",
            "[\"frobnicate:x\"]",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_rpc_form",
        ),
        (
            Method::POST,
            "/admin/devices/dev-0/queue",
            "[]",
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
        ),
        (
            Method::POST,
            "/admin/devices/nobody/queue",
            "[\"gpv:Device.\"]",
            StatusCode::NOT_FOUND,
            "unknown_device",
        ),
        (
            Method::POST,
            "/admin/devices/dev-0/queue",
            "[\"gpv:A.\",\"gpv:B.\",\"gpv:C.\"]",
            StatusCode::CONFLICT,
            "queue_full",
        ),
        (
            Method::GET,
            "/admin/devices/nobody",
            "",
            StatusCode::NOT_FOUND,
            "unknown_device",
        ),
        (
            Method::GET,
            "/admin/devices/nobody/history",
            "",
            StatusCode::NOT_FOUND,
            "unknown_device",
        ),
        (
            Method::GET,
            "/admin/devices/nobody/queue",
            "",
            StatusCode::NOT_FOUND,
            "unknown_device",
        ),
        (
            Method::GET,
            "/admin/devices?limit=zero",
            "",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            Method::GET,
            "/admin/devices/dev-0/history?after=x",
            "",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            Method::DELETE,
            "/admin/devices/dev-0/queue/abc",
            "",
            StatusCode::NOT_FOUND,
            "unknown_rpc",
        ),
        (
            Method::DELETE,
            "/admin/devices/dev-0/queue/999",
            "",
            StatusCode::NOT_FOUND,
            "unknown_rpc",
        ),
        (
            Method::GET,
            "/admin/rpcs/999",
            "",
            StatusCode::NOT_FOUND,
            "unknown_rpc",
        ),
        (
            Method::PUT,
            "/admin/devices/dev-0/auth-policy",
            "{\"policy\":\"kerberos\"}",
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_body",
        ),
        (
            Method::PUT,
            "/admin/devices/dev-0/auth-policy",
            "not json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            Method::PUT,
            "/admin/devices/nobody/auth-policy",
            "{\"policy\":\"basic\"}",
            StatusCode::NOT_FOUND,
            "unknown_device",
        ),
        (
            Method::PATCH,
            "/admin/devices",
            "",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::GET,
            "/admin/nothing",
            "",
            StatusCode::NOT_FOUND,
            "no_endpoint",
        ),
        (
            Method::POST,
            "/admin/devices/dev-0/connection-request",
            "",
            StatusCode::CONFLICT,
            "no_connection_request_url",
        ),
    ];
    for (method, path, body, status, expected) in cases {
        let r = call(&s, &h, method.clone(), path, body).await;
        assert_eq!(
            (r.status, code(&r)),
            (*status, *expected),
            "{method} {path} {body}: {}",
            r.body
        );
        assert!(
            r.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    // Nothing was queued by the failed calls.
    assert!(s.pending("dev-0").await.unwrap().is_empty());
    assert!(h.queued.lock().unwrap().is_empty());
}

#[tokio::test]
async fn queue_list_cancel_history_and_paging() {
    let (s, h) = setup().await;
    let r = call(
        &s,
        &h,
        Method::POST,
        "/admin/devices/dev-1/queue",
        r#"["gpv:Device.DeviceInfo.", {"Reboot": {"command_key": "k"}}]"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ids: Vec<i64> = serde_json::from_value(r.body["queued"].clone()).unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(*h.queued.lock().unwrap(), vec!["dev-1".to_owned()]);

    let q = call(&s, &h, Method::GET, "/admin/devices/dev-1/queue", "").await;
    assert_eq!(q.body.as_array().unwrap().len(), 2);
    assert_eq!(
        q.body[1]["request"],
        json!({"Reboot": {"command_key": "k"}})
    );

    let c = call(
        &s,
        &h,
        Method::DELETE,
        &format!("/admin/devices/dev-1/queue/{}", ids[1]),
        "",
    )
    .await;
    assert_eq!(
        (c.status, c.body["state"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let again = call(
        &s,
        &h,
        Method::DELETE,
        &format!("/admin/devices/dev-1/queue/{}", ids[1]),
        "",
    )
    .await;
    assert_eq!(
        (again.status, code(&again)),
        (StatusCode::CONFLICT, "not_queued")
    );
    // Another device's RPC is unknown to this device.
    let other = call(
        &s,
        &h,
        Method::DELETE,
        &format!("/admin/devices/dev-2/queue/{}", ids[0]),
        "",
    )
    .await;
    assert_eq!(
        (other.status, code(&other)),
        (StatusCode::NOT_FOUND, "unknown_rpc")
    );

    let p1 = call(&s, &h, Method::GET, "/admin/devices?limit=2", "").await;
    assert_eq!(p1.body["devices"].as_array().unwrap().len(), 2);
    assert_eq!(p1.body["next"], json!("dev-1"));
    let p2 = call(
        &s,
        &h,
        Method::GET,
        "/admin/devices?limit=2&after=dev-1",
        "",
    )
    .await;
    assert_eq!(p2.body["devices"][0]["id"], json!("dev-2"));
    assert_eq!(p2.body["next"], json!(null));

    let hist = call(&s, &h, Method::GET, "/admin/devices/dev-1/history", "").await;
    let kinds: Vec<&str> = hist.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["inform", "queued", "queued", "cancelled"]);

    let pol = call(
        &s,
        &h,
        Method::PUT,
        "/admin/devices/dev-1/auth-policy",
        r#"{"policy":"basic"}"#,
    )
    .await;
    assert_eq!(pol.status, StatusCode::OK);
    let d = call(&s, &h, Method::GET, "/admin/devices/dev-1", "").await;
    assert_eq!(d.body["auth_policy"], json!("basic"));
    assert_eq!(d.body["pending"], json!(1));
    let cr = call(
        &s,
        &h,
        Method::PUT,
        "/admin/devices/dev-1/connection-request-credentials",
        r#"{"username":"u","password":"p"}"#,
    )
    .await;
    assert_eq!(cr.status, StatusCode::OK);
    let d = call(&s, &h, Method::GET, "/admin/devices/dev-1", "").await;
    assert_eq!(d.body["has_cr_credentials"], json!(true));
    assert!(
        !d.body.to_string().contains("\"p\""),
        "passwords are never listed"
    );
}
