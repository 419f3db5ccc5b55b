//! Reading the maintenance log and undoing from it.
//!
//! Every change a feature makes is one `maintenance_log` entry (see
//! [`crate::workspace::append_log`]); this module lists them with filters, newest first and
//! page by page, shows one entry with its field-level before/after, and undoes a reversible
//! entry by handing it to the undo of the feature that wrote it.

use crate::audit::{actions as audit_actions, AuditError};
use crate::dedupe::pairs::{self, StoredPair};
use crate::dedupe::{merge, DedupeError};
use crate::segment::{self, Image, Scope, SegmentError};
use crate::workspace::{Workspace, WorkspaceError};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

/// Which entries to list; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Exact kind (`merge`, `import`, ...).
    pub kind: Option<String>,
    /// Exact OS user.
    pub user: Option<String>,
    /// Entries at or after this unix time.
    pub since: Option<i64>,
    /// Entries before this unix time.
    pub until: Option<i64>,
    /// Case-insensitive text in the summary or kind.
    pub text: Option<String>,
}

/// One entry as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub user: String,
    pub kind: String,
    pub summary: String,
    /// Whether [`undo`] would try it (it has an undo this module knows, not yet undone).
    pub undoable: bool,
    pub undone_by: Option<i64>,
}

/// One field of one contact as the change left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub contact_id: i64,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A contact an entry touched, with its address when the contact still exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affected {
    pub contact_id: i64,
    pub email: Option<String>,
}

/// One entry with everything stored about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    #[serde(flatten)]
    pub entry: Entry,
    pub details: Option<Value>,
    /// The entry this one undid, when it is an undo.
    pub undoes: Option<i64>,
    pub changes: Vec<FieldChange>,
    pub contacts: Vec<Affected>,
}

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("no log entry {0}")]
    NoEntry(i64),
    #[error("log entry {id} cannot be undone: {reason}")]
    CannotUndo { id: i64, reason: String },
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error(transparent)]
    Dedupe(#[from] DedupeError),
    #[error(transparent)]
    Segment(#[from] SegmentError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

/// How an entry is reversed, read from its `undo` JSON.
#[derive(Debug, Clone, PartialEq)]
enum Plan {
    /// A fix, suppression or ignore: [`audit_actions::undo`].
    Audit,
    /// [`merge::unmerge`] of this merge id.
    Unmerge(i64),
    /// A saved segment goes away again.
    SegmentDelete(String),
    /// A deleted or changed segment gets this rule (again).
    SegmentSave {
        name: String,
        rule: String,
    },
    SegmentRename {
        from: String,
        to: String,
    },
    /// The pair marked "not duplicates" goes back into the review:
    /// [`pairs::forget_not_duplicate`].
    BackToReview(StoredPair),
}

fn plan(undo: &Value) -> Option<Plan> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    if let Some(action) = undo.get("action").and_then(Value::as_str) {
        return matches!(action, "fix" | "suppress" | "ignore").then_some(Plan::Audit);
    }
    if let Some(id) = undo.get("unmerge").and_then(Value::as_i64) {
        return Some(Plan::Unmerge(id));
    }
    if let Some(d) = undo.get("segment_delete") {
        return text(&d["name"]).map(Plan::SegmentDelete);
    }
    if let Some(s) = undo
        .get("segment_save")
        .or_else(|| undo.get("segment_update"))
    {
        return Some(Plan::SegmentSave {
            name: text(&s["name"])?,
            rule: text(&s["rule"])?,
        });
    }
    if let Some(r) = undo.get("segment_rename") {
        return Some(Plan::SegmentRename {
            from: text(&r["from"])?,
            to: text(&r["to"])?,
        });
    }
    if undo.get("delete_decision").is_some() {
        let p = undo.get("restore_pair")?;
        let reasons = serde_json::from_str(p.get("reasons")?.as_str()?).ok()?;
        let (a, b) = (p.get("contact_a")?.as_i64()?, p.get("contact_b")?.as_i64()?);
        return Some(Plan::BackToReview(StoredPair {
            contact_a: a,
            contact_b: b,
            id_a: pairs::display_id(a, None),
            id_b: pairs::display_id(b, None),
            score: p.get("score")?.as_f64()?,
            cluster: p.get("cluster").and_then(Value::as_i64),
            reasons,
        }));
    }
    None
}

fn plan_of(undo: Option<&str>) -> Option<Plan> {
    undo.and_then(|u| serde_json::from_str::<Value>(u).ok())
        .as_ref()
        .and_then(plan)
}

/// `WHERE` clause and parameters of `filter`.
fn conditions(filter: &Filter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value as V;
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(kind) = &filter.kind {
        values.push(V::Text(kind.clone()));
        clauses.push(format!("kind = ?{}", values.len()));
    }
    if let Some(user) = &filter.user {
        values.push(V::Text(user.clone()));
        clauses.push(format!("os_user = ?{}", values.len()));
    }
    if let Some(since) = filter.since {
        values.push(V::Integer(since));
        clauses.push(format!("at >= ?{}", values.len()));
    }
    if let Some(until) = filter.until {
        values.push(V::Integer(until));
        clauses.push(format!("at < ?{}", values.len()));
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let escaped = text
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        values.push(V::Text(format!("%{escaped}%")));
        let n = values.len();
        clauses.push(format!(
            "(lower(summary) LIKE ?{n} ESCAPE '\\' OR lower(kind) LIKE ?{n} ESCAPE '\\')"
        ));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, values)
}

fn entry_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Entry, Option<String>, Option<String>)> {
    let undo: Option<String> = r.get(5)?;
    let undone_by: Option<i64> = r.get(6)?;
    Ok((
        Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            kind: r.get(3)?,
            summary: r.get(4)?,
            undoable: undone_by.is_none() && plan_of(undo.as_deref()).is_some(),
            undone_by,
        },
        r.get(7)?,
        undo,
    ))
}

const COLUMNS: &str = "id, at, os_user, kind, summary, undo, undone_by, details";

/// How many entries `filter` matches.
pub fn count(conn: &Connection, filter: &Filter) -> rusqlite::Result<usize> {
    let (clause, values) = conditions(filter);
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM maintenance_log {clause}"),
        rusqlite::params_from_iter(values),
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Entries `start..start + len` of `filter`, newest first.
pub fn page(
    conn: &Connection,
    filter: &Filter,
    start: usize,
    len: usize,
) -> rusqlite::Result<Vec<Entry>> {
    let rows = page_with_details(conn, filter, start, len)?;
    Ok(rows.into_iter().map(|(e, _)| e).collect())
}

/// [`page`] with each entry's stored details (JSON).
pub fn page_with_details(
    conn: &Connection,
    filter: &Filter,
    start: usize,
    len: usize,
) -> rusqlite::Result<Vec<(Entry, Option<Value>)>> {
    let (clause, mut values) = conditions(filter);
    let n = values.len();
    values.push(rusqlite::types::Value::Integer(
        i64::try_from(len).unwrap_or(i64::MAX),
    ));
    values.push(rusqlite::types::Value::Integer(
        i64::try_from(start).unwrap_or(i64::MAX),
    ));
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM maintenance_log {clause} ORDER BY at DESC, id DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), entry_of)?;
    rows.map(|r| r.map(|(e, d, _)| (e, parse_details(d))))
        .collect()
}

fn parse_details(details: Option<String>) -> Option<Value> {
    details.and_then(|d| serde_json::from_str(&d).ok())
}

/// The distinct kinds in the log, alphabetically (for a kind filter to cycle through).
pub fn kinds(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    distinct(conn, "kind")
}

/// The distinct OS users in the log, alphabetically.
pub fn users(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    distinct(conn, "os_user")
}

fn distinct(conn: &Connection, column: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT DISTINCT {column} FROM maintenance_log ORDER BY {column}"
    ))?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Contact ids named in `details` (`contacts`, `survivor`, `absorbed`, `restored`,
/// `contact_a`, `contact_b`).
fn named_contacts(details: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = details
        .get("contacts")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    for key in ["survivor", "absorbed", "restored", "contact_a", "contact_b"] {
        if let Some(id) = details.get(key).and_then(Value::as_i64) {
            ids.push(id);
        }
    }
    ids
}

/// One entry with its details, field changes and affected contacts; `None` when there is
/// no such entry.
pub fn detail(conn: &Connection, id: i64) -> rusqlite::Result<Option<Detail>> {
    let row = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM maintenance_log WHERE id = ?1"),
            [id],
            entry_of,
        )
        .optional()?;
    let Some((entry, details, _)) = row else {
        return Ok(None);
    };
    let details = parse_details(details);
    let mut stmt = conn.prepare(
        "SELECT contact_id, field, old_value, new_value FROM field_changes
         WHERE log_id = ?1 ORDER BY id",
    )?;
    let changes: Vec<FieldChange> = stmt
        .query_map([id], |r| {
            Ok(FieldChange {
                contact_id: r.get(0)?,
                field: r.get(1)?,
                before: r.get(2)?,
                after: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let undoes = details
        .as_ref()
        .and_then(|d| d.get("undoes"))
        .and_then(Value::as_i64);
    let mut ids: Vec<i64> = changes.iter().map(|c| c.contact_id).collect();
    ids.extend(details.as_ref().map(named_contacts).unwrap_or_default());
    // An undo touches the contacts of the change it reverses.
    if let Some(of) = undoes.filter(|_| ids.is_empty()) {
        let undone: Option<String> = conn
            .query_row(
                "SELECT details FROM maintenance_log WHERE id = ?1",
                [of],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(d) = undone.and_then(|d| serde_json::from_str::<Value>(&d).ok()) {
            ids.extend(named_contacts(&d));
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let mut email = conn.prepare("SELECT email FROM contacts WHERE id = ?1")?;
    let contacts = ids
        .into_iter()
        .map(|contact_id| {
            let email: Option<String> = email
                .query_row([contact_id], |r| r.get(0))
                .optional()?
                .flatten();
            Ok(Affected { contact_id, email })
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Detail {
        entry,
        details,
        undoes,
        changes,
        contacts,
    }))
}

/// Undoes entry `log_id` through the undo of the feature that wrote it (audit undo,
/// unmerge, segment save/delete/rename), as the workspace's user at its clock's now.
/// The undo is logged by that feature and `log_id` is marked undone by the new entry.
/// Returns the new entry's id. Refused for entries with no undo (import, export, forget,
/// ...) and for entries already undone.
pub fn undo(ws: &mut Workspace, log_id: i64) -> Result<i64, LogError> {
    let row: Option<(String, Option<String>, Option<i64>)> = ws
        .conn()
        .query_row(
            "SELECT kind, undo, undone_by FROM maintenance_log WHERE id = ?1",
            [log_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (kind, payload, undone_by) = row.ok_or(LogError::NoEntry(log_id))?;
    let cannot = |reason: String| LogError::CannotUndo { id: log_id, reason };
    if let Some(by) = undone_by {
        return Err(cannot(format!("already undone by entry {by}")));
    }
    let Some(plan) = plan_of(payload.as_deref()) else {
        return Err(cannot(match kind.as_str() {
            "forget" => "erasing a person is permanent".to_string(),
            "not_duplicate" => {
                "the pair was not in the duplicate review when it was marked; scan again"
                    .to_string()
            }
            _ => format!("a {kind} entry has no undo"),
        }));
    };
    match plan {
        Plan::Audit => return Ok(audit_actions::undo(ws, log_id)?),
        Plan::Unmerge(merge_id) => {
            merge::unmerge(ws, merge_id)?;
            return undone_by_of(ws.conn(), log_id)?
                .ok_or_else(|| cannot("the unmerge did not record itself".to_string()));
        }
        Plan::SegmentDelete(name) => segment::delete(ws, &name)?,
        Plan::SegmentSave { name, rule } => {
            let expr = segment::parse_rule("rule", &rule)?;
            let image = Image::load_scoped(ws.conn(), &Scope::of([&expr]))?;
            segment::save(ws, &image, &name, &rule)?;
        }
        Plan::SegmentRename { from, to } => segment::rename(ws, &from, &to)?,
        Plan::BackToReview(pair) => pairs::forget_not_duplicate(ws, &pair)?,
    }
    // These undos log their change as the last row they insert on this connection.
    let undo_id = ws.conn().last_insert_rowid();
    ws.write(|tx| -> Result<(), LogError> {
        let marked = tx.execute(
            "UPDATE maintenance_log SET undone_by = ?1
             WHERE id = ?2 AND undone_by IS NULL
               AND EXISTS (SELECT 1 FROM maintenance_log WHERE id = ?1 AND id > ?2)",
            params![undo_id, log_id],
        )?;
        if marked == 0 {
            return Err(cannot(format!(
                "the {kind} was undone but entry {log_id} could not be marked undone"
            )));
        }
        Ok(())
    })?;
    Ok(undo_id)
}

fn undone_by_of(conn: &Connection, log_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT undone_by FROM maintenance_log WHERE id = ?1",
        [log_id],
        |r| r.get(0),
    )
}
