-- Duplicates: scan results, remembered decisions, merges with their before-images, and the
-- values a merge did not keep.

-- One row per `dedupe scan`. Only the latest scan's pairs are kept (dedupe_pairs).
CREATE TABLE dedupe_scans (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    elapsed_ms  INTEGER NOT NULL,
    contacts    INTEGER NOT NULL,
    candidates  INTEGER NOT NULL,              -- pairs blocking proposed and were scored
    likely      INTEGER NOT NULL,
    possible    INTEGER NOT NULL,
    clusters    INTEGER NOT NULL,
    likely_at   REAL    NOT NULL,              -- the thresholds in force
    possible_at REAL    NOT NULL
);

-- Candidate pairs of the latest scan at or above the "possible" threshold
-- (contact_a < contact_b). `reasons` is the JSON explanation: [{field, level, weight}].
CREATE TABLE dedupe_pairs (
    contact_a  INTEGER NOT NULL REFERENCES contacts (id),
    contact_b  INTEGER NOT NULL REFERENCES contacts (id),
    score      REAL    NOT NULL,
    cluster    INTEGER,                        -- shared cluster number when both are in one
    reasons    TEXT    NOT NULL,
    PRIMARY KEY (contact_a, contact_b)
) WITHOUT ROWID;
CREATE INDEX dedupe_pairs_score ON dedupe_pairs (score DESC);

-- "Not a duplicate", remembered by each contact's smallest identity key (contact_keys.key),
-- which survives rescans, re-imports and merges (keys move with the contact). key_a < key_b.
CREATE TABLE dedupe_decisions (
    key_a      TEXT    NOT NULL,
    key_b      TEXT    NOT NULL,
    decision   TEXT    NOT NULL CHECK (decision IN ('not_duplicate')),
    decided_at INTEGER NOT NULL,
    os_user    TEXT    NOT NULL,
    PRIMARY KEY (key_a, key_b)
) WITHOUT ROWID;

-- One row per merge. `before_image` (JSON) holds every row the merge changed, as it was,
-- and every row it moved or added, so `unmerge` restores the workspace exactly.
CREATE TABLE dedupe_merges (
    id           INTEGER PRIMARY KEY,
    survivor_id  INTEGER NOT NULL REFERENCES contacts (id),
    absorbed_id  INTEGER NOT NULL REFERENCES contacts (id),
    log_id       INTEGER NOT NULL REFERENCES maintenance_log (id),
    merged_at    INTEGER NOT NULL,
    os_user      TEXT    NOT NULL,
    before_image TEXT    NOT NULL,
    undone_at    INTEGER
);
CREATE INDEX dedupe_merges_survivor ON dedupe_merges (survivor_id);
CREATE INDEX dedupe_merges_absorbed ON dedupe_merges (absorbed_id);

-- Values of a merged contact that lost to the survivor's (a second email, an older phone,
-- another spelling), kept so nothing is lost and a person can pick them later.
CREATE TABLE contact_alternates (
    id           INTEGER PRIMARY KEY,
    contact_id   INTEGER NOT NULL REFERENCES contacts (id),
    field        TEXT    NOT NULL,
    value        TEXT    NOT NULL,
    from_contact INTEGER NOT NULL REFERENCES contacts (id),
    merge_id     INTEGER NOT NULL REFERENCES dedupe_merges (id)
);
CREATE UNIQUE INDEX contact_alternates_value ON contact_alternates (contact_id, field, value);
