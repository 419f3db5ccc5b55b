//! Writing out a bulk write's pages while it still has work to do.
//!
//! A first import leaves WAL mode (see `open::leave_wal`) and hands hundreds of megabytes
//! of pages straight to the workspace file; the OS keeps them in memory, and the commit's
//! `fsync` then writes them all out while everything waits (at a million contacts, 0.45 s
//! of the commit). Rebuilding the indexes and writing the rows put aside for a second pass
//! take a second before that, and the disk is idle meanwhile: [`during`] has another
//! thread ask the OS to write out what is there already, and the commit has little left
//! (0.15 s).
//!
//! Only pages SQLite has already written go out, ones the OS may write out at any moment
//! anyway, so this changes nothing about what a crash can leave. It is a hint: a failure is
//! ignored.
//!
//! The flush goes through SQLite's own descriptor of the file, found in `/proc/self/fd`.
//! Opening another one would not do: POSIX locks belong to the process, and closing *any*
//! descriptor of a file drops all of them — including the locks SQLite holds through its
//! own, which another process importing at the same time then walks through. Elsewhere than
//! Linux, [`during`] only runs the work.

use rusqlite::Connection;

/// Runs `work` while another thread has the OS write `conn`'s workspace file to disk, and
/// returns when both are done.
pub fn during<T>(conn: &Connection, work: impl FnOnce() -> T) -> T {
    match file_descriptor(conn) {
        Some(fd) => std::thread::scope(|scope| {
            scope.spawn(move || flush(fd));
            work()
        }),
        None => work(),
    }
}

/// A descriptor SQLite holds on `conn`'s main file; `None` for a database in memory.
#[cfg(target_os = "linux")]
fn file_descriptor(conn: &Connection) -> Option<i32> {
    let path = std::fs::canonicalize(conn.path().filter(|p| !p.is_empty())?).ok()?;
    std::fs::read_dir("/proc/self/fd")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let fd = entry.file_name().to_str()?.parse().ok()?;
            (std::fs::read_link(entry.path()).ok()? == path).then_some(fd)
        })
}

#[cfg(not(target_os = "linux"))]
fn file_descriptor(_conn: &Connection) -> Option<i32> {
    None
}

#[cfg(target_os = "linux")]
fn flush(fd: i32) {
    // SAFETY: fdatasync takes a number and touches no memory of this process. The
    // descriptor is SQLite's and stays open while its connection is inside a transaction,
    // as the caller's is; should another connection's be found and closed meanwhile, the
    // call fails (ignored) or flushes whatever file took the number, which is harmless.
    unsafe {
        libc::fdatasync(fd);
    }
}

#[cfg(not(target_os = "linux"))]
fn flush(_fd: i32) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_in_memory_has_nothing_to_write_out_and_the_work_still_runs() {
        let conn = Connection::open_in_memory().unwrap();
        assert_eq!(file_descriptor(&conn), None);
        assert_eq!(during(&conn, || 42), 42);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_descriptor_found_is_one_on_the_workspace_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        let fd = file_descriptor(&conn).expect("SQLite holds the file open");
        let target = std::fs::read_link(format!("/proc/self/fd/{fd}")).unwrap();
        assert_eq!(target, std::fs::canonicalize(&path).unwrap());
        let written = during(&conn, || conn.execute("INSERT INTO t VALUES (2)", []));
        assert_eq!(written.unwrap(), 1);
    }
}
