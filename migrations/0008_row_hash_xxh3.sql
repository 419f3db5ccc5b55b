-- Source-record row hashes become 64 bits of XXH3, stored as 8 bytes (a BLOB, which the
-- column's TEXT affinity leaves as it is) instead of 16 hex digits of blake3: XXH3 is far
-- cheaper on rows of a few hundred bytes, and the key is half as long in the row and its
-- index. Stored rows are rehashed with the function the importer uses
-- (src/workspace/row_hash.rs), so re-importing an old file still matches its rows.
DROP INDEX source_records_contact;
UPDATE source_records SET row_hash = listwarden_row_hash(raw);
CREATE INDEX source_records_contact ON source_records (contact_id, row_hash);
