#!/usr/bin/env bash
# Builds the local cluster's binaries from the Go module proxy, in two stages, each cached once:
#   ${APPENV_CACHE:-$HOME/.cache/appenv}/control-plane-<key>/  the control plane, kubelet and kube-proxy
#       pinned in hack/go.mod, and kwok (hack/kwok/go.mod): what the API server tests and kwok nodes need
#   ${APPENV_CACHE:-$HOME/.cache/appenv}/bin-<key>/            those (hard links) and the real node's add-ons
#       pinned in MODULES below (CoreDNS, crictl, kube-router, local-path-provisioner)
# <key> hashes go.mod, go.sum, kwok/go.mod, kwok/go.sum, cmd/etcd, the ldflags and `go version` (and, for
# bin-, MODULES and the CoreDNS plugins): an unchanged pin reuses the binaries, a pin change builds a new dir.
# Each stage takes its own lock, so `make test` builds the add-ons in the background (hack/prebuild.sh)
# while the unit tier's tests use the control plane.
# Usage: hack/build.sh                 build if needed, print progress, last line = bin dir
#        hack/build.sh --control-plane the first stage only; last line = its dir (no add-ons in it)
#        hack/build.sh --print-bin-dir build if needed (quietly), print only the dir
#        hack/build.sh --kube-api-test-dir DIR   the first stage, and link etcd, kube-apiserver, kubectl
#                      into DIR/k8s/<1.34.4>-linux-amd64/, the offline layout of fabric8 kube-api-test
set -euo pipefail
{ # whole script in braces: bash parses it at once, so editing this file during a long build is safe
HACK="$(cd "$(dirname "$0")" && pwd)"
cd "$HACK"
quiet=false kat="" control_plane_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --print-bin-dir) quiet=true ;;
    --control-plane) control_plane_only=true ;;
    --kube-api-test-dir) kat="${2:?--kube-api-test-dir needs a DIR}"; control_plane_only=true; shift ;;
    *) echo "usage: $0 [--control-plane] [--print-bin-dir] [--kube-api-test-dir DIR]" >&2; exit 2 ;;
  esac
  shift
done
source "$HACK/lib.sh" ""
if $quiet; then log() { :; }; fi
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
command -v go >/dev/null || die "go not found in PATH"

modver() { go list -m -f '{{.Version}}' "$1"; }
modtime() { go list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' "$1"; }
k8s=$(modver k8s.io/kubernetes) || die "cannot resolve k8s.io/kubernetes from hack/go.mod"
kwok=$(cd kwok && modver sigs.k8s.io/kwok) || die "cannot resolve sigs.k8s.io/kwok"
etcd=$(modver go.etcd.io/etcd/server/v3) || die "cannot resolve go.etcd.io/etcd/server/v3"
[[ "$k8s" =~ ^v([0-9]+)\.([0-9]+)\. ]] || die "unexpected k8s version $k8s"
major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
# No VCS in a module zip: stamp the module's go.sum hash as "commit" and its release time as build date
# (keeps builds reproducible).
k8s_sum=$(awk -v v="$k8s" '$1=="k8s.io/kubernetes" && $2==v {print $3}' go.sum)
kv=k8s.io/component-base/version
ldflags="-s -w -X $kv.gitVersion=$k8s -X $kv.gitMajor=$major -X $kv.gitMinor=$minor \
 -X $kv.gitCommit=$k8s_sum -X $kv.gitTreeState=clean -X $kv.buildDate=$(modtime k8s.io/kubernetes) \
 -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${k8s#v} \
 -X go.etcd.io/etcd/api/v3/version.GitSHA=$etcd"
pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kubelet
      k8s.io/kubernetes/cmd/kube-proxy ./cmd/etcd)
# The real node's add-ons, each built in a copy of its own module, so its go.mod (replaces included)
# applies exactly as upstream builds it: name  module@version  package  version variable
MODULES=(
  "coredns github.com/coredns/coredns@v1.15.0 . -"
  "crictl sigs.k8s.io/cri-tools@v1.34.0 ./cmd/crictl sigs.k8s.io/cri-tools/pkg/version.Version"
  "kube-router github.com/cloudnativelabs/kube-router/v2@v2.1.0 ./cmd/kube-router github.com/cloudnativelabs/kube-router/v2/pkg/version.Version"
  "local-path-provisioner github.com/rancher/local-path-provisioner@v0.0.30 . main.VERSION"
)
# CoreDNS is built with the plugins hack/node-up.sh's Corefile uses (and log, to debug it), as CoreDNS's
# plugin.cfg documents: its default set pulls in the AWS, Azure and Google Cloud SDKs and doubles the build.
COREDNS_PLUGINS="bind errors log ready kubernetes cache template"
control_plane_bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy etcd kwok)
addon_bins=(coredns crictl kube-router local-path-provisioner)

cache="${APPENV_CACHE:-$HOME/.cache/appenv}"
cp_key=$( { cat go.mod go.sum kwok/go.mod kwok/go.sum cmd/etcd/main.go; go version; echo "$ldflags ${pkgs[*]}"; } |
  sha256sum | cut -c1-12)
control_plane="$cache/control-plane-$cp_key"
mkdir -p "$cache"

# A stage's directory is built in a temp dir and renamed when complete, under its own lock: an interrupted
# build is never taken as complete, and a second caller waits for the first instead of building again.
build_control_plane() {
  [ -f "$control_plane/.complete" ] && return 0
  build_lock control-plane
  [ -f "$control_plane/.complete" ] && return 0
  local start=$SECONDS
  tmp=$(mktemp -d "$cache/.control-plane-$cp_key.tmp.XXXXXX")   # global: the EXIT trap reads it
  trap 'rm -rf "$tmp"' EXIT
  log "building k8s $k8s, kwok $kwok, etcd $etcd into $control_plane (GOCACHE=$(go env GOCACHE))"
  log "downloading modules"
  { go mod download && (cd kwok && go mod download); } || die "go mod download failed"
  log "compiling ${pkgs[*]##*/} (one go build; cold takes a long while on 2 cores)"
  go build -trimpath -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}" ||
    die "go build failed: (cd $HACK && go build -trimpath -ldflags '...' -o $tmp/ ${pkgs[*]})"
  log "compiling kwok (own module hack/kwok: it needs its own k8s.io/* client versions)"
  (cd kwok && go build -trimpath -ldflags "$ldflags" -o "$tmp/" sigs.k8s.io/kwok/cmd/kwok) ||
    die "go build failed: (cd $HACK/kwok && go build -trimpath -ldflags '...' -o $tmp/ sigs.k8s.io/kwok/cmd/kwok)"
  local b; for b in "${control_plane_bins[@]}"; do [ -x "$tmp/$b" ] || die "missing binary $b after build"; done
  "$tmp/kube-apiserver" --version | grep -q "$k8s" || die "kube-apiserver does not report $k8s"
  { echo "k8s.io/kubernetes $k8s"; echo "sigs.k8s.io/kwok $kwok"; echo "go.etcd.io/etcd/server/v3 $etcd"
    go version; echo "built $(date -u +%FT%TZ) in $((SECONDS - start))s"; } >"$tmp/VERSIONS"
  chmod 755 "$tmp" && touch "$tmp/.complete"
  rm -rf "$control_plane" && mv "$tmp" "$control_plane"
  trap - EXIT
  log "control plane built in $((SECONDS - start))s"
}

# name module@version package version-variable dir: one add-on, built in a copy of its module
build_addon() {
  local name=$1 modver=$2 pkg=$3 var=$4 out=$5 src flags
  log "compiling $name ($modver, in a copy of its module)"
  src=$(cd / && GOFLAGS=-mod=mod go mod download -json "$modver" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || true
  [[ -n "$src" && -d "$src" ]] || die "go mod download $modver failed"
  rm -rf "$out/src" && cp -r "$src" "$out/src" && chmod -R u+w "$out/src"
  if [ "$name" = coredns ]; then
    # plugin.cfg keeps its order (the order plugins run in); `go generate` writes the plugin list from it.
    awk -v keep=" $COREDNS_PLUGINS " '/^#/ || !NF { next } { split($0, p, ":") } index(keep, " " p[1] " ")' \
      "$out/src/plugin.cfg" >"$out/src/plugin.cfg.new" && mv "$out/src/plugin.cfg.new" "$out/src/plugin.cfg"
    (cd "$out/src" && GOFLAGS="-mod=mod -buildvcs=false" go generate coredns.go) || die "go generate of CoreDNS's plugins failed"
  fi
  flags="-s -w"; [ "$var" = - ] || flags="$flags -X $var=${modver#*@}"
  # -mod=mod: a module zip leaves vendor/ incomplete, so build from the module cache instead
  (cd "$out/src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "$flags" -o "$out/$name" "$pkg") ||
    die "go build of $name failed (module $modver)"
  rm -rf "$out/src"
  echo "$modver" >>"$out/MODULES"
}

build_addons() {
  [ -f "$bin/.complete" ] && return 0
  build_lock node-addons
  [ -f "$bin/.complete" ] && return 0
  local start=$SECONDS m name modver pkg var b
  tmp=$(mktemp -d "$cache/.bin-$key.tmp.XXXXXX")   # global: the EXIT trap reads it
  trap 'rm -rf "$tmp"' EXIT
  log "building the real node's add-ons into $bin: ${addon_bins[*]}"
  for m in "${MODULES[@]}"; do
    read -r name modver pkg var <<<"$m"
    build_addon "$name" "$modver" "$pkg" "$var" "$tmp"
  done
  for b in "${addon_bins[@]}"; do [ -x "$tmp/$b" ] || die "missing binary $b after build"; done
  for b in "${control_plane_bins[@]}"; do ln "$control_plane/$b" "$tmp/$b" 2>/dev/null || cp "$control_plane/$b" "$tmp/$b"; done
  { cat "$control_plane/VERSIONS"; sed 's/@/ /' "$tmp/MODULES"; echo "coredns plugins: $COREDNS_PLUGINS"
    echo "add-ons built $(date -u +%FT%TZ) in $((SECONDS - start))s"; } >"$tmp/VERSIONS"
  chmod 755 "$tmp" && touch "$tmp/.complete"
  rm -rf "$bin" && mv "$tmp" "$bin"
  trap - EXIT
  log "add-ons built in $((SECONDS - start))s"
}

key=$( { echo "$cp_key ${MODULES[*]} $COREDNS_PLUGINS"; declare -f build_addon; } | sha256sum | cut -c1-12)
bin="$cache/bin-$key"

link_kube_api_test() {
  [ -n "$kat" ] || return 0
  local d; d="$(mkdir -p "$kat" && cd "$kat" && pwd)/k8s/${k8s#v}-linux-amd64"
  mkdir -p "$d" && ln -sfn "$control_plane/etcd" "$control_plane/kube-apiserver" "$control_plane/kubectl" "$d/"
  log "kube-api-test binaries linked in $d"
}

if [ -f "$control_plane/.complete" ] && { $control_plane_only || [ -f "$bin/.complete" ]; }; then
  log "up to date: k8s $k8s, kwok $kwok, etcd $etcd"
fi
build_control_plane
if $control_plane_only; then
  link_kube_api_test; echo "$control_plane"; exit 0
fi
build_addons
echo "$bin"
exit 0
}
