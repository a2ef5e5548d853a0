//! Whole sessions between the CPE and ACS engines, in memory, with a fake clock (a base
//! `Instant` plus offsets moved by hand).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cwmp_core::datetime::DateTimeText;
use cwmp_core::envelope::UnknownMethod;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, SetParameterValuesFault};
use cwmp_core::header::Header;
use cwmp_core::rpc::*;
use cwmp_core::session::acs::{self, AcsConfig, AcsFailure, AcsSession, Received, Reply};
use cwmp_core::session::cpe::{
    self, Cpe, CpeConfig, CpeEvent, CpeHandler, Failure, HttpResponse, SessionStart,
};
use cwmp_core::session::{Incoming, ParameterKey, RequestHandle, retry_window};
use cwmp_core::{Body, CwmpVersion, Envelope};

const KEY_NAME: &str = "Device.ManagementServer.ParameterKey";

/// A tiny device: a parameter table, Download accepted for later (Status=1).
#[derive(Debug, Default)]
struct Device {
    params: BTreeMap<String, String>,
    downloads: Vec<String>,
    next_instance: u32,
}

impl Device {
    fn new() -> Self {
        let mut params = BTreeMap::new();
        params.insert("Device.DeviceInfo.SoftwareVersion".into(), "1.0".into());
        params.insert(
            "Device.ManagementServer.PeriodicInformInterval".into(),
            "300".into(),
        );
        Device {
            params,
            downloads: Vec::new(),
            next_instance: 0,
        }
    }
}

impl CpeHandler for Device {
    fn handle(
        &mut self,
        request: &Body<'_>,
        _now: Instant,
    ) -> Result<Body<'static>, Fault<'static>> {
        match request {
            Body::GetParameterValues(gpv) => {
                let mut out = Vec::new();
                for name in &gpv.parameter_names {
                    let value = self
                        .params
                        .get(name.as_ref())
                        .ok_or_else(|| Fault::new(FaultCode::INVALID_PARAMETER_NAME))?;
                    out.push(ParameterValue::new(name.to_string(), value.clone()));
                }
                Ok(GetParameterValuesResponse { parameters: out }.into())
            }
            Body::SetParameterValues(spv) => {
                let bad: Vec<SetParameterValuesFault<'static>> = spv
                    .parameters
                    .iter()
                    .filter(|p| !self.params.contains_key(p.name.as_ref()))
                    .map(|p| {
                        SetParameterValuesFault::new(
                            p.name.to_string(),
                            FaultCode::INVALID_PARAMETER_NAME,
                        )
                    })
                    .collect();
                if !bad.is_empty() {
                    return Err(Fault::set_parameter_values(bad));
                }
                for p in &spv.parameters {
                    self.params
                        .insert(p.name.to_string(), p.value.text.to_string());
                }
                Ok(SetParameterValuesResponse { status: 0 }.into())
            }
            Body::GetParameterNames(gpn) => {
                let path = gpn.parameter_path.as_ref();
                let names: Vec<ParameterInfo<'static>> = self
                    .params
                    .keys()
                    .filter(|n| n.starts_with(path))
                    .map(|n| ParameterInfo {
                        name: n.clone().into(),
                        writable: true,
                    })
                    .collect();
                if names.is_empty() {
                    return Err(Fault::new(FaultCode::INVALID_PARAMETER_NAME));
                }
                Ok(GetParameterNamesResponse { parameters: names }.into())
            }
            Body::AddObject(add) => {
                self.next_instance += 1;
                let n = self.next_instance;
                self.params
                    .insert(format!("{}{n}.Enable", add.object_name), "false".into());
                Ok(AddObjectResponse {
                    instance_number: n,
                    status: 0,
                }
                .into())
            }
            Body::Download(d) => {
                self.downloads.push(d.command_key.to_string());
                Ok(DownloadResponse {
                    status: 1,
                    start_time: DateTimeText::UNKNOWN,
                    complete_time: DateTimeText::UNKNOWN,
                }
                .into())
            }
            _ => Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED)),
        }
    }
}

fn device_id() -> DeviceId<'static> {
    DeviceId {
        manufacturer: "Acme".into(),
        oui: "00256D".into(),
        product_class: "Router".into(),
        serial_number: "S1".into(),
    }
}

/// One recorded HTTP exchange: what the CPE posted and what came back.
#[derive(Debug)]
struct Exchange {
    post: Option<String>,
    reply: Option<String>,
}

/// What the ACS application saw: the messages the engine handed over (owned here so the
/// tests can keep them) and the engine's events.
#[derive(Debug, Clone, PartialEq)]
enum AcsEvent {
    InformReceived {
        header: Header<'static>,
        inform: Inform<'static>,
        version: Option<CwmpVersion>,
    },
    CpeRequest {
        id: Option<String>,
        request: Body<'static>,
    },
    Response {
        id: String,
        request: Body<'static>,
        response: Body<'static>,
    },
    Fault {
        id: String,
        request: Body<'static>,
        fault: Fault<'static>,
    },
    Abandoned {
        id: String,
        request: Body<'static>,
        sent: bool,
    },
    Idle,
    SessionEnded {
        success: bool,
        failure: Option<AcsFailure>,
    },
}

fn seen(acs: &AcsSession, r: Received<'_>) -> Option<AcsEvent> {
    Some(match r {
        Received::Inform { header, inform, .. } => AcsEvent::InformReceived {
            header: header.into_owned(),
            inform: inform.into_owned(),
            version: acs.negotiated_version(),
        },
        Received::CpeRequest { id, request } => AcsEvent::CpeRequest {
            id: id.map(|s| s.into_owned()),
            request: request.into_owned(),
        },
        Received::Response {
            handle,
            request,
            response,
        } => AcsEvent::Response {
            id: acs.request_id(handle),
            request,
            response: response.into_owned(),
        },
        Received::Fault {
            handle,
            request,
            fault,
        } => AcsEvent::Fault {
            id: acs.request_id(handle),
            request,
            fault: fault.into_owned(),
        },
        Received::EmptyPost => return None,
        _ => unreachable!(),
    })
}

fn engine_event(acs: &AcsSession, e: acs::AcsEvent) -> AcsEvent {
    match e {
        acs::AcsEvent::Idle => AcsEvent::Idle,
        acs::AcsEvent::RequestAbandoned {
            handle,
            request,
            sent,
        } => AcsEvent::Abandoned {
            id: acs.request_id(handle),
            request,
            sent,
        },
        acs::AcsEvent::SessionEnded { success, failure } => {
            AcsEvent::SessionEnded { success, failure }
        }
        other => panic!("{other:?}"),
    }
}

/// What the CPE application saw: the engine's events and the completions it handed over.
#[derive(Debug, Clone, PartialEq)]
enum CpeEv {
    E(CpeEvent),
    RequestCompleted {
        id: RequestHandle,
        request: Body<'static>,
        response: Body<'static>,
    },
    RequestFaulted {
        id: RequestHandle,
        fault: Fault<'static>,
        requeued: bool,
    },
}

thread_local! {
    static NOW: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// `enqueue` at the harness's current time.
trait Push {
    fn push(&mut self, body: Body<'static>) -> Result<String, cwmp_core::session::Error>;
}

impl Push for AcsSession {
    fn push(&mut self, body: Body<'static>) -> Result<String, cwmp_core::session::Error> {
        let now = NOW.with(|n| n.get()).expect("inside a session");
        let handle = self.enqueue(body, now)?;
        Ok(self.request_id(handle))
    }
}

fn incoming(env: Envelope<'static>) -> Incoming<'static> {
    Incoming::new(env, CwmpVersion::V1_2)
}

struct Pair {
    cpe: Cpe,
    device: Device,
    acs_config: AcsConfig,
    now: Instant,
    random: u64,
    cpe_events: Vec<CpeEv>,
    acs_events: Vec<AcsEvent>,
    wire: Vec<Exchange>,
    informs: Vec<Envelope<'static>>,
}

impl Pair {
    fn new(config: CpeConfig) -> Self {
        let mut config = config;
        config.parameter_key_name = Some(KEY_NAME.to_owned());
        Pair {
            cpe: Cpe::new(config),
            device: Device::new(),
            acs_config: AcsConfig::default().with_finish_when_idle(true),
            now: Instant::now(),
            random: 0,
            cpe_events: Vec::new(),
            acs_events: Vec::new(),
            wire: Vec::new(),
            informs: Vec::new(),
        }
    }

    fn drain_cpe(&mut self) {
        while let Some(e) = self.cpe.poll_event() {
            self.cpe_events.push(CpeEv::E(e));
        }
    }

    fn has(&self, e: CpeEvent) -> bool {
        self.cpe_events.contains(&CpeEv::E(e))
    }

    /// Moves the clock to the CPE's next timeout and handles it.
    fn fire_cpe_timer(&mut self) {
        let at = self.cpe.poll_timeout().expect("a timer is armed");
        if at > self.now {
            self.now = at;
        }
        self.cpe.handle_timeout(self.now);
        self.drain_cpe();
    }

    /// Runs one session: the CPE's timer fires (SessionDue), the session starts, and POSTs
    /// and replies alternate until the CPE stops posting. `on_event` sees each message and
    /// event with the ACS engine (to enqueue work or decide); `map_reply` turns the n-th
    /// reply into the HTTP response the CPE gets (to simulate a misbehaving ACS).
    fn session(
        &mut self,
        mut on_event: impl FnMut(&mut AcsSession, &AcsEvent, Instant),
        mut map_reply: impl FnMut(usize, Reply<'_>) -> HttpResponse<'static>,
    ) -> AcsSession {
        self.cpe_events.clear();
        self.acs_events.clear();
        self.wire.clear();
        self.fire_cpe_timer();
        assert!(self.has(CpeEvent::SessionDue), "{:?}", self.cpe_events);
        let params = vec![
            ParameterValue::new("Device.DeviceInfo.SoftwareVersion", "1.0"),
            ParameterValue::new(KEY_NAME, "stale value the engine replaces"),
        ];
        self.random = self
            .random
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1);
        self.cpe
            .start_session(
                self.now,
                SessionStart::new(DateTimeText::UNKNOWN, params, self.random),
            )
            .unwrap();
        self.drain_cpe();
        let mut acs = AcsSession::new(self.acs_config.clone(), self.now);
        let mut n = 0;
        while let Some(post) = self.cpe.poll_transmit() {
            assert_eq!(post.method, "POST");
            match post.envelope {
                Some(env) => {
                    assert_eq!(post.soap_action, Some(""));
                    assert_eq!(post.content_type, Some("text/xml; charset=\"utf-8\""));
                    if matches!(env.body, Body::Inform(_)) {
                        self.informs.push(env.clone());
                    }
                }
                None => {
                    assert_eq!(post.soap_action, None);
                    assert_eq!(post.content_type, None);
                }
            }
            let post_env = post.envelope.cloned();
            let post_version = post.version;
            self.now += Duration::from_millis(20);
            NOW.with(|c| c.set(Some(self.now)));
            let post_name = name(&post_env);
            let received = acs
                .handle_request(post_env.map(|e| Incoming::new(e, post_version)), self.now)
                .unwrap();
            if let Some(e) = received.and_then(|r| seen(&acs, r)) {
                on_event(&mut acs, &e, self.now);
                self.acs_events.push(e);
            }
            while let Some(e) = acs.poll_event() {
                let e = engine_event(&acs, e);
                on_event(&mut acs, &e, self.now);
                self.acs_events.push(e);
            }
            let reply = acs.poll_reply().expect("the ACS replied");
            self.wire.push(Exchange {
                post: post_name,
                reply: reply.envelope().map(|e| e.body.name().to_owned()),
            });
            self.now += Duration::from_millis(20);
            let response = map_reply(n, reply);
            n += 1;
            let got = self
                .cpe
                .handle_response_with(response, self.now, &mut self.device)
                .unwrap();
            self.drain_cpe();
            match got {
                Some(cpe::Received::RequestCompleted {
                    handle,
                    request,
                    response,
                }) => self.cpe_events.push(CpeEv::RequestCompleted {
                    id: handle,
                    request,
                    response: response.into_owned(),
                }),
                Some(cpe::Received::RequestFaulted {
                    handle,
                    request,
                    fault,
                }) => self.cpe_events.push(CpeEv::RequestFaulted {
                    id: handle,
                    fault: fault.into_owned(),
                    requeued: request.is_none(),
                }),
                Some(other) => panic!("{other:?}"),
                None => {}
            }
        }
        NOW.with(|c| c.set(None));
        acs
    }

    fn plain_session(&mut self, on_event: impl FnMut(&mut AcsSession, &AcsEvent, Instant)) {
        self.session(on_event, as_http);
    }

    fn ended(&self) -> Option<(bool, Option<Failure>)> {
        self.cpe_events.iter().find_map(|e| match e {
            CpeEv::E(CpeEvent::SessionEnded { success, failure }) => {
                Some((*success, failure.clone()))
            }
            _ => None,
        })
    }

    fn acs_ended(&self) -> Option<(bool, Option<AcsFailure>)> {
        self.acs_events.iter().find_map(|e| match e {
            AcsEvent::SessionEnded { success, failure } => Some((*success, failure.clone())),
            _ => None,
        })
    }

    fn last_inform(&self) -> (&Envelope<'static>, &Inform<'static>) {
        let env = self.informs.last().unwrap();
        match &env.body {
            Body::Inform(i) => (env, i),
            other => panic!("{other:?}"),
        }
    }

    fn wire_posts(&self) -> Vec<String> {
        self.wire
            .iter()
            .map(|x| x.post.clone().unwrap_or_else(|| "(empty)".into()))
            .collect()
    }
}

fn name(env: &Option<Envelope<'static>>) -> Option<String> {
    env.as_ref().map(|e| e.body.name().to_owned())
}

fn as_http(_: usize, reply: Reply<'_>) -> HttpResponse<'static> {
    match reply {
        Reply::Envelope { envelope, version } => HttpResponse::ok(envelope.clone(), version),
        Reply::NoContent => HttpResponse::no_content(),
    }
}

fn nothing(_: &mut AcsSession, _: &AcsEvent, _: Instant) {}

fn codes(events: &[EventStruct<'_>]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| (e.code.to_string(), e.command_key.to_string()))
        .collect()
}

fn ev(code: EventCode<'static>) -> EventStruct<'static> {
    EventStruct::new(code)
}

#[test]
fn boot_with_bootstrap_and_boot() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t0 = pair.now;
    assert!(pair.cpe.add_event(ev(EventCode::BOOTSTRAP), t0));
    assert!(pair.cpe.add_event(ev(EventCode::BOOT), t0));
    assert!(!pair.cpe.add_event(ev(EventCode::BOOT), t0), "single event");
    assert_eq!(pair.cpe.poll_timeout(), Some(t0));
    pair.plain_session(nothing);

    let (env, inform) = pair.last_inform();
    assert_eq!(
        codes(&inform.events),
        vec![
            ("0 BOOTSTRAP".into(), "".into()),
            ("1 BOOT".into(), "".into())
        ]
    );
    assert_eq!(inform.retry_count, 0);
    assert_eq!(inform.max_envelopes, 1);
    assert_eq!(inform.device_id, device_id());
    assert_eq!(inform.parameter(KEY_NAME).unwrap().text, "");
    assert_eq!(env.header.id.as_deref(), Some("cpe-1"));
    assert_eq!(pair.wire_posts(), vec!["Inform", "(empty)"]);
    assert_eq!(pair.wire[0].reply.as_deref(), Some("InformResponse"));
    assert_eq!(pair.wire[1].reply, None, "204 ends the session");
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.acs_ended(), Some((true, None)));
    assert!(pair.cpe.pending_events().is_empty());
    assert_eq!(pair.cpe.poll_timeout(), None, "nothing due");
    assert!(matches!(
        pair.acs_events[0],
        AcsEvent::InformReceived { ref inform, .. } if inform.has_event(&EventCode::BOOTSTRAP)
    ));
}

#[test]
fn periodic_inform_and_a_read() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let mut got = None;
    pair.plain_session(|acs, e, _| match e {
        AcsEvent::InformReceived { .. } => {
            acs.push(
                GetParameterValues::new(["Device.ManagementServer.PeriodicInformInterval"]).into(),
            )
            .unwrap();
        }
        AcsEvent::Response { id, response, .. } => got = Some((id.clone(), response.clone())),
        _ => {}
    });
    let (_, inform) = pair.last_inform();
    assert_eq!(
        codes(&inform.events),
        vec![("2 PERIODIC".into(), "".into())]
    );
    assert_eq!(
        pair.wire_posts(),
        vec!["Inform", "(empty)", "GetParameterValuesResponse"]
    );
    let (id, response) = got.unwrap();
    assert_eq!(id, "acs-1");
    match response {
        Body::GetParameterValuesResponse(r) => assert_eq!(r.parameters[0].value.text, "300"),
        other => panic!("{other:?}"),
    }
    assert_eq!(pair.ended(), Some((true, None)));
}

#[test]
fn connection_request_is_not_retried_after_a_failed_session() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::CONNECTION_REQUEST), t);
    pair.cpe.defer_event(ev(EventCode::VALUE_CHANGE));
    // The ACS is overloaded: 503 to the Inform.
    pair.session(nothing, |_, _| HttpResponse::empty(503));
    let (_, inform) = pair.last_inform();
    assert!(inform.has_event(&EventCode::CONNECTION_REQUEST));
    assert_eq!(pair.ended(), Some((false, Some(Failure::HttpStatus(503)))));
    assert_eq!(
        codes(pair.cpe.pending_events()),
        vec![("4 VALUE CHANGE".into(), "".into())]
    );
    assert_eq!(pair.cpe.retry_count(), 1);
    let failed_at = pair.now;
    let at = pair
        .cpe_events
        .iter()
        .find_map(|e| match e {
            CpeEv::E(CpeEvent::RetryScheduled { at, retry_count }) => Some((*at, *retry_count)),
            _ => None,
        })
        .unwrap();
    assert_eq!(at.1, 1);
    assert!(at.0 >= failed_at + Duration::from_secs(5));
    assert!(at.0 <= failed_at + Duration::from_secs(10));

    // The retry carries RetryCount 1 and the value change, not the connection request.
    pair.plain_session(nothing);
    let (_, inform) = pair.last_inform();
    assert_eq!(inform.retry_count, 1);
    assert_eq!(
        codes(&inform.events),
        vec![("4 VALUE CHANGE".into(), "".into())]
    );
    assert!(pair.now >= at.0);
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.cpe.retry_count(), 0);
}

#[test]
fn download_now_transfer_complete_in_the_next_session() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let mut download_status = None;
    pair.plain_session(|acs, e, _| match e {
        AcsEvent::InformReceived { .. } => {
            acs.push(
                Download {
                    command_key: "dl-42".into(),
                    url: "http://h/f?a=1&b=2".into(),
                    ..Download::default()
                }
                .into(),
            )
            .unwrap();
        }
        AcsEvent::Response {
            response: Body::DownloadResponse(r),
            ..
        } => download_status = Some(r.status),
        _ => {}
    });
    assert_eq!(download_status, Some(1));
    assert_eq!(pair.device.downloads, vec!["dl-42".to_owned()]);
    assert_eq!(pair.ended(), Some((true, None)));

    // The transfer finishes; the application queues TransferComplete with its events.
    pair.now += Duration::from_secs(60);
    let t = pair.now;
    let token = pair
        .cpe
        .queue_request(
            TransferComplete {
                command_key: "dl-42".into(),
                fault: TransferFault::success(),
                start_time: DateTimeText::new("2026-01-01T00:00:00Z"),
                complete_time: DateTimeText::new("2026-01-01T00:01:00Z"),
            }
            .into(),
            vec![
                ev(EventCode::TRANSFER_COMPLETE),
                EventStruct::with_command_key(EventCode::M_DOWNLOAD, "dl-42"),
            ],
            t,
        )
        .unwrap();
    assert_eq!(pair.cpe.poll_timeout(), Some(t));
    let mut tc_key = None;
    pair.plain_session(|_, e, _| {
        if let AcsEvent::CpeRequest {
            request: Body::TransferComplete(tc),
            ..
        } = e
        {
            tc_key = Some(tc.command_key.to_string());
        }
    });
    let (_, inform) = pair.last_inform();
    assert_eq!(
        codes(&inform.events),
        vec![
            ("7 TRANSFER COMPLETE".into(), "".into()),
            ("M Download".into(), "dl-42".into())
        ]
    );
    assert_eq!(tc_key.as_deref(), Some("dl-42"));
    assert_eq!(
        pair.wire_posts(),
        vec!["Inform", "TransferComplete", "(empty)"]
    );
    assert_eq!(
        pair.wire[1].reply.as_deref(),
        Some("TransferCompleteResponse")
    );
    assert!(pair.cpe_events.iter().any(|e| matches!(
        e,
        CpeEv::RequestCompleted { id, response: Body::TransferCompleteResponse(_), .. } if *id == token
    )));
    assert_eq!(pair.cpe.queued_requests(), 0);
    assert!(pair.cpe.pending_events().is_empty());
}

#[test]
fn spv_fault_reaches_the_acs_and_leaves_the_parameter_key() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.cpe.set_parameter_key(ParameterKey::new("initial"));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let mut faults = Vec::new();
    pair.plain_session(|acs, e, _| match e {
        AcsEvent::InformReceived { .. } => {
            acs.push(
                SetParameterValues {
                    parameters: vec![
                        ParameterValue::new(
                            "Device.ManagementServer.PeriodicInformInterval",
                            60u32,
                        ),
                        ParameterValue::new("Device.Nope", "x"),
                    ],
                    parameter_key: "bad-change".into(),
                }
                .into(),
            )
            .unwrap();
        }
        AcsEvent::Fault { id, fault, .. } => faults.push((id.clone(), fault.clone())),
        _ => {}
    });
    let (id, fault) = &faults[0];
    assert_eq!(id, "acs-1");
    assert_eq!(fault.code, FaultCode::INVALID_ARGUMENTS);
    assert_eq!(fault.set_parameter_values_faults.len(), 1);
    assert_eq!(
        fault.set_parameter_values_faults[0].parameter_name,
        "Device.Nope"
    );
    assert_eq!(
        fault.set_parameter_values_faults[0].code,
        FaultCode::INVALID_PARAMETER_NAME
    );
    assert_eq!(pair.cpe.parameter_key().as_str(), "initial");
    assert!(
        !pair
            .cpe_events
            .iter()
            .any(|e| matches!(e, CpeEv::E(CpeEvent::ParameterKeyChanged)))
    );
    assert!(pair.has(CpeEvent::AcsRequestAnswered {
        method: "SetParameterValues",
        fault: Some(FaultCode::INVALID_ARGUMENTS)
    }));

    // A good SPV sets the key, and the next Inform reports it.
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.plain_session(|acs, e, _| {
        if let AcsEvent::InformReceived { inform, .. } = e {
            assert_eq!(inform.parameter(KEY_NAME).unwrap().text, "initial");
            acs.push(
                SetParameterValues {
                    parameters: vec![ParameterValue::new(
                        "Device.ManagementServer.PeriodicInformInterval",
                        60u32,
                    )],
                    parameter_key: "good-change".into(),
                }
                .into(),
            )
            .unwrap();
        }
    });
    assert!(pair.has(CpeEvent::ParameterKeyChanged));
    assert_eq!(pair.cpe.parameter_key().as_str(), "good-change");
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.plain_session(nothing);
    let (_, inform) = pair.last_inform();
    assert_eq!(inform.parameter(KEY_NAME).unwrap().text, "good-change");
}

fn queue_tc(pair: &mut Pair, key: &str) {
    let t = pair.now;
    pair.cpe
        .queue_request(
            TransferComplete {
                command_key: key.to_owned().into(),
                fault: TransferFault::success(),
                start_time: DateTimeText::UNKNOWN,
                complete_time: DateTimeText::UNKNOWN,
            }
            .into(),
            vec![
                ev(EventCode::TRANSFER_COMPLETE),
                EventStruct::with_command_key(EventCode::M_DOWNLOAD, key.to_owned()),
            ],
            t,
        )
        .unwrap();
}

#[test]
fn transfer_complete_answered_8005_is_resent_identically() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.acs_config.confirm = true;
    queue_tc(&mut pair, "k1");
    let mut seen = Vec::new();
    let mut busy = 2;
    pair.plain_session(|acs, e, now| match e {
        AcsEvent::InformReceived { .. } => acs.accept(now).unwrap(),
        AcsEvent::CpeRequest { id, request } => {
            seen.push((id.clone(), request.clone()));
            if busy > 0 {
                busy -= 1;
                acs.reject(Fault::new(FaultCode::ACS_RETRY_REQUEST), now)
                    .unwrap();
            } else {
                acs.accept(now).unwrap();
            }
        }
        _ => {}
    });
    assert_eq!(seen.len(), 3);
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "identical: {seen:?}");
    let retried: Vec<u32> = pair
        .cpe_events
        .iter()
        .filter_map(|e| match e {
            CpeEv::E(CpeEvent::RequestRetried { attempt, .. }) => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(retried, vec![1, 2]);
    assert!(
        pair.cpe_events
            .iter()
            .any(|e| matches!(e, CpeEv::RequestCompleted { .. }))
    );
    assert_eq!(
        pair.wire_posts(),
        vec![
            "Inform",
            "TransferComplete",
            "TransferComplete",
            "TransferComplete",
            "(empty)"
        ]
    );
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.cpe.queued_requests(), 0);
}

#[test]
fn transfer_complete_8005_beyond_the_bound_waits_for_the_next_session() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.acs_config.confirm = true;
    queue_tc(&mut pair, "k2");
    let mut count = 0;
    pair.plain_session(|acs, e, now| match e {
        AcsEvent::InformReceived { .. } => acs.accept(now).unwrap(),
        AcsEvent::CpeRequest { .. } => {
            count += 1;
            acs.reject(Fault::new(FaultCode::ACS_RETRY_REQUEST), now)
                .unwrap();
        }
        _ => {}
    });
    assert_eq!(count, 6, "the first attempt and 5 retries");
    assert!(pair.cpe_events.iter().any(|e| matches!(
        e,
        CpeEv::RequestFaulted { requeued: true, fault, .. } if fault.code == FaultCode::ACS_RETRY_REQUEST
    )));
    assert_eq!(
        pair.wire_posts().last().map(String::as_str),
        Some("(empty)")
    );
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.cpe.queued_requests(), 1);
    assert_eq!(pair.cpe.poll_timeout(), None, "no immediate loop");

    // The next session (periodic) carries the TransferComplete and its events again.
    let t = pair.now + Duration::from_secs(300);
    pair.now = t;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.acs_config.confirm = false;
    pair.plain_session(nothing);
    let (_, inform) = pair.last_inform();
    assert!(inform.has_event(&EventCode::TRANSFER_COMPLETE));
    assert!(inform.has_event(&EventCode::M_DOWNLOAD));
    assert_eq!(
        pair.wire_posts(),
        vec!["Inform", "TransferComplete", "(empty)"]
    );
    assert_eq!(pair.cpe.queued_requests(), 0);
}

#[test]
fn hold_requests_defers_cpe_requests_until_the_acs_is_done() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    queue_tc(&mut pair, "k3");
    pair.acs_config.confirm = true;
    let mut acs = pair.session(
        |acs, e, now| match e {
            AcsEvent::InformReceived { .. } => {
                acs.set_hold_requests(true);
                acs.push(GetParameterValues::new(["Device.DeviceInfo.SoftwareVersion"]).into())
                    .unwrap();
                acs.accept(now).unwrap();
            }
            AcsEvent::CpeRequest { .. } => acs.accept(now).unwrap(),
            _ => {}
        },
        as_http,
    );
    // Inform → InformResponse(Hold) → empty POST (held) → GPV → response → 204 → the held
    // TransferComplete → its response → empty POST → 204.
    assert_eq!(
        pair.wire_posts(),
        vec![
            "Inform",
            "(empty)",
            "GetParameterValuesResponse",
            "TransferComplete",
            "(empty)"
        ]
    );
    assert_eq!(pair.wire[2].reply, None);
    assert_eq!(
        pair.wire[3].reply.as_deref(),
        Some("TransferCompleteResponse")
    );
    assert_eq!(pair.ended(), Some((true, None)));
    assert!(acs.is_ended());
    assert!(acs.poll_event().is_none());
}

#[test]
fn acs_engine_sets_hold_requests_on_demand() {
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    acs.set_hold_requests(true);
    let inform = Envelope::request("1", Inform::default());
    acs.handle_request(Some(incoming(inform)), t).unwrap();
    let reply = acs.poll_reply().unwrap();
    assert_eq!(reply.envelope().unwrap().header.hold_requests, Some(true));
    acs.set_hold_requests(false);
    acs.handle_request(
        Some(incoming(Envelope::request("2", GetRpcMethods::default()))),
        t,
    )
    .unwrap();
    let reply = acs.poll_reply().unwrap();
    assert_eq!(reply.envelope().unwrap().header.hold_requests, None);
    assert_eq!(reply.envelope().unwrap().header.id.as_deref(), Some("2"));
}

#[test]
fn an_empty_200_ends_the_session_like_204() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.session(nothing, |n, reply| match reply {
        Reply::NoContent => HttpResponse::empty(200),
        other => as_http(n, other),
    });
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.wire_posts(), vec!["Inform", "(empty)"]);
}

#[test]
fn an_empty_200_instead_of_inform_response_fails_and_keeps_the_events() {
    // QUIRKS 31: the ACS answers the Inform with an empty 200.
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::BOOT), t);
    pair.session(nothing, |_, _| HttpResponse::empty(200));
    assert_eq!(pair.ended(), Some((false, Some(Failure::NoInformResponse))));
    assert_eq!(
        codes(pair.cpe.pending_events()),
        vec![("1 BOOT".into(), "".into())]
    );
    assert_eq!(pair.cpe.retry_count(), 1);
}

#[test]
fn retries_follow_the_ses_10_windows_and_reset_on_success() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::BOOT), t);
    for n in 1..=4u32 {
        pair.session(nothing, |_, _| HttpResponse::empty(500));
        let (_, inform) = pair.last_inform();
        assert_eq!(inform.retry_count, n - 1);
        let ended_at = pair.now;
        let (lo, hi) = retry_window(n, 5, 2000);
        let at = pair.cpe.poll_timeout().unwrap();
        assert!(
            at >= ended_at + lo && at <= ended_at + hi,
            "n={n}: {:?} not in {lo:?}..{hi:?}",
            at - ended_at
        );
        assert!(
            pair.cpe_events
                .contains(&CpeEv::E(CpeEvent::RetryScheduled { at, retry_count: n }))
        );
        // Nothing is due before the window opens.
        pair.cpe
            .handle_timeout(ended_at + lo - Duration::from_millis(1));
        assert_eq!(pair.cpe.poll_event(), None);
    }
    // A new event during the wait makes the attempt immediate.
    let now = pair.now + Duration::from_secs(1);
    pair.now = now;
    pair.cpe.add_event(ev(EventCode::VALUE_CHANGE), now);
    assert_eq!(pair.cpe.poll_timeout(), Some(now));
    pair.plain_session(nothing);
    assert_eq!(pair.now, now + Duration::from_millis(80));
    let (_, inform) = pair.last_inform();
    assert_eq!(inform.retry_count, 4);
    assert_eq!(
        codes(&inform.events),
        vec![
            ("1 BOOT".into(), "".into()),
            ("4 VALUE CHANGE".into(), "".into())
        ]
    );
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.cpe.retry_count(), 0);
}

#[test]
fn retry_window_with_other_settings() {
    let mut config = CpeConfig::new(device_id());
    config.retry_min_wait = 10;
    config.retry_interval_multiplier = 1500;
    let mut pair = Pair::new(config);
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.session(nothing, |_, _| HttpResponse::empty(401));
    assert_eq!(pair.ended(), Some((false, Some(Failure::HttpStatus(401)))));
    let wait = pair.cpe.poll_timeout().unwrap() - pair.now;
    assert!(wait >= Duration::from_secs(10) && wait <= Duration::from_secs(15));
}

#[test]
fn a_missing_http_response_times_the_session_out() {
    let mut config = CpeConfig::new(device_id());
    config.session_timeout = Duration::from_secs(40);
    let mut cpe = Cpe::new(config);
    let t = Instant::now();
    cpe.add_event(ev(EventCode::PERIODIC), t);
    cpe.start_session(t, SessionStart::default()).unwrap();
    assert!(cpe.poll_transmit().is_some());
    assert_eq!(cpe.poll_timeout(), Some(t + Duration::from_secs(40)));
    cpe.handle_timeout(t + Duration::from_secs(39));
    assert!(cpe.in_session());
    cpe.handle_timeout(t + Duration::from_secs(40));
    assert!(!cpe.in_session());
    let events: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(events.contains(&CpeEvent::SessionEnded {
        success: false,
        failure: Some(Failure::Timeout)
    }));
    assert_eq!(cpe.retry_count(), 1);
    assert_eq!(
        codes(cpe.pending_events()),
        vec![("2 PERIODIC".into(), "".into())]
    );
}

fn use_version(pair: &Pair) -> Option<CwmpVersion> {
    pair.cpe_events.iter().find_map(|e| match e {
        CpeEv::E(CpeEvent::InformAccepted { negotiated, .. }) => *negotiated,
        _ => None,
    })
}

#[test]
fn version_negotiation_1_4_on_both_sides() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.plain_session(nothing);
    let (env, _) = pair.last_inform();
    assert_eq!(
        env.header.supported_cwmp_versions.as_deref(),
        Some("1.0,1.1,1.2,1.3,1.4")
    );
    assert_eq!(use_version(&pair), Some(CwmpVersion::V1_4));
    assert!(matches!(
        pair.acs_events[0],
        AcsEvent::InformReceived {
            version: Some(CwmpVersion::V1_4),
            ..
        }
    ));
}

#[test]
fn version_negotiation_falls_back_to_the_acs_highest() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.acs_config = AcsConfig::default()
        .with_finish_when_idle(true)
        .with_versions([CwmpVersion::V1_0, CwmpVersion::V1_1, CwmpVersion::V1_2]);
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let acs = pair.session(nothing, as_http);
    assert_eq!(use_version(&pair), Some(CwmpVersion::V1_2));
    assert_eq!(acs.negotiated_version(), Some(CwmpVersion::V1_2));
    assert_eq!(acs.version(), CwmpVersion::V1_2);
    assert_eq!(pair.ended(), Some((true, None)));
}

#[test]
fn no_common_version_is_fault_8006_and_a_failed_session() {
    let mut config = CpeConfig::new(device_id());
    config.supported_versions = vec![CwmpVersion::V1_4];
    let mut pair = Pair::new(config);
    pair.acs_config = AcsConfig::default()
        .with_finish_when_idle(true)
        .with_versions([CwmpVersion::V1_0, CwmpVersion::V1_2]);
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.plain_session(nothing);
    assert_eq!(pair.wire[0].reply.as_deref(), Some("Fault"));
    assert_eq!(
        pair.ended(),
        Some((false, Some(Failure::VersionIncompatible)))
    );
    assert_eq!(
        pair.acs_ended(),
        Some((
            false,
            Some(AcsFailure::VersionIncompatible {
                device: device_id(),
                cpe_versions: vec![CwmpVersion::V1_4]
            })
        ))
    );
    assert_eq!(pair.cpe.retry_count(), 1);
}

#[test]
fn a_1_2_cpe_sends_no_supported_versions_and_gets_no_use_version() {
    let mut pair = Pair::new(CpeConfig::new(device_id()).with_version(CwmpVersion::V1_2));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.plain_session(nothing);
    let (env, _) = pair.last_inform();
    assert_eq!(env.header.supported_cwmp_versions, None);
    assert!(pair.has(CpeEvent::InformAccepted {
        negotiated: None,
        version: CwmpVersion::V1_2
    }));
    assert_eq!(pair.ended(), Some((true, None)));
}

#[test]
fn unknown_method_sent_to_the_cpe_is_9000_with_the_id() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.acs_config = AcsConfig::default()
        .with_finish_when_idle(true)
        .with_id_prefix("SAGEM_ID_");
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let mut fault = None;
    pair.plain_session(|acs, e, _| match e {
        AcsEvent::InformReceived { .. } => {
            let id = acs
                .push(Body::Unknown(UnknownMethod {
                    name: "X_ACME_Frobnicate".into(),
                    namespace: "urn:acme".into(),
                }))
                .unwrap();
            assert_eq!(id, "SAGEM_ID_1");
            // An ACS method sent to a CPE is not supported either.
            acs.push(Body::Unknown(UnknownMethod {
                name: "X_ACME_Other".into(),
                namespace: "".into(),
            }))
            .unwrap();
        }
        AcsEvent::Fault { id, fault: f, .. } if fault.is_none() => {
            fault = Some((id.clone(), f.code))
        }
        _ => {}
    });
    assert_eq!(
        fault,
        Some(("SAGEM_ID_1".to_owned(), FaultCode::METHOD_NOT_SUPPORTED))
    );
    assert!(pair.has(CpeEvent::AcsRequestAnswered {
        method: "Unknown",
        fault: Some(FaultCode::METHOD_NOT_SUPPORTED)
    }));
    assert_eq!(pair.ended(), Some((true, None)));
}

#[test]
fn cpe_get_rpc_methods_and_kicked_get_the_acs_answers() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe
        .queue_request(GetRpcMethods::default().into(), vec![], t)
        .unwrap();
    pair.cpe
        .queue_request(
            Kicked {
                command: "cmd".into(),
                referer: "r".into(),
                arg: "a".into(),
                next: "http://portal/next".into(),
            }
            .into(),
            vec![ev(EventCode::KICKED)],
            t,
        )
        .unwrap();
    pair.plain_session(nothing);
    let responses: Vec<Body<'static>> = pair
        .cpe_events
        .iter()
        .filter_map(|e| match e {
            CpeEv::RequestCompleted { response, .. } => Some(response.clone()),
            _ => None,
        })
        .collect();
    match &responses[0] {
        Body::GetRpcMethodsResponse(r) => {
            let names: Vec<&str> = r.methods.iter().map(|m| m.as_ref()).collect();
            assert!(names.contains(&"Inform"));
            assert!(names.contains(&"TransferComplete"));
            assert!(names.contains(&"GetRPCMethods"));
            assert!(!names.contains(&"GetParameterValues"));
        }
        other => panic!("{other:?}"),
    }
    match &responses[1] {
        Body::KickedResponse(r) => assert_eq!(r.next_url, "http://portal/next"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        pair.wire_posts(),
        vec!["Inform", "GetRPCMethods", "Kicked", "(empty)"]
    );
}

#[test]
fn an_event_during_a_session_makes_one_more_session_due() {
    // CR-01: connection requests during a session lead to exactly one session after it.
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.cpe.fire_and_start_for_test(t);
    let _ = pair.cpe.poll_transmit().unwrap();
    assert!(pair.cpe.add_event(ev(EventCode::CONNECTION_REQUEST), t));
    assert!(!pair.cpe.add_event(ev(EventCode::CONNECTION_REQUEST), t));
    pair.cpe
        .handle_response(
            HttpResponse::ok(
                Envelope::request("cpe-1", InformResponse { max_envelopes: 1 }),
                CwmpVersion::V1_2,
            ),
            t,
        )
        .unwrap();
    let empty = pair.cpe.poll_transmit().unwrap();
    assert!(empty.is_empty());
    pair.cpe
        .handle_response(HttpResponse::no_content(), t)
        .unwrap();
    assert_eq!(pair.cpe.poll_timeout(), Some(t));
    assert_eq!(
        codes(pair.cpe.pending_events()),
        vec![("6 CONNECTION REQUEST".into(), "".into())]
    );
}

trait StartForTest {
    fn fire_and_start_for_test(&mut self, now: Instant);
}

impl StartForTest for Cpe {
    fn fire_and_start_for_test(&mut self, now: Instant) {
        self.handle_timeout(now);
        self.start_session(now, SessionStart::default()).unwrap();
    }
}

#[test]
fn a_session_failing_before_transfer_complete_is_answered_informs_its_events_again() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    queue_tc(&mut pair, "k4");
    // The InformResponse arrives (events delivered), then the connection drops while the
    // TransferComplete is out.
    pair.session(nothing, |n, reply| match n {
        0 => as_http(n, reply),
        _ => HttpResponse::empty(502),
    });
    assert_eq!(pair.wire_posts(), vec!["Inform", "TransferComplete"]);
    assert_eq!(pair.ended(), Some((false, Some(Failure::HttpStatus(502)))));
    assert_eq!(pair.cpe.queued_requests(), 1);
    assert_eq!(
        codes(pair.cpe.pending_events()),
        vec![
            ("7 TRANSFER COMPLETE".into(), "".into()),
            ("M Download".into(), "k4".into())
        ]
    );
    pair.plain_session(nothing);
    let (_, inform) = pair.last_inform();
    assert_eq!(inform.retry_count, 1);
    assert!(inform.has_event(&EventCode::TRANSFER_COMPLETE));
    assert_eq!(
        pair.wire_posts(),
        vec!["Inform", "TransferComplete", "(empty)"]
    );
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.cpe.queued_requests(), 0);
}

#[test]
fn more_than_64_events_take_a_second_session() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    let t = pair.now;
    for i in 0..70 {
        pair.cpe.add_event(
            EventStruct::with_command_key(EventCode::M_DOWNLOAD, format!("k{i}")),
            t,
        );
    }
    pair.plain_session(nothing);
    assert_eq!(pair.last_inform().1.events.len(), 64);
    assert_eq!(pair.cpe.pending_events().len(), 6);
    assert_eq!(pair.cpe.poll_timeout(), Some(pair.now));
    pair.plain_session(nothing);
    assert_eq!(pair.last_inform().1.events.len(), 6);
    assert!(pair.cpe.pending_events().is_empty());
}

// ---------------------------------------------------------------------------------------
// The application decides the next RPC from the last response, in the same session; the
// CPE answers asynchronously; nothing in flight is lost; SessionTimeout; versions.

#[test]
fn gpn_then_gpv_of_exactly_the_returned_names_then_a_conditional_spv_in_one_session() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.acs_config = AcsConfig::default(); // the application ends the session itself
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let mut asked = Vec::new();
    pair.plain_session(|acs, e, now| match e {
        AcsEvent::InformReceived { .. } => {
            acs.push(
                GetParameterNames {
                    parameter_path: "Device.ManagementServer.".into(),
                    next_level: false,
                }
                .into(),
            )
            .unwrap();
        }
        AcsEvent::Response {
            response: Body::GetParameterNamesResponse(r),
            ..
        } => {
            let names: Vec<String> = r.parameters.iter().map(|p| p.name.to_string()).collect();
            asked = names.clone();
            acs.push(GetParameterValues::new(names).into()).unwrap();
        }
        AcsEvent::Response {
            response: Body::GetParameterValuesResponse(r),
            ..
        } => {
            let interval = r
                .parameters
                .iter()
                .find(|p| p.name == "Device.ManagementServer.PeriodicInformInterval")
                .map(|p| p.value.text.to_string());
            if interval.as_deref() == Some("300") {
                acs.push(
                    SetParameterValues {
                        parameters: vec![ParameterValue::new(
                            "Device.ManagementServer.PeriodicInformInterval",
                            60u32,
                        )],
                        parameter_key: "shorter".into(),
                    }
                    .into(),
                )
                .unwrap();
            } else {
                acs.finish(now).unwrap();
            }
        }
        AcsEvent::Response {
            response: Body::SetParameterValuesResponse(_),
            ..
        } => acs.finish(now).unwrap(),
        _ => {}
    });
    assert_eq!(
        asked,
        vec!["Device.ManagementServer.PeriodicInformInterval"]
    );
    assert_eq!(
        pair.wire_posts(),
        vec![
            "Inform",
            "(empty)",
            "GetParameterNamesResponse",
            "GetParameterValuesResponse",
            "SetParameterValuesResponse"
        ]
    );
    assert_eq!(
        pair.device.params["Device.ManagementServer.PeriodicInformInterval"],
        "60"
    );
    assert_eq!(pair.cpe.parameter_key().as_str(), "shorter");
    assert_eq!(pair.ended(), Some((true, None)));
    assert_eq!(pair.acs_ended(), Some((true, None)));
}

#[test]
fn add_object_then_spv_on_the_returned_instance_in_one_session() {
    let mut pair = Pair::new(CpeConfig::new(device_id()));
    pair.acs_config = AcsConfig::default();
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    pair.device.next_instance = 6;
    pair.plain_session(|acs, e, now| match e {
        AcsEvent::InformReceived { .. } => {
            acs.push(
                AddObject {
                    object_name: "Device.IP.Interface.".into(),
                    parameter_key: "add".into(),
                }
                .into(),
            )
            .unwrap();
        }
        AcsEvent::Response {
            response: Body::AddObjectResponse(r),
            ..
        } => {
            let name = format!("Device.IP.Interface.{}.Enable", r.instance_number);
            acs.push(
                SetParameterValues {
                    parameters: vec![ParameterValue::new(name, true)],
                    parameter_key: "enable".into(),
                }
                .into(),
            )
            .unwrap();
        }
        AcsEvent::Response { .. } => acs.finish(now).unwrap(),
        _ => {}
    });
    assert_eq!(pair.device.params["Device.IP.Interface.7.Enable"], "true");
    assert_eq!(
        pair.wire_posts(),
        vec![
            "Inform",
            "(empty)",
            "AddObjectResponse",
            "SetParameterValuesResponse"
        ]
    );
    assert_eq!(pair.acs_ended(), Some((true, None)));
}

#[test]
fn the_acs_waits_for_the_application_and_says_it_is_idle() {
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    acs.handle_request(Some(incoming(Envelope::request("1", Inform::default()))), t)
        .unwrap();
    assert!(acs.poll_reply().is_some());
    assert_eq!(acs.handle_request(None, t), Ok(Some(Received::EmptyPost)));
    assert_eq!(acs.poll_reply(), None, "nothing decided yet");
    assert_eq!(acs.poll_event(), Some(acs::AcsEvent::Idle));
    assert!(acs.is_idle());
    // A POST before the reply is a misuse.
    assert_eq!(
        acs.handle_request(None, t),
        Err(cwmp_core::session::Error::ReplyPending)
    );
    let h = acs.enqueue(Reboot::default().into(), t).unwrap();
    let id = acs.request_id(h);
    let reply = acs.poll_reply().unwrap();
    assert_eq!(
        reply.envelope().unwrap().header.id.as_deref(),
        Some(id.as_str())
    );
    acs.finish(t).unwrap();
    assert_eq!(
        acs.enqueue(Reboot::default().into(), t),
        Err(cwmp_core::session::Error::Finishing)
    );
    let answer = Envelope::request(acs.request_id(h), RebootResponse::default());
    acs.handle_request(Some(incoming(answer)), t).unwrap();
    assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
    assert!(acs.is_ended());
    assert_eq!(
        acs.enqueue(Reboot::default().into(), t),
        Err(cwmp_core::session::Error::SessionEnded)
    );
}

#[test]
fn the_cpe_answers_after_three_asynchronous_steps_while_the_acs_waits() {
    let mut now = Instant::now();
    let mut cpe = Cpe::new(CpeConfig::new(device_id()));
    cpe.add_event(ev(EventCode::PERIODIC), now);
    cpe.handle_timeout(now);
    cpe.start_session(now, SessionStart::default()).unwrap();
    let mut acs = AcsSession::new(AcsConfig::default(), now);
    let mut steps_seen = 0;
    let mut got_value = None;
    let mut rounds = 0;
    while let Some(post) = cpe.poll_transmit() {
        rounds += 1;
        assert!(rounds < 10);
        let post = post
            .envelope
            .cloned()
            .map(|e| Incoming::new(e, post.version));
        match acs.handle_request(post, now).unwrap() {
            Some(Received::Inform { .. }) => {
                acs.enqueue(
                    GetParameterValues::new(["Device.DeviceInfo.SoftwareVersion"]).into(),
                    now,
                )
                .unwrap();
            }
            Some(Received::Response {
                response: Body::GetParameterValuesResponse(r),
                ..
            }) => {
                got_value = Some(r.parameters[0].value.text.to_string());
                acs.finish(now).unwrap();
            }
            _ => {}
        }
        let response = as_http(0, acs.poll_reply().unwrap());
        match cpe.handle_response(response, now).unwrap() {
            Some(cpe::Received::AcsRequest { answer, request }) => {
                let names = match request {
                    Body::GetParameterValues(g) => g.parameter_names,
                    other => panic!("{other:?}"),
                };
                // Three steps of an asynchronous data model: the engine neither sends nor
                // times out while the application works, and the ACS just waits.
                for _ in 0..3 {
                    now += Duration::from_secs(1);
                    steps_seen += 1;
                    assert!(cpe.poll_transmit().is_none());
                    assert!(cpe.is_answering());
                    assert_eq!(cpe.poll_timeout(), None);
                    cpe.handle_timeout(now);
                    acs.handle_timeout(now);
                    assert!(!acs.is_ended());
                    assert!(acs.poll_reply().is_none());
                }
                let values = names
                    .iter()
                    .map(|n| ParameterValue::new(n.to_string(), "7.1"))
                    .collect();
                cpe.respond(
                    answer,
                    Ok(GetParameterValuesResponse { parameters: values }.into()),
                    now,
                )
                .unwrap();
            }
            Some(other) => panic!("{other:?}"),
            None => {}
        }
    }
    assert_eq!(steps_seen, 3);
    assert_eq!(got_value.as_deref(), Some("7.1"));
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(evs.contains(&CpeEvent::SessionEnded {
        success: true,
        failure: None
    }));
    assert!(evs.contains(&CpeEvent::AcsRequestAnswered {
        method: "GetParameterValues",
        fault: None
    }));
}

#[test]
fn an_answer_from_an_old_session_is_refused() {
    let t = Instant::now();
    let mut cpe = Cpe::new(CpeConfig::new(device_id()));
    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    cpe.handle_response(
        HttpResponse::ok(
            Envelope::request("cpe-1", InformResponse { max_envelopes: 1 }),
            CwmpVersion::V1_2,
        ),
        t,
    )
    .unwrap();
    cpe.poll_transmit().unwrap();
    let got = cpe
        .handle_response(
            HttpResponse::ok(
                Envelope::request("a1", GetRpcMethods::default()),
                CwmpVersion::V1_2,
            ),
            t,
        )
        .unwrap();
    let Some(cpe::Received::AcsRequest { answer, .. }) = got else {
        panic!("{got:?}")
    };
    // The connection drops while the application works; a new session starts.
    cpe.handle_transport_error(t).unwrap();
    cpe.start_session(t, SessionStart::default()).unwrap();
    assert_eq!(
        cpe.respond(answer, Ok(GetRpcMethodsResponse::default().into()), t),
        Err(cwmp_core::session::Error::NoDecisionPending)
    );
}

#[test]
fn a_cpe_vanishing_mid_rpc_hands_the_request_back() {
    for how in ["close", "timeout"] {
        let t = Instant::now();
        let mut acs = AcsSession::new(AcsConfig::default(), t);
        acs.handle_request(Some(incoming(Envelope::request("1", Inform::default()))), t)
            .unwrap();
        let first = acs
            .enqueue(GetParameterValues::new(["Device."]).into(), t)
            .unwrap();
        let second = acs.enqueue(Reboot::default().into(), t).unwrap();
        acs.poll_reply().unwrap();
        acs.handle_request(None, t).unwrap();
        assert!(acs.poll_reply().is_some(), "the GPV is out");
        match how {
            "close" => acs.handle_close(),
            _ => {
                let at = acs.poll_timeout().unwrap();
                assert_eq!(at, t + Duration::from_secs(30));
                acs.handle_timeout(at);
            }
        }
        let evs: Vec<acs::AcsEvent> = std::iter::from_fn(|| acs.poll_event()).collect();
        assert_eq!(
            evs,
            vec![
                acs::AcsEvent::RequestAbandoned {
                    handle: first,
                    request: GetParameterValues::new(["Device."]).into(),
                    sent: true
                },
                acs::AcsEvent::RequestAbandoned {
                    handle: second,
                    request: Reboot::default().into(),
                    sent: false
                },
                acs::AcsEvent::SessionEnded {
                    success: false,
                    failure: Some(if how == "close" {
                        AcsFailure::Closed
                    } else {
                        AcsFailure::Timeout
                    })
                },
            ],
            "{how}"
        );
    }
}

#[test]
fn a_factory_reset_hands_queued_cpe_requests_back() {
    let t = Instant::now();
    let mut cpe = Cpe::new(CpeConfig::new(device_id()));
    let h = cpe
        .queue_request(TransferComplete::default().into(), vec![], t)
        .unwrap();
    cpe.factory_reset(t);
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert_eq!(
        evs,
        vec![CpeEvent::RequestAbandoned {
            handle: h,
            request: TransferComplete::default().into()
        }]
    );
    assert_eq!(cpe.queued_requests(), 0);
}

#[test]
fn session_timeout_sent_by_a_1_4_cpe_is_seen_and_used_by_the_acs() {
    let config = CpeConfig::new(device_id())
        .with_session_timeout(Duration::from_secs(20))
        .with_announced_session_timeout(true);
    let mut pair = Pair::new(config);
    pair.acs_config = AcsConfig::default();
    let t = pair.now;
    pair.cpe.add_event(ev(EventCode::PERIODIC), t);
    let mut header_seen = None;
    let acs = pair.session(
        |acs, e, now| match e {
            AcsEvent::InformReceived { header, .. } => header_seen = header.session_timeout,
            AcsEvent::Idle => acs.finish(now).unwrap(),
            _ => {}
        },
        as_http,
    );
    assert_eq!(pair.last_inform().0.header.session_timeout, Some(20));
    assert_eq!(header_seen, Some(20));
    assert_eq!(acs.cpe_session_timeout(), Some(Duration::from_secs(20)));

    // Used: while the application deliberates, the ACS answers before the CPE gives up.
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    let mut inform = Envelope::request("1", Inform::default());
    inform.header.session_timeout = Some(20);
    acs.handle_request(Some(incoming(inform)), t).unwrap();
    acs.poll_reply().unwrap();
    acs.handle_request(None, t).unwrap();
    assert!(acs.is_idle());
    assert_eq!(acs.poll_timeout(), Some(t + Duration::from_secs(20)));
    acs.handle_timeout(t + Duration::from_secs(20));
    assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
    let evs: Vec<acs::AcsEvent> = std::iter::from_fn(|| acs.poll_event()).collect();
    assert!(evs.contains(&acs::AcsEvent::SessionEnded {
        success: false,
        failure: Some(AcsFailure::DecisionTimeout)
    }));

    // A 1.2 CPE cannot announce it (the header is 1.3+).
    let mut cpe = Cpe::new(
        CpeConfig::new(device_id())
            .with_version(CwmpVersion::V1_2)
            .with_announced_session_timeout(true),
    );
    cpe.start_session(t, SessionStart::default()).unwrap();
    let post = cpe.poll_transmit().unwrap();
    assert_eq!(post.envelope.unwrap().header.session_timeout, None);
}

#[test]
fn the_acs_answers_each_version_in_that_version() {
    // Without SupportedCWMPVersions the Inform's own version (from its namespace, and
    // SessionTimeout for 1.3) decides; with it, the negotiated one.
    for v in [
        CwmpVersion::V1_0,
        CwmpVersion::V1_1,
        CwmpVersion::V1_2,
        CwmpVersion::V1_3,
    ] {
        let t = Instant::now();
        let mut acs = AcsSession::new(AcsConfig::default(), t);
        let got = acs
            .handle_request(
                Some(Incoming::new(Envelope::request("1", Inform::default()), v)),
                t,
            )
            .unwrap();
        assert!(matches!(got, Some(Received::Inform { version, .. }) if version == v));
        let reply = acs.poll_reply().unwrap();
        assert_eq!(reply.version(), Some(v));
        assert_eq!(reply.envelope().unwrap().header.use_cwmp_version, None);
        acs.handle_request(None, t).unwrap();
        let h = acs.enqueue(Reboot::default().into(), t).unwrap();
        assert_eq!(acs.poll_reply().unwrap().version(), Some(v), "{h}");
    }
    for (offer, expect) in [
        ("1.0,1.1,1.2,1.3,1.4", CwmpVersion::V1_4),
        ("1.0,1.1,1.2,1.3", CwmpVersion::V1_3),
    ] {
        let t = Instant::now();
        let mut acs = AcsSession::new(AcsConfig::default(), t);
        let mut inform = Envelope::request("1", Inform::default());
        inform.header.supported_cwmp_versions = Some(offer.into());
        acs.handle_request(Some(Incoming::new(inform, CwmpVersion::V1_2)), t)
            .unwrap();
        let reply = acs.poll_reply().unwrap();
        // UseCWMPVersion is a 1.4 header: its InformResponse is written as 1.4 (same namespace).
        assert_eq!(reply.version(), Some(CwmpVersion::V1_4));
        assert_eq!(
            reply.envelope().unwrap().header.use_cwmp_version,
            Some(expect)
        );
        assert_eq!(acs.version(), expect);
        acs.handle_request(None, t).unwrap();
        acs.enqueue(Reboot::default().into(), t).unwrap();
        assert_eq!(acs.poll_reply().unwrap().version(), Some(expect));
    }
}

#[test]
fn the_cpe_encodes_in_its_own_version_then_in_the_acs_choice() {
    let t = Instant::now();
    let mut cpe = Cpe::new(CpeConfig::new(device_id()));
    cpe.start_session(t, SessionStart::default()).unwrap();
    assert_eq!(cpe.poll_transmit().unwrap().version, CwmpVersion::V1_4);
    let mut answer = Envelope::request("cpe-1", InformResponse { max_envelopes: 1 });
    answer.header.use_cwmp_version = Some(CwmpVersion::V1_3);
    cpe.handle_response(HttpResponse::ok(answer, CwmpVersion::V1_2), t)
        .unwrap();
    assert_eq!(cpe.poll_transmit().unwrap().version, CwmpVersion::V1_3);

    // An ACS that does not negotiate answers in its namespace: the CPE follows it down.
    let mut cpe = Cpe::new(CpeConfig::new(device_id()));
    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    let answer = Envelope::request("cpe-1", InformResponse { max_envelopes: 1 });
    cpe.handle_response(HttpResponse::ok(answer, CwmpVersion::V1_0), t)
        .unwrap();
    assert_eq!(cpe.poll_transmit().unwrap().version, CwmpVersion::V1_0);
}
