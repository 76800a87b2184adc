-- Index range scan on reading_pkey (device_id, ts, metric); the order matches the index.
SELECT ts, metric, value, tags
FROM reading
WHERE device_id = :deviceId
  AND ts >= :from AND ts < :to
  AND (CAST(:metric AS text) IS NULL OR metric = :metric)
ORDER BY ts, metric
LIMIT :limit
