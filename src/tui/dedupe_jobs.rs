//! The Duplicates pane's work on the reader and writer threads: the review queue, the
//! records of the pairs on screen, and the changes (decisions, undos, scans, bulk merges),
//! each a library call that is one logged transaction.

use super::action::{Action, JobEvent, JobId, ReadReply, ReadRequest, WriteRequest};
use super::queries;
use crate::dedupe::{merge, review, scan, DedupeError};
use crate::workspace::Workspace;
use crossbeam_channel::Sender;
use rusqlite::Connection;
use std::sync::atomic::AtomicBool;

/// Answers a duplicates read. SQLite errors stay errors (so an interrupt is seen as one);
/// other failures become a [`ReadReply::Failed`].
pub fn read(conn: &Connection, request: &ReadRequest) -> rusqlite::Result<ReadReply> {
    let answer = match request {
        ReadRequest::DuplicateQueue => review::queue(conn).map(ReadReply::DuplicateQueue),
        ReadRequest::DuplicateRecords { ids } => {
            let mut records = Vec::with_capacity(ids.len());
            for &id in ids {
                records.push((id, queries::detail(conn, id)?.map(Box::new)));
            }
            Ok(ReadReply::DuplicateRecords(records))
        }
        ReadRequest::ExactEmailGroups => {
            let groups = merge::exact_email_groups(conn)?;
            Ok(ReadReply::ExactEmailGroups {
                groups: groups.len(),
                contacts: groups.iter().map(|g| g.len() - 1).sum(),
            })
        }
        _ => return Ok(unanswered(request)),
    };
    match answer {
        Ok(reply) => Ok(reply),
        Err(DedupeError::Sqlite(e)) => Err(e),
        Err(e) => Ok(ReadReply::Failed {
            what: request.key(),
            message: e.to_string(),
        }),
    }
}

fn unanswered(request: &ReadRequest) -> ReadReply {
    ReadReply::Failed {
        what: request.key(),
        message: "not a duplicates request".to_string(),
    }
}

/// Runs a duplicates change on the writer's connection; the line for the operator, or
/// why it failed (nothing written then).
pub fn write(
    ws: &mut Workspace,
    request: &WriteRequest,
    cancel: &AtomicBool,
    out: &Sender<Action>,
) -> Result<String, String> {
    let text = |e: DedupeError| e.to_string();
    match request {
        WriteRequest::Dedupe { change, .. } => review::apply(ws, change).map_err(text),
        WriteRequest::DedupeScan { id } => run_scan(ws, *id, cancel, out).map_err(text),
        WriteRequest::MergeExactEmail { .. } => {
            let merged = merge::merge_exact_email(ws).map_err(text)?;
            Ok(format!(
                "Merged {} contacts sharing a mailbox (each can be undone with `dedupe unmerge`)",
                merged.len()
            ))
        }
        _ => Err("not a duplicates job".to_string()),
    }
}

fn run_scan(
    ws: &mut Workspace,
    id: JobId,
    cancel: &AtomicBool,
    out: &Sender<Action>,
) -> Result<String, DedupeError> {
    let mut progress = |p: scan::Progress| {
        // The UI may be gone while shutting down; the scan still finishes or cancels.
        let _ = out.send(Action::Job(JobEvent::Progress {
            id,
            rows: p.done as u64,
            done: p.done as u64,
            total: p.total as u64,
        }));
    };
    let s = scan::scan(ws, cancel, &mut progress)?;
    Ok(format!(
        "Scanned {} contacts: {} likely and {} possible duplicate pairs",
        s.contacts, s.likely_pairs, s.possible_pairs
    ))
}
