//! Reading the stored pairs of the latest scan, naming contacts by external id, and the
//! remembered "not a duplicate" decision.

use super::score::{reasons_text, Reason, Thresholds};
use super::DedupeError;
use crate::workspace::{append_log, keys, LogEntry, Workspace};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A stored pair as `dedupe pairs` and the review queue show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredPair {
    pub contact_a: i64,
    pub contact_b: i64,
    /// External ids (`#N` when a contact has none).
    pub id_a: String,
    pub id_b: String,
    pub score: f64,
    pub cluster: Option<i64>,
    pub reasons: Vec<Reason>,
}

impl StoredPair {
    /// The one-line explanation.
    pub fn reasons_text(&self) -> String {
        reasons_text(&self.reasons)
    }
}

/// How a contact is named to users: its external id, else `#<internal id>`.
pub fn display_id(id: i64, external: Option<String>) -> String {
    external
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| format!("#{id}"))
}

/// The bars the latest scan used (they rise with the list's size; see [`Thresholds`]);
/// those of a small list before any scan.
pub fn thresholds(conn: &Connection) -> Result<Thresholds, DedupeError> {
    let latest = conn
        .query_row(
            "SELECT likely_at, possible_at FROM dedupe_scans ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, f64>(0)?, r.get::<_, f64>(1)?)),
        )
        .optional()?;
    Ok(
        latest.map_or_else(Thresholds::default, |(likely, possible)| Thresholds {
            likely: likely as f32,
            possible: possible as f32,
        }),
    )
}

/// Stored pairs at or above `min_score` whose contacts are both still live, strongest first.
pub fn list(conn: &Connection, min_score: f64) -> Result<Vec<StoredPair>, DedupeError> {
    let mut stmt = conn.prepare(
        "SELECT p.contact_a, p.contact_b, a.external_id, b.external_id, p.score, p.cluster,
                p.reasons
         FROM dedupe_pairs p
         JOIN contacts a ON a.id = p.contact_a AND a.merged_into IS NULL
         JOIN contacts b ON b.id = p.contact_b AND b.merged_into IS NULL
         WHERE p.score >= ?1
         ORDER BY p.score DESC, p.contact_a, p.contact_b",
    )?;
    let rows = stmt.query_map([min_score], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, f64>(4)?,
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (a, b, ea, eb, score, cluster, reasons) = row?;
        out.push(StoredPair {
            contact_a: a,
            contact_b: b,
            id_a: display_id(a, ea),
            id_b: display_id(b, eb),
            score,
            cluster,
            reasons: serde_json::from_str(&reasons)?,
        });
    }
    Ok(out)
}

/// The live contact a user names: an external id, or `#N` for the internal id. A merged-away
/// contact's external id names its survivor, as a re-import would.
pub fn resolve(conn: &Connection, name: &str) -> Result<i64, DedupeError> {
    if let Some(id) = name.strip_prefix('#').and_then(|n| n.parse::<i64>().ok()) {
        return keys::survivor(conn, id)?
            .ok_or_else(|| DedupeError::UnknownContact(name.to_string()));
    }
    let ids = keys::by_external_id(conn, None, name)?;
    let mut live_ids = Vec::new();
    for id in ids {
        if let Some(l) = keys::survivor(conn, id)? {
            if !live_ids.contains(&l) {
                live_ids.push(l);
            }
        }
    }
    match live_ids.as_slice() {
        [one] => Ok(*one),
        [] => Err(DedupeError::UnknownContact(name.to_string())),
        many => Err(DedupeError::AmbiguousContact {
            id: name.to_string(),
            count: many.len(),
        }),
    }
}

/// The identity key a decision about `contact` is remembered by: its smallest key (see
/// [`keys`]), else `id:<N>`.
fn decision_key(conn: &Connection, contact: i64) -> rusqlite::Result<String> {
    let keys = keys::keys_of(conn, contact)?;
    Ok(keys
        .into_iter()
        .next()
        .unwrap_or_else(|| format!("id:{contact}")))
}

/// Records that `a` and `b` are two people, so no later scan proposes them again, and
/// drops their stored pair; one transaction, one log entry (undoable).
pub fn mark_not_duplicate(ws: &mut Workspace, a: i64, b: i64) -> Result<(), DedupeError> {
    if a == b {
        return Err(DedupeError::SameContact);
    }
    let (a, b) = (a.min(b), a.max(b));
    let user = ws.user().to_string();
    let at = ws.clock().now_ts();
    ws.write(|tx| -> Result<(), DedupeError> {
        let (ka, kb) = (decision_key(tx, a)?, decision_key(tx, b)?);
        let (ka, kb) = if ka <= kb { (ka, kb) } else { (kb, ka) };
        tx.execute(
            "INSERT OR REPLACE INTO dedupe_decisions (key_a, key_b, decision, decided_at, os_user)
             VALUES (?1, ?2, 'not_duplicate', ?3, ?4)",
            params![ka, kb, at, user],
        )?;
        let pair: Option<(f64, Option<i64>, String)> = tx
            .query_row(
                "SELECT score, cluster, reasons FROM dedupe_pairs WHERE contact_a = ?1 AND contact_b = ?2",
                [a, b],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        tx.execute(
            "DELETE FROM dedupe_pairs WHERE contact_a = ?1 AND contact_b = ?2",
            [a, b],
        )?;
        append_log(
            tx,
            &user,
            at,
            &LogEntry::new("not_duplicate", format!("contacts {a} and {b} marked not duplicates"))
                .with_details(serde_json::json!({ "contact_a": a, "contact_b": b, "key_a": ka, "key_b": kb }))
                .with_undo(serde_json::json!({ "delete_decision": [ka, kb], "restore_pair": pair.map(|(s, c, r)| serde_json::json!({"contact_a": a, "contact_b": b, "score": s, "cluster": c, "reasons": r})) })),
        )?;
        Ok(())
    })
}

/// Undoes [`mark_not_duplicate`] for `pair`: forgets the decision and puts the pair back
/// in the review list; one transaction, one log entry.
pub fn forget_not_duplicate(ws: &mut Workspace, pair: &StoredPair) -> Result<(), DedupeError> {
    let (a, b) = (pair.contact_a, pair.contact_b);
    let user = ws.user().to_string();
    let at = ws.clock().now_ts();
    ws.write(|tx| -> Result<(), DedupeError> {
        let (ka, kb) = (decision_key(tx, a)?, decision_key(tx, b)?);
        let (ka, kb) = if ka <= kb { (ka, kb) } else { (kb, ka) };
        tx.execute(
            "DELETE FROM dedupe_decisions WHERE key_a = ?1 AND key_b = ?2",
            params![ka, kb],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO dedupe_pairs (contact_a, contact_b, score, cluster, reasons)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                a,
                b,
                pair.score,
                pair.cluster,
                serde_json::to_string(&pair.reasons)?
            ],
        )?;
        append_log(
            tx,
            &user,
            at,
            &LogEntry::new(
                "not_duplicate_undo",
                format!("contacts {a} and {b} back in the duplicate review"),
            )
            .with_details(serde_json::json!({ "contact_a": a, "contact_b": b })),
        )?;
        Ok(())
    })
}
