//! Resolve: raw front matter (`load`) -> typed entities (`model`). Every
//! reference is looked up here, once; a reference to nothing is a diagnostic
//! pointing at the exact line and column. A reference to an entry that did
//! not load is not: that entry's own error is the cause.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, closest};
use crate::load::raw::{self, ClaimFm, Ref};
use crate::load::{Loaded, RawSite};
use crate::model::*;

/// Builds the model. Drafts are kept only when `drafts` is set, and references
/// to a left-out draft quietly disappear with it.
pub(crate) fn resolve(raw: RawSite, drafts: bool) -> (Site, Vec<Diagnostic>) {
    let known = Known::of(&raw);
    resolve_with(&known, None, raw, drafts)
}

/// Resolves the entities of a few files against `site`, which holds every
/// other entity: their references are looked up among the site's ids too.
/// An edit's patch uses it, so a model of the few entities it changed is
/// built without resolving the whole site again. Drafts are kept.
pub(crate) fn resolve_within(raw: RawSite, site: &Site) -> (Site, Vec<Diagnostic>) {
    let known = Known::of(&raw);
    resolve_with(&known, Some(site), raw, true)
}

/// Each kind is resolved on its own, in parallel: its references are only
/// looked up in `known`. What each kind found is put together in the
/// order of the kinds, as if they had been resolved one after another.
fn resolve_with(
    known: &Known,
    within: Option<&Site>,
    raw: RawSite,
    drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    let RawSite {
        standards,
        mantras,
        roles,
        personas,
        stages,
        moments,
        stories,
        pages,
        assets,
        unavailable: _,
    } = raw;
    let r = || Resolver::new(known, within);
    // Two halves of about the same work in a generated playbook: plain
    // pages (which refer to no entity) with standards, mantras and
    // personas; moments, stories, roles and stages. Each half splits again
    // for a core that finishes early.
    let ((pages, (standards, (mantras, personas))), ((moments, stories), (roles, stages))) =
        rayon::join(
            || {
                rayon::join(
                    || resolve_pages(pages),
                    || {
                        rayon::join(
                            || r().collect(Kind::Standard, standards, Resolver::standard),
                            || {
                                rayon::join(
                                    || r().collect(Kind::Mantra, mantras, Resolver::mantra),
                                    || r().collect(Kind::Persona, personas, Resolver::persona),
                                )
                            },
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || r().collect(Kind::Moment, moments, Resolver::moment),
                            || r().collect(Kind::Story, stories, Resolver::story),
                        )
                    },
                    || {
                        rayon::join(
                            || r().collect(Kind::Role, roles, Resolver::role),
                            || r().collect(Kind::Stage, stages, Resolver::stage),
                        )
                    },
                )
            },
        );
    let mut site = Site {
        standards: standards.entities,
        mantras: mantras.entities,
        roles: roles.entities,
        personas: personas.entities,
        stages: stages.entities,
        moments: moments.entities,
        stories: stories.entities,
        pages: pages.entities,
        assets,
        partial: known
            .unavailable
            .iter()
            .map(|(kind, id)| EntityKey::new(*kind, id.as_str()))
            .collect(),
        outline: Vec::new(),
    };
    let mut diagnostics = Vec::new();
    for found in [
        standards.found,
        mantras.found,
        roles.found,
        personas.found,
        stages.found,
        moments.found,
        stories.found,
        pages.found,
    ] {
        site.partial.extend(found.partial);
        diagnostics.extend(found.diagnostics);
    }
    add_implicit_stages(&mut site);
    if !drafts {
        drop_drafts(&mut site);
    }
    (site, diagnostics)
}

/// The entities of one kind, resolved, and what resolving them found.
struct Collected<K, E> {
    entities: BTreeMap<K, E>,
    found: Found,
}

/// What resolving found besides the entities.
#[derive(Default)]
struct Found {
    /// Entities that did not load or resolve whole.
    partial: BTreeSet<EntityKey>,
    diagnostics: Vec<Diagnostic>,
}

/// The plain pages by id, the first of two with one id kept, and what
/// was wrong with them, in their order.
fn resolve_pages(raw: Vec<Loaded<raw::PageFm>>) -> Collected<String, Page> {
    let known = Known::default();
    let mut r = Resolver::new(&known, None);
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    for page in raw {
        let page = r.page(page);
        match pages.get(&page.meta.id) {
            Some(first) => r
                .found
                .diagnostics
                .push(page_clash(&first.meta, &page.meta)),
            None => {
                pages.insert(page.meta.id.clone(), page);
            }
        }
    }
    Collected {
        entities: pages,
        found: r.found,
    }
}

/// Every id a reference may name, read by every kind's resolver at once.
#[derive(Default)]
struct Known {
    ids: BTreeMap<Kind, BTreeSet<String>>,
    /// Ids of list entries that could not be read, as written.
    unavailable: BTreeSet<(Kind, String)>,
}

impl Known {
    fn of(raw: &RawSite) -> Known {
        let mut ids: BTreeMap<Kind, BTreeSet<String>> = BTreeMap::new();
        let mut add = |kind: Kind, names: Vec<&Slug>| {
            ids.entry(kind)
                .or_default()
                .extend(names.into_iter().map(Slug::to_string));
        };
        add(
            Kind::Standard,
            raw.standards.iter().map(|l| &l.id).collect(),
        );
        add(Kind::Mantra, raw.mantras.iter().map(|l| &l.id).collect());
        add(Kind::Role, raw.roles.iter().map(|l| &l.id).collect());
        add(Kind::Persona, raw.personas.iter().map(|l| &l.id).collect());
        add(Kind::Moment, raw.moments.iter().map(|l| &l.id).collect());
        add(Kind::Story, raw.stories.iter().map(|l| &l.id).collect());
        Known {
            ids,
            unavailable: raw.unavailable.iter().cloned().collect(),
        }
    }
}

/// Resolves the entities of one kind (or the plain pages): what it finds is
/// its own, so kinds are resolved side by side.
struct Resolver<'s> {
    known: &'s Known,
    /// The site an edit's few files are resolved against (`resolve_within`):
    /// its entities are known too, looked up where they are.
    within: Option<&'s Site>,
    defined: BTreeMap<(Kind, String), String>,
    found: Found,
}

/// The context of one entity while its references are resolved.
struct Origin<'a> {
    file: &'a str,
    yaml_offset: usize,
}

impl<'s> Resolver<'s> {
    fn new(known: &'s Known, within: Option<&'s Site>) -> Self {
        Resolver {
            known,
            within,
            defined: BTreeMap::new(),
            found: Found::default(),
        }
    }

    /// Resolves every loaded entity of one kind, rejecting ids defined twice.
    fn collect<T, I: Ord, E>(
        mut self,
        kind: Kind,
        loaded: Vec<Loaded<T>>,
        build: fn(&mut Self, Loaded<T>) -> (I, E),
    ) -> Collected<I, E> {
        let mut entities = BTreeMap::new();
        for item in loaded {
            if self.is_first_definition(kind, &item) {
                if !item.complete {
                    self.found
                        .partial
                        .insert(EntityKey::new(kind, item.id.as_str()));
                }
                let (id, entity) = build(&mut self, item);
                entities.insert(id, entity);
            }
        }
        Collected {
            entities,
            found: self.found,
        }
    }

    fn is_first_definition<T>(&mut self, kind: Kind, item: &Loaded<T>) -> bool {
        let here = format!("{}:{}", item.file, item.line);
        let id = item.id.to_string();
        if let Some(first) = self.defined.get(&(kind, id.clone())) {
            self.found.diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    &item.file,
                    format!("{} `{}` is defined twice", kind.name(), item.id),
                )
                .at_line(item.line)
                .with_hint(format!(
                    "it is also defined at {first}; ids must be unique per kind"
                )),
            );
            return false;
        }
        self.defined.insert((kind, id), here);
        true
    }

    fn meta<T>(
        &mut self,
        item: &Loaded<T>,
        path: SitePath,
        title: Option<&str>,
        weight: Option<i64>,
        common: Common,
    ) -> Meta {
        let origin = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let review_by = common.review_by.and_then(|r| self.date(&origin, &r));
        let updated = common.updated.and_then(|r| self.date(&origin, &r));
        Meta {
            id: item.id.to_string(),
            path,
            title: title
                .map(str::to_string)
                .or_else(|| item.heading.clone())
                .unwrap_or_else(|| humanize(item.id.as_str())),
            title_anchor: None,
            file: item.file.clone(),
            line: item.line,
            draft: common.draft,
            review_by,
            updated,
            weight: weight.unwrap_or(0),
            body: item.body.clone(),
            body_line: item.body_line,
            extra: common.extra.unwrap_or(serde_json::Value::Null),
        }
    }

    fn date(&mut self, origin: &Origin, r: &Ref) -> Option<Date> {
        let date = Date::parse(&r.value);
        if date.is_none() {
            let (line, column) = position(origin, r);
            self.found.diagnostics.push(
                Diagnostic::error(
                    "invalid-date",
                    origin.file,
                    format!("`{}` is not a date", r.value),
                )
                .at(line, column)
                .with_hint(
                    "write dates as YYYY-MM-DD, e.g. 2027-03-31, with a month of 1 to 12 \
                     and a day that month has",
                ),
            );
        }
        date
    }

    /// Looks up references of one kind, reporting each that names nothing.
    fn refs<I>(
        &mut self,
        origin: &Origin,
        kind: Kind,
        refs: &[Ref],
        make: fn(String) -> I,
    ) -> Vec<I> {
        refs.iter()
            .filter_map(|r| self.reference(origin, kind, r).map(make))
            .collect()
    }

    /// The ids of `kind` known from the site resolved against, if any
    /// (its stages and pages are not referred to by id).
    fn within(&self, kind: Kind) -> Option<&Site> {
        self.within
            .filter(|_| !matches!(kind, Kind::Stage | Kind::Page))
    }

    fn reference(&mut self, origin: &Origin, kind: Kind, r: &Ref) -> Option<String> {
        let known = self.known.ids.get(&kind);
        let id = r.value.trim();
        let in_site = self.within(kind).is_some_and(|site| site.has(kind, id));
        if in_site || known.is_some_and(|ids| ids.contains(id)) {
            return Some(id.to_string());
        }
        if self.known.unavailable.contains(&(kind, id.to_string())) {
            return None;
        }
        let (line, column) = position(origin, r);
        // Every id known, once and in order, as one set would hold them.
        let candidates: BTreeSet<&str> = known
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(
                self.within(kind)
                    .into_iter()
                    .flat_map(|site| site.ids_of(kind)),
            )
            .collect();
        let guess = closest(id, candidates);
        let hint = match guess {
            Some(g) => format!("did you mean `{g}`?"),
            None => format!(
                "no {} has this id; {}",
                kind.name(),
                where_ids_come_from(kind)
            ),
        };
        self.found.diagnostics.push(
            Diagnostic::error(
                "unknown-reference",
                origin.file,
                format!("there is no {} `{id}`", kind.name()),
            )
            .at(line, column)
            .with_hint(hint),
        );
        None
    }

    fn standard(&mut self, item: Loaded<raw::StandardFm>) -> (StandardId, Standard) {
        let o = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let fm = &item.fm;
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::entity(Kind::Standard, &item.id);
        let meta = self.meta(&item, path, fm.title.as_deref(), fm.weight, common);
        let standard = Standard {
            meta,
            statement: fm.statement.clone().unwrap_or_default(),
            mantras: self.refs(&o, Kind::Mantra, &fm.mantras, MantraId),
            moments: self.refs(&o, Kind::Moment, &fm.moments, MomentId),
            personas: self.refs(&o, Kind::Persona, &fm.personas, PersonaId),
            measures: fm.measures.clone(),
            kano: fm.kano,
        };
        (StandardId(item.id.to_string()), standard)
    }

    fn mantra(&mut self, item: Loaded<raw::MantraFm>) -> (MantraId, Mantra) {
        let o = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let fm = &item.fm;
        let standards = self.refs(&o, Kind::Standard, &fm.standards, StandardId);
        let text = fm.text.clone().unwrap_or_default();
        let title = fm
            .title
            .clone()
            .or_else(|| (!text.is_empty()).then(|| text.clone()));
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::entity(Kind::Mantra, &item.id);
        let meta = self.meta(&item, path, title.as_deref(), fm.weight, common);
        let mantra = Mantra {
            meta,
            text,
            meaning: fm.meaning.clone().unwrap_or_default(),
            standards,
        };
        (MantraId(item.id.to_string()), mantra)
    }

    fn role(&mut self, item: Loaded<raw::RoleFm>) -> (RoleId, Role) {
        let o = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let fm = &item.fm;
        let owns = self.refs(&o, Kind::Moment, &fm.owns, MomentId);
        let supports = self.refs(&o, Kind::Moment, &fm.supports, MomentId);
        let behaviours = fm
            .behaviours
            .iter()
            .filter_map(|b| self.behaviour(&o, &item.id, b))
            .collect();
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::entity(Kind::Role, &item.id);
        let meta = self.meta(&item, path, fm.title.as_deref(), fm.weight, common);
        let role = Role {
            meta,
            team: fm.team.clone().unwrap_or_default(),
            owns,
            supports,
            behaviours,
            onboarding: fm.onboarding.clone(),
        };
        (RoleId(item.id.to_string()), role)
    }

    /// A behaviour with its references resolved; it needs `do`, `dont` or both.
    fn behaviour(
        &mut self,
        o: &Origin,
        role: &Slug,
        spanned: &serde_saphyr::Spanned<raw::BehaviourFm>,
    ) -> Option<Behaviour> {
        let b = &spanned.value;
        let standard = self
            .reference(o, Kind::Standard, &b.standard)
            .map(StandardId);
        let moment = match &b.moment {
            Some(m) => Some(self.reference(o, Kind::Moment, m).map(MomentId)?),
            None => None,
        };
        if b.do_.is_none() && b.dont.is_none() {
            self.found
                .partial
                .insert(EntityKey::new(Kind::Role, role.as_str()));
            self.found.diagnostics.push(
                Diagnostic::error(
                    "empty-behaviour",
                    o.file,
                    format!(
                        "the behaviour for `{}` says neither what to do nor what not to do",
                        b.standard.value
                    ),
                )
                .at_line(spanned.referenced.line() as usize + o.yaml_offset)
                .with_hint("give it a `do:`, a `dont:`, or both"),
            );
            return None;
        }
        Some(Behaviour {
            standard: standard?,
            do_: b.do_.clone().unwrap_or_default(),
            dont: b.dont.clone().unwrap_or_default(),
            moment,
        })
    }

    fn persona(&mut self, item: Loaded<raw::PersonaFm>) -> (PersonaId, Persona) {
        let o = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let fm = &item.fm;
        let loves = fm.loves.iter().map(|c| self.claim(&o, c)).collect();
        let hates = fm.hates.iter().map(|c| self.claim(&o, c)).collect();
        let title = fm.title.clone().or_else(|| fm.name.clone());
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::entity(Kind::Persona, &item.id);
        let meta = self.meta(&item, path, title.as_deref(), fm.weight, common);
        let persona = Persona {
            meta,
            name: fm.name.clone().unwrap_or_default(),
            quote: fm.quote.clone().unwrap_or_default(),
            loves,
            hates,
        };
        (PersonaId(item.id.to_string()), persona)
    }

    fn claim(&mut self, o: &Origin, claim: &serde_saphyr::Spanned<ClaimFm>) -> Claim {
        let line = claim.referenced.line() as usize + o.yaml_offset;
        match &claim.value {
            ClaimFm::Text(text) => Claim {
                text: text.clone(),
                moments: vec![],
                evidence: Evidence::Assumption,
                source: None,
                line,
            },
            ClaimFm::Full(full) => Claim {
                text: full.text.clone(),
                moments: self.refs(o, Kind::Moment, &full.moments, MomentId),
                evidence: full.evidence.unwrap_or(Evidence::Assumption),
                source: full.source.clone(),
                line,
            },
        }
    }

    fn stage(&mut self, item: Loaded<raw::StageFm>) -> (StageId, Stage) {
        let fm = &item.fm;
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::entity(Kind::Stage, &item.id);
        let meta = self.meta(&item, path, fm.title.as_deref(), fm.order, common);
        let order = fm
            .order
            .unwrap_or_else(|| default_stage_order(item.id.as_str()));
        (StageId(item.id.to_string()), Stage { meta, order })
    }

    fn moment(&mut self, item: Loaded<raw::MomentFm>) -> (MomentId, Moment) {
        let fm = &item.fm;
        let stage = Slug::from_stem(item.folder.rsplit('/').next().unwrap_or_default());
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::moment(&stage, &item.id);
        let meta = self.meta(&item, path, fm.title.as_deref(), fm.order, common);
        let stage = StageId(stage.to_string());
        let moment = Moment {
            meta,
            stage,
            order: fm.order.unwrap_or(0),
            moment_of_truth: fm.moment_of_truth,
        };
        (MomentId(item.id.to_string()), moment)
    }

    fn story(&mut self, item: Loaded<raw::StoryFm>) -> (StoryId, Story) {
        let o = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let fm = &item.fm;
        let persona = fm
            .persona
            .as_ref()
            .and_then(|p| self.reference(&o, Kind::Persona, p))
            .map(PersonaId);
        let moments = self.refs(&o, Kind::Moment, &fm.moments, MomentId);
        let standards = self.refs(&o, Kind::Standard, &fm.standards, StandardId);
        let date = fm.date.as_ref().and_then(|d| self.date(&o, d));
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        let path = SitePath::entity(Kind::Story, &item.id);
        let meta = self.meta(&item, path, fm.title.as_deref(), fm.weight, common);
        let story = Story {
            meta,
            persona,
            moments,
            standards,
            sentiment: fm.sentiment,
            source: fm.source.clone(),
            date: date.map(|d| d.to_string()),
        };
        (StoryId(item.id.to_string()), story)
    }

    fn page(&mut self, item: Loaded<raw::PageFm>) -> Page {
        let o = Origin {
            file: &item.file,
            yaml_offset: item.yaml_offset,
        };
        let fm = &item.fm;
        let path = page_path(&item.folder, &item.id);
        // A page's `date:` (a post's, in Jekyll) is checked, not shown.
        let _ = fm.date.as_ref().and_then(|d| self.date(&o, d));
        let common = Common::of(fm.draft, &fm.review_by, &fm.updated, &fm.extra);
        // Jekyll's `nav_order` and Eleventy's `order` sort pages as `weight`
        // does; pages without any come after those with one, as in Hugo.
        let weight = fm.weight.or(fm.nav_order).or(fm.order).or(Some(i64::MAX));
        let mut meta = self.meta(&item, path, fm.title.as_deref(), weight, common);
        meta.id = meta.path.as_str().trim_end_matches('/').to_string();
        if fm.title.is_none() {
            let index = matches!(item.id.as_str(), "_index" | "index");
            let folder = index.then(|| item.folder.rsplit('/').next().unwrap_or(""));
            title_from_body(&mut meta, item.heading.as_deref(), folder);
        }
        Page {
            meta,
            description: fm.description.clone(),
        }
    }
}

/// The title of a page without `title:`: its leading `# heading`, else its
/// first heading of any level (taken out of the body), as plain words with
/// the heading's id; else its folder's name for an index, its file's name
/// for any other page.
fn title_from_body(meta: &mut Meta, heading: Option<&str>, index_of: Option<&str>) {
    use crate::load::title;
    if let Some(heading) = heading {
        let (text, anchor) = title::heading_text(heading);
        meta.title = text;
        meta.title_anchor = Some(anchor);
    } else if let Some(taken) = title::take_first_heading(&meta.body) {
        meta.title = taken.title;
        meta.title_anchor = Some(taken.anchor);
        meta.body = taken.body;
    } else if let Some(folder) = index_of {
        meta.title = humanize(folder);
    }
}

/// The common fields every kind carries, borrowed from its front matter.
struct Common {
    draft: bool,
    review_by: Option<Ref>,
    updated: Option<Ref>,
    extra: Option<serde_json::Value>,
}

impl Common {
    fn of(
        draft: bool,
        review_by: &Option<Ref>,
        updated: &Option<Ref>,
        extra: &Option<serde_json::Value>,
    ) -> Common {
        Common {
            draft,
            review_by: review_by.clone(),
            updated: updated.clone(),
            extra: extra.clone(),
        }
    }
}

impl Meta {
    fn placeholder() -> Meta {
        Meta {
            id: String::new(),
            path: SitePath::home(),
            title: String::new(),
            title_anchor: None,
            file: String::new(),
            line: 0,
            draft: false,
            review_by: None,
            updated: None,
            weight: 0,
            body: String::new(),
            body_line: 0,
            extra: serde_json::Value::Null,
        }
    }
}

fn position(origin: &Origin, r: &Ref) -> (usize, usize) {
    (
        r.referenced.line() as usize + origin.yaml_offset,
        r.referenced.column() as usize,
    )
}

fn where_ids_come_from(kind: Kind) -> String {
    match kind {
        Kind::Moment => "moments are the files in content/journey/<stage>/".into(),
        kind => format!(
            "{} are the files in content/{}/ and the entries of content/{}.yaml",
            kind.folder(),
            kind.folder(),
            kind.folder()
        ),
    }
}

/// Two plain pages at one site path (`guides/onboarding.md` and
/// `guides/onboarding/index.md`): an error at the second, naming the first.
fn page_clash(first: &Meta, second: &Meta) -> Diagnostic {
    Diagnostic::error(
        "output-clash",
        &second.file,
        format!(
            "this file and {} both land on `{}index.html`",
            first.file,
            second.path.as_str()
        ),
    )
    .at_line(second.line)
    .with_hint(format!(
        "one would replace the other; move or rename one of them ({}:{})",
        first.file, first.line
    ))
}

/// `guides` + `onboarding` -> `guides/onboarding/`; `guides` + `_index` ->
/// `guides/`. Every folder name becomes a slug on the way.
fn page_path(folder: &str, stem: &Slug) -> SitePath {
    let mut path = SitePath::home();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        path = path.join(&Slug::from_file_name(part));
    }
    if !matches!(stem.as_str(), "_index" | "index") {
        path = path.join(stem);
    }
    path
}

/// `contact-centre-agent` -> `Contact centre agent`.
pub(crate) fn humanize(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The five classic stages fall into place without an `order:`.
fn default_stage_order(id: &str) -> i64 {
    match id {
        "pre-touch" => 1,
        "first-touch" => 2,
        "core" => 3,
        "last-touch" => 4,
        "in-touch" => 5,
        _ => 100,
    }
}

/// A stage folder without `_index.md` still forms a stage, titled by its name.
fn add_implicit_stages(site: &mut Site) {
    let missing: BTreeSet<StageId> = site
        .moments
        .values()
        .map(|m| m.stage.clone())
        .filter(|s| !site.stages.contains_key(s))
        .collect();
    for id in missing {
        let mut meta = Meta::placeholder();
        meta.id = id.0.clone();
        meta.path = SitePath::entity(Kind::Stage, &Slug::from_stem(&id.0));
        meta.title = humanize(&id.0);
        meta.file = format!("content/journey/{id}/_index.md");
        let order = default_stage_order(&id.0);
        site.stages.insert(id, Stage { meta, order });
    }
}

/// Removes drafts and every reference to them.
fn drop_drafts(site: &mut Site) {
    let before = site.metas().count();
    site.standards.retain(|_, v| !v.meta.draft);
    site.mantras.retain(|_, v| !v.meta.draft);
    site.roles.retain(|_, v| !v.meta.draft);
    site.personas.retain(|_, v| !v.meta.draft);
    site.stages.retain(|_, v| !v.meta.draft);
    let stages = &site.stages;
    site.moments
        .retain(|_, v| !v.meta.draft && stages.contains_key(&v.stage));
    site.stories.retain(|_, v| !v.meta.draft);
    site.pages.retain(|_, v| !v.meta.draft);
    // None went: every reference still names an entity that is there.
    if site.metas().count() == before {
        return;
    }

    // The ids left, not the entities: a copy of their bodies is not needed.
    fn ids<K: Ord + Clone, V>(map: &BTreeMap<K, V>) -> BTreeSet<K> {
        map.keys().cloned().collect()
    }
    let (standards, mantras, moments, personas) = (
        ids(&site.standards),
        ids(&site.mantras),
        ids(&site.moments),
        ids(&site.personas),
    );
    let keep_moments = |v: &mut Vec<MomentId>| v.retain(|m| moments.contains(m));
    for s in site.standards.values_mut() {
        s.mantras.retain(|m| mantras.contains(m));
        keep_moments(&mut s.moments);
        s.personas.retain(|p| personas.contains(p));
    }
    for m in site.mantras.values_mut() {
        m.standards.retain(|s| standards.contains(s));
    }
    for r in site.roles.values_mut() {
        keep_moments(&mut r.owns);
        keep_moments(&mut r.supports);
        r.behaviours.retain(|b| {
            standards.contains(&b.standard) && b.moment.as_ref().is_none_or(|m| moments.contains(m))
        });
    }
    for p in site.personas.values_mut() {
        for claim in p.loves.iter_mut().chain(p.hates.iter_mut()) {
            keep_moments(&mut claim.moments);
        }
    }
    for s in site.stories.values_mut() {
        keep_moments(&mut s.moments);
        s.standards.retain(|x| standards.contains(x));
        s.persona = s.persona.take().filter(|p| personas.contains(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_follow_their_files() {
        let path = |folder, stem| page_path(folder, &Slug::from_file_name(stem)).to_string();
        assert_eq!(path("guides", "onboarding"), "guides/onboarding/");
        assert_eq!(path("guides", "_index"), "guides/");
        assert_eq!(path("", "index"), "");
        assert_eq!(path("", "faq"), "faq/");
        assert_eq!(path("my guides", "a b"), "my-guides/a-b/");
    }

    #[test]
    fn ids_read_as_titles() {
        assert_eq!(humanize("contact-centre-agent"), "Contact centre agent");
    }
}
