//! Turning one CSV record into typed, normalised values, following the preset's mapping.
//!
//! Normalisation rules (issue 2): every value trimmed and NFC; email kept as written and
//! lower-cased separately for matching; dates to UTC unix seconds; countries to ISO 3166
//! alpha-2; phones to E.164 when the country is known; statuses to one vocabulary.

use super::presets::{flag_is_set, Column, Field, Preset};
use super::{decode_field, ImportError, Kind, Rejection, MAX_FIELD_BYTES};
use crate::text::{self, status::Status};
use rusqlite::types::Value;
use std::borrow::Cow;
use std::path::Path;

/// The preset's reading of a header row.
pub struct Plan {
    pub preset: &'static Preset,
    pub columns: Vec<Column>,
    pub headers: Vec<String>,
    implied_status: Option<Status>,
}

/// A contact row, normalised.
#[derive(Debug, Default, Clone)]
pub struct ContactRow {
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub email_norm: Option<String>,
    /// Known contact columns with their typed values (never `Null`).
    pub values: Vec<(Col, Value)>,
    pub status: Option<Status>,
    pub tags: Vec<String>,
    /// (header index, value) of columns kept as custom fields.
    pub custom: Vec<(usize, String)>,
    /// (header index, what it should have been) of known columns whose value could not be
    /// read (a birth date of 1955-11-92): the contact goes without it, the source row
    /// keeps it, and the summary says so.
    pub unread: Vec<(usize, &'static str)>,
    /// The row's values exactly as read, as a JSON array (what `source_records` keeps).
    pub raw_json: String,
}

/// An events row, normalised.
#[derive(Debug)]
pub struct EventRow {
    pub email_norm: Option<String>,
    pub external_id: Option<String>,
    pub kind: &'static str,
    pub occurred_at: i64,
    pub campaign: String,
    pub url: String,
    pub amount: Option<f64>,
}

/// The storage type of a known contact column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Text,
    Integer,
    Real,
    Instant,
    /// `YYYY-MM-DD`, or `--MM-DD` for a birthday given without a year.
    Date,
}

impl Type {
    /// What a value of this type must look like, for "not read" notes.
    fn expected(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::Integer | Type::Real => "a number",
            Type::Instant => "a date and time",
            Type::Date => "a date",
        }
    }
}

/// Every contact column an import can set, in a fixed order (used for SELECT/UPDATE).
pub const CONTACT_COLUMNS: &[&str] = &[
    "email",
    "email_norm",
    "first_name",
    "last_name",
    "company",
    "job_title",
    "phone",
    "street",
    "city",
    "region",
    "postcode",
    "country",
    "date_of_birth",
    "language",
    "industry",
    "company_size",
    "lifecycle_stage",
    "lead_status",
    "member_rating",
    "open_count",
    "click_count",
    "purchase_count",
    "total_spent",
    "last_open_at",
    "last_click_at",
    "subscribed_at",
];

/// One of [`CONTACT_COLUMNS`], by position: the writer sets a million rows' values by
/// index rather than by searching the names for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col(usize);

/// The [`Col`] of a column name, checked when the program is built.
macro_rules! col {
    ($name:literal) => {
        const { Col::named($name) }
    };
}
pub(crate) use col;

impl Col {
    /// The column called `name`; a name that is not one fails the build (in `col!`).
    pub const fn named(name: &str) -> Col {
        let mut i = 0;
        while i < CONTACT_COLUMNS.len() {
            if same(CONTACT_COLUMNS[i].as_bytes(), name.as_bytes()) {
                return Col(i);
            }
            i += 1;
        }
        panic!("not a contact column")
    }

    pub fn name(self) -> &'static str {
        CONTACT_COLUMNS[self.0]
    }

    pub fn index(self) -> usize {
        self.0
    }
}

/// Byte-wise equality usable in a `const fn`.
const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Known fields that are plain contact columns, with their column and type.
/// Email, status, tags, names and flags need more than a type and are handled apart.
fn column_of(field: Field) -> Option<(Col, Type)> {
    use Field::*;
    Some(match field {
        FirstName => (col!("first_name"), Type::Text),
        LastName => (col!("last_name"), Type::Text),
        Company => (col!("company"), Type::Text),
        JobTitle => (col!("job_title"), Type::Text),
        Phone => (col!("phone"), Type::Text),
        Street => (col!("street"), Type::Text),
        City => (col!("city"), Type::Text),
        Region => (col!("region"), Type::Text),
        Postcode => (col!("postcode"), Type::Text),
        Country => (col!("country"), Type::Text),
        DateOfBirth => (col!("date_of_birth"), Type::Date),
        Language => (col!("language"), Type::Text),
        Industry => (col!("industry"), Type::Text),
        CompanySize => (col!("company_size"), Type::Text),
        LifecycleStage => (col!("lifecycle_stage"), Type::Text),
        LeadStatus => (col!("lead_status"), Type::Text),
        MemberRating => (col!("member_rating"), Type::Real),
        OpenCount => (col!("open_count"), Type::Integer),
        ClickCount => (col!("click_count"), Type::Integer),
        PurchaseCount => (col!("purchase_count"), Type::Integer),
        TotalSpent => (col!("total_spent"), Type::Real),
        LastOpenAt => (col!("last_open_at"), Type::Instant),
        LastClickAt => (col!("last_click_at"), Type::Instant),
        SubscribedAt => (col!("subscribed_at"), Type::Instant),
        _ => return None,
    })
}

impl Plan {
    pub fn new(preset: &'static Preset, headers: &[String]) -> Self {
        Plan {
            preset,
            columns: preset.map(headers),
            headers: headers.to_vec(),
            implied_status: preset.implied_status(headers),
        }
    }

    pub fn has(&self, field: Field) -> bool {
        self.columns.contains(&Column::Known(field))
    }

    /// An event type and a time, and nothing about the person but how to find them.
    fn looks_like_events(&self) -> bool {
        let about_person = |f: Field| {
            !f.is_event() && !matches!(f, Field::Email | Field::ExternalId | Field::Ignore)
        };
        self.has(Field::EventType)
            && self.has(Field::OccurredAt)
            && !self
                .columns
                .iter()
                .any(|c| matches!(c, Column::Known(f) if about_person(*f)))
    }

    /// Refuses a file none of whose columns can tell records apart, and an events export
    /// offered as contacts (it would make every event a contact of its own).
    pub fn check_identity(
        &self,
        kind: Kind,
        path: &Path,
        headers: &[String],
    ) -> Result<(), ImportError> {
        if kind == Kind::Contacts && self.looks_like_events() {
            return Err(ImportError::EventsAsContacts {
                path: path.to_path_buf(),
                headers: headers.join(", "),
            });
        }
        let (ok, what, expected) = match kind {
            Kind::Contacts => (
                [
                    Field::Email,
                    Field::ExternalId,
                    Field::FirstName,
                    Field::LastName,
                    Field::FullName,
                    Field::Phone,
                ]
                .iter()
                .any(|&f| self.has(f)),
                "contact",
                "an email, id, name or phone column",
            ),
            Kind::Events => (
                (self.has(Field::Email) || self.has(Field::ExternalId))
                    && self.has(Field::EventType)
                    && self.has(Field::OccurredAt),
                "contact and event",
                "an email or contact id column, an event type column and a date column",
            ),
        };
        if ok {
            return Ok(());
        }
        Err(ImportError::NoIdentity {
            path: path.to_path_buf(),
            what,
            headers: headers.join(", "),
            expected,
        })
    }

    /// Decodes the raw values of a record, rejecting ragged rows and oversized cells.
    pub fn raw_values<'r>(
        &self,
        row: u64,
        record: &'r csv::ByteRecord,
    ) -> Result<Vec<Cow<'r, str>>, Rejection> {
        if record.len() != self.headers.len() {
            return Err(Rejection::new(
                row,
                None,
                format!(
                    "row has {} fields but the header has {} (a missing or extra delimiter?)",
                    record.len(),
                    self.headers.len()
                ),
            ));
        }
        if let Some((i, bytes)) = record
            .iter()
            .enumerate()
            .find(|(_, bytes)| bytes.len() > MAX_FIELD_BYTES)
        {
            return Err(Rejection::new(
                row,
                self.headers.get(i).cloned(),
                format!(
                    "value is {} bytes long, more than the {} allowed",
                    bytes.len(),
                    MAX_FIELD_BYTES
                ),
            ));
        }
        // One check of the whole record costs far less than one per cell; a cell of a valid
        // record is valid where its ends fall between characters. A record with bytes that
        // are not UTF-8 is decoded cell by cell.
        let whole = std::str::from_utf8(record.as_slice()).ok();
        Ok(record
            .iter()
            .enumerate()
            .map(|(i, bytes)| {
                let valid = whole.and_then(|w| w.get(record.range(i)?));
                valid.map_or_else(|| decode_field(bytes), Cow::Borrowed)
            })
            .collect())
    }

    /// Normalises a contact row.
    pub fn contact(&self, row: u64, record: &csv::ByteRecord) -> Result<ContactRow, Rejection> {
        let raw = self.raw_values(row, record)?;
        let mut out = ContactRow {
            values: Vec::with_capacity(self.columns.len()),
            ..ContactRow::default()
        };
        let mut full_name = None;
        let mut phone = None;
        let mut country = None;
        let mut postal = None;
        let (mut geo_country, mut geo_region) = (None, None);
        let mut house_number = None;
        let mut line_2 = None;
        let mut status = self.implied_status;
        for (i, column) in self.columns.iter().enumerate() {
            let value = text::clean(&raw[i]);
            if value.is_empty() {
                continue;
            }
            let field = match column {
                Column::Custom(_) => {
                    out.custom.push((i, value.into_owned()));
                    continue;
                }
                Column::Known(field) => *field,
            };
            match field {
                Field::ExternalId => {
                    out.external_id = out.external_id.take().or(Some(value.into_owned()))
                }
                Field::Email => {
                    out.email_norm = text::email::normalize(&value);
                    out.email = Some(value.into_owned());
                }
                Field::FullName => full_name = Some(value),
                Field::Phone => phone = Some(value),
                Field::Country => country = Some(value),
                // Its parts are found by the double spaces that cleaning would collapse.
                Field::PostalAddress => postal = Some(text::address::split(&raw[i])),
                Field::GeoCountry => geo_country = Some(value),
                Field::GeoRegion => geo_region = Some(value),
                Field::HouseNumber => house_number = Some(value),
                Field::AddressLine2 => line_2 = Some(value),
                Field::Status => status = most_restrictive(status, Status::parse(&value)),
                Field::Unsubscribed | Field::Bounced | Field::Complained => {
                    if flag_is_set(&value) {
                        status = most_restrictive(status, field.flag_status());
                    }
                }
                Field::Tags => out.tags.extend(self.preset.split_multi(field, &value)),
                _ => {
                    if let Some((column, ty)) = column_of(field) {
                        match typed(value, ty) {
                            Some(v) => out.values.push((column, v)),
                            None => out.unread.push((i, ty.expected())),
                        }
                    }
                }
            }
        }
        let mut postal = postal.unwrap_or_default();
        let iso = |c: Cow<'_, str>| {
            text::country::to_iso(&c).map_or_else(|| c.into_owned(), str::to_string)
        };
        let geo_country = geo_country.map(iso);
        let country = country
            .map(iso)
            .or(postal.country.take())
            .or_else(|| geo_country.clone());
        // The guessed region only goes with the guessed country.
        let geo_region = geo_region
            .filter(|_| country == geo_country)
            .map(Cow::into_owned);
        for (column, part) in [
            (col!("street"), postal.street),
            (col!("city"), postal.city),
            (col!("region"), postal.region),
            (col!("postcode"), postal.postcode),
            (col!("region"), geo_region),
        ] {
            fill(&mut out.values, column, part);
        }
        if let Some(p) = phone {
            let international = self
                .preset
                .phones_have_country_code
                .then(|| text::phone::to_e164(&text::phone::with_plus(&p), None))
                .flatten();
            let e164 = international
                .or_else(|| text::phone::to_e164(&p, country.as_deref()))
                .unwrap_or_else(|| p.into_owned());
            out.values.push((col!("phone"), Value::Text(e164)));
        }
        if let Some(c) = country {
            out.values.push((col!("country"), Value::Text(c)));
        }
        if let Some(name) = full_name {
            split_full_name(&name, &mut out.values);
        }
        if house_number.is_some() || line_2.is_some() {
            join_street(&mut out.values, house_number, line_2);
        }
        out.status = status;
        out.tags.retain(|t| !t.is_empty());
        out.raw_json = json_array(&raw, record);
        if out.external_id.is_none()
            && out.email.is_none()
            && !out
                .values
                .iter()
                .any(|(c, _)| IDENTIFYING.contains(&c.name()))
        {
            return Err(Rejection::new(
                row,
                None,
                "no email, id, name, phone, company, address or birth date: nothing identifies this contact",
            ));
        }
        Ok(out)
    }

    /// Normalises an events row.
    pub fn event(&self, row: u64, record: &csv::ByteRecord) -> Result<EventRow, Rejection> {
        let raw = self.raw_values(row, record)?;
        let reject = |column: Option<usize>, reason: String| {
            Rejection::new(row, column.map(|i| self.headers[i].clone()), reason)
        };
        let mut out = EventRow {
            email_norm: None,
            external_id: None,
            kind: "",
            occurred_at: 0,
            campaign: String::new(),
            url: String::new(),
            amount: None,
        };
        let mut seen_time = false;
        for (i, column) in self.columns.iter().enumerate() {
            let value = text::clean(&raw[i]);
            let Column::Known(field) = column else {
                continue;
            };
            match field {
                Field::Email => out.email_norm = text::email::normalize(&value),
                Field::ExternalId if !value.is_empty() => {
                    out.external_id = Some(value.into_owned())
                }
                Field::EventType => {
                    out.kind = event_kind(&value)
                        .ok_or_else(|| reject(Some(i), format!("unknown event type `{value}`; expected open, click, bounce, unsubscribe, complaint, purchase, page_view or cart_add")))?;
                }
                Field::OccurredAt => {
                    out.occurred_at = text::date::parse_instant(&value)
                        .ok_or_else(|| reject(Some(i), format!("`{value}` is not a date/time")))?;
                    seen_time = true;
                }
                Field::Campaign => out.campaign = value.into_owned(),
                Field::Url => out.url = value.into_owned(),
                Field::Amount if !value.is_empty() => {
                    out.amount =
                        Some(parse_number(&value).ok_or_else(|| {
                            reject(Some(i), format!("`{value}` is not an amount"))
                        })?)
                }
                _ => {}
            }
        }
        if out.kind.is_empty() {
            return Err(reject(None, "no event type".into()));
        }
        if !seen_time {
            return Err(reject(None, "no event time".into()));
        }
        if out.email_norm.is_none() && out.external_id.is_none() {
            return Err(reject(None, "no email or contact id".into()));
        }
        Ok(out)
    }
}

/// The row's values as a JSON array, written into a buffer sized for them up front (they
/// are most of a row's bytes, and growing the buffer by doubling copied them twice over).
fn json_array(raw: &[Cow<'_, str>], record: &csv::ByteRecord) -> String {
    let mut json = String::with_capacity(record.as_slice().len() + 3 * record.len() + 2);
    json.push('[');
    for (i, cell) in raw.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        push_json_string(&mut json, cell);
    }
    json.push(']');
    json
}

/// Appends `text` as a JSON string, exactly as serde_json writes it (the row hash is taken
/// of these bytes, so they must not change). Nearly every cell needs no escape and is
/// copied as it is; serde_json escapes the rest (it cannot fail on a `&str`). Going through
/// serde_json's writer for every cell and checking the result as UTF-8 again had been a
/// tenth of the reading thread's time.
fn push_json_string(json: &mut String, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        json.push('"');
        json.push_str(text);
        json.push('"');
    } else if let Ok(escaped) = serde_json::to_string(text) {
        json.push_str(&escaped);
    }
}

fn most_restrictive(a: Option<Status>, b: Option<Status>) -> Option<Status> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.most_restrictive(b)),
        (a, b) => a.or(b),
    }
}

fn typed(value: Cow<'_, str>, ty: Type) -> Option<Value> {
    match ty {
        Type::Text => Some(Value::Text(value.into_owned())),
        Type::Integer => parse_number(&value).map(|n| Value::Integer(n.round() as i64)),
        Type::Real => parse_number(&value).map(Value::Real),
        Type::Instant => text::date::parse_instant(&value).map(Value::Integer),
        Type::Date => text::date::parse_birth_date(&value).map(Value::Text),
    }
}

/// Numbers as exports write them: `1234.5`, `1,234.50`, `1.234,50`, `€ 12`, `12 %`.
pub fn parse_number(value: &str) -> Option<f64> {
    // Most cells are plain numbers already (`12`, `0.00`): read them as they are. Rust
    // also reads `inf` and `NaN`, which are no amounts; those fall through and fail below.
    if let Some(n) = value.parse::<f64>().ok().filter(|n| n.is_finite()) {
        return Some(n);
    }
    let kept: String = value
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E'))
        .collect();
    if !kept.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let last_dot = kept.rfind('.');
    let last_comma = kept.rfind(',');
    let normalised = match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => kept.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => kept.replace(',', ""),
        (None, Some(c))
            if kept.len() - c - 1 == 3
                && kept.matches(',').count() >= 1
                && !kept.starts_with("0,") =>
        {
            kept.replace(',', "")
        }
        (None, Some(_)) => kept.replace(',', "."),
        _ => kept,
    };
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The stored fields that tell one person from another when a row has neither id nor
/// email: a row with none of them is rejected, and they make its fingerprint
/// (`import::contacts`), so two different people's rows never fold into one contact.
pub(crate) const IDENTIFYING: &[&str] = &[
    "first_name",
    "last_name",
    "phone",
    "company",
    "street",
    "postcode",
    "city",
    "date_of_birth",
];

/// A house number and a second line joined to the street the way an address line reads:
/// "177" and "Pridham Street" → "177 Pridham Street"; "12 High St" and "Flat 3" →
/// "12 High St, Flat 3". Without a street, what there is stands as the street.
fn join_street(
    values: &mut Vec<(Col, Value)>,
    number: Option<Cow<'_, str>>,
    line_2: Option<Cow<'_, str>>,
) {
    let street = match values.iter().position(|(c, _)| *c == col!("street")) {
        Some(i) => match values.remove(i).1 {
            Value::Text(street) => street,
            _ => String::new(),
        },
        None => String::new(),
    };
    let line_1 = text::address::join_present([number.as_deref().unwrap_or(""), &street], " ");
    let joined =
        text::address::join_present([line_1.as_str(), line_2.as_deref().unwrap_or("")], ", ");
    fill(values, col!("street"), Some(joined));
}

/// "Müller, Jörg" → first Jörg, last Müller; "Jörg Müller" → first Jörg, last Müller.
/// Only fills what the row did not give separately.
fn split_full_name(name: &str, values: &mut Vec<(Col, Value)>) {
    let (first, last) = match name.split_once(',') {
        Some((last, first)) => (first.trim().to_string(), last.trim().to_string()),
        None => match name.rsplit_once(' ') {
            Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
            None => (name.to_string(), String::new()),
        },
    };
    fill(values, col!("first_name"), Some(first));
    fill(values, col!("last_name"), Some(last));
}

/// Sets `column` to `value` unless the row has a value for it already (from a column of
/// its own, or from a source filled before) or `value` is empty.
fn fill(values: &mut Vec<(Col, Value)>, column: Col, value: Option<String>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        if !values.iter().any(|(c, _)| *c == column) {
            values.push((column, Value::Text(value)));
        }
    }
}

/// Event type words of the platforms' activity exports, to the workspace's vocabulary.
fn event_kind(value: &str) -> Option<&'static str> {
    let v: String = value
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    Some(match v.trim_matches('_') {
        "open" | "opened" | "opens" | "email_opened" | "opened_email" | "open_email" => "open",
        "click" | "clicked" | "clicks" | "email_clicked" | "clicked_email" | "link_click" => {
            "click"
        }
        "bounce" | "bounced" | "hard_bounce" | "soft_bounce" | "email_bounced"
        | "bounced_email" => "bounce",
        "unsubscribe" | "unsubscribed" | "unsub" | "unsubscribed_from_email" | "opt_out" => {
            "unsubscribe"
        }
        "complaint" | "spam" | "spam_complaint" | "marked_email_as_spam" | "abuse" => "complaint",
        "purchase" | "purchased" | "order" | "placed_order" | "ordered" => "purchase",
        "page_view" | "pageview" | "viewed_page" | "visit" | "visited" | "active_on_site"
        | "viewed_product" => "page_view",
        "cart_add" | "add_to_cart" | "added_to_cart" | "cart" | "started_checkout" => "cart_add",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells are read as UTF-8 where they are, each on its own: two cells that are
    /// Windows-1252 each stay so even where their bytes side by side would make one UTF-8
    /// character.
    #[test]
    fn cells_are_decoded_one_by_one() {
        let Some(preset) = super::super::presets::by_name("generic") else {
            panic!("the generic preset exists");
        };
        let plan = Plan::new(preset, &["a".into(), "b".into(), "c".into()]);
        let valid = csv::ByteRecord::from(vec!["Jörg", "", "Zoë"]);
        assert_eq!(
            plan.raw_values(2, &valid).ok(),
            Some(vec!["Jörg".into(), "".into(), "Zoë".into()])
        );
        let split = csv::ByteRecord::from(vec![&b"M\xc3"[..], b"\xa9", b"x"]);
        assert_eq!(
            plan.raw_values(3, &split).ok(),
            Some(vec!["MÃ".into(), "©".into(), "x".into()])
        );
        let mixed = csv::ByteRecord::from(vec![&b"M\xfcller"[..], "Zoë".as_bytes(), b""]);
        assert_eq!(
            plan.raw_values(4, &mixed).ok(),
            Some(vec!["Müller".into(), "Zoë".into(), "".into()])
        );
    }

    /// The text values of the contact `preset` makes of one row under `headers`, as
    /// `column=value`, sorted.
    fn contact_texts(preset: &str, headers: &[&str], cells: &[&str]) -> Vec<String> {
        let Some(preset) = super::super::presets::by_name(preset) else {
            panic!("the {preset} preset exists");
        };
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let row =
            match Plan::new(preset, &headers).contact(2, &csv::ByteRecord::from(cells.to_vec())) {
                Ok(row) => row,
                Err(e) => panic!("{e:?}"),
            };
        let mut texts: Vec<_> = row
            .values
            .into_iter()
            .filter_map(|(c, v)| match v {
                Value::Text(t) => Some(format!("{}={t}", c.name())),
                _ => None,
            })
            .collect();
        texts.sort();
        texts
    }

    /// Mailchimp's one-cell address fills street, city, region, postcode and country —
    /// its country before the geo-IP guess (CC, REGION), which stands in only for a row
    /// without an address; a column of the row's own wins over both.
    #[test]
    fn a_mailchimp_address_is_split_and_beats_the_geo_ip_guess() {
        let headers = [
            "Email Address",
            "Address",
            "Phone Number",
            "CC",
            "REGION",
            "City",
        ];
        let contact = |cells: [&str; 6]| contact_texts("mailchimp", &headers, &cells);
        assert_eq!(
            contact([
                "a@example.com",
                "512 Means St  Suite 404  Atlanta  GA  30318  US",
                "(404) 555-0134",
                "DE",
                "BE",
                "",
            ]),
            [
                "city=Atlanta",
                "country=US",
                "phone=+14045550134",
                "postcode=30318",
                "region=GA",
                "street=512 Means St, Suite 404",
            ]
        );
        assert_eq!(
            contact([
                "d@example.com",
                "1 Main St  Atlanta  30318  US",
                "",
                "DE",
                "BE",
                ""
            ]),
            [
                "city=Atlanta",
                "country=US",
                "postcode=30318",
                "street=1 Main St"
            ]
        );
        assert_eq!(
            contact(["b@example.com", "", "", "DE", "BE", ""]),
            ["country=DE", "region=BE"]
        );
        assert_eq!(
            contact([
                "c@example.com",
                "1 Rue X  Lyon  69001  FR",
                "",
                "",
                "",
                "Lyon 1er"
            ]),
            [
                "city=Lyon 1er",
                "country=FR",
                "postcode=69001",
                "street=1 Rue X",
            ]
        );
    }

    /// A house number and a second address line join the street; either alone stands
    /// as the street.
    #[test]
    fn house_numbers_and_second_lines_join_the_street() {
        let klaviyo = ["Email", "Klaviyo ID", "Address", "Address 2", "City"];
        assert_eq!(
            contact_texts(
                "klaviyo",
                &klaviyo,
                &["a@x.com", "01H", "12 High St", "Flat 3", "Leeds"]
            ),
            ["city=Leeds", "street=12 High St, Flat 3"]
        );
        assert_eq!(
            contact_texts("klaviyo", &klaviyo, &["a@x.com", "01H", "", "Flat 3", ""]),
            ["street=Flat 3"]
        );
        let german = ["E-Mail", "Straße", "Hausnummer", "Adresszusatz"];
        assert_eq!(
            contact_texts(
                "generic",
                &german,
                &["b@x.de", "Hauptstraße", "5", "Hinterhaus"]
            ),
            ["street=5 Hauptstraße, Hinterhaus"]
        );
        assert_eq!(
            contact_texts("generic", &german, &["b@x.de", "", "5", ""]),
            ["street=5"]
        );
    }

    /// An events export is refused as contacts; a contacts export that happens to have a
    /// type and a date column is not.
    #[test]
    fn events_exports_are_not_contacts() {
        let Some(preset) = super::super::presets::by_name("generic") else {
            panic!("the generic preset exists");
        };
        let check = |line: &str, kind: Kind| {
            let headers: Vec<String> = line.split(',').map(String::from).collect();
            Plan::new(preset, &headers).check_identity(kind, Path::new("f.csv"), &headers)
        };
        let events = "email,type,occurred_at,campaign,url,amount,subject";
        assert!(matches!(
            check(events, Kind::Contacts),
            Err(ImportError::EventsAsContacts { .. })
        ));
        assert!(check(events, Kind::Events).is_ok());
        assert!(check("email,first_name,type,timestamp", Kind::Contacts).is_ok());
        assert!(check("email,timestamp", Kind::Contacts).is_ok());
    }

    proptest::proptest! {
        /// The raw values are written exactly as serde_json writes them: stored row hashes
        /// are of these bytes.
        #[test]
        fn raw_values_are_written_as_serde_json_writes_them(cells in proptest::collection::vec(".{0,12}", 0..6)) {
            let raw: Vec<Cow<'_, str>> = cells.iter().map(|c| Cow::Borrowed(c.as_str())).collect();
            let record = csv::ByteRecord::from(cells.clone());
            let expected = serde_json::to_string(&raw).unwrap_or_default();
            proptest::prop_assert_eq!(json_array(&raw, &record), expected);
        }
    }

    #[test]
    fn raw_values_that_need_escapes_are_escaped() {
        let cells = ["a\"b", "c\\d", "line\nbreak", "\u{7f}\u{1}tab\t", "Zoë 💌"];
        let raw: Vec<Cow<'_, str>> = cells.iter().map(|&c| Cow::Borrowed(c)).collect();
        let record = csv::ByteRecord::from(cells.to_vec());
        let written = json_array(&raw, &record);
        assert_eq!(written, serde_json::to_string(&raw).unwrap_or_default());
        assert_eq!(
            serde_json::from_str::<Vec<String>>(&written).ok(),
            Some(cells.map(String::from).to_vec())
        );
    }

    #[test]
    fn numbers_in_export_formats() {
        assert_eq!(parse_number("1234.5"), Some(1234.5));
        assert_eq!(parse_number("1,234.50"), Some(1234.5));
        assert_eq!(parse_number("1.234,50"), Some(1234.5));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("€ 12"), Some(12.0));
        assert_eq!(parse_number("n/a"), None);
    }

    #[test]
    fn full_names_split_both_ways() {
        let mut v = Vec::new();
        split_full_name("Müller, Jörg", &mut v);
        assert_eq!(v[0], (col!("first_name"), Value::Text("Jörg".into())));
        assert_eq!(v[1], (col!("last_name"), Value::Text("Müller".into())));
        let mut v = vec![(col!("first_name"), Value::Text("Ann".into()))];
        split_full_name("Anne Marie Smith", &mut v);
        assert_eq!(v.len(), 2);
        assert_eq!(v[1], (col!("last_name"), Value::Text("Smith".into())));
    }

    #[test]
    fn event_words_map_to_one_vocabulary() {
        assert_eq!(event_kind("Opened Email"), Some("open"));
        assert_eq!(event_kind("Placed Order"), Some("purchase"));
        assert_eq!(event_kind("add-to-cart"), Some("cart_add"));
        assert_eq!(event_kind("teleport"), None);
    }

    #[test]
    fn the_restrictive_status_wins() {
        let s = most_restrictive(Some(Status::Subscribed), Some(Status::Unsubscribed));
        assert_eq!(s, Some(Status::Unsubscribed));
        let s = most_restrictive(Some(Status::Complained), Some(Status::Subscribed));
        assert_eq!(s, Some(Status::Complained));
    }
}
