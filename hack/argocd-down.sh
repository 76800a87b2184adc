#!/usr/bin/env bash
# Stops what argocd-up.sh started for STATE (only the pids in its pid files), in reverse start order.
# The git repository, the passwords and the logs stay in STATE/argocd and STATE/logs; the objects stay
# in the cluster. cluster-down.sh calls it first.
# Usage: hack/argocd-down.sh [STATE]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
stopped=0
for ((i = ${#ARGOCD_COMPONENTS[@]} - 1; i >= 0; i--)); do
  stop_pid "${ARGOCD_COMPONENTS[i]}" && stopped=$((stopped + 1))
done
[ "$stopped" = 0 ] || log "stopped $stopped Argo CD process(es) of $STATE"
