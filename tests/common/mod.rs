//! A temporary workspace and the real `listwarden` binary, for integration tests.
#![allow(dead_code)]

pub mod screen;
pub mod tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_listwarden");

/// Asserts that the run of `listwarden args` succeeded (showing its output otherwise) and
/// returns its stdout.
pub fn succeeded(args: &[&str], out: &Output) -> String {
    assert!(
        out.status.success(),
        "listwarden {args:?} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The binary on the workspace `db` (`--db`), in the test's own environment and clock.
pub fn binary_on(db: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db").arg(db);
    cmd
}

/// Runs the binary on `db` with `args`, asserting success; returns stdout.
pub fn cli(db: &Path, args: &[&str]) -> String {
    let out = binary_on(db).args(args).output().expect("run listwarden");
    succeeded(args, &out)
}

/// [`cli`] as OS user `user` (whom the maintenance log names).
pub fn cli_as(db: &Path, user: &str, args: &[&str]) -> String {
    let out = binary_on(db)
        .env("USER", user)
        .args(args)
        .output()
        .expect("run listwarden");
    succeeded(args, &out)
}

/// Writes `text` to the CSV file `csv` and imports it into `db` with the CLI.
pub fn import_csv(db: &Path, csv: &Path, text: &str) -> String {
    std::fs::write(csv, text).expect("write CSV");
    cli(db, &["import", csv.to_str().expect("UTF-8 path")])
}

/// The key that shows the pane titled `title`: its place in the pane bar, from 1.
pub fn pane_key(title: &str) -> String {
    let index = listwarden::tui::panes::all()
        .iter()
        .position(|p| p.title() == title)
        .unwrap_or_else(|| panic!("no pane titled {title:?}"));
    (index + 1).to_string()
}

pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("work.db")
    }

    /// Writes a file into the work dir and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// The binary with this workspace and a pinned clock.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env("LISTWARDEN_DB", self.db())
            .env("LISTWARDEN_NOW", "2026-01-01T00:00:00Z")
            .env_remove("NO_COLOR")
            .current_dir(self.dir.path());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run listwarden")
    }

    /// Runs and asserts success, returning stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        succeeded(args, &self.run(args))
    }

    /// [`Workdir::ok`] on another workspace file `db` of this work dir.
    pub fn ok_on(&self, db: &str, args: &[&str]) -> String {
        let out = self
            .command()
            .env("LISTWARDEN_DB", self.path(db))
            .args(args)
            .output()
            .expect("run listwarden");
        succeeded(args, &out)
    }

    /// Runs and asserts failure, returning stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "listwarden {args:?} should have failed:\nstdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "panic: {stderr}");
        stderr
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    pub fn stats(&self) -> serde_json::Value {
        self.json(&["stats", "--json"])
    }

    /// Runs a query on the workspace directly.
    pub fn query_i64(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.db()).expect("open db");
        conn.query_row(sql, [], |r| r.get(0)).expect("query")
    }
}

/// The repository's demo-data folder.
pub fn demo_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("demo-data")
        .join(name)
}
