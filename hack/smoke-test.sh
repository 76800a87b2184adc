#!/usr/bin/env bash
# End-to-end check of the local control plane in a throw-away state dir (ports: APPENV_*_PORT).
# Usage: hack/smoke-test.sh   -> prints "N passed, 0 failed" and exits 0, or fails loudly.
set -euo pipefail
# own ports, so that it runs beside a developer's cluster on the default ones
export APPENV_REAL_NODE=false APPENV_ETCD_PORT="${APPENV_ETCD_PORT:-24379}" APPENV_ETCD_PEER_PORT="${APPENV_ETCD_PEER_PORT:-24380}" \
  APPENV_APISERVER_PORT="${APPENV_APISERVER_PORT:-24443}" APPENV_KCM_PORT="${APPENV_KCM_PORT:-24257}" \
  APPENV_SCHEDULER_PORT="${APPENV_SCHEDULER_PORT:-24259}"
HACK="$(cd "$(dirname "$0")" && pwd)"
STATE="$(mktemp -d "${TMPDIR:-/tmp}/appenv-smoke.XXXXXX")"
passed=0 failed=0
cleanup() { "$HACK/cluster-down.sh" --purge "$STATE" || true; }
trap cleanup EXIT
check() {  # description command...
  if "${@:2}" >/dev/null 2>&1; then passed=$((passed+1)); echo "ok   $1"
  else failed=$((failed+1)); echo "FAIL $1"; fi
}
retry() { for _ in $(seq 60); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done; return 1; }

BIN="$("$HACK/build.sh")"
t0=$(date +%s%3N); up=$("$HACK/cluster-up.sh" "$STATE"); t1=$(date +%s%3N); eval "$up"
echo "cluster-up in a new state dir: $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 ))s"
k() { "$BIN/kubectl" "$@"; }

check "server version is $(k version -o json | sed -n 's/.*"gitVersion": "\(v1[^"]*\)".*/\1/p' | tail -1)" \
  bash -c "'$BIN/kubectl' version | grep -q 'Server Version: v1\.'"
check "2 Ready nodes" bash -c "[ \$('$BIN/kubectl' get nodes --no-headers | grep -c ' Ready ') -ge 2 ]"
k apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: smoke-web}
spec:
  replicas: 2
  selector: {matchLabels: {app: smoke-web}}
  template:
    metadata: {labels: {app: smoke-web}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: smoke-db}
spec:
  replicas: 1
  serviceName: smoke-db
  selector: {matchLabels: {app: smoke-db}}
  template:
    metadata: {labels: {app: smoke-db}}
    spec: {containers: [{name: db, image: postgres, volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: smoke-job}
spec: {template: {spec: {restartPolicy: Never, containers: [{name: j, image: busybox}]}}}
YAML
check "Deployment 2/2 ready" k rollout status deploy/smoke-web --timeout=60s
check "StatefulSet with PVC ready" k rollout status sts/smoke-db --timeout=60s
check "PVC bound (hostPath provisioner)" retry bash -c "'$BIN/kubectl' get pvc data-smoke-db-0 -o jsonpath='{.status.phase}' | grep -qx Bound"
check "Job completes" k wait --for=condition=Complete job/smoke-job --timeout=60s
k delete deploy smoke-web --wait=false >/dev/null
check "garbage collector removes ReplicaSet and Pods" retry bash -c \
  "[ -z \"\$('$BIN/kubectl' get rs,pods -l app=smoke-web -o name)\" ]"
check "service-account token authenticates" bash -c "'$BIN/kubectl' --kubeconfig=/dev/null --server=https://127.0.0.1:$APPENV_APISERVER_PORT \
  --certificate-authority='$STATE/pki/ca.crt' --token=\$('$BIN/kubectl' create token default) auth whoami | grep -q system:serviceaccount:default:default"
check "cronjob controller started" grep -q 'controller="cronjob-controller"' "$STATE/logs/kube-controller-manager.log"
check "upstream CRDs apply and become Established" env KUBECTL="$BIN/kubectl" "$HACK/upstream-crds.sh" --apply
check "cluster-up again is a no-op" "$HACK/cluster-up.sh" "$STATE"
pids=$(cat "$STATE"/run/*.pid)
"$HACK/cluster-down.sh" "$STATE" 2>/dev/null
check "cluster-down leaves no processes" bash -c "for p in ${pids//$'\n'/ }; do ! [ -d /proc/\$p ] || grep -q '^State:.*Z' /proc/\$p/status || exit 1; done"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
