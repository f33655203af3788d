//! Where each record sits in the index: its doc id, derived from its URL
//! alone, so a page that comes or goes moves no other record's id (or, when
//! two URLs land on the same slot, the few next to it) and an edit patches
//! the index instead of numbering every record again. A fresh build places
//! the same records the same way: the layout is a function of the set of
//! URLs, never of the order they came in.
//!
//! A record's URL hashes to one of `files` card files and to a home slot
//! among that file's `SLOTS_PER_FILE`; doc id = file × slots + slot. Each
//! file's records take their slots in order of (home, hash, URL), each the
//! first free one from its home on (wrapping). Files hold `MEAN_PER_FILE`
//! records on average, at most a quarter of their slots, so collisions are
//! few and no file fills; the number of files doubles when the site does.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::fingerprint::fingerprint;

/// Slots per card (and snippet) file: the doc ids one file covers.
pub(crate) const SLOTS_PER_FILE: usize = 64;

/// Records per card file on average, at most: a few kilobytes a file.
const MEAN_PER_FILE: usize = 16;

/// A record's key: the URL its result opens.
pub(super) type Url = Arc<str>;

/// Every record's doc id, and the records of each file.
#[derive(Default)]
pub(super) struct Layout {
    /// How many card files there are (a power of two).
    files: usize,
    docs: HashMap<Url, u32>,
    /// Each file's records with their hashes.
    members: Vec<Vec<(u64, Url)>>,
}

/// A record whose doc id changed: where it was and where it is now
/// (`None`: it came or went).
pub(super) struct Move {
    pub(super) url: Url,
    pub(super) before: Option<u32>,
    pub(super) after: Option<u32>,
}

impl Layout {
    /// The layout of these records (each URL once).
    pub(super) fn new<'u>(urls: impl IntoIterator<Item = &'u Url>) -> Layout {
        let hashed: Vec<(u64, Url)> = urls.into_iter().map(|u| (hash(u), u.clone())).collect();
        let mut files = files_for(hashed.len());
        let members = loop {
            let members = group(&hashed, files);
            if members.iter().all(|m| m.len() <= SLOTS_PER_FILE) {
                break members;
            }
            files *= 2;
        };
        let mut layout = Layout {
            files,
            docs: HashMap::with_capacity(hashed.len()),
            members,
        };
        for file in 0..files {
            layout.docs.extend(place(file, &layout.members[file]));
        }
        layout
    }

    pub(super) fn files(&self) -> usize {
        self.files
    }

    pub(super) fn doc_of(&self, url: &str) -> Option<u32> {
        self.docs.get(url).copied()
    }

    /// Takes records out and puts new ones in, and returns every record
    /// whose doc id changed. `None` when the site grew or shrank past a
    /// change in the number of files (or a file would overflow): then every
    /// record moves, and the layout must be made anew.
    pub(super) fn update(&mut self, removed: &[Url], added: &[Url]) -> Option<Vec<Move>> {
        let count = self.docs.len() - removed.len() + added.len();
        if files_for(count) != self.files {
            return None;
        }
        let mut touched = BTreeSet::new();
        let mut members = HashMap::new();
        for url in removed {
            let h = hash(url);
            let file = file_of(h, self.files);
            let list = members
                .entry(file)
                .or_insert_with(|| self.members[file].clone());
            list.retain(|(_, u)| u != url);
            touched.insert(file);
        }
        for url in added {
            let h = hash(url);
            let file = file_of(h, self.files);
            let list = members
                .entry(file)
                .or_insert_with(|| self.members[file].clone());
            list.push((h, url.clone()));
            touched.insert(file);
        }
        if members.values().any(|m| m.len() > SLOTS_PER_FILE) {
            return None;
        }
        let mut moves = Vec::new();
        for url in removed {
            let before = self.docs.remove(url);
            moves.push(Move {
                url: url.clone(),
                before,
                after: None,
            });
        }
        for file in touched {
            let list = members.remove(&file).expect("touched file");
            for (url, doc) in place(file, &list) {
                let before = self.docs.insert(url.clone(), doc);
                if before != Some(doc) {
                    moves.push(Move {
                        url,
                        before,
                        after: Some(doc),
                    });
                }
            }
            self.members[file] = list;
        }
        Some(moves)
    }
}

/// Files for `count` records: the least power of two holding them at
/// `MEAN_PER_FILE` a file.
fn files_for(count: usize) -> usize {
    count.div_ceil(MEAN_PER_FILE).max(1).next_power_of_two()
}

/// A well-mixed 64-bit hash of a URL (FNV's low bits alone mix poorly).
fn hash(url: &str) -> u64 {
    let mut h = fingerprint(url);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn file_of(hash: u64, files: usize) -> usize {
    (hash % files as u64) as usize
}

fn home_of(hash: u64) -> usize {
    ((hash >> 40) % SLOTS_PER_FILE as u64) as usize
}

fn group(hashed: &[(u64, Url)], files: usize) -> Vec<Vec<(u64, Url)>> {
    let mut members = vec![Vec::new(); files];
    for (h, url) in hashed {
        members[file_of(*h, files)].push((*h, url.clone()));
    }
    members
}

/// The doc ids of one file's records: in order of (home, hash, URL), each
/// takes the first free slot from its home on, wrapping round.
fn place(file: usize, members: &[(u64, Url)]) -> Vec<(Url, u32)> {
    let mut order: Vec<&(u64, Url)> = members.iter().collect();
    order.sort_unstable_by(|a, b| (home_of(a.0), a.0, &a.1).cmp(&(home_of(b.0), b.0, &b.1)));
    let mut taken = [false; SLOTS_PER_FILE];
    order
        .into_iter()
        .map(|(h, url)| {
            let home = home_of(*h);
            let slot = (0..SLOTS_PER_FILE)
                .map(|step| (home + step) % SLOTS_PER_FILE)
                .find(|slot| !taken[*slot])
                .expect("a file holds at most SLOTS_PER_FILE records");
            taken[slot] = true;
            (url.clone(), (file * SLOTS_PER_FILE + slot) as u32)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(range: std::ops::Range<usize>) -> Vec<Url> {
        range.map(|i| Url::from(format!("guides/g{i}/"))).collect()
    }

    #[test]
    fn a_patched_layout_equals_a_fresh_one_and_moves_few_records() {
        let all = urls(0..3000);
        let mut layout = Layout::new(&all[..2000]);
        let removed = &all[100..110];
        let added = &all[2000..2020];
        let moves = layout.update(removed, added).expect("same number of files");
        let now: Vec<&Url> = all[..100].iter().chain(&all[110..2020]).collect();
        let fresh = Layout::new(now.iter().copied());
        for url in &now {
            assert_eq!(layout.doc_of(url), fresh.doc_of(url), "{url}");
        }
        assert_eq!(layout.doc_of(&all[105]), None);
        // The records that came and went, and the odd neighbour in a slot run.
        assert!(moves.len() < 40, "{} records moved", moves.len());
    }

    #[test]
    fn doc_ids_are_unique_and_files_stay_sparse() {
        let all = urls(0..5000);
        let layout = Layout::new(&all);
        let docs: BTreeSet<u32> = all.iter().map(|u| layout.doc_of(u).unwrap()).collect();
        assert_eq!(docs.len(), all.len());
        assert_eq!(layout.files(), 512);
        assert!(docs.iter().all(|d| (*d as usize) < 512 * SLOTS_PER_FILE));
    }

    #[test]
    fn growing_past_a_power_of_two_asks_for_a_new_layout() {
        let all = urls(0..40);
        let mut layout = Layout::new(&all[..32]);
        assert_eq!(layout.files(), 2);
        assert!(layout.update(&[], &all[32..40]).is_none());
    }
}
