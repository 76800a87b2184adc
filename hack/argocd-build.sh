#!/usr/bin/env bash
# Builds Argo CD and the kustomize its repo-server runs into ${APPENV_CACHE:-$HOME/.cache/appenv}/argocd-<key>/,
# each from its own Go module (copied out of the module cache, so its go.mod and replaces apply as upstream
# builds it). Argo CD's ./cmd is one multi-call binary that acts by the name it is called with: the
# directory holds it as `argocd` plus links argocd-server, argocd-repo-server, argocd-application-controller
# and argocd-applicationset-controller. The web UI is not built: its dependencies include a package
# fetched from a git URL, which this machine cannot reach, so argocd-server serves the API only.
# <key> hashes the pins, the ldflags and `go version`: an unchanged pin reuses the binaries.
# Usage: hack/argocd-build.sh                  build if needed, progress on stderr, last line = the dir
#        hack/argocd-build.sh --print-bin-dir  the same, quietly
set -euo pipefail
{ # parsed at once: safe to edit while a build runs
HACK="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$HACK/lib.sh" ""   # log, die (the state dir it computes is not used here)
quiet=false
case "${1:-}" in
  --print-bin-dir) quiet=true ;;
  "") ;;
  *) echo "usage: $0 [--print-bin-dir]" >&2; exit 2 ;;
esac
$quiet && log() { :; }
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
command -v go >/dev/null || die "go not found in PATH"

ARGOCD_MODULE=github.com/argoproj/argo-cd/v3@${ARGOCD_VERSION:-v3.1.9}
# Argo CD 3.1 ships kustomize 5.7.0 (hack/tool-versions.sh); the module proxy serves 5.7.1 as the nearest.
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5@v5.7.1
LINKS=(argocd-server argocd-repo-server argocd-application-controller argocd-applicationset-controller)

# What upstream's Makefile stamps into Argo CD, from its module's metadata (a module zip has no git, so the
# tag stands for the commit): its release time, and the client-go it pins as its kubectl version.
field() { sed -n "s/^\s*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p"; }
version=${ARGOCD_MODULE#*@}
info=$(cd / && go mod download -json "$ARGOCD_MODULE") || die "go mod download $ARGOCD_MODULE failed"
released=$(field Info <<<"$info" | xargs cat | sed -n 's/.*"Time":"\([^"]*\)".*/\1/p')
kubectl_version=$(awk '$1=="k8s.io/client-go" && $2=="=>" {print $4}' "$(field GoMod <<<"$info")")
common=github.com/argoproj/argo-cd/v3/common
argocd_flags="-s -w -X $common.version=${version#v} -X $common.buildDate=$released -X $common.gitCommit=$version \
-X $common.gitTag=$version -X $common.gitTreeState=clean -X $common.kubectlVersion=$kubectl_version"
kustomize_flags="-s -w -X sigs.k8s.io/kustomize/api/provenance.version=${KUSTOMIZE_MODULE#*@}"

cache="${APPENV_CACHE:-$HOME/.cache/appenv}"
key=$( { echo "$ARGOCD_MODULE $KUSTOMIZE_MODULE ${LINKS[*]} $argocd_flags $kustomize_flags"; go version; } |
  sha256sum | cut -c1-12)
bin="$cache/argocd-$key"
build_lock argocd
if [ -f "$bin/.complete" ]; then
  log "up to date: $ARGOCD_MODULE, $KUSTOMIZE_MODULE"; echo "$bin"; exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.argocd-$key.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

# name module@version package ldflags: one go build in a writable copy of the module
build_module() {
  local name=$1 modver=$2 pkg=$3 flags=$4 dir
  dir=$(cd / && go mod download -json "$modver" | field Dir) || true
  [ -d "$dir" ] || die "go mod download $modver failed"
  rm -rf "$tmp/src" && cp -r "$dir" "$tmp/src" && chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && go build -trimpath -ldflags "$flags" -o "$tmp/$name" "$pkg") ||
    die "go build of $name failed: (cd <copy of $modver> && go build -trimpath -o $name $pkg)"
  rm -rf "$tmp/src"
}

log "compiling Argo CD $version (one multi-call binary; 4 to 8 minutes on 2 cores with a cold Go cache)"
build_module argocd "$ARGOCD_MODULE" ./cmd "$argocd_flags"
log "compiling kustomize ${KUSTOMIZE_MODULE#*@} (the repo-server runs it for kustomize folders)"
build_module kustomize "$KUSTOMIZE_MODULE" . "$kustomize_flags"
for link in "${LINKS[@]}"; do ln -s argocd "$tmp/$link"; done
"$tmp/argocd" version --client --short 2>/dev/null | grep -qF "$version" || die "argocd does not report $version"
{ echo "$ARGOCD_MODULE"; echo "$KUSTOMIZE_MODULE"; go version; echo "built $(date -u +%FT%TZ) in $((SECONDS - start))s"; } \
  >"$tmp/VERSIONS"
chmod 755 "$tmp" && touch "$tmp/.complete"
rm -rf "$bin" && mv "$tmp" "$bin"
trap - EXIT
log "done in $((SECONDS - start))s: $bin"
echo "$bin"
exit 0
}
