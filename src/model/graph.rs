//! The cross-reference graph: every reverse link, computed once from the model,
//! so each page can show its relations in both directions without searching.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// A role's behaviour, by role and position in its list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct BehaviourRef {
    pub role: RoleId,
    pub index: usize,
}

/// A persona's love or hate, by persona, feeling and position in its list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ClaimRef {
    pub persona: PersonaId,
    pub feeling: Feeling,
    pub index: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    /// Every moment, in journey order.
    pub journey: Vec<MomentId>,
    /// Each moment's place in `journey`.
    pub journey_rank: BTreeMap<MomentId, usize>,
    /// Moments of each stage, in journey order.
    pub stage_moments: BTreeMap<StageId, Vec<MomentId>>,
    pub owners: BTreeMap<MomentId, Vec<RoleId>>,
    pub supporters: BTreeMap<MomentId, Vec<RoleId>>,
    pub moment_standards: BTreeMap<MomentId, Vec<StandardId>>,
    pub moment_behaviours: BTreeMap<MomentId, Vec<BehaviourRef>>,
    pub moment_claims: BTreeMap<MomentId, Vec<ClaimRef>>,
    pub moment_stories: BTreeMap<MomentId, Vec<StoryId>>,
    /// Declared on either side: a standard's `mantras` or a mantra's `standards`.
    pub standard_mantras: BTreeMap<StandardId, BTreeSet<MantraId>>,
    pub mantra_standards: BTreeMap<MantraId, BTreeSet<StandardId>>,
    pub standard_behaviours: BTreeMap<StandardId, Vec<BehaviourRef>>,
    pub standard_stories: BTreeMap<StandardId, Vec<StoryId>>,
    pub persona_standards: BTreeMap<PersonaId, Vec<StandardId>>,
    pub persona_stories: BTreeMap<PersonaId, Vec<StoryId>>,
    /// Body links, reversed: who links to each entity or page.
    pub mentions: BTreeMap<EntityKey, BTreeSet<EntityKey>>,
    /// Plain pages directly inside each page path's folder, by weight and title.
    pub page_children: BTreeMap<String, Vec<String>>,
}

/// Where a plain page goes among its folder's pages: by weight, title and
/// id, as `link_pages` sorts them.
fn page_place<'s>(site: &'s Site, id: &'s str) -> (i64, &'s str, &'s str) {
    let meta = &site.pages.get(id).expect("a page of the site").meta;
    (meta.weight, meta.title.as_str(), id)
}

/// The site path of the folder a page path sits in: `guides/` for
/// `guides/onboarding/`, `` for `guides/`; none for the home page.
fn parent_path(path: &str) -> Option<String> {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    Some(
        path.rsplit_once('/')
            .map_or(String::new(), |(parent, _)| format!("{parent}/")),
    )
}

fn push<K: Ord + Clone, V>(map: &mut BTreeMap<K, Vec<V>>, key: &K, value: V) {
    map.entry(key.clone()).or_default().push(value);
}

/// Takes every value `gone` picks out of `key`'s list, and the list
/// itself once it is empty (a list is made only for a first value).
fn take_out<K: Ord, V>(map: &mut BTreeMap<K, Vec<V>>, key: &K, gone: impl Fn(&V) -> bool) {
    if let Some(list) = map.get_mut(key) {
        list.retain(|v| !gone(v));
        if list.is_empty() {
            map.remove(key);
        }
    }
}

/// Puts `value` into `key`'s sorted list, after the values equal to it:
/// where pushing every value in order would have put it.
fn put_in_order<K: Ord + Clone, V: Ord>(map: &mut BTreeMap<K, Vec<V>>, key: &K, value: V) {
    let list = map.entry(key.clone()).or_default();
    let at = list.partition_point(|v| *v <= value);
    list.insert(at, value);
}

/// The values for `key`, or none.
pub(crate) fn of<'a, K: Ord, V>(map: &'a BTreeMap<K, Vec<V>>, key: &K) -> &'a [V] {
    map.get(key).map_or(&[], Vec::as_slice)
}

impl Graph {
    pub(crate) fn build(site: &Site) -> Graph {
        let mut g = Graph::default();
        g.refresh(site, &Kind::ALL.into_iter().collect());
        g
    }

    /// Recomputes what entities of `kinds` link, after an edit that changed
    /// only those: the rest of the graph (and the body links) stays.
    pub(crate) fn refresh(&mut self, site: &Site, kinds: &BTreeSet<Kind>) {
        let parts: BTreeSet<Kind> = kinds.iter().map(|k| Self::part_of(*k)).collect();
        for part in parts {
            match part {
                Kind::Moment => self.link_stages(site),
                Kind::Role => self.link_roles(site),
                Kind::Standard => self.link_standards(site),
                Kind::Persona => self.link_claims(site),
                Kind::Story => self.link_stories(site),
                Kind::Page => self.link_pages(site),
                Kind::Stage | Kind::Mantra => unreachable!("part_of maps these"),
            }
        }
    }

    /// Puts each plain page of `edited` back in its place among its
    /// folder's pages, after an edit that kept every page where it was (a
    /// title or weight changed): the other pages keep their order, so each
    /// goes back where its weight, title and id sort it, as `link_pages`
    /// sorts them all. The site's other folders are not read.
    pub(crate) fn reorder_pages(&mut self, site: &Site, edited: &[&str]) {
        let place = page_place;
        let folders: Vec<(&str, String)> = edited
            .iter()
            .filter_map(|&id| {
                let page = site.pages.get(id)?;
                Some((id, parent_path(page.meta.path.as_str())?))
            })
            .filter(|(_, parent)| self.page_children.contains_key(parent))
            .collect();
        // Every edited page out first: what is left is in order, so each
        // one's place can be searched for as it goes back.
        for (id, parent) in &folders {
            let siblings = self.page_children.get_mut(parent).expect("kept above");
            siblings.retain(|sibling| sibling != id);
        }
        for (id, parent) in folders {
            let siblings = self.page_children.get_mut(&parent).expect("kept above");
            let at = siblings.partition_point(|sibling| place(site, sibling) < place(site, id));
            siblings.insert(at, id.to_string());
        }
    }

    /// Takes the plain pages that went (`went`, as they were) out of their
    /// folders' pages and puts each that came in its place, as `link_pages`
    /// would order them: every other page stays where it was.
    pub(crate) fn move_pages(&mut self, site: &Site, went: &[Meta], came: &[&str]) {
        for meta in went {
            let Some(parent) = parent_path(meta.path.as_str()) else {
                continue;
            };
            if let Some(siblings) = self.page_children.get_mut(&parent) {
                siblings.retain(|sibling| *sibling != meta.id);
                if siblings.is_empty() {
                    self.page_children.remove(&parent);
                }
            }
        }
        for &id in came {
            let Some(parent) = site
                .pages
                .get(id)
                .and_then(|p| parent_path(p.meta.path.as_str()))
            else {
                continue;
            };
            let siblings = self.page_children.entry(parent).or_default();
            let at = siblings
                .partition_point(|sibling| page_place(site, sibling) < page_place(site, id));
            siblings.insert(at, id.to_string());
        }
    }

    /// The kind whose part of the graph an edit of `kind` changes (stages
    /// and moments share the journey, standards and mantras their pairs).
    fn part_of(kind: Kind) -> Kind {
        match kind {
            Kind::Stage => Kind::Moment,
            Kind::Mantra => Kind::Standard,
            kind => kind,
        }
    }

    /// Puts the links of role `id` as `site` has it in place of those it
    /// had (`before`), after an edit of that role alone: every list stays
    /// in role order, as `link_roles` makes them, and no other role is read.
    pub(crate) fn relink_role(&mut self, site: &Site, id: &RoleId, before: &Role) {
        for m in &before.owns {
            take_out(&mut self.owners, m, |r| r == id);
        }
        for m in &before.supports {
            take_out(&mut self.supporters, m, |r| r == id);
        }
        for b in &before.behaviours {
            if let Some(m) = &b.moment {
                take_out(&mut self.moment_behaviours, m, |r| r.role == *id);
            }
            take_out(&mut self.standard_behaviours, &b.standard, |r| {
                r.role == *id
            });
        }
        let Some(role) = site.roles.get(id) else {
            return;
        };
        for m in &role.owns {
            put_in_order(&mut self.owners, m, id.clone());
        }
        for m in &role.supports {
            put_in_order(&mut self.supporters, m, id.clone());
        }
        for (index, b) in role.behaviours.iter().enumerate() {
            let r = BehaviourRef {
                role: id.clone(),
                index,
            };
            if let Some(m) = &b.moment {
                put_in_order(&mut self.moment_behaviours, m, r.clone());
            }
            put_in_order(&mut self.standard_behaviours, &b.standard, r);
        }
    }

    fn link_roles(&mut self, site: &Site) {
        self.owners.clear();
        self.supporters.clear();
        self.moment_behaviours.clear();
        self.standard_behaviours.clear();
        for (id, role) in &site.roles {
            for m in &role.owns {
                push(&mut self.owners, m, id.clone());
            }
            for m in &role.supports {
                push(&mut self.supporters, m, id.clone());
            }
            for (index, b) in role.behaviours.iter().enumerate() {
                let r = BehaviourRef {
                    role: id.clone(),
                    index,
                };
                if let Some(m) = &b.moment {
                    push(&mut self.moment_behaviours, m, r.clone());
                }
                push(&mut self.standard_behaviours, &b.standard, r);
            }
        }
    }

    fn link_standards(&mut self, site: &Site) {
        self.moment_standards.clear();
        self.persona_standards.clear();
        self.standard_mantras.clear();
        self.mantra_standards.clear();
        for (id, standard) in &site.standards {
            for m in &standard.moments {
                push(&mut self.moment_standards, m, id.clone());
            }
            for p in &standard.personas {
                push(&mut self.persona_standards, p, id.clone());
            }
            for m in &standard.mantras {
                self.pair_mantra(id, m);
            }
        }
        for (id, mantra) in &site.mantras {
            for s in &mantra.standards {
                self.pair_mantra(s, id);
            }
        }
    }

    fn link_pages(&mut self, site: &Site) {
        self.page_children.clear();
        let mut pages: Vec<&Page> = site.pages.values().collect();
        pages.sort_by(|a, b| (a.meta.weight, &a.meta.title).cmp(&(b.meta.weight, &b.meta.title)));
        for page in pages {
            if let Some(parent) = parent_path(page.meta.path.as_str()) {
                push(&mut self.page_children, &parent, page.meta.id.clone());
            }
        }
    }

    fn link_stages(&mut self, site: &Site) {
        self.stage_moments.clear();
        self.journey.clear();
        self.journey_rank.clear();
        let mut moments: Vec<&MomentId> = site.moments.keys().collect();
        // A position is looked up and copied: once a moment, not once a
        // comparison (at 20,000 moments that was most of the graph's time).
        moments.sort_by_cached_key(|m| site.journey_position(m));
        for (rank, m) in moments.into_iter().enumerate() {
            push(&mut self.stage_moments, &site.moments[m].stage, m.clone());
            self.journey.push(m.clone());
            self.journey_rank.insert(m.clone(), rank);
        }
    }

    fn pair_mantra(&mut self, standard: &StandardId, mantra: &MantraId) {
        self.standard_mantras
            .entry(standard.clone())
            .or_default()
            .insert(mantra.clone());
        self.mantra_standards
            .entry(mantra.clone())
            .or_default()
            .insert(standard.clone());
    }

    fn link_claims(&mut self, site: &Site) {
        self.moment_claims.clear();
        for (id, persona) in &site.personas {
            let feelings = [
                (Feeling::Love, &persona.loves),
                (Feeling::Hate, &persona.hates),
            ];
            for (feeling, claims) in feelings {
                for (index, claim) in claims.iter().enumerate() {
                    for m in &claim.moments {
                        let r = ClaimRef {
                            persona: id.clone(),
                            feeling,
                            index,
                        };
                        push(&mut self.moment_claims, m, r);
                    }
                }
            }
        }
    }

    fn link_stories(&mut self, site: &Site) {
        self.moment_stories.clear();
        self.standard_stories.clear();
        self.persona_stories.clear();
        for (id, story) in &site.stories {
            for m in &story.moments {
                push(&mut self.moment_stories, m, id.clone());
            }
            for s in &story.standards {
                push(&mut self.standard_stories, s, id.clone());
            }
            if let Some(p) = &story.persona {
                push(&mut self.persona_stories, p, id.clone());
            }
        }
    }

    /// Records body links (`source` links to each of `targets`) as backlinks.
    pub(crate) fn add_mentions(&mut self, source: &EntityKey, targets: &[EntityKey]) {
        for target in targets.iter().filter(|t| *t != source) {
            self.mentions
                .entry(target.clone())
                .or_default()
                .insert(source.clone());
        }
    }

    /// Where a moment comes along the journey (an unknown one comes last).
    pub(crate) fn journey_rank(&self, moment: &MomentId) -> usize {
        self.journey_rank.get(moment).copied().unwrap_or(usize::MAX)
    }

    /// Moments in journey order, without repeats.
    pub(crate) fn in_journey_order(
        &self,
        moments: impl IntoIterator<Item = MomentId>,
    ) -> Vec<MomentId> {
        let mut moments: Vec<MomentId> = moments.into_iter().collect();
        moments.sort_by_cached_key(|m| self.journey_rank(m));
        moments.dedup();
        moments
    }

    /// Moments a role owns or supports, in journey order, without repeats.
    pub(crate) fn moments_of_role(&self, role: &Role) -> Vec<MomentId> {
        self.in_journey_order(role.owns.iter().chain(&role.supports).cloned())
    }

    /// Standards a role has behaviours for, in first-mentioned order.
    pub(crate) fn standards_of_role(&self, role: &Role) -> Vec<StandardId> {
        let mut seen = BTreeSet::new();
        role.behaviours
            .iter()
            .filter(|b| seen.insert(&b.standard))
            .map(|b| b.standard.clone())
            .collect()
    }

    /// Mantras of the standards a role lives.
    pub(crate) fn mantras_of_role(&self, role: &Role) -> BTreeSet<MantraId> {
        self.standards_of_role(role)
            .iter()
            .filter_map(|s| self.standard_mantras.get(s))
            .flatten()
            .cloned()
            .collect()
    }

    /// Stories at any of the given moments.
    pub(crate) fn stories_at(&self, moments: &[MomentId]) -> BTreeSet<StoryId> {
        moments
            .iter()
            .flat_map(|m| of(&self.moment_stories, m))
            .cloned()
            .collect()
    }

    /// Roles that have a behaviour for any standard of a mantra.
    pub(crate) fn roles_living(&self, mantra: &MantraId) -> BTreeSet<RoleId> {
        self.mantra_standards
            .get(mantra)
            .into_iter()
            .flatten()
            .flat_map(|s| of(&self.standard_behaviours, s))
            .map(|b| b.role.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(folder: &str, id: &str, title: &str, weight: i64) -> (String, Page) {
        let (id, mut page) = crate::model::test_page(folder, id, title);
        page.meta.weight = weight;
        (id, page)
    }

    #[test]
    fn pages_that_come_and_go_leave_the_folders_as_a_new_graph_has_them() {
        let mut site = Site::default();
        site.pages.extend([
            page("guides", "a", "Apology", 0),
            page("guides", "b", "Care", 0),
            page("guides", "c", "Care", 0),
            page("other", "x", "Zebra", 0),
        ]);
        let mut graph = Graph::build(&site);
        let went: Vec<Meta> = ["guides/b", "other/x"]
            .map(|id| site.pages.remove(id).unwrap().meta)
            .into();
        site.pages.extend([
            page("guides", "ab", "Care", 0),
            page("guides", "z", "Brief", -1),
            page("guides", "d", "Care", 0),
            page("third", "y", "Yak", 0),
        ]);
        graph.move_pages(
            &site,
            &went,
            &["guides/ab", "guides/z", "guides/d", "third/y"],
        );
        assert_eq!(graph.page_children, Graph::build(&site).page_children);
        assert!(
            !graph.page_children.contains_key("other/"),
            "an emptied folder goes"
        );
    }

    #[test]
    fn a_retitled_or_reweighted_page_moves_to_where_a_new_graph_puts_it() {
        let mut site = Site::default();
        site.pages.extend([
            page("guides", "a", "Apology", 0),
            page("guides", "b", "Brief", 0),
            page("guides", "c", "Care", 0),
            page("guides", "d", "Care", 0),
            page("guides", "e", "Delivery", 5),
            page("other", "x", "Zebra", 0),
        ]);
        let mut graph = Graph::build(&site);
        let edits: [(&str, &str, i64); 5] = [
            ("guides/c", "Zulu", 0),
            ("guides/e", "Aardvark", 0),
            ("guides/a", "Care", 0),
            ("guides/d", "Care", -1),
            ("guides/b", "Brief", 9),
        ];
        for (id, title, weight) in edits {
            let meta = &mut site.pages.get_mut(id).unwrap().meta;
            meta.title = title.into();
            meta.weight = weight;
            graph.reorder_pages(&site, &[id]);
            assert_eq!(
                graph.page_children,
                Graph::build(&site).page_children,
                "after retitling {id}"
            );
        }
    }

    #[test]
    fn pages_retitled_in_one_save_each_move_to_where_a_new_graph_puts_it() {
        let mut site = Site::default();
        site.pages.extend(
            ["a", "b", "c", "d", "e", "f"].map(|id| page("guides", id, &format!("Page {id}"), 10)),
        );
        let mut graph = Graph::build(&site);
        // `a` goes after `d`, `b` to the end: searched for with the other
        // still in its old place, `a` would land before `c`.
        for (id, title) in [("guides/a", "Page d2"), ("guides/b", "Page zz")] {
            site.pages.get_mut(id).unwrap().meta.title = title.into();
        }
        graph.reorder_pages(&site, &["guides/a", "guides/b"]);
        assert_eq!(graph.page_children, Graph::build(&site).page_children);
    }

    fn role(owns: &[&str], supports: &[&str], behaviours: &[(&str, Option<&str>)]) -> Role {
        let ids = |list: &[&str]| list.iter().map(|m| MomentId(m.to_string())).collect();
        Role {
            meta: crate::model::test_page("roles", "r", "R").1.meta,
            team: String::new(),
            owns: ids(owns),
            supports: ids(supports),
            behaviours: behaviours
                .iter()
                .map(|(standard, moment)| Behaviour {
                    standard: StandardId(standard.to_string()),
                    do_: String::new(),
                    dont: String::new(),
                    moment: moment.map(|m| MomentId(m.to_string())),
                })
                .collect(),
            onboarding: Vec::new(),
        }
    }

    type RoleLinks = (
        BTreeMap<MomentId, Vec<RoleId>>,
        BTreeMap<MomentId, Vec<RoleId>>,
        BTreeMap<MomentId, Vec<BehaviourRef>>,
        BTreeMap<StandardId, Vec<BehaviourRef>>,
    );

    /// The lists a role's links make, as the pages show them.
    fn role_links(graph: &Graph) -> RoleLinks {
        (
            graph.owners.clone(),
            graph.supporters.clone(),
            graph.moment_behaviours.clone(),
            graph.standard_behaviours.clone(),
        )
    }

    #[test]
    fn a_role_linked_again_after_an_edit_leaves_the_lists_a_new_graph_makes() {
        let mut site = Site::default();
        let roles = [
            (
                "a",
                role(&["m1", "m2"], &["m3"], &[("s1", Some("m1")), ("s2", None)]),
            ),
            (
                "b",
                role(
                    &["m1", "m1"],
                    &[],
                    &[("s1", Some("m2")), ("s1", Some("m2"))],
                ),
            ),
            ("c", role(&["m2"], &["m1"], &[("s2", Some("m1"))])),
        ];
        for (id, r) in roles {
            site.roles.insert(RoleId(id.into()), r);
        }
        let mut graph = Graph::build(&site);
        let edits = [
            // `b` gives up m1 twice, takes m3 and m2, and its behaviours move.
            (
                "b",
                role(&["m3", "m2"], &["m1"], &[("s2", Some("m1")), ("s1", None)]),
            ),
            // `a` loses every link: its lists' entries go, and empty lists with them.
            ("a", role(&[], &[], &[])),
            // `c` links what only it links: new lists, between the others' entries.
            (
                "c",
                role(
                    &["m9", "m2"],
                    &["m3"],
                    &[("s9", Some("m9")), ("s2", Some("m3"))],
                ),
            ),
        ];
        for (id, edited) in edits {
            let id = RoleId(id.into());
            let before = site.roles.insert(id.clone(), edited).unwrap();
            graph.relink_role(&site, &id, &before);
            assert_eq!(role_links(&graph), role_links(&Graph::build(&site)), "{id}");
        }
        let id = RoleId("c".into());
        let before = site.roles.remove(&id).unwrap();
        graph.relink_role(&site, &id, &before);
        assert_eq!(
            role_links(&graph),
            role_links(&Graph::build(&site)),
            "c gone"
        );
    }
}
