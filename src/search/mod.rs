//! Search: a sharded index built from the model, so a query downloads only
//! the term shards it needs and the cards of the results it shows.
//!
//! Layout under `search/`:
//! - `meta.json`: the kinds (code, name, label, plural label, in the kind
//!   table's order), the postings cap and the doc ids per card file;
//! - `t/<hex of the term's first two characters>.json`:
//!   `{"c": {doc: card}, "t": {term: [doc, weight, kind, …]}}`, each term's
//!   postings best first and capped, so common words stay small, and the
//!   cards of a common term's best results, so its first screen is this one
//!   file;
//! - `d/<doc / 64>.json`: the cards (`[url, title, kind, facet]`) of 64
//!   consecutive doc ids (`null` where no doc is), for results whose card
//!   no shard carries;
//! - `x/<doc / 64>.json`: their snippets, fetched only for results in view
//!   on the search page.
//!
//! Doc ids come from each result's URL (`layout`), so a page that comes or
//! goes leaves the other records' ids be, and a fresh build numbers them as
//! a patched one does.
//!
//! The tokeniser (`fold`, `stem`) is mirrored exactly in `search.js`.
//!
//! - `layout`: each record's doc id;
//! - `records`: what each entity contributes, and its result fragment;
//! - `tokenise`: words -> weighted terms;
//! - `memo`: the last index, updated in place by an edit.

mod layout;
mod memo;
mod records;
mod tokenise;

use layout::{Layout, Url};
use memo::{BestPostings, Changes, Keyed};
pub(crate) use memo::{Delta, SearchMemo};
use records::{Record, card_json, records, records_of, snippet_json};
use tokenise::{StemCache, term_numbers, term_weights};
pub use tokenise::{fold, stem};

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Translations;
use crate::fingerprint::{FastMap, fingerprint};
use crate::markdown::RenderedBody;
use crate::model::*;
use crate::output::OutputFile;
use crate::render::words::{kind_count, kind_label, kind_plural};

/// A posting: doc id, weight, kind index.
type Posting = (u32, u32, u8);
/// A term, shared between the records, postings and caches that hold it.
type Term = Arc<str>;
type Postings = FastMap<Term, Vec<Posting>>;
type Terms = Arc<FastMap<Term, u32>>;

/// Builds the index files for the whole site: the memo's index patched
/// for the records that changed, came or went, or made anew.
pub(crate) fn index(
    language: &str,
    words: &Translations,
    site: &Site,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
    memo: &mut SearchMemo,
) -> Vec<OutputFile> {
    let mut entities = records(site, bodies);
    // The stemmer is English: other languages are matched by folding and prefixes alone.
    let english = language.to_ascii_lowercase().starts_with("en");
    let gone = memo.entities.keys().filter(|k| site.meta_of(k).is_none());
    entities.extend(
        gone.map(|key| (key.clone(), Vec::new()))
            .collect::<Vec<_>>(),
    );
    if patch_records(memo, english, &entities).is_none() {
        let layout = Layout::new(entities.iter().flat_map(|(_, list)| list).map(|r| &r.url));
        let placed = placed(&layout, &entities);
        let keyed = key_records(&placed, english, &memo.terms, |_, _| true);
        memo.reset(english, layout, urls_of(&entities), keyed);
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
    let entities = records(site, bodies);
    let english = language.to_ascii_lowercase().starts_with("en");
    let layout = Layout::new(entities.iter().flat_map(|(_, list)| list).map(|r| &r.url));
    let (keyed, postings) = key_records_into_postings(&placed(&layout, &entities), english);
    let mut memo = SearchMemo::default();
    memo.reset_with(english, layout, HashMap::new(), keyed, postings);
    let mut files = memo.files();
    files.push(meta_file(words));
    files
}

/// Every record with its doc id.
fn placed<'r, 'a>(
    layout: &Layout,
    entities: &'r [(EntityKey, Vec<Record<'a>>)],
) -> Vec<(u32, &'r Record<'a>)> {
    entities
        .iter()
        .flat_map(|(_, list)| list)
        .map(|r| (layout.doc_of(&r.url).expect("every record placed"), r))
        .collect()
}

/// The URLs of each entity's records, for the memo.
fn urls_of(entities: &[(EntityKey, Vec<Record>)]) -> HashMap<EntityKey, Vec<Url>> {
    entities
        .iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(key, list)| (key.clone(), list.iter().map(|r| r.url.clone()).collect()))
        .collect()
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
        "perFile": layout::SLOTS_PER_FILE,
    });
    OutputFile::new("search/meta.json", meta.to_string())
}

/// Whether `path` is one of the index's files (`search/meta.json` and the
/// shards in `search/d/`, `search/t/` and `search/x/`), not a page or a
/// file of the content's.
pub(crate) fn is_index_file(path: &str) -> bool {
    let shard = |dir: &str| {
        path.strip_prefix(dir)
            .and_then(|name| name.strip_suffix(".json"))
            .is_some_and(|name| !name.is_empty() && !name.contains('/'))
    };
    path == "search/meta.json"
        || ["search/d/", "search/t/", "search/x/"]
            .into_iter()
            .any(shard)
}

/// Updates the index for the given entities, whose records changed, came
/// or went (an entity no longer in the site has none): only the shards of
/// their terms and their card and snippet files are written again. `None`
/// when the index must be made anew (the site grew or shrank past a change
/// in the number of card files).
pub(crate) fn update(
    site: &Site,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
    keys: &[EntityKey],
    memo: &mut SearchMemo,
) -> Option<Delta> {
    let entities: Vec<(EntityKey, Vec<Record>)> = keys
        .iter()
        .map(|key| {
            let records = site
                .meta_of(key)
                .map(|meta| records_of(site, bodies, key.clone(), meta));
            (key.clone(), records.unwrap_or_default())
        })
        .collect();
    let english = memo.english;
    patch_records(memo, english, &entities)
}

/// Patches the memo's index for the records of the given entities: places
/// those that came and takes out those that went (moving the odd record
/// whose slot they share), and keys again those whose text or result
/// changed. `None`, with the memo untouched, when the layout cannot be
/// patched.
fn patch_records(
    memo: &mut SearchMemo,
    english: bool,
    entities: &[(EntityKey, Vec<Record>)],
) -> Option<Delta> {
    if memo.english != english {
        return None;
    }
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for (key, records) in entities {
        let before = memo.entities.get(key).map_or(&[][..], Vec::as_slice);
        let now: HashSet<&str> = records.iter().map(|r| &*r.url).collect();
        let was: HashSet<&str> = before.iter().map(|u| &**u).collect();
        removed.extend(before.iter().filter(|u| !now.contains(&***u)).cloned());
        added.extend(
            records
                .iter()
                .filter(|r| !was.contains(&*r.url))
                .map(|r| r.url.clone()),
        );
    }
    let moves = memo.layout.update(&removed, &added)?;
    let mut changes = Changes::new();
    for m in &moves {
        if let Some(before) = m.before {
            changes.insert(before, None);
        }
    }
    // Records of other entities that moved to make room: as they were.
    let given: HashSet<&str> = entities
        .iter()
        .flat_map(|(_, list)| list)
        .map(|r| &*r.url)
        .collect();
    for m in moves.iter().filter(|m| !given.contains(&*m.url)) {
        if let (Some(before), Some(after)) = (m.before, m.after) {
            changes.insert(after, memo.keyed(before));
        }
    }
    let placed = placed(&memo.layout, entities);
    let keyed = key_records(&placed, english, &memo.terms, |doc, shown| {
        memo.shown(doc) != Some(shown)
    });
    changes.extend(keyed.into_iter().map(|(doc, k)| (doc, Some(k))));
    for (key, urls) in entities
        .iter()
        .map(|(key, list)| (key, list.iter().map(|r| r.url.clone()).collect::<Vec<_>>()))
    {
        if urls.is_empty() {
            memo.entities.remove(key);
        } else {
            memo.entities.insert(key.clone(), urls);
        }
    }
    Some(memo.apply(changes))
}

/// Keys the records that `wanted` asks for (by doc id and the fingerprint
/// of what the result shows). Only records whose text changed since the
/// last build are tokenised.
fn key_records(
    records: &[(u32, &Record)],
    english: bool,
    known: &HashMap<u64, Terms>,
    wanted: impl Fn(u32, u64) -> bool + Sync,
) -> Vec<(u32, Keyed)> {
    records
        .par_iter()
        .map_init(StemCache::default, |cache, (doc, r)| {
            let text = text_fingerprint(r, english);
            let shown = shown_fingerprint(r, text);
            if !wanted(*doc, shown) {
                return None;
            }
            let terms = known
                .get(&text)
                .cloned()
                .unwrap_or_else(|| Arc::new(term_weights(r, english, cache).into_iter().collect()));
            Some((*doc, keyed_record(r, text, shown, terms)))
        })
        .flatten()
        .collect()
}

/// Keys every record for an index made once (never patched, so with no
/// fingerprints), and puts each record's terms straight into the postings
/// and keeps none in its `Keyed`. Of a term's postings only those its
/// shard could list are kept (`add_postings`): at 100,000 pages every
/// posting of every term is hundreds of MB.
fn key_records_into_postings(
    records: &[(u32, &Record)],
    english: bool,
) -> (Vec<(u32, Keyed)>, Postings) {
    type Part = (Vec<(u32, Keyed)>, Postings);
    let merge = |mut a: Part, b: Part| {
        a.0.extend(b.0);
        for (term, list) in b.1 {
            memo::add_postings(a.1.entry(term).or_default(), list);
        }
        a
    };
    // Each piece lists postings by the number its cache gave the term (an
    // index, where a map of terms would hash and compare the term once
    // per record that has it), and names them when it is done. A cache
    // numbers a term only for a word of the piece's own records, which
    // adds a posting: no list is empty.
    let named = |(keyed, by_number): (Vec<(u32, Keyed)>, Vec<BestPostings>), cache: &StemCache| {
        let postings = by_number
            .into_iter()
            .enumerate()
            .map(|(n, best)| (cache.term(n as u32).clone(), best.into_list()))
            .collect();
        (keyed, postings)
    };
    records
        .par_iter()
        .fold(
            || ((Vec::new(), Vec::new()), StemCache::default()),
            |((mut keyed, mut by_number), mut cache), (doc, r)| {
                for (n, weight) in term_numbers(r, english, &mut cache) {
                    let n = n as usize;
                    if n >= by_number.len() {
                        by_number.resize_with(n + 1, BestPostings::default);
                    }
                    by_number[n].add(memo::posting(r.kind as u8, *doc, weight));
                }
                let record = keyed_record(r, 0, 0, Terms::default());
                keyed.push((*doc, record));
                ((keyed, by_number), cache)
            },
        )
        .map(|(part, cache)| named(part, &cache))
        .reduce(Part::default, merge)
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
        let slots = layout::SLOTS_PER_FILE;
        assert!(script.contains(&format!("var PER_FILE = {slots};")));
    }
}
