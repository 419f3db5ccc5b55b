//! Upserting contact rows: find the contact a row describes, then insert it or record what
//! changed, field by field.
//!
//! Matching (in order): the platform's external id (`ext:<preset>:<id>`; without one the
//! row's email as written), then the normalised email — but only onto a contact that is not
//! already described by another row of this same file (two rows of one export are two
//! records; the duplicate review decides whether they are one person) — and, for rows with
//! neither id nor email, a fingerprint of their identifying fields. A key that points at a
//! merged-away contact lands on its survivor.
//!
//! Updates never blank a value: an empty cell means "this export does not say", not "erase"
//! (exports from different platforms carry different columns). Status only ever becomes more
//! restrictive on import: files are not necessarily imported in the order they were
//! exported, so an older "subscribed" export must never undo an unsubscribe. Lifting a
//! status is a deliberate, logged action.

use super::insert::{RowWrite, RowsInsert};
use super::presets::Field;
use super::row::{col, Col, ContactRow, Plan, CONTACT_COLUMNS, IDENTIFYING};
use super::{ImportError, Rejection, RowStream, Summary, WriteContext};
use crate::text::status::Status;
use crate::workspace::indexes::{set_aside, SetAside};
use crate::workspace::{keys, row_hash, writeback};
use fixedbitset::FixedBitSet;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, OptionalExtension};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::LazyLock;

pub(super) fn write(
    ctx: &WriteContext<'_>,
    plan: &Plan,
    stream: RowStream<'_>,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    let last_id_before: i64 =
        ctx.tx
            .query_row("SELECT coalesce(max(id), 0) FROM contacts", [], |r| {
                r.get(0)
            })?;
    let stored_kinds = StoredKinds::load(ctx)?;
    let ids = plan.has(Field::ExternalId);
    // The highest id stands in for the number of contacts (ids only grow, and a count
    // would read the whole table on every import).
    let known = Known::load(ctx, stream.is_bulk_for(last_id_before), ids)?;
    let mut two_pass = (stream.dwarfs(last_id_before) && known.is_loaded())
        .then(|| TwoPass::begin(ctx, plan, stream.path))
        .transpose()?;
    // In a first pass the filter is the reading thread's, handed back for the second.
    let (known, mut sorter) = if two_pass.is_some() {
        let sorter = Sorter {
            known,
            kinds: stored_kinds,
            preset: ctx.preset,
        };
        (Known::absent(ids), Some(sorter))
    } else {
        (known, None)
    };
    let mut state = State {
        statements: Statements::prepare(ctx)?,
        last_id_before,
        touched: FixedBitSet::new(),
        stored_kinds,
        known,
        tag_ids: FxHashMap::default(),
        custom: CustomFields::default(),
    };
    // Checked per row only when someone was ever forgotten, so imports pay nothing else.
    let any_erased: bool =
        ctx.tx
            .query_row("SELECT EXISTS (SELECT 1 FROM audit_erased)", [], |r| {
                r.get(0)
            })?;
    let preset = ctx.preset;
    let prepare = |row_number: u64, record: &csv::ByteRecord| {
        let mut prepared = plan
            .contact(row_number, record)
            .map(|row| Prepared::new(preset, row))
            .map_err(|rejection| rejection.keeping(record));
        if let (Some(sorter), Ok(prepared)) = (&mut sorter, &mut prepared) {
            sorter.sort(prepared);
        }
        prepared
    };
    let cancel = stream.cancel;
    stream.for_each(prepare, |row_number, record, prepared| {
        summary.rows_read += 1;
        let prepared = match prepared {
            Ok(prepared) => prepared,
            Err(rejection) => {
                summary.rejected.push(rejection.clone());
                return Ok(());
            }
        };
        if any_erased {
            if let Some(norm) = prepared.row.email_norm.as_deref() {
                if crate::audit::is_erased(ctx.tx, norm)? {
                    summary.rejected.push(Rejection::new(
                        row_number,
                        None,
                        "this person asked to be forgotten; not imported",
                    ));
                    return Ok(());
                }
            }
        }
        for &(column, expected) in &prepared.row.unread {
            let name = plan.headers.get(column).map_or("", String::as_str);
            summary.note_unread(name, expected, row_number);
        }
        if let Some(two_pass) = &mut two_pass {
            if !prepared.surely_new {
                return two_pass.put_aside(ctx, row_number, record, prepared);
            }
        }
        summary.count(upsert(ctx, plan, &mut state, row_number, prepared)?);
        Ok(())
    })?;
    state.statements.insert_tags.write_gathered()?;
    if let Some(sorter) = sorter {
        state.known = sorter.known;
    }
    if let Some(two_pass) = two_pass {
        // The disk has nothing to do meanwhile: the pages written so far go out.
        writeback::during(ctx.tx, || {
            two_pass.finish(ctx, plan, &mut state, summary, cancel)
        })?;
    }
    summary.new_custom_fields = state.custom.finish(ctx.tx, plan)?;
    Ok(())
}

impl Summary {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New => self.rows_new += 1,
            Outcome::Updated => self.rows_updated += 1,
            Outcome::Unchanged => self.rows_unchanged += 1,
        }
    }
}

/// A file that dwarfs the list — a first import, nearly always — is written in two
/// passes. The first writes every row that surely describes no contact yet (the filter of
/// known keys says so) with the contacts' and source records' indexes set aside
/// ([`indexes_kept`] says which stay): those rows need no look-up, and a million index
/// entries are far cheaper sorted once than inserted one by one. Every other row — a
/// repeat within the file, a contact already there, a false "maybe" — is put aside in
/// file order: the first megabyte of them as the reading thread prepared them, the
/// rest in a temporary table as read (prepared again when their turn comes), so that
/// memory does not grow with the file. Then the indexes that find contacts are rebuilt and
/// the second pass writes the rows put aside, looking each up as usual.
///
/// The outcome is that of writing row by row: a row put aside adds its keys to the
/// filter, so any later row sharing one is put aside too; the first pass never meets a
/// row that an earlier one describes, and the rows put aside keep their order (every row
/// kept comes before every row in the table).
struct TwoPass<'a> {
    /// The contacts' and source records' indexes, which the second pass looks rows up by.
    lookups: SetAside,
    /// The first rows put aside, ready to write: preparing a row again is a fifth of
    /// writing it in the second pass, and the table's round trip another twentieth.
    kept: Vec<(u64, Prepared)>,
    /// The size of the rows kept, as read (their prepared form takes about ten times as
    /// much: a few dozen allocations each).
    kept_bytes: usize,
    /// The file, for errors.
    path: &'a Path,
}

/// How much of the rows put aside is kept prepared, as read: 1 MB, about 10 MB in memory.
/// A million contacts with the usual repeats put aside ~5,000 rows, about as much. Unit
/// tests keep the first few rows only, so that their files of a few dozen rows go both
/// ways.
const KEPT_BYTES: usize = if cfg!(test) { 100 } else { 1 << 20 };

impl<'a> TwoPass<'a> {
    fn begin(ctx: &WriteContext<'_>, plan: &Plan, path: &'a Path) -> rusqlite::Result<TwoPass<'a>> {
        ctx.tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS rows_put_aside
                 (row_number INTEGER PRIMARY KEY, record BLOB NOT NULL);
             DELETE FROM temp.rows_put_aside;",
        )?;
        Ok(TwoPass {
            lookups: set_aside(ctx.tx, &["contacts", "source_records"], indexes_kept(plan))?,
            kept: Vec::new(),
            kept_bytes: 0,
            path,
        })
    }

    /// Keeps a row for the second pass (its keys joined the filter on the reading thread,
    /// [`Sorter::sort`]): prepared while the rows kept are under [`KEPT_BYTES`], and from
    /// then on its cells exactly as read ([`pack`]).
    fn put_aside(
        &mut self,
        ctx: &WriteContext<'_>,
        row_number: u64,
        record: &csv::ByteRecord,
        prepared: &Prepared,
    ) -> Result<(), ImportError> {
        if self.kept_bytes < KEPT_BYTES {
            self.kept_bytes += record.as_slice().len();
            self.kept.push((row_number, prepared.clone()));
            return Ok(());
        }
        let packed = pack(record)
            .ok_or_else(|| put_aside_failed(self.path, row_number, "a cell of 4 GiB or more"))?;
        ctx.tx
            .prepare_cached("INSERT INTO temp.rows_put_aside (row_number, record) VALUES (?1, ?2)")?
            .execute(params![row_number, packed])?;
        Ok(())
    }

    /// Rebuilds the indexes and writes the rows put aside, in file order.
    fn finish(
        self,
        ctx: &WriteContext<'_>,
        plan: &Plan,
        state: &mut State<'_>,
        summary: &mut Summary,
        cancel: &AtomicBool,
    ) -> Result<(), ImportError> {
        self.lookups.rebuild(ctx.tx)?;
        let unless_cancelled = || {
            if cancel.load(Ordering::Relaxed) {
                return Err(ImportError::Cancelled {
                    path: self.path.to_path_buf(),
                });
            }
            Ok(())
        };
        for (row_number, prepared) in &self.kept {
            unless_cancelled()?;
            summary.count(upsert(ctx, plan, state, *row_number, prepared)?);
        }
        let mut stmt = ctx
            .tx
            .prepare("SELECT row_number, record FROM temp.rows_put_aside ORDER BY row_number")?;
        let mut rows = stmt.query([])?;
        let mut record = csv::ByteRecord::new();
        while let Some(r) = rows.next()? {
            unless_cancelled()?;
            let row_number: u64 = r.get(0)?;
            let packed = r.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
            unpack(packed, &mut record).ok_or_else(|| {
                put_aside_failed(self.path, row_number, "the kept row is cut short")
            })?;
            match plan.contact(row_number, &record) {
                Ok(row) => {
                    let prepared = Prepared::new(ctx.preset, row);
                    summary.count(upsert(ctx, plan, state, row_number, &prepared)?);
                }
                Err(rejection) => summary.rejected.push(rejection),
            }
        }
        // The table is read to the end; its statement must be done before it is dropped.
        drop(rows);
        drop(stmt);
        ctx.tx.execute_batch("DROP TABLE temp.rows_put_aside")?;
        state.statements.insert_tags.write_gathered()?;
        Ok(())
    }
}

/// The indexes that stay in place through a first pass, because keeping them costs less
/// than a rebuild, which reads the whole table and sorts it: those it adds nothing to
/// (only merged-away contacts are in `contacts_merged`; only contacts with a platform id of
/// their own, not their address standing in for one, in `contacts_external_id`) and
/// `source_records_contact`, ordered by contact first, which it only appends to (new
/// contacts' ids only grow).
fn indexes_kept(plan: &Plan) -> &'static [&'static str] {
    if plan.has(Field::ExternalId) {
        &["contacts_merged", "source_records_contact"]
    } else {
        &[
            "contacts_merged",
            "contacts_external_id",
            "source_records_contact",
        ]
    }
}

/// A record as kept for the second pass: each cell as its length (4 bytes, little-endian)
/// and then its bytes. A line of CSV would need a CSV writer and reader built for every
/// row kept, which cost more than the rest of the second pass. `None` for a cell too long
/// to say in 4 bytes.
fn pack(record: &csv::ByteRecord) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(record.as_slice().len() + 4 * record.len());
    for cell in record {
        out.extend_from_slice(&u32::try_from(cell.len()).ok()?.to_le_bytes());
        out.extend_from_slice(cell);
    }
    Some(out)
}

/// Reads back into `record` what [`pack`] wrote; `None` if `packed` ends inside a cell.
fn unpack(mut packed: &[u8], record: &mut csv::ByteRecord) -> Option<()> {
    record.clear();
    while let Some((len, rest)) = packed.split_first_chunk::<4>() {
        let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
        record.push_field(rest.get(..len)?);
        packed = &rest[len..];
    }
    packed.is_empty().then_some(())
}

/// A row that could not be kept for the second pass or read back from it (which would be
/// a fault of this program, not of the file); the import fails and changes nothing.
fn put_aside_failed(path: &Path, row: u64, error: impl std::fmt::Display) -> ImportError {
    ImportError::Csv {
        path: path.to_path_buf(),
        row,
        message: format!("cannot keep the row for a second pass: {error}"),
    }
}

/// A contact row with what the reading thread can work out ahead of the writer: the hash
/// of its raw values (an identical row for the same contact is not stored twice), its
/// fingerprints and, in a first pass, whether it is surely new.
#[derive(Clone)]
struct Prepared {
    row: ContactRow,
    row_hash: [u8; 8],
    fingerprints: Fingerprints,
    /// No contact has any of its keys, so it is written without a look-up (set by
    /// [`Sorter::sort`] in a first pass; otherwise `false`).
    surely_new: bool,
}

impl Prepared {
    fn new(preset: &str, row: ContactRow) -> Prepared {
        let row_hash = row_hash::of(row.raw_json.as_bytes());
        let fingerprints = Fingerprints::of(preset, &row);
        Prepared {
            row,
            row_hash,
            fingerprints,
            surely_new: false,
        }
    }
}

/// The first pass's filter of known keys, on the reading thread: it marks a row that
/// shares no key with a contact there before or with an earlier row as surely new, and
/// adds the row's keys. The writing thread did this per row before, where each probe was
/// a cache miss on the busier thread. The outcome is the same: every row adds the keys a
/// written row would (its id or address, and its fingerprint, which a new contact's row
/// stores), and a row put aside adds them too.
struct Sorter {
    known: Known,
    kinds: StoredKinds,
    preset: &'static str,
}

impl Sorter {
    fn sort(&mut self, prepared: &mut Prepared) {
        prepared.surely_new = !self.may_be_known(prepared);
        self.known.add_row(self.preset, &prepared.row);
        if let Some(fp) = &prepared.fingerprints.now {
            self.known.add_key(fp);
            // Written as a new contact, the row stores its fingerprint.
            self.kinds.fingerprints |= prepared.surely_new;
        }
    }

    /// Whether a row may describe a contact that exists (or that an earlier row of this
    /// file made): whether any look-up [`find`] would make might find something.
    fn may_be_known(&self, prepared: &Prepared) -> bool {
        let (row, known, preset) = (&prepared.row, &self.known, self.preset);
        let may_have = |key: &Option<String>| key.as_deref().is_some_and(|k| known.may_have_key(k));
        let named = || may_have(&ext_key(preset, row)) || may_have(&email_key(row));
        let fp = &prepared.fingerprints;
        row.email_norm
            .as_deref()
            .is_some_and(|norm| known.may_have_address(norm))
            || row
                .external_id
                .as_deref()
                .is_some_and(|id| known.may_have_id(preset, id))
            || (self.kinds.named && named())
            || (self.kinds.fingerprints && (may_have(&fp.now) || may_have(&fp.before)))
    }
}

impl super::Handover for Prepared {
    const BATCH_ROWS: usize = 128;

    fn warm(&self) {
        let row = &self.row;
        let texts = row.values.iter().filter_map(|(_, v)| match v {
            Value::Text(t) => Some(t.as_bytes()),
            _ => None,
        });
        super::touch(
            [&row.email, &row.email_norm, &row.external_id]
                .into_iter()
                .filter_map(|t| t.as_deref().map(str::as_bytes))
                .chain(texts)
                .chain(row.tags.iter().map(|t| t.as_bytes()))
                .chain(row.custom.iter().map(|(_, v)| v.as_bytes()))
                .chain([row.raw_json.as_bytes()]),
        );
    }
}

/// The statements every row runs, prepared once for the file: taking them from rusqlite's
/// statement cache and handing them back (a lookup by SQL text and a re-insertion each
/// time) cost more than some of the inserts themselves.
struct Statements<'tx> {
    insert_contact: RowWrite<'tx>,
    /// Sets a contact's changed columns (bound) and keeps the others (bound NULL, which
    /// no change is): one statement for any set of changes, where one made for each set
    /// was prepared again nearly every time (a duplicate row changes a dozen fields of
    /// twenty in no set order), a quarter of updating the contact.
    update_contact: RowWrite<'tx>,
    insert_source: RowWrite<'tx>,
    insert_tags: ContactTags<'tx>,
    insert_changes: RowsInsert<'tx>,
}

impl<'tx> Statements<'tx> {
    fn prepare(ctx: &WriteContext<'tx>) -> rusqlite::Result<Statements<'tx>> {
        let columns = CONTACT_COLUMNS.join(", ");
        // The address stands in for a missing normalised address or platform id (see
        // `insert_contact`).
        let email = col!("email").index() + 1;
        let or_email = [col!("email_norm").index() + 1, CONTACT_COLUMNS.len() + 1];
        let placeholders = (1..=CONTACT_COLUMNS.len() + 2)
            .map(|i| {
                if or_email.contains(&i) {
                    format!("coalesce(?{i}, ?{email})")
                } else {
                    format!("?{i}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let (preset, now) = (
            ValueRef::Text(ctx.preset.as_bytes()),
            ValueRef::Integer(ctx.now),
        );
        Ok(Statements {
            insert_contact: RowWrite::new(
                ctx.tx.prepare(&format!(
                    "INSERT INTO contacts ({columns}, external_id, status, status_source, source, first_seen_at, updated_at)
                     VALUES ({placeholders}, ?100, ?100, ?101, ?101)"
                ))?,
                &[(100, preset), (101, now)],
            )?,
            update_contact: RowWrite::new(
                ctx.tx.prepare(&format!(
                    "UPDATE contacts SET {}, updated_at = ?100 WHERE id = ?1",
                    CONTACT_COLUMNS
                        .iter()
                        .chain(&["status", "status_source"])
                        .enumerate()
                        .map(|(i, c)| format!("{c} = coalesce(?{}, {c})", i + 2))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))?,
                &[(100, ValueRef::Integer(ctx.now))],
            )?,
            insert_source: RowWrite::new(
                ctx.tx.prepare(
                    "INSERT INTO source_records (import_id, contact_id, row_number, external_id, raw, row_hash)
                     VALUES (?100, ?1, ?2, ?3, ?4, ?5)",
                )?,
                &[(100, ValueRef::Integer(ctx.import_id))],
            )?,
            insert_tags: ContactTags::new(ctx.tx),
            insert_changes: RowsInsert::new(
                ctx.tx,
                "INSERT INTO field_changes (log_id, contact_id, field, old_value, new_value)",
                (2, 3),
                16,
            ),
        })
    }
}

enum Outcome {
    New,
    Updated,
    Unchanged,
}

struct State<'tx> {
    statements: Statements<'tx>,
    /// The highest contact id before this import: every id above it was made, and so
    /// described, by this file.
    last_id_before: i64,
    /// Contacts that existed before this file and that it has already described, by id
    /// (a bit each: the set stays small however long the file).
    touched: FixedBitSet,
    stored_kinds: StoredKinds,
    known: Known,
    /// Tag ids by the names as rows write them.
    tag_ids: FxHashMap<String, i64>,
    custom: CustomFields,
}

impl State<'_> {
    fn touched(&self, id: i64) -> bool {
        id > self.last_id_before || self.touched.contains(id as usize)
    }

    fn touch(&mut self, id: i64) {
        if id <= self.last_id_before && id >= 0 {
            self.touched.grow(id as usize + 1);
            self.touched.insert(id as usize);
        }
    }

    /// The contact `key` was stored for, when keys of its kind are stored (`any`; the
    /// key is only made then) and it may be this one.
    fn stored(
        &self,
        ctx: &WriteContext<'_>,
        any: bool,
        key: impl FnOnce() -> Option<String>,
    ) -> rusqlite::Result<Option<i64>> {
        if !any {
            return Ok(None);
        }
        match key().filter(|key| self.known.may_have_key(key)) {
            Some(key) => keys::stored(ctx.tx, &key),
            None => Ok(None),
        }
    }

    /// Records that the row's keys name `contact_id` where its row does not say so (see
    /// [`keys`]): for a contact this row created that is its fingerprint; for one found
    /// again, also an id or address it did not have, so that it finds it next time.
    fn record(
        &mut self,
        ctx: &WriteContext<'_>,
        prepared: &Prepared,
        contact_id: i64,
        created: bool,
    ) -> rusqlite::Result<()> {
        let fp = prepared.fingerprints.now.clone();
        let record = if created {
            [fp, None, None]
        } else {
            let row = &prepared.row;
            [ext_key(ctx.preset, row), email_key(row), fp]
        };
        for key in record.iter().flatten() {
            if keys::store(ctx.tx, key, contact_id)? {
                self.known.add_key(key);
                self.stored_kinds.note(key);
            }
        }
        Ok(())
    }
}

/// Which kinds of key `contact_keys` holds (see [`keys`]): a kind it holds none of is
/// not looked up, and its keys are not even made. Most lists have a few rows with neither
/// id nor email, whose fingerprints are stored; that must not cost every other row two
/// look-ups of its id and address keys.
#[derive(Debug, Clone, Copy)]
struct StoredKinds {
    /// `ext:` and `email:` keys.
    named: bool,
    /// `fp:` keys.
    fingerprints: bool,
}

impl StoredKinds {
    fn load(ctx: &WriteContext<'_>) -> rusqlite::Result<StoredKinds> {
        ctx.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM contact_keys WHERE key < 'fp:' OR key >= 'fp;'),
                    EXISTS (SELECT 1 FROM contact_keys WHERE key >= 'fp:' AND key < 'fp;')",
            [],
            |r| {
                Ok(StoredKinds {
                    named: r.get(0)?,
                    fingerprints: r.get(1)?,
                })
            },
        )
    }

    /// Notes that `key` is stored now.
    fn note(&mut self, key: &str) {
        if key.starts_with("fp:") {
            self.fingerprints = true;
        } else {
            self.named = true;
        }
    }
}

/// The addresses, platform ids and stored keys contacts may have, for a file large against
/// the list: a row whose address and id are surely new — nearly every row of a first
/// import — skips the index lookups that would find nothing. A Bloom filter of fixed size,
/// so memory does not grow with the file: a longer one only turns more answers into
/// "maybe", each costing the lookup it would have made anyway. For a small file the lookups
/// are made (loading every contact's keys would cost more).
///
/// The filter is split into blocks of one cache line, each key setting and testing bits of
/// one block only: probing a filter of megabytes costs about one cache miss, where a classic
/// Bloom filter's bits for a key are scattered over as many lines as it has hashes (that
/// had made the filter a tenth of the writer's time).
struct Known {
    filter: Option<sbbf_rs_safe::Filter>,
    /// Whether platform ids are kept: only a file with an id column asks for them, and
    /// each key costs a cache miss when added.
    ids: bool,
}

/// What a hash in [`Known`] stands for, so that an address, an id and a stored key that are
/// the same text are still different entries.
#[derive(Clone, Copy)]
enum KnownKind {
    Address = 1,
    Id = 2,
    Key = 3,
}

impl Known {
    /// 8 MB at 32 bits per key: at a million contacts, two keys each, false "maybe"s are
    /// rare (well under one answer in 10,000), and they grow only slowly past that.
    const BITS_PER_KEY: usize = 32;
    const KEYS: usize = (1 << 26) / Self::BITS_PER_KEY;

    fn load(ctx: &WriteContext<'_>, large_file: bool, ids: bool) -> rusqlite::Result<Known> {
        if !large_file {
            return Ok(Known::absent(ids));
        }
        let mut known = Known::empty(ids);
        let mut stmt = ctx
            .tx
            .prepare("SELECT source, external_id, email_norm FROM contacts")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            known.add(
                row.get_ref(0)?.as_str()?,
                row.get_ref(1)?.as_str_or_null()?,
                row.get_ref(2)?.as_str_or_null()?,
            );
        }
        let mut stmt = ctx.tx.prepare("SELECT key FROM contact_keys")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            known.add_key(row.get_ref(0)?.as_str()?);
        }
        Ok(known)
    }

    /// No filter: every answer is "maybe".
    fn absent(ids: bool) -> Known {
        Known { filter: None, ids }
    }

    /// A filter with nothing in it yet.
    fn empty(ids: bool) -> Known {
        Known {
            filter: Some(sbbf_rs_safe::Filter::new(Self::BITS_PER_KEY, Self::KEYS)),
            ids,
        }
    }

    /// The filter's hash of `text` (with `scope`, the preset of an id) as a `kind`.
    fn hash(kind: KnownKind, scope: &str, text: &str) -> u64 {
        use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};
        xxh3_64_with_seed(text.as_bytes(), xxh3_64(scope.as_bytes()) ^ kind as u64)
    }

    fn insert(&mut self, kind: KnownKind, scope: &str, text: &str) {
        if let Some(filter) = &mut self.filter {
            filter.insert_hash(Self::hash(kind, scope, text));
        }
    }

    fn may_have(&self, kind: KnownKind, scope: &str, text: &str) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| f.contains_hash(Self::hash(kind, scope, text)))
    }

    fn add_key(&mut self, key: &str) {
        self.insert(KnownKind::Key, "", key);
    }

    fn may_have_key(&self, key: &str) -> bool {
        self.may_have(KnownKind::Key, "", key)
    }

    fn add(&mut self, preset: &str, external_id: Option<&str>, email_norm: Option<&str>) {
        if let Some(id) = external_id.filter(|_| self.ids) {
            self.insert(KnownKind::Id, preset, id);
        }
        if let Some(norm) = email_norm {
            self.insert(KnownKind::Address, "", norm);
        }
    }

    /// Adds the id (the email as written standing in for a missing one) and address a
    /// contact made from `row` carries.
    fn add_row(&mut self, preset: &str, row: &ContactRow) {
        let external_id = row.external_id.as_deref().or(row.email.as_deref());
        self.add(preset, external_id, row.email_norm.as_deref());
    }

    fn may_have_address(&self, norm: &str) -> bool {
        self.may_have(KnownKind::Address, "", norm)
    }

    /// Always "maybe" when ids are not kept.
    fn may_have_id(&self, preset: &str, id: &str) -> bool {
        !self.ids || self.may_have(KnownKind::Id, preset, id)
    }

    /// Whether there is a filter: without one, every answer is "maybe".
    fn is_loaded(&self) -> bool {
        self.filter.is_some()
    }
}

/// A row's `ext:` key (see [`keys`]): its platform id, the email as written standing in
/// for a missing one.
fn ext_key(preset: &str, row: &ContactRow) -> Option<String> {
    row.external_id
        .as_deref()
        .or(row.email.as_deref())
        .map(|id| format!("ext:{preset}:{id}"))
}

/// A row's `email:` key.
fn email_key(row: &ContactRow) -> Option<String> {
    row.email_norm.as_ref().map(|e| format!("email:{e}"))
}

/// The keys of a row with neither id nor email (see [`keys`]).
#[derive(Default, Clone)]
struct Fingerprints {
    /// A fingerprint of the identifying fields.
    now: Option<String>,
    /// The fingerprint as made before street and city were part of it, where that
    /// differs: it finds a contact an earlier import made from this person's row.
    before: Option<String>,
}

impl Fingerprints {
    fn of(preset: &str, row: &ContactRow) -> Fingerprints {
        if row.external_id.is_some() || row.email.is_some() {
            return Fingerprints::default();
        }
        let now = fingerprint(preset, row, IDENTIFYING);
        let before = fingerprint(preset, row, FINGERPRINT_BEFORE);
        Fingerprints {
            before: (before != now).then_some(before),
            now: Some(now),
        }
    }
}

/// The contact a row describes, if one exists: the one its `ext:` key names; else the one
/// its address names, unless this file described that one already (two rows of one export
/// are two records); else the one its fingerprint names. Not followed to survivors yet.
fn find(
    ctx: &WriteContext<'_>,
    state: &State,
    row: &ContactRow,
    fingerprints: &Fingerprints,
) -> rusqlite::Result<Option<i64>> {
    let at_address = match row.email_norm.as_deref() {
        Some(norm) if state.known.may_have_address(norm) => keys::with_address(ctx.tx, norm)?,
        _ => Vec::new(),
    };
    let ext_in_row = match row.external_id.as_deref() {
        Some(id) if !state.known.may_have_id(ctx.preset, id) => None,
        Some(id) => keys::by_external_id(ctx.tx, Some(ctx.preset), id)?
            .first()
            .copied(),
        None => at_address
            .iter()
            .find(|c| c.source == ctx.preset && c.external_id == row.email)
            .map(|c| c.id),
    };
    if let Some(id) = keys::older(
        ext_in_row,
        state.stored(ctx, state.stored_kinds.named, || ext_key(ctx.preset, row))?,
    ) {
        return Ok(Some(id));
    }
    let by_address = keys::older(
        at_address.first().map(|c| c.id),
        state.stored(ctx, state.stored_kinds.named, || email_key(row))?,
    );
    if let Some(id) = by_address.filter(|&id| !state.touched(id)) {
        return Ok(Some(id));
    }
    let fingerprinted = state.stored_kinds.fingerprints;
    if let Some(id) = state.stored(ctx, fingerprinted, || fingerprints.now.clone())? {
        return Ok(Some(id));
    }
    Ok(state
        .stored(ctx, fingerprinted, || fingerprints.before.clone())?
        .filter(|&id| !state.touched(id)))
}

fn upsert(
    ctx: &WriteContext<'_>,
    plan: &Plan,
    state: &mut State,
    row_number: u64,
    prepared: &Prepared,
) -> Result<Outcome, ImportError> {
    let Prepared {
        row,
        row_hash,
        fingerprints,
        surely_new,
    } = prepared;
    let found = if *surely_new {
        None
    } else {
        match find(ctx, state, row, fingerprints)? {
            Some(id) => keys::survivor(ctx.tx, id)?,
            None => None,
        }
    };
    let (contact_id, outcome) = match found {
        None => (
            insert_contact(ctx, &mut state.statements.insert_contact, row)?,
            Outcome::New,
        ),
        Some(id) => {
            if has_source(ctx, id, row_hash)? {
                state.touch(id);
                return Ok(Outcome::Unchanged);
            }
            let changed = update_contact(
                ctx,
                &mut state.statements.update_contact,
                &mut state.statements.insert_changes,
                id,
                row,
                &mut state.stored_kinds.named,
            )?;
            (
                id,
                if changed {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                },
            )
        }
    };
    let is_new = matches!(outcome, Outcome::New);
    state.touch(contact_id);
    state.known.add_row(ctx.preset, row);
    state.record(ctx, prepared, contact_id, is_new)?;
    let row_number = i64::try_from(row_number)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    state.statements.insert_source.run(&[
        ValueRef::Integer(contact_id),
        ValueRef::Integer(row_number),
        text_ref(row.external_id.as_deref()),
        ValueRef::Text(row.raw_json.as_bytes()),
        ValueRef::Blob(&row_hash[..]),
    ])?;
    let tags_added = add_tags(ctx, state, contact_id, &row.tags, is_new)?;
    let custom_changed = state.custom.write(
        ctx,
        &mut state.statements.insert_changes,
        plan,
        contact_id,
        &row.custom,
        is_new,
    )?;
    Ok(match outcome {
        Outcome::Unchanged if tags_added || custom_changed => Outcome::Updated,
        other => other,
    })
}

fn has_source(
    ctx: &WriteContext<'_>,
    contact_id: i64,
    row_hash: &[u8; 8],
) -> rusqlite::Result<bool> {
    ctx.tx
        .prepare_cached(
            "SELECT 1 FROM source_records WHERE contact_id = ?1 AND row_hash = ?2 LIMIT 1",
        )?
        .exists(params![contact_id, &row_hash[..]])
}

/// The fields fingerprints were made of before street and city joined them
/// ([`IDENTIFYING`]): a row that gained a street since an earlier import, or a workspace
/// from before, still finds its contact — one an earlier import made and this one has not
/// claimed yet, so two rows of one file never fold together this way.
const FINGERPRINT_BEFORE: &[&str] = &[
    "first_name",
    "last_name",
    "phone",
    "company",
    "postcode",
    "date_of_birth",
];

/// A stable key for rows with neither id nor email, from the given identifying fields.
fn fingerprint(preset: &str, row: &ContactRow, fields: &[&str]) -> String {
    let mut parts: Vec<String> = row
        .values
        .iter()
        .filter(|(c, _)| fields.contains(&c.name()))
        .map(|(c, v)| format!("{}={}", c.name(), value_text(v).to_lowercase()))
        .collect();
    parts.sort();
    format!(
        "fp:{preset}:{}",
        blake3::hash(parts.join("\u{1f}").as_bytes()).to_hex()
    )
}

/// Inserts a new contact with `insert` ([`Statements::insert_contact`]).
fn insert_contact(
    ctx: &WriteContext<'_>,
    insert: &mut RowWrite<'_>,
    row: &ContactRow,
) -> rusqlite::Result<i64> {
    const N: usize = CONTACT_COLUMNS.len();
    // Row values are numbered below the per-file ones (?100).
    const { assert!(N + 2 < 100) };
    let mut values = [ValueRef::Null; N + 2];
    values[col!("email").index()] = text_ref(row.email.as_deref());
    // Most addresses are written in lower case already, and most files have no platform
    // id: then the statement takes the address for both (`coalesce`), rather than
    // binding — copying — the same text three times.
    if row.email_norm != row.email {
        values[col!("email_norm").index()] = text_ref(row.email_norm.as_deref());
    }
    for (column, value) in &row.values {
        values[column.index()] = value.into();
    }
    let status = row.status.unwrap_or(Status::Subscribed);
    values[N] = text_ref(row.external_id.as_deref());
    values[N + 1] = ValueRef::Text(status.as_str().as_bytes());
    insert.run(&values)?;
    Ok(ctx.tx.last_insert_rowid())
}

fn text_ref(text: Option<&str>) -> ValueRef<'_> {
    text.map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes()))
}

/// Applies the row's non-empty values that differ, recording each change. Returns whether
/// anything changed; sets `stored_keys` when a change of address stored the old one's.
fn update_contact(
    ctx: &WriteContext<'_>,
    update: &mut RowWrite<'_>,
    changes_log: &mut RowsInsert<'_>,
    id: i64,
    row: &ContactRow,
    stored_keys: &mut bool,
) -> rusqlite::Result<bool> {
    static SELECT: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {}, status FROM contacts WHERE id = ?1",
            CONTACT_COLUMNS.join(", ")
        )
    });
    let (current, status) = ctx.tx.prepare_cached(&SELECT)?.query_row([id], |r| {
        let values = (0..CONTACT_COLUMNS.len())
            .map(|i| r.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let n = CONTACT_COLUMNS.len();
        Ok((values, r.get::<_, String>(n)?))
    })?;
    let mut incoming: Vec<(Col, Value)> = row.values.clone();
    if let (Some(email), Some(norm)) = (&row.email, &row.email_norm) {
        // A contact found by id may carry another address now; a contact found by email
        // keeps the address it has (case differences are not changes).
        if current[1] != Value::Text(norm.clone()) {
            // The address it had, and the id it stood in for, keep finding it.
            *stored_keys |= !keys::keep_row_keys(ctx.tx, id)?.is_empty();
            incoming.push((col!("email"), Value::Text(email.clone())));
            incoming.push((col!("email_norm"), Value::Text(norm.clone())));
        }
    }
    // Each change with its place among the update's values: the contact columns, then
    // status and where it came from (see `Statements::update_contact`).
    const N: usize = CONTACT_COLUMNS.len();
    const { assert!(N + 3 < 100) };
    let mut changes: Vec<(usize, &str, Value, Value)> = incoming
        .into_iter()
        .filter_map(|(column, new)| {
            let old = &current[column.index()];
            (*old != new).then(|| (column.index(), column.name(), old.clone(), new))
        })
        .collect();
    if let Some(new_status) = row.status {
        let old = Status::parse(&status).unwrap_or(Status::Subscribed);
        if new_status.restrictiveness() > old.restrictiveness() {
            changes.push((
                N,
                "status",
                Value::Text(status),
                Value::Text(new_status.as_str().to_string()),
            ));
            changes.push((
                N + 1,
                "status_source",
                Value::Null,
                Value::Text(ctx.preset.to_string()),
            ));
        }
    }
    if changes.is_empty() {
        return Ok(false);
    }
    let mut values = [ValueRef::Null; N + 3];
    values[0] = ValueRef::Integer(id);
    for (slot, _, _, new) in &changes {
        values[slot + 1] = new.into();
    }
    update.run(&values)?;
    let texts: Vec<(&str, String, String)> = changes
        .iter()
        .filter(|(_, column, _, _)| *column != "status_source" && *column != "email_norm")
        .map(|(_, column, old, new)| (*column, value_text(old), value_text(new)))
        .collect();
    let recorded: Vec<_> = texts
        .iter()
        .map(|(column, old, new)| (*column, Some(old.as_str()), Some(new.as_str())))
        .collect();
    record_changes(ctx, changes_log, id, &recorded)?;
    Ok(true)
}

/// Records what this import changed on `contact_id`: (field, old value, new value) each.
fn record_changes(
    ctx: &WriteContext<'_>,
    changes_log: &mut RowsInsert<'_>,
    contact_id: i64,
    changes: &[(&str, Option<&str>, Option<&str>)],
) -> rusqlite::Result<()> {
    let rows: Vec<ValueRef<'_>> = changes
        .iter()
        .flat_map(|&(field, old, new)| {
            [
                ValueRef::Text(field.as_bytes()),
                text_ref(old),
                text_ref(new),
            ]
        })
        .collect();
    let entry = [ValueRef::Integer(ctx.log_id), ValueRef::Integer(contact_id)];
    changes_log.run(&entry, &rows)?;
    Ok(())
}

/// A stored value as text, for the change record.
fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => format!("{} bytes", b.len()),
    }
}

/// Adds the row's tags (never removes: an export that omits a tag does not say it was
/// removed). Returns whether an existing contact gained a tag.
fn add_tags(
    ctx: &WriteContext<'_>,
    state: &mut State,
    contact_id: i64,
    tags: &[String],
    is_new: bool,
) -> rusqlite::Result<bool> {
    let ids = tags
        .iter()
        .map(|tag| tag_id(ctx, &mut state.tag_ids, tag))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let statements = &mut state.statements;
    if is_new {
        // Nothing to record for a new contact.
        statements.insert_tags.gather(contact_id, &ids)?;
        return Ok(false);
    }
    let mut added = false;
    for (tag, id) in tags.iter().zip(ids) {
        if statements.insert_tags.add(contact_id, id)? {
            let change = ("tags", None, Some(tag.as_str()));
            record_changes(ctx, &mut statements.insert_changes, contact_id, &[change])?;
            added = true;
        }
    }
    Ok(added)
}

/// The id of the tag a row names, made the first time it is seen.
fn tag_id(
    ctx: &WriteContext<'_>,
    known: &mut FxHashMap<String, i64>,
    tag: &str,
) -> rusqlite::Result<i64> {
    if let Some(&id) = known.get(tag) {
        return Ok(id);
    }
    ctx.tx
        .prepare_cached("INSERT OR IGNORE INTO tags (name) VALUES (?1)")?
        .execute([tag])?;
    let id: i64 = ctx
        .tx
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([tag], |r| r.get(0))?;
    known.insert(tag.to_string(), id);
    Ok(id)
}

/// The inserts of contacts' tags. A new contact's are gathered and go in
/// [`ContactTags::GATHERED`] at a time, across contacts: a run of the statement costs about
/// as much as a few of these narrow rows, and most contacts have one or two tags. An
/// existing contact's go in one by one, each telling whether the contact lacked it; that
/// is the only read of tags while rows are written, and it writes out what is gathered
/// first.
struct ContactTags<'tx> {
    insert: RowsInsert<'tx>,
    /// Contact and tag ids of the tags not written yet, one after the other.
    gathered: Vec<ValueRef<'static>>,
}

impl<'tx> ContactTags<'tx> {
    const GATHERED: usize = 64;

    fn new(tx: &'tx rusqlite::Transaction<'tx>) -> ContactTags<'tx> {
        ContactTags {
            insert: RowsInsert::new(
                tx,
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)",
                (0, 2),
                Self::GATHERED,
            ),
            gathered: Vec::new(),
        }
    }

    /// Adds the tags of a contact this import created.
    fn gather(&mut self, contact_id: i64, tag_ids: &[i64]) -> rusqlite::Result<()> {
        for &tag in tag_ids {
            let pair = [ValueRef::Integer(contact_id), ValueRef::Integer(tag)];
            self.gathered.extend(pair);
        }
        let full = 2 * Self::GATHERED;
        while self.gathered.len() >= full {
            self.insert.run(&[], &self.gathered[..full])?;
            self.gathered.drain(..full);
        }
        Ok(())
    }

    /// Writes out every gathered tag: before the rows written are read (or their indexes
    /// rebuilt).
    fn write_gathered(&mut self) -> rusqlite::Result<()> {
        self.insert.run(&[], &self.gathered)?;
        self.gathered.clear();
        Ok(())
    }

    /// Adds a tag to an existing contact; whether the contact lacked it.
    fn add(&mut self, contact_id: i64, tag_id: i64) -> rusqlite::Result<bool> {
        self.write_gathered()?;
        let pair = [ValueRef::Integer(contact_id), ValueRef::Integer(tag_id)];
        Ok(self.insert.run(&[], &pair)? > 0)
    }
}

/// Custom fields seen in this import: their ids and what their values look like, so the
/// field can be typed (number, date, boolean, text) once every value has been seen.
#[derive(Default)]
struct CustomFields {
    /// header index → (field id, whether the field was created by this import)
    ids: HashMap<usize, (i64, bool)>,
    shapes: HashMap<usize, super::custom::Shape>,
}

impl CustomFields {
    /// The field a column feeds: its header, or `Name (2)` for a repeated one.
    fn name(plan: &Plan, column: usize) -> String {
        match &plan.columns[column] {
            super::presets::Column::Custom(name) => name.clone(),
            super::presets::Column::Known(_) => plan.headers[column].clone(),
        }
    }

    fn id(&mut self, ctx: &WriteContext<'_>, plan: &Plan, column: usize) -> rusqlite::Result<i64> {
        if let Some(&(id, _)) = self.ids.get(&column) {
            return Ok(id);
        }
        let name = Self::name(plan, column);
        let existing: Option<i64> = ctx
            .tx
            .prepare_cached("SELECT id FROM custom_fields WHERE name = ?1")?
            .query_row([&name], |r| r.get(0))
            .optional()?;
        let (id, created) = match existing {
            Some(id) => (id, false),
            None => {
                ctx.tx
                    .prepare_cached("INSERT INTO custom_fields (name, type) VALUES (?1, 'text')")?
                    .execute([&name])?;
                (ctx.tx.last_insert_rowid(), true)
            }
        };
        self.ids.insert(column, (id, created));
        Ok(id)
    }

    fn write(
        &mut self,
        ctx: &WriteContext<'_>,
        changes_log: &mut RowsInsert<'_>,
        plan: &Plan,
        contact_id: i64,
        values: &[(usize, String)],
        is_new: bool,
    ) -> rusqlite::Result<bool> {
        let mut changed = false;
        for (column, value) in values {
            let field_id = self.id(ctx, plan, *column)?;
            self.shapes.entry(*column).or_default().observe(value);
            let old: Option<String> = if is_new {
                None
            } else {
                ctx.tx
                    .prepare_cached("SELECT value FROM contact_custom_values WHERE contact_id = ?1 AND field_id = ?2")?
                    .query_row(params![contact_id, field_id], |r| r.get(0))
                    .optional()?
            };
            if old.as_deref() == Some(value.as_str()) {
                continue;
            }
            ctx.tx
                .prepare_cached(
                    "INSERT INTO contact_custom_values (contact_id, field_id, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value",
                )?
                .execute(params![contact_id, field_id, value])?;
            if !is_new {
                let change = (
                    plan.headers[*column].as_str(),
                    old.as_deref(),
                    Some(value.as_str()),
                );
                record_changes(ctx, changes_log, contact_id, &[change])?;
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Settles each field's type from every value seen (across imports) and fills `num`.
    /// Returns the fields this import created, with their types.
    fn finish(
        self,
        tx: &rusqlite::Transaction<'_>,
        plan: &Plan,
    ) -> rusqlite::Result<Vec<(String, String)>> {
        let mut created = Vec::new();
        for (column, (field_id, is_created)) in self.ids {
            let seen = self.shapes.get(&column).map(|s| s.kind()).unwrap_or("text");
            let old: String = tx.query_row(
                "SELECT type FROM custom_fields WHERE id = ?1",
                [field_id],
                |r| r.get(0),
            )?;
            let settled = if is_created {
                seen
            } else {
                super::custom::join(&old, seen)
            };
            tx.execute(
                "UPDATE custom_fields SET type = ?2 WHERE id = ?1",
                params![field_id, settled],
            )?;
            super::custom::fill_numbers(tx, field_id, settled)?;
            if is_created {
                created.push((Self::name(plan, column), settled.to_string()));
            }
        }
        created.sort();
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A row kept for the second pass comes back cell for cell: empty cells,
        /// delimiters, quotes, line breaks and bytes that are not UTF-8 included.
        #[test]
        fn a_packed_record_unpacks_to_the_same_cells(
            cells in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..12)
        ) {
            let record = csv::ByteRecord::from(cells.clone());
            let packed = pack(&record).unwrap();
            let mut back = csv::ByteRecord::new();
            prop_assert!(unpack(&packed, &mut back).is_some());
            prop_assert_eq!(back.iter().map(<[u8]>::to_vec).collect::<Vec<_>>(), cells);
        }
    }

    /// The filter never forgets what it was told (a "no" would skip a look-up that finds
    /// a contact), and what it was not told is nearly always a "no".
    #[test]
    fn the_filter_of_known_keys_has_no_false_noes_and_few_false_maybes() {
        let mut known = Known::empty(true);
        for i in 0..20_000 {
            known.add(
                "hubspot",
                Some(&format!("id{i}")),
                Some(&format!("p{i}@x.test")),
            );
            known.add_key(&format!("fp:hubspot:{i}"));
        }
        for i in 0..20_000 {
            assert!(known.may_have_id("hubspot", &format!("id{i}")));
            assert!(known.may_have_address(&format!("p{i}@x.test")));
            assert!(known.may_have_key(&format!("fp:hubspot:{i}")));
        }
        let false_maybes = (0..20_000)
            .filter(|i| {
                known.may_have_id("mailchimp", &format!("id{i}"))
                    || known.may_have_id("hubspot", &format!("p{i}@x.test"))
                    || known.may_have_address(&format!("q{i}@x.test"))
                    || known.may_have_key(&format!("id{i}"))
            })
            .count();
        assert!(false_maybes < 10, "{false_maybes} false maybes");
        let without_ids = Known::empty(false);
        assert!(without_ids.may_have_id("hubspot", "id1"));
        assert!(!without_ids.may_have_address("p1@x.test"));
    }

    #[test]
    fn a_packed_record_cut_short_is_refused() {
        let packed = pack(&csv::ByteRecord::from(vec!["anna@example.com", "Anna"])).unwrap();
        let mut back = csv::ByteRecord::new();
        // 4 + 16 bytes hold the first cell whole; every other cut ends inside a cell.
        for end in (1..packed.len()).filter(|&end| end != 20) {
            assert!(unpack(&packed[..end], &mut back).is_none(), "cut at {end}");
        }
    }
}
