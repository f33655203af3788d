//! Navigation as a person does it, in headless Chromium.

mod common;

#[test]
fn the_built_site_can_be_browsed_from_the_file_system() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let built = site.build();
    let start = built.out.join("roles/driver/index.html");
    browser.goto(&format!("file://{}", start.display()));
    browser.wait_for("document.readyState === 'complete'");
    browser.click("section[aria-labelledby=owns-h] .moment-list a");
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
