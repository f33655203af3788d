//! Search: a sharded index built from the model, so a query downloads only
//! the term shards it needs and the cards of the results it shows.
//!
//! Layout under `search/`:
//! - `meta.json`: the kinds (code, name, label, plural label, in the kind
//!   table's order), the postings cap and the docs per card file;
//! - `t/<hex of the term's first two characters>.json`:
//!   `{"c": {doc: card}, "t": {term: [doc, weight, kind, …]}}`, each term's
//!   postings best first and capped, so common words stay small, and the
//!   cards of a common term's best results, so its first screen is this one
//!   file;
//! - `d/<doc / 16>.json`: the cards (`[url, title, kind, facet]`) of sixteen
//!   consecutive docs, for results whose card no shard carries;
//! - `x/<doc / 16>.json`: their snippets, fetched only for results in view
//!   on the search page.
//!
//! The tokeniser (`fold`, `stem`) is mirrored exactly in `search.js`.
//!
//! - `records`: what each entity contributes, and its result fragment;
//! - `tokenise`: words -> weighted terms;
//! - `memo`: the last index, updated in place by an edit.

mod memo;
mod records;
mod tokenise;

use memo::Keyed;
pub(crate) use memo::{Delta, SearchMemo};
pub(crate) use records::records_per_body;
use records::{Record, card_json, records, records_of, snippet_json};
use tokenise::{StemCache, term_weights};
pub use tokenise::{fold, stem};

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Translations;
use crate::fingerprint::{FastMap, fingerprint};
use crate::markdown::RenderedBody;
use crate::model::*;
use crate::output::OutputFile;
use crate::render::words::{kind_count, kind_label, kind_plural};

/// Cards (and snippets) per file: few files to write, little to fetch per result.
pub(crate) const FRAGMENTS_PER_FILE: usize = 16;

/// A posting: doc id, weight, kind index.
type Posting = (u32, u32, u8);
/// A term, shared between the records, postings and caches that hold it.
type Term = Arc<str>;
type Postings = FastMap<Term, Vec<Posting>>;
type Terms = Arc<FastMap<Term, u32>>;

/// Builds the index files for the whole site.
pub(crate) fn index(
    language: &str,
    words: &Translations,
    site: &Site,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
    memo: &mut SearchMemo,
) -> Vec<OutputFile> {
    let (records, ranges) = records(site, bodies);
    // The stemmer is English: other languages are matched by folding and prefixes alone.
    let english = language.to_ascii_lowercase().starts_with("en");
    if memo.english == english && memo.ranges == ranges {
        let docs = &memo.docs;
        let changed = key_records(&records, 0, english, &memo.terms, |doc, shown| {
            docs[doc] != shown
        });
        memo.apply(changed);
    } else {
        let keyed = key_records(&records, 0, english, &memo.terms, |_, _| true);
        memo.reset(english, ranges, keyed.into_iter().map(|(_, k)| k).collect());
    }
    let mut files = memo.files();
    files.push(meta_file(words));
    files
}

/// The index files for a build that keeps no memo: each record's terms go
/// into the postings as soon as they are counted, so the terms of every
/// record are never held at once (they are as large as the postings).
pub(crate) fn index_once(
    language: &str,
    words: &Translations,
    site: &Site,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
) -> Vec<OutputFile> {
    let (records, ranges) = records(site, bodies);
    let english = language.to_ascii_lowercase().starts_with("en");
    let (keyed, postings) = key_records_into_postings(&records, english);
    let mut memo = SearchMemo::default();
    memo.reset_with(english, ranges, keyed, postings);
    let mut files = memo.files();
    files.push(meta_file(words));
    files
}

/// `search/meta.json`: what `search.js` needs besides the index, from the
/// kind table in the site's language, so the page script spells no kind
/// out itself.
fn meta_file(words: &Translations) -> OutputFile {
    let kinds: Vec<serde_json::Value> = Kind::ALL
        .iter()
        .map(|kind| {
            let info = kind.info();
            serde_json::json!({
                "code": info.search_code,
                "name": info.name,
                "label": kind_label(words, *kind),
                "plural": kind_plural(words, *kind),
                // "No results among standards": the word after a count.
                "among": kind_count(words, *kind, 2),
            })
        })
        .collect();
    let meta = serde_json::json!({
        "kinds": kinds,
        "cap": memo::MAX_POSTINGS,
        "perFile": FRAGMENTS_PER_FILE,
    });
    OutputFile::new("search/meta.json", meta.to_string())
}

/// Updates the index for entities whose records changed but kept their
/// number (a body edit): only their terms' shards and their fragment files
/// are written again. `None` when the records cannot be patched in place.
pub(crate) fn update(
    site: &Site,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
    keys: &[EntityKey],
    memo: &mut SearchMemo,
) -> Option<Delta> {
    let mut changed = Vec::new();
    for key in keys {
        let range = memo.ranges.get(key)?.clone();
        let meta = site.meta_of(key)?;
        let records = records_of(site, bodies, key.clone(), meta);
        if records.len() != range.len() {
            return None;
        }
        let docs = &memo.docs;
        changed.extend(key_records(
            &records,
            range.start,
            memo.english,
            &memo.terms,
            |doc, shown| docs[doc] != shown,
        ));
    }
    Some(memo.apply(changed))
}

/// Keys the records that `wanted` asks for (by doc id, counted from
/// `first_doc`, and the fingerprint of what the result shows). Only records
/// whose text changed since the last build are tokenised.
fn key_records(
    records: &[Record],
    first_doc: usize,
    english: bool,
    known: &HashMap<u64, Terms>,
    wanted: impl Fn(usize, u64) -> bool + Sync,
) -> Vec<(usize, Keyed)> {
    records
        .par_iter()
        .enumerate()
        .map_init(StemCache::default, |cache, (i, r)| {
            let doc = first_doc + i;
            let text = text_fingerprint(r, english);
            let shown = shown_fingerprint(r, text);
            if !wanted(doc, shown) {
                return None;
            }
            let terms = known
                .get(&text)
                .cloned()
                .unwrap_or_else(|| Arc::new(term_weights(r, english, cache)));
            Some((doc, keyed_record(r, text, shown, terms)))
        })
        .flatten()
        .collect()
}

/// Keys every record, as `key_records` does, but puts each record's terms
/// straight into the postings and keeps none in its `Keyed`.
fn key_records_into_postings(records: &[Record], english: bool) -> (Vec<Keyed>, Postings) {
    type Part = (Vec<(usize, Keyed)>, Postings);
    let merge = |mut a: Part, b: Part| {
        a.0.extend(b.0);
        for (term, list) in b.1 {
            a.1.entry(term).or_default().extend(list);
        }
        a
    };
    let (mut keyed, postings) = records
        .par_iter()
        .enumerate()
        .fold(
            || (Part::default(), StemCache::default()),
            |((mut keyed, mut postings), mut cache), (doc, r)| {
                let text = text_fingerprint(r, english);
                let shown = shown_fingerprint(r, text);
                for (term, weight) in term_weights(r, english, &mut cache) {
                    let posting = memo::posting(r.kind as u8, doc, weight);
                    postings.entry(term).or_default().push(posting);
                }
                let record = keyed_record(r, text, shown, Terms::default());
                keyed.push((doc, record));
                ((keyed, postings), cache)
            },
        )
        .map(|(part, _)| part)
        .reduce(Part::default, merge);
    keyed.sort_unstable_by_key(|(doc, _)| *doc);
    (keyed.into_iter().map(|(_, k)| k).collect(), postings)
}

/// The fingerprint of what a record's terms come from: the key of its terms.
fn text_fingerprint(r: &Record, english: bool) -> u64 {
    fingerprint(&(&r.fields, r.body_source, english))
}

/// The fingerprint of what a record's result shows, its terms included.
fn shown_fingerprint(r: &Record, text: u64) -> u64 {
    fingerprint(&(text, r.kind, &r.url, &r.title, &r.facet, &r.excerpt))
}

/// A record with its fingerprints, its terms and the JSON of its result.
fn keyed_record(r: &Record, text: u64, shown: u64, terms: Terms) -> Keyed {
    Keyed {
        text,
        shown,
        kind: r.kind as u8,
        terms,
        card: card_json(r),
        snippet: snippet_json(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_script_reads_fragments_in_the_same_groups() {
        let script = include_str!("../../themes/default/static/search.js");
        assert!(script.contains(&format!("var PER_FILE = {FRAGMENTS_PER_FILE};")));
    }
}
