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
        Session {
            memo: crate::incremental::Memo::for_session(),
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
            // The map's only other holders are requests being answered now.
            drop(previous);
            swap_in(state, compiled.files, delta, generation, base_path);
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
            broadcaster.send("reload", "{}");
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

/// Serves a successful build: its delta applied to the files served now
/// when it patched them (copying the map only if a request still holds
/// it), else its files.
fn swap_in(
    state: &Shared,
    files: Vec<crate::output::OutputFile>,
    delta: Option<crate::Delta>,
    generation: u64,
    base_path: String,
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
    site.base_path = base_path;
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
