//! Errors building a TLS configuration (files, PEM, keys, CA bundles).

use std::path::PathBuf;

/// A TLS configuration that could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// PEM text that is not what was expected.
    #[error("{what}: {detail}")]
    Pem {
        /// What was being read (a path or a description).
        what: String,
        /// Why it was refused.
        detail: String,
    },
    /// rustls refused the certificates or the key.
    #[error("{what}: {source}")]
    Rustls {
        /// What was being configured.
        what: &'static str,
        /// rustls's reason.
        source: rustls::Error,
    },
    /// A CA bundle whose certificates rustls could not use.
    #[error("{what}: no usable CA certificate")]
    NoTrustAnchors {
        /// The bundle.
        what: String,
    },
    /// The client-certificate verifier could not be built.
    #[error("client certificate verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    /// A host that is neither a DNS name nor an IP address.
    #[error("{0:?} is not a valid TLS server name")]
    ServerName(String),
    /// Generating a certificate failed.
    #[error("certificate generation: {0}")]
    Generate(#[from] rcgen::Error),
}
