//! Incremental rebuilds: the layer above the pipeline's stages that keeps
//! what earlier builds produced, so `serve` redoes only the work whose
//! inputs changed. A full build is the same code path with an empty memo.
//!
//! The stages memoise their own work, keyed by fingerprints of its inputs
//! (`load::LoadMemo`, `render::PageMemo`, `search::SearchMemo`); this layer
//! holds those memos together with the rendered bodies (`bodies`) and the
//! last build whole (`Snapshot`), which `patch` updates in place after an
//! edit that touched Markdown bodies alone. It calls the stages; no stage
//! imports it.

mod bodies;
mod fields;
mod later;
mod pages;
mod patch;

pub use crate::render::FirstStep;
pub(crate) use bodies::{BodyMemo, render_bodies};
pub use later::{SecondStep, finish};
pub(crate) use patch::{Patched, patch};

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::fingerprint;
use crate::load::LoadMemo;
use crate::markdown::{LinkIndex, RenderedBody};
use crate::model::{Date, EntityKey, Graph, Site};
use crate::output::OutputFile;
use crate::render::{PageMemo, Theme};
use crate::validate::Finding;

#[derive(Default)]
pub struct Memo {
    /// Keep the whole last build, so a body-only edit can patch it.
    pub(crate) keep_last: bool,
    pub(crate) last: Option<Snapshot>,
    pub(crate) load: LoadMemo,
    pub(crate) bodies: BodyMemo,
    pub(crate) search: crate::search::SearchMemo,
    pub(crate) pages: PageMemo,
    /// The git history, read once per session.
    pub(crate) history: Option<Arc<crate::history::History>>,
    /// Serve each patch in two steps (`later`), the first rendering these
    /// pages: the caller finishes it.
    pub(crate) two_steps: Option<FirstStep>,
    /// The second step of the last patch, until it is done.
    pub(crate) pending: Option<later::Pending>,
    /// The build whose files the caller holds (serve's map): a patch of
    /// it hands back only its `Delta`, not every file again.
    pub(crate) held: Option<u64>,
}

impl Memo {
    /// Paths a watcher saw change: the next build looks at these alone.
    pub fn hint(&mut self, paths: Vec<std::path::PathBuf>) {
        self.load.hint(paths);
    }

    /// Says the caller holds the files of build `generation` and applies
    /// each patch's `Delta` to them, so a patch of that build need not
    /// hand back every file (`Compiled::files` is then left empty).
    pub fn hold_files(&mut self, generation: u64) {
        self.held = Some(generation);
    }

    /// Says the caller serves each patch as soon as its first step is done
    /// and then finishes it (`finish`): the pages `first` leaves out
    /// (serve's: [`FirstStep::SERVE`]) wait for the second step.
    pub fn serve_in_two_steps(&mut self, first: FirstStep) {
        self.two_steps = Some(first);
    }

    /// The memo of a session of rebuilds (serve): it keeps the last build whole.
    pub fn for_session() -> Memo {
        Memo {
            keep_last: true,
            pages: PageMemo::for_session(),
            ..Memo::default()
        }
    }
}

/// The last successful build, whole: the model, the bodies, the theme and
/// every output file, for `patch` to update in place.
pub(crate) struct Snapshot {
    /// Which build this is (`next_generation`), so a `Delta` names what it patches.
    pub(crate) generation: u64,
    /// The configuration, options and day it was built for.
    pub(crate) key: u64,
    pub(crate) site: Site,
    pub(crate) graph: Graph,
    pub(crate) links: LinkIndex,
    pub(crate) bodies: HashMap<EntityKey, Arc<RenderedBody>>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) changes: Arc<crate::changes::ChangeLog>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) theme: Theme,
    pub(crate) files: BTreeMap<String, OutputFile>,
    pub(crate) sources: Arc<HashMap<String, String>>,
    pub(crate) pages: usize,
    /// The navigation bar an edit of bodies alone rendered this build's
    /// pages with, and the build it made (`generation`): until anything
    /// else changes, the next such edit shows the same one.
    pub(crate) nav: Option<(u64, Vec<crate::render::nav::NavItem>)>,
}

impl Snapshot {
    /// What rendering pages of this build again needs, with the stamps of
    /// the files that changed.
    pub(crate) fn render_input<'a>(
        &'a self,
        config: &'a Config,
        stamps: &'a HashMap<String, u64>,
        today: Date,
        live_reload: bool,
    ) -> crate::render::RenderInput<'a> {
        crate::render::RenderInput {
            config,
            stamps,
            changes: &self.changes,
            site: &self.site,
            graph: &self.graph,
            bodies: &self.bodies,
            findings: &self.findings,
            today,
            live_reload,
        }
    }

    /// Works the change log out again from `history`, for entities that
    /// came, went or were dated anew.
    pub(crate) fn rebuild_change_log(
        &mut self,
        history: &crate::history::History,
        content_prefix: &str,
    ) {
        self.changes = Arc::new(crate::changes::ChangeLog::build(
            history,
            &self.site,
            content_prefix,
        ));
    }
}

/// A number no build of this process had before.
pub(crate) fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// What a patch changed in the files of the build it patched, so whoever
/// holds those files (serve's map of ~13,000 at 10k pages) updates them in
/// place instead of taking every file again.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    /// The build the delta applies to.
    pub base: u64,
    /// The build it makes.
    pub generation: u64,
    /// Files added or changed.
    pub written: Vec<OutputFile>,
    /// Paths no longer in the site.
    pub removed: Vec<String>,
}

impl Delta {
    /// This delta followed by `next`, which applies to the build this one
    /// makes: one delta from this one's base to `next`'s build.
    pub(crate) fn then(mut self, next: Delta) -> Delta {
        let later: std::collections::HashSet<&str> = next
            .written
            .iter()
            .map(|f| f.path.as_str())
            .chain(next.removed.iter().map(String::as_str))
            .collect();
        self.written.retain(|f| !later.contains(f.path.as_str()));
        self.removed.retain(|p| !later.contains(p.as_str()));
        self.written.extend(next.written);
        self.removed.extend(next.removed);
        self.generation = next.generation;
        self
    }
}

/// How a build came about, so serve and tests can tell without timing labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    /// Nothing the build reads had changed since the last one (a second
    /// event for a save already built): this is the last build again.
    Unchanged,
    /// Only Markdown bodies changed: the last build was patched in place.
    Patched,
    /// The whole pipeline ran (reusing what the memo allowed).
    Full,
}

impl Rebuild {
    pub fn name(self) -> &'static str {
        match self {
            Rebuild::Unchanged => "unchanged",
            Rebuild::Patched => "patched",
            Rebuild::Full => "full",
        }
    }
}

/// What a build was asked for besides its configuration, as far as its
/// output depends on it.
#[derive(Debug, Clone, Copy, Hash)]
pub(crate) struct Flags {
    pub(crate) drafts: bool,
    pub(crate) strict: bool,
    pub(crate) live_reload: bool,
}

/// What a snapshot was built for: a different key means it cannot be patched.
pub(crate) fn snapshot_key(config: &Config, flags: Flags, today: Date) -> u64 {
    fingerprint(&(
        format!("{config:?}"),
        flags.drafts,
        flags.strict,
        flags.live_reload,
        today,
    ))
}
