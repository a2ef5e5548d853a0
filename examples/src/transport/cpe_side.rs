//! The reference CPE's connection-request transports: the UDP port kept open with STUN and
//! the XMPP client, started by [`crate::cpe::Agent`] and reported to it as
//! [`TransportSignal`]s.
//!
//! Data model: `ManagementServer.UDPConnectionRequestAddress` and `NATDetected` follow the
//! mapped address (a change adds `4 VALUE CHANGE`), `ConnReqJabberID` is the bound JID; all
//! three travel in every Inform while their transport is on, so the ACS knows how to reach
//! the device.

use std::net::SocketAddr;

use cwmp_auth::stun::KeepAlive;
use cwmp_auth::xmpp::{AllowedJids, ConnReqPolicy, Jid, Verdict};
use cwmp_core::rpc::ParameterValue;
use cwmp_core::value::{Value, ValueType};
use tokio::sync::mpsc;

use super::stun::{CpeUdp, CpeUdpConfig, UdpEvent};
use super::xmpp::{XmppAccount, XmppClient, serve_connection_requests};
use crate::log;
use cwmp_datamodel::tree::{Backend, MemoryBackend, ParameterTree};

const WHO: &str = "cpe";

/// Command-line options of the CPE's transports.
#[derive(Debug, Clone, clap::Args)]
pub struct CpeTransportArgs {
    /// STUN server HOST:PORT: keep a binding from the UDP connection-request port and accept
    /// UDP connection requests on it.
    #[arg(long)]
    pub stun_server: Option<SocketAddr>,
    /// Local address of the UDP connection-request port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub udp_cr_listen: SocketAddr,
    /// STUNMinimumKeepAlivePeriod in seconds.
    #[arg(long, default_value_t = 30)]
    pub stun_min_keepalive: u32,
    /// STUNMaximumKeepAlivePeriod in seconds (-1: none).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub stun_max_keepalive: i64,
    /// XMPP server HOST:PORT: log in and accept XMPP connection requests.
    #[arg(long)]
    pub xmpp_server: Option<SocketAddr>,
    /// The CPE's JID, USER@DOMAIN/RESOURCE.
    #[arg(long)]
    pub xmpp_jid: Option<String>,
    /// The XMPP account's password.
    #[arg(long, default_value = "")]
    pub xmpp_password: String,
    /// ConnReqAllowedJabberIDs (comma-separated; empty: anyone).
    #[arg(long, default_value = "")]
    pub xmpp_allowed: String,
}

/// Which transports the CPE runs.
#[derive(Debug, Clone, Default)]
pub struct CpeTransports {
    /// The UDP port and STUN server (credentials are filled in from the agent).
    pub udp: Option<(SocketAddr, SocketAddr, KeepAlive)>,
    /// The XMPP account and the allowed senders.
    pub xmpp: Option<(XmppAccount, AllowedJids)>,
}

impl CpeTransportArgs {
    /// The transports these options ask for.
    pub fn transports(&self) -> Result<CpeTransports, String> {
        let udp = match self.stun_server {
            Some(server) => {
                let k =
                    KeepAlive::from_parameters(self.stun_min_keepalive, self.stun_max_keepalive)
                        .map_err(|e| format!("STUN keep-alive: {e}"))?;
                Some((self.udp_cr_listen, server, k))
            }
            None => None,
        };
        let xmpp = match (self.xmpp_server, &self.xmpp_jid) {
            (Some(server), Some(jid)) => Some((
                account(server, jid, &self.xmpp_password)?,
                AllowedJids::parse(&self.xmpp_allowed)
                    .map_err(|e| format!("--xmpp-allowed: {e}"))?,
            )),
            (None, None) => None,
            _ => return Err("--xmpp-server and --xmpp-jid go together".into()),
        };
        Ok(CpeTransports { udp, xmpp })
    }
}

/// An account from `user@domain/resource` (resource optional).
pub fn account(server: SocketAddr, jid: &str, password: &str) -> Result<XmppAccount, String> {
    let j = Jid::parse(jid).map_err(|e| format!("{jid:?}: {e}"))?;
    Ok(XmppAccount {
        server,
        domain: j.domain().to_owned(),
        username: j
            .local()
            .ok_or_else(|| format!("{jid:?}: no user"))?
            .to_owned(),
        password: password.to_owned(),
        resource: j.resource().unwrap_or("cwmp").to_owned(),
    })
}

/// What the transports tell the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportSignal {
    /// A valid connection request ("UDP" or "XMPP"): start a `6 CONNECTION REQUEST` session.
    ConnectionRequest(&'static str),
    /// The STUN-mapped address (first or changed).
    MappedAddress {
        /// The address.
        address: SocketAddr,
        /// The one before, when it changed.
        previous: Option<SocketAddr>,
        /// `NATDetected`.
        nat_detected: bool,
    },
}

/// The running transports, as the agent holds them.
#[derive(Debug, Default)]
pub struct Attached {
    config: CpeTransports,
    rx: Option<mpsc::UnboundedReceiver<TransportSignal>>,
    udp: Option<CpeUdp>,
    jid: Option<String>,
    udp_address: Option<String>,
    nat_detected: bool,
}

impl Attached {
    /// Transports to start with [`start`](Self::start).
    pub fn new(config: CpeTransports) -> Attached {
        Attached {
            config,
            ..Attached::default()
        }
    }

    /// Starts what is configured. `busy` tells whether a session is running (an XMPP request
    /// then gets `service-unavailable`).
    pub async fn start(
        &mut self,
        cr_username: &str,
        cr_password: &str,
        busy: impl Fn() -> bool + Send + Sync + 'static,
    ) {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Some((bind, server, keep_alive)) = self.config.udp {
            let config = CpeUdpConfig {
                bind,
                stun_server: Some(server),
                keep_alive,
                stun_credentials: None,
                cr_username: cr_username.to_owned(),
                cr_password: cr_password.to_owned(),
            };
            match CpeUdp::start(config).await {
                Ok(mut udp) => {
                    log::info(
                        WHO,
                        format!(
                            "UDP connection requests on {}, STUN server {server}",
                            udp.local_addr
                        ),
                    );
                    let events = std::mem::replace(&mut udp.events, mpsc::unbounded_channel().1);
                    tokio::spawn(forward_udp(events, tx.clone()));
                    self.udp = Some(udp);
                }
                Err(e) => log::error(WHO, format!("UDP connection-request port {bind}: {e}")),
            }
        }
        if let Some((account, allowed)) = self.config.xmpp.clone() {
            match XmppClient::connect(&account).await {
                Ok(client) => {
                    log::info(WHO, format!("XMPP: logged in as {}", client.jid()));
                    self.jid = Some(client.jid().to_owned());
                    let policy = ConnReqPolicy::new(allowed, cr_username, cr_password);
                    let (etx, erx) = mpsc::unbounded_channel();
                    tokio::spawn(async move {
                        if let Err(e) = serve_connection_requests(client, policy, busy, etx).await {
                            log::error(WHO, format!("XMPP: {e}"));
                        }
                    });
                    tokio::spawn(forward_xmpp(erx, tx.clone()));
                }
                Err(e) => log::error(WHO, format!("XMPP login to {}: {e}", account.server)),
            }
        }
        self.rx = Some(rx);
    }

    /// The next signal; pending forever when no transport runs.
    pub async fn recv(&mut self) -> Option<TransportSignal> {
        match &mut self.rx {
            Some(rx) => rx.recv().await,
            None => std::future::pending().await,
        }
    }

    /// Records a new mapped address in the device's parameters (created when the dump does
    /// not have them); `true` when `UDPConnectionRequestAddress` changed (from empty the first
    /// time), so the caller adds `4 VALUE CHANGE` and the ACS learns the address from the next
    /// Inform. The parameter tree is told of the change (`changed`), so its notification
    /// bookkeeping sees it as a local change.
    pub fn on_mapped(
        &mut self,
        tree: &mut ParameterTree<MemoryBackend>,
        address: SocketAddr,
        nat: bool,
        now: std::time::Instant,
    ) -> bool {
        let text = cwmp_auth::stun::udp_connection_request_address(address);
        let changed = self.udp_address.as_ref() != Some(&text);
        let root = tree.backend().root().to_owned();
        let udp_name = format!("{root}ManagementServer.UDPConnectionRequestAddress");
        let nat_name = format!("{root}ManagementServer.NATDetected");
        let nat_text = if nat { "true" } else { "false" };
        set_or_insert(tree, &udp_name, Value::string(text.clone()), now);
        set_or_insert(
            tree,
            &nat_name,
            Value::new(ValueType::Boolean, nat_text.to_owned()),
            now,
        );
        self.udp_address = Some(text);
        self.nat_detected = nat;
        changed
    }

    /// Adds the transport parameters to an Inform's parameter list.
    pub fn extend_inform(
        &self,
        tree: &mut ParameterTree<MemoryBackend>,
        params: &mut Vec<ParameterValue<'static>>,
        now: std::time::Instant,
    ) {
        let root = tree.backend().root().to_owned();
        let ms = |leaf: &str| format!("{root}ManagementServer.{leaf}");
        if let Some(jid) = &self.jid {
            set_or_insert(
                tree,
                &ms("ConnReqJabberID"),
                Value::string(jid.clone()),
                now,
            );
        }
        let mut names = Vec::new();
        if self.udp_address.is_some() {
            names.push(ms("UDPConnectionRequestAddress"));
            names.push(ms("NATDetected"));
        }
        if self.jid.is_some() {
            names.push(ms("ConnReqJabberID"));
        }
        for n in names {
            if params.iter().any(|p| p.name == n) {
                continue;
            }
            if let Some(v) = tree.backend().value(&n) {
                params.push(ParameterValue {
                    name: n.clone().into(),
                    value: v.clone(),
                });
            }
        }
    }
}

/// Sets a parameter the device itself changed, creating it (read-only) when absent, and tells
/// the tree of the local change.
fn set_or_insert(
    tree: &mut ParameterTree<MemoryBackend>,
    name: &str,
    value: Value<'static>,
    now: std::time::Instant,
) {
    if tree.backend().value(name).is_some() {
        tree.backend_mut().set_text(name, &value.text);
    } else {
        tree.backend_mut().insert(name, value.clone(), false);
    }
    tree.changed(name, value, now);
}

async fn forward_udp(
    mut events: mpsc::UnboundedReceiver<UdpEvent>,
    tx: mpsc::UnboundedSender<TransportSignal>,
) {
    while let Some(ev) = events.recv().await {
        let signal = match ev {
            UdpEvent::MappedAddress {
                address,
                previous,
                nat_detected,
            } => {
                log::info(
                    WHO,
                    format!("STUN: mapped address {address} (NATDetected {nat_detected})"),
                );
                TransportSignal::MappedAddress {
                    address,
                    previous,
                    nat_detected,
                }
            }
            UdpEvent::BindingFailed(f) => {
                log::info(WHO, format!("STUN: binding failed: {f:?}"));
                continue;
            }
            UdpEvent::ConnectionRequest { from, id, .. } => {
                log::info(
                    WHO,
                    format!("← UDP connection request from {from} (id {id}) → session due"),
                );
                TransportSignal::ConnectionRequest("UDP")
            }
            UdpEvent::Ignored { from, reason } => {
                log::info(WHO, format!("← UDP datagram from {from} ignored: {reason}"));
                continue;
            }
        };
        if tx.send(signal).is_err() {
            return;
        }
    }
}

async fn forward_xmpp(
    mut events: mpsc::UnboundedReceiver<super::xmpp::XmppCrEvent>,
    tx: mpsc::UnboundedSender<TransportSignal>,
) {
    while let Some(ev) = events.recv().await {
        let from = ev.from.as_deref().unwrap_or("?");
        if ev.verdict == Verdict::Accept {
            log::info(
                WHO,
                format!("← XMPP connection request from {from} → result, session due"),
            );
            if tx.send(TransportSignal::ConnectionRequest("XMPP")).is_err() {
                return;
            }
        } else {
            log::info(
                WHO,
                format!("← XMPP request from {from} refused: {:?}", ev.verdict),
            );
        }
    }
}
