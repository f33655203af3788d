//! Body memoisation: every Markdown body rendered once per build, for the
//! page that shows it, and reused from the last build while its text, its
//! page and its link targets' paths and titles stay the same.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::fingerprint::fingerprint;
use crate::markdown::{self, BodyContext, LinkIndex, RenderedBody};
use crate::model::{EntityKey, Meta, Site};

/// Rendered bodies, by entity, with the fingerprint of what they came from.
pub(crate) type BodyMemo = HashMap<EntityKey, (u64, Arc<RenderedBody>)>;

/// Renders every Markdown body once, for the page that shows it; a body whose
/// text and page are unchanged, and whose link targets kept their paths and
/// titles, comes from the memo: renaming one page re-renders only the bodies
/// linking to it.
pub(crate) fn render_bodies(
    config: &Config,
    site: &Site,
    links: &LinkIndex,
    stamps: &HashMap<String, u64>,
    memo: &mut BodyMemo,
) -> HashMap<EntityKey, Arc<RenderedBody>> {
    let shape = links.shape();
    let rendered: Vec<(EntityKey, u64, Arc<RenderedBody>)> = site
        .all_metas()
        .into_par_iter()
        .filter(|(_, meta)| !meta.body.trim().is_empty())
        .map(|(key, meta)| {
            let input = body_fingerprint(site, &key, meta, stamps.get(&meta.file), shape);
            // A body that includes files depends on them too: rendered afresh.
            if let Some((then, body)) = memo.get(&key)
                && *then == input
                && !markdown::includes::has_directives(&meta.body)
                && body.targets == links.targets_of(&body.links)
                // Its anchor labels are in the site's language.
                && body.words == config.words.fingerprint()
            {
                return (key, input, body.clone());
            }
            let body = render_body(site, links, config, &key, meta, input);
            (key, input, Arc::new(body))
        })
        .collect();
    *memo = rendered
        .iter()
        .map(|(k, input, body)| (k.clone(), (*input, body.clone())))
        .collect();
    rendered.into_iter().map(|(k, _, body)| (k, body)).collect()
}

/// What a rendered body depends on, besides its link targets: its file's
/// stamp, its page, where it starts, and what links can resolve to.
pub(super) fn body_fingerprint(
    site: &Site,
    key: &EntityKey,
    meta: &Meta,
    stamp: Option<&u64>,
    shape: u64,
) -> u64 {
    let page_path = site.path_of(key).expect("entity has a path");
    fingerprint(&(stamp, &meta.id, &page_path, meta.body_line, shape))
}

/// Renders the body of one entity for its own page.
pub(super) fn render_body(
    site: &Site,
    links: &LinkIndex,
    config: &Config,
    key: &EntityKey,
    meta: &Meta,
    source: u64,
) -> RenderedBody {
    let page_path = site.path_of(key).expect("entity has a path");
    let content_prefix = config.content_prefix();
    let ctx = BodyContext {
        page_path: &page_path,
        file: &meta.file,
        source: meta
            .file
            .strip_prefix(&content_prefix)
            .filter(|s| s.ends_with(".md")),
        first_line: meta.body_line,
        content_dir: Some(&config.content_dir),
        title_anchor: meta.title_anchor.as_deref(),
        words: &config.words,
    };
    let body = markdown::render(&meta.body, links, &ctx);
    let targets = links.targets_of(&body.links);
    RenderedBody {
        source: fingerprint(&(source, targets)),
        targets,
        ..body
    }
}
