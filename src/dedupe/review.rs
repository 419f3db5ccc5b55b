//! The duplicate review queue as plain state: keys in, decisions out, so the Duplicates
//! pane only draws it and the logic is tested without a terminal.
//!
//! Pairs come strongest first. Every decision is one key; the next undecided pair is known
//! before the operator gets there (`upcoming`, for the pane to preload); `u` walks back
//! through the decisions of this sitting, undoing merges and "not a duplicate" marks.
//! Pairs that a merge made stale (one side was absorbed) are passed over.

use super::merge::{self, Survivor};
use super::pairs::{self, StoredPair};
use super::DedupeError;
use crate::workspace::Workspace;
use std::collections::HashSet;

/// What the operator can do on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Merge the pair (the left record survives, see [`Key::SwapSurvivor`]).
    Merge,
    /// Two different people: remember it.
    NotDuplicate,
    /// Decide later.
    Skip,
    /// Undo the last decision of this sitting.
    Undo,
    /// Make the right record the survivor.
    SwapSurvivor,
}

/// A decision taken in this sitting, for undo.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    Merged {
        index: usize,
        merge_id: i64,
        absorbed: i64,
    },
    NotDuplicate {
        index: usize,
    },
    Skipped {
        index: usize,
    },
}

/// The review queue.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pairs: Vec<StoredPair>,
    decided: Vec<bool>,
    absorbed: HashSet<i64>,
    history: Vec<Done>,
    pos: usize,
    /// Whether the right record is the survivor of the current pair.
    pub swapped: bool,
}

impl Review {
    /// A queue over `pairs` (as [`pairs::list`] returns them).
    pub fn new(pairs: Vec<StoredPair>) -> Self {
        let n = pairs.len();
        let mut r = Review {
            pairs,
            decided: vec![false; n],
            ..Review::default()
        };
        r.pos = r.next_open(0).unwrap_or(n);
        r
    }

    fn open(&self, i: usize) -> bool {
        self.pairs.get(i).is_some_and(|p| {
            !self.decided[i]
                && !self.absorbed.contains(&p.contact_a)
                && !self.absorbed.contains(&p.contact_b)
        })
    }

    fn next_open(&self, from: usize) -> Option<usize> {
        (from..self.pairs.len()).find(|&i| self.open(i))
    }

    /// The pair on screen, `None` when the queue is done.
    pub fn current(&self) -> Option<&StoredPair> {
        self.open(self.pos).then(|| &self.pairs[self.pos])
    }

    /// The pair that comes after the current one, to load ahead.
    pub fn upcoming(&self) -> Option<&StoredPair> {
        self.next_open(self.pos + 1).map(|i| &self.pairs[i])
    }

    /// "n of m reviewed".
    pub fn progress(&self) -> (usize, usize) {
        (
            self.decided.iter().filter(|d| **d).count(),
            self.pairs.len(),
        )
    }

    fn advance(&mut self) {
        self.swapped = false;
        self.pos = self.next_open(self.pos + 1).unwrap_or(self.pairs.len());
    }

    /// Applies one key against the workspace.
    pub fn press(&mut self, ws: &mut Workspace, key: Key) -> Result<(), DedupeError> {
        if key == Key::Undo {
            return self.undo(ws);
        }
        let Some(pair) = self.current().cloned() else {
            return Ok(());
        };
        let index = self.pos;
        match key {
            Key::SwapSurvivor => {
                self.swapped = !self.swapped;
                return Ok(());
            }
            Key::Merge => {
                let (survivor, absorbed) = if self.swapped {
                    (pair.contact_b, pair.contact_a)
                } else {
                    (pair.contact_a, pair.contact_b)
                };
                let m = merge::merge(ws, survivor, absorbed, Survivor::Chosen)?;
                self.absorbed.insert(m.absorbed);
                self.history.push(Done::Merged {
                    index,
                    merge_id: m.merge_id,
                    absorbed: m.absorbed,
                });
            }
            Key::NotDuplicate => {
                pairs::mark_not_duplicate(ws, pair.contact_a, pair.contact_b)?;
                self.history.push(Done::NotDuplicate { index });
            }
            Key::Skip => self.history.push(Done::Skipped { index }),
            Key::Undo => {}
        }
        self.decided[index] = true;
        self.advance();
        Ok(())
    }

    fn undo(&mut self, ws: &mut Workspace) -> Result<(), DedupeError> {
        let Some(last) = self.history.last().cloned() else {
            return Ok(());
        };
        let index = match last {
            Done::Merged {
                index,
                merge_id,
                absorbed,
            } => {
                merge::unmerge(ws, merge_id)?;
                self.absorbed.remove(&absorbed);
                index
            }
            Done::NotDuplicate { index } => {
                pairs::forget_not_duplicate(ws, &self.pairs[index])?;
                index
            }
            Done::Skipped { index } => index,
        };
        self.history.pop();
        self.decided[index] = false;
        self.pos = index;
        self.swapped = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::OpenOptions;

    fn setup() -> (tempfile::TempDir, Workspace, Review) {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        ws.write(|tx| -> Result<(), DedupeError> {
            for id in 1..=4 {
                tx.execute(
                    "INSERT INTO contacts (id, external_id, first_name, source, first_seen_at, updated_at)
                     VALUES (?1, ?2, 'Ann', 'generic', 0, 0)",
                    rusqlite::params![id, format!("c{id}")],
                )?;
            }
            tx.execute_batch(
                "INSERT INTO dedupe_pairs VALUES (1, 2, 30.0, 1, '[]'), (2, 3, 20.0, 1, '[]'),
                     (3, 4, 15.0, NULL, '[]');
                 INSERT INTO dedupe_scans (started_at, elapsed_ms, contacts, candidates, likely,
                     possible, clusters, likely_at, possible_at) VALUES (0, 0, 4, 3, 3, 0, 1, 14, 8);",
            )?;
            Ok(())
        })
        .unwrap();
        let review = Review::new(pairs::list(ws.conn(), 0.0).unwrap());
        (dir, ws, review)
    }

    fn ids(p: Option<&StoredPair>) -> Option<(i64, i64)> {
        p.map(|p| (p.contact_a, p.contact_b))
    }

    #[test]
    fn one_key_per_decision_and_the_next_pair_is_ready() {
        let (_dir, mut ws, mut r) = setup();
        assert_eq!(ids(r.current()), Some((1, 2)));
        assert_eq!(ids(r.upcoming()), Some((2, 3)));
        r.press(&mut ws, Key::Merge).unwrap();
        // 2 was absorbed: the (2, 3) pair is stale and passed over.
        assert_eq!(ids(r.current()), Some((3, 4)));
        assert_eq!(r.progress(), (1, 3));
        r.press(&mut ws, Key::NotDuplicate).unwrap();
        assert_eq!(r.current(), None);
        assert_eq!(pairs::list(ws.conn(), 0.0).unwrap().len(), 0);
    }

    #[test]
    fn undo_walks_back_through_merges_and_marks() {
        let (_dir, mut ws, mut r) = setup();
        r.press(&mut ws, Key::SwapSurvivor).unwrap();
        r.press(&mut ws, Key::Merge).unwrap();
        let live = |ws: &Workspace| -> i64 {
            ws.conn()
                .query_row(
                    "SELECT count(*) FROM contacts WHERE merged_into IS NULL",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(live(&ws), 3);
        assert_eq!(
            ws.conn()
                .query_row("SELECT merged_into FROM contacts WHERE id = 1", [], |r| r
                    .get::<_, i64>(
                    0
                ))
                .unwrap(),
            2,
            "swapped: the right record survived"
        );
        r.press(&mut ws, Key::Skip).unwrap();
        r.press(&mut ws, Key::NotDuplicate).unwrap();
        r.press(&mut ws, Key::Undo).unwrap();
        assert_eq!(ids(r.current()), Some((3, 4)));
        // (1, 2) stays hidden while 1 is merged into 2; (3, 4) is back.
        assert_eq!(pairs::list(ws.conn(), 0.0).unwrap().len(), 2);
        r.press(&mut ws, Key::Undo).unwrap();
        assert_eq!(ids(r.current()), Some((2, 3)));
        r.press(&mut ws, Key::Undo).unwrap();
        assert_eq!(ids(r.current()), Some((1, 2)));
        assert_eq!(live(&ws), 4);
        assert_eq!(r.progress(), (0, 3));
        r.press(&mut ws, Key::Undo).unwrap();
        assert_eq!(ids(r.current()), Some((1, 2)));
    }
}
