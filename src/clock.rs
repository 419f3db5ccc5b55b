//! The one notion of "now" used by every time-relative computation.
//!
//! `--now` / `LISTWARDEN_NOW` pin it so that rule counts, audits and reviews are
//! reproducible; otherwise it is the system clock.

use chrono::{DateTime, Utc};

/// A point in time every relative computation in one run agrees on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pinned: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { pinned: None }
    }

    /// A clock fixed at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock { pinned: Some(at) }
    }

    /// Parses an RFC 3339 instant (`2026-01-01T00:00:00Z`) or a bare date (`2026-01-01`,
    /// taken as midnight UTC).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(Clock::fixed(at.with_timezone(&Utc)));
        }
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|dt| Clock::fixed(dt.and_utc()))
            .ok_or_else(|| {
                format!("`{text}` is not a time: expected RFC 3339 like 2026-01-01T00:00:00Z")
            })
    }

    /// Now, as a UTC instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.pinned.unwrap_or_else(Utc::now)
    }

    /// Now, in unix seconds (the unit of every `*_at` column).
    pub fn now_ts(&self) -> i64 {
        self.now().timestamp()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_bare_dates() {
        let a = Clock::parse("2026-01-01T00:00:00Z").map(|c| c.now_ts());
        let b = Clock::parse("2026-01-01").map(|c| c.now_ts());
        assert_eq!(a, Ok(1_767_225_600));
        assert_eq!(a, b);
    }

    #[test]
    fn rejects_garbage_with_a_hint() {
        let err = Clock::parse("yesterday").err().unwrap_or_default();
        assert!(err.contains("RFC 3339"), "{err}");
    }
}
