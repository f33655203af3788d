//! Loading content: what authors write either lands on the site or is named
//! in a diagnostic, and nothing they write can make a page land outside it.

use crate::common;
use common::*;
use touchstone::diagnostics::Diagnostic;

/// The small site with files replaced or added.
fn site_with(extra: &[(&'static str, &'static str)]) -> TestSite {
    let mut files = small_site();
    files.retain(|(p, _)| !extra.iter().any(|(e, _)| e == p));
    files.extend_from_slice(extra);
    TestSite::new(&files)
}

fn with_code<'a>(diagnostics: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    diagnostics.iter().filter(|d| d.code == code).collect()
}

fn lines(diagnostics: &[&Diagnostic]) -> Vec<Option<usize>> {
    diagnostics.iter().map(|d| d.line).collect()
}

#[test]
fn a_yaml_list_id_that_is_not_one_path_segment_is_an_error_at_its_entry() {
    let site = site_with(&[(
        "content/mantras.yaml",
        "- id: no-surprises\n  text: No surprises\n- id: \"../../../../tmp/escape\"\n  text: Out\n- id: \"\"\n  text: Empty\n- id: Two Words\n  text: Spaces\n",
    )]);
    let errors = site.errors();
    let unsafe_ids = with_code(&errors, "unsafe-id");
    assert_eq!(
        lines(&unsafe_ids),
        [Some(3), Some(5), Some(7)],
        "{errors:#?}"
    );
    assert!(unsafe_ids.iter().all(|d| d.file == "content/mantras.yaml"));
    assert!(
        unsafe_ids[2]
            .hint
            .as_deref()
            .unwrap()
            .contains("id: two-words"),
        "{:?}",
        unsafe_ids[2]
    );
    assert!(!site.root().join("tmp").exists() && !site.out().exists());
}

#[test]
fn file_names_with_spaces_and_capitals_land_at_clean_paths() {
    let site = site_with(&[
        (
            "content/roles/Night Shift.md",
            "---\ntitle: Night shift\nsupports: [delivery]\n---\n",
        ),
        ("content/guides/Admin Studio.md", "# Admin studio\n"),
    ]);
    let built = site.build();
    assert_eq!(built.page("roles/night-shift/").text("h1"), "Night shift");
    assert_eq!(
        built.page("guides/Admin-Studio/").text("h1"),
        "Admin studio"
    );
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn unterminated_front_matter_is_an_error_at_line_1_not_a_body() {
    let site = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [delivery]\n\nThe face of the company.\n",
    )]);
    let errors = site.errors();
    assert_eq!(codes(&errors), ["unterminated-front-matter"], "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/roles/driver.md", Some(1))
    );
}

#[test]
fn one_bad_yaml_list_entry_drops_only_that_entry() {
    let site = site_with(&[
        (
            "content/mantras.yaml",
            "- id: no-surprises\n  text: No surprises\n  weight: [\n- id: first-time\n  text: Right first time\n",
        ),
        (
            "content/standards/fix-it.md",
            "---\ntitle: Fix it\nmantras: [first-time]\n---\n",
        ),
    ]);
    let errors: Vec<Diagnostic> = site.errors().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(codes(&errors), ["invalid-yaml"], "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/mantras.yaml", Some(3))
    );
}

#[test]
fn a_misspelt_field_loads_the_role_reports_every_unknown_field_and_no_consequence() {
    let site = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nteem: Operations\nowns: [delivery]\nbehavoiurs:\n  - standard: call-ahead\n    do: Phone ahead.\n---\nThe face of the company.\n",
    )]);
    let diagnostics = site.errors();
    assert_eq!(
        codes(&diagnostics),
        ["unknown-field", "unknown-field"],
        "no `unowned-moment`, `standard-without-behaviour` or broken link follows: {diagnostics:#?}"
    );
    assert_eq!(
        lines(&diagnostics.iter().collect::<Vec<_>>()),
        [Some(3), Some(5)]
    );
    assert!(
        diagnostics[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `behaviours`?")
    );
}

#[test]
fn a_persona_that_loaded_in_part_has_its_gaps_reported_after_the_fix() {
    // A misspelt field may have hidden what closes a gap (a love's or a
    // hate's moments), so the misspelling is the only word about it.
    const MISSPELT: &str = "---\ntitle: Shopper\nlovs: []\nhates:\n  - text: Waiting in all day\n    evidence: assumption\n---\n";
    let site = site_with(&[("content/personas/shopper.md", MISSPELT)]);
    let diagnostics = site.errors();
    assert_eq!(codes(&diagnostics), ["unknown-field"], "{diagnostics:#?}");
    let fixed = MISSPELT.replace("lovs:", "loves:").leak();
    let site = site_with(&[("content/personas/shopper.md", fixed)]);
    let diagnostics = site.warnings();
    let about_shopper: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.file == "content/personas/shopper.md")
        .map(|d| d.code)
        .collect();
    assert_eq!(
        about_shopper,
        ["assumed-claim", "unaddressed-hate"],
        "once whole, its gaps show: {diagnostics:#?}"
    );
}

#[test]
fn a_bad_value_drops_its_field_alone_and_says_what_the_field_takes() {
    let site = site_with(&[(
        "content/standards/call-ahead.md",
        "---\ntitle: Call ahead\nkano: perfomance\nweight: 99999999999999999999\nmantras: [no-surprises]\nmoments: [delivery]\n---\n",
    )]);
    let errors = site.errors();
    assert_eq!(
        codes(&errors),
        ["invalid-value", "invalid-value"],
        "{errors:#?}"
    );
    let kano = &errors[0];
    assert_eq!(kano.line, Some(3));
    assert!(
        kano.hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `performance`?"),
        "{kano:?}"
    );
    let weight = &errors[1];
    assert_eq!(weight.line, Some(4));
    let text = format!("{} {}", weight.message, weight.hint.as_deref().unwrap());
    assert!(
        text.contains("`weight`") && text.contains("whole number"),
        "{text}"
    );
    assert!(
        !text.contains("i64") && !text.contains("indentation"),
        "{text}"
    );
}

#[test]
fn dates_that_do_not_exist_are_errors() {
    let site = site_with(&[(
        "content/stories/late-van.md",
        "---\ntitle: The late van\npersona: parent\nmoments: [delivery]\ndate: 2026-02-30\n---\n",
    )]);
    let errors = site.errors();
    assert_eq!(codes(&errors), ["invalid-date"], "{errors:#?}");
    assert_eq!(errors[0].line, Some(5));
}

#[test]
fn yaml_that_expands_too_far_is_said_in_the_authors_terms() {
    let laughs = "---\ntitle: Driver\nextra:\n  a: &a [x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n  g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n---\n";
    let site = site_with(&[("content/roles/driver.md", laughs)]);
    let errors = site.errors();
    let d = errors
        .iter()
        .find(|d| d.file == "content/roles/driver.md")
        .unwrap();
    assert_eq!(d.message, "the YAML expands too far (aliases)");
    assert!(!format!("{d:?}").contains("Nodes"), "{d:?}");
    assert!(
        !errors.iter().any(|d| d.code == "unowned-moment"),
        "a role that did not load is no reason to say nobody owns its moments: {errors:#?}"
    );
}

#[test]
fn a_behaviour_needs_do_or_dont_not_both() {
    let site = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [delivery]\nbehaviours:\n  - standard: call-ahead\n    do: Phone ahead.\n---\n",
    )]);
    let built = site.build();
    let page = built.page("roles/driver/");
    assert!(page.text("body").contains("Phone ahead."));
    assert!(!page.text("body").contains("Don’t:"), "no empty Don't");

    let empty = site_with(&[(
        "content/roles/driver.md",
        "---\ntitle: Driver\nowns: [delivery]\nbehaviours:\n  - standard: call-ahead\n    moment: delivery\n---\n",
    )]);
    let errors = empty.errors();
    assert_eq!(codes(&errors), ["empty-behaviour"], "{errors:#?}");
    assert_eq!(errors[0].line, Some(5));
}

/// (file, line, message) of each error with `code`.
fn located(diagnostics: &[Diagnostic], code: &str) -> Vec<(String, Option<usize>, String)> {
    with_code(diagnostics, code)
        .into_iter()
        .map(|d| (d.file.clone(), d.line, d.message.clone()))
        .collect()
}

#[test]
fn two_sources_on_one_output_path_are_an_error_naming_both() {
    let site = site_with(&[
        ("content/roles/driver/index.md", "# Drivers\n"),
        ("content/roles/driver/onboarding.md", "# First week\n"),
        ("content/guides/onboarding.md", "# Onboarding\n"),
        ("content/guides/onboarding/index.md", "# Onboarding too\n"),
        ("content/search/index.md", "# Find things\n"),
        ("content/accountability.md", "# Who owns what\n"),
        ("content/sitemap.xml", "<urlset/>\n"),
        ("content/404.html", "<p>lost</p>\n"),
    ]);
    let errors = site.errors();
    let generated = |file: &str, path: &str| {
        (
            file.to_string(),
            Some(1),
            format!("this file lands on `{path}`, which Touchstone generates itself"),
        )
    };
    assert_eq!(
        located(&errors, "output-clash"),
        [
            generated("content/404.html", "404.html"),
            generated("content/accountability.md", "accountability/index.html"),
            (
                "content/guides/onboarding.md".into(),
                Some(1),
                "this file and content/guides/onboarding/index.md both land on `guides/onboarding/index.html`".into()
            ),
            (
                "content/roles/driver/index.md".into(),
                Some(1),
                "this file and content/roles/driver.md both land on `roles/driver/index.html`".into()
            ),
            (
                "content/roles/driver/onboarding.md".into(),
                Some(1),
                "this file and content/roles/driver.md both land on `roles/driver/onboarding/index.html`".into()
            ),
            generated("content/search/index.md", "search/index.html"),
            generated("content/sitemap.xml", "sitemap.xml"),
        ],
        "{errors:#?}"
    );
    assert_eq!(errors.len(), 7, "nothing else follows: {errors:#?}");
}

#[test]
fn a_file_where_another_needs_a_folder_is_a_clash_for_check_and_build_alike() {
    let site = site_with(&[
        ("content/playbook.json.md", "# The export\n"),
        ("content/guides/faq", "not Markdown\n"),
        ("content/guides/faq.md", "# FAQ\n"),
        ("content/search", "a file named like a page\n"),
    ]);
    let clash = |file: &str, message: &str| (file.to_string(), Some(1), message.to_string());
    let expected = [
        clash(
            "content/guides/faq.md",
            "this file lands on `guides/faq/index.html`, inside `guides/faq`, \
             where content/guides/faq lands as a file",
        ),
        clash(
            "content/playbook.json.md",
            "this file lands on `playbook.json/index.html`, inside `playbook.json`, \
             which Touchstone writes as a file",
        ),
        clash(
            "content/search",
            "this file lands on `search`, where Touchstone needs a folder for `search/index.html`",
        ),
    ];
    let built = site.errors();
    assert_eq!(located(&built, "output-clash"), expected, "{built:#?}");
    let checked = match touchstone::check(&site.options()) {
        Ok(_) => panic!("check was expected to fail"),
        Err(touchstone::Failure::Content { diagnostics, .. }) => diagnostics,
        Err(touchstone::Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
    };
    assert_eq!(located(&checked, "output-clash"), expected, "{checked:#?}");
}

#[test]
fn a_page_inside_a_search_index_file_is_a_clash_not_a_failed_write() {
    // The index's files are written while the build goes on: the page
    // that took one's place must still be told as a clash.
    let site = site_with(&[("content/search/meta.json.md", "# Meta\n")]);
    let expected = [(
        "content/search/meta.json.md".to_string(),
        Some(1),
        "this file lands on `search/meta.json/index.html`, inside `search/meta.json`, \
         which Touchstone writes as a file"
            .to_string(),
    )];
    let failed = |result: Result<touchstone::Compiled, touchstone::Failure>| match result {
        Ok(_) => panic!("expected to fail"),
        Err(touchstone::Failure::Content { diagnostics, .. }) => diagnostics,
        Err(touchstone::Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
    };
    let built = failed(touchstone::build(&site.options()));
    assert_eq!(located(&built, "output-clash"), expected, "{built:#?}");
    let checked = failed(touchstone::check(&site.options()));
    assert_eq!(located(&checked, "output-clash"), expected, "{checked:#?}");
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_errors_each_spelled_out_not_merged() {
    use std::os::unix::ffi::OsStrExt;
    let site = site_with(&[("content/guides/ok.md", "# Fine\n")]);
    let content = site.root().join("content");
    for name in [&b"\xfe"[..], b"\xfd", b"guides/\xff.md"] {
        std::fs::write(content.join(std::ffi::OsStr::from_bytes(name)), "# Lost?\n").unwrap();
    }
    std::fs::create_dir(content.join(std::ffi::OsStr::from_bytes(b"\xfc"))).unwrap();
    std::fs::write(
        content.join(std::ffi::OsStr::from_bytes(b"\xfc/inside.md")),
        "# In\n",
    )
    .unwrap();
    let errors = site.errors();
    let files: Vec<(String, Option<usize>, String)> = located(&errors, "unreadable");
    let files: Vec<&str> = files.iter().map(|(file, _, _)| file.as_str()).collect();
    assert_eq!(
        files,
        [
            "content/\\xfc",
            "content/\\xfd",
            "content/\\xfe",
            "content/guides/\\xff.md"
        ],
        "{errors:#?}"
    );
}

#[test]
fn names_that_differ_only_in_case_are_a_warning_at_the_odd_spelling() {
    let site = site_with(&[
        ("content/guides/a.md", "# A\n"),
        ("content/Guides/pic.png", "not a picture"),
        (
            "content/Guides/sketch.png",
            "nor this: the first file by path is named",
        ),
        ("content/Sitemap.XML", "<urlset/>\n"),
        ("content/guides/photo.png", "one"),
        ("content/guides/Photo.PNG", "two"),
        ("content/pictures/Team.png", "alone: no other spelling"),
    ]);
    let warnings = site.warnings();
    let warn = |file: &str, message: &str| (file.to_string(), Some(1), message.to_string());
    assert_eq!(
        located(&warnings, "case-clash"),
        [
            warn(
                "content/Guides/pic.png",
                "this file lands in `Guides/`, which differs only in case from `guides/`"
            ),
            warn(
                "content/Sitemap.XML",
                "this file lands on `Sitemap.XML`, which differs only in case from `sitemap.xml`"
            ),
            warn(
                "content/guides/Photo.PNG",
                "this file lands on `guides/Photo.PNG`, which differs only in case from `guides/photo.png`"
            ),
        ],
        "{warnings:#?}"
    );
}

#[test]
fn a_content_file_at_a_theme_file_path_is_a_clash() {
    let site = site_with(&[("content/static/favicon.svg", "<svg/>\n")]);
    let errors = site.errors();
    assert_eq!(
        located(&errors, "output-clash"),
        [(
            "content/static/favicon.svg".to_string(),
            Some(1),
            "this file lands on `static/favicon.svg`, which Touchstone generates itself"
                .to_string()
        )],
        "{errors:#?}"
    );
}

#[test]
fn a_content_file_at_a_path_serve_answers_itself_is_a_clash() {
    let site = site_with(&[("content/__touchstone/live-reload.js", "// mine\n")]);
    let errors = site.errors();
    assert_eq!(
        located(&errors, "output-clash"),
        [(
            "content/__touchstone/live-reload.js".to_string(),
            Some(1),
            "this file lands on `__touchstone/live-reload.js`, which Touchstone generates itself"
                .to_string()
        )],
        "{errors:#?}"
    );
}

#[test]
fn check_finds_a_content_file_at_a_search_index_path() {
    // `check` builds the search index only when something could clash with it.
    let site = site_with(&[("content/search/meta.json", "{}\n")]);
    let errors = match touchstone::check(&site.options()) {
        Ok(_) => panic!("check was expected to fail"),
        Err(touchstone::Failure::Content { diagnostics, .. }) => diagnostics,
        Err(touchstone::Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
    };
    assert_eq!(
        located(&errors, "output-clash"),
        [(
            "content/search/meta.json".to_string(),
            Some(1),
            "this file lands on `search/meta.json`, which Touchstone generates itself".to_string()
        )],
        "{errors:#?}"
    );
}

#[test]
fn an_intro_written_at_a_list_or_the_journey_is_not_a_clash() {
    let site = site_with(&[
        ("content/roles/_index.md", "Everyone who serves.\n"),
        ("content/journey/_index.md", "From first touch on.\n"),
        ("content/index.md", "# Home\n\nWelcome.\n"),
    ]);
    let built = site.build();
    assert!(
        built
            .page("roles/")
            .text("main")
            .contains("Everyone who serves.")
    );
    assert!(
        built
            .page("journey/")
            .text("main")
            .contains("From first touch on.")
    );
}

#[test]
fn links_and_hidden_content_are_skipped_with_a_warning_saying_why() {
    let site = site_with(&[
        ("content/.draft-standard.md", "---\ntitle: Draft\n---\n"),
        ("content/.drafts/ideas.md", "# Ideas\n"),
        ("content/.git-like/config", "not content"),
        ("content/.DS_Store", "noise"),
    ]);
    let content = site.root().join("content");
    std::os::unix::fs::symlink(
        content.join("guides/faq.md"),
        content.join("guides/again.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(content.join("guides"), content.join("handbook")).unwrap();
    let warnings = site.warnings();
    let skipped: Vec<(&str, &str)> = warnings
        .iter()
        .filter(|d| d.code.starts_with("skipped-"))
        .map(|d| (d.code, d.file.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("skipped-hidden", "content/.draft-standard.md"),
            ("skipped-hidden", "content/.drafts"),
            ("skipped-link", "content/guides/again.md"),
            ("skipped-link", "content/handbook"),
        ],
        "{warnings:#?}"
    );
    let link = with_code(&warnings, "skipped-link")[1];
    assert!(
        link.message.contains("folder is a symbolic link"),
        "{link:?}"
    );
    let hidden = with_code(&warnings, "skipped-hidden")[0];
    assert!(
        hidden
            .hint
            .as_deref()
            .unwrap()
            .contains("`draft-standard.md`"),
        "{hidden:?}"
    );
    let built = site.build();
    assert!(!built.out.join("handbook").exists() && !built.out.join("guides/again").exists());
}

#[test]
fn a_pipe_named_like_content_is_skipped_with_a_warning_and_never_read() {
    let site = site_with(&[]);
    let pipe = site.root().join("content/guides/notes.md");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let warnings = site.warnings();
    let special = with_code(&warnings, "skipped-special");
    assert_eq!(
        special.iter().map(|d| d.file.as_str()).collect::<Vec<_>>(),
        ["content/guides/notes.md"]
    );
    // Printing the warning must not open the pipe (that blocks for ever).
    let (done, finished) = std::sync::mpsc::channel();
    let root = site.root().to_path_buf();
    std::thread::spawn(move || {
        let text = touchstone::diagnostics::render_human(&warnings, &root, false);
        let _ = done.send(text);
    });
    let text = finished
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the human output is printed without reading the pipe");
    assert!(text.contains("not a regular file"), "{text}");
}

/// Folders nested until their path is longer than the system allows
/// (`PATH_MAX`), made with relative steps (perl's `chdir`; a shell's `cd`
/// refuses): nobody, root included, can read the innermost one by its path,
/// as with a folder without read permission.
fn unreadable_folder(parent: &std::path::Path) -> String {
    let segment = "d".repeat(200);
    let script = format!(
        "chdir '{}' or die; for (1..22) {{ mkdir '{segment}' or die; chdir '{segment}' or die }} open(F, '>', 'page.md') or die",
        parent.display()
    );
    let made = std::process::Command::new("perl")
        .arg("-e")
        .arg(script)
        .status();
    assert!(made.is_ok_and(|s| s.success()), "deep folders");
    segment
}

#[test]
fn an_unreadable_folder_is_an_error_naming_it() {
    let site = site_with(&[]);
    let segment = unreadable_folder(&site.root().join("content/guides"));
    let errors = site.errors();
    let unreadable = with_code(&errors, "unreadable");
    assert_eq!(unreadable.len(), 1, "{errors:#?}");
    let file = &unreadable[0].file;
    assert!(
        file.starts_with(&format!("content/guides/{segment}/")),
        "{file}"
    );
    assert!(unreadable[0].message.starts_with("cannot read this"));
}

#[test]
fn a_standard_that_did_not_load_whole_leaves_no_hate_unaddressed() {
    let site = site_with(&[
        (
            "content/standards/call-ahead.md",
            "---\ntitle: Call ahead\nstatment: We call first.\nmoments: [delivery]\n---\n",
        ),
        (
            "content/personas/parent.md",
            "---\ntitle: Busy parent\nhates:\n  - text: Chasing a refund\n    moments: [refund]\n    evidence: verified\n    source: complaints\n---\n",
        ),
    ]);
    let diagnostics = site.errors();
    assert_eq!(
        codes(&diagnostics),
        ["unknown-field"],
        "the misspelt field may be the one that addressed it: {diagnostics:#?}"
    );
}

#[test]
fn yaml_nested_too_deeply_is_said_in_the_authors_terms() {
    let brackets = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let maps = format!(
        "---\ntitle: X\nextra: {}1{}\n---\n",
        "{a: ".repeat(1_000),
        "}".repeat(1_000)
    );
    for text in [brackets, maps] {
        let site = TestSite::new(&[("content/guides/deep.md", text.as_str())]);
        let errors = site.errors();
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["the YAML is nested too deeply"], "{errors:#?}");
        assert_eq!(errors[0].file, "content/guides/deep.md");
    }
}

#[test]
fn a_backslash_in_a_name_is_never_taken_for_a_folder() {
    let site = site_with(&[
        ("content/guides/a\\b.md", "# Backslash\n"),
        ("content/journey/core/..\\..\\x.md", "---\ntitle: X\n---\n"),
    ]);
    let warnings = site.warnings();
    let hidden = with_code(&warnings, "skipped-hidden");
    assert_eq!(
        hidden.iter().map(|d| d.file.as_str()).collect::<Vec<_>>(),
        ["content/journey/core/..\\..\\x.md"],
        "a name starting with a dot is hidden, backslashes and all: {warnings:#?}"
    );
    let built = site.build();
    assert_eq!(built.page("guides/a-b/").text("h1"), "Backslash");

    site.write("content/guides/c\\d.png", "png");
    let errors = site.errors();
    assert_eq!(
        located(&errors, "unsafe-name"),
        [(
            "content/guides/c\\d.png".to_string(),
            None,
            "this file's path holds a backslash (`\\`), which web servers and Windows read as a folder separator".to_string()
        )]
    );
}

#[test]
fn a_file_name_without_letters_or_digits_lands_at_untitled() {
    let site = site_with(&[
        (
            "content/roles/!!!.md",
            "---\ntitle: Nobody yet\nsupports: [delivery]\n---\n",
        ),
        ("content/guides/%%%.md", "# To be named\n"),
    ]);
    let built = site.build();
    assert_eq!(built.page("roles/untitled/").text("h1"), "Nobody yet");
    assert_eq!(built.page("guides/untitled/").text("h1"), "To be named");
}

#[test]
fn markdown_and_yaml_with_an_upper_case_extension_are_copied_with_a_warning_saying_how_to_build_them()
 {
    let site = site_with(&[
        ("content/guides/README.MD", "# Read me\n"),
        ("content/roles.YAML", "- id: x\n  title: X\n"),
        ("content/guides/notes.Markdown", "# Notes\n"),
        ("content/img/photo.JPG", "not really a picture"),
        ("content/data/table.YAML", "a: 1\n"),
        // What editors leave is never content, whatever its case.
        ("content/guides/~WRL0001.TMP", "x"),
        ("content/guides/Backup.SWP", "x"),
        // A stale copy beside the file that is read.
        ("content/guides/faq.MD", "# Old FAQ\n"),
        // Renamed where it is, this would be a moment outside a stage.
        ("content/journey/README.MD", "# About the journey\n"),
    ]);
    let warnings = site.warnings();
    let found: Vec<(&str, Option<&str>)> = with_code(&warnings, "not-content")
        .iter()
        .map(|d| (d.file.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/guides/README.MD",
                Some("rename it `README.md` to make it part of the playbook")
            ),
            (
                "content/guides/faq.MD",
                Some("`faq.md` beside it is the one read; delete this copy if it is an old one")
            ),
            (
                "content/guides/notes.Markdown",
                Some("rename it `notes.markdown` to make it part of the playbook")
            ),
            (
                "content/journey/README.MD",
                Some(
                    "Markdown in journey/ is a moment: rename it `README.md` and move it to content/journey/<stage>/, or move it out of journey/ to make it a page"
                )
            ),
            (
                "content/roles.YAML",
                Some("rename it `roles.yaml` to make it part of the playbook")
            ),
        ],
        "{warnings:#?}"
    );
    // Nothing is lost: each is still published as the file it is.
    let built = site.build();
    assert!(built.out.join("guides/README.MD").is_file());
    assert!(built.out.join("data/table.YAML").is_file());
}

#[test]
fn front_matter_opened_with_spaces_after_its_dashes_is_read() {
    let site = site_with(&[
        (
            "content/guides/secret-plan.md",
            "--- \ntitle: Secret plan\ndraft: true\n---\nNOT YET PUBLIC\n",
        ),
        (
            "content/guides/later.md",
            "\n\n---\ntitle: Later\ndraft: true\n---\nNot yet either\n",
        ),
    ]);
    let built = site.build();
    assert!(
        !built.out.join("guides/secret-plan").exists(),
        "a draft stays out"
    );
    // Below blank lines it is body text, as a rule is: named, not dropped.
    let below: Vec<(&str, Option<usize>)> = with_code(&built.warnings, "front-matter-not-first")
        .iter()
        .map(|d| (d.file.as_str(), d.line))
        .collect();
    assert_eq!(below, [("content/guides/later.md", Some(3))]);
}

#[test]
fn yaml_in_an_entity_folder_is_copied_with_a_warning_saying_where_lists_go() {
    let site = site_with(&[
        (
            "content/standards/extra-standards.yaml",
            "- id: lost-standard\n  title: Lost\n",
        ),
        ("content/journey/other.yml", "- id: lost-moment\n"),
        // Data beside plain pages is the author's own.
        ("content/guides/data.yaml", "a: 1\n"),
    ]);
    let warnings = site.warnings();
    let found: Vec<(&str, Option<&str>)> = with_code(&warnings, "not-content")
        .iter()
        .map(|d| (d.file.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/journey/other.yml",
                Some(
                    "a stage's moments are listed in content/journey/<stage>/moments.yaml, or each written as content/journey/<stage>/<id>.md"
                )
            ),
            (
                "content/standards/extra-standards.yaml",
                Some(
                    "list standards in content/standards.yaml, or write each as content/standards/<id>.md"
                )
            ),
        ],
        "{warnings:#?}"
    );
}

#[test]
fn toml_front_matter_is_an_error_not_a_page_that_lost_its_fields() {
    let site = site_with(&[(
        "content/guides/hugo.md",
        "+++\ntitle = \"Hello\"\ndraft = true\n+++\nBody\n",
    )]);
    let errors = site.errors();
    let found: Vec<(&str, &str, Option<usize>)> = errors
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line))
        .collect();
    assert_eq!(
        found,
        [("toml-front-matter", "content/guides/hugo.md", Some(1))]
    );
}

#[test]
fn front_matter_that_is_a_sentence_is_an_error_at_its_line() {
    let site = site_with(&[(
        "content/guides/rule.md",
        "---\n\nSome text\n\n---\n\nmore\n",
    )]);
    let errors = site.errors();
    let found: Vec<(&str, &str, Option<usize>)> = errors
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line))
        .collect();
    assert_eq!(found, [("invalid-yaml", "content/guides/rule.md", Some(3))]);
}
