//! Where a link written in a body goes, in every form existing docs use:
//! `x.md` and mdBook's `x.html`, folders (`sub/`), root-absolute paths
//! (`/styles/colour/`, resolved against `content/`), files beside the page,
//! and links that leave the site on purpose (`[build] external-prefixes`).
//! Everything that stays inside the site is written relative to the page,
//! so the site works under any `base-url`; a target that is not there is
//! an error for the line that wrote it.

use super::links::LinkIndex;
use crate::model::{EntityKey, GENERATED_FILES, is_generated_page};

/// What a link resolves to.
#[derive(Debug, PartialEq)]
pub(super) enum Target {
    /// Kept as written: another site, a scheme, an anchor on this page.
    AsWritten,
    /// Written again relative to the site root: a page (`guides/x/`), a
    /// file (`guides/img/a.svg`), or a place beside the site (`../std/`).
    FromRoot {
        path: String,
        /// The entity or page it shows, for backlinks.
        key: Option<EntityKey>,
    },
}

/// Why a link resolves to nothing: a message and a hint.
pub(super) type Broken = (String, String);

impl LinkIndex {
    /// Resolves `dest`, written in the Markdown file `source` (a path under
    /// `content/`); the query and fragment are kept in `FromRoot.path`.
    pub(super) fn target(&self, source: &str, dest: &str) -> Result<Target, Broken> {
        if dest.is_empty() || dest.starts_with(['#', '?']) || has_scheme(dest) {
            return Ok(Target::AsWritten);
        }
        if dest.starts_with("//") || self.leaves_by_root(dest) {
            return Ok(Target::AsWritten);
        }
        let split = dest.find(['?', '#']).unwrap_or(dest.len());
        let (written, suffix) = dest.split_at(split);
        let path = percent_decode(written);
        let folder = source.rsplit_once('/').map_or("", |(f, _)| f);
        let base = if path.starts_with('/') { "" } else { folder };
        let (ups, inside) = climb(base, &path);
        if ups > 0 {
            let beside = format!("{}{inside}", "../".repeat(ups));
            return if self.leaves_on_purpose(&beside) {
                Ok(Target::FromRoot {
                    path: format!("{beside}{suffix}"),
                    key: None,
                })
            } else {
                Err(outside(dest, &beside))
            };
        }
        if self.leaves_on_purpose(&inside) {
            return Ok(Target::FromRoot {
                path: format!("{inside}{suffix}"),
                key: None,
            });
        }
        let found = if inside.is_empty() || inside.ends_with('/') {
            self.folder(&inside)
        } else {
            self.file(&inside)
        };
        match found {
            Some((path, key)) => Ok(Target::FromRoot {
                path: format!("{path}{suffix}"),
                key,
            }),
            None => Err(self.missing(dest, &inside, folder, source)),
        }
    }

    /// A prefix of `[build] external-prefixes` that `dest` starts with, as
    /// written: root-absolute prefixes (`/api/`) leave the site's host path.
    fn leaves_by_root(&self, dest: &str) -> bool {
        self.external
            .iter()
            .any(|p| p.starts_with('/') && dest.starts_with(p.as_str()))
    }

    /// Whether a link, resolved from the content root (`../std/x`,
    /// `downloads/x`), starts with one of `[build] external-prefixes`.
    fn leaves_on_purpose(&self, from_root: &str) -> bool {
        self.external
            .iter()
            .filter(|p| !p.starts_with('/'))
            .any(|p| from_root.starts_with(p.trim_start_matches("./")))
    }

    /// The page a folder link (`sub/`, `/styles/colour/`, `./`) names.
    fn folder(&self, inside: &str) -> Option<(String, Option<EntityKey>)> {
        if let Some(key) = self.by_path.get(inside) {
            return Some((inside.to_string(), Some(key.clone())));
        }
        is_generated_page(inside).then(|| (inside.to_string(), None))
    }

    /// The page or file a path without a trailing slash names: a Markdown
    /// file's page, mdBook's `x.html` for `x.md`, a file under `content/`,
    /// a generated file, or a folder written without its slash.
    fn file(&self, inside: &str) -> Option<(String, Option<EntityKey>)> {
        if let Some(key) = self.by_source.get(inside) {
            let path = self.paths[key].0.clone();
            return Some((path, Some(key.clone())));
        }
        if self.assets.contains(inside)
            || GENERATED_FILES.contains(&inside)
            || inside.starts_with("static/")
        {
            return Some((inside.to_string(), None));
        }
        if let Some(stem) = inside
            .strip_suffix(".html")
            .or_else(|| inside.strip_suffix(".htm"))
        {
            let markdown = format!("{stem}.md");
            if let Some(found) = self.by_source.get(&markdown) {
                return Some((self.paths[found].0.clone(), Some(found.clone())));
            }
        }
        self.folder(&format!("{inside}/"))
    }

    /// The error for a link to nothing, with the likeliest fix.
    fn missing(&self, dest: &str, inside: &str, folder: &str, source: &str) -> Broken {
        let shown = if inside.is_empty() { "/" } else { inside };
        let message = format!("`{dest}` links to content/{shown}, which does not exist");
        let hint = if let Some(fix) = self.meant_from_page_address(dest, folder, source) {
            format!(
                "links start from this Markdown file's folder, not from its page's address: \
                 write `{fix}`"
            )
        } else if let Some(stem) = inside.strip_suffix(".html") {
            format!("an mdBook page name links to its Markdown file: there is no content/{stem}.md")
        } else if inside.is_empty() || inside.ends_with('/') {
            format!(
                "a folder link needs content/{inside}index.md, content/{inside}_index.md \
                 or content/{}.md",
                inside.trim_end_matches('/')
            )
        } else if dest.starts_with('/') {
            "links starting with / start from the content folder".to_string()
        } else {
            "check the file name; relative links start from this file's folder".to_string()
        };
        (message, hint)
    }

    /// Jekyll and Hugo authors write links relative to the page's address
    /// (`../ubuntu/` from `installation/other-linux.md`, whose page is
    /// `installation/other-linux/`): the Markdown file that link meant, if
    /// there is one, as a link from the file's own folder.
    fn meant_from_page_address(&self, dest: &str, folder: &str, source: &str) -> Option<String> {
        if dest.starts_with('/') {
            return None;
        }
        let page = source
            .strip_suffix(".md")
            .or_else(|| source.strip_suffix(".markdown"))?;
        let path = dest.split(['?', '#']).next().unwrap_or(dest);
        let (ups, inside) = climb(page, path);
        if ups > 0 {
            return None;
        }
        let (page_path, key) = if inside.ends_with('/') || inside.is_empty() {
            self.folder(&inside)?
        } else {
            self.file(&inside)?
        };
        let file = self.source_of(&key?)?;
        (!page_path.is_empty()).then(|| relative_to(folder, file))
    }
}

/// `mailto:`, `https:`, `javascript:`: a scheme before any `/`, `?` or `#`.
pub(super) fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins `path` to `folder` (both under `content/`): how many levels it
/// climbs above `content/`, and where it lands below (a trailing `/` kept).
fn climb(folder: &str, path: &str) -> (usize, String) {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    let mut ups = 0;
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    ups += 1;
                }
            }
            part => parts.push(part),
        }
    }
    let mut inside = parts.join("/");
    let last = path.rsplit('/').next().unwrap_or("");
    if matches!(last, "" | "." | "..") && !inside.is_empty() {
        inside.push('/');
    }
    (ups, inside)
}

/// A link from `folder` to the file `target` (both under `content/`).
fn relative_to(folder: &str, target: &str) -> String {
    let from: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    out
}

/// The error for a link above `content/`; the hint offers the prefix that
/// would let it through (`../std/` for `../std/x.html`).
fn outside(dest: &str, beside: &str) -> Broken {
    let ups = beside.matches("../").count();
    let first = beside[ups * 3..].split('/').next().unwrap_or("");
    let prefix = format!("{}{first}/", "../".repeat(ups));
    (
        format!("`{dest}` points outside the content folder"),
        format!(
            "links start from this file's folder and must stay under content/; \
             if it leaves the site on purpose (say, to a book published beside \
             this one), list where such links start in book.toml: \
             [build] external-prefixes = [\"{prefix}\"]"
        ),
    )
}

/// `Admin%20Studio.md` -> `Admin Studio.md`; invalid escapes stay as written.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_counts_levels_above_content() {
        assert_eq!(climb("items", "../../std/x.html"), (1, "std/x.html".into()));
        assert_eq!(climb("a/b", "../c/"), (0, "a/c/".into()));
        assert_eq!(climb("", "/styles/colour/"), (0, "styles/colour/".into()));
        assert_eq!(climb("guides", "./"), (0, "guides/".into()));
    }

    #[test]
    fn schemes_are_letters_before_a_colon() {
        assert!(has_scheme("https://example.com"));
        assert!(has_scheme("mailto:a@b.c"));
        assert!(!has_scheme("guides/a.md"));
        assert!(!has_scheme("a/b:c.md"));
    }

    #[test]
    fn links_between_files_climb_only_as_far_as_needed() {
        assert_eq!(relative_to("installation", "ubuntu.md"), "../ubuntu.md");
        assert_eq!(relative_to("a/b", "a/c.md"), "../c.md");
        assert_eq!(relative_to("", "x.md"), "x.md");
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("Admin%20Studio.md"), "Admin Studio.md");
        assert_eq!(percent_decode("r%C3%A9f"), "réf");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
