//! The search memo: the index of the last build, so an edit rewrites only
//! the term shards, card files and snippet files its records touch.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::layout::{Layout, SLOTS_PER_FILE, Url};
use super::{Posting, Postings, Term, Terms};
use crate::fingerprint::FastMap;
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

/// What the memo keeps of one doc: `Keyed` without its terms (those are
/// kept by the fingerprint of its text).
struct Doc {
    text: u64,
    shown: u64,
    kind: u8,
    card: String,
    snippet: String,
}

/// The index of the last build, kept by `serve` so an edit updates only the
/// shards, card and snippet files its records touch.
#[derive(Default)]
pub(crate) struct SearchMemo {
    pub(super) english: bool,
    /// Terms of each record, by the fingerprint of its text.
    pub(super) terms: HashMap<u64, Terms>,
    /// Each record's doc id.
    pub(super) layout: Layout,
    /// The URLs of each entity's records.
    pub(super) entities: HashMap<EntityKey, Vec<Url>>,
    docs: HashMap<u32, Doc>,
    /// Every posting, untruncated, by term; a memo made for one build
    /// only (`reset_with` by `index_once`) holds each term's best ones
    /// alone (`add_postings`), as it is never updated.
    postings: Postings,
    /// Kept by a session (`reset`), so an edit rewrites a shard from the
    /// ranked postings of its other terms: the terms of each shard, by
    /// prefix, and each term's best postings as the shard lists them.
    session: bool,
    by_prefix: HashMap<String, BTreeSet<Term>>,
    ranked: FastMap<Term, Arc<[Posting]>>,
    /// Shard files by the two-character term prefix they hold.
    shards: BTreeMap<String, OutputFile>,
    /// Card and snippet files by number.
    card_files: Vec<OutputFile>,
    snippet_files: Vec<OutputFile>,
}

/// The index files an update wrote, and the paths of those it removed.
#[derive(Default)]
pub(crate) struct Delta {
    pub(crate) written: Vec<OutputFile>,
    pub(crate) removed: Vec<String>,
}

/// A term's postings as its shard lists them (`best_first`).
type Ranked = (Term, Arc<[Posting]>);

/// Docs whose record changed, came or went (`None`).
pub(super) type Changes = BTreeMap<u32, Option<Keyed>>;

impl SearchMemo {
    /// Starts over from every record: all postings, shards, card and snippet files.
    pub(super) fn reset(
        &mut self,
        english: bool,
        layout: Layout,
        entities: HashMap<EntityKey, Vec<Url>>,
        keyed: Vec<(u32, Keyed)>,
    ) {
        let postings = all_postings(&keyed);
        self.session = true;
        self.reset_with(english, layout, entities, keyed, postings);
    }

    /// Starts over from every record and the postings of their terms.
    pub(super) fn reset_with(
        &mut self,
        english: bool,
        layout: Layout,
        entities: HashMap<EntityKey, Vec<Url>>,
        keyed: Vec<(u32, Keyed)>,
        postings: Postings,
    ) {
        self.english = english;
        self.layout = layout;
        self.entities = entities;
        self.postings = postings;
        self.ranked.clear();
        self.by_prefix.clear();
        if self.session {
            for term in self.postings.keys() {
                let terms = self.by_prefix.entry(prefix(term).to_string()).or_default();
                terms.insert(term.clone());
            }
        }
        self.terms = keyed
            .iter()
            .map(|(_, k)| (k.text, k.terms.clone()))
            .collect();
        self.docs = keyed.into_iter().map(|(doc, k)| (doc, doc_of(k))).collect();
        let all: BTreeSet<String> = self
            .postings
            .keys()
            .map(|t| prefix(t).to_string())
            .collect();
        self.shards.clear();
        self.rewrite_shards(&all);
        let groups: BTreeSet<usize> = (0..self.layout.files()).collect();
        self.card_files.clear();
        self.snippet_files.clear();
        self.rewrite_groups(&groups);
    }

    /// The fingerprint of what the result of `doc` shows, if it holds a record.
    pub(super) fn shown(&self, doc: u32) -> Option<u64> {
        self.docs.get(&doc).map(|d| d.shown)
    }

    /// The record at `doc` as the memo keeps it, for moving it to another doc.
    pub(super) fn keyed(&self, doc: u32) -> Option<Keyed> {
        let d = self.docs.get(&doc)?;
        Some(Keyed {
            text: d.text,
            shown: d.shown,
            kind: d.kind,
            terms: self.terms.get(&d.text).cloned().unwrap_or_default(),
            card: d.card.clone(),
            snippet: d.snippet.clone(),
        })
    }

    /// Replaces the records of the given docs (or takes them out), and
    /// rewrites the shards whose postings or cards and the card and
    /// snippet files whose results changed.
    pub(super) fn apply(&mut self, changes: Changes) -> Delta {
        let mut dirty_terms: BTreeSet<Term> = BTreeSet::new();
        let mut dirty_groups = BTreeSet::new();
        let mut recarded = Vec::new();
        let none = Terms::default();
        for (doc, after) in changes {
            let before = self.docs.get(&doc);
            let old = before
                .and_then(|d| self.terms.get(&d.text))
                .unwrap_or(&none);
            let old_kind = before.map_or(0, |d| d.kind);
            let new = after.as_ref().map_or(&none, |k| &k.terms);
            let new_kind = after.as_ref().map_or(0, |k| k.kind);
            let moved = |term: &Term| {
                let was = old.get(term).map(|w| posting(old_kind, doc, *w));
                let is = new.get(term).map(|w| posting(new_kind, doc, *w));
                (was != is).then(|| (term.clone(), is))
            };
            let edits: Vec<(Term, Option<Posting>)> =
                old.keys().chain(new.keys()).filter_map(moved).collect();
            for (term, is) in edits {
                let list = self.postings.entry(term.clone()).or_default();
                list.retain(|p| p.0 != doc);
                list.extend(is);
                let gone = list.is_empty();
                if gone {
                    self.postings.remove(&term);
                }
                if self.session {
                    let terms = self.by_prefix.entry(prefix(&term).to_string()).or_default();
                    if gone {
                        terms.remove(&term);
                    } else {
                        terms.insert(term.clone());
                    }
                }
                self.ranked.remove(&term);
                dirty_terms.insert(term);
            }
            let group = doc as usize / SLOTS_PER_FILE;
            let same_card = before.map(|d| &d.card) == after.as_ref().map(|k| &k.card);
            let same_snippet = before.map(|d| &d.snippet) == after.as_ref().map(|k| &k.snippet);
            if !same_card || !same_snippet {
                dirty_groups.insert(group);
            }
            match after {
                Some(keyed) => {
                    if !same_card {
                        recarded.push((doc, keyed.terms.clone()));
                    }
                    self.terms.entry(keyed.text).or_insert(keyed.terms.clone());
                    self.docs.insert(doc, doc_of(keyed));
                }
                None => {
                    self.docs.remove(&doc);
                }
            }
        }
        // The shards of the terms a changed card is a best result of carry
        // it. (Where its rank moved, its posting did, so that term is dirty
        // already.)
        for (doc, terms) in recarded {
            let carrying = terms.keys().filter(|term| {
                let Some(list) = self.postings.get(*term) else {
                    return false;
                };
                match self.ranked.get(*term) {
                    // Its best results are in order already: a common
                    // word's 50,000 postings need no scan.
                    Some(best) => list.len() >= INLINE_FROM_POSTINGS && among_cards(best, doc),
                    None => carries_card(list, doc),
                }
            });
            dirty_terms.extend(carrying.cloned());
        }
        let dirty_shards: BTreeSet<String> =
            dirty_terms.iter().map(|t| prefix(t).to_string()).collect();
        let mut delta = self.rewrite_shards(&dirty_shards);
        delta.written.extend(self.rewrite_groups(&dirty_groups));
        delta
    }

    /// Writes the shards of the given term prefixes again from the postings;
    /// a shard left without terms is removed.
    fn rewrite_shards(&mut self, prefixes: &BTreeSet<String>) -> Delta {
        let mut by_shard: BTreeMap<&str, Vec<&Term>> = BTreeMap::new();
        if self.session {
            for prefix in prefixes {
                let terms = self.by_prefix.get(prefix).into_iter().flatten();
                let terms: Vec<&Term> = terms.collect();
                if !terms.is_empty() {
                    by_shard.insert(prefix, terms);
                }
            }
        } else {
            for term in self.postings.keys() {
                if let Some(prefix) = prefixes.get(prefix(term)) {
                    by_shard.entry(prefix).or_default().push(term);
                }
            }
        }
        let (docs, postings, ranked) = (&self.docs, &self.postings, &self.ranked);
        let rewritten: Vec<(String, OutputFile, Vec<Ranked>)> = by_shard
            .into_par_iter()
            .map(|(prefix, mut terms)| {
                terms.sort_unstable();
                let mut fresh: Vec<Ranked> = Vec::new();
                let lists: Vec<(&str, Arc<[Posting]>)> = terms
                    .into_iter()
                    .map(|term| {
                        let list = ranked.get(term).cloned().unwrap_or_else(|| {
                            let list = best_first(&postings[term]);
                            fresh.push((term.clone(), list.clone()));
                            list
                        });
                        (&**term, list)
                    })
                    .collect();
                let file = shard_file(&shard_key(prefix), &lists, docs);
                (prefix.to_string(), file, fresh)
            })
            .collect();
        let mut delta = Delta::default();
        for prefix in prefixes {
            if let Some(gone) = self.shards.remove(prefix) {
                delta.removed.push(gone.path);
            }
        }
        for (prefix, file, fresh) in rewritten {
            if self.session {
                self.ranked.extend(fresh);
            }
            delta.removed.retain(|p| *p != file.path);
            delta.written.push(file.clone());
            self.shards.insert(prefix, file);
        }
        delta
    }

    /// Writes the card and snippet files of the given groups again
    /// (`search/d/<group>.json`, `search/x/<group>.json`: the docs of
    /// `SLOTS_PER_FILE` consecutive ids, `null` where a slot is free) and
    /// returns them.
    fn rewrite_groups(&mut self, groups: &BTreeSet<usize>) -> Vec<OutputFile> {
        let mut written = Vec::new();
        for &group in groups {
            let slots = (group * SLOTS_PER_FILE..(group + 1) * SLOTS_PER_FILE)
                .map(|doc| self.docs.get(&(doc as u32)));
            let (mut cards, mut snippets): (Vec<&str>, Vec<&str>) = slots
                .map(|d| d.map_or(("null", "null"), |d| (&d.card, &d.snippet)))
                .unzip();
            // Trailing free slots are left out: a reader takes them as missing.
            while cards.last() == Some(&"null") {
                cards.pop();
                snippets.pop();
            }
            for (dir, items, files) in [
                ("d", cards, &mut self.card_files),
                ("x", snippets, &mut self.snippet_files),
            ] {
                let file = OutputFile::new(format!("search/{dir}/{group}.json"), json_list(&items));
                if group < files.len() {
                    files[group] = file.clone();
                } else {
                    files.push(file.clone());
                }
                written.push(file);
            }
        }
        written
    }

    pub(super) fn files(&self) -> Vec<OutputFile> {
        let groups = self.card_files.iter().chain(&self.snippet_files);
        self.shards.values().chain(groups).cloned().collect()
    }
}

/// `[a,b,…]` of items already JSON, written once into its own bytes.
fn json_list(items: &[&str]) -> Vec<u8> {
    let length = items.iter().map(|item| item.len() + 1).sum::<usize>() + 1;
    let mut json = Vec::with_capacity(length);
    json.push(b'[');
    for (at, item) in items.iter().enumerate() {
        if at > 0 {
            json.push(b',');
        }
        json.extend_from_slice(item.as_bytes());
    }
    json.push(b']');
    json
}

fn doc_of(k: Keyed) -> Doc {
    Doc {
        text: k.text,
        shown: k.shown,
        kind: k.kind,
        card: k.card,
        snippet: k.snippet,
    }
}

/// Whether a term's shard carries the card of `doc`: the term is common
/// and `doc` among its best results, as `shard_file` ranks them.
fn carries_card(list: &[Posting], doc: u32) -> bool {
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

/// Whether `doc` is among the results a shard inlines the cards of,
/// given a term's postings best first (`best_first`).
fn among_cards(best: &[Posting], doc: u32) -> bool {
    best.iter().take(INLINE_CARDS).any(|p| p.0 == doc)
}

pub(super) fn posting(kind: u8, doc: u32, weight: u32) -> Posting {
    let prior = Kind::BY_SEARCH_CODE[kind as usize].info().search_prior;
    (doc, weight * prior / 10, kind)
}

/// Every record's postings, merged in parallel.
fn all_postings(keyed: &[(u32, Keyed)]) -> Postings {
    keyed
        .par_iter()
        .fold(Postings::default, |mut postings, (doc, k)| {
            for (term, weight) in k.terms.iter() {
                postings
                    .entry(term.clone())
                    .or_default()
                    .push(posting(k.kind, *doc, *weight));
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
fn shard_file(key: &str, terms: &[(&str, Arc<[Posting]>)], docs: &HashMap<u32, Doc>) -> OutputFile {
    let mut inline: BTreeMap<u32, &str> = BTreeMap::new();
    let flat: BTreeMap<&str, Vec<u32>> = terms
        .iter()
        .map(|(term, list)| {
            if list.len() >= INLINE_FROM_POSTINGS {
                for (doc, _, _) in &list[..INLINE_CARDS] {
                    inline.insert(*doc, &docs[doc].card);
                }
            }
            (
                *term,
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

/// The order a shard lists a term's postings in: best first, ties by doc,
/// so output is the same on every run. A doc has one posting per term, so
/// no two postings of a term tie.
fn rank(a: &Posting, b: &Posting) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Keeps the `MAX_POSTINGS` best of a term's postings, unsorted.
fn keep_best(list: &mut Vec<Posting>) {
    if list.len() > MAX_POSTINGS {
        list.select_nth_unstable_by(MAX_POSTINGS - 1, rank);
        list.truncate(MAX_POSTINGS);
    }
}

/// Adds postings to a term's list, which keeps at least its
/// `MAX_POSTINGS` best: a shard lists no others, so a build that keeps no
/// memo need not hold a common word's posting from every doc.
pub(super) fn add_postings(list: &mut Vec<Posting>, more: impl IntoIterator<Item = Posting>) {
    list.extend(more);
    // Pruned once it doubles: each posting is selected among the best a
    // bounded number of times.
    if list.len() >= 2 * MAX_POSTINGS {
        keep_best(list);
    }
}

/// A term's postings as one pass over the records meets them, for a
/// build that keeps no memo: once pruned, a posting that ranks below the
/// worst one kept could never be listed, and is not added.
#[derive(Default)]
pub(super) struct BestPostings {
    list: Vec<Posting>,
    worst_kept: Option<Posting>,
}

impl BestPostings {
    pub(super) fn add(&mut self, posting: Posting) {
        if self
            .worst_kept
            .is_some_and(|worst| rank(&posting, &worst).is_gt())
        {
            return;
        }
        self.list.push(posting);
        if self.list.len() >= 2 * MAX_POSTINGS {
            keep_best(&mut self.list);
            self.worst_kept = Some(self.list[MAX_POSTINGS - 1]);
        }
    }

    pub(super) fn into_list(self) -> Vec<Posting> {
        self.list
    }
}

/// A term's postings as its shard lists them: best first, capped.
fn best_first(list: &[Posting]) -> Arc<[Posting]> {
    let mut list = list.to_vec();
    // A common word's thousands of postings: only the kept ones are sorted.
    keep_best(&mut list);
    list.sort_unstable_by(rank);
    list.into()
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
    fn a_card_file_lists_its_items_as_they_are() {
        assert_eq!(
            json_list(&["1", "null", "{\"u\":\"a,b\"}"]),
            br#"[1,null,{"u":"a,b"}]"#
        );
        assert_eq!(json_list(&["null"]), b"[null]");
        assert_eq!(json_list(&[]), b"[]");
    }

    #[test]
    fn postings_added_one_by_one_keep_the_best_a_shard_lists() {
        // Weights with many ties, docs in no order: the worst kept moves.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut all = Vec::new();
        let mut best = BestPostings::default();
        for doc in 0..5_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let posting = ((doc * 7919) % 5_000, (state % 40) as u32, (state % 3) as u8);
            all.push(posting);
            best.add(posting);
            assert!(best.list.len() < 2 * MAX_POSTINGS);
        }
        let kept = best.into_list();
        assert!(kept.len() >= MAX_POSTINGS);
        assert_eq!(best_first(&kept), best_first(&all));
    }

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

    /// The index of the docs with a title (`None`: a free doc).
    fn index(titles: &[Option<String>]) -> SearchMemo {
        let mut memo = SearchMemo::default();
        let keyed = titles
            .iter()
            .enumerate()
            .filter_map(|(d, t)| Some((d as u32, record(d, t.as_ref()?))))
            .collect();
        let urls: Vec<Url> = (0..titles.len())
            .map(|d| Url::from(d.to_string()))
            .collect();
        memo.reset(true, Layout::new(&urls), HashMap::new(), keyed);
        memo
    }

    fn paths(files: Vec<OutputFile>) -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .map(|f| (f.path, f.bytes.to_vec()))
            .collect()
    }

    #[test]
    fn a_retitled_best_result_rewrites_the_shards_carrying_its_card() {
        let mut titles: Vec<Option<String>> = (0..40).map(|d| Some(format!("Doc {d}"))).collect();
        let mut memo = index(&titles);
        titles[2] = Some("Renamed".into());
        titles[3] = Some("Renamed too".into());
        let changes = [2, 3].map(|d| (d as u32, Some(record(d, titles[d].as_ref().unwrap()))));
        let delta = memo.apply(changes.into_iter().collect());
        assert_eq!(paths(memo.files()), paths(index(&titles).files()));
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
    fn a_retitled_result_below_the_best_leaves_the_common_words_shard_alone() {
        let mut titles: Vec<Option<String>> = (0..40).map(|d| Some(format!("Doc {d}"))).collect();
        let mut memo = index(&titles);
        titles[3] = Some("Renamed".into());
        let change = (3, Some(record(3, titles[3].as_ref().unwrap())));
        let delta = memo.apply([change].into_iter().collect());
        assert_eq!(paths(memo.files()), paths(index(&titles).files()));
        let written: Vec<&str> = delta.written.iter().map(|f| f.path.as_str()).collect();
        // Doc 3 ranks too low under `refund` for its shard to carry its card.
        assert!(!written.contains(&"search/t/7265.json"), "{written:?}");
    }

    #[test]
    fn docs_taken_out_and_put_in_leave_the_index_a_fresh_one_would_be() {
        let mut titles: Vec<Option<String>> = (0..40).map(|d| Some(format!("Doc {d}"))).collect();
        titles[7] = None;
        let mut memo = index(&titles);
        titles[2] = None;
        titles[7] = Some("Doc seven".into());
        let mut changes = Changes::new();
        changes.insert(2, None);
        changes.insert(7, Some(record(7, "Doc seven")));
        let delta = memo.apply(changes);
        assert_eq!(paths(memo.files()), paths(index(&titles).files()));
        let written: Vec<&str> = delta.written.iter().map(|f| f.path.as_str()).collect();
        assert!(written.contains(&"search/d/0.json"), "{written:?}");
        // Doc 2's own word went with it: the shard of `own…` changed.
        assert!(written.contains(&"search/t/6f77.json"), "{written:?}");
    }

    #[test]
    fn postings_kept_as_they_come_rank_as_every_posting_would() {
        // A word in many docs, with weights that often tie, in no order.
        let all: Vec<Posting> = (0..2000u32)
            .map(|i| {
                let doc = (i * 7919) % 2000;
                (doc, (doc * 31) % 97, (doc % 3) as u8)
            })
            .collect();
        // Postings come one by one, in parts that are merged, as a build's
        // threads add them.
        let mut parts: Vec<Vec<Posting>> = all
            .chunks(300)
            .map(|chunk| {
                let mut list = Vec::new();
                for p in chunk {
                    add_postings(&mut list, [*p]);
                }
                list
            })
            .collect();
        let mut kept = parts.remove(0);
        for part in parts {
            add_postings(&mut kept, part);
        }
        assert!(kept.len() < 2 * MAX_POSTINGS, "{}", kept.len());
        assert_eq!(best_first(&kept), best_first(&all));
        assert_eq!(best_first(&all).len(), MAX_POSTINGS);
    }

    #[test]
    fn shard_keys_are_file_name_safe() {
        assert_eq!(shard_key("refund"), "7265");
        assert_eq!(shard_key("é"), "c3a9");
    }
}
