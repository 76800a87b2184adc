#!/usr/bin/env bash
# Argo CD beside the local cluster of STATE, as processes on this machine (the way hack/ runs the control
# plane), every listener on 127.0.0.1:
#   git server   lighttpd + git http-backend (Debian): http://127.0.0.1:<port>/git/appenv.git, seeded once
#                from this checkout; its post-receive hook tells Argo CD of each push (argocd/post-receive)
#   redis        Debian's redis-server, with a generated password
#   Argo CD      argocd-repo-server (with kustomize and git), argocd-server (API; no TLS on loopback, no UI),
#                argocd-applicationset-controller, argocd-application-controller (in a network namespace
#                of its own: it binds 0.0.0.0, see argocd/netns-run.sh); from hack/argocd-build.sh
# Then it installs Argo CD's own configuration (manifests/base/config of its module) and the project's
# argocd/ as docs/gitops.md says, `kubectl apply --server-side -k argocd/`, from the local repository,
# whose Argo CD objects name that repository instead of GitHub (one local commit).
# Usage: hack/argocd-up.sh [STATE]   the cluster of STATE must be up (cluster-up.sh); idempotent
#   APPENV_ARGOCD_PORT       argocd-server's port (default 17080); the next eight ports are the others'
#   APPENV_ARGOCD_OPERATOR_PATH  the folder the operator Application syncs (default deploy; make run's
#                            real node uses hack/local-operator, whose images are on the node)
# Stdout: export lines (KUBECONFIG, ARGOCD_SERVER, APPENV_GIT_URL); progress on stderr.
set -euo pipefail
{ # parsed at once: safe to edit while it waits for a first build
HACK="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HACK")"
# shellcheck source=lib.sh
source "$HACK/lib.sh"
A="$STATE/argocd"
base="${APPENV_ARGOCD_PORT:-17080}"
SERVER_PORT=$base REPO_PORT=$((base + 1)) REDIS_PORT=$((base + 2)) GIT_PORT=$((base + 3))
SERVER_METRICS_PORT=$((base + 4)) REPO_METRICS_PORT=$((base + 5)) APPSET_METRICS_PORT=$((base + 6))
APPSET_PROBE_PORT=$((base + 7)) APPSET_WEBHOOK_PORT=$((base + 8))
GIT_URL="http://127.0.0.1:$GIT_PORT/git/appenv.git"
UPSTREAM_URL=https://github.com/appenv/appenv.git
OPERATOR_PATH="${APPENV_ARGOCD_OPERATOR_PATH:-deploy}"
exports() {
  echo "export KUBECONFIG=$STATE/kubeconfig ARGOCD_SERVER=127.0.0.1:$SERVER_PORT ARGOCD_OPTS=--plaintext APPENV_GIT_URL=$GIT_URL"
}

if [ ! -f "$STATE/kubeconfig" ] || ! apiserver_ready; then
  die "no cluster runs for $STATE: start it with hack/cluster-up.sh $STATE"
fi
export KUBECONFIG="$STATE/kubeconfig"
BIN="${APPENV_BIN_DIR:-$("$HACK/build.sh" --print-bin-dir --control-plane)}"
kubectl() { "$BIN/kubectl" "$@"; }
for c in git lighttpd redis-server redis-cli socat unshare python3; do
  command -v "$c" >/dev/null || die "$c is missing (hack/deps.sh installs it)"; done
ARGO="$("$HACK/argocd-build.sh")"   # builds on first use (progress on stderr)

all_running() { for c in "${ARGOCD_COMPONENTS[@]}"; do pid_of "$c" >/dev/null || return 1; done; }
if all_running && curl -sf --max-time 2 "http://127.0.0.1:$SERVER_PORT/healthz" >/dev/null; then
  log "already running ($A)"; exports; exit 0
fi
"$HACK/argocd-down.sh" "$STATE"   # leftovers of a half-started run
for p in $SERVER_PORT $REPO_PORT $REDIS_PORT $GIT_PORT $SERVER_METRICS_PORT $REPO_METRICS_PORT $APPSET_METRICS_PORT \
         $APPSET_PROBE_PORT $APPSET_WEBHOOK_PORT; do
  [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ] || die "port $p is in use (APPENV_ARGOCD_PORT moves Argo CD's ports)"
done
mkdir -p "$RUN" "$LOGS" "$A"/{bin,home,tmp,tls,ssh,gpg/keys,gpg/source,redis,sock,git}
chmod 700 "$A"
# The multi-call binary acts by the name it is called with; links under STATE also mark the processes as
# this state dir's (pid_of). kustomize and git are what the repo-server runs.
for name in argocd argocd-server argocd-repo-server argocd-application-controller argocd-applicationset-controller \
            kustomize; do ln -sfn "$ARGO/$name" "$A/bin/$name"; done
# no newline: the webhook secret is read whole from the file, by kubectl and by the hook alike
secret() { [ -s "$A/$1" ] || (umask 077 && printf %s "$(openssl rand -hex 24)" >"$A/$1"); cat "$A/$1"; }
redis_password=$(secret redis-password)
secret webhook-secret >/dev/null

# --- Argo CD's configuration: its CRDs and manifests/base/config, in the namespace argocd ---------------
module_dir=$(cd / && go mod download -json "$(head -1 "$ARGO/VERSIONS")" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
[ -d "$module_dir/manifests/base/config" ] || die "Argo CD's module has no manifests/base/config ($module_dir)"
log "installing Argo CD's CRDs and configuration (namespace argocd)"
"$HACK/upstream-crds.sh" --apply >/dev/null
kubectl create namespace argocd --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
kubectl apply --server-side -n argocd -k "$module_dir/manifests/base/config" >/dev/null
# the secret the git server signs its push events with; server-side apply adds this key only
kubectl -n argocd create secret generic argocd-secret --from-file=webhook.github.secret="$A/webhook-secret" \
  --dry-run=client -o yaml | kubectl apply --server-side --field-manager=appenv-local -f - >/dev/null

# --- the processes -----------------------------------------------------------------------------------
# shellcheck disable=SC2317  # the EXIT trap
failed() { local rc=$?; [ "$rc" -eq 0 ] || "$HACK/argocd-down.sh" "$STATE"; exit "$rc"; }
trap failed EXIT
log "starting the git server (http://127.0.0.1:$GIT_PORT/git/) and redis (127.0.0.1:$REDIS_PORT)"
cat >"$A/lighttpd.conf" <<CONF
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.bind = "127.0.0.1"
server.port = $GIT_PORT
server.document-root = "$A/git"
alias.url = ("/git" => "/usr/lib/git-core/git-http-backend")
\$HTTP["url"] =~ "^/git" {
  cgi.assign = ("" => "")
  setenv.set-environment = ("GIT_PROJECT_ROOT" => "$A/git", "GIT_HTTP_EXPORT_ALL" => "", "PATH" => "/usr/bin:/bin")
}
CONF
start git-server lighttpd -D -f "$A/lighttpd.conf"
# set-proc-title no: redis rewrites its command line otherwise, and pid_of looks for the state dir there
(umask 077 && printf 'bind 127.0.0.1\nport %s\nset-proc-title no\nprotected-mode yes\nsave ""\nappendonly no\ndir %s\nrequirepass %s\n' \
  "$REDIS_PORT" "$A/redis" "$redis_password" >"$A/redis.conf")
start redis redis-server "$A/redis.conf"
wait_for "the git server" git-server 30 curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$GIT_PORT/"   # any answer
# shellcheck disable=SC2317  # called by wait_for
redis_ping() { REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG; }
wait_for redis redis 30 redis_ping

repo="$A/git/appenv.git"
if [ ! -d "$repo" ]; then
  log "seeding $GIT_URL from $ROOT"
  git init -q --bare -b main "$repo"
  git -C "$repo" config http.receivepack true   # pushes over HTTP, unauthenticated: loopback only
  work="$A/tmp/seed"; rm -rf "$work"; mkdir -p "$work"
  # the checkout as it is, committed or not, without what git ignores
  (cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$work"
  g() { git -C "$work" -c user.name="appenv local" -c user.email=appenv@localhost "$@"; }
  g init -q -b main && g add -A && g commit -qm "appenv at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  grep -rlF "$UPSTREAM_URL" "$work/argocd" | xargs sed -i "s|$UPSTREAM_URL|$GIT_URL|g"
  sed -i "s|^    path: deploy$|    path: $OPERATOR_PATH|" "$work/argocd/apps/operator-application.yaml"
  g commit -qam "local: Argo CD reads this git server ($GIT_URL)"
  g push -q "$repo" main
  rm -rf "$work"
fi
# set on every start: the ports may have moved
install -m 0755 "$HACK/argocd/post-receive" "$repo/hooks/post-receive"
git -C "$repo" config appenv.webhookUrl "http://127.0.0.1:$SERVER_PORT/api/webhook"
git -C "$repo" config appenv.webUrl "$GIT_URL"
git -C "$repo" config appenv.webhookSecretFile "$A/webhook-secret"

log "starting Argo CD $(sed -n '1s/.*@//p' "$ARGO/VERSIONS") (logs in $LOGS/argocd-*.log)"
# What upstream's Procfile sets to run the components outside a cluster: the in-cluster destination
# (https://kubernetes.default.svc) is the cluster of KUBECONFIG; TLS, SSH and GPG data from files.
# Exported rather than passed as arguments: start() keeps a process's arguments in run/<name>.cmdline.
export ARGOCD_FAKE_IN_CLUSTER=true REDIS_PASSWORD="$redis_password" HOME="$A/home" TMPDIR="$A/tmp" \
  PATH="$A/bin:$PATH" ARGOCD_GPG_ENABLED=false ARGOCD_TLS_DATA_PATH="$A/tls" ARGOCD_SSH_DATA_PATH="$A/ssh" \
  ARGOCD_GNUPGHOME="$A/gpg/keys" ARGOCD_GPG_DATA_PATH="$A/gpg/source"
clients=(--redis "127.0.0.1:$REDIS_PORT" --repo-server "127.0.0.1:$REPO_PORT" --repo-server-plaintext)
start argocd-repo-server "$A/bin/argocd-repo-server" --address 127.0.0.1 --port "$REPO_PORT" \
  --metrics-address 127.0.0.1 --metrics-port "$REPO_METRICS_PORT" --disable-tls --redis "127.0.0.1:$REDIS_PORT"
start argocd-server "$A/bin/argocd-server" --namespace argocd --insecure --address 127.0.0.1 \
  --port "$SERVER_PORT" --metrics-address 127.0.0.1 --metrics-port "$SERVER_METRICS_PORT" "${clients[@]}"
# the server writes server.secretkey into argocd-secret at its first start; the controllers need it
wait_for argocd-server argocd-server 60 curl -sf --max-time 1 "http://127.0.0.1:$SERVER_PORT/healthz"
start argocd-applicationset-controller "$A/bin/argocd-applicationset-controller" --namespace argocd \
  --metrics-addr "127.0.0.1:$APPSET_METRICS_PORT" --probe-addr "127.0.0.1:$APPSET_PROBE_PORT" \
  --webhook-addr "127.0.0.1:$APPSET_WEBHOOK_PORT" --argocd-repo-server "127.0.0.1:$REPO_PORT" --repo-server-plaintext
api=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}'); api=${api#https://}
start argocd-application-controller "$HACK/argocd/netns-run.sh" "$A/sock" "$api" "127.0.0.1:$REDIS_PORT" \
  "127.0.0.1:$REPO_PORT" -- "$A/bin/argocd-application-controller" --namespace argocd "${clients[@]}"
wait_for argocd-repo-server argocd-repo-server 60 curl -sf --max-time 1 "http://127.0.0.1:$REPO_METRICS_PORT/metrics"
# its probe address has no checks registered: the metrics endpoint tells it runs
wait_for argocd-applicationset-controller argocd-applicationset-controller 60 \
  curl -sf --max-time 1 "http://127.0.0.1:$APPSET_METRICS_PORT/metrics"

# --- the project's Argo CD objects, from the local repository ------------------------------------------
log "installing argocd/ from $GIT_URL (kubectl apply --server-side -k argocd/)"
checkout="$A/tmp/checkout"; rm -rf "$checkout"
git clone -q "$repo" "$checkout"
kubectl apply --server-side -k "$checkout/argocd" >/dev/null
rm -rf "$checkout"
# the application controller answers only inside its namespace: its first reconcile of the root
# Application is the sign that it runs
# shellcheck disable=SC2317  # called by wait_for
reconciled() { [ -n "$(kubectl -n argocd get application appenv -o jsonpath='{.status.reconciledAt}')" ]; }
wait_for "the application controller's first reconcile" argocd-application-controller 90 reconciled
log "Argo CD ready: argocd-server http://127.0.0.1:$SERVER_PORT (API only), git $GIT_URL"
exports
exit 0
}
