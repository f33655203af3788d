//! The site's words in templates and views: the `t` function and the
//! `long_date` filter every template can use, the words of each kind, and
//! the messages the scripts show, handed to them in the page.
//!
//! In a template, `{{ t(key="owned_by") }}` prints the text of a key, HTML
//! escaped; any other argument fills the `{name}` of the same name (escaped
//! too), and `count=` also chooses between a plural's forms. A key ending
//! in `_html` holds markup, printed as it is.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Translations;
use crate::config::translations::{Message, fill};
use crate::markdown::html_escape;
use crate::model::{Date, Kind};

/// Registers `t` and `long_date` on a theme's templates, and returns the
/// words every page is given as `site.t`.
pub(super) fn register(tera: &mut tera::Tera, words: &Translations) -> tera::Value {
    let words = Arc::new(words.clone());
    let for_dates = words.clone();
    let translate = Translate::new(words);
    let plain = plain_words(&translate.plain);
    tera.register_function("t", translate);
    tera.register_filter(
        "long_date",
        move |value: tera::Value, _: tera::Kwargs, _: &tera::State| -> tera::Value {
            let text = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            match Date::parse(&text) {
                Some(date) => tera::Value::from(long_date(&for_dates, date)),
                None => value,
            }
        },
    );
    plain
}

/// Each key's text, as `t(key=…)` alone prints it: `{{ site.t.search }}`.
/// The keys in order: a template's map keeps the order it was made in,
/// and a template that lists the words lists them alike on every build.
fn plain_words(plain: &HashMap<String, tera::Value>) -> tera::Value {
    let mut keys: Vec<&String> = plain.keys().collect();
    keys.sort_unstable();
    let map: tera::Map = keys
        .into_iter()
        .map(|key| (tera::value::Key::from(key.clone()), plain[key].clone()))
        .collect();
    tera::Value::from(map)
}

/// The `t` template function.
struct Translate {
    words: Arc<Translations>,
    /// Each key's text as `t(key=…)` alone prints it, made once: every
    /// page calls `t` a dozen times or more, nearly always with no other
    /// argument.
    plain: HashMap<String, tera::Value>,
}

impl Translate {
    fn new(words: Arc<Translations>) -> Translate {
        let plain = words
            .messages()
            .keys()
            .map(|key| {
                (
                    key.clone(),
                    tera::Value::safe_string(&html(&words, key, None, &[])),
                )
            })
            .collect();
        Translate { words, plain }
    }
}

impl tera::Function<tera::TeraResult<tera::Value>> for Translate {
    fn call(&self, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
        let key: &str = kwargs.must_get("key")?;
        let Some(plain) = self.plain.get(key) else {
            return Err(tera::Error::message(format!(
                "t: unknown key `{key}` (the keys are in themes/default/i18n/en.toml)"
            )));
        };
        if kwargs.iter().count() == 1 {
            return Ok(plain.clone());
        }
        let mut count = None;
        let mut args: Vec<(String, String)> = Vec::new();
        for (name, value) in kwargs.iter() {
            let name = name.to_string();
            if name == "key" {
                continue;
            }
            if name == "count" {
                count = value.as_u64();
            }
            let text = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            // Another `t` call's result is already HTML.
            let text = if value.is_safe() {
                text
            } else {
                html_escape(&text)
            };
            args.push((name, text));
        }
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Ok(tera::Value::safe_string(&html(
            &self.words,
            key,
            count,
            &args,
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// The HTML `t` prints for `key`: its text escaped (unless the key ends in
/// `_html`), with `count` and `args` (escaped already) filled in.
fn html(words: &Translations, key: &str, count: Option<u64>, args: &[(&str, &str)]) -> String {
    let template = words.template(key, count);
    let template = if key.ends_with("_html") {
        template.to_string()
    } else {
        escape_text(template)
    };
    fill(&template, count, args)
}

/// Text for HTML, as a template's own text is written: `&`, `<`, `>` and
/// `"` escaped (so a quote cannot end an attribute), apostrophes as they are.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A date as the site's language writes it: "2 December 2026".
pub(crate) fn long_date(words: &Translations, date: Date) -> String {
    words.date(date.year, date.month, date.day)
}

/// "Standard".
pub(crate) fn kind_label(words: &Translations, kind: Kind) -> String {
    words.get(&format!("kind_{}", kind.info().name)).to_string()
}

/// "Standards".
pub(crate) fn kind_plural(words: &Translations, kind: Kind) -> String {
    words
        .get(&format!("kind_{}_plural", kind.info().name))
        .to_string()
}

/// "standard" or "standards", as the word after a count.
pub(crate) fn kind_count(words: &Translations, kind: Kind, n: usize) -> String {
    words.count(&format!("kind_{}_count", kind.info().name), n)
}

/// The title of a kind's section: "Standards"; "Journey" for stages and moments.
pub(crate) fn section_title(words: &Translations, kind: Kind) -> String {
    match kind.info().section {
        "journey" => words.get("section_journey").to_string(),
        _ => kind_plural(words, kind),
    }
}

/// The messages `search.js` and `touchstone.js` show, as JSON for a
/// `<script type="application/json" class="touchstone-words">`: those
/// every page needs (the header's search box, the printed date) in every
/// page, the rest only in the pages that show them, so a page carries a
/// few hundred bytes of them rather than all.
#[derive(serde::Serialize)]
pub(crate) struct ScriptWords {
    every_page: String,
    search: String,
    onboarding: String,
    stories: String,
}

const EVERY_PAGE: [&str; 4] = [
    "search_results",
    "search_no_results",
    "search_unavailable",
    "printed",
];
const SEARCH_PAGE: [&str; 10] = [
    "search_filter",
    "search_all",
    "search_none_html",
    "search_none_among_html",
    "search_count",
    "search_count_capped",
    "search_more",
    "search_offline",
    "search_failed",
    "search_from_file",
];
const ONBOARDING: [&str; 1] = ["progress"];
const STORIES: [&str; 6] = [
    "stories_filter",
    "stories_all",
    "stories_loved",
    "stories_hated",
    "stories_mixed",
    "stories_shown",
];

pub(crate) fn script_words(words: &Translations) -> ScriptWords {
    ScriptWords {
        every_page: script_json(words, &EVERY_PAGE),
        search: script_json(words, &SEARCH_PAGE),
        onboarding: script_json(words, &ONBOARDING),
        stories: script_json(words, &STORIES),
    }
}

/// `keys` as JSON: `{"search_count": {"one": "…", "other": "…"}, …}`, and
/// whether zero takes the form for one, when a plural is among them.
fn script_json(words: &Translations, keys: &[&str]) -> String {
    let mut map = serde_json::Map::new();
    for key in keys {
        let value = match words.messages().get(*key) {
            Some(Message::Plural { one, other }) => {
                map.insert(
                    "plural_zero_is_one".into(),
                    serde_json::Value::from(words.table_language() == "fr"),
                );
                serde_json::json!({ "one": one, "other": other })
            }
            _ => serde_json::Value::from(words.get(key)),
        };
        map.insert(key.to_string(), value);
    }
    // `</` would close the script element early.
    serde_json::Value::Object(map)
        .to_string()
        .replace("</", "<\\/")
}
