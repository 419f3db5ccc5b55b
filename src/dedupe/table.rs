//! The scan's in-memory image of the live contacts: one row of interned comparison keys per
//! contact. Interning makes exact agreement an integer compare, gives each value's
//! frequency for free (the term-frequency adjustment of the weights), and keeps 1M
//! contacts in well under a gigabyte, since every distinct value is stored once.

use super::features::{
    company_key, fold_name, is_free_mail, is_person_id_field, phonetic, street_key,
};
use super::nicknames::canonical;
use crate::text::email::mailbox_key;
use crate::text::phone::to_e164;
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The fields the scorer compares, in cell order. Serialised by their `contacts` column
/// name (see [`Field::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "email")]
    Email,
    #[serde(rename = "first_name")]
    First,
    #[serde(rename = "last_name")]
    Last,
    #[serde(rename = "company")]
    Company,
    #[serde(rename = "job_title")]
    Title,
    #[serde(rename = "phone")]
    Phone,
    #[serde(rename = "street")]
    Street,
    #[serde(rename = "city")]
    City,
    #[serde(rename = "postcode")]
    Postcode,
    #[serde(rename = "country")]
    Country,
    #[serde(rename = "date_of_birth")]
    Dob,
    #[serde(rename = "other_id")]
    OtherId,
}

impl Field {
    pub const COUNT: usize = 12;

    /// The name shown in explanations: the `contacts` column it comes from.
    pub fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::First => "first_name",
            Field::Last => "last_name",
            Field::Company => "company",
            Field::Title => "job_title",
            Field::Phone => "phone",
            Field::Street => "street",
            Field::City => "city",
            Field::Postcode => "postcode",
            Field::Country => "country",
            Field::Dob => "date_of_birth",
            Field::OtherId => "other_id",
        }
    }
}

/// Marks a missing value in a cell.
pub const MISSING: u32 = u32::MAX;

/// Distinct values of one field, with how many contacts carry each (and, for names, how
/// each sounds).
#[derive(Default)]
pub struct Column {
    index: HashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
    counts: Vec<u32>,
    /// Double Metaphone code per value; filled for first and last names only, computed
    /// once per distinct name rather than once per compared pair.
    sounds: Vec<Box<str>>,
    phonetic: bool,
}

impl Column {
    fn intern(&mut self, value: &str) -> u32 {
        if value.is_empty() {
            return MISSING;
        }
        if let Some(&sym) = self.index.get(value) {
            self.counts[sym as usize] += 1;
            return sym;
        }
        let sym = u32::try_from(self.strings.len()).unwrap_or(MISSING);
        if sym == MISSING {
            return MISSING;
        }
        self.index.insert(value.into(), sym);
        self.strings.push(value.into());
        self.counts.push(1);
        if self.phonetic {
            self.sounds.push(phonetic(value).into());
        }
        sym
    }

    /// The Double Metaphone code of a name value ("" for other fields).
    pub fn sound(&self, sym: u32) -> &str {
        self.sounds.get(sym as usize).map_or("", |s| s)
    }

    /// The key behind a symbol.
    pub fn get(&self, sym: u32) -> &str {
        self.strings.get(sym as usize).map_or("", |s| s)
    }

    /// How many contacts carry the value.
    pub fn count(&self, sym: u32) -> u32 {
        self.counts.get(sym as usize).copied().unwrap_or(0)
    }

    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

/// One contact's raw values, as read from the workspace, before folding.
#[derive(Debug, Default, Clone)]
pub struct RawContact {
    pub id: i64,
    pub email_norm: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub date_of_birth: Option<String>,
    pub other_id: Option<String>,
}

/// Gives every table its own identity, so caches keyed by symbols never mix two tables.
static NEXT_TABLE: AtomicU64 = AtomicU64::new(1);

/// The interned image of every live contact.
pub struct Table {
    /// Unique per table in this process (see [`Table::id`]).
    id: u64,
    /// `contacts.id` per row.
    pub ids: Vec<i64>,
    cells: Vec<[u32; Field::COUNT]>,
    columns: Vec<Column>,
    /// Per field, per value: how many people seem to share it (see [`Table::holders`]),
    /// worked out on first use.
    holders: [OnceLock<Vec<u32>>; Field::COUNT],
    /// Per full name (given name, surname symbols): how many employers it is found at
    /// (see [`Table::employers`]), worked out on first use.
    employers: OnceLock<FxHashMap<(u32, u32), u32>>,
    /// Per email value: whether its domain is a mail provider's (see
    /// [`Table::at_provider`]), worked out on first use.
    providers: OnceLock<Vec<bool>>,
}

impl Table {
    /// An empty table.
    pub fn new() -> Self {
        Table {
            id: NEXT_TABLE.fetch_add(1, Ordering::Relaxed),
            ids: Vec::new(),
            cells: Vec::new(),
            columns: (0..Field::COUNT)
                .map(|i| Column {
                    phonetic: i == Field::First as usize || i == Field::Last as usize,
                    ..Column::default()
                })
                .collect(),
            holders: std::array::from_fn(|_| OnceLock::new()),
            employers: OnceLock::new(),
            providers: OnceLock::new(),
        }
    }

    /// Adds one contact, folding each value into its comparison key.
    pub fn push(&mut self, c: &RawContact) {
        let mut row = [MISSING; Field::COUNT];
        let mut put = |field: Field, key: Option<String>| {
            if let Some(key) = key {
                row[field as usize] = self.columns[field as usize].intern(&key);
            }
        };
        let email = c.email_norm.as_deref().map(mailbox_key);
        let (first, last) = names_with_email(
            c.first_name.as_deref().map(fold_name),
            c.last_name.as_deref().map(fold_name),
            email.as_deref(),
        );
        put(Field::Email, email);
        put(Field::First, first);
        put(Field::Last, last);
        put(Field::Company, c.company.as_deref().map(company_key));
        put(Field::Title, c.job_title.as_deref().map(fold_name));
        put(
            Field::Phone,
            c.phone
                .as_deref()
                .map(|p| phone_key(p, c.country.as_deref())),
        );
        put(Field::Street, c.street.as_deref().map(street_key));
        put(Field::City, c.city.as_deref().map(fold_name));
        put(Field::Postcode, c.postcode.as_deref().map(fold_name));
        put(Field::Country, c.country.as_deref().map(fold_name));
        put(
            Field::Dob,
            c.date_of_birth.as_deref().map(|d| d.trim().to_string()),
        );
        put(Field::OtherId, c.other_id.as_deref().map(fold_name));
        self.ids.push(c.id);
        self.cells.push(row);
    }

    /// This table's identity: symbols mean something only within one table.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Number of contacts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The symbol of `field` on row `row` ([`MISSING`] when empty).
    pub fn sym(&self, row: usize, field: Field) -> u32 {
        self.cells
            .get(row)
            .map_or(MISSING, |cells| cells[field as usize])
    }

    /// The comparison key of `field` on row `row`, `None` when empty.
    pub fn key(&self, row: usize, field: Field) -> Option<&str> {
        let sym = self.sym(row, field);
        (sym != MISSING).then(|| self.columns[field as usize].get(sym))
    }

    /// The Double Metaphone code of a first or last name on row `row` ("" when empty).
    pub fn sound(&self, row: usize, field: Field) -> &str {
        let sym = self.sym(row, field);
        if sym == MISSING {
            ""
        } else {
            self.columns[field as usize].sound(sym)
        }
    }

    /// The distinct values of one field.
    pub fn column(&self, field: Field) -> &Column {
        &self.columns[field as usize]
    }

    /// How many different people the contacts carrying value `sym` of `field` seem to be:
    /// the distinct given names among them, a nickname counting as its full name (at
    /// least one). A mailbox's count of contacts is no measure of how common it is in a
    /// list with duplicates — one person's eight copies share it eight times — whereas
    /// `info@` shared by five colleagues has five names.
    pub fn holders(&self, field: Field, sym: u32) -> u32 {
        let per_value = self.holders[field as usize].get_or_init(|| {
            let f = field as usize;
            let names = &self.columns[Field::First as usize];
            let mut canonical_ids: FxHashMap<&str, u32> = FxHashMap::default();
            let person: Vec<u32> = (0..names.len() as u32)
                .map(|n| {
                    let next = canonical_ids.len() as u32;
                    *canonical_ids.entry(canonical(names.get(n))).or_insert(next)
                })
                .collect();
            let mut pairs: Vec<(u32, u32)> = self
                .cells
                .iter()
                .filter(|c| c[f] != MISSING)
                .map(|c| {
                    let first = c[Field::First as usize];
                    (c[f], person.get(first as usize).copied().unwrap_or(MISSING))
                })
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            let mut out = vec![0u32; self.columns[f].len()];
            for (value, first) in pairs {
                if first != MISSING {
                    if let Some(n) = out.get_mut(value as usize) {
                        *n += 1;
                    }
                }
            }
            out
        });
        per_value.get(sym as usize).copied().unwrap_or(0).max(1)
    }

    /// Whether the address `sym` (of [`Field::Email`]) is at a mail provider rather than
    /// an employer: a known free-mail or ISP domain, or one that contacts of four or more
    /// different companies use — a provider the list of known ones lacks, or the
    /// `example.com` of a generated list.
    pub fn at_provider(&self, sym: u32) -> bool {
        let flags = self.providers.get_or_init(|| {
            let col = &self.columns[Field::Email as usize];
            let domain = |s: u32| col.get(s).rsplit_once('@').map_or("", |(_, d)| d);
            let (e, c) = (Field::Email as usize, Field::Company as usize);
            let mut seen: Vec<(&str, u32)> = self
                .cells
                .iter()
                .filter(|r| r[e] != MISSING && r[c] != MISSING)
                .map(|r| (domain(r[e]), r[c]))
                .collect();
            seen.sort_unstable();
            seen.dedup();
            let mut employers: FxHashMap<&str, u32> = FxHashMap::default();
            for (d, _) in seen {
                *employers.entry(d).or_insert(0) += 1;
            }
            (0..col.len() as u32)
                .map(|s| {
                    let d = domain(s);
                    is_free_mail(d) || employers.get(d).is_some_and(|&n| n >= 4)
                })
                .collect()
        });
        flags.get(sym as usize).copied().unwrap_or(false)
    }

    /// At how many different companies the full name `first` `last` (symbols) is found
    /// (0 when never with a company). Three people of one name at three employers show a
    /// name common in this list, however rare each half of it is.
    pub fn employers(&self, first: u32, last: u32) -> u32 {
        let counts = self.employers.get_or_init(|| {
            let (f, l, c) = (
                Field::First as usize,
                Field::Last as usize,
                Field::Company as usize,
            );
            let mut named: Vec<(u32, u32, u32)> = self
                .cells
                .iter()
                .filter(|r| r[f] != MISSING && r[l] != MISSING && r[c] != MISSING)
                .map(|r| (r[f], r[l], r[c]))
                .collect();
            named.sort_unstable();
            named.dedup();
            let mut out = FxHashMap::default();
            for (first, last, _) in named {
                *out.entry((first, last)).or_insert(0) += 1;
            }
            out
        });
        counts.get(&(first, last)).copied().unwrap_or(0)
    }

    /// Loads every live contact of the workspace (`merged_into IS NULL`).
    pub fn load(conn: &Connection) -> rusqlite::Result<Table> {
        let other_ids = load_other_ids(conn)?;
        let mut table = Table::new();
        let mut stmt = conn.prepare(
            "SELECT id, email_norm, first_name, last_name, company, job_title, phone, street,
                    city, postcode, country, date_of_birth
             FROM contacts WHERE merged_into IS NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            table.push(&RawContact {
                id,
                email_norm: r.get(1)?,
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                company: r.get(4)?,
                job_title: r.get(5)?,
                phone: r.get(6)?,
                street: r.get(7)?,
                city: r.get(8)?,
                postcode: r.get(9)?,
                country: r.get(10)?,
                date_of_birth: r.get(11)?,
                other_id: other_ids.get(&id).cloned(),
            });
        }
        Ok(table)
    }
}

impl Default for Table {
    fn default() -> Self {
        Table::new()
    }
}

/// Fills a missing first or last name from an address of the form `first.last@`
/// (digits ignored) when the name that is present agrees with it: sign-up forms often
/// keep the address and drop the name, and "carlos.seidel33@" with last name "Seidel"
/// says who Carlos is.
fn names_with_email(
    first: Option<String>,
    last: Option<String>,
    email: Option<&str>,
) -> (Option<String>, Option<String>) {
    let filled = |v: &Option<String>| v.as_ref().is_some_and(|s| !s.is_empty());
    if filled(&first) && filled(&last) {
        return (first, last);
    }
    let Some(local) = email.and_then(|e| e.rsplit_once('@')).map(|(l, _)| l) else {
        return (first, last);
    };
    let parts: Vec<String> = local
        .split(['.', '_', '-'])
        .map(|p| {
            p.chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>()
        })
        .collect();
    let [p1, p2] = parts.as_slice() else {
        return (first, last);
    };
    if p1.len() < 2 || p2.len() < 2 {
        return (first, last);
    }
    let agrees = |name: &Option<String>, part: &str| {
        name.as_ref()
            .is_some_and(|n| strsim::jaro_winkler(n, &fold_name(part)) >= 0.9)
    };
    match (filled(&first), filled(&last)) {
        (false, true) if agrees(&last, p2) => (Some(fold_name(p1)), last),
        (true, false) if agrees(&first, p1) => (first, Some(fold_name(p2))),
        _ => (first, last),
    }
}

/// The phone key: E.164 when the number can be read (with the contact's country), else
/// its digits, so "+49 30 1234567" and "030 1234567" in Germany agree.
pub fn phone_key(raw: &str, country: Option<&str>) -> String {
    to_e164(raw, country).unwrap_or_else(|| raw.chars().filter(char::is_ascii_digit).collect())
}

/// The first personal-identifier custom value of each contact (see
/// [`is_person_id_field`]), prefixed with its field id so two kinds of id never agree.
fn load_other_ids(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare("SELECT id, name FROM custom_fields ORDER BY id")?;
    let fields: Vec<i64> = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .filter_map(|row| match row {
            Ok((id, name)) if is_person_id_field(&name) => Some(Ok(id)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    let mut out = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT contact_id, value FROM contact_custom_values WHERE field_id = ?1 ORDER BY contact_id",
    )?;
    for field in fields {
        let rows = stmt.query_map([field], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (contact, value) = row?;
            out.entry(contact)
                .or_insert_with(|| format!("{field}:{value}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_name_is_read_from_a_first_dot_last_address() {
        let f = |s: &str| Some(s.to_string());
        assert_eq!(
            names_with_email(None, f("seidel"), Some("carlos.seidel33@outlook.com")),
            (f("carlos"), f("seidel"))
        );
        assert_eq!(
            names_with_email(f("astrid"), None, Some("astrid.roth40@web.de")),
            (f("astrid"), f("roth"))
        );
        // The address belongs to someone else: nothing is guessed.
        assert_eq!(
            names_with_email(None, f("keller"), Some("carlos.seidel@outlook.com")),
            (None, f("keller"))
        );
        assert_eq!(
            names_with_email(None, None, Some("info@shop.de")),
            (None, None)
        );
    }

    #[test]
    fn values_are_interned_once_and_counted() {
        let mut t = Table::new();
        for city in ["Köln", "Koeln", "Bonn"] {
            t.push(&RawContact {
                city: Some(city.into()),
                ..RawContact::default()
            });
        }
        assert_eq!(t.sym(0, Field::City), t.sym(1, Field::City));
        assert_eq!(t.column(Field::City).count(t.sym(0, Field::City)), 2);
        assert_eq!(t.key(0, Field::Email), None);
    }
}
