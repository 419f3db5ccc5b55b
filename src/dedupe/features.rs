//! Comparison keys for one field value: what two spellings of the same name, street,
//! company or date have in common. Keys are for matching only and never shown or stored.

use crate::text::date::{parse_date, parse_month_day};
use chrono::Datelike;
use rphonetic::{DoubleMetaphone, Encoder};

/// A person or place name folded for comparison: transliterated to ASCII (deunicode:
/// "Müller" → "muller", "Łukasz" → "lukasz", "Øre" → "ore"), lower-cased, punctuation
/// dropped, spaces collapsed, and the German vowel spellings "ae/oe/ue" reduced to the
/// plain vowel so "Mueller", "Müller" and "Muller" share one key (see `plain_vowels`).
pub fn fold_name(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || matches!(c, '-' | '.' | ',' | '_' | '/'))
            && !word.is_empty()
        {
            words.push(plain_vowels(&std::mem::take(&mut word)));
        }
    }
    if !word.is_empty() {
        words.push(plain_vowels(&word));
    }
    words.join(" ")
}

/// "mueller" → "muller", "schroeder" → "schroder", "kraemer" → "kramer": an `e` after
/// a, o or u is the German spelling of an umlaut — except where the word ends in it, or
/// in `l`, `s` or `ls` after it, as English and Spanish names do (Michael, Samuel, Joel,
/// Chloe, Joes), which would otherwise lose a letter and meet other names.
fn plain_vowels(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for (i, c) in word.char_indices() {
        let after_vowel = matches!(out.as_bytes().last(), Some(b'a' | b'o' | b'u'));
        let english_ending = matches!(word.get(i + 1..), Some("" | "l" | "s" | "ls"));
        if c == 'e' && after_vowel && !english_ending {
            continue;
        }
        out.push(c);
    }
    out
}

/// The Double Metaphone primary code of a folded name: "Meier", "Mayer" and "Maier"
/// share one.
pub fn phonetic(name: &str) -> String {
    DoubleMetaphone::default().encode(name)
}

/// Legal-form and filler words that say nothing about which company it is.
const COMPANY_NOISE: &[&str] = &[
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "ug",
    "se",
    "ev",
    "co",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "plc",
    "corp",
    "corporation",
    "company",
    "sa",
    "sarl",
    "sas",
    "sl",
    "sll",
    "srl",
    "spa",
    "as",
    "asa",
    "ab",
    "oy",
    "bv",
    "nv",
    "the",
    "und",
    "and",
    "group",
    "gruppe",
    "holding",
    "s",
    "l",
    "a",
    "r",
    "p",
    "mbh",
    "kgaa",
    "cie",
];

/// A company name without legal forms or punctuation: "Bergblick AG" and "bergblick"
/// share a key, and so do "Verde Foods S.L." and "Verde Foods SL".
pub fn company_key(s: &str) -> String {
    fold_name(s)
        .split(' ')
        .filter(|w| !w.is_empty() && !COMPANY_NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Street-type words in several languages, mapped to one short form, so "Hauptstraße 5",
/// "Hauptstr. 5" and "hauptstrasse 5" agree, as do "Main Street" and "Main St".
const STREET_WORDS: &[(&str, &str)] = &[
    ("strasse", "str"),
    ("street", "st"),
    ("road", "rd"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("boulevard", "blvd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("place", "pl"),
    ("platz", "pl"),
    ("court", "ct"),
    ("crescent", "cres"),
    ("weg", "wg"),
    ("gasse", "g"),
    ("via", "v"),
    ("calle", "c"),
    ("rue", "r"),
];

/// A street address folded for comparison: German "…straße" suffixes split off, street
/// types abbreviated, house numbers kept.
pub fn street_key(s: &str) -> String {
    let folded = fold_name(s);
    let mut words = Vec::new();
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        let (stem, suffix) = match word.strip_suffix("strasse").or(word.strip_suffix("str")) {
            Some(stem) if !stem.is_empty() => (stem, Some("str")),
            _ => (word, None),
        };
        let stem = STREET_WORDS
            .iter()
            .find(|(long, _)| *long == stem)
            .map_or(stem, |(_, short)| short);
        words.push(stem.to_string());
        if let Some(suffix) = suffix {
            words.push(suffix.to_string());
        }
    }
    words.join(" ")
}

/// A date of birth as (year, month, day), from the stored `YYYY-MM-DD` or anything
/// [`parse_date`] reads.
pub fn dob_key(s: &str) -> Option<(i32, u32, u32)> {
    let date = parse_date(s)?;
    Some((date.year(), date.month(), date.day()))
}

/// Month and day of a date of birth, whether or not it has its year (`--10-03`).
pub fn month_day(s: &str) -> Option<(u32, u32)> {
    dob_key(s)
        .map(|(_, m, d)| (m, d))
        .or_else(|| parse_month_day(s))
}

/// Free-mail and ISP domains: two different addresses there say nothing about an
/// employer, whereas two different addresses at one company domain are two colleagues.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.de",
    "yahoo.fr",
    "yahoo.es",
    "yahoo.it",
    "yahoo.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.fr",
    "hotmail.es",
    "hotmail.it",
    "hotmail.co.uk",
    "outlook.com",
    "outlook.de",
    "live.com",
    "live.de",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "gmx.de",
    "gmx.net",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "web.de",
    "t-online.de",
    "freenet.de",
    "posteo.de",
    "mailbox.org",
    "protonmail.com",
    "proton.me",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "wanadoo.fr",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "telefonica.net",
    "bluewin.ch",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "zoho.com",
    "fastmail.com",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "online.no",
    "telia.com",
    "comcast.net",
    "verizon.net",
    "btinternet.com",
    "aol.de",
    "alice.it",
    "bouygtel.fr",
    "chello.at",
    "chello.nl",
    "club-internet.fr",
    "dbmail.com",
    "email.it",
    "fastwebnet.it",
    "freemail.hu",
    "hispeed.ch",
    "hotmail.com.au",
    "interia.pl",
    "gazeta.pl",
    "onet.pl",
    "poste.it",
    "tim.it",
    "tin.it",
    "vodafone.it",
    "voila.fr",
    "neuf.fr",
    "sunrise.ch",
    "centrum.cz",
    "email.cz",
    "post.cz",
    "volny.cz",
    "sapo.pt",
    "clix.pt",
    "terra.com.br",
    "uol.com.br",
    "bol.com.br",
    "yahoo.com.br",
    "outlook.com.br",
    "live.se",
    "spray.se",
    "kolumbus.fi",
    "rambler.ru",
    "yandex.com",
    "ukr.net",
    "ymail.com",
    "rocketmail.com",
    "zohomail.com",
    "live.co.uk",
    "live.fr",
    "live.nl",
    "live.it",
    "outlook.fr",
    "outlook.es",
    "outlook.it",
    "hotmail.nl",
    "ziggo.nl",
    "kpnmail.nl",
    "planet.nl",
    "home.nl",
    "hetnet.nl",
    "xs4all.nl",
    "telenet.be",
    "skynet.be",
    "hotmail.be",
    "sky.com",
    "virginmedia.com",
    "talktalk.net",
    "ntlworld.com",
    "blueyonder.co.uk",
    "yahoo.ca",
    "hotmail.ca",
    "rogers.com",
    "shaw.ca",
    "sympatico.ca",
    "bigpond.com",
    "optusnet.com.au",
    "naver.com",
    "hanmail.net",
    "daum.net",
    "att.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "mail.com",
    "email.com",
    "gmx.fr",
    "gmx.es",
    "a1.net",
    "aon.at",
    "tutanota.com",
    "hey.com",
    "pm.me",
    // Reserved for examples (RFC 2606): test and generated lists use them for everyone.
    "example.com",
    "example.org",
    "example.net",
];

/// Whether `domain` is a free-mail or ISP domain (the list below, `FREE_MAIL`).
pub fn is_free_mail(domain: &str) -> bool {
    static SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| FREE_MAIL.iter().copied().collect());
    SET.contains(domain)
}

/// Custom fields whose folded name marks a personal identifier (social security, tax,
/// passport, customer or member number). Only these are compared as "other ids": a generic
/// `*_id` column may be a per-row record id (always different for duplicates) or even a
/// truth label, and must not count either way.
const PERSON_ID_FIELDS: &[&str] = &[
    "ssn",
    "socsecid",
    "socialsecurity",
    "socialsecuritynumber",
    "socsecnumber",
    "taxid",
    "steuerid",
    "passport",
    "passportnumber",
    "nationalid",
    "customerid",
    "customernumber",
    "kundennummer",
    "membernumber",
    "mitgliedsnummer",
    "personalnumber",
    "personnummer",
];

/// Whether the custom field called `name` holds a personal identifier.
pub fn is_person_id_field(name: &str) -> bool {
    PERSON_ID_FIELDS.contains(&crate::text::fold_key(name).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_and_their_spellings_fold_together() {
        assert_eq!(fold_name("Müller"), "muller");
        assert_eq!(fold_name("Mueller"), "muller");
        assert_eq!(fold_name("MULLER"), "muller");
        assert_eq!(fold_name("José-María"), "jose maria");
        assert_eq!(fold_name("  O'Brien "), "obrien");
        assert_eq!(fold_name("Schroeder-Kraemer"), "schroder kramer");
    }

    #[test]
    fn english_names_keep_their_vowels() {
        assert_eq!(fold_name("Michael"), "michael");
        assert_eq!(fold_name("Samuel"), "samuel");
        assert_eq!(fold_name("Joes"), "joes");
        assert_eq!(fold_name("Chloé"), "chloe");
        assert_ne!(fold_name("Michael"), fold_name("Michal"));
    }

    #[test]
    fn companies_lose_their_legal_form() {
        assert_eq!(company_key("Bergblick AG"), "bergblick");
        assert_eq!(company_key("Verde Foods S.L."), "verde foods");
        assert_eq!(company_key("Solaris SARL"), "solaris");
        assert_eq!(company_key("ACME Inc."), company_key("Acme"));
    }

    #[test]
    fn street_spellings_agree() {
        assert_eq!(street_key("Hauptstraße 5"), street_key("Hauptstr. 5"));
        assert_eq!(street_key("hauptstrasse 5"), "haupt str 5");
        assert_eq!(street_key("12 Main Street"), street_key("12 Main St"));
    }

    #[test]
    fn dates_of_birth_parse_in_several_forms() {
        assert_eq!(dob_key("1985-12-24"), Some((1985, 12, 24)));
        assert_eq!(dob_key("24.12.1985"), Some((1985, 12, 24)));
        assert_eq!(dob_key("soon"), None);
    }

    #[test]
    fn person_id_fields_are_recognised_by_name() {
        assert!(is_person_id_field("soc_sec_id"));
        assert!(is_person_id_field("Kundennummer"));
        assert!(!is_person_id_field("rec_id"));
        assert!(!is_person_id_field("cluster"));
    }
}
