//! A property test of loading: random and mutated front matter, YAML lists
//! and Markdown, each written into an otherwise valid site and built.
//! Whatever the input, the build never panics; it either succeeds (and the
//! file is on the site or named in a warning) or fails with a diagnostic
//! naming that file; and no output path leaves the output folder.
//!
//! The cases come from a small seeded generator, so a run is reproducible:
//! `cargo test` runs a few dozen cases with a fixed seed;
//! `TOUCHSTONE_PROPERTY_CASES=5000 TOUCHSTONE_PROPERTY_SEED=<n>` runs more
//! (see `tests/README.md`). A failure prints the seed, the case and the file.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use crate::common::*;
use touchstone::{BuildOptions, Failure};

/// SplitMix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Ids and names an author (or an attacker) might write.
const HOSTILE: &[&str] = &[
    "",
    ".",
    "..",
    "../../../../tmp/escape",
    "/etc/passwd",
    "a/b",
    "%2e%2e",
    "%2e%2e%2fx",
    "a\\b",
    "..\\..\\x",
    "CON",
    "nul",
    "aux.md",
    "COM1",
    "x\u{0}y",
    "üñíçødé",
    "Ｆｕｌｌ",
    "e\u{301}",
    "\u{202e}evil",
    "two words",
    "-",
    "delivery",
    "driver",
    "call-ahead",
    "no-surprises",
    "x\"onmouseover=\"alert(1)",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "*a",
    "&a",
    "!!binary aGk=",
    "~",
    "null",
    "2026-02-30",
    "99999999999999999999",
    "-1",
    "1e400",
];

/// Keys of every kind's front matter, misspellings and strangers.
const KEYS: &[&str] = &[
    "title",
    "id",
    "team",
    "owns",
    "supports",
    "behaviours",
    "behavoiurs",
    "standard",
    "do",
    "dont",
    "moment",
    "moments",
    "mantras",
    "personas",
    "statement",
    "measures",
    "kano",
    "weight",
    "text",
    "meaning",
    "standards",
    "name",
    "quote",
    "loves",
    "hates",
    "evidence",
    "source",
    "order",
    "moment_of_truth",
    "persona",
    "sentiment",
    "date",
    "updated",
    "draft",
    "review_by",
    "extra",
    "description",
    "onboarding",
    "nav_order",
    "<<",
    "? x",
];

/// Characters that mean something to YAML or Markdown.
const SPECIAL: &[&str] = &[
    ":", "-", " ", "\n", "'", "\"", "[", "]", "{", "}", "&a", "*a", "!", "#", "|", ">", "%", "@",
    "`", "\t", "\r", "---\n", "- ", "  ", "\u{feff}", "é", "\u{0}", "[[", "]]", "{#", "](", "<a ",
    "\\",
];

/// A YAML scalar, list or map, nested at most `depth` deep.
fn value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(if depth == 0 { 4 } else { 7 }) {
        0 => format!("\"{}\"", rng.pick(HOSTILE).replace('"', "\\\"")),
        1 => rng.pick(HOSTILE).to_string(),
        2 => rng
            .pick(&[
                "true",
                "no",
                "~",
                "0",
                "1.5",
                "-7",
                "2026-02-28",
                "[]",
                "{}",
            ])
            .to_string(),
        3 => format!("'{}'", rng.pick(HOSTILE).replace('\'', "''")),
        4 | 5 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| value(rng, depth - 1)).collect();
            format!("[{}]", items.join(", "))
        }
        _ => {
            let items: Vec<String> = (0..rng.below(4))
                .map(|_| format!("{}: {}", rng.pick(KEYS), value(rng, depth - 1)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// Front matter made of random known and unknown keys with random values.
fn random_front_matter(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(7) {
        text.push_str(&format!("{}: {}\n", rng.pick(KEYS), value(rng, 3)));
        if rng.chance(20) {
            text.push_str(&format!("  - {}: {}\n", rng.pick(KEYS), value(rng, 2)));
        }
    }
    text
}

/// A Markdown body with links, anchors, raw HTML and fences of every kind.
fn random_body(rng: &mut Rng) -> String {
    const PARTS: &[&str] = &[
        "Plain words.\n",
        "# Heading {#x\"onmouseover=\"alert(1)}\n",
        "## Again\n",
        "[[roles/driver]]\n",
        "[[no-such-id]]\n",
        "[[delivery|the delivery]]\n",
        "[up](../../../../etc/passwd)\n",
        "[abs](/etc/passwd)\n",
        "[faq](../guides/faq.md#nowhere)\n",
        "<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>\n",
        "<img src=\"../../../../x.png\">\n",
        "```rust\nfn main() {}\n",
        "```\n",
        "> quote\n",
        "| a | b |\n| - | - |\n",
        "[^1]\n\n[^1]: note\n",
        "<!-- unclosed comment\n",
        "---\n",
        "\u{0}\n",
    ];
    (0..rng.below(8)).map(|_| rng.pick(PARTS)).collect()
}

/// `text` with a few random edits: characters inserted, deleted, lines
/// doubled or cut short.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 | 1 => {
                let insert: Vec<char> = rng.pick(SPECIAL).chars().collect();
                chars.splice(at..at, insert);
            }
            2 if at < chars.len() => {
                chars.remove(at);
            }
            3 => chars.truncate(at),
            _ => {
                let text: String = chars.iter().collect();
                let lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let line = lines[rng.below(lines.len())];
                    let mut doubled = text.clone();
                    doubled.push_str(line);
                    doubled.push('\n');
                    chars = doubled.chars().collect();
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// A YAML list of entities with random ids and fields.
fn random_list(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(5) {
        text.push_str(&format!("- id: {}\n", value(rng, 0)));
        for _ in 0..rng.below(3) {
            text.push_str(&format!("  {}: {}\n", rng.pick(KEYS), value(rng, 2)));
        }
    }
    text
}

/// One case: a file of the small site (or a new one) and its new text.
fn case(rng: &mut Rng, site: &[(&'static str, &'static str)]) -> (String, String) {
    let entities: Vec<&(&str, &str)> = site
        .iter()
        .filter(|(path, _)| path.starts_with("content/"))
        .collect();
    match rng.below(7) {
        0 | 1 => {
            let (path, text) = entities[rng.below(entities.len())];
            (path.to_string(), mutate(rng, text))
        }
        2 => {
            let (path, _) = entities[rng.below(entities.len())];
            let text = if path.ends_with(".yaml") {
                random_list(rng)
            } else {
                format!("---\n{}---\n{}", random_front_matter(rng), random_body(rng))
            };
            (path.to_string(), text)
        }
        3 => {
            let folder = rng.pick(&["mantras", "journey/core/moments", "standards", "roles"]);
            (format!("content/{folder}.yaml"), random_list(rng))
        }
        4 => {
            let name = rng.pick(HOSTILE).replace(['/', '\0'], "_");
            let folder = rng.pick(&["guides", "roles", "journey/core", "stories", ""]);
            let path = format!("content/{folder}/{name}.md").replace("//", "/");
            let text = format!("---\n{}---\n{}", random_front_matter(rng), random_body(rng));
            (path, text)
        }
        5 => ("content/guides/random.md".into(), random_body(rng)),
        _ => {
            let name = rng.pick(HOSTILE).replace(['/', '\0'], "_");
            (format!("content/guides/{name}.png"), "png".into())
        }
    }
}

/// Errors another file gets when the case removed what it referred to.
const REFERENCES: &[&str] = &[
    "unknown-reference",
    "broken-link",
    "broken-anchor",
    "broken-output-link",
];

/// An output path that stays inside the folder it is written to.
fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|s| !matches!(s, "" | "." | ".."))
}

/// Every name under `dir`, relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

/// Builds one case and checks the three promises; `Err` says what broke.
fn check_case(path: &str, text: &str) -> Result<(), String> {
    let base = small_site();
    let mut files: Vec<(&str, &str)> = base.iter().filter(|(p, _)| *p != path).copied().collect();
    files.push((path, text));
    // The site sits two folders down, so a write above it would show.
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("a/site");
    for (file, text) in &files {
        let target = root.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    let options = BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    };
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| touchstone::build(&options)))
        .map_err(|_| "the build panicked".to_string())?;
    let outside: Vec<String> = tree(outer.path())
        .into_iter()
        .filter(|name| !name.starts_with("a/site/content") && !name.starts_with("a/site/public"))
        .filter(|name| !["a", "a/site", "a/site/book.toml"].contains(&name.as_str()))
        .collect();
    if !outside.is_empty() {
        return Err(format!("files written outside the output: {outside:?}"));
    }
    match built {
        Ok(compiled) => {
            if let Some(bad) = compiled.files.iter().find(|f| !stays_inside(&f.path)) {
                return Err(format!(
                    "output path {:?} leaves the output folder",
                    bad.path
                ));
            }
            let on_site = compiled.sources.values().any(|source| source == path)
                || compiled.diagnostics.iter().any(|d| d.file == path)
                || !path.ends_with(".md");
            on_site.then_some(()).ok_or_else(|| {
                "the build succeeded but the file is neither on the site nor named in a warning"
                    .into()
            })
        }
        Err(Failure::Content { diagnostics, .. }) => {
            // Either this file is at fault, or it loaded and others now
            // refer to something it no longer defines (an emptied list).
            let named = diagnostics.iter().any(|d| d.file == path && d.is_error());
            let references_only = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .all(|d| REFERENCES.contains(&d.code));
            (named || references_only).then_some(()).ok_or_else(|| {
                format!("the build failed without an error naming {path}: {diagnostics:#?}")
            })
        }
        Err(Failure::Io(message)) => {
            Err(format!("an I/O failure instead of a diagnostic: {message}"))
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn any_front_matter_list_or_markdown_loads_or_is_named_and_stays_inside() {
    let seed = env_number("TOUCHSTONE_PROPERTY_SEED", 0x7e57_c0de);
    let cases = env_number("TOUCHSTONE_PROPERTY_CASES", 16);
    let mut rng = Rng(seed);
    let base = small_site();
    let mut failures = Vec::new();
    for n in 0..cases {
        let (path, text) = case(&mut rng, &base);
        if let Err(why) = check_case(&path, &text) {
            failures.push(format!("seed {seed:#x}, case {n}: {path}\n{text:?}\n{why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
