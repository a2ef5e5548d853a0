//! The ACS and the CPE over loopback, in process: a wrong password gets 401 and no session;
//! the admin API queues RPCs and sends connection requests over HTTP.

use std::time::Duration;

use bytes::Bytes;
use cwmp_auth::digest::Users;
use cwmp_examples::acs::{self, Acs};
use cwmp_examples::cpe::{Agent, Config, Summary};
use cwmp_examples::net::{self, Client, HttpUrl};
use cwmp_examples::store::DataModel;
use http::{Method, Request, StatusCode};

async fn start_acs() -> (Acs, String, tokio::sync::oneshot::Sender<()>) {
    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe", "right"),
        cr_username: "acs".into(),
        cr_password: "cr-pass".into(),
        ..acs::Config::default()
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(acs.clone().serve(listener, async {
        let _ = rx.await;
    }));
    (acs, url, tx)
}

fn cpe_config(acs_url: &str, password: &str, max_sessions: u32) -> Config {
    Config {
        acs_url: format!("{acs_url}/cwmp"),
        username: "cpe".into(),
        password: password.into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().unwrap(),
        cr_path: "/cr".into(),
        cr_username: "acs".into(),
        cr_password: "cr-pass".into(),
        model: DataModel::builtin(),
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: Some(max_sessions),
        tls: None,
        cr_tls: None,
    }
}

async fn run_for(agent: Agent, secs: u64) -> Summary {
    agent
        .run(tokio::time::sleep(Duration::from_secs(secs)))
        .await
}

async fn http(url: &str, method: Method, body: &str) -> (StatusCode, serde_json::Value) {
    let u = HttpUrl::parse(url).unwrap();
    let mut c = Client::connect(&u).await.unwrap();
    let req = Request::builder()
        .method(method)
        .uri(u.path.as_str())
        .header("host", u.authority())
        .body(net::Body::new(Bytes::from(body.to_owned())))
        .unwrap();
    let resp = c.send(req).await.unwrap();
    let json = serde_json::from_slice(resp.body()).unwrap_or(serde_json::Value::Null);
    (resp.status(), json)
}

#[tokio::test]
async fn wrong_password_gets_401_and_no_session() {
    let (acs, url, stop) = start_acs().await;
    let agent = Agent::bind(cpe_config(&url, "wrong", 1)).await.unwrap();
    let summary = run_for(agent, 2).await;
    assert_eq!(summary.completed, 0);
    assert!(summary.failed >= 1, "{summary:?}");
    assert!(
        acs.devices().await.is_empty(),
        "no Inform may reach the engine"
    );
    let (status, devices) = http(&format!("{url}/admin/devices"), Method::GET, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(devices["devices"], serde_json::json!([]));
    // A POST without credentials is challenged, not served.
    let u = HttpUrl::parse(&format!("{url}/cwmp")).unwrap();
    let mut c = Client::connect(&u).await.unwrap();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/cwmp")
        .header("host", u.authority())
        .body(net::Body::new(Bytes::from_static(b"<x/>")))
        .unwrap();
    let resp = c.send(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(
        resp.headers()
            .get_all("www-authenticate")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("Digest "))
    );
    let _ = stop.send(());
}

#[tokio::test]
async fn admin_api_queues_and_connection_request_triggers_a_session() {
    let (acs, url, stop) = start_acs().await;
    let agent = Agent::bind(cpe_config(&url, "right", 2)).await.unwrap();
    let cpe = tokio::spawn(run_for(agent, 15));
    assert!(
        acs.wait_for(Duration::from_secs(10), |d| d
            .iter()
            .any(|d| d.sessions_completed == 1))
            .await
    );
    let (_, devices) = http(&format!("{url}/admin/devices"), Method::GET, "").await;
    let id = devices["devices"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(id, "00256D-HGW-1-ACME0001");
    let body = r#"[{"GetParameterValues":{"parameter_names":["Device.WiFi.SSID.1.SSID"]}},
                   "spv:Device.WiFi.SSID.1.SSID=lab",
                   {"DeleteObject":{"object_name":"Device.IP.Interface.7.","parameter_key":"d"}}]"#;
    let (status, queued) = http(
        &format!("{url}/admin/devices/{id}/queue"),
        Method::POST,
        body,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{queued}");
    assert_eq!(queued["queued"].as_array().unwrap().len(), 3);
    let (status, bad) = http(
        &format!("{url}/admin/devices/{id}/queue"),
        Method::POST,
        "{",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["error"]["code"], "malformed_json");
    let mut result = serde_json::Value::Null;
    for _ in 0..20 {
        let (status, r) = http(
            &format!("{url}/admin/devices/{id}/connection-request"),
            Method::POST,
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        result = r;
        if result["result"] == "accepted" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(result["result"], "accepted");
    let summary = cpe.await.unwrap();
    assert_eq!(summary.completed, 2);
    assert_eq!(summary.connection_requests, 1);
    let (_, dev) = http(&format!("{url}/admin/devices/{id}"), Method::GET, "").await;
    assert_eq!(
        dev["last_events"],
        serde_json::json!(["6 CONNECTION REQUEST"])
    );
    let (_, results) = http(
        &format!("{url}/admin/devices/{id}/results"),
        Method::GET,
        "",
    )
    .await;
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 3, "{results:?}");
    let gpv = &results[0]["response"]["GetParameterValuesResponse"]["parameters"][0];
    assert_eq!(gpv["name"], "Device.WiFi.SSID.1.SSID");
    assert_eq!(gpv["value"]["text"], "acme-home");
    assert_eq!(
        results[1]["response"]["SetParameterValuesResponse"]["status"],
        0
    );
    assert_eq!(results[2]["fault"]["code"], 9005, "{}", results[2]);
    let _ = stop.send(());
}
