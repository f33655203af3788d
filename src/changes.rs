//! The change log: what was added, changed and removed in the playbook,
//! newest first, from git history and the `updated:` dates authors write.
//!
//! Each commit that touched content becomes a `ChangeSet` with its subject;
//! each file it added, modified or deleted becomes a `Change` of the entity
//! (or page) the file holds. Removed entities come from files a commit
//! deleted, titled by their last front matter. A YAML list file holds many
//! entities and git tells only that the file changed, so its changes are
//! one change of "the list". An `updated:` date no commit of that day
//! explains becomes a change of its own, without a subject: a site built
//! without git (or outside a repository) still has a change log.
//!
//! The log is computed once per build, in one pass over the commits.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::history::{History, Status};
use crate::load::{FileRole, classify};
use crate::model::{Date, EntityKey, Kind, Site};

/// The whole change log, newest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChangeLog {
    pub sets: Vec<ChangeSet>,
    /// When each entity last changed: its `updated:` date, else its file's
    /// last commit.
    last_updated: HashMap<EntityKey, Date>,
}

/// Changes made together: one commit, or the `updated:` dates of one day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ChangeSet {
    /// A stable id: the commit hash, or `updated-<date>`.
    pub id: String,
    pub date: Date,
    /// Seconds since 1970, for ordering.
    pub timestamp: i64,
    /// RFC 3339; midnight UTC for `updated:` dates.
    pub time: String,
    /// The commit subject; empty for `updated:` dates.
    pub subject: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Change {
    pub what: What,
    pub subject: Subject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum What {
    Added,
    Changed,
    Removed,
}

impl What {
    pub(crate) fn name(self) -> &'static str {
        match self {
            What::Added => "added",
            What::Changed => "changed",
            What::Removed => "removed",
        }
    }
}

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Subject {
    /// An entity or page of the site as it is now.
    Entity(EntityKey),
    /// One that is no longer in the site, with the title it had.
    Gone {
        kind: Kind,
        id: String,
        title: String,
    },
    /// A YAML list file of entities of one kind (`content/mantras.yaml`);
    /// `path` is the site path of the page listing them.
    List {
        kind: Kind,
        file: String,
        path: String,
    },
}

impl Subject {
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Subject::Entity(key) => key.kind,
            Subject::Gone { kind, .. } | Subject::List { kind, .. } => *kind,
        }
    }
}

impl ChangeLog {
    /// The change log of `site` from its history and the `updated:` dates
    /// its authors wrote (which win over git's for "last updated").
    pub(crate) fn build(history: &History, site: &Site, content_prefix: &str) -> ChangeLog {
        // Keys are made only for the entities a date is known for.
        let updated: Vec<(EntityKey, Date)> = site
            .metas()
            .filter_map(|(kind, id, meta)| {
                let date = meta.updated?;
                Some((EntityKey::new(kind, id), date))
            })
            .collect();
        let mut sets = commit_sets(history, site, content_prefix);
        sets.extend(declared_updates(&sets, &updated));
        // Newest first (a stable sort keeps git's order where times tie).
        sets.sort_by_key(|set| std::cmp::Reverse(set.timestamp));
        let mut last_updated: HashMap<EntityKey, Date> = site
            .metas()
            .filter_map(|(kind, id, meta)| {
                let changed = history.last_changed.get(&meta.file)?;
                Some((EntityKey::new(kind, id), *changed))
            })
            .collect();
        last_updated.extend(updated);
        ChangeLog { sets, last_updated }
    }

    /// When an entity last changed, if anything says.
    pub(crate) fn last_updated(&self, key: &EntityKey) -> Option<Date> {
        self.last_updated.get(key).copied()
    }

    /// A fingerprint of everything the log shows, for the page memo.
    pub(crate) fn fingerprint(&self) -> u64 {
        crate::fingerprint::fingerprint(&self.sets)
    }

    /// The newest changes one by one, each entity once (its newest change).
    pub(crate) fn latest(&self, count: usize) -> Vec<(&ChangeSet, &Change)> {
        let mut seen = HashSet::new();
        self.sets
            .iter()
            .flat_map(|set| set.changes.iter().map(move |c| (set, c)))
            .filter(|(_, c)| seen.insert(&c.subject))
            .take(count)
            .collect()
    }
}

/// What the files of the history hold, as far as the site knows them.
struct Files<'a> {
    prefix: &'a str,
    /// The entities each source file holds now.
    current: HashMap<&'a str, Vec<EntityKey>>,
    /// Paths whose newest commit deleted them.
    deleted: HashSet<&'a str>,
    deleted_titles: &'a HashMap<String, String>,
    site: &'a Site,
}

impl<'a> Files<'a> {
    fn of(site: &'a Site, history: &'a History, prefix: &'a str) -> Files<'a> {
        let mut current: HashMap<&str, Vec<EntityKey>> = HashMap::new();
        for (key, meta) in site.all_metas() {
            current.entry(meta.file.as_str()).or_default().push(key);
        }
        let mut newest: HashMap<&str, Status> = HashMap::new();
        for file in history.commits.iter().flat_map(|c| &c.files) {
            newest.entry(file.path.as_str()).or_insert(file.status);
        }
        Files {
            prefix,
            current,
            deleted: newest
                .into_iter()
                .filter(|(_, status)| *status == Status::Deleted)
                .map(|(path, _)| path)
                .collect(),
            deleted_titles: &history.deleted_titles,
            site,
        }
    }

    /// The change a commit made to the file at `path`, if the file holds
    /// playbook content that is in the site or was removed from it (a draft,
    /// an asset or a file outside `content/` is no change of the playbook).
    fn change(&self, status: Status, path: &str) -> Option<Change> {
        let rel = path.strip_prefix(self.prefix)?;
        let gone = self.deleted.contains(path);
        let subject = match classify(rel) {
            FileRole::EntityList(kind) => Subject::List {
                kind,
                file: rel.to_string(),
                path: self.list_page(kind, rel),
            },
            FileRole::Entity(_) | FileRole::Page if !gone => {
                match self.current.get(path)?.as_slice() {
                    [key] => Subject::Entity(key.clone()),
                    _ => return None,
                }
            }
            FileRole::Entity(kind) => self.gone(status, kind, rel, path, entity_id(rel)),
            FileRole::Page => self.gone(status, Kind::Page, rel, path, page_id(rel)),
            _ => return None,
        };
        let what = match status {
            Status::Added => What::Added,
            Status::Modified => What::Changed,
            Status::Deleted => What::Removed,
        };
        Some(Change { what, subject })
    }

    /// A file that is gone now. What it held may live on elsewhere (a moment
    /// moved to another stage): its earlier changes are changes of that
    /// entity, but its deletion is told as it happened.
    fn gone(&self, status: Status, kind: Kind, rel: &str, path: &str, id: String) -> Subject {
        let key = EntityKey::new(kind, id.as_str());
        if status != Status::Deleted && self.site.meta_of(&key).is_some() {
            return Subject::Entity(key);
        }
        let title = self.deleted_titles.get(path).cloned().unwrap_or_else(|| {
            let stem = rel.rsplit('/').next().unwrap_or(rel);
            crate::resolve::humanize(stem.trim_end_matches(".md"))
        });
        Subject::Gone { kind, id, title }
    }

    /// The page that lists a YAML list's entities: a stage for its
    /// `moments.yaml` (while the stage exists), else the kind's list.
    fn list_page(&self, kind: Kind, rel: &str) -> String {
        let stage = rel
            .strip_prefix("journey/")
            .and_then(|r| r.split('/').next());
        match stage {
            Some(stage) if self.site.stages.contains_key(stage) => format!("journey/{stage}/"),
            _ => format!("{}/", kind.folder()),
        }
    }
}

/// The id a Markdown entity file gives its entity: its stem; a stage's
/// `_index.md` gives its folder.
fn entity_id(rel: &str) -> String {
    let mut parts = rel.trim_end_matches(".md").rsplit('/');
    match parts.next() {
        Some("_index" | "index") => parts.next().unwrap_or_default().to_string(),
        stem => stem.unwrap_or_default().to_string(),
    }
}

/// A plain page's id: its path without the extension and an index name.
fn page_id(rel: &str) -> String {
    let stem = rel.trim_end_matches(".md").trim_end_matches(".markdown");
    let stem = stem
        .strip_suffix("_index")
        .or_else(|| stem.strip_suffix("index"))
        .filter(|s| s.is_empty() || s.ends_with('/'))
        .unwrap_or(stem);
    stem.trim_end_matches('/').to_string()
}

/// A file moved in one commit (a moment to another stage) reads as deleted
/// and added: it is one change of the entity. Each subject is told once.
fn merge_moves(changes: Vec<Change>) -> Vec<Change> {
    let present: HashSet<&EntityKey> = changes
        .iter()
        .filter_map(|c| match &c.subject {
            Subject::Entity(key) => Some(key),
            _ => None,
        })
        .collect();
    let moved: HashSet<EntityKey> = changes
        .iter()
        .filter_map(|c| match &c.subject {
            Subject::Gone { kind, id, .. } => {
                Some(EntityKey::new(*kind, id.as_str())).filter(|k| present.contains(k))
            }
            _ => None,
        })
        .collect();
    let mut seen = HashSet::new();
    changes
        .into_iter()
        .filter_map(|change| match &change.subject {
            Subject::Gone { kind, id, .. }
                if moved.contains(&EntityKey::new(*kind, id.as_str())) =>
            {
                None
            }
            Subject::Entity(key) if moved.contains(key) => {
                let subject = change.subject.clone();
                seen.insert(subject.clone()).then_some(Change {
                    what: What::Changed,
                    subject,
                })
            }
            _ => seen.insert(change.subject.clone()).then_some(change),
        })
        .collect()
}

/// The change set of each commit that changed the playbook, in git's
/// order: none, and no look-up of the site's files, without history.
fn commit_sets(history: &History, site: &Site, content_prefix: &str) -> Vec<ChangeSet> {
    if history.commits.is_empty() {
        return Vec::new();
    }
    let files = Files::of(site, history, content_prefix);
    history
        .commits
        .iter()
        .filter_map(|commit| {
            let mut changes = merge_moves(
                commit
                    .files
                    .iter()
                    .filter_map(|f| files.change(f.status, &f.path))
                    .collect(),
            );
            // Standards first, guides last, as the navigation orders kinds.
            changes.sort_by_key(|c| c.subject.kind());
            (!changes.is_empty()).then(|| ChangeSet {
                id: commit.hash.clone(),
                date: commit.date,
                timestamp: commit.timestamp,
                time: commit.time.clone(),
                subject: commit.subject.clone(),
                changes,
            })
        })
        .collect()
}

/// The `updated:` dates no commit of the same day explains, as one change
/// set per day.
fn declared_updates(sets: &[ChangeSet], updated: &[(EntityKey, Date)]) -> Vec<ChangeSet> {
    let explained: HashSet<(Date, &EntityKey)> = sets
        .iter()
        .flat_map(|set| {
            set.changes.iter().filter_map(move |c| match &c.subject {
                Subject::Entity(key) => Some((set.date, key)),
                _ => None,
            })
        })
        .collect();
    let mut by_day: BTreeMap<Date, Vec<Change>> = BTreeMap::new();
    for (key, date) in updated {
        if !explained.contains(&(*date, key)) {
            by_day.entry(*date).or_default().push(Change {
                what: What::Changed,
                subject: Subject::Entity(key.clone()),
            });
        }
    }
    by_day
        .into_iter()
        .map(|(date, mut changes)| {
            changes.sort_by(|a, b| a.subject.cmp(&b.subject));
            ChangeSet {
                id: format!("updated-{date}"),
                date,
                timestamp: midnight(date),
                time: format!("{date}T00:00:00Z"),
                subject: String::new(),
                changes,
            }
        })
        .collect()
}

/// The start of a day (UTC) in seconds since 1970 (Howard Hinnant's
/// days-from-civil).
fn midnight(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let year = i64::from(date.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_and_entity_ids_follow_their_files() {
        assert_eq!(entity_id("standards/plain-words.md"), "plain-words");
        assert_eq!(entity_id("journey/core/_index.md"), "core");
        assert_eq!(page_id("guides/onboarding.md"), "guides/onboarding");
        assert_eq!(page_id("guides/_index.md"), "guides");
        assert_eq!(page_id("index.md"), "");
        assert_eq!(page_id("guides/reindex.md"), "guides/reindex");
    }

    #[test]
    fn midnight_counts_days_since_1970() {
        assert_eq!(midnight(Date::parse("1970-01-01").unwrap()), 0);
        assert_eq!(midnight(Date::parse("2026-03-01").unwrap()), 1_772_323_200);
    }

    #[test]
    fn a_moved_file_is_one_change_of_its_entity() {
        let key = EntityKey::new(Kind::Moment, "delivery");
        let changes = vec![
            Change {
                what: What::Removed,
                subject: Subject::Gone {
                    kind: Kind::Moment,
                    id: "delivery".into(),
                    title: "Delivery".into(),
                },
            },
            Change {
                what: What::Added,
                subject: Subject::Entity(key.clone()),
            },
        ];
        assert_eq!(
            merge_moves(changes),
            vec![Change {
                what: What::Changed,
                subject: Subject::Entity(key)
            }]
        );
    }

    #[test]
    fn an_updated_date_a_commit_of_that_day_explains_is_not_told_twice() {
        let a = EntityKey::new(Kind::Standard, "a");
        let b = EntityKey::new(Kind::Standard, "b");
        let day = Date::parse("2026-03-01").unwrap();
        let commit = ChangeSet {
            id: "abc".into(),
            date: day,
            timestamp: 0,
            time: "2026-03-01T10:00:00Z".into(),
            subject: "Tighten a".into(),
            changes: vec![Change {
                what: What::Changed,
                subject: Subject::Entity(a.clone()),
            }],
        };
        let extra = declared_updates(&[commit], &[(a, day), (b.clone(), day)]);
        assert_eq!(extra.len(), 1);
        assert_eq!(extra[0].id, "updated-2026-03-01");
        assert_eq!(extra[0].changes[0].subject, Subject::Entity(b));
    }

    #[test]
    fn a_log_holds_the_commits_that_changed_pages_and_the_dates_authors_wrote() {
        use crate::history::{Commit, FileChange};
        let mut site = Site::default();
        for (id, title, updated) in [
            ("a", "A", None),
            ("b", "B", Some("2026-03-02")),
            ("c", "C", None),
        ] {
            let (key, mut page) = crate::model::test_page("guides", id, title);
            page.meta.updated = updated.map(|d| Date::parse(d).unwrap());
            site.pages.insert(key, page);
        }
        let day = Date::parse("2026-03-01").unwrap();
        let commit = |hash: &str, timestamp: i64, path: &str| Commit {
            hash: hash.into(),
            timestamp,
            time: String::new(),
            date: day,
            subject: format!("Edit {path}"),
            files: vec![FileChange {
                status: Status::Modified,
                path: path.into(),
            }],
        };
        let history = History {
            commits: vec![
                commit("new", 20, "content/guides/a.md"),
                commit("outside", 15, "README.md"),
                commit("old", 10, "content/guides/c.md"),
            ],
            deleted_titles: HashMap::new(),
            last_changed: HashMap::from([("content/guides/a.md".to_string(), day)]),
        };
        let page = |id: &str| EntityKey::new(Kind::Page, format!("guides/{id}"));
        let log = ChangeLog::build(&history, &site, "content/");
        let sets: Vec<(&str, Vec<&Subject>)> = log
            .sets
            .iter()
            .map(|set| {
                (
                    set.id.as_str(),
                    set.changes.iter().map(|c| &c.subject).collect(),
                )
            })
            .collect();
        let (a, b, c) = (
            Subject::Entity(page("a")),
            Subject::Entity(page("b")),
            Subject::Entity(page("c")),
        );
        // The declared date is its day's change, newest first (its set's
        // time is that day's midnight, after both commits' times).
        assert_eq!(
            sets,
            [
                ("updated-2026-03-02", vec![&b]),
                ("new", vec![&a]),
                ("old", vec![&c])
            ]
        );
        assert_eq!(log.last_updated(&page("a")), Some(day));
        assert_eq!(log.last_updated(&page("b")), Date::parse("2026-03-02"));
        assert_eq!(log.last_updated(&page("c")), None, "git gave it no date");

        let no_history = History {
            commits: Vec::new(),
            deleted_titles: HashMap::new(),
            last_changed: HashMap::new(),
        };
        let log = ChangeLog::build(&no_history, &site, "content/");
        assert_eq!(log.sets.len(), 1, "the written date alone");
        assert_eq!(log.last_updated(&page("b")), Date::parse("2026-03-02"));
        assert_eq!(log.last_updated(&page("a")), None);
    }
}
