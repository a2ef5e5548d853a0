//! The one error type of the session engines: misuse of the API, never a peer's mistake.
//!
//! What a peer does wrong (a fault, a missing InformResponse, an unexpected message, a
//! timeout) is not an error of a call: it is reported as an event
//! ([`CpeEvent`](super::cpe::CpeEvent), [`AcsEvent`](super::acs::AcsEvent)) and usually ends
//! the session as failed.

/// A call that does not fit the engine's state or arguments the engine cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A session is already in progress (`start_session` called twice).
    #[error("a session is already in progress")]
    SessionInProgress,
    /// The call needs a session in progress and there is none.
    #[error("no session in progress")]
    NoSession,
    /// The session has ended; the engine takes no more input for it.
    #[error("the session has ended")]
    SessionEnded,
    /// An HTTP response was handed in while no POST was outstanding (or before the pending
    /// transmit was drained with `poll_transmit`).
    #[error("no HTTP request is outstanding")]
    NothingOutstanding,
    /// An HTTP request was handed in before the reply to the previous one was drained with
    /// `poll_reply`, or while the application still has to decide on a message.
    #[error("the previous request has not been answered yet")]
    ReplyPending,
    /// A decision (`accept`/`respond_with`/`reject`) was given while none was awaited, or an
    /// answer (`respond`) while no ACS request waits for one.
    #[error("no message is waiting for a decision")]
    NoDecisionPending,
    /// The body given to queue is not a request the CPE may send to an ACS (`TransferComplete`,
    /// `AutonomousTransferComplete`, `DUStateChangeComplete`,
    /// `AutonomousDUStateChangeComplete`, `GetRPCMethods`, `RequestDownload`, `Kicked`).
    #[error("{0} is not a request a CPE sends to an ACS")]
    NotACpeRequest(&'static str),
    /// The body given to enqueue is not a request the ACS may send to a CPE (a response, a
    /// fault, or a method the ACS implements).
    #[error("{0} is not a request an ACS sends to a CPE")]
    NotAnAcsRequest(&'static str),
    /// A request was enqueued after [`finish`](super::acs::AcsSession::finish).
    #[error("the session is finishing; no more requests are taken")]
    Finishing,
    /// The answer belongs to a request of another session, or the request was already
    /// answered.
    #[error("the answer does not belong to the request awaiting one")]
    StaleAnswer,
}
