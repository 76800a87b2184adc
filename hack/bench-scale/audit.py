#!/usr/bin/env python3
"""Reads the API server's audit log (one JSON event a line; policy: audit-policy.yaml) for the benchmark.

  LOG is the API server's --audit-log-path; the files it was rotated into are read too.

  audit.py load LOG USER FROM TO
      requests of USER received in [FROM, TO) (epoch seconds), counted once each (a watch is logged when it
      starts and when it ends): "requests=812 rps=1.35 writes=0 (0.00/s) top: get leases 300, ..."
  audit.py status LOG USER FROM TO
      AppEnvironment status writes by USER in the window, and the states they wrote: a state is the phase,
      each condition's type, status and reason, the active colour and the active revision. Prints the
      writes per environment and per state change (1.00 = every write showed a change a user can see).
"""
import collections
import datetime
import glob
import json
import os
import sys

WRITES = {"create", "update", "patch", "delete", "deletecollection"}


def epoch(timestamp):
    """RFC 3339 with microseconds, as the audit log writes it."""
    return datetime.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def files(path):
    """The log and the files the API server rotated it into (audit-<time>.log beside it), oldest first."""
    base, ext = os.path.splitext(path)
    return sorted(glob.glob(glob.escape(base) + "-*" + ext)) + [path]


def events(path, user, start, end):
    """Each request of user received in the window, once (its last logged stage)."""
    seen = {}
    for name in files(path):
        with open(name, errors="replace") as f:
            for line in f:
                if user not in line:
                    continue
                e = json.loads(line)
                if e["user"].get("username") != user:
                    continue
                t = epoch(e["requestReceivedTimestamp"])
                if start <= t < end:
                    seen[e["auditID"]] = e
    return list(seen.values())


def resource(e):
    ref = e.get("objectRef") or {}
    name = ref.get("resource", e["requestURI"].split("?")[0])
    return name + ("/" + ref["subresource"] if ref.get("subresource") else "")


def load(path, user, start, end):
    requests = events(path, user, start, end)
    seconds = max(end - start, 1e-9)
    writes = [e for e in requests if e["verb"] in WRITES]
    lease = [e for e in writes if resource(e) == "leases"]
    top = collections.Counter("%s %s" % (e["verb"], resource(e)) for e in requests).most_common(8)
    print("requests=%d rps=%.2f writes=%d (%.2f/s) lease_writes=%d (the leader Lease) window=%.0fs top: %s" % (
        len(requests), len(requests) / seconds, len(writes), len(writes) / seconds, len(lease), seconds,
        ", ".join("%s %d" % kv for kv in top) or "-"))


def state(body):
    status = (body or {}).get("status") or {}
    conditions = tuple(sorted((c.get("type"), c.get("status"), c.get("reason")) for c in status.get("conditions") or []))
    return (status.get("phase"), conditions, status.get("activeColor"),
            (status.get("activeRelease") or {}).get("revision"))


def status(path, user, start, end):
    writes = [e for e in events(path, user, start, end)
              if e["verb"] in ("patch", "update") and resource(e) == "appenvironments/status"]
    writes.sort(key=lambda e: e["requestReceivedTimestamp"])
    per_env = collections.defaultdict(list)
    for e in writes:
        ref = e["objectRef"]
        per_env[(ref.get("namespace"), ref.get("name"))].append(e)
    changes = refused = 0
    counts = []
    for env_writes in per_env.values():
        last = None
        counts.append(len(env_writes))
        for e in env_writes:
            if (e.get("responseStatus") or {}).get("code", 200) >= 300:
                refused += 1
                continue
            now = state(e.get("requestObject"))
            if now != last:
                changes += 1
                last = now
    envs = len(per_env) or 1
    counts.sort()
    print("environments=%d status_writes=%d (refused %d) per_environment=%.2f max=%d state_changes=%d "
          "writes_per_state_change=%.2f" % (len(per_env), len(writes), refused, len(writes) / envs,
                                            counts[-1] if counts else 0, changes, len(writes) / max(changes, 1)))


if __name__ == "__main__":
    if len(sys.argv) != 6 or sys.argv[1] not in ("load", "status"):
        sys.exit(__doc__)
    {"load": load, "status": status}[sys.argv[1]](sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
