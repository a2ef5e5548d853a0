//! UDP connection request behind a NAT (TR-069 Annex G, TR-111) over tokio.
//!
//! CPE side: [`CpeUdp::start`] binds the connection-request UDP port, drives cwmp-auth's STUN
//! [`BindingClient`] from that port (keep-alives to the STUN server, the mapped address,
//! BINDING-CHANGE) and verifies the connection requests arriving on it with
//! [`UdpVerifier`] (user name, signature, replayed id or timestamp). Everything it learns comes
//! out as [`UdpEvent`]s; a `ConnectionRequest` event means "open a session with
//! `6 CONNECTION REQUEST`".
//!
//! ACS side: [`send_udp_connection_request`] sends the signed request to the address the CPE
//! reported (`UDPConnectionRequestAddress`), three copies with the same id.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cwmp_auth::stun::message::is_stun;
use cwmp_auth::stun::{BindingClient, BindingConfig, BindingEvent, BindingFailure, KeepAlive};
use cwmp_auth::udp::{UdpConnectionRequest, UdpVerifier};
use cwmp_auth::{OsRandom, RandomSource};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Configuration of the CPE's UDP connection-request port.
#[derive(Debug, Clone)]
pub struct CpeUdpConfig {
    /// Local address of the connection-request port (e.g. `0.0.0.0:7547`; port 0 picks one).
    pub bind: SocketAddr,
    /// The STUN server (`STUNServerAddress`:`STUNServerPort`); `None` disables STUN.
    pub stun_server: Option<SocketAddr>,
    /// The keep-alive schedule.
    pub keep_alive: KeepAlive,
    /// `STUNUsername` / `STUNPassword`, used when the server asks.
    pub stun_credentials: Option<(String, String)>,
    /// `ConnectionRequestUsername`.
    pub cr_username: String,
    /// `ConnectionRequestPassword`.
    pub cr_password: String,
}

/// What the CPE's UDP port reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UdpEvent {
    /// The STUN server reported this mapped address (first time or changed): the new
    /// `UDPConnectionRequestAddress`, and `NATDetected`.
    MappedAddress {
        /// The mapped address.
        address: SocketAddr,
        /// The one before, when it changed (report a `4 VALUE CHANGE`).
        previous: Option<SocketAddr>,
        /// Whether the mapped address differs from the local one.
        nat_detected: bool,
    },
    /// A keep-alive got no usable answer.
    BindingFailed(BindingFailure),
    /// A valid connection request: start a session with `6 CONNECTION REQUEST`.
    ConnectionRequest {
        /// Who sent it.
        from: SocketAddr,
        /// Its message id.
        id: u64,
        /// Its timestamp.
        ts: u64,
    },
    /// A datagram that was not a valid connection request (bad signature, replay, malformed):
    /// ignored, no session.
    Ignored {
        /// Who sent it.
        from: SocketAddr,
        /// Why.
        reason: cwmp_auth::Error,
    },
}

/// The running CPE side: the task and where it listens.
#[derive(Debug)]
pub struct CpeUdp {
    /// The bound local address of the connection-request port.
    pub local_addr: SocketAddr,
    /// The events.
    pub events: mpsc::UnboundedReceiver<UdpEvent>,
    task: JoinHandle<()>,
}

impl Drop for CpeUdp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl CpeUdp {
    /// Binds the port and starts the task (the first Binding Request goes out at once).
    pub async fn start(config: CpeUdpConfig) -> io::Result<CpeUdp> {
        let socket = UdpSocket::bind(config.bind).await?;
        let local_addr = socket.local_addr()?;
        let (tx, events) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(socket, local_addr, config, tx));
        Ok(CpeUdp {
            local_addr,
            events,
            task,
        })
    }
}

async fn run(
    socket: UdpSocket,
    local_addr: SocketAddr,
    config: CpeUdpConfig,
    tx: mpsc::UnboundedSender<UdpEvent>,
) {
    let origin = Instant::now();
    let mut binding_config = BindingConfig::new(config.keep_alive);
    if let Some((user, pass)) = &config.stun_credentials {
        binding_config = binding_config.with_credentials(user.clone(), pass.clone());
    }
    let mut binding = config
        .stun_server
        .map(|_| BindingClient::new(binding_config));
    let mut verifier = UdpVerifier::new(config.cr_username.clone(), config.cr_password.clone());
    let mut rng = OsRandom;
    let mut buf = vec![0u8; 4096];
    loop {
        // Send what the binding client wants to send.
        if let (Some(client), Some(server)) = (binding.as_mut(), config.stun_server) {
            if let Err(e) = client.handle_timeout(origin.elapsed(), &mut rng) {
                crate::log::error("cpe", format!("STUN: {e}"));
            }
            while let Some(datagram) = client.poll_transmit() {
                if let Err(e) = socket.send_to(&datagram, server).await {
                    crate::log::debug("cpe", format!("STUN send to {server}: {e}"));
                }
            }
            while let Some(event) = client.poll_event() {
                let out = match event {
                    BindingEvent::MappedAddress { address, previous } => UdpEvent::MappedAddress {
                        address,
                        previous,
                        nat_detected: cwmp_auth::stun::nat_detected(local_addr, address),
                    },
                    BindingEvent::Failed(f) => UdpEvent::BindingFailed(f),
                    _ => continue,
                };
                if tx.send(out).is_err() {
                    return;
                }
            }
        }
        let wake = binding
            .as_ref()
            .map(|c| c.poll_timeout())
            .unwrap_or(Duration::from_secs(3600));
        let sleep = wake.saturating_sub(origin.elapsed());
        let received = tokio::select! {
            r = socket.recv_from(&mut buf) => Some(r),
            _ = tokio::time::sleep(sleep) => None,
            _ = tx.closed() => return,
        };
        let Some(received) = received else { continue };
        let (n, from) = match received {
            Ok(x) => x,
            Err(e) => {
                crate::log::debug("cpe", format!("UDP receive: {e}"));
                continue;
            }
        };
        let datagram = buf.get(..n).unwrap_or_default();
        if is_stun(datagram) {
            if let (Some(client), Some(server)) = (binding.as_mut(), config.stun_server) {
                if from == server {
                    let _ = client.handle_datagram(origin.elapsed(), datagram, &mut rng);
                }
            }
            continue;
        }
        let event = match verifier.verify(datagram) {
            Ok(req) => UdpEvent::ConnectionRequest {
                from,
                id: req.id().unwrap_or(0),
                ts: req.ts().unwrap_or(0),
            },
            Err(reason) => UdpEvent::Ignored { from, reason },
        };
        if tx.send(event).is_err() {
            return;
        }
    }
}

/// Sends a signed UDP connection request to `target` (the CPE's
/// `UDPConnectionRequestAddress`): `copies` datagrams with the same id and timestamp, 100 ms
/// apart, from an ephemeral port. Returns the request sent.
pub async fn send_udp_connection_request(
    target: SocketAddr,
    username: &str,
    password: &str,
    ts: u64,
    id: u64,
    copies: usize,
) -> io::Result<UdpConnectionRequest> {
    let mut cn = [0u8; 8];
    OsRandom
        .fill(&mut cn)
        .map_err(|e| io::Error::other(e.to_string()))?;
    let cnonce: String = cn.iter().map(|b| format!("{b:02x}")).collect();
    let request = UdpConnectionRequest::new_signed(
        &target.ip().to_string(),
        Some(target.port()),
        ts,
        id,
        username,
        &cnonce,
        password,
    );
    let bind: SocketAddr = if target.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let socket = UdpSocket::bind(bind).await?;
    let datagram = request.to_datagram();
    for i in 0..copies.max(1) {
        if i > 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        socket.send_to(&datagram, target).await?;
    }
    Ok(request)
}
