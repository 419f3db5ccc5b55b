//! `listwarden export`: a segment (or the suppression list) as a file a platform imports.

use super::Context;
use crate::export::{self, Groups, Preset, SegmentExport};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["segment", "suppression"])))]
pub struct Args {
    /// The saved segment to export.
    #[arg(long, value_name = "NAME")]
    segment: Option<String>,
    /// Export the suppression list instead: every unsubscribed, bounced, complained or
    /// cleaned contact, for the platform's do-not-mail list.
    #[arg(long)]
    suppression: bool,
    /// Target platform layout: mailchimp, hubspot or csv.
    #[arg(long, default_value = "csv")]
    preset: String,
    /// The file to write (with --split/--holdout: one file per group, FILE.A.csv, ...).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Also export contacts that must not be mailed (unsubscribed, bounced, complained,
    /// cleaned, pending). Only for purposes other than mailing.
    #[arg(long)]
    include_unsubscribed: bool,
    /// Split into reproducible random groups: A/B, A/B/C or percentages like 80/20.
    #[arg(long, value_name = "A/B", conflicts_with_all = ["holdout", "suppression"])]
    split: Option<String>,
    /// Keep PERCENT of the segment back as a control group (FILE.holdout.csv), the rest in
    /// FILE.target.csv.
    #[arg(long, value_name = "PERCENT", conflicts_with = "suppression")]
    holdout: Option<u32>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<()> {
    let preset: Preset = args.preset.parse()?;
    let mut ws = ctx.open()?;
    let report = match &args.segment {
        Some(segment) => {
            let groups = match (&args.split, args.holdout) {
                (Some(spec), _) => Groups::split(spec)?,
                (None, Some(n)) => Groups::holdout(n)?,
                (None, None) => Groups::All,
            };
            let options = SegmentExport {
                segment: segment.clone(),
                preset,
                include_unmailable: args.include_unsubscribed,
                groups,
            };
            export::export_segment(&mut ws, &options, &args.output)?
        }
        None => export::export_suppression(&mut ws, preset, &args.output)?,
    };
    for file in &report.files {
        let group = file
            .group
            .as_ref()
            .map(|g| format!(" (group {g})"))
            .unwrap_or_default();
        println!(
            "wrote {} contacts to {}{group}",
            file.rows,
            file.path.display()
        );
    }
    if report.skipped_unmailable > 0 {
        println!(
            "left out {} contacts that must not be mailed (unsubscribed, bounced, complained, cleaned or pending); --include-unsubscribed exports them",
            report.skipped_unmailable
        );
    }
    if report.skipped_no_email > 0 {
        println!(
            "left out {} contacts without an email address",
            report.skipped_no_email
        );
    }
    Ok(())
}
