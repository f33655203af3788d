//! URL templates from `book.toml`: `[site] edit-url` and `feedback-url`,
//! such as `https://git.example.com/cx/-/edit/main/{path}` or
//! `mailto:cx@example.com?subject=Playbook: {title}`. Placeholders are
//! checked when the configuration is read (an unknown one is an error at
//! its line, with a "did you mean"), and filled with URL-encoded values.

use crate::diagnostics::{Diagnostic, closest};

/// A URL with `{placeholders}`, each known to its setting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UrlTemplate {
    text: String,
}

/// What each setting's placeholders stand for, for the error's hint.
pub(crate) const EDIT_PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "path",
        "the page's source file, relative to the folder of book.toml",
    ),
    (
        "line",
        "the line of that file the page (or health item) starts at",
    ),
];

pub(crate) const FEEDBACK_PLACEHOLDERS: &[(&str, &str)] = &[
    ("title", "the page's title"),
    ("url", "the page's address (absolute when base-url is)"),
    ("path", "the page's source file, when it has one"),
];

impl UrlTemplate {
    /// Checks every `{placeholder}` of `text` against `known`; `offset` is
    /// where the text starts in `book.toml`, so the error points at the
    /// placeholder.
    pub fn parse(
        key: &str,
        text: &str,
        known: &[(&str, &str)],
        at: impl Fn(usize) -> (usize, usize),
    ) -> Result<UrlTemplate, Diagnostic> {
        for (start, name) in placeholders(text) {
            if known.iter().any(|(k, _)| *k == name) {
                continue;
            }
            let (line, column) = at(start);
            let names: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
            let listed: Vec<String> = known
                .iter()
                .map(|(k, what)| format!("{{{k}}} is {what}"))
                .collect();
            let hint = match closest(name, names.iter().copied()) {
                Some(near) => format!("did you mean `{{{near}}}`? {}", listed.join("; ")),
                None => format!("{key} knows {}", listed.join("; ")),
            };
            return Err(Diagnostic::error(
                "config",
                super::CONFIG_FILE,
                format!("`{key}` has an unknown placeholder `{{{name}}}`"),
            )
            .at(line, column)
            .with_hint(hint));
        }
        Ok(UrlTemplate {
            text: text.to_string(),
        })
    }

    /// Whether the template uses `{name}`.
    pub fn uses(&self, name: &str) -> bool {
        placeholders(&self.text).any(|(_, n)| n == name)
    }

    /// The URL with each placeholder replaced by its value, URL-encoded
    /// (a `{path}` keeps its `/`); a placeholder without a value is left
    /// empty. Characters a URL cannot hold in the template's own text (the
    /// space in `subject=Playbook: {title}`) are encoded too.
    pub fn fill(&self, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(self.text.len() + 32);
        let mut rest = self.text.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                break;
            };
            out.push_str(&encode_text(&rest[..open]));
            let name = &rest[open + 1..close];
            let value = values
                .iter()
                .find(|(k, _)| *k == name)
                .map_or("", |(_, v)| v);
            out.push_str(&encode(value, name == "path"));
            rest = &rest[close + 1..];
        }
        out.push_str(&encode_text(rest));
        out
    }
}

/// The `{name}`s of a template, with the byte offset of each `{`.
fn placeholders(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices('{').filter_map(move |(open, _)| {
        let close = text[open..].find('}')? + open;
        Some((open, &text[open + 1..close]))
    })
}

/// Percent-encodes all but the unreserved characters of RFC 3986 (and `/`
/// when `keep_slash`), as `encodeURIComponent` does.
fn encode(value: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Percent-encodes what may not appear in a URL as written (spaces,
/// quotes, non-ASCII), keeping every delimiter and existing `%` escapes.
fn encode_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(byte as char),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@' | b'!'
            | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'%' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str, known: &[(&str, &str)]) -> Result<UrlTemplate, Diagnostic> {
        UrlTemplate::parse("edit-url", text, known, |offset| (3, offset + 1))
    }

    #[test]
    fn values_are_url_encoded_and_paths_keep_their_slashes() {
        let edit = template(
            "https://git.example.com/cx/-/edit/main/{path}#L{line}",
            EDIT_PLACEHOLDERS,
        )
        .unwrap();
        assert_eq!(
            edit.fill(&[("path", "content/roles/café agent.md"), ("line", "4")]),
            "https://git.example.com/cx/-/edit/main/content/roles/caf%C3%A9%20agent.md#L4"
        );
        let mail = template(
            "mailto:cx@example.com?subject=Playbook: {title}&body={url}",
            FEEDBACK_PLACEHOLDERS,
        )
        .unwrap();
        assert_eq!(
            mail.fill(&[("title", "Bad news & first?"), ("url", "/cx/roles/a/")]),
            "mailto:cx@example.com?subject=Playbook:%20Bad%20news%20%26%20first%3F&body=%2Fcx%2Froles%2Fa%2F"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_at_it_with_a_suggestion() {
        let err = template("https://git.example.com/edit/{paht}", EDIT_PLACEHOLDERS).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(30)));
        assert!(err.message.contains("`{paht}`"), "{}", err.message);
        assert!(err.hint.unwrap().contains("did you mean `{path}`?"));
        let err = template("https://x/{title}", EDIT_PLACEHOLDERS).unwrap_err();
        assert!(err.hint.unwrap().contains("{line} is"));
    }
}
