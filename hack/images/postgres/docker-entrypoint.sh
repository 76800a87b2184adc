#!/bin/bash
# Entrypoint of appenv's PostgreSQL image, built from Debian's packages (hack/images/build.sh). It keeps
# the contract the operator relies on from the official postgres image:
#   - POSTGRES_PASSWORD (required on first start), POSTGRES_USER (default postgres), POSTGRES_DB
#     (default POSTGRES_USER), POSTGRES_INITDB_ARGS, PGDATA;
#   - on an empty PGDATA: initdb, then *.sh (sourced, or run when executable) and *.sql files of
#     /docker-entrypoint-initdb.d in name order, against a server that listens on its socket only;
#   - local and 127.0.0.1 connections are trusted (probes, hooks), every other host needs a password.
# The container runs as the postgres user (uid 999) and never as root.
set -Eeuo pipefail

[ "${1:0:1}" = '-' ] && set -- postgres "$@"
if [ "${1:-}" != postgres ]; then exec "$@"; fi

export POSTGRES_USER="${POSTGRES_USER:-postgres}"
export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
: "${PGDATA:?PGDATA must be set}"

fail() { echo "postgres entrypoint: $*" >&2; exit 1; }
[ "$(id -u)" != 0 ] || fail "refusing to run as root: run as uid 999 (runAsUser)"

init_database() {
  [ -n "${POSTGRES_PASSWORD:-}" ] || fail "the database is not initialized and POSTGRES_PASSWORD is empty"
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS holds several words on purpose
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") ${POSTGRES_INITDB_ARGS:-}
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -p ${PGPORT:-5432}" start
  export PGUSER="$POSTGRES_USER" PGPASSWORD="$POSTGRES_PASSWORD"
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    # shellcheck source=/dev/null  # the image user's init scripts
    case "$f" in
      *.sh) echo "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "running $f"; psql -v ON_ERROR_STOP=1 --dbname "$POSTGRES_DB" -f "$f" ;;
      *) [ -e "$f" ] && echo "ignoring $f" ;;
    esac
  done
  unset PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
}

[ -s "$PGDATA/PG_VERSION" ] || init_database
exec "$@"
