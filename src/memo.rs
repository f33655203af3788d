//! Memoised results of earlier builds, keyed by a fingerprint of their inputs,
//! so `serve` redoes only the work whose inputs changed. A full build is the
//! same code path with an empty memo.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::LoadMemo;
use crate::markdown::{LinkIndex, RenderedBody};
use crate::model::{EntityKey, Graph, Site};
use crate::output::OutputFile;
use crate::render::{PageMemo, Theme};
use crate::validate::Finding;

#[derive(Default)]
pub struct Memo {
    /// Keep the whole last build, so a body-only edit can patch it.
    pub keep_last: bool,
    pub last: Option<Snapshot>,
    pub load: LoadMemo,
    /// Rendered bodies, by entity, with the fingerprint of what they came from.
    pub bodies: HashMap<EntityKey, (u64, Arc<RenderedBody>)>,
    pub search: crate::search::SearchMemo,
    pub pages: PageMemo,
    /// Last-changed dates from git, read once per session.
    pub updated: Option<Arc<HashMap<String, crate::model::Date>>>,
}

impl Memo {
    /// The memo of a session of rebuilds (serve): it keeps the last build whole.
    pub fn for_session() -> Memo {
        Memo {
            keep_last: true,
            ..Memo::default()
        }
    }
}

/// The last successful build, whole: the model, the bodies, the theme and
/// every output file, for `edit::patch` to update in place.
pub struct Snapshot {
    /// The configuration, options and day it was built for.
    pub key: u64,
    pub site: Site,
    pub graph: Graph,
    pub links: LinkIndex,
    /// What links could resolve to (`LinkIndex::shape`), part of each body's memo key.
    pub shape: u64,
    pub bodies: HashMap<EntityKey, Arc<RenderedBody>>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub theme: Theme,
    pub files: BTreeMap<String, OutputFile>,
    pub sources: Arc<HashMap<String, String>>,
    pub pages: usize,
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
