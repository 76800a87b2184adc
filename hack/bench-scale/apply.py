#!/usr/bin/env python3
"""Server-side applies every object of a JSON List at once: THREADS connections in parallel, no client-side
rate limit (kubectl's client sends 5 requests a second, so 1,000 objects would take over three minutes and the
benchmark would time kubectl). Prints the seconds the apply took; exit status 1 if any object was refused.

Usage: apply.py STATE FILE FIELD_MANAGER [THREADS]
  STATE  the local cluster's state dir (its admin client certificate and CA)
"""
import http.client
import json
import queue
import sys
import threading
import time

from watch import cluster

PLURAL = {"Namespace": ("", "namespaces"), "PersistentVolume": ("", "persistentvolumes"), "AppEnvironment": (None, "appenvironments"), "Rollout": (None, "rollouts"),
          "Service": (None, "services"), "Secret": (None, "secrets"), "ConfigMap": (None, "configmaps"),
          "Deployment": (None, "deployments")}


def path(o, manager):
    group_version, (scope, plural) = o["apiVersion"], PLURAL[o["kind"]]
    prefix = "/api/" + group_version if "/" not in group_version else "/apis/" + group_version
    ns = "" if scope == "" else "/namespaces/" + o["metadata"]["namespace"]
    return "%s%s/%s/%s?fieldManager=%s&force=true" % (prefix, ns, plural, o["metadata"]["name"], manager)


def main(state, file, manager, threads):
    host, port, context = cluster(state)
    with open(file) as f:
        items = json.load(f)["items"]
    work, failures = queue.Queue(), []
    for o in items:
        work.put(o)

    def worker():
        conn = http.client.HTTPSConnection(host, port, context=context, timeout=120)
        while True:
            try:
                o = work.get_nowait()
            except queue.Empty:
                break
            error = "no answer"
            for attempt in range(5):
                try:
                    conn.request("PATCH", path(o, manager), body=json.dumps(o),
                                 headers={"Content-Type": "application/apply-patch+yaml"})
                    response = conn.getresponse()
                    body = response.read()
                    if response.status < 300:
                        error = None
                        break
                    error = "%d %s" % (response.status, body[:300])
                    if response.status not in (429, 500, 503, 504):
                        break
                except (OSError, http.client.HTTPException) as e:
                    error = repr(e)
                    conn.close()
                    conn = http.client.HTTPSConnection(host, port, context=context, timeout=120)
                time.sleep(0.5 * (attempt + 1))
            if error:
                failures.append("%s %s/%s: %s" % (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"], error))
        conn.close()

    start = time.time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print("%.1f" % (time.time() - start))
    for failure in failures[:10]:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 16))
