//! The `connectionRequest` IQ of `cwmp-xmppConnReq-1-0.xsd` and its answers.
//!
//! ```xml
//! <iq type="get" id="cr1" from="acs@example.com/acs" to="cpe@example.com/cwmp">
//!   <connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0">
//!     <username>CR-username</username><password>CR-password</password>
//!   </connectionRequest></iq>
//! ```
//!
//! The CPE answers `type="result"` on success, or `type="error"` with an RFC 6120 stanza
//! error: `not-authorized` (type `auth`) for wrong credentials, `service-unavailable` (type
//! `cancel`) when the sender is not allowed or the CPE cannot start a session now. Error
//! answers never echo the request's payload: it holds the password.
//!
//! [`Iq::parse`] reads one `<iq>` element as an XMPP stream delivers it (namespace
//! `jabber:client`, `jabber:server` or none). It is lenient with what devices send (unqualified
//! `username`/`password`, `type="set"`, the misspelling `not-autorized`, an error answer that
//! echoes the request) and reports each such deviation as a [`Warning`].

use std::borrow::Cow;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use crate::Error;

/// Namespace of the `connectionRequest` element.
pub const NS_CONNECTION_REQUEST: &str = "urn:broadband-forum-org:cwmp:xmppConnReq-1-0";
/// Namespace of the RFC 6120 stanza error conditions.
pub const NS_STANZAS: &str = "urn:ietf:params:xml:ns:xmpp-stanzas";
/// Default namespace of client-to-server streams.
pub const NS_CLIENT: &str = "jabber:client";
const NS_SERVER: &str = "jabber:server";

/// Largest stanza [`Iq::parse`] accepts.
pub const MAX_STANZA: usize = 16 * 1024;
/// Deepest element nesting [`Iq::parse`] accepts.
pub const MAX_DEPTH: usize = 16;

/// The `type` of an IQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IqType {
    /// A query (the connection request is a `get`).
    Get,
    /// A command.
    Set,
    /// A success answer.
    Result,
    /// An error answer.
    Error,
}

impl IqType {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            IqType::Get => "get",
            IqType::Set => "set",
            IqType::Result => "result",
            IqType::Error => "error",
        }
    }
}

/// The `type` of a stanza error (RFC 6120 §8.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorType {
    /// Retry after providing credentials.
    Auth,
    /// Do not retry.
    Cancel,
    /// Proceed (the condition was only a warning).
    Continue,
    /// Retry after changing the data sent.
    Modify,
    /// Retry after waiting.
    Wait,
}

impl ErrorType {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Auth => "auth",
            ErrorType::Cancel => "cancel",
            ErrorType::Continue => "continue",
            ErrorType::Modify => "modify",
            ErrorType::Wait => "wait",
        }
    }

    fn parse(s: &str) -> Option<ErrorType> {
        Some(match s {
            "auth" => ErrorType::Auth,
            "cancel" => ErrorType::Cancel,
            "continue" => ErrorType::Continue,
            "modify" => ErrorType::Modify,
            "wait" => ErrorType::Wait,
            _ => return None,
        })
    }
}

/// A stanza error condition (the element in `urn:ietf:params:xml:ns:xmpp-stanzas`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Condition<'a> {
    /// `not-authorized`: wrong connection-request credentials.
    NotAuthorized,
    /// `service-unavailable`: the CPE cannot or will not serve the request.
    ServiceUnavailable,
    /// `bad-request`.
    BadRequest,
    /// `feature-not-implemented`.
    FeatureNotImplemented,
    /// Any other condition, by element name.
    Other(Cow<'a, str>),
}

impl Condition<'_> {
    /// The element name.
    pub fn name(&self) -> &str {
        match self {
            Condition::NotAuthorized => "not-authorized",
            Condition::ServiceUnavailable => "service-unavailable",
            Condition::BadRequest => "bad-request",
            Condition::FeatureNotImplemented => "feature-not-implemented",
            Condition::Other(n) => n,
        }
    }

    /// The error type RFC 6120 §8.3.3 gives with this condition.
    pub fn default_type(&self) -> ErrorType {
        match self {
            Condition::NotAuthorized => ErrorType::Auth,
            Condition::BadRequest => ErrorType::Modify,
            _ => ErrorType::Cancel,
        }
    }

    /// Copies what is borrowed.
    pub fn into_owned(self) -> Condition<'static> {
        match self {
            Condition::NotAuthorized => Condition::NotAuthorized,
            Condition::ServiceUnavailable => Condition::ServiceUnavailable,
            Condition::BadRequest => Condition::BadRequest,
            Condition::FeatureNotImplemented => Condition::FeatureNotImplemented,
            Condition::Other(n) => Condition::Other(Cow::Owned(n.into_owned())),
        }
    }
}

/// The `<error>` child of an error IQ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanzaError<'a> {
    /// The error type.
    pub kind: ErrorType,
    /// The defined condition.
    pub condition: Condition<'a>,
    /// The optional human-readable `<text>`.
    pub text: Option<Cow<'a, str>>,
}

impl<'a> StanzaError<'a> {
    /// An error with the condition's usual type and no text.
    pub fn new(condition: Condition<'a>) -> StanzaError<'a> {
        StanzaError {
            kind: condition.default_type(),
            condition,
            text: None,
        }
    }
}

/// What an IQ carries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload<'a> {
    /// A connection request with its credentials.
    ConnectionRequest {
        /// `ConnectionRequestUsername`.
        username: Cow<'a, str>,
        /// `ConnectionRequestPassword`.
        password: Cow<'a, str>,
    },
    /// Nothing (a `result`).
    Empty,
    /// A stanza error (an `error`).
    Error(StanzaError<'a>),
    /// A `get`/`set` for something else (answer it with `service-unavailable`, RFC 6120 §8.4).
    Unsupported {
        /// The child element's local name.
        name: Cow<'a, str>,
        /// The child element's namespace.
        namespace: Option<Cow<'a, str>>,
    },
}

/// An IQ stanza.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iq<'a> {
    /// The IQ type.
    pub kind: IqType,
    /// The id, echoed by the answer.
    pub id: Cow<'a, str>,
    /// The sender (set by the server on delivery).
    pub from: Option<Cow<'a, str>>,
    /// The addressee.
    pub to: Option<Cow<'a, str>>,
    /// The payload.
    pub payload: Payload<'a>,
}

/// A tolerated deviation found by [`Iq::parse_with_warnings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// `username` or `password` without the connection-request namespace (the schema
    /// qualifies them).
    UnqualifiedCredentials,
    /// A connection request sent as `type="set"` rather than `get`.
    ConnectionRequestAsSet,
    /// The condition written `not-autorized` (as some CPE firmware does), read as
    /// `not-authorized`.
    MisspelledNotAuthorized,
    /// An `<error>` without a valid `type`; the condition's usual type is assumed.
    ErrorWithoutType,
    /// Content the protocol does not use was skipped (a payload in a `result`, the request
    /// echoed in an `error`, an application-specific error element).
    IgnoredContent,
}

fn xerr(offset: u64, reason: &'static str) -> Error {
    Error::Xmpp {
        offset: usize::try_from(offset).unwrap_or(usize::MAX),
        reason,
    }
}

fn ns_of<'r>(r: &'r ResolveResult<'_>) -> Option<&'r [u8]> {
    match r {
        ResolveResult::Bound(Namespace(ns)) => Some(ns),
        _ => None,
    }
}

/// Appends a piece of text, borrowing when it is the only piece.
fn push_text<'a>(acc: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match acc {
        None => *acc = Some(piece),
        Some(a) => a.to_mut().push_str(&piece),
    }
}

struct Parser<'a> {
    reader: NsReader<&'a [u8]>,
    depth: usize,
}

enum Ev<'a> {
    Start {
        ns: Option<Vec<u8>>,
        start: BytesStart<'a>,
        empty: bool,
    },
    End,
    Text(Cow<'a, str>),
    Eof,
}

impl<'a> Parser<'a> {
    fn pos(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn next(&mut self) -> Result<Ev<'a>, Error> {
        loop {
            let pos = self.pos();
            let (ns, ev) = self
                .reader
                .read_resolved_event()
                .map_err(|_| xerr(pos, "not well-formed XML"))?;
            let ns = ns_of(&ns).map(<[u8]>::to_vec);
            return Ok(match ev {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(xerr(pos, "elements nested too deeply"));
                    }
                    Ev::Start {
                        ns,
                        start,
                        empty: false,
                    }
                }
                Event::Empty(start) => Ev::Start {
                    ns,
                    start,
                    empty: true,
                },
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End
                }
                Event::Text(t) => Ev::Text(xml_text(t.decode().ok(), pos)?),
                Event::CData(c) => Ev::Text(xml_text(c.decode().ok(), pos)?),
                Event::GeneralRef(r) => {
                    let ch = r
                        .resolve_char_ref()
                        .map_err(|_| xerr(pos, "bad character reference"))?;
                    match ch {
                        Some(c) if is_xml_char(c) => Ev::Text(Cow::Owned(c.to_string())),
                        Some(_) => return Err(xerr(pos, "reference to a character XML forbids")),
                        None => {
                            let name = r.decode().map_err(|_| xerr(pos, "bad reference"))?;
                            let v = quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| xerr(pos, "unknown entity"))?;
                            Ev::Text(Cow::Borrowed(v))
                        }
                    }
                }
                Event::Eof => Ev::Eof,
                Event::DocType(_) => return Err(xerr(pos, "DTD not allowed")),
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => continue,
            });
        }
    }

    /// Skips the rest of an element whose start was just read (not empty).
    fn skip(&mut self) -> Result<(), Error> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            match self.next()? {
                Ev::Eof => return Err(xerr(self.pos(), "unexpected end of input")),
                _ => continue,
            }
        }
        Ok(())
    }

    /// Reads the text content of a simple element whose start was just read.
    fn text(&mut self, empty: bool) -> Result<Cow<'a, str>, Error> {
        let mut acc = None;
        if !empty {
            loop {
                match self.next()? {
                    Ev::Text(t) => push_text(&mut acc, t),
                    Ev::End => break,
                    Ev::Start { .. } => {
                        return Err(xerr(self.pos(), "element inside a text value"));
                    }
                    Ev::Eof => return Err(xerr(self.pos(), "unexpected end of input")),
                }
            }
        }
        Ok(acc.unwrap_or(Cow::Borrowed("")))
    }
}

/// Decoded text, refused when it holds a character XML 1.0 forbids.
fn xml_text<'a>(t: Option<Cow<'a, str>>, pos: u64) -> Result<Cow<'a, str>, Error> {
    match t {
        Some(t) if t.chars().all(is_xml_char) => Ok(t),
        _ => Err(xerr(pos, "character XML forbids in text")),
    }
}

fn attr<'a>(start: &BytesStart<'a>, name: &[u8], pos: u64) -> Result<Option<Cow<'a, str>>, Error> {
    for a in start.attributes() {
        let a = a.map_err(|_| xerr(pos, "malformed attribute"))?;
        if a.key.as_ref() == name {
            let v = a
                .unescape_value()
                .map_err(|_| xerr(pos, "bad attribute value"))?;
            if !v.chars().all(is_xml_char) {
                return Err(xerr(pos, "character XML forbids in an attribute"));
            }
            // The unescaped value borrows from the attribute iterator, not the input.
            return Ok(Some(Cow::Owned(v.into_owned())));
        }
    }
    Ok(None)
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn local_name(start: &BytesStart<'_>) -> Vec<u8> {
    start.local_name().as_ref().to_vec()
}

impl<'a> Iq<'a> {
    /// A connection request from the ACS.
    pub fn connection_request(
        id: impl Into<Cow<'a, str>>,
        from: Option<Cow<'a, str>>,
        to: impl Into<Cow<'a, str>>,
        username: impl Into<Cow<'a, str>>,
        password: impl Into<Cow<'a, str>>,
    ) -> Iq<'a> {
        Iq {
            kind: IqType::Get,
            id: id.into(),
            from,
            to: Some(to.into()),
            payload: Payload::ConnectionRequest {
                username: username.into(),
                password: password.into(),
            },
        }
    }

    /// The `result` answer to this request: same id, addressed back to the sender.
    pub fn result(&self) -> Iq<'a> {
        Iq {
            kind: IqType::Result,
            id: self.id.clone(),
            from: self.to.clone(),
            to: self.from.clone(),
            payload: Payload::Empty,
        }
    }

    /// The `error` answer to this request (the request's payload is not echoed).
    pub fn error(&self, error: StanzaError<'a>) -> Iq<'a> {
        Iq {
            kind: IqType::Error,
            id: self.id.clone(),
            from: self.to.clone(),
            to: self.from.clone(),
            payload: Payload::Error(error),
        }
    }

    /// The stanza error of an `error` IQ.
    pub fn stanza_error(&self) -> Option<&StanzaError<'a>> {
        match &self.payload {
            Payload::Error(e) => Some(e),
            _ => None,
        }
    }

    /// Copies what is borrowed.
    pub fn into_owned(self) -> Iq<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        Iq {
            kind: self.kind,
            id: own(self.id),
            from: self.from.map(own),
            to: self.to.map(own),
            payload: match self.payload {
                Payload::ConnectionRequest { username, password } => Payload::ConnectionRequest {
                    username: own(username),
                    password: own(password),
                },
                Payload::Empty => Payload::Empty,
                Payload::Error(e) => Payload::Error(StanzaError {
                    kind: e.kind,
                    condition: e.condition.into_owned(),
                    text: e.text.map(own),
                }),
                Payload::Unsupported { name, namespace } => Payload::Unsupported {
                    name: own(name),
                    namespace: namespace.map(own),
                },
            },
        }
    }

    /// Parses one `<iq>` element; deviations are tolerated silently (see
    /// [`parse_with_warnings`](Self::parse_with_warnings)).
    pub fn parse(stanza: &'a [u8]) -> Result<Iq<'a>, Error> {
        Iq::parse_with_warnings(stanza, &mut Vec::new())
    }

    /// Parses one `<iq>` element and reports each tolerated deviation.
    ///
    /// Errors ([`Error::Xmpp`], with the byte offset): input over [`MAX_STANZA`] bytes or not
    /// UTF-8, XML that is not well formed (or has a DTD or unknown entities), a root that is
    /// not an `iq` of the client or server namespace, a missing or unknown `type`, a missing
    /// `id`, a `get`/`set` without a child, a connection request without `username` or
    /// `password`, an `error` IQ without a stanza error condition.
    pub fn parse_with_warnings(
        stanza: &'a [u8],
        warnings: &mut Vec<Warning>,
    ) -> Result<Iq<'a>, Error> {
        if stanza.len() > MAX_STANZA {
            return Err(xerr(0, "stanza longer than the limit"));
        }
        let text =
            std::str::from_utf8(stanza).map_err(|e| xerr(e.valid_up_to() as u64, "not UTF-8"))?;
        let mut reader = NsReader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut p = Parser { reader, depth: 0 };

        let (root, root_empty) = loop {
            match p.next()? {
                Ev::Start { ns, start, empty } => {
                    let ns_ok = match ns.as_deref() {
                        None => true,
                        Some(n) => n == NS_CLIENT.as_bytes() || n == NS_SERVER.as_bytes(),
                    };
                    if local_name(&start) != b"iq" || !ns_ok {
                        return Err(xerr(0, "not an iq stanza"));
                    }
                    break (start, empty);
                }
                Ev::Text(t) if t.trim().is_empty() => continue,
                _ => return Err(xerr(p.pos(), "no iq element")),
            }
        };
        let kind = match attr(&root, b"type", 0)?.as_deref() {
            Some("get") => IqType::Get,
            Some("set") => IqType::Set,
            Some("result") => IqType::Result,
            Some("error") => IqType::Error,
            _ => return Err(xerr(0, "iq without a valid type")),
        };
        let id = attr(&root, b"id", 0)?.ok_or_else(|| xerr(0, "iq without an id"))?;
        let from = attr(&root, b"from", 0)?;
        let to = attr(&root, b"to", 0)?;

        let mut payload = None;
        if !root_empty {
            loop {
                let pos = p.pos();
                match p.next()? {
                    Ev::End => break,
                    Ev::Eof => return Err(xerr(pos, "unexpected end of input")),
                    Ev::Text(t) => {
                        if !t.trim().is_empty() {
                            return Err(xerr(pos, "text directly inside iq"));
                        }
                    }
                    Ev::Start { ns, start, empty } => {
                        let name = local_name(&start);
                        let ns_present = ns.as_ref().is_some_and(|n| !n.is_empty());
                        let client_ns = match ns.as_deref() {
                            None => true,
                            Some(n) => n == NS_CLIENT.as_bytes() || n == NS_SERVER.as_bytes(),
                        };
                        let is_cr = name == b"connectionRequest"
                            && ns.as_deref() == Some(NS_CONNECTION_REQUEST.as_bytes());
                        match kind {
                            IqType::Get | IqType::Set if payload.is_none() && is_cr => {
                                if kind == IqType::Set {
                                    warnings.push(Warning::ConnectionRequestAsSet);
                                }
                                payload = Some(parse_connection_request(&mut p, empty, warnings)?);
                            }
                            IqType::Get | IqType::Set if payload.is_none() => {
                                let name = String::from_utf8(name)
                                    .ok()
                                    .filter(|n| check_name(n).is_ok())
                                    .ok_or_else(|| xerr(pos, "invalid element name"))?;
                                let namespace = ns
                                    .filter(|n| !n.is_empty())
                                    .map(String::from_utf8)
                                    .transpose()
                                    .ok()
                                    .flatten()
                                    // Namespace values are compared and kept as written (no
                                    // entity expansion): refuse what would need it.
                                    .filter(|n| {
                                        n.chars().all(|c| {
                                            is_xml_char(c)
                                                && !c.is_whitespace()
                                                && !matches!(c, '&' | '<' | '>' | '"' | '\'')
                                        })
                                    });
                                let namespace = match (namespace, ns_present) {
                                    (None, true) => {
                                        return Err(xerr(
                                            pos,
                                            "namespace not UTF-8, or with a character or reference it may not hold",
                                        ));
                                    }
                                    (n, _) => n,
                                };
                                payload = Some(Payload::Unsupported {
                                    name: Cow::Owned(name),
                                    namespace: namespace.map(Cow::Owned),
                                });
                                if !empty {
                                    p.skip()?;
                                }
                            }
                            IqType::Error if name == b"error" && client_ns && payload.is_none() => {
                                payload = Some(Payload::Error(parse_error(
                                    &mut p, &start, empty, pos, warnings,
                                )?));
                            }
                            _ => {
                                warnings.push(Warning::IgnoredContent);
                                if !empty {
                                    p.skip()?;
                                }
                            }
                        }
                    }
                }
            }
        }
        // Nothing but whitespace may follow.
        loop {
            let pos = p.pos();
            match p.next()? {
                Ev::Eof => break,
                Ev::Text(t) if t.trim().is_empty() => continue,
                _ => return Err(xerr(pos, "content after the iq element")),
            }
        }
        let payload = match (kind, payload) {
            (IqType::Result, _) => Payload::Empty,
            (IqType::Error, Some(p @ Payload::Error(_))) => p,
            (IqType::Error, _) => return Err(xerr(0, "error iq without an error element")),
            (_, Some(p)) => p,
            (_, None) => return Err(xerr(0, "get or set iq without a child")),
        };
        Ok(Iq {
            kind,
            id,
            from,
            to,
            payload,
        })
    }

    /// Writes the stanza (`jabber:client` namespace implied by the stream, as stanzas are
    /// sent inside one).
    ///
    /// Fails with [`Error::InvalidValue`] when a value holds a character XML 1.0 cannot
    /// carry, or a condition / element name is not a plain XML name.
    pub fn to_xml(&self) -> Result<String, Error> {
        let mut out = String::with_capacity(256);
        out.push_str("<iq type=\"");
        out.push_str(self.kind.as_str());
        out.push_str("\" id=\"");
        escape_into(&mut out, &self.id)?;
        out.push('"');
        if let Some(from) = &self.from {
            out.push_str(" from=\"");
            escape_into(&mut out, from)?;
            out.push('"');
        }
        if let Some(to) = &self.to {
            out.push_str(" to=\"");
            escape_into(&mut out, to)?;
            out.push('"');
        }
        match &self.payload {
            Payload::Empty => {
                out.push_str("/>");
                return Ok(out);
            }
            Payload::ConnectionRequest { username, password } => {
                out.push_str("><connectionRequest xmlns=\"");
                out.push_str(NS_CONNECTION_REQUEST);
                out.push_str("\"><username>");
                escape_into(&mut out, username)?;
                out.push_str("</username><password>");
                escape_into(&mut out, password)?;
                out.push_str("</password></connectionRequest>");
            }
            Payload::Error(e) => {
                out.push_str("><error type=\"");
                out.push_str(e.kind.as_str());
                out.push_str("\"><");
                check_name(e.condition.name())?;
                out.push_str(e.condition.name());
                out.push_str(" xmlns=\"");
                out.push_str(NS_STANZAS);
                out.push_str("\"/>");
                if let Some(t) = &e.text {
                    out.push_str("<text xmlns=\"");
                    out.push_str(NS_STANZAS);
                    out.push_str("\">");
                    escape_into(&mut out, t)?;
                    out.push_str("</text>");
                }
                out.push_str("</error>");
            }
            Payload::Unsupported { name, namespace } => {
                check_name(name)?;
                out.push_str("><");
                out.push_str(name);
                if let Some(ns) = namespace {
                    out.push_str(" xmlns=\"");
                    escape_into(&mut out, ns)?;
                    out.push('"');
                }
                out.push_str("/>");
            }
        }
        out.push_str("</iq>");
        Ok(out)
    }
}

fn parse_connection_request<'a>(
    p: &mut Parser<'a>,
    empty: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Payload<'a>, Error> {
    let (mut username, mut password) = (None, None);
    if !empty {
        loop {
            let pos = p.pos();
            match p.next()? {
                Ev::End => break,
                Ev::Eof => return Err(xerr(pos, "unexpected end of input")),
                Ev::Text(t) => {
                    if !t.trim().is_empty() {
                        return Err(xerr(pos, "text directly inside connectionRequest"));
                    }
                }
                Ev::Start { ns, start, empty } => {
                    let name = local_name(&start);
                    let qualified = ns.as_deref() == Some(NS_CONNECTION_REQUEST.as_bytes());
                    let unqualified = ns.is_none();
                    let slot = match name.as_slice() {
                        b"username" if qualified || unqualified => &mut username,
                        b"password" if qualified || unqualified => &mut password,
                        _ => return Err(xerr(pos, "unexpected element in connectionRequest")),
                    };
                    if slot.is_some() {
                        return Err(xerr(pos, "repeated element in connectionRequest"));
                    }
                    if unqualified && !warnings.contains(&Warning::UnqualifiedCredentials) {
                        warnings.push(Warning::UnqualifiedCredentials);
                    }
                    *slot = Some(p.text(empty)?);
                }
            }
        }
    }
    match (username, password) {
        (Some(username), Some(password)) => Ok(Payload::ConnectionRequest { username, password }),
        (None, _) => Err(xerr(p.pos(), "connectionRequest without username")),
        (_, None) => Err(xerr(p.pos(), "connectionRequest without password")),
    }
}

fn parse_error<'a>(
    p: &mut Parser<'a>,
    start: &BytesStart<'a>,
    empty: bool,
    pos: u64,
    warnings: &mut Vec<Warning>,
) -> Result<StanzaError<'a>, Error> {
    let kind = attr(start, b"type", pos)?
        .as_deref()
        .and_then(ErrorType::parse);
    let (mut condition, mut text) = (None, None);
    if !empty {
        loop {
            let pos = p.pos();
            match p.next()? {
                Ev::End => break,
                Ev::Eof => return Err(xerr(pos, "unexpected end of input")),
                Ev::Text(_) => continue,
                Ev::Start { ns, start, empty } => {
                    let name = local_name(&start);
                    let stanzas = ns.as_deref() == Some(NS_STANZAS.as_bytes());
                    if stanzas && name == b"text" && text.is_none() {
                        text = Some(p.text(empty)?);
                        continue;
                    }
                    if stanzas && condition.is_none() {
                        condition = Some(match name.as_slice() {
                            b"not-authorized" => Condition::NotAuthorized,
                            b"not-autorized" => {
                                warnings.push(Warning::MisspelledNotAuthorized);
                                Condition::NotAuthorized
                            }
                            b"service-unavailable" => Condition::ServiceUnavailable,
                            b"bad-request" => Condition::BadRequest,
                            b"feature-not-implemented" => Condition::FeatureNotImplemented,
                            other => Condition::Other(Cow::Owned(
                                String::from_utf8(other.to_vec())
                                    .ok()
                                    .filter(|n| check_name(n).is_ok())
                                    .ok_or_else(|| xerr(pos, "invalid element name"))?,
                            )),
                        });
                    } else {
                        warnings.push(Warning::IgnoredContent);
                    }
                    if !empty {
                        p.skip()?;
                    }
                }
            }
        }
    }
    let condition = condition.ok_or_else(|| xerr(pos, "error without a defined condition"))?;
    let kind = match kind {
        Some(k) => k,
        None => {
            warnings.push(Warning::ErrorWithoutType);
            condition.default_type()
        }
    };
    Ok(StanzaError {
        kind,
        condition,
        text,
    })
}

fn escape_into(out: &mut String, s: &str) -> Result<(), Error> {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => return Err(Error::InvalidValue("character XML 1.0 cannot carry")),
        }
    }
    Ok(())
}

/// A plain XML name without a prefix (what our parser hands out as a local name).
fn check_name(name: &str) -> Result<(), Error> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(Error::InvalidValue("not a plain XML element name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CR: &str = r#"<iq type="get" id="cr001" from="acs@example.com/acs" to="cpe-1@example.com/cwmp"><connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0"><username>cr-user</username><password>cr-pass</password></connectionRequest></iq>"#;

    #[test]
    fn connection_request_round_trip() {
        let iq = Iq::connection_request(
            "cr001",
            Some("acs@example.com/acs".into()),
            "cpe-1@example.com/cwmp",
            "cr-user",
            "cr-pass",
        );
        let xml = iq.to_xml().unwrap();
        assert_eq!(xml, CR);
        let mut w = Vec::new();
        let back = Iq::parse_with_warnings(xml.as_bytes(), &mut w).unwrap();
        assert_eq!(back, iq);
        assert!(w.is_empty());
        assert!(matches!(back.id, Cow::Borrowed(_)) || back.id == "cr001");
        assert!(matches!(
            back.payload,
            Payload::ConnectionRequest {
                username: Cow::Borrowed("cr-user"),
                ..
            }
        ));
    }

    #[test]
    fn prefixed_whitespaced_and_escaped_request() {
        // Whitespace between the elements (as a deployed STB's ACS sends it), a prefixed
        // namespace, escaped characters in the credentials, jabber:client declared.
        let xml = "<iq xmlns='jabber:client' id='123456' to='987654321@stb.example/stb' type='get'>\
            <cr:connectionRequest xmlns:cr='urn:broadband-forum-org:cwmp:xmppConnReq-1-0'>   \
            <cr:username>30918F-STB-987654321</cr:username>   \
            <cr:password>a&amp;b&lt;&#x43;<![CDATA[]]>d</cr:password></cr:connectionRequest></iq>";
        let iq = Iq::parse(xml.as_bytes()).unwrap();
        assert_eq!(iq.kind, IqType::Get);
        assert_eq!(iq.from, None);
        assert_eq!(
            iq.payload,
            Payload::ConnectionRequest {
                username: "30918F-STB-987654321".into(),
                password: "a&b<Cd".into()
            }
        );
    }

    #[test]
    fn lenient_forms_give_warnings() {
        let xml = r#"<iq type="set" id="1"><connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0"><username xmlns="">u</username><password xmlns="">p</password></connectionRequest></iq>"#;
        let mut w = Vec::new();
        let iq = Iq::parse_with_warnings(xml.as_bytes(), &mut w).unwrap();
        assert_eq!(
            w,
            vec![
                Warning::ConnectionRequestAsSet,
                Warning::UnqualifiedCredentials
            ]
        );
        assert!(matches!(iq.payload, Payload::ConnectionRequest { .. }));
    }

    #[test]
    fn every_answer_round_trips() {
        let req = Iq::parse(CR.as_bytes()).unwrap();
        let result = req.result();
        assert_eq!(
            result.to_xml().unwrap(),
            r#"<iq type="result" id="cr001" from="cpe-1@example.com/cwmp" to="acs@example.com/acs"/>"#
        );
        assert_eq!(
            Iq::parse(result.to_xml().unwrap().as_bytes()).unwrap(),
            result
        );

        let na = req.error(StanzaError::new(Condition::NotAuthorized));
        assert_eq!(
            na.to_xml().unwrap(),
            r#"<iq type="error" id="cr001" from="cpe-1@example.com/cwmp" to="acs@example.com/acs"><error type="auth"><not-authorized xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>"#
        );
        let su = req.error(StanzaError::new(Condition::ServiceUnavailable));
        assert_eq!(
            su.to_xml().unwrap(),
            r#"<iq type="error" id="cr001" from="cpe-1@example.com/cwmp" to="acs@example.com/acs"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>"#
        );
        let mut other = StanzaError::new(Condition::Other("resource-constraint".into()));
        other.kind = ErrorType::Wait;
        other.text = Some("busy <now>".into());
        for answer in [
            na,
            su,
            req.error(StanzaError::new(Condition::BadRequest)),
            req.error(StanzaError::new(Condition::FeatureNotImplemented)),
            req.error(other),
        ] {
            let xml = answer.to_xml().unwrap();
            assert!(
                !xml.contains("cr-pass"),
                "an answer must not echo the password"
            );
            assert_eq!(Iq::parse(xml.as_bytes()).unwrap(), answer, "{xml}");
        }
    }

    #[test]
    fn answers_as_cpes_send_them() {
        // A CPE that echoes the request, adds a legacy code and misspells the condition.
        let xml = r#"<iq type="error" id="cr001" to="acs@example.com/acs"><connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0"><username>u</username><password>p</password></connectionRequest><error code="401" type="cancel"><not-autorized xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>"#;
        let mut w = Vec::new();
        let iq = Iq::parse_with_warnings(xml.as_bytes(), &mut w).unwrap();
        assert_eq!(
            iq.stanza_error().map(|e| &e.condition),
            Some(&Condition::NotAuthorized)
        );
        assert_eq!(
            w,
            vec![Warning::IgnoredContent, Warning::MisspelledNotAuthorized]
        );

        let xml = r#"<iq type='error' id='x'><error><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><app xmlns='urn:example'/></error></iq>"#;
        let mut w = Vec::new();
        let iq = Iq::parse_with_warnings(xml.as_bytes(), &mut w).unwrap();
        assert_eq!(
            iq.stanza_error(),
            Some(&StanzaError::new(Condition::ServiceUnavailable))
        );
        assert_eq!(w, vec![Warning::IgnoredContent, Warning::ErrorWithoutType]);

        let xml = r#"<iq type="result" id="r"><query xmlns="jabber:iq:version"><name>x</name></query></iq>"#;
        let mut w = Vec::new();
        assert_eq!(
            Iq::parse_with_warnings(xml.as_bytes(), &mut w)
                .unwrap()
                .payload,
            Payload::Empty
        );
        assert_eq!(w, vec![Warning::IgnoredContent]);
    }

    #[test]
    fn other_queries_are_unsupported_payloads() {
        let xml = r#"<iq type="get" id="p1" from="example.com"><ping xmlns="urn:xmpp:ping"/></iq>"#;
        let iq = Iq::parse(xml.as_bytes()).unwrap();
        assert_eq!(
            iq.payload,
            Payload::Unsupported {
                name: "ping".into(),
                namespace: Some("urn:xmpp:ping".into())
            }
        );
        assert_eq!(Iq::parse(iq.to_xml().unwrap().as_bytes()).unwrap(), iq);
    }

    #[test]
    fn refusals_are_located() {
        let cases: &[(&str, &str)] = &[
            ("<message id='1'/>", "not an iq stanza"),
            ("<iq id='1'/>", "iq without a valid type"),
            ("<iq type='get'/>", "iq without an id"),
            ("<iq type='get' id='1'/>", "get or set iq without a child"),
            (
                "<iq type='error' id='1'/>",
                "error iq without an error element",
            ),
            (
                "<iq type='get' id='1'><connectionRequest xmlns='urn:broadband-forum-org:cwmp:xmppConnReq-1-0'><username>u</username></connectionRequest></iq>",
                "connectionRequest without password",
            ),
            (
                "<iq type='get' id='1'><connectionRequest xmlns='urn:broadband-forum-org:cwmp:xmppConnReq-1-0'><username>u</username><username>v</username><password/></connectionRequest></iq>",
                "repeated element in connectionRequest",
            ),
            ("<iq type='get' id='1'><a>", "unexpected end of input"),
            ("<iq type='get' id='1'><a></b></iq>", "not well-formed XML"),
            ("<!DOCTYPE iq><iq type='result' id='1'/>", "DTD not allowed"),
            ("<iq type='result' id='1'>&ent;</iq>", "unknown entity"),
            (
                "<iq type='result' id='1'/><iq/>",
                "content after the iq element",
            ),
            (
                "<iq type='get' id='1'><q xmlns='urn:a&amp;b'/></iq>",
                "namespace not UTF-8, or with a character or reference it may not hold",
            ),
            (
                "<iq type='get' id='1'><q xmlns='urn:a&#9;b'/></iq>",
                "namespace not UTF-8, or with a character or reference it may not hold",
            ),
            (
                "<x:iq xmlns:x='urn:other' type='result' id='1'/>",
                "not an iq stanza",
            ),
        ];
        for (xml, reason) in cases {
            match Iq::parse(xml.as_bytes()) {
                Err(Error::Xmpp { reason: r, .. }) => assert_eq!(r, *reason, "{xml}"),
                other => panic!("{xml}: {other:?}"),
            }
        }
        assert!(matches!(Iq::parse(&[0xff, 0xfe]), Err(Error::Xmpp { .. })));
        let deep = format!("<iq type='get' id='1'>{}", "<a>".repeat(40));
        assert!(matches!(
            Iq::parse(deep.as_bytes()),
            Err(Error::Xmpp {
                reason: "elements nested too deeply",
                ..
            })
        ));
    }

    #[test]
    fn encoder_refuses_what_xml_cannot_carry() {
        let iq = Iq::connection_request("1", None, "cpe@x", "u\u{1}", "p");
        assert!(matches!(iq.to_xml(), Err(Error::InvalidValue(_))));
        let iq = Iq::connection_request("1", None, "cpe@x", "tab\tnl\nq\"'", "p");
        assert_eq!(Iq::parse(iq.to_xml().unwrap().as_bytes()).unwrap(), iq);
    }
}
