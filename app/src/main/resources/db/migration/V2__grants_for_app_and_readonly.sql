-- The operator's database init creates the roles owner, app and readonly; Flyway runs as
-- owner. The guards keep this migration valid on a database without those roles (a developer's
-- own PostgreSQL), where the connecting user owns everything anyway.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN
        GRANT USAGE ON SCHEMA public TO app;
        -- No UPDATE or DELETE: readings are append-only, duplicates are skipped.
        GRANT SELECT, INSERT ON device, reading TO app;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'readonly') THEN
        GRANT USAGE ON SCHEMA public TO readonly;
        GRANT SELECT ON device, reading TO readonly;
    END IF;
END
$$;
