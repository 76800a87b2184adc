#!/usr/bin/env bash
# Starts a local Kubernetes cluster without Docker: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok (fake nodes whose pods become Running/Ready without running anything) and, where
# the machine allows it, a real node that runs containers (node-up.sh). With the real node, kwok's
# nodes are tainted, so pods run for real unless they tolerate kwok.
# Usage: hack/cluster-up.sh [--fresh] [STATE]   (default $APPENV_STATE_DIR or ~/.cache/appenv/cluster)
#   --fresh  stop it and wipe STATE's certs/etcd data first.  A running healthy cluster is reused.
#   APPENV_REAL_NODE=true|false|auto (default auto: the real node when root and the kernel allow it)
# Stdout is one line, `export KUBECONFIG=STATE/kubeconfig`; progress goes to stderr.
set -euo pipefail
{ # parsed at once: safe to edit this file while it waits for a long first build
HACK="$(cd "$(dirname "$0")" && pwd)"
fresh=false; [ "${1:-}" = "--fresh" ] && { fresh=true; shift; }
source "$HACK/lib.sh"
NODES="${APPENV_NODES:-2}"
start_ms=$(date +%s%3N)
mkdir -p "$STATE" && exec 9>"$STATE/.lock" && flock 9   # one cluster-up/down at a time per state dir

components() { echo "${CONTROL_PLANE[@]}"; ! real_node_enabled || echo "${NODE_COMPONENTS[@]}"; }
all_running() { for c in $(components); do pid_of "$c" >/dev/null || return 1; done; }
if ! $fresh && all_running && apiserver_ready && [ "$REAL_NODE_WANTED" != "$(real_node_enabled && echo false || echo true)" ]; then
  log "already running ($STATE)"; echo "export KUBECONFIG=$STATE/kubeconfig"; exit 0
fi
APPENV_CLUSTER_LOCKED="$STATE" "$HACK/cluster-down.sh" "$STATE"   # leftovers of a half-started or crashed cluster
if $fresh && [ -f "$STATE/.appenv-cluster" ]; then rm -rf "$PKI" "$STATE/etcd" "$LOGS" "$RUN"; fi
mkdir -p "$RUN" "$LOGS" && touch "$STATE/.appenv-cluster"
rm -f "$STATE/real-node"
case "$REAL_NODE_WANTED" in
  false) ;;
  true) if problem=$(real_node_problem); then die "APPENV_REAL_NODE=true, but $problem"; fi
        touch "$STATE/real-node" ;;
  auto) if problem=$(real_node_problem); then log "no real node: $problem; pods run on kwok nodes only"
        else touch "$STATE/real-node"; fi ;;
  *) die "APPENV_REAL_NODE must be true, false or auto, not '$REAL_NODE_WANTED'" ;;
esac
APISERVER_HOST=$(api_host) APISERVER_PORT=$(api_port)
! real_node_enabled || claim_node

# builds on first use (progress on stderr); the real node's add-ons only when there is one
needed=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubectl)
if real_node_enabled; then
  BIN="${APPENV_BIN_DIR:-$("$HACK/build.sh")}"
  needed+=(kubelet kube-proxy coredns kube-router local-path-provisioner crictl)
else
  BIN="${APPENV_BIN_DIR:-$("$HACK/build.sh" --control-plane)}"
fi
export APPENV_BIN_DIR="$BIN"
for b in "${needed[@]}"; do [ -x "$BIN/$b" ] || die "$BIN/$b missing (run hack/build.sh)"; done
kubectl() { "$BIN/kubectl" --kubeconfig "$STATE/kubeconfig" "$@"; }

for p in "127.0.0.1:$ETCD_PORT" "127.0.0.1:$ETCD_PEER_PORT" "$APISERVER_HOST:$APISERVER_PORT" "127.0.0.1:$KCM_PORT" \
         "127.0.0.1:$SCHEDULER_PORT"; do
  [ -z "$(ss -Hltn "src ${p%:*} and sport = :${p##*:}" 2>/dev/null)" ] ||
    die "$p is in use (see APPENV_*_PORT in hack/README.md)"
done

# --- certificates (once per state dir) -------------------------------------------------------
[ -f "$PKI/ca.crt" ] || { log "generating certificates in $PKI"; rm -rf "$PKI"; }
mkdir -p "$PKI"
( cd "$PKI"
  if [ ! -f ca.crt ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
    openssl req -x509 -new -key ca.key -subj /CN=appenv-local-ca -days 3650 -sha256 -out ca.crt.tmp -extensions v3 \
      -config <(cnf $'[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash')
    mv ca.crt.tmp ca.crt
  fi
  # The serving certificate names the node address too (made before, it may lack it: renewed then).
  if [ -f apiserver.crt ] && ! openssl x509 -in apiserver.crt -noout -ext subjectAltName | grep -qF "IP Address:$NODE_IP"; then
    rm -f apiserver.crt; fi
  cert apiserver /CN=kube-apiserver "extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:$NODE_IP,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=appenv-admin" extendedKeyUsage=clientAuth
  cert kube-controller-manager /CN=system:kube-controller-manager extendedKeyUsage=clientAuth
  cert kube-scheduler /CN=system:kube-scheduler extendedKeyUsage=clientAuth
  cert front-proxy-client /CN=front-proxy-client extendedKeyUsage=clientAuth   # aggregation layer
  cert apiserver-kubelet-client /O=system:masters/CN=kube-apiserver-kubelet-client extendedKeyUsage=clientAuth
  [ -f sa.pub ] || { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out sa.key &&  # ES256 tokens
                     openssl pkey -in sa.key -pubout -out sa.pub; } )
kubeconfig admin >"$STATE/kubeconfig"
kubeconfig kube-controller-manager >"$PKI/kube-controller-manager.kubeconfig"
kubeconfig kube-scheduler >"$PKI/kube-scheduler.kubeconfig"
printf 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n' >"$STATE/kwok.yaml"

# --- processes ---------------------------------------------------------------------------------
# on any failure from here on, stop what was started (logs stay in $LOGS)
# shellcheck disable=SC2317  # run by the EXIT trap
stop_on_failure() { local rc=$?; [ "$rc" -eq 0 ] || APPENV_CLUSTER_LOCKED="$STATE" "$HACK/cluster-down.sh" "$STATE"; exit "$rc"; }
trap stop_on_failure EXIT
# extra flags of the user's, split into words
read -ra apiserver_args <<<"${APPENV_APISERVER_ARGS:-}"
read -ra kcm_args <<<"${APPENV_KCM_ARGS:-}"
read -ra kwok_args <<<"${APPENV_KWOK_ARGS:-}"
log "starting etcd on 127.0.0.1:$ETCD_PORT"
start etcd "$BIN/etcd" --name appenv --data-dir "$STATE/etcd" --log-level warn \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "appenv=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync="${APPENV_ETCD_UNSAFE_NO_FSYNC:-true}"
wait_for etcd etcd 30 curl -sf --max-time 1 "http://127.0.0.1:$ETCD_PORT/health"

log "starting kube-apiserver on https://$APISERVER_HOST:$APISERVER_PORT"
if real_node_enabled; then   # the `kubernetes` Service leads pods to it; logs and exec reach the kubelet
  node_args=(--endpoint-reconciler-type lease --kubelet-preferred-address-types InternalIP
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt"
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key")
else
  node_args=(--endpoint-reconciler-type none)   # nothing in the cluster could reach it anyway
fi
start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address "$APISERVER_HOST" --advertise-address "$APISERVER_HOST" --secure-port "$APISERVER_PORT" \
  --cert-dir "$PKI" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range "$SERVICE_CIDR" "${node_args[@]}" --allow-privileged \
  --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
  --profiling=false "${apiserver_args[@]}"
wait_for "kube-apiserver /readyz" kube-apiserver 90 apiserver_ready

common=(--bind-address 127.0.0.1 --leader-elect=false --profiling=false --kube-api-qps 200 --kube-api-burst 400)  # no client throttling: starts in ~2 s, not ~6
log "starting kube-controller-manager, kube-scheduler, kwok"
start kube-controller-manager "$BIN/kube-controller-manager" "${common[@]}" --secure-port "$KCM_PORT" \
  --cert-dir "$PKI/kube-controller-manager" --kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --use-service-account-credentials --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --enable-hostpath-provisioner --controllers '*' "${kcm_args[@]}"
start kube-scheduler "$BIN/kube-scheduler" "${common[@]}" --secure-port "$SCHEDULER_PORT" \
  --cert-dir "$PKI/kube-scheduler" --kubeconfig "$PKI/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig "$PKI/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig "$PKI/kube-scheduler.kubeconfig"
# kwok's built-in default stages (embedded from sigs.k8s.io/kwok/kustomize/stage/{node,pod}/fast) make
# nodes Ready (with heartbeat leases) and scheduled pods Running+Ready; extra --config files may add Stages.
start kwok "$BIN/kwok" --kubeconfig "$STATE/kubeconfig" --config "$STATE/kwok.yaml" \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr "$KWOK_POD_CIDR" --node-ip 127.0.0.1 \
  --node-lease-duration-seconds 40 "${kwok_args[@]}"

# The default StorageClass: with the real node, rancher's local-path (directories a non-root pod may
# write, bound where the pod lands); without it, kube-controller-manager's hostPath provisioner (dirs
# under /tmp that nothing writes into). The provisioner of a StorageClass cannot change: replaced.
if real_node_enabled; then provisioner=rancher.io/local-path binding=WaitForFirstConsumer taint="[{key: kwok.x-k8s.io/node, value: fake, effect: NoSchedule}]"
else provisioner=kubernetes.io/host-path binding=Immediate taint="[]"; fi
current=$(kubectl get storageclass standard -o jsonpath='{.provisioner}' 2>/dev/null || true)
[ -z "$current" ] || [ "$current" = "$provisioner" ] || kubectl delete storageclass standard >/dev/null
{
  cat <<SC
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: $provisioner
reclaimPolicy: Delete
volumeBindingMode: $binding
SC
  # fake nodes: tainted next to a real node, so only pods that tolerate kwok (scale tests) land there
  for i in $(seq 0 $((NODES - 1))); do cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/arch: amd64, kubernetes.io/os: linux, kubernetes.io/hostname: kwok-node-$i,
           node-role.kubernetes.io/agent: "", topology.kubernetes.io/zone: zone-$i}
spec:
  taints: $taint
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
  capacity: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
NODE
  done
} | kubectl apply --server-side --force-conflicts -f - >/dev/null

wait_for "kube-controller-manager /healthz" kube-controller-manager 60 curl -skf --max-time 1 "https://127.0.0.1:$KCM_PORT/healthz"
wait_for "kube-scheduler /healthz" kube-scheduler 60 curl -skf --max-time 1 "https://127.0.0.1:$SCHEDULER_PORT/healthz"
if real_node_enabled; then
  "$HACK/node-up.sh" "$STATE" "$BIN"
  wait_for "the real node $NODE_NAME Ready" kubelet 120 kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
fi
# One list, not `kubectl wait --all --timeout=1s`: that checks node by node and runs out of its second
# before it reaches the last of many kwok nodes (APPENV_NODES=65 for the scale benchmark).
# A failed list is not Ready, nor is one with fewer nodes than asked for.
# shellcheck disable=SC2317  # called by wait_for
nodes_ready() {
  local ready
  ready=$(kubectl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}') ||
    return 1
  [ "$(grep -c '^True$' <<<"$ready")" -ge "$NODES" ] && ! grep -qv '^True$' <<<"$ready"
}
wait_for "all nodes Ready" kwok 60 nodes_ready
wait_for "the default ServiceAccount" kube-controller-manager 60 kubectl -n default get serviceaccount default
pid_of kwok >/dev/null || die "kwok exited (log: $LOGS/kwok.log)"
ms=$(( $(date +%s%3N) - start_ms ))
log "cluster up in $((ms / 1000)).$((ms % 1000 / 100))s: $(kubectl get nodes --no-headers | wc -l) nodes Ready; logs in $LOGS"
echo "export KUBECONFIG=$STATE/kubeconfig"
exit 0
}
