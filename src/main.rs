//! The `touchstone` command line: build, check, init (and serve).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use touchstone::diagnostics::{self, Format};
use touchstone::{BuildOptions, Failure};

/// mimalloc: a build allocates and frees millions of small strings and
/// template values across threads, where glibc's allocator spends a fifth
/// of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "touchstone",
    version,
    about = "Compile customer-experience standards and playbooks into a cross-linked intranet site",
    after_help = "Examples:\n  touchstone init my-playbook        start a new site\n  touchstone build                   build ./content into ./public\n  touchstone build --base-url /cx/   build for hosting under /cx/\n  touchstone check --strict          fail on warnings too (for CI)\n  touchstone check --format json     diagnostics for machines\n\nExit codes: 0 ok, 1 content errors, 2 usage or file-system errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (default: public/)
    #[command(
        after_help = "Examples:\n  touchstone build\n  touchstone build --root ../playbook --output /tmp/site --base-url https://intranet.example.com/cx/"
    )]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site (default: output-dir in book.toml)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of the pipeline took
        #[arg(long)]
        timings: bool,
    },
    /// Check the content and report every problem, without writing anything
    #[command(
        after_help = "Examples:\n  touchstone check\n  touchstone check --strict --format github"
    )]
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Print how long each stage of the pipeline took
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it, and rebuild and reload pages on every save
    #[command(
        after_help = "Examples:\n  touchstone serve\n  touchstone serve --port 0 --open\n  touchstone serve --host 0.0.0.0 --port 8080   share on the local network"
    )]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on; 0 picks a free one
        #[arg(long, short, default_value_t = 3000)]
        port: u16,
        /// Address to listen on (only this machine by default)
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// The longest wait for an editor's save to finish before rebuilding,
        /// in milliseconds (a save written and closed, or renamed into place,
        /// rebuilds at once; one that moved the file to a backup waits for it)
        #[arg(long, default_value_t = 50)]
        debounce_ms: u64,
    },
    /// Start a new site in DIR (default: the current folder)
    #[command(
        after_help = "Examples:\n  touchstone init my-playbook\n  touchstone init --sample demo   the complete sample playbook, in demo/\n  touchstone init --force         add a site to a folder that holds other files"
    )]
    Init {
        dir: Option<PathBuf>,
        /// Write the complete sample playbook instead of the small starter (needs DIR)
        #[arg(long)]
        sample: bool,
        /// Start the site in a folder that already holds other files (never overwrites one)
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site's folder, holding book.toml and content/ (default: current folder)
    #[arg(long, short)]
    root: Option<PathBuf>,
    /// Override [site] base-url: "/", "/cx/" or "https://intranet.example.com/cx/"
    #[arg(long)]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    touchstone::seed_template_maps_per_thread();
    let format = requested_format();
    if format != Format::Human {
        report_panics_as(format);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if format == Format::Human || !e.use_stderr() => e.exit(),
        Err(e) => {
            eprint!("{e}");
            let text = e.to_string();
            let message = text.lines().next().unwrap_or_default();
            let d = diagnostics::Diagnostic::error(
                "usage",
                "",
                message.strip_prefix("error: ").unwrap_or(message),
            )
            .with_hint("run `touchstone check --help` for the options");
            print_diagnostics(&[d], std::path::Path::new("."), format);
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build {
            site,
            output,
            drafts,
            timings,
        } => {
            let options = BuildOptions {
                root: touchstone::site_root(site.root.as_deref()),
                output,
                base_url: site.base_url,
                drafts,
                ..BuildOptions::default()
            };
            end_now(build(&options, timings))
        }
        Command::Check {
            site,
            strict,
            format,
            timings,
        } => {
            let options = BuildOptions {
                root: touchstone::site_root(site.root.as_deref()),
                base_url: site.base_url,
                strict,
                ..BuildOptions::default()
            };
            end_now(check(&options, format, timings))
        }
        Command::Serve {
            site,
            port,
            host,
            open,
            drafts,
            debounce_ms,
        } => {
            let options = touchstone::serve::ServeOptions {
                build: BuildOptions {
                    root: touchstone::site_root(site.root.as_deref()),
                    base_url: site.base_url,
                    drafts,
                    ..BuildOptions::default()
                },
                host,
                port,
                open,
                debounce: std::time::Duration::from_millis(debounce_ms),
            };
            match touchstone::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir, sample, force } => init(dir, sample, force),
    }
}

/// Ends a one-off command with `code` at once. What it made (the whole
/// site, some hundreds of MB at 100,000 pages) goes back to the system
/// with the process, not freed piece by piece first, and so does the
/// allocator's memory, which it would otherwise hand back itself on the
/// way out.
fn end_now(code: u8) -> ! {
    use std::io::Write;
    // Nothing runs after this but the system: what stdout holds goes now.
    let _ = std::io::stdout().flush();
    // A binary counting its own run (for profile-guided optimisation or
    // coverage, told where by `LLVM_PROFILE_FILE`) writes the counts in
    // an ordinary exit.
    if std::env::var_os("LLVM_PROFILE_FILE").is_some() {
        std::process::exit(i32::from(code));
    }
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process; no Rust code runs after it.
    unsafe {
        libc::_exit(i32::from(code))
    }
    #[cfg(not(unix))]
    std::process::exit(i32::from(code))
}

fn build(options: &BuildOptions, timings: bool) -> u8 {
    let start = std::time::Instant::now();
    match touchstone::build(options) {
        Ok(compiled) => {
            print_warnings_briefly(&compiled.diagnostics, &options.root);
            if timings {
                print_timings(&compiled);
            }
            // Wall time: some stages run beside others, so theirs do not add up.
            let total = start.elapsed();
            eprintln!(
                "built {} pages and {} other files ({}) into {} in {} ms",
                compiled.pages,
                compiled.files.len() + compiled.written.len() - compiled.pages,
                human_bytes(touchstone::total_bytes(&compiled)),
                compiled.config.output_dir.display(),
                total.as_millis()
            );
            // Freed as the process ends (`end_now`).
            std::mem::forget(compiled);
            0
        }
        Err(failure) => report(failure, Format::Human),
    }
}

/// Each stage's time, on stderr.
fn print_timings(compiled: &touchstone::Compiled) {
    for (stage, took) in &compiled.timings {
        eprintln!("{stage:>10}: {:>6} ms", took.as_millis());
    }
}

fn check(options: &BuildOptions, format: Format, timings: bool) -> u8 {
    match touchstone::check(options) {
        Ok(compiled) => {
            print_diagnostics(&compiled.diagnostics, &options.root, format);
            if timings {
                print_timings(&compiled);
                eprintln!("rendered {} of {} pages", compiled.rendered, compiled.pages);
            }
            if format == Format::Human && compiled.diagnostics.is_empty() {
                eprintln!("no problems found in {} pages", compiled.pages);
            }
            // Freed as the process ends (`end_now`).
            std::mem::forget(compiled);
            0
        }
        Err(failure) => report(failure, format),
    }
}

/// A build shows the first few warnings; `check` lists them all.
fn print_warnings_briefly(diagnostics: &[diagnostics::Diagnostic], root: &std::path::Path) {
    if diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!(
        "{}",
        diagnostics::render_human_first(diagnostics, 5, root, color)
    );
}

fn report(failure: Failure, format: Format) -> u8 {
    let code = failure.exit_code();
    match failure {
        Failure::Content { root, diagnostics } => print_diagnostics(&diagnostics, &root, format),
        Failure::Io(message) => {
            eprintln!("error: {message}");
            if format != Format::Human {
                // A machine reading stdout gets the failure in the format it asked for.
                let d = diagnostics::Diagnostic::error("io", "", message);
                print_diagnostics(&[d], std::path::Path::new("."), format);
            }
        }
    }
    code
}

/// The `--format` of a `check` command line, read before the command line
/// is parsed, so that even a usage error is reported in that format.
fn requested_format() -> Format {
    use clap::ValueEnum;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("check") {
        return Format::Human;
    }
    let value = args
        .iter()
        .enumerate()
        .find_map(|(i, arg)| match arg.as_str() {
            "--format" => args.get(i + 1).map(String::as_str),
            other => other.strip_prefix("--format="),
        });
    value
        .and_then(|v| Format::from_str(v, false).ok())
        .unwrap_or(Format::Human)
}

/// A crash still prints one diagnostic in the requested format (once, even
/// if several threads fail), after the usual panic message.
fn report_panics_as(format: Format) {
    let default = std::panic::take_hook();
    let reported = std::sync::Once::new();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        reported.call_once(|| {
            let d = diagnostics::Diagnostic::error(
                "internal",
                "",
                format!("touchstone stopped unexpectedly: {info}"),
            )
            .with_hint("this is a bug in Touchstone; please report it with the message above");
            print_diagnostics(&[d], std::path::Path::new("."), format);
        });
    }));
}

fn print_diagnostics(
    diagnostics: &[diagnostics::Diagnostic],
    root: &std::path::Path,
    format: Format,
) {
    match format {
        Format::Human if diagnostics.is_empty() => {}
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", diagnostics::render_human(diagnostics, root, color));
        }
        other => print!("{}", diagnostics::render(diagnostics, other, root, false)),
    }
}

fn init(dir: Option<PathBuf>, sample: bool, force: bool) -> ExitCode {
    let result = match (&dir, sample) {
        // The sample is a whole playbook: it gets a folder of its own.
        (None, true) => Err("which folder should the sample playbook go in?\n  hint: `touchstone init --sample cx-sample` writes it into a new folder cx-sample/".to_string()),
        (Some(dir), true) => touchstone::init::init_sample(dir, force),
        (_, false) => touchstone::init::init(dir.as_deref().unwrap_or(std::path::Path::new(".")), force),
    };
    match result {
        Ok(files) => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            eprintln!("created {} files in {}", files.len(), dir.display());
            match dir.to_str() {
                Some(".") => eprintln!("next: touchstone serve --open"),
                _ => eprintln!("next: cd {} && touchstone serve --open", dir.display()),
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn human_bytes(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
