//! The reference CPE agent: sessions driven by `cwmp_core::session::cpe::Cpe` over one
//! keep-alive hyper connection per session (cookies kept for the session, digest or — when
//! allowed — Basic towards the ACS, redirects followed up to 5 times), a Connection Request
//! listener that demands digest and answers 200 or 503 (CR-01), and the in-memory
//! [`DataModel`] answering the ACS's RPCs. Reboot, FactoryReset, Download and ScheduleInform
//! are simulated after the session that asked for them.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use cwmp_auth::client_policy::{AcsCredentials, BasicPolicy};
use cwmp_auth::crserver::{ConnectionRequestServer, Incoming as CrIncoming, Verdict};
use cwmp_auth::digest::Users;
use cwmp_core::Body;
use cwmp_core::datetime::{DateTime, DateTimeText};
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::rpc::{
    Download, DownloadResponse, FactoryResetResponse, GetRpcMethodsResponse, ParameterValue,
    RebootResponse, ScheduleInformResponse, TransferComplete, TransferFault,
};
use cwmp_core::session::cpe::{
    Cpe, CpeConfig, CpeEvent, CpeHandler, Failure, HttpResponse, Received, SessionStart,
};
use cwmp_core::value::Value;
use cwmp_datamodel::tree::{MemoryBackend, ParameterTree, poll_ready};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::log;
use crate::net::{self, Client, CookieJar, HttpUrl};
use crate::rpcs::summary;
use crate::store::DataModel;

const WHO: &str = "cpe";

/// Most redirects followed per session (SES-05).
pub const MAX_REDIRECTS: u32 = 5;
/// Largest file a simulated Download fetches.
pub const MAX_DOWNLOAD: usize = 16 * 1024 * 1024;
/// The longest wait a `Retry-After` may impose: the last step of the TR-069 retry table.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(5120);

/// Settings of the CPE agent.
#[derive(Debug)]
pub struct Config {
    /// `ManagementServer.URL`.
    pub acs_url: String,
    /// `ManagementServer.Username` / `Password`.
    pub username: String,
    /// See `username`.
    pub password: String,
    /// Answer a Basic-only challenge with Basic even over plain HTTP (an explicit, insecure
    /// opt-in for test ACSs such as acsrs).
    pub allow_basic: bool,
    /// Where the Connection Request listener binds (port 0: any free port).
    pub cr_listen: SocketAddr,
    /// The Connection Request path (SHOULD be random per CPE).
    pub cr_path: String,
    /// `ConnectionRequestUsername` / `Password`; the ACS may change them with SPV.
    pub cr_username: String,
    /// See `cr_username`.
    pub cr_password: String,
    /// The data model.
    pub model: DataModel,
    /// Override of `PeriodicInformInterval` in seconds; 0 disables periodic informs.
    pub periodic_interval: Option<u32>,
    /// Start with `0 BOOTSTRAP` (first contact) besides `1 BOOT`.
    pub bootstrap: bool,
    /// Stop after this many completed sessions.
    pub max_sessions: Option<u32>,
    /// TLS towards an `https://` ACS URL (CA bundle or system roots, optional client
    /// certificate); required when the URL is `https://` (issue 14).
    pub tls: Option<crate::tls::TlsClient>,
    /// Serve the Connection Request listener over HTTPS (default plain HTTP, as in the
    /// field; issue 14).
    pub cr_tls: Option<crate::tls::TlsServer>,
}

/// What the agent did, when it stops.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Sessions that ended normally.
    pub completed: u32,
    /// Sessions that failed.
    pub failed: u32,
    /// Connection requests accepted.
    pub connection_requests: u32,
}

/// Work an RPC leaves for after its session.
#[derive(Debug, Clone)]
enum Action {
    Reboot(String),
    FactoryReset,
    Download(Download<'static>),
    ScheduleInform(u32, String),
}

/// Answers the ACS's requests: the parameter RPCs through the library's parameter tree, the
/// rest (Reboot, FactoryReset, Download, ScheduleInform) as simulated actions.
#[derive(Debug)]
pub struct Handler {
    tree: ParameterTree<MemoryBackend>,
    initial: MemoryBackend,
    actions: Vec<Action>,
}

impl Handler {
    /// A handler over `model` (kept as the factory state too).
    pub fn new(model: DataModel) -> Handler {
        let initial = model.backend().clone();
        Handler {
            tree: model.into_tree(),
            initial,
            actions: Vec::new(),
        }
    }

    /// The parameter tree.
    pub fn tree(&self) -> &ParameterTree<MemoryBackend> {
        &self.tree
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.tree.backend().value(name).map(|v| v.text.as_ref())
    }

    fn ms(&self, leaf: &str) -> String {
        format!(
            "{}ManagementServer.{leaf}",
            cwmp_datamodel::tree::Backend::root(self.tree.backend())
        )
    }
}

/// The methods this CPE answers.
pub const METHODS: &[&str] = &[
    "GetRPCMethods",
    "GetParameterNames",
    "GetParameterValues",
    "SetParameterValues",
    "GetParameterAttributes",
    "SetParameterAttributes",
    "AddObject",
    "DeleteObject",
    "Reboot",
    "FactoryReset",
    "Download",
    "ScheduleInform",
];

impl CpeHandler for Handler {
    fn handle(
        &mut self,
        request: &Body<'_>,
        _now: Instant,
    ) -> Result<Body<'static>, Fault<'static>> {
        // The in-memory backend answers at once; a backend behind IPC would be driven by
        // the engine's asynchronous `respond` instead.
        match poll_ready(self.tree.handle(request)) {
            Some(Some(answer)) => return answer,
            Some(None) => {}
            None => return Err(Fault::new(FaultCode::INTERNAL_ERROR)),
        }
        Ok(match request {
            Body::GetRpcMethods(_) => GetRpcMethodsResponse {
                methods: METHODS.iter().map(|s| (*s).into()).collect(),
            }
            .into(),
            Body::Reboot(r) => {
                self.actions.push(Action::Reboot(r.command_key.to_string()));
                RebootResponse {}.into()
            }
            Body::FactoryReset(_) => {
                self.actions.push(Action::FactoryReset);
                FactoryResetResponse {}.into()
            }
            Body::Download(r) => {
                if !r.url.starts_with("http://") {
                    return Err(Fault::new(FaultCode::UNSUPPORTED_TRANSFER_PROTOCOL)
                        .with_message("only http:// downloads"));
                }
                self.actions.push(Action::Download(r.clone().into_owned()));
                DownloadResponse {
                    status: 1,
                    start_time: DateTimeText::UNKNOWN,
                    complete_time: DateTimeText::UNKNOWN,
                }
                .into()
            }
            Body::ScheduleInform(r) => {
                if r.delay_seconds == 0 {
                    return Err(Fault::new(FaultCode::INVALID_ARGUMENTS)
                        .with_message("DelaySeconds must be greater than 0"));
                }
                self.actions.push(Action::ScheduleInform(
                    r.delay_seconds,
                    r.command_key.to_string(),
                ));
                ScheduleInformResponse {}.into()
            }
            _ => return Err(Fault::new(FaultCode::METHOD_NOT_SUPPORTED)),
        })
    }
}

struct CrShared {
    checks: ConnectionRequestServer,
    users: Mutex<Users>,
    in_session: AtomicBool,
    tx: mpsc::Sender<()>,
}

fn now_text() -> DateTimeText<'static> {
    match DateTime::from_system_time(SystemTime::now()) {
        Some(t) => DateTimeText::new(t.to_string()),
        None => DateTimeText::UNKNOWN,
    }
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    let _ = cwmp_auth::RandomSource::fill(&mut cwmp_auth::OsRandom, &mut b);
    u64::from_le_bytes(b)
}

fn cr_users(h: &Handler) -> Users {
    let user = h.text(&h.ms("ConnectionRequestUsername")).unwrap_or("");
    let pass = h.text(&h.ms("ConnectionRequestPassword")).unwrap_or("");
    if user.is_empty() {
        Users::new()
    } else {
        Users::new().with(user, pass)
    }
}

async fn serve_cr(
    listener: TcpListener,
    shared: Arc<CrShared>,
    tls: Option<crate::tls::TlsServer>,
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(a) => a,
            Err(e) => {
                log::error(WHO, format!("connection request listener: {e}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let shared = shared.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            // --- TLS (issue 14): optional HTTPS on the listener.
            let stream = match tls {
                None => crate::tls::MaybeTls::Plain(stream),
                Some(tls) => match tls.accept(stream).await {
                    Ok(acc) => crate::tls::MaybeTls::Server(Box::new(acc.stream)),
                    Err(f) => {
                        log::error(WHO, format!("connection request from {peer}: {f}"));
                        return;
                    }
                },
            };
            // --- end TLS
            let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(cr_request(&shared, req, peer)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

fn cr_request(shared: &CrShared, req: Request<Incoming>, peer: SocketAddr) -> Response<net::Body> {
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let users = match shared.users.lock() {
        Ok(u) => u.clone(),
        Err(p) => p.into_inner().clone(),
    };
    let incoming = CrIncoming {
        method: req.method(),
        target: &target,
        authorization: req.headers().get(http::header::AUTHORIZATION),
    };
    let answer = shared.checks.handle(
        &incoming,
        shared.in_session.load(Ordering::SeqCst),
        net::unix_now(),
        &mut cwmp_auth::OsRandom,
        &users,
    );
    let status = answer.status.as_u16();
    let line = match &answer.verdict {
        Verdict::Accepted { username } => {
            // A full channel means a session is already due: one session for many requests.
            let _ = shared.tx.try_send(());
            format!("← connection request (digest user {username:?}) → {status}, session due")
        }
        Verdict::Challenged { reason: None, .. } => {
            format!("← connection request from {peer} → {status} digest challenge")
        }
        Verdict::Challenged {
            reason: Some(e),
            stale,
        } => format!(
            "← connection request from {peer}: {e}{} → {status}",
            if *stale { " (stale nonce)" } else { "" }
        ),
        Verdict::SessionActive => format!("← connection request during a session → {status}"),
        Verdict::RateLimited => format!("← connection request: rate limited → {status}"),
        Verdict::WrongPath => format!("← request for {target} from {peer} → {status}"),
        Verdict::WrongMethod => format!("← {} from {peer} → {status}", req.method()),
        _ => format!("← connection request from {peer} → {status}"),
    };
    log::info(WHO, line);
    let mut r = net::response(answer.status, &[], "");
    for (k, v) in &answer.headers {
        r.headers_mut().append(k, v.clone());
    }
    r
}

/// Says what went wrong with a session, for people.
fn describe_failure(f: Option<&Failure>) -> String {
    match f {
        None => "no reason given".into(),
        Some(Failure::Timeout) => "timed out".into(),
        Some(Failure::Transport) => "transport error".into(),
        Some(Failure::HttpStatus(s)) => format!("HTTP status {s}"),
        Some(Failure::InformFault(c)) => format!("the ACS answered the Inform with fault {c}"),
        Some(Failure::VersionIncompatible) => "no common CWMP version".into(),
        Some(Failure::NoInformResponse) => "no InformResponse".into(),
        Some(Failure::UnofferedVersion(v)) => format!("the ACS chose CWMP {v}, not offered"),
        Some(Failure::Unexpected(Some(m))) => format!("unexpected {m}"),
        Some(Failure::Unexpected(None)) => "unexpected message".into(),
        Some(Failure::WrongId) => "answer with a wrong cwmp:ID".into(),
        Some(_) => "other failure".into(),
    }
}

/// What a response body is, judged before any SOAP decoding.
enum Payload {
    Empty,
    Soap,
    /// A 401 body, a 503 text, an HTML error page...
    Other(String),
}

fn payload(resp: &Response<Bytes>) -> Payload {
    let body = resp.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Payload::Empty;
    }
    let ct = resp
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let looks_xml = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
        && !ct.contains("html");
    if looks_xml && (ct.is_empty() || ct.contains("xml")) {
        Payload::Soap
    } else {
        let kind = if ct.is_empty() {
            "untyped"
        } else {
            ct.as_str()
        };
        Payload::Other(format!("{} bytes of {kind}", body.len()))
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by ACSs in practice and is
/// ignored).
fn retry_after(resp: &Response<Bytes>) -> Option<Duration> {
    let v = resp
        .headers()
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The periodic inform settings, to notice when the ACS changes them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Periodic {
    enabled: bool,
    interval: u64,
    time: Option<SystemTime>,
}

impl Periodic {
    fn read(h: &Handler) -> Periodic {
        let enabled = h
            .text(&h.ms("PeriodicInformEnable"))
            .is_some_and(|v| matches!(v, "true" | "1"));
        let interval = h
            .text(&h.ms("PeriodicInformInterval"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let time = h
            .text(&h.ms("PeriodicInformTime"))
            .and_then(|t| t.parse::<DateTime>().ok())
            .and_then(|t| t.to_system_time())
            // the Unknown Time (year 1) means: no phase
            .filter(|t| *t > SystemTime::UNIX_EPOCH);
        Periodic {
            enabled,
            interval,
            time,
        }
    }

    /// The next periodic Inform after `now`: `interval` from now, or on the
    /// `PeriodicInformTime` phase when one is set.
    fn next(&self, now: Instant) -> Option<Instant> {
        if !self.enabled || self.interval == 0 {
            return None;
        }
        let interval = Duration::from_secs(self.interval);
        let Some(phase) = self.time else {
            return Some(now + interval);
        };
        let wall = SystemTime::now();
        let secs = match wall.duration_since(phase) {
            // phase in the past: the next multiple of the interval after it
            Ok(since) => self.interval - since.as_secs() % self.interval,
            // phase in the future: the earliest time on its phase from now on
            Err(e) => match e.duration().as_secs() % self.interval {
                0 => self.interval,
                r => r,
            },
        };
        Some(now + Duration::from_secs(secs))
    }
}

/// The two header values of a POST, copied out of the engine's transmit.
#[derive(Debug, Clone, Copy)]
struct PostHeaders {
    soap_action: Option<&'static str>,
    content_type: Option<&'static str>,
}

/// A running CPE agent, until [`run`](Agent::run) returns.
pub struct Agent {
    config: Config,
    engine: Cpe,
    handler: Handler,
    cr: Arc<CrShared>,
    cr_rx: mpsc::Receiver<()>,
    cr_listener: Option<TcpListener>,
    /// The ConnectionRequestURL.
    pub cr_url: String,
    auth: AcsCredentials,
    transfer_tx: mpsc::Sender<(TransferComplete<'static>, String)>,
    transfer_rx: mpsc::Receiver<(TransferComplete<'static>, String)>,
    local_tx: mpsc::Sender<(String, String)>,
    local_rx: mpsc::Receiver<(String, String)>,
    scheduled: Vec<(Instant, String)>,
    /// The parameters of the Inform in flight, acknowledged when the ACS accepts it.
    inform_sent: Vec<ParameterValue<'static>>,
    /// No session before this (a 503 with `Retry-After`).
    hold_until: Option<Instant>,
    periodic: Periodic,
    next_periodic: Option<Instant>,
    summary: Summary,
    // issue 16: UDP (STUN) and XMPP connection requests.
    transports: crate::transport::cpe_side::Attached,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("cr_url", &self.cr_url)
            .finish_non_exhaustive()
    }
}

impl Agent {
    /// Binds the Connection Request listener and prepares the engine.
    pub async fn bind(mut config: Config) -> Result<Agent, String> {
        let acs_url = HttpUrl::parse(&config.acs_url)?;
        // --- TLS (issue 14)
        if acs_url.https && config.tls.is_none() {
            return Err(format!(
                "{}: an https:// ACS URL needs a TLS configuration",
                config.acs_url
            ));
        }
        // --- end TLS
        let listener = TcpListener::bind(config.cr_listen)
            .await
            .map_err(|e| format!("bind {}: {e}", config.cr_listen))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("local address: {e}"))?;
        let host = match local {
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        };
        let cr_scheme = if config.cr_tls.is_some() {
            "https"
        } else {
            "http"
        };
        let cr_url = format!("{cr_scheme}://{host}:{}{}", local.port(), config.cr_path);
        let m = &mut config.model;
        for (leaf, value) in [
            ("URL", config.acs_url.as_str()),
            ("Username", config.username.as_str()),
            ("Password", config.password.as_str()),
            ("ConnectionRequestURL", cr_url.as_str()),
            ("ConnectionRequestUsername", config.cr_username.as_str()),
            ("ConnectionRequestPassword", config.cr_password.as_str()),
        ] {
            let name = m.ms(leaf);
            m.set_local(&name, value);
        }
        if let Some(i) = config.periodic_interval {
            let enable = m.ms("PeriodicInformEnable");
            let interval = m.ms("PeriodicInformInterval");
            m.set_local(&enable, if i == 0 { "false" } else { "true" });
            if i > 0 {
                m.set_local(&interval, &i.to_string());
            }
        }
        let mut secret = [0u8; 32];
        cwmp_auth::RandomSource::fill(&mut cwmp_auth::OsRandom, &mut secret)
            .map_err(|e| format!("random: {e}"))?;
        let engine_config = CpeConfig::new(m.device_id());
        let model = std::mem::take(&mut config.model);
        let handler = Handler::new(model);
        let (tx, cr_rx) = mpsc::channel(1);
        let cr = Arc::new(CrShared {
            checks: ConnectionRequestServer::new("cwmp-rs-cpe", &secret, config.cr_path.clone()),
            users: Mutex::new(cr_users(&handler)),
            in_session: AtomicBool::new(false),
            tx,
        });
        let mut engine = Cpe::new(engine_config);
        let now = Instant::now();
        if config.bootstrap {
            engine.add_event(EventStruct::new(EventCode::BOOTSTRAP), now);
        }
        engine.add_event(EventStruct::new(EventCode::BOOT), now);
        // Basic only when the ACS asks for it and the connection is TLS (or explicitly allowed
        // over plain HTTP with --allow-basic, for lab ACSs such as acsrs).
        let policy = if config.allow_basic {
            BasicPolicy::EvenWithoutTls
        } else {
            BasicPolicy::OverTls
        };
        let auth = AcsCredentials::new(&config.username, &config.password).basic(policy);
        let (transfer_tx, transfer_rx) = mpsc::channel(8);
        let (local_tx, local_rx) = mpsc::channel(64);
        let periodic = Periodic::read(&handler);
        Ok(Agent {
            config,
            engine,
            handler,
            cr,
            cr_rx,
            cr_listener: Some(listener),
            cr_url,
            auth,
            transfer_tx,
            transfer_rx,
            local_tx,
            local_rx,
            scheduled: Vec::new(),
            inform_sent: Vec::new(),
            hold_until: None,
            next_periodic: None,
            periodic,
            summary: Summary::default(),
            transports: Default::default(),
        })
    }

    /// A sender of local changes `(parameter, new text)`: the device itself (or its user)
    /// changing a value, which the ACS is notified of when its Notification attribute says so.
    pub fn local_changes(&self) -> mpsc::Sender<(String, String)> {
        self.local_tx.clone()
    }

    // ---- issue 16: UDP (STUN) and XMPP connection requests ----
    /// Also accept connection requests over UDP (with STUN) and/or XMPP.
    pub fn with_transports(mut self, t: crate::transport::cpe_side::CpeTransports) -> Agent {
        self.transports = crate::transport::cpe_side::Attached::new(t);
        self
    }

    fn on_transport(&mut self, signal: crate::transport::cpe_side::TransportSignal) {
        use crate::transport::cpe_side::TransportSignal;
        let now = Instant::now();
        match signal {
            TransportSignal::ConnectionRequest(_) => {
                self.summary.connection_requests += 1;
                self.engine
                    .add_event(EventStruct::new(EventCode::CONNECTION_REQUEST), now);
            }
            TransportSignal::MappedAddress {
                address,
                nat_detected,
                ..
            } => {
                let tree = &mut self.handler.tree;
                if self.transports.on_mapped(tree, address, nat_detected, now) {
                    self.engine
                        .add_event(EventStruct::new(EventCode::VALUE_CHANGE), now);
                }
            }
        }
    }
    // ---- end issue 16 ----

    fn local_change(&mut self, name: &str, text: &str) {
        let now = Instant::now();
        let tree = &mut self.handler.tree;
        let Some(value) = tree.backend().value(name).cloned() else {
            log::info(WHO, format!("local change of {name}: no such parameter"));
            return;
        };
        tree.backend_mut().set_text(name, text);
        let notify = tree.changed(name, Value::new(value.ty, text.to_owned()), now);
        log::info(
            WHO,
            format!(
                "local change: {name} = {text:?}{}",
                match (notify, tree.session_due().is_some()) {
                    (true, true) => " (active notification: session due)",
                    (true, false) => " (passive notification: next Inform)",
                    _ => "",
                }
            ),
        );
    }

    /// Runs sessions until `shutdown` resolves or `max_sessions` sessions completed.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> Summary {
        if let Some(listener) = self.cr_listener.take() {
            tokio::spawn(serve_cr(
                listener,
                self.cr.clone(),
                self.config.cr_tls.clone(),
            ));
        }
        {
            // issue 16: start the UDP / XMPP connection-request transports, if any.
            let cr = self.cr.clone();
            let (user, pass) = (
                self.config.cr_username.clone(),
                self.config.cr_password.clone(),
            );
            self.transports
                .start(&user, &pass, move || cr.in_session.load(Ordering::SeqCst))
                .await;
        }
        log::info(
            WHO,
            format!(
                "device {} ({}): ACS {}, connection requests at {}",
                crate::acs::device_key(&self.engine.config().device_id),
                cwmp_datamodel::tree::Backend::root(self.handler.tree.backend()),
                self.config.acs_url,
                self.cr_url
            ),
        );
        tokio::pin!(shutdown);
        self.next_periodic = self.periodic.next(Instant::now());
        loop {
            while let Some(ev) = self.engine.poll_event() {
                if ev == CpeEvent::SessionDue {
                    if let Some(t) = self.hold_until.take().filter(|t| *t > Instant::now()) {
                        log::info(
                            WHO,
                            format!(
                                "session held {} s (Retry-After)",
                                t.saturating_duration_since(Instant::now()).as_secs()
                            ),
                        );
                        tokio::select! {
                            _ = &mut shutdown => return self.summary,
                            _ = tokio::time::sleep_until(t.into()) => {}
                        }
                    }
                    self.session().await;
                } else {
                    self.log_event(&ev);
                }
            }
            if self
                .config
                .max_sessions
                .is_some_and(|m| self.summary.completed >= m)
            {
                break;
            }
            let mut wake = Instant::now() + Duration::from_secs(3600);
            for t in self
                .engine
                .poll_timeout()
                .into_iter()
                .chain(self.next_periodic)
                .chain(self.handler.tree.session_due())
                .chain(self.scheduled.iter().map(|(t, _)| *t))
            {
                wake = wake.min(t);
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep_until(wake.into()) => {
                    let now = Instant::now();
                    if self.next_periodic.is_some_and(|t| t <= now) {
                        self.engine.add_event(EventStruct::new(EventCode::PERIODIC), now);
                        self.next_periodic = self.periodic.next(now);
                    }
                    if self.handler.tree.session_due().is_some_and(|t| t <= now) {
                        self.engine.add_event(EventStruct::new(EventCode::VALUE_CHANGE), now);
                    }
                    let (due, later): (Vec<_>, Vec<_>) =
                        self.scheduled.drain(..).partition(|(t, _)| *t <= now);
                    self.scheduled = later;
                    for (_, key) in due {
                        self.engine.add_event(EventStruct::new(EventCode::SCHEDULED), now);
                        self.engine.add_event(
                            EventStruct::with_command_key(EventCode::M_SCHEDULE_INFORM, key),
                            now,
                        );
                    }
                    self.engine.handle_timeout(now);
                }
                Some(signal) = self.transports.recv() => self.on_transport(signal), // issue 16
                Some(()) = self.cr_rx.recv() => {
                    self.summary.connection_requests += 1;
                    self.engine.add_event(EventStruct::new(EventCode::CONNECTION_REQUEST), Instant::now());
                }
                Some((name, text)) = self.local_rx.recv() => self.local_change(&name, &text),
                Some((tc, key)) = self.transfer_rx.recv() => {
                    log::info(WHO, format!("TransferComplete for command key {key:?} queued"));
                    let events = vec![
                        EventStruct::new(EventCode::TRANSFER_COMPLETE),
                        EventStruct::with_command_key(EventCode::M_DOWNLOAD, key),
                    ];
                    if let Err(e) = self.engine.queue_request(tc.into(), events, Instant::now()) {
                        log::error(WHO, format!("queue TransferComplete: {e}"));
                    }
                }
            }
        }
        self.summary
    }

    fn log_event(&mut self, ev: &CpeEvent) {
        match ev {
            CpeEvent::SessionStarted {
                events,
                retry_count,
            } => {
                let codes: Vec<&str> = events.iter().map(|e| e.code.as_str()).collect();
                log::debug(
                    WHO,
                    format!(
                        "session started: events [{}] retry {retry_count}",
                        codes.join(", ")
                    ),
                );
            }
            CpeEvent::InformAccepted {
                negotiated,
                version,
            } => {
                let sent = std::mem::take(&mut self.inform_sent);
                self.handler.tree.inform_acknowledged(&sent);
                match negotiated {
                    Some(v) => log::debug(WHO, format!("Inform accepted; the ACS chose CWMP {v}")),
                    None => log::debug(
                        WHO,
                        format!("Inform accepted; the session runs CWMP {version}"),
                    ),
                }
            }
            CpeEvent::AcsRequestAnswered { method, fault } => match fault {
                None => log::debug(WHO, format!("answered {method}")),
                Some(code) => log::debug(WHO, format!("answered {method} with fault {code}")),
            },
            CpeEvent::ParameterKeyChanged => {
                log::info(
                    WHO,
                    format!(
                        "ParameterKey is now {:?}",
                        self.handler.tree.state().parameter_key
                    ),
                );
            }
            CpeEvent::SessionEnded { success, failure } => {
                if *success {
                    self.summary.completed += 1;
                    log::info(
                        WHO,
                        format!(
                            "session {} ended",
                            self.summary.completed + self.summary.failed
                        ),
                    );
                } else {
                    self.summary.failed += 1;
                    log::info(
                        WHO,
                        format!("session failed: {}", describe_failure(failure.as_ref())),
                    );
                }
            }
            CpeEvent::RetryScheduled { at, retry_count } => {
                let wait = at.saturating_duration_since(Instant::now());
                log::info(WHO, format!("retry {retry_count} in {} s", wait.as_secs()));
            }
            CpeEvent::RequestRetried { attempt, .. } => {
                log::debug(
                    WHO,
                    format!("our request is sent again (attempt {attempt})"),
                );
            }
            CpeEvent::RequestAbandoned { request, .. } => {
                log::info(WHO, format!("our {} was abandoned", request.name()));
            }
            CpeEvent::SessionDue => log::debug(WHO, "session due"),
            _ => log::debug(WHO, "session engine event"),
        }
    }

    /// One session, from the Inform to the end.
    async fn session(&mut self) {
        let now = Instant::now();
        let inform = match poll_ready(self.handler.tree.inform_parameters()) {
            Some(Ok(i)) => i,
            _ => Default::default(),
        };
        if inform.value_change {
            self.engine
                .add_event(EventStruct::new(EventCode::VALUE_CHANGE), now);
            for p in inform
                .parameters
                .iter()
                .filter(|p| inform.changed.iter().any(|c| *c == p.name))
            {
                log::info(
                    WHO,
                    format!("4 VALUE CHANGE: {} = {:?}", p.name, p.value.text),
                );
            }
        }
        let mut params = inform.parameters;
        // issue 16: UDPConnectionRequestAddress, NATDetected, ConnReqJabberID.
        self.transports
            .extend_inform(&mut self.handler.tree, &mut params, now);
        self.inform_sent = params.clone();
        if let Err(e) = self
            .engine
            .start_session(now, SessionStart::new(now_text(), params, random_u64()))
        {
            log::error(WHO, format!("cannot start a session: {e}"));
            return;
        }
        self.cr.in_session.store(true, Ordering::SeqCst);
        let mut url = match HttpUrl::parse(&self.config.acs_url) {
            Ok(u) => u,
            Err(e) => {
                log::error(WHO, e);
                return;
            }
        };
        let mut client: Option<Client> = None;
        let mut jar = CookieJar::default();
        let mut redirects = 0;
        self.auth.reset();
        loop {
            let mut ended = false;
            while let Some(ev) = self.engine.poll_event() {
                ended |= matches!(ev, CpeEvent::SessionEnded { .. });
                self.log_event(&ev);
            }
            if ended || !self.engine.in_session() {
                break;
            }
            let Some(tx) = self.engine.poll_transmit() else {
                log::error(WHO, "session engine has nothing to send");
                break;
            };
            // The transmit borrows its envelope from the engine: encode it in the version
            // the engine says, keep the two header values, and let go.
            let body = tx
                .envelope
                .map(|e| net::encode(e, tx.version))
                .unwrap_or_default();
            let headers = PostHeaders {
                soap_action: tx.soap_action,
                content_type: tx.content_type,
            };
            match &tx.envelope {
                Some(env) => log::info(
                    WHO,
                    format!(
                        "→ POST {} id={}",
                        summary(&env.body),
                        env.header.id.as_deref().unwrap_or("-")
                    ),
                ),
                None => log::info(WHO, "→ POST (empty: no more requests)"),
            }
            log::debug(WHO, String::from_utf8_lossy(&body));
            let deadline = self
                .engine
                .poll_timeout()
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(30));
            let result = tokio::time::timeout_at(
                deadline.into(),
                self.exchange(
                    &mut client,
                    &mut url,
                    &mut jar,
                    &mut redirects,
                    headers,
                    body,
                ),
            )
            .await;
            let now = Instant::now();
            let outcome = match result {
                Err(_) => {
                    self.engine.handle_timeout(now);
                    continue;
                }
                Ok(Err(e)) => {
                    log::error(WHO, &e);
                    if let Err(e) = self.engine.handle_transport_error(now) {
                        log::error(WHO, format!("session engine: {e}"));
                        break;
                    }
                    continue;
                }
                Ok(Ok(r)) => r,
            };
            let status = outcome.status().as_u16();
            let response = match payload(&outcome) {
                Payload::Soap => match net::decode(outcome.body()) {
                    Ok(Some(d)) => {
                        log::info(
                            WHO,
                            format!(
                                "← {status} {} id={} cwmp {}",
                                summary(&d.envelope.body),
                                d.envelope.header.id.as_deref().unwrap_or("-"),
                                d.version
                            ),
                        );
                        HttpResponse {
                            status,
                            body: Some(net::incoming(d)),
                        }
                    }
                    Ok(None) => HttpResponse::empty(status),
                    Err(e) => {
                        log::error(WHO, &e);
                        if let Err(e) = self.engine.handle_transport_error(now) {
                            log::error(WHO, format!("session engine: {e}"));
                            break;
                        }
                        continue;
                    }
                },
                Payload::Empty => {
                    log::info(WHO, format!("← {status} (empty)"));
                    HttpResponse::empty(status)
                }
                Payload::Other(what) => {
                    log::info(WHO, format!("← {status} ({what}, not SOAP)"));
                    HttpResponse::empty(status)
                }
            };
            if status == 503 {
                if let Some(wait) = retry_after(&outcome) {
                    let wait = wait.min(MAX_RETRY_AFTER);
                    log::info(WHO, format!("← 503 Retry-After {} s", wait.as_secs()));
                    self.hold_until = Some(now + wait);
                }
            }
            let handled = self
                .engine
                .handle_response_with(response, now, &mut self.handler);
            match &handled {
                Ok(Some(Received::RequestCompleted { request, .. })) => {
                    log::info(WHO, format!("the ACS accepted our {}", request.name()));
                }
                Ok(Some(Received::RequestFaulted { fault, request, .. })) => log::info(
                    WHO,
                    format!(
                        "the ACS answered our request with fault {}{}",
                        fault.code,
                        if request.is_none() {
                            " (kept for the next session)"
                        } else {
                            ""
                        }
                    ),
                ),
                _ => {}
            }
            if let Err(e) = handled {
                log::error(WHO, format!("session engine: {e}"));
                break;
            }
        }
        drop(client);
        jar.clear();
        self.handler.tree.session_ended(Instant::now());
        self.after_session();
        self.cr.in_session.store(false, Ordering::SeqCst);
    }

    /// Sends one POST, answering 401 challenges and following redirects.
    async fn exchange(
        &mut self,
        client: &mut Option<Client>,
        url: &mut HttpUrl,
        jar: &mut CookieJar,
        redirects: &mut u32,
        tx: PostHeaders,
        body: Bytes,
    ) -> Result<Response<Bytes>, String> {
        let mut auth_rounds = 0;
        loop {
            let authorization = self
                .auth
                .authorization(&Method::POST, &url.path, &body, &mut cwmp_auth::OsRandom)
                .map_err(|e| format!("authorization: {e}"))?;
            let sent_auth = authorization.is_some();
            let mut req = Request::builder()
                .method(Method::POST)
                .uri(url.path.as_str())
                .header(http::header::HOST, url.authority());
            if let Some(a) = tx.soap_action {
                req = req.header("soapaction", a);
            }
            if let Some(ct) = tx.content_type {
                req = req.header(http::header::CONTENT_TYPE, ct);
            }
            if let Some(c) = jar.header() {
                req = req.header(http::header::COOKIE, c);
            }
            if let Some(a) = authorization {
                req = req.header(http::header::AUTHORIZATION, a);
            }
            let req = req
                .body(net::Body::new(body.clone()))
                .map_err(|e| format!("building request: {e}"))?;
            let resp = self.send(client, url, req).await?;
            jar.store(resp.headers());
            let status = resp.status();
            if status == StatusCode::UNAUTHORIZED && auth_rounds < 2 {
                auth_rounds += 1;
                let over_tls = url.https;
                let challenges = resp.headers().get_all(http::header::WWW_AUTHENTICATE);
                match self.auth.on_unauthorized(challenges, sent_auth, over_tls) {
                    Ok(()) => {
                        log::info(
                            WHO,
                            format!(
                                "← 401, answering the {} challenge",
                                self.auth.scheme().unwrap_or("-")
                            ),
                        );
                        continue;
                    }
                    Err(cwmp_auth::Error::BadCredentials) => {
                        log::info(WHO, "← 401: credentials refused");
                        return Ok(resp);
                    }
                    Err(e) => {
                        log::info(WHO, format!("← 401: {e}"));
                        return Ok(resp);
                    }
                }
            }
            if matches!(status.as_u16(), 301 | 302 | 307 | 308) {
                let loc = resp
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .ok_or("redirect without Location")?;
                *redirects += 1;
                if *redirects > MAX_REDIRECTS {
                    return Err(format!("more than {MAX_REDIRECTS} redirects"));
                }
                let next = url.join(loc)?;
                log::info(WHO, format!("← {status}, redirected to {next}"));
                if next.authority() != url.authority() {
                    *client = None;
                }
                *url = next;
                continue;
            }
            return Ok(resp);
        }
    }

    async fn send(
        &mut self,
        client: &mut Option<Client>,
        url: &HttpUrl,
        req: Request<net::Body>,
    ) -> Result<Response<Bytes>, String> {
        if client.is_none() {
            *client = Some(Client::connect_tls(url, self.config.tls.as_ref()).await?);
        }
        match client {
            Some(c) => {
                let r = c.send(req).await;
                if r.is_err() {
                    *client = None;
                }
                r
            }
            None => Err("no connection".into()),
        }
    }

    /// Simulates what the session's RPCs asked for, and picks up changed settings at once.
    fn after_session(&mut self) {
        let now = Instant::now();
        let actions = std::mem::take(&mut self.handler.actions);
        for action in actions {
            match action {
                Action::Reboot(key) => {
                    log::info(WHO, format!("rebooting (simulated), command key {key:?}"));
                    self.engine.reboot();
                    self.engine
                        .add_event(EventStruct::new(EventCode::BOOT), now);
                    self.engine
                        .add_event(EventStruct::with_command_key(EventCode::M_REBOOT, key), now);
                }
                Action::FactoryReset => {
                    log::info(WHO, "factory reset (simulated)");
                    let h = &mut self.handler;
                    *h.tree.backend_mut() = h.initial.clone();
                    h.tree.factory_reset();
                    self.engine.factory_reset(now);
                    self.engine
                        .add_event(EventStruct::new(EventCode::BOOT), now);
                }
                Action::Download(d) => {
                    let tx = self.transfer_tx.clone();
                    tokio::spawn(async move {
                        let key = d.command_key.to_string();
                        let tc = simulate_download(&d).await;
                        let _ = tx.send((tc, key)).await;
                    });
                }
                Action::ScheduleInform(delay, key) => {
                    self.scheduled
                        .push((now + Duration::from_secs(u64::from(delay)), key));
                }
            }
        }
        let users = cr_users(&self.handler);
        match self.cr.users.lock() {
            Ok(mut u) => *u = users,
            Err(p) => *p.into_inner() = users,
        }
        let periodic = Periodic::read(&self.handler);
        if periodic != self.periodic || self.next_periodic.is_none() {
            if periodic != self.periodic {
                log::info(WHO, "periodic inform settings changed: rescheduled now");
            }
            self.next_periodic = periodic.next(now);
            self.periodic = periodic;
        }
    }
}

/// Fetches a Download's URL over HTTP (bounded in size and time) and reports the
/// TransferComplete to send.
async fn simulate_download(d: &Download<'static>) -> TransferComplete<'static> {
    let start = now_text();
    let result: Result<usize, (FaultCode, String)> = async {
        let url =
            HttpUrl::parse(&d.url).map_err(|e| (FaultCode::UNSUPPORTED_TRANSFER_PROTOCOL, e))?;
        let mut client = Client::connect(&url)
            .await
            .map_err(|e| (FaultCode::TRANSFER_SERVER_UNREACHABLE, e))?;
        let mut req = Request::builder()
            .method(Method::GET)
            .uri(url.path.as_str())
            .header(http::header::HOST, url.authority());
        if !d.username.is_empty() {
            if let Ok(v) = cwmp_auth::basic::authorization(&d.username, &d.password) {
                req = req.header(http::header::AUTHORIZATION, v);
            }
        }
        let req = req
            .body(net::Body::default())
            .map_err(|e| (FaultCode::FILE_TRANSFER_FAILURE, e.to_string()))?;
        let resp = tokio::time::timeout(Duration::from_secs(30), client.send(req))
            .await
            .map_err(|_| (FaultCode::TRANSFER_INCOMPLETE, "timed out".to_owned()))?
            .map_err(|e| (FaultCode::TRANSFER_INCOMPLETE, e))?;
        match resp.status().as_u16() {
            200 => Ok(resp.body().len()),
            401 | 403 => Err((
                FaultCode::FILE_TRANSFER_AUTHENTICATION_FAILURE,
                resp.status().to_string(),
            )),
            _ => Err((
                FaultCode::TRANSFER_FILE_INACCESSIBLE,
                resp.status().to_string(),
            )),
        }
    }
    .await;
    let fault = match result {
        Ok(n) if n <= MAX_DOWNLOAD => {
            log::info(
                WHO,
                format!(
                    "download of {} done: {n} bytes (not installed: simulated)",
                    d.url
                ),
            );
            TransferFault::success()
        }
        Ok(n) => TransferFault {
            code: FaultCode::FILE_TRANSFER_FAILURE,
            message: format!("{n} bytes is too large").into(),
        },
        Err((code, msg)) => {
            log::info(WHO, format!("download of {} failed: {msg}", d.url));
            TransferFault {
                code,
                message: msg.into(),
            }
        }
    };
    TransferComplete {
        command_key: d.command_key.clone(),
        fault,
        start_time: start,
        complete_time: now_text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, ct: Option<&str>, body: &str, retry: Option<&str>) -> Response<Bytes> {
        let mut b = Response::builder().status(status);
        if let Some(ct) = ct {
            b = b.header(http::header::CONTENT_TYPE, ct);
        }
        if let Some(r) = retry {
            b = b.header(http::header::RETRY_AFTER, r);
        }
        b.body(Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn non_soap_answers_are_not_decoded() {
        let soap = resp(
            200,
            Some("text/xml; charset=utf-8"),
            "<soap:Envelope/>",
            None,
        );
        assert!(matches!(payload(&soap), Payload::Soap));
        let untyped = resp(200, None, "  <Envelope/>", None);
        assert!(matches!(payload(&untyped), Payload::Soap));
        for r in [
            resp(
                401,
                Some("text/html"),
                "<html><body>401</body></html>",
                None,
            ),
            resp(503, Some("text/plain"), "busy, come back later", None),
            resp(500, None, "Internal error", None),
            resp(200, Some("text/html"), "<!DOCTYPE html><p>portal</p>", None),
        ] {
            assert!(matches!(payload(&r), Payload::Other(_)), "{r:?}");
        }
        assert!(matches!(
            payload(&resp(204, None, "", None)),
            Payload::Empty
        ));
    }

    #[test]
    fn retry_after_seconds() {
        assert_eq!(
            retry_after(&resp(503, None, "", Some("120"))),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&resp(503, None, "", Some("Fri, 31 Dec 1999 23:59:59 GMT"))),
            None
        );
        assert_eq!(retry_after(&resp(503, None, "", None)), None);
    }

    #[test]
    fn periodic_schedule_follows_interval_and_phase() {
        let now = Instant::now();
        let p = Periodic {
            enabled: true,
            interval: 300,
            time: None,
        };
        assert_eq!(p.next(now), Some(now + Duration::from_secs(300)));
        let off = Periodic {
            enabled: false,
            ..p.clone()
        };
        assert_eq!(off.next(now), None);
        // a phase in the past or future: the next instant on it, within one interval
        for offset in [-1_000i64, 7, 1_000] {
            let phase = if offset < 0 {
                SystemTime::now() - Duration::from_secs(offset.unsigned_abs())
            } else {
                SystemTime::now() + Duration::from_secs(offset.unsigned_abs())
            };
            let with_phase = Periodic {
                time: Some(phase),
                ..p.clone()
            };
            let next = with_phase.next(now).unwrap();
            let wait = next.duration_since(now).as_secs();
            assert!((1..=300).contains(&wait), "{offset}: {wait}");
            let expected = (offset.rem_euclid(300)) as u64;
            let expected = if expected == 0 { 300 } else { expected };
            assert!(
                wait.abs_diff(expected) <= 1,
                "{offset}: {wait} vs {expected}"
            );
        }
    }

    #[test]
    fn an_acs_change_of_the_interval_is_seen() {
        let mut h = Handler::new(DataModel::builtin());
        let before = Periodic::read(&h);
        assert_eq!(before.interval, 300);
        let spv: Body<'_> = cwmp_core::rpc::SetParameterValues {
            parameters: vec![ParameterValue::new(
                "Device.ManagementServer.PeriodicInformInterval",
                30u32,
            )],
            parameter_key: "k".into(),
        }
        .into();
        assert!(h.handle(&spv, Instant::now()).is_ok());
        let after = Periodic::read(&h);
        assert_ne!(
            after, before,
            "after_session reschedules on this difference"
        );
        let now = Instant::now();
        assert_eq!(after.next(now), Some(now + Duration::from_secs(30)));
    }

    #[test]
    fn handler_masks_only_string_passwords() {
        let mut dm = DataModel::builtin();
        dm.set_local("Device.ManagementServer.Password", "secret");
        let mut h = Handler::new(dm);
        let gpv: Body<'_> = cwmp_core::rpc::GetParameterValues {
            parameter_names: vec!["Device.ManagementServer.Password".into()],
        }
        .into();
        let Ok(Body::GetParameterValuesResponse(r)) = h.handle(&gpv, Instant::now()) else {
            panic!("GPV answered");
        };
        assert_eq!(r.parameters[0].value.text, "");
    }
}
