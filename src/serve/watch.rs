//! Watching the site's folders: any save, by any editor, becomes one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::{Broadcaster, ServeOptions, Shared, rebuild};
use crate::config::Config;

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watching {
    _debouncer: Box<dyn std::any::Any>,
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
    let (tx, rx) = channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(options.debounce, None, tx)
        .map_err(|e| format!("cannot watch files: {e}"))?;
    let root = config.root.clone();
    // The root itself without recursion (book.toml and new folders), and the
    // folders authors edit recursively. Folders, not files, so an editor's
    // rename-on-save keeps being seen.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let dirs = watched_dirs(config);
    let mut watching: Vec<bool> = vec![false; dirs.len()];
    watch_new_folders(&mut debouncer, &dirs, &mut watching);
    let debouncer = std::sync::Arc::new(std::sync::Mutex::new(debouncer));
    let handle = debouncer.clone();
    let build = options.build.clone();
    let output = config.output_dir.clone();
    rebuild(&build, &state, &broadcaster, "first build", &mut session);
    std::thread::spawn(move || {
        for result in rx {
            // A `templates/` or `themes/` folder created after start is watched from now on.
            if let Ok(mut debouncer) = handle.lock() {
                watch_new_folders(&mut debouncer, &dirs, &mut watching);
            }
            let Ok(events) = result else {
                // The watcher lost track (e.g. its queue overflowed): look at everything.
                session.memo.load.rescan();
                rebuild(&build, &state, &broadcaster, "rescan", &mut session);
                continue;
            };
            let changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .filter(|p| is_relevant(p, &root, &output))
                .cloned()
                .collect();
            if changed.is_empty() {
                continue;
            }
            // The events name every changed path, so the rebuild looks at those
            // alone, unless the watcher asks for a rescan.
            if events.iter().any(|e| e.need_rescan()) {
                session.memo.load.rescan();
            }
            session.memo.load.hint(changed.clone());
            let what = describe(&changed, &root);
            rebuild(&build, &state, &broadcaster, &what, &mut session);
        }
    });
    Ok(Watching {
        _debouncer: Box::new(debouncer),
    })
}

/// Starts watching each of `dirs` that exists and is not watched yet.
fn watch_new_folders<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    dirs: &[PathBuf],
    watching: &mut [bool],
) {
    for (dir, on) in dirs.iter().zip(watching.iter_mut()) {
        if !*on && dir.is_dir() {
            *on = debouncer.watch(dir, RecursiveMode::Recursive).is_ok();
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
