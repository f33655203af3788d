//! Write: the rendered site to disk, atomically. Files go to a fresh folder
//! beside the output, which is swapped in only when complete, so a failed build
//! leaves the previous site as it was. A folder is only ever replaced if it
//! carries Touchstone's marker.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// One file of the built site, by its path relative to the output folder.
/// The bytes are shared: a page reused from the memo, or served, is not copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: std::sync::Arc<[u8]>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into().into(),
        }
    }
}

/// The page file of the page at `folder` (`roles/agent/` ->
/// `roles/agent/index.html`): made for every page, so without `format!`.
pub(crate) fn index_html(folder: &str) -> String {
    [folder, "index.html"].concat()
}

/// Marks a folder as Touchstone's output, so it may be replaced.
pub(crate) const MARKER: &str = ".touchstone-output";

#[derive(Debug)]
pub(crate) enum WriteError {
    /// The output folder is somewhere Touchstone must never delete.
    Refused { dir: PathBuf, reason: String },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused { dir, reason } => {
                write!(f, "refusing to replace {}: {reason}", dir.display())
            }
            WriteError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Checks that `out` may be (re)placed: not the site root, not inside,
/// equal to or holding a folder the site is read from (`read`: content,
/// templates, themes, each with its name), and replaceable (see
/// [`check_replaceable`]). Folders are compared where they really are,
/// whether they exist yet or not.
pub(crate) fn check_destination(
    out: &Path,
    root: &Path,
    read: &[(&str, &Path)],
) -> Result<(), WriteError> {
    let refuse = |reason: String| {
        Err(WriteError::Refused {
            dir: out.to_path_buf(),
            reason,
        })
    };
    let real = resolve_existing;
    let (out_r, root_r) = (real(out), real(root));
    if out_r == root_r || root_r.starts_with(&out_r) {
        return refuse(
            "it is the site root (or holds it); set output-dir to a folder of its own, e.g. \"public\"".into(),
        );
    }
    for (name, folder) in read {
        let folder = real(folder);
        if out_r.starts_with(&folder) || folder.starts_with(&out_r) {
            return refuse(format!(
                "it overlaps the {name} folder, which the site is read from; set output-dir outside {name}/"
            ));
        }
    }
    check_replaceable(out)
}

/// The real location of `path`, found as the system will find it when
/// folders are made along it: each part that exists with its symlinks
/// followed, each that does not taken as a folder to be made, and `..`
/// applied to what came before (so `x/../up`, with `x` missing and `up` a
/// link, leads where `up` does).
pub(crate) fn resolve_existing(path: &Path) -> PathBuf {
    use std::path::Component;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut real = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            other => {
                real.push(other);
                if let Ok(resolved) = real.canonicalize() {
                    real = resolved;
                }
            }
        }
    }
    real
}

/// An output may replace only what is missing, an empty folder, or a folder
/// carrying Touchstone's marker. A symlink is refused, never followed: moving
/// it aside and emptying "the previous output" would empty its target.
pub(crate) fn check_replaceable(out: &Path) -> Result<(), WriteError> {
    let refuse = |reason: String| {
        Err(WriteError::Refused {
            dir: out.to_path_buf(),
            reason,
        })
    };
    let meta = match std::fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(out)(e)),
    };
    if meta.file_type().is_symlink() {
        return refuse(
            "it is a symbolic link; pass the folder it points to, or remove the link".into(),
        );
    }
    if !meta.is_dir() {
        return refuse("it is a file, not a folder; choose another output folder".into());
    }
    let empty = out.read_dir().map_err(io(out))?.next().is_none();
    let marked = std::fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file());
    if !empty && !marked {
        return refuse(format!(
            "it is not empty and was not written by Touchstone (no {MARKER} file); choose another output-dir or empty it"
        ));
    }
    Ok(())
}

/// Writes `files` into `out`, replacing a previous output in one step (a
/// build streams its pages through [`Staging`] instead).
#[cfg(test)]
fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    refuse_outside(out, files)?;
    Staging::begin(out)?.finish(files)
}

/// An output being written: files go to a fresh folder beside `out`,
/// swapped in whole by [`Staging::finish`]. Dropped unfinished (the build
/// failed), the folder is removed and the previous output stays as it was.
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    previous: PathBuf,
    /// The staging folder, open, for files made by their path from it.
    folder: Folder,
    /// The output being replaced, whose unchanged files are kept.
    kept: Option<Unchanged>,
    finished: bool,
}

impl Staging {
    pub(crate) fn begin(out: &Path) -> Result<Staging, WriteError> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = out
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        remove_stale_staging(parent, &name);
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        remove_tree(&dir);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging {
            out: out.to_path_buf(),
            previous: parent.join(format!(".{name}.previous-{}", std::process::id())),
            folder: Folder::open(&dir).map_err(|e| {
                remove_tree(&dir);
                io(&dir)(e)
            })?,
            dir,
            kept: Unchanged::of(out),
            finished: false,
        })
    }

    /// Writes one file now, so its bytes need not be kept until the end.
    pub(crate) fn write(&self, file: &OutputFile) -> Result<(), WriteError> {
        let path = self.place(&file.path)?;
        self.put(file, &path)
    }

    /// Where the file at output `path` is staged, its folders made; an
    /// output path that would land outside is refused.
    fn place(&self, path: &str) -> Result<PathBuf, WriteError> {
        refuse_path(&self.out, path)?;
        let staged = self.dir.join(path);
        if let Some((folder, _)) = path.rsplit_once('/') {
            self.folder
                .make_folders(folder)
                .map_err(io(&self.dir.join(folder)))?;
        }
        Ok(staged)
    }

    /// Writes the file at `path` as `write` makes it, through a buffer, so
    /// no copy of it is held (the export: 90 MB at 100,000 pages). Returns
    /// its length. As with [`Staging::write`], the previous output's copy
    /// is kept when it holds the same bytes.
    pub(crate) fn stream(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<u64, WriteError> {
        let staged = self.place(path)?;
        let file = std::fs::File::create(&staged).map_err(io(&staged))?;
        let mut buffered = std::io::BufWriter::with_capacity(256 * 1024, file);
        write(&mut buffered)
            .and_then(|()| std::io::Write::flush(&mut buffered))
            .map_err(io(&staged))?;
        let length = std::fs::metadata(&staged).map_err(io(&staged))?.len();
        if let Some(kept) = &self.kept {
            kept.link_if_same_as_staged(path, &staged, length)
                .map_err(io(&staged))?;
        }
        Ok(length)
    }

    /// The bytes of a file written so far.
    pub(crate) fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.dir.join(path))
    }

    /// Puts one file at `path` in the staging folder: the previous output's
    /// copy when its bytes are the same, else the bytes written anew.
    fn put(&self, file: &OutputFile, path: &Path) -> Result<(), WriteError> {
        if let Some(kept) = &self.kept
            && kept.link_if_same(&file.path, &file.bytes, path)
        {
            return Ok(());
        }
        self.folder.write(&file.path, &file.bytes).map_err(io(path))
    }

    /// Writes the remaining `files` and puts the whole output in place.
    pub(crate) fn finish(mut self, files: &[OutputFile]) -> Result<(), WriteError> {
        self.write_all(files)?;
        // Checked again: the output may have changed while the site was built.
        check_replaceable(&self.out)?;
        swap_in(&self.dir, &self.out, &self.previous)?;
        self.finished = true;
        Ok(())
    }
    /// Every file, the marker too, goes into the folder opened when the
    /// build began: one removed meanwhile is not made again half empty.
    fn write_all(&self, files: &[OutputFile]) -> Result<(), WriteError> {
        self.write_many(files)?;
        let marker = "This folder is generated by Touchstone and replaced on every build.\n";
        self.folder
            .write(MARKER, marker.as_bytes())
            .map_err(io(&self.dir.join(MARKER)))
    }

    /// Writes `files` now, in parallel, each folder they are in made once
    /// (a site's search index is thousands of files in three folders).
    pub(crate) fn write_many(&self, files: &[OutputFile]) -> Result<(), WriteError> {
        refuse_outside(&self.out, files)?;
        let dir = &self.dir;
        let mut folders: Vec<&str> = files
            .iter()
            .filter_map(|f| Some(f.path.rsplit_once('/')?.0))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        folders.par_iter().try_for_each(|folder| {
            self.folder
                .make_folders(folder)
                .map_err(io(&dir.join(folder)))
        })?;
        files
            .par_iter()
            .try_for_each(|f| self.put(f, &dir.join(&f.path)))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            remove_tree(&self.dir);
        }
    }
}

/// A folder, open, in which files and folders are made by their path from
/// it: the system walks that path alone, not every folder above it again,
/// and a site makes two of them a page (its folder and its file).
struct Folder {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(unix))]
    dir: PathBuf,
}

impl Folder {
    #[cfg(unix)]
    fn open(dir: &Path) -> std::io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::empty())?;
        Ok(Folder { fd })
    }

    /// Makes the folder at `path` (`/`-separated, from this one) and any
    /// missing above it; one that is there already is left as it is.
    #[cfg(unix)]
    fn make_folders(&self, path: &str) -> std::io::Result<()> {
        use rustix::io::Errno;
        let make = || match rustix::fs::mkdirat(&self.fd, path, rustix::fs::Mode::from(0o777)) {
            Ok(()) | Err(Errno::EXIST) => Ok(()),
            Err(e) => Err(e),
        };
        match make() {
            Err(Errno::NOENT) => {
                let (parent, _) = path.rsplit_once('/').ok_or(Errno::NOENT)?;
                self.make_folders(parent)?;
                Ok(make()?)
            }
            made => Ok(made?),
        }
    }

    /// Writes `bytes` to the file at `path` from this folder, made anew or
    /// emptied first.
    #[cfg(unix)]
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        use rustix::fs::{Mode, OFlags};
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, path, flags, Mode::from(0o666))?;
        std::io::Write::write_all(&mut std::fs::File::from(fd), bytes)
    }

    #[cfg(not(unix))]
    fn open(dir: &Path) -> std::io::Result<Folder> {
        Ok(Folder {
            dir: dir.to_path_buf(),
        })
    }

    #[cfg(not(unix))]
    fn make_folders(&self, path: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(self.dir.join(path))
    }

    #[cfg(not(unix))]
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::write(self.dir.join(path), bytes)
    }
}

/// The previous output, as a source of files a build need not write again.
/// Replacing an output deletes its files, and on a disk freeing a file's
/// blocks costs more than writing it; a file whose bytes did not change is
/// hard-linked into the new output instead, so only what changed is freed
/// (and unchanged files keep their modification time for sync tools).
struct Unchanged {
    out: PathBuf,
    /// Folders of the previous output known to be real folders, not links.
    plain_folders: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Unchanged {
    /// The output at `out`, if it is a folder Touchstone wrote.
    fn of(out: &Path) -> Option<Unchanged> {
        let is_folder = std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir());
        let marked = std::fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file());
        (cfg!(unix) && is_folder && marked).then(|| Unchanged {
            out: out.to_path_buf(),
            plain_folders: Default::default(),
        })
    }

    /// Links the previous output's `path` to `staged` if it holds exactly
    /// `bytes`. Only a plain file with no other link, reached through real
    /// folders, is kept: nothing outside the output is ever linked into it.
    fn link_if_same(&self, path: &str, bytes: &[u8], staged: &Path) -> bool {
        if !self.folders_are_plain(path) {
            return false;
        }
        let old = self.out.join(path);
        let Ok(meta) = std::fs::symlink_metadata(&old) else {
            return false;
        };
        meta.is_file()
            && only_link(&meta)
            && meta.len() == bytes.len() as u64
            && std::fs::read(&old).is_ok_and(|held| held == bytes)
            && std::fs::hard_link(&old, staged).is_ok()
    }

    /// Puts the previous output's `path` in place of the file `staged` if
    /// both hold the same `length` bytes, as [`Unchanged::link_if_same`].
    fn link_if_same_as_staged(
        &self,
        path: &str,
        staged: &Path,
        length: u64,
    ) -> std::io::Result<()> {
        let old = self.out.join(path);
        if !std::fs::symlink_metadata(&old).is_ok_and(|m| m.len() == length) {
            return Ok(());
        }
        let bytes = std::fs::read(staged)?;
        std::fs::remove_file(staged)?;
        if !self.link_if_same(path, &bytes, staged) {
            // Not the same after all: the new bytes go back.
            std::fs::write(staged, &bytes)?;
        }
        Ok(())
    }

    /// Whether every folder on the way to `path` is a real folder.
    fn folders_are_plain(&self, path: &str) -> bool {
        let Some((folders, _file)) = path.rsplit_once('/') else {
            return true;
        };
        let mut folder = String::new();
        for segment in folders.split('/') {
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(segment);
            if self
                .plain_folders
                .lock()
                .expect("folder lock")
                .contains(&folder)
            {
                continue;
            }
            let plain = std::fs::symlink_metadata(self.out.join(&folder)).is_ok_and(|m| m.is_dir());
            if !plain {
                return false;
            }
            self.plain_folders
                .lock()
                .expect("folder lock")
                .insert(folder.clone());
        }
        true
    }
}

/// Whether no other name links to this file (where that cannot be told, it
/// is assumed some may).
fn only_link(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    return std::os::unix::fs::MetadataExt::nlink(meta) == 1;
    #[cfg(not(unix))]
    return false;
}

/// Refuses the first of `files` whose path would land outside `out`.
fn refuse_outside(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    files.iter().try_for_each(|f| refuse_path(out, &f.path))
}

/// Refuses one output path that would land outside the folder `out`.
fn refuse_path(out: &Path, path: &str) -> Result<(), WriteError> {
    if is_inside_output(path) {
        return Ok(());
    }
    Err(WriteError::Refused {
        dir: out.to_path_buf(),
        reason: format!("the output path `{path}` would land outside it"),
    })
}

/// Whether an output path is a plain relative path that stays inside the
/// folder it is written to: no root, no `..`, no empty or `.` segment.
fn is_inside_output(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Deletes the staging and previous-output folders of `name` that a killed
/// build left behind: those whose process is no longer running. A build still
/// running beside this one keeps its own.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let building = format!(".{name}.building-");
    let previous = format!(".{name}.previous-");
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = file_name
            .strip_prefix(&building)
            .or_else(|| file_name.strip_prefix(&previous))
            .and_then(|pid| pid.parse::<u32>().ok());
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if let Some(pid) = pid
            && is_folder
            && pid != std::process::id()
            && !process_is_running(pid)
        {
            remove_tree(&entry.path());
        }
    }
}

/// Whether a process with this id exists. Where that cannot be told, it is
/// assumed to run, so a folder in use is never deleted.
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    if cfg!(unix) {
        return std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .map_or(true, |s| s.success());
    }
    true
}

fn swap_in(staging: &Path, out: &Path, previous: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(out).is_ok() {
        remove_tree(previous);
        std::fs::rename(out, previous).map_err(io(out))?;
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(previous, out);
            return Err(io(out)(e));
        }
        remove_tree(previous);
    } else {
        std::fs::rename(staging, out).map_err(io(out))?;
    }
    Ok(())
}

/// Deletes a folder Touchstone made, its top-level entries in parallel (on a
/// large site this is thousands of files). Symlinks are removed, never
/// followed, wherever they are.
fn remove_tree(dir: &Path) {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            let _ = std::fs::remove_file(dir);
            return;
        }
        Err(_) => return,
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
        entries.par_iter().for_each(|entry| {
            let _ = match entry.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(entry.path()),
                _ => std::fs::remove_file(entry.path()),
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_at_a_folder_is_the_folder_s_index_file() {
        assert_eq!(index_html("roles/agent/"), "roles/agent/index.html");
        assert_eq!(index_html(""), "index.html");
    }

    #[test]
    fn refuses_the_root_the_content_and_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        assert!(check_destination(root, root, &[("content", &content)]).is_err());
        assert!(check_destination(&content, root, &[("content", &content)]).is_err());
        let foreign = root.join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(check_destination(&foreign, root, &[("content", &content)]).is_err());
        assert!(check_destination(&root.join("public"), root, &[("content", &content)]).is_ok());
    }

    #[test]
    fn refuses_a_folder_holding_the_site_or_overlapping_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let content = root.join("docs/content");
        std::fs::create_dir_all(&content).unwrap();
        for (out, why) in [
            (dir.path().to_path_buf(), "site root"),
            (content.join("public"), "content folder"),
            (root.join("docs"), "content folder"),
        ] {
            match check_destination(&out, &root, &[("content", &content)]) {
                Err(WriteError::Refused { reason, .. }) => {
                    assert!(reason.contains(why), "{reason}")
                }
                other => panic!("{}: {other:?}", out.display()),
            }
        }
        assert!(
            check_destination(&root.join("docs/public"), &root, &[("content", &content)]).is_ok()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_or_folder_is_removed_as_a_link_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join(MARKER), "").unwrap();
        std::fs::write(elsewhere.join("index.html"), "not ours").unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        assert!(
            Unchanged::of(&link).is_none(),
            "no file is kept through a link"
        );
        remove_tree(&link);
        assert!(std::fs::symlink_metadata(&link).is_err());
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "not ours"
        );
    }

    #[test]
    fn a_rebuild_replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("old/index.html", "old")]).unwrap();
        write_site(&out, &[OutputFile::new("new/index.html", "new")]).unwrap();
        assert!(!out.join("old").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("new/index.html")).unwrap(),
            "new"
        );
        assert!(out.join(MARKER).exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn a_staging_folder_removed_during_the_build_fails_it_and_the_output_stays() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("old/index.html", "old")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging
            .write(&OutputFile::new("new/index.html", "new"))
            .unwrap();
        std::fs::remove_dir_all(&staging.dir).unwrap();
        // Nothing left to write: only the marker would have gone in.
        assert!(staging.finish(&[]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("old/index.html")).unwrap(),
            "old"
        );
        assert!(!out.join("new").exists());
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_keeps_unchanged_files_and_replaces_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let same = OutputFile::new("guides/same/index.html", "unchanged");
        write_site(
            &out,
            &[same.clone(), OutputFile::new("edited.html", "before")],
        )
        .unwrap();
        let kept = inode(&out.join(&same.path));
        write_site(
            &out,
            &[same.clone(), OutputFile::new("edited.html", "after!")],
        )
        .unwrap();
        assert_eq!(
            inode(&out.join(&same.path)),
            kept,
            "the unchanged file is kept"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("edited.html")).unwrap(),
            "after!"
        );
        // Same length, other bytes: written anew, not kept.
        write_site(&out, &[OutputFile::new(same.path.clone(), "UNCHANGED")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(&same.path)).unwrap(),
            "UNCHANGED"
        );
        assert!(!out.join("edited.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging or previous folders left behind"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_through_a_link_or_linked_elsewhere_is_written_anew() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = OutputFile::new("guides/page/index.html", "same bytes");
        let other = OutputFile::new("other.html", "same bytes too");
        write_site(&out, &[page.clone(), other.clone()]).unwrap();
        // A folder of the output replaced by a link to one outside it that
        // holds the very same file.
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(outside.join("page")).unwrap();
        std::fs::write(outside.join("page/index.html"), "same bytes").unwrap();
        std::fs::remove_dir_all(out.join("guides")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("guides")).unwrap();
        // A file of the output with a second name outside it.
        std::fs::hard_link(out.join("other.html"), dir.path().join("other-link")).unwrap();
        write_site(&out, &[page.clone(), other.clone()]).unwrap();
        assert!(
            !std::fs::symlink_metadata(out.join("guides"))
                .unwrap()
                .is_symlink()
        );
        assert_ne!(
            inode(&out.join(&page.path)),
            inode(&outside.join("page/index.html"))
        );
        assert_ne!(
            inode(&out.join("other.html")),
            inode(&dir.path().join("other-link"))
        );
        assert_eq!(
            std::fs::read_to_string(out.join(&page.path)).unwrap(),
            "same bytes"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_streamed_file_is_kept_when_unchanged_and_written_anew_when_not() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = |text: &'static str| {
            let staging = Staging::begin(&out).unwrap();
            let length = staging
                .stream("data/export.json", |w| w.write_all(text.as_bytes()))
                .unwrap();
            assert_eq!(length, text.len() as u64);
            staging.finish(&[]).unwrap();
        };
        build("{\"a\": 1}");
        let first = inode(&out.join("data/export.json"));
        build("{\"a\": 1}");
        assert_eq!(
            inode(&out.join("data/export.json")),
            first,
            "unchanged: kept"
        );
        // Same length, other bytes: written anew.
        build("{\"a\": 2}");
        assert_ne!(inode(&out.join("data/export.json")), first);
        assert_eq!(
            std::fs::read_to_string(out.join("data/export.json")).unwrap(),
            "{\"a\": 2}"
        );
        let staging = Staging::begin(&out).unwrap();
        let escaped = staging.stream("../escaped.json", |w| w.write_all(b"x"));
        assert!(matches!(escaped, Err(WriteError::Refused { .. })));
        // A writer that fails fails the file, and the output stays.
        let failed = staging.stream("broken.json", |_| Err(std::io::Error::other("full")));
        assert!(matches!(failed, Err(WriteError::Io { .. })));
        drop(staging);
        assert!(!dir.path().join("escaped.json").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("data/export.json")).unwrap(),
            "{\"a\": 2}"
        );
    }

    #[test]
    fn the_writer_refuses_a_path_outside_its_folder_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site").join("public");
        for bad in [
            "../escaped/index.html",
            "/tmp/x/index.html",
            "a//b",
            "",
            "a/./b",
        ] {
            let files = [
                OutputFile::new("index.html", "home"),
                OutputFile::new(bad, "escaped"),
            ];
            assert!(
                matches!(write_site(&out, &files), Err(WriteError::Refused { .. })),
                "{bad:?}"
            );
        }
        assert!(!dir.path().join("site/escaped").exists());
        assert!(!out.exists());
    }
}
