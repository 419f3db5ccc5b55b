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
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

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
    assert!(
        text.contains("a•••@gmial.com"),
        "examples are masked:\n{text}"
    );
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

fn log_id(out: &str) -> String {
    out.trim().to_string()
}

#[test]
fn fixes_apply_and_undo_exactly() {
    let w = workspace();
    let typo = log_id(&w.ok(&["audit", "fix", "email_typo", "5"]));
    let caps = log_id(&w.ok(&["audit", "fix", "formatting", "13"]));
    let conflict = log_id(&w.ok(&["audit", "fix", "unsubscribed_conflict", "16"]));
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(count_of(&audit, "email_typo"), 0);
    assert_eq!(count_of(&audit, "formatting"), 0);
    assert_eq!(count_of(&audit, "unsubscribed_conflict"), 0);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE id = 5 AND email = 'anna@gmail.com' AND email_norm = 'anna@gmail.com'"),
        1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE id = 13 AND first_name = 'Hans' AND last_name = 'Meier'"),
        1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE id = 16 AND status = 'unsubscribed'"),
        1
    );
    assert_eq!(
        w.query_i64(&format!(
            "SELECT count(*) FROM field_changes WHERE log_id = {typo}"
        )),
        2
    );
    for id in [&typo, &caps, &conflict] {
        w.ok(&["audit", "undo", id]);
    }
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(count_of(&audit, "email_typo"), 1);
    assert_eq!(count_of(&audit, "formatting"), 1);
    assert_eq!(count_of(&audit, "unsubscribed_conflict"), 1);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE id = 13 AND first_name = 'HANS'"),
        1
    );
    let again = w.fails(&["audit", "undo", &typo]);
    assert!(again.contains("already undone"), "{again}");
    let nothing = w.fails(&["audit", "fix", "role_account", "8"]);
    assert!(nothing.contains("no automatic fix"), "{nothing}");
}

#[test]
fn suppress_and_ignore_resolve_findings_until_undone() {
    let w = workspace();
    let sup = log_id(&w.ok(&["audit", "suppress", "--reason", "invalid address", "6"]));
    let ign = log_id(&w.ok(&["audit", "ignore", "role_account", "8"]));
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(count_of(&audit, "invalid_email"), 0);
    assert_eq!(count_of(&audit, "role_account"), 0);
    assert_eq!(audit["suppressed"], 1);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM live_contacts_mailable WHERE id = 6"),
        0
    );
    assert_eq!(
        w.query_i64(
            "SELECT count(*) FROM maintenance_log WHERE kind = 'suppress' AND undo IS NOT NULL"
        ),
        1
    );
    w.ok(&["audit", "undo", &sup]);
    w.ok(&["audit", "undo", &ign]);
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(count_of(&audit, "invalid_email"), 1);
    assert_eq!(count_of(&audit, "role_account"), 1);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM live_contacts_mailable WHERE id = 6"),
        1
    );
    let err = w.fails(&["audit", "suppress", "--reason", "x", "999"]);
    assert!(err.contains("999"), "{err}");
    let err = w.fails(&["audit", "ignore", "no_such_kind", "8"]);
    assert!(err.contains("unknown finding"), "{err}");
}

#[test]
fn forgotten_people_stay_forgotten_on_reimport() {
    let w = workspace();
    let refused = w.fails(&["audit", "forget", "12"]);
    assert!(refused.contains("cannot be undone"), "{refused}");
    let id = log_id(&w.ok(&["audit", "forget", "12", "--yes"]));
    // Contact 11 is the same Gmail inbox (gina.hall@gmail.com = GinaHall@googlemail.com).
    for sql in [
        "SELECT count(*) FROM contacts WHERE id IN (11, 12)",
        "SELECT count(*) FROM source_records WHERE contact_id IN (11, 12)",
        "SELECT count(*) FROM contact_keys WHERE contact_id IN (11, 12)",
        "SELECT count(*) FROM source_records WHERE raw LIKE '%gina%' OR raw LIKE '%Gina%'",
    ] {
        assert_eq!(w.query_i64(sql), 0, "{sql}");
    }
    // One hash: both spellings share the mailbox key the hash is taken of.
    assert_eq!(w.query_i64("SELECT count(*) FROM audit_erased"), 1);
    let log = w.query_i64(&format!(
        "SELECT count(*) FROM maintenance_log WHERE id = {id} AND undo IS NULL
         AND details NOT LIKE '%gina%' AND summary NOT LIKE '%gina%'"
    ));
    assert_eq!(log, 1);
    let err = w.fails(&["audit", "undo", &id]);
    assert!(err.contains("cannot be undone"), "{err}");
    let changed = format!("{CONTACTS}new.person@firm.ie,New,Person,,,subscribed,2025-12-20\n");
    let again = w.write("contacts2.csv", changed);
    w.ok(&["import", again.to_str().unwrap()]);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE email_norm LIKE 'gina%' OR email_norm LIKE 'ginahall%'"),
        0
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE email_norm = 'new.person@firm.ie'"),
        1
    );
    assert_eq!(
        w.query_i64(
            "SELECT count(*) FROM rejected_rows WHERE reason LIKE '%forgotten%' AND raw = ''"
        ),
        2
    );
}

#[test]
fn settings_change_what_the_rules_count() {
    let w = workspace();
    let audit = w.json(&["audit", "--json"]);
    assert_eq!(count_of(&audit, "missing_required"), 0);
    assert_eq!(count_of(&audit, "inactive"), 1);
    let shown = w.json(&["audit", "settings"]);
    assert_eq!(shown["inactive_days"], 180);
    w.ok(&[
        "audit",
        "settings",
        "--set",
        r#"{"required_fields": ["phone"], "inactive_days": 400, "active_days": 30}"#,
    ]);
    let audit = w.json(&["audit", "--json"]);
    // 19 contacts, 3 with a phone (even the undiallable "123" counts as filled).
    assert_eq!(count_of(&audit, "missing_required"), 16);
    assert_eq!(
        count_of(&audit, "inactive"),
        0,
        "an open 10 months ago is within 400 days"
    );
    let err = w.fails(&[
        "audit",
        "settings",
        "--set",
        r#"{"required_fields": ["shoe_size"]}"#,
    ]);
    assert!(err.contains("shoe_size"), "{err}");
    let err = w.fails(&["audit", "settings", "--set", r#"{"inactive_dayz": 3}"#]);
    assert!(err.contains("unknown setting"), "{err}");
    assert_eq!(
        w.query_i64("SELECT count(*) FROM maintenance_log WHERE kind = 'audit_settings'"),
        1
    );
}
