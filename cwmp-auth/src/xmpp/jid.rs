//! Jabber IDs and the CPE's `ConnReqAllowedJabberIDs` list.
//!
//! A JID is `[localpart@]domainpart[/resourcepart]` (RFC 7622). A full JID (with a resource)
//! in the allowed list matches only that resource; a bare JID matches the account with any
//! resource; an empty list allows every sender. Localpart and domainpart compare without
//! regard to ASCII case and the domainpart ignores a trailing dot; the resourcepart compares
//! exactly. (The full PRECIS/IDNA mappings of non-ASCII JIDs are not applied.)

use crate::Error;

/// Most entries in `ConnReqAllowedJabberIDs`.
pub const MAX_ALLOWED_JIDS: usize = 32;
/// Longest entry of `ConnReqAllowedJabberIDs`, in characters.
pub const MAX_ALLOWED_JID_LEN: usize = 256;
/// Longest part of a JID, in bytes (RFC 7622).
pub const MAX_JID_PART: usize = 1023;

/// A parsed JID, borrowing from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jid<'a> {
    local: Option<&'a str>,
    domain: &'a str,
    resource: Option<&'a str>,
}

impl<'a> Jid<'a> {
    /// Parses `[local@]domain[/resource]`. Fails with [`Error::InvalidValue`] on an empty
    /// part, a part over 1023 bytes, or whitespace / control characters outside the resource.
    pub fn parse(text: &'a str) -> Result<Jid<'a>, Error> {
        let (bare, resource) = match text.split_once('/') {
            Some((b, r)) => (b, Some(r)),
            None => (text, None),
        };
        let (local, domain) = match bare.split_once('@') {
            Some((l, d)) => (Some(l), d),
            None => (None, bare),
        };
        let bad = |s: &str| s.is_empty() || s.len() > MAX_JID_PART;
        if bad(domain) || local.is_some_and(bad) || resource.is_some_and(bad) {
            return Err(Error::InvalidValue("JID with an empty or over-long part"));
        }
        let spaced = |s: &str| s.chars().any(|c| c.is_whitespace() || c.is_control());
        if spaced(domain) || local.is_some_and(spaced) || domain.contains('@') {
            return Err(Error::InvalidValue(
                "JID with a space, control character or extra @",
            ));
        }
        if resource.is_some_and(|r| r.chars().any(char::is_control)) {
            return Err(Error::InvalidValue("JID resource with a control character"));
        }
        Ok(Jid {
            local,
            domain,
            resource,
        })
    }

    /// The localpart (the account name), if any.
    pub fn local(&self) -> Option<&'a str> {
        self.local
    }

    /// The domainpart.
    pub fn domain(&self) -> &'a str {
        self.domain
    }

    /// The resourcepart, if any (a full JID).
    pub fn resource(&self) -> Option<&'a str> {
        self.resource
    }

    /// The same JID without its resource.
    pub fn bare(&self) -> Jid<'a> {
        Jid {
            resource: None,
            ..*self
        }
    }

    fn same_account(&self, other: &Jid<'_>) -> bool {
        let local_eq = match (self.local, other.local) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (None, None) => true,
            _ => false,
        };
        let d = |s: &'a str| s.strip_suffix('.').unwrap_or(s);
        let da = d(self.domain);
        let db = other.domain.strip_suffix('.').unwrap_or(other.domain);
        local_eq && da.eq_ignore_ascii_case(db)
    }

    /// Whether a sender `self` matches the allowed entry `entry`: the same account, and the
    /// same resource when the entry is a full JID.
    pub fn matches(&self, entry: &Jid<'_>) -> bool {
        self.same_account(entry)
            && match entry.resource {
                Some(r) => self.resource == Some(r),
                None => true,
            }
    }
}

impl core::fmt::Display for Jid<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(l) = self.local {
            write!(f, "{l}@")?;
        }
        f.write_str(self.domain)?;
        if let Some(r) = self.resource {
            write!(f, "/{r}")?;
        }
        Ok(())
    }
}

/// The senders a CPE accepts XMPP connection requests from (`ConnReqAllowedJabberIDs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedJids {
    entries: Vec<String>,
}

impl AllowedJids {
    /// Allows every sender (the parameter's empty value).
    pub fn any() -> AllowedJids {
        AllowedJids::default()
    }

    /// Parses the parameter's value: a comma-separated list of up to 32 JIDs of up to 256
    /// characters each (spaces around items are ignored, empty items skipped). Fails with
    /// [`Error::InvalidParam`] when a limit is exceeded or an item is not a JID.
    pub fn parse(list: &str) -> Result<AllowedJids, Error> {
        let mut entries = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if entries.len() == MAX_ALLOWED_JIDS || item.chars().count() > MAX_ALLOWED_JID_LEN {
                return Err(Error::InvalidParam("ConnReqAllowedJabberIDs"));
            }
            Jid::parse(item).map_err(|_| Error::InvalidParam("ConnReqAllowedJabberIDs"))?;
            entries.push(item.to_owned());
        }
        Ok(AllowedJids { entries })
    }

    /// The entries, as written.
    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(String::as_str)
    }

    /// Whether `sender` (the `from` of the stanza) may send a connection request. An empty
    /// list allows everyone, even a stanza without `from`; otherwise a missing or malformed
    /// sender is refused.
    pub fn allows(&self, sender: Option<&str>) -> bool {
        if self.entries.is_empty() {
            return true;
        }
        let Some(sender) = sender.and_then(|s| Jid::parse(s).ok()) else {
            return false;
        };
        self.entries
            .iter()
            .filter_map(|e| Jid::parse(e).ok())
            .any(|e| sender.matches(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_parts() {
        let j = Jid::parse("acs@example.com/res/with/slash").unwrap();
        assert_eq!(
            (j.local(), j.domain(), j.resource()),
            (Some("acs"), "example.com", Some("res/with/slash"))
        );
        assert_eq!(j.bare().to_string(), "acs@example.com");
        assert_eq!(j.to_string(), "acs@example.com/res/with/slash");
        let j = Jid::parse("example.com").unwrap();
        assert_eq!((j.local(), j.resource()), (None, None));
        for bad in [
            "",
            "@example.com",
            "acs@",
            "acs@example.com/",
            "a b@example.com",
            "a@b@c",
        ] {
            assert!(Jid::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn matching_table() {
        // (allowed list, sender, allowed?)
        let table: &[(&str, Option<&str>, bool)] = &[
            ("", Some("anyone@anywhere.example/x"), true),
            ("", None, true),
            ("acs@example.com", Some("acs@example.com/res1"), true),
            ("acs@example.com", Some("acs@example.com"), true),
            ("acs@example.com", Some("ACS@Example.COM/r"), true),
            ("acs@example.com", Some("acs@example.com./r"), true),
            ("acs@example.com", Some("other@example.com/r"), false),
            ("acs@example.com", Some("acs@example.org/r"), false),
            ("acs@example.com/res1", Some("acs@example.com/res1"), true),
            ("acs@example.com/res1", Some("acs@example.com/res2"), false),
            ("acs@example.com/res1", Some("acs@example.com/RES1"), false),
            ("acs@example.com/res1", Some("acs@example.com"), false),
            (
                "other@x.example, acs@example.com/res1",
                Some("acs@example.com/res1"),
                true,
            ),
            ("acs@example.com", None, false),
            ("acs@example.com", Some("not a jid"), false),
            ("example.com", Some("example.com/r"), true),
            ("example.com", Some("acs@example.com/r"), false),
        ];
        for (list, sender, expected) in table {
            let allowed = AllowedJids::parse(list).unwrap();
            assert_eq!(allowed.allows(*sender), *expected, "{list:?} / {sender:?}");
        }
    }

    #[test]
    fn list_limits() {
        let list: Vec<String> = (0..32).map(|i| format!("a{i}@x.example")).collect();
        assert_eq!(
            AllowedJids::parse(&list.join(","))
                .unwrap()
                .entries()
                .count(),
            32
        );
        let list: Vec<String> = (0..33).map(|i| format!("a{i}@x.example")).collect();
        assert_eq!(
            AllowedJids::parse(&list.join(",")),
            Err(Error::InvalidParam("ConnReqAllowedJabberIDs"))
        );
        let long = format!("{}@x.example", "a".repeat(250));
        assert!(AllowedJids::parse(&long).is_err());
        assert!(AllowedJids::parse("ok@x.example, @bad").is_err());
        assert_eq!(AllowedJids::parse(" , ").unwrap(), AllowedJids::any());
    }
}
