//! The in-memory image of a workspace that counts run over.
//!
//! SQLite stays the source of truth; the image holds only what rules read, laid out for
//! scanning: per contact one dictionary code per text field (the dictionary holds the
//! normalised text, code 0 meaning empty), one `f64` per number or date field (unix
//! seconds, NaN when empty), per tag the sorted list of contacts carrying it, and per event
//! type the events of each contact as a sorted run of `u32` times (with amounts for
//! purchases and URL codes for page views), so a window count is two binary searches.
//! Contacts are the live ones (`merged_into IS NULL`), in id order; events, tags and custom
//! values of merged-away records count for their survivor.

use super::ast::{Cond, Expr};
use super::error::SegmentError;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// How a field's values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Case- and surrounding-whitespace-insensitive text.
    Text,
    Number,
    /// Yes/no (custom fields); compares as 1/0 and accepts true/false/yes/no.
    Boolean,
    /// An instant or a calendar day, compared as unix seconds.
    Date,
    /// A day of the year (1–366, counted in a leap year so 29 February has its own),
    /// for birthdays: `birthday within 7d` is "in the next seven days", any year.
    Birthday,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Boolean => "yes/no",
            FieldType::Date => "date",
            FieldType::Birthday => "birthday",
        }
    }
}

/// A built-in field: its rule name, the SQL expression reading it and its type.
struct Builtin {
    name: &'static str,
    sql: &'static str,
    ty: FieldType,
}

const fn b(name: &'static str, sql: &'static str, ty: FieldType) -> Builtin {
    Builtin { name, sql, ty }
}

/// The contact columns rules can use. `created_at` is when the contact joined the list:
/// the platform's opt-in date (`subscribed_at`), else when Listwarden first saw it.
/// `date_of_birth` is a calendar day, compared as midnight UTC; a birthday kept without
/// its year (`--10-03`, from Mailchimp) is no day to compare with and counts as empty.
/// `birthday` is the day and month of either kind, as the day of a leap year (both forms
/// end in `MM-DD`).
const BUILTINS: [Builtin; 33] = [
    b("email", "email", FieldType::Text),
    b("external_id", "external_id", FieldType::Text),
    b("first_name", "first_name", FieldType::Text),
    b("last_name", "last_name", FieldType::Text),
    b("company", "company", FieldType::Text),
    b("job_title", "job_title", FieldType::Text),
    b("phone", "phone", FieldType::Text),
    b("street", "street", FieldType::Text),
    b("city", "city", FieldType::Text),
    b("region", "region", FieldType::Text),
    b("postcode", "postcode", FieldType::Text),
    b("country", "country", FieldType::Text),
    b("language", "language", FieldType::Text),
    b("industry", "industry", FieldType::Text),
    b("company_size", "company_size", FieldType::Text),
    b("lifecycle_stage", "lifecycle_stage", FieldType::Text),
    b("lead_status", "lead_status", FieldType::Text),
    b("status", "status", FieldType::Text),
    b("source", "source", FieldType::Text),
    b("date_of_birth", "unixepoch(date_of_birth)", FieldType::Date),
    b(
        "birthday",
        "CAST(strftime('%j', '2000-' || substr(date_of_birth, -5)) AS INTEGER)",
        FieldType::Birthday,
    ),
    b("member_rating", "member_rating", FieldType::Number),
    b("open_count", "open_count", FieldType::Number),
    b("click_count", "click_count", FieldType::Number),
    b("purchase_count", "purchase_count", FieldType::Number),
    b("total_spent", "total_spent", FieldType::Number),
    b("last_open_at", "last_open_at", FieldType::Date),
    b("last_click_at", "last_click_at", FieldType::Date),
    b("subscribed_at", "subscribed_at", FieldType::Date),
    b("first_seen_at", "first_seen_at", FieldType::Date),
    b("updated_at", "updated_at", FieldType::Date),
    b(
        "created_at",
        "coalesce(subscribed_at, first_seen_at)",
        FieldType::Date,
    ),
    b("id", "id", FieldType::Number),
];

/// The values `contacts.status` can take (the schema's CHECK constraint).
pub const STATUSES: [&str; 6] = [
    "subscribed",
    "unsubscribed",
    "cleaned",
    "bounced",
    "complained",
    "pending",
];

/// The names of the built-in fields, for completion and suggestions.
pub fn builtin_field_names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.name)
}

/// The event types of the `events` table, in the image's order.
pub const EVENT_TYPES: [&str; 8] = [
    "open",
    "click",
    "bounce",
    "unsubscribe",
    "complaint",
    "purchase",
    "page_view",
    "cart_add",
];

/// Where a field's values live in the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Text(usize),
    Num(usize),
}

/// A field a rule can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// As written in the workspace (custom fields keep their spelling).
    pub name: String,
    pub ty: FieldType,
    pub column: Column,
    pub custom: bool,
}

/// Dictionary-encoded text: `codes[contact]` indexes `dict`; code 0 is the empty value.
#[derive(Debug, Default)]
pub struct TextColumn {
    pub codes: Vec<u32>,
    pub dict: Dict,
}

/// Distinct normalised values stored back to back in one buffer, so scanning a million
/// emails for `ends_with` reads memory in order instead of chasing a million allocations.
#[derive(Debug)]
pub struct Dict {
    bytes: String,
    /// End offset of each entry in `bytes`; entry 0 is the empty value.
    ends: Vec<usize>,
}

impl Default for Dict {
    fn default() -> Self {
        Dict {
            bytes: String::new(),
            ends: vec![0],
        }
    }
}

impl Dict {
    /// Entry `code` ("" when out of range).
    pub fn get(&self, code: usize) -> &str {
        let start = code
            .checked_sub(1)
            .and_then(|i| self.ends.get(i))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(code).copied().unwrap_or(start);
        self.bytes.get(start..end).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// Every entry, code order (the empty value first).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    fn push(&mut self, value: &str) -> u32 {
        self.bytes.push_str(value);
        self.ends.push(self.bytes.len());
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }
}

/// Builds a [`TextColumn`], giving each distinct normalised value one code.
struct Encoder {
    column: TextColumn,
    /// Fx hashing: SipHash's DoS resistance buys nothing for a private lookup table and
    /// cost a tenth of the image load at a million contacts.
    index: FxHashMap<String, u32>,
    /// Reused for normalising, so most values cost no allocation.
    buf: String,
}

impl Encoder {
    fn new(n: usize) -> Self {
        Encoder {
            column: TextColumn {
                codes: vec![0; n],
                dict: Dict::default(),
            },
            index: FxHashMap::default(),
            buf: String::new(),
        }
    }

    fn code(&mut self, raw: &str) -> u32 {
        normalize_into(raw, &mut self.buf);
        if self.buf.is_empty() {
            return 0;
        }
        if let Some(&code) = self.index.get(self.buf.as_str()) {
            return code;
        }
        let code = self.column.dict.push(&self.buf);
        self.index.insert(self.buf.clone(), code);
        code
    }
}

/// The events of one type, grouped by contact: contact `i`'s events are
/// `times[offsets[i]..offsets[i + 1]]`, sorted by time.
#[derive(Debug, Default)]
pub struct EventColumn {
    pub offsets: Vec<u32>,
    pub times: Vec<u32>,
    /// Purchase amounts, parallel to `times` (purchases only).
    pub amounts: Vec<f64>,
    /// URL codes into [`Image::urls`], parallel to `times` (page views only).
    pub urls: Vec<u32>,
}

impl EventColumn {
    /// Contact `i`'s slice bounds.
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.offsets.get(i).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(i + 1).copied().unwrap_or(0) as usize;
        start..end
    }
}

/// The read-only image of one workspace state.
#[derive(Debug, Default)]
pub struct Image {
    /// Contact ids, ascending; a contact's position is its index in every column.
    pub ids: Vec<i64>,
    pub text: Vec<TextColumn>,
    pub num: Vec<Vec<f64>>,
    /// Fields by lower-cased name.
    pub builtin_fields: HashMap<String, FieldInfo>,
    pub custom_fields: HashMap<String, FieldInfo>,
    /// Tag names as written, and for each the sorted contact indices carrying it.
    pub tag_names: Vec<String>,
    pub tag_members: Vec<Vec<u32>>,
    /// Tag index by lower-cased name.
    pub tag_index: HashMap<String, usize>,
    /// One column per [`EVENT_TYPES`] entry.
    pub events: Vec<EventColumn>,
    /// Normalised page-view URLs (code 0: none).
    pub urls: Dict,
    /// The newest maintenance-log id when the image was read: the workspace generation.
    pub generation: i64,
}

/// Trimmed, NFC, lower-cased: the form text comparisons use.
pub fn normalize(raw: &str) -> String {
    let mut out = String::new();
    normalize_into(raw, &mut out);
    out
}

/// [`normalize`] into a reused buffer; ASCII text (most of a contact list) skips the
/// Unicode passes, which would leave it unchanged anyway.
fn normalize_into(raw: &str, out: &mut String) {
    out.clear();
    let trimmed = raw.trim();
    if trimmed.is_ascii() {
        out.extend(trimmed.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(trimmed.nfc().flat_map(char::to_lowercase));
    }
}

/// The log kind of a membership refresh, which changes no data rules read.
pub const REFRESH_KIND: &str = "segment_refresh";

/// The log kind of an export, which reads but changes nothing.
pub const EXPORT_KIND: &str = "export";

/// The newest maintenance-log id other than membership refreshes and exports (which change
/// no data rules read): every change writes one log entry, so this moves exactly when the
/// data rules read may have changed.
pub fn generation(conn: &Connection) -> rusqlite::Result<i64> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id FROM maintenance_log WHERE kind NOT IN (?1, ?2) ORDER BY id DESC LIMIT 1",
            [REFRESH_KIND, EXPORT_KIND],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// A cell as text, borrowed from SQLite's buffer when it is text already.
fn as_text(value: ValueRef<'_>) -> Option<Cow<'_, str>> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(Cow::Owned(i.to_string())),
        ValueRef::Real(f) => Some(Cow::Owned(f.to_string())),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t)),
    }
}

fn as_num(value: ValueRef<'_>) -> f64 {
    match value {
        ValueRef::Integer(i) => i as f64,
        ValueRef::Real(f) => f,
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(f64::NAN),
        ValueRef::Null | ValueRef::Blob(_) => f64::NAN,
    }
}

/// Seconds clamped into the `u32` range event times are stored in.
fn to_u32_time(ts: i64) -> u32 {
    u32::try_from(ts.max(0)).unwrap_or(u32::MAX)
}

/// Maps contact ids (live or merged away) to image positions: a dense table over the id
/// range (ids are mostly consecutive), merged-away ids resolved to their survivor.
struct IdMap {
    first: i64,
    slots: Vec<u32>,
}

impl IdMap {
    const NONE: u32 = u32::MAX;

    fn new(ids: &[i64], merged: &HashMap<i64, i64>) -> Self {
        let first = ids.iter().chain(merged.keys()).copied().min().unwrap_or(0);
        let last = ids.iter().chain(merged.keys()).copied().max().unwrap_or(-1);
        let span = usize::try_from(last.saturating_sub(first).saturating_add(1)).unwrap_or(0);
        let mut map = IdMap {
            first,
            slots: vec![Self::NONE; span],
        };
        for (i, &id) in ids.iter().enumerate() {
            if let (Some(slot), Ok(i)) = (map.slot(id), u32::try_from(i)) {
                map.slots[slot] = i;
            }
        }
        for &id in merged.keys() {
            // Follow merge chains; a bounded walk guards against a corrupt cycle.
            let mut target = id;
            let mut found = None;
            for _ in 0..64 {
                match merged.get(&target) {
                    Some(&next) => target = next,
                    None => {
                        found = map.get(target);
                        break;
                    }
                }
            }
            if let (Some(slot), Some(i)) = (map.slot(id), found) {
                map.slots[slot] = i;
            }
        }
        map
    }

    fn slot(&self, id: i64) -> Option<usize> {
        usize::try_from(id.checked_sub(self.first)?)
            .ok()
            .filter(|&s| s < self.slots.len())
    }

    fn get(&self, id: i64) -> Option<u32> {
        self.slot(id)
            .and_then(|s| self.slots.get(s))
            .copied()
            .filter(|&i| i != Self::NONE)
    }

    fn index(&self, id: i64) -> Option<usize> {
        self.get(id).map(|i| i as usize)
    }
}

/// Which parts of the workspace an image holds. Reading 20M events takes most of a load, so
/// a one-off count reads only what its rules use; a partial image answers exactly the rules
/// its scope was made from (other fields read as empty), [`Scope::all`] answers any rule.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    all: bool,
    /// Lower-cased field names, built-in or custom.
    fields: HashSet<String>,
    /// `events.type` values.
    events: HashSet<&'static str>,
    tags: bool,
}

impl Scope {
    /// Everything: what a long-lived image (the TUI's, a refresh) needs.
    pub fn all() -> Self {
        Scope {
            all: true,
            ..Scope::default()
        }
    }

    /// What `rules` read. `in segment` needs everything, as the other rule is unknown here.
    pub fn of<'a>(rules: impl IntoIterator<Item = &'a Expr>) -> Self {
        let mut scope = Scope::default();
        for cond in rules.into_iter().flat_map(Expr::conds) {
            match cond {
                Cond::Compare { field, .. }
                | Cond::In { field, .. }
                | Cond::Text { field, .. }
                | Cond::Empty { field, .. }
                | Cond::When { field, .. }
                | Cond::Within { field, .. } => {
                    scope.fields.insert(field.name.trim().to_lowercase());
                }
                Cond::Tag(_) => scope.tags = true,
                Cond::InSegment(_) => scope.all = true,
                Cond::Did { action, .. } => {
                    scope.events.insert(action.event_type());
                }
                Cond::Spent { .. } => {
                    scope.events.insert("purchase");
                }
            }
        }
        scope
    }

    fn field(&self, name: &str) -> bool {
        self.all || self.fields.contains(&name.to_lowercase())
    }

    fn event(&self, ty: &str) -> bool {
        self.all || self.events.contains(ty)
    }

    fn tags(&self) -> bool {
        self.all || self.tags
    }
}

impl Image {
    /// Reads the whole image from the workspace.
    pub fn load(conn: &Connection) -> Result<Image, SegmentError> {
        Self::load_scoped(conn, &Scope::all())
    }

    /// Reads the parts of the image `scope` names, in one read transaction so it is
    /// consistent.
    pub fn load_scoped(conn: &Connection, scope: &Scope) -> Result<Image, SegmentError> {
        let tx = conn.unchecked_transaction()?;
        let image = Self::read(&tx, scope)?;
        tx.finish()?;
        Ok(image)
    }

    fn read(conn: &Connection, scope: &Scope) -> Result<Image, SegmentError> {
        let generation = generation(conn)?;
        let mut image = Image {
            generation,
            ..Image::default()
        };
        // Columns out of scope are selected as NULL: SQLite skips decoding them.
        let columns: Vec<&str> = BUILTINS
            .iter()
            .map(|b| if scope.field(b.name) { b.sql } else { "NULL" })
            .collect();
        let sql = format!(
            "SELECT id, {} FROM contacts WHERE merged_into IS NULL ORDER BY id",
            columns.join(", ")
        );
        let mut encoders: Vec<Option<Encoder>> = Vec::new();
        let mut nums: Vec<Vec<f64>> = Vec::new();
        for builtin in &BUILTINS {
            let column = if builtin.ty == FieldType::Text {
                encoders.push(Some(Encoder::new(0)));
                Column::Text(encoders.len() - 1)
            } else {
                nums.push(Vec::new());
                Column::Num(nums.len() - 1)
            };
            image.builtin_fields.insert(
                builtin.name.to_string(),
                FieldInfo {
                    name: builtin.name.to_string(),
                    ty: builtin.ty,
                    column,
                    custom: false,
                },
            );
        }
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            image.ids.push(row.get(0)?);
            let (mut t, mut n) = (0, 0);
            for (i, builtin) in BUILTINS.iter().enumerate() {
                let value = row.get_ref(i + 1)?;
                if builtin.ty == FieldType::Text {
                    if let Some(Some(enc)) = encoders.get_mut(t) {
                        let code = as_text(value).map_or(0, |s| enc.code(&s));
                        enc.column.codes.push(code);
                    }
                    t += 1;
                } else {
                    if let Some(col) = nums.get_mut(n) {
                        col.push(as_num(value));
                    }
                    n += 1;
                }
            }
        }
        drop(rows);
        drop(stmt);
        image.text = encoders.into_iter().flatten().map(|e| e.column).collect();
        image.num = nums;

        let mut merged = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT id, merged_into FROM contacts WHERE merged_into IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            merged.insert(row.get::<_, i64>(0)?, row.get::<_, i64>(1)?);
        }
        drop(rows);
        drop(stmt);
        let map = IdMap::new(&image.ids, &merged);
        image.read_custom(conn, &map, scope)?;
        image.read_tags(conn, &map, scope)?;
        image.read_events(conn, &map, scope)?;
        Ok(image)
    }

    fn read_custom(
        &mut self,
        conn: &Connection,
        map: &IdMap,
        scope: &Scope,
    ) -> Result<(), SegmentError> {
        let n = self.ids.len();
        let mut fields: HashMap<i64, Column> = HashMap::new();
        let mut encoders: Vec<Encoder> = Vec::new();
        let mut stmt = conn.prepare("SELECT id, name, type FROM custom_fields ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (id, name, ty): (i64, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
            let ty = match ty.as_str() {
                "number" => FieldType::Number,
                "date" => FieldType::Date,
                "boolean" => FieldType::Boolean,
                _ => FieldType::Text,
            };
            let column = if ty == FieldType::Text {
                encoders.push(Encoder::new(n));
                Column::Text(self.text.len() + encoders.len() - 1)
            } else {
                self.num.push(vec![f64::NAN; n]);
                Column::Num(self.num.len() - 1)
            };
            if scope.field(&name) {
                fields.insert(id, column);
            }
            self.custom_fields.insert(
                name.to_lowercase(),
                FieldInfo {
                    name,
                    ty,
                    column,
                    custom: true,
                },
            );
        }
        drop(rows);
        drop(stmt);
        let base = self.text.len();
        if fields.is_empty() {
            self.text.extend(encoders.into_iter().map(|e| e.column));
            return Ok(());
        }
        let mut stmt =
            conn.prepare("SELECT contact_id, field_id, value, num FROM contact_custom_values")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (Some(i), Some(column)) =
                (map.index(row.get(0)?), fields.get(&row.get::<_, i64>(1)?))
            else {
                continue;
            };
            match *column {
                Column::Text(c) => {
                    if let Some(enc) = encoders.get_mut(c - base) {
                        let code = as_text(row.get_ref(2)?).map_or(0, |s| enc.code(&s));
                        enc.column.codes[i] = code;
                    }
                }
                Column::Num(c) => {
                    let value = match row.get_ref(3)? {
                        ValueRef::Null => as_num(row.get_ref(2)?),
                        v => as_num(v),
                    };
                    if let Some(cell) = self.num.get_mut(c).and_then(|col| col.get_mut(i)) {
                        *cell = value;
                    }
                }
            }
        }
        self.text.extend(encoders.into_iter().map(|e| e.column));
        Ok(())
    }

    fn read_tags(
        &mut self,
        conn: &Connection,
        map: &IdMap,
        scope: &Scope,
    ) -> Result<(), SegmentError> {
        let mut by_id: HashMap<i64, usize> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, name FROM tags ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            by_id.insert(row.get(0)?, self.tag_names.len());
            self.tag_index
                .insert(name.to_lowercase(), self.tag_names.len());
            self.tag_names.push(name);
            self.tag_members.push(Vec::new());
        }
        drop(rows);
        drop(stmt);
        if !scope.tags() {
            return Ok(());
        }
        let mut stmt = conn.prepare("SELECT contact_id, tag_id FROM contact_tags")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (Some(i), Some(&t)) = (map.index(row.get(0)?), by_id.get(&row.get::<_, i64>(1)?))
            else {
                continue;
            };
            if let (Some(list), Ok(i)) = (self.tag_members.get_mut(t), u32::try_from(i)) {
                list.push(i);
            }
        }
        for list in &mut self.tag_members {
            list.sort_unstable();
            list.dedup();
        }
        Ok(())
    }

    fn read_events(
        &mut self,
        conn: &Connection,
        map: &IdMap,
        scope: &Scope,
    ) -> Result<(), SegmentError> {
        let n = self.ids.len();
        // Gathered per type as parallel (contact, time[, extra]) lists, then grouped by
        // contact with a counting sort (linear) and each contact's short run sorted by time.
        let mut raw: Vec<RawEvents> = (0..EVENT_TYPES.len())
            .map(|_| RawEvents::default())
            .collect();
        let mut urls = Encoder::new(0);
        let wanted: Vec<&str> = EVENT_TYPES
            .iter()
            .copied()
            .filter(|t| scope.event(t))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let placeholders = vec!["?"; wanted.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT contact_id, type, occurred_at, url, amount FROM events WHERE type IN ({placeholders})"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(&wanted))?;
        while let Some(row) = rows.next()? {
            let Some(i) = map.index(row.get(0)?).and_then(|i| u32::try_from(i).ok()) else {
                continue;
            };
            let ty = match row.get_ref(1)? {
                ValueRef::Text(t) => EVENT_TYPES.iter().position(|e| e.as_bytes() == t),
                _ => None,
            };
            let (Some(ty), Some(list)) = (ty, ty.and_then(|t| raw.get_mut(t))) else {
                continue;
            };
            list.contacts.push(i);
            list.times.push(to_u32_time(row.get(2)?));
            match EVENT_TYPES[ty] {
                "purchase" => list.extras.push(match row.get_ref(4)? {
                    ValueRef::Null => 0.0,
                    v => as_num(v),
                }),
                "page_view" => {
                    let code = as_text(row.get_ref(3)?).map_or(0, |u| urls.code(&u));
                    list.extras.push(f64::from(code));
                }
                _ => {}
            }
        }
        drop(rows);
        drop(stmt);
        self.urls = urls.column.dict;
        self.events = raw
            .into_iter()
            .enumerate()
            .map(|(ty, list)| list.group(n, EVENT_TYPES[ty]))
            .collect();
        Ok(())
    }

    /// Whether the workspace is still in the state this image was read from; a TUI polls
    /// this (after `PRAGMA data_version` moves) and rebuilds the image when it is not.
    pub fn is_current(&self, conn: &Connection) -> rusqlite::Result<bool> {
        Ok(generation(conn)? == self.generation)
    }

    /// Number of live contacts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Looks a field up: a quoted name prefers a custom field, a bare one a built-in.
    pub fn field(&self, name: &str, quoted: bool) -> Option<&FieldInfo> {
        let key = name.trim().to_lowercase();
        let (first, second) = if quoted {
            (&self.custom_fields, &self.builtin_fields)
        } else {
            (&self.builtin_fields, &self.custom_fields)
        };
        first.get(&key).or_else(|| second.get(&key))
    }

    /// Every field name, built-in then custom, for completion and suggestions.
    pub fn field_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = builtin_field_names().collect();
        names.extend(self.custom_fields.values().map(|f| f.name.as_str()));
        names
    }

    /// The most common values of a text field with their counts, most common first.
    pub fn top_values(&self, field: &FieldInfo, limit: usize) -> Vec<(String, usize)> {
        let Column::Text(c) = field.column else {
            return Vec::new();
        };
        let Some(col) = self.text.get(c) else {
            return Vec::new();
        };
        let mut counts = vec![0usize; col.dict.len()];
        for &code in &col.codes {
            if let Some(n) = counts.get_mut(code as usize) {
                *n += 1;
            }
        }
        let mut pairs: Vec<(String, usize)> = col
            .dict
            .iter()
            .zip(counts)
            .skip(1)
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| (v.to_string(), n))
            .collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        pairs.truncate(limit);
        pairs
    }
}

/// One event type's events as read, before grouping.
#[derive(Default)]
struct RawEvents {
    contacts: Vec<u32>,
    times: Vec<u32>,
    /// Amount (purchases) or URL code (page views), parallel to `times`; empty otherwise.
    extras: Vec<f64>,
}

impl RawEvents {
    /// Groups the events by contact into an [`EventColumn`].
    fn group(self, n: usize, ty: &str) -> EventColumn {
        let mut offsets = vec![0u32; n + 1];
        for &i in &self.contacts {
            if let Some(o) = offsets.get_mut(i as usize + 1) {
                *o += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor: Vec<u32> = offsets[..n].to_vec();
        let with_extra = !self.extras.is_empty();
        let mut times = vec![0u32; self.times.len()];
        let mut extras = vec![0f64; self.extras.len()];
        for (k, &i) in self.contacts.iter().enumerate() {
            let Some(pos) = cursor.get_mut(i as usize) else {
                continue;
            };
            let p = *pos as usize;
            *pos += 1;
            times[p] = self.times[k];
            if with_extra {
                extras[p] = self.extras[k];
            }
        }
        drop(self);
        for i in 0..n {
            let run = offsets[i] as usize..offsets[i + 1] as usize;
            if run.len() < 2 {
                continue;
            }
            if with_extra {
                let mut pairs: Vec<(u32, f64)> = times[run.clone()]
                    .iter()
                    .copied()
                    .zip(extras[run.clone()].iter().copied())
                    .collect();
                pairs.sort_unstable_by_key(|e| e.0);
                for (j, (t, x)) in pairs.into_iter().enumerate() {
                    times[run.start + j] = t;
                    extras[run.start + j] = x;
                }
            } else {
                times[run].sort_unstable();
            }
        }
        let (amounts, urls) = match ty {
            "purchase" => (extras, Vec::new()),
            // URL codes were stored exactly as f64 (integers below 2^32).
            "page_view" => (Vec::new(), extras.iter().map(|&e| e as u32).collect()),
            _ => (Vec::new(), Vec::new()),
        };
        EventColumn {
            offsets,
            times,
            amounts,
            urls,
        }
    }
}
