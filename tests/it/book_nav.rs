//! Sites of guides and imported books: the navigation and the home page
//! show the sections that have pages, and an mdBook's `SUMMARY.md` gives
//! the order and nesting of its chapters.

use crate::common::*;

fn no_orphans(built: &Built) {
    let orphans: Vec<&str> = built
        .warnings
        .iter()
        .filter(|d| d.code == "orphan-page")
        .map(|d| d.file.as_str())
        .collect();
    assert!(orphans.is_empty(), "orphans: {orphans:?}");
}

#[test]
fn a_guides_only_site_shows_its_folders_instead_of_empty_cx_sections() {
    let site = TestSite::new(&[
        (
            "content/guides/complaints.md",
            "---\ntitle: Complaints\nweight: 1\n---\nText.\n",
        ),
        (
            "content/guides/onboarding.md",
            "---\ntitle: Onboarding\nweight: 3\n---\nText.\n",
        ),
        (
            "content/guides/refunds.md",
            "---\ntitle: Refunds\nweight: 2\n---\nText.\n",
        ),
        ("content/handbook/leave.md", "# Leave\n\nText.\n"),
    ]);
    let built = site.build();
    let home = built.page("");
    let nav: Vec<String> = home
        .select(".site-nav a")
        .iter()
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(nav, ["Guides", "Handbook"]);
    assert_eq!(
        home.links_in(".guide-section .link-list"),
        [
            "guides/complaints/",
            "guides/refunds/",
            "guides/onboarding/",
            "handbook/leave/"
        ]
    );
    assert!(
        home.select(".find-role").is_empty(),
        "no roles, no role finder"
    );
    assert!(home.select(".explore").is_empty(), "no counts of nothing");
    no_orphans(&built);
}

const BOOK: &[(&str, &str)] = &[
    (
        "content/SUMMARY.md",
        "# Summary\n\n[Introduction](ch00-00-introduction.md)\n\n\
         - [Getting Started](ch01-00-getting-started.md)\n\
         \x20   - [Installation](ch01-01-installation.md)\n\
         \x20   - [Hello, World!](ch01-02-hello-world.md)\n\
         - [Ownership](ch04-00-understanding-ownership.md)\n\
         \x20   - [What is Ownership?](ch04-01-what-is-ownership.md)\n\
         \x20   - [Draft]()\n\n---\n\n## Appendix\n\n[Appendix](appendix-00.md)\n",
    ),
    ("content/ch00-00-introduction.md", "# Introduction\n"),
    ("content/ch01-00-getting-started.md", "# Getting Started\n"),
    ("content/ch01-01-installation.md", "# Installation\n"),
    ("content/ch01-02-hello-world.md", "# Hello, World!\n"),
    (
        "content/ch04-00-understanding-ownership.md",
        "# Ownership\n",
    ),
    (
        "content/ch04-01-what-is-ownership.md",
        "# What is Ownership?\n",
    ),
    ("content/appendix-00.md", "# Appendix\n"),
];

#[test]
fn summary_md_gives_the_chapters_order_and_nesting_and_is_not_a_page() {
    let site = TestSite::new(BOOK);
    let built = site.build();
    let home = built.page("");
    assert_eq!(
        home.links_in(".book-contents"),
        [
            "ch00-00-introduction/",
            "ch01-00-getting-started/",
            "ch01-01-installation/",
            "ch01-02-hello-world/",
            "ch04-00-understanding-ownership/",
            "ch04-01-what-is-ownership/",
            "appendix-00/"
        ]
    );
    assert_eq!(home.select(".book-contents .contents-2").len(), 4);
    assert_eq!(home.text(".book-contents .contents-part"), "Appendix");
    assert!(!built.out.join("SUMMARY/index.html").exists());
    no_orphans(&built);
}

#[test]
fn a_summary_entry_for_a_missing_chapter_is_an_error_at_its_line() {
    let site = TestSite::new(&[
        (
            "content/SUMMARY.md",
            "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n",
        ),
        ("content/one.md", "# One\n"),
    ]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/SUMMARY.md", Some(4))
    );
}

fn nav_of(page: &Page) -> Vec<(String, String)> {
    page.select(".site-nav a")
        .iter()
        .map(|a| {
            let href = a.value().attr("href").unwrap_or_default().to_string();
            (a.text().collect::<String>(), href)
        })
        .collect()
}

#[test]
fn the_nav_shows_each_cx_section_with_content_and_the_home_counts_only_those() {
    let site = TestSite::new(&[
        (
            "content/mantras/call-first.md",
            "---\ntext: Call first\n---\n",
        ),
        ("content/mantras/own-it.md", "---\ntext: Own it\n---\n"),
        (
            "content/journey/buy/_index.md",
            "---\ntitle: Buy\norder: 1\n---\n",
        ),
        (
            "content/journey/buy/pay.md",
            "---\ntitle: Pay\norder: 1\n---\n",
        ),
        ("content/guides/refunds.md", "# Refunds\n"),
    ]);
    let built = site.build();
    let home = built.page("");
    assert_eq!(
        nav_of(&home),
        [
            ("Mantras".to_string(), "./mantras/".to_string()),
            ("Journey".to_string(), "./journey/".to_string()),
            ("Guides".to_string(), "./guides/refunds/".to_string()),
        ],
        "no roles, so no accountability matrix; no empty sections"
    );
    let counts: Vec<String> = home
        .select(".explore .stat-grid li")
        .iter()
        .map(|li| {
            li.text()
                .collect::<Vec<_>>()
                .join("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(counts, ["2 mantras", "1 moment"]);
    let guide = built.page("guides/refunds/");
    assert_eq!(
        guide.select(".site-nav a[aria-current=page]")[0]
            .text()
            .collect::<String>(),
        "Guides"
    );
}

#[test]
fn book_toml_nav_lists_sections_pages_and_links_out_in_order() {
    let site = TestSite::new(&[
        (
            "book.toml",
            "[[nav]]\npage = \"guides/onboarding.md\"\ntitle = \"Start here\"\n\n\
             [[nav]]\nsection = \"handbook\"\n\n\
             [[nav]]\nsection = \"roles\"\n\n\
             [[nav]]\ntitle = \"Status\"\nurl = \"https://status.example.com/\"\n",
        ),
        ("content/guides/onboarding.md", "# Onboarding\n"),
        ("content/guides/refunds.md", "# Refunds\n"),
        ("content/handbook/leave.md", "# Leave\n"),
        (
            "content/roles/agent.md",
            "---\ntitle: Agent\nteam: Care\n---\n",
        ),
    ]);
    let built = site.build();
    let page = built.page("guides/refunds/");
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        nav_of(&page),
        pairs(&[
            ("Start here", "../../guides/onboarding/"),
            ("Handbook", "../../handbook/leave/"),
            ("Roles", "../../roles/"),
            ("Status", "https://status.example.com/"),
        ])
    );
}

#[test]
fn a_nav_entry_for_a_missing_page_or_section_is_an_error_at_its_line() {
    let site = TestSite::new(&[
        (
            "book.toml",
            "[[nav]]\npage = \"guides/missing.md\"\n\n[[nav]]\nsection = \"handbok\"\n\n\
             [[nav]]\nsection = \"guides\"\n",
        ),
        ("content/guides/onboarding.md", "# Onboarding\n"),
        ("content/handbook/leave.md", "# Leave\n"),
    ]);
    let errors = site.errors();
    let located: Vec<(&str, Option<usize>)> =
        errors.iter().map(|d| (d.file.as_str(), d.line)).collect();
    assert_eq!(
        located,
        [("book.toml", Some(1)), ("book.toml", Some(4))],
        "{errors:#?}"
    );
    assert!(
        errors[1]
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("handbook")
    );
}

#[test]
fn a_nav_entry_without_a_target_is_an_error_at_its_line() {
    let site = TestSite::new(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n\n[[nav]]\ntitle = \"Nowhere\"\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("book.toml", Some(4))
    );
}
