#!/usr/bin/env bash
# make bench-scale: 1,000 blue/green AppEnvironments with a database and backups on a local control plane
# with kwok nodes only, side by side with Argo Rollouts' controller managing 1,000 blue/green Rollouts of
# the same pods, then the operator's footprint with 10,000 unrelated Secrets, ConfigMaps and Deployments.
# The operator runs as it ships: its jar, deploy/deployment.yaml's JVM flags and limits (a memory and a CPU
# cgroup, as a container runtime makes them), its ServiceAccount and ClusterRole. API load is read from
# the API server's audit log, by user. Figures go to stdout and STATE/results/figures.txt, each with the
# load average; docs/benchmarks.md says what they mean.
# Usage: make bench-scale, or hack/bench-scale.sh after `mvn package -DskipTests`
#   BENCH_ENVIRONMENTS (1000), BENCH_STEADY_SECONDS (600: one resync of every environment), BENCH_UNRELATED
#   (10000 of each kind), BENCH_ALARM (true: the traffic-back comparison), BENCH_ALARM_ROUNDS (3),
#   BENCH_KEEP_CLUSTER (false), BENCH_OPERATOR_MEMORY (the Deployment's limit), BENCH_STOP_AFTER (appenv: the
#   appenv phases and a steady state only), BENCH_NMT (false: true adds the JVM's native memory by area),
#   APPENV_BENCH_PORT_OFFSET (0: ports 11379/11380/11443/11257/11259, 11180-11199 for the processes and 11280-11299
#   for the traffic-back comparison; none of them is used by the CI's clusters, so both can run at once)
set -euo pipefail
{ # parsed at once: safe to edit while it runs
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
B="$ROOT/hack/bench-scale"
# log, die and wait_crd; its STATE is replaced below by the benchmark's own.
# shellcheck source=lib.sh
source "$ROOT/hack/lib.sh" ""
N="${BENCH_ENVIRONMENTS:-1000}" STEADY="${BENCH_STEADY_SECONDS:-600}" UNRELATED="${BENCH_UNRELATED:-10000}"
OFF="${APPENV_BENCH_PORT_OFFSET:-0}"
export APPENV_REAL_NODE=false APPENV_ETCD_PORT=$((11379 + OFF)) APPENV_ETCD_PEER_PORT=$((11380 + OFF)) \
  APPENV_APISERVER_PORT=$((11443 + OFF)) APPENV_KCM_PORT=$((11257 + OFF)) APPENV_SCHEDULER_PORT=$((11259 + OFF))
# Pods: per environment the app, its database and the roles Job, and both colours during a release; per
# Rollout both ReplicaSets for the scale-down delay. kwok nodes hold 110 each, as a kubelet would.
export APPENV_NODES="${BENCH_NODES:-$((N * 7 / 110 + 2))}"
# shellcheck disable=SC2034  # steps.sh uses them
OPERATOR_PORT=$((11180 + OFF)) ROLLOUTS_METRICS_PORT=$((11190 + OFF)) ROLLOUTS_HEALTHZ_PORT=$((11191 + OFF))
STATE="${APPENV_CACHE:-$HOME/.cache/appenv}/bench-scale"
OUT="$STATE/results"
# shellcheck disable=SC2034  # steps.sh uses them
OPERATOR_USER=system:serviceaccount:appenv-system:appenv-operator
ROLLOUTS_USER=system:serviceaccount:argo-rollouts:argo-rollouts
IMAGE_1=ghcr.io/appenv/telemetry:0.1.0 IMAGE_2=ghcr.io/appenv/telemetry:0.2.0
WEBHOOK_TOKEN="bench-webhook-$RANDOM$RANDOM"

load() { cut -d' ' -f1-3 /proc/loadavg; }
# Until the release's last scheduled step: both controllers scale their old pods down 10m after promoting.
after_scale_down() {  # promoted at (epoch seconds)
  local from
  from=$(awk -v p="$1" -v w="${BENCH_QUIET_AFTER:-630}" 'BEGIN {printf "%.0f", p + w}')
  while [ "$(date +%s)" -lt "$from" ]; do sleep 5; done
}
# One figure: printed and kept, with the load average at the time it was taken.
figure() { printf '%-58s %s   (load %s)\n' "$1" "$2" "$(load)" | tee -a "$OUT/figures.txt"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

jar=
for f in "$ROOT"/operator/target/appenv-operator-*.jar; do
  case "$f" in *original*) ;; *) [ -f "$f" ] && jar=$f && break ;; esac
done
[ -n "$jar" ] || die "no operator jar: run mvn -pl operator -am package -DskipTests (make bench-scale does)"
BIN="$("$ROOT/hack/build.sh")"
ROLLOUTS="$("$B/build-rollouts.sh")"
PATH="$BIN:$PATH"

mkdir -p "$STATE"
rm -rf "$OUT" && mkdir -p "$OUT"
log "cluster: $APPENV_NODES kwok nodes, API server on 127.0.0.1:$APPENV_APISERVER_PORT, audit log $OUT/audit.log"
# The API server rotates the log every 100 MB (--audit-log-maxsize 0 means its default, not "never");
# audit.py reads the rotated files too.
export APPENV_APISERVER_ARGS="--audit-policy-file=$B/audit-policy.yaml --audit-log-path=$OUT/audit.log \
  --audit-log-format=json --audit-log-maxsize=100 --audit-log-maxbackup=0 ${APPENV_APISERVER_ARGS:-}"
pids=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local rc=$?
  [ -z "${OPERATOR_PID:-}" ] || stop_operator
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rmdir "${CGROUPS[@]}" 2>/dev/null || true
  if [ "${BENCH_KEEP_CLUSTER:-false}" = true ]; then log "cluster kept: export KUBECONFIG=$STATE/cluster/kubeconfig"
  else "$ROOT/hack/cluster-down.sh" "$STATE/cluster" >&2; fi
  exit "$rc"
}
CGROUPS=()
trap cleanup EXIT
export_kubeconfig=$("$ROOT/hack/cluster-up.sh" --fresh "$STATE/cluster") || die "cluster-up failed (above)"
eval "$export_kubeconfig"

{ echo "appenv scale benchmark $(date -u +%FT%TZ), commit $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "environments: $N, kwok nodes: $APPENV_NODES, Argo Rollouts: $(cat "$ROLLOUTS/VERSION")"; } | tee "$OUT/figures.txt"

log "CRDs: appenv's, the Prometheus Operator's and Velero's (hack/upstream-crds.sh), Argo Rollouts' (its module)"
"$ROOT/hack/upstream-crds.sh" --apply >/dev/null
rollouts_crds=()
for f in "$ROLLOUTS"/*-crd.yaml; do rollouts_crds+=(-f "$f"); done
kubectl apply --server-side -f "$ROOT/crds/" "${rollouts_crds[@]}" >/dev/null
wait_crd appenvironments.platform.appenv.io rollouts.argoproj.io analysistemplates.argoproj.io

# shellcheck source=bench-scale/steps.sh
source "$B/steps.sh"
operator_setup
start_operator
start_rollouts

log "namespaces and volumes bound in advance: $N, not timed (both controllers share the namespaces)"
kubectl apply --dry-run=client -o json -f "$ROOT/samples/dev.yaml" >"$OUT/sample.json"
python3 "$B/gen.py" namespaces "$N" >"$OUT/namespaces.json"
python3 "$B/gen.py" volumes "$N" "$(jq -r '.items[] | select(.kind == "AppEnvironment") | .metadata.name' "$OUT/sample.json")" \
  >"$OUT/volumes.json"
python3 "$B/apply.py" "$STATE/cluster" "$OUT/namespaces.json" bench >/dev/null
python3 "$B/apply.py" "$STATE/cluster" "$OUT/volumes.json" bench >/dev/null

# --- appenv: apply, all Ready, release, all promoted ------------------------------------------------
python3 "$B/gen.py" environments "$N" "$IMAGE_1" "$OUT/sample.json" >"$OUT/environments-1.json"
python3 "$B/gen.py" environments "$N" "$IMAGE_2" "$OUT/sample.json" >"$OUT/environments-2.json"
phase_apply appenv "$OUT/environments-1.json" /apis/platform.appenv.io/v1alpha1/appenvironments ready \
  "appenv: $N environments applied -> all Ready"
phase_apply appenv-release "$OUT/environments-2.json" /apis/platform.appenv.io/v1alpha1/appenvironments \
  "promoted=$IMAGE_2" "appenv: release of all $N (new image) -> all promoted"
[ "${BENCH_STOP_AFTER:-}" != appenv ] || { after_scale_down "$(now)"; steady_state "$STEADY"; exit 0; }

# --- Argo Rollouts: the same pods ---------------------------------------------------------------------
kubectl -n bench-0001 get deployment telemetry-blue -o json >"$OUT/deployment.json"
python3 "$B/gen.py" rollouts "$N" "$IMAGE_1" "$OUT/deployment.json" >"$OUT/rollouts-1.json"
python3 "$B/gen.py" rollouts "$N" "$IMAGE_2" "$OUT/deployment.json" --release >"$OUT/rollouts-2.json"
phase_apply rollouts "$OUT/rollouts-1.json" /apis/argoproj.io/v1alpha1/rollouts "healthy=$IMAGE_1" \
  "Argo Rollouts: $N Rollouts applied -> all Healthy"
phase_apply rollouts-release "$OUT/rollouts-2.json" /apis/argoproj.io/v1alpha1/rollouts "healthy=$IMAGE_2" \
  "Argo Rollouts: release of all $N -> all Healthy"
promoted_at=$(now)

# --- traffic back after a bad release, both tools, the same Prometheus and app ---------------------------
if [ "${BENCH_ALARM:-true}" = true ]; then
  log "traffic back after a bad release: appenv's alert path and Argo Rollouts' analysis (Maven, -Pbench)"
  if (cd "$ROOT" && APPENV_E2E_KUBECONFIG="$KUBECONFIG" BENCH_OPERATOR_URL="http://127.0.0.1:$OPERATOR_PORT" \
      BENCH_WEBHOOK_TOKEN="$WEBHOOK_TOKEN" BENCH_PORT_OFFSET="$OFF" BENCH_ALARM_ROUNDS="${BENCH_ALARM_ROUNDS:-3}" \
      mvn -B -ntp -q -pl operator test -Pbench -Dtest=TrafficBackBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
      >"$OUT/traffic-back.log" 2>&1); then
    while IFS= read -r line; do
      case "$line" in
        traffic.*=*) V[${line%%=*}]=${line#*=} ;;
        *:*) figure "${line%%:*}" "${line#*: }" ;;
      esac
    done <"$ROOT/operator/target/traffic-back.txt"
  else
    tail -30 "$OUT/traffic-back.log" >&2
    figure "traffic back after a bad release" "FAILED (log: $OUT/traffic-back.log)"
  fi
fi

# --- steady state: both idle, after both scaled their old pods down -------------------------------------
after_scale_down "$promoted_at"
steady_state "$STEADY"

# --- footprint with unrelated objects -------------------------------------------------------------------
footprint "$UNRELATED"
summary
exit 0
}
