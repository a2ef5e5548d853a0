//! The ACS's use of TLS: the handshake on each accepted connection and the device binding of
//! the Inform that opens a session.

use std::net::SocketAddr;

use cwmp_core::Body;
use tokio::net::TcpStream;

use super::{
    BindingMismatch, BindingRule, DeviceIdentity, MaybeTls, PeerIdentity, TlsServer, Transport,
    check_binding,
};
use crate::log;

/// The HTTPS side of the ACS.
#[derive(Debug, Clone)]
pub struct AcsTls {
    /// The TLS server (certificate, client-certificate mode).
    pub server: TlsServer,
    /// How a client certificate must name the device of the Inform.
    pub binding: BindingRule,
}

/// What one connection brought: its transport and the client certificate's names.
#[derive(Debug, Clone)]
pub struct ConnTls {
    /// Plain or TLS.
    pub transport: Transport,
    /// The verified client certificate, if one was presented.
    pub client: Option<PeerIdentity>,
}

/// Runs the TLS handshake when `tls` is configured; a failure is logged as one line and the
/// connection dropped (`None`).
pub async fn accept(
    tls: Option<&AcsTls>,
    tcp: TcpStream,
    peer: SocketAddr,
    who: &str,
) -> Option<(MaybeTls, ConnTls)> {
    let Some(tls) = tls else {
        return Some((
            MaybeTls::Plain(tcp),
            ConnTls {
                transport: Transport::Plain,
                client: None,
            },
        ));
    };
    match tls.server.accept(tcp).await {
        Ok(acc) => {
            log::debug(
                who,
                format!(
                    "{peer}: {}, client certificate {}",
                    acc.version,
                    acc.client
                        .as_ref()
                        .map_or_else(|| "none".to_owned(), ToString::to_string)
                ),
            );
            Some((
                MaybeTls::Server(Box::new(acc.stream)),
                ConnTls {
                    transport: Transport::Tls,
                    client: acc.client,
                },
            ))
        }
        Err(f) => {
            log::error(who, format!("{peer}: {f}"));
            None
        }
    }
}

/// Checks an Inform against the connection's client certificate (other messages pass).
pub fn check_inform(
    tls: Option<&AcsTls>,
    conn: &ConnTls,
    body: &Body<'_>,
) -> Result<(), BindingMismatch> {
    let (Some(tls), Body::Inform(inform)) = (tls, body) else {
        return Ok(());
    };
    let device = DeviceIdentity::from(&inform.device_id);
    check_binding(tls.binding, conn.client.as_ref(), &device).map(|_| ())
}

/// What `demo --tls` runs with: a PKI generated in memory for `device`, the ACS's HTTPS side
/// (client certificate required, default binding) and the CPE's TLS client (the lab CA,
/// the device certificate).
pub fn lab_pair(device: &DeviceIdentity<'_>) -> Result<(AcsTls, super::TlsClient), String> {
    let pki = super::pki::LabPki::generate(&device.full()).map_err(|e| e.to_string())?;
    let ca = pki.ca.cert_pem().as_bytes().to_vec();
    let server = TlsServer::new(&super::ServerSettings {
        identity: pki.acs.clone(),
        client_ca_pem: Some(ca.clone()),
        client_cert: super::ClientCertMode::Required,
    })
    .map_err(|e| e.to_string())?;
    let client = super::TlsClient::new(
        &super::ClientSettings {
            trust: super::Trust::CaPem(ca),
            identity: Some(pki.cpe),
        },
        super::Peer::Acs,
    )
    .map_err(|e| e.to_string())?;
    Ok((
        AcsTls {
            server,
            binding: BindingRule::default(),
        },
        client,
    ))
}

/// How the ACS authenticates CPEs (one policy for every device).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthPolicy {
    /// HTTP digest (the default).
    #[default]
    Digest,
    /// HTTP Basic: only over TLS unless `allow_plain_http` (testing only).
    Basic {
        /// Accept Basic over plain HTTP too.
        allow_plain_http: bool,
    },
    /// The verified client certificate is the credential (the user is its first CN).
    ClientCertificate,
    /// No authentication (lab simulators only).
    None,
}

impl std::str::FromStr for AuthPolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<AuthPolicy, String> {
        match s {
            "digest" => Ok(AuthPolicy::Digest),
            "basic" => Ok(AuthPolicy::Basic {
                allow_plain_http: false,
            }),
            "cert" => Ok(AuthPolicy::ClientCertificate),
            "none" => Ok(AuthPolicy::None),
            _ => Err(format!(
                "auth policy {s:?}: expected digest, basic, cert or none"
            )),
        }
    }
}

/// The outcome of authenticating the request that opens a session.
#[derive(Debug)]
pub enum AuthOutcome {
    /// Authenticated (or challenged) the usual way.
    Checked(crate::auth::Check),
    /// Refused outright (403): the reason, for the log.
    Refused(String),
}

/// Authenticates the request that opens a session under `policy`.
#[allow(clippy::too_many_arguments)]
pub fn authenticate(
    policy: AuthPolicy,
    digest: &crate::auth::DigestGuard,
    users: &cwmp_auth::digest::Users,
    realm: &str,
    conn: &ConnTls,
    method: &http::Method,
    uri: &str,
    body: &[u8],
    headers: &http::HeaderMap,
) -> AuthOutcome {
    use crate::auth::Check;
    match policy {
        AuthPolicy::Digest => AuthOutcome::Checked(digest.check(method, uri, body, headers)),
        AuthPolicy::Basic { allow_plain_http } => {
            let basic = super::BasicPolicy {
                realm: realm.to_owned(),
                allow_over_plain_http: allow_plain_http,
            };
            match basic.check(conn.transport, headers, users) {
                super::BasicVerdict::Accepted(user) => AuthOutcome::Checked(Check::Ok(user)),
                super::BasicVerdict::Challenge {
                    challenge,
                    bad_credentials,
                } => AuthOutcome::Checked(Check::Challenge(
                    vec![challenge],
                    bad_credentials.then_some(cwmp_auth::Error::BadCredentials),
                )),
                super::BasicVerdict::InsecureTransport { credentials_sent } => {
                    AuthOutcome::Refused(format!(
                        "Basic authentication is only accepted over TLS{}",
                        if credentials_sent {
                            " (the client sent a password in clear text)"
                        } else {
                            ""
                        }
                    ))
                }
            }
        }
        AuthPolicy::ClientCertificate => match &conn.client {
            Some(id) => AuthOutcome::Checked(Check::Ok(
                id.common_names
                    .first()
                    .or(id.dns_names.first())
                    .cloned()
                    .unwrap_or_else(|| "client certificate".to_owned()),
            )),
            None => AuthOutcome::Refused("the auth policy requires a client certificate".into()),
        },
        AuthPolicy::None => AuthOutcome::Checked(Check::Ok("anonymous".into())),
    }
}
