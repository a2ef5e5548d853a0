//! The reference ACS: HTTP/1.1 over tokio + hyper, digest authentication of CPEs (stateless
//! nonces), sessions keyed by a cookie (`Set-Cookie: session=…; Path=/`, with the TCP
//! connection as fallback for CPEs without cookies), one `cwmp_core::session::acs::AcsSession`
//! engine per session, a per-device queue of RPCs, connection requests, and a JSON admin API:
//!
//! - `GET  /admin/devices`: every device seen, with its results.
//! - `GET  /admin/devices/{id}`: one device.
//! - `POST /admin/devices/{id}/queue`: queue RPCs (a cwmp-core serde `Body`, a list of them, or
//!   `--queue` short forms as JSON strings).
//! - `POST /admin/devices/{id}/connection-request`: send a digest Connection Request.
//!
//! Device ids are `OUI-ProductClass-SerialNumber` (`OUI-SerialNumber` without a class).

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cwmp_auth::connreq::{ConnectionRequestClient, Next};
use cwmp_auth::digest::Users;
use cwmp_core::Body;
use cwmp_core::fault::Fault;
use cwmp_core::rpc::DeviceId;
use cwmp_core::rpc::GetParameterValues;
use cwmp_core::session::acs::{AcsConfig, AcsEvent, AcsFailure, AcsSession, Received, Reply};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::auth::{Check, DigestGuard};
use crate::log;
use crate::net::{self, HttpUrl};
use crate::rpcs::summary;

const WHO: &str = "acs";

/// Most sessions held at once.
pub const MAX_SESSIONS: usize = 1024;
/// Most devices remembered.
pub const MAX_DEVICES: usize = 10_000;
/// Most results kept per device (oldest dropped).
pub const MAX_RESULTS: usize = 1000;
/// Most RPCs queued per device.
pub const MAX_QUEUE: usize = 1000;

/// Settings of the ACS.
#[derive(Debug, Clone)]
pub struct Config {
    /// Digest realm.
    pub realm: String,
    /// CPE credentials (ManagementServer.Username / Password of the devices).
    pub users: Users,
    /// Credentials for Connection Requests (the devices' ConnectionRequestUsername/Password).
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
            transports: Default::default(),
        }
    }
}

/// The outcome of one RPC the ACS sent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exchange {
    /// The session number (per device, from 1).
    pub session: u32,
    /// The cwmp:ID it was sent with.
    pub id: String,
    /// The request.
    pub request: Body<'static>,
    /// The response, when the CPE answered with one.
    pub response: Option<Body<'static>>,
    /// The fault, when the CPE answered with one.
    pub fault: Option<Fault<'static>>,
}

/// What the ACS knows about a device.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Device {
    /// `OUI-ProductClass-SerialNumber`.
    pub id: String,
    /// From its last Inform.
    pub device_id: DeviceId<'static>,
    /// Its ConnectionRequestURL, from its last Inform.
    pub connection_request_url: Option<String>,
    /// Its UDPConnectionRequestAddress (STUN-mapped), from its last Inform (issue 16).
    pub udp_connection_request_address: Option<String>,
    /// Its ConnReqJabberID, from its last Inform (issue 16).
    pub conn_req_jabber_id: Option<String>,
    /// Event codes of its last Inform.
    pub last_events: Vec<String>,
    /// Sessions that ended normally.
    pub sessions_completed: u32,
    /// Sessions that failed.
    pub sessions_failed: u32,
    /// RPCs waiting for its next session.
    pub queued: Vec<Body<'static>>,
    /// RPCs answered, oldest first.
    pub results: Vec<Exchange>,
    /// Requests the CPE sent (TransferComplete …), as summaries.
    pub cpe_requests: Vec<String>,
    #[serde(skip)]
    sessions: u32,
    #[serde(skip)]
    active: Option<String>,
}

struct Entry {
    engine: AcsSession,
    device: Option<String>,
    user: String,
}

#[derive(Default)]
struct State {
    sessions: HashMap<String, Entry>,
    devices: BTreeMap<String, Device>,
    initial_queue: Vec<Body<'static>>,
}

struct Inner {
    config: Config,
    guard: DigestGuard,
    state: Mutex<State>,
    changed: Notify,
}

/// A running ACS (cheap to clone; every clone is the same server).
#[derive(Clone)]
pub struct Acs {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Acs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acs").finish_non_exhaustive()
    }
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

impl Acs {
    /// An ACS with these settings.
    pub fn new(config: Config) -> Result<Acs, String> {
        let guard = DigestGuard::new(&config.realm, config.users.clone())
            .map_err(|e| format!("digest setup: {e}"))?;
        let state = State {
            initial_queue: config.initial_queue.clone(),
            ..State::default()
        };
        Ok(Acs {
            inner: Arc::new(Inner {
                config,
                guard,
                state: Mutex::new(state),
                changed: Notify::new(),
            }),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        match self.inner.state.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        }
    }

    /// Serves CPEs and the admin API on `listener` until `shutdown` resolves.
    pub async fn serve(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        let sweeper = {
            let acs = self.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(500));
                loop {
                    tick.tick().await;
                    acs.sweep(Instant::now());
                }
            })
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
        sweeper.abort();
    }

    async fn connection(self, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let bound: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let svc = {
            let acs = self.clone();
            let bound = bound.clone();
            hyper::service::service_fn(move |req: Request<Incoming>| {
                let acs = acs.clone();
                let bound = bound.clone();
                async move { Ok::<_, Infallible>(acs.request(req, peer, &bound).await) }
            })
        };
        let conn = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), svc);
        if let Err(e) = conn.await {
            log::debug(WHO, format!("connection from {peer}: {e}"));
        }
        // A closed connection does not end the session: a CPE may come back on a new
        // connection with the session cookie (QUIRKS 33); the engine's timeout ends sessions
        // that are abandoned.
    }

    async fn request(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        bound: &Mutex<Option<String>>,
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
            return self.admin(&parts.method, &path, &body).await;
        }
        if parts.method != Method::POST {
            return net::response(
                StatusCode::METHOD_NOT_ALLOWED,
                &[("allow", "POST")],
                "CWMP endpoint: POST only\n",
            );
        }
        let uri = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        self.cwmp(&parts, &uri, body, peer, bound)
    }

    fn cwmp(
        &self,
        parts: &http::request::Parts,
        uri: &str,
        body: Bytes,
        peer: SocketAddr,
        bound: &Mutex<Option<String>>,
    ) -> Response<net::Body> {
        let now = Instant::now();
        let cookie = net::request_cookie(&parts.headers, "session").map(str::to_owned);
        let conn_sid = bound.lock().ok().and_then(|b| b.clone());
        let mut st = self.state();
        let sid = match cookie {
            Some(c) if st.sessions.contains_key(&c) => Some(c),
            _ => conn_sid.filter(|s| st.sessions.get(s).is_some_and(|e| !e.engine.is_ended())),
        };
        let (sid, new_session, user) = match sid {
            Some(sid) => (sid, false, String::new()),
            None => {
                drop(st);
                let user = match self
                    .inner
                    .guard
                    .check(&parts.method, uri, &body, &parts.headers)
                {
                    Check::Ok(user) => user,
                    Check::Challenge(challenges, why) => {
                        match why {
                            None => log::info(
                                WHO,
                                format!(
                                    "← POST from {peer} without credentials → 401 digest challenge"
                                ),
                            ),
                            Some(e) => log::info(WHO, format!("← POST from {peer}: {e} → 401")),
                        }
                        let mut r = net::response(StatusCode::UNAUTHORIZED, &[], "");
                        for c in challenges {
                            r.headers_mut().append(http::header::WWW_AUTHENTICATE, c);
                        }
                        return r;
                    }
                };
                st = self.state();
                if st.sessions.len() >= MAX_SESSIONS {
                    return net::response(StatusCode::SERVICE_UNAVAILABLE, &[], "");
                }
                let sid = net::random_hex(16);
                let mut config = AcsConfig::default();
                config.session_timeout = self.inner.config.session_timeout;
                st.sessions.insert(
                    sid.clone(),
                    Entry {
                        engine: AcsSession::new(config, now),
                        device: None,
                        user: user.clone(),
                    },
                );
                if let Ok(mut b) = bound.lock() {
                    *b = Some(sid.clone());
                }
                (sid, true, user)
            }
        };
        // The envelope borrows from `body`; the engine keeps only IDs, and what the ACS
        // records it copies itself.
        let decoded = match net::decode(&body) {
            Ok(d) => d,
            Err(e) => {
                log::error(WHO, format!("{peer}: {e}"));
                if let Some(entry) = st.sessions.get_mut(&sid) {
                    entry.engine.handle_close();
                }
                self.drain(&mut st, &sid, now);
                return net::response(StatusCode::BAD_REQUEST, &[], format!("{e}\n"));
            }
        };
        let Some(entry) = st.sessions.get_mut(&sid) else {
            return net::response(StatusCode::INTERNAL_SERVER_ERROR, &[], "");
        };
        match &decoded {
            Some(d) => {
                let who = if new_session {
                    format!(" (digest user {user:?}, new session)")
                } else {
                    String::new()
                };
                log::info(
                    WHO,
                    format!(
                        "← POST {} id={} cwmp {}{who}",
                        summary(&d.envelope.body),
                        d.envelope.header.id.as_deref().unwrap_or("-"),
                        d.version,
                    ),
                );
                for w in &d.warnings {
                    log::debug(
                        WHO,
                        format!("decoder warning at byte {}: {}", w.offset, w.kind),
                    );
                }
            }
            None => log::info(WHO, "← POST (empty)"),
        }
        match entry.engine.handle_request(decoded.map(net::incoming), now) {
            Ok(Some(received)) => self.on_received(&mut st, &sid, received, now),
            Ok(None) => {}
            Err(e) => log::error(WHO, format!("session engine: {e}")),
        }
        self.drain(&mut st, &sid, now);
        let mut headers: Vec<(&str, String)> = Vec::new();
        if new_session {
            headers.push(("set-cookie", format!("session={sid}; Path=/; HttpOnly")));
        }
        // The reply borrows its envelope from the engine: encode it before letting go.
        let reply = match st.sessions.get_mut(&sid) {
            Some(entry) => match entry.engine.poll_reply() {
                Some(Reply::Envelope { envelope, version }) => {
                    log::info(
                        WHO,
                        format!(
                            "→ 200 {} id={} cwmp {version}",
                            summary(&envelope.body),
                            envelope.header.id.as_deref().unwrap_or("-")
                        ),
                    );
                    Some(net::encode(envelope, version))
                }
                Some(Reply::NoContent) | None => None,
            },
            // The session ended with this POST (an aborted session) and is gone.
            None => None,
        };
        self.drain(&mut st, &sid, now);
        drop(st);
        self.inner.changed.notify_waiters();
        match reply {
            Some(bytes) => {
                log::debug(WHO, String::from_utf8_lossy(&bytes));
                headers.push(("content-type", cwmp_core::session::CONTENT_TYPE.into()));
                let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                net::response(StatusCode::OK, &h, bytes)
            }
            None => {
                log::info(WHO, "→ 204 No Content (session over)");
                let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                net::response(StatusCode::NO_CONTENT, &h, Bytes::new())
            }
        }
    }

    /// Records what the CPE sent and decides what follows from it.
    fn on_received(&self, st: &mut State, sid: &str, received: Received<'_>, now: Instant) {
        let current = st.sessions.get(sid).and_then(|e| e.device.clone());
        match received {
            Received::Inform { inform, .. } => {
                let key = device_key(&inform.device_id);
                if let Some(entry) = st.sessions.get_mut(sid) {
                    entry.device = Some(key.clone());
                }
                let cr_url = inform
                    .parameters
                    .iter()
                    .find(|p| p.name.ends_with("ManagementServer.ConnectionRequestURL"))
                    .map(|p| p.value.text.to_string());
                let param = |leaf: &str| {
                    inform
                        .parameters
                        .iter()
                        .find(|p| p.name.ends_with(leaf))
                        .map(|p| p.value.text.to_string())
                };
                let udp_addr = param("ManagementServer.UDPConnectionRequestAddress");
                let jabber_id = param("ManagementServer.ConnReqJabberID");
                let events: Vec<String> = inform
                    .events
                    .iter()
                    .map(|e| e.code.as_str().to_owned())
                    .collect();
                if events.is_empty() {
                    log::info(WHO, format!("device {key}: an Inform without any event"));
                }
                if !st.devices.contains_key(&key) && st.devices.len() >= MAX_DEVICES {
                    log::error(WHO, "too many devices; not recording");
                    return;
                }
                let mut initial = std::mem::take(&mut st.initial_queue);
                let device_id = inform.device_id.into_owned();
                let dev = st.devices.entry(key.clone()).or_insert_with(|| Device {
                    id: key.clone(),
                    device_id: device_id.clone(),
                    connection_request_url: None,
                    udp_connection_request_address: None,
                    conn_req_jabber_id: None,
                    last_events: Vec::new(),
                    sessions_completed: 0,
                    sessions_failed: 0,
                    queued: Vec::new(),
                    results: Vec::new(),
                    cpe_requests: Vec::new(),
                    sessions: 0,
                    active: None,
                });
                dev.queued.append(&mut initial);
                dev.device_id = device_id;
                dev.connection_request_url = cr_url;
                // issue 16: how else the device can be woken up.
                dev.udp_connection_request_address = udp_addr;
                dev.conn_req_jabber_id = jabber_id;
                dev.last_events = events;
                dev.sessions = dev.sessions.saturating_add(1);
                dev.active = Some(sid.to_owned());
                log::info(
                    WHO,
                    format!(
                        "device {key}: session {}, {} RPC(s) to send",
                        dev.sessions,
                        dev.queued.len()
                    ),
                );
            }
            Received::CpeRequest { request, .. } => {
                if let Some(dev) = current.and_then(|k| st.devices.get_mut(&k)) {
                    push_bounded(&mut dev.cpe_requests, summary(&request));
                }
            }
            Received::Response {
                handle,
                request,
                response,
            } => {
                let follow_up = match &response {
                    Body::GetParameterNamesResponse(r) if self.inner.config.read_after_gpn => {
                        let leaves: Vec<String> = r
                            .parameters
                            .iter()
                            .filter(|p| !p.name.ends_with('.'))
                            .map(|p| p.name.to_string())
                            .collect();
                        (!leaves.is_empty()).then(|| GetParameterValues::new(leaves))
                    }
                    _ => None,
                };
                let id = st
                    .sessions
                    .get(sid)
                    .map(|e| e.engine.request_id(handle))
                    .unwrap_or_default();
                if let Some(dev) = current.and_then(|k| st.devices.get_mut(&k)) {
                    let ex = Exchange {
                        session: dev.sessions,
                        id,
                        request,
                        response: Some(response.into_owned()),
                        fault: None,
                    };
                    push_bounded(&mut dev.results, ex);
                }
                if let (Some(gpv), Some(entry)) = (follow_up, st.sessions.get_mut(sid)) {
                    // The next request depends on this answer: read what exists, in the same
                    // session.
                    log::info(
                        WHO,
                        format!(
                            "reading the {} names it returned",
                            gpv.parameter_names.len()
                        ),
                    );
                    if let Err(e) = entry.engine.enqueue(gpv.into(), now) {
                        log::error(WHO, format!("cannot queue the follow-up read: {e}"));
                    }
                }
            }
            Received::Fault {
                handle,
                request,
                fault,
            } => {
                let id = st
                    .sessions
                    .get(sid)
                    .map(|e| e.engine.request_id(handle))
                    .unwrap_or_default();
                if let Some(dev) = current.and_then(|k| st.devices.get_mut(&k)) {
                    let ex = Exchange {
                        session: dev.sessions,
                        id,
                        request,
                        response: None,
                        fault: Some(fault.into_owned()),
                    };
                    push_bounded(&mut dev.results, ex);
                }
            }
            _ => {}
        }
    }

    /// Drains a session's events: when the CPE waits for the next request, the device's queue
    /// (including what the admin API added during the session) is sent, else the session ends;
    /// a request a dead session did not finish goes back to the head of the device's queue.
    /// Removes the session once ended.
    fn drain(&self, st: &mut State, sid: &str, now: Instant) {
        let mut ended = false;
        let mut abandoned = Vec::new();
        loop {
            let Some(entry) = st.sessions.get_mut(sid) else {
                return;
            };
            let Some(event) = entry.engine.poll_event() else {
                break;
            };
            let current = entry.device.clone();
            match event {
                AcsEvent::Idle => {
                    if !entry.engine.is_idle() {
                        continue;
                    }
                    let work: Vec<Body<'static>> = current
                        .as_ref()
                        .and_then(|k| st.devices.get_mut(k))
                        .map(|d| d.queued.drain(..).collect())
                        .unwrap_or_default();
                    let Some(entry) = st.sessions.get_mut(sid) else {
                        return;
                    };
                    if work.is_empty() {
                        if let Err(e) = entry.engine.finish(now) {
                            log::error(WHO, format!("session engine: {e}"));
                        }
                    }
                    for body in work {
                        let name = body.name().to_owned();
                        match entry.engine.enqueue(body, now) {
                            Ok(h) => log::debug(
                                WHO,
                                format!("queued {name} as {}", entry.engine.request_id(h)),
                            ),
                            Err(e) => log::error(WHO, format!("cannot queue {name}: {e}")),
                        }
                    }
                }
                AcsEvent::RequestAbandoned { request, sent, .. } => {
                    log::info(
                        WHO,
                        format!(
                            "{} {} back in the queue: the session ended first",
                            request.name(),
                            if sent {
                                "(sent, unanswered)"
                            } else {
                                "(not sent)"
                            }
                        ),
                    );
                    abandoned.push(request);
                }
                AcsEvent::SessionEnded { success, failure } => {
                    ended = true;
                    if let Some(dev) = current.and_then(|k| st.devices.get_mut(&k)) {
                        dev.active = None;
                        let back = std::mem::take(&mut abandoned);
                        dev.queued.splice(0..0, back);
                        if success {
                            dev.sessions_completed = dev.sessions_completed.saturating_add(1);
                        } else {
                            dev.sessions_failed = dev.sessions_failed.saturating_add(1);
                        }
                        log::info(
                            WHO,
                            match &failure {
                                None => {
                                    format!("device {}: session {} ended", dev.id, dev.sessions)
                                }
                                Some(f) => format!(
                                    "device {}: session {} failed: {}",
                                    dev.id,
                                    dev.sessions,
                                    failure_text(f)
                                ),
                            },
                        );
                    } else if let Some(f) = failure {
                        log::info(
                            WHO,
                            format!("session failed before an Inform: {}", failure_text(&f)),
                        );
                    }
                }
                _ => {}
            }
        }
        if ended {
            if let Some(entry) = st.sessions.remove(sid) {
                log::debug(WHO, format!("session of {:?} removed", entry.user));
            }
        }
    }

    fn sweep(&self, now: Instant) {
        let mut st = self.state();
        let due: Vec<String> = st
            .sessions
            .iter()
            .filter(|(_, e)| e.engine.poll_timeout().is_some_and(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        for sid in due {
            if let Some(e) = st.sessions.get_mut(&sid) {
                e.engine.handle_timeout(now);
            }
            self.drain(&mut st, &sid, now);
        }
        drop(st);
        self.inner.changed.notify_waiters();
    }

    /// Queues RPCs for a device's next session (or the current one, if the ACS still has
    /// requests to send in it). Returns how many were accepted.
    pub fn queue(&self, device: &str, bodies: Vec<Body<'static>>) -> Result<usize, String> {
        let mut st = self.state();
        let st = &mut *st;
        let dev = st
            .devices
            .get_mut(device)
            .ok_or_else(|| format!("unknown device {device:?}"))?;
        if dev.queued.len() + bodies.len() > MAX_QUEUE {
            return Err(format!("queue of {device} is full"));
        }
        for b in &bodies {
            if !b.is_request() || b.side() == Some(cwmp_core::envelope::Side::Acs) {
                return Err(format!("{} is not a request an ACS sends", b.name()));
            }
        }
        let n = bodies.len();
        // A live session takes it when the CPE is next ready for a request.
        dev.queued.extend(bodies);
        Ok(n)
    }

    /// A copy of a device's record.
    pub fn device(&self, id: &str) -> Option<Device> {
        self.state().devices.get(id).cloned()
    }

    /// Every device's record.
    pub fn devices(&self) -> Vec<Device> {
        self.state().devices.values().cloned().collect()
    }

    /// Waits until `pred` holds on the devices, or `timeout`. Returns whether it held.
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&[Device]) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            if pred(&self.devices()) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return pred(&self.devices());
            }
        }
    }

    /// Sends a Connection Request to a device: the signed UDP request when it reported a
    /// `UDPConnectionRequestAddress` (`Ok("sent over UDP")`), else the XMPP IQ when the ACS has
    /// an XMPP account and the device a `ConnReqJabberID`, else an HTTP GET with digest.
    /// `Ok("accepted")` on 200/204 or an XMPP result, `Ok("busy")` on 503 or
    /// service-unavailable.
    pub async fn connection_request(&self, device: &str) -> Result<&'static str, String> {
        let dev = self
            .device(device)
            .ok_or_else(|| format!("unknown device {device:?}"))?;
        // issue 16: UDP when the device reported an address, XMPP when configured.
        let c = &self.inner.config;
        if let Some(r) = crate::transport::acs_side::connection_request(
            &c.transports,
            dev.udp_connection_request_address.as_deref(),
            dev.conn_req_jabber_id.as_deref(),
            &c.cr_username,
            &c.cr_password,
        )
        .await
        {
            return r;
        }
        let url = dev
            .connection_request_url
            .filter(|u| !u.is_empty())
            .ok_or_else(|| format!("{device} reported no ConnectionRequestURL"))?;
        let url = HttpUrl::parse(&url)?;
        let mut cr = ConnectionRequestClient::new(
            self.inner.config.cr_username.clone(),
            self.inner.config.cr_password.clone(),
        );
        let mut client = net::Client::connect(&url).await?;
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
            log::info(
                WHO,
                format!(
                    "→ GET {url} (connection request{})",
                    if authorization.is_some() {
                        ", digest"
                    } else {
                        ""
                    }
                ),
            );
            let resp = match tokio::time::timeout(Duration::from_secs(10), client.send(req)).await {
                Ok(r) => r?,
                Err(_) => return Err("connection request timed out".into()),
            };
            log::info(WHO, format!("← {}", resp.status()));
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
                        client = net::Client::connect(&url).await?;
                    }
                    authorization = Some(v);
                }
                _ => return Err("connection request: unexpected step".into()),
            }
        }
        Err("connection request: no answer after 3 attempts".into())
    }

    async fn admin(&self, method: &Method, path: &str, body: &[u8]) -> Response<net::Body> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let err = |status: StatusCode, msg: String| net::json(status, &json!({ "error": msg }));
        match (method, parts.as_slice()) {
            (&Method::GET, ["admin", "devices"]) => {
                net::json(StatusCode::OK, &json!(self.devices()))
            }
            (&Method::GET, ["admin", "devices", id]) => match self.device(id) {
                Some(d) => net::json(StatusCode::OK, &json!(d)),
                None => err(StatusCode::NOT_FOUND, format!("unknown device {id:?}")),
            },
            (&Method::POST, ["admin", "devices", id, "queue"]) => {
                let bodies = match crate::rpcs::parse_json(body) {
                    Ok(b) => b,
                    Err(e) => return err(StatusCode::BAD_REQUEST, e),
                };
                let names: Vec<String> = bodies.iter().map(summary).collect();
                match self.queue(id, bodies) {
                    Ok(n) => {
                        log::info(WHO, format!("admin: queued for {id}: {}", names.join("; ")));
                        net::json(StatusCode::OK, &json!({ "queued": n }))
                    }
                    Err(e) => err(StatusCode::BAD_REQUEST, e),
                }
            }
            (&Method::POST, ["admin", "devices", id, "connection-request"]) => {
                match self.connection_request(id).await {
                    Ok(result) => net::json(StatusCode::OK, &json!({ "result": result })),
                    Err(e) => {
                        log::error(WHO, &e);
                        err(StatusCode::BAD_GATEWAY, e)
                    }
                }
            }
            _ => err(
                StatusCode::NOT_FOUND,
                format!("no admin endpoint {method} {path}"),
            ),
        }
    }
}

/// One line for a session failure, for the log.
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

fn push_bounded<T>(v: &mut Vec<T>, item: T) {
    if v.len() >= MAX_RESULTS {
        v.remove(0);
    }
    v.push(item);
}
