#!/usr/bin/env bash
# Starts the local cluster's container-running node next to the control plane of cluster-up.sh:
# containerd and runc (Debian), the CNI bridge (Debian's plugins), kubelet and kube-proxy (the pinned
# k8s.io/kubernetes), CoreDNS, kube-router's NetworkPolicy firewall and rancher's local-path volume
# provisioner (their Go modules). The pod network stays on this machine: pods have routes to the pod
# and Service ranges and the node address only, nothing is masqueraded, and packets between the pod
# bridge and any other interface are dropped.
# Called by cluster-up.sh with the control plane running; not meant to be run alone.
# Usage: hack/node-up.sh STATE BIN
set -euo pipefail
{
HACK="$(cd "$(dirname "$0")" && pwd)"
source "$HACK/lib.sh" "$1"
BIN=$2
kubectl() { "$BIN/kubectl" --kubeconfig "$STATE/kubeconfig" "$@"; }
mkdir -p "$NODE_DIR"/{cni/net.d,kubelet,volumes} "$NODE_RUN"

[ "$(cat "$NODE_OWNER" 2>/dev/null)" = "$STATE" ] || die "claim_node first (cluster-up.sh does)"
# node-down.sh deletes the pod network namespaces that pods leave behind, and only those.
ip netns list 2>/dev/null | awk '/^cni-/ {print $1}' >"$NODE_DIR/netns-before"

# --- host network: forwarding, and the isolation of the pod bridge ---------------------------------------
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
isolate() {  # table chain hook rules...: a chain of ours, flushed and filled, jumped to first from hook
  local table=$1 chain=$2 hook=$3; shift 3
  iptables -w -t "$table" -N "$chain" 2>/dev/null || iptables -w -t "$table" -F "$chain"
  local rule; for rule in "$@"; do eval "iptables -w -t $table -A $chain $rule"; done
  iptables -w -t "$table" -C "$hook" -j "$chain" 2>/dev/null || iptables -w -t "$table" -I "$hook" 1 -j "$chain"
}
# From outside (any interface but lo and the bridge), nothing reaches the node address or a pod.
isolate mangle APPENV-INBOUND PREROUTING "-i lo -j RETURN" "-i $BRIDGE -j RETURN" \
  "-d $NODE_IP/32 -j DROP" "-d $POD_CIDR -j DROP"
# Pods reach each other, Services and the node; never another interface.
isolate mangle APPENV-OUTBOUND FORWARD "-i $BRIDGE ! -o $BRIDGE -j DROP"
# Nor does the host: a ClusterIP kube-proxy has not programmed yet (a Service a second old) would
# follow the default route out of the machine, where a gateway may accept and then hold the connection.
# Refused at once instead, as kube-proxy refuses a Service without endpoints. (filter runs after
# kube-proxy's DNAT, so a programmed Service is already a pod address on the bridge here.)
isolate filter APPENV-LOCAL OUTPUT \
  "-p tcp -d $SERVICE_CIDR ! -o $BRIDGE -j REJECT --reject-with tcp-reset" \
  "-d $SERVICE_CIDR ! -o $BRIDGE -j REJECT" \
  "-p tcp -d $POD_CIDR ! -o $BRIDGE -j REJECT --reject-with tcp-reset" \
  "-d $POD_CIDR ! -o $BRIDGE -j REJECT"

cat >"$NODE_DIR/cni/net.d/10-appenv.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "appenv",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "isDefaultGateway": false,
      "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$NODE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR"}]],
        "routes": [{"dst": "$SERVICE_CIDR"}, {"dst": "$NODE_IP/32"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON

# --- certificates and kubeconfigs of the node's components ----------------------------------------------
( cd "$PKI"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" extendedKeyUsage=clientAuth
  cert kubelet-serving "/CN=$NODE_NAME" "extendedKeyUsage=serverAuth
subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME"
  cert kube-proxy /CN=system:kube-proxy extendedKeyUsage=clientAuth )
kubeconfig kubelet >"$PKI/kubelet.kubeconfig"
kubeconfig kube-proxy >"$PKI/kube-proxy.kubeconfig"

# --- containerd -------------------------------------------------------------------------------------------
# Its root (images, snapshots) is shared by every cluster of this machine and survives cluster-down, so
# images are imported once; its state and socket are per run.
cat >"$NODE_DIR/containerd.toml" <<TOML
version = 2
root = "$CONTAINERD_ROOT"
state = "$NODE_RUN/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:$PAUSE_TAG"
  # This sandbox lacks CAP_SYS_RESOURCE: a negative oom_score_adj would be refused and runc would fail.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$NODE_DIR/cni/net.d"
TOML
log "starting containerd ($CONTAINERD_SOCK)"
start containerd containerd --config "$NODE_DIR/containerd.toml"
wait_for containerd containerd 30 ctr --address "$CONTAINERD_SOCK" version
# The CRI answers later than containerd's own API: on start it first recovers the sandboxes an earlier
# run left in the shared root ("server is not initialized yet"), and a kubelet started before that exits
# (a CI run saw it). The kubelet's own first call, asked until it answers.
wait_for "containerd's CRI" containerd 120 "$BIN/crictl" version
# Pods left by an earlier run of this node (a crash, or SIGKILL) go first: the kubelet starts clean.
"$BIN/crictl" rmp --all --force >/dev/null 2>&1 || true
"$HACK/images/load.sh" --node-images

# --- kubelet ----------------------------------------------------------------------------------------------
cat >"$NODE_DIR/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
# This host's hybrid cgroup layout: cgroupfs, and no QoS hierarchy of the kubelet's own.
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
resolvConf: $NODE_DIR/resolv.conf
# A test node: never evict for disk pressure, never delete the locally built images.
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 110
staticPodPath: ""
YAML
echo "nameserver $NODE_IP" >"$NODE_DIR/resolv.conf"
log "starting kubelet (node $NODE_NAME, $NODE_IP)"
read -ra kubelet_args <<<"${APPENV_KUBELET_ARGS:-}"   # extra flags of the user's, split into words
start kubelet "$BIN/kubelet" --config "$NODE_DIR/kubelet.yaml" --kubeconfig "$PKI/kubelet.kubeconfig" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$NODE_DIR/kubelet" \
  --node-labels appenv.io/node=real --v 1 "${kubelet_args[@]}"
# kube-proxy and kube-router look their node up by name: it must be registered first.
wait_for "the kubelet to register node $NODE_NAME" kubelet 60 kubectl get node "$NODE_NAME"

# --- kube-proxy, DNS, NetworkPolicy, volumes --------------------------------------------------------------
cat >"$NODE_DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $PKI/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$KUBE_PROXY_METRICS_PORT
# NodePorts answer on the node address only, and conntrack sysctls are left as they are.
nodePortAddresses: [$NODE_IP/32]
iptables: {localhostNodePorts: false}
conntrack: {maxPerCore: 0}
YAML
log "starting kube-proxy (iptables)"
start kube-proxy "$BIN/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml"
wait_for "kube-proxy /healthz" kube-proxy 30 curl -sf --max-time 1 "http://127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT/healthz"

# Cluster DNS on the node address: Services and pods of cluster.local; other names get NXDOMAIN, since
# nothing in the pod network may leave this machine.
cat >"$NODE_DIR/Corefile" <<COREFILE
cluster.local:53 in-addr.arpa:53 {
  bind $NODE_IP
  errors
  ready 127.0.0.1:$COREDNS_READY_PORT
  kubernetes cluster.local in-addr.arpa {
    kubeconfig $STATE/kubeconfig appenv
    pods insecure
    fallthrough in-addr.arpa
  }
  cache 30
}
.:53 {
  bind $NODE_IP
  template ANY ANY {
    rcode NXDOMAIN
  }
}
COREFILE
log "starting CoreDNS on $NODE_IP:53"
start coredns "$BIN/coredns" -conf "$NODE_DIR/Corefile"
wait_for "CoreDNS /ready" coredns 30 curl -sf --max-time 1 "http://127.0.0.1:$COREDNS_READY_PORT/ready"

log "starting kube-router (NetworkPolicy firewall only)"
start kube-router "$BIN/kube-router" --kubeconfig "$STATE/kubeconfig" --hostname-override "$NODE_NAME" \
  --run-firewall=true --run-router=false --run-service-proxy=false --enable-cni=false \
  --health-port 0 --metrics-port 0 --iptables-sync-period 5m   # its health port would listen on every address

# Volumes: directories under the state dir, made by a busybox helper pod with mode 0777, so a
# non-root database (uid 999) can write its data where a hostPath volume would be root's.
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: local-path-storage}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: local-path-provisioner, namespace: local-path-storage}
YAML
cat >"$NODE_DIR/local-path.json" <<JSON
{"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", "paths": ["$NODE_DIR/volumes"]}]}
JSON
# The helper pod runs setup/teardown from this ConfigMap (the provisioner's contract).
kubectl -n local-path-storage create configmap local-path-config --dry-run=client -o yaml \
  --from-literal=setup=$'#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"\n' \
  --from-literal=teardown=$'#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"\n' | kubectl apply -f - >/dev/null
cat >"$NODE_DIR/local-path-helper.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: helper-pod}
spec:
  priorityClassName: system-node-critical
  containers:
    - name: helper-pod
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
YAML
log "starting local-path-provisioner ($NODE_DIR/volumes)"
start local-path-provisioner "$BIN/local-path-provisioner" --debug start --kubeconfig "$STATE/kubeconfig" \
  --namespace local-path-storage --service-account-name local-path-provisioner \
  --provisioner-name rancher.io/local-path --config "$NODE_DIR/local-path.json" \
  --helper-image "$BUSYBOX_IMAGE" --helper-pod-file "$NODE_DIR/local-path-helper.yaml" \
  --configmap-name local-path-config
sleep 1   # neither has a health endpoint on loopback: alive after a second is the check
for c in kube-router local-path-provisioner; do
  pid_of "$c" >/dev/null || { tail -n 20 "$LOGS/$c.log" >&2; die "$c exited (log: $LOGS/$c.log)"; }
done
exit 0
}
