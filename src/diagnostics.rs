//! One `Diagnostic` type for every problem Touchstone reports, and its renderers:
//! rustc-style text for people, JSON for machines, annotations for GitHub Actions.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the content, located by file (relative to the site root), line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as far as it is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// Sorts diagnostics by file and position so every report reads in the same order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Output formats of `touchstone check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

pub fn render(diagnostics: &[Diagnostic], format: Format, root: &Path, color: bool) -> String {
    match format {
        Format::Human => render_human(diagnostics, root, color),
        Format::Json => render_json(diagnostics),
        Format::Github => render_github(diagnostics),
    }
}

/// Compiler-style text: `error: message`, `--> file:line:col`, the source line, the hint.
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let mut sources: std::collections::HashMap<&str, Option<Source>> =
        std::collections::HashMap::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let source_line = d.line.and_then(|line| {
            let source = sources
                .entry(d.file.as_str())
                .or_insert_with(|| read_source(&root.join(&d.file)).map(Source::new))
                .as_ref()?;
            // A long line (a minified table, a paragraph on one line) is
            // not quoted: quoting it for each of its problems would print
            // it whole each time.
            source.line(line).filter(|text| text.len() <= LONG_LINE)
        });
        let message = printable(&d.message);
        let title = level.primary_title(message.as_ref()).id(d.code);
        let file = printable(&d.file);
        let mut group = match (source_line, d.line, d.column) {
            // The snippet names the place from what it underlines, so a
            // problem without a column is named by its line alone.
            (Some(text), Some(line), Some(column)) => {
                let span = column_span(text, column);
                Group::with_title(title).element(
                    Snippet::source(text)
                        .line_start(line)
                        .path(file.as_ref())
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            _ => {
                let mut origin = Origin::path(file.as_ref());
                if let Some(line) = d.line {
                    origin = origin.line(line);
                }
                if let Some(column) = d.column {
                    origin = origin.char_column(column);
                }
                Group::with_title(title).element(origin)
            }
        };
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out.push_str(&summary(diagnostics));
    out
}

/// A file name or message as one line of text: a newline or other control
/// character in a name (`a\nb.md`) or in a link a message quotes (`&#10;`)
/// is spelled out rather than breaking the layout.
fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// A diagnostic's file, to quote its lines: read once, however many
/// diagnostics it has.
struct Source {
    text: String,
    line_starts: Vec<usize>,
}

impl Source {
    fn new(text: String) -> Source {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|n| n + 1))
            .collect();
        Source { text, line_starts }
    }

    /// Line `line` (from 1), without its line ending.
    fn line(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        // Its end from the table too: a long line is not read again for
        // each of its problems.
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        (start < self.text.len()).then(|| text.strip_suffix('\r').unwrap_or(text))
    }
}

/// The longest line quoted under a diagnostic, in bytes.
const LONG_LINE: usize = 320;

/// The text of a diagnostic's file, to quote its line: a regular file only
/// (a pipe named like content would block the read forever).
fn read_source(path: &Path) -> Option<String> {
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
    regular
        .then(|| std::fs::read_to_string(path).ok())
        .flatten()
}

/// The first `shown` diagnostics as [`render_human`] writes them, then one
/// line counting the rest: a terminal scrolled past by thousands of errors
/// helps nobody, and rendering them all takes seconds.
pub fn render_human_first(
    diagnostics: &[Diagnostic],
    shown: usize,
    root: &Path,
    color: bool,
) -> String {
    if diagnostics.len() <= shown {
        return render_human(diagnostics, root, color);
    }
    let text = render_human(&diagnostics[..shown], root, color);
    let without_summary = text.rsplit_once("\n\n").map_or(text.as_str(), |(d, _)| d);
    format!(
        "{without_summary}\n\n... and {} more: `touchstone check` lists them all\n{}",
        diagnostics.len() - shown,
        summary(diagnostics)
    )
}

/// The byte range to underline: from the column to the end of the word there.
fn column_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let len = line[start..]
        .find(|c: char| c.is_whitespace() || c == ',' || c == ']')
        .unwrap_or(line.len() - start)
        .max(1);
    start..(start + len).min(line.len())
}

pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = count_errors(diagnostics);
    let warnings = diagnostics.len() - errors;
    format!(
        "{errors} error{}, {warnings} warning{}\n",
        plural(errors),
        plural(warnings)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One JSON array of objects with exactly the documented fields.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Json<'a> {
        severity: Severity,
        code: &'a str,
        file: &'a str,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        hint: Option<&'a str>,
    }
    let rows: Vec<Json> = diagnostics
        .iter()
        .map(|d| Json {
            severity: d.severity,
            code: d.code,
            file: &d.file,
            line: d.line,
            column: d.column,
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("diagnostics serialise") + "\n"
}

/// GitHub Actions workflow commands, so problems show on the pull request's lines.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // A failure of no file (a missing folder, a usage error) is an annotation of the run.
        let mut props = String::new();
        if !d.file.is_empty() {
            props.push_str(&format!("file={},", escape_property(&d.file)));
        }
        if let Some(line) = d.line {
            props.push_str(&format!("line={line},"));
        }
        if let Some(column) = d.column {
            props.push_str(&format!("col={column},"));
        }
        props.push_str(&format!("title={}", escape_property(d.code)));
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        out.push_str(&format!("::{kind} {props}::{}\n", escape_data(&message)));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// "did you mean" for a misspelt name among the known ones.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\nré b\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.find('b').unwrap()), (2, 4));
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        assert_eq!(closest("onws", ["owns", "supports"]), Some("owns"));
        assert_eq!(closest("zzz", ["owns", "supports"]), None);
    }

    #[test]
    fn github_annotations_escape_newlines_and_name_the_line() {
        let d = Diagnostic::error("broken-link", "content/a.md", "no page `x`")
            .at(3, 5)
            .with_hint("check the id");
        assert_eq!(
            render_github(&[d]),
            "::error file=content/a.md,line=3,col=5,title=broken-link::no page `x`%0Ahint: check the id\n"
        );
    }

    #[test]
    fn human_output_shows_the_source_line_and_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\nowns: [greet]\n---\n").unwrap();
        let d = Diagnostic::error("unknown-reference", "a.md", "no moment `greet`")
            .at(2, 8)
            .with_hint("did you mean `greeting`?");
        let text = render_human(&[d], dir.path(), false);
        assert!(
            text.starts_with("error[unknown-reference]: no moment `greet`"),
            "{text}"
        );
        assert!(text.contains("--> a.md:2:8"), "{text}");
        assert!(text.contains("2 | owns: [greet]"), "{text}");
        assert!(text.contains("help: did you mean `greeting`?"), "{text}");
        assert!(text.ends_with("1 error, 0 warnings\n"), "{text}");
    }

    #[test]
    fn a_file_name_with_a_newline_is_shown_on_one_line() {
        let d = Diagnostic::error("output-clash", "content/a\nb.md", "lands twice").at_line(1);
        let text = render_human(&[d], Path::new("/nonexistent"), false);
        assert!(text.contains("--> content/a\\nb.md:1"), "{text}");
        assert_eq!(text.lines().count(), 4, "{text}");
    }

    #[test]
    fn a_long_line_is_named_by_its_place_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let line = format!(
            "{} [bad](nowhere.md) {}",
            "é".repeat(5000),
            "y".repeat(5000)
        );
        std::fs::write(dir.path().join("a.md"), format!("# A\r\n{line}\r\n")).unwrap();
        let d = Diagnostic::error("broken-link", "a.md", "gone").at(2, 5002);
        let text = render_human(&[d], dir.path(), false);
        assert!(text.contains("--> a.md:2:5002"), "{text}");
        assert!(text.len() < 300, "{text}");
    }

    #[test]
    fn a_build_shows_its_first_problems_and_counts_the_rest() {
        let errors: Vec<Diagnostic> = (1..=3)
            .map(|n| Diagnostic::error("broken-link", format!("p{n}.md"), format!("gone {n}")))
            .collect();
        let root = Path::new("/nonexistent");
        let first = render_human_first(&errors, 2, root, false);
        assert!(
            first.contains("gone 1") && first.contains("gone 2"),
            "{first}"
        );
        assert!(!first.contains("gone 3"), "{first}");
        assert!(
            first.ends_with(
                "... and 1 more: `touchstone check` lists them all\n3 errors, 0 warnings\n"
            ),
            "{first}"
        );
        assert_eq!(
            render_human_first(&errors, 3, root, false),
            render_human(&errors, root, false)
        );
    }

    #[test]
    fn a_line_past_the_end_of_its_file_is_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
        let d = Diagnostic::error("broken-link", "a.md", "gone").at(2, 1);
        let text = render_human(&[d], dir.path(), false);
        assert!(text.contains("--> a.md:2:1"), "{text}");
        assert!(!text.contains("2 |"), "{text}");
    }

    #[test]
    fn a_problem_without_a_column_is_named_by_its_line_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\r\n  see [x](gone.md)\r\n").unwrap();
        let d = Diagnostic::error("broken-link", "a.md", "gone").at_line(2);
        let text = render_human(&[d], dir.path(), false);
        assert!(text.contains("--> a.md:2\n"), "{text}");
    }

    #[test]
    fn a_message_quoting_a_newline_is_shown_on_one_line() {
        let d = Diagnostic::error(
            "broken-link",
            "content/a.md",
            "`x\ny.md` links to content/x\ny.md, which does not exist",
        );
        let text = render_human(&[d], Path::new("/nonexistent"), false);
        assert!(
            text.starts_with("error[broken-link]: `x\\ny.md` links to content/x\\ny.md,"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 4, "{text}");
    }
}
