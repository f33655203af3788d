//! The second step of a patch. In a large site an edit's own page and the
//! pages linking to it render in milliseconds, while the pages listing whole
//! kinds (the home, the journey map, a folder of 50,000 guides) take
//! hundreds; so is the export. A session that serves each step as soon as
//! it is done (`Memo::serve_in_two_steps`) shows the page being edited
//! first and the long pages moments later; any other caller has both steps
//! done before its build returns.

use std::collections::HashMap;

use super::patch::keep_files;
use super::{Delta, Memo, Snapshot};
use crate::config::Config;
use crate::model::{Date, EntityKey};
use crate::output::OutputFile;
use crate::render::{Later, PageMemo};
use crate::search::SearchMemo;

/// What a patch's first step left for its second.
pub(crate) struct Pending {
    pub(super) config: Config,
    pub(super) later: Later,
    /// The stamps of the changed files, as the first step rendered with.
    pub(super) stamps: HashMap<String, u64>,
    pub(super) today: Date,
    pub(super) live_reload: bool,
    /// The entities whose entries the export writes again (every one: `None`).
    pub(super) export: Option<Vec<EntityKey>>,
    /// The entities whose search records may change (`None` without search).
    pub(super) search: Option<Vec<EntityKey>>,
    /// Whether the accountability CSV changes (roles, moments or stages did).
    pub(super) accountability: bool,
    /// Whether pages came or went, which the sitemap lists.
    pub(super) sitemap: bool,
}

/// How the second step went.
#[derive(Debug)]
pub enum SecondStep {
    /// `rendered` pages rendered again, and what changed in the files of
    /// the build the first step made.
    Done { rendered: usize, delta: Delta },
    /// The last build is dropped: the next build runs the whole pipeline,
    /// which names the problem.
    Failed,
}

impl Pending {
    /// The files of the second step, and the paths it removed: the long
    /// pages and the export on one side, the files made of the whole model
    /// and the search records on the other.
    fn run(
        self,
        last: &Snapshot,
        pages: &mut PageMemo,
        search: &mut SearchMemo,
    ) -> Option<(usize, Vec<OutputFile>, Vec<String>)> {
        let config = &self.config;
        let input = last.render_input(config, &self.stamps, self.today, self.live_reload);
        let later = self.later;
        let export = self.export.as_deref();
        let (rendered, data) = rayon::join(
            || crate::render::render_later(&last.theme, &input, pages, later, export),
            || {
                let mut files = Vec::new();
                if self.accountability {
                    files.push(crate::render::accountability_file(&last.site, &last.graph));
                }
                files.push(crate::render::feed_file(
                    config,
                    &last.site,
                    &last.graph,
                    &last.changes,
                ));
                let searched = self
                    .search
                    .as_ref()
                    .map(|keys| search_files(config, last, keys, search));
                (files, searched)
            },
        );
        let (mut written, playbook) = rendered.ok()?;
        let count = written.len();
        let (files, searched) = data;
        written.push(playbook);
        written.extend(files);
        let mut removed = Vec::new();
        if let Some((files, gone)) = searched {
            written.extend(files);
            removed = gone;
        }
        Some((count, written, removed))
    }
}

/// The search index's files after the records of `keys` changed, came or
/// went, and the paths of those it no longer has: patched, or made anew
/// when its layout cannot be patched (the site grew past a change in the
/// number of card files).
fn search_files(
    config: &Config,
    last: &Snapshot,
    keys: &[EntityKey],
    memo: &mut SearchMemo,
) -> (Vec<OutputFile>, Vec<String>) {
    if let Some(delta) = crate::search::update(&last.site, &last.bodies, keys, memo) {
        return (delta.written, delta.removed);
    }
    let (language, words) = (&config.language, &config.words);
    let files = crate::search::index(language, words, &last.site, &last.bodies, memo);
    let now: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let gone = last
        .files
        .keys()
        .filter(|path| crate::search::is_index_file(path) && !now.contains(path.as_str()))
        .cloned()
        .collect();
    (files, gone)
}

/// Does the second step of the last patch on the last build
/// (`memo.last`); `None` when no step is pending.
pub fn finish(memo: &mut Memo) -> Option<SecondStep> {
    let pending = memo.pending.take()?;
    let Some(last) = memo.last.as_mut() else {
        return Some(failed(memo));
    };
    let sitemap = pending.sitemap;
    let config = pending.config.clone();
    let Some((rendered, written, removed)) = pending.run(last, &mut memo.pages, &mut memo.search)
    else {
        return Some(failed(memo));
    };
    let mut delta = keep_files(last, written, removed);
    if sitemap {
        delta.written.push(write_sitemap(&config, last));
    }
    Some(SecondStep::Done { rendered, delta })
}

/// A second step that failed: the last build goes, and with it the pages
/// the memo remembers, since the first step took the edit into their
/// fingerprints while the long pages still hold what came before it. The
/// whole pipeline then renders every page again and names the problem.
fn failed(memo: &mut Memo) -> SecondStep {
    memo.last = None;
    memo.pages.forget_pages();
    SecondStep::Failed
}

/// The sitemap of the last build's pages, put into its files.
fn write_sitemap(config: &Config, last: &mut Snapshot) -> OutputFile {
    let assets: std::collections::HashSet<&str> =
        last.site.assets.iter().map(|a| a.path.as_str()).collect();
    let pages = last.files.keys().map(String::as_str);
    let sitemap = crate::render::sitemap_file(config, pages.filter(|p| !assets.contains(p)));
    last.files.insert(sitemap.path.clone(), sitemap.clone());
    sitemap
}
