//! Eight bytes at a time: a byte string read as little-endian `u64` words, and masks with
//! the high bit set in each byte that matches. The tokenizer and the path index both scan
//! this way.

pub(crate) const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
pub(crate) const HI: u64 = 0x8080_8080_8080_8080;
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes of `b` at `at` (little endian), if there are eight.
#[inline]
pub(crate) fn word_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..)?
        .first_chunk::<8>()
        .map(|w| u64::from_le_bytes(*w))
}

/// The high bit of each byte of `w` that equals `c` (exact: no carry between bytes).
#[inline]
pub(crate) fn eq_mask(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    !(((x & LO7) + LO7) | x) & HI
}

/// Where the first byte that `mask` marks is (`mask` from [`eq_mask`], not zero).
#[inline]
pub(crate) fn first_marked(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}
