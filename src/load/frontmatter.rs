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
    };
    // `---` alone on line 1, spaces after it allowed (as Jekyll allows).
    let first = text.split_inclusive('\n').next().unwrap_or_default();
    if first.trim_end() != "---" {
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
            };
        }
        offset += line.len();
    }
    Split {
        unterminated: true,
        ..no_front_matter
    }
}

/// The line of a `---` that opens what reads as front matter after blank
/// lines at the top of `text`: a blank line above `---` makes it a rule,
/// and the YAML below it a heading.
fn front_matter_below_blank_lines(text: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate();
    let (index, opener) = lines.find(|(_, line)| !line.trim().is_empty())?;
    let (_, key) = lines.next()?;
    let reads_as_yaml = key.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    });
    let closed = text
        .lines()
        .skip(index + 1)
        .any(|line| line.trim_end() == "---");
    (index > 0 && opener.trim_end() == "---" && reads_as_yaml && closed).then_some(index + 1)
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
    fn an_opening_line_with_spaces_after_it_opens_front_matter() {
        let s = split("--- \ntitle: A\n---\nx\n");
        assert_eq!(
            (s.yaml, s.body, s.body_line),
            (Some("title: A\n"), "x\n", 4)
        );
    }

    #[test]
    fn front_matter_below_blank_lines_is_body_named_by_its_line() {
        let s = split("\n\n---\ntitle: A\ndraft: true\n---\nx\n");
        assert_eq!((s.yaml, s.below_blank_lines), (None, Some(3)));
        // A rule over prose, or over nothing closed, is what it says.
        for text in [
            "\n---\nA line: of prose.\n",
            "\n---\n\nSome text\n---\n",
            "---x\n",
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
