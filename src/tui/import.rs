//! `:import PATH` on the writer thread: the library's import with progress reports to the
//! status bar and the job's cancel flag (the import rolls back when it is raised).

use super::action::{Action, JobEvent, JobId};
use crate::import::{Kind, Options};
use crate::pipeline::import_path;
use crate::workspace::Workspace;
use crossbeam_channel::Sender;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Imports `path` (each export in it, for a ZIP archive) into `ws`, reporting progress as
/// job `id`. The summary of each file, or with any file failed, those and the error
/// messages (which already name the file and row).
pub fn run(
    ws: &mut Workspace,
    id: JobId,
    path: &Path,
    kind: Kind,
    cancel: &AtomicBool,
    out: &Sender<Action>,
) -> Result<String, String> {
    let options = Options {
        kind,
        preset: None,
        name: None,
    };
    let mut progress = |p: crate::import::Progress| {
        // A closed channel means the app is quitting; the cancel flag stops the import.
        let _ = out.send(Action::Job(JobEvent::Progress {
            id,
            rows: p.rows,
            done: p.bytes_read,
            total: p.bytes_total,
        }));
    };
    let results = import_path(ws, path, &options, &mut progress, cancel);
    joined(
        results
            .into_iter()
            .map(|result| {
                result
                    .map(|imported| {
                        let changed = imported.membership_lines();
                        std::iter::once(imported.summary.to_string())
                            .chain(changed)
                            .collect()
                    })
                    .map_err(|e| e.to_string())
            })
            .collect(),
    )
}

/// What a job that imported one or more files says: each file's lines or error, one
/// after the other; a failure when any file failed.
pub fn joined(files: Vec<Result<Vec<String>, String>>) -> Result<String, String> {
    let failed = files.iter().any(Result::is_err);
    let text = files
        .into_iter()
        .flat_map(|file| file.unwrap_or_else(|message| vec![message]))
        .collect::<Vec<_>>()
        .join("\n");
    if failed {
        Err(text)
    } else {
        Ok(text)
    }
}
