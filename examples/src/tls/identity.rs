//! Who a client certificate names, and whether that is the device whose Inform arrived.
//!
//! The ACS reads the subject common name and the subject-alternative names of the
//! certificate a CPE presented ([`PeerIdentity::from_der`]) and, once the Inform's DeviceId
//! is known, checks a [`BindingRule`] with [`check_binding`]: a pure function, so the rule
//! is tested without a handshake.

use std::fmt;
use std::str::FromStr;

/// The names a certificate carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerIdentity {
    /// Every subject `CN` (usually one).
    pub common_names: Vec<String>,
    /// Subject-alternative `dNSName` entries.
    pub dns_names: Vec<String>,
    /// Subject-alternative `uniformResourceIdentifier` entries.
    pub uris: Vec<String>,
}

/// A certificate that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("client certificate unreadable: {0}")]
pub struct IdentityError(String);

impl PeerIdentity {
    /// Reads the names of a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<PeerIdentity, IdentityError> {
        let (_, cert) =
            x509_parser::parse_x509_certificate(der).map_err(|e| IdentityError(e.to_string()))?;
        let common_names = cert
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok())
            .map(str::to_owned)
            .collect();
        let mut id = PeerIdentity {
            common_names,
            ..PeerIdentity::default()
        };
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    x509_parser::extensions::GeneralName::DNSName(d) => {
                        id.dns_names.push((*d).to_owned())
                    }
                    x509_parser::extensions::GeneralName::URI(u) => id.uris.push((*u).to_owned()),
                    _ => {}
                }
            }
        }
        Ok(id)
    }

    /// Every name, CN first, for logs.
    pub fn names(&self) -> Vec<&str> {
        self.common_names
            .iter()
            .chain(&self.dns_names)
            .chain(&self.uris)
            .map(String::as_str)
            .collect()
    }
}

impl fmt::Display for PeerIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cn = self.common_names.join(",");
        write!(f, "CN={cn:?}")?;
        if !self.dns_names.is_empty() || !self.uris.is_empty() {
            let sans: Vec<String> = self
                .dns_names
                .iter()
                .map(|d| format!("DNS:{d}"))
                .chain(self.uris.iter().map(|u| format!("URI:{u}")))
                .collect();
            write!(f, " SAN=[{}]", sans.join(", "))?;
        }
        Ok(())
    }
}

/// Which names of the certificate are compared with the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BindingSource {
    /// No binding: any certificate the CA signed is accepted for any device.
    Off,
    /// The subject common name only.
    SubjectCn,
    /// The subject-alternative names only (dNSName, or a URI whose last `:`/`/` segment is
    /// the identity, e.g. `urn:dev:ops:00CAFE-Box-123`).
    San,
    /// The common name or any subject-alternative name.
    #[default]
    CnOrSan,
}

/// How the device identity is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdForm {
    /// `OUI-ProductClass-SerialNumber` (`OUI-SerialNumber` when the ProductClass is empty).
    Full,
    /// `OUI-SerialNumber`.
    Short,
    /// Either of the two.
    #[default]
    Either,
}

/// The device-binding rule of the ACS: which certificate names must spell the Inform's
/// DeviceId, and in which form. The default is `cn-or-san:either`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BindingRule {
    /// Names compared.
    pub source: BindingSource,
    /// Accepted spellings.
    pub form: IdForm,
}

/// The rule text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "device binding {0:?}: expected off, cn, san or cn-or-san, optionally followed by :full, :short or :either"
)]
pub struct BindingRuleError(String);

impl FromStr for BindingRule {
    type Err = BindingRuleError;

    /// `off`, or `SOURCE[:FORM]` with SOURCE `cn`, `san`, `cn-or-san` and FORM `full`,
    /// `short`, `either` (default `either`).
    fn from_str(s: &str) -> Result<BindingRule, BindingRuleError> {
        let err = || BindingRuleError(s.to_owned());
        let (source, form) = match s.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let source = match source {
            "off" if form.is_none() => BindingSource::Off,
            "cn" => BindingSource::SubjectCn,
            "san" => BindingSource::San,
            "cn-or-san" => BindingSource::CnOrSan,
            _ => return Err(err()),
        };
        let form = match form {
            None | Some("either") => IdForm::Either,
            Some("full") => IdForm::Full,
            Some("short") => IdForm::Short,
            Some(_) => return Err(err()),
        };
        Ok(BindingRule { source, form })
    }
}

impl fmt::Display for BindingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match self.source {
            BindingSource::Off => return f.write_str("off"),
            BindingSource::SubjectCn => "cn",
            BindingSource::San => "san",
            BindingSource::CnOrSan => "cn-or-san",
        };
        let form = match self.form {
            IdForm::Full => "full",
            IdForm::Short => "short",
            IdForm::Either => "either",
        };
        write!(f, "{source}:{form}")
    }
}

/// The device an Inform names (its DeviceId fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceIdentity<'a> {
    /// `DeviceId/OUI`.
    pub oui: &'a str,
    /// `DeviceId/ProductClass` (may be empty).
    pub product_class: &'a str,
    /// `DeviceId/SerialNumber`.
    pub serial: &'a str,
}

impl<'a> From<&'a cwmp_core::rpc::DeviceId<'_>> for DeviceIdentity<'a> {
    fn from(id: &'a cwmp_core::rpc::DeviceId<'_>) -> DeviceIdentity<'a> {
        DeviceIdentity {
            oui: &id.oui,
            product_class: &id.product_class,
            serial: &id.serial_number,
        }
    }
}

impl DeviceIdentity<'_> {
    /// `OUI-ProductClass-SerialNumber`, or `OUI-SerialNumber` when the ProductClass is empty.
    pub fn full(&self) -> String {
        if self.product_class.is_empty() {
            self.short()
        } else {
            format!("{}-{}-{}", self.oui, self.product_class, self.serial)
        }
    }

    /// `OUI-SerialNumber`.
    pub fn short(&self) -> String {
        format!("{}-{}", self.oui, self.serial)
    }
}

/// How a certificate was bound to the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// The rule is `off`.
    NotRequired,
    /// No client certificate was presented (client certificates were optional): the device
    /// is authenticated by other means.
    NoCertificate,
    /// This certificate name spells the device identity.
    Matched(String),
}

/// The certificate names another device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("client certificate {presented} does not name device {expected} (binding rule {rule})")]
pub struct BindingMismatch {
    /// The device identities that would have matched.
    pub expected: String,
    /// The certificate's names.
    pub presented: String,
    /// The rule applied.
    pub rule: BindingRule,
}

/// Checks a client certificate (`None`: none presented) against the Inform's DeviceId.
///
/// Common names are compared exactly; dNSName entries ignore ASCII case (DNS names are
/// case-insensitive and some tools lower-case them); a URI matches when it ends with the
/// identity after a `:` or `/`.
pub fn check_binding(
    rule: BindingRule,
    cert: Option<&PeerIdentity>,
    device: &DeviceIdentity<'_>,
) -> Result<Binding, BindingMismatch> {
    if rule.source == BindingSource::Off {
        return Ok(Binding::NotRequired);
    }
    let Some(cert) = cert else {
        return Ok(Binding::NoCertificate);
    };
    let mut wanted = Vec::with_capacity(2);
    if matches!(rule.form, IdForm::Full | IdForm::Either) {
        wanted.push(device.full());
    }
    if matches!(rule.form, IdForm::Short | IdForm::Either) && !wanted.contains(&device.short()) {
        wanted.push(device.short());
    }
    let use_cn = matches!(
        rule.source,
        BindingSource::SubjectCn | BindingSource::CnOrSan
    );
    let use_san = matches!(rule.source, BindingSource::San | BindingSource::CnOrSan);
    for w in &wanted {
        if use_cn && cert.common_names.iter().any(|cn| cn == w) {
            return Ok(Binding::Matched(format!("CN={w}")));
        }
        if use_san {
            if let Some(d) = cert.dns_names.iter().find(|d| d.eq_ignore_ascii_case(w)) {
                return Ok(Binding::Matched(format!("DNS:{d}")));
            }
            if let Some(u) = cert.uris.iter().find(|u| uri_names(u, w)) {
                return Ok(Binding::Matched(format!("URI:{u}")));
            }
        }
    }
    Err(BindingMismatch {
        expected: wanted.join(" or "),
        presented: cert.to_string(),
        rule,
    })
}

fn uri_names(uri: &str, id: &str) -> bool {
    uri.strip_suffix(id)
        .is_some_and(|head| head.ends_with([':', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: DeviceIdentity<'static> = DeviceIdentity {
        oui: "00CAFE",
        product_class: "Box",
        serial: "SN123",
    };

    fn cn(name: &str) -> PeerIdentity {
        PeerIdentity {
            common_names: vec![name.to_owned()],
            ..PeerIdentity::default()
        }
    }

    fn rule(s: &str) -> BindingRule {
        s.parse().unwrap()
    }

    #[test]
    fn full_and_short_forms() {
        let full = cn("00CAFE-Box-SN123");
        let short = cn("00CAFE-SN123");
        assert_eq!(
            check_binding(rule("cn:full"), Some(&full), &DEV),
            Ok(Binding::Matched("CN=00CAFE-Box-SN123".into()))
        );
        assert!(check_binding(rule("cn:full"), Some(&short), &DEV).is_err());
        assert_eq!(
            check_binding(rule("cn:short"), Some(&short), &DEV),
            Ok(Binding::Matched("CN=00CAFE-SN123".into()))
        );
        assert!(check_binding(rule("cn:short"), Some(&full), &DEV).is_err());
        assert!(check_binding(rule("cn"), Some(&full), &DEV).is_ok());
        assert!(check_binding(rule("cn"), Some(&short), &DEV).is_ok());
    }

    #[test]
    fn empty_product_class_full_is_short() {
        let dev = DeviceIdentity {
            product_class: "",
            ..DEV
        };
        assert_eq!(dev.full(), "00CAFE-SN123");
        assert!(check_binding(rule("cn:full"), Some(&cn("00CAFE-SN123")), &dev).is_ok());
        assert!(check_binding(rule("cn:full"), Some(&cn("00CAFE--SN123")), &dev).is_err());
    }

    #[test]
    fn other_device_is_a_mismatch() {
        let other = cn("00CAFE-Box-SN999");
        let err = check_binding(BindingRule::default(), Some(&other), &DEV).unwrap_err();
        assert_eq!(err.expected, "00CAFE-Box-SN123 or 00CAFE-SN123");
        assert_eq!(err.presented, "CN=\"00CAFE-Box-SN999\"");
        // Substrings and prefixes are no match.
        assert!(check_binding(rule("cn"), Some(&cn("00CAFE-Box-SN1234")), &DEV).is_err());
        assert!(check_binding(rule("cn"), Some(&cn("x00CAFE-SN123")), &DEV).is_err());
        // CN is exact (case matters for serial numbers).
        assert!(check_binding(rule("cn"), Some(&cn("00cafe-box-sn123")), &DEV).is_err());
    }

    #[test]
    fn san_sources() {
        let san = PeerIdentity {
            common_names: vec!["unrelated".into()],
            dns_names: vec!["00cafe-box-sn123".into()],
            uris: vec![],
        };
        assert_eq!(
            check_binding(rule("san"), Some(&san), &DEV),
            Ok(Binding::Matched("DNS:00cafe-box-sn123".into()))
        );
        assert!(check_binding(rule("cn"), Some(&san), &DEV).is_err());
        assert!(check_binding(rule("cn-or-san"), Some(&san), &DEV).is_ok());
        // A CN does not satisfy a SAN-only rule.
        assert!(check_binding(rule("san"), Some(&cn("00CAFE-Box-SN123")), &DEV).is_err());
        let uri = PeerIdentity {
            uris: vec![
                "urn:dev:ops:00CAFE-SN123".into(),
                "urn:x:100CAFE-SN123".into(),
            ],
            ..PeerIdentity::default()
        };
        assert_eq!(
            check_binding(rule("san:short"), Some(&uri), &DEV),
            Ok(Binding::Matched("URI:urn:dev:ops:00CAFE-SN123".into()))
        );
        let only_bad_uri = PeerIdentity {
            uris: vec!["urn:x:100CAFE-SN123".into()],
            ..PeerIdentity::default()
        };
        assert!(check_binding(rule("san"), Some(&only_bad_uri), &DEV).is_err());
    }

    #[test]
    fn off_and_absent_certificate() {
        let other = cn("someone-else");
        assert_eq!(
            check_binding(rule("off"), Some(&other), &DEV),
            Ok(Binding::NotRequired)
        );
        assert_eq!(
            check_binding(rule("cn-or-san"), None, &DEV),
            Ok(Binding::NoCertificate)
        );
    }

    #[test]
    fn rule_text() {
        for s in ["off", "cn:full", "san:short", "cn-or-san:either"] {
            assert_eq!(rule(s).to_string(), s);
        }
        assert_eq!(
            rule("cn"),
            BindingRule {
                source: BindingSource::SubjectCn,
                form: IdForm::Either
            }
        );
        assert_eq!(BindingRule::default().to_string(), "cn-or-san:either");
        for bad in ["", "off:full", "cn:", "subject", "cn:long", "CN"] {
            assert!(bad.parse::<BindingRule>().is_err(), "{bad:?}");
        }
    }
}
