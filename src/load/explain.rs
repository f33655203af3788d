//! YAML errors in an author's terms: which field is wrong, what it takes, a
//! "did you mean" where one fits, and never a library's internals.

use super::fields::{Place, Unit};
use crate::diagnostics::{Diagnostic, closest};

/// A diagnostic for an error of the YAML parser, located in the file.
/// `yaml` is the text that was read; `unit` the field (or list entry) the
/// error is in, when known.
pub(super) fn yaml_error(
    err: &serde_saphyr::Error,
    place: Place,
    yaml: &str,
    unit: Option<&Unit>,
) -> Diagnostic {
    let raw = strip_location(&err.without_snippet().to_string());
    let location = err.location().filter(|l| l.line() > 0);
    let value = location.and_then(|l| {
        let span = l.span();
        let start = span.byte_offset()? as usize;
        yaml.get(start..start + span.byte_len()? as usize)
    });
    let key = location
        .and_then(|l| yaml.split('\n').nth(l.line() as usize - 1))
        .and_then(key_on_line)
        .or(unit.map(|u| u.field));
    let problem = describe(&raw, key, unit, value.map(str::trim));
    let diagnostic =
        Diagnostic::error(problem.code, place.file, problem.message).with_hint(problem.hint);
    match location {
        Some(l) => diagnostic.at(place.line(l.line() as usize), l.column() as usize),
        // The whole text is wrong (a sentence where fields belong): its
        // first written line.
        None => {
            let first = yaml.lines().position(|l| !l.trim().is_empty());
            diagnostic.at_line(place.line(first.map_or(1, |i| i + 1)))
        }
    }
}

/// A YAML list file whose text is not a list.
pub(super) fn not_a_list(file: &str) -> Diagnostic {
    Diagnostic::error("invalid-yaml", file, "this file must be a list of entries")
        .at_line(1)
        .with_hint(
            "start each entry with `- id: ...` in the first column, its other fields indented below it",
        )
}

struct Problem {
    code: &'static str,
    message: String,
    hint: String,
}

fn problem(code: &'static str, message: String, hint: impl Into<String>) -> Problem {
    Problem {
        code,
        message,
        hint: hint.into(),
    }
}

fn describe(raw: &str, key: Option<&str>, unit: Option<&Unit>, value: Option<&str>) -> Problem {
    let field = key.map_or("this field".to_string(), |k| format!("`{k}`"));
    let written = value.unwrap_or_default();
    if raw.contains("budget breached: Depth") || raw.contains("recursion limit exceeded") {
        return problem(
            "invalid-yaml",
            "the YAML is nested too deeply".into(),
            "lists and maps may hold each other up to 64 levels deep; a long run of `[` or `{` \
             left open does this too",
        );
    }
    let expansion = ["Aliases", "Anchor", "Nodes", "MergeKeys", "Expansion"];
    if raw.contains("budget breached") && !expansion.iter().any(|what| raw.contains(what)) {
        return problem(
            "invalid-yaml",
            "the YAML is too large to read".into(),
            "split it into several files",
        );
    }
    if raw.contains("budget breached") {
        return problem(
            "invalid-yaml",
            "the YAML expands too far (aliases)".into(),
            "each alias (`*name`) repeats all its anchor (`&name`) holds, and aliases of aliases \
             multiply it; write the values out instead",
        );
    }
    if raw.contains("recursive reference") {
        return problem(
            "invalid-yaml",
            "an alias (`*name`) points into its own anchor (`&name`)".into(),
            "an alias can only repeat a value that is already complete",
        );
    }
    if let Some(rest) = raw.strip_prefix("unknown variant `") {
        let (variant, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected_values(rest);
        let takes = format!("{field} takes {}", or_list(&expected));
        let hint = match closest(variant, expected.iter().map(String::as_str)) {
            Some(guess) => format!("did you mean `{guess}`? {takes}"),
            None => takes,
        };
        return problem(
            "invalid-value",
            format!("`{variant}` is not a value {field} takes"),
            hint,
        );
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or(rest);
        let message = match unit.filter(|u| u.entry) {
            Some(u) => format!("this entry of `{}` has no `{missing}`", u.field),
            None => format!("`{missing}` is missing"),
        };
        return problem(
            "missing-field",
            message,
            format!("add `{missing}:` to it; the entry is left out until then"),
        );
    }
    if let Some(rest) = raw.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return problem(
            "invalid-yaml",
            format!("`{key}` is written twice"),
            "keep one of them: a field is written once",
        );
    }
    if is_number_error(raw) {
        let digits = written.trim_start_matches(['-', '+']);
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return problem(
                "invalid-value",
                format!("{field} is too large: `{written}`"),
                format!(
                    "{field} takes a whole number between {} and {}",
                    i64::MIN,
                    i64::MAX
                ),
            );
        }
        return problem(
            "invalid-value",
            format!("{field} must be a whole number, not `{written}`"),
            format!("{field} takes a whole number, e.g. `10`"),
        );
    }
    if raw.contains("bool") {
        return problem(
            "invalid-value",
            format!("{field} must be `true` or `false`, not `{written}`"),
            "YAML reads only `true` and `false` as yes and no",
        );
    }
    if raw.starts_with("expected sequence") {
        return problem(
            "invalid-value",
            format!("{field} must be a list"),
            "write it as `[first, second]`, or one `- item` per line below it",
        );
    }
    if raw.starts_with("cannot deserialize null") {
        return problem(
            "invalid-value",
            format!("{field} holds an empty value (`~`, `null` or nothing)"),
            "write the value, or leave the field (or the list item) out",
        );
    }
    if raw.starts_with("expected string") || raw.contains("expected a string") {
        return problem(
            "invalid-value",
            format!("{field} must be text"),
            "put the text in quotes when it starts with `[`, `{`, `*`, `&` or `!`, or holds `: `",
        );
    }
    if raw.starts_with("expected mapping") || raw.contains("expected fields") {
        return match key {
            Some(_) => problem(
                "invalid-value",
                format!("the entries of {field} must be maps of fields"),
                "write each entry as `- name: value` with its other fields indented below it",
            ),
            None => problem(
                "invalid-yaml",
                "expected fields written as `name: value` lines".into(),
                "front matter and list entries are maps: one `name: value` per line",
            ),
        };
    }
    problem(
        "invalid-yaml",
        raw.to_string(),
        "check the indentation and that text with a colon or # is in quotes",
    )
}

/// serde-saphyr appends " at line L column C" (of the YAML alone); the
/// diagnostic carries file positions instead.
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

fn is_number_error(raw: &str) -> bool {
    ["invalid i", "invalid u", "invalid f"]
        .iter()
        .any(|p| raw.starts_with(p) && raw.len() <= p.len() + 4)
}

/// The field named at the start of a YAML line: `  - standard: x` -> `standard`.
fn key_on_line(line: &str) -> Option<&str> {
    let line = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = line.split_once(':')?;
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    valid.then_some(key)
}

/// The values listed after "expected one of" in serde's message.
fn expected_values(rest: &str) -> Vec<String> {
    let list = rest.split_once("expected").map_or("", |(_, list)| list);
    list.trim_start_matches(" one of")
        .split([',', ' '])
        .map(|w| w.trim_matches(|c: char| c == '`' || c.is_whitespace()))
        .filter(|w| !w.is_empty() && *w != "or")
        .map(str::to_string)
        .collect()
}

/// `a`, `b` or `c`.
fn or_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_internals_become_the_authors_terms() {
        let budget = describe("budget breached: Nodes { nodes: 250001 }", None, None, None);
        assert_eq!(budget.message, "the YAML expands too far (aliases)");
        for deep in [
            "budget breached: Depth { depth: 65 }",
            "recursion limit exceeded",
        ] {
            let described = describe(deep, None, None, None);
            assert_eq!(described.message, "the YAML is nested too deeply", "{deep}");
        }
        let events = describe(
            "budget breached: Events { events: 1000001 }",
            None,
            None,
            None,
        );
        assert_eq!(events.message, "the YAML is too large to read");
        let variant = describe(
            "unknown variant `perfomance`, expected one of must-be, performance, delighter",
            Some("kano"),
            None,
            Some("perfomance"),
        );
        assert!(
            variant.hint.starts_with("did you mean `performance`?"),
            "{}",
            variant.hint
        );
        let large = describe(
            "invalid i64",
            Some("weight"),
            None,
            Some("99999999999999999999"),
        );
        assert_eq!(
            large.message,
            "`weight` is too large: `99999999999999999999`"
        );
        assert!(large.hint.contains("9223372036854775807"), "{}", large.hint);
        let word = describe("invalid i64", Some("order"), None, Some("first"));
        assert_eq!(word.message, "`order` must be a whole number, not `first`");
        let null = describe(
            "cannot deserialize null into string; use Option<String>",
            Some("measures"),
            None,
            Some("[~]"),
        );
        assert_eq!(
            null.message,
            "`measures` holds an empty value (`~`, `null` or nothing)"
        );
    }

    #[test]
    fn keys_are_read_from_their_line() {
        assert_eq!(key_on_line("  - standard: x"), Some("standard"));
        assert_eq!(key_on_line("weight: 3"), Some("weight"));
        assert_eq!(key_on_line("  - just text"), None);
    }
}
