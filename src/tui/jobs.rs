//! Background work, each on its own thread with its own workspace connection, reporting
//! to the UI over one channel of [`Action`]s:
//!
//! - the **reader** answers reads (counts, pages, details). Requests with the same key
//!   replace each other while queued (latest wins), and a new contacts view interrupts the
//!   query in flight, so typing a filter over a million contacts never queues up scans; a
//!   second reader answers the Segments pane from the segment image it keeps loaded;
//! - the **writer** runs changes (imports) one at a time, each in one transaction that
//!   checks a cancel flag and rolls back when raised;
//! - the **auditor** runs the list audit (seconds on a large list) off the reader, so
//!   pages keep coming; it reports progress, and a newer audit request cancels the one
//!   in flight through the audit's cancel flag;
//! - the **reviewer** computes the scheduled review (which runs an audit too) for the
//!   Review pane, on a reader of its own;
//! - the **watcher** polls `PRAGMA data_version` every second and says when another
//!   connection committed, so several TUIs and CLI runs on one workspace stay in step.

use super::action::{Action, JobEvent, JobId, ReadReply, ReadRequest, WriteRequest};
use super::queries;
use super::segment_jobs::{self, SegmentCache};
use crate::audit::{self, view::Shared, AuditError};
use crate::cli::Context;
use crate::maintenance::log as mlog;
use crate::segment::SegmentError;
use crate::workspace::Workspace;
use crossbeam_channel::{Receiver, Sender};
use rusqlite::{Connection, ErrorCode, InterruptHandle};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A view whose first page ends within this many rows gets that page before the total.
const QUICK_ROWS: usize = 1000;
/// How often the watcher looks for commits by others.
const WATCH_EVERY: Duration = Duration::from_secs(1);
/// How often a running audit reports progress.
const AUDIT_PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Handles to the worker threads, held by the event loop.
pub struct Jobs {
    reads: Sender<ReadRequest>,
    /// The Segments pane's reads go to a reader of their own, so loading the image and
    /// counting while typing never wait behind contact pages, nor hold them up.
    segment_reads: Sender<ReadRequest>,
    /// The Review pane's review runs an audit: on a reader of its own, so it never holds
    /// up pages.
    review_reads: Sender<ReadRequest>,
    interrupt: InterruptHandle,
    writes: Sender<(WriteRequest, Arc<AtomicBool>)>,
    cancels: HashMap<JobId, Arc<AtomicBool>>,
    audits: Sender<u64>,
    /// The generation of the newest audit asked for; older running ones stop.
    audit_wanted: Arc<AtomicU64>,
}

impl Jobs {
    /// Opens one connection per worker (so errors show before the screen switches) and
    /// starts the threads.
    pub fn start(ctx: &Context, out: Sender<Action>) -> anyhow::Result<Jobs> {
        let reader = ctx.open()?;
        let segment_reader = ctx.open()?;
        let writer = ctx.open()?;
        let watcher = ctx.open()?;
        let auditor = ctx.open()?;
        let reviewer = ctx.open()?;
        let interrupt = reader.conn().get_interrupt_handle();
        let own_writes = Arc::new(AtomicU64::new(0));

        let (reads, read_rx) = crossbeam_channel::unbounded();
        let reader_out = out.clone();
        std::thread::spawn(move || reader_loop(&reader, &read_rx, &reader_out));

        let (segment_reads, segment_rx) = crossbeam_channel::unbounded();
        let segment_out = out.clone();
        std::thread::spawn(move || reader_loop(&segment_reader, &segment_rx, &segment_out));

        let (review_reads, review_rx) = crossbeam_channel::unbounded();
        let review_out = out.clone();
        std::thread::spawn(move || reader_loop(&reviewer, &review_rx, &review_out));

        let (writes, write_rx) = crossbeam_channel::unbounded();
        let writer_out = out.clone();
        let writer_count = Arc::clone(&own_writes);
        let folders = super::maintenance::start(ctx, out.clone(), Arc::clone(&own_writes))?;
        std::thread::spawn(move || {
            writer_loop(writer, &write_rx, &writer_out, &writer_count, &folders)
        });

        let (audits, audit_rx) = crossbeam_channel::unbounded();
        let audit_wanted = Arc::new(AtomicU64::new(0));
        let (auditor_out, wanted) = (out.clone(), Arc::clone(&audit_wanted));
        std::thread::spawn(move || audit_loop(&auditor, &audit_rx, &wanted, &auditor_out));

        std::thread::spawn(move || watch_loop(&watcher, &out, &own_writes));
        Ok(Jobs {
            reads,
            segment_reads,
            review_reads,
            interrupt,
            writes,
            cancels: HashMap::new(),
            audits,
            audit_wanted,
        })
    }

    /// Queues a read; a new view interrupts whatever the reader is doing. Audits go to
    /// the auditor and cancel the one running.
    pub fn read(&self, request: ReadRequest) {
        if matches!(request, ReadRequest::Segments(_)) {
            // A send only fails when the thread is gone, i.e. while shutting down.
            let _ = self.segment_reads.send(request);
            return;
        }
        if matches!(request, ReadRequest::Review { .. }) {
            let _ = self.review_reads.send(request);
            return;
        }
        if let ReadRequest::Audit { generation } = request {
            self.audit_wanted.store(generation, Ordering::SeqCst);
            let _ = self.audits.send(generation);
            return;
        }
        let interrupts = request.interrupts();
        if self.reads.send(request).is_ok() && interrupts {
            self.interrupt.interrupt();
        }
    }

    /// Queues a change for the writer.
    pub fn write(&mut self, request: WriteRequest) {
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancels.insert(request.id(), Arc::clone(&cancel));
        // A send only fails when the writer thread is gone, i.e. while shutting down.
        let _ = self.writes.send((request, cancel));
    }

    /// Raises the cancel flag of job `id`.
    pub fn cancel(&self, id: JobId) {
        if let Some(flag) = self.cancels.get(&id) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Forgets a finished job's cancel flag.
    pub fn finished(&mut self, id: JobId) {
        self.cancels.remove(&id);
    }
}

fn reader_loop(ws: &Workspace, requests: &Receiver<ReadRequest>, out: &Sender<Action>) {
    let mut pending: VecDeque<ReadRequest> = VecDeque::new();
    let mut reader = Reader {
        segments: SegmentCache::new(ws.clock()),
        ..Reader::default()
    };
    loop {
        if pending.is_empty() {
            match requests.recv() {
                Ok(r) => enqueue(&mut pending, r),
                Err(_) => return,
            }
        }
        while let Ok(r) = requests.try_recv() {
            enqueue(&mut pending, r);
        }
        let Some(request) = pending.pop_front() else {
            continue;
        };
        let mut listening = true;
        let result = reader.answer(ws.conn(), &request, &mut |reply| {
            listening &= out.send(Action::Read(reply)).is_ok();
        });
        if !listening {
            return;
        }
        match result {
            Ok(()) => {}
            Err(e) if is_interrupted(&e) => {
                // Interrupted for a newer request of the same kind: drop it. Interrupted
                // by accident (the newer request was another kind): run it again.
                if !pending.iter().any(|p| p.key() == request.key()) {
                    pending.push_front(request);
                }
            }
            Err(e) => {
                let reply = ReadReply::Failed {
                    what: request.key(),
                    message: e.to_string(),
                };
                if out.send(Action::Read(reply)).is_err() {
                    return;
                }
            }
        }
    }
}

/// Latest wins: a queued request with the same key is replaced by the new one.
fn enqueue(pending: &mut VecDeque<ReadRequest>, request: ReadRequest) {
    pending.retain(|p| p.key() != request.key());
    pending.push_back(request);
}

/// What the reader keeps between requests: the ids of the current contacts view, in
/// order. It lives on the reader thread only; the UI sees pages.
#[derive(Debug, Default)]
pub struct Reader {
    generation: u64,
    ids: Vec<i64>,
    /// The Segments pane's image, kept across requests.
    segments: SegmentCache,
}

impl Reader {
    fn page(&self, start: usize, len: usize) -> &[i64] {
        let start = start.min(self.ids.len());
        let end = start.saturating_add(len).min(self.ids.len());
        &self.ids[start..end]
    }

    /// Answers one request through `reply`: nothing for a page of a view that has been
    /// replaced, two answers for an unfiltered view near the top (its first page at once,
    /// then the total when the whole order is known — the first frame must not wait for
    /// a million-row sort).
    pub fn answer(
        &mut self,
        conn: &Connection,
        request: &ReadRequest,
        reply: &mut dyn FnMut(ReadReply),
    ) -> rusqlite::Result<()> {
        let answer = match request {
            ReadRequest::LiveCount => ReadReply::LiveCount(queries::live_count(conn)?),
            ReadRequest::ContactsView {
                generation,
                sort,
                filter,
                start,
                len,
            } => {
                let first = start.saturating_add(*len);
                if filter.trim().is_empty() && first <= QUICK_ROWS {
                    let ids = queries::ordered_ids(conn, *sort, filter, Some(first))?;
                    let ids = ids.get(*start..).unwrap_or_default();
                    reply(ReadReply::ContactsView {
                        generation: *generation,
                        total: None,
                        start: *start,
                        rows: queries::rows(conn, ids)?,
                    });
                }
                self.ids = queries::ordered_ids(conn, *sort, filter, None)?;
                self.generation = *generation;
                ReadReply::ContactsView {
                    generation: *generation,
                    total: Some(self.ids.len()),
                    start: *start,
                    rows: queries::rows(conn, self.page(*start, *len))?,
                }
            }
            ReadRequest::ContactsPage {
                generation,
                start,
                len,
            } => {
                if *generation != self.generation {
                    return Ok(());
                }
                ReadReply::ContactsPage {
                    generation: *generation,
                    start: *start,
                    rows: queries::rows(conn, self.page(*start, *len))?,
                }
            }
            ReadRequest::ContactDetail { id } => ReadReply::ContactDetail {
                id: *id,
                detail: queries::detail(conn, *id)?.map(Box::new),
            },
            ReadRequest::Segments(read) => match self.segments.answer(conn, read) {
                Ok(answer) => ReadReply::Segments(answer),
                Err(SegmentError::Sqlite(e)) => return Err(e),
                Err(e) => ReadReply::Failed {
                    what: read.key(),
                    message: e.to_string(),
                },
            },
            ReadRequest::LogPage {
                generation,
                filter,
                start,
                len,
            } => ReadReply::LogPage {
                generation: *generation,
                total: mlog::count(conn, filter)?,
                start: *start,
                rows: mlog::page(conn, filter, *start, *len)?,
                kinds: mlog::kinds(conn)?,
                users: mlog::users(conn)?,
            },
            ReadRequest::LogDetail { id } => ReadReply::LogDetail {
                id: *id,
                detail: mlog::detail(conn, *id)?.map(Box::new),
            },
            // Audits run on the auditor thread ([`Jobs::read`] sends them there).
            ReadRequest::Audit { .. } => return Ok(()),
            ReadRequest::LastAuditRun => match audit::history(conn) {
                Ok(mut runs) => ReadReply::LastAuditRun(runs.pop()),
                Err(AuditError::Sqlite(e)) => return Err(e),
                Err(e) => ReadReply::Failed {
                    what: request.key(),
                    message: e.to_string(),
                },
            },
            ReadRequest::AuditContacts {
                audit,
                kind,
                offset,
                len,
            } => match audit::view::page(&audit.0, conn, *kind, *offset, *len) {
                Ok(page) => ReadReply::AuditContacts {
                    audit: audit.clone(),
                    kind: *kind,
                    offset: *offset,
                    page,
                },
                Err(AuditError::Sqlite(e)) => return Err(e),
                Err(e) => ReadReply::Failed {
                    what: request.key(),
                    message: e.to_string(),
                },
            },
            ReadRequest::DuplicateQueue
            | ReadRequest::DuplicateRecords { .. }
            | ReadRequest::ExactEmailGroups => super::dedupe_jobs::read(conn, request)?,
            ReadRequest::Review { generation } => {
                match crate::maintenance::review::review(conn, self.segments.clock().now_ts()) {
                    Ok(review) => ReadReply::Review {
                        generation: *generation,
                        review: Box::new(review),
                    },
                    Err(crate::maintenance::MaintenanceError::Sqlite(e)) => return Err(e),
                    Err(e) => ReadReply::Failed {
                        what: request.key(),
                        message: e.to_string(),
                    },
                }
            }
        };
        reply(answer);
        Ok(())
    }
}

fn is_interrupted(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::OperationInterrupted)
}

fn writer_loop(
    mut ws: Workspace,
    requests: &Receiver<(WriteRequest, Arc<AtomicBool>)>,
    out: &Sender<Action>,
    own_writes: &AtomicU64,
    watcher: &crate::maintenance::watch::WatchHandle,
) {
    for (request, cancel) in requests {
        let id = request.id();
        let outcome = match &request {
            WriteRequest::Audit { edit, .. } => {
                let result = edit.perform(&mut ws).map_err(|e| e.to_string());
                let summary = result
                    .as_ref()
                    .map(|log| format!("{} (log entry {log})", edit.label()))
                    .map_err(|e| format!("{}: {e}", edit.label()));
                let event = JobEvent::AuditEdited {
                    edit: edit.clone(),
                    result,
                };
                if out.send(Action::Job(event)).is_err() {
                    return;
                }
                summary
            }
            WriteRequest::Import { path, kind, .. } => {
                super::import::run(&mut ws, id, path, *kind, &cancel, out)
            }
            WriteRequest::Segment { change, .. } => segment_jobs::write(&mut ws, change),
            WriteRequest::UndoLog { log_id, .. } => mlog::undo(&mut ws, *log_id)
                .map(|undo| format!("Undid log entry {log_id} (logged as {undo})"))
                .map_err(|e| e.to_string()),
            WriteRequest::Dedupe { .. }
            | WriteRequest::DedupeScan { .. }
            | WriteRequest::MergeExactEmail { .. } => {
                super::dedupe_jobs::write(&mut ws, &request, &cancel, out)
            }
            WriteRequest::WatchImport { folder, path, .. } => {
                super::maintenance::import(&mut ws, id, folder, path, &cancel, out)
            }
            WriteRequest::AddWatch { path, .. } => super::maintenance::add(&mut ws, path, watcher),
            WriteRequest::RecordReview { note, .. } => record_review(&mut ws, note),
        };
        if outcome.is_ok() {
            own_writes.fetch_add(1, Ordering::SeqCst);
        }
        let event = JobEvent::Finished { id, outcome };
        if out.send(Action::Job(event)).is_err() {
            return;
        }
    }
}

/// Records the review as of now (a fresh one, so the snapshot is what the list is now).
fn record_review(ws: &mut Workspace, note: &str) -> Result<String, String> {
    use crate::maintenance::review;
    let now = ws.clock().now_ts();
    let recorded = review::review(ws.conn(), now).and_then(|r| review::record(ws, &r, note));
    recorded
        .map(|id| format!("Review #{id} recorded"))
        .map_err(|e| format!("record review: {e}"))
}

/// The reply to a finished audit.
fn audit_reply(generation: u64, result: Result<audit::Audit, AuditError>) -> ReadReply {
    match result {
        Ok(audit) => ReadReply::Audit {
            generation,
            audit: Shared(Arc::new(audit)),
        },
        Err(e) => ReadReply::Failed {
            what: "audit",
            message: e.to_string(),
        },
    }
}

/// Runs the newest audit asked for, reporting progress while it runs and cancelling it
/// as soon as a newer one is wanted (the newer one then runs).
fn audit_loop(ws: &Workspace, requests: &Receiver<u64>, wanted: &AtomicU64, out: &Sender<Action>) {
    while let Ok(mut generation) = requests.recv() {
        while let Ok(newer) = requests.try_recv() {
            generation = newer;
        }
        let progress = audit::Progress::default();
        let (finished, finished_rx) = crossbeam_channel::bounded::<()>(1);
        let result = std::thread::scope(|s| {
            s.spawn(|| loop {
                if wanted.load(Ordering::SeqCst) != generation {
                    progress.cancel.store(true, Ordering::Relaxed);
                }
                let reply = ReadReply::AuditProgress {
                    generation,
                    done: progress.done.load(Ordering::Relaxed),
                    total: progress.total.load(Ordering::Relaxed),
                };
                if out.send(Action::Read(reply)).is_err() {
                    progress.cancel.store(true, Ordering::Relaxed);
                }
                if finished_rx.recv_timeout(AUDIT_PROGRESS_EVERY).is_ok() {
                    return;
                }
            });
            let result = audit::run_with_progress(ws.conn(), ws.clock().now_ts(), &progress);
            let _ = finished.send(());
            result
        });
        if matches!(result, Err(AuditError::Cancelled)) {
            continue;
        }
        if out
            .send(Action::Read(audit_reply(generation, result)))
            .is_err()
        {
            return;
        }
    }
}

fn watch_loop(ws: &Workspace, out: &Sender<Action>, own_writes: &AtomicU64) {
    let mut last_version = ws.data_version().ok();
    let mut last_own = own_writes.load(Ordering::SeqCst);
    loop {
        std::thread::sleep(WATCH_EVERY);
        let version = ws.data_version().ok();
        if version == last_version {
            continue;
        }
        last_version = version;
        let own = own_writes.load(Ordering::SeqCst);
        let by_others = own == last_own;
        last_own = own;
        if out.send(Action::DataChanged { by_others }).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::queries::{tests::fixture, Sort};

    #[test]
    fn latest_request_of_a_kind_wins_and_others_keep_their_place() {
        let mut pending = VecDeque::new();
        enqueue(&mut pending, ReadRequest::LiveCount);
        enqueue(&mut pending, ReadRequest::ContactDetail { id: 1 });
        enqueue(&mut pending, ReadRequest::ContactDetail { id: 2 });
        assert_eq!(
            Vec::from(pending),
            vec![ReadRequest::LiveCount, ReadRequest::ContactDetail { id: 2 }]
        );
    }

    fn answers(reader: &mut Reader, conn: &Connection, request: ReadRequest) -> Vec<ReadReply> {
        let mut replies = Vec::new();
        reader
            .answer(conn, &request, &mut |r| replies.push(r))
            .unwrap();
        replies
    }

    #[test]
    fn a_view_answers_its_first_page_then_its_total_and_old_pages_are_dropped() {
        let (_dir, ws) = fixture();
        let mut reader = Reader {
            segments: SegmentCache::new(ws.clock()),
            ..Reader::default()
        };
        let view = |filter: &str| ReadRequest::ContactsView {
            generation: 2,
            sort: Sort::default(),
            filter: filter.to_string(),
            start: 0,
            len: 2,
        };
        let replies = answers(&mut reader, ws.conn(), view(""));
        let summary: Vec<(Option<usize>, usize)> = replies
            .iter()
            .map(|r| match r {
                ReadReply::ContactsView { total, rows, .. } => (*total, rows.len()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(summary, vec![(None, 2), (Some(3), 2)]);
        // A filtered view is answered once, with its total.
        assert_eq!(answers(&mut reader, ws.conn(), view("bob")).len(), 1);
        let stale = ReadRequest::ContactsPage {
            generation: 1,
            start: 0,
            len: 10,
        };
        assert!(answers(&mut reader, ws.conn(), stale).is_empty());
        let beyond = ReadRequest::ContactsPage {
            generation: 2,
            start: 50,
            len: 10,
        };
        assert!(matches!(
            answers(&mut reader, ws.conn(), beyond).as_slice(),
            [ReadReply::ContactsPage { rows, .. }] if rows.is_empty()
        ));
    }

    #[test]
    fn the_watcher_tells_commits_by_others_from_our_own() {
        let (dir, mut ws) = fixture();
        let watched = Workspace::open(&dir.path().join("w.db"), &Default::default()).unwrap();
        let own_writes = Arc::new(AtomicU64::new(0));
        let (tx, rx) = crossbeam_channel::unbounded();
        let counter = Arc::clone(&own_writes);
        std::thread::spawn(move || watch_loop(&watched, &tx, &counter));
        let commit = |ws: &mut Workspace, company: &str| {
            ws.write(|tx| -> Result<(), crate::workspace::WorkspaceError> {
                tx.execute("UPDATE contacts SET company = ?1 WHERE id = 2", [company])?;
                Ok(())
            })
            .unwrap();
        };
        std::thread::sleep(Duration::from_millis(200));
        commit(&mut ws, "X");
        let wait = Duration::from_secs(5);
        assert_eq!(
            rx.recv_timeout(wait).unwrap(),
            Action::DataChanged { by_others: true }
        );
        // Our writer commits, then counts the commit (as writer_loop does).
        commit(&mut ws, "Y");
        own_writes.fetch_add(1, Ordering::SeqCst);
        assert_eq!(
            rx.recv_timeout(wait).unwrap(),
            Action::DataChanged { by_others: false }
        );
    }

    #[test]
    fn an_interrupted_query_reports_interrupted() {
        let (_dir, ws) = fixture();
        ws.conn().get_interrupt_handle().interrupt();
        // SQLite clears an interrupt when no statement runs, so interrupt from inside one.
        let handle = ws.conn().get_interrupt_handle();
        ws.conn()
            .create_scalar_function(
                "stop",
                0,
                rusqlite::functions::FunctionFlags::SQLITE_UTF8,
                move |_| {
                    handle.interrupt();
                    Ok(0)
                },
            )
            .unwrap();
        let err = ws
            .conn()
            .query_row(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) \
                 SELECT count(*) FROM n WHERE stop() = 0",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap_err();
        assert!(is_interrupted(&err), "{err}");
    }

    #[test]
    fn the_auditor_runs_only_the_newest_audit_asked_for() {
        let (_dir, ws) = fixture();
        let (requests, rx) = crossbeam_channel::unbounded();
        let wanted = Arc::new(AtomicU64::new(2));
        requests.send(1).unwrap();
        requests.send(2).unwrap();
        drop(requests);
        let (tx, out) = crossbeam_channel::unbounded();
        audit_loop(&ws, &rx, &wanted, &tx);
        let replies: Vec<ReadReply> = out
            .try_iter()
            .map(|a| match a {
                Action::Read(r) => r,
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(matches!(
            replies.first(),
            Some(ReadReply::AuditProgress { generation: 2, .. })
        ));
        let finished: Vec<u64> = replies
            .iter()
            .filter_map(|r| match r {
                ReadReply::Audit { generation, audit } => {
                    assert_eq!(audit.0.contacts, 3);
                    Some(*generation)
                }
                ReadReply::AuditProgress { generation, .. } => {
                    assert_eq!(*generation, 2);
                    None
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(finished, vec![2]);
    }

    #[test]
    fn an_audit_edit_reports_its_log_id_then_finishes_with_a_summary() {
        use crate::audit::view::{Change, Edit};
        let (_dir, ws) = fixture();
        let (requests, rx) = crossbeam_channel::unbounded();
        let edit = Edit::Apply(Change::Suppress {
            ids: vec![1],
            reason: "audit: test".into(),
        });
        let request = WriteRequest::Audit {
            id: 7,
            edit: edit.clone(),
        };
        requests
            .send((request, Arc::new(AtomicBool::new(false))))
            .unwrap();
        drop(requests);
        let (tx, out) = crossbeam_channel::unbounded();
        let (watcher, _events) =
            crate::maintenance::watch::Watcher::start(Vec::new(), Duration::from_millis(100))
                .unwrap();
        writer_loop(ws, &rx, &tx, &AtomicU64::new(0), &watcher.handle());
        let events: Vec<Action> = out.try_iter().collect();
        let [Action::Job(JobEvent::AuditEdited {
            edit: done,
            result: Ok(log),
        }), Action::Job(JobEvent::Finished {
            id: 7,
            outcome: Ok(summary),
        })] = events.as_slice()
        else {
            panic!("{events:?}");
        };
        assert_eq!(done, &edit);
        assert_eq!(summary, &format!("suppress 1 contact (log entry {log})"));
    }

    #[test]
    fn recording_a_review_stores_the_note_and_logs_it() {
        let (_dir, ws) = fixture();
        let (requests, rx) = crossbeam_channel::unbounded();
        let request = WriteRequest::RecordReview {
            id: 9,
            note: "all fine".into(),
        };
        requests
            .send((request, Arc::new(AtomicBool::new(false))))
            .unwrap();
        drop(requests);
        let check = Workspace::open(ws.path(), &Default::default()).unwrap();
        let (tx, out) = crossbeam_channel::unbounded();
        let (watcher, _events) =
            crate::maintenance::watch::Watcher::start(Vec::new(), Duration::from_millis(100))
                .unwrap();
        writer_loop(ws, &rx, &tx, &AtomicU64::new(0), &watcher.handle());
        let events: Vec<Action> = out.try_iter().collect();
        assert_eq!(
            events,
            vec![Action::Job(JobEvent::Finished {
                id: 9,
                outcome: Ok("Review #1 recorded".into()),
            })]
        );
        let last = crate::maintenance::review::last_review(check.conn()).unwrap();
        assert_eq!(last.map(|r| r.note), Some("all fine".into()));
    }
}
