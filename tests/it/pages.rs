//! The pages that carry the playbook's purpose, read the way a person reads
//! them: a role built around its moments, a first week that keeps its ticks,
//! a chart with words and numbers, a home page that launches, and text that
//! counts and cuts the way people write.

use crate::common::*;

/// The small site plus what the role page must place: a behaviour aimed at
/// no moment, one aimed at a moment the role neither owns nor supports, a
/// story that opens with a salutation, and a second persona.
fn role_site() -> TestSite {
    TestSite::new(&role_site_files())
}

fn role_site_files() -> Vec<(&'static str, &'static str)> {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "content/roles/driver.md");
    files.push((
        "content/roles/driver.md",
        "---\ntitle: Driver\nteam: Operations\nowns: [delivery]\nsupports: [booking]\nbehaviours:\n  - standard: call-ahead\n    do: Phone ahead.\n    dont: Turn up unannounced.\n    moment: delivery\n  - standard: call-ahead\n    do: Smile.\n    dont: Sigh.\n  - standard: call-ahead\n    do: Sign the refund slip.\n    dont: Lose it.\n    moment: refund\nonboarding: [Ride along for a day, Read the stories]\n---\nThe face of the company. Drivers meet more customers than anyone.\n\n## Authority\n\nA driver may refuse a damaged item.\n",
    ));
    files.push((
        "content/stories/letter.md",
        "---\ntitle: A letter\npersona: parent\nmoments: [booking]\nsentiment: hate\n---\n> Dear Sir or Madam,\n>\n> I booked a slot and nobody came. I waited all day.\n",
    ));
    files.push((
        "content/personas/careful.md",
        "---\ntitle: Careful retiree\nname: Ann\nloves:\n  - text: Any kind word\n    moments: [delivery, booking, refund]\n    evidence: verified\n    source: survey\n  - text: A call the day before\n    moments: [delivery]\n    evidence: verified\n    source: survey\n---\n",
    ));
    files
}

#[test]
fn role_page_has_a_card_per_moment_in_journey_order() {
    let site = role_site();
    let built = site.build();
    let role = built.page("roles/driver/");
    assert_eq!(
        role.links_in("section[aria-labelledby=owns-h] .moment-card h3"),
        vec!["journey/core/delivery/"]
    );
    assert_eq!(
        role.links_in("section[aria-labelledby=supports-h] .moment-card h3"),
        vec!["journey/first-touch/booking/"]
    );
    assert_eq!(
        role.links_in("section[aria-labelledby=also-h] .moment-card h3"),
        vec!["journey/core/refund/"],
        "a behaviour aimed at another moment is not dropped"
    );
    let delivery = role.text("#at-delivery");
    assert!(delivery.contains("Phone ahead.") && delivery.contains("Turn up unannounced."));
    assert!(
        !delivery.contains("Smile."),
        "only this moment's behaviours"
    );
    assert!(
        role.text("section[aria-labelledby=everywhere-h]")
            .contains("Smile."),
        "a behaviour with no moment goes in the 'every moment' card"
    );
    assert!(
        !role.text("main").contains("At Delivery"),
        "no repeated 'At <moment>' under each behaviour"
    );
    assert_eq!(
        role.links_in("#at-delivery .card-standards"),
        vec!["standards/call-ahead/"]
    );
}

#[test]
fn a_moment_card_shows_its_strongest_love_and_hate_and_one_story() {
    let site = role_site();
    let built = site.build();
    let role = built.page("roles/driver/");
    let loves: Vec<String> = role
        .select("#at-delivery .claim-love .claim-text")
        .iter()
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(
        loves,
        vec!["Loves: A call the day before"],
        "one love: verified and aimed at this moment alone beats one spread over three,\n\
         then the first persona"
    );
    assert_eq!(role.select("#at-delivery .claim-hate").len(), 1);
    assert!(
        role.text("#at-delivery .more-claims")
            .contains("2 more loves and hates"),
        "{}",
        role.text("#at-delivery .more-claims")
    );
    assert_eq!(
        role.links_in("#at-booking .story-excerpt figcaption"),
        vec!["stories/letter/"]
    );
    assert_eq!(
        role.text("#at-booking .story-excerpt blockquote"),
        "I booked a slot and nobody came. I waited all day.",
        "the excerpt skips the salutation"
    );
}

#[test]
fn an_excerpt_names_a_bare_wikilink_by_the_entity_with_that_id() {
    let mut files = role_site_files();
    files.retain(|(p, _)| *p != "content/stories/letter.md");
    files.push((
        "content/stories/letter.md",
        "---\ntitle: A letter\npersona: parent\nmoments: [booking]\nsentiment: hate\n---\nAt [[booking]] the [[driver]] said [[call-ahead]] was [[parent|for me]].\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let role = built.page("roles/driver/");
    assert_eq!(
        role.text("#at-booking .story-excerpt blockquote"),
        "At Booking the Driver said Call ahead was for me."
    );
}

#[test]
fn role_page_leads_with_its_first_paragraph_and_has_an_on_this_page_menu() {
    let site = role_site();
    let built = site.build();
    let role = built.page("roles/driver/");
    assert_eq!(
        role.text(".role-lead"),
        "The face of the company. Drivers meet more customers than anyone."
    );
    let menu: Vec<String> = role
        .select("nav.page-toc a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        menu,
        vec![
            "#owns-h",
            "#at-delivery",
            "#supports-h",
            "#at-booking",
            "#also-h",
            "#at-refund",
            "#everywhere-h",
            "#authority",
            "#tasks-h"
        ]
    );
    for target in &menu {
        assert_eq!(
            role.select(&format!("[id='{}']", &target[1..])).len(),
            1,
            "{target} leads somewhere"
        );
    }
    assert_eq!(
        role.links_in(".mantra-chips .chips"),
        vec!["mantras/no-surprises/"]
    );
}

#[test]
fn onboarding_items_are_links_keyed_by_id_and_each_love_or_hate_shows_once() {
    let site = role_site();
    let built = site.build();
    let page = built.page("roles/driver/onboarding/");
    assert_eq!(page.text("h1"), "Your first week as a driver");
    let keys: Vec<String> = page
        .select(".checklist input[data-item]")
        .iter()
        .map(|i| i.value().attr("data-item").unwrap().to_string())
        .collect();
    assert_eq!(
        keys,
        vec![
            "mantra:no-surprises",
            "standard:call-ahead",
            "moment:booking",
            "moment:delivery",
            "story:late-van",
            "story:letter",
            "task:ride-along-for-a-day",
            "task:read-the-stories"
        ]
    );
    let legacy = page.select("input[data-item='standard:call-ahead']")[0]
        .value()
        .attr("data-legacy");
    assert_eq!(
        legacy,
        Some("standard-1"),
        "ticks saved by position carry over"
    );
    for label in page.select(".checklist label") {
        let text: String = label.text().collect();
        if text.contains("Ride along") || text.contains("Read the stories") {
            continue;
        }
        assert!(
            label
                .select(&scraper::Selector::parse("a").unwrap())
                .next()
                .is_some(),
            "every mantra, standard, moment and story is a link: {text}"
        );
    }
    let kind_words = page.text(".checklist").matches("Any kind word").count();
    assert_eq!(kind_words, 1, "a love touching three moments shows once");
}

#[test]
fn every_page_prints_its_site_name_and_address() {
    let site = TestSite::new(&small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"Test playbook\"\n[site]\nbase-url = \"https://intranet.example.com/cx/\"\n",
    );
    let built = site.build();
    let page = built.page("roles/driver/onboarding/");
    let meta = page.text(".print-meta");
    assert!(meta.starts_with("Test playbook"), "{meta}");
    assert!(
        meta.contains("https://intranet.example.com/cx/roles/driver/onboarding/"),
        "{meta}"
    );
    assert_eq!(
        page.select(".print-meta .print-date").len(),
        1,
        "the script writes the date printed"
    );
}

#[test]
fn a_journey_under_three_moments_explains_why_it_draws_no_curves() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "content/journey/core/refund.md");
    files.retain(|(p, _)| *p != "content/roles/agent.md");
    files.push((
        "content/roles/agent.md",
        "---\ntitle: Agent\nteam: Service\nowns: [booking]\n---\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let journey = built.page("journey/");
    assert!(
        journey.select("svg.curve-chart").is_empty(),
        "no broken cross"
    );
    assert_eq!(
        journey.text(".chart-empty"),
        "The curves appear once the journey has at least 3 moments; it has 2 moments."
    );
    let persona = built.page("personas/parent/");
    assert!(persona.select(".profile-curve").is_empty());
    assert!(persona.text(".profile-card").contains("Just tell me when."));
}

#[test]
fn a_journey_too_long_for_curves_says_so_instead_of_drawing_every_dot() {
    let site = TestSite::new(&small_site());
    for m in 0..300 {
        site.write(
            &format!("content/journey/core/extra-{m:03}.md"),
            &format!("---\ntitle: Extra moment {m}\n---\n"),
        );
    }
    let built = site.build();
    let journey = built.page("journey/");
    assert!(journey.select("svg.curve-chart").is_empty());
    let why = journey.text(".chart-empty");
    assert!(
        why.starts_with("The journey has 303 moments, too many for curves"),
        "{why}"
    );
    let persona = built.page("personas/parent/");
    assert!(persona.select(".profile-curve").is_empty());
    assert!(persona.text(".profile-card").contains("Just tell me when."));
}

#[test]
fn the_chart_says_in_words_what_it_draws() {
    let site = role_site();
    let built = site.build();
    let journey = built.page("journey/");
    let desc = journey.text(".journey-chart svg desc");
    assert!(
        desc.contains("Careful retiree: most loved at Delivery (+2), nothing hated."),
        "{desc}"
    );
    assert_eq!(
        journey
            .select(".journey-chart svg")
            .first()
            .unwrap()
            .value()
            .attr("role"),
        Some("img")
    );
    assert_eq!(
        journey.select(".curve-multiples .curve-multiple").len(),
        2,
        "one small chart per persona for phones"
    );
    assert_eq!(
        journey.select(".journey-chart .bands rect").len(),
        2,
        "one band per stage, under the stage columns"
    );
    assert_eq!(
        journey.select(".journey-chart .mot-line").len(),
        1,
        "the moment of truth is marked"
    );
    assert!(journey.text(".curves-notes").contains("moment of truth"));
}

#[test]
fn matrix_has_a_key_matching_its_marks_and_a_list_for_phones() {
    let mut files = small_site();
    files.push((
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\norder: 9\n---\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let matrix = built.page("accountability/");
    assert_eq!(matrix.select(".matrix-key .key-cell.owns").len(), 1);
    assert_eq!(matrix.select(".matrix-key .key-cell.supports").len(), 1);
    assert_eq!(
        matrix.select(".matrix-key .key-cell.gap").len(),
        1,
        "the tint of a column that needs attention is in the key"
    );
    assert_eq!(
        matrix.select("tbody td.col-gap").len(),
        2,
        "every cell under the unowned moment carries the tint, for both roles"
    );
    assert!(
        matrix.select("th.mot").len() == 1 && matrix.select("th.mot.unowned").is_empty(),
        "a moment of truth is starred, not tinted as a gap"
    );
    assert_eq!(
        matrix.links_in(".matrix-list .role-moments > li h3"),
        vec!["roles/driver/", "roles/agent/"]
    );
    assert_eq!(
        matrix.links_in(".matrix-gaps"),
        vec!["journey/core/orphan/"]
    );
}

#[test]
fn home_is_a_launcher_titled_by_its_index_page() {
    let mut files = small_site();
    files.push((
        "content/index.md",
        "---\ntitle: Welcome to the test playbook\n---\nHow we look after customers.\n\n## The long story\n\nMany words.\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let home = built.page("");
    assert_eq!(home.text(".hero h1"), "Welcome to the test playbook");
    assert_eq!(home.text(".hero .lead"), "How we look after customers.");
    assert_eq!(
        home.select("input[type=search]").len(),
        1,
        "one search box: the home page's own"
    );
    assert_eq!(
        home.links_in(".find-role"),
        vec!["roles/driver/", "roles/agent/"]
    );
    assert_eq!(
        home.links_in(".journey-glance .glance-stage"),
        vec!["journey/first-touch/", "journey/core/"]
    );
    assert_eq!(
        home.links_in(".glance-mots"),
        vec!["journey/core/delivery/"]
    );
    assert!(home.text(".home-more").contains("Many words."));
    assert!(
        !home.links_in(".site-nav").contains(&"health/".to_string()),
        "health is an authors' page"
    );
    assert!(
        home.links_in(".site-footer")
            .contains(&"health/".to_string())
    );
}

#[test]
fn counts_and_lists_read_like_sentences() {
    let site = role_site();
    let built = site.build();
    let roles = built.page("roles/");
    assert!(roles.text("main").contains("owns 1 moment"));
    assert!(roles.text("main").contains("owns 2 moments"));
    let stories = built.page("stories/");
    let letter = stories
        .select("li.card[data-sentiment=hate]")
        .into_iter()
        .find(|c| c.text().collect::<String>().contains("A letter"))
        .expect("the letter's card carries its sentiment");
    let text: String = letter.text().collect();
    assert!(text.contains("I booked a slot"), "{text}");
    assert!(!text.contains("Dear Sir"), "{text}");
    assert_eq!(
        stories.select("[data-sentiment-filter]").len(),
        1,
        "the list can be filtered by sentiment"
    );
    let health = built.page("health/");
    assert!(
        health
            .text("#all-clear")
            .contains("Moments of truth with more than one owner"),
        "sections with nothing to fix share one line"
    );
    assert!(health.select("#shared-moment-of-truth").is_empty());
}

#[test]
fn a_mantra_page_does_not_say_its_words_twice() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "content/mantras.yaml");
    files.push((
        "content/mantras.yaml",
        "- id: no-surprises\n  title: No surprises\n  text: No surprises.\n  meaning: They hear it from us first.\n- id: heard-once\n  title: Heard once\n  text: They told us once. That's enough.\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let same = built.page("mantras/no-surprises/");
    assert_eq!(same.text("h1"), "“No surprises.”");
    assert!(same.select(".mantra-big").is_empty());
    let different = built.page("mantras/heard-once/");
    assert_eq!(different.text("h1"), "Heard once");
    assert_eq!(
        different.text(".mantra-big"),
        "“They told us once. That's enough.”"
    );
}

#[test]
fn the_starter_site_builds_every_new_page() {
    let dir = tempfile::tempdir().unwrap();
    touchstone::init::init(dir.path(), false).unwrap();
    let site = TestSite { dir };
    let built = site.build();
    let home = built.page("");
    assert_eq!(home.text(".hero h1"), "Our Customer Experience Playbook");
    let role = built.page("roles/delivery-driver/");
    assert_eq!(
        role.links_in("section[aria-labelledby=owns-h] .moment-card h3"),
        vec!["journey/core/delivery-day/"]
    );
    let journey = built.page("journey/");
    assert!(journey.text(".chart-empty").contains("it has 1 moment."));
    let onboarding = built.page("roles/delivery-driver/onboarding/");
    assert_eq!(
        onboarding.text("h1"),
        "Your first week as a delivery driver"
    );
}

/// The snippet the search page shows for the result titled `title`. Cards
/// and snippets are grouped alike: the n-th card's snippet is the n-th
/// snippet of the file with the same name.
fn search_snippet(out: &std::path::Path, title: &str) -> serde_json::Value {
    let read = |dir: &str, name: &std::ffi::OsStr| -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(out.join("search").join(dir).join(name)).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    std::fs::read_dir(out.join("search/d"))
        .unwrap()
        .find_map(|f| {
            let name = f.unwrap().file_name();
            let at = read("d", &name).iter().position(|card| card[1] == title)?;
            Some(read("x", &name)[at].clone())
        })
        .unwrap_or_else(|| panic!("{title} is in the index"))
}

#[test]
fn a_search_snippet_leaves_out_the_headings() {
    let mut files = small_site();
    files.push((
        "content/guides/why.md",
        "---\ntitle: Why we call\n---\n## Why it matters\n\nEvery customer counts.\n\n## What to do\n\nPhone first.\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let snippet = search_snippet(&built.out, "Why we call");
    assert_eq!(snippet, "Every customer counts. Phone first.");
}

#[test]
fn a_role_search_snippet_is_its_text_not_its_team_again() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    assert_eq!(
        search_snippet(&built.out, "Driver"),
        "The face of the company."
    );
}

#[test]
fn standard_moment_and_persona_pages_have_an_on_this_page_menu() {
    let site = role_site();
    let built = site.build();
    for (page, first) in [
        ("standards/call-ahead/", "#behaviours-h"),
        ("journey/core/delivery/", "#standards-h"),
        ("personas/parent/", "#loves-h"),
    ] {
        let p = built.page(page);
        let menu: Vec<String> = p
            .select("nav.page-toc a")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(menu.first().map(String::as_str), Some(first), "{page}");
        for target in &menu {
            assert_eq!(
                p.select(&format!("[id='{}']", &target[1..])).len(),
                1,
                "{page}: {target} leads somewhere"
            );
        }
    }
}

#[test]
fn moments_a_role_lists_out_of_order_show_in_journey_order() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "content/roles/agent.md");
    files.push((
        "content/roles/agent.md",
        "---\ntitle: Agent\nteam: Service\nowns: [refund, booking]\n---\nAnswers the phone.\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    assert_eq!(
        built
            .page("roles/agent/")
            .links_in("section[aria-labelledby=owns-h] .moment-card h3"),
        vec!["journey/first-touch/booking/", "journey/core/refund/"],
        "booking comes first along the journey, whatever order `owns:` lists"
    );
}

#[test]
fn a_section_page_lists_the_pages_directly_in_its_folder() {
    let mut files = small_site();
    files.extend([
        ("content/guides/_index.md", "# Guides\n"),
        (
            "content/guides/zebra.md",
            "---\ntitle: Zebra\nweight: 1\n---\nText.\n",
        ),
        (
            "content/guides/apple.md",
            "---\ntitle: Apple\nweight: 2\n---\nText.\n",
        ),
        (
            "content/guides/mango.md",
            "---\ntitle: Mango\nweight: 2\n---\nText.\n",
        ),
        ("content/guides/orchard/_index.md", "# Orchard\n"),
        ("content/guides/orchard/seeds.md", "# Seeds\n\nText.\n"),
    ]);
    let site = TestSite::new(&files);
    let built = site.build();
    assert_eq!(
        built
            .page("guides/")
            .links_in("section[aria-labelledby=children-h]"),
        [
            "guides/zebra/",
            "guides/apple/",
            "guides/mango/",
            "guides/orchard/",
            "guides/faq/"
        ],
        "by weight, then title, pages without a weight last; a page two folders down is not listed here"
    );
    assert_eq!(
        built
            .page("guides/orchard/")
            .links_in("section[aria-labelledby=children-h]"),
        ["guides/orchard/seeds/"]
    );
    assert!(
        built
            .page("guides/orchard/seeds/")
            .select("section[aria-labelledby=children-h]")
            .is_empty(),
        "a page with nothing inside lists no section"
    );
}

/// Stages and moments whose journey order is neither their ids' order nor
/// the order their files load in.
fn journey_against_the_alphabet() -> TestSite {
    TestSite::new(&[
        ("book.toml", "[book]\ntitle = \"Order\"\n"),
        (
            "content/journey/a-end/_index.md",
            "---\ntitle: End\norder: 2\n---\n",
        ),
        ("content/journey/a-end/ant.md", "---\ntitle: Leave\n---\n"),
        (
            "content/journey/z-start/_index.md",
            "---\ntitle: Start\norder: 1\n---\n",
        ),
        (
            "content/journey/z-start/zed.md",
            "---\ntitle: Arrive\norder: 1\n---\n",
        ),
        (
            "content/journey/z-start/yak.md",
            "---\ntitle: Browse\norder: 1\n---\n",
        ),
        (
            "content/journey/z-start/cow.md",
            "---\ntitle: Pay\norder: 2\n---\n",
        ),
    ])
}

#[test]
fn the_journey_runs_by_stage_order_then_moment_order_then_title() {
    let site = journey_against_the_alphabet();
    let built = site.build();
    assert_eq!(
        built.page("journey/").links_in(".journey-map"),
        [
            "journey/z-start/",
            "journey/z-start/zed/",
            "journey/z-start/yak/",
            "journey/z-start/cow/",
            "journey/a-end/",
            "journey/a-end/ant/",
        ],
        "stage order 1 before 2; in a stage, order, then title on a tie"
    );
    let pay = built.page("journey/z-start/cow/");
    assert_eq!(pay.links_in("a[rel=prev]"), ["journey/z-start/yak/"]);
    assert_eq!(
        pay.links_in("a[rel=next]"),
        ["journey/a-end/ant/"],
        "the next moment may be in the next stage"
    );
}
