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

/// A hasher that takes eight bytes a step (FNV takes one, each step
/// waiting on the last): for maps looked up once per word or link of a
/// whole site, whose order nothing reads, so its values need not match
/// any other build's.
#[derive(Default)]
pub(crate) struct Quick(u64);

impl Quick {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for Quick {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            self.add(short(rest));
            // The length tells `a` from `aaa`, and `abcd` from `abcdabcd`.
            self.0 ^= rest.len() as u64;
        }
    }
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }
    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }
    fn finish(&self) -> u64 {
        // The multiply leaves its best bits at the top; the table's
        // bucket comes from the bottom.
        self.0.rotate_left(26)
    }
}

/// The one to seven bytes of `rest` as one number, read without copying
/// them out: two reads that overlap, or three bytes, cover every byte.
fn short(rest: &[u8]) -> u64 {
    let n = rest.len();
    let four = |at: usize| {
        u64::from(u32::from_le_bytes(
            rest[at..at + 4].try_into().expect("four bytes"),
        ))
    };
    if n >= 4 {
        four(0) | four(n - 4) << 32
    } else {
        u64::from(rest[0]) | u64::from(rest[n / 2]) << 8 | u64::from(rest[n - 1]) << 16
    }
}

/// A map looked up with [`Quick`].
pub(crate) type QuickMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Quick>>;

/// A set looked up with [`Quick`].
pub(crate) type QuickSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<Quick>>;

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
    fn quick_hashes_tell_links_words_and_lengths_apart() {
        let quick = |text: &str| {
            let mut hasher = Quick::default();
            text.hash(&mut hasher);
            hasher.finish()
        };
        let mut texts: Vec<String> = (0..20_000)
            .map(|n| format!("../../roles/role-{n:05}/"))
            .chain((0..20_000).map(|n| format!("w{n}")))
            .collect();
        // Every length of one prefix: the last, short step must count.
        texts.extend((0..=24).map(|n| "a".repeat(n)));
        let hashes: std::collections::HashSet<u64> = texts.iter().map(|t| quick(t)).collect();
        assert_eq!(hashes.len(), texts.len());
        // The low bits pick the bucket: they must spread about as a
        // random hash would (29,950 of 65,536 for 40,025 texts).
        let buckets: std::collections::HashSet<u64> =
            texts.iter().map(|t| quick(t) & 0xffff).collect();
        assert!(buckets.len() > 25_000, "{} buckets", buckets.len());
    }

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
