//! The fast path: start tags, leaf elements and whole `ParameterValueStruct`s read straight
//! from the input, split exactly as quick-xml splits them, so that both paths agree.

use super::attributes::ValueKind;
use super::{
    AttrAt, DecodeError, Elem, Parser, QRef, Tag, find_any, find_byte, find_lt_amp, is_xml_ws,
    same_bytes, same_bytes_inlined, text, word, ws_len,
};
use super::{SOAP_ENC, SOAP_ENV, SOAP12_ENV, XSD, XSD_1999, XSI, XSI_1999};

/// A `ParameterValueStruct` read whole by [`Parser::fast_pvs`].
pub(crate) struct FastPvs<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// Offset of the `Value` element (for its warnings).
    pub value_offset: usize,
    pub xsi_type: Option<QRef<'a>>,
}

impl<'a> Parser<'a> {
    /// The fast path of [`Parser::child`]: a start tag (after optional whitespace) read
    /// straight from the input without quick-xml's events, and with it the rest of a leaf
    /// element (`<Name>text</Name>`) when its text holds no `<` or `&` and the end tag follows.
    /// Tags are split exactly as quick-xml splits them (see [`scan_start`]); anything else
    /// (comments, references, CDATA, processing instructions, end tags, EOF) consumes nothing
    /// and returns `None`, and the event loop reads it. Both produce the same elements, text
    /// and offsets.
    ///
    /// Must only be called where quick-xml is between events in text (after a start or end tag).
    #[inline(always)]
    pub(super) fn fast_tag(&mut self) -> Option<Tag<'a>> {
        if self.general_only {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let tag = scan_start(rest)?;
        let at = (rest.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        self.take_tag(rest, at, &tag)
    }

    /// Consumes the start tag `tag` scanned at the start of `rest` (which is at `at` in the
    /// input), and with it the rest of a leaf element whose text holds no `<` or `&` when its
    /// end tag follows: the part of [`Parser::fast_tag`] after the tag scan. `None` (nothing
    /// consumed) when the tag's parts are not within the input.
    #[inline(always)]
    fn take_tag(&mut self, rest: &'a [u8], at: usize, tag: &StartTag) -> Option<Tag<'a>> {
        let slice = |(from, to): (usize, usize)| self.src.get(at + from..at + to);
        let (name, attrs) = (slice(tag.name)?, slice(tag.attrs)?);
        let mut len = tag.len;
        let mut leaf = None;
        if !tag.empty {
            if let Some((text_end, end_len)) = rest
                .get(len..)
                .and_then(|content| leaf_text(content, name.as_bytes()))
            {
                leaf = slice((len, len + text_end));
                len += text_end + end_len;
            }
        }
        let base = self.pos();
        let offset = base + tag.lt;
        let content_start = base + tag.len;
        *self.reader.get_mut() = rest.get(len..).unwrap_or_default();
        self.skipped += len;
        Some(Tag {
            name,
            attrs,
            leaf,
            offset,
            content_start,
            empty: tag.empty,
            fast: !tag.empty && leaf.is_none(),
            plain: false,
        })
    }

    /// The fast path of [`Parser::fields_repeated`]: when the next element (after optional
    /// whitespace) starts with `<name>`, `name` the next field expected (`names[0]` before
    /// any, else the one after `names[last]`) or `names[last]` again, exactly as written (no
    /// prefix, attributes or whitespace in the start tag), its index and tag, consumed as
    /// [`Parser::fast_tag`] consumes it (see [`Parser::literal_tag`]): the name
    /// `names.iter().position` finds for it (the names of one struct differ). `None`: nothing
    /// consumed.
    ///
    /// Must only be called where [`Parser::fast_tag`] may be.
    #[inline(always)]
    pub(super) fn fast_field(
        &mut self,
        names: &[&'static str],
        last: Option<usize>,
    ) -> Option<(usize, Tag<'a>)> {
        if self.general_only {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let lt = lt_after_ws(rest)?;
        // Before any field, the second try names nothing.
        let (next, again) = match last {
            Some(last) => (last + 1, last),
            None => (0, usize::MAX),
        };
        let (i, name) = [next, again].into_iter().find_map(|i| {
            let name = names.get(i)?.as_bytes();
            is_literal_start(rest, lt, name).then_some((i, name))
        })?;
        self.literal_tag(rest, lt, name).map(|tag| (i, tag))
    }

    /// [`Parser::fast_field`] for the one name `name` (an array's member).
    #[inline(always)]
    pub(super) fn fast_named(&mut self, name: &str) -> Option<Tag<'a>> {
        if self.general_only {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let lt = lt_after_ws(rest)?;
        if !is_literal_start(rest, lt, name.as_bytes()) {
            return None;
        }
        self.literal_tag(rest, lt, name.as_bytes())
    }

    /// The tag `<name>` at `rest[lt..]` (checked by [`is_literal_start`]), with the rest of the
    /// element when it is a leaf, consumed: what [`Parser::fast_tag`] makes of the same bytes
    /// when `name` is made of bytes its scanner takes as part of a name (the schema's names
    /// are), as [`scan_start`] ends such a tag at the `>` right after the name.
    #[inline(always)]
    fn literal_tag(&mut self, rest: &'a [u8], lt: usize, name: &[u8]) -> Option<Tag<'a>> {
        let start = lt + 2 + name.len();
        let at = (rest.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let name_str = self.src.get(at + lt + 1..at + lt + 1 + name.len())?;
        let mut len = start;
        let mut leaf = None;
        if let Some((text_len, end_len)) = rest.get(start..).and_then(|c| leaf_text(c, name)) {
            leaf = Some(self.src.get(at + start..at + start + text_len)?);
            len += text_len + end_len;
        }
        let base = self.pos();
        *self.reader.get_mut() = rest.get(len..).unwrap_or_default();
        self.skipped += len;
        Some(Tag {
            name: name_str,
            attrs: "",
            leaf,
            offset: base + lt,
            content_start: base + start,
            empty: false,
            fast: leaf.is_none(),
            plain: true,
        })
    }

    /// Whether all that is left of the input is whitespace: what the event loop reads as
    /// (at most) a whitespace text and the end, without a warning or an error, so that there
    /// is nothing left to read.
    ///
    /// Must only be called where quick-xml is between events in text.
    pub fn fast_tail_is_ws(&self) -> bool {
        !self.general_only && text::is_ws(self.reader.get_ref())
    }

    /// Skips the XML declaration (`<?xml` and whitespace, up to the first `?>`) when the input
    /// starts with it, as quick-xml reads it (a declaration event, which the decoder ignores),
    /// and says whether it did. Not taken when a byte-order mark follows it, which quick-xml
    /// (still in its initial state) would strip where its events would not.
    ///
    /// Must only be called before the first event.
    pub fn fast_decl(&mut self) -> bool {
        if !self.fast_at_start() {
            return false;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        if !rest.starts_with(b"<?xml") || !rest.get(5).copied().is_some_and(is_xml_ws) {
            return false;
        }
        // The first `?>`: a `>` with `?` before it (quick-xml's end of a processing instruction).
        let mut gt = 5;
        let len = loop {
            let Some(k) = rest.get(gt..).and_then(|r| find_byte(r, b'>')) else {
                return false;
            };
            gt += k;
            if rest.get(gt - 1) == Some(&b'?') {
                break gt + 1;
            }
            gt += 1;
        };
        let after = rest.get(len..).unwrap_or_default();
        if after.starts_with(b"\xEF\xBB\xBF") {
            return false;
        }
        *self.reader.get_mut() = after;
        self.skipped += len;
        true
    }

    /// Whether the input starts with a tag's `<` (no declaration, byte-order mark or
    /// whitespace before it), where [`Parser::fast_root`] may read the root's start tag as it
    /// does after a declaration [`Parser::fast_decl`] skipped.
    ///
    /// Must only be called before the first event.
    pub fn fast_start(&self) -> bool {
        self.fast_at_start() && self.reader.get_ref().first() == Some(&b'<')
    }

    /// Whether the fast paths are on and nothing of the input has been read yet.
    fn fast_at_start(&self) -> bool {
        !self.general_only && self.skipped == 0 && self.reader.buffer_position() == 0
    }

    /// The next element if its start tag can be read directly (see [`Parser::child`]).
    ///
    /// Must only be called where quick-xml is between events in text.
    pub fn fast_open(&mut self) -> Result<Option<Elem<'a>>, DecodeError> {
        match self.fast_tag() {
            Some(tag) => self.open_tag(tag).map(Some),
            None => Ok(None),
        }
    }

    /// [`Parser::fast_open`] for the document's first element (the cache of attribute texts is
    /// still empty), whose attributes (the namespace declarations) are split while the end of
    /// its start tag is looked for, by [`scan_start_attrs`], instead of once by the tag scanner
    /// and again by [`Parser::scan_attrs`]. A tag that [`scan_start_attrs`] does not take is
    /// read by [`Parser::fast_open`].
    ///
    /// Must only be called where [`Parser::fast_open`] may be, before any element was opened.
    pub fn fast_root(&mut self) -> Result<Option<Elem<'a>>, DecodeError> {
        if self.general_only || self.elements != 0 {
            return self.fast_open();
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let mut split = [AttrAt::default(); SPLIT_ATTRS];
        let Some((tag, n)) = scan_start_attrs(rest, &mut split) else {
            return self.fast_open();
        };
        let Some(at) = (rest.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize) else {
            return self.fast_open();
        };
        let Some(split) = split.get_mut(..n) else {
            return self.fast_open();
        };
        for a in split.iter_mut() {
            a.name = (at + a.name.0, at + a.name.1);
            a.value = (at + a.value.0, at + a.value.1);
        }
        let Some(tag) = self.take_tag(rest, at, &tag) else {
            return self.fast_open();
        };
        let split = (!split.is_empty()).then_some(&*split);
        self.open_tag_split(tag, split).map(Some)
    }

    /// The fast path for the end tag of an element whose start tag the fast path read:
    /// consumes `ws* </name ws*>` if that is what follows.
    #[inline(always)]
    pub(super) fn fast_end(&mut self) -> bool {
        let rest: &'a [u8] = self.reader.get_ref();
        let i = if rest.first() == Some(&b'<') {
            0
        } else {
            ws_len(rest)
        };
        if rest.get(i..i + 2) != Some(b"</") {
            return false;
        }
        let Some((_, name)) = self.path.last() else {
            return false;
        };
        let Some(len) = rest.get(i..).and_then(|r| end_tag_len(r, name.as_bytes())) else {
            return false;
        };
        *self.reader.get_mut() = rest.get(i + len..).unwrap_or_default();
        self.skipped += i + len;
        true
    }

    /// A whole `ParameterValueStruct` member read at once, when it is in the plainest form:
    /// `<ParameterValueStruct><Name>text</Name><Value attrs>text</Value></ParameterValueStruct>`
    /// (whitespace between the tags allowed), no attributes but on `Value`, whose attribute
    /// text was resolved before without warnings (attribute cache), texts without `<` or `&`,
    /// within the limits and with no control-character policy in force. What it returns and
    /// counts is what [`Parser::child`], [`Parser::fields`] and [`Parser::text`] make of the
    /// same bytes, none of which warn on that form. `None`: nothing consumed.
    ///
    /// The tags are first matched as literals ([`literal_start`]); `Value`'s attribute text,
    /// cut at the first `>`, is then taken only if it is in the cache: a text quick-xml split
    /// before has balanced quotes, so the first `>` after it ends the tag.
    pub fn fast_pvs(&mut self) -> Option<FastPvs<'a>> {
        if self.controls.is_some()
            || self.general_only
            || self.path.len() + 2 > self.limits.max_depth
            || self.elements.saturating_add(3) > self.limits.max_elements
        {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let at = (rest.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        let plain_start = |from: usize, name: &[u8]| plain_start_at(rest, from, name);
        let no_attrs = |from: usize, t: &StartTag| {
            rest.get(from + t.attrs.0..from + t.attrs.1)
                .is_some_and(|a| a.iter().all(|&c| is_xml_ws(c)))
        };
        let s = plain_start(0, b"ParameterValueStruct")?;
        if !no_attrs(0, &s) {
            return None;
        }
        let mut pos = s.len;
        let n = plain_start(pos, b"Name")?;
        if !no_attrs(pos, &n) {
            return None;
        }
        let name_start = pos + n.len;
        let (name_len, end) = leaf_text(rest.get(name_start..)?, b"Name")?;
        pos = name_start + name_len + end;
        let v = plain_start(pos, b"Value")?;
        let value_lt = pos + v.lt;
        let value_attrs = self.src.get(at + pos + v.attrs.0..at + pos + v.attrs.1)?;
        let xsi_type = if value_attrs.is_empty() {
            None
        } else {
            self.cached_attrs(value_attrs)?.xsi_type
        };
        let value_start = pos + v.len;
        let (value_len, end) = leaf_text(rest.get(value_start..)?, b"Value")?;
        pos = value_start + value_len + end;
        pos += ws_len(rest.get(pos..)?);
        pos += end_tag_len(rest.get(pos..)?, b"ParameterValueStruct")?;
        if name_len > self.limits.max_text_len || value_len > self.limits.max_text_len {
            return None;
        }
        let name = self.src.get(at + name_start..at + name_start + name_len)?;
        let value = self
            .src
            .get(at + value_start..at + value_start + value_len)?;
        let value_offset = self.pos() + value_lt;
        *self.reader.get_mut() = rest.get(pos..).unwrap_or_default();
        self.skipped += pos;
        self.elements += 3;
        Some(FastPvs {
            name,
            value,
            value_offset,
            xsi_type,
        })
    }
}

/// The offset of the `<` that `b` starts with after optional whitespace, if any.
#[inline(always)]
fn lt_after_ws(b: &[u8]) -> Option<usize> {
    let lt = if b.first() == Some(&b'<') {
        0
    } else {
        ws_len(b)
    };
    (b.get(lt) == Some(&b'<')).then_some(lt)
}

/// Whether `<name>` is at `b[lt..]`, exactly.
#[inline(always)]
fn is_literal_start(b: &[u8], lt: usize, name: &[u8]) -> bool {
    let start = lt + 1;
    b.get(start..start + name.len())
        .is_some_and(|t| same_bytes(t, name))
        && b.get(start + name.len()) == Some(&b'>')
}

/// The start tag named `name` at `rest[from..]` as [`scan_start`] reads it, tried first as a
/// literal ([`literal_start`]); inlined, so that the tag's parts stay in registers.
#[inline(always)]
fn plain_start_at(rest: &[u8], from: usize, name: &[u8]) -> Option<StartTag> {
    let b = rest.get(from..)?;
    match literal_start(b, name) {
        Some(t) => Some(t),
        None => scan_start_named(b, name),
    }
}

/// [`scan_start`] of a start tag (not an empty-element tag) named `name`, for what
/// [`literal_start`] does not take; out of line, as it is the rare case.
#[inline(never)]
fn scan_start_named(b: &[u8], name: &[u8]) -> Option<StartTag> {
    let t = scan_start(b)?;
    let ok = !t.empty && same_bytes(b.get(t.name.0..t.name.1)?, name);
    ok.then_some(t)
}

/// Where the parts of a start tag are, relative to the start of the scanned bytes.
pub(super) struct StartTag {
    /// Offset of `<`.
    pub(super) lt: usize,
    pub(super) name: (usize, usize),
    pub(super) attrs: (usize, usize),
    pub(super) empty: bool,
    /// Bytes up to and including `>` (whitespace before the tag included).
    pub(super) len: usize,
}

/// [`scan_start`] for the start tag `ws* <name>` or `ws* <name ws attrs>` of a known `name`,
/// without looking at each byte of the name: the tag ends at the first `>`. That is where
/// quick-xml ends it when the attribute text holds no quote (or is one quick-xml split before,
/// its quotes balanced: see [`Parser::fast_pvs`]); the caller checks which. `None` (the caller
/// then asks [`scan_start`]): another name, an empty-element tag, no `>`.
#[inline(always)]
fn literal_start(b: &[u8], name: &[u8]) -> Option<StartTag> {
    let lt = if b.first() == Some(&b'<') {
        0
    } else {
        ws_len(b)
    };
    let start = lt + 1;
    let name_end = start + name.len();
    if b.get(lt) != Some(&b'<') || !b.get(start..name_end).is_some_and(|t| same_bytes(t, name)) {
        return None;
    }
    let gt = match *b.get(name_end)? {
        b'>' => name_end,
        c if is_xml_ws(c) => name_end + find_byte(b.get(name_end..)?, b'>')?,
        _ => return None,
    };
    if b.get(gt - 1) == Some(&b'/') {
        return None;
    }
    Some(StartTag {
        lt,
        name: (start, name_end),
        attrs: (name_end, gt),
        empty: false,
        len: gt + 1,
    })
}

/// Recognises `ws* <name attrs>` or `ws* <name attrs/>` at the start of `b` exactly as quick-xml
/// tokenizes a start tag: the tag ends at the first `>` outside quotes, a `/` before it makes
/// the element empty, and the name ends at the first whitespace. Not taken (`None`): `<!`,
/// `</`, `<?`, an empty name, a quote in the name, no `>`.
#[inline(always)]
pub(super) fn scan_start(b: &[u8]) -> Option<StartTag> {
    let mut i = 0usize;
    while b.get(i).copied().is_some_and(is_xml_ws) {
        i += 1;
    }
    let lt = i;
    if b.get(lt) != Some(&b'<') || matches!(b.get(lt + 1), None | Some(b'!' | b'/' | b'?')) {
        return None;
    }
    let start = lt + 1;
    let tag = b.get(start..)?;
    let stop = name_stop(tag)?;
    let gt = match tag.get(stop) {
        Some(b'>') => start + stop,
        Some(&c) if class(c) == WS => {
            let mut k = stop;
            loop {
                k += find_any(tag.get(k..)?, [b'"', b'\'', b'>'])?;
                let q = *tag.get(k)?;
                if q == b'>' {
                    break start + k;
                }
                k += 1;
                k += find_byte(tag.get(k..)?, q)? + 1;
            }
        }
        _ => return None,
    };
    let empty = gt > start && b.get(gt - 1) == Some(&b'/');
    let tag_end = if empty { gt - 1 } else { gt };
    let name_end = start + stop.min(tag_end - start);
    if name_end == start {
        return None;
    }
    Some(StartTag {
        lt,
        name: (start, name_end),
        attrs: (name_end, tag_end),
        empty,
        len: gt + 1,
    })
}

/// How many attributes [`scan_start_attrs`] splits at most.
pub(super) const SPLIT_ATTRS: usize = 8;

/// [`scan_start`] for a start tag whose attributes are well-formed, splitting them on the way
/// into `split` (byte ranges relative to `b`) and returning how many there are: the tag is
/// `ws* <name (ws+ attr)* ws* >` or `.../>`, each attribute `aname ws* = ws* quoted-value`
/// (whitespace before an attribute optional after the first, as [`Attrs::next_attr`] reads
/// them), at most [`SPLIT_ATTRS`] of them.
///
/// Where it is taken, quick-xml ends the tag at the same `>`: outside the values there are no
/// quotes (an attribute name holding a quote or `>` is not taken) and each value ends at its
/// own quote. And the attributes are those [`Attrs::next_attr`] reads from the tag's attribute
/// text, as it looks for the same bytes in the same order. `None` for anything else: the
/// caller reads the tag the usual way.
///
/// [`Attrs::next_attr`]: super::Attrs::next_attr
pub(super) fn scan_start_attrs(
    b: &[u8],
    split: &mut [AttrAt; SPLIT_ATTRS],
) -> Option<(StartTag, usize)> {
    let lt = ws_len(b);
    if b.get(lt) != Some(&b'<') || matches!(b.get(lt + 1), None | Some(b'!' | b'/' | b'?')) {
        return None;
    }
    let start = lt + 1;
    let name_end = start + name_stop(b.get(start..)?)?;
    if name_end == start || class(*b.get(name_end)?) != WS {
        return None;
    }
    let mut i = name_end;
    let mut n = 0usize;
    let (gt, empty) = loop {
        i += ws_len(b.get(i..)?);
        match b.get(i..i + 2)? {
            [b'>', _] => break (i, false),
            b"/>" => break (i + 1, true),
            _ => {}
        }
        let aname = i;
        // `xmlns:` holds no byte that ends or refuses a name: the scan starts after it.
        if b.get(i..i + 6) == Some(b"xmlns:") {
            i += 6;
        }
        i += split_name_len(b.get(i..)?)?;
        let aname_end = i;
        if aname_end == aname {
            return None;
        }
        if b.get(i) != Some(&b'=') {
            i += ws_len(b.get(i..)?);
            if b.get(i) != Some(&b'=') {
                return None;
            }
        }
        i += 1;
        let mut quote = *b.get(i)?;
        if class(quote) != QUOTE {
            i += ws_len(b.get(i..)?);
            quote = *b.get(i)?;
            if class(quote) != QUOTE {
                return None;
            }
        }
        let vstart = i + 1;
        let value = b.get(vstart..)?;
        let (vlen, kind) = match known_uri(value, quote) {
            Some(known) => known,
            None => value_len(value, quote)?,
        };
        let vend = vstart + vlen;
        *split.get_mut(n)? = AttrAt {
            name: (aname, aname_end),
            value: (vstart, vend),
            kind,
        };
        n += 1;
        i = vend + 1;
    };
    let tag_end = if empty { gt - 1 } else { gt };
    Some((
        StartTag {
            lt,
            name: (start, name_end),
            attrs: (name_end, tag_end),
            empty,
            len: gt + 1,
        },
        n,
    ))
}

/// The length of the attribute name `b` starts with, as [`attr_name_len`] reads it (up to the
/// first `=` or XML whitespace byte), when no quote or `>` comes before its end: `None` then,
/// and when nothing ends it.
///
/// Eight bytes at a time, as [`name_stop`]: the lowest byte below 0x28 (whitespace, quotes and
/// control characters are), the lowest `=` and the lowest `>` are flagged exactly; a flagged
/// byte that neither ends the name nor refuses it (a control character, `!`, `&`) is stepped
/// over.
///
/// [`attr_name_len`]: super::attributes::attr_name_len
#[inline(always)]
pub(super) fn split_name_len(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0usize;
    loop {
        let k = match b.get(i..i + 8) {
            Some(chunk) => {
                let x = word(chunk);
                let below = x.wrapping_sub(ONES * 0x28) & !x & HIGH;
                let eq = x ^ (ONES * u64::from(b'='));
                let gt = x ^ (ONES * u64::from(b'>'));
                let low = below
                    | (eq.wrapping_sub(ONES) & !eq & HIGH)
                    | (gt.wrapping_sub(ONES) & !gt & HIGH);
                if low == 0 {
                    i += 8;
                    continue;
                }
                i + (low.trailing_zeros() / 8) as usize
            }
            None => {
                i + b
                    .get(i..)?
                    .iter()
                    .position(|&c| c < 0x28 || c == b'=' || c == b'>')?
            }
        };
        match *b.get(k)? {
            b'=' | b' ' | b'\t' | b'\n' | b'\r' => return Some(k),
            b'"' | b'\'' | b'>' => return None,
            _ => i = k + 1,
        }
    }
}

/// The length of the attribute value `b` starts with (up to its closing `quote`) and whether
/// it holds a reference, in one pass.
#[inline(always)]
fn value_len(b: &[u8], quote: u8) -> Option<(usize, ValueKind)> {
    let k = find_any(b, [quote, b'&'])?;
    if b.get(k) == Some(&quote) {
        return Some((k, ValueKind::Other));
    }
    let end = k + 1 + find_byte(b.get(k + 1..)?, quote)?;
    Some((end, ValueKind::Refs))
}

/// The first eight bytes of `s` as a [`word`].
const fn head(s: &str) -> u64 {
    match *s.as_bytes() {
        [a, b, c, d, e, f, g, h, ..] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => 0,
    }
}

/// When the attribute value `b` starts with (up to `quote`) is one of the namespaces the
/// decoder matches on (`SOAP_ENV`, `SOAP_ENC`, `XSD`, `XSI`, `SOAP12_ENV`, the 1999 ones, or a
/// cwmp one of `cwmp_core::version::NAMESPACES`): its length and kind, found by comparing
/// words without looking for the quote. `None` for any other value.
///
/// The first word picks the candidates; a candidate is taken when the value's byte after it
/// is `quote` and the bytes before are the candidate's.
#[inline(always)]
pub(super) fn known_uri(b: &[u8], quote: u8) -> Option<(usize, ValueKind)> {
    const SOAP: u64 = head(SOAP_ENV);
    const W3: u64 = head(XSD);
    const CWMP: u64 = head(cwmp_core::version::NAMESPACES[0].0);
    let is = |uri: &str| is_value(b, quote, uri);
    let first = word(b.get(..8)?);
    // Written out rather than as loops over arrays, which are not unrolled.
    let (uri, cwmp) = if first == SOAP {
        if is(SOAP_ENV) {
            (SOAP_ENV, false)
        } else if is(SOAP_ENC) {
            (SOAP_ENC, false)
        } else {
            return None;
        }
    } else if first == W3 {
        if is(XSD) {
            (XSD, false)
        } else if is(XSI) {
            (XSI, false)
        } else if is(SOAP12_ENV) {
            (SOAP12_ENV, false)
        } else if is(XSD_1999) {
            (XSD_1999, false)
        } else if is(XSI_1999) {
            (XSI_1999, false)
        } else {
            return None;
        }
    } else if first == CWMP {
        let mut found = None;
        for (ns, _) in &cwmp_core::version::NAMESPACES {
            if is(ns) {
                found = Some(*ns);
                break;
            }
        }
        (found?, true)
    } else {
        return None;
    };
    Some((uri.len(), ValueKind::Known { cwmp }))
}

/// Whether the attribute value `b` starts with is `uri`, closed by `quote`. Inlined so that
/// the comparison is of words with `uri`'s words as constants.
#[inline(always)]
fn is_value(b: &[u8], quote: u8, uri: &str) -> bool {
    let u = uri.as_bytes();
    b.get(u.len()) == Some(&quote) && b.get(..u.len()).is_some_and(|v| same_bytes_inlined(v, u))
}

/// The first byte of `b` that is not [`PLAIN`] to the start-tag scanner: whitespace, a quote
/// (all below 0x28) or `>`, so eight bytes at a time are skipped while none is one of those or
/// another byte below 0x28.
#[inline(always)]
pub(super) fn name_stop(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0usize;
    loop {
        let Some(chunk) = b.get(i..i + 8) else {
            return b
                .get(i..)?
                .iter()
                .position(|&c| class(c) != PLAIN)
                .map(|k| i + k);
        };
        let x = word(chunk);
        // The lowest byte below 0x28 (whitespace and quotes are) and the lowest `>` are
        // flagged exactly, so the lowest flag of both is the first byte that may stop a name
        // (name characters such as `-`, `.`, `:` and digits are not flagged).
        let below = x.wrapping_sub(ONES * 0x28) & !x & HIGH;
        let gt = x ^ (ONES * u64::from(b'>'));
        let low = below | (gt.wrapping_sub(ONES) & !gt & HIGH);
        if low == 0 {
            i += 8;
            continue;
        }
        let k = i + (low.trailing_zeros() / 8) as usize;
        if class(*b.get(k)?) != PLAIN {
            return Some(k);
        }
        i = k + 1;
    }
}

/// For the content `b` of element `name`: the length of its text and of the end tag that
/// follows, when the text holds no `<` or `&` and the end tag is `</name ws*>`.
#[inline(always)]
pub(super) fn leaf_text(b: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let text_end = find_lt_amp(b)?;
    let end = end_tag_len(b.get(text_end..)?, name)?;
    Some((text_end, end))
}

/// The length of `</name ws*>` at the start of `b` (quick-xml trims whitespace there).
#[inline(always)]
pub(super) fn end_tag_len(b: &[u8], name: &[u8]) -> Option<usize> {
    let n = name.len();
    if b.get(..2) != Some(b"</") || !b.get(2..2 + n).is_some_and(|t| same_bytes_inlined(t, name)) {
        return None;
    }
    let mut k = 2 + n;
    while b.get(k).copied().is_some_and(is_xml_ws) {
        k += 1;
    }
    (b.get(k) == Some(&b'>')).then_some(k + 1)
}

pub(super) const PLAIN: u8 = 0;
pub(super) const WS: u8 = 1;
pub(super) const QUOTE: u8 = 2;
pub(super) const GT: u8 = 3;

/// What a byte is to the start-tag scanner.
#[inline]
pub(super) fn class(c: u8) -> u8 {
    match c {
        b' ' | b'\t' | b'\n' | b'\r' => WS,
        b'"' | b'\'' => QUOTE,
        b'>' => GT,
        _ => PLAIN,
    }
}

#[cfg(test)]
mod tests {
    use super::super::bytes::check_every_byte;
    use super::super::{SOAP_ENC, SOAP_ENV, SOAP12_ENV, XSD, XSD_1999, XSI, XSI_1999};
    use super::{PLAIN, ValueKind, class, known_uri, name_stop, split_name_len};

    /// Every namespace `known_uri` stands for is found, with its kind, in both quotes: a value
    /// it takes for [`ValueKind::Other`] is then no cwmp namespace. Its near misses are not.
    #[test]
    fn known_uri_finds_every_known_namespace() {
        let others = [SOAP_ENV, SOAP_ENC, XSD, XSI, SOAP12_ENV, XSD_1999, XSI_1999];
        let cwmp = cwmp_core::version::NAMESPACES.map(|(ns, _)| ns);
        for (uris, is_cwmp) in [(&others[..], false), (&cwmp[..], true)] {
            for uri in uris {
                for q in ['"', '\''] {
                    let v = format!("{uri}{q}/>");
                    let kind = ValueKind::Known { cwmp: is_cwmp };
                    assert!(known_uri(v.as_bytes(), q as u8) == Some((uri.len(), kind)));
                    let other = if q == '"' { b'\'' } else { b'"' };
                    assert!(known_uri(v.as_bytes(), other).is_none(), "{v}");
                    let longer = format!("{uri}x{q}");
                    assert!(known_uri(longer.as_bytes(), q as u8).is_none(), "{longer}");
                }
            }
        }
    }

    /// `split_name_len` against `attr_name_len` followed by the check for a quote or `>` in
    /// the name, for every byte value at every position.
    #[test]
    fn split_name_len_is_attr_name_len_without_quotes() {
        check_every_byte(
            &[b"xmlns:ab", b"a\x01b\x1fc", b"\xC3\xA9-.:9", b"!#$%&<?"],
            split_name_len,
            |b| {
                let n = super::super::attributes::attr_name_len(b);
                let name = b.get(..n)?;
                let refused = name.iter().any(|&c| matches!(c, b'"' | b'\'' | b'>'));
                (n < b.len() && !refused).then_some(n)
            },
        );
    }

    /// `name_stop` eight bytes at a time against a byte-by-byte search, for every byte value
    /// at every position of a few words, after name characters that are and are not below
    /// `>` (`-`, `:`, `.`, digits, letters, bytes above ASCII).
    #[test]
    fn name_stop_is_the_first_byte_not_plain() {
        check_every_byte(
            &[
                b"abcdefgh",
                b"soap-env:",
                b"a.1-2:3",
                b"\xC3\xA9x",
                b"!#$%&",
            ],
            name_stop,
            |b| b.iter().position(|&c| class(c) != PLAIN),
        );
    }
}
