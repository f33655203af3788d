//! The site's own words in its language: every string the theme and the
//! renderer show (navigation, headings, labels, search messages, dates)
//! looked up by key in a table chosen by `[book] language`, built into the
//! binary for English, French, German, Spanish and Dutch
//! (`themes/default/i18n/<lang>.toml`), with `[translations]` in
//! `book.toml` overriding any key.
//!
//! English is the source of truth: every table has exactly its keys, and a
//! language without a built-in table falls back to it, with a warning
//! naming the tables there are (as Hugo does for a theme's missing strings),
//! unless `[translations]` gives every key.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, closest};

/// The built-in tables, by language code; English first.
pub(crate) const BUILT_IN: [(&str, &str); 5] = [
    ("en", include_str!("../../themes/default/i18n/en.toml")),
    ("de", include_str!("../../themes/default/i18n/de.toml")),
    ("es", include_str!("../../themes/default/i18n/es.toml")),
    ("fr", include_str!("../../themes/default/i18n/fr.toml")),
    ("nl", include_str!("../../themes/default/i18n/nl.toml")),
];

/// One string of a table: plain text, or the forms for one and for several
/// of something (`{ one = "{count} standard", other = "{count} standards" }`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub(crate) enum Message {
    Text(String),
    Plural { one: String, other: String },
}

impl Message {
    /// Each form of the message, for checks on placeholders.
    pub(crate) fn forms(&self) -> Vec<&str> {
        match self {
            Message::Text(text) => vec![text],
            Message::Plural { one, other } => vec![one, other],
        }
    }
}

/// `[translations]` as written: each key with its place in `book.toml`.
pub(crate) type RawTranslations = BTreeMap<Spanned<String>, Spanned<Message>>;

/// The words of one site: the table of its language with its overrides.
#[derive(Debug, Clone)]
pub struct Translations {
    /// The table's language (`fr` for `fr-CA`; `en` when there is none).
    table: &'static str,
    messages: BTreeMap<String, Message>,
    /// Changes when any of the words does.
    fingerprint: u64,
    /// Warnings about `[book] language` and `[translations]`, with their lines.
    pub(crate) problems: Vec<Diagnostic>,
}

impl Default for Translations {
    fn default() -> Self {
        Translations::english()
    }
}

impl Translations {
    /// The English table, as built in.
    pub(crate) fn english() -> Translations {
        let messages = english_messages().clone();
        Translations {
            table: "en",
            fingerprint: crate::fingerprint::fingerprint(&messages),
            messages,
            problems: Vec::new(),
        }
    }

    /// The table for `language` (a code as `<html lang>` takes it: `fr`,
    /// `de-CH`), with `overrides` applied; `text` is `book.toml`, for lines.
    pub(crate) fn load(
        language: &Spanned<String>,
        overrides: &RawTranslations,
        text: &str,
    ) -> Translations {
        let english = Translations::english();
        let mut problems = Vec::new();
        // English under the table: a key a table lacks still has words.
        let mut messages = english.messages.clone();
        let table = match built_in(language.get_ref()) {
            Some(("en", _)) => "en",
            Some((code, table)) => {
                messages.extend(parse_table(table));
                code
            }
            None => "en",
        };
        for (key, value) in overrides {
            match override_problem(&english.messages, key.get_ref(), value.get_ref()) {
                Some((message, hint)) => {
                    let (line, column) = crate::diagnostics::line_col(text, key.span().start);
                    problems.push(
                        Diagnostic::warning("translations", CONFIG_FILE, message)
                            .at(line, column)
                            .with_hint(hint),
                    );
                }
                None => {
                    let message = match (&english.messages[key.get_ref()], value.get_ref()) {
                        (Message::Plural { .. }, Message::Text(text)) => Message::Plural {
                            one: text.clone(),
                            other: text.clone(),
                        },
                        (_, given) => given.clone(),
                    };
                    messages.insert(key.get_ref().clone(), message);
                }
            }
        }
        let untranslated = english
            .messages
            .keys()
            .filter(|k| !overrides.iter().any(|(o, _)| o.get_ref() == *k))
            .count();
        if built_in(language.get_ref()).is_none() && untranslated > 0 {
            let (line, column) = crate::diagnostics::line_col(text, language.span().start);
            problems.push(
                Diagnostic::warning(
                    "language",
                    CONFIG_FILE,
                    format!(
                        "Touchstone has no built-in words for the language `{}`: {untranslated} of the site's {} strings stay in English",
                        language.get_ref(),
                        english.messages.len()
                    ),
                )
                .at(line, column)
                .with_hint(format!(
                    "built-in languages: {}; or translate the rest under [translations] (see docs/translations.md)",
                    codes().join(", ")
                )),
            );
        }
        Translations {
            table,
            fingerprint: crate::fingerprint::fingerprint(&messages),
            messages,
            problems,
        }
    }

    /// Changes when any of the words does.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The language of the table in use (`en` when the site's has none).
    pub fn table_language(&self) -> &str {
        self.table
    }

    /// The text of `key`; for a plural, its form for several.
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.messages.get(key) {
            Some(Message::Text(text)) => text,
            Some(Message::Plural { other, .. }) => other,
            None => key,
        }
    }

    /// The text of `key` with each `{name}` replaced by its value; a plural
    /// takes its form from `count`, which also fills `{count}`.
    pub(crate) fn format(&self, key: &str, count: Option<u64>, args: &[(&str, &str)]) -> String {
        fill(self.template(key, count), count, args)
    }

    /// The text of `key` before its placeholders are filled: for a plural,
    /// the form `count` takes.
    pub(crate) fn template<'a>(&'a self, key: &'a str, count: Option<u64>) -> &'a str {
        match (self.messages.get(key), count) {
            (Some(Message::Plural { one, .. }), Some(n)) if self.is_one(n) => one,
            _ => self.get(key),
        }
    }

    /// `key` counted: "1 standard", "3 standards".
    pub(crate) fn count(&self, key: &str, n: usize) -> String {
        self.format(key, Some(n as u64), &[])
    }

    /// Whether `n` takes the form for one: 0 and 1 in French, 1 elsewhere.
    fn is_one(&self, n: u64) -> bool {
        match self.table {
            "fr" => n <= 1,
            _ => n == 1,
        }
    }

    /// A calendar date as a reader of the language writes it: "2 December
    /// 2026", "2. Dezember 2026".
    pub(crate) fn date(&self, year: i32, month: u32, day: u32) -> String {
        let key = format!("month_{month}");
        let month = self.get(&key);
        // French writes the first of a month "1er".
        let format = if day == 1 { "date_first" } else { "date" };
        interpolate(self.get(format), |name| match name {
            "day" => Some(day.to_string()),
            "month" => Some(month.to_string()),
            "year" => Some(year.to_string()),
            _ => None,
        })
    }

    /// Every key with its text, for the search page's messages.
    pub(crate) fn messages(&self) -> &BTreeMap<String, Message> {
        &self.messages
    }
}

/// `template` with `{count}` and each of `args` filled in.
pub(crate) fn fill(template: &str, count: Option<u64>, args: &[(&str, &str)]) -> String {
    let count = count.map(|n| n.to_string());
    interpolate(template, |name| match (name, &count) {
        ("count", Some(n)) => Some(n.clone()),
        _ => args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string()),
    })
}

/// The built-in languages' codes.
pub(crate) fn codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = BUILT_IN.iter().map(|(code, _)| *code).collect();
    codes.sort_unstable();
    codes
}

/// The built-in table for a language code, matched on its primary subtag
/// and without case: `fr-CA` and `FR` take `fr`.
fn built_in(language: &str) -> Option<(&'static str, &'static str)> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    BUILT_IN.iter().copied().find(|(code, _)| *code == primary)
}

/// The English table, parsed once: every site's words start from it.
fn english_messages() -> &'static BTreeMap<String, Message> {
    static ENGLISH: std::sync::OnceLock<BTreeMap<String, Message>> = std::sync::OnceLock::new();
    ENGLISH.get_or_init(|| parse_table(BUILT_IN[0].1))
}

/// A built-in table; they are checked by tests, so one that does not parse
/// is a bug in the binary.
pub(crate) fn parse_table(text: &str) -> BTreeMap<String, Message> {
    toml::from_str(text).expect("built-in translation tables parse")
}

/// What is wrong with an override, as a message and a hint: a key English
/// does not have, plural forms for a plain string, a placeholder the key
/// does not fill.
fn override_problem(
    english: &BTreeMap<String, Message>,
    key: &str,
    value: &Message,
) -> Option<(String, String)> {
    let Some(source) = english.get(key) else {
        let hint = match closest(key, english.keys().map(String::as_str)) {
            Some(near) => {
                format!("did you mean `{near}`? The keys are listed in docs/translations.md")
            }
            None => "the keys are listed in docs/translations.md".to_string(),
        };
        return Some((format!("unknown translation key `{key}`"), hint));
    };
    if matches!((source, value), (Message::Text(_), Message::Plural { .. })) {
        return Some((
            format!("`{key}` takes one text, not `one` and `other` forms"),
            format!("write it as {key} = \"…\""),
        ));
    }
    let mut known: BTreeSet<String> = source.forms().into_iter().flat_map(placeholders).collect();
    // English says "as a delivery driver"; other words take the title as it is.
    if known.contains("a_role") {
        known.insert("role".into());
    }
    let unknown = value
        .forms()
        .into_iter()
        .flat_map(placeholders)
        .find(|p| !known.contains(p))?;
    let hint = match closest(&unknown, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{{{near}}}`?"),
        None if known.is_empty() => format!("`{key}` has no placeholders"),
        None => format!(
            "`{key}` fills {}",
            known
                .iter()
                .map(|p| format!("`{{{p}}}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some((
        format!("`{key}` has an unknown placeholder `{{{unknown}}}`"),
        hint,
    ))
}

/// The `{name}` placeholders of a message, in order.
pub(crate) fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                found.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// `text` with each `{name}` that `value` knows replaced; the others kept.
fn interpolate(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after
            .find('}')
            .filter(|&close| is_name(&after[..close]))
            .and_then(|close| Some((close, value(&after[..close])?)));
        match filled {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(language: &str, book: &str) -> Translations {
        #[derive(Deserialize)]
        struct Book {
            #[serde(default)]
            translations: RawTranslations,
        }
        let parsed: Book = toml::from_str(book).unwrap();
        Translations::load(
            &Spanned::new(0..0, language.to_string()),
            &parsed.translations,
            book,
        )
    }

    /// What a message needs filled in: its shape and each form's
    /// placeholders (`{a_role}` is `{role}` with English's "a" or "an").
    fn shape(message: &Message) -> (bool, Vec<BTreeSet<String>>) {
        let forms = message.forms().into_iter();
        let plural = matches!(message, Message::Plural { .. });
        let names = |form: &str| {
            placeholders(form)
                .into_iter()
                .map(|p| if p == "a_role" { "role".into() } else { p })
                .collect()
        };
        (plural, forms.map(names).collect())
    }

    #[test]
    fn every_table_has_exactly_the_english_keys_and_placeholders() {
        let english = parse_table(BUILT_IN[0].1);
        for (code, text) in &BUILT_IN[1..] {
            let table = parse_table(text);
            let missing: Vec<&String> =
                english.keys().filter(|k| !table.contains_key(*k)).collect();
            let extra: Vec<&String> = table.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code}.toml lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{code}.toml has keys English lacks: {extra:?}"
            );
            for (key, message) in &english {
                assert_eq!(shape(&table[key]), shape(message), "{code}.toml: `{key}`");
            }
        }
    }

    #[test]
    fn plurals_follow_the_language() {
        let en = load("en", "");
        assert_eq!(en.count("count_moments", 0), "0 moments");
        assert_eq!(en.count("count_moments", 1), "1 moment");
        let fr = load("fr", "");
        assert_eq!(fr.count("count_moments", 0), "0 moment");
        assert_eq!(fr.count("count_moments", 2), "2 moments");
    }

    #[test]
    fn dates_are_written_the_languages_way() {
        let date = |lang: &str| load(lang, "").date(2026, 12, 2);
        assert_eq!(date("en"), "2 December 2026");
        assert_eq!(date("fr"), "2 décembre 2026");
        assert_eq!(date("de"), "2. Dezember 2026");
        assert_eq!(date("es"), "2 de diciembre de 2026");
        assert_eq!(date("nl"), "2 december 2026");
        assert_eq!(load("fr", "").date(2027, 1, 1), "1er janvier 2027");
        assert_eq!(load("en", "").date(2027, 1, 1), "1 January 2027");
    }

    #[test]
    fn regional_codes_take_their_languages_table() {
        assert_eq!(load("fr-CA", "").table_language(), "fr");
        assert_eq!(load("DE", "").table_language(), "de");
        assert!(load("de-CH", "").problems.is_empty());
    }

    #[test]
    fn overrides_replace_a_key_and_unknown_keys_warn_with_a_guess() {
        let book = "[translations]\nowned_by = \"Responsible for\"\nownd_by = \"x\"\n";
        let t = load("en", book);
        assert_eq!(t.get("owned_by"), "Responsible for");
        let [warning] = &t.problems[..] else {
            panic!("{:?}", t.problems)
        };
        assert_eq!(warning.line, Some(3));
        assert!(warning.message.contains("`ownd_by`"), "{}", warning.message);
        assert!(warning.hint.as_deref().unwrap().contains("`owned_by`"));
    }

    #[test]
    fn an_unknown_placeholder_in_an_override_warns() {
        let t = load(
            "en",
            "[translations]\ncount_moments = { one = \"{cont} step\", other = \"{count} steps\" }\n",
        );
        assert!(t.problems[0].hint.as_deref().unwrap().contains("`{count}`"));
        assert_eq!(t.count("count_moments", 1), "1 moment", "kept English");
    }

    #[test]
    fn an_unknown_language_falls_back_to_english_with_a_warning() {
        let t = load("pt", "");
        assert_eq!(t.table_language(), "en");
        assert_eq!(t.get("owned_by"), "Owned by");
        let hint = t.problems[0].hint.as_deref().unwrap();
        assert!(hint.contains("de, en, es, fr, nl"), "{hint}");
    }

    #[test]
    fn interpolation_keeps_braces_it_does_not_fill() {
        assert_eq!(
            interpolate("{a} {b} {", |n| (n == "a").then(|| "1".into())),
            "1 {b} {"
        );
        assert_eq!(placeholders("{count} of {total} {Not}"), ["count", "total"]);
    }
}
