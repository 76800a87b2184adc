#!/usr/bin/env bash
# `make run`: a cluster (the reachable one in KUBECONFIG, else the local control plane), the CRDs,
# the operator, the samples; waits until they are Ready, prints them, and runs until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HACK="$ROOT/hack"
STATE="${APPENV_STATE_DIR:-${APPENV_CACHE:-$HOME/.cache/appenv}/cluster}"
OPERATOR_LOG="${APPENV_RUN_LOG:-$ROOT/operator/target/operator.log}"
HTTP_PORT="${APPENV_HTTP_PORT:-18080}"
log() { echo "[$(date +%H:%M:%S)] run: $*" >&2; }
start_s=$(date +%s)

BIN="$("$HACK/build.sh")"
PATH="$BIN:$PATH"   # kubectl of the pinned version, whatever the machine has

started_cluster=false
if [ -n "${KUBECONFIG:-}" ] || [ -f "$HOME/.kube/config" ]; then
  if kubectl version --request-timeout=5s >/dev/null 2>&1; then
    log "using the cluster of the current kubeconfig context: $(kubectl config current-context)"
  else
    log "the current kubeconfig does not answer; starting the local control plane instead"
    unset KUBECONFIG
  fi
fi
if [ -z "${KUBECONFIG:-}" ] || ! kubectl version --request-timeout=5s >/dev/null 2>&1; then
  eval "$("$HACK/cluster-up.sh" "$STATE")"
  started_cluster=true
  log "local control plane ready: export KUBECONFIG=$KUBECONFIG"
fi
export KUBECONFIG

log "installing CRDs: appenv and the upstream ones it creates objects of"
kubectl apply --server-side --force-conflicts -f "$ROOT/crds/" >/dev/null
# `kubectl wait` fails while the new CRD has no conditions yet: poll until it answers.
for _ in $(seq 1 60); do
  kubectl wait --for=condition=Established crd/appenvironments.platform.appenv.io --timeout=5s >/dev/null 2>&1 && break
  sleep 1
done
"$HACK/upstream-crds.sh" --apply >/dev/null

jar=$(ls "$ROOT"/operator/target/appenv-operator-*.jar 2>/dev/null | grep -v original | head -1)
[ -n "$jar" ] || { log "operator jar missing: run 'make build'"; exit 1; }
mkdir -p "$(dirname "$OPERATOR_LOG")"
log "starting the operator (log: $OPERATOR_LOG, health: http://127.0.0.1:$HTTP_PORT/actuator/health)"
java -jar "$jar" --spring.profiles.active=plain --server.address=127.0.0.1 --server.port="$HTTP_PORT" \
  >"$OPERATOR_LOG" 2>&1 &
operator_pid=$!

stop() {
  trap - INT TERM EXIT
  log "stopping the operator"
  kill "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null || true
  if $started_cluster && [ "${APPENV_KEEP_CLUSTER:-false}" != true ]; then
    "$HACK/cluster-down.sh" "$STATE"
  fi
}
trap stop INT TERM EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$operator_pid" 2>/dev/null || { log "the operator exited; last lines of its log:"; tail -20 "$OPERATOR_LOG" >&2; exit 1; }
  sleep 0.5
done
log "operator ready; applying samples/"
kubectl apply --server-side -f "$ROOT/samples/" >/dev/null
kubectl wait --for=condition=Ready appenv --all -A --timeout=180s >/dev/null
log "all environments Ready in $(( $(date +%s) - start_s ))s"

echo
kubectl get appenv -A
for env in $(kubectl get appenv -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}'); do
  ns=${env%%/*} name=${env##*/}
  echo
  echo "# objects owned by AppEnvironment $ns/$name"
  selector="app.kubernetes.io/instance=$name,app.kubernetes.io/managed-by=appenv"
  kubectl get deployments,statefulsets,services,poddisruptionbudgets,networkpolicies,secrets,persistentvolumeclaims,pods,cronjobs,servicemonitors,prometheusrules \
    -n "$ns" -l "$selector" 2>/dev/null || true
  kubectl get schedules.velero.io -A -l "$selector" 2>/dev/null || true
  echo "# conditions"
  kubectl get appenv "$name" -n "$ns" -o jsonpath='{range .status.conditions[*]}  {.type}={.status} {.reason}{"\n"}{end}'
  echo "# alert rules installed: $(kubectl get prometheusrule "$name" -n "$ns" -o jsonpath='{.spec.groups[*].rules[*].alert}' 2>/dev/null)"
done
echo
if [ "${APPENV_RUN_ONCE:-false}" = true ]; then exit 0; fi
log "running; Ctrl-C stops the operator${started_cluster:+ and the local control plane}"
wait "$operator_pid"
