//! The journey map and matrix of a large playbook (5 stages x 40 moments,
//! 60 roles) stay inside the page in a real browser: they scroll in their
//! box, the chart's stage bands under the stage columns.

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
    browser.wait_for("document.readyState === 'complete'");
    let sizes = browser.eval(
        "const s = document.querySelector('.journey-chart svg').getBoundingClientRect(); \
         const box = document.querySelector('.journey-map'); \
         return [s.width, box.clientWidth, box.scrollWidth];",
    );
    let [svg_width, box_width, scroll_width] = [
        sizes[0].as_f64().unwrap(),
        sizes[1].as_f64().unwrap(),
        sizes[2].as_f64().unwrap(),
    ];
    assert!(
        svg_width >= 40.0 * 5.0 * 30.0,
        "40 moments a stage keep their points apart: {svg_width}"
    );
    assert!(
        box_width < svg_width && scroll_width >= svg_width - 1.0,
        "and the map and chart scroll together in their box: {box_width} / {scroll_width}"
    );
    let misaligned = browser.eval(
        "const bands = [...document.querySelectorAll('.journey-chart .bands rect')]; \
         const stages = [...document.querySelectorAll('.journey-stage')]; \
         const mid = r => (r.left + r.right) / 2; \
         return stages.map((s, i) => Math.abs(mid(s.getBoundingClientRect()) - mid(bands[i].getBoundingClientRect()))) \
           .filter(d => d > 2);",
    );
    assert_eq!(
        misaligned,
        serde_json::json!([]),
        "each stage's band sits under its column"
    );
}
