//! Parsing one file: its role from its path, then front matter and body
//! (a Markdown entity or page) or a YAML list of entities, into the raw
//! front-matter types. Every problem becomes a diagnostic.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::classify::{FileRole, classify};
use super::raw::*;
use super::{Loaded, RawSite, frontmatter};
use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Kind, Slug};

/// The outcome of one file: entities of one kind, a page or an asset.
#[derive(Debug, Clone)]
pub(super) enum Parsed {
    Nothing,
    Standards(Vec<Loaded<StandardFm>>),
    Mantras(Vec<Loaded<MantraFm>>),
    Roles(Vec<Loaded<RoleFm>>),
    Personas(Vec<Loaded<PersonaFm>>),
    Stages(Vec<Loaded<StageFm>>),
    Moments(Vec<Loaded<MomentFm>>),
    Stories(Vec<Loaded<StoryFm>>),
    Pages(Vec<Loaded<PageFm>>),
    Asset(Asset),
}

impl Parsed {
    /// The body and frame of a file holding one Markdown entity or page.
    pub(super) fn body(&self) -> Option<(&str, u64)> {
        fn one<T>(v: &[Loaded<T>]) -> Option<(&str, u64)> {
            match v {
                [only] => Some((only.body.as_str(), only.frame)),
                _ => None,
            }
        }
        match self {
            Parsed::Standards(v) => one(v),
            Parsed::Mantras(v) => one(v),
            Parsed::Roles(v) => one(v),
            Parsed::Personas(v) => one(v),
            Parsed::Stages(v) => one(v),
            Parsed::Moments(v) => one(v),
            Parsed::Stories(v) => one(v),
            Parsed::Pages(v) => one(v),
            Parsed::Nothing | Parsed::Asset(_) => None,
        }
    }

    pub(super) fn add_to(self, site: &mut RawSite) {
        match self {
            Parsed::Nothing => {}
            Parsed::Standards(v) => site.standards.extend(v),
            Parsed::Mantras(v) => site.mantras.extend(v),
            Parsed::Roles(v) => site.roles.extend(v),
            Parsed::Personas(v) => site.personas.extend(v),
            Parsed::Stages(v) => site.stages.extend(v),
            Parsed::Moments(v) => site.moments.extend(v),
            Parsed::Stories(v) => site.stories.extend(v),
            Parsed::Pages(p) => site.pages.extend(p),
            Parsed::Asset(a) => site.assets.push(a),
        }
    }
}

/// Parses one file; also returns the frame fingerprint of a clean Markdown file.
pub(super) fn parse_file(
    path: &str,
    file: &str,
    source: PathBuf,
) -> (Parsed, Vec<Diagnostic>, Option<u64>) {
    let role = classify(path);
    if role == FileRole::Ignored {
        return (Parsed::Nothing, vec![], None);
    }
    if role == FileRole::Asset {
        let asset = Asset {
            path: path.to_string(),
            source,
        };
        return (Parsed::Asset(asset), vec![], None);
    }
    let text = match std::fs::read_to_string(&source) {
        Ok(text) => text,
        Err(e) => {
            let d = Diagnostic::error("io", file, format!("cannot read this file: {e}"))
                .with_hint("Markdown and YAML files must be UTF-8 text");
            return (Parsed::Nothing, vec![d], None);
        }
    };
    let result = match role {
        FileRole::Entity(kind) => parse_markdown_entity(kind, path, file, &text),
        FileRole::EntityList(kind) => parse_entity_list(kind, path, file, &text),
        FileRole::Page => markdown(path, file, &text).map(|p| Parsed::Pages(vec![p])),
        FileRole::MisplacedMoment => Err(vec![misplaced_moment(path, file)]),
        FileRole::Asset | FileRole::Ignored => unreachable!("handled above"),
    };
    match result {
        Ok(parsed) => {
            let markdown_file = matches!(role, FileRole::Entity(_) | FileRole::Page);
            let frame = parsed
                .body()
                .filter(|_| markdown_file)
                .map(|(_, frame)| frame);
            (parsed, vec![], frame)
        }
        Err(diagnostics) => (Parsed::Nothing, diagnostics, None),
    }
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

fn parse_markdown_entity(
    kind: Kind,
    path: &str,
    file: &str,
    text: &str,
) -> Result<Parsed, Vec<Diagnostic>> {
    Ok(match kind {
        Kind::Standard => {
            Parsed::Standards(vec![entity(path, file, text, |f: &StandardFm| &f.id)?])
        }
        Kind::Mantra => Parsed::Mantras(vec![entity(path, file, text, |f: &MantraFm| &f.id)?]),
        Kind::Role => Parsed::Roles(vec![entity(path, file, text, |f: &RoleFm| &f.id)?]),
        Kind::Persona => Parsed::Personas(vec![entity(path, file, text, |f: &PersonaFm| &f.id)?]),
        Kind::Moment => Parsed::Moments(vec![entity(path, file, text, |f: &MomentFm| &f.id)?]),
        Kind::Story => Parsed::Stories(vec![entity(path, file, text, |f: &StoryFm| &f.id)?]),
        Kind::Stage => {
            let mut stage = markdown::<StageFm>(path, file, text)?;
            stage.id = Slug::from_stem(stage.folder.rsplit('/').next().unwrap_or_default());
            Parsed::Stages(vec![stage])
        }
        Kind::Page => Parsed::Pages(vec![markdown(path, file, text)?]),
    })
}

/// A Markdown entity, whose id is its file stem and never an `id:` field.
fn entity<T: DeserializeOwned + Default>(
    path: &str,
    file: &str,
    text: &str,
    id_field: fn(&T) -> &Option<Spanned<String>>,
) -> Result<Loaded<T>, Vec<Diagnostic>> {
    let loaded = markdown::<T>(path, file, text)?;
    if let Some(id) = id_field(&loaded.fm) {
        let d = Diagnostic::error(
            "id-in-markdown",
            file,
            format!("`id: {}` has no effect in a Markdown file", id.value),
        )
        .at(id.referenced.line() as usize + 1, 1)
        .with_hint(format!(
            "the id is the file name (`{}`): rename the file to change it",
            loaded.id
        ));
        return Err(vec![d]);
    }
    Ok(loaded)
}

fn markdown<T: DeserializeOwned + Default>(
    path: &str,
    file: &str,
    text: &str,
) -> Result<Loaded<T>, Vec<Diagnostic>> {
    let split = frontmatter::split(text);
    let fm = match split.yaml {
        Some(yaml) if !yaml.trim().is_empty() => {
            frontmatter::parse_yaml::<T>(yaml, file, split.yaml_line).map_err(|d| vec![d])?
        }
        _ => T::default(),
    };
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let id = if classify(path) == FileRole::Page {
        Slug::from_file_name(stem)
    } else {
        Slug::from_stem(stem)
    };
    let (heading, body) = take_first_heading(split.body);
    let frame =
        crate::fingerprint::fingerprint(&(split.yaml, split.yaml_line, split.body_line, &heading));
    Ok(Loaded {
        fm,
        id,
        file: file.to_string(),
        line: 1,
        yaml_offset: split.yaml_line - 1,
        folder: folder.to_string(),
        body,
        body_line: split.body_line,
        heading,
        frame,
    })
}

/// Takes a leading `# Title` out of the body (as a blank line, so line numbers
/// stay true): the page template prints the title itself.
fn take_first_heading(body: &str) -> (Option<String>, String) {
    let mut blank = 0;
    for line in body.lines() {
        if line.trim().is_empty() {
            blank += line.len() + 1;
            continue;
        }
        if let Some(title) = line.strip_prefix("# ") {
            let rest = &body[(blank + line.len()).min(body.len())..];
            let body = format!(
                "{}{}",
                "\n".repeat(body[..blank].matches('\n').count()),
                rest
            );
            return (
                Some(title.trim().trim_end_matches('#').trim().to_string()),
                body,
            );
        }
        break;
    }
    (None, body.to_string())
}

fn parse_entity_list(
    kind: Kind,
    path: &str,
    file: &str,
    text: &str,
) -> Result<Parsed, Vec<Diagnostic>> {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    Ok(match kind {
        Kind::Standard => Parsed::Standards(list(folder, file, text, |f: &StandardFm| &f.id)?),
        Kind::Mantra => Parsed::Mantras(list(folder, file, text, |f: &MantraFm| &f.id)?),
        Kind::Role => Parsed::Roles(list(folder, file, text, |f: &RoleFm| &f.id)?),
        Kind::Persona => Parsed::Personas(list(folder, file, text, |f: &PersonaFm| &f.id)?),
        Kind::Moment => Parsed::Moments(list(folder, file, text, |f: &MomentFm| &f.id)?),
        Kind::Story => Parsed::Stories(list(folder, file, text, |f: &StoryFm| &f.id)?),
        Kind::Stage | Kind::Page => unreachable!("no YAML list form"),
    })
}

/// A YAML list of entities, each with an `id:`.
fn list<T: DeserializeOwned>(
    folder: &str,
    file: &str,
    text: &str,
    id_field: fn(&T) -> &Option<Spanned<String>>,
) -> Result<Vec<Loaded<T>>, Vec<Diagnostic>> {
    let entries: Vec<Spanned<T>> = frontmatter::parse_yaml(text, file, 1).map_err(|d| vec![d])?;
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let line = entry.referenced.line() as usize;
        let Some(written) = id_field(&entry.value) else {
            problems.push(
                Diagnostic::error("missing-id", file, "this entry has no `id`")
                    .at_line(line)
                    .with_hint("every entry of a YAML list needs an `id:`, e.g. `id: call-before-they-chase`"),
            );
            continue;
        };
        let id = match Slug::id(&written.value) {
            Ok(id) => id,
            Err(unsafe_id) => {
                problems.push(unsafe_id_diagnostic(file, written, &unsafe_id));
                continue;
            }
        };
        loaded.push(Loaded {
            fm: entry.value,
            id,
            file: file.to_string(),
            line,
            yaml_offset: 0,
            folder: folder.to_string(),
            body: String::new(),
            body_line: line,
            heading: None,
            frame: 0,
        });
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(problems)
    }
}

/// An `id:` that is not one clean path segment: it names the entry's page,
/// so it is refused, never used as a path.
fn unsafe_id_diagnostic(
    file: &str,
    written: &Spanned<String>,
    why: &crate::model::UnsafeId,
) -> Diagnostic {
    let hint = match &why.suggestion {
        Some(safe) => format!(
            "an id is one part of a web address: lowercase letters, digits, `-` and `_`; write `id: {safe}`"
        ),
        None => "an id is one part of a web address: lowercase letters, digits, `-` and `_`, e.g. `id: call-before-they-chase`".to_string(),
    };
    Diagnostic::error(
        "unsafe-id",
        file,
        format!("`id: {}` cannot be an id: {}", written.value, why.reason),
    )
    .at(
        written.referenced.line() as usize,
        written.referenced.column() as usize,
    )
    .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_heading_becomes_the_title_and_keeps_line_numbers() {
        let (title, body) = take_first_heading("\n# Refunds #\n\nText\n");
        assert_eq!(title.as_deref(), Some("Refunds"));
        assert_eq!(body, "\n\n\nText\n");
        assert_eq!(take_first_heading("Text\n# Later\n").0, None);
    }

    #[test]
    fn yaml_list_entries_need_ids() {
        let err = list::<MantraFm>(
            "",
            "content/mantras.yaml",
            "- id: a\n  text: x\n- text: y\n",
            |f| &f.id,
        )
        .unwrap_err();
        assert_eq!(err[0].line, Some(3));
        let ok = list::<MantraFm>("", "content/mantras.yaml", "- id: a\n  text: x\n", |f| {
            &f.id
        })
        .unwrap();
        assert_eq!(ok[0].id.as_str(), "a");
    }
}
