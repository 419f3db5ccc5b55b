//! Applies the embedded `migrations/*.sql` files, keyed on `PRAGMA user_version`.
//!
//! A small runner rather than `rusqlite_migration`, which trails the newest rusqlite (two
//! rusqlite versions cannot link two SQLites into one binary).

use super::WorkspaceError;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this build writes.
pub const SUPPORTED_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version recorded in the file.
pub fn schema_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the schema up to [`SUPPORTED_VERSION`], each migration in its own transaction,
/// and refuses a file written by a newer version.
pub(super) fn apply(conn: &Connection, path: &Path) -> Result<(), WorkspaceError> {
    let found = schema_version(conn)?;
    if found > SUPPORTED_VERSION {
        return Err(WorkspaceError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SUPPORTED_VERSION,
        });
    }
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > found) {
        let fail = |source| WorkspaceError::Migration {
            path: path.to_path_buf(),
            name: name.to_string(),
            source,
        };
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(fail)?;
        // Another process may have migrated while we waited for the lock.
        if schema_version(&tx).map_err(fail)? >= version {
            continue;
        }
        tx.execute_batch(sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}
