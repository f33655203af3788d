//! Test sites declared inline, Hugo style: a list of `(path, text)` pairs is
//! written to a temp folder, built with the library, and pages are parsed with a
//! real HTML parser.

#![allow(dead_code)]

#[macro_use]
pub mod browser;
pub mod http;

use std::io::Write;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use touchstone::diagnostics::Diagnostic;
use touchstone::{BuildOptions, Failure};

/// Skips the calling test because `reason` is missing from this machine.
/// Under `CI` a skip is a failure, so CI never passes without running the
/// test; elsewhere a `SKIPPED` line goes straight to the terminal (past the
/// test harness's capture, which hides a passing test's output), so a
/// skipped test never reads as a silent pass. `.ci/run` also fails on it.
pub fn skip(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} cannot be skipped under CI: {reason}"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    pub fn new(files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let target = dir.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text).unwrap();
        }
        if !dir.path().join("content").exists() {
            std::fs::create_dir_all(dir.path().join("content")).unwrap();
        }
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, text: &str) {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        }
    }

    /// Builds to `public/`, panicking with the diagnostics if it fails.
    pub fn build(&self) -> Built {
        self.build_with(self.options())
    }

    pub fn build_with(&self, options: BuildOptions) -> Built {
        match touchstone::build(&options) {
            Ok(compiled) => Built {
                out: compiled.config.output_dir.clone(),
                warnings: compiled.diagnostics,
            },
            Err(Failure::Content { diagnostics, .. }) => panic!("build failed: {diagnostics:#?}"),
            Err(Failure::Io(e)) => panic!("build failed: {e}"),
        }
    }

    /// The diagnostics of a build expected to fail.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.errors_with(self.options())
    }

    pub fn errors_with(&self, options: BuildOptions) -> Vec<Diagnostic> {
        match touchstone::compile(&options) {
            Ok(_) => panic!("build was expected to fail"),
            Err(Failure::Content { diagnostics, .. }) => diagnostics,
            Err(Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
        }
    }

    /// Diagnostics of a build that succeeds (its warnings).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        match touchstone::compile(&self.options()) {
            Ok(c) => c.diagnostics,
            Err(Failure::Content { diagnostics, .. }) => {
                panic!("unexpected errors: {diagnostics:#?}")
            }
            Err(Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
        }
    }
}

pub struct Built {
    pub out: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

impl Built {
    /// The page at a site path such as `roles/agent/`.
    pub fn page(&self, path: &str) -> Page {
        let file = self.out.join(path).join("index.html");
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("no page {}: {e}", file.display()));
        Page {
            path: path.to_string(),
            html: Html::parse_document(&text),
        }
    }

    pub fn file(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path))
            .unwrap_or_else(|e| panic!("no file {path}: {e}"))
    }
}

pub struct Page {
    pub path: String,
    pub html: Html,
}

impl Page {
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html.select(&selector).collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.select(css)
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Site paths (relative to the root) of the links inside `css`.
    pub fn links_in(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for scope in self.select(css) {
            let a = Selector::parse("a[href]").unwrap();
            let own = scope
                .value()
                .attr("href")
                .filter(|_| scope.value().name() == "a");
            out.extend(own.map(|href| resolve(&self.path, href)));
            for link in scope.select(&a) {
                out.push(resolve(&self.path, link.value().attr("href").unwrap()));
            }
        }
        out
    }

    /// Every href on the page, resolved against the page's site path.
    pub fn all_links(&self) -> Vec<String> {
        self.links_in("body")
    }
}

/// Resolves a relative href found on `page` (a site path) to a site path.
pub fn resolve(page: &str, href: &str) -> String {
    if href.starts_with('/') || href.contains("://") || href.starts_with('#') {
        return href.to_string();
    }
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    let (path, fragment) = href.split_once('#').map_or((href, ""), |(p, f)| (p, f));
    let ends_with_slash =
        path.ends_with('/') || path.is_empty() || path.ends_with("..") || path == ".";
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if ends_with_slash && !out.is_empty() {
        out.push('/');
    }
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// A copy of the sample playbook in a temp folder, so a test's server never
/// sees edits made to the repository while it runs.
pub fn sample_copy() -> TestSite {
    let site = TestSite::new(&[]);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("book.toml"), site.root().join("book.toml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(repo).unwrap();
        let target = site.root().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    site
}

/// A small, complete site: two roles, two stages, three moments, and one of
/// every other kind, cross-linked.
pub fn small_site() -> Vec<(&'static str, &'static str)> {
    vec![
        ("book.toml", "[book]\ntitle = \"Test playbook\"\n"),
        (
            "content/standards/call-ahead.md",
            "---\ntitle: Call ahead\nstatement: We call before they chase.\nmantras: [no-surprises]\nmoments: [delivery]\npersonas: [parent]\nmeasures: [\"calls made before a chase, per week\"]\n---\nWhy it matters. See [[roles/driver]].\n",
        ),
        (
            "content/mantras.yaml",
            "- id: no-surprises\n  text: No surprises\n  meaning: They hear it from us first.\n",
        ),
        (
            "content/roles/driver.md",
            "---\ntitle: Driver\nteam: Operations\nowns: [delivery]\nsupports: [booking]\nbehaviours:\n  - standard: call-ahead\n    do: Phone ahead.\n    dont: Turn up unannounced.\n    moment: delivery\nonboarding: [Ride along for a day]\n---\nThe face of the company.\n",
        ),
        (
            "content/roles/agent.md",
            "---\ntitle: Agent\nteam: Service\nowns: [booking, refund]\n---\nAnswers the phone.\n",
        ),
        (
            "content/personas/parent.md",
            "---\ntitle: Busy parent\nname: Sam\nquote: Just tell me when.\nloves:\n  - text: A precise window\n    moments: [delivery]\n    evidence: verified\n    source: interviews\nhates:\n  - text: Waiting all day\n    moments: [delivery]\n    evidence: verified\n    source: complaints\n---\n",
        ),
        (
            "content/journey/first-touch/_index.md",
            "---\ntitle: First touch\norder: 2\n---\n",
        ),
        (
            "content/journey/first-touch/booking.md",
            "---\ntitle: Booking\norder: 1\n---\n",
        ),
        (
            "content/journey/core/_index.md",
            "---\ntitle: Core\norder: 3\n---\n",
        ),
        (
            "content/journey/core/delivery.md",
            "---\ntitle: Delivery\norder: 1\nmoment_of_truth: true\n---\nThe van arrives.\n",
        ),
        (
            "content/journey/core/refund.md",
            "---\ntitle: Refund\norder: 2\n---\n",
        ),
        (
            "content/stories/late-van.md",
            "---\ntitle: The late van\npersona: parent\nmoments: [delivery]\nstandards: [call-ahead]\nsentiment: love\n---\n> They rang me first.\n",
        ),
        (
            "content/guides/faq.md",
            "# Questions\n\nRead [the standard](../standards/call-ahead.md) and [[call-ahead|this one]].\n",
        ),
    ]
}
