//! The hash that tells one contact's stored source rows apart.
//!
//! An import stores a row for a contact only if that contact holds no identical row yet, so
//! re-importing an export adds nothing. The check compares a hash of the row's raw values
//! (`source_records.raw`, as stored) instead of the values themselves. It only has to
//! separate the handful of rows one contact has, so 64 bits of XXH3 (a fixed, published
//! algorithm: a hash written today matches one computed by any later build) are plenty, and
//! it is cheap on rows of a few hundred bytes. It is stored as 8 bytes, in the row and in
//! its index.
//!
//! The same function is registered in SQL as `listwarden_row_hash(raw)`, so a migration can
//! rehash rows already stored.

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

/// The stored hash of a row whose raw values (as stored) are `raw`.
pub fn of(raw: &[u8]) -> [u8; 8] {
    xxhash_rust::xxh3::xxh3_64(raw).to_be_bytes()
}

/// Makes [`of`] callable from SQL on this connection as `listwarden_row_hash(raw)`.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "listwarden_row_hash",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let raw = match ctx.get_raw(0) {
                ValueRef::Text(bytes) | ValueRef::Blob(bytes) => bytes,
                _ => &[],
            };
            Ok(of(raw).to_vec())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_and_rust_hash_a_row_alike() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let raw = r#"["ann@example.com","Ann","Müller"]"#;
        let in_sql: Vec<u8> = conn
            .query_row("SELECT listwarden_row_hash(?1)", [raw], |r| r.get(0))
            .unwrap();
        assert_eq!(in_sql, of(raw.as_bytes()));
        assert_ne!(
            of(raw.as_bytes()),
            of(br#"["ann@example.com","Ann","Muller"]"#)
        );
    }

    /// The hash is part of the file format: rows stored by earlier builds must keep
    /// matching, so the function may never change.
    #[test]
    fn the_hash_of_a_row_never_changes() {
        assert_eq!(of(b""), 0x2d06800538d394c2u64.to_be_bytes());
        assert_eq!(of(b"abc"), 0x78af5f94892f3950u64.to_be_bytes());
    }
}
