//! Importing platform exports: contacts (upserted, field-level changes recorded) and events.
//!
//! One file is one `BEGIN IMMEDIATE` transaction and one log entry: a broken file, a
//! cancelled import or a killed process leaves the workspace exactly as it was. Every row
//! read is stored verbatim as a source record, so nothing an export said is ever lost.
//! A file whose bytes were imported before is skipped without a write.

pub mod archive;
mod contacts;
mod custom;
mod events;
mod insert;
pub mod presets;
mod row;
mod source;

pub use source::{decode_field, SourceInfo};

use crate::workspace::{append_log, LogEntry, Workspace, WorkspaceError};
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Longest value accepted in one cell; longer ones reject the row rather than bloat the
/// workspace with what is almost certainly a broken file.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// How often (in rows) progress is reported and the cancel flag checked.
const PROGRESS_EVERY: u64 = 4096;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Contacts,
    Events,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contacts => "contacts",
            Kind::Events => "events",
        }
    }
}

/// How to import a file.
#[derive(Debug, Clone)]
pub struct Options {
    pub kind: Kind,
    /// A preset name (`mailchimp`, `hubspot`, ...); detected from the header when `None`.
    pub preset: Option<String>,
    /// What the file is called in the summary, errors and the log when that is not its
    /// path: `export.zip/cleaned.csv` for an entry unpacked from an archive.
    pub name: Option<PathBuf>,
}

/// Reported while an import runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub rows: u64,
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// One row that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Spreadsheet row number: the header is row 1.
    pub row: u64,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub reason: String,
    /// The row's cells as read, kept in `rejected_rows` so nothing in the file is lost
    /// (empty for people who asked to be forgotten). Not part of the printed summary.
    #[serde(skip)]
    pub raw: Vec<String>,
}

impl Rejection {
    /// A rejection of row `row` for `reason`, pointing at `column` when one is at fault.
    pub fn new(row: u64, column: Option<String>, reason: impl Into<String>) -> Rejection {
        Rejection {
            row,
            column,
            reason: reason.into(),
            raw: Vec::new(),
        }
    }

    /// The same rejection, carrying the row's cells.
    fn keeping(mut self, record: &csv::ByteRecord) -> Rejection {
        self.raw = record
            .iter()
            .map(|f| decode_field(f).into_owned())
            .collect();
        self
    }
}

/// The outcome of importing one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub path: PathBuf,
    pub kind: Kind,
    pub preset: String,
    pub encoding: String,
    /// The `imports` row, `None` when the same content had been imported before.
    pub import_id: Option<i64>,
    /// The earlier import with the same bytes, when this one was skipped.
    pub already_imported_as: Option<i64>,
    pub rows_read: u64,
    pub rows_new: u64,
    pub rows_updated: u64,
    pub rows_unchanged: u64,
    pub rejected: Vec<Rejection>,
    /// Custom fields created by this import, with their inferred types.
    pub new_custom_fields: Vec<(String, String)>,
    /// Known columns with values that could not be read, one entry per column.
    pub unread: Vec<Unread>,
}

/// Values of one column the import could not read as the field's type: the contacts go
/// without them; their source rows keep them as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    pub column: String,
    /// "a date", "a number"...
    pub expected: &'static str,
    pub count: u64,
    /// The first such row (spreadsheet numbering, header = 1).
    pub first_row: u64,
}

impl Summary {
    /// Counts one unread value of `column` in row `row`.
    fn note_unread(&mut self, column: &str, expected: &'static str, row: u64) {
        match self.unread.iter_mut().find(|u| u.column == column) {
            Some(u) => u.count += 1,
            None => self.unread.push(Unread {
                column: column.to_string(),
                expected,
                count: 1,
                first_row: row,
            }),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = archive::short_name(&self.path);
        if let Some(previous) = self.already_imported_as {
            return write!(
                f,
                "{name}: same content as import #{previous}, nothing changed"
            );
        }
        write!(
            f,
            "{name} ({} {}): {} read, {} new, {} updated, {} unchanged, {} rejected",
            self.preset,
            self.kind.as_str(),
            self.rows_read,
            self.rows_new,
            self.rows_updated,
            self.rows_unchanged,
            self.rejected.len()
        )?;
        let unread: u64 = self.unread.iter().map(|u| u.count).sum();
        if unread > 0 {
            let noun = if unread == 1 { "value" } else { "values" };
            write!(f, ", {unread} {noun} not read")?;
        }
        Ok(())
    }
}

/// Why a file could not be imported. The workspace is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}", path = path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the file is empty", path = path.display())]
    Empty { path: PathBuf },
    #[error("{path}: not a text file (binary data in the first bytes); expected a CSV export", path = path.display())]
    NotText { path: PathBuf },
    #[error("{path}: row {row}: {message}", path = path.display())]
    Csv {
        path: PathBuf,
        row: u64,
        message: String,
    },
    #[error("{path}: unknown preset `{name}`; known: {known}", path = path.display())]
    UnknownPreset {
        path: PathBuf,
        name: String,
        known: String,
    },
    #[error("{path}: no column identifies a {what} (found columns: {headers}); expected {expected}", path = path.display())]
    NoIdentity {
        path: PathBuf,
        what: &'static str,
        headers: String,
        expected: &'static str,
    },
    #[error("{path}: this is an events export, not contacts; import it as events (`:import-events` in the TUI, `--events` for import and watch); its columns: {headers}", path = path.display())]
    EventsAsContacts { path: PathBuf, headers: String },
    #[error("{path}: import cancelled; nothing was changed", path = path.display())]
    Cancelled { path: PathBuf },
    #[error("{path}: {message}", path = path.display())]
    Archive { path: PathBuf, message: String },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{path}: {source}", path = path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

impl ImportError {
    /// The error with `name` as the file it is about (an SQLite error arrives without one).
    fn renamed(mut self, name: &Path) -> Self {
        match &mut self {
            ImportError::Read { path, .. }
            | ImportError::Empty { path }
            | ImportError::NotText { path }
            | ImportError::Csv { path, .. }
            | ImportError::UnknownPreset { path, .. }
            | ImportError::NoIdentity { path, .. }
            | ImportError::EventsAsContacts { path, .. }
            | ImportError::Cancelled { path }
            | ImportError::Archive { path, .. }
            | ImportError::Sqlite { path, .. } => *path = name.to_path_buf(),
            ImportError::Workspace(_) => {}
        }
        self
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(source: rusqlite::Error) -> Self {
        ImportError::Sqlite {
            path: PathBuf::new(),
            source,
        }
    }
}

/// Imports one file in one transaction.
pub fn import_file(
    ws: &mut Workspace,
    path: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Summary, ImportError> {
    let name = options.name.as_deref().unwrap_or(path);
    import_named(ws, path, name, options, progress, cancel).map_err(|e| e.renamed(name))
}

/// [`import_file`] of the file at `path`, which goes by `name`.
fn import_named(
    ws: &mut Workspace,
    path: &Path,
    name: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Summary, ImportError> {
    let info = source::inspect(path)?;
    let (mut reader, content_hash) = source::reader(path, &info)?;
    let headers = read_headers(&mut reader, path)?;
    let preset = match &options.preset {
        Some(name) => presets::by_name(name).ok_or_else(|| ImportError::UnknownPreset {
            path: path.to_path_buf(),
            name: name.clone(),
            known: presets::all()
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", "),
        })?,
        None => presets::detect(&headers),
    };
    let mut summary = Summary {
        path: name.to_path_buf(),
        kind: options.kind,
        preset: preset.name.to_string(),
        encoding: info.encoding.to_string(),
        import_id: None,
        already_imported_as: None,
        rows_read: 0,
        rows_new: 0,
        rows_updated: 0,
        rows_unchanged: 0,
        rejected: Vec::new(),
        new_custom_fields: Vec::new(),
        unread: Vec::new(),
    };
    if let Some(previous) = previous_import(ws, path, &headers, options.kind)? {
        summary.already_imported_as = Some(previous);
        return Ok(summary);
    }
    let plan = row::Plan::new(preset, &headers);
    plan.check_identity(options.kind, path, &headers)?;
    let user = ws.user().to_string();
    let now = ws.clock().now_ts();
    let stream = RowStream {
        reader: &mut reader,
        path,
        bytes_total: info.bytes_total,
        lines_estimate: info.lines_estimate,
        progress,
        cancel,
    };
    ws.write_bulk(|tx| {
        let import_id = insert_import(
            tx,
            name,
            &info,
            preset.name,
            options.kind,
            &headers,
            &user,
            now,
        )?;
        let log_id = append_log(tx, &user, now, &LogEntry::new("import", ""))?;
        summary.import_id = Some(import_id);
        let ctx = WriteContext {
            tx,
            import_id,
            log_id,
            now,
            preset: preset.name,
        };
        match options.kind {
            Kind::Contacts => contacts::write(&ctx, &plan, stream, &mut summary)?,
            Kind::Events => events::write(&ctx, &plan, stream, &mut summary)?,
        }
        finish_import(tx, import_id, log_id, &summary, now, &content_hash.hex())?;
        Ok::<_, ImportError>(())
    })?;
    Ok(summary)
}

/// What every writer needs: the open transaction and the ids this import hangs off.
struct WriteContext<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    import_id: i64,
    log_id: i64,
    now: i64,
    preset: &'static str,
}

/// The data rows of a file, with progress reporting and cancellation.
struct RowStream<'a> {
    reader: &'a mut csv::Reader<Box<dyn std::io::Read + Send>>,
    path: &'a Path,
    bytes_total: u64,
    /// About how many rows the file has (see [`SourceInfo::lines_estimate`]).
    lines_estimate: u64,
    progress: &'a mut dyn FnMut(Progress),
    cancel: &'a AtomicBool,
}

/// Batches in flight between the two threads: enough to keep both busy, little memory
/// (their size is [`Handover::BATCH_ROWS`]).
const BATCHES_IN_FLIGHT: usize = 4;

/// One data row as the reading thread hands it over: its spreadsheet row number, the
/// record as read and what `prepare` made of it.
type Prepared<T> = (u64, csv::ByteRecord, T);

/// What the reading thread sends: a batch of rows and how far into the file it got.
type Batch<T> = Result<(Vec<Prepared<T>>, u64), ImportError>;

impl RowStream<'_> {
    /// Whether this file is large against a table of `rows` rows: about a quarter of its
    /// size or more. Then the table's secondary indexes are cheaper rebuilt once at the end
    /// than updated row by row.
    fn is_bulk_for(&self, rows: i64) -> bool {
        self.lines_estimate.saturating_mul(4) >= rows.max(0) as u64
    }

    /// Whether this file is much larger than a table of `rows` rows (eight times or more):
    /// then nearly every row is new to it.
    fn dwarfs(&self, rows: i64) -> bool {
        self.lines_estimate >= (rows.max(0) as u64).saturating_mul(8)
    }

    /// Runs `prepare(row_number, record)` over every data row on a reading thread and
    /// `write(row_number, record, prepared)` on this one, in file order. Parsing and
    /// normalising (CPU) overlaps with SQLite (the transaction), so an import keeps two
    /// cores busy. Written batches go back to the reading thread to be freed there: freeing
    /// millions of small allocations is work too, and the writing thread is the busier one.
    /// Before writing a row it warms the next ([`Handover::warm`]): at a million contacts,
    /// 7% less time end to end.
    /// Stops with `Cancelled` when the flag is raised, so the caller's transaction rolls
    /// back; an error on either side stops both.
    fn for_each<T: Send + Handover>(
        self,
        mut prepare: impl FnMut(u64, &csv::ByteRecord) -> T + Send,
        mut write: impl FnMut(u64, &csv::ByteRecord, &T) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let RowStream {
            reader,
            path,
            bytes_total,
            progress,
            cancel,
            ..
        } = self;
        let cancelled = || ImportError::Cancelled {
            path: path.to_path_buf(),
        };
        let (tx, rx) = crossbeam_channel::bounded::<Batch<T>>(BATCHES_IN_FLIGHT);
        let (spent_tx, spent_rx) = crossbeam_channel::bounded(BATCHES_IN_FLIGHT);
        let prepare = &mut prepare;
        // `rx` moves into the closure so that an early return hangs up on the reading
        // thread (its next send fails and it ends) before the scope waits for it.
        std::thread::scope(move |scope| {
            scope.spawn(move || read_batches(reader, path, prepare, &tx, &spent_rx));
            let mut rows = 0u64;
            let mut next_report = PROGRESS_EVERY;
            for batch in rx.iter() {
                let (batch, position) = batch?;
                if cancel.load(Ordering::Relaxed) {
                    return Err(cancelled());
                }
                for (i, (row_number, record, prepared)) in batch.iter().enumerate() {
                    if let Some((_, _, next)) = batch.get(i + 1) {
                        next.warm();
                    }
                    write(*row_number, record, prepared)?;
                    rows += 1;
                }
                // Full or gone (the file is read): then it is freed here after all.
                let _ = spent_tx.try_send(batch);
                if rows >= next_report {
                    next_report = rows + PROGRESS_EVERY;
                    progress(Progress {
                        rows,
                        bytes_read: position,
                        bytes_total,
                    });
                }
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            progress(Progress {
                rows,
                bytes_read: bytes_total,
                bytes_total,
            });
            Ok(())
        })
    }
}

/// A prepared row as the reading thread hands it to the writing one.
pub(crate) trait Handover {
    /// Rows per batch. Few rows in flight keep the allocations they are made of in the
    /// cache until they are reused: a contact row is a few dozen, and with 4,096 rows in
    /// flight (8 batches of 512) nearly each allocation of the reading thread was a miss
    /// (`malloc` twice the samples) and a million contacts took 15 MB more at the peak
    /// than with 512 (4 of 128). An event is a few allocations and goes in batches of 512
    /// (with 128, 2% slower).
    const BATCH_ROWS: usize;

    /// What the writing thread does to a prepared row just before it writes the one before
    /// it: reads a byte of each of its values, so that they are on their way into this
    /// core's cache — loads of a row's dozen values, each made on the other core, overlap —
    /// instead of each missing in turn when SQLite copies it.
    fn warm(&self);
}

impl<T: Handover, E> Handover for Result<T, E> {
    const BATCH_ROWS: usize = T::BATCH_ROWS;

    fn warm(&self) {
        if let Ok(row) = self {
            row.warm();
        }
    }
}

/// Reads a byte of each 64-byte line of each of `texts`, so that the lines are in this
/// core's cache when they are used next (a prefetch instruction did no better, and
/// would need `unsafe`).
pub(crate) fn touch<'t>(texts: impl IntoIterator<Item = &'t [u8]>) {
    let mut seen = 0u8;
    for text in texts {
        for &byte in text.iter().step_by(64) {
            seen ^= byte;
        }
    }
    std::hint::black_box(seen);
}

/// The reading side of [`RowStream::for_each`]: reads records, skips blank rows, prepares
/// each and sends them in batches, emptying a written batch from `spent` (if one is back)
/// for each new one. Ends at the end of the file, on a CSV error (sent on), or when the
/// writing side hangs up.
fn read_batches<T: Handover>(
    reader: &mut csv::Reader<Box<dyn std::io::Read + Send>>,
    path: &Path,
    prepare: &mut impl FnMut(u64, &csv::ByteRecord) -> T,
    out: &crossbeam_channel::Sender<Batch<T>>,
    spent: &crossbeam_channel::Receiver<Vec<Prepared<T>>>,
) {
    // Records of written rows are read into again: their buffers are already the size
    // rows of this file need.
    let mut records: Vec<csv::ByteRecord> = Vec::new();
    let empty_batch = |records: &mut Vec<csv::ByteRecord>| match spent.try_recv() {
        Ok(mut written) => {
            records.extend(written.drain(..).map(|(_, record, _)| record));
            written
        }
        Err(_) => Vec::with_capacity(T::BATCH_ROWS),
    };
    let mut row_number = 1u64;
    let mut batch = Vec::with_capacity(T::BATCH_ROWS);
    // A new record is sized like the one before, so reading it rarely reallocates.
    let (mut bytes, mut fields) = (256, 16);
    loop {
        let mut record = records
            .pop()
            .unwrap_or_else(|| csv::ByteRecord::with_capacity(bytes, fields));
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let _ = out.send(Err(ImportError::Csv {
                    path: path.to_path_buf(),
                    row: row_number + 1,
                    message: e.to_string(),
                }));
                return;
            }
        }
        row_number += 1;
        (bytes, fields) = (record.as_slice().len(), record.len());
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let prepared = prepare(row_number, &record);
        batch.push((row_number, record, prepared));
        if batch.len() == T::BATCH_ROWS {
            let full = std::mem::replace(&mut batch, empty_batch(&mut records));
            if out.send(Ok((full, reader.position().byte()))).is_err() {
                return;
            }
        }
    }
    let _ = out.send(Ok((batch, reader.position().byte())));
}

fn read_headers(
    reader: &mut csv::Reader<Box<dyn std::io::Read + Send>>,
    path: &Path,
) -> Result<Vec<String>, ImportError> {
    let mut record = csv::ByteRecord::new();
    let found = reader
        .read_byte_record(&mut record)
        .map_err(|e| ImportError::Csv {
            path: path.to_path_buf(),
            row: 1,
            message: e.to_string(),
        })?;
    if !found {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(record
        .iter()
        .map(|h| crate::text::clean(&decode_field(h)).into_owned())
        .collect())
}

/// The finished import of the same content as `path`, if any. Only a file whose header
/// row an import had before can be one, so only then is the whole file hashed first;
/// otherwise its hash is taken as the rows are read (see [`source::ContentHash`]).
fn previous_import(
    ws: &Workspace,
    path: &Path,
    headers: &[String],
    kind: Kind,
) -> Result<Option<i64>, ImportError> {
    use rusqlite::OptionalExtension;
    let finished = |condition: &str, value: &str| {
        ws.conn()
            .query_row(
                &format!(
                    "SELECT id FROM imports WHERE {condition} = ?1 AND kind = ?2
                        AND finished_at IS NOT NULL ORDER BY id LIMIT 1"
                ),
                rusqlite::params![value, kind.as_str()],
                |r| r.get::<_, i64>(0),
            )
            .optional()
    };
    if finished("headers", &headers_json(headers))?.is_none() {
        return Ok(None);
    }
    Ok(finished("content_hash", &source::content_hash(path)?)?)
}

/// The header row as stored with an import.
fn headers_json(headers: &[String]) -> String {
    serde_json::to_string(headers).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn insert_import(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    info: &SourceInfo,
    preset: &str,
    kind: Kind,
    headers: &[String],
    user: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO imports (path, content_hash, kind, preset, encoding, delimiter, headers,
                              started_at, os_user)
         VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            path.display().to_string(),
            kind.as_str(),
            preset,
            info.encoding,
            (info.delimiter as char).to_string(),
            headers_json(headers),
            now,
            user,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A rejected row's cells as stored: a JSON array, or nothing at all when none were kept
/// (the rows of people who asked to be forgotten).
fn raw_cells(raw: &[String]) -> String {
    if raw.is_empty() {
        return String::new();
    }
    serde_json::to_string(raw).unwrap_or_default()
}

fn finish_import(
    tx: &rusqlite::Transaction<'_>,
    import_id: i64,
    log_id: i64,
    summary: &Summary,
    now: i64,
    content_hash: &str,
) -> rusqlite::Result<()> {
    for r in &summary.rejected {
        tx.execute(
            "INSERT INTO rejected_rows (import_id, row_number, column, reason, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                import_id,
                r.row,
                r.column,
                r.reason,
                raw_cells(&r.raw)
            ],
        )?;
    }
    tx.execute(
        "UPDATE imports SET finished_at = ?2, rows_read = ?3, rows_new = ?4, rows_updated = ?5,
                rows_unchanged = ?6, rows_rejected = ?7, content_hash = ?8 WHERE id = ?1",
        rusqlite::params![
            import_id,
            now,
            summary.rows_read,
            summary.rows_new,
            summary.rows_updated,
            summary.rows_unchanged,
            summary.rejected.len() as u64,
            content_hash,
        ],
    )?;
    let details = serde_json::json!({
        "import_id": import_id,
        "path": summary.path.display().to_string(),
        "kind": summary.kind,
        "preset": summary.preset,
        "rows_read": summary.rows_read,
        "rows_new": summary.rows_new,
        "rows_updated": summary.rows_updated,
        "rows_unchanged": summary.rows_unchanged,
        "rejected": summary.rejected.iter().take(100).collect::<Vec<_>>(),
        "rows_rejected": summary.rejected.len(),
        "new_custom_fields": summary.new_custom_fields,
        "unread": summary.unread,
    });
    tx.execute(
        "UPDATE maintenance_log SET summary = ?2, details = ?3 WHERE id = ?1",
        rusqlite::params![log_id, summary.to_string(), details.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::workspace::OpenOptions;
    use proptest::prelude::*;

    fn workspace(dir: &Path) -> Workspace {
        let options = OpenOptions {
            group_shared: false,
            user: Some("test".into()),
            clock: Clock::parse("2026-01-01T00:00:00Z").unwrap(),
        };
        Workspace::open(&dir.join("w.db"), &options).unwrap()
    }

    /// Counts of every table an import writes, to compare before and after.
    fn footprint(ws: &Workspace) -> Vec<i64> {
        [
            "contacts",
            "contact_keys",
            "source_records",
            "rejected_rows",
            "contact_tags",
            "contact_custom_values",
            "events",
            "field_changes",
            "imports",
        ]
        .iter()
        .map(|t| {
            ws.conn()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
    }

    /// CSV-ish bytes: headers platforms use, separators, quotes, line breaks, stray bytes.
    fn messy_file() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"Email,First Name,Last Name,Tags,Phone,Country\n".to_vec()),
            Just(b"E-Mail;Vorname;Nachname\n".to_vec()),
            Just(b"a@b.io,Ann,Lee,\"x, y\",+49 30 1234567,DE\n".to_vec()),
            Just(b"\"multi\nline\"@x.io,\"q\"\"uote\",,,,\n".to_vec()),
            Just(b",,,,,\n".to_vec()),
            Just(b"\xef\xbb\xbf".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            Just(b"\r\n".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..24),
        ];
        proptest::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
    }

    fn import(ws: &mut Workspace, dir: &Path, name: &str, text: &str, kind: Kind) -> Summary {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let options = Options {
            kind,
            preset: None,
            name: None,
        };
        import_file(ws, &path, &options, &mut |_| {}, &AtomicBool::new(false)).unwrap()
    }

    /// The first column of every row `sql` returns, as text.
    fn texts(ws: &Workspace, sql: &str) -> Vec<String> {
        ws.conn()
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn keys_of(ws: &Workspace, contact_id: i64) -> Vec<String> {
        crate::workspace::keys::keys_of(ws.conn(), contact_id).unwrap()
    }

    /// The same content is recognised under any name; another file with the same header
    /// row is imported; each import keeps the hash of its file's bytes.
    #[test]
    fn the_same_content_is_imported_once_and_another_file_with_its_headers_is_not_mistaken_for_it()
    {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let text = "Email,First Name\nann@x.io,Ann\n";
        let first = import(&mut ws, dir.path(), "a.csv", text, Kind::Contacts);
        let copy = import(&mut ws, dir.path(), "copy.csv", text, Kind::Contacts);
        assert_eq!(copy.already_imported_as, first.import_id);
        let longer = format!("{text}bob@x.io,Bob\n");
        let next = import(&mut ws, dir.path(), "b.csv", &longer, Kind::Contacts);
        assert_eq!((next.already_imported_as, next.rows_new), (None, 1));
        let hashes = texts(&ws, "SELECT content_hash FROM imports ORDER BY id");
        let hash_of = |t: &str| blake3::hash(t.as_bytes()).to_hex().to_string();
        assert_eq!(hashes, [hash_of(text), hash_of(&longer)]);
    }

    /// Rows later in a file find the contact an earlier row created, and an address a
    /// contact moved away from within the file keeps finding it.
    #[test]
    fn rows_find_contacts_created_earlier_in_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let text =
            "Contact ID,Email,First Name\n1,ann@old.io,Ann\n2,bob@x.io,Bob\n1,ann@new.io,Ann\n";
        let first = import(&mut ws, dir.path(), "a.csv", text, Kind::Contacts);
        assert_eq!((first.rows_new, first.rows_updated), (2, 1));
        let ann: i64 = ws
            .conn()
            .query_row(
                "SELECT id FROM contacts WHERE email = 'ann@new.io'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            keys_of(&ws, ann),
            ["email:ann@new.io", "email:ann@old.io", "ext:generic:1"]
        );
        let later = import(
            &mut ws,
            dir.path(),
            "b.csv",
            "Email,Last Name\nann@old.io,Lee\n",
            Kind::Contacts,
        );
        assert_eq!((later.rows_new, later.rows_updated), (0, 1));
    }

    /// A large file checks rows against a filter of the keys contacts have, a small one
    /// looks every row up: both find the same contacts.
    #[test]
    fn rows_find_their_contacts_from_small_and_large_files_alike() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let list: String = (0..40).map(|i| format!("{i},p{i}@x.io,P{i}\n")).collect();
        import(
            &mut ws,
            dir.path(),
            "a.csv",
            &format!("Contact ID,Email,First Name\n{list}"),
            Kind::Contacts,
        );
        let small = "Contact ID,Email,First Name\n7,p7@x.io,Pia\n";
        let summary = import(&mut ws, dir.path(), "b.csv", small, Kind::Contacts);
        assert_eq!((summary.rows_new, summary.rows_updated), (0, 1));
        let large: String = (0..40)
            .map(|i| format!("p{i}@x.io,Q{i}\n"))
            .chain((40..60).map(|i| format!("p{i}@x.io,Q{i}\n")))
            .collect();
        let summary = import(
            &mut ws,
            dir.path(),
            "c.csv",
            &format!("Email,First Name\n{large}"),
            Kind::Contacts,
        );
        assert_eq!((summary.rows_new, summary.rows_updated), (20, 40));
    }

    /// A workspace from before migration 7 stored every key; the keys a row implies are
    /// dropped from storage and still find their contacts, the others stay.
    #[test]
    fn keys_stored_before_migration_7_keep_finding_their_contacts() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let rows = "Contact ID,Email,First Name\n1,ann@x.io,Ann\n2,bob@x.io,Bob\n";
        import(&mut ws, dir.path(), "a.csv", rows, Kind::Contacts);
        ws.conn()
            .execute_batch(
                "INSERT INTO contact_keys (key, contact_id)
                 SELECT 'ext:' || source || ':' || external_id, id FROM contacts
                 UNION ALL SELECT 'email:' || email_norm, id FROM contacts
                 UNION ALL SELECT 'email:ann@old.io', 1;
                 PRAGMA user_version = 6;",
            )
            .unwrap();
        drop(ws);
        let mut ws = workspace(dir.path());
        assert_eq!(
            texts(&ws, "SELECT key FROM contact_keys"),
            ["email:ann@old.io"]
        );
        assert_eq!(
            keys_of(&ws, 1),
            ["email:ann@old.io", "email:ann@x.io", "ext:generic:1"]
        );
        let again = "Email,Last Name\nann@old.io,Lee\nbob@x.io,Ray\n";
        let summary = import(&mut ws, dir.path(), "b.csv", again, Kind::Contacts);
        assert_eq!((summary.rows_new, summary.rows_updated), (0, 2));
    }

    /// A workspace whose row hashes were written at full length (before migration 6) still
    /// recognises its rows: re-importing them changes nothing and stores no second copy.
    #[test]
    fn rows_stored_with_long_hashes_are_still_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let rows = "Email,First Name\nann@x.io,Ann\nbob@x.io,Bob\n";
        import(&mut ws, dir.path(), "a.csv", rows, Kind::Contacts);
        let raws: Vec<(i64, String)> = {
            let mut stmt = ws
                .conn()
                .prepare("SELECT id, raw FROM source_records")
                .unwrap();
            let found = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            found.collect::<Result<_, _>>().unwrap()
        };
        for (id, raw) in &raws {
            let long = blake3::hash(raw.as_bytes()).to_hex().to_string();
            ws.conn()
                .execute(
                    "UPDATE source_records SET row_hash = ?1 WHERE id = ?2",
                    rusqlite::params![long, id],
                )
                .unwrap();
        }
        ws.conn().pragma_update(None, "user_version", 5).unwrap();
        drop(ws);
        let mut ws = workspace(dir.path());
        let again = format!("{rows}cy@x.io,Cy\n");
        let summary = import(&mut ws, dir.path(), "b.csv", &again, Kind::Contacts);
        assert_eq!(
            (
                summary.rows_new,
                summary.rows_updated,
                summary.rows_unchanged
            ),
            (1, 0, 2)
        );
        let stored: i64 = ws
            .conn()
            .query_row("SELECT count(*) FROM source_records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 3);
    }

    /// The same events imported twice, in one file or two, are stored once, and the indexes
    /// set aside during a large file of contacts (written in two passes) or of events come
    /// back as they were.
    #[test]
    fn repeated_events_are_stored_once_and_indexes_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let indexes = |ws: &Workspace| -> String {
            ws.conn()
                .query_row(
                    "SELECT group_concat(sql, ';') FROM
                       (SELECT sql FROM sqlite_master WHERE type = 'index' ORDER BY name)",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let before = indexes(&ws);
        let contacts = "Email,Tags\nann@x.io,\"a,b\"\nann@x.io,c\n";
        let first = import(&mut ws, dir.path(), "c.csv", contacts, Kind::Contacts);
        assert_eq!((first.rows_new, first.rows_updated), (1, 1));
        assert_eq!(indexes(&ws), before);
        let events = "email,type,occurred_at\nann@x.io,open,2025-01-02\nann@x.io,open,2025-01-02\nann@x.io,click,2025-01-03\n";
        let once = import(&mut ws, dir.path(), "e.csv", events, Kind::Events);
        assert_eq!((once.rows_new, once.rows_unchanged), (2, 1));
        let again = import(
            &mut ws,
            dir.path(),
            "e2.csv",
            &format!("{events}ann@x.io,open,2025-01-04\n"),
            Kind::Events,
        );
        assert_eq!((again.rows_new, again.rows_unchanged), (1, 3));
        assert_eq!(indexes(&ws), before);
    }

    /// An import relaxes checks on its own connection while it writes; a cancelled one must
    /// leave the connection checking foreign keys and constraints again.
    #[test]
    fn a_cancelled_import_leaves_the_connection_checking_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(dir.path());
        let path = dir.path().join("c.csv");
        std::fs::write(&path, "Email\nann@x.io\n").unwrap();
        let options = Options {
            kind: Kind::Contacts,
            preset: None,
            name: None,
        };
        let cancelled = import_file(
            &mut ws,
            &path,
            &options,
            &mut |_| {},
            &AtomicBool::new(true),
        );
        assert!(matches!(cancelled, Err(ImportError::Cancelled { .. })));
        let pragma = |name: &str| -> i64 {
            ws.conn()
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pragma("foreign_keys"), 1);
        assert_eq!(pragma("ignore_check_constraints"), 0);
    }

    /// What a file (the last one imported) made of the contacts it describes, whatever
    /// their ids: each contact's address, id, name, status, tags and rows, and every change
    /// recorded.
    fn described(ws: &Workspace, import_id: i64) -> (Vec<String>, Vec<String>) {
        let strings = |sql: &str, id: i64| -> Vec<String> {
            let mut found: Vec<String> = ws
                .conn()
                .prepare(sql)
                .unwrap()
                .query_map([id], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            found.sort();
            found
        };
        let contacts = strings(
            "SELECT concat_ws('|', c.email, c.external_id, c.first_name, c.status,
                    (SELECT group_concat(t.name) FROM (SELECT name FROM tags JOIN contact_tags
                       ON tag_id = tags.id WHERE contact_id = c.id ORDER BY name) t),
                    (SELECT group_concat(row_number) FROM (SELECT row_number FROM source_records
                       WHERE contact_id = c.id ORDER BY row_number)))
               FROM contacts c
              WHERE c.id IN (SELECT contact_id FROM source_records WHERE import_id = ?1)",
            import_id,
        );
        let log_id: i64 = ws
            .conn()
            .query_row(
                "SELECT max(id) FROM maintenance_log WHERE kind = 'import'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let changes = strings(
            "SELECT concat_ws('|', c.email, f.field, f.old_value, f.new_value)
               FROM field_changes f JOIN contacts c ON c.id = f.contact_id
              WHERE f.log_id = ?1",
            log_id,
        );
        (contacts, changes)
    }

    /// Rows for [`a_first_import_in_two_passes_matches_row_by_row`]: ids, addresses (in
    /// two spellings), names, cities and tags from small pools, so rows repeat one another.
    fn overlapping_rows() -> impl Strategy<Value = String> {
        let row = (
            proptest::option::of(1..4u8),
            proptest::option::of(prop_oneof![
                Just("ann@x.io"),
                Just("Ann@X.io"),
                Just("bob@x.io"),
                Just("cy@x.io")
            ]),
            prop_oneof![Just("Ann"), Just("Bob"), Just("")],
            prop_oneof![Just("Lee,"), Just("Lee,Berlin"), Just(",Berlin"), Just(",")],
            prop_oneof![Just("vip"), Just("new"), Just("")],
            prop_oneof![Just("subscribed"), Just("unsubscribed")],
        );
        proptest::collection::vec(row, 1..24).prop_map(|rows| {
            let body: String = rows
                .iter()
                .map(|(id, email, first, last, tag, status)| {
                    let id = id.map(|i| i.to_string()).unwrap_or_default();
                    let email = email.unwrap_or("");
                    format!("{id},{email},{first},{last},{tag},{status}\n")
                })
                .collect();
            format!("Contact ID,Email,First Name,Last Name,City,Tags,Status\n{body}")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A first import (a file that dwarfs the list) is written in two passes, any
        /// later one row by row: both make the same contacts, the same counts and the
        /// same recorded changes of the same rows.
        #[test]
        fn a_first_import_in_two_passes_matches_row_by_row(text in overlapping_rows()) {
            let dir = tempfile::tempdir().unwrap();
            let fresh_dir = dir.path().join("fresh");
            let listed_dir = dir.path().join("listed");
            std::fs::create_dir_all(&fresh_dir).unwrap();
            std::fs::create_dir_all(&listed_dir).unwrap();
            let mut fresh = workspace(&fresh_dir);
            let mut listed = workspace(&listed_dir);
            let others: String = (0..400).map(|i| format!("z{i}@other.io\n")).collect();
            import(&mut listed, &listed_dir, "others.csv", &format!("Email\n{others}"), Kind::Contacts);
            let a = import(&mut fresh, &fresh_dir, "f.csv", &text, Kind::Contacts);
            let b = import(&mut listed, &listed_dir, "f.csv", &text, Kind::Contacts);
            prop_assert_eq!(
                (a.rows_new, a.rows_updated, a.rows_unchanged, a.rejected.len()),
                (b.rows_new, b.rows_updated, b.rows_unchanged, b.rejected.len())
            );
            prop_assert_eq!(
                described(&fresh, a.import_id.unwrap()),
                described(&listed, b.import_id.unwrap())
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the bytes, an import never panics; it either fails and leaves the
        /// workspace exactly as it was, or succeeds — and importing the same content again
        /// changes nothing.
        #[test]
        fn any_file_imports_cleanly_or_not_at_all_and_twice_is_once(bytes in messy_file()) {
            let dir = tempfile::tempdir().unwrap();
            let mut ws = workspace(dir.path());
            let path = dir.path().join("export.csv");
            std::fs::write(&path, &bytes).unwrap();
            let options = Options { kind: Kind::Contacts, preset: None, name: None };
            let cancel = AtomicBool::new(false);
            let before = footprint(&ws);
            match import_file(&mut ws, &path, &options, &mut |_| {}, &cancel) {
                Err(_) => prop_assert_eq!(footprint(&ws), before),
                Ok(_) => {
                    let once = footprint(&ws);
                    let again = import_file(&mut ws, &path, &options, &mut |_| {}, &cancel).unwrap();
                    prop_assert!(again.already_imported_as.is_some());
                    prop_assert_eq!(footprint(&ws), once);
                }
            }
        }
    }
}
