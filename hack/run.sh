#!/usr/bin/env bash
# `make run`: a cluster, the CRDs, the operator, the samples. Waits until every sample is Ready on real
# pods, sends one reading through the app's Service and reads it back, prints the environments and how to
# reach the app, and runs until Ctrl-C.
#   cluster   the reachable one of KUBECONFIG / the current context; else (or with APPENV_LOCAL_CLUSTER=true)
#             the local cluster of cluster-up.sh, with its real node where the machine allows it
#   operator  in the cluster from deploy/ (hack/local-operator: images built here, no registry) when
#             the images can reach the nodes (the local real node, or kind); else a JVM on this machine
#             (APPENV_OPERATOR=host|cluster overrides)
#   samples   applied with kubectl; with APPENV_GITOPS=true (`make run GITOPS=true`) Argo CD syncs the
#             environments of argocd/ instead, from a git server on this machine (argocd-up.sh)
#   monitoring the stack of deploy/monitoring (hack/local-monitoring: Prometheus Operator, Prometheus,
#             Alertmanager, kube-state-metrics, VictoriaLogs and vlagent, images built here) on the local
#             real node, beside the operator in the cluster; APPENV_MONITORING=true|false overrides
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HACK="$ROOT/hack"
source "$HACK/lib.sh" "${APPENV_STATE_DIR:-}"
OPERATOR_LOG="${APPENV_RUN_LOG:-$ROOT/operator/target/operator.log}"
HTTP_PORT="${APPENV_HTTP_PORT:-18080}"
KEYS_FILE="${APPENV_CACHE:-$HOME/.cache/appenv}/telemetry-api-keys.env"
start_s=$(date +%s)
elapsed() { echo "$(( $(date +%s) - start_s ))s"; }

BIN="$("$HACK/build.sh")"
PATH="$BIN:$PATH"   # kubectl of the pinned version, whatever the machine has

# --- the cluster ------------------------------------------------------------------------------------------
started_cluster=false
if [ "${APPENV_LOCAL_CLUSTER:-false}" = true ]; then
  unset KUBECONFIG
elif [ -n "${KUBECONFIG:-}" ] || [ -f "$HOME/.kube/config" ]; then
  if kubectl version --request-timeout=5s >/dev/null 2>&1; then
    log "using the cluster of the current kubeconfig context: $(kubectl config current-context)"
  else
    log "the current kubeconfig does not answer; starting the local cluster instead"
    unset KUBECONFIG
  fi
fi
if [ -z "${KUBECONFIG:-}" ] || [ "${APPENV_LOCAL_CLUSTER:-false}" = true ] ||
   ! kubectl version --request-timeout=5s >/dev/null 2>&1; then
  eval "$("$HACK/cluster-up.sh" "$STATE")"
  started_cluster=true
  log "local cluster ready ($(elapsed)): export KUBECONFIG=$KUBECONFIG"
fi
export KUBECONFIG
context=$(kubectl config current-context 2>/dev/null || true)
local_node=false; kind_cluster=""
if $started_cluster || [ "$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')" = "https://$NODE_IP:$(api_port)" ]; then
  kubectl get node "$NODE_NAME" >/dev/null 2>&1 && local_node=true
fi
[[ "$context" == kind-* ]] && kind_cluster=${context#kind-}
mode=${APPENV_OPERATOR:-$({ $local_node || [ -n "$kind_cluster" ]; } && echo cluster || echo host)}
gitops=${APPENV_GITOPS:-false}
if [ "$gitops" = true ]; then
  [ "$KUBECONFIG" = "$STATE/kubeconfig" ] || die "GITOPS=true runs Argo CD beside the local cluster of hack/ \
(APPENV_LOCAL_CLUSTER=true uses it); on a cluster of your own, install Argo CD as its documentation says and \
kubectl apply --server-side -k argocd/ (docs/gitops.md)"
  if [ "$mode" = host ] && $local_node; then
    die "GITOPS=true installs the operator through Argo CD on the real node; APPENV_OPERATOR=host would run a second one"
  fi
fi
monitoring=${APPENV_MONITORING:-auto}
if [ "$monitoring" = auto ]; then
  if $local_node && [ "$mode" = cluster ]; then monitoring=true; else monitoring=false; fi
fi
[ "$monitoring" = true ] || [ "$monitoring" = false ] || die "APPENV_MONITORING must be true, false or auto, not '$monitoring'"
[ "$monitoring" = false ] || [ "$mode" = cluster ] ||
  die "the monitoring stack sends alerts to the operator's Service: it needs APPENV_OPERATOR=cluster"

stop() {
  trap - INT TERM EXIT
  if [ -n "${operator_pid:-}" ]; then
    log "stopping the operator"
    if kill "$operator_pid" 2>/dev/null; then wait "$operator_pid" 2>/dev/null || true; fi
  fi
  if $started_cluster && [ "${APPENV_KEEP_CLUSTER:-false}" != true ]; then
    "$HACK/cluster-down.sh" "$STATE"
  fi
}
trap stop INT TERM EXIT

log "installing CRDs: appenv and the upstream ones it creates objects of"
kubectl apply --server-side --force-conflicts -f "$ROOT/crds/" >/dev/null
wait_crd appenvironments.platform.appenv.io
if [ "$monitoring" = true ]; then
  "$HACK/upstream-crds.sh" --stack --apply >/dev/null   # the Prometheus Operator's own kinds too
else
  "$HACK/upstream-crds.sh" --apply >/dev/null
fi

# --- images -------------------------------------------------------------------------------------------------
images=(--apps); [ "$monitoring" = false ] || images=()
if $local_node; then
  log "building images and loading them into the real node's containerd"
  "$HACK/images/load.sh" "${images[@]}"
elif [ -n "$kind_cluster" ]; then
  log "building images and loading them into kind cluster $kind_cluster"
  "$HACK/images/load.sh" "${images[@]}" --kind "$kind_cluster"
fi

# --- the operator ---------------------------------------------------------------------------------------------
if [ "$mode" = cluster ]; then
  log "installing the operator in the cluster (hack/local-operator: deploy/ with the images built here)"
  kubectl create namespace appenv-system --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  # The webhook's bearer token: generated once, never in git (docs/install.md).
  kubectl -n appenv-system get secret appenv-webhook-token >/dev/null 2>&1 ||
    kubectl -n appenv-system create secret generic appenv-webhook-token --from-literal=token="$(openssl rand -hex 32)" >/dev/null
  kubectl apply --server-side --force-conflicts -k "$HACK/local-operator" >/dev/null
  # A rebuilt image keeps its tag: restart the pods when the node's image is not the one they run.
  if $local_node; then
    want=$("$BIN/crictl" inspecti -o go-template --template '{{.status.id}}' ghcr.io/appenv/operator:0.1.0 2>/dev/null || true)
    have=$(kubectl -n appenv-system get pods -l app.kubernetes.io/name=appenv-operator \
      -o jsonpath='{.items[*].status.containerStatuses[0].imageID}' 2>/dev/null || true)
    if [ -n "$want" ] && [ -n "$have" ] && [ "$(tr ' ' '\n' <<<"$have" | sort -u)" != "$want" ]; then
      log "the operator image changed: restarting its pods"
      kubectl -n appenv-system rollout restart deployment/appenv-operator >/dev/null
    fi
  fi
  kubectl -n appenv-system rollout status deployment/appenv-operator --timeout=300s >/dev/null ||
    { kubectl -n appenv-system describe pods -l app.kubernetes.io/name=appenv-operator | tail -20 >&2; die "the operator did not become ready"; }
  log "operator ready in the cluster ($(elapsed)): kubectl -n appenv-system logs deploy/appenv-operator"
  if [ "$monitoring" = true ]; then
    log "installing the monitoring stack (hack/local-monitoring: deploy/monitoring with the images built here)"
    kubectl create namespace monitoring --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    # Alertmanager sends the operator's token: the same one, in its own namespace.
    token=$(kubectl -n appenv-system get secret appenv-webhook-token -o jsonpath='{.data.token}' | base64 -d)
    kubectl -n monitoring create secret generic appenv-webhook-token --from-literal=token="$token" \
      --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    unset token
    kubectl apply --server-side --force-conflicts -k "$HACK/local-monitoring" >/dev/null
  fi
else
  jar=$(operator_jar "$ROOT") || die "operator jar missing: run 'make build'"
  mkdir -p "$(dirname "$OPERATOR_LOG")"
  log "starting the operator on this machine (log: $OPERATOR_LOG, health: http://127.0.0.1:$HTTP_PORT/actuator/health)"
  java -jar "$jar" --spring.profiles.active=plain --server.address=127.0.0.1 --server.port="$HTTP_PORT" \
    >"$OPERATOR_LOG" 2>&1 &
  operator_pid=$!
  wait_ready "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" "$operator_pid" "$OPERATOR_LOG" 120
fi

# --- the samples ----------------------------------------------------------------------------------------------
# The app's API keys: two random keys, the Secret holds only their SHA-256 (docs/app.md). Kept in a file
# of this machine (mode 0600) so that they can be used; never committed.
if [ ! -s "$KEYS_FILE" ]; then
  mkdir -p "$(dirname "$KEYS_FILE")" && umask 077
  printf 'INGEST_KEY=%s\nREAD_KEY=%s\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" >"$KEYS_FILE"
fi
# shellcheck source=/dev/null  # the keys this script wrote above
source "$KEYS_FILE"
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
for ns in $(grep -l 'name: telemetry-api-keys' "$ROOT"/samples/*.yaml | xargs sed -n 's/^  namespace: //p' | sort -u); do
  kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$ns" create secret generic telemetry-api-keys --dry-run=client -o yaml \
    --from-literal=keys="$(sha "$INGEST_KEY"):ingest,$(sha "$READ_KEY"):read" | kubectl apply -f - >/dev/null
done
if [ "$gitops" = true ]; then
  # The images are on the node, not in a registry: the operator's Application syncs hack/local-operator there.
  operator_path=deploy; ! $local_node || operator_path=hack/local-operator
  log "starting Argo CD: it syncs the operator ($operator_path) and argocd/environments from a git server here"
  eval "$(APPENV_ARGOCD_OPERATOR_PATH=$operator_path "$HACK/argocd-up.sh" "$STATE")"
  # the ApplicationSet makes the environments once the operator's Application is Healthy (sync waves)
  environments() { kubectl get appenv -A --no-headers 2>/dev/null | wc -l; }
  for _ in $(seq 1 180); do [ "$(environments)" -ge 2 ] && break; sleep 1; done
  [ "$(environments)" -ge 2 ] ||
    { kubectl -n argocd get applications >&2; die "Argo CD made no environments within 180s (logs: $LOGS/argocd-*.log)"; }
else
  log "applying samples/"
  # forced: after a `make run GITOPS=true` on this cluster, Argo CD's field manager owns these fields
  kubectl apply --server-side --force-conflicts -f "$ROOT/samples/" >/dev/null
fi
if ! kubectl wait --for=condition=Ready appenv --all -A --timeout="${APPENV_RUN_TIMEOUT:-600s}" >/dev/null; then
  kubectl get appenv -A >&2
  kubectl get pods -A -o wide >&2
  die "not every environment became Ready (kubectl describe appenv -A says why)"
fi
log "all environments Ready in $(elapsed)"

# --- the monitoring stack: started beside the samples, checked once they are Ready ---------------------------
if [ "$monitoring" = true ]; then
  for workload in deployment/prometheus-operator deployment/kube-state-metrics statefulset/victoria-logs daemonset/vlagent; do
    kubectl -n monitoring rollout status "$workload" --timeout=300s >/dev/null ||
      { kubectl -n monitoring get pods -o wide >&2; die "$workload in monitoring did not become ready"; }
  done
  # The Prometheus Operator makes these two StatefulSets; they exist once it has read the objects.
  for sts in prometheus-appenv alertmanager-appenv; do
    for _ in $(seq 120); do kubectl -n monitoring get "statefulset/$sts" >/dev/null 2>&1 && break; sleep 1; done
    kubectl -n monitoring rollout status "statefulset/$sts" --timeout=300s >/dev/null ||
      { kubectl -n monitoring get pods -o wide >&2; kubectl -n monitoring logs deploy/prometheus-operator --tail=20 >&2
        die "statefulset/$sts in monitoring did not become ready"; }
  done
  log "monitoring stack ready in $(elapsed): Prometheus, Alertmanager, kube-state-metrics, VictoriaLogs, vlagent"
fi

# --- proof that the pods run for real, and the app answers through its Service -----------------------------
app_ns=telemetry-dev app_name=telemetry
if $started_cluster && ! $local_node; then
  # kwok's pods start nothing: there is no app to ask (the environments are Ready as API objects only).
  log "no real node here, so the pods are kwok's and run nothing: the check through the app's Service is skipped"
else
  if $local_node; then
    fake=$(kubectl get pods -A -l app.kubernetes.io/managed-by=appenv \
      -o jsonpath='{range .items[*]}{.spec.nodeName}{" "}{.metadata.namespace}/{.metadata.name}{"\n"}{end}' |
      awk -v real="$NODE_NAME" '$1 != real')
    [ -z "$fake" ] || die "pods of the samples are not on the real node: $fake"
    url="http://$(kubectl -n "$app_ns" get service "$app_name" -o jsonpath='{.spec.clusterIP}'):8080"
  else
    kubectl -n "$app_ns" port-forward "service/$app_name" 18081:8080 >/dev/null 2>&1 &
    forward_pid=$!; sleep 3; url=http://127.0.0.1:18081
  fi
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  curl -sfS -X POST "$url/api/v1/readings" -H "X-API-Key: $INGEST_KEY" -H 'Content-Type: application/json' \
    -d "{\"readings\":[{\"deviceId\":\"make-run\",\"timestamp\":\"$now\",\"metric\":\"temp\",\"value\":21.5}]}" >/dev/null ||
    die "ingestion through $url failed"
  got=$(curl -sfS "$url/api/v1/devices/make-run/readings?from=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)&to=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" \
    -H "X-API-Key: $READ_KEY") || die "query through $url failed"
  grep -q '"value":21.5' <<<"$got" || die "the reading sent through $url did not come back: $got"
  [ -z "${forward_pid:-}" ] || kill "$forward_pid" 2>/dev/null || true
  log "the app in $app_ns took a reading and returned it through its Service ($url)"
fi

echo
kubectl get appenv -A
echo
kubectl get pods -A -l app.kubernetes.io/managed-by=appenv -o wide
for env in $(kubectl get appenv -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}'); do
  ns=${env%%/*} name=${env##*/}
  echo
  echo "# objects owned by AppEnvironment $ns/$name"
  selector="app.kubernetes.io/instance=$name,app.kubernetes.io/managed-by=appenv"
  kubectl get deployments,statefulsets,services,poddisruptionbudgets,networkpolicies,secrets,persistentvolumeclaims,cronjobs,servicemonitors,prometheusrules \
    -n "$ns" -l "$selector" 2>/dev/null || true
  kubectl get schedules.velero.io -A -l "$selector" 2>/dev/null || true
  echo "# conditions"
  kubectl get appenv "$name" -n "$ns" -o jsonpath='{range .status.conditions[*]}  {.type}={.status} {.reason}{"\n"}{end}'
  echo "# alert rules installed: $(kubectl get prometheusrule "$name" -n "$ns" -o jsonpath='{.spec.groups[*].rules[*].alert}' 2>/dev/null)"
done
if [ "$monitoring" = true ]; then
  cat <<EOF

# the monitoring stack (docs/monitoring.md): Prometheus, Alertmanager, the log store
kubectl -n monitoring port-forward service/prometheus-operated 9090   # http://127.0.0.1:9090/alerts
kubectl -n monitoring port-forward service/alertmanager-operated 9093
kubectl -n monitoring port-forward service/victoria-logs 9428         # http://127.0.0.1:9428/select/vmui
EOF
fi
cat <<EOF

# reach the app (API keys in $KEYS_FILE):
export KUBECONFIG=$KUBECONFIG
kubectl -n $app_ns port-forward service/$app_name 8080:8080
# then, in another shell:
source $KEYS_FILE
curl -H "X-API-Key: \$READ_KEY" http://127.0.0.1:8080/api/v1/devices
# the chart page of the reading make run sent:
echo "http://127.0.0.1:8080/#key=\$READ_KEY&device=make-run&from=$(date -u -d '-1 day' +%Y-%m-%dT00:00:00Z)&to=$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)"
EOF
if [ "$gitops" = true ]; then
  echo
  kubectl -n argocd get applications
  cat <<EOF

# Argo CD (its API; the web UI cannot be built here, see docs/gitops.md):
export PATH=$STATE/argocd/bin:\$PATH ARGOCD_SERVER=$ARGOCD_SERVER ARGOCD_OPTS=--plaintext
argocd login \$ARGOCD_SERVER --username admin --password "\$(kubectl -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d)"
argocd app get telemetry-dev
# release to dev through git, as the release workflow does (Argo CD syncs the push in seconds):
git clone $APPENV_GIT_URL /tmp/appenv-gitops && cd /tmp/appenv-gitops
hack/set-release.sh argocd/environments/dev ghcr.io/appenv/telemetry@sha256:<64 hex digits> "\$(date -u +%FT%TZ)"
git commit -am "deploy(dev): ..." && git push
EOF
fi
echo
if [ "${APPENV_RUN_ONCE:-false}" = true ]; then exit 0; fi
if $started_cluster && [ "${APPENV_KEEP_CLUSTER:-false}" != true ]; then what=" and the local cluster"; else what=""; fi
if [ -n "${operator_pid:-}" ]; then
  log "running; Ctrl-C stops the operator$what"
  wait "$operator_pid"
else
  log "running; Ctrl-C stops here$what (the operator stays in the cluster)"
  while true; do sleep 3600; done
fi
