//! Clashes: two sources that would land on one output path. Every entity
//! page, plain page, asset and generated file claims its path; one written
//! over another would silently replace it, so a path claimed twice is an
//! error naming both claimants.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::fingerprint::{QuickMap, QuickSet};
use crate::model::{
    GENERATED_FILES, Kind, SERVER_PATHS, Site, generated_pages, is_generated_page, shows_intro,
};
use crate::output::index_html;

/// Who writes a file of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Claimant<'a> {
    /// A file the author wrote, relative to the site root, and its line.
    Source(Cow<'a, str>, usize),
    /// Touchstone itself: an overview, the sitemap, a theme or search file.
    Generated,
}

/// The output pages rendered from an entity or a plain page (a role's
/// onboarding page included), as (output path, source file, line).
pub(crate) fn entity_pages(site: &Site) -> Vec<(String, &str, usize)> {
    let mut pages = Vec::new();
    for (key, meta) in site.all_metas() {
        if key.kind == Kind::Page && is_generated_page(meta.path.as_str()) {
            continue;
        }
        let path = meta.path.as_str();
        pages.push((index_html(path), meta.file.as_str(), meta.line));
        if key.kind == Kind::Role {
            let onboarding = format!("{path}onboarding/index.html");
            pages.push((onboarding, meta.file.as_str(), meta.line));
        }
    }
    pages
}

/// The files Touchstone generates that are known before rendering: the
/// overview and list pages, the sitemap, the 404 page, the CSV; and the
/// paths `serve` keeps for itself.
pub(crate) fn known_generated() -> Vec<String> {
    generated_pages()
        .map(|page| index_html(&page))
        .chain(GENERATED_FILES.iter().map(|file| file.to_string()))
        .chain(SERVER_PATHS.iter().map(|path| path.to_string()))
        .collect()
}

/// Every output path claimed twice once the site is rendered, given the
/// paths of every file rendering and search produced: those that no
/// entity or page wrote (theme and search files among them) are
/// Touchstone's.
pub(crate) fn find_rendered<'p>(
    site: &Site,
    content_prefix: &str,
    rendered: impl Iterator<Item = &'p str>,
) -> Vec<Diagnostic> {
    let pages = entity_pages(site);
    let from_sources: QuickSet<&str> = pages.iter().map(|(out, _, _)| out.as_str()).collect();
    let generated = rendered
        .filter(|path| !from_sources.contains(path))
        .map(str::to_string)
        .collect();
    find_among(site, content_prefix, generated, pages)
}

/// Every output path claimed twice, as errors at the later source, given
/// the paths Touchstone generates (assets and pages come from `site`).
pub(crate) fn find(site: &Site, content_prefix: &str, generated: Vec<String>) -> Vec<Diagnostic> {
    find_among(site, content_prefix, generated, entity_pages(site))
}

/// `find`, given the entity pages (`entity_pages`).
fn find_among<'s>(
    site: &'s Site,
    content_prefix: &str,
    generated: Vec<String>,
    pages: Vec<(String, &'s str, usize)>,
) -> Vec<Diagnostic> {
    let claims = claims(site, content_prefix, generated, pages);
    let nested = nested_errors(&claims);
    let clashing: BTreeMap<String, Vec<Claimant>> = claims
        .into_iter()
        .filter(|(_, claimants)| claimants.len() > 1)
        .collect();
    clashing
        .into_iter()
        .flat_map(|(path, mut claimants)| {
            claimants.sort();
            clash_errors(&path, &claimants)
        })
        .chain(nested)
        .collect()
}

/// Who claims each output path: Touchstone, and each page and asset.
fn claims<'s>(
    site: &'s Site,
    content_prefix: &str,
    generated: Vec<String>,
    pages: Vec<(String, &'s str, usize)>,
) -> QuickMap<String, Vec<Claimant<'s>>> {
    // Hashed, not sorted: only the few paths claimed twice are put in order.
    let mut claims: QuickMap<String, Vec<Claimant<'s>>> = QuickMap::with_capacity_and_hasher(
        generated.len() + pages.len() + site.assets.len(),
        Default::default(),
    );
    let mut claim =
        |path: String, claimant: Claimant<'s>| claims.entry(path).or_default().push(claimant);
    for path in generated {
        claim(path, Claimant::Generated);
    }
    for (out, file, line) in pages {
        claim(out, Claimant::Source(Cow::Borrowed(file), line));
    }
    for page in site.pages.values() {
        let path = page.meta.path.as_str();
        if is_generated_page(path) && !shows_intro(path) {
            let out = index_html(path);
            let file = Cow::Borrowed(page.meta.file.as_str());
            claim(out, Claimant::Source(file, page.meta.line));
        }
    }
    for asset in &site.assets {
        let file = format!("{content_prefix}{}", asset.path);
        claim(asset.path.clone(), Claimant::Source(Cow::Owned(file), 1));
    }
    claims
}

/// Output paths and folders that differ only in case (`Guides/` beside
/// `guides/`, `Sitemap.XML` beside `sitemap.xml`), as warnings at the
/// author's file with the odd spelling: one output here, but a host that
/// ignores case keeps only one of them.
pub(crate) fn case_only(
    site: &Site,
    content_prefix: &str,
    generated: Vec<String>,
) -> Vec<Diagnostic> {
    // Addresses of pages are slugs, lower case: only a file copied as it is
    // can spell a name otherwise, and most sites have none.
    let upper = |path: &str| path.chars().any(char::is_uppercase);
    if !site.assets.iter().any(|asset| upper(&asset.path)) {
        return Vec::new();
    }
    let claims = claims(site, content_prefix, generated, entity_pages(site));
    let mut spellings: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for path in claims.keys() {
        let ends = path
            .match_indices('/')
            .map(|(at, _)| at)
            .chain([path.len()]);
        for end in ends {
            let part = &path[..end];
            spellings
                .entry(part.to_lowercase())
                .or_default()
                .insert(part);
        }
    }
    let mut warned: BTreeSet<&str> = BTreeSet::new();
    let mut warnings = Vec::new();
    for (lower, spelled) in spellings.iter().filter(|(_, spelled)| spelled.len() > 1) {
        let usual = spelled
            .get(lower.as_str())
            .or(spelled.first())
            .copied()
            .unwrap_or_default();
        for odd in spelled.iter().filter(|odd| **odd != usual) {
            let inside = format!("{odd}/");
            let claimed = claims
                .iter()
                .filter(|(path, _)| *path == odd || path.starts_with(&inside));
            // The first such file by path: the same one on every run.
            let source = claimed
                .flat_map(|(path, claimants)| claimants.iter().map(move |c| (path, c)))
                .filter_map(|(path, c)| match c {
                    Claimant::Source(file, line) => Some((path, file.as_ref(), *line)),
                    Claimant::Generated => None,
                })
                .min();
            let Some((path, file, line)) = source.filter(|(_, file, _)| warned.insert(file)) else {
                continue;
            };
            let message = if path == odd {
                format!("this file lands on `{odd}`, which differs only in case from `{usual}`")
            } else {
                format!("this file lands in `{odd}/`, which differs only in case from `{usual}/`")
            };
            warnings.push(
                Diagnostic::warning("case-clash", file, message)
                .at_line(line)
                .with_hint("a host that ignores case (Windows, macOS, many web servers) keeps one of the two; rename one so they differ in more than case"),
            );
        }
    }
    warnings
}

/// A path claimed as a file where another claimant needs a folder
/// (`content/playbook.json.md` lands in `playbook.json/`, where the export
/// is written): neither could be written after the other. The error goes
/// to an author's file, naming the other claimant.
fn nested_errors(claims: &QuickMap<String, Vec<Claimant>>) -> Vec<Diagnostic> {
    let mut found: BTreeMap<(&str, &str), (&Claimant, &Claimant)> = BTreeMap::new();
    for (path, inside) in claims {
        for (at, _) in path.match_indices('/') {
            let folder = &path[..at];
            if let Some(file) = claims.get(folder) {
                found.insert((folder, path.as_str()), (&file[0], &inside[0]));
            }
        }
    }
    found
        .into_iter()
        .filter_map(|((folder, path), claimants)| {
            let ((file, line), message) = match claimants {
                (Claimant::Generated, Claimant::Generated) => return None,
                (Claimant::Generated, Claimant::Source(file, line)) => (
                    (file.as_ref(), *line),
                    format!("this file lands on `{path}`, inside `{folder}`, which Touchstone writes as a file"),
                ),
                (Claimant::Source(file, line), Claimant::Generated) => (
                    (file.as_ref(), *line),
                    format!("this file lands on `{folder}`, where Touchstone needs a folder for `{path}`"),
                ),
                (Claimant::Source(_, _), Claimant::Source(file, line)) => (
                    (file.as_ref(), *line),
                    format!("this file lands on `{path}`, inside `{folder}`, where {} lands as a file", source_of(claimants.0)),
                ),
            };
            Some(
                Diagnostic::error("output-clash", file, message)
                    .at_line(line)
                    .with_hint("a file and a folder cannot share a name; move or rename this file"),
            )
        })
        .collect()
}

fn source_of(claimant: &Claimant) -> String {
    match claimant {
        Claimant::Source(file, _) => file.to_string(),
        Claimant::Generated => "Touchstone's own file".to_string(),
    }
}

/// The errors for one path claimed by `claimants` (sorted: sources first).
fn clash_errors(path: &str, claimants: &[Claimant]) -> Vec<Diagnostic> {
    let sources: Vec<(&str, usize)> = claimants
        .iter()
        .filter_map(|c| match c {
            Claimant::Source(file, line) => Some((file.as_ref(), *line)),
            Claimant::Generated => None,
        })
        .collect();
    if claimants.contains(&Claimant::Generated) {
        return sources
            .iter()
            .map(|(file, line)| {
                Diagnostic::error(
                    "output-clash",
                    *file,
                    format!("this file lands on `{path}`, which Touchstone generates itself"),
                )
                .at_line(*line)
                .with_hint("one would replace the other; move or rename this file")
            })
            .collect();
    }
    let (first, first_line) = sources[0];
    sources[1..]
        .iter()
        .map(|(file, line)| {
            Diagnostic::error(
                "output-clash",
                *file,
                format!("this file and {first} both land on `{path}`"),
            )
            .at_line(*line)
            .with_hint(format!(
                "one would replace the other; move or rename one of them ({first}:{first_line})"
            ))
        })
        .collect()
}
