//! The Markdown report an agency hands to a client: the state of the list, what is wrong
//! with it, what that costs, and what to do first.
//!
//! Written for someone who has never seen Listwarden: plain words, every number with its
//! share, and example addresses masked (`a•••@firm.ie`) so the document can be emailed
//! without spreading the contacts' data.

use super::{Audit, Finding, Kind, RunSummary, Severity};
use std::fmt::Write as _;

/// Kinds by report section.
const ERRORS: &[Kind] = &[
    Kind::InvalidEmail,
    Kind::EmailTypo,
    Kind::DisposableEmail,
    Kind::RoleAccount,
    Kind::TestRecord,
    Kind::MissingEmail,
    Kind::MissingName,
    Kind::MissingRequired,
    Kind::Formatting,
    Kind::InvalidPhone,
];
const COMPLIANCE: &[Kind] = &[Kind::UnsubscribedConflict, Kind::Complained, Kind::Bounced];

/// The report for `audit`; `history` holds the earlier audits (oldest first) for the trend.
pub fn markdown(audit: &Audit, history: &[RunSummary], workspace: &str) -> String {
    let mut out = String::new();
    let date = day(audit.at);
    let _ = writeln!(out, "# Email list health report\n");
    let _ = writeln!(
        out,
        "Workspace `{}`, audited {date}. {} contacts, of which {} are on the suppression list.\n",
        md(workspace),
        audit.contacts,
        audit.suppressed
    );
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(
        out,
        "**List health score: {}/100** — {}.{}\n",
        audit.score,
        verdict(audit.score),
        trend(audit.score, history)
    );
    let problems: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| f.kind != Kind::SegmentationOpportunity)
        .collect();
    if problems.is_empty() {
        let _ = writeln!(out, "No problems were found.\n");
    } else {
        let _ = writeln!(
            out,
            "The most important findings, by impact (severity × share of the list):\n"
        );
        let _ = writeln!(out, "| Finding | Severity | Contacts | Share |");
        let _ = writeln!(out, "|---|---|---:|---:|");
        for f in &problems {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                f.title,
                f.severity.as_str(),
                f.count,
                pct(f.share)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Current state\n");
    let _ = writeln!(
        out,
        "{} of {} contacts ({}) can be mailed today: subscribed and not suppressed.\n",
        audit.mailable,
        audit.contacts,
        pct(share(audit.mailable, audit.contacts))
    );
    let _ = writeln!(out, "| Status | Contacts | Share |");
    let _ = writeln!(out, "|---|---:|---:|");
    for (status, n) in &audit.by_status {
        let _ = writeln!(
            out,
            "| {} | {n} | {} |",
            md(status),
            pct(share(*n, audit.contacts))
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## Recommendations, in order\n");
    let mut n = 0;
    for f in problems.iter().filter(|f| f.severity >= Severity::Low) {
        n += 1;
        let _ = writeln!(
            out,
            "{n}. **{}** ({} contacts, {}). {}",
            f.title,
            f.count,
            pct(f.share),
            f.action
        );
    }
    if let Some(seg) = audit.finding(Kind::SegmentationOpportunity) {
        n += 1;
        let _ = writeln!(out, "{n}. **{}**. {}", seg.title, seg.action);
    }
    out.push('\n');

    section(
        &mut out,
        "Compliance: consent and bounces",
        COMPLIANCE,
        audit,
    );
    section(&mut out, "Data quality: errors and gaps", ERRORS, audit);

    let _ = writeln!(out, "## Duplicates\n");
    match audit.finding(Kind::DuplicateEmail) {
        Some(f) => describe(&mut out, f),
        None => {
            let _ = writeln!(out, "No mailbox appears twice.\n");
        }
    }

    let _ = writeln!(out, "## Engagement\n");
    let _ = writeln!(
        out,
        "Every contact not suppressed, by its last open or click. Inactive and never-engaged \
         subscribers are the main threat to inbox placement.\n"
    );
    let _ = writeln!(out, "| Tier | Contacts | Meaning |");
    let _ = writeln!(out, "|---|---:|---|");
    for (tier, meaning) in [
        ("active", "opened or clicked recently"),
        ("cooling", "engaged, but not recently"),
        ("inactive", "no open or click within the inactivity window"),
        ("never_engaged", "never opened or clicked since joining"),
        ("new", "joined recently, too early to judge"),
    ] {
        let _ = writeln!(
            out,
            "| {} | {} | {meaning} |",
            tier.replace('_', " "),
            audit.tiers.get(tier).copied().unwrap_or(0)
        );
    }
    out.push('\n');
    for kind in [Kind::Inactive, Kind::NeverEngaged] {
        if let Some(f) = audit.finding(kind) {
            describe(&mut out, f);
        }
    }

    let _ = writeln!(out, "## Segmentation opportunities\n");
    match audit.finding(Kind::SegmentationOpportunity) {
        Some(seg) if !seg.fields.is_empty() => {
            let _ = writeln!(out, "{}\n", seg.why);
            let _ = writeln!(out, "| Field | Filled | Share | Verdict |");
            let _ = writeln!(out, "|---|---:|---:|---|");
            let mut fields = seg.fields.clone();
            fields.sort_by(|a, b| b.share.total_cmp(&a.share));
            for f in fields {
                let verdict = match f.verdict {
                    "usable" => "reliable to segment on",
                    "partial" => "usable with care",
                    _ => "too sparse to rely on",
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {verdict} |",
                    md(&f.field.replace('_', " ")),
                    f.filled,
                    pct(f.share)
                );
            }
            out.push('\n');
        }
        _ => {
            let _ = writeln!(out, "No profile fields are filled yet.\n");
        }
    }

    let _ = writeln!(out, "## How the score is computed\n");
    let _ = writeln!(
        out,
        "Each kind of problem can cost up to a fixed number of points; it costs all of them \
         once its share of the list reaches the level mailbox providers treat as alarming \
         (for example 0.5% spam complaints or 5% invalid addresses), and proportionally less \
         below that. Suppressed contacts cost nothing: suppressing is how a problem is \
         resolved.\n"
    );
    let _ = writeln!(out, "| Check | Share | Points lost | of |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for p in audit.breakdown.iter().filter(|p| p.penalty > 0.0) {
        let title: &str = match Kind::parse(&p.kind) {
            Some(k) => k.title(),
            None => &p.kind,
        };
        let _ = writeln!(
            out,
            "| {title} | {} | {:.1} | {:.0} |",
            pct(p.share),
            p.penalty,
            p.weight
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "_Generated by Listwarden. Example addresses are masked; the full lists are in the \
         Audit pane._"
    );
    out
}

fn section(out: &mut String, title: &str, kinds: &[Kind], audit: &Audit) {
    let _ = writeln!(out, "## {title}\n");
    let found: Vec<&Finding> = kinds.iter().filter_map(|k| audit.finding(*k)).collect();
    if found.is_empty() {
        let _ = writeln!(out, "Nothing to report.\n");
    }
    for f in found {
        describe(out, f);
    }
}

fn describe(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "### {} — {} contacts ({})\n",
        f.title,
        f.count,
        pct(f.share)
    );
    let _ = writeln!(out, "{}\n", f.why);
    let _ = writeln!(out, "**What to do:** {}\n", f.action);
    if !f.examples.is_empty() {
        let _ = writeln!(out, "Examples:\n");
        for e in &f.examples {
            let who = e
                .email
                .as_deref()
                .map_or_else(|| "(no email)".to_string(), mask);
            let _ = writeln!(out, "- `{}` — {}", md(&who), md(&e.detail));
        }
        out.push('\n');
    }
}

fn verdict(score: u32) -> &'static str {
    match score {
        90..=100 => "healthy",
        75..=89 => "good, with some clean-up to do",
        50..=74 => "needs attention",
        _ => "at risk: fix the critical findings before the next send",
    }
}

fn trend(score: u32, history: &[RunSummary]) -> String {
    match history.last() {
        Some(prev) => {
            let diff = i64::from(score) - prev.score;
            format!(
                " Previous audit ({}): {}/100 ({}{diff}).",
                day(prev.at),
                prev.score,
                if diff >= 0 { "+" } else { "" }
            )
        }
        None => String::new(),
    }
}

fn day(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn share(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 / of as f64
    }
}

fn pct(share: f64) -> String {
    if share > 0.0 && share < 0.001 {
        "<0.1%".to_string()
    } else {
        format!("{:.1}%", share * 100.0)
    }
}

/// `anna.lee@firm.ie` → `a•••@firm.ie`: enough to recognise the domain, not the person.
pub fn mask(addr: &str) -> String {
    match addr.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => {
            let first: String = addr.chars().take(1).collect();
            format!("{first}•••")
        }
    }
}

/// Contact data made safe for Markdown and terminals: control characters inert, and the
/// characters that would break a table cell or inline code escaped.
fn md(s: &str) -> String {
    crate::text::inert(s).replace('|', "\\|").replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_addresses() {
        assert_eq!(mask("anna.lee@firm.ie"), "a•••@firm.ie");
        assert_eq!(mask("n/a"), "n•••");
        assert_eq!(mask(""), "•••");
    }

    #[test]
    fn escapes_table_breakers() {
        assert_eq!(md("a|b`c\u{1b}"), "a\\|b'c␛");
    }
}
