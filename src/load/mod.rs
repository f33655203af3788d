//! Load: walk `content/`, read every file once, split front matter and parse it
//! into the raw front-matter types. Files are read and parsed in parallel; every
//! problem becomes a diagnostic and loading carries on.

pub mod frontmatter;
pub mod raw;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::ids::Kind;
use raw::*;

/// One entity or page as written, before references are resolved.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub fm: T,
    pub id: String,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// Where the entity starts: line 1 of a Markdown file, the entry of a YAML list.
    pub line: usize,
    /// Added to a YAML line to give the file line (1 below a `---` line).
    pub yaml_offset: usize,
    /// The folder holding the file, relative to `content/` (a moment's stage).
    pub folder: String,
    pub body: String,
    pub body_line: usize,
    /// The first `# heading` of the body, the title of a page without one.
    pub heading: Option<String>,
    /// A Markdown file's fingerprint of everything but its body (front
    /// matter, where the body starts, the heading), so an edit that only
    /// touched the body can be told apart. 0 for a YAML list entry.
    pub frame: u64,
}

#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/`, which is also its path in the output.
    pub path: String,
    pub source: PathBuf,
}

/// Everything under `content/`, parsed but not yet checked against each other.
#[derive(Debug, Default)]
pub struct RawSite {
    pub standards: Vec<Loaded<StandardFm>>,
    pub mantras: Vec<Loaded<MantraFm>>,
    pub roles: Vec<Loaded<RoleFm>>,
    pub personas: Vec<Loaded<PersonaFm>>,
    pub stages: Vec<Loaded<StageFm>>,
    pub moments: Vec<Loaded<MomentFm>>,
    pub stories: Vec<Loaded<StoryFm>>,
    pub pages: Vec<Loaded<PageFm>>,
    pub assets: Vec<Asset>,
}

/// What a file under `content/` is, decided by its path alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    Entity(Kind),
    EntityList(Kind),
    Page,
    Asset,
    Ignored,
    MisplacedMoment,
}

/// Decides what a content-relative path (`roles/agent.md`) holds.
pub fn classify(path: &str) -> FileRole {
    let parts: Vec<&str> = path.split('/').collect();
    let name = parts[parts.len() - 1];
    if parts.iter().any(|part| is_editor_noise(part)) {
        return FileRole::Ignored;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let is_index = matches!(stem, "_index" | "index");
    match (parts.as_slice(), ext) {
        ([_], "yaml" | "yml") => {
            Kind::from_folder(stem).map_or(FileRole::Asset, FileRole::EntityList)
        }
        (["journey", _, _], "yaml" | "yml") if stem == "moments" => {
            FileRole::EntityList(Kind::Moment)
        }
        (_, "md") if is_index && parts.len() == 3 && parts[0] == "journey" => {
            FileRole::Entity(Kind::Stage)
        }
        (["journey", _, _], "md") => FileRole::Entity(Kind::Moment),
        (["journey", ..], "md") if !is_index => FileRole::MisplacedMoment,
        ([folder, _], "md") if !is_index && Kind::from_folder(folder).is_some() => {
            FileRole::Entity(Kind::from_folder(folder).expect("checked"))
        }
        (_, "md" | "markdown") => FileRole::Page,
        _ => FileRole::Asset,
    }
}

/// Hidden files and what editors leave beside the files they save (swap,
/// backup and temporary files): never part of the site, never a reason to
/// rebuild it.
pub fn is_editor_noise(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with("__jb_")
        || name.contains("___jb_")
}

/// Parsed files of the previous load, in walk order, with the size and
/// modification time they had: a file whose stamp is unchanged is not read or
/// parsed again. With a hint from the watcher, only the hinted paths are
/// looked at; without one, the whole folder is walked.
#[derive(Default)]
pub struct LoadMemo {
    /// The content folder the files were read from.
    dir: PathBuf,
    files: BTreeMap<WalkOrder, Entry>,
    /// Paths hinted since the last refresh; `None`: walk everything.
    hint: Option<Vec<PathBuf>>,
    /// The watcher lost track: the next refresh walks, whatever the hints.
    rescan: bool,
}

struct Entry {
    stamp: Stamp,
    parsed: Arc<Parsed>,
    problems: Vec<Diagnostic>,
    /// For a Markdown file that parsed cleanly: a fingerprint of everything
    /// but its body, so an edit that only touched the body can be told apart.
    frame: Option<u64>,
}

/// What one refresh of the memo found.
#[derive(Debug, Default)]
pub struct Refresh {
    /// Changed, added and removed files, relative to `content/`.
    pub changed: Vec<String>,
    /// Every change was to the body of a Markdown file that parsed before and after.
    pub bodies_only: bool,
    /// Something outside `content/` may have changed too (book.toml, templates).
    pub beyond_content: bool,
}

impl LoadMemo {
    /// Paths the watcher saw change: the next refresh looks at these alone.
    /// Hints add up until a refresh takes them, so a build that failed
    /// before loading (a broken book.toml) loses none.
    pub fn hint(&mut self, paths: Vec<PathBuf>) {
        self.hint.get_or_insert_with(Vec::new).extend(paths);
    }

    /// The next refresh walks the whole folder, whatever it was hinted.
    pub fn rescan(&mut self) {
        self.rescan = true;
    }

    /// A fingerprint of each loaded file's stamp, by path relative to the root.
    pub fn stamps(&self, content_prefix: &str) -> HashMap<String, u64> {
        self.files
            .iter()
            .map(|(path, entry)| {
                (
                    format!("{content_prefix}{}", path.0),
                    crate::memo::fingerprint(&entry.stamp),
                )
            })
            .collect()
    }

    /// The stamp fingerprint of one file (relative to `content/`), as `stamps` gives it.
    pub fn stamp_of(&self, path: &str) -> Option<u64> {
        let entry = self.files.get(&WalkOrder(path.to_string()))?;
        Some(crate::memo::fingerprint(&entry.stamp))
    }

    /// The body of the Markdown file at `path` (relative to `content/`).
    pub fn body_of(&self, path: &str) -> Option<&str> {
        let (body, _) = self
            .files
            .get(&WalkOrder(path.to_string()))?
            .parsed
            .body()?;
        Some(body)
    }

    /// Brings the memo up to date with the content folder: re-reads the files
    /// whose stamp changed, drops the ones that are gone, adds new ones.
    pub fn refresh(&mut self, config: &Config) -> Refresh {
        let content_prefix = config.content_prefix();
        let dir = &config.content_dir;
        if self.dir != *dir {
            // book.toml moved the content folder: nothing read so far counts.
            self.files.clear();
            self.hint = None;
            self.dir = dir.clone();
        }
        let rescan = std::mem::take(&mut self.rescan);
        let hint = self.hint.take().filter(|_| !rescan);
        let (candidates, beyond_content) = match hint {
            Some(paths) if !paths.iter().any(|p| p.starts_with(dir) && p.is_dir()) => {
                let beyond = paths.iter().any(|p| !p.starts_with(dir));
                (hinted(dir, &paths, &self.files), beyond)
            }
            _ => {
                let mut all = walk(dir);
                let seen: std::collections::HashSet<&str> =
                    all.iter().map(|(rel, _)| rel.as_str()).collect();
                let gone: Vec<(String, PathBuf)> = self
                    .files
                    .keys()
                    .filter(|k| !seen.contains(k.0.as_str()))
                    .map(|k| (k.0.clone(), dir.join(&k.0)))
                    .collect();
                all.extend(gone);
                (all, true)
            }
        };
        let files = &self.files;
        let updates: Vec<(String, Option<Entry>)> = candidates
            .into_par_iter()
            .filter_map(|(path, source)| {
                let now = stamp(&source);
                let before = files.get(&WalkOrder(path.clone()));
                if before.is_some_and(|e| e.stamp == now) {
                    return None;
                }
                if now.1.is_none() {
                    return before.is_some().then_some((path, None));
                }
                let file = format!("{content_prefix}{path}");
                let (parsed, problems, frame) = parse_file(&path, &file, source);
                let entry = Entry {
                    stamp: now,
                    parsed: Arc::new(parsed),
                    problems,
                    frame,
                };
                Some((path, Some(entry)))
            })
            .collect();
        let mut refresh = Refresh {
            changed: Vec::new(),
            bodies_only: true,
            beyond_content,
        };
        for (path, entry) in updates {
            let key = WalkOrder(path.clone());
            let before = self.files.get(&key).and_then(|e| e.frame);
            let after = entry.as_ref().and_then(|e| e.frame);
            refresh.bodies_only &= before.is_some() && before == after;
            match entry {
                Some(entry) => self.files.insert(key, entry),
                None => self.files.remove(&key),
            };
            refresh.changed.push(path);
        }
        refresh
    }

    /// Every parsed file, in walk order, as one raw site.
    pub fn assemble(&self) -> (RawSite, Vec<Diagnostic>) {
        let mut site = RawSite::default();
        let mut diagnostics = Vec::new();
        for entry in self.files.values() {
            diagnostics.extend(entry.problems.iter().cloned());
            Parsed::clone(&entry.parsed).add_to(&mut site);
        }
        (site, diagnostics)
    }
}

/// A path relative to `content/`, ordered as a walk sorted by file name
/// visits it (folder by folder), so loading with a memo keeps that order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WalkOrder(String);

impl Ord for WalkOrder {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.split('/').cmp(other.0.split('/'))
    }
}

impl PartialOrd for WalkOrder {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The files a hint names, as (path relative to `dir`, absolute path): a
/// removed folder stands for every file memoised under it.
fn hinted(
    dir: &Path,
    paths: &[PathBuf],
    known: &BTreeMap<WalkOrder, Entry>,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for path in paths {
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.is_empty()
            || rel.split('/').any(|part| part.starts_with('.'))
            || in_linked_folder(dir, path)
        {
            continue;
        }
        let folder = format!("{rel}/");
        out.extend(
            known
                .keys()
                .filter(|k| k.0.starts_with(&folder))
                .map(|k| (k.0.clone(), dir.join(&k.0))),
        );
        out.push((rel, path.clone()));
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a folder between `dir` and `path` is a symbolic link: the walk
/// does not follow them, so a hinted path below one is not part of the site.
fn in_linked_folder(dir: &Path, path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|folder| *folder != dir && folder.starts_with(dir))
        .any(|folder| {
            folder
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        })
}

type Stamp = (u64, Option<std::time::SystemTime>);

/// Size and modification time; no time for a missing file or anything but a
/// regular file (the walk skips symlinks and folders too).
fn stamp(path: &Path) -> Stamp {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => (m.len(), m.modified().ok()),
        _ => (u64::MAX, None),
    }
}

/// Reads and parses the whole content folder.
pub fn load(config: &Config) -> (RawSite, Vec<Diagnostic>) {
    let mut memo = LoadMemo::default();
    memo.refresh(config);
    memo.assemble()
}

/// Every file under `dir`, as (path relative to `dir`, absolute path), sorted.
fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.into_path()))
        })
        .collect()
}

/// The outcome of one file: entities of one kind, a page or an asset.
#[derive(Debug, Clone)]
enum Parsed {
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
    fn body(&self) -> Option<(&str, u64)> {
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

    fn add_to(self, site: &mut RawSite) {
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
fn parse_file(path: &str, file: &str, source: PathBuf) -> (Parsed, Vec<Diagnostic>, Option<u64>) {
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
            stage.id = stage
                .folder
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
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
    let (heading, body) = take_first_heading(split.body);
    let frame = crate::memo::fingerprint(&(split.yaml, split.yaml_line, split.body_line, &heading));
    Ok(Loaded {
        fm,
        id: stem.to_string(),
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
        let Some(id) = id_field(&entry.value).as_ref().map(|id| id.value.clone()) else {
            problems.push(
                Diagnostic::error("missing-id", file, "this entry has no `id`")
                    .at_line(line)
                    .with_hint("every entry of a YAML list needs an `id:`, e.g. `id: call-before-they-chase`"),
            );
            continue;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_decide_what_a_file_is() {
        assert_eq!(classify("roles/agent.md"), FileRole::Entity(Kind::Role));
        assert_eq!(classify("mantras.yaml"), FileRole::EntityList(Kind::Mantra));
        assert_eq!(
            classify("journey/core/_index.md"),
            FileRole::Entity(Kind::Stage)
        );
        assert_eq!(
            classify("journey/core/delivery.md"),
            FileRole::Entity(Kind::Moment)
        );
        assert_eq!(
            classify("journey/core/moments.yaml"),
            FileRole::EntityList(Kind::Moment)
        );
        assert_eq!(classify("journey/delivery.md"), FileRole::MisplacedMoment);
        assert_eq!(classify("journey/_index.md"), FileRole::Page);
        assert_eq!(classify("roles/_index.md"), FileRole::Page);
        assert_eq!(classify("guides/how/to.md"), FileRole::Page);
        assert_eq!(classify("index.md"), FileRole::Page);
        assert_eq!(classify("img/logo.png"), FileRole::Asset);
        assert_eq!(classify("roles/.agent.md.swp"), FileRole::Ignored);
        assert_eq!(classify("guides/draft.tmp"), FileRole::Ignored);
        assert_eq!(classify("guides/x.tmp/logo.png"), FileRole::Ignored);
        assert_eq!(classify("roles/4913"), FileRole::Ignored);
    }

    #[test]
    fn a_leading_heading_becomes_the_title_and_keeps_line_numbers() {
        let (title, body) = take_first_heading("\n# Refunds #\n\nText\n");
        assert_eq!(title.as_deref(), Some("Refunds"));
        assert_eq!(body, "\n\n\nText\n");
        assert_eq!(take_first_heading("Text\n# Later\n").0, None);
    }

    #[test]
    fn a_refresh_tells_body_edits_from_other_edits_and_follows_hints() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let file = dir.path().join("content").join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        };
        write("roles/a.md", "---\ntitle: A\n---\nBody.\n");
        write("guides/g.md", "# Guide\n\nText.\n");
        let config = Config::load(dir.path()).unwrap();
        let mut memo = LoadMemo::default();
        let first = memo.refresh(&config);
        assert_eq!(first.changed, ["guides/g.md", "roles/a.md"]);
        assert!(!first.bodies_only, "new files are not body edits");

        write("roles/a.md", "---\ntitle: A\n---\nA longer body.\n");
        let body = memo.refresh(&config);
        assert_eq!(body.changed, ["roles/a.md"]);
        assert!(body.bodies_only);
        write("guides/g.md", "# Retitled\n\nText.\n");
        assert!(
            !memo.refresh(&config).bodies_only,
            "the leading heading is the title"
        );
        write("roles/a.md", "---\ntitle: B\n---\nA longer body.\n");
        assert!(!memo.refresh(&config).bodies_only);

        // With a hint, only the hinted paths are looked at.
        write("guides/g.md", "# Retitled\n\nMore text.\n");
        memo.hint(vec![dir.path().join("content/roles/a.md")]);
        let hinted = memo.refresh(&config);
        assert!(hinted.changed.is_empty() && !hinted.beyond_content);
        std::fs::remove_dir_all(dir.path().join("content/roles")).unwrap();
        memo.hint(vec![dir.path().join("content/roles")]);
        assert_eq!(memo.refresh(&config).changed, ["roles/a.md"]);
        let (site, _) = memo.assemble();
        assert!(site.roles.is_empty() && site.pages.len() == 1);
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
        assert_eq!(ok[0].id, "a");
    }
}
