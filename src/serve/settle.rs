//! When a save is over. Editors save in several steps (vim renames the file
//! to a backup and writes a new one; JetBrains and `sed -i` rename a copy over
//! it; VS Code writes in chunks), and a build between two steps would see a
//! missing or half-written file. Waiting a fixed window after every event
//! adds that whole window to every save, so instead each changed path is
//! followed through its events: a file written and closed in place, or a
//! file renamed into place, is done at once; a file still open for writing,
//! or moved away to a backup, is not done until it comes back (or the window
//! runs out).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};

/// How long to wait for more events once every path of a save is done:
/// the next step of the same save, if any, follows within microseconds.
pub(super) const QUIET: Duration = Duration::from_millis(3);
/// The same, when a file was created or deleted: a new file may be an
/// editor's copy about to be renamed over the real one, a deleted one about
/// to be written again.
pub(super) const QUIET_AFTER_CREATE: Duration = Duration::from_millis(20);
/// The longest wait for a file an editor moved to its backup name (vim,
/// JetBrains) to be written again. Such a file comes back within
/// microseconds unless the machine is busy; building without it would show
/// a missing-page error for one save, so it may outlast the usual window.
pub(super) const BACKUP_RETURN: Duration = Duration::from_millis(500);

/// Where one path stands within a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Written in place and closed, or renamed into place.
    Done,
    /// Created anew and closed, or deleted: most likely done.
    Probably,
    /// Open for writing, or moved away out of the site (or not yet back).
    Pending,
    /// Moved to an editor's backup name: it will be written again.
    Backup,
}

/// The events of one save, gathered until it is over.
#[derive(Default)]
pub(super) struct Save {
    paths: HashMap<PathBuf, (State, bool)>,
    /// The watcher lost events: the build must look at everything.
    pub(super) rescan: bool,
}

impl Save {
    /// Takes one event in; `relevant` tells the site's files from editor
    /// noise and the output folder.
    pub(super) fn add(&mut self, event: &notify::Event, relevant: impl Fn(&Path) -> bool) {
        self.rescan |= event.need_rescan();
        if let EventKind::Modify(ModifyKind::Name(RenameMode::Both)) = event.kind {
            // A rename within the site: the old name was moved away for good,
            // unless it went to a backup (the editor will write it again).
            if let [from, to] = event.paths.as_slice()
                && relevant(from)
            {
                if relevant(to) && self.created(from) {
                    // A copy the editor wrote and renamed over the file (`sed -i`):
                    // it never was part of the site.
                    self.paths.remove(from);
                    return;
                }
                let state = if relevant(to) {
                    State::Done
                } else {
                    State::Backup
                };
                self.set(from, state);
            }
            return;
        }
        for path in event.paths.iter().filter(|p| relevant(p)) {
            let state = match event.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                    if self.created(path) {
                        State::Probably
                    } else {
                        State::Done
                    }
                }
                EventKind::Access(_) => continue,
                EventKind::Create(CreateKind::Folder) => State::Done,
                EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_)) => State::Pending,
                EventKind::Modify(ModifyKind::Name(RenameMode::From)) => State::Pending,
                EventKind::Modify(ModifyKind::Name(_)) => State::Done,
                EventKind::Remove(_) => State::Probably,
                _ => self.state(path).unwrap_or(State::Done),
            };
            let created = matches!(event.kind, EventKind::Create(_));
            self.paths.entry(path.clone()).or_insert((state, created)).0 = state;
        }
    }

    fn set(&mut self, path: &Path, state: State) {
        self.paths
            .entry(path.to_path_buf())
            .or_insert((state, false))
            .0 = state;
    }

    fn state(&self, path: &Path) -> Option<State> {
        self.paths.get(path).map(|(state, _)| *state)
    }

    /// Whether the path's first event in this save created it.
    fn created(&self, path: &Path) -> bool {
        self.paths.get(path).is_some_and(|(_, created)| *created)
    }

    /// How long to wait for another event before building: `None` while a
    /// path is pending (wait for the rest of the window).
    pub(super) fn quiet_for(&self) -> Option<Duration> {
        let states = || self.paths.values().map(|(state, _)| *state);
        if states().any(|s| matches!(s, State::Pending | State::Backup)) {
            None
        } else if states().any(|s| s == State::Probably) {
            Some(QUIET_AFTER_CREATE)
        } else {
            Some(QUIET)
        }
    }

    /// Whether a file moved to a backup name has not come back yet.
    pub(super) fn awaits_backup(&self) -> bool {
        self.paths
            .values()
            .any(|(state, _)| *state == State::Backup)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Every path the save touched.
    pub(super) fn into_paths(self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.paths.into_keys().collect();
        paths.sort();
        paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Event {
        let mut event = notify::Event::new(kind);
        for path in paths {
            event = event.add_path(PathBuf::from(path));
        }
        event
    }

    fn relevant(path: &Path) -> bool {
        let name = path.file_name().unwrap().to_string_lossy();
        !crate::load::is_editor_noise(&name)
    }

    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const DATA: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CREATE: EventKind = EventKind::Create(CreateKind::File);
    const FROM: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::From));
    const TO: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::To));
    const BOTH: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));

    fn after(events: &[(EventKind, &[&str])]) -> Option<Duration> {
        let mut save = Save::default();
        for (kind, paths) in events {
            save.add(&event(*kind, paths), relevant);
        }
        save.quiet_for()
    }

    #[test]
    fn a_write_in_place_is_done_when_the_file_is_closed() {
        assert_eq!(after(&[(DATA, &["/c/a.md"])]), None);
        assert_eq!(
            after(&[
                (DATA, &["/c/a.md"]),
                (DATA, &["/c/a.md"]),
                (CLOSE, &["/c/a.md"])
            ]),
            Some(QUIET)
        );
    }

    #[test]
    fn vim_moving_the_file_to_a_backup_waits_for_the_new_file() {
        let away = [
            (FROM, &["/c/a.md"][..]),
            (TO, &["/c/a.md~"]),
            (BOTH, &["/c/a.md", "/c/a.md~"]),
        ];
        assert_eq!(after(&away), None, "the file is gone for a moment");
        let mut moved = Save::default();
        for (kind, paths) in &away {
            moved.add(&event(*kind, paths), relevant);
        }
        assert!(moved.awaits_backup(), "its backup name says it comes back");
        let mut saved = away.to_vec();
        saved.extend([
            (CREATE, &["/c/a.md"][..]),
            (DATA, &["/c/a.md"]),
            (CLOSE, &["/c/a.md"]),
            (EventKind::Remove(RemoveKind::File), &["/c/a.md~"]),
        ]);
        assert_eq!(
            after(&saved),
            Some(QUIET),
            "written again under a name it had"
        );
        let mut back = Save::default();
        for (kind, paths) in &saved {
            back.add(&event(*kind, paths), relevant);
        }
        assert!(!back.awaits_backup());
    }

    #[test]
    fn a_copy_renamed_over_the_file_is_done_at_the_rename() {
        let jetbrains = [
            (CREATE, &["/c/a.md___jb_tmp___"][..]),
            (CLOSE, &["/c/a.md___jb_tmp___"]),
            (FROM, &["/c/a.md"]),
            (BOTH, &["/c/a.md", "/c/a.md___jb_old___"]),
        ];
        assert_eq!(after(&jetbrains), None);
        let mut saved = jetbrains.to_vec();
        saved.extend([
            (TO, &["/c/a.md"][..]),
            (BOTH, &["/c/a.md___jb_tmp___", "/c/a.md"]),
        ]);
        assert_eq!(after(&saved), Some(QUIET));
        let sed = [
            (CREATE, &["/c/sedX1b2"][..]),
            (CLOSE, &["/c/sedX1b2"]),
            (TO, &["/c/a.md"]),
            (BOTH, &["/c/sedX1b2", "/c/a.md"]),
        ];
        assert_eq!(after(&sed), Some(QUIET), "sed -i: its copy is gone");
        let mut save = Save::default();
        for (kind, paths) in sed {
            save.add(&event(kind, paths), relevant);
        }
        assert_eq!(
            save.into_paths(),
            [PathBuf::from("/c/a.md")],
            "only the saved file is named"
        );
    }

    #[test]
    fn a_file_moved_out_of_the_site_waits_only_the_usual_window() {
        let mut save = Save::default();
        save.add(&event(FROM, &["/c/a.md"]), relevant);
        assert_eq!(save.quiet_for(), None, "it may still come back");
        assert!(!save.awaits_backup(), "but nothing says it will");
    }

    #[test]
    fn new_and_deleted_files_wait_a_little_longer_and_renames_do_not() {
        let new = [(CREATE, &["/c/b.md"][..]), (CLOSE, &["/c/b.md"])];
        assert_eq!(after(&new), Some(QUIET_AFTER_CREATE));
        let deleted = [(EventKind::Remove(RemoveKind::File), &["/c/b.md"][..])];
        assert_eq!(after(&deleted), Some(QUIET_AFTER_CREATE));
        let renamed = [
            (FROM, &["/c/b.md"][..]),
            (TO, &["/c/c.md"]),
            (BOTH, &["/c/b.md", "/c/c.md"]),
        ];
        assert_eq!(after(&renamed), Some(QUIET));
    }
}
