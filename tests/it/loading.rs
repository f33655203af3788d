//! Loading content: what authors write either lands on the site or is named
//! in a diagnostic, and nothing they write can make a page land outside it.

use crate::common;
use common::*;
use touchstone::diagnostics::Diagnostic;

/// The small site with files replaced or added.
fn site_with(extra: &[(&'static str, &'static str)]) -> TestSite {
    let mut files = small_site();
    files.retain(|(p, _)| !extra.iter().any(|(e, _)| e == p));
    files.extend_from_slice(extra);
    TestSite::new(&files)
}

fn with_code<'a>(diagnostics: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    diagnostics.iter().filter(|d| d.code == code).collect()
}

fn lines(diagnostics: &[&Diagnostic]) -> Vec<Option<usize>> {
    diagnostics.iter().map(|d| d.line).collect()
}

#[test]
fn a_yaml_list_id_that_is_not_one_path_segment_is_an_error_at_its_entry() {
    let site = site_with(&[(
        "content/mantras.yaml",
        "- id: no-surprises\n  text: No surprises\n- id: \"../../../../tmp/escape\"\n  text: Out\n- id: \"\"\n  text: Empty\n- id: Two Words\n  text: Spaces\n",
    )]);
    let errors = site.errors();
    let unsafe_ids = with_code(&errors, "unsafe-id");
    assert_eq!(
        lines(&unsafe_ids),
        [Some(3), Some(5), Some(7)],
        "{errors:#?}"
    );
    assert!(unsafe_ids.iter().all(|d| d.file == "content/mantras.yaml"));
    assert!(
        unsafe_ids[2]
            .hint
            .as_deref()
            .unwrap()
            .contains("id: two-words"),
        "{:?}",
        unsafe_ids[2]
    );
    assert!(!site.root().join("tmp").exists() && !site.out().exists());
}

#[test]
fn file_names_with_spaces_and_capitals_land_at_clean_paths() {
    let site = site_with(&[
        (
            "content/roles/Night Shift.md",
            "---\ntitle: Night shift\nsupports: [delivery]\n---\n",
        ),
        ("content/guides/Admin Studio.md", "# Admin studio\n"),
    ]);
    let built = site.build();
    assert_eq!(built.page("roles/night-shift/").text("h1"), "Night shift");
    assert_eq!(
        built.page("guides/Admin-Studio/").text("h1"),
        "Admin studio"
    );
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn unterminated_front_matter_is_an_error_at_line_1_not_a_body() {
    let site = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [delivery]\n\nThe face of the company.\n",
    )]);
    let errors = site.errors();
    assert_eq!(codes(&errors), ["unterminated-front-matter"], "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/roles/driver.md", Some(1))
    );
}

#[test]
fn one_bad_yaml_list_entry_drops_only_that_entry() {
    let site = site_with(&[
        (
            "content/mantras.yaml",
            "- id: no-surprises\n  text: No surprises\n  weight: [\n- id: first-time\n  text: Right first time\n",
        ),
        (
            "content/standards/fix-it.md",
            "---\ntitle: Fix it\nmantras: [first-time]\n---\n",
        ),
    ]);
    let errors: Vec<Diagnostic> = site.errors().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(codes(&errors), ["invalid-yaml"], "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/mantras.yaml", Some(3))
    );
}

#[test]
fn a_misspelt_field_loads_the_role_reports_every_unknown_field_and_no_consequence() {
    let site = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nteem: Operations\nowns: [delivery]\nbehavoiurs:\n  - standard: call-ahead\n    do: Phone ahead.\n---\nThe face of the company.\n",
    )]);
    let diagnostics = site.errors();
    assert_eq!(
        codes(&diagnostics),
        ["unknown-field", "unknown-field"],
        "no `unowned-moment`, `standard-without-behaviour` or broken link follows: {diagnostics:#?}"
    );
    assert_eq!(
        lines(&diagnostics.iter().collect::<Vec<_>>()),
        [Some(3), Some(5)]
    );
    assert!(
        diagnostics[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `behaviours`?")
    );
}

#[test]
fn a_bad_value_drops_its_field_alone_and_says_what_the_field_takes() {
    let site = site_with(&[(
        "content/standards/call-ahead.md",
        "---\ntitle: Call ahead\nkano: perfomance\nweight: 99999999999999999999\nmantras: [no-surprises]\nmoments: [delivery]\n---\n",
    )]);
    let errors = site.errors();
    assert_eq!(
        codes(&errors),
        ["invalid-value", "invalid-value"],
        "{errors:#?}"
    );
    let kano = &errors[0];
    assert_eq!(kano.line, Some(3));
    assert!(
        kano.hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `performance`?"),
        "{kano:?}"
    );
    let weight = &errors[1];
    assert_eq!(weight.line, Some(4));
    let text = format!("{} {}", weight.message, weight.hint.as_deref().unwrap());
    assert!(
        text.contains("`weight`") && text.contains("whole number"),
        "{text}"
    );
    assert!(
        !text.contains("i64") && !text.contains("indentation"),
        "{text}"
    );
}

#[test]
fn dates_that_do_not_exist_are_errors() {
    let site = site_with(&[(
        "content/stories/late-van.md",
        "---\ntitle: The late van\npersona: parent\nmoments: [delivery]\ndate: 2026-02-30\n---\n",
    )]);
    let errors = site.errors();
    assert_eq!(codes(&errors), ["invalid-date"], "{errors:#?}");
    assert_eq!(errors[0].line, Some(5));
}

#[test]
fn yaml_that_expands_too_far_is_said_in_the_authors_terms() {
    let laughs = "---\ntitle: Driver\nextra:\n  a: &a [x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n  g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n---\n";
    let site = site_with(&[("content/roles/driver.md", laughs)]);
    let errors = site.errors();
    let d = errors
        .iter()
        .find(|d| d.file == "content/roles/driver.md")
        .unwrap();
    assert_eq!(d.message, "the YAML expands too far (aliases)");
    assert!(!format!("{d:?}").contains("Nodes"), "{d:?}");
    assert!(
        !errors.iter().any(|d| d.code == "unowned-moment"),
        "a role that did not load is no reason to say nobody owns its moments: {errors:#?}"
    );
}

#[test]
fn a_behaviour_needs_do_or_dont_not_both() {
    let site = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [delivery]\nbehaviours:\n  - standard: call-ahead\n    do: Phone ahead.\n---\n",
    )]);
    let built = site.build();
    let page = built.page("roles/driver/");
    assert!(page.text("body").contains("Phone ahead."));
    assert!(!page.text("body").contains("Don’t:"), "no empty Don't");

    let empty = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [delivery]\nbehaviours:\n  - standard: call-ahead\n    moment: delivery\n---\n",
    )]);
    let errors = empty.errors();
    assert_eq!(codes(&errors), ["empty-behaviour"], "{errors:#?}");
    assert_eq!(errors[0].line, Some(5));
}
