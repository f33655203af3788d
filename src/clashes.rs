//! Clashes: two sources that would land on one output path. Every entity
//! page, plain page, asset and generated file claims its path; one written
//! over another would silently replace it, so a path claimed twice is an
//! error naming both claimants.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::model::{GENERATED_FILES, Kind, Site, generated_pages, is_generated_page, shows_intro};

/// Who writes a file of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Claimant {
    /// A file the author wrote, relative to the site root, and its line.
    Source(String, usize),
    /// Touchstone itself: an overview, the sitemap, a theme or search file.
    Generated,
}

/// The output pages rendered from an entity or a plain page (a role's
/// onboarding page included), as (output path, source file, line).
pub(crate) fn entity_pages(site: &Site) -> Vec<(String, String, usize)> {
    let mut pages = Vec::new();
    for (key, meta) in site.all_metas() {
        if key.kind == Kind::Page && is_generated_page(meta.path.as_str()) {
            continue;
        }
        let path = meta.path.as_str();
        pages.push((format!("{path}index.html"), meta.file.clone(), meta.line));
        if key.kind == Kind::Role {
            let onboarding = format!("{path}onboarding/index.html");
            pages.push((onboarding, meta.file.clone(), meta.line));
        }
    }
    pages
}

/// The files Touchstone generates that are known before rendering: the
/// overview and list pages, the sitemap, the 404 page, the CSV.
pub(crate) fn known_generated() -> Vec<String> {
    generated_pages()
        .map(|page| format!("{page}index.html"))
        .chain(GENERATED_FILES.iter().map(|file| file.to_string()))
        .collect()
}

/// The files rendering and search produced that no entity or page wrote
/// (theme and search files among them).
pub(crate) fn generated_in<'p>(
    site: &Site,
    rendered: impl Iterator<Item = &'p str>,
) -> Vec<String> {
    let pages = entity_pages(site);
    let from_sources: std::collections::HashSet<&str> =
        pages.iter().map(|(out, _, _)| out.as_str()).collect();
    rendered
        .filter(|path| !from_sources.contains(path))
        .map(str::to_string)
        .collect()
}

/// Every output path claimed twice, as errors at the later source, given
/// the paths Touchstone generates (assets and pages come from `site`).
pub(crate) fn find(site: &Site, content_prefix: &str, generated: Vec<String>) -> Vec<Diagnostic> {
    let mut claims: BTreeMap<String, Vec<Claimant>> = BTreeMap::new();
    let mut claim =
        |path: String, claimant: Claimant| claims.entry(path).or_default().push(claimant);
    for path in generated {
        claim(path, Claimant::Generated);
    }
    let pages = entity_pages(site);
    for (out, file, line) in &pages {
        claim(out.clone(), Claimant::Source(file.clone(), *line));
    }
    for page in site.pages.values() {
        let path = page.meta.path.as_str();
        if is_generated_page(path) && !shows_intro(path) {
            let out = format!("{path}index.html");
            claim(
                out,
                Claimant::Source(page.meta.file.clone(), page.meta.line),
            );
        }
    }
    for asset in &site.assets {
        let file = format!("{content_prefix}{}", asset.path);
        claim(asset.path.clone(), Claimant::Source(file, 1));
    }
    claims
        .into_iter()
        .filter(|(_, claimants)| claimants.len() > 1)
        .flat_map(|(path, mut claimants)| {
            claimants.sort();
            clash_errors(&path, &claimants)
        })
        .collect()
}

/// The errors for one path claimed by `claimants` (sorted: sources first).
fn clash_errors(path: &str, claimants: &[Claimant]) -> Vec<Diagnostic> {
    let sources: Vec<(&str, usize)> = claimants
        .iter()
        .filter_map(|c| match c {
            Claimant::Source(file, line) => Some((file.as_str(), *line)),
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
