//! Every operator against the hand-checked fixture (`fixture.sql`).

use super::*;
use crate::clock::Clock;
use crate::workspace::{OpenOptions, Workspace};
use chrono::NaiveDate;

/// 2026-01-01T00:00:00Z, the fixture's "now".
pub const NOW: i64 = 1_767_225_600;

/// A temporary workspace holding the fixture, its clock pinned at [`NOW`].
pub fn fixture() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let options = OpenOptions {
        group_shared: false,
        user: Some("tester".into()),
        clock: Clock::parse("2026-01-01T00:00:00Z").unwrap(),
    };
    let ws = Workspace::open(&dir.path().join("w.db"), &options).unwrap();
    ws.conn()
        .execute_batch(include_str!("fixture.sql"))
        .unwrap();
    (dir, ws)
}

fn count(image: &Image, rule: &str) -> usize {
    let expr = parse(rule).unwrap_or_else(|e| panic!("{}", e.render("rule", rule)));
    compile(&expr, image, &NoSegments, NOW)
        .unwrap_or_else(|e| panic!("{}", e.render("rule", rule)))
        .count(image)
}

fn members(image: &Image, rule: &str) -> Vec<i64> {
    let expr = parse(rule).unwrap();
    compile(&expr, image, &NoSegments, NOW)
        .unwrap()
        .members(image)
}

/// Birthdays are upcoming days of the year, whatever the year of birth (or none): the
/// window runs from today across the new year, and 29 February falls on the 28th in a
/// year without it.
#[test]
fn birthdays_are_the_coming_days_of_any_year() {
    let (_dir, ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    let at = |day: &str, rule: &str| -> Vec<i64> {
        let now = NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        let compiled = compile(&parse(rule).unwrap(), &image, &NoSegments, now).unwrap();
        assert!(compiled.time_relative, "{rule}");
        compiled.members(&image)
    };
    assert_eq!(at("2026-12-25", "birthday within 7d"), [4]);
    assert_eq!(at("2026-12-25", "birthday within 8d"), [2, 4]);
    assert_eq!(at("2027-02-28", "birthday within 1d"), [3]);
    assert_eq!(at("2028-02-28", "birthday within 1d"), Vec::<i64>::new());
    assert_eq!(at("2028-02-29", "birthday within 1d"), [3]);
    assert_eq!(at("2026-05-01", "birthday within 0d"), Vec::<i64>::new());
    for rule in ["birthday = 5", "birthday before 30d", "birthday in (1, 2)"] {
        let error = compile(&parse(rule).unwrap(), &image, &NoSegments, NOW).unwrap_err();
        assert!(
            error.message.contains("birthday"),
            "{rule}: {}",
            error.message
        );
    }
}

/// A stage matches by any of its names: HubSpot's label, its internal name, the short one.
#[test]
fn lifecycle_stages_match_by_any_of_their_names() {
    let (_dir, ws) = fixture();
    ws.conn()
        .execute_batch(
            "UPDATE contacts SET lifecycle_stage = 'Marketing Qualified Lead' WHERE id = 2;
             UPDATE contacts SET lifecycle_stage = 'marketingqualifiedlead' WHERE id = 5;",
        )
        .unwrap();
    let image = Image::load(ws.conn()).unwrap();
    for rule in [
        "lifecycle_stage = mql",
        "lifecycle_stage = MQL",
        "lifecycle_stage = \"marketing qualified lead\"",
        "lifecycle_stage = marketingqualifiedlead",
    ] {
        assert_eq!(members(&image, rule), [2, 5], "{rule}");
    }
    assert_eq!(
        members(&image, "lifecycle_stage in (mql, Customer)"),
        [1, 2, 3, 5]
    );
    assert_eq!(members(&image, "lifecycle_stage != mql"), [1, 3, 4, 7]);
    assert_eq!(members(&image, "lifecycle_stage = sql"), Vec::<i64>::new());
}

#[test]
fn every_operator_matches_the_hand_checked_fixture() {
    let (_dir, ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    assert_eq!(image.len(), 6, "merged-away contact 6 is not counted");
    let cases: &[(&str, &[i64])] = &[
        ("status = subscribed", &[1, 2, 4]),
        ("country = de", &[1, 4]),
        ("country in (\"DE\", \"AT\", \"CH\")", &[1, 2, 3, 4]),
        (
            "status = subscribed and country in (\"DE\", \"AT\", \"CH\")",
            &[1, 2, 4],
        ),
        (
            "lifecycle_stage = customer or lifecycle_stage = evangelist",
            &[1, 3, 4],
        ),
        ("job_title contains \"market\"", &[1, 3, 5]),
        ("job_title starts_with \"head\"", &[3]),
        ("email ends_with \"@gmail.com\"", &[1, 3]),
        ("company is empty", &[2, 4]),
        ("company is not empty", &[1, 3, 5, 7]),
        ("created_at before 2025-01-01", &[2, 4, 5]),
        ("created_at after 2025-12-19", &[1, 3]),
        ("created_at within 30d", &[1, 3]),
        ("created_at before 1y", &[2, 4, 5]),
        ("created_at = 2025-12-20", &[1]),
        ("created_at >= 2025-12-20", &[1, 3]),
        ("created_at <= 2025-12-20", &[1, 2, 4, 5, 7]),
        ("tag \"vip\"", &[1, 4]),
        ("not tag \"test\"", &[1, 2, 3, 4, 7]),
        ("opened >= 3 in 90d", &[1]),
        ("opened = 4 in 30d", &[1]),
        ("opened in 30d", &[1, 3]),
        ("clicked in 30d", &[1, 3]),
        ("not opened in 180d", &[2, 4, 5, 7]),
        ("opened", &[1, 2, 3]),
        ("bounced in 31d", &[5]),
        ("purchased >= 2 in 180d", &[4]),
        ("purchased < 1", &[2, 3, 5, 7]),
        ("spent >= 100 in 365d", &[1, 4]),
        ("spent >= 1219.99 in 30d", &[4]),
        ("spent >= 250 in 30d", &[4]),
        ("spent = 250", &[1]),
        ("visited \"/pricing\" >= 2 in 14d", &[1]),
        ("visited \"/blog\" in 7d", &[2]),
        ("added_to_cart in 2d and not purchased in 2d", &[2]),
        ("\"Industry\" = \"Retail\"", &[1, 2]),
        ("industry is empty", &[1, 2, 3, 4, 5, 7]),
        ("\"Employees\" >= 50", &[1, 2]),
        ("\"Renewal\" after 2025-12-31", &[1]),
        ("\"Newsletter\" = yes", &[1]),
        ("\"Newsletter\" = false", &[2]),
        ("open_count > 3", &[1, 4]),
        ("open_count != 2", &[1, 3, 4, 5, 7]),
        ("date_of_birth before 1990-01-01", &[1]),
        ("date_of_birth is empty", &[4, 5, 7]),
        ("birthday is not empty", &[1, 2, 3, 4]),
        ("birthday within 1d", &[2]),
        ("birthday within 58d", &[2]),
        ("birthday within 59d", &[2, 3]),
        ("birthday within 365d", &[1, 2, 3, 4]),
        ("country != \"DE\"", &[2, 3, 5, 7]),
        ("first_name < \"C\"", &[1, 2, 7]),
        ("total_spent >= 250", &[1, 4]),
        ("(tag vip or tag test) and not country = de", &[5]),
        ("not (tag vip or tag test)", &[2, 3, 7]),
        (
            "tag newsletter and opened in 30d or status = bounced",
            &[1, 3, 5],
        ),
    ];
    for (rule, expected) in cases {
        assert_eq!(members(&image, rule), expected.to_vec(), "{rule}");
        assert_eq!(count(&image, rule), expected.len(), "{rule}");
    }
}

#[test]
fn unknown_names_are_errors_or_notices_with_suggestions() {
    let (_dir, ws) = fixture();
    let image = Image::load(ws.conn()).unwrap();
    let err = |rule: &str| compile(&parse(rule).unwrap(), &image, &NoSegments, NOW).unwrap_err();
    let e = err("contry = DE");
    assert_eq!((e.offset, e.suggestion.as_deref()), (0, Some("country")));
    assert_eq!(
        err("status = subscrbed").suggestion.as_deref(),
        Some("subscribed")
    );
    assert_eq!(
        err("\"Industy\" = x").suggestion.as_deref(),
        Some("Industry")
    );
    assert!(err("country within 30d").message.contains("date field"));
    assert!(err("open_count = many").message.contains("number"));
    assert!(err("created_at contains \"x\"")
        .message
        .contains("text field"));
    assert!(err("in segment \"Nope\"")
        .message
        .contains("no saved segment"));

    let compiled = compile(
        &parse("tag \"vpi\" or country = germny").unwrap(),
        &image,
        &NoSegments,
        NOW,
    )
    .unwrap();
    let notices: Vec<_> = compiled
        .notices
        .iter()
        .map(|n| n.suggestion.clone())
        .collect();
    assert_eq!(notices, vec![Some("VIP".to_string()), None]);
    assert_eq!(compiled.count(&image), 0);
}

#[test]
fn a_large_image_splits_across_threads_with_the_same_result() {
    // Enough contacts that evaluation runs on several threads (>= 1024 words).
    let (_dir, ws) = fixture();
    ws.conn()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 100100)
             INSERT INTO contacts (id, email, country, status, source, first_seen_at, updated_at)
             SELECT i, 'c' || i || '@x.org', CASE i % 3 WHEN 0 THEN 'DE' ELSE 'FR' END, 'subscribed', 'generic', 1700000000, 1700000000 FROM n;
             INSERT INTO contact_tags SELECT id, 1 FROM contacts WHERE id >= 100 AND id % 7 = 0;",
        )
        .unwrap();
    let image = Image::load(ws.conn()).unwrap();
    let expected: i64 = ws
        .conn()
        .query_row(
            "SELECT count(*) FROM contacts c WHERE merged_into IS NULL AND lower(trim(country)) = 'de'
             AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag_id = 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count(&image, "country = DE and tag vip") as i64, expected);
}

/// Every form counted by the engine and, independently, by SQL over the same synthetic data.
#[test]
fn counts_agree_with_an_independent_sql_computation() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("s.db"), &OpenOptions::default()).unwrap();
    ws.conn()
        .execute_batch(&include_str!("synthetic.sql").replace(":contacts", "3000"))
        .unwrap();
    let image = Image::load(ws.conn()).unwrap();
    let now = NOW;
    let d = 86_400;
    // Events of merged-away contacts count for their survivor.
    let owner =
        "e.contact_id IN (SELECT m.id FROM contacts m WHERE m.id = c.id OR m.merged_into = c.id)";
    let events = |ty: &str, days: i64| {
        format!("(SELECT count(*) FROM events e WHERE {owner} AND e.type = '{ty}' AND e.occurred_at > {} AND e.occurred_at <= {now})", now - days * d)
    };
    let cases: Vec<(&str, String)> = vec![
        ("status = subscribed and country in (DE, AT, CH)", "status = 'subscribed' AND country IN ('DE', 'AT', 'CH')".into()),
        ("country != DE", "country IS NULL OR country <> 'DE'".into()),
        ("country is empty", "country IS NULL".into()),
        ("job_title contains \"market\"", "lower(job_title) LIKE '%market%'".into()),
        ("email ends_with \"@gmail.com\"", "email LIKE '%@gmail.com'".into()),
        ("email starts_with \"user1\"", "email LIKE 'user1%'".into()),
        ("open_count >= 10", "open_count >= 10".into()),
        ("open_count < 3", "open_count < 3".into()),
        ("created_at before 2023-01-01", format!("coalesce(subscribed_at, first_seen_at) < {}", 1_672_531_200)),
        ("created_at within 90d", format!("coalesce(subscribed_at, first_seen_at) BETWEEN {} AND {now}", now - 90 * d)),
        ("created_at after 180d", format!("coalesce(subscribed_at, first_seen_at) > {}", now - 180 * d)),
        ("tag vip and not tag test", "EXISTS (SELECT 1 FROM contact_tags t JOIN contacts m ON m.id = t.contact_id WHERE coalesce(m.merged_into, m.id) = c.id AND t.tag_id = 1) AND NOT EXISTS (SELECT 1 FROM contact_tags t JOIN contacts m ON m.id = t.contact_id WHERE coalesce(m.merged_into, m.id) = c.id AND t.tag_id = 2)".into()),
        ("opened >= 3 in 90d", format!("{} >= 3", events("open", 90))),
        ("clicked in 30d", format!("{} >= 1", events("click", 30))),
        ("not opened in 180d", format!("{} = 0", events("open", 180))),
        ("purchased >= 2 in 180d", format!("{} >= 2", events("purchase", 180))),
        ("added_to_cart in 20d and not purchased in 20d", format!("{} >= 1 AND {} = 0", events("cart_add", 20), events("purchase", 20))),
        ("spent >= 100 in 365d", format!("(SELECT round(coalesce(sum(amount), 0) * 100) FROM events e WHERE {owner} AND e.type = 'purchase' AND e.occurred_at > {} AND e.occurred_at <= {now}) >= 10000", now - 365 * d)),
        ("visited \"/pricing\" >= 2 in 60d", format!("(SELECT count(*) FROM events e WHERE {owner} AND e.type = 'page_view' AND lower(e.url) LIKE '%/pricing%' AND e.occurred_at > {} AND e.occurred_at <= {now}) >= 2", now - 60 * d)),
        ("purchased", format!("{} >= 1", events("purchase", 100_000))),
        ("lifecycle_stage = customer or opened >= 5 in 30d and country = FR", format!("lifecycle_stage = 'customer' OR ({} >= 5 AND country = 'FR')", events("open", 30))),
    ];
    for (rule, condition) in cases {
        let expected: i64 = ws
            .conn()
            .query_row(
                &format!(
                    "SELECT count(*) FROM contacts c WHERE merged_into IS NULL AND ({condition})"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(expected > 0, "{rule}: the check should not be vacuous");
        assert_eq!(count(&image, rule) as i64, expected, "{rule}");
        // An image holding only what the rule reads answers it the same.
        let expr = parse(rule).unwrap();
        let scoped = Image::load_scoped(ws.conn(), &Scope::of([&expr])).unwrap();
        assert_eq!(
            count(&scoped, rule) as i64,
            expected,
            "{rule} (scoped image)"
        );
    }
}

#[test]
fn spent_reads_the_purchase_column() {
    assert_eq!(EVENT_TYPES[super::engine::PURCHASE], "purchase");
}
