//! `listwarden log [show ID | undo ID]`: the maintenance log, newest first, one entry's
//! field-level details, and undo of a reversible entry.

use super::Context;
use crate::maintenance::log::{self, Detail, Entry, Filter};
use crate::text::inert;
use crate::tui::queries::format_time;
use anyhow::{anyhow, Context as _};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print JSON for scripts.
    #[arg(long)]
    json: bool,
    /// Entries at or after DATE (YYYY-MM-DD, RFC 3339, or Nd for N days before now).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Entries before DATE (a bare date includes that whole day).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only entries of this kind (import, merge, fix, suppress, segment_save, ...).
    #[arg(long, value_name = "K")]
    kind: Option<String>,
    /// Only entries by this OS user.
    #[arg(long, value_name = "U")]
    user: Option<String>,
    /// At most N entries (newest first).
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: usize,
}

#[derive(clap::Subcommand)]
enum Command {
    /// One entry: its details, field-level before/after and the contacts it touched.
    Show {
        id: i64,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Undo a reversible entry (the undo is logged too).
    Undo { id: i64 },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    match args.command {
        Some(Command::Show { id, json }) => show(ctx, id, json),
        Some(Command::Undo { id }) => {
            let mut ws = ctx.open()?;
            let undo_id = log::undo(&mut ws, id)?;
            println!("Undid entry {id} (logged as entry {undo_id}).");
            Ok(())
        }
        None => list(ctx, &args),
    }
}

/// `DATE` as unix seconds: RFC 3339, a bare date (midnight UTC, or the next midnight when
/// `end_of_day`), or `Nd` for N days before the clock's now.
fn parse_date(ctx: &Context, text: &str, end_of_day: bool) -> anyhow::Result<i64> {
    let text = text.trim();
    if let Some(days) = text.strip_suffix('d').and_then(|n| n.parse::<i64>().ok()) {
        return Ok(ctx.clock.now_ts() - days.saturating_mul(86_400));
    }
    let at = crate::clock::Clock::parse(text)
        .map_err(|e| anyhow!("{e}, a date like 2026-01-01, or Nd"))?
        .now_ts();
    let bare = DateTime::parse_from_rfc3339(text).is_err();
    Ok(if bare && end_of_day { at + 86_400 } else { at })
}

/// Unix seconds as RFC 3339 UTC (`2026-01-01T10:00:00Z`).
pub fn rfc3339(at: i64) -> String {
    DateTime::<Utc>::from_timestamp(at, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| at.to_string())
}

fn list(ctx: &Context, args: &Args) -> anyhow::Result<()> {
    let filter = Filter {
        kind: args.kind.clone(),
        user: args.user.clone(),
        since: args
            .since
            .as_deref()
            .map(|d| parse_date(ctx, d, false))
            .transpose()
            .context("--since")?,
        until: args
            .until
            .as_deref()
            .map(|d| parse_date(ctx, d, true))
            .transpose()
            .context("--until")?,
        text: None,
    };
    let ws = ctx.open()?;
    let entries = log::page_with_details(ws.conn(), &filter, 0, args.limit)?;
    if args.json {
        let out: Vec<Value> = entries
            .into_iter()
            .map(|(e, details)| entry_json(&e, details))
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if entries.is_empty() {
        println!("No log entries.");
    }
    for (e, _) in &entries {
        println!("{}", line(e));
    }
    Ok(())
}

fn entry_json(e: &Entry, details: Option<Value>) -> Value {
    json!({
        "id": e.id,
        "at": rfc3339(e.at),
        "user": e.user,
        "kind": e.kind,
        "summary": e.summary,
        "details": details,
        "undoable": e.undoable,
        "undone_by": e.undone_by,
    })
}

/// One entry on one line: id, UTC time, user, kind, summary, undo state.
fn line(e: &Entry) -> String {
    let state = match e.undone_by {
        Some(by) => format!("  (undone by {by})"),
        None if e.undoable => "  (undoable)".to_string(),
        None => String::new(),
    };
    format!(
        "{:>6}  {} UTC  {:<12} {:<16} {}{state}",
        e.id,
        format_time(e.at),
        inert(&e.user),
        inert(&e.kind),
        inert(&e.summary)
    )
}

fn show(ctx: &Context, id: i64, json: bool) -> anyhow::Result<()> {
    let ws = ctx.open()?;
    let d: Detail = log::detail(ws.conn(), id)?.ok_or(log::LogError::NoEntry(id))?;
    if json {
        let mut out = entry_json(&d.entry, d.details.clone());
        out["undoes"] = json!(d.undoes);
        out["changes"] = serde_json::to_value(&d.changes)?;
        out["contacts"] = serde_json::to_value(&d.contacts)?;
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("{}", line(&d.entry));
    if let Some(of) = d.undoes {
        println!("Undoes entry {of}");
    }
    if let Some(details) = &d.details {
        println!("Details   {}", inert(&details.to_string()));
    }
    if !d.changes.is_empty() {
        println!("Changes");
        for c in &d.changes {
            println!(
                "  #{} {}: {} -> {}",
                c.contact_id,
                inert(&c.field),
                inert(c.before.as_deref().unwrap_or("(empty)")),
                inert(c.after.as_deref().unwrap_or("(empty)"))
            );
        }
    }
    if !d.contacts.is_empty() {
        println!("Contacts");
        for c in &d.contacts {
            println!(
                "  #{} {}",
                c.contact_id,
                inert(c.email.as_deref().unwrap_or("(gone)"))
            );
        }
    }
    Ok(())
}
