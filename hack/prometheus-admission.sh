#!/usr/bin/env bash
# Builds the Prometheus Operator's admission webhook (cmd/admission-webhook), which validates
# PrometheusRules with Prometheus' own rule and PromQL parser, once from the Go module proxy at the
# version upstream-crds.sh pins, into ${APPENV_CACHE:-~/.cache/appenv}/prometheus-admission-<version>/.
# The tests that prove appenv reports bad PromQL run it next to a real kube-apiserver.
# Usage: hack/prometheus-admission.sh   build if needed, print the binary's path (progress on stderr)
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" ""
VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
MODULE=github.com/prometheus-operator/prometheus-operator
dir="${APPENV_CACHE:-$HOME/.cache/appenv}/prometheus-admission-$VERSION"
bin="$dir/admission-webhook"
build_lock prometheus-admission
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || die "go not found in PATH"
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
  log "building $MODULE/cmd/admission-webhook $VERSION (a few minutes, once)"
  mkdir -p "$(dirname "$dir")"
  tmp=$(mktemp -d "$dir.tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  src=$(cd / && go mod download -json "$MODULE@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || true
  [[ -n "$src" && -d "$src" ]] || die "go mod download $MODULE@$VERSION failed"
  cp -r "$src" "$tmp/src" && chmod -R u+w "$tmp/src"
  # The module zip leaves out its two nested modules, which go.mod replaces with local paths: take
  # them from the proxy instead, at the versions go.mod requires.
  (cd "$tmp/src" && go mod edit -dropreplace "$MODULE/pkg/apis/monitoring" -dropreplace "$MODULE/pkg/client" &&
    go mod tidy >/dev/null 2>&1 && go build -trimpath -ldflags "-s -w" -o "$tmp/admission-webhook" ./cmd/admission-webhook) ||
    die "go build of $MODULE/cmd/admission-webhook $VERSION failed"
  rm -rf "$tmp/src"
  # into a temp dir then renamed, so an interrupted build is never taken as complete
  rm -rf "$dir" && mv "$tmp" "$dir"
  trap - EXIT
fi
echo "$bin"
