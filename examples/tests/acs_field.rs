//! The reference ACS against devices as they are in the field: connection requests with
//! conventionally capitalised header names (checked byte for byte on a raw TCP listener), a
//! simulator sending Basic pre-emptively, an Inform without any event, and MD5 offered first.

#[path = "support/raw_cpe.rs"]
mod raw_cpe;

use std::time::Duration;

use cwmp_auth::digest::Users;
use cwmp_examples::acs::{self, Acs};
use cwmp_examples::acs_store::{AcsStore, AuthPolicy, HistoryEvent};
use raw_cpe::{Auth, RawCpe, device_key, inform};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn start(config: acs::Config) -> (Acs, String) {
    let acs = Acs::new(config).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(acs.clone().serve(listener, std::future::pending()));
    (acs, addr)
}

fn config() -> acs::Config {
    acs::Config {
        users: Users::new().with("cpe", "s3cret"),
        cr_username: "cr-user".into(),
        cr_password: "cr-pass".into(),
        ..acs::Config::default()
    }
}

/// Reads one HTTP request head (up to the blank line) from a raw socket.
async fn read_head(s: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut byte))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            n,
            1,
            "connection closed mid-request: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    String::from_utf8(buf).unwrap()
}

#[tokio::test]
async fn connection_request_headers_are_title_case_on_the_wire() {
    // A device whose CR listener matches header names byte for byte, as some agents do.
    let cr = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cr_url = format!("http://{}/cr", cr.local_addr().unwrap());
    let device = tokio::spawn(async move {
        let (mut s, _) = cr.accept().await.unwrap();
        let first = read_head(&mut s).await;
        s.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"cpe\", \
              nonce=\"abc123\", qop=\"auth\", algorithm=MD5\r\nContent-Length: 0\r\n\r\n",
        )
        .await
        .unwrap();
        let second = read_head(&mut s).await;
        s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .await
            .unwrap();
        (first, second)
    });
    let (acs, addr) = start(config()).await;
    let mut cpe = RawCpe::new(&addr, "cpe", "s3cret");
    cpe.exchange(&inform("HDR1", &["1 BOOT"], &cr_url))
        .await
        .unwrap();
    assert!(cpe.exchange("").await.unwrap().is_none());
    let result = acs.connection_request(&device_key("HDR1")).await.unwrap();
    assert_eq!(result, "accepted");
    let (first, second) = device.await.unwrap();
    assert!(first.starts_with("GET /cr HTTP/1.1\r\n"), "{first:?}");
    assert!(first.contains("\r\nHost: "), "{first:?}");
    assert!(second.contains("\r\nAuthorization: Digest "), "{second:?}");
    assert!(second.contains("username=\"cr-user\""), "{second:?}");
    assert!(!second.contains("\r\nauthorization:"), "{second:?}");
    // Recorded in the device's history.
    let h = acs
        .store()
        .history(&device_key("HDR1"), None, 100)
        .await
        .unwrap();
    assert!(h.entries.iter().any(|e| e.event
        == HistoryEvent::ConnectionRequest {
            result: "accepted".into()
        }));
}

#[tokio::test]
async fn md5_is_offered_first_and_an_inform_without_event_is_recorded() {
    let (acs, addr) = start(config()).await;
    let mut cpe = RawCpe::new(&addr, "cpe", "s3cret");
    let (status, _) = {
        let mut anonymous = RawCpe::new(&addr, "cpe", "s3cret");
        anonymous.auth = Auth::PreemptiveBasic;
        anonymous.post(&inform("EV0", &[], "")).await.unwrap()
    };
    assert_eq!(
        status.as_u16(),
        401,
        "Basic is refused under the default digest policy"
    );
    cpe.exchange(&inform("EV0", &["1 BOOT"], "")).await.unwrap();
    let ch = &cpe.last_challenges;
    assert_eq!(ch.len(), 2, "{ch:?}");
    assert!(
        ch[0].starts_with("Digest ") && ch[0].contains("algorithm=MD5"),
        "{ch:?}"
    );
    assert!(ch[1].contains("algorithm=SHA-256"), "{ch:?}");
    assert!(cpe.exchange("").await.unwrap().is_none());
    cpe.end_session();
    cpe.exchange(&inform("EV0", &[], "")).await.unwrap();
    assert!(cpe.exchange("").await.unwrap().is_none());
    let h = acs
        .store()
        .history(&device_key("EV0"), None, 100)
        .await
        .unwrap();
    let informs: Vec<(&HistoryEvent, Option<i64>)> = h
        .entries
        .iter()
        .filter(|e| e.event.kind().starts_with("inform"))
        .map(|e| (&e.event, e.session))
        .collect();
    assert_eq!(
        informs,
        vec![
            (
                &HistoryEvent::Inform {
                    events: vec!["1 BOOT".into()]
                },
                Some(1)
            ),
            (&HistoryEvent::InformWithoutEvent, Some(2)),
        ]
    );
    let d = acs
        .store()
        .device(&device_key("EV0"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.sessions_completed, 2);
}

#[tokio::test]
async fn a_simulator_sending_basic_completes_sessions_when_allowed() {
    let (acs, addr) = start(acs::Config {
        auth_policy: AuthPolicy::Basic,
        allow_basic_in_clear: true,
        ..config()
    })
    .await;
    let mut sim = RawCpe::new(&addr, "cpe", "s3cret");
    sim.auth = Auth::PreemptiveBasic;
    sim.exchange(&inform("SIM1", &["1 BOOT"], ""))
        .await
        .unwrap();
    assert!(sim.exchange("").await.unwrap().is_none());
    sim.end_session();
    let mut wrong = RawCpe::new(&addr, "cpe", "nope");
    wrong.auth = Auth::PreemptiveBasic;
    let (status, _) = wrong
        .post(&inform("SIM1", &["2 PERIODIC"], ""))
        .await
        .unwrap();
    assert_eq!(status.as_u16(), 401);
    let d = acs
        .store()
        .device(&device_key("SIM1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((d.sessions, d.sessions_completed), (1, 1));

    // Per device: the global policy is digest, one device is allowed Basic.
    let (acs, addr) = start(acs::Config {
        allow_basic_in_clear: true,
        ..config()
    })
    .await;
    let mut digest = RawCpe::new(&addr, "cpe", "s3cret");
    digest
        .exchange(&inform("SIM2", &["1 BOOT"], ""))
        .await
        .unwrap();
    assert!(digest.exchange("").await.unwrap().is_none());
    let mut sim = RawCpe::new(&addr, "cpe", "s3cret");
    sim.auth = Auth::PreemptiveBasic;
    let (status, _) = sim
        .post(&inform("SIM2", &["2 PERIODIC"], ""))
        .await
        .unwrap();
    assert_eq!(
        status.as_u16(),
        401,
        "not before the device's policy says so"
    );
    acs.store()
        .set_auth_policy(&device_key("SIM2"), Some(AuthPolicy::Basic))
        .await
        .unwrap();
    let mut sim = RawCpe::new(&addr, "cpe", "s3cret");
    sim.auth = Auth::PreemptiveBasic;
    sim.exchange(&inform("SIM2", &["2 PERIODIC"], ""))
        .await
        .unwrap();
    assert!(sim.exchange("").await.unwrap().is_none());
    let d = acs
        .store()
        .device(&device_key("SIM2"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.sessions_completed, 2);
}

#[tokio::test]
async fn an_rpc_of_a_session_that_timed_out_goes_back_to_the_head_of_the_queue() {
    use cwmp_examples::acs_store::{AbandonReason, RpcState};
    let (acs, addr) = start(acs::Config {
        session_timeout: Duration::from_millis(500),
        ..config()
    })
    .await;
    let dev = device_key("GONE1");
    let mut cpe = RawCpe::new(&addr, "cpe", "s3cret");
    cpe.exchange(&inform("GONE1", &["1 BOOT"], ""))
        .await
        .unwrap();
    assert!(cpe.exchange("").await.unwrap().is_none());
    cpe.end_session();
    let bodies = vec![
        cwmp_examples::rpcs::parse_short("gpv:Device.A.").unwrap(),
        cwmp_examples::rpcs::parse_short("gpv:Device.B.").unwrap(),
    ];
    assert_eq!(acs.queue(&dev, bodies).await.unwrap(), 2);
    cpe.exchange(&inform("GONE1", &["2 PERIODIC"], ""))
        .await
        .unwrap();
    let sent = cpe.exchange("").await.unwrap().unwrap();
    assert!(raw_cpe::as_gpv(&sent).is_some());
    // The CPE vanishes without answering.
    cpe.end_session();
    let store = acs.store();
    let mut back = false;
    for _ in 0..100 {
        let pending = store.pending(&dev).await.unwrap();
        if pending
            .first()
            .is_some_and(|r| r.state == RpcState::Queued && r.attempts == 1)
        {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "{:?}", store.pending(&dev).await.unwrap());
    let pending = store.pending(&dev).await.unwrap();
    assert_eq!(pending.len(), 2);
    let h = store.history(&dev, None, 100).await.unwrap();
    let requeued: Vec<_> = h
        .entries
        .iter()
        .filter(|e| e.event.kind() == "requeued")
        .collect();
    assert_eq!(requeued.len(), 1);
    assert_eq!(requeued[0].session, Some(2), "names the session that died");
    assert_eq!(requeued[0].rpc, Some(pending[0].id));
    assert_eq!(
        requeued[0].event,
        HistoryEvent::Requeued {
            reason: AbandonReason::Timeout,
            attempts: 1
        }
    );
    let d = store.device(&dev).await.unwrap().unwrap();
    assert_eq!((d.sessions_completed, d.sessions_failed), (1, 1));
}
