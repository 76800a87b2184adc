-- Session-private, so concurrent imports never see each other's rows. Created once per pooled
-- connection and emptied at every commit: creating and dropping a table per batch would churn
-- the system catalogs at the ingestion rate. No constraints: rows are validated before COPY and
-- the INSERT from here applies the real ones.
CREATE TEMPORARY TABLE IF NOT EXISTS reading_staging (
    device_id text,
    ts        timestamptz,
    metric    text,
    value     double precision,
    tags      jsonb
) ON COMMIT DELETE ROWS
