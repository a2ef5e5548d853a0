//! Interning of the texts and facets a load produces: each distinct string and each distinct
//! set of facets is allocated once and shared by every definition that uses it.
//!
//! Every text of a set of facets is interned first, so two sets are equal exactly when
//! their texts are the same allocations: sets are hashed and compared by those pointers
//! (a long enumeration costs one word per value, not its text).

use std::hash::Hasher;
use std::sync::Arc;

use crate::hash::{FastHasher, FastMap};
use crate::types::Facets;

/// The shared strings and facets of one builder.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    /// The interned strings by their hash.
    strings: FastMap<u64, Arc<str>>,
    /// The interned facets by [`facets_hash`] (a set whose hash meets another set is
    /// simply not shared).
    facets: FastMap<u64, Arc<Facets>>,
    empty_facets: Arc<Facets>,
    empty_chain: Arc<[Arc<str>]>,
    empty_levels: Arc<[Arc<Facets>]>,
}

impl Interner {
    /// Makes room for `strings` more strings and `facets` more sets of facets.
    pub(crate) fn reserve(&mut self, strings: usize, facets: usize) {
        self.strings.reserve(strings);
        self.facets.reserve(facets);
    }

    /// The shared copy of `s`.
    pub(crate) fn str(&mut self, s: &str) -> Arc<str> {
        // hashed once, for the lookup and the insertion (a string whose hash meets
        // another's is simply not shared)
        let mut h = FastHasher::default();
        h.write(s.as_bytes());
        let h = h.finish() ^ s.len() as u64;
        if let Some(a) = self.strings.get(&h) {
            if **a == *s {
                return Arc::clone(a);
            }
            return Arc::from(s);
        }
        let a: Arc<str> = Arc::from(s);
        self.strings.insert(h, Arc::clone(&a));
        a
    }

    /// The shared copy of `f` (cloned once, when first seen).
    pub(crate) fn facets(&mut self, f: &Facets) -> Arc<Facets> {
        if f.is_empty() {
            return Arc::clone(&self.empty_facets);
        }
        let h = facets_hash(f);
        if let Some(a) = self.facets.get(&h) {
            if same_facets(a, f) {
                return Arc::clone(a);
            }
            return Arc::new(f.clone());
        }
        let a = Arc::new(f.clone());
        self.facets.insert(h, Arc::clone(&a));
        a
    }

    /// The shared empty facets.
    pub(crate) fn no_facets(&self) -> Arc<Facets> {
        Arc::clone(&self.empty_facets)
    }

    /// The shared empty type chain.
    pub(crate) fn no_chain(&self) -> Arc<[Arc<str>]> {
        Arc::clone(&self.empty_chain)
    }

    /// The shared empty list of inherited facets.
    pub(crate) fn no_levels(&self) -> Arc<[Arc<Facets>]> {
        Arc::clone(&self.empty_levels)
    }
}

/// The address of an interned text (0 for none).
fn addr(s: Option<&Arc<str>>) -> usize {
    s.map_or(0, |a| Arc::as_ptr(a).cast::<u8>() as usize)
}

/// Whether two optional interned texts are the same allocation.
fn same(a: Option<&Arc<str>>, b: Option<&Arc<str>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The hash of a set of facets whose texts are interned: their addresses, not their text.
fn facets_hash(f: &Facets) -> u64 {
    let mut h = FastHasher::default();
    let mut text = |s: Option<&Arc<str>>| h.write_usize(addr(s));
    for r in &f.ranges {
        text(r.min_inclusive.as_ref());
        text(r.max_inclusive.as_ref());
        text(r.step.as_ref());
    }
    for e in &f.enumerations {
        text(Some(&e.value));
    }
    for p in &f.patterns {
        text(Some(&p.value));
    }
    if let Some(r) = &f.path_ref {
        text(r.ref_type.as_ref());
        text(r.target_parent.as_ref());
        text(r.target_type.as_ref());
        text(r.target_data_type.as_ref());
    }
    if let Some(r) = &f.instance_ref {
        text(r.ref_type.as_ref());
        text(r.target_parent.as_ref());
    }
    if let Some(r) = &f.enumeration_ref {
        text(r.target_param.as_ref());
        text(r.null_value.as_ref());
    }
    text(f.units.as_ref());
    for s in &f.sizes {
        h.write_usize(s.min_length.map_or(usize::MAX, |v| v as usize));
        h.write_usize(s.max_length.map_or(usize::MAX, |v| v as usize));
    }
    let flags = f.enumerations.iter().fold(0usize, |acc, e| {
        acc.rotate_left(2) ^ usize::from(e.read_only) ^ usize::from(e.optional) << 1
    });
    h.write_usize(flags);
    h.write_usize(f.sizes.len() | f.ranges.len() << 16 | f.enumerations.len() << 32);
    h.write_usize(f.patterns.len());
    h.write_u8(
        u8::from(f.path_ref.is_some())
            | u8::from(f.instance_ref.is_some()) << 1
            | u8::from(f.enumeration_ref.is_some()) << 2,
    );
    h.finish()
}

/// Whether two sets of facets with interned texts are equal, comparing texts by address.
fn same_facets(a: &Facets, b: &Facets) -> bool {
    a.sizes == b.sizes
        && a.ranges.len() == b.ranges.len()
        && a.ranges.iter().zip(&b.ranges).all(|(x, y)| {
            same(x.min_inclusive.as_ref(), y.min_inclusive.as_ref())
                && same(x.max_inclusive.as_ref(), y.max_inclusive.as_ref())
                && same(x.step.as_ref(), y.step.as_ref())
        })
        && a.enumerations.len() == b.enumerations.len()
        && a.enumerations.iter().zip(&b.enumerations).all(|(x, y)| {
            Arc::ptr_eq(&x.value, &y.value)
                && x.read_only == y.read_only
                && x.optional == y.optional
        })
        && a.patterns.len() == b.patterns.len()
        && a.patterns
            .iter()
            .zip(&b.patterns)
            .all(|(x, y)| Arc::ptr_eq(&x.value, &y.value))
        && match (&a.path_ref, &b.path_ref) {
            (Some(x), Some(y)) => {
                same(x.ref_type.as_ref(), y.ref_type.as_ref())
                    && same(x.target_parent.as_ref(), y.target_parent.as_ref())
                    && same(x.target_type.as_ref(), y.target_type.as_ref())
                    && same(x.target_data_type.as_ref(), y.target_data_type.as_ref())
            }
            (None, None) => true,
            _ => false,
        }
        && match (&a.instance_ref, &b.instance_ref) {
            (Some(x), Some(y)) => {
                same(x.ref_type.as_ref(), y.ref_type.as_ref())
                    && same(x.target_parent.as_ref(), y.target_parent.as_ref())
            }
            (None, None) => true,
            _ => false,
        }
        && match (&a.enumeration_ref, &b.enumeration_ref) {
            (Some(x), Some(y)) => {
                same(x.target_param.as_ref(), y.target_param.as_ref())
                    && same(x.null_value.as_ref(), y.null_value.as_ref())
            }
            (None, None) => true,
            _ => false,
        }
        && same(a.units.as_ref(), b.units.as_ref())
}
