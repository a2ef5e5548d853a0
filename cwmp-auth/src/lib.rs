//! HTTP authentication for TR-069 / CWMP, without I/O.
//!
//! What it does:
//!
//! - **Digest** (RFC 7616, RFC 2617, and the RFC 2069 form without qop), both sides
//!   ([`digest`]): algorithms MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256,
//!   SHA-512-256-sess; qop `auth` and `auth-int`; `userhash`; `username*` (RFC 5987);
//!   `stale`; `opaque`; several challenges in one or several headers, chosen by strength;
//!   `Authentication-Info` (`rspauth`, `nextnonce`) built and checked.
//! - A **lenient, bounded header parser** ([`header`]) for what real CPEs and ACSs send,
//!   borrowing from the input.
//! - **Stateless server nonces**: issue time plus random bytes, authenticated by HMAC-SHA-256
//!   under a server secret, so they survive a new TCP connection (AVM Fritzbox) and need no
//!   socket state; expiry gives `stale=true`; replays are caught by a [`NonceCounter`]
//!   (bounded in-memory implementation included).
//! - **Basic** (RFC 7617) both sides ([`basic`]), for use inside TLS only.
//! - **Connection requests**: the HTTP one as a sans-IO client helper ([`connreq`]) and the
//!   CPE's listener checks ([`crserver`]: digest, path, 503 during a session, rate limit), and
//!   the UDP one of TR-069 Annex G ([`udp`]).
//! - The **CPE's policy towards its ACS** ([`client_policy`]): digest, or Basic only when
//!   configured and over TLS.
//! - **Challenge order**: MD5 first, then SHA-256, by default on every server
//!   ([`digest::DEFAULT_ALGORITHMS`] says why).
//! - **STUN** for the UDP connection request (TR-111 Part 2, [`stun`]): the message codec with
//!   the TR-111 attributes and MESSAGE-INTEGRITY, and the CPE's binding client (keep-alive
//!   schedule, changed mapped address) as a state machine with time passed in.
//! - **XMPP connection request** (TR-069 Annex K, [`xmpp`]): the `connectionRequest` IQ and
//!   its answers, JID matching against `ConnReqAllowedJabberIDs`, the CPE's check.
//!
//! What it does not do: open sockets, speak HTTP, keep a clock or own a random generator
//! (time is passed in as Unix seconds, randomness through [`RandomSource`]; the default-on
//! feature `std-rand` provides [`OsRandom`] and [`unix_now`]), proxy authentication flows,
//! NTLM/Negotiate, or the XMPP session itself (TCP, TLS, SASL, resource binding: the job of
//! an XMPP client, which hands this crate the stanzas).
//!
//! [`NonceCounter`]: digest::NonceCounter
//!
//! # Client
//!
//! ```
//! use cwmp_auth::digest::DigestClient;
//! use cwmp_auth::http::{HeaderValue, Method};
//!
//! # fn main() -> Result<(), cwmp_auth::Error> {
//! let mut client = DigestClient::new("Mufasa", "Circle of Life");
//! // The 401's WWW-Authenticate values (any number; the strongest challenge wins).
//! let challenge = HeaderValue::from_static(concat!(
//!     r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, "#,
//!     r#"nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v""#,
//! ));
//! client.handle_unauthorized([&challenge], false)?;
//! let authorization = client.authorization(&Method::GET, "/dir/index.html", b"", &mut cwmp_auth::OsRandom)?;
//! assert!(authorization.to_str().unwrap().contains("algorithm=SHA-256"));
//! // Send the request again with `Authorization: {authorization}`. If the answer is another
//! // 401, call `handle_unauthorized(.., true)`: a stale nonce gives a retry, anything else
//! // `Error::BadCredentials`.
//! # Ok(())
//! # }
//! ```
//!
//! # Server
//!
//! ```
//! use cwmp_auth::digest::{DigestServer, MemoryNonceCounter, Request, Users};
//! use cwmp_auth::http::Method;
//! use cwmp_auth::{Error, OsRandom, unix_now};
//!
//! # fn main() -> Result<(), Error> {
//! let server = DigestServer::new("acs@example.org", b"a long random server secret......");
//! let users = Users::new().with("cpe-0001", "s3cret");
//! let counter = MemoryNonceCounter::default(); // `&self`: share it in an `Arc`
//! let now = unix_now();
//!
//! // A request without Authorization: answer 401 with these WWW-Authenticate values.
//! let challenges = server.challenges(now, &mut OsRandom, false)?;
//!
//! // (Here a client answers; in real life it arrives, maybe on a new TCP connection.)
//! let mut client = cwmp_auth::digest::DigestClient::new("cpe-0001", "s3cret");
//! client.handle_unauthorized(&challenges, false)?;
//! let authorization = client.authorization(&Method::POST, "/acs", b"<Inform/>", &mut OsRandom)?;
//!
//! let request = Request { method: &Method::POST, uri: "/acs", body: b"<Inform/>" };
//! match server.verify(&request, &authorization, now, &users, &counter) {
//!     Ok(verified) => assert_eq!(verified.username, "cpe-0001"),
//!     // Expired nonce, right password: 401 with `server.challenges(now, rng, true)`.
//!     Err(Error::Stale) => unreachable!(),
//!     // Anything else: 401 with fresh challenges.
//!     Err(e) => return Err(e),
//! }
//! # Ok(())
//! # }
//! ```
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod algorithm;
pub mod basic;
pub mod client_policy;
pub mod connreq;
pub mod crserver;
pub mod digest;
mod error;
pub mod header;
mod source;
pub mod stun;
pub mod udp;
mod util;
pub mod xmpp;

pub use algorithm::{Algorithm, Qop};
pub use error::Error;
/// The `http` crate, whose header types this crate's API uses.
pub use http;
pub use source::RandomSource;
#[cfg(feature = "std-rand")]
pub use source::{OsRandom, unix_now};
