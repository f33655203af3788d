//! The typed views templates see. Every view borrows from the model or holds
//! ready-made links (relative to the page being rendered), so templates never
//! compute URLs or walk the graph.

use std::cell::RefCell;

use serde::Serialize;

use crate::config::Translations;
use crate::model::graph::{BehaviourRef, ClaimRef, of};
use crate::model::*;

/// A link to an entity or page, its href relative to the current page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
    pub kind: Kind,
    pub draft: bool,
}

/// Below this many links, a list is made on one core (`link_pages`).
const PAGES_PER_CORE: usize = 4096;

/// The link from a page `root` away from the site root to `meta`'s page.
fn link_with(root: &str, kind: Kind, meta: &Meta) -> Link {
    let path = meta.path.as_str();
    let mut url = String::with_capacity(root.len() + path.len());
    url.push_str(root);
    url.push_str(path);
    Link {
        title: meta.title.clone(),
        url,
        kind,
        draft: meta.draft,
    }
}

/// Makes links relative to one page of the site, and records every entity the
/// page shows: when one of them changes, the page is rendered again.
pub(crate) struct Linker<'a> {
    pub site: &'a Site,
    pub graph: &'a Graph,
    /// The site's words, for labels built here rather than in templates.
    pub words: &'a Translations,
    /// `../` back to the site root from this page.
    pub root: String,
    deps: RefCell<Vec<EntityKey>>,
    /// The entities whose Markdown body the page shows (its own, an
    /// introduction, an excerpt): a body edit renders only these pages again.
    bodies: RefCell<Vec<EntityKey>>,
    /// Whether `deps` and `bodies` are kept: a build that remembers no
    /// page has no use for them, and they cost a copy of every key shown.
    recording: bool,
}

impl<'a> Linker<'a> {
    pub(crate) fn new(
        site: &'a Site,
        graph: &'a Graph,
        words: &'a Translations,
        root: String,
    ) -> Self {
        Linker {
            site,
            graph,
            words,
            root,
            deps: RefCell::default(),
            bodies: RefCell::default(),
            recording: true,
        }
    }

    /// The same linker, recording nothing: `into_deps` then gives no keys.
    pub(crate) fn without_records(self) -> Self {
        Linker {
            recording: false,
            ..self
        }
    }

    pub(crate) fn depend_on(&self, key: &EntityKey) {
        if self.recording {
            self.deps.borrow_mut().push(key.clone());
        }
    }

    /// Records that the page shows the body of `key` (which it depends on).
    pub(crate) fn show_body(&self, key: &EntityKey) {
        self.depend_on(key);
        if self.recording {
            self.bodies.borrow_mut().push(key.clone());
        }
    }

    /// The entities the page showed, and those whose bodies it showed,
    /// each once, in order.
    pub(crate) fn into_deps(self) -> (Vec<EntityKey>, Vec<EntityKey>) {
        let once = |mut keys: Vec<EntityKey>| {
            // Equal keys are the same key: no order among them to keep.
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        (once(self.deps.into_inner()), once(self.bodies.into_inner()))
    }

    pub(crate) fn link(&self, key: &EntityKey) -> Link {
        self.link_id(key.kind, &key.id)
    }

    /// `link` to the entity `id` of `kind`: its key is made only if the
    /// page's dependencies are recorded.
    fn link_id(&self, kind: Kind, id: &str) -> Link {
        let meta = self
            .site
            .meta_by(kind, id)
            .expect("links point at known entities");
        self.link_meta(kind, id, meta)
    }

    /// `link_id`, for an entity whose `meta` is at hand.
    fn link_meta(&self, kind: Kind, id: &str, meta: &Meta) -> Link {
        if self.recording {
            self.deps.borrow_mut().push(EntityKey::new(kind, id));
        }
        self.link_with(kind, meta)
    }

    /// The links to `pages`, in order; a long list (a home
    /// listing every guide of a large site) on every core.
    pub(crate) fn link_pages(&self, pages: &[&Page]) -> Vec<Link> {
        use rayon::prelude::*;
        let root = self.root.as_str();
        let links = pages
            .par_iter()
            .with_min_len(PAGES_PER_CORE)
            .map(|page| link_with(root, Kind::Page, &page.meta))
            .collect();
        if self.recording {
            let keys = pages
                .iter()
                .map(|page| EntityKey::new(Kind::Page, page.meta.id.as_str()));
            self.deps.borrow_mut().extend(keys);
        }
        links
    }

    fn link_with(&self, kind: Kind, meta: &Meta) -> Link {
        link_with(&self.root, kind, meta)
    }

    /// The title of a `[[kind/id]]` or `[[id]]` link target, for plain-text
    /// excerpts of bodies (the page then shows, and depends on, that entity).
    pub(crate) fn title_of(&self, target: &str) -> Option<String> {
        let target = target.split('#').next().unwrap_or(target);
        let key = match target.split_once('/') {
            Some((prefix, id)) => {
                let kind = Kind::from_link_prefix(prefix)?;
                let id = id.rsplit('/').next().unwrap_or(id);
                Some(EntityKey::new(kind, id)).filter(|k| self.site.meta_of(k).is_some())
            }
            None => {
                // The one entity of any kind with this id, looked up kind
                // by kind: a site's excerpts name hundreds.
                let mut found = Kind::ALL.into_iter().filter(|&kind| {
                    kind != Kind::Page && self.site.meta_by(kind, target).is_some()
                });
                match (found.next(), found.next()) {
                    (Some(kind), None) => Some(EntityKey::new(kind, target)),
                    _ => None,
                }
            }
        }?;
        Some(self.link(&key).title)
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    pub(crate) fn standard(&self, id: &StandardId) -> Link {
        self.link_id(Kind::Standard, id.as_str())
    }
    pub(crate) fn role(&self, id: &RoleId) -> Link {
        self.link_id(Kind::Role, id.as_str())
    }
    pub(crate) fn persona(&self, id: &PersonaId) -> Link {
        self.link_id(Kind::Persona, id.as_str())
    }
    pub(crate) fn stage(&self, id: &StageId) -> Link {
        self.link_id(Kind::Stage, id.as_str())
    }
    pub(crate) fn moment(&self, id: &MomentId) -> Link {
        self.link_id(Kind::Moment, id.as_str())
    }

    pub(crate) fn moments(&self, ids: &[MomentId]) -> Vec<MomentLink> {
        ids.iter().map(|m| self.moment_link(m)).collect()
    }

    pub(crate) fn moment_link(&self, id: &MomentId) -> MomentLink {
        let m = &self.site.moments[id];
        MomentLink {
            link: self.link_meta(Kind::Moment, id.as_str(), &m.meta),
            moment_of_truth: m.moment_of_truth,
            stage: m.stage.as_str().to_string(),
        }
    }

    /// Moments grouped under their stages, stages in journey order.
    pub(crate) fn by_stage(&self, ids: &[MomentId]) -> Vec<StageGroup> {
        let ids = self.graph.in_journey_order(ids.iter().cloned());
        let mut groups: Vec<StageGroup> = Vec::new();
        for id in &ids {
            let stage = &self.site.moments[id].stage;
            if groups.last().is_none_or(|g| g.id != stage.as_str()) {
                groups.push(StageGroup {
                    id: stage.as_str().to_string(),
                    stage: self.stage(stage),
                    moments: vec![],
                });
            }
            groups
                .last_mut()
                .expect("pushed")
                .moments
                .push(self.moment_link(id));
        }
        groups
    }

    pub(crate) fn claim(&self, r: &ClaimRef) -> ClaimView {
        let persona = &self.site.personas[&r.persona];
        let claims = match r.feeling {
            Feeling::Love => &persona.loves,
            Feeling::Hate => &persona.hates,
        };
        self.claim_view(&r.persona, r.feeling, &claims[r.index])
    }

    pub(crate) fn claim_view(
        &self,
        persona: &PersonaId,
        feeling: Feeling,
        claim: &Claim,
    ) -> ClaimView {
        ClaimView {
            persona: self.persona(persona),
            feeling,
            text: claim.text.clone(),
            verified: claim.evidence == Evidence::Verified,
            source: claim.source.clone(),
            moments: self.moments(&claim.moments),
        }
    }

    pub(crate) fn behaviour(&self, r: &BehaviourRef) -> BehaviourView {
        let role = &self.site.roles[&r.role];
        let b = &role.behaviours[r.index];
        BehaviourView {
            role: self.link_meta(Kind::Role, r.role.as_str(), &role.meta),
            standard: self.standard(&b.standard),
            do_: b.do_.clone(),
            dont: b.dont.clone(),
            moment: b.moment.as_ref().map(|m| self.moment(m)),
        }
    }

    pub(crate) fn mantra_view(&self, id: &MantraId) -> MantraView {
        let m = &self.site.mantras[id];
        MantraView {
            link: self.link_meta(Kind::Mantra, id.as_str(), &m.meta),
            text: m.text.clone(),
            meaning: m.meaning.clone(),
        }
    }

    pub(crate) fn standard_summary(&self, id: &StandardId) -> StandardSummary {
        let s = &self.site.standards[id];
        StandardSummary {
            link: self.link_meta(Kind::Standard, id.as_str(), &s.meta),
            statement: s.statement.clone(),
            kano: s.kano,
        }
    }

    pub(crate) fn story_summary(&self, id: &StoryId) -> StorySummary {
        let s = &self.site.stories[id];
        StorySummary {
            link: self.link_meta(Kind::Story, id.as_str(), &s.meta),
            sentiment: s.sentiment,
            persona: s.persona.as_ref().map(|p| self.persona(p)),
            date: s.date.clone(),
        }
    }

    pub(crate) fn stories(&self, ids: impl IntoIterator<Item = StoryId>) -> Vec<StorySummary> {
        ids.into_iter().map(|s| self.story_summary(&s)).collect()
    }

    /// Who links to this entity from their bodies.
    pub(crate) fn mentions(&self, key: &EntityKey) -> Vec<Link> {
        self.graph
            .mentions
            .get(key)
            .into_iter()
            .flatten()
            .map(|k| self.link(k))
            .collect()
    }

    pub(crate) fn owners(&self, moment: &MomentId) -> Vec<Link> {
        of(&self.graph.owners, moment)
            .iter()
            .map(|r| self.role(r))
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MomentLink {
    #[serde(flatten)]
    pub link: Link,
    pub moment_of_truth: bool,
    pub stage: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StageGroup {
    pub id: String,
    pub stage: Link,
    pub moments: Vec<MomentLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClaimView {
    pub persona: Link,
    pub feeling: Feeling,
    pub text: String,
    pub verified: bool,
    pub source: Option<String>,
    pub moments: Vec<MomentLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BehaviourView {
    pub role: Link,
    pub standard: Link,
    #[serde(rename = "do")]
    pub do_: String,
    pub dont: String,
    pub moment: Option<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MantraView {
    pub link: Link,
    pub text: String,
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StandardSummary {
    pub link: Link,
    pub statement: String,
    pub kano: Option<Kano>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StorySummary {
    pub link: Link,
    pub sentiment: Option<Sentiment>,
    pub persona: Option<Link>,
    pub date: Option<String>,
}

/// What every page shows about its own source: body, review state, draft badge.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Doc<'a> {
    pub title: &'a str,
    /// The id of the heading the title was taken from, for the `<h1>`.
    pub anchor: Option<&'a str>,
    pub body: &'a str,
    pub draft: bool,
    pub review_by: Option<Date>,
    pub review_due: bool,
    /// When its source last changed, from git history.
    pub updated: Option<Date>,
    pub extra: &'a serde_json::Value,
    pub mentions: Vec<Link>,
    /// The body's headings, for "On this page".
    pub toc: &'a [crate::markdown::Heading],
}
