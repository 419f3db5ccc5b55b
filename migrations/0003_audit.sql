-- Audit: runs with their score and breakdown, per-workspace settings, the suppression
-- list (incl. one-way hashes of erased addresses) and findings ignored per contact.

-- One row per audit; `breakdown` and `findings` are JSON so the trend view and the report
-- can show what moved the score without re-running old audits.
CREATE TABLE audit_runs (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    os_user     TEXT    NOT NULL,
    contacts    INTEGER NOT NULL,
    score       INTEGER NOT NULL,
    breakdown   TEXT    NOT NULL,             -- JSON: [{kind, weight, share, penalty}]
    findings    TEXT    NOT NULL,             -- JSON: [{kind, count, share}]
    duration_ms INTEGER NOT NULL
);
CREATE INDEX audit_runs_at ON audit_runs (at);

-- Thresholds, required fields, inactivity window...: key -> JSON value.
CREATE TABLE audit_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Contacts that must not be mailed, with the reason. Exports and segments exclude them
-- (see the live_contacts_mailable view).
CREATE TABLE audit_suppressions (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts (id),
    reason     TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    os_user    TEXT    NOT NULL,
    log_id     INTEGER NOT NULL REFERENCES maintenance_log (id)
);

-- Erased ("forgotten") addresses: only a one-way hash of the mailbox key is kept, so a
-- re-import can recognise the person without the workspace holding who it was.
CREATE TABLE audit_erased (
    hash TEXT    PRIMARY KEY,                 -- blake3 hex of 'listwarden-erasure-v1:' || mailbox key
    at   INTEGER NOT NULL
) WITHOUT ROWID;

-- "This finding is fine for this contact": the audit stops counting it.
CREATE TABLE audit_ignored (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    kind       TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    log_id     INTEGER NOT NULL REFERENCES maintenance_log (id),
    PRIMARY KEY (contact_id, kind)
) WITHOUT ROWID;

-- Bounce and complaint events are few; a partial index lets the audit find them without
-- scanning every open and click (and costs the events import next to nothing).
CREATE INDEX audit_events_negative ON events (contact_id, type)
    WHERE type IN ('bounce', 'complaint');

-- Live contacts that may be mailed: not merged away, status 'subscribed' (pending means
-- the opt-in is not confirmed yet) and not suppressed.
CREATE VIEW live_contacts_mailable AS
    SELECT c.* FROM contacts c
    WHERE c.merged_into IS NULL
      AND c.status = 'subscribed'
      AND NOT EXISTS (SELECT 1 FROM audit_suppressions s WHERE s.contact_id = c.id);
