//! `listwarden review` through the real binary: segment health across several imports,
//! when a review is due (with `--now`), recording one, and what the report says.

mod common;
use common::Workdir;

fn at(w: &Workdir, now: &str, args: &[&str]) -> String {
    let mut all = vec!["--now", now];
    all.extend_from_slice(args);
    w.ok(&all)
}

fn review_json(w: &Workdir, now: &str) -> serde_json::Value {
    serde_json::from_str(&at(w, now, &["review", "--json"])).expect("JSON")
}

/// January: four people, three in Germany; a German segment; an audit.
fn january(w: &Workdir) {
    let v1 = w.write(
        "v1.csv",
        "Email,First Name,Country\nanna@example.org,Anna,DE\nben@example.org,Ben,DE\n\
         cara@example.org,Cara,DE\ndan@example.org,Dan,AT\n",
    );
    at(w, "2026-01-01", &["import", v1.to_str().unwrap()]);
    at(
        w,
        "2026-01-01",
        &["segment", "save", "German", "country = DE"],
    );
    at(w, "2026-01-01", &["audit"]);
}

/// February: two more Germans, Ben moved to France; another audit.
fn february(w: &Workdir) {
    let v2 = w.write(
        "v2.csv",
        "Email,First Name,Country\nben@example.org,Ben,FR\neva@example.org,Eva,DE\n\
         fritz@example.org,,DE\n",
    );
    at(w, "2026-02-10", &["import", v2.to_str().unwrap()]);
    at(w, "2026-02-10", &["audit"]);
}

#[test]
fn a_review_is_due_one_interval_after_the_first_import_then_after_the_last_review() {
    let w = Workdir::new();
    assert_eq!(
        review_json(&w, "2026-06-01")["due"],
        false,
        "nothing imported"
    );
    january(&w);
    let r = review_json(&w, "2026-01-30");
    assert_eq!(r["due"], false);
    assert_eq!(r["schedule"]["label"], "monthly");
    assert_eq!(review_json(&w, "2026-01-31")["due"], true);
    at(
        &w,
        "2026-02-01",
        &["review", "--record", "--note", "January"],
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM maintenance_log WHERE kind = 'review' AND summary LIKE '%January%'"),
        1
    );
    assert_eq!(review_json(&w, "2026-03-02")["due"], false);
    assert_eq!(review_json(&w, "2026-03-03")["due"], true);
    at(&w, "2026-02-01", &["review", "--interval", "7d", "--json"]);
    let r = review_json(&w, "2026-02-08");
    assert_eq!(r["due"], true);
    assert_eq!(r["schedule"]["label"], "every 7 days");
    assert!(w
        .fails(&["review", "--interval", "weekly"])
        .contains("number of days like 14d"));
    assert!(w.fails(&["review", "--note", "x"]).contains("--record"));
}

#[test]
fn health_follows_the_segments_across_imports() {
    let w = Workdir::new();
    january(&w);
    february(&w);
    let r = review_json(&w, "2026-02-15");
    let german = &r["health"]["segments"][0];
    assert_eq!(german["name"], "German");
    assert_eq!(german["members"], 4);
    let sizes: Vec<i64> = german["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["members"].as_i64().unwrap())
        .collect();
    assert_eq!(sizes, vec![3, 4]);
    assert_eq!(german["entered_since"], 5);
    assert_eq!(german["left_since"], 1);
    assert_eq!(german["inactive"]["count"], 4);
    let trend: Vec<i64> = r["health"]["score_trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["contacts"].as_i64().unwrap())
        .collect();
    assert_eq!(trend, vec![4, 6]);
    assert_eq!(r["health"]["overlap"]["members"], serde_json::json!([[4]]));
}

#[test]
fn the_report_says_what_changed_since_the_last_review() {
    let w = Workdir::new();
    january(&w);
    at(
        &w,
        "2026-02-01",
        &["review", "--record", "--note", "January | done"],
    );
    february(&w);
    let report = w.path("review.md");
    let out = at(
        &w,
        "2026-02-15",
        &["review", "--report", report.to_str().unwrap()],
    );
    assert!(out.contains("report written to"), "{out}");
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(
        md.starts_with("# List review — 2026-02-15 00:00 UTC"),
        "{md}"
    );
    assert!(md.contains("Last review: 2026-02-01 00:00 UTC"), "{md}");
    assert!(md.contains("Its note: January \\| done"), "{md}");
    assert!(md.contains("Review next due 2026-03-03 00:00 UTC"), "{md}");
    assert!(md.contains("The score went from **"), "{md}");
    assert!(md.contains("Contacts: 4 → 6"), "{md}");
    // German: 3 then, 4 now; Eva and Fritz entered, Ben left.
    assert!(md.contains("| German | 3 | 4 | +1 | 2 | 1 |"), "{md}");
    assert!(md.contains("Contacts without a first name"), "{md}");
    assert!(md.contains("v2.csv` (contacts): 2 new, 1 updated"), "{md}");
    assert!(
        !md.contains("v1.csv"),
        "only imports since the review: {md}"
    );
    assert!(md.contains("0 possible duplicate pairs"), "{md}");
}
