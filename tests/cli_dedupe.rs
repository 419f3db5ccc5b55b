//! `listwarden dedupe` through the real binary: scan, pairs (human and CSV), merge,
//! unmerge, consent on merge, re-import after merge, remembered "not a duplicate", and the
//! bulk exact-email merge.

mod common;
use common::Workdir;

/// Ann twice (googlemail/gmail spelling, nickname-free), Bob/Robert twice (phone in two
/// formats), two colleagues at one company, and an unrelated person.
const CONTACTS: &str = "id,first_name,last_name,email,phone,company,city,country,status\n\
1,Ann,Smith,ann.smith@googlemail.com,,,Berlin,DE,subscribed\n\
2,Ann,Smith,annsmith+news@gmail.com,,,Berlin,DE,unsubscribed\n\
3,Robert,Müller,r.mueller@bergblick.ch,+41 44 123 45 67,Bergblick AG,Zürich,CH,subscribed\n\
4,Bob,Mueller,,044 123 45 67,Bergblick,Zürich,CH,subscribed\n\
5,Marie,Becker,marie.becker@bergblick.ch,+41 44 765 43 21,Bergblick AG,Zürich,CH,subscribed\n\
6,Jonas,Keller,jonas.keller@bergblick.ch,+41 44 765 43 99,Bergblick AG,Zürich,CH,subscribed\n\
7,Zoë,Quast,zq@example.org,,,Köln,DE,subscribed\n";

fn setup() -> Workdir {
    let w = Workdir::new();
    let file = w.write("contacts.csv", CONTACTS);
    w.ok(&["import", file.to_str().unwrap()]);
    w
}

fn pairs_csv(w: &Workdir, extra: &[&str]) -> Vec<Vec<String>> {
    let mut args = vec!["dedupe", "pairs", "--csv"];
    args.extend_from_slice(extra);
    let out = w.ok(&args);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id_a", "id_b", "score", "reasons"]
    );
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every row of the tables a user can see, for before/after comparisons.
fn snapshot(w: &Workdir) -> Vec<String> {
    let conn = rusqlite::Connection::open(w.db()).unwrap();
    let mut out = Vec::new();
    for table in [
        "contacts",
        "contact_keys",
        "source_records",
        "events",
        "contact_tags",
        "contact_custom_values",
        "contact_alternates",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        out.extend(rows.map(|r| format!("{table}: {}", r.unwrap())));
    }
    out
}

#[test]
fn scan_finds_the_planted_duplicates_and_not_the_colleagues() {
    let w = setup();
    let scan = w.json(&["dedupe", "scan", "--json"]);
    assert_eq!(scan["contacts"], 7);
    assert!(scan["likely_pairs"].as_u64().unwrap() >= 2, "{scan}");
    let pairs = pairs_csv(&w, &[]);
    let ids: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| (p[0].as_str(), p[1].as_str()))
        .collect();
    assert!(ids.contains(&("1", "2")), "{pairs:?}");
    assert!(ids.contains(&("3", "4")), "{pairs:?}");
    assert!(
        !ids.contains(&("5", "6")),
        "colleagues are not duplicates: {pairs:?}"
    );
    let ann = &pairs[ids.iter().position(|p| *p == ("1", "2")).unwrap()];
    assert!(ann[3].contains("email exact"), "{ann:?}");
    let bob = &pairs[ids.iter().position(|p| *p == ("3", "4")).unwrap()];
    assert!(bob[3].contains("first_name nickname"), "{bob:?}");
    assert!(bob[3].contains("phone exact"), "{bob:?}");
    // A low --min-score lists more, never fewer.
    assert!(pairs_csv(&w, &["--min-score", "-50"]).len() >= pairs.len());
    let human = w.ok(&["dedupe", "pairs"]);
    assert!(
        human.contains("reasons") && human.contains("pairs"),
        "{human}"
    );
}

#[test]
fn pairs_before_any_scan_is_a_clear_error() {
    let w = setup();
    let err = w.fails(&["dedupe", "pairs"]);
    assert!(err.contains("dedupe scan"), "{err}");
}

#[test]
fn merge_takes_the_restrictive_status_and_unmerge_restores_everything() {
    let w = setup();
    let before = snapshot(&w);
    let out = w.ok(&["dedupe", "merge", "1", "2"]);
    assert!(out.contains("merge 1"), "{out}");
    assert_eq!(w.stats()["contacts"], 6);
    assert_eq!(
        w.query_i64(
            "SELECT count(*) FROM contacts WHERE external_id = '1' AND status = 'unsubscribed'"
        ),
        1,
        "one unsubscribed record makes the survivor unsubscribed"
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contact_alternates WHERE field = 'email' AND value = 'annsmith+news@gmail.com'"),
        1
    );
    let err = w.fails(&["dedupe", "merge", "1", "2"]);
    assert!(err.contains("itself"), "2 now names the survivor: {err}");
    w.ok(&["dedupe", "unmerge", "1"]);
    assert_eq!(snapshot(&w), before);
    assert_eq!(w.stats()["contacts"], 7);
    let err = w.fails(&["dedupe", "unmerge", "1"]);
    assert!(err.contains("already undone"), "{err}");
    assert_eq!(
        w.query_i64(
            "SELECT count(*) FROM maintenance_log WHERE kind = 'merge' AND undone_by IS NOT NULL"
        ),
        1
    );
}

#[test]
fn reimporting_an_absorbed_record_updates_the_survivor() {
    let w = setup();
    w.ok(&["dedupe", "merge", "3", "4"]);
    let update = "id,first_name,last_name,email,phone,company,city,country,status\n\
4,Bob,Mueller,,044 123 45 67,Bergblick,Bern,CH,subscribed\n";
    let file = w.write("update.csv", update);
    w.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(w.stats()["contacts"], 6, "no resurrected duplicate");
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE merged_into IS NULL AND city = 'Bern'"),
        1
    );
}

#[test]
fn not_a_duplicate_is_remembered_across_rescans_and_reimports() {
    let w = setup();
    w.ok(&["dedupe", "scan"]);
    w.ok(&["dedupe", "not-duplicate", "3", "4"]);
    let has = |w: &Workdir| {
        pairs_csv(w, &["--min-score", "-100"])
            .iter()
            .any(|p| (p[0].as_str(), p[1].as_str()) == ("3", "4"))
    };
    assert!(!has(&w));
    w.ok(&["dedupe", "scan"]);
    assert!(!has(&w));
    let file = w.write("again.csv", format!("{CONTACTS}\n"));
    w.ok(&["import", file.to_str().unwrap()]);
    w.ok(&["dedupe", "scan"]);
    assert!(!has(&w));
}

#[test]
fn bulk_exact_email_merge_asks_first() {
    let w = setup();
    let err = w.fails(&["dedupe", "merge", "--exact-email"]);
    assert!(
        err.contains("Merge 1 contacts into 1") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(w.stats()["contacts"], 7);
    let out = w.ok(&["dedupe", "merge", "--exact-email", "--yes"]);
    assert!(out.contains("Merged 1"), "{out}");
    assert_eq!(w.stats()["contacts"], 6);
}

#[test]
fn unknown_ids_fail_cleanly() {
    let w = setup();
    let err = w.fails(&["dedupe", "merge", "1", "nope"]);
    assert!(err.contains("nope"), "{err}");
    let err = w.fails(&["dedupe", "unmerge", "42"]);
    assert!(err.contains("42"), "{err}");
}
