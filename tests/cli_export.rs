//! `listwarden export` end to end over the fixture workspace.

mod common;

use common::Workdir;

/// A workspace of the segment fixture.
fn fixture() -> Workdir {
    let w = Workdir::new();
    w.ok(&["stats"]);
    let conn = rusqlite::Connection::open(w.db()).unwrap();
    conn.execute_batch(include_str!("../src/segment/fixture.sql"))
        .unwrap();
    w
}

#[test]
fn export_writes_mailable_members_and_holdout_groups() {
    let w = fixture();
    let d = w.dir.path();
    w.ok(&["segment", "save", "Everyone", "email is not empty"]);
    let stdout = w.ok(&[
        "export",
        "--segment",
        "Everyone",
        "--preset",
        "mailchimp",
        "-o",
        "all.csv",
    ]);
    assert!(
        stdout.starts_with(
            "wrote 3 contacts to all.csv\nleft out 3 contacts that must not be mailed"
        ),
        "{stdout}"
    );
    let text = std::fs::read_to_string(d.join("all.csv")).unwrap();
    assert!(text.starts_with(
        "Email Address,First Name,Last Name,Address,Phone Number,Company,Job Title,City,Country,Tags\n"
    ));
    assert!(
        text.contains("anna@gmail.com,Anna,,,,Acme,Marketing Manager,,DE,\"newsletter,VIP\"\n"),
        "{text}"
    );

    w.ok(&[
        "export",
        "--segment",
        "Everyone",
        "-o",
        "ctl.csv",
        "--holdout",
        "50",
        "--include-unsubscribed",
    ]);
    let rows = |name: &str| {
        std::fs::read_to_string(d.join(name))
            .unwrap()
            .lines()
            .count()
            - 1
    };
    assert_eq!(rows("ctl.target.csv") + rows("ctl.holdout.csv"), 6);

    w.ok(&[
        "export",
        "--suppression",
        "--preset",
        "hubspot",
        "-o",
        "sup.csv",
    ]);
    assert_eq!(
        std::fs::read_to_string(d.join("sup.csv")).unwrap(),
        "Email,Reason\ncara@gmail.com,unsubscribed\neve@example.com,bounced\n"
    );

    w.fails(&["export", "--segment", "Nobody", "-o", "x.csv"]);
    let stderr = w.fails(&[
        "export",
        "--segment",
        "Everyone",
        "--preset",
        "mailchump",
        "-o",
        "x.csv",
    ]);
    assert!(stderr.contains("unknown preset \"mailchump\""));
    assert!(!d.join("x.csv").exists());
}

/// The contacts of a workspace as a comparable table: identity, fields, tags, custom values.
fn contacts(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT email_norm, first_name, last_name, company, job_title, phone, street, city, country,
                    industry, lifecycle_stage, status, subscribed_at,
                    (SELECT group_concat(name, ';') FROM (SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      WHERE ct.contact_id = c.id ORDER BY t.name)),
                    (SELECT group_concat(v, ';') FROM (SELECT f.name || '=' || x.value AS v FROM contact_custom_values x
                      JOIN custom_fields f ON f.id = x.field_id WHERE x.contact_id = c.id ORDER BY f.name))
             FROM contacts c WHERE merged_into IS NULL ORDER BY email_norm",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let cells: Vec<String> = (0..15)
                .map(|i| match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => String::new(),
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Real(f) => f.to_string(),
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                        String::from_utf8_lossy(t).into_owned()
                    }
                })
                .collect();
            Ok(cells.join("|"))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// The demo's Mailchimp audience imported into `a.db` and exported with `export_args`
/// (after `--segment All`).
fn demo_exported(export_args: &[&str]) -> Workdir {
    let w = Workdir::new();
    let demo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/demo-data/mailchimp_subscribed.csv"
    );
    w.ok_on("a.db", &["import", demo]);
    w.ok_on("a.db", &["segment", "save", "All", "email is not empty"]);
    let args: Vec<&str> = ["export", "--segment", "All"]
        .into_iter()
        .chain(export_args.iter().copied())
        .collect();
    w.ok_on("a.db", &args);
    w
}

#[test]
fn a_csv_export_imports_back_to_the_same_contacts() {
    let w = demo_exported(&["--preset", "csv", "-o", "all.csv", "--include-unsubscribed"]);
    let d = w.dir.path();
    w.ok_on("b.db", &["import", "--preset", "generic", "all.csv"]);
    let (before, after) = (contacts(&d.join("a.db")), contacts(&d.join("b.db")));
    assert!(before.len() > 1000, "the demo export has contacts");
    assert_eq!(before, after);
}

/// A Mailchimp export writes the address as Mailchimp reads it, one cell with its parts
/// apart by two spaces, and reading that export back gives the same addresses.
#[test]
fn a_mailchimp_export_keeps_addresses_whole() {
    let w = demo_exported(&["--preset", "mailchimp", "-o", "mc.csv"]);
    let d = w.dir.path();
    let text = std::fs::read_to_string(d.join("mc.csv")).unwrap();
    assert!(text.contains(",174 Main St  London  GB,"), "{text}");
    w.ok_on("b.db", &["import", "--preset", "mailchimp", "mc.csv"]);
    let addresses = |db: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(d.join(db)).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT email_norm || '|' || coalesce(street, '') || '|' || coalesce(city, '')
                        || '|' || coalesce(country, '')
                 FROM contacts WHERE merged_into IS NULL AND status = 'subscribed'
                   -- the demo's planted duplicates (one address, two Mailchimp ids) are
                   -- one contact when read back from an export without the ids
                   AND email_norm IN (SELECT email_norm FROM contacts
                                      GROUP BY email_norm HAVING count(*) = 1)
                 ORDER BY email_norm",
            )
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let before = addresses("a.db");
    let email = |a: &String| a.split('|').next().unwrap_or_default().to_string();
    let emails: std::collections::HashSet<String> = before.iter().map(email).collect();
    let after: Vec<String> = addresses("b.db")
        .into_iter()
        .filter(|a| emails.contains(&email(a)))
        .collect();
    assert!(before.iter().any(|a| a.ends_with("|174 Main St|London|GB")));
    let differ: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .take(3)
        .collect();
    assert!(
        differ.is_empty() && before.len() == after.len(),
        "{differ:?}"
    );
}
