//! Keeping a list healthy over time: the maintenance log (browse, inspect, undo), the
//! export watcher, segment health and scheduled reviews.

pub mod health;
pub mod log;
pub mod review;
pub mod watch;

use crate::audit::AuditError;
use crate::dedupe::DedupeError;
use crate::segment::SegmentError;
use crate::workspace::WorkspaceError;

/// What can go wrong computing health or a review.
#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error(transparent)]
    Segment(#[from] SegmentError),
    #[error(transparent)]
    Dedupe(#[from] DedupeError),
    #[error("stored review is unreadable: {0}")]
    Json(#[from] serde_json::Error),
}
