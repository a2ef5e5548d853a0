//! The crate's error type.

use crate::path::PathError;

/// Everything that can go wrong while loading a schema or parsing a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A malformed path.
    #[error(transparent)]
    Path(#[from] PathError),
    /// Malformed XML.
    #[error("{file}: XML error at byte {offset}: {message}")]
    Xml {
        /// The document.
        file: String,
        /// Byte offset in the document.
        offset: u64,
        /// What the XML reader reported.
        message: String,
    },
    /// The root element is not a `document` in a `urn:broadband-forum-org:cwmp:datamodel-1-x`
    /// namespace.
    #[error("{file}: not a BBF data-model document")]
    NotDataModel {
        /// The document.
        file: String,
    },
    /// A size, depth or count limit was exceeded.
    #[error("{file}: limit exceeded: {what}")]
    Limit {
        /// The document.
        file: String,
        /// Which limit.
        what: &'static str,
    },
    /// The [`Loader`](crate::Loader) could not supply a document.
    #[error("cannot load {file}: {message}")]
    Load {
        /// The document asked for.
        file: String,
        /// Why it failed.
        message: String,
    },
    /// A reference (component, model, base object or parameter) that names nothing.
    #[error("{file}: unresolved {kind} `{name}`")]
    Unresolved {
        /// The document holding the reference.
        file: String,
        /// `component`, `model`, `object` or `parameter`.
        kind: &'static str,
        /// The name referred to.
        name: String,
    },
    /// A definition whose name is not a valid path.
    #[error("{file}: invalid definition name `{name}`: {error}")]
    BadName {
        /// The document.
        file: String,
        /// The name as written (after prefixing).
        name: String,
        /// The path error.
        error: PathError,
    },
    /// No model was found in the loaded documents.
    #[error("no model was loaded")]
    NoModel,
}
