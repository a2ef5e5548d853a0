//! The ACS side: one engine per CPE session.
//!
//! See the [module docs](super) for the driving loop. In short: for every HTTP request of the
//! session the application calls [`AcsSession::handle_request`] (`None` for an empty POST),
//! then sends the [`Reply`] from [`AcsSession::poll_reply`] and drains
//! [`AcsSession::poll_event`]; [`AcsSession::poll_timeout`] and
//! [`AcsSession::handle_timeout`] bound the wait for the CPE.
//!
//! The session runs SES-01: the Inform first (answered with InformResponse, MaxEnvelopes 1,
//! and UseCWMPVersion when the CPE sent SupportedCWMPVersions), then the CPE's requests, then
//! after the CPE's empty POST the requests the application [enqueued](AcsSession::enqueue),
//! one at a time, and finally `204 No Content` when the queue is empty.
//!
//! # HTTP duties left to the application
//!
//! - Finding the session of a POST (a cookie set on the first reply, or the connection).
//! - Authenticating the CPE (cwmp-auth) before anything reaches the engine.
//! - Closing: after [`Reply::NoContent`] the CPE closes the connection; if it POSTs again on
//!   the same session (requests it held back while HoldRequests was set), hand the POST in:
//!   the session reopens for them. [`AcsSession::handle_close`] reports a connection that
//!   closed before the session ended.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::CONTENT_TYPE;
use super::error::Error;
use crate::envelope::{Body, Envelope, METHODS, Side};
use crate::fault::{Fault, FaultCode};
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
    /// When `true`, the reply to the Inform and to each CPE request waits for the
    /// application's decision ([`AcsSession::accept`], [`AcsSession::respond_with`],
    /// [`AcsSession::reject`]); when `false` (the default) the engine answers at once.
    pub confirm: bool,
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
            confirm: false,
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
}

/// The HTTP response the application sends for a CPE's POST.
// One reply per HTTP request, moved straight to the encoder: boxing would only add an
// allocation and a deref to every match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `200 OK`, `Content-Type: text/xml; charset="utf-8"`, with this envelope.
    Envelope(Envelope<'static>),
    /// `204 No Content`, empty body: the ACS has nothing more (or aborts a session that did
    /// not start with an Inform).
    NoContent,
}

impl Reply {
    /// The HTTP status: 200 or 204.
    pub fn status(&self) -> u16 {
        match self {
            Reply::Envelope(_) => 200,
            Reply::NoContent => 204,
        }
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Reply::Envelope(_) => Some(CONTENT_TYPE),
            Reply::NoContent => None,
        }
    }

    /// The envelope, if any.
    pub fn envelope(&self) -> Option<&Envelope<'static>> {
        match self {
            Reply::Envelope(e) => Some(e),
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
    /// The connection closed before the session ended.
    Closed,
    /// The session began with an empty POST (answered 204).
    EmptyPostFirst,
    /// The session began with another message than an Inform (answered with fault 8003).
    NotInformFirst(String),
    /// No version in common (answered with fault 8006).
    VersionIncompatible {
        /// The CPE.
        device: DeviceId<'static>,
        /// Its SupportedCWMPVersions as sent.
        cpe_versions: String,
    },
    /// The application rejected the Inform with this fault.
    InformRejected(FaultCode),
    /// The CPE sent a message that does not fit the session's state (its name, or `empty`).
    Unexpected(String),
}

/// What the engine tells the application.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AcsEvent {
    /// The Inform arrived. With [`AcsConfig::confirm`] the reply waits for a decision.
    InformReceived {
        /// Its header (ID, SupportedCWMPVersions, SessionTimeout).
        header: Header<'static>,
        /// The Inform.
        inform: Inform<'static>,
        /// The negotiated version (sent as UseCWMPVersion), or `None` when the CPE sent no
        /// SupportedCWMPVersions (the namespace decides; cwmp-soap reports it).
        version: Option<CwmpVersion>,
    },
    /// The CPE sent a request (TransferComplete, GetRPCMethods …). With
    /// [`AcsConfig::confirm`] the reply waits for a decision.
    CpeRequest {
        /// Its cwmp:ID.
        id: Option<String>,
        /// The request.
        request: Body<'static>,
    },
    /// The CPE answered an enqueued request.
    Response {
        /// The ID the request was sent with.
        id: String,
        /// The request.
        request: Body<'static>,
        /// The response.
        response: Body<'static>,
    },
    /// The CPE answered an enqueued request with a fault.
    Fault {
        /// The ID the request was sent with.
        id: String,
        /// The request.
        request: Body<'static>,
        /// The fault (with SetParameterValuesFault entries for a SetParameterValues).
        fault: Fault<'static>,
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
    queue: VecDeque<(String, Body<'static>)>,
    outstanding: Option<(String, Body<'static>)>,
    decision: Option<Envelope<'static>>,
    reply: Option<Reply>,
    events: VecDeque<AcsEvent>,
    deadline: Option<Instant>,
    next_id: u64,
    hold: bool,
    version: Option<CwmpVersion>,
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
            reply: None,
            events: VecDeque::new(),
            deadline,
            next_id: 1,
            hold: false,
            version: None,
        }
    }

    /// The settings.
    pub fn config(&self) -> &AcsConfig {
        &self.config
    }

    /// The version negotiated with UseCWMPVersion, if the CPE asked for negotiation.
    pub fn version(&self) -> Option<CwmpVersion> {
        self.version
    }

    /// Whether the session has ended.
    pub fn is_ended(&self) -> bool {
        matches!(self.state, State::Ended { .. })
    }

    /// How many enqueued requests have not been sent yet.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Sets or clears HoldRequests on the following envelope replies (SES-04): while set, the
    /// CPE sends no requests of its own, only responses or an empty POST.
    pub fn set_hold_requests(&mut self, hold: bool) {
        self.hold = hold;
    }

    /// Queues a request for the CPE (sent after the CPE's empty POST, one at a time). Returns
    /// the cwmp:ID it will carry. Unknown (vendor) methods may be queued.
    pub fn enqueue(&mut self, request: Body<'static>) -> Result<String, Error> {
        if !request.is_request() || request.side() == Some(Side::Acs) {
            return Err(Error::NotAnAcsRequest(request.name().to_owned()));
        }
        let id = format!("{}{}", self.config.id_prefix, self.next_id);
        self.next_id = self.next_id.saturating_add(1);
        self.queue.push_back((id.clone(), request));
        Ok(id)
    }

    /// The reply to the last request, once it is decided.
    pub fn poll_reply(&mut self) -> Option<Reply> {
        self.reply.take()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<AcsEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due: the deadline for the CPE's next
    /// POST, `None` while a reply is pending or after the end.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time has passed: a CPE that has not posted by the deadline fails the session.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_some_and(|d| d <= now) {
            self.end(Some(AcsFailure::Timeout));
        }
    }

    /// The connection closed. Before the end, the session fails.
    pub fn handle_close(&mut self) {
        if !self.is_ended() {
            self.end(Some(AcsFailure::Closed));
        }
    }

    /// One HTTP POST from the CPE: its envelope, or `None` for an empty POST.
    pub fn handle_request(
        &mut self,
        body: Option<Envelope<'static>>,
        now: Instant,
    ) -> Result<(), Error> {
        if self.reply.is_some() || self.decision.is_some() {
            return Err(Error::ReplyPending);
        }
        self.deadline = None;
        match self.state {
            State::AwaitInform => self.on_first(body, now),
            State::CpeRequests => match body {
                None => {
                    self.state = State::AcsRequests;
                    self.send_next(now);
                }
                Some(env) => self.on_cpe_message(env, now),
            },
            State::AcsRequests => self.on_cpe_answer(body, now),
            State::Ended { success: true } => match body {
                Some(env) if env.body.is_request() => {
                    self.state = State::CpeRequests;
                    self.on_cpe_message(env, now);
                }
                _ => return Err(Error::SessionEnded),
            },
            State::Ended { success: false } => return Err(Error::SessionEnded),
        }
        Ok(())
    }

    fn on_first(&mut self, body: Option<Envelope<'static>>, now: Instant) {
        let Some(env) = body else {
            self.reply = Some(Reply::NoContent);
            self.end(Some(AcsFailure::EmptyPostFirst));
            return;
        };
        let Body::Inform(inform) = &env.body else {
            let name = env.body.name().to_owned();
            self.reply_fault(&env, FaultCode::ACS_INVALID_ARGUMENTS);
            self.end(Some(AcsFailure::NotInformFirst(name)));
            return;
        };
        if let Some(list) = &env.header.supported_cwmp_versions {
            match CwmpVersion::negotiate(
                env.header.supported_versions(),
                self.config.supported_versions.iter().copied(),
            ) {
                Ok(v) => self.version = Some(v),
                Err(code) => {
                    let failure = AcsFailure::VersionIncompatible {
                        device: inform.device_id.clone().into_owned(),
                        cpe_versions: list.to_string(),
                    };
                    self.reply_fault(&env, code);
                    self.end(Some(failure));
                    return;
                }
            }
        }
        self.events.push_back(AcsEvent::InformReceived {
            header: env.header.clone(),
            inform: inform.clone(),
            version: self.version,
        });
        if self.config.confirm {
            self.decision = Some(env);
        } else {
            self.answer_inform(&env, now);
        }
    }

    fn answer_inform(&mut self, inform: &Envelope<'static>, now: Instant) {
        let mut reply = Envelope::response_to(inform, InformResponse { max_envelopes: 1 });
        reply.header.use_cwmp_version = self.version;
        self.send(reply, now);
        self.state = State::CpeRequests;
    }

    fn on_cpe_message(&mut self, env: Envelope<'static>, now: Instant) {
        if !env.body.is_request() {
            let name = env.body.name().to_owned();
            self.reply = Some(Reply::NoContent);
            self.end(Some(AcsFailure::Unexpected(name)));
            return;
        }
        if matches!(env.body, Body::Inform(_)) {
            // A second Inform in one session.
            self.reply_fault(&env, FaultCode::ACS_INVALID_ARGUMENTS);
            self.deadline = now.checked_add(self.config.session_timeout);
            return;
        }
        if self.default_response(&env.body).is_none() {
            let reply = env.method_not_supported(Side::Acs);
            self.send(reply, now);
            return;
        }
        self.events.push_back(AcsEvent::CpeRequest {
            id: env.header.id.as_deref().map(str::to_owned),
            request: env.body.clone(),
        });
        if self.config.confirm {
            self.decision = Some(env);
        } else if let Some(body) = self.default_response(&env.body) {
            self.send(Envelope::response_to(&env, body), now);
        }
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

    fn on_cpe_answer(&mut self, body: Option<Envelope<'static>>, now: Instant) {
        let Some((id, request)) = self.outstanding.take() else {
            self.reply = Some(Reply::NoContent);
            self.end(Some(AcsFailure::Unexpected("POST".to_owned())));
            return;
        };
        let Some(env) = body else {
            self.reply = Some(Reply::NoContent);
            self.end(Some(AcsFailure::Unexpected("empty".to_owned())));
            return;
        };
        let id_matches = env.header.id.as_deref().is_none_or(|got| got == id);
        if env.body.is_request() || !id_matches {
            let name = env.body.name().to_owned();
            self.reply = Some(Reply::NoContent);
            self.end(Some(AcsFailure::Unexpected(name)));
            return;
        }
        self.events.push_back(match env.body {
            Body::Fault(fault) => AcsEvent::Fault { id, request, fault },
            response => AcsEvent::Response {
                id,
                request,
                response,
            },
        });
        self.send_next(now);
    }

    fn send_next(&mut self, now: Instant) {
        match self.queue.pop_front() {
            Some((id, body)) => {
                self.outstanding = Some((id.clone(), body.clone()));
                self.send(Envelope::request(id, body), now);
            }
            None => {
                self.reply = Some(Reply::NoContent);
                self.end(None);
            }
        }
    }

    fn send(&mut self, mut envelope: Envelope<'static>, now: Instant) {
        if self.hold {
            envelope.header.hold_requests = Some(true);
        }
        self.reply = Some(Reply::Envelope(envelope));
        self.deadline = now.checked_add(self.config.session_timeout);
    }

    fn reply_fault(&mut self, request: &Envelope<'_>, code: FaultCode) {
        self.reply = Some(Reply::Envelope(Envelope::response_to(
            request,
            Fault::new(code),
        )));
    }

    fn end(&mut self, failure: Option<AcsFailure>) {
        self.deadline = None;
        self.outstanding = None;
        self.decision = None;
        self.state = State::Ended {
            success: failure.is_none(),
        };
        self.events.push_back(AcsEvent::SessionEnded {
            success: failure.is_none(),
            failure,
        });
    }

    /// Accepts the Inform or CPE request awaiting a decision ([`AcsConfig::confirm`]) with the
    /// engine's own response.
    pub fn accept(&mut self, now: Instant) -> Result<(), Error> {
        let env = self.decision.take().ok_or(Error::NoDecisionPending)?;
        if matches!(env.body, Body::Inform(_)) {
            self.answer_inform(&env, now);
        } else if let Some(body) = self.default_response(&env.body) {
            self.send(Envelope::response_to(&env, body), now);
        }
        Ok(())
    }

    /// Answers the CPE request awaiting a decision with this body (e.g. a KickedResponse with
    /// another NextURL). For an Inform this is the same as [`accept`](Self::accept).
    pub fn respond_with(&mut self, body: Body<'static>, now: Instant) -> Result<(), Error> {
        let env = self.decision.take().ok_or(Error::NoDecisionPending)?;
        if matches!(env.body, Body::Inform(_)) {
            self.answer_inform(&env, now);
        } else {
            self.send(Envelope::response_to(&env, body), now);
        }
        Ok(())
    }

    /// Refuses the Inform or CPE request awaiting a decision with this fault (echoing its ID).
    /// A refused Inform ends the session as failed.
    pub fn reject(&mut self, fault: Fault<'static>, now: Instant) -> Result<(), Error> {
        let env = self.decision.take().ok_or(Error::NoDecisionPending)?;
        let code = fault.code;
        self.send(Envelope::response_to(&env, fault), now);
        if matches!(env.body, Body::Inform(_)) {
            self.end(Some(AcsFailure::InformRejected(code)));
        }
        Ok(())
    }
}
