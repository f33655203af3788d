//! The output check of `check`, without rendering every page. A page's
//! links and ids are its theme's and its Markdown body's; the body is
//! rendered already (the Markdown stage), and a template writes the same
//! kind of links on every page it renders. So `check` renders every page
//! of its own (home, lists, journey …) and one page per template, and
//! reads every other page from its body alone. A page is rendered after
//! all when its body cannot answer for it:
//!
//! - a link's `#fragment` names no id of its body (the theme may write it);
//! - some page no known link reaches while this one is reached (the
//!   theme's links on this page may lead there);
//! - a rendered page of the same template does not have every link and
//!   id of its body (a theme that leaves part of a body out).
//!
//! And when anything is broken, every page is rendered, so a mistake is
//! reported from each page it is on, as `build` reports it. What is left
//! unseen is a theme link written on some pages of a template and not on
//! the one rendered, in a site with nothing else broken; `build` checks
//! every page.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Link, Origins, PageLinks, findings, html_of, reachable, scan};
use crate::diagnostics::Diagnostic;
use crate::markdown::RenderedBody;
use crate::model::EntityKey;
use crate::output::OutputFile;
use crate::render::{PageSet, PlannedPage};

/// The broken links and anchors, and the orphans, of the site `set` would
/// render, with the other `files` of its output (theme, assets, search),
/// and how many pages it rendered; links into the `unbuilt` folders are
/// not checked. Fails as rendering fails.
pub(crate) fn check(
    set: &PageSet,
    bodies: &HashMap<EntityKey, Arc<RenderedBody>>,
    files: &[OutputFile],
    origins: &Origins,
    unbuilt: &[&str],
) -> Result<(Vec<Diagnostic>, usize), Diagnostic> {
    let planned = set.pages();
    let body_of = |i: usize| {
        planned[i]
            .shows
            .as_ref()
            .and_then(|key| bodies.get(key))
            .map_or("", |body| body.html.as_str())
    };
    let first = sample(set, &body_of);
    // The first pages render while the bodies are read: a few large pages
    // (home, lists) leave a core idle that reading fills.
    let (links, first_files) = rayon::join(
        || {
            planned
                .par_iter()
                .enumerate()
                .map(|(i, page)| scan(&page.out, body_of(i)))
                .collect()
        },
        || set.render(&first),
    );
    let mut known = Known {
        links,
        rendered: vec![false; planned.len()],
    };
    let bodies_as_made = known.read(&first, first_files?);
    known.links_below(set, &first, &body_of);
    let mut next: Vec<usize> = if bodies_as_made {
        known.unanswered(set, origins)
    } else {
        (0..planned.len()).collect()
    };
    let others: Vec<(&str, PageLinks)> = files
        .par_iter()
        .filter_map(|f| Some((f.path.as_str(), scan(&f.path, html_of(f)?))))
        .collect();
    let existing: HashSet<&str> = planned
        .iter()
        .map(|page| page.out.as_str())
        .chain(files.iter().map(|f| f.path.as_str()))
        .chain(PageSet::data_paths())
        .collect();
    loop {
        while !next.is_empty() {
            known.render(set, &next)?;
            next = known.unanswered(set, origins);
        }
        let pages: Vec<(&str, &PageLinks)> = planned
            .iter()
            .map(|page| page.out.as_str())
            .zip(&known.links)
            .chain(others.iter().map(|(path, links)| (*path, links)))
            .collect();
        let found = findings(&existing, &pages, origins, unbuilt);
        // A broken link is reported from every page it is on, as `build`
        // reports it: a template's mistake is on every page it renders.
        next = (0..planned.len()).filter(|&i| !known.rendered[i]).collect();
        if next.is_empty() || !found.iter().any(Diagnostic::is_error) {
            let rendered = known.rendered.iter().filter(|r| **r).count();
            return Ok((found, rendered));
        }
    }
}

/// The first pages to render: each page of its own, and of the pages made
/// once per entity, one per template (one with a body, where there is
/// one, to see that the template shows bodies as they were made).
fn sample<'h>(set: &PageSet, body_of: &impl Fn(usize) -> &'h str) -> Vec<usize> {
    let mut own = Vec::new();
    let mut by_template: HashMap<&str, usize> = HashMap::new();
    for (i, page) in set.pages().iter().enumerate() {
        match page.repeated {
            None => own.push(i),
            Some(template) => {
                let chosen = by_template.entry(template).or_insert(i);
                if body_of(*chosen).is_empty() && !body_of(i).is_empty() {
                    *chosen = i;
                }
            }
        }
    }
    own.extend(by_template.into_values());
    own.sort_unstable();
    own
}

/// Whether a rendered page has every link and id of its body (a theme
/// may place the body in parts, never drop from it).
fn shows(page: &PageLinks, body: &PageLinks) -> bool {
    let links: HashSet<(&str, &str)> = page
        .links
        .iter()
        .map(|link| (link.attr, link.href.as_ref()))
        .collect();
    body.ids.is_subset(&page.ids)
        && body
            .links
            .iter()
            .all(|link| links.contains(&(link.attr, link.href.as_ref())))
}

/// What is known of every page: its links and ids, read from the page
/// where it was rendered, else from its body.
struct Known<'b> {
    links: Vec<PageLinks<'b>>,
    rendered: Vec<bool>,
}

impl<'b> Known<'b> {
    /// Renders the pages at `indices` and reads them whole; returns
    /// whether each shows every link and id its body has.
    fn render(&mut self, set: &PageSet, indices: &[usize]) -> Result<bool, Diagnostic> {
        let files = set.render(indices)?;
        Ok(self.read(indices, files))
    }

    /// Reads the pages at `indices`, rendered as `files`, whole; returns
    /// whether each shows every link and id its body has.
    fn read(&mut self, indices: &[usize], files: Vec<OutputFile>) -> bool {
        let read: Vec<(usize, PageLinks<'static>)> = indices
            .par_iter()
            .zip(files)
            .map(|(&i, file)| {
                let html = html_of(&file).unwrap_or_default();
                (i, scan(&file.path, html).into_owned())
            })
            .collect();
        let mut all_shown = true;
        for (i, links) in read {
            all_shown &= shows(&links, &self.links[i]);
            self.links[i] = links;
            self.rendered[i] = true;
        }
        all_shown
    }

    /// Gives every page not rendered yet the links its template wrote, on
    /// the rendered page of that template among `sampled`, to the pages
    /// below that page (a role's page to its onboarding page): each page
    /// of the template links to the same page below itself, where there
    /// is one.
    fn links_below<'h>(
        &mut self,
        set: &PageSet,
        sampled: &[usize],
        body_of: &impl Fn(usize) -> &'h str,
    ) {
        let planned = set.pages();
        let mut below: HashMap<&str, BTreeSet<String>> = HashMap::new();
        for &i in sampled {
            let Some(template) = planned[i].repeated else {
                continue;
            };
            let folder = folder_of(&planned[i].out);
            let body = scan(&planned[i].out, body_of(i));
            let written: HashSet<&str> = body.links.iter().map(|l| l.href.as_ref()).collect();
            let suffixes = self.links[i]
                .links
                .iter()
                .filter(|link| !written.contains(link.href.as_ref()))
                .filter_map(|link| link.target.as_ref())
                .filter_map(|(target, _)| target.strip_prefix(folder))
                .filter(|rest| !rest.is_empty() && *rest != "index.html")
                .map(String::from);
            below.entry(template).or_default().extend(suffixes);
        }
        let index: HashSet<&str> = planned.iter().map(|page| page.out.as_str()).collect();
        for (i, page) in planned.iter().enumerate() {
            let Some(suffixes) = page.repeated.and_then(|t| below.get(t)) else {
                continue;
            };
            if self.rendered[i] {
                continue;
            }
            let folder = folder_of(&page.out);
            for suffix in suffixes {
                let target = format!("{folder}{suffix}");
                if index.contains(target.as_str()) {
                    self.links[i].links.push(Link {
                        href: Cow::Owned(suffix.clone()),
                        attr: "href",
                        target: Some((target, None)),
                    });
                }
            }
        }
    }

    /// The pages, not rendered yet, that their bodies cannot answer for:
    /// those a `#fragment` links into without finding it among the body's
    /// ids, else those whose theme's links may reach a page with a source
    /// that no known link reaches.
    fn unanswered(&self, set: &PageSet, origins: &Origins) -> Vec<usize> {
        let planned = set.pages();
        let index: HashMap<&str, usize> = planned
            .iter()
            .enumerate()
            .map(|(i, page)| (page.out.as_str(), i))
            .collect();
        let mut needed = BTreeSet::new();
        for page in &self.links {
            for link in &page.links {
                if let Some((target, Some(fragment))) = &link.target
                    && !fragment.is_empty()
                    && let Some(&i) = index.get(target.as_str())
                    && !self.rendered[i]
                    && !self.links[i].ids.contains(fragment.as_str())
                {
                    needed.insert(i);
                }
            }
        }
        if needed.is_empty() {
            needed.extend(self.may_reach_orphans(planned, origins));
        }
        needed.into_iter().collect()
    }

    /// While some page with a source is reached by no known link: the
    /// reached pages not rendered yet whose theme's links may lead there,
    /// its parents first (a role's page links its onboarding page, a
    /// page its sub-pages), else every one of them.
    fn may_reach_orphans(&self, planned: &[PlannedPage], origins: &Origins) -> Vec<usize> {
        let pages: Vec<(&str, &PageLinks)> = planned
            .iter()
            .map(|page| page.out.as_str())
            .zip(&self.links)
            .collect();
        let reached = reachable(&pages);
        let unreached: Vec<&str> = planned
            .iter()
            .map(|page| page.out.as_str())
            .filter(|out| !reached.contains(out) && origins.source_of(out).is_some())
            .collect();
        if unreached.is_empty() {
            return Vec::new();
        }
        let open: Vec<usize> = (0..planned.len())
            .filter(|&i| !self.rendered[i] && reached.contains(planned[i].out.as_str()))
            .collect();
        let parents: HashSet<String> = unreached.iter().flat_map(|out| parents(out)).collect();
        let near: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| parents.contains(planned[i].out.as_str()))
            .collect();
        if near.is_empty() { open } else { near }
    }
}

/// The folder of an output page, with its slash (`roles/a/`).
fn folder_of(out: &str) -> &str {
    out.rfind('/').map_or("", |at| &out[..=at])
}

/// The pages above an output page (`a/index.html` for `a/b/index.html`).
fn parents(out: &str) -> impl Iterator<Item = String> + '_ {
    let folder = out.strip_suffix("index.html").unwrap_or(out);
    folder
        .trim_end_matches('/')
        .rmatch_indices('/')
        .map(move |(at, _)| format!("{}index.html", &folder[..=at]))
}
