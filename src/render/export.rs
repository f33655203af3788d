//! `/playbook.json`: the whole playbook as data, for dashboards, chat
//! assistants and HR systems that should not scrape the HTML. Every entity
//! has the id and the URL its page has on the site; references are bare
//! ids of the kind the field names, as authors write them. The shape is
//! documented by `docs/playbook.schema.json`, and a test validates the
//! sample's export against it.
//!
//! Views borrow from the model (as templates' views do), so the export is
//! the model's own order and content, never a second copy to keep in step.

use serde::Serialize;

use crate::changes::ChangeLog;
use crate::config::Config;
use crate::model::graph::of;
use crate::model::*;

/// The version of the export's shape: raised when a field changes meaning
/// or goes away (new fields do not raise it).
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Playbook<'a> {
    format: u32,
    title: &'a str,
    description: &'a str,
    language: &'a str,
    /// The site's address as `base-url` gives it (`/cx/` or absolute).
    url: String,
    standards: Vec<StandardOut<'a>>,
    mantras: Vec<MantraOut<'a>>,
    roles: Vec<RoleOut<'a>>,
    personas: Vec<PersonaOut<'a>>,
    journey: Vec<StageOut<'a>>,
    stories: Vec<StoryOut<'a>>,
}

/// What every entity carries: identity, address, dates, its Markdown text.
#[derive(Serialize)]
struct Common<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    /// When it last changed: its `updated:` date, else its last commit.
    updated: Option<Date>,
    review_by: Option<Date>,
    /// The body as written (Markdown).
    body: &'a str,
}

#[derive(Serialize)]
struct StandardOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    statement: &'a str,
    kano: Option<Kano>,
    mantras: &'a [MantraId],
    moments: &'a [MomentId],
    personas: &'a [PersonaId],
    measures: &'a [String],
}

#[derive(Serialize)]
struct MantraOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    text: &'a str,
    meaning: &'a str,
    /// Declared on either side: the mantra's `standards` or a standard's `mantras`.
    standards: Vec<&'a StandardId>,
}

#[derive(Serialize)]
struct RoleOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    team: &'a str,
    /// Moments it is accountable for.
    owns: &'a [MomentId],
    /// Moments it contributes to.
    supports: &'a [MomentId],
    behaviours: &'a [Behaviour],
    onboarding: &'a [String],
    onboarding_url: String,
}

#[derive(Serialize)]
struct PersonaOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    name: &'a str,
    quote: &'a str,
    loves: Vec<ClaimOut<'a>>,
    hates: Vec<ClaimOut<'a>>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    text: &'a str,
    moments: &'a [MomentId],
    evidence: Evidence,
    source: Option<&'a str>,
}

/// A stage with its moments, both in journey order.
#[derive(Serialize)]
struct StageOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    order: i64,
    moments: Vec<MomentOut<'a>>,
}

#[derive(Serialize)]
struct MomentOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    stage: &'a StageId,
    order: i64,
    moment_of_truth: bool,
    owners: &'a [RoleId],
    supporters: &'a [RoleId],
    standards: &'a [StandardId],
}

#[derive(Serialize)]
struct StoryOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    persona: Option<&'a PersonaId>,
    moments: &'a [MomentId],
    standards: &'a [StandardId],
    sentiment: Option<Sentiment>,
    source: Option<&'a str>,
    date: Option<&'a str>,
}

/// The text of `/playbook.json`.
pub(crate) fn playbook_json<'s>(
    config: &'s Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> String {
    let playbook = Playbook {
        format: FORMAT,
        title: &config.title,
        description: &config.description,
        language: &config.language,
        url: config.base_url.absolute(""),
        standards: standards(config, site, changes),
        mantras: mantras(config, site, graph, changes),
        roles: roles(config, site, changes),
        personas: personas(config, site, changes),
        journey: journey(config, site, graph, changes),
        stories: stories(config, site, changes),
    };
    let mut json = serde_json::to_string_pretty(&playbook).expect("the export serialises");
    json.push('\n');
    json
}

/// The export's lists, each as `/playbook.json` writes it, kept by serve
/// so an edit writes again only the lists showing what it changed.
#[derive(Default)]
pub(crate) struct Parts {
    /// Standards, mantras, roles, personas, journey, stories.
    lists: [String; 6],
}

/// The export's lists in order, by name.
const LISTS: [&str; 6] = [
    "standards",
    "mantras",
    "roles",
    "personas",
    "journey",
    "stories",
];

impl Parts {
    /// Writes again the lists an edit of entities of `kinds` changes (all of
    /// them when the change log moved: it gives every entity's date).
    pub(crate) fn refresh(
        &mut self,
        config: &Config,
        site: &Site,
        graph: &Graph,
        changes: &ChangeLog,
        kinds: &std::collections::BTreeSet<Kind>,
    ) {
        let shows = |list: &str| {
            kinds.iter().any(|kind| match kind {
                Kind::Standard => ["standards", "mantras", "journey"].contains(&list),
                Kind::Mantra => list == "mantras",
                Kind::Role => ["roles", "journey"].contains(&list),
                Kind::Persona => list == "personas",
                Kind::Stage | Kind::Moment => list == "journey",
                Kind::Story => list == "stories",
                Kind::Page => false,
            })
        };
        for (i, list) in LISTS.iter().enumerate() {
            if shows(list) {
                self.lists[i] = match *list {
                    "standards" => nested(&standards(config, site, changes)),
                    "mantras" => nested(&mantras(config, site, graph, changes)),
                    "roles" => nested(&roles(config, site, changes)),
                    "personas" => nested(&personas(config, site, changes)),
                    "journey" => nested(&journey(config, site, graph, changes)),
                    _ => nested(&stories(config, site, changes)),
                };
            }
        }
    }

    /// The text of `/playbook.json`, exactly as `playbook_json` writes it.
    pub(crate) fn text(&self, config: &Config) -> String {
        #[derive(Serialize)]
        struct Head<'a> {
            format: u32,
            title: &'a str,
            description: &'a str,
            language: &'a str,
            url: String,
        }
        let head = serde_json::to_string_pretty(&Head {
            format: FORMAT,
            title: &config.title,
            description: &config.description,
            language: &config.language,
            url: config.base_url.absolute(""),
        })
        .expect("the export serialises");
        let mut json =
            String::with_capacity(self.lists.iter().map(String::len).sum::<usize>() + 4096);
        json.push_str(head.strip_suffix("\n}").expect("an object"));
        for (name, list) in LISTS.iter().zip(&self.lists) {
            json.push_str(&format!(",\n  \"{name}\": "));
            json.push_str(list);
        }
        json.push_str("\n}\n");
        json
    }
}

/// A list as pretty JSON one level down in an object: every line after
/// the first indented once more (strings hold no raw line breaks).
fn nested<T: Serialize>(list: &[T]) -> String {
    serde_json::to_string_pretty(list)
        .expect("the export serialises")
        .replace('\n', "\n  ")
}

fn standards<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<StandardOut<'s>> {
    let common = |kind: Kind, meta: &'s Meta| common_of(config, changes, kind, meta);
    site.standards
        .values()
        .map(|s| StandardOut {
            common: common(Kind::Standard, &s.meta),
            statement: &s.statement,
            kano: s.kano,
            mantras: &s.mantras,
            moments: &s.moments,
            personas: &s.personas,
            measures: &s.measures,
        })
        .collect()
}

fn mantras<'s>(
    config: &Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> Vec<MantraOut<'s>> {
    let common = |kind: Kind, meta: &'s Meta| common_of(config, changes, kind, meta);
    site.mantras
        .iter()
        .map(|(id, m)| MantraOut {
            common: common(Kind::Mantra, &m.meta),
            text: &m.text,
            meaning: &m.meaning,
            standards: graph
                .mantra_standards
                .get(id)
                .into_iter()
                .flatten()
                .collect(),
        })
        .collect()
}

fn roles<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<RoleOut<'s>> {
    let common = |kind: Kind, meta: &'s Meta| common_of(config, changes, kind, meta);
    site.roles
        .iter()
        .map(|(id, r)| RoleOut {
            common: common(Kind::Role, &r.meta),
            team: &r.team,
            owns: &r.owns,
            supports: &r.supports,
            behaviours: &r.behaviours,
            onboarding: &r.onboarding,
            onboarding_url: config.base_url.absolute(&format!("roles/{id}/onboarding/")),
        })
        .collect()
}

fn personas<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<PersonaOut<'s>> {
    let common = |kind: Kind, meta: &'s Meta| common_of(config, changes, kind, meta);
    site.personas
        .values()
        .map(|p| PersonaOut {
            common: common(Kind::Persona, &p.meta),
            name: &p.name,
            quote: &p.quote,
            loves: p.loves.iter().map(claim).collect(),
            hates: p.hates.iter().map(claim).collect(),
        })
        .collect()
}

fn journey<'s>(
    config: &Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> Vec<StageOut<'s>> {
    let common = |kind: Kind, meta: &'s Meta| common_of(config, changes, kind, meta);
    site.stages_in_order()
        .into_iter()
        .map(|stage| StageOut {
            common: common(Kind::Stage, &stage.meta),
            order: stage.order,
            moments: stage_moments(graph, site, stage)
                .map(|(id, m)| MomentOut {
                    common: common(Kind::Moment, &m.meta),
                    stage: &m.stage,
                    order: m.order,
                    moment_of_truth: m.moment_of_truth,
                    owners: of(&graph.owners, id),
                    supporters: of(&graph.supporters, id),
                    standards: of(&graph.moment_standards, id),
                })
                .collect(),
        })
        .collect()
}

fn stories<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<StoryOut<'s>> {
    let common = |kind: Kind, meta: &'s Meta| common_of(config, changes, kind, meta);
    site.stories
        .values()
        .map(|s| StoryOut {
            common: common(Kind::Story, &s.meta),
            persona: s.persona.as_ref(),
            moments: &s.moments,
            standards: &s.standards,
            sentiment: s.sentiment,
            source: s.source.as_deref(),
            date: s.date.as_deref(),
        })
        .collect()
}

fn common_of<'a>(config: &Config, changes: &ChangeLog, kind: Kind, meta: &'a Meta) -> Common<'a> {
    Common {
        id: &meta.id,
        url: config.base_url.absolute(meta.path.as_str()),
        title: &meta.title,
        updated: changes.last_updated(&EntityKey::new(kind, &meta.id)),
        review_by: meta.review_by,
        body: meta.body.trim(),
    }
}

fn claim(c: &Claim) -> ClaimOut<'_> {
    ClaimOut {
        text: &c.text,
        moments: &c.moments,
        evidence: c.evidence,
        source: c.source.as_deref(),
    }
}

/// A stage's moments in journey order, with their ids.
fn stage_moments<'a>(
    graph: &'a Graph,
    site: &'a Site,
    stage: &Stage,
) -> impl Iterator<Item = (&'a MomentId, &'a Moment)> {
    let id = StageId(stage.meta.id.clone());
    of(&graph.stage_moments, &id)
        .iter()
        .filter_map(|m| Some((m, site.moments.get(m)?)))
}
