//! A whole boot session through decode → engine → encode on both sides, against the same
//! messages decoded and encoded alone.
//!
//! The session: the CPE's Inform (2 events, about 20 parameters) → InformResponse, the empty
//! POST → a GetParameterValues of 1,000 names → its response → a SetParameterValues of 50 →
//! its response → `204 No Content`. Both engines run in one thread and exchange real bytes:
//! every message is encoded by one side and decoded by the other, as over HTTP.
//!
//! What the applications supply (the Inform's parameters, the requests the ACS enqueues, the
//! answers the CPE's data model gives) is built before the run and moved in, so a
//! [`Meter`] sees only what the codec and the engines cost. The baseline does the same
//! encodes and decodes without the engines.

use std::time::Instant;

use cwmp_core::datetime::DateTimeText;
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::rpc::{DeviceId, GetParameterValues, ParameterValue, SetParameterValuesResponse};
use cwmp_core::session::Incoming;
use cwmp_core::session::acs::{AcsConfig, AcsSession, Received, Reply};
use cwmp_core::session::cpe::{self, Cpe, CpeConfig, HttpResponse, SessionStart};
use cwmp_core::{Body, Envelope};
use cwmp_soap::{Decoder, EncodeOptions};

use crate::messages;

/// Which side an operation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The device.
    Cpe,
    /// The server.
    Acs,
}

/// Something that wraps each side's work (to count its allocations, or nothing).
pub trait Meter {
    /// Runs `op` on behalf of `side`.
    fn on<T>(&mut self, side: Side, op: impl FnOnce() -> T) -> T;
}

/// A meter that measures nothing.
#[derive(Debug, Default)]
pub struct NoMeter;

impl Meter for NoMeter {
    fn on<T>(&mut self, _side: Side, op: impl FnOnce() -> T) -> T {
        op()
    }
}

/// The applications' inputs, built once.
#[derive(Debug, Clone)]
pub struct Fixture {
    device_id: DeviceId<'static>,
    inform_parameters: Vec<ParameterValue<'static>>,
    gpv: Body<'static>,
    gpv_answer: Body<'static>,
    spv: Body<'static>,
    spv_answer: Body<'static>,
}

/// `body` re-read from leaked bytes, so that its strings borrow from a `'static` buffer and
/// a clone costs a few allocations instead of one per string (the fixture lives as long as
/// the process; each run clones its inputs).
fn borrowed(body: Body<'static>) -> Body<'static> {
    let envelope = Envelope::request("x", body);
    let bytes: &'static [u8] = Box::leak(
        EncodeOptions::default()
            .to_vec(&envelope)
            .into_boxed_slice(),
    );
    match Decoder::new().decode(bytes) {
        Ok(d) => d.envelope.body,
        Err(_) => envelope.body,
    }
}

/// The boot session's inputs: the Inform's parameters of [`messages::inform`], a
/// GetParameterValues of the 1,000 names of [`messages::get_parameter_values_response`] and
/// that response, the SetParameterValues of [`messages::set_parameter_values`] (50).
pub fn fixture() -> Fixture {
    let inform = messages::inform();
    let (device_id, inform_parameters) = match inform.body {
        Body::Inform(i) => (i.device_id, i.parameters),
        _ => (DeviceId::default(), Vec::new()),
    };
    let gpv_answer = messages::get_parameter_values_response(1_000).body;
    let names: Vec<String> = match &gpv_answer {
        Body::GetParameterValuesResponse(r) => {
            r.parameters.iter().map(|p| p.name.to_string()).collect()
        }
        _ => Vec::new(),
    };
    let inform_parameters = match borrowed(
        cwmp_core::rpc::GetParameterValuesResponse {
            parameters: inform_parameters,
        }
        .into(),
    ) {
        Body::GetParameterValuesResponse(r) => r.parameters,
        _ => Vec::new(),
    };
    Fixture {
        device_id,
        inform_parameters,
        gpv: borrowed(GetParameterValues::new(names).into()),
        gpv_answer: borrowed(gpv_answer),
        spv: borrowed(messages::set_parameter_values(50).body),
        spv_answer: SetParameterValuesResponse { status: 0 }.into(),
    }
}

/// What one run did: the messages each side encoded, in order (for the checks).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// The CPE's POSTs: method names, `(empty)` for the empty POST.
    pub posts: Vec<String>,
    /// The ACS's replies: method names, `204` for No Content.
    pub replies: Vec<String>,
    /// Values the ACS read.
    pub values_read: usize,
}

/// The applications' moves of one run: what the ACS enqueues and what the CPE answers,
/// cloned from the fixture before the run.
#[derive(Debug)]
pub struct Script {
    inform_parameters: Vec<ParameterValue<'static>>,
    acs_requests: Vec<Body<'static>>,
    cpe_answers: Vec<Body<'static>>,
}

impl Fixture {
    /// Fresh inputs for one run.
    pub fn script(&self) -> Script {
        Script {
            inform_parameters: self.inform_parameters.clone(),
            acs_requests: vec![self.spv.clone(), self.gpv.clone()],
            cpe_answers: vec![self.spv_answer.clone(), self.gpv_answer.clone()],
        }
    }
}

/// The two wire buffers (one per direction), kept by the caller across runs as a server keeps
/// them per connection: a fresh 146 kB buffer per message would measure the allocator's mmap
/// path, not the engines.
#[derive(Debug, Default)]
pub struct Buffers {
    cpe_to_acs: Vec<u8>,
    acs_to_cpe: Vec<u8>,
}

/// One boot session through both engines, with real bytes in between. Each side's work is
/// wrapped in `meter`.
pub fn run(
    fixture: &Fixture,
    mut script: Script,
    buffers: &mut Buffers,
    meter: &mut impl Meter,
) -> Trace {
    let now = Instant::now();
    let decoder = Decoder::new();
    let mut trace = Trace::default();
    let mut cpe = Cpe::new(CpeConfig::new(fixture.device_id.clone()));
    let mut acs = AcsSession::new(AcsConfig::default(), now);
    let params = std::mem::take(&mut script.inform_parameters);
    meter.on(Side::Cpe, || {
        cpe.add_event(EventStruct::new(EventCode::BOOTSTRAP), now);
        cpe.add_event(EventStruct::new(EventCode::BOOT), now);
        let _ = cpe.start_session(now, SessionStart::new(DateTimeText::UNKNOWN, params, 1));
        while cpe.poll_event().is_some() {}
    });
    let Buffers {
        cpe_to_acs: post_bytes,
        acs_to_cpe: reply_bytes,
    } = buffers;
    for _ in 0..16 {
        // The CPE's POST.
        post_bytes.clear();
        let sent = meter.on(Side::Cpe, || match cpe.poll_transmit() {
            Some(tx) => {
                if let Some(envelope) = tx.envelope {
                    EncodeOptions::for_version(tx.version).encode(envelope, post_bytes);
                }
                Some(
                    tx.envelope
                        .map_or("(empty)".to_owned(), |e| e.body.name().to_owned()),
                )
            }
            None => None,
        });
        let Some(name) = sent else { break };
        trace.posts.push(name);
        // The ACS: decode, engine, the application's decision, encode.
        reply_bytes.clear();
        let replied = meter.on(Side::Acs, || {
            let post = if post_bytes.is_empty() {
                None
            } else {
                decoder
                    .decode(post_bytes)
                    .ok()
                    .map(|d| Incoming::new(d.envelope, d.version))
            };
            match acs.handle_request(post, now) {
                Ok(Some(Received::Inform { .. })) => {
                    if let Some(gpv) = script.acs_requests.pop() {
                        let _ = acs.enqueue(gpv, now);
                    }
                }
                Ok(Some(Received::Response { response, .. })) => {
                    if let Body::GetParameterValuesResponse(r) = &response {
                        trace.values_read = r.parameters.len();
                    }
                    match script.acs_requests.pop() {
                        Some(next) => {
                            let _ = acs.enqueue(next, now);
                        }
                        None => {
                            let _ = acs.finish(now);
                        }
                    }
                }
                _ => {}
            }
            while acs.poll_event().is_some() {}
            match acs.poll_reply() {
                Some(Reply::Envelope { envelope, version }) => {
                    EncodeOptions::for_version(version).encode(envelope, reply_bytes);
                    envelope.body.name().to_owned()
                }
                _ => "204".to_owned(),
            }
        });
        trace.replies.push(replied);
        // The CPE: decode, engine, the data model's answer.
        meter.on(Side::Cpe, || {
            let response = if reply_bytes.is_empty() {
                HttpResponse::no_content()
            } else {
                match decoder.decode(reply_bytes) {
                    Ok(d) => HttpResponse::ok(d.envelope, d.version),
                    Err(_) => HttpResponse::empty(500),
                }
            };
            if let Ok(Some(cpe::Received::AcsRequest { answer, .. })) =
                cpe.handle_response(response, now)
            {
                if let Some(body) = script.cpe_answers.pop() {
                    let _ = cpe.respond(answer, Ok(body), now);
                }
            }
            while cpe.poll_event().is_some() {}
        });
    }
    trace
}

/// The same messages encoded and decoded alone, without the engines: each side encodes what
/// it sends and decodes what it receives.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// What the CPE encodes (and the ACS decodes), in order.
    cpe_sends: Vec<Envelope<'static>>,
    /// What the ACS encodes (and the CPE decodes), in order.
    acs_sends: Vec<Envelope<'static>>,
}

/// The envelopes of the boot session, as the engines produce them.
pub fn baseline(fixture: &Fixture) -> Baseline {
    let mut header = cwmp_core::header::Header::with_id("cpe-1");
    header.supported_cwmp_versions = Some("1.0,1.1,1.2,1.3,1.4".into());
    let inform = cwmp_core::rpc::Inform {
        device_id: fixture.device_id.clone(),
        events: vec![
            EventStruct::new(EventCode::BOOTSTRAP),
            EventStruct::new(EventCode::BOOT),
        ],
        max_envelopes: 1,
        current_time: DateTimeText::UNKNOWN,
        retry_count: 0,
        parameters: fixture.inform_parameters.clone(),
    };
    Baseline {
        cpe_sends: vec![
            Envelope {
                header,
                body: inform.into(),
            },
            Envelope::request("acs-1", fixture.gpv_answer.clone()),
            Envelope::request("acs-2", fixture.spv_answer.clone()),
        ],
        acs_sends: vec![
            Envelope::request("cpe-1", cwmp_core::rpc::InformResponse { max_envelopes: 1 }),
            Envelope::request("acs-1", fixture.gpv.clone()),
            Envelope::request("acs-2", fixture.spv.clone()),
        ],
    }
}

/// Encodes and decodes the baseline's messages on the side that would, wrapped in `meter`,
/// through the same buffers as [`run`].
pub fn run_baseline(b: &Baseline, buffers: &mut Buffers, meter: &mut impl Meter) -> usize {
    let decoder = Decoder::new();
    let Buffers {
        cpe_to_acs: cpe_bytes,
        acs_to_cpe: acs_bytes,
    } = buffers;
    let mut decoded = 0;
    let opts = EncodeOptions::default();
    for (sender, receiver, list, bytes) in [
        (Side::Cpe, Side::Acs, &b.cpe_sends, cpe_bytes),
        (Side::Acs, Side::Cpe, &b.acs_sends, acs_bytes),
    ] {
        for envelope in list {
            bytes.clear();
            meter.on(sender, || opts.encode(envelope, bytes));
            decoded += meter.on(receiver, || {
                decoder
                    .decode(bytes)
                    .map(|d| usize::from(d.envelope.header.id.is_some()))
                    .unwrap_or(0)
            });
        }
    }
    decoded
}

/// The run as the CPE and ACS applications see it, for checks.
pub fn expected_trace() -> Trace {
    Trace {
        posts: vec![
            "Inform".into(),
            "(empty)".into(),
            "GetParameterValuesResponse".into(),
            "SetParameterValuesResponse".into(),
        ],
        replies: vec![
            "InformResponse".into(),
            "GetParameterValues".into(),
            "SetParameterValues".into(),
            "204".into(),
        ],
        values_read: 1_000,
    }
}
