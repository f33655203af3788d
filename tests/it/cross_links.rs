//! Every cross-link the site renders, checked in both directions on parsed HTML.

use crate::common;
use common::*;

fn built() -> (TestSite, Built) {
    let site = TestSite::new(&small_site());
    let built = site.build();
    (site, built)
}

#[test]
fn role_and_moment_link_each_other_through_ownership() {
    let (_s, b) = built();
    let role = b.page("roles/driver/");
    assert!(
        role.links_in("section[aria-labelledby=owns-h]")
            .contains(&"journey/core/delivery/".to_string())
    );
    assert!(
        role.links_in("section[aria-labelledby=supports-h]")
            .contains(&"journey/first-touch/booking/".to_string())
    );
    let moment = b.page("journey/core/delivery/");
    assert_eq!(
        moment.links_in("dl.owners dd:nth-of-type(1)"),
        vec!["roles/driver/"]
    );
    let booking = b.page("journey/first-touch/booking/");
    assert_eq!(
        booking.links_in("dl.owners dd:nth-of-type(2)"),
        vec!["roles/driver/"]
    );
    assert_eq!(
        booking.links_in("dl.owners dd:nth-of-type(1)"),
        vec!["roles/agent/"]
    );
}

#[test]
fn standard_shows_each_roles_behaviour_and_role_shows_it_at_its_moment() {
    let (_s, b) = built();
    let standard = b.page("standards/call-ahead/");
    assert!(
        standard
            .text("section[aria-labelledby=behaviours-h]")
            .contains("Phone ahead.")
    );
    assert!(
        standard
            .links_in("section[aria-labelledby=behaviours-h]")
            .contains(&"roles/driver/".to_string())
    );
    let role = b.page("roles/driver/");
    assert_eq!(
        role.links_in("#at-delivery .behaviour-standard"),
        vec!["standards/call-ahead/"]
    );
    assert!(role.text("#at-delivery").contains("Turn up unannounced."));
}

#[test]
fn mantras_link_to_standards_and_the_roles_that_live_them() {
    let (_s, b) = built();
    let mantra = b.page("mantras/no-surprises/");
    assert_eq!(
        mantra.links_in("section[aria-labelledby=standards-h]"),
        vec!["standards/call-ahead/"]
    );
    assert_eq!(
        mantra.links_in("section[aria-labelledby=roles-h]"),
        vec!["roles/driver/"]
    );
    let standard = b.page("standards/call-ahead/");
    assert!(
        standard
            .links_in(".mantra-grid")
            .contains(&"mantras/no-surprises/".to_string())
    );
    let role = b.page("roles/driver/");
    assert!(
        role.links_in(".mantra-chips")
            .contains(&"mantras/no-surprises/".to_string())
    );
}

#[test]
fn persona_claims_show_on_persona_moment_and_role_pages() {
    let (_s, b) = built();
    let persona = b.page("personas/parent/");
    assert!(
        persona
            .text("section[aria-labelledby=loves-h]")
            .contains("A precise window")
    );
    assert!(
        persona
            .links_in("section[aria-labelledby=loves-h]")
            .contains(&"journey/core/delivery/".to_string())
    );
    assert_eq!(
        persona.links_in("section[aria-labelledby=standards-h]"),
        vec!["standards/call-ahead/"]
    );
    let moment = b.page("journey/core/delivery/");
    assert!(
        moment
            .text("section[aria-labelledby=claims-h]")
            .contains("Waiting all day")
    );
    assert!(
        moment
            .links_in("section[aria-labelledby=claims-h]")
            .contains(&"personas/parent/".to_string())
    );
    let role = b.page("roles/driver/");
    assert!(
        role.text("#at-delivery").contains("A precise window"),
        "the moment's strongest love, on the role's card for it"
    );
    let standard = b.page("standards/call-ahead/");
    assert!(
        standard
            .links_in("section[aria-labelledby=personas-h]")
            .contains(&"personas/parent/".to_string())
    );
}

#[test]
fn stories_link_to_their_moments_standards_and_persona_and_back() {
    let (_s, b) = built();
    let story = b.page("stories/late-van/");
    let links = story.all_links();
    for target in [
        "journey/core/delivery/",
        "standards/call-ahead/",
        "personas/parent/",
    ] {
        assert!(links.contains(&target.to_string()), "story misses {target}");
    }
    for (page, section) in [
        (
            "journey/core/delivery/",
            "section[aria-labelledby=stories-h]",
        ),
        (
            "standards/call-ahead/",
            "section[aria-labelledby=stories-h]",
        ),
        ("personas/parent/", "section[aria-labelledby=stories-h]"),
        ("roles/driver/", "#at-delivery"),
    ] {
        let p = b.page(page);
        assert!(
            p.links_in(section)
                .contains(&"stories/late-van/".to_string()),
            "{page} misses the story"
        );
    }
}

#[test]
fn moments_show_standards_and_behaviours_aimed_at_them() {
    let (_s, b) = built();
    let moment = b.page("journey/core/delivery/");
    assert_eq!(
        moment.links_in("section[aria-labelledby=standards-h]"),
        vec!["standards/call-ahead/"]
    );
    assert!(
        moment
            .text("section[aria-labelledby=behaviours-h]")
            .contains("Phone ahead.")
    );
    assert!(
        moment
            .links_in("header .kind")
            .contains(&"journey/core/".to_string())
    );
    let stage = b.page("journey/core/");
    assert_eq!(
        stage.links_in(".moment-rows li > a:first-child"),
        vec!["journey/core/delivery/", "journey/core/refund/"]
    );
}

#[test]
fn body_links_resolve_and_are_shown_as_backlinks() {
    let (_s, b) = built();
    let faq = b.page("guides/faq/");
    assert_eq!(faq.text("h1"), "Questions");
    let links = faq.links_in(".prose");
    assert_eq!(
        links,
        vec!["standards/call-ahead/", "standards/call-ahead/"]
    );
    assert!(faq.text(".prose").contains("this one"));
    let standard = b.page("standards/call-ahead/");
    assert!(
        standard
            .links_in(".related")
            .contains(&"guides/faq/".to_string())
    );
    let role = b.page("roles/driver/");
    assert!(
        role.links_in(".related")
            .contains(&"standards/call-ahead/".to_string())
    );
    assert_eq!(
        standard.text(".prose a"),
        "Driver",
        "a bare wikilink shows the entity's title"
    );
}

#[test]
fn journey_matrix_and_onboarding_pages_exist_and_link_back() {
    let (_s, b) = built();
    let journey = b.page("journey/");
    let stages: Vec<String> = journey
        .select(".journey-stage > h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(stages, vec!["First touch", "Core"], "stages in order");
    assert!(
        journey
            .links_in(".journey-moment .owners")
            .contains(&"roles/driver/".to_string())
    );
    let matrix = b.page("accountability/");
    let driver_row = matrix
        .select("tbody tr")
        .into_iter()
        .find(|r| r.text().collect::<String>().contains("Driver"))
        .unwrap();
    let cells: Vec<String> = driver_row
        .select(&scraper::Selector::parse("td.cell").unwrap())
        .map(|c| c.value().attr("class").unwrap().to_string())
        .collect();
    assert_eq!(cells, vec!["cell supports", "cell owns", "cell "]);
    let onboarding = b.page("roles/driver/onboarding/");
    assert!(
        onboarding
            .text(".checklist")
            .contains("Ride along for a day")
    );
    assert!(
        onboarding
            .links_in(".page-header .kind")
            .contains(&"roles/driver/".to_string())
    );
    assert_eq!(onboarding.text("h1"), "Your first week as a driver");
    let role = b.page("roles/driver/");
    assert!(
        role.links_in(".button")
            .contains(&"roles/driver/onboarding/".to_string())
    );
}

#[test]
fn every_internal_link_points_at_a_page_that_exists() {
    let (_s, b) = built();
    for entry in walkdir::WalkDir::new(&b.out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.file_name().is_none_or(|n| n != "index.html") {
            continue;
        }
        let site_path = path
            .parent()
            .unwrap()
            .strip_prefix(&b.out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let site_path = if site_path.is_empty() {
            String::new()
        } else {
            format!("{site_path}/")
        };
        let page = b.page(&site_path);
        for link in page.all_links() {
            let target = link.split('#').next().unwrap();
            if link.starts_with('#') || link.contains("://") || target.is_empty() {
                continue;
            }
            let file = if target.ends_with('/') {
                b.out.join(target).join("index.html")
            } else {
                b.out.join(target)
            };
            assert!(file.exists(), "{site_path} links to missing {link}");
        }
    }
}

#[test]
fn wikilinks_name_the_kind_by_its_folder_name_or_plural() {
    let mut files = small_site();
    files.push((
        "content/guides/kinds.md",
        "---\ntitle: Kinds\n---\n[[roles/driver]] [[role/agent]] [[story/late-van]] \
         [[journey/core/delivery]] [[journey/core]] [[moments/refund]] [[stage/first-touch]]\n",
    ));
    let site = TestSite::new(&files);
    let page = site.build().page("guides/kinds/");
    assert_eq!(
        page.links_in(".prose"),
        [
            "roles/driver/",
            "roles/agent/",
            "stories/late-van/",
            "journey/core/delivery/",
            "journey/core/",
            "journey/core/refund/",
            "journey/first-touch/",
        ]
    );
}

#[test]
fn an_ambiguous_wikilink_hints_at_links_that_name_the_kind() {
    let mut files = small_site();
    files.push((
        "content/standards/delivery.md",
        "---\ntitle: Deliver on time\nstatement: On time.\n---\nSee [[delivery]].\n",
    ));
    let site = TestSite::new(&files);
    let errors = site.errors();
    let d = errors
        .iter()
        .find(|d| d.message.contains("could mean 2 things"))
        .unwrap_or_else(|| panic!("no ambiguity error: {errors:#?}"));
    assert_eq!(
        d.hint.as_deref(),
        Some("name the kind: [[standards/delivery]] or [[moment/delivery]]")
    );
}
