//! The tokenizer of data-model documents: one pass over the bytes of the text, tags and
//! their attributes split in the same pass, the content of elements the reader does not
//! interpret (every `description`) jumped over with a byte search for the next `<`.
//!
//! What it checks is what a data-model reader relies on: tags are closed, attribute syntax
//! is legal, end tags match their start tags, comments, CDATA sections, processing
//! instructions and the DOCTYPE are terminated. It does not decode text: the only text it
//! hands out is outside the root element (to refuse stray characters) and the DOCTYPE.

use std::ops::Range;

use memchr::memmem;

use crate::swar::{eq_mask, first_marked, word_at};

/// Most elements open at once, counting those inside skipped content.
pub(crate) const MAX_OPEN: usize = 1024;

/// A start or empty-element tag: its qualified name (a slice of the document). Its
/// attributes are [`Lexer::attrs`] until the next token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tag<'a> {
    pub name: &'a [u8],
    /// Where the local name starts in `name` (after the last `:`).
    local: usize,
}

impl<'a> Tag<'a> {
    /// The name without its prefix.
    pub fn local(&self) -> &'a [u8] {
        self.name.get(self.local..).unwrap_or(self.name)
    }

    /// The prefix of the name, if it has one.
    pub fn prefix(&self) -> Option<&'a [u8]> {
        self.name.get(..self.local.checked_sub(1)?)
    }
}

#[derive(Debug)]
pub(crate) enum Token<'a> {
    Start(Tag<'a>),
    Empty(Tag<'a>),
    /// An end tag (already matched with its start tag).
    End,
    /// Text or a CDATA section outside the root element (inside it, text is passed over).
    Text(&'a [u8]),
    /// What stands between `<!DOCTYPE` and its closing `>`.
    DocType(&'a [u8]),
    Eof,
}

/// One attribute of the last tag: byte ranges (of the document) of its qualified name and
/// raw value, where its local name starts, whether it declares a namespace and whether the
/// value holds a reference.
#[derive(Debug, Clone)]
pub(crate) struct RawAttr {
    pub key: Range<usize>,
    pub local: usize,
    pub value: Range<usize>,
    pub xmlns: bool,
    pub amp: bool,
}

/// Malformed markup at byte `at`, or (`limit`) elements nested deeper than [`MAX_OPEN`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub at: usize,
    pub what: &'static str,
    pub limit: bool,
}

fn fail<T>(at: usize, what: &'static str) -> Result<T, LexError> {
    Err(LexError {
        at,
        what,
        limit: false,
    })
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// What a byte is to a name: part of it, its prefix separator, or its end (white space,
/// `=`, `>`, `/`, quotes).
const PART: u8 = 0;
const COLON: u8 = 1;
const END: u8 = 2;
#[inline]
fn name_class(c: u8) -> u8 {
    match c {
        b' ' | b'\t' | b'\r' | b'\n' | b'=' | b'>' | b'/' | b'"' | b'\'' => END,
        b':' => COLON,
        _ => PART,
    }
}

/// A name at the start of `b`: its length and where its local part starts. Eight bytes per
/// step: every byte that ends a name, and `:`, is below 0x40, and the letters that make up
/// most names are not.
#[inline]
fn scan_name(b: &[u8]) -> (usize, usize) {
    const TOP2: u64 = 0xc0c0_c0c0_c0c0_c0c0;
    let mut i = 0;
    let mut local = 0;
    loop {
        if let Some(w) = word_at(b, i) {
            let low = eq_mask(w & TOP2, 0);
            if low == 0 {
                i += 8;
                continue;
            }
            i += first_marked(low);
        }
        let Some(&c) = b.get(i) else {
            return (b.len(), local);
        };
        match name_class(c) {
            END => return (i, local),
            COLON => local = i + 1,
            _ => {}
        }
        i += 1;
    }
}

/// How many white-space bytes start `b`.
#[inline]
fn spaces(b: &[u8]) -> usize {
    b.iter().position(|&c| !is_space(c)).unwrap_or(b.len())
}

/// Where the first `<` of `b` is: eight bytes per step for the first few words (the gap
/// between two tags is mostly a line break and an indent), then a vector search.
#[inline]
fn find_lt(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(w) = word_at(b, i) {
        let m = eq_mask(w, b'<');
        if m != 0 {
            return Some(i + first_marked(m));
        }
        i += 8;
        if i == 32 {
            return memchr::memchr(b'<', b.get(i..).unwrap_or(&[])).map(|j| i + j);
        }
    }
    b.get(i..)?.iter().position(|&c| c == b'<').map(|j| i + j)
}

/// Where the first `quote` of `b` is, and whether an `&` comes before it: eight bytes per
/// step (the bytes of one `u64`), the last few one at a time.
#[inline]
fn find_quote(b: &[u8], quote: u8) -> Option<(usize, bool)> {
    let mut amp = false;
    let mut at = 0usize;
    while let Some(w) = word_at(b, at) {
        let quotes = eq_mask(w, quote);
        let amps = eq_mask(w, b'&');
        if quotes != 0 {
            let below = (1u64 << quotes.trailing_zeros()) - 1;
            return Some((at + first_marked(quotes), amp || amps & below != 0));
        }
        amp |= amps != 0;
        at += 8;
    }
    for &c in b.get(at..).unwrap_or(&[]) {
        if c == quote {
            return Some((at, amp));
        }
        amp |= c == b'&';
        at += 1;
    }
    None
}

pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    /// The names of the open elements, innermost last.
    open: Vec<&'a [u8]>,
    /// The attributes of the last tag.
    attrs: Vec<RawAttr>,
    /// The searcher of [`Lexer::raw_content`] for the last end tag it looked for
    /// (`</name>`): kept, as it is nearly always the same one.
    end_tag: Option<memmem::Finder<'static>>,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text` (after a byte-order mark, if there is one).
    pub fn new(text: &'a str) -> Self {
        let src = text.as_bytes();
        let pos = if src.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        Lexer {
            src,
            pos,
            open: Vec::with_capacity(16),
            attrs: Vec::with_capacity(8),
            end_tag: None,
        }
    }

    /// The byte offset after the last token.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The attributes of the last start or empty-element tag.
    pub fn attrs(&self) -> &[RawAttr] {
        &self.attrs
    }

    #[inline]
    fn at(&self, i: usize) -> Option<u8> {
        self.src.get(i).copied()
    }

    fn rest(&self, from: usize) -> &'a [u8] {
        self.src.get(from..).unwrap_or(&[])
    }

    /// Where `needle` starts at or after `from`.
    fn find(&self, from: usize, needle: &[u8]) -> Option<usize> {
        memmem::find(self.rest(from), needle).map(|i| from + i)
    }

    /// The next token.
    pub fn next(&mut self) -> Result<Token<'a>, LexError> {
        loop {
            let rest = self.rest(self.pos);
            let lt = find_lt(rest);
            if self.open.is_empty() {
                let text_len = lt.unwrap_or(rest.len());
                if text_len > 0 {
                    self.pos += text_len;
                    return Ok(Token::Text(rest.get(..text_len).unwrap_or(&[])));
                }
            }
            let Some(lt) = lt else {
                self.pos = self.src.len();
                return Ok(Token::Eof);
            };
            let start = self.pos + lt;
            match self.at(start + 1) {
                Some(b'/') => return self.end_tag(start),
                Some(b'!') => {
                    if let Some(t) = self.bang(start)? {
                        return Ok(t);
                    }
                }
                Some(b'?') => {
                    let Some(end) = self.find(start + 2, b"?>") else {
                        return fail(start, "an unterminated processing instruction");
                    };
                    self.pos = end + 2;
                }
                _ => return self.start_tag(start),
            }
        }
    }

    /// Skips the content of the element whose start tag was the last token, through its end
    /// tag.
    pub fn skip(&mut self) -> Result<(), LexError> {
        let Some(depth) = self.open.len().checked_sub(1) else {
            return Ok(());
        };
        // most skipped elements hold text alone (descriptions): their end tag is the
        // first `<`, met without a token in between
        if let Some(&name) = self.open.last() {
            let rest = self.rest(self.pos);
            if let Some(lt) = memchr::memchr(b'<', rest) {
                let end = lt + 2 + name.len();
                if rest.get(lt + 1) == Some(&b'/')
                    && rest.get(lt + 2..end) == Some(name)
                    && rest.get(end) == Some(&b'>')
                {
                    self.open.pop();
                    self.pos += end + 1;
                    return Ok(());
                }
            }
        }
        loop {
            match self.next()? {
                Token::End if self.open.len() == depth => return Ok(()),
                Token::Eof => return fail(self.pos, "unexpected end of document"),
                _ => {}
            }
        }
    }

    /// The raw text from here to the first `</name>` of the innermost open element `name`
    /// (exactly that end tag, no space before `>`), and the offset after that end tag; not
    /// validated. A caller that recognises the text passes over it with
    /// [`Lexer::close_at`]; otherwise it reads the content token by token as usual.
    pub fn raw_content(&mut self) -> Option<(&'a [u8], usize)> {
        let name = *self.open.last()?;
        let rest = self.rest(self.pos);
        let needle_is = |n: &[u8]| {
            n.len() == name.len() + 3
                && n.starts_with(b"</")
                && n.get(2..n.len() - 1) == Some(name)
                && n.ends_with(b">")
        };
        let finder = match &self.end_tag {
            Some(f) if needle_is(f.needle()) => f,
            _ => {
                let mut needle = Vec::with_capacity(name.len() + 3);
                needle.extend_from_slice(b"</");
                needle.extend_from_slice(name);
                needle.push(b'>');
                self.end_tag
                    .insert(memmem::Finder::new(&needle).into_owned())
            }
        };
        let at = finder.find(rest)?;
        Some((rest.get(..at)?, self.pos + at + name.len() + 3))
    }

    /// Closes the innermost open element, its end tag ending at `after` (as given by
    /// [`Lexer::raw_content`]): the next token is read from there.
    pub fn close_at(&mut self, after: usize) {
        self.open.pop();
        self.pos = after.min(self.src.len());
    }

    /// `<!--`, `<![CDATA[` or `<!DOCTYPE` at `start`: a token for CDATA outside the root and
    /// the DOCTYPE, `None` for what is passed over.
    fn bang(&mut self, start: usize) -> Result<Option<Token<'a>>, LexError> {
        let rest = self.rest(start);
        if rest.starts_with(b"<!--") {
            let Some(end) = self.find(start + 4, b"-->") else {
                return fail(start, "an unterminated comment");
            };
            self.pos = end + 3;
            Ok(None)
        } else if rest.starts_with(b"<![CDATA[") {
            let from = start + 9;
            let Some(end) = self.find(from, b"]]>") else {
                return fail(start, "an unterminated CDATA section");
            };
            self.pos = end + 3;
            if self.open.is_empty() {
                Ok(Some(Token::Text(self.src.get(from..end).unwrap_or(&[]))))
            } else {
                Ok(None)
            }
        } else if rest.starts_with(b"<!DOCTYPE") {
            let from = start + 9;
            let mut i = from;
            let mut quote = None;
            let mut subset = false;
            while let Some(c) = self.at(i) {
                match quote {
                    Some(q) => {
                        if c == q {
                            quote = None;
                        }
                    }
                    None => match c {
                        b'"' | b'\'' => quote = Some(c),
                        b'[' => subset = true,
                        b']' => subset = false,
                        b'>' if !subset => {
                            self.pos = i + 1;
                            return Ok(Some(Token::DocType(self.src.get(from..i).unwrap_or(&[]))));
                        }
                        _ => {}
                    },
                }
                i += 1;
            }
            fail(start, "an unterminated DOCTYPE")
        } else {
            fail(start, "unknown markup after '<!'")
        }
    }

    /// `</name>` at `start`, matched with the innermost open element.
    fn end_tag(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        let from = start + 2;
        let Some(open) = self.open.pop() else {
            return fail(start, "an end tag without a start tag");
        };
        let rest = self.rest(from);
        if !rest.starts_with(open) {
            return fail(start, "an end tag that does not match its start tag");
        }
        let mut i = from + open.len();
        if self.at(i) != Some(b'>') {
            i += spaces(self.rest(i));
        }
        match self.at(i) {
            Some(b'>') => {
                self.pos = i + 1;
                Ok(Token::End)
            }
            None => fail(start, "an unterminated end tag"),
            Some(_) if i == from + open.len() => {
                fail(start, "an end tag that does not match its start tag")
            }
            Some(_) => fail(start, "an unterminated end tag"),
        }
    }

    /// `<name attributes>` or `<name attributes/>` at `start`: the name, the attributes
    /// split into [`Lexer::attrs`].
    fn start_tag(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        let from = start + 1;
        let (len, local) = scan_name(self.rest(from));
        if len == 0 {
            return fail(start, "a tag without a name");
        }
        let name = self.src.get(from..from + len).unwrap_or(&[]);
        let tag = Tag { name, local };
        let mut i = from + len;
        self.attrs.clear();
        loop {
            i += spaces(self.rest(i));
            match self.at(i) {
                None => return fail(start, "an unterminated tag"),
                Some(b'>') => {
                    if self.open.len() >= MAX_OPEN {
                        return Err(LexError {
                            at: start,
                            what: "elements nested too deeply",
                            limit: true,
                        });
                    }
                    self.open.push(name);
                    self.pos = i + 1;
                    return Ok(Token::Start(tag));
                }
                Some(b'/') => {
                    if self.at(i + 1) != Some(b'>') {
                        return fail(i, "a '/' inside a tag");
                    }
                    self.pos = i + 2;
                    return Ok(Token::Empty(tag));
                }
                Some(_) => i = self.attribute(i)?,
            }
        }
    }

    /// The attribute at `i` (not a space): recorded, and the offset after it.
    fn attribute(&mut self, mut i: usize) -> Result<usize, LexError> {
        let ks = i;
        let (len, local) = scan_name(self.rest(ks));
        if len == 0 {
            return fail(ks, "an attribute without a name");
        }
        let local = ks + local;
        let ke = ks + len;
        i = ke;
        if self.at(i) != Some(b'=') {
            i += spaces(self.rest(i));
            if self.at(i) != Some(b'=') {
                return fail(ks, "an attribute without a value");
            }
        }
        i += 1;
        if !matches!(self.at(i), Some(b'"' | b'\'')) {
            i += spaces(self.rest(i));
        }
        let quote = match self.at(i) {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return fail(ks, "an attribute value without quotes"),
        };
        let vs = i + 1;
        let Some((len, amp)) = find_quote(self.rest(vs), quote) else {
            return fail(ks, "an unterminated attribute value");
        };
        let ve = vs + len;
        let key = self.src.get(ks..ke).unwrap_or(&[]);
        self.attrs.push(RawAttr {
            key: ks..ke,
            local,
            value: vs..ve,
            xmlns: key == b"xmlns" || key.starts_with(b"xmlns:"),
            amp,
        });
        let after = ve + 1;
        match self.at(after) {
            Some(c) if is_space(c) || c == b'>' || c == b'/' => Ok(after),
            None => Ok(after),
            Some(_) => fail(after, "no space between attributes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The byte-at-a-time meaning of [`find_quote`].
    fn find_quote_simple(b: &[u8], quote: u8) -> Option<(usize, bool)> {
        let at = b.iter().position(|&c| c == quote)?;
        Some((at, b.get(..at)?.contains(&b'&')))
    }

    proptest! {
        #[test]
        fn find_quote_is_a_byte_search(
            b in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\''), Just(b'&'), Just(b'a'), Just(0u8),
                    Just(0x80u8), Just(0xffu8), Just(b'&' ^ 0x80), Just(b'"' + 1), any::<u8>()],
                0..40,
            ),
        ) {
            for q in [b'"', b'\''] {
                prop_assert_eq!(find_quote(&b, q), find_quote_simple(&b, q));
            }
        }
    }

    /// The tokens of `text` as short strings, or the error.
    fn tokens(text: &str) -> Result<Vec<String>, LexError> {
        let mut lx = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let t = lx.next()?;
            let attrs = |lx: &Lexer<'_>| {
                lx.attrs()
                    .iter()
                    .map(|a| {
                        format!(
                            "{}={}{}",
                            &text[a.local..a.key.end],
                            &text[a.value.clone()],
                            if a.xmlns { "(ns)" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            };
            out.push(match t {
                Token::Start(t) => {
                    format!("<{}[{}]", String::from_utf8_lossy(t.name), attrs(&lx))
                }
                Token::Empty(t) => {
                    format!("<{}[{}]/", String::from_utf8_lossy(t.name), attrs(&lx))
                }
                Token::End => "/".to_owned(),
                Token::Text(t) => format!("T{}", String::from_utf8_lossy(t)),
                Token::DocType(t) => format!("D{}", String::from_utf8_lossy(t)),
                Token::Eof => break,
            });
        }
        Ok(out)
    }

    #[test]
    fn tokens_of_a_document() {
        let text = "\u{feff}<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"x>]\">]>\n\
            <!-- c > -->\n<dm:d xmlns:dm='u' a = \"1&amp;\"><e b='>'/>text<![CDATA[<x>]]>\
            <f\tc=\"\"\n></f ></dm:d>\n";
        assert_eq!(
            tokens(text).unwrap(),
            [
                "T\n",
                "D d [<!ENTITY a \"x>]\">]",
                "T\n",
                "T\n",
                "<dm:d[dm=u(ns),a=1&amp;]",
                "<e[b=>]/",
                "<f[c=]",
                "/",
                "/",
                "T\n",
            ]
        );
        let mut lx = Lexer::new("<a x='1' y=\"a&b\"/>");
        assert!(matches!(lx.next(), Ok(Token::Empty(_))));
        let amps: Vec<bool> = lx.attrs().iter().map(|a| a.amp).collect();
        assert_eq!(amps, [false, true]);
    }

    #[test]
    fn skip_passes_over_nested_content() {
        let text = "<a><d>x<i>y</i><![CDATA[</d>]]><!-- </d> --><e/>z</d><n/></a>";
        let mut lx = Lexer::new(text);
        assert!(matches!(lx.next(), Ok(Token::Start(_))));
        assert!(matches!(lx.next(), Ok(Token::Start(t)) if t.name == b"d"));
        lx.skip().unwrap();
        assert!(matches!(lx.next(), Ok(Token::Empty(t)) if t.name == b"n"));
        assert!(matches!(lx.next(), Ok(Token::End)));
        assert!(matches!(lx.next(), Ok(Token::Eof)));
        // text alone, the end tag exact or not, and an end tag that does not match
        for (text, ok) in [
            ("<a><d>x y</d><n/></a>", true),
            ("<a><d></d ><n/></a>", true),
            ("<a><d>x</dd><n/></a>", false),
            ("<a><d>x</d", false),
        ] {
            let mut lx = Lexer::new(text);
            assert!(matches!(lx.next(), Ok(Token::Start(_))));
            assert!(matches!(lx.next(), Ok(Token::Start(_))));
            assert_eq!(lx.skip().is_ok(), ok, "{text}");
            if ok {
                assert!(matches!(lx.next(), Ok(Token::Empty(t)) if t.name == b"n"));
            }
        }
    }

    #[test]
    fn raw_content_reaches_the_first_exact_end_tag() {
        let text = "<a><s>x<ss/><b>y</b></s><n/><s>z</s ></a>";
        let mut lx = Lexer::new(text);
        assert!(matches!(lx.next(), Ok(Token::Start(_))));
        assert_eq!(
            lx.raw_content().map(|(t, _)| t),
            Some(&b"<s>x<ss/><b>y</b></s><n/><s>z</s >"[..])
        );
        assert!(matches!(lx.next(), Ok(Token::Start(t)) if t.name == b"s"));
        let (content, after) = lx.raw_content().unwrap();
        assert_eq!(content, b"x<ss/><b>y</b>");
        lx.close_at(after);
        assert!(matches!(lx.next(), Ok(Token::Empty(t)) if t.name == b"n"));
        // `</s >` is an end tag, but not the exact text looked for
        assert!(matches!(lx.next(), Ok(Token::Start(_))));
        assert_eq!(lx.raw_content(), None);
        lx.skip().unwrap();
        assert!(matches!(lx.next(), Ok(Token::End)));
        assert!(matches!(lx.next(), Ok(Token::Eof)));
    }

    #[test]
    fn malformed_markup_is_located() {
        for (text, at) in [
            ("<a></b>", 3),
            ("<a>", 3),
            ("</a>", 0),
            ("<a x='1'y='2'/>", 8),
            ("<a x=1/>", 3),
            ("<a x/>", 3),
            ("<a ='1'/>", 3),
            ("<a x='1", 3),
            ("<a", 0),
            ("<>", 0),
            ("<a/ >", 2),
            ("<a><!-- x", 3),
            ("<a><![CDATA[ x", 3),
            ("<!DOCTYPE a [", 0),
            ("<?xml", 0),
            ("<!ELEMENT a>", 0),
            ("<a></a", 3),
        ] {
            let r = tokens(text);
            if text == "<a>" {
                // an open element at the end is the reader's to refuse; skipping it is not
                let mut lx = Lexer::new(text);
                assert!(matches!(lx.next(), Ok(Token::Start(_))));
                assert_eq!(lx.skip().map_err(|e| e.at), Err(at), "{text}");
                continue;
            }
            assert_eq!(r.map_err(|e| e.at), Err(at), "{text}");
        }
        let deep = "<a>".repeat(MAX_OPEN + 1);
        assert!(matches!(tokens(&deep), Err(LexError { limit: true, .. })));
    }

    /// The byte-at-a-time meaning of [`scan_name`].
    fn scan_name_simple(b: &[u8]) -> (usize, usize) {
        let len = b
            .iter()
            .position(|c| b" \t\r\n=>/\"'".contains(c))
            .unwrap_or(b.len());
        let local = b[..len]
            .iter()
            .rposition(|&c| c == b':')
            .map_or(0, |i| i + 1);
        (len, local)
    }

    proptest! {
        #[test]
        fn word_scans_are_byte_scans(
            b in proptest::collection::vec(
                prop_oneof![Just(b'<'), Just(b':'), Just(b'='), Just(b' '), Just(b'a'),
                    Just(b'1'), Just(0x80u8), Just(0xbcu8), Just(b'<' ^ 0x80), any::<u8>()],
                0..70,
            ),
        ) {
            prop_assert_eq!(scan_name(&b), scan_name_simple(&b));
            prop_assert_eq!(find_lt(&b), b.iter().position(|&c| c == b'<'));
        }

        /// No input makes the lexer panic or loop: every call advances or ends.
        #[test]
        fn any_input_ends(text in "[<>/!?a-c='\" \\[\\]&-]{0,40}") {
            let mut lx = Lexer::new(&text);
            for _ in 0..=text.len() + 1 {
                match lx.next() {
                    Ok(Token::Eof) | Err(_) => return Ok(()),
                    Ok(_) => {}
                }
            }
            prop_assert!(false, "no end for {:?}", text);
        }
    }
}
