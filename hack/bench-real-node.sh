#!/usr/bin/env bash
# `make bench-real-node`: how long `make run` takes on the real node, and how long the samples' pods take
# to start on it. Three runs of hack/run.sh, each to every sample Ready on real pods and a reading sent
# through the app's Service:
#   fresh  a new state dir (new certificates, empty etcd and volumes; binaries and images cached)
#   again  the same cluster stopped and started again (etcd and volumes kept)
#   warm   the cluster and everything in it already running
# then, per sample pod: creation -> scheduled -> containers started -> Ready.
# Uses its own state dir and ports; a `make run` cluster must be stopped first (one real node a machine).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export APPENV_STATE_DIR="${APPENV_CACHE:-$HOME/.cache/appenv}/bench-real-node"
export APPENV_LOCAL_CLUSTER=true APPENV_REAL_NODE=true APPENV_RUN_ONCE=true APPENV_KEEP_CLUSTER=true
export APPENV_ETCD_PORT=15379 APPENV_ETCD_PEER_PORT=15380 APPENV_KCM_PORT=19257 APPENV_SCHEDULER_PORT=19259
PATH="$("$ROOT/hack/build.sh" --print-bin-dir):$PATH"
trap '"$ROOT/hack/cluster-down.sh" --purge "$APPENV_STATE_DIR" >/dev/null 2>&1 || true' EXIT

timed() {  # label: one run of hack/run.sh
  local start=$SECONDS
  "$ROOT/hack/run.sh" >"$APPENV_STATE_DIR.$1.log" 2>&1 || { tail -30 "$APPENV_STATE_DIR.$1.log" >&2; exit 1; }
  printf '%-6s make run to every sample Ready on real pods: %3d s\n' "$1" $((SECONDS - start))
}
"$ROOT/hack/cluster-down.sh" --purge "$APPENV_STATE_DIR" >/dev/null 2>&1 || true
timed fresh
export KUBECONFIG="$APPENV_STATE_DIR/kubeconfig"
kubectl get pods -A -l app.kubernetes.io/managed-by=appenv -o json >"$APPENV_STATE_DIR.pods.json"
"$ROOT/hack/cluster-down.sh" "$APPENV_STATE_DIR" >/dev/null 2>&1
timed again
timed warm

echo
echo "pod start on the real node, in the fresh run (seconds from creation):"
python3 - "$APPENV_STATE_DIR.pods.json" <<'PY'
import json, sys
from datetime import datetime
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
rows = []
for pod in json.load(open(sys.argv[1]))["items"]:
    meta, status = pod["metadata"], pod["status"]
    created = t(meta["creationTimestamp"])
    cond = {c["type"]: t(c["lastTransitionTime"]) for c in status.get("conditions", []) if c["status"] == "True"}
    started = [t(c["state"]["running"]["startedAt"]) for c in status.get("containerStatuses", [])
               if "running" in c.get("state", {})]
    if "Ready" not in cond or not started:
        continue
    component = meta["labels"].get("app.kubernetes.io/component", "?")
    rows.append((component, meta["namespace"] + "/" + meta["name"], (cond["PodScheduled"] - created).total_seconds(),
                 (max(started) - created).total_seconds(), (cond["Ready"] - created).total_seconds()))
print(f"{'component':10} {'pod':45} {'scheduled':>9} {'started':>8} {'ready':>6}")
for row in sorted(rows):
    print(f"{row[0]:10} {row[1]:45} {row[2]:9.0f} {row[3]:8.0f} {row[4]:6.0f}")
PY
