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
//! After **every** `handle_*`, `start_session`, `add_event`, `queue_request` or `enqueue`
//! call, drain the engine: its transmit or reply, then its events until `None`, then re-read
//! `poll_timeout` and arm a timer for it. When the timer fires call `handle_timeout(now)`.
//!
//! CPE, per session:
//!
//! 1. `add_event` / `queue_request` make a session due; `poll_timeout()` returns the instant
//!    and `handle_timeout` then emits [`CpeEvent::SessionDue`](cpe::CpeEvent::SessionDue).
//! 2. `start_session(now, SessionStart { current_time, parameters, random })` builds the Inform.
//! 3. Loop: `poll_transmit()` → encode → POST (SOAPAction and Content-Type exactly as the
//!    [`Transmit`](cpe::Transmit) says; cookies of the session echoed) → decode the answer →
//!    `handle_response(HttpResponse { status, body }, now)`. The loop stops when
//!    `SessionEnded` comes out; after a failure `RetryScheduled` tells when the next attempt
//!    is due.
//!
//! ACS, per session (one [`AcsSession`](acs::AcsSession) per CPE connection):
//!
//! 1. For each POST: decode (an empty body is `None`) → `handle_request(body, now)`.
//! 2. Drain events: on `InformReceived` look the device up and `enqueue` its work.
//! 3. `poll_reply()` → `Reply::Envelope` (200, encode it) or `Reply::NoContent` (204).
//!
//! # An in-memory CPE ⇄ ACS pair
//!
//! ```
//! use std::time::{Duration, Instant};
//! use cwmp_core::{Body, datetime::DateTimeText, fault::Fault, rpc::*};
//! use cwmp_core::event::{EventCode, EventStruct};
//! use cwmp_core::session::cpe::{Cpe, CpeConfig, CpeEvent, HttpResponse, SessionStart};
//! use cwmp_core::session::acs::{AcsConfig, AcsEvent, AcsSession, Reply};
//!
//! // The device answers GetParameterValues; everything else is 9000.
//! let handler = |req: &Body<'_>, _now: Instant| -> Result<Body<'static>, Fault<'static>> {
//!     match req {
//!         Body::GetParameterValues(_) => Ok(GetParameterValuesResponse {
//!             parameters: vec![ParameterValue::new("Device.DeviceInfo.SoftwareVersion", "1.0")],
//!         }.into()),
//!         _ => Err(Fault::new(cwmp_core::fault::FaultCode::METHOD_NOT_SUPPORTED)),
//!     }
//! };
//! let mut now = Instant::now(); // a fake clock: only ever moved forward by hand
//! let mut cpe = Cpe::new(CpeConfig::new(DeviceId::default()), handler);
//! cpe.add_event(EventStruct::new(EventCode::BOOTSTRAP), now);
//! cpe.add_event(EventStruct::new(EventCode::BOOT), now);
//!
//! // The CPE's timer fires: a session is due.
//! cpe.handle_timeout(cpe.poll_timeout().unwrap());
//! assert_eq!(cpe.poll_event(), Some(CpeEvent::SessionDue));
//! cpe.start_session(now, SessionStart::new(DateTimeText::UNKNOWN, vec![], 7)).unwrap();
//!
//! let mut acs = AcsSession::new(AcsConfig::default(), now);
//! let mut got = None;
//! // The HTTP exchange: one POST, one reply, until the CPE says the session ended.
//! while let Some(post) = cpe.poll_transmit() {
//!     now += Duration::from_millis(5);
//!     acs.handle_request(post.envelope, now).unwrap();
//!     while let Some(event) = acs.poll_event() {
//!         match event {
//!             AcsEvent::InformReceived { .. } => {
//!                 acs.enqueue(GetParameterValues::new(["Device.DeviceInfo.SoftwareVersion"]).into())
//!                     .unwrap();
//!             }
//!             AcsEvent::Response { response, .. } => got = Some(response),
//!             _ => {}
//!         }
//!     }
//!     let response = match acs.poll_reply().unwrap() {
//!         Reply::Envelope(envelope) => HttpResponse::ok(envelope),
//!         Reply::NoContent => HttpResponse::no_content(),
//!     };
//!     cpe.handle_response(response, now).unwrap();
//! }
//! let events: Vec<CpeEvent> = std::iter::from_fn(|| cpe.poll_event()).collect();
//! assert!(events.contains(&CpeEvent::SessionEnded { success: true, failure: None }));
//! assert!(acs.is_ended());
//! assert!(cpe.pending_events().is_empty());
//! assert!(matches!(got, Some(Body::GetParameterValuesResponse(_))));
//! ```

pub mod acs;
pub mod cpe;
mod error;
mod parameter_key;
mod retry;

pub use error::Error;
pub use parameter_key::ParameterKey;
pub use retry::{
    DEFAULT_MIN_WAIT, DEFAULT_MULTIPLIER, MAX_RETRY_EXPONENT, retry_wait, retry_window,
};

/// The `Content-Type` of every HTTP message that carries an envelope.
pub const CONTENT_TYPE: &str = "text/xml; charset=\"utf-8\"";

/// The `SOAPAction` value sent with every POST that carries an envelope (empty, quoted:
/// `SOAPAction: ""`).
pub const SOAP_ACTION: &str = "";
