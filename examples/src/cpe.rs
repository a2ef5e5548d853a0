//! The reference CPE agent: sessions driven by `cwmp_core::session::cpe::Cpe` over one
//! keep-alive hyper connection per session (cookies kept for the session, digest or — when
//! allowed — Basic towards the ACS, redirects followed up to 5 times), a Connection Request
//! listener that demands digest and answers 200 or 503 (CR-01), and the in-memory
//! [`DataModel`] answering the ACS's RPCs. Reboot, FactoryReset, Download and ScheduleInform
//! are simulated after the session that asked for them.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use cwmp_auth::digest::Users;
use cwmp_core::Body;
use cwmp_core::datetime::{DateTime, DateTimeText};
use cwmp_core::event::{EventCode, EventStruct};
use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::rpc::{
    AddObjectResponse, DeleteObjectResponse, Download, DownloadResponse, FactoryResetResponse,
    GetParameterAttributesResponse, GetParameterNamesResponse, GetParameterValuesResponse,
    GetRpcMethodsResponse, RebootResponse, ScheduleInformResponse, SetParameterAttributesResponse,
    SetParameterValuesResponse, TransferComplete, TransferFault,
};
use cwmp_core::session::cpe::{
    Cpe, CpeConfig, CpeEvent, CpeHandler, HttpResponse, Received, SessionStart,
};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::auth::{Check, ClientAuth, DigestGuard};
use crate::log;
use crate::net::{self, Client, CookieJar, HttpUrl};
use crate::rpcs::summary;
use crate::store::DataModel;

const WHO: &str = "cpe";

/// Most redirects followed per session (SES-05).
pub const MAX_REDIRECTS: u32 = 5;
/// Connection requests accepted per minute before answering 503 (CR-01 rate limit).
pub const CR_PER_MINUTE: usize = 30;
/// Largest file a simulated Download fetches.
pub const MAX_DOWNLOAD: usize = 16 * 1024 * 1024;

/// Settings of the CPE agent.
#[derive(Debug)]
pub struct Config {
    /// `ManagementServer.URL`.
    pub acs_url: String,
    /// `ManagementServer.Username` / `Password`.
    pub username: String,
    /// See `username`.
    pub password: String,
    /// Answer a Basic-only challenge with Basic over plain HTTP.
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

/// Answers the ACS's requests from the data model.
#[derive(Debug)]
pub struct Handler {
    model: DataModel,
    initial: DataModel,
    actions: Vec<Action>,
}

impl Handler {
    /// A handler over `model` (kept as the factory state too).
    pub fn new(model: DataModel) -> Handler {
        Handler {
            initial: model.snapshot(),
            model,
            actions: Vec::new(),
        }
    }

    /// The data model.
    pub fn model(&self) -> &DataModel {
        &self.model
    }

    /// The data model, mutably.
    pub fn model_mut(&mut self) -> &mut DataModel {
        &mut self.model
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
        let m = &mut self.model;
        Ok(match request {
            Body::GetRpcMethods(_) => GetRpcMethodsResponse {
                methods: METHODS.iter().map(|s| (*s).into()).collect(),
            }
            .into(),
            Body::GetParameterValues(r) => GetParameterValuesResponse {
                parameters: m.get_values(&r.parameter_names)?,
            }
            .into(),
            Body::GetParameterNames(r) => GetParameterNamesResponse {
                parameters: m.get_names(&r.parameter_path, r.next_level)?,
            }
            .into(),
            Body::SetParameterValues(r) => SetParameterValuesResponse {
                status: m.set_values(&r.parameters, &r.parameter_key)?,
            }
            .into(),
            Body::GetParameterAttributes(r) => GetParameterAttributesResponse {
                parameters: m.get_attributes(&r.parameter_names)?,
            }
            .into(),
            Body::SetParameterAttributes(r) => {
                m.set_attributes(&r.parameters)?;
                SetParameterAttributesResponse {}.into()
            }
            Body::AddObject(r) => AddObjectResponse {
                instance_number: m.add_object(&r.object_name, &r.parameter_key)?,
                status: 0,
            }
            .into(),
            Body::DeleteObject(r) => {
                m.delete_object(&r.object_name, &r.parameter_key)?;
                DeleteObjectResponse { status: 0 }.into()
            }
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
    guard: DigestGuard,
    path: String,
    in_session: AtomicBool,
    accepted: Mutex<VecDeque<Instant>>,
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

fn cr_users(model: &DataModel) -> Users {
    let user = model
        .text(&model.ms("ConnectionRequestUsername"))
        .unwrap_or("");
    let pass = model
        .text(&model.ms("ConnectionRequestPassword"))
        .unwrap_or("");
    if user.is_empty() {
        Users::new()
    } else {
        Users::new().with(user, pass)
    }
}

async fn serve_cr(listener: TcpListener, shared: Arc<CrShared>) {
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
        tokio::spawn(async move {
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
    let uri = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    if req.method() != Method::GET {
        return net::response(StatusCode::METHOD_NOT_ALLOWED, &[("allow", "GET")], "");
    }
    if req.uri().path() != shared.path {
        return net::response(StatusCode::NOT_FOUND, &[], "");
    }
    match shared.guard.check(req.method(), &uri, b"", req.headers()) {
        Check::Challenge(challenges, why) => {
            match why {
                None => log::info(
                    WHO,
                    format!("← connection request from {peer} → 401 digest challenge"),
                ),
                Some(e) => log::info(WHO, format!("← connection request from {peer}: {e} → 401")),
            }
            let mut r = net::response(StatusCode::UNAUTHORIZED, &[], "");
            for c in challenges {
                r.headers_mut().append(http::header::WWW_AUTHENTICATE, c);
            }
            r
        }
        Check::Ok(user) => {
            if shared.in_session.load(Ordering::SeqCst) {
                log::info(
                    WHO,
                    format!("← connection request (digest user {user:?}) during a session → 503"),
                );
                return net::response(StatusCode::SERVICE_UNAVAILABLE, &[], "");
            }
            let now = Instant::now();
            let limited = match shared.accepted.lock() {
                Ok(mut q) => {
                    while q
                        .front()
                        .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
                    {
                        q.pop_front();
                    }
                    let full = q.len() >= CR_PER_MINUTE;
                    if !full {
                        q.push_back(now);
                    }
                    full
                }
                Err(_) => true,
            };
            if limited {
                log::info(WHO, "← connection request: rate limited → 503");
                return net::response(StatusCode::SERVICE_UNAVAILABLE, &[], "");
            }
            // A full channel means a session is already due: one session for many requests.
            let _ = shared.tx.try_send(());
            log::info(
                WHO,
                format!("← connection request (digest user {user:?}) → 200, session due"),
            );
            net::response(StatusCode::OK, &[], "")
        }
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
    auth: ClientAuth,
    transfer_tx: mpsc::Sender<(TransferComplete<'static>, String)>,
    transfer_rx: mpsc::Receiver<(TransferComplete<'static>, String)>,
    scheduled: Vec<(Instant, String)>,
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
        HttpUrl::parse(&config.acs_url)?;
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
        let cr_url = format!("http://{host}:{}{}", local.port(), config.cr_path);
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
        let guard = DigestGuard::new("cwmp-rs-cpe", cr_users(m))
            .map_err(|e| format!("digest setup: {e}"))?;
        let (tx, cr_rx) = mpsc::channel(1);
        let cr = Arc::new(CrShared {
            guard,
            path: config.cr_path.clone(),
            in_session: AtomicBool::new(false),
            accepted: Mutex::new(VecDeque::new()),
            tx,
        });
        let mut engine_config = CpeConfig::new(m.device_id());
        engine_config.parameter_key_name = Some(m.ms("ParameterKey"));
        let key = m.text(&m.ms("ParameterKey")).unwrap_or("").to_owned();
        let model = std::mem::take(&mut config.model);
        let handler = Handler::new(model);
        let mut engine = Cpe::new(engine_config);
        engine.set_parameter_key(cwmp_core::session::ParameterKey::new(key));
        let now = Instant::now();
        if config.bootstrap {
            engine.add_event(EventStruct::new(EventCode::BOOTSTRAP), now);
        }
        engine.add_event(EventStruct::new(EventCode::BOOT), now);
        let auth = ClientAuth::new(&config.username, &config.password, config.allow_basic);
        let (transfer_tx, transfer_rx) = mpsc::channel(8);
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
            scheduled: Vec::new(),
            summary: Summary::default(),
            transports: Default::default(),
        })
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
                let model = self.handler.model_mut();
                if self.transports.on_mapped(model, address, nat_detected) {
                    self.engine
                        .add_event(EventStruct::new(EventCode::VALUE_CHANGE), now);
                }
            }
        }
    }
    // ---- end issue 16 ----

    fn model(&self) -> &DataModel {
        self.handler.model()
    }

    fn periodic(&self) -> Option<Duration> {
        let m = self.model();
        let enabled = m
            .text(&m.ms("PeriodicInformEnable"))
            .is_some_and(|v| matches!(v, "true" | "1"));
        let secs: u64 = m
            .text(&m.ms("PeriodicInformInterval"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        (enabled && secs > 0).then(|| Duration::from_secs(secs))
    }

    /// Runs sessions until `shutdown` resolves or `max_sessions` sessions completed.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> Summary {
        if let Some(listener) = self.cr_listener.take() {
            tokio::spawn(serve_cr(listener, self.cr.clone()));
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
                self.model().root(),
                self.config.acs_url,
                self.cr_url
            ),
        );
        tokio::pin!(shutdown);
        let mut next_periodic = self.periodic().map(|p| Instant::now() + p);
        loop {
            while let Some(ev) = self.engine.poll_event() {
                if ev == CpeEvent::SessionDue {
                    self.session().await;
                    if next_periodic.is_none() {
                        next_periodic = self.periodic().map(|p| Instant::now() + p);
                    }
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
                .chain(next_periodic)
                .chain(self.scheduled.iter().map(|(t, _)| *t))
            {
                wake = wake.min(t);
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep_until(wake.into()) => {
                    let now = Instant::now();
                    if next_periodic.is_some_and(|t| t <= now) {
                        self.engine.add_event(EventStruct::new(EventCode::PERIODIC), now);
                        next_periodic = self.periodic().map(|p| now + p);
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
                Some((tc, key)) = self.transfer_rx.recv() => {
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
            } => match negotiated {
                Some(v) => log::debug(WHO, format!("Inform accepted; the ACS chose CWMP {v}")),
                None => log::debug(
                    WHO,
                    format!("Inform accepted; the session runs CWMP {version}"),
                ),
            },
            CpeEvent::AcsRequestAnswered { method, fault } => {
                log::debug(WHO, format!("answered {method}: {fault:?}"));
            }
            CpeEvent::ParameterKeyChanged => {
                log::info(
                    WHO,
                    format!(
                        "ParameterKey is now {:?}",
                        self.engine.parameter_key().as_str()
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
                    log::info(WHO, format!("session failed: {failure:?}"));
                }
            }
            CpeEvent::RetryScheduled { at, retry_count } => {
                let wait = at.saturating_duration_since(Instant::now());
                log::info(WHO, format!("retry {retry_count} in {} s", wait.as_secs()));
            }
            other => log::debug(WHO, format!("{other:?}")),
        }
    }

    /// One session, from the Inform to the end.
    async fn session(&mut self) {
        let now = Instant::now();
        let mut params = self.model().inform_parameters();
        // issue 16: UDPConnectionRequestAddress, NATDetected, ConnReqJabberID.
        self.transports
            .extend_inform(self.handler.model_mut(), &mut params);
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
            let response = match net::decode(outcome.body()) {
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
                Ok(None) => {
                    log::info(WHO, format!("← {status} (empty)"));
                    HttpResponse::empty(status)
                }
                Err(e) => {
                    log::error(WHO, &e);
                    if let Err(e) = self.engine.handle_transport_error(now) {
                        log::error(WHO, format!("session engine: {e}"));
                        break;
                    }
                    continue;
                }
            };
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
                .authorization(&Method::POST, &url.path, &body)
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
                match self.auth.on_unauthorized(resp.headers(), sent_auth) {
                    Ok(()) => {
                        log::info(
                            WHO,
                            format!("← 401, answering the {} challenge", self.auth.scheme()),
                        );
                        continue;
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
            *client = Some(Client::connect(url).await?);
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

    /// Simulates what the session's RPCs asked for, and picks up changed settings.
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
                    let initial = h.initial.snapshot();
                    h.model.reset_to(&initial);
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
        let users = cr_users(self.model());
        self.cr.guard.set_users(users);
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
