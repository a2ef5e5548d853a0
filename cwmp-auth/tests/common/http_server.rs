//! A tiny blocking HTTP/1.1 server on 127.0.0.1 that authenticates with our verifier.
//! One request per connection (`Connection: close`), so each digest retry arrives on a new TCP
//! connection (the Fritzbox case).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use cwmp_auth::digest::{DigestServer, MemoryNonceCounter, Request, Users};
use cwmp_auth::{Error, OsRandom, unix_now};
use http::{HeaderValue, Method};

pub struct TestServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<Vec<String>>>,
}

impl TestServer {
    /// Starts serving; `log` records one line per request (status and verdict).
    pub fn start(server: DigestServer, users: Users) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut log = Vec::new();
            let mut counter = MemoryNonceCounter::new(64);
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            while !stop2.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(line) = serve(stream, &server, &users, &mut counter) {
                            log.push(line);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            log
        });
        TestServer {
            port,
            stop,
            handle: Some(handle),
        }
    }

    pub fn finish(mut self) -> Vec<String> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle
            .take()
            .map(|h| h.join().unwrap())
            .unwrap_or_default()
    }
}

fn serve(
    mut stream: TcpStream,
    server: &DigestServer,
    users: &Users,
    counter: &mut MemoryNonceCounter,
) -> Option<String> {
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
    let method = Method::from_bytes(request_line.next()?.as_bytes()).ok()?;
    let target = request_line.next()?.to_owned();
    let auth = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| HeaderValue::from_str(v.trim()).ok());
    let now = unix_now();
    let req = Request {
        method: &method,
        uri: &target,
        body: b"",
    };
    let (status, extra, verdict) = match auth {
        None => (
            401,
            challenge(server, now, false),
            "no credentials".to_owned(),
        ),
        Some(a) => match server.verify(&req, &a, now, users, counter) {
            Ok(v) => {
                let info = server.authentication_info(&v, b"ok\n", None).ok();
                let info = info
                    .map(|i| format!("Authentication-Info: {}\r\n", i.to_str().unwrap_or("")))
                    .unwrap_or_default();
                (200, info, format!("ok {}", v.username))
            }
            Err(Error::Stale) => (401, challenge(server, now, true), "stale".to_owned()),
            Err(e) => (401, challenge(server, now, false), format!("refused: {e}")),
        },
    };
    let body = if status == 200 { "ok\n" } else { "denied\n" };
    let reason = if status == 200 { "OK" } else { "Unauthorized" };
    let resp = format!(
        "HTTP/1.1 {status} {reason}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(resp.as_bytes()).ok()?;
    Some(format!("{status} {verdict}"))
}

fn challenge(server: &DigestServer, now: u64, stale: bool) -> String {
    server
        .challenges(now, &mut OsRandom, stale)
        .unwrap()
        .iter()
        .map(|c| format!("WWW-Authenticate: {}\r\n", c.to_str().unwrap()))
        .collect()
}
