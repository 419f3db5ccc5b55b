//! A whole postal address written in one cell, its parts apart by two spaces — how
//! Mailchimp exports (and imports) its ADDRESS field: street, an optional second line,
//! city, state, zip and country, e.g. `512 Means St  Suite 404  Atlanta  GA  30318  US`.
//!
//! Nothing in the cell says which part is which; the order does. A cell with all six
//! places, some of them empty (`5 High St  Flat 2  London    SW1A 1AA  GB`: no state),
//! is read by place. Parts left out altogether (Mailchimp skips an empty second line;
//! hand-made lists skip more) are told apart by what they look like: the last part is
//! the country when it names one, a part with digits before it is the postcode, and of
//! what is left the last is the state when there are three or more, the one before it
//! the city, the rest the street.

use std::borrow::Cow;

/// The parts of a one-cell address, each cleaned ([`super::clean`]); the country as an
/// ISO 3166 code when it names one, else as written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parts {
    pub street: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
}

/// Splits a one-cell address at its runs of two or more spaces. A cell without such a
/// run is all street: it is an address line written the ordinary way.
pub fn split(cell: &str) -> Parts {
    let places: Vec<Cow<'_, str>> = cell.trim().split("  ").map(super::clean).collect();
    if places.len() == PLACES && places.iter().any(|p| p.is_empty()) {
        return by_place(&places);
    }
    let mut parts: Vec<Cow<'_, str>> = places.into_iter().filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return Parts {
            street: parts.pop().map(Cow::into_owned),
            ..Parts::default()
        };
    }
    let country = parts
        .last()
        .and_then(|last| super::country::to_iso(last))
        .map(str::to_string);
    if country.is_some() {
        parts.pop();
    }
    let postcode = match parts.last() {
        Some(last) if parts.len() >= 2 && looks_like_postcode(last) => parts.pop(),
        _ => None,
    };
    let region = if parts.len() >= 3 { parts.pop() } else { None };
    let city = if parts.len() >= 2 { parts.pop() } else { None };
    let street = (!parts.is_empty()).then(|| parts.join(", "));
    let owned = |part: Option<Cow<'_, str>>| part.map(Cow::into_owned);
    Parts {
        street,
        city: owned(city),
        region: owned(region),
        postcode: owned(postcode),
        country,
    }
}

/// Street, second line, city, state, zip and country.
const PLACES: usize = 6;

/// A cell with every place written, empty or not, in Mailchimp's order.
fn by_place(places: &[Cow<'_, str>]) -> Parts {
    let part = |i: usize| {
        places
            .get(i)
            .filter(|p| !p.is_empty())
            .map(|p| p.to_string())
    };
    let street = join_present(places.iter().take(2).map(|p| p.as_ref()), ", ");
    Parts {
        street: (!street.is_empty()).then_some(street),
        city: part(2),
        region: part(3),
        postcode: part(4),
        country: part(5).map(|c| super::country::to_iso(&c).map_or(c, str::to_string)),
    }
}

/// A postcode has a digit, is short, and is letters, digits, spaces and hyphens only:
/// `30318`, `SW1A 1AA`, `K1A 0B1`, `1012 AB`, `01-234`. A city or a state has no digit.
fn looks_like_postcode(part: &str) -> bool {
    part.len() <= 10
        && part.bytes().any(|b| b.is_ascii_digit())
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
}

/// The cell [`split`] reads back from street, city, region, postcode and country: the
/// parts there are, apart by two spaces, in Mailchimp's order. Empty without a street:
/// a city or a country alone is no postal address (Mailchimp would file it as a street).
pub fn join(parts: [&str; 5]) -> String {
    if parts[0].trim().is_empty() {
        return String::new();
    }
    join_present(parts, "  ")
}

/// The parts that are not blank, trimmed, with `separator` between them: how an address
/// line is put together from its pieces ("177" and "Pridham Street"; "12 High St" and
/// "Flat 3").
pub fn join_present<'p>(parts: impl IntoIterator<Item = &'p str>, separator: &str) -> String {
    let present: Vec<&str> = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    present.join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split(cell)` against street, city, region, postcode and country ("" for none).
    fn check(cases: &[(&str, [&str; 5])]) {
        for (cell, [street, city, region, postcode, country]) in cases {
            let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let expected = Parts {
                street: some(street),
                city: some(city),
                region: some(region),
                postcode: some(postcode),
                country: some(country),
            };
            assert_eq!(split(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn mailchimp_addresses_split_into_their_parts() {
        check(&[
            (
                "512 Means St  Suite 404  Atlanta  GA  30318  USA",
                ["512 Means St, Suite 404", "Atlanta", "GA", "30318", "US"],
            ),
            (
                "1701 Bristol Ave.  Barrington  Rhode Island  02806  US",
                [
                    "1701 Bristol Ave.",
                    "Barrington",
                    "Rhode Island",
                    "02806",
                    "US",
                ],
            ),
            (
                "10 Downing St  London  Greater London  SW1A 2AA  United Kingdom",
                [
                    "10 Downing St",
                    "London",
                    "Greater London",
                    "SW1A 2AA",
                    "GB",
                ],
            ),
            (
                " Hauptstraße 5    Berlin  10115  Deutschland ",
                ["Hauptstraße 5", "Berlin", "", "10115", "DE"],
            ),
        ]);
    }

    #[test]
    fn a_cell_with_every_place_is_read_by_place() {
        check(&[
            (
                "5 High St  Flat 2  London    SW1A 1AA  GB",
                ["5 High St, Flat 2", "London", "", "SW1A 1AA", "GB"],
            ),
            (
                "174 Main St    Springfield  IL    United States",
                ["174 Main St", "Springfield", "IL", "", "US"],
            ),
            (
                "  Calle Mayor 3    Madrid    28013  Atlantis  ",
                ["Calle Mayor 3", "Madrid", "", "28013", "Atlantis"],
            ),
        ]);
    }

    #[test]
    fn parts_left_out_are_told_apart_by_their_look() {
        check(&[
            (
                "174 Main St  London  GB",
                ["174 Main St", "London", "", "", "GB"],
            ),
            ("174 Main St  10115", ["174 Main St", "", "", "10115", ""]),
            (
                "174 Main St  Springfield",
                ["174 Main St", "Springfield", "", "", ""],
            ),
            ("Canada", ["Canada", "", "", "", ""]),
            ("   ", ["", "", "", "", ""]),
        ]);
    }

    /// An address written on one line the ordinary way stays one street line, and a
    /// state that is also a country code (GA, CA) is read as a state when a country
    /// follows it.
    #[test]
    fn single_spaced_lines_and_state_codes_stay_what_they_are() {
        check(&[
            (
                "174 Main St London GB",
                ["174 Main St London GB", "", "", "", ""],
            ),
            (
                "1 Infinite Loop  Cupertino  CA  95014  US",
                ["1 Infinite Loop", "Cupertino", "CA", "95014", "US"],
            ),
        ]);
    }

    #[test]
    fn a_joined_address_splits_back() {
        let cell = join(["9 Rue de Rivoli", "Paris", "", "75001", "FR"]);
        assert_eq!(cell, "9 Rue de Rivoli  Paris  75001  FR");
        check(&[(&cell, ["9 Rue de Rivoli", "Paris", "", "75001", "FR"])]);
        assert_eq!(join(["", "Paris", "", "", "FR"]), "");
    }

    proptest::proptest! {
        #[test]
        fn any_cell_splits_without_panicking(cell in "\\PC{0,60}") {
            let _ = split(&cell);
        }
    }
}
