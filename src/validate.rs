//! Validate: the warnings about a playbook that builds but has gaps, one rule per
//! function. Every rule returns all it finds; `--strict` makes them errors.
//! The same findings feed the health page. A rule whose answer depends on an
//! entity that did not load whole (`Site::partial`) waits: its finding would
//! be a consequence of that entity's error, not a gap of its own.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::graph::of;
use crate::model::*;

/// A gap in the playbook, with the entity to fix and the diagnostic to print.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Finding {
    pub rule: Rule,
    pub subject: EntityKey,
    pub detail: Detail,
    #[serde(skip)]
    pub diagnostic: Diagnostic,
}

/// What the health page says beside a finding's link, in its own words:
/// the author's text, or facts it phrases in the site's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) enum Detail {
    None,
    /// A hate or claim as the author wrote it.
    Text(String),
    /// The ids of a moment's owners.
    OwnedBy(Vec<String>),
    /// A review date that has passed.
    Due(Date),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Rule {
    UnownedMoment,
    SharedMomentOfTruth,
    StandardWithoutBehaviour,
    UnaddressedHate,
    AssumedClaim,
    OverdueReview,
}

impl Rule {
    pub(crate) const ALL: [Rule; 6] = [
        Rule::UnownedMoment,
        Rule::SharedMomentOfTruth,
        Rule::StandardWithoutBehaviour,
        Rule::UnaddressedHate,
        Rule::AssumedClaim,
        Rule::OverdueReview,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Rule::UnownedMoment => "unowned-moment",
            Rule::SharedMomentOfTruth => "shared-moment-of-truth",
            Rule::StandardWithoutBehaviour => "standard-without-behaviour",
            Rule::UnaddressedHate => "unaddressed-hate",
            Rule::AssumedClaim => "assumed-claim",
            Rule::OverdueReview => "overdue-review",
        }
    }

    /// The key of the heading of the rule's list on the health page.
    pub(crate) fn title_key(self) -> String {
        format!("health_{}", self.code().replace('-', "_"))
    }
}

/// Runs every rule against the model.
pub(crate) fn findings(site: &Site, graph: &Graph, today: Date) -> Vec<Finding> {
    Rule::ALL
        .into_iter()
        .flat_map(|rule| rule.run(site, graph, today))
        .collect()
}

/// The findings after an edit that changed the fields of `changed`, given
/// those before it: `None` when they are the same. A rule that reads none
/// of the kinds changed keeps its findings: a role's edit leaves the
/// personas' claims alone, and one of plain pages every rule but reviews.
pub(crate) fn refreshed(
    site: &Site,
    graph: &Graph,
    today: Date,
    before: &[Finding],
    changed: &[EntityKey],
) -> Option<Vec<Finding>> {
    let mut after = Vec::with_capacity(before.len());
    for rule in Rule::ALL {
        if rule
            .reads()
            .iter()
            .any(|kind| changed.iter().any(|k| k.kind == *kind))
        {
            after.extend(rule.run(site, graph, today));
        } else {
            after.extend(before.iter().filter(|f| f.rule == rule).cloned());
        }
    }
    (after != before).then_some(after)
}

impl Rule {
    /// The kinds whose fields the rule reads, directly or through the
    /// graph. Every kind has review dates.
    fn reads(self) -> &'static [Kind] {
        match self {
            Rule::UnownedMoment | Rule::SharedMomentOfTruth => &[Kind::Moment, Kind::Role],
            Rule::StandardWithoutBehaviour => &[Kind::Standard, Kind::Role],
            Rule::UnaddressedHate => &[Kind::Standard, Kind::Moment, Kind::Persona],
            Rule::AssumedClaim => &[Kind::Persona],
            Rule::OverdueReview => &Kind::ALL,
        }
    }

    fn run(self, site: &Site, graph: &Graph, today: Date) -> Vec<Finding> {
        match self {
            Rule::UnownedMoment => unowned_moments(site, graph),
            Rule::SharedMomentOfTruth => shared_moments_of_truth(site, graph),
            Rule::StandardWithoutBehaviour => standards_without_behaviours(site, graph),
            Rule::UnaddressedHate => unaddressed_hates(site, graph),
            Rule::AssumedClaim => assumed_claims(site),
            Rule::OverdueReview => overdue_reviews(site, today),
        }
    }
}

fn finding(
    rule: Rule,
    subject: EntityKey,
    meta: &Meta,
    line: usize,
    detail: Detail,
    message: String,
    hint: &str,
) -> Finding {
    Finding {
        rule,
        subject,
        detail,
        diagnostic: Diagnostic::warning(rule.code(), &meta.file, message)
            .at_line(line)
            .with_hint(hint),
    }
}

fn unowned_moments(site: &Site, graph: &Graph) -> Vec<Finding> {
    if !site.all_whole(Kind::Role) {
        return Vec::new();
    }
    site.moments
        .iter()
        .filter(|(id, _)| of(&graph.owners, id).is_empty())
        .map(|(id, m)| {
            finding(
                Rule::UnownedMoment,
                EntityKey::new(Kind::Moment, id.as_str()),
                &m.meta,
                m.meta.line,
                Detail::None,
                format!("nobody owns the moment `{id}`"),
                "add it to one role's `owns:` list so someone is accountable",
            )
        })
        .collect()
}

fn shared_moments_of_truth(site: &Site, graph: &Graph) -> Vec<Finding> {
    if !site.all_whole(Kind::Role) {
        return Vec::new();
    }
    site.moments
        .iter()
        .filter(|(id, m)| m.moment_of_truth && of(&graph.owners, id).len() > 1)
        .map(|(id, m)| {
            let owners: Vec<&str> = of(&graph.owners, id).iter().map(RoleId::as_str).collect();
            finding(
                Rule::SharedMomentOfTruth,
                EntityKey::new(Kind::Moment, id.as_str()),
                &m.meta,
                m.meta.line,
                Detail::OwnedBy(owners.iter().map(|o| o.to_string()).collect()),
                format!(
                    "the moment of truth `{id}` has {} owners: {}",
                    owners.len(),
                    owners.join(", ")
                ),
                "a moment of truth needs one accountable owner; make the others `supports:`",
            )
        })
        .collect()
}

fn standards_without_behaviours(site: &Site, graph: &Graph) -> Vec<Finding> {
    if !site.all_whole(Kind::Role) {
        return Vec::new();
    }
    site.standards
        .iter()
        .filter(|(id, _)| of(&graph.standard_behaviours, id).is_empty())
        .map(|(id, s)| {
            finding(
                Rule::StandardWithoutBehaviour,
                EntityKey::new(Kind::Standard, id.as_str()),
                &s.meta,
                s.meta.line,
                Detail::None,
                format!("no role has a behaviour for the standard `{id}`"),
                "add a `behaviours:` entry with `standard:` this id to the roles that deliver it",
            )
        })
        .collect()
}

/// A hate is addressed when a standard applies at one of the moments it touches.
fn unaddressed_hates(site: &Site, graph: &Graph) -> Vec<Finding> {
    if !site.all_whole(Kind::Standard) || !site.all_whole(Kind::Moment) {
        return Vec::new();
    }
    let covered: BTreeSet<&MomentId> = graph.moment_standards.keys().collect();
    let mut out = Vec::new();
    for (id, persona) in &site.personas {
        if !site.is_whole(&EntityKey::new(Kind::Persona, id.as_str())) {
            continue;
        }
        for hate in &persona.hates {
            if hate.moments.iter().any(|m| covered.contains(m)) {
                continue;
            }
            out.push(finding(
                Rule::UnaddressedHate,
                EntityKey::new(Kind::Persona, id.as_str()),
                &persona.meta,
                hate.line,
                Detail::Text(hate.text.clone()),
                format!("no standard addresses what `{id}` hates: \"{}\"", hate.text),
                if hate.moments.is_empty() {
                    "give the hate `moments:` and list one of them in a standard's `moments:`"
                } else {
                    "list one of its moments in the `moments:` of a standard that fixes it"
                },
            ));
        }
    }
    out
}

fn assumed_claims(site: &Site) -> Vec<Finding> {
    let mut out = Vec::new();
    for (id, persona) in &site.personas {
        if !site.is_whole(&EntityKey::new(Kind::Persona, id.as_str())) {
            continue;
        }
        for claim in persona.loves.iter().chain(&persona.hates) {
            if claim.evidence != Evidence::Assumption {
                continue;
            }
            out.push(finding(
                Rule::AssumedClaim,
                EntityKey::new(Kind::Persona, id.as_str()),
                &persona.meta,
                claim.line,
                Detail::Text(claim.text.clone()),
                format!("\"{}\" is an assumption nobody has verified", claim.text),
                "verify it with customers, then write `evidence: verified` and its `source:`",
            ));
        }
    }
    out
}

fn overdue_reviews(site: &Site, today: Date) -> Vec<Finding> {
    site.metas()
        .filter_map(|(kind, id, meta)| {
            let due = meta.review_by.filter(|d| *d < today)?;
            Some(finding(
                Rule::OverdueReview,
                EntityKey::new(kind, id),
                meta,
                meta.line,
                Detail::Due(due),
                format!("`{}` was due for review on {due}", meta.title),
                "review the page with its owner, then move `review_by:` to the next date",
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str, title: &str, review_by: Option<&str>) -> (String, Page) {
        let (id, mut page) = crate::model::test_page("guides", id, title);
        page.meta.review_by = review_by.map(|d| Date::parse(d).unwrap());
        (id, page)
    }

    /// A finding of another rule, as an earlier build found it.
    fn unowned(site: &Site) -> Finding {
        let meta = &site.pages["guides/a"].meta;
        finding(
            Rule::UnownedMoment,
            EntityKey::new(Kind::Moment, "m"),
            meta,
            1,
            Detail::None,
            "nobody owns the moment `m`".into(),
            "",
        )
    }

    #[test]
    fn an_edit_of_plain_pages_redoes_only_their_review_findings() {
        let today = Date::parse("2026-06-01").unwrap();
        let mut site = Site::default();
        site.pages.extend([
            page("a", "Refunds", Some("2026-01-01")),
            page("b", "Returns", None),
            // Due today: not past its date yet.
            page("c", "Repairs", Some("2026-06-01")),
        ]);
        let graph = Graph::build(&site);
        let mut before = vec![unowned(&site)];
        before.extend(findings(&site, &graph, today));
        assert_eq!(before.len(), 2, "{before:?}");
        let page_b = EntityKey::new(Kind::Page, "guides/b");
        let page_a = EntityKey::new(Kind::Page, "guides/a");
        assert_eq!(
            refreshed(&site, &graph, today, &before, std::slice::from_ref(&page_b)),
            None
        );

        site.pages.get_mut("guides/a").unwrap().meta.title = "Refunds, quickly".into();
        let after = refreshed(&site, &graph, today, &before, &[page_a]).expect("a new message");
        assert_eq!(after[0], before[0], "the other rule's finding is kept");
        assert_eq!(after.len(), 2);
        assert!(
            after[1].diagnostic.message.contains("Refunds, quickly"),
            "{after:?}"
        );

        // A moment's edit redoes the rules reading moments: no moment is left unowned.
        let moment = EntityKey::new(Kind::Moment, "m");
        let redone = refreshed(&site, &graph, today, &before, &[moment]).expect("redone");
        assert_eq!(redone, findings(&site, &graph, today));
        assert!(redone.iter().all(|f| f.rule == Rule::OverdueReview));
    }

    /// A finding of a rule reading personas, as an earlier build found it.
    fn assumed(site: &Site) -> Finding {
        Finding {
            rule: Rule::AssumedClaim,
            ..unowned(site)
        }
    }

    #[test]
    fn an_edit_redoes_the_rules_that_read_its_kind_and_keeps_the_others() {
        let today = Date::parse("2026-06-01").unwrap();
        let mut site = Site::default();
        site.pages
            .extend([page("a", "Refunds", Some("2026-01-01"))]);
        let graph = Graph::build(&site);
        let (unowned, assumed) = (unowned(&site), assumed(&site));
        let overdue = findings(&site, &graph, today).pop().unwrap();
        let before = vec![unowned.clone(), assumed.clone()];
        let after = |kind| {
            refreshed(&site, &graph, today, &before, &[EntityKey::new(kind, "x")])
                .expect("the review is found")
        };
        // This site has no moment, so a rule reading moments finds none.
        let expected = [
            (Kind::Role, vec![assumed.clone(), overdue.clone()]),
            (Kind::Moment, vec![assumed.clone(), overdue.clone()]),
            (Kind::Persona, vec![unowned.clone(), overdue.clone()]),
            (
                Kind::Standard,
                vec![unowned.clone(), assumed.clone(), overdue.clone()],
            ),
            (
                Kind::Story,
                vec![unowned.clone(), assumed.clone(), overdue.clone()],
            ),
            (
                Kind::Mantra,
                vec![unowned.clone(), assumed.clone(), overdue.clone()],
            ),
            (
                Kind::Stage,
                vec![unowned.clone(), assumed.clone(), overdue.clone()],
            ),
        ];
        for (kind, expected) in expected {
            assert_eq!(after(kind), expected, "{kind:?}");
        }
    }
}
