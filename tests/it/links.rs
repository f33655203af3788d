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
