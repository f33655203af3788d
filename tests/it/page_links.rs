//! "Edit this page" and "report a problem": `[site] edit-url` links every
//! page (and every health item, at its line) to its source on the code host;
//! `[site] feedback-url` opens a form or a mail about the page.

use crate::common::*;

const BOOK: &str = "[book]\ntitle = \"Test playbook\"\n\n[site]\nbase-url = \"https://intranet.example.com/cx/\"\nedit-url = \"https://git.example.com/cx/-/blob/main/{path}#L{line}\"\nfeedback-url = \"mailto:cx@example.com?subject=Playbook: {title}&body={url}\"\n";

fn site() -> TestSite {
    let mut files = small_site();
    files.retain(|(path, _)| *path != "book.toml");
    files.push(("book.toml", BOOK));
    TestSite::new(&files)
}

fn href(page: &Page, css: &str) -> Option<String> {
    page.select(css)
        .first()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string)
}

#[test]
fn every_page_links_to_its_source_file() {
    let site = site();
    let built = site.build();
    let role = built.page("roles/driver/");
    assert_eq!(
        href(&role, "a.edit-page").as_deref(),
        Some("https://git.example.com/cx/-/blob/main/content/roles/driver.md#L1")
    );
    // A mantra written in a YAML list links to its entry's line.
    let mantra = built.page("mantras/no-surprises/");
    assert_eq!(
        href(&mantra, "a.edit-page").as_deref(),
        Some("https://git.example.com/cx/-/blob/main/content/mantras.yaml#L1")
    );
    // A role's onboarding page is written in the role's file.
    let onboarding = built.page("roles/driver/onboarding/");
    assert!(
        href(&onboarding, "a.edit-page")
            .unwrap()
            .contains("content/roles/driver.md")
    );
    // A generated page with no text of its own has nothing to edit.
    assert!(
        built
            .page("accountability/")
            .select("a.edit-page")
            .is_empty()
    );
}

#[test]
fn health_items_link_to_their_line() {
    let site = site();
    site.write(
        "content/journey/core/lonely.md",
        "---\ntitle: A lonely moment\n---\nNobody owns this.\n",
    );
    let health = site.build().page("health/");
    let edits: Vec<String> = health
        .select("a.edit-source")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert!(
        edits.contains(
            &"https://git.example.com/cx/-/blob/main/content/journey/core/lonely.md#L1".to_string()
        ),
        "{edits:?}"
    );
}

#[test]
fn the_feedback_link_names_the_page_url_encoded() {
    let page = site().build().page("standards/call-ahead/");
    assert_eq!(
        href(&page, "a.report-problem").as_deref(),
        Some(
            "mailto:cx@example.com?subject=Playbook:%20Call%20ahead&body=https%3A%2F%2Fintranet.example.com%2Fcx%2Fstandards%2Fcall-ahead%2F"
        )
    );
}

#[test]
fn without_the_settings_pages_have_no_such_links() {
    let page = TestSite::new(&small_site()).build().page("roles/driver/");
    assert!(page.select(".page-actions").is_empty());
}

#[test]
fn an_unknown_placeholder_is_a_config_error_with_a_suggestion() {
    let site = TestSite::new(&[(
        "book.toml",
        "[site]\nedit-url = \"https://git.example.com/cx/-/edit/main/{file}\"\n",
    )]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error.file, "book.toml");
    assert_eq!((error.line, error.column), (Some(2), Some(52)));
    assert!(error.message.contains("`{file}`"), "{}", error.message);
    assert!(
        error.hint.as_deref().unwrap_or_default().contains("{path}"),
        "{error:?}"
    );
}
