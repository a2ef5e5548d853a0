//! UDP connection request behind STUN against a real STUN server (coturn's `turnserver`).
//!
//! Live-server test: declared with `test = false` in examples/Cargo.toml, so the workspace's
//! `cargo test` does not build or run it; `.ci/steps/35-cr-transports.sh` starts coturn on
//! loopback and runs it with `cargo test -p cwmp-examples --test cr_stun`. Whenever it runs,
//! a missing server is a failure: `CWMP_STUN_SERVER` (host:port of the STUN server) must be
//! set.

use std::net::SocketAddr;
use std::time::Duration;

use cwmp_auth::Error;
use cwmp_auth::stun::KeepAlive;
use cwmp_examples::transport::stun::{CpeUdp, CpeUdpConfig, UdpEvent, send_udp_connection_request};

const CR_USER: &str = "cr-user";
const CR_PASS: &str = "cr-pass";

fn stun_server() -> SocketAddr {
    let v = std::env::var("CWMP_STUN_SERVER").unwrap_or_else(|_| {
        panic!("CWMP_STUN_SERVER is not set: run .ci/steps/35-cr-transports.sh (it starts coturn)")
    });
    v.parse()
        .unwrap_or_else(|e| panic!("CWMP_STUN_SERVER={v:?} is not host:port: {e}"))
}

async fn next(cpe: &mut CpeUdp) -> UdpEvent {
    tokio::time::timeout(Duration::from_secs(20), cpe.events.recv())
        .await
        .expect("no event from the CPE's UDP port within 20 s")
        .expect("the CPE's UDP task ended")
}

async fn start_cpe() -> (CpeUdp, SocketAddr) {
    let mut cpe = CpeUdp::start(CpeUdpConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        stun_server: Some(stun_server()),
        keep_alive: KeepAlive::new(1, Some(60)).unwrap(),
        stun_credentials: None,
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
    })
    .await
    .unwrap();
    // The real STUN server tells the CPE its mapped address: on loopback, its own.
    let mapped = match next(&mut cpe).await {
        UdpEvent::MappedAddress {
            address,
            previous,
            nat_detected,
        } => {
            assert_eq!(address, cpe.local_addr);
            assert_eq!(previous, None);
            assert!(!nat_detected);
            address
        }
        other => panic!("expected the mapped address first, got {other:?}"),
    };
    (cpe, mapped)
}

fn now() -> u64 {
    cwmp_auth::unix_now()
}

#[tokio::test]
async fn cpe_behind_stun_gets_a_udp_connection_request() {
    let (mut cpe, mapped) = start_cpe().await;
    let ts = now();
    let sent = send_udp_connection_request(mapped, CR_USER, CR_PASS, ts, 1001, 3)
        .await
        .unwrap();
    assert_eq!(sent.id(), Some(1001));
    // The first copy starts a session; the two other copies (same id) are replays.
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::ConnectionRequest { id: 1001, ts: t, .. } if t == ts
    ));
    for _ in 0..2 {
        assert!(matches!(
            next(&mut cpe).await,
            UdpEvent::Ignored {
                reason: Error::Replay,
                ..
            }
        ));
    }
    // Keep-alives run every second meanwhile (binding unchanged: no event); a later request
    // with a new id and timestamp is accepted.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    send_udp_connection_request(mapped, CR_USER, CR_PASS, ts + 5, 1002, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::ConnectionRequest { id: 1002, .. }
    ));
}

#[tokio::test]
async fn replayed_or_badly_signed_udp_requests_are_ignored() {
    let (mut cpe, mapped) = start_cpe().await;
    let ts = now();
    send_udp_connection_request(mapped, CR_USER, CR_PASS, ts, 7, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::ConnectionRequest { id: 7, .. }
    ));
    // Same id again (even with a newer timestamp): replay.
    send_udp_connection_request(mapped, CR_USER, CR_PASS, ts + 10, 7, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::Ignored {
            reason: Error::Replay,
            ..
        }
    ));
    // New id but an older timestamp: replay.
    send_udp_connection_request(mapped, CR_USER, CR_PASS, ts - 10, 8, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::Ignored {
            reason: Error::Replay,
            ..
        }
    ));
    // Signed with the wrong password, or for another user: bad credentials.
    send_udp_connection_request(mapped, CR_USER, "not the password", ts + 20, 9, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::Ignored {
            reason: Error::BadCredentials,
            ..
        }
    ));
    send_udp_connection_request(mapped, "someone-else", CR_PASS, ts + 21, 10, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::Ignored {
            reason: Error::BadCredentials,
            ..
        }
    ));
    // A datagram that is neither STUN nor a connection request.
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    sock.send_to(b"GET / HTTP/1.1\r\n\r\n", mapped)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::Ignored {
            reason: Error::UdpMalformed(_),
            ..
        }
    ));
    // The refused ones did not disturb the verifier: the next valid request is accepted.
    send_udp_connection_request(mapped, CR_USER, CR_PASS, ts + 30, 11, 1)
        .await
        .unwrap();
    assert!(matches!(
        next(&mut cpe).await,
        UdpEvent::ConnectionRequest { id: 11, .. }
    ));
}

/// The reference programs end to end: the CPE reports the STUN-mapped address in an Inform,
/// the ACS's connection-request call sends the signed UDP request there, the CPE opens a
/// session with `6 CONNECTION REQUEST`.
#[tokio::test]
async fn reference_acs_wakes_the_reference_cpe_over_udp() {
    use cwmp_auth::digest::Users;
    use cwmp_examples::acs::{self, Acs};
    use cwmp_examples::cpe::{Agent, Config};
    use cwmp_examples::store::DataModel;
    use cwmp_examples::transport::cpe_side::CpeTransports;

    let acs = Acs::new(acs::Config {
        users: Users::new().with("cpe", "cpe-pw"),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        ..acs::Config::default()
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let acs_url = format!("http://{}/cwmp", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(acs.clone().serve(listener, async {
        let _ = stopped.await;
    }));
    let agent = Agent::bind(Config {
        acs_url,
        username: "cpe".into(),
        password: "cpe-pw".into(),
        allow_basic: false,
        cr_listen: "127.0.0.1:0".parse().unwrap(),
        cr_path: "/cr".into(),
        cr_username: CR_USER.into(),
        cr_password: CR_PASS.into(),
        model: DataModel::builtin(),
        periodic_interval: Some(0),
        bootstrap: true,
        max_sessions: None,
        tls: None,
        cr_tls: None,
    })
    .await
    .unwrap()
    .with_transports(CpeTransports {
        udp: Some((
            "127.0.0.1:0".parse().unwrap(),
            stun_server(),
            KeepAlive::new(30, None).unwrap(),
        )),
        xmpp: None,
    });
    let cpe = tokio::spawn(agent.run(tokio::time::sleep(Duration::from_secs(60))));

    let wait = Duration::from_secs(20);
    // The ACS learns the address (boot Inform, or the 4 VALUE CHANGE session after it).
    assert!(
        acs.wait_for(wait, |d| d
            .iter()
            .any(
                |d| d.udp_connection_request_address.is_some() && d.sessions_completed >= 1
            ))
        .await,
        "the ACS never got a UDPConnectionRequestAddress: {:?}",
        acs.devices().await
    );
    let dev = acs.devices().await.into_iter().next().unwrap();
    let before = dev.sessions_completed;
    let addr: SocketAddr = dev
        .udp_connection_request_address
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_eq!(acs.connection_request(&dev.id).await, Ok("sent over UDP"));
    assert!(
        acs.wait_for(wait, |d| d.iter().any(|d| d.sessions_completed > before
            && d.last_events.iter().any(|e| e == "6 CONNECTION REQUEST")))
            .await,
        "no 6 CONNECTION REQUEST session: {:?}",
        acs.devices().await
    );
    let _ = stop.send(());
    cpe.abort();
}
