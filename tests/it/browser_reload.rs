//! Live reload seen from a real page in headless Chromium.

use crate::common;
use common::http::{Server, served_after_reloads};

#[test]
fn an_open_page_reloads_itself_after_a_save_and_shows_errors_as_an_overlay() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let server = Server::start(site.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/roles/driver/", server.port));
    browser.wait_for("document.readyState === 'complete'");
    browser.eval("window.__beforeReload = true;");

    let text = std::fs::read_to_string(site.root().join("content/roles/driver.md")).unwrap();
    site.write(
        "content/roles/driver.md",
        &text.replace(
            "The face of the company.",
            "Edited while the page was open.",
        ),
    );
    browser.wait_for("window.__beforeReload === undefined && document.body.textContent.includes('Edited while the page was open.')");

    site.write(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [nowhere]\n---\n",
    );
    let overlay = browser.wait_for("document.getElementById('touchstone-errors') && document.getElementById('touchstone-errors').textContent");
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains("content/roles/driver.md:3")
            && overlay.contains("there is no moment `nowhere`"),
        "{overlay}"
    );
    assert!(
        browser
            .eval("return document.body.textContent.includes('Edited while the page was open.')")
            .as_bool()
            .unwrap(),
        "the last good page stays"
    );

    site.write("content/roles/driver.md", &text);
    browser.wait_for("!document.getElementById('touchstone-errors') && document.body.textContent.includes('The face of the company.')");
}

/// A save reloads the open pages it changed, and no other: a person reading
/// one page while a colleague saves another keeps their place.
#[test]
fn a_save_reloads_the_pages_it_changed_and_leaves_the_others_be() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    browser.goto(&format!("http://127.0.0.1:{}/roles/driver/", server.port));
    browser.wait_for("document.readyState === 'complete'");
    browser.eval("window.__beforeReload = true;");

    let faq = std::fs::read_to_string(site.root().join("content/guides/faq.md")).unwrap();
    site.write("content/guides/faq.md", &format!("{faq}\nA new answer.\n"));
    assert!(served_after_reloads(
        server.port,
        &events,
        "/guides/faq/",
        "A new answer."
    ));
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        browser.eval("return window.__beforeReload === true"),
        serde_json::json!(true),
        "the role page, which does not show the guide, was not reloaded"
    );

    let driver = std::fs::read_to_string(site.root().join("content/roles/driver.md")).unwrap();
    site.write(
        "content/roles/driver.md",
        &driver.replace("The face of the company.", "Edited next door."),
    );
    browser.wait_for(
        "window.__beforeReload === undefined && document.body.textContent.includes('Edited next door.')",
    );
}

/// A browser opens six connections per server: live-reload streams of pages
/// left behind (kept for the back button) must not hold them, or the
/// seventh page stalls. Every page loads, and the last one and a page
/// returned to with the back button still reload after a save.
#[test]
fn browsing_many_pages_keeps_pages_loading_and_reloading() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let server = Server::start(site.root(), &[]);
    browser.page_load_timeout(std::time::Duration::from_secs(15));
    let pages = [
        "",
        "roles/",
        "roles/agent/",
        "standards/call-ahead/",
        "personas/parent/",
        "journey/",
        "journey/core/delivery/",
        "accountability/",
        "stories/late-van/",
        "roles/driver/",
    ];
    for page in pages {
        browser.goto(&format!("http://127.0.0.1:{}/{page}", server.port));
        browser.wait_for("document.readyState === 'complete'");
    }
    let driver = site.root().join("content/roles/driver.md");
    let text = std::fs::read_to_string(&driver).unwrap();
    browser.eval("window.__beforeReload = true;");
    site.write(
        "content/roles/driver.md",
        &text.replace("The face", "The tenth page's face"),
    );
    browser.wait_for("window.__beforeReload === undefined && document.body.textContent.includes('The tenth page')");

    browser.back();
    browser.wait_for(
        "location.pathname === '/stories/late-van/' && document.readyState === 'complete'",
    );
    browser.eval("window.__beforeReload = true;");
    let story = site.root().join("content/stories/late-van.md");
    let story_text = std::fs::read_to_string(&story).unwrap();
    site.write(
        "content/stories/late-van.md",
        &story_text.replace("They rang me first.", "They rang me first, back then."),
    );
    browser.wait_for(
        "window.__beforeReload === undefined && document.body.textContent.includes('back then')",
    );
}
