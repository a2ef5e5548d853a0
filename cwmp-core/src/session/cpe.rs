//! The CPE side: one session at a time, plus the state that outlives sessions (pending events,
//! queued CPE requests, RetryCount, ParameterKey).
//!
//! See the [module docs](super) for the driving loop. In short: the application feeds
//! [`Cpe::start_session`], [`Cpe::handle_response`], [`Cpe::handle_timeout`] and
//! [`Cpe::handle_transport_error`], and after every call drains [`Cpe::poll_transmit`],
//! [`Cpe::poll_event`] and [`Cpe::poll_timeout`].
//!
//! # Answering the ACS, synchronously or not
//!
//! A request from the ACS comes back from [`Cpe::handle_response`] as
//! [`Received::AcsRequest`], borrowed from the HTTP body, with an [`Answer`] token. The
//! application answers it whenever it is ready — after a call over ubus, D-Bus or any async
//! API — with [`Cpe::respond`]; the engine sends nothing until then. A CPE whose data model
//! answers at once can pass a closure to [`Cpe::handle_response_with`] instead (any
//! [`CpeHandler`]).
//!
//! Work that takes longer than a session step (a Download, a Reboot) is answered at once
//! (DownloadResponse Status=1, RebootResponse) and carried out after the session; its
//! completion is reported later with [`Cpe::queue_request`] (TransferComplete) or
//! [`Cpe::add_event`] (`1 BOOT` + `M Reboot`).
//!
//! # HTTP duties left to the application
//!
//! - One keep-alive connection per session (no pipelining; request and response alternate).
//!   Open it before sending the Inform and close it after `SessionEnded`.
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
use super::{CONTENT_TYPE, Incoming, RequestHandle, SOAP_ACTION, answering, method_name};
use crate::datetime::DateTimeText;
use crate::envelope::{Body, Envelope, Side};
use crate::event::{EventCode, EventStruct, merge_event};
use crate::fault::{Fault, FaultCode, SoapFault};
use crate::header::Header;
use crate::limits::MAX_EVENTS;
use crate::rpc::{DeviceId, Inform, ParameterValue};
use crate::value::Value;
use crate::version::{CwmpVersion, format_version_list};

/// Answers the requests an ACS sends (GetParameterValues, SetParameterValues, Download …)
/// synchronously, for [`Cpe::handle_response_with`].
///
/// The engine itself answers methods only an ACS implements (fault 9000). Unknown (vendor)
/// methods reach the handler; one that does not support a method returns
/// `Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED))`.
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
    /// When `true` and [`version`](Self::version) is 1.3 or later, the Inform carries the
    /// `SessionTimeout` header with [`session_timeout`](Self::session_timeout) in seconds, so
    /// the ACS knows how long this CPE waits for each answer (default `false`).
    pub announce_session_timeout: bool,
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
            announce_session_timeout: false,
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

    /// The same settings with another wait for each HTTP response.
    pub fn with_session_timeout(mut self, timeout: Duration) -> Self {
        self.session_timeout = timeout;
        self
    }

    /// The same settings announcing the session timeout in the Inform (CWMP 1.3+).
    pub fn with_announced_session_timeout(mut self, announce: bool) -> Self {
        self.announce_session_timeout = announce;
        self
    }
}

/// What the application supplies when a session starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SessionStart {
    /// The Inform's CurrentTime (the device clock; may be the Unknown Time).
    pub current_time: DateTimeText<'static>,
    /// The Inform's ParameterList: the forced Inform parameters (those the data model marks forced, in every Inform), the values of
    /// `4 VALUE CHANGE`, and any configured extras.
    pub parameters: Vec<ParameterValue<'static>>,
    /// A random number; if this session fails it picks the retry wait inside the window of
    /// TR-069 §3.2.1.1 (see [`retry_wait`](super::retry_wait())).
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
/// auth layer and redirects). The envelope borrows from the HTTP body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    /// The status code.
    pub status: u16,
    /// The decoded envelope with its version; `None` when the body was empty.
    pub body: Option<Incoming<'a>>,
}

impl<'a> HttpResponse<'a> {
    /// A `200 OK` with an envelope the decoder found to be in `version`.
    pub fn ok(envelope: Envelope<'a>, version: CwmpVersion) -> Self {
        HttpResponse {
            status: 200,
            body: Some(Incoming::new(envelope, version)),
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

/// One HTTP POST the application sends to the ACS URL. It borrows the envelope from the
/// engine: encode it, then drop the transmit before the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transmit<'t> {
    /// Always `POST`.
    pub method: &'static str,
    /// The `SOAPAction` header: `Some("")` (send `SOAPAction: ""`) on a POST with an
    /// envelope, `None` (no header) on an empty POST.
    pub soap_action: Option<&'static str>,
    /// The `Content-Type` header: `text/xml; charset="utf-8"` with an envelope, none on an
    /// empty POST.
    pub content_type: Option<&'static str>,
    /// The envelope to encode as the body; `None` for an empty POST (`Content-Length: 0`).
    pub envelope: Option<&'t Envelope<'static>>,
    /// The CWMP version to encode the envelope in: the CPE's own for the Inform, then the one
    /// the ACS chose (UseCWMPVersion) or answered in.
    pub version: CwmpVersion,
}

impl<'t> Transmit<'t> {
    fn envelope(envelope: &'t Envelope<'static>, version: CwmpVersion) -> Self {
        Transmit {
            method: "POST",
            soap_action: Some(SOAP_ACTION),
            content_type: Some(CONTENT_TYPE),
            envelope: Some(envelope),
            version,
        }
    }

    fn empty(version: CwmpVersion) -> Self {
        Transmit {
            method: "POST",
            soap_action: None,
            content_type: None,
            envelope: None,
            version,
        }
    }

    /// Whether this is the empty POST ("no more requests from the CPE").
    pub fn is_empty(&self) -> bool {
        self.envelope.is_none()
    }
}

/// The right to answer one request of the ACS, given with [`Received::AcsRequest`] and
/// consumed by [`Cpe::respond`]. It cannot be copied, so a request is answered once.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Answer {
    session: u64,
    seq: u64,
}

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
    /// The ACS answered the Inform with a SOAP Fault that carries no CWMP fault (so no fault
    /// code).
    InformSoapFault,
    /// The ACS answered the Inform with fault 8006: no common version.
    VersionIncompatible,
    /// The ACS answered the Inform with an empty response.
    NoInformResponse,
    /// UseCWMPVersion named a version the CPE did not offer.
    UnofferedVersion(CwmpVersion),
    /// The ACS sent a message that does not fit the session's state: its wire name, or `None`
    /// for an empty response.
    Unexpected(Option<&'static str>),
    /// The ACS answered a request of the CPE with another cwmp:ID.
    WrongId,
}

/// A message from the ACS that the application must see, handed over by
/// [`Cpe::handle_response`]. It borrows from the HTTP body the envelope was decoded from.
#[derive(Debug, PartialEq)]
#[non_exhaustive]
pub enum Received<'a> {
    /// A request of the ACS: answer it with [`Cpe::respond`] and the [`Answer`]. Until then
    /// the engine sends nothing.
    AcsRequest {
        /// The token to answer with.
        answer: Answer,
        /// The request.
        request: Body<'a>,
    },
    /// A queued CPE request was answered.
    RequestCompleted {
        /// The request's handle.
        handle: RequestHandle,
        /// The request, handed back.
        request: Body<'static>,
        /// The ACS's response.
        response: Body<'a>,
    },
    /// A queued CPE request was answered with a fault.
    RequestFaulted {
        /// The request's handle.
        handle: RequestHandle,
        /// The request, handed back when it was dropped; `None` when it stays queued for the
        /// next session (fault 8005 more often than [`CpeConfig::max_request_retries`]).
        request: Option<Body<'static>>,
        /// The fault.
        fault: Fault<'a>,
    },
    /// The ACS answered a request of the CPE with a SOAP Fault that carries no CWMP fault (so
    /// no fault code). The request is dropped and handed back.
    RequestSoapFaulted {
        /// The request's handle.
        handle: RequestHandle,
        /// The request.
        request: Body<'static>,
        /// The SOAP fault as it came.
        fault: SoapFault<'a>,
    },
}

/// What the engine tells the application besides the messages it hands over.
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
        /// The UseCWMPVersion the ACS chose, or `None` when it sent none.
        negotiated: Option<CwmpVersion>,
        /// The version the rest of the session is encoded in.
        version: CwmpVersion,
    },
    /// A queued CPE request got fault 8005 and was re-sent unchanged.
    RequestRetried {
        /// The request's handle.
        handle: RequestHandle,
        /// How many times it has been re-sent in this session.
        attempt: u32,
    },
    /// A queued CPE request was dropped without an answer (a factory reset): handed back.
    RequestAbandoned {
        /// The request's handle.
        handle: RequestHandle,
        /// The request.
        request: Body<'static>,
    },
    /// A request from the ACS was answered.
    AcsRequestAnswered {
        /// The request's wire name (`"Unknown"` for a method this crate does not know).
        method: &'static str,
        /// The fault code sent, or `None` when a response was sent.
        fault: Option<FaultCode>,
    },
    /// The ParameterKey changed (a SetParameterValues, AddObject or DeleteObject succeeded);
    /// the application persists [`Cpe::parameter_key`].
    ParameterKeyChanged,
    /// The session ended.
    SessionEnded {
        /// `true` when it ended normally (an empty response from the ACS, nothing more to
        /// send).
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

#[derive(Debug)]
struct Queued {
    handle: RequestHandle,
    envelope: Envelope<'static>,
    events: Vec<EventStruct<'static>>,
}

#[derive(Debug)]
enum Phase {
    /// The Inform is out; waiting for the InformResponse.
    Inform,
    /// The request at the front of the queue is out.
    Request { attempts: u32 },
    /// An empty POST or a response to the ACS is out: the ACS sends a request or ends.
    Open,
    /// A request of the ACS is with the application.
    Answering {
        seq: u64,
        id: Option<String>,
        key: Option<String>,
        method: &'static str,
    },
}

/// What the next POST carries.
#[derive(Debug, Clone, Copy)]
enum Out {
    Empty,
    Sent,
    QueueFront,
}

#[derive(Debug)]
struct Session {
    number: u64,
    informed: Vec<EventStruct<'static>>,
    phase: Phase,
    deadline: Option<Instant>,
    next_id: u64,
    hold: bool,
    requests_stopped: bool,
    events_added: bool,
    random: u64,
    version: CwmpVersion,
}

/// The CPE-side session engine.
///
/// ```
/// use std::time::Instant;
/// use cwmp_core::event::{EventCode, EventStruct};
/// use cwmp_core::rpc::DeviceId;
/// use cwmp_core::session::cpe::{Cpe, CpeConfig, CpeEvent, SessionStart};
///
/// let now = Instant::now();
/// let mut cpe = Cpe::new(CpeConfig::new(DeviceId::default()));
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
pub struct Cpe {
    config: CpeConfig,
    pending: Vec<EventStruct<'static>>,
    queue: VecDeque<Queued>,
    next_request: u64,
    parameter_key: ParameterKey,
    retry_count: u32,
    due_at: Option<Instant>,
    session: Option<Session>,
    sessions: u64,
    answers: u64,
    sent: Option<Envelope<'static>>,
    transmit: Option<Out>,
    events: VecDeque<CpeEvent>,
}

impl Cpe {
    /// An engine with no pending events, RetryCount 0 and an empty ParameterKey.
    pub fn new(config: CpeConfig) -> Self {
        Cpe {
            config,
            pending: Vec::new(),
            queue: VecDeque::new(),
            next_request: 1,
            parameter_key: ParameterKey::default(),
            retry_count: 0,
            due_at: None,
            session: None,
            sessions: 0,
            answers: 0,
            sent: None,
            transmit: None,
            events: VecDeque::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &CpeConfig {
        &self.config
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

    /// Whether a request of the ACS waits for [`respond`](Self::respond).
    pub fn is_answering(&self) -> bool {
        matches!(
            self.session.as_ref().map(|s| &s.phase),
            Some(Phase::Answering { .. })
        )
    }

    /// Adds an event that triggers a session (a single event already pending is not added
    /// twice). Outside a session, a session becomes due now, also during a retry wait; during
    /// a session, one new session becomes due after it. Returns whether the event was new.
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
    ) -> Result<RequestHandle, Error> {
        if !is_cpe_request(&request) {
            return Err(Error::NotACpeRequest(method_name(&request)));
        }
        let handle = RequestHandle(self.next_request);
        self.next_request = self.next_request.saturating_add(1);
        for event in &events {
            merge_event(&mut self.pending, event.clone());
        }
        self.queue.push_back(Queued {
            handle,
            envelope: Envelope {
                header: Header::default(),
                body: request,
            },
            events,
        });
        self.trigger(now);
        Ok(handle)
    }

    fn trigger(&mut self, now: Instant) {
        match &mut self.session {
            Some(session) => session.events_added = true,
            None => self.due_at = Some(now),
        }
    }

    /// After a reboot: drops the pending events that do not survive one
    /// ([`EventCode::kept_across_reboot`]), forgets any session, and resets the RetryCount
    /// (retries are counted since the reboot). Queued requests stay queued. The application
    /// then adds `1 BOOT` (and `M Reboot` with its CommandKey after a Reboot RPC).
    pub fn reboot(&mut self) {
        self.pending.retain(|e| e.code.kept_across_reboot());
        self.session = None;
        self.transmit = None;
        self.retry_count = 0;
        self.due_at = None;
    }

    /// After a factory reset: empties the ParameterKey, drops pending events, hands every
    /// queued request back ([`CpeEvent::RequestAbandoned`]), resets the RetryCount and adds
    /// `0 BOOTSTRAP`, which makes a session due. The application adds `1 BOOT` when the
    /// device boots.
    pub fn factory_reset(&mut self, now: Instant) {
        self.parameter_key.factory_reset();
        self.pending.clear();
        while let Some(q) = self.queue.pop_front() {
            self.events.push_back(CpeEvent::RequestAbandoned {
                handle: q.handle,
                request: q.envelope.body,
            });
        }
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
        self.sessions = self.sessions.wrapping_add(1);
        let mut session = Session {
            number: self.sessions,
            informed: informed.clone(),
            phase: Phase::Inform,
            deadline: now.checked_add(self.config.session_timeout),
            next_id: 1,
            hold: false,
            requests_stopped: false,
            events_added: false,
            random: start.random,
            version: self.config.version,
        };
        let mut header = Header::with_id(self.next_id(&mut session));
        if self.config.version == CwmpVersion::V1_4 {
            header.supported_cwmp_versions =
                Some(format_version_list(&self.config.supported_versions).into());
        }
        if self.config.announce_session_timeout && self.config.version >= CwmpVersion::V1_3 {
            let secs = self.config.session_timeout.as_secs();
            header.session_timeout = Some(u32::try_from(secs).unwrap_or(u32::MAX));
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
        self.sent = Some(Envelope {
            header,
            body: inform.into(),
        });
        self.transmit = Some(Out::Sent);
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
    /// [`start_session`](Self::start_session), `handle_response` and `respond`.
    pub fn poll_transmit(&mut self) -> Option<Transmit<'_>> {
        let version = self.session.as_ref().map(|s| s.version)?;
        match self.transmit.take()? {
            Out::Empty => Some(Transmit::empty(version)),
            Out::Sent => self
                .sent
                .as_ref()
                .map(|envelope| Transmit::envelope(envelope, version)),
            Out::QueueFront => self
                .queue
                .front()
                .map(|q| Transmit::envelope(&q.envelope, version)),
        }
    }

    /// The next event. New ones appear after every `handle_*` call and
    /// [`start_session`](Self::start_session).
    pub fn poll_event(&mut self) -> Option<CpeEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due: the deadline of the
    /// outstanding HTTP response during a session (none while the application answers a
    /// request), the start of the next session (now, or the end of the retry wait) outside
    /// one. Changes after every other call.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.session {
            Some(s) => s.deadline,
            None => self.due_at,
        }
    }

    /// Time has passed: a session whose response is overdue fails; a due session is announced
    /// with [`CpeEvent::SessionDue`].
    pub fn handle_timeout(&mut self, now: Instant) {
        match &self.session {
            Some(s) if s.deadline.is_some_and(|d| d <= now) => self.fail(Failure::Timeout, now),
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
    /// body / 204 (an empty response); any other status fails the session. A message the
    /// application must see comes back as a [`Received`], moved out of the response.
    pub fn handle_response<'a>(
        &mut self,
        response: HttpResponse<'a>,
        now: Instant,
    ) -> Result<Option<Received<'a>>, Error> {
        let Some(mut session) = self.session.take() else {
            return Err(Error::NoSession);
        };
        if self.transmit.is_some() || matches!(session.phase, Phase::Answering { .. }) {
            self.session = Some(session);
            return Err(Error::NothingOutstanding);
        }
        let body = match response.status {
            200 => response.body,
            204 => None,
            other => {
                self.session = Some(session);
                self.fail(Failure::HttpStatus(other), now);
                return Ok(None);
            }
        };
        session.deadline = now.checked_add(self.config.session_timeout);
        let phase = std::mem::replace(&mut session.phase, Phase::Open);
        let mut received = None;
        let outcome = match phase {
            Phase::Inform => self.on_inform_response(&mut session, body),
            Phase::Request { attempts } => {
                self.on_request_response(&mut session, attempts, body, &mut received)
            }
            Phase::Open | Phase::Answering { .. } => {
                self.on_open(&mut session, body, &mut received)
            }
        };
        self.session = Some(session);
        match outcome {
            Step::Continue => {}
            Step::Fail(failure) => self.fail(failure, now),
            Step::End => self.succeed(now),
        }
        Ok(received)
    }

    /// [`handle_response`](Self::handle_response) for a CPE that answers the ACS at once: a
    /// request of the ACS goes to `handler` and its answer is sent; the other messages come
    /// back as from `handle_response`.
    pub fn handle_response_with<'a, H: CpeHandler + ?Sized>(
        &mut self,
        response: HttpResponse<'a>,
        now: Instant,
        handler: &mut H,
    ) -> Result<Option<Received<'a>>, Error> {
        match self.handle_response(response, now)? {
            Some(Received::AcsRequest { answer, request }) => {
                let outcome = handler.handle(&request, now);
                self.respond(answer, outcome, now)?;
                Ok(None)
            }
            other => Ok(other),
        }
    }

    /// Answers the request of the ACS that came with `answer`: its response, or the fault to
    /// send instead. The ParameterKey follows a successful SetParameterValues, AddObject or
    /// DeleteObject. Fails when the session of that request is over.
    pub fn respond(
        &mut self,
        answer: Answer,
        outcome: Result<Body<'static>, Fault<'static>>,
        now: Instant,
    ) -> Result<(), Error> {
        let Some(session) = self.session.as_mut() else {
            return Err(Error::NoSession);
        };
        let Phase::Answering { seq, .. } = &session.phase else {
            return Err(Error::NoDecisionPending);
        };
        if answer.session != session.number || answer.seq != *seq {
            return Err(Error::StaleAnswer);
        }
        let Phase::Answering {
            id, key, method, ..
        } = std::mem::replace(&mut session.phase, Phase::Open)
        else {
            return Err(Error::NoDecisionPending);
        };
        session.deadline = now.checked_add(self.config.session_timeout);
        let fault = outcome.as_ref().err().map(|f| f.code);
        if let (Some(key), None) = (key, fault) {
            if key != self.parameter_key.as_str() {
                self.parameter_key = ParameterKey::new(key);
                self.events.push_back(CpeEvent::ParameterKeyChanged);
            }
        }
        let body = match outcome {
            Ok(body) => body,
            Err(fault) => Body::Fault(fault),
        };
        self.sent = Some(answering(id, body));
        self.transmit = Some(Out::Sent);
        self.events
            .push_back(CpeEvent::AcsRequestAnswered { method, fault });
        Ok(())
    }

    fn on_inform_response(&mut self, session: &mut Session, body: Option<Incoming<'_>>) -> Step {
        let Some(Incoming { envelope, version }) = body else {
            return Step::Fail(Failure::NoInformResponse);
        };
        match envelope.body {
            Body::InformResponse(_) => {
                let negotiated = envelope.header.use_cwmp_version;
                if let Some(v) = negotiated {
                    if !self.config.supported_versions.contains(&v) {
                        return Step::Fail(Failure::UnofferedVersion(v));
                    }
                }
                session.version = negotiated.unwrap_or_else(|| version.min(self.config.version));
                let informed = &session.informed;
                self.pending.retain(|e| !informed.contains(e));
                self.events.push_back(CpeEvent::InformAccepted {
                    negotiated,
                    version: session.version,
                });
                session.hold = envelope.header.hold_requests == Some(true);
                self.next_step(session);
                Step::Continue
            }
            Body::Fault(f) if f.code == FaultCode::ACS_VERSION_INCOMPATIBLE => {
                Step::Fail(Failure::VersionIncompatible)
            }
            Body::Fault(f) => Step::Fail(Failure::InformFault(f.code)),
            Body::SoapFault(_) => Step::Fail(Failure::InformSoapFault),
            other => Step::Fail(Failure::Unexpected(Some(method_name(&other)))),
        }
    }

    fn on_request_response<'a>(
        &mut self,
        session: &mut Session,
        attempts: u32,
        body: Option<Incoming<'a>>,
        received: &mut Option<Received<'a>>,
    ) -> Step {
        let Some(Incoming { envelope, .. }) = body else {
            return Step::Fail(Failure::Unexpected(None));
        };
        let sent_id = self
            .queue
            .front()
            .and_then(|q| q.envelope.header.id.as_deref());
        if envelope.header.id.is_some() && envelope.header.id.as_deref() != sent_id {
            return Step::Fail(Failure::WrongId);
        }
        session.hold = envelope.header.hold_requests == Some(true);
        match envelope.body {
            Body::Fault(f)
                if f.code == FaultCode::ACS_RETRY_REQUEST
                    && attempts < self.config.max_request_retries =>
            {
                let attempt = attempts.saturating_add(1);
                if let Some(q) = self.queue.front() {
                    self.events.push_back(CpeEvent::RequestRetried {
                        handle: q.handle,
                        attempt,
                    });
                }
                self.transmit = Some(Out::QueueFront);
                session.phase = Phase::Request { attempts: attempt };
            }
            Body::Fault(fault) => {
                let requeued = fault.code == FaultCode::ACS_RETRY_REQUEST;
                let handle_and_request = if requeued {
                    session.requests_stopped = true;
                    self.queue.front().map(|q| (q.handle, None))
                } else {
                    self.queue
                        .pop_front()
                        .map(|q| (q.handle, Some(q.envelope.body)))
                };
                if let Some((handle, request)) = handle_and_request {
                    *received = Some(Received::RequestFaulted {
                        handle,
                        request,
                        fault,
                    });
                }
                self.next_step(session);
            }
            Body::SoapFault(fault) => {
                if let Some(q) = self.queue.pop_front() {
                    *received = Some(Received::RequestSoapFaulted {
                        handle: q.handle,
                        request: q.envelope.body,
                        fault,
                    });
                }
                self.next_step(session);
            }
            response if response.is_response() => {
                if let Some(q) = self.queue.pop_front() {
                    *received = Some(Received::RequestCompleted {
                        handle: q.handle,
                        request: q.envelope.body,
                        response,
                    });
                }
                self.next_step(session);
            }
            other => return Step::Fail(Failure::Unexpected(Some(method_name(&other)))),
        }
        Step::Continue
    }

    fn on_open<'a>(
        &mut self,
        session: &mut Session,
        body: Option<Incoming<'a>>,
        received: &mut Option<Received<'a>>,
    ) -> Step {
        let Some(Incoming { envelope, .. }) = body else {
            // The ACS has no more requests. The session ends unless the CPE still has
            // requests it may send.
            session.hold = false;
            if !session.requests_stopped && !self.queue.is_empty() {
                self.next_step(session);
                return Step::Continue;
            }
            return Step::End;
        };
        let Envelope { header, body } = envelope;
        if !body.is_request() {
            return Step::Fail(Failure::Unexpected(Some(method_name(&body))));
        }
        session.hold = header.hold_requests == Some(true);
        let method = method_name(&body);
        if body.side() == Some(Side::Acs) {
            let fault = Fault::new(FaultCode::METHOD_NOT_SUPPORTED);
            self.sent = Some(answering(
                header.id.map(|s| s.into_owned()),
                Body::Fault(fault),
            ));
            self.transmit = Some(Out::Sent);
            self.events.push_back(CpeEvent::AcsRequestAnswered {
                method,
                fault: Some(FaultCode::METHOD_NOT_SUPPORTED),
            });
            return Step::Continue;
        }
        self.answers = self.answers.wrapping_add(1);
        session.phase = Phase::Answering {
            seq: self.answers,
            id: header.id.map(|s| s.into_owned()),
            key: ParameterKey::carried_by(&body).map(str::to_owned),
            method,
        };
        session.deadline = None;
        *received = Some(Received::AcsRequest {
            answer: Answer {
                session: session.number,
                seq: self.answers,
            },
            request: body,
        });
        Step::Continue
    }

    /// After the InformResponse or the answer to a CPE request: the next request, or the
    /// empty POST.
    fn next_step(&mut self, session: &mut Session) {
        let send_request = !(session.hold || session.requests_stopped || self.queue.is_empty());
        if send_request {
            let id = self.next_id(session);
            if let Some(q) = self.queue.front_mut() {
                q.envelope.header.id = Some(id.into());
            }
            self.transmit = Some(Out::QueueFront);
            session.phase = Phase::Request { attempts: 0 };
        } else {
            self.transmit = Some(Out::Empty);
            session.phase = Phase::Open;
        }
    }

    fn succeed(&mut self, now: Instant) {
        let Some(session) = self.session.take() else {
            return;
        };
        self.transmit = None;
        self.sent = None;
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
        self.sent = None;
        // Undelivered events are kept, except those not retried after a failure
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
        // An event that arrived during the failed session is "new": no wait.
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
