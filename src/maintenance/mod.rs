//! Keeping a list healthy over time: the export watcher, segment health and scheduled
//! reviews.

pub mod watch;
