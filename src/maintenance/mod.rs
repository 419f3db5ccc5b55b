//! Keeping the list healthy over time: the maintenance log (browse, inspect, undo).

pub mod log;
