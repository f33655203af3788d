//! Render: every page of the site, through tera templates and typed views, in
//! parallel, reusing pages whose inputs did not change (`memo`).
//!
//! - `theme`: templates and static files from every theme layer;
//! - `views`: the borrowing views templates see, and the `Linker`;
//! - `pages`: one view per entity page and the kind lists;
//! - `role`: a role's page around its moments, and its onboarding path;
//! - `overviews`: journey map, accountability, health; `home`: the launcher;
//! - `changes`: the change log as a page, an Atom feed and the home's latest;
//! - `edit`: each page's "edit this page" and "report a problem" links;
//! - `export`: `/playbook.json`, the playbook as data for other tools;
//! - `chart`: the love−hate curves; `text`: plurals, summaries, excerpts;
//! - `planned`: every page before it is rendered, to render a chosen few.

pub(crate) mod changes;
pub(crate) mod chart;
pub(crate) mod edit;
pub(crate) mod export;
pub(crate) mod home;
mod memo;
pub(crate) mod nav;
pub(crate) mod overviews;
pub(crate) mod pages;
mod planned;
pub(crate) mod role;
pub(crate) mod text;
mod theme;
pub(crate) mod views;
pub(crate) mod words;

use memo::MemoPage;
pub(crate) use memo::PageMemo;
pub(crate) use planned::{PageSet, PlannedPage};
use theme::template_error;
pub(crate) use theme::{Assets, Theme};

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::changes::ChangeLog;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::{RenderedBody, root_prefix};
use crate::model::*;
use crate::output::{OutputFile, index_html};
use crate::validate::Finding;
use views::{Doc, Linker};

/// Makes the hash seeds of tera's hash maps on the thread that makes
/// them. Each (a `for` loop's variables, among others) takes a seed
/// from ahash's source, by default one counter every thread adds to: a
/// cache line both cores write for every map. The seeds' random keys stay
/// ahash's; only the per-map variation is counted per thread. Called
/// before any map is made (a later call changes nothing).
pub fn seed_template_maps_per_thread() {
    let _ = ahash::random_state::set_random_source(PerThreadSeeds);
}

/// ahash's per-map variation, counted on each thread.
struct PerThreadSeeds;

impl ahash::random_state::RandomSource for PerThreadSeeds {
    fn gen_hasher_seed(&self) -> usize {
        thread_local! {
            static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        NEXT.with(|next| {
            // Threads start apart: each from the address of its own counter.
            let seed = match next.get() {
                0 => std::ptr::from_ref(next) as usize,
                seed => seed,
            };
            next.set(seed.wrapping_add(SEED_STEP));
            seed
        })
    }
}

/// Between one map's seed and the next's on a thread: odd, so a thread's
/// next seeds differ from the ones before.
const SEED_STEP: usize = 0x9e37_79b9_7f4a_7c15_u64 as usize;

/// Everything rendering reads: the finished model, bodies and findings.
pub(crate) struct RenderInput<'a> {
    pub config: &'a Config,
    /// A fingerprint of each source file's size and modification time.
    pub stamps: &'a HashMap<String, u64>,
    /// What changed when (git history and `updated:` dates).
    pub changes: &'a ChangeLog,
    pub site: &'a Site,
    pub graph: &'a Graph,
    pub bodies: &'a HashMap<EntityKey, std::sync::Arc<RenderedBody>>,
    pub findings: &'a [Finding],
    pub today: Date,
    /// Serve mode: pages get the live-reload script.
    pub live_reload: bool,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    robots: &'a str,
    search: bool,
    nav: Vec<nav::NavItem>,
    assets: &'a Assets,
    generator: &'static str,
    /// The messages the scripts show, as JSON.
    words: words::ScriptWords,
}

/// What a template knows about the page it renders.
#[derive(Serialize)]
struct Frame {
    title: String,
    path: String,
    root: String,
    canonical: String,
    section: String,
    description: String,
    live_reload: bool,
    /// "Edit this page": the source file on the code host (`[site] edit-url`).
    edit_url: Option<String>,
    /// "Report a problem" (`[site] feedback-url`).
    feedback_url: Option<String>,
}

/// A page to render: where it goes, with which template and view.
#[derive(Clone)]
enum Job {
    Home,
    List(Kind),
    Entity(EntityKey),
    Onboarding(RoleId),
    Journey,
    Accountability,
    Health,
    Changes,
    Search,
    NotFound,
}

impl Job {
    /// The site path the page is rendered for (links are relative to it).
    fn path(&self, site: &Site) -> String {
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::List(kind) => format!("{}/", kind.folder()),
            Job::Journey => "journey/".into(),
            Job::Accountability => "accountability/".into(),
            Job::Health => "health/".into(),
            Job::Changes => "changes/".into(),
            Job::Search => "search/".into(),
            Job::Onboarding(id) => format!("roles/{id}/onboarding/"),
            Job::Entity(key) => site.path_of(key).expect("entity has a path"),
        }
    }

    fn out_path(&self, site: &Site) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            job => index_html(&job.path(site)),
        }
    }

    /// Pages that list whole kinds, so an added or removed entity changes
    /// them; a persona's page draws its curve along the whole journey.
    fn is_global(&self) -> bool {
        match self {
            Job::Home
            | Job::List(_)
            | Job::Journey
            | Job::Accountability
            | Job::Health
            | Job::Changes => true,
            Job::Entity(key) => key.kind == Kind::Persona,
            _ => false,
        }
    }
}

/// Takes each page as soon as it is rendered (a build writes it out), so
/// no page's bytes need be held until the whole site is rendered.
pub(crate) type PageSink<'s> = &'s (dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync);

/// What rendering made: the files it kept, the paths of the pages it gave
/// to the sink (or left unrendered), and how many pages were actually rendered.
pub(crate) struct Rendered {
    pub files: Vec<OutputFile>,
    pub sunk: Vec<String>,
    pub fresh: usize,
}

/// Renders every page (reusing what `memo` allows). With a `sink`, each page
/// goes to it instead of into the files, the memo keeps nothing, and the
/// export is left to the caller (`write_playbook`).
pub(crate) fn render_site(
    theme: &Theme,
    input: &RenderInput,
    memo: &mut PageMemo,
    sink: Option<PageSink>,
) -> Result<Rendered, Diagnostic> {
    let jobs = jobs(input.site);
    let site_view = site_view(theme, input.config, input.site);
    // A memo that keeps nothing (a one-off build) has no page to reuse and
    // no use for what each page showed: no plan, no records.
    let keep = sink.is_none();
    let renderer = PageRenderer::new(theme, input, &site_view, keep);
    let plan = keep.then(|| memo.plan(theme, input));
    let fresh = std::sync::atomic::AtomicUsize::new(0);
    let render_pages = |memo: &PageMemo| {
        // In small pieces: the search index is built beside, and a core
        // that finishes it must find pages left to take, not a quarter of
        // the site held by the other core till its end.
        jobs.par_iter()
            .with_max_len(PAGES_PER_TASK)
            .map(|job| {
                let out = job.out_path(input.site);
                let reusable = plan
                    .as_ref()
                    .and_then(|plan| plan.reusable(memo, &out, job));
                let page = match reusable {
                    Some(page) => page.clone(),
                    None => {
                        fresh.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let global = plan.as_ref().map_or(0, |plan| plan.globals.of(job));
                        let before = plan.as_ref().and_then(|plan| plan.before(memo, &out));
                        renderer.remembered(job, global, before)?
                    }
                };
                match sink {
                    Some(sink) => sink(page.file).map(|()| (out, None)),
                    None => Ok((out, Some(page))),
                }
            })
            .collect::<Result<Vec<(String, Option<MemoPage>)>, Diagnostic>>()
    };
    // The files made of the whole model are made beside the pages, each
    // by one core: left to the end, they would leave the other idle. A
    // build (with a sink) writes the export itself (`write_playbook`).
    let work = |memo: &PageMemo| {
        rayon::join(
            || render_pages(memo),
            || site_data(input.config, input.site, input.graph, input.changes),
        )
    };
    let ((rendered, data), playbook) = match sink {
        Some(_) => (work(memo), None),
        None => {
            let (done, file) = memo.playbook_alongside(input, None, work);
            (done, Some(file))
        }
    };
    let rendered = rendered?;
    let (kept, sunk): (Vec<_>, Vec<_>) = rendered.into_iter().partition(|(_, p)| p.is_some());
    let kept: Vec<(String, MemoPage)> = kept
        .into_iter()
        .filter_map(|(out, page)| Some((out, page?)))
        .collect();
    let sunk: Vec<String> = sunk.into_iter().map(|(out, _)| out).collect();
    let mut files: Vec<OutputFile> = kept.iter().map(|(_, p)| p.file.clone()).collect();
    if let Some(plan) = plan {
        memo.remember(plan, kept);
    }
    files.extend(theme.statics.iter().cloned());
    files.extend(data);
    files.extend(playbook);
    let paths = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(sunk.iter().map(String::as_str));
    let sitemap = sitemap(&input.config.base_url, paths);
    files.push(OutputFile::new(SITEMAP, sitemap));
    Ok(Rendered {
        files,
        sunk,
        fresh: fresh.into_inner(),
    })
}

/// At most this many pages go to a core at once (`render_site`).
const PAGES_PER_TASK: usize = 8;

/// The paths of the files made of the whole model rather than of one page.
const ACCOUNTABILITY_CSV: &str = "accountability/accountability.csv";
const FEED: &str = "changes.xml";
pub(crate) const PLAYBOOK: &str = "playbook.json";
const SITEMAP: &str = "sitemap.xml";

/// Writes `/playbook.json` to `out`, for a build that keeps no memo and
/// writes it out itself when it suits (`render_site` leaves it to a build
/// with a sink).
pub(crate) fn write_playbook(
    input: &RenderInput,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    export::write_playbook(input.config, input.site, input.graph, input.changes, out)
}

/// The files made of the whole model rather than of one page, besides the
/// export: the accountability matrix as CSV and the change log's feed.
fn site_data(config: &Config, site: &Site, graph: &Graph, changes: &ChangeLog) -> [OutputFile; 2] {
    [
        accountability_file(site, graph),
        feed_file(config, site, graph, changes),
    ]
}

/// The accountability matrix as CSV: roles, moments and stages.
pub(crate) fn accountability_file(site: &Site, graph: &Graph) -> OutputFile {
    OutputFile::new(
        ACCOUNTABILITY_CSV,
        overviews::accountability_csv(site, graph),
    )
}

/// The change log's Atom feed.
pub(crate) fn feed_file(
    config: &Config,
    site: &Site,
    graph: &Graph,
    changes: &ChangeLog,
) -> OutputFile {
    OutputFile::new(
        FEED,
        changes::feed(
            config,
            changes,
            &Linker::new(site, graph, &config.words, String::new()),
        ),
    )
}

/// Renders again every page that showed the body of one of `keys`, after an
/// edit that changed only their bodies (so no link, title or path changed anywhere).
/// The memo is updated only when every page rendered. Returns the new files.
///
/// `nav` is the site's navigation bar (`nav::nav`), which the caller may
/// keep between edits of bodies alone: every page shows it, and making it
/// goes through every plain page. It is handed back with the files.
pub(crate) fn rerender(
    theme: &Theme,
    input: &RenderInput,
    memo: &mut PageMemo,
    keys: &[EntityKey],
    nav: Vec<nav::NavItem>,
) -> Result<(Vec<OutputFile>, Vec<nav::NavItem>), Diagnostic> {
    let site_view = site_view_with(theme, input.config, nav);
    let renderer = PageRenderer::new(theme, input, &site_view, true);
    let mut fresh: Vec<(String, MemoPage)> = memo
        .showing(keys)
        .into_par_iter()
        .map(|(out, before)| {
            Ok((
                out.to_string(),
                renderer.remembered(&before.job, before.globals, None)?,
            ))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let files = new_files(memo, &mut fresh);
    memo.replace(input, keys, fresh);
    Ok((files, site_view.nav))
}

/// What a patch's first step renders besides the pages of the entities
/// edited (or come), which it always renders: pages the edit made stale,
/// up to a number, the shortest first, and none longer than a length.
#[derive(Debug, Clone, Copy)]
pub struct FirstStep {
    /// Pages whose last output was longer wait for the second step.
    pub longest: usize,
    /// At most this many pages; the others wait.
    pub pages: usize,
}

impl FirstStep {
    /// Serve's. A sample-sized site has no page past 64 KB; at 10,000
    /// pages the home and the overviews are half a megabyte each, and no
    /// other page is 32 KB. A persona's claim shows on a thousand pages
    /// at 100,000: 200 of them render in about 20 ms.
    pub const SERVE: FirstStep = FirstStep {
        longest: 64 * 1024,
        pages: 200,
    };

    /// Every page, in one step.
    pub(crate) const ALL: FirstStep = FirstStep {
        longest: usize::MAX,
        pages: usize::MAX,
    };
}

/// The pages of an update [`render_update_first`] left, and the navigation
/// they show: to render after the others, and `/playbook.json` with them.
pub(crate) struct Later {
    stale: Vec<memo::Stale>,
    nav: Vec<nav::NavItem>,
}

impl Later {
    pub(crate) fn is_empty(&self) -> bool {
        self.stale.is_empty()
    }
}

/// Renders again the pages an update makes stale (`PageMemo::update`), and
/// those of plain pages that came, after an edit that kept every other
/// entity and path, in two steps, for a session that serves each as soon
/// as it is done: this one renders the pages of the entities `edited`,
/// however long, and those others `first` takes, and takes the update;
/// [`render_later`] renders the rest (the home, the journey map and the
/// lists of whole kinds, megabytes each in a large site) and the export.
pub(crate) fn render_update_first(
    theme: &Theme,
    input: &RenderInput,
    memo: &mut PageMemo,
    mut update: memo::Update,
    first: FirstStep,
    edited: &[EntityKey],
) -> Result<(Vec<OutputFile>, Later), Diagnostic> {
    let site_view = site_view_with(theme, input.config, std::mem::take(&mut update.nav));
    let (mut now, mut later) = (Vec::new(), Vec::new());
    let mut room = first.pages;
    // Longest first, as `stale` orders them: the shortest are the last.
    for stale in memo.stale(&mut update).into_iter().rev() {
        let own = matches!(&stale.job, Job::Entity(key) if edited.contains(key));
        if own || (stale.size <= first.longest && room > 0) {
            room -= usize::from(!own);
            now.push(stale);
        } else {
            later.push(stale);
        }
    }
    now.reverse();
    later.reverse();
    let mut fresh = render_stale(theme, input, &site_view, now)?;
    let files = new_files(memo, &mut fresh);
    memo.apply(update, fresh);
    let later = Later {
        stale: later,
        nav: site_view.nav,
    };
    Ok((files, later))
}

/// Renders the pages `render_update_first` left, and `/playbook.json`
/// alongside, after the entities in `changed` changed (all of them: `None`).
pub(crate) fn render_later(
    theme: &Theme,
    input: &RenderInput,
    memo: &mut PageMemo,
    later: Later,
    changed: Option<&[EntityKey]>,
) -> Result<(Vec<OutputFile>, OutputFile), Diagnostic> {
    let site_view = site_view_with(theme, input.config, later.nav);
    let (fresh, playbook) = memo.playbook_alongside(input, changed, |_| {
        render_stale(theme, input, &site_view, later.stale)
    });
    let mut fresh = fresh?;
    let files = new_files(memo, &mut fresh);
    memo.keep(fresh);
    Ok((files, playbook))
}

/// Renders `stale` pages, each taken in turn by whichever thread is free,
/// longest first (as `PageMemo::stale` orders them), so no long page is
/// left to render last on its own.
fn render_stale(
    theme: &Theme,
    input: &RenderInput,
    site_view: &SiteView,
    stale: Vec<memo::Stale>,
) -> Result<Vec<(String, MemoPage)>, Diagnostic> {
    let renderer = PageRenderer::new(theme, input, site_view, true);
    let mut fresh: Vec<(String, Result<MemoPage, Diagnostic>)> = stale
        .into_iter()
        .par_bridge()
        .map(|stale| {
            let before = stale.before.as_ref().map(|(view, file)| (*view, file));
            let page = renderer.remembered(&stale.job, stale.globals, before);
            (stale.out, page)
        })
        .collect();
    // In order, so the first error is the same whichever thread won.
    fresh.sort_by(|a, b| a.0.cmp(&b.0));
    fresh
        .into_iter()
        .map(|(out, page)| Ok((out, page?)))
        .collect()
}

/// The files of freshly rendered pages, but those that came out as they
/// were: they are not written again, and open pages showing them do not
/// reload. Such a page keeps the bytes the memo held, so a session holds
/// them once.
fn new_files(memo: &PageMemo, fresh: &mut [(String, MemoPage)]) -> Vec<OutputFile> {
    fresh
        .iter_mut()
        .filter_map(|(out, page)| match memo.bytes_of(out) {
            Some(before) if *before == page.file.bytes => {
                page.file.bytes = before.clone();
                None
            }
            _ => Some(page.file.clone()),
        })
        .collect()
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Journey,
        Job::Accountability,
        Job::Health,
        Job::Changes,
        Job::Search,
        Job::NotFound,
    ];
    jobs.extend(Kind::listed().map(Job::List));
    for (key, _) in site.all_metas() {
        if key.kind == Kind::Page && is_generated_page(site.pages[&key.id].meta.path.as_str()) {
            continue;
        }
        if key.kind == Kind::Role {
            jobs.push(Job::Onboarding(RoleId(key.id.clone())));
        }
        jobs.push(Job::Entity(key));
    }
    jobs
}

fn site_view<'a>(theme: &'a Theme, config: &'a Config, site: &Site) -> SiteView<'a> {
    site_view_with(theme, config, nav::nav(site, config))
}

/// The site view with a navigation bar made before.
fn site_view_with<'a>(
    theme: &'a Theme,
    config: &'a Config,
    nav: Vec<nav::NavItem>,
) -> SiteView<'a> {
    SiteView {
        nav,
        ..site_view_without_nav(theme, config)
    }
}

/// The site view with no navigation yet (`site_view` works it out).
fn site_view_without_nav<'a>(theme: &'a Theme, config: &'a Config) -> SiteView<'a> {
    SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        robots: &config.robots,
        search: config.search,
        nav: Vec::new(),
        assets: &theme.assets,
        generator: concat!("Touchstone ", env!("CARGO_PKG_VERSION")),
        words: words::script_words(&config.words),
    }
}

/// What rendering a page knows of its last rendering, and keeps for the
/// next (`PageRenderer::remembered`).
struct Seen<'p> {
    /// Whether to fingerprint what the template is given.
    keep: bool,
    /// The last fingerprint, and the page made from it.
    before: Option<(u64, &'p OutputFile)>,
    /// This rendering's fingerprint, once known.
    view: std::cell::Cell<Option<u64>>,
}

struct PageRenderer<'a> {
    theme: &'a Theme,
    input: &'a RenderInput<'a>,
    /// The site view, converted for the templates once, a copy for each
    /// thread of the pool (`site_view`).
    site_views: Vec<tera::Value>,
    sources: edit::Sources<'a>,
    /// Whether each page records what it showed, for the memo.
    records: bool,
}

impl<'a> PageRenderer<'a> {
    fn new(
        theme: &'a Theme,
        input: &'a RenderInput<'a>,
        site_view: &SiteView,
        records: bool,
    ) -> Self {
        let site_view = with_words(tera::Value::from_serializable(site_view), &theme.words);
        PageRenderer {
            theme,
            input,
            site_views: (0..rayon::current_num_threads().max(1))
                .map(|_| deep_copy(&site_view))
                .collect(),
            sources: edit::Sources::new(input.config, input.site),
            records,
        }
    }

    /// This thread's copy of the site view: each page looks up the site's
    /// words hundreds of times, and each look-up counts an owner of the
    /// map in and out.
    fn site_view(&self) -> &tera::Value {
        let copy = rayon::current_thread_index().and_then(|i| self.site_views.get(i));
        // A thread outside the pool (none renders today) shares the first.
        copy.unwrap_or(&self.site_views[0])
    }

    /// Renders a job's page with what it showed, for the memo. A page
    /// listing whole kinds keeps a fingerprint of what its template was
    /// given; given the last one and the page it made (`before`, from a
    /// build with the same theme, configuration, day and navigation), the
    /// same view again reuses that page instead of rendering it.
    fn remembered(
        &self,
        job: &Job,
        globals: u64,
        before: Option<(u64, &OutputFile)>,
    ) -> Result<MemoPage, Diagnostic> {
        let path = job.path(self.input.site);
        let l = self.linker(&path);
        let seen = Seen {
            keep: self.records && job.is_global(),
            before,
            view: std::cell::Cell::new(None),
        };
        let file = self.render(job, &path, &l, &seen)?;
        let (deps, bodies) = l.into_deps();
        Ok(MemoPage {
            file,
            shown: memo::Shown::of(&deps),
            deps: deps.into(),
            bodies: bodies.into(),
            globals,
            view: seen.view.get(),
            job: job.clone(),
        })
    }

    /// Renders one page at `path` (`job.path`); the linker records what the
    /// page shows, for the memo.
    fn render(
        &self,
        job: &Job,
        path: &str,
        l: &Linker,
        seen: &Seen,
    ) -> Result<OutputFile, Diagnostic> {
        let site = self.input.site;
        match job {
            Job::Home => {
                let config = self.input.config;
                let view = home::home(
                    l,
                    &config.title,
                    &config.description,
                    self.intro(path, l),
                    self.input.changes,
                );
                let page = self.page(path, "home.html", &config.title, "home", &view, seen);
                self.freed_aside_if_large(view, page)
            }
            Job::List(kind) => {
                let view = pages::list(l, *kind, self.intro(path, l));
                self.page(
                    path,
                    "list.html",
                    &words::section_title(l.words, *kind),
                    kind.folder(),
                    &view,
                    seen,
                )
            }
            Job::Journey => {
                let view = overviews::journey(l, self.intro(path, l));
                let title = l.words.get("journey_title");
                let page = self.page(path, "journey.html", title, "journey", &view, seen);
                self.freed_aside_if_large(view, page)
            }
            Job::Accountability => {
                let view = overviews::accountability(l);
                let title = l.words.get("accountability");
                let page = self.page(
                    path,
                    "accountability.html",
                    title,
                    "accountability",
                    &view,
                    seen,
                );
                self.freed_aside_if_large(view, page)
            }
            Job::Health => self.page(
                path,
                "health.html",
                l.words.get("health_title"),
                "health",
                &overviews::health(l, self.input.findings, self.input.config),
                seen,
            ),
            Job::Changes => self.page(
                path,
                "changes.html",
                l.words.get("changes_title"),
                "changes",
                &changes::page(l, self.input.changes),
                seen,
            ),
            Job::Search => self.page(
                path,
                "search.html",
                l.words.get("search"),
                "search",
                &(),
                seen,
            ),
            Job::NotFound => self.not_found(seen),
            Job::Onboarding(id) => {
                let role = &site.roles[id].meta.title;
                let title = l.words.format("onboarding_title", None, &[("role", role)]);
                self.page(
                    path,
                    "onboarding.html",
                    &title,
                    "roles",
                    &role::onboarding(l, id),
                    seen,
                )
            }
            Job::Entity(key) => self.entity(key, path, l, seen),
        }
    }

    fn entity(
        &self,
        key: &EntityKey,
        path: &str,
        l: &Linker,
        seen: &Seen,
    ) -> Result<OutputFile, Diagnostic> {
        let doc = self.doc(l, key);
        let title = doc.title;
        let id = key.id.clone();
        match key.kind {
            Kind::Standard => self.own_page(
                key,
                path,
                title,
                &pages::standard(l, &StandardId(id), doc),
                seen,
            ),
            Kind::Mantra => self.own_page(
                key,
                path,
                title,
                &pages::mantra(l, &MantraId(id), doc),
                seen,
            ),
            Kind::Role => self.own_page(key, path, title, &role::role(l, &RoleId(id), doc), seen),
            Kind::Persona => self.own_page(
                key,
                path,
                title,
                &pages::persona(l, &PersonaId(id), doc),
                seen,
            ),
            Kind::Stage => {
                self.own_page(key, path, title, &pages::stage(l, &StageId(id), doc), seen)
            }
            Kind::Moment => self.own_page(
                key,
                path,
                title,
                &pages::moment(l, &MomentId(id), doc),
                seen,
            ),
            Kind::Story => {
                self.own_page(key, path, title, &pages::story(l, &StoryId(id), doc), seen)
            }
            Kind::Page => {
                let toc = doc.toc;
                let view = pages::PlainPage {
                    doc,
                    toc,
                    children: pages::children(l, path),
                };
                let info = key.kind.info();
                let mut frame = self.frame(path, title, &nav::section_of_page(path));
                if let Some(description) = &self.input.site.pages[&key.id].description {
                    frame.description.clone_from(description);
                }
                self.render_template(&index_html(path), info.template, &frame, &view, seen)
            }
        }
    }

    /// An entity's own page, with its kind's template and section.
    fn own_page<T: Serialize + Sync>(
        &self,
        key: &EntityKey,
        path: &str,
        title: &str,
        view: &T,
        seen: &Seen,
    ) -> Result<OutputFile, Diagnostic> {
        let info = key.kind.info();
        self.page(path, info.template, title, info.section, view, seen)
    }

    fn linker(&self, path: &str) -> Linker<'_> {
        let linker = Linker::new(
            self.input.site,
            self.input.graph,
            &self.input.config.words,
            root_prefix(path),
        );
        if self.records {
            linker
        } else {
            linker.without_records()
        }
    }

    fn doc(&self, l: &Linker, key: &EntityKey) -> Doc<'a> {
        l.show_body(key);
        let meta = self.input.site.meta_of(key).expect("known entity");
        let body = self.input.bodies.get(key);
        Doc {
            title: &meta.title,
            anchor: meta.title_anchor.as_deref(),
            body: body.map_or("", |b| b.html.as_str()),
            draft: meta.draft,
            review_by: meta.review_by,
            review_due: meta.review_by.is_some_and(|d| d < self.input.today),
            updated: self.input.changes.last_updated(key),
            extra: &meta.extra,
            mentions: l.mentions(key),
            toc: body.map_or(&[], |b| b.headings.as_slice()),
        }
    }

    /// The body of a plain page written at a generated page's path.
    fn intro(&self, path: &str, l: &Linker) -> String {
        let key = EntityKey::new(Kind::Page, path.trim_end_matches('/'));
        l.show_body(&key);
        self.input
            .bodies
            .get(&key)
            .map(|b| b.html.clone())
            .unwrap_or_default()
    }

    fn not_found(&self, seen: &Seen) -> Result<OutputFile, Diagnostic> {
        let base = &self.input.config.base_url;
        let root = format!("{}{}", base.origin, base.path);
        let frame = Frame {
            title: self.input.config.words.get("not_found_title").into(),
            path: "404.html".into(),
            canonical: String::new(),
            root,
            section: String::new(),
            description: String::new(),
            live_reload: self.input.live_reload,
            edit_url: None,
            feedback_url: None,
        };
        self.render_template("404.html", "404.html", &frame, &(), seen)
    }

    fn page<T: Serialize + Sync>(
        &self,
        path: &str,
        template: &str,
        title: &str,
        section: &str,
        view: &T,
        seen: &Seen,
    ) -> Result<OutputFile, Diagnostic> {
        let frame = self.frame(path, title, section);
        self.render_template(&index_html(path), template, &frame, view, seen)
    }

    /// What the templates know about the page at `path`.
    fn frame(&self, path: &str, title: &str, section: &str) -> Frame {
        let config = self.input.config;
        let source = self.sources.of(path);
        Frame {
            title: title.to_string(),
            path: path.to_string(),
            root: root_prefix(path),
            canonical: config.base_url.absolute(path),
            section: section.to_string(),
            description: config.description.clone(),
            live_reload: self.input.live_reload,
            edit_url: source.and_then(|(file, line)| edit::edit_url(config, file, line)),
            feedback_url: edit::feedback_url(config, title, path, source.map(|s| s.0)),
        }
    }

    fn render_template<T: Serialize + Sync>(
        &self,
        out: &str,
        template: &str,
        frame: &Frame,
        view: &T,
        seen: &Seen,
    ) -> Result<OutputFile, Diagnostic> {
        let Some(page) = self.page_value(out, template, frame, view, seen) else {
            let (_, file) = seen.before.expect("a reused page was remembered");
            return Ok(file.clone());
        };
        let mut context = tera::Context::new();
        context.insert_value("site", self.site_view().clone());
        context.insert("frame", frame);
        context.insert_value("page", page);
        // Into bytes: a page is written out as they are, and the output
        // check reads them as text, so they are not checked as text twice.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.theme
            .tera
            .render_to(template, &context, &mut html)
            .map_err(|e| template_error(&self.theme.sources, template, &e))?;
        if self.records && html.len() >= LARGE_PAGE {
            drop_aside(context);
        }
        Ok(OutputFile::new(out, html))
    }

    /// Passes `page` on, with its `view` freed aside if the page is large
    /// and a session waits for it (a one-off build frees at once, which
    /// keeps its peak lower).
    fn freed_aside_if_large<T: Send + 'static>(
        &self,
        view: T,
        page: Result<OutputFile, Diagnostic>,
    ) -> Result<OutputFile, Diagnostic> {
        let large = page
            .as_ref()
            .is_ok_and(|file| file.bytes.len() >= LARGE_PAGE);
        if self.records && large {
            drop_aside(view);
        }
        page
    }

    /// The view as the template sees it, or `None` when it is the view the
    /// page `seen.before` was made from. A page whose view is remembered is
    /// fingerprinted while the view is converted, on another core if one is
    /// free; the conversion is skipped if the fingerprint comes first and
    /// matches.
    fn page_value<T: Serialize + Sync>(
        &self,
        out: &str,
        template: &str,
        frame: &Frame,
        view: &T,
        seen: &Seen,
    ) -> Option<tera::Value> {
        if !seen.keep {
            return Some(tera::Value::from_serializable(view));
        }
        let same = std::sync::atomic::AtomicBool::new(false);
        let before = seen.before;
        let (fingerprint, value) = rayon::join(
            || {
                let fingerprint =
                    crate::fingerprint::fingerprint_serialized(&(template, frame, view));
                let before = before.filter(|(_, file)| file.path == out);
                if fingerprint.is_some() && before.map(|(view, _)| view) == fingerprint {
                    same.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                fingerprint
            },
            || {
                let skip = same.load(std::sync::atomic::Ordering::Relaxed);
                (!skip).then(|| tera::Value::from_serializable(view))
            },
        );
        seen.view.set(fingerprint);
        if same.into_inner() {
            return None;
        }
        Some(value.unwrap_or_else(|| tera::Value::from_serializable(view)))
    }
}

/// `value` with no string, list or map shared with it, whose count of
/// owners another thread would change (the keys are shared: a look-up
/// only reads them).
fn deep_copy(value: &tera::Value) -> tera::Value {
    if let Some(map) = value.as_map() {
        let map: tera::Map = map.iter().map(|(k, v)| (k.clone(), deep_copy(v))).collect();
        tera::Value::from(map)
    } else if let Some(items) = value.as_array() {
        tera::Value::from(items.iter().map(deep_copy).collect::<Vec<_>>())
    } else if let Some(text) = value.as_str() {
        if value.is_safe() {
            tera::Value::safe_string(text)
        } else {
            tera::Value::normal_string(text)
        }
    } else {
        value.clone()
    }
}

/// The site view with the theme's words as `site.t`: under `site`, a
/// template's own variables cannot hide them from the default theme's.
fn with_words(site_view: tera::Value, words: &tera::Value) -> tera::Value {
    let mut map = site_view.into_map().expect("the site view is a map");
    map.insert(tera::value::Key::from("t"), words.clone());
    tera::Value::from(map)
}

/// A page this long (the home, the journey map and the matrix of a large
/// site) has its view freed on another thread during a session: tens of
/// thousands of strings, freed one by one, after the page is made.
const LARGE_PAGE: usize = 256 * 1024;

/// Room for a page as it is rendered: most pages of a site are a few
/// kilobytes.
const PAGE_CAPACITY: usize = 16 * 1024;

/// Frees `value` on whichever thread is free, not on the one rendering.
fn drop_aside<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// Every HTML page, by absolute URL, in path order, given every output path.
/// `sitemap.xml`, listing the pages among `paths` (a patch's, after pages came or went).
pub(crate) fn sitemap_file<'p>(
    config: &Config,
    paths: impl Iterator<Item = &'p str>,
) -> OutputFile {
    OutputFile::new(SITEMAP, sitemap(&config.base_url, paths))
}

fn sitemap<'p>(base: &crate::config::BaseUrl, paths: impl Iterator<Item = &'p str>) -> String {
    let mut pages: Vec<&str> = paths
        .filter_map(|path| path.strip_suffix("index.html"))
        .collect();
    // Every URL is the same base and a page's path: in the paths' order,
    // the URLs are in theirs, without a copy of each made to sort.
    pages.sort_unstable();
    let base = crate::markdown::html_escape(&base.absolute(""));
    let mut xml = String::with_capacity(200 + pages.len() * (base.len() + 40));
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        xml.push_str("  <url><loc>");
        xml.push_str(&base);
        if page.contains(['&', '<', '>', '"', '\'']) {
            xml.push_str(&crate::markdown::html_escape(page));
        } else {
            xml.push_str(page);
        }
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_template_map_of_a_thread_has_a_seed_of_its_own() {
        use ahash::random_state::RandomSource;
        let seeds: Vec<usize> = (0..4).map(|_| PerThreadSeeds.gen_hasher_seed()).collect();
        let mut distinct = seeds.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), seeds.len(), "{seeds:?}");
        let other = std::thread::spawn(|| PerThreadSeeds.gen_hasher_seed())
            .join()
            .unwrap();
        assert!(!seeds.contains(&other), "another thread starts elsewhere");
    }

    #[test]
    fn a_copy_of_the_site_view_shares_nothing_and_keeps_what_is_safe() {
        let mut words = tera::Map::new();
        words.insert(
            "plain".into(),
            tera::Value::from("a < b, a word long enough to be shared"),
        );
        words.insert(
            "html".into(),
            tera::Value::safe_string("<em>kept as HTML, not escaped</em>"),
        );
        let mut site = tera::Map::new();
        site.insert("t".into(), tera::Value::from(words));
        site.insert(
            "nav".into(),
            tera::Value::from(vec![tera::Value::from("Roles"), tera::Value::from(3u64)]),
        );
        site.insert("search".into(), tera::Value::from(true));
        let site = tera::Value::from(site);
        let copy = deep_copy(&site);
        assert_eq!(copy, site);
        let html = |v: &tera::Value| v.get_from_path("t.html").expect("copied").clone();
        let plain = |v: &tera::Value| v.get_from_path("t.plain").expect("copied").clone();
        assert!(html(&copy).is_safe());
        assert!(!plain(&copy).is_safe());
        // Shared strings and maps would be the same allocation.
        let at = |v: &tera::Value| v.as_str().expect("a string").as_ptr();
        assert_ne!(at(&plain(&copy)), at(&plain(&site)));
        assert_ne!(at(&html(&copy)), at(&html(&site)));
        let nav = |v: &tera::Value| {
            v.get_from_path("nav")
                .expect("copied")
                .as_array()
                .expect("a list")
                .as_ptr()
        };
        assert_ne!(nav(&copy), nav(&site));
    }

    #[test]
    fn the_sitemap_lists_every_page_under_the_base_in_order_escaped() {
        let base = crate::config::BaseUrl::parse("https://intranet.example.com/cx&co/");
        let paths = [
            "roles/b/index.html",
            "index.html",
            "search/x.json",
            "a&b/index.html",
        ];
        let xml = sitemap(&base, paths.into_iter());
        let locs: Vec<&str> = xml
            .lines()
            .filter_map(|l| l.strip_prefix("  <url><loc>")?.strip_suffix("</loc></url>"))
            .collect();
        let at = "https://intranet.example.com/cx&amp;co/";
        assert_eq!(
            locs,
            [
                at.to_string(),
                format!("{at}a&amp;b/"),
                format!("{at}roles/b/")
            ]
        );
        assert!(xml.starts_with("<?xml") && xml.ends_with("</urlset>\n"));
    }
}
