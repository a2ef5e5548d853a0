//! Walking elements: events, opening (limits, bindings, path, attributes), children through the
//! fast path or quick-xml's events, skipping and closing.

use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesStart, Event};

use super::{
    AttrAt, DecodeError, EMPTY, Elem, FAST, HAS_ATTRS, Parser, Tag, WarningKind, is_qname, same,
    split_qname, text,
};

impl<'a> Parser<'a> {
    /// Reads the next raw event with the offset where it starts.
    pub fn read(&mut self) -> Result<(usize, Event<'a>), DecodeError> {
        let pos = self.pos();
        if !self.qx_started {
            self.qx_started = true;
            // quick-xml drops a byte-order mark at the start of its first event. When the fast
            // paths read the bytes before (the declaration, the first tags), that event is in
            // the middle of the document, where the mark is text: dropping it would shift the
            // offsets and lose the warning. Such an input is decoded again on the general
            // path, where quick-xml's first event is the document's start.
            if self.skipped != 0 && self.reader.get_ref().starts_with(b"\xEF\xBB\xBF") {
                self.restart_general = true;
                return Err(DecodeError::Xml {
                    message: "a byte-order mark inside the document".into(),
                    offset: self.at(pos),
                    path: self.path(),
                });
            }
        }
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(DecodeError::Dtd {
                offset: self.at(pos),
            }),
            Ok(Event::End(e)) => {
                let found = e.name();
                match self.path.last().map(|(_, q)| q) {
                    Some(open) if open.as_bytes() == found.as_ref() => Ok((pos, Event::End(e))),
                    // What quick-xml's own check reports, at the `<` of the end tag.
                    open => {
                        let found = String::from_utf8_lossy(found.as_ref()).into_owned();
                        let err = match open {
                            Some(open) => IllFormedError::MismatchedEndTag {
                                expected: (*open).to_owned(),
                                found,
                            },
                            None => IllFormedError::UnmatchedEndTag(found),
                        };
                        Err(DecodeError::Xml {
                            message: quick_xml::Error::IllFormed(err).to_string(),
                            offset: self.at(pos),
                            path: self.path(),
                        })
                    }
                }
            }
            Ok(ev) => Ok((pos, ev)),
            Err(e) => Err(self.xml_error(e)),
        }
    }

    /// Opens a start or empty element: limits, namespace bindings, path, attributes.
    pub fn open(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        offset: usize,
    ) -> Result<Elem<'a>, DecodeError> {
        let tag = self.tag_of(e, empty, offset)?;
        self.open_tag(tag)
    }

    /// [`Parser::open`] without opening (yet): the tag of a start or empty event.
    pub(super) fn tag_of(
        &self,
        e: &BytesStart<'_>,
        empty: bool,
        offset: usize,
    ) -> Result<Tag<'a>, DecodeError> {
        let name = self
            .reborrow(e.name().as_ref())
            .ok_or_else(|| DecodeError::Xml {
                message: "element name outside the input".into(),
                offset: self.at(offset),
                path: self.path(),
            })?;
        let attrs = self.reborrow(e.attributes_raw()).unwrap_or_default();
        Ok(Tag {
            name,
            attrs,
            leaf: None,
            offset,
            content_start: self.pos(),
            empty,
            fast: false,
            plain: false,
        })
    }

    /// Opens the element of `tag`.
    #[inline(always)]
    pub(super) fn open_tag(&mut self, tag: Tag<'a>) -> Result<Elem<'a>, DecodeError> {
        self.open_tag_split(tag, None)
    }

    /// [`Parser::open_tag`], with the tag's attributes already split when `split` is given (see
    /// [`Parser::scan_split_attrs`]; the attribute cache is then not asked, which only the
    /// document's first element may skip: the cache is empty then).
    ///
    /// Inlined with [`Parser::child`]'s fast path; the attribute work is out of line.
    #[inline(always)]
    pub(super) fn open_tag_split(
        &mut self,
        tag: Tag<'a>,
        split: Option<&[AttrAt]>,
    ) -> Result<Elem<'a>, DecodeError> {
        let Tag {
            name,
            attrs: raw,
            offset,
            ..
        } = tag;
        let depth = self.path.len() + 1;
        // A schema name matched as a literal (see `Parser::fast_field`) has no prefix.
        let (prefix, local) = if tag.plain {
            ("", name)
        } else {
            split_qname(name)
        };
        if depth > self.limits.max_depth || self.elements >= self.limits.max_elements {
            return Err(self.limit_error(depth, offset));
        }
        self.elements += 1;
        self.path.push((local, name));
        let mut has_attrs = false;
        let mut found = None;
        if let Some(split) = split {
            found = Some(self.scan_split_attrs(split, depth, offset)?);
        } else if !raw.is_empty() {
            match self.cached_attrs(raw) {
                Some(attrs) => has_attrs = self.keep_attrs(depth, attrs),
                None => found = Some(self.scan_attrs(raw, depth, offset)?),
            }
        }
        let ns = match self.lookup_element(prefix) {
            Some(ns) => ns,
            None if prefix.is_empty() => "",
            None => {
                self.warn(WarningKind::UndeclaredPrefix, offset)?;
                ""
            }
        };
        if let Some(found) = found {
            has_attrs = self.resolve_attrs(raw, found, depth, offset)?;
        }
        Ok(Elem {
            local,
            ns,
            offset,
            content_start: tag.content_start,
            leaf: tag.leaf,
            meta: u64::from(u32::try_from(depth).unwrap_or(u32::MAX))
                | if tag.empty { EMPTY } else { 0 }
                | if has_attrs { HAS_ATTRS } else { 0 }
                | if tag.fast { FAST } else { 0 },
        })
    }

    /// [`Parser::lookup`] for an element's prefix, with the usual case inlined: no prefix and
    /// no default namespace in scope.
    #[inline(always)]
    fn lookup_element(&self, prefix: &str) -> Option<&'a str> {
        if prefix.is_empty() && self.default_bindings == 0 {
            return None;
        }
        self.lookup(prefix)
    }

    /// The depth or element-count error of an element opening at `depth`.
    #[cold]
    pub(super) fn limit_error(&self, depth: usize, offset: usize) -> DecodeError {
        if depth > self.limits.max_depth {
            DecodeError::TooDeep {
                limit: self.limits.max_depth,
                offset: self.at(offset),
                path: self.path(),
            }
        } else {
            DecodeError::TooManyElements {
                limit: self.limits.max_elements,
                offset: self.at(offset),
                path: self.path(),
            }
        }
    }

    /// Refuses open element `e` (the innermost) when its qualified name is not an XML `QName`:
    /// the decoder keeps that local name (an unknown method's), and the encoder writes back
    /// exactly the names XML allows (`crate::name`), so it survives encode → decode.
    pub fn check_name(&self, e: &Elem<'a>) -> Result<(), DecodeError> {
        let name = match self.path.last() {
            Some((local, name)) if same(local, e.local) => *name,
            _ => e.local,
        };
        if is_qname(name) {
            return Ok(());
        }
        Err(DecodeError::InvalidName {
            name: text::excerpt(name),
            offset: self.at(e.offset),
            path: self.path(),
        })
    }

    /// The qualified name (`prefix:local`) of element `e`, while it is the innermost open one.
    pub fn qname_of(&self, e: &Elem<'a>) -> &'a str {
        match self.path.last() {
            Some((local, name)) if same(local, e.local) => name,
            _ => e.local,
        }
    }

    /// Closes the innermost element: pops its bindings and its path entry.
    pub(super) fn close(&mut self) {
        let depth = self.path.len();
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.generation += 1;
            if self.bindings.pop().is_some_and(|b| b.prefix.is_empty()) {
                self.default_bindings -= 1;
            }
        }
        self.path.pop();
    }

    /// The next child element of `parent`, or `None` at its end (which closes it).
    ///
    /// Inlined so that the element is built where the caller keeps it (moving it through
    /// memory costs more than building it).
    #[inline(always)]
    pub fn child(&mut self, parent: &Elem<'a>) -> Result<Option<Elem<'a>>, DecodeError> {
        match self.child_tag(parent)? {
            Some(tag) => self.open_tag(tag).map(Some),
            None => Ok(None),
        }
    }

    /// The tag of [`Parser::child`]'s next child, not opened yet, or `None` at the end.
    #[inline(always)]
    fn child_tag(&mut self, parent: &Elem<'a>) -> Result<Option<Tag<'a>>, DecodeError> {
        if parent.empty() || parent.leaf.is_some() {
            return self.end_of_leaf(parent).map(|()| None);
        }
        if parent.fast() && self.fast_end() {
            self.close();
            return Ok(None);
        }
        // Both paths meet before the element is built, so it is built once, in registers.
        match self.fast_tag() {
            Some(tag) => Ok(Some(tag)),
            None => self.child_events(),
        }
    }

    /// [`Parser::child`] out of line, for the envelope's elements (Envelope, Header, Body,
    /// detail), read once per message: one shared copy instead of one inlined per place keeps
    /// the code a small message runs through small, which is what bounds its speed.
    #[inline(always)]
    pub fn child_once(&mut self, parent: &Elem<'a>) -> Result<Option<Elem<'a>>, DecodeError> {
        Ok(self.child_once_with(parent, false)?.map(|(c, _)| c))
    }

    /// [`Parser::child_once`] for a SOAP Header's children: with each one's raw
    /// `mustUnderstand` (see [`Parser::must_understand`]).
    #[inline(always)]
    pub fn header_child(
        &mut self,
        parent: &Elem<'a>,
    ) -> Result<Option<(Elem<'a>, Option<&'a str>)>, DecodeError> {
        self.child_once_with(parent, true)
    }

    /// [`Parser::child_once`], and when `must_understand` is set, the child's raw
    /// `mustUnderstand`: when that is its one attribute, in the usual form, it is taken
    /// straight from the tag (see [`Parser::must_understand_only`]).
    #[inline(never)]
    fn child_once_with(
        &mut self,
        parent: &Elem<'a>,
        must_understand: bool,
    ) -> Result<Option<(Elem<'a>, Option<&'a str>)>, DecodeError> {
        let Some(mut tag) = self.child_tag(parent)? else {
            return Ok(None);
        };
        let mut mu = None;
        if must_understand && !tag.attrs.is_empty() {
            mu = self.must_understand_only(&mut tag);
        }
        let c = self.open_tag(tag)?;
        if must_understand && mu.is_none() {
            mu = self.must_understand(&c);
        }
        Ok(Some((c, mu)))
    }

    /// [`Parser::child`] at the end of an empty or leaf element.
    pub(super) fn end_of_leaf(&mut self, parent: &Elem<'a>) -> Result<(), DecodeError> {
        if let Some(t) = parent.leaf {
            // What the event loop makes of a text-only element's Text and End events.
            if !text::is_ws(t.as_bytes()) {
                self.warn(WarningKind::UnexpectedText, parent.content_start)?;
            }
        }
        self.close();
        Ok(())
    }

    /// [`Parser::child`] through quick-xml's events.
    #[inline(never)]
    /// The next child's tag, or `None` at the end (which closes the parent).
    pub(super) fn child_events(&mut self) -> Result<Option<Tag<'a>>, DecodeError> {
        loop {
            let (pos, ev) = self.read()?;
            match ev {
                Event::Start(e) => return self.tag_of(&e, false, pos).map(Some),
                Event::Empty(e) => return self.tag_of(&e, true, pos).map(Some),
                Event::End(_) => {
                    self.close();
                    return Ok(None);
                }
                Event::Text(t) => {
                    if !text::is_ws(&t) {
                        self.warn(WarningKind::UnexpectedText, pos)?;
                    }
                }
                Event::CData(_) | Event::GeneralRef(_) => {
                    self.warn(WarningKind::UnexpectedText, pos)?;
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Decl(_) => {
                    return Err(DecodeError::Xml {
                        message: "XML declaration inside the document".into(),
                        offset: self.at(pos),
                        path: self.path(),
                    });
                }
                Event::DocType(_) => {
                    return Err(DecodeError::Dtd {
                        offset: self.at(pos),
                    });
                }
                Event::Eof => return Err(self.eof(pos)),
            }
        }
    }

    /// Skips `e` and everything inside it (limits still apply).
    pub fn skip(&mut self, e: &Elem<'a>) -> Result<(), DecodeError> {
        if e.empty() || e.leaf.is_some() {
            self.close();
            return Ok(());
        }
        loop {
            let (pos, ev) = self.read()?;
            match ev {
                Event::Start(c) => {
                    self.open(&c, false, pos)?;
                }
                Event::Empty(c) => {
                    self.open(&c, true, pos)?;
                    self.close();
                }
                Event::End(_) => {
                    let depth = self.path.len();
                    self.close();
                    if depth <= e.depth() {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.eof(pos)),
                _ => {}
            }
        }
    }
}
