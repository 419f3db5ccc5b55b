//! Saved segments: save, references and cycles, delete, refresh of membership.

use super::engine_tests::{fixture, NOW};
use super::*;
use crate::clock::Clock;

fn log_kinds(ws: &crate::workspace::Workspace) -> Vec<String> {
    let mut stmt = ws
        .conn()
        .prepare("SELECT kind FROM maintenance_log ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn saving_records_members_and_logs_an_undoable_entry() {
    let (_dir, mut ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    assert_eq!(save(&mut ws, &image, "Germans", "country = DE").unwrap(), 2);
    let s = get(ws.conn(), "germans").unwrap();
    assert_eq!((s.rule.as_str(), s.members), ("country = DE", 2));
    assert_eq!(members(ws.conn(), s.id).unwrap(), vec![1, 4]);
    let undo: String = ws
        .conn()
        .query_row("SELECT undo FROM maintenance_log", [], |r| r.get(0))
        .unwrap();
    assert!(undo.contains("segment_delete"), "{undo}");

    // Saving again replaces the rule and moves membership.
    assert_eq!(
        save(&mut ws, &image, "Germans", "country = DE and tag vip").unwrap(),
        2
    );
    assert_eq!(
        save(&mut ws, &image, "Germans", "country = DE and opened in 30d").unwrap(),
        1
    );
    assert_eq!(members(ws.conn(), s.id).unwrap(), vec![1]);
    assert_eq!(
        log_kinds(&ws),
        ["segment_save", "segment_update", "segment_update"]
    );
}

#[test]
fn segments_refer_to_segments_but_never_in_a_cycle() {
    let (_dir, mut ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    save(&mut ws, &image, "Engaged", "opened in 30d").unwrap();
    assert_eq!(
        save(
            &mut ws,
            &image,
            "Engaged Germans",
            "in segment \"engaged\" and country = DE"
        )
        .unwrap(),
        1
    );
    let err = save(&mut ws, &image, "Engaged", "in segment \"Engaged Germans\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("may not refer to themselves"), "{err}");
    let err = save(&mut ws, &image, "Loop", "in segment \"Loop\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("may not refer to themselves"), "{err}");
    let err = delete(&mut ws, "Engaged").unwrap_err().to_string();
    assert!(err.contains("used by segment \"Engaged Germans\""), "{err}");
    let err = get(ws.conn(), "Engagd").unwrap_err().to_string();
    assert!(err.contains("did you mean \"Engaged\""), "{err}");
    delete(&mut ws, "Engaged Germans").unwrap();
    delete(&mut ws, "Engaged").unwrap();
    assert!(list(ws.conn()).unwrap().is_empty());
}

#[test]
fn renaming_rewrites_references() {
    let (_dir, mut ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    save(&mut ws, &image, "Engaged", "opened in 30d").unwrap();
    save(&mut ws, &image, "Both", "in segment Engaged and tag vip").unwrap();
    rename(&mut ws, "engaged", "Active").unwrap();
    assert_eq!(
        get(ws.conn(), "Both").unwrap().rule,
        "in segment \"Active\" and tag \"vip\""
    );
    assert!(matches!(
        rename(&mut ws, "Active", "both"),
        Err(SegmentError::Exists(_))
    ));
}

#[test]
fn refresh_records_who_entered_and_left_and_is_a_no_op_when_nothing_changed() {
    let (dir, mut ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    save(&mut ws, &image, "Engaged", "opened in 30d").unwrap();
    save(&mut ws, &image, "VIP", "tag vip").unwrap();
    // First refresh after the saves: nothing moved.
    assert!(refresh_all(&mut ws).unwrap().is_empty());
    assert!(refresh_all(&mut ws).unwrap().is_empty());
    let entries = log_kinds(&ws).len();

    // New behaviour arrives (an "import": data plus its log entry).
    ws.conn()
        .execute_batch(&format!(
            "INSERT INTO events (contact_id, type, occurred_at, import_id) VALUES (2, 'open', {}, 1);
             UPDATE events SET occurred_at = occurred_at - 40 * 86400 WHERE contact_id = 3 AND type = 'open';
             INSERT INTO maintenance_log (at, os_user, kind, summary) VALUES ({NOW}, 't', 'import', 'events');",
            NOW - 86_400
        ))
        .unwrap();
    let changes = refresh_all(&mut ws).unwrap();
    assert_eq!(
        changes,
        vec![MembershipChange {
            segment: "Engaged".into(),
            entered: vec![2],
            left: vec![3],
            members: 2
        }]
    );
    let summary: String = ws
        .conn()
        .query_row(
            "SELECT summary FROM maintenance_log ORDER BY id DESC",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(summary, "segments refreshed: Engaged +1/−1");
    assert_eq!(log_kinds(&ws).len(), entries + 2);
    let stays: Vec<(i64, i64, Option<i64>)> = {
        let mut stmt = ws
            .conn()
            .prepare("SELECT contact_id, entered_at, left_at FROM segment_membership m JOIN segments s ON s.id = m.segment_id WHERE s.name = 'Engaged' ORDER BY contact_id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        stays,
        vec![(1, NOW, None), (2, NOW, None), (3, NOW, Some(NOW))]
    );
    assert!(refresh_all(&mut ws).unwrap().is_empty(), "nothing new");

    // Time passing alone moves time-relative segments.
    drop(ws);
    let options = crate::workspace::OpenOptions {
        group_shared: false,
        user: Some("tester".into()),
        clock: Clock::parse("2026-03-01T00:00:00Z").unwrap(),
    };
    let mut later = crate::workspace::Workspace::open(&dir.path().join("w.db"), &options).unwrap();
    let changes = refresh_all(&mut later).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].left, vec![1, 2]);
    let vip = get(later.conn(), "VIP").unwrap();
    assert_eq!(sizes(later.conn(), vip.id).unwrap(), vec![(NOW, 2)]);
}

#[test]
fn an_image_knows_when_the_workspace_moved_on() {
    let (_dir, mut ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    assert!(image.is_current(ws.conn()).unwrap());
    save(&mut ws, &image, "VIP", "tag vip").unwrap();
    assert!(
        !image.is_current(ws.conn()).unwrap(),
        "a segment save is a change"
    );
    let image = Image::load(ws.conn()).unwrap();
    refresh_all(&mut ws).unwrap();
    ws.conn()
        .execute("INSERT INTO maintenance_log (at, os_user, kind, summary) VALUES (1, 't', 'export', 'x')", [])
        .unwrap();
    assert!(
        image.is_current(ws.conn()).unwrap(),
        "refreshes and exports change no data"
    );
}

#[test]
fn membership_follows_an_events_import() {
    use crate::import::{import_file, Kind, Options};
    use std::sync::atomic::AtomicBool;
    let dir = tempfile::tempdir().unwrap();
    let options = crate::workspace::OpenOptions {
        group_shared: false,
        user: Some("tester".into()),
        clock: Clock::parse("2026-01-01T00:00:00Z").unwrap(),
    };
    let mut ws = crate::workspace::Workspace::open(&dir.path().join("w.db"), &options).unwrap();
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        "email,first_name,country\na@x.org,A,DE\nb@x.org,B,DE\nc@x.org,C,FR\n",
    )
    .unwrap();
    let events = dir.path().join("events.csv");
    std::fs::write(&events, "email,type,occurred_at\na@x.org,open,2025-12-30T10:00:00Z\nc@x.org,open,2025-12-29T10:00:00Z\n").unwrap();
    let run = |ws: &mut crate::workspace::Workspace, path: &std::path::Path, kind| {
        import_file(
            ws,
            path,
            &Options {
                kind,
                preset: None,
                name: None,
            },
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    };
    run(&mut ws, &contacts, Kind::Contacts);
    let image = Image::load(ws.conn()).unwrap();
    save(
        &mut ws,
        &image,
        "Engaged Germans",
        "country = DE and opened in 30d",
    )
    .unwrap();
    assert!(refresh_all(&mut ws).unwrap().is_empty());

    run(&mut ws, &events, Kind::Events);
    let changes = refresh_all(&mut ws).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (
            changes[0].entered.len(),
            changes[0].left.len(),
            changes[0].members
        ),
        (1, 0, 1)
    );
    let email: String = ws
        .conn()
        .query_row(
            "SELECT email FROM contacts WHERE id = ?1",
            [changes[0].entered[0]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(email, "a@x.org");
    // Re-importing the same events changes nothing, so the refresh is a no-op.
    run(&mut ws, &events, Kind::Events);
    assert!(refresh_all(&mut ws).unwrap().is_empty());
}
