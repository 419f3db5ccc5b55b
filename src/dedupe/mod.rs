//! Duplicates: blocking, explainable pair scoring, clusters, remembered decisions, and
//! lossless merge / unmerge.
//!
//! The scan ([`scan`]) reads every live contact into an interned [`table::Table`], proposes
//! candidate pairs through several blocking keys ([`block`]), scores them with
//! Fellegi–Sunter agreement weights ([`score`]), groups likely pairs into chaining-guarded
//! clusters ([`cluster`]) and stores the pairs worth reviewing with their explanation.
//! [`merge`] folds one contact into another in one logged transaction and keeps a
//! before-image that [`merge::unmerge`] restores exactly.

pub mod block;
pub mod cluster;
pub mod features;
pub mod merge;
pub mod nicknames;
pub mod pairs;
pub mod review;

pub mod scan;
pub mod score;
pub mod table;

use crate::workspace::WorkspaceError;

/// What can go wrong finding or merging duplicates.
#[derive(Debug, thiserror::Error)]
pub enum DedupeError {
    #[error("duplicate scan cancelled")]
    Cancelled,
    #[error("no live contact has the id {0:?} (external id, or #N for an internal id)")]
    UnknownContact(String),
    #[error("{count} live contacts have the external id {id:?}; name one as #N (internal id)")]
    AmbiguousContact { id: String, count: usize },
    #[error("cannot merge a contact with itself")]
    SameContact,
    #[error("no merge with id {0}")]
    UnknownMerge(i64),
    #[error("merge {0} was already undone")]
    AlreadyUndone(i64),
    #[error("merge {id} cannot be undone while the later merge {later} involves the same contacts; unmerge {later} first")]
    LaterMerge { id: i64, later: i64 },
    #[error("merge {id} has a damaged before-image: {reason}")]
    BadImage { id: i64, reason: String },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}
