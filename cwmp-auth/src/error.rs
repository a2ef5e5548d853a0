//! The crate's single error type.

/// Everything that can go wrong while parsing, building or verifying credentials.
///
/// Marked `#[non_exhaustive]`: match with a wildcard arm. No variant carries a password, a
/// hash of one or a secret key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A header value is not well formed; `offset` is the byte offset of the problem.
    #[error("header syntax error at byte {offset}: {reason}")]
    Syntax {
        /// Byte offset in the header value.
        offset: usize,
        /// What was expected or found.
        reason: &'static str,
    },
    /// A header value is longer than the configured limit.
    #[error("header value is {len} bytes, over the limit of {limit}")]
    TooLong {
        /// Length of the value.
        len: usize,
        /// The limit in force.
        limit: usize,
    },
    /// A header holds more challenges or parameters than the configured limit.
    #[error("more than {limit} {what} in one header")]
    TooMany {
        /// "challenges" or "parameters".
        what: &'static str,
        /// The limit in force.
        limit: usize,
    },
    /// The header is for another authentication scheme than the one expected.
    #[error("unexpected authentication scheme")]
    WrongScheme,
    /// A digest `algorithm` this crate does not implement (value truncated to 64 bytes).
    #[error("unknown digest algorithm `{0}`")]
    UnknownAlgorithm(String),
    /// A `qop` value that is not offered or not known (value truncated to 64 bytes).
    #[error("unsupported qop `{0}`")]
    UnsupportedQop(String),
    /// None of the challenges offered can be answered (no Digest or Basic with a known
    /// algorithm).
    #[error("no supported authentication challenge")]
    NoSupportedChallenge,
    /// A required parameter is absent.
    #[error("missing parameter `{0}`")]
    MissingParam(&'static str),
    /// A parameter is present but its value is not valid.
    #[error("invalid value for parameter `{0}`")]
    InvalidParam(&'static str),
    /// The realm in the credentials is not the server's realm.
    #[error("realm does not match")]
    RealmMismatch,
    /// The `uri` in the credentials is not the request target.
    #[error("digest uri does not match the request target")]
    UriMismatch,
    /// The nonce was not issued by this server (bad MAC, bad encoding).
    #[error("nonce was not issued by this server")]
    InvalidNonce,
    /// The nonce has expired (or was forgotten) but the response was otherwise correct:
    /// challenge again with `stale=true`.
    #[error("nonce is stale")]
    Stale,
    /// Wrong user name or password (or the server rejected our credentials).
    #[error("wrong credentials")]
    BadCredentials,
    /// A nonce count (or UDP message id / timestamp) that was seen before.
    #[error("replayed request")]
    Replay,
    /// The server's `rspauth` in `Authentication-Info` does not prove knowledge of the password.
    #[error("server authentication (rspauth) failed")]
    ServerAuthFailed,
    /// The server offers only Basic, which the client's policy or the transport (no TLS)
    /// does not allow.
    #[error("the server offers only Basic authentication, not allowed here")]
    BasicNotAllowed,
    /// The client has no challenge to answer yet.
    #[error("no challenge received yet")]
    NoChallenge,
    /// A value cannot be carried in an HTTP header (control characters, or a Basic user name
    /// containing `:`).
    #[error("value not allowed in a header: {0}")]
    InvalidValue(&'static str),
    /// The random source failed.
    #[error("random source failed")]
    Random,
    /// An HTTP status the connection-request client does not expect.
    #[error("unexpected HTTP status {0}")]
    UnexpectedStatus(u16),
    /// A UDP connection request datagram is malformed.
    #[error("malformed UDP connection request: {0}")]
    UdpMalformed(&'static str),
    /// A STUN message is not well framed; `offset` is the byte offset of the problem.
    #[error("malformed STUN message at byte {offset}: {reason}")]
    Stun {
        /// Byte offset in the datagram.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// An XMPP stanza is not well formed or is not what was expected; `offset` is the byte
    /// offset of the problem.
    #[error("malformed XMPP stanza at byte {offset}: {reason}")]
    Xmpp {
        /// Byte offset in the stanza.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Truncates peer-supplied text carried in an error.
pub(crate) fn excerpt(s: &str) -> String {
    s.chars().take(64).collect()
}
