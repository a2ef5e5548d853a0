//! The definition index of a [`Schema`](crate::Schema): an instance path is looked up
//! without rewriting it first. Its hash is that of its definition form (an instance number,
//! `[alias]`, `*` or `{i}` segment stands for `{i}`), computed in one pass: the runs of text
//! between instance segments are mixed eight bytes at a time, each instance segment as one
//! constant; no copy, no allocation.
//!
//! Open addressing with linear probing over a power-of-two slot array. A slot keeps the high
//! half of its key's hash (most probes of another key are rejected without reading its
//! text), the node index, and where its key is in one shared text of every key (the
//! definition path, or for a table also the path without the trailing `{i}.`), which a
//! match is compared with run by run.

use crate::path::Path;
use crate::types::Node;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// The stand-in mixed for an instance segment (any number, `[alias]`, `*` or `{i}`).
const INSTANCE: u64 = 0x7b69_7d00_0000_0003;

/// At most this many instance segments are remembered for the comparison of a match; a
/// text with more is compared by scanning the key (see [`key_matches_scan`]).
const MAX_SPANS: usize = 6;

#[inline]
fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(K)
}

#[inline]
fn finish(h: u64) -> u64 {
    h ^ (h >> 29) ^ (h >> 47)
}

/// The eight bytes of `b` at `at` (little endian), if there are eight.
#[inline]
fn word_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..)?
        .first_chunk::<8>()
        .map(|w| u64::from_le_bytes(*w))
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

/// The instance segments of a looked-up text: how many, and the byte ranges of the first
/// [`MAX_SPANS`].
#[derive(Debug, Clone, Copy, Default)]
struct Spans {
    n: usize,
    at: [(u32, u32); MAX_SPANS],
}

/// The position of the first `.` at or after `from`, eight bytes at a time.
#[inline]
fn next_dot(bytes: &[u8], mut from: usize) -> Option<usize> {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HI: u64 = 0x8080_8080_8080_8080;
    const DOTS: u64 = 0x2e2e_2e2e_2e2e_2e2e;
    loop {
        let rest = bytes.get(from..)?;
        let word = match rest.first_chunk::<8>() {
            Some(w) => u64::from_le_bytes(*w),
            None => {
                return rest.iter().position(|&b| b == b'.').map(|p| from + p);
            }
        };
        // a byte of `x` is zero exactly where `word` has a dot
        let x = word ^ DOTS;
        let dots = !(((x & LO7) + LO7) | x) & HI;
        if dots != 0 {
            return Some(from + (dots.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
}

const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HI: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `w` that equals `c`.
#[inline]
fn eq_mask(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    !(((x & LO7) + LO7) | x) & HI
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

/// The eight bytes of `b` from `at` (little endian), zero past the end.
#[inline]
fn padded_word(b: &[u8], at: usize) -> u64 {
    if let Some(w) = word_at(b, at) {
        return w;
    }
    let left = b.len().saturating_sub(at);
    if let Some(w) = b.len().checked_sub(8).and_then(|s| word_at(b, s)) {
        // the `left` bytes from `at` are the top bytes of the last word
        return if left == 0 { 0 } else { w >> ((8 - left) * 8) };
    }
    let mut w = 0u64;
    for (k, &x) in b.get(at..).unwrap_or(&[]).iter().enumerate() {
        w |= u64::from(x) << (k * 8);
    }
    w
}

/// The bytes of `w` below byte `n` (`n` in `0..8`).
#[inline]
fn low_bytes(w: u64, n: usize) -> u64 {
    w & ((1u64 << (n * 8)) - 1)
}

/// The hash of the definition form of `text` (each instance segment standing for `{i}`),
/// computed in one pass without rewriting it.
///
/// The runs of text between instance segments are mixed eight bytes at a time from the
/// start of the run (a last, partial word masked and marked with its length), each
/// instance segment as one constant; so a key and an instance path of the same definition
/// form hash alike. Each word read is scanned for the segments that start after a dot with
/// a digit, `[`, `*` or `{` at the same time. The instance segments are recorded in
/// `spans` for [`key_matches`]. `None` when `text` cannot be a path of the index: an empty
/// segment, an instance first, an invalid instance segment, a segment starting with other
/// ASCII punctuation. Definition keys hash through the same function (their `{i}` is an
/// instance segment).
#[inline]
fn normal_hash(text: &[u8], spans: &mut Spans) -> Option<u64> {
    if u32::try_from(text.len()).is_err() {
        return None; // no key is that long; spans hold 32-bit offsets
    }
    let &b0 = text.first()?;
    if b0 == b'.' || is_instance_start(b0) {
        return None;
    }
    let len = text.len();
    let mut h = 0u64;
    let mut pos = 0usize;
    let mut carry = 0u64; // a dot in the top byte of the previous word
    loop {
        let w = padded_word(text, pos);
        let left = len - pos; // at least 1
        let dots = eq_mask(w, b'.');
        let mut starts = ((dots << 8) | carry) & instance_start_mask(w);
        if left < 8 {
            starts = low_bytes(starts, left);
        }
        if starts == 0 {
            if left > 8 {
                h = mix(h, w);
                carry = dots >> 56;
                pos += 8;
                continue;
            }
            if left < 8 {
                h = mix(h, low_bytes(w, left) ^ ((left as u64) << 61));
            } else {
                h = mix(h, w);
            }
            return Some(finish(h));
        }
        let k = (starts.trailing_zeros() / 8) as usize;
        let at = pos + k;
        if !is_instance_start(*text.get(at)?) {
            return None; // an empty segment, or a name starting with punctuation
        }
        if k > 0 {
            h = mix(h, low_bytes(w, k) ^ ((k as u64) << 61));
        }
        // the dot ending the instance, most often in this same word
        let later = if k < 7 {
            dots & (!0u64 << ((k + 1) * 8))
        } else {
            0
        };
        let end = if later != 0 {
            pos + (later.trailing_zeros() / 8) as usize
        } else {
            next_dot(text, at).unwrap_or(len)
        };
        let one_digit = end == at + 1 && matches!(text.get(at), Some(b'1'..=b'9'));
        if !one_digit && !is_valid_instance(text.get(at..end)?) {
            return None;
        }
        h = mix(h, INSTANCE);
        if let Some(slot) = spans.at.get_mut(spans.n) {
            *slot = (at as u32, end as u32);
        }
        spans.n += 1;
        if end >= len {
            return Some(finish(h));
        }
        pos = end;
        carry = 0;
    }
}

/// Whether `text`, whose instance segments `normal_hash` recorded in `spans`, has the
/// definition form `key`: the runs between instance segments are compared as slices at
/// offsets known from the spans, and each instance segment must face a `{i}` of the key.
#[inline]
fn key_matches(key: &[u8], text: &[u8], spans: &Spans) -> bool {
    let Some(list) = spans.at.get(..spans.n) else {
        return key_matches_scan(key, text);
    };
    let (mut k, mut t) = (0usize, 0usize);
    for &(from, to) in list {
        let (from, to) = (from as usize, to as usize);
        let len = from.saturating_sub(t);
        let (Some(a), Some(b)) = (key.get(k..k + len), text.get(t..from)) else {
            return false;
        };
        if a != b || key.get(k + len..k + len + 3) != Some(b"{i}".as_slice()) {
            return false;
        }
        k += len + 3;
        t = to;
    }
    match (key.get(k..), text.get(t..)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// [`key_matches`] for a text with more than [`MAX_SPANS`] instance segments: the runs
/// between the key's `{i}`s are found by scanning the key, and each `{i}` takes one
/// (validated) instance segment of the text.
fn key_matches_scan(key: &[u8], text: &[u8]) -> bool {
    let (mut j, mut i) = (0usize, 0usize);
    loop {
        let rest = key.get(j..).unwrap_or(&[]);
        let Some(brace) = rest.iter().position(|&b| b == b'{') else {
            return text.get(i..) == Some(rest);
        };
        let Some(run) = rest.get(..brace) else {
            return false;
        };
        if text.get(i..i + brace) != Some(run) {
            return false;
        }
        i += brace;
        let end = next_dot(text, i).unwrap_or(text.len());
        let seg = text.get(i..end).unwrap_or(&[]);
        if !seg.first().is_some_and(|&b| is_instance_start(b)) {
            return false;
        }
        i = end;
        j += brace + 3;
    }
}

/// One slot of the table: the top 16 bits of the key's hash, where the key is in the key
/// text, the node index and the node itself; `key_len == 0` is an empty slot (no key is
/// empty).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    tag: u16,
    key_len: u16,
    key_at: u32,
    node: u32,
    /// The [`Node`]: its index, with the top bit set for a parameter.
    def: u32,
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
    /// Every key, one after the other.
    keys: Vec<u8>,
}

impl Index {
    /// An index of `defs` (node index `i` is `defs[i]`), plus, for every table path
    /// `X.{i}.` whose `X.` is not itself a definition, the key `X.` for the table.
    pub(crate) fn new<'p>(defs: impl ExactSizeIterator<Item = (&'p Path, Node)> + Clone) -> Index {
        // at most one key per path and one per table: the slots stay at most half full
        let (mut keys, mut bytes) = (defs.len(), 0usize);
        for (p, _) in defs.clone() {
            bytes += p.as_str().len();
            if p.as_str().ends_with("{i}.") {
                keys += 1;
                bytes += p.as_str().len() - 4;
            }
        }
        let mut ix = Index {
            slots: vec![Slot::default(); (keys * 2).next_power_of_two().max(16)],
            keys: Vec::with_capacity(bytes),
        };
        for (i, (p, n)) in defs.clone().enumerate() {
            ix.add(p.as_str().as_bytes(), i, n);
        }
        for (i, (p, n)) in defs.enumerate() {
            if let Some(table) = p.as_str().strip_suffix("{i}.") {
                ix.add(table.as_bytes(), i, n);
            }
        }
        ix
    }

    /// Adds `key` for node index `node` (node `def`) unless it is there already.
    fn add(&mut self, key: &[u8], node: usize, def: Node) {
        let mut spans = Spans::default();
        let Some(hash) = normal_hash(key, &mut spans) else {
            return; // not a path: no text can find it
        };
        if self.probe(hash, key, &spans).is_some() {
            return;
        }
        let (Ok(key_at), Ok(key_len), Ok(node), Some(def)) = (
            u32::try_from(self.keys.len()),
            u16::try_from(key.len()),
            u32::try_from(node),
            encode(def),
        ) else {
            return;
        };
        let mask = self.slots.len().saturating_sub(1);
        let mut at = hash as usize & mask;
        // at most half the slots are taken (see `new`): a free one exists
        for _ in 0..self.slots.len() {
            let Some(s) = self.slots.get_mut(at) else {
                return;
            };
            if s.key_len == 0 {
                *s = Slot {
                    tag: (hash >> 48) as u16,
                    key_len,
                    key_at,
                    node,
                    def,
                };
                self.keys.extend_from_slice(key);
                return;
            }
            at = (at + 1) & mask;
        }
    }

    /// The slot of `text`, whose hash and instance segments `normal_hash` gave.
    #[inline]
    fn probe(&self, hash: u64, text: &[u8], spans: &Spans) -> Option<&Slot> {
        let mask = self.slots.len().saturating_sub(1);
        let tag = (hash >> 48) as u16;
        let mut at = hash as usize & mask;
        loop {
            let s = self.slots.get(at)?;
            if s.key_len == 0 {
                return None;
            }
            if s.tag == tag {
                let from = s.key_at as usize;
                let key = self.keys.get(from..from + s.key_len as usize)?;
                if key_matches(key, text, spans) {
                    return Some(s);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The node index of the definition of `text` (an instance path, partial path or
    /// definition path); `None` for an unknown or invalid path.
    #[inline]
    pub(crate) fn find(&self, text: &[u8]) -> Option<u32> {
        let mut spans = Spans::default();
        let hash = normal_hash(text, &mut spans)?;
        self.probe(hash, text, &spans).map(|s| s.node)
    }

    /// The definition of `text`, like [`Index::find`].
    #[inline]
    pub(crate) fn find_node(&self, text: &[u8]) -> Option<Node> {
        let mut spans = Spans::default();
        let hash = normal_hash(text, &mut spans)?;
        self.probe(hash, text, &spans).map(|s| decode(s.def))
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
        }
    }

    /// Texts with more instance segments than are recorded for the comparison are compared
    /// by scanning the key; every length around a word boundary hashes alike.
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
