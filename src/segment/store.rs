//! Saved segments and their dynamic membership.
//!
//! A saved segment is a name and the canonical text of its rule. Membership is kept as
//! stays (`segment_membership`: entered_at, left_at), refreshed after every import by
//! [`refresh_all`], which records who entered and who left and when.

use super::ast::Expr;
use super::engine::{compile, compile_segment, Compiled, SegmentLookup};
use super::error::{closest, RuleError, SegmentError};
use super::image::{generation, Image, Scope, REFRESH_KIND};
use super::parse;
use crate::workspace::{append_log, LogEntry, Workspace};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

/// A saved segment as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saved {
    pub id: i64,
    pub name: String,
    pub rule: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: String,
    /// Current members as of the last refresh.
    pub members: i64,
}

/// Who entered and left one segment in a refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MembershipChange {
    pub segment: String,
    pub entered: Vec<i64>,
    pub left: Vec<i64>,
    /// Members after the refresh.
    pub members: usize,
}

/// The saved segments' rules, for `in segment "..."`.
pub struct SavedRules {
    /// Lower-cased name → (name, rule).
    rules: HashMap<String, (String, String)>,
}

impl SavedRules {
    pub fn load(conn: &Connection) -> Result<Self, SegmentError> {
        let mut stmt = conn.prepare("SELECT name, rule FROM segments")?;
        let rules = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .map(|row| row.map(|(name, rule)| (name.to_lowercase(), (name, rule))))
            .collect::<Result<_, _>>()?;
        Ok(SavedRules { rules })
    }
}

impl SegmentLookup for SavedRules {
    fn rule_of(&self, name: &str) -> Option<(String, String)> {
        self.rules.get(&name.trim().to_lowercase()).cloned()
    }

    fn names(&self) -> Vec<String> {
        self.rules.values().map(|(n, _)| n.clone()).collect()
    }
}

fn rule_error(source: &str, text: &str, error: RuleError) -> SegmentError {
    SegmentError::Rule {
        source_name: source.to_string(),
        rule: text.to_string(),
        error,
    }
}

/// Parses `text`, reporting errors against `source` (`rule`, a file, a segment name).
pub fn parse_rule(source: &str, text: &str) -> Result<Expr, SegmentError> {
    parse(text).map_err(|e| rule_error(source, text, e))
}

/// Parses and compiles a rule for `image`; errors point into `text`.
pub fn prepare(
    source: &str,
    text: &str,
    image: &Image,
    segments: &dyn SegmentLookup,
    now: i64,
) -> Result<Compiled, SegmentError> {
    let expr = parse_rule(source, text)?;
    compile(&expr, image, segments, now).map_err(|e| rule_error(source, text, e))
}

/// Every saved segment, by name.
pub fn list(conn: &Connection) -> Result<Vec<Saved>, SegmentError> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.name, s.rule, s.created_at, s.updated_at, s.created_by,
                (SELECT count(*) FROM segment_membership m WHERE m.segment_id = s.id AND m.left_at IS NULL)
         FROM segments s ORDER BY s.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Saved {
            id: r.get(0)?,
            name: r.get(1)?,
            rule: r.get(2)?,
            created_at: r.get(3)?,
            updated_at: r.get(4)?,
            created_by: r.get(5)?,
            members: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The saved segment called `name` (case-insensitive), or a "did you mean" error.
pub fn get(conn: &Connection, name: &str) -> Result<Saved, SegmentError> {
    let all = list(conn)?;
    let key = name.trim().to_lowercase();
    if let Some(found) = all.iter().find(|s| s.name.to_lowercase() == key) {
        return Ok(found.clone());
    }
    Err(SegmentError::NotFound {
        name: name.to_string(),
        suggestion: closest(name, all.iter().map(|s| s.name.as_str())),
    })
}

/// Current member ids of a saved segment, ascending.
pub fn members(conn: &Connection, segment_id: i64) -> Result<Vec<i64>, SegmentError> {
    let mut stmt = conn.prepare(
        "SELECT contact_id FROM segment_membership WHERE segment_id = ?1 AND left_at IS NULL ORDER BY contact_id",
    )?;
    let ids = stmt
        .query_map([segment_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Member counts after each refresh that changed the segment, oldest first: the trend.
pub fn sizes(conn: &Connection, segment_id: i64) -> Result<Vec<(i64, i64)>, SegmentError> {
    let mut stmt =
        conn.prepare("SELECT at, members FROM segment_sizes WHERE segment_id = ?1 ORDER BY at")?;
    let rows = stmt
        .query_map([segment_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Saves (creating or replacing) the segment `name` with `rule`, records its members as of
/// now, and logs it. The stored rule is the canonical text. Returns the member count.
pub fn save(
    ws: &mut Workspace,
    image: &Image,
    name: &str,
    rule: &str,
) -> Result<usize, SegmentError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(SegmentError::EmptyName);
    }
    let expr = parse_rule("rule", rule)?;
    let saved = SavedRules::load(ws.conn())?;
    let now = ws.clock().now_ts();
    let compiled = compile_segment(name, &expr, image, &saved, now)
        .map_err(|e| rule_error("rule", rule, e))?;
    let ids = compiled.members(image);
    let canonical = expr.to_string();
    let previous = get(ws.conn(), name).ok();
    let user = ws.user().to_string();
    ws.write(|tx| -> Result<(), SegmentError> {
        let id = match &previous {
            Some(p) => {
                tx.execute("UPDATE segments SET rule = ?1, updated_at = ?2 WHERE id = ?3", params![canonical, now, p.id])?;
                p.id
            }
            None => {
                tx.execute(
                    "INSERT INTO segments (name, rule, created_at, updated_at, created_by) VALUES (?1, ?2, ?3, ?3, ?4)",
                    params![name, canonical, now, user],
                )?;
                tx.last_insert_rowid()
            }
        };
        apply_membership(tx, id, &ids, now)?;
        let (kind, summary, undo) = match &previous {
            Some(p) => (
                "segment_update",
                format!("segment \"{name}\" changed: {} members", ids.len()),
                json!({"segment_update": {"name": p.name, "rule": p.rule}}),
            ),
            None => (
                "segment_save",
                format!("segment \"{name}\" saved: {} members", ids.len()),
                json!({"segment_delete": {"name": name}}),
            ),
        };
        let details = json!({"name": name, "rule": canonical, "previous_rule": previous.as_ref().map(|p| &p.rule), "members": ids.len()});
        append_log(tx, &user, now, &LogEntry::new(kind, summary).with_details(details).with_undo(undo))?;
        Ok(())
    })?;
    Ok(ids.len())
}

/// Deletes a saved segment (its membership history goes with it), refusing while another
/// segment refers to it. Logged with the rule, so it can be saved again.
pub fn delete(ws: &mut Workspace, name: &str) -> Result<(), SegmentError> {
    let segment = get(ws.conn(), name)?;
    let key = segment.name.to_lowercase();
    for other in list(ws.conn())? {
        let Ok(expr) = parse(&other.rule) else {
            continue;
        };
        if other.id != segment.id
            && expr
                .segment_refs()
                .iter()
                .any(|r| r.trim().to_lowercase() == key)
        {
            return Err(SegmentError::InUse {
                name: segment.name,
                used_by: other.name,
            });
        }
    }
    let now = ws.clock().now_ts();
    let user = ws.user().to_string();
    ws.write(|tx| -> Result<(), SegmentError> {
        tx.execute("DELETE FROM segments WHERE id = ?1", [segment.id])?;
        let entry = LogEntry::new(
            "segment_delete",
            format!(
                "segment \"{}\" deleted ({} members)",
                segment.name, segment.members
            ),
        )
        .with_details(
            json!({"name": segment.name, "rule": segment.rule, "members": segment.members}),
        )
        .with_undo(json!({"segment_save": {"name": segment.name, "rule": segment.rule}}));
        append_log(tx, &user, now, &entry)?;
        Ok(())
    })
}

/// Renames a saved segment, rewriting `in segment` references to it in other rules.
pub fn rename(ws: &mut Workspace, old: &str, new: &str) -> Result<(), SegmentError> {
    let new = new.trim();
    if new.is_empty() {
        return Err(SegmentError::EmptyName);
    }
    let segment = get(ws.conn(), old)?;
    if segment.name.to_lowercase() != new.to_lowercase() && get(ws.conn(), new).is_ok() {
        return Err(SegmentError::Exists(new.to_string()));
    }
    let key = segment.name.to_lowercase();
    let mut rewritten = Vec::new();
    for other in list(ws.conn())? {
        let Ok(mut expr) = parse(&other.rule) else {
            continue;
        };
        if rename_refs(&mut expr, &key, new) {
            rewritten.push((other.id, expr.to_string()));
        }
    }
    let now = ws.clock().now_ts();
    let user = ws.user().to_string();
    ws.write(|tx| -> Result<(), SegmentError> {
        tx.execute(
            "UPDATE segments SET name = ?1, updated_at = ?2 WHERE id = ?3",
            params![new, now, segment.id],
        )?;
        for (id, rule) in &rewritten {
            tx.execute(
                "UPDATE segments SET rule = ?1, updated_at = ?2 WHERE id = ?3",
                params![rule, now, id],
            )?;
        }
        let entry = LogEntry::new(
            "segment_rename",
            format!("segment \"{}\" renamed to \"{new}\"", segment.name),
        )
        .with_details(json!({"from": segment.name, "to": new, "rules_rewritten": rewritten.len()}))
        .with_undo(json!({"segment_rename": {"from": new, "to": segment.name}}));
        append_log(tx, &user, now, &entry)?;
        Ok(())
    })
}

fn rename_refs(expr: &mut Expr, key: &str, new: &str) -> bool {
    use super::ast::Cond;
    match expr {
        Expr::And(items) | Expr::Or(items) => items
            .iter_mut()
            .fold(false, |acc, e| rename_refs(e, key, new) | acc),
        Expr::Not(inner) => rename_refs(inner, key, new),
        Expr::Cond(Cond::InSegment(name), _) if name.trim().to_lowercase() == key => {
            *name = new.to_string();
            true
        }
        Expr::Cond(..) => false,
    }
}

/// Brings segment `id`'s current membership to exactly `ids` (ascending) at `now`:
/// newcomers get a stay starting now, leavers' stays end now. Returns (entered, left).
fn apply_membership(
    tx: &Transaction<'_>,
    id: i64,
    ids: &[i64],
    now: i64,
) -> Result<(Vec<i64>, Vec<i64>), SegmentError> {
    let current: BTreeSet<i64> = members(tx, id)?.into_iter().collect();
    let wanted: BTreeSet<i64> = ids.iter().copied().collect();
    let entered: Vec<i64> = wanted.difference(&current).copied().collect();
    let left: Vec<i64> = current.difference(&wanted).copied().collect();
    {
        let mut insert = tx.prepare_cached("INSERT INTO segment_membership (segment_id, contact_id, entered_at) VALUES (?1, ?2, ?3)")?;
        for c in &entered {
            insert.execute(params![id, c, now])?;
        }
        let mut leave = tx.prepare_cached(
            "UPDATE segment_membership SET left_at = ?3 WHERE segment_id = ?1 AND contact_id = ?2 AND left_at IS NULL",
        )?;
        for c in &left {
            leave.execute(params![id, c, now])?;
        }
    }
    if !entered.is_empty() || !left.is_empty() || current.is_empty() {
        tx.execute(
            "INSERT OR REPLACE INTO segment_sizes (segment_id, at, members) VALUES (?1, ?2, ?3)",
            params![id, now, ids.len() as i64],
        )?;
    }
    Ok((entered, left))
}

/// Recomputes every saved segment and records who entered and left, in one transaction
/// with one log entry. Cheap when nothing changed: it returns at once when no data changed
/// since the last refresh and no rule depends on the time (or the time is the same).
pub fn refresh_all(ws: &mut Workspace) -> Result<Vec<MembershipChange>, SegmentError> {
    let segments = list(ws.conn())?;
    if segments.is_empty() || refresh_is_noop(ws)? {
        return Ok(Vec::new());
    }
    // Only what the saved rules read: field-only segments never wait for the events.
    let rules: Vec<Expr> = segments
        .iter()
        .filter_map(|s| parse(&s.rule).ok())
        .collect();
    let image = Image::load_scoped(ws.conn(), &Scope::of(&rules))?;
    refresh_with(ws, &image)
}

/// Whether nothing a refresh reads has changed since the last one.
fn refresh_is_noop(ws: &Workspace) -> Result<bool, SegmentError> {
    let conn = ws.conn();
    let state: Option<(i64, i64)> = conn
        .query_row(
            "SELECT last_log_id, now FROM segment_refresh_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((last_log_id, last_now)) = state else {
        return Ok(false);
    };
    if last_log_id != generation(conn)? {
        return Ok(false);
    }
    if last_now == ws.clock().now_ts() {
        return Ok(true);
    }
    Ok(list(conn)?
        .iter()
        .all(|s| parse(&s.rule).is_ok_and(|e| !e.depends_on_now())))
}

/// [`refresh_all`] over an image the caller already holds (e.g. the TUI's).
pub fn refresh_with(
    ws: &mut Workspace,
    image: &Image,
) -> Result<Vec<MembershipChange>, SegmentError> {
    let now = ws.clock().now_ts();
    let saved = SavedRules::load(ws.conn())?;
    let segments = list(ws.conn())?;
    let mut computed = Vec::new();
    for s in &segments {
        // A saved rule that no longer fits the workspace (a custom field gone) keeps its
        // last membership rather than failing every import.
        let Ok(expr) = parse(&s.rule) else { continue };
        let Ok(compiled) = compile_segment(&s.name, &expr, image, &saved, now) else {
            continue;
        };
        computed.push((s, compiled.members(image)));
    }
    let user = ws.user().to_string();
    ws.write(|tx| -> Result<Vec<MembershipChange>, SegmentError> {
        let mut changes = Vec::new();
        for (s, ids) in &computed {
            let (entered, left) = apply_membership(tx, s.id, ids, now)?;
            if !entered.is_empty() || !left.is_empty() {
                changes.push(MembershipChange {
                    segment: s.name.clone(),
                    entered,
                    left,
                    members: ids.len(),
                });
            }
        }
        if !changes.is_empty() {
            let summary = changes
                .iter()
                .map(|c| format!("{} +{}/−{}", c.segment, c.entered.len(), c.left.len()))
                .collect::<Vec<_>>()
                .join(", ");
            let details = json!(changes
                .iter()
                .map(|c| json!({"segment": c.segment, "entered": c.entered.len(), "left": c.left.len(), "members": c.members}))
                .collect::<Vec<_>>());
            append_log(tx, &user, now, &LogEntry::new(REFRESH_KIND, format!("segments refreshed: {summary}")).with_details(details))?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO segment_refresh_state (id, last_log_id, now) VALUES (1, ?1, ?2)",
            params![image.generation, now],
        )?;
        Ok(changes)
    })
}
