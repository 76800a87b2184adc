#!/usr/bin/env bash
# Prints the release report of an AppEnvironment, from a running operator's /reports endpoint.
# Usage: hack/report.sh NAMESPACE NAME [DAYS] [md|html]
# The operator of `make run` listens on 127.0.0.1:$APPENV_HTTP_PORT (18080); APPENV_REPORT_URL points
# elsewhere, e.g. http://127.0.0.1:8080 after `kubectl port-forward -n appenv-system svc/appenv-operator 8080`.
set -euo pipefail
usage="usage: hack/report.sh NAMESPACE NAME [DAYS] [md|html]"
ns="${1:?$usage}"
name="${2:?$usage}"
days="${3:-30}"
format="${4:-md}"
base="${APPENV_REPORT_URL:-http://127.0.0.1:${APPENV_HTTP_PORT:-18080}}"
# The operator checks every argument; these keep the URL well-formed.
[[ "$ns/$name" =~ ^[a-z0-9.-]+/[a-z0-9.-]+$ ]] || { echo "report: '$ns/$name' is not a namespace/name" >&2; exit 2; }
[[ "$days" =~ ^[0-9]+$ && "$format" =~ ^[a-z]+$ ]] || { echo "$usage" >&2; exit 2; }

body=$(mktemp)
trap 'rm -f "$body"' EXIT
if ! status=$(curl -sS -o "$body" -w '%{http_code}' "$base/reports/$ns/$name?days=$days&format=$format"); then
  echo "report: no operator answers at $base: start one with 'make run' (or set APPENV_REPORT_URL)" >&2
  exit 1
fi
if [ "$status" != 200 ]; then
  echo "report: HTTP $status: $(cat "$body")" >&2
  exit 1
fi
cat "$body"
