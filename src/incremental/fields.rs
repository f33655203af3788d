//! Patching the last build after front-matter edits: a title, an `owns:`
//! list, a behaviour, a persona's claims. Such an edit changes one entity of
//! the model and nothing about which entities there are or where they live,
//! so the model is patched for that entity alone (resolved against the rest
//! of the site), and what shows it is redone: its body and the bodies
//! linking to it, the cross-reference graph, the findings and the change
//! log (each a quick pass over the model), the pages that showed it or what
//! it refers to, before or after, the pages listing whole kinds when what
//! they list changed, and the search records of what changed. An edit that
//! adds, removes, renames or moves an entity, changes a YAML list or the
//! navigation, or brings a problem takes the whole pipeline.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::bodies::{body_fingerprint, render_body};
use super::later::Pending;
use super::patch::{Patched, keep_files};
use super::{Flags, Memo, Rebuild, Snapshot};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{LoadMemo, Refresh};
use crate::markdown::RenderedBody;
use crate::model::{Date, EntityKey, Kind, Site};
use crate::render::FirstStep;
use crate::timer::Timer;

/// One changed file's entity, resolved on its own.
struct Edit {
    key: EntityKey,
    /// A site holding the new entity alone.
    model: Site,
}

/// Patches the last build (`memo.last`, already checked to match the
/// configuration) after edits to front matter, or `None` when the edit
/// needs the whole pipeline. Nothing changes before the edit is known to
/// fit; a step failing after that drops the last build, and the pipeline
/// takes over from the memo.
pub(super) fn patch(
    config: &Config,
    flags: Flags,
    memo: &mut Memo,
    refresh: &Refresh,
    timer: &mut Timer,
) -> Option<Patched> {
    let last = memo.last.as_ref()?;
    if refresh.beyond_content || refresh.changed.is_empty() || !last.site.partial.is_empty() {
        return None;
    }
    let edits = refresh
        .changed
        .iter()
        .map(|path| resolve_edit(memo, last, path))
        .collect::<Option<Vec<Edit>>>()?;
    let patched = apply(config, flags, memo, edits, timer);
    if patched.is_none() {
        memo.last = None;
    }
    patched
}

/// The entity of the Markdown file at `path` (under `content/`), resolved
/// against the last build's site, if it is the same entity at the same
/// address as before and resolved without a problem.
fn resolve_edit(memo: &Memo, last: &Snapshot, path: &str) -> Option<Edit> {
    let key = last.links.entity_at(path)?.clone();
    let raw = memo.load.raw_of(path)?;
    let (model, problems) = crate::resolve::resolve_within(raw, &last.site);
    if !problems.is_empty() || !model.partial.is_empty() {
        return None;
    }
    let (before, after) = (last.site.meta_of(&key)?, model.meta_of(&key)?);
    let same_place = before.path == after.path && before.file == after.file;
    let same_body = before.body.trim().is_empty() == after.body.trim().is_empty();
    if !same_place || before.draft != after.draft || !same_body {
        return None;
    }
    // Problems reported about the file before, besides findings, would
    // have to go; the pipeline knows which.
    let findings: HashSet<&Diagnostic> = last.findings.iter().map(|f| &f.diagnostic).collect();
    let reported = last
        .diagnostics
        .iter()
        .any(|d| d.file == before.file && !findings.contains(d));
    (!reported).then_some(Edit { key, model })
}

/// Puts the edited entities into the last build and redoes what shows them.
fn apply(
    config: &Config,
    flags: Flags,
    memo: &mut Memo,
    edits: Vec<Edit>,
    timer: &mut Timer,
) -> Option<Patched> {
    let last = memo.last.as_mut()?;
    let mut changed: Vec<EntityKey> = Vec::new();
    let mut redated = false;
    // Each edited role as it was, for the graph to take its links out.
    let mut roles_before = Vec::new();
    for mut edit in edits {
        if edit.key.kind == Kind::Role {
            let id = edit.key.id.as_str();
            let (id, role) = last.site.roles.get_key_value(id)?;
            roles_before.push((id.clone(), role.clone()));
        }
        let before = last.site.meta_of(&edit.key)?.updated;
        redated |= edit.model.meta_of(&edit.key)?.updated != before;
        last.site.take_entity(&mut edit.model, &edit.key)?;
        let title = &last.site.meta_of(&edit.key)?.title;
        last.links.retitle(&edit.key, title);
        changed.push(edit.key);
    }
    // The entities whose fields changed: findings read nothing else.
    let edited = changed.clone();
    // Bodies link where they linked before (checked below, for every body
    // rendered again), so who mentions whom is as it was.
    // A page stays in its folder (`resolve_edit`): only its place among
    // the folder's pages may move.
    let kinds: BTreeSet<Kind> = changed
        .iter()
        .map(|k| k.kind)
        .filter(|kind| !matches!(kind, Kind::Page | Kind::Role))
        .collect();
    last.graph.refresh(&last.site, &kinds);
    for (id, before) in &roles_before {
        last.graph.relink_role(&last.site, id, before);
    }
    let pages: Vec<&str> = changed
        .iter()
        .filter(|k| k.kind == Kind::Page)
        .map(|k| k.id.as_str())
        .collect();
    last.graph.reorder_pages(&last.site, &pages);
    timer.lap("model");

    // The edited bodies, and the bodies whose links show an edited title.
    let mut linking: Vec<EntityKey> = changed.clone();
    for key in &changed {
        if let Some(sources) = last.graph.mentions.get(key) {
            linking.extend(sources.iter().cloned());
        }
    }
    linking.sort();
    linking.dedup();
    let content_prefix = config.content_prefix();
    let stamp_of = |load: &LoadMemo, file: &str| {
        file.strip_prefix(&content_prefix)
            .and_then(|rel| load.stamp_of(rel))
    };
    let bodies = rerender_bodies(config, memo, &linking, &stamp_of)?;
    let last = memo.last.as_mut()?;
    for (key, _, body) in &bodies {
        let before = last.bodies.get(key)?;
        let clean = before.diagnostics.is_empty() && body.diagnostics.is_empty();
        if before.links != body.links || !clean {
            return None;
        }
    }
    for (key, source, body) in bodies {
        let body = Arc::new(body);
        last.bodies.insert(key.clone(), body.clone());
        memo.bodies.insert(key.clone(), (source, body));
        changed.push(key);
    }
    changed.sort();
    changed.dedup();
    timer.lap("markdown");

    let today = Date::today();
    let findings =
        crate::validate::refreshed(&last.site, &last.graph, today, &last.findings, &edited);
    if let Some(findings) = findings {
        let diagnostics = diagnostics_with(&last.diagnostics, &last.findings, &findings);
        last.findings = findings;
        last.diagnostics = diagnostics;
    }
    if last
        .diagnostics
        .iter()
        .any(|d| d.is_error() || flags.strict)
    {
        return None;
    }
    timer.lap("validate");
    // The change log reads the history, which entities live in which
    // files (as before), and their `updated:` dates.
    if redated {
        let history = memo.history.clone()?;
        last.rebuild_change_log(&history, &content_prefix);
        timer.lap("history");
    }

    let stamps: HashMap<String, u64> = changed
        .iter()
        .filter_map(|key| {
            let file = &last.site.meta_of(key)?.file;
            Some((file.clone(), stamp_of(&memo.load, file)?))
        })
        .collect();
    let input = last.render_input(config, &stamps, today, flags.live_reload);
    let update = memo.pages.update(&last.theme, &input, &changed, &[], &[])?;
    let (pages, later) = crate::render::render_update_first(
        &last.theme,
        &input,
        &mut memo.pages,
        update,
        memo.two_steps.unwrap_or(FirstStep::ALL),
        &edited,
    )
    .ok()?;
    let rendered = pages.len();
    timer.lap("render");
    let kinds: BTreeSet<Kind> = changed.iter().map(|k| k.kind).collect();
    memo.pending = Some(Pending {
        config: config.clone(),
        later,
        stamps,
        today,
        live_reload: flags.live_reload,
        // Every entity's date comes from the change log.
        export: (!redated).then(|| changed.clone()),
        search: config.search.then(|| search_keys(&last.site, &changed)),
        accountability: kinds
            .iter()
            .any(|k| matches!(k, Kind::Role | Kind::Moment | Kind::Stage)),
        sitemap: false,
    });
    Some(Patched {
        rebuild: Rebuild::Patched,
        rendered,
        delta: keep_files(last, pages, Vec::new()),
    })
}

/// Renders the bodies of `keys` again where what they come from changed
/// (their text, or the titles their links show): each with its memo key.
fn rerender_bodies(
    config: &Config,
    memo: &Memo,
    keys: &[EntityKey],
    stamp_of: &(dyn Fn(&LoadMemo, &str) -> Option<u64> + Sync),
) -> Option<Vec<(EntityKey, u64, RenderedBody)>> {
    let last = memo.last.as_ref()?;
    let (site, links) = (&last.site, &last.links);
    keys.par_iter()
        .filter_map(|key| {
            let meta = site.meta_of(key)?;
            if meta.body.trim().is_empty() {
                return None;
            }
            let stamp = stamp_of(&memo.load, &meta.file);
            let source = body_fingerprint(meta, stamp.as_ref());
            let reusable = memo.bodies.get(key).is_some_and(|(then, body)| {
                *then == source && body.targets == links.targets_of(&body.links)
            });
            (!reusable).then(|| {
                Some((
                    key.clone(),
                    source,
                    render_body(links, config, meta, source),
                ))
            })
        })
        .collect()
}

/// The last build's diagnostics with its findings replaced by `findings`,
/// in order.
pub(super) fn diagnostics_with(
    diagnostics: &[Diagnostic],
    before: &[crate::validate::Finding],
    findings: &[crate::validate::Finding],
) -> Vec<Diagnostic> {
    let mut old: HashMap<&Diagnostic, usize> = HashMap::new();
    for f in before {
        *old.entry(&f.diagnostic).or_default() += 1;
    }
    let mut out: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| match old.get_mut(d) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect();
    out.extend(findings.iter().map(|f| f.diagnostic.clone()));
    crate::diagnostics::sort(&mut out);
    out
}

/// The entities whose search records may show what changed: their own, and
/// a stage's moments (a moment's result names its stage).
fn search_keys(site: &Site, changed: &[EntityKey]) -> Vec<EntityKey> {
    let mut keys = changed.to_vec();
    for key in changed.iter().filter(|k| k.kind == Kind::Stage) {
        keys.extend(
            site.moments
                .iter()
                .filter(|(_, m)| m.stage.as_str() == key.id)
                .map(|(id, _)| EntityKey::new(Kind::Moment, id.as_str())),
        );
    }
    keys.sort();
    keys.dedup();
    keys
}
