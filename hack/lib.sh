# shellcheck shell=bash
# shellcheck disable=SC2034  # the paths and ports below are for the scripts that source this file
# Shared by the hack/ scripts (sourced, not executed): paths, ports, logging, certificates, processes.
# Sourcing it only sets variables and functions; a script that needs no state dir passes "" as $1.
STATE="${1:-${APPENV_STATE_DIR:-${APPENV_CACHE:-$HOME/.cache/appenv}/cluster}}"
STATE="$(realpath -m "$STATE")"
RUN="$STATE/run" LOGS="$STATE/logs" PKI="$STATE/pki"
# Defaults stay below the ephemeral port range (32768-60999), where outgoing connections could take them.
ETCD_PORT="${APPENV_ETCD_PORT:-12379}"
ETCD_PEER_PORT="${APPENV_ETCD_PEER_PORT:-12380}"
KCM_PORT="${APPENV_KCM_PORT:-16257}"
SCHEDULER_PORT="${APPENV_SCHEDULER_PORT:-16259}"
CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)   # start order
# Argo CD and its git server beside the cluster (argocd-up.sh), in start order
ARGOCD_COMPONENTS=(git-server redis argocd-repo-server argocd-server argocd-applicationset-controller
  argocd-application-controller)

# The container-running node (node-up.sh). One per machine: it owns containerd, the pod bridge and
# kube-proxy's iptables chains. Its address is a /32 on lo (the kubelet refuses a loopback node IP,
# and this kernel has no dummy links), from the benchmarking range 198.18.0.0/15, routed nowhere.
NODE_NAME=appenv-node
NODE_IP="${APPENV_NODE_IP:-198.18.0.1}"
POD_CIDR="${APPENV_POD_CIDR:-10.244.0.0/24}"
SERVICE_CIDR=10.96.0.0/16
KWOK_POD_CIDR=10.245.0.0/16   # kwok's make-believe pod IPs, apart from the real node's
BRIDGE=appenv0
NODE_DIR="$STATE/node"
NODE_RUN=/run/appenv-node
NODE_OWNER="$NODE_RUN/owner"   # the state dir whose cluster has the node now
CONTAINERD_SOCK="$NODE_RUN/containerd/containerd.sock"
CONTAINERD_ROOT="${APPENV_CACHE:-$HOME/.cache/appenv}/containerd"
CNI_BIN_DIR=/usr/lib/cni
PAUSE_TAG=3.10.1
BUSYBOX_IMAGE=appenv.local/busybox:debian
KUBELET_HEALTHZ_PORT=10248 KUBE_PROXY_HEALTHZ_PORT=10256 KUBE_PROXY_METRICS_PORT=10249
COREDNS_READY_PORT=10281
NODE_COMPONENTS=(containerd kubelet kube-proxy coredns kube-router local-path-provisioner)   # start order
export CONTAINER_RUNTIME_ENDPOINT="unix://$CONTAINERD_SOCK" IMAGE_SERVICE_ENDPOINT="unix://$CONTAINERD_SOCK"

# With the real node, the API server listens on the node address (pods reach it through the
# `kubernetes` Service) on 6443, the port NetworkPolicies of most distributions expect after the
# Service's DNAT; without it, on 127.0.0.1 as before.
REAL_NODE_WANTED="${APPENV_REAL_NODE:-auto}"   # true | false | auto (true where the machine allows it)
real_node_enabled() { [ -f "$STATE/real-node" ]; }   # decided once per start by cluster-up.sh
api_host() { if real_node_enabled; then echo "$NODE_IP"; else echo 127.0.0.1; fi; }
api_port() { if real_node_enabled; then echo "${APPENV_APISERVER_PORT:-6443}"; else echo "${APPENV_APISERVER_PORT:-16443}"; fi; }

log() { echo "[$(date +%H:%M:%S)] $(basename "$0" .sh): $*" >&2; }
# not through log, so a script that silences log (build.sh --print-bin-dir) still says why it failed
die() { echo "[$(date +%H:%M:%S)] $(basename "$0" .sh): ERROR: $*" >&2; exit 1; }

# One build of a cached program or image at a time (hack/prebuild.sh starts some early, in the
# background): a second caller waits here, then finds it built. Held until the calling script exits.
build_lock() {  # name
  local dir="${APPENV_CACHE:-$HOME/.cache/appenv}"
  mkdir -p "$dir"
  exec {BUILD_LOCK_FD}>"$dir/.build-$1.lock"
  if ! flock -n "$BUILD_LOCK_FD"; then
    log "waiting for another build of $1 (hack/prebuild.sh?)"
    flock "$BUILD_LOCK_FD"
  fi
}

# Why this machine cannot run the real node, or nothing (and status 1) when it can.
real_node_problem() {
  [ "$(id -u)" = 0 ] || { echo "the real node needs root (containerd, iptables, network namespaces)"; return 0; }
  local c; for c in containerd containerd-shim-runc-v2 runc ctr iptables ipset ip; do
    command -v "$c" >/dev/null || { echo "$c is missing (hack/deps.sh installs it)"; return 0; }; done
  [ -x "$CNI_BIN_DIR/bridge" ] || { echo "the CNI plugins are missing in $CNI_BIN_DIR (containernetworking-plugins)"; return 0; }
  [ -d /proc/sys/net/bridge ] || modprobe br_netfilter 2>/dev/null || [ -d /proc/sys/net/bridge ] ||
    { echo "the kernel has no br_netfilter (bridged pod traffic would bypass iptables)"; return 0; }
  [ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || { echo "no cgroup hierarchy at /sys/fs/cgroup"; return 0; }
  return 1
}

# Takes the machine's one real node for this state dir, with its address on lo. Another cluster's node
# that still runs is an error; one left by a crash is cleaned up first.
claim_node() {
  local owner; owner=$(cat "$NODE_OWNER" 2>/dev/null || true)
  if [ -n "$owner" ] && [ "$owner" != "$STATE" ]; then
    # shellcheck source=/dev/null  # this file itself: following it would recurse without end
    if (source "$HACK/lib.sh" "$owner"; for c in "${NODE_COMPONENTS[@]}"; do pid_of "$c" >/dev/null && exit 0; done; exit 1); then
      die "a real node already runs for the cluster in $owner (one per machine: it owns containerd, the pod bridge and iptables chains); stop it with: hack/cluster-down.sh $owner"
    fi
    "$HACK/node-down.sh" "$owner"
  fi
  mkdir -p "$NODE_RUN" && echo "$STATE" >"$NODE_OWNER"
  ip -4 addr show dev lo | grep -qF " $NODE_IP/32 " || ip addr add "$NODE_IP/32" dev lo
}

# pid of a component we started for this state dir, or nothing (the pid file may be stale
# or the pid reused: the process must still carry this state dir in its command line).
pid_of() {
  local f="$RUN/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(<"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STATE/" || return 1
  echo "$pid"
}

apiserver_ready() {
  curl -sf --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://$(api_host):$(api_port)/readyz" >/dev/null 2>&1
}

# true while pid exists and is not a zombie
running() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

start() {  # name binary args...: detached (own session), output to logs/name.log, pid to run/name.pid
  local name=$1; shift
  printf '%s\0' "$@" >"$RUN/$name.cmdline"   # for restart-component.sh
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$RUN/$name.pid"
}

wait_for() {  # description component timeout-seconds command...
  local what=$1 comp=$2 t=$3; shift 3
  for ((i = 0; i < t * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    # Asked again before giving up: right after start, /proc/PID/cmdline can read empty while setsid
    # execs the program (a CI run once saw kube-proxy "exit" with an empty log).
    pid_of "$comp" >/dev/null || { sleep 0.2; pid_of "$comp" >/dev/null; } ||
      { tail -n 30 "$LOGS/$comp.log" >&2; die "$comp exited (log: $LOGS/$comp.log)"; }
    sleep 0.1
  done
  tail -n 30 "$LOGS/$comp.log" >&2; die "timed out after ${t}s waiting for $what (log: $LOGS/$comp.log)"
}

stop_pid() {  # component: SIGTERM, then SIGKILL after 10 s
  local pid
  pid=$(pid_of "$1") || { rm -f "$RUN/$1.pid"; return 1; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then log "$1 ($pid) still running after 10s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do running "$pid" || break; sleep 0.1; done; fi
  rm -f "$RUN/$1.pid"
}

# The operator's runnable jar from `mvn package` under ROOT, or status 1 when there is none.
operator_jar() {  # root
  local jar
  for jar in "$1"/operator/target/appenv-operator-*.jar; do [ -f "$jar" ] && { echo "$jar"; return 0; }; done
  return 1
}

# Polls URL until it answers, for at most SECONDS while process PID lives; otherwise dies with the end of LOG.
wait_ready() {  # url pid log seconds
  local url=$1 pid=$2 log_file=$3 seconds=$4 i
  for ((i = 0; i < seconds * 20; i++)); do
    curl -sf --max-time 2 "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log_file" >&2; die "process $pid exited before $url answered (log: $log_file)"; }
    sleep 0.05
  done
  tail -n 20 "$log_file" >&2; die "$url did not answer within ${seconds}s (log: $log_file)"
}

# `kubectl wait` fails while a new CRD has no conditions yet: poll until each one is Established.
wait_crd() {  # crd-name...
  local crd
  for crd in "$@"; do
    for _ in $(seq 60); do
      kubectl wait --for=condition=Established "crd/$crd" --timeout=5s >/dev/null 2>&1 && continue 2
      sleep 1
    done
    die "CRD $crd is not Established after 60s"
  done
}

# --- certificates (in $PKI, signed by the cluster's CA; an existing one is kept) -------------------------
cnf() { printf '[req]\ndistinguished_name=dn\n[dn]\n%s\n' "$*"; }  # [extra sections]
cert() {  # name subject extensions
  [ -f "$1.crt" ] && return 0
  if [ "$1" = admin ]; then openssl genrsa -out "$1.key" 2048 2>/dev/null   # RSA: the most portable for Java clients
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; fi  # EC: fast to generate
  openssl req -new -key "$1.key" -subj "$2" -config <(cnf "") |
    openssl x509 -req -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
      -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n%s\n' "$3") \
      -out "$1.crt.tmp" 2>/dev/null
  mv "$1.crt.tmp" "$1.crt"
}
kubeconfig() {  # user -> kubeconfig on stdout, certificates embedded
  cat <<KC
apiVersion: v1
kind: Config
clusters:
- name: appenv
  cluster:
    server: https://$(api_host):$(api_port)
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
