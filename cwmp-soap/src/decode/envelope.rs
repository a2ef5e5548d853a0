//! The SOAP envelope: prolog, Envelope, Header (CWMP header elements), Body and Fault.

use std::borrow::Cow;

use cwmp_core::envelope::UnknownMethod;
use cwmp_core::fault::{Fault, FaultType, SoapFault};
use cwmp_core::header::HeaderElement;
use cwmp_core::{Body, CwmpVersion, Envelope, Header};
use quick_xml::events::Event;

use super::error::{DecodeError, WarningKind};
use super::field::ReadStruct;
use super::reader::{self, Elem, Fields, Parser, SOAP_ENV, SOAP12_ENV};
use super::{rpc, text};
use crate::rpc::fault::CwmpDetail;

/// What the envelope decoder learnt besides the envelope.
pub(crate) struct Parsed<'a> {
    pub envelope: Envelope<'a>,
    /// The cwmp namespace of the message (Body element, else header, else declared).
    pub cwmp_ns: Option<&'a str>,
    /// Offset of the Body's message element.
    pub body_offset: usize,
}

/// Tracks the cwmp namespaces seen on elements.
#[derive(Default)]
struct NsSeen<'a> {
    first: Option<&'a str>,
}

impl<'a> NsSeen<'a> {
    fn see(&mut self, p: &mut Parser<'a>, e: &Elem<'a>) -> Result<(), DecodeError> {
        if CwmpVersion::from_namespace(e.ns).is_none() {
            return Ok(());
        }
        match self.first {
            None => {
                self.first = Some(e.ns);
                if e.ns.ends_with("cwmp-1-3") || e.ns.ends_with("cwmp-1-4") {
                    p.warn(WarningKind::NonSchemaNamespace, e.offset)?;
                }
            }
            Some(first) if first != e.ns => p.warn(WarningKind::MixedCwmpNamespaces, e.offset)?,
            Some(_) => {}
        }
        Ok(())
    }
}

/// Decodes a whole document.
pub(crate) fn document<'a>(p: &mut Parser<'a>) -> Result<Parsed<'a>, DecodeError> {
    let mut leading_ws = false;
    // At the start, and after a declaration, comment or PI (quick-xml's first event strips a
    // BOM; a text event leaves it inside markup), the root's start tag may be read directly
    // like any other.
    let mut fast = p.fast_decl() || p.fast_start();
    let root = loop {
        if fast {
            if let Some(root) = p.fast_root()? {
                break root;
            }
        }
        let (pos, ev) = p.read()?;
        fast = matches!(ev, Event::Decl(_) | Event::Comment(_) | Event::PI(_));
        match ev {
            Event::Decl(_) => {
                if leading_ws {
                    p.warn(WarningKind::LeadingWhitespace, 0)?;
                }
            }
            Event::Text(t) => {
                if text::is_ws(&t) {
                    leading_ws = true;
                } else {
                    return Err(DecodeError::Xml {
                        message: "text before the root element".into(),
                        offset: p.at(pos),
                        path: String::new(),
                    });
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Start(e) => break p.open(&e, false, pos)?,
            Event::Empty(e) => break p.open(&e, true, pos)?,
            Event::Eof => return Err(DecodeError::NoRoot { offset: p.at(pos) }),
            _ => {
                return Err(DecodeError::Xml {
                    message: "unexpected content before the root element".into(),
                    offset: p.at(pos),
                    path: String::new(),
                });
            }
        }
    };
    if root.ns == SOAP12_ENV {
        return Err(DecodeError::Soap12 {
            offset: p.at(root.offset),
        });
    }
    if root.ns != SOAP_ENV || root.local != "Envelope" {
        return Err(DecodeError::NotAnEnvelope {
            name: root.local.to_owned(),
            namespace: root.ns.to_owned(),
            offset: p.at(root.offset),
        });
    }

    let mut seen = NsSeen::default();
    let mut header: Option<Header<'a>> = None;
    let mut body: Option<(Body<'a>, Option<&'a str>, usize)> = None;
    while let Some(c) = p.child_once(&root)? {
        match (c.ns, c.local) {
            (SOAP_ENV, "Header") => {
                if header.is_some() {
                    return Err(DecodeError::DuplicateHeader {
                        name: "Header".into(),
                        offset: p.at(c.offset),
                        path: p.path(),
                    });
                }
                if body.is_some() {
                    p.warn(WarningKind::OutOfOrder, c.offset)?;
                }
                header = Some(decode_header(p, &c, &mut seen)?);
            }
            (SOAP_ENV, "Body") => {
                if body.is_some() {
                    return Err(DecodeError::DuplicateBody {
                        offset: p.at(c.offset),
                    });
                }
                body = Some(decode_body(p, &c, &mut seen)?);
            }
            _ => {
                p.warn(WarningKind::UnexpectedElement, c.offset)?;
                p.skip(&c)?;
            }
        }
    }
    let Some((body, method_ns, body_offset)) = body else {
        return Err(DecodeError::MissingBody {
            offset: p.at(root.offset),
        });
    };

    // Nothing but whitespace, comments and PIs may follow the Envelope.
    while !p.fast_tail_is_ws() {
        let (pos, ev) = p.read()?;
        match ev {
            Event::Eof => break,
            Event::Text(t) if text::is_ws(&t) => {}
            Event::Comment(_) | Event::PI(_) => {}
            _ => return Err(DecodeError::TrailingContent { offset: p.at(pos) }),
        }
    }

    let cwmp_ns = method_ns.or(seen.first).or(p.cwmp_declared);
    Ok(Parsed {
        envelope: Envelope {
            header: header.unwrap_or_default(),
            body,
        },
        cwmp_ns,
        body_offset,
    })
}

/// The value of `c`'s raw `mustUnderstand` attribute `v`.
fn must_understand<'a>(
    p: &mut Parser<'a>,
    c: &Elem<'a>,
    v: Option<&str>,
) -> Result<Option<bool>, DecodeError> {
    let Some(v) = v else {
        return Ok(None);
    };
    match text::trim_xml(v) {
        "1" => Ok(Some(true)),
        "0" => Ok(Some(false)),
        other => match cwmp_core::value::parse_bool(other) {
            Some(b) => {
                p.warn(WarningKind::NonStandardMustUnderstand, c.offset)?;
                Ok(Some(b))
            }
            None => Err(DecodeError::InvalidValue {
                expected: "mustUnderstand (0 or 1)",
                text: text::excerpt(v),
                offset: p.at(c.offset),
                path: p.path(),
            }),
        },
    }
}

fn decode_header<'a>(
    p: &mut Parser<'a>,
    h: &Elem<'a>,
    seen: &mut NsSeen<'a>,
) -> Result<Header<'a>, DecodeError> {
    let mut header = Header::default();
    while let Some((c, mu)) = p.header_child(h)? {
        let mu = must_understand(p, &c, mu)?;
        let version = CwmpVersion::from_namespace(c.ns);
        let known = version.and_then(|_| {
            HeaderElement::from_name(c.local)
                .or_else(|| (c.local == "HoldRequest").then_some(HeaderElement::HoldRequests))
        });
        let Some(element) = known else {
            if mu == Some(true) {
                return Err(DecodeError::MustUnderstand {
                    name: c.local.to_owned(),
                    namespace: c.ns.to_owned(),
                    offset: p.at(c.offset),
                    path: p.path(),
                });
            }
            p.warn(WarningKind::UnknownHeader, c.offset)?;
            p.skip(&c)?;
            continue;
        };
        seen.see(p, &c)?;
        if c.local == "HoldRequest" {
            p.warn(WarningKind::MisspelledHeader, c.offset)?;
        }
        // cwmp-1-0 and cwmp-1-1 carry only their own version; cwmp-1-2 serves 1.2 to 1.4.
        let ns_max = match version {
            Some(CwmpVersion::V1_0) => CwmpVersion::V1_0,
            Some(CwmpVersion::V1_1) => CwmpVersion::V1_1,
            _ => CwmpVersion::V1_4,
        };
        if element.since() > ns_max {
            p.warn(WarningKind::HeaderNotInVersion, c.offset)?;
        }
        let duplicate = match element {
            HeaderElement::Id => header.id.is_some(),
            HeaderElement::HoldRequests => header.hold_requests.is_some(),
            HeaderElement::NoMoreRequests => header.no_more_requests.is_some(),
            HeaderElement::SessionTimeout => header.session_timeout.is_some(),
            HeaderElement::SupportedCwmpVersions => header.supported_cwmp_versions.is_some(),
            HeaderElement::UseCwmpVersion => header.use_cwmp_version.is_some(),
        };
        if duplicate {
            return Err(DecodeError::DuplicateHeader {
                name: c.local.to_owned(),
                offset: p.at(c.offset),
                path: p.path(),
            });
        }
        match element {
            HeaderElement::Id => header.id = Some(p.text(&c)?),
            HeaderElement::HoldRequests => header.hold_requests = Some(p.bool(&c)?),
            HeaderElement::NoMoreRequests => {
                p.warn(WarningKind::DeprecatedHeader, c.offset)?;
                header.no_more_requests = Some(p.bool(&c)?);
            }
            HeaderElement::SessionTimeout => header.session_timeout = Some(p.u32(&c)?),
            HeaderElement::SupportedCwmpVersions => {
                header.supported_cwmp_versions = Some(p.text(&c)?);
            }
            HeaderElement::UseCwmpVersion => {
                let t = p.text(&c)?;
                let v = text::trim_xml(&t)
                    .parse::<CwmpVersion>()
                    .map_err(|_| p.invalid(&c, "CWMP version", &t))?;
                header.use_cwmp_version = Some(v);
            }
        }
    }
    Ok(header)
}

type BodyOut<'a> = (Body<'a>, Option<&'a str>, usize);

fn decode_body<'a>(
    p: &mut Parser<'a>,
    b: &Elem<'a>,
    seen: &mut NsSeen<'a>,
) -> Result<BodyOut<'a>, DecodeError> {
    let mut out: Option<BodyOut<'a>> = None;
    while let Some(c) = p.child_once(b)? {
        if out.is_some() {
            return Err(DecodeError::MultipleMessages {
                name: c.local.to_owned(),
                offset: p.at(c.offset),
                path: p.path(),
            });
        }
        seen.see(p, &c)?;
        let is_cwmp = CwmpVersion::from_namespace(c.ns).is_some();
        let body = if c.local == "Fault" && (c.ns == SOAP_ENV || c.ns.is_empty()) {
            if c.ns.is_empty() {
                p.warn(WarningKind::UnqualifiedMethod, c.offset)?;
            }
            decode_fault(p, &c)?
        } else if is_cwmp || c.ns.is_empty() {
            match rpc::method(p, &c)? {
                Some(body) => {
                    if c.ns.is_empty() {
                        p.warn(WarningKind::UnqualifiedMethod, c.offset)?;
                    }
                    body
                }
                None => unknown(p, &c)?,
            }
        } else {
            unknown(p, &c)?
        };
        out = Some((body, is_cwmp.then_some(c.ns), c.offset));
    }
    out.ok_or_else(|| DecodeError::EmptyBody {
        offset: p.at(b.offset),
    })
}

/// An unknown method: its local name and namespace are kept, so its name must be one the
/// encoder writes back unchanged ([`Parser::check_name`]; anything else is refused), and so
/// are its arguments, as raw content ([`Parser::raw_content`]).
fn unknown<'a>(p: &mut Parser<'a>, c: &Elem<'a>) -> Result<Body<'a>, DecodeError> {
    p.check_name(c)?;
    let qname = p.qname_of(c);
    let (prefix, _) = reader::split_qname(qname);
    // A prefix bound nowhere (already warned of) is dropped: written back it would be bound
    // to whatever the encoder declares under that name.
    let prefix = if p.lookup_prefix(prefix).is_some() {
        prefix
    } else {
        ""
    };
    let namespace = p.attr_text(c.ns);
    let raw = p.raw_content(c)?;
    Ok(Body::Unknown(UnknownMethod {
        name: Cow::Borrowed(c.local),
        namespace,
        prefix: Cow::Borrowed(prefix),
        namespaces: raw.namespaces,
        content: raw.content,
    }))
}

/// A SOAP Fault: a [`Body::Fault`] when its detail holds a CWMP fault, else a
/// [`Body::SoapFault`] with what it holds (faultcode, faultstring, faultactor, text).
fn decode_fault<'a>(p: &mut Parser<'a>, e: &Elem<'a>) -> Result<Body<'a>, DecodeError> {
    const NAMES: &[&str] = &["faultcode", "faultstring", "faultactor", "detail"];
    let mut soap = SoapFault::default();
    let mut detail: Option<CwmpDetail<'a>> = None;
    let mut code_offset = e.offset;
    let mut track = Fields::default();
    let text = p.mixed_children(e, NAMES, |p, c| {
        let Some(i) = NAMES.iter().position(|n| *n == c.local) else {
            p.warn(WarningKind::UnexpectedElement, c.offset)?;
            return p.skip(&c);
        };
        track.see(p, i, &c)?;
        match i {
            0 => {
                code_offset = c.offset;
                let t = p.text(&c)?;
                let code = text::trim_xml(&t);
                let (ns, local) = match code.split_once(':') {
                    Some((prefix, local)) if crate::name::is_qname(code) => {
                        match p.lookup_prefix(prefix) {
                            Some(ns) => (p.attr_text(ns), local),
                            None => (Cow::Borrowed(""), code),
                        }
                    }
                    _ => (Cow::Borrowed(""), code),
                };
                soap.code_namespace = ns;
                soap.code = Some(match &t {
                    Cow::Borrowed(b) => Cow::Borrowed(trimmed_tail(b, local)),
                    Cow::Owned(_) => Cow::Owned(local.to_owned()),
                });
            }
            1 => soap.string = Some(p.text(&c)?),
            2 => soap.actor = Some(p.text(&c)?),
            _ => decode_detail(p, &c, &mut detail)?,
        }
        Ok(())
    })?;
    match detail {
        Some(d) => {
            if text.is_some() {
                p.warn(WarningKind::UnexpectedText, e.offset)?;
            }
            if soap.code.is_none() || soap.string.is_none() {
                p.warn(WarningKind::MissingElement, e.offset)?;
            }
            if d.code.is_none() {
                p.warn(WarningKind::MissingElement, e.offset)?;
            }
            let local = soap.code.as_deref().unwrap_or("Server");
            // SOAP 1.1 allows dotted refinements such as `Client.Authentication`.
            let fault_type = match local.split('.').next().unwrap_or_default() {
                "Client" => FaultType::Client,
                "Server" => FaultType::Server,
                _ => {
                    if soap.code.is_some() {
                        p.warn(WarningKind::UnknownFaultCode, code_offset)?;
                    }
                    FaultType::Server
                }
            };
            Ok(Body::Fault(Fault {
                fault_type,
                fault_string: soap.string.unwrap_or_default(),
                code: d.code.unwrap_or_default(),
                message: d.message,
                set_parameter_values_faults: d.set_parameter_values_faults,
            }))
        }
        None => {
            p.warn(WarningKind::NoCwmpFault, e.offset)?;
            if let Some((at, t)) = text {
                p.warn(WarningKind::FaultText, at)?;
                soap.text = Some(t);
            } else if soap.code.is_none() || soap.string.is_none() {
                p.warn(WarningKind::MissingElement, e.offset)?;
            }
            Ok(Body::SoapFault(soap))
        }
    }
}

/// The slice of `text` that `tail` (a suffix of its trimmed form) is, to keep borrowing.
fn trimmed_tail<'a>(text: &'a str, tail: &str) -> &'a str {
    let trimmed = text::trim_xml(text);
    trimmed
        .get(trimmed.len().saturating_sub(tail.len())..)
        .unwrap_or(trimmed)
}

fn decode_detail<'a>(
    p: &mut Parser<'a>,
    d: &Elem<'a>,
    out: &mut Option<CwmpDetail<'a>>,
) -> Result<(), DecodeError> {
    while let Some(c) = p.child_once(d)? {
        if c.local != "Fault" {
            p.warn(WarningKind::UnexpectedElement, c.offset)?;
            p.skip(&c)?;
            continue;
        }
        let fault = out.get_or_insert_with(CwmpDetail::default);
        p.fields_once(
            &c,
            CwmpDetail::FIELDS,
            (CwmpDetail::REQUIRED, CwmpDetail::REPEATABLE),
            &mut |p, i, c| fault.read_field(p, i, c),
        )?;
    }
    Ok(())
}
