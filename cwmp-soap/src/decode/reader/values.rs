//! Text and typed leaf values: borrowed unless the text needs unescaping.

use std::borrow::Cow;

use cwmp_core::datetime::DateTimeText;
use quick_xml::events::Event;

use super::fast::end_tag_len;
use super::{ControlCharPolicy, DecodeError, Elem, Parser, WarningKind, find_any, find_byte, text};
use crate::decode::text::UnescapeError;

impl<'a> Parser<'a> {
    /// The text of a text-only element, borrowed unless it had to be unescaped.
    #[inline(always)]
    pub fn text(&mut self, e: &Elem<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if e.empty() {
            self.close();
            return Ok(Cow::Borrowed(""));
        }
        match e.leaf {
            Some(raw) if raw.len() <= self.limits.max_text_len && self.controls.is_none() => {
                self.close();
                Ok(Cow::Borrowed(raw))
            }
            _ => self.text_slow(e),
        }
    }

    /// [`Parser::text`] of a leaf under a limit or a control policy, or through quick-xml's
    /// events.
    #[inline(never)]
    pub(super) fn text_slow(&mut self, e: &Elem<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if let Some(raw) = e.leaf {
            if raw.len() > self.limits.max_text_len {
                return Err(DecodeError::TextTooLong {
                    limit: self.limits.max_text_len,
                    len: raw.len(),
                    offset: self.at(e.content_start),
                    path: self.path(),
                });
            }
            let mut out = Cow::Borrowed(raw);
            if self.controls == Some(ControlCharPolicy::Replace) {
                out = self.settle(text::replace_controls(out));
            }
            self.close();
            return Ok(out);
        }
        let (end, complex) = match self.fast_ref_text(e) {
            Some(read) => read,
            None => self.text_events()?,
        };
        let start = e.content_start;
        let len = end.saturating_sub(start);
        if len > self.limits.max_text_len {
            return Err(DecodeError::TextTooLong {
                limit: self.limits.max_text_len,
                len,
                offset: self.at(start),
                path: self.path(),
            });
        }
        let raw = self.src.get(start..end).unwrap_or_default();
        let mut out = if complex {
            match self.unescaped(raw) {
                Ok(s) => s,
                Err(UnescapeError::Entity(entity, at)) => {
                    return Err(DecodeError::UnknownEntity {
                        entity,
                        offset: self.at(start + at),
                        path: self.path(),
                    });
                }
                Err(UnescapeError::Markup(at)) => {
                    return Err(DecodeError::Xml {
                        message: "unexpected markup in text".into(),
                        offset: self.at(start + at),
                        path: self.path(),
                    });
                }
            }
        } else {
            Cow::Borrowed(raw)
        };
        if self.controls == Some(ControlCharPolicy::Replace) {
            out = self.settle(text::replace_controls(out));
        }
        self.close();
        Ok(out)
    }

    /// The events of a text-only element's content, read to its end tag (consumed): the end
    /// tag's offset, and whether the content holds references, CDATA, comments or PIs.
    fn text_events(&mut self) -> Result<(usize, bool), DecodeError> {
        let mut complex = false;
        let end = loop {
            let (pos, ev) = self.read()?;
            match ev {
                Event::Text(_) => {}
                Event::GeneralRef(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_) => {
                    complex = true;
                }
                Event::End(_) => break pos,
                Event::Start(c) | Event::Empty(c) => {
                    let name = String::from_utf8_lossy(c.name().as_ref()).into_owned();
                    return Err(DecodeError::UnexpectedElement {
                        name,
                        offset: self.at(pos),
                        path: self.path(),
                    });
                }
                Event::Decl(_) | Event::DocType(_) => return Err(self.declaration_inside(pos)),
                Event::Eof => return Err(self.eof(pos)),
            }
        };
        Ok((end, complex))
    }

    /// [`Parser::text_events`] read straight from the input for the plainest content with
    /// references: text without `<` holding `&`, each `&` closed by a `;` before the next `&`
    /// (what quick-xml reads as text and references without an error), then the element's
    /// end tag `</name ws*>`. Consumes it and returns what the events would: the end tag's
    /// offset and whether there was a reference. `None` (nothing consumed) for anything else.
    fn fast_ref_text(&mut self, e: &Elem<'a>) -> Option<(usize, bool)> {
        if self.general_only || self.pos() != e.content_start {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let (_, name) = self.path.last()?;
        let lt = find_byte(rest, b'<')?;
        let content = rest.get(..lt)?;
        let mut i = 0;
        let mut refs = false;
        while let Some(k) = content.get(i..).and_then(|c| find_byte(c, b'&')) {
            refs = true;
            let after = i + k + 1;
            let tail = content.get(after..)?;
            match find_any(tail, [b';', b'&']) {
                Some(j) if tail.get(j) == Some(&b';') => i = after + j + 1,
                _ => return None,
            }
        }
        let end_len = end_tag_len(rest.get(lt..)?, name.as_bytes())?;
        let end = self.pos() + lt;
        *self.reader.get_mut() = rest.get(lt + end_len..).unwrap_or_default();
        self.skipped += lt + end_len;
        Some((end, refs))
    }

    /// `raw` element content unescaped: into the arena when the decode has one (borrowed for
    /// `'a`, through one scratch buffer), else into a `String` of its own.
    pub(super) fn unescaped(&mut self, raw: &str) -> Result<Cow<'a, str>, UnescapeError> {
        match self.arena {
            Some(arena) => {
                self.scratch.clear();
                text::unescape_into(raw, &mut self.scratch)?;
                Ok(Cow::Borrowed(arena.alloc_str(&self.scratch)))
            }
            None => text::unescape(raw).map(Cow::Owned),
        }
    }

    /// Text the decoder made rather than borrowed: moved into the arena when the decode has
    /// one, so that the message borrows all its text for `'a`.
    pub fn settle(&self, t: Cow<'a, str>) -> Cow<'a, str> {
        match (t, self.arena) {
            (Cow::Owned(s), Some(arena)) => Cow::Borrowed(arena.alloc_str(&s)),
            (t, _) => t,
        }
    }

    /// An attribute value (such as a namespace URI) as text: entities and character
    /// references unescaped, control characters replaced when the policy says so.
    pub fn attr_text(&self, raw: &'a str) -> Cow<'a, str> {
        let mut out = if raw.contains('&') {
            text::unescape(raw).map_or(Cow::Borrowed(raw), Cow::Owned)
        } else {
            Cow::Borrowed(raw)
        };
        if self.controls == Some(ControlCharPolicy::Replace) {
            out = text::replace_controls(out);
        }
        self.settle(out)
    }

    /// A `u32` element (surrounding whitespace and a `+` sign allowed; empty reads as 0).
    pub fn u32(&mut self, e: &Elem<'a>) -> Result<u32, DecodeError> {
        let t = self.text(e)?;
        match plain_u32(&t) {
            Some(v) => Ok(v),
            None => self.number_in(e, t, "unsignedInt"),
        }
    }

    /// An `i32` element (surrounding whitespace and a `+` sign allowed; empty reads as 0).
    pub fn i32(&mut self, e: &Elem<'a>) -> Result<i32, DecodeError> {
        self.number(e, "int")
    }

    /// A numeric element of xsd type `xsd_type`: trimmed, an optional `+`, empty reads as 0
    /// with [`WarningKind::EmptyNumber`].
    pub(super) fn number<T: std::str::FromStr + Default>(
        &mut self,
        e: &Elem<'a>,
        xsd_type: &'static str,
    ) -> Result<T, DecodeError> {
        let t = self.text(e)?;
        self.number_in(e, t, xsd_type)
    }

    /// [`Parser::number`] of the text `t` of element `e` (read).
    fn number_in<T: std::str::FromStr + Default>(
        &mut self,
        e: &Elem<'a>,
        t: Cow<'a, str>,
        xsd_type: &'static str,
    ) -> Result<T, DecodeError> {
        let s = text::trim_xml(&t);
        if s.is_empty() {
            self.warn(WarningKind::EmptyNumber, e.offset)?;
            return Ok(T::default());
        }
        s.strip_prefix('+')
            .unwrap_or(s)
            .parse()
            .map_err(|_| self.invalid(e, xsd_type, &t))
    }

    /// A boolean element: `0`, `1`, `true`, `false`; other cases warn.
    pub fn bool(&mut self, e: &Elem<'a>) -> Result<bool, DecodeError> {
        let t = self.text(e)?;
        self.bool_text(e, &t)
    }

    /// Reads boolean text for element `e`.
    pub fn bool_text(&mut self, e: &Elem<'a>, t: &str) -> Result<bool, DecodeError> {
        // The canonical forms as they usually come, without whitespace to trim.
        match t {
            "1" | "true" => return Ok(true),
            "0" | "false" => return Ok(false),
            _ => {}
        }
        let s = text::trim_xml(t);
        match s {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => match cwmp_core::value::parse_bool(s) {
                Some(b) => {
                    self.warn(WarningKind::NonCanonicalBoolean, e.offset)?;
                    Ok(b)
                }
                None if s.is_empty() => {
                    self.warn(WarningKind::EmptyNumber, e.offset)?;
                    Ok(false)
                }
                None => Err(self.invalid(e, "boolean", t)),
            },
        }
    }

    /// A dateTime element, kept verbatim; text that is no xs:dateTime warns.
    pub fn datetime(&mut self, e: &Elem<'a>) -> Result<DateTimeText<'a>, DecodeError> {
        let t = DateTimeText(self.text(e)?);
        if t.parse().is_err() {
            self.warn(WarningKind::InvalidDateTime, e.offset)?;
        }
        Ok(t)
    }
}

/// The value of `t` when it is one to nine ASCII digits and nothing else (what `parse` makes of
/// it, without trimming, sign or overflow to look for); `None` for anything else.
#[inline]
fn plain_u32(t: &str) -> Option<u32> {
    let b = t.as_bytes();
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |v, &c| {
        let d = c.wrapping_sub(b'0');
        (d <= 9).then(|| v * 10 + u32::from(d))
    })
}

#[cfg(test)]
mod plain_u32_tests {
    use super::plain_u32;

    /// Where it answers, it answers what `parse` does; it leaves signs, whitespace, long and
    /// empty texts to `parse`.
    #[test]
    fn agrees_with_parse() {
        for t in [
            "0",
            "7",
            "9003",
            "000000001",
            "999999999",
            "4294967295",
            "1234567890",
            "",
            " 1",
            "1 ",
            "+1",
            "-1",
            "1a",
            "١",
            "0x1",
            "12\u{0}",
        ] {
            if let Some(v) = plain_u32(t) {
                assert_eq!(Ok(v), t.parse::<u32>(), "{t:?}");
            } else {
                assert!(t.is_empty() || t.len() > 9 || !t.bytes().all(|c| c.is_ascii_digit()));
            }
        }
    }
}
