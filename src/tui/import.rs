//! `:import PATH` on the writer thread: the library's import with progress reports to the
//! status bar and the job's cancel flag (the import rolls back when it is raised).

use super::action::{Action, JobEvent, JobId};
use crate::import::{Kind, Options};
use crate::pipeline::import_file;
use crate::workspace::Workspace;
use crossbeam_channel::Sender;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Imports `path` into `ws`, reporting progress as job `id`. The one-line summary, or the
/// error message (which already names the file and row).
pub fn run(
    ws: &mut Workspace,
    id: JobId,
    path: &Path,
    kind: Kind,
    cancel: &AtomicBool,
    out: &Sender<Action>,
) -> Result<String, String> {
    let options = Options { kind, preset: None };
    let mut progress = |p: crate::import::Progress| {
        // A closed channel means the app is quitting; the cancel flag stops the import.
        let _ = out.send(Action::Job(JobEvent::Progress {
            id,
            rows: p.rows,
            done: p.bytes_read,
            total: p.bytes_total,
        }));
    };
    import_file(ws, path, &options, &mut progress, cancel)
        .map(|imported| {
            let changed = imported.membership_lines();
            std::iter::once(imported.summary.to_string())
                .chain(changed)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .map_err(|e| e.to_string())
}
