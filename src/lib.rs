//! Touchstone compiles a customer-experience playbook (Markdown and YAML) into a
//! cross-linked intranet site. The pipeline, in order:
//!
//! config -> load -> resolve -> model (+ graph) -> markdown -> validate -> render
//! (+ search) -> write
//!
//! Each stage is one module, a value in and a value out; `compile` runs them
//! all in memory, `check` also checks the output's links, and `build` writes
//! it to disk. `incremental` sits above the stages: it keeps what a build
//! produced so the next one (in `serve`) redoes only what changed.
//!
//! # Dependency order
//!
//! Each module imports only modules of the layers before its own, never a
//! peer or a layer after it, so the graph has no cycle
//! (`tests/it/module_order.rs` checks every `crate::` path against this list):
//!
//! 1. `fingerprint`, `timer`: leaves, importing nothing from the crate.
//! 2. `diagnostics`, `output`: the one problem type and its renderers; output files and writing them.
//! 3. `config`: `book.toml`, the folders it names, the site's words in its language.
//! 4. `model`: typed ids and entities, the site, the cross-reference graph.
//! 5. `load`, `history`: content files into raw front-matter types; git dates.
//! 6. `resolve`: raw types into the model, every reference checked.
//! 7. `markdown`, `changes`: bodies into HTML, the link index, code
//!    highlighting; the change log from git history and `updated:` dates.
//! 8. `validate`: the findings about gaps in a playbook.
//! 9. `render`: the theme and every page.
//! 10. `search`, `linkcheck`, `clashes`: the search index; links checked in the
//!     output; two sources on one output path.
//! 11. `incremental`: the memo of earlier builds, and patching the last one.
//! 12. `crate` (this file): `compile`, `check`, `build`.
//! 13. `serve`, `init`: the development server; a new site.

// Public: what main.rs and the tests use. The rest is the crate's own.
mod changes;
mod clashes;
mod config;
pub mod diagnostics;
mod fingerprint;
mod history;
pub mod incremental;
pub mod init;
mod linkcheck;
mod load;
mod markdown;
mod model;
mod output;
mod render;
mod resolve;
pub mod search;
pub mod serve;
mod timer;
mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::Config;
use diagnostics::Diagnostic;
pub use incremental::Delta;
pub use incremental::Rebuild;
use incremental::{Flags, Memo, Patched, Snapshot};
use markdown::LinkIndex;
use model::{Graph, Site};
use output::OutputFile;
pub use render::seed_template_maps_per_thread;
use timer::Timer;

/// What the command line can change about a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub strict: bool,
    pub live_reload: bool,
}

impl BuildOptions {
    /// The options the output depends on, besides the configuration.
    fn flags(&self) -> Flags {
        Flags {
            drafts: self.drafts,
            strict: self.strict,
            live_reload: self.live_reload,
        }
    }
}

/// A successful compile: the whole site in memory, and its warnings.
pub struct Compiled {
    pub config: Config,
    pub files: Vec<OutputFile>,
    /// Pages a build wrote out as soon as they were rendered (for `check`,
    /// the paths of the files it did not render): their paths and bytes in
    /// all (they are not in `files`).
    pub written: Vec<String>,
    pub written_bytes: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    /// Pages rendered by this build; the others were reused from the memo.
    pub rendered: usize,
    /// The source file of each output page, for diagnostics about the output.
    pub sources: Arc<HashMap<String, String>>,
    pub timings: Vec<(&'static str, Duration)>,
    /// Whether this is the last build again, the last build patched, or a
    /// run of the whole pipeline.
    pub rebuild: Rebuild,
    /// Which build this is, in a session that keeps the last one (else 0).
    pub generation: u64,
    /// For a patched build, what changed since the build it patched. When
    /// the memo was told its caller holds that build's files
    /// (`Memo::hold_files`), `files` is left empty.
    pub delta: Option<Delta>,
}

impl Compiled {
    /// The last build, as a patch left it.
    fn of_snapshot(config: Config, memo: &Memo, patched: Patched, timer: Timer) -> Compiled {
        let last = memo.last.as_ref().expect("a patch leaves the last build");
        let held = memo.held == Some(patched.delta.base);
        Compiled {
            config,
            files: if held {
                Vec::new()
            } else {
                last.files.values().cloned().collect()
            },
            written: Vec::new(),
            written_bytes: 0,
            diagnostics: last.diagnostics.clone(),
            pages: last.pages,
            rendered: patched.rendered,
            sources: last.sources.clone(),
            timings: timer.laps,
            rebuild: patched.rebuild,
            generation: last.generation,
            delta: Some(patched.delta),
        }
    }
}

/// Why a build produced no site.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content: exit code 1.
    Content {
        root: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    /// Bad usage or the file system: exit code 2.
    Io(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Content { .. } => 1,
            Failure::Io(_) => 2,
        }
    }
}

pub fn load_config(options: &BuildOptions) -> Result<Config, Failure> {
    if !options.root.is_dir() {
        return Err(Failure::Io(format!(
            "{} is not a folder",
            options.root.display()
        )));
    }
    let mut config = Config::load(&options.root).map_err(|d| Failure::Content {
        root: options.root.clone(),
        diagnostics: vec![d],
    })?;
    if let Some(out) = &options.output {
        config.output_dir = if out.is_absolute() {
            out.clone()
        } else {
            std::env::current_dir().unwrap_or_default().join(out)
        };
    }
    if let Some(base) = &options.base_url {
        if let Some(problem) = config::BaseUrl::problem(base) {
            return Err(Failure::Io(format!(
                "--base-url: {problem}; {}",
                config::BaseUrl::FORMS
            )));
        }
        config.base_url = config::BaseUrl::parse(base);
    }
    let outside = config.folders_outside_root(options.output.is_some());
    if !outside.is_empty() {
        return Err(Failure::Content {
            root: options.root.clone(),
            diagnostics: outside,
        });
    }
    if !config.content_dir.is_dir() {
        return Err(Failure::Io(format!(
            "no content folder at {}: run `touchstone init` to start a site, or pass --root",
            config.content_dir.display()
        )));
    }
    Ok(config)
}

/// How much of the output a compile makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Produce {
    /// Every file of the site.
    Everything,
    /// What checking the output needs: the search index, which no page
    /// links into, only when a source claims a path under `search/` (the
    /// index's own files could clash with it).
    ForChecking,
}

/// The folder of the search index's files, when a compile left them out.
const SEARCH_FILES: &str = "search/";

/// Runs the pipeline in memory: every stage up to rendered files.
pub fn compile(options: &BuildOptions) -> Result<Compiled, Failure> {
    compile_with(options, &mut Memo::default())
}

/// The pipeline, reusing whatever `memo` holds from an earlier build whose
/// inputs have not changed (serve keeps one memo for its whole session).
pub fn compile_with(options: &BuildOptions, memo: &mut Memo) -> Result<Compiled, Failure> {
    compile_for(options, memo, Produce::Everything, None).map(|made| {
        let_go(made.leftovers);
        made.compiled
    })
}

/// What [`compile_for`] made.
struct Made {
    compiled: Compiled,
    /// Whether the search index was left out.
    skipped_search: bool,
    /// The pages written as they were rendered, when asked to.
    streamed: Option<Streamed>,
    /// The output's problems, when the compile checked them itself.
    checked: Option<Vec<Diagnostic>>,
    /// What a one-off compile made and needs no more.
    leftovers: Leftovers,
}

/// What a one-off compile made and needs no more: freed on a thread of its
/// own once the output is out (`let_go`), not while the last files are
/// written, and not at all if the process ends first.
type Leftovers = Vec<Box<dyn Send>>;

/// An output being written while the site renders: its staging folder and
/// the links of the pages already in it.
struct Streamed {
    staging: output::Staging,
    scanned: Vec<linkcheck::written::ScannedPage>,
    names: linkcheck::written::Names,
}

/// The pipeline, making what `produce` asks for. With `stream_to` (a build
/// into that folder), each page is written to a staging folder as soon as
/// it is rendered and only its links are kept. A one-off compile, which
/// builds and checks are, keeps nothing in `memo` for a next one.
fn compile_for(
    options: &BuildOptions,
    memo: &mut Memo,
    produce: Produce,
    stream_to: Option<&Path>,
) -> Result<Made, Failure> {
    let one_off = stream_to.is_some() || (!memo.keep_last && produce == Produce::ForChecking);
    // `check` renders only the pages its output check needs.
    let sampled = one_off && produce == Produce::ForChecking;
    let config = load_config(options)?;
    let mut timer = Timer::start();
    // A one-off build reads git's history (another process) while it loads
    // and renders bodies; a session reads it once and keeps it.
    let mut history_reader = (memo.history.is_none() && !memo.keep_last).then(|| {
        let (root, content) = (config.root.clone(), config.content_dir.clone());
        std::thread::spawn(move || history::History::read(&root, &content))
    });
    // A one-off compile parses the theme's templates while the content is
    // walked, which leaves the other core idle; a session's edits are
    // patched with the theme they have.
    let one_compile = !memo.keep_last;
    let (refresh, early_theme) = rayon::join(
        || memo.load.refresh(&config),
        || one_compile.then(|| render::Theme::load(&config)),
    );
    timer.lap("load");
    if let Some(patched) = incremental::patch(&config, options.flags(), memo, &refresh, &mut timer)
    {
        return Ok(Made {
            compiled: Compiled::of_snapshot(config, memo, patched, timer),
            skipped_search: false,
            streamed: None,
            checked: None,
            leftovers: Vec::new(),
        });
    }
    // From here on the last build no longer matches the memo, until this one succeeds.
    memo.last = None;
    let content_prefix = config.content_prefix();
    let stamps = memo.load.stamps(&content_prefix);
    let (raw, mut diagnostics) = if memo.keep_last {
        memo.load.assemble()
    } else {
        memo.load.take_assembled()
    };
    let (mut site, resolve_problems) = resolve::resolve(raw, options.drafts);
    diagnostics.extend(resolve_problems);
    // The graph and the link index read the same site, side by side; the
    // book's outline is taken out of the pages once both are made.
    let outline = summary_id(&site, &content_prefix);
    let (mut graph, links) = rayon::join(
        || Graph::build(&site),
        || {
            let external = &config.external_prefixes;
            LinkIndex::build(&site, &content_prefix, external, outline.as_deref())
        },
    );
    timer.lap("model");
    let summary = outline.and_then(|id| site.pages.remove(&id));
    if let Some(summary) = summary {
        let meta = &summary.meta;
        let (outline, problems) =
            markdown::summary::outline(&meta.body, &links, &meta.file, meta.body_line);
        site.outline = outline;
        diagnostics.extend(problems);
    }
    diagnostics.extend(render::nav::check(&site, &config));
    diagnostics.extend(config.words.problems.iter().cloned());
    // `check` reads only the bodies' links, ids and problems: code colours
    // add none of them.
    let code = if sampled {
        markdown::Code::Plain
    } else {
        markdown::Code::Highlighted
    };
    let today = model::Date::today();
    // Beside the bodies: a session's theme templates parse (a long code
    // block can hold one core for most of a small site's markdown stage),
    // and the code syntaxes load if a body fences code.
    let (rendered, theme) = rayon::join(
        || {
            let keep = memo.keep_last;
            incremental::render_bodies(&config, &site, &links, &stamps, &memo.bodies, code, keep)
        },
        || {
            let theme = early_theme.unwrap_or_else(|| render::Theme::load(&config));
            if code == markdown::Code::Highlighted {
                markdown::load_syntaxes_for(site.metas().map(|(_, _, meta)| meta.body.as_str()));
            }
            theme
        },
    );
    // Beside the code's colours, which leave a core idle while a grammar
    // compiles: the rules and the clash check read the model, which no
    // body changes (the rules read no mentions), and the change log is
    // made from git's history.
    let (history_memo, body_memo) = (&mut memo.history, &mut memo.bodies);
    let (bodies, ((findings, clashing), took, changes)) = rayon::join(
        || rendered.finish(&site, &links, &config, body_memo),
        || {
            let start = Instant::now();
            let found = rayon::join(
                || validate::findings(&site, &graph, today),
                || {
                    let known = clashes::known_generated();
                    let mut found = clashes::find(&site, &content_prefix, known.clone());
                    found.extend(clashes::case_only(&site, &content_prefix, known));
                    found
                },
            );
            let took = start.elapsed();
            let start = Instant::now();
            let history = history_memo
                .get_or_insert_with(|| {
                    let read = history_reader.take().and_then(|reader| reader.join().ok());
                    Arc::new(read.unwrap_or_else(|| {
                        history::History::read(&config.root, &config.content_dir)
                    }))
                })
                .clone();
            let changes = Arc::new(changes::ChangeLog::build(&history, &site, &content_prefix));
            (found, [took, start.elapsed()], changes)
        },
    );
    for (key, body) in &bodies {
        diagnostics.extend(body.diagnostics.iter().cloned());
        graph.add_mentions(key, &body.links);
    }
    if let Ok(theme) = &theme {
        diagnostics.extend(theme.warnings.iter().cloned());
    }
    timer.lap("markdown");
    // Their own wall times, within the markdown stage's.
    timer.beside("validate", took[0]);
    timer.beside("history", took[1]);
    diagnostics.extend(findings.iter().map(|f| f.diagnostic.clone()));
    diagnostics.extend(clashing);
    diagnostics::sort(&mut diagnostics);
    let fails = |d: &Diagnostic| d.is_error() || options.strict;
    if diagnostics.iter().any(fails) {
        return Err(Failure::Content {
            root: config.root.clone(),
            diagnostics,
        });
    }
    let theme = theme.map_err(|d| Failure::Content {
        root: config.root.clone(),
        diagnostics: vec![d],
    })?;
    // `check` leaves the index out unless a content file could clash with it.
    let skip_search = produce == Produce::ForChecking && !claims_search_files(&site);
    let input = render::RenderInput {
        config: &config,
        stamps: &stamps,
        changes: &changes,
        site: &site,
        graph: &graph,
        bodies: &bodies,
        findings: &findings,
        today,
        live_reload: options.live_reload,
    };
    let staging = stream_to
        .map(output::Staging::begin)
        .transpose()
        .map_err(|e| Failure::Io(e.to_string()))?;
    let scanned = std::sync::Mutex::new(Vec::new());
    let names = linkcheck::written::Names::default();
    let written_bytes = std::sync::atomic::AtomicUsize::new(0);
    let unwritten = std::sync::Mutex::new(None);
    let write_page = |file: OutputFile| -> Result<(), Diagnostic> {
        let staging = staging
            .as_ref()
            .expect("pages are streamed only to a staging folder");
        if let Err(e) = staging.write(&file) {
            let message = e.to_string();
            *unwritten.lock().expect("write error lock") = Some(e);
            return Err(Diagnostic::error("write", file.path, message));
        }
        written_bytes.fetch_add(file.bytes.len(), std::sync::atomic::Ordering::Relaxed);
        if let Some(page) = linkcheck::written::ScannedPage::of(&file, &names) {
            scanned.lock().expect("scan lock").push(page);
        }
        Ok(())
    };
    let sink: Option<render::PageSink> = staging.as_ref().map(|_| &write_page as render::PageSink);
    let sample = sampled.then(|| render::PageSet::new(&theme, &input));
    // The index is built beside the pages: each stage has serial stretches
    // the other's parallel work fills. A one-off build keeps no search
    // memo, and its pages stream to disk, so little is held at once.
    let search_memo = &mut memo.search;
    let ((search_files, search_took), rendered) = rayon::join(
        || {
            let start = Instant::now();
            let files = (config.search && !skip_search).then(|| {
                let (language, words) = (&config.language, &config.words);
                if one_off {
                    search::index_once(language, words, &site, &bodies)
                } else {
                    search::index(language, words, &site, &bodies, search_memo)
                }
            });
            (files, start.elapsed())
        },
        || match &sample {
            Some(set) => Ok(set.unrendered()),
            None => render::render_site(&theme, &input, &mut memo.pages, sink),
        },
    );
    // A build writes the export once the pages are out, straight to its
    // file: its bytes (90 MB at 100,000 pages) are never held. A failed
    // write is told below, as a page's is. Beside it: the search index's
    // files, written now rather than with the last few files (one core
    // would wait for the export meanwhile), the last clash check (theme
    // and search files are known only now; every other clash failed
    // above), and the map from each page to its source file, for the
    // output check's messages. A clash fails the build, and the staging
    // folder goes with everything written to it.
    let (exported, (clashes, (sources, index_written))) = rayon::join(
        || match (&staging, &rendered) {
            (Some(staging), Ok(_)) => {
                let streamed =
                    staging.stream(render::PLAYBOOK, |out| render::write_playbook(&input, out));
                match streamed {
                    Ok(length) => {
                        let length =
                            usize::try_from(length).expect("an export that fits in memory");
                        written_bytes.fetch_add(length, std::sync::atomic::Ordering::Relaxed);
                        Some(render::PLAYBOOK.to_string())
                    }
                    Err(e) => {
                        *unwritten.lock().expect("write error lock") = Some(e);
                        None
                    }
                }
            }
            _ => None,
        },
        || {
            rayon::join(
                || {
                    rendered.as_ref().ok().map(|rendered| {
                        let paths = (rendered.files.iter().chain(search_files.iter().flatten()))
                            .map(|f| f.path.as_str())
                            .chain(rendered.sunk.iter().map(String::as_str))
                            .chain(sink.map(|_| render::PLAYBOOK));
                        clashes::find_rendered(&site, &content_prefix, paths)
                    })
                },
                || {
                    let sources = Arc::new(page_sources(&site));
                    let index = search_files.as_deref().filter(|_| rendered.is_ok());
                    let written = staging.as_ref().zip(index).map(|(staging, files)| {
                        write_now(staging, files, &written_bytes, &unwritten)
                    });
                    (sources, written.unwrap_or(false))
                },
            )
        },
    );
    // A clash is told before a failed write: a page where an index file
    // goes fails both ways, and only the clash says why.
    let clashes = clashes.unwrap_or_default();
    if !clashes.is_empty() {
        diagnostics.extend(clashes);
        diagnostics::sort(&mut diagnostics);
        return Err(Failure::Content {
            root: config.root.clone(),
            diagnostics,
        });
    }
    if let Some(e) = unwritten.lock().expect("write error lock").take() {
        return Err(Failure::Io(e.to_string()));
    }
    let render::Rendered {
        mut files,
        sunk: mut written,
        fresh: rendered,
    } = rendered.map_err(|d| Failure::Content {
        root: config.root.clone(),
        diagnostics: vec![d],
    })?;
    written.extend(exported);
    let pages = files
        .iter()
        .map(|f| &f.path)
        .chain(&written)
        .filter(|path| path.ends_with(".html"))
        .count();
    timer.lap("render");
    if search_files.is_some() {
        // Its own wall time, within the render's: not added to the total.
        timer.beside("search", search_took);
    }
    match search_files {
        Some(index) if index_written => written.extend(index.into_iter().map(|f| f.path)),
        index => files.extend(index.into_iter().flatten()),
    }
    files.extend(read_assets(&site)?);
    let unbuilt = unbuilt(config.search && skip_search);
    let checked = sample
        .map(|set| {
            let origins = linkcheck::Origins::new(&config, &sources);
            linkcheck::sampled::check(&set, &bodies, &files, &origins, unbuilt)
        })
        .transpose()
        .map_err(|d| Failure::Content {
            root: config.root.clone(),
            diagnostics: vec![d],
        })?;
    if checked.is_some() {
        // The pages `check` rendered, and checking the output's links.
        timer.lap("linkcheck");
    }
    let mut generation = 0;
    let mut leftovers: Leftovers = Vec::new();
    if memo.keep_last {
        // A session (serve) patches the last build; a one-off build keeps no copy.
        generation = incremental::next_generation();
        memo.last = Some(Snapshot {
            generation,
            key: incremental::snapshot_key(&config, options.flags(), today),
            links,
            site,
            graph,
            bodies,
            findings,
            changes,
            diagnostics: diagnostics.clone(),
            theme,
            files: files.iter().map(|f| (f.path.clone(), f.clone())).collect(),
            sources: sources.clone(),
            pages,
            nav: None,
        });
    } else {
        // A one-off compile keeps none of it.
        leftovers.push(Box::new((
            links, site, graph, bodies, findings, changes, theme,
        )));
    }
    let compiled = Compiled {
        config,
        files,
        written,
        written_bytes: written_bytes.into_inner(),
        diagnostics,
        pages,
        rendered: checked.as_ref().map_or(rendered, |(_, sampled)| *sampled),
        sources,
        timings: timer.laps,
        rebuild: Rebuild::Full,
        generation,
        delta: None,
    };
    let skipped_search = compiled.config.search && skip_search;
    let streamed = staging.map(|staging| Streamed {
        staging,
        scanned: scanned.into_inner().expect("scan lock"),
        names,
    });
    Ok(Made {
        compiled,
        skipped_search,
        streamed,
        checked: checked.map(|(found, _)| found),
        leftovers,
    })
}

/// Writes `files` to the staging folder at once, their bytes counted in
/// `written_bytes`; a failed write is kept in `unwritten`, to be told as
/// a page's is. Whether all were written.
fn write_now(
    staging: &output::Staging,
    files: &[OutputFile],
    written_bytes: &std::sync::atomic::AtomicUsize,
    unwritten: &std::sync::Mutex<Option<output::WriteError>>,
) -> bool {
    match staging.write_many(files) {
        Ok(()) => {
            let bytes = files.iter().map(|f| f.bytes.len()).sum();
            written_bytes.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
            true
        }
        Err(e) => {
            *unwritten.lock().expect("write error lock") = Some(e);
            false
        }
    }
}

/// Each page's output path and the file it comes from.
fn page_sources(site: &Site) -> HashMap<String, String> {
    site.all_metas()
        .into_iter()
        .flat_map(|(key, meta)| {
            let page = Some(output::index_html(meta.path.as_str()));
            // A role's onboarding page comes from the role's file too.
            let onboarding = (key.kind == model::Kind::Role)
                .then(|| format!("roles/{}/onboarding/index.html", key.id));
            [page, onboarding]
                .into_iter()
                .flatten()
                .map(|page| (page, meta.file.clone()))
        })
        .collect()
}

/// Frees `value` on a thread of its own: freeing what a whole site's
/// compile made takes tens of ms that need not hold up its end.
fn let_go<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The folders of the output whose files a compile left out.
fn unbuilt(skipped_search: bool) -> &'static [&'static str] {
    if skipped_search { &[SEARCH_FILES] } else { &[] }
}

/// Whether a page or file of the content lands under the search index's
/// folder (other than the search page), where it could clash with the index.
fn claims_search_files(site: &Site) -> bool {
    let search_page = format!("{SEARCH_FILES}index.html");
    clashes::entity_pages(site)
        .iter()
        .map(|(out, _, _)| out)
        .chain(site.assets.iter().map(|a| &a.path))
        .any(|path| path.starts_with(SEARCH_FILES) && *path != search_page)
}

/// Compiles the site and checks its output: links, anchors, assets, orphans.
/// Problems found in the output join the content diagnostics. The search
/// index is left out of the files when nothing could clash with it.
pub fn check(options: &BuildOptions) -> Result<Compiled, Failure> {
    check_output(options, Produce::ForChecking, None).map(|(compiled, _, leftovers)| {
        let_go(leftovers);
        compiled
    })
}

/// Compiles and checks the output; with `stream_to`, pages are written to
/// a staging folder as they render, returned to be finished if all is well.
fn check_output(
    options: &BuildOptions,
    produce: Produce,
    stream_to: Option<&Path>,
) -> Result<(Compiled, Option<output::Staging>, Leftovers), Failure> {
    let mut memo = Memo::default();
    let mut made = compile_for(options, &mut memo, produce, stream_to)?;
    // What the memo read (every source file): a one-off compile keeps none of it.
    made.leftovers.push(Box::new(memo));
    let mut compiled = made.compiled;
    let (staging, scanned, names) = match made.streamed {
        Some(streamed) => (Some(streamed.staging), streamed.scanned, streamed.names),
        None => (None, Vec::new(), Default::default()),
    };
    let mut found = match made.checked {
        Some(found) => found,
        None => {
            let start = Instant::now();
            let origins = linkcheck::Origins::new(&compiled.config, &compiled.sources);
            let unbuilt = unbuilt(made.skipped_search);
            // A page with a problem is read again from where it was written.
            let read_again = |path: &str| staging.as_ref()?.read(path).ok();
            let found = linkcheck::written::check(
                &compiled.files,
                scanned,
                &compiled.written,
                names,
                read_again,
                &origins,
                unbuilt,
            );
            compiled.timings.push(("linkcheck", start.elapsed()));
            found
        }
    };
    if found.iter().any(|d| d.is_error() || options.strict) {
        found.extend(compiled.diagnostics);
        diagnostics::sort(&mut found);
        return Err(Failure::Content {
            root: compiled.config.root,
            diagnostics: found,
        });
    }
    compiled.diagnostics.extend(found);
    diagnostics::sort(&mut compiled.diagnostics);
    Ok((compiled, staging, made.leftovers))
}

/// Checks the site exactly as `check` does, output included, and writes it
/// to its output folder only if that passes.
pub fn build(options: &BuildOptions) -> Result<Compiled, Failure> {
    let config = load_config(options)?;
    let (templates, themes) = (config.root.join("templates"), config.root.join("themes"));
    let read = [
        ("content", config.content_dir.as_path()),
        ("templates", templates.as_path()),
        ("themes", themes.as_path()),
    ];
    output::check_destination(&config.output_dir, &config.root, &read)
        .map_err(|e| Failure::Io(e.to_string()))?;
    let (mut compiled, staging, leftovers) =
        check_output(options, Produce::Everything, Some(&config.output_dir))?;
    let start = Instant::now();
    staging
        .expect("a build streams its pages")
        .finish(&compiled.files)
        .map_err(|e| Failure::Io(e.to_string()))?;
    compiled.timings.push(("write", start.elapsed()));
    let_go(leftovers);
    Ok(compiled)
}

/// The id of an mdBook's `SUMMARY.md` at the top of the content folder:
/// the book's outline, to take out of the pages (it is not a page of its
/// own).
fn summary_id(site: &Site, content_prefix: &str) -> Option<String> {
    let file = format!("{content_prefix}{}", markdown::summary::SUMMARY);
    let page = site.pages.get("SUMMARY").filter(|p| p.meta.file == file)?;
    Some(page.meta.id.clone())
}

fn read_assets(site: &Site) -> Result<Vec<OutputFile>, Failure> {
    site.assets
        .par_iter()
        .map(|a| {
            std::fs::read(&a.source)
                .map(|bytes| OutputFile::new(a.path.clone(), bytes))
                .map_err(|e| Failure::Io(format!("cannot read {}: {e}", a.source.display())))
        })
        .collect()
}

/// Total bytes of a compile's output: its files and the pages it wrote.
pub fn total_bytes(compiled: &Compiled) -> usize {
    compiled.files.iter().map(|f| f.bytes.len()).sum::<usize>() + compiled.written_bytes
}

/// The site root a command should use: `--root`, else the current folder.
pub fn site_root(root: Option<&Path>) -> PathBuf {
    root.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
