#!/usr/bin/env bash
# Stops the local cluster started by cluster-up.sh for STATE (only the pids in its pid files): the real
# node first (node-down.sh cleans up its pods, mounts and iptables rules), then the control plane.
# Argo CD, when argocd-up.sh started it, goes before both.
# Usage: hack/cluster-down.sh [STATE]   (default $APPENV_STATE_DIR or ~/.cache/appenv/cluster)
#        hack/cluster-down.sh --purge [STATE]   also delete the state dir (certs, etcd data, logs, volumes)
set -euo pipefail
purge=false; [ "${1:-}" = "--purge" ] && { purge=true; shift; }
source "$(dirname "$0")/lib.sh"
[ -d "$STATE" ] || { log "no state dir $STATE: nothing to stop"; exit 0; }
[ "${APPENV_CLUSTER_LOCKED:-}" = "$STATE" ] || { exec 9>"$STATE/.lock" && flock 9; }   # held by cluster-up?

"$(dirname "$0")/argocd-down.sh" "$STATE"   # it runs against this cluster
"$(dirname "$0")/node-down.sh" "$STATE"
stopped=0
for ((i = ${#CONTROL_PLANE[@]} - 1; i >= 0; i--)); do   # reverse start order
  stop_pid "${CONTROL_PLANE[i]}" && stopped=$((stopped + 1))
done
log "stopped $stopped control plane process(es) of $STATE"
if real_node_enabled && [ ! -f "$NODE_OWNER" ]; then ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true; fi
if $purge; then
  [ -f "$STATE/.appenv-cluster" ] || die "$STATE has no .appenv-cluster marker: not deleting it"
  rm -rf --one-file-system "$STATE" && log "deleted $STATE"
fi
