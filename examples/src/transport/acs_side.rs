//! The reference ACS's choice of connection-request transport: the signed UDP request when
//! the device reported a `UDPConnectionRequestAddress`, else XMPP when the ACS has an XMPP
//! account and the device reported a `ConnReqJabberID`, else (the caller's) HTTP.

use std::net::SocketAddr;
use std::time::Duration;

use cwmp_auth::xmpp::Condition;

use super::stun::send_udp_connection_request;
use super::xmpp::{XmppAccount, XmppClient};
use crate::log;

const WHO: &str = "acs";

/// Copies of a UDP connection request (same id), as GenieACS sends.
pub const UDP_COPIES: usize = 3;

/// The ACS's transport settings.
#[derive(Debug, Clone, Default)]
pub struct AcsTransports {
    /// The ACS's XMPP account, if XMPP connection requests are on.
    pub xmpp: Option<XmppAccount>,
}

/// Command-line options of the ACS's transports.
#[derive(Debug, Clone, clap::Args)]
pub struct AcsTransportArgs {
    /// XMPP server HOST:PORT for XMPP connection requests.
    #[arg(long)]
    pub xmpp_server: Option<SocketAddr>,
    /// The ACS's JID, USER@DOMAIN/RESOURCE.
    #[arg(long)]
    pub xmpp_jid: Option<String>,
    /// The XMPP account's password.
    #[arg(long, default_value = "")]
    pub xmpp_password: String,
}

impl AcsTransportArgs {
    /// The settings these options ask for.
    pub fn transports(&self) -> Result<AcsTransports, String> {
        Ok(AcsTransports {
            xmpp: match (self.xmpp_server, &self.xmpp_jid) {
                (Some(server), Some(jid)) => {
                    Some(super::cpe_side::account(server, jid, &self.xmpp_password)?)
                }
                (None, None) => None,
                _ => return Err("--xmpp-server and --xmpp-jid go together".into()),
            },
        })
    }
}

/// Sends the connection request over UDP or XMPP when the device can be reached so;
/// `None` means "use HTTP".
pub async fn connection_request(
    transports: &AcsTransports,
    udp_address: Option<&str>,
    jabber_id: Option<&str>,
    cr_username: &str,
    cr_password: &str,
) -> Option<Result<&'static str, String>> {
    if let Some(addr) = udp_address.filter(|a| !a.is_empty()) {
        return Some(udp(addr, cr_username, cr_password).await);
    }
    if let (Some(account), Some(jid)) = (&transports.xmpp, jabber_id.filter(|j| !j.is_empty())) {
        return Some(xmpp(account, jid, cr_username, cr_password).await);
    }
    None
}

async fn udp(addr: &str, user: &str, pass: &str) -> Result<&'static str, String> {
    let target = with_port(addr);
    let target = tokio::net::lookup_host(&target)
        .await
        .map_err(|e| format!("UDP connection request address {addr:?}: {e}"))?
        .next()
        .ok_or_else(|| format!("UDP connection request address {addr:?}: no address"))?;
    let mut id = [0u8; 4];
    cwmp_auth::RandomSource::fill(&mut cwmp_auth::OsRandom, &mut id).map_err(|e| e.to_string())?;
    let id = u64::from(u32::from_be_bytes(id));
    send_udp_connection_request(target, user, pass, cwmp_auth::unix_now(), id, UDP_COPIES)
        .await
        .map_err(|e| format!("UDP connection request to {target}: {e}"))?;
    log::info(
        WHO,
        format!("→ UDP connection request to {target} ({UDP_COPIES} copies, id {id})"),
    );
    Ok("sent over UDP")
}

/// `host:port`, or `host` alone meaning port 80 (TR-069 Annex G); IPv6 in brackets.
fn with_port(addr: &str) -> String {
    let has_port = if addr.starts_with('[') {
        addr.rsplit_once(']')
            .is_some_and(|(_, rest)| rest.starts_with(':'))
    } else {
        addr.matches(':').count() == 1
    };
    if has_port {
        addr.to_owned()
    } else if addr.starts_with('[') {
        format!("{addr}:80")
    } else if addr.contains(':') {
        format!("[{addr}]:80")
    } else {
        format!("{addr}:80")
    }
}

async fn xmpp(
    account: &XmppAccount,
    to: &str,
    user: &str,
    pass: &str,
) -> Result<&'static str, String> {
    let mut client = XmppClient::connect(account)
        .await
        .map_err(|e| format!("XMPP login: {e}"))?;
    log::info(
        WHO,
        format!("→ XMPP connection request to {to} (from {})", client.jid()),
    );
    let answer = client
        .send_connection_request(to, user, pass, Duration::from_secs(10))
        .await
        .map_err(|e| format!("XMPP connection request: {e}"))?;
    match answer {
        None => {
            log::info(WHO, "← XMPP result");
            Ok("accepted")
        }
        Some(Condition::ServiceUnavailable) => {
            log::info(WHO, "← XMPP error service-unavailable");
            Ok("busy")
        }
        Some(c) => Err(format!("XMPP connection request refused: {}", c.name())),
    }
}
