//! A role's pages: the role page, built around the moments the role owns and
//! supports (one card per moment, in journey order), and its first-week
//! onboarding checklist.

use std::collections::BTreeSet;

use serde::Serialize;

use super::text;
use super::views::*;
use crate::markdown::Heading;
use crate::model::graph::{BehaviourRef, ClaimRef, of};
use crate::model::*;

#[derive(Serialize)]
pub(crate) struct RolePage<'a> {
    pub doc: Doc<'a>,
    /// The body's first paragraph, above the cards; the rest follows them.
    pub lead: String,
    pub rest: String,
    pub team: String,
    pub onboarding_url: String,
    /// The mantras of the standards the role lives, shown as one row of chips.
    pub mantras: Vec<MantraView>,
    /// Moments it owns, then supports, then any other moment a behaviour aims at.
    pub groups: Vec<CardGroup>,
    /// Behaviours aimed at no moment in particular.
    pub everywhere: Vec<BehaviourView>,
    /// Stories at its moments that no card shows.
    pub more_stories: Vec<StorySummary>,
    pub onboarding: Vec<String>,
    /// "On this page": the body's sections, then the page's own.
    pub toc: Vec<Heading>,
}

#[derive(Serialize)]
pub(crate) struct CardGroup {
    /// `owns`, `supports` or `also`: the section's id is `<id>-h`.
    pub id: &'static str,
    pub title: String,
    pub cards: Vec<MomentCard>,
}

/// What the role does at one moment, and what is at stake there.
#[derive(Serialize)]
pub(crate) struct MomentCard {
    pub anchor: String,
    pub moment: MomentLink,
    pub stage: Link,
    pub behaviours: Vec<BehaviourView>,
    pub standards: Vec<Link>,
    pub love: Option<ClaimView>,
    pub hate: Option<ClaimView>,
    /// Loves and hates at the moment besides the two shown.
    pub more_claims: usize,
    pub story: Option<StoryCard>,
}

/// A story with the opening of its verbatim.
#[derive(Serialize)]
pub(crate) struct StoryCard {
    #[serde(flatten)]
    pub summary: StorySummary,
    pub excerpt: String,
}

pub(crate) fn role<'a>(l: &Linker, id: &RoleId, doc: Doc<'a>) -> RolePage<'a> {
    let r = &l.site.roles[id];
    let mut shown_stories = BTreeSet::new();
    let also: Vec<MomentId> = l.graph.in_journey_order(
        r.behaviours
            .iter()
            .filter_map(|b| b.moment.clone())
            .filter(|m| !r.owns.contains(m) && !r.supports.contains(m)),
    );
    let groups: Vec<CardGroup> = [
        ("owns", "role_owns", &r.owns[..]),
        ("supports", "role_supports", &r.supports[..]),
        ("also", "role_also", &also[..]),
    ]
    .into_iter()
    .filter(|(group, _, moments)| !moments.is_empty() || *group != "also")
    .map(|(group, title, moments)| CardGroup {
        id: group,
        title: l.words.get(title).to_string(),
        cards: l
            .graph
            .in_journey_order(moments.iter().cloned())
            .iter()
            .map(|m| moment_card(l, id, m, &mut shown_stories))
            .collect(),
    })
    .collect();
    let everywhere: Vec<BehaviourView> = behaviours_of(id, r)
        .filter(|(_, b)| b.moment.is_none())
        .map(|(at, _)| l.behaviour(&at))
        .collect();
    let moments = l.graph.moments_of_role(r);
    let more_stories = l.stories(
        l.graph
            .stories_at(&moments)
            .into_iter()
            .filter(|s| !shown_stories.contains(s)),
    );
    let toc = role_toc(l, &doc, &groups, !everywhere.is_empty(), &more_stories, r);
    let (lead, rest) = text::split_first_paragraph(doc.body);
    RolePage {
        doc,
        lead,
        rest,
        team: r.team.clone(),
        onboarding_url: l.url(&format!("roles/{id}/onboarding/")),
        mantras: l
            .graph
            .mantras_of_role(r)
            .iter()
            .map(|m| l.mantra_view(m))
            .collect(),
        groups,
        everywhere,
        more_stories,
        onboarding: r.onboarding.clone(),
        toc,
    }
}

/// A role's behaviours with where they are in its list.
fn behaviours_of<'a>(
    id: &'a RoleId,
    r: &'a Role,
) -> impl Iterator<Item = (BehaviourRef, &'a Behaviour)> + 'a {
    r.behaviours.iter().enumerate().map(move |(index, b)| {
        (
            BehaviourRef {
                role: id.clone(),
                index,
            },
            b,
        )
    })
}

fn moment_card(
    l: &Linker,
    role: &RoleId,
    m: &MomentId,
    shown_stories: &mut BTreeSet<StoryId>,
) -> MomentCard {
    let r = &l.site.roles[role];
    let behaviours: Vec<BehaviourView> = behaviours_of(role, r)
        .filter(|(_, b)| b.moment.as_ref() == Some(m))
        .map(|(at, _)| l.behaviour(&at))
        .collect();
    let mut standards: Vec<StandardId> = of(&l.graph.moment_standards, m).to_vec();
    for b in r.behaviours.iter().filter(|b| b.moment.as_ref() == Some(m)) {
        if !standards.contains(&b.standard) {
            standards.push(b.standard.clone());
        }
    }
    let claims = of(&l.graph.moment_claims, m);
    let strongest = |feeling: Feeling| {
        claims
            .iter()
            .filter(|c| c.feeling == feeling)
            .min_by_key(|c| strength(l.site, c))
    };
    let (love, hate) = (strongest(Feeling::Love), strongest(Feeling::Hate));
    let shown = usize::from(love.is_some()) + usize::from(hate.is_some());
    let story = of(&l.graph.moment_stories, m)
        .iter()
        .find(|s| !shown_stories.contains(*s))
        .cloned();
    if let Some(s) = &story {
        shown_stories.insert(s.clone());
    }
    MomentCard {
        anchor: format!("at-{m}"),
        moment: l.moment_link(m),
        stage: l.stage(&l.site.moments[m].stage),
        behaviours,
        standards: standards.iter().map(|s| l.standard(s)).collect(),
        love: love.map(|c| l.claim(c)),
        hate: hate.map(|c| l.claim(c)),
        more_claims: claims.len() - shown,
        story: story.map(|s| story_card(l, &s)),
    }
}

/// Which of a moment's loves (or hates) speaks for it most: a verified one
/// first, then the one aimed at the fewest moments, then in persona order.
fn strength(site: &Site, c: &ClaimRef) -> (bool, usize, PersonaId, usize) {
    let persona = &site.personas[&c.persona];
    let claim = match c.feeling {
        Feeling::Love => &persona.loves[c.index],
        Feeling::Hate => &persona.hates[c.index],
    };
    (
        claim.evidence != Evidence::Verified,
        claim.moments.len(),
        c.persona.clone(),
        c.index,
    )
}

/// A story and the opening of its verbatim, salutation skipped.
pub(crate) fn story_card(l: &Linker, id: &StoryId) -> StoryCard {
    l.show_body(&EntityKey::new(Kind::Story, id.as_str()));
    StoryCard {
        summary: l.story_summary(id),
        excerpt: text::excerpt(
            &l.site.stories[id].meta.body,
            &|target| l.title_of(target),
            160,
        ),
    }
}

fn role_toc(
    l: &Linker,
    doc: &Doc,
    groups: &[CardGroup],
    everywhere: bool,
    more_stories: &[StorySummary],
    r: &Role,
) -> Vec<Heading> {
    let entry = |level, text: &str, anchor: &str| Heading {
        level,
        text: text.to_string(),
        anchor: anchor.to_string(),
        ..Heading::default()
    };
    let mut toc = Vec::new();
    for g in groups.iter().filter(|g| !g.cards.is_empty()) {
        toc.push(entry(2, &g.title, &format!("{}-h", g.id)));
        for card in &g.cards {
            toc.push(entry(3, &card.moment.link.title, &card.anchor));
        }
    }
    if everywhere {
        toc.push(entry(2, l.words.get("at_every_moment"), "everywhere-h"));
    }
    toc.extend(doc.toc.iter().filter(|h| h.level == 2).cloned());
    if !more_stories.is_empty() {
        toc.push(entry(2, l.words.get("more_stories"), "stories-h"));
    }
    if !r.onboarding.is_empty() {
        toc.push(entry(2, l.words.get("first_week_tasks"), "tasks-h"));
    }
    toc
}

/// The first week of a new hire, as a checklist. Each item is keyed by what
/// it is (`standard:tell-us-once`), not where it is, so ticks saved in the
/// browser stay on their item when the playbook is reordered.
#[derive(Serialize)]
pub(crate) struct OnboardingPage {
    pub role: Link,
    /// "Your first week as a delivery driver".
    pub heading: String,
    pub team: String,
    pub storage_key: String,
    pub mantras: Vec<Checked<MantraView>>,
    pub standards: Vec<Checked<StandardSteps>>,
    pub moments: Vec<Checked<MomentBrief>>,
    pub stories: Vec<Checked<StorySummary>>,
    pub tasks: Vec<Checked<String>>,
}

/// A checklist item: its key in the saved ticks, and the key it had when
/// ticks were saved by position (`standard-2`), so those ticks carry over.
#[derive(Serialize)]
pub(crate) struct Checked<T> {
    pub key: String,
    pub legacy: String,
    pub item: T,
}

/// A standard and what this role does for it.
#[derive(Serialize)]
pub(crate) struct StandardSteps {
    pub standard: StandardSummary,
    pub behaviours: Vec<BehaviourView>,
}

#[derive(Serialize)]
pub(crate) struct MomentBrief {
    pub moment: MomentLink,
    pub stage: Link,
    pub owned: bool,
    /// Loves and hates not already shown at an earlier moment of the list.
    pub claims: Vec<ClaimView>,
}

pub(crate) fn onboarding(l: &Linker, id: &RoleId) -> OnboardingPage {
    let r = &l.site.roles[id];
    let moments = l.graph.moments_of_role(r);
    let mut seen_claims = BTreeSet::new();
    OnboardingPage {
        role: l.role(id),
        heading: l.words.format(
            "onboarding_heading",
            None,
            &[
                ("role", &r.meta.title),
                ("a_role", &text::with_article(&r.meta.title)),
            ],
        ),
        team: r.team.clone(),
        storage_key: format!("touchstone:onboarding:{id}"),
        mantras: checked(
            "mantra",
            l.graph
                .mantras_of_role(r)
                .iter()
                .map(|m| (m.to_string(), l.mantra_view(m)))
                .collect(),
        ),
        standards: checked(
            "standard",
            l.graph
                .standards_of_role(r)
                .iter()
                .map(|s| (s.to_string(), standard_steps(l, id, r, s)))
                .collect(),
        ),
        moments: checked(
            "moment",
            moments
                .iter()
                .map(|m| {
                    let brief = MomentBrief {
                        moment: l.moment_link(m),
                        stage: l.stage(&l.site.moments[m].stage),
                        owned: r.owns.contains(m),
                        claims: of(&l.graph.moment_claims, m)
                            .iter()
                            .filter(|c| seen_claims.insert((*c).clone()))
                            .map(|c| l.claim(c))
                            .collect(),
                    };
                    (m.to_string(), brief)
                })
                .collect(),
        ),
        stories: checked(
            "story",
            l.graph
                .stories_at(&moments)
                .into_iter()
                .map(|s| (s.to_string(), l.story_summary(&s)))
                .collect(),
        ),
        tasks: checked("task", task_keys(&r.onboarding)),
    }
}

/// Items keyed `kind:key`, with the `kind-position` key they had before.
fn checked<T>(kind: &str, list: Vec<(String, T)>) -> Vec<Checked<T>> {
    list.into_iter()
        .enumerate()
        .map(|(i, (key, item))| Checked {
            key: format!("{kind}:{key}"),
            legacy: format!("{kind}-{}", i + 1),
            item,
        })
        .collect()
}

fn standard_steps(l: &Linker, id: &RoleId, r: &Role, s: &StandardId) -> StandardSteps {
    StandardSteps {
        standard: l.standard_summary(s),
        behaviours: behaviours_of(id, r)
            .filter(|(_, b)| &b.standard == s)
            .map(|(at, _)| l.behaviour(&at))
            .collect(),
    }
}

/// Tasks have no id: each is keyed by its words (a second identical task by
/// its words and a number), so reordering the list keeps their ticks.
fn task_keys(tasks: &[String]) -> Vec<(String, String)> {
    let mut used: Vec<String> = Vec::new();
    tasks
        .iter()
        .map(|t| {
            let base = crate::markdown::slug(t);
            let mut key = base.clone();
            let mut n = 1;
            while used.contains(&key) {
                n += 1;
                key = format!("{base}-{n}");
            }
            used.push(key.clone());
            (key, t.clone())
        })
        .collect()
}
