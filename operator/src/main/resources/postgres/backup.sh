#!/bin/bash
# Logical backup of one database: pg_dump in custom format, checked readable, then moved into place,
# so a dump that exists is complete. Dumps older than the retention are pruned afterwards.
# Reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE; BACKUP_DIR (default /backups);
# RETENTION_MINUTES (default 10080, a week); WAIT_SECONDS (default 60) for the server to answer.
set -euo pipefail
# A Job's new pod may be refused for a few seconds, until the node's NetworkPolicy agent has seen it,
# and the database may be restarting: wait until it accepts connections, at most WAIT_SECONDS (60).
# (The same lines are in backup.sh and restore.sh: each script stands alone.)
wait_for_server() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-60}))
  until pg_isready --quiet --timeout=3; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432} did not accept connections within ${WAIT_SECONDS:-60}s: $(pg_isready)" >&2
      exit 1
    fi
    sleep 2
  done
}
wait_for_server
dir="${BACKUP_DIR:-/backups}"
retention="${RETENTION_MINUTES:-10080}"
name="${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$dir/.$name.partial"
trap 'rm -f "$partial"' EXIT
mkdir -p "$dir"
pg_dump --format=custom --compress=6 --file="$partial"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$dir/$name"
find "$dir" -maxdepth 1 -name "${PGDATABASE}-*.dump" -mmin +"$retention" -print -delete | sed 's/^/pruned /'
echo "backup $dir/$name $(stat -c %s "$dir/$name") bytes"
