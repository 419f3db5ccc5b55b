//! `listwarden watch [DIR...] [--preset P] [--events] [--settle-ms N]`: import export files
//! as they appear in folders, until SIGTERM or Ctrl-C. Headless, for a server.
//!
//! Folders given are saved in the workspace (so the TUI watches them too) and watched;
//! with none, every saved folder is watched. One line per event on stdout; problems
//! (unreadable file, failed import, folder gone) are reported and logged, and the watcher
//! carries on.

use super::Context;
use crate::import::Kind;
use crate::maintenance::watch::{self, Folder, WatchEvent, Watcher};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Folders to watch (saved in the workspace); every saved folder when omitted.
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Platform preset of the files in DIR; detected per file when omitted.
    #[arg(long, value_name = "P")]
    preset: Option<String>,
    /// The files in DIR are events exports, not contacts.
    #[arg(long)]
    events: bool,
    /// How long a file must stay unchanged (size and time) before it is imported.
    #[arg(
        long,
        value_name = "MS",
        env = "LISTWARDEN_SETTLE_MS",
        default_value_t = 1000
    )]
    settle_ms: u64,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let kind = if args.events {
        Kind::Events
    } else {
        Kind::Contacts
    };
    let mut folders = Vec::new();
    for dir in &args.dirs {
        let folder = Folder {
            path: dir.clone(),
            kind,
            preset: args.preset.clone(),
        };
        folders.push(watch::save_folder(&mut ws, &folder)?);
    }
    if folders.is_empty() {
        folders = watch::saved_folders(ws.conn())?;
    }
    if folders.is_empty() {
        anyhow::bail!("no folder to watch: name one, e.g. `listwarden watch exports/`");
    }
    for f in &folders {
        say(&format!(
            "watching {} ({}, preset {})",
            f.path.display(),
            f.kind.as_str(),
            f.preset.as_deref().unwrap_or("detected per file")
        ));
    }
    let (_watcher, events) = Watcher::start(folders, Duration::from_millis(args.settle_ms))?;
    while !stop.load(Ordering::Relaxed) {
        let Ok(event) = events.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        match &event {
            WatchEvent::Watching { .. } => {}
            WatchEvent::Ready { folder, path } => {
                for file in watch::import_ready(&mut ws, folder, path, &mut |_| {}, &stop) {
                    match file {
                        Ok(lines) => lines.iter().for_each(|l| say(l)),
                        Err(message) => say(&format!("failed {message}")),
                    }
                }
            }
            other => {
                say(&other.describe());
                if let Err(e) = watch::log_event(&mut ws, other) {
                    say(&format!("error: cannot log: {e}"));
                }
            }
        }
    }
    say("stopped");
    Ok(())
}

/// One line on stdout, flushed at once (stdout is usually a pipe or a journal).
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", crate::text::inert(line));
    let _ = out.flush();
}
