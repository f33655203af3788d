//! The new pages' behaviour in headless Chromium: ticks that stay on their
//! item, a legend that highlights its curve, a menu that follows the reader,
//! a matrix that fits a laptop, and what a phone gets instead.

use crate::common;
use common::http::Server;

fn driver_with_tasks(tasks: &str) -> String {
    format!(
        "---\ntitle: Driver\nteam: Operations\nowns: [delivery]\nsupports: [booking]\nbehaviours:\n  - standard: call-ahead\n    do: Phone ahead.\n    dont: Turn up unannounced.\n    moment: delivery\nonboarding: [{tasks}]\n---\nThe face of the company.\n"
    )
}

/// Loads `url` until `expression` holds (serve rebuilds after an edit).
fn reload_until(browser: &common::browser::Browser, url: &str, expression: &str) {
    let start = std::time::Instant::now();
    loop {
        browser.goto(url);
        browser.wait_for("document.readyState === 'complete'");
        if browser.eval(&format!("return !!({expression});")).as_bool() == Some(true) {
            return;
        }
        assert!(
            start.elapsed().as_secs() < 30,
            "the page never showed the edit: {expression}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn onboarding_ticks_stay_on_their_item_when_the_playbook_is_reordered() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    site.write(
        "content/roles/driver.md",
        &driver_with_tasks("Ride along for a day, Read the stories"),
    );
    let server = Server::start(site.root(), &[]);
    let url = format!("http://127.0.0.1:{}/roles/driver/onboarding/", server.port);
    browser.goto(&url);
    browser.wait_for("document.readyState === 'complete'");
    browser.eval("document.documentElement.style.scrollBehavior = 'auto';");
    browser.click("label:has(input[data-item='task:read-the-stories'])");
    browser.wait_for("document.querySelector('.progress').textContent.includes('1 of')");

    site.write(
        "content/roles/driver.md",
        &driver_with_tasks("Read the stories, Ride along for a day"),
    );
    reload_until(
        &browser,
        &url,
        "document.querySelector(\"input[data-item^='task:']\").dataset.item === 'task:read-the-stories'",
    );
    let ticked = browser.wait_for(
        "[...document.querySelectorAll('.checklist input:checked')].map(i => i.dataset.item)",
    );
    assert_eq!(
        ticked,
        serde_json::json!(["task:read-the-stories"]),
        "the tick moved with its task, not stayed in its place"
    );
}

#[test]
fn ticks_saved_by_position_carry_over_once() {
    let browser = browser_or_skip!();
    let site = common::TestSite::new(&common::small_site());
    let server = Server::start(site.root(), &[]);
    let url = format!("http://127.0.0.1:{}/roles/driver/onboarding/", server.port);
    browser.goto(&url);
    browser.wait_for("document.readyState === 'complete'");
    browser.eval(
        "localStorage.setItem('touchstone:onboarding:driver', JSON.stringify({'task-1': true}));",
    );
    browser.goto(&url);
    browser.wait_for("document.readyState === 'complete'");
    let ticked = browser.wait_for(
        "document.querySelector(\"input[data-item='task:ride-along-for-a-day']\").checked",
    );
    assert_eq!(ticked.as_bool(), Some(true));
    let saved = browser.eval("return localStorage.getItem('touchstone:onboarding:driver')");
    assert_eq!(
        saved.as_str(),
        Some("{\"task:ride-along-for-a-day\":true}"),
        "the position key is replaced by the item's key"
    );
}

#[test]
fn the_journey_legend_highlights_a_curve() {
    let browser = browser_or_skip!();
    browser.window_size(1280, 900);
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/journey/", server.port));
    browser.wait_for("document.readyState === 'complete'");
    let curve = |persona: &str| {
        format!("document.querySelector('.journey-chart g.curve-group[data-persona={persona}]')")
    };
    let opacity = |persona: &str| {
        browser
            .eval(&format!(
                "return +getComputedStyle({}).opacity",
                curve(persona)
            ))
            .as_f64()
            .unwrap()
    };
    assert_eq!(
        opacity("careful-retiree"),
        1.0,
        "every curve shows at first"
    );

    browser.hover(".legend li[data-persona=juggling-parent]");
    browser.wait_for(&format!(
        "{}.classList.contains('is-highlighted') && +getComputedStyle({}).opacity < 0.3",
        curve("juggling-parent"),
        curve("careful-retiree")
    ));
    assert_eq!(opacity("juggling-parent"), 1.0);
    let values = browser.wait_for(&format!(
        "+getComputedStyle({}.querySelector('.values')).opacity === 1 && {}.querySelectorAll('.values text').length",
        curve("juggling-parent"),
        curve("juggling-parent")
    ));
    assert_eq!(
        values.as_u64(),
        Some(17),
        "its value at every moment is written out"
    );

    browser.hover("h1");
    browser.wait_for(&format!(
        "!document.querySelector('[data-highlight]') && +getComputedStyle({}).opacity === 1",
        curve("careful-retiree")
    ));
    // The keyboard does the same as the mouse.
    browser.eval("document.querySelector('.legend li[data-persona=small-landlord] a').focus();");
    browser.wait_for(&format!(
        "{}.classList.contains('is-highlighted')",
        curve("small-landlord")
    ));
}

#[test]
fn the_on_this_page_menu_follows_the_scroll() {
    let browser = browser_or_skip!();
    browser.window_size(1280, 900);
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    browser.goto(&format!(
        "http://127.0.0.1:{}/roles/delivery-driver/",
        server.port
    ));
    browser.wait_for("document.readyState === 'complete'");
    browser.eval("document.documentElement.style.scrollBehavior = 'auto';");
    let beside = browser.eval(
        "const m = document.querySelector('.page-toc').getBoundingClientRect(); \
         const c = document.querySelector('#at-delivery-day').getBoundingClientRect(); \
         return m.left >= c.right;",
    );
    assert_eq!(
        beside.as_bool(),
        Some(true),
        "the menu sits beside the text"
    );

    let current = "(document.querySelector('.page-toc a[aria-current]') || {}).hash";
    for target in ["at-installation", "at-returns-and-refunds"] {
        browser.eval(&format!(
            "document.getElementById('{target}').scrollIntoView();"
        ));
        let marked = browser.wait_for(&format!("{current} === '#{target}' && {current}"));
        assert_eq!(marked.as_str(), Some(format!("#{target}").as_str()));
        let in_view = browser.eval(
            "const m = document.querySelector('.page-toc').getBoundingClientRect(); \
             return m.top >= 0 && m.top < 100 && m.bottom <= innerHeight;",
        );
        assert_eq!(in_view.as_bool(), Some(true), "the menu stays in view");
    }
    browser.eval("window.scrollTo(0, 0);");
    browser.wait_for("!document.querySelector('.page-toc a[aria-current]')");

    browser.window_size(390, 844);
    browser.wait_for("innerWidth < 500");
    let on_top = browser.eval(
        "const m = document.querySelector('.page-toc').getBoundingClientRect(); \
         const c = document.querySelector('.moment-card').getBoundingClientRect(); \
         return m.bottom <= c.top && m.width > innerWidth * 0.8;",
    );
    assert_eq!(
        on_top.as_bool(),
        Some(true),
        "on a phone the menu comes first"
    );

    let short = common::TestSite::new(&common::small_site());
    let server = Server::start(short.root(), &[]);
    browser.window_size(1280, 900);
    browser.goto(&format!(
        "http://127.0.0.1:{}/personas/parent/",
        server.port
    ));
    browser.wait_for("document.readyState === 'complete'");
    let hidden = browser.wait_for("document.querySelector('.page-toc').hidden && 'hidden'");
    assert_eq!(
        hidden.as_str(),
        Some("hidden"),
        "a page shorter than two screens needs no menu"
    );
}

#[test]
fn the_matrix_fits_a_laptop_and_its_headers_stick_to_the_page() {
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    for width in [1280, 1024] {
        browser.window_size(width, 900);
        browser.goto(&format!("http://127.0.0.1:{}/accountability/", server.port));
        browser.wait_for("document.readyState === 'complete'");
        let fits = browser.eval(
            "const w = document.querySelector('.matrix-wrap'); \
             const t = document.querySelector('table.matrix').getBoundingClientRect(); \
             return [getComputedStyle(w).overflowX, w.scrollWidth <= w.clientWidth + 1, \
                     t.left >= 0 && t.right <= document.documentElement.clientWidth, \
                     document.documentElement.scrollWidth <= innerWidth];",
        );
        assert_eq!(
            fits,
            serde_json::json!(["visible", true, true, true]),
            "{width}px: no box of its own, and the whole grid in the window"
        );
        browser.eval("window.scrollTo(0, document.querySelector('table.matrix').offsetTop + 300);");
        let head = browser.wait_for(
            "Math.abs(document.querySelector('.matrix thead').getBoundingClientRect().top) < 2 && 'stuck'",
        );
        assert_eq!(
            head.as_str(),
            Some("stuck"),
            "{width}px: headers stick to the page"
        );
    }
}

#[test]
fn a_phone_gets_one_search_box_small_charts_and_a_list_of_who_owns_what() {
    let browser = browser_or_skip!();
    browser.window_size(390, 844);
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    let visible = |css: &str| {
        browser
            .eval(&format!(
                "return [...document.querySelectorAll('{css}')].filter(e => e.getClientRects().length).length"
            ))
            .as_u64()
            .unwrap()
    };
    for page in ["", "roles/delivery-driver/", "search/?q=refund"] {
        browser.goto(&format!("http://127.0.0.1:{}/{page}", server.port));
        browser.wait_for("document.readyState === 'complete'");
        assert_eq!(visible("input[type=search]"), 1, "/{page}: one search box");
        assert_eq!(visible(".search-key"), 0, "/{page}: no '/' hint on a phone");
    }
    browser.goto(&format!("http://127.0.0.1:{}/journey/", server.port));
    browser.wait_for("document.readyState === 'complete'");
    assert_eq!(visible(".journey-chart svg"), 0);
    assert_eq!(
        visible(".curve-multiple svg"),
        5,
        "one small chart per persona"
    );
    let fits = browser.eval(
        "return [...document.querySelectorAll('.curve-multiple svg')].every(s => s.getBoundingClientRect().right <= innerWidth)",
    );
    assert_eq!(fits.as_bool(), Some(true));
    browser.goto(&format!("http://127.0.0.1:{}/accountability/", server.port));
    browser.wait_for("document.readyState === 'complete'");
    assert_eq!(visible("table.matrix"), 0);
    assert_eq!(
        visible(".matrix-list .role-moments > li"),
        10,
        "every role, listed"
    );
    let fits = browser.eval("return document.documentElement.scrollWidth <= innerWidth");
    assert_eq!(fits.as_bool(), Some(true), "nothing runs off the side");
}
