//! Importing events exports: each row becomes one event on the contact it names.
//!
//! Events are matched to live contacts by normalised email or by the contact's external
//! id; rows naming nobody known are rejected with the reason (import contacts first).
//! Identical events (same contact, type, time, campaign and url) are stored once, so
//! overlapping exports can be imported safely. Unsubscribe and complaint events move the
//! contact's status (the restrictive state wins); the contact's last open/click dates follow
//! the newest event.

use super::insert::RowWrite;
use super::row::{EventRow, Plan};
use super::{ImportError, Rejection, RowStream, Summary, WriteContext};
use crate::workspace::indexes::set_aside;
use crate::workspace::keys;
use rusqlite::params;
use rusqlite::types::ValueRef;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

impl super::Handover for EventRow {
    const BATCH_ROWS: usize = 512;

    fn warm(&self) {
        super::touch([self.campaign.as_bytes(), self.url.as_bytes()]);
    }
}

pub(super) fn write(
    ctx: &WriteContext<'_>,
    plan: &Plan,
    stream: RowStream<'_>,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    let last_id_before: i64 =
        ctx.tx
            .query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
    // The identity index stays in place even for a large file: it is what refuses an event
    // already stored, and removing repeats afterwards costs more than it saves.
    let aside = if stream.is_bulk_for(last_id_before) {
        Some(set_aside(ctx.tx, &["events"], &["events_identity"])?)
    } else {
        None
    };
    let mut contacts = ContactCache::default();
    // Prepared once for the file, the import's id bound once.
    let mut insert = RowWrite::new(
        ctx.tx.prepare(
            "INSERT OR IGNORE INTO events (contact_id, type, occurred_at, campaign, url, amount, import_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?100)",
        )?,
        &[(100, ValueRef::Integer(ctx.import_id))],
    )?;
    let prepare = |row_number: u64, record: &csv::ByteRecord| {
        plan.event(row_number, record)
            .map_err(|rejection| rejection.keeping(record))
    };
    stream.for_each(prepare, |row_number, record, event| {
        summary.rows_read += 1;
        let event = match event {
            Ok(event) => event,
            Err(rejection) => {
                summary.rejected.push(rejection.clone());
                return Ok(());
            }
        };
        let Some(contact_id) = contacts.find(ctx, event)? else {
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
        let inserted = insert.run(&[
            ValueRef::Integer(contact_id),
            ValueRef::Text(event.kind.as_bytes()),
            ValueRef::Integer(event.occurred_at),
            ValueRef::Text(event.campaign.as_bytes()),
            ValueRef::Text(event.url.as_bytes()),
            event.amount.map_or(ValueRef::Null, ValueRef::Real),
        ])?;
        if inserted > 0 {
            summary.rows_new += 1;
        } else {
            summary.rows_unchanged += 1;
        }
        Ok(())
    })?;
    if let Some(aside) = aside {
        aside.rebuild(ctx.tx)?;
    }
    apply_to_contacts(ctx, last_id_before)?;
    Ok(())
}

/// The live contact each event names, looked up once per contact rather than per event
/// (an export has many events per person). Bounded so a huge file cannot grow it forever.
#[derive(Default)]
struct ContactCache {
    /// By email, by id (U+001F `id`) or by both (`email` U+001F `id`), as the event names it.
    found: FxHashMap<String, Option<i64>>,
}

impl ContactCache {
    const MAX_ENTRIES: usize = 1 << 20;

    fn find(&mut self, ctx: &WriteContext<'_>, event: &EventRow) -> rusqlite::Result<Option<i64>> {
        let key: Cow<str> = match (&event.email_norm, &event.external_id) {
            (Some(email), None) => Cow::Borrowed(email),
            (email, Some(id)) => Cow::Owned(format!(
                "{}\u{1f}{id}",
                email.as_deref().unwrap_or_default()
            )),
            (None, None) => return Ok(None),
        };
        if let Some(&id) = self.found.get(key.as_ref()) {
            return Ok(id);
        }
        let id = find_contact(
            ctx,
            event.email_norm.as_deref(),
            event.external_id.as_deref(),
        )?;
        if self.found.len() >= Self::MAX_ENTRIES {
            self.found.clear();
        }
        self.found.insert(key.into_owned(), id);
        Ok(id)
    }
}

/// Finds the live contact an event names.
fn find_contact(
    ctx: &WriteContext<'_>,
    email: Option<&str>,
    external_id: Option<&str>,
) -> rusqlite::Result<Option<i64>> {
    if let Some(e) = email {
        if let Some(id) = keys::contact_by_key(ctx.tx, &format!("email:{e}"))? {
            return Ok(Some(id));
        }
    }
    let Some(ext) = external_id else {
        return Ok(None);
    };
    // A live contact with the id before the survivor of a merged-away one.
    let ids = keys::by_external_id(ctx.tx, None, ext)?;
    for &id in &ids {
        if keys::survivor(ctx.tx, id)? == Some(id) {
            return Ok(Some(id));
        }
    }
    match ids.first() {
        Some(&id) => keys::survivor(ctx.tx, id),
        None => Ok(None),
    }
}

/// Brings contacts in line with the events this import added (those above `last_id_before`): status from unsubscribes and
/// complaints (each change recorded), last open/click dates from the newest events.
fn apply_to_contacts(ctx: &WriteContext<'_>, last_id_before: i64) -> rusqlite::Result<()> {
    // One pass over the new events, summed up per contact; the updates read the summary
    // (a few rows per contact) rather than scanning the events once each.
    ctx.tx
        .execute_batch("DROP TABLE IF EXISTS temp.import_by_contact")?;
    ctx.tx.execute(
        "CREATE TEMP TABLE import_by_contact AS
         SELECT contact_id,
                max(type = 'unsubscribe') AS unsubscribe,
                max(type = 'complaint') AS complaint,
                max(CASE WHEN type = 'open' THEN occurred_at END) AS last_open_at,
                max(CASE WHEN type = 'click' THEN occurred_at END) AS last_click_at
         FROM events WHERE id > ?1 GROUP BY contact_id",
        [last_id_before],
    )?;
    for (event, status, stronger_than) in [
        ("unsubscribe", "unsubscribed", "('subscribed', 'pending')"),
        (
            "complaint",
            "complained",
            "('subscribed', 'pending', 'unsubscribed', 'cleaned', 'bounced')",
        ),
    ] {
        let had_event = format!("SELECT contact_id FROM temp.import_by_contact WHERE {event}");
        ctx.tx.execute(
            &format!(
                "INSERT INTO field_changes (log_id, contact_id, field, old_value, new_value)
                 SELECT ?1, c.id, 'status', c.status, ?2 FROM contacts c
                 WHERE c.status IN {stronger_than} AND c.id IN ({had_event})"
            ),
            params![ctx.log_id, status],
        )?;
        ctx.tx.execute(
            &format!(
                "UPDATE contacts SET status = ?1, status_source = 'events', updated_at = ?2
                 WHERE status IN {stronger_than} AND id IN ({had_event})"
            ),
            params![status, ctx.now],
        )?;
    }
    for column in ["last_open_at", "last_click_at"] {
        ctx.tx.execute_batch(&format!(
            "UPDATE contacts SET {column} = latest.{column}
             FROM temp.import_by_contact AS latest
             WHERE contacts.id = latest.contact_id AND latest.{column} IS NOT NULL
               AND (contacts.{column} IS NULL OR contacts.{column} < latest.{column})"
        ))?;
    }
    ctx.tx.execute_batch("DROP TABLE temp.import_by_contact")
}
