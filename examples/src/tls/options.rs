//! The TLS command-line options of the reference programs (clap, flattened into their
//! arguments).

use std::path::PathBuf;

use super::{
    BindingRule, ClientCertMode, ClientSettings, Identity, Peer, ServerSettings, TlsClient,
    TlsServer, Trust, acs::AcsTls, pem,
};

/// HTTPS listener options of the ACS.
#[derive(Debug, Clone, clap::Args)]
pub struct AcsTlsArgs {
    /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key.
    #[arg(long = "tls-cert", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The key of --tls-cert (PEM).
    #[arg(long = "tls-key", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// CA certificates (PEM) that issue CPE client certificates.
    #[arg(long = "client-ca", requires = "tls_cert")]
    pub client_ca: Option<PathBuf>,
    /// Client certificates: none, optional or required (default: required with
    /// --client-ca, none without).
    #[arg(long = "client-cert", requires = "client_ca")]
    pub client_cert: Option<ClientCertMode>,
    /// How a client certificate must name the Inform's DeviceId: off, cn, san or cn-or-san,
    /// optionally followed by :full (OUI-ProductClass-Serial), :short (OUI-Serial) or
    /// :either.
    #[arg(long = "device-binding", default_value = "cn-or-san:either")]
    pub device_binding: BindingRule,
    /// How CPEs authenticate: digest, basic (only over TLS unless
    /// --allow-insecure-basic), cert (the client certificate) or none (lab only).
    #[arg(long = "auth", default_value = "digest")]
    pub auth: super::acs::AuthPolicy,
    /// Accept Basic over plain HTTP (testing only).
    #[arg(long = "allow-insecure-basic")]
    pub allow_insecure_basic: bool,
    /// CA certificates (PEM) trusted for https:// connection-request URLs.
    #[arg(long = "cr-ca-file")]
    pub cr_ca_file: Option<PathBuf>,
}

impl AcsTlsArgs {
    /// The auth policy; `cert` needs client certificates, `none` is warned about loudly.
    pub fn auth_policy(&self) -> Result<super::acs::AuthPolicy, String> {
        use super::acs::AuthPolicy;
        let policy = match self.auth {
            AuthPolicy::Basic { .. } => AuthPolicy::Basic {
                allow_plain_http: self.allow_insecure_basic,
            },
            p => p,
        };
        match policy {
            AuthPolicy::ClientCertificate if self.client_ca.is_none() => {
                Err("--auth cert needs --client-ca (and --tls-cert)".into())
            }
            AuthPolicy::None => {
                crate::log::error(
                    "acs",
                    "WARNING: --auth none: every client is accepted without authentication (lab simulators only)",
                );
                Ok(policy)
            }
            AuthPolicy::Basic {
                allow_plain_http: true,
            } => {
                crate::log::error(
                    "acs",
                    "WARNING: --allow-insecure-basic: passwords may cross the network in clear text",
                );
                Ok(policy)
            }
            p => Ok(p),
        }
    }

    /// The TLS client for https:// connection-request URLs, `None` without --cr-ca-file.
    pub fn build_cr(&self) -> Result<Option<TlsClient>, String> {
        let Some(ca) = &self.cr_ca_file else {
            return Ok(None);
        };
        let settings = ClientSettings {
            trust: Trust::CaPem(pem::read(ca).map_err(|e| e.to_string())?),
            identity: None,
        };
        TlsClient::new(&settings, Peer::Cpe)
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// The ACS's TLS configuration, `None` without --tls-cert.
    pub fn build(&self) -> Result<Option<AcsTls>, String> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let client_ca_pem = match &self.client_ca {
            Some(p) => Some(pem::read(p).map_err(|e| e.to_string())?),
            None => None,
        };
        let client_cert = self.client_cert.unwrap_or(if client_ca_pem.is_some() {
            ClientCertMode::Required
        } else {
            ClientCertMode::None
        });
        let server = TlsServer::new(&ServerSettings {
            identity: Identity::from_files(cert, key).map_err(|e| e.to_string())?,
            client_ca_pem,
            client_cert,
        })
        .map_err(|e| e.to_string())?;
        Ok(Some(AcsTls {
            server,
            binding: self.device_binding,
        }))
    }
}

/// HTTPS client options of the CPE.
#[derive(Debug, Clone, clap::Args)]
pub struct CpeTlsArgs {
    /// CA certificates (PEM) trusted for an https:// ACS URL (default: the system trust
    /// store).
    #[arg(long = "ca-file")]
    pub ca_file: Option<PathBuf>,
    /// Client certificate chain (PEM) presented when the ACS asks.
    #[arg(long = "client-cert", requires = "client_key")]
    pub client_cert: Option<PathBuf>,
    /// The key of --client-cert (PEM).
    #[arg(long = "client-key", requires = "client_cert")]
    pub client_key: Option<PathBuf>,
    /// Serve the connection-request listener over HTTPS with this chain (PEM); needs
    /// --cr-tls-key. Plain HTTP by default, as in the field.
    #[arg(long = "cr-tls-cert", requires = "cr_tls_key")]
    pub cr_tls_cert: Option<PathBuf>,
    /// The key of --cr-tls-cert (PEM).
    #[arg(long = "cr-tls-key", requires = "cr_tls_cert")]
    pub cr_tls_key: Option<PathBuf>,
}

impl CpeTlsArgs {
    /// The connection-request listener's TLS server, `None` without --cr-tls-cert.
    pub fn build_cr(&self) -> Result<Option<TlsServer>, String> {
        let (Some(cert), Some(key)) = (&self.cr_tls_cert, &self.cr_tls_key) else {
            return Ok(None);
        };
        let settings = ServerSettings {
            identity: Identity::from_files(cert, key).map_err(|e| e.to_string())?,
            client_ca_pem: None,
            client_cert: ClientCertMode::None,
        };
        TlsServer::new(&settings)
            .map(|s| Some(s.with_peer(Peer::Acs)))
            .map_err(|e| e.to_string())
    }

    /// The TLS client for `acs_url`: `None` for an `http://` URL.
    pub fn build(&self, acs_url: &str) -> Result<Option<TlsClient>, String> {
        if !acs_url.starts_with("https://") {
            return Ok(None);
        }
        let trust = match &self.ca_file {
            Some(p) => Trust::CaPem(pem::read(p).map_err(|e| e.to_string())?),
            None => Trust::System,
        };
        let identity = match (&self.client_cert, &self.client_key) {
            (Some(c), Some(k)) => Some(Identity::from_files(c, k).map_err(|e| e.to_string())?),
            _ => None,
        };
        TlsClient::new(&ClientSettings { trust, identity }, Peer::Acs)
            .map(Some)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::acs::AuthPolicy;
    use clap::Parser;

    #[derive(Parser)]
    struct Acs {
        #[command(flatten)]
        tls: AcsTlsArgs,
    }

    fn acs(args: &[&str]) -> Result<AcsTlsArgs, clap::Error> {
        Acs::try_parse_from(std::iter::once("acs").chain(args.iter().copied())).map(|a| a.tls)
    }

    #[test]
    fn acs_options() {
        let plain = acs(&[]).unwrap();
        assert!(plain.build().unwrap().is_none());
        assert_eq!(plain.auth_policy().unwrap(), AuthPolicy::Digest);
        // A key without a certificate, a client CA without TLS: refused by clap.
        assert!(acs(&["--tls-key", "k.pem"]).is_err());
        assert!(acs(&["--client-ca", "ca.pem"]).is_err());
        assert!(acs(&["--device-binding", "subject"]).is_err());
        assert!(acs(&["--auth", "kerberos"]).is_err());
        // Certificates as credentials need a client CA.
        assert!(acs(&["--auth", "cert"]).unwrap().auth_policy().is_err());
        let basic = acs(&["--auth", "basic", "--allow-insecure-basic"]).unwrap();
        assert_eq!(
            basic.auth_policy().unwrap(),
            AuthPolicy::Basic {
                allow_plain_http: true
            }
        );
        // Missing files are one clear error.
        let missing = acs(&[
            "--tls-cert",
            "/nonexistent/c.pem",
            "--tls-key",
            "/nonexistent/k.pem",
        ])
        .unwrap();
        assert!(missing.build().unwrap_err().contains("/nonexistent/c.pem"));
    }

    #[derive(Parser)]
    struct Cpe {
        #[command(flatten)]
        tls: CpeTlsArgs,
    }

    #[test]
    fn cpe_options() {
        let none = Cpe::try_parse_from(["cpe"]).unwrap().tls;
        assert!(none.build("http://acs/").unwrap().is_none());
        assert!(none.build_cr().unwrap().is_none());
        let pki = crate::tls::pki::LabPki::generate("00CAFE-SN1").unwrap();
        let dir = std::env::temp_dir().join(format!("cwmp-tls-options-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, pki.ca.cert_pem()).unwrap();
        let with_ca = Cpe::try_parse_from(["cpe", "--ca-file", ca.to_str().unwrap()])
            .unwrap()
            .tls;
        assert_eq!(
            with_ca.build("https://acs/").unwrap().map(|c| c.peer()),
            Some(Peer::Acs)
        );
        assert!(Cpe::try_parse_from(["cpe", "--client-cert", "c.pem"]).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
