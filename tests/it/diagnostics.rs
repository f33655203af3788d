//! One small broken site per diagnostic: each must name its file, line and a
//! message a non-engineer can act on.

use crate::common;
use common::*;
use touchstone::diagnostics::{Diagnostic, Severity};

/// The small site with one file replaced or added.
fn site_with(path: &'static str, text: &'static str) -> TestSite {
    let mut files = small_site();
    files.retain(|(p, _)| *p != path);
    files.push((path, text));
    TestSite::new(&files)
}

fn only(diagnostics: &[Diagnostic], code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}` in {diagnostics:#?}");
    found[0].clone()
}

#[test]
fn unknown_field_names_the_line_and_suggests_the_field() {
    let site = site_with(
        "content/roles/agent.md",
        "---\ntitle: Agent\nteam: Service\nonws: [booking, refund]\n---\n",
    );
    let d = only(&site.errors(), "unknown-field");
    assert_eq!(
        (d.file.as_str(), d.line),
        ("content/roles/agent.md", Some(4))
    );
    assert!(d.message.contains("onws"), "{}", d.message);
    assert!(d.hint.unwrap().contains("did you mean `owns`?"));
}

#[test]
fn invalid_yaml_is_located_in_the_file() {
    let site = site_with(
        "content/journey/core/refund.md",
        "---\ntitle: Refund\norder: [1\n---\n",
    );
    let d = only(&site.errors(), "invalid-yaml");
    assert_eq!(d.file, "content/journey/core/refund.md");
    assert!(d.line.is_some_and(|l| (2..=4).contains(&l)), "{d:?}");
}

#[test]
fn a_reference_to_a_missing_moment_points_at_the_id() {
    let site = site_with(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [booking, refnud]\n---\n",
    );
    let errors = site.errors();
    let d = only(&errors, "unknown-reference");
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("content/roles/agent.md", Some(3), Some(17))
    );
    assert_eq!(d.message, "there is no moment `refnud`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `refund`?"));
}

#[test]
fn an_id_defined_twice_names_both_places() {
    let site = site_with("content/mantras/no-surprises.md", "---\ntext: Again\n---\n");
    let d = only(&site.errors(), "duplicate-id");
    assert!(
        d.message.contains("mantra `no-surprises` is defined twice"),
        "{}",
        d.message
    );
    let places = format!("{} {}", d.location(), d.hint.unwrap());
    assert!(places.contains("content/mantras.yaml:1"), "{places}");
    assert!(
        places.contains("content/mantras/no-surprises.md"),
        "{places}"
    );
}

#[test]
fn a_broken_wikilink_is_an_error_at_its_line_and_column() {
    let site = site_with(
        "content/guides/faq.md",
        "# Questions\n\nIntro.\n\nAsk [[roles/drivr]] first.\n",
    );
    let d = only(&site.errors(), "broken-link");
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("content/guides/faq.md", Some(5), Some(5))
    );
    assert!(d.message.contains("[[roles/drivr]]"));
    assert_eq!(d.hint.as_deref(), Some("did you mean `[[driver]]`?"));
}

#[test]
fn a_broken_relative_link_is_an_error() {
    let site = site_with(
        "content/guides/faq.md",
        "---\ntitle: FAQ\n---\nSee [x](../standards/nope.md).\n",
    );
    let d = only(&site.errors(), "broken-link");
    assert_eq!(
        (d.file.as_str(), d.line),
        ("content/guides/faq.md", Some(4))
    );
    assert!(
        d.message.contains("content/standards/nope.md"),
        "{}",
        d.message
    );
}

#[test]
fn a_moment_outside_a_stage_folder_is_an_error() {
    let site = site_with("content/journey/stray.md", "---\ntitle: Stray\n---\n");
    let d = only(&site.errors(), "moment-outside-stage");
    assert_eq!(d.file, "content/journey/stray.md");
    assert!(d.hint.unwrap().contains("content/journey/<stage>/stray.md"));
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let mut files = small_site();
    files.push(("content/roles/extra.md", "---\nowns: [nowhere]\nbehaviours:\n  - standard: nothing\n    do: a\n    dont: b\n---\n[[missing]]\n"));
    let codes: Vec<&str> = TestSite::new(&files)
        .errors()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(
        codes,
        vec!["unknown-reference", "unknown-reference", "broken-link"]
    );
}

fn warning(site: &TestSite, code: &str) -> Diagnostic {
    let d = only(&site.warnings(), code);
    assert_eq!(d.severity, Severity::Warning);
    d
}

#[test]
fn a_moment_nobody_owns_is_a_warning() {
    let site = site_with(
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\n---\n",
    );
    let d = warning(&site, "unowned-moment");
    assert_eq!(
        (d.file.as_str(), d.line),
        ("content/journey/core/orphan.md", Some(1))
    );
    assert_eq!(d.message, "nobody owns the moment `orphan`");
}

#[test]
fn a_moment_of_truth_with_two_owners_is_a_warning() {
    let site = site_with(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [booking, refund, delivery]\n---\n",
    );
    let d = warning(&site, "shared-moment-of-truth");
    assert_eq!(d.file, "content/journey/core/delivery.md");
    assert!(
        d.message.contains("2 owners: agent, driver"),
        "{}",
        d.message
    );
}

#[test]
fn a_standard_without_behaviours_is_a_warning() {
    let site = site_with(
        "content/standards/lonely.md",
        "---\nstatement: Nobody does this.\n---\n",
    );
    let d = warning(&site, "standard-without-behaviour");
    assert_eq!(d.file, "content/standards/lonely.md");
}

#[test]
fn an_unaddressed_hate_and_an_assumption_are_warnings_at_their_lines() {
    let site = site_with(
        "content/personas/parent.md",
        "---\ntitle: Busy parent\nhates:\n  - text: Slow refunds\n    moments: [refund]\n    evidence: verified\n    source: survey\n  - Queues\n---\n",
    );
    let warnings = site.warnings();
    let hates: Vec<&Diagnostic> = warnings
        .iter()
        .filter(|d| d.code == "unaddressed-hate")
        .collect();
    assert_eq!(
        hates.iter().map(|d| d.line.unwrap()).collect::<Vec<_>>(),
        vec![4, 8]
    );
    let assumed = only(&warnings, "assumed-claim");
    assert_eq!(assumed.line, Some(8));
    assert!(assumed.message.contains("\"Queues\" is an assumption"));
}

#[test]
fn a_page_past_its_review_date_is_a_warning() {
    let site = site_with(
        "content/guides/old.md",
        "---\ntitle: Old guide\nreview_by: 2001-01-01\n---\nText.\n",
    );
    let d = warning(&site, "overdue-review");
    assert!(d.message.contains("2001-01-01"));
    let built = site.build();
    assert_eq!(
        built.page("guides/old/").text(".badge-due"),
        "Due for review since 1 January 2001"
    );
}

#[test]
fn strict_turns_warnings_into_a_failed_build() {
    let site = site_with(
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\n---\n",
    );
    let options = touchstone::BuildOptions {
        strict: true,
        ..site.options()
    };
    let diagnostics = site.errors_with(options);
    assert_eq!(
        diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["unowned-moment"]
    );
}

#[test]
fn human_output_reads_like_a_compiler() {
    let site = site_with(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [booking, refund]\nsupports: [delivry]\n---\n",
    );
    let text = touchstone::diagnostics::render_human(&site.errors(), site.root(), false);
    insta::assert_snapshot!(text, @r"
    error[unknown-reference]: there is no moment `delivry`
     --> content/roles/agent.md:4:12
      |
    4 | supports: [delivry]
      |            ^^^^^^^
      |
      = help: did you mean `delivery`?

    1 error, 0 warnings
    ");
}

#[test]
fn json_output_has_exactly_the_documented_fields() {
    let site = site_with(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [booking, refund]\nsupports: [delivry]\n---\n",
    );
    let json = touchstone::diagnostics::render_json(&site.errors());
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = value.as_array().unwrap()[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "code", "column", "file", "hint", "line", "message", "severity"
        ]
    );
    assert_eq!(first["file"], "content/roles/agent.md");
    assert_eq!(first["severity"], "error");
}

#[test]
fn the_health_page_titles_each_gap_and_names_the_clear_ones() {
    let mut files = small_site();
    files.push((
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\n---\n",
    ));
    files.push((
        "content/guides/old.md",
        "---\ntitle: Old guide\nreview_by: 2001-01-01\n---\nText.\n",
    ));
    let health = TestSite::new(&files).build().page("health/");
    assert_eq!(health.text("#unowned-moment-h"), "Moments nobody owns (1)");
    assert_eq!(
        health.text("#overdue-review-h"),
        "Pages past their review date (1)"
    );
    assert_eq!(
        health.text("#all-clear li"),
        [
            "Moments of truth with more than one owner",
            "Standards no role has a behaviour for",
            "Persona hates no standard addresses",
            "Claims still labelled assumption (verify next)",
            "Drafts",
        ]
        .join(" ")
    );
}
