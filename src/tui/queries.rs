//! The reads the TUI makes, run only on the reader worker (never on the UI thread).
//!
//! Scrolling through a million contacts works on an *order*: the ids of the contacts in
//! the current view (filter + sort), 8 bytes each, computed once per view on the worker.
//! Pages are then fetched by id, so a page costs the same at row 10 and at row 900,000
//! whatever the sort — plain `LIMIT/OFFSET` over an unindexed sort would re-sort the whole
//! table for every page. Only the visible page plus a margin ever reaches the UI.

use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};
use serde_json::Value;
use std::collections::HashMap;

/// Columns the contacts table can be sorted by, in the order `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Email,
    Name,
    Company,
    Country,
    Status,
    LastActivity,
    Source,
    Added,
}

impl SortColumn {
    pub const ALL: [SortColumn; 8] = [
        SortColumn::Email,
        SortColumn::Name,
        SortColumn::Company,
        SortColumn::Country,
        SortColumn::Status,
        SortColumn::LastActivity,
        SortColumn::Source,
        SortColumn::Added,
    ];

    /// The header of the column.
    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Email => "Email",
            SortColumn::Name => "Name",
            SortColumn::Company => "Company",
            SortColumn::Country => "CC",
            SortColumn::Status => "Status",
            SortColumn::LastActivity => "Active",
            SortColumn::Source => "Source",
            SortColumn::Added => "Added",
        }
    }

    /// The column after this one, wrapping around.
    pub fn next(self) -> SortColumn {
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The SQL expression sorted on; `NULLS LAST` keeps empty values out of the way.
    fn sql(self) -> &'static str {
        match self {
            SortColumn::Email => "c.email_norm",
            SortColumn::Name => NAME_SQL,
            SortColumn::Company => "nullif(lower(trim(c.company)), '')",
            SortColumn::Country => "nullif(c.country, '')",
            SortColumn::Status => "c.status",
            SortColumn::LastActivity => ACTIVITY_SQL,
            SortColumn::Source => "c.source",
            SortColumn::Added => "coalesce(c.subscribed_at, c.first_seen_at)",
        }
    }
}

/// How the contacts table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: SortColumn::Email,
            descending: false,
        }
    }
}

const NAME_SQL: &str =
    "nullif(lower(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))), '')";

/// The latest open, click or event of a contact: what "last activity" means to a marketer.
const ACTIVITY_SQL: &str = "nullif(max(coalesce(c.last_open_at, 0), coalesce(c.last_click_at, 0), \
     coalesce((SELECT max(e.occurred_at) FROM events e WHERE e.contact_id = c.id), 0)), 0)";

/// One line of the contacts table.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub company: String,
    pub country: String,
    pub status: String,
    pub last_activity: Option<i64>,
    pub source: String,
    pub added: i64,
}

/// The ids of the live contacts matching `filter` (substring of email, name or company,
/// case-insensitive), in `sort` order; only the first `limit` when given (SQLite then
/// stops early along an index, or keeps a small top-N sorter instead of sorting all).
pub fn ordered_ids(
    conn: &Connection,
    sort: Sort,
    filter: &str,
    limit: Option<usize>,
) -> rusqlite::Result<Vec<i64>> {
    let direction = if sort.descending { "DESC" } else { "ASC" };
    if sort.column != SortColumn::Email {
        let order = format!(
            "{} {direction} NULLS LAST, c.id {direction}",
            sort.column.sql()
        );
        return ids_in_order(conn, "", &order, filter, limit);
    }
    // The address index holds only contacts with an address (see migration 0009): they
    // come along it, and then those without one.
    let order = format!("c.email_norm {direction}, c.id {direction}");
    let mut ids = ids_in_order(conn, "AND c.email_norm IS NOT NULL", &order, filter, limit)?;
    let rest = limit.map(|limit| limit.saturating_sub(ids.len()));
    if rest != Some(0) {
        let order = format!("c.id {direction}");
        ids.extend(ids_in_order(
            conn,
            "AND c.email_norm IS NULL",
            &order,
            filter,
            rest,
        )?);
    }
    Ok(ids)
}

/// The ids of the live contacts matching `filter` and the SQL condition `and`, ordered by
/// the SQL `order`.
fn ids_in_order(
    conn: &Connection,
    and: &str,
    order: &str,
    filter: &str,
    limit: Option<usize>,
) -> rusqlite::Result<Vec<i64>> {
    let mut sql = format!("SELECT c.id FROM contacts c WHERE c.merged_into IS NULL {and}");
    let filter = filter.trim();
    let pattern = format!("%{}%", escape_like(filter));
    if !filter.is_empty() {
        sql.push_str(&format!(
            " AND (c.email LIKE ?1 ESCAPE '\\' OR {NAME_SQL} LIKE ?1 ESCAPE '\\' \
             OR c.company LIKE ?1 ESCAPE '\\')"
        ));
    }
    sql.push_str(&format!(" ORDER BY {order}"));
    if let Some(limit) = limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    let mut stmt = conn.prepare(&sql)?;
    let rows = if filter.is_empty() {
        stmt.query_map([], |r| r.get(0))?.collect()
    } else {
        stmt.query_map([&pattern], |r| r.get(0))?.collect()
    };
    rows
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The rows for `ids`, in the order given. Ids that vanished meanwhile are skipped.
pub fn rows(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<ContactRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(",");
    let sql = format!(
        "SELECT c.id, coalesce(c.email, ''), \
                trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), \
                coalesce(c.company, ''), coalesce(c.country, ''), c.status, {ACTIVITY_SQL}, \
                c.source, coalesce(c.subscribed_at, c.first_seen_at) \
         FROM contacts c WHERE c.id IN ({marks})"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut by_id: HashMap<i64, ContactRow> = stmt
        .query_map(params_from_iter(ids), |r| {
            Ok(ContactRow {
                id: r.get(0)?,
                email: r.get(1)?,
                name: r.get(2)?,
                company: r.get(3)?,
                country: r.get(4)?,
                status: r.get(5)?,
                last_activity: r.get(6)?,
                source: r.get(7)?,
                added: r.get(8)?,
            })
        })?
        .map(|row| row.map(|r| (r.id, r)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Live contacts (merged-away ones are not counted).
pub fn live_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM contacts WHERE merged_into IS NULL",
        [],
        |r| r.get(0),
    )
}

/// Everything the detail view shows about one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactDetail {
    pub id: i64,
    /// The contact's known fields that have a value, as (label, value).
    pub fields: Vec<(&'static str, String)>,
    pub merged_into: Option<i64>,
    pub sources: Vec<SourceRecord>,
    pub custom: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub events: Vec<EventLine>,
    pub event_total: i64,
}

/// One imported row behind a contact, its values paired with that import's headers.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub import_id: i64,
    pub path: String,
    pub preset: String,
    pub imported_at: i64,
    pub row_number: i64,
    pub external_id: Option<String>,
    pub values: Vec<(String, String)>,
}

/// One behaviour event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLine {
    pub at: i64,
    pub kind: String,
    pub campaign: String,
    pub url: String,
    pub amount: Option<f64>,
}

/// How many recent events the detail view lists.
const RECENT_EVENTS: i64 = 20;

/// How a contacts column is shown in the detail view.
enum Shown {
    Text,
    Time,
    Number,
    /// `YYYY-MM-DD`, or `--MM-DD` (a birthday without its year) spelled out.
    BirthDate,
}

const DETAIL_FIELDS: &[(&str, &str, Shown)] = &[
    ("email", "Email", Shown::Text),
    ("first_name", "First name", Shown::Text),
    ("last_name", "Last name", Shown::Text),
    ("company", "Company", Shown::Text),
    ("job_title", "Job title", Shown::Text),
    ("phone", "Phone", Shown::Text),
    ("street", "Street", Shown::Text),
    ("city", "City", Shown::Text),
    ("region", "Region", Shown::Text),
    ("postcode", "Postcode", Shown::Text),
    ("country", "Country", Shown::Text),
    ("date_of_birth", "Born", Shown::BirthDate),
    ("language", "Language", Shown::Text),
    ("industry", "Industry", Shown::Text),
    ("company_size", "Company size", Shown::Text),
    ("lifecycle_stage", "Lifecycle", Shown::Text),
    ("lead_status", "Lead status", Shown::Text),
    ("status", "Status", Shown::Text),
    ("status_source", "Status from", Shown::Text),
    ("member_rating", "Rating", Shown::Number),
    ("open_count", "Opens", Shown::Number),
    ("click_count", "Clicks", Shown::Number),
    ("purchase_count", "Purchases", Shown::Number),
    ("total_spent", "Spent", Shown::Number),
    ("last_open_at", "Last open", Shown::Time),
    ("last_click_at", "Last click", Shown::Time),
    ("subscribed_at", "Subscribed", Shown::Time),
    ("external_id", "External id", Shown::Text),
    ("source", "Source", Shown::Text),
    ("first_seen_at", "First seen", Shown::Time),
    ("updated_at", "Updated", Shown::Time),
];

/// The contact columns the detail view shows, as (column, label), in its order.
pub fn detail_columns() -> impl Iterator<Item = (&'static str, &'static str)> {
    DETAIL_FIELDS
        .iter()
        .map(|(column, label, _)| (*column, *label))
}

/// The contact `id` with its sources (its own and those of contacts merged into it),
/// custom fields, tags and recent events; `None` when it does not exist.
pub fn detail(conn: &Connection, id: i64) -> rusqlite::Result<Option<ContactDetail>> {
    let columns: Vec<&str> = DETAIL_FIELDS.iter().map(|(c, _, _)| *c).collect();
    let sql = format!(
        "SELECT merged_into, {} FROM contacts WHERE id = ?1",
        columns.join(", ")
    );
    let head = conn
        .query_row(&sql, [id], |r| {
            let merged_into: Option<i64> = r.get(0)?;
            let mut fields = Vec::new();
            for (i, (_, label, shown)) in DETAIL_FIELDS.iter().enumerate() {
                if let Some(value) = shown_value(r, i + 1, shown)? {
                    fields.push((*label, value));
                }
            }
            Ok((merged_into, fields))
        })
        .optional()?;
    let Some((merged_into, fields)) = head else {
        return Ok(None);
    };
    Ok(Some(ContactDetail {
        id,
        fields,
        merged_into,
        sources: sources(conn, id)?,
        custom: conn
            .prepare(
                "SELECT f.name, v.value FROM contact_custom_values v \
                 JOIN custom_fields f ON f.id = v.field_id \
                 WHERE v.contact_id = ?1 ORDER BY f.name",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?,
        tags: conn
            .prepare(
                "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id \
                 WHERE ct.contact_id = ?1 ORDER BY t.name",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
        events: conn
            .prepare(&format!(
                "{FAMILY} SELECT occurred_at, type, campaign, url, amount FROM events \
                 WHERE contact_id IN (SELECT id FROM family) \
                 ORDER BY occurred_at DESC, id DESC LIMIT {RECENT_EVENTS}"
            ))?
            .query_map([id], |r| {
                Ok(EventLine {
                    at: r.get(0)?,
                    kind: r.get(1)?,
                    campaign: r.get(2)?,
                    url: r.get(3)?,
                    amount: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?,
        event_total: conn.query_row(
            &format!(
                "{FAMILY} SELECT count(*) FROM events WHERE contact_id IN (SELECT id FROM family)"
            ),
            [id],
            |r| r.get(0),
        )?,
    }))
}

/// The contact `?1` and every contact merged into it, directly or through others.
const FAMILY: &str = "WITH RECURSIVE family(id) AS (SELECT ?1 \
     UNION SELECT c.id FROM contacts c JOIN family f ON c.merged_into = f.id)";

fn sources(conn: &Connection, id: i64) -> rusqlite::Result<Vec<SourceRecord>> {
    let mut stmt = conn.prepare(&format!(
        "{FAMILY} SELECT s.import_id, i.path, i.preset, i.started_at, s.row_number, \
                s.external_id, i.headers, s.raw \
         FROM source_records s JOIN imports i ON i.id = s.import_id \
         WHERE s.contact_id IN (SELECT id FROM family) \
         ORDER BY i.started_at, s.import_id, s.row_number"
    ))?;
    let rows = stmt.query_map([id], |r| {
        let headers: String = r.get(6)?;
        let raw: String = r.get(7)?;
        Ok(SourceRecord {
            import_id: r.get(0)?,
            path: r.get(1)?,
            preset: r.get(2)?,
            imported_at: r.get(3)?,
            row_number: r.get(4)?,
            external_id: r.get(5)?,
            values: pair_with_headers(&headers, &raw),
        })
    })?;
    rows.collect()
}

/// Pairs a row's raw values with the headers of its import. A value beyond the header row
/// (ragged row) is kept under `column N`; unreadable JSON is shown as it is stored.
fn pair_with_headers(headers: &str, raw: &str) -> Vec<(String, String)> {
    let headers = json_strings(headers).unwrap_or_default();
    match json_strings(raw) {
        Some(values) => values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let header = headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", i + 1));
                (header, v)
            })
            .collect(),
        None => vec![("raw".to_string(), raw.to_string())],
    }
}

fn json_strings(text: &str) -> Option<Vec<String>> {
    let values: Vec<Value> = serde_json::from_str(text).ok()?;
    Some(
        values
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            })
            .collect(),
    )
}

fn shown_value(r: &Row<'_>, i: usize, shown: &Shown) -> rusqlite::Result<Option<String>> {
    Ok(match shown {
        Shown::Text => r
            .get::<_, Option<String>>(i)?
            .filter(|s| !s.trim().is_empty()),
        Shown::Time => r.get::<_, Option<i64>>(i)?.map(format_time),
        Shown::Number => r.get::<_, Option<f64>>(i)?.map(format_number),
        Shown::BirthDate => r.get::<_, Option<String>>(i)?.map(format_birth_date),
    })
}

/// A stored date of birth as a person reads it: `1980-10-03` as it is, a yearless
/// `--10-03` as `3 Oct (no year)`, short enough for the side-by-side review.
fn format_birth_date(stored: String) -> String {
    let day = crate::text::date::yearless(&stored)
        .and_then(|(m, d)| chrono::NaiveDate::from_ymd_opt(2000, m, d));
    match day {
        Some(day) => day.format("%-d %b (no year)").to_string(),
        None => stored,
    }
}

/// A unix time as `YYYY-MM-DD HH:MM` UTC.
pub fn format_time(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| ts.to_string())
}

/// A unix time as `YYYY-MM-DD` UTC.
pub fn format_date(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| ts.to_string())
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n:.2}")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::workspace::{OpenOptions, Workspace};

    /// A temp workspace with three contacts (one merged into another), one import with
    /// headers, source records, a custom field, tags and events.
    pub(crate) fn fixture() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &OpenOptions::default()).unwrap();
        ws.write(|tx| -> Result<(), crate::workspace::WorkspaceError> {
            tx.execute_batch(FIXTURE_SQL)?;
            Ok(())
        })
        .unwrap();
        (dir, ws)
    }

    /// Shared with the integration tests (snapshots, tmux).
    pub(crate) const FIXTURE_SQL: &str = include_str!("../../tests/tui_fixture.sql");

    #[test]
    fn the_order_follows_sort_and_filter_and_skips_merged_contacts() {
        let (_dir, ws) = fixture();
        let by_email = ordered_ids(ws.conn(), Sort::default(), "", None).unwrap();
        assert_eq!(by_email, vec![1, 2, 4]);
        let first_two = ordered_ids(ws.conn(), Sort::default(), "", Some(2)).unwrap();
        assert_eq!(first_two, vec![1, 2]);
        let desc = Sort {
            column: SortColumn::Email,
            descending: true,
        };
        assert_eq!(
            ordered_ids(ws.conn(), desc, "", None).unwrap(),
            vec![4, 2, 1]
        );
        let by_activity = Sort {
            column: SortColumn::LastActivity,
            descending: true,
        };
        assert_eq!(ordered_ids(ws.conn(), by_activity, "", None).unwrap()[0], 1);
        assert_eq!(
            ordered_ids(ws.conn(), Sort::default(), "ACME", None).unwrap(),
            vec![2]
        );
        assert_eq!(
            ordered_ids(ws.conn(), Sort::default(), "da lov", None).unwrap(),
            vec![1]
        );
        // `%` is a literal, not a wildcard.
        assert_eq!(
            ordered_ids(ws.conn(), Sort::default(), "50%", None).unwrap(),
            vec![4]
        );
        assert!(ordered_ids(ws.conn(), Sort::default(), "%%%%", None)
            .unwrap()
            .is_empty());
    }

    /// Contacts without an address are not in the address index; they still come, last
    /// in either direction, and the others come along the index (no sort of them all).
    #[test]
    fn ordering_by_address_walks_the_index_and_ends_with_contacts_without_one() {
        let (_dir, ws) = fixture();
        ws.conn()
            .execute_batch(
                "INSERT INTO contacts (id, first_name, source, first_seen_at, updated_at)
                 VALUES (5, 'Nomail', 'hubspot', 1767225600, 1767225600),
                        (6, 'Nomail', 'hubspot', 1767225600, 1767225600);",
            )
            .unwrap();
        let by_email = |descending, limit| {
            let sort = Sort {
                column: SortColumn::Email,
                descending,
            };
            ordered_ids(ws.conn(), sort, "", limit).unwrap()
        };
        assert_eq!(by_email(false, None), vec![1, 2, 4, 5, 6]);
        assert_eq!(by_email(true, None), vec![4, 2, 1, 6, 5]);
        assert_eq!(by_email(false, Some(3)), vec![1, 2, 4]);
        assert_eq!(by_email(false, Some(4)), vec![1, 2, 4, 5]);
        let plan: Vec<String> = ws
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT c.id FROM contacts c
                 WHERE c.merged_into IS NULL AND c.email_norm IS NOT NULL
                 ORDER BY c.email_norm DESC, c.id DESC LIMIT 10",
            )
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(plan.contains("contacts_email_norm"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    #[test]
    fn rows_come_back_in_the_order_asked() {
        let (_dir, ws) = fixture();
        let rows = rows(ws.conn(), &[4, 1, 99]).unwrap();
        let emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(emails, ["zed@example.net", "Ada@Example.com"]);
        // Activity includes events, not only the platform's last-open column.
        assert_eq!(rows[1].last_activity, Some(1767398400));
        assert_eq!(rows[1].name, "Ada Lovelace");
        assert_eq!(live_count(ws.conn()).unwrap(), 3);
    }

    #[test]
    fn detail_shows_sources_of_merged_records_with_their_headers() {
        let (_dir, ws) = fixture();
        let d = detail(ws.conn(), 1).unwrap().unwrap();
        assert_eq!(d.sources.len(), 2);
        assert_eq!(
            d.sources[0].values[0],
            ("Email Address".to_string(), "Ada@Example.com".to_string())
        );
        assert_eq!(
            d.sources[1].values[4],
            ("column 5".to_string(), "extra".to_string())
        );
        assert_eq!(d.custom, vec![("Favourite colour".into(), "blue".into())]);
        assert_eq!(d.tags, vec!["newsletter".to_string(), "vip".to_string()]);
        assert_eq!(d.event_total, 2);
        assert_eq!(d.events[0].kind, "purchase");
        assert!(d.fields.contains(&("Company", "Engines Ltd".to_string())));
        assert!(detail(ws.conn(), 42).unwrap().is_none());
    }

    #[test]
    fn a_birthday_without_its_year_is_spelled_out() {
        let (_dir, ws) = fixture();
        let born = |stored: &str| {
            ws.conn()
                .execute(
                    "UPDATE contacts SET date_of_birth = ?1 WHERE id = 1",
                    [stored],
                )
                .unwrap();
            let d = detail(ws.conn(), 1).unwrap().unwrap();
            d.fields
                .into_iter()
                .find(|(label, _)| *label == "Born")
                .map(|(_, v)| v)
        };
        assert_eq!(born("--10-03").as_deref(), Some("3 Oct (no year)"));
        assert_eq!(born("1980-10-03").as_deref(), Some("1980-10-03"));
    }
}
