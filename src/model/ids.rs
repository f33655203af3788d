//! Typed ids: a `RoleId` can never be passed where a `MomentId` is expected.
//! Site paths are built only from `Slug`s, each one clean URL path segment,
//! so nothing an author writes can make a page land outside the site.

use std::borrow::Borrow;
use std::fmt;

use serde::Serialize;

macro_rules! id_type {
    ($($name:ident),*) => {$(
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub(crate) struct $name(pub(crate) String);

        impl $name {
            pub(crate) fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

id_type!(
    StandardId, MantraId, RoleId, PersonaId, StageId, MomentId, StoryId
);

/// Every kind of thing an author writes. Order here is the order of navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Standard,
    Mantra,
    Role,
    Persona,
    Stage,
    Moment,
    Story,
    Page,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        self.info().name
    }

    /// The content folder (and URL section) of the kind.
    pub(crate) fn folder(self) -> &'static str {
        self.info().folder
    }

    /// Kinds written as `content/<folder>/<id>.md` or `content/<folder>.yaml`:
    /// those with a folder (and a list page) of their own.
    pub(crate) fn from_folder(folder: &str) -> Option<Kind> {
        Kind::listed().find(|k| k.info().folder == folder)
    }

    /// The kind named in a `[[kind/id]]` link: its name, its plural, its
    /// folder, or `journey` for a moment.
    pub(crate) fn from_link_prefix(prefix: &str) -> Option<Kind> {
        Kind::from_folder(prefix).or_else(|| match prefix {
            "journey" => Some(Kind::Moment),
            _ => Kind::ALL
                .into_iter()
                .find(|k| k.info().name == prefix || k.info().plural == prefix),
        })
    }
}

/// Any entity or page of the site, for links and backlinks that cross kinds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) struct EntityKey {
    pub kind: Kind,
    pub id: String,
}

impl EntityKey {
    pub(crate) fn new(kind: Kind, id: impl Into<String>) -> Self {
        EntityKey {
            kind,
            id: id.into(),
        }
    }
}

/// One clean URL path segment: never empty, `.` or `..`, no `/`, `\`,
/// whitespace, control or URL-reserved characters, never a leading dot.
/// Every site path is built from these alone (see [`SitePath`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Slug(String);

/// Why an `id:` is not a slug, in an author's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnsafeId {
    pub reason: &'static str,
    /// The nearest safe id, when there is one.
    pub suggestion: Option<String>,
}

impl Slug {
    /// An entity id exactly as written (an `id:` of a YAML list): lowercase
    /// letters, digits, `-` and `_`, or an error saying why not. Never
    /// repaired in silence: the id is what other files refer to.
    pub(crate) fn id(text: &str) -> Result<Slug, UnsafeId> {
        let reason = if text.is_empty() {
            Some("it is empty")
        } else if text.contains(['/', '\\']) {
            Some("it holds a `/` or `\\`, and an id is one path segment")
        } else if text.chars().all(|c| c == '.') {
            Some("it is made of dots only")
        } else if text.chars().any(char::is_whitespace) {
            Some("it holds spaces")
        } else if text.chars().any(char::is_uppercase) {
            Some("it holds capital letters")
        } else if !text.chars().all(is_id_char) {
            Some("it holds characters other than letters, digits, `-` and `_`")
        } else {
            None
        };
        match reason {
            None => Ok(Slug(text.to_string())),
            Some(reason) => {
                let suggestion = Slug::from_stem(text).0;
                Err(UnsafeId {
                    reason,
                    suggestion: (suggestion != "untitled").then_some(suggestion),
                })
            }
        }
    }

    /// The id of an entity written as a file (or a stage folder): its name,
    /// lowercased, with anything but letters, digits, `-` and `_` made `-`.
    pub(crate) fn from_stem(stem: &str) -> Slug {
        let slug: String = stem
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if is_id_char(c) { c } else { '-' })
            .collect();
        Slug::or_untitled(squeeze_dashes(&slug))
    }

    /// A segment of a plain page's path, from a file or folder name: kept as
    /// written (case, `_` and `.` too, as mdBook and Jekyll URLs have them)
    /// unless a character would break a URL, which becomes `-`.
    pub(crate) fn from_file_name(name: &str) -> Slug {
        let segment: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let segment = squeeze_dashes(&segment);
        Slug::or_untitled(segment.trim_start_matches('.').to_string())
    }

    fn or_untitled(text: String) -> Slug {
        if text.is_empty() || text.chars().all(|c| c == '.' || c == '-') {
            Slug("untitled".to_string())
        } else {
            Slug(text)
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_id_char(c: char) -> bool {
    (c.is_alphanumeric() && !c.is_uppercase()) || matches!(c, '-' | '_')
}

/// `a--b-` -> `a-b`: runs of replaced characters read as one.
fn squeeze_dashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        out
    } else {
        trimmed.to_string()
    }
}

/// Where a page lands, relative to the site root: `` (home) or segments each
/// ending in `/` (`roles/agent/`). Built only from [`Slug`]s and the fixed
/// section folders, so it can never climb out of the output folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct SitePath(String);

impl SitePath {
    /// The home page.
    pub(crate) fn home() -> SitePath {
        SitePath(String::new())
    }

    /// A page inside this one: `roles/` + `agent` -> `roles/agent/`.
    pub(crate) fn join(&self, segment: &Slug) -> SitePath {
        SitePath(format!("{}{segment}/", self.0))
    }

    /// The page of an entity of `kind` with this id (not a moment: see `moment`).
    pub(crate) fn entity(kind: Kind, id: &Slug) -> SitePath {
        match kind {
            Kind::Stage => SitePath::section("journey").join(id),
            Kind::Page => SitePath::home().join(id),
            kind => SitePath::section(kind.folder()).join(id),
        }
    }

    pub(crate) fn moment(stage: &Slug, id: &Slug) -> SitePath {
        SitePath::entity(Kind::Stage, stage).join(id)
    }

    /// A fixed section folder of Touchstone's own (`journey`, `roles`).
    fn section(folder: &'static str) -> SitePath {
        SitePath(format!("{folder}/"))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SitePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_lists_are_one_clean_segment_or_an_error() {
        assert_eq!(Slug::id("call-back").unwrap().as_str(), "call-back");
        assert_eq!(Slug::id("first_call").unwrap().as_str(), "first_call");
        for bad in [
            "",
            "..",
            ".",
            "../../tmp/x",
            "a/b",
            "a b",
            "a\\b",
            "Call",
            "a?b",
            "a%2fb",
        ] {
            assert!(Slug::id(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Slug::id("Call Back").unwrap_err().suggestion.as_deref(),
            Some("call-back")
        );
    }

    #[test]
    fn file_names_become_safe_segments() {
        assert_eq!(Slug::from_stem("Contact Centre").as_str(), "contact-centre");
        assert_eq!(Slug::from_stem("..").as_str(), "untitled");
        assert_eq!(
            Slug::from_file_name("gmock_cook_book").as_str(),
            "gmock_cook_book"
        );
        assert_eq!(
            Slug::from_file_name("Admin Studio").as_str(),
            "Admin-Studio"
        );
        assert_eq!(Slug::from_file_name("..").as_str(), "untitled");
        assert_eq!(Slug::from_file_name(".hidden").as_str(), "hidden");
        assert_eq!(Slug::from_file_name("a?b#c").as_str(), "a-b-c");
    }

    #[test]
    fn site_paths_are_built_from_slugs() {
        let agent = Slug::id("agent").unwrap();
        assert_eq!(
            SitePath::entity(Kind::Role, &agent).as_str(),
            "roles/agent/"
        );
        let core = Slug::id("core").unwrap();
        assert_eq!(
            SitePath::moment(&core, &agent).as_str(),
            "journey/core/agent/"
        );
        assert_eq!(SitePath::home().as_str(), "");
    }
}
