//! Blocking: which pairs get scored at all. Comparing every pair of 1M contacts is 5·10^11
//! comparisons; instead every contact gets a handful of blocking keys and only contacts
//! sharing a key are compared. Several independent keys mean a duplicate is lost only if
//! it differs on all of them:
//!
//! - the mailbox key;
//! - the letters of the address's local part and of the full name in either order, as one
//!   word ("johannes.schroeder45@" meets Johannes Schröder, and a copy at another
//!   provider or with a mistyped domain or number meets the original);
//! - the phone's last 8 digits;
//! - Double Metaphone of one name + the initial of the other, in both orders (so swapped
//!   first/last names meet) and with the nickname-canonical first name (Bob/Robert);
//! - the first 4 letters of the last name + first 2 of the first name (typos that change
//!   the sound);
//! - date of birth alone (a copy whose names, city and address are all mangled; blocks of
//!   one birthday stay small, and big ones fall to the sorted neighbourhood below);
//!   date of birth + either initial (both names mistyped); date of birth + city; the
//!   birth month + city (the day mistyped and both names mangled);
//! - the sound of either name + the birth year (a copy with one name missing and the day
//!   mistyped or swapped with the month);
//! - city + the sound of either name (one of the names missing);
//! - postcode + last-name prefix; street + last initial; company + last-name sound;
//! - a personal identifier (SSN, customer number…).
//!
//! A key shared by more than [`MAX_BLOCK`] contacts (a very common name) is not compared
//! all-against-all: its members are sorted by name and compared within a sliding window
//! of [`WINDOW`] (sorted neighbourhood), which bounds the work while keeping near-identical
//! spellings next to each other.

use super::features::{dob_key, fold_name};
use super::nicknames::canonical;
use super::table::{Field, Table};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Blocks up to this size are compared all-against-all.
pub const MAX_BLOCK: usize = 24;
/// Window of the sorted-neighbourhood pass over larger blocks.
pub const WINDOW: usize = 8;

fn hash(kind: u8, parts: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    kind.hash(&mut h);
    parts.hash(&mut h);
    h.finish()
}

fn initial(s: &str) -> &str {
    s.get(..1).unwrap_or("")
}

fn prefix(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// The letters of an already folded key, as one run: names appear that way in
/// addresses. "johannes.schroeder45" (folded: "johannes schroder45") and the name
/// Johannes Schröder ("johannes" + "schroder") both give "johannesschroder".
fn letters(folded: &str) -> String {
    folded.chars().filter(char::is_ascii_alphabetic).collect()
}

/// The blocking keys of one row.
fn keys(table: &Table, row: usize, out: &mut Vec<u64>) {
    let key = |field| table.key(row, field).unwrap_or_default();
    let (email, first, last) = (key(Field::Email), key(Field::First), key(Field::Last));
    let mut word = |w: String| {
        if w.len() >= 6 {
            out.push(hash(2, &[&w]));
        }
    };
    if let Some((local, _)) = email.rsplit_once('@') {
        word(letters(&fold_name(local)));
    }
    if !first.is_empty() && !last.is_empty() {
        word(letters(first) + &letters(last));
        word(letters(last) + &letters(first));
    }
    if !email.is_empty() {
        out.push(hash(1, &[email]));
    }
    let phone = key(Field::Phone);
    if phone.len() >= 7 {
        let tail = &phone[phone.len().saturating_sub(8)..];
        out.push(hash(3, &[tail]));
    }
    let (sf, sl) = (
        table.sound(row, Field::First),
        table.sound(row, Field::Last),
    );
    let canon = canonical(first);
    if !last.is_empty() {
        out.push(hash(4, &[sl, initial(first)]));
        if initial(canon) != initial(first) {
            out.push(hash(4, &[sl, initial(canon)]));
        }
        out.push(hash(5, &[prefix(last, 4), prefix(first, 2)]));
    }
    if !first.is_empty() {
        out.push(hash(4, &[sf, initial(last)]));
    }
    let dob = key(Field::Dob);
    let city = key(Field::City);
    if !dob.is_empty() {
        // A birthday without its year (`--10-03`) is one contact's in 365: a key only
        // together with a name or a city.
        let year = dob_key(dob).map(|(year, _, _)| year.to_string());
        if year.is_some() {
            out.push(hash(16, &[dob]));
        }
        out.push(hash(6, &[dob, initial(first)]));
        out.push(hash(7, &[dob, initial(last)]));
        if !city.is_empty() {
            out.push(hash(14, &[dob, city]));
            if year.is_some() {
                out.push(hash(17, &[prefix(dob, 7), city]));
            }
        }
        if let Some(year) = year {
            for sound in [sf, sl].into_iter().filter(|s| !s.is_empty()) {
                out.push(hash(15, &[sound, &year]));
            }
        }
    }
    if !city.is_empty() {
        if !sl.is_empty() {
            out.push(hash(12, &[city, sl]));
        }
        if !sf.is_empty() {
            out.push(hash(13, &[city, sf]));
        }
    }
    let postcode = key(Field::Postcode);
    if !postcode.is_empty() && !last.is_empty() {
        out.push(hash(8, &[postcode, prefix(last, 2)]));
    }
    let street = key(Field::Street);
    if !street.is_empty() {
        out.push(hash(9, &[street, initial(last)]));
    }
    let company = key(Field::Company);
    if !company.is_empty() && !last.is_empty() {
        out.push(hash(10, &[company, sl]));
    }
    let other = key(Field::OtherId);
    if !other.is_empty() {
        out.push(hash(11, &[other]));
    }
}

/// A row's place in the sorted-neighbourhood order: its name, then its city.
fn sort_key(table: &Table, row: usize) -> (String, String) {
    let key = |field| table.key(row, field).unwrap_or_default();
    (
        format!("{} {}", key(Field::Last), key(Field::First)),
        key(Field::City).to_string(),
    )
}

/// Encodes a row pair (smaller first) in one integer, so candidates sort and dedupe fast.
fn pack(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

/// Splits a packed pair back into rows.
pub fn unpack(p: u64) -> (usize, usize) {
    ((p >> 32) as usize, (p & 0xFFFF_FFFF) as usize)
}

/// Every distinct candidate pair of rows, packed (see [`unpack`]), sorted.
pub fn candidates(table: &Table) -> Vec<u64> {
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(table.len() * 10);
    let mut buf = Vec::new();
    for row in 0..table.len() {
        buf.clear();
        keys(table, row, &mut buf);
        buf.sort_unstable();
        buf.dedup();
        let Ok(r) = u32::try_from(row) else { break };
        entries.extend(buf.iter().map(|&k| (k, r)));
    }
    entries.sort_unstable();
    let mut pairs = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let key = entries[start].0;
        let end = entries[start..]
            .iter()
            .position(|e| e.0 != key)
            .map_or(entries.len(), |n| start + n);
        let block = &entries[start..end];
        if block.len() <= MAX_BLOCK {
            for (i, x) in block.iter().enumerate() {
                for y in &block[i + 1..] {
                    pairs.push(pack(x.1, y.1));
                }
            }
        } else {
            let mut members: Vec<(String, String, u32)> = block
                .iter()
                .map(|&(_, r)| {
                    let (name, city) = sort_key(table, r as usize);
                    (name, city, r)
                })
                .collect();
            members.sort_unstable();
            for (i, x) in members.iter().enumerate() {
                for y in members.iter().skip(i + 1).take(WINDOW) {
                    pairs.push(pack(x.2, y.2));
                }
            }
        }
        start = end;
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::table::RawContact;

    fn table(people: &[(&str, &str, &str)]) -> Table {
        let mut t = Table::new();
        for (i, (first, last, email)) in people.iter().enumerate() {
            t.push(&RawContact {
                id: i as i64,
                first_name: Some(first.to_string()),
                last_name: Some(last.to_string()),
                email_norm: (!email.is_empty()).then(|| email.to_string()),
                ..RawContact::default()
            });
        }
        t
    }

    #[test]
    fn spelling_variants_land_in_one_block() {
        let t = table(&[
            ("Robert", "Meier", ""),
            ("Bob", "Mayer", ""),
            ("Meier", "Robert", ""),
            ("Zoe", "Quast", "zq@example.org"),
        ]);
        let pairs: Vec<_> = candidates(&t).into_iter().map(unpack).collect();
        assert!(pairs.contains(&(0, 1)), "{pairs:?}");
        assert!(pairs.contains(&(0, 2)), "{pairs:?}");
        assert!(!pairs.iter().any(|p| p.1 == 3), "{pairs:?}");
    }

    #[test]
    fn a_copy_without_names_meets_the_record_named_in_its_address() {
        let t = table(&[
            ("", "", "johannes.schroeder45@hotmail.de"),
            ("Johannes", "Schröder", ""),
            ("Johanna", "Schmidt", ""),
        ]);
        let pairs: Vec<_> = candidates(&t).into_iter().map(unpack).collect();
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn a_copy_with_one_name_meets_by_birth_year_when_the_day_is_off() {
        let mut t = Table::new();
        for (first, dob) in [(None, "1969-12-18"), (Some("Maria"), "1969-12-19")] {
            t.push(&RawContact {
                first_name: first.map(str::to_string),
                last_name: Some("Kaya".into()),
                date_of_birth: Some(dob.into()),
                ..RawContact::default()
            });
        }
        let pairs: Vec<_> = candidates(&t).into_iter().map(unpack).collect();
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn a_copy_with_both_names_mangled_meets_by_birth_month_and_city() {
        let mut t = Table::new();
        for (first, last, dob) in [
            ("George", "Hill", "1984-03-16"),
            ("Geore", "Hli", "1984-03-15"),
        ] {
            t.push(&RawContact {
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                city: Some("Northampton".into()),
                date_of_birth: Some(dob.into()),
                ..RawContact::default()
            });
        }
        let pairs: Vec<_> = candidates(&t).into_iter().map(unpack).collect();
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn huge_blocks_are_windowed_not_squared() {
        let people: Vec<(String, String)> = (0..1000)
            .map(|i| ("John".to_string(), format!("Smith{i:04}")))
            .collect();
        let refs: Vec<(&str, &str, &str)> = people
            .iter()
            .map(|(f, l)| (f.as_str(), l.as_str(), ""))
            .collect();
        let t = table(&refs);
        let n = candidates(&t).len();
        assert!(n < 1000 * 4 * WINDOW, "{n} candidates");
    }
}
