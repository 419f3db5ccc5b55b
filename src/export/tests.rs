//! Exports over the segment fixture.

use super::*;
use crate::segment::engine_tests::fixture;

fn read(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn saved(ws: &mut Workspace, name: &str, rule: &str) {
    let image = Image::load(ws.conn()).unwrap();
    segment::save(ws, &image, name, rule).unwrap();
}

#[test]
fn only_mailable_contacts_are_exported_unless_asked() {
    let (dir, mut ws) = fixture();
    saved(&mut ws, "Everyone", "email is not empty");
    let out = dir.path().join("mc.csv");
    let options = SegmentExport {
        segment: "everyone".into(),
        preset: Preset::Mailchimp,
        include_unmailable: false,
        groups: Groups::All,
    };
    let report = export_segment(&mut ws, &options, &out).unwrap();
    assert_eq!((report.files[0].rows, report.skipped_unmailable), (3, 3));
    let rows = read(&out);
    assert_eq!(rows[0][0], "Email Address");
    let emails: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(emails, ["anna@gmail.com", "ben@example.com", "dan@web.de"]);
    assert_eq!(
        rows[1][9], "newsletter,VIP",
        "Mailchimp tags, comma-separated"
    );

    let all = SegmentExport {
        include_unmailable: true,
        ..options
    };
    assert_eq!(
        export_segment(&mut ws, &all, &out).unwrap().files[0].rows,
        6
    );
    let kinds: i64 = ws
        .conn()
        .query_row(
            "SELECT count(*) FROM maintenance_log WHERE kind = 'export'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kinds, 2, "every export is logged");
}

#[test]
fn formulas_are_neutralised_but_phone_numbers_are_not() {
    assert_eq!(neutralize("=cmd()"), "'=cmd()");
    assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(
        neutralize("-2+3+cmd|' /C calc'!A0"),
        "'-2+3+cmd|' /C calc'!A0"
    );
    assert_eq!(neutralize("\tx"), "'\tx");
    assert_eq!(neutralize("+49 30 1234567"), "+49 30 1234567");
    assert_eq!(neutralize("-5"), "-5");
    assert_eq!(neutralize("Anna"), "Anna");

    let (dir, mut ws) = fixture();
    saved(&mut ws, "Gina", "email starts_with \"gina\"");
    let out = dir.path().join("g.csv");
    let options = SegmentExport {
        segment: "Gina".into(),
        preset: Preset::Csv,
        include_unmailable: true,
        groups: Groups::All,
    };
    export_segment(&mut ws, &options, &out).unwrap();
    let rows = read(&out);
    assert_eq!(
        (rows[1][2].as_str(), rows[1][4].as_str()),
        ("'=Gina", "'=cmd()")
    );
}

#[test]
fn hubspot_gets_its_lifecycle_values_and_generic_gets_custom_fields() {
    let (dir, mut ws) = fixture();
    saved(&mut ws, "Anna", "email = \"anna@gmail.com\"");
    let out = dir.path().join("h.csv");
    let options = SegmentExport {
        segment: "Anna".into(),
        preset: Preset::Hubspot,
        include_unmailable: false,
        groups: Groups::All,
    };
    export_segment(&mut ws, &options, &out).unwrap();
    let rows = read(&out);
    assert_eq!(
        (rows[0][10].as_str(), rows[1][10].as_str()),
        ("Lifecycle Stage", "customer")
    );

    let options = SegmentExport {
        preset: Preset::Csv,
        ..options
    };
    export_segment(&mut ws, &options, &out).unwrap();
    let rows = read(&out);
    assert_eq!(
        &rows[0][20..],
        ["Industry", "Employees", "Renewal", "Newsletter"]
    );
    assert_eq!(&rows[1][20..], ["Retail", "50", "2026-03-01", "yes"]);
    assert_eq!(rows[1][19], "newsletter;VIP");
}

#[test]
fn splits_are_reproducible_and_cover_every_member_once() {
    let (dir, mut ws) = fixture();
    saved(&mut ws, "All", "email is not empty");
    let out = dir.path().join("ab.csv");
    let options = SegmentExport {
        segment: "All".into(),
        preset: Preset::Csv,
        include_unmailable: true,
        groups: Groups::split("A/B").unwrap(),
    };
    let first = export_segment(&mut ws, &options, &out).unwrap();
    let a1 = read(&dir.path().join("ab.A.csv"));
    let second = export_segment(&mut ws, &options, &out).unwrap();
    assert_eq!(first, second);
    assert_eq!(read(&dir.path().join("ab.A.csv")), a1);
    assert_eq!(first.files.iter().map(|f| f.rows).sum::<usize>(), 6);

    let rows: Vec<ContactRow> = (0..10_000)
        .map(|id| ContactRow {
            id,
            ..ContactRow::default()
        })
        .collect();
    let groups = Groups::holdout(10).unwrap().assign("Big", rows);
    let held = groups[1].1.len();
    assert_eq!(groups[1].0.as_deref(), Some("holdout"));
    assert!((850..1150).contains(&held), "{held} of 10000 held out");

    assert!(Groups::split("60/30").is_err());
    assert_eq!(Groups::split("80/20").unwrap(), Groups::Split(vec![80, 20]));
    assert_eq!(
        Groups::split("A/B/C").unwrap(),
        Groups::Split(vec![34, 33, 33])
    );
    assert!(Groups::holdout(0).is_err());
}

#[test]
fn the_suppression_list_holds_every_unmailable_address() {
    let (dir, mut ws) = fixture();
    let out = dir.path().join("s.csv");
    export_suppression(&mut ws, Preset::Mailchimp, &out).unwrap();
    let rows = read(&out);
    assert_eq!(
        rows,
        vec![
            vec!["Email Address".to_string(), "Reason".to_string()],
            vec!["cara@gmail.com".to_string(), "unsubscribed".to_string()],
            vec!["eve@example.com".to_string(), "bounced".to_string()],
        ]
    );
}
