//! The decoder's hand-written byte searches against the `memchr` crate on the same spans of
//! the same messages, in alternating rounds of one process: the spans the decoder searches
//! (the text after each `>` up to the next `<` or `&`, and each quoted attribute value up to
//! its closing quote), which are short, so call overhead counts as much as bytes per cycle.
//!
//! `cargo run --release -p cwmp-benches --bin memchr_vs_ours`
//!
//! The searches are copied from `cwmp-soap`'s reader (`decode/reader/bytes.rs`, private
//! there: `find_any` and the two searches built on it); keep them in step.

use std::hint::black_box;
use std::time::Instant;

use cwmp_benches::{messages, wire};

fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))
}

/// The reader's `find_any`: the first byte of `b` that is one of `set`, eight bytes at a time.
#[inline]
fn find_any<const N: usize>(b: &[u8], set: [u8; N]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
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

/// The reader's `find_byte`.
#[inline]
fn find_byte(b: &[u8], c: u8) -> Option<usize> {
    find_any(b, [c])
}

/// The reader's `find_lt_amp`.
#[inline]
fn find_lt_amp(b: &[u8]) -> Option<usize> {
    find_any(b, [b'<', b'&'])
}

/// Nanoseconds per search, best of 15 alternating rounds.
fn time(starts: &[usize], mut op: impl FnMut(usize) -> usize) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..15 {
        let t = Instant::now();
        let mut sum = 0usize;
        for _ in 0..20 {
            for &s in starts {
                sum = sum.wrapping_add(op(s));
            }
        }
        black_box(sum);
        best = best.min(t.elapsed().as_secs_f64() * 1e9 / (20 * starts.len()) as f64);
    }
    best
}

fn main() {
    println!(
        "| message | search | spans | mean span | ours ns/search | memchr ns/search | ours/memchr speed |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for g in messages::all() {
        let doc = wire::encode(&g.envelope);
        let d = doc.as_slice();
        // Where the decoder looks for the end of a text: after each `>`.
        let texts: Vec<usize> = (0..d.len())
            .filter(|&i| d[i] == b'>')
            .map(|i| i + 1)
            .collect();
        // Where it looks for a closing quote: after each `="`.
        let quotes: Vec<usize> = (1..d.len())
            .filter(|&i| d[i] == b'"' && d[i - 1] == b'=')
            .map(|i| i + 1)
            .collect();
        let mean = |starts: &[usize], f: &dyn Fn(&[u8]) -> Option<usize>| {
            let total: usize = starts
                .iter()
                .map(|&s| f(&d[s..]).unwrap_or(d.len() - s))
                .sum();
            total as f64 / starts.len().max(1) as f64
        };
        for (what, starts, is_text) in [
            ("`<` or `&` (text)", &texts, true),
            ("`\"` (attribute)", &quotes, false),
        ] {
            let (ours, theirs, span) = if is_text {
                let check = texts
                    .iter()
                    .all(|&s| find_lt_amp(&d[s..]) == memchr::memchr2(b'<', b'&', &d[s..]));
                assert!(check, "the searches disagree");
                let ours = time(starts, |s| find_lt_amp(black_box(&d[s..])).unwrap_or(0));
                let theirs = time(starts, |s| {
                    memchr::memchr2(b'<', b'&', black_box(&d[s..])).unwrap_or(0)
                });
                (ours, theirs, mean(starts, &find_lt_amp))
            } else {
                let check = quotes
                    .iter()
                    .all(|&s| find_byte(&d[s..], b'"') == memchr::memchr(b'"', &d[s..]));
                assert!(check, "the searches disagree");
                let ours = time(starts, |s| find_byte(black_box(&d[s..]), b'"').unwrap_or(0));
                let theirs = time(starts, |s| {
                    memchr::memchr(b'"', black_box(&d[s..])).unwrap_or(0)
                });
                (ours, theirs, mean(starts, &|b: &[u8]| find_byte(b, b'"')))
            };
            println!(
                "| {} | {what} | {} | {span:.1} B | {ours:.2} | {theirs:.2} | {:.2}x |",
                g.name,
                starts.len(),
                theirs / ours
            );
        }
    }
}
