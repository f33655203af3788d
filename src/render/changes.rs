//! "What changed": the change log as a page (`/changes/`), as an Atom feed
//! (`/changes.xml`) and as the home page's latest changes. Each shows a
//! bounded number of entries, so a long history costs no more than a short
//! one.

use serde::Serialize;

use super::views::Linker;
use crate::changes::{Change, ChangeLog, ChangeSet, Subject};
use crate::config::Config;
use crate::markdown::html_escape;
use crate::model::{Date, Kind};

/// Change sets the page shows; older ones are left to the history.
const PAGE_SETS: usize = 100;
/// Changes one set shows before "and N more" (a first commit adds everything).
const SET_CHANGES: usize = 25;
/// Entries of the feed.
const FEED_SETS: usize = 30;

#[derive(Serialize)]
pub(crate) struct ChangesPage {
    pub days: Vec<Day>,
    /// Change sets older than the ones shown.
    pub older: usize,
}

/// The changes of one calendar day.
#[derive(Serialize)]
pub(crate) struct Day {
    pub date: Date,
    pub sets: Vec<SetView>,
}

#[derive(Serialize)]
pub(crate) struct SetView {
    /// The fragment id of this set on the changes page.
    pub anchor: String,
    /// The commit subject; empty for `updated:` dates.
    pub subject: String,
    pub changes: Vec<ChangeView>,
    /// Changes of this set not listed.
    pub more: usize,
}

#[derive(Serialize)]
pub(crate) struct ChangeView {
    /// `added`, `changed` or `removed`.
    pub what: &'static str,
    pub what_label: String,
    pub kind: Kind,
    pub kind_label: String,
    /// The entity's title, or a list file's name.
    pub title: String,
    /// Where it is now; none for a removed entity.
    pub url: Option<String>,
    /// A YAML list file rather than one entity.
    pub list: bool,
}

pub(crate) fn page(l: &Linker, log: &ChangeLog) -> ChangesPage {
    let mut days: Vec<Day> = Vec::new();
    for set in log.sets.iter().take(PAGE_SETS) {
        let view = set_view(l, set, SET_CHANGES);
        match days.last_mut() {
            Some(day) if day.date == set.date => day.sets.push(view),
            _ => days.push(Day {
                date: set.date,
                sets: vec![view],
            }),
        }
    }
    ChangesPage {
        days,
        older: log.sets.len().saturating_sub(PAGE_SETS),
    }
}

fn set_view(l: &Linker, set: &ChangeSet, limit: usize) -> SetView {
    SetView {
        anchor: anchor(set),
        subject: set.subject.clone(),
        changes: set
            .changes
            .iter()
            .take(limit)
            .map(|c| change_view(l, c))
            .collect(),
        more: set.changes.len().saturating_sub(limit),
    }
}

pub(crate) fn change_view(l: &Linker, change: &Change) -> ChangeView {
    let what = change.what.name();
    let (kind, title, url, list) = match &change.subject {
        Subject::Entity(key) => {
            let link = l.link(key);
            (key.kind, link.title, Some(link.url), false)
        }
        Subject::Gone { kind, title, .. } => (*kind, title.clone(), None, false),
        Subject::List { kind, file, path } => (*kind, file.clone(), Some(l.url(path)), true),
    };
    ChangeView {
        what,
        what_label: what_label(l, what),
        kind,
        kind_label: super::words::kind_label(l.words, kind),
        title,
        url,
        list,
    }
}

/// `c-1a2b3c4d5e` for a commit, `updated-2026-03-01` for `updated:` dates.
fn anchor(set: &ChangeSet) -> String {
    if set.id.starts_with("updated-") {
        set.id.clone()
    } else {
        format!("c-{}", set.id.get(..10).unwrap_or(&set.id))
    }
}

/// `/changes.xml`: the newest change sets as an Atom feed (RFC 4287). Links
/// are absolute when `base-url` is; with a path-only base they are
/// root-relative, which Atom allows (resolved against the feed's own
/// address). Ids never depend on the base: a commit's id is its hash.
/// `l` links from the site root (`Linker` with an empty root).
pub(crate) fn feed(config: &Config, log: &ChangeLog, l: &Linker) -> String {
    let base = &config.base_url;
    let page = base.absolute("changes/");
    let updated = log
        .sets
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |s| s.time.clone());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let feed_title = l
        .words
        .format("changes_feed_title", None, &[("site", &config.title)]);
    push_element(&mut xml, "  ", "title", &feed_title);
    let feed_id = uuid(&format!("{}{}|{}", base.origin, base.path, config.title));
    push_element(&mut xml, "  ", "id", &feed_id);
    push_element(&mut xml, "  ", "updated", &updated);
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        html_escape(&base.absolute("changes.xml"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        html_escape(&page)
    ));
    xml.push_str("  <author><name>");
    xml.push_str(&html_escape(&config.title));
    xml.push_str("</name></author>\n");
    xml.push_str(&format!(
        "  <generator version=\"{}\">Touchstone</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    for set in log.sets.iter().take(FEED_SETS) {
        xml.push_str(&entry(base, l, set, &page));
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(base: &crate::config::BaseUrl, l: &Linker, set: &ChangeSet, page: &str) -> String {
    let view = set_view(l, set, usize::MAX);
    let title = if set.subject.is_empty() {
        let titles: Vec<&str> = view.changes.iter().map(|c| c.title.as_str()).collect();
        l.words
            .format("change_updated", None, &[("titles", &titles.join(", "))])
    } else {
        set.subject.clone()
    };
    let mut html = String::from("<ul>");
    for c in &view.changes {
        let name = match &c.url {
            Some(url) => format!(
                "<a href=\"{}\">{}</a>",
                html_escape(&base.absolute(url)),
                html_escape(&c.title)
            ),
            None => html_escape(&c.title),
        };
        html.push_str(&format!("<li>{}: {name}</li>", html_escape(&c.what_label)));
    }
    html.push_str("</ul>");
    let mut xml = String::from("  <entry>\n");
    push_element(&mut xml, "    ", "title", &title);
    push_element(&mut xml, "    ", "id", &uuid(&set.id));
    push_element(&mut xml, "    ", "updated", &set.time);
    xml.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}#{}\"/>\n",
        html_escape(page),
        view.anchor
    ));
    xml.push_str("    <content type=\"html\">");
    xml.push_str(&html_escape(&html));
    xml.push_str("</content>\n  </entry>\n");
    xml
}

/// "Added", "Changed" or "Removed", in the site's language.
fn what_label(l: &Linker, what: &str) -> String {
    l.words.get(&format!("change_{what}")).to_string()
}

fn push_element(xml: &mut String, indent: &str, name: &str, text: &str) {
    xml.push_str(&format!("{indent}<{name}>{}</{name}>\n", html_escape(text)));
}

/// A `urn:uuid:` made from `seed`: stable across builds and base URLs, as
/// an Atom id must be.
fn uuid(seed: &str) -> String {
    let a = crate::fingerprint::fingerprint(&(seed, 1u8));
    let b = crate::fingerprint::fingerprint(&(seed, 2u8));
    // Version 8 (custom) and the RFC 9562 variant, so it reads as a UUID.
    let a = (a & !0xf000) | 0x8000;
    let b = (b & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_ids_are_well_formed_uuids_and_stable() {
        let id = uuid("1a2b3c");
        assert_eq!(id, uuid("1a2b3c"));
        assert_ne!(id, uuid("1a2b3d"));
        let hex = id.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<usize> = hex.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert_eq!(&hex[14..15], "8");
        assert!(matches!(&hex[19..20], "8" | "9" | "a" | "b"), "{id}");
    }
}
