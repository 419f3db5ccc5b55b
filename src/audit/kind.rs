//! The finding kinds: stable ids, severities, score weights and the words a person reads.

use serde::Serialize;

/// How much a finding hurts: deliverability and compliance first, then cost, then polish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Multiplier for ordering findings by impact (severity × share).
    pub fn rank(&self) -> f64 {
        match self {
            Severity::Info => 0.1,
            Severity::Low => 1.0,
            Severity::Medium => 2.0,
            Severity::High => 4.0,
            Severity::Critical => 8.0,
        }
    }
}

/// One kind of finding. The ids ([`Kind::as_str`]) are stable: scripts, ignored findings
/// and stored audit runs refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    InvalidEmail,
    EmailTypo,
    DisposableEmail,
    RoleAccount,
    MissingEmail,
    MissingName,
    MissingRequired,
    DuplicateEmail,
    Inactive,
    NeverEngaged,
    Bounced,
    Complained,
    UnsubscribedConflict,
    Formatting,
    TestRecord,
    InvalidPhone,
    SegmentationOpportunity,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::InvalidEmail,
        Kind::EmailTypo,
        Kind::DisposableEmail,
        Kind::RoleAccount,
        Kind::MissingEmail,
        Kind::MissingName,
        Kind::MissingRequired,
        Kind::DuplicateEmail,
        Kind::Inactive,
        Kind::NeverEngaged,
        Kind::Bounced,
        Kind::Complained,
        Kind::UnsubscribedConflict,
        Kind::Formatting,
        Kind::TestRecord,
        Kind::InvalidPhone,
        Kind::SegmentationOpportunity,
    ];

    /// Position in [`Kind::ALL`], for per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::InvalidEmail => "invalid_email",
            Kind::EmailTypo => "email_typo",
            Kind::DisposableEmail => "disposable_email",
            Kind::RoleAccount => "role_account",
            Kind::MissingEmail => "missing_email",
            Kind::MissingName => "missing_name",
            Kind::MissingRequired => "missing_required",
            Kind::DuplicateEmail => "duplicate_email",
            Kind::Inactive => "inactive",
            Kind::NeverEngaged => "never_engaged",
            Kind::Bounced => "bounced",
            Kind::Complained => "complained",
            Kind::UnsubscribedConflict => "unsubscribed_conflict",
            Kind::Formatting => "formatting",
            Kind::TestRecord => "test_record",
            Kind::InvalidPhone => "invalid_phone",
            Kind::SegmentationOpportunity => "segmentation_opportunity",
        }
    }

    pub fn parse(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == id)
    }

    pub fn severity(self) -> Severity {
        match self {
            Kind::InvalidEmail | Kind::Complained | Kind::UnsubscribedConflict | Kind::Bounced => {
                Severity::Critical
            }
            Kind::DuplicateEmail | Kind::DisposableEmail | Kind::EmailTypo | Kind::MissingEmail => {
                Severity::High
            }
            Kind::RoleAccount | Kind::Inactive | Kind::NeverEngaged | Kind::TestRecord => {
                Severity::Medium
            }
            Kind::MissingName | Kind::MissingRequired | Kind::Formatting | Kind::InvalidPhone => {
                Severity::Low
            }
            Kind::SegmentationOpportunity => Severity::Info,
        }
    }

    /// (weight, tolerance) for the score: the kind costs up to `weight` points, all of them
    /// once its share of the list reaches `tolerance`. Tolerances follow what mailbox
    /// providers and ESPs treat as alarming: 0.3–0.5 % complaints, a few % bounces or
    /// invalid addresses; inactivity only at large shares. Weights sum to 100.
    pub fn score_weight(self) -> (f64, f64) {
        match self {
            Kind::InvalidEmail => (15.0, 0.05),
            Kind::UnsubscribedConflict => (10.0, 0.01),
            Kind::Inactive => (10.0, 0.40),
            Kind::NeverEngaged => (10.0, 0.30),
            Kind::Bounced => (8.0, 0.05),
            Kind::Complained => (8.0, 0.005),
            Kind::DuplicateEmail => (8.0, 0.10),
            Kind::DisposableEmail => (5.0, 0.02),
            Kind::EmailTypo => (5.0, 0.02),
            Kind::MissingEmail => (5.0, 0.05),
            Kind::RoleAccount => (4.0, 0.05),
            Kind::TestRecord => (3.0, 0.01),
            Kind::MissingName => (3.0, 0.30),
            Kind::MissingRequired => (2.0, 0.30),
            Kind::Formatting => (2.0, 0.20),
            Kind::InvalidPhone => (2.0, 0.20),
            Kind::SegmentationOpportunity => (0.0, 1.0),
        }
    }

    /// A short title for lists and the report.
    pub fn title(self) -> &'static str {
        match self {
            Kind::InvalidEmail => "Invalid email addresses",
            Kind::EmailTypo => "Likely typos in the email domain",
            Kind::DisposableEmail => "Disposable (throwaway) addresses",
            Kind::RoleAccount => "Role addresses (info@, sales@, ...)",
            Kind::MissingEmail => "Contacts without an email address",
            Kind::MissingName => "Contacts without a first name",
            Kind::MissingRequired => "Required fields left empty",
            Kind::DuplicateEmail => "Same mailbox more than once",
            Kind::Inactive => "Inactive subscribers",
            Kind::NeverEngaged => "Subscribers who never engaged",
            Kind::Bounced => "Bounced addresses",
            Kind::Complained => "Spam complaints",
            Kind::UnsubscribedConflict => "Subscribed here, unsubscribed elsewhere",
            Kind::Formatting => "Formatting problems",
            Kind::TestRecord => "Test and placeholder records",
            Kind::InvalidPhone => "Phone numbers that cannot be dialled",
            Kind::SegmentationOpportunity => "Fields to segment on",
        }
    }

    /// Why it matters, in one or two sentences a client understands.
    pub fn why(self) -> &'static str {
        match self {
            Kind::InvalidEmail => "Mail to these addresses cannot be delivered; every attempt is a hard bounce, and a high bounce rate gets the whole list throttled or blocked by mailbox providers.",
            Kind::EmailTypo => "A mistyped domain (gmial.com) bounces or, worse, reaches a stranger or a spam trap; the person who signed up never hears from you.",
            Kind::DisposableEmail => "Throwaway inboxes expire within hours or days; they inflate the list, never convert and turn into bounces.",
            Kind::RoleAccount => "Shared inboxes are read by several people or nobody, did not opt in personally and produce more spam complaints; many ESPs restrict them.",
            Kind::MissingEmail => "Without an address the contact cannot be emailed at all, yet counts towards list size and platform cost.",
            Kind::MissingName => "Personalised greetings fall back to a generic one, which lowers opens and clicks.",
            Kind::MissingRequired => "Fields your team marked as required are empty, so segments and personalisation built on them miss these contacts.",
            Kind::DuplicateEmail => "The same person gets every mail twice, complains more, skews reports and costs a second seat on the platform.",
            Kind::Inactive => "No open or click for months: mailbox providers read sustained non-engagement as unwanted mail, which pushes all your mail towards the spam folder.",
            Kind::NeverEngaged => "Never opened or clicked since joining: often abandoned inboxes or spam traps, and the strongest negative deliverability signal.",
            Kind::Bounced => "These addresses bounced; mailing them again damages the sender reputation. They must stay suppressed.",
            Kind::Complained => "These people marked your mail as spam. Mailing them again is the fastest way to get blocked, and in the EU a legal risk.",
            Kind::UnsubscribedConflict => "One source says unsubscribed, cleaned or bounced while another still says subscribed. Mailing them ignores a withdrawal of consent (GDPR, CAN-SPAM).",
            Kind::Formatting => "ALL CAPS or all-lowercase names, broken characters (Ã¼ for ü) and values in the wrong field show up in greetings and look careless.",
            Kind::TestRecord => "Test sign-ups and placeholders (test@, asdf, example.com) distort counts and reports and may bounce.",
            Kind::InvalidPhone => "Numbers that are not possible for their country cannot be used for SMS or calls and break matching across systems.",
            Kind::SegmentationOpportunity => "Well-filled fields are reliable to segment and personalise on; sparse ones would silently leave most contacts out.",
        }
    }

    /// What to do about it first.
    pub fn action(self) -> &'static str {
        match self {
            Kind::InvalidEmail => "Suppress them; fix obvious mistakes by hand if the person can be reached another way.",
            Kind::EmailTypo => "Accept the suggested domain fix for each (one key in the Audit pane), or suppress if unsure.",
            Kind::DisposableEmail => "Suppress them and add a disposable-address check to your sign-up form.",
            Kind::RoleAccount => "Review and suppress those without a known personal opt-in; prefer a named contact at the company.",
            Kind::MissingEmail => "Enrich from your CRM or remove them from email segments.",
            Kind::MissingName => "Use a neutral greeting for them, or collect the name at the next touch point.",
            Kind::MissingRequired => "Fill the fields from the CRM or ask the contacts in a preference-centre campaign.",
            Kind::DuplicateEmail => "Merge the duplicates (Duplicates pane) so each person is mailed once.",
            Kind::Inactive => "Run a re-engagement campaign; suppress those who still do not engage.",
            Kind::NeverEngaged => "Send one re-permission mail; suppress everyone who does not respond.",
            Kind::Bounced => "Suppress those still marked subscribed; keep all of them off every send and never re-import them as subscribed.",
            Kind::Complained => "Keep them suppressed permanently; check which campaign or source produced them.",
            Kind::UnsubscribedConflict => "Apply the restrictive status (suppress) now; the restrictive answer must always win.",
            Kind::Formatting => "Apply the suggested normalisation (title case, repaired characters, trimmed spaces).",
            Kind::TestRecord => "Delete or suppress them, and keep test sign-ups out of the production list.",
            Kind::InvalidPhone => "Correct or clear the numbers; do not use them for SMS.",
            Kind::SegmentationOpportunity => "Build segments on the well-filled fields; collect the sparse ones before relying on them.",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_weights_sum_to_100() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert_eq!(Kind::ALL[k.index()], k);
        }
        let total: f64 = Kind::ALL.iter().map(|k| k.score_weight().0).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
    }
}
