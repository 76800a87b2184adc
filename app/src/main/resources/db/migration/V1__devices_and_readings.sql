-- Devices are created implicitly by ingestion; the table gives the "list devices" query a
-- small relation to scan instead of a DISTINCT over millions of readings.
CREATE TABLE device (
    device_id     text        PRIMARY KEY CHECK (length(device_id) BETWEEN 1 AND 64),
    first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (device, timestamp, metric). The primary key is both the idempotency rule
-- (a repeated ingestion hits ON CONFLICT DO NOTHING) and the only index the read path needs:
-- its leading device_id + ts columns serve "one device, one time range" as a single index
-- range scan, already ordered for keyset pagination on (ts, metric).
CREATE TABLE reading (
    device_id text             NOT NULL REFERENCES device (device_id),
    ts        timestamptz      NOT NULL,
    metric    text             NOT NULL CHECK (length(metric) BETWEEN 1 AND 64),
    value     double precision NOT NULL,
    tags      jsonb,
    CONSTRAINT reading_pkey PRIMARY KEY (device_id, ts, metric)
);
