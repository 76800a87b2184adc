#!/usr/bin/env bash
# Builds Argo Rollouts' controller (cmd/rollouts-controller) from its Go module, for the side-by-side
# benchmark, into ${APPENV_CACHE:-~/.cache/appenv}/argo-rollouts-<version>/ (reused once complete), with
# the module's CRDs and ClusterRole next to it. Built as upstream's Makefile does (CGO off, its ldflags),
# in a copy of the module so its own go.mod applies, with one change: its metrics and healthz servers
# listen on 127.0.0.1 instead of 0.0.0.0 (v1.8.3 has no flag for the address; nothing here listens
# beyond loopback). v1.10.x needs a newer Go than this machine's (/work/shared/VERSIONS.md).
# Usage: hack/bench-scale/build-rollouts.sh   last stdout line = the directory
set -euo pipefail
VERSION="${APPENV_ROLLOUTS_VERSION:-v1.8.3}"
MODULE=github.com/argoproj/argo-rollouts
out="${APPENV_CACHE:-$HOME/.cache/appenv}/argo-rollouts-$VERSION"
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh" ""
if [ -f "$out/.complete" ]; then echo "$out"; exit 0; fi
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0
info=$(cd / && GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION") || die "go mod download $MODULE@$VERSION failed"
dir=$(jq -r .Dir <<<"$info") commit=$(jq -r '.Origin.Hash // ""' <<<"$info")
[ -d "$dir" ] || die "go mod download $MODULE@$VERSION gave no directory"
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -r "$dir" "$tmp/src" && chmod -R u+w "$tmp/src"
grep -q '"0.0.0.0:%d"' "$tmp/src/controller/controller.go" || die "listen address not found in controller/controller.go"
sed -i 's/"0\.0\.0\.0:%d"/"127.0.0.1:%d"/' "$tmp/src/controller/controller.go"
v=$MODULE/utils/version
# upstream's Makefile stamps these; the commit is the tag's, as the module proxy records it
ldflags="-s -w -X $v.version=${VERSION#v} -X $v.gitTag=$VERSION -X $v.gitCommit=$commit -X $v.gitTreeState=clean \
 -X $v.buildDate=$(jq -r .Time "$(jq -r .Info <<<"$info")")"
log "compiling $MODULE@$VERSION ./cmd/rollouts-controller (about 2.5 min on 2 cores with a warm module cache)"
start=$SECONDS
(cd "$tmp/src" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "$ldflags" -o "$tmp/rollouts-controller" \
  ./cmd/rollouts-controller) || die "go build failed in a copy of $dir"
cp "$tmp"/src/manifests/crds/*-crd.yaml "$tmp/" && cp "$tmp/src/manifests/role/argo-rollouts-clusterrole.yaml" "$tmp/"
rm -rf "$tmp/src"
"$tmp/rollouts-controller" --help >/dev/null || die "the binary does not run"
echo "$MODULE $VERSION, listen address 127.0.0.1, $(go version), built in $((SECONDS - start))s" >"$tmp/VERSION"
touch "$tmp/.complete" && rm -rf "$out" && mv "$tmp" "$out"
trap - EXIT
log "done in $((SECONDS - start))s: $out"
echo "$out"
