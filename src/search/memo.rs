//! The search memo: the index of the last build, so an edit rewrites only
//! the term shards, card files and snippet files its records touch.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::{FRAGMENTS_PER_FILE, Posting, Postings, Term, Terms};
use crate::model::{EntityKey, Kind};
use crate::output::OutputFile;

/// Postings kept per term: enough to rank well, small enough to download.
pub(super) const MAX_POSTINGS: usize = 120;

/// A term with at least this many postings carries the cards of its best
/// results in its shard: its first screen needs no other file. Rarer terms
/// have few results, so a few card files serve them.
const INLINE_FROM_POSTINGS: usize = 16;

/// How many of such a term's best results have their card in its shard: a
/// first screen (the header box shows eight).
const INLINE_CARDS: usize = 8;

/// One record, keyed: what its text and its result fingerprint to, its terms
/// and the JSON of its card and of its snippet.
pub(super) struct Keyed {
    pub(super) text: u64,
    pub(super) shown: u64,
    pub(super) kind: u8,
    pub(super) terms: Terms,
    pub(super) card: String,
    pub(super) snippet: String,
}

/// The index of the last build, kept by `serve` so an edit updates only the
/// shards, card and snippet files its records touch.
#[derive(Default)]
pub(crate) struct SearchMemo {
    pub(super) english: bool,
    /// Terms of each record, by the fingerprint of its text.
    pub(super) terms: HashMap<u64, Terms>,
    /// Per doc id: fingerprint of its text (the key of its terms) and of
    /// what its result shows, its kind, and its card's and snippet's JSON.
    texts: Vec<u64>,
    pub(super) docs: Vec<u64>,
    kinds: Vec<u8>,
    cards: Vec<String>,
    snippets: Vec<String>,
    /// The doc ids of each entity's records.
    pub(super) ranges: HashMap<EntityKey, std::ops::Range<usize>>,
    /// Every posting, untruncated, by term.
    postings: Postings,
    /// Shard files by the two-character term prefix they hold.
    shards: BTreeMap<String, OutputFile>,
    card_files: Vec<OutputFile>,
    snippet_files: Vec<OutputFile>,
}

/// The index files an update wrote, and the paths of those it removed.
#[derive(Default)]
pub(crate) struct Delta {
    pub(crate) written: Vec<OutputFile>,
    pub(crate) removed: Vec<String>,
}

impl SearchMemo {
    /// Starts over from every record: all postings, shards, card and snippet files.
    pub(super) fn reset(
        &mut self,
        english: bool,
        ranges: HashMap<EntityKey, std::ops::Range<usize>>,
        keyed: Vec<Keyed>,
    ) {
        let postings = all_postings(&keyed);
        self.reset_with(english, ranges, keyed, postings);
    }

    /// Starts over from every record and the postings of their terms.
    pub(super) fn reset_with(
        &mut self,
        english: bool,
        ranges: HashMap<EntityKey, std::ops::Range<usize>>,
        keyed: Vec<Keyed>,
        postings: Postings,
    ) {
        self.english = english;
        self.ranges = ranges;
        self.postings = postings;
        self.texts = keyed.iter().map(|k| k.text).collect();
        self.docs = keyed.iter().map(|k| k.shown).collect();
        self.kinds = keyed.iter().map(|k| k.kind).collect();
        self.terms = keyed.iter().map(|k| (k.text, k.terms.clone())).collect();
        (self.cards, self.snippets) = keyed.into_iter().map(|k| (k.card, k.snippet)).unzip();
        let all: BTreeSet<String> = self
            .postings
            .keys()
            .map(|t| prefix(t).to_string())
            .collect();
        self.shards.clear();
        self.rewrite_shards(&all);
        let groups: BTreeSet<usize> = (0..self.cards.len().div_ceil(FRAGMENTS_PER_FILE)).collect();
        self.card_files.clear();
        self.snippet_files.clear();
        rewrite_groups("d", &self.cards, &mut self.card_files, &groups);
        rewrite_groups("x", &self.snippets, &mut self.snippet_files, &groups);
    }

    /// Replaces the records of the given docs, and rewrites the shards whose
    /// postings or cards and the card and snippet files whose results changed.
    pub(super) fn apply(&mut self, changed: Vec<(usize, Keyed)>) -> Delta {
        let mut dirty_terms: BTreeSet<Term> = BTreeSet::new();
        let mut dirty_cards = BTreeSet::new();
        let mut dirty_snippets = BTreeSet::new();
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
            if self.cards[doc] != keyed.card {
                dirty_cards.insert(doc / FRAGMENTS_PER_FILE);
                // The shards of the terms it is a best result of carry the card.
                // (Where its rank moved, its posting did, so that term is dirty already.)
                let carrying = keyed.terms.keys().filter(|term| {
                    self.postings
                        .get(*term)
                        .is_some_and(|list| carries_card(list, doc))
                });
                dirty_terms.extend(carrying.cloned());
            }
            if self.snippets[doc] != keyed.snippet {
                dirty_snippets.insert(doc / FRAGMENTS_PER_FILE);
            }
            self.texts[doc] = keyed.text;
            self.docs[doc] = keyed.shown;
            self.kinds[doc] = keyed.kind;
            self.cards[doc] = keyed.card;
            self.snippets[doc] = keyed.snippet;
            self.terms.entry(keyed.text).or_insert(keyed.terms);
        }
        let dirty_shards: BTreeSet<String> =
            dirty_terms.iter().map(|t| prefix(t).to_string()).collect();
        let mut delta = self.rewrite_shards(&dirty_shards);
        let cards = rewrite_groups("d", &self.cards, &mut self.card_files, &dirty_cards);
        let snippets = rewrite_groups(
            "x",
            &self.snippets,
            &mut self.snippet_files,
            &dirty_snippets,
        );
        delta.written.extend(cards.into_iter().chain(snippets));
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
        let cards = &self.cards;
        let rewritten: Vec<(String, OutputFile)> = by_shard
            .into_par_iter()
            .map(|(prefix, terms)| {
                let file = shard_file(&shard_key(prefix), terms, cards);
                (prefix.to_string(), file)
            })
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

    pub(super) fn files(&self) -> Vec<OutputFile> {
        let groups = self.card_files.iter().chain(&self.snippet_files);
        self.shards.values().chain(groups).cloned().collect()
    }
}

/// Writes the given groups of `items` again (`search/<dir>/<group>.json`,
/// sixteen consecutive docs each) and returns the files written.
fn rewrite_groups(
    dir: &str,
    items: &[String],
    files: &mut Vec<OutputFile>,
    groups: &BTreeSet<usize>,
) -> Vec<OutputFile> {
    let mut written = Vec::new();
    for &group in groups {
        let start = group * FRAGMENTS_PER_FILE;
        let chunk = &items[start..(start + FRAGMENTS_PER_FILE).min(items.len())];
        let json = format!("[{}]", chunk.join(","));
        let file = OutputFile::new(format!("search/{dir}/{group}.json"), json);
        if group < files.len() {
            files[group] = file.clone();
        } else {
            files.push(file.clone());
        }
        written.push(file);
    }
    written
}

/// Whether a term's shard carries the card of `doc`: the term is common
/// and `doc` among its best results, as `shard_file` ranks them.
fn carries_card(list: &[Posting], doc: usize) -> bool {
    let doc = doc as u32;
    if list.len() < INLINE_FROM_POSTINGS {
        return false;
    }
    let Some(mine) = list.iter().find(|p| p.0 == doc) else {
        return false;
    };
    let better = list
        .iter()
        .filter(|p| p.1 > mine.1 || (p.1 == mine.1 && p.0 < doc))
        .count();
    better < INLINE_CARDS
}

pub(super) fn posting(kind: u8, doc: usize, weight: u32) -> Posting {
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

/// One shard: `{"c": {doc: card}, "t": {term: [doc, weight, kind, …]}}`,
/// each term's postings best first (ties by doc, so output is the same on
/// every run) and capped; the cards of a common term's best results ride
/// along, so its first screen needs no card file.
fn shard_file(key: &str, terms: BTreeMap<&str, &Vec<Posting>>, cards: &[String]) -> OutputFile {
    let mut inline: BTreeMap<u32, &str> = BTreeMap::new();
    let flat: BTreeMap<&str, Vec<u32>> = terms
        .into_iter()
        .map(|(term, list)| {
            let mut list = list.clone();
            list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            if list.len() >= INLINE_FROM_POSTINGS {
                for (doc, _, _) in &list[..INLINE_CARDS] {
                    inline.insert(*doc, &cards[*doc as usize]);
                }
            }
            (
                term,
                list.iter()
                    .flat_map(|(d, w, k)| [*d, *w, u32::from(*k)])
                    .collect(),
            )
        })
        .collect();
    let cards: Vec<String> = inline
        .into_iter()
        .map(|(doc, card)| format!("\"{doc}\":{card}"))
        .collect();
    let postings = serde_json::to_string(&flat).expect("json");
    OutputFile::new(
        format!("search/t/{key}.json"),
        format!("{{\"c\":{{{}}},\"t\":{postings}}}", cards.join(",")),
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

    /// A record of `doc` holding a word every record has (`refund`, weighted
    /// so that docs 2, 5, 8… rank first) and one of its own.
    fn record(doc: usize, title: &str) -> Keyed {
        let mut terms = crate::fingerprint::FastMap::default();
        terms.insert(Term::from("refund"), 10 + (doc % 3) as u32);
        terms.insert(Term::from(format!("own{doc}")), 5);
        Keyed {
            text: doc as u64,
            shown: crate::fingerprint::fingerprint(&(doc, title)),
            kind: 0,
            terms: std::sync::Arc::new(terms),
            card: format!("[\"{title}\"]"),
            snippet: "\"\"".into(),
        }
    }

    fn index(titles: &[String]) -> SearchMemo {
        let mut memo = SearchMemo::default();
        let keyed = titles
            .iter()
            .enumerate()
            .map(|(d, t)| record(d, t))
            .collect();
        memo.reset(true, HashMap::new(), keyed);
        memo
    }

    #[test]
    fn a_retitled_best_result_rewrites_the_shards_carrying_its_card() {
        let mut titles: Vec<String> = (0..40).map(|d| format!("Doc {d}")).collect();
        let mut memo = index(&titles);
        titles[2] = "Renamed".into();
        titles[3] = "Renamed too".into();
        let delta = memo.apply(vec![(2, record(2, &titles[2])), (3, record(3, &titles[3]))]);
        let fresh = index(&titles);
        let paths = |files: Vec<OutputFile>| -> Vec<(String, Vec<u8>)> {
            files
                .into_iter()
                .map(|f| (f.path, f.bytes.to_vec()))
                .collect()
        };
        assert_eq!(paths(memo.files()), paths(fresh.files()));
        let written: Vec<&str> = delta.written.iter().map(|f| f.path.as_str()).collect();
        // Doc 2 leads `refund`, whose shard carries its card; doc 3 ranks
        // too low to be carried, so its title touches its card file alone.
        assert!(written.contains(&"search/t/7265.json"), "{written:?}");
        assert!(
            !written.iter().any(|p| p.contains(&shard_key("own3"))),
            "{written:?}"
        );
    }

    #[test]
    fn shard_keys_are_file_name_safe() {
        assert_eq!(shard_key("refund"), "7265");
        assert_eq!(shard_key("é"), "c3a9");
    }
}
