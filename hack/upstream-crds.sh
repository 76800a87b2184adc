#!/usr/bin/env bash
# Fetches upstream CRDs from their own Go modules (module zip only, nothing is built) at pinned versions.
# Usage: hack/upstream-crds.sh DIR       copy the CRD files into DIR
#        hack/upstream-crds.sh --apply   server-side apply them to $KUBECONFIG, wait until Established, and
#                                        create the velero namespace Velero's install would
#        hack/upstream-crds.sh --list    print the paths of the files in the module cache
#        hack/upstream-crds.sh --stack --apply|--list|DIR   every CRD of the Prometheus Operator as well, which
#                                        the monitoring stack (deploy/monitoring) needs: Prometheus, Alertmanager, ...
# Versions: VELERO_VERSION, PROMETHEUS_OPERATOR_VERSION, ARGOCD_VERSION (defaults below).
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS=-mod=mod
VELERO_VERSION="${VELERO_VERSION:-v1.17.0}"
PROMETHEUS_OPERATOR_VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
ARGOCD_VERSION="${ARGOCD_VERSION:-v3.1.9}"
# module@version  path-in-module  files...
SOURCES=(
  "github.com/vmware-tanzu/velero@$VELERO_VERSION config/crd/v1/bases velero.io_schedules.yaml"
  "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION example/prometheus-operator-crd monitoring.coreos.com_prometheusrules.yaml monitoring.coreos.com_servicemonitors.yaml"
  "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION manifests/crds application-crd.yaml applicationset-crd.yaml appproject-crd.yaml"
)
source "$HACK/lib.sh" ""
if [ "${1:-}" = --stack ]; then
  shift
  SOURCES[1]="github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION example/prometheus-operator-crd $(
    printf 'monitoring.coreos.com_%s.yaml ' alertmanagerconfigs alertmanagers podmonitors probes prometheusagents \
      prometheuses prometheusrules scrapeconfigs servicemonitors thanosrulers)"
fi

files=()
for src in "${SOURCES[@]}"; do
  read -r modver sub names <<<"$src"
  # outside any module, so hack/go.mod and go.sum are left alone
  dir=$(cd / && go mod download -json "$modver" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || true
  [[ -n "$dir" && -d "$dir" ]] || die "go mod download $modver failed"
  for n in $names; do
    [ -f "$dir/$sub/$n" ] || die "$modver has no $sub/$n"
    files+=("$dir/$sub/$n")
  done
done

case "${1:-}" in
  --list) printf '%s\n' "${files[@]}" ;;
  --apply)
    kubectl="${KUBECTL:-$("$HACK/build.sh" --print-bin-dir --control-plane)/kubectl}"
    [ -n "${KUBECONFIG:-}" ] || die "KUBECONFIG is not set"
    args=(); for f in "${files[@]}"; do args+=(-f "$f"); done
    # server-side: applicationset-crd.yaml is too big for the last-applied annotation of client-side apply
    "$kubectl" apply --server-side --force-conflicts --field-manager=appenv-hack "${args[@]}"
    mapfile -t crds < <("$kubectl" get "${args[@]}" -o name)
    kubectl() { "$kubectl" "$@"; }   # wait_crd's kubectl
    wait_crd "${crds[@]#*/}"
    # Velero's own install creates its namespace; the samples' Schedules go there.
    "$kubectl" create namespace velero --dry-run=client -o yaml | "$kubectl" apply --server-side -f - >/dev/null ;;
  ""|-*) sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  *)
    mkdir -p "$1"
    for f in "${files[@]}"; do install -m 0644 "$f" "$1/"; echo "$1/$(basename "$f")"; done ;;
esac
