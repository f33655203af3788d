//! Overviews: the whole-site pages (home, journey map, accountability matrix
//! and its CSV, playbook health), each drawn from every entity of its kinds.

use serde::Serialize;

use super::pages::{MomentRow, moment_rows};
use super::views::*;
use crate::model::graph::of;
use crate::model::*;
use crate::validate::{Finding, Rule};

#[derive(Serialize)]
pub struct HomePage {
    pub intro: String,
    pub mantras: Vec<MantraView>,
    pub teams: Vec<Team>,
    pub counts: Vec<Count>,
}

#[derive(Serialize)]
pub struct Team {
    pub name: String,
    pub roles: Vec<Link>,
}

#[derive(Serialize)]
pub struct Count {
    pub label: &'static str,
    pub value: usize,
    pub url: String,
}

pub fn home(l: &Linker, intro: String) -> HomePage {
    let s = l.site;
    let count = |label, value, path: &str| Count {
        label,
        value,
        url: l.url(path),
    };
    HomePage {
        intro,
        mantras: s.mantras.keys().map(|m| l.mantra_view(m)).collect(),
        teams: teams(l),
        counts: vec![
            count("standards", s.standards.len(), "standards/"),
            count("mantras", s.mantras.len(), "mantras/"),
            count("roles", s.roles.len(), "roles/"),
            count("personas", s.personas.len(), "personas/"),
            count("moments", s.moments.len(), "journey/"),
            count("stories", s.stories.len(), "stories/"),
        ],
    }
}

/// Roles grouped by team, teams and roles by name.
pub fn teams(l: &Linker) -> Vec<Team> {
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
                    "Other roles".into()
                } else {
                    team.into()
                },
                roles,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct JourneyPage {
    pub intro: String,
    pub stages: Vec<StageColumn>,
    pub curves: Vec<Curve>,
    pub chart: Chart,
}

#[derive(Serialize)]
pub struct StageColumn {
    pub stage: Link,
    pub moments: Vec<MomentRow>,
}

/// One persona's love minus hate count at each moment along the journey.
#[derive(Serialize)]
pub struct Curve {
    pub persona: Link,
    pub values: Vec<i64>,
    pub points: String,
    pub class: usize,
}

/// Geometry of the curves' chart, in SVG user units.
#[derive(Serialize)]
pub struct Chart {
    pub width: usize,
    pub height: usize,
    pub zero_y: f64,
    pub moments: Vec<ChartMoment>,
    pub max: i64,
    pub min: i64,
}

#[derive(Serialize)]
pub struct ChartMoment {
    pub x: f64,
    pub link: Link,
    pub moment_of_truth: bool,
}

const STEP: usize = 48;
const CHART_HEIGHT: usize = 160;

pub fn journey(l: &Linker, intro: String) -> JourneyPage {
    let stages = l.site.stages_in_order();
    let order = &l.graph.journey;
    let values: Vec<(PersonaId, Vec<i64>)> = l
        .site
        .personas
        .keys()
        .map(|p| {
            (
                p.clone(),
                order.iter().map(|m| love_minus_hate(l, p, m)).collect(),
            )
        })
        .collect();
    let max = values
        .iter()
        .flat_map(|(_, v)| v)
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let min = values
        .iter()
        .flat_map(|(_, v)| v)
        .copied()
        .min()
        .unwrap_or(0)
        .min(-1);
    let scale = (CHART_HEIGHT - 20) as f64 / (max - min) as f64;
    let y = |v: i64| 10.0 + (max - v) as f64 * scale;
    let x = |i: usize| (i * STEP + STEP / 2) as f64;
    JourneyPage {
        intro,
        stages: stages
            .iter()
            .map(|s| {
                let id = StageId(s.meta.id.clone());
                StageColumn {
                    stage: l.stage(&id),
                    moments: moment_rows(l, &id),
                }
            })
            .collect(),
        curves: values
            .into_iter()
            .enumerate()
            .map(|(i, (p, v))| Curve {
                persona: l.persona(&p),
                points: v
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!("{},{:.1}", x(i), y(*v)))
                    .collect::<Vec<_>>()
                    .join(" "),
                values: v,
                class: i % 6,
            })
            .collect(),
        chart: Chart {
            width: (order.len() * STEP).max(STEP),
            height: CHART_HEIGHT,
            zero_y: y(0),
            moments: order
                .iter()
                .enumerate()
                .map(|(i, m)| ChartMoment {
                    x: x(i),
                    link: l.moment(m),
                    moment_of_truth: l.site.moments[m].moment_of_truth,
                })
                .collect(),
            max,
            min,
        },
    }
}

/// Loves minus hates a persona has at a moment.
pub fn love_minus_hate(l: &Linker, persona: &PersonaId, moment: &MomentId) -> i64 {
    of(&l.graph.moment_claims, moment)
        .iter()
        .filter(|c| &c.persona == persona)
        .map(|c| if c.feeling == Feeling::Love { 1 } else { -1 })
        .sum()
}

#[derive(Serialize)]
pub struct MatrixPage {
    pub grid: bool,
    pub role_count: usize,
    pub stages: Vec<MatrixStage>,
    pub teams: Vec<MatrixTeam>,
    pub column_owners: Vec<usize>,
    pub column_supporters: Vec<usize>,
    pub moment_count: usize,
}

#[derive(Serialize)]
pub struct MatrixStage {
    pub stage: Link,
    pub moments: Vec<MatrixMoment>,
}

#[derive(Serialize)]
pub struct MatrixMoment {
    pub link: Link,
    pub moment_of_truth: bool,
    pub unowned: bool,
    pub shared: bool,
}

#[derive(Serialize)]
pub struct MatrixTeam {
    pub name: String,
    pub rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub role: Link,
    /// One cell per moment, in journey order (grid mode only).
    pub cells: Vec<&'static str>,
    /// The role's moments by stage (list mode, for large playbooks).
    pub owned: Vec<StageGroup>,
    pub supported: Vec<StageGroup>,
    pub owns: usize,
    pub supports: usize,
}

/// Above this many cells the grid would outgrow any screen (and the output
/// would grow with roles x moments), so each role lists its moments instead.
pub const GRID_LIMIT: usize = 30_000;

fn is_grid(site: &Site) -> bool {
    site.roles.len() * site.moments.len() <= GRID_LIMIT
}

pub fn accountability(l: &Linker) -> MatrixPage {
    let grid = is_grid(l.site);
    let stages = l.site.stages_in_order();
    let order = &l.graph.journey;
    let column = |m: &MomentId| {
        (
            of(&l.graph.owners, m).len(),
            of(&l.graph.supporters, m).len(),
        )
    };
    let mut teams: std::collections::BTreeMap<String, Vec<MatrixRow>> = Default::default();
    for (id, r) in &l.site.roles {
        let cells: Vec<&'static str> = if !grid {
            Vec::new()
        } else {
            order
                .iter()
                .map(|m| {
                    if r.owns.contains(m) {
                        "owns"
                    } else if r.supports.contains(m) {
                        "supports"
                    } else {
                        ""
                    }
                })
                .collect()
        };
        let team = if r.team.is_empty() {
            "Other roles".to_string()
        } else {
            r.team.clone()
        };
        teams.entry(team).or_default().push(MatrixRow {
            role: l.role(id),
            owns: r.owns.len(),
            supports: r.supports.len(),
            cells,
            owned: if grid { vec![] } else { l.by_stage(&r.owns) },
            supported: if grid {
                vec![]
            } else {
                l.by_stage(&r.supports)
            },
        });
    }
    MatrixPage {
        grid,
        role_count: l.site.roles.len(),
        stages: stages
            .iter()
            .map(|s| {
                let id = StageId(s.meta.id.clone());
                MatrixStage {
                    stage: l.stage(&id),
                    moments: of(&l.graph.stage_moments, &id)
                        .iter()
                        .map(|m| {
                            let owners = column(m).0;
                            let mot = l.site.moments[m].moment_of_truth;
                            MatrixMoment {
                                link: l.moment(m),
                                moment_of_truth: mot,
                                unowned: owners == 0,
                                shared: mot && owners > 1,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
        teams: teams
            .into_iter()
            .map(|(name, rows)| MatrixTeam { name, rows })
            .collect(),
        column_owners: order.iter().map(|m| column(m).0).collect(),
        column_supporters: order.iter().map(|m| column(m).1).collect(),
        moment_count: order.len(),
    }
}

/// The same data as the page, for people who live in spreadsheets.
pub fn accountability_csv(site: &Site, graph: &Graph) -> String {
    if !is_grid(site) {
        return accountability_csv_long(site);
    }
    let order = &graph.journey;
    let mut out = String::from("team,role");
    for m in order {
        out.push(',');
        out.push_str(&csv_field(&format!(
            "{} / {}",
            site.moments[m].stage, site.moments[m].meta.title
        )));
    }
    out.push('\n');
    for r in site.roles.values() {
        out.push_str(&format!(
            "{},{}",
            csv_field(&r.team),
            csv_field(&r.meta.title)
        ));
        for m in order {
            out.push(',');
            out.push_str(if r.owns.contains(m) {
                "owns"
            } else if r.supports.contains(m) {
                "supports"
            } else {
                ""
            });
        }
        out.push('\n');
    }
    out
}

/// One row per role and moment it owns or supports: linear in the playbook,
/// and a spreadsheet's pivot table turns it back into the grid.
fn accountability_csv_long(site: &Site) -> String {
    let mut out = String::from("team,role,stage,moment,relation\n");
    for r in site.roles.values() {
        let rows = r
            .owns
            .iter()
            .map(|m| (m, "owns"))
            .chain(r.supports.iter().map(|m| (m, "supports")));
        for (m, relation) in rows {
            let moment = &site.moments[m];
            let stage = site
                .stages
                .get(&moment.stage)
                .map_or(moment.stage.as_str(), |s| s.meta.title.as_str());
            out.push_str(&format!(
                "{},{},{},{},{relation}\n",
                csv_field(&r.team),
                csv_field(&r.meta.title),
                csv_field(stage),
                csv_field(&moment.meta.title)
            ));
        }
    }
    out
}

/// One CSV cell a spreadsheet reads as text, never as a formula (OWASP's
/// advice on CSV injection): a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading `'`; a cell holding a separator (`,` or the
/// `;` of some locales), a quote or a line break is quoted, so no formula can
/// start after a separator either.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if text.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[derive(Serialize)]
pub struct HealthPage {
    pub sections: Vec<HealthSection>,
    pub drafts: Vec<Link>,
    pub total: usize,
}

#[derive(Serialize)]
pub struct HealthSection {
    pub code: &'static str,
    pub title: &'static str,
    pub items: Vec<HealthItem>,
}

#[derive(Serialize)]
pub struct HealthItem {
    pub link: Link,
    pub detail: String,
    pub message: String,
    pub location: String,
}

pub fn health(l: &Linker, findings: &[Finding]) -> HealthPage {
    let sections: Vec<HealthSection> = Rule::ALL
        .iter()
        .map(|rule| HealthSection {
            code: rule.code(),
            title: rule.title(),
            items: findings
                .iter()
                .filter(|f| f.rule == *rule)
                .map(|f| HealthItem {
                    link: l.link(&f.subject),
                    detail: f.detail.clone(),
                    message: f.diagnostic.message.clone(),
                    location: f.diagnostic.location(),
                })
                .collect(),
        })
        .collect();
    HealthPage {
        total: findings.len(),
        drafts: l
            .site
            .all_metas()
            .into_iter()
            .filter(|(_, m)| m.draft)
            .map(|(k, _)| l.link(&k))
            .collect(),
        sections,
    }
}
