//! Load: walk `content/`, read every file once, split front matter and parse it
//! into the raw front-matter types. Files are read and parsed in parallel; every
//! problem becomes a diagnostic and loading carries on.
//!
//! - `classify`: what a path holds (an entity, a list, a page, an asset);
//! - `frontmatter` and `parse`: one file into raw types (`raw`);
//! - `fields`: a map of fields read as far as it can be, every unknown field
//!   reported, a bad field or list entry dropped alone; `explain`: YAML
//!   errors in an author's terms;
//! - `memo`: the files of the last load, so a rebuild re-reads only changes.

mod classify;
mod explain;
pub(crate) mod fields;
pub(crate) mod frontmatter;
mod memo;
mod parse;
pub(crate) mod raw;

pub(crate) use classify::is_editor_noise;
pub(crate) use memo::{LoadMemo, Refresh};

use crate::config::{Config, ForeignFrontMatter};
use crate::model::{Asset, Kind, Slug};
use raw::*;

/// One entity or page as written, before references are resolved.
#[derive(Debug, Clone)]
pub(crate) struct Loaded<T> {
    pub fm: T,
    /// The entity's id (its file stem, or `id:` in a list, checked) or, for a
    /// plain page, its file name as a path segment.
    pub id: Slug,
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
    /// Every field was read as written. When not, checks that depend on this
    /// entity's data wait until it loads whole (no false "nobody owns").
    pub complete: bool,
}

/// Everything under `content/`, parsed but not yet checked against each other.
#[derive(Debug, Default)]
pub(crate) struct RawSite {
    pub standards: Vec<Loaded<StandardFm>>,
    pub mantras: Vec<Loaded<MantraFm>>,
    pub roles: Vec<Loaded<RoleFm>>,
    pub personas: Vec<Loaded<PersonaFm>>,
    pub stages: Vec<Loaded<StageFm>>,
    pub moments: Vec<Loaded<MomentFm>>,
    pub stories: Vec<Loaded<StoryFm>>,
    pub pages: Vec<Loaded<PageFm>>,
    pub assets: Vec<Asset>,
    /// Entries of YAML lists that could not be read at all, by kind and id
    /// as written: references to them are not reported (the entry's own
    /// error is the cause), and checks of their kind wait.
    pub unavailable: Vec<(Kind, String)>,
}

/// What loading takes from `book.toml`; a change re-reads every file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    pub foreign_front_matter: ForeignFrontMatter,
}

impl Settings {
    pub(crate) fn of(config: &Config) -> Settings {
        Settings {
            foreign_front_matter: config.foreign_front_matter,
        }
    }
}
