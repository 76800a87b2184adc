# Shared by cluster-up.sh / cluster-down.sh (sourced, not executed).
STATE="${1:-${APPENV_STATE_DIR:-${APPENV_CACHE:-$HOME/.cache/appenv}/cluster}}"
STATE="$(realpath -m "$STATE")"
RUN="$STATE/run" LOGS="$STATE/logs" PKI="$STATE/pki"
# Defaults stay below the ephemeral port range (32768-60999), where outgoing connections could take them.
ETCD_PORT="${APPENV_ETCD_PORT:-12379}"
ETCD_PEER_PORT="${APPENV_ETCD_PEER_PORT:-12380}"
APISERVER_PORT="${APPENV_APISERVER_PORT:-16443}"
KCM_PORT="${APPENV_KCM_PORT:-16257}"
SCHEDULER_PORT="${APPENV_SCHEDULER_PORT:-16259}"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)   # start order

log() { echo "[$(date +%H:%M:%S)] $(basename "$0" .sh): $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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
    "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null 2>&1
}

# true while pid exists and is not a zombie
running() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
