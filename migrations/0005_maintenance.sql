-- Maintenance: folders the watcher imports from, the review schedule and past reviews.
-- Segment sizes over time come from segment_sizes (0002), written at every refresh that
-- changed a segment; audit scores over time from audit_runs (0003).

-- A folder whose new export files are imported as they appear (`listwarden watch`, TUI).
CREATE TABLE watched_folders (
    id       INTEGER PRIMARY KEY,
    path     TEXT    NOT NULL UNIQUE,          -- absolute
    kind     TEXT    NOT NULL CHECK (kind IN ('contacts', 'events')),
    preset   TEXT,                             -- NULL: detected from each file's header
    added_at INTEGER NOT NULL,
    added_by TEXT    NOT NULL
);

-- How often the list should be reviewed (one row per workspace).
CREATE TABLE review_schedule (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    interval_days INTEGER NOT NULL CHECK (interval_days > 0),
    label         TEXT    NOT NULL             -- 'monthly', 'quarterly' or 'every N days'
);

-- One row per recorded review: what the list looked like then, so the next review can
-- say what changed since.
CREATE TABLE reviews (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    os_user  TEXT    NOT NULL,
    note     TEXT    NOT NULL DEFAULT '',
    score    INTEGER,                          -- latest audit score at the time, if any
    snapshot TEXT    NOT NULL,                 -- JSON: the review's findings and sizes
    log_id   INTEGER NOT NULL REFERENCES maintenance_log (id)
);
CREATE INDEX reviews_at ON reviews (at);
