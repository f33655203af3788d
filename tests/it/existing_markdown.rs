//! Markdown written for other tools (Jekyll, Hugo, mdBook, a code host)
//! builds as it is: their front matter, titles and template syntax.

use crate::common;
use common::*;
use touchstone::diagnostics::Diagnostic;

const COLOUR: &str = "---\nlayout: layout-pane.njk\ntitle: Colour\npermalink: /styles/colour/\nnav_order: 2\ntitel: Colour palette\ndescription: Always use the colour palette\ndate: 2024-03-01\nupdated: 2024-05-02\n---\n\nAlways use the palette.\n";
const LINKS: &str = "---\ntitle: Links\nnav_order: 1\ndescription: Links are blue\n---\n\nSee [colour](colour.md).\n";
const POST: &str = "---\ntitle: \"Release 1.0\"\ndate: 2013-05-06 12:00:00 +0200\nauthor: someone\n---\n\nReleased.\n";

fn guides(book: &'static str) -> TestSite {
    TestSite::new(&[
        ("book.toml", book),
        (
            "content/index.md",
            "# Home\n\n[Colour](guides/colour.md), [Links](guides/links.md), [Post](guides/post.md).\n",
        ),
        ("content/guides/_index.md", "# Guides\n"),
        ("content/guides/colour.md", COLOUR),
        ("content/guides/links.md", LINKS),
        ("content/guides/post.md", POST),
    ])
}

fn fields_of(d: &Diagnostic) -> String {
    format!("{} {}", d.message, d.hint.as_deref().unwrap_or_default())
}

#[test]
fn every_foreign_field_of_a_page_is_reported_in_one_run_and_the_page_still_loads() {
    let site = guides("[book]\ntitle = \"Guides\"\n");
    let errors = site.errors();
    let located: Vec<(&str, Option<usize>)> =
        errors.iter().map(|d| (d.file.as_str(), d.line)).collect();
    assert_eq!(
        located,
        [
            ("content/guides/colour.md", Some(2)),
            ("content/guides/colour.md", Some(4)),
            ("content/guides/colour.md", Some(6)),
            ("content/guides/post.md", Some(4)),
        ],
        "layout, permalink, titel and author; description, date, updated and nav_order are fields of a page; no broken link to a page that did not load: {errors:#?}"
    );
    assert!(errors.iter().all(|d| d.code == "unknown-field"));
    assert!(fields_of(&errors[2]).contains("did you mean `title`?"));
    assert!(fields_of(&errors[0]).contains("foreign-front-matter = \"warn\""));
}

#[test]
fn foreign_front_matter_warn_builds_with_one_warning_per_file_and_nav_order_sorts() {
    let site = guides("[book]\ntitle = \"Guides\"\n\n[build]\nforeign-front-matter = \"warn\"\n");
    let built = site.build();
    let foreign: Vec<&Diagnostic> = built
        .warnings
        .iter()
        .filter(|d| d.code == "foreign-field")
        .collect();
    assert_eq!(foreign.len(), 2, "{:#?}", built.warnings);
    let colour = fields_of(foreign[0]);
    for field in [
        "`layout`",
        "`permalink`",
        "`titel`",
        "did you mean `title`?",
    ] {
        assert!(colour.contains(field), "{colour}");
    }
    assert!(!colour.contains("`nav_order`") && !colour.contains("`description`"));
    assert_eq!(
        built
            .page("guides/")
            .links_in("section[aria-labelledby=children-h]"),
        ["guides/links/", "guides/colour/", "guides/post/"],
        "nav_order 1, then 2, then pages without one"
    );
    let colour = built.page("guides/colour/");
    let meta = colour.select("meta[name=description]");
    assert_eq!(
        meta[0].value().attr("content"),
        Some("Always use the colour palette")
    );
}

#[test]
fn a_page_without_a_title_takes_its_first_heading_of_any_level_once() {
    let site = TestSite::new(&[
        (
            "content/index.md",
            "# Home\n\n[Installation](ch01-01-installation.md#installation), [FAQ](faq.md), \
             [If](if.md#if-and-if-let)\n",
        ),
        (
            "content/ch01-01-installation.md",
            "## Installation\n\nThe first step.\n\n### Installing `rustup` on Linux\n\nText.\n\n\
             ## Troubleshooting\n\nMore.\n\n## Installation\n\nAgain.\n",
        ),
        (
            "content/faq.md",
            "Some text before any heading.\n\n### Why should test suite names not contain underscore?\n\nBecause.\n",
        ),
        ("content/if.md", "# `if` and `if let`\n\nText.\n"),
    ]);
    let built = site.build();
    assert!(built.warnings.is_empty(), "{:#?}", built.warnings);
    let chapter = built.page("ch01-01-installation/");
    assert_eq!(
        chapter.text("title"),
        "Installation · Customer Experience Playbook"
    );
    assert_eq!(chapter.text("h1"), "Installation");
    assert_eq!(
        chapter.select("h1#installation").len(),
        1,
        "links to it still land"
    );
    let toc: Vec<String> = chapter
        .select(".toc a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        toc,
        ["#troubleshooting", "#installation-1"],
        "the title is not repeated"
    );
    assert_eq!(
        built.page("faq/").text("h1"),
        "Why should test suite names not contain underscore?"
    );
    let faq = built.page("faq/");
    assert!(faq.text(".prose").contains("Some text before any heading."));
    let plain = built.page("if/");
    assert_eq!(plain.text("h1"), "if and if let");
    assert!(plain.text("title").starts_with("if and if let ·"));
}

const LISTING: &str = "fn main() {\n    // ANCHOR: here\n    let s1 = String::from(\"hello\");\n    let s2 = s1;\n    // ANCHOR_END: here\n\n    println!(\"{}, world!\", s1);\n}\n";

#[test]
fn mdbook_includes_are_expanded_by_range_and_anchor() {
    let site = TestSite::new(&[
        (
            "content/index.md",
            "# Book\n\n\
             ```rust,ignore\n{{#rustdoc_include listings/main.rs:here}}\n```\n\n\
             ```rust\n{{#include listings/main.rs:2:4}}\n```\n\n\
             ```console\n{{#include listings/output.txt}}\n```\n\n\
             ```rust\n{{#include listings/main.rs:here}}\n```\n\n\
             ```rust\n{{#include listings/main.rs::1}}\n```\n\n\
             Escaped: `\\{{#include file.rs}}`\n",
        ),
        ("content/listings/main.rs", LISTING),
        ("content/listings/output.txt", "$ cargo run\nhello\n"),
    ]);
    let built = site.build();
    assert!(built.warnings.is_empty(), "{:#?}", built.warnings);
    let page = built.page("");
    let blocks: Vec<String> = page
        .select("pre.code")
        .iter()
        .map(|b| b.text().collect())
        .collect();
    assert_eq!(
        blocks,
        [
            "    let s1 = String::from(\"hello\");\n    let s2 = s1;\n",
            "    // ANCHOR: here\n    let s1 = String::from(\"hello\");\n    let s2 = s1;\n",
            "$ cargo run\nhello\n",
            "    let s1 = String::from(\"hello\");\n    let s2 = s1;\n",
            "fn main() {\n",
        ],
        "rustdoc_include hides what is outside the anchor; a numeric range keeps the markers"
    );
    assert_eq!(page.text("p code"), "{{#include file.rs}}");
}

#[test]
fn an_include_that_climbs_out_of_content_or_is_missing_is_an_error_at_its_line() {
    let site = TestSite::new(&[
        (
            "content/ch04.md",
            "# Ownership\n\n```rust\n{{#include ../listings/main.rs}}\n```\n\n\
             ```rust\n{{#include listings/main.rs}}\n```\n\n\
             ```rust\n{{#include listings/nope.rs}}\n```\n\n\
             ```rust\n{{#include listings/main.rs:there}}\n```\n\n[Missing](gone.md)\n",
        ),
        ("content/listings/main.rs", LISTING),
        ("listings/main.rs", LISTING),
    ]);
    let errors = site.errors();
    let mut located: Vec<(&str, &str, Option<usize>)> = errors
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line))
        .collect();
    located.sort_by_key(|(_, _, line)| *line);
    assert_eq!(
        located,
        [
            ("broken-include", "content/ch04.md", Some(4)),
            ("broken-include", "content/ch04.md", Some(12)),
            ("broken-include", "content/ch04.md", Some(16)),
            ("broken-link", "content/ch04.md", Some(19)),
        ],
        "lines after an expanded include stay the file's: {errors:#?}"
    );
    let said = |line| {
        errors
            .iter()
            .find(|d| d.line == Some(line))
            .unwrap()
            .message
            .clone()
    };
    assert!(
        said(4).contains("outside the content folder"),
        "{}",
        said(4)
    );
    assert!(said(16).contains("no anchor `there`"), "{}", said(16));
}

#[test]
fn other_template_syntax_is_one_warning_per_file_and_code_is_left_alone() {
    let site = TestSite::new(&[
        (
            "content/index.md",
            "# Home\n\n[Front matter](jekyll/front-matter.md), [Details](details.md)\n",
        ),
        (
            "content/jekyll/front-matter.md",
            "---\ntitle: Front Matter\n---\n\nAny file with front matter.\n\
             Read <a href=\"{{ site.baseurl }}/docs/variables/\">variables</a>.\n\n\
             {% raw %}\n```liquid\n{{ page.title }}\n```\n{% endraw %}\n",
        ),
        (
            "content/details.md",
            "# Details\n\n```njk\n{% from \"govuk/macro.njk\" import govukDetails %}\n```\n\n\
             Shown as code: `{{ example }}`.\n",
        ),
    ]);
    let built = site.build();
    let templates: Vec<(&str, Option<usize>, Option<usize>)> = built
        .warnings
        .iter()
        .filter(|d| d.code == "template-syntax")
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    // At the `{{` itself, not where the text around it starts.
    assert_eq!(
        templates,
        [("content/jekyll/front-matter.md", Some(6), Some(15))],
        "{:#?}",
        built.warnings
    );
    // The build passed: a templated href is not a broken link.
    let warning = &built.warnings[0];
    assert!(
        warning.message.contains("`{{ site.baseurl }}`"),
        "{}",
        warning.message
    );
    assert!(warning.message.contains("2 more"), "{}", warning.message);
}

#[test]
fn weight_nav_order_and_order_all_sort_a_folder() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n"),
        ("content/guides/a.md", "---\ntitle: A\norder: 3\n---\n"),
        ("content/guides/b.md", "---\ntitle: B\nweight: 1\n---\n"),
        ("content/guides/c.md", "---\ntitle: C\nnav_order: 2\n---\n"),
        ("content/guides/d.md", "---\ntitle: D\n---\n"),
    ]);
    let built = site.build();
    assert_eq!(
        built.page("").links_in(".guide-section .link-list"),
        ["guides/b/", "guides/c/", "guides/a/", "guides/d/"]
    );
}

#[test]
fn top_level_pages_are_listed_on_the_home_before_the_folders() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n"),
        ("content/zebra.md", "# Zebras\n"),
        ("content/about.md", "---\ntitle: About us\nweight: 1\n---\n"),
        // A top-level page with pages below it is a folder's own page.
        ("content/team.md", "# The team\n"),
        ("content/team/people.md", "# People\n"),
        ("content/guides/a.md", "# A\n"),
    ]);
    let built = site.build();
    let home = built.page("");
    let sections: Vec<String> = home
        .select(".guide-section h2")
        .iter()
        .map(|h| h.text().collect::<String>())
        .collect();
    assert_eq!(sections, ["Pages", "Guides", "The team"]);
    assert_eq!(
        home.links_in(".guide-section .link-list"),
        ["about/", "zebra/", "guides/a/", "team/people/"]
    );
}

#[test]
fn problems_on_a_line_an_include_rewrote_are_placed_at_their_line_alone() {
    let site = TestSite::new(&[
        (
            "content/ch01.md",
            "# One\n\n\\{{#include x.md}} [a](nowhere.md)\n\
             x {{#include listings/hi.txt}} <b onclick=\"x()\">b</b>\n\
             {{#include listings/block.html}}\n\n\
             [b](gone.md) after\n",
        ),
        ("content/listings/hi.txt", "hi\n"),
        (
            "content/listings/block.html",
            "<div>\n<b onmouseover=\"y()\">c</b>\n</div>\n",
        ),
    ]);
    let found: Vec<(&str, Option<usize>, Option<usize>)> = site
        .errors()
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect();
    // A column counted in the expanded text would point at the wrong
    // character; a line the body wrote as it is keeps its column.
    assert_eq!(
        found,
        [
            ("broken-link", Some(3), None),
            ("event-handler", Some(4), None),
            ("event-handler", Some(5), None),
            ("broken-link", Some(7), Some(1)),
        ]
    );
}

#[test]
fn an_include_holding_includes_is_named_not_silently_half_expanded() {
    let site = TestSite::new(&[
        ("content/index.md", "# Home\n\n[A](guides/a.md)\n"),
        (
            "content/guides/a.md",
            "# A\n\nSee: {{#include ../parts/b.txt}}\n",
        ),
        (
            "content/parts/b.txt",
            "B-TEXT\n\n{{#include c.txt}}\n\\{{#include shown.txt}}\n",
        ),
        ("content/parts/c.txt", "C-TEXT\n"),
    ]);
    let built = site.build();
    let nested: Vec<(&str, Option<usize>, Option<usize>)> = built
        .warnings
        .iter()
        .filter(|d| d.code == "nested-include")
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(nested, [("content/guides/a.md", Some(3), Some(6))]);
    assert!(built.page("guides/a/").text("main").contains("B-TEXT"));
}

#[cfg(unix)]
#[test]
fn an_include_of_a_pipe_or_a_folder_is_an_error_not_a_wait() {
    let site = TestSite::new(&[
        (
            "content/ch01.md",
            "# One\n\n{{#include listings/pipe.txt}}\n\n{{#include listings}}\n",
        ),
        ("content/listings/main.rs", LISTING),
    ]);
    let made = std::process::Command::new("mkfifo")
        .arg(site.root().join("content/listings/pipe.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    let errors = site.errors();
    let found: Vec<(&str, Option<usize>, &str)> = errors
        .iter()
        .filter(|d| d.code == "broken-include")
        .map(|d| (d.code, d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-include",
                Some(3),
                "the include `listings/pipe.txt` is not a file"
            ),
            (
                "broken-include",
                Some(5),
                "the include `listings` is not a file"
            ),
        ],
        "{errors:#?}"
    );
}

#[cfg(unix)]
#[test]
fn an_include_through_a_link_out_of_content_is_an_error() {
    let site = TestSite::new(&[
        (
            "content/ch01.md",
            "# One\n\n```rust\n{{#include listings/main.rs}}\n```\n",
        ),
        ("outside/main.rs", LISTING),
    ]);
    std::os::unix::fs::symlink(
        site.root().join("outside"),
        site.root().join("content/listings"),
    )
    .unwrap();
    let errors = site.errors();
    let includes: Vec<(Option<usize>, bool)> = errors
        .iter()
        .filter(|d| d.code == "broken-include")
        .map(|d| (d.line, d.message.contains("outside the content folder")))
        .collect();
    assert_eq!(includes, [(Some(4), true)], "{errors:#?}");
}

/// Files saved with classic Mac OS line endings (a lone `\r`, as some old
/// exports keep) read line by line, as CommonMark and YAML read them: the
/// front matter is read (a draft stays out), the body keeps its blocks, and
/// problems are placed on their lines.
#[test]
fn files_with_lone_carriage_returns_read_as_lines() {
    let site = TestSite::new(&[
        (
            "content/guides/mac.md",
            "---\rtitle: Old Mac\r---\r# Heading\r\rText here.\r\r- one\r- two\r",
        ),
        (
            "content/guides/draft.md",
            "---\rtitle: Hidden\rdraft: true\r---\rSecret.\r",
        ),
        (
            "content/guides/include.md",
            "---\rtitle: Included\r---\r{{#include parts/part.md}}\r",
        ),
        ("content/guides/parts/part.md", "First.\r\rSecond.\r"),
    ]);
    let built = site.build();
    let page = built.page("guides/mac/");
    let title: String = page.select("h1")[0].text().collect();
    assert_eq!(title, "Old Mac");
    let headings: Vec<String> = page
        .select(".prose h1, .prose h2")
        .iter()
        .map(|h| h.text().collect::<String>())
        .collect();
    assert!(
        headings.iter().any(|h| h.starts_with("Heading")),
        "{headings:?}"
    );
    assert!(!headings.iter().any(|h| h.contains("Text")), "{headings:?}");
    assert_eq!(page.select(".prose li").len(), 2);
    assert!(
        page.text(".prose p").contains("Text here."),
        "{}",
        page.text(".prose")
    );
    assert!(
        !built.out.join("guides/draft/index.html").exists(),
        "a draft stays out"
    );
    let included = built.page("guides/include/");
    assert_eq!(
        included.select(".prose p").len(),
        2,
        "{}",
        included.text(".prose")
    );

    site.write(
        "content/guides/mac.md",
        "---\rtitle: Old Mac\r---\rText.\r\rSee [gone](nowhere.md).\r",
    );
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, Some(6), "{errors:#?}");
}
