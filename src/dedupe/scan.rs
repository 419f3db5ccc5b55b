//! The duplicate scan: load, block, score on every core, cluster, store.

use super::block::{candidates, unpack};
use super::cluster::clusters;
use super::score::{score, score_value, Reason, Thresholds};
use super::table::Table;
use super::DedupeError;
use crate::workspace::{append_log, keys, LogEntry, Workspace};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Where a running scan is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
}

/// One scored pair, by `contacts.id`, smaller id first.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: i64,
    pub b: i64,
    pub score: f32,
    /// Cluster number (1-based) when both contacts are in the same cluster.
    pub cluster: Option<i64>,
    pub reasons: Vec<Reason>,
}

/// What a scan found, before it is stored.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub contacts: usize,
    pub candidates: usize,
    /// The bars for this list's size.
    pub thresholds: Thresholds,
    /// Pairs at or above the possible-duplicate bar, strongest first.
    pub pairs: Vec<Pair>,
    /// Clusters of likely duplicates, by `contacts.id`.
    pub clusters: Vec<Vec<i64>>,
}

impl Found {
    pub fn likely(&self) -> usize {
        let bar = self.thresholds.likely;
        self.pairs.iter().filter(|p| p.score >= bar).count()
    }
}

/// The summary `dedupe scan` prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub scan_id: i64,
    pub contacts: usize,
    pub candidates: usize,
    pub likely_pairs: usize,
    pub possible_pairs: usize,
    pub clusters: usize,
    pub contacts_in_clusters: usize,
    pub likely_threshold: f32,
    pub possible_threshold: f32,
    pub elapsed_ms: u64,
}

/// Scores candidate pairs on all cores; keeps those at or above `possible`.
fn score_all(
    table: &Table,
    cands: &[u64],
    possible: f32,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<(usize, usize, super::score::Scored)>, DedupeError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = cands.len().div_ceil(threads).max(1);
    let done = AtomicUsize::new(0);
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = cands
            .chunks(chunk)
            .map(|part| {
                let done = &done;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (i, &p) in part.iter().enumerate() {
                        if i % 4096 == 4095 {
                            done.fetch_add(4096, Ordering::Relaxed);
                            if cancel.load(Ordering::Relaxed) {
                                return None;
                            }
                        }
                        let (a, b) = unpack(p);
                        if score_value(table, a, b) >= possible {
                            out.push((a, b, score(table, a, b)));
                        }
                    }
                    Some(out)
                })
            })
            .collect();
        while !handles.iter().all(|h| h.is_finished()) {
            progress(Progress {
                phase: "scoring",
                done: done.load(Ordering::Relaxed).min(cands.len()),
                total: cands.len(),
            });
            std::thread::sleep(Duration::from_millis(50));
        }
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect::<Option<Vec<_>>>()
    });
    let parts = results.ok_or(DedupeError::Cancelled)?;
    Ok(parts.into_iter().flatten().collect())
}

/// Row pairs a person marked "not a duplicate", through the contacts' identity keys.
fn forbidden_rows(conn: &Connection, table: &Table) -> rusqlite::Result<HashSet<(usize, usize)>> {
    let mut stmt =
        conn.prepare("SELECT key_a, key_b FROM dedupe_decisions WHERE decision = 'not_duplicate'")?;
    let decided: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ids: Vec<(i64, i64)> = Vec::with_capacity(decided.len());
    for (a, b) in &decided {
        if let (Some(a), Some(b)) = (
            keys::contact_by_key(conn, a)?,
            keys::contact_by_key(conn, b)?,
        ) {
            ids.push((a, b));
        }
    }
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let row_of: HashMap<i64, usize> = table
        .ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    Ok(ids
        .into_iter()
        .filter_map(|(a, b)| {
            let (x, y) = (*row_of.get(&a)?, *row_of.get(&b)?);
            Some((x.min(y), x.max(y)))
        })
        .collect())
}

/// Finds duplicates among the live contacts without writing anything.
pub fn find(
    conn: &Connection,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Found, DedupeError> {
    progress(Progress {
        phase: "loading",
        done: 0,
        total: 0,
    });
    let table = Table::load(conn)?;
    let forbidden = forbidden_rows(conn, &table)?;
    find_in(&table, &forbidden, cancel, progress)
}

/// [`find`] over an already loaded table (the quality benchmark calls this directly).
pub fn find_in(
    table: &Table,
    forbidden: &HashSet<(usize, usize)>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Found, DedupeError> {
    progress(Progress {
        phase: "blocking",
        done: 0,
        total: table.len(),
    });
    let cands = candidates(table);
    if cancel.load(Ordering::Relaxed) {
        return Err(DedupeError::Cancelled);
    }
    let thresholds = Thresholds::for_list(table.len());
    let mut scored = score_all(table, &cands, thresholds.possible, cancel, progress)?;
    scored.retain(|(a, b, _)| !forbidden.contains(&(*a, *b)));
    progress(Progress {
        phase: "clustering",
        done: 0,
        total: scored.len(),
    });
    let known: HashMap<(usize, usize), f32> =
        scored.iter().map(|(a, b, s)| ((*a, *b), s.score)).collect();
    let likely: Vec<(usize, usize, f32)> = scored
        .iter()
        .filter(|(_, _, s)| s.score >= thresholds.likely)
        .map(|(a, b, s)| (*a, *b, s.score))
        .collect();
    let groups = clusters(table, &likely, &known, forbidden, thresholds.possible);
    let mut cluster_of: HashMap<usize, i64> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        for &row in g {
            cluster_of.insert(row, i as i64 + 1);
        }
    }
    let mut pairs: Vec<Pair> = scored
        .into_iter()
        .map(|(a, b, s)| {
            let (ca, cb) = (cluster_of.get(&a), cluster_of.get(&b));
            let (ia, ib) = (table.ids[a], table.ids[b]);
            Pair {
                a: ia.min(ib),
                b: ia.max(ib),
                score: s.score,
                cluster: if ca.is_some() && ca == cb {
                    ca.copied()
                } else {
                    None
                },
                reasons: s.reasons,
            }
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    Ok(Found {
        contacts: table.len(),
        candidates: cands.len(),
        thresholds,
        pairs,
        clusters: groups
            .iter()
            .map(|g| g.iter().map(|&r| table.ids[r]).collect())
            .collect(),
    })
}

/// Scans the workspace and stores the result (replacing the previous scan's pairs) in one
/// transaction with one log entry.
pub fn scan(
    ws: &mut Workspace,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, DedupeError> {
    let started = Instant::now();
    let started_at = ws.clock().now_ts();
    let found = find(ws.conn(), cancel, progress)?;
    progress(Progress {
        phase: "saving",
        done: 0,
        total: found.pairs.len(),
    });
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut summary = Summary {
        scan_id: 0,
        contacts: found.contacts,
        candidates: found.candidates,
        likely_pairs: found.likely(),
        possible_pairs: found.pairs.len() - found.likely(),
        clusters: found.clusters.len(),
        contacts_in_clusters: found.clusters.iter().map(Vec::len).sum(),
        likely_threshold: found.thresholds.likely,
        possible_threshold: found.thresholds.possible,
        elapsed_ms,
    };
    let user = ws.user().to_string();
    summary.scan_id = ws.write(|tx| -> Result<i64, DedupeError> {
        tx.execute("DELETE FROM dedupe_pairs", [])?;
        let mut insert = tx.prepare(
            "INSERT INTO dedupe_pairs (contact_a, contact_b, score, cluster, reasons)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        // In primary-key order: appending to the B-tree is several times faster than
        // inserting in score order at a million pairs.
        let mut order: Vec<&Pair> = found.pairs.iter().collect();
        order.sort_unstable_by_key(|p| (p.a, p.b));
        for p in order {
            insert.execute(params![
                p.a,
                p.b,
                f64::from(p.score),
                p.cluster,
                serde_json::to_string(&p.reasons)?
            ])?;
        }
        tx.execute(
            "INSERT INTO dedupe_scans (started_at, elapsed_ms, contacts, candidates, likely,
                 possible, clusters, likely_at, possible_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                started_at,
                i64::try_from(summary.elapsed_ms).unwrap_or(i64::MAX),
                summary.contacts as i64,
                summary.candidates as i64,
                summary.likely_pairs as i64,
                summary.possible_pairs as i64,
                summary.clusters as i64,
                f64::from(found.thresholds.likely),
                f64::from(found.thresholds.possible)
            ],
        )?;
        let scan_id = tx.last_insert_rowid();
        append_log(
            tx,
            &user,
            started_at,
            &LogEntry::new(
                "dedupe_scan",
                format!(
                    "duplicate scan: {} likely and {} possible pairs, {} clusters",
                    summary.likely_pairs, summary.possible_pairs, summary.clusters
                ),
            )
            .with_details(
                serde_json::json!({ "scan_id": scan_id, "contacts": summary.contacts,
                "candidates": summary.candidates }),
            ),
        )?;
        Ok(scan_id)
    })?;
    Ok(summary)
}
