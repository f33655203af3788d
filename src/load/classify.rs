//! What a file under `content/` holds, decided by its path alone.

use crate::model::Kind;

/// What a file under `content/` is, decided by its path alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileRole {
    Entity(Kind),
    EntityList(Kind),
    Page,
    Asset,
    Ignored,
    MisplacedMoment,
}

/// Decides what a content-relative path (`roles/agent.md`) holds.
pub(crate) fn classify(path: &str) -> FileRole {
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
pub(crate) fn is_editor_noise(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with("__jb_")
        || name.contains("___jb_")
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
}
