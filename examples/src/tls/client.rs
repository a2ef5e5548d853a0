//! The client side: a CPE connecting to an HTTPS ACS (or an ACS to an HTTPS
//! connection-request listener), checking the server certificate against a CA bundle or the
//! system trust store and the URL's host against the certificate.

use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::{ConfigError, FailureKind, Identity, Peer, TlsFailure, pem};

/// Longest a TLS handshake may take.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Which CAs the client trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// These PEM CA certificates only (the usual for an operator's ACS).
    CaPem(Vec<u8>),
    /// The operating system's trust store (via rustls-native-certs: `/etc/ssl/certs` on
    /// Debian, `SSL_CERT_FILE`/`SSL_CERT_DIR` when set).
    System,
}

/// What a TLS client needs.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Trusted CAs.
    pub trust: Trust,
    /// A client certificate and key to present when the server asks.
    pub identity: Option<Identity>,
}

/// A configured TLS client.
#[derive(Clone)]
pub struct TlsClient {
    connector: TlsConnector,
    peer: Peer,
}

impl std::fmt::Debug for TlsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsClient")
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

impl TlsClient {
    /// Builds a client whose peer is `peer` (for error lines): TLS 1.2 and 1.3 only, the
    /// *ring* provider, ALPN `http/1.1`.
    pub fn new(settings: &ClientSettings, peer: Peer) -> Result<TlsClient, ConfigError> {
        let config = client_config(settings)?;
        Ok(TlsClient {
            connector: TlsConnector::from(Arc::new(config)),
            peer,
        })
    }

    /// The peer named in failures.
    pub fn peer(&self) -> Peer {
        self.peer
    }

    /// Runs the handshake on a connected TCP stream; `host` is the URL's host (a DNS name or
    /// an IP address, IPv6 with or without brackets), checked against the certificate.
    ///
    /// Nothing is sent on the connection before the server certificate passed every check,
    /// so credentials never reach a server that failed it.
    pub async fn connect(
        &self,
        tcp: TcpStream,
        host: &str,
    ) -> Result<TlsStream<TcpStream>, TlsFailure> {
        let peer = self.peer;
        let name = server_name(host).map_err(|e| TlsFailure {
            peer,
            kind: FailureKind::Other(e.to_string()),
        })?;
        tokio::time::timeout(HANDSHAKE_TIMEOUT, self.connector.connect(name, tcp))
            .await
            .map_err(|_| TlsFailure {
                peer,
                kind: FailureKind::Timeout,
            })?
            .map_err(|e| TlsFailure::classify(&e, peer))
    }
}

/// The TLS server name of a URL host.
pub fn server_name(host: &str) -> Result<ServerName<'static>, ConfigError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(bare.to_owned()).map_err(|_| ConfigError::ServerName(host.to_owned()))
}

/// The rustls client configuration of `settings`.
pub fn client_config(settings: &ClientSettings) -> Result<ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = match &settings.trust {
        Trust::CaPem(pem) => pem::root_store(pem, "CA bundle")?,
        Trust::System => system_roots()?,
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(super::VERSIONS)
        .map_err(|source| ConfigError::Rustls {
            what: "TLS versions",
            source,
        })?
        .with_root_certificates(roots);
    let mut config = match &settings.identity {
        None => builder.with_no_client_auth(),
        Some(id) => {
            let (chain, key) = id.parts()?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|source| ConfigError::Rustls {
                    what: "client certificate and key",
                    source,
                })?
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn system_roots() -> Result<rustls::RootCertStore, ConfigError> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(ConfigError::NoTrustAnchors {
            what: format!(
                "system trust store{}",
                found
                    .errors
                    .first()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
        });
    }
    Ok(roots)
}
