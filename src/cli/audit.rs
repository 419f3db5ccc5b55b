//! `listwarden audit [--json] [--report FILE.md]`: list-health findings and score; and the
//! actions on findings for scripts (`fix`, `suppress`, `ignore`, `forget`, `undo`) — the
//! Audit pane is where people usually act.
//!
//! Every audit is stored (score and breakdown) so the trend can be shown later.

use super::Context;
use crate::audit::{self, report};
use crate::text::inert;
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Print JSON for scripts: {"score", "contacts", "findings": [{"kind", "count", ...}]}.
    #[arg(long)]
    json: bool,
    /// Also write a Markdown report for a client to FILE.
    #[arg(long, value_name = "FILE.md")]
    report: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Apply the suggested fix of a finding (email_typo, formatting, unsubscribed_conflict).
    Fix {
        /// Finding kind id.
        kind: String,
        /// Contact ids.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Put contacts on the suppression list.
    Suppress {
        /// Why (kept with the suppression and in the log).
        #[arg(long)]
        reason: String,
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Stop counting a finding for these contacts.
    Ignore {
        kind: String,
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Erase a contact on request. Cannot be undone.
    Forget {
        id: i64,
        /// Confirm that the erasure cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// Undo an audit change by its log entry id.
    Undo { log_id: i64 },
    /// Show the workspace's audit settings as JSON, or change some with --set.
    Settings {
        /// JSON object of settings to change, e.g. '{"inactive_days": 365,
        /// "required_fields": ["company"]}'.
        #[arg(long, value_name = "JSON")]
        set: Option<String>,
    },
}

fn kind(id: &str) -> anyhow::Result<audit::Kind> {
    audit::Kind::parse(id).ok_or_else(|| {
        let ids: Vec<&str> = audit::Kind::ALL.iter().map(|k| k.as_str()).collect();
        anyhow::anyhow!("unknown finding `{id}`; one of: {}", ids.join(", "))
    })
}

fn act(ctx: &Context, action: Action) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let log_id = match action {
        Action::Fix { kind: k, ids } => audit::apply_fix(&mut ws, kind(&k)?, &ids)?,
        Action::Suppress { reason, ids } => audit::suppress(&mut ws, &ids, &reason)?,
        Action::Ignore { kind: k, ids } => audit::ignore(&mut ws, kind(&k)?, &ids)?,
        Action::Forget { id, yes } => {
            if !yes {
                anyhow::bail!(
                    "forgetting erases contact {id}'s personal data for good and cannot be undone; add --yes to confirm"
                );
            }
            audit::forget(&mut ws, id)?
        }
        Action::Undo { log_id } => audit::undo(&mut ws, log_id)?,
        Action::Settings { set } => return settings(&mut ws, set.as_deref()),
    };
    println!("{log_id}");
    Ok(())
}

/// Prints the settings, after merging `set` (a JSON object) into them when given: one
/// logged, undoable-by-hand change (the log keeps the previous settings).
fn settings(ws: &mut crate::workspace::Workspace, set: Option<&str>) -> anyhow::Result<()> {
    let current = audit::Settings::load(ws.conn())?;
    let Some(set) = set else {
        println!("{}", serde_json::to_string_pretty(&current)?);
        return Ok(());
    };
    let patch: serde_json::Value =
        serde_json::from_str(set).context("--set expects a JSON object")?;
    let mut merged = serde_json::to_value(&current)?;
    let (Some(target), Some(changes)) = (merged.as_object_mut(), patch.as_object()) else {
        anyhow::bail!("--set expects a JSON object");
    };
    for (key, value) in changes {
        if !target.contains_key(key) {
            let known: Vec<&String> = target.keys().collect();
            anyhow::bail!("unknown setting `{key}`; known: {known:?}");
        }
        target.insert(key.clone(), value.clone());
    }
    let next: audit::Settings = serde_json::from_value(merged).context("invalid settings")?;
    next.validate()?;
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    ws.write(|tx| -> anyhow::Result<()> {
        next.save(tx)?;
        crate::workspace::append_log(
            tx,
            &user,
            now,
            &crate::workspace::LogEntry::new("audit_settings", "changed audit settings")
                .with_details(serde_json::json!({"before": current, "after": next})),
        )?;
        Ok(())
    })?;
    println!("{}", serde_json::to_string_pretty(&next)?);
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    if let Some(action) = args.action {
        return act(ctx, action);
    }
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
