//! Splits a Markdown file into YAML front matter and body, and parses YAML with
//! errors located at *file* line numbers.

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, closest};

/// A Markdown file cut in two. Lines are 1-based file lines.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the `---` lines, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// The file line of the YAML's first line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The file line of the body's first line.
    pub body_line: usize,
}

pub(crate) fn split(text: &str) -> Split<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let no_front_matter = Split {
        yaml: None,
        yaml_line: 1,
        body: text,
        body_line: 1,
    };
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return no_front_matter;
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Split {
                yaml: Some(&rest[..offset]),
                yaml_line: 2,
                body: &rest[offset + line.len()..],
                body_line: index + 3,
            };
        }
        offset += line.len();
    }
    no_front_matter
}

/// Parses YAML whose first line is `first_line` of `file`.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    yaml: &str,
    file: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(yaml, options)
        .map_err(|err| yaml_diagnostic(&err, file, first_line))
}

fn yaml_diagnostic(err: &serde_saphyr::Error, file: &str, first_line: usize) -> Diagnostic {
    let message = strip_location(&err.without_snippet().to_string());
    let (code, hint) = match unknown_field(&message) {
        Some((field, expected)) => ("unknown-field", unknown_field_hint(&field, &expected)),
        None => (
            "invalid-yaml",
            "check the indentation and that text with a colon or # is in quotes".to_string(),
        ),
    };
    let mut diagnostic = Diagnostic::error(code, file, message).with_hint(hint);
    if let Some(location) = err.location().filter(|l| l.line() > 0) {
        diagnostic = diagnostic.at(
            location.line() as usize + first_line - 1,
            location.column() as usize,
        );
    }
    diagnostic
}

/// serde-saphyr appends " at line L column C" (of the YAML alone); the
/// diagnostic carries file positions instead.
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// Reads serde's "unknown field `x`, expected one of a, b" message.
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let list = rest.split_once("expected").map_or("", |(_, list)| list);
    let list = list
        .trim_start_matches(" one of")
        .trim_start_matches(" a field");
    let expected = list
        .split([',', ' '])
        .map(|w| w.trim_matches(|c: char| c == '`' || c.is_whitespace()))
        .filter(|w| !w.is_empty() && *w != "or")
        .map(str::to_string)
        .collect();
    Some((field.to_string(), expected))
}

fn unknown_field_hint(field: &str, expected: &[String]) -> String {
    match closest(field, expected.iter().map(String::as_str)) {
        Some(guess) => format!("did you mean `{guess}`? (free-form data belongs under `extra:`)"),
        None => format!(
            "known fields here are {}; free-form data belongs under `extra:`",
            expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_reports_file_lines_of_yaml_and_body() {
        let s = split("---\ntitle: A\nteam: B\n---\n# Body\n");
        assert_eq!(s.yaml, Some("title: A\nteam: B\n"));
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let s = split("# Just Markdown\n");
        assert_eq!(s.yaml, None);
        assert_eq!(s.body_line, 1);
        let unterminated = split("---\ntitle: A\n");
        assert_eq!(unterminated.yaml, None);
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        owns: Option<Vec<String>>,
    }

    #[test]
    fn unknown_fields_name_the_file_line_and_a_guess() {
        let d = parse_yaml::<Fm>("title: A\nonws: [x]\n", "content/roles/a.md", 2).unwrap_err();
        assert_eq!(d.code, "unknown-field");
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("onws"), "{}", d.message);
        assert!(
            d.hint.as_deref().unwrap().contains("did you mean `owns`"),
            "{d:?}"
        );
    }

    #[test]
    fn yaml_syntax_errors_are_located() {
        let d = parse_yaml::<Fm>("title: [A\n", "a.md", 2).unwrap_err();
        assert_eq!(d.code, "invalid-yaml");
        assert!(d.line.is_some());
    }
}
