//! Phone numbers to E.164, through `rlibphonenumber` (Google's libphonenumber metadata).
//!
//! `rlibphonenumber` rather than `phonenumber`: at the import's one-call-per-row scale the
//! latter's validation costs ~455 µs a number (minutes per million rows), this one about
//! 1–2 µs (see DESIGN.md; `cargo bench --bench normalise` measures it).

use super::country::to_iso;
use rlibphonenumber::{
    NumberLengthType, PhoneNumber, PhoneNumberFormat, Region, PHONE_NUMBER_UTIL,
};
use std::borrow::Cow;

/// Longest input worth handing to the parser: E.164 has at most 15 digits, and exports
/// pad with spaces, dashes, brackets and an extension; anything longer is not a phone
/// number and is left as written.
const MAX_LEN: usize = 64;

fn parse(raw: &str, country_iso2: Option<&str>) -> Option<PhoneNumber> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_LEN || !raw.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // Through `to_iso` even for two-letter input: `Region` parses any two letters
    // ("UK", "ZZ"), and the parser then rejects every national number.
    let region = country_iso2
        .and_then(to_iso)
        .and_then(|iso| iso.parse::<Region>().ok());
    PHONE_NUMBER_UTIL.parse(raw, region).ok()
}

/// Whether the number has a full dialable length for its country (a "local only" number
/// without its area code is not: it has no E.164 form).
fn dialable(number: &PhoneNumber) -> bool {
    matches!(
        number.is_possible_with_reason(),
        Ok(NumberLengthType::IsPossible)
    )
}

/// The E.164 form (`+493012345678`) of `raw`, read as a number of `country_iso2` (an ISO
/// code, or any name [`to_iso`] knows, such as "UK" or "Deutschland") unless it carries its
/// own `+CC`. `None` when the country is unknown and there is no `+CC` (a bare
/// `(555) 010-0199` could be from anywhere), or when the digits cannot be a number of that
/// country (wrong length). A number of the right length in an unassigned range still gets
/// its E.164 form, so two spellings of it match; [`is_possible`] is the audit's check.
pub fn to_e164(raw: &str, country_iso2: Option<&str>) -> Option<String> {
    let number = parse(raw, country_iso2)?;
    if !dialable(&number) {
        return None;
    }
    Some(number.format_as(PhoneNumberFormat::E164).to_string())
}

/// `raw` as a number that carries its country code, with or without the `+`
/// (`33612345678`, `0033 6 12 34 56 78`): written with the `+`, so it is read as
/// international whatever country the contact has. Anything else is left as written.
pub fn with_plus(raw: &str) -> Cow<'_, str> {
    let trimmed = raw.trim();
    let digits = trimmed.strip_prefix("00").unwrap_or(trimmed);
    let spelled = |b: u8| b.is_ascii_digit() || b" -.()".contains(&b);
    if digits.starts_with(|c: char| c.is_ascii_digit()) && digits.bytes().all(spelled) {
        Cow::Owned(format!("+{digits}"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Whether `raw` has a possible length for its country (given, or from its `+CC`): the
/// audit flags phone values where this is false as not dialable.
pub fn is_possible(raw: &str, country_iso2: Option<&str>) -> bool {
    parse(raw, country_iso2).is_some_and(|n| dialable(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn german_numbers_with_country() {
        assert_eq!(
            to_e164("+49 30 1234567", Some("DE")).as_deref(),
            Some("+49301234567")
        );
        assert_eq!(
            to_e164("(030) 1234567", Some("DE")).as_deref(),
            Some("+49301234567")
        );
        assert_eq!(
            to_e164("0151 23456789", Some("de")).as_deref(),
            Some("+4915123456789")
        );
    }

    #[test]
    fn explicit_country_code_wins_over_country() {
        assert_eq!(
            to_e164("+33 6 21150294", Some("DE")).as_deref(),
            Some("+33621150294")
        );
        assert_eq!(
            to_e164("+1 (202) 555-0173", None).as_deref(),
            Some("+12025550173")
        );
    }

    #[test]
    fn numbers_that_carry_their_country_code_get_their_plus() {
        for raw in [
            "33612345678",
            "0033612345678",
            " 33 6 12 34 56 78 ",
            "+33612345678",
        ] {
            assert_eq!(
                to_e164(&with_plus(raw), Some("DE")).as_deref(),
                Some("+33612345678"),
                "{raw}"
            );
        }
        assert_eq!(with_plus("n/a"), "n/a");
        assert_eq!(with_plus(""), "");
    }

    #[test]
    fn us_numbers_need_a_country_or_plus_one() {
        assert_eq!(to_e164("(202) 555-0173", None), None);
        assert_eq!(
            to_e164("(202) 555-0173", Some("US")).as_deref(),
            Some("+12025550173")
        );
        assert!(!is_possible("(202) 555-0173", None));
        assert!(is_possible("(202) 555-0173", Some("US")));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(to_e164("", Some("DE")), None);
        assert_eq!(to_e164("n/a", Some("DE")), None);
        assert_eq!(to_e164("12", Some("DE")), None);
        assert_eq!(
            to_e164("+49 30 1234567", Some("ZZ")).as_deref(),
            Some("+49301234567")
        );
        assert_eq!(
            to_e164("030 1234567", Some("Deutschland")).as_deref(),
            Some("+49301234567")
        );
        assert_eq!(
            to_e164("020 7183 8750", Some("UK")).as_deref(),
            Some("+442071838750")
        );
        assert_eq!(to_e164("030 1234567", Some("Atlantis")), None);
        assert!(!is_possible("123", Some("US")));
        assert!(!is_possible(&"9".repeat(200), Some("US")));
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>(), c in proptest::option::of("[A-Za-z]{0,3}")) {
            let e = to_e164(&s, c.as_deref());
            if let Some(e) = e {
                prop_assert!(e.starts_with('+'));
            }
            let _ = is_possible(&s, c.as_deref());
        }

        #[test]
        fn digit_strings_never_panic(s in "[+0-9 ()./-]{0,40}", c in "(DE|US|FR|GB|JP|BR|IN)") {
            let _ = to_e164(&s, Some(&c));
        }
    }
}
