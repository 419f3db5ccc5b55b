//! Merging two contacts without losing anything, and undoing it exactly.
//!
//! A merge keeps one contact (the survivor) and marks the other absorbed
//! (`merged_into`): the survivor's empty fields are filled from the absorbed record, values
//! that lose are kept in `contact_alternates`, identity keys, source records and events move
//! to the survivor (so a re-import of the absorbed record's id lands on the survivor), tags
//! and custom values are added, and the status becomes the more restrictive of the two.
//! Everything the merge changes is recorded in a before-image (in `dedupe_merges` and as
//! the log entry's undo payload); [`unmerge`] replays it backwards. One merge is one
//! transaction and one maintenance-log entry.

use super::DedupeError;
use crate::text::date::yearless;
use crate::text::status::Status;
use crate::workspace::{append_log, keys, LogEntry, Workspace};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// Profile fields: filled from the absorbed record when the survivor has none, kept as an
/// alternate when both have different values.
const PROFILE: &[&str] = &[
    "email",
    "first_name",
    "last_name",
    "company",
    "job_title",
    "phone",
    "street",
    "city",
    "region",
    "postcode",
    "country",
    "date_of_birth",
    "language",
    "industry",
    "company_size",
    "lifecycle_stage",
    "lead_status",
];

/// Behaviour figures: the survivor keeps the larger (the two records usually come from
/// different platforms counting the same person, so adding would double count).
const TAKE_MAX: &[&str] = &[
    "member_rating",
    "open_count",
    "click_count",
    "purchase_count",
    "total_spent",
    "last_open_at",
    "last_click_at",
];

/// Instants where the earlier one is the truth (first opt-in, first seen).
const TAKE_MIN: &[&str] = &["subscribed_at", "first_seen_at"];

/// How the survivor is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survivor {
    /// The first contact named survives.
    Chosen,
    /// The record with more profile fields filled survives; ties go to the more recently
    /// updated one, then to the older record.
    MostComplete,
}

/// What one merge did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    pub merge_id: i64,
    pub survivor: i64,
    pub absorbed: i64,
    /// Survivor fields the merge changed.
    pub changed: Vec<String>,
    /// Losing values kept as alternates.
    pub alternates: usize,
}

/// Everything a merge changed, as it was before (the undo payload).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BeforeImage {
    pub survivor: i64,
    pub absorbed: i64,
    /// Survivor columns the merge changed, with their values before it.
    pub survivor_fields: Map<String, Json>,
    /// Identity keys moved from the absorbed contact to the survivor.
    pub keys: Vec<String>,
    /// Keys of the survivor's own address stored because the merge gave it another.
    #[serde(default)]
    pub keys_stored: Vec<String>,
    pub source_records: Vec<i64>,
    pub events: Vec<i64>,
    /// Tags and custom fields added to the survivor (ids).
    pub tags_added: Vec<i64>,
    pub custom_added: Vec<i64>,
    /// Alternates the merge created, and alternates of the absorbed record it moved.
    pub alternates_added: Vec<i64>,
    pub alternates_moved: Vec<i64>,
    /// Contacts merged into the absorbed one earlier, re-pointed at the survivor.
    pub repointed: Vec<i64>,
}

fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(*i),
        Value::Real(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Text(s) => Json::String(s.clone()),
        Value::Blob(b) => Json::Array(b.iter().map(|&x| Json::from(x)).collect()),
    }
}

fn from_json(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Integer(i),
            _ => n.as_f64().map_or(Value::Null, Value::Real),
        },
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(items) => Value::Blob(
            items
                .iter()
                .filter_map(|x| x.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect(),
        ),
        Json::Object(_) => Value::Text(v.to_string()),
    }
}

/// The columns of `contacts`, read from the schema so columns added later are covered.
fn contact_columns(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('contacts') ORDER BY cid")?;
    let cols = stmt.query_map([], |r| r.get(0))?.collect();
    cols
}

/// One contact row as column → value.
fn contact_row(conn: &Connection, cols: &[String], id: i64) -> Result<Vec<Value>, DedupeError> {
    let sql = format!("SELECT {} FROM contacts WHERE id = ?1", cols.join(", "));
    conn.query_row(&sql, [id], |r| {
        (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
    })
    .optional()?
    .ok_or_else(|| DedupeError::UnknownContact(format!("#{id}")))
}

fn ids(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare(sql)?;
    let out = stmt.query_map([id], |r| r.get(0))?.collect();
    out
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Text(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) => Some(*f),
        _ => None,
    }
}

fn completeness(row: &[Value], cols: &[String]) -> usize {
    cols.iter()
        .zip(row)
        .filter(|(c, v)| PROFILE.contains(&c.as_str()) && !is_empty(v))
        .count()
}

/// Whether `column` is a profile field, one a reviewer may pick from either record.
pub fn pickable(column: &str) -> bool {
    PROFILE.contains(&column)
}

/// Whether the absorbed record's date of birth is the survivor's yearless birthday
/// (`--10-03`) with its year: the fuller date wins, the yearless one stays an alternate.
fn adds_the_year(column: &str, survivor: &Value, absorbed: &Value) -> bool {
    let (Value::Text(s), Value::Text(x)) = (survivor, absorbed) else {
        return false;
    };
    column == "date_of_birth"
        && yearless(s).is_some()
        && yearless(x).is_none()
        && yearless(s) == super::features::month_day(x)
}

/// Merges live contacts `a` and `b` (by `contacts.id`) in one transaction; with
/// [`Survivor::Chosen`], `a` survives.
pub fn merge(ws: &mut Workspace, a: i64, b: i64, rule: Survivor) -> Result<Merged, DedupeError> {
    merge_picking(ws, a, b, rule, &[])
}

/// [`merge`], where for each profile column in `picks` the absorbed record's value wins
/// (when it has one) and the survivor's own value is kept as an alternate. Unmerge
/// restores the survivor's value exactly, as for every field a merge changes.
pub fn merge_picking(
    ws: &mut Workspace,
    a: i64,
    b: i64,
    rule: Survivor,
    picks: &[String],
) -> Result<Merged, DedupeError> {
    let user = ws.user().to_string();
    let at = ws.clock().now_ts();
    ws.write(|tx| merge_in(tx, &user, at, (a, b), rule, picks))
}

/// [`merge_picking`] inside a caller's transaction.
pub fn merge_in(
    tx: &Transaction<'_>,
    user: &str,
    at: i64,
    (a, b): (i64, i64),
    rule: Survivor,
    picks: &[String],
) -> Result<Merged, DedupeError> {
    if a == b {
        return Err(DedupeError::SameContact);
    }
    let cols = contact_columns(tx)?;
    let col = |name: &str| cols.iter().position(|c| c == name);
    let row_a = contact_row(tx, &cols, a)?;
    let row_b = contact_row(tx, &cols, b)?;
    for (id, row) in [(a, &row_a), (b, &row_b)] {
        if col("merged_into").is_some_and(|i| !is_empty(&row[i])) {
            return Err(DedupeError::UnknownContact(format!(
                "#{id} (already merged)"
            )));
        }
    }
    let a_survives = match rule {
        Survivor::Chosen => true,
        Survivor::MostComplete => {
            let key = |row: &[Value], id: i64| {
                let updated = col("updated_at")
                    .and_then(|i| as_f64(&row[i]))
                    .unwrap_or(0.0);
                (completeness(row, &cols), updated as i64, -id)
            };
            key(&row_a, a) >= key(&row_b, b)
        }
    };
    let (s, x, srow, xrow) = if a_survives {
        (a, b, row_a, row_b)
    } else {
        (b, a, row_b, row_a)
    };

    let log_id = append_log(
        tx,
        user,
        at,
        &LogEntry::new("merge", format!("merged contact {x} into {s}")),
    )?;
    tx.execute(
        "INSERT INTO dedupe_merges (survivor_id, absorbed_id, log_id, merged_at, os_user, before_image)
         VALUES (?1, ?2, ?3, ?4, ?5, '{}')",
        params![s, x, log_id, at, user],
    )?;
    let merge_id = tx.last_insert_rowid();
    let mut image = BeforeImage {
        survivor: s,
        absorbed: x,
        ..BeforeImage::default()
    };

    // Survivor fields.
    let mut updates: Vec<(String, Value)> = Vec::new();
    // (field, losing value, the contact it came from)
    let mut alternates: Vec<(String, String, i64)> = Vec::new();
    for (i, name) in cols.iter().enumerate() {
        let (sv, xv) = (&srow[i], &xrow[i]);
        let new = if PROFILE.contains(&name.as_str()) {
            if is_empty(sv) && !is_empty(xv) {
                Some(xv.clone())
            } else if (picks.contains(name) || adds_the_year(name, sv, xv))
                && !is_empty(xv)
                && sv != xv
            {
                if let Value::Text(t) = sv {
                    alternates.push((name.clone(), t.clone(), s));
                }
                Some(xv.clone())
            } else {
                if !is_empty(xv) && sv != xv {
                    if let Value::Text(t) = xv {
                        alternates.push((name.clone(), t.clone(), x));
                    }
                }
                None
            }
        } else if TAKE_MAX.contains(&name.as_str()) || TAKE_MIN.contains(&name.as_str()) {
            let max = TAKE_MAX.contains(&name.as_str());
            match (as_f64(sv), as_f64(xv)) {
                (None, Some(_)) => Some(xv.clone()),
                (Some(p), Some(q)) if (max && q > p) || (!max && q < p) => Some(xv.clone()),
                _ => None,
            }
        } else {
            None
        };
        if let Some(v) = new {
            updates.push((name.clone(), v));
            // The match key travels with the address.
            if name == "email" {
                if let Some(j) = col("email_norm") {
                    updates.push(("email_norm".into(), xrow[j].clone()));
                }
            }
        }
    }
    if let (Some(si), Some(xi)) = (col("status"), col("status_source")) {
        let parse = |v: &Value| match v {
            Value::Text(t) => Status::parse(t),
            _ => None,
        };
        if let (Some(ss), Some(xs)) = (parse(&srow[si]), parse(&xrow[si])) {
            if ss.most_restrictive(xs) != ss {
                updates.push(("status".into(), Value::Text(xs.as_str().to_string())));
                updates.push(("status_source".into(), xrow[xi].clone()));
            }
        }
    }
    if !updates.is_empty() {
        updates.push(("updated_at".into(), Value::Integer(at)));
    }
    if updates.iter().any(|(name, _)| name == "email_norm") {
        image.keys_stored = keys::keep_row_keys(tx, s)?;
    }
    for (name, value) in &updates {
        if let Some(i) = col(name) {
            image
                .survivor_fields
                .insert(name.clone(), to_json(&srow[i]));
        }
        tx.execute(
            &format!("UPDATE contacts SET {name} = ?1 WHERE id = ?2"),
            params![value, s],
        )?;
    }

    // Rows that move.
    image.keys = {
        let mut stmt =
            tx.prepare("SELECT key FROM contact_keys WHERE contact_id = ?1 ORDER BY key")?;
        let keys = stmt
            .query_map([x], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        keys
    };
    tx.execute(
        "UPDATE contact_keys SET contact_id = ?1 WHERE contact_id = ?2",
        [s, x],
    )?;
    image.source_records = ids(
        tx,
        "SELECT id FROM source_records WHERE contact_id = ?1 ORDER BY id",
        x,
    )?;
    tx.execute(
        "UPDATE source_records SET contact_id = ?1 WHERE contact_id = ?2",
        [s, x],
    )?;
    let events_before = ids(
        tx,
        "SELECT id FROM events WHERE contact_id = ?1 ORDER BY id",
        x,
    )?;
    // An event both records already carry stays with the absorbed one (the unique index
    // forbids a second copy), so nothing is double counted and nothing is lost.
    tx.execute(
        "UPDATE OR IGNORE events SET contact_id = ?1 WHERE contact_id = ?2",
        [s, x],
    )?;
    let events_left = ids(
        tx,
        "SELECT id FROM events WHERE contact_id = ?1 ORDER BY id",
        x,
    )?;
    image.events = events_before
        .into_iter()
        .filter(|e| !events_left.contains(e))
        .collect();
    image.tags_added = {
        let mut stmt = tx.prepare(
            "SELECT tag_id FROM contact_tags WHERE contact_id = ?1
             AND tag_id NOT IN (SELECT tag_id FROM contact_tags WHERE contact_id = ?2)
             ORDER BY tag_id",
        )?;
        let tags = stmt
            .query_map([x, s], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tags
    };
    for tag in &image.tags_added {
        tx.execute(
            "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)",
            [s, *tag],
        )?;
    }
    let custom: Vec<(i64, String, Option<String>, String)> = {
        let mut stmt = tx.prepare(
            "SELECT x.field_id, x.value, sv.value, f.name FROM contact_custom_values x
             JOIN custom_fields f ON f.id = x.field_id
             LEFT JOIN contact_custom_values sv ON sv.contact_id = ?2 AND sv.field_id = x.field_id
             WHERE x.contact_id = ?1 ORDER BY x.field_id",
        )?;
        let rows = stmt
            .query_map([x, s], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    for (field, value, survivor_value, name) in custom {
        match survivor_value {
            None => {
                tx.execute(
                    "INSERT INTO contact_custom_values (contact_id, field_id, value, num)
                     SELECT ?1, field_id, value, num FROM contact_custom_values
                     WHERE contact_id = ?2 AND field_id = ?3",
                    params![s, x, field],
                )?;
                image.custom_added.push(field);
            }
            Some(sv) if sv != value => alternates.push((format!("custom:{name}"), value, x)),
            Some(_) => {}
        }
    }
    image.alternates_moved = ids(
        tx,
        "SELECT id FROM contact_alternates WHERE contact_id = ?1 ORDER BY id",
        x,
    )?;
    tx.execute(
        "UPDATE OR IGNORE contact_alternates SET contact_id = ?1 WHERE contact_id = ?2",
        [s, x],
    )?;
    let alternates_left = ids(
        tx,
        "SELECT id FROM contact_alternates WHERE contact_id = ?1 ORDER BY id",
        x,
    )?;
    image
        .alternates_moved
        .retain(|id| !alternates_left.contains(id));
    for (field, value, from) in &alternates {
        let n = tx.execute(
            "INSERT OR IGNORE INTO contact_alternates (contact_id, field, value, from_contact, merge_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s, field, value, from, merge_id],
        )?;
        if n == 1 {
            image.alternates_added.push(tx.last_insert_rowid());
        }
    }
    image.repointed = ids(
        tx,
        "SELECT id FROM contacts WHERE merged_into = ?1 ORDER BY id",
        x,
    )?;
    tx.execute(
        "UPDATE contacts SET merged_into = ?1 WHERE merged_into = ?2",
        [s, x],
    )?;
    tx.execute("UPDATE contacts SET merged_into = ?1 WHERE id = ?2", [s, x])?;

    let payload = serde_json::to_value(&image)?;
    let changed: Vec<String> = image.survivor_fields.keys().cloned().collect();
    tx.execute(
        "UPDATE dedupe_merges SET before_image = ?1 WHERE id = ?2",
        params![payload.to_string(), merge_id],
    )?;
    tx.execute(
        "UPDATE maintenance_log SET details = ?1, undo = ?2 WHERE id = ?3",
        params![
            serde_json::json!({
                "merge_id": merge_id, "survivor": s, "absorbed": x, "changed": changed,
                "alternates": image.alternates_added.len(), "events_moved": image.events.len(),
                "source_records_moved": image.source_records.len(),
            })
            .to_string(),
            serde_json::json!({ "unmerge": merge_id, "before_image": payload }).to_string(),
            log_id
        ],
    )?;
    Ok(Merged {
        merge_id,
        survivor: s,
        absorbed: x,
        changed,
        alternates: image.alternates_added.len(),
    })
}

/// What an unmerge restored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmerged {
    pub merge_id: i64,
    pub survivor: i64,
    pub restored: i64,
}

fn in_list(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Runs `sql` (with `{}` standing for an id list) once over `ids`, the list bound after
/// the given leading parameters.
fn for_ids(tx: &Transaction<'_>, sql: &str, lead: &[i64], ids: &[i64]) -> rusqlite::Result<()> {
    for chunk in ids.chunks(500) {
        let stmt = sql.replace("{}", &in_list(chunk.len()));
        tx.execute(&stmt, params_from_iter(lead.iter().chain(chunk)))?;
    }
    Ok(())
}

/// Undoes merge `merge_id`: every row it changed gets its before value, every moved row
/// goes back, every added row goes away. Refused while a later merge involves either
/// contact (undo that one first).
pub fn unmerge(ws: &mut Workspace, merge_id: i64) -> Result<Unmerged, DedupeError> {
    let user = ws.user().to_string();
    let at = ws.clock().now_ts();
    ws.write(|tx| -> Result<Unmerged, DedupeError> {
        let row: Option<(i64, i64, i64, String, Option<i64>)> = tx
            .query_row(
                "SELECT survivor_id, absorbed_id, log_id, before_image, undone_at
                 FROM dedupe_merges WHERE id = ?1",
                [merge_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (s, x, log_id, image, undone) = row.ok_or(DedupeError::UnknownMerge(merge_id))?;
        if undone.is_some() {
            return Err(DedupeError::AlreadyUndone(merge_id));
        }
        let later: Option<i64> = tx.query_row(
            "SELECT max(id) FROM dedupe_merges WHERE id > ?1 AND undone_at IS NULL
                 AND (survivor_id IN (?2, ?3) OR absorbed_id IN (?2, ?3))",
            params![merge_id, s, x],
            |r| r.get(0),
        )?;
        if let Some(later) = later {
            return Err(DedupeError::LaterMerge {
                id: merge_id,
                later,
            });
        }
        let image: BeforeImage =
            serde_json::from_str(&image).map_err(|e| DedupeError::BadImage {
                id: merge_id,
                reason: e.to_string(),
            })?;
        let cols = contact_columns(tx)?;
        for (name, value) in &image.survivor_fields {
            if !cols.contains(name) {
                return Err(DedupeError::BadImage {
                    id: merge_id,
                    reason: format!("unknown column {name}"),
                });
            }
            tx.execute(
                &format!("UPDATE contacts SET {name} = ?1 WHERE id = ?2"),
                params![from_json(value), s],
            )?;
        }
        tx.execute("UPDATE contacts SET merged_into = NULL WHERE id = ?1", [x])?;
        for_ids(
            tx,
            "UPDATE contacts SET merged_into = ?1 WHERE id IN ({})",
            &[x],
            &image.repointed,
        )?;
        for key in &image.keys {
            tx.execute(
                "UPDATE contact_keys SET contact_id = ?1 WHERE key = ?2",
                params![x, key],
            )?;
        }
        for key in &image.keys_stored {
            tx.execute(
                "DELETE FROM contact_keys WHERE key = ?1 AND contact_id = ?2",
                params![key, s],
            )?;
        }
        for_ids(
            tx,
            "UPDATE source_records SET contact_id = ?1 WHERE id IN ({})",
            &[x],
            &image.source_records,
        )?;
        for_ids(
            tx,
            "UPDATE events SET contact_id = ?1 WHERE id IN ({})",
            &[x],
            &image.events,
        )?;
        for_ids(
            tx,
            "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id IN ({})",
            &[s],
            &image.tags_added,
        )?;
        for_ids(
            tx,
            "DELETE FROM contact_custom_values WHERE contact_id = ?1 AND field_id IN ({})",
            &[s],
            &image.custom_added,
        )?;
        for_ids(
            tx,
            "DELETE FROM contact_alternates WHERE merge_id = ?1 AND id IN ({})",
            &[merge_id],
            &image.alternates_added,
        )?;
        for_ids(
            tx,
            "UPDATE contact_alternates SET contact_id = ?1 WHERE id IN ({})",
            &[x],
            &image.alternates_moved,
        )?;
        tx.execute(
            "UPDATE dedupe_merges SET undone_at = ?1 WHERE id = ?2",
            [at, merge_id],
        )?;
        let undo_id = append_log(
            tx,
            &user,
            at,
            &LogEntry::new(
                "unmerge",
                format!("unmerged contact {x} from {s} (merge {merge_id})"),
            )
            .with_details(
                serde_json::json!({ "merge_id": merge_id, "survivor": s, "restored": x }),
            ),
        )?;
        tx.execute(
            "UPDATE maintenance_log SET undone_by = ?1 WHERE id = ?2",
            [undo_id, log_id],
        )?;
        Ok(Unmerged {
            merge_id,
            survivor: s,
            restored: x,
        })
    })
}

/// Groups of live contacts sharing one mailbox (exact email after normalisation), each
/// group's contact ids ordered by id.
pub fn exact_email_groups(conn: &Connection) -> rusqlite::Result<Vec<Vec<i64>>> {
    let mut stmt = conn.prepare(
        "SELECT id, email_norm FROM contacts
         WHERE merged_into IS NULL AND email_norm IS NOT NULL AND email_norm <> ''",
    )?;
    let mut by_box: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, email) = row?;
        by_box
            .entry(crate::text::email::mailbox_key(&email))
            .or_default()
            .push(id);
    }
    Ok(by_box
        .into_values()
        .filter(|ids| ids.len() > 1)
        .map(|mut ids| {
            ids.sort_unstable();
            ids
        })
        .collect())
}

/// Merges every exact-email group (survivor: most complete), one transaction and one log
/// entry per merge so each can be undone on its own. Returns the merges made.
pub fn merge_exact_email(ws: &mut Workspace) -> Result<Vec<Merged>, DedupeError> {
    let groups = exact_email_groups(ws.conn())?;
    let mut out = Vec::new();
    for group in groups {
        let mut survivor = group[0];
        for &other in &group[1..] {
            let m = merge(ws, survivor, other, Survivor::MostComplete)?;
            survivor = m.survivor;
            out.push(m);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::OpenOptions;
    use proptest::prelude::*;

    /// Every row of every table a user can see, as text, sorted per table.
    fn dump(conn: &Connection) -> Vec<(String, Vec<String>)> {
        [
            "contacts",
            "contact_keys",
            "source_records",
            "events",
            "contact_tags",
            "contact_custom_values",
            "contact_alternates",
            "dedupe_pairs",
            "dedupe_decisions",
        ]
        .iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            (table.to_string(), rows)
        })
        .collect()
    }

    #[derive(Debug, Clone)]
    struct Side {
        email: Option<String>,
        first: Option<String>,
        phone: Option<String>,
        status: &'static str,
        opens: Option<i64>,
        tags: Vec<i64>,
        events: Vec<i64>,
        custom: Option<String>,
    }

    impl Side {
        /// A subscribed contact with nothing else.
        fn blank() -> Side {
            Side {
                email: None,
                first: None,
                phone: None,
                status: "subscribed",
                opens: None,
                tags: vec![],
                events: vec![],
                custom: None,
            }
        }
    }

    fn side() -> impl Strategy<Value = Side> {
        (
            proptest::option::of("[a-c]{1,3}@x\\.org"),
            proptest::option::of("[A-C][a-c]{0,3}"),
            proptest::option::of("\\+4930[0-9]{3}"),
            prop::sample::select(vec!["subscribed", "unsubscribed", "bounced", "pending"]),
            proptest::option::of(0i64..50),
            prop::collection::vec(1i64..4, 0..3),
            prop::collection::vec(0i64..4, 0..3),
            proptest::option::of("[a-c]{1,2}"),
        )
            .prop_map(
                |(email, first, phone, status, opens, tags, events, custom)| Side {
                    email,
                    first,
                    phone,
                    status,
                    opens,
                    tags,
                    events,
                    custom,
                },
            )
    }

    fn insert(conn: &Connection, id: i64, s: &Side) {
        conn.execute(
            "INSERT INTO contacts (id, external_id, email, email_norm, first_name, phone, status,
                 open_count, source, first_seen_at, updated_at)
             VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, 'generic', ?1, ?1)",
            params![
                id,
                format!("x{id}"),
                s.email,
                s.first,
                s.phone,
                s.status,
                s.opens
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO contact_keys (key, contact_id) VALUES (?1, ?2)",
            params![format!("ext:generic:x{id}"), id],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO source_records (import_id, contact_id, row_number, raw, row_hash)
             VALUES (1, ?1, ?1, '[]', 'h')",
            [id],
        )
        .unwrap();
        for tag in &s.tags {
            conn.execute(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)",
                [id, *tag],
            )
            .unwrap();
        }
        for at in &s.events {
            conn.execute(
                "INSERT OR IGNORE INTO events (contact_id, type, occurred_at, import_id)
                 VALUES (?1, 'open', ?2, 1)",
                [id, *at],
            )
            .unwrap();
        }
        if let Some(v) = &s.custom {
            conn.execute(
                "INSERT INTO contact_custom_values (contact_id, field_id, value) VALUES (?1, 1, ?2)",
                params![id, v],
            )
            .unwrap();
        }
    }

    fn workspace(a: &Side, b: &Side) -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        let conn = ws.conn();
        conn.execute_batch(
            "INSERT INTO imports (id, path, content_hash, kind, preset, encoding, delimiter,
                 headers, started_at, os_user) VALUES (1, 'f', 'h', 'contacts', 'generic',
                 'utf-8', ',', '[]', 0, 'u');
             INSERT INTO tags (id, name) VALUES (1, 'vip'), (2, 'shop'), (3, 'news');
             INSERT INTO custom_fields (id, name, type) VALUES (1, 'Industry', 'text');",
        )
        .unwrap();
        insert(conn, 1, a);
        insert(conn, 2, b);
        (dir, ws)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn merge_then_unmerge_is_the_identity(
            a in side(), b in side(), auto in any::<bool>(), pick in any::<bool>()
        ) {
            let (_dir, mut ws) = workspace(&a, &b);
            let before = dump(ws.conn());
            let rule = if auto { Survivor::MostComplete } else { Survivor::Chosen };
            let picks: Vec<String> = if pick {
                ["email", "first_name", "phone"].map(String::from).to_vec()
            } else {
                Vec::new()
            };
            let m = merge_picking(&mut ws, 1, 2, rule, &picks).unwrap();
            prop_assert_ne!(dump(ws.conn()), before.clone());
            unmerge(&mut ws, m.merge_id).unwrap();
            prop_assert_eq!(dump(ws.conn()), before);
        }

        #[test]
        fn the_survivor_takes_the_most_restrictive_status(a in side(), b in side()) {
            let (_dir, mut ws) = workspace(&a, &b);
            let m = merge(&mut ws, 1, 2, Survivor::Chosen).unwrap();
            let status: String = ws.conn().query_row(
                "SELECT status FROM contacts WHERE id = ?1", [m.survivor], |r| r.get(0)).unwrap();
            let expect = Status::parse(a.status).unwrap().most_restrictive(Status::parse(b.status).unwrap());
            prop_assert_eq!(status, expect.as_str());
        }
    }

    #[test]
    fn nothing_is_lost_in_a_merge() {
        let a = Side {
            email: Some("ann@x.org".into()),
            first: None,
            phone: Some("+4930111".into()),
            status: "subscribed",
            opens: Some(3),
            tags: vec![1],
            events: vec![1, 2],
            custom: Some("Retail".into()),
        };
        let b = Side {
            email: Some("ann.private@x.org".into()),
            first: Some("Ann".into()),
            phone: None,
            status: "unsubscribed",
            opens: Some(9),
            tags: vec![2],
            events: vec![2, 3],
            custom: Some("Food".into()),
        };
        let (_dir, mut ws) = workspace(&a, &b);
        let m = merge(&mut ws, 1, 2, Survivor::Chosen).unwrap();
        let conn = ws.conn();
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(q("SELECT count(*) FROM contacts WHERE id = 1 AND first_name = 'Ann' AND status = 'unsubscribed' AND open_count = 9"), 1);
        assert_eq!(
            q("SELECT count(*) FROM contacts WHERE id = 2 AND merged_into = 1"),
            1
        );
        assert_eq!(q("SELECT count(*) FROM contact_alternates WHERE contact_id = 1 AND field = 'email' AND value = 'ann.private@x.org'"), 1);
        assert_eq!(q("SELECT count(*) FROM contact_alternates WHERE field = 'custom:Industry' AND value = 'Food'"), 1);
        assert_eq!(
            q("SELECT count(*) FROM contact_tags WHERE contact_id = 1"),
            2
        );
        assert_eq!(
            q("SELECT count(*) FROM contact_keys WHERE contact_id = 1"),
            2
        );
        assert_eq!(
            q("SELECT count(*) FROM source_records WHERE contact_id = 1"),
            2
        );
        // The open at t=2 both carried stays once on each side; the rest moved.
        assert_eq!(q("SELECT count(*) FROM events WHERE contact_id = 1"), 3);
        assert_eq!(q("SELECT count(*) FROM events"), 4);
        let undo: String = conn
            .query_row(
                "SELECT undo FROM maintenance_log WHERE kind = 'merge'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            undo.contains(&format!("\"unmerge\":{}", m.merge_id)),
            "{undo}"
        );
        assert_eq!(q("SELECT count(*) FROM maintenance_log"), 1);
    }

    #[test]
    fn a_picked_field_takes_the_absorbed_value_and_keeps_the_survivors() {
        let side = |email: &str, first: &str| Side {
            email: Some(email.into()),
            first: Some(first.into()),
            ..Side::blank()
        };
        let (_dir, mut ws) = workspace(&side("ann@x.org", "Ann"), &side("anna@x.org", "Anna"));
        merge_picking(&mut ws, 1, 2, Survivor::Chosen, &["first_name".to_string()]).unwrap();
        let conn = ws.conn();
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            q("SELECT count(*) FROM contacts WHERE id = 1 AND first_name = 'Anna' AND email = 'ann@x.org'"),
            1
        );
        assert_eq!(q("SELECT count(*) FROM contact_alternates WHERE field = 'first_name' AND value = 'Ann' AND from_contact = 1"), 1);
        assert_eq!(q("SELECT count(*) FROM contact_alternates WHERE field = 'email' AND value = 'anna@x.org' AND from_contact = 2"), 1);
        assert!(pickable("first_name") && !pickable("open_count"));
    }

    #[test]
    fn a_full_date_of_birth_completes_a_yearless_birthday() {
        let s = Side::blank();
        let (_dir, mut ws) = workspace(&s, &s);
        let conn = ws.conn();
        for (id, dob) in [(1, "--10-03"), (2, "1980-10-03")] {
            conn.execute(
                "UPDATE contacts SET date_of_birth = ?1 WHERE id = ?2",
                params![dob, id],
            )
            .unwrap();
        }
        let before = dump(conn);
        let m = merge(&mut ws, 1, 2, Survivor::Chosen).unwrap();
        let conn = ws.conn();
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            q("SELECT count(*) FROM contacts WHERE id = 1 AND date_of_birth = '1980-10-03'"),
            1
        );
        assert_eq!(q("SELECT count(*) FROM contact_alternates WHERE field = 'date_of_birth' AND value = '--10-03'"), 1);
        unmerge(&mut ws, m.merge_id).unwrap();
        assert_eq!(dump(ws.conn()), before);
    }

    #[test]
    fn an_unmerge_waits_for_later_merges_and_happens_once() {
        let s = Side::blank();
        let (_dir, mut ws) = workspace(&s, &s);
        insert(ws.conn(), 3, &s);
        let first = merge(&mut ws, 1, 2, Survivor::Chosen).unwrap();
        let second = merge(&mut ws, 1, 3, Survivor::Chosen).unwrap();
        assert!(matches!(
            unmerge(&mut ws, first.merge_id),
            Err(DedupeError::LaterMerge { .. })
        ));
        unmerge(&mut ws, second.merge_id).unwrap();
        unmerge(&mut ws, first.merge_id).unwrap();
        assert!(matches!(
            unmerge(&mut ws, first.merge_id),
            Err(DedupeError::AlreadyUndone(_))
        ));
        assert!(matches!(
            unmerge(&mut ws, 99),
            Err(DedupeError::UnknownMerge(99))
        ));
    }
}
