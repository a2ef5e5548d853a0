//! The second part of `demo --transports`: one ACS and two CPEs behind "NAT" on loopback,
//! woken up over UDP (the CPE keeps a STUN binding with a real coturn) and over XMPP (both log
//! in to a real prosody). Needs the coturn and prosody packages installed.

use std::time::Duration;

use cwmp_auth::digest::Users;
use cwmp_auth::stun::KeepAlive;
use cwmp_auth::xmpp::AllowedJids;

use super::acs_side::AcsTransports;
use super::cpe_side::{CpeTransports, account};
use super::servers::Servers;
use crate::acs::{self, Acs, Device};
use crate::cpe::{Agent, Config};
use crate::log;
use crate::store::DataModel;

const CR_USER: &str = "acs-demo";
const CR_PASS: &str = "cr secret";

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

fn device<'d>(devices: &'d [Device], serial: &str) -> Option<&'d Device> {
    devices.iter().find(|d| d.device_id.serial_number == serial)
}

async fn cpe(acs_url: &str, serial: &str, transports: CpeTransports) -> Result<Agent, String> {
    let mut model = DataModel::builtin();
    let name = format!("{}DeviceInfo.SerialNumber", model.root());
    model.set_local(&name, serial);
    model.set_dump_serial(serial);
    Ok(Agent::bind(Config {
        acs_url: acs_url.to_owned(),
        username: "cpe-demo".into(),
        password: "cpe secret".into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        cr_path: "/cr-demo".into(),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        model,
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: None,
        tls: None,
        cr_tls: None,
    })
    .await?
    .with_transports(transports))
}

/// Runs the UDP and XMPP connection-request demo; `Err` names the failed check.
pub async fn run() -> Result<(), String> {
    step("connection requests through NAT: starting coturn (STUN) and prosody (XMPP) on loopback");
    let acs_pw = format!("acs-{}", crate::net::random_hex(6));
    let cpe_pw = format!("cpe-{}", crate::net::random_hex(6));
    let servers = Servers::start(&[("acs", &acs_pw), ("cpe", &cpe_pw)]).await?;
    log::info(
        "demo",
        format!(
            "STUN server {}, XMPP server {} (domain {})",
            servers.stun, servers.xmpp, servers.domain
        ),
    );
    let acs_jid = format!("acs@{}/acs", servers.domain);
    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe-demo", "cpe secret"),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        transports: AcsTransports {
            xmpp: Some(account(servers.xmpp, &acs_jid, &acs_pw)?),
        },
        ..acs::Config::default()
    })?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let acs_url = format!(
        "http://{}/acs",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(acs.clone().serve(listener, async {
        let _ = stopped.await;
    }));

    let keep_alive = KeepAlive::new(30, Some(300)).map_err(|e| e.to_string())?;
    let udp_cpe = cpe(
        &acs_url,
        "DEMO-UDP",
        CpeTransports {
            udp: Some((
                "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
                servers.stun,
                keep_alive,
            )),
            xmpp: None,
        },
    )
    .await?;
    let allowed =
        AllowedJids::parse(&format!("acs@{}", servers.domain)).map_err(|e| e.to_string())?;
    let xmpp_cpe = cpe(
        &acs_url,
        "DEMO-XMPP",
        CpeTransports {
            udp: None,
            xmpp: Some((
                account(
                    servers.xmpp,
                    &format!("cpe@{}/cwmp", servers.domain),
                    &cpe_pw,
                )?,
                allowed,
            )),
        },
    )
    .await?;
    let (stop_cpes, cpes_stopped) = tokio::sync::watch::channel(false);
    let mut s1 = cpes_stopped.clone();
    let mut s2 = cpes_stopped;
    let a = tokio::spawn(udp_cpe.run(async move {
        let _ = s1.changed().await;
    }));
    let b = tokio::spawn(xmpp_cpe.run(async move {
        let _ = s2.changed().await;
    }));

    let wait = Duration::from_secs(20);
    step("CPE DEMO-UDP learns its mapped address from coturn; CPE DEMO-XMPP logs in to prosody");
    let ready = acs
        .wait_for(wait, |d| {
            device(d, "DEMO-UDP").is_some_and(|d| {
                d.udp_connection_request_address.is_some() && d.sessions_completed >= 1
            }) && device(d, "DEMO-XMPP")
                .is_some_and(|d| d.conn_req_jabber_id.is_some() && d.sessions_completed >= 1)
        })
        .await;
    check(
        ready,
        "the ACS knows DEMO-UDP's UDPConnectionRequestAddress and DEMO-XMPP's ConnReqJabberID",
    )?;
    let devices = acs.devices().await;
    let udp_dev = device(&devices, "DEMO-UDP").ok_or("no DEMO-UDP")?.clone();
    let xmpp_dev = device(&devices, "DEMO-XMPP").ok_or("no DEMO-XMPP")?.clone();
    log::info(
        "demo",
        format!(
            "DEMO-UDP: UDPConnectionRequestAddress {}; DEMO-XMPP: ConnReqJabberID {}",
            udp_dev
                .udp_connection_request_address
                .as_deref()
                .unwrap_or(""),
            xmpp_dev.conn_req_jabber_id.as_deref().unwrap_or("")
        ),
    );

    step("UDP connection request (signed, 3 copies) to DEMO-UDP");
    let before = udp_dev.sessions_completed;
    let r = acs.connection_request(&udp_dev.id).await?;
    check(
        r == "sent over UDP",
        "the ACS sent the UDP connection request",
    )?;
    let woke = acs
        .wait_for(wait, |d| {
            device(d, "DEMO-UDP").is_some_and(|d| {
                d.sessions_completed > before
                    && d.last_events.iter().any(|e| e == "6 CONNECTION REQUEST")
            })
        })
        .await;
    check(woke, "DEMO-UDP opened a session with 6 CONNECTION REQUEST")?;

    step("XMPP connection request to DEMO-XMPP");
    let before = xmpp_dev.sessions_completed;
    let r = acs.connection_request(&xmpp_dev.id).await?;
    check(r == "accepted", "DEMO-XMPP answered the IQ with result")?;
    let woke = acs
        .wait_for(wait, |d| {
            device(d, "DEMO-XMPP").is_some_and(|d| {
                d.sessions_completed > before
                    && d.last_events.iter().any(|e| e == "6 CONNECTION REQUEST")
            })
        })
        .await;
    check(woke, "DEMO-XMPP opened a session with 6 CONNECTION REQUEST")?;

    let _ = stop_cpes.send(true);
    let _ = a.await;
    let _ = b.await;
    let _ = stop.send(());
    drop(servers);
    Ok(())
}
