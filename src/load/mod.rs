//! Load: walk `content/`, read every file once, split front matter and parse it
//! into the raw front-matter types. Files are read and parsed in parallel; every
//! problem becomes a diagnostic and loading carries on.
//!
//! - `classify`: what a path holds (an entity, a list, a page, an asset);
//! - `frontmatter` and `parse`: one file into raw types (`raw`);
//! - `fields`: a map of fields read as far as it can be, every unknown field
//!   reported, a bad field or list entry dropped alone; `explain`: YAML
//!   errors in an author's terms;
//! - `walk`: the files under `content/`, and a word about each one skipped;
//! - `memo`: the files of the last load, so a rebuild re-reads only changes.

mod classify;
mod explain;
pub(crate) mod fields;
pub(crate) mod frontmatter;
mod memo;
mod parse;
pub(crate) mod raw;
pub(crate) mod title;
mod walk;

pub(crate) use classify::{FileRole, classify, is_editor_noise};
pub(crate) use memo::{LoadMemo, Refresh};
pub(crate) use parse::with_line_feeds;

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

/// Generates from one line per kind (its `Kind` variant, its list in
/// `RawSite`, its front-matter type) everything loading keeps per kind:
/// `RawSite`'s lists, `Parsed`'s variants, and the dispatch from a `Kind`
/// to its front-matter type. A new kind is one more line here.
macro_rules! raw_kinds {
    ($($kind:ident => $list:ident: $fm:ty,)*) => {
        /// Everything under `content/`, parsed but not yet checked against each other.
        #[derive(Debug, Default)]
        pub(crate) struct RawSite {
            $(pub $list: Vec<Loaded<$fm>>,)*
            pub assets: Vec<Asset>,
            /// Entries of YAML lists that could not be read at all, by kind and id
            /// as written: references to them are not reported (the entry's own
            /// error is the cause), and checks of their kind wait.
            pub unavailable: Vec<(Kind, String)>,
        }

        impl RawSite {
            /// The raw site of what files `parsed` to, in their order. Each
            /// kind's list is filled on a core of its own: moving every
            /// entity into its list is a whole site's worth of copying.
            fn gathered(parsed: Vec<Parsed>) -> RawSite {
                // Assets are grouped after the kinds.
                const ASSETS: usize = [$(Kind::$kind),*].len();
                let mut groups: Vec<Vec<Parsed>> = (0..=ASSETS).map(|_| Vec::new()).collect();
                for p in parsed {
                    let at = match p {
                        Parsed::Nothing => continue,
                        $(Parsed::$kind(_) => Kind::$kind as usize,)*
                        Parsed::Asset(_) => ASSETS,
                    };
                    groups[at].push(p);
                }
                let mut site = RawSite::default();
                let RawSite { $($list,)* assets, unavailable: _ } = &mut site;
                rayon::scope(|scope| {
                    $(
                        let group = std::mem::take(&mut groups[Kind::$kind as usize]);
                        scope.spawn(move |_| {
                            let count = group.iter().map(|p| match p {
                                Parsed::$kind(v) => v.len(),
                                _ => 0,
                            });
                            $list.reserve_exact(count.sum());
                            for p in group {
                                if let Parsed::$kind(v) = p {
                                    $list.extend(v);
                                }
                            }
                        });
                    )*
                    let group = std::mem::take(&mut groups[ASSETS]);
                    scope.spawn(move |_| {
                        assets.extend(group.into_iter().filter_map(|p| match p {
                            Parsed::Asset(a) => Some(a),
                            _ => None,
                        }));
                    });
                });
                site
            }
        }

        /// The outcome of one file: entities of one kind, a page or an asset.
        #[derive(Debug, Clone)]
        enum Parsed {
            Nothing,
            $($kind(Vec<Loaded<$fm>>),)*
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
                    $(Parsed::$kind(v) => one(v),)*
                    Parsed::Nothing | Parsed::Asset(_) => None,
                }
            }

            /// Adds what a single file parsed to (a patch's raw site).
            fn add_to(self, site: &mut RawSite) {
                match self {
                    Parsed::Nothing => {}
                    $(Parsed::$kind(v) => site.$list.extend(v),)*
                    Parsed::Asset(a) => site.assets.push(a),
                }
            }
        }

        $(impl RawKind for $fm {
            fn wrap(loaded: Vec<Loaded<Self>>) -> Parsed {
                Parsed::$kind(loaded)
            }
        })*

        /// Runs `task` with the front-matter type of `kind`.
        fn with_front_matter<W: WithFrontMatter>(kind: Kind, task: W) -> W::Out {
            match kind {
                $(Kind::$kind => task.run::<$fm>(),)*
            }
        }
    };
}

raw_kinds! {
    Standard => standards: StandardFm,
    Mantra => mantras: MantraFm,
    Role => roles: RoleFm,
    Persona => personas: PersonaFm,
    Stage => stages: StageFm,
    Moment => moments: MomentFm,
    Story => stories: StoryFm,
    Page => pages: PageFm,
}

/// A kind's front-matter type, and how its entities become a `Parsed`.
trait RawKind: FrontMatter {
    fn wrap(loaded: Vec<Loaded<Self>>) -> Parsed;
}

/// Work that is the same for every kind but its front-matter type
/// (parsing a Markdown entity, or a YAML list of them).
trait WithFrontMatter {
    type Out;
    fn run<T: RawKind>(self) -> Self::Out;
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
