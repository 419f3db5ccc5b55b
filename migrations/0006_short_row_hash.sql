-- Source-record row hashes shrink from 64 to 16 hex digits (64 bits of blake3): they only
-- tell one contact's stored rows apart, and each is stored twice (row and index). Stored
-- hashes are cut to the same length so re-importing an old file still matches its rows.
DROP INDEX source_records_contact;
UPDATE source_records SET row_hash = substr(row_hash, 1, 16) WHERE length(row_hash) > 16;
CREATE INDEX source_records_contact ON source_records (contact_id, row_hash);
