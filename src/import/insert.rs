//! Running one insert (or update) per row of a file with as little binding as possible.

use rusqlite::types::{ToSqlOutput, ValueRef};

/// An insert or update run once per row, binding only what changes from one row to the
/// next. SQLite keeps a statement's bound values from one run to the next, so what is the
/// same for the whole file (numbered from ?100) is bound once, and a value that is NULL for
/// this row and was for the one before is not bound again: with a few dozen values a row,
/// binding was half of inserting a contact.
pub(super) struct RowWrite<'tx> {
    stmt: rusqlite::Statement<'tx>,
    /// The row's values (?1, ?2, ...) bound to something other than NULL now, a bit each.
    bound: u64,
}

impl<'tx> RowWrite<'tx> {
    pub(super) fn new(
        mut stmt: rusqlite::Statement<'tx>,
        constants: &[(usize, ValueRef<'_>)],
    ) -> rusqlite::Result<RowWrite<'tx>> {
        for &(index, value) in constants {
            stmt.raw_bind_parameter(index, ToSqlOutput::Borrowed(value))?;
        }
        Ok(RowWrite { stmt, bound: 0 })
    }

    /// Binds `values` as ?1, ?2, ... and runs the statement (values past the 64th are
    /// bound every time).
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

/// Inserts of several rows at once that share their first values — the fields an import
/// changed on a contact, new contacts' tags: one statement per number of rows up to a
/// maximum, each prepared when first needed. Running a statement costs about as much as
/// inserting a few narrow rows.
pub(super) struct RowsInsert<'tx> {
    tx: &'tx rusqlite::Transaction<'tx>,
    /// `INSERT ... INTO table (columns)`, the shared columns first.
    head: &'static str,
    shared: usize,
    per_row: usize,
    max_rows: usize,
    by_count: Vec<Option<rusqlite::Statement<'tx>>>,
}

impl<'tx> RowsInsert<'tx> {
    /// Inserts by `head`, whose columns are `shared` values common to the rows and then
    /// `per_row` values of each row, at most `max_rows` rows a statement.
    pub(super) fn new(
        tx: &'tx rusqlite::Transaction<'tx>,
        head: &'static str,
        (shared, per_row): (usize, usize),
        max_rows: usize,
    ) -> RowsInsert<'tx> {
        RowsInsert {
            tx,
            head,
            shared,
            per_row,
            max_rows: max_rows.max(1),
            by_count: Vec::new(),
        }
    }

    /// Inserts the rows whose values follow one another in `rows` (`per_row` each), each
    /// after the `shared` ones. Returns how many went in (an `OR IGNORE` head may skip
    /// some).
    pub(super) fn run(
        &mut self,
        shared: &[ValueRef<'_>],
        rows: &[ValueRef<'_>],
    ) -> rusqlite::Result<usize> {
        debug_assert_eq!(
            rows.len() % self.per_row,
            0,
            "rows of {} values",
            self.per_row
        );
        let mut inserted = 0;
        for chunk in rows.chunks(self.max_rows * self.per_row) {
            let stmt = self.statement(chunk.len() / self.per_row)?;
            for (i, &value) in shared.iter().chain(chunk).enumerate() {
                stmt.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(value))?;
            }
            inserted += stmt.raw_execute()?;
        }
        Ok(inserted)
    }

    /// The statement inserting `n` rows (1 ≤ n ≤ `max_rows`).
    fn statement(&mut self, n: usize) -> rusqlite::Result<&mut rusqlite::Statement<'tx>> {
        if self.by_count.len() < n {
            self.by_count.resize_with(n, || None);
        }
        let (shared, per_row) = (self.shared, self.per_row);
        match &mut self.by_count[n - 1] {
            Some(stmt) => Ok(stmt),
            slot => {
                let row = |r: usize| {
                    let own = (0..per_row).map(|i| shared + r * per_row + i + 1);
                    let all: Vec<String> =
                        (1..=shared).chain(own).map(|i| format!("?{i}")).collect();
                    format!("({})", all.join(", "))
                };
                let rows: Vec<String> = (0..n).map(row).collect();
                let sql = format!("{} VALUES {}", self.head, rows.join(", "));
                Ok(slot.insert(self.tx.prepare(&sql)?))
            }
        }
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
        let mut insert = RowWrite::new(stmt, &[(100, ValueRef::Text(b"file"))]).unwrap();
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

    /// However many rows, each goes in once with the shared values, and a skipped one
    /// is not counted.
    #[test]
    fn rows_inserted_together_each_get_the_shared_values() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (owner, a, b, UNIQUE (owner, a))")
            .unwrap();
        let tx = conn.transaction().unwrap();
        let mut insert = RowsInsert::new(&tx, "INSERT OR IGNORE INTO t (owner, a, b)", (1, 2), 8);
        let values: Vec<i64> = (0..22).collect();
        let rows: Vec<ValueRef<'_>> = values.iter().map(|&v| ValueRef::Integer(v)).collect();
        assert_eq!(insert.run(&[ValueRef::Integer(7)], &rows).unwrap(), 11);
        assert_eq!(insert.run(&[ValueRef::Integer(7)], &rows[..4]).unwrap(), 0);
        assert_eq!(insert.run(&[ValueRef::Integer(8)], &rows[..2]).unwrap(), 1);
        drop(insert);
        let stored: Vec<(i64, i64, i64)> = tx
            .prepare("SELECT owner, a, b FROM t ORDER BY owner, a")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<(i64, i64, i64)> = (0..11)
            .map(|i| (7, 2 * i, 2 * i + 1))
            .chain([(8, 0, 1)])
            .collect();
        assert_eq!(stored, expected);
    }
}
