-- What the operator's database init creates, replayed by the embedded PostgreSQL of the
-- local profile and the tests so they exercise the same privileges as production:
--   owner    owns the database and the schema; Flyway migrates as owner
--   app      the service's main connection: SELECT and INSERT (granted by migration V2)
--   readonly consumption queries: SELECT only (granted by migration V2)
-- The passwords are for this throwaway cluster only; production takes them from Secrets.
CREATE ROLE owner LOGIN PASSWORD 'owner';
CREATE ROLE app LOGIN PASSWORD 'app';
CREATE ROLE readonly LOGIN PASSWORD 'readonly';
CREATE DATABASE telemetry OWNER owner;
-- As the operator's roles script (operator/src/main/resources/postgres/10-roles.sh): nothing for PUBLIC,
-- app may also stage batches in temporary tables.
REVOKE ALL ON DATABASE telemetry FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE telemetry TO app;
GRANT CONNECT ON DATABASE telemetry TO readonly;
