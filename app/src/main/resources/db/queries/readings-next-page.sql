-- Keyset continuation: the row comparison starts the index scan right after the last row
-- of the previous page, so page N costs the same as page 1 (no OFFSET).
SELECT ts, metric, value, tags
FROM reading
WHERE device_id = :deviceId
  AND (ts, metric) > (:afterTs, :afterMetric)
  AND ts >= :from AND ts < :to
  AND (CAST(:metric AS text) IS NULL OR metric = :metric)
ORDER BY ts, metric
LIMIT :limit
