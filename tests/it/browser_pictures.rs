//! The journey map and matrix of a large playbook (5 stages x 40 moments,
//! 60 roles) stay inside the page in a real browser: they scroll in their box.

use crate::common;
use common::http::Server;

fn large_site() -> common::TestSite {
    let site = common::TestSite::new(&[("book.toml", "[book]\ntitle = \"Large\"\n")]);
    let stages = ["pre-touch", "first-touch", "core", "last-touch", "in-touch"];
    for (s, stage) in stages.iter().enumerate() {
        site.write(
            &format!("content/journey/{stage}/_index.md"),
            &format!("---\norder: {}\n---\n", s + 1),
        );
        for m in 0..40 {
            site.write(
                &format!("content/journey/{stage}/{stage}-moment-{m:02}.md"),
                &format!(
                    "---\ntitle: A fairly long moment name number {m} of {stage}\norder: {m}\n---\n"
                ),
            );
        }
    }
    for r in 0..60 {
        let stage = stages[r % 5];
        let owns: Vec<String> = (0..40)
            .filter(|m| m % 12 == r / 5)
            .map(|m| format!("{stage}-moment-{m:02}"))
            .collect();
        site.write(
            &format!("content/roles/role-{r:02}.md"),
            &format!(
                "---\ntitle: Role with a long title number {r}\nteam: Team {}\nowns: [{}]\n---\n",
                r % 6,
                owns.join(", ")
            ),
        );
    }
    site.write("content/personas/p.md", "---\ntitle: P\nloves:\n  - text: x\n    moments: [core-moment-01]\n    evidence: verified\n    source: s\n---\n");
    site
}

#[test]
fn large_journey_and_matrix_never_overflow_the_page() {
    let browser = browser_or_skip!();
    let site = large_site();
    let server = Server::start(site.root(), &[]);
    for page in ["journey/", "accountability/"] {
        browser.goto(&format!("http://127.0.0.1:{}/{page}", server.port));
        browser.wait_for("document.readyState === 'complete'");
        let fits =
            browser.eval("return document.documentElement.scrollWidth <= window.innerWidth + 1");
        assert_eq!(
            fits.as_bool(),
            Some(true),
            "{page} overflows the page width"
        );
        let links = browser
            .eval("return document.querySelectorAll('main a[href*=\"journey/\"]').length")
            .as_u64()
            .unwrap();
        assert!(links >= 200, "{page}: every moment is linked ({links})");
    }
    browser.goto(&format!("http://127.0.0.1:{}/journey/", server.port));
    let svg = browser.eval(
        "const s = document.querySelector('svg.journey-chart').getBoundingClientRect(); \
         const box = document.querySelector('.chart-scroll'); \
         return [s.width, box.clientWidth, box.scrollWidth];",
    );
    let [svg_width, box_width, scroll_width] = [
        svg[0].as_f64().unwrap(),
        svg[1].as_f64().unwrap(),
        svg[2].as_f64().unwrap(),
    ];
    assert!(
        svg_width >= 200.0 * 40.0 / 10.0,
        "the chart is drawn at full size: {svg_width}"
    );
    assert!(
        box_width < svg_width && scroll_width >= svg_width - 1.0,
        "and scrolls inside its box: {box_width} / {scroll_width}"
    );
}
