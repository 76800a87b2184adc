-- Duplicates (already stored, or repeated inside the batch) are skipped, not errors: the
-- caller learns how many through staged rows minus inserted rows.
INSERT INTO reading (device_id, ts, metric, value, tags)
SELECT device_id, ts, metric, value, tags FROM reading_staging
ON CONFLICT (device_id, ts, metric) DO NOTHING
