-- Keyset pagination on the primary key; :after is '' for the first page.
SELECT device_id, first_seen_at
FROM device
WHERE device_id > :after
ORDER BY device_id
LIMIT :limit
