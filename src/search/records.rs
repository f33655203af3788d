//! Search records: what each entity or page contributes to the index (one
//! record, and one per heading of a plain page), with weighted fields and
//! the result fragment a query shows.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::markdown::RenderedBody;
use crate::model::*;

const EXCERPT_CHARS: usize = 280;

/// One searchable thing: a page, or a heading inside a plain page.
pub(super) struct Record<'a> {
    /// The URL its result opens: the record's key in the index.
    pub(super) url: super::Url,
    pub(super) title: String,
    /// The kind's search code (`KindInfo::search_code`).
    pub(super) kind: usize,
    pub(super) facet: String,
    pub(super) excerpt: String,
    /// (text, weight) per field: titles weigh more than bodies.
    pub(super) fields: Vec<(Cow<'a, str>, u32)>,
    /// The page body (weight 1), and the fingerprint of its source.
    pub(super) body: &'a str,
    pub(super) body_source: u64,
}

/// What a result shows in a list: `[url, title, kind's search code, facet]`
/// (an array, not an object: these bytes are downloaded, many to a query).
pub(super) fn card_json(r: &Record<'_>) -> String {
    serde_json::to_string(&(&*r.url, &r.title, r.kind, &r.facet)).expect("json")
}

/// The snippet a full results page shows under a card: fetched apart from
/// the card, only for the results in view.
pub(super) fn snippet_json(r: &Record<'_>) -> String {
    serde_json::to_string(&r.excerpt).expect("json")
}

/// Every entity's records.
pub(super) fn records<'a>(
    site: &'a Site,
    bodies: &'a HashMap<EntityKey, Arc<RenderedBody>>,
) -> Vec<(EntityKey, Vec<Record<'a>>)> {
    site.all_metas()
        .into_par_iter()
        .map(|(key, meta)| (key.clone(), records_of(site, bodies, key, meta)))
        .collect()
}

/// The record of one entity or page, and one per heading of a plain page.
pub(super) fn records_of<'a>(
    site: &'a Site,
    bodies: &'a HashMap<EntityKey, Arc<RenderedBody>>,
    key: EntityKey,
    meta: &'a Meta,
) -> Vec<Record<'a>> {
    let mut out = Vec::new();
    let body = bodies.get(&key);
    let body_text = body.map(|b| b.text.as_str()).unwrap_or("");
    let path = site.path_of(&key).expect("path");
    let kind = usize::from(key.kind.info().search_code);
    let (facet, key_fields) = describe(site, &key);
    let headings = body.map(|b| b.headings.as_slice()).unwrap_or(&[]);
    // A role's first key field is its team, which its result shows already.
    let summary = match key_fields
        .first()
        .filter(|f| !f.0.is_empty() && f.0 != facet)
    {
        Some(field) => excerpt(&field.0),
        None => excerpt(&without_headings(body_text, headings)),
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
    for heading in headings {
        fields.push((Cow::Borrowed(heading.text.as_str()), 3));
    }
    out.push(Record {
        url: path.as_str().into(),
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
                url: [path.as_str(), "#", &heading.anchor].concat().into(),
                title: [meta.title.as_str(), " › ", &heading.text].concat(),
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

/// The facet (team or stage), and the kind's key fields.
fn describe(site: &Site, key: &EntityKey) -> (String, Vec<(String, u32)>) {
    let id = key.id.as_str();
    match key.kind {
        Kind::Standard => {
            let s = &site.standards[id];
            (
                String::new(),
                vec![(s.statement.clone(), 4), (s.measures.join(" "), 2)],
            )
        }
        Kind::Mantra => {
            let m = &site.mantras[id];
            (
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
            (stage, vec![])
        }
        Kind::Stage | Kind::Story | Kind::Page => (String::new(), vec![]),
    }
}

/// Titles outweigh everything else, and a short title is a closer match than a
/// long one holding the same word ("Invoice and payment" over "The line on
/// the invoice").
fn title_weight(title: &str) -> u32 {
    let words = title.split_whitespace().count().max(1) as u32;
    10 + 24 / words
}

/// The start of a body's text with its headings left out ("Why it matters
/// Every customer…" becomes "Every customer…"): enough for an excerpt.
fn without_headings<'t>(text: &'t str, headings: &[crate::markdown::Heading]) -> Cow<'t, str> {
    let window = EXCERPT_CHARS * 8;
    let inside = |h: &&crate::markdown::Heading| h.in_text.start < window;
    if !headings.iter().any(|h| inside(&h)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(window);
    let mut at = 0;
    for h in headings.iter().filter(inside) {
        if h.in_text.start >= at && h.in_text.end <= text.len() {
            out.push_str(&text[at..h.in_text.start]);
            out.push(' ');
            at = h.in_text.end;
        }
    }
    let end = text.len().min(at.max(window));
    let end = (end..=text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(text.len());
    out.push_str(&text[at.min(end)..end]);
    Cow::Owned(out)
}

/// The opening of `text`, its runs of white space made one space, cut
/// after a word before `EXCERPT_CHARS` characters with an ellipsis.
fn excerpt(text: &str) -> String {
    // Only the start matters: never walk a whole long body.
    let head = &text[..after_chars(text, EXCERPT_CHARS * 2)];
    // The words are joined until the excerpt is known to be cut: the
    // cut falls within the first `EXCERPT_CHARS` characters.
    let joined = if head.is_ascii() {
        ascii_words(head)
    } else {
        crate::render::text::collapsed(head, EXCERPT_CHARS + 1)
    };
    if joined.chars().count() <= EXCERPT_CHARS {
        return joined;
    }
    let cut = after_chars(&joined, EXCERPT_CHARS);
    let mut excerpt = joined;
    excerpt.truncate(excerpt[..cut].rfind(' ').unwrap_or(cut));
    excerpt.push('…');
    excerpt
}

/// `collapsed(head, EXCERPT_CHARS + 1)` of an ASCII `head`: a byte is a
/// character, so words are found byte by byte, not decoded (a search
/// index makes one excerpt a page).
fn ascii_words(head: &str) -> String {
    // `char::is_whitespace` of the ASCII characters (with U+000B, which
    // `u8::is_ascii_whitespace` leaves out).
    let space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let bytes = head.as_bytes();
    let mut joined = String::with_capacity(EXCERPT_CHARS + 16);
    let mut at = 0;
    while joined.len() <= EXCERPT_CHARS {
        at += bytes[at..].iter().take_while(|b| space(b)).count();
        if at == bytes.len() {
            break;
        }
        let word = bytes[at..].iter().take_while(|b| !space(b)).count();
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(&head[at..at + word]);
        at += word;
    }
    joined
}

/// Where the first `n` characters of `text` end (its end, if it has no
/// more): at `n` when they are all ASCII, as nearly all text is.
fn after_chars(text: &str, n: usize) -> usize {
    if text.len() <= n {
        return text.len();
    }
    if text.as_bytes()[..n].is_ascii() {
        return n;
    }
    text.char_indices()
        .nth(n)
        .map_or(text.len(), |(end, _)| end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt as the whole head's words joined, then cut: what
    /// `excerpt` must give while joining no more than it needs.
    fn joined_then_cut(text: &str) -> String {
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

    #[test]
    fn excerpts_are_the_opening_words_cut_before_the_limit() {
        let word = |w: &str, n: usize| vec![w; n].join(" ");
        let texts = [
            String::new(),
            "  Greet   every\n\ncustomer\tby name.  ".to_string(),
            "x".repeat(EXCERPT_CHARS),
            "x".repeat(EXCERPT_CHARS + 1),
            "é".repeat(EXCERPT_CHARS + 1),
            word("word", EXCERPT_CHARS / 5),
            word("word", EXCERPT_CHARS / 5 + 1),
            word("répondre", 100),
            word("東京", 300),
            format!("{}{}", " ".repeat(EXCERPT_CHARS * 2 - 3), word("late", 200)),
            format!("{} tail", "y".repeat(EXCERPT_CHARS * 2 + 10)),
            format!("{}🙂 {}", "a ".repeat(139), word("b", 10)),
            // The limit reached at a word's end, with words after it.
            format!("{} more", "x".repeat(EXCERPT_CHARS)),
            format!("{} more", word("abc", EXCERPT_CHARS / 4)),
            // Every ASCII space, U+000B and U+000C among them.
            format!("a\u{b}b\u{c}c\rd\te\nf {}", word("g", EXCERPT_CHARS)),
            format!(
                "{}\u{b}\u{b}{}",
                "x".repeat(EXCERPT_CHARS - 1),
                word("y", 5)
            ),
            format!("{} {}", "x".repeat(EXCERPT_CHARS - 1), word("y", 5)),
            format!("{} {}", "x".repeat(EXCERPT_CHARS + 1), word("y", 5)),
            "   ".to_string(),
        ];
        for text in &texts {
            assert_eq!(excerpt(text), joined_then_cut(text), "{text:?}");
            assert!(excerpt(text).chars().count() <= EXCERPT_CHARS + 1);
        }
        assert_eq!(excerpt(&word("word", 100)).chars().last(), Some('…'));
    }
}
