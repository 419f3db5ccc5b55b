//! Dates and instants in the forms marketing platforms export.
//!
//! Recognised (all without a zone are taken as UTC, the platforms' export convention):
//! - ISO 8601 / RFC 3339: `2024-05-01T13:45:10Z`, with millis, with `+02:00`/`+0200`/`+02`
//!   offsets, or with a space instead of `T` (HubSpot, Klaviyo, Mailchimp
//!   `OPTIN_TIME`/`LAST_CHANGED` `2024-05-01 13:45:10`, HubSpot `2024-05-01 13:45`),
//!   Constant Contact `2020-09-25 16:45:13 -0400`, a trailing `UTC`/`GMT`;
//! - slash dates `05/01/2024 1:45 PM`: **month first** (US order, what US platforms write)
//!   unless the first part is over 12, then day first (`25/01/2024`); `2024/05/01` is Y/M/D;
//! - dot dates `01.05.2024 13:45` and `01.05.2024` (CleverReach, German locales): day first;
//! - month names: `May 1, 2024`, `1 May 2024`, `Jan 5, 2024 1:45 PM`, and RFC 2822
//!   (`Wed, 01 May 2024 15:45:10 +0200`, as in mail headers);
//! - unix epoch seconds (`1714571110`) or milliseconds (13 digits); `20240501` as a date;
//! - two-digit years (`01.05.85`): 00–69 are 20xx, 70–99 are 19xx;
//! - for birth dates only, a month and day without a year: `10/03` (Mailchimp's Birthday
//!   field; month first like slash dates), `03.10.`, and the stored form `--10-03`.
//!
//! Date-only values are midnight UTC. Anything else is `None`: the importer keeps the raw
//! text, so nothing is lost when a form is not recognised.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

/// What a value said: a calendar date, maybe a time of day, maybe a UTC offset (seconds).
struct Parsed {
    date: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<i32>,
}

/// Unix seconds UTC of a date/time value, `None` when it is not one of the forms above.
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(ts) = epoch(s) {
        return Some(ts);
    }
    let p = parse(s)?;
    let local = NaiveDateTime::new(p.date, p.time.unwrap_or(NaiveTime::MIN));
    Some(local.and_utc().timestamp() - i64::from(p.offset.unwrap_or(0)))
}

/// The calendar date of a value (for birthdays and other date-only fields): the date as
/// written, whatever its time and offset; an epoch value gives its UTC date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(ts) = epoch(s) {
        return DateTime::from_timestamp(ts, 0).map(|dt| dt.date_naive());
    }
    parse(s).map(|p| p.date)
}

/// A date of birth as stored: `YYYY-MM-DD`, or `--MM-DD` (ISO 8601's form without a
/// year, as vCard writes it) when the value gives only a month and a day. A yearless
/// birthday still says when to send a birthday mail and helps tell namesakes apart.
pub fn parse_birth_date(s: &str) -> Option<String> {
    if let Some(date) = parse_date(s) {
        return Some(date.format("%Y-%m-%d").to_string());
    }
    let (month, day) = parse_month_day(s)?;
    Some(format!("--{month:02}-{day:02}"))
}

/// Month and day of a birth date stored without its year (`--10-03`); `None` for any
/// other value, a full date included.
pub fn yearless(stored: &str) -> Option<(u32, u32)> {
    stored
        .starts_with("--")
        .then(|| parse_month_day(stored))
        .flatten()
}

/// Month and day of a yearless date: `--MM-DD`, `MM/DD` (day first when the first part
/// is over 12), `DD.MM` or `DD.MM.`. February 29 is a valid birthday.
pub fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let num = |p: &str| -> Option<u32> {
        if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    let (month, day) = if let Some(stored) = s.strip_prefix("--") {
        let (m, d) = stored.split_once('-')?;
        (num(m)?, num(d)?)
    } else if let Some((a, b)) = s.split_once('/') {
        let (a, b) = (num(a)?, num(b)?);
        if a > 12 {
            (b, a)
        } else {
            (a, b)
        }
    } else {
        let (d, m) = s.strip_suffix('.').unwrap_or(s).split_once('.')?;
        (num(m)?, num(d)?)
    };
    NaiveDate::from_ymd_opt(2000, month, day).map(|_| (month, day))
}

/// Unix seconds from an all-digit value of 9–10 digits (seconds, 1973..2286) or 12–13
/// digits (milliseconds). Eight digits are `YYYYMMDD`, handled by [`parse`].
fn epoch(s: &str) -> Option<i64> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    match s.len() {
        9 | 10 => Some(n),
        12 | 13 => Some(n.div_euclid(1000)),
        _ => None,
    }
}

fn parse(s: &str) -> Option<Parsed> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s).or_else(|_| DateTime::parse_from_rfc2822(s)) {
        return Some(Parsed {
            date: dt.naive_local().date(),
            time: Some(dt.naive_local().time()),
            offset: Some(dt.offset().local_minus_utc()),
        });
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let date = NaiveDate::parse_from_str(s, "%Y%m%d").ok()?;
        return Some(Parsed {
            date,
            time: None,
            offset: None,
        });
    }
    numeric(s).or_else(|| named_month(s))
}

/// `<date>[T| ]<time>[ ][AM|PM][ ][zone]` with a numeric date.
fn numeric(s: &str) -> Option<Parsed> {
    let split = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let date = numeric_date(&s[..split])?;
    let rest = s[split..].trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(Parsed {
            date,
            time: None,
            offset: None,
        });
    }
    let (time, offset) = time_and_zone(rest)?;
    Some(Parsed {
        date,
        time: Some(time),
        offset,
    })
}

fn numeric_date(d: &str) -> Option<NaiveDate> {
    let sep = if d.contains('-') {
        '-'
    } else if d.contains('/') {
        '/'
    } else if d.contains('.') {
        '.'
    } else {
        return None;
    };
    let parts: Vec<&str> = d.trim_end_matches('.').split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str| -> Option<u32> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|x| x.is_ascii_digit()) {
            None
        } else {
            p.parse().ok()
        }
    };
    let (na, nb, nc) = (num(a)?, num(b)?, num(c)?);
    let (y, m, day) = if a.len() == 4 {
        (na, nb, nc)
    } else if sep == '.' || na > 12 {
        (year(c, nc)?, nb, na)
    } else {
        (year(c, nc)?, na, nb)
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, day)
}

fn year(text: &str, n: u32) -> Option<u32> {
    match text.len() {
        4 => Some(n),
        2 if n < 70 => Some(2000 + n),
        2 => Some(1900 + n),
        _ => None,
    }
}

/// `13:45`, `13:45:10`, `13:45:10.123`, then optional ` PM`, then an optional zone.
fn time_and_zone(s: &str) -> Option<(NaiveTime, Option<i32>)> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(s.len());
    let (clock, mut rest) = (&s[..end], s[end..].trim_start());
    let (hms, frac) = match clock.split_once(['.', ',']) {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (clock, None),
    };
    let fields: Vec<&str> = hms.split(':').collect();
    let field = |i: usize| -> Option<u32> {
        match fields.get(i) {
            None => Some(0),
            Some(f) if (1..=2).contains(&f.len()) => f.parse().ok(),
            Some(_) => None,
        }
    };
    if fields.len() < 2 || fields.len() > 3 {
        return None;
    }
    let (mut h, m, sec) = (field(0)?, field(1)?, field(2)?);
    let nanos = match frac {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let digits: u32 = f.parse().ok()?;
            digits * 10u32.pow(9 - u32::try_from(f.len()).ok()?)
        }
        Some(_) => return None,
        None => 0,
    };
    let meridiem = rest
        .get(..2)
        .filter(|m| m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm"));
    if let Some(mer) = meridiem {
        if !(1..=12).contains(&h) {
            return None;
        }
        let pm = mer.eq_ignore_ascii_case("pm");
        h = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
        rest = rest[2..].trim_start();
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, sec.min(59), nanos)?;
    Some((time, zone(rest)?))
}

/// A zone suffix: nothing, `Z`, `UTC`, `GMT`, or `±hh`, `±hhmm`, `±hh:mm` (also after
/// `UTC`/`GMT`). `None` when something else follows the time.
fn zone(s: &str) -> Option<Option<i32>> {
    let s = s.trim();
    let s = ["UTC", "GMT", "Z"]
        .iter()
        .find_map(|z| {
            s.get(..z.len())
                .filter(|p| p.eq_ignore_ascii_case(z))
                .map(|_| s[z.len()..].trim())
        })
        .unwrap_or(s);
    if s.is_empty() {
        return Some(None);
    }
    let sign = match s.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|&c| c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(Some(sign * (h * 3600 + m * 60)))
}

/// `May 1, 2024`, `1 May 2024`, `Jan 5, 2024 1:45 PM` (English month names, full or short).
fn named_month(s: &str) -> Option<Parsed> {
    const DATE_FORMATS: &[&str] = &["%B %d, %Y", "%B %d %Y", "%d %B %Y", "%d %B, %Y"];
    for fmt in DATE_FORMATS {
        if let Ok((date, rest)) = NaiveDate::parse_and_remainder(s, fmt) {
            let rest = rest.trim();
            if rest.is_empty() {
                return Some(Parsed {
                    date,
                    time: None,
                    offset: None,
                });
            }
            let (time, offset) = time_and_zone(rest.trim_start_matches(['T', ',', ' ']))?;
            return Some(Parsed {
                date,
                time: Some(time),
                offset,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T: i64 = 1_714_571_110; // 2024-05-01T13:45:10Z
    const T_MIN: i64 = 1_714_571_100; // 2024-05-01T13:45:00Z
    const DAY: i64 = 1_714_521_600; // 2024-05-01T00:00:00Z

    #[test]
    fn iso_and_rfc3339() {
        assert_eq!(parse_instant("2024-05-01T13:45:10Z"), Some(T));
        assert_eq!(parse_instant("2024-05-01T13:45:10.123Z"), Some(T));
        assert_eq!(parse_instant("2024-05-01T15:45:10+02:00"), Some(T));
        assert_eq!(parse_instant("2024-05-01T15:45:10+0200"), Some(T));
        assert_eq!(parse_instant("2024-05-01T15:45:10.5+02"), Some(T));
        assert_eq!(parse_instant("2024-05-01T13:45:10"), Some(T));
        assert_eq!(parse_instant(" 2024-05-01 "), Some(DAY));
    }

    #[test]
    fn platform_forms() {
        // Mailchimp OPTIN_TIME / LAST_CHANGED (UTC)
        assert_eq!(parse_instant("2024-05-01 13:45:10"), Some(T));
        // Constant Contact
        assert_eq!(parse_instant("2024-05-01 09:45:10 -0400"), Some(T));
        assert_eq!(
            parse_instant("2020-09-25 16:45:13 -0400"),
            Some(1_601_066_713)
        );
        // HubSpot
        assert_eq!(parse_instant("2024-05-01 13:45"), Some(T_MIN));
        assert_eq!(parse_instant("2024-05-01 13:45:10 UTC"), Some(T));
        // US
        assert_eq!(parse_instant("05/01/2024 1:45 PM"), Some(T_MIN));
        assert_eq!(parse_instant("05/01/2024 1:45PM"), Some(T_MIN));
        assert_eq!(parse_instant("05/01/2024 12:00 AM"), Some(DAY));
        assert_eq!(parse_instant("05/01/2024"), Some(DAY));
        // European / CleverReach
        assert_eq!(parse_instant("01.05.2024 13:45"), Some(T_MIN));
        assert_eq!(parse_instant("01.05.2024 13:45:10"), Some(T));
        assert_eq!(parse_instant("01.05.2024"), Some(DAY));
        // epoch
        assert_eq!(parse_instant("1714571110"), Some(T));
        assert_eq!(parse_instant("1714571110123"), Some(T));
        assert_eq!(parse_instant("20240501"), Some(DAY));
        // month names
        assert_eq!(parse_instant("May 1, 2024"), Some(DAY));
        assert_eq!(parse_instant("1 May 2024"), Some(DAY));
        assert_eq!(parse_instant("May 1, 2024 1:45 PM"), Some(T_MIN));
        assert_eq!(parse_instant("Wed, 01 May 2024 15:45:10 +0200"), Some(T));
    }

    #[test]
    fn ambiguous_slash_dates() {
        let d = |s| parse_date(s).map(|d| d.to_string());
        assert_eq!(d("01/05/2024").as_deref(), Some("2024-01-05")); // US order
        assert_eq!(d("25/01/2024").as_deref(), Some("2024-01-25")); // first > 12: day first
        assert_eq!(d("01.05.2024").as_deref(), Some("2024-05-01")); // dots: day first
        assert_eq!(d("2024/05/01").as_deref(), Some("2024-05-01"));
        assert_eq!(d("01.05.85").as_deref(), Some("1985-05-01"));
        assert_eq!(d("3/7/24").as_deref(), Some("2024-03-07"));
    }

    #[test]
    fn birthdays_with_and_without_a_year() {
        let b = |s| parse_birth_date(s);
        assert_eq!(b("1985-12-24").as_deref(), Some("1985-12-24"));
        assert_eq!(b("12/24/1985").as_deref(), Some("1985-12-24"));
        assert_eq!(b("10/03").as_deref(), Some("--10-03"));
        assert_eq!(b("24/12").as_deref(), Some("--12-24"));
        assert_eq!(b("24.12.").as_deref(), Some("--12-24"));
        assert_eq!(b("03.10").as_deref(), Some("--10-03"));
        assert_eq!(b(" 02/29 ").as_deref(), Some("--02-29"));
        assert_eq!(b("--10-03").as_deref(), Some("--10-03"));
        for bad in [
            "", "13/13", "02/30", "00/10", "1/2/3/4", "10/", "--10", "x/y", "123/4",
        ] {
            assert_eq!(b(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_date_keeps_written_date() {
        let d = |s| parse_date(s).map(|d| d.to_string());
        assert_eq!(d("1985-12-24").as_deref(), Some("1985-12-24"));
        assert_eq!(
            d("2020-09-25 22:45:13 -0400").as_deref(),
            Some("2020-09-25")
        );
        assert_eq!(d("1714571110").as_deref(), Some("2024-05-01"));
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "",
            "n/a",
            "2024-13-01",
            "31.02.2024",
            "13/13/2024",
            "12:30",
            "2024-05-01 25:00",
            "2024-05-01 13:45 PM",
            "2024-05-01 13:45 Europe/Berlin",
            "123",
            "05/01",
            "2024-05-01T13:45:10+25:00",
            "12345678901234567890",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = parse_instant(&s);
            let _ = parse_date(&s);
            let _ = parse_birth_date(&s);
        }

        /// Every birthday kept without a year reads back as the same month and day.
        #[test]
        fn yearless_birthdays_round_trip(s in "(--)?[0-9]{1,2}[-/.][0-9]{1,2}\\.?") {
            if let Some(stored) = parse_birth_date(&s).filter(|b| yearless(b).is_some()) {
                prop_assert_eq!(yearless(&stored), parse_month_day(&s));
                prop_assert_eq!(parse_birth_date(&stored), Some(stored.clone()));
            }
        }

        #[test]
        fn date_like_never_panics(s in "[0-9]{1,4}[-/.][0-9]{1,4}[-/.][0-9]{1,4}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?( ?[AP]M)?( ?[+-][0-9:]{1,5})?)?") {
            let _ = parse_instant(&s);
        }
    }
}
