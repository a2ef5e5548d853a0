//! The definition index of a [`Schema`](crate::Schema): an instance path is looked up
//! without rewriting it on the heap. In one pass it is copied, eight bytes at a time, into a
//! stack buffer in its normal form, where each instance segment (an instance number,
//! `[alias]`, `*` or `{i}`) is the one byte [`MARK`], and that form is hashed on the way;
//! the keys are stored in the same form, so a match is one slice comparison. The quick pass
//! does not look for `[` and `{` (see [`Index::slot`]).
//!
//! Open addressing with linear probing over a power-of-two slot array. A slot keeps the top
//! 16 bits of its key's hash and the key's length (most probes of another key are rejected
//! without reading its text), the node index, and where its key is in one shared text of
//! every normal key (the definition path, or for a table also the path without the
//! trailing `{i}.`).

use crate::path::Path;
use crate::swar::{HI, LO7, ONES, eq_mask, first_marked, word_at};
use crate::types::Node;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// The byte an instance segment is in the normal form. No name has it (names are letters,
/// digits, `_` and `-`), and a segment starting with it is an instance segment that must be
/// `*` alone, so a normal form with a segment `MARK` comes only from instance segments.
const MARK: u8 = b'*';

/// The texts up to this long are normalised in a small buffer on the stack.
const SHORT: usize = 120;

/// No valid path is longer than this many bytes: [`MAX_PATH_LEN`](crate::path::MAX_PATH_LEN)
/// characters (a `{i}` counting as one) of at most four bytes each.
const LONGEST: usize = 4 * crate::path::MAX_PATH_LEN;

#[inline]
fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(K)
}

#[inline]
fn finish(h: u64) -> u64 {
    h ^ (h >> 29) ^ (h >> 47)
}

/// Whether a segment starting with `b` stands for an instance (number, alias, `*` or `{i}`).
#[inline]
fn is_instance_start(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'[' | b'*' | b'{')
}

/// Whether `seg` is a valid instance number, `[alias]`, `*` or `{i}`; numbers (the common
/// case) are checked here without parsing.
#[inline]
fn is_valid_instance(seg: &[u8]) -> bool {
    match seg {
        [b'1'..=b'9', rest @ ..] if rest.len() < 9 => rest.iter().all(u8::is_ascii_digit),
        [b'1'..=b'9', rest @ ..] if rest.len() == 9 => {
            rest.iter().all(u8::is_ascii_digit) && seg <= b"4294967295".as_slice()
        }
        [b'0'..=b'9', ..] => false,
        b"{i}" | b"*" => true,
        _ => std::str::from_utf8(seg).is_ok_and(crate::path::is_valid_instance_segment),
    }
}

/// The position of the first `.` at or after `from`, eight bytes at a time.
#[inline]
fn next_dot(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let rest = bytes.get(from..)?;
        let word = match rest.first_chunk::<8>() {
            Some(w) => u64::from_le_bytes(*w),
            None => {
                return rest.iter().position(|&b| b == b'.').map(|p| from + p);
            }
        };
        let dots = eq_mask(word, b'.');
        if dots != 0 {
            return Some(from + first_marked(dots));
        }
        from += 8;
    }
}

/// The high bit of each byte of `w` that may start an instance segment or be an empty
/// one: below `A` (digits, `*`, `.` and other punctuation), `[` or `{`. Names start with a
/// letter or `_`, so other candidates are only ever letters of no key.
#[inline]
fn instance_start_mask(w: u64) -> u64 {
    let below_a = !((w & LO7) + ONES * 0x3f) & !w & HI;
    // `[` (0x5b) and `{` (0x7b) differ only in bit 5
    below_a | eq_mask(w & (ONES * 0xdf), b'[')
}

/// The bytes of `w` below byte `n` (`n` in `0..8`).
#[inline]
fn low_bytes(w: u64, n: usize) -> u64 {
    w & ((1u64 << (n * 8)) - 1)
}

/// The last bytes of `b`, from `at` (little endian; fewer than eight), the missing ones
/// [`FILL`].
#[inline]
fn tail_word(b: &[u8], at: usize) -> u64 {
    let left = b.len().saturating_sub(at) & 7;
    let fill = (ONES * u64::from(FILL)) << (left * 8);
    let w = match b.len().checked_sub(8).and_then(|s| word_at(b, s)) {
        // the `left` bytes from `at` are the top bytes of the last word
        Some(w) => w.checked_shr(((8 - left) * 8) as u32).unwrap_or(0),
        None => {
            let mut w = 0u64;
            for (k, &x) in b.get(at..).unwrap_or(&[]).iter().enumerate() {
                w |= u64::from(x) << ((k & 7) * 8);
            }
            w
        }
    };
    w | fill
}

/// What stands past the end of a text in its last word: a byte that starts no instance
/// segment and is no dot.
const FILL: u8 = b'A';

/// The high bit of each byte of `w` that may start an instance segment in a text without
/// `[` and `{`: the bytes with bit 6 clear (ASCII below `@`: digits, `*`, `.` and other
/// punctuation; no lead byte of UTF-8). Letters, `_`, `[` and `{` have bit 6 set.
#[inline]
fn low_mask(w: u64) -> u64 {
    !(w << 1) & HI
}

/// Writes the normal form of `text` to the start of `buf` (each instance segment standing
/// as [`MARK`]) and gives its length and hash; `buf` needs eight bytes more than `text`
/// (it is written eight bytes at a time; past the normal form it holds leftovers).
///
/// Each word read is scanned for the dots and for the segments that start (after a dot,
/// or at the start) with a possible instance start at the same time (in the quick form,
/// only a word with a byte of bit 6 clear after another one or after a dot of the word
/// before can have one, and only such a word is scanned for its dots); the text up to
/// such a segment is copied as it was read. `None` when `text` cannot be a path of the index:
/// an empty segment, an instance first, an invalid instance segment, a segment starting
/// with other ASCII punctuation (or `buf` too short). Keys are normalised by the same
/// function (their `{i}` is an instance segment).
///
/// The hash is that of the normal form mixed eight bytes at a time from the start of each
/// run of text between instance segments: a run's last word ends with the mark that
/// follows it, and the text's last word is mixed as read ([`FILL`]s past the end). So it
/// is a function of the normal form alone for every text that can match a key (one whose
/// `MARK`s all stand for instance segments).
///
/// With `BRACKETS` false, a segment starting with `[` or `{` is not looked at: it is
/// copied like a name, and as no key has those bytes the normal form then finds no key
/// (see [`Index::slot`]). Else (the keys, and a text that has them) every instance start
/// is found. Either way a `None` is right for both: the quick form checks a subset of the
/// segments the full one checks, the same way and in the same order.
#[inline(always)]
fn normalise<const BRACKETS: bool>(text: &[u8], buf: &mut [u8]) -> Option<(usize, u64)> {
    normalise_resumable::<BRACKETS>(text, buf).map(|(n, hash, _)| (n, hash))
}

/// Where [`normalise`] was before it mixed the last word of a normal form: the hash so far
/// and where that word starts in the normal form. Both are functions of the normal form
/// alone, like the hash. A text that continues the normal form with bytes that start no
/// instance segment is normalised from there ([`Index::normal_after`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resume {
    hash: u64,
    at: usize,
}

/// [`normalise`], with where it was before the last word ([`Resume`]; `None` when the
/// normal form ends with an instance segment).
#[inline(always)]
fn normalise_resumable<const BRACKETS: bool>(
    text: &[u8],
    buf: &mut [u8],
) -> Option<(usize, u64, Option<Resume>)> {
    let len = text.len();
    if len == 0 {
        return None;
    }
    let mut h = 0u64;
    let mut pos = 0usize;
    let mut out = 0usize;
    // a dot before the top byte of the word before: at first, before the first byte, so
    // that a first segment that is not a name is found like any other
    let mut carry = 0x80u64;
    loop {
        let w = match text.get(pos..pos + 8).and_then(|c| c.first_chunk::<8>()) {
            Some(c) => u64::from_le_bytes(*c),
            None => tail_word(text, pos),
        };
        let (dots, starts) = if BRACKETS {
            let dots = eq_mask(w, b'.');
            (dots, ((dots << 8) | carry) & instance_start_mask(w))
        } else {
            // a start is a low byte after a dot, and a dot is a low byte: most words have
            // no low byte after a low byte, and so no start (their dots are not needed)
            let low = low_mask(w);
            if low & ((low << 8) | carry) == 0 {
                (0, 0)
            } else {
                let dots = eq_mask(w, b'.');
                (dots, ((dots << 8) | carry) & low)
            }
        };
        buf.get_mut(out..out + 8)?.copy_from_slice(&w.to_le_bytes());
        if starts == 0 {
            if pos + 8 < len {
                h = mix(h, w);
                out += 8;
                pos += 8;
                carry = if w >> 56 == u64::from(b'.') { 0x80 } else { 0 };
                continue;
            }
            // the last word as read: past the text it holds `FILL`s, the same for every text
            // of the same normal form (whose length the slot compares)
            let resume = Resume { hash: h, at: out };
            return Some((out + (len - pos), finish(mix(h, w)), Some(resume)));
        }
        let k = first_marked(starts);
        let at = pos + k;
        if at == 0 {
            return None; // the first segment is not a name
        }
        let b = (w >> (k * 8)) as u8;
        // a one-digit instance number with its dot in this same word (the most common
        // instance segment), else any other, checked in full
        let end = if matches!(b, b'1'..=b'9') && k < 7 && (dots >> (k * 8 + 8)) & 0x80 != 0 {
            at + 1
        } else {
            if !is_instance_start(b) {
                return None; // an empty segment, or a name starting with punctuation
            }
            // the dot ending the instance, most often in this same word
            let later = if k < 7 {
                dots & (!0u64 << ((k + 1) * 8))
            } else {
                0
            };
            let end = if later != 0 {
                pos + first_marked(later)
            } else {
                next_dot(text, at).unwrap_or(len)
            };
            let one_digit = end == at + 1 && matches!(b, b'1'..=b'9');
            if !one_digit && !is_valid_instance(text.get(at..end)?) {
                return None;
            }
            end
        };
        // the run up to the instance, then the mark: the normal form's bytes
        let part = low_bytes(w, k) | (u64::from(MARK) << (k * 8));
        h = mix(h, part);
        buf.get_mut(out..out + 8)?
            .copy_from_slice(&part.to_le_bytes());
        out += k + 1;
        if end >= len {
            return Some((out, finish(h), None));
        }
        pos = end;
        carry = 0;
    }
}

/// Whether `text` has a `[` or a `{`, eight bytes at a time.
#[inline(never)]
fn has_bracket(text: &[u8]) -> bool {
    let mut words = text.chunks_exact(8);
    for c in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        // `[` (0x5b) and `{` (0x7b) differ only in bit 5
        if eq_mask(u64::from_le_bytes(w) & (ONES * 0xdf), b'[') != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b == b'[' || b == b'{')
}

/// One slot of the table: the top 16 bits of the key's hash and the length of its normal
/// form (see [`check`]), where the key is in the key text, the node index and the node
/// itself; `check == 0` is an empty slot (no key is empty).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    check: u32,
    key_at: u32,
    node: u32,
    /// The [`Node`]: its index, with the top bit set for a parameter.
    def: u32,
}

/// The [`Slot::check`] of a normal form of `len` bytes and hash `hash`: both are compared
/// at once. `None` past `u16::MAX` bytes (no key is that long).
#[inline]
fn check(hash: u64, len: usize) -> Option<u32> {
    let len = u16::try_from(len).ok()?;
    Some(((hash >> 48) as u32) << 16 | u32::from(len))
}

const PARAMETER: u32 = 1 << 31;

fn encode(n: Node) -> Option<u32> {
    match n {
        Node::Object(i) => (i < PARAMETER).then_some(i),
        Node::Parameter(i) => (i < PARAMETER).then_some(i | PARAMETER),
    }
}

#[inline]
fn decode(d: u32) -> Node {
    if d & PARAMETER == 0 {
        Node::Object(d)
    } else {
        Node::Parameter(d & !PARAMETER)
    }
}

/// Definition keys to node indices.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    /// A power of two, at least twice the keys.
    slots: Vec<Slot>,
    /// The number of slots less one (zero when there are none).
    mask: usize,
    /// The number of keys.
    len: usize,
    /// Every key, one after the other.
    keys: Vec<u8>,
}

/// Runs `f` with the normal form of `key` and its hash (see [`normalise`]), normalised in a
/// stack buffer no larger than needed; `None` when `key` cannot be a path of the index.
#[inline]
fn with_normal<T>(key: &[u8], f: impl FnOnce(&[u8], u64) -> Option<T>) -> Option<T> {
    if key.len() <= SHORT {
        let mut buf = [0u8; SHORT + 8];
        let (n, hash) = normalise::<true>(key, &mut buf)?;
        return f(buf.get(..n)?, hash);
    }
    if key.len() > LONGEST {
        return None;
    }
    let mut buf = [0u8; LONGEST + 8];
    let (n, hash) = normalise::<true>(key, &mut buf)?;
    f(buf.get(..n)?, hash)
}

impl Index {
    /// An index of `defs` (node index `i` is `defs[i]`), plus, for every table path
    /// `X.{i}.` whose `X.` is not itself a definition, the key `X.` for the table.
    #[cfg(test)]
    pub(crate) fn new<'p>(defs: impl ExactSizeIterator<Item = (&'p Path, Node)> + Clone) -> Index {
        let mut ix = Index::with_capacity(defs.len() * 2, 0);
        for (i, (p, n)) in defs.clone().enumerate() {
            ix.add(p.as_str().as_bytes(), i, n);
        }
        ix.add_tables(defs);
        ix
    }

    /// An empty index with room for `keys` keys (it grows past them) of `bytes` bytes in all.
    pub(crate) fn with_capacity(keys: usize, bytes: usize) -> Index {
        // the slots stay at most half full
        let n = (keys.saturating_mul(2)).next_power_of_two().max(16);
        Index {
            slots: vec![Slot::default(); n],
            mask: n - 1,
            len: 0,
            keys: Vec::with_capacity(bytes),
        }
    }

    /// Adds, for every table path `X.{i}.` of `defs` (node index `i` is `defs[i]`) whose
    /// `X.` has no key yet, the key `X.` for the table.
    pub(crate) fn add_tables<'p>(&mut self, defs: impl Iterator<Item = (&'p Path, Node)>) {
        for (i, (p, n)) in defs.enumerate() {
            if let Some(table) = p.as_str().strip_suffix("{i}.") {
                self.add(table.as_bytes(), i, n);
            }
        }
    }

    /// Adds `key` for node index `node` (node `def`) unless it is there already.
    pub(crate) fn add(&mut self, key: &[u8], node: usize, def: Node) {
        with_normal(key, |norm, hash| {
            if self.probe(hash, norm).is_none() {
                self.add_new(hash, norm, node, def);
            }
            Some(())
        });
    }

    /// Writes the normal form of `key` to the start of `buf` (which must have
    /// [`Index::NORMAL_BUF`] bytes) and gives its length and hash, for
    /// [`Index::find_normal`] and [`Index::add_normal`]; `None` when `key` cannot be a path of
    /// the index.
    pub(crate) fn normal(key: &[u8], buf: &mut [u8]) -> Option<(usize, u64)> {
        if key.len() > LONGEST {
            return None;
        }
        normalise::<true>(key, buf)
    }

    /// [`Index::normal`], with where it was before the last word (see [`Resume`]).
    pub(crate) fn normal_resumable(
        key: &[u8],
        buf: &mut [u8],
    ) -> Option<(usize, u64, Option<Resume>)> {
        if key.len() > LONGEST {
            return None;
        }
        normalise_resumable::<true>(key, buf)
    }

    /// The normal form of a key whose normal form is `norm` (which [`Index::normal`] gave
    /// with `resume`) followed by `tail`, written to the start of `buf` like
    /// [`Index::normal`] does, with its length and hash, and where it was before its last
    /// word. The caller makes sure that `tail` starts no instance segment (it starts with a
    /// letter or `_`, and a `.` in it is its last byte), and gives the length of the whole
    /// key, `key_len`: then this is what
    /// [`Index::normal_resumable`] gives for the whole key, reading only the words from
    /// `resume`.
    pub(crate) fn normal_after(
        norm: &[u8],
        resume: Resume,
        tail: &[u8],
        key_len: usize,
        buf: &mut [u8],
    ) -> Option<(usize, u64, Option<Resume>)> {
        if key_len > LONGEST {
            return None;
        }
        let n = norm.len() + tail.len();
        buf.get_mut(..norm.len())?.copy_from_slice(norm);
        buf.get_mut(norm.len()..n)?.copy_from_slice(tail);
        let mut h = resume.hash;
        let mut at = resume.at;
        loop {
            // the last word as `normalise` reads it: whole if there are eight bytes left,
            // else `FILL`s past the end
            let (w, last) = match buf.get(at..n)?.first_chunk::<8>() {
                Some(c) => (u64::from_le_bytes(*c), at + 8 >= n),
                None => (tail_word(buf.get(..n)?, at), true),
            };
            if last {
                let resume = Resume { hash: h, at };
                return Some((n, finish(mix(h, w)), Some(resume)));
            }
            h = mix(h, w);
            at += 8;
        }
    }

    /// The room [`Index::normal`] needs.
    pub(crate) const NORMAL_BUF: usize = LONGEST + 8;

    /// The node index of the key whose normal form is `norm` (hash `hash`).
    pub(crate) fn find_normal(&self, norm: &[u8], hash: u64) -> Option<u32> {
        self.probe(hash, norm).map(|s| s.node)
    }

    /// Adds the normal form `norm` (hash `hash`, from [`Index::normal`]), which
    /// [`Index::find_normal`] does not find, for node index `node` (node `def`).
    pub(crate) fn add_normal(&mut self, norm: &[u8], hash: u64, node: usize, def: Node) {
        self.add_new(hash, norm, node, def);
    }

    /// Makes the key of the same normal form as `key` stand for node `def` (its node index
    /// unchanged): a definition replaced by another of the same path.
    pub(crate) fn replace(&mut self, key: &[u8], def: Node) {
        let Some(def) = encode(def) else {
            return;
        };
        if let Some(at) = with_normal(key, |norm, hash| self.probe_at(hash, norm)) {
            if let Some(s) = self.slots.get_mut(at) {
                s.def = def;
            }
        }
    }

    /// Adds the normal form `norm` (hash `hash`), not in the index yet.
    fn add_new(&mut self, hash: u64, norm: &[u8], node: usize, def: Node) {
        let (Ok(key_at), Some(check), Ok(node), Some(def)) = (
            u32::try_from(self.keys.len()),
            check(hash, norm.len()),
            u32::try_from(node),
            encode(def),
        ) else {
            return;
        };
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let slot = Slot {
            check,
            key_at,
            node,
            def,
        };
        if self.place(hash, slot) {
            self.keys.extend_from_slice(norm);
            self.len += 1;
        }
    }

    /// Puts `slot` (of a key whose hash is `hash`) in the first free slot from its place.
    fn place(&mut self, hash: u64, slot: Slot) -> bool {
        let mask = self.mask;
        let mut at = hash as usize & mask;
        // at most half the slots are taken: a free one exists
        for _ in 0..self.slots.len() {
            let Some(s) = self.slots.get_mut(at) else {
                return false;
            };
            if s.check == 0 {
                *s = slot;
                return true;
            }
            at = (at + 1) & mask;
        }
        false
    }

    /// Doubles the slots (at least 16), placing every key again.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); n]);
        self.mask = n - 1;
        let keys = std::mem::take(&mut self.keys);
        for s in old.into_iter().filter(|s| s.check != 0) {
            let from = s.key_at as usize;
            let len = (s.check & 0xffff) as usize;
            // a normal form is its own normal form, with the same hash
            let hash = keys
                .get(from..from + len)
                .and_then(|norm| with_normal(norm, |_, hash| Some(hash)));
            if let Some(hash) = hash {
                self.place(hash, s);
            }
        }
        self.keys = keys;
    }

    /// The position of the slot of the normal form `norm`, whose hash is `hash`.
    #[inline]
    fn probe_at(&self, hash: u64, norm: &[u8]) -> Option<usize> {
        let mask = self.mask;
        let want = check(hash, norm.len())?;
        let mut at = hash as usize & mask;
        loop {
            let s = self.slots.get(at)?;
            if s.check == want {
                let from = s.key_at as usize;
                if self.keys.get(from..from + norm.len()) == Some(norm) {
                    return Some(at);
                }
            } else if s.check == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// The slot of the normal form `norm`, whose hash is `hash`.
    #[inline]
    fn probe(&self, hash: u64, norm: &[u8]) -> Option<&Slot> {
        self.probe_at(hash, norm).and_then(|at| self.slots.get(at))
    }

    /// The slot of `text`, normalised on the stack. Most texts have no `[` or `{`: they
    /// are normalised without looking for those, and only a text that has them and is not
    /// found so is normalised again looking for them.
    #[inline]
    fn slot(&self, text: &[u8]) -> Option<&Slot> {
        if text.len() > SHORT {
            return self.slot_full(text);
        }
        let mut buf = [0u8; SHORT + 8];
        let (n, hash) = normalise::<false>(text, &mut buf)?;
        if let Some(s) = self.probe(hash, buf.get(..n)?) {
            return Some(s);
        }
        if !has_bracket(text) {
            return None;
        }
        self.slot_full(text)
    }

    /// [`Index::slot`] looking for every instance start, `[` and `{` included: for a text
    /// longer than [`SHORT`], or with `[` or `{`.
    #[inline(never)]
    fn slot_full(&self, text: &[u8]) -> Option<&Slot> {
        if text.len() <= SHORT {
            let mut buf = [0u8; SHORT + 8];
            let (n, hash) = normalise::<true>(text, &mut buf)?;
            return self.probe(hash, buf.get(..n)?);
        }
        if text.len() > LONGEST {
            return None; // longer than any valid path: no key has such a normal form
        }
        let mut buf = [0u8; LONGEST + 8];
        let (n, hash) = normalise::<true>(text, &mut buf)?;
        self.probe(hash, buf.get(..n)?)
    }

    /// The node index of the definition of `text` (an instance path, partial path or
    /// definition path); `None` for an unknown or invalid path.
    #[inline]
    pub(crate) fn find(&self, text: &[u8]) -> Option<u32> {
        self.slot(text).map(|s| s.node)
    }

    /// [`Index::find`] for a text that is likely to have `{i}` or `[alias]` segments (a
    /// definition path): normalised once, looking for every instance start.
    pub(crate) fn find_definition(&self, text: &[u8]) -> Option<u32> {
        self.slot_full(text).map(|s| s.node)
    }

    /// The definition of `text`, like [`Index::find`].
    #[inline]
    pub(crate) fn find_node(&self, text: &[u8]) -> Option<Node> {
        self.slot(text).map(|s| decode(s.def))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_forms_find_the_definition() {
        let paths: Vec<Path> = [
            "Device.",
            "Device.IP.Interface.{i}.",
            "Device.IP.Interface.{i}.Name",
            "Device.IP.Interface.{i}.Addr.{i}.",
        ]
        .iter()
        .map(|p| Path::parse(p).unwrap())
        .collect();
        let ix = Index::new(
            paths
                .iter()
                .enumerate()
                .map(|(i, p)| (p, Node::Object(i as u32))),
        );
        for (text, node) in [
            ("Device.", Some(0)),
            ("Device.IP.Interface.", Some(1)),
            ("Device.IP.Interface.7.", Some(1)),
            ("Device.IP.Interface.[a].Name", Some(2)),
            ("Device.IP.Interface.*.Name", Some(2)),
            ("Device.IP.Interface.{i}.Name", Some(2)),
            ("Device.IP.Interface.1.Addr.", Some(3)),
            ("Device.IP.Interface.1.Addr.2.", Some(3)),
            ("Device.IP.Interface.12345678.Addr.", Some(3)),
            ("Device.IP.Interface.4294967295.Addr.[x].", Some(3)),
            ("Device.IP.Interface.4294967296.Addr.", None),
            ("Device.IP.Interface.99999999.Addr.", Some(3)),
            ("Device.IP.Interface.123456789.Addr.", Some(3)),
            ("Device.IP.Interface.1.Addr.98765432.", Some(3)),
            ("Device.IP.Interface.1.Addr.42.", Some(3)),
            ("Device.IP.Interface.07.Addr.", None),
            ("Device.IP.Interface.1a.Addr.", None),
            ("Device.IP.Interface.12a4.Addr.", None),
            ("Device.IP.Interface.1234567a.Addr.", None),
            ("Device.IP.Interface.1:.Addr.", None),
            ("Device.IP.Interface.1/.Addr.", None),
            ("Device.IP.Interface.1.Addr.4a.", None),
            ("Device.IP.Interface.12", None),
            ("Device.IP.Interface.1.Addr.2", None),
            ("Device.IP.Interface.1.Addr.-2.", None),
            ("Device.IP.Interface.1.Addr.{j}.", None),
            ("Device.IP.Interface.1.Addr.2.3.", None),
            ("Device.IP.Interface.1..Addr.", None),
            ("Device.IP.Interface", None),
            ("Device.IP.Interface..", None),
            ("Device.IP.Interfac.", None),
            ("Device.IP.Interface.1.Nam", None),
            ("Device.IP.Interface.1.Namex", None),
            ("Device.IP.Interface.0.Name", None),
            ("Device.IP.Interface.Name.Name", None),
            ("Device.IP.Interface.1.Name.", None),
            ("Device", None),
            ("Device..", None),
            ("", None),
            (".", None),
        ] {
            assert_eq!(ix.find(text.as_bytes()), node, "{text}");
            assert_eq!(ix.find_definition(text.as_bytes()), node, "{text}");
        }
    }

    fn index_of(paths: &[&str]) -> (Vec<Path>, Index) {
        let paths: Vec<Path> = paths.iter().map(|p| Path::parse(p).unwrap()).collect();
        let ix = Index::new(
            paths
                .iter()
                .enumerate()
                .map(|(i, p)| (p, Node::Object(i as u32))),
        );
        (paths, ix)
    }

    fn normal(text: &str) -> Option<String> {
        let mut buf = [0u8; LONGEST + 8];
        let (n, _) = normalise::<true>(text.as_bytes(), &mut buf)?;
        Some(String::from_utf8(buf.get(..n)?.to_vec()).unwrap())
    }

    /// Only whole instance segments become the mark: digits inside or at the end of a name
    /// stay, and a number with a leading zero, `0` or a name starting with a digit is no
    /// instance (no normal form).
    #[test]
    fn normal_forms() {
        for (text, form) in [
            (
                "Device.IP.Interface.{i}.IPv4Address.{i}.",
                Some("Device.IP.Interface.*.IPv4Address.*."),
            ),
            (
                "Device.IP.Interface.3.IPv4Address.12.IPAddress",
                Some("Device.IP.Interface.*.IPv4Address.*.IPAddress"),
            ),
            (
                "Device.X_ACME_1Foo.2.X_ACME_3",
                Some("Device.X_ACME_1Foo.*.X_ACME_3"),
            ),
            (
                "Device.IP.Interface.[wan].*.{i}",
                Some("Device.IP.Interface.*.*.*"),
            ),
            ("Device.IP.Interface.01.", None),
            ("Device.IP.Interface.0.", None),
            ("Device.IP.Interface.1Foo.", None),
            ("Device.IP.Interface.-1.", None),
            ("Device.IP.Interface.@a.", None),
            ("Device.IP.Interface.{j}.", None),
            ("Device.IP.Interface.[].", None),
            ("Device..IP", None),
            ("1.IP", None),
            ("*.IP", None),
            ("[a].IP", None),
            ("{i}.IP", None),
            (".IP", None),
            ("", None),
        ] {
            assert_eq!(normal(text).as_deref(), form, "{text}");
        }
    }

    /// Names with digits are compared as they are; an instance number with a leading zero,
    /// and a name that starts with `[`, `{` or other punctuation, finds nothing.
    #[test]
    fn names_with_digits_and_odd_instances() {
        let (_, ix) = index_of(&[
            "Device.X_ACME_1Foo.{i}.IPv4Address",
            "Device.X_ACME_1Foo.{i}.IPv6Address.{i}.",
            "Device.A1.B2.C3",
        ]);
        for (text, node) in [
            ("Device.X_ACME_1Foo.1.IPv4Address", Some(0)),
            ("Device.X_ACME_1Foo.[a1].IPv4Address", Some(0)),
            ("Device.X_ACME_1Foo.{i}.IPv4Address", Some(0)),
            ("Device.X_ACME_1Foo.", None),
            ("Device.X_ACME_1Foo.7.", None),
            ("Device.X_ACME_1Foo.7.IPv6Address.", Some(1)),
            ("Device.X_ACME_1Foo.7.IPv6Address.[x].", Some(1)),
            ("Device.X_ACME_1Foo.*.IPv6Address.{i}.", Some(1)),
            ("Device.A1.B2.C3", Some(2)),
            ("Device.X_ACME_1Foo.01.IPv4Address", None),
            ("Device.X_ACME_1Foo.0.IPv4Address", None),
            ("Device.X_ACME_1Foo.1.IPv4Addres", None),
            ("Device.X_ACME_1Foo.1.IPv4Address.", None),
            ("Device.X_ACME_2Foo.1.IPv4Address", None),
            ("Device.X_ACME_*Foo.1.IPv4Address", None),
            ("Device.X_ACME_1Foo.*.IPv4Address*", None),
            ("Device.X_ACME_1Foo.[a.IPv4Address", None),
            ("Device.X_ACME_1Foo.[a]b.IPv4Address", None),
            ("Device.X_ACME_1Foo.{i.IPv4Address", None),
            ("Device.X_ACME_1Foo.1.[IPv4Address]", None),
            ("Device.X_ACME_1Foo.1.{IPv4Address", None),
            ("Device.X_ACME_1Foo.1.@IPv4Address", None),
            ("Device.X_ACME_1Foo.1.-IPv4Address", None),
            ("Device.A1.B2.3", None),
            ("Device.A1.2.C3", None),
            ("[Device].A1.B2.C3", None),
            ("{Device}.A1.B2.C3", None),
        ] {
            assert_eq!(ix.find(text.as_bytes()), node, "{text}");
            assert_eq!(ix.find_definition(text.as_bytes()), node, "{text}");
        }
    }

    /// Texts longer than the stack buffer of the quick path, and longer than any path, find
    /// what the short ones find, or nothing.
    #[test]
    fn long_texts() {
        let long_name = format!("Device.{}.{{i}}.Name", "N".repeat(SHORT));
        let (_, ix) = index_of(&[&long_name, "Device.T.{i}.Name"]);
        let inst = long_name.replace("{i}", "[some-alias]");
        assert_eq!(ix.find(long_name.as_bytes()), Some(0));
        assert_eq!(ix.find(inst.as_bytes()), Some(0));
        assert_eq!(ix.find(long_name.replace("{i}", "42").as_bytes()), Some(0));
        assert_eq!(ix.find(long_name.replace("{i}", "042").as_bytes()), None);
        for n in SHORT - 12..SHORT + 12 {
            // an alias this long is too long, but as a text it is only compared
            let alias = format!("Device.T.[{}].Name", "a".repeat(n.saturating_sub(17)));
            let found = (n.saturating_sub(17) <= crate::path::MAX_ALIAS_LEN).then_some(1);
            assert_eq!(ix.find(alias.as_bytes()), found, "{alias}");
        }
        let huge = format!("Device.T.{}.Name", "1".repeat(LONGEST));
        assert_eq!(ix.find(huge.as_bytes()), None);
    }

    /// The index's answer for a text is that of parsing it, taking its definition form and
    /// searching the keys one by one (the table also under its path without `{i}.`).
    fn oracle(paths: &[Path], text: &str) -> Option<u32> {
        let p = crate::PathRef::parse(text).ok()?;
        let key = p.definition_key();
        let k = key.as_str();
        let at = paths.iter().position(|d| d.as_str() == k).or_else(|| {
            paths
                .iter()
                .position(|d| d.as_str().strip_suffix("{i}.") == Some(k))
        })?;
        u32::try_from(at).ok()
    }

    const KEYS: &[&str] = &[
        "Device.",
        "Device.IP.Interface.{i}.",
        "Device.IP.Interface.{i}.Name",
        "Device.IP.Interface.{i}.IPv4Address.{i}.",
        "Device.IP.Interface.{i}.IPv4Address.{i}.N-1",
        "Device.X_ACME_1Foo.{i}.Ab9.{i}.{i}.\u{e9}t\u{e9}",
        "Device.X_ACME_1Foo.{i}.Ab9.",
        "IP.{i}.",
    ];

    /// Segments for the texts: names of the keys and others, valid and invalid instances.
    const SEGMENTS: &[&str] = &[
        "Device",
        "IP",
        "Interface",
        "IPv4Address",
        "X_ACME_1Foo",
        "Name",
        "N-1",
        "Ab9",
        "\u{e9}t\u{e9}",
        "1",
        "7",
        "42",
        "01",
        "0",
        "4294967295",
        "4294967296",
        "12345678901",
        "[a]",
        "[a",
        "[]",
        "[a.b]",
        "{i}",
        "{j}",
        "{",
        "*",
        "**",
        "@x",
        "-x",
        "x*",
        "",
        "]",
        "}",
    ];

    proptest::proptest! {
        /// Texts made of segments, and texts made from a key by replacing some segments.
        #[test]
        fn finds_what_parsing_finds(
            segs in proptest::collection::vec(proptest::sample::select(SEGMENTS), 1..9),
            key in proptest::sample::select(KEYS),
            swaps in proptest::collection::vec(
                (0usize..8, proptest::sample::select(SEGMENTS)), 0..3),
            last_dot in proptest::bool::ANY,
        ) {
            let paths: Vec<Path> = KEYS.iter().map(|p| Path::parse(p).unwrap()).collect();
            let (_, ix) = index_of(KEYS);
            let mut text = segs.join(".");
            if last_dot {
                text.push('.');
            }
            let mut from_key: Vec<&str> = key.split('.').collect();
            for (at, seg) in swaps {
                if let Some(s) = from_key.get_mut(at) {
                    *s = seg;
                }
            }
            for text in [text, from_key.join(".")] {
                let want = oracle(&paths, &text);
                proptest::prop_assert_eq!(ix.find(text.as_bytes()), want, "{}", text);
                proptest::prop_assert_eq!(ix.find_definition(text.as_bytes()), want, "{}", text);
            }
        }
    }

    proptest::proptest! {
        /// Normalising a key whose normal form continues another's from where that one's
        /// was before its last word gives what normalising it from its start gives.
        #[test]
        fn resumed_normal_forms_are_normal_forms(
            segs in proptest::collection::vec(proptest::sample::select(SEGMENTS), 1..9),
            pad in 0usize..17,
            tail in "[A-Za-z_][A-Za-z0-9_{}*\\[\\]-]{0,20}\\.?",
        ) {
            let base = format!("{}{}.", "P".repeat(pad), segs.join("."));
            let mut buf = vec![0; Index::NORMAL_BUF];
            if let Some((n, _, Some(resume))) = Index::normal_resumable(base.as_bytes(), &mut buf)
            {
                let norm = buf[..n].to_vec();
                let key = format!("{base}{tail}");
                let resumed =
                    Index::normal_after(&norm, resume, tail.as_bytes(), key.len(), &mut buf)
                        .map(|(n, h, r)| (buf[..n].to_vec(), h, r));
                let mut whole = vec![0; Index::NORMAL_BUF];
                let want = Index::normal_resumable(key.as_bytes(), &mut whole)
                    .map(|(n, h, r)| (whole[..n].to_vec(), h, r));
                proptest::prop_assert_eq!(resumed, want, "{}", key);
            }
        }
    }

    /// Instance segments and names ending in digits at every offset in a word (a dot at
    /// the end of one word and the instance at the start of the next included).
    #[test]
    fn every_offset() {
        for pad in 1..20 {
            let x = "X".repeat(pad);
            let key = format!("Device.{x}.{{i}}.N4.{{i}}.IPv6.{{i}}.Name9");
            let (_, ix) = index_of(&[&key, &format!("Device.{x}.{{i}}.N4.{{i}}.")]);
            for (inst, found, table_found) in [
                (["1", "2", "3"], Some(0), Some(1)),
                (["42", "7", "[a]"], Some(0), Some(1)),
                (["*", "{i}", "4294967295"], Some(0), Some(1)),
                (["1", "02", "3"], None, None),
                (["0", "2", "3"], None, None),
                (["1", "2", "0"], None, Some(1)),
                (["1", "2", "-3"], None, Some(1)),
                (["1", "2", "3a"], None, Some(1)),
            ] {
                let [a, b, c] = inst;
                let text = format!("Device.{x}.{a}.N4.{b}.IPv6.{c}.Name9");
                assert_eq!(ix.find(text.as_bytes()), found, "{text}");
                assert_eq!(ix.find_definition(text.as_bytes()), found, "{text}");
                let table = format!("Device.{x}.{a}.N4.{b}.");
                assert_eq!(ix.find(table.as_bytes()), table_found, "{table}");
            }
            let text = format!("Device.{x}.1.N4.2.IPv6.3.Name");
            assert_eq!(ix.find(text.as_bytes()), None, "{text}");
            let text = format!("Device.{x}.1.N4.2.IPv6.3..Name9");
            assert_eq!(ix.find(text.as_bytes()), None, "{text}");
        }
    }

    /// Deep paths (many instance segments) and every length around a word boundary.
    #[test]
    fn deep_and_odd_length_paths() {
        let deep = "A.{i}.B.{i}.C.{i}.D.{i}.E.{i}.F.{i}.G.{i}.H.{i}.Name";
        let mut paths = vec![Path::parse(deep).unwrap()];
        let mut names = Vec::new();
        for n in 1..40 {
            let name = format!("Dev.{}.{}", "X".repeat(n), "y".repeat(41 - n));
            paths.push(Path::parse(&name).unwrap());
            names.push(name);
        }
        let ix = Index::new(paths.iter().map(|p| (p, Node::Parameter(7))));
        assert_eq!(ix.find_node(deep.as_bytes()), Some(Node::Parameter(7)));
        assert_eq!(ix.find(b"A.1.B.2.C.3.D.4.E.5.F.6.G.7.H.[z].Name"), Some(0));
        assert_eq!(ix.find(b"A.1.B.2.C.3.D.4.E.5.F.6.G.7.H.8.Nam"), None);
        assert_eq!(ix.find(b"A.1.B.2.C.3.D.4.E.5.F.6.G.7.Hx.8.Name"), None);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(ix.find(name.as_bytes()), Some(i as u32 + 1), "{name}");
            let shorter = name.get(..name.len() - 1).unwrap();
            assert_eq!(ix.find(shorter.as_bytes()), None, "{shorter}");
        }
    }
}
