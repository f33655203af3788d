//! Which pages need rendering again. Each rendered page remembers the
//! entities it showed (recorded by its `Linker`); after an edit, a page is
//! reused only if none of them was touched. "Touched" is computed, not
//! guessed: the entities whose source changed, plus each reference that
//! came or went with the change (a role that now owns a moment changes that
//! moment's page too).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{RenderInput, Theme};
use crate::fingerprint::fingerprint;
use crate::model::{EntityKey, Kind, MomentId, Site};
use crate::output::OutputFile;

#[derive(Clone)]
pub(crate) struct MemoPage {
    pub file: OutputFile,
    /// Shared, so reusing a page costs no copy of its list.
    pub deps: std::sync::Arc<[EntityKey]>,
    /// `deps` as bits, to pass over the page without reading its keys.
    pub shown: Shown,
    /// Those of `deps` whose Markdown bodies it showed.
    pub bodies: std::sync::Arc<[EntityKey]>,
    /// For pages listing whole kinds: the set of entities they were built from.
    pub globals: u64,
    /// For pages listing whole kinds: a fingerprint of all their template
    /// was given, so rendering one again to the same view reuses `file`.
    pub view: Option<u64>,
    /// What renders the page again.
    pub(super) job: super::Job,
}

#[derive(Default)]
pub(crate) struct PageMemo {
    /// The moments in journey order, as the last build had them.
    journey: Vec<MomentId>,
    salt: u64,
    /// The last plan's fingerprint of which entities there are.
    kinds: Kinds,
    pages: HashMap<String, MemoPage>,
    entities: HashMap<EntityKey, u64>,
    references: HashMap<EntityKey, Vec<Reference>>,
    /// The export's lists as the last build wrote them, kept only by a
    /// session of rebuilds (`PageMemo::for_session`).
    export: Option<super::export::Parts>,
}

/// What this build knows before rendering: which entities were touched.
pub(crate) struct Plan {
    journey: Vec<MomentId>,
    salt: u64,
    pub globals: Globals,
    kinds: Kinds,
    /// Sorted, as pages' `deps` are.
    touched: Vec<EntityKey>,
    entities: HashMap<EntityKey, u64>,
    references: HashMap<EntityKey, Vec<Reference>>,
}

impl PageMemo {
    /// The memo of a session of rebuilds: it keeps the export's lists too.
    pub(crate) fn for_session() -> PageMemo {
        PageMemo {
            export: Some(Default::default()),
            ..PageMemo::default()
        }
    }

    /// `/playbook.json` after the entities in `changed` changed (all of
    /// them: `None`). A session writes again only their entries.
    pub(crate) fn playbook(
        &mut self,
        input: &RenderInput,
        changed: Option<&[EntityKey]>,
    ) -> OutputFile {
        playbook_file(&mut self.export, input, changed)
    }

    /// Does `work` with this memo and writes `/playbook.json` (as
    /// `playbook`) at the same time, on whichever threads are free.
    pub(super) fn playbook_alongside<T: Send>(
        &mut self,
        input: &RenderInput,
        changed: Option<&[EntityKey]>,
        work: impl FnOnce(&PageMemo) -> T + Send,
    ) -> (T, OutputFile) {
        // The export's lists are the only part the export changes: taken
        // out, the rest of the memo is shared with `work` meanwhile.
        let mut export = self.export.take();
        let memo = &*self;
        let (done, file) =
            rayon::join(|| work(memo), || playbook_file(&mut export, input, changed));
        self.export = export;
        (done, file)
    }

    pub(crate) fn plan(&self, theme: &Theme, input: &RenderInput) -> Plan {
        let salt = salt(theme, input, &super::nav::nav(input.site, input.config));
        let entities: HashMap<EntityKey, u64> = input
            .site
            .all_metas()
            .into_iter()
            .map(|(key, meta)| {
                let fp = entity_fingerprint(input, &key, meta);
                (key, fp)
            })
            .collect();
        let references: HashMap<EntityKey, Vec<Reference>> = entities
            .keys()
            .map(|k| (k.clone(), references(input, k)))
            .collect();
        let kinds = Kinds::of(entities.keys());
        let globals = globals(input, kinds);
        let changed: Vec<&EntityKey> = entities
            .iter()
            .filter(|(k, fp)| self.entities.get(*k) != Some(*fp))
            .map(|(k, _)| k)
            .chain(self.entities.keys().filter(|k| !entities.contains_key(*k)))
            .collect();
        let mut touched = self.touched(changed, &references);
        touched.extend(self.moved_along_journey(input));
        Plan {
            journey: input.graph.journey.clone(),
            salt,
            globals,
            kinds,
            touched: sorted(touched),
            entities,
            references,
        }
    }

    /// The changed entities, and what each referred to before or after in
    /// a way that changed. A page shows what it links to, so a changed
    /// entity re-renders the pages that showed it, and those showing what
    /// it refers to (a moment shows its owners). A reference told apart by
    /// what it says (a role's `owns:`, a behaviour, a persona's claim)
    /// counts only if that came, went or changed; the pages showing it
    /// showed the changed entity too. Every other reference counts.
    fn touched<'k>(
        &self,
        changed: impl IntoIterator<Item = &'k EntityKey>,
        references: &HashMap<EntityKey, Vec<Reference>>,
    ) -> HashSet<EntityKey> {
        let mut touched: HashSet<EntityKey> = HashSet::new();
        let none = Vec::new();
        for key in changed {
            touched.insert(key.clone());
            let before = self.references.get(key).unwrap_or(&none);
            let after = references.get(key).unwrap_or(&none);
            touched.extend(moved(before, after));
        }
        touched
    }

    /// The moments whose neighbours along the journey changed since the
    /// last build: a moment's page links the moments before and after it.
    fn moved_along_journey(&self, input: &RenderInput) -> Vec<EntityKey> {
        let neighbours =
            |journey: &[MomentId]| -> HashMap<MomentId, (Option<MomentId>, Option<MomentId>)> {
                journey
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let previous = i.checked_sub(1).map(|p| journey[p].clone());
                        (m.clone(), (previous, journey.get(i + 1).cloned()))
                    })
                    .collect()
            };
        let after = &input.graph.journey;
        if self.journey == *after {
            return Vec::new();
        }
        let (before, now) = (neighbours(&self.journey), neighbours(after));
        before
            .keys()
            .chain(now.keys())
            .filter(|m| before.get(*m) != now.get(*m))
            .map(|m| EntityKey::new(Kind::Moment, m.as_str()))
            .collect()
    }

    pub(crate) fn remember(&mut self, plan: Plan, pages: Vec<(String, MemoPage)>) {
        self.journey = plan.journey;
        self.salt = plan.salt;
        self.kinds = plan.kinds;
        self.entities = plan.entities;
        self.references = plan.references;
        self.pages = pages.into_iter().collect();
    }

    /// What an edit that kept every path and navigation item changes among
    /// the remembered pages, given the entities whose source it may have
    /// changed (`candidates`; those whose fingerprint kept still are left
    /// out) and the plain pages that came or went (`came` and `went` are
    /// among the candidates). `None` when every page must be rendered
    /// again, or when no build is remembered.
    pub(crate) fn update(
        &self,
        theme: &Theme,
        input: &RenderInput,
        candidates: &[EntityKey],
        came: &[EntityKey],
        went: &[EntityKey],
    ) -> Option<Update> {
        let nav = super::nav::nav(input.site, input.config);
        if self.pages.is_empty() || salt(theme, input, &nav) != self.salt {
            return None;
        }
        let mut entities = HashMap::new();
        let mut references_after = HashMap::new();
        let mut changed = Vec::new();
        for key in candidates {
            let Some(meta) = input.site.meta_of(key) else {
                changed.push(key);
                continue;
            };
            let fp = entity_fingerprint(input, key, meta);
            if self.entities.get(key) != Some(&fp) {
                entities.insert(key.clone(), fp);
                references_after.insert(key.clone(), references(input, key));
                changed.push(key);
            }
        }
        let mut touched = self.touched(changed, &references_after);
        touched.extend(self.moved_along_journey(input));
        // Which entities there are changes only when some came or went.
        let kinds = self.kinds.with(came.iter(), went.iter());
        let site = input.site;
        let added = came
            .iter()
            .map(|key| super::Job::Entity(key.clone()))
            .map(|job| (job.out_path(site), job))
            .collect();
        Some(Update {
            nav,
            journey: input.graph.journey.clone(),
            kinds,
            globals: globals(input, kinds),
            touched: sorted(touched),
            entities,
            references: references_after,
            added,
            went: went.to_vec(),
            gone_pages: Vec::new(),
        })
    }

    /// The pages an update makes stale, and those of the entities that
    /// came: where each goes, what renders it, and the global fingerprint
    /// it is to be rendered with.
    /// The pages of the entities that went are noted in the update, for
    /// `apply` to take out without going through every page again.
    pub(super) fn stale(&self, update: &mut Update) -> Vec<Stale> {
        // Few entities go at once: compared one by one rather than hashed
        // for each of a large site's pages, unless many went.
        let hashed: HashSet<&EntityKey> = match update.went.len() {
            0..=8 => HashSet::new(),
            _ => update.went.iter().collect(),
        };
        let gone = |k: &EntityKey| match hashed.is_empty() {
            true => update.went.contains(k),
            false => hashed.contains(k),
        };
        let touched = Shown::of(&update.touched);
        let found: Vec<(bool, usize, String, super::Job, u64)> = self
            .pages
            .par_iter()
            .filter_map(|(out, page)| {
                if matches!(&page.job, super::Job::Entity(k) if gone(k)) {
                    return Some((true, 0, out.clone(), page.job.clone(), 0));
                }
                let globals = update.globals.of(&page.job);
                let stale = page.globals != globals
                    || (page.shown.meets(&touched) && shows_any(&page.deps, &update.touched));
                // The length is read only for a stale page: it is another
                // memory read for each page of the site.
                stale.then(|| {
                    (
                        false,
                        page.file.bytes.len(),
                        out.clone(),
                        page.job.clone(),
                        globals,
                    )
                })
            })
            .collect();
        let mut stale = Vec::with_capacity(found.len());
        for (went, size, out, job, globals) in found {
            match went {
                true => update.gone_pages.push(out),
                false => stale.push((size, out, job, globals)),
            }
        }
        stale.extend(update.added.iter().map(|(out, job)| {
            let globals = update.globals.of(job);
            (0, out.clone(), job.clone(), globals)
        }));
        // The longest pages to render (the overviews, half a megabyte each
        // at 10,000 pages) first, so the short ones fill in around them
        // rather than leave a core idle at the end.
        stale.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        stale
            .into_iter()
            .map(|(size, out, job, globals)| {
                let before = self.pages.get(&out).and_then(|page| {
                    let view = page.view?;
                    Some((view, page.file.clone()))
                });
                Stale {
                    out,
                    size,
                    job,
                    globals,
                    before,
                }
            })
            .collect()
    }

    /// The bytes of the page remembered at `out`.
    pub(super) fn bytes_of(&self, out: &str) -> Option<&std::sync::Arc<[u8]>> {
        self.pages.get(out).map(|page| &page.file.bytes)
    }

    /// Forgets every page and what it was made from, keeping what the memo
    /// is for (a session's export lists are made anew): the next build
    /// renders every page.
    pub(crate) fn forget_pages(&mut self) {
        let export = self.export.as_ref().map(|_| Default::default());
        *self = PageMemo {
            export,
            ..PageMemo::default()
        };
    }

    /// Takes pages an update left for later (`render::Later`), rendered.
    pub(super) fn keep(&mut self, pages: Vec<(String, MemoPage)>) {
        self.pages.extend(pages);
    }

    /// Takes an update and the pages rendered for it.
    pub(crate) fn apply(&mut self, update: Update, pages: Vec<(String, MemoPage)>) {
        self.journey = update.journey;
        self.kinds = update.kinds;
        for out in &update.gone_pages {
            self.pages.remove(out);
        }
        for key in &update.went {
            self.entities.remove(key);
            self.references.remove(key);
        }
        self.entities.extend(update.entities);
        self.references.extend(update.references);
        self.pages.extend(pages);
    }
}

/// `/playbook.json`, from the export's lists a session keeps (`export`),
/// or whole.
pub(super) fn playbook_file(
    export: &mut Option<super::export::Parts>,
    input: &RenderInput,
    changed: Option<&[EntityKey]>,
) -> OutputFile {
    let (config, site, graph, changes) = (input.config, input.site, input.graph, input.changes);
    let bytes = match export {
        None => super::export::playbook_json(config, site, graph, changes),
        Some(parts) => {
            parts.refresh(config, site, graph, changes, changed);
            parts.bytes(config, site, graph)
        }
    };
    OutputFile {
        path: super::PLAYBOOK.to_string(),
        bytes,
    }
}

/// What every page shows besides its entities: the theme, the
/// configuration, the day, and the navigation (the home page: the outline).
fn salt(theme: &Theme, input: &RenderInput, nav: &[super::nav::NavItem]) -> u64 {
    fingerprint(&(
        theme.fingerprint,
        format!("{:?}", input.config),
        input.today,
        input.live_reload,
        nav,
        &input.site.outline,
    ))
}

/// Fingerprints of which entities there are: every key, and every key but
/// those of plain pages, which only some pages listing whole kinds show.
#[derive(Default, Clone, Copy)]
struct Kinds {
    all: u64,
    without_pages: u64,
}

impl Kinds {
    /// A sum of each key's fingerprint: the same whatever the order, so
    /// keys that come or go are added or taken away without reading the
    /// others (a site holds each key once).
    fn of<'k>(keys: impl Iterator<Item = &'k EntityKey>) -> Kinds {
        Kinds::default().with(keys, std::iter::empty())
    }

    /// These kinds after the keys in `came` came and those in `went` went.
    fn with<'k>(
        self,
        came: impl Iterator<Item = &'k EntityKey>,
        went: impl Iterator<Item = &'k EntityKey>,
    ) -> Kinds {
        let mut kinds = self;
        let mut add = |key: &EntityKey, sign: u64| {
            let fp = fingerprint(key).wrapping_mul(sign);
            kinds.all = kinds.all.wrapping_add(fp);
            if key.kind != Kind::Page {
                kinds.without_pages = kinds.without_pages.wrapping_add(fp);
            }
        };
        came.for_each(|key| add(key, 1));
        went.for_each(|key| add(key, u64::MAX));
        kinds
    }
}

/// What pages listing whole kinds depend on besides the entities they show,
/// with or without which plain pages there are.
#[derive(Clone, Copy)]
pub(crate) struct Globals {
    all: u64,
    without_pages: u64,
}

impl Globals {
    /// The fingerprint `job`'s page is rendered with: 0 for a page that
    /// lists no whole kind. The journey, the accountability matrix, the
    /// kind lists and the personas' curves show no plain page, so a guide
    /// that comes or goes leaves them be.
    pub(super) fn of(&self, job: &super::Job) -> u64 {
        use super::Job;
        match job {
            _ if !job.is_global() => 0,
            Job::Journey | Job::Accountability | Job::Entity(_) => self.without_pages,
            Job::List(kind) if *kind != Kind::Page => self.without_pages,
            _ => self.all,
        }
    }
}

/// What pages listing whole kinds depend on besides the entities they show:
/// which entities there are (`kinds`) and which are drafts (the health
/// page lists every draft, so one that becomes a draft changes it), the
/// findings, the change log (which names what was removed too), and the
/// journey's order (a persona's curve runs along it).
fn globals(input: &RenderInput, kinds: Kinds) -> Globals {
    let findings: Vec<&str> = input
        .findings
        .iter()
        .map(|f| f.diagnostic.message.as_str())
        .collect();
    let drafts: Vec<(Kind, &str)> = input
        .site
        .metas()
        .filter(|(_, _, meta)| meta.draft)
        .map(|(kind, id, _)| (kind, id))
        .collect();
    // Read once: the journey alone is 20,000 ids in a large site.
    let rest = fingerprint(&(
        &findings,
        &drafts,
        input.changes.fingerprint(),
        &input.graph.journey,
    ));
    let with = |kinds: u64| fingerprint(&(kinds, rest));
    Globals {
        all: with(kinds.all),
        without_pages: with(kinds.without_pages),
    }
}

/// A page an update makes stale: where it goes, what renders it, the
/// global fingerprint it is to be rendered with, and the fingerprint of
/// its last view with the page made from it, if it keeps one.
pub(super) struct Stale {
    pub out: String,
    /// How long its last output was (0 for a page that came).
    pub size: usize,
    pub job: super::Job,
    pub globals: u64,
    pub before: Option<(u64, OutputFile)>,
}

/// A patch's change to the remembered pages (`PageMemo::update`).
pub(crate) struct Update {
    /// The navigation, as the salt saw it (the pages rendered show it).
    pub(super) nav: Vec<super::nav::NavItem>,
    journey: Vec<MomentId>,
    kinds: Kinds,
    globals: Globals,
    /// Sorted, as pages' `deps` are.
    touched: Vec<EntityKey>,
    entities: HashMap<EntityKey, u64>,
    references: HashMap<EntityKey, Vec<Reference>>,
    /// The pages of the entities that came (output path and job), and the
    /// entities that went.
    added: Vec<(String, super::Job)>,
    went: Vec<EntityKey>,
    /// The remembered pages of the entities that went (`stale` finds them).
    gone_pages: Vec<String>,
}

impl PageMemo {
    /// Every remembered page that showed the body of one of `keys`.
    pub(crate) fn showing(&self, keys: &[EntityKey]) -> Vec<(&str, &MemoPage)> {
        // Every page of the site is looked at: on all cores.
        self.pages
            .par_iter()
            .filter(|(_, page)| keys.iter().any(|k| page.bodies.binary_search(k).is_ok()))
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
/// whether it is a draft, what its body was rendered from (with the files
/// it includes) and the titles and paths its body's links show (retitling
/// a moment changes a guide linking it).
fn entity_fingerprint(input: &RenderInput, key: &EntityKey, meta: &crate::model::Meta) -> u64 {
    let stamp = input.stamps.get(&meta.file).copied().unwrap_or_default();
    let targets = input
        .bodies
        .get(key)
        .map(|b| (b.source, b.targets, &b.links));
    fingerprint(&(&meta.file, stamp, meta.draft, targets))
}

impl Plan {
    /// The page from the last build, if nothing it showed was touched.
    pub(super) fn reusable<'m>(
        &self,
        memo: &'m PageMemo,
        out: &str,
        job: &super::Job,
    ) -> Option<&'m MemoPage> {
        if memo.salt != self.salt {
            return None;
        }
        let page = memo.pages.get(out)?;
        let stale = page.globals != self.globals.of(job) || shows_any(&page.deps, &self.touched);
        (!stale).then_some(page)
    }

    /// The fingerprint of the last view of the page at `out` and the page
    /// made from it, if it keeps one and was rendered with the same salt.
    pub(super) fn before<'m>(
        &self,
        memo: &'m PageMemo,
        out: &str,
    ) -> Option<(u64, &'m OutputFile)> {
        if memo.salt != self.salt {
            return None;
        }
        let page = memo.pages.get(out)?;
        Some((page.view?, &page.file))
    }
}

/// Whether a page's `deps` (sorted, as `Linker::into_deps` gives them)
/// hold any of `touched` (sorted too): each of `touched` looked up in
/// `deps` when that is quicker (an edit touches a few entities; an overview
/// shows thousands), else both walked side by side. No key is hashed: an
/// edit checks every page of the site.
fn shows_any(deps: &[EntityKey], touched: &[EntityKey]) -> bool {
    let depth = (usize::BITS - deps.len().leading_zeros()) as usize;
    if touched.len() * depth < deps.len() {
        return touched.iter().any(|t| deps.binary_search(t).is_ok());
    }
    let (mut d, mut t) = (0, 0);
    while d < deps.len() && t < touched.len() {
        match deps[d].cmp(&touched[t]) {
            std::cmp::Ordering::Less => d += 1,
            std::cmp::Ordering::Greater => t += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// A set of entities as 256 bits, one set by each: two sets with no bit in
/// common hold no entity in common. An edit checks every page of the site,
/// and most pages' bits meet none of the few it touched.
#[derive(Clone, Copy, Default)]
pub(crate) struct Shown([u64; 4]);

impl Shown {
    pub(crate) fn of(keys: &[EntityKey]) -> Shown {
        let mut bits = [0u64; 4];
        for key in keys {
            let hash = fingerprint(key);
            bits[(hash >> 6) as usize & 3] |= 1 << (hash & 63);
        }
        Shown(bits)
    }

    /// Whether the two sets may hold an entity in common.
    fn meets(&self, other: &Shown) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }
}

fn sorted(keys: HashSet<EntityKey>) -> Vec<EntityKey> {
    let mut keys: Vec<EntityKey> = keys.into_iter().collect();
    keys.sort_unstable();
    keys
}

/// One thing an entity's source points at, with a fingerprint of what it
/// says about it (its relation), or `None` when that is not told apart.
type Reference = (EntityKey, Option<u64>);

/// What an entity's own source points at: front matter references, body
/// links, its stage or parent section. A role's moments and behaviours and
/// a persona's claims carry what they say.
fn references(input: &RenderInput, key: &EntityKey) -> Vec<Reference> {
    let site = input.site;
    let moment = |m: &MomentId| EntityKey::new(Kind::Moment, m.as_str());
    let mut refs: Vec<Reference> = match key.kind {
        Kind::Role => site.roles.get(key.id.as_str()).map_or(vec![], |r| {
            let mut refs: Vec<Reference> = Vec::new();
            refs.extend(
                r.owns
                    .iter()
                    .map(|m| (moment(m), Some(fingerprint("owns")))),
            );
            refs.extend(
                r.supports
                    .iter()
                    .map(|m| (moment(m), Some(fingerprint("supports")))),
            );
            for b in &r.behaviours {
                let says = Some(fingerprint(&format!("{b:?}")));
                refs.push((EntityKey::new(Kind::Standard, b.standard.as_str()), says));
                refs.extend(b.moment.iter().map(|m| (moment(m), says)));
            }
            refs
        }),
        Kind::Persona => site.personas.get(key.id.as_str()).map_or(vec![], |p| {
            let claims = |feeling: &'static str, claims: &[crate::model::Claim]| {
                claims
                    .iter()
                    .flat_map(|c| {
                        let says = Some(fingerprint(&format!("{feeling} {c:?}")));
                        c.moments.iter().map(move |m| (moment(m), says))
                    })
                    .collect::<Vec<Reference>>()
            };
            let mut refs = claims("love", &p.loves);
            refs.extend(claims("hate", &p.hates));
            refs
        }),
        _ => site
            .references(key)
            .into_iter()
            .map(|k| (k, None))
            .collect(),
    };
    if let Some(body) = input.bodies.get(key) {
        refs.extend(body.links.iter().map(|k| (k.clone(), None)));
    }
    if key.kind == Kind::Page {
        refs.extend(parent_page(site, &key.id).map(|k| (k, None)));
    }
    refs
}

/// The entities an edit referred to before or after in a way that changed:
/// each whose relations (as `references` tells them) differ, and each
/// referred to in a way not told apart.
fn moved(before: &[Reference], after: &[Reference]) -> Vec<EntityKey> {
    let mut relations: HashMap<&EntityKey, (Vec<u64>, Vec<u64>)> = HashMap::new();
    let mut moved = Vec::new();
    for (side, refs) in [(0, before), (1, after)] {
        for (key, says) in refs {
            match says {
                None => moved.push(key.clone()),
                Some(says) => {
                    let entry = relations.entry(key).or_default();
                    match side {
                        0 => entry.0.push(*says),
                        _ => entry.1.push(*says),
                    }
                }
            }
        }
    }
    for (key, (mut before, mut after)) in relations {
        before.sort_unstable();
        after.sort_unstable();
        if before != after {
            moved.push(key.clone());
        }
    }
    moved
}

fn parent_page(site: &Site, id: &str) -> Option<EntityKey> {
    let parent = id.rsplit_once('/').map_or("", |(p, _)| p);
    site.pages
        .contains_key(parent)
        .then(|| EntityKey::new(Kind::Page, parent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_entities_there_are_is_told_apart_with_and_without_plain_pages() {
        let role = EntityKey::new(Kind::Role, "driver");
        let page = EntityKey::new(Kind::Page, "guides/faq");
        let guide = EntityKey::new(Kind::Page, "guides/new");
        let moment = EntityKey::new(Kind::Moment, "delivery");
        let kinds = Kinds::of([&role, &page, &moment].into_iter());
        // In any order, and kept up by what comes and goes.
        let shuffled = Kinds::of([&moment, &page, &role].into_iter());
        assert_eq!(
            (kinds.all, kinds.without_pages),
            (shuffled.all, shuffled.without_pages)
        );
        let came = kinds.with([&guide].into_iter(), std::iter::empty());
        assert_ne!(came.all, kinds.all, "a guide came");
        assert_eq!(came.without_pages, kinds.without_pages, "no other kind did");
        let went = kinds.with(std::iter::empty(), [&role].into_iter());
        assert_ne!(went.without_pages, kinds.without_pages, "a role went");
        let fresh = Kinds::of([&page, &moment].into_iter());
        assert_eq!(
            (went.all, went.without_pages),
            (fresh.all, fresh.without_pages)
        );
        let back = went.with([&role].into_iter(), std::iter::empty());
        assert_eq!(
            (back.all, back.without_pages),
            (kinds.all, kinds.without_pages)
        );
    }

    #[test]
    fn pages_whose_bits_meet_none_of_an_edits_are_those_showing_none_of_it() {
        let keys: Vec<EntityKey> = (0..400)
            .map(|i| EntityKey::new(Kind::Page, format!("guides/g{i}")))
            .collect();
        let page = Shown::of(&keys[..20]);
        // Whatever else an edit touched, a key the page shows meets it.
        for key in &keys[..20] {
            assert!(page.meets(&Shown::of(&[keys[300].clone(), key.clone()])));
        }
        assert!(!Shown::of(&[]).meets(&page));
        // Most single keys the page does not show share no bit with it.
        let passed = keys[20..]
            .iter()
            .filter(|k| !page.meets(&Shown::of(&[(*k).clone()])));
        assert!(passed.count() > 300, "the bits tell too few pages apart");
    }

    /// Both ways of looking (each touched key looked up, or both lists
    /// walked side by side) agree with a plain search, whichever is longer.
    #[test]
    fn a_page_shows_a_touched_entity_whichever_list_is_longer() {
        let key = |n: usize| EntityKey::new(Kind::ALL[n % 3], format!("e-{:03}", n % 97));
        let set = |ns: &mut dyn Iterator<Item = usize>| {
            sorted(ns.map(key).collect::<HashSet<EntityKey>>())
        };
        let lists = [
            set(&mut (0..0)),
            set(&mut (0..1)),
            set(&mut (5..9)),
            set(&mut (0..300).step_by(7)),
            set(&mut (0..300).step_by(2)),
            set(&mut (40..41)),
        ];
        for deps in &lists {
            for touched in &lists {
                let plain = deps.iter().any(|d| touched.contains(d));
                assert_eq!(shows_any(deps, touched), plain, "{deps:?} / {touched:?}");
            }
        }
    }
}
