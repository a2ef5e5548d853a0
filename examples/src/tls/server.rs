//! The server side: an ACS (or a connection-request listener) accepting TLS 1.2 and 1.3,
//! optionally verifying client certificates against a CA.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use rustls::server::WebPkiClientVerifier;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::{ConfigError, FailureKind, Identity, Peer, PeerIdentity, TlsFailure, pem};

/// Longest a TLS handshake may take before the connection is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether clients must present a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientCertMode {
    /// Client certificates are not asked for.
    #[default]
    None,
    /// Asked for and verified when presented; a client without one is accepted (and
    /// authenticates by HTTP auth).
    Optional,
    /// A certificate issued by the client CA is required.
    Required,
}

impl FromStr for ClientCertMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(ClientCertMode::None),
            "optional" => Ok(ClientCertMode::Optional),
            "required" => Ok(ClientCertMode::Required),
            _ => Err(format!(
                "client certificate mode {s:?}: expected none, optional or required"
            )),
        }
    }
}

/// What a TLS server needs.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// The server's chain and key.
    pub identity: Identity,
    /// PEM CA certificates that issue client certificates (needed unless `client_cert` is
    /// `None`).
    pub client_ca_pem: Option<Vec<u8>>,
    /// Whether a client certificate is asked for.
    pub client_cert: ClientCertMode,
}

/// A configured TLS server.
#[derive(Clone)]
pub struct TlsServer {
    acceptor: TlsAcceptor,
    mode: ClientCertMode,
    peer: Peer,
}

impl std::fmt::Debug for TlsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsServer")
            .field("client_cert", &self.mode)
            .finish_non_exhaustive()
    }
}

/// A finished server handshake.
#[derive(Debug)]
pub struct Accepted {
    /// The encrypted stream.
    pub stream: TlsStream<TcpStream>,
    /// The names of the verified client certificate, if one was presented.
    pub client: Option<PeerIdentity>,
    /// `TLSv1.2` or `TLSv1.3`.
    pub version: &'static str,
}

impl TlsServer {
    /// Builds the rustls configuration: TLS 1.2 and 1.3 only, the *ring* provider, ALPN
    /// `http/1.1`.
    pub fn new(settings: &ServerSettings) -> Result<TlsServer, ConfigError> {
        let config = server_config(settings)?;
        Ok(TlsServer {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            mode: settings.client_cert,
            peer: Peer::Cpe,
        })
    }

    /// Names the clients in failures (default: [`Peer::Cpe`]; a CPE's connection-request
    /// listener serves the ACS).
    pub fn with_peer(mut self, peer: Peer) -> TlsServer {
        self.peer = peer;
        self
    }

    /// The client-certificate mode.
    pub fn client_cert_mode(&self) -> ClientCertMode {
        self.mode
    }

    /// Runs the handshake on an accepted TCP connection (bounded by [`HANDSHAKE_TIMEOUT`]).
    pub async fn accept(&self, tcp: TcpStream) -> Result<Accepted, TlsFailure> {
        let peer = self.peer;
        let stream = tokio::time::timeout(HANDSHAKE_TIMEOUT, self.acceptor.accept(tcp))
            .await
            .map_err(|_| TlsFailure {
                peer,
                kind: FailureKind::Timeout,
            })?
            .map_err(|e| TlsFailure::classify(&e, peer))?;
        let conn = stream.get_ref().1;
        let version = version_name(conn.protocol_version());
        let client = match conn.peer_certificates().and_then(|c| c.first()) {
            None => None,
            Some(der) => Some(PeerIdentity::from_der(der).map_err(|e| TlsFailure {
                peer,
                kind: FailureKind::BadCertificate(e.to_string()),
            })?),
        };
        Ok(Accepted {
            stream,
            client,
            version,
        })
    }
}

/// The rustls server configuration of `settings`.
pub fn server_config(settings: &ServerSettings) -> Result<ServerConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (chain, key) = settings.identity.parts()?;
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(super::VERSIONS)
        .map_err(|source| ConfigError::Rustls {
            what: "TLS versions",
            source,
        })?;
    let verifier = match (settings.client_cert, &settings.client_ca_pem) {
        (ClientCertMode::None, _) => WebPkiClientVerifier::no_client_auth(),
        (_, None) => {
            return Err(ConfigError::Pem {
                what: "client CA".into(),
                detail: "client certificates are asked for but no client CA is configured".into(),
            });
        }
        (mode, Some(ca)) => {
            let roots = Arc::new(pem::root_store(ca, "client CA")?);
            let b = WebPkiClientVerifier::builder_with_provider(roots, provider);
            if mode == ClientCertMode::Optional {
                b.allow_unauthenticated().build()?
            } else {
                b.build()?
            }
        }
    };
    let mut config = builder
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|source| ConfigError::Rustls {
            what: "server certificate and key",
            source,
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

pub(super) fn version_name(v: Option<rustls::ProtocolVersion>) -> &'static str {
    match v {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
        _ => "TLS",
    }
}
