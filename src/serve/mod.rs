//! Serve: build the site in memory, serve it over HTTP, rebuild on every save
//! and tell open pages to reload. A failed rebuild keeps the last good site and
//! shows its errors in the terminal and as an overlay on every open page.

mod connection;
mod http;
mod reload;
mod settle;
mod watch;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostics::{self, Diagnostic};
use crate::incremental::SecondStep;
use crate::{BuildOptions, Failure, Rebuild};
pub(crate) use reload::Broadcaster;

/// How `touchstone serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub host: String,
    pub port: u16,
    pub open: bool,
    pub debounce: Duration,
}

/// A file of the served site, with its validator for conditional requests.
#[derive(Clone)]
pub(crate) struct Served {
    pub bytes: Arc<[u8]>,
    /// Computed on the first request that needs it, not for every file of every rebuild.
    etag: std::sync::OnceLock<String>,
}

impl Served {
    pub(crate) fn etag(&self) -> &str {
        self.etag.get_or_init(|| {
            format!(
                "\"{:016x}\"",
                crate::fingerprint::fingerprint(&self.bytes[..])
            )
        })
    }
}

impl Served {
    fn new(bytes: Arc<[u8]>) -> Served {
        Served {
            bytes,
            etag: std::sync::OnceLock::new(),
        }
    }
}

/// The last good build, and the errors of the latest one if it failed.
#[derive(Default, Clone)]
pub(crate) struct SiteState {
    pub files: Arc<HashMap<String, Served>>,
    /// Which build `files` are (`Compiled::generation`).
    pub generation: u64,
    /// URL path prefix the site lives under (`/` or `/cx/`).
    pub base_path: String,
    pub errors: Vec<Diagnostic>,
}

pub(crate) type Shared = Arc<RwLock<Arc<SiteState>>>;

/// Runs until the process is stopped.
pub fn serve(mut options: ServeOptions) -> Result<(), String> {
    // Watch events carry absolute paths; an absolute root makes them comparable.
    options.build.root = options
        .build
        .root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", options.build.root.display()))?;
    let config = crate::load_config(&options.build).map_err(|f| match f {
        Failure::Io(message) => message,
        Failure::Content { diagnostics, root } => {
            diagnostics::render_human(&diagnostics, &root, false)
        }
    })?;
    // Bound before the first build, so a busy port is reported at once.
    let listener = http::bind(&options.host, options.port)?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    if !address.ip().is_loopback() {
        eprintln!("{}", network_warning(&address));
    }
    let state: Shared = Arc::new(RwLock::new(Arc::new(SiteState {
        base_path: config.base_url.path.clone(),
        ..SiteState::default()
    })));
    let broadcaster = Broadcaster::start();
    let _watcher = watch::start(
        &options,
        &config,
        state.clone(),
        broadcaster.clone(),
        Session::default(),
    )?;
    let url = format!("http://{address}{}", config.base_url.path);
    println!("serving {} at {url}", options.build.root.display());
    println!("watching for changes; press Ctrl-C to stop");
    if options.open {
        open_browser(&url);
    }
    http::run(listener, state, broadcaster);
    Ok(())
}

/// Said when serve listens beyond this machine: everything it serves, drafts
/// included when asked for, is then open to the network.
fn network_warning(address: &std::net::SocketAddr) -> String {
    format!(
        "warning: listening on {address}, which other machines can reach: anyone on the network \
         can read every page of this site, drafts included with --drafts, while serve runs. \
         Leave out --host (it defaults to 127.0.0.1) to keep the site on this machine."
    )
}

/// Build errors as the open pages show them, as compact JSON: the first
/// [`OVERLAY_ERRORS`] errors, each text cut to a readable length, and a
/// last entry counting the rest. Thousands of errors must not become
/// megabytes sent to every open page.
pub(crate) fn overlay_json(diagnostics: &[Diagnostic]) -> String {
    const OVERLAY_ERRORS: usize = 50;
    const LONGEST: usize = 300;
    let cut = |text: &str| match text.char_indices().nth(LONGEST) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    };
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let mut shown: Vec<Diagnostic> = errors
        .iter()
        .take(OVERLAY_ERRORS)
        .map(|d| Diagnostic {
            file: cut(&d.file),
            message: cut(&d.message),
            hint: d.hint.as_deref().map(cut),
            ..(*d).clone()
        })
        .collect();
    if errors.len() > OVERLAY_ERRORS {
        let more = errors.len() - OVERLAY_ERRORS;
        shown.push(
            Diagnostic::error("more-errors", "", format!("and {more} more errors"))
                .with_hint("`touchstone check` lists them all"),
        );
    }
    serde_json::to_string(&shown).expect("diagnostics serialise")
}

/// What one serve session carries from rebuild to rebuild.
pub(crate) struct Session {
    pub memo: crate::incremental::Memo,
    /// Warnings already printed: a rebuild prints only the new ones in full.
    shown: HashSet<Diagnostic>,
}

impl Default for Session {
    fn default() -> Self {
        let mut memo = crate::incremental::Memo::for_session();
        memo.serve_in_two_steps(crate::incremental::FirstStep::SERVE);
        Session {
            memo,
            shown: HashSet::new(),
        }
    }
}

impl Session {
    /// Prints the warnings not printed before in full, and counts the rest.
    fn print_warnings(&mut self, warnings: &[Diagnostic], root: &std::path::Path) {
        let new: Vec<Diagnostic> = warnings
            .iter()
            .filter(|d| !self.shown.contains(*d))
            .cloned()
            .collect();
        let known = warnings.len() - new.len();
        if !new.is_empty() {
            eprint!("{}", diagnostics::render_human(&new, root, false));
        }
        if known > 0 {
            eprintln!(
                "{known} warnings shown before still apply; `touchstone check` lists them all"
            );
        }
        self.shown = warnings.iter().cloned().collect();
    }
}

/// Builds the site in memory and swaps it in. A failed build keeps the last
/// good files, records the errors and shows them on every open page.
pub(crate) fn rebuild(
    options: &BuildOptions,
    state: &Shared,
    broadcaster: &Broadcaster,
    what: &str,
    session: &mut Session,
) {
    let start = Instant::now();
    let options = BuildOptions {
        live_reload: true,
        ..options.clone()
    };
    let previous = state.read().expect("state lock").clone();
    match crate::compile_with(&options, &mut session.memo) {
        // A late event for a save that was already built: nothing to reload.
        Ok(compiled) if compiled.rebuild == Rebuild::Unchanged && previous.errors.is_empty() => {}
        Ok(mut compiled) => {
            session.print_warnings(&compiled.diagnostics, &options.root);
            let delta = compiled.delta.take();
            let generation = compiled.generation;
            let base_path = compiled.config.base_url.path.clone();
            let reload = match previous.errors.is_empty() {
                true => reload_data(delta.as_ref(), &base_path),
                // Every open page shows the errors until a good build.
                false => "{}".to_string(),
            };
            // The map's only other holders are requests being answered now.
            drop(previous);
            swap_in(state, compiled.files, delta, generation, &base_path);
            session.memo.hold_files(generation);
            let stages: Vec<String> = compiled
                .timings
                .iter()
                .map(|(stage, took)| format!("{stage} {}", took.as_millis()))
                .collect();
            println!(
                "{what}: {} of {} pages rendered in {} ms ({} build: {})",
                compiled.rendered,
                compiled.pages,
                start.elapsed().as_millis(),
                compiled.rebuild.name(),
                stages.join(", ")
            );
            broadcaster.send("reload", &reload);
            finish_long_pages(&options, state, broadcaster, what, session, &base_path);
        }
        Err(failure) => {
            let (root, errors) = match failure {
                Failure::Content { root, diagnostics } => (root, diagnostics),
                Failure::Io(message) => (
                    options.root.clone(),
                    vec![Diagnostic::error("io", "", message)],
                ),
            };
            eprint!(
                "{}",
                diagnostics::render_human_first(&errors, 20, &root, false)
            );
            println!("{what}: failed; still serving the last good site");
            let json = overlay_json(&errors);
            let next = SiteState {
                errors,
                ..(*previous).clone()
            };
            *state.write().expect("state lock") = Arc::new(next);
            broadcaster.send("build-error", &json);
        }
    }
}

/// Serves the second step of a patch (`incremental::finish`), if one is
/// pending: the long pages, which open pages showing them then reload.
fn finish_long_pages(
    options: &BuildOptions,
    state: &Shared,
    broadcaster: &Broadcaster,
    what: &str,
    session: &mut Session,
    base_path: &str,
) {
    let start = Instant::now();
    match crate::incremental::finish(&mut session.memo) {
        None => {}
        Some(SecondStep::Done { rendered, delta }) => {
            let reload = reload_data(Some(&delta), base_path);
            let generation = delta.generation;
            swap_in(state, Vec::new(), Some(delta), generation, base_path);
            session.memo.hold_files(generation);
            println!(
                "{what}: {rendered} long pages rendered in {} ms",
                start.elapsed().as_millis()
            );
            // A step that changed no page (the export and the index alone)
            // has nothing to reload.
            if reload != NO_PAGES {
                broadcaster.send("reload", &reload);
            }
            give_back_freed_memory();
        }
        // The whole pipeline names what went wrong.
        Some(SecondStep::Failed) => rebuild(options, state, broadcaster, what, session),
    }
}

/// Gives the memory the long pages' views held back to the system now, on
/// every thread that freed some, while no build waits. Left to the
/// allocator, it goes back on a later allocation (a second after the
/// free): inside the next edit's build, 20 ms of it at 100,000 pages.
fn give_back_freed_memory() {
    // SAFETY: `mi_collect` has no preconditions; where mimalloc is not the
    // global allocator (unit tests) it tidies mimalloc's own empty heaps.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

/// A reload event's data that names no page.
const NO_PAGES: &str = r#"{"pages":[]}"#;

/// Pages a reload event names at most; past that, every open page reloads.
const RELOAD_PAGES: usize = 200;

/// The `reload` event's data for a build that changed `delta`: the
/// addresses of the pages it wrote or removed, so that only pages showing
/// one of them reload (`{"pages":[…]}`), or `{}` for every open page when
/// any other file changed (a style sheet, a picture a page shows), when
/// the build was whole, or when too many pages changed to name.
fn reload_data(delta: Option<&crate::Delta>, base_path: &str) -> String {
    let Some(delta) = delta else {
        return "{}".to_string();
    };
    let paths = delta
        .written
        .iter()
        .map(|f| f.path.as_str())
        .chain(delta.removed.iter().map(String::as_str));
    let mut pages = Vec::new();
    for path in paths {
        if path.ends_with(".html") && path != "404.html" {
            let address = path.strip_suffix("index.html").unwrap_or(path);
            pages.push(format!("{base_path}{address}"));
        } else if !NOT_SHOWN_IN_PAGES.iter().any(|ext| path.ends_with(ext)) {
            return "{}".to_string();
        }
    }
    if pages.len() > RELOAD_PAGES {
        return "{}".to_string();
    }
    serde_json::json!({ "pages": pages }).to_string()
}

/// Files no page shows as it loads: the search index and the site's data,
/// which pages fetch when asked, and feeds.
const NOT_SHOWN_IN_PAGES: &[&str] = &[".json", ".xml", ".csv", ".txt"];

/// Serves a successful build: its delta applied to the files served now
/// when it patched them (copying the map only if a request still holds
/// it), else its files.
fn swap_in(
    state: &Shared,
    files: Vec<crate::output::OutputFile>,
    delta: Option<crate::Delta>,
    generation: u64,
    base_path: &str,
) {
    let mut current = state.write().expect("state lock");
    let site = Arc::make_mut(&mut current);
    match delta {
        Some(delta) if delta.base == site.generation && files.is_empty() => {
            let served = Arc::make_mut(&mut site.files);
            for path in &delta.removed {
                served.remove(path);
            }
            for file in delta.written {
                served.insert(file.path, Served::new(file.bytes));
            }
        }
        _ => {
            let served = files
                .into_iter()
                .map(|f| (f.path, Served::new(f.bytes)))
                .collect();
            site.files = Arc::new(served);
        }
    }
    site.generation = generation;
    site.base_path = base_path.to_string();
    site.errors = Vec::new();
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFile;

    fn delta(written: &[&str], removed: &[&str]) -> crate::Delta {
        crate::Delta {
            written: written.iter().map(|p| OutputFile::new(*p, "x")).collect(),
            removed: removed.iter().map(|p| p.to_string()).collect(),
            ..crate::Delta::default()
        }
    }

    #[test]
    fn a_reload_names_the_addresses_of_the_pages_written_or_removed() {
        let changed = delta(
            &[
                "roles/driver/index.html",
                "index.html",
                "search/t/1a.json",
                "old.html",
            ],
            &["guides/gone/index.html", "changes.xml"],
        );
        assert_eq!(
            reload_data(Some(&changed), "/cx/"),
            r#"{"pages":["/cx/roles/driver/","/cx/","/cx/old.html","/cx/guides/gone/"]}"#
        );
        let data = delta(&["playbook.json", "search/t/1a.json"], &["sitemap.xml"]);
        assert_eq!(reload_data(Some(&data), "/"), NO_PAGES, "no page to reload");
    }

    #[test]
    fn every_page_reloads_when_a_file_pages_show_changed_or_the_build_was_whole() {
        let every = "{}";
        assert_eq!(reload_data(None, "/"), every, "a whole build");
        for shown in ["static/style.css", "guides/team.png", "404.html"] {
            let changed = delta(&["roles/driver/index.html", shown], &[]);
            assert_eq!(reload_data(Some(&changed), "/"), every, "{shown}");
        }
        let removed = delta(&["roles/driver/index.html"], &["guides/team.png"]);
        assert_eq!(reload_data(Some(&removed), "/"), every, "a removed picture");
        let pages: Vec<String> = (0..=RELOAD_PAGES)
            .map(|n| format!("p{n}/index.html"))
            .collect();
        let many = delta(&pages.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
        assert_eq!(reload_data(Some(&many), "/"), every, "too many to name");
        let pages = &pages[..RELOAD_PAGES];
        let named = delta(&pages.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
        assert!(reload_data(Some(&named), "/").starts_with(r#"{"pages":["/p0/""#));
    }
}
