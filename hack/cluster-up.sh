#!/usr/bin/env bash
# Starts a local Kubernetes control plane without Docker: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok (fake nodes whose pods become Running/Ready), all on 127.0.0.1.
# Usage: hack/cluster-up.sh [--fresh] [STATE]   (default $APPENV_STATE_DIR or ~/.cache/appenv/cluster)
#   --fresh  stop it and wipe STATE's certs/etcd data first.  A running healthy cluster is reused.
# Stdout is one line, `export KUBECONFIG=STATE/kubeconfig`; progress goes to stderr.
set -euo pipefail
{ # parsed at once: safe to edit this file while it waits for a long first build
HACK="$(cd "$(dirname "$0")" && pwd)"
fresh=false; [ "${1:-}" = "--fresh" ] && { fresh=true; shift; }
source "$HACK/lib.sh"
NODES="${APPENV_NODES:-2}"
start_ms=$(date +%s%3N)
mkdir -p "$STATE" && exec 9>"$STATE/.lock" && flock 9   # one cluster-up/down at a time per state dir

all_running() { for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null || return 1; done; }
if ! $fresh && all_running && apiserver_ready; then
  log "already running ($STATE)"; echo "export KUBECONFIG=$STATE/kubeconfig"; exit 0
fi
APPENV_CLUSTER_LOCKED="$STATE" "$HACK/cluster-down.sh" "$STATE"   # leftovers of a half-started or crashed cluster
if $fresh && [ -f "$STATE/.appenv-cluster" ]; then rm -rf "$PKI" "$STATE/etcd" "$LOGS" "$RUN"; fi
mkdir -p "$RUN" "$LOGS" && touch "$STATE/.appenv-cluster"

BIN="${APPENV_BIN_DIR:-$("$HACK/build.sh")}"   # builds on first use (progress on stderr)
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubectl; do
  [ -x "$BIN/$b" ] || die "$BIN/$b missing (run hack/build.sh)"; done
kubectl() { "$BIN/kubectl" --kubeconfig "$STATE/kubeconfig" "$@"; }

for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" "$KCM_PORT" "$SCHEDULER_PORT"; do
  [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ] || die "port 127.0.0.1:$p is in use (see APPENV_*_PORT in hack/README.md)"
done

# --- certificates (once per state dir) -------------------------------------------------------
cnf() { printf '[req]\ndistinguished_name=dn\n[dn]\n%s\n' "$*"; }
cert() {  # name subject extensions (kept if it exists)
  [ -f "$1.crt" ] && return 0
  if [ "$1" = admin ]; then openssl genrsa -out "$1.key" 2048 2>/dev/null   # RSA: the most portable for Java clients
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; fi  # EC: fast to generate
  openssl req -new -key "$1.key" -subj "$2" -config <(cnf) |
    openssl x509 -req -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
      -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n%s\n' "$3") \
      -out "$1.crt.tmp" 2>/dev/null
  mv "$1.crt.tmp" "$1.crt"
}
[ -f "$PKI/ca.crt" ] || { log "generating certificates in $PKI"; rm -rf "$PKI"; }
mkdir -p "$PKI"
( cd "$PKI"
  if [ ! -f ca.crt ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
    openssl req -x509 -new -key ca.key -subj /CN=appenv-local-ca -days 3650 -sha256 -out ca.crt.tmp -extensions v3 \
      -config <(cnf $'[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash')
    mv ca.crt.tmp ca.crt
  fi
  cert apiserver /CN=kube-apiserver "extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=appenv-admin" extendedKeyUsage=clientAuth
  cert kube-controller-manager /CN=system:kube-controller-manager extendedKeyUsage=clientAuth
  cert kube-scheduler /CN=system:kube-scheduler extendedKeyUsage=clientAuth
  cert front-proxy-client /CN=front-proxy-client extendedKeyUsage=clientAuth   # aggregation layer
  [ -f sa.pub ] || { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out sa.key &&  # ES256 tokens
                     openssl pkey -in sa.key -pubout -out sa.pub; } )
kubeconfig() {  # user -> kubeconfig on stdout, certificates embedded
  cat <<KC
apiVersion: v1
kind: Config
clusters:
- name: appenv
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$1.crt")
    client-key-data: $(base64 -w0 "$PKI/$1.key")
contexts:
- name: appenv
  context: {cluster: appenv, user: $1, namespace: default}
current-context: appenv
KC
}
kubeconfig admin >"$STATE/kubeconfig"
kubeconfig kube-controller-manager >"$PKI/kube-controller-manager.kubeconfig"
kubeconfig kube-scheduler >"$PKI/kube-scheduler.kubeconfig"
printf 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n' >"$STATE/kwok.yaml"

# --- processes ---------------------------------------------------------------------------------
start() {  # name binary args...: detached (own session), output to logs/name.log, pid to run/name.pid
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$RUN/$name.pid"
}
wait_for() {  # description component timeout-seconds command...
  local what=$1 comp=$2 t=$3; shift 3
  for ((i = 0; i < t * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    pid_of "$comp" >/dev/null || { tail -n 30 "$LOGS/$comp.log" >&2; die "$comp exited (log: $LOGS/$comp.log)"; }
    sleep 0.1
  done
  tail -n 30 "$LOGS/$comp.log" >&2; die "timed out after ${t}s waiting for $what (log: $LOGS/$comp.log)"
}

# on any failure from here on, stop what was started (logs stay in $LOGS)
trap 'rc=$?; [ $rc -eq 0 ] || APPENV_CLUSTER_LOCKED="$STATE" "$HACK/cluster-down.sh" "$STATE"; exit $rc' EXIT
log "starting etcd on 127.0.0.1:$ETCD_PORT"
start etcd "$BIN/etcd" --name appenv --data-dir "$STATE/etcd" --log-level warn \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "appenv=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync="${APPENV_ETCD_UNSAFE_NO_FSYNC:-true}"
wait_for etcd etcd 30 curl -sf --max-time 1 "http://127.0.0.1:$ETCD_PORT/health"

log "starting kube-apiserver on https://127.0.0.1:$APISERVER_PORT"
start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
  --cert-dir "$PKI" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none --allow-privileged \
  --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
  --profiling=false ${APPENV_APISERVER_ARGS:-}
wait_for "kube-apiserver /readyz" kube-apiserver 90 apiserver_ready

common=(--bind-address 127.0.0.1 --leader-elect=false --profiling=false --kube-api-qps 200 --kube-api-burst 400)  # no client throttling: starts in ~2 s, not ~6
log "starting kube-controller-manager, kube-scheduler, kwok"
start kube-controller-manager "$BIN/kube-controller-manager" "${common[@]}" --secure-port "$KCM_PORT" \
  --cert-dir "$PKI/kube-controller-manager" --kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --use-service-account-credentials --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --enable-hostpath-provisioner --controllers '*' ${APPENV_KCM_ARGS:-}
start kube-scheduler "$BIN/kube-scheduler" "${common[@]}" --secure-port "$SCHEDULER_PORT" \
  --cert-dir "$PKI/kube-scheduler" --kubeconfig "$PKI/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig "$PKI/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig "$PKI/kube-scheduler.kubeconfig"
# kwok's built-in default stages (embedded from sigs.k8s.io/kwok/kustomize/stage/{node,pod}/fast) make
# nodes Ready (with heartbeat leases) and scheduled pods Running+Ready; extra --config files may add Stages.
start kwok "$BIN/kwok" --kubeconfig "$STATE/kubeconfig" --config "$STATE/kwok.yaml" \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --cidr 10.244.0.0/16 --node-ip 127.0.0.1 \
  --node-lease-duration-seconds 40 ${APPENV_KWOK_ARGS:-}

# fake nodes + a default StorageClass (kube-controller-manager's hostPath provisioner, dirs under /tmp)
{
  cat <<'SC'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: standard, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
SC
  for i in $(seq 0 $((NODES - 1))); do cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/arch: amd64, kubernetes.io/os: linux, kubernetes.io/hostname: kwok-node-$i,
           node-role.kubernetes.io/agent: "", topology.kubernetes.io/zone: zone-$i}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
  capacity: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
NODE
  done
} | kubectl apply -f - >/dev/null

wait_for "kube-controller-manager /healthz" kube-controller-manager 60 curl -skf --max-time 1 "https://127.0.0.1:$KCM_PORT/healthz"
wait_for "kube-scheduler /healthz" kube-scheduler 60 curl -skf --max-time 1 "https://127.0.0.1:$SCHEDULER_PORT/healthz"
wait_for "$NODES Ready nodes" kwok 60 kubectl wait --for=condition=Ready node --all --timeout=1s
wait_for "the default ServiceAccount" kube-controller-manager 60 kubectl -n default get serviceaccount default
pid_of kwok >/dev/null || die "kwok exited (log: $LOGS/kwok.log)"
ms=$(( $(date +%s%3N) - start_ms ))
log "cluster up in $((ms / 1000)).$((ms % 1000 / 100))s: $(kubectl get nodes --no-headers | wc -l) nodes Ready; logs in $LOGS"
echo "export KUBECONFIG=$STATE/kubeconfig"
exit 0
}
