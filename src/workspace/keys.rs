//! Identity keys: how a contact is found again — by a re-import, by an events export, and by
//! the "not a duplicate" memory, which must outlive rescans, re-imports and merges.
//!
//! A key is `ext:<preset>:<id>` (the platform's id, or the address as written where the
//! platform gave none), `email:<normalised address>`, or `fp:<preset>:<hash>` for a row with
//! neither (and `id:<N>` for a contact that has none of these). Most keys follow from the contact's own row — `ext:` from `source` and
//! `external_id`, `email:` from `email_norm` — so they are read from those indexed columns
//! rather than stored: a million-row import would otherwise write two million key rows and
//! a third index. `contact_keys` holds only what a row does not say: ids from other
//! platforms, addresses the contact had before, fingerprints.
//!
//! A key several contacts carry names the oldest of them (the smallest id: the one that had
//! it first), and a merged-away contact's keys name its survivor.

use crate::text::email;
use rusqlite::{params, Connection, OptionalExtension};

/// Follows `merged_into` from a contact to the live one it was merged into (itself when it
/// is live); `None` when there is no such contact. Bounded, in case of a cycle.
pub fn survivor(conn: &Connection, mut id: i64) -> rusqlite::Result<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT merged_into FROM contacts WHERE id = ?1")?;
    for _ in 0..64 {
        match stmt
            .query_row([id], |r| r.get::<_, Option<i64>>(0))
            .optional()?
        {
            None => return Ok(None),
            Some(None) => return Ok(Some(id)),
            Some(Some(next)) => id = next,
        }
    }
    Ok(None)
}

/// The live contact `key` names, if any.
pub fn contact_by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    match carrier(conn, key)? {
        Some(id) => survivor(conn, id),
        None => Ok(None),
    }
}

/// The oldest contact carrying `key`, in its row or stored, merged away or not.
pub fn carrier(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    let in_row = if let Some(norm) = key.strip_prefix("email:") {
        with_address(conn, norm)?.first().map(|c| c.id)
    } else if let Some((preset, id)) = key.strip_prefix("ext:").and_then(|k| k.split_once(':')) {
        by_external_id(conn, Some(preset), id)?.first().copied()
    } else if let Some(id) = key.strip_prefix("id:").and_then(|n| n.parse::<i64>().ok()) {
        // What a decision names a contact by when it had no key at all.
        return Ok(Some(id));
    } else {
        None
    };
    Ok(older(in_row, stored(conn, key)?))
}

/// A contact with a given address, and where its `ext:` key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithAddress {
    pub id: i64,
    pub source: String,
    pub external_id: Option<String>,
}

/// The contacts whose address is `norm`, oldest first. One probe of the address index
/// answers both of an export row's usual keys: `email:`, and `ext:` where the platform gave
/// no id and the address as written stands in for it (a contact's `external_id` is then
/// its address as first written). Stored keys are not consulted (see [`carrier`]).
pub fn with_address(conn: &Connection, norm: &str) -> rusqlite::Result<Vec<WithAddress>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source, external_id FROM contacts WHERE email_norm = ?1 ORDER BY id",
    )?;
    let found = stmt.query_map([norm], |r| {
        Ok(WithAddress {
            id: r.get(0)?,
            source: r.get(1)?,
            external_id: r.get(2)?,
        })
    })?;
    found.collect()
}

/// The contacts whose `ext:` id is `id` (made from a `preset` row, when given), oldest
/// first: by a platform id from the id index, or — where the platform gave none and the
/// address as written stands in for it — from the address index (the id index leaves those
/// out: they are most contacts of most lists, and the address index finds them anyway).
pub fn by_external_id(
    conn: &Connection,
    preset: Option<&str>,
    id: &str,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM contacts
          WHERE external_id = ?1 AND external_id IS NOT email AND (?2 IS NULL OR source = ?2)
         UNION
         SELECT id FROM contacts
          WHERE email_norm = ?3 AND external_id = ?1 AND (?2 IS NULL OR source = ?2)
         ORDER BY id",
    )?;
    let ids = stmt.query_map(params![id, preset, email::normalize(id)], |r| r.get(0))?;
    ids.collect()
}

/// The contact `key` was stored for, if it was.
pub fn stored(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT contact_id FROM contact_keys WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()
}

/// The older of two carriers.
pub fn older(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Records that `key` names `contact`, unless the contact's row says so already. A key
/// stored for another contact stays with it. Returns whether it stored the key.
pub fn store(conn: &Connection, key: &str, contact: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO contact_keys (key, contact_id)
         SELECT ?1, ?2 WHERE NOT EXISTS (
             SELECT 1 FROM contacts WHERE id = ?2
                AND (?1 = 'email:' || email_norm OR ?1 = 'ext:' || source || ':' || external_id))",
    )?
    .execute(params![key, contact])
    .map(|stored| stored > 0)
}

/// Stores the keys `contact`'s row gives it now, so they keep finding it after a change to
/// its address takes them out of the row. Call before the change. Returns the keys it
/// stored (not those stored already), so that the change can be undone exactly.
pub fn keep_row_keys(conn: &Connection, contact: i64) -> rusqlite::Result<Vec<String>> {
    let in_row: Vec<String> = conn
        .prepare_cached(
            "SELECT 'email:' || email_norm FROM contacts WHERE id = ?1 AND email_norm IS NOT NULL
             UNION ALL
             SELECT 'ext:' || source || ':' || external_id FROM contacts
              WHERE id = ?1 AND external_id IS NOT NULL",
        )?
        .query_map([contact], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut insert = conn
        .prepare_cached("INSERT OR IGNORE INTO contact_keys (key, contact_id) VALUES (?1, ?2)")?;
    let mut stored = Vec::new();
    for key in in_row {
        if insert.execute(params![key, contact])? > 0 {
            stored.push(key);
        }
    }
    Ok(stored)
}

/// The keys that name `contact` (a live one): those of its row, of the contacts merged
/// into it (keys go with the person) and the stored ones — less any an older contact
/// carries too, which name that one. Sorted.
pub fn keys_of(conn: &Connection, contact: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "WITH mine(id) AS (SELECT ?1 UNION ALL SELECT id FROM contacts WHERE merged_into = ?1)
         SELECT 'email:' || email_norm FROM contacts
          WHERE id IN mine AND email_norm IS NOT NULL
         UNION
         SELECT 'ext:' || source || ':' || external_id FROM contacts
          WHERE id IN mine AND external_id IS NOT NULL
         UNION
         SELECT key FROM contact_keys WHERE contact_id IN mine
         ORDER BY 1",
    )?;
    let candidates = stmt
        .query_map([contact], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut keys = Vec::with_capacity(candidates.len());
    for key in candidates {
        if contact_by_key(conn, &key)? == Some(contact) {
            keys.push(key);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, source TEXT NOT NULL,
                 external_id TEXT, email TEXT, email_norm TEXT, merged_into INTEGER);
             CREATE INDEX contacts_email_norm ON contacts (email_norm) WHERE email_norm IS NOT NULL;
             CREATE INDEX contacts_external_id ON contacts (external_id)
                 WHERE external_id IS NOT email;
             CREATE TABLE contact_keys (key TEXT PRIMARY KEY, contact_id INTEGER NOT NULL)
                 WITHOUT ROWID;
             INSERT INTO contacts VALUES
                 (1, 'mailchimp', 'Ann@X.io', 'Ann@X.io', 'ann@x.io', NULL),
                 (2, 'hubspot', '901', 'ann@x.io', 'ann@x.io', NULL),
                 (3, 'hubspot', '902', 'bob@x.io', 'bob@x.io', 2);",
        )
        .unwrap();
        conn
    }

    #[test]
    fn keys_in_the_row_name_the_oldest_contact_carrying_them() {
        let conn = workspace();
        assert_eq!(carrier(&conn, "email:ann@x.io").unwrap(), Some(1));
        assert_eq!(carrier(&conn, "ext:mailchimp:Ann@X.io").unwrap(), Some(1));
        assert_eq!(carrier(&conn, "ext:hubspot:901").unwrap(), Some(2));
        assert_eq!(carrier(&conn, "ext:mailchimp:901").unwrap(), None);
        assert_eq!(carrier(&conn, "ext:mailchimp:ann@x.io").unwrap(), None);
    }

    #[test]
    fn a_merged_away_contacts_keys_name_its_survivor() {
        let conn = workspace();
        assert_eq!(contact_by_key(&conn, "ext:hubspot:902").unwrap(), Some(2));
        // ann@x.io names contact 1, which had it first.
        assert_eq!(
            keys_of(&conn, 2).unwrap(),
            ["email:bob@x.io", "ext:hubspot:901", "ext:hubspot:902"]
        );
    }

    #[test]
    fn stored_keys_count_only_where_the_row_does_not_say_them() {
        let conn = workspace();
        assert!(!store(&conn, "email:ann@x.io", 2).unwrap());
        assert!(!store(&conn, "ext:hubspot:901", 2).unwrap());
        assert_eq!(stored(&conn, "ext:hubspot:901").unwrap(), None);
        assert_eq!(stored(&conn, "email:ann@x.io").unwrap(), None);
        assert!(store(&conn, "email:ann@x.io", 3).unwrap());
        assert_eq!(stored(&conn, "email:ann@x.io").unwrap(), Some(3));
        // The oldest carrier still wins over a later stored key.
        assert_eq!(carrier(&conn, "email:ann@x.io").unwrap(), Some(1));
        assert!(store(&conn, "fp:generic:abc", 3).unwrap());
        assert!(!store(&conn, "fp:generic:abc", 1).unwrap());
        assert_eq!(carrier(&conn, "fp:generic:abc").unwrap(), Some(3));
    }

    #[test]
    fn an_address_a_contact_moves_away_from_keeps_finding_it() {
        let conn = workspace();
        keep_row_keys(&conn, 1).unwrap();
        conn.execute(
            "UPDATE contacts SET email = 'ann@new.io', email_norm = 'ann@new.io' WHERE id = 1",
            [],
        )
        .unwrap();
        assert_eq!(carrier(&conn, "email:ann@x.io").unwrap(), Some(1));
        assert_eq!(carrier(&conn, "email:ann@new.io").unwrap(), Some(1));
        assert_eq!(carrier(&conn, "ext:mailchimp:Ann@X.io").unwrap(), Some(1));
    }
}
