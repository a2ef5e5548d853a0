//! The CPE's decision on an XMPP connection request, and its answer.

use super::jid::AllowedJids;
use super::stanza::{Condition, Iq, IqType, Payload, StanzaError};
use crate::util::{Secret, ct_eq};

/// What the CPE checks an XMPP connection request against: `ConnReqAllowedJabberIDs`,
/// `ConnectionRequestUsername` and `ConnectionRequestPassword`.
#[derive(Debug, Clone)]
pub struct ConnReqPolicy {
    allowed: AllowedJids,
    username: String,
    password: Secret,
}

/// The outcome of [`ConnReqPolicy::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Valid: answer `result` and start a session with `6 CONNECTION REQUEST`.
    Accept,
    /// The sender is not in `ConnReqAllowedJabberIDs`: `service-unavailable`, no session.
    SenderNotAllowed,
    /// Wrong user name or password: `not-authorized`, no session.
    BadCredentials,
    /// The CPE cannot start a session now (one is in progress or pending):
    /// `service-unavailable`.
    Busy,
    /// A `get`/`set` IQ for something else: `service-unavailable` (RFC 6120 §8.4).
    Unsupported,
    /// A `result` or `error` IQ: not a request, no answer.
    NotARequest,
}

impl Verdict {
    /// Whether the CPE starts a session.
    pub fn starts_session(self) -> bool {
        self == Verdict::Accept
    }

    /// The IQ to send back to `request`, if any.
    pub fn answer<'a>(self, request: &Iq<'a>) -> Option<Iq<'a>> {
        let condition = match self {
            Verdict::Accept => return Some(request.result()),
            Verdict::NotARequest => return None,
            Verdict::BadCredentials => Condition::NotAuthorized,
            Verdict::SenderNotAllowed | Verdict::Busy | Verdict::Unsupported => {
                Condition::ServiceUnavailable
            }
        };
        Some(request.error(StanzaError::new(condition)))
    }
}

impl ConnReqPolicy {
    /// A policy for the given allowed senders and connection-request credentials.
    pub fn new(
        allowed: AllowedJids,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> ConnReqPolicy {
        ConnReqPolicy {
            allowed,
            username: username.into(),
            password: Secret(password.into()),
        }
    }

    /// Checks a received IQ, in this order: is it a request, is the sender allowed, is it a
    /// connection request, are the credentials right (compared in constant time), can a
    /// session start now (`busy` is the caller's answer to that).
    pub fn check(&self, iq: &Iq<'_>, busy: bool) -> Verdict {
        if matches!(iq.kind, IqType::Result | IqType::Error) {
            return Verdict::NotARequest;
        }
        if !self.allowed.allows(iq.from.as_deref()) {
            return Verdict::SenderNotAllowed;
        }
        let Payload::ConnectionRequest { username, password } = &iq.payload else {
            return Verdict::Unsupported;
        };
        let user_ok = ct_eq(username.as_bytes(), self.username.as_bytes());
        let pass_ok = ct_eq(password.as_bytes(), self.password.0.as_bytes());
        if !(user_ok & pass_ok) {
            return Verdict::BadCredentials;
        }
        if busy {
            return Verdict::Busy;
        }
        Verdict::Accept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(list: &str) -> ConnReqPolicy {
        ConnReqPolicy::new(AllowedJids::parse(list).unwrap(), "cr-user", "cr-pass")
    }

    fn request(from: &str, user: &str, pass: &str) -> Iq<'static> {
        Iq::connection_request(
            "cr1",
            Some(from.to_owned().into()),
            "cpe@x.example/cwmp",
            user.to_owned(),
            pass.to_owned(),
        )
    }

    #[test]
    fn every_verdict_and_its_answer() {
        let p = policy("acs@x.example");
        let ok = request("acs@x.example/a", "cr-user", "cr-pass");
        assert_eq!(p.check(&ok, false), Verdict::Accept);
        assert!(Verdict::Accept.starts_session());
        assert_eq!(Verdict::Accept.answer(&ok).unwrap().kind, IqType::Result);

        let cases = [
            (
                request("acs@x.example/a", "cr-user", "wrong"),
                false,
                Verdict::BadCredentials,
                Condition::NotAuthorized,
            ),
            (
                request("acs@x.example/a", "other", "cr-pass"),
                false,
                Verdict::BadCredentials,
                Condition::NotAuthorized,
            ),
            (
                request("evil@x.example/a", "cr-user", "cr-pass"),
                false,
                Verdict::SenderNotAllowed,
                Condition::ServiceUnavailable,
            ),
            (
                request("acs@x.example/a", "cr-user", "cr-pass"),
                true,
                Verdict::Busy,
                Condition::ServiceUnavailable,
            ),
        ];
        for (iq, busy, verdict, condition) in cases {
            let v = p.check(&iq, busy);
            assert_eq!(v, verdict);
            assert!(!v.starts_session());
            let answer = v.answer(&iq).unwrap();
            assert_eq!(answer.kind, IqType::Error);
            assert_eq!(answer.id, "cr1");
            assert_eq!(answer.to.as_deref(), Some(iq.from.as_deref().unwrap()));
            assert_eq!(answer.stanza_error().unwrap().condition, condition);
            assert!(!answer.to_xml().unwrap().contains("cr-pass"));
        }

        // A sender not allowed is refused before its credentials are looked at.
        assert_eq!(
            p.check(&request("evil@x.example", "no", "no"), false),
            Verdict::SenderNotAllowed
        );
        // An empty list allows anyone.
        assert_eq!(
            policy("").check(&request("anyone@y.example/z", "cr-user", "cr-pass"), false),
            Verdict::Accept
        );

        let ping = Iq::parse(
            br#"<iq type="get" id="p" from="acs@x.example/a"><ping xmlns="urn:xmpp:ping"/></iq>"#,
        )
        .unwrap();
        assert_eq!(p.check(&ping, false), Verdict::Unsupported);
        assert_eq!(
            Verdict::Unsupported
                .answer(&ping)
                .unwrap()
                .stanza_error()
                .unwrap()
                .condition,
            Condition::ServiceUnavailable
        );
        let result = ok.result();
        assert_eq!(p.check(&result, false), Verdict::NotARequest);
        assert_eq!(Verdict::NotARequest.answer(&result), None);
    }
}
