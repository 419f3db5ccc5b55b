//! One subscription-status vocabulary for every platform.
//!
//! The words come from the platforms' exports and documentation: Mailchimp member status
//! (subscribed, unsubscribed, cleaned, pending, transactional), HubSpot ("Unsubscribed from
//! all email", hard-bounce flags), Klaviyo consent (SUBSCRIBED, UNSUBSCRIBED,
//! NEVER_SUBSCRIBED) and suppression reasons (HARD_BOUNCE, SPAM_COMPLAINT, USER_SUPPRESSED,
//! INVALID_EMAIL, UNSUBSCRIBE), Constant Contact email status (Active, Unsubscribed, Bounced,
//! Removed) and permission (Explicit, Implicit, Pending Confirmation), ActiveCampaign
//! (Active, Unsubscribed, Bounced, Unconfirmed), CleverReach (aktiv, inaktiv, abgemeldet),
//! Brevo (blacklisted / `EMAIL_BLACKLISTED`), yes/no opt-in columns, and the German, French
//! and Spanish words people type into their own sheets.
//!
//! Where a platform says the person never gave marketing consent (Klaviyo
//! NEVER_SUBSCRIBED, Mailchimp transactional) the status is `unsubscribed`: such a
//! contact must not be mailed, and "the restrictive one wins" must keep it that way.

use super::fold_key;

/// A contact's subscription status, as stored in `contacts.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Subscribed,
    Unsubscribed,
    Cleaned,
    Bounced,
    Complained,
    Pending,
}

impl Status {
    /// Every status, most permissive first.
    pub const ALL: [Status; 6] = [
        Status::Subscribed,
        Status::Pending,
        Status::Unsubscribed,
        Status::Cleaned,
        Status::Bounced,
        Status::Complained,
    ];

    /// The word stored in the database (the `contacts.status` CHECK constraint).
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Subscribed => "subscribed",
            Status::Unsubscribed => "unsubscribed",
            Status::Cleaned => "cleaned",
            Status::Bounced => "bounced",
            Status::Complained => "complained",
            Status::Pending => "pending",
        }
    }

    /// How strongly the status forbids mailing: complained > bounced > cleaned >
    /// unsubscribed > pending > subscribed. When two sources disagree the higher one wins,
    /// so a complaint is never undone by an older "subscribed" row.
    pub fn restrictiveness(&self) -> u8 {
        match self {
            Status::Subscribed => 0,
            Status::Pending => 1,
            Status::Unsubscribed => 2,
            Status::Cleaned => 3,
            Status::Bounced => 4,
            Status::Complained => 5,
        }
    }

    /// The more restrictive of two statuses.
    pub fn most_restrictive(self, other: Status) -> Status {
        if other.restrictiveness() > self.restrictiveness() {
            other
        } else {
            self
        }
    }

    /// Maps a platform's status/consent word to a status; `None` when the value says
    /// nothing about subscription (empty, unknown words, a soft bounce, which is temporary).
    ///
    /// Case, accents, spaces and punctuation are ignored (`NEVER_SUBSCRIBED`,
    /// "never subscribed", "Désabonné"). A list such as Klaviyo's suppressions
    /// (`["HARD_BOUNCE", "SPAM_COMPLAINT"]`) gives its most restrictive entry.
    pub fn parse(s: &str) -> Option<Status> {
        let key = fold_key(s);
        if key.is_empty() {
            return None;
        }
        if let Some(status) = word(&key) {
            return Some(status);
        }
        if s.contains([',', ';', '|', '[', '"']) {
            return s
                .split([',', ';', '|', '[', ']', '"', '{', '}', ':'])
                .filter_map(|part| word(&fold_key(part)))
                .reduce(Status::most_restrictive);
        }
        None
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads a yes/no cell (opt-in and flag columns): `Some(true)` for yes/true/1/x/ja/oui/sí,
/// `Some(false)` for no/false/0/nein/non, `None` for anything else (including empty).
pub fn parse_flag(s: &str) -> Option<bool> {
    match fold_key(s).as_str() {
        "yes" | "y" | "true" | "1" | "x" | "ja" | "oui" | "si" | "vrai" | "verdadero" | "wahr"
        | "on" => Some(true),
        "no" | "n" | "false" | "0" | "nein" | "non" | "faux" | "falso" | "off" => Some(false),
        _ => None,
    }
}

/// One folded word (see [`fold_key`]) to a status.
fn word(key: &str) -> Option<Status> {
    use Status::*;
    let status = match key {
        // subscribed / active / consent given
        "subscribed" | "subscriber" | "subscribe" | "active" | "optin" | "optedin" | "explicit"
        | "implicit" | "confirmed" | "consented" | "granted" | "member" | "aktiv" | "abonniert"
        | "angemeldet" | "eingetragen" | "bestatigt" | "inscrit" | "inscrite" | "abonne"
        | "abonnee" | "actif" | "suscrito" | "suscrita" | "activo" | "activa" | "confirmado" => {
            Subscribed
        }
        // awaiting double opt-in
        "pending"
        | "unconfirmed"
        | "pendingconfirmation"
        | "awaitingconfirmation"
        | "notconfirmed"
        | "ausstehend"
        | "unbestatigt"
        | "nichtbestatigt"
        | "enattente"
        | "nonconfirme"
        | "pendiente"
        | "sinconfirmar"
        | "noconfirmado" => Pending,
        // unsubscribed / no consent
        "unsubscribed" | "unsubscribe" | "unsub" | "optout" | "optedout" | "inactive"
        | "neversubscribed" | "notsubscribed" | "nonsubscribed" | "transactional"
        | "usersuppressed" | "suppressed" | "blacklisted" | "blocklisted" | "blacklist"
        | "blocklist" | "emailblacklisted" | "donotemail" | "donotcontact" | "removed"
        | "revoked" | "abgemeldet" | "ausgetragen" | "inaktiv" | "deaktiviert" | "desinscrit"
        | "desinscrite" | "desabonne" | "desabonnee" | "inactif" | "desuscrito" | "desuscrita"
        | "baja" | "dadodebaja" | "inactivo" | "inactiva" => Unsubscribed,
        // address invalid / cleaned by the platform
        "cleaned" | "invalidemail" | "invalid" | "bereinigt" | "ungultig" | "nettoye"
        | "invalide" | "limpiado" | "invalido" => Cleaned,
        // hard bounces
        "bounced" | "bounce" | "hardbounce" | "hardbounced" | "undeliverable" | "unzustellbar"
        | "gebounct" | "rebondi" | "rebond" | "rebote" | "rebotado" => Bounced,
        // spam complaints
        "complained" | "complaint" | "spam" | "spamcomplaint" | "spamreport" | "markedasspam"
        | "abuse" | "beschwerde" | "plainte" | "queja" => Complained,
        _ => {
            return parse_flag(key).map(|yes| if yes { Subscribed } else { Unsubscribed });
        }
    };
    Some(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn as_str_matches_db_vocabulary() {
        let words: Vec<&str> = Status::ALL.iter().map(Status::as_str).collect();
        assert_eq!(
            words,
            [
                "subscribed",
                "pending",
                "unsubscribed",
                "cleaned",
                "bounced",
                "complained"
            ]
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn restrictive_one_wins() {
        let order: Vec<u8> = Status::ALL.iter().map(Status::restrictiveness).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            Status::Subscribed.most_restrictive(Status::Complained),
            Status::Complained
        );
        assert_eq!(
            Status::Bounced.most_restrictive(Status::Unsubscribed),
            Status::Bounced
        );
    }

    #[test]
    fn platform_vocabularies() {
        use Status::*;
        let cases = [
            // Mailchimp
            ("subscribed", Subscribed),
            ("unsubscribed", Unsubscribed),
            ("cleaned", Cleaned),
            ("pending", Pending),
            ("transactional", Unsubscribed),
            // Klaviyo consent + suppressions
            ("SUBSCRIBED", Subscribed),
            ("UNSUBSCRIBED", Unsubscribed),
            ("NEVER_SUBSCRIBED", Unsubscribed),
            ("HARD_BOUNCE", Bounced),
            ("SPAM_COMPLAINT", Complained),
            ("USER_SUPPRESSED", Unsubscribed),
            ("INVALID_EMAIL", Cleaned),
            ("UNSUBSCRIBE", Unsubscribed),
            // Constant Contact
            ("Active", Subscribed),
            ("Bounced", Bounced),
            ("Implicit", Subscribed),
            ("Explicit", Subscribed),
            ("Pending Confirmation", Pending),
            ("Removed", Unsubscribed),
            // ActiveCampaign
            ("Unconfirmed", Pending),
            // CleverReach
            ("aktiv", Subscribed),
            ("inaktiv", Unsubscribed),
            ("abgemeldet", Unsubscribed),
            // Brevo
            ("blacklisted", Unsubscribed),
            ("EMAIL_BLACKLISTED", Unsubscribed),
            // yes/no opt-in columns
            ("yes", Subscribed),
            ("TRUE", Subscribed),
            ("1", Subscribed),
            ("no", Unsubscribed),
            ("false", Unsubscribed),
            ("0", Unsubscribed),
            // German / French / Spanish
            ("Abonniert", Subscribed),
            ("Ausstehend", Pending),
            ("Abgemeldet", Unsubscribed),
            ("Désabonné", Unsubscribed),
            ("Inscrit", Subscribed),
            ("En attente", Pending),
            ("Suscrito", Subscribed),
            ("Dado de baja", Unsubscribed),
            ("Rebotado", Bounced),
            ("Queja", Complained),
            ("Opted Out", Unsubscribed),
            ("opt-in", Subscribed),
        ];
        for (word, want) in cases {
            assert_eq!(Status::parse(word), Some(want), "{word:?}");
        }
    }

    #[test]
    fn lists_give_most_restrictive() {
        assert_eq!(
            Status::parse(r#"["USER_SUPPRESSED", "SPAM_COMPLAINT"]"#),
            Some(Status::Complained)
        );
        assert_eq!(
            Status::parse("HARD_BOUNCE,UNSUBSCRIBE"),
            Some(Status::Bounced)
        );
        assert_eq!(Status::parse("[]"), None);
    }

    #[test]
    fn unknown_words_are_none() {
        for w in ["", "  ", "maybe", "soft bounce", "customer", "[]", "-"] {
            assert_eq!(Status::parse(w), None, "{w:?}");
        }
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("Yes"), Some(true));
        assert_eq!(parse_flag(" ja "), Some(true));
        assert_eq!(parse_flag("Sí"), Some(true));
        assert_eq!(parse_flag("FALSE"), Some(false));
        assert_eq!(parse_flag("non"), Some(false));
        assert_eq!(parse_flag(""), None);
        assert_eq!(parse_flag("mailbox full"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = Status::parse(&s);
            let _ = parse_flag(&s);
        }
    }
}
