//! A rebuild that reuses the memo of earlier builds must give exactly what a
//! fresh build gives, whatever the edit. Each step edits the site, rebuilds
//! both ways, and compares every output file.

mod common;
use common::*;
use std::collections::BTreeMap;
use touchstone::memo::Memo;

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
    let compiled =
        touchstone::compile_with(&site.options(), memo).unwrap_or_else(|e| panic!("{step}: {e:?}"));
    let rendered = compiled.rendered;
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
    rendered
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
    let mut memo = Memo::default();
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
