//! The list audit: finding rules over every live contact, a 0–100 health score with its
//! breakdown, the stored history of audits, the client report, and the actions that
//! resolve findings (fix, suppress, ignore, forget) with their undo.
//!
//! An audit loads the columns it needs with one query, evaluates the per-contact rules in
//! one pass split over the available cores, then finds duplicates and status conflicts
//! across the list by mailbox key.

pub mod actions;
mod kind;
pub mod report;
pub mod rules;
pub mod settings;
mod store;
pub mod view;

pub use actions::{
    apply_fix, erasure_hash, forget, ignore, is_erased, is_suppressed, suggested_fixes, suppress,
    undo, FieldFix,
};
pub use kind::{Kind, Severity};
pub use rules::Tier;
pub use settings::Settings;
pub use store::{history, save_run, RunSummary};

use crate::text::email;
use crate::text::status::Status;
use crate::workspace::WorkspaceError;
use rules::{ContactRow, Hit, RuleContext};
use rusqlite::Connection;
use serde::Serialize;
use settings::PROFILE_FIELDS;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// What can go wrong auditing or acting on findings.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit settings: {reason}")]
    Settings { reason: String },
    #[error("contact {id} does not exist or was merged into another")]
    NoContact { id: i64 },
    #[error("nothing to fix: {reason}")]
    NothingToFix { reason: String },
    #[error("log entry {id} cannot be undone: {reason}")]
    CannotUndo { id: i64, reason: String },
    #[error("audit cancelled")]
    Cancelled,
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// How many examples a finding carries.
pub const EXAMPLES: usize = 5;

/// One contact shown as an example of a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub contact_id: i64,
    pub email: Option<String>,
    pub detail: String,
}

/// How well one field is filled, for the segmentation finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldFill {
    pub field: String,
    pub filled: u64,
    pub share: f64,
    /// `usable`, `partial` or `sparse`.
    pub verdict: &'static str,
}

/// One kind of problem (or opportunity) found in the list.
///
/// For `segmentation_opportunity` alone, `count` is the number of fields reliable to
/// segment on and `share` their share of the fields considered (see `fields`); it never
/// affects the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    pub title: &'static str,
    /// Contacts affected.
    pub count: u64,
    /// `count` as a share of live contacts (0–1).
    pub share: f64,
    pub examples: Vec<Example>,
    pub why: &'static str,
    pub action: &'static str,
    /// For `segmentation_opportunity`: every field's fill rate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldFill>,
}

impl Finding {
    /// Ordering key: severity times share, so a small critical problem outranks a large
    /// cosmetic one.
    pub fn impact(&self) -> f64 {
        self.severity.rank() * self.share
    }
}

/// One line of the score breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Penalty {
    pub kind: String,
    pub weight: f64,
    pub share: f64,
    /// Points lost (0..=weight).
    pub penalty: f64,
}

/// The result of one audit.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub at: i64,
    pub score: u32,
    /// Live contacts (not merged away).
    pub contacts: u64,
    /// Live contacts on the suppression list (no findings are counted for them).
    pub suppressed: u64,
    /// Live contacts that may be mailed: status subscribed and not suppressed.
    pub mailable: u64,
    /// Live contacts by platform status.
    pub by_status: BTreeMap<String, u64>,
    /// Findings with at least one contact, by impact (highest first).
    pub findings: Vec<Finding>,
    pub breakdown: Vec<Penalty>,
    /// Contacts per engagement tier (live, not suppressed), by tier id.
    pub tiers: BTreeMap<&'static str, u64>,
    pub duration_ms: u64,
    /// Contact ids per kind, for drilling in (not serialised).
    #[serde(skip)]
    pub affected: HashMap<Kind, Vec<i64>>,
    /// What the rules used, kept so drilling in explains contacts the same way.
    #[serde(skip)]
    lookups: std::sync::Arc<Lookups>,
}

impl Audit {
    /// The finding of `kind`, if the list has it.
    pub fn finding(&self, kind: Kind) -> Option<&Finding> {
        self.findings.iter().find(|f| f.kind == kind)
    }

    /// The contacts affected by `kind`, `offset..offset + limit` of them, each with what
    /// the rule found (re-evaluated now with this audit's settings and lists).
    pub fn contacts(
        &self,
        conn: &Connection,
        kind: Kind,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Example>, AuditError> {
        let ids: Vec<i64> = self
            .affected
            .get(&kind)
            .map(|ids| ids.iter().skip(offset).take(limit).copied().collect())
            .unwrap_or_default();
        let ctx = self.lookups.context(self.at);
        let rows = load_contacts(conn, Some(&ids))?;
        Ok(ids
            .iter()
            .map(|id| {
                let row = rows.iter().find(|r| r.id == *id);
                let detail = row
                    .and_then(|r| rules::check(r, &ctx).into_iter().find(|h| h.kind == kind))
                    .map(|h| h.detail)
                    .unwrap_or_else(|| match kind {
                        Kind::DuplicateEmail => "same mailbox as another contact".into(),
                        Kind::UnsubscribedConflict => {
                            "another contact with this mailbox may not be mailed".into()
                        }
                        _ => "changed since the audit".into(),
                    });
                Example {
                    contact_id: *id,
                    email: row.and_then(|r| r.email.clone()),
                    detail,
                }
            })
            .collect())
    }
}

/// Progress of a running audit, shared with a UI thread.
#[derive(Debug, Default)]
pub struct Progress {
    /// Contacts evaluated so far.
    pub done: AtomicUsize,
    /// Contacts to evaluate (known once loaded).
    pub total: AtomicUsize,
    /// Set by the UI to stop the audit early.
    pub cancel: AtomicBool,
}

/// Audits the workspace behind `conn` at `now` (see [`run_with_progress`]).
pub fn run(conn: &Connection, now: i64) -> Result<Audit, AuditError> {
    run_with_progress(conn, now, &Progress::default())
}

const LOAD_SQL: &str =
    "SELECT c.id, c.email, c.email_norm, c.first_name, c.last_name, c.company, c.job_title,
        c.phone, c.street, c.city, c.region, c.postcode, c.country, c.date_of_birth, c.language,
        c.industry, c.company_size, c.lifecycle_stage, c.lead_status, c.status, c.last_open_at,
        c.last_click_at, c.open_count, c.click_count, c.subscribed_at, c.first_seen_at,
        s.contact_id IS NOT NULL
     FROM contacts c LEFT JOIN audit_suppressions s ON s.contact_id = c.id
     WHERE c.merged_into IS NULL ORDER BY c.id";

/// Loads every live contact's audited columns with one query.
pub fn load_contacts(
    conn: &Connection,
    where_ids: Option<&[i64]>,
) -> rusqlite::Result<Vec<ContactRow>> {
    let sql = match where_ids {
        None => LOAD_SQL.to_string(),
        Some(_) => LOAD_SQL.replace(
            "WHERE c.merged_into IS NULL",
            "WHERE c.merged_into IS NULL AND c.id IN (SELECT value FROM json_each(?1))",
        ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let map = contact_row;
    match where_ids {
        None => stmt.query_map([], map)?.collect(),
        Some(ids) => {
            let json = serde_json::Value::from(ids.to_vec()).to_string();
            stmt.query_map([json], map)?.collect()
        }
    }
}

/// One range's counts and slim keys; `None` when the audit was cancelled.
type ScanPart = Option<(Tally, Vec<Slim>)>;

/// What the cross-contact checks keep of each contact once its own rules have run.
struct Slim {
    id: i64,
    key: Option<String>,
    status: Status,
    suppressed: bool,
}

impl Slim {
    fn mailable(&self) -> bool {
        matches!(self.status, Status::Subscribed | Status::Pending)
    }
}

/// Reads the status column (always one of the CHECK constraint's words).
fn status_of(word: &str) -> Status {
    Status::ALL
        .into_iter()
        .find(|s| s.as_str() == word)
        .unwrap_or(Status::Subscribed)
}

/// Streams every live contact through the per-contact rules, over as many read
/// connections as there are cores (each reads one id range): decoding a million rows is
/// most of an audit's time, and nothing but the slim cross-contact keys is kept, so
/// memory stays small. Falls back to the one connection for in-memory databases and
/// small lists. `None` when cancelled.
fn scan(
    conn: &Connection,
    ctx: &RuleContext<'_>,
    progress: &Progress,
) -> Result<ScanPart, AuditError> {
    let (min, max, n): (i64, i64, i64) = conn.query_row(
        "SELECT coalesce(min(id), 0), coalesce(max(id), 0), count(*) FROM contacts",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let threads = worker_count(usize::try_from(n).unwrap_or(0), 100_000);
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let Some(path) = path.filter(|_| threads > 1) else {
        return Ok(scan_range(conn, min, max + 1, ctx, progress)?);
    };
    let step = (max - min) / threads as i64 + 1;
    let parts: Vec<rusqlite::Result<ScanPart>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads as i64)
            .map(|i| {
                let path = &path;
                s.spawn(move || {
                    let reader = Connection::open_with_flags(
                        path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    let lo = min + i * step;
                    scan_range(&reader, lo, lo + step, ctx, progress)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(rusqlite::Error::InvalidQuery)))
            .collect()
    });
    let mut tally = Tally::new();
    let mut slims = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    for part in parts {
        let Some((t, s)) = part? else {
            return Ok(None);
        };
        tally.merge(t);
        slims.extend(s);
    }
    Ok(Some((tally, slims)))
}

/// The rules over live contacts with `from <= id < to`, in id order.
fn scan_range(
    conn: &Connection,
    from: i64,
    to: i64,
    ctx: &RuleContext<'_>,
    progress: &Progress,
) -> rusqlite::Result<ScanPart> {
    let sql = LOAD_SQL.replace(
        "WHERE c.merged_into IS NULL",
        "WHERE c.merged_into IS NULL AND c.id >= ?1 AND c.id < ?2",
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([from, to])?;
    let mut tally = Tally::new();
    let mut slims = Vec::new();
    let mut seen = 0usize;
    while let Some(r) = rows.next()? {
        let row = contact_row(r)?;
        seen += 1;
        if seen.is_multiple_of(4096) {
            if progress.cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            progress.done.fetch_add(4096, Ordering::Relaxed);
        }
        tally.count(&row, ctx);
        slims.push(Slim {
            id: row.id,
            key: row.mailbox_key(),
            status: status_of(&row.status),
            suppressed: row.suppressed,
        });
    }
    progress.done.fetch_add(seen % 4096, Ordering::Relaxed);
    Ok(Some((tally, slims)))
}

fn contact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ContactRow> {
    let mut fields: [Option<String>; PROFILE_FIELDS.len()] = Default::default();
    for (i, f) in fields.iter_mut().enumerate() {
        *f = r.get(3 + i)?;
    }
    Ok(ContactRow {
        id: r.get(0)?,
        email: r.get(1)?,
        email_norm: r.get(2)?,
        fields,
        status: r.get(19)?,
        last_open_at: r.get(20)?,
        last_click_at: r.get(21)?,
        open_count: r.get(22)?,
        click_count: r.get(23)?,
        subscribed_at: r.get(24)?,
        first_seen_at: r.get(25)?,
        suppressed: r.get(26)?,
    })
}

/// Everything the per-contact rules need from the rest of the workspace.
#[derive(Debug)]
pub(crate) struct Lookups {
    pub settings: Settings,
    pub typos: HashMap<String, String>,
    pub bounce_events: HashSet<i64>,
    pub complaint_events: HashSet<i64>,
    pub ignored: HashSet<(i64, Kind)>,
    pub required: Vec<usize>,
}

impl Lookups {
    pub(crate) fn load(conn: &Connection) -> Result<Lookups, AuditError> {
        let settings = Settings::load(conn)?;
        let mut bounce_events = HashSet::new();
        let mut complaint_events = HashSet::new();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT contact_id, type FROM events WHERE type IN ('bounce', 'complaint')",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            if r.get::<_, String>(1)? == "bounce" {
                bounce_events.insert(id);
            } else {
                complaint_events.insert(id);
            }
        }
        let mut ignored = HashSet::new();
        let mut stmt = conn.prepare("SELECT contact_id, kind FROM audit_ignored")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            if let Some(kind) = Kind::parse(&r.get::<_, String>(1)?) {
                ignored.insert((r.get(0)?, kind));
            }
        }
        let required = settings
            .required_fields
            .iter()
            .filter_map(|f| rules::field_index(f))
            .collect();
        let typos = typo_suggestions(conn, &settings)?;
        Ok(Lookups {
            settings,
            typos,
            bounce_events,
            complaint_events,
            ignored,
            required,
        })
    }

    pub(crate) fn context(&self, now: i64) -> RuleContext<'_> {
        RuleContext {
            now,
            settings: &self.settings,
            typos: &self.typos,
            bounce_events: &self.bounce_events,
            complaint_events: &self.complaint_events,
            ignored: &self.ignored,
            required: &self.required,
        }
    }
}

/// The typo suggestion for every distinct domain in the list that has one. Domains with at
/// least `frequent_domain_min` contacts are the list's own "known good" domains.
fn typo_suggestions(
    conn: &Connection,
    settings: &Settings,
) -> rusqlite::Result<HashMap<String, String>> {
    let mut stmt = conn.prepare(
        "SELECT substr(email_norm, instr(email_norm, '@') + 1) AS d, count(*) FROM contacts
         WHERE merged_into IS NULL AND email_norm LIKE '%_@_%' GROUP BY d",
    )?;
    let owned: Vec<(String, u32)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let counts: HashMap<&str, u32> = owned.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let mut frequent: Vec<(&str, u32)> = counts
        .iter()
        .filter(|(_, &n)| n >= settings.frequent_domain_min)
        .map(|(&d, &n)| (d, n))
        .collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    frequent.truncate(500);
    let frequent: Vec<&str> = frequent.into_iter().map(|(d, _)| d).collect();
    let candidates: Vec<&str> = counts
        .iter()
        .filter(|(_, &n)| n < settings.frequent_domain_min)
        .map(|(&d, _)| d)
        .collect();
    let threads = worker_count(candidates.len(), 2_000);
    let chunk = candidates.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                let frequent = &frequent;
                s.spawn(move || {
                    part.iter()
                        .filter_map(|&d| {
                            let fixed = email::suggest_domain(d, frequent)?;
                            // A disposable provider is a typo only when one edit away
                            // (gmial.com), not two (yopmail.com is not ymail.com).
                            let listed =
                                email::is_disposable(d, &settings.extra_disposable_domains);
                            (!listed || strsim::osa_distance(d, &fixed) <= 1)
                                .then(|| (d.to_string(), fixed))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        Ok(handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect())
    })
}

/// Threads worth starting for `n` items when each thread should get at least `min_each`.
fn worker_count(n: usize, min_each: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(n / min_each.max(1)).max(1)
}

/// Per-kind tallies of one slice of contacts.
struct Tally {
    ids: Vec<Vec<i64>>,
    examples: Vec<Vec<Example>>,
    tiers: [u64; Tier::ALL.len()],
    filled: [u64; PROFILE_FIELDS.len()],
}

impl Tally {
    fn new() -> Tally {
        Tally {
            ids: vec![Vec::new(); Kind::ALL.len()],
            examples: vec![Vec::new(); Kind::ALL.len()],
            tiers: [0; Tier::ALL.len()],
            filled: [0; PROFILE_FIELDS.len()],
        }
    }

    fn add(&mut self, id: i64, email: Option<&str>, hit: Hit) {
        let k = hit.kind.index();
        self.ids[k].push(id);
        if self.examples[k].len() < EXAMPLES {
            self.examples[k].push(Example {
                contact_id: id,
                email: email.map(str::to_string),
                detail: hit.detail,
            });
        }
    }

    /// Runs the per-contact rules on `row` and counts what they find.
    fn count(&mut self, row: &ContactRow, ctx: &RuleContext<'_>) {
        for (f, filled) in self.filled.iter_mut().enumerate() {
            *filled += u64::from(row.field(f).is_some());
        }
        if row.suppressed {
            return;
        }
        let t = rules::tier(row, ctx.now, ctx.settings);
        if let Some(i) = Tier::ALL.iter().position(|x| *x == t) {
            self.tiers[i] += 1;
        }
        let examples = &self.examples;
        let hits = rules::check_with(row, ctx, |k| examples[k.index()].len() < EXAMPLES);
        for hit in hits {
            self.add(row.id, row.email.as_deref(), hit);
        }
    }

    fn merge(&mut self, other: Tally) {
        for (k, (ids, ex)) in other.ids.into_iter().zip(other.examples).enumerate() {
            self.ids[k].extend(ids);
            let room = EXAMPLES.saturating_sub(self.examples[k].len());
            self.examples[k].extend(ex.into_iter().take(room));
        }
        for (a, b) in self.tiers.iter_mut().zip(other.tiers) {
            *a += b;
        }
        for (a, b) in self.filled.iter_mut().zip(other.filled) {
            *a += b;
        }
    }
}

/// Audits the workspace: loads, evaluates, scores. `progress` is updated as contacts are
/// evaluated and checked for cancellation, so a UI can run this on a worker thread.
pub fn run_with_progress(
    conn: &Connection,
    now: i64,
    progress: &Progress,
) -> Result<Audit, AuditError> {
    let started = std::time::Instant::now();
    let cancelled = || progress.cancel.load(Ordering::Relaxed);
    if cancelled() {
        return Err(AuditError::Cancelled);
    }
    progress.total.store(
        conn.query_row(
            "SELECT count(*) FROM contacts WHERE merged_into IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )?
        .max(0) as usize,
        Ordering::Relaxed,
    );
    let lookups = Lookups::load(conn)?;
    let ctx = lookups.context(now);
    let (mut tally, slims) = scan(conn, &ctx, progress)?.ok_or(AuditError::Cancelled)?;
    cross_contact(conn, &slims, &lookups.ignored, &mut tally)?;
    let live = slims.len() as u64;
    let suppressed = slims.iter().filter(|r| r.suppressed).count() as u64;
    let mailable = slims
        .iter()
        .filter(|r| !r.suppressed && r.status == Status::Subscribed)
        .count() as u64;
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for r in &slims {
        *by_status.entry(r.status.as_str().to_string()).or_default() += 1;
    }
    drop(slims);
    let mut findings: Vec<Finding> = Vec::new();
    let mut affected = HashMap::new();
    for kind in Kind::ALL {
        let ids = std::mem::take(&mut tally.ids[kind.index()]);
        if ids.is_empty() {
            continue;
        }
        findings.push(finding(
            kind,
            ids.len() as u64,
            live,
            std::mem::take(&mut tally.examples[kind.index()]),
        ));
        affected.insert(kind, ids);
    }
    let fills = field_fills(conn, &tally.filled, live, &lookups.settings)?;
    if live > 0 {
        let usable = fills.iter().filter(|f| f.verdict == "usable").count() as u64;
        let mut f = finding(Kind::SegmentationOpportunity, usable, live, Vec::new());
        f.share = if fills.is_empty() {
            0.0
        } else {
            usable as f64 / fills.len() as f64
        };
        f.fields = fills;
        findings.push(f);
    }
    findings.sort_by(|a, b| b.impact().total_cmp(&a.impact()).then(a.kind.cmp(&b.kind)));
    let breakdown = score_breakdown(&findings);
    let lost: f64 = breakdown.iter().map(|p| p.penalty).sum();
    let score = (100.0 - lost).round().clamp(0.0, 100.0) as u32;
    let tiers = Tier::ALL
        .iter()
        .zip(tally.tiers)
        .map(|(t, n)| (t.as_str(), n))
        .collect();
    Ok(Audit {
        at: now,
        score,
        contacts: live,
        suppressed,
        mailable,
        by_status,
        findings,
        breakdown,
        tiers,
        duration_ms: started.elapsed().as_millis() as u64,
        affected,
        lookups: std::sync::Arc::new(lookups),
    })
}

fn finding(kind: Kind, count: u64, live: u64, examples: Vec<Example>) -> Finding {
    Finding {
        kind,
        severity: kind.severity(),
        title: kind.title(),
        count,
        share: if live == 0 {
            0.0
        } else {
            count as f64 / live as f64
        },
        examples,
        why: kind.why(),
        action: kind.action(),
        fields: Vec::new(),
    }
}

/// Duplicates (same mailbox key on two live contacts) and status conflicts (a mailable
/// contact whose mailbox another contact has unsubscribed, cleaned, bounced or complained).
fn cross_contact(
    conn: &Connection,
    rows: &[Slim],
    ignored: &HashSet<(i64, Kind)>,
    tally: &mut Tally,
) -> rusqlite::Result<()> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        if let Some(key) = r.key.as_deref() {
            groups.entry(key).or_default().push(i);
        }
    }
    let mut dup: Vec<(usize, Hit)> = Vec::new();
    let mut conflict: Vec<(usize, Hit)> = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        for &i in members {
            let r = &rows[i];
            if r.suppressed {
                continue;
            }
            let others = || members.iter().filter(move |&&j| j != i).map(|&j| &rows[j]);
            if !ignored.contains(&(r.id, Kind::DuplicateEmail)) {
                let ids: Vec<String> = others().map(|o| o.id.to_string()).collect();
                dup.push((
                    i,
                    Hit {
                        kind: Kind::DuplicateEmail,
                        detail: format!("same mailbox as contact {}", ids.join(", ")),
                    },
                ));
            }
            if r.mailable() && !ignored.contains(&(r.id, Kind::UnsubscribedConflict)) {
                if let Some(o) = others().find(|o| !o.mailable()) {
                    conflict.push((
                        i,
                        Hit {
                            kind: Kind::UnsubscribedConflict,
                            detail: format!("contact {} with this mailbox is {}", o.id, o.status),
                        },
                    ));
                }
            }
        }
    }
    let mut email = conn.prepare("SELECT email FROM contacts WHERE id = ?1")?;
    for mut list in [dup, conflict] {
        list.sort_by_key(|(i, _)| *i);
        for (n, (i, hit)) in list.into_iter().enumerate() {
            let id = rows[i].id;
            // Only examples show the address: look up just those few.
            let addr: Option<String> = if n < EXAMPLES {
                email.query_row([id], |r| r.get(0))?
            } else {
                None
            };
            tally.add(id, addr.as_deref(), hit);
        }
    }
    Ok(())
}

/// Profile fields people segment on (names, phones and streets identify, they do not
/// group).
const SEGMENT_FIELDS: &[&str] = &[
    "company",
    "job_title",
    "city",
    "region",
    "postcode",
    "country",
    "language",
    "industry",
    "company_size",
    "lifecycle_stage",
    "lead_status",
];

/// Fill rates of the segmentable profile fields, custom fields and tags over live
/// contacts.
fn field_fills(
    conn: &Connection,
    filled: &[u64],
    live: u64,
    settings: &Settings,
) -> rusqlite::Result<Vec<FieldFill>> {
    let mut counts: Vec<(String, u64)> = PROFILE_FIELDS
        .iter()
        .zip(filled)
        .filter(|(f, _)| SEGMENT_FIELDS.contains(f))
        .map(|(f, n)| (f.to_string(), *n))
        .collect();
    // Custom fields whose values are nearly all different (platform ids, timestamps)
    // cannot define a segment, however well filled.
    let mut stmt = conn.prepare(
        "SELECT f.name, count(*), count(DISTINCT v.value) FROM contact_custom_values v
         JOIN custom_fields f ON f.id = v.field_id
         JOIN contacts c ON c.id = v.contact_id AND c.merged_into IS NULL
         WHERE trim(v.value) <> '' GROUP BY f.id ORDER BY f.name",
    )?;
    let custom = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for c in custom {
        let (name, n, distinct) = c?;
        if n >= 20 && distinct * 10 > n * 9 {
            continue;
        }
        counts.push((name, n.max(0) as u64));
    }
    let tagged: i64 = conn.query_row(
        "SELECT count(DISTINCT t.contact_id) FROM contact_tags t
         JOIN contacts c ON c.id = t.contact_id AND c.merged_into IS NULL",
        [],
        |r| r.get(0),
    )?;
    counts.push(("tags".to_string(), tagged.max(0) as u64));
    Ok(counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(field, n)| {
            let share = if live == 0 {
                0.0
            } else {
                n as f64 / live as f64
            };
            let verdict = if share >= settings.segment_min_fill {
                "usable"
            } else if share < settings.segment_sparse_below {
                "sparse"
            } else {
                "partial"
            };
            FieldFill {
                field,
                filled: n,
                share,
                verdict,
            }
        })
        .collect())
}

fn score_breakdown(findings: &[Finding]) -> Vec<Penalty> {
    Kind::ALL
        .iter()
        .filter(|k| k.score_weight().0 > 0.0)
        .map(|&kind| {
            let (weight, tolerance) = kind.score_weight();
            let share = findings
                .iter()
                .find(|f| f.kind == kind)
                .map_or(0.0, |f| f.share);
            Penalty {
                kind: kind.as_str().to_string(),
                weight,
                share,
                penalty: weight * (share / tolerance).min(1.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::OpenOptions;

    fn workspace(n: usize) -> (tempfile::TempDir, crate::workspace::Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let mut ws =
            crate::workspace::Workspace::open(&dir.path().join("w.db"), &OpenOptions::default())
                .unwrap();
        ws.write(|tx| -> Result<(), WorkspaceError> {
            for i in 0..n {
                tx.execute(
                    "INSERT INTO contacts (email, email_norm, first_name, source, first_seen_at, updated_at)
                     VALUES (?1, ?1, 'Anna', 'test', 0, 0)",
                    [format!("p{}@firm.ie", i % (n - 1).max(1))],
                )?;
            }
            Ok(())
        })
        .unwrap();
        (dir, ws)
    }

    #[test]
    fn progress_reaches_the_total_and_cancel_stops() {
        let (_dir, ws) = workspace(10_000);
        let progress = Progress::default();
        let audit = run_with_progress(ws.conn(), 1_000_000, &progress).unwrap();
        assert_eq!(progress.done.load(Ordering::Relaxed), 10_000);
        assert_eq!(progress.total.load(Ordering::Relaxed), 10_000);
        assert_eq!(audit.contacts, 10_000);
        assert_eq!(
            audit.finding(Kind::DuplicateEmail).map(|f| f.count),
            Some(2)
        );
        let cancelled = Progress::default();
        cancelled.cancel.store(true, Ordering::Relaxed);
        assert!(matches!(
            run_with_progress(ws.conn(), 1_000_000, &cancelled),
            Err(AuditError::Cancelled)
        ));
    }

    #[test]
    fn score_falls_with_the_share_of_problems() {
        let (_dir, ws) = workspace(10);
        let audit = run(ws.conn(), 1_000_000).unwrap();
        let dup = audit
            .breakdown
            .iter()
            .find(|p| p.kind == "duplicate_email")
            .unwrap();
        assert!((dup.share - 0.2).abs() < 1e-9);
        assert!(
            (dup.penalty - 8.0).abs() < 1e-9,
            "20% duplicates cost all 8 points"
        );
        assert!(audit.score < 100);
        let lost: f64 = audit.breakdown.iter().map(|p| p.penalty).sum();
        assert_eq!(audit.score, (100.0 - lost).round() as u32);
    }
}
