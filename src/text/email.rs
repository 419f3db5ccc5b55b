//! Email match keys.
//!
//! Two levels: [`normalize`] is the exact-match key stored in `contacts.email_norm` (what
//! re-imports match on), [`mailbox_key`] the looser key that says two spellings reach the
//! same inbox (what the audit and dedupe use). Neither validates: syntax checks are the
//! audit's job, and an invalid address must still be kept and matched.

use super::{clean, is_edge_junk};

/// The exact-match key: cleaned (trim incl. NBSP/zero-width, NFC) and lower-cased, with a
/// `mailto:` prefix removed and `Name <addr>` / `<addr>` reduced to the address (people
/// paste whole mail headers into sheets). `None` when nothing is left.
///
/// The local part is lower-cased too: RFC 5321 allows case-sensitive local parts, but no
/// mailbox provider in use treats them so, and platforms themselves match case-blind.
pub fn normalize(raw: &str) -> Option<String> {
    let cleaned = clean(raw);
    let mut s = cleaned.as_str();
    loop {
        let before = s.len();
        if s.len() >= 7 && s.is_char_boundary(7) && s[..7].eq_ignore_ascii_case("mailto:") {
            s = s[7..].trim_matches(is_edge_junk);
        }
        if let Some((_, inner)) = s.strip_suffix('>').and_then(|r| r.rsplit_once('<')) {
            s = inner.trim_matches(is_edge_junk);
        }
        if s.len() == before {
            break;
        }
    }
    if s.is_empty() {
        None
    } else {
        Some(s.to_lowercase())
    }
}

/// Domains whose mail service ignores a `+tag` in the local part (sub-addressing), per the
/// providers' own help pages: Gmail, Microsoft consumer mail (outlook/hotmail/live/msn),
/// Apple iCloud (icloud/me/mac), Fastmail, Proton, Zoho, Yandex, Tutanota/Tuta.
/// Yahoo is absent on purpose: it uses `-` disposable addresses, not `+`.
const PLUS_DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "outlook.de",
    "outlook.fr",
    "outlook.es",
    "outlook.it",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.de",
    "hotmail.fr",
    "hotmail.es",
    "hotmail.it",
    "live.com",
    "live.co.uk",
    "live.de",
    "live.fr",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "fastmail.com",
    "fastmail.fm",
    "proton.me",
    "protonmail.com",
    "protonmail.ch",
    "pm.me",
    "zoho.com",
    "yandex.com",
    "yandex.ru",
    "tutanota.com",
    "tuta.io",
];

/// The "same mailbox" key of an already [`normalize`]d address.
///
/// `googlemail.com` becomes `gmail.com`; for Gmail dots in the local part are dropped
/// (Gmail ignores them); for the providers in the sub-addressing list above (Gmail,
/// Outlook/Hotmail/Live/MSN, iCloud/me/mac, Fastmail, Proton, Zoho, Yandex, Tuta) the
/// `+tag` is dropped. Other domains keep their local part as is, since a company server
/// may well deliver `a.b@` and `ab@` to different people. Input without `@` comes back
/// unchanged.
pub fn mailbox_key(norm: &str) -> String {
    let Some((local, domain)) = norm.rsplit_once('@') else {
        return norm.to_string();
    };
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    let mut local = local;
    if PLUS_DOMAINS.contains(&domain) {
        if let Some((base, _tag)) = local.split_once('+') {
            if !base.is_empty() {
                local = base;
            }
        }
    }
    let local: String = if domain == "gmail.com" {
        let undotted: String = local.chars().filter(|&c| c != '.').collect();
        if undotted.is_empty() {
            local.to_string()
        } else {
            undotted
        }
    } else {
        local.to_string()
    };
    format!("{local}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalize_trims_and_lowercases() {
        assert_eq!(
            normalize("  O'Brien@Firm.IE\u{A0}").as_deref(),
            Some("o'brien@firm.ie")
        );
        assert_eq!(
            normalize("mailto:<Anna@Example.com>").as_deref(),
            Some("anna@example.com")
        );
        assert_eq!(normalize("   "), None);
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("<>"), None);
        assert_eq!(
            normalize("Anna Müller <Anna@Example.com>").as_deref(),
            Some("anna@example.com")
        );
    }

    #[test]
    fn normalize_keeps_invalid_addresses() {
        assert_eq!(normalize("n/a").as_deref(), Some("n/a"));
        assert_eq!(normalize("a@@b").as_deref(), Some("a@@b"));
    }

    #[test]
    fn normalize_handles_idn_domains() {
        assert_eq!(
            normalize("Jörg@Müller-Bäckerei.DE").as_deref(),
            Some("jörg@müller-bäckerei.de")
        );
        // A decomposed "ü" is stored the same as a precomposed one.
        assert_eq!(
            normalize("info@mu\u{0308}ller.de"),
            normalize("info@müller.de")
        );
    }

    #[test]
    fn gmail_variants_share_a_key() {
        let key = mailbox_key(&normalize("First.Last+news@GoogleMail.com").unwrap_or_default());
        assert_eq!(key, "firstlast@gmail.com");
        assert_eq!(mailbox_key("firstlast@gmail.com"), key);
    }

    #[test]
    fn plus_tags_dropped_only_for_known_providers() {
        assert_eq!(mailbox_key("ann+promo@outlook.com"), "ann@outlook.com");
        assert_eq!(mailbox_key("ann.lee+x@icloud.com"), "ann.lee@icloud.com");
        assert_eq!(mailbox_key("ann.lee+x@firm.ie"), "ann.lee+x@firm.ie");
        assert_eq!(mailbox_key("a.b@yahoo.com"), "a.b@yahoo.com");
        assert_eq!(mailbox_key("+only@gmail.com"), "+only@gmail.com");
        assert_eq!(mailbox_key("no-at-sign"), "no-at-sign");
        assert_eq!(mailbox_key("...@gmail.com"), "...@gmail.com");
    }

    proptest! {
        #[test]
        fn email_keys_never_panic(s in any::<String>()) {
            if let Some(n) = normalize(&s) {
                prop_assert_eq!(normalize(&n), Some(n.clone()));
                let _ = mailbox_key(&n);
            }
        }
    }
}
