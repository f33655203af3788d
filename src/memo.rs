//! Memoised results of earlier builds, keyed by a fingerprint of their inputs,
//! so `serve` redoes only the work whose inputs changed. A full build is the
//! same code path with an empty memo.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::load::LoadMemo;
use crate::markdown::RenderedBody;
use crate::model::EntityKey;
use crate::render::PageMemo;

#[derive(Default)]
pub struct Memo {
    pub load: LoadMemo,
    /// Rendered bodies, by entity, with the fingerprint of what they came from.
    pub bodies: HashMap<EntityKey, (u64, Arc<RenderedBody>)>,
    pub search: crate::search::SearchMemo,
    pub pages: PageMemo,
    /// Last-changed dates from git, read once per session.
    pub updated: Option<Arc<HashMap<String, crate::model::Date>>>,
}

/// FNV-1a: quick for the many short keys and texts fingerprinted here.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A stable 64-bit fingerprint of any hashable value.
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = Fnv::default();
    value.hash(&mut hasher);
    hasher.finish()
}
