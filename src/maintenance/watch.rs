//! The export watcher: folders whose new files are imported as they appear.
//!
//! [`Watcher`] runs on its own thread over `notify` and emits [`WatchEvent`]s on a
//! channel, so `listwarden watch` (headless) and the TUI share it. A file is announced
//! [`WatchEvent::Ready`] only once its size and modification time stayed the same for the
//! settle time: a file still being written, copied or downloaded is never handed over
//! half-done (and the import, one transaction, reads it to the end or not at all). Files
//! already there when watching starts are announced too; the import itself skips content
//! it has seen before. Folders are checked every tick, so a folder that disappears is
//! reported and watched again when it comes back.

use crate::import::{Kind, Options};
use crate::pipeline;
use crate::workspace::{append_log, LogEntry, Workspace, WorkspaceError};
use notify::{EventKind, RecursiveMode};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// Default settle time: a file unchanged this long is complete.
pub const DEFAULT_SETTLE: Duration = Duration::from_millis(1000);

/// Log kind of watcher events that are not imports.
pub const LOG_KIND: &str = "watch";

/// A folder to watch and how its files import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub path: PathBuf,
    pub kind: Kind,
    /// `None`: detected from each file's header.
    pub preset: Option<String>,
}

impl Folder {
    /// The import options for files of this folder.
    pub fn options(&self) -> Options {
        Options {
            kind: self.kind,
            preset: self.preset.clone(),
            name: None,
        }
    }
}

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// How many folders are being watched now (at start and whenever it changes).
    Watching { folders: usize },
    /// `path` in `folder` is complete and should be imported.
    Ready { folder: Folder, path: PathBuf },
    /// A file handed over before was removed from its folder (its import stays).
    Deleted { path: PathBuf },
    /// The folder does not exist (any more); it is watched again when it reappears.
    FolderGone { path: PathBuf },
    /// A folder that was gone is back and watched again.
    FolderBack { path: PathBuf },
    /// Something could not be done; the watcher carries on.
    Error { path: PathBuf, message: String },
}

impl WatchEvent {
    /// One line for people (`listwarden watch`, toasts, the log).
    pub fn describe(&self) -> String {
        match self {
            WatchEvent::Watching { folders } => format!("watching {folders} folder(s)"),
            WatchEvent::Ready { path, .. } => format!("ready {}", path.display()),
            WatchEvent::Deleted { path } => format!(
                "deleted {} (what it imported stays in the workspace)",
                path.display()
            ),
            WatchEvent::FolderGone { path } => format!(
                "folder gone {}: waiting for it to come back",
                path.display()
            ),
            WatchEvent::FolderBack { path } => format!("folder back {}", path.display()),
            WatchEvent::Error { path, message } => {
                format!("error {}: {message}", path.display())
            }
        }
    }

    /// The log entry this event deserves (imports are logged by the import itself).
    pub fn log_entry(&self) -> Option<LogEntry> {
        let path = match self {
            WatchEvent::Watching { .. } | WatchEvent::Ready { .. } => return None,
            WatchEvent::Deleted { path }
            | WatchEvent::FolderGone { path }
            | WatchEvent::FolderBack { path }
            | WatchEvent::Error { path, .. } => path,
        };
        let text = crate::text::inert(&self.describe()).into_owned();
        Some(
            LogEntry::new(LOG_KIND, format!("watch: {text}"))
                .with_details(serde_json::json!({ "path": path.display().to_string() })),
        )
    }
}

/// What the watcher thread is asked to do.
enum Control {
    Add(Folder),
    Stop,
}

/// A handle to add folders to a running watcher from another thread.
#[derive(Clone)]
pub struct WatchHandle {
    control: crossbeam_channel::Sender<Control>,
}

impl WatchHandle {
    /// Starts watching `folder` too (its existing files are announced).
    pub fn add(&self, folder: Folder) {
        // Fails only when the watcher has stopped, i.e. while shutting down.
        let _ = self.control.send(Control::Add(folder));
    }
}

/// The running watcher; stops when dropped.
pub struct Watcher {
    handle: WatchHandle,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Starts watching `folders` on a new thread; events arrive on the returned channel.
    pub fn start(
        folders: Vec<Folder>,
        settle: Duration,
    ) -> Result<(Watcher, crossbeam_channel::Receiver<WatchEvent>), notify::Error> {
        let (fs_tx, fs_rx) = mpsc::channel();
        // Without kernel notifications (inotify limits, some network file systems) the
        // folders are polled instead; the settle logic is the same.
        let notifier: Box<dyn notify::Watcher + Send> =
            match notify::recommended_watcher(fs_tx.clone()) {
                Ok(w) => Box::new(w),
                Err(_) => Box::new(notify::PollWatcher::new(
                    fs_tx,
                    notify::Config::default().with_poll_interval(settle / 2),
                )?),
            };
        let (out, events) = crossbeam_channel::unbounded();
        let (control, control_rx) = crossbeam_channel::unbounded();
        let mut state = State::new(notifier, settle, out);
        for folder in folders {
            state.add(folder);
        }
        state.report_count();
        let thread = std::thread::spawn(move || state.run(&fs_rx, &control_rx));
        Ok((
            Watcher {
                handle: WatchHandle { control },
                thread: Some(thread),
            },
            events,
        ))
    }

    /// A handle for adding folders from elsewhere.
    pub fn handle(&self) -> WatchHandle {
        self.handle.clone()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.handle.control.send(Control::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Size and modification time: what "still being written" is judged by.
type Fingerprint = (u64, Option<SystemTime>);

struct Pending {
    folder: usize,
    seen: Option<Fingerprint>,
    since: Instant,
}

struct Watched {
    folder: Folder,
    present: bool,
}

struct State {
    notifier: Box<dyn notify::Watcher + Send>,
    settle: Duration,
    out: crossbeam_channel::Sender<WatchEvent>,
    folders: Vec<Watched>,
    pending: HashMap<PathBuf, Pending>,
    /// Files handed over (or reported unreadable), with the fingerprint they had then.
    done: HashMap<PathBuf, Fingerprint>,
    reported_count: Option<usize>,
}

impl State {
    fn new(
        notifier: Box<dyn notify::Watcher + Send>,
        settle: Duration,
        out: crossbeam_channel::Sender<WatchEvent>,
    ) -> Self {
        State {
            notifier,
            settle,
            out,
            folders: Vec::new(),
            pending: HashMap::new(),
            done: HashMap::new(),
            reported_count: None,
        }
    }

    fn emit(&self, event: WatchEvent) {
        let _ = self.out.send(event);
    }

    fn tick(&self) -> Duration {
        (self.settle / 4).clamp(Duration::from_millis(20), Duration::from_millis(250))
    }

    fn run(
        mut self,
        fs_rx: &mpsc::Receiver<notify::Result<notify::Event>>,
        control: &crossbeam_channel::Receiver<Control>,
    ) {
        loop {
            match control.try_recv() {
                Ok(Control::Add(folder)) => {
                    self.add(folder);
                    self.report_count();
                }
                Ok(Control::Stop) | Err(crossbeam_channel::TryRecvError::Disconnected) => return,
                Err(crossbeam_channel::TryRecvError::Empty) => {}
            }
            match fs_rx.recv_timeout(self.tick()) {
                Ok(Ok(event)) => self.on_fs_event(event),
                Ok(Err(e)) => {
                    let path = e.paths.first().cloned().unwrap_or_default();
                    self.emit(WatchEvent::Error {
                        path,
                        message: e.to_string(),
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            while let Ok(next) = fs_rx.try_recv() {
                if let Ok(event) = next {
                    self.on_fs_event(event);
                }
            }
            self.check_folders();
            self.check_pending();
        }
    }

    fn add(&mut self, folder: Folder) {
        if self.folders.iter().any(|w| w.folder.path == folder.path) {
            return;
        }
        self.folders.push(Watched {
            folder,
            present: false,
        });
        let i = self.folders.len() - 1;
        if !self.attach(i) {
            let path = self.folders[i].folder.path.clone();
            self.emit(WatchEvent::FolderGone { path });
        }
    }

    /// Watches folder `i` and queues its files; false when it is not there.
    fn attach(&mut self, i: usize) -> bool {
        let path = self.folders[i].folder.path.clone();
        if !path.is_dir() {
            return false;
        }
        if let Err(e) = self.notifier.watch(&path, RecursiveMode::NonRecursive) {
            self.emit(WatchEvent::Error {
                path,
                message: format!("cannot watch: {e}"),
            });
            return false;
        }
        self.folders[i].present = true;
        match std::fs::read_dir(&path) {
            Ok(entries) => {
                let mut files: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| candidate(p))
                    .collect();
                files.sort();
                for file in files {
                    self.touch(file, i);
                }
            }
            Err(e) => self.emit(WatchEvent::Error {
                path,
                message: format!("cannot list: {e}"),
            }),
        }
        true
    }

    fn report_count(&mut self) {
        let n = self.folders.iter().filter(|w| w.present).count();
        if self.reported_count != Some(n) {
            self.reported_count = Some(n);
            self.emit(WatchEvent::Watching { folders: n });
        }
    }

    fn folder_of(&self, path: &Path) -> Option<usize> {
        let parent = path.parent()?;
        self.folders
            .iter()
            .position(|w| w.present && w.folder.path == parent)
    }

    fn touch(&mut self, path: PathBuf, folder: usize) {
        self.pending.insert(
            path,
            Pending {
                folder,
                seen: None,
                since: Instant::now(),
            },
        );
    }

    fn on_fs_event(&mut self, event: notify::Event) {
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if !candidate(&path) {
                continue;
            }
            if let Some(i) = self.folder_of(&path) {
                self.touch(path, i);
            }
        }
    }

    fn check_folders(&mut self) {
        for i in 0..self.folders.len() {
            let path = self.folders[i].folder.path.clone();
            let exists = path.is_dir();
            if self.folders[i].present && !exists {
                self.folders[i].present = false;
                // The kernel dropped the watch with the folder; this only tidies up.
                let _ = self.notifier.unwatch(&path);
                self.pending.retain(|_, p| p.folder != i);
                self.done.retain(|f, _| f.parent() != Some(path.as_path()));
                self.emit(WatchEvent::FolderGone { path });
            } else if !self.folders[i].present && exists && self.attach(i) {
                self.emit(WatchEvent::FolderBack { path });
            }
        }
        self.report_count();
    }

    fn check_pending(&mut self) {
        let mut ready = Vec::new();
        let mut gone = Vec::new();
        for (path, pending) in &mut self.pending {
            let meta = match std::fs::metadata(path) {
                Ok(m) if m.is_file() => m,
                // Renamed away (a temporary name), deleted, or not a file.
                _ => {
                    gone.push(path.clone());
                    continue;
                }
            };
            let fingerprint = (meta.len(), meta.modified().ok());
            if pending.seen != Some(fingerprint) {
                pending.seen = Some(fingerprint);
                pending.since = Instant::now();
            } else if pending.since.elapsed() >= self.settle
                && (ends_with_newline(path)
                    || pending.since.elapsed() >= self.settle * UNTERMINATED)
            {
                ready.push((path.clone(), pending.folder, fingerprint));
            }
        }
        for path in gone {
            self.pending.remove(&path);
            if self.done.remove(&path).is_some() {
                self.emit(WatchEvent::Deleted { path });
            }
        }
        ready.sort();
        for (path, folder, fingerprint) in ready {
            self.pending.remove(&path);
            if self.done.get(&path) == Some(&fingerprint) {
                continue;
            }
            self.done.insert(path.clone(), fingerprint);
            if fingerprint.0 == 0 {
                // An empty file is usually one about to be written; wait for content.
                self.done.remove(&path);
                continue;
            }
            match std::fs::File::open(&path) {
                Ok(_) => self.emit(WatchEvent::Ready {
                    folder: self.folders[folder].folder.clone(),
                    path,
                }),
                Err(e) => self.emit(WatchEvent::Error {
                    path,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
    }
}

/// A file whose last line has no newline may be cut off mid-row by a stalled writer: it
/// waits this many settle times before it is taken as complete.
const UNTERMINATED: u32 = 3;

/// Whether the file's last byte is a line break (exports end their last row with one).
fn ends_with_newline(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let mut last = [0u8; 1];
    std::fs::File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::End(-1))?;
            f.read_exact(&mut last)
        })
        .is_ok_and(|()| matches!(last[0], b'\n' | b'\r'))
}

/// Whether a directory entry may be an export: not hidden, not a partial download or an
/// editor's temporary file.
fn candidate(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    const TEMPORARY: [&str; 6] = [".tmp", ".part", ".partial", ".crdownload", ".swp", "~"];
    !name.starts_with('.') && !TEMPORARY.iter().any(|t| name.ends_with(t))
}

/// The folders saved in the workspace, by path.
pub fn saved_folders(conn: &Connection) -> rusqlite::Result<Vec<Folder>> {
    let mut stmt = conn.prepare("SELECT path, kind, preset FROM watched_folders ORDER BY path")?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        Ok(Folder {
            path: PathBuf::from(r.get::<_, String>(0)?),
            kind: if kind == "events" {
                Kind::Events
            } else {
                Kind::Contacts
            },
            preset: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// Saves `folder` (absolute path; kind and preset replaced if it was saved before) and
/// logs it. Returns the folder as stored.
pub fn save_folder(ws: &mut Workspace, folder: &Folder) -> Result<Folder, WorkspaceError> {
    let path = std::path::absolute(&folder.path).unwrap_or_else(|_| folder.path.clone());
    let stored = Folder {
        path,
        ..folder.clone()
    };
    let user = ws.user().to_string();
    let now = ws.clock().now_ts();
    let shown = stored.path.display().to_string();
    ws.write(|tx| {
        tx.execute(
            "INSERT INTO watched_folders (path, kind, preset, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, preset = excluded.preset",
            params![shown, stored.kind.as_str(), stored.preset, now, user],
        )?;
        let entry = LogEntry::new(
            LOG_KIND,
            format!(
                "watch: folder {} added ({})",
                crate::text::inert(&shown),
                stored.kind.as_str()
            ),
        )
        .with_details(serde_json::json!({"path": shown, "kind": stored.kind.as_str(), "preset": stored.preset}));
        append_log(tx, &user, now, &entry)?;
        Ok::<_, WorkspaceError>(())
    })?;
    Ok(stored)
}

/// Writes the log entry of a watcher event that is not an import (nothing for the others).
pub fn log_event(ws: &mut Workspace, event: &WatchEvent) -> Result<(), WorkspaceError> {
    let Some(entry) = event.log_entry() else {
        return Ok(());
    };
    let user = ws.user().to_string();
    let now = ws.clock().now_ts();
    ws.write(|tx| append_log(tx, &user, now, &entry).map_err(WorkspaceError::from))
        .map(drop)
}

/// Logs that importing a watched file failed (the import itself rolled back).
pub fn log_failure(ws: &mut Workspace, path: &Path, message: &str) -> Result<(), WorkspaceError> {
    log_event(
        ws,
        &WatchEvent::Error {
            path: path.to_path_buf(),
            message: format!("import failed: {message}"),
        },
    )
}

/// Imports a ready file (each export in it, for a ZIP archive) through the pipeline and
/// says what happened, per file: one line first (`imported ...`, `already imported ...`),
/// then segment changes; or the error, which is logged.
pub fn import_ready(
    ws: &mut Workspace,
    folder: &Folder,
    path: &Path,
    progress: &mut dyn FnMut(crate::import::Progress),
    cancel: &AtomicBool,
) -> Vec<Result<Vec<String>, String>> {
    let results = pipeline::import_path(ws, path, &folder.options(), progress, cancel);
    results
        .into_iter()
        .map(|result| match result {
            Ok(imported) => {
                let first = if imported.summary.already_imported_as.is_some() {
                    format!("already imported {}", imported.summary)
                } else {
                    format!("imported {}", imported.summary)
                };
                Ok(std::iter::once(first)
                    .chain(imported.membership_lines())
                    .collect())
            }
            Err(e) => {
                let message = e.to_string();
                match log_failure(ws, path, &message) {
                    Ok(()) => Err(message),
                    Err(log) => Err(format!("{message} (and it could not be logged: {log})")),
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const SETTLE: Duration = Duration::from_millis(300);

    fn next_ready(rx: &crossbeam_channel::Receiver<WatchEvent>) -> Vec<WatchEvent> {
        let mut seen = Vec::new();
        while let Ok(e) = rx.recv_timeout(Duration::from_millis(800)) {
            seen.push(e);
        }
        seen
    }

    fn folder(path: &Path) -> Folder {
        Folder {
            path: path.to_path_buf(),
            kind: Kind::Contacts,
            preset: None,
        }
    }

    #[test]
    fn a_file_cut_off_mid_row_waits_longer_than_a_finished_one() {
        let dir = tempfile::tempdir().unwrap();
        let (_w, rx) = Watcher::start(vec![folder(dir.path())], SETTLE).unwrap();
        std::fs::write(dir.path().join("cut.csv"), "Email\na@x.org\nb@x").unwrap();
        let started = Instant::now();
        let ready = std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(5)).ok())
            .find(|e| matches!(e, WatchEvent::Ready { .. }))
            .map(|_| started.elapsed());
        assert!(ready.unwrap() >= SETTLE * UNTERMINATED);
        assert!(!ends_with_newline(&dir.path().join("x.csv")));
        std::fs::write(dir.path().join("x.csv"), "Email\r\n").unwrap();
        assert!(ends_with_newline(&dir.path().join("x.csv")));
    }

    #[test]
    fn temporary_and_hidden_files_are_not_candidates() {
        assert!(candidate(Path::new("/x/a.csv")));
        assert!(!candidate(Path::new("/x/.a.csv")));
        assert!(!candidate(Path::new("/x/a.csv.part")));
        assert!(!candidate(Path::new("/x/a.csv~")));
    }

    #[test]
    fn existing_and_new_files_are_announced_once_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old.csv"), "Email\na@x.org\n").unwrap();
        let (_w, rx) = Watcher::start(vec![folder(dir.path())], SETTLE).unwrap();
        let mut file = std::fs::File::create(dir.path().join("new.csv")).unwrap();
        for _ in 0..3 {
            file.write_all(b"Email\nb@x.org\n").unwrap();
            file.flush().unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
        drop(file);
        let events = next_ready(&rx);
        let ready: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                WatchEvent::Ready { path, .. } => {
                    Some(path.file_name().unwrap().to_string_lossy().into_owned())
                }
                _ => None,
            })
            .collect();
        assert_eq!(ready, vec!["old.csv", "new.csv"], "{events:?}");
        assert_eq!(events[0], WatchEvent::Watching { folders: 1 });
    }

    #[test]
    fn a_folder_that_goes_and_comes_back_is_reported_and_watched_again() {
        let dir = tempfile::tempdir().unwrap();
        let watched = dir.path().join("in");
        std::fs::create_dir(&watched).unwrap();
        let (_w, rx) = Watcher::start(vec![folder(&watched)], SETTLE).unwrap();
        std::fs::remove_dir(&watched).unwrap();
        let events = next_ready(&rx);
        assert!(events.contains(&WatchEvent::FolderGone {
            path: watched.clone()
        }));
        assert!(events.contains(&WatchEvent::Watching { folders: 0 }));
        std::fs::create_dir(&watched).unwrap();
        std::fs::write(watched.join("a.csv"), "Email\na@x.org\n").unwrap();
        let events = next_ready(&rx);
        assert!(events.contains(&WatchEvent::FolderBack {
            path: watched.clone()
        }));
        assert!(events
            .iter()
            .any(|e| matches!(e, WatchEvent::Ready { path, .. } if path.ends_with("a.csv"))));
    }

    #[test]
    fn saved_folders_round_trip_and_are_logged() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &Default::default()).unwrap();
        let f = Folder {
            path: dir.path().join("in"),
            kind: Kind::Events,
            preset: Some("klaviyo".into()),
        };
        save_folder(&mut ws, &f).unwrap();
        save_folder(&mut ws, &f).unwrap();
        assert_eq!(saved_folders(ws.conn()).unwrap(), vec![f]);
        let logged: i64 = ws
            .conn()
            .query_row(
                "SELECT count(*) FROM maintenance_log WHERE kind = 'watch'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(logged, 2);
    }
}
