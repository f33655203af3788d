//! Checks the built site as a browser would see it: every internal link and
//! `#anchor` resolves, every referenced asset exists, and every page can be
//! reached from the home page. Runs on the in-memory output, so it checks the
//! exact bytes that `build` writes. Each problem names the file and line the
//! link was written in: the page's source, else the site's template that
//! wrote it.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, closest};
use crate::markdown::tags::{srcset_urls, visit_start_tags};
use crate::output::OutputFile;

pub(crate) mod sampled;
pub(crate) mod written;

/// What one HTML page links to and which anchors it defines.
struct PageLinks<'a> {
    links: Vec<Link<'a>>,
    ids: HashSet<Cow<'a, str>>,
}

fn html_of(file: &OutputFile) -> Option<&str> {
    if !file.path.ends_with(".html") {
        return None;
    }
    std::str::from_utf8(&file.bytes).ok()
}

impl PageLinks<'_> {
    /// The same, owning its values (once the page's bytes are gone).
    fn into_owned(self) -> PageLinks<'static> {
        let owned = |value: Cow<str>| Cow::Owned(value.into_owned());
        PageLinks {
            links: self
                .links
                .into_iter()
                .map(|link| Link {
                    href: owned(link.href),
                    attr: link.attr,
                    target: link.target,
                })
                .collect(),
            ids: self.ids.into_iter().map(owned).collect(),
        }
    }
}

/// One link of a page (see `visit_links`), as written, and the output
/// file and fragment it points to (`None`: not a link to check).
struct Link<'a> {
    href: Cow<'a, str>,
    attr: &'static str,
    target: Option<(String, Option<String>)>,
}

/// Where the pages of the output were written: each page's source file, and
/// the templates the site brings (its own `templates/` and its theme's).
pub(crate) struct Origins<'a> {
    root: &'a Path,
    /// Output path (`roles/a/index.html`) to source file (`content/roles/a.md`).
    sources: &'a HashMap<String, String>,
    templates: Vec<String>,
    /// Where includes are read from, to search a source as it was built.
    content_dir: &'a Path,
    texts: Mutex<HashMap<String, Option<Searched>>>,
}

/// A file's text as a page was built from it: a source with its includes
/// expanded, and the file line each of its lines came from.
struct Searched {
    text: String,
    lines: Option<Vec<usize>>,
}

impl<'a> Origins<'a> {
    pub(crate) fn new(config: &'a Config, sources: &'a HashMap<String, String>) -> Origins<'a> {
        let theme = format!("themes/{}/templates", config.theme);
        let templates = ["templates", theme.as_str()]
            .iter()
            .flat_map(|dir| {
                walkdir::WalkDir::new(config.root.join(dir))
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file())
                    .filter_map(|e| {
                        let rel = e.path().strip_prefix(&config.root).ok()?;
                        Some(rel.to_string_lossy().replace('\\', "/"))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        Origins {
            root: &config.root,
            sources,
            templates,
            content_dir: &config.content_dir,
            texts: Mutex::default(),
        }
    }

    /// Pages only, without files to read (for unit tests).
    #[cfg(test)]
    fn of_sources(root: &'a Path, sources: &'a HashMap<String, String>) -> Origins<'a> {
        Origins {
            root,
            sources,
            templates: Vec::new(),
            content_dir: root,
            texts: Mutex::default(),
        }
    }

    fn source_of(&self, page: &str) -> Option<&'a String> {
        self.sources.get(page)
    }

    /// The file and line a link on `page` was written on: the first line of
    /// the page's source, else of one of the site's templates, that holds
    /// the link as written there (before it was made relative to the page).
    /// Failing both, the page's source from its first line, else the page.
    fn locate(&self, page: &str, href: &str, cursor: &mut Cursor) -> (String, Option<usize>) {
        let source = self.source_of(page);
        // The part of the href the source or template holds as it is.
        let mut written = href;
        while let Some(rest) = written
            .strip_prefix("../")
            .or_else(|| written.strip_prefix("./"))
        {
            written = rest;
        }
        let fragment = href.split_once('#').map(|(_, f)| format!("#{f}"));
        let path = written.split(['#', '?']).next().unwrap_or("");
        let needles: Vec<&str> = [Some(written), fragment.as_deref(), Some(path)]
            .into_iter()
            .flatten()
            .filter(|n| n.len() > 1)
            .collect();
        // The link was read with its character references decoded: HTML
        // in a source most often spells `&` as `&amp;`. And Markdown links
        // are written out percent-encoded (`#café` as `#caf%C3%A9`).
        let escaped: Vec<String> = needles
            .iter()
            .filter(|n| n.contains('&'))
            .map(|n| n.replace('&', "&amp;"))
            .chain(needles.iter().filter_map(|n| percent_decoded(n)))
            .collect();
        let needles: Vec<&str> = needles
            .into_iter()
            .chain(escaped.iter().map(String::as_str))
            .collect();
        if let Some(file) = source
            && let Some(line) = needles.iter().find_map(|n| self.line_of(file, n, cursor))
        {
            return (file.clone(), Some(line));
        }
        for file in &self.templates {
            let from_the_top = &mut Cursor::default();
            if let Some(line) = needles
                .iter()
                .find_map(|n| self.line_of(file, n, from_the_top))
            {
                return (file.clone(), Some(line));
            }
        }
        match source {
            Some(file) => (file.clone(), Some(1)),
            None => (page.to_string(), None),
        }
    }

    /// The line of `file` holding `needle`: the first after `cursor`, else
    /// the first of the file; `cursor` then moves past it.
    fn line_of(&self, file: &str, needle: &str, cursor: &mut Cursor) -> Option<usize> {
        let mut texts = self.texts.lock().expect("texts lock");
        let searched = texts
            .entry(file.to_string())
            .or_insert_with(|| self.read(file))
            .as_ref()?;
        let text = searched.text.as_str();
        let newlines = |text: &str| memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let (at, line) = match find_whole(text, cursor.at, needle) {
            Some(at) => (at, cursor.line + newlines(&text[cursor.at..at])),
            None => {
                let at = find_whole(text, 0, needle)?;
                (at, newlines(&text[..at]))
            }
        };
        *cursor = Cursor {
            at: at + needle.len(),
            line,
        };
        let origin = searched.lines.as_ref().and_then(|lines| lines.get(line));
        Some(origin.copied().unwrap_or(line) + 1)
    }

    /// `file` to search: a source with its includes expanded as its page
    /// was built (a link in included text is found at its directive's line).
    fn read(&self, file: &str) -> Option<Searched> {
        let text = std::fs::read_to_string(self.root.join(file)).ok()?;
        let source = self
            .root
            .join(file)
            .strip_prefix(self.content_dir)
            .ok()
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let (Some(source), true) = (source, crate::markdown::includes::has_directives(&text))
        else {
            return Some(Searched { text, lines: None });
        };
        let ctx = crate::markdown::includes::IncludeContext {
            content_dir: self.content_dir,
            source: &source,
            file,
            first_line: 1,
        };
        let expanded = crate::markdown::includes::expand(&text, Some(&ctx));
        Some(Searched {
            lines: expanded.lines.map(|lines| lines.origin),
            text: expanded.text.into_owned(),
        })
    }

    /// A page, and the source it was rendered from, for messages.
    fn describe(&self, page: &str) -> String {
        match self.source_of(page) {
            Some(source) => format!("{page} (from {source})"),
            None => page.to_string(),
        }
    }
}

/// Where `needle` is first written whole in `text` from byte `from`: as a
/// link ends, not as the start of a longer one (`#step-1` is not found in
/// `#step-10`); and, unless it is a fragment (which may follow a file
/// name), as a link starts, maybe after `../`, not inside another address
/// (`team/` is not found in `https://example.com/team/`).
fn find_whole(text: &str, from: usize, needle: &str) -> Option<usize> {
    let ends_a_link = |c: char| c.is_whitespace() || ")\"'<>]#?|,".contains(c);
    let starts_a_link = |before: &str| {
        let mut before = before;
        while let Some(rest) = before
            .strip_suffix("../")
            .or_else(|| before.strip_suffix("./"))
        {
            before = rest;
        }
        // A link from the site's root (`/static/x.png`).
        before = before.strip_suffix('/').unwrap_or(before);
        // `}`: after a template's `{{ frame.root }}`.
        let starts = |c: char| c.is_whitespace() || "(\"'<=[:,}".contains(c);
        before.chars().next_back().is_none_or(starts)
    };
    let mut start = from;
    loop {
        let at = start + text.get(start..)?.find(needle)?;
        let end = at + needle.len();
        let ends = text[end..].chars().next().is_none_or(ends_a_link);
        if ends && (needle.starts_with('#') || starts_a_link(&text[..at])) {
            return Some(at);
        }
        start = at + 1;
        while !text.is_char_boundary(start) {
            start += 1;
        }
    }
}

/// `text` with its `%XX` escapes decoded, if that changes it.
fn percent_decoded(text: &str) -> Option<String> {
    Some(crate::markdown::percent_decode(text)).filter(|decoded| decoded != text)
}

/// Where in a page's source the search for its next broken link starts
/// (just after the last one found, and that one's line index): a page's
/// links are checked in the order it holds them, so each is looked for
/// after the one before. A
/// page with thousands of broken links is then read once, not once each,
/// and two broken links written alike are each placed at their own line.
#[derive(Default)]
struct Cursor {
    at: usize,
    line: usize,
}

/// What the output holds, as checking a link asks it.
trait Output {
    /// Whether a file is at `file`.
    fn has(&self, file: &str) -> bool;
    /// Whether the page at `page` has the id `id`; `None` when no page is there.
    fn has_id(&self, page: &str, id: &str) -> Option<bool>;
    /// The ids of the page at `page`, in order.
    fn ids_of(&self, page: &str) -> BTreeSet<&str>;
}

/// Pages read whole, and the other files beside them.
struct ReadWhole<'a, 'p> {
    existing: &'a HashSet<&'a str>,
    ids: HashMap<&'a str, &'a HashSet<Cow<'p, str>>>,
}

impl Output for ReadWhole<'_, '_> {
    fn has(&self, file: &str) -> bool {
        self.existing.contains(file)
    }

    fn has_id(&self, page: &str, id: &str) -> Option<bool> {
        Some(self.ids.get(page)?.contains(id))
    }

    fn ids_of(&self, page: &str) -> BTreeSet<&str> {
        self.ids
            .get(page)
            .into_iter()
            .flat_map(|ids| ids.iter().map(|id| id.as_ref()))
            .collect()
    }
}

/// The broken links and anchors of `pages`, whose links resolve among the
/// `existing` files, and the pages among them no link reaches.
fn findings(
    existing: &HashSet<&str>,
    pages: &[(&str, &PageLinks)],
    origins: &Origins,
    unbuilt: &[&str],
) -> Vec<Diagnostic> {
    let output = ReadWhole {
        existing,
        ids: pages
            .iter()
            .map(|(path, page)| (*path, &page.ids))
            .collect(),
    };
    // Each page's links are checked on their own, in the pages' order.
    let per_page: Vec<Vec<Diagnostic>> = pages
        .par_iter()
        .map(|(path, page)| broken_links(path, page, &output, origins, unbuilt))
        .collect();
    let mut diagnostics: Vec<Diagnostic> = per_page.into_iter().flatten().collect();
    diagnostics.extend(orphans(pages, origins));
    diagnostics
}

/// The broken links and anchors of the page at `path`.
fn broken_links(
    path: &str,
    page: &PageLinks,
    output: &impl Output,
    origins: &Origins,
    unbuilt: &[&str],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let shown = || origins.describe(path);
    let mut cursor = Cursor::default();
    for link in &page.links {
        let Some((target_file, fragment)) = &link.target else {
            continue;
        };
        let href = link.href.as_ref();
        if !output.has(target_file) {
            if unbuilt.iter().any(|folder| target_file.starts_with(folder)) {
                continue;
            }
            let what = if link.attr == "src" {
                "an asset"
            } else {
                "a page"
            };
            let (file, line) = origins.locate(path, href, &mut cursor);
            diagnostics.push(
                located(
                    Diagnostic::error(
                        "broken-output-link",
                        file,
                        format!("{} links to {what} that does not exist: `{href}`", shown()),
                    ),
                    line,
                )
                .with_hint("check the link in the source, or the template that writes it"),
            );
            continue;
        }
        if let Some(fragment) = fragment.as_ref().filter(|f| !f.is_empty())
            && output.has_id(target_file, fragment) == Some(false)
        {
            let (file, line) = origins.locate(path, href, &mut cursor);
            diagnostics.push(
                located(
                    Diagnostic::error(
                        "broken-anchor",
                        file,
                        format!(
                            "{} links to `{href}`, but that page has no `#{fragment}`",
                            shown()
                        ),
                    ),
                    line,
                )
                .with_hint(anchor_hint(fragment, output.ids_of(target_file))),
            );
        }
    }
    diagnostics
}

/// The id nearest to a missing one, else how ids are made. `ids` are in
/// order, so the same site always gets the same hint.
fn anchor_hint(fragment: &str, ids: BTreeSet<&str>) -> String {
    match closest(fragment, ids) {
        Some(id) => format!("did you mean `#{id}`?"),
        None => "heading ids follow GitHub's rules: lower case, spaces as `-`, \
                 punctuation other than `_` and `-` dropped, e.g. #why-it-matters"
            .to_string(),
    }
}

fn located(diagnostic: Diagnostic, line: Option<usize>) -> Diagnostic {
    match line {
        Some(line) => diagnostic.at_line(line),
        None => diagnostic,
    }
}

/// The pages a chain of links reaches from the home page.
fn reachable<'p>(pages: &[(&'p str, &PageLinks)]) -> HashSet<&'p str> {
    let index: HashMap<&str, &PageLinks> =
        pages.iter().map(|(path, page)| (*path, *page)).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = VecDeque::from(["index.html"]);
    while let Some(path) = queue.pop_front() {
        let Some((&path, page)) = index.get_key_value(path) else {
            continue;
        };
        if !seen.insert(path) {
            continue;
        }
        for link in &page.links {
            if let Some((target, _)) = &link.target
                && target.ends_with(".html")
                && let Some((&next, _)) = index.get_key_value(target.as_str())
                && !seen.contains(next)
            {
                queue.push_back(next);
            }
        }
    }
    seen
}

/// Pages no chain of links reaches from the home page.
fn orphans(pages: &[(&str, &PageLinks)], origins: &Origins) -> Vec<Diagnostic> {
    let seen = reachable(pages);
    let unreached = pages
        .iter()
        .map(|(path, _)| *path)
        .filter(|p| !seen.contains(p));
    orphan_diagnostics(unreached, origins)
}

/// The `unreached` pages an author wrote, as orphans, in order.
fn orphan_diagnostics<'p>(
    unreached: impl Iterator<Item = &'p str>,
    origins: &Origins,
) -> Vec<Diagnostic> {
    // Only a page an author wrote can be linked to by them: a generated
    // list page of an empty section is nobody's to fix.
    let mut orphans: Vec<(&str, &String)> = unreached
        .filter_map(|p| Some((p, origins.source_of(p)?)))
        .collect();
    orphans.sort();
    orphans.dedup();
    orphans
        .into_iter()
        .map(|(page, source)| {
            // The whole page is the problem: its source from the first line.
            Diagnostic::warning(
                "orphan-page",
                source.clone(),
                format!("no link leads to {page} from the home page"),
            )
            .at_line(1)
            .with_hint("link to it from a guide or a section page, e.g. with [[its-id]]")
        })
        .collect()
}

/// Every link (see `visit_links`) and every `id` (and `<a name>`) of the
/// start tags of the page at `path`, each link resolved.
fn scan<'a>(path: &str, html: &'a str) -> PageLinks<'a> {
    let mut links = Vec::new();
    let mut ids = HashSet::new();
    visit_links(path, html, |value, role| {
        if role == "id" {
            ids.insert(value);
        } else {
            links.push(link(path, value, role));
        }
    });
    PageLinks { links, ids }
}

/// Calls `found` with every `href`, `action` and `formaction` (as
/// `href`), every `src`, `poster` and URL of a `srcset` (as `src`), and
/// every `id` and `<a name>` (as `id`) of the start tags of the page at
/// `path`: text is never read, so `href="..."` shown in prose or code is
/// not a link, and single-quoted values count too.
fn visit_links<'a>(path: &str, html: &'a str, mut found: impl FnMut(Cow<'a, str>, &'static str)) {
    // The 404 page's links are relative to the base URL, not to itself.
    let check_links = path != "404.html";
    visit_start_tags(html, is_read, |tag| {
        let anchor = tag.name.eq_ignore_ascii_case("a");
        for attribute in tag.attributes.drain(..) {
            let Some(role) = role_of(attribute.name, anchor) else {
                continue;
            };
            match (attribute.value, role) {
                (Some(value), "id") => found(value, role),
                (Some(value), "srcset") if check_links => {
                    for url in srcset_urls(&value) {
                        let url = match &value {
                            Cow::Borrowed(value) => Cow::Borrowed(&value[url]),
                            Cow::Owned(value) => Cow::Owned(value[url].to_string()),
                        };
                        found(url, "src");
                    }
                }
                (Some(value), role) if check_links => found(value, role),
                _ => {}
            }
        }
    });
}

/// Whether `visit_links` reads an attribute of this name.
fn is_read(name: &str) -> bool {
    role_of(name, true).is_some()
}

/// What an attribute of this name is to `visit_links`, in any case:
/// `href` (`href`, `action`, `formaction`), `src` (`src`, `poster`),
/// `srcset`, or `id` (`id`, and `name` on an `<a>`, if `anchor`). Told
/// apart by length first: most attributes of a page are none of them.
fn role_of(name: &str, anchor: bool) -> Option<&'static str> {
    let is = |read: &str| name.eq_ignore_ascii_case(read);
    match name.len() {
        2 if is("id") => Some("id"),
        3 if is("src") => Some("src"),
        4 if is("href") => Some("href"),
        4 if anchor && is("name") => Some("id"),
        6 if is("action") => Some("href"),
        6 if is("poster") => Some("src"),
        6 if is("srcset") => Some("srcset"),
        10 if is("formaction") => Some("href"),
        _ => None,
    }
}

/// A link on the page at `path`, with the output file it points to.
fn link<'a>(path: &str, href: Cow<'a, str>, attr: &'static str) -> Link<'a> {
    let target = target_of(path, &href);
    Link { href, attr, target }
}

/// The output file a link on the page at `path` points to, and its
/// fragment (`None`: not a link to check).
fn target_of(path: &str, href: &str) -> Option<(String, Option<String>)> {
    resolve(path, href).map(|(mut target, fragment)| {
        if target.is_empty() || target.ends_with('/') {
            target.push_str("index.html");
        }
        (target, fragment)
    })
}

/// The output path a relative link on `page` points to, and its fragment;
/// `None` for external, absolute, data and serve-only links. `href` is
/// decoded already (`visit_links`): `&amp;` in it is what the page says.
fn resolve(page: &str, href: &str) -> Option<(String, Option<String>)> {
    // A page has hundreds of links, nearly all plain paths: one byte
    // search each rules out what a longer search would look for.
    let has = |byte: u8, text: &str| memchr::memchr(byte, text.as_bytes()).is_some();
    if has(b':', href)
        || href.starts_with('/')
        || href.starts_with("__touchstone")
        || (has(b'_', href) && href.contains("/__touchstone/"))
        // Template syntax a body kept as written: warned about at its line.
        || (has(b'{', href) && (href.contains("{{") || href.contains("{%")))
    {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(crate::markdown::percent_decode(f))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Some((page.to_string(), fragment));
    }
    let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut target = crate::markdown::normalise(folder, path)?;
    if path.ends_with('/') && !target.is_empty() {
        target.push('/');
    }
    Some((target, fragment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::new(path, html)
    }

    #[test]
    fn finds_broken_links_missing_anchors_and_orphans() {
        let files = vec![
            page(
                "index.html",
                r#"<a href="roles/a/">A</a> <a href="roles/b/">B</a> <a href="roles/a/#nope">x</a> <img src="img/x.png">"#,
            ),
            page(
                "roles/a/index.html",
                r##"<h2 id="why">Why</h2><a href="../../">home</a> <a href="#why">here</a>"##,
            ),
            page("lost/index.html", "<p>nobody links here</p>"),
        ];
        let mut sources = HashMap::new();
        sources.insert("lost/index.html".to_string(), "content/lost.md".to_string());
        let root = Path::new("/nowhere");
        let codes: Vec<(&str, String)> = written::check(
            &files,
            Vec::new(),
            &[],
            written::Names::default(),
            |_| None,
            &Origins::of_sources(root, &sources),
            &[],
        )
        .iter()
        .map(|d| (d.code, d.file.clone()))
        .collect();
        assert_eq!(
            codes,
            vec![
                ("broken-output-link", "index.html".to_string()),
                ("broken-anchor", "index.html".to_string()),
                ("broken-output-link", "index.html".to_string()),
                ("orphan-page", "content/lost.md".to_string()),
            ]
        );
    }

    #[test]
    fn a_link_is_found_whole_not_inside_a_longer_one() {
        let text = "[a](#step-10) [b](#step-1)\n<a href=\"é#x\">";
        assert_eq!(find_whole(text, 0, "#step-1"), Some(18));
        assert_eq!(find_whole(text, 0, "#step-10"), Some(4));
        assert_eq!(find_whole(text, 5, "#step-10"), None);
        assert_eq!(find_whole(text, 0, "é"), Some(36));
        let links = "<https://example.com/team/> [t](../team/) [u](./team/)";
        assert_eq!(find_whole(links, 0, "team/"), Some(35));
        assert_eq!(find_whole(links, 36, "team/"), Some(48));
        assert_eq!(find_whole("a.md#x", 0, "#x"), Some(4));
        assert_eq!(find_whole("[a](/static/x.png)", 0, "static/x.png"), Some(5));
        assert_eq!(
            find_whole("srcset=\"b.png, c.png 2x\"", 0, "b.png"),
            Some(8)
        );
        assert_eq!(find_whole(text, 0, "#x"), Some(38));
        assert_eq!(percent_decoded("#caf%C3%A9-y"), Some("#café-y".into()));
        assert_eq!(percent_decoded("a%20b%2"), Some("a b%2".into()));
        assert_eq!(percent_decoded("plain"), None);
        assert_eq!(percent_decoded("%FF"), None);
    }

    #[test]
    fn relative_links_resolve_like_a_browser() {
        assert_eq!(
            resolve("roles/a/index.html", "../../standards/s/#x"),
            Some(("standards/s/".into(), Some("x".into())))
        );
        assert_eq!(resolve("index.html", "./"), Some(("".into(), None)));
        assert_eq!(resolve("index.html", "https://example.com/"), None);
        assert_eq!(resolve("index.html", "../../etc"), None);
    }

    /// What the output check reports on `files` (the first is the home
    /// page), as `code: message`.
    fn reported(files: &[OutputFile]) -> Vec<String> {
        let sources = HashMap::new();
        written::check(
            files,
            Vec::new(),
            &[],
            written::Names::default(),
            |_| None,
            &Origins::of_sources(Path::new("/nowhere"), &sources),
            &[],
        )
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
    }

    /// What each of `messages` with this `code` names first in backticks.
    fn named_in<'m>(messages: &'m [String], code: &str) -> Vec<&'m str> {
        messages
            .iter()
            .filter(|m| m.starts_with(code))
            .filter_map(|m| m.split('`').nth(1))
            .collect()
    }

    #[test]
    fn every_attribute_browsers_follow_to_the_site_is_checked() {
        let messages = reported(&[page(
            "index.html",
            r#"<form action="a/"><button formaction="b/">go</button></form>
               <video poster="c.png"></video> <img srcset="d.png 1x, e.png 2x" alt="">
               <object data="f.svg"></object> <A CLASS="x" HREF="g/" data-href="h/">g</A>"#,
        )]);
        let named = named_in(&messages, "broken-output-link");
        assert_eq!(
            named,
            ["a/", "b/", "c.png", "d.png", "e.png", "g/"],
            "{messages:#?}"
        );
    }

    #[test]
    fn only_ids_and_the_names_of_anchors_are_fragments_a_link_can_reach() {
        // Attributes as long as `id`, `name` and the link attributes, on
        // elements that hold none of them: a link to their values is broken.
        let messages = reported(&[page(
            "index.html",
            r##"<p ID="up">x</p> <a NAME="top">x</a> <div name="nav" role="main" lang="en">
               <p cx="one" to="two">x</p> <meta property="three" content="four" hidden>
               <a href="#up">ok</a> <a href="#top">ok</a> <a href="#nav">1</a> <a href="#main">2</a>
               <a href="#en">3</a> <a href="#one">4</a> <a href="#two">5</a> <a href="#three">6</a>
               <a href="#four">7</a>"##,
        )]);
        let named = named_in(&messages, "broken-anchor");
        assert_eq!(
            named,
            ["#nav", "#main", "#en", "#one", "#two", "#three", "#four"],
            "{messages:#?}"
        );
    }

    #[test]
    fn links_with_an_underscore_or_a_lone_brace_are_checked() {
        let messages = reported(&[
            page(
                "index.html",
                r#"<a href="set_up/">fine</a> <a href="no_such_page/">gone</a> <a href="api/{id}/">gone too</a>"#,
            ),
            page("set_up/index.html", "<p>Set up</p>"),
        ]);
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(
            messages[0].starts_with("broken-output-link")
                && messages[0].contains("`no_such_page/`"),
            "{messages:#?}"
        );
        assert!(
            messages[1].starts_with("broken-output-link") && messages[1].contains("`api/{id}/`"),
            "{messages:#?}"
        );
    }

    #[test]
    fn links_kept_as_template_syntax_are_not_checked() {
        let messages = reported(&[page(
            "index.html",
            r#"<a href="{{ site.baseurl }}/docs/">a</a> <a href="{% link guide.md %}">b</a> <a href="missing/">c</a>"#,
        )]);
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].contains("`missing/`"), "{messages:#?}");
    }
}
