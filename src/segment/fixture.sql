-- A small hand-checked workspace for segment tests. "Now" is 2026-01-01T00:00:00Z
-- (1767225600); event times are written as now - days * 86400.
INSERT INTO imports (id, path, content_hash, kind, preset, encoding, delimiter, headers, started_at, os_user)
VALUES (1, 'fixture.csv', 'x', 'contacts', 'generic', 'utf-8', ',', '[]', 1767225600, 'test');

INSERT INTO contacts (id, email, email_norm, first_name, country, status, lifecycle_stage, company, job_title,
                      open_count, total_spent, subscribed_at, first_seen_at, date_of_birth, source, updated_at, merged_into)
VALUES
 (1, 'anna@gmail.com', 'anna@gmail.com', 'Anna', 'DE', 'subscribed', 'customer', 'Acme', 'Marketing Manager',
  10, 250.0, 1767225600 - 12 * 86400, 1700000000, '1985-05-05', 'generic', 1700000000, NULL),
 (2, 'ben@example.com', 'ben@example.com', 'Ben', 'AT', 'subscribed', 'lead', '', 'Sales',
  2, 0, 1717200000, 1700000000, '1995-01-01', 'generic', 1700000000, NULL),
 (3, 'cara@gmail.com', 'cara@gmail.com', 'Cara', 'CH', 'unsubscribed', 'customer', 'Beta', 'Head of Marketing',
  0, NULL, NULL, 1767225600 - 7 * 86400, '2000-02-29', 'generic', 1700000000, NULL),
 (4, 'dan@web.de', 'dan@web.de', 'Dan', ' de ', 'subscribed', 'evangelist', NULL, 'CTO',
  5, 1200, 1577836800, 1700000000, '--12-31', 'generic', 1700000000, NULL),
 (5, 'eve@example.com', 'eve@example.com', 'Eve', 'US', 'bounced', 'subscriber', 'Gamma', 'marketing intern',
  NULL, NULL, 1677801600, 1700000000, NULL, 'generic', 1700000000, NULL),
 (6, 'fred@gmail.com', 'fred@gmail.com', 'Fred', 'DE', 'subscribed', 'customer', 'Acme', 'Buyer',
  1, 0, 1700000000, 1700000000, NULL, 'generic', 1700000000, 1),
 (7, 'gina@example.org', 'gina@example.org', '=Gina', 'FR', 'pending', 'lead', '=cmd()', 'Developer',
  NULL, NULL, 1750000000, 1700000000, NULL, 'generic', 1700000000, NULL);

INSERT INTO custom_fields (id, name, type) VALUES
 (1, 'Industry', 'text'), (2, 'Employees', 'number'), (3, 'Renewal', 'date'), (4, 'Newsletter', 'boolean');
INSERT INTO contact_custom_values (contact_id, field_id, value, num) VALUES
 (1, 1, 'Retail', NULL), (2, 1, ' retail ', NULL), (4, 1, 'Finance', NULL),
 (1, 2, '50', 50), (2, 2, '500', 500), (4, 2, '5', 5),
 (1, 3, '2026-03-01', 1772323200), (2, 3, '2025-01-01', 1735689600),
 (1, 4, 'yes', 1), (2, 4, 'no', 0);

INSERT INTO tags (id, name) VALUES (1, 'VIP'), (2, 'test'), (3, 'newsletter');
INSERT INTO contact_tags (contact_id, tag_id) VALUES (1, 1), (4, 1), (5, 2), (1, 3), (2, 3), (3, 3), (6, 1);

INSERT INTO events (contact_id, type, occurred_at, campaign, url, amount, import_id) VALUES
 (1, 'open', 1767225600 - 1 * 86400, 'c1', '', NULL, 1),
 (1, 'open', 1767225600 - 5 * 86400, 'c2', '', NULL, 1),
 (1, 'open', 1767225600 - 10 * 86400, 'c3', '', NULL, 1),
 (1, 'open', 1767225600 - 100 * 86400, 'c4', '', NULL, 1),
 (1, 'click', 1767225600 - 3 * 86400, 'c2', 'https://shop.example/a', NULL, 1),
 (1, 'purchase', 1767225600 - 20 * 86400, '', '', 100.0, 1),
 (1, 'purchase', 1767225600 - 200 * 86400, '', '', 150.0, 1),
 (1, 'page_view', 1767225600 - 2 * 86400, '', 'https://shop.example/Pricing', NULL, 1),
 (1, 'page_view', 1767225600 - 5 * 86400, '', 'https://shop.example/pricing?x=1', NULL, 1),
 (2, 'open', 1767225600 - 200 * 86400, 'c0', '', NULL, 1),
 (2, 'cart_add', 1767225600 - 1 * 86400, '', 'https://shop.example/cart', 30.0, 1),
 (2, 'page_view', 1767225600 - 1 * 86400, '', 'https://shop.example/blog', NULL, 1),
 (3, 'open', 1767225600 - 10 * 86400, 'c3', '', NULL, 1),
 (3, 'click', 1767225600 - 10 * 86400, 'c3', 'https://shop.example/b', NULL, 1),
 (4, 'purchase', 1767225600 - 10 * 86400, '', '', 1200.0, 1),
 (4, 'purchase', 1767225600 - 1 * 86400, '', '', 19.99, 1),
 (4, 'cart_add', 1767225600 - 1 * 86400, '', 'https://shop.example/cart', 19.99, 1),
 (5, 'bounce', 1767225600 - 30 * 86400, 'c1', '', NULL, 1),
 (6, 'open', 1767225600 - 2 * 86400, 'c9', '', NULL, 1),
 (7, 'open', 1767225600 + 5 * 86400, 'c9', '', NULL, 1);
