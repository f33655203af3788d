//! Patching the last build after body edits: the quick rebuild. The model, the graph and every page's
//! links depend on front matter and on where bodies link, never on the rest
//! of a body's text. So when every changed file kept its front matter and its
//! body still links to the same places, the last build is patched instead of
//! redone: those bodies are rendered again, then the pages that showed them,
//! then their search records. Any other edit takes the whole pipeline (which
//! reuses what it can through the memo).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::bodies::{body_fingerprint, render_body};
use super::{Delta, Flags, Memo, Rebuild, SecondStep, Snapshot, snapshot_key};
use crate::config::Config;
use crate::load::Refresh;
use crate::markdown::RenderedBody;
use crate::model::{Date, EntityKey, Kind};
use crate::output::OutputFile;
use crate::timer::Timer;

/// How a patch went: the last build (now in `Memo::last`) was either still
/// current (`Rebuild::Unchanged`) or patched in place (`Rebuild::Patched`).
#[derive(Debug, Clone)]
pub(crate) struct Patched {
    pub(crate) rebuild: Rebuild,
    /// Pages rendered again.
    pub(crate) rendered: usize,
    /// What changed in the last build's files.
    pub(crate) delta: Delta,
}

impl Patched {
    /// The last build again, untouched.
    pub(super) fn unchanged(last: &Snapshot) -> Patched {
        Patched {
            rebuild: Rebuild::Unchanged,
            rendered: 0,
            delta: Delta {
                base: last.generation,
                generation: last.generation,
                ..Delta::default()
            },
        }
    }
}

/// Patches the last build (`memo.last`), or `None` when the edit needs the
/// whole pipeline. Both steps of the patch are done unless the memo's
/// caller finishes the second itself (`Memo::serve_in_two_steps`) and it
/// has long pages to render.
pub(crate) fn patch(
    config: &Config,
    flags: Flags,
    memo: &mut Memo,
    refresh: &Refresh,
    timer: &mut Timer,
) -> Option<Patched> {
    // A second step its caller left undone: the build it makes is not the
    // one the caller holds, so this patch hands back every file.
    if let Some(SecondStep::Failed) = super::finish(memo) {
        return None;
    }
    let mut patched = patch_first(config, flags, memo, refresh, timer)?;
    // Without long pages the second step is quick: a build of its own
    // would only make open pages reload twice.
    let long_pages = memo.pending.as_ref().is_some_and(|p| !p.later.is_empty());
    if memo.two_steps.is_none() || !long_pages {
        match super::finish(memo) {
            Some(SecondStep::Done { rendered, delta }) => {
                patched.rendered += rendered;
                patched.delta = patched.delta.then(delta);
                timer.lap("later");
            }
            Some(SecondStep::Failed) => return None,
            None => {}
        }
    }
    Some(patched)
}

/// The first step of a patch of the last build (`memo.last`): what remains
/// is left in `memo.pending`. `None` when the edit needs the whole pipeline.
/// Nothing in `memo` changes before every check has passed; should a later
/// step still fail (a template error), what it already updated is correct
/// for the new content, and the whole pipeline takes over from there.
fn patch_first(
    config: &Config,
    flags: Flags,
    memo: &mut Memo,
    refresh: &Refresh,
    timer: &mut Timer,
) -> Option<Patched> {
    let last = memo.last.as_mut()?;
    if last.key != snapshot_key(config, flags, Date::today()) {
        return None;
    }
    if !refresh.bodies_only {
        if super::pages::came_or_went(memo, refresh) {
            return super::pages::patch(config, flags, memo, refresh, timer);
        }
        return super::fields::patch(config, flags, memo, refresh, timer);
    }
    if refresh.changed.is_empty() && !refresh.beyond_content {
        return Some(Patched::unchanged(last));
    }
    if refresh.beyond_content
        && crate::render::Theme::load(config).ok()?.fingerprint != last.theme.fingerprint
    {
        return None;
    }
    let mut stamps = HashMap::new();
    let mut edits = Vec::new();
    for path in &refresh.changed {
        let key = last.links.entity_at(path)?.clone();
        let body = memo.load.body_of(path)?;
        if body == last.site.meta_of(&key)?.body {
            // Saved again as it was: nothing to redo.
            continue;
        }
        let mut meta = last.site.meta_of(&key)?.clone();
        meta.body = body.to_string();
        let stamp = memo.load.stamp_of(path)?;
        stamps.insert(meta.file.clone(), stamp);
        edits.push((key, meta, stamp));
    }
    if edits.is_empty() && !refresh.beyond_content {
        return Some(Patched::unchanged(last));
    }
    let links = &last.links;
    let bodies: Vec<(EntityKey, u64, RenderedBody)> = edits
        .par_iter()
        .map(|(key, meta, stamp)| {
            let source = body_fingerprint(meta, Some(stamp));
            let body = render_body(links, config, meta, source);
            (key.clone(), source, body)
        })
        .collect();
    for ((key, meta, _), (_, _, body)) in edits.iter().zip(&bodies) {
        let before = last.bodies.get(key)?;
        let same_links = before.links == body.links;
        let clean = before.diagnostics.is_empty() && body.diagnostics.is_empty();
        if meta.body.trim().is_empty() || !same_links || !clean {
            return None;
        }
    }
    timer.lap("markdown");

    // Every check passed: from here on the last build is updated in place.
    let keys: Vec<EntityKey> = edits.iter().map(|(key, _, _)| key.clone()).collect();
    for ((key, meta, _), (_, source, body)) in edits.into_iter().zip(bodies) {
        let body = Arc::new(body);
        last.site.meta_mut(&key).expect("known entity").body = meta.body;
        last.bodies.insert(key.clone(), body.clone());
        memo.bodies.insert(key, (source, body));
    }
    // A body does not show in the navigation bar (titles and paths do):
    // the one of the last edit of bodies alone holds while nothing else
    // changed since.
    let nav = match last.nav.take() {
        Some((generation, nav)) if generation == last.generation => nav,
        _ => crate::render::nav::nav(&last.site, config),
    };
    let input = last.render_input(config, &stamps, Date::today(), flags.live_reload);
    let (pages, nav) =
        crate::render::rerender(&last.theme, &input, &mut memo.pages, &keys, nav).ok()?;
    let rendered = pages.len();
    timer.lap("render");
    let mut written = pages;
    // The export carries the bodies of every kind but plain pages, as written.
    let kinds: std::collections::BTreeSet<Kind> = keys.iter().map(|k| k.kind).collect();
    if kinds.iter().any(|k| *k != Kind::Page) {
        written.push(memo.pages.playbook(&input, Some(&keys)));
    }
    let mut removed = Vec::new();
    if config.search {
        let delta = crate::search::update(&last.site, &last.bodies, &keys, &mut memo.search)?;
        removed = delta.removed;
        written.extend(delta.written);
        timer.lap("search");
    }
    let delta = keep_files(last, written, removed);
    last.nav = Some((last.generation, nav));
    Some(Patched {
        rebuild: Rebuild::Patched,
        rendered,
        delta,
    })
}

/// Puts files a patch wrote into the last build, and takes out those it
/// removed: a new build, whose `Delta` from the last one is returned. A
/// content file at a generated page's path wins, as in a whole build.
pub(super) fn keep_files(
    last: &mut Snapshot,
    written: Vec<OutputFile>,
    removed: Vec<String>,
) -> Delta {
    let mut delta = Delta {
        base: last.generation,
        generation: super::next_generation(),
        written: Vec::with_capacity(written.len()),
        removed: Vec::new(),
    };
    for path in removed {
        if last.files.remove(&path).is_some() {
            delta.removed.push(path);
        }
    }
    for file in written {
        if !last.site.assets.iter().any(|a| a.path == file.path) {
            last.files.insert(file.path.clone(), file.clone());
            delta.written.push(file);
        }
    }
    last.generation = delta.generation;
    delta
}
