//! TLS for the reference programs, on rustls with the *ring* provider (TLS 1.2 and 1.3
//! only). The library crates never see any of it: they are I/O-free.
//!
//! - [`server`]: an HTTPS listener's configuration (certificate chain and key from PEM,
//!   optional client-certificate verification against a CA) and the handshake, which yields
//!   the client certificate's names ([`PeerIdentity`]).
//! - [`identity`]: the device-binding rule: the client certificate's subject CN or SAN must
//!   spell the Inform's DeviceId (`OUI-ProductClass-Serial` or `OUI-Serial`).
//! - [`client`]: a client checking the server certificate against a CA bundle or the system
//!   trust store and the URL's host, with an optional client certificate.
//! - [`failure`]: rustls errors turned into one line (untrusted certificate, name mismatch,
//!   expired, missing client certificate, ...).
//! - [`policy`]: HTTP Basic only inside TLS.
//! - [`stream`]: one stream type for plain TCP and TLS.
//! - [`acs`]: the ACS's handshake per connection and the Inform's device binding.
//! - [`options`]: the programs' TLS command-line options.
//! - [`pki`]: a throwaway lab PKI (rcgen) for `cwmp tls`, `demo --tls` and the tests.

pub mod acs;
pub mod client;
pub mod error;
pub mod failure;
pub mod identity;
pub mod options;
pub mod pem;
pub mod pki;
pub mod policy;
pub mod server;
pub mod stream;

pub use acs::{AcsTls, ConnTls};
pub use client::{ClientSettings, TlsClient, Trust};
pub use error::ConfigError;
pub use failure::{FailureKind, Peer, TlsFailure};
pub use identity::{
    Binding, BindingMismatch, BindingRule, DeviceIdentity, PeerIdentity, check_binding,
};
pub use pem::Identity;
pub use policy::{BasicPolicy, BasicVerdict, Transport};
pub use server::{Accepted, ClientCertMode, ServerSettings, TlsServer};
pub use stream::MaybeTls;

/// The protocol versions we speak: TLS 1.3 and 1.2 (1.1 and 1.0 are refused).
pub(crate) static VERSIONS: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS13, &rustls::version::TLS12];
