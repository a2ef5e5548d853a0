//! XMPP connection request (TR-069 Annex K) over a small tokio XMPP client.
//!
//! The client speaks just what both sides need from RFC 6120: the stream, SASL PLAIN, resource
//! binding, initial presence, and IQ stanzas. It is built on quick-xml (already the workspace's
//! XML crate) rather than tokio-xmpp: the stanza work is cwmp-auth's [`Iq`] codec, and
//! tokio-xmpp would add its own XML tree (minidom/rxml), SASL, DNS resolver and TLS stacks to
//! every build of the examples for five kinds of element.
//!
//! Limits, said plainly: no STARTTLS (run it against a server on loopback or inside a
//! trusted network, configured to allow PLAIN without TLS), no SCRAM, no stream management
//! or reconnection.
//!
//! - ACS side: [`XmppClient::send_connection_request`] sends the IQ to the CPE's
//!   `ConnReqJabberID` and waits for its answer.
//! - CPE side: [`serve_connection_requests`] answers every IQ per cwmp-auth's
//!   [`ConnReqPolicy`] and reports each decision; an accepted one means "start a session with
//!   `6 CONNECTION REQUEST`".

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine;
use cwmp_auth::xmpp::{Condition, ConnReqPolicy, Iq, IqType, Verdict};
use quick_xml::Reader;
use quick_xml::events::Event;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// Largest amount of unparsed stream data kept.
const MAX_BUFFER: usize = 256 * 1024;

/// What can go wrong with the XMPP connection.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum XmppError {
    /// Socket error.
    #[error("XMPP connection: {0}")]
    Io(#[from] std::io::Error),
    /// The server refused our login.
    #[error("XMPP login refused")]
    AuthFailed,
    /// The server does not offer what this client needs.
    #[error("XMPP server does not offer {0}")]
    Unsupported(&'static str),
    /// The peer sent something this client cannot follow.
    #[error("XMPP protocol: {0}")]
    Protocol(&'static str),
    /// The stream was closed.
    #[error("XMPP stream closed")]
    Closed,
    /// No answer in time.
    #[error("no XMPP answer in time")]
    Timeout,
    /// A stanza could not be built or read.
    #[error(transparent)]
    Stanza(#[from] cwmp_auth::Error),
}

/// An account to log in with.
#[derive(Debug, Clone)]
pub struct XmppAccount {
    /// Address of the server's client port.
    pub server: SocketAddr,
    /// The domain (the JID's domainpart).
    pub domain: String,
    /// The localpart.
    pub username: String,
    /// The password.
    pub password: String,
    /// The resource to bind.
    pub resource: String,
}

/// A logged-in XMPP client.
#[derive(Debug)]
pub struct XmppClient {
    stream: TcpStream,
    buf: Vec<u8>,
    jid: String,
    next_id: AtomicU64,
}

enum Split {
    Incomplete,
    Header(usize),
    Element(usize, usize),
    StreamEnd,
}

/// Finds the first complete top-level piece of the stream in `buf`.
fn split(buf: &[u8]) -> Split {
    let mut r = Reader::from_reader(buf);
    r.config_mut().check_end_names = false;
    let mut depth = 0usize;
    let mut start = 0usize;
    loop {
        let before = usize::try_from(r.buffer_position()).unwrap_or(0);
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(_) => return Split::Incomplete,
        };
        let after = usize::try_from(r.buffer_position()).unwrap_or(0);
        match ev {
            Event::Eof => return Split::Incomplete,
            Event::Start(e) => {
                if depth == 0 && e.local_name().as_ref() == b"stream" {
                    return Split::Header(after);
                }
                if depth == 0 {
                    start = before;
                }
                depth += 1;
            }
            Event::Empty(_) if depth == 0 => return Split::Element(before, after),
            Event::End(_) => {
                if depth == 0 {
                    return Split::StreamEnd;
                }
                depth -= 1;
                if depth == 0 {
                    return Split::Element(start, after);
                }
            }
            _ => {}
        }
    }
}

fn local_name(element: &[u8]) -> Vec<u8> {
    let mut r = Reader::from_reader(element);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => return e.local_name().as_ref().to_vec(),
            Ok(Event::Eof) | Err(_) => return Vec::new(),
            _ => {}
        }
    }
}

/// The text of the first element named `name` inside `element`.
fn child_text(element: &[u8], name: &[u8]) -> Option<String> {
    let mut r = Reader::from_reader(element);
    let mut inside = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == name => inside = true,
            Ok(Event::Text(t)) if inside => return t.decode().ok().map(|c| c.into_owned()),
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

impl XmppClient {
    /// Connects, logs in with SASL PLAIN, binds the resource and sends initial presence.
    pub async fn connect(account: &XmppAccount) -> Result<XmppClient, XmppError> {
        let stream = TcpStream::connect(account.server).await?;
        stream.set_nodelay(true)?;
        let mut c = XmppClient {
            stream,
            buf: Vec::new(),
            jid: String::new(),
            next_id: AtomicU64::new(1),
        };
        c.open_stream(&account.domain).await?;
        let features = c.next_element().await?;
        if !contains(&features, b">PLAIN<") {
            return Err(XmppError::Unsupported("SASL PLAIN without TLS"));
        }
        let mut plain = Vec::new();
        plain.push(0);
        plain.extend_from_slice(account.username.as_bytes());
        plain.push(0);
        plain.extend_from_slice(account.password.as_bytes());
        let auth = format!(
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{}</auth>",
            base64::engine::general_purpose::STANDARD.encode(plain)
        );
        c.send_raw(&auth).await?;
        let answer = c.next_element().await?;
        match local_name(&answer).as_slice() {
            b"success" => {}
            b"failure" => return Err(XmppError::AuthFailed),
            _ => return Err(XmppError::Protocol("unexpected answer to SASL auth")),
        }
        // RFC 6120 §6.4.6: a new stream after SASL success.
        c.buf.clear();
        c.open_stream(&account.domain).await?;
        let features = c.next_element().await?;
        if !contains(&features, b"urn:ietf:params:xml:ns:xmpp-bind") {
            return Err(XmppError::Unsupported("resource binding"));
        }
        let mut resource = String::new();
        escape_text(&mut resource, &account.resource);
        c.send_raw(&format!(
            "<iq type='set' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>"
        ))
        .await?;
        loop {
            let el = c.next_element().await?;
            if local_name(&el) != b"iq" {
                continue;
            }
            if contains(&el, b"type='error'") || contains(&el, b"type=\"error\"") {
                return Err(XmppError::Protocol("resource binding refused"));
            }
            if let Some(jid) = child_text(&el, b"jid") {
                c.jid = jid;
                break;
            }
        }
        c.send_raw("<presence/>").await?;
        Ok(c)
    }

    async fn open_stream(&mut self, domain: &str) -> Result<(), XmppError> {
        let mut to = String::new();
        escape_text(&mut to, domain);
        self.send_raw(&format!(
            "<?xml version='1.0'?><stream:stream to='{to}' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
        ))
        .await?;
        // The server's stream header.
        loop {
            match split(&self.buf) {
                Split::Header(n) => {
                    self.buf.drain(..n);
                    return Ok(());
                }
                Split::StreamEnd => return Err(XmppError::Closed),
                Split::Element(..) => {
                    return Err(XmppError::Protocol("element before the stream header"));
                }
                Split::Incomplete => self.fill().await?,
            }
        }
    }

    async fn fill(&mut self) -> Result<(), XmppError> {
        if self.buf.len() > MAX_BUFFER {
            return Err(XmppError::Protocol("stanza larger than the buffer"));
        }
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(XmppError::Closed);
        }
        self.buf
            .extend_from_slice(chunk.get(..n).unwrap_or_default());
        Ok(())
    }

    /// The next complete top-level element of the stream (a stanza or a stream-level
    /// element), as bytes.
    pub async fn next_element(&mut self) -> Result<Vec<u8>, XmppError> {
        loop {
            match split(&self.buf) {
                Split::Element(start, end) => {
                    let el = self.buf.get(start..end).unwrap_or_default().to_vec();
                    self.buf.drain(..end);
                    if local_name(&el) == b"error" && contains(&el, b"stream") {
                        return Err(XmppError::Protocol("stream error"));
                    }
                    return Ok(el);
                }
                Split::StreamEnd => return Err(XmppError::Closed),
                Split::Header(_) => return Err(XmppError::Protocol("unexpected stream header")),
                Split::Incomplete => self.fill().await?,
            }
        }
    }

    /// Writes raw XML to the stream.
    pub async fn send_raw(&mut self, xml: &str) -> Result<(), XmppError> {
        crate::log::debug("xmpp", format!("→ {xml}"));
        self.stream.write_all(xml.as_bytes()).await?;
        Ok(())
    }

    /// The full JID the server bound.
    pub fn jid(&self) -> &str {
        &self.jid
    }

    /// ACS side: sends a connection request to `to` (the CPE's `ConnReqJabberID`) and waits up
    /// to `timeout` for the answer. `Ok(None)` is success (`result`); `Ok(Some(condition))` is
    /// the CPE's refusal.
    pub async fn send_connection_request(
        &mut self,
        to: &str,
        username: &str,
        password: &str,
        timeout: Duration,
    ) -> Result<Option<Condition<'static>>, XmppError> {
        let id = format!("cr-{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let iq = Iq::connection_request(
            id.as_str(),
            Some(self.jid.clone().into()),
            to,
            username,
            password,
        );
        let xml = iq.to_xml()?;
        self.stream.write_all(xml.as_bytes()).await?;
        let wait = async {
            loop {
                let el = self.next_element().await?;
                let Ok(answer) = Iq::parse(&el) else { continue };
                if answer.id != id.as_str() {
                    continue;
                }
                return match answer.kind {
                    IqType::Result => Ok(None),
                    IqType::Error => Ok(answer
                        .stanza_error()
                        .map(|e| e.condition.clone().into_owned())),
                    _ => Err(XmppError::Protocol("request with our id")),
                };
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| XmppError::Timeout)?
    }
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// One decision of the CPE on an XMPP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmppCrEvent {
    /// The sender's JID.
    pub from: Option<String>,
    /// The decision; [`Verdict::Accept`] means "start a session with `6 CONNECTION REQUEST`".
    pub verdict: Verdict,
}

/// CPE side: answers every IQ delivered to `client` per `policy` (`busy()` says whether a
/// session is running, so that none can start now) and reports each decision on `events`,
/// until the stream ends or the receiver is dropped.
pub async fn serve_connection_requests(
    mut client: XmppClient,
    policy: ConnReqPolicy,
    busy: impl Fn() -> bool + Send + 'static,
    events: mpsc::UnboundedSender<XmppCrEvent>,
) -> Result<(), XmppError> {
    loop {
        let el = tokio::select! {
            el = client.next_element() => el?,
            _ = events.closed() => return Ok(()),
        };
        if local_name(&el) != b"iq" {
            continue;
        }
        let iq = match Iq::parse(&el) {
            Ok(iq) => iq,
            Err(e) => {
                crate::log::debug("cpe", format!("XMPP: unreadable IQ: {e}"));
                continue;
            }
        };
        let verdict = policy.check(&iq, busy());
        if let Some(answer) = verdict.answer(&iq) {
            client.send_raw(&answer.to_xml()?).await?;
        }
        if verdict == Verdict::NotARequest {
            continue;
        }
        let event = XmppCrEvent {
            from: iq.from.as_deref().map(str::to_owned),
            verdict,
        };
        if events.send(event).is_err() {
            return Ok(());
        }
    }
}
