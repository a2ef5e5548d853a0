//! The CPE side: one session at a time, plus the state that outlives sessions (pending events,
//! queued CPE requests, RetryCount, ParameterKey).
//!
//! See the [module docs](super) for the driving loop. In short: the application feeds
//! [`Cpe::start_session`], [`Cpe::handle_response`], [`Cpe::handle_timeout`] and
//! [`Cpe::handle_transport_error`], and after every call drains [`Cpe::poll_transmit`],
//! [`Cpe::poll_event`] and [`Cpe::poll_timeout`]. Requests from the ACS are answered
//! synchronously, inside `handle_response`, by the [`CpeHandler`] the engine owns.
//!
//! # HTTP duties left to the application
//!
//! - One keep-alive connection per session (SES-05: no pipelining; request and response
//!   alternate). Open it before sending the Inform and close it after `SessionEnded`.
//! - Cookies: store every `Set-Cookie` received during the session and send them back on every
//!   later POST of the same session; forget them when the session ends.
//! - Authentication: a 401 is answered by the application's auth layer (cwmp-auth), which
//!   re-sends the same [`Transmit`] with an `Authorization` header. Only the final response is
//!   handed to [`Cpe::handle_response`]; a 401 handed in ends the session as failed.
//! - Redirects (302/307) are followed by the application too (at most 5 per session).
//! - Connection failures (refused, reset, TLS) are reported with
//!   [`Cpe::handle_transport_error`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::error::Error;
use super::parameter_key::ParameterKey;
use super::retry::{DEFAULT_MIN_WAIT, DEFAULT_MULTIPLIER, retry_wait};
use super::{CONTENT_TYPE, SOAP_ACTION};
use crate::datetime::DateTimeText;
use crate::envelope::{Body, Envelope, Side};
use crate::event::{EventCode, EventStruct, merge_event};
use crate::fault::{Fault, FaultCode};
use crate::header::Header;
use crate::limits::MAX_EVENTS;
use crate::rpc::{DeviceId, Inform, ParameterValue};
use crate::value::Value;
use crate::version::{CwmpVersion, format_version_list};

/// Answers the requests an ACS sends (GetParameterValues, SetParameterValues, Download …).
///
/// The engine calls it synchronously from [`Cpe::handle_response`], once per request, and
/// sends what it returns with the request's ID. The engine itself answers, without calling
/// the handler, unknown methods and methods only an ACS implements (fault 9000). A handler
/// that does not support a known method returns `Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED))`.
///
/// Work that takes longer than a session step (a Download, a Reboot) is answered at once
/// (DownloadResponse Status=1, RebootResponse) and carried out after the session; its
/// completion is reported later with [`Cpe::queue_request`] (TransferComplete) or
/// [`Cpe::add_event`] (`1 BOOT` + `M Reboot`).
///
/// Any `FnMut(&Body<'_>, Instant) -> Result<Body<'static>, Fault<'static>>` is a handler.
pub trait CpeHandler {
    /// Answers one request: its response body, or the fault to send instead.
    fn handle(&mut self, request: &Body<'_>, now: Instant)
    -> Result<Body<'static>, Fault<'static>>;
}

impl<F> CpeHandler for F
where
    F: FnMut(&Body<'_>, Instant) -> Result<Body<'static>, Fault<'static>>,
{
    fn handle(
        &mut self,
        request: &Body<'_>,
        now: Instant,
    ) -> Result<Body<'static>, Fault<'static>> {
        self(request, now)
    }
}

/// Settings of a [`Cpe`] engine.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CpeConfig {
    /// The DeviceId sent in every Inform.
    pub device_id: DeviceId<'static>,
    /// The version the CPE implements. With 1.4 the Inform carries SupportedCWMPVersions.
    pub version: CwmpVersion,
    /// The versions announced in SupportedCWMPVersions and accepted in UseCWMPVersion
    /// (default: 1.0 up to `version`).
    pub supported_versions: Vec<CwmpVersion>,
    /// How long to wait for each HTTP response before the session fails (default 30 s).
    pub session_timeout: Duration,
    /// `CWMPRetryMinimumWaitInterval` in seconds (default 5).
    pub retry_min_wait: u32,
    /// `CWMPRetryIntervalMultiplier` in thousandths (default 2000).
    pub retry_interval_multiplier: u32,
    /// How often a CPE request answered with fault 8005 is re-sent in the same session
    /// (default 5).
    pub max_request_retries: u32,
    /// Prefix of the cwmp:ID of the CPE's requests (default `cpe-`); a counter follows.
    pub id_prefix: String,
    /// When set (e.g. `Device.ManagementServer.ParameterKey`), the engine writes its
    /// [`ParameterKey`] into the Inform under this name, replacing a value the application
    /// supplied.
    pub parameter_key_name: Option<String>,
}

impl CpeConfig {
    /// Defaults for a CWMP 1.4 CPE with this identity.
    pub fn new(device_id: DeviceId<'static>) -> Self {
        CpeConfig {
            device_id,
            version: CwmpVersion::V1_4,
            supported_versions: CwmpVersion::ALL.to_vec(),
            session_timeout: Duration::from_secs(30),
            retry_min_wait: DEFAULT_MIN_WAIT,
            retry_interval_multiplier: DEFAULT_MULTIPLIER,
            max_request_retries: 5,
            id_prefix: "cpe-".to_owned(),
            parameter_key_name: None,
        }
    }

    /// The same settings for another version; the supported list becomes 1.0 up to it.
    pub fn with_version(mut self, version: CwmpVersion) -> Self {
        self.version = version;
        self.supported_versions = CwmpVersion::ALL
            .into_iter()
            .filter(|v| *v <= version)
            .collect();
        self
    }
}

/// What the application supplies when a session starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SessionStart {
    /// The Inform's CurrentTime (the device clock; may be the Unknown Time).
    pub current_time: DateTimeText<'static>,
    /// The Inform's ParameterList: the forced Inform parameters (EVT-06), the values of
    /// `4 VALUE CHANGE`, and any configured extras.
    pub parameters: Vec<ParameterValue<'static>>,
    /// A random number; if this session fails it picks the retry wait inside the window of
    /// SES-10 (see [`retry_wait`](super::retry_wait())).
    pub random: u64,
}

impl SessionStart {
    /// Inputs for a session.
    pub fn new(
        current_time: impl Into<DateTimeText<'static>>,
        parameters: Vec<ParameterValue<'static>>,
        random: u64,
    ) -> Self {
        SessionStart {
            current_time: current_time.into(),
            parameters,
            random,
        }
    }
}

/// An HTTP response to one of the CPE's POSTs, as the application received it (after its
/// auth layer and redirects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The decoded envelope; `None` when the body was empty.
    pub body: Option<Envelope<'static>>,
}

impl HttpResponse {
    /// A `200 OK` with an envelope.
    pub fn ok(envelope: Envelope<'static>) -> Self {
        HttpResponse {
            status: 200,
            body: Some(envelope),
        }
    }

    /// A `204 No Content`.
    pub fn no_content() -> Self {
        HttpResponse {
            status: 204,
            body: None,
        }
    }

    /// Any status without a body (a `200` with an empty body counts as an empty response).
    pub fn empty(status: u16) -> Self {
        HttpResponse { status, body: None }
    }
}

/// One HTTP POST the application sends to the ACS URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Always `POST`.
    pub method: &'static str,
    /// The `SOAPAction` header: `Some("")` (send `SOAPAction: ""`) on a POST with an
    /// envelope, `None` (no header) on an empty POST.
    pub soap_action: Option<&'static str>,
    /// The `Content-Type` header: `text/xml; charset="utf-8"` with an envelope, none on an
    /// empty POST.
    pub content_type: Option<&'static str>,
    /// The envelope to encode as the body; `None` for an empty POST (`Content-Length: 0`).
    pub envelope: Option<Envelope<'static>>,
}

impl Transmit {
    fn envelope(envelope: Envelope<'static>) -> Self {
        Transmit {
            method: "POST",
            soap_action: Some(SOAP_ACTION),
            content_type: Some(CONTENT_TYPE),
            envelope: Some(envelope),
        }
    }

    fn empty() -> Self {
        Transmit {
            method: "POST",
            soap_action: None,
            content_type: None,
            envelope: None,
        }
    }

    /// Whether this is the empty POST ("no more requests from the CPE").
    pub fn is_empty(&self) -> bool {
        self.envelope.is_none()
    }
}

/// Identifies a request queued with [`Cpe::queue_request`] in the events about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Why a session failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// No HTTP response within [`CpeConfig::session_timeout`].
    Timeout,
    /// The application reported a connection failure.
    Transport,
    /// A status other than 200 or 204 (including a 401 the auth layer gave up on).
    HttpStatus(u16),
    /// The ACS answered the Inform with a fault other than 8006.
    InformFault(FaultCode),
    /// The ACS answered the Inform with fault 8006: no common version.
    VersionIncompatible,
    /// The ACS answered the Inform with an empty response (QUIRKS 31).
    NoInformResponse,
    /// UseCWMPVersion named a version the CPE did not offer.
    UnofferedVersion(CwmpVersion),
    /// The ACS sent a message that does not fit the session's state (its name, or `empty`).
    Unexpected(String),
}

/// What the engine tells the application.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CpeEvent {
    /// A session should be started now ([`Cpe::start_session`]): a triggering event was added,
    /// a CPE request was queued, or the retry wait is over.
    SessionDue,
    /// A session started; its Inform carries these events and RetryCount.
    SessionStarted {
        /// The Inform's events.
        events: Vec<EventStruct<'static>>,
        /// The Inform's RetryCount.
        retry_count: u32,
    },
    /// The InformResponse arrived; the Inform's events are delivered and discarded.
    InformAccepted {
        /// The UseCWMPVersion the ACS chose, or `None` when it sent none (the session then
        /// runs at the version its namespace implies, which cwmp-soap reports).
        version: Option<CwmpVersion>,
    },
    /// A queued CPE request was answered.
    RequestCompleted {
        /// The request's handle.
        id: RequestId,
        /// The request.
        request: Body<'static>,
        /// The ACS's response.
        response: Body<'static>,
    },
    /// A queued CPE request got fault 8005 and was re-sent unchanged.
    RequestRetried {
        /// The request's handle.
        id: RequestId,
        /// How many times it has been re-sent in this session.
        attempt: u32,
    },
    /// A queued CPE request was answered with a fault.
    RequestFaulted {
        /// The request's handle.
        id: RequestId,
        /// The request.
        request: Body<'static>,
        /// The fault.
        fault: Fault<'static>,
        /// `true` after 8005 more often than the configured bound: the request stays queued
        /// for the next session (with its events). `false`: it was dropped.
        requeued: bool,
    },
    /// A request from the ACS was answered.
    AcsRequestAnswered {
        /// The request's method name.
        method: String,
        /// The fault code sent, or `None` when a response was sent.
        fault: Option<FaultCode>,
    },
    /// The ParameterKey changed (a SetParameterValues, AddObject or DeleteObject succeeded);
    /// the application persists it.
    ParameterKeyChanged {
        /// The new value.
        value: String,
    },
    /// The session ended.
    SessionEnded {
        /// `true` when it ended as SES-02 describes.
        success: bool,
        /// Why it failed.
        failure: Option<Failure>,
    },
    /// After a failure: the next attempt is due at this instant (a [`CpeEvent::SessionDue`]
    /// follows then, or earlier when a new event is added).
    RetryScheduled {
        /// When.
        at: Instant,
        /// The RetryCount the next Inform will carry.
        retry_count: u32,
    },
}

/// The CPE requests an application may queue.
fn is_cpe_request(body: &Body<'_>) -> bool {
    matches!(
        body,
        Body::TransferComplete(_)
            | Body::AutonomousTransferComplete(_)
            | Body::DuStateChangeComplete(_)
            | Body::AutonomousDuStateChangeComplete(_)
            | Body::GetRpcMethods(_)
            | Body::RequestDownload(_)
            | Body::Kicked(_)
    )
}

#[derive(Debug, Clone)]
struct Queued {
    id: RequestId,
    body: Body<'static>,
    events: Vec<EventStruct<'static>>,
}

#[derive(Debug)]
enum Phase {
    /// The Inform is out; waiting for the InformResponse.
    Inform,
    /// The request at the front of the queue is out.
    Request {
        attempts: u32,
        envelope: Box<Envelope<'static>>,
    },
    /// An empty POST or a response to the ACS is out: the ACS sends a request or ends.
    Open,
}

#[derive(Debug)]
struct Session {
    informed: Vec<EventStruct<'static>>,
    phase: Phase,
    deadline: Instant,
    next_id: u64,
    hold: bool,
    requests_stopped: bool,
    events_added: bool,
    random: u64,
}

/// The CPE-side session engine. `H` answers the ACS's requests.
///
/// ```
/// use std::time::Instant;
/// use cwmp_core::{Body, fault::{Fault, FaultCode}};
/// use cwmp_core::event::{EventCode, EventStruct};
/// use cwmp_core::rpc::DeviceId;
/// use cwmp_core::session::cpe::{Cpe, CpeConfig, CpeEvent, SessionStart};
///
/// let handler = |_: &Body<'_>, _| -> Result<Body<'static>, Fault<'static>> {
///     Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED))
/// };
/// let now = Instant::now();
/// let mut cpe = Cpe::new(CpeConfig::new(DeviceId::default()), handler);
/// cpe.add_event(EventStruct::new(EventCode::BOOTSTRAP), now);
/// assert_eq!(cpe.poll_timeout(), Some(now));
/// cpe.handle_timeout(now);
/// assert_eq!(cpe.poll_event(), Some(CpeEvent::SessionDue));
/// cpe.start_session(now, SessionStart::default()).unwrap();
/// let post = cpe.poll_transmit().unwrap();
/// assert_eq!(post.soap_action, Some(""));
/// assert_eq!(post.envelope.unwrap().body.name(), "Inform");
/// ```
#[derive(Debug)]
pub struct Cpe<H> {
    config: CpeConfig,
    handler: H,
    pending: Vec<EventStruct<'static>>,
    queue: VecDeque<Queued>,
    next_request: u64,
    parameter_key: ParameterKey,
    retry_count: u32,
    due_at: Option<Instant>,
    session: Option<Session>,
    transmit: Option<Transmit>,
    events: VecDeque<CpeEvent>,
}

impl<H: CpeHandler> Cpe<H> {
    /// An engine with no pending events, RetryCount 0 and an empty ParameterKey.
    pub fn new(config: CpeConfig, handler: H) -> Self {
        Cpe {
            config,
            handler,
            pending: Vec::new(),
            queue: VecDeque::new(),
            next_request: 1,
            parameter_key: ParameterKey::default(),
            retry_count: 0,
            due_at: None,
            session: None,
            transmit: None,
            events: VecDeque::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &CpeConfig {
        &self.config
    }

    /// The handler.
    pub fn handler(&self) -> &H {
        &self.handler
    }

    /// The handler, mutably.
    pub fn handler_mut(&mut self) -> &mut H {
        &mut self.handler
    }

    /// The events the next Inform will carry.
    pub fn pending_events(&self) -> &[EventStruct<'static>] {
        &self.pending
    }

    /// How many CPE requests are queued (including one in flight).
    pub fn queued_requests(&self) -> usize {
        self.queue.len()
    }

    /// The RetryCount the next Inform will carry.
    pub fn retry_count(&self) -> u32 {
        self.retry_count
    }

    /// The current `ManagementServer.ParameterKey`.
    pub fn parameter_key(&self) -> &ParameterKey {
        &self.parameter_key
    }

    /// Restores a ParameterKey kept in persistent storage.
    pub fn set_parameter_key(&mut self, key: ParameterKey) {
        self.parameter_key = key;
    }

    /// Whether a session is in progress.
    pub fn in_session(&self) -> bool {
        self.session.is_some()
    }

    /// Adds an event that triggers a session (EVT-03 merging: a single event already pending
    /// is not added twice). Outside a session, a session becomes due now, also during a retry
    /// wait (SES-10); during a session, one new session becomes due after it (CR-01).
    /// Returns whether the event was new.
    pub fn add_event(&mut self, event: EventStruct<'static>, now: Instant) -> bool {
        let added = merge_event(&mut self.pending, event);
        if added {
            self.trigger(now);
        }
        added
    }

    /// Adds an event that rides along with the next session without triggering one (a
    /// passive `4 VALUE CHANGE`). Returns whether the event was new.
    pub fn defer_event(&mut self, event: EventStruct<'static>) -> bool {
        merge_event(&mut self.pending, event)
    }

    /// Queues a request for the ACS, with the events its session must carry (e.g.
    /// TransferComplete with `7 TRANSFER COMPLETE` and `M Download` + CommandKey). The
    /// events are added as with [`add_event`](Self::add_event). Requests go out one at a time
    /// after the InformResponse, in queue order; until one is answered it stays queued, and if
    /// its session fails its events are pending again for the retry.
    pub fn queue_request(
        &mut self,
        request: Body<'static>,
        events: Vec<EventStruct<'static>>,
        now: Instant,
    ) -> Result<RequestId, Error> {
        if !is_cpe_request(&request) {
            return Err(Error::NotACpeRequest(request.name().to_owned()));
        }
        let id = RequestId(self.next_request);
        self.next_request = self.next_request.saturating_add(1);
        for event in &events {
            merge_event(&mut self.pending, event.clone());
        }
        self.queue.push_back(Queued {
            id,
            body: request,
            events,
        });
        self.trigger(now);
        Ok(id)
    }

    fn trigger(&mut self, now: Instant) {
        match &mut self.session {
            Some(session) => session.events_added = true,
            None => self.due_at = Some(now),
        }
    }

    /// After a reboot: drops the pending events that do not survive one (EVT-04:
    /// [`EventCode::kept_across_reboot`]), forgets any session, and resets the RetryCount
    /// (SES-10 counts retries since the reboot). The application then adds `1 BOOT` (and
    /// `M Reboot` with its CommandKey after a Reboot RPC).
    pub fn reboot(&mut self) {
        self.pending.retain(|e| e.code.kept_across_reboot());
        self.session = None;
        self.transmit = None;
        self.retry_count = 0;
        self.due_at = None;
    }

    /// After a factory reset: empties the ParameterKey (SES-20), drops pending events and
    /// queued requests, resets the RetryCount and adds `0 BOOTSTRAP` (EVT-02), which makes a
    /// session due. The application adds `1 BOOT` when the device boots.
    pub fn factory_reset(&mut self, now: Instant) {
        self.parameter_key.factory_reset();
        self.pending.clear();
        self.queue.clear();
        self.session = None;
        self.transmit = None;
        self.retry_count = 0;
        self.add_event(EventStruct::new(EventCode::BOOTSTRAP), now);
    }

    /// Starts a session: queues the Inform (drain it with [`poll_transmit`](Self::poll_transmit)).
    pub fn start_session(&mut self, now: Instant, start: SessionStart) -> Result<(), Error> {
        if self.session.is_some() {
            return Err(Error::SessionInProgress);
        }
        let informed: Vec<EventStruct<'static>> =
            self.pending.iter().take(MAX_EVENTS).cloned().collect();
        let mut parameters = start.parameters;
        if let Some(name) = &self.config.parameter_key_name {
            let value = Value::string(self.parameter_key.as_str().to_owned());
            match parameters.iter_mut().find(|p| p.name == name.as_str()) {
                Some(p) => p.value = value,
                None => parameters.push(ParameterValue::new(name.clone(), value)),
            }
        }
        let mut session = Session {
            informed: informed.clone(),
            phase: Phase::Inform,
            deadline: now + self.config.session_timeout,
            next_id: 1,
            hold: false,
            requests_stopped: false,
            events_added: false,
            random: start.random,
        };
        let mut header = Header::with_id(self.next_id(&mut session));
        if self.config.version == CwmpVersion::V1_4 {
            header.supported_cwmp_versions =
                Some(format_version_list(&self.config.supported_versions).into());
        }
        let inform = Inform {
            device_id: self.config.device_id.clone(),
            events: informed.clone(),
            max_envelopes: 1,
            current_time: start.current_time,
            retry_count: self.retry_count,
            parameters,
        };
        self.due_at = None;
        self.session = Some(session);
        self.transmit = Some(Transmit::envelope(Envelope {
            header,
            body: inform.into(),
        }));
        self.events.push_back(CpeEvent::SessionStarted {
            events: informed,
            retry_count: self.retry_count,
        });
        Ok(())
    }

    fn next_id(&self, session: &mut Session) -> String {
        let id = format!("{}{}", self.config.id_prefix, session.next_id);
        session.next_id = session.next_id.saturating_add(1);
        id
    }

    /// The next POST to send. Every response to it goes to
    /// [`handle_response`](Self::handle_response). A new one appears after
    /// [`start_session`](Self::start_session) and `handle_response`.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmit.take()
    }

    /// The next event. New ones appear after every `handle_*` call and
    /// [`start_session`](Self::start_session).
    pub fn poll_event(&mut self) -> Option<CpeEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due: the deadline of the
    /// outstanding HTTP response during a session, the start of the next session (now, or the
    /// end of the retry wait) outside one. Changes after every other call.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.session {
            Some(s) => Some(s.deadline),
            None => self.due_at,
        }
    }

    /// Time has passed: a session whose response is overdue fails; a due session is announced
    /// with [`CpeEvent::SessionDue`].
    pub fn handle_timeout(&mut self, now: Instant) {
        match &self.session {
            Some(s) if s.deadline <= now => self.fail(Failure::Timeout, now),
            Some(_) => {}
            None => {
                if self.due_at.is_some_and(|at| at <= now) {
                    self.due_at = None;
                    self.events.push_back(CpeEvent::SessionDue);
                }
            }
        }
    }

    /// The connection failed (refused, reset, TLS error, auth gave up): the session fails.
    pub fn handle_transport_error(&mut self, now: Instant) -> Result<(), Error> {
        if self.session.is_none() {
            return Err(Error::NoSession);
        }
        self.fail(Failure::Transport, now);
        Ok(())
    }

    /// The HTTP response to the last POST. Status 200 with an envelope, or 200 with an empty
    /// body / 204 (an empty response); any other status fails the session.
    pub fn handle_response(&mut self, response: HttpResponse, now: Instant) -> Result<(), Error> {
        let Some(mut session) = self.session.take() else {
            return Err(Error::NoSession);
        };
        if self.transmit.is_some() {
            self.session = Some(session);
            return Err(Error::NothingOutstanding);
        }
        let body = match response.status {
            200 => response.body,
            204 => None,
            other => {
                self.session = Some(session);
                self.fail(Failure::HttpStatus(other), now);
                return Ok(());
            }
        };
        session.deadline = now + self.config.session_timeout;
        let phase = std::mem::replace(&mut session.phase, Phase::Open);
        let outcome = match phase {
            Phase::Inform => self.on_inform_response(&mut session, body),
            Phase::Request { attempts, envelope } => {
                self.on_request_response(&mut session, attempts, envelope, body)
            }
            Phase::Open => self.on_open(&mut session, body, now),
        };
        self.session = Some(session);
        match outcome {
            Step::Continue => {}
            Step::Fail(failure) => self.fail(failure, now),
            Step::End => self.succeed(now),
        }
        Ok(())
    }

    fn on_inform_response(
        &mut self,
        session: &mut Session,
        body: Option<Envelope<'static>>,
    ) -> Step {
        let Some(envelope) = body else {
            return Step::Fail(Failure::NoInformResponse);
        };
        match envelope.body {
            Body::InformResponse(_) => {
                let version = envelope.header.use_cwmp_version;
                if let Some(v) = version {
                    if !self.config.supported_versions.contains(&v) {
                        return Step::Fail(Failure::UnofferedVersion(v));
                    }
                }
                let informed = &session.informed;
                self.pending.retain(|e| !informed.contains(e));
                self.events.push_back(CpeEvent::InformAccepted { version });
                session.hold = envelope.header.hold_requests == Some(true);
                self.next_step(session);
                Step::Continue
            }
            Body::Fault(f) if f.code == FaultCode::ACS_VERSION_INCOMPATIBLE => {
                Step::Fail(Failure::VersionIncompatible)
            }
            Body::Fault(f) => Step::Fail(Failure::InformFault(f.code)),
            other => Step::Fail(Failure::Unexpected(other.name().to_owned())),
        }
    }

    fn on_request_response(
        &mut self,
        session: &mut Session,
        attempts: u32,
        sent: Box<Envelope<'static>>,
        body: Option<Envelope<'static>>,
    ) -> Step {
        let Some(envelope) = body else {
            return Step::Fail(Failure::Unexpected("empty".to_owned()));
        };
        if envelope.header.id.is_some() && envelope.header.id != sent.header.id {
            return Step::Fail(Failure::Unexpected(format!(
                "{} with another ID",
                envelope.body.name()
            )));
        }
        session.hold = envelope.header.hold_requests == Some(true);
        match envelope.body {
            Body::Fault(f)
                if f.code == FaultCode::ACS_RETRY_REQUEST
                    && attempts < self.config.max_request_retries =>
            {
                let attempt = attempts.saturating_add(1);
                if let Some(q) = self.queue.front() {
                    self.events
                        .push_back(CpeEvent::RequestRetried { id: q.id, attempt });
                }
                self.transmit = Some(Transmit::envelope((*sent).clone()));
                session.phase = Phase::Request {
                    attempts: attempt,
                    envelope: sent,
                };
            }
            Body::Fault(fault) => {
                let requeued = fault.code == FaultCode::ACS_RETRY_REQUEST;
                let queued = if requeued {
                    session.requests_stopped = true;
                    self.queue.front().cloned()
                } else {
                    self.queue.pop_front()
                };
                if let Some(q) = queued {
                    self.events.push_back(CpeEvent::RequestFaulted {
                        id: q.id,
                        request: q.body,
                        fault,
                        requeued,
                    });
                }
                self.next_step(session);
            }
            response if response.is_response() => {
                if let Some(q) = self.queue.pop_front() {
                    self.events.push_back(CpeEvent::RequestCompleted {
                        id: q.id,
                        request: q.body,
                        response,
                    });
                }
                self.next_step(session);
            }
            other => return Step::Fail(Failure::Unexpected(other.name().to_owned())),
        }
        Step::Continue
    }

    fn on_open(
        &mut self,
        session: &mut Session,
        body: Option<Envelope<'static>>,
        now: Instant,
    ) -> Step {
        let Some(request) = body else {
            // SES-02: the ACS has no more requests. The session ends unless the CPE still
            // has requests it may send.
            session.hold = false;
            if !session.requests_stopped && !self.queue.is_empty() {
                self.next_step(session);
                return Step::Continue;
            }
            return Step::End;
        };
        if !request.body.is_request() {
            return Step::Fail(Failure::Unexpected(request.body.name().to_owned()));
        }
        session.hold = request.header.hold_requests == Some(true);
        let method = request.body.name().to_owned();
        let answer =
            if matches!(request.body, Body::Unknown(_)) || request.body.side() == Some(Side::Acs) {
                Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED))
            } else {
                self.handler.handle(&request.body, now)
            };
        if self.parameter_key.apply(&request.body, &answer) {
            self.events.push_back(CpeEvent::ParameterKeyChanged {
                value: self.parameter_key.as_str().to_owned(),
            });
        }
        let fault = answer.as_ref().err().map(|f| f.code);
        let reply: Body<'static> = match answer {
            Ok(body) => body,
            Err(fault) => Body::Fault(fault),
        };
        self.transmit = Some(Transmit::envelope(Envelope::response_to(&request, reply)));
        session.phase = Phase::Open;
        self.events
            .push_back(CpeEvent::AcsRequestAnswered { method, fault });
        Step::Continue
    }

    /// After the InformResponse or the answer to a CPE request: the next request, or the
    /// empty POST.
    fn next_step(&mut self, session: &mut Session) {
        let next = if session.hold || session.requests_stopped {
            None
        } else {
            self.queue.front().map(|q| q.body.clone())
        };
        match next {
            Some(body) => {
                let envelope = Envelope::request(self.next_id(session), body);
                self.transmit = Some(Transmit::envelope(envelope.clone()));
                session.phase = Phase::Request {
                    attempts: 0,
                    envelope: Box::new(envelope),
                };
            }
            None => {
                self.transmit = Some(Transmit::empty());
                session.phase = Phase::Open;
            }
        }
    }

    fn succeed(&mut self, now: Instant) {
        let Some(session) = self.session.take() else {
            return;
        };
        self.transmit = None;
        self.retry_count = 0;
        // Events that did not fit the Inform (more than 64) need another session.
        let leftover = !self.pending.is_empty();
        // Requests left over (8005 beyond the bound) take their events to the next session.
        for q in &self.queue {
            for e in &q.events {
                merge_event(&mut self.pending, e.clone());
            }
        }
        self.events.push_back(CpeEvent::SessionEnded {
            success: true,
            failure: None,
        });
        if session.events_added || leftover {
            self.due_at = Some(now);
        }
    }

    fn fail(&mut self, failure: Failure, now: Instant) {
        let Some(session) = self.session.take() else {
            return;
        };
        self.transmit = None;
        // EVT-04: undelivered events are kept, except those not retried after a failure
        // (6 CONNECTION REQUEST) that this session's Inform carried.
        let informed = &session.informed;
        self.pending
            .retain(|e| e.code.retried_after_failure() || !informed.contains(e));
        for q in &self.queue {
            for e in &q.events {
                merge_event(&mut self.pending, e.clone());
            }
        }
        self.retry_count = self.retry_count.saturating_add(1);
        let wait = retry_wait(
            self.retry_count,
            self.config.retry_min_wait,
            self.config.retry_interval_multiplier,
            session.random,
        );
        // An event that arrived during the failed session is "new": no wait (SES-10).
        let at = if session.events_added {
            now
        } else {
            now.checked_add(wait).unwrap_or(now)
        };
        self.due_at = Some(at);
        self.events.push_back(CpeEvent::SessionEnded {
            success: false,
            failure: Some(failure),
        });
        self.events.push_back(CpeEvent::RetryScheduled {
            at,
            retry_count: self.retry_count,
        });
    }
}

enum Step {
    Continue,
    Fail(Failure),
    End,
}
