//! Attributes: the scanner over a start tag's attribute text, namespace declarations, the
//! `xsi:type`, `arrayType` and `mustUnderstand` values, and the cache of resolved attribute texts.

use super::fast::split_name_len;
use super::namespaces::known_namespace;
use super::{
    Binding, DecodeError, Elem, MALFORMED_QNAME, Parser, QRef, SOAP_ENV, XSI, XSI_1999, find_byte,
    is_xml_ws, same, text, word, ws_len,
};

/// The resolved attributes of an open element, kept per depth.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ElemAttrs<'a> {
    pub(super) xsi_type: Option<QRef<'a>>,
    pub(super) array_type: Option<(QRef<'a>, &'a str)>,
    pub(super) array_type_malformed: bool,
    pub(super) must_understand: Option<&'a str>,
}

/// How many depths [`DepthAttrs`] keeps without allocating: a SOAP envelope's elements with
/// attributes are rarely deeper.
const NEAR_DEPTHS: usize = 8;

/// The resolved attributes of the open elements that have some, by depth: the first
/// [`NEAR_DEPTHS`] depths in place, the deeper ones in a vector grown when one is needed (so
/// that a small message makes no allocation for them).
pub(super) struct DepthAttrs<'a> {
    near: [ElemAttrs<'a>; NEAR_DEPTHS],
    far: Vec<ElemAttrs<'a>>,
}

impl<'a> DepthAttrs<'a> {
    pub(super) fn new() -> Self {
        DepthAttrs {
            near: [ElemAttrs::default(); NEAR_DEPTHS],
            far: Vec::new(),
        }
    }

    /// The attributes kept for `depth` (whatever an element at that depth left there last).
    #[inline]
    pub(super) fn get(&self, depth: usize) -> Option<&ElemAttrs<'a>> {
        match depth.checked_sub(NEAR_DEPTHS) {
            None => self.near.get(depth),
            Some(far) => self.far.get(far),
        }
    }

    /// Keeps `attrs` for `depth`.
    #[inline]
    pub(super) fn set(&mut self, depth: usize, attrs: ElemAttrs<'a>) {
        let slot = match depth.checked_sub(NEAR_DEPTHS) {
            None => self.near.get_mut(depth),
            Some(far) => {
                if self.far.len() <= far {
                    self.far.resize(far + 1, ElemAttrs::default());
                }
                self.far.get_mut(far)
            }
        };
        if let Some(slot) = slot {
            *slot = attrs;
        }
    }
}

/// What a start tag's attributes say before resolution (see [`Parser::scan_attrs`]).
#[derive(Clone, Copy, Default)]
pub(super) struct RawAttrs<'a> {
    pub(super) ty: Option<(&'a str, &'a str)>,
    pub(super) array: Option<(&'a str, &'a str)>,
    pub(super) must: Option<(&'a str, &'a str)>,
    /// Whether it declared namespaces.
    pub(super) binds: bool,
}

/// An attribute split by [`scan_start_attrs`](super::fast::scan_start_attrs): the byte
/// ranges of its name and of its value (without the quotes), and what its value is.
#[derive(Clone, Copy, Default)]
pub(super) struct AttrAt {
    pub(super) name: (usize, usize),
    pub(super) value: (usize, usize),
    pub(super) kind: ValueKind,
}

/// What [`scan_start_attrs`](super::fast::scan_start_attrs) learnt of an attribute value while
/// it looked for its closing quote, so that a namespace declaration need not look at it again.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum ValueKind {
    /// It holds a reference (`&`): it may stand for a known namespace once unescaped.
    #[default]
    Refs,
    /// It holds no reference and is none of the namespaces of [`known_uri`], so no cwmp one.
    ///
    /// [`known_uri`]: super::fast::known_uri
    Other,
    /// One of the namespaces of [`known_uri`], exactly; `cwmp`: one of
    /// `cwmp_core::version::NAMESPACES`.
    ///
    /// [`known_uri`]: super::fast::known_uri
    Known { cwmp: bool },
}

/// Entries of the attribute cache (more than the xsd types a Value may name, so that a cycle
/// through all of them still hits): most documents repeat a few attribute texts
/// (`xsi:type="xsd:string"`) under the same bindings.
pub(super) const ATTR_CACHE: usize = 16;

#[derive(Clone, Copy)]
pub(super) struct AttrCacheEntry<'a> {
    pub(super) raw: &'a str,
    pub(super) generation: u64,
    pub(super) attrs: ElemAttrs<'a>,
}

impl<'a> Parser<'a> {
    /// The resolved attributes of an earlier element with the very same attribute text, if
    /// the namespace bindings have not changed since and resolving them warned of nothing.
    ///
    /// The entry where the same text was last found or put is tried first (see
    /// [`attr_hint`]), then every entry.
    #[inline]
    pub(super) fn cached_attrs(&mut self, raw: &str) -> Option<ElemAttrs<'a>> {
        let h = attr_hint(raw);
        let hinted = self.attr_hints.get(h).copied().unwrap_or_default();
        let hit = |c: &AttrCacheEntry<'a>| c.generation == self.generation && same(c.raw, raw);
        if let Some(Some(c)) = self.attr_cache.get(usize::from(hinted)) {
            if hit(c) {
                return Some(c.attrs);
            }
        }
        // No text with this hint was ever put in the cache: it holds none.
        if self.attr_hints_used & (1 << h) == 0 {
            return None;
        }
        self.cached_attrs_scan(raw, h)
    }

    /// [`Parser::cached_attrs`] through every entry, remembering where `raw` was found.
    #[inline(never)]
    fn cached_attrs_scan(&mut self, raw: &str, h: usize) -> Option<ElemAttrs<'a>> {
        let generation = self.generation;
        // The slots fill in turn from the first: past `attr_cache_next` they are all empty.
        let filled = self
            .attr_cache
            .get(..self.attr_cache_next.min(ATTR_CACHE))?;
        let (slot, c) = filled.iter().enumerate().find_map(|(k, c)| {
            c.as_ref()
                .filter(|c| c.generation == generation && same(c.raw, raw))
                .map(|c| (k, c))
        })?;
        let attrs = c.attrs;
        if let Some(hint) = self.attr_hints.get_mut(h) {
            *hint = u8::try_from(slot).unwrap_or_default();
        }
        Some(attrs)
    }

    /// Keeps the resolved attributes of the element opening at `depth`; whether it has any.
    pub(super) fn keep_attrs(&mut self, depth: usize, attrs: ElemAttrs<'a>) -> bool {
        let any = attrs.xsi_type.is_some()
            || attrs.array_type.is_some()
            || attrs.array_type_malformed
            || attrs.must_understand.is_some();
        if any {
            self.attrs.set(depth, attrs);
        }
        any
    }

    /// Reads a start tag's attributes: limits, namespace declarations (bound at `depth`), and
    /// the raw `xsi:type`, `arrayType` and `mustUnderstand` values.
    #[inline(never)]
    pub(super) fn scan_attrs(
        &mut self,
        raw: &'a str,
        depth: usize,
        offset: usize,
    ) -> Result<RawAttrs<'a>, DecodeError> {
        let mut found = RawAttrs::default();
        if !self.general_only {
            if let Some((aname, value)) = single_attr(raw) {
                self.take_attr(&mut found, aname, value, None, 1, depth, offset)?;
                return Ok(found);
            }
        }
        let mut attrs = Attrs { s: raw, i: 0 };
        let mut count = 0usize;
        while let Some(attr) = attrs.next_attr() {
            let (aname, value) = match attr {
                Ok(attr) => attr,
                Err(reason) => {
                    return Err(DecodeError::MalformedAttribute {
                        reason,
                        offset: self.at(offset),
                        path: self.path(),
                    });
                }
            };
            count += 1;
            self.take_attr(&mut found, aname, value, None, count, depth, offset)?;
        }
        Ok(found)
    }

    /// [`Parser::scan_attrs`] over attributes already split (by [`scan_start_attrs`]), each
    /// `(name, value)` as byte ranges of the input: what [`Attrs::next_attr`] makes of the
    /// same tag's attribute text, in the same order.
    ///
    /// [`scan_start_attrs`]: super::fast::scan_start_attrs
    #[inline(never)]
    pub(super) fn scan_split_attrs(
        &mut self,
        split: &[AttrAt],
        depth: usize,
        offset: usize,
    ) -> Result<RawAttrs<'a>, DecodeError> {
        let mut found = RawAttrs::default();
        let src = self.src;
        for (k, a) in split.iter().enumerate() {
            let (Some(aname), Some(value)) =
                (src.get(a.name.0..a.name.1), src.get(a.value.0..a.value.1))
            else {
                continue;
            };
            self.take_attr(&mut found, aname, value, Some(a.kind), k + 1, depth, offset)?;
        }
        Ok(found)
    }

    /// One attribute of [`Parser::scan_attrs`], the `count`th of its tag; `kind`: what is
    /// known of its value already (`None`: nothing).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn take_attr(
        &mut self,
        found: &mut RawAttrs<'a>,
        aname: &'a str,
        value: &'a str,
        kind: Option<ValueKind>,
        count: usize,
        depth: usize,
        offset: usize,
    ) -> Result<(), DecodeError> {
        if count > self.limits.max_attributes {
            return Err(DecodeError::TooManyAttributes {
                limit: self.limits.max_attributes,
                offset: self.at(offset),
                path: self.path(),
            });
        }
        if let Some(rest) = aname.strip_prefix("xmlns") {
            let prefix = if rest.is_empty() {
                Some("")
            } else {
                rest.strip_prefix(':')
            };
            if let Some(prefix) = prefix {
                // A known namespace written with references (`&#58;`) is that namespace.
                let (value, cwmp) = match kind {
                    Some(ValueKind::Known { cwmp }) => (value, Some(cwmp)),
                    Some(ValueKind::Other) => (value, Some(false)),
                    Some(ValueKind::Refs) => (known_namespace(value).unwrap_or(value), None),
                    None if find_byte(value.as_bytes(), b'&').is_some() => {
                        (known_namespace(value).unwrap_or(value), None)
                    }
                    None => (value, None),
                };
                if self.cwmp_declared.is_none()
                    && cwmp
                        .unwrap_or_else(|| cwmp_core::CwmpVersion::from_namespace(value).is_some())
                {
                    self.cwmp_declared = Some(value);
                }
                if prefix.is_empty() {
                    self.default_bindings += 1;
                }
                self.bindings.push(Binding {
                    depth,
                    prefix,
                    uri: value,
                });
                self.generation += 1;
                found.binds = true;
                return Ok(());
            }
        }
        keep_raw_attr(found, aname, value);
        Ok(())
    }

    /// Resolves what [`Parser::scan_attrs`] found and keeps it for the element at `depth`
    /// (and in the cache when nothing depended on the element itself); whether it has any.
    #[inline(never)]
    pub(super) fn resolve_attrs(
        &mut self,
        raw: &'a str,
        found: RawAttrs<'a>,
        depth: usize,
        offset: usize,
    ) -> Result<bool, DecodeError> {
        let warnings = self.warnings.len();
        let mut xsi_type = None;
        if let Some((ap, value)) = found.ty {
            if matches!(self.lookup(ap), Some(XSI | XSI_1999)) {
                xsi_type = Some(self.resolve_value(value, offset)?);
            }
        }
        let mut array_type = None;
        let mut array_type_malformed = false;
        if let Some((_, value)) = found.array {
            let value = text::trim_xml(value);
            match value
                .strip_suffix(']')
                .and_then(|v| v.rsplit_once('['))
                .filter(|(t, _)| !t.is_empty())
            {
                Some((ty, count)) => {
                    let q = self.resolve_value(ty, offset)?;
                    if q.ns == MALFORMED_QNAME {
                        array_type_malformed = true;
                    } else {
                        array_type = Some((q, count));
                    }
                }
                None => array_type_malformed = true,
            }
        }
        let must_understand = match found.must {
            Some((ap, v)) if ap.is_empty() || self.lookup(ap) == Some(SOAP_ENV) => Some(v),
            _ => None,
        };
        let attrs = ElemAttrs {
            xsi_type,
            array_type,
            array_type_malformed,
            must_understand,
        };
        if !found.binds && self.warnings.len() == warnings {
            let slot = self.attr_cache_next % ATTR_CACHE;
            self.attr_cache_next = self.attr_cache_next.wrapping_add(1);
            let entry = AttrCacheEntry {
                raw,
                generation: self.generation,
                attrs,
            };
            if let Some(e) = self.attr_cache.get_mut(slot) {
                *e = Some(entry);
            }
            let h = attr_hint(raw);
            if let Some(hint) = self.attr_hints.get_mut(h) {
                *hint = u8::try_from(slot).unwrap_or_default();
            }
            self.attr_hints_used |= 1 << h;
        }
        Ok(self.keep_attrs(depth, attrs))
    }

    /// When the attribute text of `tag` (not opened yet) is one `mustUnderstand` attribute,
    /// unprefixed or in the SOAP envelope namespace, written as [`single_attr`] takes it, and
    /// the limits allow an attribute: its raw value, with the attribute text taken off the
    /// tag, so that opening it has no attribute to read. What [`Parser::must_understand`]
    /// gives for the same tag opened with its attribute; nothing else differs (such an
    /// attribute binds nothing and warns of nothing). `None`: `tag` unchanged.
    pub(super) fn must_understand_only(&self, tag: &mut super::Tag<'a>) -> Option<&'a str> {
        if self.general_only || self.limits.max_attributes == 0 {
            return None;
        }
        let (aname, value) = single_attr(tag.attrs)?;
        let ap = prefix_if_local(aname, "mustUnderstand")?;
        if !ap.is_empty() && self.lookup(ap) != Some(SOAP_ENV) {
            return None;
        }
        tag.attrs = "";
        Some(value)
    }

    /// The attributes of open element `e`.
    pub(super) fn attrs_of(&self, e: &Elem<'a>) -> Option<&ElemAttrs<'a>> {
        if !e.has_attrs() {
            return None;
        }
        self.attrs.get(e.depth())
    }

    /// The `xsi:type` of open element `e`, resolved.
    pub fn xsi_type(&self, e: &Elem<'a>) -> Option<QRef<'a>> {
        self.attrs_of(e).and_then(|a| a.xsi_type)
    }

    /// The `soap-enc:arrayType` of open element `e`: member type and count text.
    pub fn array_type(&self, e: &Elem<'a>) -> Option<(QRef<'a>, &'a str)> {
        self.attrs_of(e).and_then(|a| a.array_type)
    }

    /// The raw `mustUnderstand` of open element `e` (unprefixed or in the SOAP namespace).
    pub fn must_understand(&self, e: &Elem<'a>) -> Option<&'a str> {
        self.attrs_of(e).and_then(|a| a.must_understand)
    }
}

/// The one attribute of the attribute text `raw` when it is written ` name="value"` (one
/// space, no whitespace around `=`, either quote, the value's closing quote ending `raw`, no
/// quote or `>` in the name): what [`Attrs::next_attr`] reads from it, once, before its end,
/// found without its byte-at-a-time steps. `None` for any other text.
#[inline(always)]
fn single_attr(raw: &str) -> Option<(&str, &str)> {
    let b = raw.as_bytes();
    if b.first() != Some(&b' ') {
        return None;
    }
    let name_end = 1 + split_name_len(b.get(1..)?)?;
    let quote = *b.get(name_end + 1)?;
    if name_end == 1
        || b.get(name_end) != Some(&b'=')
        || !matches!(quote, b'"' | b'\'')
        || b.last() != Some(&quote)
    {
        return None;
    }
    let vstart = name_end + 2;
    let vend = b.len().checked_sub(1)?;
    let value = b.get(vstart..vend)?;
    if find_byte(value, quote).is_some() {
        return None;
    }
    Some((raw.get(1..name_end)?, raw.get(vstart..vend)?))
}

/// The prefix of attribute name `aname` when its local name is `local` (which holds no `:`),
/// as [`split_qname`] splits it: `aname` is `local`, or `prefix:local` with no `:` in `prefix`.
/// Compares suffixes instead of looking for the `:` first.
#[inline(always)]
fn prefix_if_local<'n>(aname: &'n str, local: &str) -> Option<&'n str> {
    let rest = aname.strip_suffix(local)?;
    if rest.is_empty() {
        return Some("");
    }
    let prefix = rest.strip_suffix(':')?;
    (!prefix.bytes().any(|c| c == b':')).then_some(prefix)
}

/// Keeps the value of attribute `aname` (not a namespace declaration) in `found` when it is
/// an `xsi:type`, `arrayType` or `mustUnderstand` (by its local name). Out of line: the
/// root's attributes are namespace declarations.
#[inline(never)]
fn keep_raw_attr<'a>(found: &mut RawAttrs<'a>, aname: &'a str, value: &'a str) {
    if let Some(ap) = prefix_if_local(aname, "type") {
        if !ap.is_empty() {
            found.ty = Some((ap, value));
        }
    } else if let Some(ap) = prefix_if_local(aname, "arrayType") {
        found.array = Some((ap, value));
    } else if let Some(ap) = prefix_if_local(aname, "mustUnderstand") {
        found.must = Some((ap, value));
    }
}

/// Entries of the attribute cache's hint table (see [`attr_hint`]): as many as the bits of
/// `Parser::attr_hints_used`.
pub(super) const ATTR_HINTS: usize = 32;

/// Where in the hint table the cache slot of attribute text `raw` is remembered: a hash of its
/// length and of the byte before its last (in `xsi:type="xsd:string"`, the last of the type).
/// Texts that share it only take turns there; the cache finds either by its full scan.
#[inline(always)]
fn attr_hint(raw: &str) -> usize {
    let b = raw.as_bytes();
    let near_end = b.len().checked_sub(2).and_then(|i| b.get(i)).copied();
    (b.len().wrapping_mul(7) ^ usize::from(near_end.unwrap_or_default())) % ATTR_HINTS
}

/// The length of the attribute name `b` starts with: the offset of the first `=` or XML
/// whitespace byte, else the length of `b`.
///
/// Eight bytes at a time: the lowest byte below 0x21 (whitespace is, and so are the control
/// characters, which may be part of a name here) and the lowest `=` are flagged exactly, so
/// the lowest flag of both is the first byte that may end the name; a control character is
/// stepped over.
#[inline]
pub(super) fn attr_name_len(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let ends = |c: u8| c == b'=' || is_xml_ws(c);
    let mut i = 0usize;
    loop {
        let Some(chunk) = b.get(i..i + 8) else {
            let rest = b.get(i..).unwrap_or_default();
            return i + rest.iter().position(|&c| ends(c)).unwrap_or(rest.len());
        };
        let x = word(chunk);
        let below = x.wrapping_sub(ONES * 0x21) & !x & HIGH;
        let eq = x ^ (ONES * u64::from(b'='));
        let low = below | (eq.wrapping_sub(ONES) & !eq & HIGH);
        if low == 0 {
            i += 8;
            continue;
        }
        let k = i + (low.trailing_zeros() / 8) as usize;
        if b.get(k).copied().is_some_and(ends) {
            return k;
        }
        i = k + 1;
    }
}

/// A minimal attribute scanner over a start tag's attribute text.
pub(super) struct Attrs<'a> {
    pub(super) s: &'a str,
    pub(super) i: usize,
}

impl<'a> Attrs<'a> {
    /// `None` at the end; `Some(Err(reason))` when malformed. Inlined into
    /// [`Parser::scan_attrs`]: its result is then kept in registers.
    #[inline(always)]
    pub(super) fn next_attr(&mut self) -> Option<Result<(&'a str, &'a str), &'static str>> {
        let bytes = self.s.as_bytes();
        let rest = bytes.get(self.i..).unwrap_or_default();
        let start = self.i + rest.iter().position(|&b| !is_xml_ws(b))?;
        // A self-closing tag's trailing '/' may be part of the raw attribute text.
        if bytes.get(start..) == Some(b"/") {
            return None;
        }
        let after = bytes.get(start..).unwrap_or_default();
        let name_len = attr_name_len(after);
        let name = self.s.get(start..start + name_len)?;
        let mut i = start + name_len;
        i += ws_len(bytes.get(i..).unwrap_or_default());
        if name.is_empty() {
            self.i = bytes.len();
            return Some(Err("an attribute without a name"));
        }
        if bytes.get(i) != Some(&b'=') {
            self.i = bytes.len();
            return Some(Err("an attribute without `=` and a value"));
        }
        i += 1;
        i += ws_len(bytes.get(i..).unwrap_or_default());
        let quote = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                self.i = bytes.len();
                return Some(Err("an attribute value not in quotes"));
            }
        };
        let vstart = i + 1;
        let Some(vlen) = bytes.get(vstart..).and_then(|v| find_byte(v, quote)) else {
            self.i = bytes.len();
            return Some(Err("an attribute value without its closing quote"));
        };
        let value = self.s.get(vstart..vstart + vlen)?;
        self.i = vstart + vlen + 1;
        Some(Ok((name, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::bytes::check_every_byte;
    use super::{Attrs, attr_name_len, is_xml_ws, single_attr};

    /// Where `single_attr` takes a text, `Attrs::next_attr` reads the same one attribute from
    /// it and then its end.
    #[test]
    fn single_attr_is_what_next_attr_reads() {
        let quotes = ["\"", "'"];
        let mut texts = Vec::new();
        for q in quotes {
            for p in quotes {
                for v in [
                    "",
                    "1",
                    "xsd:string",
                    "a b",
                    "x>y",
                    "&amp;",
                    "0123456789abcdef",
                ] {
                    for (pre, mid) in [(" ", "="), ("  ", "="), (" ", " ="), ("\t", "=")] {
                        texts.push(format!("{pre}a:b{mid}{q}{v}{p}"));
                        texts.push(format!("{pre}a:b{mid}{q}{v}{p} "));
                        texts.push(format!("{pre}a:b{mid}{q}{v}{p}/"));
                        texts.push(format!("{pre}a:b{mid}{q}{v}{p} c={q}1{q}"));
                        texts.push(format!("{pre}a:b{mid}{q}{v}{q}{p}{q}"));
                        texts.push(format!("{pre}a{p}b{mid}{q}{v}{q}"));
                    }
                }
            }
        }
        let mut taken = 0;
        for t in &texts {
            if let Some(attr) = single_attr(t) {
                taken += 1;
                let mut attrs = Attrs { s: t, i: 0 };
                assert_eq!(attrs.next_attr(), Some(Ok(attr)), "{t:?}");
                assert_eq!(attrs.next_attr(), None, "{t:?}");
            }
        }
        assert!(taken > 0);
    }

    /// `attr_name_len` eight bytes at a time against a byte-by-byte search, for every byte
    /// value at every position of a few lengths, after name characters below and above `=`
    /// and control characters.
    #[test]
    fn attr_name_len_is_the_first_eq_or_whitespace() {
        check_every_byte(
            &[b"xmlns:ab", b"a\x01b\x1fc", b"\xC3\xA9-.:9", b"!#$%&<>?"],
            attr_name_len,
            |b| {
                b.iter()
                    .position(|&c| c == b'=' || is_xml_ws(c))
                    .unwrap_or(b.len())
            },
        );
    }
}

#[cfg(test)]
mod prefix_tests {
    use super::super::split_qname;
    use super::prefix_if_local;

    /// `prefix_if_local` is `split_qname` followed by a comparison of the local name.
    #[test]
    fn prefix_if_local_is_split_qname() {
        for name in [
            "type",
            "xsi:type",
            ":type",
            "a:b:type",
            "xtype",
            "x:xtype",
            "type:",
            "xsi:Type",
            "arrayType",
            "e:arrayType",
            ":arrayType",
            "a:b:arrayType",
            "mustUnderstand",
            "s:mustUnderstand",
            "s:mustUnderstandx",
            "",
            ":",
            "a:",
        ] {
            for local in ["type", "arrayType", "mustUnderstand"] {
                let (ap, al) = split_qname(name);
                let expected = (al == local).then_some(ap);
                assert_eq!(prefix_if_local(name, local), expected, "{name} {local}");
            }
        }
    }
}
