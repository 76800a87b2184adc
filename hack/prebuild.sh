#!/usr/bin/env bash
# Builds early, at low priority, what the test tiers would otherwise build when they first need it, in
# the order they need it: the Prometheus Operator's admission webhook (the unit tier's InvalidSpecTest),
# the real node's add-ons (hack/build.sh's second stage), every image but the app's and the operator's
# (the monitoring stack's Go programs among them; the real-node classes start with all of them), and
# Argo CD (GitOpsE2E, the last class). `make test` starts it in the background right after the control
# plane's build, so these Go builds use the cores the tests leave idle while they wait. Each build
# script takes a lock (build_lock in lib.sh): a test that needs one waits for it, then finds it built.
# A failure here is only logged; the test's own call builds again and fails loudly.
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" ""
cache="${APPENV_CACHE:-$HOME/.cache/appenv}"

if [ "${1:-}" = --background ]; then
  mkdir -p "$cache"
  # setsid and no inherited descriptors: make and CI do not wait for it, and it outlives neither.
  setsid nohup nice -n 10 "$0" >"$cache/prebuild.log" 2>&1 </dev/null &
  log "building the admission webhook, the node's add-ons, the images and Argo CD in the background (log: $cache/prebuild.log)"
  exit 0
fi

failed=0
build() {
  local start=$SECONDS
  if "$@" >/dev/null; then
    log "$* done in $((SECONDS - start))s"
  else
    log "$* failed after $((SECONDS - start))s (the test that needs it builds again)"
    failed=1
  fi
}
build "$HACK/prometheus-admission.sh"
build "$HACK/build.sh"
build "$HACK/images/build.sh" no-jars
build "$HACK/argocd-build.sh"
exit "$failed"
