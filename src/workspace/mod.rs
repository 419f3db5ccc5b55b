//! The workspace: one SQLite file holding contacts, their sources and behaviour, segments
//! and the maintenance log.
//!
//! Opening applies the embedded migrations, sets WAL and a busy timeout, and creates the file
//! readable by its owner only (0600), or by the owner's group (0660) when asked. Every write
//! goes through [`Workspace::write`], which starts `BEGIN IMMEDIATE` and retries while
//! another process holds the write lock — so several TUIs, a watcher and cron jobs can share
//! one file without "database is locked" reaching a user.

pub mod indexes;
pub mod keys;
mod log;
mod migrate;
mod open;
pub mod row_hash;
pub mod writeback;

pub use log::{append_log, LogEntry};
pub use migrate::{schema_version, SUPPORTED_VERSION};
pub use open::{os_user, OpenOptions};

use crate::clock::Clock;
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Default workspace file when neither `--db` nor `LISTWARDEN_DB` is given.
pub const DEFAULT_PATH: &str = "listwarden.db";

/// How long a writer keeps retrying while another process holds the write lock.
const WRITE_RETRY_FOR: Duration = Duration::from_secs(120);

/// What can go wrong opening or writing a workspace.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("cannot open workspace {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create workspace {path}: {source}")]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "workspace {path} was written by a newer Listwarden (schema {found}, this version knows up to {supported}); upgrade Listwarden to open it"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("migration {name} failed on {path}: {source}")]
    Migration {
        path: PathBuf,
        name: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("workspace {path} stayed locked by another process for {secs} s; try again")]
    Busy { path: PathBuf, secs: u64 },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// An open workspace: the connection plus who is working and what time it is.
pub struct Workspace {
    conn: Connection,
    path: PathBuf,
    user: String,
    clock: Clock,
}

impl Workspace {
    /// Opens (creating if needed) the workspace at `path` and brings its schema up to date.
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Self, WorkspaceError> {
        let conn = open::connect(path, options)?;
        migrate::apply(&conn, path)?;
        Ok(Workspace {
            conn,
            path: path.to_path_buf(),
            user: options.user.clone().unwrap_or_else(os_user),
            clock: options.clock,
        })
    }

    /// The read connection. Writes must go through [`Workspace::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The file this workspace lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The OS user recorded on every log entry.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The clock every relative time in this session uses.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, committing when it returns `Ok`
    /// and rolling back otherwise. Waits (with retries) while another process writes.
    pub fn write<T, E>(
        &mut self,
        body: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<WorkspaceError> + From<rusqlite::Error>,
    {
        let started = Instant::now();
        let tx = loop {
            match self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
            {
                Ok(tx) => break tx,
                Err(e) if is_busy(&e) && started.elapsed() < WRITE_RETRY_FOR => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) if is_busy(&e) => {
                    return Err(WorkspaceError::Busy {
                        path: self.path.clone(),
                        secs: WRITE_RETRY_FOR.as_secs(),
                    }
                    .into())
                }
                Err(e) => return Err(e.into()),
            }
        };
        let value = body(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// [`Workspace::write`] with the connection set up for a bulk write (see
    /// `open::BULK`, and [`open::leave_wal`] when nobody else has the workspace open) and
    /// set back afterwards, whatever the outcome.
    pub fn write_bulk<T, E>(
        &mut self,
        body: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<WorkspaceError> + From<rusqlite::Error>,
    {
        self.conn.execute_batch(open::BULK)?;
        let left_wal = open::leave_wal(&self.conn)?;
        let result = self.write(body);
        if left_wal {
            // Whatever the write's outcome, and it has been committed or rolled back by
            // now: if someone else holds the file, whoever opens it next restores WAL.
            let _ = open::enter_wal(&self.conn, WRITE_RETRY_FOR);
        }
        self.conn.execute_batch(open::EVERYDAY)?;
        result
    }

    /// SQLite's `data_version`: changes whenever another connection commits, so a TUI can
    /// poll it cheaply and refresh.
    pub fn data_version(&self) -> rusqlite::Result<i64> {
        self.conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))
    }
}

/// Whether an error means another connection holds the lock.
pub fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_ws() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        (dir, ws)
    }

    #[test]
    fn a_new_workspace_has_the_latest_schema_and_wal() {
        let (_dir, ws) = temp_ws();
        assert_eq!(schema_version(ws.conn()).unwrap(), SUPPORTED_VERSION);
        let mode: String = ws
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_workspace_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, _ws) = temp_ws();
        let mode = std::fs::metadata(dir.path().join("w.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let (_dir, mut ws) = temp_ws();
        let result: Result<(), WorkspaceError> = ws.write(|tx| {
            append_log(tx, "tester", 1, &LogEntry::new("test", "half"))?;
            Err(rusqlite::Error::InvalidQuery.into())
        });
        assert!(result.is_err());
        let n: i64 = ws
            .conn()
            .query_row("SELECT count(*) FROM maintenance_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    fn journal_mode(conn: &Connection) -> String {
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    }

    fn log_entries(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM maintenance_log", [], |r| r.get(0))
            .unwrap()
    }

    /// A bulk write alone skips the WAL and puts it back after, done or failed; with
    /// another connection open it stays in WAL (that connection keeps reading).
    #[test]
    fn bulk_writes_leave_the_workspace_in_wal_mode_whatever_happens() {
        let (dir, mut ws) = temp_ws();
        let seen = std::cell::Cell::new(String::new());
        let done: Result<(), WorkspaceError> = ws.write_bulk(|tx| {
            seen.set(journal_mode(tx));
            append_log(tx, "tester", 1, &LogEntry::new("test", "alone"))?;
            Ok(())
        });
        done.unwrap();
        assert_eq!(seen.take(), "delete");
        assert_eq!(journal_mode(ws.conn()), "wal");
        let failed: Result<(), WorkspaceError> = ws.write_bulk(|tx| {
            append_log(tx, "tester", 2, &LogEntry::new("test", "half"))?;
            Err(rusqlite::Error::InvalidQuery.into())
        });
        assert!(failed.is_err());
        assert_eq!(
            (journal_mode(ws.conn()), log_entries(ws.conn())),
            ("wal".into(), 1)
        );

        let other = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        let shared: Result<(), WorkspaceError> = ws.write_bulk(|tx| {
            seen.set(journal_mode(tx));
            append_log(tx, "tester", 3, &LogEntry::new("test", "shared"))?;
            Ok(())
        });
        shared.unwrap();
        assert_eq!(seen.take(), "wal");
        assert_eq!(log_entries(other.conn()), 2);
    }

    #[test]
    fn reopening_is_a_no_op() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        drop(Workspace::open(&path, &OpenOptions::default()).unwrap());
        let ws = Workspace::open(&path, &OpenOptions::default()).unwrap();
        assert_eq!(schema_version(ws.conn()).unwrap(), SUPPORTED_VERSION);
    }

    #[test]
    fn a_workspace_from_a_newer_version_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let ws = Workspace::open(&path, &OpenOptions::default()).unwrap();
        ws.conn()
            .pragma_update(None, "user_version", SUPPORTED_VERSION + 1)
            .unwrap();
        drop(ws);
        let err = Workspace::open(&path, &OpenOptions::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("newer Listwarden"), "{err}");
    }
}
