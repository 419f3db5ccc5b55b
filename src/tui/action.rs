//! Everything the user or a background job can cause, and what the app asks the loop to do.

use super::keymap::Command;
use super::queries::{ContactDetail, ContactRow, Sort};
use crate::import::Kind;
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
}

impl ReadRequest {
    /// Requests with equal keys supersede each other.
    pub fn key(&self) -> &'static str {
        match self {
            ReadRequest::LiveCount => "live-count",
            ReadRequest::ContactsView { .. } => "contacts-view",
            ReadRequest::ContactsPage { .. } => "contacts-page",
            ReadRequest::ContactDetail { .. } => "contact-detail",
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
    /// Import a file the watcher found complete in `folder`.
    WatchImport {
        id: JobId,
        folder: Folder,
        path: PathBuf,
    },
    /// Save a watched folder and start watching it.
    AddWatch { id: JobId, path: PathBuf },
}

impl WriteRequest {
    /// The job this request starts.
    pub fn id(&self) -> JobId {
        match self {
            WriteRequest::Import { id, .. } => *id,
            WriteRequest::WatchImport { id, .. } | WriteRequest::AddWatch { id, .. } => *id,
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
}
