-- Saved segments and their dynamic membership.

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    rule       TEXT    NOT NULL,                 -- canonical text of the rule
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by TEXT    NOT NULL
);

-- One row per stay of a contact in a segment: current members have left_at NULL, so the
-- same table answers "who is in it now" and "who entered / left, when".
CREATE TABLE segment_membership (
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    entered_at INTEGER NOT NULL,
    left_at    INTEGER
);
CREATE UNIQUE INDEX segment_membership_current
    ON segment_membership (segment_id, contact_id) WHERE left_at IS NULL;
CREATE INDEX segment_membership_contact ON segment_membership (contact_id);

-- Member count after each refresh that changed something, for trends.
CREATE TABLE segment_sizes (
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    members    INTEGER NOT NULL,
    PRIMARY KEY (segment_id, at)
) WITHOUT ROWID;

-- What the last membership refresh saw, so a refresh with nothing new is a no-op: the
-- newest maintenance-log id (every change writes one) and the "now" it used.
CREATE TABLE segment_refresh_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_log_id INTEGER NOT NULL,
    now         INTEGER NOT NULL
);
