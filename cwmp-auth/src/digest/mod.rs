//! HTTP Digest access authentication (RFC 7616, RFC 2617, RFC 2069 form).

mod challenge;
mod client;
mod nonce_counter;
mod server;

pub use challenge::{Chosen, DigestChallenge, QopSet, choose_challenge};
pub use client::DigestClient;
pub use nonce_counter::{MemoryNonceCounter, NcVerdict, NonceCounter};
pub use server::{
    Claim, CredentialStore, DEFAULT_ALGORITHMS, DigestServer, Password, Request, Unauthorized,
    UserRef, Users, Verified,
};
