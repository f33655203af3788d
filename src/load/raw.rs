//! Front matter exactly as authors write it (serde, unknown fields rejected).
//! `resolve` turns these into typed entities; nothing else reads them.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::{Evidence, Kano, Sentiment};

/// A reference to another entity, with where it was written.
pub(crate) type Ref = Spanned<String>;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
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
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct MantraFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub meaning: Option<String>,
    pub standards: Vec<Ref>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
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
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BehaviourFm {
    pub standard: Ref,
    #[serde(rename = "do")]
    pub do_: String,
    pub dont: String,
    pub moment: Option<Ref>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
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
    pub extra: Option<serde_json::Value>,
}

/// A persona's love or hate: a bare string (an unverified assumption) or the long form.
#[derive(Debug, Clone)]
pub(crate) enum ClaimFm {
    Text(String),
    Full(ClaimFullFm),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields, default)]
pub(crate) struct StageFm {
    pub title: Option<String>,
    pub order: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct MomentFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub order: Option<i64>,
    pub moment_of_truth: bool,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct StoryFm {
    pub id: Option<Ref>,
    pub title: Option<String>,
    pub persona: Option<Ref>,
    pub moments: Vec<Ref>,
    pub standards: Vec<Ref>,
    pub sentiment: Option<Sentiment>,
    pub source: Option<String>,
    pub date: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct PageFm {
    pub title: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub review_by: Option<Ref>,
    pub extra: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::parse_yaml;

    #[test]
    fn persona_claims_take_either_form() {
        let p: PersonaFm = parse_yaml(
            "loves:\n  - Quick replies\n  - text: A named person\n    moments: [first-call]\n    evidence: verified\n    source: interviews\n",
            "p.md",
            2,
        )
        .unwrap();
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
        let err = parse_yaml::<RoleFm>(
            "behaviours:\n  - standard: s\n    do: a\n    dont: b\n    moemnt: m\n",
            "r.md",
            2,
        )
        .unwrap_err();
        assert_eq!(err.code, "unknown-field");
        assert!(err.hint.unwrap().contains("`moment`"));
    }

    #[test]
    fn yes_is_not_a_boolean_in_yaml_1_2() {
        assert!(parse_yaml::<MomentFm>("moment_of_truth: yes\n", "m.md", 2).is_err());
        let m: MomentFm = parse_yaml("moment_of_truth: true\n", "m.md", 2).unwrap();
        assert!(m.moment_of_truth);
    }
}
