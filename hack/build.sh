#!/usr/bin/env bash
# Builds the local cluster's binaries into ${APPENV_CACHE:-$HOME/.cache/appenv}/bin-<key>/: the control
# plane, kubelet and kube-proxy pinned in hack/go.mod, kwok (hack/kwok/go.mod), and the real node's
# add-ons pinned in MODULES below (CoreDNS, crictl, kube-router, local-path-provisioner).
# <key> hashes go.mod, go.sum, kwok/go.mod, kwok/go.sum, cmd/etcd, MODULES, the ldflags and `go version`:
# an unchanged pin reuses the binaries, a pin change builds a new dir.
# Usage: hack/build.sh                 build if needed, print progress, last line = bin dir
#        hack/build.sh --print-bin-dir build if needed (quietly), print only the bin dir
#        hack/build.sh --kube-api-test-dir DIR   also link etcd, kube-apiserver, kubectl into
#                      DIR/k8s/<1.34.4>-linux-amd64/, the offline layout of fabric8 kube-api-test
set -euo pipefail
{ # whole script in braces: bash parses it at once, so editing this file during a long build is safe
HACK="$(cd "$(dirname "$0")" && pwd)"
cd "$HACK"
quiet=false kat=""
while [ $# -gt 0 ]; do
  case "$1" in
    --print-bin-dir) quiet=true ;;
    --kube-api-test-dir) kat="${2:?--kube-api-test-dir needs a DIR}"; shift ;;
    *) echo "usage: $0 [--print-bin-dir] [--kube-api-test-dir DIR]" >&2; exit 2 ;;
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
bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy etcd kwok
      coredns crictl kube-router local-path-provisioner)

key=$( { cat go.mod go.sum kwok/go.mod kwok/go.sum cmd/etcd/main.go; go version; echo "$ldflags ${pkgs[*]} ${MODULES[*]}"; } |
  sha256sum | cut -c1-12)
cache="${APPENV_CACHE:-$HOME/.cache/appenv}"
bin="$cache/bin-$key"
link_kube_api_test() {
  [ -n "$kat" ] || return 0
  local d; d="$(mkdir -p "$kat" && cd "$kat" && pwd)/k8s/${k8s#v}-linux-amd64"
  mkdir -p "$d" && ln -sfn "$bin/etcd" "$bin/kube-apiserver" "$bin/kubectl" "$d/"
  log "kube-api-test binaries linked in $d"
}
if [ -f "$bin/.complete" ]; then
  log "up to date: k8s $k8s, kwok $kwok, etcd $etcd"
  link_kube_api_test; echo "$bin"; exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.bin-$key.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log "building k8s $k8s, kwok $kwok, etcd $etcd into $bin (GOCACHE=$(go env GOCACHE))"
start=$SECONDS
log "downloading modules"
{ go mod download && (cd kwok && go mod download); } || die "go mod download failed"
log "compiling ${pkgs[*]##*/} (one go build; cold takes a long while on 2 cores)"
go build -trimpath -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}" ||
  die "go build failed: (cd $HACK && go build -trimpath -ldflags '...' -o $tmp/ ${pkgs[*]})"
log "compiling kwok (own module hack/kwok: it needs its own k8s.io/* client versions)"
(cd kwok && go build -trimpath -ldflags "$ldflags" -o "$tmp/" sigs.k8s.io/kwok/cmd/kwok) ||
  die "go build failed: (cd $HACK/kwok && go build -trimpath -ldflags '...' -o $tmp/ sigs.k8s.io/kwok/cmd/kwok)"
for m in "${MODULES[@]}"; do
  read -r name modver pkg var <<<"$m"
  log "compiling $name ($modver, in a copy of its module)"
  dir=$(cd / && GOFLAGS=-mod=mod go mod download -json "$modver" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || true
  [[ -n "$dir" && -d "$dir" ]] || die "go mod download $modver failed"
  rm -rf "$tmp/src" && cp -r "$dir" "$tmp/src" && chmod -R u+w "$tmp/src"
  flags="-s -w"; [ "$var" = - ] || flags="$flags -X $var=${modver#*@}"
  # -mod=mod: a module zip leaves vendor/ incomplete, so build from the module cache instead
  (cd "$tmp/src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "$flags" -o "$tmp/$name" "$pkg") ||
    die "go build of $name failed (module $modver)"
  echo "$modver" >>"$tmp/MODULES"
done
rm -rf "$tmp/src"
for b in "${bins[@]}"; do [ -x "$tmp/$b" ] || die "missing binary $b after build"; done
"$tmp/kube-apiserver" --version | grep -q "$k8s" || die "kube-apiserver does not report $k8s"
{ echo "k8s.io/kubernetes $k8s"; echo "sigs.k8s.io/kwok $kwok"; echo "go.etcd.io/etcd/server/v3 $etcd"
  sed 's/@/ /' "$tmp/MODULES"; go version; echo "built $(date -u +%FT%TZ) in $((SECONDS - start))s"; } >"$tmp/VERSIONS"
chmod 755 "$tmp" && touch "$tmp/.complete"
rm -rf "$bin" && mv "$tmp" "$bin"
trap - EXIT
log "done in $((SECONDS - start))s"
link_kube_api_test
echo "$bin"
exit 0
}
