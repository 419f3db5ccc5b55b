-- Contacts for the TUI tests: three live contacts and one merged into Ada, one import
-- with headers, source records (one ragged), a custom field, tags and events.
INSERT INTO imports (id, path, content_hash, kind, preset, encoding, delimiter,
                     headers, started_at, os_user)
VALUES (1, 'audience.csv', 'h', 'contacts', 'mailchimp', 'utf-8', ',',
        '["Email Address","First Name","Last Name","Company"]', 1767225600, 'ann');
INSERT INTO contacts (id, email, email_norm, first_name, last_name, company, country,
                      status, source, first_seen_at, updated_at, last_open_at)
VALUES (1, 'Ada@Example.com', 'ada@example.com', 'Ada', 'Lovelace', 'Engines Ltd',
        'GB', 'subscribed', 'mailchimp', 1767225600, 1767225600, 1767312000),
       (2, 'bob@example.org', 'bob@example.org', 'Bob', 'Builder', 'Acme', 'DE',
        'unsubscribed', 'mailchimp', 1767225600, 1767225600, NULL),
       (3, 'ada.l@example.com', 'ada.l@example.com', 'Ada', 'L.', NULL, 'GB',
        'subscribed', 'mailchimp', 1767225600, 1767225600, NULL),
       (4, 'zed@example.net', 'zed@example.net', 'Zed', 'Zulu', 'Zeta 50% Co', 'US',
        'cleaned', 'hubspot', 1767225600, 1767225600, NULL);
UPDATE contacts SET merged_into = 1 WHERE id = 3;
INSERT INTO source_records (import_id, contact_id, row_number, external_id, raw, row_hash)
VALUES (1, 1, 2, 'L1', '["Ada@Example.com","Ada","Lovelace","Engines Ltd"]', 'a'),
       (1, 2, 3, 'L2', '["bob@example.org","Bob","Builder","Acme"]', 'b'),
       (1, 3, 4, 'L3', '["ada.l@example.com","Ada","L.","","extra"]', 'c'),
       (1, 4, 5, 'L4', '["zed@example.net","Zed","Zulu","Zeta 50% Co"]', 'd');
INSERT INTO custom_fields (id, name, type) VALUES (1, 'Favourite colour', 'text');
INSERT INTO contact_custom_values (contact_id, field_id, value) VALUES (1, 1, 'blue');
INSERT INTO tags (id, name) VALUES (1, 'vip'), (2, 'newsletter');
INSERT INTO contact_tags (contact_id, tag_id) VALUES (1, 1), (1, 2);
INSERT INTO events (contact_id, type, occurred_at, campaign, url, amount, import_id)
VALUES (1, 'open', 1767398400, 'Jan news', '', NULL, 1),
       (3, 'purchase', 1767484800, '', '', 49.5, 1);
    
