//! Exports: a segment as a file a mailing platform imports as is, and the suppression list.
//!
//! Only contacts that may be mailed are exported for mailing: status `subscribed` with an
//! email address. Unsubscribed, bounced, complained, cleaned and pending (unconfirmed
//! opt-in) contacts are left out unless the caller explicitly asks for them. Cells a
//! spreadsheet would run as a formula are neutralised. A segment can be split into
//! reproducible random groups (A/B tests, a hold-out control group), one file per group.

mod groups;
mod presets;

pub use groups::Groups;
pub use presets::Preset;

use crate::segment::{self, Image, SavedRules, Scope, SegmentError, EXPORT_KIND};
use crate::workspace::{append_log, LogEntry, Workspace, WorkspaceError};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What can go wrong exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Segment(#[from] SegmentError),
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing {path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("unknown preset \"{0}\": expected mailchimp, hubspot or csv")]
    UnknownPreset(String),
    #[error("{0}")]
    BadGroups(String),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("reading the workspace: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// How to export a segment.
#[derive(Debug, Clone)]
pub struct SegmentExport {
    pub segment: String,
    pub preset: Preset,
    /// Export contacts that must not be mailed too (unsubscribed, bounced, ...).
    pub include_unmailable: bool,
    pub groups: Groups,
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    pub path: PathBuf,
    /// The group's name (`A`, `B`, `target`, `holdout`), `None` for a single file.
    pub group: Option<String>,
    pub rows: usize,
}

/// The result of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub files: Vec<Written>,
    /// Segment members left out because they must not be mailed.
    pub skipped_unmailable: usize,
    /// Segment members left out because they have no email address.
    pub skipped_no_email: usize,
}

/// The contact columns exports read.
#[derive(Debug, Clone, Default)]
pub struct ContactRow {
    pub id: i64,
    /// The platform's id for the record (else empty), what imports match on.
    pub external_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub job_title: String,
    pub phone: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postcode: String,
    pub country: String,
    pub language: String,
    pub industry: String,
    pub company_size: String,
    pub lifecycle_stage: String,
    pub lead_status: String,
    pub status: String,
    pub date_of_birth: String,
    pub subscribed_at: Option<i64>,
    pub tags: Vec<String>,
    /// Custom field values by field name.
    pub custom: Vec<(String, String)>,
}

/// Whether a status may be mailed.
fn mailable(status: &str) -> bool {
    status == "subscribed"
}

/// Exports the segment's current matches (evaluated now) to `out`, one file per group.
pub fn export_segment(
    ws: &mut Workspace,
    options: &SegmentExport,
    out: &Path,
) -> Result<Report, ExportError> {
    let saved = segment::get(ws.conn(), &options.segment)?;
    let expr = segment::parse_rule(&saved.name, &saved.rule)?;
    let image = Image::load_scoped(ws.conn(), &Scope::of([&expr]))?;
    let rules = SavedRules::load(ws.conn())?;
    let now = ws.clock().now_ts();
    let compiled =
        segment::compile_segment(&saved.name, &expr, &image, &rules, now).map_err(|error| {
            SegmentError::Rule {
                source_name: saved.name.clone(),
                rule: saved.rule.clone(),
                error,
            }
        })?;
    let ids = compiled.members(&image);
    let (mut skipped_unmailable, mut skipped_no_email) = (0, 0);
    let rows = read_contacts(ws.conn(), &ids, |r| {
        if r.email.trim().is_empty() {
            skipped_no_email += 1;
            false
        } else if !options.include_unmailable && !mailable(&r.status) {
            skipped_unmailable += 1;
            false
        } else {
            true
        }
    })?;
    let custom_names = custom_field_names(ws.conn())?;
    let mut files = Vec::new();
    for (group, members) in options.groups.assign(&saved.name, rows) {
        let path = match &group {
            Some(g) => group_path(out, g),
            None => out.to_path_buf(),
        };
        let n = write_file(
            &path,
            options.preset.header(&custom_names),
            members.iter().map(|r| options.preset.row(r, &custom_names)),
        )?;
        files.push(Written {
            path,
            group,
            rows: n,
        });
    }
    let report = Report {
        files,
        skipped_unmailable,
        skipped_no_email,
    };
    let total: usize = report.files.iter().map(|f| f.rows).sum();
    log(
        ws,
        format!(
            "exported segment \"{}\": {total} contacts ({}) to {}",
            saved.name,
            options.preset.name(),
            out.display()
        ),
        json!({"segment": saved.name, "rule": saved.rule, "preset": options.preset.name(), "groups": options.groups.to_string(),
               "include_unmailable": options.include_unmailable, "report": report}),
    )?;
    Ok(report)
}

/// Exports every contact that must not be mailed (unsubscribed, bounced, complained,
/// cleaned) with an email address, for the platform's suppression list.
pub fn export_suppression(
    ws: &mut Workspace,
    preset: Preset,
    out: &Path,
) -> Result<Report, ExportError> {
    let rows = read_contacts(ws.conn(), &[], |r| {
        !r.email.trim().is_empty() && !mailable(&r.status) && r.status != "pending"
    })?;
    let n = write_file(
        out,
        preset.suppression_header(),
        rows.iter().map(|r| preset.suppression_row(r)),
    )?;
    let report = Report {
        files: vec![Written {
            path: out.to_path_buf(),
            group: None,
            rows: n,
        }],
        skipped_unmailable: 0,
        skipped_no_email: 0,
    };
    log(
        ws,
        format!(
            "exported suppression list: {n} contacts ({}) to {}",
            preset.name(),
            out.display()
        ),
        json!({"suppression": true, "preset": preset.name(), "report": report}),
    )?;
    Ok(report)
}

fn log(ws: &mut Workspace, summary: String, details: serde_json::Value) -> Result<(), ExportError> {
    let (user, now) = (ws.user().to_string(), ws.clock().now_ts());
    ws.write(|tx| -> Result<(), ExportError> {
        append_log(
            tx,
            &user,
            now,
            &LogEntry::new(EXPORT_KIND, summary).with_details(details),
        )?;
        Ok(())
    })
}

/// `out.csv` → `out.A.csv`.
fn group_path(out: &Path, group: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match out.extension() {
        Some(ext) => format!("{stem}.{group}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{group}"),
    };
    out.with_file_name(name)
}

/// Writes the CSV next to its destination and renames it into place, so a failed export
/// never leaves half a file where a platform import would pick it up.
fn write_file(
    path: &Path,
    header: Vec<String>,
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<usize, ExportError> {
    let tmp = path.with_file_name(format!(
        ".{}.partial",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let csv_err = |source| ExportError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = csv::Writer::from_path(&tmp).map_err(csv_err)?;
    writer.write_record(&header).map_err(csv_err)?;
    let mut n = 0;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralize(cell).into_owned()))
            .map_err(csv_err)?;
        n += 1;
    }
    writer.flush().map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    drop(writer);
    std::fs::rename(&tmp, path).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(n)
}

/// Neutralises a cell a spreadsheet would evaluate as a formula (starting with `=`, `+`,
/// `-`, `@`, tab or carriage return) by prefixing `'`. Signed numbers and phone numbers
/// (`+49 30 1234567`, `-5`) are left alone: they cannot run anything, and a quote would
/// corrupt them in the platform the file is imported into.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let numeric = cell.starts_with(['+', '-'])
        && cell[1..].chars().any(|c| c.is_ascii_digit())
        && cell[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')' | '/'));
    if risky && !numeric {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn custom_field_names(conn: &Connection) -> Result<Vec<String>, ExportError> {
    let mut stmt = conn.prepare("SELECT name FROM custom_fields ORDER BY id")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names)
}

/// Each wanted contact's tag names, in the names' order (case-blind, as the tags table
/// collates them). Tags are read by contact, the table's key, and put in order here: there
/// is no index by tag to walk them in name order, and a list's handful of names is
/// quicker ranked once than a million rows sorted by name.
fn read_tags(
    conn: &Connection,
    wanted: impl Fn(i64) -> bool,
) -> Result<HashMap<i64, Vec<String>>, ExportError> {
    let mut stmt = conn.prepare("SELECT id, name FROM tags ORDER BY name")?;
    let names: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let rank: HashMap<i64, usize> = names
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let mut ranks: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT contact_id, tag_id FROM contact_tags")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if let (true, Some(&r)) = (wanted(id), rank.get(&row.get(1)?)) {
            ranks.entry(id).or_default().push(r);
        }
    }
    Ok(ranks
        .into_iter()
        .map(|(id, mut r)| {
            r.sort_unstable();
            (id, r.into_iter().map(|i| names[i].1.clone()).collect())
        })
        .collect())
}

/// Live contacts with the given ids (ascending; all live contacts when `ids` is empty)
/// that `keep` keeps, with their tags and custom values. The contacts are read first and
/// the tags and custom values of those kept only, so memory follows what is exported: the
/// suppression list of a million contacts (185k rows) took 950 MB when every contact was
/// read whole and filtered afterwards.
fn read_contacts(
    conn: &Connection,
    ids: &[i64],
    mut keep: impl FnMut(&ContactRow) -> bool,
) -> Result<Vec<ContactRow>, ExportError> {
    let wanted = |id: i64| ids.is_empty() || ids.binary_search(&id).is_ok();
    let mut stmt = conn.prepare(
        "SELECT id, external_id, email, first_name, last_name, company, job_title, phone, street, city, region, postcode,
                country, language, industry, company_size, lifecycle_stage, lead_status, status,
                date_of_birth, subscribed_at
         FROM contacts WHERE merged_into IS NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if !wanted(id) {
            continue;
        }
        // Any storage class reads as text: a postcode may have been stored as a number.
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(match row.get_ref(i)? {
                ValueRef::Null => String::new(),
                ValueRef::Integer(n) => n.to_string(),
                ValueRef::Real(f) => f.to_string(),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            })
        };
        let contact = ContactRow {
            id,
            external_id: text(1)?,
            email: text(2)?,
            first_name: text(3)?,
            last_name: text(4)?,
            company: text(5)?,
            job_title: text(6)?,
            phone: text(7)?,
            street: text(8)?,
            city: text(9)?,
            region: text(10)?,
            postcode: text(11)?,
            country: text(12)?,
            language: text(13)?,
            industry: text(14)?,
            company_size: text(15)?,
            lifecycle_stage: text(16)?,
            lead_status: text(17)?,
            status: text(18)?,
            date_of_birth: text(19)?,
            subscribed_at: row.get(20)?,
            tags: Vec::new(),
            custom: Vec::new(),
        };
        if keep(&contact) {
            out.push(contact);
        }
    }
    drop(rows);
    drop(stmt);
    // In id order, as read.
    let ids: Vec<i64> = out.iter().map(|c| c.id).collect();
    let kept = |id: i64| ids.binary_search(&id).is_ok();
    let mut tags = read_tags(conn, kept)?;
    let mut custom: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT v.contact_id, f.name, v.value FROM contact_custom_values v JOIN custom_fields f ON f.id = v.field_id ORDER BY f.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if kept(id) {
            custom
                .entry(id)
                .or_default()
                .push((row.get(1)?, row.get(2)?));
        }
    }
    drop(rows);
    drop(stmt);
    for contact in &mut out {
        contact.tags = tags.remove(&contact.id).unwrap_or_default();
        contact.custom = custom.remove(&contact.id).unwrap_or_default();
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
