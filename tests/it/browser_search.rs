//! Search in a real headless Chromium against `touchstone serve` of the sample
//! playbook: the right first result for queries people type, filters, links
//! and the no-results state.

use crate::common;

use common::http::Server;

/// Types a query into the header box and returns the suggestions' titles.
fn suggestions(browser: &common::browser::Browser, query: &str) -> Vec<String> {
    browser.eval(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus(); \
         const l = document.getElementById('search-suggestions'); if (l) { l.innerHTML = ''; l.hidden = true; }",
    );
    browser.type_into("#search-input", query);
    let titles = browser.wait_for(
        "(() => { const l = document.getElementById('search-suggestions'); if (!l || l.hidden) return null; \
         const opts = [...l.querySelectorAll('[role=option] .search-title')].map(e => e.textContent); \
         return opts.length ? opts : (l.querySelector('.search-none') ? ['<none>'] : null); })()",
    );
    titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn one_typo_still_finds_the_page() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/", server.port));
    let cases = [
        ("refnd", "Returning an item and getting the refund"),
        ("instaler", "Installer"),
        ("warrnaty", "Getting a warranty repair"),
        ("invioce ", "Invoice and final payment"),
    ];
    let mut wrong = Vec::new();
    for (query, expected) in cases {
        let got = suggestions(&browser, query);
        if got.first().map(String::as_str) != Some(expected) {
            wrong.push(format!(
                "{query:?}: expected {expected:?} first, got {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    browser.goto(&format!("http://127.0.0.1:{}/search/?q=refnd", server.port));
    let marked = browser.wait_for(
        "[...document.querySelectorAll('.search-result mark')].map(m => m.textContent.toLowerCase())",
    );
    assert!(
        marked
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().starts_with("refund")),
        "the word it found is highlighted: {marked}"
    );
    browser.goto(&format!(
        "http://127.0.0.1:{}/search/?q=pharmacist",
        server.port
    ));
    let count = browser.wait_for("(document.querySelector('.search-count') || {}).textContent");
    assert_eq!(count.as_str(), Some("1 result"), "one, not '1 results'");
}

#[test]
fn realistic_queries_put_the_right_page_first() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/", server.port));
    let cases = [
        ("refund", "Returning an item and getting the refund"),
        ("installer", "Installer"),
        ("delivery driver", "Delivery driver"),
        ("tell us once", "Tell us once"),
        ("onboard", "Using this site for onboarding"),
        ("warranty", "Getting a warranty repair"),
        ("plain words", "Plain words"),
        ("billing", "Billing specialist"),
        ("Call before they chase", "Call before they chase"),
        ("store manager", "Store manager"),
        ("invoice", "Invoice and final payment"),
        ("surprise charges", "No surprise charges"),
    ];
    let mut wrong = Vec::new();
    for (query, expected) in cases {
        let got = suggestions(&browser, query);
        if got.first().map(String::as_str) != Some(expected) {
            wrong.push(format!(
                "{query:?}: expected {expected:?} first, got {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The title of every role, standard and moment of the sample playbook, read
/// from its front matter.
fn sample_titles() -> Vec<(String, String)> {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut titles = Vec::new();
    for folder in ["roles", "standards", "journey"] {
        for entry in walkdir::WalkDir::new(content.join(folder)) {
            let path = entry.unwrap().into_path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".md") || name.starts_with('_') {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let title = text
                .lines()
                .find_map(|l| l.strip_prefix("title:"))
                .unwrap_or_else(|| panic!("{name} has a title"));
            titles.push((
                folder.to_string(),
                title.trim().trim_matches('"').to_string(),
            ));
        }
    }
    titles
}

#[test]
fn every_role_standard_and_moment_title_finds_its_own_page_first() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/", server.port));
    let titles = sample_titles();
    assert!(
        titles.len() > 30,
        "roles, standards and moments: {titles:?}"
    );
    let mut wrong = Vec::new();
    for (folder, title) in &titles {
        let got = suggestions(&browser, title);
        if got.first() != Some(title) {
            wrong.push(format!("{folder}: {title:?} came after {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn arrow_keys_and_enter_open_a_result() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/standards/", server.port));
    let first = suggestions(&browser, "installer");
    assert_eq!(first[0], "Installer");
    browser.type_into("#search-input", "\u{E015}");
    let active = browser
        .wait_for("document.getElementById('search-input').getAttribute('aria-activedescendant')");
    assert_eq!(active, "search-option-0");
    browser.type_into("#search-input", "\u{E007}");
    browser.wait_for("location.pathname === '/roles/installer/'");
    assert!(browser.url().ends_with("/roles/installer/"));
}

#[test]
fn the_search_page_runs_q_links_filters_by_kind_and_says_when_nothing_matches() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    let base = format!("http://127.0.0.1:{}/search/", server.port);
    browser.goto(&format!("{base}?q=delivery"));
    let kinds = browser.wait_for(
        "[...document.querySelectorAll('.search-result .search-kind')].map(e => e.textContent)",
    );
    let kinds: Vec<&str> = kinds
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"Moment") && kinds.contains(&"Role"),
        "{kinds:?}"
    );
    assert!(
        browser
            .eval("return document.querySelector('.search-result mark') !== null")
            .as_bool()
            .unwrap(),
        "matched words are highlighted"
    );

    browser.click(".search-filters button[data-kind=role]");
    browser.wait_for("location.search.includes('kind=role')");
    let only_roles = browser.wait_for(
        "(() => { const k = [...document.querySelectorAll('.search-result .search-kind')].map(e => e.textContent); return k.length && k.every(x => x === 'Role') ? k : null; })()",
    );
    assert!(!only_roles.as_array().unwrap().is_empty());

    browser.goto(&format!("{base}?q=customer"));
    let count = browser.wait_for("(document.querySelector('.search-count') || {}).textContent");
    let shown = "document.querySelectorAll('.search-result').length";
    assert_eq!(
        browser.wait_for(shown),
        20,
        "{count}: a first page of twenty"
    );
    // A script click: the page scrolls smoothly, which WebDriver's own
    // click does not wait for.
    browser.eval("document.querySelector('.search-more').click()");
    browser.wait_for(&format!("{shown} > 20"));
    let snippets =
        browser.eval("return document.querySelectorAll('.search-result .search-snippet').length");
    assert!(
        snippets.as_u64().unwrap() > 20,
        "snippets come with each page: {snippets}"
    );

    browser.goto(&format!("{base}?q=zebracrossing"));
    let none = browser.wait_for("document.querySelector('.search-none') && document.querySelector('.search-none').textContent");
    assert!(
        none.as_str()
            .unwrap()
            .contains("No results for “zebracrossing”"),
        "{none}"
    );
    assert!(
        browser
            .eval("return document.querySelector('.search-none a') !== null")
            .as_bool()
            .unwrap(),
        "suggests where to go"
    );
}

#[test]
fn search_works_under_a_sub_path_and_folds_accents() {
    let browser = browser_or_skip!();
    let mut files = common::small_site();
    files.push((
        "content/guides/referent.md",
        "# Le référent client\n\nChaque client a un référent.\n",
    ));
    let site = common::TestSite::new(&files);
    site.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[site]\nbase-url = \"/cx/\"\n",
    );
    let server = Server::start(site.root(), &[]);
    browser.goto(&format!(
        "http://127.0.0.1:{}/cx/roles/driver/",
        server.port
    ));
    let got = suggestions(&browser, "referent");
    assert_eq!(got[0], "Le référent client");
    browser.type_into("#search-input", "\u{E015}\u{E007}");
    browser.wait_for("location.pathname === '/cx/guides/referent/'");
    let fetched = browser.eval("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/search/'))");
    assert!(
        fetched
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u.as_str().unwrap().contains("/cx/search/")),
        "{fetched}"
    );
}

#[test]
fn slash_focuses_the_search_box_from_anywhere() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/journey/", server.port));
    // Pressed again until the page's script answers it: a key pressed
    // before the script has run is not lost to a reader, who presses again.
    browser.eval("document.body.focus();");
    browser.wait_for(
        "(document.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true})), \
         document.activeElement && document.activeElement.id === 'search-input')",
    );
}
