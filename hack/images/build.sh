#!/usr/bin/env bash
# Builds the container images the local cluster's real node runs, with no registry and no Docker:
#   pause        registry.k8s.io/pause:<tag>       pause.c from the pinned k8s.io/kubernetes, static
#   busybox      appenv.local/busybox:debian       Debian's busybox-static (the storage helper pods)
#   java17       appenv.local/java17:bookworm      Debian's openjdk-17-jre-headless: the base of the next two
#   postgres     appenv.local/postgres:17          Debian trixie's postgresql-17 with our entrypoint
#   telemetry    ghcr.io/appenv/telemetry:0.1.0    app/ by Jib, the recipe the release workflow uses
#   operator     ghcr.io/appenv/operator:0.1.0     operator/ by Jib
# and with `monitoring` (or all), the stack of deploy/monitoring (hack/local-monitoring names them):
#   alertmanager               appenv.local/alertmanager:v0.25.0   Debian bookworm's package
#   prometheus, prometheus-operator, prometheus-config-reloader, kube-state-metrics, victoria-logs, vlagent
#                              appenv.local/<name>:<version>    hack/monitoring-build.sh, from their Go modules
# Root filesystems come from Debian's archive through mmdebstrap; hack/images/image-archive.py turns
# them into image archives (the `docker save` layout) that containerd imports and Jib reads as a base.
# Every archive is cached in ${APPENV_CACHE:-~/.cache/appenv}/images/ under a hash of its recipe, so
# an unchanged image is not built again. The jars must exist (make build).
# Usage: hack/images/build.sh [node|apps|monitoring|all|no-jars]   stdout: the archives to import into a node, one a line
#   node: pause and busybox only, what the node itself runs; apps: those, PostgreSQL, the app and the
#   operator; monitoring: the node's and the monitoring stack's; all (default): every image; no-jars:
#   every image but the app and the operator, the Java base instead (hack/prebuild.sh, before the jars exist)
set -euo pipefail
{
IMAGES="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$IMAGES/../.." && pwd)"
source "$IMAGES/../lib.sh" "${APPENV_STATE_DIR:-}"
CACHE="${APPENV_CACHE:-$HOME/.cache/appenv}/images"
MIRROR="${APPENV_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$CACHE"
build_lock images
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

# The names the samples and deploy/ use: what `make run` builds is what they run.
APP_IMAGE=ghcr.io/appenv/telemetry:0.1.0
OPERATOR_IMAGE=ghcr.io/appenv/operator:0.1.0
POSTGRES_MAJOR=17
POSTGRES_IMAGE=appenv.local/postgres:$POSTGRES_MAJOR
JAVA_IMAGE=appenv.local/java17:bookworm

# An archive of this recipe is kept; older ones of the same image are deleted.
fresh() {  # name key -> sets $archive; true when it must be built
  archive="$CACHE/$1-$2.tar"
  [ -f "$archive" ] && return 1
  find "$CACHE" -maxdepth 1 -name "$1-????????????.tar" -delete   # not prometheus-operator's for prometheus
  return 0
}
# A recipe's key: the function that builds it, the archive writer and the inputs it names.
key() { { declare -f "${FUNCNAME[1]}" debian_rootfs; cat "$IMAGES/image-archive.py"; printf '%s\n' "$@"; } |
  sha256sum | cut -c1-12; }
archive=""   # set by each build_* to the archive's path

# mmdebstrap SUITE OUT.tar PACKAGES [extra mmdebstrap args]: a minimal Debian root filesystem
# shellcheck disable=SC2016  # mmdebstrap's hooks expand "$1", the root directory, themselves
debian_rootfs() {
  local suite=$1 out=$2 packages=$3; shift 3
  command -v mmdebstrap >/dev/null || die "mmdebstrap missing (hack/deps.sh installs it)"
  mmdebstrap --quiet --variant=essential --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1"/usr/share/man/man1 "$1"/usr/share/man/man7' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
    "$@" "$suite" "$out" "$MIRROR" >&2
}

# shellcheck disable=SC2317  # called by name: "build_$image"
build_pause() {
  local src; src="$(cd "$IMAGES/.." && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  fresh pause "$(key "$PAUSE_TAG" "$(sha256sum <"$src")")" || return 0
  log "pause $PAUSE_TAG from $src"
  local tmp="$WORK/$1"; mkdir -p "$tmp"
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_TAG" -o "$tmp/pause" "$src"
  tar --owner=0 --group=0 --numeric-owner -cf "$tmp/rootfs.tar" -C "$tmp" pause
  python3 "$IMAGES/image-archive.py" "$tmp/rootfs.tar" "$archive" --tag "registry.k8s.io/pause:$PAUSE_TAG" \
    --entrypoint '["/pause"]' --user 65535:65535 >&2
}

# shellcheck disable=SC2317  # called by name: "build_$image"
build_busybox() {
  local version; version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null) ||
    die "busybox-static missing (hack/deps.sh installs it)"
  fresh busybox "$(key "$BUSYBOX_IMAGE" "$version")" || return 0
  log "busybox $version (Debian's busybox-static)"
  local tmp="$WORK/$1"; mkdir -p "$tmp"
  mkdir -p "$tmp/root/bin" && install -d -m 1777 "$tmp/root/tmp"
  cp /bin/busybox "$tmp/root/bin/busybox"
  for applet in $("$tmp/root/bin/busybox" --list | grep -vx busybox); do ln -s busybox "$tmp/root/bin/$applet"; done
  tar --owner=0 --group=0 --numeric-owner -cf "$tmp/rootfs.tar" -C "$tmp/root" .
  python3 "$IMAGES/image-archive.py" "$tmp/rootfs.tar" "$archive" --tag "$BUSYBOX_IMAGE" \
    --cmd '["sh"]' >&2
}

build_java() {
  fresh java17 "$(key java17 bookworm)" || return 0
  log "Java 17 runtime base (Debian bookworm openjdk-17-jre-headless)"
  local tmp="$WORK/$1"; mkdir -p "$tmp"
  debian_rootfs bookworm "$tmp/rootfs.tar" openjdk-17-jre-headless,ca-certificates-java,tzdata
  python3 "$IMAGES/image-archive.py" "$tmp/rootfs.tar" "$archive" --tag "$JAVA_IMAGE" \
    --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --env LANG=C.UTF-8 --cmd '["java", "-version"]' >&2
}

# shellcheck disable=SC2016  # mmdebstrap's hooks expand "$1", the root directory, themselves
build_postgres() {
  local entrypoint="$IMAGES/postgres/docker-entrypoint.sh"
  fresh postgres "$(key postgres "$POSTGRES_MAJOR" trixie "$(sha256sum <"$entrypoint")")" || return 0
  log "PostgreSQL $POSTGRES_MAJOR (Debian trixie postgresql-$POSTGRES_MAJOR, our entrypoint)"
  local tmp="$WORK/$1"; mkdir -p "$tmp"
  # The postgres user gets uid/gid 999 before the package would pick one: the official image's ids,
  # which the operator's runAsUser/fsGroup name. Listening on every address, as the official image.
  # /run/postgresql (the socket's directory) must survive mmdebstrap's cleanup of /run.
  debian_rootfs trixie "$tmp/rootfs.tar" "postgresql-$POSTGRES_MAJOR,ca-certificates" --skip=cleanup/run \
    --essential-hook='echo "postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/bash" >>"$1"/etc/passwd;
                      echo "postgres:x:999:" >>"$1"/etc/group; echo "postgres:*:20000::::::" >>"$1"/etc/shadow' \
    --customize-hook="upload $entrypoint /usr/local/bin/docker-entrypoint.sh" \
    --customize-hook='chmod 755 "$1"/usr/local/bin/docker-entrypoint.sh
                      install -d -o 999 -g 999 -m 2775 "$1"/var/run/postgresql "$1"/docker-entrypoint-initdb.d
                      sed -ri "s/^#?(listen_addresses)\s*=\s*\S+.*/\1 = '"'"'*'"'"'/" "$1"/usr/share/postgresql/*/postgresql.conf.sample'
  python3 "$IMAGES/image-archive.py" "$tmp/rootfs.tar" "$archive" --tag "$POSTGRES_IMAGE" \
    --env "PATH=/usr/lib/postgresql/$POSTGRES_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --env LANG=C.UTF-8 --env PGDATA=/var/lib/postgresql/data --user 999:999 --port 5432 \
    --entrypoint '["docker-entrypoint.sh"]' --cmd '["postgres"]' >&2
}

# Alertmanager from Debian's package, the binary as entrypoint (the Prometheus Operator passes arguments
# only). Debian's Prometheus has no Kubernetes service discovery, so Prometheus is built from its module.
build_debian_tool() {  # name package binary tag
  local version; version=${4##*:}
  fresh "$1" "$(key "$2" "$4")" || return 0
  log "$1 $version (Debian bookworm $2)"
  local tmp="$WORK/$1"; mkdir -p "$tmp"
  debian_rootfs bookworm "$tmp/rootfs.tar" "$2"
  python3 "$IMAGES/image-archive.py" "$tmp/rootfs.tar" "$archive" --tag "$4" \
    --entrypoint "[\"$3\"]" --user 65534:65534 >&2
}

# A Go program of hack/monitoring-build.sh, static, alone in its image with a nobody user, /tmp and the
# time zone database (kube-state-metrics reads CronJobs' CRON_TZ).
build_go_binary() {  # bin-dir name tag
  local bin="$1/$2"
  [ -x "$bin" ] || die "$bin missing (hack/monitoring-build.sh builds it)"
  fresh "$2" "$(key "$3" "$(sha256sum <"$bin")")" || return 0
  log "$2 (${3##*:}, from its Go module)"
  local tmp="$WORK/$2"; mkdir -p "$tmp/root/bin" "$tmp/root/etc"
  install -d -m 1777 "$tmp/root/tmp"
  cp "$bin" "$tmp/root/bin/$2"
  mkdir -p "$tmp/root/usr/share" && cp -r /usr/share/zoneinfo "$tmp/root/usr/share/zoneinfo"
  printf 'root:x:0:0:root:/:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tmp/root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/root/etc/group"
  tar --owner=0 --group=0 --numeric-owner -cf "$tmp/rootfs.tar" -C "$tmp/root" .
  python3 "$IMAGES/image-archive.py" "$tmp/rootfs.tar" "$archive" --tag "$3" \
    --entrypoint "[\"/bin/$2\"]" --user 65534:65534 >&2
}

build_monitoring() {
  build_debian_tool alertmanager prometheus-alertmanager /usr/bin/prometheus-alertmanager \
    appenv.local/alertmanager:v0.25.0; echo "$archive"
  local bins; bins=$("$IMAGES/../monitoring-build.sh")
  local name tag
  for name in prometheus:v3.5.0 prometheus-operator:v0.85.0 prometheus-config-reloader:v0.85.0 kube-state-metrics:v2.16.0 \
      victoria-logs:v1.52.1 vlagent:v1.52.1; do
    tag=${name#*:} name=${name%%:*}
    build_go_binary "$bins" "$name" "appenv.local/$name:$tag"; echo "$archive"
  done
}

# app/ and operator/ by Jib, on the Java base above: the release workflow's recipe with a local base.
build_jib() {
  local java=$1 app_jar operator_jar app operator
  app_jar=$(compgen -G "$ROOT/app/target/appenv-telemetry-*.jar" | head -n 1) || true
  operator_jar=$(operator_jar "$ROOT") || true
  [[ -n "$app_jar" && -n "$operator_jar" ]] || die "the app and operator jars are missing: run 'make build' first"
  app="$CACHE/telemetry-$(key "$APP_IMAGE" "$java" "$(sha256sum "$app_jar")").tar"
  operator="$CACHE/operator-$(key "$OPERATOR_IMAGE" "$java" "$(sha256sum "$operator_jar")").tar"
  if [ ! -f "$app" ] || [ ! -f "$operator" ]; then
    log "telemetry and operator images by Jib (base $JAVA_IMAGE)"
    (cd "$ROOT" && mvn -B -q -ntp -pl app,operator com.google.cloud.tools:jib-maven-plugin:buildTar \
      -Djib.from.image="tar://$java" -Dimage.tag=0.1.0 -Djib.console=plain) >&2
    cp "$ROOT/app/target/jib-image.tar" "$app.tmp" && mv "$app.tmp" "$app"
    cp "$ROOT/operator/target/jib-image.tar" "$operator.tmp" && mv "$operator.tmp" "$operator"
  fi
  printf '%s\n%s\n' "$app" "$operator"
}

what=${1:-all}
case "$what" in node|apps|monitoring|all|no-jars) ;; *) die "usage: $0 [node|apps|monitoring|all|no-jars]" ;; esac
for image in pause busybox; do "build_$image" "$image"; echo "$archive"; done
if [ "$what" = apps ] || [ "$what" = all ] || [ "$what" = no-jars ]; then
  build_postgres postgres; echo "$archive"
  build_java java
  if [ "$what" = no-jars ]; then echo "$archive"; else build_jib "$archive"; fi
fi
if [ "$what" = monitoring ] || [ "$what" = all ] || [ "$what" = no-jars ]; then build_monitoring; fi
exit 0
}
