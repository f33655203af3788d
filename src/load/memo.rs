//! The load memo: parsed files of the previous load, by path, with the stamp
//! (size, modification time) they were read at, so a rebuild reads and
//! parses only the files that changed, and can tell an edit that touched
//! nothing but a Markdown body.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::parse::{FileResult, parse_file};
use super::walk::{is_hidden, relative, skip_reason, unnamed, unnamed_part, walk};
use super::{RawSite, Settings};
use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// Parsed files of the previous load, in walk order, with the size and
/// modification time they had: a file whose stamp is unchanged is not read or
/// parsed again. With a hint from the watcher, only the hinted paths are
/// looked at; without one, the whole folder is walked.
#[derive(Default)]
pub(crate) struct LoadMemo {
    /// The content folder the files were read from, and how.
    dir: PathBuf,
    settings: Settings,
    files: BTreeMap<WalkOrder, Entry>,
    /// What the walk did not read and says why (links, hidden content,
    /// unreadable folders), by path.
    skipped: BTreeMap<WalkOrder, Diagnostic>,
    /// Paths hinted since the last refresh; `None`: walk everything.
    hint: Option<Vec<PathBuf>>,
    /// The watcher lost track: the next refresh walks, whatever the hints.
    rescan: bool,
}

struct Entry {
    stamp: Stamp,
    /// What the file gave; its frame is, for a Markdown file that parsed
    /// cleanly, a fingerprint of everything but its body, so an edit that
    /// only touched the body can be told apart.
    result: Arc<FileResult>,
}

impl Entry {
    fn frame(&self) -> Option<u64> {
        self.result.frame
    }
}

/// What one refresh of the memo found.
#[derive(Debug, Default)]
pub(crate) struct Refresh {
    /// Changed, added and removed files, relative to `content/`.
    pub changed: Vec<String>,
    /// Every change was to the body of a Markdown file that parsed before and after.
    pub bodies_only: bool,
    /// Something outside `content/` may have changed too (book.toml, templates).
    pub beyond_content: bool,
}

impl LoadMemo {
    /// Paths the watcher saw change: the next refresh looks at these alone.
    /// Hints add up until a refresh takes them, so a build that failed
    /// before loading (a broken book.toml) loses none.
    pub(crate) fn hint(&mut self, paths: Vec<PathBuf>) {
        self.hint.get_or_insert_with(Vec::new).extend(paths);
    }

    /// The next refresh walks the whole folder, whatever it was hinted.
    pub(crate) fn rescan(&mut self) {
        self.rescan = true;
    }

    /// A fingerprint of each loaded file's stamp, by path relative to the root.
    pub(crate) fn stamps(&self, content_prefix: &str) -> HashMap<String, u64> {
        self.files
            .iter()
            .map(|(path, entry)| {
                (
                    format!("{content_prefix}{}", path.0),
                    crate::fingerprint::fingerprint(&entry.stamp),
                )
            })
            .collect()
    }

    /// The stamp fingerprint of one file (relative to `content/`), as `stamps` gives it.
    pub(crate) fn stamp_of(&self, path: &str) -> Option<u64> {
        let entry = self.files.get(&WalkOrder(path.to_string()))?;
        Some(crate::fingerprint::fingerprint(&entry.stamp))
    }

    /// The body of the Markdown file at `path` (relative to `content/`).
    pub(crate) fn body_of(&self, path: &str) -> Option<&str> {
        let (body, _) = self
            .files
            .get(&WalkOrder(path.to_string()))?
            .result
            .parsed
            .body()?;
        Some(body)
    }

    /// The one entity or page of the Markdown file at `path` (relative to
    /// `content/`), as a raw site of its own, when the file loaded without
    /// a problem: what a patch after a front-matter edit resolves.
    pub(crate) fn raw_of(&self, path: &str) -> Option<RawSite> {
        let result = &self.files.get(&WalkOrder(path.to_string()))?.result;
        let clean = result.problems.is_empty() && result.unavailable.is_empty();
        if !clean || result.frame.is_none() || result.parsed.body().is_none() {
            return None;
        }
        let mut site = RawSite::default();
        result.parsed.clone().add_to(&mut site);
        Some(site)
    }

    /// Brings the memo up to date with the content folder: re-reads the files
    /// whose stamp changed, drops the ones that are gone, adds new ones.
    pub(crate) fn refresh(&mut self, config: &Config) -> Refresh {
        let content_prefix = config.content_prefix();
        let dir = &config.content_dir;
        let settings = Settings::of(config);
        if self.dir != *dir || self.settings != settings {
            // book.toml moved the content folder or changed how it is read:
            // nothing read so far counts.
            self.files.clear();
            self.skipped.clear();
            self.hint = None;
            self.dir = dir.clone();
            self.settings = settings.clone();
        }
        let rescan = std::mem::take(&mut self.rescan);
        let hint = self.hint.take().filter(|_| !rescan);
        let mut skips_changed = Vec::new();
        let (candidates, beyond_content) = match hint {
            Some(paths) if !paths.iter().any(|p| p.starts_with(dir) && p.is_dir()) => {
                let beyond = paths.iter().any(|p| !p.starts_with(dir));
                for (rel, reason) in hinted_skips(dir, &content_prefix, &paths) {
                    skips_changed.extend(self.set_skipped(rel, reason));
                }
                (hinted(dir, &paths, &self.files), beyond)
            }
            _ => {
                let found = walk(dir, &content_prefix);
                let skipped: BTreeMap<WalkOrder, Diagnostic> = found
                    .skipped
                    .into_iter()
                    .map(|(rel, reason)| (WalkOrder(rel), reason))
                    .collect();
                if skipped != self.skipped {
                    skips_changed.push("(skipped files)".to_string());
                    self.skipped = skipped;
                }
                let mut all = found.files;
                let seen: std::collections::HashSet<&str> =
                    all.iter().map(|(rel, _)| rel.as_str()).collect();
                let gone: Vec<(String, PathBuf)> = self
                    .files
                    .keys()
                    .filter(|k| !seen.contains(k.0.as_str()))
                    .map(|k| (k.0.clone(), dir.join(&k.0)))
                    .collect();
                all.extend(gone);
                (all, true)
            }
        };
        let files = &self.files;
        let folder = Folder::open(dir);
        let updates: Vec<(String, Option<Entry>)> = candidates
            .into_par_iter()
            // In small pieces: a core that is done must find files left to
            // take, not wait while the other reads a thousand on its own.
            .with_max_len(16)
            .filter_map(|(path, source)| {
                let before = files.get(&WalkOrder(path.clone()));
                // A file met for the first time is read: opened once, for
                // its stamp and its text, not looked up by path twice.
                let (now, opened) = match before {
                    Some(_) => (stamp(&source), None),
                    None => open_stamped(&folder, &source),
                };
                if before.is_some_and(|e| e.stamp == now) {
                    return None;
                }
                if now.1.is_none() {
                    return before.is_some().then_some((path, None));
                }
                let file = format!("{content_prefix}{path}");
                let result = parse_file(&path, &file, source, opened, &settings);
                let entry = Entry {
                    stamp: now,
                    result: Arc::new(result),
                };
                Some((path, Some(entry)))
            })
            .collect();
        let mut refresh = Refresh {
            bodies_only: skips_changed.is_empty(),
            changed: skips_changed,
            beyond_content,
        };
        if self.files.is_empty() {
            // A first load: every file is new, so the map is built at once
            // (sorted in one go) rather than searched file by file.
            refresh.bodies_only &= updates.is_empty();
            let mut changed = Vec::with_capacity(updates.len());
            self.files = updates
                .into_iter()
                .filter_map(|(path, entry)| {
                    changed.push(path.clone());
                    Some((WalkOrder(path), entry?))
                })
                .collect();
            refresh.changed.extend(changed);
            return refresh;
        }
        for (path, entry) in updates {
            let key = WalkOrder(path.clone());
            let before = self.files.get(&key).and_then(Entry::frame);
            let after = entry.as_ref().and_then(Entry::frame);
            refresh.bodies_only &= before.is_some() && before == after;
            match entry {
                Some(entry) => self.files.insert(key, entry),
                None => self.files.remove(&key),
            };
            refresh.changed.push(path);
        }
        refresh
    }

    /// Records why `rel` is skipped (or that it no longer is); returns the
    /// path if that changed anything.
    fn set_skipped(&mut self, rel: String, reason: Option<Diagnostic>) -> Option<String> {
        let key = WalkOrder(rel.clone());
        let changed = match reason {
            Some(reason) => self.skipped.insert(key, reason.clone()) != Some(reason),
            None => self.skipped.remove(&key).is_some(),
        };
        changed.then_some(rel)
    }

    /// Every parsed file, in walk order, as one raw site.
    pub(crate) fn assemble(&self) -> (RawSite, Vec<Diagnostic>) {
        let skipped = self.skipped.values().cloned();
        let results = self.files.values().map(|e| FileResult::clone(&e.result));
        assemble(skipped, results)
    }

    /// Like `assemble`, for a build that keeps no memo (a one-off `build`):
    /// the parsed files move into the raw site instead of being copied, and
    /// the memo is left empty.
    pub(crate) fn take_assembled(&mut self) -> (RawSite, Vec<Diagnostic>) {
        let files = std::mem::take(&mut self.files);
        let skipped = self.skipped.values().cloned();
        let results = files
            .into_values()
            .map(|entry| Arc::unwrap_or_clone(entry.result));
        assemble(skipped, results)
    }
}

fn assemble(
    skipped: impl Iterator<Item = Diagnostic>,
    results: impl Iterator<Item = FileResult>,
) -> (RawSite, Vec<Diagnostic>) {
    let mut diagnostics: Vec<Diagnostic> = skipped.collect();
    let mut unavailable = Vec::new();
    let parsed = results
        .map(|result| {
            diagnostics.extend(result.problems);
            unavailable.extend(result.unavailable);
            result.parsed
        })
        .collect();
    let mut site = RawSite::gathered(parsed);
    site.unavailable = unavailable;
    (site, diagnostics)
}

/// A path relative to `content/`, ordered as a walk sorted by file name
/// visits it (folder by folder), so loading with a memo keeps that order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WalkOrder(String);

impl Ord for WalkOrder {
    /// Segment by segment (`a/b` before `a-b`, as the walk goes), without
    /// splitting: byte by byte with `/` before every other byte, which is
    /// the same order and costs no search for the separators.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |b: u8| if b == b'/' { 0 } else { u16::from(b) + 1 };
        self.0.bytes().map(key).cmp(other.0.bytes().map(key))
    }
}

impl PartialOrd for WalkOrder {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The files a hint names, as (path relative to `dir`, absolute path): a
/// removed folder stands for every file memoised under it.
fn hinted(
    dir: &Path,
    paths: &[PathBuf],
    known: &BTreeMap<WalkOrder, Entry>,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for path in paths {
        if !path.starts_with(dir) {
            continue;
        }
        let rel = relative(dir, path);
        if rel.is_empty() || is_hidden(&rel) || in_linked_folder(dir, path) {
            continue;
        }
        // A name that is not UTF-8 is not read, as the walk reads none.
        if unnamed_part(dir, path).is_some() {
            continue;
        }
        let folder = format!("{rel}/");
        out.extend(
            known
                .keys()
                .filter(|k| k.0.starts_with(&folder))
                .map(|k| (k.0.clone(), dir.join(&k.0))),
        );
        out.push((rel, path.clone()));
    }
    out.sort();
    out.dedup();
    out
}

/// For each hinted path the walk would see (not inside a hidden or linked
/// folder), why it is skipped now, or `None` if it is not.
fn hinted_skips(dir: &Path, prefix: &str, paths: &[PathBuf]) -> Vec<(String, Option<Diagnostic>)> {
    paths
        .iter()
        .filter_map(|path| {
            path.strip_prefix(dir).ok()?;
            let rel = relative(dir, path);
            let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
            if rel.is_empty() || is_hidden(folder) || in_linked_folder(dir, path) {
                return None;
            }
            // Named as the walk names it: its first name that is not
            // UTF-8, an error while it is there.
            if !is_hidden(&rel)
                && let Some((part, shown)) = unnamed_part(dir, path)
            {
                let there = part.symlink_metadata().is_ok();
                let reason = there.then(|| unnamed(prefix, &shown));
                return Some((shown, reason));
            }
            let reason = std::fs::symlink_metadata(path)
                .ok()
                .filter(|m| !m.is_file() || is_hidden(&rel))
                .and_then(|m| skip_reason(prefix, &rel, path, m.file_type()));
            Some((rel, reason))
        })
        .collect()
}

/// Whether a folder between `dir` and `path` is a symbolic link: the walk
/// does not follow them, so a hinted path below one is not part of the site.
fn in_linked_folder(dir: &Path, path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|folder| *folder != dir && folder.starts_with(dir))
        .any(|folder| {
            folder
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        })
}

type Stamp = (u64, Option<std::time::SystemTime>);

/// Size and modification time; no time for a missing file or anything but a
/// regular file (the walk skips symlinks and folders too).
fn stamp(path: &Path) -> Stamp {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => (m.len(), m.modified().ok()),
        _ => (u64::MAX, None),
    }
}

/// The stamp of the file at `path`, as [`stamp`] gives it, and the file
/// opened for reading if it is a regular file. A link is not followed
/// (the walk follows none) and a named pipe is not waited on.
fn open_stamped(folder: &Folder, path: &Path) -> (Stamp, Option<Opened>) {
    let opened = folder
        .open_unfollowed(path)
        .and_then(|file| Ok((file.metadata()?, file)));
    match opened {
        Ok((m, file)) if m.file_type().is_file() => {
            let length = m.len();
            ((length, m.modified().ok()), Some(Opened { file, length }))
        }
        _ => ((u64::MAX, None), None),
    }
}

/// A source file opened for reading, and its length when it was opened.
pub(super) struct Opened {
    file: std::fs::File,
    length: u64,
}

impl Opened {
    /// The file's text. Read into room for the length known (and a byte
    /// more, to see the end): `read_to_string` would ask the file's
    /// length and position again first.
    pub(super) fn read_text(self) -> std::io::Result<String> {
        use std::io::Read;
        let room = usize::try_from(self.length).map_or(0, |n| n.saturating_add(1));
        let mut bytes = Vec::new();
        // Without that room (a file too large to hold), the read grows the
        // buffer as it goes and fails as a read does, without aborting.
        bytes.try_reserve_exact(room).ok();
        // Through `take`: `File`'s own `read_to_end` asks for the length
        // and position again, which the stamp already gave.
        self.file.take(u64::MAX).read_to_end(&mut bytes)?;
        String::from_utf8(bytes)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, INVALID_UTF8))
    }
}

/// What reading a file that is not UTF-8 says, as `read_to_string` says it.
const INVALID_UTF8: &str = "stream did not contain valid UTF-8";

/// The content folder, open where it can be: a source in it is opened by
/// its path from there, so the system walks that path alone, not every
/// folder above the content again for each of thousands of files.
struct Folder<'d> {
    #[cfg_attr(not(unix), allow(dead_code))]
    dir: &'d Path,
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
}

impl Folder<'_> {
    #[cfg(unix)]
    fn open(dir: &Path) -> Folder<'_> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC;
        Folder {
            dir,
            fd: rustix::fs::open(dir, flags, Mode::empty()).ok(),
        }
    }

    #[cfg(not(unix))]
    fn open(dir: &Path) -> Folder<'_> {
        Folder { dir }
    }

    /// Opens the file at `path` to read it, neither following a link nor
    /// waiting on a named pipe.
    #[cfg(unix)]
    fn open_unfollowed(&self, path: &Path) -> std::io::Result<std::fs::File> {
        use rustix::fs::{Mode, OFlags};
        match (&self.fd, path.strip_prefix(self.dir)) {
            (Some(fd), Ok(inside)) => {
                let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
                Ok(rustix::fs::openat(fd, inside, flags, Mode::empty())?.into())
            }
            _ => open_unfollowed(path),
        }
    }

    #[cfg(not(unix))]
    fn open_unfollowed(&self, path: &Path) -> std::io::Result<std::fs::File> {
        open_unfollowed(path)
    }
}

#[cfg(unix)]
fn open_unfollowed(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_unfollowed(path: &Path) -> std::io::Result<std::fs::File> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => std::fs::File::open(path),
        _ => Err(std::io::ErrorKind::NotFound.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_source_is_opened_by_its_path_from_the_content_folder_opened_for_the_load() {
        let dir = tempfile::tempdir().unwrap();
        let (content, moved) = (dir.path().join("content"), dir.path().join("moved"));
        std::fs::create_dir_all(content.join("guides")).unwrap();
        std::fs::write(content.join("guides/a.md"), "# A\n").unwrap();
        let folder = Folder::open(&content);
        // Moved away after it was opened: reached through the open
        // folder, not by its full path again.
        std::fs::rename(&content, &moved).unwrap();
        let (now, opened) = open_stamped(&folder, &content.join("guides/a.md"));
        assert_eq!(now.0, 4);
        assert_eq!(opened.unwrap().read_text().unwrap(), "# A\n");
        // A path outside the folder is opened as it is.
        let (now, opened) = open_stamped(&folder, &moved.join("guides/a.md"));
        assert_eq!((now.0, opened.is_some()), (4, true));
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_opened_for_its_stamp_unless_it_is_a_link_a_folder_or_a_pipe() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "# A\n").unwrap();
        let (now, opened) = open_stamped(&Folder::open(dir.path()), &file);
        assert_eq!(now, stamp(&file));
        assert_eq!(now.0, 4);
        assert_eq!(opened.unwrap().read_text().unwrap(), "# A\n");
        // Saved again between its stamp and its read: read whole, not to
        // the length stamped; and a file that is not UTF-8 is said to be.
        let (_, opened) = open_stamped(&Folder::open(dir.path()), &file);
        std::fs::write(&file, "# A longer title\n").unwrap();
        assert_eq!(opened.unwrap().read_text().unwrap(), "# A longer title\n");
        std::fs::write(&file, b"# \xff\n").unwrap();
        let error = open_stamped(&Folder::open(dir.path()), &file)
            .1
            .unwrap()
            .read_text()
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(error.to_string(), "stream did not contain valid UTF-8");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let pipe = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        assert!(made.unwrap().success(), "mkfifo makes a named pipe");
        for other in [
            link,
            dir.path().to_path_buf(),
            dir.path().join("gone.md"),
            pipe,
        ] {
            let (now, opened) = open_stamped(&Folder::open(dir.path()), &other);
            assert_eq!(now, (u64::MAX, None), "{other:?}");
            assert_eq!(now, stamp(&other), "{other:?}");
            assert!(opened.is_none(), "{other:?}");
        }
    }

    #[test]
    fn paths_sort_folder_by_folder_as_the_walk_visits_them() {
        let paths = [
            "a-b", "a/b", "a", "a/b/c", "a.md", "a/b-c", "a/b/c.md", "ab/c", "a/b.md", "é/x", "z",
        ];
        let mut by_segments: Vec<&str> = paths.to_vec();
        by_segments.sort_by(|x, y| x.split('/').cmp(y.split('/')));
        let mut by_walk_order: Vec<WalkOrder> =
            paths.iter().map(|p| WalkOrder(p.to_string())).collect();
        by_walk_order.sort();
        let sorted: Vec<&str> = by_walk_order.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(sorted, by_segments);
        assert_eq!(&sorted[..3], ["a", "a/b", "a/b/c"]);
    }

    /// Writes `text` to `path` under the site's `content/`, making its folders.
    fn write_content(site: &Path, path: &str, text: &str) {
        let file = site.join("content").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }

    #[test]
    fn a_refresh_tells_body_edits_from_other_edits_and_follows_hints() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| write_content(dir.path(), path, text);
        write("roles/a.md", "---\ntitle: A\n---\nBody.\n");
        write("guides/g.md", "# Guide\n\nText.\n");
        let config = Config::load(dir.path()).unwrap();
        let mut memo = LoadMemo::default();
        let first = memo.refresh(&config);
        assert_eq!(first.changed, ["guides/g.md", "roles/a.md"]);
        assert!(!first.bodies_only, "new files are not body edits");

        write("roles/a.md", "---\ntitle: A\n---\nA longer body.\n");
        let body = memo.refresh(&config);
        assert_eq!(body.changed, ["roles/a.md"]);
        assert!(body.bodies_only);
        write("guides/g.md", "# Retitled\n\nText.\n");
        assert!(
            !memo.refresh(&config).bodies_only,
            "the leading heading is the title"
        );
        write("roles/a.md", "---\ntitle: B\n---\nA longer body.\n");
        assert!(!memo.refresh(&config).bodies_only);

        // With a hint, only the hinted paths are looked at.
        write("guides/g.md", "# Retitled\n\nMore text.\n");
        memo.hint(vec![dir.path().join("content/roles/a.md")]);
        let hinted = memo.refresh(&config);
        assert!(hinted.changed.is_empty() && !hinted.beyond_content);
        std::fs::remove_dir_all(dir.path().join("content/roles")).unwrap();
        memo.hint(vec![dir.path().join("content/roles")]);
        assert_eq!(memo.refresh(&config).changed, ["roles/a.md"]);
        let (site, _) = memo.assemble();
        assert!(site.roles.is_empty() && site.pages.len() == 1);
    }

    #[test]
    fn a_raw_site_holds_each_kind_in_walk_order_copied_or_taken() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| write_content(dir.path(), path, text);
        let mantra = |title: &str| format!("---\ntitle: {title}\ntext: Say it.\n---\n");
        write("mantras/b.md", &mantra("B"));
        write("mantras/a.md", &mantra("A"));
        write(
            "mantras.yaml",
            "- id: c\n  title: C\n  text: One.\n- id: d\n  title: D\n  text: Two.\n",
        );
        write("guides/z.md", "# Z\n");
        write("guides/deep/y.md", "# Y\n");
        write("guides/a.md", "# A\n");
        write("pictures/b.svg", "<svg/>");
        write("pictures/a.svg", "<svg/>");
        let config = Config::load(dir.path()).unwrap();
        let mut memo = LoadMemo::default();
        memo.refresh(&config);
        let lists = |site: &RawSite| {
            let ids = |ids: Vec<&str>| ids.join(" ");
            (
                ids(site.mantras.iter().map(|m| m.id.as_str()).collect()),
                ids(site.pages.iter().map(|p| p.file.as_str()).collect()),
                ids(site.assets.iter().map(|a| a.path.as_str()).collect()),
            )
        };
        let copied = lists(&memo.assemble().0);
        assert_eq!(
            copied,
            (
                "a b c d".to_string(),
                "content/guides/a.md content/guides/deep/y.md content/guides/z.md".to_string(),
                "pictures/a.svg pictures/b.svg".to_string(),
            )
        );
        assert_eq!(lists(&memo.take_assembled().0), copied);
        assert!(memo.assemble().0.mantras.is_empty(), "taken, not copied");
    }
}
