# shellcheck shell=bash
# shellcheck disable=SC2154  # jar, WEBHOOK_TOKEN, the ports and the users: set by hack/bench-scale.sh, which sources this
# The steps of hack/bench-scale.sh (sourced): the two controllers as processes, the timed phases, the
# steady state, the footprint with unrelated objects, and the goals. Uses the variables the script sets.

declare -A V   # figures the summary compares: V[key]=number

# The number after "KEY=" in a line of figures (watch.py's and audit.py's output).
field() { grep -o "\b$1=[0-9.]*" <<<"$2" | head -1 | cut -d= -f2; }

cpu_s() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat"; }   # user + system, CLK_TCK 100
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
peak_mib() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
bytes() {  # a Kubernetes quantity (Mi, Gi) in bytes
  case "$1" in *Gi) echo $(( ${1%Gi} * 1073741824 ));; *Mi) echo $(( ${1%Mi} * 1048576 ));; *) echo "$1";; esac; }
millicores() { case "$1" in *m) echo "${1%m}";; *) echo $(( $1 * 1000 ));; esac; }

# A kubeconfig for a ServiceAccount's token: the controller is a user of its own in the audit log.
sa_kubeconfig() {  # namespace serviceaccount
  local token; token=$(kubectl -n "$1" create token "$2" --duration=48h)
  cat <<KC
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "https://127.0.0.1:$APPENV_APISERVER_PORT", certificate-authority-data: $(base64 -w0 "$STATE/cluster/pki/ca.crt")}}]
users: [{name: $2, user: {token: $token}}]
contexts: [{name: $2, context: {cluster: bench, user: $2, namespace: $1}}]
current-context: $2
KC
}

# --- the operator, as deploy/ ships it ------------------------------------------------------------------
# Its JVM flags, environment and limits are read from deploy/deployment.yaml. The limits become a memory
# cgroup and a CPU quota (cgroup v1), as a container runtime sets them: the JVM sizes its heap and thread
# pools from them (it reports "Memory Limit: 384.00M, Effective CPU Count: 1"), and the kernel enforces
# them. Without writable cgroups, -XX:MaxRAM and -XX:ActiveProcessorCount stand in (said in the figures).
operator_setup() {
  kubectl apply --server-side -f "$ROOT/deploy/namespace.yaml" -f "$ROOT/deploy/rbac.yaml" >/dev/null
  sa_kubeconfig appenv-system appenv-operator >"$OUT/operator.kubeconfig"
  kubectl create --dry-run=client -o json -f "$ROOT/deploy/deployment.yaml" >"$OUT/operator-deployment.json"
  jq '.spec.template.spec.containers[0]' "$OUT/operator-deployment.json" >"$OUT/operator-container.json"
  OPERATOR_JAVA_OPTIONS=$(jq -r '.env[] | select(.name == "JAVA_TOOL_OPTIONS") | .value' "$OUT/operator-container.json")
  OPERATOR_MEMORY=${BENCH_OPERATOR_MEMORY:-$(jq -r '.resources.limits.memory' "$OUT/operator-container.json")}
  OPERATOR_CPU=$(jq -r '.resources.limits.cpu' "$OUT/operator-container.json")
  mapfile -t OPERATOR_ENV < <(jq -r '.env[] | select(.value != null and .name != "JAVA_TOOL_OPTIONS") | "\(.name)=\(.value)"' \
    "$OUT/operator-container.json")
  local mem cpu
  mem="/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)/appenv-bench-operator-$$"
  cpu="/sys/fs/cgroup/cpu$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3}' /proc/self/cgroup)/appenv-bench-operator-$$"
  if mkdir -p "$mem" "$cpu" 2>/dev/null && bytes "$OPERATOR_MEMORY" >"$mem/memory.limit_in_bytes" &&
     echo 100000 >"$cpu/cpu.cfs_period_us" && echo $(( $(millicores "$OPERATOR_CPU") * 100 )) >"$cpu/cpu.cfs_quota_us"; then
    CGROUPS=("$mem" "$cpu") OPERATOR_LIMITS="cgroup v1: memory $OPERATOR_MEMORY, CPU quota $OPERATOR_CPU"
  else
    CGROUPS=() OPERATOR_LIMITS="no writable cgroups: -XX:MaxRAM=$OPERATOR_MEMORY -XX:ActiveProcessorCount=1"
    OPERATOR_JAVA_OPTIONS="$OPERATOR_JAVA_OPTIONS -XX:MaxRAM=$(bytes "$OPERATOR_MEMORY") -XX:ActiveProcessorCount=1"
  fi
  # Where the memory above the heap goes (metaspace, code, threads, GC, malloc): NMT costs a few MiB of its
  # own, so it is asked for, not always on.
  [ "${BENCH_NMT:-false}" != true ] || OPERATOR_JAVA_OPTIONS="$OPERATOR_JAVA_OPTIONS -XX:NativeMemoryTracking=summary"
  echo "operator: $(basename "$jar"), JAVA_TOOL_OPTIONS=\"$OPERATOR_JAVA_OPTIONS\", $OPERATOR_LIMITS" | tee -a "$OUT/figures.txt"
}

start_operator() {
  local t0; t0=$(now)
  (
    for g in "${CGROUPS[@]}"; do echo "$BASHPID" >"$g/cgroup.procs"; done
    exec env "${OPERATOR_ENV[@]}" APPENV_HTTP_PORT="$OPERATOR_PORT" SERVER_ADDRESS=127.0.0.1 \
      APPENV_LEADERELECTION_LEASENAMESPACE=appenv-system APPENV_LEADERELECTION_IDENTITY=appenv-operator-bench \
      APPENV_WEBHOOK_TOKEN="$WEBHOOK_TOKEN" KUBECONFIG="$OUT/operator.kubeconfig" JAVA_TOOL_OPTIONS="$OPERATOR_JAVA_OPTIONS" \
      java -jar "$jar"
  ) >>"$OUT/operator.log" 2>&1 &
  OPERATOR_PID=$!
  pids+=("$OPERATOR_PID")
  until curl -sf "127.0.0.1:$OPERATOR_PORT/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$OPERATOR_PID" 2>/dev/null || { tail -30 "$OUT/operator.log" >&2; die "the operator exited (log: $OUT/operator.log)"; }
    sleep 0.1
  done
  OPERATOR_READY_S=$(since "$t0")
  log "operator ready in ${OPERATOR_READY_S}s (pid $OPERATOR_PID, log $OUT/operator.log)"
}

# SIGTERM, then SIGKILL after the Deployment's terminationGracePeriodSeconds, as the kubelet does.
stop_operator() {
  local grace t0 deadline
  grace=$(jq -r '.spec.template.spec.terminationGracePeriodSeconds // 30' "$OUT/operator-deployment.json")
  t0=$(now) deadline=$(( $(date +%s) + grace ))
  kill "$OPERATOR_PID" 2>/dev/null || return 0
  while kill -0 "$OPERATOR_PID" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$OPERATOR_PID" 2>/dev/null; then
    kill -KILL "$OPERATOR_PID"; OPERATOR_STOP="still running ${grace}s after SIGTERM: SIGKILL"
  else OPERATOR_STOP="ended $(since "$t0")s after SIGTERM"; fi
  wait "$OPERATOR_PID" 2>/dev/null || true
  OPERATOR_PID=
  log "operator stopped: $OPERATOR_STOP"
}

# --- Argo Rollouts' controller, as its install.yaml runs it (default flags, no limits) ---------------------
start_rollouts() {
  kubectl create namespace argo-rollouts --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
  kubectl -n argo-rollouts create serviceaccount argo-rollouts --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
  kubectl apply --server-side -f "$ROLLOUTS/argo-rollouts-clusterrole.yaml" >/dev/null
  kubectl create clusterrolebinding argo-rollouts --clusterrole=argo-rollouts --serviceaccount=argo-rollouts:argo-rollouts \
    --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
  sa_kubeconfig argo-rollouts argo-rollouts >"$OUT/rollouts.kubeconfig"
  POD_NAMESPACE=argo-rollouts "$ROLLOUTS/rollouts-controller" --kubeconfig "$OUT/rollouts.kubeconfig" \
    --metricsport "$ROLLOUTS_METRICS_PORT" --healthzPort "$ROLLOUTS_HEALTHZ_PORT" >>"$OUT/rollouts.log" 2>&1 &
  ROLLOUTS_PID=$!
  pids+=("$ROLLOUTS_PID")
  until curl -sf "127.0.0.1:$ROLLOUTS_HEALTHZ_PORT/healthz" >/dev/null 2>&1; do
    kill -0 "$ROLLOUTS_PID" 2>/dev/null || { tail -30 "$OUT/rollouts.log" >&2; die "rollouts-controller exited"; }
    sleep 0.1
  done
  log "Argo Rollouts' controller up (pid $ROLLOUTS_PID, log $OUT/rollouts.log)"
}

# Live heap: a full GC (jcmd GC.run), then the heap in use as the actuator reports it.
live_heap_mib() {
  jcmd "$OPERATOR_PID" GC.run >/dev/null
  curl -s "127.0.0.1:$OPERATOR_PORT/actuator/prometheus" |
    awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%.0f", s / 1048576}'
}
metrics() { curl -s "127.0.0.1:$OPERATOR_PORT/actuator/prometheus"; }

# One timed phase: apply a file at once, wait (one watch) until all N objects meet the condition.
phase_apply() {  # name file collection-path condition title
  local name=$1 file=$2 path=$3 condition=$4 title=$5 who pid t0 result apply_s cpu0 t1
  case "$name" in appenv*) who=operator pid=$OPERATOR_PID;; *) who=rollouts pid=$ROLLOUTS_PID;; esac
  metrics >"$OUT/$name.metrics-before"
  cpu0=$(cpu_s "$pid")
  t0=$(now)
  python3 "$B/watch.py" "$STATE/cluster" "$path" "$condition" "$N" "$t0" "${BENCH_PHASE_TIMEOUT:-900}" >"$OUT/$name.watch" &
  local watcher=$!
  apply_s=$(python3 "$B/apply.py" "$STATE/cluster" "$file" bench 2>"$OUT/$name.apply") ||
    { kill "$watcher"; tail -5 "$OUT/$name.apply" >&2; die "the apply of $file failed"; }
  wait "$watcher" || true
  t1=$(now)
  result=$(cat "$OUT/$name.watch")
  case "$result" in
    all=*) V[$name.s]=$(field all "$result")
           figure "$title" "${V[$name.s]} s ($result; the apply itself ${apply_s} s)";;
    *) V[$name.s]=timeout; figure "$title" "NOT REACHED: $result";;
  esac
  V[$name.cpu]=$(awk -v a="$cpu0" -v b="$(cpu_s "$pid")" 'BEGIN {printf "%.1f", b - a}')
  V[$name.rss]=$(rss_mib "$pid") V[$name.peak]=$(peak_mib "$pid")
  figure "  $who CPU seconds in the phase" "${V[$name.cpu]} s"
  figure "  $who RSS at the end / peak so far" "${V[$name.rss]} / ${V[$name.peak]} MiB"
  local user=$OPERATOR_USER; [ "$who" = rollouts ] && user=$ROLLOUTS_USER
  result=$(python3 "$B/audit.py" load "$OUT/audit.log" "$user" "$t0" "$t1")
  V[$name.requests]=$(field requests "$result")
  figure "  $who API requests in the phase" "$result"
  if [ "$who" = operator ]; then
    figure "  operator status writes in the phase" "$(python3 "$B/audit.py" status "$OUT/audit.log" "$user" "$t0" "$t1")"
    metrics >"$OUT/$name.metrics-after"
    figure "  operator reconciles in the phase" "$(python3 "$B/reconciles.py" "$OUT/$name.metrics-before" "$OUT/$name.metrics-after")"
  fi
}

steady_state() {  # seconds
  local seconds=$1 t0 t1 op0 ro0 result
  log "steady state: ${seconds}s with nothing changing (both controllers idle)"
  metrics >"$OUT/steady.metrics-before"
  op0=$(cpu_s "$OPERATOR_PID") ro0=$(cpu_s "$ROLLOUTS_PID") t0=$(now)
  sleep "$seconds"
  t1=$(now)
  metrics >"$OUT/steady.metrics-after"
  result=$(python3 "$B/audit.py" load "$OUT/audit.log" "$OPERATOR_USER" "$t0" "$t1")
  V[steady.rps]=$(field rps "$result")
  V[steady.writes]=$(( $(field writes "$result") - $(field lease_writes "$result") ))
  figure "steady state ${seconds}s: operator API requests" "$result"
  result=$(python3 "$B/audit.py" load "$OUT/audit.log" "$ROLLOUTS_USER" "$t0" "$t1")
  V[steady.rollouts.rps]=$(field rps "$result")
  figure "steady state ${seconds}s: Argo Rollouts API requests" "$result"
  figure "  operator reconciles in the window" "$(python3 "$B/reconciles.py" "$OUT/steady.metrics-before" "$OUT/steady.metrics-after")"
  figure "  CPU in the window: operator / Argo Rollouts" "$(awk -v a="$op0" -v b="$(cpu_s "$OPERATOR_PID")" -v c="$ro0" \
    -v d="$(cpu_s "$ROLLOUTS_PID")" -v s="$seconds" 'BEGIN {printf "%.1f s (%.0f m) / %.1f s (%.0f m)", b - a, (b - a) * 1000 / s, d - c, (d - c) * 1000 / s}')"
  V[steady.heap]=$(live_heap_mib)
  V[steady.rss]=$(rss_mib "$OPERATOR_PID") V[peak.rss]=$(peak_mib "$OPERATOR_PID")
  V[steady.rollouts.rss]=$(rss_mib "$ROLLOUTS_PID") V[peak.rollouts.rss]=$(peak_mib "$ROLLOUTS_PID")
  figure "operator RSS now / peak since start" "${V[steady.rss]} / ${V[peak.rss]} MiB (limit $OPERATOR_MEMORY)"
  figure "operator live heap after a full GC" "${V[steady.heap]} MiB"
  # Where the live heap goes, largest first (the class histogram forces a full GC of its own).
  jcmd "$OPERATOR_PID" GC.class_histogram | head -45 >"$OUT/heap-histogram.txt"
  figure "  heap by class (largest 40)" "$OUT/heap-histogram.txt"
  if [ "${BENCH_NMT:-false}" = true ]; then
    jcmd "$OPERATOR_PID" VM.native_memory summary >"$OUT/native-memory.txt"
    figure "  JVM memory by area, committed (NMT)" "$(awk '/^-  *[A-Z]/ && /committed=/ {sub(/^- */, ""); name = $0; sub(/ *\(.*/, "", name)
      match($0, /committed=[0-9]+KB/); mib = substr($0, RSTART + 10, RLENGTH - 12) / 1024
      if (mib >= 1) {printf "%s%s %.0f", sep, name, mib; sep = ", "}} END {print " MiB"}' "$OUT/native-memory.txt"), $OUT/native-memory.txt"
  fi
  [ ${#CGROUPS[@]} -eq 0 ] || figure "operator memory cgroup: peak usage (RSS + page cache), OOM kills" \
    "$(awk '{printf "%.0f MiB", $1 / 1048576}' "${CGROUPS[0]}/memory.max_usage_in_bytes"), $(awk '/oom_kill / {print $2}' "${CGROUPS[0]}/memory.oom_control" 2>/dev/null || echo n/a)"
  figure "operator CPU seconds since start" "$(cpu_s "$OPERATOR_PID") s"
  figure "Argo Rollouts RSS now / peak since start" "${V[steady.rollouts.rss]} / ${V[peak.rollouts.rss]} MiB"
  figure "Argo Rollouts CPU seconds since start" "$(cpu_s "$ROLLOUTS_PID") s"
  figure "operator /actuator/prometheus size" "$(metrics | wc -c | awk '{printf "%.0f KiB", $1 / 1024}'), $(metrics | grep -vc '^#') series"
}

# 10,000 unrelated Secrets, ConfigMaps and Deployments: they must not reach the operator's caches.
footprint() {  # count of each kind
  local count=$1 t0 t1 before_rss before_heap result
  before_rss=$(rss_mib "$OPERATOR_PID") before_heap=${V[steady.heap]}
  log "footprint: creating $count unrelated Secrets, ConfigMaps and Deployments (0 replicas) in $N namespaces"
  t0=$(now)
  python3 "$B/gen.py" unrelated "$count" "$N" >"$OUT/unrelated.json"
  python3 "$B/apply.py" "$STATE/cluster" "$OUT/unrelated.json" someone-else 8 >/dev/null
  sleep 30   # the controller-manager makes their ReplicaSets
  t1=$(now)
  figure "footprint: $count each created in" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f s", b - a - 30}')"
  figure "  operator API requests meanwhile" "$(python3 "$B/audit.py" load "$OUT/audit.log" "$OPERATOR_USER" "$t0" "$t1")"
  figure "  operator RSS before / after, live heap before / after" "$before_rss / $(rss_mib "$OPERATOR_PID") MiB, $before_heap / $(live_heap_mib) MiB"
  figure "  Argo Rollouts RSS after (it caches every ReplicaSet)" "$(rss_mib "$ROLLOUTS_PID") MiB"
  log "footprint: the operator restarted, so that its caches are filled with the unrelated objects present"
  stop_operator
  figure "  operator stop (SIGTERM, grace period as deployed)" "$OPERATOR_STOP"
  t0=$(now)
  start_operator
  figure "  operator restart to ready, $N environments + unrelated objects" "$OPERATOR_READY_S s"
  sleep 60
  t1=$(now)
  figure "  operator API requests in its first 60 s" "$(python3 "$B/audit.py" load "$OUT/audit.log" "$OPERATOR_USER" "$t0" "$t1")"
  V[footprint.heap]=$(live_heap_mib) V[footprint.rss]=$(rss_mib "$OPERATOR_PID")
  figure "  operator RSS / live heap after a full GC" "${V[footprint.rss]} MiB / ${V[footprint.heap]} MiB (peak RSS $(peak_mib "$OPERATOR_PID") MiB)"
  t0=$(now); sleep 120; t1=$(now)
  result=$(python3 "$B/audit.py" load "$OUT/audit.log" "$OPERATOR_USER" "$t0" "$t1")
  figure "  operator API requests, next 120 s" "$result"
}

goal() {  # description met(true/false) figures
  printf '%-4s %-78s %s\n' "$([ "$2" = true ] && echo MET || echo NOT)" "$1" "$3" | tee -a "$OUT/figures.txt"
}
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a != "" && a != "timeout" && a + 0 <= b + 0)}' && echo true || echo false; }

summary() {
  echo "--- goals of issue 13 (load now $(load))" | tee -a "$OUT/figures.txt"
  goal "1,000 environments all Ready within 120 s of the apply" "$(le "${V[appenv.s]}" 120)" "${V[appenv.s]} s"
  goal "a release of all 1,000 promoted within 180 s" "$(le "${V[appenv-release.s]}" 180)" "${V[appenv-release.s]} s"
  goal "0 writes (but the leader Lease's renewals) and at most 1 API request/s while nothing changes" \
    "$([ "${V[steady.writes]}" = 0 ] && le "${V[steady.rps]}" 1)" "${V[steady.writes]} writes, ${V[steady.rps]} requests/s"
  goal "operator RSS at most 512 MiB at 1,000 environments, shipped limits" "$(le "${V[peak.rss]}" 512)" "peak ${V[peak.rss]} MiB"
  goal "at most 1.5 x Argo Rollouts' memory (peak RSS)" "$(le "${V[peak.rss]}" "$(awk -v r="${V[peak.rollouts.rss]}" 'BEGIN {print 1.5 * r}')")" \
    "${V[peak.rss]} / ${V[peak.rollouts.rss]} MiB = $(awk -v a="${V[peak.rss]}" -v b="${V[peak.rollouts.rss]}" 'BEGIN {printf "%.2f", a / b}')"
  local ours theirs
  ours=$(( ${V[appenv.requests]} + ${V[appenv-release.requests]} )) theirs=$(( ${V[rollouts.requests]} + ${V[rollouts-release.requests]} ))
  goal "no more API load than Argo Rollouts for the same work (apply + release)" "$(le "$ours" "$theirs")" \
    "$ours / $theirs requests = $(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}')"
  goal "no more API load than Argo Rollouts in steady state" "$(le "${V[steady.rps]}" "${V[steady.rollouts.rps]}")" \
    "${V[steady.rps]} / ${V[steady.rollouts.rps]} requests/s"
  if [ -n "${V[traffic.appenv]:-}" ]; then
    goal "traffic back after a bad release in at most half of Argo Rollouts' time" \
      "$(le "${V[traffic.appenv]}" "$(awk -v r="${V[traffic.rollouts]}" 'BEGIN {print r / 2}')")" \
      "${V[traffic.appenv]} / ${V[traffic.rollouts]} s = $(awk -v a="${V[traffic.appenv]}" -v b="${V[traffic.rollouts]}" 'BEGIN {printf "%.2f", a / b}')"
  fi
  log "figures in $OUT/figures.txt"
}
