//! CWMP protocol versions, the namespace each is written in, and version negotiation.

use std::fmt;
use std::str::FromStr;

use crate::fault::FaultCode;

/// A CWMP protocol version, 1.0 to 1.4 (TR-069 Amendments 1 to 6).
///
/// ```
/// use cwmp_core::CwmpVersion;
/// assert_eq!(CwmpVersion::V1_4.namespace(), "urn:dslforum-org:cwmp-1-2");
/// assert_eq!("1.1".parse::<CwmpVersion>(), Ok(CwmpVersion::V1_1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CwmpVersion {
    /// CWMP 1.0 (TR-069 and Amendment 1), namespace `cwmp-1-0`.
    #[cfg_attr(feature = "serde", serde(rename = "1.0"))]
    V1_0,
    /// CWMP 1.1 (Amendment 2), namespace `cwmp-1-1`.
    #[cfg_attr(feature = "serde", serde(rename = "1.1"))]
    V1_1,
    /// CWMP 1.2 (Amendment 3), namespace `cwmp-1-2`.
    #[cfg_attr(feature = "serde", serde(rename = "1.2"))]
    V1_2,
    /// CWMP 1.3 (Amendment 4), namespace `cwmp-1-2`; adds SessionTimeout.
    #[cfg_attr(feature = "serde", serde(rename = "1.3"))]
    V1_3,
    /// CWMP 1.4 (Amendments 5 and 6), namespace `cwmp-1-2`; adds version negotiation.
    #[cfg_attr(feature = "serde", serde(rename = "1.4"))]
    V1_4,
}

/// The cwmp namespace URIs that exist on the wire, with the version each implies.
///
/// `cwmp-1-3` and `cwmp-1-4` are not BBF namespaces (1.3 and 1.4 keep `cwmp-1-2`), but some
/// devices send them; they are read as 1.4.
pub const NAMESPACES: [(&str, CwmpVersion); 5] = [
    ("urn:dslforum-org:cwmp-1-0", CwmpVersion::V1_0),
    ("urn:dslforum-org:cwmp-1-1", CwmpVersion::V1_1),
    ("urn:dslforum-org:cwmp-1-2", CwmpVersion::V1_2),
    ("urn:dslforum-org:cwmp-1-3", CwmpVersion::V1_4),
    ("urn:dslforum-org:cwmp-1-4", CwmpVersion::V1_4),
];

impl CwmpVersion {
    /// Every version, oldest first.
    pub const ALL: [CwmpVersion; 5] = [
        CwmpVersion::V1_0,
        CwmpVersion::V1_1,
        CwmpVersion::V1_2,
        CwmpVersion::V1_3,
        CwmpVersion::V1_4,
    ];

    /// The newest version.
    pub const LATEST: CwmpVersion = CwmpVersion::V1_4;

    /// The namespace URI messages of this version are written in.
    pub const fn namespace(self) -> &'static str {
        match self {
            CwmpVersion::V1_0 => "urn:dslforum-org:cwmp-1-0",
            CwmpVersion::V1_1 => "urn:dslforum-org:cwmp-1-1",
            CwmpVersion::V1_2 | CwmpVersion::V1_3 | CwmpVersion::V1_4 => {
                "urn:dslforum-org:cwmp-1-2"
            }
        }
    }

    /// The version a cwmp namespace URI implies on its own, before headers are considered.
    ///
    /// Inlined and cheap for a URI that is none (decoders ask it of every element): every URI
    /// of [`NAMESPACES`] is `urn:dslforum-org:cwmp-1-` and one digit.
    #[inline]
    pub fn from_namespace(uri: &str) -> Option<CwmpVersion> {
        const STEM: &str = "urn:dslforum-org:cwmp-1-";
        let digit = match uri.as_bytes() {
            [.., d] if uri.len() == STEM.len() + 1 && uri.starts_with(STEM) => *d,
            _ => return None,
        };
        NAMESPACES
            .get(usize::from(digit.checked_sub(b'0')?))
            .map(|&(_, v)| v)
    }

    /// The `major.minor` text used in SupportedCWMPVersions and UseCWMPVersion.
    pub const fn as_str(self) -> &'static str {
        match self {
            CwmpVersion::V1_0 => "1.0",
            CwmpVersion::V1_1 => "1.1",
            CwmpVersion::V1_2 => "1.2",
            CwmpVersion::V1_3 => "1.3",
            CwmpVersion::V1_4 => "1.4",
        }
    }

    /// The minor version number (0 to 4).
    pub const fn minor(self) -> u8 {
        match self {
            CwmpVersion::V1_0 => 0,
            CwmpVersion::V1_1 => 1,
            CwmpVersion::V1_2 => 2,
            CwmpVersion::V1_3 => 3,
            CwmpVersion::V1_4 => 4,
        }
    }

    /// The session version of a message that carries no SupportedCWMPVersions, inferred from
    /// its namespace and whether it has a SessionTimeout header.
    ///
    /// ```
    /// use cwmp_core::CwmpVersion;
    /// assert_eq!(CwmpVersion::infer("urn:dslforum-org:cwmp-1-2", true, None), Some(CwmpVersion::V1_3));
    /// assert_eq!(CwmpVersion::infer("urn:dslforum-org:cwmp-1-2", false, None), Some(CwmpVersion::V1_2));
    /// assert_eq!(
    ///     CwmpVersion::infer("urn:dslforum-org:cwmp-1-2", false, Some("1.0,1.2,1.4")),
    ///     Some(CwmpVersion::V1_4)
    /// );
    /// ```
    pub fn infer(
        namespace: &str,
        has_session_timeout: bool,
        supported: Option<&str>,
    ) -> Option<CwmpVersion> {
        let by_namespace = CwmpVersion::from_namespace(namespace)?;
        if let Some(list) = supported {
            let highest = parse_version_list(list).max();
            return Some(highest.map_or(CwmpVersion::V1_4, |v| v.max(CwmpVersion::V1_4)));
        }
        if by_namespace == CwmpVersion::V1_2 && has_session_timeout {
            return Some(CwmpVersion::V1_3);
        }
        Some(by_namespace)
    }

    /// Picks the version for a session: the highest version both sides support.
    /// When there is none, the ACS answers with fault 8006, which is the error returned.
    ///
    /// ```
    /// use cwmp_core::{CwmpVersion, fault::FaultCode};
    /// use CwmpVersion::*;
    /// assert_eq!(CwmpVersion::negotiate([V1_0, V1_2, V1_4], [V1_0, V1_1, V1_2]), Ok(V1_2));
    /// assert_eq!(CwmpVersion::negotiate([V1_4], [V1_0]), Err(FaultCode::ACS_VERSION_INCOMPATIBLE));
    /// ```
    pub fn negotiate(
        cpe: impl IntoIterator<Item = CwmpVersion>,
        acs: impl IntoIterator<Item = CwmpVersion>,
    ) -> Result<CwmpVersion, FaultCode> {
        let acs: Vec<CwmpVersion> = acs.into_iter().collect();
        cpe.into_iter()
            .filter(|v| acs.contains(v))
            .max()
            .ok_or(FaultCode::ACS_VERSION_INCOMPATIBLE)
    }
}

/// Parses a SupportedCWMPVersions list (`1.0,1.1,1.2`), skipping entries that are not a known
/// version (a future `1.5` is ignored rather than refused) and tolerating spaces.
pub fn parse_version_list(list: &str) -> impl Iterator<Item = CwmpVersion> + '_ {
    list.split(',').filter_map(|item| item.trim().parse().ok())
}

/// Writes a SupportedCWMPVersions list.
///
/// ```
/// use cwmp_core::{CwmpVersion, version::format_version_list};
/// assert_eq!(format_version_list(&CwmpVersion::ALL), "1.0,1.1,1.2,1.3,1.4");
/// ```
pub fn format_version_list(versions: &[CwmpVersion]) -> String {
    let mut out = String::with_capacity(versions.len() * 4);
    for (i, v) in versions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(v.as_str());
    }
    out
}

/// The text is not one of `1.0` … `1.4`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown CWMP version {0:?} (expected 1.0 to 1.4)")]
pub struct UnknownVersion(pub String);

impl FromStr for CwmpVersion {
    type Err = UnknownVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CwmpVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or_else(|| UnknownVersion(s.to_owned()))
    }
}

impl fmt::Display for CwmpVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CwmpVersion::*;

    /// `from_namespace` (which reads the digit) against a search of [`NAMESPACES`], for each
    /// of them, each with its last byte replaced by every byte, and longer, shorter and other
    /// URIs.
    #[test]
    fn from_namespace_is_the_table() {
        let search = |uri: &str| NAMESPACES.iter().find(|(ns, _)| *ns == uri).map(|e| e.1);
        let mut uris: Vec<String> = vec![
            String::new(),
            "urn:dslforum-org:cwmp-1-".into(),
            "urn:dslforum-org:cwmp-1-10".into(),
            "urn:dslforum-org:cwmp-2-0".into(),
            "URN:dslforum-org:cwmp-1-0".into(),
            "http://schemas.xmlsoap.org/soap/envelope/".into(),
        ];
        for (ns, _) in NAMESPACES {
            uris.push(format!("{ns} "));
            uris.push(ns[1..].to_owned());
            for b in 0..=u8::MAX {
                let mut v = ns.as_bytes().to_vec();
                if let Some(last) = v.last_mut() {
                    *last = b;
                }
                if let Ok(s) = String::from_utf8(v) {
                    uris.push(s);
                }
            }
        }
        for uri in &uris {
            assert_eq!(CwmpVersion::from_namespace(uri), search(uri), "{uri:?}");
        }
        for (ns, v) in NAMESPACES {
            assert_eq!(CwmpVersion::from_namespace(ns), Some(v));
        }
    }

    #[test]
    fn namespaces_per_soap_01() {
        assert_eq!(V1_0.namespace(), "urn:dslforum-org:cwmp-1-0");
        assert_eq!(V1_1.namespace(), "urn:dslforum-org:cwmp-1-1");
        for v in [V1_2, V1_3, V1_4] {
            assert_eq!(v.namespace(), "urn:dslforum-org:cwmp-1-2");
        }
        assert_eq!(
            CwmpVersion::from_namespace("urn:dslforum-org:cwmp-1-3"),
            Some(V1_4)
        );
        assert_eq!(
            CwmpVersion::from_namespace("urn:dslforum-org:cwmp-2-0"),
            None
        );
    }

    #[test]
    fn inference_per_soap_02() {
        assert_eq!(
            CwmpVersion::infer("urn:dslforum-org:cwmp-1-0", true, None),
            Some(V1_0)
        );
        assert_eq!(
            CwmpVersion::infer("urn:dslforum-org:cwmp-1-1", false, None),
            Some(V1_1)
        );
        assert_eq!(
            CwmpVersion::infer("urn:dslforum-org:cwmp-1-2", true, None),
            Some(V1_3)
        );
        assert_eq!(
            CwmpVersion::infer("urn:dslforum-org:cwmp-1-2", false, Some("1.0,1.1")),
            Some(V1_4)
        );
        assert_eq!(CwmpVersion::infer("bogus", false, None), None);
    }

    #[test]
    fn negotiation_highest_common_or_8006() {
        let cpe = parse_version_list(" 1.0, 1.1 ,1.2,1.3,1.4,1.5").collect::<Vec<_>>();
        assert_eq!(cpe, CwmpVersion::ALL.to_vec());
        assert_eq!(
            CwmpVersion::negotiate(cpe.clone(), CwmpVersion::ALL),
            Ok(V1_4)
        );
        assert_eq!(CwmpVersion::negotiate(cpe, [V1_1, V1_3]), Ok(V1_3));
        assert_eq!(
            CwmpVersion::negotiate([], [V1_0]),
            Err(FaultCode::new(8006))
        );
        assert!("2.0".parse::<CwmpVersion>().is_err());
    }
}
