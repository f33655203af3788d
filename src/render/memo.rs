//! Which pages need rendering again. Each rendered page remembers the
//! entities it showed (recorded by its `Linker`); after an edit, a page is
//! reused only if none of them was touched. "Touched" is computed, not
//! guessed: the entities whose source changed, plus each reference that
//! came or went with the change (a role that now owns a moment changes that
//! moment's page too).

use std::collections::{HashMap, HashSet};

use super::{RenderInput, Theme};
use crate::fingerprint::fingerprint;
use crate::model::{EntityKey, Kind, Site};
use crate::output::OutputFile;

#[derive(Clone)]
pub(crate) struct MemoPage {
    pub file: OutputFile,
    /// Shared, so reusing a page costs no copy of its list.
    pub deps: std::sync::Arc<[EntityKey]>,
    /// For pages listing whole kinds: the set of entities they were built from.
    pub globals: u64,
    /// What renders the page again.
    pub(super) job: super::Job,
}

#[derive(Default)]
pub(crate) struct PageMemo {
    salt: u64,
    pages: HashMap<String, MemoPage>,
    entities: HashMap<EntityKey, u64>,
    references: HashMap<EntityKey, Vec<EntityKey>>,
}

/// What this build knows before rendering: which entities were touched.
pub(crate) struct Plan {
    salt: u64,
    pub globals: u64,
    touched: HashSet<EntityKey>,
    entities: HashMap<EntityKey, u64>,
    references: HashMap<EntityKey, Vec<EntityKey>>,
}

impl PageMemo {
    pub(crate) fn plan(&self, theme: &Theme, input: &RenderInput) -> Plan {
        let salt = fingerprint(&(
            theme.fingerprint,
            format!("{:?}", input.config),
            input.today,
            input.live_reload,
            // Every page shows the navigation; the home page the outline.
            super::nav::nav(input.site, input.config),
            &input.site.outline,
        ));
        let entities: HashMap<EntityKey, u64> = input
            .site
            .all_metas()
            .into_iter()
            .map(|(key, meta)| {
                let fp = entity_fingerprint(input, &key, meta);
                (key, fp)
            })
            .collect();
        let references: HashMap<EntityKey, Vec<EntityKey>> = entities
            .keys()
            .map(|k| (k.clone(), references(input, k)))
            .collect();
        let mut keys: Vec<&EntityKey> = entities.keys().collect();
        keys.sort();
        let findings: Vec<&str> = input
            .findings
            .iter()
            .map(|f| f.diagnostic.message.as_str())
            .collect();
        // The change log lists whole kinds too (and titles of what was removed).
        let globals = fingerprint(&(keys, findings, input.changes.fingerprint()));
        let changed: Vec<&EntityKey> = entities
            .iter()
            .filter(|(k, fp)| self.entities.get(*k) != Some(*fp))
            .map(|(k, _)| k)
            .chain(self.entities.keys().filter(|k| !entities.contains_key(*k)))
            .collect();
        let mut touched: HashSet<EntityKey> = HashSet::new();
        let none = Vec::new();
        for key in changed {
            touched.insert(key.clone());
            // A page shows what it links to, so a changed entity re-renders the
            // pages that showed it, and those showing what it refers to (a
            // moment shows its owners).
            // The references are not told apart by relation (a moment a role
            // moves from `supports:` to `owns:` stays referenced), so every
            // one before and after counts.
            let before = self.references.get(key).unwrap_or(&none);
            let after = references.get(key).unwrap_or(&none);
            touched.extend(before.iter().chain(after).cloned());
        }
        Plan {
            salt,
            globals,
            touched,
            entities,
            references,
        }
    }

    pub(crate) fn remember(&mut self, plan: Plan, pages: Vec<(String, MemoPage)>) {
        self.salt = plan.salt;
        self.entities = plan.entities;
        self.references = plan.references;
        self.pages = pages.into_iter().collect();
    }
}

impl PageMemo {
    /// Every remembered page that showed one of `keys`.
    pub(crate) fn showing(&self, keys: &[EntityKey]) -> Vec<(&str, &MemoPage)> {
        self.pages
            .iter()
            .filter(|(_, page)| keys.iter().any(|k| page.deps.binary_search(k).is_ok()))
            .map(|(out, page)| (out.as_str(), page))
            .collect()
    }

    /// Takes pages rendered again after `keys` changed their bodies, and the
    /// new stamps of those entities, so the next plan sees them as current.
    pub(crate) fn replace(
        &mut self,
        input: &RenderInput,
        keys: &[EntityKey],
        pages: Vec<(String, MemoPage)>,
    ) {
        for key in keys {
            if let Some(meta) = input.site.meta_of(key) {
                self.entities
                    .insert(key.clone(), entity_fingerprint(input, key, meta));
            }
        }
        self.pages.extend(pages);
    }
}

/// An entity's source, as far as pages care: its file, that file's stamp,
/// whether it is a draft, and the titles and paths its body's links show
/// (retitling a moment changes a guide linking it). Not the body's whole
/// memo key: that changes for every body when any file comes or goes.
fn entity_fingerprint(input: &RenderInput, key: &EntityKey, meta: &crate::model::Meta) -> u64 {
    let stamp = input.stamps.get(&meta.file).copied().unwrap_or_default();
    let targets = input.bodies.get(key).map(|b| (b.targets, &b.links));
    fingerprint(&(&meta.file, stamp, meta.draft, targets))
}

impl Plan {
    /// The page from the last build, if nothing it showed was touched.
    pub(crate) fn reusable<'m>(
        &self,
        memo: &'m PageMemo,
        out: &str,
        global: bool,
    ) -> Option<&'m MemoPage> {
        if memo.salt != self.salt {
            return None;
        }
        let page = memo.pages.get(out)?;
        let stale = (global && page.globals != self.globals)
            || page.deps.iter().any(|d| self.touched.contains(d));
        (!stale).then_some(page)
    }
}

/// What an entity's own source points at: front matter references, body
/// links, its stage or parent section.
fn references(input: &RenderInput, key: &EntityKey) -> Vec<EntityKey> {
    let mut refs = input.site.references(key);
    if let Some(body) = input.bodies.get(key) {
        refs.extend(body.links.iter().cloned());
    }
    if key.kind == Kind::Page {
        refs.extend(parent_page(input.site, &key.id));
    }
    refs
}

fn parent_page(site: &Site, id: &str) -> Option<EntityKey> {
    let parent = id.rsplit_once('/').map_or("", |(p, _)| p);
    site.pages
        .contains_key(parent)
        .then(|| EntityKey::new(Kind::Page, parent))
}
