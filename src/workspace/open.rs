//! Creating and connecting to the workspace file: permissions and pragmas.

use super::WorkspaceError;
use crate::clock::Clock;
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// How to open a workspace.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Create a new file readable and writable by the owner's group too (0660).
    pub group_shared: bool,
    /// The user recorded in the log; defaults to the OS user.
    pub user: Option<String>,
    /// The clock relative times use (`--now`).
    pub clock: Clock,
}

/// The OS user name recorded in the maintenance log: `USER`/`LOGNAME` as the login set
/// them, else the account of the process (cron jobs, containers and `su` often leave the
/// variables unset), so a shared workspace's log says who did what.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .or_else(|| whoami::fallible::username().ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Creates the file with restrictive permissions if it is missing, then connects.
pub(super) fn connect(path: &Path, options: &OpenOptions) -> Result<Connection, WorkspaceError> {
    if !path.exists() {
        create_private(path, options.group_shared).map_err(|source| WorkspaceError::Create {
            path: path.to_path_buf(),
            source,
        })?;
    }
    let conn = Connection::open(path).map_err(|source| WorkspaceError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    super::row_hash::register(&conn)?;
    enter_wal(&conn, super::WRITE_RETRY_FOR)?;
    conn.execute_batch("PRAGMA cache_size = -65536;")?;
    conn.execute_batch(EVERYDAY)?;
    // An import alone keeps a dozen statements in use per row, and rusqlite's default of
    // 16 had them evicting each other (re-parsed SQL was 2% of an import).
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// The settings every connection works with: foreign keys checked, small sorts in memory.
pub(super) const EVERYDAY: &str =
    "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF; PRAGMA temp_store = MEMORY;";

/// The settings of a bulk write (an import), for speed where the writer guarantees what the
/// checks would: foreign keys are not checked row by row (the importer only writes rows
/// that point at a contact or import it has just written or read in the same transaction),
/// nor `CHECK`s (statuses and event types come from the importer's own fixed vocabularies;
/// SQLite evaluates each `IN (...)` list by building a temporary table per row, which was
/// a third of an event's insert); and sorts (index builds over millions of keys) spill to
/// temporary files instead of memory.
pub(super) const BULK: &str =
    "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; PRAGMA temp_store = FILE;";

/// How long one statement waits for a lock another connection holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Puts the workspace in WAL mode — readers and one writer side by side — waiting up to
/// `patience` while a bulk write without it (see [`leave_wal`]) holds the file.
pub(super) fn enter_wal(conn: &Connection, patience: Duration) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        // journal_mode returns a row, so it is read rather than executed.
        match conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        }) {
            Err(e) if super::is_busy(&e) && started.elapsed() < patience => continue,
            Err(e) => return Err(e),
            Ok(_) => break,
        }
    }
    // Safe in WAL mode: a power cut can lose the last commits, never corrupt the file.
    conn.execute_batch("PRAGMA synchronous = NORMAL")
}

/// For a bulk write: leaves WAL mode when no other connection has the workspace open, so
/// the write goes to the file once instead of to the WAL and then again to the file (at
/// a million contacts, most of the commit). A rollback journal keeps the write atomic —
/// a killed import is rolled back by the next opener — and `synchronous = FULL` keeps it
/// durable in that mode. Returns whether it left; with anyone else connected it stays in
/// WAL at once (no waiting), so their reads go on. Someone opening the workspace meanwhile
/// waits for the write to end ([`enter_wal`]).
pub(super) fn leave_wal(conn: &Connection) -> rusqlite::Result<bool> {
    conn.busy_timeout(Duration::ZERO)?;
    let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |row| {
        row.get::<_, String>(0)
    });
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match mode {
        Ok(mode) if mode == "delete" => {
            conn.execute_batch("PRAGMA synchronous = FULL")?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(e) if super::is_busy(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn create_private(path: &Path, group_shared: bool) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if group_shared { 0o660 } else { 0o600 })
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private(path: &Path, _group_shared: bool) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}
