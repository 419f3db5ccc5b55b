//! Running one insert per row of a file with as little binding as possible.

use rusqlite::types::{ToSqlOutput, ValueRef};

/// An insert run once per row, binding only what changes from one row to the next. SQLite
/// keeps a statement's bound values from one run to the next, so what is the same for the
/// whole file (numbered from ?100) is bound once, and a value that is NULL for this row and
/// was for the one before is not bound again: with a few dozen values a row, binding was
/// half of inserting a contact.
pub(super) struct RowInsert<'tx> {
    stmt: rusqlite::Statement<'tx>,
    /// The row's values (?1, ?2, ...) bound to something other than NULL now, a bit each.
    bound: u64,
}

impl<'tx> RowInsert<'tx> {
    pub(super) fn new(
        mut stmt: rusqlite::Statement<'tx>,
        constants: &[(usize, ValueRef<'_>)],
    ) -> rusqlite::Result<RowInsert<'tx>> {
        for &(index, value) in constants {
            stmt.raw_bind_parameter(index, ToSqlOutput::Borrowed(value))?;
        }
        Ok(RowInsert { stmt, bound: 0 })
    }

    /// Binds `values` as ?1, ?2, ... and runs the insert (values past the 64th are bound
    /// every time).
    pub(super) fn run(&mut self, values: &[ValueRef<'_>]) -> rusqlite::Result<usize> {
        for (i, &value) in values.iter().enumerate() {
            let bit = u32::try_from(i).map_or(0, |i| 1u64.checked_shl(i).unwrap_or(0));
            let is_null = matches!(value, ValueRef::Null);
            if is_null && bit != 0 && self.bound & bit == 0 {
                continue;
            }
            self.stmt
                .raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(value))?;
            self.bound = if is_null {
                self.bound & !bit
            } else {
                self.bound | bit
            };
        }
        self.stmt.raw_execute()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value left out of a row is stored as NULL, never as what the row before had.
    #[test]
    fn a_row_insert_binds_what_changed_and_nothing_carries_over() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a, b, c, source)")
            .unwrap();
        let stmt = conn
            .prepare("INSERT INTO t (a, b, c, source) VALUES (?1, ?2, ?3, ?100)")
            .unwrap();
        let mut insert = RowInsert::new(stmt, &[(100, ValueRef::Text(b"file"))]).unwrap();
        let (null, x, z) = (ValueRef::Null, ValueRef::Text(b"x"), ValueRef::Text(b"z"));
        for row in [
            [ValueRef::Integer(1), x, null],
            [null, null, z],
            [ValueRef::Integer(2), null, null],
            [null, null, null],
        ] {
            insert.run(&row).unwrap();
        }
        let stored: Vec<String> = conn
            .prepare("SELECT quote(a) || ' ' || quote(b) || ' ' || quote(c) || ' ' || source FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            stored,
            [
                "1 'x' NULL file",
                "NULL NULL 'z' file",
                "2 NULL NULL file",
                "NULL NULL NULL file"
            ]
        );
    }
}
