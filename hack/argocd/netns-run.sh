#!/usr/bin/env bash
# Runs a command in a network namespace of its own that has only loopback, and carries the given TCP
# addresses of this machine into it with socat (through unix sockets, which every network namespace
# reaches). For a server that binds 0.0.0.0 and cannot be told otherwise: Argo CD v3.1's application
# controller opens its metrics port on 0.0.0.0 (controller/appcontroller.go), and nothing here may listen
# beyond loopback. Inside, the command finds each address where it was (an address other than 127.0.0.1
# is added to the namespace's loopback).
# Usage: hack/argocd/netns-run.sh SOCKET_DIR HOST:PORT... -- COMMAND [ARGS...]
# SIGTERM stops socat and the namespace, and with it the command (SIGKILL: it is the namespace's init).
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }
dir=$1; shift
addresses=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do addresses+=("$1"); shift; done
if [ "${1:-}" != -- ] || [ $# -lt 2 ]; then echo "netns-run: missing -- COMMAND" >&2; exit 2; fi
shift
command -v socat >/dev/null || { echo "netns-run: socat is missing (hack/deps.sh installs it)" >&2; exit 1; }
mkdir -p "$dir"

pids=()
# SIGKILL: unshare ignores SIGTERM while it waits for its child
stop() { trap - EXIT TERM INT; kill -KILL "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
trap 'stop; exit 143' TERM INT

inner='ip link set lo up'
for address in "${addresses[@]}"; do
  host=${address%:*} port=${address##*:}
  socket="$dir/${host//./-}-$port.sock"
  rm -f "$socket"
  socat "UNIX-LISTEN:$socket,fork,mode=600" "TCP:$address" & pids+=($!)
  [ "$host" = 127.0.0.1 ] || inner+=" && ip addr add $host/32 dev lo"
  inner+=" && { socat TCP-LISTEN:$port,bind=$host,fork,reuseaddr UNIX-CONNECT:$socket & }"
done
for _ in $(seq 50); do
  missing=false
  for address in "${addresses[@]}"; do
    host=${address%:*}; [ -S "$dir/${host//./-}-${address##*:}.sock" ] || missing=true
  done
  $missing || break
  sleep 0.1
done
# the listeners inside come up while the command starts; clients of Kubernetes, Redis and gRPC retry
inner+=' && exec "$@"'
userns=(); [ "$(id -u)" = 0 ] || userns=(--map-root-user)
# --pid: the command is the namespace's init, so socat inside goes with it; --kill-child: and it goes
# with unshare
unshare "${userns[@]}" --net --pid --fork --kill-child=SIGKILL bash -c "$inner" netns-run "$@" & pids+=($!)
wait "$!"
