#!/usr/bin/env bash
# Lints .github/workflows/ with actionlint, built once from the Go module proxy at a pinned version
# into ${APPENV_CACHE:-~/.cache/appenv}/actionlint-<version>/ (like build.sh, GOTOOLCHAIN=local).
# actionlint also runs shellcheck on `run:` scripts when shellcheck is on PATH (optional).
# Usage: hack/lint-workflows.sh [--print-bin]   (--print-bin: build if needed, print the binary's path)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/hack/lib.sh" ""
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
bin_dir="${APPENV_CACHE:-$HOME/.cache/appenv}/actionlint-$ACTIONLINT_VERSION"
bin="$bin_dir/actionlint"
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || die "go not found in PATH"
  log "building actionlint $ACTIONLINT_VERSION"
  mkdir -p "$(dirname "$bin_dir")"   # a fresh machine has no cache dir yet
  tmp=$(mktemp -d "${bin_dir}.tmp.XXXXXX")
  # into a temp dir then renamed, so an interrupted build is never taken as complete
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$tmp" \
    go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  rm -rf "$bin_dir" && mv "$tmp" "$bin_dir"
fi
if [ "${1:-}" = --print-bin ]; then echo "$bin"; exit 0; fi
cd "$ROOT"
"$bin" -no-color
log "actionlint $ACTIONLINT_VERSION found no problem in .github/workflows/"
