//! Sans-IO session engines: [`cpe::Cpe`] for a device, [`acs::AcsSession`] for a server.
//!
//! Both are deterministic state machines in the quinn-proto / str0m manner: typed envelopes
//! and time go in through `handle_*` calls, HTTP-level actions, events and deadlines come out
//! of `poll_*` calls. There is no clock (every call takes the current [`Instant`]), no
//! randomness (the CPE's retry draw uses a number the caller passes in), no XML (pair the
//! engines with cwmp-soap's `encode`/`decode`) and no I/O (pair them with any HTTP stack).
//!
//! [`Instant`]: std::time::Instant
//!
//! # The driving contract
//!
//! After **every** `handle_*`, `start_session`, `respond`, `add_event`, `queue_request`,
//! `enqueue` or `finish` call, drain the engine: its transmit or reply, then its events until
//! `None`, then re-read `poll_timeout` and arm a timer for it. When the timer fires call
//! `handle_timeout(now)`.
//!
//! Messages go in borrowed from the HTTP body (an [`Incoming`]: the envelope and the version
//! the decoder inferred) and come back out of `handle_*` as a `Received`, moved rather than
//! copied; the engines copy only IDs and the few fields they keep. Transmits and replies
//! borrow their envelope from the engine and say which CWMP version to encode it in.
//!
//! CPE, per session:
//!
//! 1. `add_event` / `queue_request` make a session due; `poll_timeout()` returns the instant
//!    and `handle_timeout` then emits [`CpeEvent::SessionDue`](cpe::CpeEvent::SessionDue).
//! 2. `start_session(now, SessionStart { current_time, parameters, random })` builds the Inform.
//! 3. Loop: `poll_transmit()` → encode in `transmit.version` → POST (SOAPAction and
//!    Content-Type exactly as the [`Transmit`](cpe::Transmit) says; cookies of the session
//!    echoed) → decode the answer → `handle_response(HttpResponse { status, body }, now)`.
//!    A [`Received::AcsRequest`](cpe::Received::AcsRequest) is answered with
//!    [`respond`](cpe::Cpe::respond) — at once or after any asynchronous work; nothing is
//!    sent until then. The loop stops when `SessionEnded` comes out; after a failure
//!    `RetryScheduled` tells when the next attempt is due.
//!
//! ACS, per session (one [`AcsSession`](acs::AcsSession) per CPE connection):
//!
//! 1. For each POST: decode (an empty body is `None`) → `handle_request(post, now)`.
//! 2. Act on what comes back: on `Received::Inform` look the device up; on
//!    `Received::Response` choose the next request from the answer. `enqueue` a request or
//!    `finish`; when the engine waits for that it emits [`AcsEvent::Idle`](acs::AcsEvent::Idle).
//! 3. `poll_reply()` → `Reply::Envelope { envelope, version }` (200, encode it in `version`)
//!    or `Reply::NoContent` (204); `None` while the application has not decided yet.
//! 4. Drain events: `RequestAbandoned` hands back a request a dead session did not finish.
//!
//! With the `http` feature, [`Transmit::to_http_request`](cpe::Transmit::to_http_request) and
//! [`Reply::to_http_response`](acs::Reply::to_http_response) build the `http` crate's
//! messages with the right headers.
//!
//! # An in-memory CPE ⇄ ACS pair
//!
//! The ACS asks for the names under `Device.DeviceInfo.`, then reads exactly the names that
//! came back, in the same session; the CPE answers from its data model after an
//! (here simulated) asynchronous call.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use cwmp_core::{Body, datetime::DateTimeText, rpc::*};
//! use cwmp_core::event::{EventCode, EventStruct};
//! use cwmp_core::session::Incoming;
//! use cwmp_core::session::cpe::{self, Cpe, CpeConfig, CpeEvent, HttpResponse, SessionStart};
//! use cwmp_core::session::acs::{AcsConfig, AcsSession, Received, Reply};
//!
//! let mut now = Instant::now(); // a fake clock: only ever moved forward by hand
//! let mut cpe = Cpe::new(CpeConfig::new(DeviceId::default()));
//! cpe.add_event(EventStruct::new(EventCode::BOOT), now);
//! cpe.handle_timeout(cpe.poll_timeout().unwrap());
//! assert_eq!(cpe.poll_event(), Some(CpeEvent::SessionDue));
//! cpe.start_session(now, SessionStart::new(DateTimeText::UNKNOWN, vec![], 7)).unwrap();
//!
//! let mut acs = AcsSession::new(AcsConfig::default(), now);
//! let mut values = None;
//! // The HTTP exchange: one POST, one reply, until the CPE says the session ended. A real
//! // program encodes `post.envelope` in `post.version`, sends it, and decodes it on the
//! // other side; here the envelope is cloned across.
//! while let Some(post) = cpe.poll_transmit() {
//!     let post = post.envelope.cloned().map(|e| Incoming::new(e, post.version));
//!     now += Duration::from_millis(5);
//!     match acs.handle_request(post, now).unwrap() {
//!         Some(Received::Inform { .. }) => {
//!             let gpn = GetParameterNames { parameter_path: "Device.DeviceInfo.".into(), next_level: true };
//!             acs.enqueue(gpn.into(), now).unwrap();
//!         }
//!         Some(Received::Response { response: Body::GetParameterNamesResponse(names), .. }) => {
//!             // The next request depends on the answer: read what exists.
//!             let names = names.parameters.iter().map(|p| p.name.to_string());
//!             acs.enqueue(GetParameterValues::new(names).into(), now).unwrap();
//!         }
//!         Some(Received::Response { response: Body::GetParameterValuesResponse(r), .. }) => {
//!             values = Some(r.into_owned());
//!             acs.finish(now).unwrap();
//!         }
//!         _ => {}
//!     }
//!     let response = match acs.poll_reply().unwrap() {
//!         Reply::Envelope { envelope, version } => HttpResponse::ok(envelope.clone(), version),
//!         Reply::NoContent => HttpResponse::no_content(),
//!     };
//!     if let Some(cpe::Received::AcsRequest { answer, request }) = cpe.handle_response(response, now).unwrap() {
//!         // The data model lives elsewhere; the engine waits, sending nothing, until the answer.
//!         assert!(cpe.poll_transmit().is_none());
//!         now += Duration::from_millis(3);
//!         let outcome = match request {
//!             Body::GetParameterNames(_) => Ok(GetParameterNamesResponse {
//!                 parameters: vec![ParameterInfo { name: "Device.DeviceInfo.SoftwareVersion".into(), writable: false }],
//!             }.into()),
//!             Body::GetParameterValues(gpv) => Ok(GetParameterValuesResponse {
//!                 parameters: gpv.parameter_names.iter().map(|n| ParameterValue::new(n.to_string(), "1.0")).collect(),
//!             }.into()),
//!             _ => Err(cwmp_core::fault::Fault::new(cwmp_core::fault::FaultCode::METHOD_NOT_SUPPORTED)),
//!         };
//!         cpe.respond(answer, outcome, now).unwrap();
//!     }
//! }
//! let events: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
//! assert!(events.contains(&CpeEvent::SessionEnded { success: true, failure: None }));
//! assert!(acs.is_ended());
//! assert_eq!(values.unwrap().parameters[0].name, "Device.DeviceInfo.SoftwareVersion");
//! ```

pub mod acs;
pub mod cpe;
mod error;
#[cfg(feature = "http")]
mod http;
mod parameter_key;
mod retry;

pub use error::Error;
#[cfg(feature = "http")]
pub use http::is_soap_content_type;
pub use parameter_key::ParameterKey;
pub use retry::{
    DEFAULT_MIN_WAIT, DEFAULT_MULTIPLIER, MAX_RETRY_EXPONENT, retry_wait, retry_window,
};

use crate::envelope::{Body, Envelope, METHODS};
use crate::version::CwmpVersion;

/// The `Content-Type` of every HTTP message that carries an envelope.
pub const CONTENT_TYPE: &str = "text/xml; charset=\"utf-8\"";

/// The `SOAPAction` value sent with every POST that carries an envelope (empty, quoted:
/// `SOAPAction: ""`).
pub const SOAP_ACTION: &str = "";

/// The value of the `SOAPAction` header as it appears on the wire: the empty string in
/// quotes, `""`.
pub const SOAP_ACTION_HEADER_VALUE: &str = "\"\"";

/// Identifies one request the application handed to an engine: an ACS request given to
/// [`AcsSession::enqueue`](acs::AcsSession::enqueue), or a CPE request given to
/// [`Cpe::queue_request`](cpe::Cpe::queue_request). Events and results about the request carry
/// it. Handles are unique per engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RequestHandle(pub u64);

impl std::fmt::Display for RequestHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A decoded envelope as an engine takes it: the message, borrowed from the HTTP body, and
/// the CWMP version the decoder inferred for it (cwmp-soap's `Decoded::version`).
///
/// The engines keep only the few fields they need (IDs, the ParameterKey of a request) and
/// move the message itself to the application, so nothing is deep-copied on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming<'a> {
    /// The message.
    pub envelope: Envelope<'a>,
    /// The version its namespace and headers imply.
    pub version: CwmpVersion,
}

impl<'a> Incoming<'a> {
    /// A message and its inferred version.
    pub fn new(envelope: Envelope<'a>, version: CwmpVersion) -> Self {
        Incoming { envelope, version }
    }
}

/// An envelope answering the message whose cwmp:ID was `id`: the ID echoed, no other header.
fn answering(id: Option<String>, body: Body<'static>) -> Envelope<'static> {
    Envelope {
        header: crate::header::Header {
            id: id.map(std::borrow::Cow::Owned),
            ..Default::default()
        },
        body,
    }
}

/// The wire name of a message as a `&'static str`: the name of every method this crate
/// knows, `"Fault"`, or `"Unknown"` for a method it does not know (the application has the
/// message itself, with its name).
pub fn method_name(body: &Body<'_>) -> &'static str {
    match body {
        Body::Fault(_) => "Fault",
        Body::Unknown(_) => "Unknown",
        other => {
            let name = other.name();
            METHODS
                .iter()
                .find(|(n, ..)| *n == name)
                .map_or("Unknown", |(n, ..)| *n)
        }
    }
}
