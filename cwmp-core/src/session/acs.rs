//! The ACS side: one engine per CPE session.
//!
//! See the [module docs](super) for the driving loop. In short: for every HTTP request of the
//! session the application calls [`AcsSession::handle_request`] (`None` for an empty POST),
//! which hands the CPE's message back as a [`Received`] (moved, not copied); the application
//! decides what comes next ([`enqueue`](AcsSession::enqueue) a request, or
//! [`finish`](AcsSession::finish)); then it sends the [`Reply`] from
//! [`AcsSession::poll_reply`] and drains [`AcsSession::poll_event`].
//! [`AcsSession::poll_timeout`] and [`AcsSession::handle_timeout`] bound the waits.
//!
//! The session runs as TR-069 §3.7.1 describes: the Inform first (answered with
//! InformResponse, MaxEnvelopes 1, and UseCWMPVersion when the CPE sent
//! SupportedCWMPVersions), then the CPE's requests until its empty POST, then the ACS's
//! requests one at a time, and finally `204 No Content`.
//!
//! # The application decides, the engine waits
//!
//! After the CPE's empty POST and after every response, the engine sends the next request the
//! application has enqueued. When nothing is queued it **waits**: [`poll_reply`] returns
//! `None`, an [`AcsEvent::Idle`] is emitted, and the application either enqueues a request
//! chosen from what it has just seen (the names a GetParameterNames returned, the instance an
//! AddObject created) or calls [`finish`](AcsSession::finish). An application that wants the
//! session to end as soon as its queue is empty opts into
//! [`AcsConfig::finish_when_idle`].
//!
//! While the engine waits for the application it answers before the CPE gives up: when the
//! CPE announced a `SessionTimeout` (CWMP 1.3+), a decision not taken within that time (or
//! [`AcsConfig::decision_timeout`], whichever is shorter) ends the session with
//! `204 No Content`.
//!
//! # Nothing in flight is lost
//!
//! When the session ends before a request was answered (timeout, closed connection, a CPE
//! that went away) the engine hands the request back in [`AcsEvent::RequestAbandoned`], with
//! whether it had been sent, so the application can queue it again or record a failure.
//!
//! # HTTP duties left to the application
//!
//! - Finding the session of a POST (a cookie set on the first reply, or the connection).
//! - Authenticating the CPE (cwmp-auth) before anything reaches the engine.
//! - Closing: after [`Reply::NoContent`] the CPE closes the connection; if it POSTs again on
//!   the same session (requests it held back while HoldRequests was set), hand the POST in:
//!   the session reopens for them. [`AcsSession::handle_close`] reports a connection that
//!   closed before the session ended.
//!
//! [`poll_reply`]: AcsSession::poll_reply

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::error::Error;
use super::{CONTENT_TYPE, Incoming, RequestHandle, answering, method_name};
use crate::envelope::{Body, Envelope, METHODS, Side};
use crate::fault::{Fault, FaultCode, SoapFault};
use crate::header::Header;
use crate::rpc::{
    AutonomousDuStateChangeCompleteResponse, AutonomousTransferCompleteResponse, DeviceId,
    DuStateChangeCompleteResponse, GetRpcMethodsResponse, Inform, InformResponse, KickedResponse,
    RequestDownloadResponse, TransferCompleteResponse,
};
use crate::version::CwmpVersion;

/// Settings of an [`AcsSession`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AcsConfig {
    /// The versions the ACS accepts in version negotiation (default: all).
    pub supported_versions: Vec<CwmpVersion>,
    /// The methods listed in GetRPCMethodsResponse (default: every method an ACS implements).
    pub methods: Vec<Cow<'static, str>>,
    /// Prefix of the cwmp:ID of the ACS's requests; a per-session counter follows.
    pub id_prefix: String,
    /// How long to wait for the CPE's next HTTP request before the session fails
    /// (default 30 s).
    pub session_timeout: Duration,
    /// How long the engine waits for the application's decision (a request to send, or the
    /// end) before it ends the session itself with `204 No Content` (default 30 s). A shorter
    /// `SessionTimeout` announced by the CPE wins.
    pub decision_timeout: Duration,
    /// When `true`, the reply to the Inform and to each CPE request waits for the
    /// application's decision ([`AcsSession::accept`], [`AcsSession::respond_with`],
    /// [`AcsSession::reject`]); when `false` (the default) the engine answers at once.
    pub confirm: bool,
    /// When `true`, the session ends (`204 No Content`) as soon as the CPE is ready for a
    /// request and none is queued, without waiting for [`AcsSession::finish`]. Default
    /// `false`: the application chooses each next request from the last response.
    pub finish_when_idle: bool,
}

impl Default for AcsConfig {
    fn default() -> Self {
        AcsConfig {
            supported_versions: CwmpVersion::ALL.to_vec(),
            methods: METHODS
                .iter()
                .filter(|(_, _, side, response)| {
                    !response && matches!(side, Side::Acs | Side::Both)
                })
                .map(|(name, ..)| Cow::Borrowed(*name))
                .collect(),
            id_prefix: "acs-".to_owned(),
            session_timeout: Duration::from_secs(30),
            decision_timeout: Duration::from_secs(30),
            confirm: false,
            finish_when_idle: false,
        }
    }
}

impl AcsConfig {
    /// The same settings with another list of accepted versions.
    pub fn with_versions(mut self, versions: impl IntoIterator<Item = CwmpVersion>) -> Self {
        self.supported_versions = versions.into_iter().collect();
        self
    }

    /// The same settings with another ID prefix.
    pub fn with_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.id_prefix = prefix.into();
        self
    }

    /// The same settings with [`finish_when_idle`](Self::finish_when_idle) set.
    pub fn with_finish_when_idle(mut self, finish: bool) -> Self {
        self.finish_when_idle = finish;
        self
    }

    /// The same settings with [`confirm`](Self::confirm) set.
    pub fn with_confirm(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }

    /// The same settings with another wait for the CPE's POSTs.
    pub fn with_session_timeout(mut self, timeout: Duration) -> Self {
        self.session_timeout = timeout;
        self
    }
}

/// The HTTP response the application sends for a CPE's POST. It borrows the envelope from
/// the engine: encode it, then drop the reply before the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<'r> {
    /// `200 OK`, `Content-Type: text/xml; charset="utf-8"`, with this envelope, encoded in
    /// `version`.
    Envelope {
        /// The message.
        envelope: &'r Envelope<'static>,
        /// The CWMP version to encode it in: the one negotiated with UseCWMPVersion, else the
        /// one the CPE's Inform was written in.
        version: CwmpVersion,
    },
    /// `204 No Content`, empty body: the ACS has nothing more (or aborts a session that did
    /// not start with an Inform).
    NoContent,
}

impl<'r> Reply<'r> {
    /// The HTTP status: 200 or 204.
    pub fn status(&self) -> u16 {
        match self {
            Reply::Envelope { .. } => 200,
            Reply::NoContent => 204,
        }
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Reply::Envelope { .. } => Some(CONTENT_TYPE),
            Reply::NoContent => None,
        }
    }

    /// The envelope, if any.
    pub fn envelope(&self) -> Option<&'r Envelope<'static>> {
        match self {
            Reply::Envelope { envelope, .. } => Some(envelope),
            Reply::NoContent => None,
        }
    }

    /// The version to encode the envelope in, if any.
    pub fn version(&self) -> Option<CwmpVersion> {
        match self {
            Reply::Envelope { version, .. } => Some(*version),
            Reply::NoContent => None,
        }
    }
}

/// Why an ACS session failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AcsFailure {
    /// The CPE sent nothing within [`AcsConfig::session_timeout`].
    Timeout,
    /// The application took no decision within [`AcsConfig::decision_timeout`] (or the CPE's
    /// SessionTimeout); the session was ended with `204 No Content`.
    DecisionTimeout,
    /// The connection closed before the session ended.
    Closed,
    /// The session began with an empty POST (answered 204).
    EmptyPostFirst,
    /// The session began with another message than an Inform (answered with fault 8003);
    /// the method's wire name.
    NotInformFirst(&'static str),
    /// No version in common (answered with fault 8006).
    VersionIncompatible {
        /// The CPE.
        device: DeviceId<'static>,
        /// The versions of its SupportedCWMPVersions this crate knows.
        cpe_versions: Vec<CwmpVersion>,
    },
    /// The application rejected the Inform with this fault.
    InformRejected(FaultCode),
    /// The CPE sent a message that does not fit the session's state: its wire name, or
    /// `None` for an empty POST.
    Unexpected(Option<&'static str>),
    /// The CPE answered with another cwmp:ID than the outstanding request's.
    WrongId,
}

/// A message from the CPE, handed to the application by [`AcsSession::handle_request`]. It
/// borrows from the HTTP body the envelope was decoded from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Received<'a> {
    /// The Inform. With [`AcsConfig::confirm`] the reply waits for a decision.
    Inform {
        /// Its header (ID, SupportedCWMPVersions, SessionTimeout).
        header: Header<'a>,
        /// The Inform.
        inform: Inform<'a>,
        /// The version of the session: the one negotiated with UseCWMPVersion when the CPE
        /// sent SupportedCWMPVersions, else the one its Inform was written in.
        version: CwmpVersion,
    },
    /// A request of the CPE (TransferComplete, GetRPCMethods, a vendor method …). Without
    /// [`AcsConfig::confirm`] the engine has already answered it (unknown methods with 8000);
    /// with it, the reply waits for a decision.
    CpeRequest {
        /// Its cwmp:ID.
        id: Option<Cow<'a, str>>,
        /// The request.
        request: Body<'a>,
    },
    /// The CPE answered a request of the ACS.
    Response {
        /// The request's handle.
        handle: RequestHandle,
        /// The request, handed back.
        request: Body<'static>,
        /// The response.
        response: Body<'a>,
    },
    /// The CPE answered a request of the ACS with a fault.
    Fault {
        /// The request's handle.
        handle: RequestHandle,
        /// The request, handed back.
        request: Body<'static>,
        /// The fault (with SetParameterValuesFault entries for a SetParameterValues).
        fault: Fault<'a>,
    },
    /// The CPE answered a request of the ACS with a SOAP Fault that carries no CWMP fault
    /// (no `detail/cwmp:Fault`, so no CWMP fault code): the request failed, for a reason
    /// only the fault's text gives.
    SoapFault {
        /// The request's handle.
        handle: RequestHandle,
        /// The request, handed back.
        request: Body<'static>,
        /// The SOAP fault as it came.
        fault: SoapFault<'a>,
    },
    /// The CPE's empty POST: it has no more requests; the ACS's turn begins.
    EmptyPost,
}

/// What the engine tells the application besides the messages it hands over.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AcsEvent {
    /// The CPE waits for the ACS's next request and none is queued: [`AcsSession::enqueue`]
    /// one or [`AcsSession::finish`].
    Idle,
    /// A request will not be answered in this session: the session ended first.
    RequestAbandoned {
        /// The request's handle.
        handle: RequestHandle,
        /// The request, handed back.
        request: Body<'static>,
        /// Whether it had been sent to the CPE (its outcome on the device is unknown).
        sent: bool,
    },
    /// The session ended: with `204 No Content` (success), or failed.
    SessionEnded {
        /// Whether it ended normally.
        success: bool,
        /// Why it failed.
        failure: Option<AcsFailure>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    AwaitInform,
    CpeRequests,
    AcsRequests,
    Ended { success: bool },
}

/// A CPE message waiting for the application's decision.
#[derive(Debug)]
struct Decision {
    id: Option<String>,
    inform: bool,
    default: Option<Body<'static>>,
}

/// What the next reply is. One per HTTP request, moved straight to the encoder: boxing the
/// envelope would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Out {
    NoContent,
    Own(Envelope<'static>),
    Outstanding,
}

#[derive(Debug)]
struct Outstanding {
    handle: RequestHandle,
    envelope: Envelope<'static>,
}

/// The ACS-side engine of one CPE session.
///
/// ```
/// use std::time::Instant;
/// use cwmp_core::session::acs::{AcsConfig, AcsSession, Reply};
/// let now = Instant::now();
/// let mut acs = AcsSession::new(AcsConfig::default(), now);
/// acs.handle_request(None, now).unwrap(); // an empty POST first: aborted
/// assert_eq!(acs.poll_reply(), Some(Reply::NoContent));
/// assert!(acs.is_ended());
/// ```
#[derive(Debug)]
pub struct AcsSession {
    config: AcsConfig,
    state: State,
    queue: VecDeque<(RequestHandle, Body<'static>)>,
    outstanding: Option<Outstanding>,
    decision: Option<Decision>,
    idle: bool,
    finishing: bool,
    reply: Option<Out>,
    sent_reply: Option<Envelope<'static>>,
    events: VecDeque<AcsEvent>,
    deadline: Option<Instant>,
    decide_by: Option<Instant>,
    next_handle: u64,
    hold: bool,
    version: CwmpVersion,
    negotiated: Option<CwmpVersion>,
    cpe_session_timeout: Option<Duration>,
}

impl AcsSession {
    /// A session whose first POST is expected before `now + session_timeout`.
    pub fn new(config: AcsConfig, now: Instant) -> Self {
        let deadline = now.checked_add(config.session_timeout);
        AcsSession {
            config,
            state: State::AwaitInform,
            queue: VecDeque::new(),
            outstanding: None,
            decision: None,
            idle: false,
            finishing: false,
            reply: None,
            sent_reply: None,
            events: VecDeque::new(),
            deadline,
            decide_by: None,
            next_handle: 1,
            hold: false,
            version: CwmpVersion::V1_0,
            negotiated: None,
            cpe_session_timeout: None,
        }
    }

    /// The settings.
    pub fn config(&self) -> &AcsConfig {
        &self.config
    }

    /// The version negotiated with UseCWMPVersion, if the CPE asked for negotiation.
    pub fn negotiated_version(&self) -> Option<CwmpVersion> {
        self.negotiated
    }

    /// The version the session's envelopes are encoded in (known once the Inform arrived).
    pub fn version(&self) -> CwmpVersion {
        self.version
    }

    /// The SessionTimeout the CPE announced in its Inform (CWMP 1.3+), if any.
    pub fn cpe_session_timeout(&self) -> Option<Duration> {
        self.cpe_session_timeout
    }

    /// Whether the session has ended.
    pub fn is_ended(&self) -> bool {
        matches!(self.state, State::Ended { .. })
    }

    /// Whether the CPE is waiting for the application's next request or
    /// [`finish`](Self::finish).
    pub fn is_idle(&self) -> bool {
        self.idle
    }

    /// How many enqueued requests have not been sent yet.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// The cwmp:ID a request carries (or will carry) on the wire.
    pub fn request_id(&self, handle: RequestHandle) -> String {
        format!("{}{}", self.config.id_prefix, handle.0)
    }

    /// Sets or clears HoldRequests on the following envelope replies: while set, the CPE
    /// sends no requests of its own, only responses or an empty POST.
    pub fn set_hold_requests(&mut self, hold: bool) {
        self.hold = hold;
    }

    /// Queues a request for the CPE. It is sent once the CPE's requests are done, after the
    /// requests queued before it; when the engine is [idle](Self::is_idle) it is sent at once
    /// (drain [`poll_reply`](Self::poll_reply)). Unknown (vendor) methods may be queued.
    ///
    /// Fails after the session ended, and for bodies that are not requests an ACS sends.
    pub fn enqueue(
        &mut self,
        request: Body<'static>,
        now: Instant,
    ) -> Result<RequestHandle, Error> {
        if self.is_ended() {
            return Err(Error::SessionEnded);
        }
        if !request.is_request() || request.side() == Some(Side::Acs) {
            return Err(Error::NotAnAcsRequest(method_name(&request)));
        }
        if self.finishing {
            return Err(Error::Finishing);
        }
        let handle = RequestHandle(self.next_handle);
        self.next_handle = self.next_handle.saturating_add(1);
        self.queue.push_back((handle, request));
        if self.idle {
            self.send_next(now);
        }
        Ok(handle)
    }

    /// Removes a request that has not been sent yet and hands it back; `None` when it is not
    /// queued (already sent, answered, or unknown).
    pub fn cancel(&mut self, handle: RequestHandle) -> Option<Body<'static>> {
        let at = self.queue.iter().position(|(h, _)| *h == handle)?;
        self.queue.remove(at).map(|(_, body)| body)
    }

    /// The application has nothing more for this session: the requests already queued are
    /// still sent, then the session ends with `204 No Content`. When the engine is
    /// [idle](Self::is_idle) the reply is the 204 itself.
    pub fn finish(&mut self, now: Instant) -> Result<(), Error> {
        if self.is_ended() {
            return Err(Error::SessionEnded);
        }
        self.finishing = true;
        if self.idle {
            self.send_next(now);
        }
        Ok(())
    }

    /// The reply to the last POST, once it is decided; `None` while the engine waits for the
    /// application. Encode the envelope before the next call on the engine.
    pub fn poll_reply(&mut self) -> Option<Reply<'_>> {
        let version = self.version;
        match self.reply.take()? {
            Out::NoContent => Some(Reply::NoContent),
            Out::Own(envelope) => {
                // UseCWMPVersion exists only from 1.4 on (in the same cwmp-1-2 namespace as
                // 1.2 and 1.3): the InformResponse that carries it is encoded as 1.4.
                let version = if envelope.header.use_cwmp_version.is_some() {
                    version.max(CwmpVersion::V1_4)
                } else {
                    version
                };
                // Kept until the next reply so that the returned borrow lives in the engine.
                self.sent_reply = Some(envelope);
                self.sent_reply
                    .as_ref()
                    .map(|envelope| Reply::Envelope { envelope, version })
            }
            Out::Outstanding => self.outstanding.as_ref().map(|o| Reply::Envelope {
                envelope: &o.envelope,
                version,
            }),
        }
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<AcsEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due: the deadline for the CPE's next
    /// POST, or for the application's decision; `None` after the end.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match (self.deadline, self.decide_by) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Time has passed: a CPE that has not posted by the deadline fails the session; a
    /// decision overdue ends it with `204 No Content`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.decide_by.is_some_and(|d| d <= now) {
            self.decide_by = None;
            self.decision = None;
            self.idle = false;
            self.reply = Some(Out::NoContent);
            self.end(Some(AcsFailure::DecisionTimeout));
        } else if self.deadline.is_some_and(|d| d <= now) {
            self.end(Some(AcsFailure::Timeout));
        }
    }

    /// The connection closed. Before the end, the session fails.
    pub fn handle_close(&mut self) {
        if !self.is_ended() {
            self.reply = None;
            self.end(Some(AcsFailure::Closed));
        }
    }

    /// One HTTP POST from the CPE: its decoded envelope, or `None` for an empty POST. The
    /// message comes back to the application as a [`Received`], moved rather than copied;
    /// `Ok(None)` when the engine dealt with it alone (a fault it answered, an aborted
    /// session).
    pub fn handle_request<'a>(
        &mut self,
        post: Option<Incoming<'a>>,
        now: Instant,
    ) -> Result<Option<Received<'a>>, Error> {
        if self.reply.is_some() || self.decision.is_some() || self.idle {
            return Err(Error::ReplyPending);
        }
        self.deadline = None;
        self.sent_reply = None;
        Ok(match self.state {
            State::AwaitInform => self.on_first(post, now),
            State::CpeRequests => match post {
                None => {
                    self.state = State::AcsRequests;
                    self.send_next(now);
                    Some(Received::EmptyPost)
                }
                Some(msg) => self.on_cpe_message(msg, now),
            },
            State::AcsRequests => self.on_cpe_answer(post, now),
            State::Ended { success: true } => match post {
                Some(msg) if msg.envelope.body.is_request() => {
                    self.state = State::CpeRequests;
                    self.on_cpe_message(msg, now)
                }
                _ => return Err(Error::SessionEnded),
            },
            State::Ended { success: false } => return Err(Error::SessionEnded),
        })
    }

    fn on_first<'a>(&mut self, post: Option<Incoming<'a>>, now: Instant) -> Option<Received<'a>> {
        let Some(Incoming { envelope, version }) = post else {
            self.reply = Some(Out::NoContent);
            self.end(Some(AcsFailure::EmptyPostFirst));
            return None;
        };
        self.version = version;
        let Envelope { header, body } = envelope;
        let Body::Inform(inform) = body else {
            let name = method_name(&body);
            self.reply_fault(header.id.as_deref(), FaultCode::ACS_INVALID_ARGUMENTS);
            self.end(Some(AcsFailure::NotInformFirst(name)));
            return None;
        };
        if header.supported_cwmp_versions.is_some() {
            let offered = header.supported_versions();
            match CwmpVersion::negotiate(
                offered.iter().copied(),
                self.config.supported_versions.iter().copied(),
            ) {
                Ok(v) => {
                    self.negotiated = Some(v);
                    self.version = v;
                }
                Err(code) => {
                    let failure = AcsFailure::VersionIncompatible {
                        device: inform.device_id.into_owned(),
                        cpe_versions: offered,
                    };
                    self.reply_fault(header.id.as_deref(), code);
                    self.end(Some(failure));
                    return None;
                }
            }
        }
        self.cpe_session_timeout = header
            .session_timeout
            .map(|s| Duration::from_secs(u64::from(s)));
        let id = header.id.as_deref().map(str::to_owned);
        if self.config.confirm {
            self.decision = Some(Decision {
                id,
                inform: true,
                default: None,
            });
            self.arm_decision(now);
        } else {
            self.answer_inform(id, now);
        }
        Some(Received::Inform {
            header,
            inform,
            version: self.version,
        })
    }

    fn answer_inform(&mut self, id: Option<String>, now: Instant) {
        let mut reply = answering(id, InformResponse { max_envelopes: 1 }.into());
        reply.header.use_cwmp_version = self.negotiated;
        self.send(reply, now);
        self.state = State::CpeRequests;
    }

    fn on_cpe_message<'a>(&mut self, msg: Incoming<'a>, now: Instant) -> Option<Received<'a>> {
        let Envelope { header, body } = msg.envelope;
        if !body.is_request() {
            self.reply = Some(Out::NoContent);
            self.end(Some(AcsFailure::Unexpected(Some(method_name(&body)))));
            return None;
        }
        if matches!(body, Body::Inform(_)) {
            // A second Inform in one session.
            self.reply_fault(header.id.as_deref(), FaultCode::ACS_INVALID_ARGUMENTS);
            self.deadline = now.checked_add(self.config.session_timeout);
            return None;
        }
        let default = self.default_response(&body);
        if self.config.confirm {
            self.decision = Some(Decision {
                id: header.id.as_deref().map(str::to_owned),
                inform: false,
                default,
            });
            self.arm_decision(now);
        } else {
            let body = default
                .unwrap_or_else(|| Body::Fault(Fault::new(FaultCode::ACS_METHOD_NOT_SUPPORTED)));
            self.answer(header.id.as_deref().map(str::to_owned), body, now);
        }
        Some(Received::CpeRequest {
            id: header.id,
            request: body,
        })
    }

    /// The response the engine gives a CPE request on its own; `None` for methods an ACS does
    /// not implement.
    fn default_response(&self, request: &Body<'_>) -> Option<Body<'static>> {
        Some(match request {
            Body::TransferComplete(_) => TransferCompleteResponse::default().into(),
            Body::AutonomousTransferComplete(_) => {
                AutonomousTransferCompleteResponse::default().into()
            }
            Body::DuStateChangeComplete(_) => DuStateChangeCompleteResponse::default().into(),
            Body::AutonomousDuStateChangeComplete(_) => {
                AutonomousDuStateChangeCompleteResponse::default().into()
            }
            Body::RequestDownload(_) => RequestDownloadResponse::default().into(),
            Body::Kicked(k) => KickedResponse {
                next_url: Cow::Owned(k.next.to_string()),
            }
            .into(),
            Body::GetRpcMethods(_) => GetRpcMethodsResponse {
                methods: self.config.methods.clone(),
            }
            .into(),
            _ => return None,
        })
    }

    fn on_cpe_answer<'a>(
        &mut self,
        post: Option<Incoming<'a>>,
        now: Instant,
    ) -> Option<Received<'a>> {
        let Some(sent) = self.outstanding.take() else {
            self.reply = Some(Out::NoContent);
            self.end(Some(AcsFailure::Unexpected(
                post.as_ref().map(|m| method_name(&m.envelope.body)),
            )));
            return None;
        };
        let Some(msg) = post else {
            self.outstanding = Some(sent);
            self.reply = Some(Out::NoContent);
            self.end(Some(AcsFailure::Unexpected(None)));
            return None;
        };
        let Envelope { header, body } = msg.envelope;
        let id_matches = header
            .id
            .as_deref()
            .is_none_or(|got| Some(got) == sent.envelope.header.id.as_deref());
        if body.is_request() || !id_matches {
            let failure = if id_matches {
                AcsFailure::Unexpected(Some(method_name(&body)))
            } else {
                AcsFailure::WrongId
            };
            self.outstanding = Some(sent);
            self.reply = Some(Out::NoContent);
            self.end(Some(failure));
            return None;
        }
        let handle = sent.handle;
        let request = sent.envelope.body;
        let received = match body {
            Body::Fault(fault) => Received::Fault {
                handle,
                request,
                fault,
            },
            Body::SoapFault(fault) => Received::SoapFault {
                handle,
                request,
                fault,
            },
            response => Received::Response {
                handle,
                request,
                response,
            },
        };
        self.send_next(now);
        Some(received)
    }

    /// The ACS's turn: the next queued request, the end, or a wait for the application.
    fn send_next(&mut self, now: Instant) {
        self.idle = false;
        self.decide_by = None;
        match self.queue.pop_front() {
            Some((handle, body)) => {
                let mut envelope = Envelope::request(self.request_id(handle), body);
                if self.hold {
                    envelope.header.hold_requests = Some(true);
                }
                self.outstanding = Some(Outstanding { handle, envelope });
                self.reply = Some(Out::Outstanding);
                self.deadline = now.checked_add(self.config.session_timeout);
            }
            None if self.finishing || self.config.finish_when_idle => {
                self.reply = Some(Out::NoContent);
                self.end(None);
            }
            None => {
                self.idle = true;
                self.arm_decision(now);
                self.events.push_back(AcsEvent::Idle);
            }
        }
    }

    fn arm_decision(&mut self, now: Instant) {
        let wait = match self.cpe_session_timeout {
            Some(cpe) => cpe.min(self.config.decision_timeout),
            None => self.config.decision_timeout,
        };
        self.decide_by = now.checked_add(wait);
    }

    fn send(&mut self, mut envelope: Envelope<'static>, now: Instant) {
        if self.hold {
            envelope.header.hold_requests = Some(true);
        }
        self.reply = Some(Out::Own(envelope));
        self.deadline = now.checked_add(self.config.session_timeout);
    }

    fn reply_fault(&mut self, id: Option<&str>, code: FaultCode) {
        self.reply = Some(Out::Own(answering(
            id.map(str::to_owned),
            Body::Fault(Fault::new(code)),
        )));
    }

    fn end(&mut self, failure: Option<AcsFailure>) {
        self.deadline = None;
        self.decide_by = None;
        self.decision = None;
        self.idle = false;
        self.finishing = false;
        if let Some(o) = self.outstanding.take() {
            self.events.push_back(AcsEvent::RequestAbandoned {
                handle: o.handle,
                request: o.envelope.body,
                sent: true,
            });
        }
        while let Some((handle, request)) = self.queue.pop_front() {
            self.events.push_back(AcsEvent::RequestAbandoned {
                handle,
                request,
                sent: false,
            });
        }
        self.state = State::Ended {
            success: failure.is_none(),
        };
        self.events.push_back(AcsEvent::SessionEnded {
            success: failure.is_none(),
            failure,
        });
    }

    /// Accepts the Inform or CPE request awaiting a decision ([`AcsConfig::confirm`]) with the
    /// engine's own response (8000 for a method an ACS does not implement).
    pub fn accept(&mut self, now: Instant) -> Result<(), Error> {
        let decision = self.decision.take().ok_or(Error::NoDecisionPending)?;
        self.decide_by = None;
        if decision.inform {
            self.answer_inform(decision.id, now);
        } else {
            let body = decision
                .default
                .unwrap_or_else(|| Body::Fault(Fault::new(FaultCode::ACS_METHOD_NOT_SUPPORTED)));
            self.answer(decision.id, body, now);
        }
        Ok(())
    }

    /// Answers the CPE request awaiting a decision with this body (e.g. a KickedResponse with
    /// another NextURL, or the response to a vendor method). For an Inform this is the same as
    /// [`accept`](Self::accept).
    pub fn respond_with(&mut self, body: Body<'static>, now: Instant) -> Result<(), Error> {
        let decision = self.decision.take().ok_or(Error::NoDecisionPending)?;
        self.decide_by = None;
        if decision.inform {
            self.answer_inform(decision.id, now);
        } else {
            self.answer(decision.id, body, now);
        }
        Ok(())
    }

    /// Refuses the Inform or CPE request awaiting a decision with this fault (echoing its ID).
    /// A refused Inform ends the session as failed.
    pub fn reject(&mut self, fault: Fault<'static>, now: Instant) -> Result<(), Error> {
        let decision = self.decision.take().ok_or(Error::NoDecisionPending)?;
        self.decide_by = None;
        let code = fault.code;
        self.answer(decision.id, Body::Fault(fault), now);
        if decision.inform {
            self.end(Some(AcsFailure::InformRejected(code)));
        }
        Ok(())
    }

    fn answer(&mut self, id: Option<String>, body: Body<'static>, now: Instant) {
        self.send(answering(id, body), now);
    }
}
