//! Appending to the maintenance log: one entry per change, inside the change's transaction.

use rusqlite::{params, Connection};

/// One change, as the log records it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Stable kind id: `import`, `merge`, `unmerge`, `suppress`, `fix`, `segment_save`, ...
    pub kind: String,
    /// One line a person reads in the Log pane.
    pub summary: String,
    /// Machine-readable details (JSON), shown on `Enter`.
    pub details: Option<serde_json::Value>,
    /// What reverses the change (JSON), `None` when it cannot be undone.
    pub undo: Option<serde_json::Value>,
}

impl LogEntry {
    pub fn new(kind: &str, summary: impl Into<String>) -> Self {
        LogEntry {
            kind: kind.to_string(),
            summary: summary.into(),
            details: None,
            undo: None,
        }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn with_undo(mut self, undo: serde_json::Value) -> Self {
        self.undo = Some(undo);
        self
    }
}

/// Writes `entry` and returns its id. Call it inside the transaction of the change.
pub fn append_log(
    conn: &Connection,
    user: &str,
    at: i64,
    entry: &LogEntry,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO maintenance_log (at, os_user, kind, summary, details, undo)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            at,
            user,
            entry.kind,
            entry.summary,
            entry.details.as_ref().map(|d| d.to_string()),
            entry.undo.as_ref().map(|u| u.to_string()),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
