#!/usr/bin/env bash
# Restores a logical backup of an AppEnvironment's database with a Job made from its backup CronJob:
# same image, credentials, volume and scripts ConfigMap, only the command differs (restore.sh).
# Usage: hack/restore.sh NAMESPACE NAME [DUMP|latest] [TARGET_DATABASE]
#   DUMP      a file name on the backup volume (e.g. telemetry-20261126T020000Z.dump), default latest
#   TARGET    database to restore into; default restore_check, a scratch database to look at first.
#             Give the environment's own database name only after the runbook's step 3.
# Uses $KUBECONFIG, else ~/.kube/config, else the local control plane of `make run`.
set -euo pipefail
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" ""
ns="${1:?usage: hack/restore.sh NAMESPACE NAME [DUMP|latest] [TARGET_DATABASE]}"
name="${2:?usage: hack/restore.sh NAMESPACE NAME [DUMP|latest] [TARGET_DATABASE]}"
dump="${3:-latest}"
target="${4:-restore_check}"
[[ "$target" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "restore: '$target' is not a plain database name" >&2; exit 2; }
[[ "$dump" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "restore: '$dump' must be a file name on the backup volume" >&2; exit 2; }
local_config="${APPENV_CACHE:-$HOME/.cache/appenv}/cluster/kubeconfig"
if [ -z "${KUBECONFIG:-}" ] && [ ! -f "$HOME/.kube/config" ] && [ -f "$local_config" ]; then
  export KUBECONFIG="$local_config"
fi
kubectl="${KUBECTL:-kubectl}"
command -v "$kubectl" >/dev/null || kubectl="$("$HACK/build.sh" --print-bin-dir --control-plane)/kubectl"

"$kubectl" get cronjob -n "$ns" "$name-backup" >/dev/null ||
  die "$ns/$name has no backup CronJob (spec.backup.logical)"
[ "$dump" = latest ] || dump="/backups/$dump"
job="$name-restore-$(date -u +%Y%m%d%H%M%S)"
# The backup runs as owner, who may not create databases; the restore connects as the superuser (same
# Secret, its superuser-password key) and restores as owner (RESTORE_OWNER), so owner keeps the schema.
env_names=$("$kubectl" get cronjob -n "$ns" "$name-backup" \
  -o jsonpath='{.spec.jobTemplate.spec.template.spec.containers[0].env[*].name}')
password_index=0
for env_name in $env_names; do [ "$env_name" = PGPASSWORD ] && break; password_index=$((password_index + 1)); done
# The CronJob's template, with restore.sh as the command; --local patches the YAML without a server.
"$kubectl" create job "$job" -n "$ns" --from="cronjob/$name-backup" --dry-run=client -o yaml |
  "$kubectl" patch --local -f - --type=json -o yaml -p "[
    {\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/command\",
     \"value\":[\"bash\",\"/scripts/restore.sh\",\"$dump\",\"$target\"]},
    {\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/env/$password_index/valueFrom/secretKeyRef/key\",
     \"value\":\"superuser-password\"},
    {\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"app.kubernetes.io/component\":\"restore\",
     \"app.kubernetes.io/instance\":\"$name\",\"app.kubernetes.io/managed-by\":\"appenv\"}}]" |
  "$kubectl" set env --local -f - -o yaml PGUSER=postgres RESTORE_OWNER=owner |
  "$kubectl" create -f -
echo "restore: waiting for job/$job (restore.sh $dump $target)" >&2
# Complete or Failed, whichever comes first: a failed restore must not wait out the whole timeout.
"$kubectl" wait -n "$ns" --for=condition=complete --timeout="${RESTORE_TIMEOUT:-30m}" "job/$job" >/dev/null 2>&1 &
complete=$!
"$kubectl" wait -n "$ns" --for=condition=failed --timeout="${RESTORE_TIMEOUT:-30m}" "job/$job" >/dev/null 2>&1 &
failed=$!
wait -n "$complete" "$failed" || true
kill "$complete" "$failed" 2>/dev/null || true
if [ "$("$kubectl" get job -n "$ns" "$job" -o jsonpath='{.status.succeeded}')" != 1 ]; then
  "$kubectl" logs -n "$ns" "job/$job" --tail=50 >&2 || true
  echo "restore: job/$job did not complete; see kubectl describe job -n $ns $job" >&2
  exit 1
fi
"$kubectl" logs -n "$ns" "job/$job" 2>/dev/null || echo "restore: job/$job completed (no logs: kwok nodes run no containers)"
