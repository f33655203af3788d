//! The site's sections, for the navigation bar and the home page. By
//! default the bar shows the CX sections that have something in them, read
//! from the kind table, then every top folder of plain pages (guides, a
//! handbook, imported docs). `[[nav]]` in `book.toml` replaces that with
//! the site's own list: sections, pages and links out, in order.

use serde::Serialize;

use super::words::section_title;
use crate::config::{CONFIG_FILE, Config, NavSetting, NavTarget, Translations};
use crate::diagnostics::Diagnostic;
use crate::model::*;

/// One link of the navigation bar.
#[derive(Serialize, Hash)]
pub(crate) struct NavItem {
    pub title: String,
    /// A site path, made relative to each page by the template; the URL
    /// itself when `external`.
    pub path: String,
    /// Marks the current section (`frame.section`).
    pub section: String,
    pub external: bool,
}

impl NavItem {
    fn inside(title: &str, path: &str, section: &str) -> NavItem {
        NavItem {
            title: title.to_string(),
            path: path.to_string(),
            section: section.to_string(),
            external: false,
        }
    }
}

/// A top folder of plain pages: its title, the page its link opens, and
/// every page under it, by weight and title.
pub(crate) struct PageSection<'s> {
    pub folder: String,
    pub title: String,
    pub path: String,
    pub pages: Vec<&'s Page>,
}

/// The navigation bar: `[[nav]]` when `book.toml` sets it, else the
/// sections that have content.
pub(crate) fn nav(site: &Site, config: &Config) -> Vec<NavItem> {
    if config.nav.is_empty() {
        let mut items = cx_sections(site, &config.words);
        items.extend(section_links(site));
        return items;
    }
    config
        .nav
        .iter()
        .filter_map(|setting| configured(site, &config.words, setting).ok())
        .collect()
}

/// Each `[[nav]]` entry that leads nowhere, as an error at its line in
/// `book.toml`.
pub(crate) fn check(site: &Site, config: &Config) -> Vec<Diagnostic> {
    config
        .nav
        .iter()
        .filter_map(|setting| configured(site, &config.words, setting).err())
        .collect()
}

/// The section the page at `path` belongs to in the navigation bar: its
/// top folder (`guides` for `guides/refunds/`).
pub(crate) fn section_of_page(path: &str) -> String {
    path.split_once('/')
        .map(|(folder, _)| folder.to_string())
        .unwrap_or_default()
}

/// The CX sections with something in them, in the kind table's order, one
/// per section (stages and moments share the journey). The accountability
/// matrix follows the journey when there are roles to put in it.
fn cx_sections(site: &Site, words: &Translations) -> Vec<NavItem> {
    let mut items: Vec<NavItem> = Vec::new();
    for kind in Kind::ALL {
        let info = kind.info();
        let shown = items.iter().any(|item| item.section == info.section);
        if info.section.is_empty() || shown || site.count(kind) == 0 {
            continue;
        }
        items.push(NavItem::inside(
            &section_title(words, kind),
            &format!("{}/", info.section),
            info.section,
        ));
        if info.section == "journey" && site.count(Kind::Role) > 0 {
            items.push(NavItem::inside(
                words.get("accountability"),
                "accountability/",
                "accountability",
            ));
        }
    }
    items
}

/// Generated pages a `[[nav]]` entry may name as a section besides the
/// kinds' sections, with the key of their title.
const OVERVIEWS: [(&str, &str); 3] = [
    ("accountability", "accountability"),
    ("health", "health_title"),
    ("search", "search"),
];

/// The link a `[[nav]]` entry makes, or why it leads nowhere.
fn configured(
    site: &Site,
    words: &Translations,
    setting: &NavSetting,
) -> Result<NavItem, Diagnostic> {
    let title = |default: &str| setting.title.clone().unwrap_or_else(|| default.to_string());
    match &setting.target {
        NavTarget::Url(url) => Ok(NavItem {
            title: title(url),
            path: url.clone(),
            section: String::new(),
            external: true,
        }),
        NavTarget::Section(name) => {
            let name = name.trim_matches('/');
            let cx = Kind::ALL
                .iter()
                .map(|k| (k.info().section, section_title(words, *k)))
                .chain(
                    OVERVIEWS
                        .iter()
                        .map(|(section, key)| (*section, words.get(key).to_string())),
                )
                .find(|(section, _)| !section.is_empty() && *section == name);
            if let Some((section, section_title)) = cx {
                return Ok(NavItem::inside(
                    &title(&section_title),
                    &format!("{section}/"),
                    section,
                ));
            }
            let folders = page_sections(site);
            match folders.iter().find(|s| s.folder == name) {
                Some(s) => Ok(NavItem::inside(&title(&s.title), &s.path, &s.folder)),
                None => Err(nav_error(
                    setting,
                    format!("[[nav]] names a section that does not exist: `{name}`"),
                    section_hint(&folders),
                )),
            }
        }
        NavTarget::Page(file) => match page_named(site, file) {
            Some(page) => Ok(NavItem::inside(
                &title(&page.meta.title),
                page.meta.path.as_str(),
                &section_of_page(page.meta.path.as_str()),
            )),
            None => Err(nav_error(
                setting,
                format!("[[nav]] names a page that does not exist: `{file}`"),
                "name a Markdown file by its path under the content folder, \
                 e.g. `page = \"guides/onboarding.md\"`"
                    .to_string(),
            )),
        },
    }
}

fn nav_error(setting: &NavSetting, message: String, hint: String) -> Diagnostic {
    Diagnostic::error("broken-link", CONFIG_FILE, message)
        .at_line(setting.line)
        .with_hint(hint)
}

fn section_hint(folders: &[PageSection]) -> String {
    let mut names: Vec<&str> = Kind::ALL
        .iter()
        .map(|k| k.info().section)
        .chain(OVERVIEWS.map(|(section, _)| section))
        .chain(folders.iter().map(|s| s.folder.as_str()))
        .filter(|s| !s.is_empty())
        .collect();
    names.dedup();
    format!("sections are {}", names.join(", "))
}

/// The plain page a `page =` names: by its file under `content/`
/// (`guides/onboarding.md`) or its address (`guides/onboarding/`).
fn page_named<'s>(site: &'s Site, name: &str) -> Option<&'s Page> {
    let name = name.trim_start_matches('/');
    let stem = name
        .strip_suffix(".md")
        .unwrap_or(name)
        .trim_end_matches('/');
    let stem = ["/_index", "/index", "_index", "index"]
        .iter()
        .find_map(|end| stem.strip_suffix(end))
        .unwrap_or(stem);
    let path = if stem.is_empty() {
        String::new()
    } else {
        format!("{stem}/")
    };
    site.pages.values().find(|p| p.meta.path.as_str() == path)
}

/// Whether a top folder holds a CX kind or a generated page rather than
/// plain pages of their own.
fn is_cx_folder(folder: &str) -> bool {
    Kind::ALL.iter().any(|k| k.info().folder == folder) || is_generated_page(&format!("{folder}/"))
}

/// Every top folder of plain pages that is not a CX section's folder,
/// by folder name. Its link opens the folder's own page
/// (`guides/index.md`), else its first page.
pub(crate) fn page_sections(site: &Site) -> Vec<PageSection<'_>> {
    page_folders(site)
        .into_iter()
        .map(|(folder, mut pages)| {
            sort_pages(&mut pages);
            let (title, path) = section_link(site, folder, pages[0]);
            PageSection {
                folder: folder.to_string(),
                title,
                path,
                pages,
            }
        })
        .collect()
}

/// The navigation's link to each top folder of plain pages, as
/// `page_sections` gives them, without ordering every page of each folder
/// (every page shows the navigation, so a patch recomputes it).
fn section_links(site: &Site) -> Vec<NavItem> {
    page_folders(site)
        .into_iter()
        .map(|(folder, pages)| {
            let first = pages
                .into_iter()
                .min_by(|a, b| page_order(a).cmp(&page_order(b)))
                .expect("a folder has pages");
            let (title, path) = section_link(site, folder, first);
            NavItem::inside(&title, &path, folder)
        })
        .collect()
}

/// The plain pages of each top folder that is not a CX section's, by folder.
fn page_folders(site: &Site) -> std::collections::BTreeMap<&str, Vec<&Page>> {
    let mut folders: std::collections::BTreeMap<&str, Vec<&Page>> = Default::default();
    for page in site.pages.values() {
        let path = page.meta.path.as_str();
        let Some((folder, rest)) = path.split_once('/') else {
            continue;
        };
        if !rest.is_empty() {
            folders.entry(folder).or_default().push(page);
        }
    }
    // Asked once a folder, not once a page: a folder may hold thousands.
    folders.retain(|folder, _| !is_cx_folder(folder));
    folders
}

/// A folder's title and the path its link opens: its own page
/// (`guides/index.md`), else its `first` page.
fn section_link(site: &Site, folder: &str, first: &Page) -> (String, String) {
    // A plain page's id is its path without the trailing slash.
    let own_path = format!("{folder}/");
    let own = site
        .pages
        .get(folder)
        .filter(|p| p.meta.path.as_str() == own_path);
    let title = own.map_or_else(
        || crate::resolve::humanize(folder),
        |p| p.meta.title.clone(),
    );
    (title, own.unwrap_or(first).meta.path.to_string())
}

/// Plain pages at the top of `content/` (besides the home page) that are
/// not a folder's own page, by weight and title: a book's chapters when it
/// has no outline.
pub(crate) fn top_pages(site: &Site) -> Vec<&Page> {
    // The top folders with a page below their own: those are sections.
    let with_pages_below: std::collections::HashSet<&str> = site
        .pages
        .values()
        .filter_map(|p| p.meta.path.as_str().split_once('/'))
        .filter(|(_, rest)| !rest.is_empty())
        .map(|(folder, _)| folder)
        .collect();
    let mut pages: Vec<&Page> = site
        .pages
        .values()
        .filter(|p| {
            let path = p.meta.path.as_str();
            path.matches('/').count() == 1 && !is_generated_page(path)
        })
        .filter(|p| !with_pages_below.contains(p.meta.path.as_str().trim_end_matches('/')))
        .collect();
    sort_pages(&mut pages);
    pages
}

fn sort_pages(pages: &mut [&Page]) {
    // Paths differ, so no two pages are equal in this order.
    pages.sort_unstable_by(|a, b| page_order(a).cmp(&page_order(b)));
}

/// Plain pages go by weight, then title, then path.
fn page_order(page: &Page) -> (i64, &str, &str) {
    (page.meta.weight, &page.meta.title, page.meta.path.as_str())
}
