//! Headless subcommands, one module each, thin over the library.
//!
//! Every subcommand prints for people by default and for machines with `--json`/`--csv`;
//! errors go to stderr and make the exit code non-zero (handled in `main`).

use crate::clock::Clock;
use crate::workspace::{OpenOptions, Workspace, DEFAULT_PATH};
use anyhow::Context as _;
use std::path::PathBuf;

/// What every subcommand gets from the global flags.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--db` / `LISTWARDEN_DB`, else [`DEFAULT_PATH`].
    pub db: PathBuf,
    /// `--now` / `LISTWARDEN_NOW`, else the system clock.
    pub clock: Clock,
    /// `--group-shared`: create a new workspace readable by the owner's group.
    pub group_shared: bool,
}

impl Context {
    /// Builds the context from the raw global flags.
    pub fn new(db: Option<PathBuf>, now: Option<&str>, group_shared: bool) -> anyhow::Result<Self> {
        let clock = match now {
            Some(text) => Clock::parse(text).map_err(|e| anyhow::anyhow!("--now: {e}"))?,
            None => Clock::system(),
        };
        Ok(Context {
            db: db.unwrap_or_else(|| PathBuf::from(DEFAULT_PATH)),
            clock,
            group_shared,
        })
    }

    /// Opens (creating if needed) the workspace the flags name.
    pub fn open(&self) -> anyhow::Result<Workspace> {
        let options = OpenOptions {
            group_shared: self.group_shared,
            user: None,
            clock: self.clock,
        };
        Workspace::open(&self.db, &options)
            .with_context(|| format!("opening workspace {}", self.db.display()))
    }
}
pub mod audit;
pub mod dedupe;
pub mod demo;
pub mod export;
pub mod import;
pub mod log;
pub mod review;
pub mod segment;
pub mod stats;
pub mod watch;
