//! Interop: `curl --digest` as the ACS against the connection-request checks, over a small
//! std::net HTTP server on 127.0.0.1 (one request per connection, as many ACSs do it).
//!
//! Skipped when curl is missing, except under `CI=true` where that is a failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cwmp_auth::crserver::{ConnectionRequestServer, Incoming};
use cwmp_auth::digest::Users;
use cwmp_auth::{OsRandom, unix_now};
use http::{HeaderValue, Method};

const PATH: &str = "/cr/5e1f";

fn curl_available() -> bool {
    let ok = Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("curl is required in CI");
    }
    ok
}

struct Cpe {
    port: u16,
    /// The checks in force; replaced to simulate a restart with a new secret.
    server: Arc<Mutex<Arc<ConnectionRequestServer>>>,
    session_active: Arc<AtomicBool>,
    /// Replace the server by this one right after the next 401 (a restart).
    restart_after_401: Arc<Mutex<Option<ConnectionRequestServer>>>,
    /// The status of every request, in order.
    log: Arc<Mutex<Vec<u16>>>,
    stop: Arc<AtomicBool>,
}

impl Cpe {
    fn start(server: ConnectionRequestServer) -> Cpe {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let cpe = Cpe {
            port: listener.local_addr().unwrap().port(),
            server: Arc::new(Mutex::new(Arc::new(server))),
            session_active: Arc::new(AtomicBool::new(false)),
            restart_after_401: Arc::new(Mutex::new(None)),
            log: Arc::new(Mutex::new(Vec::new())),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (server, active, restart, log, stop) = (
            cpe.server.clone(),
            cpe.session_active.clone(),
            cpe.restart_after_401.clone(),
            cpe.log.clone(),
            cpe.stop.clone(),
        );
        std::thread::spawn(move || {
            let deadline = std::time::Instant::now() + Duration::from_secs(120);
            while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let srv = server.lock().unwrap().clone();
                        // The status is logged before the answer is written: curl may exit
                        // and the test read the log as soon as the last answer arrives.
                        let status = serve(stream, &srv, active.load(Ordering::Relaxed), |s| {
                            log.lock().unwrap().push(s)
                        });
                        if let Some(s) = status {
                            if s == 401 {
                                if let Some(next) = restart.lock().unwrap().take() {
                                    *server.lock().unwrap() = Arc::new(next);
                                }
                            }
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        cpe
    }

    fn curl(&self, user_pass: &str, path: &str) -> String {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "10",
            ])
            .args(["--digest", "-u", user_pass])
            .arg(format!("http://127.0.0.1:{}{path}", self.port))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn take_log(&self) -> Vec<u16> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Drop for Cpe {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Answers one request; `record` gets the status before the answer is written.
fn serve(
    mut stream: TcpStream,
    srv: &ConnectionRequestServer,
    session_active: bool,
    record: impl FnOnce(u16),
) -> Option<u16> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method: Method = request_line.next()?.parse().ok()?;
    let target = request_line.next()?.to_owned();
    let authorization = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| HeaderValue::from_str(v.trim()).ok());
    let users = Users::new().with("acs", "cr s3cret");
    let answer = srv.handle(
        &Incoming {
            method: &method,
            target: &target,
            authorization: authorization.as_ref(),
        },
        session_active,
        unix_now(),
        &mut OsRandom,
        &users,
    );
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: 0\r\nConnection: close\r\n",
        answer.status.as_u16(),
        answer.status.canonical_reason().unwrap_or("")
    );
    for (k, v) in &answer.headers {
        out.push_str(&format!("{}: {}\r\n", k, v.to_str().unwrap_or("")));
    }
    out.push_str("\r\n");
    record(answer.status.as_u16());
    stream.write_all(out.as_bytes()).ok()?;
    Some(answer.status.as_u16())
}

fn checks(secret: &[u8]) -> ConnectionRequestServer {
    ConnectionRequestServer::new("cpe-cr", secret, PATH).rate_limit(4, 3600)
}

#[test]
fn curl_digest_connection_request_matrix() {
    if !curl_available() {
        eprintln!("curl not found: skipped");
        return;
    }
    let cpe = Cpe::start(checks(b"first secret 0123456789abcdef0123"));

    assert_eq!(cpe.curl("acs:cr s3cret", PATH), "200", "right credentials");
    assert_eq!(cpe.take_log(), [401, 200]);

    assert_eq!(cpe.curl("acs:wrong", PATH), "401", "wrong credentials");
    assert_eq!(cpe.take_log(), [401, 401]);

    assert_eq!(
        cpe.curl("acs:cr s3cret", "/cr/elsewhere"),
        "404",
        "wrong path"
    );

    cpe.session_active.store(true, Ordering::Relaxed);
    assert_eq!(cpe.curl("acs:cr s3cret", PATH), "503", "during a session");
    cpe.session_active.store(false, Ordering::Relaxed);
    cpe.take_log();

    // stale nonce: the CPE restarts with a new secret between the 401 and curl's answer;
    // the right password over the old nonce gets stale=true (RFC 7616 section 3.3) and curl
    // retries with the new nonce instead of giving up
    *cpe.restart_after_401.lock().unwrap() = Some(checks(b"second secret after the restart!!"));
    let code = cpe.curl("acs:cr s3cret", PATH);
    let log = cpe.take_log();
    eprintln!("curl stale: final {code}, statuses {log:?}");
    assert_eq!(log, [401, 401, 200], "challenge, stale, accepted");
    assert_eq!(code, "200");

    // rate limit: 4 per hour in the restarted server, one used by the stale retry
    for _ in 0..3 {
        assert_eq!(cpe.curl("acs:cr s3cret", PATH), "200");
    }
    assert_eq!(
        cpe.curl("acs:cr s3cret", PATH),
        "503",
        "over the rate limit"
    );
}
