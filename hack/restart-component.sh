#!/usr/bin/env bash
# Restarts one process of a running local cluster with the command line it was started with, for fault
# tests (an API server or etcd that goes away in the middle of a release): SIGTERM, or SIGKILL with --kill,
# then the same command again. Waits until the API server answers /readyz again.
# Usage: hack/restart-component.sh [--kill] STATE COMPONENT   (COMPONENT: etcd, kube-apiserver, ...)
set -euo pipefail
signal=TERM; [ "${1:-}" = "--kill" ] && { signal=KILL; shift; }
[ $# -eq 2 ] || { echo "usage: $0 [--kill] STATE COMPONENT" >&2; exit 2; }
source "$(dirname "$0")/lib.sh" "$1"
component=$2
[ -f "$RUN/$component.cmdline" ] || die "no $component started for $STATE"
mapfile -d '' -t command <"$RUN/$component.cmdline"
case "$component" in   # the port the new process will listen on
  kube-apiserver) port="$(api_host):$(api_port)" ;;
  etcd) port="127.0.0.1:$ETCD_PORT" ;;
  *) port="" ;;
esac
if pid=$(pid_of "$component"); then
  kill "-$signal" "$pid"
  for _ in $(seq 100); do running "$pid" || break; sleep 0.1; done
  running "$pid" && { kill -KILL "$pid"; sleep 0.5; }
fi
# A killed process with a large heap can hold its sockets a while longer: wait until the port is free.
for _ in $(seq 300); do
  [ -z "$port" ] || [ -z "$(ss -Hltn "src ${port%:*} and sport = :${port##*:}" 2>/dev/null)" ] && break
  sleep 0.1
done
start "$component" "${command[@]}"
for _ in $(seq 600); do apiserver_ready && break; sleep 0.1; done
apiserver_ready || die "the API server does not answer after restarting $component (log: $LOGS/$component.log)"
log "restarted $component ($signal)"
