//! Search lists results best first: titles outweigh headings, headings
//! outweigh body text, and a word said more often (up to three times a
//! field) outweighs a word said once. The order of a term's postings in the
//! index is the order the search page lists its results.

use std::path::Path;

use crate::common::*;

fn read_json(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("no file {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The site paths a one-word query lists, best first.
fn results(out: &Path, word: &str) -> Vec<String> {
    let term = touchstone::search::stem(&touchstone::search::fold(word));
    let shard_name: String = term
        .chars()
        .take(2)
        .collect::<String>()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    let shard = read_json(&out.join(format!("search/t/{shard_name}.json")));
    let postings = shard["t"][term.as_str()]
        .as_array()
        .unwrap_or_else(|| panic!("no postings for {term:?} in {shard}"))
        .clone();
    let per_file = read_json(&out.join("search/meta.json"))["perFile"]
        .as_u64()
        .unwrap();
    postings
        .chunks(3)
        .map(|posting| {
            let doc = posting[0].as_u64().unwrap();
            let cards = read_json(&out.join(format!("search/d/{}.json", doc / per_file)));
            cards[(doc % per_file) as usize][0]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_page_titled_with_the_word_ranks_above_one_whose_headings_mention_it() {
    let mut faq = String::from("---\ntitle: Billing questions\n---\n");
    for case in [
        "late",
        "lost",
        "damaged",
        "wrong",
        "double",
        "cancelled",
        "gift",
        "partial",
    ] {
        faq.push_str(&format!(
            "## A refund for a {case} order\n\nThe refund goes back to the card; \
             a refund takes five days, and we confirm each refund by email.\n\n"
        ));
    }
    let site = TestSite::new(&[
        ("content/guides/billing.md", &faq),
        (
            "content/guides/the-policy.md",
            "---\ntitle: Refunds\n---\nWhat we give back, and when.\n",
        ),
    ]);
    let built = site.build();
    let found = results(&built.out, "refund");
    assert_eq!(
        found.first().map(String::as_str),
        Some("guides/the-policy/"),
        "{found:?}"
    );
    assert!(found.contains(&"guides/billing/".to_string()), "{found:?}");
}

#[test]
fn a_page_that_says_a_word_three_times_ranks_above_one_that_says_it_once() {
    let site = TestSite::new(&[
        (
            "content/guides/a-once.md",
            "---\ntitle: Returns\n---\nA courier collects the parcel.\n",
        ),
        (
            "content/guides/b-thrice.md",
            "---\ntitle: Pickups\n---\nThe courier calls ahead; the courier waits ten minutes; \
             the courier leaves a card.\n",
        ),
    ]);
    let built = site.build();
    assert_eq!(
        results(&built.out, "courier"),
        ["guides/b-thrice/", "guides/a-once/"]
    );
}
