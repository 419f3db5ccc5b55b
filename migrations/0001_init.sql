-- Listwarden workspace schema, version 1.
-- Conventions: every *_at column is a UTC instant in unix seconds (INTEGER);
-- calendar dates without time (date_of_birth) are TEXT 'YYYY-MM-DD'.
-- Text stored for display is trimmed and NFC-normalised; *_norm columns are match keys.

-- One row per file read by `listwarden import` (or the watcher).
CREATE TABLE imports (
    id             INTEGER PRIMARY KEY,
    path           TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL,             -- sha256 of the file bytes
    kind           TEXT    NOT NULL CHECK (kind IN ('contacts', 'events')),
    preset         TEXT    NOT NULL,
    encoding       TEXT    NOT NULL,
    delimiter      TEXT    NOT NULL,
    headers        TEXT    NOT NULL,             -- JSON array of the header row as read
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    os_user        TEXT    NOT NULL,
    rows_read      INTEGER NOT NULL DEFAULT 0,
    rows_new       INTEGER NOT NULL DEFAULT 0,
    rows_updated   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_hash ON imports (content_hash, kind);

-- The derived, current view of a person. Merged-away records keep their row and point
-- at the survivor through merged_into so a merge can be undone exactly.
CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT,                        -- platform id of the first source, else email
    email           TEXT,                        -- as written (trimmed, NFC)
    email_norm      TEXT,                        -- lower-cased, for matching
    first_name      TEXT,
    last_name       TEXT,
    company         TEXT,
    job_title       TEXT,
    phone           TEXT,                        -- E.164 when the country is known, else as written
    street          TEXT,
    city            TEXT,
    region          TEXT,
    postcode        TEXT,
    country         TEXT,                        -- ISO 3166-1 alpha-2 when recognised
    date_of_birth   TEXT,
    language        TEXT,
    industry        TEXT,
    company_size    TEXT,
    lifecycle_stage TEXT,
    lead_status     TEXT,
    status          TEXT    NOT NULL DEFAULT 'subscribed'
                    CHECK (status IN ('subscribed', 'unsubscribed', 'cleaned', 'bounced',
                                      'complained', 'pending')),
    status_source   TEXT,                        -- preset whose row set the status
    member_rating   REAL,
    open_count      INTEGER,
    click_count     INTEGER,
    purchase_count  INTEGER,
    total_spent     REAL,
    last_open_at    INTEGER,
    last_click_at   INTEGER,
    subscribed_at   INTEGER,                     -- opt-in / creation date reported by the platform
    source          TEXT    NOT NULL,            -- preset of the import that created it
    first_seen_at   INTEGER NOT NULL,            -- when Listwarden first imported it
    updated_at      INTEGER NOT NULL,
    merged_into     INTEGER REFERENCES contacts (id)
);
CREATE INDEX contacts_email_norm ON contacts (email_norm);
CREATE INDEX contacts_live ON contacts (merged_into);
CREATE INDEX contacts_external_id ON contacts (external_id);

-- Identity keys used to find a contact again on re-import: 'ext:<preset>:<id>',
-- 'email:<email_norm>' and, for rows with neither, 'fp:<hash of identifying fields>'.
CREATE TABLE contact_keys (
    key        TEXT    PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id)
) WITHOUT ROWID;
CREATE INDEX contact_keys_contact ON contact_keys (contact_id);

-- Every imported row exactly as read (values in header order), so nothing is ever lost.
-- A row identical to one already stored for the same contact is not stored twice.
CREATE TABLE source_records (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES imports (id),
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    row_number  INTEGER NOT NULL,                -- spreadsheet row: the header is row 1
    external_id TEXT,
    raw         TEXT    NOT NULL,                -- JSON array of the row's values
    row_hash    TEXT    NOT NULL
);
CREATE INDEX source_records_contact ON source_records (contact_id, row_hash);
CREATE INDEX source_records_import ON source_records (import_id);

-- Rows of an import that could not become contacts or events, with the reason.
CREATE TABLE rejected_rows (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    row_number INTEGER NOT NULL,
    column     TEXT,
    reason     TEXT    NOT NULL,
    raw        TEXT    NOT NULL
);

-- Columns no preset knows, kept and typed from their values so rules can compare them.
CREATE TABLE custom_fields (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type TEXT NOT NULL CHECK (type IN ('number', 'date', 'boolean', 'text'))
);
CREATE TABLE contact_custom_values (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    field_id   INTEGER NOT NULL REFERENCES custom_fields (id),
    value      TEXT    NOT NULL,                 -- as written
    num        REAL,                             -- number / boolean (0, 1) / date (unix seconds)
    PRIMARY KEY (contact_id, field_id)
) WITHOUT ROWID;

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags (tag_id);

-- Behaviour from events exports. The unique index makes re-importing an overlapping
-- export add only the events not seen before.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    type        TEXT    NOT NULL CHECK (type IN ('open', 'click', 'bounce', 'unsubscribe',
                                                 'complaint', 'purchase', 'page_view',
                                                 'cart_add')),
    occurred_at INTEGER NOT NULL,
    campaign    TEXT    NOT NULL DEFAULT '',
    url         TEXT    NOT NULL DEFAULT '',
    amount      REAL,
    import_id   INTEGER NOT NULL REFERENCES imports (id)
);
CREATE UNIQUE INDEX events_identity ON events (contact_id, type, occurred_at, campaign, url);

-- Every change, one entry per transaction. `undo` holds what is needed to reverse it
-- (JSON), NULL when the change cannot be undone; `undone_by` points at the undoing entry.
CREATE TABLE maintenance_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    os_user   TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    summary   TEXT    NOT NULL,
    details   TEXT,
    undo      TEXT,
    undone_by INTEGER REFERENCES maintenance_log (id)
);
CREATE INDEX maintenance_log_at ON maintenance_log (at);

-- Field-level before/after of every contact change, tied to its log entry.
CREATE TABLE field_changes (
    id         INTEGER PRIMARY KEY,
    log_id     INTEGER NOT NULL REFERENCES maintenance_log (id),
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    field      TEXT    NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX field_changes_log ON field_changes (log_id);
CREATE INDEX field_changes_contact ON field_changes (contact_id);
