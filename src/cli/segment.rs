//! `listwarden segment count|save|list|show|delete`: segments from the command line.

use super::Context;
use crate::segment::{self, Image, SavedRules, Scope};
use anyhow::Context as _;
use clap::Subcommand;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Count the contacts a rule matches (prints one integer).
    Count {
        /// The rule, e.g. 'country = DE and opened in 30d'.
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        rule: Option<String>,
        /// Count every rule of a file, one per line (blank lines and # comments skipped).
        #[arg(long, value_name = "RULES")]
        file: Option<PathBuf>,
        /// Also print each rule's time once the workspace is loaded, then the load time.
        #[arg(long)]
        timing: bool,
    },
    /// Save a segment (replacing the rule of an existing one) and record its members.
    Save { name: String, rule: String },
    /// Saved segments with their member counts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One saved segment: rule, members, trend.
    Show {
        name: String,
        /// List the current members (id and email), one per line.
        #[arg(long)]
        members: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a saved segment.
    Delete { name: String },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Count { rule, file, timing } => count(ctx, rule, file, timing),
        Command::Save { name, rule } => {
            let expr = segment::parse_rule("rule", &rule)?;
            let mut ws = ctx.open()?;
            let image = Image::load_scoped(ws.conn(), &Scope::of([&expr]))?;
            let n = segment::save(&mut ws, &image, &name, &rule)?;
            println!("saved segment \"{}\": {n} members", name.trim());
            Ok(())
        }
        Command::List { json } => {
            let ws = ctx.open()?;
            let all = segment::list(ws.conn())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
                return Ok(());
            }
            if all.is_empty() {
                println!("no saved segments (create one with: listwarden segment save NAME RULE)");
            }
            let width = all
                .iter()
                .map(|s| s.name.chars().count())
                .max()
                .unwrap_or(0);
            for s in &all {
                println!("{:<width$}  {:>9}  {}", s.name, s.members, s.rule);
            }
            Ok(())
        }
        Command::Show {
            name,
            members,
            json,
        } => show(ctx, &name, members, json),
        Command::Delete { name } => {
            let mut ws = ctx.open()?;
            segment::delete(&mut ws, &name)?;
            println!("deleted segment \"{}\"", name.trim());
            Ok(())
        }
    }
}

fn count(
    ctx: &Context,
    rule: Option<String>,
    file: Option<PathBuf>,
    timing: bool,
) -> anyhow::Result<()> {
    // (source, line, rule): errors point at file:line:column.
    let rules: Vec<(String, usize, String)> = match (rule, &file) {
        (Some(rule), _) => vec![("rule".to_string(), 1, rule)],
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map(|(i, l)| (path.display().to_string(), i + 1, l.to_string()))
                .collect()
        }
        (None, None) => anyhow::bail!("give a RULE or --file RULES"),
    };
    let parsed = rules
        .iter()
        .map(|(source, line, text)| {
            segment::parse(text).map_err(|e| anyhow::anyhow!(e.render_on_line(source, *line, text)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Only what the rules read is loaded: a field rule never waits for 20M events.
    let started = Instant::now();
    let ws = ctx.open()?;
    let image = Image::load_scoped(ws.conn(), &Scope::of(&parsed))?;
    let saved = SavedRules::load(ws.conn())?;
    let loaded = started.elapsed();
    let now = ws.clock().now_ts();
    for ((source, line, text), expr) in rules.iter().zip(&parsed) {
        let t = Instant::now();
        let compiled = segment::compile(expr, &image, &saved, now)
            .map_err(|e| anyhow::anyhow!(e.render_on_line(source, *line, text)))?;
        let n = compiled.count(&image);
        let took = t.elapsed();
        for notice in &compiled.notices {
            eprintln!("note: {}", notice.render_on_line(source, *line, text));
        }
        if timing {
            println!("{n}\t{:.2} ms\t{}", took.as_secs_f64() * 1e3, text.trim());
        } else {
            println!("{n}");
        }
    }
    if timing {
        println!(
            "loaded\t{:.2} ms\t{} contacts",
            loaded.as_secs_f64() * 1e3,
            image.len()
        );
    }
    Ok(())
}

fn show(ctx: &Context, name: &str, with_members: bool, json: bool) -> anyhow::Result<()> {
    let ws = ctx.open()?;
    let s = segment::get(ws.conn(), name)?;
    let trend = segment::sizes(ws.conn(), s.id)?;
    let members = if with_members {
        member_rows(&ws, s.id)?
    } else {
        Vec::new()
    };
    if json {
        let value = serde_json::json!({
            "segment": s,
            "trend": trend.iter().map(|(at, n)| serde_json::json!({"at": at, "members": n})).collect::<Vec<_>>(),
            "member_list": with_members.then(|| members.iter().map(|(id, email)| serde_json::json!({"id": id, "email": email})).collect::<Vec<_>>()),
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    if with_members {
        for (id, email) in &members {
            println!("{id}\t{}", email.as_deref().unwrap_or(""));
        }
        return Ok(());
    }
    println!("Segment  {}", s.name);
    println!("Rule     {}", s.rule);
    println!("Members  {}", s.members);
    println!("Created  {} by {}", format_ts(s.created_at), s.created_by);
    println!("Updated  {}", format_ts(s.updated_at));
    if !trend.is_empty() {
        println!("Trend");
        for (at, n) in trend.iter().rev().take(12).rev() {
            println!("  {}  {n:>9}", format_ts(*at));
        }
    }
    Ok(())
}

fn member_rows(
    ws: &crate::workspace::Workspace,
    id: i64,
) -> anyhow::Result<Vec<(i64, Option<String>)>> {
    let mut stmt = ws.conn().prepare(
        "SELECT c.id, c.email FROM segment_membership m JOIN contacts c ON c.id = m.contact_id
         WHERE m.segment_id = ?1 AND m.left_at IS NULL ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn format_ts(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).map_or_else(
        || ts.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}
