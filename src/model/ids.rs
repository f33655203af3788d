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
        match self {
            Kind::Standard => "standard",
            Kind::Mantra => "mantra",
            Kind::Role => "role",
            Kind::Persona => "persona",
            Kind::Stage => "stage",
            Kind::Moment => "moment",
            Kind::Story => "story",
            Kind::Page => "page",
        }
    }

    /// The content folder (and URL section) of the kind.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            Kind::Standard => "standards",
            Kind::Mantra => "mantras",
            Kind::Role => "roles",
            Kind::Persona => "personas",
            Kind::Stage | Kind::Moment => "journey",
            Kind::Story => "stories",
            Kind::Page => "",
        }
    }

    /// Kinds written as `content/<folder>/<id>.md` or `content/<folder>.yaml`.
    pub(crate) fn from_folder(folder: &str) -> Option<Kind> {
        Some(match folder {
            "standards" => Kind::Standard,
            "mantras" => Kind::Mantra,
            "roles" => Kind::Role,
            "personas" => Kind::Persona,
            "stories" => Kind::Story,
            _ => return None,
        })
    }

    /// The kind named in a `[[kind/id]]` link: folder or singular name.
    pub(crate) fn from_link_prefix(prefix: &str) -> Option<Kind> {
        Kind::from_folder(prefix).or(match prefix {
            "standard" => Some(Kind::Standard),
            "mantra" => Some(Kind::Mantra),
            "role" => Some(Kind::Role),
            "persona" => Some(Kind::Persona),
            "story" => Some(Kind::Story),
            "moment" | "moments" | "journey" => Some(Kind::Moment),
            "stage" | "stages" => Some(Kind::Stage),
            "page" | "pages" => Some(Kind::Page),
            _ => None,
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
