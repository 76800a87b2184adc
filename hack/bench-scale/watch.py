#!/usr/bin/env python3
"""Waits, with one LIST and one WATCH (not polling), until COUNT objects of a kind meet a condition, and prints
the seconds from START (epoch seconds) until each share of them did: "all=93.2 p50=41.0 p90=80.1".

Usage: watch.py STATE PATH CONDITION COUNT START TIMEOUT
  STATE      the local cluster's state dir (its admin client certificate and CA are used)
  PATH       the collection, e.g. /apis/platform.appenv.io/v1alpha1/appenvironments
  CONDITION  ready | promoted=IMAGE | healthy=IMAGE   (AppEnvironments: the first two; Rollouts: the last)
Exit status 1 on timeout, after printing how many met the condition and the most common states of the others.
"""
import collections
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse


def cluster(state):
    server = None
    with open(os.path.join(state, "kubeconfig")) as f:
        for line in f:
            if line.strip().startswith("server:"):
                server = line.split("server:", 1)[1].strip()
    url = urllib.parse.urlsplit(server)
    pki = os.path.join(state, "pki")
    context = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
    context.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
    return url.hostname, url.port, context


def predicate(condition):
    name, _, arg = condition.partition("=")
    if name == "ready":
        return lambda o: phase(o) == "Ready", phase
    if name == "promoted":
        def promoted(o):
            active = (o.get("status") or {}).get("activeRelease") or {}
            return phase(o) == "Ready" and active.get("image") == arg
        return promoted, lambda o: "%s %s" % (phase(o), ((o.get("status") or {}).get("activeRelease") or {}).get("image"))
    if name == "healthy":
        def healthy(o):
            status = o.get("status") or {}
            image = o["spec"]["template"]["spec"]["containers"][0]["image"]
            return (image == arg and status.get("phase") == "Healthy"
                    and status.get("observedGeneration") == str(o["metadata"]["generation"]))
        return healthy, lambda o: (o.get("status") or {}).get("phase")
    raise SystemExit("unknown condition " + condition)


def phase(o):
    return (o.get("status") or {}).get("phase")


def main(state, path, condition, count, start, timeout):
    host, port, context = cluster(state)
    met, states, done = {}, {}, predicate(condition)
    test, describe = done
    deadline = start + timeout
    resource_version = None

    def see(o):
        key = o["metadata"].get("namespace", "") + "/" + o["metadata"]["name"]
        if test(o):
            met.setdefault(key, time.time())
        else:
            met.pop(key, None)
            states[key] = describe(o)

    while len(met) < count and time.time() < deadline:
        conn = http.client.HTTPSConnection(host, port, context=context, timeout=max(1, deadline - time.time()))
        try:
            if resource_version is None:
                conn.request("GET", path)
                listed = json.loads(conn.getresponse().read())
                for o in listed["items"]:
                    see(o)
                resource_version = listed["metadata"]["resourceVersion"]
                continue
            query = urllib.parse.urlencode({"watch": "1", "resourceVersion": resource_version,
                                            "timeoutSeconds": str(int(max(1, deadline - time.time())))})
            conn.request("GET", path + "?" + query)
            response = conn.getresponse()
            while len(met) < count:
                line = response.readline()
                if not line:
                    break
                event = json.loads(line)
                if event["type"] == "ERROR":   # e.g. 410 Gone: list again
                    resource_version = None
                    break
                o = event["object"]
                resource_version = o["metadata"]["resourceVersion"]
                if event["type"] == "DELETED":
                    met.pop(o["metadata"].get("namespace", "") + "/" + o["metadata"]["name"], None)
                else:
                    see(o)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
        finally:
            conn.close()
    times = sorted(t - start for t in met.values())
    if len(times) < count:
        waiting = collections.Counter(v for k, v in states.items() if k not in met).most_common(5)
        print("timeout: %d of %d after %.0f s; the others: %s" % (len(times), count, timeout, waiting))
        return 1
    share = lambda p: times[min(len(times) - 1, max(0, int(round(p * len(times))) - 1))]
    print("all=%.1f p50=%.1f p90=%.1f first=%.1f" % (times[count - 1], share(0.5), share(0.9), times[0]))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])))
