//! `/playbook.json`: the whole playbook as data, for dashboards, chat
//! assistants and HR systems that should not scrape the HTML. Every entity
//! has the id and the URL its page has on the site; references are bare
//! ids of the kind the field names, as authors write them. The shape is
//! documented by `docs/playbook.schema.json`, and a test validates the
//! sample's export against it.
//!
//! Views borrow from the model (as templates' views do), so the export is
//! the model's own order and content, never a second copy to keep in step.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::changes::ChangeLog;
use crate::config::Config;
use crate::fingerprint::fingerprint;
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

/// The bytes of `/playbook.json`, in one allocation of their exact size:
/// at 100,000 pages the export is some 90 MB, and a buffer grown as it is
/// written, then copied into the file's bytes, held more than twice that
/// at the end of a build. Counting the bytes first costs a second pass
/// of the serialiser, a fraction of making the lists.
pub(crate) fn playbook_json<'s>(
    config: &'s Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> Arc<[u8]> {
    let playbook = playbook(config, site, graph, changes);
    let mut counted = Counted(0);
    write_json(&playbook, &mut counted).expect("the export serialises");
    let mut bytes: Arc<[u8]> = std::iter::repeat_n(0, counted.0).collect();
    let mut rest = Arc::get_mut(&mut bytes).expect("bytes just made");
    write_json(&playbook, &mut rest).expect("the counted length");
    assert!(rest.is_empty(), "the export wrote fewer bytes than counted");
    bytes
}

/// Writes the export to `out` as `playbook_json` makes it, holding none
/// of its bytes: a build that keeps no memo writes it straight to its file.
pub(crate) fn write_playbook(
    config: &Config,
    site: &Site,
    graph: &Graph,
    changes: &ChangeLog,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    write_json(&playbook(config, site, graph, changes), out)
}

/// The export as its file holds it: pretty JSON and a last line feed.
fn write_json(playbook: &Playbook, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, playbook)?;
    out.write_all(b"\n")
}

fn playbook<'s>(
    config: &'s Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> Playbook<'s> {
    Playbook {
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
    }
}

/// A writer that keeps only the number of bytes written to it.
struct Counted(usize);

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The export as serve keeps it: each entity's entry, written as
/// `/playbook.json` has it (indented for its place there), so an edit
/// writes again only the entries showing what it changed, and the file is
/// put together from them.
#[derive(Default)]
pub(crate) struct Parts {
    entries: HashMap<EntityKey, String>,
    /// What the graph gives the entries of moments and mantras (owners,
    /// supporters, standards), as a fingerprint: edits of other entities
    /// change it.
    relations: HashMap<EntityKey, u64>,
    /// The file's text, kept from one edit to the next: written again in
    /// place, its nine megabytes at 10,000 pages need no fresh memory.
    text: String,
    /// The file as last put together, while no entry changed since: an
    /// edit of plain pages alone, which have no entry, leaves it as it was
    /// (ninety megabytes at 100,000 pages, copied twice to be made again).
    last: Option<Arc<[u8]>>,
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

/// How deep an entry of a list sits in the file (the file, the list), and
/// a moment's within its stage (and the stage's list of moments).
const ENTRY: usize = 2;
const MOMENT: usize = 4;

impl Parts {
    /// Writes again the entries of the entities in `changed` (all of them:
    /// `None`, as when the change log moved, which dates every entity), and
    /// of the moments and mantras whose relations they changed.
    pub(crate) fn refresh(
        &mut self,
        config: &Config,
        site: &Site,
        graph: &Graph,
        changes: &ChangeLog,
        changed: Option<&[EntityKey]>,
    ) {
        // A plain page has no entry, and nothing of one shows in another's
        // entry (bodies are there as written), nor in the graph's relations.
        let pages_only = changed.is_some_and(|keys| keys.iter().all(|k| k.kind == Kind::Page));
        if pages_only && !self.entries.is_empty() {
            return;
        }
        let relations = relations(site, graph);
        let stale: Vec<EntityKey> = match changed {
            Some(keys) if !self.entries.is_empty() => {
                let mut stale: Vec<EntityKey> = keys
                    .iter()
                    .filter(|k| k.kind != Kind::Page)
                    .cloned()
                    .chain(
                        relations
                            .iter()
                            .filter(|(k, fp)| self.relations.get(*k) != Some(*fp))
                            .map(|(k, _)| k.clone()),
                    )
                    .collect();
                stale.sort();
                stale.dedup();
                stale
            }
            _ => {
                self.entries.clear();
                self.last = None;
                site.all_metas()
                    .into_iter()
                    .map(|(key, _)| key)
                    .filter(|k| k.kind != Kind::Page)
                    .collect()
            }
        };
        let written: Vec<(EntityKey, Option<String>)> = stale
            .into_par_iter()
            .map(|key| {
                let entry = entry(config, site, graph, changes, &key);
                (key, entry)
            })
            .collect();
        for (key, entry) in written {
            // A body edit's links can make an entity's entry be written
            // again the same (its body is there as written).
            if self.entries.get(&key) != entry.as_ref() {
                self.last = None;
            }
            match entry {
                Some(entry) => self.entries.insert(key, entry),
                None => self.entries.remove(&key),
            };
        }
        self.relations = relations;
    }

    /// The bytes of `/playbook.json`, exactly as `playbook_json` writes
    /// them, from the entries of the entities `site` holds.
    pub(crate) fn bytes(&mut self, config: &Config, site: &Site, graph: &Graph) -> Arc<[u8]> {
        if let Some(last) = &self.last {
            return last.clone();
        }
        let mut json = std::mem::take(&mut self.text);
        json.clear();
        self.write(&mut json, config, site, graph);
        let bytes: Arc<[u8]> = Arc::from(json.as_bytes());
        self.text = json;
        self.last = Some(bytes.clone());
        bytes
    }

    fn write(&self, json: &mut String, config: &Config, site: &Site, graph: &Graph) {
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
        let size = self.entries.values().map(|e| e.len() + 16).sum::<usize>();
        json.reserve(size + head.len() + 4096);
        json.push_str(head.strip_suffix("\n}").expect("an object"));
        let entry = |kind: Kind, id: &str| -> &str {
            self.entries
                .get(&EntityKey::new(kind, id))
                .map_or("", String::as_str)
        };
        for name in LISTS {
            json.push_str(&format!(",\n  \"{name}\": "));
            let ids: Vec<&str> = match name {
                "standards" => site.standards.keys().map(|id| id.as_str()).collect(),
                "mantras" => site.mantras.keys().map(|id| id.as_str()).collect(),
                "roles" => site.roles.keys().map(|id| id.as_str()).collect(),
                "personas" => site.personas.keys().map(|id| id.as_str()).collect(),
                "journey" => {
                    let stages = site.stages_in_order();
                    push_list(json, ENTRY, stages.iter(), |json, stage| {
                        let moments: Vec<&str> = stage_moments(graph, site, stage)
                            .map(|(id, _)| entry(Kind::Moment, id.as_str()))
                            .collect();
                        push_stage(json, entry(Kind::Stage, &stage.meta.id), &moments);
                    });
                    continue;
                }
                _ => site.stories.keys().map(|id| id.as_str()).collect(),
            };
            let kind = match name {
                "standards" => Kind::Standard,
                "mantras" => Kind::Mantra,
                "roles" => Kind::Role,
                "personas" => Kind::Persona,
                _ => Kind::Story,
            };
            push_list(json, ENTRY, ids.iter(), |json, id| {
                json.push_str(entry(kind, id))
            });
        }
        json.push_str("\n}\n");
    }
}

/// Appends a list of `items` as pretty JSON whose entries sit at `depth`,
/// each written by `push`.
fn push_list<T>(
    json: &mut String,
    depth: usize,
    items: impl ExactSizeIterator<Item = T>,
    mut push: impl FnMut(&mut String, T),
) {
    if items.len() == 0 {
        json.push_str("[]");
        return;
    }
    let indent = "  ".repeat(depth);
    json.push('[');
    for (i, item) in items.enumerate() {
        json.push_str(if i == 0 { "\n" } else { ",\n" });
        json.push_str(&indent);
        push(json, item);
    }
    json.push('\n');
    json.push_str(&indent[2..]);
    json.push(']');
}

/// Appends a stage's entry with its moments' entries in place of its empty
/// list of moments (the last field of `StageOut`).
fn push_stage(json: &mut String, stage: &str, moments: &[&str]) {
    let end = format!("[]\n{}}}", "  ".repeat(ENTRY));
    let Some(head) = stage.strip_suffix(&end).filter(|_| !moments.is_empty()) else {
        json.push_str(stage);
        return;
    };
    json.push_str(head);
    push_list(json, MOMENT, moments.iter(), |json, moment| {
        json.push_str(moment)
    });
    json.push('\n');
    json.push_str(&"  ".repeat(ENTRY));
    json.push('}');
}

/// An entity's entry, indented for its place in the file; a stage's with
/// no moments (`push_stage` puts them in). `None` for a plain page or an
/// entity the site no longer holds.
fn entry(
    config: &Config,
    site: &Site,
    graph: &Graph,
    changes: &ChangeLog,
    key: &EntityKey,
) -> Option<String> {
    let id = key.id.as_str();
    let (text, depth) = match key.kind {
        Kind::Standard => (
            pretty(&standard(config, changes, site.standards.get(id)?)),
            ENTRY,
        ),
        Kind::Mantra => {
            let (id, m) = site.mantras.get_key_value(id)?;
            (pretty(&mantra(config, graph, changes, id, m)), ENTRY)
        }
        Kind::Role => {
            let (id, r) = site.roles.get_key_value(id)?;
            (pretty(&role(config, changes, id, r)), ENTRY)
        }
        Kind::Persona => (
            pretty(&persona(config, changes, site.personas.get(id)?)),
            ENTRY,
        ),
        Kind::Stage => {
            let stage = site.stages.get(id)?;
            (
                pretty(&stage_out(config, changes, stage, Vec::new())),
                ENTRY,
            )
        }
        Kind::Moment => {
            let (id, m) = site.moments.get_key_value(id)?;
            (pretty(&moment(config, graph, changes, id, m)), MOMENT)
        }
        Kind::Story => (
            pretty(&story(config, changes, site.stories.get(id)?)),
            ENTRY,
        ),
        Kind::Page => return None,
    };
    Some(text.replace('\n', &format!("\n{}", "  ".repeat(depth))))
}

fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("the export serialises")
}

/// What the graph gives each moment's and mantra's entry, as fingerprints.
fn relations(site: &Site, graph: &Graph) -> HashMap<EntityKey, u64> {
    let moments = site.moments.keys().map(|id| {
        let relations = (
            of(&graph.owners, id),
            of(&graph.supporters, id),
            of(&graph.moment_standards, id),
        );
        (
            EntityKey::new(Kind::Moment, id.as_str()),
            fingerprint(&relations),
        )
    });
    let mantras = site.mantras.keys().map(|id| {
        let standards = graph.mantra_standards.get(id);
        (
            EntityKey::new(Kind::Mantra, id.as_str()),
            fingerprint(&standards),
        )
    });
    moments.chain(mantras).collect()
}

fn standards<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<StandardOut<'s>> {
    site.standards
        .values()
        .map(|s| standard(config, changes, s))
        .collect()
}

fn standard<'s>(config: &Config, changes: &ChangeLog, s: &'s Standard) -> StandardOut<'s> {
    StandardOut {
        common: common_of(config, changes, Kind::Standard, &s.meta),
        statement: &s.statement,
        kano: s.kano,
        mantras: &s.mantras,
        moments: &s.moments,
        personas: &s.personas,
        measures: &s.measures,
    }
}

fn mantras<'s>(
    config: &Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> Vec<MantraOut<'s>> {
    site.mantras
        .iter()
        .map(|(id, m)| mantra(config, graph, changes, id, m))
        .collect()
}

fn mantra<'s>(
    config: &Config,
    graph: &'s Graph,
    changes: &ChangeLog,
    id: &MantraId,
    m: &'s Mantra,
) -> MantraOut<'s> {
    MantraOut {
        common: common_of(config, changes, Kind::Mantra, &m.meta),
        text: &m.text,
        meaning: &m.meaning,
        standards: graph
            .mantra_standards
            .get(id)
            .into_iter()
            .flatten()
            .collect(),
    }
}

fn roles<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<RoleOut<'s>> {
    site.roles
        .iter()
        .map(|(id, r)| role(config, changes, id, r))
        .collect()
}

fn role<'s>(config: &Config, changes: &ChangeLog, id: &RoleId, r: &'s Role) -> RoleOut<'s> {
    RoleOut {
        common: common_of(config, changes, Kind::Role, &r.meta),
        team: &r.team,
        owns: &r.owns,
        supports: &r.supports,
        behaviours: &r.behaviours,
        onboarding: &r.onboarding,
        onboarding_url: config.base_url.absolute(&format!("roles/{id}/onboarding/")),
    }
}

fn personas<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<PersonaOut<'s>> {
    site.personas
        .values()
        .map(|p| persona(config, changes, p))
        .collect()
}

fn persona<'s>(config: &Config, changes: &ChangeLog, p: &'s Persona) -> PersonaOut<'s> {
    PersonaOut {
        common: common_of(config, changes, Kind::Persona, &p.meta),
        name: &p.name,
        quote: &p.quote,
        loves: p.loves.iter().map(claim).collect(),
        hates: p.hates.iter().map(claim).collect(),
    }
}

fn journey<'s>(
    config: &Config,
    site: &'s Site,
    graph: &'s Graph,
    changes: &ChangeLog,
) -> Vec<StageOut<'s>> {
    site.stages_in_order()
        .into_iter()
        .map(|stage| {
            let moments = stage_moments(graph, site, stage)
                .map(|(id, m)| moment(config, graph, changes, id, m))
                .collect();
            stage_out(config, changes, stage, moments)
        })
        .collect()
}

fn stage_out<'s>(
    config: &Config,
    changes: &ChangeLog,
    stage: &'s Stage,
    moments: Vec<MomentOut<'s>>,
) -> StageOut<'s> {
    StageOut {
        common: common_of(config, changes, Kind::Stage, &stage.meta),
        order: stage.order,
        moments,
    }
}

fn moment<'s>(
    config: &Config,
    graph: &'s Graph,
    changes: &ChangeLog,
    id: &MomentId,
    m: &'s Moment,
) -> MomentOut<'s> {
    MomentOut {
        common: common_of(config, changes, Kind::Moment, &m.meta),
        stage: &m.stage,
        order: m.order,
        moment_of_truth: m.moment_of_truth,
        owners: of(&graph.owners, id),
        supporters: of(&graph.supporters, id),
        standards: of(&graph.moment_standards, id),
    }
}

fn stories<'s>(config: &Config, site: &'s Site, changes: &ChangeLog) -> Vec<StoryOut<'s>> {
    site.stories
        .values()
        .map(|s| story(config, changes, s))
        .collect()
}

fn story<'s>(config: &Config, changes: &ChangeLog, s: &'s Story) -> StoryOut<'s> {
    StoryOut {
        common: common_of(config, changes, Kind::Story, &s.meta),
        persona: s.persona.as_ref(),
        moments: &s.moments,
        standards: &s.standards,
        sentiment: s.sentiment,
        source: s.source.as_deref(),
        date: s.date.as_deref(),
    }
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
