INSERT INTO device (device_id)
SELECT DISTINCT device_id FROM reading_staging
ON CONFLICT (device_id) DO NOTHING
