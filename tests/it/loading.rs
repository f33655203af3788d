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
