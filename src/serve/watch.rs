//! Watching the site's folders: any save, by any editor, becomes one rebuild,
//! started as soon as the save is over (`settle`), not a fixed time after it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::settle::{BACKUP_RETURN, Save};
use super::{Broadcaster, ServeOptions, Shared, rebuild};
use crate::config::Config;

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watching {
    _watcher: Box<dyn std::any::Any>,
}

/// Starts watching, then runs the first build (so a save made during it is
/// seen), then rebuilds on every change from a thread of its own.
pub(super) fn start(
    options: &ServeOptions,
    config: &Config,
    state: Shared,
    broadcaster: Broadcaster,
    mut session: super::Session,
) -> Result<Watching, String> {
    let (tx, rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    let root = config.root.clone();
    // The root itself without recursion (book.toml and new folders), and the
    // folders authors edit recursively. Folders, not files, so an editor's
    // rename-on-save keeps being seen.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let dirs = watched_dirs(config);
    let mut watching: Vec<bool> = vec![false; dirs.len()];
    watch_new_folders(&mut watcher, &dirs, &mut watching);
    let watcher = std::sync::Arc::new(std::sync::Mutex::new(watcher));
    let handle = watcher.clone();
    let build = options.build.clone();
    let window = options.debounce;
    let output = config.output_dir.clone();
    rebuild(&build, &state, &broadcaster, "first build", &mut session);
    std::thread::spawn(move || {
        let relevant = |p: &Path| is_relevant(p, &root, &output);
        while let Some(save) = next_save(&rx, window, &relevant) {
            // A `templates/` or `themes/` folder created after start is watched from now on.
            if let Ok(mut watcher) = handle.lock() {
                watch_new_folders(&mut *watcher, &dirs, &mut watching);
            }
            if save.rescan {
                // The watcher lost track (e.g. its queue overflowed): look at everything.
                session.memo.load.rescan();
            }
            let rescan = save.rescan;
            let changed = save.into_paths();
            let what = if changed.is_empty() && rescan {
                "rescan".to_string()
            } else {
                describe(&changed, &root)
            };
            // The events name every changed path, so the rebuild looks at those
            // alone, unless the watcher asks for a rescan.
            session.memo.load.hint(changed);
            rebuild(&build, &state, &broadcaster, &what, &mut session);
        }
    });
    Ok(Watching {
        _watcher: Box::new(watcher),
    })
}

/// Waits for the next save and gathers its events until it is over: quiet
/// for a moment once every path it touched is done (`Save::quiet_for`), or
/// `window` after its first event at the latest — longer only while a file
/// moved to an editor's backup name has not come back (`BACKUP_RETURN`).
/// `None` once the watcher is gone.
fn next_save(
    rx: &Receiver<notify::Result<notify::Event>>,
    window: Duration,
    relevant: &dyn Fn(&Path) -> bool,
) -> Option<Save> {
    let mut save = Save::default();
    let mut deadline: Option<Instant> = None;
    let mut first_event: Option<Instant> = None;
    loop {
        let received = match (deadline, save.quiet_for()) {
            (None, _) => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            (Some(end), quiet) => {
                let left = end.saturating_duration_since(Instant::now());
                rx.recv_timeout(quiet.map_or(left, |q| q.min(left)))
            }
        };
        match received {
            Ok(Ok(event)) => save.add(&event, relevant),
            Ok(Err(_)) => save.rescan = true,
            Err(RecvTimeoutError::Timeout) => {
                let since = first_event.map_or(Duration::ZERO, |t| t.elapsed());
                if save.awaits_backup() && since < BACKUP_RETURN {
                    deadline = first_event.map(|t| t + BACKUP_RETURN);
                    continue;
                }
                return Some(save);
            }
            Err(RecvTimeoutError::Disconnected) => return None,
        }
        if deadline.is_none() && !save.is_empty() {
            let now = Instant::now();
            first_event = Some(now);
            deadline = Some(now + window);
        }
    }
}

/// Starts watching each of `dirs` that exists and is not watched yet.
fn watch_new_folders(watcher: &mut dyn Watcher, dirs: &[PathBuf], watching: &mut [bool]) {
    for (dir, on) in dirs.iter().zip(watching.iter_mut()) {
        if !*on && dir.is_dir() {
            *on = watcher.watch(dir, RecursiveMode::Recursive).is_ok();
        }
    }
}

fn watched_dirs(config: &Config) -> Vec<PathBuf> {
    vec![
        config.content_dir.clone(),
        config.root.join("templates"),
        config.root.join("themes"),
    ]
}

/// Editor temp and backup files, and the output folder, never trigger a build.
pub(super) fn is_relevant(path: &Path, root: &Path, output: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    let noise = rel
        .components()
        .any(|c| crate::load::is_editor_noise(&c.as_os_str().to_string_lossy()));
    if noise {
        return false;
    }
    match path.strip_prefix(root) {
        Ok(rel) => {
            let first = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .unwrap_or_default();
            rel.components().count() > 1
                || first == "book.toml"
                || matches!(first.as_str(), "content" | "templates" | "themes")
        }
        Err(_) => true,
    }
}

fn describe(changed: &[PathBuf], root: &Path) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .to_string()
        })
        .collect();
    names.sort();
    names.dedup();
    match names.len() {
        1 => format!("changed {}", names[0]),
        n => format!("changed {} and {} more", names[0], n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_and_output_are_ignored() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        assert!(is_relevant(
            Path::new("/site/content/roles/a.md"),
            root,
            out
        ));
        assert!(is_relevant(Path::new("/site/book.toml"), root, out));
        assert!(!is_relevant(
            Path::new("/site/public/index.html"),
            root,
            out
        ));
        assert!(!is_relevant(
            Path::new("/site/content/roles/.a.md.swp"),
            root,
            out
        ));
        assert!(!is_relevant(
            Path::new("/site/content/roles/a.md~"),
            root,
            out
        ));
        assert!(!is_relevant(
            Path::new("/site/content/roles/4913"),
            root,
            out
        ));
        assert!(!is_relevant(Path::new("/site/content/.#a.md"), root, out));
        assert!(!is_relevant(
            Path::new("/site/content/a.md___jb_tmp___"),
            root,
            out
        ));
        assert!(!is_relevant(Path::new("/site/README.md"), root, out));
    }
}
