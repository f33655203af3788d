//! Splits a Markdown file into YAML front matter and body, keeping the file
//! line where each starts.

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
    /// The file opens `---` and never closes it: an error, never a body.
    pub unterminated: bool,
    /// The line of a `---` block below blank lines that reads like front
    /// matter (`key: value` after it): body text, which the author may
    /// not have meant.
    pub below_blank_lines: Option<usize>,
    /// The file opens with TOML front matter between `+++` lines (Hugo's,
    /// Zola's), which is not read: its lines are left out of the body.
    pub toml: bool,
}

pub(crate) fn split(text: &str) -> Split<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let no_front_matter = Split {
        yaml: None,
        yaml_line: 1,
        body: text,
        body_line: 1,
        unterminated: false,
        below_blank_lines: None,
        toml: false,
    };
    let first = text.split_inclusive('\n').next().unwrap_or_default();
    if first.trim_end() == "+++"
        && let Some(close) = text[first.len()..].find("\n+++")
    {
        let after = first.len() + close + 4;
        let after = text[after..]
            .find('\n')
            .map_or(text.len(), |n| after + n + 1);
        return Split {
            body: &text[after..],
            body_line: text[..after].matches('\n').count() + 1,
            toml: true,
            ..no_front_matter
        };
    }
    if !opens_front_matter(first) {
        return Split {
            below_blank_lines: front_matter_below_blank_lines(text),
            ..no_front_matter
        };
    }
    let rest = &text[first.len()..];
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Split {
                yaml: Some(&rest[..offset]),
                yaml_line: 2,
                body: &rest[offset + line.len()..],
                body_line: index + 3,
                unterminated: false,
                below_blank_lines: None,
                toml: false,
            };
        }
        offset += line.len();
    }
    Split {
        unterminated: true,
        ..no_front_matter
    }
}

/// Whether a first line opens front matter: `---`, with spaces or a YAML
/// comment after it allowed (as Jekyll and YAML allow).
fn opens_front_matter(first: &str) -> bool {
    let Some(rest) = first.trim_end().strip_prefix("---") else {
        return false;
    };
    rest.is_empty() || (rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#'))
}

/// The line of a `---` that opens what reads as front matter after blank
/// lines at the top of `text`: a blank line above `---` makes it a rule,
/// and the YAML below it a heading. It reads as front matter when a
/// `name: value` line follows it, and every line up to the next `---` is
/// one, a list item, indented, a comment or blank.
fn front_matter_below_blank_lines(text: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate();
    let (index, opener) = lines.find(|(_, line)| !line.trim().is_empty())?;
    if index == 0 || !opens_front_matter(opener) {
        return None;
    }
    let block: Vec<&str> = lines
        .map(|(_, line)| line)
        .take_while(|line| line.trim_end() != "---")
        .collect();
    let closed = text.lines().nth(index + 1 + block.len()).is_some();
    let yaml_like = |line: &str| {
        line.trim().is_empty()
            || line.starts_with([' ', '\t', '#'])
            || line.starts_with("- ")
            || is_field(line)
    };
    let reads_as_yaml = block.first().is_some_and(|line| is_field(line))
        && block.iter().all(|line| yaml_like(line));
    (closed && reads_as_yaml).then_some(index + 1)
}

/// A `name: value` (or `name:`) line, as front matter writes its fields.
fn is_field(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, value)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && (value.is_empty() || value.starts_with([' ', '\t']))
    })
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
    fn an_opening_line_with_spaces_or_a_comment_after_it_opens_front_matter() {
        for text in [
            "--- \ntitle: A\n---\nx\n",
            "--- # fields\ntitle: A\n---\nx\n",
        ] {
            let s = split(text);
            assert_eq!(
                (s.yaml, s.body, s.body_line),
                (Some("title: A\n"), "x\n", 4)
            );
        }
        assert_eq!(split("---# x\ntitle: A\n---\n").yaml, None);
    }

    #[test]
    fn toml_front_matter_is_set_apart_from_the_body() {
        let s = split("+++\ntitle = \"A\"\ndraft = true\n+++  \nBody\n");
        assert_eq!(
            (s.toml, s.yaml, s.body, s.body_line),
            (true, None, "Body\n", 5)
        );
        assert!(!split("+++\nno end\n").toml);
    }

    #[test]
    fn front_matter_below_blank_lines_is_body_named_by_its_line() {
        let s = split("\n\n---\ntitle: A\ndraft: true\n---\nx\n");
        assert_eq!((s.yaml, s.below_blank_lines), (None, Some(3)));
        // Fields of every form: lists, indented values, comments.
        let fields = "\n---\nreview_by: 2026-01-01\nx-y: 1\ntags:\n  - a\n- b\n# note\n\n---\n";
        assert_eq!(split(fields).below_blank_lines, Some(2));
        // A rule over prose, or over nothing closed, is what it says.
        for text in [
            "\n---\nA line: of prose.\n",
            "\n---\n\nSome text\n---\n",
            "---x\n",
            "\n---\nNote: this is prose.\n\nMore text\n\nSection\n---\n",
            "\n---\nhttps://example.com is our site\n---\n",
            "\nhello\ntitle: A\n---\n",
            "\n---\ntitle: A\nmore: b\n",
            "\n---\ntitle: A\nA sentence.\n---\n",
        ] {
            assert_eq!(split(text).below_blank_lines, None, "{text:?}");
        }
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let s = split("# Just Markdown\n");
        assert_eq!(s.yaml, None);
        assert_eq!(s.body_line, 1);
        assert!(!s.unterminated);
        let unterminated = split("---\ntitle: A\n");
        assert_eq!(unterminated.yaml, None);
        assert!(unterminated.unterminated);
    }
}
