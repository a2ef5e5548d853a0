//! Handshake and connection failures, turned into one line a user understands.
//!
//! rustls reports a failure as a [`rustls::Error`], which tokio-rustls wraps in an
//! [`std::io::Error`] and hyper wraps again; [`TlsFailure::classify`] walks the error's
//! sources to the rustls error and names the cause from the point of view of one side.

use std::fmt;

use rustls::{AlertDescription, CertificateError};

/// The role of the peer (the other side of the connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// The peer is the ACS (we are the CPE, or a client of an ACS).
    Acs,
    /// The peer is a CPE (we are the ACS, or a client of a CPE's connection-request
    /// listener).
    Cpe,
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Peer::Acs => "ACS",
            Peer::Cpe => "CPE",
        })
    }
}

/// Why a TLS connection failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// The peer's certificate does not chain to a trusted CA (unknown issuer, or a signature
    /// that a trusted CA of that name did not make).
    UntrustedCertificate,
    /// The server certificate does not name the host we connected to.
    NameMismatch {
        /// The host (or IP address) of the URL.
        expected: String,
        /// The names the certificate carries.
        presented: Vec<String>,
    },
    /// The peer's certificate (or one in its chain) has expired.
    Expired,
    /// The peer's certificate is not valid yet.
    NotYetValid,
    /// The peer's certificate was refused for another reason.
    BadCertificate(String),
    /// A client certificate was required and none was presented (the server side says the
    /// client sent none; the client side says the server asked for one).
    MissingClientCertificate,
    /// The peer refused our certificate (the alert it sent).
    CertificateRefused(String),
    /// No TLS version both sides speak (we speak 1.2 and 1.3).
    NoCommonVersion,
    /// The peer does not speak TLS (plain HTTP on a TLS port?).
    NotTls,
    /// The handshake did not finish in time.
    Timeout,
    /// The connection broke (reset, closed) during the handshake.
    Io(String),
    /// Anything else rustls reported.
    Other(String),
}

/// A TLS failure as seen by one side, displayed as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TlsFailure {
    /// The other side.
    pub peer: Peer,
    /// The cause.
    pub kind: FailureKind,
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let peer = self.peer;
        match &self.kind {
            FailureKind::UntrustedCertificate => write!(
                f,
                "TLS: untrusted {peer} certificate (not issued by a trusted CA)"
            ),
            FailureKind::NameMismatch {
                expected,
                presented,
            } => write!(
                f,
                "TLS: {peer} certificate name mismatch: the URL's host is {expected}, the certificate names {}",
                if presented.is_empty() {
                    "nothing".to_owned()
                } else {
                    presented.join(", ")
                }
            ),
            FailureKind::Expired => write!(f, "TLS: {peer} certificate expired"),
            FailureKind::NotYetValid => write!(f, "TLS: {peer} certificate not valid yet"),
            FailureKind::BadCertificate(why) => {
                write!(f, "TLS: {peer} certificate refused: {why}")
            }
            FailureKind::MissingClientCertificate => match peer {
                // We are the server: the client did not present one.
                Peer::Cpe => write!(f, "TLS: missing client certificate: the CPE sent none"),
                Peer::Acs => write!(
                    f,
                    "TLS: missing client certificate: the ACS requires one and none was sent"
                ),
            },
            FailureKind::CertificateRefused(alert) => {
                write!(f, "TLS: the {peer} refused our certificate ({alert})")
            }
            FailureKind::NoCommonVersion => write!(
                f,
                "TLS: no common protocol version with the {peer} (we speak TLS 1.2 and 1.3)"
            ),
            FailureKind::NotTls => write!(f, "TLS: the {peer} does not speak TLS on this port"),
            FailureKind::Timeout => write!(f, "TLS: handshake with the {peer} timed out"),
            FailureKind::Io(e) => write!(f, "TLS: connection with the {peer} broke: {e}"),
            FailureKind::Other(e) => write!(f, "TLS: handshake with the {peer} failed: {e}"),
        }
    }
}

impl TlsFailure {
    /// Classifies a rustls error.
    pub fn from_rustls(e: &rustls::Error, peer: Peer) -> TlsFailure {
        let kind = match e {
            rustls::Error::InvalidCertificate(c) => certificate_kind(c),
            rustls::Error::NoCertificatesPresented => FailureKind::MissingClientCertificate,
            rustls::Error::AlertReceived(a) => alert_kind(*a),
            rustls::Error::PeerIncompatible(p) => {
                // A ClientHello without signature_algorithms comes from a TLS 1.0/1.1-only
                // client; the version-named variants say the same more directly.
                let text = format!("{p:?}");
                if text.contains("Tls12")
                    || text.contains("Tls13")
                    || text.contains("Version")
                    || *p == rustls::PeerIncompatible::SignatureAlgorithmsExtensionRequired
                {
                    FailureKind::NoCommonVersion
                } else {
                    FailureKind::Other(e.to_string())
                }
            }
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
                FailureKind::NotTls
            }
            other => FailureKind::Other(other.to_string()),
        };
        TlsFailure { peer, kind }
    }

    /// Classifies any error that may wrap a rustls error (an `io::Error` from tokio-rustls, a
    /// hyper error), walking its sources. Without a rustls error inside it is an
    /// [`FailureKind::Io`] failure.
    pub fn classify(e: &(dyn std::error::Error + 'static), peer: Peer) -> TlsFailure {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            if let Some(r) = err.downcast_ref::<rustls::Error>() {
                return TlsFailure::from_rustls(r, peer);
            }
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if let Some(inner) = io.get_ref() {
                    if let Some(r) = inner.downcast_ref::<rustls::Error>() {
                        return TlsFailure::from_rustls(r, peer);
                    }
                }
            }
            cur = err.source();
        }
        TlsFailure {
            peer,
            kind: FailureKind::Io(e.to_string()),
        }
    }

    /// Like [`classify`](Self::classify), but only when a rustls error is inside.
    pub fn find(e: &(dyn std::error::Error + 'static), peer: Peer) -> Option<TlsFailure> {
        let f = TlsFailure::classify(e, peer);
        (!matches!(f.kind, FailureKind::Io(_))).then_some(f)
    }
}

fn certificate_kind(c: &CertificateError) -> FailureKind {
    match c {
        // A bad signature in the chain is a certificate that only claims a trusted issuer
        // (a CA of the same name, another key): untrusted all the same.
        CertificateError::UnknownIssuer | CertificateError::BadSignature => {
            FailureKind::UntrustedCertificate
        }
        CertificateError::NotValidForName => FailureKind::NameMismatch {
            expected: String::new(),
            presented: Vec::new(),
        },
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => FailureKind::NameMismatch {
            expected: server_name_text(expected),
            presented: presented.iter().map(|p| presented_name(p)).collect(),
        },
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => FailureKind::Expired,
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            FailureKind::NotYetValid
        }
        other => FailureKind::BadCertificate(format!("{other:?}")),
    }
}

/// rustls writes presented names as `DnsName("host")` / `IpAddress(1.2.3.4)`: keep the name.
fn presented_name(p: &str) -> String {
    let inner = p
        .strip_prefix("DnsName(")
        .or_else(|| p.strip_prefix("IpAddress("))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(p);
    inner.trim_matches('"').to_owned()
}

fn server_name_text(n: &rustls_pki_types::ServerName<'_>) -> String {
    match n {
        rustls_pki_types::ServerName::DnsName(d) => d.as_ref().to_owned(),
        rustls_pki_types::ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

fn alert_kind(a: AlertDescription) -> FailureKind {
    match a {
        AlertDescription::CertificateRequired => FailureKind::MissingClientCertificate,
        AlertDescription::UnknownCA
        | AlertDescription::BadCertificate
        | AlertDescription::CertificateExpired
        | AlertDescription::CertificateRevoked
        | AlertDescription::CertificateUnknown
        | AlertDescription::UnsupportedCertificate
        | AlertDescription::AccessDenied => FailureKind::CertificateRefused(alert_name(a)),
        AlertDescription::ProtocolVersion => FailureKind::NoCommonVersion,
        other => FailureKind::Other(format!("the peer sent the alert {}", alert_name(other))),
    }
}

/// The RFC 8446 name of an alert (`unknown_ca`).
fn alert_name(a: AlertDescription) -> String {
    let camel = format!("{a:?}");
    let mut out = String::with_capacity(camel.len() + 4);
    let mut prev_lower = false;
    for ch in camel.chars() {
        if ch.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        out.push(ch.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(e: rustls::Error) -> FailureKind {
        // Wrapped the way tokio-rustls and hyper hand it over.
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        TlsFailure::classify(&io, Peer::Acs).kind
    }

    #[test]
    fn certificate_errors() {
        assert_eq!(
            kind(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer
            )),
            FailureKind::UntrustedCertificate
        );
        assert_eq!(
            kind(rustls::Error::InvalidCertificate(CertificateError::Expired)),
            FailureKind::Expired
        );
        assert_eq!(
            kind(rustls::Error::NoCertificatesPresented),
            FailureKind::MissingClientCertificate
        );
        assert_eq!(
            kind(rustls::Error::AlertReceived(
                AlertDescription::CertificateRequired
            )),
            FailureKind::MissingClientCertificate
        );
        assert_eq!(
            kind(rustls::Error::AlertReceived(AlertDescription::UnknownCA)),
            FailureKind::CertificateRefused("unknown_ca".into())
        );
        assert_eq!(
            kind(rustls::Error::PeerIncompatible(
                rustls::PeerIncompatible::SignatureAlgorithmsExtensionRequired
            )),
            FailureKind::NoCommonVersion
        );
        let plain = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert!(matches!(
            TlsFailure::classify(&plain, Peer::Acs).kind,
            FailureKind::Io(_)
        ));
        assert!(TlsFailure::find(&plain, Peer::Acs).is_none());
    }

    #[test]
    fn one_line_each() {
        let f = TlsFailure {
            peer: Peer::Acs,
            kind: FailureKind::NameMismatch {
                expected: "acs.example".into(),
                presented: vec!["other.example".into()],
            },
        };
        let text = f.to_string();
        assert!(!text.contains('\n'));
        assert!(text.contains("acs.example") && text.contains("other.example"));
    }
}
