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
            let text = fingerprint(&(&r.fields, r.body_source, english));
            let shown = fingerprint(&(text, r.kind, &r.url, &r.title, &r.facet, &r.excerpt));
            if !wanted(doc, shown) {
                return None;
            }
            let terms = known
                .get(&text)
                .cloned()
                .unwrap_or_else(|| Arc::new(term_weights(r, english, cache)));
            let keyed = Keyed {
                text,
                shown,
                kind: r.kind as u8,
                terms,
                card: card_json(r),
                snippet: snippet_json(r),
            };
            Some((doc, keyed))
        })
        .flatten()
        .collect()
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
