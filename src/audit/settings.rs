//! Per-workspace audit settings: thresholds, required fields, extra lists.
//!
//! Stored as key → JSON in `audit_settings`, so a team tunes the audit once for its list
//! and every audit (CLI, TUI, cron) agrees. Missing keys take the defaults below.

use super::AuditError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Contact columns a user may mark as required (and the segmentation check looks at).
pub const PROFILE_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "company",
    "job_title",
    "phone",
    "street",
    "city",
    "region",
    "postcode",
    "country",
    "date_of_birth",
    "language",
    "industry",
    "company_size",
    "lifecycle_stage",
    "lead_status",
];

/// What the audit rules can be tuned with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// No open or click for this many days makes a contact inactive (default 180).
    pub inactive_days: i64,
    /// Engaged within this many days is active; between this and `inactive_days`, cooling.
    pub active_days: i64,
    /// A contact who joined more than this many days ago and never engaged is "never
    /// engaged"; before that it is new and not yet judged.
    pub never_engaged_after_days: i64,
    /// Columns (from [`PROFILE_FIELDS`]) every contact should have.
    pub required_fields: Vec<String>,
    /// Domains the workspace treats as disposable on top of the embedded list.
    pub extra_disposable_domains: Vec<String>,
    /// A field filled for at least this share of contacts is reliable to segment on.
    pub segment_min_fill: f64,
    /// A field filled for less than this share is too sparse to rely on.
    pub segment_sparse_below: f64,
    /// A domain with at least this many contacts counts as "frequent in this list" for
    /// typo suggestions (gmial.com → a frequent company domain).
    pub frequent_domain_min: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            inactive_days: 180,
            active_days: 90,
            never_engaged_after_days: 30,
            required_fields: Vec::new(),
            extra_disposable_domains: Vec::new(),
            segment_min_fill: 0.6,
            segment_sparse_below: 0.2,
            frequent_domain_min: 20,
        }
    }
}

const KEY: &str = "settings";

impl Settings {
    /// The workspace's settings (defaults for anything not set).
    pub fn load(conn: &Connection) -> Result<Settings, AuditError> {
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM audit_settings WHERE key = ?1",
                [KEY],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            None => Ok(Settings::default()),
            Some(json) => serde_json::from_str(&json).map_err(|e| AuditError::Settings {
                reason: e.to_string(),
            }),
        }
    }

    /// Checks the values make sense; the message names the offending setting.
    pub fn validate(&self) -> Result<(), AuditError> {
        let bad = |reason: String| Err(AuditError::Settings { reason });
        if self.active_days <= 0 || self.inactive_days < self.active_days {
            return bad(format!(
                "active_days ({}) must be positive and at most inactive_days ({})",
                self.active_days, self.inactive_days
            ));
        }
        if self.never_engaged_after_days < 0 {
            return bad("never_engaged_after_days must not be negative".into());
        }
        if let Some(f) = self
            .required_fields
            .iter()
            .find(|f| !PROFILE_FIELDS.contains(&f.as_str()))
        {
            return bad(format!(
                "required field `{f}` is not one of {}",
                PROFILE_FIELDS.join(", ")
            ));
        }
        if !(0.0..=1.0).contains(&self.segment_min_fill)
            || !(0.0..=1.0).contains(&self.segment_sparse_below)
        {
            return bad(
                "segment_min_fill and segment_sparse_below are shares between 0 and 1".into(),
            );
        }
        Ok(())
    }

    /// Stores the settings (inside the caller's write transaction).
    pub fn save(&self, conn: &Connection) -> Result<(), AuditError> {
        self.validate()?;
        let json = serde_json::to_string(self).map_err(|e| AuditError::Settings {
            reason: e.to_string(),
        })?;
        conn.execute(
            "INSERT INTO audit_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![KEY, json],
        )?;
        Ok(())
    }
}
