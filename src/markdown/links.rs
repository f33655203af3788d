//! Links between pages: the index of every link target (by id, by source
//! file, with its path and title), `[[wikilink]]` resolution, and relative
//! paths kept inside the content folder.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::closest;
use crate::fingerprint::fingerprint;
use crate::model::{EntityKey, Kind, Meta, Site};

/// Every link target by id, by source file and by site path, with the
/// files under `content/`, built once per build.
pub(crate) struct LinkIndex {
    by_id: HashMap<String, Vec<EntityKey>>,
    pub(super) by_source: HashMap<String, EntityKey>,
    /// Site path (`guides/x/`, `` for home) to what is shown there.
    pub(super) by_path: HashMap<String, EntityKey>,
    pub(super) paths: HashMap<EntityKey, (String, String)>,
    /// Files copied from `content/` as they are, by path under `content/`.
    pub(super) assets: HashSet<String>,
    /// `[build] external-prefixes`: where links may leave the site.
    pub(super) external: Vec<String>,
    /// The sums of the fingerprints of `paths`' keys and of `by_source`'s,
    /// kept as they come and go: `shape` without reading 100,000 keys.
    key_sum: u64,
    source_sum: u64,
}

impl LinkIndex {
    /// `content_prefix` is the content folder relative to the root
    /// (`content/`); `external` the prefixes of links that leave the site
    /// on purpose.
    /// Every entity of `site` but the plain page `left_out` (the outline
    /// of an mdBook, which is not a page of its own).
    pub(crate) fn build(
        site: &Site,
        content_prefix: &str,
        external: &[String],
        left_out: Option<&str>,
    ) -> LinkIndex {
        let metas = site.all_metas();
        // Room for every entity at once: no map grows (and hashes its keys
        // again) on the way.
        let n = metas.len();
        let mut index = LinkIndex {
            by_id: HashMap::with_capacity(n),
            by_source: HashMap::with_capacity(n),
            by_path: HashMap::with_capacity(n),
            paths: HashMap::with_capacity(n),
            assets: site.assets.iter().map(|a| a.path.clone()).collect(),
            external: external.to_vec(),
            key_sum: 0,
            source_sum: 0,
        };
        for (key, meta) in metas {
            if key.kind == crate::model::Kind::Page && Some(key.id.as_str()) == left_out {
                continue;
            }
            let path = meta.path.as_str().to_owned();
            index.insert(key, meta, path, content_prefix);
        }
        index
    }

    fn insert(&mut self, key: EntityKey, meta: &Meta, path: String, content_prefix: &str) {
        self.by_path.insert(path.clone(), key.clone());
        let fp = fingerprint(&key);
        if self
            .paths
            .insert(key.clone(), (path, meta.title.clone()))
            .is_none()
        {
            self.key_sum = self.key_sum.wrapping_add(fp);
        }
        if let Some(source) = meta.file.strip_prefix(content_prefix)
            && (source.ends_with(".md") || source.ends_with(".markdown"))
            && self
                .by_source
                .insert(source.to_string(), key.clone())
                .is_none()
        {
            self.source_sum = self.source_sum.wrapping_add(fingerprint(source));
        }
        self.by_id.entry(key.id.clone()).or_default().push(key);
    }

    /// Adds a plain page that came, as `build` would have it (plain pages
    /// come last in `build`'s order).
    pub(crate) fn add_page(&mut self, site: &Site, key: &EntityKey, content_prefix: &str) {
        if let (Some(path), Some(meta)) = (site.path_of(key), site.meta_of(key)) {
            self.insert(key.clone(), meta, path, content_prefix);
        }
    }

    /// Takes out a target that went.
    pub(crate) fn remove(&mut self, key: &EntityKey) {
        if let Some((path, _)) = self.paths.remove(key) {
            self.by_path.remove(&path);
            self.key_sum = self.key_sum.wrapping_sub(fingerprint(key));
        }
        let mut source_sum = self.source_sum;
        self.by_source.retain(|source, k| {
            let keep = k != key;
            if !keep {
                source_sum = source_sum.wrapping_sub(fingerprint(source.as_str()));
            }
            keep
        });
        self.source_sum = source_sum;
        if let Some(list) = self.by_id.get_mut(&key.id) {
            list.retain(|k| k != key);
            if list.is_empty() {
                self.by_id.remove(&key.id);
            }
        }
    }

    /// The Markdown file (under `content/`) an entity or page was written in.
    pub(super) fn source_of(&self, key: &EntityKey) -> Option<&str> {
        self.by_source
            .iter()
            .find(|(_, k)| *k == key)
            .map(|(source, _)| source.as_str())
    }

    /// Changes whenever an entity, page, Markdown file or other file comes or
    /// goes, or the external prefixes change: what a link can resolve to
    /// (and whether `[[id]]` is ambiguous).
    pub(crate) fn shape(&self) -> u64 {
        let (keys, sources) = (self.key_sum, self.source_sum);
        debug_assert_eq!(
            (keys, sources),
            (
                self.paths
                    .keys()
                    .map(fingerprint)
                    .fold(0, u64::wrapping_add),
                self.by_source
                    .keys()
                    .map(fingerprint)
                    .fold(0, u64::wrapping_add),
            ),
            "the kept sums drifted from the index"
        );
        let assets = self
            .assets
            .iter()
            .map(fingerprint)
            .fold(0u64, u64::wrapping_add);
        fingerprint(&(keys, sources, assets, &self.external))
    }

    /// What `shape` is made of, each by name: every target's key and site
    /// path, Markdown source and other file, and external prefix. What came
    /// or went between two builds is the difference of their names.
    pub(crate) fn shape_names(&self) -> HashSet<String> {
        let keys = self
            .paths
            .iter()
            .flat_map(|(key, (path, _))| [key_name(key), format!("path\t{path}")]);
        let sources = self.by_source.keys().map(|s| format!("source\t{s}"));
        let assets = self.assets.iter().map(|a| format!("asset\t{a}"));
        let external = self.external.iter().map(|e| format!("external\t{e}"));
        keys.chain(sources).chain(assets).chain(external).collect()
    }

    /// The entries of `shape_names` that name one target.
    pub(crate) fn names_of(&self, key: &EntityKey) -> Vec<String> {
        let Some((path, _)) = self.paths.get(key) else {
            return Vec::new();
        };
        let sources = self.by_source.iter().filter(|(_, k)| *k == key);
        [key_name(key), format!("path\t{path}")]
            .into_iter()
            .chain(sources.map(|(s, _)| format!("source\t{s}")))
            .collect()
    }

    /// The paths and titles of the given link targets, which their links show.
    pub(crate) fn targets_of(&self, keys: &[EntityKey]) -> u64 {
        let shown: Vec<Option<&(String, String)>> =
            keys.iter().map(|k| self.paths.get(k)).collect();
        fingerprint(&shown)
    }

    /// The entity or page written in a Markdown file (a path under `content/`).
    pub(crate) fn entity_at(&self, source: &str) -> Option<&EntityKey> {
        self.by_source.get(source)
    }

    /// Gives a target its new title, after an edit changed nothing else
    /// the index holds.
    pub(crate) fn retitle(&mut self, key: &EntityKey, title: &str) {
        if let Some((_, shown)) = self.paths.get_mut(key) {
            title.clone_into(shown);
        }
    }

    pub(crate) fn path_and_title(&self, key: &EntityKey) -> Option<&(String, String)> {
        self.paths.get(key)
    }

    /// `kind/id`, `id`, or a page path such as `guides/onboarding`.
    pub(super) fn resolve_wiki(&self, target: &str) -> Result<EntityKey, (String, String)> {
        let target = target.trim().trim_matches('/');
        if let Some((prefix, id)) = target.split_once('/')
            && let Some(kind) = Kind::from_link_prefix(prefix)
        {
            let id = if kind == Kind::Moment {
                id.rsplit('/').next().unwrap_or(id)
            } else {
                id
            };
            let key = EntityKey::new(kind, id);
            let alt = (kind == Kind::Moment).then(|| EntityKey::new(Kind::Stage, id));
            if self.paths.contains_key(&key) {
                return Ok(key);
            }
            if let Some(alt) = alt.filter(|k| self.paths.contains_key(k)) {
                return Ok(alt);
            }
        }
        match self.by_id.get(target).map(Vec::as_slice) {
            Some([only]) => Ok(only.clone()),
            Some(many) => Err((
                format!("`[[{target}]]` could mean {} things", many.len()),
                format!(
                    "name the kind: {}",
                    many.iter()
                        .map(|k| format!("[[{}/{}]]", k.kind.folder_or_page(), k.id))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )),
            None => {
                let bare = target.rsplit('/').next().unwrap_or(target);
                let guess = closest(bare, self.by_id.keys().map(String::as_str));
                Err((
                    format!("`[[{target}]]` links to nothing"),
                    guess.map_or_else(
                        || "write [[kind/id]], e.g. [[roles/contact-centre-agent]]".to_string(),
                        |g| format!("did you mean `[[{g}]]`?"),
                    ),
                ))
            }
        }
    }
}

impl Kind {
    /// How a `[[kind/id]]` link names the kind: its folder if it has one
    /// of its own, else its name (`page`, `stage`, `moment`).
    fn folder_or_page(self) -> &'static str {
        let info = self.info();
        if info.listed { info.folder } else { info.name }
    }
}

/// A target's key as `shape_names` spells it.
fn key_name(key: &EntityKey) -> String {
    format!("key\t{}/{}", key.kind.info().name, key.id)
}

/// Joins a relative link to its folder, refusing to climb above the root
/// the folder is relative to (`content/` for sources, the site for pages).
pub(crate) fn normalise(folder: &str, link: &str) -> Option<String> {
    // The joined path itself is the stack of parts: a part never holds a
    // `/`, so going up cuts at the last one. Links are resolved by the
    // hundred per page; this allocates once.
    let mut path = String::with_capacity(folder.len() + link.len());
    let push = |path: &mut String, part: &str| {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(part);
    };
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        push(&mut path, part);
    }
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if path.is_empty() {
                    return None;
                }
                path.truncate(path.rfind('/').unwrap_or(0));
            }
            part => push(&mut path, part),
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_stay_inside_content() {
        assert_eq!(
            normalise("guides", "../roles/a.md").as_deref(),
            Some("roles/a.md")
        );
        assert_eq!(normalise("", "../../etc/passwd"), None);
    }

    #[test]
    fn going_up_drops_one_whole_part_at_a_time() {
        assert_eq!(
            normalise("roles/role-1", "../../standards/s-2/").as_deref(),
            Some("standards/s-2")
        );
        assert_eq!(normalise("a//b/", "./x/./../y").as_deref(), Some("a/b/y"));
        assert_eq!(normalise("abc", "x/..").as_deref(), Some("abc"));
        assert_eq!(normalise("abc", "..").as_deref(), Some(""));
        assert_eq!(normalise("abc", "../..").as_deref(), None);
        assert_eq!(normalise("", "").as_deref(), Some(""));
    }
}
