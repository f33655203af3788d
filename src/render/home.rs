//! The home page as a launcher: a short intro, the search box, every role
//! one click away, the journey at a glance and what changed lately; the rest
//! of `content/index.md` follows below.

use serde::Serialize;

use super::text;
use super::views::*;
use crate::changes::Subject;
use crate::model::graph::of;
use crate::model::*;

#[derive(Serialize)]
pub(crate) struct HomePage {
    /// The `title:` of `content/index.md`, else the site's title.
    pub title: String,
    /// The first paragraph of `content/index.md` (HTML), else the site's description.
    pub intro: String,
    /// The rest of `content/index.md` (HTML).
    pub more: String,
    pub teams: Vec<Team>,
    pub stages: Vec<StageGlance>,
    pub mantras: Vec<MantraView>,
    pub recent: Vec<Recent>,
    /// Only the kinds that have something in them.
    pub counts: Vec<Count>,
    /// A book's outline (`SUMMARY.md`), line by line.
    pub contents: Vec<ContentsLine>,
    /// Folders of plain pages, and the pages at the top of `content/`.
    pub sections: Vec<GuideSection>,
}

/// One line of a book's contents: a part title or a chapter (a draft has
/// no link), `depth` lists deep.
#[derive(Serialize)]
pub(crate) struct ContentsLine {
    pub title: String,
    pub url: Option<String>,
    pub depth: usize,
    pub part: bool,
}

/// A folder of plain pages with its pages, for a site of guides.
#[derive(Serialize)]
pub(crate) struct GuideSection {
    pub title: String,
    pub url: Option<String>,
    pub pages: Vec<Link>,
}

#[derive(Serialize)]
pub(crate) struct Team {
    pub name: String,
    pub roles: Vec<Link>,
}

/// A stage in one line: how many moments, and which are moments of truth.
#[derive(Serialize)]
pub(crate) struct StageGlance {
    pub stage: Link,
    pub moments: String,
    pub moments_of_truth: Vec<Link>,
}

/// A change made lately, with the day it was made.
#[derive(Serialize)]
pub(crate) struct Recent {
    #[serde(flatten)]
    pub(crate) change: super::changes::ChangeView,
    pub date: Date,
}

#[derive(Serialize)]
pub(crate) struct Count {
    pub label: String,
    pub value: usize,
    pub url: String,
}

/// How many recently changed pages the home page lists.
const RECENT: usize = 6;

/// `body` is the home page's own text (`content/index.md`); `changes` the
/// change log, whose newest entries the page lists.
pub(crate) fn home(
    l: &Linker,
    site_title: &str,
    site_description: &str,
    body: String,
    changes: &crate::changes::ChangeLog,
) -> HomePage {
    let s = l.site;
    let index = EntityKey::new(Kind::Page, "");
    let title = s
        .meta_of(&index)
        .map(|m| m.title.trim())
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("index"))
        .unwrap_or(site_title)
        .to_string();
    let (mut intro, more) = text::split_first_paragraph(&body);
    if intro.is_empty() && !site_description.is_empty() {
        intro = format!("<p>{}</p>", crate::markdown::html_escape(site_description));
    }
    HomePage {
        title,
        intro,
        more,
        teams: teams(l),
        stages: glance(l),
        mantras: s.mantras.keys().map(|m| l.mantra_view(m)).collect(),
        recent: changes
            .latest(RECENT + 1)
            .into_iter()
            .filter(|(_, change)| change.subject != Subject::Entity(index.clone()))
            .take(RECENT)
            .map(|(set, change)| Recent {
                change: super::changes::change_view(l, change),
                date: set.date,
            })
            .collect(),
        counts: counts(l),
        contents: contents(l),
        sections: sections(l),
    }
}

/// How many of each counted kind the site holds, as the kind table lists
/// them, leaving out the kinds it has none of.
fn counts(l: &Linker) -> Vec<Count> {
    Kind::ALL
        .into_iter()
        .filter(|kind| kind.info().counted)
        .map(|kind| (kind, l.site.count(kind)))
        .filter(|(_, value)| *value > 0)
        .map(|(kind, value)| Count {
            label: super::words::kind_count(l.words, kind, value),
            value,
            url: l.url(&format!("{}/", kind.info().section)),
        })
        .collect()
}

fn contents(l: &Linker) -> Vec<ContentsLine> {
    l.site
        .outline
        .iter()
        .map(|entry| ContentsLine {
            title: entry.title.clone(),
            url: entry.key.as_ref().map(|key| l.link(key).url),
            depth: entry.depth,
            part: entry.part,
        })
        .collect()
}

/// Each folder of plain pages with its pages; then, for a book without an
/// outline, the pages at the top of `content/`.
fn sections(l: &Linker) -> Vec<GuideSection> {
    let links = |pages: &[&Page]| l.link_pages(pages);
    let mut sections: Vec<GuideSection> = super::nav::page_sections(l.site)
        .into_iter()
        .map(|section| GuideSection {
            title: section.title,
            url: Some(l.url(&section.path)),
            pages: links(&section.pages),
        })
        .collect();
    let top = super::nav::top_pages(l.site);
    if l.site.outline.is_empty() && !top.is_empty() {
        sections.insert(
            0,
            GuideSection {
                title: l.words.get("pages").into(),
                url: None,
                pages: links(&top),
            },
        );
    }
    sections
}

fn glance(l: &Linker) -> Vec<StageGlance> {
    l.site
        .stages_in_order()
        .iter()
        .map(|st| {
            let id = StageId(st.meta.id.clone());
            let moments = of(&l.graph.stage_moments, &id);
            StageGlance {
                stage: l.stage(&id),
                moments: l.words.count("count_moments", moments.len()),
                moments_of_truth: moments
                    .iter()
                    .filter(|m| l.site.moments[*m].moment_of_truth)
                    .map(|m| l.moment(m))
                    .collect(),
            }
        })
        .collect()
}

/// Roles grouped by team, teams and roles by name.
pub(crate) fn teams(l: &Linker) -> Vec<Team> {
    let mut by_team: std::collections::BTreeMap<&str, Vec<&RoleId>> = Default::default();
    for (id, r) in &l.site.roles {
        by_team.entry(r.team.as_str()).or_default().push(id);
    }
    by_team
        .into_iter()
        .map(|(team, roles)| {
            let mut roles: Vec<Link> = roles.iter().map(|r| l.role(r)).collect();
            roles.sort_by(|a, b| a.title.cmp(&b.title));
            Team {
                name: if team.is_empty() {
                    l.words.get("other_roles").into()
                } else {
                    team.into()
                },
                roles,
            }
        })
        .collect()
}
