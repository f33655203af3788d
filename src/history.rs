//! The site's git history: which files each commit added, changed or
//! deleted, with its date and subject, for "last updated" dates and the
//! change log. One `git log` for the whole site, plus one `git cat-file`
//! for the old text of deleted files (their titles); never a call per file.
//!
//! Git runs in the site root on the paths below it alone (`-- .`), with
//! the variables that could point it at another repository removed, so a
//! site in a sub-folder of a repository reads its own history and nothing
//! else. No git, no repository, no commits: an empty history, no warning
//! (the output stays deterministic either way).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::model::Date;

/// Every commit that touched a file under the site root, newest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub commits: Vec<Commit>,
    /// The front matter `title:` (or `text:`/`name:`) each deleted file had
    /// before its deletion, by path; absent when it had none.
    pub deleted_titles: HashMap<String, String>,
    /// The last commit date of each file, by path relative to the site root.
    pub last_changed: HashMap<String, Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    pub hash: String,
    /// Committer time in seconds since 1970, for ordering.
    pub timestamp: i64,
    /// Committer time, RFC 3339 (`2026-05-02T14:03:11+02:00`).
    pub time: String,
    /// The committer's calendar day.
    pub date: Date,
    pub subject: String,
    pub files: Vec<FileChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    pub status: Status,
    /// Relative to the site root.
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Status {
    Added,
    Modified,
    Deleted,
}

/// Variables that would make git read a repository other than the one
/// holding the site root (set, for instance, inside a git hook).
const REDIRECTING_VARIABLES: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
];

impl History {
    /// The history of the files in `content` (a folder under `root`, the
    /// site's folder), with paths from `root`; empty without git. Only
    /// content makes the change log, so git leaves the rest of a
    /// repository out (a playbook kept beside code need not walk it).
    pub(crate) fn read(root: &Path, content: &Path) -> History {
        let within = content
            .strip_prefix(root)
            .ok()
            .filter(|within| !within.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Some(log) = git(
            root,
            &[
                "log",
                "--relative",
                "--no-renames",
                "--no-ext-diff",
                "--no-textconv",
                "--name-status",
                "-z",
                "--format=%x00commit %H%x00%ct%x00%cI%x00%s",
                "--",
                // Literal: a folder named `:(glob)…` is a name, not magic.
                &format!(":(literal){}", within.to_string_lossy()),
            ],
            None,
        ) else {
            return History::default();
        };
        let commits = parse_log(&String::from_utf8_lossy(&log));
        let deleted_titles = deleted_titles(root, &commits);
        History::of(commits, deleted_titles)
    }

    fn of(commits: Vec<Commit>, deleted_titles: HashMap<String, String>) -> History {
        let mut last_changed = HashMap::new();
        for commit in &commits {
            for file in &commit.files {
                last_changed.entry(file.path.clone()).or_insert(commit.date);
            }
        }
        History {
            commits,
            deleted_titles,
            last_changed,
        }
    }
}

/// Runs git in `root`, feeding it `input`; its output when it succeeded.
fn git(root: &Path, args: &[&str], input: Option<&[u8]>) -> Option<Vec<u8>> {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for variable in REDIRECTING_VARIABLES {
        command.env_remove(variable);
    }
    let mut child = command.spawn().ok()?;
    if let Some(input) = input {
        // Written from a thread: git answers while it reads, and a full
        // pipe on either side must not stall the other.
        let mut stdin = child.stdin.take()?;
        let input = input.to_vec();
        std::thread::spawn(move || stdin.write_all(&input));
    }
    let output = child.wait_with_output().ok()?;
    output.status.success().then_some(output.stdout)
}

/// Parses `git log -z --name-status --format=%x00commit %H%x00%ct%x00%cI%x00%s`:
/// NUL-separated fields, each commit opened by a `commit <hash>` field and
/// followed by (status, path) pairs.
fn parse_log(log: &str) -> Vec<Commit> {
    let mut commits: Vec<Commit> = Vec::new();
    let mut fields = log.split('\0').map(|f| f.trim_start_matches('\n'));
    while let Some(field) = fields.next() {
        if let Some(hash) = field.strip_prefix("commit ") {
            let timestamp = fields.next().unwrap_or_default().parse().unwrap_or(0);
            let time = fields.next().unwrap_or_default().to_string();
            let subject = fields.next().unwrap_or_default().to_string();
            let Some(date) = time.get(..10).and_then(Date::parse) else {
                continue;
            };
            commits.push(Commit {
                hash: hash.to_string(),
                timestamp,
                time,
                date,
                subject,
                files: Vec::new(),
            });
        } else if !field.is_empty() {
            let path = fields.next().unwrap_or_default();
            let status = match field {
                "A" => Status::Added,
                "D" => Status::Deleted,
                _ => Status::Modified,
            };
            if let Some(commit) = commits.last_mut().filter(|_| !path.is_empty()) {
                commit.files.push(FileChange {
                    status,
                    path: path.to_string(),
                });
            }
        }
    }
    commits
}

/// The titles deleted Markdown files had, read in one `git cat-file --batch`
/// from each deleting commit's parent.
fn deleted_titles(root: &Path, commits: &[Commit]) -> HashMap<String, String> {
    let deleted: Vec<(&str, &str)> = commits
        .iter()
        .flat_map(|c| c.files.iter().map(move |f| (c, f)))
        .filter(|(_, f)| f.status == Status::Deleted && f.path.ends_with(".md"))
        .map(|(c, f)| (c.hash.as_str(), f.path.as_str()))
        .collect();
    if deleted.is_empty() {
        return HashMap::new();
    }
    let request: String = deleted
        .iter()
        .map(|(hash, path)| format!("{hash}^:./{path}\n"))
        .collect();
    let Some(answer) = git(root, &["cat-file", "--batch"], Some(request.as_bytes())) else {
        return HashMap::new();
    };
    let mut titles = HashMap::new();
    for ((_, path), text) in deleted.iter().zip(batch_objects(&answer)) {
        if let Some(title) = text.and_then(|t| front_matter_title(&String::from_utf8_lossy(t))) {
            titles.entry(path.to_string()).or_insert(title);
        }
    }
    titles
}

/// The objects of a `git cat-file --batch` answer, in request order: each
/// `<oid> <type> <size>\n<bytes>\n`, or `<name> missing\n`.
fn batch_objects(mut answer: &[u8]) -> Vec<Option<&[u8]>> {
    let mut objects = Vec::new();
    while let Some(end) = answer.iter().position(|&b| b == b'\n') {
        let header = String::from_utf8_lossy(&answer[..end]);
        answer = &answer[end + 1..];
        let size = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|_| !header.ends_with(" missing") && !header.ends_with(" ambiguous"));
        match size {
            Some(size) if size < answer.len() => {
                objects.push(Some(&answer[..size]));
                answer = &answer[size + 1..];
            }
            _ => objects.push(None),
        }
    }
    objects
}

/// The title a file's front matter gave it, by the fields that name
/// entities (`title`, else a mantra's `text` or a persona's `name`). A
/// line scan, enough for a title: the full parse is for files that exist.
fn front_matter_title(text: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut found: HashMap<&str, String> = HashMap::new();
    for line in lines.take_while(|l| l.trim_end() != "---") {
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            if matches!(key, "title" | "text" | "name") && !value.is_empty() {
                found.insert(key, value.to_string());
            }
        }
    }
    ["title", "text", "name"]
        .iter()
        .find_map(|key| found.remove(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hash, time, subject and (status, path) pairs of each commit.
    type Fixture<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);

    fn commit_log(commits: &[Fixture]) -> String {
        commits
            .iter()
            .map(|(hash, time, subject, files)| {
                let files: String = files.iter().map(|(s, p)| format!("{s}\0{p}\0")).collect();
                format!("\0commit {hash}\01700000000\0{time}\0{subject}\0\n{files}")
            })
            .collect()
    }

    #[test]
    fn the_log_reads_into_commits_newest_first() {
        let log = commit_log(&[
            (
                "b2",
                "2026-05-02T10:00:00+02:00",
                "Remove a: no longer true",
                &[("D", "content/a.md")],
            ),
            (
                "a1",
                "2026-01-01T09:00:00Z",
                "First",
                &[("A", "content/a.md"), ("A", "content/we ird.md")],
            ),
        ]);
        let commits = parse_log(&log);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].subject, "Remove a: no longer true");
        assert_eq!(commits[0].date.to_string(), "2026-05-02");
        assert_eq!(
            commits[0].files,
            vec![FileChange {
                status: Status::Deleted,
                path: "content/a.md".into()
            }]
        );
        assert_eq!(commits[1].files[1].path, "content/we ird.md");
        let history = History::of(commits, HashMap::new());
        assert_eq!(
            history.last_changed["content/a.md"].to_string(),
            "2026-05-02"
        );
        assert_eq!(
            history.last_changed["content/we ird.md"].to_string(),
            "2026-01-01"
        );
    }

    #[test]
    fn a_commit_without_files_and_an_empty_subject_still_parse() {
        let log = commit_log(&[
            ("c3", "2026-03-01T00:00:00Z", "", &[("M", "content/b.md")]),
            ("m2", "2026-02-01T00:00:00Z", "Merge", &[]),
        ]);
        let commits = parse_log(&log);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].subject, "");
        assert_eq!(commits[0].files[0].status, Status::Modified);
        assert!(commits[1].files.is_empty());
    }

    #[test]
    fn titles_come_from_the_front_matter() {
        assert_eq!(
            front_matter_title("---\nid: x\ntitle: \"Bad news: first\"\n---\nbody\n").as_deref(),
            Some("Bad news: first")
        );
        assert_eq!(
            front_matter_title("---\ntext: Read it at a bus stop\n---\n").as_deref(),
            Some("Read it at a bus stop")
        );
        assert_eq!(front_matter_title("# No front matter\n"), None);
        assert_eq!(
            front_matter_title("---\ntitle: x\nbody never closes"),
            Some("x".into())
        );
    }

    #[test]
    fn batch_answers_split_into_objects_in_order() {
        let answer = b"abc blob 5\nhello\nHEAD^:./x.md missing\ndef blob 3\nhey\n";
        let objects = batch_objects(answer);
        assert_eq!(objects, vec![Some(&b"hello"[..]), None, Some(&b"hey"[..])]);
    }

    #[test]
    fn a_folder_outside_git_has_no_history() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::read(dir.path(), &dir.path().join("content"));
        assert!(history.commits.is_empty() && history.last_changed.is_empty());
    }
}
