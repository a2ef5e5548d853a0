//! Each session engine alone: ordering rules, misuse errors, retention across reboot and
//! factory reset, timeouts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use cwmp_core::envelope::UnknownMethod;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode, SoapFault};
use cwmp_core::header::Header;
use cwmp_core::rpc::*;
use cwmp_core::session::acs::{AcsConfig, AcsEvent, AcsFailure, AcsSession, Received, Reply};
use cwmp_core::session::cpe::{
    self, Cpe, CpeConfig, CpeEvent, Failure, HttpResponse, SessionStart,
};
use cwmp_core::session::{Error, Incoming};
use cwmp_core::{Body, CwmpVersion, Envelope};

fn fault_of(reply: Option<Reply<'_>>) -> (Option<String>, FaultCode) {
    match reply {
        Some(Reply::Envelope {
            envelope:
                Envelope {
                    header,
                    body: Body::Fault(f),
                },
            ..
        }) => (header.id.as_deref().map(str::to_owned), f.code),
        other => panic!("{other:?}"),
    }
}

/// Hands a POST to the ACS engine and keeps what it hands back, owned.
trait Feed {
    fn feed(
        &mut self,
        post: Option<Envelope<'static>>,
        now: Instant,
    ) -> Result<Option<Received<'static>>, Error>;
}

impl Feed for AcsSession {
    fn feed(
        &mut self,
        post: Option<Envelope<'static>>,
        now: Instant,
    ) -> Result<Option<Received<'static>>, Error> {
        self.handle_request(post.map(|e| Incoming::new(e, CwmpVersion::V1_2)), now)
    }
}

fn ok(envelope: Envelope<'static>) -> HttpResponse<'static> {
    HttpResponse::ok(envelope, CwmpVersion::V1_2)
}

/// Hands a response to the CPE engine; the ACS's requests go to the refusing handler.
fn deliver(
    cpe: &mut Cpe,
    response: HttpResponse<'static>,
    now: Instant,
) -> Result<Option<cpe::Received<'static>>, Error> {
    cpe.handle_response_with(response, now, &mut (refuse as Refuser))
}

fn events(acs: &mut AcsSession) -> Vec<AcsEvent> {
    std::iter::from_fn(|| acs.poll_event()).collect()
}

#[test]
fn acs_answers_a_non_inform_first_message_with_8003_and_ends() {
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    acs.feed(
        Some(Envelope::request("first", GetRpcMethods::default())),
        t,
    )
    .unwrap();
    assert_eq!(
        fault_of(acs.poll_reply()),
        (Some("first".into()), FaultCode::ACS_INVALID_ARGUMENTS)
    );
    assert_eq!(
        events(&mut acs),
        vec![AcsEvent::SessionEnded {
            success: false,
            failure: Some(AcsFailure::NotInformFirst("GetRPCMethods"))
        }]
    );
    assert_eq!(acs.feed(None, t), Err(Error::SessionEnded));
}

#[test]
fn acs_aborts_an_empty_post_first() {
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    acs.feed(None, t).unwrap();
    assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
    assert_eq!(Reply::NoContent.status(), 204);
    assert_eq!(
        events(&mut acs),
        vec![AcsEvent::SessionEnded {
            success: false,
            failure: Some(AcsFailure::EmptyPostFirst)
        }]
    );
}

fn informed_acs(config: AcsConfig, t: Instant) -> AcsSession {
    let mut acs = AcsSession::new(config, t);
    acs.feed(Some(Envelope::request("i", Inform::default())), t)
        .unwrap();
    acs
}

#[test]
fn acs_inform_response_has_max_envelopes_1_and_echoes_the_id() {
    let t = Instant::now();
    let mut acs = informed_acs(AcsConfig::default(), t);
    let reply = acs.poll_reply().unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.content_type(), Some("text/xml; charset=\"utf-8\""));
    let env = reply.envelope().unwrap();
    assert_eq!(env.header.id.as_deref(), Some("i"));
    assert_eq!(
        env.header.use_cwmp_version, None,
        "no SupportedCWMPVersions"
    );
    assert_eq!(
        env.body,
        Body::InformResponse(InformResponse { max_envelopes: 1 })
    );
    assert_eq!(acs.negotiated_version(), None);
    assert_eq!(acs.version(), CwmpVersion::V1_2, "the Inform's own version");
    assert!(events(&mut acs).is_empty());
}

#[test]
fn acs_answers_unknown_and_cpe_side_methods_from_the_cpe_with_8000() {
    let t = Instant::now();
    let mut acs = informed_acs(AcsConfig::default(), t);
    acs.poll_reply().unwrap();
    let odd = Envelope {
        header: Header::with_id("SAGEM_ID_7589"),
        body: Body::Unknown(UnknownMethod {
            name: "X_Foo".into(),
            ..UnknownMethod::default()
        }),
    };
    acs.feed(Some(odd), t).unwrap();
    assert_eq!(
        fault_of(acs.poll_reply()),
        (
            Some("SAGEM_ID_7589".into()),
            FaultCode::ACS_METHOD_NOT_SUPPORTED
        )
    );
    acs.feed(
        Some(Envelope::request("g", GetParameterValues::new(["Device."]))),
        t,
    )
    .unwrap();
    assert_eq!(
        fault_of(acs.poll_reply()),
        (Some("g".into()), FaultCode::ACS_METHOD_NOT_SUPPORTED)
    );
    // A second Inform in the same session is refused.
    acs.feed(Some(Envelope::request("i2", Inform::default())), t)
        .unwrap();
    assert_eq!(
        fault_of(acs.poll_reply()),
        (Some("i2".into()), FaultCode::ACS_INVALID_ARGUMENTS)
    );
    // The session goes on: after the empty POST with nothing queued the engine waits for the
    // application, which ends it.
    assert_eq!(acs.feed(None, t), Ok(Some(Received::EmptyPost)));
    assert_eq!(acs.poll_reply(), None);
    assert!(acs.is_idle());
    acs.finish(t).unwrap();
    assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
    assert!(acs.is_ended());
}

#[test]
fn acs_application_can_veto_the_inform() {
    let t = Instant::now();
    let mut config = AcsConfig::default();
    config.confirm = true;
    let mut acs = informed_acs(config, t);
    assert_eq!(acs.poll_reply(), None, "waiting for the decision");
    assert_eq!(acs.feed(None, t), Err(Error::ReplyPending));
    acs.reject(Fault::new(FaultCode::ACS_REQUEST_DENIED), t)
        .unwrap();
    assert_eq!(
        fault_of(acs.poll_reply()),
        (Some("i".into()), FaultCode::ACS_REQUEST_DENIED)
    );
    let evs = events(&mut acs);
    assert!(evs.contains(&AcsEvent::SessionEnded {
        success: false,
        failure: Some(AcsFailure::InformRejected(FaultCode::ACS_REQUEST_DENIED))
    }));
    assert_eq!(acs.accept(t), Err(Error::NoDecisionPending));
}

#[test]
fn acs_respond_with_a_custom_response() {
    let t = Instant::now();
    let mut config = AcsConfig::default();
    config.confirm = true;
    let mut acs = informed_acs(config, t);
    acs.accept(t).unwrap();
    acs.poll_reply().unwrap();
    let kicked = Kicked {
        next: "http://a".into(),
        ..Kicked::default()
    };
    acs.feed(Some(Envelope::request("k", kicked)), t).unwrap();
    acs.respond_with(
        KickedResponse {
            next_url: "http://elsewhere".into(),
        }
        .into(),
        t,
    )
    .unwrap();
    let reply = acs.poll_reply().unwrap();
    assert_eq!(reply.envelope().unwrap().header.id.as_deref(), Some("k"));
    assert_eq!(
        reply.envelope().unwrap().body,
        Body::KickedResponse(KickedResponse {
            next_url: "http://elsewhere".into()
        })
    );
}

#[test]
fn acs_matches_responses_by_id_and_refuses_a_wrong_one() {
    let t = Instant::now();
    let mut acs = informed_acs(AcsConfig::default(), t);
    acs.poll_reply().unwrap();
    let id = acs.enqueue(GetParameterNames::default().into(), t).unwrap();
    assert_eq!(acs.request_id(id), "acs-1");
    acs.feed(None, t).unwrap();
    let sent = acs.poll_reply().unwrap();
    assert_eq!(sent.envelope().unwrap().header.id.as_deref(), Some("acs-1"));
    let wrong = Envelope::request("acs-99", GetParameterNamesResponse::default());
    acs.feed(Some(wrong), t).unwrap();
    assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
    assert!(events(&mut acs).contains(&AcsEvent::SessionEnded {
        success: false,
        failure: Some(AcsFailure::WrongId)
    }));
}

#[test]
fn acs_accepts_a_response_without_id() {
    // QUIRKS 2: no cwmp:ID; one request is outstanding, so the answer is its.
    let t = Instant::now();
    let mut acs = informed_acs(AcsConfig::default(), t);
    acs.poll_reply().unwrap();
    let handle = acs.enqueue(Reboot::default().into(), t).unwrap();
    acs.feed(None, t).unwrap();
    acs.poll_reply().unwrap();
    let answer = Envelope {
        header: Header::default(),
        body: RebootResponse::default().into(),
    };
    let got = acs.feed(Some(answer), t).unwrap();
    assert!(matches!(
        got,
        Some(Received::Response { handle: h, response: Body::RebootResponse(_), .. }) if h == handle
    ));
    assert_eq!(
        acs.poll_reply(),
        None,
        "the application decides what comes next"
    );
    assert_eq!(events(&mut acs), vec![AcsEvent::Idle]);
    acs.finish(t).unwrap();
    assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
    let evs = events(&mut acs);
    assert!(evs.contains(&AcsEvent::SessionEnded {
        success: true,
        failure: None
    }));
}

#[test]
fn acs_enqueue_refuses_what_is_not_a_cpe_method_request() {
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    assert_eq!(
        acs.enqueue(GetParameterValuesResponse::default().into(), t),
        Err(Error::NotAnAcsRequest("GetParameterValuesResponse"))
    );
    assert_eq!(
        acs.enqueue(TransferComplete::default().into(), t),
        Err(Error::NotAnAcsRequest("TransferComplete"))
    );
    assert_eq!(
        acs.enqueue(Fault::new(FaultCode::ACS_INTERNAL_ERROR).into(), t),
        Err(Error::NotAnAcsRequest("Fault"))
    );
    assert!(acs.enqueue(GetRpcMethods::default().into(), t).is_ok());
}

#[test]
fn acs_session_times_out_waiting_for_the_cpe() {
    let t = Instant::now();
    let mut config = AcsConfig::default();
    config.session_timeout = Duration::from_secs(20);
    let mut acs = informed_acs(config, t);
    acs.poll_reply().unwrap();
    events(&mut acs);
    assert_eq!(acs.poll_timeout(), Some(t + Duration::from_secs(20)));
    acs.handle_timeout(t + Duration::from_secs(19));
    assert!(!acs.is_ended());
    acs.handle_timeout(t + Duration::from_secs(20));
    assert_eq!(
        events(&mut acs),
        vec![AcsEvent::SessionEnded {
            success: false,
            failure: Some(AcsFailure::Timeout)
        }]
    );
    assert_eq!(acs.poll_timeout(), None);
}

#[test]
fn acs_negotiation_ignores_unknown_versions_in_the_list() {
    let t = Instant::now();
    let mut acs = AcsSession::new(AcsConfig::default(), t);
    let mut inform = Envelope::request("i", Inform::default());
    inform.header.supported_cwmp_versions = Some("1.0, 1.3,1.9".into());
    acs.feed(Some(inform), t).unwrap();
    let reply = acs.poll_reply().unwrap();
    assert_eq!(
        reply.envelope().unwrap().header.use_cwmp_version,
        Some(CwmpVersion::V1_3)
    );
}

fn refuse(_: &Body<'_>, _: Instant) -> Result<Body<'static>, Fault<'static>> {
    Err(Fault::new(FaultCode::REQUEST_DENIED))
}

type Refuser = fn(&Body<'_>, Instant) -> Result<Body<'static>, Fault<'static>>;

fn cpe() -> Cpe {
    Cpe::new(CpeConfig::new(DeviceId::default()))
}

#[test]
fn cpe_misuse_is_an_error() {
    let t = Instant::now();
    let mut cpe = cpe();
    assert_eq!(
        deliver(&mut cpe, HttpResponse::no_content(), t),
        Err(Error::NoSession)
    );
    assert_eq!(cpe.handle_transport_error(t), Err(Error::NoSession));
    assert_eq!(
        cpe.queue_request(GetParameterValues::default().into(), vec![], t),
        Err(Error::NotACpeRequest("GetParameterValues"))
    );
    assert_eq!(
        cpe.queue_request(InformResponse::default().into(), vec![], t),
        Err(Error::NotACpeRequest("InformResponse"))
    );
    cpe.start_session(t, SessionStart::default()).unwrap();
    assert_eq!(
        cpe.start_session(t, SessionStart::default()),
        Err(Error::SessionInProgress)
    );
    // The Inform has not been drained (sent) yet.
    assert_eq!(
        deliver(&mut cpe, HttpResponse::no_content(), t),
        Err(Error::NothingOutstanding)
    );
    assert!(cpe.poll_transmit().is_some());
    cpe.handle_transport_error(t).unwrap();
    assert!(!cpe.in_session());
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(evs.contains(&CpeEvent::SessionEnded {
        success: false,
        failure: Some(Failure::Transport)
    }));
}

#[test]
fn cpe_reboot_keeps_only_the_events_that_survive_one() {
    let t = Instant::now();
    let mut cpe = cpe();
    for code in [
        EventCode::BOOT,
        EventCode::PERIODIC,
        EventCode::VALUE_CHANGE,
        EventCode::DIAGNOSTICS_COMPLETE,
        EventCode::CONNECTION_REQUEST,
        EventCode::BOOTSTRAP,
    ] {
        cpe.add_event(EventStruct::new(code), t);
    }
    cpe.add_event(EventStruct::with_command_key(EventCode::M_DOWNLOAD, "a"), t);
    cpe.add_event(EventStruct::with_command_key(EventCode::M_DOWNLOAD, "b"), t);
    cpe.reboot();
    let left: Vec<String> = cpe
        .pending_events()
        .iter()
        .map(|e| format!("{}/{}", e.code, e.command_key))
        .collect();
    assert_eq!(
        left,
        vec![
            "2 PERIODIC/",
            "0 BOOTSTRAP/",
            "M Download/a",
            "M Download/b"
        ]
    );
    assert_eq!(cpe.poll_timeout(), None, "the application adds 1 BOOT next");
    cpe.add_event(EventStruct::new(EventCode::BOOT), t);
    assert_eq!(cpe.poll_timeout(), Some(t));
}

#[test]
fn cpe_factory_reset_empties_the_key_and_bootstraps() {
    let t = Instant::now();
    let mut cpe = cpe();
    cpe.set_parameter_key(cwmp_core::session::ParameterKey::new("k"));
    cpe.add_event(EventStruct::new(EventCode::PERIODIC), t);
    cpe.factory_reset(t);
    assert_eq!(cpe.parameter_key().as_str(), "");
    assert_eq!(
        cpe.pending_events(),
        &[EventStruct::new(EventCode::BOOTSTRAP)]
    );
    assert_eq!(cpe.poll_timeout(), Some(t));
}

#[test]
fn cpe_fails_on_an_unoffered_use_cwmp_version_and_on_other_inform_faults() {
    let t = Instant::now();
    let mut cpe = Cpe::new(CpeConfig::new(DeviceId::default()).with_version(CwmpVersion::V1_2));
    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    let mut inform_response = Envelope::request("cpe-1", InformResponse { max_envelopes: 1 });
    inform_response.header.use_cwmp_version = Some(CwmpVersion::V1_4);
    deliver(&mut cpe, ok(inform_response), t).unwrap();
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(evs.contains(&CpeEvent::SessionEnded {
        success: false,
        failure: Some(Failure::UnofferedVersion(CwmpVersion::V1_4))
    }));

    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    let fault = Envelope::request("cpe-1", Fault::new(FaultCode::ACS_INTERNAL_ERROR));
    deliver(&mut cpe, ok(fault), t).unwrap();
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(evs.contains(&CpeEvent::SessionEnded {
        success: false,
        failure: Some(Failure::InformFault(FaultCode::ACS_INTERNAL_ERROR))
    }));
    assert_eq!(cpe.retry_count(), 2);
}

#[test]
fn cpe_answers_with_the_request_id_and_reports_other_faults_of_its_requests() {
    let t = Instant::now();
    let mut cpe = cpe();
    let id = cpe
        .queue_request(RequestDownload::default().into(), vec![], t)
        .unwrap();
    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    deliver(
        &mut cpe,
        ok(Envelope::request(
            "cpe-1",
            InformResponse { max_envelopes: 1 },
        )),
        t,
    )
    .unwrap();
    let post = cpe.poll_transmit().unwrap();
    let sent = post.envelope.unwrap();
    assert_eq!(sent.body.name(), "RequestDownload");
    assert_eq!(sent.header.id.as_deref(), Some("cpe-2"));
    let sent = sent.clone();
    let got = deliver(
        &mut cpe,
        ok(Envelope::response_to(
            &sent,
            Fault::new(FaultCode::ACS_REQUEST_DENIED),
        )),
        t,
    )
    .unwrap();
    assert!(matches!(
        got,
        Some(cpe::Received::RequestFaulted { handle, request: Some(Body::RequestDownload(_)), fault })
            if handle == id && fault.code == FaultCode::ACS_REQUEST_DENIED
    ));
    assert_eq!(cpe.queued_requests(), 0);
    assert!(cpe.poll_transmit().unwrap().is_empty());
    // The ACS asks something; the handler refuses; the fault carries the request's ID.
    let odd = Envelope::request("SAGEM_ID_7589", Reboot::default());
    deliver(&mut cpe, ok(odd), t).unwrap();
    let reply = cpe.poll_transmit().unwrap().envelope.unwrap();
    assert_eq!(reply.header.id.as_deref(), Some("SAGEM_ID_7589"));
    assert!(matches!(reply.body, Body::Fault(ref f) if f.code == FaultCode::REQUEST_DENIED));
    // An ACS-side method sent to the CPE is 9000 without asking the handler.
    let wrong = Envelope::request("x", TransferComplete::default());
    deliver(&mut cpe, ok(wrong), t).unwrap();
    let reply = cpe.poll_transmit().unwrap().envelope.unwrap();
    assert!(matches!(reply.body, Body::Fault(ref f) if f.code == FaultCode::METHOD_NOT_SUPPORTED));
    deliver(&mut cpe, HttpResponse::no_content(), t).unwrap();
    assert!(!cpe.in_session());
}

#[test]
fn cpe_unexpected_message_fails_the_session() {
    let t = Instant::now();
    let mut cpe = cpe();
    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    let stray = Envelope::request("z", GetParameterValues::default());
    deliver(&mut cpe, ok(stray), t).unwrap();
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(evs.contains(&CpeEvent::SessionEnded {
        success: false,
        failure: Some(Failure::Unexpected(Some("GetParameterValues")))
    }));
}

fn soap_fault(text: &str) -> SoapFault<'static> {
    SoapFault {
        code: Some("Server".into()),
        string: Some(text.to_owned().into()),
        ..SoapFault::default()
    }
}

#[test]
fn acs_hands_a_soap_fault_without_cwmp_detail_over_as_such() {
    let t = Instant::now();
    let mut acs = informed_acs(AcsConfig::default(), t);
    acs.poll_reply().unwrap();
    let handle = acs.enqueue(Reboot::default().into(), t).unwrap();
    acs.feed(None, t).unwrap();
    acs.poll_reply().unwrap();
    let answer = Envelope {
        header: Header::with_id("acs-1"),
        body: Body::SoapFault(soap_fault("busy")),
    };
    let got = acs.feed(Some(answer), t).unwrap();
    match got {
        Some(Received::SoapFault {
            handle: h,
            request: Body::Reboot(_),
            fault,
        }) => {
            assert_eq!(h, handle);
            assert_eq!(fault.string.as_deref(), Some("busy"));
        }
        other => panic!("{other:?}"),
    }
    // The session goes on: the application decides what comes next.
    assert_eq!(events(&mut acs), vec![AcsEvent::Idle]);
}

#[test]
fn cpe_treats_a_soap_fault_as_a_fault_of_its_inform_and_of_its_requests() {
    let t = Instant::now();
    let mut cpe = cpe();
    cpe.start_session(t, SessionStart::default()).unwrap();
    cpe.poll_transmit().unwrap();
    let fault = Envelope {
        header: Header::with_id("cpe-1"),
        body: Body::SoapFault(soap_fault("no")),
    };
    deliver(&mut cpe, ok(fault), t).unwrap();
    let evs: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
    assert!(evs.contains(&CpeEvent::SessionEnded {
        success: false,
        failure: Some(Failure::InformSoapFault)
    }));

    let id = cpe
        .queue_request(RequestDownload::default().into(), vec![], t)
        .unwrap();
    cpe.start_session(t, SessionStart::default()).unwrap();
    let inform_id = cpe
        .poll_transmit()
        .unwrap()
        .envelope
        .unwrap()
        .header
        .id
        .clone()
        .unwrap();
    deliver(
        &mut cpe,
        ok(Envelope::request(
            inform_id.into_owned(),
            InformResponse { max_envelopes: 1 },
        )),
        t,
    )
    .unwrap();
    let sent = cpe.poll_transmit().unwrap().envelope.unwrap().clone();
    assert_eq!(sent.body.name(), "RequestDownload");
    let answer = Envelope {
        header: sent.header.clone(),
        body: Body::SoapFault(soap_fault("denied")),
    };
    let got = deliver(&mut cpe, ok(answer), t).unwrap();
    assert!(matches!(
        got,
        Some(cpe::Received::RequestSoapFaulted { handle, request: Body::RequestDownload(_), ref fault })
            if handle == id && fault.string.as_deref() == Some("denied")
    ));
    assert_eq!(cpe.queued_requests(), 0);
    assert!(cpe.poll_transmit().unwrap().is_empty(), "the empty POST");
}
