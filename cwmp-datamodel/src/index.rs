//! The definition index of a [`Schema`](crate::Schema): definition paths hashed segment by
//! segment, so that an instance path is looked up without rewriting it first (an instance
//! number, `[alias]`, `*` or `{i}` segment hashes and compares as `{i}`): no copy, no
//! allocation, one pass over the text.
//!
//! Open addressing with linear probing over a power-of-two slot array; each entry keeps the
//! full 64-bit hash (most mismatches are rejected without touching the text) and its key
//! (the definition path, or for a table also the path without the trailing `{i}.`).

use crate::path::Path;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// The hash of one segment (its bytes, eight at a time).
#[inline]
fn segment_hash(seg: &[u8]) -> u64 {
    let mut h = seg.len() as u64;
    let mut chunks = seg.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        if let Some(dst) = w.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h
}

#[inline]
fn combine(h: u64, s: u64) -> u64 {
    (h.rotate_left(23) ^ s).wrapping_mul(K)
}

#[inline]
fn finish(h: u64, partial: bool) -> u64 {
    let h = combine(h, u64::from(partial) + 1);
    h ^ (h >> 29) ^ (h >> 47)
}

/// Whether a segment starting with `b` stands for an instance (number, alias or `*`).
#[inline]
fn is_instance_start(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'[' | b'*')
}

/// Whether `seg` is a valid instance number, `[alias]` or `*`; numbers (the common case)
/// are checked here without parsing.
#[inline]
fn is_valid_instance(seg: &[u8]) -> bool {
    match seg {
        [b'1'..=b'9', rest @ ..] if rest.len() < 9 => rest.iter().all(u8::is_ascii_digit),
        [b'1'..=b'9', rest @ ..] if rest.len() == 9 => {
            rest.iter().all(u8::is_ascii_digit) && seg <= b"4294967295".as_slice()
        }
        [b'0'..=b'9', ..] => false,
        _ => std::str::from_utf8(seg).is_ok_and(crate::path::is_valid_instance_segment),
    }
}

/// The hash of a definition key (segments as written).
fn key_hash(key: &str) -> u64 {
    let b = key.as_bytes();
    let partial = b.last() == Some(&b'.');
    let body = if partial {
        b.get(..b.len() - 1).unwrap_or(b)
    } else {
        b
    };
    let mut h = 0u64;
    for seg in body.split(|&c| c == b'.') {
        h = combine(h, segment_hash(seg));
    }
    finish(h, partial)
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
                if rest.is_empty() {
                    return None;
                }
                let mut w = [0u8; 8];
                w.get_mut(..rest.len())?.copy_from_slice(rest);
                u64::from_le_bytes(w) // zero padding is not a dot
            }
        };
        // a byte of `x` is zero exactly where `word` has a dot
        let x = word ^ DOTS;
        let dots = !(((x & LO7) + LO7) | x) & HI;
        if dots != 0 {
            let p = from + (dots.trailing_zeros() / 8) as usize;
            return (p < bytes.len()).then_some(p);
        }
        from += 8;
    }
}

/// The hash of the definition form of `text`, or `None` when it cannot be a path of the
/// index (an empty segment, an instance first, an invalid instance segment).
#[inline]
fn lookup_hash(text: &[u8]) -> Option<u64> {
    let partial = text.last() == Some(&b'.');
    let body = if partial {
        text.get(..text.len() - 1)?
    } else {
        text
    };
    let instance = segment_hash(b"{i}");
    let mut h = 0u64;
    let mut at = 0usize;
    loop {
        let end = next_dot(body, at).unwrap_or(body.len());
        let seg = body.get(at..end)?;
        let &b0 = seg.first()?;
        let s = if is_instance_start(b0) {
            if at == 0 || !is_valid_instance(seg) {
                return None;
            }
            instance
        } else {
            segment_hash(seg)
        };
        h = combine(h, s);
        if end >= body.len() {
            return Some(finish(h, partial));
        }
        at = end + 1;
    }
}

/// Whether `text` (whose instance segments were validated by [`lookup_hash`]) has the
/// definition form `key`: the runs between the key's `{i}`s are compared as slices, and
/// each `{i}` takes one instance segment of the text.
#[inline]
fn key_matches(key: &[u8], text: &[u8]) -> bool {
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
        // the text's segment here must be an instance (validated) or `{i}` itself
        let end = next_dot(text, i).unwrap_or(text.len());
        let seg = text.get(i..end).unwrap_or(&[]);
        if !(seg == b"{i}" || seg.first().is_some_and(|&b| is_instance_start(b))) {
            return false;
        }
        i = end;
        j += brace + 3;
    }
}

#[derive(Debug, Clone)]
struct Entry {
    hash: u64,
    /// The definition path; the key is its first `key_len` bytes.
    path: Path,
    key_len: u32,
    /// The node index.
    node: u32,
}

impl Entry {
    fn key(&self) -> &[u8] {
        let p = self.path.as_str().as_bytes();
        p.get(..self.key_len as usize).unwrap_or(p)
    }
}

/// Definition keys to node indices.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    entries: Vec<Entry>,
    /// Entry number + 1 per slot; 0 is empty. A power of two, at least twice the entries.
    slots: Vec<u32>,
}

impl Index {
    /// An index of `paths` (node `i` has path `paths[i]`), plus, for every table path
    /// `X.{i}.` whose `X.` is not itself a definition, the key `X.` for the table.
    pub(crate) fn new<'p>(paths: impl ExactSizeIterator<Item = &'p Path> + Clone) -> Index {
        let n = paths.len();
        let mut ix = Index {
            entries: Vec::with_capacity(n + n / 8),
            slots: vec![0; ((n + n / 8) * 2).next_power_of_two().max(16)],
        };
        for (i, p) in paths.clone().enumerate() {
            let key = p.as_str();
            if ix.find(key.as_bytes()).is_none() {
                ix.push(key_hash(key), p, key.len(), i);
            }
        }
        for (i, p) in paths.enumerate() {
            if let Some(table) = p.as_str().strip_suffix("{i}.") {
                if ix.find(table.as_bytes()).is_none() {
                    ix.push(key_hash(table), p, table.len(), i);
                }
            }
        }
        ix
    }

    fn push(&mut self, hash: u64, path: &Path, key_len: usize, node: usize) {
        let mask = self.slots.len().saturating_sub(1);
        let e = self.entries.len() as u32 + 1;
        let mut at = hash as usize & mask;
        // the table is at most half full: a free slot exists
        for _ in 0..self.slots.len() {
            match self.slots.get_mut(at) {
                Some(s) if *s == 0 => {
                    *s = e;
                    self.entries.push(Entry {
                        hash,
                        path: path.clone(),
                        key_len: key_len as u32,
                        node: node as u32,
                    });
                    return;
                }
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// The node index of the definition of `text` (an instance path, partial path or
    /// definition path); `None` for an unknown or invalid path.
    #[inline]
    pub(crate) fn find(&self, text: &[u8]) -> Option<u32> {
        let hash = lookup_hash(text)?;
        let mask = self.slots.len().saturating_sub(1);
        let mut at = hash as usize & mask;
        loop {
            let e = *self.slots.get(at)?;
            if e == 0 {
                return None;
            }
            let entry = self.entries.get(e as usize - 1)?;
            if entry.hash == hash && key_matches(entry.key(), text) {
                return Some(entry.node);
            }
            at = (at + 1) & mask;
        }
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
        let ix = Index::new(paths.iter());
        for (text, node) in [
            ("Device.", Some(0)),
            ("Device.IP.Interface.", Some(1)),
            ("Device.IP.Interface.7.", Some(1)),
            ("Device.IP.Interface.[a].Name", Some(2)),
            ("Device.IP.Interface.*.Name", Some(2)),
            ("Device.IP.Interface.{i}.Name", Some(2)),
            ("Device.IP.Interface.1.Addr.", Some(3)),
            ("Device.IP.Interface.1.Addr.2.", Some(3)),
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
}
