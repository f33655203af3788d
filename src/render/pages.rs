//! One view per page family, built from the model and graph through a `Linker`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::*;
use crate::model::graph::of;
use crate::model::*;

#[derive(Serialize)]
pub struct StandardPage {
    pub doc: Doc,
    pub statement: String,
    pub kano: Option<Kano>,
    pub mantras: Vec<MantraView>,
    pub moments: Vec<StageGroup>,
    pub behaviours: Vec<BehaviourView>,
    pub personas: Vec<Link>,
    pub measures: Vec<String>,
    pub stories: Vec<StorySummary>,
}

pub fn standard(l: &Linker, id: &StandardId, doc: Doc) -> StandardPage {
    let s = &l.site.standards[id];
    StandardPage {
        doc,
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

#[derive(Serialize)]
pub struct MantraPage {
    pub doc: Doc,
    pub text: String,
    pub meaning: String,
    pub standards: Vec<StandardSummary>,
    pub roles: Vec<Link>,
}

pub fn mantra(l: &Linker, id: &MantraId, doc: Doc) -> MantraPage {
    let m = &l.site.mantras[id];
    MantraPage {
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

/// A standard and what one role does for it.
#[derive(Serialize)]
pub struct BehaviourGroup {
    pub standard: StandardSummary,
    pub mantras: Vec<MantraView>,
    pub behaviours: Vec<BehaviourView>,
}

#[derive(Serialize)]
pub struct RolePage {
    pub doc: Doc,
    pub team: String,
    pub owns: Vec<StageGroup>,
    pub supports: Vec<StageGroup>,
    pub behaviours: Vec<BehaviourGroup>,
    pub mantras: Vec<MantraView>,
    pub loves: Vec<ClaimView>,
    pub hates: Vec<ClaimView>,
    pub stories: Vec<StorySummary>,
    pub onboarding: Vec<String>,
    pub onboarding_url: String,
}

pub fn role(l: &Linker, id: &RoleId, doc: Doc) -> RolePage {
    let r = &l.site.roles[id];
    let moments = l.graph.moments_of_role(r);
    let claims: Vec<ClaimView> = l
        .graph
        .claims_at(&moments)
        .iter()
        .map(|c| l.claim(c))
        .collect();
    let (loves, hates) = claims.into_iter().partition(|c| c.feeling == Feeling::Love);
    RolePage {
        doc,
        team: r.team.clone(),
        owns: l.by_stage(&r.owns),
        supports: l.by_stage(&r.supports),
        behaviours: behaviour_groups(l, id, r),
        mantras: l
            .graph
            .mantras_of_role(r)
            .iter()
            .map(|m| l.mantra_view(m))
            .collect(),
        loves,
        hates,
        stories: l.stories(l.graph.stories_at(&moments)),
        onboarding: r.onboarding.clone(),
        onboarding_url: l.url(&format!("roles/{id}/onboarding/")),
    }
}

fn behaviour_groups(l: &Linker, id: &RoleId, r: &Role) -> Vec<BehaviourGroup> {
    l.graph
        .standards_of_role(r)
        .iter()
        .map(|s| BehaviourGroup {
            standard: l.standard_summary(s),
            mantras: l
                .graph
                .standard_mantras
                .get(s)
                .into_iter()
                .flatten()
                .map(|m| l.mantra_view(m))
                .collect(),
            behaviours: r
                .behaviours
                .iter()
                .enumerate()
                .filter(|(_, b)| &b.standard == s)
                .map(|(index, _)| {
                    l.behaviour(&graph::BehaviourRef {
                        role: id.clone(),
                        index,
                    })
                })
                .collect(),
        })
        .collect()
}

/// The first week of a new hire, as a checklist: each item has a stable key
/// so ticks persist in the browser.
#[derive(Serialize)]
pub struct OnboardingPage {
    pub role: Link,
    pub team: String,
    pub storage_key: String,
    pub mantras: Vec<MantraView>,
    pub behaviours: Vec<BehaviourGroup>,
    pub moments: Vec<MomentBrief>,
    pub stories: Vec<StorySummary>,
    pub tasks: Vec<String>,
}

#[derive(Serialize)]
pub struct MomentBrief {
    pub moment: MomentLink,
    pub stage: Link,
    pub owned: bool,
    pub loves: Vec<ClaimView>,
    pub hates: Vec<ClaimView>,
}

pub fn onboarding(l: &Linker, id: &RoleId) -> OnboardingPage {
    let r = &l.site.roles[id];
    let moments = l.graph.moments_of_role(r);
    OnboardingPage {
        role: l.role(id),
        team: r.team.clone(),
        storage_key: format!("touchstone:onboarding:{id}"),
        mantras: l
            .graph
            .mantras_of_role(r)
            .iter()
            .map(|m| l.mantra_view(m))
            .collect(),
        behaviours: behaviour_groups(l, id, r),
        moments: moments
            .iter()
            .map(|m| {
                let claims: Vec<ClaimView> = of(&l.graph.moment_claims, m)
                    .iter()
                    .map(|c| l.claim(c))
                    .collect();
                let (loves, hates) = claims.into_iter().partition(|c| c.feeling == Feeling::Love);
                MomentBrief {
                    moment: l.moment_link(m),
                    stage: l.stage(&l.site.moments[m].stage),
                    owned: r.owns.contains(m),
                    loves,
                    hates,
                }
            })
            .collect(),
        stories: l.stories(l.graph.stories_at(&moments)),
        tasks: r.onboarding.clone(),
    }
}

#[derive(Serialize)]
pub struct PersonaPage {
    pub doc: Doc,
    pub name: String,
    pub quote: String,
    pub loves: Vec<ClaimView>,
    pub hates: Vec<ClaimView>,
    pub standards: Vec<StandardSummary>,
    pub stories: Vec<StorySummary>,
}

pub fn persona(l: &Linker, id: &PersonaId, doc: Doc) -> PersonaPage {
    let p = &l.site.personas[id];
    PersonaPage {
        doc,
        name: p.name.clone(),
        quote: p.quote.clone(),
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
pub struct MomentPage {
    pub doc: Doc,
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

pub fn moment(l: &Linker, id: &MomentId, doc: Doc) -> MomentPage {
    let journey = &l.graph.journey;
    let m = &l.site.moments[id];
    let claims: Vec<ClaimView> = of(&l.graph.moment_claims, id)
        .iter()
        .map(|c| l.claim(c))
        .collect();
    let (loves, hates) = claims.into_iter().partition(|c| c.feeling == Feeling::Love);
    let position = l.graph.journey_rank.get(id).copied();
    MomentPage {
        doc,
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
pub struct StagePage {
    pub doc: Doc,
    pub moments: Vec<MomentRow>,
}

/// A moment with its owners, as listed on stage and journey pages.
#[derive(Serialize)]
pub struct MomentRow {
    pub moment: MomentLink,
    pub owners: Vec<Link>,
}

pub fn moment_rows(l: &Linker, stage: &StageId) -> Vec<MomentRow> {
    of(&l.graph.stage_moments, stage)
        .iter()
        .map(|m| MomentRow {
            moment: l.moment_link(m),
            owners: l.owners(m),
        })
        .collect()
}

pub fn stage(l: &Linker, id: &StageId, doc: Doc) -> StagePage {
    StagePage {
        doc,
        moments: moment_rows(l, id),
    }
}

#[derive(Serialize)]
pub struct StoryPage {
    pub doc: Doc,
    pub persona: Option<Link>,
    pub moments: Vec<MomentLink>,
    pub standards: Vec<StandardSummary>,
    pub sentiment: Option<Sentiment>,
    pub source: Option<String>,
    pub date: Option<String>,
}

pub fn story(l: &Linker, id: &StoryId, doc: Doc) -> StoryPage {
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
pub struct PlainPage {
    pub doc: Doc,
    pub toc: Vec<crate::markdown::Heading>,
    pub children: Vec<Link>,
}

/// Plain pages directly inside a section page's folder.
pub fn children(l: &Linker, path: &str) -> Vec<Link> {
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
pub struct ListPage {
    pub kind: Kind,
    pub title: String,
    pub intro: String,
    pub groups: Vec<CardGroup>,
}

#[derive(Serialize)]
pub struct CardGroup {
    pub title: String,
    pub cards: Vec<Card>,
}

#[derive(Serialize)]
pub struct Card {
    pub link: Link,
    pub summary: String,
    pub meta: String,
}

pub fn list(l: &Linker, kind: Kind, intro: String) -> ListPage {
    let site = l.site;
    let card = |key: EntityKey, summary: String, meta: String| Card {
        link: l.link(&key),
        summary,
        meta,
    };
    let mut groups: BTreeMap<String, Vec<(i64, String, Card)>> = BTreeMap::new();
    let mut add = |group: &str, weight: i64, title: &str, c: Card| {
        groups
            .entry(group.to_string())
            .or_default()
            .push((weight, title.to_string(), c));
    };
    match kind {
        Kind::Standard => site.standards.iter().for_each(|(id, s)| {
            let kano = s.kano.map(kano_label).unwrap_or_default().to_string();
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
                "Other roles"
            } else {
                r.team.as_str()
            };
            let owns = format!(
                "owns {} moment{}",
                r.owns.len(),
                if r.owns.len() == 1 { "" } else { "s" }
            );
            add(
                team,
                r.meta.weight,
                &r.meta.title,
                card(
                    EntityKey::new(kind, id.as_str()),
                    first_sentence(&r.meta.body),
                    owns,
                ),
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
                s.date.clone().unwrap_or_default(),
                s.sentiment
                    .map(sentiment_label)
                    .unwrap_or_default()
                    .to_string(),
            ]
            .iter()
            .filter(|x| !x.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ");
            add(
                "",
                s.meta.weight,
                &s.meta.title,
                card(
                    EntityKey::new(kind, id.as_str()),
                    first_sentence(&s.meta.body),
                    meta,
                ),
            )
        }),
        _ => {}
    }
    ListPage {
        kind,
        title: section_title(kind).to_string(),
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

pub fn section_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Standard => "Standards",
        Kind::Mantra => "Mantras",
        Kind::Role => "Roles",
        Kind::Persona => "Personas",
        Kind::Story => "Stories",
        Kind::Stage | Kind::Moment => "Journey",
        Kind::Page => "Guides",
    }
}

pub fn kano_label(kano: Kano) -> &'static str {
    match kano {
        Kano::MustBe => "Must-be",
        Kano::Performance => "Performance",
        Kano::Delighter => "Delighter",
    }
}

fn sentiment_label(s: Sentiment) -> &'static str {
    match s {
        Sentiment::Love => "Love",
        Sentiment::Hate => "Hate",
        Sentiment::Mixed => "Mixed",
    }
}

/// The first sentence of a Markdown body, as plain text, for cards.
pub fn first_sentence(body: &str) -> String {
    let text: String = body
        .lines()
        .map(str::trim)
        .find(|l| {
            !l.is_empty() && !l.starts_with('#') && !l.starts_with('|') && !l.starts_with("```")
        })
        .unwrap_or("")
        .trim_start_matches(['>', '-', '*', ' '])
        .replace(['*', '_', '`'], "")
        .replace("[[", "")
        .replace("]]", "");
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let sentence = &text[..end];
    if sentence.chars().count() > 180 {
        let cut: String = sentence.chars().take(177).collect();
        format!("{}…", cut.trim_end())
    } else {
        sentence.to_string()
    }
}
