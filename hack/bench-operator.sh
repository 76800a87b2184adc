#!/usr/bin/env bash
# Start-up time to ready and idle memory of the operator, against the local control plane with the
# samples applied (kwok nodes only, a cluster of its own). Prints one line per run.
# Usage: [JAVA_OPTS=...] hack/bench-operator.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/hack/lib.sh" ""
RUNS="${1:-5}" PORT="${APPENV_BENCH_PORT:-18090}" IDLE_SECONDS="${APPENV_BENCH_IDLE:-30}"
export APPENV_REAL_NODE=false APPENV_ETCD_PORT=14379 APPENV_ETCD_PEER_PORT=14380 APPENV_APISERVER_PORT=18443 \
  APPENV_KCM_PORT=18257 APPENV_SCHEDULER_PORT=18259
eval "$("$ROOT/hack/cluster-up.sh" "${APPENV_CACHE:-$HOME/.cache/appenv}/bench-cluster")"
PATH="$("$ROOT/hack/build.sh")":$PATH
kubectl apply --server-side --force-conflicts -f "$ROOT/crds/" >/dev/null
wait_crd appenvironments.platform.appenv.io
kubectl apply --server-side -f "$ROOT/samples/" >/dev/null
jar=$(operator_jar "$ROOT") || die "the operator jar is missing: run 'make bench' (it builds it) or 'make build'"
log_file="$ROOT/operator/target/bench-operator.log"
echo "nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java=$(java -version 2>&1 | head -1)"
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of flags
  java ${JAVA_OPTS:-} -jar "$jar" --server.port="$PORT" --server.address=127.0.0.1 >"$log_file" 2>&1 &
  pid=$!
  wait_ready "127.0.0.1:$PORT/actuator/health/readiness" "$pid" "$log_file" 120
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep "$IDLE_SECONDS"
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  heap=$(curl -s "127.0.0.1:$PORT/actuator/prometheus" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}')
  echo "run $run: ready_ms=$ready_ms idle_rss_mib=$((rss_kb / 1024)) heap_used_mib=$heap"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
