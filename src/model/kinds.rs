//! One table per content kind: everything Touchstone says about a kind
//! that is not its typed struct (its name, folder, page template, section,
//! search weight) lives in `KindInfo` (what a reader sees it called is in
//! the translation tables, `kind_<name>`), one row per kind in `Kind::ALL`
//! order, so the places that loop over kinds read the table instead of
//! spelling the kinds out. The recipe for a new kind is in `README.md`
//! beside this file.

use super::Kind;

/// What the site says about one kind.
#[derive(Debug)]
pub(crate) struct KindInfo {
    /// Singular, lower case: `standard` (diagnostics, `[[standard/id]]`).
    pub(crate) name: &'static str,
    /// Plural, lower case: `standards` (counts on the home page).
    pub(crate) plural: &'static str,
    /// The content folder and URL section: `standards` (`journey` for
    /// stages and moments, empty for plain pages).
    pub(crate) folder: &'static str,
    /// The template of its own page.
    pub(crate) template: &'static str,
    /// The navigation section its pages belong to (empty: none).
    pub(crate) section: &'static str,
    /// Whether it has a generated list page at `<folder>/`.
    pub(crate) listed: bool,
    /// Whether the home page counts it, linking to its section (a stage
    /// is not counted: the journey's count is its moments).
    pub(crate) counted: bool,
    /// Its number in the search index's postings and `search.js`'s kind
    /// order: kept as it is, so indexes stay the same from one version to
    /// the next.
    pub(crate) search_code: u8,
    /// How much its search matches count, in tenths: what people act on
    /// (standards, roles, moments) ranks above the stories that illustrate them.
    pub(crate) search_prior: u32,
}

/// The rows of the table, in `Kind::ALL` order.
const TABLE: [KindInfo; 8] = [
    KindInfo {
        name: "standard",
        plural: "standards",
        folder: "standards",
        template: "standard.html",
        section: "standards",
        listed: true,
        counted: true,
        search_code: 0,
        search_prior: 12,
    },
    KindInfo {
        name: "mantra",
        plural: "mantras",
        folder: "mantras",
        template: "mantra.html",
        section: "mantras",
        listed: true,
        counted: true,
        search_code: 1,
        search_prior: 11,
    },
    KindInfo {
        name: "role",
        plural: "roles",
        folder: "roles",
        template: "role.html",
        section: "roles",
        listed: true,
        counted: true,
        search_code: 2,
        search_prior: 12,
    },
    KindInfo {
        name: "persona",
        plural: "personas",
        folder: "personas",
        template: "persona.html",
        section: "personas",
        listed: true,
        counted: true,
        search_code: 3,
        search_prior: 10,
    },
    KindInfo {
        name: "stage",
        plural: "stages",
        folder: "journey",
        template: "stage.html",
        section: "journey",
        listed: false,
        counted: false,
        search_code: 7,
        search_prior: 10,
    },
    KindInfo {
        name: "moment",
        plural: "moments",
        folder: "journey",
        template: "moment.html",
        section: "journey",
        listed: false,
        counted: true,
        search_code: 4,
        search_prior: 11,
    },
    KindInfo {
        name: "story",
        plural: "stories",
        folder: "stories",
        template: "story.html",
        section: "stories",
        listed: true,
        counted: true,
        search_code: 5,
        search_prior: 8,
    },
    KindInfo {
        name: "page",
        plural: "pages",
        folder: "",
        template: "page.html",
        section: "",
        listed: false,
        counted: false,
        search_code: 6,
        search_prior: 10,
    },
];

impl Kind {
    /// Every kind, in navigation order (the order of the enum).
    pub(crate) const ALL: [Kind; 8] = [
        Kind::Standard,
        Kind::Mantra,
        Kind::Role,
        Kind::Persona,
        Kind::Stage,
        Kind::Moment,
        Kind::Story,
        Kind::Page,
    ];

    /// The kind's row of the table.
    pub(crate) fn info(self) -> &'static KindInfo {
        &TABLE[self as usize]
    }

    /// Kinds by their search code (`KindInfo::search_code`): the kind of a
    /// posting in the search index.
    pub(crate) const BY_SEARCH_CODE: [Kind; 8] = {
        let mut kinds = [Kind::Page; 8];
        let mut i = 0;
        while i < TABLE.len() {
            kinds[TABLE[i].search_code as usize] = Kind::ALL[i];
            i += 1;
        }
        kinds
    };

    /// Kinds with a generated list page (`<folder>/`).
    pub(crate) fn listed() -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(|k| k.info().listed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_kind_in_order() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}: ALL follows the enum");
            assert_eq!(kind.info().name, format!("{kind:?}").to_lowercase());
        }
        for (code, kind) in Kind::BY_SEARCH_CODE.iter().enumerate() {
            assert_eq!(
                kind.info().search_code as usize,
                code,
                "search codes are 0..8, once each"
            );
        }
    }
}
