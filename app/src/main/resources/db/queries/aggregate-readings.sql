-- Buckets are computed in UTC so "hour" means the same thing whatever the session time zone.
-- :window is 'minute' or 'hour', checked by the API before it gets here.
SELECT date_trunc(:window, ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
       min(value)  AS min_value,
       max(value)  AS max_value,
       avg(value)  AS avg_value,
       count(*)    AS sample_count
FROM reading
WHERE device_id = :deviceId
  AND metric = :metric
  AND ts >= :from AND ts < :to
GROUP BY bucket
ORDER BY bucket
