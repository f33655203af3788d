//! The output check of `build`, on pages read as they are written. Each
//! page is kept only as the distinct files and `#fragments` it links to
//! and the ids it has, all as numbers, so a whole site's links cost a few
//! bytes a page until the check (a page's links repeat its theme's, and
//! their text is most of a page's links). The few pages with a broken
//! link or anchor are read again, whole, to report each one as written,
//! from the file and line it was written on, exactly as when every page
//! is read whole.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{
    Origins, Output, broken_links, html_of, orphan_diagnostics, scan, target_of, visit_links,
};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::QuickMap;
use crate::output::OutputFile;

/// Links on a page of the default theme, about: its header and footer
/// hold some thirty.
const LINKS_A_PAGE: usize = 64;

/// No `#fragment` (or an empty one, which names no id).
const NO_FRAGMENT: u32 = u32::MAX;

/// Paths, fragments and ids as numbers, shared by every page scanned.
pub(crate) struct Names {
    table: Mutex<NameTable>,
    /// What each thread numbered already, by `rayon::current_thread_index`
    /// (the last slot for any other thread): pages repeat their theme's
    /// links and ids, and a thread finds those here without resolving
    /// them again or waiting for the shared table.
    near: Box<[Mutex<Near>]>,
}

impl Default for Names {
    fn default() -> Names {
        Names {
            table: Mutex::default(),
            near: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        }
    }
}

impl Names {
    fn with<T>(&self, f: impl FnOnce(&mut NameTable) -> T) -> T {
        f(&mut self.table.lock().expect("names lock"))
    }

    /// This thread's own slot of `near`.
    fn near(&self) -> std::sync::MutexGuard<'_, Near> {
        let last = self.near.len() - 1;
        let slot = rayon::current_thread_index().map_or(last, |i| i.min(last));
        self.near[slot].lock().expect("near names lock")
    }

    /// The names, and what the threads kept near, to be let go.
    fn into_parts(self) -> (NameTable, Box<[Mutex<Near>]>) {
        (self.table.into_inner().expect("names lock"), self.near)
    }
}

/// A file linked to, with its fragment (or [`NO_FRAGMENT`]), as numbers.
type Link = (u32, u32);

/// The links and ids one thread has numbered.
#[derive(Default)]
struct Near {
    /// Links that climb out of every folder of their page (`../../roles/`
    /// on a page two folders down, as every theme link is), by that
    /// depth: such a link points to the same file from every page as
    /// deep. `None`: not a link to check.
    climbing: Vec<QuickMap<Box<str>, Option<Link>>>,
    ids: QuickMap<Box<str>, u32>,
}

/// How many folders down the output file `path` is.
fn depth_of(path: &str) -> usize {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    folder.split('/').filter(|part| !part.is_empty()).count()
}

/// Whether `href`, on a page `depth` folders down, leaves all of them
/// before naming anything (so where it leads does not depend on them).
fn climbs_out(href: &str, depth: usize) -> bool {
    depth > 0
        && href
            .as_bytes()
            .chunks(3)
            .take(depth)
            .filter(|chunk| *chunk == b"../")
            .count()
            == depth
}

/// Each name once, and its number.
#[derive(Default)]
struct NameTable {
    numbers: QuickMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl NameTable {
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = u32::try_from(self.names.len()).expect("fewer than 4 billion names");
        let name: Arc<str> = Arc::from(name);
        self.names.push(name.clone());
        self.numbers.insert(name, n);
        n
    }

    fn get(&self, name: &str) -> Option<u32> {
        self.numbers.get(name).copied()
    }

    fn name(&self, n: u32) -> &str {
        &self.names[n as usize]
    }
}

/// What a page links to and which ids it has, as numbers.
pub(crate) struct ScannedPage {
    path: String,
    number: u32,
    /// The distinct files it links to, each with a fragment (or
    /// [`NO_FRAGMENT`]).
    links: Vec<Link>,
    /// Its ids, in order.
    ids: Vec<u32>,
}

/// A link of a page not yet numbered: its `href`, and the file and
/// fragment it points to (`None`: not a link to check).
type Unnumbered<'h> = (&'h str, Option<(String, Option<String>)>);

impl ScannedPage {
    /// The links and ids of an output page, read as soon as it is made
    /// (`None` for what is not an HTML page).
    pub(crate) fn of(file: &OutputFile, names: &Names) -> Option<ScannedPage> {
        let html = html_of(file)?;
        // Room for a page's usual links and ids: none grows a step at a time.
        let mut hrefs: Vec<Cow<str>> = Vec::with_capacity(LINKS_A_PAGE);
        let mut ids: Vec<Cow<str>> = Vec::with_capacity(LINKS_A_PAGE / 4);
        visit_links(&file.path, html, |value, role| {
            if role == "id" {
                ids.push(value);
            } else {
                hrefs.push(value);
            }
        });
        // A page repeats its theme's links: those that climb out of its
        // folders are resolved once a thread and depth, and found again
        // in `near`. Repeats are dropped once links and ids are numbers.
        let depth = depth_of(&file.path);
        let mut near = names.near();
        let mut links = Vec::with_capacity(hrefs.len());
        let mut unnumbered: Vec<Unnumbered> = Vec::new();
        for href in &hrefs {
            let climbing = climbs_out(href, depth);
            match climbing
                .then(|| near.climbing.get(depth)?.get(&**href))
                .flatten()
            {
                Some(known) => links.extend(*known),
                None => unnumbered.push((href, target_of(&file.path, href))),
            }
        }
        let mut page_ids = Vec::with_capacity(ids.len());
        let mut new_ids: Vec<&str> = Vec::new();
        for id in &ids {
            match near.ids.get(&**id) {
                Some(&n) => page_ids.push(n),
                None => new_ids.push(id),
            }
        }
        let (number, numbered, numbered_ids) = names.with(|table| {
            let numbered: Vec<Option<Link>> = unnumbered
                .iter()
                .map(|(_, target)| {
                    let (file, fragment) = target.as_ref()?;
                    let fragment = fragment
                        .as_deref()
                        .filter(|f| !f.is_empty())
                        .map_or(NO_FRAGMENT, |f| table.number(f));
                    Some((table.number(file), fragment))
                })
                .collect();
            let ids: Vec<u32> = new_ids.iter().map(|id| table.number(id)).collect();
            (table.number(&file.path), numbered, ids)
        });
        for ((href, _), link) in unnumbered.iter().zip(numbered) {
            links.extend(link);
            if climbs_out(href, depth) {
                if near.climbing.len() <= depth {
                    near.climbing.resize_with(depth + 1, QuickMap::default);
                }
                near.climbing[depth].insert(Box::from(*href), link);
            }
        }
        for (id, n) in new_ids.iter().zip(numbered_ids) {
            near.ids.insert(Box::from(*id), n);
            page_ids.push(n);
        }
        drop(near);
        // Kept until the check: as small as they can be.
        links.sort_unstable();
        links.dedup();
        links.shrink_to_fit();
        page_ids.sort_unstable();
        page_ids.dedup();
        page_ids.shrink_to_fit();
        Some(ScannedPage {
            path: file.path.clone(),
            number,
            links,
            ids: page_ids,
        })
    }
}

/// The output as the check sees it: which files exist, and each page's
/// ids. Names are numbered from 0, so both are looked up by number.
struct Written<'a> {
    table: &'a NameTable,
    /// Whether a file of each name was written.
    existing: Vec<bool>,
    pages: &'a [ScannedPage],
    /// Where the page of each name is in `pages` ([`NOT_A_PAGE`]: none).
    page_at: Vec<u32>,
}

/// No page has this name.
const NOT_A_PAGE: u32 = u32::MAX;

impl Written<'_> {
    fn exists(&self, file: u32) -> bool {
        self.existing.get(file as usize) == Some(&true)
    }

    /// Where the page numbered `page` is in `pages`, if it is a page.
    fn page_at(&self, page: u32) -> Option<usize> {
        let at = *self.page_at.get(page as usize)?;
        (at != NOT_A_PAGE).then_some(at as usize)
    }

    /// Whether the page numbered `page` has the id numbered `id` (`None`:
    /// no page is there).
    fn page_has(&self, page: u32, id: u32) -> Option<bool> {
        let at = self.page_at(page)?;
        Some(self.pages[at].ids.binary_search(&id).is_ok())
    }

    /// Whether every link of `page` resolves (as far as the numbers tell:
    /// a link into a folder left unbuilt is seen to by `broken_links`).
    fn all_resolve(&self, page: &ScannedPage) -> bool {
        page.links.iter().all(|&(file, fragment)| {
            self.exists(file)
                && (fragment == NO_FRAGMENT || self.page_has(file, fragment) != Some(false))
        })
    }
}

impl Output for Written<'_> {
    fn has(&self, file: &str) -> bool {
        self.table.get(file).is_some_and(|n| self.exists(n))
    }

    fn has_id(&self, page: &str, id: &str) -> Option<bool> {
        let at = self.page_at(self.table.get(page)?)?;
        Some(
            self.table
                .get(id)
                .is_some_and(|id| self.pages[at].ids.binary_search(&id).is_ok()),
        )
    }

    fn ids_of(&self, page: &str) -> BTreeSet<&str> {
        let Some(at) = self.table.get(page).and_then(|n| self.page_at(n)) else {
            return BTreeSet::new();
        };
        let ids = &self.pages[at].ids;
        ids.iter().map(|&id| self.table.name(id)).collect()
    }
}

/// Every broken link and anchor of the output, and every page no link
/// reaches: the pages among `files`, and those `scanned` as they were
/// written, whose bytes `read_again` gives back. `written` names every
/// file written out before the check (the scanned pages, and files like
/// the export that are not pages). Links into the `unbuilt` folders,
/// whose files this output left out, are not checked.
pub(crate) fn check(
    files: &[OutputFile],
    scanned: Vec<ScannedPage>,
    written: &[String],
    names: Names,
    read_again: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    origins: &Origins,
    unbuilt: &[&str],
) -> Vec<Diagnostic> {
    let mut pages = scanned;
    pages.par_extend(files.par_iter().filter_map(|f| ScannedPage::of(f, &names)));
    let (table, near) = names.into_parts();
    // Freed on a thread of its own: freeing the threads' tables here
    // would hold up the check.
    std::thread::spawn(move || drop(near));
    // Every file a link names has its number: one no link names needs none.
    let other_files: Vec<u32> = files
        .par_iter()
        .map(|f| f.path.as_str())
        .chain(written.par_iter().map(String::as_str))
        .filter_map(|path| table.get(path))
        .collect();
    let mut existing = vec![false; table.names.len()];
    let mut page_at = vec![NOT_A_PAGE; table.names.len()];
    for &file in &other_files {
        existing[file as usize] = true;
    }
    for (at, page) in pages.iter().enumerate() {
        existing[page.number as usize] = true;
        page_at[page.number as usize] = u32::try_from(at).expect("fewer than 4 billion pages");
    }
    let written = Written {
        table: &table,
        existing,
        page_at,
        pages: &pages,
    };
    let in_files: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    // Only a page with a problem is read again, whole; which pages the
    // home page reaches is found beside.
    let (per_page, seen) = rayon::join(
        || -> Vec<Vec<Diagnostic>> {
            pages
                .par_iter()
                .filter(|page| !written.all_resolve(page))
                .map(|page| {
                    let bytes = match in_files.get(page.path.as_str()) {
                        Some(file) => file.bytes.to_vec(),
                        None => read_again(&page.path).unwrap_or_default(),
                    };
                    let html = String::from_utf8_lossy(&bytes);
                    broken_links(
                        &page.path,
                        &scan(&page.path, &html),
                        &written,
                        origins,
                        unbuilt,
                    )
                })
                .collect()
        },
        || reachable(&written),
    );
    let mut diagnostics: Vec<Diagnostic> = per_page.into_iter().flatten().collect();
    let unreached = pages
        .iter()
        .filter(|page| !seen[page.number as usize])
        .map(|page| page.path.as_str());
    diagnostics.extend(orphan_diagnostics(unreached, origins));
    diagnostics
}

/// Whether a chain of links reaches each page from the home page, by the
/// page's number.
fn reachable(written: &Written) -> Vec<bool> {
    let mut seen = vec![false; written.page_at.len()];
    let mut queue: VecDeque<u32> = written.table.get("index.html").into_iter().collect();
    while let Some(number) = queue.pop_front() {
        let Some(at) = written.page_at(number) else {
            continue;
        };
        if std::mem::replace(&mut seen[number as usize], true) {
            continue;
        }
        for &(file, _) in &written.pages[at].links {
            if written.page_at(file).is_some() && !seen[file as usize] {
                queue.push_back(file);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_whose_bytes_were_let_go_is_read_again_for_each_broken_link() {
        let names = Names::default();
        let home = OutputFile::new(
            "index.html",
            r##"<a href="a/">A</a> <a href="a/#why-it-mater">1</a> <a href="a/#why-it-mater">2</a> <a href="gone/">x</a>"##,
        );
        let a = OutputFile::new("a/index.html", r#"<h2 id="why-it-matters">Why</h2>"#);
        let scanned: Vec<ScannedPage> = [&home, &a]
            .into_iter()
            .filter_map(|file| ScannedPage::of(file, &names))
            .collect();
        let read_again = |path: &str| (path == "index.html").then(|| home.bytes.to_vec());
        let sources = HashMap::new();
        let origins = Origins::of_sources(std::path::Path::new("/nowhere"), &sources);
        let found = check(&[], scanned, &[], names, read_again, &origins, &[]);
        let seen: Vec<(&str, &str, Option<&str>)> = found
            .iter()
            .map(|d| (d.code, d.message.as_str(), d.hint.as_deref()))
            .collect();
        let anchor = (
            "broken-anchor",
            "index.html links to `a/#why-it-mater`, but that page has no `#why-it-mater`",
            Some("did you mean `#why-it-matters`?"),
        );
        assert_eq!(
            seen,
            [
                anchor,
                anchor,
                (
                    "broken-output-link",
                    "index.html links to a page that does not exist: `gone/`",
                    Some("check the link in the source, or the template that writes it"),
                ),
            ]
        );
    }

    fn reported_by_scanning(files: &[OutputFile]) -> Vec<String> {
        let names = Names::default();
        // Scanned on this one thread, in order, as pages stream out.
        let scanned: Vec<ScannedPage> = files
            .iter()
            .filter_map(|file| ScannedPage::of(file, &names))
            .collect();
        let sources = HashMap::new();
        let origins = Origins::of_sources(std::path::Path::new("/nowhere"), &sources);
        let read_again = |path: &str| {
            let file = files.iter().find(|f| f.path == path)?;
            Some(file.bytes.to_vec())
        };
        check(&[], scanned, &[], names, read_again, &origins, &[])
            .iter()
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn a_link_known_from_one_page_is_resolved_again_on_a_page_of_another_depth() {
        let files = [
            OutputFile::new(
                "index.html",
                r#"<a href="a/">a</a> <a href="b/c/">c</a> <a href="x/">x</a>"#,
            ),
            // Above the root from here: not a link to check.
            OutputFile::new(
                "a/index.html",
                r#"<a href="../x/">x</a> <a id="top"> <a href="../../gone/">gone</a>"#,
            ),
            OutputFile::new(
                "b/c/index.html",
                r#"<a href="../x/">no x here</a> <a href="../../x/#top">x</a> <a href="../d/">d</a>"#,
            ),
            OutputFile::new(
                "b/d/index.html",
                r#"<a href="../../x/#top">x</a> <a href="../../x/#end">x</a> <a href="../../a/#top">a</a> <a href="../../gone/">gone</a>"#,
            ),
            OutputFile::new("x/index.html", r#"<h1 id="top">X</h1>"#),
        ];
        assert_eq!(
            reported_by_scanning(&files),
            [
                "b/c/index.html links to a page that does not exist: `../x/`",
                "b/d/index.html links to `../../x/#end`, but that page has no `#end`",
                "b/d/index.html links to a page that does not exist: `../../gone/`",
            ]
        );
    }

    #[test]
    fn only_links_leaving_every_folder_of_their_page_resolve_alike_on_every_page_as_deep() {
        assert!(climbs_out("../../roles/", 2));
        assert!(climbs_out("../../../too-far/", 2));
        assert!(climbs_out("../#top", 1));
        assert!(!climbs_out("../guide-2/", 2));
        assert!(!climbs_out("..", 1));
        assert!(!climbs_out("#top", 0));
        assert!(!climbs_out("roles/", 0));
        assert_eq!(depth_of("index.html"), 0);
        assert_eq!(depth_of("guides/guide-1/index.html"), 2);
    }

    #[test]
    fn a_file_written_beside_the_pages_is_there_for_links_and_one_not_written_is_not() {
        let names = Names::default();
        let home = OutputFile::new(
            "index.html",
            r#"<link href="static/a.css"> <a href="data/x.json">x</a> <a href="static/gone.css">g</a> <img src="logo.svg">"#,
        );
        let scanned: Vec<ScannedPage> = ScannedPage::of(&home, &names).into_iter().collect();
        // Written out already (the export, the search index), and kept to
        // write last (an asset); none of them a page.
        let written = ["static/a.css", "data/x.json", "sitemap.xml"].map(String::from);
        let files = [OutputFile::new("logo.svg", "<svg/>")];
        let sources = HashMap::new();
        let origins = Origins::of_sources(std::path::Path::new("/nowhere"), &sources);
        let read_again = |path: &str| (path == "index.html").then(|| home.bytes.to_vec());
        let found = check(&files, scanned, &written, names, read_again, &origins, &[]);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["index.html links to a page that does not exist: `static/gone.css`"]
        );
    }
}
