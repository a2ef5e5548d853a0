//! A throwaway lab PKI made with rcgen: a CA, an ACS server certificate, CPE client
//! certificates naming the device. Used by `cwmp tls`, `demo --tls` and the tests; not for
//! production keys.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use time::{Duration, OffsetDateTime};

use super::{ConfigError, Identity};

/// A validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// Start.
    pub not_before: OffsetDateTime,
    /// End.
    pub not_after: OffsetDateTime,
}

impl Validity {
    /// From an hour ago (clock skew) to `days` from now.
    pub fn days_from_now(days: u32) -> Validity {
        let now = OffsetDateTime::now_utc();
        Validity {
            not_before: now - Duration::hours(1),
            not_after: now + Duration::days(i64::from(days)),
        }
    }

    /// A period that ended `days_ago` days ago (for testing expiry).
    pub fn expired(days_ago: u32) -> Validity {
        let end = OffsetDateTime::now_utc() - Duration::days(i64::from(days_ago.max(1)));
        Validity {
            not_before: end - Duration::days(30),
            not_after: end,
        }
    }
}

/// A certificate authority that signs lab certificates.
pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
    key_pem: String,
}

impl std::fmt::Debug for Ca {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ca")
            .field("cert_pem", &self.cert_pem)
            .finish_non_exhaustive()
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "cwmp-rs lab");
    dn.push(DnType::CommonName, common_name);
    dn
}

impl Ca {
    /// A new self-signed CA (ECDSA P-256).
    pub fn new(common_name: &str, validity: Validity) -> Result<Ca, ConfigError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name = name(common_name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.not_before = validity.not_before;
        params.not_after = validity.not_after;
        let cert = params.self_signed(&key)?;
        let key_pem = key.serialize_pem();
        Ok(Ca {
            cert_pem: cert.pem(),
            key_pem,
            issuer: Issuer::new(params, key),
        })
    }

    /// A CA read back from its PEM certificate and key (as written by `cwmp tls make-ca`).
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Ca, ConfigError> {
        let key = KeyPair::from_pem(key_pem)?;
        let issuer = Issuer::from_ca_cert_pem(cert_pem, key)?;
        Ok(Ca {
            issuer,
            cert_pem: cert_pem.to_owned(),
            key_pem: key_pem.to_owned(),
        })
    }

    /// The CA certificate in PEM (what clients and servers trust).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA key in PEM (PKCS#8).
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// A server certificate for `names` (DNS names or IP addresses; the first is also the
    /// CN).
    pub fn issue_server(
        &self,
        names: &[String],
        validity: Validity,
    ) -> Result<Identity, ConfigError> {
        let mut params = CertificateParams::new(names.to_vec())?;
        params.distinguished_name = name(names.first().map(String::as_str).unwrap_or("acs"));
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.sign(params, validity)
    }

    /// A CPE client certificate for the device `device_id` (`OUI-ProductClass-Serial` or
    /// `OUI-Serial`): the id is the subject CN, and also a dNSName SAN when it is written
    /// with letters, digits, `-` and `.` only.
    pub fn issue_device(
        &self,
        device_id: &str,
        validity: Validity,
    ) -> Result<Identity, ConfigError> {
        let mut params = CertificateParams::default();
        params.distinguished_name = name(device_id);
        if !device_id.is_empty()
            && device_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            params.subject_alt_names = vec![SanType::DnsName(device_id.try_into()?)];
        }
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(params, validity)
    }

    fn sign(
        &self,
        mut params: CertificateParams,
        validity: Validity,
    ) -> Result<Identity, ConfigError> {
        params.not_before = validity.not_before;
        params.not_after = validity.not_after;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Identity {
            chain_pem: cert.pem().into_bytes(),
            key_pem: key.serialize_pem().into_bytes(),
        })
    }
}

/// Everything `demo --tls` and the tests need: a CA, an ACS certificate for `127.0.0.1`,
/// `::1` and `localhost`, and a CPE certificate for one device.
#[derive(Debug)]
pub struct LabPki {
    /// The CA that signed both.
    pub ca: Ca,
    /// The ACS's chain and key.
    pub acs: Identity,
    /// The CPE's chain and key.
    pub cpe: Identity,
}

impl LabPki {
    /// Generates the whole PKI in memory (valid for a day).
    pub fn generate(device_id: &str) -> Result<LabPki, ConfigError> {
        let validity = Validity::days_from_now(1);
        let ca = Ca::new("cwmp-rs lab CA", validity)?;
        let acs = ca.issue_server(&loopback_names(), validity)?;
        let cpe = ca.issue_device(device_id, validity)?;
        Ok(LabPki { ca, acs, cpe })
    }
}

/// `localhost`, `127.0.0.1` and `::1`.
pub fn loopback_names() -> Vec<String> {
    vec!["localhost".into(), "127.0.0.1".into(), "::1".into()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::PeerIdentity;

    #[test]
    fn device_certificate_names_the_device() {
        let pki = LabPki::generate("00CAFE-Box-SN1").unwrap();
        let certs = crate::tls::pem::certificates(&pki.cpe.chain_pem, "cpe").unwrap();
        let id = PeerIdentity::from_der(certs.first().unwrap()).unwrap();
        assert_eq!(id.common_names, vec!["00CAFE-Box-SN1".to_owned()]);
        assert_eq!(id.dns_names, vec!["00CAFE-Box-SN1".to_owned()]);
        // A ProductClass with a space: CN only.
        let odd = pki
            .ca
            .issue_device("00CAFE-Home Box-SN1", Validity::days_from_now(1))
            .unwrap();
        let certs = crate::tls::pem::certificates(&odd.chain_pem, "cpe").unwrap();
        let id = PeerIdentity::from_der(certs.first().unwrap()).unwrap();
        assert_eq!(id.common_names, vec!["00CAFE-Home Box-SN1".to_owned()]);
        assert!(id.dns_names.is_empty());
    }

    #[test]
    fn ca_round_trips_through_pem() {
        let ca = Ca::new("lab", Validity::days_from_now(2)).unwrap();
        let again = Ca::from_pem(ca.cert_pem(), ca.key_pem()).unwrap();
        let leaf = again
            .issue_device("00CAFE-SN9", Validity::days_from_now(1))
            .unwrap();
        // The leaf verifies against the original CA certificate.
        let roots = crate::tls::pem::root_store(ca.cert_pem().as_bytes(), "ca").unwrap();
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            std::sync::Arc::new(roots),
            std::sync::Arc::new(rustls::crypto::ring::default_provider()),
        )
        .build()
        .unwrap();
        let certs = crate::tls::pem::certificates(&leaf.chain_pem, "leaf").unwrap();
        verifier
            .verify_client_cert(
                certs.first().unwrap(),
                &[],
                rustls_pki_types::UnixTime::now(),
            )
            .unwrap();
    }
}
