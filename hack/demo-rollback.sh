#!/usr/bin/env bash
# `make demo-rollback`: release, promotion, alarm, rollback and a fixed release on the local control
# plane, with `kubectl get appenv` and the Events telling the story. The alarm is the notification
# Alertmanager would send (curl stands in for it here). It runs on a cluster of its own, kwok nodes
# only, next to `make run`'s: the story is told by the API, and the operator runs as a JVM here.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/hack/lib.sh" ""
NS=appenv-demo PORT="${APPENV_DEMO_PORT:-18095}" TOKEN=demo-token LOG="$ROOT/operator/target/demo-operator.log"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
PATH="$("$ROOT/hack/build.sh")":$PATH
export APPENV_REAL_NODE=false APPENV_ETCD_PORT=13379 APPENV_ETCD_PEER_PORT=13380 APPENV_APISERVER_PORT=17443 \
  APPENV_KCM_PORT=17257 APPENV_SCHEDULER_PORT=17259
eval "$("$ROOT/hack/cluster-up.sh" "${APPENV_CACHE:-$HOME/.cache/appenv}/demo-cluster")"
kubectl apply --server-side --force-conflicts -f "$ROOT/crds/" >/dev/null
wait_crd appenvironments.platform.appenv.io
jar=$(operator_jar "$ROOT") || die "the operator jar is missing: run 'make demo-rollback' (it builds it) or 'make build'"
APPENV_WEBHOOK_TOKEN=$TOKEN java -jar "$jar" --spring.profiles.active=plain --server.address=127.0.0.1 \
  --server.port="$PORT" --appenv.watch-namespaces=$NS >"$LOG" 2>&1 &
operator=$!
trap 'kill $operator 2>/dev/null; wait $operator 2>/dev/null || true' EXIT
wait_ready "127.0.0.1:$PORT/actuator/health/readiness" "$operator" "$LOG" 120
kubectl delete namespace $NS --ignore-not-found --wait=true --timeout=120s >/dev/null ||
  die "namespace $NS from an earlier demo is still being deleted after 120s: kubectl get all -n $NS"
kubectl create namespace $NS >/dev/null
show() { kubectl get appenv -n $NS; kubectl get svc telemetry -n $NS -o jsonpath='{"Service telemetry -> "}{.spec.selector.platform\.appenv\.io/color}{"\n"}'; }
# Each step of the story takes seconds; a minute without it means something broke: say what the status shows.
wait_status() {  # jsonpath value
  for _ in $(seq 1 120); do
    [ "$(kubectl get appenv telemetry -n $NS -o jsonpath="$1")" = "$2" ] && return 0
    sleep 0.5
  done
  kubectl get appenv telemetry -n $NS -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}' >&2
  die "$1 is not $2 after 60s (operator log: $LOG)"
}

step "release 1: ghcr.io/appenv/telemetry:0.1.0 (dev sample)"
sed "s/namespace: telemetry-dev/namespace: $NS/; /^kind: Namespace/,/^---/d" "$ROOT/samples/dev.yaml" | sed '/^apiVersion: v1$/d' |
  kubectl apply -n $NS -f - >/dev/null
wait_status '{.status.phase}' Ready; show

step "release 2: 0.2.0 starts on the idle colour, then takes the traffic"
kubectl patch appenv telemetry -n $NS --type merge -p '{"spec":{"app":{"image":"ghcr.io/appenv/telemetry:0.2.0"}}}' >/dev/null
wait_status '{.status.activeRelease.image}' ghcr.io/appenv/telemetry:0.2.0; show

step "alarm: HighErrorRate fires for release 2 (Alertmanager webhook)"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "127.0.0.1:$PORT/webhooks/alertmanager" -d @- <<JSON
{"version":"4","status":"firing","alerts":[{"status":"firing","startsAt":"$now","fingerprint":"demo",
 "labels":{"alertname":"HighErrorRate","severity":"critical","appenv_rollback":"true","appenv_namespace":"$NS","appenv_name":"telemetry","namespace":"$NS"}}]}
JSON
echo
wait_status '{.status.phase}' RolledBack; show
kubectl get appenv telemetry -n $NS -o jsonpath='{"Degraded: "}{.status.conditions[?(@.type=="Degraded")].message}{"\n"}'

step "release 3: a fixed image 0.3.0 (the rolled-back 0.2.0 stays rejected)"
kubectl patch appenv telemetry -n $NS --type merge -p '{"spec":{"app":{"image":"ghcr.io/appenv/telemetry:0.3.0"}}}' >/dev/null
wait_status '{.status.phase}' Ready; show

step "the story, from the Events"
kubectl get events -n $NS --field-selector involvedObject.kind=AppEnvironment --sort-by=.lastTimestamp \
  -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message | grep -v "Created\|Updated"
step "status.history"
kubectl get appenv telemetry -n $NS -o jsonpath='{range .status.history[*]}{.revision}{"  "}{.image}{"  "}{.color}{"  "}{.result}{"  "}{.reason}{"\n"}{end}'

step "the release report (make report NS=$NS NAME=telemetry, here from the demo's operator)"
APPENV_REPORT_URL="http://127.0.0.1:$PORT" "$ROOT/hack/report.sh" "$NS" telemetry 30 md
