//! The search memo: the index of the last build, so an edit rewrites only
//! the term shards and fragment files its records touch.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::{FRAGMENTS_PER_FILE, Posting, Postings, Term, Terms};
use crate::model::{EntityKey, Kind};
use crate::output::OutputFile;

/// Postings kept per term: enough to rank well, small enough to download.
const MAX_POSTINGS: usize = 120;

/// One record, keyed: what its text and its result fingerprint to, its terms
/// and the JSON of its result fragment.
pub(super) struct Keyed {
    pub(super) text: u64,
    pub(super) shown: u64,
    pub(super) kind: u8,
    pub(super) terms: Terms,
    pub(super) fragment: String,
}

/// The index of the last build, kept by `serve` so an edit updates only the
/// shards and fragment files its records touch.
#[derive(Default)]
pub(crate) struct SearchMemo {
    pub(super) english: bool,
    /// Terms of each record, by the fingerprint of its text.
    pub(super) terms: HashMap<u64, Terms>,
    /// Per doc id: fingerprint of its text (the key of its terms) and of
    /// what its result shows, its kind, and its fragment's JSON.
    texts: Vec<u64>,
    pub(super) docs: Vec<u64>,
    kinds: Vec<u8>,
    fragments: Vec<String>,
    /// The doc ids of each entity's records.
    pub(super) ranges: HashMap<EntityKey, std::ops::Range<usize>>,
    /// Every posting, untruncated, by term.
    postings: Postings,
    /// Shard files by the two-character term prefix they hold.
    shards: BTreeMap<String, OutputFile>,
    buckets: Vec<OutputFile>,
}

/// The index files an update wrote, and the paths of those it removed.
#[derive(Default)]
pub(crate) struct Delta {
    pub(crate) written: Vec<OutputFile>,
    pub(crate) removed: Vec<String>,
}

impl SearchMemo {
    /// Starts over from every record: all postings, shards and fragment files.
    pub(super) fn reset(
        &mut self,
        english: bool,
        ranges: HashMap<EntityKey, std::ops::Range<usize>>,
        keyed: Vec<Keyed>,
    ) {
        self.english = english;
        self.ranges = ranges;
        self.postings = all_postings(&keyed);
        self.texts = keyed.iter().map(|k| k.text).collect();
        self.docs = keyed.iter().map(|k| k.shown).collect();
        self.kinds = keyed.iter().map(|k| k.kind).collect();
        self.terms = keyed.iter().map(|k| (k.text, k.terms.clone())).collect();
        self.fragments = keyed.into_iter().map(|k| k.fragment).collect();
        let all: BTreeSet<String> = self
            .postings
            .keys()
            .map(|t| prefix(t).to_string())
            .collect();
        self.shards.clear();
        self.rewrite_shards(&all);
        self.buckets.clear();
        let buckets: BTreeSet<usize> =
            (0..self.fragments.len().div_ceil(FRAGMENTS_PER_FILE)).collect();
        self.rewrite_buckets(&buckets);
    }

    /// Replaces the records of the given docs, and rewrites the shards whose
    /// postings and the fragment files whose results changed.
    pub(super) fn apply(&mut self, changed: Vec<(usize, Keyed)>) -> Delta {
        let mut dirty_terms: BTreeSet<Term> = BTreeSet::new();
        let mut dirty_buckets = BTreeSet::new();
        let none = Terms::default();
        for (doc, keyed) in changed {
            let old = self.terms.get(&self.texts[doc]).unwrap_or(&none);
            let old_kind = self.kinds[doc];
            let moved = |term: &Term| {
                let before = old.get(term).map(|w| posting(old_kind, doc, *w));
                let after = keyed.terms.get(term).map(|w| posting(keyed.kind, doc, *w));
                (before != after).then(|| (term.clone(), after))
            };
            let edits: Vec<(Term, Option<Posting>)> = old
                .keys()
                .chain(keyed.terms.keys())
                .filter_map(moved)
                .collect();
            for (term, after) in edits {
                let list = self.postings.entry(term.clone()).or_default();
                list.retain(|p| p.0 != doc as u32);
                list.extend(after);
                if list.is_empty() {
                    self.postings.remove(&term);
                }
                dirty_terms.insert(term);
            }
            if self.fragments[doc] != keyed.fragment {
                dirty_buckets.insert(doc / FRAGMENTS_PER_FILE);
            }
            self.texts[doc] = keyed.text;
            self.docs[doc] = keyed.shown;
            self.kinds[doc] = keyed.kind;
            self.fragments[doc] = keyed.fragment;
            self.terms.entry(keyed.text).or_insert(keyed.terms);
        }
        let dirty_shards: BTreeSet<String> =
            dirty_terms.iter().map(|t| prefix(t).to_string()).collect();
        let mut delta = self.rewrite_shards(&dirty_shards);
        delta.written.extend(self.rewrite_buckets(&dirty_buckets));
        delta
    }

    /// Writes the shards of the given term prefixes again from the postings;
    /// a shard left without terms is removed.
    fn rewrite_shards(&mut self, prefixes: &BTreeSet<String>) -> Delta {
        let mut by_shard: BTreeMap<&str, BTreeMap<&str, &Vec<Posting>>> = BTreeMap::new();
        for (term, list) in &self.postings {
            if let Some(prefix) = prefixes.get(prefix(term)) {
                by_shard.entry(prefix).or_default().insert(term, list);
            }
        }
        let rewritten: Vec<(String, OutputFile)> = by_shard
            .into_par_iter()
            .map(|(prefix, terms)| (prefix.to_string(), shard_file(&shard_key(prefix), terms)))
            .collect();
        let mut delta = Delta::default();
        for prefix in prefixes {
            if let Some(gone) = self.shards.remove(prefix) {
                delta.removed.push(gone.path);
            }
        }
        for (prefix, file) in rewritten {
            delta.removed.retain(|p| *p != file.path);
            delta.written.push(file.clone());
            self.shards.insert(prefix, file);
        }
        delta
    }

    /// Writes the given fragment files again, sixteen results each.
    fn rewrite_buckets(&mut self, buckets: &BTreeSet<usize>) -> Vec<OutputFile> {
        let mut written = Vec::new();
        for &bucket in buckets {
            let chunk = &self.fragments[bucket * FRAGMENTS_PER_FILE
                ..((bucket + 1) * FRAGMENTS_PER_FILE).min(self.fragments.len())];
            let json = format!("[{}]", chunk.join(","));
            let file = OutputFile::new(format!("search/d/{bucket}.json"), json);
            if bucket < self.buckets.len() {
                self.buckets[bucket] = file.clone();
            } else {
                self.buckets.push(file.clone());
            }
            written.push(file);
        }
        written
    }

    pub(super) fn files(&self) -> Vec<OutputFile> {
        self.shards.values().chain(&self.buckets).cloned().collect()
    }
}

fn posting(kind: u8, doc: usize, weight: u32) -> Posting {
    let prior = Kind::BY_SEARCH_CODE[kind as usize].info().search_prior;
    (doc as u32, weight * prior / 10, kind)
}

/// Every record's postings, merged in parallel.
fn all_postings(keyed: &[Keyed]) -> Postings {
    keyed
        .par_iter()
        .enumerate()
        .fold(Postings::default, |mut postings, (doc, k)| {
            for (term, weight) in k.terms.iter() {
                postings
                    .entry(term.clone())
                    .or_default()
                    .push(posting(k.kind, doc, *weight));
            }
            postings
        })
        .reduce(Postings::default, |mut a, b| {
            for (term, list) in b {
                a.entry(term).or_default().extend(list);
            }
            a
        })
}

/// One shard: its terms' postings, best first (ties by doc, so output is
/// the same on every run), capped, flattened.
fn shard_file(key: &str, terms: BTreeMap<&str, &Vec<Posting>>) -> OutputFile {
    let flat: BTreeMap<&str, Vec<u32>> = terms
        .into_iter()
        .map(|(term, list)| {
            let mut list = list.clone();
            list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            (
                term,
                list.iter()
                    .flat_map(|(d, w, k)| [*d, *w, u32::from(*k)])
                    .collect(),
            )
        })
        .collect();
    OutputFile::new(
        format!("search/t/{key}.json"),
        serde_json::to_vec(&flat).expect("json"),
    )
}

/// The shard of a term: hex of the UTF-8 bytes of its first two characters.
/// The first two characters of a term: which shard holds it.
fn prefix(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

pub(super) fn shard_key(term: &str) -> String {
    term.chars()
        .take(2)
        .collect::<String>()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_keys_are_file_name_safe() {
        assert_eq!(shard_key("refund"), "7265");
        assert_eq!(shard_key("é"), "c3a9");
    }
}
