//! The journey map, accountability matrix, health page and onboarding path:
//! their structure, checked against the content that produced them.

use crate::common;
use common::*;

#[test]
fn journey_map_has_a_column_per_stage_and_every_moment_with_its_owners() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    let journey = built.page("journey/");
    let columns = journey.select(".journey-stage");
    assert_eq!(columns.len(), 2);
    assert_eq!(
        journey.links_in(".journey-stage > h2"),
        vec!["journey/first-touch/", "journey/core/"]
    );
    assert_eq!(
        journey.links_in(".journey-moment > a:first-child"),
        vec![
            "journey/first-touch/booking/",
            "journey/core/delivery/",
            "journey/core/refund/"
        ]
    );
    let delivery = journey.select(".journey-moment.is-mot");
    assert_eq!(delivery.len(), 1, "the moment of truth is marked");
    assert_eq!(
        journey.links_in(".journey-moment.is-mot .owners"),
        vec!["roles/driver/"]
    );
}

#[test]
fn persona_curves_are_love_minus_hate_at_each_moment() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "content/personas/parent.md");
    files.push((
        "content/personas/parent.md",
        "---\ntitle: Busy parent\nloves:\n  - text: A\n    moments: [delivery, booking]\n    evidence: verified\n    source: s\n  - text: B\n    moments: [delivery]\n    evidence: verified\n    source: s\nhates:\n  - text: C\n    moments: [refund]\n    evidence: verified\n    source: s\n---\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let journey = built.page("journey/");
    let rows: Vec<String> = journey
        .select(".chart-table tbody tr")
        .iter()
        .map(|r| {
            let cells: Vec<&str> = r.text().map(str::trim).filter(|t| !t.is_empty()).collect();
            cells.join(" ")
        })
        .collect();
    // booking, delivery, refund in journey order; a true minus sign
    assert_eq!(
        rows,
        vec![
            "1 Booking First touch +1",
            "2 Delivery ★ (moment of truth) Core +2",
            "3 Refund Core −1"
        ]
    );
    let curve = journey.select("g.curve-group[data-persona=parent] polyline.curve")[0];
    let points: Vec<f64> = curve
        .value()
        .attr("points")
        .unwrap()
        .split(' ')
        .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(
        points[1] < points[0] && points[0] < points[2],
        "higher love draws higher: {points:?}"
    );
    assert_eq!(
        journey.select(".journey-chart .moment-number").len(),
        3,
        "every moment is numbered under the chart"
    );
    assert_eq!(
        journey.links_in(".legend li[data-persona=parent]"),
        vec!["personas/parent/"],
        "the legend names the curve it highlights"
    );
    let persona = built.page("personas/parent/");
    assert_eq!(
        persona
            .select(".profile-curve g.curve-group[data-persona=parent]")
            .len(),
        1,
        "the persona page draws its own curve"
    );
}

#[test]
fn accountability_matrix_counts_and_highlights_gaps() {
    let mut files = small_site();
    files.push((
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\norder: 9\n---\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let matrix = built.page("accountability/");
    let headers: Vec<String> = matrix
        .select("th.moment-col")
        .iter()
        .map(|h| h.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(headers.len(), 4, "{headers:?}");
    assert_eq!(
        matrix.select("th.moment-col.unowned").len(),
        1,
        "the unowned moment is highlighted"
    );
    let owners: Vec<String> = matrix
        .select("tfoot tr:first-child td.count")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(owners, vec!["1", "1", "1", "0"]);
    let csv = built.file("accountability/accountability.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "team,role,first-touch / Booking,core / Delivery,core / Refund,core / Orphan"
    );
    assert!(csv.contains("Operations,Driver,supports,owns,,"), "{csv}");
    assert!(csv.contains("Service,Agent,owns,,owns,"), "{csv}");
}

#[test]
fn health_page_lists_each_gap_with_a_link_to_fix_it() {
    let mut files = small_site();
    files.push((
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\n---\n",
    ));
    files.push(("content/standards/lonely.md", "---\ntitle: Lonely\n---\n"));
    let site = TestSite::new(&files);
    let built = site.build();
    let health = built.page("health/");
    assert_eq!(
        health.links_in("#unowned-moment .health-list"),
        vec!["journey/core/orphan/"]
    );
    assert_eq!(
        health.links_in("#standard-without-behaviour .health-list"),
        vec!["standards/lonely/"]
    );
    let counts: Vec<String> = health
        .select(".health-counts .stat-value")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(&counts[..2], &["1".to_string(), "0".to_string()]);
}

#[test]
fn onboarding_path_is_an_ordered_checklist_of_what_the_role_needs() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    let page = built.page("roles/driver/onboarding/");
    let steps: Vec<String> = page
        .select(".checklist > li > h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(
        steps,
        vec![
            "Learn the mantras",
            "Know the standards and what you do for each",
            "Walk through your moments",
            "Read the stories",
            "Do these tasks"
        ]
    );
    let boxes = page.select(".checklist input[type=checkbox][data-item]");
    assert_eq!(
        boxes.len(),
        1 + 1 + 2 + 1 + 1,
        "mantra, standard, two moments, story, task"
    );
    assert!(
        page.text(".checklist").contains("A precise window"),
        "persona loves at its moments"
    );
    assert_eq!(
        page.select("[data-storage-key='touchstone:onboarding:driver']")
            .len(),
        1
    );
}

#[test]
fn standards_and_roles_show_their_mantras_and_home_offers_find_your_role() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    let home = built.page("");
    assert!(
        home.links_in(".mantra-chips")
            .contains(&"mantras/no-surprises/".to_string())
    );
    assert_eq!(
        home.links_in(".find-role"),
        vec!["roles/driver/", "roles/agent/"]
    );
}

#[test]
fn a_matrix_too_large_for_a_grid_lists_each_roles_moments_instead() {
    let site = TestSite::new(&[("book.toml", "[book]\ntitle = \"Big\"\n")]);
    for m in 0..160 {
        site.write(
            &format!("content/journey/core/m{m:03}.md"),
            &format!("---\ntitle: Moment {m}\norder: {m}\n---\n"),
        );
    }
    for r in 0..200 {
        let owns = if r < 160 {
            format!("[m{r:03}]")
        } else {
            "[]".to_string()
        };
        site.write(
            &format!("content/roles/r{r:03}.md"),
            &format!(
                "---\ntitle: Role {r}\nteam: T{}\nowns: {owns}\n---\n",
                r % 4
            ),
        );
    }
    let built = site.build();
    let matrix = built.page("accountability/");
    assert!(
        matrix.select("table.matrix").is_empty(),
        "no 32,000-cell grid"
    );
    assert_eq!(matrix.select(".role-moments > li").len(), 200);
    let first_of_each_team = matrix.links_in(".role-moments > li:first-child p");
    assert_eq!(
        first_of_each_team,
        vec![
            "journey/core/m000/",
            "journey/core/m001/",
            "journey/core/m002/",
            "journey/core/m003/"
        ]
    );
    let csv = built.file("accountability/accountability.csv");
    assert_eq!(csv.lines().next(), Some("team,role,stage,moment,relation"));
    assert_eq!(
        csv.lines().count(),
        1 + 160,
        "one row per role and moment it owns: linear in the playbook"
    );
}

#[test]
fn accountability_csv_cells_never_start_a_formula() {
    let mut files = small_site();
    files.push((
        "content/roles/crafted.md",
        "---\ntitle: \"=HYPERLINK(\\\"http://evil.example/\\\",\\\"Open\\\")\"\nteam: \"@SUM(1+1)*cmd|' /C calc'!A0\"\nowns: [refund]\n---\n",
    ));
    files.push((
        "content/roles/sum.md",
        "---\ntitle: \"-2+3\"\nteam: \"Ops;=1+1\"\nsupports: [refund]\n---\n",
    ));
    let site = TestSite::new(&files);
    let csv = site.build().file("accountability/accountability.csv");
    let crafted = csv
        .lines()
        .find(|l| l.contains("evil"))
        .expect("crafted row");
    assert!(
        crafted.starts_with("'@SUM(1+1)*cmd|' /C calc'!A0,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"Open\"\")\","),
        "{crafted}"
    );
    let sum = csv.lines().find(|l| l.contains("2+3")).expect("sum row");
    assert!(sum.starts_with("\"Ops;=1+1\",'-2+3,"), "{sum}");
    for line in csv.lines() {
        assert!(!line.starts_with(['=', '+', '-', '@']), "{line}");
    }
}
