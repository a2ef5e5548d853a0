//! The reference ACS: HTTP/1.1 over tokio + hyper, CPE authentication by policy (digest by
//! default, MD5 offered first; Basic over TLS or when allowed in clear; none when allowed),
//! sessions keyed by a cookie (`Set-Cookie: session=…; Path=/`, with the TCP connection as
//! fallback for CPEs without cookies), one `cwmp_core::session::acs::AcsSession` engine per
//! session, and everything that must not be lost in a [store](crate::acs_store): devices,
//! queued RPCs, RPCs in flight, results, history.
//!
//! Nothing is lost: an RPC is claimed from the store when the CPE is ready for it; an RPC
//! whose session died (timeout, closed connection, a CPE that went away, the ACS killed) goes
//! back to the head of the device's queue with its attempt count and a history entry, and is
//! given up after the store's attempt limit. Several ACS instances can share a PostgreSQL store:
//! a session stays on the instance holding its TCP connection; queued work, results and
//! connection requests are visible from every instance, and digest nonces of one are accepted
//! by the others (the nonce key is a secret kept in the store).
//!
//! The admin API (loopback only) is [`crate::acs_admin`]. Device ids are
//! `OUI-ProductClass-SerialNumber` (`OUI-SerialNumber` without a class).

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cwmp_auth::connreq::{ConnectionRequestClient, Next};
use cwmp_auth::digest::Users;
use cwmp_auth::{Algorithm, RandomSource};
use cwmp_core::Body;
use cwmp_core::fault::Fault;
use cwmp_core::rpc::{DeviceId, GetParameterValues, ParameterValue};
use cwmp_core::session::RequestHandle;
use cwmp_core::session::acs::{AcsConfig, AcsEvent, AcsFailure, AcsSession, Received, Reply};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::acs_admin::{self, AdminError, AdminHooks};
use crate::acs_auth::{AcsAuth, AuthConfig, Verdict};
use crate::acs_store::{
    AbandonReason, AcsStore, AuthPolicy, HistoryEvent, Outcome, RequeueOutcome, RpcId, SessionRef,
    SqliteStore, Store, StoreOptions,
};
use crate::log;
use crate::net::{self, HttpUrl};
use crate::rpcs::summary;

const WHO: &str = "acs";

/// Most sessions held at once.
pub const MAX_SESSIONS: usize = 4096;
/// Most results listed per device by [`Acs::device`].
pub const MAX_RESULTS: u32 = 1000;

/// Settings of the ACS.
#[derive(Debug, Clone)]
pub struct Config {
    /// Digest realm.
    pub realm: String,
    /// CPE credentials (ManagementServer.Username / Password of the devices).
    pub users: Users,
    /// Credentials for Connection Requests to devices without their own.
    pub cr_username: String,
    /// See `cr_username`.
    pub cr_password: String,
    /// RPCs queued for the first device that informs (`--queue`).
    pub initial_queue: Vec<Body<'static>>,
    /// The session engine's timeout for the CPE's next POST.
    pub session_timeout: Duration,
    /// After each GetParameterNames answer, read the values of the leaf names it returned in
    /// the same session (what an ACS "refresh" of a subtree does).
    pub read_after_gpn: bool,
    /// The auth policy of devices without their own (default digest).
    pub auth_policy: AuthPolicy,
    /// Accept Basic on plain HTTP (default `false`).
    pub allow_basic_in_clear: bool,
    /// Honour the `none` policy (default `false`; lab simulators only).
    pub allow_no_auth: bool,
    /// HTTPS instead of HTTP, with optional client certificates bound to the device.
    pub tls: Option<crate::tls::AcsTls>,
    /// TLS client for `https://` connection-request URLs.
    pub cr_tls: Option<crate::tls::TlsClient>,
    /// A policy for every device that overrides the store's (`--auth`): `Digest` (the
    /// default) leaves the choice to `auth_policy` and each device's own; `Basic`, `None` and
    /// `ClientCertificate` (the verified client certificate is the credential) apply to all.
    pub auth: crate::tls::acs::AuthPolicy,
    /// Digest algorithms offered, in order (default MD5, SHA-256).
    pub digest_algorithms: Vec<Algorithm>,
    /// This instance's name: stable across restarts, unique among instances sharing a store.
    /// At start-up, RPCs an earlier run of it left in flight go back to their queues.
    pub instance: String,
    /// How often this instance records that it is alive in the store.
    pub heartbeat: Duration,
    /// An instance silent for this long is taken for dead: its RPCs in flight go back.
    pub instance_timeout: Duration,
    /// Connection requests over UDP / XMPP (issue 16).
    pub transports: crate::transport::acs_side::AcsTransports,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            realm: "cwmp-rs".into(),
            users: Users::new(),
            cr_username: String::new(),
            cr_password: String::new(),
            initial_queue: Vec::new(),
            session_timeout: Duration::from_secs(30),
            read_after_gpn: false,
            auth_policy: AuthPolicy::Digest,
            allow_basic_in_clear: false,
            allow_no_auth: false,
            tls: None,
            cr_tls: None,
            auth: crate::tls::acs::AuthPolicy::Digest,
            digest_algorithms: vec![Algorithm::Md5, Algorithm::Sha256],
            instance: "acs".into(),
            heartbeat: Duration::from_secs(5),
            instance_timeout: Duration::from_secs(60),
            transports: Default::default(),
        }
    }
}

/// The outcome of one RPC the ACS sent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exchange {
    /// The device's session number it was last sent in.
    pub session: u32,
    /// The RPC's id in the store.
    pub id: String,
    /// The request.
    pub request: Body<'static>,
    /// The response, when the CPE answered with one.
    pub response: Option<Body<'static>>,
    /// The fault, when the CPE answered with one.
    pub fault: Option<Fault<'static>>,
}

/// What the ACS knows about a device (a view assembled from the store).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Device {
    /// `OUI-ProductClass-SerialNumber`.
    pub id: String,
    /// From its last Inform.
    pub device_id: DeviceId<'static>,
    /// Its ConnectionRequestURL, from its last Inform that had one.
    pub connection_request_url: Option<String>,
    /// Its UDPConnectionRequestAddress (STUN-mapped), from its last Inform (issue 16).
    pub udp_connection_request_address: Option<String>,
    /// Its ConnReqJabberID, from its last Inform (issue 16).
    pub conn_req_jabber_id: Option<String>,
    /// Event codes of its last Inform.
    pub last_events: Vec<String>,
    /// Sessions opened.
    pub sessions: u32,
    /// Sessions that ended normally.
    pub sessions_completed: u32,
    /// Sessions that failed.
    pub sessions_failed: u32,
    /// RPCs waiting for a session (queued or in flight).
    pub queued: Vec<Body<'static>>,
    /// RPCs finished, oldest first (the last [`MAX_RESULTS`]).
    pub results: Vec<Exchange>,
    /// Requests the CPE sent (TransferComplete …), by method.
    pub cpe_requests: Vec<String>,
}

/// A request of the session claimed from the store.
#[derive(Debug, Clone, Copy)]
struct Claim {
    id: RpcId,
    attempt: u32,
}

struct Entry {
    engine: AcsSession,
    device: Option<String>,
    session: i64,
    /// `device#session`, or the connection's peer before the Inform: names the session in logs.
    label: String,
    claims: HashMap<RequestHandle, Claim>,
    ended: bool,
    /// The line saying how the session ended, logged after the exchange that ended it.
    end_note: Option<String>,
}

type Shared = Arc<tokio::sync::Mutex<Entry>>;

struct Inner {
    config: Config,
    auth: AcsAuth,
    store: Store,
    sessions: Mutex<HashMap<String, Shared>>,
    initial_queue: Mutex<Vec<Body<'static>>>,
    changed: Notify,
}

/// A running ACS (cheap to clone; every clone is the same server).
#[derive(Clone)]
pub struct Acs {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Acs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acs")
            .field("instance", &self.inner.config.instance)
            .field("store", &self.inner.store.kind())
            .finish_non_exhaustive()
    }
}

/// The non-empty value a device reported for the parameter ending in `leaf`
/// (`ManagementServer.…`), among the parameters the store recorded.
fn reported(seen: &[ParameterValue<'_>], leaf: &str) -> Option<String> {
    seen.iter()
        .find(|p| p.name.ends_with(leaf) && !p.value.text.is_empty())
        .map(|p| p.value.text.to_string())
}

/// The device id the ACS uses: `OUI-ProductClass-SerialNumber`.
pub fn device_key(id: &DeviceId<'_>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    if id.product_class.is_empty() {
        format!("{}-{}", clean(&id.oui), clean(&id.serial_number))
    } else {
        format!(
            "{}-{}-{}",
            clean(&id.oui),
            clean(&id.product_class),
            clean(&id.serial_number)
        )
    }
}

fn failure_text(f: &AcsFailure) -> String {
    match f {
        AcsFailure::Timeout => "no POST from the CPE in time".into(),
        AcsFailure::DecisionTimeout => "no decision in time".into(),
        AcsFailure::Closed => "connection closed".into(),
        AcsFailure::EmptyPostFirst => "an empty POST before the Inform".into(),
        AcsFailure::NotInformFirst(m) => format!("{m} before the Inform (8003)"),
        AcsFailure::VersionIncompatible { cpe_versions, .. } => format!(
            "no common CWMP version with {:?} (8006)",
            cpe_versions.iter().map(|v| v.as_str()).collect::<Vec<_>>()
        ),
        AcsFailure::InformRejected(code) => format!("Inform rejected with {code}"),
        AcsFailure::Unexpected(Some(m)) => format!("unexpected {m}"),
        AcsFailure::Unexpected(None) => "unexpected empty POST".into(),
        AcsFailure::WrongId => "a response with another cwmp:ID".into(),
        _ => "failed".into(),
    }
}

fn abandon_reason(f: Option<&AcsFailure>) -> AbandonReason {
    match f {
        Some(AcsFailure::Timeout | AcsFailure::DecisionTimeout) => AbandonReason::Timeout,
        Some(AcsFailure::Closed) => AbandonReason::ConnectionClosed,
        _ => AbandonReason::ProtocolError,
    }
}

fn random_secret() -> [u8; 32] {
    let mut s = [0u8; 32];
    let _ = cwmp_auth::OsRandom.fill(&mut s);
    s
}

impl Acs {
    /// An ACS with these settings on an in-memory store (lost at exit: tests and the demo).
    pub fn new(config: Config) -> Result<Acs, String> {
        let store =
            SqliteStore::in_memory(StoreOptions::default()).map_err(|e| format!("store: {e}"))?;
        Ok(Acs::build(config, Store::Sqlite(store), &random_secret()))
    }

    /// An ACS on `store`: takes the digest nonce secret from the store (shared by every
    /// instance), and puts back what an earlier run of this instance left in flight.
    pub async fn with_store(config: Config, store: Store) -> Result<Acs, String> {
        let secret = store
            .shared_secret("digest-nonce", &random_secret())
            .await
            .map_err(|e| format!("store: {e}"))?;
        let back = store
            .recover_instance(&config.instance)
            .await
            .map_err(|e| format!("store: {e}"))?;
        for (id, outcome) in &back {
            log::info(
                WHO,
                format!(
                    "RPC {id} was in flight when instance {:?} stopped: {}",
                    config.instance,
                    requeue_text(outcome)
                ),
            );
        }
        store
            .heartbeat(&config.instance, crate::acs_store::now_ms())
            .await
            .map_err(|e| format!("store: {e}"))?;
        Ok(Acs::build(config, store, &secret))
    }

    fn build(config: Config, store: Store, secret: &[u8]) -> Acs {
        let auth = AcsAuth::new(
            AuthConfig {
                realm: config.realm.clone(),
                users: config.users.clone(),
                policy: config.auth_policy,
                allow_basic_in_clear: config.allow_basic_in_clear,
                allow_none: config.allow_no_auth,
                algorithms: config.digest_algorithms.clone(),
            },
            secret,
        );
        if config.allow_no_auth {
            log::info(
                WHO,
                "warning: devices with the `none` auth policy are served WITHOUT authentication",
            );
        }
        Acs {
            inner: Arc::new(Inner {
                initial_queue: Mutex::new(config.initial_queue.clone()),
                config,
                auth,
                store,
                sessions: Mutex::new(HashMap::new()),
                changed: Notify::new(),
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    fn sessions(&self) -> MutexGuard<'_, HashMap<String, Shared>> {
        match self.inner.sessions.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        }
    }

    /// Serves CPEs and the admin API on `listener` until `shutdown` resolves.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let background = {
            let acs = self.clone();
            tokio::spawn(async move { acs.background().await })
        };
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(a) => a,
                        Err(e) => {
                            log::error(WHO, format!("accept: {e}"));
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let acs = self.clone();
                    tokio::spawn(async move { acs.connection(stream, peer).await });
                }
            }
        }
        background.abort();
    }

    /// Session timeouts, heartbeats, and recovery of instances that died.
    async fn background(&self) {
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        let mut last_beat = Instant::now();
        loop {
            tick.tick().await;
            self.sweep(Instant::now()).await;
            if last_beat.elapsed() >= self.inner.config.heartbeat {
                last_beat = Instant::now();
                let now = crate::acs_store::now_ms();
                let store = &self.inner.store;
                if let Err(e) = store.heartbeat(&self.inner.config.instance, now).await {
                    log::error(WHO, format!("store heartbeat: {e}"));
                }
                let timeout = i64::try_from(self.inner.config.instance_timeout.as_millis())
                    .unwrap_or(i64::MAX);
                match store.recover_stale(now.saturating_sub(timeout)).await {
                    Ok(back) => {
                        for (id, outcome) in back {
                            log::info(
                                WHO,
                                format!(
                                    "RPC {id}: its instance stopped sending heartbeats: {}",
                                    requeue_text(&outcome)
                                ),
                            );
                        }
                    }
                    Err(e) => log::error(WHO, format!("store recovery: {e}")),
                }
            }
        }
    }

    async fn connection(self, stream: tokio::net::TcpStream, peer: SocketAddr) {
        // --- TLS (issue 14): the handshake; a failure is one log line and no HTTP at all.
        let Some((stream, conn_tls)) =
            crate::tls::acs::accept(self.inner.config.tls.as_ref(), stream, peer, WHO).await
        else {
            return;
        };
        let conn_tls = Arc::new(conn_tls);
        // --- end TLS
        let bound: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let svc = {
            let acs = self.clone();
            let bound = bound.clone();
            hyper::service::service_fn(move |req: Request<Incoming>| {
                let acs = acs.clone();
                let bound = bound.clone();
                let conn_tls = conn_tls.clone();
                async move { Ok::<_, Infallible>(acs.request(req, peer, &bound, &conn_tls).await) }
            })
        };
        let conn = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .title_case_headers(true)
            .serve_connection(TokioIo::new(stream), svc);
        if let Err(e) = conn.await {
            log::debug(WHO, format!("connection from {peer}: {e}"));
        }
        // A closed connection does not end the session: a CPE may come back on a new
        // connection with the session cookie; the engine's timeout ends abandoned sessions.
    }

    async fn request(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        bound: &Mutex<Option<String>>,
        conn_tls: &crate::tls::ConnTls,
    ) -> Response<net::Body> {
        let (parts, body) = req.into_parts();
        let body = match net::read_body(body, net::MAX_BODY).await {
            Ok(b) => b,
            Err(e) => {
                log::error(WHO, format!("{peer}: {e}"));
                return net::response(StatusCode::PAYLOAD_TOO_LARGE, &[], "");
            }
        };
        let path = parts.uri.path().to_owned();
        if path.starts_with("/admin/") || path == "/admin" {
            if !peer.ip().is_loopback() {
                return net::response(StatusCode::FORBIDDEN, &[], "admin API is loopback-only\n");
            }
            let reply = acs_admin::handle(
                &self.inner.store,
                self,
                &parts.method,
                &path,
                parts.uri.query(),
                &body,
            )
            .await;
            log::info(
                WHO,
                format!("admin {} {path} → {}", parts.method, reply.status.as_u16()),
            );
            return net::json(reply.status, &reply.body);
        }
        if parts.method != Method::POST {
            return net::response(
                StatusCode::METHOD_NOT_ALLOWED,
                &[("allow", "POST")],
                "CWMP endpoint: POST only\n",
            );
        }
        self.cwmp(&parts, body, peer, bound, conn_tls).await
    }

    async fn cwmp(
        &self,
        parts: &http::request::Parts,
        body: Bytes,
        peer: SocketAddr,
        bound: &Mutex<Option<String>>,
        conn_tls: &crate::tls::ConnTls,
    ) -> Response<net::Body> {
        let now = Instant::now();
        if log::enabled(log::Level::Debug) {
            let headers: Vec<String> = parts
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
                .collect();
            log::debug(
                WHO,
                format!(
                    "POST {} from {peer}, headers: {}",
                    parts.uri,
                    headers.join(" | ")
                ),
            );
        }
        let cookie = net::request_cookie(&parts.headers, "session").map(str::to_owned);
        let conn_sid = bound.lock().ok().and_then(|b| b.clone());
        let existing = {
            let sessions = self.sessions();
            match cookie
                .as_ref()
                .and_then(|c| sessions.get(c).map(|e| (c.clone(), e.clone())))
            {
                Some(found) => Some(found),
                None => conn_sid.and_then(|s| sessions.get(&s).map(|e| (s.clone(), e.clone()))),
            }
        };
        // The envelope borrows from `body`; what the ACS records it copies itself. A body that
        // does not decode is refused only once the sender is authenticated.
        let decoded = net::decode(&body);
        if let Ok(Some(d)) = &decoded {
            if log::enabled(log::Level::Debug) {
                log::debug(
                    WHO,
                    format!("received from {peer}:\n{}", String::from_utf8_lossy(&body)),
                );
                for w in &d.warnings {
                    log::debug(
                        WHO,
                        format!("decoder warning at byte {}: {}", w.offset, w.kind),
                    );
                }
            }
        }
        let (sid, entry, new_session) = match existing {
            Some((sid, entry)) => (sid, entry, false),
            None => {
                // A new session: authenticate under the device's policy (from its Inform).
                let device = decoded
                    .as_ref()
                    .ok()
                    .and_then(Option::as_ref)
                    .and_then(|d| match &d.envelope.body {
                        Body::Inform(i) => Some(device_key(&i.device_id)),
                        _ => None,
                    });
                let own_policy = match &device {
                    Some(key) => match self.inner.store.device(key).await {
                        Ok(d) => d.and_then(|d| d.auth_policy),
                        Err(e) => {
                            log::error(WHO, format!("store: {e}"));
                            return net::response(StatusCode::SERVICE_UNAVAILABLE, &[], "");
                        }
                    },
                    None => None,
                };
                let over_tls = conn_tls.transport == crate::tls::Transport::Tls;
                let uri = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                // --- auth policy (issue 14): a global --auth overrides the store's policies.
                let (policy, tls_ok) = match self.inner.config.auth {
                    crate::tls::acs::AuthPolicy::Digest => {
                        (self.inner.auth.effective(own_policy), over_tls)
                    }
                    crate::tls::acs::AuthPolicy::Basic { allow_plain_http } => {
                        if !(over_tls || allow_plain_http) {
                            log::error(
                                WHO,
                                format!(
                                    "← POST from {peer}: Basic authentication is only accepted over TLS → 403"
                                ),
                            );
                            return net::response(StatusCode::FORBIDDEN, &[], "");
                        }
                        (AuthPolicy::Basic, true)
                    }
                    crate::tls::acs::AuthPolicy::None => (AuthPolicy::None, over_tls),
                    crate::tls::acs::AuthPolicy::ClientCertificate => {
                        match conn_tls
                            .client
                            .as_ref()
                            .and_then(|c| c.common_names.first())
                        {
                            Some(cn) => {
                                log::info(
                                    WHO,
                                    format!(
                                        "{peer}: authenticated by its client certificate {cn:?}"
                                    ),
                                );
                                (AuthPolicy::None, over_tls)
                            }
                            None => {
                                log::error(
                                    WHO,
                                    format!(
                                        "← POST from {peer}: no client certificate (policy cert) → 403"
                                    ),
                                );
                                return net::response(StatusCode::FORBIDDEN, &[], "");
                            }
                        }
                    }
                };
                // --- end auth policy
                let verdict = self.inner.auth.check(
                    policy,
                    tls_ok,
                    &crate::acs_auth::request(&parts.method, uri, &body),
                    &parts.headers,
                    net::unix_now(),
                );
                let who = device.as_deref().unwrap_or("an unknown device");
                let user = match verdict {
                    Verdict::Ok { user, scheme } => {
                        if scheme == "none" {
                            log::info(
                                WHO,
                                format!("{who} from {peer}: no authentication (policy none)"),
                            );
                        }
                        log::debug(WHO, format!("{who} from {peer}: {scheme} user {user:?}"));
                        user
                    }
                    Verdict::Challenge(challenges, why) => {
                        match why {
                            None => log::info(
                                WHO,
                                format!(
                                    "← POST from {peer} ({who}) without credentials → 401 digest challenge"
                                ),
                            ),
                            Some(e) => {
                                log::info(WHO, format!("← POST from {peer} ({who}): {e} → 401"))
                            }
                        }
                        let mut r = net::response(StatusCode::UNAUTHORIZED, &[], "");
                        for c in challenges {
                            r.headers_mut().append(http::header::WWW_AUTHENTICATE, c);
                        }
                        return r;
                    }
                };
                let mut sessions = self.sessions();
                if sessions.len() >= MAX_SESSIONS {
                    return net::response(StatusCode::SERVICE_UNAVAILABLE, &[], "");
                }
                let sid = net::random_hex(16);
                let config =
                    AcsConfig::default().with_session_timeout(self.inner.config.session_timeout);
                let entry = Arc::new(tokio::sync::Mutex::new(Entry {
                    engine: AcsSession::new(config, now),
                    device: None,
                    session: 0,
                    label: format!("{peer} (user {user:?})"),
                    claims: HashMap::new(),
                    ended: false,
                    end_note: None,
                }));
                sessions.insert(sid.clone(), entry.clone());
                drop(sessions);
                if let Ok(mut b) = bound.lock() {
                    *b = Some(sid.clone());
                }
                (sid, entry, true)
            }
        };
        let mut entry = entry.lock().await;
        let decoded = match decoded {
            Ok(d) => d,
            Err(e) => {
                log::info(
                    WHO,
                    format!("session {}: ← POST from {peer}: {e} → 400", entry.label),
                );
                entry.engine.handle_close();
                self.drain(&mut entry, now).await;
                if let Some(note) = entry.end_note.take() {
                    log::info(WHO, note);
                }
                self.forget_if_ended(&sid, &entry);
                return net::response(StatusCode::BAD_REQUEST, &[], format!("{e}\n"));
            }
        };
        // --- TLS (issue 14): an Inform must come from the device its client certificate names;
        // on a mismatch the session ends and nothing of the Inform is accepted.
        if let Some(d) = &decoded {
            if let Err(e) = crate::tls::acs::check_inform(
                self.inner.config.tls.as_ref(),
                conn_tls,
                &d.envelope.body,
            ) {
                log::error(
                    WHO,
                    format!(
                        "session {}: {peer}: {e}: session ended, Inform refused",
                        entry.label
                    ),
                );
                entry.engine.handle_close();
                self.drain(&mut entry, now).await;
                if let Some(note) = entry.end_note.take() {
                    log::info(WHO, note);
                }
                self.forget_if_ended(&sid, &entry);
                return net::response(StatusCode::FORBIDDEN, &[], "");
            }
        }
        // --- end TLS
        let line = match &decoded {
            Some(d) => format!(
                "← {} id={} cwmp {}",
                summary(&d.envelope.body),
                d.envelope.header.id.as_deref().unwrap_or("-"),
                d.version
            ),
            None => "← (empty POST)".to_owned(),
        };
        match entry.engine.handle_request(decoded.map(net::incoming), now) {
            Ok(Some(received)) => self.on_received(&mut entry, received, now).await,
            Ok(None) => {}
            Err(e) => log::error(WHO, format!("session {}: engine: {e}", entry.label)),
        }
        self.drain(&mut entry, now).await;
        let reply = match entry.engine.poll_reply() {
            Some(Reply::Envelope { envelope, version }) => Some((
                format!(
                    "→ 200 {} id={}",
                    summary(&envelope.body),
                    envelope.header.id.as_deref().unwrap_or("-")
                ),
                net::encode(envelope, version),
            )),
            Some(Reply::NoContent) | None => None,
        };
        self.drain(&mut entry, now).await;
        log::info(
            WHO,
            format!(
                "session {}: {line} {}",
                entry.label,
                reply
                    .as_ref()
                    .map(|(l, _)| l.as_str())
                    .unwrap_or("→ 204 No Content")
            ),
        );
        if let Some(note) = entry.end_note.take() {
            log::info(WHO, note);
        }
        self.forget_if_ended(&sid, &entry);
        drop(entry);
        self.inner.changed.notify_waiters();
        let mut headers: Vec<(&str, String)> = Vec::new();
        if new_session {
            headers.push(("set-cookie", format!("session={sid}; Path=/; HttpOnly")));
        }
        match reply {
            Some((_, bytes)) => {
                log::debug(WHO, String::from_utf8_lossy(&bytes));
                headers.push(("content-type", cwmp_core::session::CONTENT_TYPE.into()));
                let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                net::response(StatusCode::OK, &h, bytes)
            }
            None => {
                let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                net::response(StatusCode::NO_CONTENT, &h, Bytes::new())
            }
        }
    }

    fn forget_if_ended(&self, sid: &str, entry: &Entry) {
        if entry.ended {
            self.sessions().remove(sid);
        }
    }

    /// Records what the CPE sent.
    async fn on_received(&self, entry: &mut Entry, received: Received<'_>, now: Instant) {
        let store = &self.inner.store;
        match received {
            Received::Inform { inform, .. } => {
                let key = device_key(&inform.device_id);
                let recorded = match store
                    .record_inform(&key, &inform, &self.inner.config.instance)
                    .await
                {
                    Ok(r) => r,
                    Err(e) => {
                        log::error(WHO, format!("device {key}: store: {e}"));
                        return;
                    }
                };
                entry.device = Some(key.clone());
                entry.session = recorded.session;
                entry.label = format!("{key}#{}", recorded.session);
                if inform.events.is_empty() {
                    log::info(
                        WHO,
                        format!("session {}: an Inform without any event", entry.label),
                    );
                }
                if recorded.new_device {
                    let initial = match self.inner.initial_queue.lock() {
                        Ok(mut q) => std::mem::take(&mut *q),
                        Err(_) => Vec::new(),
                    };
                    if !initial.is_empty() {
                        if let Err(e) = store.enqueue(&key, &initial).await {
                            log::error(
                                WHO,
                                format!("device {key}: cannot queue --queue RPCs: {e}"),
                            );
                        }
                    }
                }
            }
            Received::CpeRequest { request, .. } => {
                if let Some(key) = &entry.device {
                    let event = HistoryEvent::CpeRequest {
                        method: request.name().to_owned(),
                        request: Some(request.into_owned()),
                    };
                    if let Err(e) = store
                        .add_history(key, Some(entry.session), None, &event)
                        .await
                    {
                        log::error(WHO, format!("session {}: store: {e}", entry.label));
                    }
                }
            }
            Received::Response {
                handle,
                request: _,
                response,
            } => {
                let Some(claim) = entry.claims.remove(&handle) else {
                    log::error(
                        WHO,
                        format!("session {}: answer to an unknown request", entry.label),
                    );
                    return;
                };
                if let (Some(key), Body::GetParameterValuesResponse(r)) = (&entry.device, &response)
                {
                    if let Err(e) = store.record_parameters(key, &r.parameters).await {
                        log::error(WHO, format!("session {}: store: {e}", entry.label));
                    }
                }
                let follow_up = match &response {
                    Body::GetParameterNamesResponse(r) if self.inner.config.read_after_gpn => {
                        let leaves: Vec<_> = r
                            .parameters
                            .iter()
                            .filter(|p| !p.name.ends_with('.'))
                            .map(|p| std::borrow::Cow::Owned(p.name.to_string()))
                            .collect();
                        (!leaves.is_empty()).then(|| {
                            Body::from(GetParameterValues {
                                parameter_names: leaves,
                            })
                        })
                    }
                    _ => None,
                };
                match store
                    .complete(claim.id, claim.attempt, &Outcome::Response(response))
                    .await
                {
                    Ok(()) => {}
                    Err(e) => log::error(
                        WHO,
                        format!("session {}: RPC {}: {e}", entry.label, claim.id),
                    ),
                }
                if let (Some(body), Some(key)) = (follow_up, &entry.device) {
                    // Queued in the store like any other, so it survives this session too.
                    match store.enqueue(key, &[body]).await {
                        Ok(_) => log::debug(
                            WHO,
                            format!("session {}: GPV of the names returned", entry.label),
                        ),
                        Err(e) => log::error(WHO, format!("session {}: {e}", entry.label)),
                    }
                }
                let _ = now;
            }
            Received::Fault {
                handle,
                request: _,
                fault,
            } => {
                let Some(claim) = entry.claims.remove(&handle) else {
                    return;
                };
                if let Err(e) = store
                    .complete(claim.id, claim.attempt, &Outcome::Fault(fault))
                    .await
                {
                    log::error(
                        WHO,
                        format!("session {}: RPC {}: {e}", entry.label, claim.id),
                    );
                }
            }
            _ => {}
        }
    }

    /// Drains a session's events: when the CPE waits for the next request, the head of the
    /// device's queue is claimed from the store and sent, else the session ends; a request a
    /// dead session did not finish goes back to the head of the queue in the store.
    async fn drain(&self, entry: &mut Entry, now: Instant) {
        let store = &self.inner.store;
        let mut abandoned: Vec<RequestHandle> = Vec::new();
        while let Some(event) = entry.engine.poll_event() {
            match event {
                AcsEvent::Idle => {
                    if !entry.engine.is_idle() {
                        continue;
                    }
                    let claimed = match &entry.device {
                        Some(key) => {
                            let session = SessionRef {
                                instance: self.inner.config.instance.clone(),
                                session: entry.session,
                            };
                            match store.claim_next(key, &session).await {
                                Ok(c) => c,
                                Err(e) => {
                                    log::error(WHO, format!("session {}: store: {e}", entry.label));
                                    None
                                }
                            }
                        }
                        None => None,
                    };
                    match claimed {
                        Some(c) => {
                            let method = c.request.name().to_owned();
                            match entry.engine.enqueue(c.request, now) {
                                Ok(h) => {
                                    entry.claims.insert(
                                        h,
                                        Claim {
                                            id: c.id,
                                            attempt: c.attempt,
                                        },
                                    );
                                    log::debug(
                                        WHO,
                                        format!(
                                            "session {}: RPC {} ({method}, attempt {}) sent as {}",
                                            entry.label,
                                            c.id,
                                            c.attempt,
                                            entry.engine.request_id(h)
                                        ),
                                    );
                                }
                                Err(e) => {
                                    log::error(
                                        WHO,
                                        format!("session {}: RPC {}: {e}", entry.label, c.id),
                                    );
                                    let _ = store
                                        .requeue(c.id, c.attempt, AbandonReason::ProtocolError)
                                        .await;
                                }
                            }
                        }
                        None => {
                            if let Err(e) = entry.engine.finish(now) {
                                log::error(WHO, format!("session {}: engine: {e}", entry.label));
                            }
                        }
                    }
                }
                AcsEvent::RequestAbandoned { handle, .. } => abandoned.push(handle),
                AcsEvent::SessionEnded {
                    success: _,
                    failure,
                } => {
                    entry.ended = true;
                    let reason = abandon_reason(failure.as_ref());
                    for handle in abandoned.drain(..) {
                        let Some(claim) = entry.claims.remove(&handle) else {
                            continue;
                        };
                        match store.requeue(claim.id, claim.attempt, reason).await {
                            Ok(outcome) => log::info(
                                WHO,
                                format!(
                                    "session {}: RPC {} unanswered: {}",
                                    entry.label,
                                    claim.id,
                                    requeue_text(&outcome)
                                ),
                            ),
                            Err(e) => log::error(
                                WHO,
                                format!("session {}: RPC {}: {e}", entry.label, claim.id),
                            ),
                        }
                    }
                    let text = failure.as_ref().map(failure_text);
                    entry.end_note = Some(match &text {
                        None => format!("session {} ended", entry.label),
                        Some(t) => format!("session {} failed: {t}", entry.label),
                    });
                    if let Some(key) = &entry.device {
                        if let Err(e) = store
                            .record_session_end(key, entry.session, text.as_deref())
                            .await
                        {
                            log::error(WHO, format!("session {}: store: {e}", entry.label));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    async fn sweep(&self, now: Instant) {
        let all: Vec<(String, Shared)> = self
            .sessions()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut changed = false;
        for (sid, shared) in all {
            let Ok(mut entry) = shared.try_lock() else {
                continue;
            };
            if entry.engine.poll_timeout().is_some_and(|t| t <= now) {
                entry.engine.handle_timeout(now);
                self.drain(&mut entry, now).await;
                if let Some(note) = entry.end_note.take() {
                    log::info(WHO, note);
                }
                changed = true;
            }
            if entry.engine.is_ended() {
                entry.ended = true;
            }
            self.forget_if_ended(&sid, &entry);
        }
        if changed {
            self.inner.changed.notify_waiters();
        }
    }

    /// Queues RPCs for a device's next session. Returns how many were queued.
    pub async fn queue(&self, device: &str, bodies: Vec<Body<'static>>) -> Result<usize, String> {
        let ids = self
            .inner
            .store
            .enqueue(device, &bodies)
            .await
            .map_err(|e| e.to_string())?;
        self.inner.changed.notify_waiters();
        Ok(ids.len())
    }

    /// A device's record, assembled from the store.
    pub async fn device(&self, id: &str) -> Option<Device> {
        let store = &self.inner.store;
        let d = store.device(id).await.ok()??;
        let pending = store.pending(id).await.unwrap_or_default();
        let mut results = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .finished(id, after, MAX_RESULTS)
                .await
                .unwrap_or_default();
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            results.extend(page);
            if results.len() >= 100 * MAX_RESULTS as usize {
                break;
            }
        }
        let skip = results.len().saturating_sub(MAX_RESULTS as usize);
        let mut cpe_requests = Vec::new();
        let mut after = None;
        loop {
            let Ok(page) = store.history(id, after, 1000).await else {
                break;
            };
            for e in &page.entries {
                if let HistoryEvent::CpeRequest { method, request } = &e.event {
                    cpe_requests.push(request.as_ref().map_or_else(|| method.clone(), summary));
                }
            }
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        // issue 16: how else the device can be woken up, from the parameters it reported.
        let seen = store.parameters(id).await.unwrap_or_default();
        Some(Device {
            id: d.id,
            device_id: d.device_id,
            connection_request_url: d.connection_request_url,
            udp_connection_request_address: reported(
                &seen,
                "ManagementServer.UDPConnectionRequestAddress",
            ),
            conn_req_jabber_id: reported(&seen, "ManagementServer.ConnReqJabberID"),
            last_events: d.last_events,
            sessions: n(d.sessions),
            sessions_completed: n(d.sessions_completed),
            sessions_failed: n(d.sessions_failed),
            queued: pending.into_iter().map(|r| r.request).collect(),
            results: results
                .into_iter()
                .skip(skip)
                .map(|r| Exchange {
                    session: r.session.map(|s| n(s.session)).unwrap_or(0),
                    id: r.id.to_string(),
                    request: r.request,
                    response: r.response,
                    fault: r.fault,
                })
                .collect(),
            cpe_requests,
        })
    }

    /// Every device's record.
    pub async fn devices(&self) -> Vec<Device> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let Ok(page) = self.inner.store.devices(after.as_deref(), 1000).await else {
                break;
            };
            for d in &page.devices {
                if let Some(dev) = self.device(&d.id).await {
                    out.push(dev);
                }
            }
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        out
    }

    /// Waits until `pred` holds on the devices, or `timeout`. Returns whether it held.
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&[Device]) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            if pred(&self.devices().await) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return pred(&self.devices().await);
            }
        }
    }

    /// Sends a Connection Request (HTTP GET with digest) to a device, with its own credentials
    /// when set, else the ACS's. `Ok("accepted")` on 200/204, `Ok("busy")` on 503. Recorded in
    /// the device's history.
    pub async fn connection_request(&self, device: &str) -> Result<&'static str, String> {
        self.cr(device).await.map_err(|e| e.message)
    }

    async fn cr(&self, device: &str) -> Result<&'static str, AdminError> {
        let store = &self.inner.store;
        // --- issue 16: UDP when the device reported an address, XMPP when the ACS has an
        // account and the device a ConnReqJabberID, HTTP otherwise.
        let seen = store.parameters(device).await.map_err(AdminError::from)?;
        let c = &self.inner.config;
        let woken = crate::transport::acs_side::connection_request(
            &c.transports,
            reported(&seen, "ManagementServer.UDPConnectionRequestAddress").as_deref(),
            reported(&seen, "ManagementServer.ConnReqJabberID").as_deref(),
            &c.cr_username,
            &c.cr_password,
        )
        .await;
        // --- end issue 16
        let result = match woken {
            Some(result) => result,
            None => {
                let target = store.cr_target(device).await.map_err(AdminError::from)?;
                let Some(target) = target else {
                    return Err(AdminError {
                        status: StatusCode::CONFLICT,
                        code: "no_connection_request_url",
                        message: format!("{device} reported no ConnectionRequestURL"),
                    });
                };
                self.send_connection_request(device, &target).await
            }
        };
        let text = match &result {
            Ok(r) => (*r).to_owned(),
            Err(e) => e.clone(),
        };
        let _ = store
            .add_history(
                device,
                None,
                None,
                &HistoryEvent::ConnectionRequest { result: text },
            )
            .await;
        result.map_err(|message| AdminError {
            status: StatusCode::BAD_GATEWAY,
            code: "connection_request_failed",
            message,
        })
    }

    async fn send_connection_request(
        &self,
        device: &str,
        target: &crate::acs_store::CrTarget,
    ) -> Result<&'static str, String> {
        let url = HttpUrl::parse(&target.url)?;
        let (user, pass) = match &target.credentials {
            Some(c) => (c.username.clone(), c.password.clone()),
            None => (
                self.inner.config.cr_username.clone(),
                self.inner.config.cr_password.clone(),
            ),
        };
        let mut cr = ConnectionRequestClient::new(user, pass);
        let mut client = net::Client::connect_tls(&url, self.inner.config.cr_tls.as_ref()).await?;
        let mut authorization = None;
        for _ in 0..3 {
            let mut req = Request::builder()
                .method(Method::GET)
                .uri(url.path.as_str())
                .header(http::header::HOST, url.authority());
            if let Some(a) = &authorization {
                req = req.header(http::header::AUTHORIZATION, a);
            }
            let req = req
                .body(net::Body::default())
                .map_err(|e| format!("building request: {e}"))?;
            if log::enabled(log::Level::Debug) {
                let h: Vec<String> = req
                    .headers()
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
                    .collect();
                log::debug(
                    WHO,
                    format!(
                        "connection request to {device}: GET {url} | {}",
                        h.join(" | ")
                    ),
                );
            }
            let resp = match tokio::time::timeout(Duration::from_secs(10), client.send(req)).await {
                Ok(r) => r?,
                Err(_) => return Err("connection request timed out".into()),
            };
            if log::enabled(log::Level::Debug) {
                let h: Vec<String> = resp
                    .headers()
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
                    .collect();
                log::debug(
                    WHO,
                    format!(
                        "connection request to {device}: ← {} | {}",
                        resp.status(),
                        h.join(" | ")
                    ),
                );
            }
            log::info(
                WHO,
                format!(
                    "connection request to {device}: GET {url}{} → {}",
                    if authorization.is_some() {
                        " (digest)"
                    } else {
                        ""
                    },
                    resp.status().as_u16()
                ),
            );
            let next = cr
                .on_response(
                    resp.status(),
                    resp.headers()
                        .get_all(http::header::WWW_AUTHENTICATE)
                        .iter(),
                    &url.path,
                    &mut cwmp_auth::OsRandom,
                )
                .map_err(|e| format!("connection request: {e}"))?;
            match next {
                Next::Done => return Ok("accepted"),
                Next::Busy => return Ok("busy"),
                Next::SendWithAuthorization(v) => {
                    if resp
                        .headers()
                        .get(http::header::CONNECTION)
                        .is_some_and(|c| c == "close")
                    {
                        client = net::Client::connect_tls(&url, self.inner.config.cr_tls.as_ref())
                            .await?;
                    }
                    authorization = Some(v);
                }
                _ => return Err("connection request: unexpected step".into()),
            }
        }
        Err("connection request: no answer after 3 attempts".into())
    }
}

impl AdminHooks for Acs {
    async fn connection_request(&self, device: &str) -> Result<&'static str, AdminError> {
        self.cr(device).await
    }

    fn queued(&self, _device: &str) {
        self.inner.changed.notify_waiters();
    }
}

fn requeue_text(outcome: &RequeueOutcome) -> String {
    match outcome {
        RequeueOutcome::Requeued { attempts } => {
            format!("back at the head of the queue after {attempts} attempt(s)")
        }
        RequeueOutcome::GaveUp { attempts } => format!("given up after {attempts} attempt(s)"),
    }
}
