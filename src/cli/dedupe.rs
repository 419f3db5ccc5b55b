//! `listwarden dedupe scan | pairs | merge | unmerge | not-duplicate`: find duplicates,
//! list them with their explanation, merge and undo merges.

use super::Context;
use crate::dedupe::merge::{self, Survivor};
use crate::dedupe::pairs::{self, resolve};
use crate::dedupe::scan::{self, Progress};
use crate::text::inert;
use anyhow::{bail, Context as _};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::AtomicBool;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Find duplicate candidates among the live contacts and store them for review.
    Scan {
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// List the last scan's pairs: external ids of both records, score, reasons.
    Pairs {
        /// Lowest score to list (default: the last scan's likely-duplicate bar, which
        /// rises with the size of the list).
        #[arg(long, value_name = "S", allow_negative_numbers = true)]
        min_score: Option<f64>,
        /// Print CSV (id_a,id_b,score,reasons) for scripts.
        #[arg(long)]
        csv: bool,
    },
    /// Merge contact B into contact A (external ids, or #N for an internal id).
    Merge {
        /// The contact that survives (unless --auto).
        #[arg(required_unless_present = "exact_email")]
        a: Option<String>,
        /// The contact merged into it.
        #[arg(required_unless_present = "exact_email")]
        b: Option<String>,
        /// Let the survivor be the more complete record (then the more recent one).
        #[arg(long)]
        auto: bool,
        /// Merge every group of contacts sharing one mailbox, after a confirmation.
        #[arg(long, conflicts_with_all = ["a", "b", "auto"])]
        exact_email: bool,
        /// Do not ask before a bulk merge.
        #[arg(long, requires = "exact_email")]
        yes: bool,
    },
    /// Undo a merge, restoring both contacts exactly.
    Unmerge {
        /// The merge id `dedupe merge` printed.
        merge_id: i64,
    },
    /// Remember that two contacts are different people; later scans will not propose them.
    NotDuplicate { a: String, b: String },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Scan { json } => run_scan(ctx, json),
        Command::Pairs { min_score, csv } => run_pairs(ctx, min_score, csv),
        Command::Merge {
            a,
            b,
            auto,
            exact_email,
            yes,
        } => match (a, b) {
            (Some(a), Some(b)) if !exact_email => run_merge(ctx, &a, &b, auto),
            _ => run_exact_email(ctx, yes),
        },
        Command::Unmerge { merge_id } => {
            let mut ws = ctx.open()?;
            let u = merge::unmerge(&mut ws, merge_id)?;
            println!(
                "Unmerged merge {}: contact #{} is back beside #{}.",
                u.merge_id, u.restored, u.survivor
            );
            Ok(())
        }
        Command::NotDuplicate { a, b } => {
            let mut ws = ctx.open()?;
            let (ia, ib) = (resolve(ws.conn(), &a)?, resolve(ws.conn(), &b)?);
            pairs::mark_not_duplicate(&mut ws, ia, ib)?;
            println!(
                "Remembered: {} and {} are not duplicates.",
                inert(&a),
                inert(&b)
            );
            Ok(())
        }
    }
}

fn run_scan(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let cancel = AtomicBool::new(false);
    let show = !json && std::io::stderr().is_terminal();
    let mut last = "";
    let mut progress = |p: Progress| {
        if show && p.phase != last {
            eprintln!("  {}…", p.phase);
            last = p.phase;
        }
    };
    let s = scan::scan(&mut ws, &cancel, &mut progress)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    println!(
        "Scanned {} contacts in {:.1} s: {} candidate pairs compared.",
        s.contacts,
        s.elapsed_ms as f64 / 1000.0,
        s.candidates
    );
    println!(
        "  {} likely duplicate pairs (score >= {}), {} possible (>= {})",
        s.likely_pairs, s.likely_threshold, s.possible_pairs, s.possible_threshold
    );
    println!(
        "  {} clusters covering {} contacts",
        s.clusters, s.contacts_in_clusters
    );
    println!("List them with: listwarden dedupe pairs");
    Ok(())
}

fn run_pairs(ctx: &Context, min_score: Option<f64>, csv: bool) -> anyhow::Result<()> {
    let ws = ctx.open()?;
    let scans: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM dedupe_scans", [], |r| r.get(0))?;
    if scans == 0 {
        bail!("no duplicate scan yet: run `listwarden dedupe scan` first");
    }
    let bar = match min_score {
        Some(score) => score,
        None => f64::from(pairs::thresholds(ws.conn())?.likely),
    };
    let list = pairs::list(ws.conn(), bar)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if csv {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["id_a", "id_b", "score", "reasons"])?;
        for p in &list {
            w.write_record([
                p.id_a.as_str(),
                p.id_b.as_str(),
                &format!("{:.1}", p.score),
                &p.reasons_text(),
            ])?;
        }
        w.flush()?;
        return Ok(());
    }
    if list.is_empty() {
        writeln!(out, "No pairs at or above this score.")?;
        return Ok(());
    }
    writeln!(out, "{:>6}  {:<24} {:<24} reasons", "score", "id_a", "id_b")?;
    for p in &list {
        writeln!(
            out,
            "{:>6.1}  {:<24} {:<24} {}",
            p.score,
            inert(&p.id_a),
            inert(&p.id_b),
            p.reasons_text()
        )?;
    }
    writeln!(out, "{} pairs", list.len())?;
    Ok(())
}

fn run_merge(ctx: &Context, a: &str, b: &str, auto: bool) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let ia = resolve(ws.conn(), a)?;
    let ib = resolve(ws.conn(), b)?;
    let rule = if auto {
        Survivor::MostComplete
    } else {
        Survivor::Chosen
    };
    let m = merge::merge(&mut ws, ia, ib, rule)?;
    println!(
        "Merged contact #{} into #{} (merge {}).",
        m.absorbed, m.survivor, m.merge_id
    );
    if !m.changed.is_empty() {
        println!("  survivor fields changed: {}", m.changed.join(", "));
    }
    if m.alternates > 0 {
        println!("  {} differing values kept as alternates", m.alternates);
    }
    println!("Undo with: listwarden dedupe unmerge {}", m.merge_id);
    Ok(())
}

fn run_exact_email(ctx: &Context, yes: bool) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let groups = merge::exact_email_groups(ws.conn())?;
    let absorbed: usize = groups.iter().map(|g| g.len() - 1).sum();
    if groups.is_empty() {
        println!("No contacts share a mailbox; nothing to merge.");
        return Ok(());
    }
    let question = format!(
        "Merge {absorbed} contacts into {} survivors (contacts sharing one mailbox)?",
        groups.len()
    );
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!("{question} Pass --yes to confirm.");
        }
        eprint!("{question} [y/N] ");
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .context("reading the confirmation")?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("Nothing merged.");
            return Ok(());
        }
    }
    let merged = merge::merge_exact_email(&mut ws)?;
    println!(
        "Merged {} contacts sharing a mailbox (merges {}–{}); each can be undone with `dedupe unmerge`.",
        merged.len(),
        merged.first().map_or(0, |m| m.merge_id),
        merged.last().map_or(0, |m| m.merge_id)
    );
    Ok(())
}
