#!/bin/bash
# Creates appenv's three roles with least privilege and sets their passwords from the credentials
# Secret. Run by the postgres image on first start (docker-entrypoint-initdb.d), and by the roles Job
# on a database that already has data. Safe to run again: every statement checks before it acts.
#   owner    owns the database and the public schema: runs schema migrations (Flyway)
#   app      reads and writes the tables owner creates, and may stage data in temporary tables: the
#            application's connection
#   readonly reads them: consumption, analytics, reports
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" \
  -v readonly_password="$READONLY_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE owner LOGIN PASSWORD %L', :'owner_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'owner') \gexec
SELECT format('CREATE ROLE app LOGIN PASSWORD %L', :'app_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') \gexec
SELECT format('CREATE ROLE readonly LOGIN PASSWORD %L', :'readonly_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'readonly') \gexec
-- The Secret is the source of truth: a Secret created anew (deleted by hand, volume kept) still works.
ALTER ROLE owner PASSWORD :'owner_password';
ALTER ROLE app PASSWORD :'app_password';
ALTER ROLE readonly PASSWORD :'readonly_password';
ALTER DATABASE :"db" OWNER TO owner;
ALTER SCHEMA public OWNER TO owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO app;
GRANT CONNECT ON DATABASE :"db" TO readonly;
GRANT USAGE ON SCHEMA public TO app, readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app;
ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO app;
ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA public GRANT SELECT ON TABLES TO readonly;
SQL
