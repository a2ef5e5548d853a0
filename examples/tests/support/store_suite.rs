//! The behaviour every `AcsStore` backend must show, run against each backend by
//! `acs_store_sqlite.rs` and `acs_store_postgres.rs` through [`store_suite!`].
#![allow(dead_code)]

use std::borrow::Cow;

use cwmp_core::Body;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::rpc::{
    DeviceId, GetParameterValues, GetParameterValuesResponse, Inform, ParameterValue, Reboot,
};
use cwmp_core::value::{Value, ValueType};
use cwmp_examples::acs_store::{
    AbandonReason, AcsStore, AuthPolicy, CrCredentials, HistoryEvent, Outcome, RequeueOutcome,
    RpcState, SessionRef, StoreError,
};

/// The options every suite store is opened with.
pub fn options() -> cwmp_examples::acs_store::StoreOptions {
    cwmp_examples::acs_store::StoreOptions {
        queue_limit: 5,
        max_attempts: 3,
        ..Default::default()
    }
}

pub fn inform(serial: &str, events: &[&str], params: &[(&str, &str)]) -> Inform<'static> {
    Inform {
        device_id: DeviceId {
            manufacturer: "Acme".into(),
            oui: "00AABB".into(),
            product_class: "Box".into(),
            serial_number: Cow::Owned(serial.to_owned()),
        },
        events: events
            .iter()
            .map(|c| EventStruct {
                code: EventCode::from(*c).into_owned(),
                command_key: "".into(),
            })
            .collect(),
        max_envelopes: 1,
        current_time: cwmp_core::datetime::DateTimeText::UNKNOWN,
        retry_count: 0,
        parameters: params
            .iter()
            .map(|(n, v)| ParameterValue {
                name: Cow::Owned((*n).to_owned()),
                value: Value::string(v.to_string()),
            })
            .collect(),
    }
}

pub fn gpv(name: &str) -> Body<'static> {
    GetParameterValues {
        parameter_names: vec![Cow::Owned(name.to_owned())],
    }
    .into()
}

pub fn gpv_response(name: &str, value: &str) -> Body<'static> {
    GetParameterValuesResponse {
        parameters: vec![ParameterValue {
            name: Cow::Owned(name.to_owned()),
            value: Value::new(ValueType::UnsignedInt, value.to_owned()),
        }],
    }
    .into()
}

pub fn session(instance: &str, n: i64) -> SessionRef {
    SessionRef {
        instance: instance.to_owned(),
        session: n,
    }
}

const CR: &str = "Device.ManagementServer.ConnectionRequestURL";

/// An Inform creates the device, counts sessions, keeps the last Inform, its parameters and
/// ConnectionRequestURL, and an Inform without events is recorded as such.
pub async fn inform_records_device<S: AcsStore>(s: S) {
    let first = inform(
        "SN1",
        &["0 BOOTSTRAP", "1 BOOT"],
        &[
            (CR, "http://10.0.0.1:7547/cr"),
            ("Device.DeviceInfo.SoftwareVersion", "1.0"),
        ],
    );
    let r = s.record_inform("dev-1", &first, "a").await.unwrap();
    assert_eq!((r.session, r.new_device), (1, true));
    let second = inform("SN1", &[], &[("Device.DeviceInfo.SoftwareVersion", "1.1")]);
    let r = s.record_inform("dev-1", &second, "a").await.unwrap();
    assert_eq!((r.session, r.new_device), (2, false));

    let d = s.device("dev-1").await.unwrap().unwrap();
    assert_eq!(d.sessions, 2);
    assert_eq!(d.device_id.serial_number, "SN1");
    assert_eq!(d.last_inform, second);
    assert!(d.last_events.is_empty());
    // The URL of the first Inform stays when a later one does not carry it.
    assert_eq!(
        d.connection_request_url.as_deref(),
        Some("http://10.0.0.1:7547/cr")
    );
    let params = s.parameters("dev-1").await.unwrap();
    let version = params
        .iter()
        .find(|p| p.name == "Device.DeviceInfo.SoftwareVersion")
        .unwrap();
    assert_eq!(version.value.text, "1.1");
    assert_eq!(params.len(), 2);

    let h = s.history("dev-1", None, 100).await.unwrap();
    let events: Vec<(&HistoryEvent, Option<i64>)> =
        h.entries.iter().map(|e| (&e.event, e.session)).collect();
    assert_eq!(
        events,
        vec![
            (
                &HistoryEvent::Inform {
                    events: vec!["0 BOOTSTRAP".into(), "1 BOOT".into()]
                },
                Some(1)
            ),
            (&HistoryEvent::InformWithoutEvent, Some(2)),
        ]
    );
    assert!(s.device("nobody").await.unwrap().is_none());
}

/// Parameters seen in a GetParameterValuesResponse keep their type; the newest value wins.
pub async fn parameters_seen<S: AcsStore>(s: S) {
    s.record_inform("dev-p", &inform("SNP", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    let Body::GetParameterValuesResponse(r) = gpv_response("Device.X.N", "5") else {
        unreachable!()
    };
    s.record_parameters("dev-p", &r.parameters).await.unwrap();
    let Body::GetParameterValuesResponse(r) = gpv_response("Device.X.N", "7") else {
        unreachable!()
    };
    s.record_parameters("dev-p", &r.parameters).await.unwrap();
    let p = s.parameters("dev-p").await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].value.ty, ValueType::UnsignedInt);
    assert_eq!(p[0].value.text, "7");
    assert!(matches!(
        s.record_parameters("nobody", &r.parameters).await,
        Err(StoreError::UnknownDevice(_))
    ));
}

/// Requests are claimed in queueing order, completed exactly once, and the results kept.
pub async fn queue_claim_complete<S: AcsStore>(s: S) {
    s.record_inform("dev-q", &inform("SNQ", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    let reboot: Body<'static> = Reboot {
        command_key: "k1".into(),
    }
    .into();
    let ids = s
        .enqueue(
            "dev-q",
            &[gpv("Device.A."), gpv("Device.B."), reboot.clone()],
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids[0] < ids[1] && ids[1] < ids[2]);
    assert_eq!(s.device("dev-q").await.unwrap().unwrap().pending, 3);

    let sess = session("a", 1);
    let c1 = s.claim_next("dev-q", &sess).await.unwrap().unwrap();
    assert_eq!((c1.id, c1.attempt), (ids[0], 1));
    assert_eq!(c1.request, gpv("Device.A."));
    let r1 = s.rpc(c1.id).await.unwrap().unwrap();
    assert_eq!(r1.state, RpcState::InFlight);
    assert_eq!(r1.session, Some(sess.clone()));

    let answer = gpv_response("Device.A.X", "1");
    s.complete(c1.id, 1, &Outcome::Response(answer.clone()))
        .await
        .unwrap();
    // Exactly once: a second completion of the same claim is refused.
    assert!(matches!(
        s.complete(c1.id, 1, &Outcome::Response(answer.clone()))
            .await,
        Err(StoreError::NotInFlight {
            state: RpcState::Done,
            ..
        })
    ));

    let c2 = s.claim_next("dev-q", &sess).await.unwrap().unwrap();
    assert_eq!(c2.id, ids[1]);
    let fault = Fault::new(FaultCode::INVALID_PARAMETER_NAME).with_message("no such name");
    s.complete(c2.id, c2.attempt, &Outcome::Fault(fault.clone()))
        .await
        .unwrap();
    let c3 = s.claim_next("dev-q", &sess).await.unwrap().unwrap();
    assert_eq!(c3.request, reboot);
    assert!(s.claim_next("dev-q", &sess).await.unwrap().is_none());

    let done = s.finished("dev-q", None, 10).await.unwrap();
    assert_eq!(done.len(), 2);
    assert_eq!(done[0].state, RpcState::Done);
    assert_eq!(done[0].response.as_ref(), Some(&answer));
    assert_eq!(done[1].state, RpcState::Faulted);
    assert_eq!(done[1].fault.as_ref(), Some(&fault));
    let pending = s.pending("dev-q").await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].state, RpcState::InFlight);
    // Paging of finished RPCs.
    let page = s.finished("dev-q", Some(done[0].id), 10).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, done[1].id);

    let kinds: Vec<String> = s
        .history("dev-q", None, 100)
        .await
        .unwrap()
        .entries
        .iter()
        .map(|e| e.event.kind().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "inform", "queued", "queued", "queued", "sent", "answered", "sent", "faulted", "sent"
        ]
    );
}

/// A died session's RPC goes back to the head of the queue with its attempt count and a
/// history entry, and is given up after `max_attempts`.
pub async fn requeue_at_head_then_give_up<S: AcsStore>(s: S) {
    s.record_inform("dev-r", &inform("SNR", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    let ids = s
        .enqueue("dev-r", &[gpv("Device.A."), gpv("Device.B.")])
        .await
        .unwrap();
    for attempt in 1..=3u32 {
        let c = s
            .claim_next("dev-r", &session("a", i64::from(attempt)))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.id, c.attempt),
            (ids[0], attempt),
            "head stays at the head"
        );
        // A stale claim token is refused.
        if attempt > 1 {
            assert!(matches!(
                s.requeue(c.id, attempt - 1, AbandonReason::Timeout).await,
                Err(StoreError::NotInFlight { .. })
            ));
        }
        let outcome = s
            .requeue(c.id, c.attempt, AbandonReason::ConnectionClosed)
            .await
            .unwrap();
        if attempt < 3 {
            assert_eq!(outcome, RequeueOutcome::Requeued { attempts: attempt });
            let head = &s.pending("dev-r").await.unwrap()[0];
            assert_eq!(
                (head.id, head.state, head.attempts),
                (ids[0], RpcState::Queued, attempt)
            );
        } else {
            assert_eq!(outcome, RequeueOutcome::GaveUp { attempts: 3 });
        }
    }
    let failed = s.rpc(ids[0]).await.unwrap().unwrap();
    assert_eq!(failed.state, RpcState::Failed);
    assert!(failed.finished_ms.is_some());
    let next = s
        .claim_next("dev-r", &session("a", 4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, ids[1]);

    let h = s.history("dev-r", None, 100).await.unwrap();
    let requeues: Vec<&HistoryEvent> = h
        .entries
        .iter()
        .filter(|e| e.rpc == Some(ids[0]))
        .map(|e| &e.event)
        .filter(|e| {
            matches!(
                e,
                HistoryEvent::Requeued { .. } | HistoryEvent::GaveUp { .. }
            )
        })
        .collect();
    assert_eq!(
        requeues,
        vec![
            &HistoryEvent::Requeued {
                reason: AbandonReason::ConnectionClosed,
                attempts: 1
            },
            &HistoryEvent::Requeued {
                reason: AbandonReason::ConnectionClosed,
                attempts: 2
            },
            &HistoryEvent::GaveUp {
                reason: AbandonReason::ConnectionClosed,
                attempts: 3
            },
        ]
    );
    // The requeue entries name the session that failed.
    let sessions: Vec<Option<i64>> = h
        .entries
        .iter()
        .filter(|e| e.rpc == Some(ids[0]) && e.event.kind() == "requeued")
        .map(|e| e.session)
        .collect();
    assert_eq!(sessions, vec![Some(1), Some(2)]);
}

/// At start-up an instance puts back what its previous run left in flight; an instance whose
/// heartbeat stopped has its RPCs put back by others; live instances keep theirs.
pub async fn recovery<S: AcsStore>(s: S) {
    s.record_inform("dev-x", &inform("SNX", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    s.record_inform("dev-y", &inform("SNY", &["1 BOOT"], &[]), "b")
        .await
        .unwrap();
    let x = s.enqueue("dev-x", &[gpv("Device.A.")]).await.unwrap();
    let y = s.enqueue("dev-y", &[gpv("Device.B.")]).await.unwrap();
    s.heartbeat("a", 1_000).await.unwrap();
    s.heartbeat("b", 1_000).await.unwrap();
    s.claim_next("dev-x", &session("a", 1))
        .await
        .unwrap()
        .unwrap();
    s.claim_next("dev-y", &session("b", 1))
        .await
        .unwrap()
        .unwrap();

    // `a` restarts.
    let back = s.recover_instance("a").await.unwrap();
    assert_eq!(back, vec![(x[0], RequeueOutcome::Requeued { attempts: 1 })]);
    assert_eq!(s.rpc(x[0]).await.unwrap().unwrap().state, RpcState::Queued);
    assert_eq!(
        s.rpc(y[0]).await.unwrap().unwrap().state,
        RpcState::InFlight
    );

    // `b` is alive at 5000; nothing is stale before 2000.
    s.heartbeat("b", 5_000).await.unwrap();
    assert!(s.recover_stale(2_000).await.unwrap().is_empty());
    // `b` stops; at 9000 its heartbeat (5000) is older than 6000.
    s.heartbeat("a", 9_000).await.unwrap();
    let back = s.recover_stale(6_000).await.unwrap();
    assert_eq!(back, vec![(y[0], RequeueOutcome::Requeued { attempts: 1 })]);
    let h = s.history("dev-y", None, 100).await.unwrap();
    assert!(h.entries.iter().any(|e| e.event
        == HistoryEvent::Requeued {
            reason: AbandonReason::InstanceLost,
            attempts: 1
        }));
    let h = s.history("dev-x", None, 100).await.unwrap();
    assert!(h.entries.iter().any(|e| e.event
        == HistoryEvent::Requeued {
            reason: AbandonReason::InstanceRestarted,
            attempts: 1
        }));
}

/// Cancel: only a queued RPC of that device; errors say which mistake.
pub async fn cancel<S: AcsStore>(s: S) {
    s.record_inform("dev-c", &inform("SNC", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    s.record_inform("dev-d", &inform("SND", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    let ids = s
        .enqueue("dev-c", &[gpv("Device.A."), gpv("Device.B.")])
        .await
        .unwrap();
    let c = s
        .claim_next("dev-c", &session("a", 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.id, ids[0]);
    assert!(matches!(
        s.cancel("dev-c", ids[0]).await,
        Err(StoreError::NotQueued {
            state: RpcState::InFlight,
            ..
        })
    ));
    assert!(matches!(
        s.cancel("dev-d", ids[1]).await,
        Err(StoreError::UnknownRpc(_))
    ));
    assert!(matches!(
        s.cancel("nobody", ids[1]).await,
        Err(StoreError::UnknownDevice(_))
    ));
    assert!(matches!(
        s.cancel("dev-c", 999_999_999).await,
        Err(StoreError::UnknownRpc(999_999_999))
    ));
    let r = s.cancel("dev-c", ids[1]).await.unwrap();
    assert_eq!((r.id, r.state), (ids[1], RpcState::Cancelled));
    assert!(matches!(
        s.cancel("dev-c", ids[1]).await,
        Err(StoreError::NotQueued {
            state: RpcState::Cancelled,
            ..
        })
    ));
    // Nothing cancelled is ever claimed.
    s.requeue(c.id, c.attempt, AbandonReason::Timeout)
        .await
        .unwrap();
    let again = s
        .claim_next("dev-c", &session("a", 2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, ids[0]);
    assert!(
        s.claim_next("dev-c", &session("a", 2))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.history("dev-c", None, 100)
            .await
            .unwrap()
            .entries
            .iter()
            .any(|e| e.event
                == HistoryEvent::Cancelled {
                    method: "GetParameterValues".into()
                })
    );
}

/// The queue limit counts queued and in-flight RPCs, and enqueueing is all or none.
pub async fn queue_limit<S: AcsStore>(s: S) {
    s.record_inform("dev-l", &inform("SNL", &["1 BOOT"], &[]), "a")
        .await
        .unwrap();
    let four: Vec<Body<'static>> = (0..4).map(|i| gpv(&format!("Device.N{i}."))).collect();
    s.enqueue("dev-l", &four).await.unwrap();
    s.claim_next("dev-l", &session("a", 1))
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        s.enqueue("dev-l", &[gpv("Device.Y."), gpv("Device.Z.")])
            .await,
        Err(StoreError::QueueFull { limit: 5, .. })
    ));
    assert_eq!(s.pending("dev-l").await.unwrap().len(), 4, "all or none");
    s.enqueue("dev-l", &[gpv("Device.Y.")]).await.unwrap();
    assert!(matches!(
        s.enqueue("dev-l", &[gpv("Device.Z.")]).await,
        Err(StoreError::QueueFull { .. })
    ));
    assert!(matches!(
        s.enqueue("nobody", &[gpv("Device.Z.")]).await,
        Err(StoreError::UnknownDevice(_))
    ));
    // A message an ACS does not send is refused before anything is stored.
    let inform_body: Body<'static> = inform("SNL", &[], &[]).into();
    let e = s.enqueue("dev-l", &[inform_body]).await.unwrap_err();
    assert!(matches!(e, StoreError::NotAnAcsRequest(ref m) if m == "Inform"));
    assert!(e.is_client_error());
}

/// Devices page in id order without gaps or repeats; history pages too.
pub async fn paging<S: AcsStore>(s: S) {
    for i in (0..7).rev() {
        s.record_inform(
            &format!("page-{i}"),
            &inform(&format!("P{i}"), &["2 PERIODIC"], &[]),
            "a",
        )
        .await
        .unwrap();
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = s.devices(after.as_deref(), 3).await.unwrap();
        assert!(page.devices.len() <= 3);
        seen.extend(page.devices.iter().map(|d| d.id.clone()));
        pages += 1;
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..7).map(|i| format!("page-{i}")).collect();
    assert_eq!(seen, expected);

    for _ in 0..4 {
        s.record_inform("page-0", &inform("P0", &["2 PERIODIC"], &[]), "a")
            .await
            .unwrap();
    }
    let p1 = s.history("page-0", None, 2).await.unwrap();
    assert_eq!(p1.entries.len(), 2);
    let p2 = s.history("page-0", p1.next, 2).await.unwrap();
    assert_eq!(p2.entries.len(), 2);
    let p3 = s.history("page-0", p2.next, 2).await.unwrap();
    assert_eq!(p3.entries.len(), 1);
    assert_eq!(p3.next, None);
    let sessions: Vec<Option<i64>> = [p1, p2, p3]
        .iter()
        .flat_map(|p| p.entries.iter().map(|e| e.session))
        .collect();
    assert_eq!(sessions, vec![Some(1), Some(2), Some(3), Some(4), Some(5)]);
    assert!(matches!(
        s.history("nobody", None, 2).await,
        Err(StoreError::UnknownDevice(_))
    ));
}

/// Connection-request credentials and URL, auth policy, session ends, and history entries
/// added by the ACS.
pub async fn device_settings<S: AcsStore>(s: S) {
    s.record_inform(
        "dev-s",
        &inform("SNS", &["1 BOOT"], &[(CR, "http://192.0.2.7:7547/")]),
        "a",
    )
    .await
    .unwrap();
    let t = s.cr_target("dev-s").await.unwrap().unwrap();
    assert_eq!(t.url, "http://192.0.2.7:7547/");
    assert_eq!(t.credentials, None);
    let creds = CrCredentials {
        username: "cr-user".into(),
        password: "cr pass".into(),
    };
    s.set_cr_credentials("dev-s", Some(creds.clone()))
        .await
        .unwrap();
    assert_eq!(
        s.cr_target("dev-s").await.unwrap().unwrap().credentials,
        Some(creds)
    );
    assert!(s.device("dev-s").await.unwrap().unwrap().has_cr_credentials);
    s.set_cr_credentials("dev-s", None).await.unwrap();
    assert!(!s.device("dev-s").await.unwrap().unwrap().has_cr_credentials);
    assert!(matches!(
        s.cr_target("nobody").await,
        Err(StoreError::UnknownDevice(_))
    ));

    assert_eq!(s.device("dev-s").await.unwrap().unwrap().auth_policy, None);
    s.set_auth_policy("dev-s", Some(AuthPolicy::Basic))
        .await
        .unwrap();
    assert_eq!(
        s.device("dev-s").await.unwrap().unwrap().auth_policy,
        Some(AuthPolicy::Basic)
    );
    assert!(matches!(
        s.set_auth_policy("nobody", Some(AuthPolicy::None)).await,
        Err(StoreError::UnknownDevice(_))
    ));

    s.record_session_end("dev-s", 1, None).await.unwrap();
    s.record_inform("dev-s", &inform("SNS", &["2 PERIODIC"], &[]), "a")
        .await
        .unwrap();
    s.record_session_end("dev-s", 2, Some("timeout waiting for the CPE"))
        .await
        .unwrap();
    let d = s.device("dev-s").await.unwrap().unwrap();
    assert_eq!(
        (d.sessions, d.sessions_completed, d.sessions_failed),
        (2, 1, 1)
    );
    let cr = HistoryEvent::ConnectionRequest {
        result: "accepted".into(),
    };
    s.add_history("dev-s", None, None, &cr).await.unwrap();
    let h = s.history("dev-s", None, 100).await.unwrap();
    assert!(h.entries.iter().any(|e| e.session == Some(2)
        && e.event
            == HistoryEvent::SessionEnded {
                failure: Some("timeout waiting for the CPE".into())
            }));
    assert_eq!(h.entries.last().unwrap().event, cr);
}

/// The first instance's secret is everyone's.
pub async fn shared_secret<S: AcsStore>(s: S) {
    let a = s.shared_secret("digest", &[1u8; 32]).await.unwrap();
    let b = s.shared_secret("digest", &[2u8; 32]).await.unwrap();
    assert_eq!(a, vec![1u8; 32]);
    assert_eq!(b, a);
    let other = s.shared_secret("other", &[3u8; 16]).await.unwrap();
    assert_eq!(other, vec![3u8; 16]);
}

/// One `#[tokio::test]` per suite function, each on a fresh store from `$make` (an async
/// function taking the test's name), with the given extra attributes.
#[macro_export]
macro_rules! store_suite {
    ($make:path $(, #[$attr:meta])*) => {
        $crate::store_suite!(@one $make, [$(#[$attr])*],
            inform_records_device, parameters_seen, queue_claim_complete,
            requeue_at_head_then_give_up, recovery, cancel, queue_limit, paging,
            device_settings, shared_secret);
    };
    (@one $make:path, $attrs:tt, $($name:ident),*) => {
        $( $crate::store_suite!(@test $make, $attrs, $name); )*
    };
    (@test $make:path, [$(#[$attr:meta])*], $name:ident) => {
        #[tokio::test]
        $(#[$attr])*
        async fn $name() {
            suite::$name($make(stringify!($name)).await).await;
        }
    };
}
