//! The `touchstone` binary as users run it: exit codes, formats, init, and the
//! sample playbook passing its own strictest check.

use crate::common;
use common::*;
use std::process::Command;

fn touchstone(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn the_sample_playbook_passes_check_strict() {
    let root = env!("CARGO_MANIFEST_DIR");
    let (code, _, err) = touchstone(
        &["check", "--strict", "--root", root],
        std::path::Path::new(root),
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn init_scaffolds_a_site_that_passes_check_strict_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = touchstone(&["init", "site"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("next: cd site && touchstone serve --open"),
        "says what to run next: {err}"
    );
    let site = dir.path().join("site");
    let (code, _, err) = touchstone(&["check", "--strict"], &site);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = touchstone(&["build"], &site);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built "), "{err}");
    assert!(
        site.join("public/roles/delivery-driver/index.html")
            .exists()
    );
    let (code, _, err) = touchstone(&["init", "site"], dir.path());
    assert_eq!(code, 2, "init never overwrites: {err}");
}

#[test]
fn init_sample_writes_the_whole_playbook() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = touchstone(&["init", "--sample", "demo"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = touchstone(&["check", "--strict", "--root", "demo"], dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn init_sample_without_a_folder_asks_for_one_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = touchstone(&["init", "--sample"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("which folder"), "{err}");
    assert!(err.contains("touchstone init --sample cx-sample"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn init_in_the_current_folder_suggests_serve_and_ignores_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let (code, _, err) = touchstone(&["init"], dir.path());
    assert_eq!(code, 0, "a folder holding only .git is a new site: {err}");
    assert!(err.contains("next: touchstone serve --open"), "{err}");
    assert!(dir.path().join("book.toml").exists());
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let (code, _, err) = touchstone(&["init"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not empty (it holds notes.txt)"), "{err}");
    assert!(err.contains("--force"), "names the way out: {err}");
    assert!(!dir.path().join("book.toml").exists(), "wrote nothing");

    let (code, _, err) = touchstone(&["init", "--force"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("content/index.md").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );

    std::fs::write(dir.path().join("book.toml"), "# edited").unwrap();
    let (code, _, err) = touchstone(&["init", "--sample", ".", "--force"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("never overwrites"), "{err}");
    let book = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    assert_eq!(book, "# edited", "--force never overwrites a file");
}

#[test]
fn content_errors_exit_1_with_compiler_style_output() {
    let site = TestSite::new(&small_site());
    site.write(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [booking, refnud]\n---\n",
    );
    let (code, _, err) = touchstone(&["check"], site.root());
    assert_eq!(code, 1);
    assert!(
        err.contains("error[unknown-reference]: there is no moment `refnud`"),
        "{err}"
    );
    assert!(err.contains("--> content/roles/agent.md:3:17"), "{err}");
    let (code, out, _) = touchstone(&["check", "--format", "json"], site.root());
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("stdout is one JSON array");
    let error = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(
        (error["file"].as_str(), error["line"].as_u64()),
        (Some("content/roles/agent.md"), Some(3))
    );
    let (_, out, _) = touchstone(&["check", "--format", "github"], site.root());
    assert!(
        out.contains("::error file=content/roles/agent.md,line=3,col=17,"),
        "{out}"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = touchstone(&["build"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("touchstone init"), "points at the fix: {err}");
    let (code, _, _) = touchstone(&["build", "--no-such-flag"], dir.path());
    assert_eq!(code, 2);
}

#[test]
fn warnings_pass_check_but_fail_strict() {
    let mut files = small_site();
    files.push((
        "content/journey/core/orphan.md",
        "---\ntitle: Orphan\n---\n",
    ));
    let site = TestSite::new(&files);
    let (code, _, err) = touchstone(&["check"], site.root());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[unowned-moment]"), "{err}");
    let (code, _, _) = touchstone(&["check", "--strict"], site.root());
    assert_eq!(code, 1);
}

#[test]
fn a_page_due_for_review_today_is_not_yet_overdue() {
    let mut files = small_site();
    files.push((
        "content/guides/today.md",
        "---\ntitle: Due today\nreview_by: 2026-03-01\n---\nText.\n",
    ));
    files.push((
        "content/guides/yesterday.md",
        "---\ntitle: Due yesterday\nreview_by: 2026-02-28\n---\nText.\n",
    ));
    let site = TestSite::new(&files);
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(["check", "--format", "json"])
        .current_dir(site.root())
        // 2026-03-01 12:00 UTC
        .env("SOURCE_DATE_EPOCH", "1772366400")
        .output()
        .unwrap();
    let overdue: Vec<String> = json_array(&String::from_utf8_lossy(&out.stdout))
        .iter()
        .filter(|d| d["code"] == "overdue-review")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        overdue,
        ["content/guides/yesterday.md"],
        "due today is still in time; due yesterday is overdue"
    );
}

#[test]
fn help_shows_examples_and_version_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = touchstone(&["--help"], dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("Examples:") && out.contains("touchstone check --strict"));
    let (_, out, _) = touchstone(&["--version"], dir.path());
    assert!(out.starts_with("touchstone "));
}

#[test]
fn check_fails_on_a_broken_link_in_the_built_output() {
    let site = TestSite::new(&small_site());
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost</p>{% endblock content %}",
    );
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.doc.title }}</h1><a href=\"{{ frame.root }}no-such-page/\">x</a><a href=\"{{ frame.root }}roles/driver/#nope\">y</a>{% endblock content %}",
    );
    let (code, _, err) = touchstone(&["check"], site.root());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[broken-output-link]") && err.contains("no-such-page/"),
        "{err}"
    );
    assert!(
        err.contains("error[broken-anchor]") && err.contains("#nope"),
        "{err}"
    );
    assert!(
        err.contains("content/stories/late-van.md"),
        "names the source of the page: {err}"
    );
}

/// The JSON array `check --format json` printed, whatever happened.
fn json_array(stdout: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout:?}"))
        .as_array()
        .unwrap_or_else(|| panic!("stdout is not a JSON array: {stdout}"))
        .clone()
}

#[test]
fn check_json_prints_an_array_on_every_exit() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(dir.path().join("file.txt"), "").unwrap();
    let cases: [(&[&str], i32, &str); 4] = [
        (&["--root", "no-such-folder"], 2, "is not a folder"),
        (&["--root", "file.txt"], 2, "is not a folder"),
        (&["--root", "empty"], 2, "no content folder"),
        (&["--no-such-flag"], 2, "--no-such-flag"),
    ];
    for (args, exit, says) in cases {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        let (code, out, _) = touchstone(&all, dir.path());
        assert_eq!(code, exit, "{args:?}");
        let diagnostics = json_array(&out);
        assert_eq!(diagnostics.len(), 1, "{args:?}: {out}");
        let d = &diagnostics[0];
        assert_eq!(d["severity"], "error", "{out}");
        assert!(d["message"].as_str().unwrap().contains(says), "{out}");
        let fields: Vec<&str> = d.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            fields,
            [
                "code", "column", "file", "hint", "line", "message", "severity"
            ]
        );
    }
    let site = TestSite::new(&small_site());
    let (code, out, _) = touchstone(&["check", "--format=json"], site.root());
    assert_eq!((code, json_array(&out).len()), (0, 0), "{out}");
}

/// A site whose own template writes two broken links into a story's page.
fn site_with_a_broken_template_link() -> TestSite {
    let site = TestSite::new(&small_site());
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.doc.title }}</h1>\n<a href=\"{{ frame.root }}no-such-page/\">x</a>\n{% endblock content %}\n",
    );
    site
}

#[test]
fn build_fails_on_the_output_errors_check_fails_on_and_writes_nothing() {
    let site = site_with_a_broken_template_link();
    let (check_code, check_out, _) = touchstone(&["check", "--format", "json"], site.root());
    let (build_code, _, build_err) = touchstone(&["build"], site.root());
    assert_eq!((check_code, build_code), (1, 1), "{build_err}");
    assert!(
        build_err.contains("error[broken-output-link]") && build_err.contains("no-such-page/"),
        "{build_err}"
    );
    assert!(!site.out().exists(), "a failing build writes nothing");
    let errors = json_array(&check_out);
    assert_eq!(errors.len(), 1, "{check_out}");
    assert_eq!(
        (errors[0]["file"].as_str(), errors[0]["line"].as_u64()),
        (Some("templates/story.html"), Some(4)),
        "the link is located in the template that wrote it"
    );
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("stories/late-van/index.html (from content/stories/late-van.md)"),
        "{check_out}"
    );
}

#[test]
fn a_broken_output_link_says_whether_a_page_or_an_asset_is_missing() {
    let site = TestSite::new(&small_site());
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<a href=\"{{ frame.root }}no-such-page/\">x</a>\n<img src=\"{{ frame.root }}no-such-image.png\" alt=\"\">\n{% endblock content %}\n",
    );
    let (_, out, _) = touchstone(&["check", "--format", "json"], site.root());
    let messages: Vec<String> = json_array(&out)
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(messages.len(), 2, "{out}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("links to a page that does not exist: `../../no-such-page/`")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("links to an asset that does not exist: `../../no-such-image.png`")),
        "{messages:#?}"
    );
}

#[test]
fn a_one_letter_broken_link_is_not_pinned_on_a_line_that_merely_holds_the_letter() {
    // `e` is on the story's title line; the link is not.
    let site = TestSite::new(&small_site());
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<a href=\"{{ frame.root }}e\">x</a>\n{% endblock content %}\n",
    );
    let (_, out, _) = touchstone(&["check", "--format", "json"], site.root());
    let errors = json_array(&out);
    assert_eq!(errors.len(), 1, "{out}");
    assert_eq!(
        (errors[0]["file"].as_str(), errors[0]["line"].as_u64()),
        (Some("content/stories/late-van.md"), Some(1)),
        "too short to find: the page's source as a whole, from its first line"
    );
}

#[test]
fn a_fragment_naming_a_meta_tag_or_a_class_is_a_broken_anchor() {
    // Only ids, and the `name` of an `<a>`, are places a link can land.
    let site = TestSite::new(&small_site());
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<a class=\"story-top\" name=\"top\" href=\"#top\">top</a>\n<a href=\"#viewport\">x</a>\n<a href=\"#story-top\">y</a>\n{% endblock content %}\n",
    );
    let (_, out, _) = touchstone(&["check", "--format", "json"], site.root());
    let broken: Vec<String> = json_array(&out)
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        broken.len(),
        2,
        "`#top` lands, the others do not: {broken:#?}"
    );
    assert!(
        broken.iter().any(|m| m.contains("#viewport")),
        "{broken:#?}"
    );
    assert!(
        broken.iter().any(|m| m.contains("#story-top")),
        "{broken:#?}"
    );
}

#[test]
fn an_anchor_on_the_not_found_page_is_a_place_a_link_can_land() {
    // The 404 page's own links are not checked (they are relative to the
    // base URL), but its ids are still there to link to.
    let site = TestSite::new(&small_site());
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<a href=\"{{ frame.root }}404.html#main\">x</a>\n<a href=\"{{ frame.root }}404.html#nowhere\">y</a>\n{% endblock content %}\n",
    );
    let (_, out, _) = touchstone(&["check", "--format", "json"], site.root());
    let broken: Vec<String> = json_array(&out)
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert!(broken[0].contains("404.html#nowhere"), "{broken:#?}");
}

#[test]
fn a_site_under_a_sub_path_checks_clean_with_its_not_found_page() {
    // The 404 page links from the base URL (`/cx/…`), wherever it is shown.
    let site = TestSite::new(&small_site());
    let (code, out, err) = touchstone(
        &[
            "check",
            "--base-url",
            "https://intranet.example.com/cx/",
            "--format",
            "json",
        ],
        site.root(),
    );
    assert_eq!((code, json_array(&out).len()), (0, 0), "{out}{err}");
    let (code, out, err) = touchstone(
        &["check", "--base-url", "/cx/", "--format", "json"],
        site.root(),
    );
    assert_eq!((code, json_array(&out).len()), (0, 0), "{out}{err}");
}

#[test]
fn output_diagnostics_name_a_line_for_github_annotations() {
    let site = site_with_a_broken_template_link();
    // A book's outline lists its chapters; a chapter left out of it is lost.
    site.write("content/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n");
    site.write("content/intro.md", "# Intro\n");
    site.write(
        "content/lost.md",
        "---\ntitle: Lost\n---\nNo page links here.\n",
    );
    let (_, out, _) = touchstone(&["check", "--format", "github"], site.root());
    assert!(
        out.contains("::error file=templates/story.html,line=4,title=broken-output-link::"),
        "{out}"
    );
    assert!(
        out.contains("::warning file=content/lost.md,line=1,title=orphan-page::"),
        "{out}"
    );
}

#[test]
fn an_output_inside_content_is_refused_when_the_site_is_named_relatively() {
    let site = TestSite::new(&small_site());
    site.write("book.toml", "[build]\noutput-dir = \"content/out\"\n");
    let (code, _, err) = touchstone(&["build", "--root", "."], site.root());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("overlaps the content folder"), "{err}");
    assert!(!site.root().join("content/out").exists());
}

#[test]
fn a_base_url_that_is_no_path_or_web_address_is_refused_where_it_is_written() {
    let site = TestSite::new(&small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[site]\nbase-url = \"javascript:alert(1)/\"\n",
    );
    let (code, _, err) = touchstone(&["build", "--root", "."], site.root());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[config]: base-url `javascript:alert(1)/` is neither a path nor an http or https address")
            && err.contains("book.toml:5:12"),
        "{err}"
    );
    site.write("book.toml", "[book]\ntitle = \"T\"\n");
    let (code, _, err) = touchstone(
        &["build", "--root", ".", "--base-url", "/cx/\" onload=\"x"],
        site.root(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--base-url: base-url `/cx/\" onload=\"x` holds `\\\"`"),
        "{err}"
    );
    assert!(!site.root().join("public").exists());
}
