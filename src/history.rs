//! When each source file last changed, from git history, for "last updated"
//! dates. One `git log` for the whole site; no git, no dates (the output stays
//! deterministic either way).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::model::Date;

/// Last commit date of each file, keyed by path relative to the site root.
pub(crate) fn last_changed(root: &Path) -> HashMap<String, Date> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--relative",
            "--format=%x00%cs",
            "--name-only",
            "--no-renames",
            "--",
            ".",
        ])
        .output();
    match output {
        Ok(output) if output.status.success() => parse(&String::from_utf8_lossy(&output.stdout)),
        _ => HashMap::new(),
    }
}

/// Newest first, as git prints it: the first date seen for a file is its last change.
fn parse(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = Date::parse(date);
        } else if let Some(date) = current.filter(|_| !line.is_empty()) {
            dates.entry(line.to_string()).or_insert(date);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_wins() {
        let log =
            "\u{0}2026-05-02\n\ncontent/a.md\n\u{0}2026-01-01\n\ncontent/a.md\ncontent/b.md\n";
        let dates = parse(log);
        assert_eq!(dates["content/a.md"].to_string(), "2026-05-02");
        assert_eq!(dates["content/b.md"].to_string(), "2026-01-01");
    }

    #[test]
    fn a_folder_outside_git_has_no_dates() {
        let dir = tempfile::tempdir().unwrap();
        assert!(last_changed(dir.path()).is_empty());
    }
}
