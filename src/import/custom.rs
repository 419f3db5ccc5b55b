//! Typing custom fields from their values, so rules can compare them as numbers, dates or
//! booleans rather than text.
//!
//! A field is a number when every non-empty value is one, a date when every value parses
//! as a date (and is not a bare number), a boolean when every value is a yes/no word, else
//! text. Across imports the type only widens: two different types settle on text.

use super::row::parse_number;
use crate::text;
use rusqlite::params;

/// What the values of one column looked like.
#[derive(Debug, Default, Clone, Copy)]
pub struct Shape {
    values: u64,
    numbers: u64,
    dates: u64,
    booleans: u64,
}

impl Shape {
    pub fn observe(&mut self, value: &str) {
        self.values += 1;
        let numeric = parse_number(value).is_some() && value.chars().all(|c| !c.is_alphabetic());
        if numeric {
            self.numbers += 1;
        } else if as_boolean(value).is_some() {
            self.booleans += 1;
        } else if text::date::parse_instant(value).is_some() {
            self.dates += 1;
        }
    }

    /// The narrowest type that fits every value seen.
    pub fn kind(&self) -> &'static str {
        match self.values {
            0 => "text",
            n if self.numbers == n => "number",
            n if self.dates == n => "date",
            n if self.booleans == n => "boolean",
            _ => "text",
        }
    }
}

/// The type a field keeps when a new import sees `new` values in a field typed `old`.
pub fn join(old: &str, new: &str) -> &'static str {
    match (old, new) {
        ("number", "number") => "number",
        ("date", "date") => "date",
        ("boolean", "boolean") => "boolean",
        _ => "text",
    }
}

/// A yes/no cell as a boolean (the same words flag columns accept).
pub fn as_boolean(value: &str) -> Option<bool> {
    crate::text::status::parse_flag(value)
}

/// The comparable number of a value under a field type: the number, unix seconds of a
/// date, 1/0 for a boolean, nothing for text.
pub fn number_of(kind: &str, value: &str) -> Option<f64> {
    match kind {
        "number" => parse_number(value),
        "date" => text::date::parse_instant(value).map(|t| t as f64),
        "boolean" => as_boolean(value).map(|b| if b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// Recomputes `num` for every value of a field under its settled type.
pub fn fill_numbers(
    tx: &rusqlite::Transaction<'_>,
    field_id: i64,
    kind: &str,
) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT contact_id, value FROM contact_custom_values WHERE field_id = ?1")?
        .query_map([field_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare(
        "UPDATE contact_custom_values SET num = ?3 WHERE contact_id = ?1 AND field_id = ?2",
    )?;
    for (contact_id, value) in rows {
        update.execute(params![contact_id, field_id, number_of(kind, &value)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(values: &[&str]) -> &'static str {
        let mut s = Shape::default();
        values.iter().for_each(|v| s.observe(v));
        s.kind()
    }

    #[test]
    fn types_follow_the_values() {
        assert_eq!(shape(&["12", "3.5", "1,200"]), "number");
        assert_eq!(shape(&["2024-01-02", "2023-12-31T10:00:00Z"]), "date");
        assert_eq!(shape(&["yes", "No", "ja"]), "boolean");
        assert_eq!(shape(&["Retail", "12"]), "text");
    }

    #[test]
    fn types_widen_to_text_across_imports() {
        assert_eq!(join("number", "number"), "number");
        assert_eq!(join("number", "date"), "text");
    }
}
