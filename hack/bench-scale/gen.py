#!/usr/bin/env python3
"""Writes the benchmark's objects as a JSON List on stdout, for `kubectl apply --server-side -f -`.

  gen.py namespaces N
      bench-0001 .. bench-N
  gen.py volumes N NAME
      per namespace, PersistentVolumes bound in advance (claimRef) to the database's and the backups' claims
      of the environment NAME: the controller-manager's hostPath provisioner makes about two volumes a second
      with its one worker, which would time it instead of the operator
  gen.py environments N IMAGE SAMPLE_JSON
      one AppEnvironment per namespace, the sample's (kubectl's JSON of samples/dev.yaml) with IMAGE
  gen.py rollouts N IMAGE DEPLOYMENT_JSON [--release]
      per namespace, an Argo Rollout doing the same work as the environment: the pod template of the
      environment's Deployment (DEPLOYMENT_JSON, as kubectl prints it) with labels of its own, the same
      replicas, blue/green with an active and a preview Service, the old pods kept for the same delay;
      --release: the Rollouts only (the controller owns the Services' selectors once they exist)
  gen.py unrelated N NAMESPACES
      N Secrets, N ConfigMaps and N Deployments (0 replicas: no Pods) that have nothing to do with appenv,
      spread over the first NAMESPACES namespaces
"""
import copy
import json
import sys

ROLLOUT = "telemetry-argo"


def namespace(i):
    return "bench-%04d" % i


def namespaces(n):
    return [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace(i)}} for i in range(1, n + 1)]


def volumes(n, name):
    out = []
    for i in range(1, n + 1):
        for claim in ("data-%s-db-0" % name, "%s-backup" % name):
            pv = "bench-%04d-%s" % (i, claim)
            out.append({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": pv},
                        "spec": {"capacity": {"storage": "100Gi"}, "accessModes": ["ReadWriteOnce"],
                                 "storageClassName": "standard", "persistentVolumeReclaimPolicy": "Retain",
                                 "hostPath": {"path": "/tmp/hostpath_pv/bench/" + pv},
                                 "claimRef": {"namespace": namespace(i), "name": claim}}})
    return out


def environments(n, image, sample_file):
    with open(sample_file) as f:
        items = json.load(f)
    items = items.get("items", [items])
    sample = next(o for o in items if o["kind"] == "AppEnvironment")
    out = []
    for i in range(1, n + 1):
        env = {"apiVersion": sample["apiVersion"], "kind": sample["kind"],
               "metadata": {"name": sample["metadata"]["name"], "namespace": namespace(i)},
               "spec": copy.deepcopy(sample["spec"])}
        env["spec"]["app"]["image"] = image
        out.append(env)
    return out


def rollouts(n, image, deployment_file, release=False):
    with open(deployment_file) as f:
        deployment = json.load(f)
    template = copy.deepcopy(deployment["spec"]["template"])
    template["metadata"] = {"labels": {"app": ROLLOUT}}
    template["spec"]["containers"][0]["image"] = image
    port = template["spec"]["containers"][0]["ports"][0]["containerPort"]
    delay = 600   # the sample's scaleDownDelay: 10m
    out = []
    for i in range(1, n + 1):
        ns = namespace(i)
        for name in () if release else (ROLLOUT, ROLLOUT + "-preview"):
            out.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
                        "spec": {"selector": {"app": ROLLOUT},
                                 "ports": [{"name": "http", "port": port, "targetPort": port}]}})
        out.append({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
                    "metadata": {"name": ROLLOUT, "namespace": ns},
                    "spec": {"replicas": deployment["spec"].get("replicas", 1),
                             "selector": {"matchLabels": {"app": ROLLOUT}},
                             "template": template,
                             "strategy": {"blueGreen": {"activeService": ROLLOUT, "previewService": ROLLOUT + "-preview",
                                                        "autoPromotionEnabled": True,
                                                        "scaleDownDelaySeconds": delay}}}})
    return out


def unrelated(n, spread):
    out = []
    for i in range(n):
        ns, name = namespace(1 + i % spread), "unrelated-%05d" % i
        labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "someone-else"}
        meta = {"name": name, "namespace": ns, "labels": labels}
        out.append({"apiVersion": "v1", "kind": "Secret", "metadata": meta, "stringData": {"token": "x" * 64}})
        out.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"settings": "y" * 256}})
        out.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
                    "spec": {"replicas": 0, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                             "template": {"metadata": {"labels": labels},
                                          "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}]}}}})
    return out


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "namespaces" and len(sys.argv) == 3:
        items = namespaces(int(sys.argv[2]))
    elif what == "volumes" and len(sys.argv) == 4:
        items = volumes(int(sys.argv[2]), sys.argv[3])
    elif what == "environments" and len(sys.argv) == 5:
        items = environments(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif what == "rollouts" and len(sys.argv) in (5, 6):
        items = rollouts(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:] == ["--release"])
    elif what == "unrelated" and len(sys.argv) == 4:
        items = unrelated(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, sys.stdout)
