//! mdBook's `{{#include file}}` and `{{#rustdoc_include file}}`, expanded
//! before a body is rendered, as mdBook does: books keep their listings in
//! files and include them, whole, by line range (`:2:4`, `::9`, `:3:`,
//! `:5`) or by anchor (`:here`, between `ANCHOR: here` and
//! `ANCHOR_END: here`). `rustdoc_include` brings the whole file with the
//! lines outside the range hidden (`# `). `\{{#include x}}` shows the
//! directive as written.
//!
//! A path is relative to the including file and must stay inside the
//! content folder: an include that climbs out, or a missing file or
//! anchor, is an error at the directive's line. The expanded text comes
//! with the source line of each of its lines, so diagnostics after an
//! include still point at the author's file lines.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// A body with its includes expanded.
pub(crate) struct Expanded<'a> {
    pub text: Cow<'a, str>,
    /// Where each line of `text` came from; `None` when nothing was
    /// expanded.
    pub lines: Option<Lines>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where the lines of an expanded body came from.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    /// For each line, the line of the body it came from (an included
    /// line: the directive's).
    pub origin: Vec<usize>,
    /// The lines, in order, whose text is not the body line's as written
    /// (an include, or an unescaped `\{{#`, changed it), so a column in
    /// them is not the author's.
    pub rewritten: Vec<usize>,
}

/// Where includes are read from: the content folder, and the including
/// file's path under it.
pub(crate) struct IncludeContext<'a> {
    pub content_dir: &'a Path,
    pub source: &'a str,
    /// The including file, relative to the site root, and its first body line.
    pub file: &'a str,
    pub first_line: usize,
}

/// Whether a body holds anything this module rewrites (it then depends on
/// more than its own file).
pub(crate) fn has_directives(body: &str) -> bool {
    body.contains("{{#")
}

/// The body with every include expanded and every escaped directive
/// unescaped.
pub(crate) fn expand<'a>(body: &'a str, ctx: Option<&IncludeContext>) -> Expanded<'a> {
    let Some(ctx) = ctx.filter(|_| has_directives(body)) else {
        return Expanded {
            text: Cow::Borrowed(body),
            lines: None,
            diagnostics: Vec::new(),
        };
    };
    let mut out = Output::default();
    let mut diagnostics = Vec::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = body[search..].find("{{#") {
        let at = search + found;
        search = at + 3;
        if at > 0 && body.as_bytes()[at - 1] == b'\\' {
            out.copy(&body[copied..at - 1]);
            out.rewrite();
            copied = at;
            continue;
        }
        let Some(directive) = Directive::parse(&body[at..]) else {
            continue;
        };
        out.copy(&body[copied..at]);
        copied = at + directive.len;
        search = copied;
        match directive.expand(ctx) {
            Ok(text) => {
                if holds_include(&text) {
                    let (line, column) = place(body, at);
                    diagnostics.push(
                        Diagnostic::warning(
                            "nested-include",
                            ctx.file,
                            format!(
                                "the include `{}` holds includes of its own, which are shown as written",
                                directive.path
                            ),
                        )
                        .at(ctx.first_line + line, column)
                        .with_hint(
                            "Touchstone expands includes one level deep: include those files \
                             from this page instead",
                        ),
                    );
                }
                out.include(&text)
            }
            Err((message, hint)) => {
                out.copy(&body[at..copied]);
                let (line, column) = place(body, at);
                diagnostics.push(
                    Diagnostic::error("broken-include", ctx.file, message)
                        .at(ctx.first_line + line, column)
                        .with_hint(hint),
                );
            }
        }
    }
    out.copy(&body[copied..]);
    out.end_line();
    Expanded {
        text: Cow::Owned(out.text),
        lines: Some(out.lines),
        diagnostics,
    }
}

/// The body line (from 0) and column (from 1) of byte `at`.
fn place(body: &str, at: usize) -> (usize, usize) {
    let line = body[..at].matches('\n').count();
    let line_start = body[..at].rfind('\n').map_or(0, |nl| nl + 1);
    (line, body[line_start..at].chars().count() + 1)
}

/// Whether included text holds an include directive of its own.
fn holds_include(text: &str) -> bool {
    text.match_indices("{{#")
        .any(|(at, _)| !text[..at].ends_with('\\') && Directive::parse(&text[at..]).is_some())
}

/// Expanded text being written, with where each of its lines came from.
struct Output {
    text: String,
    lines: Lines,
    /// The body line the next copied text starts on.
    line: usize,
    /// Whether the line being written is rewritten.
    rewriting: bool,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            text: String::new(),
            lines: Lines {
                origin: vec![0],
                rewritten: Vec::new(),
            },
            line: 0,
            rewriting: false,
        }
    }
}

impl Output {
    /// Text of the body itself: its lines are its own.
    fn copy(&mut self, text: &str) {
        for _ in text.matches('\n') {
            self.end_line();
            self.line += 1;
            self.lines.origin.push(self.line);
        }
        self.text.push_str(text);
    }

    /// Included text: all its lines are the directive's, and rewritten.
    fn include(&mut self, text: &str) {
        self.rewrite();
        for _ in text.matches('\n') {
            self.end_line();
            self.rewrite();
            self.lines.origin.push(self.line);
        }
        self.text.push_str(text);
    }

    /// The line being written is not the body's as written.
    fn rewrite(&mut self) {
        self.rewriting = true;
    }

    fn end_line(&mut self) {
        if std::mem::take(&mut self.rewriting) {
            self.lines.rewritten.push(self.lines.origin.len() - 1);
        }
    }
}

/// One `{{#include path:range}}` as written.
struct Directive<'a> {
    /// Whether lines outside the range stay, hidden (`rustdoc_include`).
    rustdoc: bool,
    path: &'a str,
    range: Range<'a>,
    /// Its length in the body, braces included.
    len: usize,
}

/// Which lines of the file an include takes.
#[derive(Debug, PartialEq)]
enum Range<'a> {
    All,
    /// From a line (0-based) up to another (exclusive), or to the end.
    Lines(usize, Option<usize>),
    Anchor(&'a str),
}

impl<'a> Directive<'a> {
    /// The include at the start of `text`; `None` for another mdBook
    /// directive (`{{#playground}}`), or none at all.
    fn parse(text: &'a str) -> Option<Directive<'a>> {
        // A directive is one line: an unclosed `{{#` reads no further.
        let line = text.split('\n').next().unwrap_or(text);
        let end = line.find("}}")?;
        let inner = &text[3..end];
        let inner = inner.trim_start();
        let (name, args) = inner.split_once(char::is_whitespace)?;
        let rustdoc = match name {
            "include" => false,
            "rustdoc_include" => true,
            _ => return None,
        };
        let args = args.trim();
        let (path, spec) = args.split_once(':').unwrap_or((args, ""));
        Some(Directive {
            rustdoc,
            path: path.trim(),
            range: Range::parse(spec.trim()),
            len: end + 2,
        })
    }

    /// The text the directive stands for.
    fn expand(&self, ctx: &IncludeContext) -> Result<String, (String, String)> {
        let written = format!("`{}`", self.path);
        let path = inside_content(ctx, self.path).ok_or_else(|| {
            (
                format!("the include {written} reads outside the content folder"),
                "Touchstone reads only files under the content folder: move the file \
                 there (e.g. listings/ into content/listings/) and write its path from \
                 this page"
                    .to_string(),
            )
        })?;
        // A pipe or a device would block the build or never end.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err((
                format!("the include {written} is not a file"),
                "an include names a file of text under the content folder; \
                 folders, pipes and devices are never read"
                    .to_string(),
            ));
        }
        let text = std::fs::read_to_string(&path)
            .map(crate::load::with_line_feeds)
            .map_err(|e| {
                (
                    format!("the include {written} cannot be read: {e}"),
                    "paths are relative to the including file, as in mdBook".to_string(),
                )
            })?;
        let lines: Vec<&str> = text.lines().collect();
        let shown = self.shown(&lines).ok_or_else(|| {
            let Range::Anchor(name) = self.range else {
                unreachable!("only an anchor can be missing")
            };
            (
                format!("{written} has no anchor `{name}`"),
                format!("mark the lines with `ANCHOR: {name}` and `ANCHOR_END: {name}`"),
            )
        })?;
        Ok(shown.join("\n"))
    }

    /// The lines included: for `rustdoc_include`, every line, those outside
    /// the range hidden; `None` when the anchor is missing.
    fn shown(&self, lines: &[&'a str]) -> Option<Vec<Cow<'a, str>>> {
        let (start, end, anchored) = match self.range {
            Range::All => (0, lines.len(), false),
            Range::Lines(start, end) => {
                let end = end.unwrap_or(lines.len()).min(lines.len());
                (start.min(end), end, false)
            }
            Range::Anchor(name) => {
                let start = lines
                    .iter()
                    .position(|l| marker(l, "ANCHOR:") == Some(name))?;
                let end = lines[start..]
                    .iter()
                    .position(|l| marker(l, "ANCHOR_END:") == Some(name))
                    .map_or(lines.len(), |i| start + i);
                (start, end, true)
            }
        };
        let mut shown = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if anchored && is_marker(line) {
                continue;
            }
            if (start..end).contains(&i) {
                shown.push(Cow::Borrowed(*line));
            } else if self.rustdoc {
                shown.push(Cow::Owned(format!("# {line}")));
            }
        }
        Some(shown)
    }
}

impl<'a> Range<'a> {
    /// mdBook's forms: `` (all), `5` (line 5), `2:4`, `3:`, `::9` (written
    /// `:9` after the path's colon), or an anchor's name.
    fn parse(spec: &'a str) -> Range<'a> {
        if spec.is_empty() {
            return Range::All;
        }
        let (first, second) = match spec.split_once(':') {
            Some((first, second)) => (first, Some(second)),
            None => (spec, None),
        };
        let number = |s: &str| s.trim().parse::<usize>().ok();
        match (first, number(first)) {
            (_, Some(n)) => {
                let start = n.saturating_sub(1);
                match second {
                    None => Range::Lines(start, Some(start + 1)),
                    Some(end) => Range::Lines(start, number(end)),
                }
            }
            ("", None) => match second.and_then(number) {
                Some(end) => Range::Lines(0, Some(end)),
                None => Range::All,
            },
            (name, None) => Range::Anchor(name.trim()),
        }
    }
}

/// The anchor name a line marks with `ANCHOR:` (or `ANCHOR_END:`).
fn marker<'l>(line: &'l str, tag: &str) -> Option<&'l str> {
    let at = line.find(tag)?;
    if tag == "ANCHOR:" && line[..at].ends_with('_') {
        return None;
    }
    let rest = line[at + tag.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|name| !name.is_empty())
}

fn is_marker(line: &str) -> bool {
    marker(line, "ANCHOR:").is_some() || marker(line, "ANCHOR_END:").is_some()
}

/// The file an include names, when it lies inside the content folder, both
/// as written (`..` counted) and once symlinks are followed.
fn inside_content(ctx: &IncludeContext, written: &str) -> Option<PathBuf> {
    if written.starts_with('/') || written.contains('\\') || written.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = ctx.source.split('/').collect();
    parts.pop();
    for part in written.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let path = parts
        .iter()
        .fold(ctx.content_dir.to_path_buf(), |path, part| path.join(part));
    match (path.canonicalize(), ctx.content_dir.canonicalize()) {
        (Ok(real), Ok(root)) if !real.starts_with(&root) => None,
        _ => Some(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_mdbook_reads_them() {
        assert_eq!(Range::parse(""), Range::All);
        assert_eq!(Range::parse("5"), Range::Lines(4, Some(5)));
        assert_eq!(Range::parse("2:4"), Range::Lines(1, Some(4)));
        assert_eq!(Range::parse("3:"), Range::Lines(2, None));
        assert_eq!(Range::parse(":9"), Range::Lines(0, Some(9)));
        assert_eq!(Range::parse("here"), Range::Anchor("here"));
    }

    #[test]
    fn anchor_markers_are_found_by_name() {
        assert_eq!(marker("    // ANCHOR: here", "ANCHOR:"), Some("here"));
        assert_eq!(marker("// ANCHOR_END: here", "ANCHOR:"), None);
        assert_eq!(marker("// ANCHOR_END: here", "ANCHOR_END:"), Some("here"));
        // A name runs over letters, digits, `_` and `-`; another tag that
        // ends in `_ANCHOR:` is not one.
        assert_eq!(marker("# ANCHOR: a-b_c2.rs", "ANCHOR:"), Some("a-b_c2"));
        assert_eq!(marker("// MY_ANCHOR: here", "ANCHOR:"), None);
        assert_eq!(marker("// ANCHOR: ", "ANCHOR:"), None);
    }

    #[test]
    fn an_include_path_that_is_absolute_or_holds_a_backslash_or_a_colon_is_outside() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = IncludeContext {
            content_dir: dir.path(),
            source: "guides/page.md",
            file: "content/guides/page.md",
            first_line: 1,
        };
        for written in ["/etc/passwd", "a\\b.rs", "c:x.rs", "../../x.rs"] {
            assert_eq!(inside_content(&ctx, written), None, "{written}");
        }
        assert_eq!(
            inside_content(&ctx, "../listings/a.rs"),
            Some(dir.path().join("listings").join("a.rs"))
        );
    }

    #[test]
    fn included_text_holds_an_include_only_if_one_is_written_unescaped() {
        assert!(holds_include("a\n{{#include b.md}}\n"));
        assert!(holds_include("{{#rustdoc_include b.rs:2}}"));
        assert!(!holds_include("a \\{{#include b.md}}"));
        assert!(!holds_include("{{#playground b.rs}} {{#title x}}"));
    }

    #[test]
    fn included_lines_map_to_the_directive_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.rs"), "one\ntwo\nthree\n").unwrap();
        let ctx = IncludeContext {
            content_dir: dir.path(),
            source: "page.md",
            file: "content/page.md",
            first_line: 1,
        };
        // A directive may open the body.
        let first = expand("{{#include a.rs:2}}\n", Some(&ctx));
        assert_eq!(first.text, "two\n");
        let body = "x\n```\n{{#include a.rs}}\n```\ny\n";
        let expanded = expand(body, Some(&ctx));
        assert_eq!(expanded.text, "x\n```\none\ntwo\nthree\n```\ny\n");
        let lines = expanded.lines.unwrap();
        assert_eq!(lines.origin, [0, 1, 2, 2, 2, 3, 4, 5]);
        // The included lines; the line after them is the body's own.
        assert_eq!(lines.rewritten, [2, 3, 4]);
    }
}
