//! The per-contact rules: pure functions over one loaded contact, so they are tested on
//! plain values and run in parallel over a million contacts.

use super::kind::Kind;
use super::settings::{Settings, PROFILE_FIELDS};
use crate::text::{self, email, phone};
use std::collections::{HashMap, HashSet};

/// Index of a column in [`ContactRow::fields`].
pub fn field_index(name: &str) -> Option<usize> {
    PROFILE_FIELDS.iter().position(|f| *f == name)
}

const FIRST_NAME: usize = 0;
const LAST_NAME: usize = 1;
const COMPANY: usize = 2;
const JOB_TITLE: usize = 3;
const PHONE: usize = 4;
const CITY: usize = 6;
const COUNTRY: usize = 9;

/// The columns of one live contact the rules look at.
#[derive(Debug, Clone, Default)]
pub struct ContactRow {
    pub id: i64,
    pub email: Option<String>,
    pub email_norm: Option<String>,
    /// Values of [`PROFILE_FIELDS`], in that order.
    pub fields: [Option<String>; PROFILE_FIELDS.len()],
    pub status: String,
    pub last_open_at: Option<i64>,
    pub last_click_at: Option<i64>,
    pub open_count: Option<i64>,
    pub click_count: Option<i64>,
    pub subscribed_at: Option<i64>,
    pub first_seen_at: i64,
    pub suppressed: bool,
}

impl ContactRow {
    /// A profile field's value, `None` when empty.
    pub fn field(&self, index: usize) -> Option<&str> {
        self.fields
            .get(index)
            .and_then(|v| v.as_deref())
            .filter(|v| !v.trim().is_empty())
    }

    /// The mailbox key of the address, `None` without an address.
    pub fn mailbox_key(&self) -> Option<String> {
        self.email_norm.as_deref().map(email::mailbox_key)
    }

    /// Whether the platform status still allows mailing.
    pub fn is_mailable_status(&self) -> bool {
        matches!(self.status.as_str(), "subscribed" | "pending")
    }
}

/// How engaged a contact is, from its last open or click.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Opened or clicked within `active_days`.
    Active,
    /// Last engagement between `active_days` and `inactive_days` ago.
    Cooling,
    /// Engaged once, but not within `inactive_days` (or only platform counts, no date).
    Inactive,
    /// Never opened or clicked, and joined more than `never_engaged_after_days` ago.
    NeverEngaged,
    /// Joined recently and not engaged yet: too early to judge.
    New,
}

impl Tier {
    pub const ALL: [Tier; 5] = [
        Tier::Active,
        Tier::Cooling,
        Tier::Inactive,
        Tier::NeverEngaged,
        Tier::New,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Active => "active",
            Tier::Cooling => "cooling",
            Tier::Inactive => "inactive",
            Tier::NeverEngaged => "never_engaged",
            Tier::New => "new",
        }
    }
}

const DAY: i64 = 86_400;

/// The engagement tier of `row` at `now`. "Joined" is `subscribed_at`, else when
/// Listwarden first saw the contact.
pub fn tier(row: &ContactRow, now: i64, settings: &Settings) -> Tier {
    let last = row.last_open_at.max(row.last_click_at);
    match last {
        Some(at) if at >= now - settings.active_days * DAY => Tier::Active,
        Some(at) if at >= now - settings.inactive_days * DAY => Tier::Cooling,
        Some(_) => Tier::Inactive,
        None if row.open_count.unwrap_or(0) > 0 || row.click_count.unwrap_or(0) > 0 => {
            Tier::Inactive
        }
        None => {
            let joined = row.subscribed_at.unwrap_or(row.first_seen_at);
            if joined < now - settings.never_engaged_after_days * DAY {
                Tier::NeverEngaged
            } else {
                Tier::New
            }
        }
    }
}

/// What the rules need beyond the contact itself.
pub struct RuleContext<'a> {
    pub now: i64,
    pub settings: &'a Settings,
    /// Typo suggestion per domain (precomputed once per distinct domain).
    pub typos: &'a HashMap<String, String>,
    /// Contacts with a bounce event, and with a complaint event.
    pub bounce_events: &'a HashSet<i64>,
    pub complaint_events: &'a HashSet<i64>,
    /// (contact, kind) pairs the user said are fine.
    pub ignored: &'a HashSet<(i64, Kind)>,
    /// Indexes into [`PROFILE_FIELDS`] of the required fields.
    pub required: &'a [usize],
}

/// One finding on one contact, with what a person needs to see about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    pub detail: String,
}

/// Every per-contact finding for `row` (duplicates and status conflicts need the whole
/// list and are found by the caller). Suppressed contacts have none: suppression is how
/// a finding is resolved.
pub fn check(row: &ContactRow, ctx: &RuleContext<'_>) -> Vec<Hit> {
    check_with(row, ctx, |_| true)
}

/// [`check`], writing the detail text only for kinds where `want_detail` says so (empty
/// otherwise): a million-contact audit keeps a handful of examples per kind, and
/// formatting hundreds of thousands of details nobody reads is wasted time.
pub fn check_with(
    row: &ContactRow,
    ctx: &RuleContext<'_>,
    want_detail: impl Fn(Kind) -> bool,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    if row.suppressed {
        return hits;
    }
    macro_rules! hit {
        ($kind:expr, $detail:expr $(,)?) => {{
            let kind = $kind;
            if !ctx.ignored.contains(&(row.id, kind)) {
                let detail = if want_detail(kind) {
                    String::from($detail)
                } else {
                    String::new()
                };
                hits.push(Hit { kind, detail });
            }
        }};
    }
    match row.email_norm.as_deref() {
        None => hit!(Kind::MissingEmail, "no email address"),
        Some(addr) => match email::check_syntax(addr) {
            Err(problem) => hit!(Kind::InvalidEmail, problem.to_string()),
            Ok(()) => {
                let domain = email::domain_of(addr).unwrap_or_default();
                // Typo domains are often registered by squatters and so sit on disposable
                // lists too; the typo is the more useful diagnosis (and has a fix).
                if let Some(fixed) = ctx.typos.get(domain) {
                    hit!(Kind::EmailTypo, format!("{domain} → {fixed}"));
                } else if email::is_disposable(domain, &ctx.settings.extra_disposable_domains) {
                    hit!(
                        Kind::DisposableEmail,
                        format!("{domain} is a throwaway provider"),
                    );
                }
                if email::is_role(addr) {
                    hit!(Kind::RoleAccount, "role address");
                }
            }
        },
    }
    if let Some(why) = test_record(row) {
        hit!(Kind::TestRecord, why);
    }
    if row.field(FIRST_NAME).is_none_or(is_placeholder) {
        hit!(Kind::MissingName, "no first name");
    }
    let missing: Vec<&str> = ctx
        .required
        .iter()
        .filter(|&&i| row.field(i).is_none())
        .map(|&i| PROFILE_FIELDS[i])
        .collect();
    if !missing.is_empty() {
        hit!(
            Kind::MissingRequired,
            format!("empty: {}", missing.join(", ")),
        );
    }
    let bounced = matches!(row.status.as_str(), "bounced" | "cleaned");
    if bounced || ctx.bounce_events.contains(&row.id) {
        hit!(
            Kind::Bounced,
            if bounced {
                format!("status {}", row.status)
            } else {
                format!("bounce event, status still {}", row.status)
            },
        );
    }
    if row.status == "complained" || ctx.complaint_events.contains(&row.id) {
        hit!(Kind::Complained, format!("status {}", row.status));
    }
    if row.is_mailable_status() {
        match tier(row, ctx.now, ctx.settings) {
            Tier::Inactive => hit!(Kind::Inactive, last_engaged(row)),
            Tier::NeverEngaged => hit!(Kind::NeverEngaged, "no open or click since joining"),
            _ => {}
        }
    }
    let problems: Vec<String> = formatting(row)
        .into_iter()
        .map(|f| format!("{}: {}", PROFILE_FIELDS[f.field], f.problem))
        .collect();
    if !problems.is_empty() {
        hit!(Kind::Formatting, problems.join("; "));
    }
    if let Some(number) = row.field(PHONE) {
        let country = row.field(COUNTRY);
        if (number.starts_with('+') || country.is_some()) && !phone::is_possible(number, country) {
            hit!(
                Kind::InvalidPhone,
                format!(
                    "{number} is not possible for {}",
                    country.unwrap_or("its country code")
                ),
            );
        }
    }
    hits
}

fn last_engaged(row: &ContactRow) -> String {
    match row.last_open_at.max(row.last_click_at) {
        Some(at) => chrono::DateTime::from_timestamp(at, 0)
            .map(|d| format!("last open/click {}", d.format("%Y-%m-%d")))
            .unwrap_or_default(),
        None => "engaged once, date unknown".into(),
    }
}

/// Values people type when they have no value: they count as missing.
fn is_placeholder(value: &str) -> bool {
    matches!(
        text::fold_key(value).as_str(),
        "" | "na" | "none" | "null" | "unknown" | "nil" | "nichtbekannt" | "unbekannt" | "xxx"
    )
}

/// Local parts of test sign-ups (before any `+tag`, digits at the end ignored).
const TEST_LOCALS: &[&str] = &[
    "test",
    "testing",
    "tester",
    "asdf",
    "asdfgh",
    "qwerty",
    "foo",
    "foobar",
    "dummy",
    "fake",
    "sample",
    "example",
    "nobody",
    "noemail",
    "placeholder",
    "abc",
    "xxx",
    "aaa",
    "demo",
];
/// Domains reserved for examples and tests (RFC 2606/6761) or used as such.
const TEST_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "test.com",
    "test.de",
    "domain.com",
    "email.test",
    "mailinator.test",
];
const TEST_TLDS: &[&str] = &["test", "example", "invalid", "localhost"];
/// Names people type into forms to get past them.
const TEST_NAMES: &[&str] = &[
    "test",
    "testing",
    "tester",
    "asdf",
    "qwerty",
    "dummy",
    "fake",
    "foo",
    "bar",
    "testuser",
    "johndoe",
    "janedoe",
    "maxmustermann",
    "erikamustermann",
    "mickeymouse",
    "donaldduck",
    "testtest",
    "asdfasdf",
];

/// Why `row` looks like a test or placeholder record, if it does.
pub fn test_record(row: &ContactRow) -> Option<String> {
    if let Some(addr) = row.email_norm.as_deref() {
        if let Some((local, domain)) = addr.rsplit_once('@') {
            let base = local.split_once('+').map_or(local, |(b, _)| b);
            let base = base
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '_' || c == '-');
            if TEST_LOCALS.contains(&base) {
                return Some(format!("test-style address ({base}…@)"));
            }
            let tld = domain.rsplit('.').next().unwrap_or_default();
            if TEST_DOMAINS.contains(&domain) || TEST_TLDS.contains(&tld) {
                return Some(format!("reserved test domain {domain}"));
            }
        }
    }
    let first = row
        .field(FIRST_NAME)
        .map(text::fold_key)
        .unwrap_or_default();
    let last = row.field(LAST_NAME).map(text::fold_key).unwrap_or_default();
    let full = format!("{first}{last}");
    if (!first.is_empty() && TEST_NAMES.contains(&first.as_str()))
        || (!last.is_empty() && TEST_NAMES.contains(&last.as_str()))
        || (!first.is_empty() && !last.is_empty() && TEST_NAMES.contains(&full.as_str()))
    {
        return Some("placeholder name".into());
    }
    None
}

/// A formatting problem in one field, with the fixed value when there is a safe one.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatIssue {
    /// Index into [`PROFILE_FIELDS`].
    pub field: usize,
    pub problem: &'static str,
    pub fix: Option<String>,
}

/// Fields whose case is a person's or place's name, where ALL CAPS / all lowercase is a
/// problem (companies and job titles are left alone: "IBM", "CEO").
const NAME_FIELDS: &[usize] = &[FIRST_NAME, LAST_NAME, CITY];
/// Fields checked for broken characters, stray spaces and emails in the wrong column.
const TEXT_FIELDS: &[usize] = &[FIRST_NAME, LAST_NAME, COMPANY, JOB_TITLE, CITY];

/// Formatting problems of `row`, at most one per field (the most telling).
pub fn formatting(row: &ContactRow) -> Vec<FormatIssue> {
    let mut out = Vec::new();
    for &field in TEXT_FIELDS {
        let Some(value) = row.field(field).filter(|v| !is_placeholder(v)) else {
            continue;
        };
        let issue = if let Some(fixed) = repair_mojibake(value) {
            Some(("broken characters (mojibake)", Some(fixed)))
        } else if value.contains('@') && email::check_syntax(&value.to_lowercase()).is_ok() {
            Some(("an email address in this field", None))
        } else if needs_clean(value) {
            Some(("stray whitespace", Some(text::clean(value).into_owned())))
        } else if NAME_FIELDS.contains(&field) {
            letter_case_issue(value)
        } else {
            None
        };
        if let Some((problem, fix)) = issue {
            out.push(FormatIssue {
                field,
                problem,
                fix,
            });
        }
    }
    out
}

/// Whether [`text::clean`] would change `value`, without allocating for the common ASCII
/// value that has single inner spaces only.
fn needs_clean(value: &str) -> bool {
    let simple = value.is_ascii()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.contains("  ")
        && !value.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    !simple && text::clean(value) != value
}

fn letter_case_issue(value: &str) -> Option<(&'static str, Option<String>)> {
    let cased: Vec<char> = value
        .chars()
        .filter(|c| c.is_uppercase() || c.is_lowercase())
        .collect();
    if cased.len() < 2 {
        return None;
    }
    if cased.iter().all(|c| c.is_uppercase()) {
        Some(("ALL CAPS", Some(title_case(value))))
    } else if cased.iter().all(|c| c.is_lowercase()) {
        Some(("all lowercase", Some(title_case(value))))
    } else {
        None
    }
}

/// Name particles kept lower-case inside a name ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "del", "della", "du", "la", "le", "zu", "dos",
    "das", "y",
];

/// "ANNA-LENA O'BRIEN" → "Anna-Lena O'Brien": each word part after a space, hyphen or
/// apostrophe capitalised, particles after the first word lower-case.
pub fn title_case(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, word) in value.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0 && PARTICLES.contains(&lower.as_str()) {
            out.push_str(&lower);
            continue;
        }
        let mut start = true;
        for c in lower.chars() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            start = matches!(c, '-' | '\'' | '’');
        }
    }
    out
}

/// The intended text of UTF-8 that was decoded as Windows-1252 somewhere on its way
/// ("MÃ¼ller" → "Müller"), when re-encoding it gives valid UTF-8 that differs.
pub fn repair_mojibake(value: &str) -> Option<String> {
    if !value.contains(['Ã', 'Â', 'â', 'Å']) {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(value);
    if unmappable {
        return None;
    }
    let fixed = String::from_utf8(bytes.into_owned()).ok()?;
    (fixed != value).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(email: Option<&str>, first: Option<&str>) -> ContactRow {
        let mut r = ContactRow {
            id: 1,
            email: email.map(str::to_string),
            email_norm: email.and_then(email::normalize),
            status: "subscribed".into(),
            first_seen_at: 0,
            last_open_at: Some(NOW - DAY),
            ..ContactRow::default()
        };
        r.fields[FIRST_NAME] = first.map(str::to_string);
        r.fields[LAST_NAME] = Some("Lee".into());
        r
    }

    const NOW: i64 = 1_800_000_000;

    fn kinds(r: &ContactRow) -> Vec<Kind> {
        kinds_with(r, &Settings::default())
    }

    fn kinds_with(r: &ContactRow, settings: &Settings) -> Vec<Kind> {
        let typos: HashMap<String, String> =
            [("gmial.com".to_string(), "gmail.com".to_string())].into();
        let required: Vec<usize> = settings
            .required_fields
            .iter()
            .filter_map(|f| field_index(f))
            .collect();
        let ctx = RuleContext {
            now: NOW,
            settings,
            typos: &typos,
            bounce_events: &HashSet::new(),
            complaint_events: &HashSet::from([7]),
            ignored: &HashSet::from([(9, Kind::RoleAccount)]),
            required: &required,
        };
        check(r, &ctx).into_iter().map(|h| h.kind).collect()
    }

    #[test]
    fn good_contacts_have_no_findings() {
        for addr in [
            "o'brien@firm.ie",
            "first.last+news@company.co.uk",
            "user@bücher.de",
            "用户@例子.广告",
            "anna@gmail.com",
        ] {
            assert_eq!(kinds(&row(Some(addr), Some("Anna"))), vec![], "{addr}");
        }
    }

    #[test]
    fn email_rules_fire_on_bad_examples() {
        let k = |a: &str| kinds(&row(Some(a), Some("Anna")));
        assert_eq!(k("anna@@x.com"), vec![Kind::InvalidEmail]);
        assert_eq!(k("anna@gmial.com"), vec![Kind::EmailTypo]);
        assert_eq!(k("anna@mailinator.com"), vec![Kind::DisposableEmail]);
        assert_eq!(k("info@firm.ie"), vec![Kind::RoleAccount]);
        assert_eq!(k("test1430@example.com"), vec![Kind::TestRecord]);
        assert_eq!(kinds(&row(None, Some("Anna"))), vec![Kind::MissingEmail]);
    }

    #[test]
    fn ignored_and_suppressed_contacts_are_not_counted() {
        let mut r = row(Some("info@firm.ie"), Some("Anna"));
        r.id = 9;
        assert_eq!(kinds(&r), vec![]);
        let mut r = row(Some("anna@@x"), None);
        r.suppressed = true;
        assert_eq!(kinds(&r), vec![]);
    }

    #[test]
    fn names_and_required_fields() {
        assert_eq!(
            kinds(&row(Some("a@firm.ie"), None)),
            vec![Kind::MissingName]
        );
        assert_eq!(
            kinds(&row(Some("a@firm.ie"), Some("n/a"))),
            vec![Kind::MissingName]
        );
        let settings = Settings {
            required_fields: vec!["company".into()],
            ..Settings::default()
        };
        assert_eq!(
            kinds_with(&row(Some("a@firm.ie"), Some("Anna")), &settings),
            vec![Kind::MissingRequired]
        );
        assert_eq!(
            kinds(&row(Some("a@firm.ie"), Some("Max"))).len(),
            0,
            "a real first name alone is not a placeholder"
        );
        let mut r = row(Some("a@firm.ie"), Some("Max"));
        r.fields[LAST_NAME] = Some("Mustermann".into());
        assert_eq!(kinds(&r), vec![Kind::TestRecord]);
    }

    #[test]
    fn status_rules() {
        let mut r = row(Some("a@firm.ie"), Some("Anna"));
        r.status = "cleaned".into();
        assert_eq!(kinds(&r), vec![Kind::Bounced]);
        r.status = "complained".into();
        assert_eq!(kinds(&r), vec![Kind::Complained]);
        let mut r = row(Some("a@firm.ie"), Some("Anna"));
        r.id = 7;
        assert_eq!(kinds(&r), vec![Kind::Complained]);
    }

    #[test]
    fn engagement_tiers() {
        let s = Settings::default();
        let mut r = row(Some("a@firm.ie"), Some("Anna"));
        assert_eq!(tier(&r, NOW, &s), Tier::Active);
        r.last_open_at = Some(NOW - 120 * DAY);
        assert_eq!(tier(&r, NOW, &s), Tier::Cooling);
        r.last_click_at = Some(NOW - 10 * DAY);
        assert_eq!(tier(&r, NOW, &s), Tier::Active);
        r.last_click_at = None;
        r.last_open_at = Some(NOW - 200 * DAY);
        assert_eq!(tier(&r, NOW, &s), Tier::Inactive);
        assert_eq!(kinds(&r), vec![Kind::Inactive]);
        r.last_open_at = None;
        r.first_seen_at = NOW - 40 * DAY;
        assert_eq!(tier(&r, NOW, &s), Tier::NeverEngaged);
        assert_eq!(kinds(&r), vec![Kind::NeverEngaged]);
        r.subscribed_at = Some(NOW - 5 * DAY);
        assert_eq!(tier(&r, NOW, &s), Tier::New);
        r.open_count = Some(3);
        assert_eq!(tier(&r, NOW, &s), Tier::Inactive);
        r.status = "unsubscribed".into();
        assert_eq!(
            kinds(&r),
            vec![],
            "only mailable contacts count as inactive"
        );
    }

    #[test]
    fn formatting_problems_and_fixes() {
        let mut r = row(Some("a@firm.ie"), Some("ANNA-LENA"));
        r.fields[LAST_NAME] = Some("o'brien".into());
        r.fields[CITY] = Some("MÃ¼nchen".into());
        r.fields[COMPANY] = Some("IBM".into());
        r.fields[JOB_TITLE] = Some("anna@firm.ie".into());
        let issues = formatting(&r);
        let got: Vec<(&str, Option<&str>)> = issues
            .iter()
            .map(|i| (PROFILE_FIELDS[i.field], i.fix.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("first_name", Some("Anna-Lena")),
                ("last_name", Some("O'Brien")),
                ("job_title", None),
                ("city", Some("München")),
            ]
        );
        assert_eq!(title_case("ludwig van beethoven"), "Ludwig van Beethoven");
        assert_eq!(repair_mojibake("José"), None);
        assert_eq!(repair_mojibake("JosÃ©").as_deref(), Some("José"));
        let fine = row(Some("a@firm.ie"), Some("Zoë"));
        assert!(formatting(&fine).is_empty());
    }

    #[test]
    fn phone_rule() {
        let mut r = row(Some("a@firm.ie"), Some("Anna"));
        r.fields[PHONE] = Some("+49301234567".into());
        assert_eq!(kinds(&r), vec![]);
        r.fields[PHONE] = Some("123".into());
        r.fields[COUNTRY] = Some("DE".into());
        assert_eq!(kinds(&r), vec![Kind::InvalidPhone]);
        r.fields[COUNTRY] = None;
        assert_eq!(kinds(&r), vec![], "no country and no +CC: cannot judge");
    }
}
