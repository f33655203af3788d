//! The site's own words in its language: the sample playbook built in French
//! and in German shows its headings, navigation, labels, search messages
//! and dates in that language (its content stays as written); `[translations]`
//! overrides a string, and a mistyped key is a warning at its line.

use std::collections::BTreeMap;

use crate::common::*;

/// The sample playbook with `[book] language` set, built (the site holds
/// the output: keep it while reading the build).
fn sample_in(language: &str) -> (TestSite, Built) {
    let site = sample_copy();
    let book = std::fs::read_to_string(site.root().join("book.toml")).unwrap();
    let book = book.replace("language = \"en\"", &format!("language = \"{language}\""));
    assert!(book.contains(&format!("language = \"{language}\"")));
    site.write("book.toml", &book);
    let built = site.build();
    (site, built)
}

/// A built-in table, as the binary carries it.
fn table(language: &str) -> BTreeMap<String, toml::Value> {
    let path = format!(
        "{}/themes/default/i18n/{language}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `2026-11-23` as the table of `language` writes it.
fn long_date(language: &str, iso: &str) -> String {
    let t = table(language);
    let text = |key: &str| t[key].as_str().unwrap().to_string();
    let mut parts = iso.split('-').map(|p| p.parse::<u32>().unwrap());
    let (year, month, day) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let format = if day == 1 { "date_first" } else { "date" };
    text(format)
        .replace("{day}", &day.to_string())
        .replace("{month}", &text(&format!("month_{month}")))
        .replace("{year}", &year.to_string())
}

fn html_lang(page: &Page) -> String {
    page.select("html")[0]
        .value()
        .attr("lang")
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_sample_in_french_speaks_french_around_its_content() {
    let (_site, built) = sample_in("fr");
    let home = built.page("");
    assert_eq!(html_lang(&home), "fr");
    let nav = home.text(".site-nav");
    for section in ["Rôles", "Parcours", "Responsabilités", "Témoignages"] {
        assert!(nav.contains(section), "{section} in {nav}");
    }
    assert!(home.text("#roles-h").contains("Trouvez votre rôle"));
    assert!(home.text(".site-footer").contains("Nouveautés"));
    assert_eq!(home.text(".skip-link"), "Aller au contenu");

    let moment = built.page("journey/core/installation/");
    assert!(moment.text(".owners dt").starts_with("Responsable"));
    assert!(moment.text(".badge-mot").contains("Moment de vérité"));
    assert!(
        moment
            .text("#claims-h")
            .contains("Ce que les personas aiment")
    );
    // The content is the author's: titles stay as written.
    assert_eq!(moment.text("h1"), "Installation in the home");

    let search = built.file("search/index.html");
    assert!(
        search.contains("Aucun résultat pour « {query} »"),
        "search.js's messages come from the page"
    );
    let meta = built.file("search/meta.json");
    assert!(meta.contains("\"label\":\"Rôle\""), "{meta}");
}

#[test]
fn dates_read_in_the_language_and_stay_iso_for_machines() {
    for language in ["fr", "de"] {
        let (_site, built) = sample_in(language);
        let role = built.page("roles/delivery-driver/");
        let time = &role.select(".updated time")[0];
        let iso = time.value().attr("datetime").unwrap();
        assert_eq!(time.text().collect::<String>(), long_date(language, iso));
        let feed = built.file("changes.xml");
        assert!(
            feed.contains(&format!("<updated>{}", &iso[..4])),
            "the Atom feed keeps ISO dates: {feed}"
        );
    }
    assert_eq!(long_date("de", "2026-12-02"), "2. Dezember 2026");
    assert_eq!(long_date("es", "2026-12-02"), "2 de diciembre de 2026");
}

#[test]
fn the_sample_in_german_speaks_german_around_its_content() {
    let (_site, built) = sample_in("de");
    let moment = built.page("journey/core/installation/");
    assert_eq!(html_lang(&moment), "de");
    assert!(moment.text(".owners dt").starts_with("Verantwortlich"));
    assert!(moment.text(".badge-mot").contains("Moment der Wahrheit"));
    let matrix = built.page("accountability/");
    assert_eq!(matrix.text("h1"), "Verantwortungsmatrix");
    let onboarding = built.page("roles/installer/onboarding/");
    assert_eq!(onboarding.text("h1"), "Ihre erste Woche als Installer");
    assert!(
        onboarding
            .text(".checklist h2")
            .contains("Die Mantras lernen")
    );
    let health = built.page("health/");
    assert_eq!(health.text("h1"), "Zustand des Handbuchs");
    let not_found = built.file("404.html");
    assert!(not_found.contains("Seite nicht gefunden"));
}

/// English strings of the theme, as a forgotten one would show: the
/// literal runs of each message (between placeholders and markup) that the
/// other language words differently.
fn english_phrases(language: &str) -> Vec<String> {
    let english = table("en");
    let other = table(language);
    let forms = |value: &toml::Value| -> Vec<String> {
        match value {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Table(t) => t
                .values()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut phrases = Vec::new();
    for (key, value) in &english {
        if forms(value) == forms(&other[key]) {
            continue;
        }
        for form in forms(value) {
            phrases.extend(regex_free_split(&form));
        }
    }
    phrases
}

/// `text` cut at `{placeholders}` and `<tags>`, each run trimmed.
fn regex_free_split(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut skipping = None;
    for c in text.chars() {
        match (skipping, c) {
            (None, '{') => skipping = Some('}'),
            (None, '<') => skipping = Some('>'),
            (Some(end), c) if c == end => skipping = None,
            (Some(_), _) => continue,
            (None, c) => {
                run.push(c);
                continue;
            }
        }
        runs.push(std::mem::take(&mut run));
    }
    runs.push(run);
    runs.iter()
        .map(|r| trimmed(r))
        .filter(|r| r.chars().any(char::is_alphabetic))
        .collect()
}

/// `text` without the spaces and punctuation around it.
fn trimmed(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || ".,;:()“”«»·—▲▼".contains(c))
        .to_string()
}

/// Whether a piece of the theme's text shows `phrase`: a phrase of several
/// words anywhere in it, a single word as the whole of it (a word alone
/// could be part of an author's name for something).
fn shows(text: &str, phrase: &str) -> bool {
    if phrase.contains(' ') {
        text.contains(phrase)
    } else {
        trimmed(text) == phrase
    }
}

/// Words the sample's authors chose that the theme also uses: the title
/// of its guides folder (`content/guides/_index.md`).
const AUTHORS_WORDS: [&str; 1] = ["Guides"];

/// Elements whose text is the author's, not the theme's.
const AUTHORED: [&str; 9] = [
    "prose",
    "statement",
    "verbatim",
    "claim-text",
    "do",
    "dont",
    "measures",
    "brand",
    "print-meta",
];

/// The text the theme owns on a page: every text node outside the
/// author's elements, and the labels screen readers and forms show.
fn theme_text(html: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let mut found = Vec::new();
    for node in page.tree.nodes() {
        if let Some(element) = node.value().as_element() {
            for attr in ["aria-label", "placeholder", "title"] {
                found.extend(element.attr(attr).map(String::from));
            }
            continue;
        }
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let authored = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                // Commands (`touchstone check`) are the same in every language.
                matches!(e.name(), "blockquote" | "script" | "figcaption" | "code")
                    || e.classes().any(|c| AUTHORED.contains(&c))
            })
        });
        if !authored && !text.trim().is_empty() {
            found.push(text.to_string());
        }
    }
    found
}

#[test]
fn no_english_string_is_left_in_the_chrome_of_a_german_site() {
    let (_site, built) = sample_in("de");
    let mut phrases = english_phrases("de");
    phrases.retain(|p| !AUTHORS_WORDS.contains(&p.as_str()));
    let keys: std::collections::BTreeSet<String> = table("en")
        .into_keys()
        .filter(|k| k.contains('_'))
        .collect();
    assert!(phrases.iter().any(|p| p == "Owned by"), "{phrases:?}");
    let mut left = Vec::new();
    for entry in walkdir::WalkDir::new(&built.out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for text in theme_text(&html) {
            // A key shown as itself: looked up by a name the tables lack.
            if keys.contains(trimmed(&text).as_str()) {
                left.push(format!("{}: the key {text:?}", entry.path().display()));
            }
            for phrase in phrases.iter().filter(|p| shows(&text, p)) {
                left.push(format!(
                    "{}: {phrase:?} in {text:?}",
                    entry.path().display()
                ));
            }
        }
    }
    left.sort();
    left.dedup();
    assert!(
        left.is_empty(),
        "English left in a German site:\n{}",
        left.join("\n")
    );
}

#[test]
fn a_translations_table_overrides_one_string() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "book.toml");
    files.push((
        "book.toml",
        "[book]\ntitle = \"Guide\"\nlanguage = \"fr\"\n\n[translations]\nowned_by = \"Porté par\"\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    assert!(built.warnings.is_empty(), "{:#?}", built.warnings);
    let moment = built.page("journey/core/delivery/");
    assert_eq!(
        moment.text(".owners dt"),
        "Porté par En appui",
        "the rest stays French"
    );
}

#[test]
fn an_unknown_key_in_translations_warns_at_its_line_with_a_guess() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "book.toml");
    files.push((
        "book.toml",
        "[book]\ntitle = \"Guide\"\n\n[translations]\nownd_by = \"Responsible for\"\n",
    ));
    let site = TestSite::new(&files);
    let warnings = site.warnings();
    let w = warnings
        .iter()
        .find(|d| d.code == "translations")
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert_eq!((w.file.as_str(), w.line), ("book.toml", Some(5)));
    assert!(w.message.contains("`ownd_by`"), "{}", w.message);
    assert!(
        w.hint
            .as_deref()
            .unwrap()
            .contains("did you mean `owned_by`?")
    );
}

#[test]
fn a_language_without_a_table_warns_and_stays_english() {
    let mut files = small_site();
    files.retain(|(p, _)| *p != "book.toml");
    files.push((
        "book.toml",
        "[book]\ntitle = \"Guia\"\nlanguage = \"pt-BR\"\n",
    ));
    let site = TestSite::new(&files);
    let built = site.build();
    let w = built
        .warnings
        .iter()
        .find(|d| d.code == "language")
        .unwrap_or_else(|| panic!("{:#?}", built.warnings));
    assert_eq!(w.line, Some(3));
    assert!(w.hint.as_deref().unwrap().contains("de, en, es, fr, nl"));
    let home = built.page("");
    assert_eq!(
        html_lang(&home),
        "pt-BR",
        "the page still says what language its content is in"
    );
    assert!(home.text(".site-footer").contains("What changed"));
}

#[test]
fn the_docs_list_every_key() {
    let docs = std::fs::read_to_string(format!(
        "{}/docs/translations.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let missing: Vec<String> = table("en")
        .into_keys()
        .filter(|key| !docs.contains(&format!("| `{key}` |")))
        .collect();
    assert!(missing.is_empty(), "docs/translations.md lacks {missing:?}");
}

#[test]
fn a_session_that_changes_language_relabels_the_anchors_in_bodies() {
    let mut files = small_site();
    files.push((
        "content/guides/faq.md",
        "# FAQ\n\n## When do you call?\n\nThe day before.\n",
    ));
    let site = TestSite::new(&files);
    let mut memo = touchstone::incremental::Memo::for_session();
    let faq = |compiled: touchstone::Compiled| {
        let file = compiled
            .files
            .into_iter()
            .find(|f| f.path == "guides/faq/index.html");
        String::from_utf8_lossy(&file.expect("the FAQ page").bytes).into_owned()
    };
    let english = faq(touchstone::compile_with(&site.options(), &mut memo).unwrap());
    assert!(
        english.contains("aria-label=\"Link to this section\""),
        "{english}"
    );
    site.write(
        "book.toml",
        "[book]\ntitle = \"Guide\"\nlanguage = \"de\"\n",
    );
    let german = faq(touchstone::compile_with(&site.options(), &mut memo).unwrap());
    assert!(
        german.contains("aria-label=\"Link zu diesem Abschnitt\""),
        "{german}"
    );
}

#[test]
fn search_speaks_the_sites_language_in_the_browser() {
    let browser = browser_or_skip!();
    let mut files = small_site();
    files.retain(|(p, _)| *p != "book.toml");
    files.push((
        "book.toml",
        "[book]\ntitle = \"Guide\"\nlanguage = \"fr\"\n",
    ));
    files.push((
        "content/guides/livraisons.md",
        "# Les livraisons\n\nNous appelons avant chaque livraison.\n",
    ));
    let site = TestSite::new(&files);
    let server = http::Server::start(site.root(), &[]);
    let base = format!("http://127.0.0.1:{}/search/", server.port);

    browser.goto(&format!("{base}?q=livraisons"));
    let count = browser.wait_for("(document.querySelector('.search-count') || {}).textContent");
    assert_eq!(count.as_str(), Some("1 résultat"));
    let filters = browser.wait_for(
        "(() => { const b = [...document.querySelectorAll('.search-filters button')].map(e => e.textContent); return b.length > 1 ? b : null; })()",
    );
    assert_eq!(filters[0], "Tout");
    assert!(
        filters.as_array().unwrap().iter().any(|b| b == "Rôles"),
        "{filters}"
    );

    browser.goto(&format!("{base}?q=zebre&kind=role"));
    let none = browser.wait_for(
        "document.querySelector('.search-none') && document.querySelector('.search-none').textContent",
    );
    assert!(
        none.as_str()
            .unwrap()
            .starts_with("Aucun résultat pour « zebre » parmi les rôles."),
        "{none}"
    );
}

/// The quoted key after each `marker` in `code` (`t(key="owned_by"` ->
/// `owned_by`), where the quote closes the argument: a key built from
/// pieces (`"kind_" ~ kind`) is not one key.
fn literal_keys(code: &str, marker: &str) -> Vec<String> {
    code.match_indices(marker)
        .filter_map(|(at, _)| {
            // `get(key=` is not `t(key=`.
            let before = code[..at].chars().next_back();
            if marker.starts_with(char::is_alphabetic)
                && before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                return None;
            }
            let rest = code[at + marker.len()..].trim_start();
            let rest = rest.strip_prefix('&').unwrap_or(rest).strip_prefix('"')?;
            let (key, after) = rest.split_once('"')?;
            let closes = after.trim_start().starts_with([')', ',']);
            let is_key = key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            (closes && is_key && !key.is_empty()).then(|| key.to_string())
        })
        .collect()
}

/// The keys a template reads from `site.t` (`{{ site.t.owned_by }}`).
fn words_keys(code: &str) -> Vec<String> {
    code.match_indices("site.t.")
        .filter(|(at, _)| {
            let before = code[..*at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        })
        .map(|(at, marker)| {
            code[at + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_key_the_templates_and_renderer_name_is_in_the_tables() {
    let english = table("en");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = Vec::new();
    for dir in ["themes/default/templates", "src"] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.unwrap();
            let Some(ext) = entry.path().extension() else {
                continue;
            };
            let code = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let keys = match ext.to_str() {
                Some("html") => {
                    let mut keys = literal_keys(&code, "t(key=");
                    keys.extend(words_keys(&code));
                    keys
                }
                // Lookups in Rust: `words.get("…")`, `l.words\n.format("…"`.
                Some("rs") => [".get(", ".format(", ".count("]
                    .iter()
                    .flat_map(|call| {
                        code.match_indices("words")
                            .filter_map(|(at, _)| {
                                let after = code[at + "words".len()..].trim_start();
                                after.starts_with(call).then(|| literal_keys(after, call))
                            })
                            .flatten()
                            .collect::<Vec<_>>()
                    })
                    .collect(),
                _ => continue,
            };
            named.extend(
                keys.into_iter()
                    .map(|k| (entry.path().display().to_string(), k)),
            );
        }
    }
    named.sort();
    named.dedup();
    assert!(
        named.len() > 150,
        "the scan finds the lookups: {}",
        named.len()
    );
    let unknown: Vec<_> = named
        .iter()
        .filter(|(_, k)| !english.contains_key(k))
        .collect();
    assert!(unknown.is_empty(), "keys no table has: {unknown:?}");
}

#[test]
fn site_t_in_a_template_prints_what_t_prints_for_every_key_in_the_sites_language() {
    let site = TestSite::new(&small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"Flotte\"\nlanguage = \"fr\"\n",
    );
    let french = table("fr");
    let mut template = String::from("{% extends \"base.html\" %}{% block content %}");
    // A link to a `{placeholder}` would fail the output check.
    let keys: Vec<&String> = french
        .iter()
        .filter(|(_, text)| !format!("{text:?}").contains("href=\\\"{"))
        .map(|(key, _)| key)
        .collect();
    for key in &keys {
        template.push_str(&format!(
            "<p data-words=\"{key}\">{{{{ site.t.{key} }}}}</p><p data-t=\"{key}\">{{{{ t(key=\"{key}\") }}}}</p>\n"
        ));
    }
    template.push_str("{% endblock content %}");
    site.write("templates/story.html", &template);
    let built = site.build();
    let page = built.page("stories/late-van/");
    let inner = |attr: &str, key: &str| {
        let found = page.select(&format!("[data-{attr}=\"{key}\"]"));
        assert_eq!(found.len(), 1, "{attr} {key}");
        found[0].inner_html()
    };
    // The French text, with the markup of an `_html` key.
    let lead = inner("words", "no_changes_html");
    assert!(
        lead.contains("n’a encore") && lead.contains("<code>"),
        "{lead}"
    );
    assert!(keys.len() > 200, "{}", keys.len());
    for key in keys {
        assert_eq!(inner("words", key), inner("t", key), "{key}");
    }
}

#[test]
fn a_template_variable_named_like_the_words_leaves_the_default_theme_its_words() {
    let site = TestSite::new(&small_site());
    // A reading-time count in a template of one's own, extending the
    // default `base.html`, which prints the site's words.
    site.write(
        "templates/story.html",
        "{% extends \"base.html\" %}{% block content %}{% set words = page.doc.body | wordcount %}{% set t = 3 %}<p class=\"count\">{{ words }}</p>{% endblock content %}",
    );
    let built = site.build();
    let story = built.page("stories/late-van/");
    assert!(story.text(".count").parse::<u32>().is_ok_and(|n| n > 0));
    assert_eq!(story.text(".skip-link"), "Skip to content");
    assert_eq!(story.text(".footer-label"), "For authors:");
}
