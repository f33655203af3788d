//! Checks the built site as a browser would see it: every internal link and
//! `#anchor` resolves, every referenced asset exists, and every page can be
//! reached from the home page. Runs on the in-memory output, so it checks the
//! exact bytes that `build` writes.

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

/// What one HTML page links to and which anchors it defines.
struct PageLinks<'a> {
    links: Vec<(&'a str, &'static str)>,
    ids: BTreeSet<&'a str>,
}

/// `sources` maps an output path (`roles/a/index.html`) to the file it came from.
pub fn check(files: &[OutputFile], sources: &HashMap<String, String>) -> Vec<Diagnostic> {
    let existing: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let pages: HashMap<&str, PageLinks> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| Some((f.path.as_str(), scan(std::str::from_utf8(&f.bytes).ok()?))))
        .collect();
    let mut diagnostics = Vec::new();
    let mut graph: HashMap<&str, Vec<String>> = HashMap::new();
    for (path, page) in &pages {
        if *path == "404.html" {
            continue; // its links are relative to the base URL, not to itself
        }
        let file = sources
            .get(*path)
            .cloned()
            .unwrap_or_else(|| path.to_string());
        for (href, attr) in &page.links {
            let Some((target, fragment)) = resolve(path, href) else {
                continue;
            };
            let target_file = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target.clone()
            };
            if !existing.contains(target_file.as_str()) {
                let what = if *attr == "src" { "an asset" } else { "a page" };
                diagnostics.push(
                    Diagnostic::error(
                        "broken-output-link",
                        &file,
                        format!("{path} links to {what} that does not exist: `{href}`"),
                    )
                    .with_hint("check the link in the source, or the template that writes it"),
                );
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && let Some(target_page) = pages.get(target_file.as_str())
                && !target_page.ids.contains(fragment.as_str())
            {
                diagnostics.push(
                    Diagnostic::error(
                        "broken-anchor",
                        &file,
                        format!("{path} links to `{href}`, but that page has no `#{fragment}`"),
                    )
                    .with_hint(
                        "anchors are heading texts in lower case with dashes, e.g. #why-it-matters",
                    ),
                );
            }
            if target_file.ends_with(".html") {
                graph.entry(path).or_default().push(target_file);
            }
        }
    }
    diagnostics.extend(orphans(&pages, &graph, sources));
    diagnostics
}

/// Pages no chain of links reaches from the home page.
fn orphans(
    pages: &HashMap<&str, PageLinks>,
    graph: &HashMap<&str, Vec<String>>,
    sources: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = VecDeque::from(["index.html"]);
    while let Some(page) = queue.pop_front() {
        if !seen.insert(page) {
            continue;
        }
        for next in graph.get(page).into_iter().flatten() {
            if let Some((key, _)) = pages.get_key_value(next.as_str()) {
                queue.push_back(key);
            }
        }
    }
    let mut orphans: Vec<&str> = pages
        .keys()
        .copied()
        .filter(|p| !seen.contains(p) && *p != "404.html")
        .collect();
    orphans.sort();
    orphans
        .into_iter()
        .map(|p| {
            let file = sources.get(p).cloned().unwrap_or_else(|| p.to_string());
            Diagnostic::warning(
                "orphan-page",
                file,
                format!("no link leads to {p} from the home page"),
            )
            .with_hint("link to it from a guide or a section page, e.g. with [[its-id]]")
        })
        .collect()
}

/// Every `href`, `src` and `action` value, and every `id`, of our own HTML.
fn scan(html: &str) -> PageLinks<'_> {
    let mut links = Vec::new();
    let mut ids = BTreeSet::new();
    for (attr, kind) in [
        (" href=\"", "href"),
        (" src=\"", "src"),
        (" action=\"", "href"),
        (" id=\"", "id"),
    ] {
        let mut rest = html;
        while let Some(start) = rest.find(attr) {
            rest = &rest[start + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = &rest[..end];
            if kind == "id" {
                ids.insert(value);
            } else {
                links.push((value, kind));
            }
        }
    }
    PageLinks { links, ids }
}

/// The output path a relative link on `page` points to, and its fragment;
/// `None` for external, absolute, data and serve-only links.
fn resolve(page: &str, href: &str) -> Option<(String, Option<String>)> {
    let href = href.replace("&amp;", "&");
    if href.contains(':')
        || href.starts_with('/')
        || href.starts_with("__touchstone")
        || href.contains("/__touchstone/")
    {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (href.clone(), None),
    };
    let path = path.split('?').next().unwrap_or("").to_string();
    if path.is_empty() {
        return Some((page.to_string(), fragment));
    }
    let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut target = crate::markdown::normalise(folder, &path)?;
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
        let codes: Vec<(&str, String)> = check(&files, &sources)
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
    fn relative_links_resolve_like_a_browser() {
        assert_eq!(
            resolve("roles/a/index.html", "../../standards/s/#x"),
            Some(("standards/s/".into(), Some("x".into())))
        );
        assert_eq!(resolve("index.html", "./"), Some(("".into(), None)));
        assert_eq!(resolve("index.html", "https://example.com/"), None);
        assert_eq!(resolve("index.html", "../../etc"), None);
    }
}
