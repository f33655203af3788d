//! Navigation as a person does it, in headless Chromium.

use crate::common;

#[test]
fn the_built_site_can_be_browsed_from_the_file_system() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let built = site.build();
    let start = built.out.join("roles/driver/index.html");
    browser.goto(&format!("file://{}", start.display()));
    browser.wait_for("document.readyState === 'complete'");
    browser.click("section[aria-labelledby=owns-h] .moment-card h3 a");
    browser.wait_for("location.href.endsWith('/journey/core/delivery/index.html')");
    assert!(
        browser
            .eval("return document.querySelector('h1').textContent")
            .as_str()
            .unwrap()
            .contains("Delivery")
    );
    browser.click(".brand");
    browser.wait_for("location.href.endsWith('/public/index.html')");
    browser.goto(&format!(
        "file://{}",
        built.out.join("search/index.html").display()
    ));
    let note = browser.wait_for("document.querySelector('.search-none') && document.querySelector('.search-none').textContent");
    assert!(
        note.as_str().unwrap().contains("served over HTTP"),
        "{note}"
    );
}

#[test]
fn sub_path_hosting_serves_every_page_asset_and_search_under_the_prefix() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[site]\nbase-url = \"https://intranet.example.com/cx/\"\n",
    );
    let server = common::http::Server::start(site.root(), &[]);
    browser.goto(&format!(
        "http://127.0.0.1:{}/cx/standards/call-ahead/",
        server.port
    ));
    browser.wait_for("document.readyState === 'complete'");
    let css_ok = browser.eval("return getComputedStyle(document.body).fontFamily !== ''  && [...document.styleSheets].some(s => s.href && s.href.includes('/cx/static/style.'))");
    assert_eq!(css_ok.as_bool(), Some(true));
    browser.click(".site-nav a[href$='roles/']");
    browser.wait_for("location.pathname === '/cx/roles/'");
}

#[test]
fn onboarding_ticks_survive_a_reload() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let server = common::http::Server::start(site.root(), &[]);
    let url = format!("http://127.0.0.1:{}/roles/driver/onboarding/", server.port);
    browser.goto(&url);
    browser.wait_for("document.readyState === 'complete'");
    // Smooth scrolling moves the box while WebDriver clicks it.
    browser.eval("document.documentElement.style.scrollBehavior = 'auto';");
    browser.click("label:has(input[data-item='task:ride-along-for-a-day'])");
    browser.wait_for("document.querySelector('.progress').textContent.includes('1 of')");
    browser.goto(&url);
    browser.wait_for("document.readyState === 'complete'");
    let ticked = browser.wait_for(
        "document.querySelector(\"input[data-item='task:ride-along-for-a-day']\").checked",
    );
    assert_eq!(ticked.as_bool(), Some(true));
    let others = browser.eval("return [...document.querySelectorAll('.checklist input[data-item]')].filter(i => i.checked).length");
    assert_eq!(others.as_u64(), Some(1));
}

#[test]
fn a_site_in_another_language_searches_without_the_english_stemmer() {
    let browser = browser_or_skip!();
    let mut files = common::small_site();
    files.retain(|(p, _)| *p != "book.toml");
    files.push((
        "book.toml",
        "[book]\ntitle = \"Guide\"\nlanguage = \"fr\"\n",
    ));
    files.push((
        "content/guides/livraisons.md",
        "# Les livraisons\n\nNous appelons avant chaque livraison.\n",
    ));
    let site = common::TestSite::new(&files);
    let server = common::http::Server::start(site.root(), &[]);
    browser.goto(&format!(
        "http://127.0.0.1:{}/search/?q=livraisons",
        server.port
    ));
    let titles = browser
        .wait_for("[...document.querySelectorAll('.search-result a')].map(a => a.textContent)");
    assert_eq!(titles[0], "Les livraisons");
    assert_eq!(
        browser
            .eval("return document.documentElement.lang")
            .as_str(),
        Some("fr")
    );
}
