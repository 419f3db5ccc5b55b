//! Acting on findings: apply the suggested fix, suppress with a reason, ignore a finding
//! for a contact, forget a contact (erasure) — and undo.
//!
//! Every action is one `BEGIN IMMEDIATE` transaction and one maintenance-log entry whose
//! `undo` payload says how to reverse it; [`undo`] reverses it in one more logged
//! transaction. Forgetting is the exception: it cannot be undone, and its log entry holds
//! no personal data.

use super::rules::{self, ContactRow};
use super::settings::PROFILE_FIELDS;
use super::{load_contacts, AuditError, Kind, Settings};
use crate::text::email;
use crate::workspace::{append_log, keys, LogEntry, Workspace};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::json;

/// Whether the contact is on the suppression list (exports and segments exclude it; the
/// `live_contacts_mailable` view does this in SQL).
pub fn is_suppressed(conn: &Connection, contact_id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_suppressions WHERE contact_id = ?1)",
        [contact_id],
        |r| r.get(0),
    )
}

/// The one-way hash kept for an erased address: blake3 of a fixed prefix and the mailbox
/// key, so spelling variants of the same inbox (dots, `+tags`, googlemail) stay erased too.
/// Unsalted on purpose: the importer must recognise the address in any workspace copy,
/// and a salt stored in the same file would not protect it anyway.
pub fn erasure_hash(email_norm: &str) -> String {
    let key = email::mailbox_key(email_norm);
    blake3::hash(format!("listwarden-erasure-v1:{key}").as_bytes())
        .to_hex()
        .to_string()
}

/// Whether the address (a `contacts.email_norm`) belongs to a contact who asked to be
/// forgotten. The importer must skip such rows so no re-import brings them back.
pub fn is_erased(conn: &Connection, email_norm: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_erased WHERE hash = ?1)",
        [erasure_hash(email_norm)],
        |r| r.get(0),
    )
}

/// One field change a fix would make.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldFix {
    pub contact_id: i64,
    pub field: String,
    pub old: Option<String>,
    pub new: String,
}

/// Columns a fix or its undo may write; anything else read back from the log is refused.
fn writable(field: &str) -> bool {
    PROFILE_FIELDS.contains(&field) || matches!(field, "email" | "email_norm" | "status")
}

/// The changes that resolve `kind` for the given contacts, where there is a safe one:
/// typo domains corrected, names re-cased, broken characters repaired, whitespace trimmed,
/// and the restrictive status applied to a subscribed duplicate of an unsubscribed
/// mailbox. Kinds without an automatic fix give nothing.
pub fn suggested_fixes(
    conn: &Connection,
    kind: Kind,
    ids: &[i64],
) -> Result<Vec<FieldFix>, AuditError> {
    let rows = load_contacts(conn, Some(ids))?;
    let mut out = Vec::new();
    match kind {
        Kind::EmailTypo => {
            let settings = Settings::load(conn)?;
            let frequent = frequent_domains(conn, settings.frequent_domain_min)?;
            let frequent: Vec<&str> = frequent.iter().map(String::as_str).collect();
            for r in &rows {
                let (Some(addr), Some(norm)) = (r.email.as_deref(), r.email_norm.as_deref()) else {
                    continue;
                };
                let Some(domain) = email::domain_of(norm) else {
                    continue;
                };
                if let Some(fixed) = email::suggest_domain(domain, &frequent) {
                    let local = addr.rsplit_once('@').map_or(addr, |(l, _)| l);
                    let new_email = format!("{local}@{fixed}");
                    let new_norm =
                        email::normalize(&new_email).unwrap_or_else(|| new_email.clone());
                    out.push(fix(r.id, "email", Some(addr), new_email));
                    out.push(fix(r.id, "email_norm", Some(norm), new_norm));
                }
            }
        }
        Kind::Formatting => {
            for r in &rows {
                for issue in rules::formatting(r) {
                    if let Some(new) = issue.fix {
                        out.push(fix(
                            r.id,
                            PROFILE_FIELDS[issue.field],
                            r.field(issue.field),
                            new,
                        ));
                    }
                }
            }
        }
        Kind::UnsubscribedConflict => {
            for r in rows.iter().filter(|r| r.is_mailable_status()) {
                if let Some(status) = restrictive_status_of_mailbox(conn, r)? {
                    out.push(fix(r.id, "status", Some(&r.status), status));
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

fn fix(contact_id: i64, field: &str, old: Option<&str>, new: String) -> FieldFix {
    FieldFix {
        contact_id,
        field: field.to_string(),
        old: old.map(str::to_string),
        new,
    }
}

fn frequent_domains(conn: &Connection, min: u32) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT substr(email_norm, instr(email_norm, '@') + 1) AS d FROM contacts
         WHERE merged_into IS NULL AND email_norm LIKE '%@%'
         GROUP BY d HAVING count(*) >= ?1 ORDER BY count(*) DESC LIMIT 500",
    )?;
    let rows = stmt.query_map([min], |r| r.get(0))?;
    rows.collect()
}

/// The most restrictive status another live contact with the same mailbox has, when it
/// forbids mailing.
fn restrictive_status_of_mailbox(
    conn: &Connection,
    row: &ContactRow,
) -> rusqlite::Result<Option<String>> {
    let (Some(key), Some(domain)) = (
        row.mailbox_key(),
        row.email_norm.as_deref().and_then(email::domain_of),
    ) else {
        return Ok(None);
    };
    let domains = if matches!(domain, "gmail.com" | "googlemail.com") {
        vec!["%@gmail.com", "%@googlemail.com"]
    } else {
        vec![""]
    };
    let mut stmt = conn.prepare_cached(
        "SELECT email_norm, status FROM contacts
         WHERE merged_into IS NULL AND id <> ?1 AND status NOT IN ('subscribed', 'pending')
           AND (email_norm LIKE ?2 OR email_norm LIKE ?3 OR email_norm LIKE '%@' || ?4)",
    )?;
    let like = |i: usize| domains.get(i).copied().unwrap_or("").to_string();
    let rows = stmt.query_map(params![row.id, like(0), like(1), domain], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut best: Option<crate::text::status::Status> = None;
    for r in rows {
        let (norm, status) = r?;
        if email::mailbox_key(&norm) != key {
            continue;
        }
        if let Some(s) = crate::text::status::Status::parse(&status) {
            best = Some(best.map_or(s, |b| b.most_restrictive(s)));
        }
    }
    Ok(best.map(|s| s.as_str().to_string()))
}

/// Applies the suggested fixes of `kind` to the contacts (see [`suggested_fixes`]): one
/// transaction, one log entry, every change in `field_changes` under that entry.
pub fn apply_fix(ws: &mut Workspace, kind: Kind, ids: &[i64]) -> Result<i64, AuditError> {
    let fixes = suggested_fixes(ws.conn(), kind, ids)?;
    if fixes.is_empty() {
        return Err(AuditError::NothingToFix {
            reason: format!("no automatic fix for {kind} on these contacts"),
        });
    }
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    let contacts: std::collections::BTreeSet<i64> = fixes.iter().map(|f| f.contact_id).collect();
    ws.write(|tx| {
        let entry = LogEntry::new(
            "fix",
            format!("fixed {kind} on {} contact(s)", contacts.len()),
        )
        .with_details(json!({"kind": kind, "contacts": contacts, "changes": fixes.len()}))
        .with_undo(json!({"action": "fix"}));
        let log_id = append_log(tx, &user, now, &entry)?;
        // The address a fix replaces keeps finding the contact on re-import.
        for f in fixes.iter().filter(|f| f.field == "email_norm") {
            keys::keep_row_keys(tx, f.contact_id)?;
        }
        write_changes(
            tx,
            log_id,
            now,
            fixes.iter().map(|f| {
                (
                    f.contact_id,
                    f.field.as_str(),
                    f.old.as_deref(),
                    f.new.as_str(),
                )
            }),
        )?;
        Ok(log_id)
    })
}

/// Sets each (contact, field) to its new value and records old → new under `log_id`.
fn write_changes<'a>(
    tx: &Transaction<'_>,
    log_id: i64,
    now: i64,
    changes: impl Iterator<Item = (i64, &'a str, Option<&'a str>, &'a str)>,
) -> Result<(), AuditError> {
    for (id, field, old, new) in changes {
        if !writable(field) {
            return Err(AuditError::CannotUndo {
                id: log_id,
                reason: format!("field {field} is not one a fix may change"),
            });
        }
        tx.execute(
            &format!("UPDATE contacts SET {field} = ?1, updated_at = ?2 WHERE id = ?3"),
            params![new, now, id],
        )?;
        tx.execute(
            "INSERT INTO field_changes (log_id, contact_id, field, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![log_id, id, field, old, new],
        )?;
    }
    Ok(())
}

/// Live contacts among `ids`, or the error naming the first that is not.
fn live(conn: &Connection, ids: &[i64]) -> Result<(), AuditError> {
    for &id in ids {
        let ok: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1 AND merged_into IS NULL)",
            [id],
            |r| r.get(0),
        )?;
        if !ok {
            return Err(AuditError::NoContact { id });
        }
    }
    Ok(())
}

/// Puts the contacts on the suppression list with `reason` (already suppressed ones keep
/// their first reason).
pub fn suppress(ws: &mut Workspace, ids: &[i64], reason: &str) -> Result<i64, AuditError> {
    live(ws.conn(), ids)?;
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    ws.write(|tx| {
        let mut added = Vec::new();
        for &id in ids {
            if !is_suppressed(tx, id)? {
                added.push(id);
            }
        }
        let entry = LogEntry::new(
            "suppress",
            format!("suppressed {} contact(s): {reason}", added.len()),
        )
        .with_details(json!({"contacts": added, "reason": reason}))
        .with_undo(json!({"action": "suppress", "contacts": added}));
        let log_id = append_log(tx, &user, now, &entry)?;
        for &id in &added {
            tx.execute(
                "INSERT INTO audit_suppressions (contact_id, reason, at, os_user, log_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, reason, now, user, log_id],
            )?;
        }
        Ok(log_id)
    })
}

/// Marks `kind` as fine for the contacts: later audits do not count it for them.
pub fn ignore(ws: &mut Workspace, kind: Kind, ids: &[i64]) -> Result<i64, AuditError> {
    live(ws.conn(), ids)?;
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    ws.write(|tx| {
        let mut added = Vec::new();
        for &id in ids {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM audit_ignored WHERE contact_id = ?1 AND kind = ?2)",
                params![id, kind.as_str()],
                |r| r.get(0),
            )?;
            if !known {
                added.push(id);
            }
        }
        let entry = LogEntry::new(
            "ignore",
            format!("ignored {kind} for {} contact(s)", added.len()),
        )
        .with_details(json!({"kind": kind, "contacts": added}))
        .with_undo(json!({"action": "ignore", "kind": kind, "contacts": added}));
        let log_id = append_log(tx, &user, now, &entry)?;
        for &id in &added {
            tx.execute(
                "INSERT INTO audit_ignored (contact_id, kind, at, log_id) VALUES (?1, ?2, ?3, ?4)",
                params![id, kind.as_str(), now, log_id],
            )?;
        }
        Ok(log_id)
    })
}

/// Reverses the change logged as `log_id` (a fix, suppression or ignore), logging the undo.
pub fn undo(ws: &mut Workspace, log_id: i64) -> Result<i64, AuditError> {
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    ws.write(|tx| {
        let row: Option<(String, Option<String>, Option<i64>)> = tx
            .query_row(
                "SELECT summary, undo, undone_by FROM maintenance_log WHERE id = ?1",
                [log_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let cannot = |reason: &str| AuditError::CannotUndo {
            id: log_id,
            reason: reason.to_string(),
        };
        let Some((summary, payload, undone_by)) = row else {
            return Err(cannot("no such log entry"));
        };
        if let Some(by) = undone_by {
            return Err(cannot(&format!("already undone by entry {by}")));
        }
        let payload: serde_json::Value = payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| cannot("this change cannot be undone"))?;
        let ids: Vec<i64> = payload["contacts"]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
            .unwrap_or_default();
        let entry = LogEntry::new("undo", format!("undo: {summary}"))
            .with_details(json!({"undoes": log_id}));
        let undo_id = append_log(tx, &user, now, &entry)?;
        match payload["action"].as_str() {
            Some("suppress") => {
                for id in &ids {
                    tx.execute(
                        "DELETE FROM audit_suppressions WHERE contact_id = ?1 AND log_id = ?2",
                        params![id, log_id],
                    )?;
                }
            }
            Some("ignore") => {
                for id in &ids {
                    tx.execute(
                        "DELETE FROM audit_ignored WHERE contact_id = ?1 AND log_id = ?2",
                        params![id, log_id],
                    )?;
                }
            }
            Some("fix") => {
                let mut stmt = tx.prepare(
                    "SELECT contact_id, field, old_value, new_value FROM field_changes
                     WHERE log_id = ?1 ORDER BY id DESC",
                )?;
                let changes: Vec<(i64, String, Option<String>, Option<String>)> = stmt
                    .query_map([log_id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })?
                    .collect::<Result<_, _>>()?;
                drop(stmt);
                for (id, field, old, new) in &changes {
                    if !writable(field) {
                        return Err(cannot(&format!(
                            "field {field} is not one a fix may change"
                        )));
                    }
                    tx.execute(
                        &format!("UPDATE contacts SET {field} = ?1, updated_at = ?2 WHERE id = ?3"),
                        params![old, now, id],
                    )?;
                    tx.execute(
                        "INSERT INTO field_changes (log_id, contact_id, field, old_value, new_value)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![undo_id, id, field, new, old],
                    )?;
                }
            }
            _ => return Err(cannot("not an audit change")),
        }
        tx.execute(
            "UPDATE maintenance_log SET undone_by = ?1 WHERE id = ?2",
            params![undo_id, log_id],
        )?;
        Ok(undo_id)
    })
}

/// The contact and every record merged into it, directly or through others.
fn cluster(tx: &Transaction<'_>, root: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "WITH RECURSIVE down(id) AS (
             SELECT ?1 UNION SELECT c.id FROM contacts c JOIN down ON c.merged_into = down.id)
         SELECT id FROM down",
    )?;
    let ids = stmt.query_map([root], |r| r.get(0))?;
    ids.collect()
}

fn addresses_of(tx: &Transaction<'_>, ids: &[i64]) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT email_norm FROM contacts
         WHERE id IN (SELECT value FROM json_each(?1)) AND email_norm IS NOT NULL",
    )?;
    let rows = stmt.query_map([serde_json::Value::from(ids.to_vec()).to_string()], |r| {
        r.get(0)
    })?;
    rows.collect()
}

/// Live contacts whose address reaches one of the same mailboxes as `addresses`.
fn same_mailbox(tx: &Transaction<'_>, addresses: &[String]) -> rusqlite::Result<Vec<i64>> {
    let mut out = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT id, email_norm FROM contacts WHERE merged_into IS NULL AND email_norm LIKE ?1",
    )?;
    for addr in addresses {
        let key = email::mailbox_key(addr);
        let Some(domain) = email::domain_of(&key) else {
            continue;
        };
        let domains: &[&str] = if domain == "gmail.com" {
            &["gmail.com", "googlemail.com"]
        } else {
            &[domain]
        };
        for d in domains {
            let rows = stmt.query_map([format!("%@{d}")], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, norm) = row?;
                if email::mailbox_key(&norm) == key {
                    out.push(id);
                }
            }
        }
    }
    Ok(out)
}

/// Erases a person on request: the contact, every record merged into it and every live
/// contact reaching the same mailbox leave
/// `contacts`, `source_records`, `events`, custom values, tags, `field_changes` and every
/// other table that references a contact; a one-way hash of each address stays in
/// `audit_erased` so no re-import brings the person back. The log entry says how many
/// records were erased and nothing about whom. Cannot be undone.
pub fn forget(ws: &mut Workspace, contact_id: i64) -> Result<i64, AuditError> {
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    ws.write(|tx| {
        let root: Option<i64> = tx
            .query_row(
                "WITH RECURSIVE up(id, next) AS (
                     SELECT id, merged_into FROM contacts WHERE id = ?1
                     UNION SELECT c.id, c.merged_into FROM contacts c JOIN up ON c.id = up.next)
                 SELECT id FROM up WHERE next IS NULL",
                [contact_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(root) = root else {
            return Err(AuditError::NoContact { id: contact_id });
        };
        let mut ids = cluster(tx, root)?;
        let mut addresses = addresses_of(tx, &ids)?;
        // The same inbox under another spelling (dots, +tag, googlemail) is the same person.
        for other in same_mailbox(tx, &addresses)? {
            if !ids.contains(&other) {
                ids.extend(cluster(tx, other)?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        addresses = addresses_of(tx, &ids)?;
        let ids_json = serde_json::Value::from(ids.clone()).to_string();
        for addr in &addresses {
            tx.execute(
                "INSERT OR IGNORE INTO audit_erased (hash, at) VALUES (?1, ?2)",
                params![erasure_hash(addr), now],
            )?;
        }
        // Every table with a foreign key to contacts, found from the schema so tables
        // added by later features are erased too.
        let mut stmt = tx.prepare(
            "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = 'contacts' AND m.name <> 'contacts'",
        )?;
        let refs: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        for (table, column) in &refs {
            tx.execute(
                &format!(
                    "DELETE FROM \"{}\" WHERE \"{}\" IN (SELECT value FROM json_each(?1))",
                    table.replace('"', "\"\""),
                    column.replace('"', "\"\"")
                ),
                [&ids_json],
            )?;
        }
        tx.execute(
            "UPDATE contacts SET merged_into = NULL WHERE id IN (SELECT value FROM json_each(?1))",
            [&ids_json],
        )?;
        tx.execute(
            "DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?1))",
            [&ids_json],
        )?;
        let entry = LogEntry::new(
            "forget",
            format!("erased a contact on request ({} record(s))", ids.len()),
        )
        .with_details(json!({"records": ids.len(), "addresses_hashed": addresses.len()}));
        Ok(append_log(tx, &user, now, &entry)?)
    })
}
