//! Interning of the texts and facets a load produces: each distinct string and each distinct
//! set of facets is allocated once and shared by every definition that uses it.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use crate::hash::FastHasher;
use crate::types::Facets;

type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// The shared strings and facets of one builder.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    strings: FastSet<Arc<str>>,
    facets: FastSet<Arc<Facets>>,
    empty_facets: Arc<Facets>,
    empty_chain: Arc<[Arc<str>]>,
    empty_levels: Arc<[Arc<Facets>]>,
}

impl Interner {
    /// The shared copy of `s`.
    pub(crate) fn str(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strings.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.strings.insert(Arc::clone(&a));
        a
    }

    /// The shared copy of `f` (cloned once, when first seen).
    pub(crate) fn facets(&mut self, f: &Facets) -> Arc<Facets> {
        if f.is_empty() {
            return Arc::clone(&self.empty_facets);
        }
        if let Some(a) = self.facets.get(f) {
            return Arc::clone(a);
        }
        let a = Arc::new(f.clone());
        self.facets.insert(Arc::clone(&a));
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
