//! Two reference ACS processes sharing one real PostgreSQL serve the same devices: queued
//! work, results and connection requests are visible from either instance, and a digest nonce
//! issued by one is accepted by the other.
//!
//! `#[ignore]`d in a plain `cargo test`: `.ci/steps/33-postgres.sh` runs it with `--ignored`
//! and `CWMP_TEST_PG_URL` set; without the variable it fails.

#[path = "support/raw_cpe.rs"]
mod raw_cpe;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use raw_cpe::{RawCpe, as_gpv, device_key, gpv_response, inform};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

fn start(dir: &Path, url: &str, schema: &str, instance: &str) -> Acs {
    let port_file = dir.join(format!("{instance}.port"));
    let log = std::fs::File::create(dir.join(format!("{instance}.log"))).unwrap();
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
                url,
                "--store-schema",
                schema,
                "--instance",
                instance,
            ])
            .args(["--cr-user", "cr-user:cr-pass", "--max-runtime", "120"])
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
        "acs {instance} did not start: {}",
        std::fs::read_to_string(dir.join(format!("{instance}.log"))).unwrap_or_default()
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run by .ci/steps/33-postgres.sh"]
async fn two_acs_processes_share_one_postgresql() {
    let url = std::env::var("CWMP_TEST_PG_URL").unwrap_or_else(|_| {
        panic!("CWMP_TEST_PG_URL is not set: start PostgreSQL with .ci/steps/33-postgres.sh")
    });
    let schema = format!("two_acs_{}", std::process::id());
    let dir = std::env::temp_dir().join(format!("cwmp-acs-two-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let a = start(&dir, &url, &schema, "acs-a");
    let b = start(&dir, &url, &schema, "acs-b");
    let dev = device_key("TWO1");

    // The device's CR listener, answering 204 to whoever asks.
    let cr = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cr_url = format!("http://{}/cr", cr.local_addr().unwrap());
    let cr_task = tokio::spawn(async move {
        let (mut s, _) = cr.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while !buf.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut byte).await.unwrap();
            buf.push(byte[0]);
        }
        s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .await
            .unwrap();
        String::from_utf8(buf).unwrap()
    });

    // A nonce issued by A is accepted by B: the first session is authenticated on B.
    let mut cpe = RawCpe::new(&a.addr, "cpe", "s3cret");
    let boot = inform("TWO1", &["1 BOOT"], &cr_url);
    cpe.fetch_challenge(&boot).await;
    cpe.addr = b.addr.clone();
    let (status, _) = cpe.post(&boot).await.unwrap();
    assert_eq!(status.as_u16(), 200, "B accepts A's nonce");
    assert!(
        cpe.last_challenges.is_empty(),
        "no second challenge: {:?}",
        cpe.last_challenges
    );
    assert!(cpe.exchange("").await.unwrap().is_none());
    cpe.end_session();

    // Known to A too; work queued through A is done in a session held by B.
    let (status, d) = admin(&a.addr, "GET", &format!("/admin/devices/{dev}"), None).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["sessions_completed"], json!(1));
    let (status, q) = admin(
        &a.addr,
        "POST",
        &format!("/admin/devices/{dev}/queue"),
        Some(json!(["gpv:Device.DeviceInfo."])),
    )
    .await;
    assert_eq!(status, 200, "{q}");
    let id = q["queued"][0].as_i64().unwrap();
    let (_, pending_on_b) =
        admin(&b.addr, "GET", &format!("/admin/devices/{dev}/queue"), None).await;
    assert_eq!(pending_on_b[0]["id"], json!(id));

    cpe.addr = b.addr.clone();
    cpe.exchange(&inform("TWO1", &["2 PERIODIC"], &cr_url))
        .await
        .unwrap();
    let req = cpe.exchange("").await.unwrap().unwrap();
    let (rid, names) = as_gpv(&req).unwrap();
    assert_eq!(names, vec!["Device.DeviceInfo.".to_owned()]);
    assert!(
        cpe.exchange(&gpv_response(&rid, &names, "from-b"))
            .await
            .unwrap()
            .is_none()
    );
    cpe.end_session();

    // The result is visible from A, held by B's session.
    let (_, rpc) = admin(&a.addr, "GET", &format!("/admin/rpcs/{id}"), None).await;
    assert_eq!(rpc["state"], json!("done"), "{rpc}");
    assert_eq!(rpc["session"]["instance"], json!("acs-b"));
    assert_eq!(
        rpc["response"]["GetParameterValuesResponse"]["parameters"][0]["value"]["text"],
        json!("from-b")
    );

    // A sends the connection request to the URL B recorded.
    let (status, r) = admin(
        &a.addr,
        "POST",
        &format!("/admin/devices/{dev}/connection-request"),
        None,
    )
    .await;
    assert_eq!((status, &r["result"]), (200, &json!("accepted")), "{r}");
    let head = cr_task.await.unwrap();
    assert!(head.starts_with("GET /cr HTTP/1.1\r\n"), "{head}");
    let (_, h) = admin(
        &b.addr,
        "GET",
        &format!("/admin/devices/{dev}/history"),
        None,
    )
    .await;
    assert!(
        h["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"]["kind"] == json!("connection_request")),
        "{h}"
    );
    drop((a, b));
    let _ = std::fs::remove_dir_all(&dir);
}
