//! Segment health: how every saved segment is doing and how it got there.
//!
//! Sizes over time come from `segment_sizes` (written by every refresh that changed a
//! segment, i.e. after every import), who entered and left from the membership stays,
//! behaviour from the events, and the list's score over time from the stored audits.
//! Plain functions over a connection, returning serialisable structs.

use super::MaintenanceError;
use crate::audit::Settings;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// A count and its share of a whole (0–1; 0 when the whole is empty).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub count: i64,
    pub share: f64,
}

impl Share {
    pub fn of(count: i64, whole: i64) -> Share {
        Share {
            count,
            share: if whole > 0 {
                count as f64 / whole as f64
            } else {
                0.0
            },
        }
    }
}

/// What a segment's current members did in the last `days` days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Performance {
    pub days: i64,
    /// Members who opened at least once, and their share of the members.
    pub openers: Share,
    /// Members who clicked at least once.
    pub clickers: Share,
    pub purchases: i64,
    pub purchases_per_member: f64,
    pub revenue: f64,
    /// Average order value; `None` without purchases.
    pub aov: Option<f64>,
}

/// Member count at one refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SizePoint {
    pub at: i64,
    pub members: i64,
}

/// How one saved segment is doing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentHealth {
    pub id: i64,
    pub name: String,
    pub members: i64,
    /// Sizes after every refresh that changed it, oldest first.
    pub sizes: Vec<SizePoint>,
    /// Members at `since` (the size recorded last at or before it), when known.
    pub members_then: Option<i64>,
    /// `members - members_then`.
    pub growth: Option<i64>,
    pub entered_since: i64,
    pub left_since: i64,
    /// No open or click within the audit's inactivity window.
    pub inactive: Share,
    /// Status bounced or cleaned.
    pub bounced: Share,
    /// Status unsubscribed or complained.
    pub unsubscribed: Share,
    pub last_30_days: Performance,
    pub last_90_days: Performance,
}

/// Members two segments share; the diagonal is each segment's size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    pub segments: Vec<String>,
    pub members: Vec<Vec<i64>>,
}

/// The list's health score at one audit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScorePoint {
    pub at: i64,
    pub score: i64,
    pub contacts: i64,
}

/// Every segment's health, their overlap and the score trend, as of `at`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub at: i64,
    /// Where "then", "entered" and "left" count from.
    pub since: i64,
    pub segments: Vec<SegmentHealth>,
    pub overlap: Overlap,
    pub score_trend: Vec<ScorePoint>,
}

/// The health of every saved segment as of `now`, with changes counted from `since`.
pub fn health(conn: &Connection, now: i64, since: i64) -> Result<Health, MaintenanceError> {
    let settings = Settings::load(conn)?;
    let saved = crate::segment::list(conn)?;
    let mut segments = Vec::with_capacity(saved.len());
    for s in &saved {
        segments.push(segment_health(conn, s.id, &s.name, now, since, &settings)?);
    }
    Ok(Health {
        at: now,
        since,
        overlap: overlap(conn)?,
        score_trend: score_trend(conn)?,
        segments,
    })
}

fn segment_health(
    conn: &Connection,
    id: i64,
    name: &str,
    now: i64,
    since: i64,
    settings: &Settings,
) -> Result<SegmentHealth, MaintenanceError> {
    let members = current_members(conn, id)?;
    let sizes = crate::segment::sizes(conn, id)?
        .into_iter()
        .map(|(at, members)| SizePoint { at, members })
        .collect();
    let members_then = size_at(conn, id, since)?;
    let (entered_since, left_since) = entered_left_since(conn, id, since)?;
    let inactive_cutoff = now - settings.inactive_days * DAY;
    let (inactive, bounced, unsubscribed): (i64, i64, i64) = conn.query_row(
        "SELECT
            coalesce(sum(coalesce(max(coalesce(c.last_open_at, c.last_click_at),
                                  coalesce(c.last_click_at, c.last_open_at)), ?2 - 1) < ?2
                AND NOT EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id
                                AND e.type IN ('open', 'click') AND e.occurred_at >= ?2)), 0),
            coalesce(sum(c.status IN ('bounced', 'cleaned')), 0),
            coalesce(sum(c.status IN ('unsubscribed', 'complained')), 0)
         FROM segment_membership m JOIN contacts c ON c.id = m.contact_id
         WHERE m.segment_id = ?1 AND m.left_at IS NULL",
        params![id, inactive_cutoff],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(SegmentHealth {
        id,
        name: name.to_string(),
        members,
        sizes,
        members_then,
        growth: members_then.map(|then| members - then),
        entered_since,
        left_since,
        inactive: Share::of(inactive, members),
        bounced: Share::of(bounced, members),
        unsubscribed: Share::of(unsubscribed, members),
        last_30_days: performance(conn, id, members, now, 30)?,
        last_90_days: performance(conn, id, members, now, 90)?,
    })
}

/// Current members of segment `id`.
pub fn current_members(conn: &Connection, id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM segment_membership WHERE segment_id = ?1 AND left_at IS NULL",
        [id],
        |r| r.get(0),
    )
}

/// Members of segment `id` at `at`: the size its last refresh at or before `at` recorded.
pub fn size_at(conn: &Connection, id: i64, at: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT members FROM segment_sizes WHERE segment_id = ?1 AND at <= ?2
         ORDER BY at DESC LIMIT 1",
        params![id, at],
        |r| r.get(0),
    )
    .optional()
}

/// (entered, left): stays of segment `id` that began, and that ended, after `since`.
pub fn entered_left_since(conn: &Connection, id: i64, since: i64) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT coalesce(sum(entered_at > ?2), 0), coalesce(sum(left_at > ?2), 0)
         FROM segment_membership WHERE segment_id = ?1",
        params![id, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// What the current members of segment `id` did in the `days` days up to `now`.
pub fn performance(
    conn: &Connection,
    id: i64,
    members: i64,
    now: i64,
    days: i64,
) -> rusqlite::Result<Performance> {
    let (openers, clickers, purchases, revenue): (i64, i64, i64, f64) = conn.query_row(
        "SELECT count(DISTINCT CASE WHEN e.type = 'open' THEN e.contact_id END),
                count(DISTINCT CASE WHEN e.type = 'click' THEN e.contact_id END),
                coalesce(sum(e.type = 'purchase'), 0),
                coalesce(sum(CASE WHEN e.type = 'purchase' THEN e.amount END), 0.0)
         FROM segment_membership m JOIN events e ON e.contact_id = m.contact_id
         WHERE m.segment_id = ?1 AND m.left_at IS NULL
           AND e.occurred_at > ?2 AND e.occurred_at <= ?3",
        params![id, now - days * DAY, now],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(Performance {
        days,
        openers: Share::of(openers, members),
        clickers: Share::of(clickers, members),
        purchases,
        purchases_per_member: Share::of(purchases, members).share,
        revenue,
        aov: (purchases > 0).then(|| revenue / purchases as f64),
    })
}

/// Members every two saved segments share (current members), by segment name.
pub fn overlap(conn: &Connection) -> Result<Overlap, MaintenanceError> {
    let saved = crate::segment::list(conn)?;
    let index: std::collections::HashMap<i64, usize> =
        saved.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let mut members = vec![vec![0; saved.len()]; saved.len()];
    let mut stmt = conn.prepare(
        "SELECT a.segment_id, b.segment_id, count(*)
         FROM segment_membership a
         JOIN segment_membership b ON b.contact_id = a.contact_id AND b.left_at IS NULL
         WHERE a.left_at IS NULL
         GROUP BY a.segment_id, b.segment_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (a, b, n): (i64, i64, i64) = row?;
        if let (Some(&i), Some(&j)) = (index.get(&a), index.get(&b)) {
            members[i][j] = n;
        }
    }
    Ok(Overlap {
        segments: saved.into_iter().map(|s| s.name).collect(),
        members,
    })
}

/// The health score at every stored audit, oldest first.
pub fn score_trend(conn: &Connection) -> Result<Vec<ScorePoint>, MaintenanceError> {
    Ok(crate::audit::history(conn)?
        .into_iter()
        .map(|r| ScorePoint {
            at: r.at,
            score: r.score,
            contacts: r.contacts,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{Workspace, WorkspaceError};

    /// Two segments over four contacts, with stays, sizes and events written directly.
    fn fixture() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &Default::default()).unwrap();
        ws.write(|tx| -> Result<(), WorkspaceError> {
            tx.execute_batch(
                "INSERT INTO imports (id, path, content_hash, kind, preset, encoding, delimiter,
                    headers, started_at, os_user) VALUES (1, 'a.csv', 'h', 'contacts', 'generic',
                    'utf-8', ',', '[]', 0, 't');
                 INSERT INTO contacts (id, email, status, source, first_seen_at, updated_at, last_open_at)
                 VALUES (1, 'a@x', 'subscribed', 'generic', 0, 0, 19995000),
                        (2, 'b@x', 'bounced', 'generic', 0, 0, NULL),
                        (3, 'c@x', 'unsubscribed', 'generic', 0, 0, NULL),
                        (4, 'd@x', 'subscribed', 'generic', 0, 0, NULL);
                 INSERT INTO segments (id, name, rule, created_at, updated_at, created_by)
                 VALUES (1, 'All', 'status = subscribed', 0, 0, 't'),
                        (2, 'Some', 'status = subscribed', 0, 0, 't');
                 INSERT INTO segment_membership (segment_id, contact_id, entered_at, left_at)
                 VALUES (1, 1, 100, NULL), (1, 2, 100, NULL), (1, 3, 500, NULL), (1, 4, 100, 600),
                        (2, 1, 100, NULL);
                 INSERT INTO segment_sizes (segment_id, at, members)
                 VALUES (1, 100, 3), (1, 500, 4), (1, 600, 3), (2, 100, 1);
                 INSERT INTO events (contact_id, type, occurred_at, amount, import_id)
                 VALUES (1, 'open', 19990000, NULL, 1), (1, 'click', 19990000, NULL, 1),
                        (1, 'purchase', 19990001, 30.0, 1), (2, 'purchase', 19990002, 10.0, 1),
                        (2, 'open', 100, NULL, 1);",
            )?;
            Ok(())
        })
        .unwrap();
        (dir, ws)
    }

    #[test]
    fn sizes_growth_shares_and_performance() {
        let (_dir, ws) = fixture();
        let h = health(ws.conn(), 20_000_000, 200).unwrap();
        let all = h.segments.iter().find(|s| s.name == "All").unwrap();
        assert_eq!(all.members, 3);
        assert_eq!(all.members_then, Some(3));
        assert_eq!(all.growth, Some(0));
        assert_eq!((all.entered_since, all.left_since), (1, 1));
        assert_eq!(all.sizes.len(), 3);
        assert_eq!(all.bounced.count, 1);
        assert_eq!(all.unsubscribed.count, 1);
        // Contacts 2 and 3 never engaged within 180 days; 1 opened recently.
        assert_eq!(all.inactive.count, 2);
        let p = &all.last_30_days;
        assert_eq!(p.openers.count, 1);
        assert_eq!(p.clickers.count, 1);
        assert_eq!(p.purchases, 2);
        assert_eq!(p.revenue, 40.0);
        assert_eq!(p.aov, Some(20.0));
        assert!((p.purchases_per_member - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn overlap_counts_shared_current_members() {
        let (_dir, ws) = fixture();
        let o = overlap(ws.conn()).unwrap();
        assert_eq!(o.segments, vec!["All", "Some"]);
        assert_eq!(o.members, vec![vec![3, 1], vec![1, 1]]);
    }

    #[test]
    fn the_size_at_a_time_is_the_last_recorded_before_it() {
        let (_dir, ws) = fixture();
        assert_eq!(size_at(ws.conn(), 1, 50).unwrap(), None);
        assert_eq!(size_at(ws.conn(), 1, 550).unwrap(), Some(4));
    }
}
