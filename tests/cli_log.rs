//! `listwarden log` through the real binary: every kind of change is listed with its user,
//! filters, details, and undo from the log (merge, suppression, segment save) restores the
//! state and is itself logged; forget and repeated undos are refused.

mod common;
use common::Workdir;
use serde_json::Value;

const CONTACTS: &str = "id,first_name,last_name,email,status\n\
1,Ann,Smith,ann.smith@example.com,subscribed\n\
2,Ann,Smith,ann.smith@example.com,subscribed\n\
3,Bob,Jones,bob@gmial.com,subscribed\n\
4,Cleo,Park,cleo@example.org,subscribed\n";

fn as_user(w: &Workdir, user: &str, args: &[&str]) -> String {
    let out = w
        .command()
        .env("USER", user)
        .args(args)
        .output()
        .expect("run listwarden");
    assert!(
        out.status.success(),
        "listwarden {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn setup() -> Workdir {
    let w = Workdir::new();
    let file = w.write("contacts.csv", CONTACTS);
    as_user(&w, "alice", &["import", file.to_str().unwrap()]);
    w
}

fn entries(w: &Workdir, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["log", "--json"];
    args.extend_from_slice(extra);
    w.json(&args).as_array().cloned().unwrap_or_default()
}

fn kinds(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn newest(w: &Workdir, kind: &str) -> Value {
    entries(w, &["--kind", kind])
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {kind} entry"))
}

fn contact_id(w: &Workdir, email: &str) -> i64 {
    let conn = rusqlite::Connection::open(w.db()).unwrap();
    conn.query_row(
        "SELECT id FROM contacts WHERE email = ?1 AND merged_into IS NULL ORDER BY id LIMIT 1",
        [email],
        |r| r.get(0),
    )
    .unwrap()
}

fn count(w: &Workdir, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(w.db()).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn every_kind_of_change_is_listed_newest_first_with_its_user() {
    let w = setup();
    let (ann1, ann2) = (
        contact_id(&w, "ann.smith@example.com"),
        count(
            &w,
            "SELECT max(id) FROM contacts WHERE email = 'ann.smith@example.com'",
        ),
    );
    let bob = contact_id(&w, "bob@gmial.com");
    let cleo = contact_id(&w, "cleo@example.org");
    as_user(
        &w,
        "bob",
        &["dedupe", "merge", &format!("#{ann1}"), &format!("#{ann2}")],
    );
    let merge_id = count(&w, "SELECT max(id) FROM dedupe_merges").to_string();
    as_user(&w, "bob", &["dedupe", "unmerge", &merge_id]);
    as_user(
        &w,
        "alice",
        &["audit", "fix", "email_typo", &bob.to_string()],
    );
    as_user(
        &w,
        "alice",
        &["audit", "suppress", "--reason", "asked", &cleo.to_string()],
    );
    as_user(&w, "alice", &["segment", "save", "Ann", "first_name = Ann"]);
    as_user(
        &w,
        "alice",
        &["export", "--segment", "Ann", "-o", "ann.csv"],
    );
    as_user(&w, "alice", &["segment", "delete", "Ann"]);

    let all = entries(&w, &[]);
    let seen = kinds(&all);
    for kind in [
        "import",
        "merge",
        "unmerge",
        "fix",
        "suppress",
        "segment_save",
        "export",
        "segment_delete",
    ] {
        assert!(seen.iter().any(|k| k == kind), "{kind} missing in {seen:?}");
    }
    assert_eq!(seen.first().map(String::as_str), Some("segment_delete"));
    let ids: Vec<i64> = all.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|p| p[0] > p[1]), "newest first: {ids:?}");
    let merge = newest(&w, "merge");
    assert_eq!(merge["user"], "bob");
    assert_eq!(merge["at"], "2026-01-01T00:00:00Z");
    assert!(merge["undone_by"].is_i64(), "{merge}");
    assert_eq!(merge["undoable"], false);
    assert_eq!(newest(&w, "suppress")["undoable"], true);
    assert_eq!(newest(&w, "import")["undoable"], false);
    assert!(newest(&w, "fix")["details"]["contacts"].is_array());

    // Filters: user, kind, limit, dates relative to the pinned now.
    assert!(entries(&w, &["--user", "bob"])
        .iter()
        .all(|e| e["user"] == "bob"));
    assert_eq!(
        kinds(&entries(&w, &["--user", "bob"])),
        ["unmerge", "merge"]
    );
    assert_eq!(entries(&w, &["--limit", "2"]).len(), 2);
    assert_eq!(entries(&w, &["--since", "2026-01-02"]).len(), 0);
    assert_eq!(entries(&w, &["--since", "2025-12-31"]).len(), all.len());
    assert_eq!(entries(&w, &["--since", "1d"]).len(), all.len());
    assert_eq!(entries(&w, &["--until", "2025-12-31"]).len(), 0);
    assert_eq!(entries(&w, &["--until", "2026-01-01"]).len(), all.len());
    assert!(w
        .fails(&["log", "--since", "yesterday"])
        .contains("--since"));

    // Human lines: time (UTC), user, kind, summary.
    let human = w.ok(&["log", "--user", "bob"]);
    let first = human.lines().next().unwrap();
    assert!(first.contains("2026-01-01 00:00 UTC"), "{first}");
    assert!(
        first.contains("bob") && first.contains("unmerge"),
        "{first}"
    );
    assert!(
        first.contains(&format!("unmerged contact {ann2}")),
        "{first}"
    );

    // Details of the fix: the field-level before/after and the contact touched.
    let fix_id = newest(&w, "fix")["id"].as_i64().unwrap().to_string();
    let show = w.json(&["log", "show", &fix_id, "--json"]);
    let changes = show["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["before"] == "bob@gmial.com"
            && c["after"] == "bob@gmail.com"
            && c["contact_id"] == bob),
        "{show}"
    );
    assert_eq!(show["contacts"][0]["contact_id"], bob);
    let text = w.ok(&["log", "show", &fix_id]);
    assert!(text.contains("bob@gmial.com -> bob@gmail.com"), "{text}");
    assert!(w
        .fails(&["log", "show", "9999"])
        .contains("no log entry 9999"));
}

#[test]
fn undo_of_a_merge_from_the_log_restores_both_contacts_and_is_logged() {
    let w = setup();
    let ann1 = contact_id(&w, "ann.smith@example.com");
    let ann2 = count(
        &w,
        "SELECT max(id) FROM contacts WHERE email = 'ann.smith@example.com'",
    );
    w.ok(&["dedupe", "merge", &format!("#{ann1}"), &format!("#{ann2}")]);
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM contacts WHERE merged_into IS NULL"
        ),
        3
    );
    let merge = newest(&w, "merge");
    let id = merge["id"].as_i64().unwrap().to_string();
    let out = w.ok(&["log", "undo", &id]);
    assert!(out.contains(&format!("Undid entry {id}")), "{out}");
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM contacts WHERE merged_into IS NULL"
        ),
        4
    );
    let unmerge = newest(&w, "unmerge");
    assert_eq!(newest(&w, "merge")["undone_by"], unmerge["id"]);
    let again = w.fails(&["log", "undo", &id]);
    assert!(again.contains("already undone"), "{again}");
}

#[test]
fn undo_of_a_suppression_and_a_segment_save_from_the_log() {
    let w = setup();
    let cleo = contact_id(&w, "cleo@example.org");
    w.ok(&["audit", "suppress", "--reason", "asked", &cleo.to_string()]);
    assert_eq!(count(&w, "SELECT count(*) FROM audit_suppressions"), 1);
    let id = newest(&w, "suppress")["id"].as_i64().unwrap().to_string();
    w.ok(&["log", "undo", &id]);
    assert_eq!(count(&w, "SELECT count(*) FROM audit_suppressions"), 0);
    let undo = newest(&w, "undo");
    assert_eq!(newest(&w, "suppress")["undone_by"], undo["id"]);
    let shown = w.json(&["log", "show", &undo["id"].to_string(), "--json"]);
    assert_eq!(shown["undoes"].to_string(), id);
    assert_eq!(shown["contacts"][0]["contact_id"], cleo, "{shown}");

    w.ok(&["segment", "save", "Ann", "first_name = Ann"]);
    let save = newest(&w, "segment_save")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    w.ok(&["log", "undo", &save]);
    assert_eq!(count(&w, "SELECT count(*) FROM segments"), 0);
    let delete = newest(&w, "segment_delete");
    assert_eq!(newest(&w, "segment_save")["undone_by"], delete["id"]);
    // The deletion is itself undoable: the segment comes back with its rule.
    w.ok(&["log", "undo", &delete["id"].to_string()]);
    assert_eq!(
        count(&w, "SELECT count(*) FROM segments WHERE name = 'Ann'"),
        1
    );
}

#[test]
fn forget_import_and_unknown_entries_cannot_be_undone() {
    let w = setup();
    let cleo = contact_id(&w, "cleo@example.org");
    w.ok(&["audit", "forget", &cleo.to_string(), "--yes"]);
    let forget = newest(&w, "forget")["id"].as_i64().unwrap().to_string();
    let err = w.fails(&["log", "undo", &forget]);
    assert!(
        err.contains("cannot be undone") && err.contains("permanent"),
        "{err}"
    );
    let import = newest(&w, "import")["id"].as_i64().unwrap().to_string();
    assert!(w.fails(&["log", "undo", &import]).contains("has no undo"));
    assert!(w
        .fails(&["log", "undo", "9999"])
        .contains("no log entry 9999"));
}

#[test]
fn undo_of_not_duplicate_puts_the_pair_back_in_the_review() {
    let w = setup();
    w.ok(&["dedupe", "scan"]);
    let pairs = || count(&w, "SELECT count(*) FROM dedupe_pairs");
    let before = pairs();
    assert!(before >= 1);
    let (a, b): (i64, i64) = {
        let conn = rusqlite::Connection::open(w.db()).unwrap();
        conn.query_row(
            "SELECT contact_a, contact_b FROM dedupe_pairs ORDER BY score DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    w.ok(&[
        "dedupe",
        "not-duplicate",
        &format!("#{a}"),
        &format!("#{b}"),
    ]);
    assert_eq!(pairs(), before - 1);
    let entry = newest(&w, "not_duplicate");
    assert_eq!(entry["undoable"], true);
    w.ok(&["log", "undo", &entry["id"].to_string()]);
    assert_eq!(pairs(), before);
    assert_eq!(count(&w, "SELECT count(*) FROM dedupe_decisions"), 0);
    let back = newest(&w, "not_duplicate_undo");
    assert_eq!(newest(&w, "not_duplicate")["undone_by"], back["id"]);
}
