//! The TUI's maintenance thread: the export watcher over the workspace's saved folders
//! (complete files go to the writer as imports, so they show progress in the status bar)
//! and whether a review is due (read at start and every second after).

use super::action::{Action, JobEvent, JobId};
use crate::cli::Context;
use crate::import::Kind;
use crate::maintenance::review;
use crate::maintenance::watch::{self, Folder, WatchHandle, Watcher};
use crate::workspace::Workspace;
use crossbeam_channel::Sender;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the thread reads whether a review is due.
const REVIEW_EVERY: Duration = Duration::from_secs(1);

/// The settle time: `LISTWARDEN_SETTLE_MS` (as `listwarden watch` reads it), else 1 s.
fn settle() -> Duration {
    std::env::var("LISTWARDEN_SETTLE_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(watch::DEFAULT_SETTLE)
}

/// Starts the watcher over the saved folders and the thread that forwards its events
/// (logging those that are not imports) and the review status. The handle adds folders.
/// Its log writes count in `own_writes`, so they are not taken for another process's.
pub fn start(
    ctx: &Context,
    out: Sender<Action>,
    own_writes: Arc<AtomicU64>,
) -> anyhow::Result<WatchHandle> {
    let mut ws = ctx.open()?;
    let folders = watch::saved_folders(ws.conn())?;
    let (watcher, events) = Watcher::start(folders, settle())?;
    let handle = watcher.handle();
    std::thread::spawn(move || {
        // The thread owns the watcher: it stops when the app is gone.
        let _watcher = watcher;
        let ticks = crossbeam_channel::tick(REVIEW_EVERY);
        let mut due = review::is_due(ws.conn(), ws.clock().now_ts()).unwrap_or(false);
        if out.send(Action::ReviewDue(due)).is_err() {
            return;
        }
        loop {
            crossbeam_channel::select! {
                recv(events) -> event => {
                    let Ok(event) = event else { return };
                    let logged = watch::log_event(&mut ws, &event);
                    if logged.is_ok() && event.log_entry().is_some() {
                        own_writes.fetch_add(1, Ordering::SeqCst);
                    }
                    if out.send(Action::Watch(event)).is_err() {
                        return;
                    }
                    if let Err(e) = logged {
                        let failed = watch::WatchEvent::Error {
                            path: ws.path().to_path_buf(),
                            message: format!("cannot log: {e}"),
                        };
                        if out.send(Action::Watch(failed)).is_err() {
                            return;
                        }
                    }
                }
                recv(ticks) -> _ => {
                    // Read every tick: a review becomes due as time passes, and recording
                    // one ends it. Three tiny queries.
                    let is_due = review::is_due(ws.conn(), ws.clock().now_ts()).unwrap_or(due);
                    if is_due != due {
                        due = is_due;
                        if out.send(Action::ReviewDue(is_due)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
    Ok(handle)
}

/// A watched file on the writer thread: the import with progress reports as job `id`.
pub fn import(
    ws: &mut Workspace,
    id: JobId,
    folder: &Folder,
    path: &Path,
    cancel: &AtomicBool,
    out: &Sender<Action>,
) -> Result<String, String> {
    let mut progress = |p: crate::import::Progress| {
        let _ = out.send(Action::Job(JobEvent::Progress {
            id,
            rows: p.rows,
            done: p.bytes_read,
            total: p.bytes_total,
        }));
    };
    super::import::joined(watch::import_ready(ws, folder, path, &mut progress, cancel))
}

/// `:watch PATH` on the writer thread: saves the folder (contacts, preset detected per
/// file) and starts watching it.
pub fn add(ws: &mut Workspace, path: &Path, watcher: &WatchHandle) -> Result<String, String> {
    let folder = Folder {
        path: path.to_path_buf(),
        kind: Kind::Contacts,
        preset: None,
    };
    let stored = watch::save_folder(ws, &folder).map_err(|e| e.to_string())?;
    let message = format!("watching {}", stored.path.display());
    watcher.add(stored);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::{Effect, WriteRequest};
    use crate::tui::app::App;
    use crate::tui::theme::Theme;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::layout::Rect;
    use std::path::PathBuf;

    fn app() -> App {
        let theme = Theme::load_from("mono", None).unwrap();
        let mut app = App::new(
            "w.db".into(),
            theme,
            false,
            crate::tui::panes::all(),
            Rect::new(0, 0, 80, 24),
        );
        app.start();
        app
    }

    fn status_line(app: &App) -> String {
        let area = Rect::new(0, 0, 80, 24);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        crate::tui::ui::draw(app, area, &mut buf);
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .find(|l| l.contains("contacts") || l.contains("counting"))
            .unwrap_or_default()
    }

    #[test]
    fn a_ready_file_becomes_a_writer_job_and_the_status_bar_shows_the_folders() {
        let mut a = app();
        a.update(Action::Watch(watch::WatchEvent::Watching { folders: 2 }));
        let folder = Folder {
            path: PathBuf::from("/in"),
            kind: Kind::Events,
            preset: Some("klaviyo".into()),
        };
        let effects = a.update(Action::Watch(watch::WatchEvent::Ready {
            folder: folder.clone(),
            path: PathBuf::from("/in/e.csv"),
        }));
        assert_eq!(
            effects,
            vec![Effect::Write(WriteRequest::WatchImport {
                id: 1,
                folder,
                path: PathBuf::from("/in/e.csv"),
            })]
        );
        assert!(a.busy());
        let line = status_line(&a);
        assert!(line.contains("import e.csv (watched)"), "{line}");
        a.update(Action::Job(JobEvent::Finished {
            id: 1,
            outcome: Ok("imported e.csv".into()),
        }));
        assert!(status_line(&a).contains("watching 2 folders"));
        a.update(Action::ReviewDue(true));
        assert!(status_line(&a).contains("review due"));
    }

    #[test]
    fn the_palette_watches_a_typed_folder() {
        let mut a = app();
        let key =
            |a: &mut App, code| a.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        key(&mut a, KeyCode::Char(':'));
        for c in "watch exports/in".chars() {
            key(&mut a, KeyCode::Char(c));
        }
        assert_eq!(
            key(&mut a, KeyCode::Enter),
            vec![Effect::Write(WriteRequest::AddWatch {
                id: 1,
                path: PathBuf::from("exports/in"),
            })]
        );
    }

    #[test]
    fn adding_a_folder_saves_it_and_the_watcher_announces_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.db"), &Default::default()).unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("a.csv"), "Email\na@x.org\n").unwrap();
        let (watcher, events) = Watcher::start(Vec::new(), Duration::from_millis(100)).unwrap();
        let message = add(&mut ws, &folder, &watcher.handle()).unwrap();
        assert!(message.starts_with("watching "), "{message}");
        assert_eq!(watch::saved_folders(ws.conn()).unwrap().len(), 1);
        let ready = (0..20)
            .filter_map(|_| events.recv_timeout(Duration::from_millis(200)).ok())
            .find_map(|e| match e {
                watch::WatchEvent::Ready { folder, path } => Some((folder, path)),
                _ => None,
            });
        let (found_in, path) = ready.unwrap();
        let (tx, _rx) = crossbeam_channel::unbounded();
        let summary = import(&mut ws, 1, &found_in, &path, &AtomicBool::new(false), &tx).unwrap();
        assert!(summary.starts_with("imported a.csv"), "{summary}");
    }
}
