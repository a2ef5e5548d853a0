//! The CWMP SOAP header elements and their mustUnderstand rules.

use std::borrow::Cow;

use crate::version::{CwmpVersion, parse_version_list};

crate::owned::message! {
    /// The CWMP header elements of an envelope. Every one is optional on the wire.
    ///
    /// ```
    /// use cwmp_core::Header;
    /// let h = Header { id: Some("42".into()), ..Header::default() };
    /// assert_eq!(h.id.as_deref(), Some("42"));
    /// ```
    pub struct Header<'a> {
        /// `cwmp:ID`: the request's ID, echoed verbatim in its response or fault (any text,
        /// including empty).
        pub id: Option<Cow<'a, str>>,
        /// `cwmp:HoldRequests` (ACS to CPE): while true the CPE sends no requests in its next POST.
        pub hold_requests: Option<bool>,
        /// `cwmp:NoMoreRequests` (TR-069 2004, read but never written).
        pub no_more_requests: Option<bool>,
        /// `cwmp:SessionTimeout` (CPE to ACS in an Inform, 1.3): seconds.
        pub session_timeout: Option<u32>,
        /// `cwmp:SupportedCWMPVersions` (CPE to ACS in an Inform, 1.4): as sent, e.g. `1.0,1.4`.
        pub supported_cwmp_versions: Option<Cow<'a, str>>,
        /// `cwmp:UseCWMPVersion` (ACS to CPE in an InformResponse, 1.4).
        pub use_cwmp_version: Option<CwmpVersion>,
    }
}

impl<'a> Header<'a> {
    /// A header with only an ID.
    pub fn with_id(id: impl Into<Cow<'a, str>>) -> Self {
        Header {
            id: Some(id.into()),
            ..Header::default()
        }
    }

    /// The versions of SupportedCWMPVersions that this crate knows (unknown entries skipped).
    pub fn supported_versions(&self) -> Vec<CwmpVersion> {
        self.supported_cwmp_versions
            .as_deref()
            .map(|s| parse_version_list(s).collect())
            .unwrap_or_default()
    }
}

/// The CWMP header elements, for their wire names and mustUnderstand rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderElement {
    /// `ID`.
    Id,
    /// `HoldRequests`.
    HoldRequests,
    /// `NoMoreRequests`.
    NoMoreRequests,
    /// `SessionTimeout`.
    SessionTimeout,
    /// `SupportedCWMPVersions`.
    SupportedCwmpVersions,
    /// `UseCWMPVersion`.
    UseCwmpVersion,
}

impl HeaderElement {
    /// Every header element.
    pub const ALL: [HeaderElement; 6] = [
        HeaderElement::Id,
        HeaderElement::HoldRequests,
        HeaderElement::NoMoreRequests,
        HeaderElement::SessionTimeout,
        HeaderElement::SupportedCwmpVersions,
        HeaderElement::UseCwmpVersion,
    ];

    /// The element's local name.
    pub const fn name(self) -> &'static str {
        match self {
            HeaderElement::Id => "ID",
            HeaderElement::HoldRequests => "HoldRequests",
            HeaderElement::NoMoreRequests => "NoMoreRequests",
            HeaderElement::SessionTimeout => "SessionTimeout",
            HeaderElement::SupportedCwmpVersions => "SupportedCWMPVersions",
            HeaderElement::UseCwmpVersion => "UseCWMPVersion",
        }
    }

    /// The element of a local name (case-sensitive, as XML is).
    pub fn from_name(name: &str) -> Option<HeaderElement> {
        HeaderElement::ALL.into_iter().find(|h| h.name() == name)
    }

    /// The `mustUnderstand` value an encoder writes: 1 for ID, HoldRequests and UseCWMPVersion,
    /// 0 for SessionTimeout and SupportedCWMPVersions; `None` for NoMoreRequests, which is never
    /// written.
    pub const fn must_understand(self) -> Option<bool> {
        match self {
            HeaderElement::Id | HeaderElement::HoldRequests | HeaderElement::UseCwmpVersion => {
                Some(true)
            }
            HeaderElement::SessionTimeout | HeaderElement::SupportedCwmpVersions => Some(false),
            HeaderElement::NoMoreRequests => None,
        }
    }

    /// The version that introduced the element (NoMoreRequests predates 1.0's schema).
    pub const fn since(self) -> CwmpVersion {
        match self {
            HeaderElement::Id | HeaderElement::HoldRequests | HeaderElement::NoMoreRequests => {
                CwmpVersion::V1_0
            }
            HeaderElement::SessionTimeout => CwmpVersion::V1_3,
            HeaderElement::SupportedCwmpVersions | HeaderElement::UseCwmpVersion => {
                CwmpVersion::V1_4
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn must_understand_per_soap_14() {
        use HeaderElement::*;
        assert_eq!(Id.must_understand(), Some(true));
        assert_eq!(HoldRequests.must_understand(), Some(true));
        assert_eq!(UseCwmpVersion.must_understand(), Some(true));
        assert_eq!(SessionTimeout.must_understand(), Some(false));
        assert_eq!(SupportedCwmpVersions.must_understand(), Some(false));
        assert_eq!(NoMoreRequests.must_understand(), None);
        for h in HeaderElement::ALL {
            assert_eq!(HeaderElement::from_name(h.name()), Some(h));
        }
        assert_eq!(SessionTimeout.since(), CwmpVersion::V1_3);
    }

    #[test]
    fn supported_versions_parse_leniently() {
        let h = Header {
            supported_cwmp_versions: Some("1.0,1.2, 1.4,2.0".into()),
            ..Header::default()
        };
        assert_eq!(
            h.supported_versions(),
            vec![CwmpVersion::V1_0, CwmpVersion::V1_2, CwmpVersion::V1_4]
        );
        let owned: Header<'static> = h.clone().into_owned();
        assert_eq!(owned, h);
    }
}
