//! The folders a build reads and replaces: `book.toml` cannot point them
//! outside the site, and the output folder is replaced only when it is one
//! Touchstone wrote.

use crate::common::*;
use touchstone::{BuildOptions, Failure};

/// The diagnostics of a build refused before it wrote anything.
fn refused(options: &BuildOptions) -> Vec<touchstone::diagnostics::Diagnostic> {
    match touchstone::build(options) {
        Ok(_) => panic!("the build was expected to be refused"),
        Err(Failure::Content { diagnostics, .. }) => diagnostics,
        Err(Failure::Io(e)) => panic!("expected a diagnostic, got an I/O failure: {e}"),
    }
}

fn site_with_book(book: &str) -> TestSite {
    let site = TestSite::new(&small_site());
    site.write("book.toml", book);
    site
}

#[test]
fn a_content_folder_outside_the_site_is_refused_at_its_book_toml_line() {
    for content_dir in ["/etc", "../../../../../../etc/ssl", "content/../../x"] {
        let site = site_with_book(&format!(
            "[book]\ntitle = \"T\"\n\n[build]\ncontent-dir = \"{content_dir}\"\n"
        ));
        let errors = refused(&site.options());
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let error = &errors[0];
        assert_eq!(
            (error.code, error.file.as_str(), error.line),
            ("folder-outside-site", "book.toml", Some(5)),
            "{content_dir}: {error:#?}"
        );
        assert!(error.message.contains(content_dir), "{}", error.message);
        assert!(!site.out().exists(), "{content_dir}: nothing was written");
    }
}

#[cfg(unix)]
#[test]
fn a_content_folder_symlinked_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    let site = site_with_book("[build]\ncontent-dir = \"notes\"\n");
    std::os::unix::fs::symlink(outside.path(), site.root().join("notes")).unwrap();
    let errors = refused(&site.options());
    assert_eq!(
        (errors[0].code, errors[0].line),
        ("folder-outside-site", Some(2))
    );
    assert!(!site.out().exists());
}

#[test]
fn output_and_theme_folders_outside_the_site_are_refused_together() {
    let site = site_with_book(
        "[build]\noutput-dir = \"../elsewhere\"\ntheme = \"../../../../../../etc\"\n",
    );
    let errors = refused(&site.options());
    let found: Vec<(&str, Option<usize>)> = errors.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        found,
        vec![
            ("folder-outside-site", Some(2)),
            ("folder-outside-site", Some(3))
        ]
    );
    assert!(errors[0].message.starts_with("output-dir `../elsewhere`"));
    assert!(
        errors[1]
            .message
            .starts_with("theme `../../../../../../etc`")
    );
    assert!(!site.root().join("../elsewhere").exists());
}

#[test]
fn an_explicit_output_outside_the_site_is_the_users_choice() {
    let site = site_with_book("[build]\noutput-dir = \"../elsewhere\"\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    let built = site.build_with(BuildOptions {
        output: Some(out.clone()),
        ..site.options()
    });
    assert!(built.out.join("roles/driver/index.html").exists());
}

#[test]
fn folders_inside_the_site_stay_allowed_however_they_are_written() {
    let site = site_with_book(
        "[build]\ncontent-dir = \"./content/../content\"\noutput-dir = \"build/site\"\n",
    );
    let built = site.build();
    assert!(
        site.root()
            .join("build/site/roles/driver/index.html")
            .exists()
    );
    assert!(
        built
            .warnings
            .iter()
            .all(|d| d.code != "folder-outside-site")
    );
}

/// The message of a build refused for its output folder (exit code 2).
fn refused_output(options: &BuildOptions) -> String {
    match touchstone::build(options) {
        Err(failure @ Failure::Io(_)) => {
            assert_eq!(failure.exit_code(), 2);
            format!("{failure:?}")
        }
        Err(other) => panic!("expected an output refusal, got {other:?}"),
        Ok(_) => panic!("the build was expected to refuse its output folder"),
    }
}

/// Names in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_that_is_an_existing_file_is_refused_and_kept() {
    let site = TestSite::new(&small_site());
    site.write("notes.txt", "my own notes");
    let message = refused_output(&BuildOptions {
        output: Some(site.root().join("notes.txt")),
        ..site.options()
    });
    assert!(message.contains("is a file, not a folder"), "{message}");
    assert_eq!(
        std::fs::read_to_string(site.root().join("notes.txt")).unwrap(),
        "my own notes"
    );
    assert_eq!(names_in(site.root()), ["book.toml", "content", "notes.txt"]);
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symlink_to_an_earlier_output_is_refused_and_its_target_kept() {
    let site = TestSite::new(&small_site());
    let earlier = site.build().out;
    let before = names_in(&earlier);
    let link = site.root().join("latest");
    std::os::unix::fs::symlink(&earlier, &link).unwrap();
    let message = refused_output(&BuildOptions {
        output: Some(link.clone()),
        ..site.options()
    });
    assert!(message.contains("symbolic link"), "{message}");
    assert_eq!(names_in(&earlier), before, "the earlier output is intact");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// The id of a process that has finished.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn staging_folders_of_killed_builds_are_removed_by_the_next_build() {
    let site = TestSite::new(&small_site());
    let dead = dead_pid();
    let mut running = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let alive = running.id();
    for leftover in [
        format!(".public.building-{dead}/roles/a/index.html"),
        format!(".public.previous-{dead}/index.html"),
        format!(".public.building-{alive}/index.html"),
        format!(".other.building-{dead}/index.html"),
    ] {
        site.write(&leftover, "left by a killed build");
    }
    site.build();
    running.kill().unwrap();
    running.wait().unwrap();
    assert_eq!(
        names_in(site.root()),
        [
            format!(".other.building-{dead}"),
            format!(".public.building-{alive}"),
            "book.toml".into(),
            "content".into(),
            "public".into(),
        ],
        "the dead build's folders of this output are gone, a running build's and another output's stay"
    );
}

#[cfg(unix)]
#[test]
fn default_folders_that_link_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("roles")).unwrap();
    std::fs::write(outside.path().join("roles/secret.md"), "# Secret\n").unwrap();
    std::fs::create_dir_all(outside.path().join("default/templates")).unwrap();
    for folder in ["content", "templates", "themes"] {
        let site = TestSite::new(&small_site());
        let path = site.root().join(folder);
        let _ = std::fs::remove_dir_all(&path);
        std::os::unix::fs::symlink(outside.path(), &path).unwrap();
        let errors = refused(&site.options());
        let expected = if folder == "themes" {
            "themes/default"
        } else {
            folder
        };
        assert_eq!(
            (errors[0].code, errors[0].file.as_str()),
            ("folder-outside-site", expected),
            "{folder}: {errors:#?}"
        );
        assert!(!site.out().exists(), "{folder}: nothing was written");
    }
}

#[cfg(unix)]
#[test]
fn an_output_through_a_missing_folder_and_a_link_out_is_refused() {
    // `x/..` cancels only once `x` is made; `up` then leads out.
    let outer = tempfile::tempdir().unwrap();
    for output_dir in ["x/../up/escaped", "content/nothing/../../up/escaped"] {
        let site = site_with_book(&format!("[build]\noutput-dir = \"{output_dir}\"\n"));
        std::os::unix::fs::symlink(outer.path(), site.root().join("up")).unwrap();
        let errors = refused(&site.options());
        assert_eq!(
            (errors[0].code, errors[0].line),
            ("folder-outside-site", Some(2)),
            "{output_dir}: {errors:#?}"
        );
        assert!(!outer.path().join("escaped").exists(), "{output_dir}");
        assert!(!site.root().join("x").exists(), "{output_dir}");
    }
}

#[test]
fn an_output_in_a_folder_the_site_is_read_from_is_refused_before_it_exists() {
    for (output_dir, read) in [
        ("content/out", "content"),
        ("./content/../content/out", "content"),
        ("templates", "templates"),
        ("themes/new", "themes"),
    ] {
        let site = site_with_book(&format!("[build]\noutput-dir = \"{output_dir}\"\n"));
        let message = refused_output(&site.options());
        assert!(
            message.contains(&format!("overlaps the {read} folder")),
            "{output_dir}: {message}"
        );
        assert_eq!(
            names_in(site.root()),
            ["book.toml", "content"],
            "{output_dir}"
        );
        assert_eq!(
            names_in(&site.root().join("content")),
            names_in_small_site()
        );
    }
}

/// The top-level names of `small_site()`'s content folder.
fn names_in_small_site() -> Vec<String> {
    let site = TestSite::new(&small_site());
    names_in(&site.root().join("content"))
}

#[cfg(unix)]
#[test]
fn a_template_that_is_a_link_is_named_and_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("page.html"), "SECRET").unwrap();
    let site = TestSite::new(&small_site());
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("page.html"),
        site.root().join("templates/page.html"),
    )
    .unwrap();
    let built = site.build();
    let skipped: Vec<(&str, &str)> = built
        .warnings
        .iter()
        .filter(|d| d.code == "skipped-link")
        .map(|d| (d.file.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [(
            "templates/page.html",
            "this theme file is a symbolic link, so it is not read"
        )]
    );
    let home = std::fs::read_to_string(built.out.join("index.html")).unwrap();
    assert!(!home.contains("SECRET"));
}

#[cfg(unix)]
#[test]
fn a_site_reached_through_a_link_may_name_its_output_from_its_own_folder() {
    let site = TestSite::new(&small_site());
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    site.write(
        "book.toml",
        &format!("[build]\noutput-dir = \"../{name}/public\"\n"),
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let link = elsewhere.path().join("other");
    std::os::unix::fs::symlink(site.root(), &link).unwrap();
    let options = touchstone::BuildOptions {
        root: link,
        ..site.options()
    };
    touchstone::build(&options).expect("builds into its own public/");
    assert!(site.root().join("public/index.html").exists());
}
