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
}

pub(crate) fn split(text: &str) -> Split<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let no_front_matter = Split {
        yaml: None,
        yaml_line: 1,
        body: text,
        body_line: 1,
        unterminated: false,
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
                unterminated: false,
            };
        }
        offset += line.len();
    }
    Split {
        unterminated: true,
        ..no_front_matter
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
        assert!(!s.unterminated);
        let unterminated = split("---\ntitle: A\n");
        assert_eq!(unterminated.yaml, None);
        assert!(unterminated.unterminated);
    }
}
