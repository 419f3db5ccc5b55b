//! Listwarden: keep an email-marketing contact list healthy.
//!
//! The library holds every capability; the `listwarden` binary only parses arguments and
//! hands over to [`cli`] (headless subcommands) or [`tui`] (the full-screen app).
//! Layers only look down: `cli`/`tui` → feature modules → `text` and `workspace`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod cli;
pub mod clock;
pub mod dedupe;
pub mod export;
pub mod import;
pub mod maintenance;
pub mod pipeline;
pub mod segment;
pub mod text;
pub mod tui;
pub mod workspace;
