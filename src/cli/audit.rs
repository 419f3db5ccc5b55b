//! `listwarden audit [--json] [--report FILE.md]`: list-health findings and score.
//!
//! Every run is stored (score and breakdown) so the trend can be shown later.

use super::Context;
use crate::audit::{self, report};
use crate::text::inert;
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Print JSON for scripts: {"score", "contacts", "findings": [{"kind", "count", ...}]}.
    #[arg(long)]
    json: bool,
    /// Also write a Markdown report for a client to FILE.
    #[arg(long, value_name = "FILE.md")]
    report: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let now = ws.clock().now_ts();
    let result = audit::run(ws.conn(), now)?;
    let history = audit::history(ws.conn())?;
    audit::save_run(&mut ws, &result)?;
    if let Some(path) = &args.report {
        let text = report::markdown(&result, &history, &ws.path().display().to_string());
        std::fs::write(path, text).with_context(|| format!("writing report {}", path.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    println!(
        "List health {}/100 — {} contacts ({} suppressed), audited in {} ms",
        result.score, result.contacts, result.suppressed, result.duration_ms
    );
    if let Some(prev) = history.last() {
        println!("  previous audit: {}/100", prev.score);
    }
    println!();
    for f in &result.findings {
        if f.kind == audit::Kind::SegmentationOpportunity {
            continue;
        }
        println!(
            "{:<9} {:<22} {:>9} {:>6.1}%  {}",
            f.severity.as_str(),
            f.kind.as_str(),
            f.count,
            f.share * 100.0,
            f.title
        );
        for e in f.examples.iter().take(3) {
            println!(
                "          #{} {} — {}",
                e.contact_id,
                inert(e.email.as_deref().unwrap_or("(no email)")),
                inert(&e.detail)
            );
        }
    }
    if let Some(seg) = result.finding(audit::Kind::SegmentationOpportunity) {
        println!();
        println!("Fields to segment on:");
        for f in &seg.fields {
            println!(
                "  {:<22} {:>6.1}%  {}",
                inert(&f.field),
                f.share * 100.0,
                f.verdict
            );
        }
    }
    println!();
    let tiers: Vec<String> = result
        .tiers
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    println!("Engagement: {}", tiers.join(", "));
    if let Some(path) = &args.report {
        println!("Report written to {}", path.display());
    }
    Ok(())
}
