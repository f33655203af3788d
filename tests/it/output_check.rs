//! `check` reads most pages from their Markdown bodies instead of
//! rendering them: what it reports about the output must still be what
//! `build` reports, wherever on the site a link is written, and it must
//! not report what is fine.

use crate::common::*;
use touchstone::Failure;
use touchstone::diagnostics::Diagnostic;

/// Twelve guides, each linked from the home page (so none is an orphan),
/// with a heading each: more pages of one template than `check` renders.
fn guides(extra: &[(&str, &str)]) -> TestSite {
    let mut files: Vec<(String, String)> = (1..=12)
        .map(|n| {
            (
                format!("content/guides/guide-{n:02}.md"),
                format!("# Guide {n}\n\nText.\n\n## Why it matters\n\nMore text.\n"),
            )
        })
        .collect();
    let home: String = (1..=12)
        .map(|n| format!("- [Guide {n}](guides/guide-{n:02}.md)\n"))
        .collect();
    files.push(("content/index.md".into(), format!("# Home\n\n{home}")));
    files.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    TestSite::new(&borrowed)
}

/// `(code, file, line, message, hint)` of each diagnostic.
type Seen = (String, String, Option<usize>, String, Option<String>);

fn seen(diagnostics: &[Diagnostic]) -> Vec<Seen> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.file.clone(),
                d.line,
                d.message.clone(),
                d.hint.clone(),
            )
        })
        .collect()
}

/// What `check` and `build` report, each: their errors when they fail,
/// else their warnings.
fn check_and_build(site: &TestSite) -> (Vec<Seen>, Vec<Seen>) {
    let report = |result: Result<touchstone::Compiled, Failure>| match result {
        Ok(compiled) => seen(&compiled.diagnostics),
        Err(Failure::Content { diagnostics, .. }) => seen(&diagnostics),
        Err(Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
    };
    let checked = report(touchstone::check(&site.options()));
    let built = report(touchstone::build(&site.options()));
    (checked, built)
}

/// Replaces one guide's text.
fn with_guide(n: usize, text: &str) -> TestSite {
    guides(&[(
        Box::leak(format!("content/guides/guide-{n:02}.md").into_boxed_str()),
        text,
    )])
}

#[test]
fn a_broken_anchor_in_raw_html_is_found_on_a_page_check_did_not_render() {
    let site = with_guide(
        9,
        "# Guide 9\n\nText.\n\n<p>See <a href=\"guide-03.md#why-it-mater\">why</a>.</p>\n",
    );
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    assert_eq!(checked.len(), 1, "{checked:#?}");
    let (code, file, line, message, hint) = &checked[0];
    assert_eq!(
        (code.as_str(), file.as_str(), *line),
        ("broken-anchor", "content/guides/guide-09.md", Some(5))
    );
    assert!(message.contains("#why-it-mater"), "{message}");
    assert_eq!(hint.as_deref(), Some("did you mean `#why-it-matters`?"));
}

#[test]
fn broken_links_written_alike_are_each_placed_at_their_own_line() {
    let site = with_guide(
        9,
        "# Guide 9\n\n<a href=\"#gone\">a</a>\n\nText.\n\n<a href=\"#gone\">b</a> <a href=\"#gone\">c</a>\n\n\
         <a href=\"#also-gone\">d</a>\n\n<a href=\"#gone\">e</a>\n",
    );
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let lines: Vec<(&str, Option<usize>)> = checked
        .iter()
        .map(|(code, _, line, _, _)| (code.as_str(), *line))
        .collect();
    assert_eq!(
        lines,
        [
            ("broken-anchor", Some(3)),
            ("broken-anchor", Some(7)),
            ("broken-anchor", Some(7)),
            ("broken-anchor", Some(9)),
            ("broken-anchor", Some(11)),
        ],
        "{checked:#?}"
    );
}

#[test]
fn an_id_and_a_link_with_an_escaped_ampersand_are_read_once_as_browsers_read_them() {
    // `&amp;amp;` is the text `&amp;`: the id and the link below name it
    // alike; the link to guide 5 names `R&amp;D`, which it does not have.
    let site = guides(&[
        (
            "content/guides/guide-04.md",
            "# Guide 4\n\n<p id=\"a&amp;amp;b\">Terms</p>\n\n<p><a href=\"#a&amp;amp;b\">terms</a></p>\n\n\
             <p><a href=\"#terms&amp;conditions\">conditions</a></p>\n",
        ),
        (
            "content/guides/guide-05.md",
            "# Guide 5\n\n<p id=\"R&amp;D\">R and D</p>\n\n<p><a href=\"#R&amp;D\">here</a> \
             <a href=\"guide-05.md#R&amp;amp;D\">not here</a></p>\n",
        ),
    ]);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let broken: Vec<(&str, Option<usize>, &str)> = checked
        .iter()
        .filter(|s| s.0 == "broken-anchor")
        .map(|s| (s.1.as_str(), s.2, s.3.as_str()))
        .collect();
    assert_eq!(broken.len(), 2, "{checked:#?}");
    // Each at its line, where the source spells `&` as `&amp;`.
    assert_eq!(broken[0].0, "content/guides/guide-04.md");
    assert_eq!(broken[0].1, Some(7));
    assert!(broken[0].2.contains("#terms&conditions"), "{}", broken[0].2);
    assert_eq!(broken[1].0, "content/guides/guide-05.md");
    assert_eq!(broken[1].1, Some(5));
    assert!(broken[1].2.contains("R&amp;D"), "{}", broken[1].2);
}

#[test]
fn an_anchor_to_another_pages_heading_is_checked_against_that_page() {
    let site = with_guide(
        10,
        "# Guide 10\n\n[fine](guide-04.md#why-it-matters) and [gone](guide-04.md#how-it-works)\n",
    );
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    assert_eq!(checked.len(), 1, "{checked:#?}");
    assert!(
        checked[0].3.contains("guide-04.md#how-it-works") || checked[0].3.contains("#how-it-works")
    );
    assert_eq!(checked[0].1, "content/guides/guide-10.md");
}

#[test]
fn an_anchor_the_theme_writes_on_another_page_is_found_there() {
    // `#main` is no heading of guide 5's body: only its rendered page has it.
    let site = with_guide(11, "# Guide 11\n\n[skip](guide-05.md#main)\n");
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    assert!(checked.is_empty(), "{checked:#?}");
}

#[test]
fn a_missing_static_image_in_a_body_is_a_missing_asset() {
    let site = with_guide(
        12,
        "# Guide 12\n\n![chart](/static/no-such-chart.png)\n\n<img src=\"img/here.svg\" alt=\"here\">\n",
    );
    site.write(
        "content/guides/img/here.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    assert_eq!(checked.len(), 1, "{checked:#?}");
    assert_eq!(checked[0].0, "broken-output-link");
    assert!(
        checked[0]
            .3
            .contains("links to an asset that does not exist"),
        "{checked:#?}"
    );
}

#[test]
fn a_broken_link_in_a_custom_template_is_reported_from_every_page_it_is_on() {
    let site = guides(&[
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.doc.title }}</h1>\n<a href=\"{{ frame.root }}no-such-page/\">x</a>\n{% include \"partials/body.html\" %}\n{% endblock content %}\n",
        ),
        // The same path inside another address is not the template's link.
        (
            "content/guides/guide-05.md",
            "# Guide 5\n\nSee <https://example.com/no-such-page/>.\n",
        ),
    ]);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let on_guides = checked
        .iter()
        .filter(|(code, file, line, message, _)| {
            code == "broken-output-link"
                && file == "templates/page.html"
                && *line == Some(4)
                && message.contains("guides/guide-")
        })
        .count();
    assert_eq!(on_guides, 12, "{checked:#?}");
}

#[test]
fn pages_reached_only_through_the_theme_are_no_orphans_and_unlinked_ones_are() {
    // A role's onboarding page is linked only by the role's page; a page no
    // link reaches is an orphan whichever way `check` learns the links.
    let mut files = small_site();
    files.push((
        "content/roles/planner.md",
        "---\ntitle: Planner\n---\nPlans.\n",
    ));
    files.push((
        "content/lost.md",
        "---\ntitle: Lost\n---\nNo page links here.\n",
    ));
    // A book's outline lists its chapters; a chapter left out of it is lost.
    files.push(("content/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n"));
    files.push(("content/intro.md", "# Intro\n"));
    let site = TestSite::new(&files);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let orphans: Vec<&str> = checked
        .iter()
        .filter(|d| d.0 == "orphan-page")
        .map(|d| d.1.as_str())
        .collect();
    assert_eq!(orphans, ["content/lost.md"], "{checked:#?}");
}

#[test]
fn a_theme_that_leaves_bodies_out_is_checked_as_it_renders() {
    // Guide 9's body is never shown, so its broken anchor is on no page:
    // `check`, like `build`, must not report what the site does not show.
    let site = guides(&[
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.doc.title }}</h1>\n{% endblock content %}\n",
        ),
        (
            "content/guides/guide-09.md",
            "# Guide 9\n\nText.\n\n[why](guide-03.md#why-it-mater)\n",
        ),
    ]);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    assert!(
        !checked.iter().any(|d| d.0 == "broken-anchor"),
        "{checked:#?}"
    );
}

#[test]
fn links_shown_in_code_blocks_are_text_and_links_after_them_are_checked() {
    // `check` writes code without colours; what a block shows is still
    // text, in whatever language, and a link after it still counts.
    let site = with_guide(
        7,
        "# Guide 7\n\n```html\n<a href=\"no-such-page.html\" id=\"x\">x</a>\n```\n\n```\n<img src=\"none.png\">\n```\n\n[gone](guide-02.md#nope)\n",
    );
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    assert_eq!(checked.len(), 1, "{checked:#?}");
    let (code, file, line, message, _) = &checked[0];
    assert_eq!(
        (code.as_str(), file.as_str(), *line),
        ("broken-anchor", "content/guides/guide-07.md", Some(11))
    );
    assert!(message.contains("guide-02"), "{message}");
}

#[test]
fn a_theme_that_leaves_bodies_out_hides_their_headings_from_anchors() {
    // The first guide has no body, so its page cannot show whether the
    // theme prints bodies: `check` must judge the template by a page with
    // a body before it trusts the others' bodies, or it takes guide 5's
    // heading for an id its page has.
    let home: String = (1..=12)
        .map(|n| format!("- [Guide {n}](guides/guide-{n:02}.md)\n"))
        .collect();
    let home =
        format!("# Home\n\n{home}\n[Why guide 5 matters](guides/guide-05.md#why-it-matters)\n");
    let site = guides(&[
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.doc.title }}</h1>\n{% endblock content %}\n",
        ),
        ("content/guides/guide-01.md", "# Guide 1\n"),
        ("content/index.md", &home),
    ]);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let anchors: Vec<&str> = checked
        .iter()
        .filter(|d| d.0 == "broken-anchor")
        .map(|d| d.1.as_str())
        .collect();
    assert_eq!(anchors, ["content/index.md"], "{checked:#?}");
}

/// Pages `check` rendered for a clean site, and what it and `build` found.
fn rendered_by_check(files: &[(&str, &str)]) -> (usize, Vec<Seen>, Vec<Seen>) {
    let site = TestSite::new(files);
    let compiled = touchstone::check(&site.options()).expect("a clean site checks");
    let (checked, built) = check_and_build(&site);
    (compiled.rendered, checked, built)
}

#[test]
fn check_renders_no_more_pages_for_more_pages_of_the_same_templates() {
    // Guides and roles (each role with its onboarding page, linked only by
    // the theme) share their templates: `check` renders one of each, so
    // a playbook four times the size costs it no more rendering.
    let role =
        "---\ntitle: Planner\nteam: Operations\nonboarding: [Shadow a planner]\n---\nPlans.\n";
    let guide =
        "# Guide\n\nText with [a standard](../standards/call-ahead.md).\n\n## Steps\n\nMore.\n";
    let mut one = small_site();
    one.push(("content/roles/planner-1.md", role));
    one.push(("content/guides/guide-1.md", guide));
    let mut four = one.clone();
    for n in 2..=4 {
        let leaked = |p: String| &*Box::leak(p.into_boxed_str());
        four.push((leaked(format!("content/roles/planner-{n}.md")), role));
        four.push((leaked(format!("content/guides/guide-{n}.md")), guide));
    }
    let (rendered_one, checked, built) = rendered_by_check(&one);
    assert_eq!(checked, built);
    let (rendered_four, checked, built) = rendered_by_check(&four);
    assert_eq!(checked, built);
    assert_eq!(rendered_four, rendered_one, "{checked:#?}");
}

#[test]
fn a_template_error_is_placed_in_the_template_file_that_has_it() {
    let cases = [
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.doc.title | upper }{% endblock content %}",
            ("templates/page.html", Some(2), Some(46)),
            "template error: Found `}` but expected }}.",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}\n{{ page.doc.title | nofilter }}{{ 1 | other }}{% endblock content %}",
            ("templates/page.html", Some(2), Some(21)),
            "template error: Unknown filter `nofilter` (and 1 more)",
        ),
    ];
    for (path, template, (file, line, column), message) in cases {
        let site = guides(&[(path, template)]);
        let errors = site.errors();
        let found: Vec<(&str, &str, Option<usize>, Option<usize>)> = errors
            .iter()
            .map(|d| (d.code, d.file.as_str(), d.line, d.column))
            .collect();
        assert_eq!(found, [("template", file, line, column)], "{errors:#?}");
        assert_eq!(errors[0].message, message);
    }
}

#[test]
fn a_theme_named_empty_or_missing_is_named_as_such() {
    for (theme, message) in [
        ("", "`theme` is empty: it names no theme"),
        ("night", "the theme `night` is not in themes/night/"),
    ] {
        let site = guides(&[("book.toml", &*format!("[build]\ntheme = \"{theme}\"\n"))]);
        let errors = site.errors();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        assert_eq!(found, [("theme", message)], "{theme:?}");
    }
}

#[test]
fn a_broken_link_is_placed_where_it_is_written_not_where_a_longer_one_is() {
    let site = guides(&[
        (
            "content/guides/guide-01.md",
            "# Steps\n\n- [Step 10](#step-10)\n- [Step 1](#step-1)\n\n## Step 10\n",
        ),
        (
            "content/guides/guide-02.md",
            "# Two\n\nRead [it](guide-01.md#step-10) first.\n\nThen [this](guide-01.md#step-1).\n",
        ),
        (
            "content/guides/guide-03.md",
            "# Three\n\nSee [the setup][s] and [the FAQ](#faq).\n\n[s]: #setup\n\nAlso [all](#faqs).\n\n## FAQs\n",
        ),
        (
            "content/guides/guide-04.md",
            "# Four\n\nline3 [a](#caf%C3%A9-x)\n\nline5 [b](#café-y)\n\nline7 [d](<guide-01.md#two words>)\n",
        ),
    ]);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let placed: Vec<(&str, Option<usize>)> = checked
        .iter()
        .filter(|(code, ..)| code == "broken-anchor")
        .map(|(_, file, line, _, _)| (file.as_str(), *line))
        .collect();
    assert_eq!(
        placed,
        [
            ("content/guides/guide-01.md", Some(4)),
            ("content/guides/guide-02.md", Some(5)),
            // `#faq`, not the `#faqs` after the definition it came to
            // first; `#setup` where its definition writes it.
            ("content/guides/guide-03.md", Some(3)),
            ("content/guides/guide-03.md", Some(5)),
            ("content/guides/guide-04.md", Some(3)),
            ("content/guides/guide-04.md", Some(5)),
            ("content/guides/guide-04.md", Some(7)),
        ],
        "{checked:#?}"
    );
}

#[test]
fn a_broken_anchor_in_included_text_is_placed_at_its_include() {
    let site = guides(&[
        ("content/parts/snip.txt", "See [the part](#part-gone).\n"),
        (
            "content/guides/guide-07.md",
            "# Guide 7\n\nText.\n\n{{#include ../parts/snip.txt}}\n\nSee [here](#also-gone).\n",
        ),
    ]);
    let (checked, built) = check_and_build(&site);
    assert_eq!(checked, built);
    let placed: Vec<(&str, &str, Option<usize>)> = checked
        .iter()
        .map(|(code, file, line, _, _)| (code.as_str(), file.as_str(), *line))
        .collect();
    assert_eq!(
        placed,
        [
            ("broken-anchor", "content/guides/guide-07.md", Some(5)),
            ("broken-anchor", "content/guides/guide-07.md", Some(7)),
        ],
        "{checked:#?}"
    );
}
