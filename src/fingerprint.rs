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
    /// Hashes what is written in blocks: JSON comes a few bytes per
    /// write, and a hasher's cost is mostly per call.
    struct Writer {
        hasher: std::hash::DefaultHasher,
        block: Vec<u8>,
    }
    impl Writer {
        fn hash_block(&mut self) {
            self.hasher.write(&self.block);
            self.block.clear();
        }
    }
    impl std::io::Write for Writer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.block.len() + bytes.len() > BLOCK {
                self.hash_block();
            }
            if bytes.len() >= BLOCK {
                self.hasher.write(bytes);
            } else {
                self.block.extend_from_slice(bytes);
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    const BLOCK: usize = 16 * 1024;
    let mut writer = Writer {
        hasher: std::hash::DefaultHasher::new(),
        block: Vec::with_capacity(BLOCK),
    };
    serde_json::to_writer(&mut writer, value).ok()?;
    writer.hash_block();
    Some(writer.hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_fingerprints_tell_views_apart_wherever_they_differ() {
        let view = |at: usize, long: &str| {
            let mut words: Vec<String> = (0..5000).map(|i| format!("word {i}")).collect();
            words[at] = "changed".into();
            (words, long.to_string())
        };
        let long = "x".repeat(40 * 1024);
        let same = fingerprint_serialized(&view(10, &long));
        assert_eq!(same, fingerprint_serialized(&view(10, &long)));
        assert!(same.is_some());
        // Early, past the first block, at the very end, and in one long write.
        for other in [
            view(11, &long),
            view(4000, &long),
            view(4999, &long),
            view(10, &format!("{long}y")),
            view(10, &format!("y{}", &long[1..])),
        ] {
            assert_ne!(same, fingerprint_serialized(&other));
        }
    }

    #[test]
    fn a_value_json_cannot_hold_has_no_serialized_fingerprint() {
        let map: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert_eq!(fingerprint_serialized(&map), None);
    }
}
