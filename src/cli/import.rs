//! `listwarden import FILE... [--preset P] [--events] [--json]`.
//!
//! Each file is its own transaction: a file that fails leaves the workspace as it was and
//! the others still import. The exit code is non-zero when any file failed.

use super::Context;
use crate::import::{Kind, Options, Progress, Summary};
use crate::pipeline;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(clap::Args)]
pub struct Args {
    /// Export files (CSV/TSV/semicolon; UTF-8, UTF-16 or Windows-1252), or ZIP archives of
    /// them (Mailchimp's audience export), each export in them imported on its own.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Platform preset (mailchimp, hubspot, activecampaign, cleverreach, klaviyo, brevo,
    /// constantcontact, generic); detected from the header row when omitted.
    #[arg(long, value_name = "P")]
    preset: Option<String>,
    /// The files are events exports (opens, clicks, purchases, ...), not contacts.
    #[arg(long)]
    events: bool,
    /// Print a JSON array with one summary per file.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let mut ws = ctx.open()?;
    let options = Options {
        kind: if args.events {
            Kind::Events
        } else {
            Kind::Contacts
        },
        preset: args.preset,
        name: None,
    };
    let cancel = AtomicBool::new(false);
    let show_progress = std::io::stderr().is_terminal() && !args.json;
    let mut summaries = Vec::new();
    let (mut files, mut failures) = (0, 0);
    for path in &args.files {
        let mut report = |p: Progress| {
            if show_progress && p.bytes_total > 0 {
                let finishing = if p.bytes_read >= p.bytes_total {
                    ", finishing: indexes and commit"
                } else {
                    ""
                };
                eprint!(
                    "\r{}: {:>3}% ({} rows{finishing})",
                    path.display(),
                    p.bytes_read * 100 / p.bytes_total,
                    p.rows
                );
                let _ = std::io::stderr().flush();
            }
        };
        let results = pipeline::import_path(&mut ws, path, &options, &mut report, &cancel);
        if show_progress {
            eprint!("\r\x1b[K");
        }
        for result in results {
            files += 1;
            match result {
                Ok(imported) => {
                    if !args.json {
                        print_summary(&imported.summary);
                        for line in imported.membership_lines() {
                            println!("{line}");
                        }
                    }
                    summaries.push(imported.summary);
                }
                Err(e) => {
                    eprintln!("listwarden: {e}");
                    failures += 1;
                }
            }
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summaries)?);
    }
    match failures {
        0 => Ok(()),
        n => anyhow::bail!(
            "{n} of {files} file(s) could not be imported; the workspace is unchanged for them"
        ),
    }
}

/// How many rejected rows are listed before "and N more".
const REJECTIONS_SHOWN: usize = 20;

fn print_summary(summary: &Summary) {
    println!("{summary}");
    for r in summary.rejected.iter().take(REJECTIONS_SHOWN) {
        let column = r
            .column
            .as_deref()
            .map(|c| format!(", column \"{c}\""))
            .unwrap_or_default();
        println!(
            "  rejected {}: row {}{column}: {}",
            summary.path.display(),
            r.row,
            r.reason
        );
    }
    if summary.rejected.len() > REJECTIONS_SHOWN {
        println!(
            "  ... and {} more rejected rows (see --json or the Log)",
            summary.rejected.len() - REJECTIONS_SHOWN
        );
    }
    for u in &summary.unread {
        println!(
            "  {} value{} in column \"{}\" not read as {} (first at row {}); the contacts go without, the source rows keep them",
            u.count,
            if u.count == 1 { "" } else { "s" },
            u.column,
            u.expected,
            u.first_row
        );
    }
    for (name, kind) in &summary.new_custom_fields {
        println!("  new custom field \"{name}\" ({kind})");
    }
}
