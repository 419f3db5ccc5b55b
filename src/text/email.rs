//! Email match keys and address checks.
//!
//! Two levels: [`normalize`] is the exact-match key stored in `contacts.email_norm` (what
//! re-imports match on), [`mailbox_key`] the looser key that says two spellings reach the
//! same inbox (what the audit and dedupe use). Neither validates: an invalid address must
//! still be kept and matched. The checks — [`check_syntax`], [`suggest_domain`],
//! [`is_role`], [`is_disposable`] — judge a normalised address, for the audit and anyone
//! else who needs to.

use super::{clean, is_edge_junk};

/// The exact-match key: cleaned (trim incl. NBSP/zero-width, NFC) and lower-cased, with a
/// `mailto:` prefix removed and `Name <addr>` / `<addr>` reduced to the address (people
/// paste whole mail headers into sheets). `None` when nothing is left.
///
/// The local part is lower-cased too: RFC 5321 allows case-sensitive local parts, but no
/// mailbox provider in use treats them so, and platforms themselves match case-blind.
pub fn normalize(raw: &str) -> Option<String> {
    let cleaned = clean(raw);
    let mut s: &str = &cleaned;
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

/// Why an address fails the practical syntax check ([`check_syntax`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxProblem {
    /// Contains a space, tab or another whitespace character.
    Whitespace,
    /// Contains a control character.
    Control,
    /// No `@` at all.
    NoAt,
    /// More than one `@` (quoted local parts are not accepted, see [`check_syntax`]).
    ManyAt,
    /// Nothing before the `@`.
    EmptyLocal,
    /// Longer than the 64 bytes RFC 5321 allows before the `@`.
    LocalTooLong,
    /// A character no mailbox provider accepts before the `@`.
    LocalChar(char),
    /// A dot at the start or end of the local part, or two dots in a row.
    LocalDots,
    /// Nothing after the `@`.
    EmptyDomain,
    /// Longer than 253 bytes after the `@`, or 254 in all.
    TooLong,
    /// A domain without a dot: no top-level domain.
    NoTld,
    /// An empty domain label (`a@b..com`, `a@.com`, `a@com.`).
    EmptyLabel,
    /// A domain label longer than 63 bytes.
    LabelTooLong,
    /// A character that cannot appear in a host name.
    DomainChar(char),
    /// A label starting or ending with `-`.
    LabelHyphen,
    /// A top-level domain that cannot exist (digits, one letter).
    BadTld,
}

impl std::fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyntaxProblem::Whitespace => f.write_str("contains a space"),
            SyntaxProblem::Control => f.write_str("contains a control character"),
            SyntaxProblem::NoAt => f.write_str("no @"),
            SyntaxProblem::ManyAt => f.write_str("more than one @"),
            SyntaxProblem::EmptyLocal => f.write_str("nothing before the @"),
            SyntaxProblem::LocalTooLong => f.write_str("more than 64 characters before the @"),
            SyntaxProblem::LocalChar(c) => {
                write!(f, "`{}` is not allowed before the @", c.escape_debug())
            }
            SyntaxProblem::LocalDots => f.write_str("misplaced dot before the @"),
            SyntaxProblem::EmptyDomain => f.write_str("nothing after the @"),
            SyntaxProblem::TooLong => f.write_str("address too long"),
            SyntaxProblem::NoTld => f.write_str("domain has no top-level part (.com, .de, ...)"),
            SyntaxProblem::EmptyLabel => {
                f.write_str("empty part in the domain (two dots in a row?)")
            }
            SyntaxProblem::LabelTooLong => {
                f.write_str("a domain part is longer than 63 characters")
            }
            SyntaxProblem::DomainChar(c) => {
                write!(f, "`{}` is not allowed in a domain", c.escape_debug())
            }
            SyntaxProblem::LabelHyphen => f.write_str("a domain part starts or ends with -"),
            SyntaxProblem::BadTld => f.write_str("the top-level domain cannot exist"),
        }
    }
}

/// Printable ASCII characters RFC 5322 allows unquoted in a local part ("atext"), besides
/// letters, digits and the dot.
const ATEXT_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~-";

/// Checks a [`normalize`]d address against the syntax real senders apply (RFC 5321/5322 as
/// mailbox providers and sending platforms enforce it), returning the first problem.
///
/// Accepted: dot-atom local parts (`o'brien`, `first.last+news`, `a_b-c`), and — as RFC 6531
/// (SMTPUTF8) and IDNA allow — non-ASCII letters and digits in the local part (`用户@例子.广告`)
/// and in domain labels (`user@bücher.de`, a U-label; `xn--` A-labels pass too). Rejected,
/// although an RFC permits them, because no sending platform delivers to them: quoted local
/// parts (`"a b"@x.com`), comments, domain literals (`a@[10.0.0.1]`) and dotless domains
/// (`a@localhost`). Lengths are counted in UTF-8 bytes, which for IDN domains is stricter
/// than the A-label form would be only for unusually long names.
pub fn check_syntax(addr: &str) -> Result<(), SyntaxProblem> {
    if let Some(c) = addr.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(if c.is_whitespace() {
            SyntaxProblem::Whitespace
        } else {
            SyntaxProblem::Control
        });
    }
    let Some((local, domain)) = addr.split_once('@') else {
        return Err(SyntaxProblem::NoAt);
    };
    if domain.contains('@') {
        return Err(SyntaxProblem::ManyAt);
    }
    if local.is_empty() {
        return Err(SyntaxProblem::EmptyLocal);
    }
    if local.len() > 64 {
        return Err(SyntaxProblem::LocalTooLong);
    }
    if let Some(c) = local
        .chars()
        .find(|&c| !(c == '.' || c.is_alphanumeric() || ATEXT_SYMBOLS.contains(c)))
    {
        return Err(SyntaxProblem::LocalChar(c));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(SyntaxProblem::LocalDots);
    }
    if domain.is_empty() {
        return Err(SyntaxProblem::EmptyDomain);
    }
    if domain.len() > 253 || addr.len() > 254 {
        return Err(SyntaxProblem::TooLong);
    }
    if !domain.contains('.') {
        return Err(SyntaxProblem::NoTld);
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(SyntaxProblem::EmptyLabel);
        }
        if label.len() > 63 {
            return Err(SyntaxProblem::LabelTooLong);
        }
        if let Some(c) = label.chars().find(|&c| !(c == '-' || c.is_alphanumeric())) {
            return Err(SyntaxProblem::DomainChar(c));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(SyntaxProblem::LabelHyphen);
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    let tld_ok = if tld.is_ascii() {
        (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())) || tld.starts_with("xn--")
    } else {
        !tld.chars().any(|c| c.is_ascii_digit())
    };
    if !tld_ok {
        return Err(SyntaxProblem::BadTld);
    }
    Ok(())
}

/// The domain of an address (after the last `@`), `None` without one.
pub fn domain_of(addr: &str) -> Option<&str> {
    addr.rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
}

/// Mailbox providers most lists are full of; a domain one or two edits away from one of
/// these is almost always a typo. Sources: the providers' own domain lists (Google, Microsoft,
/// Yahoo, Apple, AOL, GMX/web.de/1&1, Deutsche Telekom, Orange, Free, Proton, Yandex, Mail.ru,
/// BT, Comcast, Swisscom), as seen in European and US consumer lists.
pub const COMMON_PROVIDERS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.de",
    "yahoo.fr",
    "yahoo.es",
    "yahoo.it",
    "ymail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.de",
    "hotmail.fr",
    "hotmail.es",
    "hotmail.it",
    "outlook.com",
    "outlook.de",
    "live.com",
    "live.de",
    "live.co.uk",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "gmx.at",
    "gmx.ch",
    "web.de",
    "t-online.de",
    "freenet.de",
    "arcor.de",
    "posteo.de",
    "mailbox.org",
    "protonmail.com",
    "proton.me",
    "mail.com",
    "yandex.ru",
    "yandex.com",
    "mail.ru",
    "orange.fr",
    "free.fr",
    "wanadoo.fr",
    "laposte.net",
    "sfr.fr",
    "libero.it",
    "virgilio.it",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "btinternet.com",
    "sky.com",
    "bluewin.ch",
    "zoho.com",
    "fastmail.com",
];

/// Misspelt top-level domains that are not real TLDs themselves, with the intended one.
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("comm", "com"),
    ("coom", "com"),
    ("vom", "com"),
    ("xom", "com"),
    ("cpm", "com"),
    ("clm", "com"),
    ("nte", "net"),
    ("nett", "net"),
    ("ent", "net"),
    ("ogr", "org"),
    ("orgg", "org"),
    ("rog", "org"),
];

/// The domain `domain` was probably meant to be, when it looks like a typo of a common
/// mailbox provider ([`COMMON_PROVIDERS`]) or of one of `frequent` (domains already common
/// in this list): up to two edits (Damerau-Levenshtein: insert, delete, substitute,
/// transpose) from a name longer than 8 characters; from a short one (`aol.com`,
/// `me.com`), where one edit often lands on another real company, only one slip of the
/// fingers (see `is_slip`); or a misspelt top-level domain (`.con`). A domain that is
/// itself in either list is never a typo.
pub fn suggest_domain(domain: &str, frequent: &[&str]) -> Option<String> {
    if COMMON_PROVIDERS.contains(&domain) || frequent.contains(&domain) {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    let (name, tld) = split_tld(domain);
    for &known in COMMON_PROVIDERS.iter().chain(frequent) {
        if known.len().abs_diff(domain.len()) > 2 {
            continue;
        }
        // Typos sit in the name or in the top-level domain, rarely both: comparing only
        // domains that share one of the two keeps this cheap on lists with many domains.
        let (known_name, known_tld) = split_tld(known);
        if known_name != name && known_tld != tld {
            continue;
        }
        let distance = if known.len() <= 8 {
            if is_slip(domain, known) {
                1
            } else {
                continue;
            }
        } else {
            strsim::osa_distance(domain, known)
        };
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, known));
        }
    }
    if let Some((_, known)) = best {
        return Some(known.to_string());
    }
    let (name, tld) = split_tld(domain);
    TLD_TYPOS
        .iter()
        .find(|(typo, _)| *typo == tld)
        .map(|(_, fixed)| format!("{name}.{fixed}"))
}

/// (name, top-level domain) of a domain.
fn split_tld(domain: &str) -> (&str, &str) {
    domain.rsplit_once('.').unwrap_or((domain, ""))
}

/// Whether `typed` is `meant` with one slip of the fingers: two neighbouring characters
/// swapped, one character left out, one doubled or neighbouring key pressed too, or one
/// key replaced by its neighbour on a QWERTY/QWERTZ keyboard. Stricter than "one edit", so
/// `aon.com` is not taken for `aol.com`.
fn is_slip(typed: &str, meant: &str) -> bool {
    let t: Vec<char> = typed.chars().collect();
    let m: Vec<char> = meant.chars().collect();
    let prefix = t.iter().zip(&m).take_while(|(a, b)| a == b).count();
    let suffix = t[prefix..]
        .iter()
        .rev()
        .zip(m[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (t_mid, m_mid) = (&t[prefix..t.len() - suffix], &m[prefix..m.len() - suffix]);
    match (t_mid, m_mid) {
        ([a], [b]) => keys_adjacent(*a, *b),
        ([a, b], [c, d]) => a == d && b == c,
        ([], [_]) => true,
        ([extra], []) => {
            let before = prefix.checked_sub(1).and_then(|i| t.get(i));
            let after = t.get(prefix + 1);
            [before, after]
                .into_iter()
                .flatten()
                .any(|&n| n == *extra || keys_adjacent(n, *extra))
        }
        _ => false,
    }
}

/// Whether two letters sit next to each other (same row or the staggered row above or
/// below) on a QWERTY keyboard; `y`/`z` also count as neighbours for QWERTZ typists.
fn keys_adjacent(a: char, b: char) -> bool {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    const STAGGER: [f32; 3] = [0.0, 0.25, 0.75];
    let pos = |c: char| {
        ROWS.iter()
            .enumerate()
            .find_map(|(r, row)| row.find(c).map(|i| (r as f32, i as f32 + STAGGER[r])))
    };
    if matches!((a, b), ('y', 'z') | ('z', 'y')) {
        return true;
    }
    match (pos(a), pos(b)) {
        (Some((ra, xa)), Some((rb, xb))) => {
            a != b && (ra - rb).abs() <= 1.0 && (xa - xb).abs() <= 1.0
        }
        _ => false,
    }
}

/// Local parts that name a function, not a person (after removing `.`, `-`, `_` and a
/// `+tag`): mail to them reaches a shared inbox or nobody, is often forwarded to many
/// people, and draws more spam complaints. English and German variants.
const ROLE_LOCALS: &[&str] = &[
    "info",
    "sales",
    "admin",
    "administrator",
    "support",
    "help",
    "helpdesk",
    "contact",
    "contactus",
    "kontakt",
    "office",
    "buero",
    "team",
    "hello",
    "hallo",
    "marketing",
    "newsletter",
    "noreply",
    "donotreply",
    "postmaster",
    "hostmaster",
    "webmaster",
    "abuse",
    "billing",
    "accounts",
    "accounting",
    "finance",
    "hr",
    "jobs",
    "careers",
    "press",
    "media",
    "service",
    "kundenservice",
    "customerservice",
    "enquiries",
    "inquiries",
    "mail",
    "privacy",
    "security",
    "legal",
    "orders",
    "reception",
    "root",
    "all",
    "staff",
    "everyone",
    "bewerbung",
    "verkauf",
    "vertrieb",
    "rechnung",
    "anfrage",
    "mailer",
    "mailerdaemon",
    "list",
    "subscribe",
    "unsubscribe",
    "feedback",
    "invoice",
    "invoices",
];

/// Whether the address's local part names a role (info@, sales@, noreply@...).
pub fn is_role(addr: &str) -> bool {
    let Some((local, _)) = addr.rsplit_once('@') else {
        return false;
    };
    let local = local.split_once('+').map_or(local, |(base, _)| base);
    let key: String = local
        .chars()
        .filter(|c| !matches!(c, '.' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    ROLE_LOCALS.contains(&key.as_str())
}

/// Whether `domain` (or a parent domain of it) is a disposable-address provider, per the
/// list embedded by the `mailchecker` crate (FGRibreau/mailchecker, thousands of
/// throwaway providers; update it with `cargo update -p mailchecker`) or `extra`, the
/// workspace's own additions.
pub fn is_disposable(domain: &str, extra: &[String]) -> bool {
    static LIST: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| mailchecker::blacklist().into_iter().collect());
    let mut rest = domain;
    loop {
        if LIST.contains(rest) || extra.iter().any(|e| e == rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => return false,
        }
    }
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

    #[test]
    fn valid_addresses_pass_syntax() {
        for ok in [
            "o'brien@firm.ie",
            "first.last+news@company.co.uk",
            "user@bücher.de",
            "用户@例子.广告",
            "a_b-c@sub.example.org",
            "x@xn--bcher-kva.de",
            "jörg@müller-bäckerei.de",
        ] {
            assert_eq!(check_syntax(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn invalid_addresses_say_why() {
        let cases = [
            ("marie.becker2115 @bergblick.ch", SyntaxProblem::Whitespace),
            ("anna.example.com", SyntaxProblem::NoAt),
            ("a@@b.com", SyntaxProblem::ManyAt),
            ("@b.com", SyntaxProblem::EmptyLocal),
            ("a..b@c.com", SyntaxProblem::LocalDots),
            (".a@c.com", SyntaxProblem::LocalDots),
            ("a@", SyntaxProblem::EmptyDomain),
            ("a@localhost", SyntaxProblem::NoTld),
            ("a@b..com", SyntaxProblem::EmptyLabel),
            ("a@-b.com", SyntaxProblem::LabelHyphen),
            ("a@b.c0m", SyntaxProblem::BadTld),
            ("a@b.c", SyntaxProblem::BadTld),
            ("a@b_c.com", SyntaxProblem::DomainChar('_')),
            ("a,b@c.com", SyntaxProblem::LocalChar(',')),
            ("a@[10.0.0.1]", SyntaxProblem::DomainChar('[')),
        ];
        for (addr, problem) in cases {
            assert_eq!(check_syntax(addr), Err(problem), "{addr}");
        }
        assert_eq!(
            check_syntax(&format!("{}@x.com", "a".repeat(65))),
            Err(SyntaxProblem::LocalTooLong)
        );
    }

    #[test]
    fn typo_domains_get_a_suggestion() {
        assert_eq!(
            suggest_domain("gmial.com", &[]).as_deref(),
            Some("gmail.com")
        );
        assert_eq!(
            suggest_domain("hotmial.com", &[]).as_deref(),
            Some("hotmail.com")
        );
        assert_eq!(
            suggest_domain("gmail.con", &[]).as_deref(),
            Some("gmail.com")
        );
        assert_eq!(
            suggest_domain("yahooo.com", &[]).as_deref(),
            Some("yahoo.com")
        );
        assert_eq!(suggest_domain("firm.con", &[]).as_deref(), Some("firm.com"));
        assert_eq!(
            suggest_domain("gmai.com", &[]).as_deref(),
            Some("gmail.com")
        );
        assert_eq!(
            suggest_domain("gmaul.com", &[]).as_deref(),
            Some("gmail.com")
        );
        assert_eq!(suggest_domain("aol.cim", &[]).as_deref(), Some("aol.com"));
        assert_eq!(suggest_domain("webb.de", &[]).as_deref(), Some("web.de"));
        assert_eq!(
            suggest_domain("acme-analytcs.co.uk", &["acme-analytics.co.uk"]).as_deref(),
            Some("acme-analytics.co.uk")
        );
    }

    #[test]
    fn real_domains_are_not_typos() {
        for d in [
            "gmail.com",
            "gmx.at",
            "firm.ie",
            "company.co.uk",
            "bücher.de",
            "aon.com",
            "mel.com",
        ] {
            assert_eq!(suggest_domain(d, &[]), None, "{d}");
        }
    }

    #[test]
    fn role_accounts() {
        for r in [
            "info@firm.ie",
            "no-reply@x.com",
            "Sales+eu@x.com",
            "customer.service@x.de",
        ] {
            assert!(is_role(r), "{r}");
        }
        for p in [
            "o'brien@firm.ie",
            "information.officer@x.com",
            "anna.info@x.com",
        ] {
            assert!(!is_role(p), "{p}");
        }
    }

    #[test]
    fn disposable_domains() {
        assert!(is_disposable("mailinator.com", &[]));
        assert!(is_disposable("guerrillamailblock.com", &[]));
        assert!(is_disposable("ok.33mail.com", &[]));
        assert!(!is_disposable("gmail.com", &[]));
        assert!(!is_disposable("firm.ie", &[]));
        assert!(is_disposable(
            "throwaway.example",
            &["throwaway.example".to_string()]
        ));
    }

    proptest! {
        #[test]
        fn email_keys_never_panic(s in any::<String>()) {
            if let Some(n) = normalize(&s) {
                prop_assert_eq!(normalize(&n), Some(n.clone()));
                let _ = mailbox_key(&n);
                let _ = check_syntax(&n);
                let _ = is_role(&n);
                if let Some(d) = domain_of(&n) {
                    let _ = suggest_domain(d, &[]);
                    let _ = is_disposable(d, &[]);
                }
            }
        }
    }
}
