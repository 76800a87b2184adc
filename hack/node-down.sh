#!/usr/bin/env bash
# Stops the real node of STATE (node-up.sh) and leaves the machine as it found it: pods removed,
# containerd and its shims stopped, mounts undone, the iptables chains and ipsets of kubelet, kube-proxy,
# kube-router and ours removed, the pod bridge deleted. Images stay in containerd's root.
# Called by cluster-down.sh; safe to run when nothing of the node runs.
# Usage: hack/node-down.sh STATE
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" "$1"
owner=$(cat "$NODE_OWNER" 2>/dev/null || true)
[ -d "$NODE_DIR" ] || [ "$owner" = "$STATE" ] || exit 0
BIN="${APPENV_BIN_DIR:-$("$HACK/build.sh" --print-bin-dir)}"

for ((i = ${#NODE_COMPONENTS[@]} - 1; i >= 1; i--)); do stop_pid "${NODE_COMPONENTS[i]}" || true; done
if [ -S "$CONTAINERD_SOCK" ] && pid_of containerd >/dev/null; then
  "$BIN/crictl" rmp --all --force >/dev/null 2>&1 || log "some pods could not be removed (containerd log: $LOGS/containerd.log)"
fi
stop_pid containerd || true
# A shim outlives containerd by design: end the ones of this node's socket, with their containers.
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" || true); do kill -KILL "$pid" 2>/dev/null || true; done

# Pod network namespaces whose sandboxes were not torn down (pods the kubelet was still ending when it
# stopped): those the node made, not listed when it started. A pause process the killed shim left
# behind (reparented to init) still holds one: it goes too.
for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
  grep -qxF "$ns" "$NODE_DIR/netns-before" 2>/dev/null && continue
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns delete "$ns" 2>/dev/null || true
done

# The iptables chains of kubelet, kube-proxy and kube-router (KUBE-*) and ours (APPENV-*), every rule that
# jumps to them, and kube-router's ipsets: the node is the only Kubernetes of this machine's host network.
if [ "$owner" = "$STATE" ] || [ -z "$owner" ]; then
  iptables-save | grep -vE -- '(KUBE|APPENV)-' | iptables-restore -w
  ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router-)' | xargs -r -n1 ipset destroy 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -f "$NODE_OWNER"   # the node address stays on lo until cluster-down.sh has stopped the API server
fi

# Volumes of pods (Secrets as tmpfs, projected tokens), sandboxes' shm and root filesystems: deepest first.
{ findmnt -rn -o TARGET | grep -E "^($NODE_DIR|$NODE_RUN)/" || true; } | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"
done
rm -rf "${NODE_RUN:?}/containerd" "$NODE_DIR/cni/ipam"
log "real node of $STATE stopped"
