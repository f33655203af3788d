//! Code blocks as existing docs write them: mdBook's info strings, the
//! languages docs use, hidden lines, and languages nobody knows.

use crate::common::*;

fn code_page(markdown: &str) -> Page {
    let site = TestSite::new(&[("content/index.md", markdown)]);
    site.build().page("")
}

#[test]
fn mdbook_info_strings_with_commas_are_highlighted() {
    let page = code_page("# Code\n\n```rust,ignore,does_not_compile\nfn main() {}\n```\n");
    let code = &page.select("pre.code code")[0];
    assert_eq!(code.value().attr("data-lang"), Some("rust"));
    assert!(!page.select("pre.code code span[class^=hl-]").is_empty());
}

#[test]
fn languages_docs_use_are_highlighted() {
    for lang in [
        "toml",
        "console",
        "Dockerfile",
        "typescript",
        "ts",
        "kotlin",
        "scss",
    ] {
        let page = code_page(&format!("# Code\n\n```{lang}\nkey = \"value\"\n```\n"));
        assert!(
            !page.select("pre.code code span[class^=hl-]").is_empty(),
            "{lang} is not highlighted"
        );
        assert!(page.select("pre.code[data-label]").is_empty(), "{lang}");
    }
}

#[test]
fn an_unknown_language_is_plain_code_with_a_label() {
    let page = code_page("# Code\n\n```foo-unknown\n<whatever>\n```\n\n```text\nplain\n```\n");
    let blocks = page.select("pre.code");
    assert_eq!(blocks[0].value().attr("data-label"), Some("foo-unknown"));
    assert_eq!(page.text("pre.code"), "<whatever>\n plain\n");
    assert_eq!(blocks[1].value().attr("data-label"), None);
}

#[test]
fn mdbooks_hidden_lines_are_hidden_in_rust_blocks() {
    let page = code_page("# Code\n\n```rust\n# fn main() {\nlet x = 1;\n# }\n```\n");
    assert_eq!(page.text("pre.code"), "let x = 1;\n");
}

#[test]
fn the_same_block_on_many_pages_is_coloured_on_each() {
    let block = "```yaml\nowns: [first-call]\n```\n\n```sh\ntouchstone build\n```\n";
    let site = TestSite::new(&[
        ("content/index.md", &format!("# Home\n\n{block}")),
        ("content/guides/a.md", &format!("# A\n\n{block}")),
        ("content/guides/b.md", &format!("# B\n\nFirst:\n\n{block}")),
    ]);
    let built = site.build();
    for path in ["", "guides/a/", "guides/b/"] {
        let page = built.page(path);
        let langs: Vec<_> = page
            .select("pre.code code")
            .iter()
            .map(|c| c.value().attr("data-lang").unwrap_or_default().to_string())
            .collect();
        assert_eq!(langs, ["yaml", "sh"], "{path}");
        assert_eq!(
            page.text("pre.code"),
            "owns: [first-call]\n touchstone build\n"
        );
        assert!(page.select("pre.code span.hl-source").len() >= 2, "{path}");
    }
}

#[test]
fn a_title_holding_nul_leaves_the_code_beside_its_link_coloured() {
    // YAML's "\0" puts a NUL in a title, which a link then writes into
    // the page that shows code.
    let site = TestSite::new(&[
        (
            "content/guides/a.md",
            "---\ntitle: \"Zero\\0one\"\n---\nA.\n",
        ),
        (
            "content/guides/b.md",
            "# B\n\n```yaml\nk: v\n```\n\nSee [[guides/a]].\n\n```sh\necho hi\n```\n",
        ),
    ]);
    let page = site.build().page("guides/b/");
    assert_eq!(page.text("pre.code"), "k: v\n echo hi\n");
    assert_eq!(page.select("pre.code span.hl-source").len(), 2);
    assert!(page.text("main").contains("Zero"), "the link is written");
}
