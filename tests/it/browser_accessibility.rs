//! axe-core in headless Chromium: no serious or critical accessibility
//! violations on any kind of page, at laptop and phone widths (a phone gets
//! other parts: small charts, the per-role list). `.ci/run` installs axe-core from
//! npm and points `AXE_JS` at it.

use crate::common;
use common::http::Server;

#[test]
fn every_page_kind_has_no_serious_or_critical_violations() {
    let Some(axe_path) = std::env::var_os("AXE_JS") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set AXE_JS to axe.min.js"
        );
        common::skip("set AXE_JS to axe-core's axe.min.js to run");
        return;
    };
    let axe = std::fs::read_to_string(axe_path).expect("AXE_JS is readable");
    let browser = browser_or_skip!();
    let sample = common::sample_copy();
    let server = Server::start(sample.root(), &[]);
    let pages = [
        "",
        "roles/delivery-driver/",
        "journey/core/delivery-day/",
        "standards/tell-us-once/",
        "personas/juggling-parent/",
        "journey/",
        "accountability/",
        "health/",
        "changes/",
        "search/?q=refund",
        "roles/delivery-driver/onboarding/",
        "guides/how-to-write-a-standard/",
        "standards/",
        "mantras/",
        "mantras/heard-once/",
        "mantras/call-before-they-chase/",
        "roles/",
        "personas/",
        "stories/",
        "stories/they-knocked/",
        "journey/core/",
        "404.html",
    ];
    let mut problems = Vec::new();
    for (width, height, page) in [(1280, 900), (390, 844)]
        .into_iter()
        .flat_map(|(w, h)| pages.iter().map(move |p| (w, h, *p)))
    {
        browser.window_size(width, height);
        browser.goto(&format!("http://127.0.0.1:{}/{page}", server.port));
        browser.wait_for("document.readyState === 'complete'");
        browser.eval(&format!("{axe}\nreturn true;"));
        let violations = browser.eval_async(
            "const done = arguments[0]; axe.run(document, { resultTypes: ['violations'] }).then(r => done(\
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))));",
        );
        for v in violations.as_array().unwrap() {
            problems.push(format!("/{page} at {width}px: {}", v.as_str().unwrap()));
        }
    }
    assert!(
        problems.is_empty(),
        "accessibility violations:\n{}",
        problems.join("\n")
    );
}
