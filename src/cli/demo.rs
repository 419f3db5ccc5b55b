//! `listwarden demo`: builds a fresh demo workspace from the embedded demo-data/ exports and
//! opens it, without touching the user's own workspace.
//!
//! The exports are compiled into the binary so the demo works from any directory. The demo
//! workspace lives in the user's state directory and is rebuilt on every run; its clock is
//! pinned to the date the exports were made (unless `--now` is given), so the demo reads the
//! same on any day.

use super::Context;
use crate::clock::Clock;
use crate::import::{Kind, Options, Summary};
use crate::pipeline;
use crate::segment::{self, Image, TEMPLATES};
use anyhow::Context as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The day the demo exports describe (see demo-data/make_demo.py).
pub const DEMO_NOW: &str = "2026-11-01T00:00:00Z";

/// How many of the segment templates the demo saves, so its Segments pane is not empty.
const DEMO_SEGMENTS: usize = 8;

/// The demo exports, in the order they are imported, with what they hold.
const FILES: &[(&str, &[u8], Kind)] = &[
    (
        "mailchimp_subscribed.csv",
        include_bytes!("../../demo-data/mailchimp_subscribed.csv"),
        Kind::Contacts,
    ),
    (
        "mailchimp_unsubscribed.csv",
        include_bytes!("../../demo-data/mailchimp_unsubscribed.csv"),
        Kind::Contacts,
    ),
    (
        "mailchimp_cleaned.csv",
        include_bytes!("../../demo-data/mailchimp_cleaned.csv"),
        Kind::Contacts,
    ),
    (
        "hubspot_contacts.csv",
        include_bytes!("../../demo-data/hubspot_contacts.csv"),
        Kind::Contacts,
    ),
    (
        "cleverreach_export.csv",
        include_bytes!("../../demo-data/cleverreach_export.csv"),
        Kind::Contacts,
    ),
    (
        "events.csv",
        include_bytes!("../../demo-data/events.csv"),
        Kind::Events,
    ),
];

#[derive(clap::Args)]
pub struct Args {
    /// Where to build the demo workspace (default: your state directory).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Build the workspace and print its path without opening the TUI.
    #[arg(long)]
    no_open: bool,
}

/// The default home of the demo: `$XDG_STATE_HOME/listwarden`, else
/// `~/.local/state/listwarden`, else the temp directory.
fn default_dir() -> PathBuf {
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir)
        .join("listwarden")
}

/// Builds the demo workspace at `db` (replacing an older demo there) and returns the
/// context that opens it.
pub fn build(ctx: &Context, db: &Path) -> anyhow::Result<(Context, Vec<Summary>)> {
    let dir = db.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let exports = dir.join("demo-exports");
    std::fs::create_dir_all(&exports).with_context(|| format!("creating {}", exports.display()))?;
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", db.display()));
        if file.exists() {
            std::fs::remove_file(&file)
                .with_context(|| format!("removing the old demo {}", file.display()))?;
        }
    }
    let clock = if ctx.clock == Clock::system() {
        Clock::parse(DEMO_NOW).map_err(anyhow::Error::msg)?
    } else {
        ctx.clock
    };
    let demo_ctx = Context {
        db: db.to_path_buf(),
        clock,
        group_shared: ctx.group_shared,
    };
    let mut ws = demo_ctx.open()?;
    // Saved before the imports, so every import's refresh records who entered.
    let empty = Image::load(ws.conn())?;
    for template in TEMPLATES.iter().take(DEMO_SEGMENTS) {
        segment::save(&mut ws, &empty, template.name, template.rule)?;
    }
    let cancel = AtomicBool::new(false);
    let mut summaries = Vec::new();
    for (name, bytes, kind) in FILES {
        let path = exports.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        let options = Options {
            kind: *kind,
            preset: None,
            name: None,
        };
        summaries
            .push(pipeline::import_file(&mut ws, &path, &options, &mut |_| {}, &cancel)?.summary);
    }
    // Scanned, so the Duplicates pane opens on a queue of pairs to review.
    crate::dedupe::scan::scan(&mut ws, &cancel, &mut |_| {})?;
    Ok((demo_ctx, summaries))
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let db = args.out.unwrap_or_else(|| default_dir().join("demo.db"));
    let (demo_ctx, summaries) = build(ctx, &db)?;
    if args.no_open {
        for s in &summaries {
            println!("{s}");
        }
        println!("demo workspace: {}", db.display());
        return Ok(());
    }
    crate::tui::run(&demo_ctx, None)
}
