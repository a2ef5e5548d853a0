//! XMPP connection request (TR-069 Annex K), without I/O.
//!
//! The ACS sends an IQ `get` carrying `connectionRequest` (namespace
//! `urn:broadband-forum-org:cwmp:xmppConnReq-1-0`, schema `cwmp-xmppConnReq-1-0.xsd`) to the
//! CPE's `ConnReqJabberID`; the CPE checks the sender against `ConnReqAllowedJabberIDs` and the
//! credentials against `ConnectionRequestUsername` / `ConnectionRequestPassword`, answers
//! `result` and opens a session with `6 CONNECTION REQUEST`, or answers an error.
//!
//! - [`stanza`]: build and parse the IQ and its answers (lenient parser with warnings).
//! - [`jid`]: JIDs and the allowed-sender list (full and bare JID rules).
//! - [`check`]: the CPE's decision and answer.
//!
//! The XMPP session itself (TCP, TLS, SASL, resource binding) belongs to the caller's XMPP
//! client; this module handles the stanzas that client delivers.
//!
//! ```
//! use cwmp_auth::xmpp::{AllowedJids, ConnReqPolicy, Iq, Verdict};
//!
//! # fn main() -> Result<(), cwmp_auth::Error> {
//! // ACS side.
//! let request = Iq::connection_request(
//!     "cr-1", None, "cpe-0001@xmpp.example/cwmp", "cr-user", "cr-pass",
//! );
//! let xml = request.to_xml()?;
//!
//! // CPE side: the server delivers it with the sender's full JID.
//! let delivered = xml.replace("<iq ", r#"<iq from="acs@xmpp.example/acs" "#);
//! let iq = Iq::parse(delivered.as_bytes())?;
//! let policy = ConnReqPolicy::new(AllowedJids::parse("acs@xmpp.example")?, "cr-user", "cr-pass");
//! let verdict = policy.check(&iq, false);
//! assert_eq!(verdict, Verdict::Accept);
//! let answer = verdict.answer(&iq).map(|a| a.to_xml()).transpose()?;
//! assert_eq!(
//!     answer.as_deref(),
//!     Some(r#"<iq type="result" id="cr-1" from="cpe-0001@xmpp.example/cwmp" to="acs@xmpp.example/acs"/>"#)
//! );
//! # Ok(())
//! # }
//! ```

pub mod check;
pub mod jid;
pub mod stanza;

pub use check::{ConnReqPolicy, Verdict};
pub use jid::{AllowedJids, Jid};
pub use stanza::{Condition, ErrorType, Iq, IqType, Payload, StanzaError, Warning};
