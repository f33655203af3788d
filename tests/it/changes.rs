//! "What changed": the change log page, its Atom feed and the home page's
//! latest changes, from a site kept in a temp git repository with a few
//! commits made on known days.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Runs git in `dir` with a fixed author and commit date.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let stamp = format!("{date}T10:00:00+00:00");
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn commit_all(dir: &Path, date: &str, subject: &str) {
    git(dir, date, &["add", "-A"]);
    git(dir, date, &["commit", "-q", "-m", subject]);
}

fn standard(title: &str) -> String {
    format!("---\ntitle: {title}\nstatement: We do it.\n---\nWhy.\n")
}

/// A playbook with three commits: two standards and a moment added, one
/// standard reworded and the other retired the same later day, the moment
/// moved to another stage.
fn site_with_history() -> TestSite {
    let site = TestSite::new(&[
        ("book.toml", "[book]\ntitle = \"Test playbook\"\n"),
        ("content/standards/call-ahead.md", &standard("Call ahead")),
        (
            "content/standards/old-promise.md",
            &standard("An old promise"),
        ),
        (
            "content/journey/core/delivery.md",
            "---\ntitle: Delivery\n---\n",
        ),
        ("content/guides/notes.txt", "not playbook content\n"),
    ]);
    let dir = site.root();
    git(dir, "2026-01-05", &["init", "-q"]);
    commit_all(dir, "2026-01-05", "First standards and the delivery moment");
    site.write(
        "content/standards/call-ahead.md",
        &standard("Call ahead, always"),
    );
    commit_all(dir, "2026-02-10", "Call ahead: say always");
    std::fs::remove_file(dir.join("content/standards/old-promise.md")).unwrap();
    std::fs::create_dir_all(dir.join("content/journey/first-touch")).unwrap();
    git(
        dir,
        "2026-02-10",
        &[
            "mv",
            "content/journey/core/delivery.md",
            "content/journey/first-touch/delivery.md",
        ],
    );
    commit_all(
        dir,
        "2026-02-10",
        "Retire the old promise; delivery moves earlier",
    );
    site
}

/// The days a changes page lists, in its order.
fn days_listed(page: &Page) -> Vec<String> {
    page.select(".change-day h2 time")
        .iter()
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect()
}

#[test]
fn the_changes_page_lists_commits_newest_first_grouped_by_date() {
    let site = site_with_history();
    let page = site.build().page("changes/");
    let days = days_listed(&page);
    assert_eq!(days, vec!["2026-02-10", "2026-01-05"]);
    let subjects: Vec<String> = page
        .select(".change-subject")
        .iter()
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(
        subjects,
        vec![
            "Retire the old promise; delivery moves earlier",
            "Call ahead: say always",
            "First standards and the delivery moment",
        ]
    );
    let newest = page.text(".change-day:first-of-type .change-set:first-of-type");
    assert!(newest.contains("Removed"), "{newest}");
    assert!(newest.contains("An old promise"), "{newest}");
    // The removed standard is named by its old title, with no link to a page that is gone.
    assert!(
        page.select(".change-set .gone")
            .iter()
            .any(|g| g.text().collect::<String>() == "An old promise")
    );
    // The moment moved from one stage to another: one change, linked where it is now.
    let moved = page.select(".change-day:first-of-type .change-set:first-of-type li");
    let delivery: Vec<String> = moved
        .iter()
        .map(|li| li.text().collect::<String>())
        .filter(|t| t.contains("Delivery"))
        .collect();
    assert_eq!(delivery.len(), 1, "{delivery:?}");
    assert!(delivery[0].contains("Changed"), "{delivery:?}");
    assert!(
        page.links_in(".change-day:first-of-type .change-set:first-of-type")
            .contains(&"journey/first-touch/delivery/".to_string())
    );
    // A file that is not playbook content is no change of the playbook.
    assert!(!page.text("main").contains("notes.txt"));
}

#[test]
fn the_home_page_shows_the_latest_changes() {
    let site = site_with_history();
    let home = site.build().page("");
    let recent = home.text(".recent-list");
    assert!(recent.contains("An old promise"), "{recent}");
    assert!(recent.contains("Call ahead, always"), "{recent}");
    assert!(home.links_in(".recent").contains(&"changes/".to_string()));
    // Each entity once, at its newest change.
    assert_eq!(recent.matches("Call ahead, always").count(), 1, "{recent}");
}

#[test]
fn pages_show_their_last_commit_date() {
    let site = site_with_history();
    let page = site.build().page("standards/call-ahead/");
    assert!(page.text(".updated").contains("10 February 2026"));
    let time = page.select(".updated time")[0].value().attr("datetime");
    assert_eq!(time, Some("2026-02-10"), "machine-readable dates stay ISO");
}

/// The `<entry>` elements of a feed, as text.
fn entries(feed: &str) -> Vec<&str> {
    feed.split("<entry>")
        .skip(1)
        .map(|e| e.split("</entry>").next().unwrap())
        .collect()
}

fn element<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no <{name}> in {xml}"))
        + open.len();
    let end = xml[start..].find(&format!("</{name}>")).unwrap() + start;
    &xml[start..end]
}

#[test]
fn the_atom_feed_has_what_a_feed_reader_needs() {
    let site = site_with_history();
    let mut options = site.options();
    options.base_url = Some("https://intranet.example.com/cx/".into());
    let built = site.build_with(options);
    let feed = built.file("changes.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert!(feed.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://intranet.example.com/cx/changes.xml\"/>"
    ));
    assert_eq!(element(&feed, "updated"), "2026-02-10T10:00:00Z");
    assert!(element(&feed, "id").starts_with("urn:uuid:"));
    let entries = entries(&feed);
    assert_eq!(entries.len(), 3);
    let mut ids: Vec<&str> = entries.iter().map(|e| element(e, "id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "entry ids are unique");
    assert_eq!(
        element(entries[0], "title"),
        "Retire the old promise; delivery moves earlier"
    );
    assert!(entries[0].contains("href=\"https://intranet.example.com/cx/changes/#c-"));
    // The entry's content links where the moment is now, absolutely.
    assert!(
        entries[0]
            .split("<content type=\"html\">")
            .nth(1)
            .unwrap()
            .contains("https://intranet.example.com/cx/journey/first-touch/delivery/"),
        "{}",
        entries[0]
    );
    if let Some(xmllint) = find_xmllint() {
        let path = built.out.join("changes.xml");
        let ok = Command::new(xmllint)
            .arg("--noout")
            .arg(&path)
            .status()
            .unwrap();
        assert!(ok.success(), "changes.xml is not well-formed XML");
    }
}

fn find_xmllint() -> Option<std::path::PathBuf> {
    let found = crate::publish_lint::find_tool("xmllint");
    if found.is_none() {
        skip("xmllint not installed (.ci/run installs it)");
    }
    found
}

#[test]
fn a_path_only_base_url_gives_root_relative_feed_links_and_the_same_ids() {
    let site = site_with_history();
    let mut options = site.options();
    options.base_url = Some("/cx/".into());
    let relative = site.build_with(options).file("changes.xml");
    assert!(relative.contains("href=\"/cx/changes.xml\""));
    assert!(relative.contains("/cx/journey/first-touch/delivery/"));
    let mut options = site.options();
    options.base_url = Some("https://intranet.example.com/cx/".into());
    let absolute = site.build_with(options).file("changes.xml");
    let ids = |feed: &str| -> Vec<String> {
        entries(feed)
            .iter()
            .map(|e| element(e, "id").to_string())
            .collect()
    };
    assert_eq!(
        ids(&relative),
        ids(&absolute),
        "entry ids never depend on the base"
    );
}

#[test]
fn a_site_outside_git_builds_without_a_word_about_it() {
    let site = TestSite::new(&[("content/standards/a.md", &standard("A"))]);
    let warnings = site.warnings();
    assert!(
        !warnings.iter().any(|w| w.message.contains("git")),
        "{warnings:?}"
    );
    let page = site.build().page("changes/");
    assert!(page.select(".change-set").is_empty());
    assert!(page.text("main").contains("updated: YYYY-MM-DD"));
}

#[test]
fn history_is_read_from_the_site_folder_alone() {
    // A repository holding the site in a sub-folder, and another playbook beside it.
    let repo = TestSite::new(&[
        ("cx/book.toml", "[book]\ntitle = \"In a sub-folder\"\n"),
        ("cx/content/standards/ours.md", &standard("Ours")),
        ("other/content/standards/theirs.md", &standard("Theirs")),
    ]);
    git(repo.root(), "2026-03-01", &["init", "-q"]);
    commit_all(repo.root(), "2026-03-01", "Both playbooks");
    std::fs::remove_file(repo.root().join("other/content/standards/theirs.md")).unwrap();
    commit_all(repo.root(), "2026-03-02", "Retire theirs");
    // A variable pointing git at yet another repository is not followed.
    let elsewhere = TestSite::new(&[("content/standards/elsewhere.md", &standard("Elsewhere"))]);
    git(elsewhere.root(), "2026-04-01", &["init", "-q"]);
    commit_all(elsewhere.root(), "2026-04-01", "Elsewhere");
    let out = repo.root().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(["build", "--root"])
        .arg(repo.root().join("cx"))
        .arg("--output")
        .arg(&out)
        .env("GIT_DIR", elsewhere.root().join(".git"))
        .status()
        .unwrap();
    assert!(status.success());
    let page = std::fs::read_to_string(out.join("changes/index.html")).unwrap();
    assert!(page.contains("Both playbooks"));
    assert!(!page.contains("Retire theirs"));
    assert!(!page.contains("Theirs"));
    assert!(!page.contains("Elsewhere"));
}

/// What the container image builds: no git, only the dates authors wrote.
#[test]
fn without_git_the_updated_dates_make_the_change_log() {
    let site = TestSite::new(&[
        (
            "content/standards/a.md",
            "---\ntitle: Call ahead\nstatement: We do.\nupdated: 2026-03-02\n---\n",
        ),
        (
            "content/standards/b.md",
            "---\ntitle: Own the outcome\nstatement: We do.\nupdated: 2026-01-15\n---\n",
        ),
        (
            "content/roles/driver.md",
            "---\ntitle: Driver\nupdated: 2026-03-02\n---\n",
        ),
        ("content/standards/c.md", &standard("Undated")),
    ]);
    let built = site.build();
    let page = built.page("changes/");
    let days = days_listed(&page);
    assert_eq!(days, vec!["2026-03-02", "2026-01-15"]);
    let newest = page.text(".change-day:first-of-type");
    assert!(
        newest.contains("Call ahead") && newest.contains("Driver"),
        "{newest}"
    );
    assert!(!page.text("main").contains("Undated"));
    let recent = built.page("").text(".recent-list");
    assert!(recent.contains("Own the outcome"), "{recent}");
    assert!(
        built
            .page("roles/driver/")
            .text(".updated")
            .contains("2 March 2026")
    );
    let feed = built.file("changes.xml");
    assert_eq!(entries(&feed).len(), 2, "{feed}");
}

#[test]
fn an_updated_date_wins_over_the_last_commit() {
    let site = site_with_history();
    site.write(
        "content/standards/call-ahead.md",
        "---\ntitle: Call ahead, always\nstatement: We do.\nupdated: 2026-02-20\n---\n",
    );
    let built = site.build();
    let page = built.page("standards/call-ahead/");
    assert!(page.text(".updated").contains("20 February 2026"));
    // One notion of "last updated": the change log agrees with the page.
    let changes = built.page("changes/");
    assert!(
        changes
            .text(".change-day:first-of-type")
            .contains("Call ahead, always")
    );
}

/// The change log reads the content folder's history, whatever the folder
/// is called (a name git could take for pathspec magic included); commits
/// that touch only the rest of the repository stay out of it.
#[test]
fn the_change_log_reads_a_content_folder_of_any_name() {
    let site = TestSite::new(&[
        (
            "book.toml",
            "[book]\ntitle = \"Docs\"\n\n[build]\ncontent-dir = \":(glob)docs\"\n",
        ),
        (
            ":(glob)docs/standards/call-ahead.md",
            &standard("Call ahead"),
        ),
        ("src/main.rs", "fn main() {}\n"),
    ]);
    let dir = site.root();
    git(dir, "2026-05-04", &["init", "-q"]);
    commit_all(dir, "2026-05-04", "The first standard");
    site.write("src/main.rs", "fn main() { println!(\"hi\"); }\n");
    commit_all(dir, "2026-05-05", "Code only");
    let page = site.build().page("changes/");
    let text = page.text("main");
    assert!(text.contains("The first standard"), "{text}");
    assert!(text.contains("Call ahead"), "{text}");
    assert!(!text.contains("Code only"), "{text}");
}

#[test]
fn a_moment_shows_when_it_was_updated_and_when_it_is_due_for_review() {
    let site = TestSite::new(&small_site());
    site.write(
        "content/journey/core/refund.md",
        "---\ntitle: Refund\norder: 2\nupdated: 2026-02-03\nreview_by: 2099-01-01\n---\n",
    );
    let page = site.build().page("journey/core/refund/");
    assert!(page.text(".updated").contains("3 February 2026"));
    assert!(page.text(".badge-review").contains("2099"));
}
