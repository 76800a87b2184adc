#!/bin/bash
# Restores a dump made by backup.sh into a database: the environment's own, or a scratch one to check
# the dump first. One transaction: a corrupt or truncated dump fails loudly and leaves nothing behind.
# Usage: restore.sh DUMP|latest [TARGET_DATABASE]   (TARGET defaults to PGDATABASE; created when missing)
# `latest` is the newest of PGDATABASE's dumps in BACKUP_DIR (default /backups).
# Reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE; RESTORE_OWNER: when PGUSER is an administrator
# (hack/restore.sh connects as the superuser, since only it may create a scratch database), the role
# that owns what is restored and a database created for it, so the app's migrations still own the schema.
set -euo pipefail
dump="${1:?usage: restore.sh DUMP|latest [TARGET_DATABASE]}"
if [ "$dump" = latest ]; then
  # Dump names end in a UTC timestamp, so the last in name order is the newest.
  dump=$(find "${BACKUP_DIR:-/backups}" -maxdepth 1 -name "${PGDATABASE}-*.dump" | sort | tail -n 1)
  [ -n "$dump" ] || { echo "restore: no ${PGDATABASE}-*.dump in ${BACKUP_DIR:-/backups}; nothing restored" >&2; exit 1; }
  echo "restore: latest dump is $dump"
fi
target="${2:-$PGDATABASE}"
owner="${RESTORE_OWNER:-}"
create_args=() restore_args=()
[ -z "$owner" ] || { create_args=(--owner="$owner"); restore_args=(--role="$owner"); }
[[ "$target" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "restore: '$target' is not a plain database name" >&2; exit 2; }
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
if ! pg_restore --list "$dump" >/dev/null 2>&1; then
  echo "restore: $dump is not a readable pg_dump archive (corrupt or truncated); nothing restored" >&2
  exit 1
fi
if [ "$(psql --dbname=postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$target'")" != 1 ]; then
  createdb "${create_args[@]}" "$target"
fi
pg_restore --exit-on-error --single-transaction --no-owner "${restore_args[@]}" --dbname="$target" "$dump"
echo "restored $dump into $target"
