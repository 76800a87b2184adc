#!/usr/bin/env bash
# Builds the in-cluster monitoring stack's Go programs from their own Go modules, once, into
# ${APPENV_CACHE:-~/.cache/appenv}/monitoring-<key>/ (<key>: a hash of this script and `go version`):
#   prometheus-operator, prometheus-config-reloader  github.com/prometheus-operator/prometheus-operator v0.85.0
#   kube-state-metrics                      k8s.io/kube-state-metrics/v2 v2.16.0
#   victoria-logs, vlagent                  github.com/VictoriaMetrics/VictoriaLogs v1.52.1
# Each module is copied out of the module cache and built there, so its own go.mod and replaces apply.
# Prometheus and Alertmanager come from Debian's packages instead (hack/images/build.sh).
# Usage: hack/monitoring-build.sh   build what is missing, print the directory (progress on stderr)
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" ""
PROMETHEUS_OPERATOR_VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
KUBE_STATE_METRICS_VERSION=v2.16.0
VICTORIALOGS_VERSION=v1.52.1
command -v go >/dev/null || die "go not found in PATH"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
# kube-state-metrics' module has no entry in the checksum database; the proxy serves it all the same.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}k8s.io/kube-state-metrics"
key=$({ cat "$0"; go version; } | sha256sum | cut -c1-12)
dir="${APPENV_CACHE:-$HOME/.cache/appenv}/monitoring-$key"
mkdir -p "$dir"

# module@version -> a writable copy of its source in $2
copy_module() {
  local src
  src=$(cd / && go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || true
  [[ -n "$src" && -d "$src" ]] || die "go mod download $1 failed"
  rm -rf "$2" && cp -r "$src" "$2" && chmod -R u+w "$2"
}

# name module@version binary=package... : builds each package into $dir/<binary> unless all are there
build() {
  local name=$1 modver=$2 p missing=false; shift 2
  for p in "$@"; do [ -x "$dir/${p%%=*}" ] || missing=true; done
  $missing || return 0
  local tmp; tmp=$(mktemp -d "$dir/.build-$name.XXXXXX")
  local start; start=$(date +%s)
  log "building $name ($modver): $*"
  copy_module "$modver" "$tmp/src"
  if [ "$name" = prometheus-operator ]; then
    # The module zip leaves out its two nested modules, which go.mod replaces with local paths: take
    # them from the proxy instead, at the versions go.mod requires.
    (cd "$tmp/src" && go mod edit -dropreplace "${modver%@*}/pkg/apis/monitoring" -dropreplace "${modver%@*}/pkg/client" &&
      go mod tidy >/dev/null 2>&1) || die "go mod tidy of $modver failed"
  fi
  local version=${modver#*@}
  mkdir -p "$tmp/out"
  for p in "$@"; do
    (cd "$tmp/src" && go build -trimpath -o "$tmp/out/${p%%=*}" \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=${version#v} -X github.com/prometheus/common/version.Revision=$version -X k8s.io/kube-state-metrics/v2/pkg/version.Version=$version -X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=$name-$version" \
      "${p#*=}") >&2 || die "go build of ${p#*=} of $modver failed"
  done
  for p in "$@"; do mv "$tmp/out/${p%%=*}" "$dir/"; done
  rm -rf "$tmp"
  log "$name built in $(( $(date +%s) - start ))s"
}

build prometheus-operator "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
  prometheus-operator=./cmd/operator prometheus-config-reloader=./cmd/prometheus-config-reloader
build kube-state-metrics "k8s.io/kube-state-metrics/v2@$KUBE_STATE_METRICS_VERSION" kube-state-metrics=.
build victorialogs "github.com/VictoriaMetrics/VictoriaLogs@$VICTORIALOGS_VERSION" \
  victoria-logs=./app/victoria-logs vlagent=./app/vlagent
echo "$dir"
