//! `listwarden review [--report FILE.md] [--json] [--record [--note TEXT]] [--interval I]`:
//! what changed since the last review, as Markdown (stdout or a file) or JSON.
//!
//! `--interval` sets the schedule (monthly, quarterly, Nd) first; `--record` stores this
//! review (logged) so the next one counts from here.

use super::Context;
use crate::maintenance::review::{self, Schedule};

#[derive(clap::Args)]
pub struct Args {
    /// Write the Markdown report to FILE instead of printing it.
    #[arg(long, value_name = "FILE.md")]
    report: Option<std::path::PathBuf>,
    /// Print the review as JSON.
    #[arg(long)]
    json: bool,
    /// Record this review: the next one counts from now.
    #[arg(long)]
    record: bool,
    /// A note stored with the recorded review.
    #[arg(long, value_name = "TEXT", requires = "record")]
    note: Option<String>,
    /// How often a review is due: monthly, quarterly or a number of days like 14d.
    #[arg(long, value_name = "I", value_parser = Schedule::parse)]
    interval: Option<Schedule>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    if let Some(schedule) = &args.interval {
        review::set_schedule(&mut ws, schedule)?;
    }
    let r = review::review(ws.conn(), ws.clock().now_ts())?;
    let md = review::to_markdown(&r, &ctx.db.display().to_string());
    if let Some(path) = &args.report {
        std::fs::write(path, &md)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else if let Some(path) = &args.report {
        println!("report written to {}", path.display());
    } else {
        print!("{md}");
    }
    if args.record {
        let id = review::record(&mut ws, &r, args.note.as_deref().unwrap_or(""))?;
        let next = review::due_at(ws.conn())?;
        eprintln!(
            "review #{id} recorded; next due {}",
            next.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "after the first import".into())
        );
    }
    Ok(())
}
