COPY reading_staging (device_id, ts, metric, value, tags) FROM STDIN WITH (FORMAT csv)
