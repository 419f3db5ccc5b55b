//! `:import PATH` on the writer thread: runs the library's import with progress reports
//! and the job's cancel flag.

use super::action::{Action, JobId};
use crate::workspace::Workspace;
use crossbeam_channel::Sender;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Imports `path` into `ws`, reporting progress as job `id`; the one-line summary or the
/// error message.
pub fn run(
    _ws: &mut Workspace,
    _id: JobId,
    path: &Path,
    _cancel: &AtomicBool,
    _out: &Sender<Action>,
) -> Result<String, String> {
    // INTERIM until the import API is merged to main (replaced in this branch).
    Err(format!("cannot import {} yet", path.display()))
}
