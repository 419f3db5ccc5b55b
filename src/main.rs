//! `listwarden`: argument parsing only; everything else lives in the library.

use clap::{Parser, Subcommand};
use listwarden::cli;
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keep an email-marketing contact list healthy: audit, clean, deduplicate, segment, maintain.
#[derive(Parser)]
#[command(name = "listwarden", version, about)]
struct Cli {
    /// Workspace file (created 0600 if missing).
    #[arg(long, global = true, env = "LISTWARDEN_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Pin "now" for every relative time (RFC 3339), for reproducible results.
    #[arg(long, global = true, env = "LISTWARDEN_NOW", value_name = "RFC3339")]
    now: Option<String>,
    /// Create a new workspace readable and writable by your group (0660) instead of 0600.
    #[arg(long, global = true)]
    group_shared: bool,
    /// Colour theme of the TUI: dark, light, high-contrast, mono or one of your own
    /// (NO_COLOR forces mono).
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Build a demo workspace from bundled platform exports and open it in the TUI.
    Demo(cli::demo::Args),
    /// Audit list health: findings, score, optional Markdown report.
    Audit(cli::audit::Args),
    /// Import platform exports (contacts, or events with --events).
    Import(cli::import::Args),
    /// Find, review, merge and unmerge duplicate contacts.
    Dedupe(cli::dedupe::Args),
    /// Contacts by status and source, events by type, imports.
    Stats(cli::stats::Args),
    /// Count, save, list, show and delete segments.
    Segment(cli::segment::Args),
    /// Export a segment (or the suppression list) for a mailing platform.
    Export(cli::export::Args),
    /// The maintenance log: list changes, show one, undo a reversible one.
    Log(cli::log::Args),
    /// What changed since the last review, as a Markdown report; record reviews.
    Review(cli::review::Args),
    /// Import export files as they appear in folders, until stopped (SIGTERM, Ctrl-C).
    Watch(cli::watch::Args),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    without_huge_pages();
    let args = Cli::parse();
    let result = cli::Context::new(args.db, args.now.as_deref(), args.group_shared).and_then(
        |ctx| match args.command {
            Some(Command::Demo(a)) => cli::demo::run(&ctx, a),
            Some(Command::Audit(a)) => cli::audit::run(&ctx, a),
            Some(Command::Import(a)) => cli::import::run(&ctx, a),
            Some(Command::Stats(a)) => cli::stats::run(&ctx, a),
            Some(Command::Dedupe(a)) => cli::dedupe::run(&ctx, a),
            Some(Command::Segment(a)) => cli::segment::run(&ctx, a),
            Some(Command::Export(a)) => cli::export::run(&ctx, a),
            Some(Command::Log(a)) => cli::log::run(&ctx, a),
            Some(Command::Review(a)) => cli::review::run(&ctx, a),
            Some(Command::Watch(a)) => cli::watch::run(&ctx, a),
            None => listwarden::tui::run(&ctx, args.theme),
        },
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("listwarden: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Transparent huge pages off for this process. The allocator asks the kernel for them,
/// and the kernel zeroes each one whole (2 MB) the first time it is touched — costly on
/// the virtual machines shared servers run on. Measured here without them: the audit of
/// 1M contacts 20% faster, the duplicate scan of 100k 29%, an import of 1M no slower and
/// 20 MB smaller at its peak (BENCHMARKS.md, session 20). mimalloc itself does the same
/// when its `allow_thp` option is off.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes only integers and touches no memory of this
    // process; on a kernel without it the call fails, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// `listwarden stats | head` must end quietly, like any Unix tool, instead of panicking on
/// a closed stdout: Rust ignores SIGPIPE by default, so restore the default action.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
