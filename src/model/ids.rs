//! Typed ids: a `RoleId` can never be passed where a `MomentId` is expected.

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
