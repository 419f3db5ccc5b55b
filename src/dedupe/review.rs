//! The duplicate review queue as plain state: keys in, changes out, so the Duplicates
//! pane only draws it, a worker applies the changes, and the logic is tested without a
//! terminal.
//!
//! Pairs come strongest first. Every decision is one key and moves on at once; the change
//! it asks for ([`Change`]) is applied by [`apply`], in order, one transaction each, so
//! the screen never waits for the database. The next undecided pair is known before the
//! operator gets there (`upcoming`, for the pane to preload); `u` walks back through the
//! decisions of this sitting, undoing merges and "not a duplicate" marks. Pairs that a
//! merge made stale (one side was absorbed) are passed over.

use super::merge::{self, Survivor};
use super::pairs::{self, StoredPair};
use super::score::Thresholds;
use super::DedupeError;
use crate::workspace::Workspace;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashSet};

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
    /// Make the other record the survivor.
    SwapSurvivor,
}

/// One of the two records of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `contact_a`.
    Left,
    /// `contact_b`.
    Right,
}

/// What a decision asks of the workspace, in the order decisions were taken.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge `absorbed` into `survivor`; the absorbed record's value wins in `picks`.
    Merge {
        survivor: i64,
        absorbed: i64,
        picks: Vec<String>,
    },
    NotDuplicate {
        a: i64,
        b: i64,
    },
    /// Undo the latest merge of `absorbed` into `survivor` that is still in force.
    Unmerge {
        survivor: i64,
        absorbed: i64,
    },
    /// Undo a "not a duplicate" mark and put the pair back.
    ForgetNotDuplicate(StoredPair),
}

/// Makes `change` in one logged transaction; returns a line for the operator.
pub fn apply(ws: &mut Workspace, change: &Change) -> Result<String, DedupeError> {
    match change {
        Change::Merge {
            survivor,
            absorbed,
            picks,
        } => {
            let m = merge::merge_picking(ws, *survivor, *absorbed, Survivor::Chosen, picks)?;
            Ok(format!(
                "Merged contact #{} into #{} (merge {})",
                m.absorbed, m.survivor, m.merge_id
            ))
        }
        Change::NotDuplicate { a, b } => {
            pairs::mark_not_duplicate(ws, *a, *b)?;
            Ok(format!("Contacts #{a} and #{b} marked not duplicates"))
        }
        Change::Unmerge { survivor, absorbed } => {
            let id = live_merge(ws.conn(), *survivor, *absorbed)?
                .ok_or_else(|| DedupeError::UnknownContact(format!("#{absorbed} (not merged)")))?;
            let u = merge::unmerge(ws, id)?;
            Ok(format!(
                "Unmerged contact #{} from #{} (merge {})",
                u.restored, u.survivor, u.merge_id
            ))
        }
        Change::ForgetNotDuplicate(pair) => {
            pairs::forget_not_duplicate(ws, pair)?;
            Ok(format!(
                "Contacts #{} and #{} back in the review",
                pair.contact_a, pair.contact_b
            ))
        }
    }
}

/// The latest merge of `absorbed` into `survivor` that has not been undone.
fn live_merge(conn: &Connection, survivor: i64, absorbed: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT max(id) FROM dedupe_merges
         WHERE survivor_id = ?1 AND absorbed_id = ?2 AND undone_at IS NULL",
        [survivor, absorbed],
        |r| r.get(0),
    )
}

/// What the review starts from: the latest scan (`None` before the first) and its pairs
/// worth reviewing whose contacts are both live, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    pub scan: Option<i64>,
    /// The bars that scan used.
    pub thresholds: Thresholds,
    pub pairs: Vec<StoredPair>,
}

/// Reads the [`Queue`].
pub fn queue(conn: &Connection) -> Result<Queue, DedupeError> {
    let scan = conn.query_row("SELECT max(id) FROM dedupe_scans", [], |r| r.get(0))?;
    let thresholds = pairs::thresholds(conn)?;
    Ok(Queue {
        scan,
        thresholds,
        pairs: pairs::list(conn, f64::from(thresholds.possible))?,
    })
}

/// A decision taken in this sitting, for undo.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    Merged {
        index: usize,
        survivor: i64,
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
    /// Profile columns of the current pair whose value the operator took from one side.
    chosen: BTreeMap<String, Side>,
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

    /// Whether a decision of this sitting can be undone.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// The side whose value the merge keeps for `column`: the one picked, else the
    /// survivor (the merge then fills only the survivor's empty fields).
    pub fn kept(&self, column: &str) -> Side {
        self.chosen.get(column).copied().unwrap_or(if self.swapped {
            Side::Right
        } else {
            Side::Left
        })
    }

    /// Keeps `side`'s value of profile column `column` in the merge of the current pair.
    /// Other columns are decided by the merge rules and cannot be picked.
    pub fn pick(&mut self, column: &str, side: Side) -> bool {
        if !merge::pickable(column) || self.current().is_none() {
            return false;
        }
        self.chosen.insert(column.to_string(), side);
        true
    }

    fn advance(&mut self) {
        self.swapped = false;
        self.chosen.clear();
        self.pos = self.next_open(self.pos + 1).unwrap_or(self.pairs.len());
    }

    /// Applies one key to the queue and returns the change it asks of the workspace.
    pub fn press(&mut self, key: Key) -> Option<Change> {
        if key == Key::Undo {
            return self.undo();
        }
        let pair = self.current()?.clone();
        let index = self.pos;
        let change = match key {
            Key::SwapSurvivor => {
                self.swapped = !self.swapped;
                return None;
            }
            Key::Merge => {
                let (survivor, absorbed, absorbed_side) = if self.swapped {
                    (pair.contact_b, pair.contact_a, Side::Left)
                } else {
                    (pair.contact_a, pair.contact_b, Side::Right)
                };
                let picks = self
                    .chosen
                    .iter()
                    .filter(|(_, side)| **side == absorbed_side)
                    .map(|(column, _)| column.clone())
                    .collect();
                self.absorbed.insert(absorbed);
                self.history.push(Done::Merged {
                    index,
                    survivor,
                    absorbed,
                });
                Some(Change::Merge {
                    survivor,
                    absorbed,
                    picks,
                })
            }
            Key::NotDuplicate => {
                self.history.push(Done::NotDuplicate { index });
                Some(Change::NotDuplicate {
                    a: pair.contact_a,
                    b: pair.contact_b,
                })
            }
            Key::Skip => {
                self.history.push(Done::Skipped { index });
                None
            }
            Key::Undo => None,
        };
        self.decided[index] = true;
        self.advance();
        change
    }

    fn undo(&mut self) -> Option<Change> {
        let (index, change) = match self.history.pop()? {
            Done::Merged {
                index,
                survivor,
                absorbed,
            } => {
                self.absorbed.remove(&absorbed);
                (index, Some(Change::Unmerge { survivor, absorbed }))
            }
            Done::NotDuplicate { index } => (
                index,
                Some(Change::ForgetNotDuplicate(self.pairs[index].clone())),
            ),
            Done::Skipped { index } => (index, None),
        };
        self.decided[index] = false;
        self.pos = index;
        self.swapped = false;
        self.chosen.clear();
        change
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

    fn press(r: &mut Review, ws: &mut Workspace, key: Key) {
        if let Some(change) = r.press(key) {
            apply(ws, &change).unwrap();
        }
    }

    #[test]
    fn picked_fields_go_with_the_merge_and_follow_the_survivor() {
        let (_dir, _ws, mut r) = setup();
        assert!(!r.pick("open_count", Side::Right));
        assert!(r.pick("first_name", Side::Right));
        assert!(r.pick("email", Side::Left));
        assert_eq!(r.kept("first_name"), Side::Right);
        assert_eq!(r.kept("company"), Side::Left);
        r.press(Key::SwapSurvivor);
        assert_eq!(r.kept("company"), Side::Right);
        // The right record survives now: only the left value picked comes from the absorbed.
        assert_eq!(
            r.press(Key::Merge),
            Some(Change::Merge {
                survivor: 2,
                absorbed: 1,
                picks: vec!["email".to_string()]
            })
        );
        assert_eq!(r.kept("email"), Side::Left, "picks end with their pair");
        assert_eq!(
            r.press(Key::Undo),
            Some(Change::Unmerge {
                survivor: 2,
                absorbed: 1
            })
        );
    }

    fn ids(p: Option<&StoredPair>) -> Option<(i64, i64)> {
        p.map(|p| (p.contact_a, p.contact_b))
    }

    #[test]
    fn one_key_per_decision_and_the_next_pair_is_ready() {
        let (_dir, mut ws, mut r) = setup();
        assert_eq!(ids(r.current()), Some((1, 2)));
        assert_eq!(ids(r.upcoming()), Some((2, 3)));
        press(&mut r, &mut ws, Key::Merge);
        // 2 was absorbed: the (2, 3) pair is stale and passed over.
        assert_eq!(ids(r.current()), Some((3, 4)));
        assert_eq!(r.progress(), (1, 3));
        press(&mut r, &mut ws, Key::NotDuplicate);
        assert_eq!(r.current(), None);
        assert_eq!(pairs::list(ws.conn(), 0.0).unwrap().len(), 0);
    }

    #[test]
    fn undo_walks_back_through_merges_and_marks() {
        let (_dir, mut ws, mut r) = setup();
        press(&mut r, &mut ws, Key::SwapSurvivor);
        press(&mut r, &mut ws, Key::Merge);
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
        press(&mut r, &mut ws, Key::Skip);
        press(&mut r, &mut ws, Key::NotDuplicate);
        press(&mut r, &mut ws, Key::Undo);
        assert_eq!(ids(r.current()), Some((3, 4)));
        // (1, 2) stays hidden while 1 is merged into 2; (3, 4) is back.
        assert_eq!(pairs::list(ws.conn(), 0.0).unwrap().len(), 2);
        press(&mut r, &mut ws, Key::Undo);
        assert_eq!(ids(r.current()), Some((2, 3)));
        press(&mut r, &mut ws, Key::Undo);
        assert_eq!(ids(r.current()), Some((1, 2)));
        assert_eq!(live(&ws), 4);
        assert_eq!(r.progress(), (0, 3));
        press(&mut r, &mut ws, Key::Undo);
        assert_eq!(ids(r.current()), Some((1, 2)));
    }
}
