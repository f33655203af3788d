//! A rebuild that reuses the memo of earlier builds must give exactly what a
//! fresh build gives, whatever the edit. Each step edits the site, rebuilds
//! both ways, and compares every output file.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use touchstone::incremental::{FirstStep, Memo, SecondStep};
use touchstone::{BuildOptions, Rebuild};

fn files(compiled: touchstone::Compiled) -> BTreeMap<String, Vec<u8>> {
    compiled
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes.to_vec()))
        .collect()
}

/// Rebuilds with the memo, checks the result equals a fresh build, and
/// returns how many pages the memoised build rendered.
fn assert_same_as_fresh(site: &TestSite, memo: &mut Memo, step: &str) -> usize {
    rebuild_same_as_fresh(site, memo, step).0
}

/// Like `assert_same_as_fresh`; also tells whether the rebuild only patched
/// the last build (or found it unchanged) instead of running the pipeline.
fn rebuild_same_as_fresh(site: &TestSite, memo: &mut Memo, step: &str) -> (usize, bool) {
    let compiled =
        touchstone::compile_with(&site.options(), memo).unwrap_or_else(|e| panic!("{step}: {e:?}"));
    let rendered = compiled.rendered;
    let patched = compiled.rebuild != Rebuild::Full;
    let incremental = files(compiled);
    let fresh = files(touchstone::compile(&site.options()).unwrap());
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "{step}: same files"
    );
    for (path, bytes) in &fresh {
        assert!(
            incremental[path] == *bytes,
            "{step}: {path} differs from a fresh build"
        );
    }
    (rendered, patched)
}

/// The site as serve holds it: the files of the last whole build, with each
/// patched build's delta applied to them.
#[derive(Default)]
struct Held {
    generation: u64,
    files: BTreeMap<String, Vec<u8>>,
    /// Patches served in two steps.
    steps: usize,
}

impl Held {
    /// Rebuilds with the memo as serve does, takes the result in, checks it
    /// equals a fresh build, and tells whether the last build was patched.
    fn rebuild_same_as_fresh(&mut self, site: &TestSite, memo: &mut Memo, step: &str) -> bool {
        memo.hold_files(self.generation);
        let compiled = touchstone::compile_with(&site.options(), memo)
            .unwrap_or_else(|e| panic!("{step}: {e:?}"));
        let patched = compiled.rebuild != Rebuild::Full;
        let generation = compiled.generation;
        match compiled.delta.clone() {
            Some(delta) if compiled.files.is_empty() => self.take(delta, step),
            _ => {
                assert!(
                    !patched,
                    "{step}: a patch of the held build gives its delta alone"
                );
                self.files = files(compiled);
                self.generation = generation;
            }
        }
        // As serve does when it serves each patch in two steps.
        match touchstone::incremental::finish(memo) {
            Some(SecondStep::Done { delta, .. }) => {
                self.steps += 1;
                memo.hold_files(delta.generation);
                self.take(delta, &format!("{step}, second step"));
            }
            Some(SecondStep::Failed) => panic!("{step}: the second step failed"),
            None => {}
        }
        let fresh = files(touchstone::compile(&site.options()).unwrap());
        assert_eq!(
            self.files.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "{step}: same files"
        );
        for (path, bytes) in &fresh {
            assert!(
                self.files[path] == *bytes,
                "{step}: {path} differs from a fresh build"
            );
        }
        patched
    }
}

impl Held {
    /// Applies a patch's delta to the files held.
    fn take(&mut self, delta: touchstone::Delta, step: &str) {
        assert_eq!(
            delta.base, self.generation,
            "{step}: a delta of the held build"
        );
        for path in &delta.removed {
            assert!(self.files.remove(path).is_some(), "{step}: {path} was held");
        }
        for file in delta.written {
            // A page is written again only when it changed: open pages
            // showing it reload.
            let page = file.path.ends_with(".html");
            let same = self
                .files
                .get(&file.path)
                .is_some_and(|b| **b == *file.bytes);
            assert!(!(page && same), "{step}: {} written as it was", file.path);
            self.files.insert(file.path, file.bytes.to_vec());
        }
        self.generation = delta.generation;
    }
}

fn edit(site: &TestSite, path: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    std::thread::sleep(std::time::Duration::from_millis(5));
    site.write(path, &text.replace(from, to));
}

#[test]
fn memoised_rebuilds_equal_fresh_builds_through_a_series_of_edits() {
    let site = TestSite::new(&small_site());
    let mut memo = Memo::for_session();
    let all = assert_same_as_fresh(&site, &mut memo, "first build");
    assert_eq!(
        assert_same_as_fresh(&site, &mut memo, "no change"),
        0,
        "nothing changed, nothing rendered"
    );
    edit(
        &site,
        "content/roles/driver.md",
        "The face of the company.",
        "The face of the company, every day.",
    );
    let some = assert_same_as_fresh(&site, &mut memo, "role body");
    assert!(
        some < all / 2,
        "a body edit renders a few pages, not all: {some} of {all}"
    );
    edit(
        &site,
        "content/roles/driver.md",
        "title: Driver",
        "title: Delivery driver",
    );
    assert_same_as_fresh(&site, &mut memo, "role title shown on many pages");
    edit(
        &site,
        "content/roles/agent.md",
        "owns: [booking, refund]",
        "owns: [booking]\nsupports: [refund]",
    );
    assert_same_as_fresh(&site, &mut memo, "ownership moved");
    site.write(
        "content/stories/second.md",
        "---\ntitle: Second story\npersona: parent\nmoments: [refund]\n---\nIt took weeks.\n",
    );
    assert_same_as_fresh(&site, &mut memo, "story added at a moment a role supports");
    edit(
        &site,
        "content/personas/parent.md",
        "A precise window",
        "A precise two-hour window",
    );
    assert_same_as_fresh(&site, &mut memo, "persona claim text");
    site.write(
        "content/journey/core/install.md",
        "---\ntitle: Installation\norder: 3\n---\n",
    );
    assert_same_as_fresh(
        &site,
        &mut memo,
        "moment added (unowned, on the health page)",
    );
    edit(
        &site,
        "content/mantras.yaml",
        "No surprises",
        "No surprises, ever",
    );
    assert_same_as_fresh(&site, &mut memo, "mantra in a YAML list");
    site.write("content/guides/more.md", "# More\n\nSee [[roles/agent]].\n");
    assert_same_as_fresh(&site, &mut memo, "guide added, linking a role");
    std::fs::remove_file(site.root().join("content/guides/faq.md")).unwrap();
    assert_same_as_fresh(&site, &mut memo, "guide deleted");
    edit(
        &site,
        "content/roles/agent.md",
        "owns: [booking]",
        "owns: [booking]\nbehaviours:\n  - standard: call-ahead\n    do: Ring back.\n    dont: Forget.",
    );
    assert_same_as_fresh(
        &site,
        &mut memo,
        "behaviour added: the standard and its mantra now show the role",
    );
    std::fs::create_dir_all(site.root().join("content/journey/first-touch")).unwrap();
    std::fs::rename(
        site.root().join("content/journey/core/refund.md"),
        site.root().join("content/journey/first-touch/refund.md"),
    )
    .unwrap();
    assert_same_as_fresh(&site, &mut memo, "moment moved to another stage");
    site.write("templates/story.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.doc.title }}</h1>{% endblock content %}");
    assert_same_as_fresh(&site, &mut memo, "template override added");
    edit(
        &site,
        "content/standards/call-ahead.md",
        "title: Call ahead",
        "title: Call ahead\ndraft: true",
    );
    assert_same_as_fresh(&site, &mut memo, "standard made a draft");
}

/// Edits that touch only bodies patch the last build: the bodies, the pages
/// that show them and their search records. Edits that change what a body
/// links to, or anything else, take the whole pipeline. Both equal a fresh build.
#[test]
fn body_edits_patch_the_last_build_and_equal_fresh_builds() {
    let mut files = small_site();
    files.push((
        "content/roles/_index.md",
        "Everyone who serves a customer.\n",
    ));
    files.push((
        "content/guides/long.md",
        "# Long guide\n\n## First part\n\nSome words.\n\n## Second part\n\nMore words.\n",
    ));
    let site = TestSite::new(&files);
    let mut memo = Memo::for_session();
    let all = assert_same_as_fresh(&site, &mut memo, "first build");
    let quick = |memo: &mut Memo, step: &str| {
        let (rendered, patched) = rebuild_same_as_fresh(&site, memo, step);
        assert!(patched, "{step}: patched, not rebuilt");
        assert!(
            rendered < all / 2,
            "{step}: {rendered} of {all} pages rendered"
        );
    };
    let full = |memo: &mut Memo, step: &str| {
        let (_, patched) = rebuild_same_as_fresh(&site, memo, step);
        assert!(!patched, "{step}: needs the whole pipeline");
    };

    edit(
        &site,
        "content/roles/driver.md",
        "The face",
        "Still the face",
    );
    quick(&mut memo, "role body");
    edit(
        &site,
        "content/journey/core/delivery.md",
        "The van arrives.",
        "The van arrives on time.",
    );
    quick(&mut memo, "moment body");
    edit(&site, "content/roles/_index.md", "Everyone", "Every person");
    quick(&mut memo, "intro of a generated list page");
    edit(
        &site,
        "content/guides/long.md",
        "## Second part",
        "## Second half",
    );
    quick(
        &mut memo,
        "a heading renamed: same number of search records",
    );
    edit(
        &site,
        "content/guides/long.md",
        "More words.",
        "More words.\n\n## Third part\n\nEven more.",
    );
    full(&mut memo, "a heading added: search records move");
    edit(
        &site,
        "content/roles/agent.md",
        "Answers the phone.",
        "Answers the phone. See [[delivery]].",
    );
    full(&mut memo, "a body link added: backlinks change");
    edit(
        &site,
        "content/roles/agent.md",
        "See [[delivery]].",
        "See [[delivery|the delivery]].",
    );
    quick(&mut memo, "link text changed, same target");
    edit(
        &site,
        "content/roles/agent.md",
        "title: Agent",
        "title: Service agent",
    );
    full(&mut memo, "front matter changed");
    edit(
        &site,
        "content/stories/late-van.md",
        "rang me first",
        "rang me first, twice",
    );
    edit(
        &site,
        "content/standards/call-ahead.md",
        "Why it matters.",
        "Why it matters most.",
    );
    quick(&mut memo, "two bodies at once");

    // A broken link is an error; the fix builds again and equals a fresh build.
    edit(
        &site,
        "content/roles/driver.md",
        "Still the face",
        "Still the face of [[nowhere]]",
    );
    assert!(touchstone::compile_with(&site.options(), &mut memo).is_err());
    edit(&site, "content/roles/driver.md", " of [[nowhere]]", "");
    full(&mut memo, "fixed after an error");
    edit(
        &site,
        "content/roles/driver.md",
        "Still the face",
        "Ever the face",
    );
    quick(&mut memo, "body edit after a failed build");

    // The watcher's paths, when given, are the only ones looked at.
    edit(
        &site,
        "content/journey/core/delivery.md",
        "on time",
        "on time, every time",
    );
    memo.hint(vec![site.root().join("content/journey/core/delivery.md")]);
    quick(&mut memo, "hinted body edit");
    std::fs::remove_file(site.root().join("content/guides/long.md")).unwrap();
    site.write(
        "content/guides/new/deep.md",
        "# Deep\n\nNew folder, new page.\n",
    );
    memo.hint(vec![
        site.root().join("content/guides/long.md"),
        site.root().join("content/guides/new"),
    ]);
    full(&mut memo, "hinted removal and a new folder");
    site.write("templates/role.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.doc.title }}</h1>{{ page.doc.body | safe }}{% endblock content %}");
    edit(
        &site,
        "content/roles/driver.md",
        "Ever the face",
        "Always the face",
    );
    memo.hint(vec![
        site.root().join("templates/role.html"),
        site.root().join("content/roles/driver.md"),
    ]);
    full(&mut memo, "a template changed with a body");

    // Hints add up while a broken book.toml stops builds before loading.
    let config = std::fs::read_to_string(site.root().join("book.toml")).unwrap();
    site.write("book.toml", "[book\n");
    memo.hint(vec![site.root().join("book.toml")]);
    assert!(touchstone::compile_with(&site.options(), &mut memo).is_err());
    edit(
        &site,
        "content/roles/driver.md",
        "Always the face",
        "Forever the face",
    );
    memo.hint(vec![site.root().join("content/roles/driver.md")]);
    assert!(touchstone::compile_with(&site.options(), &mut memo).is_err());
    site.write("book.toml", &config);
    memo.hint(vec![site.root().join("book.toml")]);
    rebuild_same_as_fresh(&site, &mut memo, "edit made while book.toml was broken");

    // What a whole build leaves out, a hint does not bring in: files inside a
    // linked folder, editor temporary files. A content file at a page's path
    // is an error, memo or not, and the patch after it is gone is still right.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("linked.md"), "# Linked\n\nText.\n").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("content/shared")).unwrap();
    site.write("content/guides/notes.tmp", "scratch");
    memo.hint(vec![
        site.root().join("content/shared/linked.md"),
        site.root().join("content/guides/notes.tmp"),
    ]);
    rebuild_same_as_fresh(&site, &mut memo, "a linked folder and a temporary file");
    site.write("content/roles/driver/index.html", "<p>hand written</p>");
    memo.hint(vec![site.root().join("content/roles/driver/index.html")]);
    for clash in [
        touchstone::compile_with(&site.options(), &mut memo),
        touchstone::compile(&site.options()),
    ] {
        let Err(touchstone::Failure::Content { diagnostics, .. }) = clash else {
            panic!("a content file where a page goes must fail");
        };
        assert!(diagnostics.iter().any(|d| d.code == "output-clash"));
    }
    std::fs::remove_file(site.root().join("content/roles/driver/index.html")).unwrap();
    memo.hint(vec![site.root().join("content/roles/driver/index.html")]);
    assert_same_as_fresh(&site, &mut memo, "a clashing file removed");
    edit(
        &site,
        "content/roles/driver.md",
        "Forever the face",
        "Truly the face",
    );
    memo.hint(vec![site.root().join("content/roles/driver.md")]);
    quick(&mut memo, "body edit after a clash was removed");
}

#[test]
fn each_rebuild_says_whether_it_was_unchanged_patched_or_full() {
    let site = TestSite::new(&small_site());
    let driver = site.root().join("content/roles/driver.md");
    let mut memo = Memo::for_session();
    let mut rebuild = |hint: Option<&std::path::Path>| {
        if let Some(path) = hint {
            memo.hint(vec![path.to_path_buf()]);
        }
        let compiled = touchstone::compile_with(&site.options(), &mut memo).unwrap();
        (compiled.rebuild, compiled.rendered)
    };
    assert_eq!(rebuild(None).0, Rebuild::Full, "first build");
    assert_eq!(
        rebuild(Some(&driver)),
        (Rebuild::Unchanged, 0),
        "a watcher event for a file that did not change"
    );
    assert_eq!(
        rebuild(None),
        (Rebuild::Patched, 0),
        "a walk that finds nothing changed patches nothing"
    );
    edit(
        &site,
        "content/roles/driver.md",
        "The face of the company.",
        "The face of us.",
    );
    assert_eq!(rebuild(Some(&driver)).0, Rebuild::Patched, "a body edit");
    edit(
        &site,
        "content/roles/driver.md",
        "title: Driver",
        "title: Van driver",
    );
    assert_eq!(rebuild(Some(&driver)).0, Rebuild::Patched, "a title edit");
    let guide = site.root().join("content/guides/new.md");
    site.write("content/guides/new.md", "# New\n\nA new guide.\n");
    assert_eq!(rebuild(Some(&guide)).0, Rebuild::Full, "a new page");
}

/// A small seeded generator (xorshift), so a failing sequence can be replayed
/// from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Replaces the first line of `path` that starts with `prefix` (after
/// indentation) with `prefix` and `value`, keeping the indentation.
fn set_line(site: &TestSite, path: &str, prefix: &str, value: &str) {
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            if !done && line.trim_start().starts_with(prefix) {
                done = true;
                format!("{}{prefix}{value}", &line[..indent])
            } else {
                line.to_string()
            }
        })
        .collect();
    assert!(done, "{path} has no line starting with {prefix:?}");
    std::thread::sleep(std::time::Duration::from_millis(2));
    site.write(path, &(lines.join("\n") + "\n"));
}

/// Sets a top-level front matter field, adding it when missing.
fn set_field(site: &TestSite, path: &str, key: &str, value: &str) {
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    let (front, body) = text[4..].split_once("\n---\n").expect("front matter");
    let prefix = format!("{key}: ");
    let mut lines: Vec<String> = front
        .lines()
        .filter(|l| !l.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    lines.push(format!("{prefix}{value}"));
    std::thread::sleep(std::time::Duration::from_millis(2));
    site.write(path, &format!("---\n{}\n---\n{body}", lines.join("\n")));
}

/// An edit to front matter that keeps every entity where it was: the last
/// build is patched for it, never rebuilt whole.
fn front_matter_edit(site: &TestSite, rng: &mut Rng, n: usize) -> (String, String) {
    let (path, what) = match rng.below(7) {
        0 => {
            let path = "content/journey/core/_index.md";
            set_line(site, path, "title: ", &format!("Core {n}"));
            (path, "a stage's title")
        }
        1 => {
            let path = "content/journey/core/refund.md";
            set_line(site, path, "order: ", &format!("{}", n % 3));
            (path, "a moment's order")
        }
        2 => {
            let path = "content/journey/first-touch/booking.md";
            set_line(site, path, "title: ", &format!("Booking {n}"));
            (path, "a linked moment's title")
        }
        3 => {
            let path = "content/standards/call-ahead.md";
            let days = ["2026-03-01", "2026-04-02", "2026-05-03"];
            set_field(site, path, "updated", days[rng.below(days.len())]);
            (path, "a standard's updated date")
        }
        4 => {
            // What other entities' entries in the export show of it (a
            // mantra's standards, a moment's) moves with it.
            let path = "content/standards/call-ahead.md";
            let mantras = ["[no-surprises]", "[]"];
            let moments = ["[delivery]", "[delivery, refund]", "[booking]"];
            set_field(site, path, "mantras", mantras[rng.below(mantras.len())]);
            set_field(site, path, "moments", moments[rng.below(moments.len())]);
            (path, "a standard's mantras and moments")
        }
        5 => {
            let path = "content/stories/late-van.md";
            let moments = ["[delivery]", "[delivery, booking]", "[refund]"];
            set_field(site, path, "moments", moments[rng.below(moments.len())]);
            (path, "a story's moments")
        }
        _ => {
            let path = "content/personas/parent.md";
            set_line(site, path, "quote: ", &format!("Just tell me, take {n}."));
            (path, "a persona's quote")
        }
    };
    (path.to_string(), what.to_string())
}

/// The edits an author makes all day, one file at a time; each returns the
/// paths it touched (what a watcher would report) and a name for the step.
fn random_edit(
    site: &TestSite,
    rng: &mut Rng,
    n: usize,
    guides: &mut Vec<String>,
) -> (Vec<String>, String) {
    let entity = [
        "content/roles/driver.md",
        "content/roles/agent.md",
        "content/standards/call-ahead.md",
        "content/stories/late-van.md",
        "content/journey/core/delivery.md",
        "content/personas/parent.md",
    ];
    let targets = [
        "roles/driver",
        "roles/agent",
        "call-ahead",
        "moments/delivery",
        "personas/parent",
        "stories/late-van",
    ];
    match rng.below(10) {
        0 | 1 => {
            let path = rng.pick(&entity);
            let text = std::fs::read_to_string(site.root().join(path)).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(2));
            site.write(path, &format!("{text}\nEdit {n} of the body.\n"));
            (vec![path.into()], format!("body of {path}"))
        }
        2 => {
            let path = rng.pick(&entity);
            set_line(site, path, "title: ", &format!("Title {n}"));
            (vec![path.into()], format!("title of {path}"))
        }
        3 => {
            let variants = [
                ("[booking, refund]", "[]"),
                ("[booking]", "[refund]"),
                ("[refund]", "[booking, delivery]"),
                ("[]", "[booking]"),
            ];
            let (owns, supports) = variants[rng.below(variants.len())];
            let path = "content/roles/agent.md";
            set_field(site, path, "owns", owns);
            set_field(site, path, "supports", supports);
            (
                vec![path.into()],
                format!("owns {owns}, supports {supports}"),
            )
        }
        4 => {
            set_line(
                site,
                "content/roles/driver.md",
                "do: ",
                &format!("Phone ahead, take {n}."),
            );
            (
                vec!["content/roles/driver.md".into()],
                "a behaviour's do".into(),
            )
        }
        5 => {
            set_line(
                site,
                "content/personas/parent.md",
                "- text: ",
                &format!("A precise window, take {n}"),
            );
            (
                vec!["content/personas/parent.md".into()],
                "a persona's love".into(),
            )
        }
        6 => {
            let path = format!("content/guides/new-{n}.md");
            let target = rng.pick(&targets);
            // "New" comes first in the guides' folder (the navigation
            // changes), "Zebra" after the guides there are.
            let title = rng.pick(&["New", "Zebra"]);
            site.write(
                &path,
                &format!("# {title} guide {n}\n\nSee [[{target}]].\n"),
            );
            guides.push(path.clone());
            (vec![path], format!("new guide {title} linking {target}"))
        }
        7 if !guides.is_empty() => {
            // Retitled in place: it moves among the guides, and the
            // export, which lists no guide, stays as it was.
            let path = guides[rng.below(guides.len())].clone();
            let title = rng.pick(&["Apology", "Middle", "Zulu"]);
            let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
            let (_, rest) = text.split_once('\n').unwrap();
            site.write(&path, &format!("# {title} guide {n}\n{rest}"));
            (vec![path.clone()], format!("retitled {path} {title}"))
        }
        8 if !guides.is_empty() => {
            let path = guides.remove(rng.below(guides.len()));
            std::fs::remove_file(site.root().join(&path)).unwrap();
            (vec![path.clone()], format!("deleted {path}"))
        }
        _ if !guides.is_empty() => {
            let i = rng.below(guides.len());
            let to = format!("content/guides/renamed-{n}.md");
            std::fs::rename(site.root().join(&guides[i]), site.root().join(&to)).unwrap();
            let from = std::mem::replace(&mut guides[i], to.clone());
            (vec![from.clone(), to], format!("renamed {from}"))
        }
        _ => {
            set_line(
                site,
                "content/roles/driver.md",
                "title: ",
                &format!("Driver {n}"),
            );
            (
                vec!["content/roles/driver.md".into()],
                "driver's title".into(),
            )
        }
    }
}

#[test]
fn random_sequences_of_single_file_edits_equal_fresh_builds() {
    for seed in [0x5eed_0001_u64, 0x5eed_0002, 0x5eed_0003, 0x5eed_0004] {
        random_edits_equal_fresh_builds(seed, Memo::for_session());
    }
}

/// As serve rebuilds: the pages whose last output was longer than 3 KB
/// (in this small site, the home and the lists of whole kinds) are
/// rendered in a second step, which must leave what a fresh build makes.
#[test]
fn random_edits_served_in_two_steps_equal_fresh_builds() {
    for seed in [0x5eed_0011_u64, 0x5eed_0012, 0x5eed_0013] {
        let mut memo = Memo::for_session();
        memo.serve_in_two_steps(FirstStep {
            longest: 3 * 1024,
            pages: 2,
        });
        let held = random_edits_equal_fresh_builds(seed, memo);
        assert!(
            held.steps > 0,
            "seed {seed:#x}: no patch left a second step"
        );
    }
}

fn random_edits_equal_fresh_builds(seed: u64, mut memo: Memo) -> Held {
    {
        let site = TestSite::new(&small_site());
        let mut rng = Rng(seed);
        // A guide that stays first in its folder, so the navigation's link
        // to the folder stays while the others come and go.
        site.write("content/guides/about.md", "# About the guides\n\nHow to.\n");
        // The folder's own page lists its guides in order.
        site.write("content/guides/index.md", "# Guides\n\nEvery guide.\n");
        let mut guides = vec!["content/guides/faq.md".to_string()];
        let mut held = Held::default();
        let mut patched = 0;
        held.rebuild_same_as_fresh(&site, &mut memo, "first build");
        for n in 0..18 {
            let (paths, what) = if rng.below(3) == 0 {
                let (path, what) = front_matter_edit(&site, &mut rng, n);
                (vec![path], what)
            } else {
                random_edit(&site, &mut rng, n, &mut guides)
            };
            // As serve does: the watcher names the paths that changed.
            memo.hint(paths.iter().map(|p| site.root().join(p)).collect());
            let step = format!("seed {seed:#x}, edit {n}: {what}");
            patched += usize::from(held.rebuild_same_as_fresh(&site, &mut memo, &step));
        }
        assert!(patched > 0, "seed {seed:#x}: no edit was patched");
        held
    }
}

#[test]
fn front_matter_edits_patch_the_last_build_and_equal_fresh_builds() {
    let site = TestSite::new(&small_site());
    let mut memo = Memo::for_session();
    let mut rng = Rng(0x5eed_f00d);
    let mut held = Held::default();
    held.rebuild_same_as_fresh(&site, &mut memo, "first build");
    let mut edit = |n: usize, what: &str, path: &str| {
        memo.hint(vec![site.root().join(path)]);
        let patched = held.rebuild_same_as_fresh(&site, &mut memo, &format!("edit {n}: {what}"));
        assert!(patched, "edit {n}: {what} was rebuilt whole");
    };
    for n in 0..24 {
        let (path, what) = front_matter_edit(&site, &mut rng, n);
        edit(n, &what, &path);
    }
    set_line(&site, "content/roles/driver.md", "title: ", "Van driver");
    edit(24, "a role's title", "content/roles/driver.md");
    set_field(&site, "content/roles/agent.md", "owns", "[booking]");
    set_field(&site, "content/roles/agent.md", "supports", "[refund]");
    edit(25, "a role's owns and supports", "content/roles/agent.md");
    set_line(
        &site,
        "content/roles/driver.md",
        "do: ",
        "Phone well ahead.",
    );
    edit(26, "a behaviour", "content/roles/driver.md");
    set_line(&site, "content/personas/parent.md", "- text: ", "A window");
    edit(27, "a persona's love", "content/personas/parent.md");
}

#[test]
fn an_id_added_elsewhere_makes_a_memoised_wikilink_ambiguous() {
    // guides/faq.md links `[[call-ahead|this one]]`, a standard; a role
    // with the same id makes the link ambiguous, memo or not.
    let site = TestSite::new(&small_site());
    let mut memo = Memo::for_session();
    assert_same_as_fresh(&site, &mut memo, "first build");
    site.write(
        "content/roles/call-ahead.md",
        "---\ntitle: Call-ahead desk\nsupports: [delivery]\n---\n",
    );
    for build in [
        touchstone::compile_with(&site.options(), &mut memo),
        touchstone::compile(&site.options()),
    ] {
        let Err(touchstone::Failure::Content { diagnostics, .. }) = build else {
            panic!("[[call-ahead]] now names a standard and a role");
        };
        assert!(
            diagnostics
                .iter()
                .any(|d| d.message.contains("`[[call-ahead]]` could mean 2 things")),
            "{diagnostics:#?}"
        );
    }
}

/// Pages listing whole kinds but no plain page (the journey, the
/// accountability matrix, the kind lists, a persona's curve) stay as they
/// were when a guide comes or goes: only the guide's page and the home page
/// are rendered again (the health page and the change log are looked at
/// again, and reused as they were, their views being the same).
#[test]
fn a_new_or_deleted_guide_leaves_the_journey_and_persona_pages_as_they_were() {
    let site = TestSite::new(&small_site());
    let mut memo = Memo::for_session();
    let all = assert_same_as_fresh(&site, &mut memo, "first build");
    let guide = "content/guides/zebra.md";
    site.write(guide, "# Zebra crossings\n\nA new guide.\n");
    memo.hint(vec![site.root().join(guide)]);
    let rendered = assert_same_as_fresh(&site, &mut memo, "a new guide");
    assert_eq!(
        rendered, 2,
        "a new guide rendered {rendered} of {all} pages"
    );
    std::fs::remove_file(site.root().join(guide)).unwrap();
    memo.hint(vec![site.root().join(guide)]);
    let rendered = assert_same_as_fresh(&site, &mut memo, "a deleted guide");
    assert_eq!(
        rendered, 1,
        "a deleted guide rendered {rendered} of {all} pages"
    );
}

/// A guide that comes, goes or moves to a new file name patches the last
/// build (its page, the pages listing it, its search records) instead of
/// running the whole pipeline, and serves what a fresh build gives.
#[test]
fn a_new_renamed_or_deleted_guide_patches_the_last_build() {
    let site = TestSite::new(&small_site());
    let mut memo = Memo::for_session();
    let mut held = Held::default();
    held.rebuild_same_as_fresh(&site, &mut memo, "first build");
    let mut rebuilt = |paths: &[&str], step: &str| {
        memo.hint(paths.iter().map(|p| site.root().join(p)).collect());
        let patched = held.rebuild_same_as_fresh(&site, &mut memo, step);
        assert!(patched, "{step} ran the whole pipeline");
    };
    let guide = "content/guides/zebra.md";
    site.write(guide, "# Zebra crossings\n\nSee [[roles/driver]].\n");
    rebuilt(&[guide], "a new guide");
    let moved = "content/guides/zebras.md";
    std::fs::rename(site.root().join(guide), site.root().join(moved)).unwrap();
    rebuilt(&[guide, moved], "a renamed guide");
    std::fs::remove_file(site.root().join(moved)).unwrap();
    rebuilt(&[moved], "a deleted guide");
    // A page that comes where a generated file needs its name fails, as a
    // build of the same content does.
    let inside = "content/playbook.json.md";
    clash_when_written(&site, &mut memo, inside, "inside a generated file's name");
    // And one whose `index.html` would be a folder a picture is already in.
    let picture = "content/guides/yak/index.html/yak.png";
    site.write(picture, "not really a picture");
    memo.hint(vec![site.root().join(picture), site.root().join(inside)]);
    touchstone::compile_with(&site.options(), &mut memo).expect("the picture alone is fine");
    let page = "content/guides/yak.md";
    clash_when_written(&site, &mut memo, page, "whose file name a folder holds");
    // And one that lands on a file written as it is.
    let written = "content/guides/gnu/index.html";
    site.write(written, "<p>written by hand</p>");
    memo.hint(vec![site.root().join(written), site.root().join(page)]);
    touchstone::compile_with(&site.options(), &mut memo).expect("the file alone is fine");
    let gnu = "content/guides/gnu.md";
    clash_when_written(&site, &mut memo, gnu, "on a file written as it is");
    std::fs::remove_file(site.root().join(written)).unwrap();
    // A page that comes with a problem of its own is named, as a build
    // names it, not patched in.
    let broken = "content/guides/broken.md";
    site.write(broken, "---\ntitle: Broken\nowner: me\n---\nBody.\n");
    memo.hint([broken, gnu, written].map(|p| site.root().join(p)).to_vec());
    let diagnostics = failed(
        &site,
        &mut memo,
        "a new page with an unknown field was patched in",
    );
    assert!(
        diagnostics.iter().any(|d| d.file == broken && d.is_error()),
        "{diagnostics:#?}"
    );
    std::fs::remove_file(site.root().join(broken)).unwrap();
    // A page and a picture that come in one save both reach the site.
    let (guide, picture) = ("content/guides/ox.md", "content/guides/ox.png");
    site.write(guide, "# Oxen\n\n![An ox](ox.png)\n");
    site.write(picture, "not really a picture");
    memo.hint(
        [guide, picture, broken]
            .map(|p| site.root().join(p))
            .to_vec(),
    );
    held.rebuild_same_as_fresh(&site, &mut memo, "a page and its picture at once");
    let built = touchstone::compile(&site.options()).unwrap();
    assert!(
        !built
            .files
            .iter()
            .any(|f| f.path.starts_with("guides/zebra")),
        "the deleted guide's page is gone"
    );
}

/// Writes the page `path` where it clashes with a file of the site, checks
/// the rebuild names the clash as a build does (the page `what` was not
/// patched in), and takes the page away again.
fn clash_when_written(site: &TestSite, memo: &mut Memo, path: &str, what: &str) {
    site.write(path, "# A page\n");
    memo.hint(vec![site.root().join(path)]);
    let diagnostics = failed(site, memo, &format!("a page {what} was patched in"));
    assert!(
        diagnostics.iter().any(|d| d.code == "output-clash"),
        "{diagnostics:#?}"
    );
    std::fs::remove_file(site.root().join(path)).unwrap();
}

/// The diagnostics of a rebuild that must fail; `why` says what it let
/// through if it does not.
fn failed(site: &TestSite, memo: &mut Memo, why: &str) -> Vec<touchstone::diagnostics::Diagnostic> {
    match touchstone::compile_with(&site.options(), memo) {
        Err(touchstone::Failure::Content { diagnostics, .. }) => diagnostics,
        _ => panic!("{why}"),
    }
}

/// After a guide is deleted in a session, a link to it is broken in every
/// form, as in a fresh build, and links to the guides left still resolve.
#[test]
fn a_deleted_guide_can_no_longer_be_linked_to() {
    let mut files = small_site();
    files.push(("content/guides/bee.md", "# Bees\n"));
    let site = TestSite::new(&files);
    let mut memo = Memo::for_session();
    let mut held = Held::default();
    held.rebuild_same_as_fresh(&site, &mut memo, "first build");
    site.write("content/guides/zebra.md", "# Zebras\n");
    memo.hint(vec![site.root().join("content/guides/zebra.md")]);
    assert!(held.rebuild_same_as_fresh(&site, &mut memo, "zebras came"));
    std::fs::remove_file(site.root().join("content/guides/zebra.md")).unwrap();
    memo.hint(vec![site.root().join("content/guides/zebra.md")]);
    assert!(held.rebuild_same_as_fresh(&site, &mut memo, "zebras deleted"));
    let faq = "content/guides/faq.md";
    for (link, broken) in [
        ("[bees](bee.md)", false),
        ("[[guides/zebra]]", true),
        ("[zebras](zebra.md)", true),
        ("[bees](../guides/bee.md)", false),
    ] {
        site.write(faq, &format!("# Questions\n\nSee {link}.\n"));
        memo.hint(vec![site.root().join(faq)]);
        if broken {
            let diagnostics = failed(&site, &mut memo, &format!("{link} still resolved"));
            assert!(
                diagnostics.iter().any(|d| d.code == "broken-link"),
                "{diagnostics:#?}"
            );
        } else {
            held.rebuild_same_as_fresh(&site, &mut memo, &format!("a link {link}"));
        }
    }
}

/// Runs git in `dir` with a fixed author and date.
fn git(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-05T10:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-01-05T10:00:00+00:00")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// The change log names the guides git knew of and those with an
/// `updated:` date: one that comes or goes changes it, patched or not.
#[test]
fn a_guide_the_change_log_names_changes_it_when_it_comes_or_goes() {
    let site = TestSite::new(&small_site());
    site.write(
        "content/guides/yak.md",
        "# Yak shaving\n\nA committed guide.\n",
    );
    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "-A"]);
    git(site.root(), &["commit", "-q", "-m", "The playbook"]);
    let mut memo = Memo::for_session();
    let mut held = Held::default();
    held.rebuild_same_as_fresh(&site, &mut memo, "first build");
    let mut rebuilt = |path: &str, step: &str| {
        memo.hint(vec![site.root().join(path)]);
        let patched = held.rebuild_same_as_fresh(&site, &mut memo, step);
        assert!(patched, "{step} ran the whole pipeline");
    };
    std::fs::remove_file(site.root().join("content/guides/yak.md")).unwrap();
    rebuilt("content/guides/yak.md", "a committed guide deleted");
    let zebra = "content/guides/zebra.md";
    site.write(zebra, "---\ntitle: Zebra\nupdated: 2026-02-01\n---\nNew.\n");
    rebuilt(zebra, "a guide with an updated date");
    let changes = touchstone::compile(&site.options()).unwrap();
    let page = changes
        .files
        .iter()
        .find(|f| f.path == "changes/index.html")
        .unwrap();
    assert!(String::from_utf8_lossy(&page.bytes).contains("Zebra"));
}

/// A body that includes a file depends on that file: an edit to the
/// included file alone reaches the page.
#[test]
fn an_edit_to_an_included_file_alone_reaches_the_page_that_includes_it() {
    let mut files = small_site();
    files.push((
        "content/guides/steps.md",
        "# Steps\n\n```text\n{{#include listing.txt}}\n```\n",
    ));
    files.push(("content/guides/listing.txt", "first step\n"));
    let site = TestSite::new(&files);
    let mut memo = Memo::for_session();
    assert_same_as_fresh(&site, &mut memo, "first build");
    edit(&site, "content/guides/listing.txt", "first", "second");
    assert_same_as_fresh(&site, &mut memo, "included file edited");
    let page = site.build().page("guides/steps/");
    assert_eq!(page.text("pre.code"), "second step\n");
}

/// Bodies carry words of the site's language (heading anchors, task-list
/// boxes): a new `[book] language` reaches the bodies the memo kept.
#[test]
fn a_new_site_language_reaches_the_bodies_the_memo_kept() {
    let mut files = small_site();
    files.push((
        "content/guides/checklist.md",
        "# Checklist\n\n## Before the visit\n\n- [x] Call ahead\n- [ ] Confirm the window\n",
    ));
    let site = TestSite::new(&files);
    let mut memo = Memo::for_session();
    assert_same_as_fresh(&site, &mut memo, "first build");
    edit(
        &site,
        "book.toml",
        "[book]\n",
        "[book]\nlanguage = \"fr\"\n",
    );
    assert_same_as_fresh(&site, &mut memo, "site language changed");
}

/// The same for an included code block whose language alone changes: its
/// colours do.
#[test]
fn an_included_code_blocks_new_language_reaches_the_page() {
    let mut files = small_site();
    files.push((
        "content/guides/settings.md",
        "# Settings\n\n{{#include ../snippets/settings.txt}}\n",
    ));
    files.push((
        "content/snippets/settings.txt",
        "```toml\nkey = \"value\"\n```\n",
    ));
    let site = TestSite::new(&files);
    let mut memo = Memo::for_session();
    assert_same_as_fresh(&site, &mut memo, "first build");
    edit(&site, "content/snippets/settings.txt", "toml", "yaml");
    assert_same_as_fresh(&site, &mut memo, "included block's language changed");
}

/// A body patch keeps the navigation bar it rendered with; whatever way the
/// edit between two body patches is rebuilt, the second shows the bar as
/// that edit left it.
#[test]
fn an_edit_of_a_body_after_a_retitled_page_shows_the_new_navigation_bar() {
    let site = TestSite::new(&small_site());
    // A folder without a page of its own: its link in the navigation bar
    // leads to its first page by title.
    site.write(
        "content/guides/about.md",
        "---\ntitle: About\n---\nHow to.\n",
    );
    let mut memo = Memo::for_session();
    let mut held = Held::default();
    held.rebuild_same_as_fresh(&site, &mut memo, "first build");
    let mut step = |what: &str, path: &str| {
        memo.hint(vec![site.root().join(path)]);
        held.rebuild_same_as_fresh(&site, &mut memo, what)
    };
    edit(&site, "content/guides/faq.md", "Read", "First read");
    assert!(
        step("a body", "content/guides/faq.md"),
        "a body edit is patched"
    );
    edit(
        &site,
        "content/guides/about.md",
        "title: About",
        "title: Zebra",
    );
    step("the first page's title", "content/guides/about.md");
    edit(&site, "content/guides/faq.md", "First read", "Then read");
    assert!(
        step("a body again", "content/guides/faq.md"),
        "a body edit is patched"
    );
}

/// A first build as serve keeps it, with a first step that takes the
/// edited entities' pages alone.
fn first_build_in_two_steps(site: &TestSite) -> (Memo, Held) {
    let mut memo = Memo::for_session();
    memo.serve_in_two_steps(FirstStep {
        longest: 1,
        pages: 0,
    });
    let mut held = Held::default();
    held.rebuild_same_as_fresh(site, &mut memo, "first build");
    (memo, held)
}

/// Served in two steps, an edit's first step holds the edited entity's own
/// page however long it is, and the pages past the limit follow in the
/// second.
#[test]
fn the_first_of_two_steps_holds_the_edited_page_and_the_second_the_long_ones() {
    let site = TestSite::new(&small_site());
    let (mut memo, held) = first_build_in_two_steps(&site);
    edit(
        &site,
        "content/roles/driver.md",
        "title: Driver",
        "title: Van driver",
    );
    memo.hint(vec![site.root().join("content/roles/driver.md")]);
    memo.hold_files(held.generation);
    let first = touchstone::compile_with(&site.options(), &mut memo).unwrap();
    let written = |delta: &touchstone::Delta| -> Vec<String> {
        delta.written.iter().map(|f| f.path.clone()).collect()
    };
    let first = written(first.delta.as_ref().expect("a patch"));
    assert!(
        first.contains(&"roles/driver/index.html".to_string()),
        "{first:?}"
    );
    assert!(!first.contains(&"index.html".to_string()), "{first:?}");
    let Some(SecondStep::Done { delta, rendered }) = touchstone::incremental::finish(&mut memo)
    else {
        panic!("a second step");
    };
    let second = written(&delta);
    assert!(
        rendered > 0 && second.contains(&"index.html".to_string()),
        "{second:?}"
    );
    assert!(
        second.contains(&"roles/index.html".to_string()),
        "{second:?}"
    );
    assert!(
        touchstone::incremental::finish(&mut memo).is_none(),
        "one second step"
    );

    // The short pages showing the edit come in the first step, as many as
    // its number allows.
    let mut retitle = |to: &str, pages: usize| -> Vec<String> {
        memo.serve_in_two_steps(FirstStep {
            longest: usize::MAX,
            pages,
        });
        let text = std::fs::read_to_string(site.root().join("content/roles/driver.md")).unwrap();
        let from = text
            .lines()
            .find(|l| l.starts_with("title: "))
            .unwrap()
            .to_string();
        edit(
            &site,
            "content/roles/driver.md",
            &from,
            &format!("title: {to}"),
        );
        memo.hint(vec![site.root().join("content/roles/driver.md")]);
        let first = touchstone::compile_with(&site.options(), &mut memo).unwrap();
        let first = written(first.delta.as_ref().expect("a patch"));
        touchstone::incremental::finish(&mut memo);
        first.into_iter().filter(|p| p.ends_with(".html")).collect()
    };
    let all = retitle("Driver", usize::MAX);
    assert!(
        all.len() > 3,
        "the role's page and those showing it: {all:?}"
    );
    let one = retitle("Lorry driver", 1);
    assert!(
        one.len() <= 2,
        "the role's page and at most one more: {one:?}"
    );
    assert!(
        one.contains(&"roles/driver/index.html".to_string()),
        "{one:?}"
    );
}

/// Guides deleted one by one, served in two steps: the search index is
/// made anew whenever its number of card files changes (it halves going
/// down), and the files it no longer has leave the served site.
#[test]
fn guides_deleted_in_two_steps_leave_the_search_index_a_fresh_build_makes() {
    let site = TestSite::new(&small_site());
    // The folder's own page, which the navigation links to whatever comes or goes.
    site.write("content/guides/index.md", "# Guides\n\nEvery guide.\n");
    for n in 0..40 {
        site.write(
            &format!("content/guides/g-{n:02}.md"),
            &format!("# Guide {n}\n\nText {n}.\n"),
        );
    }
    let (mut memo, mut held) = first_build_in_two_steps(&site);
    let cards = |held: &Held| {
        held.files
            .keys()
            .filter(|p| p.starts_with("search/d/"))
            .count()
    };
    let most = cards(&held);
    for n in 0..40 {
        let path = format!("content/guides/g-{n:02}.md");
        std::fs::remove_file(site.root().join(&path)).unwrap();
        memo.hint(vec![site.root().join(&path)]);
        held.rebuild_same_as_fresh(&site, &mut memo, &format!("{path} deleted"));
    }
    assert!(
        cards(&held) < most,
        "{most} card files, then {}",
        cards(&held)
    );
    assert_eq!(held.steps, 40, "every deletion served in two steps");
}

/// A second step that fails (a template error on a long page) leaves no
/// page of what came before: the next build renders every page again and
/// names the problem, as a fresh build does.
#[test]
fn a_failed_second_step_is_named_by_the_next_build() {
    let site = TestSite::new(&small_site());
    let home = include_str!("../../themes/default/templates/home.html").replace(
        "{% for p in s.pages %}",
        "{% for p in s.pages %}{% if p.title == \"BOOM\" %}{{ throw(message=\"boom on the home\") }}{% endif %}",
    );
    site.write("templates/home.html", &home);
    let (mut memo, mut held) = first_build_in_two_steps(&site);
    edit(&site, "content/guides/faq.md", "# Questions", "# BOOM");
    memo.hint(vec![site.root().join("content/guides/faq.md")]);
    memo.hold_files(held.generation);
    let first = touchstone::compile_with(&site.options(), &mut memo).expect("the guide's page");
    assert!(first.delta.is_some(), "a patch");
    assert!(matches!(
        touchstone::incremental::finish(&mut memo),
        Some(SecondStep::Failed)
    ));
    let Err(touchstone::Failure::Content { diagnostics, .. }) =
        touchstone::compile_with(&site.options(), &mut memo)
    else {
        panic!("the next build fails as a fresh one does");
    };
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("boom on the home")),
        "{diagnostics:#?}"
    );
    edit(&site, "content/guides/faq.md", "# BOOM", "# Answers");
    memo.hint(vec![site.root().join("content/guides/faq.md")]);
    held.rebuild_same_as_fresh(&site, &mut memo, "fixed");
}

/// Many guides deleted in one save (a branch switched) are patched out of
/// the last build together, as a fresh build leaves them.
#[test]
fn many_guides_deleted_in_one_save_are_patched_out_together() {
    let site = TestSite::new(&small_site());
    site.write("content/guides/index.md", "# Guides\n\nEvery guide.\n");
    for n in 0..20 {
        site.write(
            &format!("content/guides/g-{n:02}.md"),
            &format!("# Guide {n}\n\nText {n}.\n"),
        );
    }
    let (mut memo, mut held) = first_build_in_two_steps(&site);
    let paths: Vec<String> = (0..12)
        .map(|n| format!("content/guides/g-{n:02}.md"))
        .collect();
    for path in &paths {
        std::fs::remove_file(site.root().join(path)).unwrap();
    }
    memo.hint(paths.iter().map(|p| site.root().join(p)).collect());
    assert!(
        held.rebuild_same_as_fresh(&site, &mut memo, "twelve deleted"),
        "patched, not built whole"
    );
    assert!(!held.files.contains_key("guides/g-00/index.html"));
}

/// With drafts shown, a page made a draft stays on the site: the health
/// page, which lists every draft, must list it after the edit too.
#[test]
fn a_page_made_a_draft_while_drafts_are_shown_joins_the_health_pages_list() {
    let site = TestSite::new(&small_site());
    let options = BuildOptions {
        drafts: true,
        ..site.options()
    };
    let mut memo = Memo::for_session();
    touchstone::compile_with(&options, &mut memo).expect("first build");
    for (n, path) in ["content/roles/agent.md", "content/journey/core/refund.md"]
        .into_iter()
        .enumerate()
    {
        set_field(&site, path, "draft", "true");
        memo.hint(vec![site.root().join(path)]);
        let served = files(touchstone::compile_with(&options, &mut memo).expect("rebuild"));
        let fresh = files(touchstone::compile(&options).expect("fresh build"));
        let health = "health/index.html";
        let page = String::from_utf8_lossy(&fresh[health]).into_owned();
        let listed = page
            .split_once("id=\"drafts-h\"")
            .and_then(|(_, rest)| rest.split_once("</ul>"))
            .map_or(0, |(list, _)| list.matches("<li>").count());
        assert_eq!(listed, n + 1, "the fresh build lists every draft so far");
        assert!(
            served[health] == fresh[health],
            "edit {n}: the health page lists the drafts a fresh build lists"
        );
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>()
        );
    }
}

/// A file whose name is not UTF-8, made while serving, is the error a
/// fresh build gives (named as the walk names it), not a page under a
/// name with its bytes replaced; once it is gone, the site builds again.
#[cfg(unix)]
#[test]
fn a_file_named_in_no_text_made_while_serving_is_the_error_a_build_gives() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::new(&small_site());
    let mut memo = Memo::for_session();
    touchstone::compile_with(&site.options(), &mut memo).expect("first build");
    let bad = site
        .root()
        .join("content/guides")
        .join(std::ffi::OsStr::from_bytes(b"\xfe.md"));
    std::fs::create_dir_all(bad.parent().unwrap()).unwrap();
    std::fs::write(&bad, "---\ntitle: Odd\n---\nText.\n").unwrap();
    memo.hint(vec![bad.clone()]);
    let served = failed(&site, &mut memo, "a name that is not UTF-8");
    let fresh = match touchstone::compile(&site.options()) {
        Err(touchstone::Failure::Content { diagnostics, .. }) => diagnostics,
        _ => panic!("a fresh build fails on a name that is not UTF-8"),
    };
    let named = |d: &[touchstone::diagnostics::Diagnostic]| {
        d.iter()
            .map(|d| (d.code, d.file.clone(), d.message.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(named(&served), named(&fresh));
    assert!(
        fresh.iter().any(|d| d.file == "content/guides/\\xfe.md"),
        "{fresh:?}"
    );
    std::fs::remove_file(&bad).unwrap();
    memo.hint(vec![bad]);
    assert_same_as_fresh(&site, &mut memo, "the file removed");
}
