//! Front matter exactly as authors write it. `resolve` turns these into
//! typed entities; nothing else reads them. Unknown fields are not rejected
//! by serde but found by `fields` beforehand, so that every one of them is
//! reported in one run and the entity still loads with the fields it knows.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::fields::field_names;
use crate::model::{Evidence, Kano, Sentiment};

/// A reference to another entity, with where it was written.
pub(crate) type Ref = Spanned<String>;

/// A map of fields an author writes: front matter, or an entry of a YAML list.
pub(crate) trait FrontMatter: DeserializeOwned + Default {
    /// Fields whose value is a list of maps with fields of their own, and
    /// those fields (a role's `behaviours`).
    fn nested() -> Vec<(&'static str, &'static [&'static str])> {
        Vec::new()
    }

    /// The `id:` field, for the kinds that can be written as a YAML list.
    fn id(&self) -> Option<&Ref> {
        None
    }

    /// The `title:` field.
    fn title(&self) -> Option<&str>;
}

macro_rules! front_matter_with_id {
    ($($fm:ty),*) => {$(
        impl FrontMatter for $fm {
            fn id(&self) -> Option<&Ref> {
                self.id.as_ref()
            }

            fn title(&self) -> Option<&str> {
                self.title.as_deref()
            }
        }
    )*};
}

front_matter_with_id!(StandardFm, MantraFm, MomentFm, StoryFm);
impl FrontMatter for StageFm {
    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

impl FrontMatter for PageFm {
    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

impl FrontMatter for RoleFm {
    fn nested() -> Vec<(&'static str, &'static [&'static str])> {
        vec![("behaviours", field_names::<BehaviourFm>())]
    }

    fn id(&self) -> Option<&Ref> {
        self.id.as_ref()
    }

    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

impl FrontMatter for PersonaFm {
    fn nested() -> Vec<(&'static str, &'static [&'static str])> {
        let claim = field_names::<ClaimFullFm>();
        vec![("loves", claim), ("hates", claim)]
    }

    fn id(&self) -> Option<&Ref> {
        self.id.as_ref()
    }

    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct StandardFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub statement: Option<String>,
    pub mantras: Vec<Ref>,
    pub moments: Vec<Ref>,
    pub personas: Vec<Ref>,
    pub measures: Vec<String>,
    pub kano: Option<Kano>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct MantraFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub meaning: Option<String>,
    pub standards: Vec<Ref>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct RoleFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub team: Option<String>,
    pub owns: Vec<Ref>,
    pub supports: Vec<Ref>,
    pub behaviours: Vec<Spanned<BehaviourFm>>,
    pub onboarding: Vec<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

/// What a role does for a standard: `do`, `dont`, or both.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BehaviourFm {
    pub standard: Ref,
    #[serde(rename = "do")]
    pub do_: Option<String>,
    pub dont: Option<String>,
    pub moment: Option<Ref>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct PersonaFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub name: Option<String>,
    pub quote: Option<String>,
    pub loves: Vec<Spanned<ClaimFm>>,
    pub hates: Vec<Spanned<ClaimFm>>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

/// A persona's love or hate: a bare string (an unverified assumption) or the long form.
#[derive(Debug, Clone)]
pub(crate) enum ClaimFm {
    Text(String),
    Full(ClaimFullFm),
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ClaimFullFm {
    pub text: String,
    #[serde(default)]
    pub moments: Vec<Ref>,
    pub evidence: Option<Evidence>,
    pub source: Option<String>,
}

impl<'de> Deserialize<'de> for ClaimFm {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClaimVisitor;
        impl<'de> serde::de::Visitor<'de> for ClaimVisitor {
            type Value = ClaimFm;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or a map with `text`, `moments`, `evidence` and `source`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ClaimFm, E> {
                Ok(ClaimFm::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<ClaimFm, A::Error> {
                ClaimFullFm::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ClaimFm::Full)
            }
        }
        deserializer.deserialize_any(ClaimVisitor)
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct StageFm {
    pub title: Option<String>,
    pub order: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct MomentFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub order: Option<i64>,
    pub moment_of_truth: bool,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct StoryFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub persona: Option<Ref>,
    pub moments: Vec<Ref>,
    pub standards: Vec<Ref>,
    pub sentiment: Option<Sentiment>,
    pub source: Option<String>,
    pub date: Option<Ref>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(crate) struct PageFm {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Order among sibling pages; `nav_order` (Jekyll) and `order` are the same.
    pub weight: Option<i64>,
    pub nav_order: Option<i64>,
    pub order: Option<i64>,
    pub date: Option<Ref>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub updated: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::fields::{Fields, Place, Unknown, parse_fields};

    fn read<T: FrontMatter>(yaml: &str) -> Fields<T> {
        let place = Place {
            file: "content/x.md",
            first_line: 2,
        };
        parse_fields(yaml, place, Unknown::Entity)
    }

    #[test]
    fn persona_claims_take_either_form() {
        let p = read::<PersonaFm>(
            "loves:\n  - Quick replies\n  - text: A named person\n    moments: [first-call]\n    evidence: verified\n    source: interviews\n",
        )
        .value;
        assert!(matches!(&p.loves[0].value, ClaimFm::Text(t) if t == "Quick replies"));
        let ClaimFm::Full(full) = &p.loves[1].value else {
            panic!("long form expected")
        };
        assert_eq!(full.moments[0].value, "first-call");
        assert_eq!(full.moments[0].referenced.line(), 4);
        assert_eq!(full.evidence, Some(Evidence::Verified));
    }

    #[test]
    fn unknown_fields_inside_behaviours_are_errors() {
        let role =
            read::<RoleFm>("behaviours:\n  - standard: s\n    do: a\n    dont: b\n    moemnt: m\n");
        assert_eq!(role.problems[0].code, "unknown-field");
        assert!(
            role.problems[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("`moment`")
        );
        assert_eq!(role.value.behaviours.len(), 1, "the behaviour still loads");
    }

    #[test]
    fn yes_is_not_a_boolean_in_yaml_1_2() {
        let yes = read::<MomentFm>("moment_of_truth: yes\n");
        assert_eq!(yes.problems[0].code, "invalid-value");
        assert!(
            read::<MomentFm>("moment_of_truth: true\n")
                .value
                .moment_of_truth
        );
    }
}
