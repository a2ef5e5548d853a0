//! STUN for the UDP connection request (TR-069 Annex G, TR-111 Part 2), without I/O.
//!
//! A CPE behind a NAT keeps a STUN binding open from its connection-request port so that the
//! ACS can reach it with the signed UDP connection request of [`crate::udp`]:
//!
//! - [`message`]: the STUN message codec (RFC 5389, and RFC 3489 messages without the magic
//!   cookie), with the TR-111 attributes CONNECTION-REQUEST-BINDING and BINDING-CHANGE,
//!   MESSAGE-INTEGRITY (short- and long-term keys) and FINGERPRINT.
//! - [`binding`]: the CPE's binding client, a state machine with time passed in: Binding
//!   Requests with retransmission, the keep-alive schedule between STUNMinimumKeepAlivePeriod
//!   and STUNMaximumKeepAlivePeriod, credentials when the server asks, and detection of a
//!   changed mapped address (with the BINDING-CHANGE request TR-111 asks for).
//!
//! Connection requests and STUN responses arrive on the same socket: [`message::is_stun`]
//! tells them apart.
//!
//! ```
//! use cwmp_auth::stun::message::{Attribute, Message, is_stun};
//!
//! # fn main() -> Result<(), cwmp_auth::Error> {
//! let mut request = Message::binding_request([7; 12]);
//! request.attributes.push(Attribute::ConnectionRequestBinding);
//! let mut bytes = Vec::new();
//! request.encode(&mut bytes)?;
//! assert!(is_stun(&bytes));
//! assert_eq!(Message::parse(&bytes)?, request);
//! # Ok(())
//! # }
//! ```

pub mod binding;
pub mod message;

pub use binding::{
    BindingClient, BindingConfig, BindingEvent, BindingFailure, KeepAlive, nat_detected,
    udp_connection_request_address,
};
