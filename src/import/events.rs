//! Importing events exports: each row becomes one event on the contact it names.
//!
//! Events are matched to live contacts by normalised email or by the contact's external
//! id; rows naming nobody known are rejected with the reason (import contacts first).
//! Identical events (same contact, type, time, campaign and url) are stored once, so
//! overlapping exports can be imported safely. Unsubscribe and complaint events move the
//! contact's status (the restrictive state wins); the contact's last open/click dates follow
//! the newest event.

use super::row::Plan;
use super::{ImportError, Rejection, RowStream, Summary, WriteContext};
use rusqlite::{params, OptionalExtension};

pub(super) fn write(
    ctx: &WriteContext<'_>,
    plan: &Plan,
    stream: RowStream<'_>,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    let prepare = |row_number: u64, record: &csv::ByteRecord| {
        plan.event(row_number, record)
            .map_err(|rejection| rejection.keeping(record))
    };
    stream.for_each(prepare, |row_number, record, event| {
        summary.rows_read += 1;
        let event = match event {
            Ok(event) => event,
            Err(rejection) => {
                summary.rejected.push(rejection);
                return Ok(());
            }
        };
        let Some(contact_id) = find_contact(ctx, event.email_norm.as_deref(), event.external_id.as_deref())? else {
            let rejection = Rejection::new(
                row_number,
                None,
                format!(
                    "no contact with {}; import the contacts first",
                    event
                        .email_norm
                        .as_deref()
                        .map(|e| format!("email {e}"))
                        .or(event.external_id.as_deref().map(|i| format!("id {i}")))
                        .unwrap_or_default()
                ),
            );
            summary.rejected.push(rejection.keeping(record));
            return Ok(());
        };
        let inserted = ctx
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO events (contact_id, type, occurred_at, campaign, url, amount, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                contact_id,
                event.kind,
                event.occurred_at,
                event.campaign,
                event.url,
                event.amount,
                ctx.import_id
            ])?;
        if inserted > 0 {
            summary.rows_new += 1;
        } else {
            summary.rows_unchanged += 1;
        }
        Ok(())
    })?;
    apply_to_contacts(ctx)?;
    Ok(())
}

/// Finds the live contact an event names.
fn find_contact(
    ctx: &WriteContext<'_>,
    email: Option<&str>,
    external_id: Option<&str>,
) -> rusqlite::Result<Option<i64>> {
    let by_email = match email {
        Some(e) => ctx
            .tx
            .prepare_cached("SELECT contact_id FROM contact_keys WHERE key = ?1")?
            .query_row([format!("email:{e}")], |r| r.get::<_, i64>(0))
            .optional()?,
        None => None,
    };
    let id = match (by_email, external_id) {
        (Some(id), _) => Some(id),
        (None, Some(ext)) => ctx
            .tx
            .prepare_cached("SELECT id FROM contacts WHERE external_id = ?1 ORDER BY merged_into IS NOT NULL LIMIT 1")?
            .query_row([ext], |r| r.get::<_, i64>(0))
            .optional()?,
        (None, None) => None,
    };
    let Some(mut id) = id else { return Ok(None) };
    let mut up = ctx
        .tx
        .prepare_cached("SELECT merged_into FROM contacts WHERE id = ?1")?;
    for _ in 0..64 {
        match up.query_row([id], |r| r.get::<_, Option<i64>>(0))? {
            Some(next) => id = next,
            None => break,
        }
    }
    Ok(Some(id))
}

/// Brings contacts in line with the events this import added: status from unsubscribes and
/// complaints (each change recorded), last open/click dates from the newest events.
fn apply_to_contacts(ctx: &WriteContext<'_>) -> rusqlite::Result<()> {
    for (event, status, stronger_than) in [
        ("unsubscribe", "unsubscribed", "('subscribed', 'pending')"),
        (
            "complaint",
            "complained",
            "('subscribed', 'pending', 'unsubscribed', 'cleaned', 'bounced')",
        ),
    ] {
        ctx.tx.execute(
            &format!(
                "INSERT INTO field_changes (log_id, contact_id, field, old_value, new_value)
                 SELECT ?1, c.id, 'status', c.status, ?2 FROM contacts c
                 WHERE c.status IN {stronger_than}
                   AND c.id IN (SELECT contact_id FROM events WHERE import_id = ?3 AND type = ?4)"
            ),
            params![ctx.log_id, status, ctx.import_id, event],
        )?;
        ctx.tx.execute(
            &format!(
                "UPDATE contacts SET status = ?1, status_source = 'events', updated_at = ?2
                 WHERE status IN {stronger_than}
                   AND id IN (SELECT contact_id FROM events WHERE import_id = ?3 AND type = ?4)"
            ),
            params![status, ctx.now, ctx.import_id, event],
        )?;
    }
    for (event, column) in [("open", "last_open_at"), ("click", "last_click_at")] {
        ctx.tx.execute(
            &format!(
                "UPDATE contacts SET {column} = latest.at
                 FROM (SELECT contact_id, max(occurred_at) AS at FROM events
                       WHERE import_id = ?1 AND type = ?2 GROUP BY contact_id) AS latest
                 WHERE contacts.id = latest.contact_id
                   AND (contacts.{column} IS NULL OR contacts.{column} < latest.at)"
            ),
            params![ctx.import_id, event],
        )?;
    }
    Ok(())
}
