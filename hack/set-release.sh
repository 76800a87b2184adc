#!/usr/bin/env bash
# Points an environment folder at a released image: rewrites the image and the commit-timestamp
# annotation in ENV_DIR/release.yaml, the kustomize patch the release workflow owns.
# Usage: hack/set-release.sh ENV_DIR IMAGE@sha256:DIGEST COMMIT_TIMESTAMP
#   e.g. hack/set-release.sh argocd/environments/dev ghcr.io/appenv/telemetry@sha256:ab12... 2026-11-26T10:00:00Z
# Only digests: promotion compares what ran in dev with what goes to prod, and a tag can move.
set -euo pipefail
source "$(dirname "$0")/lib.sh" ""
[ $# -eq 3 ] || { sed -n '2,6s/^# \{0,1\}//p' "$0" >&2; exit 2; }
dir=$1 image=$2 committed=$3
file="$dir/release.yaml"
[ -f "$file" ] || die "$file not found"
[[ "$image" =~ ^[a-z0-9][a-z0-9./_-]*(:[0-9]+)?/[a-z0-9./_-]+@sha256:[0-9a-f]{64}$ ]] \
  || die "image must be REPOSITORY@sha256:<64 hex digits>, got '$image'"
[[ "$committed" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] \
  || die "commit timestamp must be RFC 3339 (git show -s --format=%cI), got '$committed'"
[[ "$(grep -c '^    image: ' "$file")" = 1 && "$(grep -c '^    platform.appenv.io/commit-timestamp: ' "$file")" = 1 ]] \
  || die "$file does not have the layout this script writes (one image, one commit-timestamp line)"
tmp=$(mktemp)
sed -e "s|^    image: .*|    image: $image|" \
    -e "s|^    platform.appenv.io/commit-timestamp: .*|    platform.appenv.io/commit-timestamp: \"$committed\"|" \
    "$file" > "$tmp"
mv "$tmp" "$file"
echo "set-release: $dir now runs $image (committed $committed)" >&2
