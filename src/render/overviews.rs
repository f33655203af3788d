//! Overviews: the whole-site pages (journey map, accountability matrix and
//! its CSV, playbook health), each drawn from every entity of its kinds.

use serde::Serialize;

use super::chart::{self, Curves};
use super::pages::{MomentRow, moment_rows};
use super::views::*;
use crate::model::graph::of;
use crate::model::*;
use crate::validate::{Detail, Finding, Rule};

#[derive(Serialize)]
pub(crate) struct JourneyPage {
    pub intro: String,
    pub stages: Vec<StageColumn>,
    pub curves: Curves,
    /// The narrowest the map and chart may be, in CSS pixels, before they scroll.
    pub track_width: f64,
}

#[derive(Serialize)]
pub(crate) struct StageColumn {
    pub stage: Link,
    /// The number of its first moment along the whole journey (from 1).
    pub first_number: usize,
    pub moments: Vec<MomentRow>,
}

pub(crate) fn journey(l: &Linker, intro: String) -> JourneyPage {
    let mut first_number = 1;
    let stages = l
        .site
        .stages_in_order()
        .iter()
        .map(|s| {
            let id = StageId(s.meta.id.clone());
            let column = StageColumn {
                stage: l.stage(&id),
                first_number,
                moments: moment_rows(l, &id),
            };
            first_number += column.moments.len();
            column
        })
        .collect();
    JourneyPage {
        intro,
        stages,
        curves: chart::curves(l),
        track_width: chart::overlay_width(l.site, l.graph),
    }
}

#[derive(Serialize)]
pub(crate) struct MatrixPage {
    pub grid: bool,
    pub role_count: usize,
    pub stages: Vec<MatrixStage>,
    pub teams: Vec<MatrixTeam>,
    pub column_owners: Vec<usize>,
    pub column_supporters: Vec<usize>,
    /// Per column, in journey order: nobody owns it, or a moment of truth has several owners.
    pub attention: Vec<bool>,
    /// Those moments, listed.
    pub gaps: Vec<MatrixMoment>,
    pub moment_count: usize,
}

#[derive(Serialize)]
pub(crate) struct MatrixStage {
    pub stage: Link,
    pub moments: Vec<MatrixMoment>,
}

#[derive(Serialize, Clone)]
pub(crate) struct MatrixMoment {
    pub link: Link,
    pub moment_of_truth: bool,
    pub unowned: bool,
    pub shared: bool,
}

#[derive(Serialize)]
pub(crate) struct MatrixTeam {
    pub name: String,
    pub rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
pub(crate) struct MatrixRow {
    pub role: Link,
    /// One cell per moment, in journey order (grid mode only).
    pub cells: Vec<&'static str>,
    /// The role's moments by stage (for phones, and for large playbooks).
    pub owned: Vec<StageGroup>,
    pub supported: Vec<StageGroup>,
    pub owns: usize,
    pub supports: usize,
}

/// Above this many cells the grid would outgrow any screen (and the output
/// would grow with roles x moments), so each role lists its moments instead.
pub(crate) const GRID_LIMIT: usize = 30_000;

fn is_grid(site: &Site) -> bool {
    site.roles.len() * site.moments.len() <= GRID_LIMIT
}

pub(crate) fn accountability(l: &Linker) -> MatrixPage {
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
            l.words.get("other_roles").to_string()
        } else {
            r.team.clone()
        };
        teams.entry(team).or_default().push(MatrixRow {
            role: l.role(id),
            owns: r.owns.len(),
            supports: r.supports.len(),
            cells,
            owned: l.by_stage(&r.owns),
            supported: l.by_stage(&r.supports),
        });
    }
    let stages: Vec<MatrixStage> = stages
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
        .collect();
    let gaps: Vec<MatrixMoment> = stages
        .iter()
        .flat_map(|s| &s.moments)
        .filter(|m| m.unowned || m.shared)
        .cloned()
        .collect();
    MatrixPage {
        grid,
        role_count: l.site.roles.len(),
        attention: stages
            .iter()
            .flat_map(|s| &s.moments)
            .map(|m| m.unowned || m.shared)
            .collect(),
        gaps,
        stages,
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
pub(crate) fn accountability_csv(site: &Site, graph: &Graph) -> String {
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
pub(crate) struct HealthPage {
    pub sections: Vec<HealthSection>,
    /// Titles of the sections with nothing to fix, said once.
    pub clear: Vec<String>,
    pub drafts: Vec<Link>,
    pub total: usize,
}

#[derive(Serialize)]
pub(crate) struct HealthSection {
    pub code: &'static str,
    pub title: String,
    pub items: Vec<HealthItem>,
}

#[derive(Serialize)]
pub(crate) struct HealthItem {
    pub link: Link,
    pub detail: String,
    pub message: String,
    pub location: String,
    /// The source at the finding's line on the code host (`[site] edit-url`).
    pub edit: Option<String>,
}

pub(crate) fn health(
    l: &Linker,
    findings: &[Finding],
    config: &crate::config::Config,
) -> HealthPage {
    let sections: Vec<HealthSection> = Rule::ALL
        .iter()
        .map(|rule| HealthSection {
            code: rule.code(),
            title: l.words.get(&rule.title_key()).to_string(),
            items: findings
                .iter()
                .filter(|f| f.rule == *rule)
                .map(|f| HealthItem {
                    link: l.link(&f.subject),
                    detail: health_detail(l, &f.detail),
                    message: f.diagnostic.message.clone(),
                    location: f.diagnostic.location(),
                    edit: super::edit::edit_url(
                        config,
                        &f.diagnostic.file,
                        f.diagnostic.line.unwrap_or(1),
                    ),
                })
                .collect(),
        })
        .collect();
    HealthPage {
        clear: sections
            .iter()
            .filter(|s| s.items.is_empty())
            .map(|s| s.title.clone())
            .collect(),
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

/// A finding's detail as the health page says it.
fn health_detail(l: &Linker, detail: &Detail) -> String {
    match detail {
        Detail::None => String::new(),
        Detail::Text(text) => text.clone(),
        Detail::OwnedBy(owners) => {
            l.words
                .format("health_owned_by", None, &[("owners", &owners.join(", "))])
        }
        Detail::Due(date) => l.words.format(
            "health_due",
            None,
            &[("date", &super::words::long_date(l.words, *date))],
        ),
    }
}
