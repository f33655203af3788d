//! `book.toml`: the site's configuration, read once at the start of the pipeline.
//! `url_template`: the edit and feedback URL templates of `[site]`;
//! `translations`: the site's words in `[book] language`, with `[translations]`.

pub(crate) mod translations;
pub(crate) mod url_template;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::Diagnostic;
pub(crate) use translations::Translations;
use url_template::UrlTemplate;

/// The parsed `book.toml`, with defaults filled in and paths made absolute.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub language: String,
    /// The site's own words in its language (`[book] language`,
    /// `[translations]`).
    pub words: Translations,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme: String,
    pub base_url: BaseUrl,
    pub search: bool,
    pub robots: String,
    /// `[build] external-prefixes`: where body links leave the site on
    /// purpose (`../std/`, `/api/`); such links are kept, never checked.
    pub external_prefixes: Vec<String>,
    /// What unknown front-matter fields of plain pages are.
    pub foreign_front_matter: ForeignFrontMatter,
    /// `[[nav]]`: the header navigation as the site sets it, in order;
    /// empty for the sections that have content.
    pub nav: Vec<NavSetting>,
    /// `[site] edit-url` and `feedback-url`: where a page's "edit" and
    /// "report a problem" links go.
    pub page_links: PageLinks,
    /// The folder settings as written in `book.toml`, kept to point at their line.
    folder_settings: Vec<FolderSetting>,
}

/// The URL templates of `[site] edit-url` and `feedback-url`.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    pub edit: Option<UrlTemplate>,
    pub feedback: Option<UrlTemplate>,
}

impl PageLinks {
    fn parse(site: &RawSite, text: &str) -> Result<PageLinks, Diagnostic> {
        let template = |key: &str, value: &Option<Spanned<String>>, known| {
            value
                .as_ref()
                .map(|v| {
                    // The text starts after the opening quote.
                    let start = v.span().start + 1;
                    let at = |offset| crate::diagnostics::line_col(text, start + offset);
                    UrlTemplate::parse(key, v.get_ref(), known, at)
                })
                .transpose()
        };
        Ok(PageLinks {
            edit: template("edit-url", &site.edit_url, url_template::EDIT_PLACEHOLDERS)?,
            feedback: template(
                "feedback-url",
                &site.feedback_url,
                url_template::FEEDBACK_PLACEHOLDERS,
            )?,
        })
    }
}

/// A folder named in `book.toml`: which key, its value, on which line.
#[derive(Debug, Clone)]
struct FolderSetting {
    key: &'static str,
    value: String,
    line: usize,
    column: usize,
}

/// One `[[nav]]` entry of `book.toml`: a link of the header navigation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NavSetting {
    /// The link's text; by default the section's or page's title.
    pub title: Option<String>,
    pub target: NavTarget,
    /// Its line in `book.toml`.
    pub line: usize,
}

/// Where a `[[nav]]` entry leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NavTarget {
    /// `section = "standards"`, or a folder of plain pages: `"guides"`.
    Section(String),
    /// `page = "guides/onboarding.md"`, as a path under `content/`.
    Page(String),
    /// `url = "https://status.example.com/"`: a link out of the site.
    Url(String),
}

/// `[build] foreign-front-matter`: unknown fields of plain pages (a Jekyll
/// `layout`, a Hugo `linktitle`) stop the build, or are one warning per file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ForeignFrontMatter {
    #[default]
    Error,
    Warn,
}

/// Where the site is hosted: `/`, `/cx/` or `https://intranet.example.com/cx/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host when the base is absolute (`https://intranet.example.com`), else empty.
    pub origin: String,
    /// The path prefix, always starting and ending with `/`.
    pub path: String,
}

impl BaseUrl {
    /// What a base URL may be, for hints.
    pub const FORMS: &str = "base-url is \"/\", a path such as \"/cx/\", or an address such as \"https://intranet.example.com/cx/\"";

    /// Why `raw` cannot start every link of the site, if it cannot: it
    /// is written into every page, the sitemap and the feed as it is.
    pub fn problem(raw: &str) -> Option<String> {
        let raw = raw.trim();
        let unsafe_char =
            |c: char| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^#?".contains(c);
        if let Some(c) = raw.chars().find(|&c| unsafe_char(c)) {
            return Some(format!(
                "base-url `{raw}` holds `{}`, which a URL cannot hold as it is",
                c.escape_default()
            ));
        }
        let Some((scheme, rest)) = raw.split_once("://") else {
            return raw.contains(':').then(|| {
                format!("base-url `{raw}` is neither a path nor an http or https address")
            });
        };
        let host = rest.split('/').next().unwrap_or_default();
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            && host.matches('[').count() == host.matches(']').count();
        let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        (!(web && host_ok))
            .then(|| format!("base-url `{raw}` is not an http or https address with a host"))
    }

    pub fn parse(raw: &str) -> BaseUrl {
        let raw = raw.trim();
        let (origin, path) = match raw.find("://") {
            Some(scheme_end) => {
                let after = &raw[scheme_end + 3..];
                let path_start = after.find('/').map_or(raw.len(), |i| scheme_end + 3 + i);
                (&raw[..path_start], &raw[path_start..])
            }
            None => ("", raw),
        };
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        BaseUrl {
            origin: origin.to_string(),
            path,
        }
    }

    /// The absolute URL of a site path such as `roles/agent/` (used by sitemap and canonical links).
    pub fn absolute(&self, site_path: &str) -> String {
        // Made for every page: one allocation of the length, no `format!`.
        [self.origin.as_str(), self.path.as_str(), site_path].concat()
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    site: RawSite,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    nav: Vec<Spanned<RawNav>>,
    #[serde(default)]
    translations: translations::RawTranslations,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNav {
    title: Option<String>,
    section: Option<String>,
    page: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBook {
    title: Option<String>,
    description: Option<String>,
    language: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBuild {
    content_dir: Option<Spanned<String>>,
    output_dir: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    external_prefixes: Vec<String>,
    #[serde(default)]
    foreign_front_matter: ForeignFrontMatter,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSite {
    base_url: Option<Spanned<String>>,
    robots: Option<String>,
    edit_url: Option<Spanned<String>>,
    feedback_url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    #[serde(default = "yes")]
    enabled: bool,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch { enabled: true }
    }
}

fn yes() -> bool {
    true
}

pub(crate) const CONFIG_FILE: &str = "book.toml";

impl Config {
    /// The content folder relative to the root, as a prefix of source paths
    /// (`content/`); empty when the content is the root itself.
    pub fn content_prefix(&self) -> String {
        let rel = self
            .content_dir
            .strip_prefix(&self.root)
            .unwrap_or(&self.content_dir);
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.is_empty() {
            rel
        } else {
            format!("{rel}/")
        }
    }

    /// Reads `root/book.toml`. A missing file gives the defaults, so a folder of
    /// Markdown builds as it is; a malformed one is a diagnostic with its line.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let (mut raw, text) = match std::fs::read_to_string(&path) {
            Ok(text) => (
                toml::from_str::<RawConfig>(&text).map_err(|e| toml_diagnostic(&text, &e))?,
                text,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (RawConfig::default(), String::new())
            }
            Err(e) => {
                return Err(Diagnostic::error(
                    "io",
                    CONFIG_FILE,
                    format!("cannot read {CONFIG_FILE}: {e}"),
                ));
            }
        };
        if let Some(base) = &raw.site.base_url
            && let Some(problem) = BaseUrl::problem(base.get_ref())
        {
            let (line, column) = crate::diagnostics::line_col(&text, base.span().start);
            return Err(Diagnostic::error("config", CONFIG_FILE, problem)
                .at(line, column)
                .with_hint(BaseUrl::FORMS));
        }
        let nav = nav_settings(std::mem::take(&mut raw.nav), &text)?;
        let page_links = PageLinks::parse(&raw.site, &text)?;
        Ok(Config {
            nav,
            ..Config::from_raw(root, raw, &text, page_links)
        })
    }

    fn from_raw(root: &Path, raw: RawConfig, text: &str, page_links: PageLinks) -> Config {
        let _ = raw.book.authors;
        let build = raw.build;
        let setting = |key: &'static str, value: &Option<Spanned<String>>| {
            let value = value.as_ref()?;
            let (line, column) = crate::diagnostics::line_col(text, value.span().start);
            Some(FolderSetting {
                key,
                value: value.get_ref().clone(),
                line,
                column,
            })
        };
        let folder_settings = [
            setting("content-dir", &build.content_dir),
            setting("output-dir", &build.output_dir),
            setting("theme", &build.theme),
        ]
        .into_iter()
        .flatten()
        .collect();
        let value = |v: Option<Spanned<String>>| v.map(Spanned::into_inner);
        let language = raw
            .book
            .language
            .unwrap_or_else(|| Spanned::new(0..0, "en".into()));
        let words = Translations::load(&language, &raw.translations, text);
        Config {
            root: root.to_path_buf(),
            title: raw
                .book
                .title
                .unwrap_or_else(|| "Customer Experience Playbook".into()),
            description: raw.book.description.unwrap_or_default(),
            language: language.into_inner(),
            words,
            content_dir: root.join(value(build.content_dir).as_deref().unwrap_or("content")),
            output_dir: root.join(value(build.output_dir).as_deref().unwrap_or("public")),
            theme: value(build.theme).unwrap_or_else(|| "default".into()),
            base_url: BaseUrl::parse(raw.site.base_url.as_ref().map_or("/", |b| b.get_ref())),
            search: raw.search.enabled,
            robots: raw.site.robots.unwrap_or_else(|| "index, follow".into()),
            external_prefixes: build
                .external_prefixes
                .into_iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            foreign_front_matter: build.foreign_front_matter,
            nav: Vec::new(),
            page_links,
            folder_settings,
        }
    }

    /// Every folder a build reads or replaces — content, output, theme,
    /// templates — that lies outside the site root (through `..`, an
    /// absolute path or a symlink), one error each: a playbook must never
    /// make Touchstone read or replace folders elsewhere. A folder named in
    /// `book.toml` is reported at its line there; a folder found by its
    /// default name is reported as itself. An output folder given on the
    /// command line is the user's own choice, so it is not checked.
    pub fn folders_outside_root(&self, explicit_output: bool) -> Vec<Diagnostic> {
        let folders = [
            ("content-dir", self.content_dir.clone()),
            ("output-dir", self.output_dir.clone()),
            ("theme", self.root.join("themes").join(&self.theme)),
            ("templates", self.root.join("templates")),
        ];
        folders
            .into_iter()
            .filter(|(key, _)| !(explicit_output && *key == "output-dir"))
            .filter(|(_, path)| !is_inside(&self.root, path))
            .filter_map(|(key, path)| {
                match self.folder_settings.iter().find(|s| s.key == key) {
                    Some(setting) => Some(setting_outside(setting)),
                    // A default folder that does not exist is not read.
                    None if path.exists() => Some(default_folder_outside(&self.root, &path)),
                    None => None,
                }
            })
            .collect()
    }
}

/// The `[[nav]]` entries, each leading to exactly one of a section, a page
/// or a URL; an entry that names none or several is an error at its line.
fn nav_settings(raw: Vec<Spanned<RawNav>>, text: &str) -> Result<Vec<NavSetting>, Diagnostic> {
    raw.into_iter()
        .map(|entry| {
            let (line, column) = crate::diagnostics::line_col(text, entry.span().start);
            let entry = entry.into_inner();
            if let Some(url) = entry.url.as_deref().filter(|url| runs_script(url)) {
                return Err(Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("the [[nav]] url `{url}` runs script instead of opening a page"),
                )
                .at(line, column)
                .with_hint("a menu entry leads to a page: use an http(s) address or a path"));
            }
            let targets: Vec<NavTarget> = [
                entry.section.map(NavTarget::Section),
                entry.page.map(NavTarget::Page),
                entry.url.map(NavTarget::Url),
            ]
            .into_iter()
            .flatten()
            .collect();
            match <[NavTarget; 1]>::try_from(targets) {
                Ok([target]) => Ok(NavSetting {
                    title: entry.title,
                    target,
                    line,
                }),
                Err(_) => Err(Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    "a [[nav]] entry needs exactly one of `section`, `page` and `url`",
                )
                .at(line, column)
                .with_hint(
                    "e.g. `section = \"guides\"`, `page = \"guides/onboarding.md\"` or \
                     `url = \"https://status.example.com/\"`, with an optional `title`",
                )),
            }
        })
        .collect()
}

/// Whether a URL runs script when followed (`javascript:`, in any case,
/// after the spaces and control characters a browser skips).
fn runs_script(url: &str) -> bool {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    url.get(..11)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("javascript:"))
}

fn setting_outside(s: &FolderSetting) -> Diagnostic {
    Diagnostic::error(
        "folder-outside-site",
        CONFIG_FILE,
        format!("{} `{}` is outside the site folder", s.key, s.value),
    )
    .at(s.line, s.column)
    .with_hint(match s.key {
        "output-dir" => {
            "book.toml may only name an output folder inside the site; \
             to write the site elsewhere, pass --output on the command line"
        }
        _ => {
            "content and theme folders must be inside the folder holding book.toml \
             (symlinks are followed to check); move the folder into the site"
        }
    })
}

/// A folder Touchstone uses by its default name (`content/`, `templates/`,
/// `themes/`) that is a link leading out of the site.
fn default_folder_outside(root: &Path, path: &Path) -> Diagnostic {
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let target = crate::output::resolve_existing(path);
    Diagnostic::error(
        "folder-outside-site",
        name.clone(),
        format!(
            "{name}/ leads outside the site folder, to {}",
            target.display()
        ),
    )
    .with_hint("replace the link with the folder itself, inside the folder holding book.toml")
}

/// Whether `path` is `root` or inside it, where the system will find
/// both: symlinks followed as far as the path exists, and `..` applied
/// as making its folders will apply it (a site reached through a link
/// may name its output `../site/public`).
fn is_inside(root: &Path, path: &Path) -> bool {
    let real = crate::output::resolve_existing(path);
    root.canonicalize().is_ok_and(|root| real.starts_with(root))
}

fn toml_diagnostic(text: &str, err: &toml::de::Error) -> Diagnostic {
    let mut diagnostic = Diagnostic::error("config", CONFIG_FILE, err.message().to_string())
        .with_hint(
            "see the [book], [build], [site], [search] and [translations] tables in the README",
        );
    if let Some(span) = err.span() {
        let (line, column) = crate::diagnostics::line_col(text, span.start);
        diagnostic = diagnostic.at(line, column);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_forms_normalise_to_a_path_prefix() {
        assert_eq!(BaseUrl::parse("/").path, "/");
        assert_eq!(BaseUrl::parse("").path, "/");
        assert_eq!(BaseUrl::parse("/cx").path, "/cx/");
        let absolute = BaseUrl::parse("https://intranet.example.com/cx/");
        assert_eq!(absolute.origin, "https://intranet.example.com");
        assert_eq!(absolute.path, "/cx/");
        assert_eq!(
            absolute.absolute("roles/agent/"),
            "https://intranet.example.com/cx/roles/agent/"
        );
        assert_eq!(BaseUrl::parse("https://example.com").path, "/");
    }

    #[test]
    fn a_nav_url_that_runs_script_is_an_error_at_its_entry() {
        let text = "[[nav]]\ntitle = \"Status\"\nurl = \"https://status.example.com/\"\n\n\
                    [[nav]]\ntitle = \"Go\"\nurl = \" JavaScript:alert(1)\"\n";
        let raw: RawConfig = toml::from_str(text).unwrap();
        let error = nav_settings(raw.nav, text).unwrap_err();
        assert_eq!((error.code, error.line), ("config", Some(5)));
        assert!(error.message.contains("runs script"), "{}", error.message);
        assert!(!runs_script("javascript"));
        assert!(!runs_script("/javascript:/"));
    }

    #[test]
    fn base_urls_are_paths_or_web_addresses() {
        for fine in [
            "/",
            "",
            "/cx/",
            "cx",
            "https://intranet.example.com/cx/",
            "http://[::1]:8080/",
        ] {
            assert_eq!(BaseUrl::problem(fine), None, "{fine}");
        }
        for bad in [
            "javascript:alert(1)/",
            "http://[::1/",
            "ftp://files.example.com/",
            "https:///cx/",
            "/cx/\" onload=\"x",
            "/c x/",
            "/cx/?a=1",
        ] {
            assert!(BaseUrl::problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_in_book_toml_point_at_their_line() {
        let text = "[book]\ntitle = \"x\"\n\n[site]\nbase_url = \"/cx/\"\n";
        let err = toml::from_str::<RawConfig>(text).unwrap_err();
        let d = toml_diagnostic(text, &err);
        assert_eq!(d.line, Some(5));
        assert!(d.message.contains("base_url"), "{}", d.message);
    }
}
