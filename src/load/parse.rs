//! Parsing one file: its role from its path, then front matter and body
//! (a Markdown entity or page) or a YAML list of entities, into the raw
//! front-matter types. Every problem becomes a diagnostic.

use std::path::PathBuf;

use serde_saphyr::Spanned;

use super::classify::{FileRole, classify};
use super::fields::{Fields, Place, Unknown, parse_fields, parse_list};
use super::raw::*;
use super::{Loaded, Parsed, RawKind, Settings, WithFrontMatter, frontmatter, with_front_matter};
use crate::config::ForeignFrontMatter;
use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Kind, Slug, UnsafeId};

/// What one file gave: its content, its problems, and what the memo and
/// resolve need to know about it.
#[derive(Debug, Clone)]
pub(super) struct FileResult {
    pub parsed: Parsed,
    pub problems: Vec<Diagnostic>,
    /// A Markdown file's frame fingerprint, when it parsed without a problem.
    pub frame: Option<u64>,
    /// Ids of entries that could not be read at all, as written: what refers
    /// to them is not reported too (their own error is the cause).
    pub unavailable: Vec<(Kind, String)>,
}

impl FileResult {
    fn of(parsed: Parsed) -> FileResult {
        FileResult {
            parsed,
            problems: Vec::new(),
            frame: None,
            unavailable: Vec::new(),
        }
    }

    fn problem(problem: Diagnostic) -> FileResult {
        FileResult {
            problems: vec![problem],
            ..FileResult::of(Parsed::Nothing)
        }
    }
}

/// An asset keeps its name in the output, where a backslash is a folder
/// separator to Windows and to many web servers: the file would land
/// somewhere else, so it is an error rather than a guess.
fn backslash_in_asset(file: &str) -> Diagnostic {
    Diagnostic::error(
        "unsafe-name",
        file,
        "this file's path holds a backslash (`\\`), which web servers and Windows read as a folder separator",
    )
    .with_hint("rename it (and its folders) without a backslash, e.g. with `-`")
}

/// A file copied as it is that would be content if its extension were in
/// lower case (`README.MD`, `roles.YAML`): code hosts show such a file as
/// Markdown, so an author expects a page, and gets a download.
fn content_in_other_case(path: &str, file: &str, source: &std::path::Path) -> Option<Diagnostic> {
    let (stem, ext) = path.rsplit_once('.')?;
    let lower = ext.to_ascii_lowercase();
    let role = classify(&format!("{stem}.{lower}"));
    if lower == ext || matches!(role, FileRole::Asset | FileRole::Ignored) {
        return None;
    }
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem_name = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let lower_name = format!("{stem_name}.{lower}");
    // By the names the folder lists: a file system that ignores case
    // would find this very file under the lower-case name.
    let beside = source
        .parent()
        .and_then(|folder| std::fs::read_dir(folder).ok());
    let read_beside = beside.is_some_and(|mut entries| {
        entries.any(|e| e.is_ok_and(|e| e.file_name() == lower_name.as_str()))
    });
    let hint = if read_beside {
        format!("`{lower_name}` beside it is the one read; delete this copy if it is an old one")
    } else if role == FileRole::MisplacedMoment {
        // Renamed where it is, it would be a moment without a stage.
        format!(
            "Markdown in journey/ is a moment: rename it `{lower_name}` and move it to content/journey/<stage>/, or move it out of journey/ to make it a page"
        )
    } else {
        format!("rename it `{lower_name}` to make it part of the playbook")
    };
    Some(
        Diagnostic::warning(
            "not-content",
            file,
            format!(
                "this file is copied as it is, not read as content: only `.{lower}` in lower case is"
            ),
        )
        .with_hint(hint),
    )
}

/// A YAML file in an entity kind's folder or in `journey/`, copied as it
/// is: its entries look like entities, but lists have their own place.
fn entity_yaml_not_read(path: &str, file: &str) -> Option<Diagnostic> {
    let (_, ext) = path.rsplit_once('.')?;
    if !(ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")) {
        return None;
    }
    let folder = path.split_once('/')?.0;
    let hint = if folder == "journey" {
        "a stage's moments are listed in content/journey/<stage>/moments.yaml, \
         or each written as content/journey/<stage>/<id>.md"
            .to_string()
    } else {
        Kind::from_folder(folder)?;
        format!("list {folder} in content/{folder}.yaml, or write each as content/{folder}/<id>.md")
    };
    Some(
        Diagnostic::warning(
            "not-content",
            file,
            "this YAML file is copied as it is, not read: its entries are not loaded",
        )
        .with_hint(hint),
    )
}

/// Parses one file, read from `opened` when the caller has it open.
pub(super) fn parse_file(
    path: &str,
    file: &str,
    source: PathBuf,
    opened: Option<super::memo::Opened>,
    settings: &Settings,
) -> FileResult {
    let role = classify(path);
    if role == FileRole::Ignored {
        return FileResult::of(Parsed::Nothing);
    }
    if role == FileRole::Asset && path.contains('\\') {
        return FileResult::problem(backslash_in_asset(file));
    }
    if role == FileRole::Asset {
        let problems =
            content_in_other_case(path, file, &source).or_else(|| entity_yaml_not_read(path, file));
        let asset = Asset {
            path: path.to_string(),
            source,
        };
        let mut result = FileResult::of(Parsed::Asset(asset));
        result.problems.extend(problems);
        return result;
    }
    let read = match opened {
        Some(opened) => opened.read_text(),
        None => std::fs::read_to_string(&source),
    };
    let text = match read {
        Ok(text) => with_line_feeds(text),
        Err(e) => {
            let d = Diagnostic::error("io", file, format!("cannot read this file: {e}"))
                .with_hint("Markdown and YAML files must be UTF-8 text");
            return FileResult::problem(d);
        }
    };
    let mut result = match role {
        FileRole::Entity(kind) => parse_markdown_entity(kind, path, file, &text),
        FileRole::EntityList(kind) => parse_entity_list(kind, path, file, &text),
        FileRole::Page => {
            let unknown = match settings.foreign_front_matter {
                ForeignFrontMatter::Error => Unknown::PageError,
                ForeignFrontMatter::Warn => Unknown::PageWarn,
            };
            let (page, problems) = markdown(path, file, &text, unknown);
            FileResult {
                problems,
                ..FileResult::of(Parsed::Page(vec![page]))
            }
        }
        FileRole::MisplacedMoment => FileResult::problem(misplaced_moment(path, file)),
        FileRole::Asset | FileRole::Ignored => unreachable!("handled above"),
    };
    let markdown_file = matches!(role, FileRole::Entity(_) | FileRole::Page);
    result.frame = result
        .parsed
        .body()
        .filter(|_| markdown_file && result.problems.is_empty())
        .map(|(_, frame)| frame);
    result
}

/// The text with each lone carriage return (the line ending of classic Mac
/// OS, which some exports keep) made a line feed, as CommonMark and YAML
/// both read it; the parser and the field reader see only line feeds and
/// `\r\n`. One byte for one: every line and column is where it was.
pub(crate) fn with_line_feeds(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for at in 0..bytes.len() {
        if bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
            bytes[at] = b'\n';
        }
    }
    String::from_utf8(bytes).expect("an ASCII byte for another keeps UTF-8")
}

fn misplaced_moment(path: &str, file: &str) -> Diagnostic {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md");
    Diagnostic::error(
        "moment-outside-stage",
        file,
        format!("moment `{stem}` is not inside a stage folder"),
    )
    .at_line(1)
    .with_hint(format!(
        "a moment's stage is its folder: move it to content/journey/<stage>/{stem}.md"
    ))
}

fn parse_markdown_entity(kind: Kind, path: &str, file: &str, text: &str) -> FileResult {
    let (parsed, problems) = match kind {
        Kind::Stage => {
            let (mut stage, problems) = markdown::<StageFm>(path, file, text, Unknown::Entity);
            stage.id = Slug::from_stem(stage.folder.rsplit('/').next().unwrap_or_default());
            (Parsed::Stage(vec![stage]), problems)
        }
        Kind::Page => {
            let (page, problems) = markdown(path, file, text, Unknown::PageError);
            (Parsed::Page(vec![page]), problems)
        }
        kind => with_front_matter(kind, Entity { path, file, text }),
    };
    FileResult {
        problems,
        ..FileResult::of(parsed)
    }
}

/// Parsing one Markdown entity of a kind.
struct Entity<'a> {
    path: &'a str,
    file: &'a str,
    text: &'a str,
}

impl WithFrontMatter for Entity<'_> {
    type Out = (Parsed, Vec<Diagnostic>);

    fn run<T: RawKind>(self) -> Self::Out {
        let (loaded, problems) = entity::<T>(self.path, self.file, self.text);
        (T::wrap(vec![loaded]), problems)
    }
}

/// A Markdown entity, whose id is its file stem and never an `id:` field.
fn entity<T: FrontMatter>(path: &str, file: &str, text: &str) -> (Loaded<T>, Vec<Diagnostic>) {
    let (loaded, mut problems) = markdown::<T>(path, file, text, Unknown::Entity);
    if let Some(id) = loaded.fm.id() {
        problems.push(
            Diagnostic::error(
                "id-in-markdown",
                file,
                format!("`id: {}` has no effect in a Markdown file", id.value),
            )
            .at(id.referenced.line() as usize + loaded.yaml_offset, 1)
            .with_hint(format!(
                "the id is the file name (`{}`): rename the file to change it",
                loaded.id
            )),
        );
    }
    (loaded, problems)
}

/// A Markdown file: its front matter, read as far as it can be, and its body.
fn markdown<T: FrontMatter>(
    path: &str,
    file: &str,
    text: &str,
    unknown: Unknown,
) -> (Loaded<T>, Vec<Diagnostic>) {
    let split = frontmatter::split(text);
    let place = Place {
        file,
        first_line: split.yaml_line,
    };
    let mut fields = match split.yaml {
        Some(yaml) => parse_fields::<T>(yaml, place, unknown),
        None if split.unterminated => Fields {
            value: T::default(),
            problems: vec![unterminated(file)],
            complete: false,
            readable: false,
        },
        None => Fields {
            value: T::default(),
            problems: Vec::new(),
            complete: true,
            readable: true,
        },
    };
    if let Some(line) = split.below_blank_lines {
        fields
            .problems
            .push(front_matter_below_blank_lines(file, line));
    }
    if split.toml {
        fields.problems.push(toml_front_matter(file));
        fields.complete = false;
    }
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let id = if classify(path) == FileRole::Page {
        Slug::from_file_name(stem)
    } else {
        Slug::from_stem(stem)
    };
    let (heading, body) = take_first_heading(split.body, fields.value.title());
    let frame =
        crate::fingerprint::fingerprint(&(split.yaml, split.yaml_line, split.body_line, &heading));
    let loaded = Loaded {
        fm: fields.value,
        id,
        file: file.to_string(),
        line: 1,
        yaml_offset: split.yaml_line - 1,
        folder: folder.to_string(),
        body,
        body_line: split.body_line,
        heading,
        frame,
        complete: fields.complete,
    };
    (loaded, fields.problems)
}

fn unterminated(file: &str) -> Diagnostic {
    Diagnostic::error(
        "unterminated-front-matter",
        file,
        "the front matter opened on line 1 is never closed",
    )
    .at(1, 1)
    .with_hint(
        "end the front matter with a line holding only `---`; if line 1 is meant as a \
         horizontal rule, put a blank line above it",
    )
}

/// TOML front matter, which a page would otherwise lose without a word
/// (its `draft = true` included).
fn toml_front_matter(file: &str) -> Diagnostic {
    Diagnostic::error(
        "toml-front-matter",
        file,
        "this front matter is TOML (between `+++` lines), which Touchstone does not read",
    )
    .at(1, 1)
    .with_hint(
        "write it as YAML between `---` lines: `title = \"Hello\"` becomes `title: Hello`, \
         `draft = true` becomes `draft: true`",
    )
}

fn front_matter_below_blank_lines(file: &str, line: usize) -> Diagnostic {
    Diagnostic::warning(
        "front-matter-not-first",
        file,
        format!(
            "the `---` block on line {line} reads as front matter, but is shown as text: \
             front matter starts on line 1"
        ),
    )
    .at(line, 1)
    .with_hint("remove the blank lines above it; its fields (a `draft:`, a `title:`) are not read until then")
}

/// Takes a leading `# Title` out of the body (as a blank line, so line numbers
/// stay true): the page template prints the title itself. With a `title:`
/// (`title`), only a heading that says the same is taken (a page exported
/// with both); any other stays in the body, where the author wrote it.
fn take_first_heading(body: &str, title: Option<&str>) -> (Option<String>, String) {
    let mut blank = 0;
    for line in body.lines() {
        if line.trim().is_empty() {
            blank += line.len() + 1;
            continue;
        }
        if let Some(heading) = line.strip_prefix("# ") {
            let heading = heading.trim().trim_end_matches('#').trim();
            let said = |title: &str| super::title::heading_text(heading).0 == title.trim();
            if !title.is_none_or(said) {
                break;
            }
            let rest = &body[(blank + line.len()).min(body.len())..];
            let body = format!(
                "{}{}",
                "\n".repeat(body[..blank].matches('\n').count()),
                rest
            );
            return (Some(heading.to_string()), body);
        }
        break;
    }
    (None, body.to_string())
}

fn parse_entity_list(kind: Kind, path: &str, file: &str, text: &str) -> FileResult {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let (parsed, listed) = match kind {
        Kind::Stage | Kind::Page => unreachable!("no YAML list form"),
        kind => with_front_matter(kind, List { folder, file, text }),
    };
    FileResult {
        parsed,
        problems: listed.problems,
        frame: None,
        unavailable: listed
            .unavailable
            .into_iter()
            .map(|id| (kind, id))
            .collect(),
    }
}

/// Parsing a YAML list of entities of a kind.
struct List<'a> {
    folder: &'a str,
    file: &'a str,
    text: &'a str,
}

impl WithFrontMatter for List<'_> {
    type Out = (Parsed, Listed);

    fn run<T: RawKind>(self) -> Self::Out {
        let (loaded, listed) = list::<T>(self.folder, self.file, self.text);
        (T::wrap(loaded), listed)
    }
}

/// The problems of a YAML list, and the ids of its entries that did not load.
#[derive(Debug, Default)]
struct Listed {
    problems: Vec<Diagnostic>,
    unavailable: Vec<String>,
}

/// A YAML list of entities, each with an `id:`. An entry that cannot be
/// read, or has no safe id, is left out alone; the others load.
fn list<T: FrontMatter>(folder: &str, file: &str, text: &str) -> (Vec<Loaded<T>>, Listed) {
    let (entries, problems) = parse_list::<T>(text, file);
    let mut listed = Listed {
        problems,
        unavailable: Vec::new(),
    };
    let mut loaded = Vec::new();
    for entry in entries {
        listed.problems.extend(entry.fields.problems);
        if !entry.fields.readable {
            listed.unavailable.extend(entry.written_id);
            continue;
        }
        let Some(written) = entry.fields.value.id() else {
            listed.problems.push(
                Diagnostic::error("missing-id", file, "this entry has no `id`")
                    .at_line(entry.line)
                    .with_hint("every entry of a YAML list needs an `id:`, e.g. `id: call-before-they-chase`"),
            );
            continue;
        };
        let id = match Slug::id(&written.value) {
            Ok(id) => id,
            Err(why) => {
                let problem = unsafe_id_diagnostic(file, written, entry.yaml_offset, &why);
                listed.problems.push(problem);
                listed.unavailable.push(written.value.clone());
                continue;
            }
        };
        loaded.push(Loaded {
            fm: entry.fields.value,
            id,
            file: file.to_string(),
            line: entry.line,
            yaml_offset: entry.yaml_offset,
            folder: folder.to_string(),
            body: String::new(),
            body_line: entry.line,
            heading: None,
            frame: 0,
            complete: entry.fields.complete,
        });
    }
    (loaded, listed)
}

/// An `id:` that is not one clean path segment: it names the entry's page,
/// so it is refused, never used as a path.
fn unsafe_id_diagnostic(
    file: &str,
    written: &Spanned<String>,
    yaml_offset: usize,
    why: &UnsafeId,
) -> Diagnostic {
    let rule = "an id is one part of a web address: lowercase letters, digits, `-` and `_`";
    let hint = match &why.suggestion {
        Some(safe) => format!("{rule}; write `id: {safe}`"),
        None => format!("{rule}, e.g. `id: call-before-they-chase`"),
    };
    Diagnostic::error(
        "unsafe-id",
        file,
        format!("`id: {}` cannot be an id: {}", written.value, why.reason),
    )
    .at(
        written.referenced.line() as usize + yaml_offset,
        written.referenced.column() as usize,
    )
    .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_heading_becomes_the_title_and_keeps_line_numbers() {
        let (title, body) = take_first_heading("\n# Refunds #\n\nText\n", None);
        assert_eq!(title.as_deref(), Some("Refunds"));
        assert_eq!(body, "\n\n\nText\n");
        assert_eq!(take_first_heading("Text\n# Later\n", None).0, None);
    }

    #[test]
    fn with_a_title_only_a_heading_saying_the_same_is_taken() {
        let body = "# Refunds\n\nText\n";
        assert_eq!(take_first_heading(body, Some("Refunds")).1, "\n\nText\n");
        assert_eq!(
            take_first_heading(body, Some(" Refunds ")).0.as_deref(),
            Some("Refunds")
        );
        let kept = take_first_heading(body, Some("Refunds policy"));
        assert_eq!(
            kept,
            (None, body.to_string()),
            "another heading is the author's"
        );
        let code = "# `if` and *more*\nText\n";
        assert_eq!(take_first_heading(code, Some("if and more")).1, "\nText\n");
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds_and_crlf_stays() {
        assert_eq!(with_line_feeds("a\rb\r\nc\r".into()), "a\nb\r\nc\n");
        assert_eq!(with_line_feeds("é\r\r".into()), "é\n\n");
        assert_eq!(with_line_feeds("plain\n".into()), "plain\n");
    }

    #[test]
    fn yaml_list_entries_need_ids_and_the_others_still_load() {
        let (loaded, listed) = list::<MantraFm>(
            "",
            "content/mantras.yaml",
            "- id: a\n  text: x\n- text: y\n- id: c\n",
        );
        assert_eq!(listed.problems[0].line, Some(3));
        let ids: Vec<&str> = loaded.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
    }

    #[test]
    fn unterminated_front_matter_is_an_error_at_line_1() {
        let (_, problems) = markdown::<RoleFm>(
            "roles/a.md",
            "content/roles/a.md",
            "---\nowns: [m]\n",
            Unknown::Entity,
        );
        assert_eq!(problems[0].code, "unterminated-front-matter");
        assert_eq!(problems[0].line, Some(1));
    }
}
