#!/usr/bin/env bash
# Builds the in-cluster monitoring stack's Go programs from their own Go modules, once each, into
# ${APPENV_CACHE:-~/.cache/appenv}/monitoring/<name>-<key>/ (<key>: a hash of the module, version, packages,
# build recipe and `go version`), and prints the directory with a link to each binary:
#   prometheus                              github.com/prometheus/prometheus v0.305.0 (Prometheus v3.5.0), with
#                                           Kubernetes service discovery only (Debian's package has none, and
#                                           the Prometheus Operator's config needs it)
#   prometheus-operator, prometheus-config-reloader   github.com/prometheus-operator/prometheus-operator v0.85.0
#   kube-state-metrics                      k8s.io/kube-state-metrics/v2 v2.16.0
#   victoria-logs, vlagent                  github.com/VictoriaMetrics/VictoriaLogs v1.52.1
# Each module is copied out of the module cache and built there, so its own go.mod and replaces apply.
# Alertmanager comes from Debian's package instead (hack/images/build.sh).
# Usage: hack/monitoring-build.sh   build what is missing, print the directory (progress on stderr)
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" ""
PROMETHEUS_OPERATOR_VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
KUBE_STATE_METRICS_VERSION=v2.16.0
PROMETHEUS_VERSION=v3.5.0 PROMETHEUS_MODULE_VERSION=v0.305.0   # the module's v0.3MM.P is Prometheus v3.MM.P
VICTORIALOGS_VERSION=v1.52.1
command -v go >/dev/null || die "go not found in PATH"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
# kube-state-metrics' module has no entry in the checksum database; the proxy serves it all the same.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}k8s.io/kube-state-metrics"
cache="${APPENV_CACHE:-$HOME/.cache/appenv}/monitoring"
dir="$cache/bin"   # links to the binaries of the current recipes
mkdir -p "$dir"
build_lock monitoring

# module@version -> a writable copy of its source in $2
copy_module() {
  local src
  src=$(cd / && go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || true
  [[ -n "$src" && -d "$src" ]] || die "go mod download $1 failed"
  rm -rf "$2" && cp -r "$src" "$2" && chmod -R u+w "$2"
}

# name module@version version-stamp binary=package... : builds each package into $cache/<name>-<key>/<binary>
# unless they are there, and links them from $dir
build() {
  local name=$1 modver=$2 stamp=$3 p missing=false; shift 3
  local key; key=$({ declare -f build prepare; echo "$modver $stamp $*"; go version; } | sha256sum | cut -c1-12)
  local out="$cache/$name-$key"
  for p in "$@"; do [ -x "$out/${p%%=*}" ] || missing=true; done
  if ! $missing; then
    for p in "$@"; do ln -sfn "$out/${p%%=*}" "$dir/${p%%=*}"; done
    return 0
  fi
  local tmp; tmp=$(mktemp -d "$cache/.build-$name.XXXXXX")
  local start; start=$(date +%s)
  log "building $name ($modver): $*"
  copy_module "$modver" "$tmp/src"
  prepare "$name" "$modver" "$tmp/src"
  local version=$stamp
  mkdir -p "$tmp/out"
  for p in "$@"; do
    (cd "$tmp/src" && go build -trimpath -o "$tmp/out/${p%%=*}" \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=${version#v} -X github.com/prometheus/common/version.Revision=${modver#*@} -X k8s.io/kube-state-metrics/v2/pkg/version.Version=$version -X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=$name-$version" \
      "${p#*=}") >&2 || die "go build of ${p#*=} of $modver failed"
  done
  rm -rf "$tmp/src" "$out" && mv "$tmp/out" "$out" && rm -rf "$tmp"
  for p in "$@"; do ln -sfn "$out/${p%%=*}" "$dir/${p%%=*}"; done
  log "$name built in $(( $(date +%s) - start ))s"
}

# What a module needs before `go build`, in its copy.
prepare() {  # name module@version dir
  case "$1" in
    prometheus-operator)
      # The module zip leaves out its two nested modules, which go.mod replaces with local paths: take
      # them from the proxy instead, at the versions go.mod requires.
      (cd "$3" && go mod edit -dropreplace "${2%@*}/pkg/apis/monitoring" -dropreplace "${2%@*}/pkg/client" &&
        go mod tidy >/dev/null 2>&1) || die "go mod tidy of $2 failed" ;;
    prometheus)
      # Service discovery is chosen at build time (upstream's plugins.yml and `make plugins` write this
      # file): Kubernetes only, which is what the Prometheus Operator's config uses, and a much shorter build.
      printf '%s\n' '// Written by hack/monitoring-build.sh: Kubernetes service discovery only.' 'package plugins' '' \
        'import _ "github.com/prometheus/prometheus/discovery/kubernetes" // Register kubernetes plugin.' \
        >"$3/plugins/plugins.go" ;;
  esac
}

build prometheus "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION" "$PROMETHEUS_VERSION" \
  prometheus=./cmd/prometheus
build prometheus-operator "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" \
  "$PROMETHEUS_OPERATOR_VERSION" \
  prometheus-operator=./cmd/operator prometheus-config-reloader=./cmd/prometheus-config-reloader
build kube-state-metrics "k8s.io/kube-state-metrics/v2@$KUBE_STATE_METRICS_VERSION" "$KUBE_STATE_METRICS_VERSION" \
  kube-state-metrics=.
build victorialogs "github.com/VictoriaMetrics/VictoriaLogs@$VICTORIALOGS_VERSION" "$VICTORIALOGS_VERSION" \
  victoria-logs=./app/victoria-logs vlagent=./app/vlagent
echo "$dir"
