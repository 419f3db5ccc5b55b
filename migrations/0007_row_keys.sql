-- Identity keys a contact's own row implies are no longer stored: `email:<email_norm>` and
-- `ext:<source>:<external_id>` are read from the contacts' indexed columns
-- (src/workspace/keys.rs). `contact_keys` keeps what a row does not say: ids from other
-- platforms, addresses a contact had before, fingerprints, and keys merges moved.
DELETE FROM contact_keys
 WHERE EXISTS (SELECT 1 FROM contacts c
                WHERE c.id = contact_keys.contact_id
                  AND (contact_keys.key = 'email:' || c.email_norm
                       OR contact_keys.key = 'ext:' || c.source || ':' || c.external_id));

-- Only merged-away contacts are ever looked up by `merged_into`; the live ones (nearly all
-- of them) are read by scanning, so the index need not hold them.
DROP INDEX IF EXISTS contacts_live;
CREATE INDEX IF NOT EXISTS contacts_merged ON contacts (merged_into) WHERE merged_into IS NOT NULL;

-- An export without platform ids has the address as written stand in for one, which the
-- address index finds; this index need only hold real platform ids.
DROP INDEX IF EXISTS contacts_external_id;
CREATE INDEX IF NOT EXISTS contacts_external_id ON contacts (external_id)
    WHERE external_id IS NOT email;

-- Nothing reads source records by import (they are read by contact); the index only cost
-- every imported row an insert.
DROP INDEX IF EXISTS source_records_import;
