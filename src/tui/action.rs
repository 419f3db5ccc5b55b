//! Everything the user or a background job can cause, and what the app asks the loop to do.

use super::keymap::Command;
use super::queries::{ContactDetail, ContactRow, Sort};
use super::segment_jobs::{SegmentRead, SegmentReply, SegmentWrite};
use crate::audit::view::{Edit, Page, Shared};
use crate::audit::{Kind as AuditKind, RunSummary};
use crate::dedupe::review::{Change, Queue};
use crate::import::Kind;
use crate::maintenance::log as mlog;
use crate::maintenance::watch::{Folder, WatchEvent};
use crossterm::event::KeyEvent;
use std::path::PathBuf;

/// An input to [`super::app::App::update`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A key as the terminal sent it; the app maps it through the keymap.
    Key(KeyEvent),
    /// A key the keymap turned into a command.
    Command(Command),
    /// A key typed into the text field that has focus.
    Text(KeyEvent),
    /// Jump to the pane at this index.
    GoPane(usize),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// Time passed (spinner, toast expiry).
    Tick,
    /// A reader job answered.
    Read(ReadReply),
    /// A writer job reported.
    Job(JobEvent),
    /// Another connection committed to the workspace; `by_others` when it was not this
    /// TUI's own writer.
    DataChanged { by_others: bool },
    /// Start importing a file (`:import PATH`, `:import-events PATH`).
    Import(PathBuf, Kind),
    /// The terminal is gone: cancel what runs and leave.
    Hangup,
    /// Switch to the named theme (`:theme NAME`).
    SetTheme(String),
    /// The export watcher reported (a complete file, a folder gone, ...).
    Watch(WatchEvent),
    /// Watch a folder for contacts exports (`:watch PATH`).
    AddWatch(PathBuf),
    /// Whether a scheduled review is due (read at start and on every change).
    ReviewDue(bool),
}

/// What the app asks the event loop to do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Read(ReadRequest),
    Write(WriteRequest),
    /// Raise the cancel flag of a running writer job.
    Cancel(JobId),
    /// Load and apply a theme.
    LoadTheme(String),
    Quit,
}

/// Identifies a writer job in progress reports.
pub type JobId = u64;

/// A read for the reader worker. Requests with the same [`ReadRequest::key`] replace each
/// other while queued (latest wins), and a new view interrupts the running query.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadRequest {
    LiveCount,
    /// Compute the order of the contacts view `generation` and send the first page.
    ContactsView {
        generation: u64,
        sort: Sort,
        filter: String,
        start: usize,
        len: usize,
    },
    /// A page of the contacts view `generation`.
    ContactsPage {
        generation: u64,
        start: usize,
        len: usize,
    },
    ContactDetail {
        id: i64,
    },
    /// The Segments pane's reads, answered from the reader's cached image.
    Segments(SegmentRead),
    /// A page of the maintenance log matching `filter`, newest first, with its total.
    LogPage {
        generation: u64,
        filter: mlog::Filter,
        start: usize,
        len: usize,
    },
    LogDetail {
        id: i64,
    },
    /// Run the audit (on its own worker, with progress; a newer one cancels it).
    Audit {
        generation: u64,
    },
    /// The newest stored audit run, shown until a fresh audit is done.
    LastAuditRun,
    /// A page of the contacts of one finding of `audit`.
    AuditContacts {
        audit: Shared,
        kind: AuditKind,
        offset: usize,
        len: usize,
    },
    /// The duplicate review queue.
    DuplicateQueue,
    /// The records of the pairs on screen and next (Duplicates pane).
    DuplicateRecords {
        ids: Vec<i64>,
    },
    /// How many contacts a bulk merge of shared mailboxes would merge.
    ExactEmailGroups,
    /// The scheduled review as of now (runs an audit; on the reviewer worker).
    Review {
        generation: u64,
    },
}

impl ReadRequest {
    /// Requests with equal keys supersede each other.
    pub fn key(&self) -> &'static str {
        match self {
            ReadRequest::LiveCount => "live-count",
            ReadRequest::ContactsView { .. } => "contacts-view",
            ReadRequest::ContactsPage { .. } => "contacts-page",
            ReadRequest::ContactDetail { .. } => "contact-detail",
            ReadRequest::Segments(read) => read.key(),
            ReadRequest::LogPage { .. } => "log-page",
            ReadRequest::LogDetail { .. } => "log-detail",
            ReadRequest::Audit { .. } => "audit",
            ReadRequest::LastAuditRun => "audit-last-run",
            ReadRequest::AuditContacts { .. } => "audit-contacts",
            ReadRequest::DuplicateQueue => "duplicate-queue",
            ReadRequest::DuplicateRecords { .. } => "duplicate-records",
            ReadRequest::ExactEmailGroups => "exact-email-groups",
            ReadRequest::Review { .. } => "review",
        }
    }

    /// Whether sending this should interrupt the query the worker is running: views are
    /// recomputed on every keystroke of a filter, and the old one is no longer wanted.
    pub fn interrupts(&self) -> bool {
        matches!(self, ReadRequest::ContactsView { .. })
    }
}

/// A reader worker's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadReply {
    LiveCount(i64),
    /// The first page of a view, then the view again with its total once the whole
    /// order is known (`total: None` in the first answer).
    ContactsView {
        generation: u64,
        total: Option<usize>,
        start: usize,
        rows: Vec<ContactRow>,
    },
    ContactsPage {
        generation: u64,
        start: usize,
        rows: Vec<ContactRow>,
    },
    /// `None` when the contact no longer exists.
    ContactDetail {
        id: i64,
        detail: Option<Box<ContactDetail>>,
    },
    Segments(SegmentReply),
    /// Entries `start..` of the log view `generation`, the view's total, and the kinds
    /// and users the log holds (for the filters to cycle through).
    LogPage {
        generation: u64,
        total: usize,
        start: usize,
        rows: Vec<mlog::Entry>,
        kinds: Vec<String>,
        users: Vec<String>,
    },
    /// `None` when the entry does not exist.
    LogDetail {
        id: i64,
        detail: Option<Box<mlog::Detail>>,
    },
    /// A running audit has evaluated `done` of `total` contacts.
    AuditProgress {
        generation: u64,
        done: usize,
        total: usize,
    },
    Audit {
        generation: u64,
        audit: Shared,
    },
    AuditContacts {
        audit: Shared,
        kind: AuditKind,
        offset: usize,
        page: Page,
    },
    LastAuditRun(Option<RunSummary>),
    DuplicateQueue(Queue),
    /// Each asked id with its record, `None` when it no longer exists.
    DuplicateRecords(Vec<(i64, Option<Box<ContactDetail>>)>),
    ExactEmailGroups {
        groups: usize,
        contacts: usize,
    },
    Review {
        generation: u64,
        review: Box<crate::maintenance::review::Review>,
    },
    Failed {
        what: &'static str,
        message: String,
    },
}

/// A change for the writer worker.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteRequest {
    Import {
        id: JobId,
        path: PathBuf,
        kind: Kind,
    },
    /// Save, rename or delete a segment.
    Segment { id: JobId, change: SegmentWrite },
    /// Undo maintenance log entry `log_id` (see [`mlog::undo`]).
    UndoLog { id: JobId, log_id: i64 },
    /// A change from the Audit pane; the app gives it its id.
    Audit { id: JobId, edit: Edit },
    /// One review decision or its undo (one logged transaction).
    Dedupe { id: JobId, change: Change },
    /// A duplicate scan over the live contacts.
    DedupeScan { id: JobId },
    /// Merge every group of contacts sharing one mailbox.
    MergeExactEmail { id: JobId },
    /// Import a file the watcher found complete in `folder`.
    WatchImport {
        id: JobId,
        folder: Folder,
        path: PathBuf,
    },
    /// Save a watched folder and start watching it.
    AddWatch { id: JobId, path: PathBuf },
    /// Record the review as of now with a note (logged).
    RecordReview { id: JobId, note: String },
}

impl WriteRequest {
    /// The job this request starts.
    pub fn id(&self) -> JobId {
        match self {
            WriteRequest::Import { id, .. }
            | WriteRequest::Segment { id, .. }
            | WriteRequest::UndoLog { id, .. }
            | WriteRequest::Audit { id, .. }
            | WriteRequest::Dedupe { id, .. }
            | WriteRequest::DedupeScan { id }
            | WriteRequest::MergeExactEmail { id }
            | WriteRequest::WatchImport { id, .. }
            | WriteRequest::AddWatch { id, .. }
            | WriteRequest::RecordReview { id, .. } => *id,
        }
    }

    fn id_mut(&mut self) -> &mut JobId {
        match self {
            WriteRequest::Import { id, .. }
            | WriteRequest::Segment { id, .. }
            | WriteRequest::UndoLog { id, .. }
            | WriteRequest::Audit { id, .. }
            | WriteRequest::Dedupe { id, .. }
            | WriteRequest::DedupeScan { id }
            | WriteRequest::MergeExactEmail { id }
            | WriteRequest::WatchImport { id, .. }
            | WriteRequest::AddWatch { id, .. }
            | WriteRequest::RecordReview { id, .. } => id,
        }
    }

    /// Gives the request job id `next` unless its pane chose one (panes that follow their
    /// own job's outcome number their jobs from a range of their own); returns the id.
    pub fn assign(&mut self, next: JobId) -> JobId {
        let id = self.id_mut();
        if *id == 0 {
            *id = next;
        }
        *id
    }

    /// What the status bar calls the job.
    pub fn label(&self) -> String {
        match self {
            WriteRequest::Import { path, .. } => format!("import {}", file_name(path)),
            WriteRequest::WatchImport { path, .. } => {
                format!("import {} (watched)", file_name(path))
            }
            WriteRequest::AddWatch { path, .. } => format!("watch {}", path.display()),
            WriteRequest::Segment { change, .. } => change.label(),
            WriteRequest::UndoLog { log_id, .. } => format!("undo log entry {log_id}"),
            WriteRequest::Audit { edit, .. } => edit.label(),
            WriteRequest::Dedupe {
                change: Change::Merge { .. },
                ..
            } => "merge".to_string(),
            WriteRequest::Dedupe { .. } => "review".to_string(),
            WriteRequest::DedupeScan { .. } => "duplicate scan".to_string(),
            WriteRequest::MergeExactEmail { .. } => "bulk merge".to_string(),
            WriteRequest::RecordReview { .. } => "record review".to_string(),
        }
    }
}

/// Progress and outcome of a writer job.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    Progress {
        id: JobId,
        rows: u64,
        done: u64,
        total: u64,
    },
    Finished {
        id: JobId,
        outcome: Result<String, String>,
    },
    /// An Audit pane edit was written (its log id) or failed; sent before `Finished`.
    AuditEdited {
        edit: Edit,
        result: Result<i64, String>,
    },
}

/// The file name of `path` for a label, else the whole path.
fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
