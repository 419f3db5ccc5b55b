//! Scheduled reviews: how often the list should be looked at, whether that is due, and
//! what changed since the last review, as a Markdown report a person reads without the
//! tool.
//!
//! A review compares the list now (a fresh audit, every segment, pending duplicate pairs)
//! with the snapshot stored when the last review was recorded. Recording stores the new
//! snapshot and logs it; the next review counts from there.

use super::health::{self, Health, DAY};
use super::MaintenanceError;
use crate::workspace::{append_log, LogEntry, Workspace, WorkspaceError};
use chrono::DateTime;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How often a review is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub interval_days: i64,
    /// `monthly`, `quarterly` or `every N days`.
    pub label: String,
}

impl Schedule {
    /// Monthly (30 days), the default until one is set.
    pub fn monthly() -> Self {
        Schedule {
            interval_days: 30,
            label: "monthly".into(),
        }
    }

    /// `monthly` (30 days), `quarterly` (91 days) or `Nd` (N days, 1–3660).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_lowercase();
        match text.as_str() {
            "monthly" => return Ok(Schedule::monthly()),
            "quarterly" => {
                return Ok(Schedule {
                    interval_days: 91,
                    label: "quarterly".into(),
                })
            }
            _ => {}
        }
        match text.strip_suffix('d').and_then(|n| n.parse::<i64>().ok()) {
            Some(days @ 1..=3660) => Ok(Schedule {
                interval_days: days,
                label: format!("every {days} days"),
            }),
            _ => Err(format!(
                "`{text}` is not an interval: use monthly, quarterly or a number of days like 14d"
            )),
        }
    }
}

/// The workspace's review schedule (monthly when none was set).
pub fn schedule(conn: &Connection) -> rusqlite::Result<Schedule> {
    Ok(conn
        .query_row(
            "SELECT interval_days, label FROM review_schedule WHERE id = 1",
            [],
            |r| {
                Ok(Schedule {
                    interval_days: r.get(0)?,
                    label: r.get(1)?,
                })
            },
        )
        .optional()?
        .unwrap_or_else(Schedule::monthly))
}

/// Sets the review schedule, logged.
pub fn set_schedule(ws: &mut Workspace, schedule: &Schedule) -> Result<(), WorkspaceError> {
    let user = ws.user().to_string();
    let now = ws.clock().now_ts();
    ws.write(|tx| {
        tx.execute(
            "INSERT OR REPLACE INTO review_schedule (id, interval_days, label) VALUES (1, ?1, ?2)",
            params![schedule.interval_days, schedule.label],
        )?;
        let entry = LogEntry::new(
            "review_schedule",
            format!("review: schedule set to {}", schedule.label),
        )
        .with_details(serde_json::json!({"interval_days": schedule.interval_days}));
        append_log(tx, &user, now, &entry)?;
        Ok(())
    })
}

/// What the list looked like at a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub at: i64,
    pub contacts: u64,
    pub mailable: u64,
    pub score: u32,
    /// Contacts affected, by finding kind id.
    pub findings: BTreeMap<String, u64>,
    /// Members by segment name.
    pub segments: BTreeMap<String, i64>,
    pub pending_pairs: usize,
}

/// A recorded review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recorded {
    pub id: i64,
    pub at: i64,
    pub os_user: String,
    pub note: String,
    pub snapshot: Snapshot,
}

/// The most recent recorded review.
pub fn last_review(conn: &Connection) -> Result<Option<Recorded>, MaintenanceError> {
    let row: Option<(i64, i64, String, String, String)> = conn
        .query_row(
            "SELECT id, at, os_user, note, snapshot FROM reviews ORDER BY at DESC, id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    row.map(|(id, at, os_user, note, snapshot)| {
        Ok(Recorded {
            id,
            at,
            os_user,
            note,
            snapshot: serde_json::from_str(&snapshot)?,
        })
    })
    .transpose()
}

/// When the next review is due: one interval after the last review, or, before the first,
/// one interval after the first import. `None` for a workspace with nothing imported.
pub fn due_at(conn: &Connection) -> Result<Option<i64>, MaintenanceError> {
    let interval = schedule(conn)?.interval_days * DAY;
    let from: Option<i64> = conn.query_row(
        "SELECT coalesce((SELECT max(at) FROM reviews), (SELECT min(started_at) FROM imports))",
        [],
        |r| r.get(0),
    )?;
    Ok(from.map(|at| at + interval))
}

/// Whether a review is due at `now`.
pub fn is_due(conn: &Connection, now: i64) -> Result<bool, MaintenanceError> {
    Ok(due_at(conn)?.is_some_and(|due| due <= now))
}

/// One segment then and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentChange {
    pub name: String,
    /// `None`: the segment did not exist at the last review (or there was none).
    pub then: Option<i64>,
    pub now: i64,
    pub entered: i64,
    pub left: i64,
}

/// One finding kind then and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingChange {
    pub kind: String,
    pub title: String,
    pub then: u64,
    pub now: u64,
}

/// An import since the last review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportSince {
    pub at: i64,
    pub path: String,
    pub kind: String,
    pub rows_new: i64,
    pub rows_updated: i64,
    pub rows_rejected: i64,
}

/// Everything a review shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub schedule: Schedule,
    /// When this review was due (`None`: nothing imported yet).
    pub due_at: Option<i64>,
    pub due: bool,
    pub previous: Option<Recorded>,
    pub now: Snapshot,
    pub segments: Vec<SegmentChange>,
    /// Finding kinds whose count changed or that are present now, largest increase first.
    pub findings: Vec<FindingChange>,
    pub imports: Vec<ImportSince>,
    /// Stored audits since the last review.
    pub audits: Vec<health::ScorePoint>,
    pub health: Health,
}

/// The review as of `now`: a fresh audit (not stored) compared with the last review.
pub fn review(conn: &Connection, now: i64) -> Result<Review, MaintenanceError> {
    let previous = last_review(conn)?;
    let since = previous.as_ref().map_or(0, |p| p.at);
    let audit = crate::audit::run(conn, now)?;
    let health = health::health(conn, now, since)?;
    let possible = crate::dedupe::pairs::thresholds(conn)?.possible;
    let pending_pairs = crate::dedupe::pairs::list(conn, f64::from(possible))?.len();
    let snapshot = Snapshot {
        at: now,
        contacts: audit.contacts,
        mailable: audit.mailable,
        score: audit.score,
        findings: audit
            .findings
            .iter()
            .map(|f| (f.kind.as_str().to_string(), f.count))
            .collect(),
        segments: health
            .segments
            .iter()
            .map(|s| (s.name.clone(), s.members))
            .collect(),
        pending_pairs,
    };
    let then = previous.as_ref().map(|p| &p.snapshot);
    let segments = health
        .segments
        .iter()
        .map(|s| SegmentChange {
            name: s.name.clone(),
            then: then.and_then(|t| t.segments.get(&s.name).copied()),
            now: s.members,
            entered: s.entered_since,
            left: s.left_since,
        })
        .collect();
    let titles: BTreeMap<&str, &str> = audit
        .findings
        .iter()
        .map(|f| (f.kind.as_str(), f.title))
        .collect();
    let mut kinds: Vec<&String> = snapshot.findings.keys().collect();
    if let Some(t) = then {
        kinds.extend(t.findings.keys());
    }
    kinds.sort();
    kinds.dedup();
    let mut findings: Vec<FindingChange> = kinds
        .into_iter()
        .map(|kind| {
            let title = titles
                .get(kind.as_str())
                .map(|t| t.to_string())
                .or_else(|| crate::audit::Kind::parse(kind).map(|k| k.to_string()))
                .unwrap_or_else(|| kind.clone());
            FindingChange {
                kind: kind.clone(),
                title,
                then: then
                    .and_then(|t| t.findings.get(kind).copied())
                    .unwrap_or(0),
                now: snapshot.findings.get(kind).copied().unwrap_or(0),
            }
        })
        .collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.now as i64 - f.then as i64));
    let audits = health
        .score_trend
        .iter()
        .filter(|p| p.at > since)
        .copied()
        .collect();
    let due_at = due_at(conn)?;
    Ok(Review {
        schedule: schedule(conn)?,
        due: due_at.is_some_and(|d| d <= now),
        due_at,
        previous,
        now: snapshot,
        segments,
        findings,
        imports: imports_since(conn, since)?,
        audits,
        health,
    })
}

fn imports_since(conn: &Connection, since: i64) -> rusqlite::Result<Vec<ImportSince>> {
    let mut stmt = conn.prepare(
        "SELECT started_at, path, kind, rows_new, rows_updated, rows_rejected FROM imports
         WHERE started_at > ?1 ORDER BY started_at, id",
    )?;
    let rows = stmt.query_map([since], |r| {
        Ok(ImportSince {
            at: r.get(0)?,
            path: r.get(1)?,
            kind: r.get(2)?,
            rows_new: r.get(3)?,
            rows_updated: r.get(4)?,
            rows_rejected: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// Records `review` with `note` (one transaction, one log entry); returns its id.
pub fn record(ws: &mut Workspace, review: &Review, note: &str) -> Result<i64, MaintenanceError> {
    let user = ws.user().to_string();
    let snapshot = serde_json::to_string(&review.now)?;
    let at = review.now.at;
    let summary = match note.trim() {
        "" => format!("review recorded: score {}", review.now.score),
        n => format!(
            "review recorded: score {}: {}",
            review.now.score,
            crate::text::inert(n)
        ),
    };
    ws.write(|tx| -> Result<i64, MaintenanceError> {
        let entry = LogEntry::new("review", summary).with_details(serde_json::json!({
            "score": review.now.score,
            "score_then": review.previous.as_ref().map(|p| p.snapshot.score),
            "note": note,
        }));
        let log_id = append_log(tx, &user, at, &entry)?;
        tx.execute(
            "INSERT INTO reviews (at, os_user, note, score, snapshot, log_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![at, user, note, review.now.score, snapshot, log_id],
        )?;
        Ok(tx.last_insert_rowid())
    })
}

fn date(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| ts.to_string())
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Markdown-safe table cell: contact data and names are untrusted.
fn cell(text: &str) -> String {
    crate::text::inert(text)
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// The review as a Markdown document.
pub fn to_markdown(r: &Review, workspace: &str) -> String {
    let mut md = String::new();
    let now = &r.now;
    let _ = writeln!(md, "# List review — {}\n", date(now.at));
    let _ = writeln!(md, "Workspace: `{}`  ", cell(workspace));
    let _ = writeln!(md, "Schedule: {}  ", r.schedule.label);
    match (&r.previous, r.due_at) {
        (Some(p), _) => {
            let _ = writeln!(md, "Last review: {} by {}  ", date(p.at), cell(&p.os_user));
            if !p.note.trim().is_empty() {
                let _ = writeln!(md, "Its note: {}  ", cell(&p.note));
            }
        }
        (None, _) => {
            let _ = writeln!(
                md,
                "Last review: none — this is the first, so \"then\" is empty.  "
            );
        }
    }
    if let Some(due) = r.due_at {
        let state = if r.due { "due since" } else { "next due" };
        let _ = writeln!(md, "Review {state} {}", date(due));
    }

    let _ = writeln!(md, "\n## Health score\n");
    match &r.previous {
        Some(p) => {
            let _ = writeln!(
                md,
                "The score went from **{}** to **{}** ({}) out of 100. Contacts: {} → {}; \
                 mailable: {} → {}.",
                p.snapshot.score,
                now.score,
                signed(i64::from(now.score) - i64::from(p.snapshot.score)),
                p.snapshot.contacts,
                now.contacts,
                p.snapshot.mailable,
                now.mailable
            );
        }
        None => {
            let _ = writeln!(
                md,
                "The score is **{}** out of 100 over {} contacts, {} of them mailable.",
                now.score, now.contacts, now.mailable
            );
        }
    }
    if !r.audits.is_empty() {
        let trend: Vec<String> = r
            .audits
            .iter()
            .map(|a| format!("{} ({})", a.score, &date(a.at)[..10]))
            .collect();
        let _ = writeln!(md, "\nAudits stored since: {}.", trend.join(" → "));
    }

    let _ = writeln!(md, "\n## Segments\n");
    if r.segments.is_empty() {
        let _ = writeln!(md, "No saved segments.");
    } else {
        let _ = writeln!(
            md,
            "| Segment | Then | Now | Change | Entered | Left | Inactive | Bounced | Unsubscribed | Opened (30 d) | Revenue (90 d) |"
        );
        let _ = writeln!(
            md,
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for (s, h) in r.segments.iter().zip(&r.health.segments) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} |",
                cell(&s.name),
                s.then.map_or("—".to_string(), |t| t.to_string()),
                s.now,
                s.then.map_or("new".to_string(), |t| signed(s.now - t)),
                s.entered,
                s.left,
                pct(h.inactive.share),
                pct(h.bounced.share),
                pct(h.unsubscribed.share),
                pct(h.last_30_days.openers.share),
                h.last_90_days.revenue
            );
        }
        let _ = writeln!(
            md,
            "\n\"Entered\" and \"left\" count people who joined or dropped out of a segment \
             since the last review; inactive means no open or click within the audit's \
             inactivity window."
        );
    }

    behaviour(&mut md, &r.health);
    overlap(&mut md, &r.health.overlap);

    let _ = writeln!(md, "\n## Findings\n");
    let changed: Vec<&FindingChange> = r
        .findings
        .iter()
        .filter(|f| f.then > 0 || f.now > 0)
        .collect();
    if changed.is_empty() {
        let _ = writeln!(md, "No findings, then or now.");
    } else {
        let _ = writeln!(md, "| Finding | Then | Now | Change |");
        let _ = writeln!(md, "|---|---:|---:|---:|");
        for f in changed {
            let (then, change) = match &r.previous {
                Some(_) => (f.then.to_string(), signed(f.now as i64 - f.then as i64)),
                None => ("—".to_string(), "new".to_string()),
            };
            let _ = writeln!(md, "| {} | {then} | {} | {change} |", cell(&f.title), f.now);
        }
    }
    let _ = writeln!(md, "\n## Duplicates\n");
    match &r.previous {
        Some(p) => {
            let _ = writeln!(
                md,
                "{} possible duplicate pairs wait for a decision (then: {}).",
                now.pending_pairs, p.snapshot.pending_pairs
            );
        }
        None => {
            let _ = writeln!(
                md,
                "{} possible duplicate pairs wait for a decision.",
                now.pending_pairs
            );
        }
    }

    let _ = writeln!(md, "\n## Imports since the last review\n");
    if r.imports.is_empty() {
        let _ = writeln!(md, "None.");
    }
    for i in r.imports.iter().take(IMPORTS_LISTED) {
        let _ = writeln!(
            md,
            "- {} — `{}` ({}): {} new, {} updated, {} rejected",
            date(i.at),
            cell(&i.path),
            i.kind,
            i.rows_new,
            i.rows_updated,
            i.rows_rejected
        );
    }
    if r.imports.len() > IMPORTS_LISTED {
        let _ = writeln!(
            md,
            "- … and {} more (`listwarden stats` lists them all)",
            r.imports.len() - IMPORTS_LISTED
        );
    }
    md
}

/// What each segment's current members did in the last 30 and 90 days.
fn behaviour(md: &mut String, h: &Health) {
    if h.segments.is_empty() {
        return;
    }
    let _ = writeln!(md, "\n## What members did\n");
    let _ = writeln!(
        md,
        "| Segment | Days | Opened | Clicked | Purchases per member | Revenue | Average order |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
    for s in &h.segments {
        for p in [&s.last_30_days, &s.last_90_days] {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {:.2} | {:.2} | {} |",
                cell(&s.name),
                p.days,
                pct(p.openers.share),
                pct(p.clickers.share),
                p.purchases_per_member,
                p.revenue,
                p.aov.map_or("—".to_string(), |a| format!("{a:.2}"))
            );
        }
    }
    let _ = writeln!(
        md,
        "\nOpened and clicked are the share of current members with at least one open or \
         click in the period, from the imported events."
    );
}

/// Segments compared with more than this many others are left out of the overlap table.
const OVERLAP_MAX: usize = 8;

/// Members every two segments share, when there are a few segments to compare.
fn overlap(md: &mut String, o: &health::Overlap) {
    if o.segments.len() < 2 || o.segments.len() > OVERLAP_MAX {
        return;
    }
    let _ = writeln!(md, "\n## Overlap\n");
    let names: Vec<String> = o.segments.iter().map(|n| cell(n)).collect();
    let _ = writeln!(md, "| Members in both | {} |", names.join(" | "));
    let _ = writeln!(md, "|---|{}", "---:|".repeat(names.len()));
    for (name, row) in names.iter().zip(&o.members) {
        let counts: Vec<String> = row.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(md, "| {name} | {} |", counts.join(" | "));
    }
}

/// Imports listed in the report before "and N more".
const IMPORTS_LISTED: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::workspace::OpenOptions;

    fn ws_at(dir: &std::path::Path, now: &str) -> Workspace {
        let options = OpenOptions {
            clock: Clock::parse(now).unwrap(),
            ..Default::default()
        };
        Workspace::open(&dir.join("w.db"), &options).unwrap()
    }

    #[test]
    fn intervals_parse_and_garbage_is_refused() {
        assert_eq!(Schedule::parse("Monthly").unwrap().interval_days, 30);
        assert_eq!(Schedule::parse("quarterly").unwrap().interval_days, 91);
        assert_eq!(Schedule::parse("14d").unwrap().label, "every 14 days");
        assert!(Schedule::parse("0d").is_err());
        assert!(Schedule::parse("weekly").unwrap_err().contains("14d"));
    }

    #[test]
    fn due_counts_from_the_first_import_then_from_the_last_review() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = ws_at(dir.path(), "2026-01-01");
        let conn_now = |ws: &Workspace, at: &str| {
            is_due(ws.conn(), Clock::parse(at).unwrap().now_ts()).unwrap()
        };
        assert_eq!(due_at(ws.conn()).unwrap(), None);
        assert!(!conn_now(&ws, "2030-01-01"));
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "Email\na@x.org\n").unwrap();
        crate::pipeline::import_file(
            &mut ws,
            &csv,
            &crate::import::Options {
                kind: crate::import::Kind::Contacts,
                preset: None,
                name: None,
            },
            &mut |_| {},
            &Default::default(),
        )
        .unwrap();
        assert!(!conn_now(&ws, "2026-01-30"));
        assert!(conn_now(&ws, "2026-01-31"));
        set_schedule(&mut ws, &Schedule::parse("7d").unwrap()).unwrap();
        assert!(conn_now(&ws, "2026-01-08"));
        let r = review(ws.conn(), ws.clock().now_ts()).unwrap();
        assert!(r.previous.is_none());
        record(&mut ws, &r, "first look").unwrap();
        let last = last_review(ws.conn()).unwrap().unwrap();
        assert_eq!(last.note, "first look");
        assert_eq!(last.snapshot, r.now);
        assert_eq!(r.now.contacts, 1);
        assert!(!conn_now(&ws, "2026-01-07"));
        assert!(conn_now(&ws, "2026-01-08"));
    }

    #[test]
    fn the_report_reads_without_the_tool_and_escapes_names() {
        let dir = tempfile::tempdir().unwrap();
        let ws = ws_at(dir.path(), "2026-01-01");
        let r = review(ws.conn(), ws.clock().now_ts()).unwrap();
        let md = to_markdown(&r, "a|b.db");
        assert!(
            md.starts_with("# List review — 2026-01-01 00:00 UTC"),
            "{md}"
        );
        assert!(md.contains("this is the first"));
        assert!(md.contains("No saved segments."));
        assert!(md.contains("`a\\|b.db`"));
    }
}
