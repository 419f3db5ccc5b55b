//! Stored audit runs: the score and its breakdown at every audit, for the trend.

use super::{Audit, AuditError, Penalty};
use crate::workspace::{append_log, LogEntry, Workspace};
use rusqlite::params;
use serde::Serialize;

/// One past audit, as the trend view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub at: i64,
    pub contacts: i64,
    pub score: i64,
    pub breakdown: Vec<Penalty>,
}

/// Stores `audit` (one transaction, one log entry) and returns the run id.
pub fn save_run(ws: &mut Workspace, audit: &Audit) -> Result<i64, AuditError> {
    let user = ws.user().to_string();
    let breakdown = serde_json::to_string(&audit.breakdown).unwrap_or_default();
    let findings: Vec<serde_json::Value> = audit
        .findings
        .iter()
        .map(|f| serde_json::json!({"kind": f.kind, "count": f.count, "share": f.share}))
        .collect();
    let findings = serde_json::Value::from(findings);
    ws.write(|tx| {
        tx.execute(
            "INSERT INTO audit_runs (at, os_user, contacts, score, breakdown, findings, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                audit.at,
                user,
                audit.contacts as i64,
                audit.score,
                breakdown,
                findings.to_string(),
                audit.duration_ms as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        append_log(
            tx,
            &user,
            audit.at,
            &LogEntry::new(
                "audit",
                format!(
                    "audit: score {} over {} contacts",
                    audit.score, audit.contacts
                ),
            )
            .with_details(
                serde_json::json!({"run": id, "score": audit.score, "findings": findings}),
            ),
        )?;
        Ok(id)
    })
}

/// Past audits, oldest first.
pub fn history(conn: &rusqlite::Connection) -> Result<Vec<RunSummary>, AuditError> {
    let mut stmt =
        conn.prepare("SELECT id, at, contacts, score, breakdown FROM audit_runs ORDER BY at, id")?;
    let rows = stmt.query_map([], |r| {
        let breakdown: String = r.get(4)?;
        Ok(RunSummary {
            id: r.get(0)?,
            at: r.get(1)?,
            contacts: r.get(2)?,
            score: r.get(3)?,
            breakdown: serde_json::from_str(&breakdown).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
