//! Model: typed entities with resolved references, and the cross-reference graph
//! that lets every page show its links in both directions.

pub(crate) mod date;
pub(crate) mod graph;
pub(crate) mod ids;
mod kinds;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub(crate) use date::Date;
pub(crate) use graph::Graph;
pub(crate) use ids::*;

/// The site paths of the pages Touchstone generates: the home page, the
/// overviews, a list per kind.
pub(crate) fn generated_pages() -> impl Iterator<Item = String> {
    OVERVIEWS
        .into_iter()
        .map(String::from)
        .chain(Kind::listed().map(|kind| format!("{}/", kind.info().folder)))
}

/// The overview pages Touchstone generates, by site path.
const OVERVIEWS: [&str; 6] = [
    "",
    "journey/",
    "accountability/",
    "health/",
    "changes/",
    "search/",
];

/// Whether Touchstone generates the page at a site path: asked of every
/// plain page, so nothing is made to compare it with.
pub(crate) fn is_generated_page(path: &str) -> bool {
    OVERVIEWS.contains(&path) || is_list_page(path)
}

/// Whether `path` is the folder of a kind's list page (`roles/`).
fn is_list_page(path: &str) -> bool {
    path.strip_suffix('/')
        .is_some_and(|folder| Kind::listed().any(|kind| kind.info().folder == folder))
}

/// Whether the generated page at a site path shows a plain page written
/// there as its intro (the home page, a kind's list, the journey map). On the
/// other generated pages such a page has no place: it clashes.
pub(crate) fn shows_intro(path: &str) -> bool {
    matches!(path, "" | "journey/") || is_list_page(path)
}

/// Files Touchstone generates besides pages and the theme's `static/` files.
pub(crate) const GENERATED_FILES: [&str; 5] = [
    "404.html",
    "sitemap.xml",
    "accountability/accountability.csv",
    "changes.xml",
    "playbook.json",
];

/// Paths `serve` answers itself (live reload and its errors), never from
/// the site: a content file there would be hidden while serving.
pub(crate) const SERVER_PATHS: [&str; 3] = [
    "__touchstone/events",
    "__touchstone/live-reload.js",
    "__touchstone/errors.json",
];

/// What every entity and page has: identity, where it was written, its body.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub id: String,
    /// Where its page lands, built from validated slugs only.
    pub path: SitePath,
    pub title: String,
    /// The id of the body heading the title was taken from, kept on the
    /// page's header so links to it still lead somewhere.
    pub title_anchor: Option<String>,
    /// Source file relative to the site root.
    pub file: String,
    pub line: usize,
    pub draft: bool,
    pub review_by: Option<Date>,
    /// `updated:` as written; it takes precedence over the date from git.
    pub updated: Option<Date>,
    pub weight: i64,
    pub body: String,
    pub body_line: usize,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub(crate) struct Standard {
    pub meta: Meta,
    pub statement: String,
    pub mantras: Vec<MantraId>,
    pub moments: Vec<MomentId>,
    pub personas: Vec<PersonaId>,
    pub measures: Vec<String>,
    pub kano: Option<Kano>,
}

#[derive(Debug, Clone)]
pub(crate) struct Mantra {
    pub meta: Meta,
    pub text: String,
    pub meaning: String,
    pub standards: Vec<StandardId>,
}

#[derive(Debug, Clone)]
pub(crate) struct Role {
    pub meta: Meta,
    pub team: String,
    pub owns: Vec<MomentId>,
    pub supports: Vec<MomentId>,
    pub behaviours: Vec<Behaviour>,
    pub onboarding: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Behaviour {
    pub standard: StandardId,
    #[serde(rename = "do")]
    pub do_: String,
    pub dont: String,
    pub moment: Option<MomentId>,
}

#[derive(Debug, Clone)]
pub(crate) struct Persona {
    pub meta: Meta,
    pub name: String,
    pub quote: String,
    pub loves: Vec<Claim>,
    pub hates: Vec<Claim>,
}

/// A persona's love or hate, with the evidence behind it.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    pub text: String,
    pub moments: Vec<MomentId>,
    pub evidence: Evidence,
    pub source: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Feeling {
    Love,
    Hate,
}

#[derive(Debug, Clone)]
pub(crate) struct Stage {
    pub meta: Meta,
    pub order: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Moment {
    pub meta: Meta,
    pub stage: StageId,
    pub order: i64,
    pub moment_of_truth: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Story {
    pub meta: Meta,
    pub persona: Option<PersonaId>,
    pub moments: Vec<MomentId>,
    pub standards: Vec<StandardId>,
    pub sentiment: Option<Sentiment>,
    pub source: Option<String>,
    pub date: Option<String>,
}

/// Any other Markdown: guides, FAQs, section introductions. Its site path
/// (`guides/onboarding/`, or `` for the home page) is `meta.path`.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub meta: Meta,
    /// `description:`, the page's summary for search engines and link previews.
    pub description: Option<String>,
}

/// A file under `content/` copied to the output as it is.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Path relative to `content/`, which is also its path in the output.
    pub path: String,
    pub source: std::path::PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Kano {
    MustBe,
    Performance,
    Delighter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Evidence {
    Verified,
    Assumption,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Sentiment {
    Love,
    Hate,
    Mixed,
}

/// The whole site: every entity by id (ordered, so output is deterministic).
#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    pub standards: BTreeMap<StandardId, Standard>,
    pub mantras: BTreeMap<MantraId, Mantra>,
    pub roles: BTreeMap<RoleId, Role>,
    pub personas: BTreeMap<PersonaId, Persona>,
    pub stages: BTreeMap<StageId, Stage>,
    pub moments: BTreeMap<MomentId, Moment>,
    pub stories: BTreeMap<StoryId, Story>,
    pub pages: BTreeMap<String, Page>,
    pub assets: Vec<Asset>,
    /// Entities that loaded without some of what their file says (a field
    /// with an error, a misspelt field), or not at all: the checks that
    /// depend on their data wait until they load whole, so an author never
    /// reads a consequence of an error as a problem of its own.
    pub partial: BTreeSet<EntityKey>,
    /// A book's outline from `content/SUMMARY.md`, in order; empty without one.
    pub outline: Vec<OutlineEntry>,
}

/// One line of a book's outline (mdBook's `SUMMARY.md`): a part title, or
/// a chapter with the page it links to (none for a draft), `depth` lists deep.
#[derive(Debug, Clone, Hash, PartialEq)]
pub(crate) struct OutlineEntry {
    pub title: String,
    pub key: Option<EntityKey>,
    pub depth: usize,
    pub part: bool,
}

impl Site {
    /// Whether every entity of `kind` loaded whole.
    pub(crate) fn all_whole(&self, kind: Kind) -> bool {
        !self.partial.iter().any(|key| key.kind == kind)
    }

    /// Whether this entity loaded whole.
    pub(crate) fn is_whole(&self, key: &EntityKey) -> bool {
        !self.partial.contains(key)
    }

    /// The site path of an entity or page: `roles/agent/`, `journey/core/delivery/`.
    /// Built at resolve from validated slugs, never from the key.
    pub(crate) fn path_of(&self, key: &EntityKey) -> Option<String> {
        Some(self.meta_of(key)?.path.as_str().to_owned())
    }

    /// The entities an entity's front matter names (a moment: its stage).
    pub(crate) fn references(&self, key: &EntityKey) -> Vec<EntityKey> {
        let id = key.id.as_str();
        let keys = |kind: Kind, ids: &mut dyn Iterator<Item = &str>| -> Vec<EntityKey> {
            ids.map(|i| EntityKey::new(kind, i)).collect()
        };
        match key.kind {
            Kind::Standard => self.standards.get(id).map_or(vec![], |s| {
                let mut v = keys(Kind::Mantra, &mut s.mantras.iter().map(MantraId::as_str));
                v.extend(keys(
                    Kind::Moment,
                    &mut s.moments.iter().map(MomentId::as_str),
                ));
                v.extend(keys(
                    Kind::Persona,
                    &mut s.personas.iter().map(PersonaId::as_str),
                ));
                v
            }),
            Kind::Mantra => self.mantras.get(id).map_or(vec![], |m| {
                keys(
                    Kind::Standard,
                    &mut m.standards.iter().map(StandardId::as_str),
                )
            }),
            Kind::Role => self.roles.get(id).map_or(vec![], |r| {
                let mut v = keys(
                    Kind::Moment,
                    &mut r.owns.iter().chain(&r.supports).map(MomentId::as_str),
                );
                for b in &r.behaviours {
                    v.push(EntityKey::new(Kind::Standard, b.standard.as_str()));
                    v.extend(
                        b.moment
                            .iter()
                            .map(|m| EntityKey::new(Kind::Moment, m.as_str())),
                    );
                }
                v
            }),
            Kind::Persona => self.personas.get(id).map_or(vec![], |p| {
                let moments = p
                    .loves
                    .iter()
                    .chain(&p.hates)
                    .flat_map(|c| c.moments.iter());
                keys(Kind::Moment, &mut moments.map(MomentId::as_str))
            }),
            Kind::Moment => self.moments.get(id).map_or(vec![], |m| {
                vec![EntityKey::new(Kind::Stage, m.stage.as_str())]
            }),
            Kind::Story => self.stories.get(id).map_or(vec![], |s| {
                let mut v = keys(Kind::Moment, &mut s.moments.iter().map(MomentId::as_str));
                v.extend(keys(
                    Kind::Standard,
                    &mut s.standards.iter().map(StandardId::as_str),
                ));
                v.extend(
                    s.persona
                        .iter()
                        .map(|p| EntityKey::new(Kind::Persona, p.as_str())),
                );
                v
            }),
            Kind::Stage | Kind::Page => vec![],
        }
    }

    /// Stages in journey order.
    pub(crate) fn stages_in_order(&self) -> Vec<&Stage> {
        let mut stages: Vec<&Stage> = self.stages.values().collect();
        stages.sort_by(|a, b| (a.order, &a.meta.title).cmp(&(b.order, &b.meta.title)));
        stages
    }

    /// Position of a moment along the whole journey: its stage (as
    /// `stages_in_order` sorts them), then its own order and title.
    pub(crate) fn journey_position(&self, moment: &MomentId) -> (i64, String, i64, String) {
        let m = &self.moments[moment];
        let (stage_order, stage_title) = self
            .stages
            .get(&m.stage)
            .map_or((i64::MAX, String::new()), |s| {
                (s.order, s.meta.title.clone())
            });
        (stage_order, stage_title, m.order, m.meta.title.clone())
    }
}

/// Each kind with its typed map on `Site`, in `Kind::ALL` order: the one
/// list the methods that treat every kind alike are generated from.
macro_rules! site_maps {
    ($then:ident) => {
        $then! {
            Standard => standards,
            Mantra => mantras,
            Role => roles,
            Persona => personas,
            Stage => stages,
            Moment => moments,
            Story => stories,
            Page => pages,
        }
    };
}

macro_rules! metas_of_every_kind {
    ($($kind:ident => $field:ident,)*) => {
        impl Site {
            pub(crate) fn meta_of(&self, key: &EntityKey) -> Option<&Meta> {
                self.meta_by(key.kind, &key.id)
            }

            /// `meta_of`, with no key made to look it up.
            pub(crate) fn meta_by(&self, kind: Kind, id: &str) -> Option<&Meta> {
                Some(match kind {
                    $(Kind::$kind => &self.$field.get(id)?.meta,)*
                })
            }

            pub(crate) fn meta_mut(&mut self, key: &EntityKey) -> Option<&mut Meta> {
                let id = key.id.as_str();
                Some(match key.kind {
                    $(Kind::$kind => &mut self.$field.get_mut(id)?.meta,)*
                })
            }

            /// Moves the entity at `key` from `from` into this site, over
            /// the one there (an edit's patch); `None` if `from` has none.
            pub(crate) fn take_entity(&mut self, from: &mut Site, key: &EntityKey) -> Option<()> {
                let id = key.id.as_str();
                match key.kind {
                    $(Kind::$kind => {
                        let (id, entity) = from.$field.remove_entry(id)?;
                        self.$field.insert(id, entity);
                    })*
                }
                Some(())
            }

            /// Whether the site holds an entity of `kind` with this id.
            pub(crate) fn has(&self, kind: Kind, id: &str) -> bool {
                match kind {
                    $(Kind::$kind => self.$field.contains_key(id),)*
                }
            }

            /// The ids of every entity of `kind`, in order.
            pub(crate) fn ids_of(&self, kind: Kind) -> Box<dyn Iterator<Item = &str> + '_> {
                match kind {
                    $(Kind::$kind => Box::new(
                        self.$field.keys().map(|id| std::borrow::Borrow::<str>::borrow(id)),
                    ),)*
                }
            }

            /// How many entities of `kind` the site holds.
            pub(crate) fn count(&self, kind: Kind) -> usize {
                match kind {
                    $(Kind::$kind => self.$field.len(),)*
                }
            }

            /// Every entity and page, with its kind and id, kind by kind,
            /// without a key made for each (a whole site's worth of
            /// copies, where most are looked at and passed over).
            pub(crate) fn metas(&self) -> impl Iterator<Item = (Kind, &str, &Meta)> + '_ {
                std::iter::empty()
                $(.chain(self.$field.iter().map(|(id, v)| {
                    let id: &str = std::borrow::Borrow::borrow(id);
                    (Kind::$kind, id, &v.meta)
                })))*
            }

            /// Every entity and page, each with its key, kind by kind.
            pub(crate) fn all_metas(&self) -> Vec<(EntityKey, &Meta)> {
                self.metas()
                    .map(|(kind, id, meta)| (EntityKey::new(kind, id), meta))
                    .collect()
            }
        }
    };
}

site_maps!(metas_of_every_kind);

/// A plain page `content/<folder>/<id>.md` titled `title`, at
/// `/<folder>/<id>/`, keyed by its id: for unit tests of what reads pages.
#[cfg(test)]
pub(crate) fn test_page(folder: &str, id: &str, title: &str) -> (String, Page) {
    use ids::Slug;
    let path = SitePath::home()
        .join(&Slug::id(folder).unwrap())
        .join(&Slug::id(id).unwrap());
    let id = format!("{folder}/{id}");
    let meta = Meta {
        id: id.clone(),
        path,
        title: title.into(),
        title_anchor: None,
        file: format!("content/{id}.md"),
        line: 1,
        draft: false,
        review_by: None,
        updated: None,
        weight: 0,
        body: String::new(),
        body_line: 1,
        extra: serde_json::Value::Null,
    };
    let page = Page {
        meta,
        description: None,
    };
    (id, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pages_are_told_apart_from_the_plain_pages_beside_them() {
        let generated: Vec<String> = generated_pages().collect();
        assert_eq!(generated.len(), OVERVIEWS.len() + Kind::listed().count());
        assert!(generated.iter().any(|page| page == "roles/"));
        for page in &generated {
            assert!(is_generated_page(page), "{page:?} is generated");
        }
        assert!(is_generated_page("roles/") && is_generated_page("search/"));
        for plain in [
            "roles",
            "roles/agent/",
            "/",
            "journey",
            "journeys/",
            "guides/",
            "x/roles/",
        ] {
            assert!(!is_generated_page(plain), "{plain:?} is a plain page");
        }
        assert!(shows_intro("") && shows_intro("journey/") && shows_intro("standards/"));
        for other in ["health/", "search/", "roles", "roles/agent/", "guides/"] {
            assert!(!shows_intro(other), "{other:?} shows no intro");
        }
    }
}
