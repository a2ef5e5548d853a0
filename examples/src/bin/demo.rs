//! `cargo run -p cwmp-examples --bin demo`: an ACS and a CPE over loopback in one process.
//!
//! 1. The CPE boots (Inform `0 BOOTSTRAP`, `1 BOOT`), is challenged with digest, and the ACS
//!    sends the RPCs queued for it: GetParameterValues, SetParameterValues,
//!    GetParameterNames, AddObject. The answer to the GetParameterNames decides the next
//!    request: the ACS reads exactly the names the CPE returned, in the same session.
//! 2. The ACS queues two more RPCs (one SetParameterValues the CPE refuses with 9003) and
//!    sends a digest Connection Request; the CPE opens a second session
//!    (`6 CONNECTION REQUEST`).
//!
//! 3. (issue 12) Session 2 also sets active notification (SetParameterAttributes, 2) on
//!    `ProvisioningCode` and asks for a Download of a file served on loopback; the CPE fetches
//!    it and reports TransferComplete in session 3 (`7 TRANSFER COMPLETE`). Then the device
//!    changes `ProvisioningCode` itself: session 4 is opened for the active notification, its
//!    Inform carries `4 VALUE CHANGE` and the new value.
//!
//! Every exchange is printed; the demo checks the results and exits 0, or 1 with an `error:`
//! line. It never runs longer than `--timeout` seconds.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use cwmp_auth::digest::Users;
use cwmp_core::Body;
use cwmp_core::filetype::Notification;
use cwmp_core::rpc::{SetParameterAttribute, SetParameterAttributes};
use cwmp_examples::acs::{self, Acs, Device};
use cwmp_examples::cpe::{Agent, Config as CpeConfig};
use cwmp_examples::log::{self, Level};
use cwmp_examples::rpcs::parse_short;
use cwmp_examples::store::DataModel;

#[derive(Parser, Debug)]
#[command(about = "ACS and CPE over loopback: two sessions, digest auth, a connection request")]
struct Args {
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// A device dump for the CPE (default: the built-in model).
    #[arg(long)]
    model: Option<std::path::PathBuf>,
    /// Transcript detail.
    #[arg(long, value_enum, default_value = "info")]
    log: Level,
    /// Run over mutual TLS with a CA, ACS and CPE certificates generated in memory.
    #[arg(long)]
    tls: bool,
    /// Then wake CPEs over UDP (STUN) and XMPP, with a real coturn and prosody started on
    /// loopback (needs the coturn and prosody packages; adds up to 60 s to the timeout).
    #[arg(long)]
    transports: bool,
}

const CPE_USER: &str = "cpe-demo";
const CPE_PASS: &str = "cpe secret";
const CR_USER: &str = "acs-demo";
const CR_PASS: &str = "cr secret";

fn queue(specs: &[&str]) -> Result<Vec<Body<'static>>, String> {
    specs.iter().map(|s| parse_short(s)).collect()
}

fn step(msg: &str) {
    log::info("demo", format!("---- {msg}"));
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        log::info("demo", format!("ok: {what}"));
        Ok(())
    } else {
        Err(format!("check failed: {what}"))
    }
}

fn response<'d>(dev: &'d Device, session: u32, method: &str) -> Option<&'d acs::Exchange> {
    dev.results
        .iter()
        .find(|x| x.session == session && x.request.name() == method)
}

async fn demo(args: &Args) -> Result<(), String> {
    let model = match &args.model {
        Some(p) => DataModel::from_file(p)?,
        None => DataModel::builtin(),
    };
    let root = model.root().to_owned();
    let table = if root == "Device." {
        "Device.IP.Interface.".to_owned()
    } else {
        format!("{root}LANDevice.")
    };
    let interval = format!("{root}ManagementServer.PeriodicInformInterval");
    let provisioning = format!("{root}DeviceInfo.ProvisioningCode"); // issue 12

    // --- TLS (issue 14): a throwaway PKI; the CPE certificate names this device.
    let (acs_tls, cpe_tls) = if args.tls {
        let id = model.device_id();
        let (a, c) =
            cwmp_examples::tls::acs::lab_pair(&cwmp_examples::tls::DeviceIdentity::from(&id))?;
        (Some(a), Some(c))
    } else {
        (None, None)
    };
    let scheme = if args.tls { "https" } else { "http" };
    // --- end TLS
    let acs = Acs::new(acs::Config {
        tls: acs_tls,
        users: Users::new().with(CPE_USER, CPE_PASS),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        initial_queue: queue(&[
            &format!(
                "gpv:{root}DeviceInfo.SoftwareVersion,{root}ManagementServer.PeriodicInformInterval"
            ),
            &format!("spv:{interval}:unsignedInt=60"),
            &format!("gpn:{root}DeviceInfo.:false"),
            &format!("add:{table}"),
        ])?,
        read_after_gpn: true,
        ..acs::Config::default()
    })?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let acs_addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop_acs, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(acs.clone().serve(listener, async {
        let _ = stopped.await;
    }));
    step(&format!(
        "ACS on {scheme}://{acs_addr}/, digest realm \"cwmp-rs\"{}",
        if args.tls {
            ", mutual TLS (lab CA generated in memory)"
        } else {
            ""
        }
    ));

    let agent = Agent::bind(CpeConfig {
        tls: cpe_tls,
        cr_tls: None,
        acs_url: format!("{scheme}://{acs_addr}/acs"),
        username: CPE_USER.into(),
        password: CPE_PASS.into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        cr_path: "/cr-demo".into(),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        model,
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: Some(4),
    })
    .await?;
    // ---- issue 12: local changes and a file server for the Download (begin)
    let local_changes = agent.local_changes();
    let files = serve_file(b"cwmp-rs demo firmware image\n".repeat(64)).await?;
    // ---- issue 12 (end)
    step("session 1: boot");
    let (stop_cpe, cpe_stopped) = tokio::sync::oneshot::channel::<()>();
    let cpe = tokio::spawn(agent.run(async {
        let _ = cpe_stopped.await;
    }));

    let wait = Duration::from_secs(10);
    if !acs
        .wait_for(wait, |d| d.iter().any(|d| d.sessions_completed >= 1))
        .await
    {
        return Err("the boot session did not complete".into());
    }
    let id = acs
        .devices()
        .await
        .first()
        .map(|d| d.id.clone())
        .ok_or("no device")?;
    let added = acs
        .device(&id)
        .await
        .and_then(|d| match response(&d, 1, "AddObject")?.response.as_ref()? {
            Body::AddObjectResponse(r) => Some(r.instance_number),
            _ => None,
        })
        .ok_or("AddObject was not answered")?;

    step("session 2: the ACS queues RPCs and sends a connection request");
    let new_instance = format!("{table}{added}.");
    acs.queue(
        &id,
        queue(&[
            &format!("gpv:{new_instance}"),
            &format!("spv:{interval}:unsignedInt=-5"),
        ])?
        .into_iter()
        // ---- issue 12: active notification and a Download (begin)
        .chain([
            SetParameterAttributes {
                parameters: vec![SetParameterAttribute {
                    name: provisioning.clone().into(),
                    notification_change: true,
                    notification: Notification::ACTIVE,
                    access_list_change: false,
                    access_list: vec![],
                }],
            }
            .into(),
            parse_short(&format!("download:{files}/firmware.bin"))?,
        ])
        // ---- issue 12 (end)
        .collect(),
    )
    .await?;
    // The CPE answers 503 while it is still closing session 1 (CR-01): retry a few times.
    let mut cr = "busy";
    for _ in 0..20 {
        cr = acs.connection_request(&id).await?;
        if cr != "busy" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(
        cr == "accepted",
        "connection request accepted (200 after a digest challenge)",
    )?;
    if !acs
        .wait_for(wait, |d| d.iter().any(|d| d.sessions_completed >= 2))
        .await
    {
        return Err("the connection-request session did not complete".into());
    }
    // ---- issue 12: TransferComplete, then a local change notified actively (begin)
    step("session 3: the CPE reports the Download with TransferComplete");
    if !acs
        .wait_for(wait, |d| {
            d.iter().any(|d| {
                d.sessions_completed >= 3
                    && d.cpe_requests
                        .iter()
                        .any(|r| r.starts_with("TransferComplete"))
            })
        })
        .await
    {
        return Err("no TransferComplete session".into());
    }
    let dev = acs.device(&id).await.ok_or("device vanished")?;
    check(
        dev.last_events.iter().any(|e| e == "7 TRANSFER COMPLETE"),
        "session 3 Inform carries 7 TRANSFER COMPLETE and M Download",
    )?;
    check(
        dev.cpe_requests
            .iter()
            .any(|r| r.starts_with("TransferComplete") && r.contains("fault 0")),
        "TransferComplete reports success",
    )?;
    step("session 4: a local change of ProvisioningCode, notified actively");
    local_changes
        .send((provisioning.clone(), "changed-on-the-device".into()))
        .await
        .map_err(|_| "the CPE stopped")?;
    if !acs
        .wait_for(wait, |d| d.iter().any(|d| d.sessions_completed >= 4))
        .await
    {
        return Err("no active-notification session".into());
    }
    let dev = acs.device(&id).await.ok_or("device vanished")?;
    check(
        dev.last_events == ["4 VALUE CHANGE"],
        "session 4 Inform carries 4 VALUE CHANGE (and only that)",
    )?;
    // ---- issue 12 (end)
    let _ = stop_cpe.send(());
    let summary = tokio::time::timeout(Duration::from_secs(5), cpe)
        .await
        .map_err(|_| "the CPE did not stop")?
        .map_err(|e| format!("CPE task: {e}"))?;
    let _ = stop_acs.send(());
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;

    step("checks");
    let dev = acs.device(&id).await.ok_or("device vanished")?;
    check(
        dev.sessions_completed == 4 && dev.sessions_failed == 0,
        "four sessions completed, none failed",
    )?;
    check(
        summary.completed == 4 && summary.connection_requests == 1,
        "the CPE saw four sessions and one connection request",
    )?;
    let gpv = match response(&dev, 1, "GetParameterValues").and_then(|x| x.response.as_ref()) {
        Some(Body::GetParameterValuesResponse(r)) => r.parameters.clone(),
        _ => return Err("GetParameterValues was not answered".into()),
    };
    check(
        gpv.iter().any(|p| p.name.ends_with("SoftwareVersion")),
        "GetParameterValues returned SoftwareVersion",
    )?;
    check(
        matches!(
            response(&dev, 1, "SetParameterValues").and_then(|x| x.response.as_ref()),
            Some(Body::SetParameterValuesResponse(r)) if r.status == 0
        ),
        "SetParameterValues applied (status 0)",
    )?;
    check(
        matches!(
            response(&dev, 1, "GetParameterNames").and_then(|x| x.response.as_ref()),
            Some(Body::GetParameterNamesResponse(r)) if !r.parameters.is_empty()
        ),
        "GetParameterNames listed DeviceInfo",
    )?;
    // The dependent request: the GetParameterValues that followed the GetParameterNames in the
    // same session asked for exactly the leaves it returned.
    let session1: Vec<&acs::Exchange> = dev.results.iter().filter(|x| x.session == 1).collect();
    let gpn_at = session1
        .iter()
        .position(|x| x.request.name() == "GetParameterNames")
        .ok_or("no GetParameterNames in session 1")?;
    let leaves: Vec<String> = match session1.get(gpn_at).and_then(|x| x.response.as_ref()) {
        Some(Body::GetParameterNamesResponse(r)) => r
            .parameters
            .iter()
            .filter(|p| !p.name.ends_with('.'))
            .map(|p| p.name.to_string())
            .collect(),
        _ => Vec::new(),
    };
    let followed = session1
        .iter()
        .skip(gpn_at + 1)
        .map(|x| &x.request)
        .find(|r| r.name() == "GetParameterValues");
    check(
        matches!(followed, Some(Body::GetParameterValues(g))
            if !leaves.is_empty()
                && g.parameter_names.iter().map(|n| n.to_string()).collect::<Vec<_>>() == leaves),
        &format!(
            "a GetParameterValues in the same session read exactly the {} names GetParameterNames returned",
            leaves.len()
        ),
    )?;
    check(
        matches!(
            response(&dev, 2, "GetParameterValues").and_then(|x| x.response.as_ref()),
            Some(Body::GetParameterValuesResponse(r))
                if r.parameters.iter().all(|p| p.name.starts_with(&new_instance))
        ),
        &format!("the new instance {new_instance} is readable"),
    )?;
    let fault = response(&dev, 2, "SetParameterValues").and_then(|x| x.fault.as_ref());
    check(
        fault.is_some_and(|f| {
            f.code.get() == 9003
                && f.set_parameter_values_faults
                    .iter()
                    .any(|e| e.code.get() == 9007 && e.parameter_name == interval)
        }),
        "an invalid SetParameterValues is refused with 9003 / 9007",
    )?;
    if args.transports {
        cwmp_examples::transport::demo::run().await?; // issue 16
    }
    Ok(())
}

// ---- issue 12: the Download's file server (begin)
/// Serves `body` at any path on a loopback port (one request per connection); returns
/// `http://127.0.0.1:port`.
async fn serve_file(body: Vec<u8>) -> Result<String, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") && got.len() < 16 * 1024 {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(buf.get(..n).unwrap_or(&[])),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                log::info(
                    "files",
                    format!("← GET firmware → 200, {} bytes", body.len()),
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    Ok(format!("http://{addr}"))
}
// ---- issue 12 (end)

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    log::set_level(args.log);
    log::to_stdout(true);
    let limit = Duration::from_secs(args.timeout + if args.transports { 60 } else { 0 });
    match tokio::time::timeout(limit, demo(&args)).await {
        Ok(Ok(())) => {
            log::info("demo", "demo passed");
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("error: demo timed out after {} s", args.timeout);
            ExitCode::FAILURE
        }
    }
}
