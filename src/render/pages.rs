//! One view per page family, built from the model and graph through a `Linker`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::text;
use super::views::*;
use crate::markdown::Heading;
use crate::model::graph::of;
use crate::model::*;

#[derive(Serialize)]
pub(crate) struct StandardPage<'a> {
    pub doc: Doc<'a>,
    pub toc: Vec<Heading>,
    pub statement: String,
    pub kano: Option<Kano>,
    pub mantras: Vec<MantraView>,
    pub moments: Vec<StageGroup>,
    pub behaviours: Vec<BehaviourView>,
    pub personas: Vec<Link>,
    pub measures: Vec<String>,
    pub stories: Vec<StorySummary>,
}

pub(crate) fn standard<'a>(l: &Linker, id: &StandardId, doc: Doc<'a>) -> StandardPage<'a> {
    let s = &l.site.standards[id];
    let toc = on_this_page(
        l,
        &doc,
        &[
            ("behaviours-h", "standard_behaviours", true),
            ("moments-h", "standard_moments", true),
            ("measures-h", "standard_measures", !s.measures.is_empty()),
            ("personas-h", "standard_personas", !s.personas.is_empty()),
            ("stories-h", "kind_story_plural", true),
        ],
    );
    StandardPage {
        doc,
        toc,
        statement: s.statement.clone(),
        kano: s.kano,
        mantras: l
            .graph
            .standard_mantras
            .get(id)
            .into_iter()
            .flatten()
            .map(|m| l.mantra_view(m))
            .collect(),
        moments: l.by_stage(&s.moments),
        behaviours: of(&l.graph.standard_behaviours, id)
            .iter()
            .map(|b| l.behaviour(b))
            .collect(),
        personas: s.personas.iter().map(|p| l.persona(p)).collect(),
        measures: s.measures.clone(),
        stories: l.stories(of(&l.graph.standard_stories, id).iter().cloned()),
    }
}

/// "On this page": the body's sections, then the page's own (anchor, text,
/// shown); the menu appears when it has more than two entries.
/// `sections`: each heading's anchor, the key of its text, and whether the
/// page shows it.
fn on_this_page(l: &Linker, doc: &Doc, sections: &[(&str, &str, bool)]) -> Vec<Heading> {
    let mut toc: Vec<Heading> = doc.toc.iter().filter(|h| h.level == 2).cloned().collect();
    toc.extend(
        sections
            .iter()
            .filter(|(_, _, shown)| *shown)
            .map(|(anchor, key, _)| Heading {
                level: 2,
                text: l.words.get(key).to_string(),
                anchor: anchor.to_string(),
                ..Heading::default()
            }),
    );
    toc
}

#[derive(Serialize)]
pub(crate) struct MantraPage<'a> {
    pub doc: Doc<'a>,
    pub text: String,
    /// The title says nothing the text does not: the text is the heading.
    pub text_is_title: bool,
    pub meaning: String,
    pub standards: Vec<StandardSummary>,
    pub roles: Vec<Link>,
}

pub(crate) fn mantra<'a>(l: &Linker, id: &MantraId, doc: Doc<'a>) -> MantraPage<'a> {
    let m = &l.site.mantras[id];
    MantraPage {
        text_is_title: m.text.is_empty() || super::text::repeats(doc.title, &m.text),
        doc,
        text: m.text.clone(),
        meaning: m.meaning.clone(),
        standards: l
            .graph
            .mantra_standards
            .get(id)
            .into_iter()
            .flatten()
            .map(|s| l.standard_summary(s))
            .collect(),
        roles: l.graph.roles_living(id).iter().map(|r| l.role(r)).collect(),
    }
}

#[derive(Serialize)]
pub(crate) struct PersonaPage<'a> {
    pub doc: Doc<'a>,
    pub toc: Vec<Heading>,
    pub name: String,
    pub quote: String,
    /// Its loves minus hates along the journey, when there is a line to draw.
    pub chart: Option<super::chart::Chart>,
    pub journey_url: String,
    pub loves: Vec<ClaimView>,
    pub hates: Vec<ClaimView>,
    pub standards: Vec<StandardSummary>,
    pub stories: Vec<StorySummary>,
}

pub(crate) fn persona<'a>(l: &Linker, id: &PersonaId, doc: Doc<'a>) -> PersonaPage<'a> {
    let p = &l.site.personas[id];
    let toc = on_this_page(
        l,
        &doc,
        &[
            ("loves-h", "loves", true),
            ("hates-h", "hates", true),
            ("standards-h", "persona_standards", true),
            ("stories-h", "persona_stories", true),
        ],
    );
    PersonaPage {
        doc,
        toc,
        name: p.name.clone(),
        quote: p.quote.clone(),
        chart: super::chart::persona_chart(l, id),
        journey_url: l.url("journey/"),
        loves: p
            .loves
            .iter()
            .map(|c| l.claim_view(id, Feeling::Love, c))
            .collect(),
        hates: p
            .hates
            .iter()
            .map(|c| l.claim_view(id, Feeling::Hate, c))
            .collect(),
        standards: of(&l.graph.persona_standards, id)
            .iter()
            .map(|s| l.standard_summary(s))
            .collect(),
        stories: l.stories(of(&l.graph.persona_stories, id).iter().cloned()),
    }
}

#[derive(Serialize)]
pub(crate) struct MomentPage<'a> {
    pub doc: Doc<'a>,
    pub toc: Vec<Heading>,
    pub stage: Link,
    pub moment_of_truth: bool,
    pub owners: Vec<Link>,
    pub supporters: Vec<Link>,
    pub standards: Vec<StandardSummary>,
    pub behaviours: Vec<BehaviourView>,
    pub loves: Vec<ClaimView>,
    pub hates: Vec<ClaimView>,
    pub stories: Vec<StorySummary>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
}

pub(crate) fn moment<'a>(l: &Linker, id: &MomentId, doc: Doc<'a>) -> MomentPage<'a> {
    let journey = &l.graph.journey;
    let m = &l.site.moments[id];
    let claims: Vec<ClaimView> = of(&l.graph.moment_claims, id)
        .iter()
        .map(|c| l.claim(c))
        .collect();
    let (loves, hates) = claims.into_iter().partition(|c| c.feeling == Feeling::Love);
    let position = l.graph.journey_rank.get(id).copied();
    let toc = on_this_page(
        l,
        &doc,
        &[
            ("standards-h", "moment_standards", true),
            ("behaviours-h", "moment_behaviours", true),
            ("claims-h", "moment_claims", true),
            ("stories-h", "kind_story_plural", true),
        ],
    );
    MomentPage {
        doc,
        toc,
        stage: l.stage(&m.stage),
        moment_of_truth: m.moment_of_truth,
        owners: l.owners(id),
        supporters: of(&l.graph.supporters, id)
            .iter()
            .map(|r| l.role(r))
            .collect(),
        standards: of(&l.graph.moment_standards, id)
            .iter()
            .map(|s| l.standard_summary(s))
            .collect(),
        behaviours: of(&l.graph.moment_behaviours, id)
            .iter()
            .map(|b| l.behaviour(b))
            .collect(),
        loves,
        hates,
        stories: l.stories(of(&l.graph.moment_stories, id).iter().cloned()),
        previous: position
            .and_then(|p| p.checked_sub(1))
            .map(|p| l.moment(&journey[p])),
        next: position
            .and_then(|p| journey.get(p + 1))
            .map(|m| l.moment(m)),
    }
}

#[derive(Serialize)]
pub(crate) struct StagePage<'a> {
    pub doc: Doc<'a>,
    pub moments: Vec<MomentRow>,
}

/// A moment with its owners, as listed on stage and journey pages.
#[derive(Serialize)]
pub(crate) struct MomentRow {
    pub moment: MomentLink,
    pub owners: Vec<Link>,
}

pub(crate) fn moment_rows(l: &Linker, stage: &StageId) -> Vec<MomentRow> {
    of(&l.graph.stage_moments, stage)
        .iter()
        .map(|m| MomentRow {
            moment: l.moment_link(m),
            owners: l.owners(m),
        })
        .collect()
}

pub(crate) fn stage<'a>(l: &Linker, id: &StageId, doc: Doc<'a>) -> StagePage<'a> {
    StagePage {
        doc,
        moments: moment_rows(l, id),
    }
}

#[derive(Serialize)]
pub(crate) struct StoryPage<'a> {
    pub doc: Doc<'a>,
    pub persona: Option<Link>,
    pub moments: Vec<MomentLink>,
    pub standards: Vec<StandardSummary>,
    pub sentiment: Option<Sentiment>,
    pub source: Option<String>,
    pub date: Option<String>,
}

pub(crate) fn story<'a>(l: &Linker, id: &StoryId, doc: Doc<'a>) -> StoryPage<'a> {
    let s = &l.site.stories[id];
    StoryPage {
        doc,
        persona: s.persona.as_ref().map(|p| l.persona(p)),
        moments: l.moments(&s.moments),
        standards: s.standards.iter().map(|x| l.standard_summary(x)).collect(),
        sentiment: s.sentiment,
        source: s.source.clone(),
        date: s.date.clone(),
    }
}

#[derive(Serialize)]
pub(crate) struct PlainPage<'a> {
    pub doc: Doc<'a>,
    pub toc: &'a [crate::markdown::Heading],
    pub children: Vec<Link>,
}

/// Plain pages directly inside a section page's folder.
pub(crate) fn children(l: &Linker, path: &str) -> Vec<Link> {
    l.graph
        .page_children
        .get(path)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|id| l.link(&EntityKey::new(Kind::Page, id.as_str())))
        .collect()
}

/// A list page of one kind: cards, with the section's intro if it has one.
#[derive(Serialize)]
pub(crate) struct ListPage {
    pub kind: Kind,
    pub title: String,
    pub intro: String,
    pub groups: Vec<CardGroup>,
}

#[derive(Serialize)]
pub(crate) struct CardGroup {
    pub title: String,
    pub cards: Vec<Card>,
}

#[derive(Serialize)]
pub(crate) struct Card {
    pub link: Link,
    pub summary: String,
    pub meta: String,
    /// A story's sentiment, shown as a badge the list can be filtered by.
    pub sentiment: Option<Sentiment>,
}

/// How long a card's summary may be, in characters.
const CARD_SUMMARY: usize = 160;

pub(crate) fn list(l: &Linker, kind: Kind, intro: String) -> ListPage {
    let site = l.site;
    let card = |key: EntityKey, summary: String, meta: String| Card {
        link: l.link(&key),
        summary,
        meta,
        sentiment: None,
    };
    let excerpt = |body: &str| text::excerpt(body, &|t| l.title_of(t), CARD_SUMMARY);
    let mut groups: BTreeMap<String, Vec<(i64, String, Card)>> = BTreeMap::new();
    let mut add = |group: &str, weight: i64, title: &str, c: Card| {
        groups
            .entry(group.to_string())
            .or_default()
            .push((weight, title.to_string(), c));
    };
    match kind {
        Kind::Standard => site.standards.iter().for_each(|(id, s)| {
            let kano = s
                .kano
                .map(|k| l.words.get(kano_key(k)))
                .unwrap_or_default()
                .to_string();
            add(
                "",
                s.meta.weight,
                &s.meta.title,
                card(EntityKey::new(kind, id.as_str()), s.statement.clone(), kano),
            )
        }),
        Kind::Mantra => site.mantras.iter().for_each(|(id, m)| {
            add(
                "",
                m.meta.weight,
                &m.meta.title,
                card(
                    EntityKey::new(kind, id.as_str()),
                    m.meaning.clone(),
                    String::new(),
                ),
            )
        }),
        Kind::Role => site.roles.iter().for_each(|(id, r)| {
            let team = if r.team.is_empty() {
                l.words.get("other_roles")
            } else {
                r.team.as_str()
            };
            let owns = l.words.count("role_owns_count", r.owns.len());
            let key = EntityKey::new(kind, id.as_str());
            l.show_body(&key);
            add(
                team,
                r.meta.weight,
                &r.meta.title,
                card(key, excerpt(&r.meta.body), owns),
            )
        }),
        Kind::Persona => site.personas.iter().for_each(|(id, p)| {
            add(
                "",
                p.meta.weight,
                &p.meta.title,
                card(
                    EntityKey::new(kind, id.as_str()),
                    p.quote.clone(),
                    p.name.clone(),
                ),
            )
        }),
        Kind::Story => site.stories.iter().for_each(|(id, s)| {
            let meta = [
                s.persona.as_ref().map(|p| l.persona(p).title),
                s.date.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            let key = EntityKey::new(kind, id.as_str());
            l.show_body(&key);
            let mut c = card(key, excerpt(&s.meta.body), meta);
            c.sentiment = s.sentiment;
            add("", s.meta.weight, &s.meta.title, c)
        }),
        // No list page (`KindInfo::listed`); named, so a new kind must choose.
        Kind::Stage | Kind::Moment | Kind::Page => {}
    }
    ListPage {
        kind,
        title: super::words::section_title(l.words, kind),
        intro,
        groups: groups
            .into_iter()
            .map(|(title, mut cards)| {
                cards.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
                CardGroup {
                    title,
                    cards: cards.into_iter().map(|c| c.2).collect(),
                }
            })
            .collect(),
    }
}

/// The key of a Kano category's name.
pub(crate) fn kano_key(kano: Kano) -> &'static str {
    match kano {
        Kano::MustBe => "kano_must_be",
        Kano::Performance => "kano_performance",
        Kano::Delighter => "kano_delighter",
    }
}
