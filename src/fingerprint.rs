//! Fingerprints: a quick, stable 64-bit hash of any value, so "what changed"
//! is computed by comparing fingerprints of inputs. The leaf of the crate: it
//! imports nothing from it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// FNV-1a: quick for the many short keys and texts fingerprinted here.
pub(crate) struct Fnv(u64);

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

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A stable 64-bit fingerprint of any hashable value.
pub(crate) fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = Fnv::default();
    value.hash(&mut hasher);
    hasher.finish()
}
