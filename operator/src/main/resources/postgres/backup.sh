#!/bin/bash
# Logical backup of one database: pg_dump in custom format, checked readable, then moved into place,
# so a dump that exists is complete. Dumps older than the retention are pruned afterwards.
# Reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE; BACKUP_DIR (default /backups);
# RETENTION_MINUTES (default 10080, a week).
set -euo pipefail
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
