//! Load generator for the reference ACS: N simulated CPEs, each driven by cwmp-core's CPE
//! session engine over its own loopback HTTP/1.1 connections (digest authentication, one 401
//! per session as real agents do, the session cookie), running periodic sessions back to back.
//! With `--gpv N` each session carries a GetParameterValues of N parameters, queued through the
//! admin API just before the session.
//!
//! With `--acs-pid`, reads the ACS's CPU time and RSS from /proc before, during and after the
//! run and reports sessions/s, ACS CPU-seconds per 1,000 sessions and RSS. Used by
//! `benches/acs-load.sh`; the run is bounded by `--sessions` and `--max-seconds`.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Parser;
use cwmp_auth::client_policy::AcsCredentials;
use cwmp_core::Body;
use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::rpc::{DeviceId, GetParameterValuesResponse, ParameterValue};
use cwmp_core::session::cpe::{Cpe, CpeConfig, CpeEvent, HttpResponse, SessionStart};
use cwmp_core::value::Value;
use cwmp_examples::net::{self, Client, CookieJar, HttpUrl};
use http::{Method, Request, StatusCode};

#[derive(Parser, Debug)]
#[command(about = "Simulated CPEs driving the reference ACS; reports sessions/s and ACS CPU/RSS")]
struct Args {
    /// The ACS's CWMP URL.
    #[arg(long)]
    acs: String,
    /// Simulated CPEs running at once.
    #[arg(long, default_value_t = 100)]
    cpes: u32,
    /// Sessions in all (the run stops when they are done).
    #[arg(long, default_value_t = 5000)]
    sessions: u64,
    /// Stop after this many seconds even if sessions remain.
    #[arg(long, default_value_t = 120)]
    max_seconds: u64,
    /// Parameters of a GetParameterValues queued for every session (0: empty sessions).
    #[arg(long, default_value_t = 0)]
    gpv: u32,
    /// CPE account USER:PASSWORD.
    #[arg(long, default_value = "cpe:s3cret")]
    user: String,
    /// Serial number prefix (devices are 00AABB-Load-PREFIX{i}).
    #[arg(long, default_value = "L")]
    prefix: String,
    /// The ACS process to measure (/proc/PID).
    #[arg(long)]
    acs_pid: Option<u32>,
    /// A label for the result line.
    #[arg(long, default_value = "acs")]
    label: String,
}

fn proc_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of /proc/PID/stat (1-based), 12 and 13 after ')'.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn proc_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

struct Shared {
    done: AtomicU64,
    failed: AtomicU64,
    target: u64,
    deadline: Instant,
}

async fn admin_queue_gpv(url: &HttpUrl, device: &str, n: u32) -> Result<(), String> {
    let names: Vec<String> = (0..n).map(|i| format!("Device.Load.P{i}")).collect();
    let body = serde_json::json!({"GetParameterValues": {"parameter_names": names}}).to_string();
    let mut c = Client::connect(url).await?;
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/admin/devices/{device}/queue"))
        .header("Host", url.authority())
        .header("Content-Type", "application/json")
        .body(net::Body::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let resp = c.send(req).await?;
    if resp.status() != StatusCode::OK {
        return Err(format!("admin queue: {}", resp.status()));
    }
    Ok(())
}

fn answer(request: &Body<'_>) -> Result<Body<'static>, Fault<'static>> {
    match request {
        Body::GetParameterValues(g) => Ok(GetParameterValuesResponse {
            parameters: g
                .parameter_names
                .iter()
                .map(|n| ParameterValue {
                    name: Cow::Owned(n.to_string()),
                    value: Value::string("value"),
                })
                .collect(),
        }
        .into()),
        _ => Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED)),
    }
}

/// One session of one CPE; `Ok(true)` when it succeeded.
async fn session(
    cpe: &mut Cpe,
    auth: &mut AcsCredentials,
    url: &HttpUrl,
    first: bool,
) -> Result<bool, String> {
    let now = Instant::now();
    if !first {
        cpe.add_event(EventStruct::new(EventCode::PERIODIC), now);
    }
    cpe.start_session(now, SessionStart::new(DateTimeText::UNKNOWN, Vec::new(), 7))
        .map_err(|e| e.to_string())?;
    let mut client = Client::connect(url).await?;
    let mut jar = CookieJar::default();
    auth.reset();
    loop {
        while let Some(ev) = cpe.poll_event() {
            if let CpeEvent::SessionEnded { success, .. } = ev {
                return Ok(success);
            }
        }
        let Some(t) = cpe.poll_transmit() else {
            return Err("engine has nothing to send".into());
        };
        let body = match t.envelope {
            Some(env) => net::encode(env, t.version),
            None => Bytes::new(),
        };
        let mut sent_auth = false;
        let resp = loop {
            let mut req = Request::builder()
                .method(Method::POST)
                .uri(url.path.as_str())
                .header("Host", url.authority());
            if let Some(a) = t.soap_action {
                req = req.header("SOAPAction", a);
            }
            if let Some(ct) = t.content_type {
                req = req.header("Content-Type", ct);
            }
            if let Some(c) = jar.header() {
                req = req.header("Cookie", c);
            }
            if let Some(a) = auth
                .authorization(&Method::POST, &url.path, &body, &mut cwmp_auth::OsRandom)
                .map_err(|e| e.to_string())?
            {
                req = req.header("Authorization", a);
                sent_auth = true;
            }
            let req = req
                .body(net::Body::new(body.clone()))
                .map_err(|e| e.to_string())?;
            let resp = client.send(req).await?;
            jar.store(resp.headers());
            if resp.status() == StatusCode::UNAUTHORIZED && !sent_auth {
                auth.on_unauthorized(
                    resp.headers().get_all(http::header::WWW_AUTHENTICATE),
                    false,
                    false,
                )
                .map_err(|e| e.to_string())?;
                continue;
            }
            break resp;
        };
        let now = Instant::now();
        let status = resp.status().as_u16();
        let bytes = resp.into_body();
        let decoded = if status == 200 {
            net::decode(&bytes)?
        } else {
            None
        };
        let http = match decoded {
            Some(d) => HttpResponse::ok(d.envelope, d.version),
            None if status == 204 || status == 200 => HttpResponse::no_content(),
            None => HttpResponse::empty(status),
        };
        let mut handler = |req: &Body<'_>, _now: Instant| answer(req);
        cpe.handle_response_with(http, now, &mut handler)
            .map_err(|e| e.to_string())?;
    }
}

async fn run_cpe(i: u32, args: Arc<Args>, shared: Arc<Shared>) {
    let Ok(url) = HttpUrl::parse(&args.acs) else {
        return;
    };
    let serial = format!("{}{i}", args.prefix);
    let device = format!("00AABB-Load-{serial}");
    let mut cpe = Cpe::new(CpeConfig::new(DeviceId {
        manufacturer: "Acme".into(),
        oui: "00AABB".into(),
        product_class: "Load".into(),
        serial_number: Cow::Owned(serial),
    }));
    let (user, pass) = args.user.split_once(':').unwrap_or(("cpe", ""));
    let mut auth = AcsCredentials::new(user, pass);
    let mut first = true;
    loop {
        if shared.done.load(Ordering::Relaxed) >= shared.target || Instant::now() > shared.deadline
        {
            return;
        }
        if args.gpv > 0 && !first {
            if let Err(e) = admin_queue_gpv(&url, &device, args.gpv).await {
                eprintln!("cpe {i}: {e}");
            }
        }
        match session(&mut cpe, &mut auth, &url, first).await {
            Ok(true) => {
                // The first session (BOOTSTRAP) only makes the device known.
                if !first {
                    shared.done.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok(false) | Err(_) => {
                shared.failed.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        first = false;
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Arc::new(Args::parse());
    let shared = Arc::new(Shared {
        done: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        target: args.sessions,
        deadline: Instant::now() + Duration::from_secs(args.max_seconds),
    });
    // Warm-up: every CPE's first session (BOOTSTRAP) is not counted; measuring starts once
    // the first counted session completes.
    let tasks: Vec<_> = (0..args.cpes)
        .map(|i| tokio::spawn(run_cpe(i, args.clone(), shared.clone())))
        .collect();
    while shared.done.load(Ordering::Relaxed) == 0 && Instant::now() < shared.deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let t0 = Instant::now();
    let n0 = shared.done.load(Ordering::Relaxed);
    let cpu0 = args.acs_pid.and_then(proc_cpu_seconds);
    let rss0 = args.acs_pid.and_then(proc_rss_kib);
    let mut rss_mid = None;
    while shared.done.load(Ordering::Relaxed) < shared.target && Instant::now() < shared.deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if rss_mid.is_none() && shared.done.load(Ordering::Relaxed) >= shared.target / 2 {
            rss_mid = args.acs_pid.and_then(proc_rss_kib);
        }
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let n = shared.done.load(Ordering::Relaxed).saturating_sub(n0);
    let cpu1 = args.acs_pid.and_then(proc_cpu_seconds);
    let rss1 = args.acs_pid.and_then(proc_rss_kib);
    for t in tasks {
        t.abort();
    }
    let rate = n as f64 / elapsed.max(1e-9);
    let cpu = match (cpu0, cpu1) {
        (Some(a), Some(b)) if n > 0 => format!("{:.2}", (b - a) * 1000.0 / n as f64),
        _ => "-".into(),
    };
    let kib = |v: Option<u64>| {
        v.map(|k| format!("{} KiB", k))
            .unwrap_or_else(|| "-".into())
    };
    println!(
        "{}: {} CPEs, GPV of {} params: {n} sessions in {elapsed:.1} s = {rate:.0} sessions/s; \
         ACS CPU {cpu} s per 1,000 sessions; ACS RSS {} at start, {} at half, {} at end; {} failed",
        args.label,
        args.cpes,
        args.gpv,
        kib(rss0),
        kib(rss_mid),
        kib(rss1),
        shared.failed.load(Ordering::Relaxed)
    );
    if n == 0 {
        eprintln!("error: no session completed");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
