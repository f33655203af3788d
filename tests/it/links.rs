//! Links in Markdown bodies as existing docs write them: heading anchors by
//! GitHub's rules, mdBook's `x.html` names, folder links, root-absolute
//! links, raw HTML, links that leave the site on purpose, and what the
//! output check must not read as a link.

use crate::common;
use common::*;
use touchstone::diagnostics::Diagnostic;
use touchstone::{BuildOptions, Failure};

/// The errors of `check` (the output check included) on a site expected
/// to fail.
fn check_errors(site: &TestSite) -> Vec<Diagnostic> {
    check_errors_with(site.options())
}

fn check_errors_with(options: BuildOptions) -> Vec<Diagnostic> {
    match touchstone::check(&options) {
        Ok(c) => panic!("check was expected to fail; it said {:#?}", c.diagnostics),
        Err(Failure::Content { diagnostics, .. }) => {
            diagnostics.into_iter().filter(|d| d.is_error()).collect()
        }
        Err(Failure::Io(e)) => panic!("unexpected I/O failure: {e}"),
    }
}

/// `(code, file, line, message)` of each diagnostic, for readable asserts.
fn summary(diagnostics: &[Diagnostic]) -> Vec<(String, String, Option<usize>, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.file.clone(),
                d.line,
                d.message.clone(),
            )
        })
        .collect()
}

const HEADINGS: &str = "# Patterns

## Using `Box<T>` to Point to Data on the Heap
## Appending to a String with `push_str` and `push`
## GOV.UK web palette
## Where's the -> Operator?
## A Shortcut for Propagating Errors: the ? Operator
## @ Bindings
## Ignoring Remaining Parts of a Value with ..
## Appendix D - Useful Development Tools
## Calling Config::build and Handling Errors
## The Tests Module and #[cfg(test)]
## Improving Our I/O Project
## *Why* it matters
## Référent & co
## Example
## Example
## Example-1
### Mocking Side Effects {#MockingSideEffects}
";

#[test]
fn heading_anchors_follow_githubs_slug_rules() {
    let site = TestSite::new(&[
        ("content/guides/headings.md", HEADINGS),
        (
            "content/index.md",
            "# Home\n\n\
             [a](guides/headings.md#using-boxt-to-point-to-data-on-the-heap)\n\
             [b](guides/headings.md#appending-to-a-string-with-push_str-and-push)\n\
             [c](guides/headings.md#govuk-web-palette)\n\
             [d](guides/headings.md#wheres-the---operator)\n\
             [e](guides/headings.md#a-shortcut-for-propagating-errors-the--operator)\n\
             [f](guides/headings.md#-bindings)\n\
             [g](guides/headings.md#ignoring-remaining-parts-of-a-value-with-)\n\
             [h](guides/headings.md#appendix-d---useful-development-tools)\n\
             [i](guides/headings.md#calling-configbuild-and-handling-errors)\n\
             [j](guides/headings.md#the-tests-module-and-cfgtest)\n\
             [k](guides/headings.md#improving-our-io-project)\n\
             [l](guides/headings.md#why-it-matters)\n\
             [m](guides/headings.md#référent--co)\n\
             [n](guides/headings.md#example)\n\
             [o](guides/headings.md#example-1)\n\
             [p](guides/headings.md#example-1-1)\n\
             [q](guides/headings.md#MockingSideEffects)\n",
        ),
    ]);
    let built = site.build();
    let ids: Vec<String> = built
        .page("guides/headings/")
        .select(".prose h2, .prose h3")
        .iter()
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "using-boxt-to-point-to-data-on-the-heap",
            "appending-to-a-string-with-push_str-and-push",
            "govuk-web-palette",
            "wheres-the---operator",
            "a-shortcut-for-propagating-errors-the--operator",
            "-bindings",
            "ignoring-remaining-parts-of-a-value-with-",
            "appendix-d---useful-development-tools",
            "calling-configbuild-and-handling-errors",
            "the-tests-module-and-cfgtest",
            "improving-our-io-project",
            "why-it-matters",
            "référent--co",
            "example",
            "example-1",
            "example-1-1",
            "MockingSideEffects",
        ]
    );
}

#[test]
fn a_broken_anchor_names_the_nearest_existing_id() {
    let site = TestSite::new(&[
        ("content/guides/headings.md", HEADINGS),
        (
            "content/index.md",
            "# Home\n\nSee [boxes](guides/headings.md#using-box-t-to-point-to-data-on-the-heap).\n",
        ),
    ]);
    let errors = check_errors(&site);
    assert_eq!(errors.len(), 1, "{:#?}", summary(&errors));
    assert_eq!(errors[0].code, "broken-anchor");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/index.md", Some(3))
    );
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("did you mean `#using-boxt-to-point-to-data-on-the-heap`?")
    );
}

#[test]
fn a_heading_id_cannot_break_out_of_its_attribute() {
    let site = TestSite::new(&[(
        "content/guides/x.md",
        "# X\n\n## Hello {#x\"onmouseover=\"alert(5)}\n\n## Styled {.wide data-x=\"a\"b}\n",
    )]);
    let html = site.build().file("guides/x/index.html");
    assert!(!html.contains("\"onmouseover"), "{html}");
    let page = site.build().page("guides/x/");
    let h2 = page.select(".prose h2");
    assert_eq!(h2[0].value().attr("id"), Some("x\"onmouseover=\"alert(5)"));
    assert_eq!(h2[0].value().attr("onmouseover"), None);
    assert_eq!(
        page.select(".prose h2 a.anchor")[0].value().attr("href"),
        Some("#x\"onmouseover=\"alert(5)")
    );
    assert_eq!(h2[1].value().attr("class"), Some("wide"));
}

#[test]
fn mdbook_page_names_link_to_their_markdown_files() {
    let site = TestSite::new(&[
        (
            "content/ch04-01-what-is-ownership.md",
            "# What Is Ownership?\n\n## The Stack and the Heap\n\nText.\n",
        ),
        (
            "content/ch04-02-references.md",
            "# References\n\nAs in [the stack](ch04-01-what-is-ownership.html#the-stack-and-the-heap),\n\
             and [ownership][own].\n\n[own]:\n    ch04-01-what-is-ownership.html\n",
        ),
        (
            "content/index.md",
            "# Book\n\n[References](ch04-02-references.md)\n",
        ),
    ]);
    let built = site.build();
    assert_eq!(
        built.page("ch04-02-references/").links_in(".prose"),
        [
            "ch04-01-what-is-ownership/#the-stack-and-the-heap",
            "ch04-01-what-is-ownership/"
        ]
    );
}

#[test]
fn a_missing_mdbook_page_is_an_error_at_its_source_line() {
    let site = TestSite::new(&[(
        "content/ch04-02-references.md",
        "# References\n\nText, and\na [missing chapter](ch99-01-missing.html).\n",
    )]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{:#?}", summary(&errors));
    assert_eq!(errors[0].code, "broken-link");
    assert_eq!(errors[0].line, Some(4));
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("ch99-01-missing.md"),
        "{:?}",
        errors[0].hint
    );
}

#[test]
fn folder_links_keep_their_slash() {
    let site = TestSite::new(&[
        (
            "content/index.md",
            "# Home\n\n[Maintaining](./maintaining) and [sub](sub/).\n",
        ),
        (
            "content/maintaining/index.md",
            "# Maintaining\n\n- [Captains](affinity-team-captain/)\n- [Up](../sub/)\n",
        ),
        (
            "content/maintaining/affinity-team-captain.md",
            "# Captains\n",
        ),
        ("content/sub/_index.md", "# Sub\n"),
    ]);
    let built = site.build();
    assert_eq!(built.page("").links_in(".prose"), ["maintaining/", "sub/"]);
    assert_eq!(
        built.page("maintaining/").links_in(".prose"),
        ["maintaining/affinity-team-captain/", "sub/"]
    );
    assert!(
        !built.warnings.iter().any(|d| d.code == "orphan-page"),
        "{:#?}",
        summary(&built.warnings)
    );
}

#[test]
fn a_link_written_from_the_page_address_says_where_links_start() {
    let site = TestSite::new(&[
        ("content/installation/ubuntu.md", "# Ubuntu\n"),
        (
            "content/installation/other-linux.md",
            "# Other Linux\n\nSee [Ubuntu](../ubuntu/).\n",
        ),
    ]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{:#?}", summary(&errors));
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/installation/other-linux.md", Some(3))
    );
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("write `ubuntu.md`"),
        "{:?}",
        errors[0].hint
    );
}

#[test]
fn root_absolute_links_resolve_against_content_under_any_base_url() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n\n[Images](/styles/images/)\n"),
        ("content/styles/colour/index.md", "# Colour\n"),
        (
            "content/styles/images/index.md",
            "# Images\n\nUse the [colour palette](/styles/colour/) and\n\
             the [logo](/styles/logo.svg).\n",
        ),
        (
            "content/styles/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let built = site.build_with(BuildOptions {
        base_url: Some("/cx/".into()),
        ..site.options()
    });
    let images = built.page("styles/images/");
    let hrefs: Vec<&str> = images
        .select(".prose a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["../../styles/colour/", "../../styles/logo.svg"]);
    assert_eq!(
        images.links_in(".prose"),
        ["styles/colour/", "styles/logo.svg"]
    );
    assert!(
        !built.warnings.iter().any(|d| d.code == "orphan-page"),
        "the colour page is reached through a root-absolute link: {:#?}",
        summary(&built.warnings)
    );
}

#[test]
fn a_missing_root_absolute_link_is_an_error_at_its_line() {
    let site = TestSite::new(&[(
        "content/styles/images/index.md",
        "# Images\n\nRead the\n[strategy](/community/accessibility-strategy/).\n",
    )]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{:#?}", summary(&errors));
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/styles/images/index.md", Some(4))
    );
    assert!(
        errors[0]
            .message
            .contains("content/community/accessibility-strategy/")
    );
}

const BESIDE: &[(&str, &str)] = &[
    (
        "content/index.md",
        "# Home\n\nConsult the [standard library](../std/index.html) and [items](items/a.md).\n",
    ),
    (
        "content/items/a.md",
        "# A\n\nThe [`Result`][result] type and [unions](../../reference/items/unions.html).\n\n\
         [result]: ../../std/result/enum.Result.html#method.expect\n",
    ),
];

#[test]
fn links_above_content_are_errors_that_name_the_prefix_to_allow() {
    let site = TestSite::new(BESIDE);
    let errors = site.errors();
    let hints: Vec<(Option<usize>, &str)> = errors
        .iter()
        .map(|d| (d.line, d.hint.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(errors.len(), 3, "{:#?}", summary(&errors));
    assert!(
        hints[0].1.contains("external-prefixes = [\"../std/\"]"),
        "{hints:?}"
    );
    assert!(
        hints.iter().any(|(_, h)| h.contains("\"../reference/\"")),
        "{hints:?}"
    );
}

#[test]
fn external_prefixes_let_links_leave_the_site_relative_to_where_it_is_published() {
    let mut files = BESIDE.to_vec();
    files.push((
        "book.toml",
        "[build]\nexternal-prefixes = [\"../std/\", \"../reference/\"]\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let href = |page: &str| -> Vec<String> {
        built
            .page(page)
            .select(".prose a")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    // Published at /book/, the page /book/items/a/ reaches /std/ three levels up.
    assert_eq!(
        href("items/a/"),
        [
            "../../../std/result/enum.Result.html#method.expect",
            "../../../reference/items/unions.html"
        ]
    );
    assert_eq!(href("")[0], "../std/index.html");
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";

#[test]
fn raw_html_links_are_rebased_and_mapped_like_markdown_links() {
    let site = TestSite::new(&[
        (
            "content/guides/ownership.md",
            "# Ownership\n\n<img alt=\"String in memory\" src=\"img/trpl04-01.svg\" class=\"center\" />\n\n\
             <a href=\"borrowing.md\">Borrowing</a> and <img src='img/x.svg' alt=\"x\">\n",
        ),
        ("content/guides/borrowing.md", "# Borrowing\n"),
        ("content/guides/img/trpl04-01.svg", SVG),
        ("content/guides/img/x.svg", SVG),
        (
            "content/index.md",
            "# Home\n\n[Ownership](guides/ownership.md)\n",
        ),
    ]);
    let built = site.build();
    let page = built.page("guides/ownership/");
    let sources: Vec<&str> = page
        .select(".prose img")
        .iter()
        .map(|img| img.value().attr("src").unwrap())
        .collect();
    assert_eq!(
        sources,
        ["../../guides/img/trpl04-01.svg", "../../guides/img/x.svg"]
    );
    assert_eq!(page.links_in(".prose"), ["guides/borrowing/"]);
}

#[test]
fn a_missing_file_in_raw_html_is_an_error_at_its_line() {
    let site = TestSite::new(&[(
        "content/guides/ownership.md",
        "# Ownership\n\nText.\n\n<div>\n<img alt=\"gone\"\n     src='img/missing.svg'>\n</div>\n",
    )]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{:#?}", summary(&errors));
    assert_eq!((errors[0].code, errors[0].line), ("broken-link", Some(7)));
    assert!(errors[0].message.contains("img/missing.svg"));
}

#[test]
fn href_shown_in_code_or_prose_is_not_a_link() {
    let site = TestSite::new(&[(
        "content/index.md",
        "# Home\n\nWrite `<a href=\"missing-inline.html\">text</a>` in templates.\n\n\
         ```html\n<a href=\"missing-block.html\">x</a>\n<img src=\"missing.png\">\n```\n\n\
         \x20   <a href=\"missing-indented.html\">indented</a>\n\n\
         Prose may say href=\"missing-prose.html\" too.\n",
    )]);
    site.build();
}

#[test]
fn single_quoted_ids_and_named_anchors_are_link_targets() {
    let site = TestSite::new(&[
        (
            "content/index.md",
            "# Home\n\n[option](guides/reference.md#map-option), [old](guides/reference.md#old-name)\n",
        ),
        (
            "content/guides/reference.md",
            "# Reference\n\n<h3 id='map-option'>Map option</h3>\n\n<a name=\"old-name\"></a>\n",
        ),
    ]);
    site.build();
}

/// The warnings a build gave about `file`: code and line, sorted.
fn warned<'b>(built: &'b Built, file: &str) -> Vec<(&'b str, Option<usize>)> {
    let mut found: Vec<(&str, Option<usize>)> = built
        .warnings
        .iter()
        .filter(|d| d.file == file)
        .map(|d| (d.code, d.line))
        .collect();
    found.sort();
    found
}

#[test]
fn script_in_a_body_is_kept_and_warned_about_at_its_line() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n\n[X](guides/x.md)\n"),
        (
            "content/guides/x.md",
            "# X\n\n[click](javascript:alert(1))\n\n<a href=\"JavaScript:void(0)\" onclick=\"go()\">go</a>\n",
        ),
    ]);
    let built = site.build();
    let found = warned(&built, "content/guides/x.md");
    assert_eq!(
        found,
        [
            ("event-handler", Some(5)),
            ("javascript-url", Some(3)),
            ("javascript-url", Some(5))
        ]
    );
    let page = built.page("guides/x/");
    assert_eq!(page.select(".prose a[onclick]").len(), 1, "raw HTML stays");
}

#[test]
fn script_a_form_an_svg_or_an_object_would_follow_and_a_base_element_are_warned_about() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n\n[X](guides/x.md)\n"),
        (
            "content/guides/x.md",
            "# X\n\n<form action=\"javascript:a()\"><button formaction=\"JavaScript:b()\">go</button></form>\n\n\
             <svg><a xlink:href=\"javascript:c()\"><text>c</text></a></svg>\n\n\
             <object data=\"javascript:d()\"></object> <div data=\"javascript:e\">not a URL</div>\n\n\
             <base href=\"https://elsewhere.example/\">\n",
        ),
    ]);
    let built = site.build();
    let found: Vec<(&str, Option<usize>, Option<usize>)> = built
        .warnings
        .iter()
        .filter(|d| d.file == "content/guides/x.md")
        .map(|d| (d.code, d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [
            ("javascript-url", Some(3), Some(7)),
            ("javascript-url", Some(3), Some(39)),
            ("javascript-url", Some(5), Some(9)),
            ("javascript-url", Some(7), Some(9)),
            ("base-element", Some(9), Some(1)),
        ],
        "{:#?}",
        built.warnings
    );
    // Kept as written, as every raw HTML is.
    let page = built.page("guides/x/");
    assert_eq!(page.select(".prose form[action='javascript:a()']").len(), 1);
}

#[test]
fn a_forms_action_is_a_link_like_any_other() {
    let files = [
        ("content/index.md", "# Home\n\n[X](guides/x.md)\n"),
        (
            "content/guides/x.md",
            "# X\n\n<form action=\"x.md\"><input name=\"a\"></form>\n\n\
             <form action=\"../search/\"><input name=\"q\"></form>\n\n\
             <form><button formaction=\"../index.md\">Home</button></form>\n",
        ),
    ];
    let site = TestSite::new(&files);
    let built = site.build();
    let page = built.page("guides/x/");
    let actions: Vec<&str> = page
        .select(".prose form")
        .iter()
        .filter_map(|f| f.value().attr("action"))
        .collect();
    assert_eq!(actions, ["../../guides/x/", "../../search/"]);
    let button = page.select(".prose button");
    assert_eq!(button[0].value().attr("formaction"), Some("../../"));
    let broken = TestSite::new(&[
        files[0],
        (
            "content/guides/x.md",
            "# X\n\n<form action=\"gone.md\"></form>\n\n<button formaction=\"../away/\">Go</button>\n",
        ),
    ]);
    let errors = broken.errors();
    let found: Vec<(&str, &str, Option<usize>, &str)> = errors
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-link",
                "content/guides/x.md",
                Some(3),
                "`gone.md` links to content/guides/gone.md, which does not exist"
            ),
            (
                "broken-link",
                "content/guides/x.md",
                Some(5),
                "`../away/` links to content/away/, which does not exist"
            )
        ]
    );
}

#[test]
fn every_image_of_a_srcset_and_a_videos_poster_are_rebased_and_checked() {
    let files = [
        ("content/index.md", "# Home\n\n[X](guides/x.md)\n"),
        ("content/img/a.png", "png"),
        ("content/img/a@2x.png", "png"),
        (
            "content/guides/x.md",
            "# X\n\n<img src=\"../img/a.png\" srcset=\"../img/a.png 1x, ../img/a@2x.png 2x\" alt=\"a\">\n\n\
             <video poster=\"../img/a.png\"></video>\n",
        ),
    ];
    let site = TestSite::new(&files);
    let built = site.build();
    let page = built.page("guides/x/");
    let srcset = page.select(".prose img")[0]
        .value()
        .attr("srcset")
        .map(str::to_string);
    assert_eq!(
        srcset.as_deref(),
        Some("../../img/a.png 1x, ../../img/a@2x.png 2x")
    );
    let poster = page.select(".prose video")[0]
        .value()
        .attr("poster")
        .map(str::to_string);
    assert_eq!(poster.as_deref(), Some("../../img/a.png"));
    let broken = TestSite::new(&[
        files[0],
        files[1],
        (
            "content/guides/x.md",
            "# X\n\n<img srcset=\"../img/a.png 1x, ../img/gone.png 2x\" alt=\"a\">\n\n\
             <video poster=\"../img/none.png\"></video>\n",
        ),
    ]);
    let errors = broken.errors();
    let found: Vec<(&str, Option<usize>, &str)> = errors
        .iter()
        .map(|d| (d.code, d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-link",
                Some(3),
                "`../img/gone.png` links to content/img/gone.png, which does not exist"
            ),
            (
                "broken-link",
                Some(5),
                "`../img/none.png` links to content/img/none.png, which does not exist"
            ),
        ]
    );
}

#[test]
fn character_references_in_raw_html_links_are_read_as_browsers_read_them() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n\n[X](guides/x.md)\n"),
        (
            "content/guides/x.md",
            "# X\n\n<a href=\"x.md?a=1&#38;b=2\">query</a>\n\n\
             <a href=\"x.md#s&#x65;ction\">anchor</a>\n\n\
             <a href=\"&#106;avascript:alert(1)\">numbered</a>\n\n\
             <a href=\"javascript&colon;alert(2)\">named</a>\n\n## Section\n",
        ),
    ]);
    let built = site.build();
    let found = warned(&built, "content/guides/x.md");
    // Script however it is spelled is named; the links that resolve build.
    assert_eq!(
        found,
        [("javascript-url", Some(7)), ("javascript-url", Some(9))]
    );
    // As the browser reads them: to this page, its heading, and script.
    let page = built.page("guides/x/");
    let hrefs: Vec<&str> = page
        .select(".prose p a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../../guides/x/?a=1&b=2",
            "../../guides/x/#section",
            "javascript:alert(1)",
            "javascript:alert(2)"
        ]
    );
}

#[test]
fn front_matter_text_cannot_become_markup_on_any_page() {
    let script = "<script>alert(1)</script>";
    let image = "\"><img src=x onerror=alert(2)>";
    let mut files = small_site();
    let role = format!(
        "---\ntitle: '{script}'\nteam: '{image}'\nowns: [delivery]\nbehaviours:\n  - standard: call-ahead\n    do: '{script}'\nonboarding: ['{image}']\n---\n"
    );
    let persona = format!(
        "---\ntitle: 'Parent {image}'\nname: '{script}'\nquote: '{image}'\nloves: ['{script}']\nhates:\n  - text: '{image}'\n    moments: [delivery]\n    evidence: verified\n    source: '{script}'\n---\n"
    );
    files.retain(|(p, _)| !matches!(*p, "content/roles/driver.md" | "content/personas/parent.md"));
    files.push(("content/roles/driver.md", role.leak()));
    files.push(("content/personas/parent.md", persona.leak()));
    let site = TestSite::new(&files);
    let built = site.build();
    let mut pages = 0;
    for entry in walkdir(&built.out) {
        if entry.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&entry).unwrap();
            assert!(
                !html.contains("<script>alert") && !html.contains("<img src=x"),
                "{} lets front matter become markup",
                entry.display()
            );
            pages += 1;
        }
    }
    assert!(pages > 10);
    assert_eq!(built.page("roles/driver/").text("h1"), script);
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn heading_ids_keep_combining_accents_as_github_does() {
    // "Cafe\u{301}" is written with a combining acute accent, as macOS
    // writes file names and some editors paste text.
    let site = TestSite::new(&[(
        "content/guides/menu.md",
        "# Menu\n\n## Cafe\u{301} au lait\n\n## Cre\u{300}me\u{20DD} brûlée\n",
    )]);
    let page = site.build().page("guides/menu/");
    let ids: Vec<&str> = page
        .select(".prose h2")
        .iter()
        .map(|h| h.value().attr("id").unwrap())
        .collect();
    assert_eq!(ids, ["cafe\u{301}-au-lait", "cre\u{300}me\u{20DD}-brûlée"]);
}

#[test]
fn heading_attributes_keep_plain_names_and_never_a_second_id() {
    let site = TestSite::new(&[(
        "content/guides/x.md",
        "# X\n\n## Styled {#styled .wide .tall data-x=1 data_y=2 ID=evil x.y=3 a:b=4 data-open}\n",
    )]);
    let page = site.build().page("guides/x/");
    let h2 = page.select(".prose h2")[0].value();
    let mut attributes: Vec<(&str, &str)> = h2.attrs().collect();
    attributes.sort();
    assert_eq!(
        attributes,
        [
            ("class", "wide tall"),
            ("data-open", ""),
            ("data-x", "1"),
            ("data_y", "2"),
            ("id", "styled"),
        ]
    );
}

#[test]
fn a_link_to_the_export_or_the_feed_is_a_link_to_a_file_the_build_writes() {
    let site = TestSite::new(&[(
        "content/guides/data.md",
        "# Data\n\n<a href=\"../playbook.json\">The playbook as data</a>, \
         <a href=\"../changes.xml\">the feed</a>, \
         <a href=\"../sitemap.xml\">every page</a>.\n",
    )]);
    let built = site.build();
    assert!(built.out.join("playbook.json").is_file());
    let page = built.page("guides/data/");
    assert_eq!(
        page.select(".prose a").len(),
        3,
        "the three links are kept as written"
    );
    // The same links to files the build does not write are reported.
    site.write(
        "content/guides/data.md",
        "# Data\n\n<a href=\"../playbook.xml\">The playbook as data</a>\n",
    );
    let errors = site.errors_with(site.options());
    assert!(
        errors
            .iter()
            .any(|e| e.code == "broken-link" && e.message.contains("playbook.xml")),
        "{:#?}",
        summary(&errors)
    );
}
