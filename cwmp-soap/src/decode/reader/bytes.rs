//! Byte searches and comparisons the scanners share.

#[inline]
pub(super) fn is_xml_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Offset of the first `c` in `b`, eight bytes at a time.
#[inline]
pub(super) fn find_byte(b: &[u8], c: u8) -> Option<usize> {
    find_any(b, [c])
}

/// Offset of the first `<` or `&` in `b`, eight bytes at a time.
#[inline]
pub(super) fn find_lt_amp(b: &[u8]) -> Option<usize> {
    find_any(b, [b'<', b'&'])
}

/// Offset of the first byte of `b` that is one of `set`, eight bytes at a time.
#[inline]
pub(super) fn find_any<const N: usize>(b: &[u8], set: [u8; N]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes of `x` that are zero have their high bit set (exact for the lowest one).
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = b.chunks_exact(8);
    let mut base = 0usize;
    for chunk in &mut chunks {
        let x = word(chunk);
        let hits = set
            .iter()
            .fold(0, |acc, &c| acc | zeros(x ^ (ONES * u64::from(c))));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|c| set.contains(c))
        .map(|i| base + i)
}

/// String equality for short names, inlined instead of a `memcmp` call.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// Byte-string equality, eight bytes at a time, inlined instead of a `memcmp` call.
#[inline]
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    same_bytes_inlined(a, b)
}

/// [`same_bytes`] inlined wherever it is used: for the scanners' hot comparisons (end tags,
/// literal start tags), where the call costs as much as the comparison.
///
/// Whole words, then the last eight bytes again (overlapping the words before) instead of a
/// loop over the bytes left; under eight bytes, two overlapping halves of four, two or one.
#[inline(always)]
pub(super) fn same_bytes_inlined(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return same_short(a, b);
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        if word(p) != word(q) {
            return false;
        }
    }
    x.remainder().is_empty() || a.get(n - 8..).map(word) == b.get(n - 8..).map(word)
}

/// [`same_bytes_inlined`] of two slices of the same length under eight.
#[inline(always)]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    let half = |s: &[u8], w: usize| -> (u64, u64) {
        let at = |i: usize| s.get(i..i + w).map_or(0, word_of);
        (at(0), at(n - w))
    };
    match n {
        4..=7 => half(a, 4) == half(b, 4),
        2..=3 => half(a, 2) == half(b, 2),
        1 => a.first() == b.first(),
        _ => true,
    }
}

/// Up to eight bytes as a word (zero-extended).
#[inline(always)]
fn word_of(b: &[u8]) -> u64 {
    match *b {
        [p, q, r, s] => u64::from(u32::from_le_bytes([p, q, r, s])),
        [p, q] => u64::from(u16::from_le_bytes([p, q])),
        _ => word(b),
    }
}

/// Eight bytes as a word (zero when `b` is shorter).
#[inline]
pub(super) fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))
}

/// How many XML whitespace bytes `b` starts with.
#[inline]
pub(super) fn ws_len(b: &[u8]) -> usize {
    b.iter().position(|&c| !is_xml_ws(c)).unwrap_or(b.len())
}

/// Test harness for the word-at-a-time scanners: `fast` answers what `naive` (a byte-by-byte
/// search) does on words of a few lengths made of each of `fills`, and on each of them with
/// every byte value at every position.
#[cfg(test)]
pub(super) fn check_every_byte<T: PartialEq + std::fmt::Debug>(
    fills: &[&[u8]],
    fast: impl Fn(&[u8]) -> T,
    naive: impl Fn(&[u8]) -> T,
) {
    for fill in fills {
        for len in [0usize, 1, 7, 8, 9, 16, 20] {
            let base: Vec<u8> = fill.iter().copied().cycle().take(len).collect();
            assert_eq!(fast(&base), naive(&base), "{fill:?} {len}");
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut v = base.clone();
                    if let Some(slot) = v.get_mut(at) {
                        *slot = byte;
                    }
                    assert_eq!(fast(&v), naive(&v), "{fill:?} {len} {at} {byte}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_bytes_inlined;

    /// `same_bytes_inlined` against `==` for every length up to three words, with each byte
    /// changed in turn to values that differ in the low bit, the high bit or entirely, and for
    /// slices of different lengths.
    #[test]
    fn same_bytes_is_slice_equality() {
        let text: Vec<u8> = (0u8..24).map(|i| b'a' + i).collect();
        for len in 0..=text.len() {
            let a = &text[..len];
            assert!(same_bytes_inlined(a, a), "{len}");
            assert!(!same_bytes_inlined(a, &text[..len.saturating_sub(1)]) || len == 0);
            for at in 0..len {
                for flip in [0x01u8, 0x80, 0xFF] {
                    let mut b = a.to_vec();
                    b[at] ^= flip;
                    assert!(!same_bytes_inlined(a, &b), "{len} {at} {flip}");
                    assert!(!same_bytes_inlined(&b, a), "{len} {at} {flip}");
                }
            }
        }
    }
}
