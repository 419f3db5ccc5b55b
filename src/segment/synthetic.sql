-- Synthetic workspace data for benchmarks and cross-checks, `:contacts` contacts.
-- Countries, statuses, titles and domains cycle with co-prime periods; each contact gets
-- 0-39 events spread over the two years before 2026-01-01 (1767225600), a few after it.
INSERT INTO imports (id, path, content_hash, kind, preset, encoding, delimiter, headers, started_at, os_user)
VALUES (1, 'synthetic', 'x', 'events', 'generic', 'utf-8', ',', '[]', 0, 'bench');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :contacts)
INSERT INTO contacts (id, email, email_norm, country, status, job_title, lifecycle_stage, open_count,
                      subscribed_at, source, first_seen_at, updated_at)
SELECT i,
       'user' || i || CASE i % 4 WHEN 0 THEN '@gmail.com' WHEN 1 THEN '@web.de' ELSE '@example.com' END,
       'user' || i,
       CASE i % 7 WHEN 0 THEN 'DE' WHEN 1 THEN 'AT' WHEN 2 THEN 'CH' WHEN 3 THEN 'FR' WHEN 4 THEN NULL ELSE 'US' END,
       CASE i % 10 WHEN 0 THEN 'unsubscribed' WHEN 1 THEN 'bounced' ELSE 'subscribed' END,
       CASE i % 11 WHEN 0 THEN 'Marketing Manager' WHEN 1 THEN 'CTO' WHEN 2 THEN 'Head of Sales' ELSE 'Engineer' END,
       CASE i % 5 WHEN 0 THEN 'customer' WHEN 1 THEN 'lead' ELSE 'subscriber' END,
       CASE WHEN i % 9 = 0 THEN NULL ELSE i % 23 END,
       CASE WHEN i % 6 = 0 THEN NULL ELSE 1767225600 - (i * 2654435761) % (1500 * 86400) END,
       'generic', 1700000000, 1700000000
FROM n;

WITH RECURSIVE e(c, k) AS (SELECT 1, 0 UNION ALL
    SELECT CASE WHEN k + 1 >= (c * 7919) % 40 THEN c + 1 ELSE c END,
           CASE WHEN k + 1 >= (c * 7919) % 40 THEN 0 ELSE k + 1 END
    FROM e WHERE c <= :contacts)
INSERT OR IGNORE INTO events (contact_id, type, occurred_at, url, amount, import_id)
SELECT c,
       CASE (c + k * 13) % 10 WHEN 0 THEN 'purchase' WHEN 1 THEN 'click' WHEN 2 THEN 'page_view'
                              WHEN 3 THEN 'cart_add' ELSE 'open' END,
       1767225600 + 5 * 86400 - ((c * 2654435761 + k * 40503) % (730 * 86400)),
       CASE (c + k * 13) % 10 WHEN 2 THEN CASE k % 3 WHEN 0 THEN 'https://x.example/Pricing' ELSE '/blog/' || k END ELSE '' END,
       CASE (c + k * 13) % 10 WHEN 0 THEN ((c * 31 + k) % 30000) / 100.0 ELSE NULL END,
       1
FROM e WHERE c <= :contacts AND k < (c * 7919) % 40;

INSERT INTO tags (id, name) VALUES (1, 'vip'), (2, 'test');
INSERT INTO contact_tags (contact_id, tag_id) SELECT id, 1 FROM contacts WHERE id % 13 = 0;
INSERT INTO contact_tags (contact_id, tag_id) SELECT id, 2 FROM contacts WHERE id % 17 = 0;
UPDATE contacts SET merged_into = id - 1 WHERE id % 101 = 0;
