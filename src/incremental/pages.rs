//! Patching the last build after plain pages came or went: a new guide, a
//! deleted one, or one renamed (it goes from one address and comes at
//! another). A plain page is listed only by the home, health and change-log
//! pages and its section, and shown in search, so those are redone, with
//! the page itself, the bodies that could name it, the findings and the
//! change log. Anything else (an entity of another kind, a page others
//! link to, a section with pages below it, a problem) takes the whole
//! pipeline.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::bodies::{BodyMemo, Moved};
use super::bodies::{body_fingerprint, render_body};
use super::fields::diagnostics_with;
use super::later::Pending;
use super::patch::{Patched, keep_files};
use super::{Flags, Memo, Rebuild, Snapshot};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::Refresh;
use crate::markdown::RenderedBody;
use crate::model::{Date, EntityKey, Kind, Meta, Site};
use crate::output::index_html;
use crate::render::FirstStep;
use crate::timer::Timer;

/// Whether every changed file is a Markdown file that came or went (what
/// this patch handles), rather than one that changed.
pub(super) fn came_or_went(memo: &Memo, refresh: &Refresh) -> bool {
    let Some(last) = memo.last.as_ref() else {
        return false;
    };
    !refresh.changed.is_empty()
        && refresh.changed.iter().all(|path| {
            let known = last.links.entity_at(path).is_some();
            let there = memo.load.stamp_of(path).is_some();
            known != there
        })
}

/// Patches the last build (`memo.last`, already checked to match the
/// configuration) for plain pages that came or went, or `None` when the
/// edit needs the whole pipeline. Nothing changes before the edit is known
/// to fit; a step failing after that drops the last build.
pub(super) fn patch(
    config: &Config,
    flags: Flags,
    memo: &mut Memo,
    refresh: &Refresh,
    timer: &mut Timer,
) -> Option<Patched> {
    let last = memo.last.as_ref()?;
    if refresh.beyond_content || !last.site.partial.is_empty() {
        return None;
    }
    let mut went = Vec::new();
    let mut came = Site::default();
    for path in &refresh.changed {
        match last.links.entity_at(path) {
            Some(key) => went.push(removable(last, key)?),
            None => {
                let raw = memo.load.raw_of(path)?;
                let (model, problems) = crate::resolve::resolve_within(raw, &last.site);
                let mut model = addable(last, model, problems, flags)?;
                let (id, page) = model.pages.pop_first()?;
                came.pages.insert(id, page);
            }
        }
    }
    let patched = apply(config, flags, memo, went, came, timer);
    if patched.is_none() {
        memo.last = None;
    }
    patched
}

/// The key of a page that went, if nothing else needs it: a plain page
/// no body links to, with no pages below it, and no problem but findings.
fn removable(last: &Snapshot, key: &EntityKey) -> Option<EntityKey> {
    if key.kind != Kind::Page || last.graph.mentions.get(key).is_some_and(|m| !m.is_empty()) {
        return None;
    }
    let meta = last.site.meta_of(key)?;
    let below = crate::model::graph::of(&last.graph.page_children, &meta.path.to_string());
    if !below.is_empty() || crate::model::is_generated_page(meta.path.as_str()) {
        return None;
    }
    (!reported(last, &meta.file)).then(|| key.clone())
}

/// Whether the last build reported a problem about `file` besides findings
/// (those are worked out again).
fn reported(last: &Snapshot, file: &str) -> bool {
    let findings: HashSet<&Diagnostic> = last.findings.iter().map(|f| &f.diagnostic).collect();
    last.diagnostics
        .iter()
        .any(|d| d.file == file && !findings.contains(d))
}

/// The model of a file that came, if it is one plain page, resolved without
/// a problem, at an id and an address nothing else has.
fn addable(last: &Snapshot, model: Site, problems: Vec<Diagnostic>, flags: Flags) -> Option<Site> {
    if !problems.is_empty() || !model.partial.is_empty() || model.pages.len() != 1 {
        return None;
    }
    if model.all_metas().len() != 1 || !model.assets.is_empty() {
        return None;
    }
    let page = model.pages.values().next()?;
    let meta = &page.meta;
    let out = index_html(meta.path.as_str());
    let taken = last.site.pages.contains_key(&meta.id)
        || last
            .links
            .path_and_title(&EntityKey::new(Kind::Page, &meta.id))
            .is_some()
        || shares_a_name(last, &out)
        || crate::model::is_generated_page(meta.path.as_str());
    let shown = flags.drafts || !meta.draft;
    (!taken && shown).then_some(model)
}

/// Whether a file of the last build (an asset among them) is `out`, holds
/// the name of a folder `out` needs, or lies inside `out` itself: a clash
/// the pipeline names.
fn shares_a_name(last: &Snapshot, out: &str) -> bool {
    let inside = format!("{out}/");
    let assets = last.site.assets.iter().map(|a| a.path.as_str());
    let mut files = last.files.keys().map(String::as_str).chain(assets);
    files.any(|file| {
        file.starts_with(&inside)
            || out
                .strip_prefix(file)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Takes the pages that went out of the last build and puts those that
/// came in, then redoes what shows them.
fn apply(
    config: &Config,
    flags: Flags,
    memo: &mut Memo,
    went: Vec<EntityKey>,
    mut came: Site,
    timer: &mut Timer,
) -> Option<Patched> {
    let content_prefix = config.content_prefix();
    let last = memo.last.as_mut()?;
    let came_keys: Vec<EntityKey> = came
        .pages
        .keys()
        .map(|id| EntityKey::new(Kind::Page, id))
        .collect();
    let mut removed = Vec::new();
    // The names links could spell them by, for the bodies that could name them.
    let mut names_went = Vec::new();
    let mut names_came = Vec::new();
    let mut went_metas = Vec::new();
    for key in &went {
        names_went.extend(last.links.names_of(key));
        last.links.remove(key);
        let path = last.site.path_of(key)?;
        removed.push(index_html(&path));
        went_metas.push(last.site.pages.remove(key.id.as_str())?.meta);
        if let Some(body) = last.bodies.remove(key) {
            for target in &body.links {
                if let Some(sources) = last.graph.mentions.get_mut(target) {
                    sources.remove(key);
                }
            }
        }
        memo.bodies.remove(key);
    }
    for key in &came_keys {
        last.site.take_entity(&mut came, key)?;
        last.links.add_page(&last.site, key, &content_prefix);
        names_came.extend(last.links.names_of(key));
    }
    let came_metas: Vec<Meta> = came_keys
        .iter()
        .filter_map(|key| Some(last.site.meta_of(key)?.clone()))
        .collect();
    let came_ids: Vec<&str> = came_keys.iter().map(|k| k.id.as_str()).collect();
    last.graph.move_pages(&last.site, &went_metas, &came_ids);
    timer.lap("model");

    let names = BodyMemo::moved(&names_went, &names_came)?;
    let naming = bodies_naming(&last.site, &last.bodies, &names);
    let stamp_of = |file: &str| {
        file.strip_prefix(&content_prefix)
            .and_then(|rel| memo.load.stamp_of(rel))
    };
    let (site, links) = (&last.site, &last.links);
    let bodies: Vec<(EntityKey, u64, crate::markdown::RenderedBody)> = naming
        .iter()
        .chain(&came_keys)
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|key| {
            let meta = site.meta_of(key)?;
            if meta.body.trim().is_empty() {
                return None;
            }
            let stamp = stamp_of(&meta.file);
            let source = body_fingerprint(meta, stamp.as_ref());
            let body = render_body(links, config, meta, source);
            Some((key.clone(), source, body))
        })
        .collect();
    for (key, _, body) in &bodies {
        let unchanged_links = last.bodies.get(key).is_none_or(|b| b.links == body.links);
        if !body.diagnostics.is_empty() || !unchanged_links {
            return None;
        }
    }
    let mut changed: Vec<EntityKey> = went.iter().chain(&came_keys).cloned().collect();
    for (key, source, body) in bodies {
        if came_keys.contains(&key) {
            last.graph.add_mentions(&key, &body.links);
        }
        let body = Arc::new(body);
        last.bodies.insert(key.clone(), body.clone());
        memo.bodies.insert(key.clone(), (source, body));
        changed.push(key);
    }
    changed.sort();
    changed.dedup();
    memo.bodies.moved_to(&last.links, &names_went, &names_came);
    timer.lap("markdown");

    let today = Date::today();
    // Of the fields findings read, only plain pages' came or went.
    let pages: Vec<EntityKey> = went.iter().chain(&came_keys).cloned().collect();
    let findings =
        crate::validate::refreshed(&last.site, &last.graph, today, &last.findings, &pages);
    let diagnostics = findings
        .as_ref()
        .map(|findings| diagnostics_with(&last.diagnostics, &last.findings, findings));
    let nav = crate::render::nav::check(&last.site, config);
    let nav_known = nav.iter().all(|d| last.diagnostics.contains(d));
    let fails = |d: &Diagnostic| d.is_error() || flags.strict;
    if !nav_known
        || diagnostics
            .as_ref()
            .unwrap_or(&last.diagnostics)
            .iter()
            .any(fails)
    {
        return None;
    }
    if let (Some(findings), Some(diagnostics)) = (findings, diagnostics) {
        last.findings = findings;
        last.diagnostics = diagnostics;
    }
    timer.lap("validate");
    // The change log names a page only through its file's history or its
    // `updated:` date.
    let history = memo.history.clone()?;
    let noted = |meta: &Meta| meta.updated.is_some() || in_history(&history, &meta.file);
    if went_metas.iter().chain(&came_metas).any(noted) {
        last.rebuild_change_log(&history, &content_prefix);
        timer.lap("history");
    }

    let stamps: HashMap<String, u64> = changed
        .iter()
        .filter_map(|key| {
            let file = &last.site.meta_of(key)?.file;
            Some((file.clone(), stamp_of(file)?))
        })
        .collect();
    let input = last.render_input(config, &stamps, today, flags.live_reload);
    let update = memo
        .pages
        .update(&last.theme, &input, &changed, &came_keys, &went)?;
    let (pages, later) = crate::render::render_update_first(
        &last.theme,
        &input,
        &mut memo.pages,
        update,
        memo.two_steps.unwrap_or(FirstStep::ALL),
        &came_keys,
    )
    .ok()?;
    let rendered = pages.len();
    timer.lap("render");
    let sources = Arc::make_mut(&mut last.sources);
    for path in &removed {
        sources.remove(path);
    }
    for key in &came_keys {
        let path = last.site.path_of(key)?;
        let file = last.site.meta_of(key)?.file.clone();
        sources.insert(index_html(&path), file);
    }
    last.pages = last.pages + came_keys.len() - went.len();
    memo.pending = Some(Pending {
        config: config.clone(),
        later,
        stamps,
        today,
        live_reload: flags.live_reload,
        export: Some(changed.clone()),
        search: config.search.then_some(changed),
        accountability: false,
        sitemap: true,
    });
    Some(Patched {
        rebuild: Rebuild::Patched,
        rendered,
        delta: keep_files(last, pages, removed),
    })
}

/// Whether the history tells of `file`, or of a file that could be the
/// same page's (the same last name).
fn in_history(history: &crate::history::History, file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name);
    history.last_changed.contains_key(file)
        || history.deleted_titles.contains_key(file)
        || history
            .commits
            .iter()
            .flat_map(|c| &c.files)
            .any(|f| f.path.contains(stem))
}

/// The rendered bodies that could name what came or went (`names`): those
/// whose text spells a name, and those that `Moved::leaves` never passes
/// over. Every body's text is searched, site order, without looking each
/// entity up by its key.
fn bodies_naming(
    site: &Site,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
    names: &Moved,
) -> Vec<EntityKey> {
    let metas: Vec<(Kind, &str, &Meta)> = site.metas().collect();
    let spelling = metas
        .par_iter()
        .with_min_len(256)
        .filter(|(_, _, meta)| !names.leaves_text(&meta.body))
        .map(|(kind, id, _)| EntityKey::new(*kind, *id))
        .filter(|key| bodies.contains_key(key))
        .collect::<Vec<_>>();
    let unsure = bodies
        .iter()
        .filter(|(_, body)| !names.leaves_body(body))
        .map(|(key, _)| key.clone());
    let mut naming: Vec<EntityKey> = spelling.into_iter().chain(unsure).collect();
    naming.sort();
    naming.dedup();
    naming
}
