//! What lands on disk: atomic replacement, byte-identical rebuilds, sub-path
//! hosting, and refusing to delete folders that are not Touchstone's.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    let before = snapshot(&built.out);
    site.write(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [nowhere]\n---\n",
    );
    assert!(touchstone::build(&site.options()).is_err());
    assert_eq!(
        snapshot(&built.out),
        before,
        "the last good site is still there, whole"
    );
    assert_no_half_written_folder(&site);
}

#[test]
fn a_build_failing_its_link_check_leaves_the_previous_site_untouched() {
    // Pages are written as they render, before the output's links are
    // checked: a broken link found then must still leave nothing behind.
    let site = TestSite::new(&small_site());
    let built = site.build();
    let before = snapshot(&built.out);
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ frame.root }}no-such-page/\">x</a>{% endblock content %}",
    );
    match touchstone::build(&site.options()) {
        Err(touchstone::Failure::Content { diagnostics, .. }) => assert!(
            diagnostics.iter().any(|d| d.code == "broken-output-link"),
            "{diagnostics:#?}"
        ),
        other => panic!("expected a broken output link, got {:?}", other.map(|_| ())),
    }
    assert_eq!(
        snapshot(&built.out),
        before,
        "the last good site is still there, whole"
    );
    assert_no_half_written_folder(&site);
}

#[test]
fn rebuilding_the_same_content_is_byte_identical() {
    let site = TestSite::new(&small_site());
    let first = snapshot(&site.build().out);
    let second = snapshot(&site.build().out);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "some file differs between two builds");
}

#[test]
fn a_site_s_own_template_lists_maps_in_one_order_on_every_build() {
    // A custom template may loop over what it is given (a page's free-form
    // `extra:`, its view, groups `group_by` makes) or print it whole: each
    // must come out in one order, build after build.
    let lists = concat!(
        "<p id=\"extra\">{% if page.doc is defined and page.doc.extra is map %}{% for key, value in page.doc.extra %}{{ key }}={{ value }};{% endfor %}{% endif %}</p>\n",
        "<p id=\"groups\">{% for section, items in site.nav | group_by(attribute=\"section\") %}{{ section }};{% endfor %}</p>\n",
        "<p id=\"view\">{% if page is map %}{% for key, value in page %}{{ key }};{% endfor %}{% endif %}</p>\n",
        "<pre>{{ page }} {{ frame }} {{ site }}</pre>\n</body>",
    );
    let base = include_str!("../../themes/default/templates/base.html").replace("</body>", lists);
    let mut files = small_site();
    files.push(("templates/base.html", &base));
    let site = TestSite::new(&files);
    site.write(
        "content/roles/agent.md",
        "---\ntitle: Agent\nteam: Service\nowns: [booking, refund]\nextra:\n  zeta: 1\n  alpha: two\n  middle: [a, b]\n  beta: {c: 3, b: 2}\n---\nAnswers the phone.\n",
    );
    let built = site.build();
    let page = built.page("roles/agent/");
    let extra = page.text("#extra");
    let order = ["alpha=", "beta=", "middle=", "zeta="].map(|key| extra.find(key));
    assert!(
        order.iter().all(Option::is_some) && order.is_sorted(),
        "extra's fields by name: {extra}"
    );
    assert_eq!(
        page.text("#groups"),
        "accountability;guides;journey;mantras;personas;roles;standards;stories;",
        "groups in their keys' order"
    );
    let view = page.text("#view");
    assert!(view.contains("doc;"), "{view}");
    let first = snapshot(&built.out);
    let second = snapshot(&site.build().out);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn a_build_writes_the_search_index_a_compile_in_memory_makes() {
    // A build indexes without keeping the index's memo; serve compiles in
    // memory and keeps it. Both must give the same files.
    let site = TestSite::new(&small_site());
    let built = snapshot(&site.build().out);
    let compiled = touchstone::compile(&site.options()).expect("compiles");
    let in_memory: BTreeMap<String, Vec<u8>> = compiled
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect();
    let search = |files: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .filter(|(path, _)| path.starts_with("search/"))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect()
    };
    let index = search(&in_memory);
    assert!(index.len() > 3, "{:?}", index.keys());
    assert!(search(&built) == index, "the built index differs");
}

#[test]
fn a_deleted_page_disappears_on_rebuild() {
    let site = TestSite::new(&small_site());
    site.build();
    std::fs::remove_file(site.root().join("content/guides/faq.md")).unwrap();
    let built = site.build();
    assert!(!built.out.join("guides/faq/index.html").exists());
}

#[test]
fn links_work_under_a_sub_path_and_absolute_urls_carry_it() {
    let site = TestSite::new(&small_site());
    let options = touchstone::BuildOptions {
        base_url: Some("https://intranet.example.com/cx/".into()),
        ..site.options()
    };
    let built = site.build_with(options);
    let role = built.page("roles/driver/");
    let hrefs: Vec<&str> = role
        .select("a[href]")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(
        hrefs.iter().all(|h| !h.starts_with('/')),
        "no root-absolute links: {hrefs:?}"
    );
    let canonical = role.select("link[rel=canonical]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(canonical, "https://intranet.example.com/cx/roles/driver/");
    let sitemap = built.file("sitemap.xml");
    assert!(sitemap.contains("<loc>https://intranet.example.com/cx/roles/driver/</loc>"));
    let not_found = scraper::Html::parse_document(&built.file("404.html"));
    let css = scraper::Selector::parse("link[rel=stylesheet]").unwrap();
    let href = not_found
        .select(&css)
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap();
    assert!(
        href.starts_with("https://intranet.example.com/cx/static/style."),
        "404 works at any depth: {href}"
    );
}

#[test]
fn a_sub_path_base_url_gives_root_relative_404_assets() {
    let site = TestSite::new(&small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[site]\nbase-url = \"/cx/\"\n",
    );
    let built = site.build();
    let not_found = built.file("404.html");
    assert!(
        not_found.contains("href=\"/cx/static/style."),
        "{not_found}"
    );
}

#[test]
fn refuses_to_replace_a_folder_touchstone_did_not_write() {
    let site = TestSite::new(&small_site());
    site.write("public/precious.txt", "do not delete");
    let Err(err) = touchstone::build(&site.options()) else {
        panic!("build must refuse")
    };
    assert_eq!(err.exit_code(), 2);
    assert!(format!("{err:?}").contains("not written by Touchstone"));
    assert!(site.root().join("public/precious.txt").exists());
    let into_root = touchstone::BuildOptions {
        output: Some(site.root().to_path_buf()),
        ..site.options()
    };
    assert!(touchstone::build(&into_root).is_err());
    assert!(site.root().join("content").exists());
}

#[test]
fn drafts_are_left_out_of_build_and_kept_with_drafts() {
    let mut files = small_site();
    files.push((
        "content/guides/wip.md",
        "---\ntitle: Work in progress\ndraft: true\n---\nSoon.\n",
    ));
    let site = TestSite::new(&files);
    assert!(!site.build().out.join("guides/wip/index.html").exists());
    let with_drafts = site.build_with(touchstone::BuildOptions {
        drafts: true,
        ..site.options()
    });
    assert_eq!(
        with_drafts.page("guides/wip/").text(".badge-draft"),
        "Draft"
    );
}

#[test]
fn css_and_js_names_carry_a_content_hash() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    let names: Vec<String> = std::fs::read_dir(built.out.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("style.")
            && n.ends_with(".css")
            && n.len() == "style.12345678.css".len()),
        "{names:?}"
    );
    let home = built.page("");
    let css = home.select("link[rel=stylesheet]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(
        built.out.join(css.trim_start_matches("./")).exists(),
        "{css}"
    );
}

#[test]
fn assets_are_copied_and_relative_links_to_them_rebased() {
    let mut files = small_site();
    files.push((
        "content/guides/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    ));
    files.push((
        "content/guides/with-image.md",
        "# Map\n\n![The map](map.svg)\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    assert!(built.out.join("guides/map.svg").exists());
    let page = built.page("guides/with-image/");
    let src = page.select(".prose img")[0]
        .value()
        .attr("src")
        .unwrap()
        .to_string();
    assert_eq!(resolve("guides/with-image/", &src), "guides/map.svg");
}

/// A failed build leaves no staging folder beside the output.
fn assert_no_half_written_folder(site: &TestSite) {
    let stray: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        stray
            .iter()
            .all(|n| !n.to_string_lossy().contains("building")),
        "no half-written folder: {stray:?}"
    );
}

#[test]
fn references_to_left_out_drafts_go_with_them_and_drafts_bring_them_back() {
    let mut files = small_site();
    files.extend([
        (
            "content/standards/wave.md",
            "---\ntitle: Wave hello\nstatement: We wave.\ndraft: true\nmantras: [no-surprises]\n---\n",
        ),
        (
            "content/journey/core/handover.md",
            "---\ntitle: Handover\norder: 3\ndraft: true\n---\n",
        ),
        (
            "content/journey/later/_index.md",
            "---\ntitle: Later\norder: 9\ndraft: true\n---\n",
        ),
        ("content/journey/later/survey.md", "---\ntitle: Survey\n---\n"),
        (
            "content/personas/critic.md",
            "---\ntitle: Critic\ndraft: true\n---\n",
        ),
        (
            "content/roles/courier.md",
            "---\ntitle: Courier\nowns: [handover, survey]\nsupports: [delivery]\nbehaviours:\n  - standard: wave\n    do: Wave.\n  - standard: call-ahead\n    do: Ring.\n    moment: handover\n  - standard: call-ahead\n    do: Knock.\n    moment: delivery\n---\n",
        ),
        (
            "content/stories/quiet.md",
            "---\ntitle: The quiet one\npersona: critic\nmoments: [handover, delivery]\nstandards: [wave, call-ahead]\nsentiment: love\n---\nFine.\n",
        ),
    ]);
    // The drafts' references from the site's own files.
    let standard = files
        .iter_mut()
        .find(|(path, _)| *path == "content/standards/call-ahead.md")
        .unwrap();
    standard.1 = "---\ntitle: Call ahead\nstatement: We call before they chase.\nmantras: [no-surprises, hush]\nmoments: [delivery, handover, survey]\npersonas: [parent, critic]\n---\nWhy.\n";
    let persona = files
        .iter_mut()
        .find(|(path, _)| *path == "content/personas/parent.md")
        .unwrap();
    persona.1 = "---\ntitle: Busy parent\nloves:\n  - text: A precise window\n    moments: [delivery, handover]\n    evidence: verified\n    source: interviews\n---\n";
    let mantras = files
        .iter_mut()
        .find(|(path, _)| *path == "content/mantras.yaml")
        .unwrap();
    mantras.1 = "- id: no-surprises\n  text: No surprises\n  standards: [call-ahead, wave]\n- id: hush\n  text: Hush\n  draft: true\n";
    let site = TestSite::new(&files);
    // Without drafts every link to one is gone: the output check passes,
    // and the pages that named them show what is left.
    let built = site.build();
    for gone in [
        "standards/wave/",
        "mantras/hush/",
        "journey/core/handover/",
        "journey/later/survey/",
        "personas/critic/",
    ] {
        assert!(!built.out.join(gone).join("index.html").exists(), "{gone}");
    }
    shows(
        &built,
        "roles/courier/",
        &["Knock."],
        &["Wave.", "Ring.", "handover/", "survey/"],
    );
    shows(
        &built,
        "stories/quiet/",
        &["standards/call-ahead/", "journey/core/delivery/"],
        &["critic/", "handover/", "standards/wave/"],
    );
    shows(
        &built,
        "standards/call-ahead/",
        &["mantras/no-surprises/", "personas/parent/"],
        &["mantras/hush/", "personas/critic/", "handover/", "survey/"],
    );
    shows(
        &built,
        "mantras/no-surprises/",
        &["standards/call-ahead/"],
        &["standards/wave/"],
    );
    shows(
        &built,
        "personas/parent/",
        &["journey/core/delivery/"],
        &["handover/"],
    );
    // With drafts, each comes back where it was named.
    let with_drafts = site.build_with(touchstone::BuildOptions {
        drafts: true,
        ..site.options()
    });
    shows(
        &with_drafts,
        "roles/courier/",
        &["Wave.", "Ring.", "handover/"],
        &[],
    );
    shows(
        &with_drafts,
        "stories/quiet/",
        &["personas/critic/", "standards/wave/"],
        &[],
    );
}

/// Asserts that the page at `path` holds each of `kept` and none of `gone`.
fn shows(built: &Built, path: &str, kept: &[&str], gone: &[&str]) {
    let html = built.file(&format!("{path}index.html"));
    let missing: Vec<&&str> = kept.iter().filter(|k| !html.contains(*k)).collect();
    let left: Vec<&&str> = gone.iter().filter(|g| html.contains(*g)).collect();
    assert!(
        missing.is_empty() && left.is_empty(),
        "{path}: missing {missing:?}, still there {left:?}"
    );
}
