//! PEM files: certificate chains, private keys and CA bundles.

use std::path::Path;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use super::ConfigError;

/// Reads a file whole.
pub fn read(path: &Path) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Every `CERTIFICATE` block of `pem`, in order (leaf first for a chain). `what` names the
/// source in errors.
pub fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::Pem {
            what: what.to_owned(),
            detail: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(ConfigError::Pem {
            what: what.to_owned(),
            detail: "no CERTIFICATE block".into(),
        });
    }
    Ok(certs)
}

/// The first private key of `pem` (PKCS#8, PKCS#1 RSA or SEC1 EC).
pub fn private_key(pem: &[u8], what: &str) -> Result<PrivateKeyDer<'static>, ConfigError> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| ConfigError::Pem {
        what: what.to_owned(),
        detail: match e {
            rustls_pki_types::pem::Error::NoItemsFound => "no PRIVATE KEY block".into(),
            e => e.to_string(),
        },
    })
}

/// A certificate chain and its key, in PEM (leaf first).
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    /// `CERTIFICATE` blocks, leaf first.
    pub chain_pem: Vec<u8>,
    /// The leaf's private key.
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("chain_pem", &String::from_utf8_lossy(&self.chain_pem))
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// Reads a chain file and a key file.
    pub fn from_files(chain: &Path, key: &Path) -> Result<Identity, ConfigError> {
        Ok(Identity {
            chain_pem: read(chain)?,
            key_pem: read(key)?,
        })
    }

    /// The chain and key as rustls wants them.
    pub fn parts(
        &self,
    ) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), ConfigError> {
        Ok((
            certificates(&self.chain_pem, "certificate chain")?,
            private_key(&self.key_pem, "private key")?,
        ))
    }
}

/// A root store from PEM CA certificates. Certificates rustls cannot use are skipped; none
/// usable is an error.
pub fn root_store(pem: &[u8], what: &str) -> Result<rustls::RootCertStore, ConfigError> {
    let mut roots = rustls::RootCertStore::empty();
    let (added, _ignored) = roots.add_parsable_certificates(certificates(pem, what)?);
    if added == 0 {
        return Err(ConfigError::NoTrustAnchors {
            what: what.to_owned(),
        });
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_pem() {
        assert!(matches!(
            certificates(b"hello", "x"),
            Err(ConfigError::Pem { .. })
        ));
        let e = private_key(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "k",
        )
        .unwrap_err();
        assert!(
            matches!(e, ConfigError::Pem { ref detail, .. } if detail == "no PRIVATE KEY block"),
            "{e}"
        );
    }
}
