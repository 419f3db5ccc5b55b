//! Importing platform exports: contacts (upserted, field-level changes recorded) and events.
//!
//! One file is one `BEGIN IMMEDIATE` transaction and one log entry: a broken file, a
//! cancelled import or a killed process leaves the workspace exactly as it was. Every row
//! read is stored verbatim as a source record, so nothing an export said is ever lost.
//! A file whose bytes were imported before is skipped without a write.

mod contacts;
mod custom;
mod events;
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
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
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
        )
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
    #[error("{path}: import cancelled; nothing was changed", path = path.display())]
    Cancelled { path: PathBuf },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{path}: {source}", path = path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
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
    let info = source::inspect(path)?;
    let mut reader = source::reader(path, &info)?;
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
        path: path.to_path_buf(),
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
    };
    if let Some(previous) = previous_import(ws, &info.content_hash, options.kind)? {
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
        progress,
        cancel,
    };
    ws.write(|tx| {
        let import_id = insert_import(
            tx,
            path,
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
        finish_import(tx, import_id, log_id, &summary, now)?;
        Ok::<_, ImportError>(())
    })
    .map_err(|e| with_path(e, path))?;
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
    progress: &'a mut dyn FnMut(Progress),
    cancel: &'a AtomicBool,
}

impl RowStream<'_> {
    /// Calls `each(row_number, record)` for every data row. Stops with `Cancelled` when
    /// the flag is raised, so the caller's transaction rolls back.
    fn for_each(
        self,
        mut each: impl FnMut(u64, &csv::ByteRecord) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let mut record = csv::ByteRecord::new();
        let mut rows = 0u64;
        loop {
            let more = self
                .reader
                .read_byte_record(&mut record)
                .map_err(|e| ImportError::Csv {
                    path: self.path.to_path_buf(),
                    row: rows + 2,
                    message: e.to_string(),
                })?;
            if !more {
                break;
            }
            rows += 1;
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            each(rows + 1, &record)?;
            if rows % PROGRESS_EVERY == 0 {
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(ImportError::Cancelled {
                        path: self.path.to_path_buf(),
                    });
                }
                (self.progress)(Progress {
                    rows,
                    bytes_read: self.reader.position().byte(),
                    bytes_total: self.bytes_total,
                });
            }
        }
        if self.cancel.load(Ordering::Relaxed) {
            return Err(ImportError::Cancelled {
                path: self.path.to_path_buf(),
            });
        }
        (self.progress)(Progress {
            rows,
            bytes_read: self.bytes_total,
            bytes_total: self.bytes_total,
        });
        Ok(())
    }
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
        .map(|h| crate::text::clean(&decode_field(h)))
        .collect())
}

fn previous_import(ws: &Workspace, hash: &str, kind: Kind) -> Result<Option<i64>, ImportError> {
    use rusqlite::OptionalExtension;
    Ok(ws
        .conn()
        .query_row(
            "SELECT id FROM imports WHERE content_hash = ?1 AND kind = ?2 AND finished_at IS NOT NULL
             ORDER BY id LIMIT 1",
            rusqlite::params![hash, kind.as_str()],
            |r| r.get(0),
        )
        .optional()?)
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
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            path.display().to_string(),
            info.content_hash,
            kind.as_str(),
            preset,
            info.encoding,
            (info.delimiter as char).to_string(),
            serde_json::to_string(headers).unwrap_or_default(),
            now,
            user,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn finish_import(
    tx: &rusqlite::Transaction<'_>,
    import_id: i64,
    log_id: i64,
    summary: &Summary,
    now: i64,
) -> rusqlite::Result<()> {
    for r in &summary.rejected {
        tx.execute(
            "INSERT INTO rejected_rows (import_id, row_number, column, reason, raw) VALUES (?1, ?2, ?3, ?4, '')",
            rusqlite::params![import_id, r.row, r.column, r.reason],
        )?;
    }
    tx.execute(
        "UPDATE imports SET finished_at = ?2, rows_read = ?3, rows_new = ?4, rows_updated = ?5,
                rows_unchanged = ?6, rows_rejected = ?7 WHERE id = ?1",
        rusqlite::params![
            import_id,
            now,
            summary.rows_read,
            summary.rows_new,
            summary.rows_updated,
            summary.rows_unchanged,
            summary.rejected.len() as u64,
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
    });
    tx.execute(
        "UPDATE maintenance_log SET summary = ?2, details = ?3 WHERE id = ?1",
        rusqlite::params![log_id, summary.to_string(), details.to_string()],
    )?;
    Ok(())
}

/// SQLite errors raised deep in a writer do not know the file; add it.
fn with_path(error: ImportError, path: &Path) -> ImportError {
    match error {
        ImportError::Sqlite { source, .. } => ImportError::Sqlite {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    }
}
