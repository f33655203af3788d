//! `touchstone serve` over real HTTP: pages equal the build, edits reload open
//! pages, broken edits keep the last good site, and no request escapes it.

use crate::common;

use common::http::{Server, get, next_event, request, served_after_reloads};
use common::*;
use std::time::Duration;

const LIVE_RELOAD_TAG: &str = "<script src=\"../../__touchstone/live-reload.js\"></script>";

#[test]
fn served_pages_equal_the_built_site_plus_the_reload_script() {
    let site = TestSite::new(&small_site());
    let built = site.build();
    let server = Server::start(site.root(), &[]);
    let served = get(server.port, "/roles/driver/");
    assert_eq!(served.status, 200);
    assert_eq!(
        served.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(served.body.contains(LIVE_RELOAD_TAG));
    assert_eq!(
        served.body.replace(LIVE_RELOAD_TAG, ""),
        built.file("roles/driver/index.html")
    );
}

/// A served HTML page without the live-reload script serve adds to it.
fn without_reload_script(html: &str) -> String {
    let end_tag = "__touchstone/live-reload.js\"></script>";
    let Some(end) = html.find(end_tag) else {
        return html.to_string();
    };
    let start = html[..end].rfind("<script src=\"").expect("script tag");
    format!("{}{}", &html[..start], &html[end + end_tag.len()..])
}

/// Rewrites a file of the test site, replacing `from` with `to`.
fn edit(site: &TestSite, path: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    site.write(path, &text.replace(from, to));
}

#[test]
fn after_edits_every_served_file_equals_a_fresh_build() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let edits = [
        ("content/roles/driver.md", "The face", "Still the face"),
        (
            "content/roles/agent.md",
            "title: Agent",
            "title: Service agent",
        ),
        (
            "content/journey/core/delivery.md",
            "The van arrives.",
            "The van arrives early.",
        ),
    ];
    for (path, from, to) in edits {
        edit(&site, path, from, to);
        assert_eq!(next_event(&events), "reload", "{path}");
        std::thread::sleep(Duration::from_millis(60));
    }
    site.write(
        "content/guides/new.md",
        "# New guide\n\nSee [[roles/driver]].\n",
    );
    assert_eq!(next_event(&events), "reload");
    assert_served_equals_a_fresh_build(&site, &server, 30);
}

/// Fetches every file a fresh build of `site` makes from `server`, and
/// checks each is served as built (with the live-reload script).
fn assert_served_equals_a_fresh_build(site: &TestSite, server: &Server, at_least: usize) {
    let built = site.build();
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&built.out) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&built.out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !entry.file_type().is_file() || rel.starts_with('.') {
            continue;
        }
        let served = get(server.port, &format!("/{rel}"));
        assert_eq!(served.status, 200, "{rel} is served");
        assert!(
            without_reload_script(&served.body) == built.file(&rel),
            "{rel}: served differs from the build"
        );
        compared += 1;
    }
    assert!(compared > at_least, "compared {compared} files");
}

/// In a site with a long page (a home listing 500 guides), an edit is
/// served in two steps: the edited guide reloads first, the home after,
/// and once both are done every served file is as a fresh build makes it.
#[test]
fn an_edit_reloads_its_own_page_first_and_the_long_pages_after() {
    let site = TestSite::new(&small_site());
    let long = "a title long enough that five hundred of them make the home page longer than 64 KB";
    for n in 0..500 {
        site.write(
            &format!("content/guides/g-{n:03}.md"),
            &format!("---\ntitle: Guide {n:03}, {long}\n---\nText {n}.\n"),
        );
    }
    let server = Server::start(site.root(), &[]);
    let events = server.events_with_data();
    let home = get(server.port, "/").body;
    assert!(
        home.len() > 64 * 1024 && home.contains("Guide 007,"),
        "{}",
        home.len()
    );

    edit(
        &site,
        "content/guides/g-007.md",
        "title: Guide 007,",
        "title: Retitled 007,",
    );
    let next = || {
        events
            .recv_timeout(Duration::from_secs(20))
            .expect("a live-reload event within 20 s")
    };
    let (event, first) = next();
    assert_eq!(event, "reload");
    assert!(first.contains(r#""/guides/g-007/""#), "{first}");
    assert!(!first.contains(r#""/""#), "the home waits: {first}");
    let (event, second) = next();
    assert_eq!(event, "reload");
    assert!(second.contains(r#""/""#), "then the home: {second}");
    assert!(get(server.port, "/").body.contains("Retitled 007,"));
    assert_served_equals_a_fresh_build(&site, &server, 500);
}

#[test]
fn an_edit_sends_a_reload_and_serves_the_new_content() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    site.write(
        "content/roles/driver.md",
        &std::fs::read_to_string(site.root().join("content/roles/driver.md"))
            .unwrap()
            .replace("The face of the company.", "Freshly edited text."),
    );
    assert_eq!(next_event(&events), "reload");
    assert!(
        get(server.port, "/roles/driver/")
            .body
            .contains("Freshly edited text.")
    );
    server.wait_for("changed content/roles/driver.md");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_error() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let good = get(server.port, "/roles/agent/").body;
    site.write(
        "content/roles/agent.md",
        "---\ntitle: Agent\nowns: [nowhere]\n---\n",
    );
    assert_eq!(next_event(&events), "build-error");
    assert_eq!(
        get(server.port, "/roles/agent/").body,
        good,
        "last good page still served"
    );
    let errors = get(server.port, "/__touchstone/errors.json").body;
    assert!(
        errors.contains("there is no moment `nowhere`")
            && errors.contains("content/roles/agent.md"),
        "{errors}"
    );
    server.wait_for("still serving the last good site");
    site.write(
        "content/roles/agent.md",
        "---\ntitle: Agent fixed\nowns: [booking, refund]\n---\n",
    );
    assert_eq!(next_event(&events), "reload");
    assert_eq!(
        get(server.port, "/__touchstone/errors.json").body.trim(),
        "[]"
    );
}

#[test]
fn traversal_attempts_are_refused_and_never_read_outside_files() {
    let site = TestSite::new(&small_site());
    site.write("secret.txt", "top secret");
    let server = Server::start(site.root(), &[]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/roles/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/a%00b",
    ] {
        let response = get(server.port, path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(!response.body.contains("top secret"), "{path}");
    }
    assert_eq!(get(server.port, "/secret.txt").status, 404);
    assert_eq!(
        get(server.port, "/roles/driver/").status,
        200,
        "still serving after bad requests"
    );
}

#[test]
fn http_details_pretty_urls_404_head_and_etags() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let redirect = get(server.port, "/roles/driver");
    assert_eq!(
        (redirect.status, redirect.header("Location")),
        (302, Some("/roles/driver/"))
    );
    let missing = get(server.port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    let head = request(server.port, "HEAD", "/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let page = get(server.port, "/sitemap.xml");
    assert_eq!(page.header("Content-Type"), Some("application/xml"));
    let etag = page.header("ETag").unwrap().to_string();
    let again = request(
        server.port,
        "GET",
        "/sitemap.xml",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(again.status, 304);
}

#[test]
fn a_sub_path_site_is_served_under_it() {
    let site = TestSite::new(&small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[site]\nbase-url = \"/cx/\"\n",
    );
    let server = Server::start(site.root(), &[]);
    let root = get(server.port, "/");
    assert_eq!((root.status, root.header("Location")), (302, Some("/cx/")));
    assert_eq!(get(server.port, "/cx/roles/driver/").status, 200);
    assert_eq!(get(server.port, "/roles/driver/").status, 404);
    assert_eq!(
        get(server.port, "/cx/__touchstone/live-reload.js").status,
        200
    );
}

#[test]
fn a_port_in_use_gives_a_clear_message() {
    let site = TestSite::new(&small_site());
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port 0"),
        "{err}"
    );
}

#[test]
fn folders_created_after_start_are_watched_and_deleted_files_disappear() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let template =
        "{% extends \"base.html\" %}{% block content %}<h1>Override one</h1>{% endblock content %}";
    site.write("templates/story.html", template);
    assert_eq!(next_event(&events), "reload");
    let page = "/stories/late-van/";
    assert!(served_after_reloads(
        server.port,
        &events,
        page,
        "Override one"
    ));
    std::thread::sleep(Duration::from_millis(100));
    site.write("templates/story.html", &template.replace("one", "two"));
    assert!(
        served_after_reloads(server.port, &events, page, "Override two"),
        "edits inside the new folder are seen"
    );
    std::fs::remove_file(site.root().join("content/guides/faq.md")).unwrap();
    assert_eq!(next_event(&events), "reload");
    assert_eq!(get(server.port, "/guides/faq/").status, 404);
}

/// How editors save, as the file system sees it.
type Save = fn(&std::path::Path, &str);

/// vim: probes the folder with `4913`, renames the file to a `~` backup,
/// writes the new file, deletes the backup (its swap file comes and goes).
fn save_like_vim(file: &std::path::Path, text: &str) {
    let dir = file.parent().unwrap();
    let swap = dir.join(".driver.md.swp");
    std::fs::write(&swap, "swap").unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    let backup = file.with_file_name("driver.md~");
    std::fs::rename(file, &backup).unwrap();
    std::fs::write(file, text).unwrap();
    std::fs::remove_file(backup).unwrap();
    std::fs::remove_file(swap).unwrap();
}

/// VS Code: truncates the file and writes it in place, in chunks.
fn save_like_vscode(file: &std::path::Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::File::create(file).unwrap();
    let (head, tail) = text.split_at(text.len() / 2);
    f.write_all(head.as_bytes()).unwrap();
    f.flush().unwrap();
    std::thread::sleep(Duration::from_millis(5));
    f.write_all(tail.as_bytes()).unwrap();
}

/// `sed -i`: writes a temporary file beside the original and renames it over.
fn save_like_sed(file: &std::path::Path, text: &str) {
    let temp = file.with_file_name("sedX1b2c3");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(temp, file).unwrap();
}

/// JetBrains "safe write": a `___jb_tmp___` copy, the original moved to
/// `___jb_old___`, the copy renamed into place, the old one deleted.
fn save_like_jetbrains(file: &std::path::Path, text: &str) {
    let temp = file.with_file_name("driver.md___jb_tmp___");
    let old = file.with_file_name("driver.md___jb_old___");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(file, &old).unwrap();
    std::fs::rename(&temp, file).unwrap();
    std::fs::remove_file(old).unwrap();
}

#[test]
fn a_save_through_a_backup_on_a_busy_machine_is_still_one_rebuild() {
    // vim's steps, with the pause a loaded machine puts between them: the
    // file is away for longer than the usual window, under its backup name.
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let file = site.root().join("content/roles/driver.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("The face of the company.", "Saved slowly.");
    let backup = file.with_file_name("driver.md~");
    std::fs::rename(&file, &backup).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(&file, &text).unwrap();
    std::fs::remove_file(backup).unwrap();
    assert_eq!(next_event(&events), "reload", "no build without the file");
    assert!(
        get(server.port, "/roles/driver/")
            .body
            .contains("Saved slowly.")
    );
    assert!(
        events.recv_timeout(Duration::from_millis(400)).is_err(),
        "one save, one rebuild"
    );
}

#[test]
fn every_editors_way_of_saving_is_one_quick_rebuild_of_the_new_text() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let events = server.events();
    let file = site.root().join("content/roles/driver.md");
    let saves: [(&str, Save); 4] = [
        ("vim", save_like_vim),
        ("VS Code", save_like_vscode),
        ("sed -i", save_like_sed),
        ("JetBrains", save_like_jetbrains),
    ];
    let mut before = "The face of the company.".to_string();
    for (editor, save) in saves {
        let after = format!("Saved by {editor}.");
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace(&before, &after);
        save(&file, &text);
        assert_eq!(next_event(&events), "reload", "{editor}");
        let line = server.wait_for("changed ");
        assert!(
            line.starts_with("changed content/roles/driver.md:"),
            "{editor}: the terminal names the saved file only: {line}"
        );
        assert!(
            !line.contains("model"),
            "{editor}: a body edit patches the last build: {line}"
        );
        assert!(
            line.contains("(patched build: "),
            "{editor}: the terminal says the build was patched: {line}"
        );
        assert!(
            get(server.port, "/roles/driver/").body.contains(&after),
            "{editor}: the new text is served"
        );
        assert!(
            events.recv_timeout(Duration::from_millis(400)).is_err(),
            "{editor}: one save, one rebuild"
        );
        before = after;
    }
}
