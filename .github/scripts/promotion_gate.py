#!/usr/bin/env python3
"""The prod gate: may this image go to prod?

Usage: promotion_gate.py PROD_RELEASE_YAML DEV_APPENV_JSON [--soak-minutes N] [--now RFC3339]
  PROD_RELEASE_YAML  argocd/environments/prod/release.yaml of the pull request
  DEV_APPENV_JSON    `kubectl get appenv telemetry -n telemetry-dev -o json` (the dev environment's status)
Passes (exit 0) only when the prod image is pinned by digest and the dev environment served exactly that
digest: promoted there at least N minutes ago (its rollback verification time) and never rolled back.
That the digest passed CI is checked apart, by its signature (cosign verify, see release.yaml).
"""
import argparse
import json
import re
import sys
from datetime import datetime, timedelta

DIGEST = re.compile(r"^[^@\s]+@sha256:[0-9a-f]{64}$")


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def prod_image(release_yaml):
    """The image of the release.yaml hack/set-release.sh writes (one `image:` line)."""
    images = re.findall(r"^\s+image:\s*(\S+)\s*$", release_yaml, re.MULTILINE)
    if len(images) != 1:
        raise ValueError(f"expected one image in release.yaml, found {len(images)}")
    return images[0].strip("\"'")


def decide(image, dev, now, soak):
    """(allowed, reason) for promoting `image` given the dev AppEnvironment object `dev`."""
    if not DIGEST.match(image):
        return False, f"{image} is not pinned by digest (REPOSITORY@sha256:...): a tag can move after dev ran it"
    status = dev.get("status") or {}
    if image in (status.get("rejectedImages") or []):
        return False, f"{image} was rolled back in dev"
    ran = [r for r in status.get("history") or [] if r.get("image") == image and r.get("promotedAt")]
    if not ran:
        return False, f"{image} never served in dev (no promoted release of it in the dev status history)"
    if any(r.get("result") == "RolledBack" for r in ran):
        return False, f"{image} was rolled back in dev"
    record = ran[0]
    # Succeeded: promoted and never rolled back (it stays Succeeded when a later release replaces it)
    if record.get("result") != "Succeeded":
        return False, f"{image} ended {record.get('result')} in dev"
    served_for = now - parse_time(record["promotedAt"])
    if served_for < soak:
        minutes = int(served_for.total_seconds() // 60)
        return False, f"{image} has served in dev for {minutes} min, less than {int(soak.total_seconds() // 60)} min"
    return True, f"{image} served in dev as revision {record.get('revision')} since {record['promotedAt']}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prod_release_yaml")
    parser.add_argument("dev_appenv_json")
    parser.add_argument("--soak-minutes", type=int, default=30)
    parser.add_argument("--now")
    args = parser.parse_args(argv)
    with open(args.prod_release_yaml) as f:
        image = prod_image(f.read())
    with open(args.dev_appenv_json) as f:
        dev = json.load(f)
    now = parse_time(args.now) if args.now else datetime.now().astimezone()
    allowed, reason = decide(image, dev, now, timedelta(minutes=args.soak_minutes))
    print(("promotion allowed: " if allowed else "promotion blocked: ") + reason)
    return 0 if allowed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
