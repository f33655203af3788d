//! Walk: every file under `content/`, and a word about everything the walk
//! does not read. Symbolic links are never followed (a link could lead out of
//! the site, or show one file twice); hidden names are left out; a folder
//! that cannot be read is an error. A skipped name that looks like content
//! is a warning that says why, so nothing an author wrote vanishes in silence.

use std::fs::FileType;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// What a walk of the content folder found.
#[derive(Debug, Default)]
pub(super) struct Walk {
    /// Regular files, as (path relative to `content/`, absolute path), sorted.
    pub files: Vec<(String, PathBuf)>,
    /// What was not read, by path relative to `content/`, with the reason.
    pub skipped: Vec<(String, Diagnostic)>,
}

impl Walk {
    fn append(&mut self, other: Walk) {
        self.files.extend(other.files);
        self.skipped.extend(other.skipped);
    }
}

/// Walks `dir`; `prefix` is the content folder relative to the site root
/// (`content/`), for the paths diagnostics name. The folders at the top
/// are walked side by side, and their walks put together in name order:
/// the same files, in the same order, as one walk of the whole tree.
pub(super) fn walk(dir: &Path, prefix: &str) -> Walk {
    use rayon::prelude::*;
    // Each entry at the top, with what it adds itself and the folder to
    // walk below it, if any.
    let mut top: Vec<(Walk, Option<PathBuf>)> = Vec::new();
    let entries = walkdir::WalkDir::new(dir).sort_by_file_name().max_depth(1);
    for next in entries {
        let mut own = Walk::default();
        let below = match visit(&mut own, dir, prefix, next) {
            Visit::Below(folder) => Some(folder),
            Visit::Done | Visit::NotBelow => None,
        };
        top.push((own, below));
    }
    let below: Vec<Walk> = top
        .par_iter()
        .map(|(_, folder)| {
            folder
                .as_deref()
                .map(|folder| walk_below(dir, prefix, folder))
                .unwrap_or_default()
        })
        .collect();
    let mut found = Walk::default();
    for ((own, _), below) in top.into_iter().zip(below) {
        found.append(own);
        found.append(below);
    }
    found
}

/// Everything below `folder`, a folder in `dir`.
fn walk_below(dir: &Path, prefix: &str, folder: &Path) -> Walk {
    let mut found = Walk::default();
    let mut entries = walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .min_depth(1)
        .follow_root_links(false)
        .into_iter();
    while let Some(next) = entries.next() {
        if let Visit::NotBelow = visit(&mut found, dir, prefix, next) {
            entries.skip_current_dir();
        }
    }
    found
}

/// What a walk does after an entry.
enum Visit {
    /// Goes on to the next.
    Done,
    /// Walks the folder's contents next.
    Below(PathBuf),
    /// Leaves out the folder's contents.
    NotBelow,
}

/// Adds one entry of a walk of `dir` to `found`: a file, or a word about
/// what is not read.
fn visit(
    found: &mut Walk,
    dir: &Path,
    prefix: &str,
    next: walkdir::Result<walkdir::DirEntry>,
) -> Visit {
    let entry = match next {
        Ok(entry) => entry,
        Err(error) => {
            let path = error.path().unwrap_or(dir).to_path_buf();
            let rel = relative(dir, &path);
            let reason = error
                .io_error()
                .map_or_else(|| error.to_string(), ToString::to_string);
            found
                .skipped
                .push((rel.clone(), unreadable(prefix, &rel, &reason)));
            return Visit::Done;
        }
    };
    if entry.depth() == 0 {
        return Visit::Done;
    }
    let rel = relative(dir, entry.path());
    let folder = entry.file_type().is_dir();
    // A name that is not UTF-8 has no address: read with its bytes
    // replaced, two such files would silently become one.
    let named = below(dir, entry.path()).is_some_and(|p| p.to_str().is_some());
    if !named && !is_hidden(&rel) {
        let shown = below(dir, entry.path()).unwrap_or(entry.path());
        // Its bytes spelled out (`\xfe`): two bad names read alike otherwise.
        let shown = shown
            .as_os_str()
            .as_encoded_bytes()
            .escape_ascii()
            .to_string();
        found.skipped.push((shown.clone(), unnamed(prefix, &shown)));
        return if folder { Visit::NotBelow } else { Visit::Done };
    }
    if entry.file_type().is_file() && !is_hidden(&rel) {
        found.files.push((rel, entry.into_path()));
        return Visit::Done;
    }
    if let Some(reason) = skip_reason(prefix, &rel, entry.path(), entry.file_type()) {
        found.skipped.push((rel.clone(), reason));
    }
    match folder {
        true if is_hidden(&rel) => Visit::NotBelow,
        true => Visit::Below(entry.into_path()),
        false => Visit::Done,
    }
}

/// Why a path the walk does not read deserves a word, if it does: a link, a
/// hidden file or folder holding content, a pipe or device.
pub(super) fn skip_reason(
    prefix: &str,
    rel: &str,
    path: &Path,
    file_type: FileType,
) -> Option<Diagnostic> {
    let file = format!("{prefix}{rel}");
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if is_hidden(name) {
        let folder = path.is_dir();
        let holds_content = if folder {
            holds_content(path)
        } else {
            looks_like_content(name)
        };
        let what = if folder { "folder" } else { "file" };
        return holds_content.then(|| {
            Diagnostic::warning(
                "skipped-hidden",
                file,
                format!(
                    "this {what}'s name starts with a dot, so it is hidden and not part of the site"
                ),
            )
            .with_hint(format!(
                "rename it without the leading dot to publish it, e.g. `{}`",
                name.trim_start_matches('.')
            ))
        });
    }
    if file_type.is_symlink() {
        if super::is_editor_noise(name) {
            return None;
        }
        let what = if path.is_dir() { "folder" } else { "file" };
        return Some(
            Diagnostic::warning(
                "skipped-link",
                file,
                format!("this {what} is a symbolic link, so it is not part of the site"),
            )
            .with_hint(format!(
                "Touchstone never follows links (one could lead outside the site); copy the {what} here instead"
            )),
        );
    }
    (!file_type.is_file() && !file_type.is_dir()).then(|| {
        Diagnostic::warning(
            "skipped-special",
            file,
            "this is not a regular file (a pipe, socket or device), so it is not part of the site",
        )
        .with_hint("only regular files and folders are read")
    })
}

/// An error for a file or folder whose name is not UTF-8.
pub(super) fn unnamed(prefix: &str, rel: &str) -> Diagnostic {
    Diagnostic::error(
        "unreadable",
        format!("{prefix}{rel}"),
        "this name is not valid UTF-8 text, so it cannot become an address on the site",
    )
    .with_hint(
        "rename it with letters, digits and `-`; whatever it holds would be missing from the site",
    )
}

/// An error for a folder or file that cannot be read.
fn unreadable(prefix: &str, rel: &str, reason: &str) -> Diagnostic {
    Diagnostic::error(
        "unreadable",
        format!("{prefix}{rel}"),
        format!("cannot read this: {reason}"),
    )
    .with_hint("whatever it holds would be missing from the site; give read access to it, or move it out of the content folder")
}

/// `path` relative to `dir`, its components joined by `/`. A backslash is
/// part of a name on Unix (`..\\x.md`), never a separator to rewrite.
pub(super) fn relative(dir: &Path, path: &Path) -> String {
    let rel = below(dir, path).unwrap_or(path);
    // A walk's path is its folder joined with plain names: on Unix, text
    // without empty or `.` segments is already its components joined by `/`.
    if cfg!(unix)
        && let Some(text) = rel.to_str()
        && text
            .split('/')
            .all(|segment| !segment.is_empty() && segment != ".")
    {
        return text.to_string();
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `path` below `dir`, as `Path::strip_prefix` gives it. A walk's path is
/// `dir` joined with plain names, so it is first cut by its bytes: half
/// the cost of a walk's entry was taking the path apart component by
/// component, twice.
fn below<'p>(dir: &Path, path: &'p Path) -> Option<&'p Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let rest = path
            .as_os_str()
            .as_bytes()
            .strip_prefix(dir.as_os_str().as_bytes())
            .and_then(|rest| rest.strip_prefix(b"/"));
        let plain = |rest: &[u8]| {
            rest.split(|&b| b == b'/')
                .all(|segment| !matches!(segment, b"" | b"." | b".."))
        };
        if let Some(rest) = rest.filter(|rest| plain(rest)) {
            return Some(Path::new(std::ffi::OsStr::from_bytes(rest)));
        }
    }
    path.strip_prefix(dir).ok()
}

/// The part of `path` below `dir` up to its first name that is not UTF-8,
/// if it has one: where it is, and its name as the walk spells it out
/// (`guides/\xfe.md`).
pub(super) fn unnamed_part(dir: &Path, path: &Path) -> Option<(PathBuf, String)> {
    let mut part = PathBuf::new();
    for name in below(dir, path)?.components() {
        part.push(name);
        if name.as_os_str().to_str().is_none() {
            let shown = part
                .as_os_str()
                .as_encoded_bytes()
                .escape_ascii()
                .to_string();
            return Some((dir.join(part), shown));
        }
    }
    None
}

/// Whether any segment of a path relative to `content/` starts with a dot.
pub(super) fn is_hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

/// A Markdown or YAML name: what would be content if it were not skipped.
fn looks_like_content(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "md" | "markdown" | "yaml" | "yml"
    )
}

/// Whether a hidden folder holds Markdown or YAML directly (`.drafts/`, not
/// `.git/`): only then is it worth a word.
fn holds_content(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| looks_like_content(&e.file_name().to_string_lossy()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_names_are_told_from_the_rest() {
        assert!(looks_like_content(".draft.md"));
        assert!(looks_like_content(".roles.YAML"));
        assert!(!looks_like_content(".DS_Store"));
        assert!(!looks_like_content(".agent.md.swp"));
        assert!(is_hidden("guides/.old/x.md") && !is_hidden("guides/old/x.md"));
    }

    #[test]
    fn a_relative_path_is_its_components_joined_by_slashes() {
        let dir = Path::new("/site/content");
        let cases = [
            ("/site/content/roles/agent.md", "roles/agent.md"),
            ("/site/content/a.md", "a.md"),
            ("/site/content/../x.md", "../x.md"),
            ("/site/content/a//b.md", "a/b.md"),
            ("/site/content/a/./b.md", "a/b.md"),
            ("/site/content/a/b/", "a/b"),
            ("/site/content/a/.", "a"),
            ("/site/content", ""),
            ("/elsewhere/x.md", "//elsewhere/x.md"),
            ("/site/content/..\\x.md", "..\\x.md"),
        ];
        for (path, rel) in cases {
            assert_eq!(relative(dir, Path::new(path)), rel, "{path}");
        }
        // However the folder is written, the path below it is the same.
        for dir in [
            "/site/content/",
            "/site/./content",
            "/site//content",
            "/site/content/.",
        ] {
            let dir = Path::new(dir);
            for (path, rel) in [
                ("/site/content/roles/agent.md", "roles/agent.md"),
                ("/site/./content/a.md", "a.md"),
                ("/site/content//a.md", "a.md"),
            ] {
                assert_eq!(relative(dir, Path::new(path)), rel, "{path} in {dir:?}");
            }
        }
    }

    /// The cut by bytes gives what `Path::strip_prefix` gives, or leaves
    /// the path to it.
    #[test]
    fn a_path_below_a_folder_is_cut_as_its_components_would_be() {
        let cases = [
            ("/site/content", "/site/content/roles/agent.md"),
            ("/site/content", "/site/content/a//b.md"),
            ("/site/content", "/site/content/./b.md"),
            ("/site/content", "/site/content/../x.md"),
            ("/site/content", "/site/content"),
            ("/site/content", "/site/contents/a.md"),
            ("/site/content", "/site/content-x/a.md"),
            ("/site/content/", "/site/content/a.md"),
            ("/site/content", "/elsewhere/a.md"),
            ("content", "content/a.md"),
        ];
        for (dir, path) in cases {
            let (dir, path) = (Path::new(dir), Path::new(path));
            assert_eq!(
                below(dir, path),
                path.strip_prefix(dir).ok(),
                "{path:?} in {dir:?}"
            );
        }
    }

    /// Folders at the top are walked side by side: the files and the words
    /// about skipped names still come in the order of one walk by name.
    #[test]
    fn a_walk_goes_by_name_through_every_folder_in_turn() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path();
        for file in [
            "a.md",
            "b/c.md",
            "b/d/e.md",
            "b/.secret.md",
            "b-x.md",
            "c/f.yaml",
            ".hidden/x.md",
            // Never met: the walk does not go into a hidden folder.
            ".hidden/.inner.md",
            ".git/config",
            "z.md",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("b"), dir.join("c/link")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("c"), dir.join("y-link")).unwrap();
        let found = walk(dir, "content/");
        let files: Vec<&str> = found.files.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(
            files,
            ["a.md", "b/c.md", "b/d/e.md", "b-x.md", "c/f.yaml", "z.md"]
        );
        for (rel, path) in &found.files {
            assert_eq!(path, &dir.join(rel));
        }
        let skipped: Vec<&str> = found.skipped.iter().map(|(rel, _)| rel.as_str()).collect();
        if cfg!(unix) {
            assert_eq!(skipped, [".hidden", "b/.secret.md", "c/link", "y-link"]);
        } else {
            assert_eq!(skipped, [".hidden", "b/.secret.md"]);
        }
    }
}
