//! `listwarden audit`: counts on a fixture whose problems are known, the JSON contract,
//! the report, and the actions with their undo.

mod common;
use common::Workdir;
use serde_json::Value;

/// One contact per problem (and four good, internationalised addresses); the comment on
/// each row names the finding it must produce.
const CONTACTS: &str = "email,first_name,last_name,phone,country,status,subscribed_at
o'brien@firm.ie,Siobhan,O'Brien,+353 1 234 5678,IE,subscribed,2025-12-20
first.last+news@company.co.uk,First,Last,,GB,subscribed,2025-12-20
user@bücher.de,Jörg,Bäcker,,DE,subscribed,2025-12-20
用户@例子.广告,伟,王,,CN,subscribed,2025-12-20
anna@gmial.com,Anna,Lee,,,subscribed,2025-12-20
bob@@firm.ie,Bob,Stone,,,subscribed,2025-12-20
carl@mailinator.com,Carl,Diaz,,,subscribed,2025-12-20
info@firm.ie,Dora,Eck,,,subscribed,2025-12-20
test12@example.com,Test,Test,,,subscribed,2025-12-20
,Eve,Fox,+49 30 1234567,DE,subscribed,2025-12-20
gina.hall@gmail.com,,Hall,,,subscribed,2025-12-20
GinaHall@googlemail.com,Gina,Hall,,,subscribed,2025-12-20
hans@firm.ie,HANS,MEIER,,,subscribed,2025-12-20
ivy@firm.ie,Ivy,Long,123,DE,subscribed,2025-12-20
jo.k@gmail.com,Jo,King,,,unsubscribed,2025-12-20
jok@gmail.com,Jo,King,,,subscribed,2025-12-20
kim@firm.ie,Kim,Nagy,,,cleaned,2025-12-20
lea@firm.ie,Lea,Ortiz,,,subscribed,2024-01-01
max@firm.ie,Max,Park,,,subscribed,2024-01-01
";
const EVENTS: &str = "email,type,occurred_at\nlea@firm.ie,open,2025-03-01T10:00:00Z\n";

fn workspace() -> Workdir {
    let w = Workdir::new();
    let c = w.write("contacts.csv", CONTACTS);
    let e = w.write("events.csv", EVENTS);
    w.ok(&["import", c.to_str().unwrap()]);
    w.ok(&["import", "--events", e.to_str().unwrap()]);
    w
}

fn counts(audit: &Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "segmentation_opportunity")
        .map(|f| (f["kind"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
        .collect();
    v.sort();
    v
}

#[allow(dead_code)] // used by the action tests below once they land
fn count_of(audit: &Value, kind: &str) -> u64 {
    counts(audit)
        .into_iter()
        .find(|(k, _)| k == kind)
        .map_or(0, |(_, n)| n)
}

#[test]
fn every_kind_is_counted_exactly_on_a_known_fixture() {
    let w = workspace();
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(audit["contacts"], 19);
    let expected: Vec<(String, u64)> = [
        ("bounced", 1),
        ("disposable_email", 1),
        ("duplicate_email", 4),
        ("email_typo", 1),
        ("formatting", 1),
        ("inactive", 1),
        ("invalid_email", 1),
        ("invalid_phone", 1),
        ("missing_email", 1),
        ("missing_name", 1),
        ("never_engaged", 1),
        ("role_account", 1),
        ("test_record", 1),
        ("unsubscribed_conflict", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(counts(&audit), expected);
    let score = audit["score"].as_u64().unwrap();
    assert!(score < 100, "{score}");
    let typo = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "email_typo")
        .unwrap();
    assert_eq!(typo["examples"][0]["detail"], "gmial.com → gmail.com");
    assert!(typo["why"].as_str().unwrap().len() > 20);
    assert!(typo["action"].as_str().unwrap().len() > 20);
}

#[test]
fn good_international_addresses_have_no_findings() {
    let w = workspace();
    let audit = w.json(&["audit", "--json"]);
    for f in audit["findings"].as_array().unwrap() {
        for e in f["examples"].as_array().unwrap() {
            let id = e["contact_id"].as_i64().unwrap();
            assert!(id > 4, "good contact {id} flagged as {}", f["kind"]);
        }
    }
}

#[test]
fn every_audit_is_stored_and_the_report_reads_well() {
    let w = workspace();
    w.ok(&["audit"]);
    let report = w.path("report.md");
    let out = w.ok(&["audit", "--report", report.to_str().unwrap()]);
    assert!(out.contains("List health"), "{out}");
    assert_eq!(w.query_i64("SELECT count(*) FROM audit_runs"), 2);
    let text = std::fs::read_to_string(report).unwrap();
    for heading in [
        "# Email list health report",
        "## Summary",
        "## Recommendations, in order",
        "## Duplicates",
        "## Engagement",
        "## Segmentation opportunities",
        "Previous audit",
    ] {
        assert!(text.contains(heading), "missing {heading}:\n{text}");
    }
    assert!(text.contains("a•••@gmial.com"), "examples are masked:\n{text}");
    assert!(!text.contains("anna@gmial.com"));
}

#[test]
fn an_empty_workspace_audits_cleanly() {
    let w = Workdir::new();
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(audit["contacts"], 0);
    assert_eq!(audit["score"], 100);
    assert_eq!(audit["findings"], Value::Array(vec![]));
}
