//! Search: a sharded index built from the model, so a query downloads only
//! the term shards it needs and the handful of result fragments it shows.
//!
//! Layout under `search/`:
//! - `t/<hex of the term's first two characters>.json`: `{term: [doc, weight, kind, …]}`,
//!   each term's postings best first and capped, so common words stay small;
//! - `d/<doc / 16>.json`: the results of sixteen consecutive docs (url, title,
//!   kind, facet, excerpt), so a page of results is a few small fetches
//!   without writing one file per heading.
//!
//! The tokeniser (`fold`, `stem`) is mirrored exactly in `search.js`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::RenderedBody;
use crate::memo::{FastMap, fingerprint};
use crate::model::*;
use crate::output::OutputFile;

/// Postings kept per term: enough to rank well, small enough to download.
const MAX_POSTINGS: usize = 120;
const EXCERPT_CHARS: usize = 280;
/// Result fragments per file: few files to write, little to fetch per result.
pub const FRAGMENTS_PER_FILE: usize = 16;

/// The kinds, in the order their index is written into postings.
pub const KINDS: [&str; 8] = [
    "standard", "mantra", "role", "persona", "moment", "story", "page", "stage",
];

/// How much each kind's matches count, in tenths: what people act on
/// (standards, roles, moments) ranks above the stories that illustrate them.
const KIND_PRIOR: [u32; 8] = [12, 11, 12, 10, 11, 8, 10, 10];

/// One searchable thing: a page, or a heading inside a plain page.
struct Record<'a> {
    url: String,
    title: String,
    kind: usize,
    facet: String,
    excerpt: String,
    /// (text, weight) per field: titles weigh more than bodies.
    fields: Vec<(Cow<'a, str>, u32)>,
    /// The page body (weight 1), and the fingerprint of its source.
    body: &'a str,
    body_source: u64,
}

/// What a result shows: url, title, kind, facet, excerpt (short keys: these
/// bytes are downloaded).
#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    k: &'static str,
    f: &'a str,
    x: &'a str,
}

impl<'a> Fragment<'a> {
    fn of(r: &'a Record<'_>) -> Fragment<'a> {
        Fragment {
            u: &r.url,
            t: &r.title,
            k: KINDS[r.kind],
            f: &r.facet,
            x: &r.excerpt,
        }
    }
}

/// A posting: doc id, weight, kind index.
type Posting = (u32, u32, u8);
/// A term, shared between the records, postings and caches that hold it.
type Term = Arc<str>;
type Postings = FastMap<Term, Vec<Posting>>;
type Terms = Arc<FastMap<Term, u32>>;

/// One record, keyed: what its text and its result fingerprint to, its terms
/// and the JSON of its result fragment.
struct Keyed {
    text: u64,
    shown: u64,
    kind: u8,
    terms: Terms,
    fragment: String,
}

/// The index of the last build, kept by `serve` so an edit updates only the
/// shards and fragment files its records touch.
#[derive(Default)]
pub struct SearchMemo {
    english: bool,
    /// Terms of each record, by the fingerprint of its text.
    terms: HashMap<u64, Terms>,
    /// Per doc id: fingerprint of its text (the key of its terms) and of
    /// what its result shows, its kind, and its fragment's JSON.
    texts: Vec<u64>,
    docs: Vec<u64>,
    kinds: Vec<u8>,
    fragments: Vec<String>,
    /// The doc ids of each entity's records.
    ranges: HashMap<EntityKey, std::ops::Range<usize>>,
    /// Every posting, untruncated, by term.
    postings: Postings,
    /// Shard files by the two-character term prefix they hold.
    shards: BTreeMap<String, OutputFile>,
    buckets: Vec<OutputFile>,
}

/// The index files an update wrote, and the paths of those it removed.
#[derive(Default)]
pub struct Delta {
    pub written: Vec<OutputFile>,
    pub removed: Vec<String>,
}

/// Builds the index files for the whole site.
pub fn index(
    language: &str,
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
    memo.files()
}

/// Updates the index for entities whose records changed but kept their
/// number (a body edit): only their terms' shards and their fragment files
/// are written again. `None` when the records cannot be patched in place.
pub fn update(
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
                fragment: serde_json::to_string(&Fragment::of(r)).expect("json"),
            };
            Some((doc, keyed))
        })
        .flatten()
        .collect()
}

impl SearchMemo {
    /// Starts over from every record: all postings, shards and fragment files.
    fn reset(
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
    fn apply(&mut self, changed: Vec<(usize, Keyed)>) -> Delta {
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

    fn files(&self) -> Vec<OutputFile> {
        self.shards.values().chain(&self.buckets).cloned().collect()
    }
}

fn posting(kind: u8, doc: usize, weight: u32) -> Posting {
    (doc as u32, weight * KIND_PRIOR[kind as usize] / 10, kind)
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

/// Every record, in entity order, and the doc ids of each entity's records.
fn records<'a>(
    site: &'a Site,
    bodies: &'a HashMap<EntityKey, Arc<RenderedBody>>,
) -> (Vec<Record<'a>>, HashMap<EntityKey, std::ops::Range<usize>>) {
    let per_entity: Vec<(EntityKey, Vec<Record>)> = site
        .all_metas()
        .into_par_iter()
        .map(|(key, meta)| (key.clone(), records_of(site, bodies, key, meta)))
        .collect();
    let mut ranges = HashMap::with_capacity(per_entity.len());
    let mut records = Vec::with_capacity(per_entity.len());
    for (key, list) in per_entity {
        ranges.insert(key, records.len()..records.len() + list.len());
        records.extend(list);
    }
    (records, ranges)
}

/// How many records a body gives its entity: one, and one per heading of a
/// plain page. Doc ids stay put only while this does not change.
pub fn records_per_body(key: &EntityKey, body: &RenderedBody) -> usize {
    match key.kind {
        Kind::Page => 1 + body.headings.iter().filter(|h| h.level <= 3).count(),
        _ => 1,
    }
}

/// The record of one entity or page, and one per heading of a plain page.
fn records_of<'a>(
    site: &'a Site,
    bodies: &'a HashMap<EntityKey, Arc<RenderedBody>>,
    key: EntityKey,
    meta: &'a Meta,
) -> Vec<Record<'a>> {
    let mut out = Vec::new();
    let body = bodies.get(&key);
    let body_text = body.map(|b| b.text.as_str()).unwrap_or("");
    let path = site.path_of(&key).expect("path");
    let (kind, facet, key_fields) = describe(site, &key);
    let summary = match key_fields.first().filter(|f| !f.0.is_empty()) {
        Some(field) => excerpt(&field.0),
        None => excerpt(body_text),
    };
    let mut fields: Vec<(Cow<str>, u32)> = vec![
        (
            Cow::Borrowed(meta.title.as_str()),
            title_weight(&meta.title),
        ),
        (Cow::Owned(meta.id.replace(['-', '_', '/'], " ")), 8),
    ];
    fields.extend(
        key_fields
            .into_iter()
            .map(|(text, weight)| (Cow::Owned(text), weight)),
    );
    let headings = body.map(|b| b.headings.as_slice()).unwrap_or(&[]);
    for heading in headings {
        fields.push((Cow::Borrowed(heading.text.as_str()), 3));
    }
    out.push(Record {
        url: path.clone(),
        title: meta.title.clone(),
        kind,
        facet,
        excerpt: summary,
        fields,
        body: body_text,
        body_source: body.map_or(0, |b| b.source),
    });
    if key.kind == Kind::Page {
        for heading in headings.iter().filter(|h| h.level <= 3) {
            out.push(Record {
                url: format!("{path}#{}", heading.anchor),
                title: format!("{} › {}", meta.title, heading.text),
                kind,
                facet: meta.title.clone(),
                excerpt: String::new(),
                fields: vec![(Cow::Borrowed(heading.text.as_str()), 6)],
                body: "",
                body_source: 0,
            });
        }
    }
    out
}

/// The kind index, the facet (team or stage), and the kind's key fields.
fn describe(site: &Site, key: &EntityKey) -> (usize, String, Vec<(String, u32)>) {
    let id = key.id.as_str();
    let kind = |name: &str| KINDS.iter().position(|k| *k == name).expect("known kind");
    match key.kind {
        Kind::Standard => {
            let s = &site.standards[id];
            (
                kind("standard"),
                String::new(),
                vec![(s.statement.clone(), 4), (s.measures.join(" "), 2)],
            )
        }
        Kind::Mantra => {
            let m = &site.mantras[id];
            (
                kind("mantra"),
                String::new(),
                vec![(m.text.clone(), 6), (m.meaning.clone(), 3)],
            )
        }
        Kind::Role => {
            let r = &site.roles[id];
            let behaviours: Vec<String> = r
                .behaviours
                .iter()
                .map(|b| format!("{} {}", b.do_, b.dont))
                .collect();
            (
                kind("role"),
                r.team.clone(),
                vec![
                    (r.team.clone(), 4),
                    (behaviours.join(" "), 2),
                    (r.onboarding.join(" "), 1),
                ],
            )
        }
        Kind::Persona => {
            let p = &site.personas[id];
            let claims: Vec<&str> = p
                .loves
                .iter()
                .chain(&p.hates)
                .map(|c| c.text.as_str())
                .collect();
            (
                kind("persona"),
                String::new(),
                vec![
                    (p.quote.clone(), 3),
                    (claims.join(" "), 3),
                    (p.name.clone(), 4),
                ],
            )
        }
        Kind::Moment => {
            let m = &site.moments[id];
            let stage = site
                .stages
                .get(&m.stage)
                .map(|s| s.meta.title.clone())
                .unwrap_or_default();
            (kind("moment"), stage, vec![])
        }
        Kind::Stage => (kind("stage"), String::new(), vec![]),
        Kind::Story => (kind("story"), String::new(), vec![]),
        Kind::Page => (kind("page"), String::new(), vec![]),
    }
}

/// Titles outweigh everything else, and a short title is a closer match than a
/// long one holding the same word ("Invoice and payment" over "The line on
/// the invoice").
fn title_weight(title: &str) -> u32 {
    let words = title.split_whitespace().count().max(1) as u32;
    10 + 24 / words
}

fn excerpt(text: &str) -> String {
    // Only the start matters: never walk a whole long body.
    let head = match text.char_indices().nth(EXCERPT_CHARS * 2) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let text = head.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a))
}

/// Each term of a record with its weight: field weight per occurrence, capped
/// so one long body cannot outweigh a title.
/// Each raw word's term, worked out once per thread: most words recur.
type StemCache = FastMap<String, Option<Term>>;

/// Each term of a record with its weight: field weight per occurrence (at
/// most three counted), so one long body cannot outweigh a title.
fn term_weights(record: &Record, english: bool, cache: &mut StemCache) -> FastMap<Term, u32> {
    let mut weights: FastMap<Term, u32> = FastMap::default();
    let fields = record.fields.iter().map(|(t, w)| (t.as_ref(), *w));
    for (text, weight) in fields.chain([(record.body, 1)]) {
        let mut seen_here: FastMap<&str, u32> = FastMap::default();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let count = seen_here.entry(word).or_default();
            *count = (*count + 1).min(3);
        }
        for (word, count) in seen_here {
            let term = match cache.get(word) {
                Some(term) => term.clone(),
                None => {
                    let term = term_of(word, english);
                    cache.insert(word.to_string(), term.clone());
                    term
                }
            };
            if let Some(term) = term {
                *weights.entry(term).or_default() += weight * count;
            }
        }
    }
    weights
}

fn term_of(word: &str, english: bool) -> Option<Term> {
    let folded = fold(word);
    let term = if english { stem(&folded) } else { folded };
    (term.chars().count() >= 2).then(|| Term::from(term))
}

/// Lower-cased, accent-folded, stemmed words of at least two characters.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| stem(&fold(w)))
        .filter(|w| w.chars().count() >= 2)
}

/// Lower case without accents: `Référent` -> `referent`.
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(strip_accent)
        .collect()
}

fn strip_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => 'g',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'ř' | 'ŕ' | 'ŗ' => 'r',
        'ť' | 'ţ' => 't',
        c => c,
    }
}

/// A light English stemmer: plural, -ing, -ed and a final -e go, so "refunds",
/// "refunded" and "refunding" meet at "refund". Mirrored in `search.js`.
pub fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 3 || !chars.iter().all(|c| c.is_ascii_alphabetic()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    let len = chars.len();
    if (w.ends_with("ies") || w.ends_with("ied")) && len > 4 {
        w.truncate(len - 3);
        w.push('y');
    } else if w.ends_with("ing") && len >= 6 {
        w.truncate(len - 3);
    } else if w.ends_with("ed") && len >= 5 {
        w.truncate(len - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(len - 1);
    }
    if w.ends_with('e') && w.len() > 4 {
        w.pop();
    }
    let b = w.as_bytes();
    let n = b.len();
    if n > 4 && b[n - 1] == b[n - 2] && !b"aeiouylsz".contains(&b[n - 1]) {
        w.pop();
    }
    w
}

/// The shard of a term: hex of the UTF-8 bytes of its first two characters.
/// The first two characters of a term: which shard holds it.
fn prefix(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

pub fn shard_key(term: &str) -> String {
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
    fn word_forms_meet_at_one_stem() {
        for (forms, root) in [
            (
                &["refund", "refunds", "refunded", "refunding"][..],
                "refund",
            ),
            (&["delivery", "deliveries"][..], "delivery"),
            (&["chase", "chased", "chasing", "chases"][..], "chas"),
            (&["onboarding", "onboard"][..], "onboard"),
            (&["stopping", "stop"][..], "stop"),
        ] {
            for form in forms {
                assert_eq!(stem(form), root, "{form}");
            }
        }
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("bus"), "bus");
    }

    #[test]
    fn case_and_accents_fold() {
        assert_eq!(fold("Référent"), "referent");
        assert_eq!(
            tokens("Café, CAFÉS!").collect::<Vec<_>>(),
            vec!["cafe", "cafe"]
        );
    }

    #[test]
    fn the_page_script_reads_fragments_in_the_same_groups() {
        let script = include_str!("../themes/default/static/search.js");
        assert!(script.contains(&format!("var PER_FILE = {FRAGMENTS_PER_FILE};")));
    }

    #[test]
    fn shard_keys_are_file_name_safe() {
        assert_eq!(shard_key("refund"), "7265");
        assert_eq!(shard_key("é"), "c3a9");
    }
}
