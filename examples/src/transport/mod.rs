//! Connection-request transports for CPEs the ACS cannot reach over TCP (behind a NAT):
//!
//! - [`stun`]: the CPE keeps a STUN binding open from its UDP connection-request port and
//!   verifies signed UDP connection requests; the ACS sends them (TR-069 Annex G, TR-111).
//! - [`xmpp`]: both sides log in to an XMPP server; the ACS sends the `connectionRequest` IQ
//!   to the CPE's JID and the CPE answers it (TR-069 Annex K).
//! - [`cpe_side`] and [`acs_side`]: how the reference CPE and ACS use them; [`servers`] and
//!   [`demo`]: `demo --transports` with a real coturn and prosody.
//!
//! The protocol pieces (STUN codec and binding state machine, UDP request signing and
//! verification, IQ codec, JID rules) are cwmp-auth's; these modules only add sockets.
pub mod acs_side;
pub mod cpe_side;
pub mod demo;
pub mod servers;
pub mod stun;
pub mod xmpp;
