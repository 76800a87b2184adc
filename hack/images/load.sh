#!/usr/bin/env bash
# Puts the images of hack/images/build.sh where a cluster's nodes find them, without a registry:
# into the local real node's containerd (ctr import), or into a kind cluster (kind load image-archive).
# An archive already imported is skipped. Tags are fully qualified (registry/name:tag), as CRI names them.
# Usage: hack/images/load.sh [--node-images|--apps] [--kind NAME]
#   --node-images  only what the node itself runs (pause, busybox); node-up.sh uses it
#   --apps         those, PostgreSQL, the app and the operator: not the monitoring stack
#   --kind NAME    load into the kind cluster NAME instead of the local node
set -euo pipefail
IMAGES="$(cd "$(dirname "$0")" && pwd)"
source "$IMAGES/../lib.sh" "${APPENV_STATE_DIR:-}"
what=all kind=""
while [ $# -gt 0 ]; do
  case "$1" in
    --node-images) what=node ;;
    --apps) what=apps ;;
    --kind) kind="${2:?--kind needs a cluster name}"; shift ;;
    *) die "usage: $0 [--node-images|--apps] [--kind NAME]" ;;
  esac
  shift
done

mapfile -t archives < <("$IMAGES/build.sh" "$what")
if [ -n "$kind" ]; then
  for a in "${archives[@]}"; do kind load image-archive "$a" --name "$kind"; done
  exit 0
fi

[ -S "$CONTAINERD_SOCK" ] || die "the real node's containerd is not running ($CONTAINERD_SOCK): start the cluster first"
ctr() { command ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }
done_dir="$CONTAINERD_ROOT/.appenv-imported"
mkdir -p "$done_dir"
for a in "${archives[@]}"; do
  tags=$(python3 -c 'import json,sys,tarfile; t=tarfile.open(sys.argv[1]); print(" ".join(json.load(t.extractfile("manifest.json"))[0]["RepoTags"]))' "$a")
  missing=false
  for t in $tags; do ctr images ls -q "name==$t" | grep -q . || missing=true; done
  if $missing || [ ! -f "$done_dir/$(basename "$a")" ]; then
    start=$(date +%s%N)
    ctr images import "$a" >/dev/null
    touch "$done_dir/$(basename "$a")"
    log "imported $tags in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  fi
done
