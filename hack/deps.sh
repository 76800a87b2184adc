#!/usr/bin/env bash
# Installs the Debian packages the tests and the local control plane need, when they are missing:
# chromium (the app's chart page test), psql/pg_dump (database script tests), openssl, curl, ss,
# prometheus/promtool and alertmanager/amtool (alert rule tests, the full alarm loop), lua5.1
# (Argo CD health check tests), shellcheck (make lint); for the local cluster's real node: containerd,
# runc, the CNI plugins, iptables, ipset, conntrack, and mmdebstrap and busybox-static, which its
# images are built from; for Argo CD beside the cluster (argocd-up.sh): git, lighttpd (the git server),
# redis-server, socat (netns-run.sh).
# `make test` and `make run` call it, so a fresh machine needs nothing installed by hand.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pg_dump >/dev/null || need+=(postgresql-client)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
command -v ss >/dev/null || need+=(iproute2)
command -v promtool >/dev/null || need+=(prometheus)
command -v amtool >/dev/null || need+=(prometheus-alertmanager)
command -v lua5.1 >/dev/null || need+=(lua5.1)
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v python3 >/dev/null || need+=(python3)
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v iptables >/dev/null || need+=(iptables)
command -v ipset >/dev/null || need+=(ipset)
command -v conntrack >/dev/null || need+=(conntrack)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)   # Debian root filesystems, also from Ubuntu
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx httpd || need+=(busybox-static)
command -v git >/dev/null || need+=(git)
command -v lighttpd >/dev/null || [ -x /usr/sbin/lighttpd ] || need+=(lighttpd)
command -v redis-server >/dev/null || need+=(redis-server)
command -v socat >/dev/null || need+=(socat)
command -v gcc >/dev/null && [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(gcc libc6-dev)   # the static pause binary
for tool in java mvn go node npm; do
  command -v "$tool" >/dev/null || { echo "deps: missing $tool, which the machine image must provide" >&2; exit 1; }
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "deps: please install: ${need[*]} (Debian package names)" >&2
  exit 1
fi
echo "deps: installing ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
