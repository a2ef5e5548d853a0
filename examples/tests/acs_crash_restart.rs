//! The reference ACS killed with SIGKILL in the middle of a session and restarted on the same
//! SQLite file: every queued RPC is still queued or completed exactly once, no result is lost,
//! the device is known, and the RPC that was in flight goes back to the head of the queue with
//! its attempt count and a history entry.

#[path = "support/raw_cpe.rs"]
mod raw_cpe;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use raw_cpe::{RawCpe, as_gpv, device_key, gpv_response, inform};
use serde_json::{Value, json};

struct Acs {
    child: Child,
    addr: String,
}

impl Drop for Acs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, store: &str, instance: &str, log_name: &str) -> Acs {
    let port_file = dir.join(format!("{log_name}.port"));
    let _ = std::fs::remove_file(&port_file);
    let log = std::fs::File::create(dir.join(format!("{log_name}.log"))).unwrap();
    let mut acs = Acs {
        child: Command::new(env!("CARGO_BIN_EXE_acs"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--user",
                "cpe:s3cret",
                "--log",
                "debug",
            ])
            .args([
                "--store",
                store,
                "--instance",
                instance,
                "--max-runtime",
                "120",
            ])
            .arg("--port-file")
            .arg(&port_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
        addr: String::new(),
    };
    for _ in 0..200 {
        if let Ok(p) = std::fs::read_to_string(&port_file) {
            if !p.is_empty() {
                acs.addr = format!("127.0.0.1:{}", p.trim());
                return acs;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "acs did not start: {}",
        std::fs::read_to_string(dir.join(format!("{log_name}.log"))).unwrap_or_default()
    );
}

async fn admin(addr: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    use http_body_util::{BodyExt, Full};
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let req = http::Request::builder()
        .method(method)
        .uri(path)
        .header("Host", addr)
        .header("Content-Type", "application/json")
        .body(Full::new(bytes::Bytes::from(
            body.map(|b| b.to_string()).unwrap_or_default(),
        )))
        .unwrap();
    let resp = sender.send_request(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// One full session: Inform, empty POST, answer every GPV with `value`. Returns the names of
/// the GPVs answered, in order.
pub async fn session(cpe: &mut RawCpe, serial: &str, event: &str, value: &str) -> Vec<String> {
    let mut answered = Vec::new();
    let r = cpe
        .exchange(&inform(serial, &[event], "http://127.0.0.1:9/cr"))
        .await
        .unwrap();
    assert!(matches!(
        r.as_ref().map(|e| e.body.name()),
        Some("InformResponse")
    ));
    let mut next = cpe.exchange("").await.unwrap();
    while let Some(env) = next {
        let (id, names) = as_gpv(&env).expect("only GPVs are queued");
        answered.push(names[0].clone());
        next = cpe
            .exchange(&gpv_response(&id, &names, value))
            .await
            .unwrap();
    }
    cpe.end_session();
    answered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_session_then_restart_loses_nothing() {
    let dir = std::env::temp_dir().join(format!("cwmp-acs-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("acs.sqlite");
    let store = store.to_str().unwrap();
    let dev = device_key("CRASH1");

    let mut acs = start(&dir, store, "acs-1", "first");
    let mut cpe = RawCpe::new(&acs.addr, "cpe", "s3cret");
    assert!(session(&mut cpe, "CRASH1", "1 BOOT", "v").await.is_empty());
    let (status, body) = admin(
        &acs.addr,
        "POST",
        &format!("/admin/devices/{dev}/queue"),
        Some(json!(["gpv:Device.A.", "gpv:Device.B.", "gpv:Device.C."])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let ids: Vec<i64> = serde_json::from_value(body["queued"].clone()).unwrap();

    // Session 2: A is answered, B is in flight when the ACS is killed.
    cpe.addr = acs.addr.clone();
    cpe.exchange(&inform("CRASH1", &["2 PERIODIC"], "http://127.0.0.1:9/cr"))
        .await
        .unwrap();
    let a = cpe.exchange("").await.unwrap().unwrap();
    let (a_id, a_names) = as_gpv(&a).unwrap();
    assert_eq!(a_names, vec!["Device.A.".to_owned()]);
    let b = cpe
        .exchange(&gpv_response(&a_id, &a_names, "before-crash"))
        .await
        .unwrap()
        .unwrap();
    let (b_id, b_names) = as_gpv(&b).unwrap();
    assert_eq!(b_names, vec!["Device.B.".to_owned()]);
    acs.child.kill().unwrap(); // SIGKILL
    acs.child.wait().unwrap();
    // The answer to B cannot reach the dead ACS.
    assert!(
        cpe.exchange(&gpv_response(&b_id, &b_names, "lost"))
            .await
            .is_err()
    );
    cpe.end_session();

    // Restart on the same file.
    let acs = start(&dir, store, "acs-1", "second");
    let (status, device) = admin(&acs.addr, "GET", &format!("/admin/devices/{dev}"), None).await;
    assert_eq!(
        status, 200,
        "the device is known after the restart: {device}"
    );
    assert_eq!(device["sessions"], json!(2));
    let (_, rpc_a) = admin(&acs.addr, "GET", &format!("/admin/rpcs/{}", ids[0]), None).await;
    assert_eq!(rpc_a["state"], json!("done"));
    assert_eq!(
        rpc_a["response"]["GetParameterValuesResponse"]["parameters"][0]["value"]["text"],
        json!("before-crash"),
        "{rpc_a}"
    );
    let (_, queue) = admin(
        &acs.addr,
        "GET",
        &format!("/admin/devices/{dev}/queue"),
        None,
    )
    .await;
    let queue = queue.as_array().unwrap().clone();
    assert_eq!(queue.len(), 2, "{queue:?}");
    assert_eq!(queue[0]["id"], json!(ids[1]), "B is back at the head");
    assert_eq!(queue[0]["state"], json!("queued"));
    assert_eq!(queue[0]["attempts"], json!(1));
    assert_eq!(queue[1]["id"], json!(ids[2]));

    // Session 3 on the new process: B then C.
    cpe.addr = acs.addr.clone();
    let answered = session(&mut cpe, "CRASH1", "2 PERIODIC", "after-restart").await;
    assert_eq!(
        answered,
        vec!["Device.B.".to_owned(), "Device.C.".to_owned()]
    );

    let (_, results) = admin(
        &acs.addr,
        "GET",
        &format!("/admin/devices/{dev}/results"),
        None,
    )
    .await;
    let results = results.as_array().unwrap();
    let done: Vec<(i64, &str)> = results
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        done,
        vec![(ids[0], "done"), (ids[1], "done"), (ids[2], "done")],
        "each completed exactly once"
    );
    assert_eq!(results[1]["attempts"], json!(2));
    let (_, queue) = admin(
        &acs.addr,
        "GET",
        &format!("/admin/devices/{dev}/queue"),
        None,
    )
    .await;
    assert_eq!(queue, json!([]));

    let (_, history) = admin(
        &acs.addr,
        "GET",
        &format!("/admin/devices/{dev}/history"),
        None,
    )
    .await;
    let entries = history["entries"].as_array().unwrap();
    let requeued: Vec<&Value> = entries
        .iter()
        .filter(|e| e["event"]["kind"] == json!("requeued"))
        .collect();
    assert_eq!(requeued.len(), 1, "{history}");
    assert_eq!(requeued[0]["rpc"], json!(ids[1]));
    assert_eq!(
        requeued[0]["session"],
        json!(2),
        "names the session that died"
    );
    assert_eq!(requeued[0]["event"]["reason"], json!("instance_restarted"));
    let answers = entries
        .iter()
        .filter(|e| e["event"]["kind"] == json!("answered"))
        .count();
    assert_eq!(answers, 3);
    drop(acs);
    let _ = std::fs::remove_dir_all(&dir);
}
