//! What every import is followed by, wherever it starts (CLI, demo, TUI, watcher): the saved
//! segments refresh their membership, so counts and "who entered, who left" follow the data.
//!
//! The import and the refresh are separate transactions on purpose: an import that
//! committed stays committed even when a segment cannot be refreshed (say, a saved rule
//! names a field that no longer exists); the refresh error is reported beside the summary.

use crate::import::{self, ImportError, Options, Progress, Summary};
use crate::segment::{self, MembershipChange};
use crate::workspace::Workspace;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// An import and the membership changes it caused.
#[derive(Debug)]
pub struct Imported {
    pub summary: Summary,
    /// One entry per saved segment whose members were recomputed.
    pub membership: Vec<MembershipChange>,
    /// Why the segments could not be refreshed, when they could not.
    pub refresh_error: Option<String>,
}

impl Imported {
    /// One line per segment that gained or lost members, for people.
    pub fn membership_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .membership
            .iter()
            .filter(|m| !m.entered.is_empty() || !m.left.is_empty())
            .map(|m| {
                format!(
                    "  segment \"{}\": +{} entered, -{} left, {} members",
                    crate::text::inert(&m.segment),
                    m.entered.len(),
                    m.left.len(),
                    m.members
                )
            })
            .collect();
        if let Some(e) = &self.refresh_error {
            lines.push(format!("  segments not refreshed: {e}"));
        }
        lines
    }
}

/// Imports `path` — each export in it, one after the other, when it is a ZIP archive
/// ([`import::archive`]) — with [`import_file`]: one result per file.
pub fn import_path(
    ws: &mut Workspace,
    path: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Vec<Result<Imported, ImportError>> {
    if !import::archive::is_zip(path) {
        return vec![import_file(ws, path, options, progress, cancel)];
    }
    let unpacked = match import::archive::unpack(path) {
        Ok(unpacked) => unpacked,
        Err(e) => return vec![Err(e)],
    };
    let mut results = Vec::new();
    for entry in &unpacked.entries {
        let named = Options {
            name: Some(entry.name.clone()),
            ..options.clone()
        };
        results.push(import_file(ws, &entry.path, &named, progress, cancel));
    }
    results
}

/// Imports `path`, then refreshes every saved segment when the import changed anything.
pub fn import_file(
    ws: &mut Workspace,
    path: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Imported, ImportError> {
    let summary = import::import_file(ws, path, options, progress, cancel)?;
    let (membership, refresh_error) = if summary.import_id.is_some() {
        match segment::refresh_all(ws) {
            Ok(changes) => (changes, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        }
    } else {
        (Vec::new(), None)
    };
    Ok(Imported {
        summary,
        membership,
        refresh_error,
    })
}
