//! `listwarden import` and `stats` through the real binary: presets, normalisation,
//! idempotence, updates, events, and the malformed-file corpus.

mod common;
use common::Workdir;

const MAILCHIMP: &str =
    "\"Email Address\",\"First Name\",\"Last Name\",Birthday,MEMBER_RATING,OPTIN_TIME,CC,LEID,EUID,TAGS\n\
ann@example.org,Ann,Smith,10/03,4,\"2024-05-01 10:00:00\",DE,101,e1,\"\"\"vip\"\",\"\"shop\"\"\"\n\
  Bob@Example.ORG ,bob,MILLER,,2,\"2023-01-02 08:00:00\",AT,102,e2,\n";

#[test]
fn a_mailchimp_export_imports_with_fields_statuses_and_tags() {
    let w = Workdir::new();
    let file = w.write("members.csv", MAILCHIMP);
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("2 read, 2 new"), "{out}");
    assert!(out.contains("mailchimp"), "preset detected: {out}");
    let stats = w.stats();
    assert_eq!(stats["contacts"], 2);
    assert_eq!(stats["by_status"]["subscribed"], 2);
    assert_eq!(w.query_i64("SELECT count(*) FROM contact_tags"), 2);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE email = 'Bob@Example.ORG' AND email_norm = 'bob@example.org' AND country = 'AT'"),
        1
    );
    assert_eq!(w.query_i64("SELECT count(*) FROM source_records"), 2);
    // Mailchimp's Birthday is a month and a day: kept without a year, not a warning.
    assert!(!out.contains("not read"), "{out}");
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE email = 'ann@example.org' AND date_of_birth = '--10-03'"),
        1
    );
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let w = Workdir::new();
    let file = w.write("members.csv", MAILCHIMP);
    w.ok(&["import", file.to_str().unwrap()]);
    let before = w.stats();
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("nothing changed"), "{out}");
    assert_eq!(w.stats(), before);
    // A copy with other bytes but the same rows is matched row by row: all unchanged.
    let copy = w.write("copy.csv", format!("{MAILCHIMP}\n"));
    let out = w.ok(&["import", copy.to_str().unwrap()]);
    assert!(out.contains("0 new, 0 updated, 2 unchanged"), "{out}");
    assert_eq!(w.stats()["contacts"], before["contacts"]);
}

#[test]
fn an_updated_export_changes_only_what_changed_and_records_it() {
    let w = Workdir::new();
    let file = w.write("v1.csv", MAILCHIMP);
    w.ok(&["import", file.to_str().unwrap()]);
    let v2 = MAILCHIMP.replace("Ann,Smith,", "Ann,Smith-Jones,");
    let file = w.write("v2.csv", v2);
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("0 new, 1 updated, 1 unchanged"), "{out}");
    assert_eq!(
        w.query_i64("SELECT count(*) FROM field_changes WHERE field = 'last_name' AND old_value = 'Smith' AND new_value = 'Smith-Jones'"),
        1
    );
    assert_eq!(w.stats()["contacts"], 2);
}

#[test]
fn unsubscribed_and_cleaned_exports_set_status_and_the_restrictive_one_wins() {
    let w = Workdir::new();
    let subscribed = w.write("subscribed.csv", MAILCHIMP);
    let unsub = w.write(
        "unsubscribed.csv",
        "Email Address,First Name,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,LEID\nann@example.org,Ann,2025-01-01 00:00:00,Sale,101\n",
    );
    w.ok(&["import", unsub.to_str().unwrap()]);
    w.ok(&["import", subscribed.to_str().unwrap()]);
    let stats = w.stats();
    assert_eq!(stats["by_status"]["unsubscribed"], 1, "{stats}");
    assert_eq!(stats["contacts"], 2);
}

#[test]
fn custom_columns_become_typed_custom_fields() {
    let w = Workdir::new();
    let file = w.write(
        "c.csv",
        "email,Industry,Seats,Renewal,Trial\na@x.io,Retail,12,2026-03-01,yes\nb@x.io,Food,3,2026-04-01,no\n",
    );
    w.ok(&["import", file.to_str().unwrap()]);
    // Industry is a known field; the others are custom and typed from their values.
    assert_eq!(
        w.query_i64("SELECT count(*) FROM custom_fields WHERE name = 'Seats' AND type = 'number'"),
        1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM custom_fields WHERE name = 'Renewal' AND type = 'date'"),
        1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM custom_fields WHERE name = 'Trial' AND type = 'boolean'"),
        1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contact_custom_values WHERE num = 12"),
        1
    );
}

#[test]
fn events_import_keyed_by_email_and_idempotent() {
    let w = Workdir::new();
    let contacts = w.write("c.csv", MAILCHIMP);
    w.ok(&["import", contacts.to_str().unwrap()]);
    let events = w.write(
        "e.csv",
        "email,type,occurred_at,campaign,url,amount\n\
         ann@example.org,open,2025-12-01T10:00:00Z,Dec,,\n\
         ANN@example.org,purchase,2025-12-02T10:00:00Z,,/checkout,49.90\n\
         bob@example.org,unsubscribe,2025-12-03T10:00:00Z,Dec,,\n\
         nobody@example.org,open,2025-12-01T10:00:00Z,Dec,,\n\
         ann@example.org,teleport,2025-12-01T10:00:00Z,Dec,,\n",
    );
    let out = w.ok(&["import", "--events", events.to_str().unwrap()]);
    assert!(out.contains("5 read, 3 new"), "{out}");
    assert!(
        out.contains("row 5") && out.contains("no contact with email nobody@example.org"),
        "{out}"
    );
    assert!(
        out.contains("row 6") && out.contains("unknown event type"),
        "{out}"
    );
    let stats = w.stats();
    assert_eq!(stats["events"], 3);
    assert_eq!(stats["events_by_type"]["purchase"], 1);
    assert_eq!(
        stats["by_status"]["unsubscribed"], 1,
        "an unsubscribe event unsubscribes"
    );
    // An overlapping export adds only what is new.
    let more = w.write(
        "e2.csv",
        "email,type,occurred_at,campaign,url,amount\nann@example.org,open,2025-12-01T10:00:00Z,Dec,,\nann@example.org,click,2025-12-01T10:01:00Z,Dec,/pricing,\n",
    );
    let out = w.ok(&["import", "--events", more.to_str().unwrap()]);
    assert!(
        out.contains("1 new") && out.contains("1 unchanged"),
        "{out}"
    );
}

#[test]
fn json_summary_for_scripts() {
    let w = Workdir::new();
    let file = w.write("members.csv", MAILCHIMP);
    let v = w.json(&["import", "--json", file.to_str().unwrap()]);
    assert_eq!(v[0]["rows_read"], 2);
    assert_eq!(v[0]["rows_new"], 2);
    assert_eq!(v[0]["preset"], "mailchimp");
}

/// Every malformed file gets a clear error or per-row rejections, never a panic, and a
/// failed file leaves the workspace exactly as it was.
#[test]
fn malformed_files_are_reported_clearly_and_change_nothing() {
    let w = Workdir::new();
    let good = w.write("good.csv", MAILCHIMP);
    w.ok(&["import", good.to_str().unwrap()]);
    let before = w.stats();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", vec![], "empty"),
        (
            "binary.csv",
            vec![0x00, 0x01, 0xff, 0x00, 0x13, 0x37, 0x00, 0x42],
            "not a text file",
        ),
        (
            "noid.csv",
            b"colour,size\nred,3\n".to_vec(),
            "no column identifies a contact",
        ),
        (
            "events.csv",
            b"email,type,occurred_at,campaign\nann@example.org,open,2025-12-01,Dec\n".to_vec(),
            "this is an events export, not contacts; import it as events (`:import-events` in the TUI, `--events` for import and watch); its columns: email, type, occurred_at, campaign",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = w.write(name, bytes);
        let err = w.fails(&["import", path.to_str().unwrap()]);
        assert!(err.contains(name), "{name}: names the file: {err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(w.stats(), before, "{name} changed the workspace");
    }
    let missing = w.fails(&["import", "no-such-file.csv"]);
    assert!(
        missing.contains("no-such-file.csv") && missing.contains("cannot read"),
        "{missing}"
    );
}

#[test]
fn bad_rows_are_rejected_with_row_and_reason_while_good_rows_import() {
    let w = Workdir::new();
    let big = "x".repeat(10 * 1024 * 1024);
    let mut bytes = b"email,first_name,last_name\n".to_vec();
    bytes.extend_from_slice(b"ok@x.io,Ok,Row\n");
    bytes.extend_from_slice(b"ragged@x.io,Too,Many,Fields\n");
    bytes.extend_from_slice(format!("big@x.io,{big},Row\n").as_bytes());
    bytes.extend_from_slice(b"latin@x.io,J\xf6rg,M\xfcller\n");
    bytes.extend_from_slice(b",,\n");
    bytes.extend_from_slice(b"\"multi\nline\"@x.io,Multi,\"Line\r\nName\"\n");
    let path = w.write("mixed.csv", bytes);
    let out = w.ok(&["import", path.to_str().unwrap()]);
    assert!(
        out.contains("row 3: row has 4 fields but the header has 3"),
        "{out}"
    );
    assert!(
        out.contains("row 4, column \"first_name\": value is 10485760 bytes long"),
        "{out}"
    );
    // Rejected rows are kept whole in the workspace, so nothing in the file is lost.
    assert_eq!(
        w.query_i64(
            r#"SELECT count(*) FROM rejected_rows WHERE row_number = 3 AND raw = '["ragged@x.io","Too","Many","Fields"]'"#
        ),
        1
    );
    assert_eq!(
        w.query_i64(
            "SELECT count(*) FROM contacts WHERE first_name = 'Jörg' AND last_name = 'Müller'"
        ),
        1
    );
    assert_eq!(w.stats()["contacts"], 3);
}

#[test]
fn duplicate_headers_keep_both_columns() {
    let w = Workdir::new();
    let path = w.write(
        "dup.csv",
        "Email Address,UNSUB_REASON,UNSUB_REASON,LEID\nx@y.io,Too many,Other text,7\n",
    );
    let out = w.ok(&["import", path.to_str().unwrap()]);
    // The summary names the fields as they are stored, so the second is told apart.
    assert!(
        out.contains(r#"new custom field "UNSUB_REASON (2)" (text)"#),
        "{out}"
    );
    assert_eq!(w.stats()["contacts"], 1);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM source_records WHERE raw LIKE '%Other text%'"),
        1
    );
}

#[test]
fn utf16_and_windows_1252_semicolon_exports_import() {
    let w = Workdir::new();
    let text = "E-Mail;Vorname;Nachname;Land\r\njoerg@beispiel.de;Jörg;Müller;Deutschland\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let path = w.write("utf16.csv", utf16);
    w.ok(&["import", path.to_str().unwrap()]);
    let cp1252: Vec<u8> = text
        .replace("joerg", "anna")
        .chars()
        .map(|c| match c {
            'ö' => 0xF6,
            'ü' => 0xFC,
            c => c as u8,
        })
        .collect();
    let path = w.write("cp1252.csv", cp1252);
    w.ok(&["import", path.to_str().unwrap()]);
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE last_name = 'Müller' AND first_name = 'Jörg' AND country = 'DE'"),
        2
    );
}

#[test]
fn two_processes_importing_at_once_both_succeed() {
    let w = Workdir::new();
    let mut a = String::from("email,first_name\n");
    let mut b = String::from("email,first_name\n");
    for i in 0..3000 {
        a.push_str(&format!("a{i}@x.io,A{i}\n"));
        b.push_str(&format!("b{i}@x.io,B{i}\n"));
    }
    let pa = w.write("a.csv", a);
    let pb = w.write("b.csv", b);
    w.ok(&["stats"]);
    let ca = w
        .command()
        .args(["import", pa.to_str().unwrap()])
        .spawn()
        .unwrap();
    let cb = w
        .command()
        .args(["import", pb.to_str().unwrap()])
        .spawn()
        .unwrap();
    let (ra, rb) = (
        ca.wait_with_output().unwrap(),
        cb.wait_with_output().unwrap(),
    );
    assert!(ra.status.success() && rb.status.success());
    assert_eq!(w.stats()["contacts"], 6000);
}

#[cfg(unix)]
#[test]
fn a_killed_import_leaves_the_previous_state_and_a_rerun_completes() {
    let w = Workdir::new();
    let first = w.write("first.csv", MAILCHIMP);
    w.ok(&["import", first.to_str().unwrap()]);
    let before = w.stats();
    let mut big = String::from("email,first_name,last_name,company\n");
    for i in 0..200_000 {
        big.push_str(&format!(
            "person{i}@example.net,First{i},Last{i},Company {}\n",
            i % 97
        ));
    }
    let path = w.write("big.csv", big);
    // Time a full run on a scratch workspace, then kill the real one halfway through it.
    let scratch = Workdir::new();
    let started = std::time::Instant::now();
    scratch.ok(&["import", path.to_str().unwrap()]);
    let half = started.elapsed() / 2;
    let mut child = w
        .command()
        .args(["import", path.to_str().unwrap()])
        .spawn()
        .unwrap();
    std::thread::sleep(half);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import finished before it could be killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(w.stats(), before, "a killed import must leave no trace");
    let out = w.ok(&["import", path.to_str().unwrap()]);
    assert!(out.contains("200000 read, 200000 new"), "{out}");
}

/// One small export per platform, as the platform writes it: the preset is detected from
/// the header, and ids, names, statuses, phones, countries, dates and tags land where a
/// segment rule expects them.
#[test]
fn every_platform_export_imports_into_the_same_fields() {
    struct Case {
        file: &'static str,
        bytes: &'static [u8],
        preset: &'static str,
        /// (SQL over contacts that must count exactly one row)
        check: &'static str,
    }
    let cases = [
        Case {
            file: "hubspot.csv",
            bytes: b"\xef\xbb\xbfRecord ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Country/Region,Lifecycle Stage,Lead Status,Create Date,Last Activity Date\n\
                     9001,Hanna,Berg,hanna@berg.se,+46 8 123 456 78,Berg AB,CTO,Sweden,customer,Open,2024-02-03 10:20,2024-09-01\n",
            preset: "hubspot",
            check: "external_id = '9001' AND first_name = 'Hanna' AND country = 'SE' AND phone = '+46812345678' AND lifecycle_stage = 'customer'",
        },
        Case {
            file: "klaviyo.csv",
            bytes: b"Email,Klaviyo ID,First Name,Last Name,Organization,Phone Number,Country,Email Marketing Consent,Historic Number Of Orders,Historic Customer Lifetime Value,Date Added,Last Open\n\
                     kim@shop.io,01HX9,Kim,Lee,Shop Inc,,United States,UNSUBSCRIBED,3,129.50,2023-11-05 09:00:00,2024-10-01 12:00:00\n",
            preset: "klaviyo",
            check: "external_id = '01HX9' AND status = 'unsubscribed' AND country = 'US' AND purchase_count = 3 AND total_spent = 129.5 AND last_open_at IS NOT NULL",
        },
        Case {
            file: "constantcontact.csv",
            bytes: b"Email address,First name,Last name,Phone - home,Company,Job title,Email status,Email permission status,Tags,Email Lists,Country - Home\n\
                     luc@dupont.fr,Luc,Dupont,01 23 45 67 89,Dupont SA,CEO,Active,Implicit,\"VIP, Webinar 2024\",Newsletter,France\n",
            preset: "constantcontact",
            check: "first_name = 'Luc' AND country = 'FR' AND phone = '+33123456789' AND (SELECT count(*) FROM contact_tags t WHERE t.contact_id = contacts.id) = 2",
        },
        Case {
            file: "activecampaign.csv",
            bytes: b"Contact ID,Email,First Name,Last Name,Phone,Organization,Tags,Date Created,Date Updated\n\
                     77,ana@rio.br,Ana,Silva,,Rio Ltda,\"lead, trial\",2024-01-15 08:30:00,2024-06-01 08:30:00\n",
            preset: "activecampaign",
            check: "external_id = '77' AND company = 'Rio Ltda' AND subscribed_at IS NOT NULL",
        },
        Case {
            file: "cleverreach.csv",
            bytes: b"E-Mail;Vorname;Nachname;Firma;PLZ;Ort;Anmeldedatum;Abmeldedatum;Aktiv;Tags\n\
                     j\xfcrgen@m\xfcller.de;J\xfcrgen;M\xfcller;M\xfcller GmbH;80331;M\xfcnchen;01.03.2024;15.05.2024;nein;Kunde\n",
            preset: "cleverreach",
            check: "first_name = 'Jürgen' AND city = 'München' AND postcode = '80331' AND status = 'unsubscribed'",
        },
        Case {
            file: "brevo.csv",
            bytes: b"CONTACT ID,EMAIL,FIRSTNAME,LASTNAME,SMS,EMAIL_BLACKLISTED,SMS_BLACKLISTED,ADDED_TIME,MODIFIED_TIME\n\
                     555,eva@novak.cz,Eva,Novak,420601123456,true,false,2024-04-01 10:00:00,2024-04-02 10:00:00\n",
            preset: "brevo",
            check: "external_id = '555' AND phone = '+420601123456' AND status = 'unsubscribed'",
        },
    ];
    for case in cases {
        let w = Workdir::new();
        let path = w.write(case.file, case.bytes);
        let out = w.ok(&["import", path.to_str().unwrap()]);
        assert!(
            out.contains(&format!("({} contacts)", case.preset)) && out.contains("1 new"),
            "{}: {out}",
            case.file
        );
        let sql = format!("SELECT count(*) FROM contacts WHERE {}", case.check);
        assert_eq!(w.query_i64(&sql), 1, "{}: {}", case.file, case.check);
    }
}

/// A FEBRL-style person file: record id, house number and street in two columns, the
/// locality as `suburb`, spaces after the commas, no email; one row has no name at all.
const PERSONS: &str = "rec_id, given_name, surname, street_number, address_1, suburb, postcode, date_of_birth, soc_sec_id\n\
rec-1-org, harley, mccarthy, 177, pridham street, marsden, 3165, 19080419, 6089216\n\
rec-1-dup-0, harley, mccarthy, 177, pridham tstreet, marsden, 3165, 19080419, 6089216\n\
rec-2-org, , , 23, gundulu place, utakarra, 2193, 19921119, 4314184\n";

#[test]
fn a_person_file_keeps_its_record_ids_addresses_and_every_row() {
    let w = Workdir::new();
    let file = w.write("persons.csv", PERSONS);
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("3 read, 3 new"), "{out}");
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE external_id = 'rec-1-dup-0' AND street = '177 pridham tstreet' AND city = 'marsden'"),
        1
    );
    // A row with only an address and a birth date is still somebody.
    assert_eq!(
        w.query_i64(
            "SELECT count(*) FROM contacts WHERE external_id = 'rec-2-org' AND first_name IS NULL"
        ),
        1
    );
}

#[test]
fn rows_without_id_or_email_fold_together_only_when_they_describe_one_address() {
    let w = Workdir::new();
    // Without the id column, the two harley mccarthy rows differ in their street: two
    // records for the Duplicates pane, not one contact overwritten by the other.
    let no_ids: String = PERSONS
        .lines()
        .map(|l| l.split_once(", ").map_or(l, |(_, rest)| rest))
        .collect::<Vec<_>>()
        .join("\n");
    let file = w.write("no_ids.csv", &no_ids);
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("3 read, 3 new"), "{out}");
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("nothing changed"), "{out}");
    assert_eq!(w.stats()["contacts"], 3);
}

#[test]
fn a_row_without_id_or_email_that_gained_a_street_updates_its_contact() {
    let w = Workdir::new();
    let v1 = w.write(
        "v1.csv",
        "given_name,surname,postcode\nharley,mccarthy,3165\n",
    );
    w.ok(&["import", v1.to_str().unwrap()]);
    let v2 = w.write(
        "v2.csv",
        "given_name,surname,street,postcode\nharley,mccarthy,177 pridham street,3165\n",
    );
    let out = w.ok(&["import", v2.to_str().unwrap()]);
    assert!(out.contains("0 new, 1 updated"), "{out}");
    assert_eq!(w.stats()["contacts"], 1);
}

#[test]
fn a_value_that_cannot_be_read_is_named_with_its_column_and_row_and_kept_in_the_source_row() {
    let w = Workdir::new();
    let file = w.write(
        "births.csv",
        "email,date_of_birth\nann@example.org,1955-11-92\nbob@example.org,1960-01-02\n",
    );
    let out = w.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.contains("2 read, 2 new, 0 updated, 0 unchanged, 0 rejected, 1 value not read"),
        "{out}"
    );
    assert!(
        out.contains("1 value in column \"date_of_birth\" not read as a date (first at row 2)"),
        "{out}"
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM contacts WHERE date_of_birth IS NULL AND email = 'ann@example.org'"),
        1
    );
    assert_eq!(
        w.query_i64("SELECT count(*) FROM source_records WHERE raw LIKE '%1955-11-92%'"),
        1
    );
}

/// A ZIP archive of the three files Mailchimp's audience export holds.
fn mailchimp_zip(w: &Workdir, extra: &[(&str, &str)]) -> std::path::PathBuf {
    use std::io::Write;
    let path = w.path("audience_export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let files = [
        ("subscribed_members_export_1a2b.csv", MAILCHIMP),
        (
            "unsubscribed_members_export_1a2b.csv",
            "Email Address,First Name,UNSUB_TIME,UNSUB_REASON,LEID\ncy@example.org,Cy,2024-06-01 10:00:00,NORMAL,103\n",
        ),
        (
            "cleaned_members_export_1a2b.csv",
            "Email Address,CLEAN_TIME,LEID\ndee@example.org,2024-07-01 10:00:00,104\n",
        ),
    ];
    for (name, body) in files.iter().chain(extra) {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// Mailchimp's audience export is one ZIP: each CSV in it imports as a file of its own,
/// named after the archive, and the same archive again changes nothing.
#[test]
fn a_zipped_audience_export_imports_each_file_in_it() {
    let w = Workdir::new();
    let zip = mailchimp_zip(&w, &[]);
    let out = w.ok(&["import", zip.to_str().unwrap()]);
    assert!(
        out.contains("audience_export.zip/subscribed_members_export_1a2b.csv (mailchimp contacts): 2 read, 2 new"),
        "{out}"
    );
    assert!(
        out.contains("audience_export.zip/cleaned_members_export_1a2b.csv"),
        "{out}"
    );
    let stats = w.stats();
    assert_eq!(stats["contacts"], 4);
    assert_eq!(stats["imports"], 3);
    assert_eq!(stats["by_status"]["subscribed"], 2);
    assert_eq!(stats["by_status"]["unsubscribed"], 1);
    assert_eq!(stats["by_status"]["cleaned"], 1);
    let again = w.ok(&["import", zip.to_str().unwrap()]);
    assert_eq!(again.matches("nothing changed").count(), 3, "{again}");
    assert_eq!(w.stats(), stats);
}

/// A broken file in an archive is its own failure, named by archive and entry; the other
/// files still import.
#[test]
fn a_broken_file_in_an_archive_is_named_by_archive_and_entry() {
    let w = Workdir::new();
    let zip = mailchimp_zip(&w, &[("notes.csv", "")]);
    let out = w.run(&["import", zip.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("audience_export.zip/notes.csv: the file is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 4 file(s) could not be imported"),
        "{stderr}"
    );
    assert_eq!(w.stats()["contacts"], 4);
    let garbage = w.write("garbage.zip", b"PK\x03\x04 not really");
    let error = w.fails(&["import", garbage.to_str().unwrap()]);
    assert!(
        error.contains("garbage.zip: not a readable ZIP archive"),
        "{error}"
    );
}
