//! Body memoisation: every Markdown body rendered once per build, for the
//! page that shows it, and reused from the last build while its text, its
//! page and its link targets' paths and titles stay the same, and nothing
//! it could link to came or went.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::fingerprint::fingerprint;
use crate::markdown::{self, BodyContext, Code, LinkIndex, RenderedBody};
use crate::model::{EntityKey, Meta, Site};

/// Rendered bodies, by entity, with the fingerprint of what they came from,
/// and what links could resolve to when they were rendered.
#[derive(Default)]
pub(crate) struct BodyMemo {
    bodies: HashMap<EntityKey, (u64, Arc<RenderedBody>)>,
    /// `LinkIndex::shape` and `LinkIndex::shape_names` of the last build.
    shape: u64,
    names: HashSet<String>,
    /// How their code blocks were written.
    code: Code,
}

impl BodyMemo {
    pub(crate) fn get(&self, key: &EntityKey) -> Option<&(u64, Arc<RenderedBody>)> {
        self.bodies.get(key)
    }

    pub(crate) fn insert(&mut self, key: EntityKey, body: (u64, Arc<RenderedBody>)) {
        self.bodies.insert(key, body);
    }

    pub(super) fn remove(&mut self, key: &EntityKey) {
        self.bodies.remove(key);
    }

    /// What came or went when targets named `went` (in `shape_names`'
    /// spelling) went and `came` came; `None` when every body must be
    /// rendered again.
    pub(super) fn moved(went: &[String], came: &[String]) -> Option<Moved> {
        let went: HashSet<String> = went.iter().cloned().collect();
        let came: HashSet<String> = came.iter().cloned().collect();
        Moved::between(&went, &came)
    }

    /// Says the memo's bodies are current for `links`, which differs from
    /// the index they were rendered with by the targets named `went` and
    /// `came`.
    pub(super) fn moved_to(&mut self, links: &LinkIndex, went: &[String], came: &[String]) {
        self.shape = links.shape();
        for name in went {
            self.names.remove(name);
        }
        self.names.extend(came.iter().cloned());
    }
}

/// Renders every Markdown body once, for the page that shows it; a body whose
/// text and page are unchanged, and whose link targets kept their paths and
/// titles, comes from the memo: renaming one page re-renders only the bodies
/// linking to it. When a file came or went, a body is reused only if it
/// cannot name what came or went (`Moved`). `code` says how code blocks
/// are written; `keep` whether the memo is kept for another build. Their
/// code is coloured by [`RenderedBodies::finish`].
pub(crate) fn render_bodies(
    config: &Config,
    site: &Site,
    links: &LinkIndex,
    stamps: &HashMap<String, u64>,
    memo: &BodyMemo,
    code: Code,
    keep: bool,
) -> RenderedBodies {
    let shape = links.shape();
    // Only a memo that is kept compares them with the next build's.
    let names = if keep {
        links.shape_names()
    } else {
        HashSet::new()
    };
    let moved = if shape == memo.shape {
        Some(Moved::default())
    } else {
        Moved::between(&memo.names, &names)
    };
    // Fresh bodies leave their code to be coloured all together.
    let first_pass = if code == Code::Highlighted {
        Code::Deferred
    } else {
        code
    };
    let content_prefix = config.content_prefix();
    let rendered: Vec<(EntityKey, u64, Body)> = site
        .all_metas()
        .into_par_iter()
        // In small pieces, so a core free of the theme finds bodies to take.
        .with_max_len(16)
        .filter(|(_, meta)| !meta.body.trim().is_empty())
        .map(|(key, meta)| {
            let input = body_fingerprint(meta, stamps.get(&meta.file));
            // A body that includes files depends on them too: rendered afresh.
            if let Some((then, body)) = memo.get(&key)
                && memo.code == code
                && *then == input
                && !markdown::includes::has_directives(&meta.body)
                && body.targets == links.targets_of(&body.links)
                // Its anchor labels are in the site's language.
                && body.words == config.words.fingerprint()
                && moved.as_ref().is_some_and(|m| m.leaves(&meta.body, body))
            {
                return (key, input, Body::Kept(body.clone()));
            }
            let body = render_body_as(links, config, &content_prefix, meta, input, first_pass);
            (key, input, Body::Fresh(body))
        })
        .collect();
    RenderedBodies {
        rendered,
        shape,
        names,
        code,
        keep,
    }
}

/// Every body of a build, its code not yet coloured: what the search index
/// reads of them (text, headings, links) is final, their HTML is not.
pub(crate) struct RenderedBodies {
    rendered: Vec<(EntityKey, u64, Body)>,
    shape: u64,
    names: HashSet<String>,
    code: Code,
    keep: bool,
}

impl RenderedBodies {
    /// The bodies with their code coloured, by entity; the memo keeps them
    /// for the next build if it is kept.
    pub(crate) fn finish(
        mut self,
        site: &Site,
        links: &LinkIndex,
        config: &Config,
        memo: &mut BodyMemo,
    ) -> HashMap<EntityKey, Arc<RenderedBody>> {
        colour_code(site, links, config, &mut self.rendered);
        let rendered: Vec<(EntityKey, u64, Arc<RenderedBody>)> = self
            .rendered
            .into_iter()
            .map(|(key, input, body)| (key, input, body.shared()))
            .collect();
        // A one-off compile keeps no memo: no build comes after it.
        memo.bodies = if self.keep {
            rendered
                .iter()
                .map(|(k, input, body)| (k.clone(), (*input, body.clone())))
                .collect()
        } else {
            HashMap::new()
        };
        memo.shape = self.shape;
        memo.names = self.names;
        memo.code = self.code;
        rendered.into_iter().map(|(k, _, body)| (k, body)).collect()
    }
}

/// A body from the memo, or one rendered in this build.
enum Body {
    Kept(Arc<RenderedBody>),
    Fresh(RenderedBody),
}

impl Body {
    fn shared(self) -> Arc<RenderedBody> {
        match self {
            Body::Kept(body) => body,
            Body::Fresh(body) => Arc::new(body),
        }
    }
}

/// Colours the code the fresh bodies left pending; a body whose markers
/// its own text disturbed is rendered again, coloured as it goes.
fn colour_code(
    site: &Site,
    links: &LinkIndex,
    config: &Config,
    rendered: &mut [(EntityKey, u64, Body)],
) {
    let mut fresh: Vec<(&EntityKey, u64, &mut RenderedBody)> = rendered
        .iter_mut()
        .filter_map(|(key, input, body)| match body {
            Body::Fresh(body) => Some((&*key, *input, body)),
            _ => None,
        })
        .collect();
    let mut bodies: Vec<&mut RenderedBody> = fresh.iter_mut().map(|(_, _, b)| &mut **b).collect();
    let disturbed = markdown::colour_pending(&mut bodies);
    for at in disturbed {
        let (key, input, body) = &mut fresh[at];
        let meta = site.meta_of(key).expect("a rendered body's entity");
        **body = render_body(links, config, meta, *input);
    }
}

/// The names of what links could resolve to that came or went since the
/// last build (a new guide, a deleted one), lower-cased: every way a body
/// can link to a file or entity (`[[id]]`, `[[kind/id]]`, `id.md`,
/// `../id/`, a picture's file name) spells out its last name. A body that
/// spells none of them, with no `%` escape, no broken link and no include,
/// renders the same as before.
#[derive(Default)]
pub(super) struct Moved {
    names: Vec<String>,
}

impl Moved {
    /// `None` when something came or went that a link can reach without
    /// naming it (a folder's `_index.md` is `./`), or an external prefix
    /// changed: then every body is rendered again.
    fn between(before: &HashSet<String>, after: &HashSet<String>) -> Option<Moved> {
        let mut names: Vec<String> = before
            .symmetric_difference(after)
            .map(|entry| last_name(entry))
            .collect::<Option<_>>()?;
        names.sort();
        names.dedup();
        Some(Moved { names })
    }

    /// Whether a body as rendered before is untouched by what moved.
    pub(super) fn leaves(&self, text: &str, body: &RenderedBody) -> bool {
        self.leaves_body(body) && self.leaves_text(text)
    }

    /// `leaves`, as far as the body's text tells.
    pub(super) fn leaves_text(&self, text: &str) -> bool {
        let Some((first, rest)) = self.names.split_first() else {
            return true;
        };
        // The text is read once for the first name and `%` together: a
        // site's bodies are read whole after a page comes or goes.
        !(contains_ignoring_case(text, first, Some(b'%'))
            || rest
                .iter()
                .any(|name| contains_ignoring_case(text, name, None)))
    }

    /// `leaves`, as far as the body as rendered tells: one with a broken
    /// link may name what came.
    pub(super) fn leaves_body(&self, body: &RenderedBody) -> bool {
        self.names.is_empty() || !body.diagnostics.iter().any(|d| d.is_error())
    }
}

/// Whether `text` holds `name` (ASCII lower case), whatever the case of
/// its ASCII letters, or the byte `or`, without copying `text`: the bodies
/// of a whole site are searched after a page comes or goes.
fn contains_ignoring_case(text: &str, name: &str, or: Option<u8>) -> bool {
    let (text, name) = (text.as_bytes(), name.as_bytes());
    // Looked for by its last digit when it has one (`guide-00274`): rarer
    // in prose than any letter.
    let Some(anchor) = name
        .iter()
        .rposition(u8::is_ascii_digit)
        .or((!name.is_empty()).then_some(0))
    else {
        return true;
    };
    let byte = name[anchor];
    let third = or.unwrap_or(byte);
    memchr::memchr3_iter(byte, byte.to_ascii_uppercase(), third, text).any(|at| {
        or == Some(text[at])
            || at
                .checked_sub(anchor)
                .and_then(|start| text.get(start..start + name.len()))
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
    })
}

/// The last name of a `LinkIndex::shape_names` entry (`guides/faq.md` ->
/// `faq`), lower-cased, if every link to it must spell it out.
fn last_name(entry: &str) -> Option<String> {
    let (what, name) = entry.split_once('\t')?;
    if what == "external" {
        return None;
    }
    let last = name.trim_end_matches('/').rsplit('/').next()?;
    let last = last
        .strip_suffix(".md")
        .or_else(|| last.strip_suffix(".markdown"))
        .unwrap_or(last)
        .to_ascii_lowercase();
    let plain = last
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let nameless = matches!(last.as_str(), "" | "index" | "_index" | "readme");
    (plain && !nameless).then_some(last)
}

/// What a rendered body depends on, besides its link targets and what
/// links can resolve to: its file's stamp, its page, where it starts.
pub(super) fn body_fingerprint(meta: &Meta, stamp: Option<&u64>) -> u64 {
    fingerprint(&(stamp, &meta.id, meta.path.as_str(), meta.body_line))
}

/// Renders the body of one entity (whose `meta` it is) for its own page.
pub(super) fn render_body(
    links: &LinkIndex,
    config: &Config,
    meta: &Meta,
    source: u64,
) -> RenderedBody {
    let content_prefix = config.content_prefix();
    render_body_as(
        links,
        config,
        &content_prefix,
        meta,
        source,
        Code::Highlighted,
    )
}

/// The same, with its code blocks written as `code` says; `content_prefix`
/// is `config.content_prefix()`, worked out once for every body.
fn render_body_as(
    links: &LinkIndex,
    config: &Config,
    content_prefix: &str,
    meta: &Meta,
    source: u64,
    code: Code,
) -> RenderedBody {
    let ctx = BodyContext {
        page_path: meta.path.as_str(),
        file: &meta.file,
        source: meta
            .file
            .strip_prefix(content_prefix)
            .filter(|s| s.ends_with(".md")),
        first_line: meta.body_line,
        content_dir: Some(&config.content_dir),
        title_anchor: meta.title_anchor.as_deref(),
        words: &config.words,
        code,
    };
    let body = markdown::render(&meta.body, links, &ctx);
    let targets = links.targets_of(&body.links);
    // A body that includes files shows more than its own file: what it
    // shows is part of what it was rendered from (its code blocks, still
    // to colour, with their languages).
    let source = if markdown::includes::has_directives(&meta.body) {
        fingerprint(&(source, targets, &body.html, &body.text, &body.pending_code))
    } else {
        fingerprint(&(source, targets))
    };
    RenderedBody {
        source,
        targets,
        ..body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_in_a_body_whatever_its_case() {
        let has = |text, name| contains_ignoring_case(text, name, None);
        assert!(has("See [[Guides/Zebra]].", "zebra"));
        assert!(has("zebra", "zebra"));
        assert!(!has("See the zebr", "zebra"));
        assert!(!has("Zébra", "zebra"));
        assert!(has("[[Guide-00274]]", "guide-00274"));
        assert!(has("00274 guide-00274", "guide-00274"));
        assert!(!has("4 guide-0027", "guide-00274"));
        assert!(
            !has("50% of guide-0027", "guide-00274"),
            "% alone is no name"
        );
    }

    #[test]
    fn a_body_with_a_name_that_moved_or_a_percent_escape_is_rendered_again() {
        let moved = Moved {
            names: vec!["guide-00274".into(), "zebra".into()],
        };
        assert!(moved.leaves_text("Nothing here but guide-0027 and 4."));
        assert!(!moved.leaves_text("See [[Guide-00274]]."));
        assert!(!moved.leaves_text("See [[guides/zebra]]."));
        assert!(!moved.leaves_text("See [the FAQ](f%61q.md)."));
        assert!(Moved::default().leaves_text("[[guide-00274]] 100%"));
    }
}
