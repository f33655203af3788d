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

/// A 64-bit fingerprint of what `value` serialises to as JSON, for values
/// too large to hash field by field (a page's whole view); `None` when it
/// does not serialise as JSON. Stable within a process.
pub(crate) fn fingerprint_serialized<T: serde::Serialize + ?Sized>(value: &T) -> Option<u64> {
    /// Hashes what is written, many bytes at a time.
    struct Writer(std::hash::DefaultHasher);
    impl std::io::Write for Writer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = Writer(std::hash::DefaultHasher::new());
    serde_json::to_writer(&mut writer, value).ok()?;
    Some(writer.0.finish())
}
