#!/usr/bin/env python3
"""Delivery KPIs of the release workflow, as a Markdown job summary.

Input: the JSON of GitHub's "list workflow runs" API for release.yaml (gh api .../runs), on stdin or as
a file. Only what the pipeline can see is counted:
  - cycle time: commit time of the released commit (the same value the release writes into the
    platform.appenv.io/commit-timestamp annotation) to the end of its successful release run, i.e. the
    commit reaching the dev environment folder; the operator measures the rest (to Ready) itself;
  - frequency: successful releases per day over the window the runs cover;
  - success rate: successful runs / finished runs (cancelled and skipped runs are left out).
Standard library only, so it runs on any runner with python3.
"""
import json
import statistics
import sys
from datetime import datetime

COUNTED = {"success", "failure", "timed_out", "startup_failure"}


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def kpis(runs, now):
    """runs: the 'workflow_runs' list; now: an aware datetime closing the window."""
    finished = [r for r in runs if r.get("status") == "completed" and r.get("conclusion") in COUNTED]
    succeeded = [r for r in finished if r["conclusion"] == "success"]
    cycle = []
    for run in succeeded:
        committed = (run.get("head_commit") or {}).get("timestamp")
        if committed:
            cycle.append((parse_time(run["updated_at"]) - parse_time(committed)).total_seconds())
    days = None
    if finished:
        first = min(parse_time(r["created_at"]) for r in finished)
        days = max((now - first).total_seconds() / 86400, 1.0)
    return {
        "runs": len(finished),
        "succeeded": len(succeeded),
        "success_rate": len(succeeded) / len(finished) if finished else None,
        "per_day": len(succeeded) / days if days else None,
        "window_days": days,
        "cycle_median_s": statistics.median(cycle) if cycle else None,
        "cycle_max_s": max(cycle) if cycle else None,
    }


def duration(seconds):
    if seconds is None:
        return "n/a"
    minutes = seconds / 60
    return f"{minutes:.1f} min" if minutes < 120 else f"{minutes / 60:.1f} h"


def markdown(k):
    rate = "n/a" if k["success_rate"] is None else f"{k['success_rate']:.0%} ({k['succeeded']}/{k['runs']})"
    freq = "n/a" if k["per_day"] is None else f"{k['per_day']:.2f} per day over {k['window_days']:.1f} days"
    return "\n".join([
        "### Delivery KPIs (release workflow runs on main)",
        "",
        "| KPI | value |",
        "|---|---|",
        f"| deployment cycle time, commit to dev (median) | {duration(k['cycle_median_s'])} |",
        f"| deployment cycle time, commit to dev (max) | {duration(k['cycle_max_s'])} |",
        f"| deployment frequency (successful releases) | {freq} |",
        f"| success rate (finished runs) | {rate} |",
        "",
    ])


def main(argv):
    source = open(argv[1]) if len(argv) > 1 else sys.stdin
    runs = json.load(source).get("workflow_runs", [])
    now = parse_time(argv[2]) if len(argv) > 2 else datetime.now().astimezone()
    sys.stdout.write(markdown(kpis(runs, now)))


if __name__ == "__main__":
    main(sys.argv)
