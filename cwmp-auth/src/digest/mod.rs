//! HTTP Digest access authentication (RFC 7616, RFC 2617, RFC 2069 form).

mod challenge;
mod client;
mod server;

pub use challenge::{Chosen, DigestChallenge, QopSet, choose_challenge};
pub use client::DigestClient;
pub use server::{
    CredentialStore, DigestServer, MemoryNonceCounter, NcVerdict, NonceCounter, Password, Request,
    Users, Verified,
};
