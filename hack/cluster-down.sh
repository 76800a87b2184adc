#!/usr/bin/env bash
# Stops the local control plane started by cluster-up.sh for STATE (only the pids in its pid files).
# Usage: hack/cluster-down.sh [STATE]   (default $APPENV_STATE_DIR or ~/.cache/appenv/cluster)
#        hack/cluster-down.sh --purge [STATE]   also delete the state dir (certs, etcd data, logs)
set -euo pipefail
purge=false; [ "${1:-}" = "--purge" ] && { purge=true; shift; }
source "$(dirname "$0")/lib.sh"
[ -d "$STATE" ] || { log "no state dir $STATE: nothing to stop"; exit 0; }
[ "${APPENV_CLUSTER_LOCKED:-}" = "$STATE" ] || { exec 9>"$STATE/.lock" && flock 9; }   # held by cluster-up?

stopped=0
for ((i=${#COMPONENTS[@]}-1; i>=0; i--)); do   # reverse start order
  c=${COMPONENTS[i]}
  if pid=$(pid_of "$c"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do running "$pid" || break; sleep 0.1; done   # up to 10 s
    if running "$pid"; then log "$c ($pid) still running after 10s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 50); do running "$pid" || break; sleep 0.1; done; fi
    stopped=$((stopped+1))
  fi
  rm -f "$RUN/$c.pid"
done
log "stopped $stopped process(es) of $STATE"
if $purge; then
  [ -f "$STATE/.appenv-cluster" ] || die "$STATE has no .appenv-cluster marker: not deleting it"
  rm -rf "$STATE" && log "deleted $STATE"
fi
