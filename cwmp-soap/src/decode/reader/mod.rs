//! The event cursor under every decoder: quick-xml's borrowing `Reader`, a cheap namespace
//! binding stack, the element path, limits, warnings, and text extraction that borrows from the
//! input unless the text holds entities, CDATA or comments.
//!
//! This file holds the cursor's state and its error helpers; each concern has its own file:
//! [`namespaces`] (URIs, bindings, QNames), [`attributes`] (the attribute scanner and cache),
//! [`elements`] (opening, walking, skipping and closing elements), [`fast`] (start tags, leaves
//! and `ParameterValueStruct`s read straight from the input), [`bytes`] (byte searches),
//! [`values`] (text and typed leaves), [`fields`] (structs and arrays) and [`content`]
//! (content kept as raw XML).

use quick_xml::Reader;

use super::error::{DecodeError, Warning, WarningKind};
use super::text;
use super::{ControlCharPolicy, Limits};
use crate::name::is_qname;

mod attributes;
mod bytes;
mod content;
mod elements;
mod fast;
mod fields;
mod namespaces;
mod values;

use attributes::{ATTR_CACHE, ATTR_HINTS, AttrAt, AttrCacheEntry, Attrs, DepthAttrs};
pub(crate) use bytes::same;
use bytes::{
    find_any, find_byte, find_lt_amp, is_xml_ws, same_bytes, same_bytes_inlined, word, ws_len,
};
#[allow(unused_imports)] // named where a decoder keeps one
pub(crate) use fast::FastPvs;
pub(crate) use fields::Fields;
use namespaces::Binding;
pub(crate) use namespaces::{
    MALFORMED_QNAME, SOAP_ENC, SOAP_ENV, SOAP12_ENV, XSD, XSD_1999, XSI, XSI_1999, split_qname,
};

/// A resolved qualified name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QRef<'a> {
    pub ns: &'a str,
    pub local: &'a str,
}

/// An opened element. The attributes the decoders care about are resolved when it opens and
/// kept by the parser (see [`Parser::xsi_type`]), so that this stays small to move around.
///
/// Every `Elem` handed out must be consumed exactly once by [`Parser::text`],
/// [`Parser::skip`] or a [`Parser::child`] loop that runs until `None`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Elem<'a> {
    pub local: &'a str,
    pub ns: &'a str,
    pub offset: usize,
    content_start: usize,
    /// The raw text of a leaf element read whole by [`Parser::child`]'s fast path (start tag,
    /// text without markup or references, end tag); quick-xml never saw its events.
    leaf: Option<&'a str>,
    /// The depth (low 32 bits) and the `EMPTY`, `FAST` and `HAS_ATTRS` flags, in one word so
    /// that the element is written and copied in whole words.
    meta: u64,
}

/// An empty-element tag.
const EMPTY: u64 = 1 << 32;
/// The start tag was read by the fast path (not a leaf): its end tag may be too.
const FAST: u64 = 1 << 33;
/// It had an `xsi:type`, `arrayType` or `mustUnderstand` attribute.
const HAS_ATTRS: u64 = 1 << 34;

impl Elem<'_> {
    /// Whether it is an empty-element tag (`<a/>`).
    pub fn empty(&self) -> bool {
        self.meta & EMPTY != 0
    }

    fn fast(&self) -> bool {
        self.meta & FAST != 0
    }

    fn has_attrs(&self) -> bool {
        self.meta & HAS_ATTRS != 0
    }

    fn depth(&self) -> usize {
        (self.meta & u64::from(u32::MAX)) as usize
    }
}

/// A start tag read but not opened yet (see [`Parser::open_tag`]).
#[derive(Clone, Copy)]
struct Tag<'a> {
    name: &'a str,
    attrs: &'a str,
    /// The text of a leaf read whole.
    leaf: Option<&'a str>,
    offset: usize,
    content_start: usize,
    empty: bool,
    /// Read by the fast path (and not a leaf).
    fast: bool,
    /// Its name has no prefix (a schema name matched as a literal): nothing to split.
    plain: bool,
}

pub(crate) struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    src: &'a str,
    shift: usize,
    /// Bytes consumed by the leaf fast path, which quick-xml's positions do not count.
    skipped: usize,
    bindings: Vec<Binding<'a>>,
    /// The resolved attributes of the open elements that have some, by depth.
    attrs: DepthAttrs<'a>,
    /// Bumped whenever a namespace binding comes or goes (keys the attribute cache).
    generation: u64,
    attr_cache: [Option<AttrCacheEntry<'a>>; ATTR_CACHE],
    attr_cache_next: usize,
    /// The cache slot where each hint of an attribute text was last found or put.
    attr_hints: [u8; ATTR_HINTS],
    /// Bit `h` set: a text of hint `h` was put in the attribute cache (it may since have gone).
    attr_hints_used: u32,
    /// How many bindings of the default namespace are in scope (usually none).
    default_bindings: usize,
    /// The open elements: local name (for paths) and qualified name (to check end tags).
    path: Vec<(&'a str, &'a str)>,
    elements: usize,
    limits: Limits,
    controls: Option<ControlCharPolicy>,
    pub warnings: Vec<Warning>,
    /// Whether the fast paths (start tags, leaves and ParameterValueStructs read without
    /// quick-xml) are off, so that every byte goes through the general event path.
    pub general_only: bool,
    /// The first cwmp namespace declared anywhere (fallback for the version).
    pub cwmp_declared: Option<&'a str>,
    /// Where text that had to be unescaped goes when the caller gave an arena (see
    /// [`Parser::unescaped`]); without one, such text is an owned `String` each.
    pub arena: Option<&'a bumpalo::Bump>,
    /// The buffer text is unescaped into before it is copied to the arena.
    scratch: String,
    /// Whether quick-xml has been asked for an event yet.
    qx_started: bool,
    /// Set when this input must be decoded again with the fast paths off (see
    /// [`Parser::read`]); the error returned with it is not the input's.
    pub restart_general: bool,
}

impl<'a> Parser<'a> {
    /// A parser over `src`, whose offsets are reported `shift` bytes later (a stripped BOM).
    pub fn new(
        src: &'a str,
        shift: usize,
        limits: Limits,
        controls: Option<ControlCharPolicy>,
    ) -> Self {
        let mut reader = Reader::from_str(src);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        // End tags are checked against `path` (the fast path reads some tags itself).
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        Parser {
            reader,
            src,
            shift,
            skipped: 0,
            bindings: Vec::with_capacity(16),
            attrs: DepthAttrs::new(),
            generation: 0,
            attr_cache: [None; ATTR_CACHE],
            attr_cache_next: 0,
            attr_hints: [0; ATTR_HINTS],
            attr_hints_used: 0,
            default_bindings: 0,
            path: Vec::with_capacity(16),
            elements: 0,
            qx_started: false,
            restart_general: false,
            limits,
            controls,
            warnings: Vec::new(),
            general_only: false,
            cwmp_declared: None,
            arena: None,
            scratch: String::new(),
        }
    }

    /// The current element path, `Envelope/Body/...`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for (i, (local, _)) in self.path.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(local);
        }
        out
    }

    pub(super) fn path_with(&self, local: &str) -> String {
        if self.path.last().is_some_and(|(l, _)| *l == local) {
            self.path()
        } else {
            let mut p = self.path();
            if !p.is_empty() {
                p.push('/');
            }
            p.push_str(local);
            p
        }
    }

    pub(super) fn pos(&self) -> usize {
        usize::try_from(self.reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(self.skipped)
    }

    /// An offset in the caller's input.
    pub fn at(&self, offset: usize) -> usize {
        offset.saturating_add(self.shift)
    }

    /// Records a tolerated deviation (strict mode reports them all at the end).
    ///
    /// Fallible so that a fail-fast policy can be added without touching the decoders.
    pub fn warn(&mut self, kind: WarningKind, offset: usize) -> Result<(), DecodeError> {
        let offset = self.at(offset);
        self.warnings.push(Warning { kind, offset });
        Ok(())
    }

    /// A value error for element `e` (already closed) with its text.
    pub fn invalid(&self, e: &Elem<'a>, expected: &'static str, text: &str) -> DecodeError {
        DecodeError::InvalidValue {
            expected,
            text: text::excerpt(text),
            offset: self.at(e.offset),
            path: self.path_with(e.local),
        }
    }

    pub(super) fn xml_error(&self, err: quick_xml::Error) -> DecodeError {
        let offset = usize::try_from(self.reader.error_position())
            .unwrap_or(usize::MAX)
            .saturating_add(self.skipped);
        let rest = self.src.get(offset..).unwrap_or_default();
        if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!ENTITY") {
            return DecodeError::Dtd {
                offset: self.at(offset),
            };
        }
        match err {
            quick_xml::Error::Syntax(_)
            | quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_)) => {
                DecodeError::UnexpectedEof {
                    offset: self.at(offset),
                    path: self.path(),
                }
            }
            other => DecodeError::Xml {
                message: other.to_string(),
                offset: self.at(offset),
                path: self.path(),
            },
        }
    }

    /// The error for an XML or document type declaration at `pos`, inside an element.
    #[cold]
    pub(super) fn declaration_inside(&self, pos: usize) -> DecodeError {
        DecodeError::Xml {
            message: "markup declaration inside an element".into(),
            offset: self.at(pos),
            path: self.path(),
        }
    }

    pub(super) fn eof(&self, pos: usize) -> DecodeError {
        DecodeError::UnexpectedEof {
            offset: self.at(pos),
            path: self.path(),
        }
    }

    /// Maps a slice of the current event back to the input's lifetime.
    pub(super) fn reborrow(&self, s: &[u8]) -> Option<&'a str> {
        if s.is_empty() {
            return Some("");
        }
        let start = (s.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let end = start.checked_add(s.len())?;
        self.src.get(start..end)
    }
}
